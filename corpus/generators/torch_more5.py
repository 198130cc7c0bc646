"""A fifth held-out set of PyTorch / torchvision / ImageAI 3 training failures,
none of them a repeat of the scenarios in the other generators: semantic
segmentation (DeepLab trained with batch size 1, DeepLab weights with a new
class count, RGB colour masks and one-hot channel-last masks into the loss, VOC
255 borders in a Dice one-hot and in a bincount IoU, a U-Net head with one
output channel under CrossEntropy); multi-label classification (multi-hot Long
targets into BCEWithLogits and CrossEntropy, BCELoss without a sigmoid, tag
strings left unencoded); transfer learning with the torchvision weights API
(weight enum names that do not exist, Hugging Face style model names,
children() slices and ConvNeXt heads that lose the flatten, feature-extractor
node names); optimizers and LR schedulers (learning rate read from YAML as a
string, overlapping parameter groups, ``model.parameters`` not called,
SequentialLR milestones, ReduceLROnPlateau ``verbose``, LBFGS without a closure);
AMP on CPU (GradScaler.step without scale, a half model under GradScaler,
bfloat16 outputs into NumPy and into a float confusion matrix); torch.compile
(resuming a compiled model from a plain checkpoint, a TensorRT backend that is
not installed, NumPy inside a fullgraph forward); samplers and collate
functions (sampler with shuffle, WeightedRandomSampler with 2-D weights or a
float num_samples, a balanced sampler whose __len__ is a float, a collate that
calls torch.tensor on a list of tensors); ImageAI 3 ClassificationModelTrainer
misuse (Lightning .ckpt and training-checkpoint dicts as transfer weights, the
epoch count as a string, a nested model_directory, a class folder of HEIC
photos, broken symlinks in the train folder).

Every case is a small real program run on CPU with the torch venv (no GPU, no
downloads); the label is known by construction (what the program breaks).

    /work/venvs/torch/bin/python corpus/generators/torch_more5.py [-k filter] [--out DIR]
"""

import os
import sys
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _record import case_builders, make_images, run_cases  # noqa: E402

SRC = "corpus/generators/torch_more5.py"


def imgs(specs):
    return partial(make_images, specs=specs)


SCRIPTS = {}

# ================================================================== segmentation
SCRIPTS["deeplab-train-batch-size-1"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from torchvision.models.segmentation import deeplabv3_mobilenet_v3_large


class Roads(Dataset):
    """large aerial tiles, so only one fits per step"""

    def __len__(self):
        return 4

    def __getitem__(self, i):
        g = torch.Generator().manual_seed(i)
        return torch.rand(3, 192, 192, generator=g), torch.randint(0, 3, (192, 192), generator=g)


model = deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=3)
loader = DataLoader(Roads(), batch_size=1, shuffle=True)
opt = torch.optim.AdamW(model.parameters(), lr=1e-4)
criterion = nn.CrossEntropyLoss()

model.train()
for epoch in range(2):
    for step, (image, mask) in enumerate(loader):
        out = model(image)["out"]
        loss = criterion(out, mask)
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(f"epoch {epoch} step {step} loss {loss.item():.4f}")
'''

SCRIPTS["deeplab-coco-weights-new-num-classes"] = '''
import torch
from torchvision.models.segmentation import DeepLabV3_ResNet50_Weights, deeplabv3_resnet50

CLASSES = ["background", "crack", "spalling"]

# fine-tune the COCO/VOC model on our concrete defect masks
model = deeplabv3_resnet50(weights=DeepLabV3_ResNet50_Weights.DEFAULT, num_classes=len(CLASSES))
model.train()
print(model(torch.rand(2, 3, 256, 256))["out"].shape)
'''

SCRIPTS["seg-rgb-color-mask-into-ce"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.segmentation import lraspp_mobilenet_v3_large
from torchvision.transforms import functional as TF


class CamVidLike(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/images/*.png"))
        self.masks = sorted(glob.glob(f"{root}/labels/*.png"))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        image = TF.to_tensor(Image.open(self.images[i]).convert("RGB"))
        mask = torch.from_numpy(np.array(Image.open(self.masks[i]).convert("RGB"))).long()
        return image, mask


loader = DataLoader(CamVidLike("data/camvid"), batch_size=2, shuffle=True)
model = lraspp_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=12)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
for images, masks in loader:
    out = model(images)["out"]
    loss = criterion(out, masks)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(loss.item())
'''


def camvid_setup(work: Path):
    specs = []
    for i in range(4):
        specs.append((f"data/camvid/images/0001TP_{i:06d}.png", (96, 72), "RGB"))
        specs.append((f"data/camvid/labels/0001TP_{i:06d}_L.png", (96, 72), "RGB"))
    make_images(work, specs)


SCRIPTS["seg-onehot-channel-last-bce"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F
from torchvision.models.segmentation import fcn_resnet50

NUM_CLASSES = 4
model = fcn_resnet50(weights=None, weights_backbone=None, num_classes=NUM_CLASSES, aux_loss=False)
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
criterion = nn.BCEWithLogitsLoss()

images = torch.rand(2, 3, 128, 128)
masks = torch.randint(0, NUM_CLASSES, (2, 128, 128))
target = F.one_hot(masks, NUM_CLASSES).float()
logits = model(images)["out"]
loss = criterion(logits, target)
loss.backward()
opt.step()
'''

SCRIPTS["seg-voc-border-255-dice-onehot"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.transforms import functional as TF

NUM_CLASSES = 21


def dice_loss(logits, mask, eps=1e-6):
    probs = logits.softmax(1)
    target = F.one_hot(mask, NUM_CLASSES).permute(0, 3, 1, 2).float()
    inter = (probs * target).sum((2, 3))
    union = probs.sum((2, 3)) + target.sum((2, 3))
    return 1 - ((2 * inter + eps) / (union + eps)).mean()


class VOCSeg(Dataset):
    def __init__(self, root):
        self.ids = sorted(p.split("/")[-1][:-4] for p in glob.glob(f"{root}/SegmentationClass/*.png"))
        self.root = root

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        image = Image.open(f"{self.root}/JPEGImages/{self.ids[i]}.jpg").convert("RGB").resize((128, 128))
        mask = Image.open(f"{self.root}/SegmentationClass/{self.ids[i]}.png").resize((128, 128), Image.NEAREST)
        return TF.to_tensor(image), torch.from_numpy(np.array(mask)).long()


net = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.Conv2d(32, NUM_CLASSES, 1))
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
for image, mask in DataLoader(VOCSeg("VOC2012"), batch_size=2, shuffle=False):
    loss = dice_loss(net(image), mask) + F.cross_entropy(net(image), mask, ignore_index=255)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"loss {loss.item():.4f}")
'''


def voc_seg_setup(work: Path):
    import numpy as np
    from PIL import Image
    specs = []
    for i in range(4):
        stem = f"2007_{i:06d}"
        specs.append((f"VOC2012/JPEGImages/{stem}.jpg", (160, 120), "RGB"))
        m = np.zeros((120, 160), np.uint8)
        m[30:90, 40:120] = 15 if i % 2 else 7
        m[28:30, 40:120] = 255          # void border around the object
        m[90:92, 40:120] = 255
        p = work / f"VOC2012/SegmentationClass/{stem}.png"
        p.parent.mkdir(parents=True, exist_ok=True)
        im = Image.fromarray(m, mode="L").convert("P")
        im.save(p)
    make_images(work, specs)


SCRIPTS["seg-iou-bincount-void-255"] = '''
import torch
import torch.nn as nn

NUM_CLASSES = 6


def fast_hist(pred, target, n):
    return torch.bincount(n * target.flatten() + pred.flatten(), minlength=n ** 2).reshape(n, n)


def mean_iou(hist):
    iou = hist.diag() / (hist.sum(0) + hist.sum(1) - hist.diag())
    return iou.nanmean().item()


model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, NUM_CLASSES, 1)).eval()
hist = torch.zeros(NUM_CLASSES, NUM_CLASSES, dtype=torch.long)
torch.manual_seed(0)
for batch in range(3):
    images = torch.rand(2, 3, 64, 64)
    masks = torch.randint(0, NUM_CLASSES, (2, 64, 64))
    masks[:, 30:32, :] = 255                      # annotator's "ignore" pixels
    with torch.no_grad():
        pred = model(images).argmax(1)
    hist += fast_hist(pred, masks, NUM_CLASSES)
    print(f"batch {batch}: mIoU so far {mean_iou(hist):.3f}")
'''

SCRIPTS["unet-single-output-channel-ce"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


def block(i, o):
    return nn.Sequential(nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU(inplace=True),
                         nn.Conv2d(o, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU(inplace=True))


class UNet(nn.Module):
    def __init__(self, in_ch=3, out_ch=1):
        super().__init__()
        self.d1, self.d2 = block(in_ch, 16), block(16, 32)
        self.pool = nn.MaxPool2d(2)
        self.mid = block(32, 64)
        self.u2, self.c2 = nn.ConvTranspose2d(64, 32, 2, 2), block(64, 32)
        self.u1, self.c1 = nn.ConvTranspose2d(32, 16, 2, 2), block(32, 16)
        self.head = nn.Conv2d(16, out_ch, 1)

    def forward(self, x):
        x1 = self.d1(x)
        x2 = self.d2(self.pool(x1))
        m = self.mid(self.pool(x2))
        y = self.c2(torch.cat([self.u2(m), x2], 1))
        y = self.c1(torch.cat([self.u1(y), x1], 1))
        return self.head(y)


# cell nuclei: 0 = background, 1 = nucleus, 2 = boundary
images = torch.rand(8, 3, 64, 64)
masks = torch.randint(0, 3, (8, 64, 64))
loader = DataLoader(TensorDataset(images, masks), batch_size=4, shuffle=True)
model = UNet()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
for epoch in range(3):
    for x, y in loader:
        loss = criterion(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

# ================================================================== multi-label
SCRIPTS["multilabel-multihot-long-bcewithlogits"] = '''
import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader, Dataset

TAGS = ["cloudy", "haze", "primary", "water", "road", "agriculture"]


class Planet(Dataset):
    def __init__(self, n=12):
        self.rows = [(torch.rand(3, 96, 96), [t for j, t in enumerate(TAGS) if (i + j) % 3 == 0]) for i in range(n)]

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        image, tags = self.rows[i]
        target = torch.zeros(len(TAGS), dtype=torch.long)
        for t in tags:
            target[TAGS.index(t)] = 1
        return image, target


model = torchvision.models.resnet18(weights=None)
model.fc = nn.Linear(model.fc.in_features, len(TAGS))
criterion = nn.BCEWithLogitsLoss()
opt = torch.optim.Adam(model.parameters(), lr=3e-4)
for images, targets in DataLoader(Planet(), batch_size=4, shuffle=True):
    logits = model(images)
    loss = criterion(logits, targets)
    opt.zero_grad()
    loss.backward()
    opt.step()
'''

SCRIPTS["multilabel-multihot-into-crossentropy"] = '''
import torch
import torch.nn as nn
import torchvision

GENRES = ["action", "comedy", "drama", "horror", "romance", "sci-fi", "thriller"]
model = torchvision.models.mobilenet_v3_small(weights=None, num_classes=len(GENRES))
criterion = nn.CrossEntropyLoss()
opt = torch.optim.SGD(model.parameters(), lr=0.01)

posters = torch.rand(4, 3, 128, 128)
# a poster can have several genres
targets = torch.tensor([[1, 0, 0, 0, 0, 1, 1],
                        [0, 1, 0, 0, 1, 0, 0],
                        [0, 0, 1, 0, 0, 0, 0],
                        [1, 0, 0, 1, 0, 0, 1]])
loss = criterion(model(posters), targets.long())
loss.backward()
opt.step()
'''

SCRIPTS["multilabel-bceloss-without-sigmoid"] = '''
import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader, TensorDataset

NUM_FINDINGS = 14   # ChestX-ray14 style labels
model = torchvision.models.densenet121(weights=None)
model.classifier = nn.Linear(model.classifier.in_features, NUM_FINDINGS)
criterion = nn.BCELoss()
opt = torch.optim.Adam(model.parameters(), lr=1e-4)

x = torch.rand(8, 3, 64, 64)
y = (torch.rand(8, NUM_FINDINGS) > 0.8).float()
for epoch in range(2):
    for images, labels in DataLoader(TensorDataset(x, y), batch_size=4):
        outputs = model(images)
        loss = criterion(outputs, labels)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

SCRIPTS["multilabel-tag-strings-torch-tensor-workers"] = '''
import csv

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class Tagged(Dataset):
    def __init__(self, csv_file, tf):
        with open(csv_file) as f:
            self.rows = list(csv.DictReader(f))
        self.tf = tf

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        image = self.tf(Image.open(r["image"]).convert("RGB"))
        return image, r["tags"]          # e.g. "beach sunset people"


def main():
    tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])
    loader = DataLoader(Tagged("train.csv", tf), batch_size=4, num_workers=2)
    for images, tags in loader:
        target = torch.tensor(tags)
        print(images.shape, target.shape)


if __name__ == "__main__":
    main()
'''


def tagged_setup(work: Path):
    specs, rows = [], ["image,tags"]
    tags = ["beach sunset", "people", "beach people sunset", "city night", "city", "night people"]
    for i in range(6):
        specs.append((f"photos/img_{i:03d}.jpg", (120, 100), "RGB"))
        rows.append(f"photos/img_{i:03d}.jpg,{tags[i]}")
    make_images(work, specs)
    (work / "train.csv").write_text("\n".join(rows) + "\n")


# ================================================================ transfer learning
SCRIPTS["weights-enum-name-not-available"] = '''
import torch.nn as nn
from torchvision import models

NUM_CLASSES = 5
# the blog post used resnet50 with IMAGENET1K_V2; we want the smaller model
model = models.resnet18(weights="IMAGENET1K_V2")
model.fc = nn.Linear(model.fc.in_features, NUM_CLASSES)
'''

SCRIPTS["get-model-hf-style-name"] = '''
import torch.nn as nn
import torchvision

cfg = {"arch": "resnet-18", "num_classes": 10, "pretrained": False}
model = torchvision.models.get_model(cfg["arch"], weights=None)
model.fc = nn.Linear(model.fc.in_features, cfg["num_classes"])
'''

SCRIPTS["children-slice-backbone-no-flatten"] = '''
import torch
import torch.nn as nn
from torchvision import models

backbone = models.resnet34(weights=None)
features = nn.Sequential(*list(backbone.children())[:-1])    # drop the ImageNet fc
model = nn.Sequential(features, nn.Dropout(0.3), nn.Linear(512, 7))

criterion = nn.CrossEntropyLoss()
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
x, y = torch.rand(4, 3, 160, 160), torch.tensor([0, 3, 6, 2])
loss = criterion(model(x), y)
loss.backward()
opt.step()
'''

SCRIPTS["convnext-classifier-replaced-whole"] = '''
import torch
import torch.nn as nn
from torchvision import models

model = models.convnext_tiny(weights=None)
for p in model.features.parameters():
    p.requires_grad = False
model.classifier = nn.Linear(768, 4)          # new head for 4 leaf diseases

opt = torch.optim.AdamW(model.classifier.parameters(), lr=1e-3)
images, labels = torch.rand(2, 3, 128, 128), torch.tensor([1, 3])
out = model(images)
loss = nn.functional.cross_entropy(out, labels)
loss.backward()
opt.step()
'''

SCRIPTS["feature-extractor-wrong-node-name"] = '''
import torch
from torchvision.models import efficientnet_b0
from torchvision.models.feature_extraction import create_feature_extractor

model = efficientnet_b0(weights=None).eval()
# embeddings for image retrieval: take the pooled features before the classifier
extractor = create_feature_extractor(model, return_nodes={"avgpool.output": "embedding"})
with torch.no_grad():
    emb = extractor(torch.rand(4, 3, 224, 224))["embedding"].flatten(1)
print(emb.shape)
'''

# =========================================================== optimizers / schedulers
SCRIPTS["adam-lr-string-from-yaml"] = '''
import torch
import torch.nn as nn
import torchvision

CONFIG = """
model: resnet18
epochs: 20
optimizer:
  name: adam
  lr: 3e-4
  weight_decay: 1e-5
"""


def load_config(text):
    # minimal YAML reader (PyYAML reads "3e-4" as a string too: YAML 1.1 needs a dot)
    cfg, section = {}, None
    for line in text.strip().splitlines():
        key, _, value = line.strip().partition(":")
        if not value.strip():
            section = cfg.setdefault(key, {})
        elif line.startswith("  "):
            section[key] = value.strip()
        else:
            cfg[key] = int(value) if value.strip().isdigit() else value.strip()
    return cfg


cfg = load_config(CONFIG)
model = torchvision.models.resnet18(weights=None, num_classes=3)
opt_cfg = cfg["optimizer"]
optimizer = torch.optim.Adam(model.parameters(), lr=opt_cfg["lr"], weight_decay=opt_cfg["weight_decay"])
print(optimizer)
'''

SCRIPTS["param-groups-overlap-discriminative-lr"] = '''
import torch
import torch.nn as nn
from torchvision import models

model = models.resnet50(weights=None)
model.fc = nn.Linear(model.fc.in_features, 12)

# smaller LR for the backbone, larger for the new head
optimizer = torch.optim.SGD([
    {"params": model.parameters(), "lr": 1e-4},
    {"params": model.fc.parameters(), "lr": 1e-2},
], momentum=0.9)
'''

SCRIPTS["optimizer-given-parameters-method"] = '''
import torch
import torch.nn as nn


class SmallCNN(nn.Module):
    def __init__(self, n=10):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(3, 16, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.fc = nn.Linear(16, n)

    def forward(self, x):
        return self.fc(self.body(x))


model = SmallCNN()
optimizer = torch.optim.AdamW(model.parameters, lr=1e-3, weight_decay=0.05)
'''

SCRIPTS["sequentiallr-milestones-count"] = '''
import torch
import torch.nn as nn
from torch.optim.lr_scheduler import CosineAnnealingLR, LinearLR, SequentialLR

EPOCHS, WARMUP = 30, 3
model = nn.Linear(32, 4)
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
warmup = LinearLR(opt, start_factor=0.1, total_iters=WARMUP)
cosine = CosineAnnealingLR(opt, T_max=EPOCHS - WARMUP)
scheduler = SequentialLR(opt, schedulers=[warmup, cosine], milestones=[WARMUP, EPOCHS])
for epoch in range(EPOCHS):
    opt.step()
    scheduler.step()
'''

SCRIPTS["reduce-lr-on-plateau-verbose-removed"] = '''
import torch
import torch.nn as nn
from torch.optim.lr_scheduler import ReduceLROnPlateau

model = nn.Sequential(nn.Flatten(), nn.Linear(28 * 28, 128), nn.ReLU(), nn.Linear(128, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
scheduler = ReduceLROnPlateau(optimizer, mode="min", factor=0.5, patience=2, verbose=True)
for epoch in range(5):
    val_loss = 1.0 / (epoch + 1)
    scheduler.step(val_loss)
'''

SCRIPTS["lbfgs-step-without-closure"] = '''
import torch
import torch.nn as nn

# fine-tune only the last layer with a second-order optimizer
torch.manual_seed(0)
x, y = torch.randn(64, 20), torch.randint(0, 3, (64,))
model = nn.Linear(20, 3)
optimizer = torch.optim.LBFGS(model.parameters(), lr=0.5, max_iter=20)
criterion = nn.CrossEntropyLoss()
for it in range(5):
    optimizer.zero_grad()
    loss = criterion(model(x), y)
    loss.backward()
    optimizer.step()
    print(it, loss.item())
'''

# ========================================================================== AMP
SCRIPTS["gradscaler-step-without-scale-bf16"] = '''
import torch
import torch.nn as nn
import torchvision

model = torchvision.models.resnet18(weights=None, num_classes=5)
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
scaler = torch.amp.GradScaler("cpu")
criterion = nn.CrossEntropyLoss()

for step in range(3):
    x, y = torch.rand(4, 3, 96, 96), torch.randint(0, 5, (4,))
    opt.zero_grad(set_to_none=True)
    with torch.autocast(device_type="cpu", dtype=torch.bfloat16):
        loss = criterion(model(x), y)
    loss.backward()
    scaler.step(opt)
    scaler.update()
    print(step, loss.item())
'''

SCRIPTS["half-model-with-gradscaler"] = '''
import torch
import torch.nn as nn

model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                      nn.Flatten(), nn.Linear(16, 4)).half()          # "to save memory"
opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-4)
scaler = torch.amp.GradScaler("cpu")
x, y = torch.rand(8, 3, 32, 32).half(), torch.randint(0, 4, (8,))
with torch.autocast("cpu", dtype=torch.float16):
    loss = nn.functional.cross_entropy(model(x), y)
scaler.scale(loss).backward()
scaler.unscale_(opt)
torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
scaler.step(opt)
scaler.update()
'''

SCRIPTS["autocast-bf16-logits-to-numpy"] = '''
import numpy as np
import torch
import torchvision
from torch.utils.data import DataLoader, TensorDataset

model = torchvision.models.mobilenet_v3_small(weights=None, num_classes=3).eval()
data = TensorDataset(torch.rand(8, 3, 96, 96), torch.randint(0, 3, (8,)))
all_probs, all_labels = [], []
with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16):
    for x, y in DataLoader(data, batch_size=4):
        probs = model(x).softmax(1)
        all_probs.append(probs.numpy())
        all_labels.append(y.numpy())
probs = np.concatenate(all_probs)
print("accuracy", (probs.argmax(1) == np.concatenate(all_labels)).mean())
'''

SCRIPTS["autocast-bf16-confusion-index-add"] = '''
import torch
import torch.nn as nn

NUM_CLASSES = 4
model = nn.Sequential(nn.Flatten(), nn.Linear(3 * 32 * 32, 64), nn.ReLU(), nn.Linear(64, NUM_CLASSES)).eval()
# soft confusion matrix: row = true class, columns = summed probabilities
confusion = torch.zeros(NUM_CLASSES, NUM_CLASSES)
with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16):
    for _ in range(3):
        x, y = torch.rand(16, 3, 32, 32), torch.randint(0, NUM_CLASSES, (16,))
        probs = model(x).softmax(dim=1)
        confusion.index_add_(0, y, probs)
print(confusion / confusion.sum(1, keepdim=True))
'''

# ====================================================================== compile
SCRIPTS["compile-resume-from-plain-checkpoint"] = '''
import torch
import torch.nn as nn
import torchvision

# checkpoint written by last week's run (before we turned on torch.compile)
torch.save({"epoch": 12, "model": torchvision.models.resnet18(weights=None, num_classes=6).state_dict()},
           "last.pt")

model = torchvision.models.resnet18(weights=None, num_classes=6)
model = torch.compile(model)
ckpt = torch.load("last.pt", map_location="cpu")
model.load_state_dict(ckpt["model"])
start_epoch = ckpt["epoch"] + 1
print("resuming at epoch", start_epoch)
'''

SCRIPTS["compile-tensorrt-backend-missing"] = '''
import torch
import torchvision

model = torchvision.models.resnet18(weights=None, num_classes=2).eval()
fast = torch.compile(model, backend="tensorrt", options={"enabled_precisions": {torch.half}})
with torch.no_grad():
    print(fast(torch.rand(1, 3, 224, 224)).shape)
'''

SCRIPTS["compile-fullgraph-numpy-in-forward"] = '''
import numpy as np
import torch
import torch.nn as nn


class Normalise(nn.Module):
    def forward(self, x):
        # per-image percentile clip, written with NumPy
        hi = np.percentile(x.detach().cpu().numpy(), 99, axis=(1, 2, 3), keepdims=True)
        return x.clamp(max=torch.from_numpy(hi)) / torch.from_numpy(hi)


model = nn.Sequential(Normalise(), nn.Conv2d(1, 8, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                      nn.Linear(8, 2))
model = torch.compile(model, fullgraph=True)
print(model(torch.rand(4, 1, 64, 64) * 4000).shape)
'''

# ========================================================= samplers / collate
SCRIPTS["sampler-with-shuffle-true"] = '''
import torch
from torch.utils.data import DataLoader, TensorDataset, WeightedRandomSampler

labels = torch.tensor([0] * 90 + [1] * 10)
data = TensorDataset(torch.rand(100, 3, 32, 32), labels)
class_count = torch.bincount(labels)
weights = (1.0 / class_count.float())[labels]
sampler = WeightedRandomSampler(weights, num_samples=len(weights), replacement=True)
loader = DataLoader(data, batch_size=16, sampler=sampler, shuffle=True)
for x, y in loader:
    print(y.float().mean())
'''

SCRIPTS["weighted-sampler-weights-2d-column"] = '''
import csv

import torch
from torch.utils.data import WeightedRandomSampler

with open("train.csv") as f:
    rows = list(csv.DictReader(f))
labels = torch.tensor([[int(r["label"])] for r in rows])          # one column from the csv
counts = torch.bincount(labels.flatten())
sample_weights = 1.0 / counts[labels].float()
sampler = WeightedRandomSampler(sample_weights, num_samples=len(rows))
print(list(sampler)[:10])
'''


def csv_labels_setup(work: Path):
    rows = ["filename,label"] + [f"img_{i:04d}.jpg,{0 if i % 5 else 1}" for i in range(40)]
    (work / "train.csv").write_text("\n".join(rows) + "\n")


SCRIPTS["weighted-sampler-oversample-float"] = '''
import torch
from torch.utils.data import DataLoader, TensorDataset, WeightedRandomSampler

labels = torch.tensor([0] * 45 + [1] * 5)
data = TensorDataset(torch.rand(50, 16), labels)
weights = 1.0 / torch.bincount(labels).float()[labels]
OVERSAMPLE = 1.5
sampler = WeightedRandomSampler(weights, num_samples=len(data) * OVERSAMPLE, replacement=True)
loader = DataLoader(data, batch_size=10, sampler=sampler)
print(len(loader))
'''

SCRIPTS["balanced-sampler-len-float-tqdm"] = '''
import random

import torch
from torch.utils.data import DataLoader, Sampler, TensorDataset
from tqdm import tqdm


class BalancedSampler(Sampler):
    """half of each epoch from the rare class, half from the rest"""

    def __init__(self, labels):
        self.pos = [i for i, l in enumerate(labels) if l == 1]
        self.neg = [i for i, l in enumerate(labels) if l == 0]

    def __iter__(self):
        n = len(self) // 2
        idx = random.choices(self.pos, k=n) + random.sample(self.neg, n)
        random.shuffle(idx)
        return iter(idx)

    def __len__(self):
        return len(self.neg) / 2 * 2


labels = [1 if i % 10 == 0 else 0 for i in range(60)]
data = TensorDataset(torch.rand(60, 8), torch.tensor(labels))
loader = DataLoader(data, batch_size=8, sampler=BalancedSampler(labels))
for x, y in tqdm(loader, desc="epoch 0"):
    pass
'''

SCRIPTS["collate-torch-tensor-of-tensor-list-workers"] = '''
import torch
from torch.utils.data import DataLoader, Dataset


class Crops(Dataset):
    def __len__(self):
        return 12

    def __getitem__(self, i):
        return torch.rand(3, 64, 64), i % 4


def collate(batch):
    images = torch.tensor([b[0] for b in batch])
    labels = torch.tensor([b[1] for b in batch])
    return images, labels


def main():
    loader = DataLoader(Crops(), batch_size=4, shuffle=True, num_workers=2, collate_fn=collate)
    for images, labels in loader:
        print(images.shape, labels)


if __name__ == "__main__":
    main()
'''

# ==================================================================== ImageAI 3
CLS_TRAIN = '''
from imageai.Classification.Custom import ClassificationModelTrainer
@@PRE@@
trainer = ClassificationModelTrainer()
trainer.setModelTypeAs@@MODEL@@()
trainer.setDataDirectory("@@DATADIR@@")
trainer.trainModel(@@ARGS@@)
'''


def cls_train(model="MobileNetV2", datadir="flowers", args="num_experiments=1, batch_size=4", pre=""):
    s = CLS_TRAIN
    for k, v in dict(PRE=pre, MODEL=model, DATADIR=datadir, ARGS=args).items():
        s = s.replace(f"@@{k}@@", v)
    return {"train.py": s}


def cls_folder(root="flowers", train=("daisy", "rose"), test=("daisy", "rose"), per=3, size=(64, 64), ext=".jpg",
               extra=None):
    def setup(work: Path):
        specs = []
        for split, classes in (("train", train), ("test", test)):
            for c in classes:
                for i in range(per):
                    specs.append((f"{root}/{split}/{c}/{c}_{i}{ext}", size, "RGB"))
        make_images(work, specs)
        if extra:
            extra(work)
    return setup


def heic_folder(work: Path):
    # the tulip photos came straight off a phone
    for split, n in (("train", 3), ("test", 2)):
        d = work / "flowers" / split / "tulip"
        d.mkdir(parents=True, exist_ok=True)
        for i in range(n):
            (d / f"IMG_{4410 + i}.HEIC").write_bytes(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(64))


def broken_links(work: Path):
    # images symlinked from a dataset cache that was later cleaned up
    d = work / "flowers" / "train" / "rose"
    for i in range(3, 9):
        os.symlink(f"/home/user/.cache/flowers/rose_{i}.jpg", d / f"rose_{i}.jpg")


SAVE_CKPT_DICT = '''
import torch
import torchvision
# written by our own fine-tuning script
m = torchvision.models.mobilenet_v2(weights=None)
torch.save({"epoch": 40, "model_state_dict": m.state_dict(), "best_acc": 0.87}, "mobilenet_v2_flowers_best.pth")
'''

SAVE_LIGHTNING = '''
import torch
import torchvision
# exported from a PyTorch Lightning run
torch.save({"state_dict": torchvision.models.resnet50(weights=None).state_dict()}, "resnet50-epoch=19.ckpt")
'''


# ========================================================================= cases
def cases():
    out, add, script, _ = case_builders("torch-more5-", SCRIPTS)

    def iai(name, cause, files, forms=("cpython_basic",), **kw):
        kw.setdefault("framework", "imageai")
        kw.setdefault("timeout", 600)
        add("imageai-" + name, cause, files, forms=forms, **kw)

    # segmentation
    # a batch of one through BatchNorm in training: also `other`, as the public threads label it
    script("deeplab-train-batch-size-1", "model.input_shape", also=["other"])
    script("deeplab-coco-weights-new-num-classes", "model.api_misuse", also=["model.output_mismatch"])
    script("seg-rgb-color-mask-into-ce", "data.label_shape", setup=camvid_setup)
    script("seg-onehot-channel-last-bce", "data.label_shape")
    script("seg-voc-border-255-dice-onehot", "data.label_out_of_range", setup=voc_seg_setup)
    script("seg-iou-bincount-void-255", "data.label_out_of_range")
    script("unet-single-output-channel-ce", "model.output_mismatch", also=["data.label_out_of_range"])
    # multi-label
    script("multilabel-multihot-long-bcewithlogits", "data.dtype")
    script("multilabel-multihot-into-crossentropy", "data.label_shape", also=["data.dtype"])
    script("multilabel-bceloss-without-sigmoid", "model.output_mismatch")
    script("multilabel-tag-strings-torch-tensor-workers", "data.dtype", also=["data.label_shape"],
           setup=tagged_setup)
    # transfer learning
    script("weights-enum-name-not-available", "model.api_misuse")
    script("get-model-hf-style-name", "model.api_misuse")
    script("children-slice-backbone-no-flatten", "model.input_shape")
    script("convnext-classifier-replaced-whole", "model.input_shape", also=["model.output_mismatch"])
    script("feature-extractor-wrong-node-name", "model.api_misuse")
    # optimizers / schedulers
    script("adam-lr-string-from-yaml", "model.api_misuse", also=["data.dtype"])
    script("param-groups-overlap-discriminative-lr", "model.api_misuse")
    script("optimizer-given-parameters-method", "model.api_misuse")
    script("sequentiallr-milestones-count", "model.api_misuse")
    script("reduce-lr-on-plateau-verbose-removed", "env.version_incompat", also=["model.api_misuse"])
    script("lbfgs-step-without-closure", "model.api_misuse")
    # AMP
    script("gradscaler-step-without-scale-bf16", "model.api_misuse")
    script("half-model-with-gradscaler", "model.api_misuse", also=["data.dtype"])
    script("autocast-bf16-logits-to-numpy", "data.dtype")
    script("autocast-bf16-confusion-index-add", "data.dtype")
    # torch.compile
    script("compile-resume-from-plain-checkpoint", "model.weights_mismatch", forms=["cpython_basic", "multiline_message"])
    script("compile-tensorrt-backend-missing", "env.version_incompat", also=["model.api_misuse"])
    script("compile-fullgraph-numpy-in-forward", "other", also=["model.api_misuse"],
           forms=["cpython_basic", "multiline_message"], exception="Unsupported")
    # samplers / collate
    script("sampler-with-shuffle-true", "model.api_misuse")
    script("weighted-sampler-weights-2d-column", "data.label_shape", also=["model.api_misuse"], setup=csv_labels_setup)
    script("weighted-sampler-oversample-float", "model.api_misuse")
    script("balanced-sampler-len-float-tqdm", "model.api_misuse", forms=["cpython_basic", "progress_bars?"])
    script("collate-torch-tensor-of-tensor-list-workers", "model.api_misuse", forms=["cpython_basic", "dataloader_worker"])

    # ImageAI 3 ClassificationModelTrainer
    iai("cls-transfer-lightning-ckpt", "model.weights_mismatch", also=["model.api_misuse"],
        files={**cls_train(model="ResNet50", args='num_experiments=5, batch_size=4, transfer_from_model="resnet50-epoch=19.ckpt"',
                           pre=SAVE_LIGHTNING)},
        setup=cls_folder())
    iai("cls-transfer-training-checkpoint-dict", "model.weights_mismatch", forms=["cpython_basic", "multiline_message"],
        files=cls_train(args='num_experiments=5, batch_size=4, transfer_from_model="mobilenet_v2_flowers_best.pth"',
                        pre=SAVE_CKPT_DICT),
        setup=cls_folder())
    iai("cls-epochs-string-from-argv", "model.api_misuse",
        files=cls_train(args="num_experiments=sys.argv[1], batch_size=4", pre="import sys\n"),
        argv=("train.py", "10"), setup=cls_folder())
    iai("cls-nested-model-directory", "model.api_misuse", also=["other"],
        files=cls_train(args='num_experiments=1, batch_size=4, model_directory="runs/flowers/mobilenet"'),
        setup=cls_folder())
    iai("cls-class-folder-only-heic", "data.missing_or_corrupt",
        files=cls_train(), setup=cls_folder(extra=heic_folder))
    iai("cls-broken-symlinks-in-train", "data.missing_or_corrupt", forms=["cpython_basic", "progress_bars?"],
        files=cls_train(args="num_experiments=2, batch_size=4"), setup=cls_folder(per=3, extra=broken_links))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
