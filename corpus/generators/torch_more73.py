"""A seventy-third held-out set (g138, scored 0.96 top-1 and 1.00 top-3 before any rule for it) of PyTorch / torchvision failures, untargeted across the taxonomy.

The persona: PyTorch practitioners who write their own losses, metrics and heads for image tasks: focal, Dice and
Tversky losses, label smoothing with class weights for imbalanced data, triplet / contrastive / proxy losses with
hand-written miners, GIoU box losses for a one-object localiser, ordinal (CORAL) and multi-label heads, cosine
classifier heads with a learnable scale, hand-written accuracy / macro-F1 / PR curves, and evaluation loops, all
trained on small synthetic or folder datasets. A natural mix of causes, each program built so that its cause is
known by construction and made to fail inside torch, torchvision, NumPy, PIL or the standard library; none a repeat
of the scenarios in the other generators:

- data: a macro-F1 evaluation over a ``val/`` folder of phone photos whose transform has no resize (the train set
  was rendered at 64 px, tqdm), lesion slices read with ``read_image`` where a few exports are single-channel PNGs
  (Tversky loss, in workers), a GIoU localiser reading YOLO rows from pseudo-labelled files that carry a sixth
  confidence column, severity grades binned with ``np.digitize`` over ``linspace`` edges so the top score lands in
  an extra bin (weighted, label-smoothed CE, tqdm), per-attribute heads whose "unknown" labels are -1 under the
  default ``ignore_index``, a SupCon + online linear-probe step that feeds the concatenated two-view features to
  the probe with one label per image, CORAL level targets built without ``y[:, None]``, a Proxy-NCA loss whose
  proxies ``nn.Embedding`` gets float labels from ``np.loadtxt``, a triplets CSV pointing at images a dedup script
  deleted (in workers), an insect dataset globbed for ``*.jpg`` when the camera writes ``.JPG`` (notebook);
- model: an ordinal age head whose ``Linear`` was sized for 224 px inputs on 128 px images, a one-channel binary
  UNet reused for a three-class crack / spall mask, a joint CE + triplet model returning ``(embedding, logits)``
  given to the kNN evaluation (notebook), an MLP-projection embedder checkpoint loaded into a linear head for kNN
  evaluation, torchvision ``sigmoid_focal_loss`` with ``reduction="batchmean"``, ``nn.TripletMarginLoss`` called
  like pytorch-metric-learning's ``loss(embeddings, labels)`` (notebook);
- optimisation: a hand-written NT-Xent with ``exp`` of unnormalised similarities at temperature 0.05 under anomaly
  detection, a cosine-classifier head clamping its learnable scale in place in ``forward``;
- resource / environment / other: a pixel-level PR curve over 101 thresholds by broadcasting all validation
  probabilities at once under a job memory limit, a focal loss with its class ``alpha`` pinned with ``.cuda()`` on a
  CPU laptop, a misclassified-images contact sheet using ``font.getsize`` under Pillow 10+, a dataset keeping a
  ``sqlite3`` label-store connection under spawn workers, a DDP (gloo, torchrun) metric-learning job whose CE
  warm-up head goes unused after the warm-up epoch, per-class F1 history turned into a tensor with ``torch.tensor``
  on a list of tensors.

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None: checkpoints are
files an earlier step left on disk).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more73.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


from _record import Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders  # noqa: E402,F401
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more73.py"

SCRIPTS = {}
CELLS = {}

MEAN_STD = "[0.485, 0.456, 0.406], [0.229, 0.224, 0.225]"

TINY_CNN = '''
class SmallCNN(nn.Module):
    def __init__(self, num_classes):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
        )
        self.classifier = nn.Linear(64, num_classes)

    def forward(self, x):
        return self.classifier(self.features(x).flatten(1))
'''

# ================================================================== data
SCRIPTS["macro-f1-eval-val-phone-photos-transform-without-resize-tqdm"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms as T
from tqdm import tqdm

torch.manual_seed(0)
NORM = T.Normalize(@@MEAN_STD@@)
# train images come out of render_shapes.py at 64x64, so no resize is needed
train_tf = T.Compose([T.RandomHorizontalFlip(), T.ToTensor(), NORM])
val_tf = T.Compose([T.ToTensor(), NORM])

train_ds = datasets.ImageFolder("leaves/train", train_tf)
val_ds = datasets.ImageFolder("leaves/val", val_tf)
train_loader = DataLoader(train_ds, batch_size=8, shuffle=True)
val_loader = DataLoader(val_ds, batch_size=8)
print("classes:", train_ds.classes, "| train", len(train_ds), "| val", len(val_ds))
@@TINY_CNN@@

def macro_f1(preds, targets, num_classes):
    f1s = []
    for c in range(num_classes):
        tp = ((preds == c) & (targets == c)).sum().item()
        fp = ((preds == c) & (targets != c)).sum().item()
        fn = ((preds != c) & (targets == c)).sum().item()
        f1s.append(2 * tp / max(2 * tp + fp + fn, 1))
    return sum(f1s) / num_classes, f1s


model = SmallCNN(len(train_ds.classes))
opt = torch.optim.AdamW(model.parameters(), lr=3e-3)
for epoch in range(1, 3):
    model.train()
    for x, y in tqdm(train_loader, desc=f"epoch {epoch} train"):
        loss = F.cross_entropy(model(x), y, label_smoothing=0.05)
        opt.zero_grad()
        loss.backward()
        opt.step()

    model.eval()
    all_preds, all_targets = [], []
    with torch.no_grad():
        for x, y in tqdm(val_loader, desc=f"epoch {epoch} val"):
            all_preds.append(model(x).argmax(1))
            all_targets.append(y)
    f1, per_class = macro_f1(torch.cat(all_preds), torch.cat(all_targets), len(train_ds.classes))
    print(f"epoch {epoch}: macro-F1 {f1:.3f}  per class {[round(v, 3) for v in per_class]}")
'''.replace("@@MEAN_STD@@", MEAN_STD).replace("@@TINY_CNN@@", TINY_CNN)

LEAVES = ["healthy", "rust", "scab"]
LEAVES_SETUP = imgs(class_folder("leaves/train", LEAVES, 8, size=(64, 64), ext="png")
                    + [(f"leaves/val/{c}/IMG_{20240611 + i}_{k}.jpg", wh, "RGB")
                       for i, c in enumerate(LEAVES)
                       for k, wh in enumerate([(640, 480), (480, 640), (640, 480)])])

SCRIPTS["tversky-lesion-slices-read-image-single-channel-exports-workers"] = '''
import glob

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from torchvision.io import read_image


class LesionSlices(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/images/*.png"))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        path = self.images[i]
        image = read_image(path).float() / 255.0
        mask = (read_image(path.replace("/images/", "/masks/")) > 127).float()
        return image, mask


def conv_block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class TinyUNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc1, self.enc2 = conv_block(3, 16), conv_block(16, 32)
        self.pool = nn.MaxPool2d(2)
        self.up = nn.ConvTranspose2d(32, 16, 2, stride=2)
        self.dec = conv_block(32, 16)
        self.out = nn.Conv2d(16, 1, 1)

    def forward(self, x):
        e1 = self.enc1(x)
        e2 = self.enc2(self.pool(e1))
        return self.out(self.dec(torch.cat([self.up(e2), e1], 1)))


def tversky_loss(logits, target, alpha=0.3, beta=0.7, smooth=1.0):
    """alpha < beta: false negatives (missed lesion pixels) cost more than false positives"""
    p = torch.sigmoid(logits)
    tp = (p * target).sum((1, 2, 3))
    fp = (p * (1 - target)).sum((1, 2, 3))
    fn = ((1 - p) * target).sum((1, 2, 3))
    return (1 - (tp + smooth) / (tp + alpha * fp + beta * fn + smooth)).mean()


def main():
    torch.manual_seed(0)
    ds = LesionSlices("lesions/train")
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2)
    model = TinyUNet()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(5):
        total = 0.0
        for x, m in loader:
            loss = tversky_loss(model(x), m)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item()
        print(f"epoch {epoch}: tversky {total / len(loader):.4f}")


if __name__ == "__main__":
    main()
'''


def lesion_specs():
    specs = []
    for i in range(14):
        # slices 3, 8 and 11 were re-exported from the PACS viewer, which writes 8-bit grayscale PNGs
        mode = "L" if i in (3, 8, 11) else "RGB"
        specs.append((f"lesions/train/images/case{i:03d}.png", (96, 96), mode))
        specs.append((f"lesions/train/masks/case{i:03d}.png", (96, 96), "L"))
    return specs


SCRIPTS["giou-localizer-pseudo-label-files-with-confidence-column-tqdm"] = '''
import glob
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T
from torchvision.ops import generalized_box_iou_loss
from tqdm import tqdm


class PetFaces(Dataset):
    """one face per image; YOLO rows 'cls cx cy w h' (normalised) next to each image"""

    def __init__(self, root):
        self.images = sorted(glob.glob(os.path.join(root, "*.jpg")))
        self.tf = T.Compose([T.Resize((128, 128)), T.ToTensor(), T.Normalize(@@MEAN_STD@@)])

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        path = self.images[i]
        rows = np.loadtxt(os.path.splitext(path)[0] + ".txt", ndmin=2).reshape(-1, 5)
        _, cx, cy, w, h = rows[0]
        box = torch.tensor([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], dtype=torch.float32)
        return self.tf(Image.open(path).convert("RGB")), box


class Localizer(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = models.resnet18(weights=None)
        self.backbone.fc = nn.Linear(512, 4)

    def forward(self, x):
        cx, cy, w, h = self.backbone(x).sigmoid().unbind(1)
        return torch.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], 1)


torch.manual_seed(0)
ds = PetFaces("pet_faces/train")     # hand-labelled images + the ones labelled by last week's model
loader = DataLoader(ds, batch_size=8, shuffle=True)
model = Localizer()
opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
for epoch in range(10):
    bar = tqdm(loader, desc=f"epoch {epoch}")
    for x, boxes in bar:
        pred = model(x)
        loss = generalized_box_iou_loss(pred, boxes, reduction="mean") + F.l1_loss(pred, boxes)
        opt.zero_grad()
        loss.backward()
        opt.step()
        bar.set_postfix(loss=f"{loss.item():.3f}")
'''.replace("@@MEAN_STD@@", MEAN_STD)

PET_FACES_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(3)
os.makedirs("pet_faces/train", exist_ok=True)
for i in range(20):
    name = f"pet_faces/train/{'manual' if i < 12 else 'pseudo'}_{i:04d}"
    Image.fromarray(rng.integers(0, 256, (160, 200, 3), dtype=np.uint8)).save(name + ".jpg")
    cx, cy, w, h = rng.uniform(0.35, 0.65), rng.uniform(0.35, 0.65), rng.uniform(0.2, 0.4), rng.uniform(0.2, 0.4)
    with open(name + ".txt", "w") as f:
        if i < 12:
            f.write(f"0 {cx:.6f} {cy:.6f} {w:.6f} {h:.6f}\\n")
        else:   # written by predict(save_txt=True, save_conf=True)
            f.write(f"0 {cx:.6f} {cy:.6f} {w:.6f} {h:.6f} {rng.uniform(0.5, 0.95):.6f}\\n")
'''

SCRIPTS["severity-grades-digitize-linspace-edges-top-score-weighted-smoothing-tqdm"] = '''
import csv

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T
from tqdm import tqdm

NUM_GRADES = 5
EDGES = np.linspace(0.0, 1.0, NUM_GRADES + 1)      # 0, .2, .4, .6, .8, 1


def to_grade(score: float) -> int:
    """mean annotator severity in [0, 1] -> grade 0..4"""
    return int(np.digitize(score, EDGES)) - 1


class Retina(Dataset):
    def __init__(self, csv_path, tf):
        with open(csv_path, newline="") as f:
            self.rows = [(r["image"], to_grade(float(r["severity"]))) for r in csv.DictReader(f)]
        self.tf = tf

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        path, grade = self.rows[i]
        return self.tf(Image.open(path).convert("RGB")), grade


tf = T.Compose([T.Resize((112, 112)), T.RandomHorizontalFlip(), T.ToTensor(), T.Normalize(@@MEAN_STD@@)])
ds = Retina("fundus/labels.csv", tf)
grades = [g for _, g in ds.rows]
counts = np.array([sum(g == k for g in grades) for k in range(NUM_GRADES)], dtype=np.float32)
weights = torch.tensor(counts.sum() / (NUM_GRADES * np.maximum(counts, 1)), dtype=torch.float32)
print("grade counts:", counts.astype(int).tolist(), "class weights:", [round(w, 2) for w in weights.tolist()])

torch.manual_seed(0)
loader = DataLoader(ds, batch_size=8, shuffle=True)
model = models.resnet18(weights=None, num_classes=NUM_GRADES)
criterion = nn.CrossEntropyLoss(weight=weights, label_smoothing=0.1)
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for epoch in range(8):
    for x, y in tqdm(loader, desc=f"epoch {epoch}"):
        loss = criterion(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''.replace("@@MEAN_STD@@", MEAN_STD)

FUNDUS_PREP = '''
import csv
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(11)
os.makedirs("fundus/images", exist_ok=True)
scores = [0.0, 0.1, 0.15, 0.3, 0.35, 0.5, 0.45, 0.7, 0.65, 0.9, 1.0, 0.2, 0.05, 1.0, 0.8, 0.25]
with open("fundus/labels.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["image", "severity"])
    for i, s in enumerate(scores):
        p = f"fundus/images/eye_{i:04d}.jpg"
        Image.fromarray(rng.integers(0, 256, (140, 140, 3), dtype=np.uint8)).save(p)
        w.writerow([p, s])
'''

SCRIPTS["attribute-heads-unknown-as-minus-one-default-ignore-index"] = '''
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T

ATTRIBUTES = {
    "sleeve": ["sleeveless", "short", "long"],
    "neckline": ["crew", "v", "collar", "hooded"],
    "pattern": ["solid", "striped", "floral", "checked"],
}
UNKNOWN = -1   # annotators left the field empty: skip it in the loss


class Garments(Dataset):
    def __init__(self, csv_path):
        with open(csv_path, newline="") as f:
            self.rows = list(csv.DictReader(f))
        self.tf = T.Compose([T.Resize((96, 96)), T.ToTensor(), T.Normalize(@@MEAN_STD@@)])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        labels = {k: (v.index(r[k]) if r[k] else UNKNOWN) for k, v in ATTRIBUTES.items()}
        return self.tf(Image.open(r["image"]).convert("RGB")), labels


class AttributeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.trunk = models.resnet18(weights=None)
        self.trunk.fc = nn.Identity()
        self.heads = nn.ModuleDict({k: nn.Linear(512, len(v)) for k, v in ATTRIBUTES.items()})

    def forward(self, x):
        f = self.trunk(x)
        return {k: head(f) for k, head in self.heads.items()}


torch.manual_seed(0)
loader = DataLoader(Garments("garments/train.csv"), batch_size=8, shuffle=True)
model = AttributeNet()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for step, (x, labels) in enumerate(loader):
        out = model(x)
        loss = sum(F.cross_entropy(out[k], labels[k]) for k in ATTRIBUTES)
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(f"epoch {epoch} step {step}: {loss.item():.4f}")
'''.replace("@@MEAN_STD@@", MEAN_STD)

GARMENTS_PREP = '''
import csv
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(2)
os.makedirs("garments/img", exist_ok=True)
attrs = {"sleeve": ["sleeveless", "short", "long"], "neckline": ["crew", "v", "collar", "hooded"],
         "pattern": ["solid", "striped", "floral", "checked"]}
with open("garments/train.csv", "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=["image", *attrs])
    w.writeheader()
    for i in range(16):
        p = f"garments/img/{i:05d}.jpg"
        Image.fromarray(rng.integers(0, 256, (120, 100, 3), dtype=np.uint8)).save(p)
        row = {"image": p}
        for k, v in attrs.items():
            row[k] = "" if rng.random() < 0.25 else v[rng.integers(len(v))]
        w.writerow(row)
'''

SCRIPTS["supcon-online-linear-probe-on-concatenated-two-view-features"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T


class TwoViews:
    def __init__(self, tf):
        self.tf = tf

    def __call__(self, img):
        return self.tf(img), self.tf(img)


def supcon_loss(z, labels, temperature=0.1):
    """z: (B, n_views, D) L2-normalised; Khosla et al. 2020, 'out' variant"""
    b, v, _ = z.shape
    feats = z.transpose(0, 1).reshape(b * v, -1)
    lab = labels.repeat(v)
    sim = feats @ feats.T / temperature
    self_mask = torch.eye(b * v, dtype=torch.bool)
    pos = (lab[:, None] == lab[None, :]) & ~self_mask
    sim = sim.masked_fill(self_mask, float("-inf"))
    log_prob = sim - torch.logsumexp(sim, dim=1, keepdim=True)
    return -(log_prob.masked_fill(~pos, 0).sum(1) / pos.sum(1).clamp(min=1)).mean()


aug = T.Compose([T.RandomResizedCrop(64, scale=(0.4, 1.0)), T.RandomHorizontalFlip(),
                 T.ColorJitter(0.4, 0.4, 0.4, 0.1), T.ToTensor()])
ds = datasets.ImageFolder("fabrics/train", transform=TwoViews(aug))
loader = DataLoader(ds, batch_size=8, shuffle=True, drop_last=True)

torch.manual_seed(0)
backbone = models.resnet18(weights=None)
backbone.fc = nn.Identity()
projector = nn.Sequential(nn.Linear(512, 256), nn.ReLU(), nn.Linear(256, 64))
probe = nn.Linear(512, len(ds.classes))          # online linear probe to watch accuracy during pre-training
params = list(backbone.parameters()) + list(projector.parameters()) + list(probe.parameters())
opt = torch.optim.SGD(params, lr=0.05, momentum=0.9, weight_decay=1e-4)

for epoch in range(20):
    for (v1, v2), y in loader:
        h = backbone(torch.cat([v1, v2]))
        z = F.normalize(projector(h), dim=1)
        z1, z2 = z.chunk(2)
        loss_con = supcon_loss(torch.stack([z1, z2], 1), y)
        probe_logits = probe(h.detach())
        loss_probe = F.cross_entropy(probe_logits, y)
        opt.zero_grad()
        (loss_con + loss_probe).backward()
        opt.step()
    acc = (probe_logits.argmax(1) == y).float().mean().item()
    print(f"epoch {epoch}: supcon {loss_con.item():.3f}  probe acc {acc:.2f}")
'''

SCRIPTS["coral-level-targets-arange-compared-without-unsqueeze"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

tf = T.Compose([T.Resize((96, 96)), T.RandomHorizontalFlip(), T.ToTensor(), T.Normalize(@@MEAN_STD@@)])
ds = datasets.ImageFolder("wear_grades/train", tf)      # grade_0 (new) ... grade_4 (worn out)
K = len(ds.classes)
loader = DataLoader(ds, batch_size=8, shuffle=True)


class CoralHead(nn.Module):
    """Cao et al. 2020: one shared weight vector, K-1 ordered biases"""

    def __init__(self, in_features, num_classes):
        super().__init__()
        self.fc = nn.Linear(in_features, 1, bias=False)
        self.biases = nn.Parameter(torch.arange(num_classes - 1, 0, -1).float() / (num_classes - 1))

    def forward(self, x):
        return self.fc(x) + self.biases


def coral_levels(y, num_classes):
    # level k is 1 when the grade is above k
    return (y > torch.arange(num_classes - 1)).float()


def coral_loss(logits, levels):
    return F.binary_cross_entropy_with_logits(logits, levels, reduction="sum") / logits.size(0)


torch.manual_seed(0)
net = models.resnet18(weights=None)
net.fc = CoralHead(512, K)
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
for epoch in range(10):
    for x, y in loader:
        logits = net(x)
        loss = coral_loss(logits, coral_levels(y, K))
        opt.zero_grad()
        loss.backward()
        opt.step()
    pred = (torch.sigmoid(logits) > 0.5).sum(1)
    print(f"epoch {epoch}: loss {loss.item():.3f}  MAE {(pred - y).abs().float().mean().item():.2f}")
'''.replace("@@MEAN_STD@@", MEAN_STD)

SCRIPTS["proxy-nca-embedding-proxies-float-labels-from-loadtxt"] = '''
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T


class Birds(Dataset):
    def __init__(self, list_file, label_file):
        self.paths = [l.strip() for l in open(list_file) if l.strip()]
        self.labels = np.loadtxt(label_file)          # one class id per line
        self.tf = T.Compose([T.Resize((96, 96)), T.RandomHorizontalFlip(), T.ToTensor(),
                             T.Normalize(@@MEAN_STD@@)])

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        return self.tf(Image.open(self.paths[i]).convert("RGB")), self.labels[i]


class ProxyNCA(nn.Module):
    """Movshovitz-Attias et al. 2017: one learnable proxy per class"""

    def __init__(self, num_classes, dim, scale=8.0):
        super().__init__()
        self.proxies = nn.Embedding(num_classes, dim)
        nn.init.normal_(self.proxies.weight, std=0.01)
        self.scale = scale

    def forward(self, emb, labels):
        emb = F.normalize(emb, dim=1) * self.scale
        proxies = F.normalize(self.proxies.weight, dim=1) * self.scale
        pos = F.normalize(self.proxies(labels), dim=1) * self.scale
        d_all = torch.cdist(emb, proxies) ** 2
        d_pos = ((emb - pos) ** 2).sum(1)
        return (d_pos + torch.logsumexp(-d_all, dim=1)).mean()


torch.manual_seed(0)
ds = Birds("cub_subset/train_images.txt", "cub_subset/train_labels.txt")
num_classes = int(ds.labels.max()) + 1
loader = DataLoader(ds, batch_size=8, shuffle=True)
net = models.resnet18(weights=None)
net.fc = nn.Linear(512, 64)
criterion = ProxyNCA(num_classes, 64)
opt = torch.optim.Adam([{"params": net.parameters()}, {"params": criterion.parameters(), "lr": 1e-2}], lr=1e-4)
for epoch in range(10):
    for x, y in loader:
        loss = criterion(net(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: proxy-nca {loss.item():.4f}")
'''.replace("@@MEAN_STD@@", MEAN_STD)

CUB_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(5)
os.makedirs("cub_subset/images", exist_ok=True)
paths, labels = [], []
for i in range(16):
    p = f"cub_subset/images/{i:04d}.jpg"
    Image.fromarray(rng.integers(0, 256, (110, 130, 3), dtype=np.uint8)).save(p)
    paths.append(p)
    labels.append(i % 4)
open("cub_subset/train_images.txt", "w").write("\\n".join(paths) + "\\n")
open("cub_subset/train_labels.txt", "w").write("\\n".join(map(str, labels)) + "\\n")
'''

SCRIPTS["triplets-csv-after-dedup-script-deleted-images-workers"] = '''
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T


class TripletCSV(Dataset):
    """rows of anchor,positive,negative image paths mined offline by mine_triplets.py"""

    def __init__(self, csv_path):
        with open(csv_path, newline="") as f:
            self.rows = list(csv.DictReader(f))
        self.tf = T.Compose([T.Resize((96, 96)), T.RandomHorizontalFlip(), T.ToTensor(),
                             T.Normalize(@@MEAN_STD@@)])

    def __len__(self):
        return len(self.rows)

    def load(self, path):
        return self.tf(Image.open(path).convert("RGB"))

    def __getitem__(self, i):
        r = self.rows[i]
        return self.load(r["anchor"]), self.load(r["positive"]), self.load(r["negative"])


def main():
    torch.manual_seed(0)
    loader = DataLoader(TripletCSV("triplets_v3.csv"), batch_size=8, shuffle=True, num_workers=2)
    net = models.resnet18(weights=None)
    net.fc = nn.Linear(512, 128)
    criterion = nn.TripletMarginLoss(margin=0.2)
    opt = torch.optim.Adam(net.parameters(), lr=3e-4)
    for epoch in range(10):
        for a, p, n in loader:
            ea, ep, en = (F.normalize(net(t), dim=1) for t in (a, p, n))
            loss = criterion(ea, ep, en)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"epoch {epoch}: triplet {loss.item():.4f}")


if __name__ == "__main__":
    main()
'''.replace("@@MEAN_STD@@", MEAN_STD)

TRIPLETS_PREP = '''
import csv
import os
import random
import numpy as np
from PIL import Image

rng = np.random.default_rng(4)
ids = [f"whale_{k:03d}" for k in range(6)]
paths = {}
for w in ids:
    os.makedirs(f"flukes/{w}", exist_ok=True)
    paths[w] = []
    for j in range(4):
        p = f"flukes/{w}/{w}_{j}.jpg"
        Image.fromarray(rng.integers(0, 256, (90, 160, 3), dtype=np.uint8)).save(p)
        paths[w].append(p)
r = random.Random(0)
with open("triplets_v3.csv", "w", newline="") as f:
    wr = csv.writer(f)
    wr.writerow(["anchor", "positive", "negative"])
    for _ in range(24):
        a, b = r.sample(ids, 2)
        x, y = r.sample(paths[a], 2)
        wr.writerow([x, y, r.choice(paths[b])])
# dedup_photos.py (run after the triplets were mined) removed near-duplicate shots
for w in ids[:3]:
    os.remove(paths[w][3])
    os.remove(paths[w][1])
'''

CELLS["insects-glob-lowercase-jpg-camera-writes-upper-JPG-notebook"] = [
    '''
import glob
import os

import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T

classes = sorted(os.listdir("insect_traps/train"))
files = sorted(glob.glob("insect_traps/train/*/*.jpg"))
labels = [classes.index(os.path.basename(os.path.dirname(p))) for p in files]
print("classes:", classes)
''',
    '''
class TrapImages(Dataset):
    def __init__(self, files, labels):
        self.files, self.labels = files, labels
        self.tf = T.Compose([T.Resize((96, 96)), T.RandomVerticalFlip(), T.ToTensor()])

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        return self.tf(Image.open(self.files[i]).convert("RGB")), self.labels[i]


train_loader = DataLoader(TrapImages(files, labels), batch_size=16, shuffle=True)
''',
    '''
counts = torch.bincount(torch.tensor(labels), minlength=len(classes)).float()
model = models.mobilenet_v3_small(weights=None, num_classes=len(classes))
criterion = nn.CrossEntropyLoss(weight=counts.sum() / counts)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for x, y in train_loader:
        loss = criterion(model(x), y)
        opt.zero_grad(); loss.backward(); opt.step()
''',
]

INSECTS = imgs([(f"insect_traps/train/{c}/DSC_{i + 40 * k:04d}.JPG", (160, 120), "RGB")
                for k, c in enumerate(["aphid", "thrips", "whitefly"]) for i in range(5)])

# ================================================================== model
SCRIPTS["ordinal-age-head-linear-sized-for-224-on-128-crops"] = '''
import glob
import os

import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T

AGE_EDGES = [13, 20, 30, 40, 50, 60]          # 7 ordinal age groups -> 6 cumulative logits


class Faces(Dataset):
    """UTKFace-style names: <age>_<gender>_<race>_<date>.jpg"""

    def __init__(self, root):
        self.files = sorted(glob.glob(os.path.join(root, "*.jpg")))
        self.tf = T.Compose([T.Resize((128, 128)), T.RandomHorizontalFlip(), T.ToTensor(),
                             T.Normalize(@@MEAN_STD@@)])

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        age = int(os.path.basename(self.files[i]).split("_")[0])
        group = sum(age >= e for e in AGE_EDGES)
        return self.tf(Image.open(self.files[i]).convert("RGB")), group


class OrdinalAgeNet(nn.Module):
    def __init__(self, num_groups):
        super().__init__()
        resnet = models.resnet18(weights=None)
        self.features = nn.Sequential(*list(resnet.children())[:-2])     # keep the spatial map
        self.head = nn.Sequential(
            nn.Flatten(),
            nn.Dropout(0.3),
            nn.Linear(512 * 7 * 7, 256),
            nn.ReLU(inplace=True),
            nn.Linear(256, num_groups - 1),
        )

    def forward(self, x):
        return self.head(self.features(x))


def cumulative_targets(groups, k):
    return (groups[:, None] > torch.arange(k - 1)[None, :]).float()


torch.manual_seed(0)
loader = DataLoader(Faces("utkface_crops"), batch_size=8, shuffle=True)
model = OrdinalAgeNet(len(AGE_EDGES) + 1)
opt = torch.optim.Adam(model.parameters(), lr=3e-4)
for epoch in range(10):
    for x, g in loader:
        logits = model(x)
        loss = F.binary_cross_entropy_with_logits(logits, cumulative_targets(g, len(AGE_EDGES) + 1))
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''.replace("@@MEAN_STD@@", MEAN_STD)

UTK = imgs([(f"utkface_crops/{age}_{i % 2}_{i % 5}_2017011{i % 10}17{i:04d}.jpg", (140, 140), "RGB")
            for i, age in enumerate([4, 17, 23, 26, 31, 35, 38, 44, 47, 52, 58, 61, 66, 72, 29, 19])])

SCRIPTS["binary-unet-one-channel-out-reused-for-three-class-crack-spall-masks"] = '''
import glob

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset

from unet import UNet       # from the crack-only project (background / crack)

CLASSES = ["background", "crack", "spall"]


class ConcreteDefects(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/images/*.png"))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = np.asarray(Image.open(self.images[i]).convert("RGB"), dtype=np.float32) / 255.0
        mask = np.asarray(Image.open(self.images[i].replace("/images/", "/masks/")), dtype=np.int64)
        return torch.from_numpy(img).permute(2, 0, 1), torch.from_numpy(mask)


def multiclass_tversky(logits, target, alpha=0.5, beta=0.5, smooth=1.0):
    probs = logits.softmax(1)
    onehot = F.one_hot(target, len(CLASSES)).permute(0, 3, 1, 2).float()
    tp = (probs * onehot).sum((0, 2, 3))
    fp = (probs * (1 - onehot)).sum((0, 2, 3))
    fn = ((1 - probs) * onehot).sum((0, 2, 3))
    return (1 - (tp + smooth) / (tp + alpha * fp + beta * fn + smooth)).mean()


torch.manual_seed(0)
loader = DataLoader(ConcreteDefects("bridge_deck/train"), batch_size=4, shuffle=True)
model = UNet(in_channels=3)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(20):
    for x, m in loader:
        logits = model(x)
        loss = F.cross_entropy(logits, m) + multiclass_tversky(logits, m)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: CE + Tversky {loss.item():.4f}")
'''

UNET_PY = '''
import torch
import torch.nn as nn


def double_conv(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
                         nn.Conv2d(cout, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class UNet(nn.Module):
    """Small U-Net for crack segmentation; one logit per pixel (crack vs background)."""

    def __init__(self, in_channels=3, out_channels=1, width=16):
        super().__init__()
        self.down1 = double_conv(in_channels, width)
        self.down2 = double_conv(width, width * 2)
        self.pool = nn.MaxPool2d(2)
        self.up = nn.ConvTranspose2d(width * 2, width, 2, stride=2)
        self.conv = double_conv(width * 2, width)
        self.head = nn.Conv2d(width, out_channels, 1)

    def forward(self, x):
        d1 = self.down1(x)
        d2 = self.down2(self.pool(d1))
        return self.head(self.conv(torch.cat([self.up(d2), d1], 1)))
'''

DECK_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(8)
for sub in ("images", "masks"):
    os.makedirs(f"bridge_deck/train/{sub}", exist_ok=True)
for i in range(8):
    Image.fromarray(rng.integers(0, 256, (64, 64, 3), dtype=np.uint8)).save(f"bridge_deck/train/images/d{i:03d}.png")
    m = np.zeros((64, 64), np.uint8)
    m[10 + i:14 + i, :] = 1                      # crack
    m[40:52, 20 + i:34 + i] = 2                  # spall
    Image.fromarray(m).save(f"bridge_deck/train/masks/d{i:03d}.png")
'''

CELLS["joint-ce-triplet-model-returns-embedding-and-logits-knn-eval-notebook"] = [
    '''
import glob
import os

import torch
import torch.nn.functional as F
from PIL import Image
from torchvision import transforms as T

from embedder import JointEmbedder

tf = T.Compose([T.Resize((96, 96)), T.ToTensor(), T.Normalize(@@MEAN_STD@@)])
model = JointEmbedder(num_classes=5)
model.load_state_dict(torch.load("runs/joint_ce_triplet/best.pt", map_location="cpu"))
model.eval()
gallery_paths = sorted(glob.glob("sneakers/gallery/*/*.jpg"))
query_paths = sorted(glob.glob("sneakers/query/*/*.jpg"))
len(gallery_paths), len(query_paths)
'''.replace("@@MEAN_STD@@", MEAN_STD),
    '''
@torch.no_grad()
def embed(paths, batch_size=8):
    out = []
    for i in range(0, len(paths), batch_size):
        x = torch.stack([tf(Image.open(p).convert("RGB")) for p in paths[i:i + batch_size]])
        out.append(F.normalize(model(x), dim=1))
    return torch.cat(out)

gallery = embed(gallery_paths)
queries = embed(query_paths)
''',
    '''
label_of = lambda p: os.path.basename(os.path.dirname(p))
nn_idx = (queries @ gallery.T).argmax(1)
top1 = sum(label_of(q) == label_of(gallery_paths[j]) for q, j in zip(query_paths, nn_idx.tolist())) / len(query_paths)
print(f"kNN top-1: {top1:.3f}")
''',
]

EMBEDDER_PY = '''
import torch.nn as nn
import torch.nn.functional as F
from torchvision import models


class JointEmbedder(nn.Module):
    """ResNet-18 trunk, 128-d embedding for the triplet loss and a CE head on top (trained jointly)."""

    def __init__(self, num_classes, dim=128):
        super().__init__()
        self.trunk = models.resnet18(weights=None)
        self.trunk.fc = nn.Identity()
        self.embed = nn.Linear(512, dim)
        self.classifier = nn.Linear(dim, num_classes)

    def forward(self, x):
        emb = self.embed(self.trunk(x))
        return emb, self.classifier(F.normalize(emb, dim=1))
'''

JOINT_PREP = '''
import os
import torch
from embedder import JointEmbedder

os.makedirs("runs/joint_ce_triplet", exist_ok=True)
torch.manual_seed(0)
torch.save(JointEmbedder(num_classes=5).state_dict(), "runs/joint_ce_triplet/best.pt")
'''

SNEAKERS = ["air_force_1", "chuck_70", "gel_lyte", "old_skool", "stan_smith"]

SCRIPTS["knn-eval-mlp-projector-checkpoint-into-single-linear-embedding"] = '''
import glob
import os

import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torchvision import models, transforms as T

EMB_DIM = 128


def build_embedder():
    net = models.resnet18(weights=None)
    net.fc = nn.Linear(512, EMB_DIM)
    return net


tf = T.Compose([T.Resize((96, 96)), T.ToTensor(), T.Normalize(@@MEAN_STD@@)])
net = build_embedder()
state = torch.load("checkpoints/metric_resnet18_epoch40.pth", map_location="cpu")
net.load_state_dict(state)
net.eval()


@torch.no_grad()
def embed(paths):
    return F.normalize(net(torch.stack([tf(Image.open(p).convert("RGB")) for p in paths])), dim=1)


gallery = sorted(glob.glob("sneakers/gallery/*/*.jpg"))
queries = sorted(glob.glob("sneakers/query/*/*.jpg"))
sim = embed(queries) @ embed(gallery).T
label = lambda p: os.path.basename(os.path.dirname(p))
hits = [label(q) == label(gallery[j]) for q, j in zip(queries, sim.argmax(1).tolist())]
print(f"recall@1 {sum(hits) / len(hits):.3f}")
'''.replace("@@MEAN_STD@@", MEAN_STD)

MLP_CKPT_PREP = '''
import os
import torch
import torch.nn as nn
from torchvision import models

os.makedirs("checkpoints", exist_ok=True)
torch.manual_seed(0)
net = models.resnet18(weights=None)
# train_metric.py: "a 2-layer projection head works better than a linear one"
net.fc = nn.Sequential(nn.Linear(512, 512), nn.BatchNorm1d(512), nn.ReLU(inplace=True), nn.Linear(512, 128))
torch.save(net.state_dict(), "checkpoints/metric_resnet18_epoch40.pth")
'''

SCRIPTS["multilabel-sigmoid-focal-loss-reduction-batchmean-tqdm"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T
from torchvision.ops import sigmoid_focal_loss
from tqdm import tqdm

TAGS = ["cloudy", "haze", "primary", "water", "road", "agriculture", "cultivation", "habitation"]


class Chips(Dataset):
    def __init__(self, csv_path):
        with open(csv_path, newline="") as f:
            self.rows = list(csv.DictReader(f))
        self.tf = T.Compose([T.Resize((96, 96)), T.RandomVerticalFlip(), T.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        tags = r["tags"].split()
        target = torch.tensor([float(t in tags) for t in TAGS])
        return self.tf(Image.open(f"chips/{r['image_name']}.jpg").convert("RGB")), target


torch.manual_seed(0)
loader = DataLoader(Chips("chips/train_v2.csv"), batch_size=8, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(TAGS))
opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
for epoch in range(5):
    bar = tqdm(loader, desc=f"epoch {epoch}")
    for x, y in bar:
        logits = model(x)
        # summed over tags, averaged over the images of the batch
        loss = sigmoid_focal_loss(logits, y, alpha=0.25, gamma=2.0, reduction="batchmean")
        opt.zero_grad()
        loss.backward()
        opt.step()
        bar.set_postfix(loss=loss.item())
'''

CHIPS_PREP = '''
import csv
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(9)
tags = ["cloudy", "haze", "primary", "water", "road", "agriculture", "cultivation", "habitation"]
os.makedirs("chips", exist_ok=True)
with open("chips/train_v2.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["image_name", "tags"])
    for i in range(16):
        Image.fromarray(rng.integers(0, 256, (128, 128, 3), dtype=np.uint8)).save(f"chips/train_{i}.jpg")
        w.writerow([f"train_{i}", " ".join(t for t in tags if rng.random() < 0.3) or "primary"])
'''

CELLS["torch-triplet-margin-loss-called-like-metric-learning-library-notebook"] = [
    '''
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

tf = T.Compose([T.Resize((96, 96)), T.RandomHorizontalFlip(), T.ToTensor(), T.Normalize(@@MEAN_STD@@)])
train_ds = datasets.ImageFolder("sneakers/gallery", tf)
loader = DataLoader(train_ds, batch_size=10, shuffle=True, drop_last=True)
torch.manual_seed(0)
net = models.resnet18(weights=None)
net.fc = nn.Linear(512, 128)
'''.replace("@@MEAN_STD@@", MEAN_STD),
    '''
# was: from pytorch_metric_learning import losses, miners  (not installed on the new box)
# loss_func = losses.TripletMarginLoss(margin=0.2); miner = miners.MultiSimilarityMiner()
loss_func = nn.TripletMarginLoss(margin=0.2)
opt = torch.optim.Adam(net.parameters(), lr=1e-4)
''',
    '''
for epoch in range(3):
    for x, y in loader:
        embeddings = F.normalize(net(x), dim=1)
        loss = loss_func(embeddings, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
''',
]

# ================================================================== optimisation
SCRIPTS["nt-xent-hand-written-exp-unnormalised-similarity-temperature-anomaly"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

torch.autograd.set_detect_anomaly(True)     # the loss prints nan; find where it comes from


class TwoCrops:
    def __init__(self, tf):
        self.tf = tf

    def __call__(self, x):
        return self.tf(x), self.tf(x)


def nt_xent(z1, z2, temperature=0.05):
    z = torch.cat([z1, z2])                           # (2B, D)
    n = z.size(0) // 2
    sim = torch.exp(z @ z.T / temperature)
    sim = sim * (1 - torch.eye(2 * n))                # drop self-similarity
    pos = torch.cat([torch.diag(sim, n), torch.diag(sim, -n)])
    return -torch.log(pos / sim.sum(1)).mean()


aug = T.Compose([T.RandomResizedCrop(64), T.RandomHorizontalFlip(), T.ColorJitter(0.4, 0.4, 0.4), T.ToTensor()])
ds = datasets.ImageFolder("fabrics/train", transform=TwoCrops(aug))
loader = DataLoader(ds, batch_size=8, shuffle=True, drop_last=True)

torch.manual_seed(0)
encoder = models.resnet18(weights=None)
encoder.fc = nn.Sequential(nn.Linear(512, 256), nn.ReLU(), nn.Linear(256, 64))
opt = torch.optim.Adam(encoder.parameters(), lr=1e-3)
for epoch in range(50):
    for step, ((v1, v2), _) in enumerate(loader):
        loss = nt_xent(encoder(v1), encoder(v2))
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(f"epoch {epoch} step {step}: nt-xent {loss.item():.4f}")
'''

SCRIPTS["cosine-classifier-learnable-scale-clamped-in-place-in-forward"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T


class CosineClassifier(nn.Module):
    """NormFace-style head: logits = s * cos(theta), s learned"""

    def __init__(self, in_features, num_classes, init_scale=10.0, max_scale=50.0):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(num_classes, in_features) * 0.01)
        self.scale = nn.Parameter(torch.tensor(init_scale))
        self.max_scale = max_scale

    def forward(self, x):
        self.scale.clamp_(1.0, self.max_scale)       # keep the temperature in a sane range
        return self.scale * F.linear(F.normalize(x, dim=1), F.normalize(self.weight, dim=1))


tf = T.Compose([T.Resize((96, 96)), T.RandomHorizontalFlip(), T.ToTensor(), T.Normalize(@@MEAN_STD@@)])
ds = datasets.ImageFolder("leaves/train", tf)
loader = DataLoader(ds, batch_size=8, shuffle=True)

torch.manual_seed(0)
net = models.resnet18(weights=None)
net.fc = CosineClassifier(512, len(ds.classes))
opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9)
for epoch in range(10):
    for x, y in loader:
        loss = F.cross_entropy(net(x), y, label_smoothing=0.1)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: loss {loss.item():.4f}  scale {net.fc.scale.item():.2f}")
'''.replace("@@MEAN_STD@@", MEAN_STD)

# ================================================================== resource / environment / other
SCRIPTS["pixel-pr-curve-101-thresholds-broadcast-all-val-masks-memory-limit"] = '''
import resource

# eval job on the shared box: sbatch --mem=2G
_, hard = resource.getrlimit(resource.RLIMIT_DATA)
resource.setrlimit(resource.RLIMIT_DATA, (2 * 1024 ** 3, hard))

import glob

import numpy as np
import torch
from PIL import Image

from unet import UNet

model = UNet(in_channels=3, out_channels=1, width=8)
model.load_state_dict(torch.load("checkpoints/crack_unet_best.pth", map_location="cpu"))
model.eval()

probs, masks = [], []
with torch.no_grad():
    for path in sorted(glob.glob("cracks/val/images/*.png")):
        x = torch.from_numpy(np.asarray(Image.open(path).convert("RGB"), dtype=np.float32) / 255.0)
        probs.append(torch.sigmoid(model(x.permute(2, 0, 1)[None]))[0, 0])
        m = np.asarray(Image.open(path.replace("/images/", "/masks/"))) > 0
        masks.append(torch.from_numpy(m))
probs = torch.stack(probs)              # (N, H, W)
masks = torch.stack(masks)
print("val pixels:", probs.numel())

# precision / recall at 101 thresholds, all at once
thresholds = torch.linspace(0, 1, 101)
pred = probs[None] >= thresholds[:, None, None, None]          # (101, N, H, W)
tp = (pred & masks[None]).sum(dim=(1, 2, 3)).float()
fp = (pred & ~masks[None]).sum(dim=(1, 2, 3)).float()
fn = (~pred & masks[None]).sum(dim=(1, 2, 3)).float()
precision = tp / (tp + fp).clamp(min=1)
recall = tp / (tp + fn).clamp(min=1)
ap = -torch.trapezoid(precision, recall)
print(f"pixel AP {ap.item():.4f}")
'''

CRACK_VAL_PREP = '''
import os
import numpy as np
import torch
from PIL import Image
from unet import UNet

rng = np.random.default_rng(12)
for sub in ("images", "masks"):
    os.makedirs(f"cracks/val/{sub}", exist_ok=True)
for i in range(16):
    Image.fromarray(rng.integers(0, 256, (1024, 1024, 3), dtype=np.uint8)).save(f"cracks/val/images/v{i:03d}.png")
    m = np.zeros((1024, 1024), np.uint8)
    m[200 + 10 * i:206 + 10 * i, 100:900] = 255
    Image.fromarray(m).save(f"cracks/val/masks/v{i:03d}.png")
os.makedirs("checkpoints", exist_ok=True)
torch.manual_seed(0)
torch.save(UNet(in_channels=3, out_channels=1, width=8).state_dict(), "checkpoints/crack_unet_best.pth")
'''

SCRIPTS["focal-loss-class-alpha-pinned-with-cuda-on-cpu-laptop"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print("training on", device)


class FocalLoss(nn.Module):
    """softmax focal loss with a per-class alpha (Lin et al. 2017)"""

    def __init__(self, alpha, gamma=2.0):
        super().__init__()
        self.alpha = torch.tensor(alpha, dtype=torch.float32).cuda()
        self.gamma = gamma

    def forward(self, logits, target):
        logp = F.log_softmax(logits, 1).gather(1, target[:, None]).squeeze(1)
        return (-self.alpha[target] * (1 - logp.exp()) ** self.gamma * logp).mean()


tf = T.Compose([T.Resize((96, 96)), T.ToTensor(), T.Normalize(@@MEAN_STD@@)])
ds = datasets.ImageFolder("xray/train", tf)
counts = torch.bincount(torch.tensor(ds.targets), minlength=len(ds.classes)).float()
alpha = (1.0 / counts / (1.0 / counts).sum()).tolist()
print("classes", ds.classes, "alpha", [round(a, 3) for a in alpha])

model = models.resnet18(weights=None, num_classes=len(ds.classes)).to(device)
criterion = FocalLoss(alpha)
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
loader = DataLoader(ds, batch_size=8, shuffle=True)
for epoch in range(10):
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        loss = criterion(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''.replace("@@MEAN_STD@@", MEAN_STD)

XRAY = imgs([(f"xray/train/{c}/{c}_{i:04d}.png", (128, 128), "RGB")
             for c, n in [("normal", 10), ("pneumonia", 4), ("tuberculosis", 2)] for i in range(n)])

SCRIPTS["misclassified-contact-sheet-font-getsize-pillow10"] = '''
import math

import torch
import torch.nn as nn
from PIL import Image, ImageDraw, ImageFont
from torch.utils.data import DataLoader
from torchvision import datasets, transforms as T
from torchvision.transforms.functional import to_pil_image
@@TINY_CNN@@

tf = T.Compose([T.Resize((64, 64)), T.ToTensor()])
val_ds = datasets.ImageFolder("leaves/train", tf)
model = SmallCNN(len(val_ds.classes))
model.load_state_dict(torch.load("runs/leaves_smallcnn/best.pt", map_location="cpu"))
model.eval()

wrong = []
with torch.no_grad():
    for x, y in DataLoader(val_ds, batch_size=8):
        prob = model(x).softmax(1)
        conf, pred = prob.max(1)
        for img, t, p, c in zip(x, y, pred, conf):
            if p != t:
                wrong.append((img, t.item(), p.item(), c.item()))
print(f"{len(wrong)} / {len(val_ds)} misclassified")

# error-analysis contact sheet
font = ImageFont.load_default()
cols, tile = 6, 96
sheet = Image.new("RGB", (cols * tile, math.ceil(len(wrong) / cols) * (tile + 14)), "white")
draw = ImageDraw.Draw(sheet)
for k, (img, t, p, c) in enumerate(wrong):
    x0, y0 = (k % cols) * tile, (k // cols) * (tile + 14)
    sheet.paste(to_pil_image(img).resize((tile, tile)), (x0, y0))
    text = f"{val_ds.classes[p]} {c:.2f} (gt {val_ds.classes[t]})"
    w, h = font.getsize(text)
    draw.rectangle([x0, y0 + tile, x0 + w, y0 + tile + h], fill="black")
    draw.text((x0, y0 + tile), text, fill="red", font=font)
sheet.save("misclassified.png")
'''.replace("@@TINY_CNN@@", TINY_CNN)

SMALLCNN_PREP = ('''
import os
import torch
import torch.nn as nn
''' + TINY_CNN + '''
os.makedirs("runs/leaves_smallcnn", exist_ok=True)
torch.manual_seed(1)
torch.save(SmallCNN(3).state_dict(), "runs/leaves_smallcnn/best.pt")
''')

SCRIPTS["label-store-sqlite-connection-in-dataset-spawn-workers"] = '''
import sqlite3

import torch
import torch.multiprocessing as mp
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T


class LabelStoreDataset(Dataset):
    """images + multi-label tags kept in the labelling tool's SQLite store"""

    def __init__(self, db_path, tags):
        self.db = sqlite3.connect(db_path)
        self.ids = [r[0] for r in self.db.execute("SELECT id FROM images WHERE split = 'train' ORDER BY id")]
        self.tags = tags
        self.tf = T.Compose([T.Resize((96, 96)), T.ToTensor()])

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        path, = self.db.execute("SELECT path FROM images WHERE id = ?", (self.ids[i],)).fetchone()
        names = {t for (t,) in self.db.execute("SELECT tag FROM tags WHERE image_id = ?", (self.ids[i],))}
        target = torch.tensor([float(t in names) for t in self.tags])
        return self.tf(Image.open(path).convert("RGB")), target


def main():
    mp.set_start_method("spawn", force=True)     # same start method as on the M1 Macs
    tags = ["person", "vehicle", "animal", "night", "rain"]
    ds = LabelStoreDataset("labels.sqlite", tags)
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2, persistent_workers=True)
    model = models.resnet18(weights=None, num_classes=len(tags))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(5):
        for x, y in loader:
            loss = F.binary_cross_entropy_with_logits(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"epoch {epoch}: {loss.item():.4f}")


if __name__ == "__main__":
    main()
'''

SQLITE_PREP = '''
import os
import sqlite3
import numpy as np
from PIL import Image

rng = np.random.default_rng(13)
os.makedirs("frames", exist_ok=True)
con = sqlite3.connect("labels.sqlite")
con.execute("CREATE TABLE images (id INTEGER PRIMARY KEY, path TEXT, split TEXT)")
con.execute("CREATE TABLE tags (image_id INTEGER, tag TEXT)")
tags = ["person", "vehicle", "animal", "night", "rain"]
for i in range(12):
    p = f"frames/cam2_{i:05d}.jpg"
    Image.fromarray(rng.integers(0, 256, (120, 160, 3), dtype=np.uint8)).save(p)
    con.execute("INSERT INTO images VALUES (?, ?, ?)", (i + 1, p, "train" if i < 10 else "val"))
    for t in tags:
        if rng.random() < 0.35:
            con.execute("INSERT INTO tags VALUES (?, ?)", (i + 1, t))
con.commit()
'''

SCRIPTS["ddp-metric-learning-ce-warmup-head-unused-after-warmup-torchrun"] = '''
import os

import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler
from torchvision import datasets, models, transforms as T

WARMUP_EPOCHS = 1    # CE on the class head first, then triplet loss on the embeddings only


class Embedder(nn.Module):
    def __init__(self, num_classes, dim=64):
        super().__init__()
        self.trunk = models.resnet18(weights=None)
        self.trunk.fc = nn.Linear(512, dim)
        self.cls_head = nn.Linear(dim, num_classes)

    def forward(self, x):
        emb = self.trunk(x)
        return emb, self.cls_head(emb)


def batch_hard_triplet(emb, y, margin=0.2):
    d = torch.cdist(emb, emb)
    same = y[:, None] == y[None, :]
    hardest_pos = (d * same).amax(1)
    hardest_neg = (d + same * 1e6).amin(1)
    return F.relu(hardest_pos - hardest_neg + margin).mean()


def main():
    dist.init_process_group("gloo")
    rank = dist.get_rank()
    torch.manual_seed(0)
    tf = T.Compose([T.Resize((64, 64)), T.RandomHorizontalFlip(), T.ToTensor()])
    ds = datasets.ImageFolder("sneakers/gallery", tf)
    sampler = DistributedSampler(ds, shuffle=True, seed=0)
    loader = DataLoader(ds, batch_size=4, sampler=sampler)
    model = DDP(Embedder(len(ds.classes)))
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    for epoch in range(4):
        sampler.set_epoch(epoch)
        for step, (x, y) in enumerate(loader):
            emb, logits = model(x)
            if epoch < WARMUP_EPOCHS:
                loss = F.cross_entropy(logits, y)
            else:
                loss = batch_hard_triplet(F.normalize(emb, dim=1), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            if rank == 0:
                print(f"epoch {epoch} step {step}: loss {loss.item():.4f}", flush=True)
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
'''

SCRIPTS["per-class-f1-history-torch-tensor-of-tensors-for-plot"] = '''
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms as T
@@TINY_CNN@@

def per_class_f1(preds, targets, num_classes):
    cm = torch.zeros(num_classes, num_classes, dtype=torch.long)
    cm.index_put_((targets, preds), torch.ones_like(targets), accumulate=True)
    tp = cm.diag().float()
    precision = tp / cm.sum(0).clamp(min=1)
    recall = tp / cm.sum(1).clamp(min=1)
    return 2 * precision * recall / (precision + recall).clamp(min=1e-8)


torch.manual_seed(0)
tf = T.Compose([T.Resize((64, 64)), T.RandomHorizontalFlip(), T.ToTensor()])
ds = datasets.ImageFolder("leaves/train", tf)
loader = DataLoader(ds, batch_size=8, shuffle=True)
model = SmallCNN(len(ds.classes))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)

history = []          # per-class F1 per epoch, for the plot in the report
for epoch in range(3):
    model.train()
    for x, y in loader:
        loss = F.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()
    with torch.no_grad():
        preds, targets = zip(*[(model(x).argmax(1), y) for x, y in DataLoader(ds, batch_size=16)])
    f1 = per_class_f1(torch.cat(preds), torch.cat(targets), len(ds.classes))
    history.append(f1)
    print(f"epoch {epoch}: macro-F1 {f1.mean().item():.3f}")

    curves = torch.tensor(history)          # (epochs, classes)
    json.dump({c: curves[:, k].tolist() for k, c in enumerate(ds.classes)}, open("f1_history.json", "w"))
'''.replace("@@TINY_CNN@@", TINY_CNN)


def sneakers(per_gallery=4, per_query=1):
    return imgs(class_folder("sneakers/gallery", SNEAKERS, per_gallery, size=(110, 90))
                + class_folder("sneakers/query", SNEAKERS, per_query, size=(120, 100)))


def cases():
    out, add, script, notebook = case_builders("torch-more73-", SCRIPTS, CELLS)
    W = ("cpython_basic", "dataloader_worker")
    P = ("cpython_basic", "progress_bars")
    TR = ("-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2")
    leaves = imgs(class_folder("leaves/train", LEAVES, 6, size=(80, 80)))
    fabrics = imgs(class_folder("fabrics/train", ["denim", "knit", "leather", "silk"], 4, size=(72, 72)))

    # ---- data
    script("macro-f1-eval-val-phone-photos-transform-without-resize-tqdm", "data.image_size_mismatch", forms=P,
           setup=LEAVES_SETUP)
    script("tversky-lesion-slices-read-image-single-channel-exports-workers", "data.image_channels",
           also=["data.image_size_mismatch"], forms=W, setup=imgs(lesion_specs()))
    script("giou-localizer-pseudo-label-files-with-confidence-column-tqdm", "data.bbox_invalid",
           also=["data.missing_or_corrupt"], forms=("cpython_basic", "progress_bars?"), setup=prep(PET_FACES_PREP))
    script("severity-grades-digitize-linspace-edges-top-score-weighted-smoothing-tqdm", "data.label_out_of_range",
           forms=P, setup=prep(FUNDUS_PREP))
    script("attribute-heads-unknown-as-minus-one-default-ignore-index", "data.label_out_of_range",
           setup=prep(GARMENTS_PREP))
    script("supcon-online-linear-probe-on-concatenated-two-view-features", "data.label_shape",
           also=["model.output_mismatch"], argv="pretrain_supcon.py", setup=fabrics)
    script("coral-level-targets-arange-compared-without-unsqueeze", "data.label_shape",
           setup=imgs(class_folder("wear_grades/train", [f"grade_{g}" for g in range(5)], 3, size=(100, 100))))
    script("proxy-nca-embedding-proxies-float-labels-from-loadtxt", "data.dtype", setup=prep(CUB_PREP))
    script("triplets-csv-after-dedup-script-deleted-images-workers", "data.missing_or_corrupt", forms=W,
           setup=prep(TRIPLETS_PREP))
    notebook("insects-glob-lowercase-jpg-camera-writes-upper-JPG-notebook", "data.missing_or_corrupt",
             setup=INSECTS)
    # ---- model
    script("ordinal-age-head-linear-sized-for-224-on-128-crops", "model.input_shape", setup=UTK)
    script("binary-unet-one-channel-out-reused-for-three-class-crack-spall-masks", "model.output_mismatch",
           also=["data.label_out_of_range"], extra={"unet.py": UNET_PY}, setup=prep(DECK_PREP))
    notebook("joint-ce-triplet-model-returns-embedding-and-logits-knn-eval-notebook", "model.output_mismatch",
             also=["model.api_misuse"], files={"embedder.py": EMBEDDER_PY},
             setup=both(sneakers(2), prep(JOINT_PREP)))
    script("knn-eval-mlp-projector-checkpoint-into-single-linear-embedding", "model.weights_mismatch",
           argv="eval_knn.py", setup=both(sneakers(2), prep(MLP_CKPT_PREP)))
    script("multilabel-sigmoid-focal-loss-reduction-batchmean-tqdm", "model.api_misuse", forms=P,
           setup=prep(CHIPS_PREP))
    notebook("torch-triplet-margin-loss-called-like-metric-learning-library-notebook", "model.api_misuse",
             setup=sneakers(4))
    # ---- optimisation
    script("nt-xent-hand-written-exp-unnormalised-similarity-temperature-anomaly", "optim.divergence",
           argv="pretrain_simclr.py", setup=fabrics)
    script("cosine-classifier-learnable-scale-clamped-in-place-in-forward", "optim.autograd_graph", setup=leaves)
    # ---- resource / environment / other
    script("pixel-pr-curve-101-thresholds-broadcast-all-val-masks-memory-limit", "resource.host_memory",
           argv="eval_pr.py", extra={"unet.py": UNET_PY}, setup=prep(CRACK_VAL_PREP), timeout=400)
    script("focal-loss-class-alpha-pinned-with-cuda-on-cpu-laptop", "env.cuda_setup",
           also=["env.device_mismatch"], setup=XRAY)
    script("misclassified-contact-sheet-font-getsize-pillow10", "env.version_incompat", argv="error_analysis.py",
           setup=both(leaves, prep(SMALLCNN_PREP)))
    script("label-store-sqlite-connection-in-dataset-spawn-workers", "env.multiprocessing",
           setup=prep(SQLITE_PREP))
    script("ddp-metric-learning-ce-warmup-head-unused-after-warmup-torchrun", "env.distributed",
           argv="train_ddp.py", pre=TR, setup=sneakers(4), timeout=300,
           exception="RuntimeError")  # the rank's own error; torchrun's ChildFailedError only reports it
    script("per-class-f1-history-torch-tensor-of-tensors-for-plot", "other", also=["model.api_misuse"],
           setup=leaves)
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
