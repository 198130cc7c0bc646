"""An eighth set of failures that only a GPU shows: PyTorch / torchvision / ImageAI 3 training on CUDA.
Untargeted: first-GPU users of PyTorch and ImageAI 3 (Colab, Kaggle, a rented card, a lab
workstation). Device-side asserts from kernels the first seven sets do not reach this way: CheXpert
studies whose uncertain findings are kept as ``-1.0`` under ``nn.BCELoss`` (``binary_cross_entropy``
target check), a character LSTM sampled with ``temperature=0`` for "greedy" output so the softmax
is NaN (``torch.multinomial``'s asynchronous probability check; notebook), a bike-sharing demand
model that one-hot encodes ``isoweekday()`` (1..7) into 7 columns (``F.one_hot``, i.e. ``scatter``),
a leaf-instance discriminative loss that ``scatter_add_``-s pixel embeddings by the raw object ids
of the annotation tool, and a fastText classifier whose ``nn.EmbeddingBag`` is sized by a
``MAX_VOCAB`` that the vocabulary never applied (``EmbeddingBag`` index check). Out of memory (a
cap in GiB on the big card stands in for a small one): test-time augmentation of a Kaggle
submission run in ``eval()`` but without ``no_grad``, so every TTA prediction kept in a list holds
its graph (notebook); "gradient accumulation" that keeps the 16 micro-batch losses in a list and
calls ``backward`` once on their mean; a U-Net validated at batch 128 on 512 px tiles; and an ImageAI
3 YOLOv3 trainer at batch 32 on a 4 GB laptop card. Tensors on two devices: a log-mel front end
whose filterbank is a plain tensor attribute, not a buffer; a ``BCEWithLogitsLoss`` whose
``pos_weight`` comes from numpy tag counts and stays on the CPU; a character GPT whose causal mask
is built in ``forward`` with ``torch.tril(torch.ones(T, T))`` (notebook); a DDPM noise schedule kept
on the CPU and indexed by CUDA timesteps; and a hand-written running confusion-matrix metric with a
CPU state (notebook). Mixed precision and bfloat16: MoCo logits computed outside the bf16
``autocast`` region against the float32 queue, a whole batch dict cast to bf16 so the token ids too
(notebook), and a Glow flow made bf16 whose invertible 1x1 convolution takes ``slogdet``.
DataParallel and device indices: a torchrun script started with ``python`` (``LOCAL_RANK`` -1 into
``torch.device``), ``model.module`` saved when ``DataParallel`` was only used with two cards, and an
ImageAI 3 ``CustomImageClassification`` given a checkpoint saved from a ``DataParallel`` wrapper
(notebook). Determinism: a fastai-style ``AdaptiveConcatPool2d`` head (``adaptive_max_pool2d``
backward) and an expected-calibration-error metric with ``torch.histc``, both under
``use_deterministic_algorithms(True)``. ImageAI 3 on the GPU besides: a TinyYOLOv3 trainer started
in a notebook whose first cell called ``torch.set_grad_enabled(False)``.

Every case is a small real program; the label is known by construction. It needs a CUDA GPU
(recorded on an NVIDIA H200 with torch 2.11 + cu130, through the device tool, see the README: all
23 failed as built, in one run of ``bench/gpu_check.sh``; g205, scored 0.91 top-1 and 0.91 top-3
before any rule for it); without one it writes nothing.

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_cuda8.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _record import Case, both, class_folder, imgs, nb, oom_head, prep, run_gpu_cases, yolo_layout  # noqa: E402

SRC = "corpus/generators/torch_cuda8.py"

SCRIPTS = {}
CELLS = {}

# ------------------------------------------------------------------ device-side asserts
SCRIPTS["chexpert-uncertain-findings-minus-one-bce"] = '''
import csv

import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms
from tqdm import tqdm

device = torch.device("cuda")
PATHOLOGIES = ["Atelectasis", "Cardiomegaly", "Consolidation", "Edema", "Pleural Effusion"]


class CheXpert(Dataset):
    """CheXpert-v1.0-small: 1.0 positive, 0.0 negative, -1.0 uncertain, blank = not mentioned"""

    def __init__(self, csv_path, transform):
        with open(csv_path, newline="") as f:
            self.rows = [r for r in csv.DictReader(f) if r["Frontal/Lateral"] == "Frontal"]
        self.transform = transform

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        row = self.rows[i]
        img = Image.open(row["Path"]).convert("RGB")
        labels = torch.tensor([float(row[p]) if row[p] else 0.0 for p in PATHOLOGIES])
        return self.transform(img), labels


tf = transforms.Compose([transforms.Resize((224, 224)), transforms.RandomHorizontalFlip(), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
train_set = CheXpert("CheXpert-v1.0-small/train.csv", tf)
loader = DataLoader(train_set, batch_size=8, shuffle=True, num_workers=2, pin_memory=True)

# CheXNet: DenseNet-121 with one sigmoid output per finding
model = torchvision.models.densenet121(weights=None)
model.classifier = nn.Sequential(nn.Linear(model.classifier.in_features, len(PATHOLOGIES)), nn.Sigmoid())
model = model.to(device)
criterion = nn.BCELoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4, betas=(0.9, 0.999))
print(f"{len(train_set)} frontal studies, findings: {PATHOLOGIES}")
for epoch in range(3):
    model.train()
    pbar = tqdm(loader, desc=f"epoch {epoch + 1}")
    for images, labels in pbar:
        images, labels = images.to(device, non_blocking=True), labels.to(device, non_blocking=True)
        loss = criterion(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        pbar.set_postfix(loss=f"{loss.item():.4f}")
'''
CELLS["notebook-char-lstm-sample-temperature-zero"] = [
    '''import torch
import torch.nn as nn
import torch.nn.functional as F

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
text = open("tinyshakespeare.txt", encoding="utf-8").read()
chars = sorted(set(text))
stoi = {c: i for i, c in enumerate(chars)}
itos = {i: c for c, i in stoi.items()}
data = torch.tensor([stoi[c] for c in text])
print(device, f"{len(text):,} characters, {len(chars)} distinct")''',
    '''class CharLSTM(nn.Module):
    def __init__(self, vocab, emb=64, hidden=256, layers=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, emb)
        self.lstm = nn.LSTM(emb, hidden, layers, batch_first=True, dropout=0.2)
        self.head = nn.Linear(hidden, vocab)

    def forward(self, x, state=None):
        out, state = self.lstm(self.emb(x), state)
        return self.head(out), state


model = CharLSTM(len(chars)).to(device)
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3)
SEQ, BATCH = 100, 64
for step in range(301):
    ix = torch.randint(0, len(data) - SEQ - 1, (BATCH,))
    x = torch.stack([data[i:i + SEQ] for i in ix]).to(device)
    y = torch.stack([data[i + 1:i + SEQ + 1] for i in ix]).to(device)
    logits, _ = model(x)
    loss = F.cross_entropy(logits.reshape(-1, len(chars)), y.reshape(-1))
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if step % 100 == 0:
        print(f"step {step}: loss {loss.item():.3f}")''',
    '''@torch.no_grad()
def generate(model, prompt, n=200, temperature=1.0):
    model.eval()
    logits, state = model(torch.tensor([[stoi[c] for c in prompt]], device=device))
    out = list(prompt)
    for _ in range(n):
        probs = F.softmax(logits[:, -1] / temperature, dim=-1)
        nxt = torch.multinomial(probs, num_samples=1)
        out.append(itos[nxt.item()])
        logits, state = model(nxt, state)
    return "".join(out)


print(generate(model, "ROMEO:", temperature=0.8))''',
    '''# temperature 0: always the most likely character, for a deterministic sample
print(generate(model, "JULIET:", temperature=0))''',
]
SCRIPTS["bike-demand-isoweekday-one-hot-seven"] = '''
import csv
from datetime import datetime

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset, random_split

device = torch.device("cuda")
with open("bike-sharing/hour.csv", newline="") as f:
    rows = list(csv.DictReader(f))
dates = [datetime.strptime(r["dteday"], "%Y-%m-%d") for r in rows]
hour = torch.tensor([int(r["hr"]) for r in rows])
weekday = torch.tensor([d.isoweekday() for d in dates])              # day of the week, from the date itself
numeric = torch.tensor([[float(r[c]) for c in ("temp", "atemp", "hum", "windspeed", "holiday", "workingday")]
                        for r in rows])
target = torch.log1p(torch.tensor([float(r["cnt"]) for r in rows]))
train_set, val_set = random_split(TensorDataset(hour, weekday, numeric, target), [0.8, 0.2],
                                  generator=torch.Generator().manual_seed(0))
print(f"{len(train_set)} train / {len(val_set)} val hours, {dates[0]:%Y-%m-%d} .. {dates[-1]:%Y-%m-%d}")


class DemandNet(nn.Module):
    def __init__(self, n_numeric, hidden=128):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(24 + 7 + n_numeric, hidden), nn.ReLU(), nn.Dropout(0.1),
                                 nn.Linear(hidden, hidden), nn.ReLU(), nn.Linear(hidden, 1))

    def forward(self, hour, weekday, numeric):
        x = torch.cat([F.one_hot(hour, 24).float(), F.one_hot(weekday, 7).float(), numeric], dim=1)
        return self.mlp(x).squeeze(1)


model = DemandNet(numeric.size(1)).to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-5)
train_loader = DataLoader(train_set, batch_size=256, shuffle=True)
val_loader = DataLoader(val_set, batch_size=1024)
for epoch in range(60):
    model.train()
    total = 0.0
    for h, wd, num, y in train_loader:
        h, wd, num, y = h.to(device), wd.to(device), num.to(device), y.to(device)
        loss = F.mse_loss(model(h, wd, num), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item() * len(y)
    model.eval()
    with torch.no_grad():
        val = sum(F.mse_loss(model(h.to(device), wd.to(device), num.to(device)), y.to(device), reduction="sum").item()
                  for h, wd, num, y in val_loader)
    print(f"epoch {epoch}: train RMSLE {(total / len(train_set)) ** 0.5:.4f}, val RMSLE {(val / len(val_set)) ** 0.5:.4f}")
'''
SCRIPTS["leaf-instances-discriminative-loss-raw-object-ids"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset

device = torch.device("cuda")
EMBED_DIM = 8


class LeafInstances(Dataset):
    """plantXXX_rgb.png + plantXXX_label.png: 0 = background, one object id per leaf"""

    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/*_rgb.png"))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = np.asarray(Image.open(self.images[i]).convert("RGB"), dtype=np.float32) / 255.0
        label = np.asarray(Image.open(self.images[i].replace("_rgb", "_label")), dtype=np.int64)
        return torch.from_numpy(img).permute(2, 0, 1), torch.from_numpy(label)


def conv(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class EmbedNet(nn.Module):
    def __init__(self, dim=EMBED_DIM):
        super().__init__()
        self.enc1, self.enc2, self.enc3 = conv(3, 32), conv(32, 64), conv(64, 128)
        self.dec2, self.dec1 = conv(128 + 64, 64), conv(64 + 32, 32)
        self.out = nn.Conv2d(32, dim, 1)

    def forward(self, x):
        e1 = self.enc1(x)
        e2 = self.enc2(F.max_pool2d(e1, 2))
        e3 = self.enc3(F.max_pool2d(e2, 2))
        d2 = self.dec2(torch.cat([F.interpolate(e3, scale_factor=2.0), e2], 1))
        d1 = self.dec1(torch.cat([F.interpolate(d2, scale_factor=2.0), e1], 1))
        return self.out(d1)


def discriminative_loss(embedding, instances, delta_v=0.5, delta_d=1.5):
    """De Brabandere et al. 2017: pull the pixels of a leaf to its mean, push the leaf means apart"""
    total = 0.0
    for emb, inst in zip(embedding, instances):
        fg = inst > 0
        ids = inst[fg] - 1                                        # leaf k -> row k - 1
        feats = emb[:, fg].t()                                    # (pixels, EMBED_DIM)
        n = len(torch.unique(ids))
        sums = torch.zeros(n, feats.size(1), device=emb.device).scatter_add_(
            0, ids.unsqueeze(1).expand(-1, feats.size(1)), feats)
        counts = torch.zeros(n, device=emb.device).scatter_add_(0, ids, torch.ones_like(feats[:, 0]))
        means = sums / counts.unsqueeze(1)
        pull = F.relu((feats - means[ids]).norm(dim=1) - delta_v).pow(2).mean()
        dist = torch.cdist(means, means) + 2 * delta_d * torch.eye(n, device=emb.device)
        push = F.relu(2 * delta_d - dist).pow(2).sum() / max(n * (n - 1), 1)
        total = total + pull + push + 0.001 * means.norm(dim=1).mean()
    return total / len(embedding)


loader = DataLoader(LeafInstances("cvppp/A1"), batch_size=4, shuffle=True)
model = EmbedNet().to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(100):
    model.train()
    for img, inst in loader:
        img, inst = img.to(device), inst.to(device)
        loss = discriminative_loss(model(img), inst)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''
SCRIPTS["fasttext-embeddingbag-max-vocab-never-applied"] = '''
import csv
import re
from collections import Counter

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from tqdm import tqdm

device = torch.device("cuda")
MAX_VOCAB, EMBED_DIM = 3000, 64
CLASSES = ["World", "Sports", "Business", "Sci/Tech"]

with open("ag_news/train.csv", newline="", encoding="utf-8") as f:
    rows = [(int(label) - 1, f"{title} {description}") for label, title, description in csv.reader(f)]
tokenize = lambda s: re.findall(r"[a-z0-9']+", s.lower())
counter = Counter(tok for _, text in rows for tok in tokenize(text))
vocab = {tok: i + 1 for i, (tok, _) in enumerate(counter.most_common())}      # 0: unknown word
print(f"{len(rows)} articles, {len(counter)} distinct tokens; keeping the {MAX_VOCAB} most frequent")


def collate(batch):
    labels, ids, lengths = [], [], []
    for label, text in batch:
        tokens = torch.tensor([vocab.get(tok, 0) for tok in tokenize(text)], dtype=torch.int64)
        labels.append(label)
        ids.append(tokens)
        lengths.append(len(tokens))
    offsets = torch.tensor([0] + lengths[:-1]).cumsum(0)
    return torch.tensor(labels), torch.cat(ids), offsets


class FastText(nn.Module):
    def __init__(self, vocab_size, dim, n_classes):
        super().__init__()
        self.embedding = nn.EmbeddingBag(vocab_size, dim, mode="mean")
        self.fc = nn.Linear(dim, n_classes)
        self.embedding.weight.data.uniform_(-0.5, 0.5)
        self.fc.weight.data.uniform_(-0.5, 0.5)
        self.fc.bias.data.zero_()

    def forward(self, ids, offsets):
        return self.fc(self.embedding(ids, offsets))


model = FastText(MAX_VOCAB + 1, EMBED_DIM, len(CLASSES)).to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=5.0)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, 1, gamma=0.1)
loader = DataLoader(rows, batch_size=64, shuffle=True, collate_fn=collate)
for epoch in range(10):
    model.train()
    pbar = tqdm(loader, desc=f"epoch {epoch + 1}")
    for labels, ids, offsets in pbar:
        labels, ids, offsets = labels.to(device), ids.to(device), offsets.to(device)
        loss = criterion(model(ids, offsets), labels)
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 0.1)
        optimizer.step()
        pbar.set_postfix(loss=f"{loss.item():.3f}")
    scheduler.step()
'''

# ------------------------------------------------------------------ out of memory
CELLS["notebook-oom-tta-predictions-without-no-grad"] = [
    oom_head("16", "Kaggle's P100, 16 GB").strip() + '''
import glob
import os

import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms
from tqdm.auto import tqdm

device = torch.device("cuda")
CLASSES = ["Cassava Bacterial Blight (CBB)", "Cassava Brown Streak Disease (CBSD)", "Cassava Green Mottle (CGM)",
           "Cassava Mosaic Disease (CMD)", "Healthy"]
model = torchvision.models.efficientnet_b0(num_classes=len(CLASSES))
model.load_state_dict(torch.load("models/effnet_b0_fold0.pth", map_location=device))
model = model.to(device)
model.eval()
print(torch.cuda.get_device_name(0), f"{sum(p.numel() for p in model.parameters()) / 1e6:.1f}M parameters")''',
    '''class TestImages(Dataset):
    def __init__(self, folder, size=384):
        self.files = sorted(glob.glob(os.path.join(folder, "*.jpg")))
        self.tf = transforms.Compose([transforms.Resize((size, size)), transforms.ToTensor(),
                                      transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        return self.tf(Image.open(self.files[i]).convert("RGB")), os.path.basename(self.files[i])


test_loader = DataLoader(TestImages("test_images"), batch_size=16, num_workers=2)
TTA = [lambda x: x, lambda x: x.flip(3), lambda x: x.flip(2), lambda x: x.transpose(2, 3),
       lambda x: x.flip(2).flip(3), lambda x: x.transpose(2, 3).flip(3)]
print(len(test_loader.dataset), "test images,", len(TTA), "TTA views")''',
    '''predictions, names = [], []
for images, files in tqdm(test_loader):
    images = images.to(device)
    probs = torch.stack([model(t(images)).softmax(1) for t in TTA]).mean(0)
    predictions.append(probs)
    names += list(files)
labels = torch.cat(predictions).argmax(1).tolist()
print(len(labels), "predictions")''',
    '''with open("submission.csv", "w") as f:
    f.write("image_id,label\\n")
    f.writelines(f"{n},{label}\\n" for n, label in zip(names, labels))''',
]
SCRIPTS["oom-grad-accumulation-keeps-micro-batch-losses"] = oom_head("8", "an 8 GB RTX 3070") + '''
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from tqdm import tqdm

device = torch.device("cuda")
MICRO_BATCH, ACCUM_STEPS = 16, 16          # an effective batch of 256 as in the paper, on an 8 GB card

tf = transforms.Compose([transforms.RandomResizedCrop(224), transforms.RandomHorizontalFlip(), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
train_set = datasets.ImageFolder("food-101/train", transform=tf)
loader = DataLoader(train_set, batch_size=MICRO_BATCH, shuffle=True, num_workers=4, pin_memory=True, drop_last=True)
model = torchvision.models.resnet50(num_classes=len(train_set.classes)).to(device)
criterion = nn.CrossEntropyLoss(label_smoothing=0.1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-4, nesterov=True)
print(f"{len(train_set)} images, {len(train_set.classes)} classes, effective batch {MICRO_BATCH * ACCUM_STEPS}")
for epoch in range(90):
    model.train()
    micro_losses = []
    for step, (x, y) in enumerate(tqdm(loader, desc=f"epoch {epoch}")):
        x, y = x.to(device, non_blocking=True), y.to(device, non_blocking=True)
        micro_losses.append(criterion(model(x), y))
        if (step + 1) % ACCUM_STEPS == 0:
            loss = torch.stack(micro_losses).mean()          # mean over the 256 images
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            micro_losses = []
    print(f"epoch {epoch}: {loss.item():.4f}")
'''
SCRIPTS["oom-unet-validation-batch-128-at-512px"] = oom_head("12", "a 12 GB RTX 3060") + '''
import argparse
import glob

import numpy as np
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from tqdm import tqdm

parser = argparse.ArgumentParser()
parser.add_argument("--size", type=int, default=512)
parser.add_argument("--batch-size", type=int, default=4)
parser.add_argument("--val-batch-size", type=int, default=128)   # no gradients at validation: a much bigger batch
parser.add_argument("--epochs", type=int, default=40)
args = parser.parse_args()
device = torch.device("cuda")


class Buildings(Dataset):
    """Massachusetts buildings tiles: RGB images and 0/255 masks with the same file names"""

    def __init__(self, root, size):
        self.images = sorted(glob.glob(f"{root}/images/*.png"))
        self.size = size

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = Image.open(self.images[i]).convert("RGB").resize((self.size, self.size), Image.BILINEAR)
        mask = Image.open(self.images[i].replace("/images/", "/masks/")).resize((self.size, self.size), Image.NEAREST)
        img = torch.from_numpy(np.asarray(img, dtype=np.float32) / 255.0).permute(2, 0, 1)
        return img, torch.from_numpy((np.asarray(mask) > 127).astype(np.float32))[None]


def double_conv(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
                         nn.Conv2d(cout, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class UNet(nn.Module):
    def __init__(self, ch=(64, 128, 256, 512)):
        super().__init__()
        self.downs = nn.ModuleList([double_conv(cin, cout) for cin, cout in zip((3,) + ch[:-1], ch)])
        self.ups = nn.ModuleList([nn.ConvTranspose2d(c, c // 2, 2, stride=2) for c in ch[:0:-1]])
        self.decs = nn.ModuleList([double_conv(c, c // 2) for c in ch[:0:-1]])
        self.head = nn.Conv2d(ch[0], 1, 1)

    def forward(self, x):
        skips = []
        for i, down in enumerate(self.downs):
            x = down(x if i == 0 else F.max_pool2d(x, 2))
            skips.append(x)
        for up, dec, skip in zip(self.ups, self.decs, skips[-2::-1]):
            x = dec(torch.cat([up(x), skip], 1))
        return self.head(x)


train_loader = DataLoader(Buildings("massachusetts/train", args.size), batch_size=args.batch_size, shuffle=True,
                          num_workers=4)
val_loader = DataLoader(Buildings("massachusetts/val", args.size), batch_size=args.val_batch_size, num_workers=4)
model = UNet().to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
for epoch in range(args.epochs):
    model.train()
    for img, mask in tqdm(train_loader, desc=f"train {epoch}"):
        img, mask = img.to(device), mask.to(device)
        loss = F.binary_cross_entropy_with_logits(model(img), mask)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    inter = union = 0.0
    with torch.no_grad():
        for img, mask in tqdm(val_loader, desc=f"val {epoch}"):
            img, mask = img.to(device), mask.to(device)
            pred = (model(img) > 0).float()
            inter += (pred * mask).sum().item()
            union += ((pred + mask) > 0).sum().item()
    print(f"epoch {epoch}: loss {loss.item():.4f}, val IoU {inter / max(union, 1):.4f}")
'''
SCRIPTS["imageai-yolov3-batch-32-gtx-1650-4gb"] = oom_head("4", "a 4 GB GTX 1650 in a gaming laptop") + '''
from imageai.Detection.Custom import DetectionModelTrainer

print("GPU:", torch.cuda.get_device_name(0))
trainer = DetectionModelTrainer()
trainer.setModelTypeAsYOLOv3()
trainer.setDataDirectory(data_directory="fruits")
trainer.setTrainConfig(object_names_array=["apple", "banana", "orange"], batch_size=32, num_experiments=100)
trainer.trainModel()
'''

# ------------------------------------------------------------------ tensors on two devices
SCRIPTS["log-mel-frontend-filterbank-plain-attribute"] = '''
import glob
import os
import wave

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset

device = torch.device("cuda")
SAMPLE_RATE = 16000


def mel_filterbank(sr, n_fft, n_mels, fmin=20.0, fmax=None):
    """HTK-style triangular mel filters as a (n_fft // 2 + 1, n_mels) matrix"""
    fmax = fmax or sr / 2
    to_mel = lambda f: 2595.0 * np.log10(1.0 + f / 700.0)
    to_hz = lambda m: 700.0 * (10 ** (m / 2595.0) - 1.0)
    points = to_hz(np.linspace(to_mel(fmin), to_mel(fmax), n_mels + 2))
    freqs = np.linspace(0, sr / 2, n_fft // 2 + 1)
    fb = np.zeros((len(freqs), n_mels))
    for m in range(n_mels):
        lo, centre, hi = points[m], points[m + 1], points[m + 2]
        fb[:, m] = np.clip(np.minimum((freqs - lo) / (centre - lo), (hi - freqs) / (hi - centre)), 0, None)
    return fb


class LogMel(nn.Module):
    """the log-mel front end on the GPU, so the data loader only reads the wav files"""

    def __init__(self, sr=SAMPLE_RATE, n_fft=512, hop=160, n_mels=64):
        super().__init__()
        self.n_fft, self.hop = n_fft, hop
        self.mel_fb = torch.tensor(mel_filterbank(sr, n_fft, n_mels), dtype=torch.float32)

    def forward(self, wav):
        window = torch.hann_window(self.n_fft, device=wav.device)
        spec = torch.stft(wav, self.n_fft, self.hop, window=window, return_complex=True)
        power = spec.abs().pow(2).transpose(1, 2)                  # (batch, frames, freqs)
        return torch.log(power @ self.mel_fb + 1e-6).unsqueeze(1)   # (batch, 1, frames, mels)


class SpeechCommands(Dataset):
    def __init__(self, root):
        self.words = sorted(os.listdir(root))
        self.files = [(f, i) for i, w in enumerate(self.words) for f in sorted(glob.glob(f"{root}/{w}/*.wav"))]

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        path, label = self.files[i]
        with wave.open(path) as w:
            x = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).astype(np.float32) / 32768.0
        x = np.pad(x, (0, max(0, SAMPLE_RATE - len(x))))[:SAMPLE_RATE]        # one second
        return torch.from_numpy(x), label


class KeywordCNN(nn.Module):
    def __init__(self, n_words):
        super().__init__()
        self.frontend = LogMel()
        self.features = nn.Sequential(
            nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(64, 128, 3, padding=1), nn.BatchNorm2d(128), nn.ReLU(), nn.AdaptiveAvgPool2d(1))
        self.fc = nn.Linear(128, n_words)

    def forward(self, wav):
        return self.fc(self.features(self.frontend(wav)).flatten(1))


data = SpeechCommands("speech_commands")
loader = DataLoader(data, batch_size=16, shuffle=True, num_workers=2)
model = KeywordCNN(len(data.words)).to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
print(f"{len(data)} clips, words: {data.words}")
for epoch in range(30):
    model.train()
    for wav, y in loader:
        wav, y = wav.to(device), y.to(device)
        loss = F.cross_entropy(model(wav), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''
SCRIPTS["planet-bce-pos-weight-from-tag-counts-on-cpu"] = '''
import csv

import numpy as np
import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms
from tqdm import tqdm

device = torch.device("cuda")
with open("planet/train_v2.csv", newline="") as f:
    rows = list(csv.DictReader(f))
TAGS = sorted({t for r in rows for t in r["tags"].split()})
Y = np.array([[t in r["tags"].split() for t in TAGS] for r in rows], dtype=np.float32)
pos_weight = torch.from_numpy((len(Y) - Y.sum(0)) / Y.sum(0))        # rare tags (road, water, ...) weigh more
print(f"{len(rows)} chips, {len(TAGS)} tags, pos_weight {np.round(pos_weight.numpy(), 1)}")


class PlanetChips(Dataset):
    def __init__(self, rows, labels, transform):
        self.rows, self.labels, self.transform = rows, labels, transform

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        img = Image.open(f"planet/train-jpg/{self.rows[i]['image_name']}.jpg").convert("RGB")
        return self.transform(img), torch.from_numpy(self.labels[i])


tf = transforms.Compose([transforms.Resize(128), transforms.RandomHorizontalFlip(), transforms.RandomVerticalFlip(),
                         transforms.ToTensor(), transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
loader = DataLoader(PlanetChips(rows, Y, tf), batch_size=16, shuffle=True, num_workers=2)
model = torchvision.models.resnet34(num_classes=len(TAGS)).to(device)
criterion = nn.BCEWithLogitsLoss(pos_weight=pos_weight)
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4, weight_decay=1e-2)
for epoch in range(20):
    model.train()
    pbar = tqdm(loader, desc=f"epoch {epoch}")
    for x, y in pbar:
        x, y = x.to(device), y.to(device)
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        pbar.set_postfix(loss=f"{loss.item():.4f}")
'''
CELLS["notebook-char-gpt-causal-mask-built-in-forward"] = [
    '''import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(1337)
device = "cuda" if torch.cuda.is_available() else "cpu"
block_size, batch_size, n_embd, n_head, n_layer, dropout = 64, 32, 128, 4, 4, 0.1
text = open("tinyshakespeare.txt", encoding="utf-8").read()
chars = sorted(set(text))
stoi = {ch: i for i, ch in enumerate(chars)}
data = torch.tensor([stoi[c] for c in text], dtype=torch.long)
n = int(0.9 * len(data))
train_data, val_data = data[:n], data[n:]


def get_batch(split):
    d = train_data if split == "train" else val_data
    ix = torch.randint(len(d) - block_size, (batch_size,))
    x = torch.stack([d[i:i + block_size] for i in ix])
    y = torch.stack([d[i + 1:i + block_size + 1] for i in ix])
    return x.to(device), y.to(device)


print(device, len(text), "characters,", len(chars), "distinct")''',
    '''class Head(nn.Module):
    def __init__(self, head_size):
        super().__init__()
        self.key = nn.Linear(n_embd, head_size, bias=False)
        self.query = nn.Linear(n_embd, head_size, bias=False)
        self.value = nn.Linear(n_embd, head_size, bias=False)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x):
        B, T, C = x.shape
        k, q, v = self.key(x), self.query(x), self.value(x)
        wei = q @ k.transpose(-2, -1) * k.size(-1) ** -0.5
        tril = torch.tril(torch.ones(T, T))                # causal mask: no looking at the next characters
        wei = wei.masked_fill(tril == 0, float("-inf"))
        return self.dropout(F.softmax(wei, dim=-1)) @ v


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.heads = nn.ModuleList([Head(n_embd // n_head) for _ in range(n_head)])
        self.proj = nn.Linear(n_embd, n_embd)
        self.ffwd = nn.Sequential(nn.Linear(n_embd, 4 * n_embd), nn.ReLU(), nn.Linear(4 * n_embd, n_embd),
                                  nn.Dropout(dropout))
        self.ln1, self.ln2 = nn.LayerNorm(n_embd), nn.LayerNorm(n_embd)

    def forward(self, x):
        x = x + self.proj(torch.cat([h(self.ln1(x)) for h in self.heads], dim=-1))
        return x + self.ffwd(self.ln2(x))


class GPT(nn.Module):
    def __init__(self, vocab_size):
        super().__init__()
        self.tok = nn.Embedding(vocab_size, n_embd)
        self.pos = nn.Embedding(block_size, n_embd)
        self.blocks = nn.Sequential(*[Block() for _ in range(n_layer)])
        self.ln_f = nn.LayerNorm(n_embd)
        self.lm_head = nn.Linear(n_embd, vocab_size)

    def forward(self, idx, targets=None):
        B, T = idx.shape
        x = self.tok(idx) + self.pos(torch.arange(T, device=idx.device))
        logits = self.lm_head(self.ln_f(self.blocks(x)))
        loss = None if targets is None else F.cross_entropy(logits.view(B * T, -1), targets.view(B * T))
        return logits, loss


model = GPT(len(chars)).to(device)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
print(sum(p.numel() for p in model.parameters()) / 1e6, "M parameters")''',
    '''for it in range(3000):
    xb, yb = get_batch("train")
    logits, loss = model(xb, yb)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    if it % 500 == 0:
        print(f"step {it}: train loss {loss.item():.4f}")''',
]
SCRIPTS["ddpm-noise-schedule-on-cpu-cuda-timesteps"] = '''
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

device = torch.device("cuda")


class LinearNoiseSchedule:
    """the forward process of DDPM (Ho et al. 2020)"""

    def __init__(self, timesteps=1000, beta_start=1e-4, beta_end=0.02):
        self.timesteps = timesteps
        self.betas = torch.linspace(beta_start, beta_end, timesteps)
        self.alphas = 1.0 - self.betas
        self.alphas_cumprod = torch.cumprod(self.alphas, dim=0)

    def add_noise(self, x0, noise, t):
        sqrt_ab = self.alphas_cumprod[t].sqrt().view(-1, 1, 1, 1)
        sqrt_one_minus_ab = (1.0 - self.alphas_cumprod[t]).sqrt().view(-1, 1, 1, 1)
        return sqrt_ab * x0 + sqrt_one_minus_ab * noise


def time_embedding(t, dim):
    half = dim // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, device=t.device) / half)
    args = t.float()[:, None] * freqs[None]
    return torch.cat([args.sin(), args.cos()], dim=1)


class Block(nn.Module):
    def __init__(self, cin, cout, tdim):
        super().__init__()
        self.conv1, self.conv2 = nn.Conv2d(cin, cout, 3, padding=1), nn.Conv2d(cout, cout, 3, padding=1)
        self.norm1, self.norm2 = nn.GroupNorm(8, cout), nn.GroupNorm(8, cout)
        self.t = nn.Linear(tdim, cout)

    def forward(self, x, temb):
        h = F.silu(self.norm1(self.conv1(x))) + self.t(temb)[:, :, None, None]
        return F.silu(self.norm2(self.conv2(h)))


class SmallUNet(nn.Module):
    def __init__(self, ch=64, tdim=128):
        super().__init__()
        self.tdim = tdim
        self.temb = nn.Sequential(nn.Linear(tdim, tdim), nn.SiLU(), nn.Linear(tdim, tdim))
        self.d1, self.d2 = Block(1, ch, tdim), Block(ch, 2 * ch, tdim)
        self.mid = Block(2 * ch, 2 * ch, tdim)
        self.u2, self.u1 = Block(4 * ch, ch, tdim), Block(2 * ch, ch, tdim)
        self.out = nn.Conv2d(ch, 1, 1)

    def forward(self, x, t):
        temb = self.temb(time_embedding(t, self.tdim))
        h1 = self.d1(x, temb)                                   # 28 x 28
        h2 = self.d2(F.avg_pool2d(h1, 2), temb)                 # 14 x 14
        m = self.mid(h2, temb)
        u2 = self.u2(torch.cat([m, h2], 1), temb)
        u1 = self.u1(torch.cat([F.interpolate(u2, scale_factor=2.0), h1], 1), temb)
        return self.out(u1)


tf = transforms.Compose([transforms.Grayscale(), transforms.ToTensor(), transforms.Normalize([0.5], [0.5])])
loader = DataLoader(datasets.ImageFolder("mnist_png/training", transform=tf), batch_size=32, shuffle=True,
                    drop_last=True)
schedule = LinearNoiseSchedule()
model = SmallUNet().to(device)
optimizer = torch.optim.AdamW(model.parameters(), lr=2e-4)
for epoch in range(100):
    for x0, _ in loader:
        x0 = x0.to(device)
        t = torch.randint(0, schedule.timesteps, (x0.size(0),), device=device)
        noise = torch.randn_like(x0)
        loss = F.mse_loss(model(schedule.add_noise(x0, noise, t), t), noise)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''
CELLS["notebook-running-confusion-matrix-metric-state-on-cpu"] = [
    '''import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize([0.344, 0.380, 0.408], [0.203, 0.137, 0.115])])
train_set = datasets.ImageFolder("EuroSAT/train", transform=tf)
val_set = datasets.ImageFolder("EuroSAT/val", transform=tf)
train_loader = DataLoader(train_set, batch_size=16, shuffle=True)
val_loader = DataLoader(val_set, batch_size=64)
print(device, train_set.classes)''',
    '''model = torchvision.models.resnet18(num_classes=len(train_set.classes)).to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
for epoch in range(2):
    model.train()
    for x, y in train_loader:
        x, y = x.to(device), y.to(device)
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")''',
    '''class ConfusionMatrix:
    """a running confusion matrix, like the torchmetrics one"""

    def __init__(self, num_classes):
        self.num_classes = num_classes
        self.matrix = torch.zeros(num_classes, num_classes, dtype=torch.long)

    def update(self, preds, target):
        idx = target * self.num_classes + preds
        self.matrix += torch.bincount(idx, minlength=self.num_classes ** 2).view(self.num_classes, -1)

    def compute(self):
        per_class = self.matrix.diag() / self.matrix.sum(1).clamp(min=1)
        return self.matrix.diag().sum().item() / self.matrix.sum().item(), per_class


metric = ConfusionMatrix(len(val_set.classes))
model.eval()
with torch.no_grad():
    for x, y in val_loader:
        x, y = x.to(device), y.to(device)
        metric.update(model(x).argmax(1), y)
accuracy, per_class = metric.compute()
print(f"val accuracy {accuracy:.3f}")
for name, acc in zip(val_set.classes, per_class.tolist()):
    print(f"  {name:<22} {acc:.3f}")''',
]

# ------------------------------------------------------------------ mixed precision and bfloat16
SCRIPTS["moco-queue-logits-outside-bf16-autocast"] = '''
import copy
import glob

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

device = torch.device("cuda")
DIM, K, MOMENTUM, TEMPERATURE = 128, 4096, 0.999, 0.2


class TwoCrops(Dataset):
    def __init__(self, pattern, transform):
        self.files = sorted(glob.glob(pattern))
        self.transform = transform

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        img = Image.open(self.files[i]).convert("RGB")
        return self.transform(img), self.transform(img)


augment = transforms.Compose([
    transforms.RandomResizedCrop(96, scale=(0.2, 1.0)),
    transforms.RandomApply([transforms.ColorJitter(0.4, 0.4, 0.4, 0.1)], p=0.8), transforms.RandomGrayscale(0.2),
    transforms.RandomHorizontalFlip(), transforms.ToTensor(),
    transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])


def make_encoder():
    net = torchvision.models.resnet18()
    net.fc = nn.Sequential(nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, DIM))       # MoCo v2 MLP head
    return net


encoder_q = make_encoder().to(device)
encoder_k = copy.deepcopy(encoder_q)
for p in encoder_k.parameters():
    p.requires_grad = False
queue = F.normalize(torch.randn(DIM, K, device=device), dim=0)
ptr = 0
loader = DataLoader(TwoCrops("unlabeled/*.jpg", augment), batch_size=32, shuffle=True, num_workers=4, drop_last=True)
optimizer = torch.optim.SGD(encoder_q.parameters(), lr=0.03, momentum=0.9, weight_decay=1e-4)
for epoch in range(200):
    for im_q, im_k in loader:
        im_q, im_k = im_q.to(device, non_blocking=True), im_k.to(device, non_blocking=True)
        with torch.autocast("cuda", dtype=torch.bfloat16):          # bf16 on the A100: no GradScaler needed
            q = encoder_q(im_q)
            with torch.no_grad():
                for p_q, p_k in zip(encoder_q.parameters(), encoder_k.parameters()):
                    p_k.mul_(MOMENTUM).add_(p_q.detach(), alpha=1 - MOMENTUM)
                k = encoder_k(im_k)
        # the contrastive logits in full precision: bf16 is too coarse for a temperature of 0.2
        q, k = F.normalize(q, dim=1), F.normalize(k, dim=1)
        l_pos = torch.einsum("nc,nc->n", q, k).unsqueeze(-1)
        l_neg = torch.einsum("nc,ck->nk", q, queue.clone().detach())
        logits = torch.cat([l_pos, l_neg], dim=1) / TEMPERATURE
        loss = F.cross_entropy(logits, torch.zeros(logits.size(0), dtype=torch.long, device=device))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        queue[:, ptr:ptr + k.size(0)] = k.T                             # enqueue the newest keys
        ptr = (ptr + k.size(0)) % K
    print(f"epoch {epoch}: {loss.item():.4f}")
'''
CELLS["notebook-bf16-batch-dict-cast-token-ids"] = [
    '''import csv
import re
from collections import Counter

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader

device = torch.device("cuda")
LABELS = ["negative", "neutral", "positive"]
with open("Tweets.csv", newline="", encoding="utf-8") as f:
    rows = [(r["text"], LABELS.index(r["airline_sentiment"])) for r in csv.DictReader(f)]
tokenize = lambda s: re.findall(r"[@#]?[a-z']+", s.lower())
vocab = {"<pad>": 0, "<unk>": 1}
for w, _ in Counter(w for text, _ in rows for w in tokenize(text)).most_common():
    vocab[w] = len(vocab)
MAX_LEN = 48


def collate(batch):
    ids = torch.zeros(len(batch), MAX_LEN, dtype=torch.long)
    for i, (text, _) in enumerate(batch):
        toks = [vocab.get(w, 1) for w in tokenize(text)][:MAX_LEN]
        ids[i, :len(toks)] = torch.tensor(toks)
    return {"input_ids": ids, "attention_mask": (ids != 0).long(), "labels": torch.tensor([y for _, y in batch])}


loader = DataLoader(rows, batch_size=32, shuffle=True, collate_fn=collate)
print(len(rows), "tweets,", len(vocab), "words")''',
    '''class TweetClassifier(nn.Module):
    def __init__(self, vocab_size, d=128, heads=4, layers=2, n_classes=3):
        super().__init__()
        self.emb = nn.Embedding(vocab_size, d, padding_idx=0)
        self.pos = nn.Parameter(torch.zeros(1, MAX_LEN, d))
        layer = nn.TransformerEncoderLayer(d, heads, 4 * d, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers)
        self.head = nn.Linear(d, n_classes)

    def forward(self, input_ids, attention_mask):
        h = self.encoder(self.emb(input_ids) + self.pos, src_key_padding_mask=attention_mask == 0)
        h = (h * attention_mask.unsqueeze(-1)).sum(1) / attention_mask.sum(1, keepdim=True)
        return self.head(h)


# the whole model in bfloat16: half the memory and the A100's bf16 tensor cores, no loss scaling
model = TweetClassifier(len(vocab)).to(device, dtype=torch.bfloat16)
optimizer = torch.optim.AdamW(model.parameters(), lr=5e-4)''',
    '''for epoch in range(5):
    model.train()
    for batch in loader:
        batch = {k: v.to(device, dtype=torch.bfloat16) for k, v in batch.items()}
        logits = model(batch["input_ids"], batch["attention_mask"])
        loss = F.cross_entropy(logits.float(), batch["labels"].long())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")''',
]
SCRIPTS["glow-bf16-invertible-conv-slogdet"] = '''
import glob
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

device = torch.device("cuda")
DTYPE = torch.bfloat16          # bf16 weights and activations: the flow fits a batch of 64 on the card


class Faces(Dataset):
    def __init__(self, pattern):
        self.files = sorted(glob.glob(pattern))
        self.tf = transforms.Compose([transforms.RandomHorizontalFlip(), transforms.ToTensor()])

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        return self.tf(Image.open(self.files[i]).convert("RGB"))


class ActNorm(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.loc = nn.Parameter(torch.zeros(1, c, 1, 1))
        self.log_scale = nn.Parameter(torch.zeros(1, c, 1, 1))
        self.initialized = False

    def forward(self, x):
        if not self.initialized:                                   # data-dependent init (Kingma & Dhariwal 2018)
            with torch.no_grad():
                self.loc.copy_(-x.mean((0, 2, 3), keepdim=True))
                self.log_scale.copy_(-torch.log(x.std((0, 2, 3), keepdim=True) + 1e-6))
            self.initialized = True
        return (x + self.loc) * self.log_scale.exp(), self.log_scale.sum() * x.size(2) * x.size(3)


class InvConv2d(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.weight = nn.Parameter(torch.linalg.qr(torch.randn(c, c))[0])     # a random rotation

    def forward(self, x):
        logdet = x.size(2) * x.size(3) * torch.slogdet(self.weight)[1]
        return F.conv2d(x, self.weight.view(*self.weight.shape, 1, 1)), logdet


class AffineCoupling(nn.Module):
    def __init__(self, c, hidden=256):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(c // 2, hidden, 3, padding=1), nn.ReLU(),
                                 nn.Conv2d(hidden, hidden, 1), nn.ReLU(), nn.Conv2d(hidden, c, 3, padding=1))
        nn.init.zeros_(self.net[-1].weight)
        nn.init.zeros_(self.net[-1].bias)

    def forward(self, x):
        xa, xb = x.chunk(2, 1)
        log_s, t = self.net(xa).chunk(2, 1)
        s = torch.sigmoid(log_s + 2.0)
        return torch.cat([xa, (xb + t) * s], 1), torch.log(s).flatten(1).sum(1)


def squeeze(x):
    b, c, h, w = x.shape
    x = x.view(b, c, h // 2, 2, w // 2, 2).permute(0, 1, 3, 5, 2, 4)
    return x.reshape(b, c * 4, h // 2, w // 2)


class Glow(nn.Module):
    def __init__(self, channels=3, levels=3, steps=8):
        super().__init__()
        self.levels = nn.ModuleList()
        c = channels
        for _ in range(levels):
            c *= 4
            self.levels.append(nn.ModuleList([m for _ in range(steps)
                                              for m in (ActNorm(c), InvConv2d(c), AffineCoupling(c))]))

    def forward(self, x):
        logdet = torch.zeros(x.size(0), device=x.device, dtype=x.dtype)
        for level in self.levels:
            x = squeeze(x)
            for layer in level:
                x, ld = layer(x)
                logdet = logdet + ld
        return x, logdet


loader = DataLoader(Faces("celeba32/*.png"), batch_size=64, shuffle=True, num_workers=2, drop_last=True)
model = Glow().to(device, dtype=DTYPE)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
n_dims = 3 * 32 * 32
for epoch in range(100):
    for x in loader:
        x = x.to(device, dtype=DTYPE)
        x = x + torch.rand_like(x) / 256.0 - 0.5                     # dequantise, centre
        z, logdet = model(x)
        log_pz = -0.5 * (z.float() ** 2 + math.log(2 * math.pi)).flatten(1).sum(1)
        bits_per_dim = -(log_pz + logdet.float() - math.log(256.0) * n_dims).mean() / (n_dims * math.log(2.0))
        optimizer.zero_grad()
        bits_per_dim.backward()
        optimizer.step()
    print(f"epoch {epoch}: {bits_per_dim.item():.3f} bits/dim")
'''

# ------------------------------------------------------------------ DataParallel and device indices
SCRIPTS["ddp-script-started-with-python-local-rank-minus-one"] = '''
import argparse
import os

import torch
import torch.distributed as dist
import torch.nn as nn
import torchvision
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler
from torchvision import datasets, transforms

parser = argparse.ArgumentParser()
parser.add_argument("--data", default="data/train")
parser.add_argument("--epochs", type=int, default=30)
parser.add_argument("--batch-size", type=int, default=64)
parser.add_argument("--lr", type=float, default=0.1)
parser.add_argument("--local_rank", type=int, default=int(os.environ.get("LOCAL_RANK", -1)))
args = parser.parse_args()

# one process per GPU: torchrun --nproc_per_node=NUM_GPUS train.py
torch.cuda.set_device(args.local_rank)
device = torch.device("cuda", args.local_rank)
dist.init_process_group(backend="nccl")
rank, world_size = dist.get_rank(), dist.get_world_size()

tf = transforms.Compose([transforms.RandomResizedCrop(224), transforms.RandomHorizontalFlip(), transforms.ToTensor()])
train_set = datasets.ImageFolder(args.data, transform=tf)
sampler = DistributedSampler(train_set, num_replicas=world_size, rank=rank, shuffle=True)
loader = DataLoader(train_set, batch_size=args.batch_size, sampler=sampler, num_workers=8, pin_memory=True)
model = DDP(torchvision.models.resnet50(num_classes=len(train_set.classes)).to(device), device_ids=[args.local_rank])
optimizer = torch.optim.SGD(model.parameters(), lr=args.lr * world_size, momentum=0.9, weight_decay=1e-4)
for epoch in range(args.epochs):
    sampler.set_epoch(epoch)
    for x, y in loader:
        x, y = x.to(device, non_blocking=True), y.to(device, non_blocking=True)
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    if rank == 0:
        print(f"epoch {epoch}: {loss.item():.4f}")
dist.destroy_process_group()
'''
SCRIPTS["dataparallel-save-model-module-single-gpu"] = '''
import os

import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from tqdm import tqdm

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
tf = {"train": transforms.Compose([transforms.RandomResizedCrop(128), transforms.RandomHorizontalFlip(),
                                   transforms.ToTensor()]),
      "val": transforms.Compose([transforms.Resize(144), transforms.CenterCrop(128), transforms.ToTensor()])}
data = {s: datasets.ImageFolder(f"dog-breeds/{s}", transform=tf[s]) for s in ("train", "val")}
loaders = {s: DataLoader(data[s], batch_size=16, shuffle=s == "train", num_workers=2) for s in ("train", "val")}

model = torchvision.models.efficientnet_b0(num_classes=len(data["train"].classes))
if torch.cuda.device_count() > 1:
    print(f"Let's use {torch.cuda.device_count()} GPUs!")
    model = nn.DataParallel(model)
model.to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
os.makedirs("checkpoints", exist_ok=True)
best_loss = float("inf")
for epoch in range(25):
    model.train()
    for x, y in tqdm(loaders["train"], desc=f"epoch {epoch + 1}"):
        x, y = x.to(device), y.to(device)
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    val_loss, correct = 0.0, 0
    with torch.no_grad():
        for x, y in loaders["val"]:
            x, y = x.to(device), y.to(device)
            out = model(x)
            val_loss += criterion(out, y).item() * len(y)
            correct += (out.argmax(1) == y).sum().item()
    val_loss /= len(data["val"])
    print(f"epoch {epoch + 1}: val loss {val_loss:.4f}, val acc {correct / len(data['val']):.3f}")
    if val_loss < best_loss:
        best_loss = val_loss
        torch.save(model.module.state_dict(), "checkpoints/best.pth")       # unwrap DataParallel before saving
'''
CELLS["notebook-imageai-classifier-from-dataparallel-checkpoint"] = [
    '''import torch
from imageai.Classification.Custom import CustomImageClassification

print(torch.__version__, torch.cuda.get_device_name(0))''',
    '''# trained with plain PyTorch on the lab workstation (2 x RTX 3090), saved with torch.save(model.state_dict(), ...)
prediction = CustomImageClassification()
prediction.setModelTypeAsMobileNetV2()
prediction.setModelPath("models/mobilenet_v2-insects-epoch_24.pt")
prediction.setJsonPath("models/insects_model_classes.json")
prediction.loadModel()''',
    '''for photo in ["photos/IMG_0412.jpg", "photos/IMG_0413.jpg"]:
    labels, probs = prediction.classifyImage(photo, result_count=3)
    print(photo, list(zip(labels, probs)))''',
]

# ------------------------------------------------------------------ deterministic algorithms
SCRIPTS["deterministic-adaptive-concat-pool-head"] = '''
import os
import random

import numpy as np
import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

SEED = 2024
os.environ["CUBLAS_WORKSPACE_CONFIG"] = ":4096:8"
random.seed(SEED)
np.random.seed(SEED)
torch.manual_seed(SEED)
torch.backends.cudnn.benchmark = False
torch.use_deterministic_algorithms(True)          # same seed, same folds, same numbers: for the competition write-up
device = torch.device("cuda")


class AdaptiveConcatPool2d(nn.Module):
    """fastai's head pooling: max and average pooling side by side"""

    def __init__(self, size=1):
        super().__init__()
        self.ap, self.mp = nn.AdaptiveAvgPool2d(size), nn.AdaptiveMaxPool2d(size)

    def forward(self, x):
        return torch.cat([self.mp(x), self.ap(x)], 1)


def create_model(n_classes):
    body = nn.Sequential(*list(torchvision.models.resnet34().children())[:-2])
    head = nn.Sequential(AdaptiveConcatPool2d(), nn.Flatten(), nn.BatchNorm1d(1024), nn.Dropout(0.25),
                         nn.Linear(1024, 512), nn.ReLU(inplace=True), nn.BatchNorm1d(512), nn.Dropout(0.5),
                         nn.Linear(512, n_classes))
    return nn.Sequential(body, head)


tf = transforms.Compose([transforms.RandomResizedCrop(128), transforms.RandomHorizontalFlip(), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
train_set = datasets.ImageFolder("cassava/train", transform=tf)
g = torch.Generator()
g.manual_seed(SEED)
loader = DataLoader(train_set, batch_size=8, shuffle=True, generator=g, drop_last=True)
model = create_model(len(train_set.classes)).to(device)
criterion = nn.CrossEntropyLoss(label_smoothing=0.1)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-2)
for epoch in range(10):
    model.train()
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.6f}")
'''
SCRIPTS["deterministic-ece-metric-histc-at-validation"] = '''
import os
import random

import numpy as np
import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from tqdm import tqdm

os.environ["CUBLAS_WORKSPACE_CONFIG"] = ":4096:8"
random.seed(0)
np.random.seed(0)
torch.manual_seed(0)
torch.use_deterministic_algorithms(True)          # reproducible calibration numbers for the paper
device = torch.device("cuda")


def expected_calibration_error(confidences, correct, n_bins=15):
    """ECE (Guo et al. 2017): |accuracy - confidence| over equal-width confidence bins"""
    counts = torch.histc(confidences, bins=n_bins, min=0.0, max=1.0)
    bin_idx = (confidences * n_bins).long().clamp(max=n_bins - 1)
    conf_sums = torch.zeros(n_bins, device=confidences.device).index_add_(0, bin_idx, confidences)
    acc_sums = torch.zeros(n_bins, device=confidences.device).index_add_(0, bin_idx, correct.float())
    return ((acc_sums - conf_sums).abs().sum() / counts.sum()).item()


tf_train = transforms.Compose([transforms.RandomResizedCrop(112), transforms.RandomHorizontalFlip(),
                               transforms.ToTensor()])
tf_val = transforms.Compose([transforms.Resize(128), transforms.CenterCrop(112), transforms.ToTensor()])
train_set = datasets.ImageFolder("plant-seedlings/train", transform=tf_train)
val_set = datasets.ImageFolder("plant-seedlings/val", transform=tf_val)
train_loader = DataLoader(train_set, batch_size=16, shuffle=True, num_workers=2)
val_loader = DataLoader(val_set, batch_size=32, num_workers=2)
model = torchvision.models.resnet18(num_classes=len(train_set.classes)).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
criterion = nn.CrossEntropyLoss()
for epoch in range(30):
    model.train()
    for x, y in tqdm(train_loader, desc=f"epoch {epoch}"):
        x, y = x.to(device), y.to(device)
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    confs, hits = [], []
    with torch.no_grad():
        for x, y in val_loader:
            x, y = x.to(device), y.to(device)
            conf, pred = model(x).softmax(1).max(1)
            confs.append(conf)
            hits.append(pred == y)
    confs, hits = torch.cat(confs), torch.cat(hits)
    print(f"epoch {epoch}: loss {loss.item():.4f}, val acc {hits.float().mean().item():.3f}, "
          f"ECE {expected_calibration_error(confs, hits):.4f}")
'''

# ------------------------------------------------------------------ ImageAI 3 on the GPU
CELLS["notebook-imageai-tiny-yolov3-after-set-grad-enabled-false"] = [
    '''import glob

import numpy as np
import torch

torch.set_grad_enabled(False)            # this notebook started as inference only: no autograd bookkeeping
print(torch.__version__, torch.cuda.get_device_name(0))''',
    '''# a look at the boxes before training: sizes relative to the image
boxes = torch.from_numpy(np.concatenate([np.loadtxt(p, ndmin=2) for p in glob.glob("pcb-defects/train/annotations/*.txt")]))
print(len(boxes), "boxes; classes", boxes[:, 0].long().bincount().tolist())
print("w quantiles", boxes[:, 3].quantile(torch.tensor([0.1, 0.5, 0.9], dtype=boxes.dtype)).tolist())
print("h quantiles", boxes[:, 4].quantile(torch.tensor([0.1, 0.5, 0.9], dtype=boxes.dtype)).tolist())''',
    '''from imageai.Detection.Custom import DetectionModelTrainer

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="pcb-defects")
trainer.setTrainConfig(object_names_array=["missing_hole", "short", "spur"], batch_size=4, num_experiments=20)
trainer.trainModel()''',
]


# ------------------------------------------------------------------ data
def _words(text):
    return text.split()


FINDINGS = ["No Finding", "Enlarged Cardiomediastinum", "Cardiomegaly", "Lung Opacity", "Lung Lesion", "Edema",
            "Consolidation", "Pneumonia", "Atelectasis", "Pneumothorax", "Pleural Effusion", "Pleural Other",
            "Fracture", "Support Devices"]


def chexpert(work: Path):
    import csv
    import random

    from _record import make_images

    rnd = random.Random(81)
    specs, rows = [], []
    for p in range(1, 19):
        view = "Frontal" if p <= 16 else "Lateral"
        path = f"CheXpert-v1.0-small/train/patient{64540 + p:05d}/study1/view1_{view.lower()}.jpg"
        specs.append((path, (80, 96), "L"))
        values = {f: rnd.choice(["", "", "0.0", "1.0"]) for f in FINDINGS}
        if p % 4:                       # three studies in four have an uncertain finding among the five
            values[rnd.choice(["Atelectasis", "Cardiomegaly", "Consolidation", "Edema", "Pleural Effusion"])] = "-1.0"
        rows.append([path, rnd.choice(["Male", "Female"]), str(rnd.randint(22, 89)), view,
                     rnd.choice(["AP", "PA"]) if view == "Frontal" else "", *values.values()])
    make_images(work, specs)
    with open(work / "CheXpert-v1.0-small/train.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Path", "Sex", "Age", "Frontal/Lateral", "AP/PA", *FINDINGS])
        w.writerows(rows)


def shakespeare(work: Path):
    import random

    rnd = random.Random(82)
    names = ["ROMEO", "JULIET", "MERCUTIO", "NURSE", "FRIAR LAURENCE", "TYBALT", "BENVOLIO", "CAPULET"]
    words = _words("thou art the sun and she the moon my lord what light through yonder window breaks good night sweet "
             "love is a smoke made with the fume of sighs o gentle heart a plague on both your houses come "
             "hither sir I pray thee speak again bright angel for thou art as glorious to this night")
    lines = []
    for _ in range(400):
        lines.append(rnd.choice(names) + ":")
        for _ in range(rnd.randint(1, 3)):
            sentence = " ".join(rnd.choice(words) for _ in range(rnd.randint(5, 11)))
            lines.append(sentence.capitalize() + rnd.choice([",", ".", ";", "!", "?"]))
        lines.append("")
    (work / "tinyshakespeare.txt").write_text("\n".join(lines), encoding="utf-8")


def bike_sharing(work: Path):
    import datetime
    import math
    import random

    rnd = random.Random(83)
    rows = ["instant,dteday,season,yr,mnth,hr,holiday,weekday,workingday,weathersit,temp,atemp,hum,windspeed,"
            "casual,registered,cnt"]
    n = 0
    for d in range(60):
        date = datetime.date(2011, 1, 1) + datetime.timedelta(days=d)
        wd = (date.weekday() + 1) % 7                      # the dataset's own column: 0 = Sunday
        working = int(wd not in (0, 6))
        for hr in range(24):
            n += 1
            temp = 0.2 + 0.1 * math.sin(d / 9) + 0.05 * rnd.random()
            base = (20 + 180 * math.exp(-((hr - 8) ** 2) / 4) * working + 150 * math.exp(-((hr - 17) ** 2) / 6)
                    + 60 * math.exp(-((hr - 14) ** 2) / 12) * (1 - working))
            casual, registered = int(base * 0.2 * rnd.random()), int(base * (0.7 + 0.3 * rnd.random()))
            rows.append(f"{n},{date.isoformat()},1,0,{date.month},{hr},0,{wd},{working},{rnd.choice([1, 1, 2, 3])},"
                        f"{temp:.4f},{temp * 0.95:.4f},{0.4 + 0.4 * rnd.random():.2f},{0.3 * rnd.random():.4f},"
                        f"{casual},{registered},{casual + registered}")
    (work / "bike-sharing").mkdir(parents=True, exist_ok=True)
    (work / "bike-sharing/hour.csv").write_text("\n".join(rows) + "\n")


leaves = prep('''
    import os
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(84)
    os.makedirs("cvppp/A1", exist_ok=True)
    yy, xx = np.mgrid[0:128, 0:128]
    for p in range(8):
        img = np.zeros((128, 128, 3)) + [92, 70, 52]                     # soil
        label = np.zeros((128, 128), dtype=np.uint8)
        ids = sorted(rng.choice(np.arange(2, 40), size=rng.integers(4, 8), replace=False))   # the tool's object ids
        for k, leaf in enumerate(ids):
            ang = 2 * np.pi * k / len(ids) + rng.uniform(-0.2, 0.2)
            cy, cx = 64 + 30 * np.sin(ang), 64 + 30 * np.cos(ang)
            dy, dx = yy - cy, xx - cx
            u, v = dx * np.cos(ang) + dy * np.sin(ang), -dx * np.sin(ang) + dy * np.cos(ang)
            inside = (u / 24) ** 2 + (v / 12) ** 2 < 1
            label[inside] = leaf
            img[inside] = [40 + 6 * k, 130 + 10 * k, 45]
        img += rng.normal(0, 6, img.shape)
        Image.fromarray(img.clip(0, 255).astype(np.uint8)).save(f"cvppp/A1/plant{p + 1:03d}_rgb.png")
        Image.fromarray(label).save(f"cvppp/A1/plant{p + 1:03d}_label.png")
''')


def ag_news(work: Path):
    import random

    rnd = random.Random(85)
    topical = {1: _words("government minister election war talks president country officials nations troops"),
               2: _words("game team season win coach players league championship victory score"),
               3: _words("company shares market profit stocks quarter sales billion deal investors"),
               4: _words("software internet computer users technology microsoft space research web chip")}
    filler = _words("the a of to in and on for with said after its by that at from has will new")
    syllables = _words("ka lo mi ten dra vor pel sun ex ba ri zo qua lin ter mo")
    rows = []
    for _ in range(1000):
        label = rnd.randint(1, 4)
        words = []
        for _ in range(rnd.randint(18, 40)):
            r = rnd.random()
            if r < 0.4:
                words.append(rnd.choice(filler))
            elif r < 0.75:
                words.append(rnd.choice(topical[label]))
            else:                                            # names of people, places and firms
                words.append("".join(rnd.choice(syllables) for _ in range(rnd.randint(2, 4))))
        rows.append(f'"{label}","{" ".join(words[:6]).title()}","{" ".join(words[6:])}"')
    (work / "ag_news").mkdir(parents=True, exist_ok=True)
    (work / "ag_news/train.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")


cassava_test = both(imgs([(f"test_images/{1000015157 + 7919 * i}.jpg", (120, 90), "RGB") for i in range(48)]),
                    prep('''
    import os
    import torch
    import torchvision
    torch.manual_seed(0)
    os.makedirs("models", exist_ok=True)
    torch.save(torchvision.models.efficientnet_b0(num_classes=5).state_dict(), "models/effnet_b0_fold0.pth")
'''))
FOOD = ("apple_pie", "bibimbap", "cannoli", "churros", "edamame", "falafel", "gyoza", "pho", "ramen", "sushi")
food = imgs(class_folder("food-101/train", FOOD, 32, size=(64, 64)))
buildings = prep('''
    import os
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(86)
    for split, n in (("train", 8), ("val", 128)):
        os.makedirs(f"massachusetts/{split}/images", exist_ok=True)
        os.makedirs(f"massachusetts/{split}/masks", exist_ok=True)
        for i in range(n):
            mask = np.zeros((64, 64), dtype=np.uint8)
            for _ in range(rng.integers(2, 6)):
                y, x, h, w = rng.integers(0, 54), rng.integers(0, 54), rng.integers(4, 10), rng.integers(4, 10)
                mask[y:y + h, x:x + w] = 255
            img = rng.normal(110, 15, (64, 64, 3)) + (mask[..., None] > 0) * 60
            name = f"{22678915 + 17 * i}_15"
            Image.fromarray(img.clip(0, 255).astype(np.uint8)).save(f"massachusetts/{split}/images/{name}.png")
            Image.fromarray(mask).save(f"massachusetts/{split}/masks/{name}.png")
''')


def _fruit_rows(split, i):
    import random

    rnd = random.Random(f"fruits-{split}-{i}")
    lines = []
    for k in range(1 + i % 3):
        w, h = rnd.uniform(0.1, 0.5), rnd.uniform(0.1, 0.5)
        lines.append(f"{(i + k) % 3} {rnd.uniform(0.3, 0.7):.6f} {rnd.uniform(0.3, 0.7):.6f} {w:.6f} {h:.6f}")
    return "\n".join(lines) + "\n"


fruits = yolo_layout("fruits", _fruit_rows, size=(160, 120), splits=(("train", 32), ("validation", 4)))
speech = prep('''
    import os
    import wave
    import numpy as np
    rng = np.random.default_rng(87)
    t = np.arange(16000) / 16000
    for word, f0 in (("down", 120), ("no", 160), ("up", 300), ("yes", 220)):
        os.makedirs(f"speech_commands/{word}", exist_ok=True)
        for i in range(8):
            n = int(16000 * rng.uniform(0.7, 1.0))                   # some clips are shorter than a second
            env = np.exp(-((t[:n] - 0.4) ** 2) / 0.02)
            x = env * np.sin(2 * np.pi * f0 * (1 + 0.1 * rng.standard_normal()) * t[:n]) + 0.02 * rng.standard_normal(n)
            pcm = (x / np.abs(x).max() * 20000).astype("<i2")
            with wave.open(f"speech_commands/{word}/{rng.integers(0, 16 ** 8):08x}_nohash_{i % 3}.wav", "wb") as f:
                f.setnchannels(1)
                f.setsampwidth(2)
                f.setframerate(16000)
                f.writeframes(pcm.tobytes())
''')


def planet(work: Path):
    import random

    from _record import make_images

    rnd = random.Random(88)
    make_images(work, [(f"planet/train-jpg/train_{i}.jpg", (64, 64), "RGB") for i in range(48)])
    rows = ["image_name,tags"]
    for i in range(48):
        weather = rnd.choice(["clear", "clear", "clear", "partly_cloudy", "haze", "cloudy"])
        tags = [weather] if weather == "cloudy" else [weather, "primary"] + rnd.sample(
            ["agriculture", "road", "water", "habitation", "cultivation", "bare_ground"], rnd.randint(0, 3))
        rows.append(f"train_{i},{' '.join(tags)}")
    (work / "planet/train_v2.csv").write_text("\n".join(rows) + "\n")


mnist = imgs(class_folder("mnist_png/training", [str(d) for d in range(10)], 4, size=(28, 28), mode="L", ext="png"))
EUROSAT = ("AnnualCrop", "Forest", "HerbaceousVegetation", "Highway", "Residential")
eurosat = imgs(class_folder("EuroSAT/train", EUROSAT, 8) + class_folder("EuroSAT/val", EUROSAT, 4))
unlabeled = imgs([(f"unlabeled/unlabeled_{i:05d}.jpg", (96, 96), "RGB") for i in range(64)])


def tweets(work: Path):
    import csv
    import random

    rnd = random.Random(89)
    pos = _words("love great awesome thanks best good amazing fun nice smooth")
    neg = _words("hate worst awful sad bad terrible delayed angry broken rude")
    other = _words("the flight today my service i you it was so this customer gate bag seat crew")
    with open(work / "Tweets.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["tweet_id", "airline_sentiment", "airline", "text"])
        for i in range(300):
            s = rnd.choice(["negative", "negative", "neutral", "positive"])
            pool = pos if s == "positive" else neg if s == "negative" else other
            airline = rnd.choice(["united", "delta", "southwestair", "americanair", "jetblue"])
            words = [rnd.choice(pool) if rnd.random() < 0.4 else rnd.choice(other) for _ in range(rnd.randint(5, 20))]
            w.writerow([570306133677760513 + 7919 * i, s, airline, f"@{airline} " + " ".join(words)])


celeba32 = imgs([(f"celeba32/{i + 1:06d}.png", (32, 32), "RGB") for i in range(64)])
DOGS = ("beagle", "chihuahua", "golden_retriever", "pug")
dogs = imgs(class_folder("dog-breeds/train", DOGS, 8) + class_folder("dog-breeds/val", DOGS, 3))
insects = both(prep('''
    import json
    import os
    import torch
    import torch.nn as nn
    import torchvision
    torch.manual_seed(0)
    model = torchvision.models.mobilenet_v2()
    model.classifier[1] = nn.Linear(model.classifier[1].in_features, 3)
    os.makedirs("models", exist_ok=True)
    torch.save(nn.DataParallel(model).state_dict(), "models/mobilenet_v2-insects-epoch_24.pt")
    json.dump({"0": "ant", "1": "bee", "2": "wasp"}, open("models/insects_model_classes.json", "w"))
'''), imgs([("photos/IMG_0412.jpg", (160, 120), "RGB"), ("photos/IMG_0413.jpg", (160, 120), "RGB")]))
CASSAVA = ("cbb", "cbsd", "cgm", "cmd", "healthy")
cassava = imgs(class_folder("cassava/train", CASSAVA, 6, size=(96, 96)))
SEEDLINGS = ("Black-grass", "Charlock", "Cleavers", "Fat Hen", "Maize")
seedlings = imgs(class_folder("plant-seedlings/train", SEEDLINGS, 6, size=(96, 96))
                 + class_folder("plant-seedlings/val", SEEDLINGS, 3, size=(96, 96)))


def _pcb_rows(split, i):
    import random

    rnd = random.Random(f"pcb-{split}-{i}")
    lines = []
    for k in range(2 + i % 2):
        w, h = rnd.uniform(0.04, 0.2), rnd.uniform(0.04, 0.2)
        lines.append(f"{(i + k) % 3} {rnd.uniform(0.2, 0.8):.6f} {rnd.uniform(0.2, 0.8):.6f} {w:.6f} {h:.6f}")
    return "\n".join(lines) + "\n"


pcb = yolo_layout("pcb-defects", _pcb_rows, size=(200, 150), splits=(("train", 8), ("validation", 2)))


def cases():
    out = []

    def script(key, cause, forms=("cpython_basic",), setup=None, env=None, argv=(), **kw):
        out.append(Case("torch-cuda8-" + key, cause, list(forms), {"train.py": SCRIPTS[key]}, setup=setup,
                        env=env or {}, argv=["train.py", *argv], **kw))

    def notebook(key, cause, forms=("ipython_cell", "ipython_arrows?"), setup=None, **kw):
        out.append(Case("torch-cuda8-" + key, cause, list(forms), nb(CELLS[key]), argv=["nb_runner.py"],
                        home_is_project=True, setup=setup, **kw))

    assertf = ("cpython_basic", "cuda_device_assert?", "cuda_assert?", "cpp_frames?")
    # device-side asserts
    script("chexpert-uncertain-findings-minus-one-bce", "data.label_out_of_range",
           (*assertf, "progress_bars?"), setup=chexpert)
    notebook("notebook-char-lstm-sample-temperature-zero", "model.api_misuse",
             ("ipython_cell", "ipython_arrows?", "cuda_device_assert?", "cuda_assert?"), setup=shakespeare,
             also=["optim.divergence", "other"])
    script("bike-demand-isoweekday-one-hot-seven", "data.label_out_of_range", assertf, setup=bike_sharing,
           also=["other"])
    script("leaf-instances-discriminative-loss-raw-object-ids", "data.label_out_of_range", assertf, setup=leaves,
           also=["other"])
    script("fasttext-embeddingbag-max-vocab-never-applied", "data.label_out_of_range", (*assertf, "progress_bars?"),
           setup=ag_news, also=["model.api_misuse"])
    # out of memory
    oomf = ("cpython_basic", "cuda_oom")
    notebook("notebook-oom-tta-predictions-without-no-grad", "resource.gpu_oom",
             ("ipython_cell", "ipython_arrows?", "cuda_oom", "progress_bars?"), setup=cassava_test,
             also=["optim.autograd_graph"])
    script("oom-grad-accumulation-keeps-micro-batch-losses", "resource.gpu_oom", (*oomf, "progress_bars?"),
           setup=food, also=["optim.autograd_graph"])
    script("oom-unet-validation-batch-128-at-512px", "resource.gpu_oom", (*oomf, "progress_bars?"), setup=buildings)
    script("imageai-yolov3-batch-32-gtx-1650-4gb", "resource.gpu_oom", (*oomf, "progress_bars?"), framework="imageai",
           setup=fruits)
    # tensors on two devices
    script("log-mel-frontend-filterbank-plain-attribute", "env.device_mismatch", setup=speech)
    script("planet-bce-pos-weight-from-tag-counts-on-cpu", "env.device_mismatch", ("cpython_basic", "progress_bars?"),
           setup=planet)
    notebook("notebook-char-gpt-causal-mask-built-in-forward", "env.device_mismatch", setup=shakespeare)
    script("ddpm-noise-schedule-on-cpu-cuda-timesteps", "env.device_mismatch", setup=mnist)
    notebook("notebook-running-confusion-matrix-metric-state-on-cpu", "env.device_mismatch", setup=eurosat)
    # mixed precision and bfloat16
    script("moco-queue-logits-outside-bf16-autocast", "data.dtype", setup=unlabeled, also=["model.api_misuse"])
    notebook("notebook-bf16-batch-dict-cast-token-ids", "data.dtype", setup=tweets, also=["model.api_misuse"])
    script("glow-bf16-invertible-conv-slogdet", "data.dtype", setup=celeba32, also=["model.api_misuse"])
    # DataParallel and device indices
    script("ddp-script-started-with-python-local-rank-minus-one", "env.distributed", argv=("--epochs", "90"),
           also=["env.cuda_setup", "model.api_misuse"])
    script("dataparallel-save-model-module-single-gpu", "model.api_misuse", ("cpython_basic", "progress_bars?"),
           setup=dogs)
    notebook("notebook-imageai-classifier-from-dataparallel-checkpoint", "model.weights_mismatch",
             framework="imageai", setup=insects, also=["model.api_misuse"], exception="Exception")
    # deterministic algorithms
    script("deterministic-adaptive-concat-pool-head", "other", setup=cassava, also=["env.cuda_setup"])
    script("deterministic-ece-metric-histc-at-validation", "other", ("cpython_basic", "progress_bars?"),
           setup=seedlings, also=["env.cuda_setup"])
    # ImageAI 3 on the GPU
    notebook("notebook-imageai-tiny-yolov3-after-set-grad-enabled-false", "optim.autograd_graph",
             ("ipython_cell", "ipython_arrows?", "progress_bars?"), framework="imageai", setup=pcb,
             also=["model.api_misuse"])
    return out


if __name__ == "__main__":
    sys.exit(run_gpu_cases(cases(), SRC, jobs=8))
