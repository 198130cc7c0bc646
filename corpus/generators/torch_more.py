"""More PyTorch / torchvision / ImageAI 3 training failures, written as a held-out
set: detection targets (Faster R-CNN / RetinaNet), segmentation models and
masks, transforms in the wrong order, CTC / sequence losses, class-count
mismatches in heads, checkpoints and optimizer state, optimizers, schedulers
and samplers misused, AMP on CPU, gradient checkpointing, torch.compile,
DataLoader collate errors, distributed set-up and version drift.

Every case is a small real program run on CPU with the torch venv; the label is
known by construction (what the program breaks).

    /work/venvs/torch/bin/python corpus/generators/torch_more.py [-k filter] [--out DIR]
"""

import subprocess
import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _record import make_images, run_cases, torch_python, imgs, sub, case_builders  # noqa: E402

SRC = "corpus/generators/torch_more.py"


# ------------------------------------------------------------------ detection
DET = '''
import torch
import torchvision
from torchvision.models.detection import @@BUILDER@@
@@IMPORTS@@

torch.manual_seed(0)


class Pedestrians(torch.utils.data.Dataset):
    """a few people per frame; boxes come from the annotation export"""

    def __init__(self, n=4):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, idx):
        @@IMAGE@@
        @@TARGET@@
        return image, target


def collate(batch):
    return tuple(zip(*batch))


def main():
    model = @@BUILDER@@(weights=None, weights_backbone=None, num_classes=@@NC@@, min_size=240, max_size=320)
    loader = torch.utils.data.DataLoader(Pedestrians(), batch_size=2, shuffle=False,
                                         collate_fn=@@COLLATE@@, num_workers=@@W@@)
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.SGD(params, lr=0.005, momentum=0.9, weight_decay=5e-4)
    model.train()
    for epoch in range(2):
        for images, targets in loader:
            images = list(images)
            loss_dict = model(images, list(targets))
            losses = sum(loss for loss in loss_dict.values())
            optimizer.zero_grad()
            losses.backward()
            optimizer.step()
            print({k: round(v.item(), 4) for k, v in loss_dict.items()}, flush=True)
@@AFTER@@

if __name__ == "__main__":
    main()
'''

DET_DEFAULTS = dict(
    BUILDER="fasterrcnn_resnet50_fpn", IMPORTS="", NC="2", COLLATE="collate", W="0", AFTER="",
    IMAGE="image = torch.rand(3, 240, 320)",
    TARGET='boxes = torch.tensor([[30., 40., 120., 200.], [150., 60., 260., 220.]])\n'
           '        target = {"boxes": boxes, "labels": torch.ones(len(boxes), dtype=torch.int64)}',
)


def det(**kw):
    return {"train.py": sub(DET, **dict(DET_DEFAULTS, **kw))}


# --------------------------------------------------------------- small scripts
SCRIPTS = {}

SCRIPTS["deeplab-output-dict-ce"] = '''
import torch
import torch.nn as nn
from torchvision.models.segmentation import deeplabv3_mobilenet_v3_large

model = deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=3)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
model.train()
for step in range(3):
    images = torch.randn(2, 3, 128, 128)
    masks = torch.randint(0, 3, (2, 128, 128))
    outputs = model(images)
    loss = criterion(outputs, masks)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
'''

SCRIPTS["seg-mask-interpolate-bilinear-long"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset


class Cityscapes(Dataset):
    def __len__(self):
        return 8

    def __getitem__(self, i):
        image = torch.rand(3, 256, 512)
        mask = torch.randint(0, 19, (256, 512))          # train ids, int64
        # downscale both for speed
        image = F.interpolate(image[None], size=(128, 256), mode="bilinear", align_corners=False)[0]
        mask = F.interpolate(mask[None, None], size=(128, 256), mode="bilinear", align_corners=False)[0, 0]
        return image, mask


model = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.Conv2d(32, 19, 1))
for images, masks in DataLoader(Cityscapes(), batch_size=4):
    loss = nn.functional.cross_entropy(model(images), masks)
    loss.backward()
'''

SCRIPTS["transform-normalize-before-totensor-workers"] = '''
import torch
import torchvision
from torchvision import transforms
from torch.utils.data import DataLoader

transform = transforms.Compose([
    transforms.Resize((64, 64)),
    transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]),
    transforms.ToTensor(),
])


def main():
    train_set = torchvision.datasets.ImageFolder("data/train", transform=transform)
    loader = DataLoader(train_set, batch_size=4, shuffle=True, num_workers=2)
    model = torchvision.models.resnet18(num_classes=len(train_set.classes))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    for images, labels in loader:
        loss = torch.nn.functional.cross_entropy(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


if __name__ == "__main__":
    main()
'''

SCRIPTS["ctc-batch-first-log-probs"] = '''
import torch
import torch.nn as nn


class CRNN(nn.Module):
    def __init__(self, n_chars=37):
        super().__init__()
        self.cnn = nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d((32, 1)))
        self.rnn = nn.LSTM(32, 64, batch_first=True, bidirectional=True)
        self.fc = nn.Linear(128, n_chars)

    def forward(self, x):
        f = self.cnn(x).squeeze(2).permute(0, 2, 1)     # (N, T, C)
        out, _ = self.rnn(f)
        return self.fc(out).log_softmax(2)              # (N, T, classes)


model = CRNN()
ctc = nn.CTCLoss(blank=0)
images = torch.randn(8, 1, 32, 100)
targets = torch.randint(1, 37, (8, 10))
log_probs = model(images)
input_lengths = torch.full((8,), log_probs.size(1), dtype=torch.long)
target_lengths = torch.full((8,), 10, dtype=torch.long)
loss = ctc(log_probs, targets, input_lengths, target_lengths)
loss.backward()
'''

SCRIPTS["seq-tagging-ce-no-permute"] = '''
import torch
import torch.nn as nn

NUM_TAGS = 12


class Tagger(nn.Module):
    def __init__(self, vocab=5000, dim=64):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.lstm = nn.LSTM(dim, dim, batch_first=True)
        self.out = nn.Linear(dim, NUM_TAGS)

    def forward(self, tokens):
        h, _ = self.lstm(self.emb(tokens))
        return self.out(h)                  # (batch, seq_len, NUM_TAGS)


model = Tagger()
tokens = torch.randint(0, 5000, (8, 20))
tags = torch.randint(0, NUM_TAGS, (8, 20))
logits = model(tokens)
loss = nn.CrossEntropyLoss(ignore_index=-100)(logits, tags)
loss.backward()
'''

SCRIPTS["ce-class-weights-wrong-length"] = '''
import numpy as np
import torch
import torch.nn as nn

NUM_CLASSES = 4
labels = np.random.RandomState(0).choice([0, 1, 3], size=200)       # class 2 absent from this split
counts = np.bincount(labels)
class_weights = torch.tensor(len(labels) / (len(counts) * np.maximum(counts, 1)), dtype=torch.float32)
print("class weights:", class_weights)

model = nn.Linear(16, NUM_CLASSES)
criterion = nn.CrossEntropyLoss(weight=class_weights[counts > 0])
x = torch.randn(200, 16)
loss = criterion(model(x), torch.from_numpy(labels))
loss.backward()
'''

SCRIPTS["inception-aux-outputs-ce"] = '''
import torch
import torch.nn as nn
import torchvision

model = torchvision.models.inception_v3(weights=None, num_classes=5, aux_logits=True, init_weights=False)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
model.train()
images = torch.randn(2, 3, 299, 299)
labels = torch.tensor([0, 3])
outputs = model(images)
loss = criterion(outputs, labels)
optimizer.zero_grad()
loss.backward()
'''

SCRIPTS["imagefolder-more-classes-than-head"] = '''
import torch
import torchvision
from torchvision import transforms
from torch.utils.data import DataLoader

NUM_CLASSES = 3   # cats, dogs, birds

transform = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_set = torchvision.datasets.ImageFolder("data/train", transform=transform)
loader = DataLoader(train_set, batch_size=8, shuffle=False)

model = torchvision.models.resnet18(weights=None)
model.fc = torch.nn.Linear(model.fc.in_features, NUM_CLASSES)
criterion = torch.nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(2):
    for images, labels in loader:
        loss = criterion(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.3f}")
'''

SCRIPTS["optimizer-load-state-dict-param-groups"] = '''
import torch
import torchvision

# stage 1 (earlier run): only the new head was trained, backbone frozen
model = torchvision.models.resnet18(num_classes=4)
for p in model.parameters():
    p.requires_grad = False
for p in model.fc.parameters():
    p.requires_grad = True
opt = torch.optim.Adam(filter(lambda p: p.requires_grad, model.parameters()), lr=1e-3)
torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 10}, "stage1.pth")

# stage 2: fine-tune everything, resuming from the stage-1 checkpoint
model = torchvision.models.resnet18(num_classes=4)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
ckpt = torch.load("stage1.pth")
model.load_state_dict(ckpt["model"])
optimizer.load_state_dict(ckpt["optimizer"])
start_epoch = ckpt["epoch"] + 1
'''

SCRIPTS["load-cuda-checkpoint-cpu-only"] = '''
import torch
import torchvision

model = torchvision.models.resnet18(num_classes=10)
checkpoint = torch.load("weights/best_model_gpu.pth")
model.load_state_dict(checkpoint)
model.eval()
print(model(torch.randn(1, 3, 224, 224)).argmax(1))
'''

SCRIPTS["load-full-model-class-missing"] = '''
import torch
from PIL import Image
from torchvision import transforms

model = torch.load("model.pt", weights_only=False)
model.eval()
x = transforms.ToTensor()(Image.new("RGB", (32, 32)))[None]
print(model(x).argmax(1))
'''

SAVE_FULL_MODEL = '''
import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3)
        self.fc = nn.Linear(8, 10)

    def forward(self, x):
        return self.fc(self.conv(x).mean((2, 3)))


torch.save(Net(), "model.pt")
'''

SCRIPTS["optimizer-empty-params-generator"] = '''
import torch
import torchvision

model = torchvision.models.mobilenet_v3_small(num_classes=3)
params = model.parameters()
print("trainable parameters:", sum(p.numel() for p in params if p.requires_grad))
optimizer = torch.optim.AdamW(params, lr=3e-4, weight_decay=0.05)
'''

SCRIPTS["onecycle-too-many-steps"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

EPOCHS, BATCH = 3, 32
ds = TensorDataset(torch.randn(1000, 20), torch.randint(0, 2, (1000,)))
loader = DataLoader(ds, batch_size=BATCH, shuffle=True)
model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 2))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.1,
                                                total_steps=EPOCHS * (len(ds) // BATCH))
for epoch in range(EPOCHS):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        scheduler.step()
    print(f"epoch {epoch} lr {scheduler.get_last_lr()[0]:.4f}", flush=True)
'''

SCRIPTS["scheduler-resume-initial-lr"] = '''
import torch
import torch.nn as nn

model = nn.Linear(10, 2)
torch.save({"model": model.state_dict(), "epoch": 29}, "last.pth")

# resume
ckpt = torch.load("last.pth")
model.load_state_dict(ckpt["model"])
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=30, gamma=0.1, last_epoch=ckpt["epoch"])
for epoch in range(ckpt["epoch"] + 1, 90):
    scheduler.step()
'''

SCRIPTS["weighted-sampler-full-dataset-weights-workers"] = '''
import torch
from torch.utils.data import DataLoader, Dataset, Subset, WeightedRandomSampler


class Lesions(Dataset):
    def __init__(self, n):
        self.labels = [0] * (n - n // 10) + [1] * (n // 10)

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        return torch.randn(3, 32, 32), self.labels[i]


def main():
    full = Lesions(500)
    train_set = Subset(full, list(range(0, 400)))
    labels = torch.tensor(full.labels)
    class_weight = 1.0 / torch.bincount(labels).float()
    sample_weights = class_weight[labels]                  # one weight per sample of the *full* set
    sampler = WeightedRandomSampler(sample_weights, num_samples=len(sample_weights), replacement=True)
    loader = DataLoader(train_set, batch_size=32, sampler=sampler, num_workers=2)
    for epoch in range(2):
        for x, y in loader:
            pass
        print("epoch", epoch, flush=True)


if __name__ == "__main__":
    main()
'''

SCRIPTS["actor-critic-categorical-nan-logits"] = '''
import torch
import torch.nn as nn
from torch.distributions import Categorical

torch.manual_seed(0)


class ActorCritic(nn.Module):
    def __init__(self):
        super().__init__()
        self.trunk = nn.Sequential(nn.Linear(8, 128), nn.ReLU())
        self.actor = nn.Linear(128, 4)
        self.critic = nn.Linear(128, 1)

    def forward(self, s):
        h = self.trunk(s)
        return self.actor(h), self.critic(h).squeeze(1)


model = ActorCritic()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
for episode in range(500):
    states = torch.randn(32, 8)
    logits, values = model(states)
    dist = Categorical(logits=logits)
    actions = dist.sample()
    returns = torch.randn(32) * 50 + 500               # raw, unnormalised episode returns
    advantage = returns - values.detach()
    loss = -(dist.log_prob(actions) * advantage).mean() + nn.functional.mse_loss(values, returns)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if episode % 10 == 0:
        print(f"episode {episode} loss {loss.item():.4g}", flush=True)
'''

SCRIPTS["localizer-pixel-boxes-bce-nan"] = '''
import torch
import torch.nn as nn

torch.manual_seed(0)


class Localizer(nn.Module):
    """one object per image: objectness + box (x1, y1, x2, y2 in pixels)"""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2), nn.ReLU(), nn.AdaptiveAvgPool2d(4), nn.Flatten(),
                                      nn.Linear(256, 128), nn.ReLU())
        self.obj = nn.Sequential(nn.Linear(128, 1), nn.Sigmoid())
        self.box = nn.Linear(128, 4)

    def forward(self, x):
        h = self.features(x)
        return self.obj(h).squeeze(1), self.box(h)


model = Localizer()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
bce = nn.BCELoss()
for step in range(300):
    images = torch.rand(16, 3, 64, 64)
    has_obj = (torch.rand(16) > 0.3).float()
    boxes = torch.tensor([[412., 230., 1530., 1010.]]).repeat(16, 1)     # pixel coordinates of 1920x1080 video frames
    obj, box = model(images)
    loss = bce(obj, has_obj) + nn.functional.mse_loss(box, boxes)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if step % 10 == 0:
        print(f"step {step} loss {loss.item():.4g}", flush=True)
'''

SCRIPTS["autocast-bf16-head-outside"] = '''
import torch
import torch.nn as nn
import torchvision

backbone = torchvision.models.resnet18(weights=None)
backbone.fc = nn.Identity()
head = nn.Linear(512, 7)
optimizer = torch.optim.AdamW(list(backbone.parameters()) + list(head.parameters()), lr=1e-3)

images = torch.randn(4, 3, 64, 64)
labels = torch.randint(0, 7, (4,))
with torch.autocast(device_type="cpu", dtype=torch.bfloat16):
    features = backbone(images)
logits = head(features)
loss = nn.functional.cross_entropy(logits, labels)
loss.backward()
'''

SCRIPTS["gradscaler-unscale-twice-accumulation"] = '''
import torch
import torch.nn as nn

device = "cpu"
model = nn.Sequential(nn.Linear(32, 64), nn.ReLU(), nn.Linear(64, 4)).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
scaler = torch.amp.GradScaler(device)
ACCUM = 4
for step in range(16):
    x, y = torch.randn(8, 32), torch.randint(0, 4, (8,))
    with torch.autocast(device_type=device, dtype=torch.bfloat16):
        loss = nn.functional.cross_entropy(model(x), y) / ACCUM
    scaler.scale(loss).backward()
    scaler.unscale_(optimizer)
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    if (step + 1) % ACCUM == 0:
        scaler.step(optimizer)
        scaler.update()
        optimizer.zero_grad()
'''

SCRIPTS["checkpoint-reentrant-no-input-grad"] = '''
import torch
import torch.nn as nn
from torch.utils.checkpoint import checkpoint


class DeepMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(*[nn.Sequential(nn.Linear(256, 256), nn.GELU()) for _ in range(8)],
                                  nn.Linear(256, 10))

    def forward(self, x):
        # save activation memory
        return checkpoint(self.body, x, use_reentrant=True)


model = DeepMLP()
optimizer = torch.optim.Adam(model.parameters())
x, y = torch.randn(64, 256), torch.randint(0, 10, (64,))
loss = nn.functional.cross_entropy(model(x), y)
optimizer.zero_grad()
loss.backward()
'''

SCRIPTS["checkpoint-python-random-drop-path"] = '''
import random
import torch
import torch.nn as nn
from torch.utils.checkpoint import checkpoint

random.seed(3)


class Block(nn.Module):
    def __init__(self, dim, drop_prob):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(dim, dim * 2), nn.GELU(), nn.Linear(dim * 2, dim))
        self.drop_prob = drop_prob

    def forward(self, x):
        if self.training and random.random() < self.drop_prob:   # stochastic depth
            return x
        return x + self.mlp(x)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.ModuleList(Block(64, 0.5) for _ in range(6))
        self.head = nn.Linear(64, 3)

    def forward(self, x):
        for blk in self.blocks:
            x = checkpoint(blk, x, use_reentrant=False)
        return self.head(x)


model = Net().train()
for step in range(20):
    x = torch.randn(16, 64)
    loss = model(x).logsumexp(1).mean()
    loss.backward()
'''

SCRIPTS["compile-fullgraph-data-dependent-branch"] = '''
import torch
import torch.nn as nn


class GatedHead(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(32, 4)

    def forward(self, x):
        out = self.fc(x)
        if out.abs().max() > 10:          # guard against exploding logits
            out = out / out.abs().max()
        return out


model = torch.compile(GatedHead(), fullgraph=True)
print(model(torch.randn(8, 32)))
'''

SCRIPTS["compile-linear-shape-fake-tensor"] = '''
import torch
import torch.nn as nn


class SmallCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        self.classifier = nn.Linear(16 * 16 * 16, 10)

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


model = torch.compile(SmallCNN())
images = torch.randn(8, 3, 64, 64)        # trained on 32x32
print(model(images).shape)
'''

SCRIPTS["collate-none-sample-workers"] = '''
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms
import glob


class Photos(Dataset):
    def __init__(self, root):
        self.files = sorted(glob.glob(root + "/*.jpg"))
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        try:
            img = Image.open(self.files[i]).convert("RGB")
        except Exception:
            print("skipping unreadable", self.files[i])
            return None
        return self.tf(img), 0


def main():
    loader = DataLoader(Photos("data/photos"), batch_size=4, num_workers=2)
    for images, labels in loader:
        print(images.shape)


if __name__ == "__main__":
    main()
'''

SCRIPTS["csv-string-labels-ce"] = '''
import csv
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset


class Tabular(Dataset):
    def __init__(self, path):
        rows = list(csv.DictReader(open(path)))
        self.x = [[float(r[k]) for k in ("a", "b", "c", "d")] for r in rows]
        self.y = [r["species"] for r in rows]

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return torch.tensor(self.x[i]), self.y[i]


model = nn.Linear(4, 3)
for x, y in DataLoader(Tabular("iris.csv"), batch_size=8, shuffle=True):
    loss = nn.functional.cross_entropy(model(x), y)
    loss.backward()
'''

SCRIPTS["dataset-len-from-csv-more-rows-workers"] = '''
import csv
import glob
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class Leaves(Dataset):
    def __init__(self):
        self.images = sorted(glob.glob("data/leaves/*.png"))
        self.labels = [int(r["label"]) for r in csv.DictReader(open("data/labels.csv"))]
        self.tf = transforms.ToTensor()

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        return self.tf(Image.open(self.images[i]).convert("RGB")), self.labels[i]


def main():
    loader = DataLoader(Leaves(), batch_size=4, shuffle=False, num_workers=2)
    for epoch in range(2):
        for x, y in loader:
            pass
        print("epoch", epoch)


if __name__ == "__main__":
    main()
'''

SCRIPTS["model-cuda-no-gpu"] = '''
import torch
import torchvision

device = torch.device("cuda:0")
model = torchvision.models.resnet18(num_classes=10).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for step in range(10):
    x = torch.randn(8, 3, 64, 64, device=device)
    y = torch.randint(0, 10, (8,), device=device)
    loss = torch.nn.functional.cross_entropy(model(x), y)
'''

SCRIPTS["dist-env-rank-not-set"] = '''
import os
import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel as DDP


def main():
    dist.init_process_group(backend="gloo", init_method="env://")
    rank = dist.get_rank()
    model = DDP(torch.nn.Linear(10, 2))
    print("rank", rank, "ready")


if __name__ == "__main__":
    main()
'''

SCRIPTS["functional-tensor-import"] = '''
import torch
from basicsr_lite.degradations import random_add_gaussian_noise

img = torch.rand(1, 3, 64, 64)
print(random_add_gaussian_noise(img).shape)
'''

DEGRADATIONS = '''
import torch
from torchvision.transforms.functional_tensor import rgb_to_grayscale


def random_add_gaussian_noise(img, sigma=10, gray_prob=0.2):
    if torch.rand(1).item() < gray_prob:
        img = rgb_to_grayscale(img, num_output_channels=3)
    return (img + torch.randn_like(img) * sigma / 255.0).clamp(0, 1)
'''

SCRIPTS["spawn-dataset-open-file-handle"] = '''
import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset


class PackedFrames(Dataset):
    """fixed-size records in one big binary file"""

    RECORD = 3 * 32 * 32 * 4

    def __init__(self, path):
        self.f = open(path, "rb")
        self.f.seek(0, 2)
        self.n = self.f.tell() // self.RECORD

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        self.f.seek(i * self.RECORD)
        return torch.from_numpy(np.frombuffer(self.f.read(self.RECORD), dtype=np.float32).reshape(3, 32, 32).copy())


def main():
    loader = DataLoader(PackedFrames("frames.bin"), batch_size=8, num_workers=2, multiprocessing_context="spawn")
    for batch in loader:
        print(batch.shape)


if __name__ == "__main__":
    main()
'''

# ImageAI 3 ---------------------------------------------------------------------
SCRIPTS["imageai-classification-resnet50-given-mobilenet-weights"] = '''
import torch
import torchvision
from imageai.Classification import ImageClassification

# weights downloaded earlier ("mobilenet_v2-b0353104.pth")
torch.save(torchvision.models.mobilenet_v2().state_dict(), "mobilenet_v2-b0353104.pth")

prediction = ImageClassification()
prediction.setModelTypeAsResNet50()
prediction.setModelPath("mobilenet_v2-b0353104.pth")
prediction.loadModel()
predictions, probabilities = prediction.classifyImage("house.jpg", result_count=5)
for p, c in zip(predictions, probabilities):
    print(p, ":", c)
'''

SCRIPTS["imageai-detection-retinanet-given-tiny-yolo-weights"] = '''
import torch
from imageai.Detection import ObjectDetection
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny

# weights file from the ImageAI releases page ("tiny-yolov3.pt")
torch.save(YoloV3Tiny(anchors=[10, 14, 23, 27, 37, 58, 81, 82, 135, 169, 344, 319], num_classes=80).state_dict(),
           "tiny-yolov3.pt")

detector = ObjectDetection()
detector.setModelTypeAsRetinaNet()
detector.setModelPath("tiny-yolov3.pt")
detector.loadModel()
detections = detector.detectObjectsFromImage(input_image="street.jpg", output_image_path="street-detected.jpg")
for d in detections:
    print(d["name"], d["percentage_probability"])
'''


def cuda_checkpoint(work: Path):
    """a state dict as saved on a GPU machine: storages tagged 'cuda:0'"""
    d = work / "weights"
    d.mkdir(parents=True, exist_ok=True)
    tmp = d / "cpu.pth"
    code = ("import torch, torchvision; torch.save(torchvision.models.resnet18(num_classes=10).state_dict(), %r)" % str(tmp))
    subprocess.run([torch_python(), "-c", code], check=True)
    with zipfile.ZipFile(tmp) as zin, zipfile.ZipFile(d / "best_model_gpu.pth", "w", zipfile.ZIP_STORED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename.endswith("data.pkl"):
                assert b"X\x03\x00\x00\x00cpu" in data
                data = data.replace(b"X\x03\x00\x00\x00cpu", b"X\x06\x00\x00\x00cuda:0")
            zout.writestr(info.filename, data)
    tmp.unlink()


def save_full_model(work: Path):
    (work / "train_model.py").write_text(SAVE_FULL_MODEL)
    subprocess.run([torch_python(), "train_model.py"], cwd=work, check=True, capture_output=True)
    (work / "train_model.py").unlink()


def two_class_folder(n_classes=2, names=("cat", "dog", "bird", "fish", "horse")):
    specs = []
    for c in names[:n_classes]:
        for i in range(3):
            specs.append((f"data/train/{c}/{c}_{i}.jpg", (72, 72), "RGB"))
    return imgs(specs)


def cases():
    out, add, script, _ = case_builders("torch-more-", SCRIPTS)

    # detection targets --------------------------------------------------------------
    add("frcnn-boxes-coco-xywh", "data.bbox_invalid", det(
        TARGET='boxes = torch.tensor([[30., 40., 90., 160.], [150., 60., 110., 160.]])  # COCO [x, y, w, h]\n'
               '        target = {"boxes": boxes, "labels": torch.ones(len(boxes), dtype=torch.int64)}'))
    add("frcnn-target-key-bbox", "model.api_misuse", det(
        TARGET='boxes = torch.tensor([[30., 40., 120., 200.], [150., 60., 260., 220.]])\n'
               '        target = {"bbox": boxes, "category_id": torch.ones(len(boxes), dtype=torch.int64)}'),
        also=["data.label_shape"])
    add("frcnn-empty-boxes-negative-images", "data.bbox_invalid", det(
        TARGET='if idx % 2:  # background-only frame\n'
               '            boxes, labels = torch.tensor([]), torch.tensor([], dtype=torch.int64)\n'
               '        else:\n'
               '            boxes, labels = torch.tensor([[30., 40., 120., 200.]]), torch.tensor([1])\n'
               '        target = {"boxes": boxes, "labels": labels}'),
        also=["data.label_shape"])
    add("frcnn-labels-without-background", "data.label_out_of_range", det(
        NC="2",
        TARGET='boxes = torch.tensor([[30., 40., 120., 200.], [150., 60., 260., 220.]])\n'
               '        # classes: 1 = person, 2 = cyclist ("num_classes=2" forgot the background)\n'
               '        target = {"boxes": boxes, "labels": torch.tensor([1, 2])}'),
        also=["model.output_mismatch"])
    add("retinanet-labels-float", "data.dtype", det(
        BUILDER="retinanet_resnet50_fpn", NC="3", IMPORTS="import numpy as np",
        TARGET='ann = {"bbox": [[30, 40, 120, 200], [150, 60, 260, 220]], "category": [1.0, 2.0]}\n'
               '        target = {"boxes": torch.as_tensor(np.array(ann["bbox"], dtype=np.float32)),\n'
               '                  "labels": torch.as_tensor(np.array(ann["category"], dtype=np.float32))}'))
    add("frcnn-uint8-read-image", "data.dtype", det(
        IMAGE='image = torchvision.io.read_image(f"data/frames/{idx:04d}.jpg")',
        BUILDER="fasterrcnn_mobilenet_v3_large_fpn"),
        setup=imgs([(f"data/frames/{i:04d}.jpg", (320, 240), "RGB") for i in range(4)]))
    add("frcnn-default-collate-varying-boxes-workers", "model.api_misuse", det(
        W="2", COLLATE="None",
        TARGET='n = 2 + idx % 2\n'
               '        boxes = torch.tensor([[30., 40., 120., 200.], [150., 60., 260., 220.], [10., 10., 60., 90.]])[:n]\n'
               '        target = {"boxes": boxes, "labels": torch.ones(n, dtype=torch.int64)}'),
        forms=["dataloader_worker"], also=["data.image_size_mismatch"])
    add("frcnn-validation-without-eval", "model.api_misuse", det(
        AFTER='\n    # validation\n'
              '    with torch.no_grad():\n'
              '        for images, targets in loader:\n'
              '            detections = model(list(images))\n'
              '            print(len(detections))'))

    # segmentation ----------------------------------------------------------------------
    script("deeplab-output-dict-ce", "model.output_mismatch", also=["model.api_misuse"])
    script("seg-mask-interpolate-bilinear-long", "data.dtype")

    # transforms ------------------------------------------------------------------------
    script("transform-normalize-before-totensor-workers", "model.api_misuse", forms=["dataloader_worker"],
           setup=two_class_folder())

    # losses --------------------------------------------------------------------------------
    script("ctc-batch-first-log-probs", "model.output_mismatch", also=["data.label_shape"])
    script("seq-tagging-ce-no-permute", "model.output_mismatch", also=["data.label_shape"])
    script("ce-class-weights-wrong-length", "model.output_mismatch")
    script("inception-aux-outputs-ce", "model.output_mismatch", also=["model.api_misuse"])

    # class counts --------------------------------------------------------------------------
    script("imagefolder-more-classes-than-head", "model.output_mismatch", also=["data.label_out_of_range"],
           setup=two_class_folder(5))

    # checkpoints ---------------------------------------------------------------------------
    script("optimizer-load-state-dict-param-groups", "model.weights_mismatch", also=["model.api_misuse"])
    script("load-cuda-checkpoint-cpu-only", "env.device_mismatch", also=["env.cuda_setup"], setup=cuda_checkpoint)
    add("load-full-model-class-missing", "model.api_misuse", {"predict.py": SCRIPTS["load-full-model-class-missing"]},
        argv=["predict.py"], setup=save_full_model, also=["model.weights_mismatch"])

    # optimizers / schedulers / samplers -------------------------------------------------------
    script("optimizer-empty-params-generator", "model.api_misuse")
    script("onecycle-too-many-steps", "model.api_misuse")
    script("scheduler-resume-initial-lr", "model.api_misuse")
    script("weighted-sampler-full-dataset-weights-workers", "model.api_misuse", forms=["dataloader_worker"])

    # shapes ----------------------------------------------------------------------------------

    # divergence --------------------------------------------------------------------------------
    script("localizer-pixel-boxes-bce-nan", "optim.divergence", also=["data.bbox_invalid"], timeout=180)
    script("actor-critic-categorical-nan-logits", "optim.divergence", forms=["cpython_basic", "multiline_message?"], timeout=180)

    # AMP / checkpointing / compile --------------------------------------------------------------
    script("autocast-bf16-head-outside", "data.dtype")
    script("gradscaler-unscale-twice-accumulation", "model.api_misuse")
    script("checkpoint-reentrant-no-input-grad", "optim.autograd_graph")
    script("checkpoint-python-random-drop-path", "optim.autograd_graph", forms=["cpython_basic", "multiline_message?"])
    script("compile-fullgraph-data-dependent-branch", "model.api_misuse", forms=["cpython_basic", "multiline_message?"], timeout=300)
    script("compile-linear-shape-fake-tensor", "model.input_shape", forms=["cpython_basic", "multiline_message?"], timeout=300)

    # collate / dataset ----------------------------------------------------------------------------
    script("collate-none-sample-workers", "data.missing_or_corrupt", forms=["dataloader_worker"], also=["model.api_misuse"],
           setup=imgs([(f"data/photos/p{i}.jpg", (80, 60), "RGB") for i in range(6)] + [("data/photos/p6.jpg", (80, 60), "empty")]))
    add("csv-string-labels-ce", "data.dtype", {"train.py": SCRIPTS["csv-string-labels-ce"],
                                               "iris.csv": "a,b,c,d,species\n" + "".join(
                                                   f"{5 + i % 3}.1,3.{i % 7},1.{i % 5},0.{i % 4},{['setosa', 'versicolor', 'virginica'][i % 3]}\n"
                                                   for i in range(30))})
    add("dataset-len-from-csv-more-rows-workers", "data.missing_or_corrupt",
        {"train.py": SCRIPTS["dataset-len-from-csv-more-rows-workers"],
         "data/labels.csv": "file,label\n" + "".join(f"leaf_{i:02d}.png,{i % 3}\n" for i in range(10))},
        forms=["dataloader_worker"], setup=imgs([(f"data/leaves/leaf_{i:02d}.png", (32, 32), "RGB") for i in range(8)]))

    # environment -----------------------------------------------------------------------------------
    script("model-cuda-no-gpu", "env.cuda_setup")
    script("dist-env-rank-not-set", "env.distributed", forms=["cpython_basic", "chained_cause?"])
    add("functional-tensor-import", "env.version_incompat",
        {"train.py": SCRIPTS["functional-tensor-import"], "basicsr_lite/__init__.py": "", "basicsr_lite/degradations.py": DEGRADATIONS})
    add("spawn-dataset-open-file-handle", "env.multiprocessing", {"train.py": SCRIPTS["spawn-dataset-open-file-handle"]},
        setup=lambda w: (w / "frames.bin").write_bytes(bytes(3 * 32 * 32 * 4 * 16)))

    # ImageAI 3 -------------------------------------------------------------------------------------------
    add("imageai-classification-resnet50-given-mobilenet-weights", "model.weights_mismatch",
        {"predict.py": SCRIPTS["imageai-classification-resnet50-given-mobilenet-weights"]}, argv=["predict.py"],
        framework="imageai", forms=["cpython_basic", "multiline_message?"], also=["model.api_misuse"],
        setup=imgs([("house.jpg", (120, 90), "RGB")]), timeout=400)
    add("imageai-detection-retinanet-given-tiny-yolo-weights", "model.weights_mismatch",
        {"detect.py": SCRIPTS["imageai-detection-retinanet-given-tiny-yolo-weights"]}, argv=["detect.py"],
        framework="imageai", also=["model.api_misuse"], setup=imgs([("street.jpg", (160, 120), "RGB")]), timeout=400)
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
