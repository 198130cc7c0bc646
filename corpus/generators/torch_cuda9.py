"""A ninth set of failures that only a GPU shows: PyTorch / torchvision / ImageAI 3 training on CUDA.
Untargeted: first-GPU users of PyTorch and ImageAI 3 in research labs and hackathons. Device-side
asserts and index faults from call sites the first eight sets do not reach: an APTOS retinopathy model
(five grades) trained with the popular binary focal loss whose ``alpha`` is ``[alpha, 1 - alpha]``
(``gather`` on the labels), ADE20K's ``reduce_zero_label`` done on int64 masks so "other" becomes -1
while the loss ignores 255 (``nll_loss2d``), a BiLSTM NER tagger whose one padding helper pads the word
ids with the ``-100`` meant for the tags (``nn.Embedding``; notebook), a Dice loss that one-hot encodes
the 1-based Oxford-IIIT Pet trimaps (``scatter_``), a skip-gram word2vec whose negative-sampling table
still counts the words that ``min_count`` dropped (the assert may surface in the next cuBLAS ``bmm``),
CUB-200 attribute targets looked up with the 1-based ids of ``image_class_labels.txt``
(``index_select``); and, checked on the host, inverse-frequency class weights from ``bincount`` over a
debug ``Subset(range(32))`` of an ImageFolder, which holds the first four of its ten classes
(``CrossEntropyLoss`` weight length). Out of memory (a cap in GiB on the big card stands in for a small
one): a 12-lead ECG transformer whose ``nn.MultiheadAttention`` returns its attention weights over 5000
samples (notebook), a 3-D CNN over MRI volumes resampled to the 1 mm template at batch 8, offline
hard-negative mining with ``torch.cdist`` over 70k speaker embeddings, validation metrics summed as
tensors in ``eval()`` without ``no_grad`` and kept in a history, and a DeepFM whose hashing-trick
embedding of 2**22 buckets gets dense gradients and Adam state. Tensors on two devices: multi-task heads
kept in a plain ``dict``, ZCA whitening with ``transforms.v2.LinearTransformation`` built on the CPU and
applied to batches on the GPU, the U-Net border weight map of a cell segmentation left on the CPU,
``swa_utils.update_bn`` called without ``device``, and a Grad-CAM overlay blended with the CPU copy of
the image (notebook). Half precision: a ``model.half()`` pneumonia classifier whose Adam ``eps``
underflows, so the next forward is NaN and ``BCELoss``'s kernel asserts, and a class-weighted
cross-entropy computed outside the ``autocast`` region on half logits. Device indices: a ``--gpu 1``
default from the lab server fed to ``torch.cuda.get_device_properties``, and ``%env
CUDA_VISIBLE_DEVICES=1`` in a notebook on a one-GPU machine. ImageAI 3 on the GPU: its ``YoloV3Tiny``
class used directly for batched video frames without its ``device`` argument, so the detection layers
build their grids on the CPU (notebook), and a YOLOv3 trainer at batch 16 on a 2 GB laptop card
(notebook).

Every case is a small real program; the label is known by construction. It needs a CUDA GPU
(recorded on an NVIDIA H200 with torch 2.11 + cu130, through the device tool, see the README: all
23 failed as built, in one run of ``bench/gpu_check.sh``; g213, scored 0.91 top-1 and 0.91 top-3
before any rule for it); without one it writes nothing.

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_cuda9.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _record import Case, both, class_folder, imgs, nb, oom_head, prep, run_gpu_cases, save_tiny, yolo_layout  # noqa: E402

SRC = "corpus/generators/torch_cuda9.py"

SCRIPTS = {}
CELLS = {}

# ------------------------------------------------------------------ device-side asserts and index faults
SCRIPTS["aptos-binary-focal-loss-alpha-gather-five-grades"] = '''
import csv
from collections import Counter

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms
from tqdm import tqdm

device = torch.device("cuda")
GRADES = ["No DR", "Mild", "Moderate", "Severe", "Proliferative DR"]


class FocalLoss(nn.Module):
    """Focal loss (Lin et al. 2017) with alpha balancing: down-weights the easy, frequent "No DR" images"""

    def __init__(self, alpha=0.25, gamma=2.0):
        super().__init__()
        self.alpha = torch.tensor([alpha, 1 - alpha]).to(device)
        self.gamma = gamma

    def forward(self, inputs, targets):
        ce = F.cross_entropy(inputs, targets, reduction="none")
        at = self.alpha.gather(0, targets.view(-1))
        pt = torch.exp(-ce)
        return (at * (1 - pt) ** self.gamma * ce).mean()


class Retinopathy(Dataset):
    def __init__(self, csv_path, image_dir, transform):
        with open(csv_path, newline="") as f:
            self.rows = [(r["id_code"], int(r["diagnosis"])) for r in csv.DictReader(f)]
        self.image_dir, self.transform = image_dir, transform

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        code, grade = self.rows[i]
        img = Image.open(f"{self.image_dir}/{code}.png").convert("RGB")
        return self.transform(img), grade


tf = transforms.Compose([transforms.Resize((224, 224)), transforms.RandomHorizontalFlip(), transforms.RandomRotation(20),
                         transforms.ToTensor(), transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
train_set = Retinopathy("aptos2019/train.csv", "aptos2019/train_images", tf)
loader = DataLoader(train_set, batch_size=16, shuffle=True, num_workers=2, pin_memory=True)
counts = Counter(g for _, g in train_set.rows)
print({GRADES[g]: counts[g] for g in range(len(GRADES))})

model = torchvision.models.efficientnet_b0(num_classes=len(GRADES)).to(device)
criterion = FocalLoss()
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4, weight_decay=1e-4)
for epoch in range(15):
    model.train()
    pbar = tqdm(loader, desc=f"epoch {epoch + 1}/15")
    for images, grades in pbar:
        images, grades = images.to(device, non_blocking=True), grades.to(device, non_blocking=True)
        loss = criterion(model(images), grades)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        pbar.set_postfix(loss=f"{loss.item():.4f}")
'''
SCRIPTS["ade20k-reduce-zero-label-int64-minus-one"] = '''
import glob
import os

import numpy as np
import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset

device = torch.device("cuda")
NUM_CLASSES = 150                 # SceneParsing-150; 0 in the annotation PNGs is "other objects"
MEAN = torch.tensor([0.485, 0.456, 0.406]).view(3, 1, 1)
STD = torch.tensor([0.229, 0.224, 0.225]).view(3, 1, 1)


class ADE20K(Dataset):
    def __init__(self, root, split, size=256):
        self.images = sorted(glob.glob(os.path.join(root, "images", split, "*.jpg")))
        self.size = size

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        path = self.images[i]
        img = Image.open(path).convert("RGB").resize((self.size, self.size), Image.BILINEAR)
        ann = Image.open(path.replace("/images/", "/annotations/").replace(".jpg", ".png"))
        ann = ann.resize((self.size, self.size), Image.NEAREST)
        img = (torch.from_numpy(np.asarray(img, dtype=np.float32) / 255.0).permute(2, 0, 1) - MEAN) / STD
        # reduce_zero_label, as mmseg does: classes 1..150 -> 0..149, "other" -> 255 (ignored)
        mask = torch.from_numpy(np.asarray(ann, dtype=np.int64)) - 1
        return img, mask


train_loader = DataLoader(ADE20K("ADEChallengeData2016", "training"), batch_size=8, shuffle=True, num_workers=2,
                          drop_last=True)
model = torchvision.models.segmentation.deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None,
                                                                    num_classes=NUM_CLASSES).to(device)
criterion = nn.CrossEntropyLoss(ignore_index=255)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
EPOCHS = 80
max_iters = EPOCHS * len(train_loader)
scheduler = torch.optim.lr_scheduler.PolynomialLR(optimizer, total_iters=max_iters, power=0.9)
print(f"{len(train_loader.dataset)} training images, {max_iters} iterations")
it = 0
for epoch in range(EPOCHS):
    model.train()
    for img, mask in train_loader:
        img, mask = img.to(device, non_blocking=True), mask.to(device, non_blocking=True)
        loss = criterion(model(img)["out"], mask)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        scheduler.step()
        it += 1
        if it % 10 == 0:
            print(f"iter {it}/{max_iters}: loss {loss.item():.4f}, lr {scheduler.get_last_lr()[0]:.5f}")
'''
CELLS["notebook-ner-tagger-word-ids-padded-minus-100"] = [
    '''import torch
import torch.nn as nn
from torch.nn.utils.rnn import pad_sequence
from torch.utils.data import DataLoader

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")


def read_conll(path):
    sentences, words, tags = [], [], []
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if not line or line.startswith("-DOCSTART-"):
            if words:
                sentences.append((words, tags))
                words, tags = [], []
            continue
        token, _pos, _chunk, ner = line.split()
        words.append(token)
        tags.append(ner)
    if words:
        sentences.append((words, tags))
    return sentences


train = read_conll("conll2003/eng.train")
word2id = {"<pad>": 0, "<unk>": 1}
for words, _ in train:
    for w in words:
        word2id.setdefault(w.lower(), len(word2id))
tag2id = {t: i for i, t in enumerate(sorted({t for _, tags in train for t in tags}))}
print(device, len(train), "sentences,", len(word2id), "words,", tag2id)''',
    '''IGNORE_INDEX = -100          # the positions that CrossEntropyLoss skips


def encode(words, tags):
    return [word2id.get(w.lower(), 1) for w in words], [tag2id[t] for t in tags]


def pad(seqs):
    return pad_sequence([torch.tensor(s) for s in seqs], batch_first=True, padding_value=IGNORE_INDEX)


def collate(batch):
    ids, tags = zip(*[encode(words, tags) for words, tags in batch])
    return pad(ids), pad(tags)


loader = DataLoader(train, batch_size=32, shuffle=True, collate_fn=collate)
ids, tags = next(iter(loader))
print(ids.shape, tags.shape)''',
    '''class BiLSTMTagger(nn.Module):
    def __init__(self, vocab_size, n_tags, emb=100, hidden=128):
        super().__init__()
        self.emb = nn.Embedding(vocab_size, emb, padding_idx=0)
        self.lstm = nn.LSTM(emb, hidden, num_layers=2, batch_first=True, bidirectional=True, dropout=0.3)
        self.fc = nn.Linear(2 * hidden, n_tags)

    def forward(self, ids):
        out, _ = self.lstm(self.emb(ids))
        return self.fc(out)


model = BiLSTMTagger(len(word2id), len(tag2id)).to(device)
criterion = nn.CrossEntropyLoss(ignore_index=IGNORE_INDEX)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
model''',
    '''for epoch in range(10):
    model.train()
    total = 0.0
    for ids, tags in loader:
        ids, tags = ids.to(device), tags.to(device)
        logits = model(ids)
        loss = criterion(logits.reshape(-1, len(tag2id)), tags.reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        optimizer.step()
        total += loss.item()
    print(f"epoch {epoch + 1}: loss {total / len(loader):.4f}")''',
]
SCRIPTS["oxford-pets-trimap-one-based-dice-scatter"] = '''
import glob
import os

import numpy as np
import torch
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from tqdm import tqdm

device = torch.device("cuda")
CLASSES = ["pet", "background", "border"]


class PetTrimaps(Dataset):
    """Oxford-IIIT Pet: images/<name>.jpg and annotations/trimaps/<name>.png"""

    def __init__(self, root, size=160):
        self.images = sorted(glob.glob(os.path.join(root, "images", "*.jpg")))
        self.root, self.size = root, size

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        name = os.path.splitext(os.path.basename(self.images[i]))[0]
        img = Image.open(self.images[i]).convert("RGB").resize((self.size, self.size), Image.BILINEAR)
        trimap = Image.open(os.path.join(self.root, "annotations", "trimaps", name + ".png"))
        trimap = trimap.resize((self.size, self.size), Image.NEAREST)
        x = torch.from_numpy(np.asarray(img, dtype=np.float32) / 255.0).permute(2, 0, 1)
        return x, torch.from_numpy(np.asarray(trimap, dtype=np.int64))


def dice_loss(logits, target, eps=1.0):
    """soft multi-class Dice: the thin border class counts as much as the others"""
    probs = logits.softmax(dim=1)
    one_hot = torch.zeros_like(probs).scatter_(1, target.unsqueeze(1), 1.0)
    inter = (probs * one_hot).sum(dim=(2, 3))
    union = probs.sum(dim=(2, 3)) + one_hot.sum(dim=(2, 3))
    return 1.0 - ((2.0 * inter + eps) / (union + eps)).mean()


loader = DataLoader(PetTrimaps("oxford-iiit-pet"), batch_size=8, shuffle=True, num_workers=2, drop_last=True)
model = torchvision.models.segmentation.lraspp_mobilenet_v3_large(weights=None, weights_backbone=None,
                                                                  num_classes=len(CLASSES)).to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(40):
    model.train()
    pbar = tqdm(loader, desc=f"epoch {epoch + 1}")
    for x, trimap in pbar:
        x, trimap = x.to(device), trimap.to(device)
        loss = dice_loss(model(x)["out"], trimap)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        pbar.set_postfix(dice_loss=f"{loss.item():.4f}")
'''
SCRIPTS["word2vec-negative-sampling-table-counts-dropped-words"] = '''
import random
from collections import Counter

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from tqdm import tqdm

random.seed(0)
device = torch.device("cuda")
MIN_COUNT, WINDOW, NEG, DIM, BATCH = 5, 2, 5, 128, 1024

words = open("text8", encoding="utf-8").read().split()
counter = Counter(words)
vocab = [w for w, c in counter.most_common() if c >= MIN_COUNT]
word2idx = {w: i for i, w in enumerate(vocab)}
ids = [word2idx[w] for w in words if w in word2idx]
print(f"{len(words):,} tokens, {len(counter):,} distinct words, {len(vocab):,} kept (min_count={MIN_COUNT})")

# subsampling of frequent words (Mikolov et al. 2013)
freqs = Counter(ids)
keep = {i: min(1.0, (1e-3 * len(ids) / c) ** 0.5) for i, c in freqs.items()}
ids = [i for i in ids if random.random() < keep[i]]

# the noise distribution of negative sampling: unigram counts ** 0.75
unigram = np.array([c for _, c in counter.most_common()], dtype=np.float64) ** 0.75
noise_dist = torch.tensor(unigram / unigram.sum(), dtype=torch.float32, device=device)

pairs = torch.tensor([(ids[i], ids[j]) for i in range(len(ids))
                      for j in range(max(0, i - WINDOW), min(len(ids), i + WINDOW + 1)) if j != i])
print(f"{len(pairs):,} (center, context) pairs")


class SkipGramNeg(nn.Module):
    def __init__(self, n_vocab, dim):
        super().__init__()
        self.in_embed = nn.Embedding(n_vocab, dim)
        self.out_embed = nn.Embedding(n_vocab, dim)
        nn.init.uniform_(self.in_embed.weight, -0.5 / dim, 0.5 / dim)
        nn.init.zeros_(self.out_embed.weight)

    def forward(self, center, context, negatives):
        c = self.in_embed(center)                                   # (B, D)
        o = self.out_embed(context)                                 # (B, D)
        n = self.out_embed(negatives)                               # (B, NEG, D)
        pos = F.logsigmoid((c * o).sum(1))
        neg = F.logsigmoid(-torch.bmm(n, c.unsqueeze(2)).squeeze(2)).sum(1)
        return -(pos + neg).mean()


model = SkipGramNeg(len(vocab), DIM).to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
for epoch in range(5):
    perm = torch.randperm(len(pairs))
    pbar = tqdm(range(0, len(pairs), BATCH), desc=f"epoch {epoch + 1}")
    for step, b in enumerate(pbar):
        batch = pairs[perm[b:b + BATCH]].to(device)
        negatives = torch.multinomial(noise_dist, len(batch) * NEG, replacement=True).view(len(batch), NEG)
        loss = model(batch[:, 0], batch[:, 1], negatives)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if step % 50 == 0:
            pbar.set_postfix(loss=f"{loss.item():.4f}")
'''
SCRIPTS["cub200-attribute-targets-index-select-one-based-ids"] = '''
import numpy as np
import torch
import torch.nn.functional as F
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

device = torch.device("cuda")
ROOT = "CUB_200_2011"


def read_pairs(name):
    with open(f"{ROOT}/{name}") as f:
        return [line.split(maxsplit=1) for line in f if line.strip()]


images = {k: v.strip() for k, v in read_pairs("images.txt")}
labels = {k: int(v) for k, v in read_pairs("image_class_labels.txt")}
is_train = {k: v.strip() == "1" for k, v in read_pairs("train_test_split.txt")}
classes = [v.strip() for _, v in read_pairs("classes.txt")]
# per class, the percentage of its images that show each of the 312 attributes
class_attr = torch.tensor(np.loadtxt(f"{ROOT}/attributes/class_attribute_labels_continuous.txt") / 100.0,
                          dtype=torch.float32, device=device)
print(f"{len(images)} images, {len(classes)} classes, class attributes {tuple(class_attr.shape)}")


class CUB(Dataset):
    def __init__(self, train, transform):
        self.ids = [k for k in images if is_train[k] == train]
        self.transform = transform

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        k = self.ids[i]
        img = Image.open(f"{ROOT}/images/{images[k]}").convert("RGB")
        return self.transform(img), labels[k]


tf = transforms.Compose([transforms.RandomResizedCrop(224, scale=(0.5, 1.0)), transforms.RandomHorizontalFlip(),
                         transforms.ToTensor(), transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
loader = DataLoader(CUB(True, tf), batch_size=16, shuffle=True, num_workers=2)
# attribute prediction (DAP-style zero-shot): the network predicts the 312 attributes, not the class
model = torchvision.models.resnet18(num_classes=class_attr.size(1)).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
for epoch in range(30):
    model.train()
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        target = class_attr.index_select(0, y)
        loss = F.binary_cross_entropy_with_logits(model(x), target)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        scores = torch.sigmoid(model(x)) @ class_attr.T
        acc = (scores.argmax(1) == y).float().mean().item()
    print(f"epoch {epoch}: attribute loss {loss.item():.4f}, class accuracy from attributes {acc:.3f}")
'''
SCRIPTS["plantvillage-debug-subset-bincount-class-weights"] = '''
import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader, Subset
from torchvision import datasets, transforms
from tqdm import tqdm

DEBUG = True                      # a quick run on a few images before the overnight job
device = torch.device("cuda")
tf = transforms.Compose([transforms.RandomResizedCrop(128, scale=(0.6, 1.0)), transforms.RandomHorizontalFlip(),
                         transforms.ToTensor(), transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
full = datasets.ImageFolder("plantvillage/train", transform=tf)
if DEBUG:
    train_set = Subset(full, range(32))
    targets = torch.tensor(full.targets[:32])
else:
    train_set, targets = full, torch.tensor(full.targets)

# inverse-frequency class weights: the tomato mosaic virus has far fewer images than the rest
counts = torch.bincount(targets.to(device))
class_weights = counts.sum() / (len(counts) * counts.float())
print(f"{len(train_set)} images, {len(full.classes)} classes; class weights {[round(w, 2) for w in class_weights.tolist()]}")

loader = DataLoader(train_set, batch_size=16, shuffle=True, num_workers=2)
model = torchvision.models.resnet18(num_classes=len(full.classes)).to(device)
criterion = nn.CrossEntropyLoss(weight=class_weights)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for epoch in range(3 if DEBUG else 40):
    model.train()
    for x, y in tqdm(loader, desc=f"epoch {epoch + 1}"):
        x, y = x.to(device), y.to(device)
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch + 1}: {loss.item():.4f}")
'''

# ------------------------------------------------------------------ out of memory
CELLS["notebook-oom-ecg-transformer-attention-weights-5000-samples"] = [
    oom_head("15", "a Colab T4, 15 GB").strip() + '''
import numpy as np
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset, random_split
from tqdm.auto import tqdm

device = torch.device("cuda")
X = torch.from_numpy(np.load("ptbxl/records500.npy")).float()     # (records, 5000 samples = 10 s at 500 Hz, 12 leads)
Y = torch.from_numpy(np.load("ptbxl/superclass_labels.npy")).float()   # NORM, MI, STTC, CD, HYP
X = (X - X.mean(dim=(0, 1))) / X.std(dim=(0, 1))
train_set, val_set = random_split(TensorDataset(X, Y), [0.8, 0.2], generator=torch.Generator().manual_seed(42))
print(tuple(X.shape), Y.sum(0).tolist())''',
    '''class ECGTransformer(nn.Module):
    """every sample of the 12-lead signal is a token: the model sees the whole 10 s at full resolution"""

    def __init__(self, leads=12, d_model=128, heads=8, layers=4, n_classes=5, max_len=5000):
        super().__init__()
        self.embed = nn.Linear(leads, d_model)
        self.pos = nn.Parameter(torch.randn(1, max_len, d_model) * 0.02)
        self.norms1 = nn.ModuleList([nn.LayerNorm(d_model) for _ in range(layers)])
        self.attns = nn.ModuleList([nn.MultiheadAttention(d_model, heads, dropout=0.1, batch_first=True)
                                    for _ in range(layers)])
        self.norms2 = nn.ModuleList([nn.LayerNorm(d_model) for _ in range(layers)])
        self.ffs = nn.ModuleList([nn.Sequential(nn.Linear(d_model, 4 * d_model), nn.GELU(), nn.Linear(4 * d_model, d_model))
                                  for _ in range(layers)])
        self.head = nn.Linear(d_model, n_classes)

    def forward(self, x):
        h = self.embed(x) + self.pos[:, :x.size(1)]
        for norm1, attn, norm2, ff in zip(self.norms1, self.attns, self.norms2, self.ffs):
            q = norm1(h)
            a, _ = attn(q, q, q)
            h = h + a
            h = h + ff(norm2(h))
        return self.head(h.mean(dim=1))


model = ECGTransformer().to(device)
print(f"{sum(p.numel() for p in model.parameters()) / 1e6:.2f}M parameters")''',
    '''train_loader = DataLoader(train_set, batch_size=16, shuffle=True, drop_last=True)
criterion = nn.BCEWithLogitsLoss()
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=1e-2)
for epoch in range(30):
    model.train()
    for x, y in tqdm(train_loader, desc=f"epoch {epoch + 1}"):
        x, y = x.to(device), y.to(device)
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch + 1}: {loss.item():.4f}")''',
]
SCRIPTS["oom-adni-3d-cnn-volumes-resampled-to-1mm"] = oom_head("8", "an 8 GB RTX 2080") + '''
import csv

import numpy as np
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset

device = torch.device("cuda")
GROUPS = ["CN", "MCI", "AD"]
MNI_1MM = (182, 218, 182)


class ADNI(Dataset):
    """T1 volumes registered to MNI space, stored at 2 mm; resampled to the 1 mm template"""

    def __init__(self, csv_path):
        with open(csv_path, newline="") as f:
            self.rows = [(r["subject"], GROUPS.index(r["group"])) for r in csv.DictReader(f)]

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        subject, label = self.rows[i]
        vol = torch.from_numpy(np.load(f"adni/volumes/{subject}.npy").astype(np.float32))
        vol = (vol - vol.mean()) / vol.std()
        vol = F.interpolate(vol[None, None], size=MNI_1MM, mode="trilinear", align_corners=False)[0]
        return vol, label


def conv_block(cin, cout):
    return nn.Sequential(nn.Conv3d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm3d(cout), nn.ReLU(inplace=True),
                         nn.MaxPool3d(2))


class Brain3DCNN(nn.Module):
    def __init__(self, n_classes=3):
        super().__init__()
        self.features = nn.Sequential(conv_block(1, 32), conv_block(32, 64), conv_block(64, 128), conv_block(128, 256))
        self.pool = nn.AdaptiveAvgPool3d(1)
        self.fc = nn.Sequential(nn.Dropout(0.5), nn.Linear(256, n_classes))

    def forward(self, x):
        return self.fc(self.pool(self.features(x)).flatten(1))


loader = DataLoader(ADNI("adni/labels.csv"), batch_size=8, shuffle=True)
model = Brain3DCNN().to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4, weight_decay=1e-5)
print(f"{len(loader.dataset)} subjects, input {MNI_1MM}")
for epoch in range(50):
    model.train()
    for vol, label in loader:
        vol, label = vol.to(device), label.to(device)
        loss = criterion(model(vol), label)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''
SCRIPTS["oom-speaker-hard-negative-mining-cdist-whole-set"] = oom_head("16", "a 16 GB V100 on the university cluster") + '''
import numpy as np
import torch.nn as nn
import torch.nn.functional as F
from tqdm import tqdm

device = torch.device("cuda")
feats = torch.from_numpy(np.load("voxceleb/dev_logmel_stats.npy").astype(np.float32))   # mean + std of 40 log-mels
speakers = torch.from_numpy(np.load("voxceleb/dev_speaker_ids.npy"))                      # grouped by speaker
spk = speakers.tolist()
first_of = {}
for i, s in enumerate(spk):
    first_of.setdefault(s, i)
# a positive for every utterance: the next utterance of the same speaker
positive_of = torch.tensor([i + 1 if i + 1 < len(spk) and spk[i + 1] == s else first_of[s] for i, s in enumerate(spk)])
print(f"{len(feats)} utterances of {len(first_of)} speakers")


class SpeakerNet(nn.Module):
    def __init__(self, d_in=80, d_emb=256):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(d_in, 512), nn.BatchNorm1d(512), nn.ReLU(),
                                 nn.Linear(512, 512), nn.BatchNorm1d(512), nn.ReLU(), nn.Linear(512, d_emb))

    def forward(self, x):
        return F.normalize(self.net(x), dim=1)


model = SpeakerNet().to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
triplet = nn.TripletMarginLoss(margin=0.3)
feats_gpu, speakers_gpu, positive_gpu = feats.to(device), speakers.to(device), positive_of.to(device)
for epoch in range(20):
    # offline hard-negative mining: embed every utterance, take the closest one of another speaker
    model.eval()
    with torch.no_grad():
        emb = torch.cat([model(feats_gpu[i:i + 8192]) for i in range(0, len(feats_gpu), 8192)])
        dist = torch.cdist(emb, emb)
        dist[speakers_gpu[:, None] == speakers_gpu[None, :]] = float("inf")
        hardest_negative = dist.argmin(dim=1)
    model.train()
    perm = torch.randperm(len(feats_gpu), device=device)
    for i in tqdm(range(0, len(perm), 512), desc=f"epoch {epoch}"):
        idx = perm[i:i + 512]
        loss = triplet(model(feats_gpu[idx]), model(feats_gpu[positive_gpu[idx]]),
                       model(feats_gpu[hardest_negative[idx]]))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: triplet loss {loss.item():.4f}")
'''
SCRIPTS["oom-polyp-seg-val-metrics-summed-as-tensors"] = oom_head("4", "a 4 GB GTX 1050 Ti") + '''
import glob
from collections import defaultdict

import numpy as np
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from tqdm import tqdm

device = torch.device("cuda")


class KvasirSEG(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/images/*.jpg"))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = np.asarray(Image.open(self.images[i]).convert("RGB"), dtype=np.float32) / 255.0
        mask = np.asarray(Image.open(self.images[i].replace("/images/", "/masks/")).convert("L")) > 127
        return torch.from_numpy(img).permute(2, 0, 1), torch.from_numpy(mask.astype(np.float32))[None]


def double_conv(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
                         nn.Conv2d(cout, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class UNet(nn.Module):
    def __init__(self, ch=(32, 64, 128, 256)):
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


def dice_coefficient(probs, target, eps=1e-6):
    inter = (probs * target).sum(dim=(1, 2, 3))
    return ((2 * inter + eps) / (probs.sum(dim=(1, 2, 3)) + target.sum(dim=(1, 2, 3)) + eps)).mean()


train_loader = DataLoader(KvasirSEG("kvasir-seg/train"), batch_size=4, shuffle=True, num_workers=2)
val_loader = DataLoader(KvasirSEG("kvasir-seg/val"), batch_size=4, num_workers=2)
model = UNet().to(device)
criterion = nn.BCEWithLogitsLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
history = defaultdict(list)
for epoch in range(100):
    model.train()
    train_loss = 0.0
    for img, mask in tqdm(train_loader, desc=f"train {epoch}"):
        img, mask = img.to(device), mask.to(device)
        loss = criterion(model(img), mask)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        train_loss += loss
    model.eval()
    val_loss, val_dice = 0.0, 0.0
    for img, mask in tqdm(val_loader, desc=f"val {epoch}"):
        img, mask = img.to(device), mask.to(device)
        logits = model(img)
        val_loss += criterion(logits, mask)
        val_dice += dice_coefficient(torch.sigmoid(logits), mask)
    history["train_loss"].append(train_loss / len(train_loader))
    history["val_loss"].append(val_loss / len(val_loader))
    history["val_dice"].append(val_dice / len(val_loader))
    print(f"epoch {epoch}: train {history['train_loss'][-1]:.4f}, val {history['val_loss'][-1]:.4f}, "
          f"dice {history['val_dice'][-1]:.4f}")
'''
SCRIPTS["oom-deepfm-hashing-trick-embedding-dense-adam"] = oom_head("3", "a 3 GB GTX 1060") + '''
import math
import zlib

import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from tqdm import tqdm

device = torch.device("cuda")
NUM_BUCKETS = 2 ** 22            # the hashing trick: no vocabulary to build, every (field, value) gets a bucket
EMBED_DIM = 64
N_DENSE, N_CAT = 13, 26


class Criteo(Dataset):
    """label, 13 integer features, 26 hashed categorical features, tab-separated"""

    def __init__(self, path):
        with open(path) as f:
            self.rows = [line.rstrip("\\n").split("\\t") for line in f]

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        row = self.rows[i]
        dense = torch.tensor([math.log1p(float(v)) if v and float(v) > 0 else 0.0 for v in row[1:1 + N_DENSE]])
        cats = torch.tensor([zlib.crc32(f"C{j}={v}".encode()) % NUM_BUCKETS for j, v in enumerate(row[1 + N_DENSE:])])
        return dense, cats, torch.tensor(float(row[0]))


class DeepFM(nn.Module):
    def __init__(self):
        super().__init__()
        self.wide = nn.Embedding(NUM_BUCKETS, 1)
        self.embedding = nn.Embedding(NUM_BUCKETS, EMBED_DIM)
        self.dense_proj = nn.Linear(N_DENSE, EMBED_DIM)
        self.mlp = nn.Sequential(nn.Linear((N_CAT + 1) * EMBED_DIM, 400), nn.ReLU(), nn.Dropout(0.2),
                                 nn.Linear(400, 400), nn.ReLU(), nn.Linear(400, 1))

    def forward(self, dense, cats):
        emb = torch.cat([self.embedding(cats), self.dense_proj(dense).unsqueeze(1)], dim=1)   # (B, 27, D)
        fm = 0.5 * (emb.sum(1).pow(2) - emb.pow(2).sum(1)).sum(1, keepdim=True)
        wide = self.wide(cats).sum(1)
        return (wide + fm + self.mlp(emb.flatten(1))).squeeze(1)


loader = DataLoader(Criteo("criteo/train.txt"), batch_size=1024, shuffle=True, num_workers=2)
model = DeepFM().to(device)
print(f"{sum(p.numel() for p in model.parameters()) / 1e6:.1f}M parameters")
criterion = nn.BCEWithLogitsLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    model.train()
    pbar = tqdm(loader, desc=f"epoch {epoch + 1}")
    for dense, cats, y in pbar:
        dense, cats, y = dense.to(device), cats.to(device), y.to(device)
        loss = criterion(model(dense, cats), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        pbar.set_postfix(logloss=f"{loss.item():.4f}")
'''

# ------------------------------------------------------------------ tensors on two devices
SCRIPTS["utkface-multitask-heads-in-plain-dict"] = '''
import glob
import os

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms
from tqdm import tqdm

device = torch.device("cuda")


class UTKFace(Dataset):
    """file names are [age]_[gender]_[race]_[date&time].jpg.chip.jpg"""

    def __init__(self, root, transform):
        self.files = sorted(glob.glob(os.path.join(root, "*.jpg.chip.jpg")))
        self.transform = transform

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        age, gender, race = os.path.basename(self.files[i]).split("_")[:3]
        img = self.transform(Image.open(self.files[i]).convert("RGB"))
        return img, torch.tensor(float(age)), int(gender), int(race)


class MultiTaskNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = torchvision.models.resnet34()
        self.backbone.fc = nn.Identity()
        self.heads = {"age": nn.Linear(512, 1), "gender": nn.Linear(512, 2), "race": nn.Linear(512, 5)}

    def forward(self, x):
        features = self.backbone(x)
        return {task: head(features) for task, head in self.heads.items()}


tf = transforms.Compose([transforms.Resize((128, 128)), transforms.RandomHorizontalFlip(), transforms.ToTensor(),
                         transforms.Normalize([0.5, 0.5, 0.5], [0.5, 0.5, 0.5])])
loader = DataLoader(UTKFace("UTKFace", tf), batch_size=16, shuffle=True, num_workers=2)
model = MultiTaskNet().to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(20):
    model.train()
    for img, age, gender, race in tqdm(loader, desc=f"epoch {epoch}"):
        img, age, gender, race = img.to(device), age.to(device), gender.to(device), race.to(device)
        out = model(img)
        loss = (F.l1_loss(out["age"].squeeze(1), age) / 10 + F.cross_entropy(out["gender"], gender)
                + F.cross_entropy(out["race"], race))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''
SCRIPTS["fashion-mnist-zca-v2-linear-transformation-on-gpu"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F
from torchvision import datasets
from torchvision.transforms import v2

device = torch.device("cuda")
train = datasets.FashionMNIST("data", train=True, download=True)
x = train.data.float().div(255.0).unsqueeze(1)                 # (N, 1, 28, 28)
y = train.targets

# ZCA whitening (decorrelated pixels train faster), computed once on the training set
flat = x.flatten(1)
mean = flat.mean(0)
cov = torch.cov((flat - mean).T)
eigvals, eigvecs = torch.linalg.eigh(cov)
zca = eigvecs @ torch.diag(1.0 / torch.sqrt(eigvals.clamp(min=0) + 0.1)) @ eigvecs.T
print(f"{len(x)} images, ZCA matrix {tuple(zca.shape)}")

# the whole training set fits on the GPU: augment on the GPU, no DataLoader
x_gpu, y_gpu = x.to(device), y.to(device)
augment = v2.Compose([v2.RandomCrop(28, padding=2), v2.RandomHorizontalFlip(), v2.LinearTransformation(zca, mean)])

model = nn.Sequential(
    nn.Conv2d(1, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(64, 128, 3, padding=1), nn.BatchNorm2d(128), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(128, 256, 3, padding=1), nn.BatchNorm2d(256), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
    nn.Flatten(), nn.Linear(256, 10)).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True, weight_decay=5e-4)
for epoch in range(20):
    model.train()
    perm = torch.randperm(len(x_gpu), device=device)
    for i in range(0, len(perm), 512):
        idx = perm[i:i + 512]
        loss = F.cross_entropy(model(augment(x_gpu[idx])), y_gpu[idx], label_smoothing=0.1)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''
SCRIPTS["unet-cell-border-weight-map-left-on-cpu"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from scipy import ndimage
from torch.utils.data import DataLoader, Dataset

device = torch.device("cuda")


def unet_weight_map(instances, w0=10.0, sigma=5.0):
    """Ronneberger et al. 2015, eq. 2: class balance plus a border term between touching cells"""
    fg = instances > 0
    wc = np.where(fg, 0.5 / max(fg.mean(), 1e-3), 0.5 / max(1 - fg.mean(), 1e-3))
    ids = [i for i in np.unique(instances) if i > 0]
    if len(ids) < 2:
        return wc.astype(np.float32)
    dists = np.sort(np.stack([ndimage.distance_transform_edt(instances != i) for i in ids]), axis=0)
    border = w0 * np.exp(-((dists[0] + dists[1]) ** 2) / (2 * sigma ** 2)) * ~fg
    return (wc + border).astype(np.float32)


class Nuclei(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/images/*.png"))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = np.asarray(Image.open(self.images[i]).convert("L"), dtype=np.float32) / 255.0
        instances = np.asarray(Image.open(self.images[i].replace("/images/", "/labels/")))
        weights = unet_weight_map(instances)
        return (torch.from_numpy(img)[None], torch.from_numpy((instances > 0).astype(np.int64)),
                torch.from_numpy(weights))


def block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU(inplace=True),
                         nn.Conv2d(cout, cout, 3, padding=1), nn.ReLU(inplace=True))


class UNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.d1, self.d2, self.d3 = block(1, 32), block(32, 64), block(64, 128)
        self.u2, self.u1 = block(128 + 64, 64), block(64 + 32, 32)
        self.out = nn.Conv2d(32, 2, 1)

    def forward(self, x):
        a = self.d1(x)
        b = self.d2(F.max_pool2d(a, 2))
        c = self.d3(F.max_pool2d(b, 2))
        b = self.u2(torch.cat([F.interpolate(c, scale_factor=2.0), b], 1))
        return self.out(self.u1(torch.cat([F.interpolate(b, scale_factor=2.0), a], 1)))


loader = DataLoader(Nuclei("nuclei/train"), batch_size=4, shuffle=True, num_workers=2)
model = UNet().to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
for epoch in range(50):
    model.train()
    for img, mask, weight_map in loader:
        img, mask = img.to(device), mask.to(device)
        pixel_loss = F.cross_entropy(model(img), mask, reduction="none")
        loss = (pixel_loss * weight_map).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: weighted loss {loss.item():.4f}")
'''
SCRIPTS["swa-update-bn-without-device"] = '''
import torch
import torch.nn as nn
import torchvision
from torch.optim.swa_utils import SWALR, AveragedModel, update_bn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from tqdm import tqdm

device = torch.device("cuda")
EPOCHS, SWA_START = 8, 5
tf = transforms.Compose([transforms.RandomResizedCrop(96, scale=(0.6, 1.0)), transforms.RandomHorizontalFlip(),
                         transforms.ToTensor(), transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
train_set = datasets.ImageFolder("flowers/train", transform=tf)
loader = DataLoader(train_set, batch_size=16, shuffle=True, num_workers=2)
model = torchvision.models.resnet18(num_classes=len(train_set.classes)).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=SWA_START)
# stochastic weight averaging over the last epochs, as in the PyTorch blog post
swa_model = AveragedModel(model)
swa_scheduler = SWALR(optimizer, swa_lr=0.05)
criterion = nn.CrossEntropyLoss()
for epoch in range(EPOCHS):
    model.train()
    for x, y in tqdm(loader, desc=f"epoch {epoch}"):
        x, y = x.to(device), y.to(device)
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    if epoch >= SWA_START:
        swa_model.update_parameters(model)
        swa_scheduler.step()
    else:
        scheduler.step()
    print(f"epoch {epoch}: {loss.item():.4f}")

# recompute the BatchNorm statistics for the averaged weights
update_bn(loader, swa_model)
torch.save(swa_model.module.state_dict(), "resnet18_swa.pth")
'''
CELLS["notebook-gradcam-overlay-with-cpu-image"] = [
    '''import torch
import torch.nn.functional as F
import torchvision
from PIL import Image
from torchvision import transforms

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
CLASSES = ["cat", "dog"]
model = torchvision.models.resnet18(num_classes=len(CLASSES))
model.load_state_dict(torch.load("models/cats_vs_dogs_resnet18.pth", map_location=device))
model = model.to(device).eval()
print(device)''',
    '''activations, gradients = {}, {}
target_layer = model.layer4[-1]
target_layer.register_forward_hook(lambda module, inp, out: activations.__setitem__("value", out))
target_layer.register_full_backward_hook(lambda module, grad_in, grad_out: gradients.__setitem__("value", grad_out[0]))

mean, std = torch.tensor([0.485, 0.456, 0.406]).view(3, 1, 1), torch.tensor([0.229, 0.224, 0.225]).view(3, 1, 1)
tf = transforms.Compose([transforms.Resize((224, 224)), transforms.ToTensor(), transforms.Normalize(mean.flatten(), std.flatten())])
img = Image.open("test_photos/pet_0007.jpg").convert("RGB")
x = tf(img).unsqueeze(0)
logits = model(x.to(device))
pred = logits.argmax(1).item()
logits[0, pred].backward()
print("predicted:", CLASSES[pred], logits.softmax(1).tolist())''',
    '''# Grad-CAM: channel weights = spatially averaged gradients of the predicted class
weights = gradients["value"].mean(dim=(2, 3), keepdim=True)
cam = F.relu((weights * activations["value"]).sum(dim=1, keepdim=True))
cam = F.interpolate(cam, size=x.shape[-2:], mode="bilinear", align_corners=False)[0, 0]
cam = (cam - cam.min()) / (cam.max() - cam.min() + 1e-8)
cam.shape''',
    '''image = (x[0] * std + mean).clamp(0, 1)
heatmap = torch.stack([cam, torch.zeros_like(cam), 1 - cam])      # red where the model looked
overlay = 0.6 * image + 0.4 * heatmap
transforms.ToPILImage()(overlay.detach()).save("gradcam_pet_0007.png")''',
]

# ------------------------------------------------------------------ half precision
SCRIPTS["pneumonia-half-model-adam-eps-underflow-bce"] = '''
import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from tqdm import tqdm

device = torch.device("cuda")
tf = transforms.Compose([transforms.Grayscale(3), transforms.Resize((224, 224)), transforms.RandomRotation(10),
                         transforms.ToTensor(), transforms.Normalize([0.5, 0.5, 0.5], [0.25, 0.25, 0.25])])
train_set = datasets.ImageFolder("chest_xray/train", transform=tf)           # NORMAL, PNEUMONIA
loader = DataLoader(train_set, batch_size=8, shuffle=True, num_workers=2)

model = torchvision.models.resnet18()
model.fc = nn.Sequential(nn.Linear(model.fc.in_features, 1), nn.Sigmoid())
model = model.half().to(device)          # fp16: half the memory, and the tensor cores
criterion = nn.BCELoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
print(train_set.class_to_idx)
for epoch in range(20):
    model.train()
    pbar = tqdm(loader, desc=f"epoch {epoch + 1}")
    for x, y in pbar:
        x, y = x.to(device).half(), y.to(device).half().unsqueeze(1)
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        pbar.set_postfix(loss=f"{loss.item():.4f}")
'''
SCRIPTS["deepweeds-weighted-ce-outside-autocast"] = '''
import csv
from collections import Counter

import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms
from tqdm import tqdm

device = torch.device("cuda")
SPECIES = ["Chinee apple", "Lantana", "Parkinsonia", "Parthenium", "Prickly acacia", "Rubber vine", "Siam weed",
           "Snake weed", "Negative"]


class DeepWeeds(Dataset):
    def __init__(self, csv_path, transform):
        with open(csv_path, newline="") as f:
            self.rows = [(r["Filename"], int(r["Label"])) for r in csv.DictReader(f)]
        self.transform = transform

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        name, label = self.rows[i]
        return self.transform(Image.open(f"deepweeds/images/{name}").convert("RGB")), label


tf = transforms.Compose([transforms.RandomResizedCrop(160, scale=(0.5, 1.0)), transforms.RandomHorizontalFlip(),
                         transforms.RandomVerticalFlip(), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
train_set = DeepWeeds("deepweeds/labels.csv", tf)
counts = Counter(label for _, label in train_set.rows)
# "Negative" (no weed) is half the data: weight the classes by inverse frequency
class_weights = torch.tensor([len(train_set) / (len(SPECIES) * counts[c]) for c in range(len(SPECIES))])
print({SPECIES[c]: counts[c] for c in range(len(SPECIES))})

loader = DataLoader(train_set, batch_size=16, shuffle=True, num_workers=2, pin_memory=True)
model = torchvision.models.resnet50(num_classes=len(SPECIES)).to(device)
criterion = nn.CrossEntropyLoss(weight=class_weights.to(device))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
scaler = torch.amp.GradScaler("cuda")
for epoch in range(30):
    model.train()
    pbar = tqdm(loader, desc=f"epoch {epoch + 1}")
    for images, labels in pbar:
        images, labels = images.to(device, non_blocking=True), labels.to(device, non_blocking=True)
        with torch.autocast(device_type="cuda", dtype=torch.float16):
            logits = model(images)
        loss = criterion(logits, labels)          # the loss outside autocast, in full precision
        optimizer.zero_grad()
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()
        pbar.set_postfix(loss=f"{loss.item():.4f}")
'''

# ------------------------------------------------------------------ device indices
SCRIPTS["lab-script-gpu-1-default-get-device-name"] = '''
import argparse

import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

parser = argparse.ArgumentParser(description="EuroSAT land cover, ResNet-50")
parser.add_argument("--data", default="EuroSAT/2750")
parser.add_argument("--gpu", type=int, default=1, help="GPU id (GPU 0 is used by the other group)")
parser.add_argument("--epochs", type=int, default=30)
parser.add_argument("--batch-size", type=int, default=64)
parser.add_argument("--lr", type=float, default=0.01)
args = parser.parse_args()

device = torch.device(f"cuda:{args.gpu}")
props = torch.cuda.get_device_properties(args.gpu)
print(f"Training on {torch.cuda.get_device_name(args.gpu)} ({props.total_memory / 2**30:.0f} GB)")

tf = transforms.Compose([transforms.RandomResizedCrop(64), transforms.RandomHorizontalFlip(), transforms.ToTensor()])
train_set = datasets.ImageFolder(args.data, transform=tf)
loader = DataLoader(train_set, batch_size=args.batch_size, shuffle=True, num_workers=4)
model = torchvision.models.resnet50(num_classes=len(train_set.classes)).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)
for epoch in range(args.epochs):
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''
CELLS["notebook-env-cuda-visible-devices-1-one-gpu"] = [
    '''%env CUDA_VISIBLE_DEVICES=1
# GPU 0 of the lab server is always busy: this notebook takes the second card''',
    '''import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

device = torch.device("cuda")
tf = transforms.Compose([transforms.Resize((128, 128)), transforms.RandomHorizontalFlip(), transforms.ToTensor()])
train_set = datasets.ImageFolder("bird-calls/spectrograms/train", transform=tf)
loader = DataLoader(train_set, batch_size=32, shuffle=True, num_workers=2, pin_memory=True)
print(len(train_set), "spectrograms,", train_set.classes)''',
    '''model = torchvision.models.resnet18(num_classes=len(train_set.classes)).to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=3e-4)
criterion = nn.CrossEntropyLoss()''',
    '''for epoch in range(10):
    for x, y in loader:
        x, y = x.to(device, non_blocking=True), y.to(device, non_blocking=True)
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())''',
]

# ------------------------------------------------------------------ ImageAI 3 on the GPU
CELLS["notebook-imageai-yolov3-tiny-class-batched-frames-no-device"] = [
    '''import glob
import json

import cv2
import torch
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny
from imageai.yolov3.utils import get_predictions, prepare_image

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
config = json.load(open("traffic/json/traffic_tiny-yolov3_detection_config.json"))
print(device, config["labels"])''',
    '''# CustomObjectDetection takes one image per call: too slow for four hours of camera footage,
# so the network trained by ImageAI's DetectionModelTrainer is used directly, on batches of frames
model = YoloV3Tiny(anchors=config["anchors"], num_classes=len(config["labels"]))
model.load_state_dict(torch.load("traffic/models/tiny-yolov3_traffic_last.pt", map_location="cpu"))
model = model.to(device).eval()''',
    '''frames = sorted(glob.glob("traffic_cam/frames/*.jpg"))
counts = dict.fromkeys(config["labels"], 0)
for start in range(0, len(frames), 8):
    batch = torch.cat([prepare_image(cv2.imread(f), (416, 416)) for f in frames[start:start + 8]]).to(device)
    with torch.no_grad():
        out = model(batch)
    dets = get_predictions(out, num_classes=len(config["labels"]), objectness_confidence=0.5,
                           nms_confidence_level=0.4, device=device)
    if dets is not None:
        for cls in dets[:, -1].long().tolist():
            counts[config["labels"][cls]] += 1
print(counts)''',
]
CELLS["notebook-oom-imageai-yolov3-batch-16-mx250-2gb"] = [
    oom_head("2", "a 2 GB GeForce MX250 in the student laptop").strip() + '''
import glob
from collections import Counter

print(torch.cuda.get_device_name(0))''',
    '''labels = Counter(int(line.split()[0]) for p in glob.glob("hardhat/train/annotations/*.txt") for line in open(p))
print(len(glob.glob("hardhat/train/images/*.jpg")), "training images, boxes per class:", dict(sorted(labels.items())))''',
    '''from imageai.Detection.Custom import DetectionModelTrainer

trainer = DetectionModelTrainer()
trainer.setModelTypeAsYOLOv3()
trainer.setDataDirectory(data_directory="hardhat")
trainer.setTrainConfig(object_names_array=["helmet", "head", "person"], batch_size=16, num_experiments=50)
trainer.trainModel()''',
]


# ------------------------------------------------------------------ data
def _words(text):
    return text.split()


aptos = prep('''
    import csv
    import os
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(91)
    os.makedirs("aptos2019/train_images", exist_ok=True)
    yy, xx = np.mgrid[0:96, 0:96]
    fundus = (((yy - 48) ** 2 + (xx - 48) ** 2) < 44 ** 2)[..., None]
    rows = []
    for i in range(48):
        code = f"{rng.integers(16 ** 11, 16 ** 12):012x}"
        grade = int(rng.choice(5, p=[0.45, 0.1, 0.27, 0.06, 0.12]))
        img = fundus * (np.array([150, 70, 30]) + rng.normal(0, 12, (96, 96, 3)))
        for _ in range(3 * grade):                                        # lesions
            y, x = rng.integers(20, 76, size=2)
            img[y - 2:y + 2, x - 2:x + 2] = [200, 190, 60]
        Image.fromarray(img.clip(0, 255).astype(np.uint8)).save(f"aptos2019/train_images/{code}.png")
        rows.append((code, grade))
    with open("aptos2019/train.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id_code", "diagnosis"])
        w.writerows(rows)
''')
ade20k = prep('''
    import os
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(92)
    for split, n in (("training", 16), ("validation", 4)):
        os.makedirs(f"ADEChallengeData2016/images/{split}", exist_ok=True)
        os.makedirs(f"ADEChallengeData2016/annotations/{split}", exist_ok=True)
        for i in range(n):
            ann = np.zeros((120, 160), dtype=np.uint8)                    # 0: "other objects"
            for _ in range(rng.integers(3, 7)):
                y, x = rng.integers(0, 100), rng.integers(0, 130)
                ann[y:y + rng.integers(10, 60), x:x + rng.integers(10, 80)] = rng.integers(1, 151)
            img = rng.normal(110, 20, (120, 160, 3)) + ann[..., None] * 0.6
            name = f"ADE_{'train' if split == 'training' else 'val'}_{i + 1:08d}"
            Image.fromarray(img.clip(0, 255).astype(np.uint8)).save(f"ADEChallengeData2016/images/{split}/{name}.jpg")
            Image.fromarray(ann).save(f"ADEChallengeData2016/annotations/{split}/{name}.png")
''')


def conll(work: Path):
    import random

    rnd = random.Random(93)
    people = _words("Blair Clinton Yeltsin Arafat Mandela Kohl Chirac Hussein Annan Netanyahu")
    places = _words("Germany Britain Moscow Jerusalem Paris Iraq Bosnia Washington Tokyo Brussels")
    orgs = _words("EU UN NATO Reuters Commission Treasury Bundesbank Parliament")
    verbs = _words("said rejects met urged warned called visited told denied backed")
    fill = _words("the a on in to of for with after talks plan reform deal report week officials")
    lines = ["-DOCSTART- -X- -X- O", ""]
    for _ in range(300):
        sent = []
        for _ in range(rnd.randint(5, 14)):
            r = rnd.random()
            if r < 0.12:
                sent.append((rnd.choice(people), "NNP", "B-NP", "B-PER"))
            elif r < 0.24:
                sent.append((rnd.choice(places), "NNP", "B-NP", "B-LOC"))
            elif r < 0.32:
                sent.append((rnd.choice(orgs), "NNP", "B-NP", "B-ORG"))
            elif r < 0.45:
                sent.append((rnd.choice(verbs), "VBD", "B-VP", "O"))
            else:
                sent.append((rnd.choice(fill), "DT", "I-NP", "O"))
        sent.append((".", ".", "O", "O"))
        lines += [" ".join(t) for t in sent] + [""]
    (work / "conll2003").mkdir(parents=True, exist_ok=True)
    (work / "conll2003/eng.train").write_text("\n".join(lines) + "\n", encoding="utf-8")


pets = prep('''
    import os
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(94)
    os.makedirs("oxford-iiit-pet/images", exist_ok=True)
    os.makedirs("oxford-iiit-pet/annotations/trimaps", exist_ok=True)
    yy, xx = np.mgrid[0:140, 0:180]
    breeds = ["Abyssinian", "Bengal", "beagle", "pug", "Persian", "shiba_inu"]
    for i in range(24):
        cy, cx, ry, rx = rng.integers(50, 90), rng.integers(60, 120), rng.integers(25, 45), rng.integers(30, 55)
        r = ((yy - cy) / ry) ** 2 + ((xx - cx) / rx) ** 2
        trimap = np.full((140, 180), 2, dtype=np.uint8)                   # 1 pet, 2 background, 3 border
        trimap[r < 1.15] = 3
        trimap[r < 0.85] = 1
        img = rng.normal(90, 20, (140, 180, 3)) + (trimap == 1)[..., None] * rng.integers(40, 120, 3)
        name = f"{breeds[i % len(breeds)]}_{100 + i}"
        Image.fromarray(img.clip(0, 255).astype(np.uint8)).save(f"oxford-iiit-pet/images/{name}.jpg")
        Image.fromarray(trimap).save(f"oxford-iiit-pet/annotations/trimaps/{name}.png")
''')


def text8(work: Path):
    import random

    rnd = random.Random(95)
    syll = _words("an ar be ca de el en er es in is la le ma ne on or ra re ri ro se ta te ti to un ve")
    vocab = []
    seen = set()
    while len(vocab) < 6000:
        w = "".join(rnd.choice(syll) for _ in range(rnd.randint(1, 4)))
        if w not in seen:
            seen.add(w)
            vocab.append(w)
    weights = [1.0 / (r + 1) for r in range(len(vocab))]              # Zipf
    (work / "text8").write_text(" ".join(rnd.choices(vocab, weights, k=120_000)), encoding="utf-8")


def cub(work: Path):
    import random

    from _record import make_images

    rnd = random.Random(96)
    root = work / "CUB_200_2011"
    (root / "attributes").mkdir(parents=True, exist_ok=True)
    known = {1: "Black_footed_Albatross", 17: "Cardinal", 45: "Northern_Fulmar", 88: "Western_Meadowlark",
             123: "Henslow_Sparrow", 156: "White_eyed_Vireo", 190: "Red_cockaded_Woodpecker", 200: "Common_Yellowthroat"}
    names = [f"{c:03d}.{known.get(c, f'Species_{c:03d}')}" for c in range(1, 201)]
    (root / "classes.txt").write_text("".join(f"{c} {n}\n" for c, n in enumerate(names, 1)))
    (root / "attributes/class_attribute_labels_continuous.txt").write_text(
        "".join(" ".join(f"{rnd.uniform(0, 100):.4f}" for _ in range(312)) + "\n" for _ in range(200)))
    images, labels, split, specs = [], [], [], []
    for i in range(1, 65):
        c = rnd.choice(sorted(known)) if i % 4 else 200
        rel = f"{names[c - 1]}/{known[c]}_{rnd.randint(1, 999):04d}_{rnd.randint(10000, 99999)}.jpg"
        images.append(f"{i} {rel}\n")
        labels.append(f"{i} {c}\n")
        split.append(f"{i} {int(i % 5 != 0)}\n")
        specs.append((f"CUB_200_2011/images/{rel}", (100, 80), "RGB"))
    (root / "images.txt").write_text("".join(images))
    (root / "image_class_labels.txt").write_text("".join(labels))
    (root / "train_test_split.txt").write_text("".join(split))
    make_images(work, specs)


TOMATO = ("Tomato_Bacterial_spot", "Tomato_Early_blight", "Tomato_Late_blight", "Tomato_Leaf_Mold",
          "Tomato_Septoria_leaf_spot", "Tomato_Spider_mites", "Tomato_Target_Spot", "Tomato_YellowLeaf_Curl_Virus",
          "Tomato_healthy", "Tomato_mosaic_virus")
plantvillage = imgs(class_folder("plantvillage/train", TOMATO, 8, size=(64, 64)))
ptbxl = prep('''
    import os
    import numpy as np
    rng = np.random.default_rng(97)
    os.makedirs("ptbxl", exist_ok=True)
    t = np.arange(5000) / 500.0
    records = np.empty((64, 5000, 12), dtype=np.float16)
    labels = np.zeros((64, 5), dtype=np.uint8)
    for i in range(64):
        hr = rng.uniform(0.8, 1.6)                                       # beats per second
        beat = np.exp(-((t * hr) % 1.0 - 0.3) ** 2 / 0.001)
        records[i] = (beat[:, None] * rng.uniform(0.3, 1.5, 12) + rng.normal(0, 0.05, (5000, 12))).astype(np.float16)
        labels[i, rng.integers(0, 5)] = 1
    np.save("ptbxl/records500.npy", records)
    np.save("ptbxl/superclass_labels.npy", labels)
''')
adni = prep('''
    import csv
    import os
    import numpy as np
    rng = np.random.default_rng(98)
    os.makedirs("adni/volumes", exist_ok=True)
    zz, yy, xx = np.mgrid[0:91, 0:109, 0:91]
    brain = ((zz - 45) / 38) ** 2 + ((yy - 54) / 46) ** 2 + ((xx - 45) / 36) ** 2 < 1
    rows = []
    for i, group in enumerate(["CN", "MCI", "AD", "CN", "AD", "MCI", "CN", "AD", "MCI", "CN"]):
        subject = f"{rng.integers(2, 141):03d}_S_{rng.integers(1000, 9999)}"
        vol = brain * rng.normal(600, 80, brain.shape) - 30 * i * (np.abs(xx - 45) < 4)
        np.save(f"adni/volumes/{subject}.npy", vol.astype(np.int16))
        rows.append((subject, group))
    with open("adni/labels.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["subject", "group"])
        w.writerows(rows)
''')
voxceleb = prep('''
    import os
    import numpy as np
    rng = np.random.default_rng(99)
    os.makedirs("voxceleb", exist_ok=True)
    n_spk, n = 1211, 70000
    speakers = np.sort(np.concatenate([np.arange(n_spk), rng.integers(0, n_spk, n - n_spk)]))
    centres = rng.normal(0, 1, (n_spk, 80))
    feats = centres[speakers] + rng.normal(0, 0.5, (n, 80))
    np.save("voxceleb/dev_logmel_stats.npy", feats.astype(np.float16))
    np.save("voxceleb/dev_speaker_ids.npy", speakers.astype(np.int64))
''')
kvasir = prep('''
    import os
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(100)
    yy, xx = np.mgrid[0:256, 0:256]
    for split, n in (("train", 16), ("val", 96)):
        os.makedirs(f"kvasir-seg/{split}/images", exist_ok=True)
        os.makedirs(f"kvasir-seg/{split}/masks", exist_ok=True)
        for i in range(n):
            cy, cx, r = rng.integers(60, 196), rng.integers(60, 196), rng.integers(20, 60)
            mask = (((yy - cy) ** 2 + (xx - cx) ** 2) < r ** 2).astype(np.uint8) * 255
            img = rng.normal(0, 12, (256, 256, 3)) + [170, 90, 80] + (mask[..., None] > 0) * [30, 20, -10]
            name = f"cju{rng.integers(16 ** 9, 16 ** 10):010x}"
            Image.fromarray(img.clip(0, 255).astype(np.uint8)).save(f"kvasir-seg/{split}/images/{name}.jpg")
            Image.fromarray(mask).save(f"kvasir-seg/{split}/masks/{name}.jpg")
''')


def criteo(work: Path):
    import random

    rnd = random.Random(101)
    pools = [[f"{rnd.getrandbits(32):08x}" for _ in range(rnd.choice([3, 20, 200, 2000]))] for _ in range(26)]
    lines = []
    for _ in range(4000):
        dense = [str(rnd.randint(0, 300)) if rnd.random() > 0.2 else "" for _ in range(13)]
        cats = [rnd.choice(p) if rnd.random() > 0.05 else "" for p in pools]
        lines.append("\t".join([str(int(rnd.random() < 0.25)), *dense, *cats]))
    (work / "criteo").mkdir(parents=True, exist_ok=True)
    (work / "criteo/train.txt").write_text("\n".join(lines) + "\n")


def utkface(work: Path):
    import random

    from _record import make_images

    rnd = random.Random(102)
    specs = []
    for _ in range(48):
        age, gender, race = rnd.randint(1, 90), rnd.randint(0, 1), rnd.randint(0, 4)
        stamp = f"2017{rnd.randint(101, 1231):04d}{rnd.randint(0, 235959999):09d}"
        specs.append((f"UTKFace/{age}_{gender}_{race}_{stamp}.jpg.chip.jpg", (100, 100), "RGB"))
    make_images(work, specs)


fashion = prep('''
    import os
    import struct
    import numpy as np
    rng = np.random.default_rng(103)
    os.makedirs("data/FashionMNIST/raw", exist_ok=True)
    yy, xx = np.mgrid[0:28, 0:28]
    for prefix, n in (("train", 6000), ("t10k", 1000)):
        labels = rng.integers(0, 10, n).astype(np.uint8)
        imgs = np.empty((n, 28, 28), dtype=np.uint8)
        for i, c in enumerate(labels):
            shape = (np.abs(xx - 14) < 4 + c) & (np.abs(yy - 14) < 12 - c // 2)
            imgs[i] = (shape * rng.uniform(120, 250) + rng.normal(0, 20, (28, 28))).clip(0, 255)
        with open(f"data/FashionMNIST/raw/{prefix}-images-idx3-ubyte", "wb") as f:
            f.write(struct.pack(">IIII", 2051, n, 28, 28) + imgs.tobytes())
        with open(f"data/FashionMNIST/raw/{prefix}-labels-idx1-ubyte", "wb") as f:
            f.write(struct.pack(">II", 2049, n) + labels.tobytes())
''')
nuclei = prep('''
    import os
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(104)
    os.makedirs("nuclei/train/images", exist_ok=True)
    os.makedirs("nuclei/train/labels", exist_ok=True)
    yy, xx = np.mgrid[0:128, 0:128]
    for i in range(12):
        labels = np.zeros((128, 128), dtype=np.uint8)
        for k in range(1, rng.integers(6, 12)):
            cy, cx, r = rng.integers(10, 118), rng.integers(10, 118), rng.integers(6, 13)
            labels[((yy - cy) ** 2 + (xx - cx) ** 2) < r ** 2] = k
        img = rng.normal(30, 8, (128, 128)) + (labels > 0) * rng.uniform(120, 180)
        name = f"{rng.integers(16 ** 14, 2 ** 62):016x}"
        Image.fromarray(img.clip(0, 255).astype(np.uint8)).save(f"nuclei/train/images/{name}.png")
        Image.fromarray(labels).save(f"nuclei/train/labels/{name}.png")
''')
FLOWERS = ("daisy", "dandelion", "roses", "sunflowers", "tulips")
flowers = imgs(class_folder("flowers/train", FLOWERS, 8, size=(96, 96)))
gradcam_pets = both(prep('''
    import os
    import torch
    import torchvision
    torch.manual_seed(0)
    os.makedirs("models", exist_ok=True)
    torch.save(torchvision.models.resnet18(num_classes=2).state_dict(), "models/cats_vs_dogs_resnet18.pth")
'''), imgs([(f"test_photos/pet_{i:04d}.jpg", (320, 240), "RGB") for i in range(5, 9)]))
chest_xray = imgs(class_folder("chest_xray/train", ("NORMAL", "PNEUMONIA"), 16, size=(96, 96), mode="L", ext="jpeg"))


def deepweeds(work: Path):
    import random

    from _record import make_images

    rnd = random.Random(105)
    rows, specs = ["Filename,Label,Species"], []
    species = ["Chinee apple", "Lantana", "Parkinsonia", "Parthenium", "Prickly acacia", "Rubber vine", "Siam weed",
               "Snake weed", "Negative"]
    for i in range(54):
        label = 8 if i % 2 else i // 2 % 8
        name = f"2017{rnd.randint(1000, 1231):04d}-{rnd.randint(100000, 235959)}-{i % 3}.jpg"
        rows.append(f"{name},{label},{species[label]}")
        specs.append((f"deepweeds/images/{name}", (128, 128), "RGB"))
    make_images(work, specs)
    (work / "deepweeds/labels.csv").write_text("\n".join(rows) + "\n")


EUROSAT = ("AnnualCrop", "Forest", "HerbaceousVegetation", "Highway", "Industrial", "Pasture")
eurosat = imgs(class_folder("EuroSAT/2750", EUROSAT, 4))
BIRDS = ("amerob", "bkcchi", "blujay", "norcar")
bird_calls = imgs(class_folder("bird-calls/spectrograms/train", BIRDS, 6, size=(128, 96), ext="png"))
traffic = both(save_tiny('["car", "bus", "truck", "motorbike"]', 4, "traffic/models/tiny-yolov3_traffic_last.pt",
                         "traffic/json/traffic_tiny-yolov3_detection_config.json"),
               imgs([(f"traffic_cam/frames/frame_{i:05d}.jpg", (320, 240), "RGB") for i in range(0, 16 * 25, 25)]))


def _hardhat_rows(split, i):
    import random

    rnd = random.Random(f"hardhat-{split}-{i}")
    lines = []
    for k in range(1 + i % 3):
        w, h = rnd.uniform(0.06, 0.3), rnd.uniform(0.08, 0.4)
        lines.append(f"{(i + k) % 3} {rnd.uniform(0.25, 0.75):.6f} {rnd.uniform(0.25, 0.75):.6f} {w:.6f} {h:.6f}")
    return "\n".join(lines) + "\n"


hardhat = yolo_layout("hardhat", _hardhat_rows, size=(160, 120), splits=(("train", 32), ("validation", 4)))


def cases():
    out = []

    def script(key, cause, forms=("cpython_basic",), setup=None, env=None, argv=(), **kw):
        out.append(Case("torch-cuda9-" + key, cause, list(forms), {"train.py": SCRIPTS[key]}, setup=setup,
                        env=env or {}, argv=["train.py", *argv], **kw))

    def notebook(key, cause, forms=("ipython_cell", "ipython_arrows?"), setup=None, **kw):
        out.append(Case("torch-cuda9-" + key, cause, list(forms), nb(CELLS[key]), argv=["nb_runner.py"],
                        home_is_project=True, setup=setup, **kw))

    assertf = ("cpython_basic", "cuda_device_assert?", "cuda_assert?", "cpp_frames?")
    # device-side asserts and index faults
    script("aptos-binary-focal-loss-alpha-gather-five-grades", "data.label_out_of_range", (*assertf, "progress_bars?"),
           setup=aptos, also=["model.output_mismatch", "model.api_misuse"])
    script("ade20k-reduce-zero-label-int64-minus-one", "data.label_out_of_range", assertf, setup=ade20k)
    notebook("notebook-ner-tagger-word-ids-padded-minus-100", "data.label_out_of_range",
             ("ipython_cell", "ipython_arrows?", "cuda_device_assert?", "cuda_assert?"), setup=conll,
             also=["model.api_misuse"])
    script("oxford-pets-trimap-one-based-dice-scatter", "data.label_out_of_range", (*assertf, "progress_bars?"),
           setup=pets)
    script("word2vec-negative-sampling-table-counts-dropped-words", "data.label_out_of_range",
           (*assertf, "progress_bars?"), setup=text8, also=["model.api_misuse", "other"])
    script("cub200-attribute-targets-index-select-one-based-ids", "data.label_out_of_range", assertf, setup=cub)
    script("plantvillage-debug-subset-bincount-class-weights", "model.output_mismatch",
           ("cpython_basic", "progress_bars?"), setup=plantvillage, also=["data.label_out_of_range", "model.api_misuse"])
    # out of memory
    oomf = ("cpython_basic", "cuda_oom")
    notebook("notebook-oom-ecg-transformer-attention-weights-5000-samples", "resource.gpu_oom",
             ("ipython_cell", "ipython_arrows?", "cuda_oom", "progress_bars?"), setup=ptbxl)
    script("oom-adni-3d-cnn-volumes-resampled-to-1mm", "resource.gpu_oom", oomf, setup=adni)
    script("oom-speaker-hard-negative-mining-cdist-whole-set", "resource.gpu_oom", oomf, setup=voxceleb)
    script("oom-polyp-seg-val-metrics-summed-as-tensors", "resource.gpu_oom", (*oomf, "progress_bars?"), setup=kvasir,
           also=["optim.autograd_graph"])
    script("oom-deepfm-hashing-trick-embedding-dense-adam", "resource.gpu_oom", (*oomf, "progress_bars?"),
           setup=criteo)
    # tensors on two devices
    script("utkface-multitask-heads-in-plain-dict", "env.device_mismatch", ("cpython_basic", "progress_bars?"),
           setup=utkface, also=["model.api_misuse"])
    script("fashion-mnist-zca-v2-linear-transformation-on-gpu", "env.device_mismatch", setup=fashion)
    script("unet-cell-border-weight-map-left-on-cpu", "env.device_mismatch", setup=nuclei)
    script("swa-update-bn-without-device", "env.device_mismatch", ("cpython_basic", "progress_bars?"), setup=flowers,
           also=["model.api_misuse"])
    notebook("notebook-gradcam-overlay-with-cpu-image", "env.device_mismatch", setup=gradcam_pets)
    # half precision
    script("pneumonia-half-model-adam-eps-underflow-bce", "optim.divergence", (*assertf, "progress_bars?"),
           setup=chest_xray, also=["data.dtype", "model.api_misuse"])
    script("deepweeds-weighted-ce-outside-autocast", "data.dtype", ("cpython_basic", "progress_bars?"),
           setup=deepweeds, also=["model.api_misuse"])
    # device indices
    script("lab-script-gpu-1-default-get-device-name", "env.cuda_setup", setup=eurosat, also=["model.api_misuse"])
    notebook("notebook-env-cuda-visible-devices-1-one-gpu", "env.cuda_setup", setup=bird_calls)
    # ImageAI 3 on the GPU
    notebook("notebook-imageai-yolov3-tiny-class-batched-frames-no-device", "env.device_mismatch", framework="imageai",
             setup=traffic, also=["model.api_misuse"])
    notebook("notebook-oom-imageai-yolov3-batch-16-mx250-2gb", "resource.gpu_oom",
             ("ipython_cell", "ipython_arrows?", "cuda_oom", "progress_bars?"), framework="imageai", setup=hardhat)
    return out


if __name__ == "__main__":
    sys.exit(run_gpu_cases(cases(), SRC, jobs=8))
