"""A seventh set of failures that only a GPU shows: PyTorch / torchvision / ImageAI 3 training on CUDA.

Untargeted: people who rent a cloud GPU for the first time (RunPod, Vast.ai, Lambda, a university
cluster node, Kaggle's P100 / T4) and notebook users on Colab. Device-side asserts: a BiLSTM NER
tagger whose tag sequences are padded with -1 while ``CrossEntropyLoss`` ignores -100
(``nll_loss``), a character-level name classifier that gives unseen characters the id after the
last one while its embedding has rows for padding and the known characters only (``nn.Embedding``),
a ModelNet voxeliser whose min-max scaled points on the upper face land in voxel ``32`` of a 32-grid
(``index_put``), and Cityscapes masks globbed as ``*Ids.png`` so the
16-bit ``instanceIds`` go through the 34-entry labelId -> trainId lookup table (indexing; as recorded, the assert's line is lost and the
next forward's convolution fails with ``CUDNN_STATUS_INTERNAL_ERROR``). Out of
memory (a cap in GiB on the big card stands in for a small one): ConvNeXt-L fine-tuned at 384 px on
a Kaggle P100, SimCLR at batch 512 (two views) on a rented RTX 4090, a DDPM U-Net at 256 px on an
RTX 3060, and IMDB reviews padded to the longest review of the batch under hand-written attention
on a Colab T4 (notebook). Devices: the WGAN-GP interpolation weight drawn on the CPU, CLIP's
``arange`` targets made on the CPU, a seq2seq greedy decoder started from a CPU ``SOS`` tensor
(notebook), and PyTorch-GAN's ``Tensor = torch.cuda.FloatTensor`` given CPU noise. AMP:
``optimizer.step()`` called directly before ``GradScaler.update()``, and ``zero_grad`` placed
between the scaled backward and ``scaler.step`` (notebook). Dtypes that only the CPU kernels take:
uint8 masks max-pooled into objectness targets, and a Laplacian boundary loss written with an
integer kernel over int64 masks (``conv2d``). Workers: a ``transforms.Lambda`` that moves every
image to the GPU in forked DataLoader workers. Determinism: ``use_deterministic_algorithms(True)``
for a segmentation model whose 2-D cross-entropy (``nll_loss2d``) has no deterministic CUDA kernel.
Plain bugs: logistic regression from scratch with ``requires_grad=True).cuda()`` weights (non-leaf,
``.grad`` is None; notebook), an adversarial patch made the same way and handed to Adam. ImageAI 3
on the GPU: a ResNet50 classification trainer at batch 128 on an 8 GB card, a TinyYOLOv3
``CustomObjectDetection`` called inside forked DataLoader workers, and a classification trainer
run after ``torch.set_default_device("cuda")`` (notebook).

Every case is a small real program; the label is known by construction. It needs a CUDA GPU
(recorded on an NVIDIA H200 with torch 2.11 + cu130, through the device tool, see the README: all
23 failed as built, in one run of ``bench/gpu_check.sh``; g170, scored 0.96 top-1 and 0.96 top-3
before any rule for it); without one it writes nothing.

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_cuda7.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _record import Case, both, class_folder, imgs, nb, oom_head, prep, run_gpu_cases, save_tiny, write  # noqa: E402

SRC = "corpus/generators/torch_cuda7.py"

SCRIPTS = {}
CELLS = {}

# ------------------------------------------------------------------ device-side asserts: labels, indices
SCRIPTS["ner-bilstm-tags-padded-minus-one"] = '''
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pad_sequence
from torch.utils.data import DataLoader
from tqdm import tqdm

device = torch.device("cuda")


def read_conll(path):
    """CoNLL-2003: one token per line (word POS chunk NER), blank line between sentences"""
    sents, words, tags = [], [], []
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if not line or line.startswith("-DOCSTART-"):
            if words:
                sents.append((words, tags))
            words, tags = [], []
            continue
        cols = line.split()
        words.append(cols[0])
        tags.append(cols[-1])
    if words:
        sents.append((words, tags))
    return sents


train = read_conll("conll2003/train.txt")
word2idx = {"<pad>": 0, "<unk>": 1}
tag2idx = {}
for words, tags in train:
    for w in words:
        word2idx.setdefault(w.lower(), len(word2idx))
    for t in tags:
        tag2idx.setdefault(t, len(tag2idx))
print(f"{len(train)} sentences, {len(word2idx)} words, tags: {list(tag2idx)}")


def collate(batch):
    xs = [torch.tensor([word2idx.get(w.lower(), 1) for w in words]) for words, _ in batch]
    ys = [torch.tensor([tag2idx[t] for t in tags]) for _, tags in batch]
    return pad_sequence(xs, batch_first=True, padding_value=0), pad_sequence(ys, batch_first=True, padding_value=-1)


class BiLSTMTagger(nn.Module):
    def __init__(self, vocab, n_tags, emb=100, hidden=128):
        super().__init__()
        self.embed = nn.Embedding(vocab, emb, padding_idx=0)
        self.lstm = nn.LSTM(emb, hidden, batch_first=True, bidirectional=True)
        self.dropout = nn.Dropout(0.5)
        self.out = nn.Linear(2 * hidden, n_tags)

    def forward(self, x):
        h, _ = self.lstm(self.embed(x))
        return self.out(self.dropout(h))


loader = DataLoader(train, batch_size=8, shuffle=True, collate_fn=collate)
model = BiLSTMTagger(len(word2idx), len(tag2idx)).to(device)
criterion = nn.CrossEntropyLoss()            # padded positions are -1, so they are ignored
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(20):
    model.train()
    for x, y in tqdm(loader, desc=f"epoch {epoch}"):
        x, y = x.to(device), y.to(device)
        logits = model(x)
        loss = criterion(logits.view(-1, logits.size(-1)), y.view(-1))
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        optimizer.step()
    print(f"epoch {epoch}: loss {loss.item():.4f}")
'''
SCRIPTS["char-rnn-unknown-char-index-equals-vocab-size"] = '''
import glob
import os

import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_sequence
from torch.utils.data import DataLoader

device = torch.device("cuda")


def load(split):
    rows = []
    for path in sorted(glob.glob(f"data/names/{split}/*.txt")):
        lang = os.path.splitext(os.path.basename(path))[0]
        rows += [(line.strip(), lang) for line in open(path, encoding="utf-8") if line.strip()]
    return rows


train, val = load("train"), load("val")
languages = sorted({lang for _, lang in train})
chars = sorted({c for name, _ in train for c in name})
char2idx = {c: i + 1 for i, c in enumerate(chars)}      # 0 is padding, 1..n the characters
UNK = len(char2idx) + 1                                 # the next id: characters never seen in training
print(f"{len(train)} train / {len(val)} val names, {len(languages)} languages, {len(chars)} characters")


def collate(batch):
    seqs = [torch.tensor([char2idx.get(c, UNK) for c in name]) for name, _ in batch]
    lengths = torch.tensor([len(s) for s in seqs])
    labels = torch.tensor([languages.index(lang) for _, lang in batch])
    return pad_sequence(seqs, batch_first=True), lengths, labels


class NameClassifier(nn.Module):
    def __init__(self, n_chars, n_langs, emb=32, hidden=128):
        super().__init__()
        self.embed = nn.Embedding(n_chars, emb, padding_idx=0)
        self.gru = nn.GRU(emb, hidden, batch_first=True)
        self.fc = nn.Linear(hidden, n_langs)

    def forward(self, x, lengths):
        packed = pack_padded_sequence(self.embed(x), lengths, batch_first=True, enforce_sorted=False)
        _, h = self.gru(packed)
        return self.fc(h[-1])


model = NameClassifier(len(char2idx) + 1, len(languages)).to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
train_loader = DataLoader(train, batch_size=16, shuffle=True, collate_fn=collate)
val_loader = DataLoader(val, batch_size=16, collate_fn=collate)
for epoch in range(15):
    model.train()
    for x, lengths, y in train_loader:
        x, y = x.to(device), y.to(device)
        loss = criterion(model(x, lengths), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    correct = 0
    with torch.no_grad():
        for x, lengths, y in val_loader:
            x, y = x.to(device), y.to(device)
            correct += (model(x, lengths).argmax(1) == y).sum().item()
    print(f"epoch {epoch}: loss {loss.item():.4f}, val acc {correct / len(val):.3f}")
'''
SCRIPTS["modelnet-voxel-grid-upper-face-index-32"] = '''
import glob
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset

device = torch.device("cuda")
GRID = 32


class ModelNetPoints(Dataset):
    """ModelNet10 sampled to points (x,y,z,nx,ny,nz per line), as in modelnet40_normal_resampled"""

    def __init__(self, root, split):
        self.classes = sorted(os.listdir(root))
        self.files = [(f, i) for i, c in enumerate(self.classes)
                      for f in sorted(glob.glob(os.path.join(root, c, split, "*.txt")))]

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        path, label = self.files[i]
        pts = np.loadtxt(path, delimiter=",", dtype=np.float32)[:, :3]
        return torch.from_numpy(pts[:1024]), label


def voxelize(points):
    """(B, N, 3) points -> (B, 1, GRID, GRID, GRID) occupancy, built on the GPU"""
    lo = points.min(dim=1, keepdim=True).values
    hi = points.max(dim=1, keepdim=True).values
    idx = ((points - lo) / (hi - lo) * GRID).long()           # scale each cloud to the grid
    grid = torch.zeros(points.size(0), GRID, GRID, GRID, device=points.device)
    b = torch.arange(points.size(0), device=points.device).unsqueeze(1).expand(-1, points.size(1))
    grid[b, idx[..., 0], idx[..., 1], idx[..., 2]] = 1.0
    return grid.unsqueeze(1)


class VoxNet(nn.Module):
    def __init__(self, n_classes):
        super().__init__()
        self.features = nn.Sequential(nn.Conv3d(1, 32, 5, stride=2), nn.LeakyReLU(0.1), nn.Dropout(0.2),
                                      nn.Conv3d(32, 32, 3), nn.LeakyReLU(0.1), nn.MaxPool3d(2), nn.Dropout(0.3))
        self.fc = nn.Sequential(nn.Flatten(), nn.Linear(32 * 6 * 6 * 6, 128), nn.ReLU(), nn.Dropout(0.4),
                                nn.Linear(128, n_classes))

    def forward(self, x):
        return self.fc(self.features(x))


train_set = ModelNetPoints("ModelNet10", "train")
loader = DataLoader(train_set, batch_size=8, shuffle=True, drop_last=True)
model = VoxNet(len(train_set.classes)).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
print(f"{len(train_set)} shapes, classes {train_set.classes}")
for epoch in range(30):
    model.train()
    for points, y in loader:
        points, y = points.to(device), y.to(device)
        loss = F.cross_entropy(model(voxelize(points)), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''
SCRIPTS["cityscapes-instance-ids-through-trainid-lut"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.segmentation import deeplabv3_mobilenet_v3_large
from torchvision.transforms import functional as TF

device = torch.device("cuda")
# labelId -> trainId (cityscapesscripts/helpers/labels.py); 255 = ignored
ID_TO_TRAINID = [255, 255, 255, 255, 255, 255, 255, 0, 1, 255, 255, 2, 3, 4, 255, 255, 255, 5, 255, 6, 7, 8, 9, 10,
                 11, 12, 13, 14, 15, 255, 255, 16, 17, 18]
lut = torch.tensor(ID_TO_TRAINID, device=device)


class Cityscapes(Dataset):
    def __init__(self, root, split):
        self.images = sorted(glob.glob(f"{root}/leftImg8bit/{split}/*/*_leftImg8bit.png"))
        self.masks = sorted(glob.glob(f"{root}/gtFine/{split}/*/*Ids.png"))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = TF.to_tensor(Image.open(self.images[i]).convert("RGB"))
        img = TF.normalize(img, [0.485, 0.456, 0.406], [0.229, 0.224, 0.225])
        mask = torch.from_numpy(np.array(Image.open(self.masks[i]), dtype=np.int64))
        return img, mask


train_set = Cityscapes("cityscapes", "train")
loader = DataLoader(train_set, batch_size=2, shuffle=True)
model = deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=19).to(device)
criterion = nn.CrossEntropyLoss(ignore_index=255)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
print(f"{len(train_set)} images, {len(train_set.masks)} masks")
for epoch in range(100):
    model.train()
    for img, mask in loader:
        img = img.to(device)
        target = lut[mask.to(device)]                        # labelIds -> 19 train classes on the GPU
        loss = criterion(model(img)["out"], target)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

# ------------------------------------------------------------------ out of memory
SCRIPTS["oom-convnext-large-384-kaggle-p100"] = oom_head("16", "Kaggle's 16 GB P100") + '''
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from tqdm import tqdm

device = torch.device("cuda")
print(torch.cuda.get_device_name(0))
# the Kaggle notebook I forked used ConvNeXt-L at 384 px; batch 32 like the paper's per-GPU batch
tf = transforms.Compose([transforms.RandomResizedCrop(384, scale=(0.5, 1.0)), transforms.RandomHorizontalFlip(),
                         transforms.ToTensor(), transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
train_set = datasets.ImageFolder("plant-pathology/train", transform=tf)
loader = DataLoader(train_set, batch_size=32, shuffle=True, num_workers=2, drop_last=True)
model = torchvision.models.convnext_large(weights=None)
model.classifier[2] = nn.Linear(model.classifier[2].in_features, len(train_set.classes))
model = model.to(device)
criterion = nn.CrossEntropyLoss(label_smoothing=0.1)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.05)
for epoch in range(5):
    model.train()
    for x, y in tqdm(loader, desc=f"epoch {epoch}"):
        x, y = x.to(device), y.to(device)
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''
SCRIPTS["oom-simclr-batch-512-two-views-rtx-4090"] = oom_head("24", "a rented 24 GB RTX 4090") + '''
import numpy as np
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

device = torch.device("cuda")
BATCH, TEMPERATURE = 512, 0.5                  # SimCLR: bigger batches give more negatives


class STL10Unlabeled(Dataset):
    def __init__(self, path, transform):
        self.x = np.fromfile(path, dtype=np.uint8).reshape(-1, 3, 96, 96).transpose(0, 3, 2, 1)
        self.transform = transform

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        img = Image.fromarray(self.x[i])
        return self.transform(img), self.transform(img)


augment = transforms.Compose([
    transforms.RandomResizedCrop(224), transforms.RandomHorizontalFlip(),
    transforms.RandomApply([transforms.ColorJitter(0.8, 0.8, 0.8, 0.2)], p=0.8), transforms.RandomGrayscale(0.2),
    transforms.ToTensor(), transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])


def nt_xent(z1, z2, t=TEMPERATURE):
    z = F.normalize(torch.cat([z1, z2]), dim=1)
    sim = z @ z.T / t
    sim.fill_diagonal_(float("-inf"))
    n = z1.size(0)
    targets = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)]).to(z.device)
    return F.cross_entropy(sim, targets)


data = STL10Unlabeled("stl10_binary/unlabeled_X.bin", augment)
loader = DataLoader(data, batch_size=BATCH, shuffle=True, num_workers=8, drop_last=True)
encoder = torchvision.models.resnet50(weights=None)
encoder.fc = nn.Sequential(nn.Linear(2048, 2048), nn.ReLU(), nn.Linear(2048, 128))      # projection head
encoder = encoder.to(device)
optimizer = torch.optim.SGD(encoder.parameters(), lr=0.3 * BATCH / 256, momentum=0.9, weight_decay=1e-6)
print(f"{len(data)} images, {len(loader)} steps per epoch")
for epoch in range(100):
    for step, (x1, x2) in enumerate(loader):
        x1, x2 = x1.to(device, non_blocking=True), x2.to(device, non_blocking=True)
        loss = nt_xent(encoder(x1), encoder(x2))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        print(f"epoch {epoch} step {step}: {loss.item():.4f}")
'''
SCRIPTS["oom-ddpm-unet-256px-rtx-3060"] = oom_head("12", "a 12 GB RTX 3060 on Vast.ai") + '''
import glob
import math

import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

device = torch.device("cuda")
T = 1000
betas = torch.linspace(1e-4, 0.02, T, device=device)
alpha_bar = torch.cumprod(1 - betas, 0)


class Faces(Dataset):
    def __init__(self, root):
        self.files = sorted(glob.glob(f"{root}/*.png"))
        self.tf = transforms.Compose([transforms.RandomHorizontalFlip(), transforms.ToTensor(),
                                      transforms.Normalize([0.5] * 3, [0.5] * 3)])

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        return self.tf(Image.open(self.files[i]).convert("RGB"))


def timestep_embedding(t, dim):
    half = dim // 2
    freqs = torch.exp(-math.log(10000) * torch.arange(half, device=t.device) / half)
    args = t[:, None].float() * freqs[None]
    return torch.cat([args.sin(), args.cos()], 1)


class ResBlock(nn.Module):
    def __init__(self, cin, cout, tdim):
        super().__init__()
        self.n1, self.c1 = nn.GroupNorm(32, cin), nn.Conv2d(cin, cout, 3, padding=1)
        self.t = nn.Linear(tdim, cout)
        self.n2, self.c2 = nn.GroupNorm(32, cout), nn.Conv2d(cout, cout, 3, padding=1)
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else nn.Identity()

    def forward(self, x, temb):
        h = self.c1(F.silu(self.n1(x))) + self.t(temb)[:, :, None, None]
        h = self.c2(F.dropout(F.silu(self.n2(h)), 0.1, self.training))
        return h + self.skip(x)


class UNet(nn.Module):
    def __init__(self, ch=128, mult=(1, 1, 2, 2, 4, 4)):
        super().__init__()
        self.tdim = ch * 4
        self.temb = nn.Sequential(nn.Linear(ch, self.tdim), nn.SiLU(), nn.Linear(self.tdim, self.tdim))
        self.inc = nn.Conv2d(3, ch, 3, padding=1)
        chans, self.down, c = [ch], nn.ModuleList(), ch
        for i, m in enumerate(mult):
            for _ in range(2):
                self.down.append(ResBlock(c, ch * m, self.tdim))
                c = ch * m
                chans.append(c)
            if i < len(mult) - 1:
                self.down.append(nn.Conv2d(c, c, 3, stride=2, padding=1))
                chans.append(c)
        self.mid = ResBlock(c, c, self.tdim)
        self.up = nn.ModuleList()
        for i, m in reversed(list(enumerate(mult))):
            for _ in range(3):
                self.up.append(ResBlock(c + chans.pop(), ch * m, self.tdim))
                c = ch * m
            if i > 0:
                self.up.append(nn.Upsample(scale_factor=2, mode="nearest"))
        self.out = nn.Sequential(nn.GroupNorm(32, c), nn.SiLU(), nn.Conv2d(c, 3, 3, padding=1))
        self.ch = ch

    def forward(self, x, t):
        temb = self.temb(timestep_embedding(t, self.ch))
        h = self.inc(x)
        hs = [h]
        for layer in self.down:
            h = layer(h, temb) if isinstance(layer, ResBlock) else layer(h)
            hs.append(h)
        h = self.mid(h, temb)
        for layer in self.up:
            h = layer(torch.cat([h, hs.pop()], 1), temb) if isinstance(layer, ResBlock) else layer(h)
        return self.out(h)


loader = DataLoader(Faces("celeba_hq_256"), batch_size=32, shuffle=True, num_workers=4, drop_last=True)
model = UNet().to(device)
print(f"U-Net: {sum(p.numel() for p in model.parameters()) / 1e6:.1f}M parameters")
optimizer = torch.optim.Adam(model.parameters(), lr=2e-5)
for epoch in range(500):
    for x0 in loader:
        x0 = x0.to(device)
        t = torch.randint(0, T, (x0.size(0),), device=device)
        noise = torch.randn_like(x0)
        a = alpha_bar[t].view(-1, 1, 1, 1)
        loss = F.mse_loss(model(a.sqrt() * x0 + (1 - a).sqrt() * noise, t), noise)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''
CELLS["notebook-oom-imdb-pad-to-longest-handwritten-attention"] = [
    oom_head("15", "Colab's T4, 15 GB usable").strip() + '''
import csv
import math
import re
from collections import Counter

import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.rnn import pad_sequence
from torch.utils.data import DataLoader

device = "cuda"
rows = list(csv.DictReader(open("imdb/train.csv", encoding="utf-8")))
tokenize = lambda s: re.findall(r"[a-z']+", s.lower().replace("<br />", " "))
counts = Counter(w for r in rows for w in tokenize(r["review"]))
vocab = {w: i + 2 for i, (w, _) in enumerate(counts.most_common(20000))}
data = [(torch.tensor([vocab.get(w, 1) for w in tokenize(r["review"])]), int(r["sentiment"] == "positive")) for r in rows]
print(len(data), "reviews; longest:", max(len(x) for x, _ in data), "tokens")''',
    '''def collate(batch):
    # pad to the longest review in the batch (dynamic padding, no truncation)
    xs, ys = zip(*batch)
    return pad_sequence(xs, batch_first=True), torch.tensor(ys)


class SelfAttention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.h, self.qkv, self.o = heads, nn.Linear(d, 3 * d), nn.Linear(d, d)

    def forward(self, x, pad):
        B, L, D = x.shape
        q, k, v = self.qkv(x).view(B, L, 3, self.h, D // self.h).permute(2, 0, 3, 1, 4)
        att = q @ k.transpose(-2, -1) / math.sqrt(D // self.h)
        att = att.masked_fill(pad[:, None, None, :], float("-inf")).softmax(-1)
        return self.o((att @ v).transpose(1, 2).reshape(B, L, D))


class Classifier(nn.Module):
    def __init__(self, vocab_size, d=128, heads=8, layers=2):
        super().__init__()
        self.emb = nn.Embedding(vocab_size, d, padding_idx=0)
        self.pos = nn.Embedding(8192, d)
        self.att = nn.ModuleList([SelfAttention(d, heads) for _ in range(layers)])
        self.ff = nn.ModuleList([nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))
                                 for _ in range(layers)])
        self.norm = nn.ModuleList([nn.LayerNorm(d) for _ in range(layers)])
        self.head = nn.Linear(d, 2)

    def forward(self, x):
        pad = x == 0
        h = self.emb(x) + self.pos(torch.arange(x.size(1), device=x.device))
        for att, ff, norm in zip(self.att, self.ff, self.norm):
            h = h + att(norm(h), pad)
            h = h + ff(h)
        h = h.masked_fill(pad[..., None], 0).sum(1) / (~pad).sum(1, keepdim=True)
        return self.head(h)


model = Classifier(len(vocab) + 2).to(device)
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
loader = DataLoader(data, batch_size=32, shuffle=True, collate_fn=collate)''',
    '''for epoch in range(3):
    model.train()
    for step, (x, y) in enumerate(loader):
        x, y = x.to(device), y.to(device)
        loss = F.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        print(f"epoch {epoch} step {step}: length {x.size(1)}, loss {loss.item():.4f}")''',
]

# ------------------------------------------------------------------ tensors on two devices
SCRIPTS["wgan-gp-interpolation-alpha-on-cpu"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

device = torch.device("cuda")
LATENT, LAMBDA_GP, N_CRITIC = 100, 10, 5


def generator():
    return nn.Sequential(
        nn.ConvTranspose2d(LATENT, 256, 4, 1, 0, bias=False), nn.BatchNorm2d(256), nn.ReLU(True),
        nn.ConvTranspose2d(256, 128, 4, 2, 1, bias=False), nn.BatchNorm2d(128), nn.ReLU(True),
        nn.ConvTranspose2d(128, 64, 4, 2, 1, bias=False), nn.BatchNorm2d(64), nn.ReLU(True),
        nn.ConvTranspose2d(64, 3, 4, 2, 1, bias=False), nn.Tanh())


def critic():
    return nn.Sequential(
        nn.Conv2d(3, 64, 4, 2, 1), nn.LeakyReLU(0.2, True),
        nn.Conv2d(64, 128, 4, 2, 1), nn.InstanceNorm2d(128, affine=True), nn.LeakyReLU(0.2, True),
        nn.Conv2d(128, 256, 4, 2, 1), nn.InstanceNorm2d(256, affine=True), nn.LeakyReLU(0.2, True),
        nn.Conv2d(256, 1, 4, 1, 0), nn.Flatten())


def gradient_penalty(D, real, fake):
    alpha = torch.rand(real.size(0), 1, 1, 1)
    interpolates = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    scores = D(interpolates)
    grads = torch.autograd.grad(scores, interpolates, torch.ones_like(scores), create_graph=True)[0]
    return ((grads.flatten(1).norm(2, dim=1) - 1) ** 2).mean()


tf = transforms.Compose([transforms.Resize(32), transforms.CenterCrop(32), transforms.ToTensor(),
                         transforms.Normalize([0.5] * 3, [0.5] * 3)])
loader = DataLoader(datasets.ImageFolder("anime_faces", transform=tf), batch_size=16, shuffle=True, drop_last=True)
G, D = generator().to(device), critic().to(device)
opt_g = torch.optim.Adam(G.parameters(), lr=1e-4, betas=(0.0, 0.9))
opt_d = torch.optim.Adam(D.parameters(), lr=1e-4, betas=(0.0, 0.9))
for epoch in range(200):
    for i, (real, _) in enumerate(loader):
        real = real.to(device)
        z = torch.randn(real.size(0), LATENT, 1, 1, device=device)
        fake = G(z)
        loss_d = D(fake.detach()).mean() - D(real).mean() + LAMBDA_GP * gradient_penalty(D, real, fake.detach())
        opt_d.zero_grad()
        loss_d.backward()
        opt_d.step()
        if i % N_CRITIC == 0:
            loss_g = -D(G(z)).mean()
            opt_g.zero_grad()
            loss_g.backward()
            opt_g.step()
    print(f"epoch {epoch}: D {loss_d.item():.3f}")
'''
SCRIPTS["clip-contrastive-targets-arange-on-cpu"] = '''
import csv
import re

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

device = torch.device("cuda")
rows = list(csv.DictReader(open("flickr8k/captions.txt", encoding="utf-8")))
tok = lambda s: re.findall(r"[a-z]+", s.lower())
vocab = {w: i + 1 for i, w in enumerate(sorted({w for r in rows for w in tok(r["caption"])}))}


class Flickr8k(Dataset):
    tf = transforms.Compose([transforms.RandomResizedCrop(128, scale=(0.6, 1.0)), transforms.ToTensor(),
                             transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])

    def __len__(self):
        return len(rows)

    def __getitem__(self, i):
        r = rows[i]
        ids = torch.tensor([vocab[w] for w in tok(r["caption"])][:32])
        return self.tf(Image.open(f"flickr8k/Images/{r['image']}").convert("RGB")), F.pad(ids, (0, 32 - len(ids)))


class CLIP(nn.Module):
    def __init__(self, dim=256):
        super().__init__()
        self.image = torchvision.models.resnet18(num_classes=dim)
        self.words = nn.EmbeddingBag(len(vocab) + 1, dim, mode="mean", padding_idx=0)
        self.text = nn.Sequential(nn.Linear(dim, dim), nn.GELU(), nn.Linear(dim, dim))
        self.logit_scale = nn.Parameter(torch.tensor(2.659))     # log(1 / 0.07)

    def forward(self, images, tokens):
        img = F.normalize(self.image(images), dim=-1)
        txt = F.normalize(self.text(self.words(tokens)), dim=-1)
        return self.logit_scale.exp() * img @ txt.T


model = CLIP().to(device)
loader = DataLoader(Flickr8k(), batch_size=16, shuffle=True, drop_last=True)
optimizer = torch.optim.AdamW(model.parameters(), lr=5e-4, weight_decay=0.2)
print(f"{len(rows)} captions, {len(vocab)} words")
for epoch in range(30):
    for images, tokens in loader:
        images, tokens = images.to(device), tokens.to(device)
        logits = model(images, tokens)
        labels = torch.arange(len(logits))                       # the i-th image goes with the i-th caption
        loss = (F.cross_entropy(logits, labels) + F.cross_entropy(logits.T, labels)) / 2
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''
CELLS["notebook-seq2seq-greedy-decode-sos-on-cpu"] = [
    '''import random
import torch
import torch.nn as nn
import torch.nn.functional as F

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
SOS, EOS = 0, 1
pairs = [line.split("\\t")[:2] for line in open("spa.txt", encoding="utf-8").read().strip().split("\\n")]


class Lang:
    def __init__(self):
        self.w2i, self.i2w = {}, {SOS: "<s>", EOS: "</s>"}

    def add(self, s):
        for w in s.split():
            if w not in self.w2i:
                self.w2i[w] = len(self.i2w)
                self.i2w[len(self.i2w)] = w


eng, spa = Lang(), Lang()
for e, s in pairs:
    eng.add(e)
    spa.add(s)


def to_tensor(lang, s):
    return torch.tensor([lang.w2i[w] for w in s.split()] + [EOS], device=device).view(1, -1)


print(device, len(pairs), "pairs", len(eng.i2w), "/", len(spa.i2w), "words")''',
    '''class Encoder(nn.Module):
    def __init__(self, n, h=128):
        super().__init__()
        self.emb, self.gru = nn.Embedding(n, h), nn.GRU(h, h, batch_first=True)

    def forward(self, x):
        return self.gru(self.emb(x))


class Decoder(nn.Module):
    def __init__(self, n, h=128):
        super().__init__()
        self.emb, self.gru, self.out = nn.Embedding(n, h), nn.GRU(h, h, batch_first=True), nn.Linear(h, n)

    def forward(self, y, hidden):
        out, hidden = self.gru(F.relu(self.emb(y)), hidden)
        return self.out(out), hidden


encoder, decoder = Encoder(len(eng.i2w)).to(device), Decoder(len(spa.i2w)).to(device)
opt = torch.optim.Adam(list(encoder.parameters()) + list(decoder.parameters()), lr=1e-3)
for it in range(300):
    e, s = random.choice(pairs)
    x, y = to_tensor(eng, e), to_tensor(spa, s)
    _, hidden = encoder(x)
    dec_in = torch.cat([torch.full((1, 1), SOS, device=device), y[:, :-1]], 1)   # teacher forcing
    logits, _ = decoder(dec_in, hidden)
    loss = F.cross_entropy(logits.squeeze(0), y.squeeze(0))
    opt.zero_grad()
    loss.backward()
    opt.step()
print("loss", loss.item())''',
    '''def translate(sentence, max_len=12):
    with torch.no_grad():
        _, hidden = encoder(to_tensor(eng, sentence))
        decoder_input = torch.tensor([[SOS]])
        words = []
        for _ in range(max_len):
            logits, hidden = decoder(decoder_input, hidden)
            top = logits.argmax(-1)
            if top.item() == EOS:
                break
            words.append(spa.i2w[top.item()])
            decoder_input = top
        return " ".join(words)


for e, s in pairs[:5]:
    print(e, "->", translate(e), "| expected:", s)''',
]
SCRIPTS["pytorch-gan-cuda-floattensor-of-torch-noise"] = '''
import argparse

import numpy as np
import torch
import torch.nn as nn
from torch.autograd import Variable
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

# conditional GAN after eriklindernoren/PyTorch-GAN (cgan.py); noise made with torch instead of numpy
parser = argparse.ArgumentParser()
parser.add_argument("--n_epochs", type=int, default=200)
parser.add_argument("--batch_size", type=int, default=16)
parser.add_argument("--latent_dim", type=int, default=100)
parser.add_argument("--img_size", type=int, default=28)
opt = parser.parse_args()
print(opt)
img_shape = (1, opt.img_size, opt.img_size)
cuda = True if torch.cuda.is_available() else False


class Generator(nn.Module):
    def __init__(self, n_classes):
        super().__init__()
        self.label_emb = nn.Embedding(n_classes, n_classes)
        self.model = nn.Sequential(nn.Linear(opt.latent_dim + n_classes, 256), nn.LeakyReLU(0.2, inplace=True),
                                   nn.Linear(256, 512), nn.LeakyReLU(0.2, inplace=True),
                                   nn.Linear(512, int(np.prod(img_shape))), nn.Tanh())

    def forward(self, noise, labels):
        return self.model(torch.cat((self.label_emb(labels), noise), -1)).view(-1, *img_shape)


class Discriminator(nn.Module):
    def __init__(self, n_classes):
        super().__init__()
        self.label_embedding = nn.Embedding(n_classes, n_classes)
        self.model = nn.Sequential(nn.Linear(n_classes + int(np.prod(img_shape)), 512), nn.LeakyReLU(0.2, inplace=True),
                                   nn.Linear(512, 1))

    def forward(self, img, labels):
        return self.model(torch.cat((img.view(img.size(0), -1), self.label_embedding(labels)), -1))


data = datasets.ImageFolder("kmnist/train", transform=transforms.Compose(
    [transforms.Grayscale(), transforms.Resize(opt.img_size), transforms.ToTensor(), transforms.Normalize([0.5], [0.5])]))
n_classes = len(data.classes)
dataloader = DataLoader(data, batch_size=opt.batch_size, shuffle=True, drop_last=True)
adversarial_loss = torch.nn.MSELoss()
generator, discriminator = Generator(n_classes), Discriminator(n_classes)
if cuda:
    generator.cuda()
    discriminator.cuda()
    adversarial_loss.cuda()
optimizer_G = torch.optim.Adam(generator.parameters(), lr=0.0002, betas=(0.5, 0.999))
optimizer_D = torch.optim.Adam(discriminator.parameters(), lr=0.0002, betas=(0.5, 0.999))
FloatTensor = torch.cuda.FloatTensor if cuda else torch.FloatTensor
LongTensor = torch.cuda.LongTensor if cuda else torch.LongTensor

for epoch in range(opt.n_epochs):
    for i, (imgs, labels) in enumerate(dataloader):
        batch_size = imgs.shape[0]
        valid = Variable(FloatTensor(batch_size, 1).fill_(1.0), requires_grad=False)
        fake = Variable(FloatTensor(batch_size, 1).fill_(0.0), requires_grad=False)
        real_imgs = Variable(imgs.type(FloatTensor))
        labels = Variable(labels.type(LongTensor))

        optimizer_G.zero_grad()
        z = Variable(FloatTensor(torch.randn(batch_size, opt.latent_dim)))
        gen_labels = Variable(LongTensor(torch.randint(0, n_classes, (batch_size,))))
        gen_imgs = generator(z, gen_labels)
        g_loss = adversarial_loss(discriminator(gen_imgs, gen_labels), valid)
        g_loss.backward()
        optimizer_G.step()

        optimizer_D.zero_grad()
        d_real_loss = adversarial_loss(discriminator(real_imgs, labels), valid)
        d_fake_loss = adversarial_loss(discriminator(gen_imgs.detach(), gen_labels), fake)
        d_loss = (d_real_loss + d_fake_loss) / 2
        d_loss.backward()
        optimizer_D.step()
        print(f"[Epoch {epoch}/{opt.n_epochs}] [Batch {i}/{len(dataloader)}] [D loss: {d_loss.item():.4f}] [G loss: {g_loss.item():.4f}]")
'''

# ------------------------------------------------------------------ mixed precision
SCRIPTS["gradscaler-optimizer-step-directly-then-update"] = '''
import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from tqdm import tqdm

device = torch.device("cuda")
tf = transforms.Compose([transforms.RandomResizedCrop(160), transforms.RandomHorizontalFlip(), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
train_set = datasets.ImageFolder("birds/train", transform=tf)
loader = DataLoader(train_set, batch_size=8, shuffle=True)
model = torchvision.models.efficientnet_b2(num_classes=len(train_set.classes)).to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-2)
scaler = torch.amp.GradScaler("cuda")
for epoch in range(20):
    model.train()
    for x, y in tqdm(loader, desc=f"epoch {epoch}"):
        x, y = x.to(device), y.to(device)
        with torch.autocast("cuda", dtype=torch.float16):
            loss = criterion(model(x), y)
        optimizer.zero_grad()
        scaler.scale(loss).backward()
        optimizer.step()
        scaler.update()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''
CELLS["notebook-amp-zero-grad-between-backward-and-step"] = [
    '''import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

device = "cuda"
tf = transforms.Compose([transforms.Resize((128, 128)), transforms.RandomHorizontalFlip(), transforms.ToTensor()])
train_set = datasets.ImageFolder("garbage/train", transform=tf)
loader = DataLoader(train_set, batch_size=8, shuffle=True)
model = torchvision.models.mobilenet_v3_small(num_classes=len(train_set.classes)).to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
scaler = torch.cuda.amp.GradScaler()
print(train_set.classes)''',
    '''for epoch in range(10):
    model.train()
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        with torch.cuda.amp.autocast():
            loss = criterion(model(x), y)
        scaler.scale(loss).backward()
        optimizer.zero_grad()
        scaler.step(optimizer)
        scaler.update()
    print(f"epoch {epoch}: {loss.item():.4f}")''',
]

# ------------------------------------------------------------------ dtypes the CUDA kernels refuse
SCRIPTS["objectness-targets-max-pool-uint8-masks"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.transforms import functional as TF

device = torch.device("cuda")
STRIDE = 8


class Defects(Dataset):
    """steel surface images + binary defect masks (0 / 1 PNGs)"""

    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/images/*.jpg"))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = TF.to_tensor(Image.open(self.images[i]).convert("RGB"))
        mask = np.array(Image.open(self.images[i].replace("images", "masks").replace(".jpg", ".png")))
        return img, torch.from_numpy(mask)


class PatchObjectness(nn.Module):
    """ResNet-18 cut at stride 8 + a 1x1 conv: does each 8x8 cell contain a defect?"""

    def __init__(self):
        super().__init__()
        r = torchvision.models.resnet18()
        self.body = nn.Sequential(r.conv1, r.bn1, r.relu, r.maxpool, r.layer1, r.layer2)
        self.head = nn.Conv2d(128, 1, 1)

    def forward(self, x):
        return self.head(self.body(x))


loader = DataLoader(Defects("severstal"), batch_size=4, shuffle=True)
model = PatchObjectness().to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(20):
    for img, mask in loader:
        img, mask = img.to(device), mask.to(device)
        target = F.max_pool2d(mask.unsqueeze(1), kernel_size=STRIDE)     # 1 where any pixel of the cell is defect
        loss = F.binary_cross_entropy_with_logits(model(img), target.float())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''
SCRIPTS["boundary-loss-integer-laplacian-kernel"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.segmentation import fcn_resnet50
from torchvision.transforms import functional as TF

device = torch.device("cuda")
LAPLACE = torch.tensor([[0, 1, 0], [1, -4, 1], [0, 1, 0]]).view(1, 1, 3, 3)


class Lesions(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/images/*.jpg"))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = TF.normalize(TF.to_tensor(Image.open(self.images[i]).convert("RGB")), [0.5] * 3, [0.5] * 3)
        mask = np.array(Image.open(self.images[i].replace("images", "masks").replace(".jpg", ".png")))
        return img, torch.from_numpy(mask).long()


def boundary_weights(mask, w=5.0):
    """pixels on the lesion border weigh w times more (edges from a Laplacian of the label map)"""
    edges = F.conv2d(mask.unsqueeze(1), LAPLACE.to(mask.device), padding=1).squeeze(1) != 0
    return 1.0 + w * edges.float()


loader = DataLoader(Lesions("isic2018"), batch_size=4, shuffle=True)
model = fcn_resnet50(weights=None, weights_backbone=None, num_classes=2).to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
for epoch in range(40):
    model.train()
    for img, mask in loader:
        img, mask = img.to(device), mask.to(device)
        pixel_loss = F.cross_entropy(model(img)["out"], mask, reduction="none")
        loss = (pixel_loss * boundary_weights(mask)).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

# ------------------------------------------------------------------ CUDA in forked DataLoader workers
SCRIPTS["transform-lambda-to-cuda-in-workers"] = '''
import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from tqdm import tqdm

device = torch.device("cuda")
model = torchvision.models.resnet34(num_classes=4).to(device)
# do the normalisation on the GPU, it is faster there
tf = transforms.Compose([
    transforms.RandomResizedCrop(160), transforms.RandomHorizontalFlip(), transforms.ToTensor(),
    transforms.Lambda(lambda t: t.to(device)),
    transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
train_set = datasets.ImageFolder("rice_leaf/train", transform=tf)
loader = DataLoader(train_set, batch_size=8, shuffle=True, num_workers=4)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for epoch in range(15):
    model.train()
    for x, y in tqdm(loader, desc=f"epoch {epoch}"):
        y = y.to(device)
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

# ------------------------------------------------------------------ deterministic algorithms
SCRIPTS["seg-deterministic-algorithms-cross-entropy-2d"] = '''
import glob
import os
import random

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.transforms import functional as TF

# reproducible runs for the thesis: same seed, same numbers
SEED = 42
os.environ["CUBLAS_WORKSPACE_CONFIG"] = ":4096:8"
random.seed(SEED)
np.random.seed(SEED)
torch.manual_seed(SEED)
torch.backends.cudnn.benchmark = False
torch.use_deterministic_algorithms(True)
device = torch.device("cuda")


class Retina(Dataset):
    """DRIVE-style fundus images with 3-class masks (background, vessel, optic disc)"""

    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/images/*.png"))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = TF.to_tensor(Image.open(self.images[i]).convert("RGB"))
        mask = np.array(Image.open(self.images[i].replace("images", "masks")), dtype=np.int64)
        return img, torch.from_numpy(mask)


def block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
                         nn.Conv2d(cout, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class UNet(nn.Module):
    def __init__(self, n_classes=3):
        super().__init__()
        self.e1, self.e2, self.e3 = block(3, 32), block(32, 64), block(64, 128)
        self.pool = nn.MaxPool2d(2)
        self.u2, self.d2 = nn.ConvTranspose2d(128, 64, 2, stride=2), block(128, 64)
        self.u1, self.d1 = nn.ConvTranspose2d(64, 32, 2, stride=2), block(64, 32)
        self.out = nn.Conv2d(32, n_classes, 1)

    def forward(self, x):
        e1 = self.e1(x)
        e2 = self.e2(self.pool(e1))
        e3 = self.e3(self.pool(e2))
        d2 = self.d2(torch.cat([self.u2(e3), e2], 1))
        d1 = self.d1(torch.cat([self.u1(d2), e1], 1))
        return self.out(d1)


g = torch.Generator()
g.manual_seed(SEED)
loader = DataLoader(Retina("drive"), batch_size=2, shuffle=True, generator=g)
model = UNet().to(device)
criterion = nn.CrossEntropyLoss(weight=torch.tensor([0.2, 1.0, 1.0], device=device))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(50):
    model.train()
    for img, mask in loader:
        img, mask = img.to(device), mask.to(device)
        loss = criterion(model(img), mask)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.6f}")
'''

# ------------------------------------------------------------------ plain bugs of GPU code
CELLS["notebook-logreg-from-scratch-weights-cuda-non-leaf"] = [
    '''import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
tf = transforms.Compose([transforms.Grayscale(), transforms.ToTensor()])
train_set = datasets.ImageFolder("digits/train", transform=tf)
train_loader = DataLoader(train_set, batch_size=32, shuffle=True)
print(device, len(train_set), "images")''',
    '''# softmax regression from scratch, weights on the GPU
W = torch.randn(784, 10, requires_grad=True).to(device)
b = torch.zeros(10, requires_grad=True).to(device)
lr = 0.1''',
    '''for epoch in range(5):
    for x, y in train_loader:
        x, y = x.view(-1, 784).to(device), y.to(device)
        loss = F.cross_entropy(x @ W + b, y)
        loss.backward()
        with torch.no_grad():
            W -= lr * W.grad
            b -= lr * b.grad
            W.grad.zero_()
            b.grad.zero_()
    print(f"epoch {epoch}: {loss.item():.4f}")''',
]
SCRIPTS["adversarial-patch-requires-grad-then-to-device"] = '''
import torch
import torch.nn.functional as F
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

device = torch.device("cuda")
TARGET = 0                       # make every photo look like class 0 ("toaster")
model = torchvision.models.resnet18(num_classes=10)
model.load_state_dict(torch.load("imagenette_resnet18.pth", map_location="cpu"))
model = model.to(device).eval()
for p in model.parameters():
    p.requires_grad_(False)

tf = transforms.Compose([transforms.Resize(160), transforms.CenterCrop(160), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("imagenette/val", transform=tf), batch_size=8, shuffle=True)
patch = torch.rand(1, 3, 48, 48, requires_grad=True).to(device)
optimizer = torch.optim.Adam([patch], lr=0.01)
for epoch in range(50):
    for x, _ in loader:
        x = x.to(device)
        x[:, :, 10:58, 10:58] = patch.clamp(0, 1)
        loss = F.cross_entropy(model(x), torch.full((x.size(0),), TARGET, device=device))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

# ------------------------------------------------------------------ ImageAI 3 on the GPU
SCRIPTS["imageai-resnet50-batch-128-8gb-card"] = oom_head("8", "an 8 GB RTX 2070 on Vast.ai") + '''
from imageai.Classification.Custom import ClassificationModelTrainer

print("GPU:", torch.cuda.get_device_name(0))
trainer = ClassificationModelTrainer()
trainer.setModelTypeAsResNet50()
trainer.setDataDirectory("waste")
trainer.trainModel(num_experiments=50, batch_size=128)
'''
SCRIPTS["imageai-custom-detector-inside-dataloader-workers"] = '''
import glob
import json

from imageai.Detection.Custom import CustomObjectDetection
from torch.utils.data import DataLoader, Dataset
from tqdm import tqdm

# run the trained hard-hat detector over every frame of the site camera, 4 frames at a time
detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("models/tiny-yolov3_hardhat_last.pt")
detector.setJsonPath("json/hardhat_tiny-yolov3_detection_config.json")
detector.loadModel()


class Frames(Dataset):
    def __init__(self, pattern):
        self.files = sorted(glob.glob(pattern))

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        _, detections = detector.detectObjectsFromImage(input_image=self.files[i], output_type="array",
                                                        minimum_percentage_probability=30)
        return {"frame": self.files[i], "objects": [(d["name"], d["percentage_probability"]) for d in detections]}


loader = DataLoader(Frames("site_camera/*.jpg"), batch_size=None, num_workers=4)
results = [r for r in tqdm(loader)]
json.dump(results, open("detections.json", "w"), indent=1)
print(f"{len(results)} frames, {sum(len(r['objects']) for r in results)} objects")
'''
CELLS["notebook-imageai-trainer-after-set-default-device-cuda"] = [
    '''import torch
torch.set_default_device("cuda")          # so that every tensor is created on the GPU
print(torch.cuda.get_device_name(0), torch.empty(1).device)''',
    '''from imageai.Classification.Custom import ClassificationModelTrainer

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("pets")
trainer.trainModel(num_experiments=10, batch_size=8)''',
]


# ------------------------------------------------------------------ data
def conll(work: Path):
    import random

    rnd = random.Random(71)
    people, places, orgs = ["John", "Maria", "Obama", "Merkel", "Messi"], ["Paris", "Berlin", "Kenya", "Japan"], \
        ["EU", "Reuters", "Google", "UN"]
    lines = ["-DOCSTART- -X- -X- O", ""]
    for _ in range(64):
        sent = []
        for _ in range(rnd.randint(4, 14)):
            r = rnd.random()
            if r < 0.12:
                sent.append((rnd.choice(people), "NNP", "B-NP", "B-PER"))
            elif r < 0.22:
                sent.append((rnd.choice(places), "NNP", "B-NP", "B-LOC"))
            elif r < 0.3:
                sent.append((rnd.choice(orgs), "NNP", "B-NP", "B-ORG"))
            else:
                sent.append((rnd.choice(["the", "said", "on", "in", "a", "of", "to", "visited", "talks", "new"]), "DT",
                             "O", "O"))
        sent.append((".", ".", "O", "O"))
        lines += [" ".join(t) for t in sent] + [""]
    (work / "conll2003").mkdir(parents=True, exist_ok=True)
    (work / "conll2003/train.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def names(work: Path):
    train = {"English": ["Smith", "Brown", "Taylor", "Wilson", "Walker", "Wright", "Hughes", "Green", "Harris", "Clarke"],
             "German": ["Schmidt", "Schneider", "Fischer", "Weber", "Wagner", "Becker", "Hoffmann", "Koch", "Bauer"],
             "Italian": ["Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino"],
             "Czech": ["Novak", "Svoboda", "Novotny", "Dvorak", "Cerny", "Prochazka", "Kucera", "Vesely", "Horak"]}
    val = {"English": ["Cooper", "Ward", "Morris"], "German": ["Müller", "Schäfer", "Krüger"],
           "Italian": ["Gallo", "Conti", "De Luca"], "Czech": ["Marek", "Pospíšil", "Král"]}
    for split, d in (("train", train), ("val", val)):
        (work / "data/names" / split).mkdir(parents=True, exist_ok=True)
        for lang, ns in d.items():
            (work / "data/names" / split / f"{lang}.txt").write_text("\n".join(ns) + "\n", encoding="utf-8")


modelnet = prep('''
    import os
    import numpy as np
    rng = np.random.default_rng(72)
    for c in ("bathtub", "chair", "monitor", "table"):
        os.makedirs(f"ModelNet10/{c}/train", exist_ok=True)
        for i in range(6):
            n = 1024
            if c == "monitor":
                p = rng.uniform([-0.8, -0.05, -0.5], [0.8, 0.05, 0.5], (n, 3))
            elif c == "table":
                p = np.concatenate([rng.uniform([-0.9, 0.35, -0.5], [0.9, 0.4, 0.5], (n - 200, 3)),
                                    rng.uniform([-0.85, -0.4, -0.45], [-0.8, 0.35, -0.4], (200, 3))])
            else:
                p = rng.normal(0, 0.3, (n, 3))
            nrm = rng.normal(0, 1, (n, 3))
            nrm /= np.linalg.norm(nrm, axis=1, keepdims=True)
            np.savetxt(f"ModelNet10/{c}/train/{c}_{i + 1:04d}.txt", np.hstack([p, nrm]), fmt="%.6f", delimiter=",")
''')
cityscapes = prep('''
    import os
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(73)
    for city, frames in (("aachen", (19, 1926)), ("bochum", (8073, 12211))):
        os.makedirs(f"cityscapes/leftImg8bit/train/{city}", exist_ok=True)
        os.makedirs(f"cityscapes/gtFine/train/{city}", exist_ok=True)
        for f in frames:
            stem = f"{city}_000000_{f:06d}"
            Image.fromarray(rng.integers(0, 255, (128, 256, 3), dtype=np.uint8)).save(
                f"cityscapes/leftImg8bit/train/{city}/{stem}_leftImg8bit.png")
            label = np.full((128, 256), 7, dtype=np.uint8)          # road
            label[:40] = 23                                         # sky
            label[40:70, :90] = 11                                  # building
            label[70:100, 120:180] = 26                             # car
            label[60:110, 200:215] = 24                             # person
            inst = label.astype(np.int32)
            inst[70:100, 120:150] = 26000
            inst[70:100, 150:180] = 26001
            inst[60:110, 200:215] = 24000
            Image.fromarray(label).save(f"cityscapes/gtFine/train/{city}/{stem}_gtFine_labelIds.png")
            Image.fromarray(inst.astype(np.uint16)).save(f"cityscapes/gtFine/train/{city}/{stem}_gtFine_instanceIds.png")
            colour = np.zeros((128, 256, 3), dtype=np.uint8)
            colour[label == 7] = (128, 64, 128)
            Image.fromarray(colour).save(f"cityscapes/gtFine/train/{city}/{stem}_gtFine_color.png")
''')
plant = imgs(class_folder("plant-pathology/train", ("healthy", "multiple_diseases", "rust", "scab"), 9, size=(96, 96)))
stl10 = prep('''
    import os
    import numpy as np
    rng = np.random.default_rng(74)
    os.makedirs("stl10_binary", exist_ok=True)
    rng.integers(0, 256, (544, 3, 96, 96), dtype=np.uint8).tofile("stl10_binary/unlabeled_X.bin")
''')
celeba = prep('''
    import os
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(75)
    os.makedirs("celeba_hq_256", exist_ok=True)
    yy, xx = np.mgrid[0:256, 0:256]
    for i in range(32):
        face = np.exp(-(((yy - 128) / 90.0) ** 2 + ((xx - 128) / 70.0) ** 2))[..., None] * [220, 180, 150]
        img = (face + rng.normal(0, 12, (256, 256, 3))).clip(0, 255).astype(np.uint8)
        Image.fromarray(img).save(f"celeba_hq_256/{i:05d}.png")
''')


def imdb(work: Path):
    import random

    rnd = random.Random(76)
    pos = "a wonderful moving film with brilliant acting and a great story i loved it".split()
    neg = "a boring awful mess with terrible acting and a dull plot i hated it".split()
    common = "the movie this was and of to in that it's but one for with as on".split()
    rows = ["review,sentiment"]
    for i in range(120):
        s = "positive" if i % 2 else "negative"
        n = 7200 if i == 77 else rnd.randint(30, 300)          # one review is a whole essay
        words = [rnd.choice(pos if s == "positive" else neg) if rnd.random() < 0.4 else rnd.choice(common)
                 for _ in range(n)]
        rows.append(f"\"{' '.join(words).capitalize()}.<br /><br />{rnd.choice(['10/10', '1/10', 'See it.'])}\",{s}")
    (work / "imdb").mkdir(parents=True, exist_ok=True)
    (work / "imdb/train.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")


anime = imgs(class_folder("anime_faces", ("faces",), 32, size=(64, 64)))


def flickr(work: Path):
    import random

    from _record import make_images

    rnd = random.Random(77)
    subjects = ["a dog", "two children", "a man", "a woman", "a black dog", "a girl", "a group of people"]
    actions = ["runs through the grass", "plays in the water", "sits on a bench", "climbs a rock",
               "rides a bike down the street", "jumps over a fence"]
    files = [f"{1000268201 + 7919 * i}_{0x693b08cb + 4099 * i:x}.jpg" for i in range(24)]
    make_images(work, [(f"flickr8k/Images/{f}", (128, 96), "RGB") for f in files])
    rows = ["image,caption"]
    for f in files:
        for _ in range(2):
            rows.append(f"{f},{rnd.choice(subjects).capitalize()} {rnd.choice(actions)} .")
    (work / "flickr8k/captions.txt").write_text("\n".join(rows) + "\n", encoding="utf-8")


SPA = """Go.\tVe.
Run!\tCorre.
Wait!\tEspera.
I see.\tYa veo.
I won!\t¡Gané!
Help me.\tAyúdame.
Come in.\tEntra.
I'm tired.\tEstoy cansado.
We lost.\tPerdimos.
Call me.\tLlámame.
Be nice.\tSé agradable.
I agree.\tEstoy de acuerdo.
"""
kmnist = imgs(class_folder("kmnist/train", ("o", "ki", "su", "tsu", "na"), 8, size=(28, 28), mode="L", ext="png"))
birds = imgs(class_folder("birds/train", ("bald_eagle", "barn_owl", "flamingo"), 6, size=(96, 96)))
garbage = imgs(class_folder("garbage/train", ("cardboard", "glass", "metal", "paper", "plastic"), 4))
severstal = prep('''
    import os
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(78)
    os.makedirs("severstal/images", exist_ok=True)
    os.makedirs("severstal/masks", exist_ok=True)
    for i in range(8):
        img = rng.normal(120, 20, (128, 256)).clip(0, 255)
        mask = np.zeros((128, 256), dtype=np.uint8)
        y, x = rng.integers(10, 90), rng.integers(10, 200)
        mask[y:y + 25, x:x + 40] = 1
        img[mask == 1] -= 50
        Image.fromarray(img.astype(np.uint8)).convert("RGB").save(f"severstal/images/{i:04x}a1b2.jpg")
        Image.fromarray(mask).save(f"severstal/masks/{i:04x}a1b2.png")
''')
isic = prep('''
    import os
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(79)
    os.makedirs("isic2018/images", exist_ok=True)
    os.makedirs("isic2018/masks", exist_ok=True)
    yy, xx = np.mgrid[0:128, 0:128]
    for i in range(8):
        cy, cx, r = rng.integers(40, 88), rng.integers(40, 88), rng.integers(15, 35)
        lesion = ((yy - cy) ** 2 + (xx - cx) ** 2) < r ** 2
        img = np.stack([rng.normal(200, 10, (128, 128))] * 3, -1)
        img[lesion] = [120, 70, 50]
        Image.fromarray(img.clip(0, 255).astype(np.uint8)).save(f"isic2018/images/ISIC_{24306 + i:07d}.jpg")
        Image.fromarray(lesion.astype(np.uint8)).save(f"isic2018/masks/ISIC_{24306 + i:07d}.png")
''')
rice = imgs(class_folder("rice_leaf/train", ("bacterial_blight", "blast", "brownspot", "tungro"), 4))
drive = prep('''
    import os
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(80)
    os.makedirs("drive/images", exist_ok=True)
    os.makedirs("drive/masks", exist_ok=True)
    yy, xx = np.mgrid[0:128, 0:128]
    for i in range(6):
        mask = np.zeros((128, 128), dtype=np.uint8)
        for k in range(5):
            mask[np.abs(yy - (20 + 20 * k) - 8 * np.sin(xx / (9.0 + i))) < 1.5] = 1     # vessels
        mask[((yy - 64) ** 2 + (xx - 96) ** 2) < 144] = 2                          # optic disc
        img = np.stack([150 - 60 * (mask == 1) + 80 * (mask == 2)] * 3, -1) + rng.normal(0, 8, (128, 128, 3))
        Image.fromarray(img.clip(0, 255).astype(np.uint8)).save(f"drive/images/{21 + i:02d}_training.png")
        Image.fromarray(mask).save(f"drive/masks/{21 + i:02d}_training.png")
''')
digits = imgs(class_folder("digits/train", [str(d) for d in range(10)], 4, size=(28, 28), mode="L", ext="png"))
imagenette = both(imgs(class_folder("imagenette/val", ("n01440764", "n02102040", "n02979186", "n03000684"), 4,
                                    size=(160, 160))),
                  prep('''
    import torch, torchvision
    torch.manual_seed(0)
    torch.save(torchvision.models.resnet18(num_classes=10).state_dict(), "imagenette_resnet18.pth")
'''))
WASTE = ("cardboard", "glass", "metal")
waste = imgs(class_folder("waste/train", WASTE, 44, size=(48, 48)) + class_folder("waste/test", WASTE, 4, size=(48, 48)))
hardhat_model = both(save_tiny('["head", "helmet", "person"]', 3, "models/tiny-yolov3_hardhat_last.pt",
                               "json/hardhat_tiny-yolov3_detection_config.json"),
                     imgs([(f"site_camera/frame_{i:05d}.jpg", (320, 240), "RGB") for i in range(8)]))
PETS = ("cat", "dog", "rabbit")
pets = imgs(class_folder("pets/train", PETS, 4) + class_folder("pets/test", PETS, 2))


def cases():
    out = []

    def script(key, cause, forms=("cpython_basic",), setup=None, env=None, argv=(), **kw):
        out.append(Case("torch-cuda7-" + key, cause, list(forms), {"train.py": SCRIPTS[key]}, setup=setup,
                        env=env or {}, argv=["train.py", *argv], **kw))

    def notebook(key, cause, forms=("ipython_cell", "ipython_arrows?"), setup=None, **kw):
        out.append(Case("torch-cuda7-" + key, cause, list(forms), nb(CELLS[key]), argv=["nb_runner.py"],
                        home_is_project=True, setup=setup, **kw))

    assertf = ("cpython_basic", "cuda_device_assert?", "cuda_assert?", "cpp_frames?")
    # device-side asserts: labels and indices
    script("ner-bilstm-tags-padded-minus-one", "data.label_out_of_range", (*assertf, "progress_bars?"), setup=conll,
           also=["model.api_misuse"])
    script("char-rnn-unknown-char-index-equals-vocab-size", "data.label_out_of_range", assertf, setup=names,
           also=["model.output_mismatch"])
    script("modelnet-voxel-grid-upper-face-index-32", "data.label_out_of_range", assertf, setup=modelnet,
           also=["other"])
    script("cityscapes-instance-ids-through-trainid-lut", "data.label_out_of_range", assertf, setup=cityscapes,
           also=["data.missing_or_corrupt"])
    # out of memory
    oomf = ("cpython_basic", "cuda_oom")
    script("oom-convnext-large-384-kaggle-p100", "resource.gpu_oom", (*oomf, "progress_bars?"), setup=plant)
    script("oom-simclr-batch-512-two-views-rtx-4090", "resource.gpu_oom", oomf, setup=stl10)
    script("oom-ddpm-unet-256px-rtx-3060", "resource.gpu_oom", oomf, setup=celeba)
    notebook("notebook-oom-imdb-pad-to-longest-handwritten-attention", "resource.gpu_oom",
             ("ipython_cell", "ipython_arrows?", "cuda_oom"), setup=imdb)
    # two devices
    script("wgan-gp-interpolation-alpha-on-cpu", "env.device_mismatch", setup=anime)
    script("clip-contrastive-targets-arange-on-cpu", "env.device_mismatch", setup=flickr)
    notebook("notebook-seq2seq-greedy-decode-sos-on-cpu", "env.device_mismatch", setup=write("spa.txt", SPA))
    script("pytorch-gan-cuda-floattensor-of-torch-noise", "env.device_mismatch", setup=kmnist,
           also=["model.api_misuse"])
    # mixed precision
    script("gradscaler-optimizer-step-directly-then-update", "model.api_misuse", ("cpython_basic", "progress_bars?"),
           setup=birds)
    notebook("notebook-amp-zero-grad-between-backward-and-step", "model.api_misuse", setup=garbage,
             also=["optim.autograd_graph"])
    # dtypes that only the CPU kernels take
    script("objectness-targets-max-pool-uint8-masks", "data.dtype", setup=severstal)
    script("boundary-loss-integer-laplacian-kernel", "data.dtype", setup=isic)
    # CUDA in forked workers
    script("transform-lambda-to-cuda-in-workers", "env.multiprocessing", ("cpython_basic", "dataloader_worker?",
                                                                           "progress_bars?"), setup=rice,
           also=["env.device_mismatch"])
    # deterministic algorithms
    script("seg-deterministic-algorithms-cross-entropy-2d", "other", setup=drive, also=["env.cuda_setup"])
    # plain bugs
    notebook("notebook-logreg-from-scratch-weights-cuda-non-leaf", "optim.autograd_graph", setup=digits,
             also=["model.api_misuse"])
    script("adversarial-patch-requires-grad-then-to-device", "optim.autograd_graph", setup=imagenette,
           also=["model.api_misuse"])
    # ImageAI 3 on the GPU
    script("imageai-resnet50-batch-128-8gb-card", "resource.gpu_oom", (*oomf, "progress_bars?"), framework="imageai",
           setup=waste)
    script("imageai-custom-detector-inside-dataloader-workers", "env.multiprocessing",
           ("cpython_basic", "dataloader_worker?", "progress_bars?"), framework="imageai", setup=hardhat_model)
    notebook("notebook-imageai-trainer-after-set-default-device-cuda", "env.device_mismatch",
             ("ipython_cell", "ipython_arrows?", "progress_bars?"), framework="imageai", setup=pets,
             also=["model.api_misuse"])
    return out


if __name__ == "__main__":
    sys.exit(run_gpu_cases(cases(), SRC, jobs=6))
