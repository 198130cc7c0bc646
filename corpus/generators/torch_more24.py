"""A twenty-fourth held-out set of PyTorch / torchvision / ImageAI 3 failures,
aimed at the causes with the fewest cases so far.

Model outputs that the loss or the library's own loop cannot use: a RetinaNet
classification head built for 3 anchors per location when the generator makes
9, a custom Faster R-CNN backbone whose feature dict keys are not the RoI
pooler's ``featmap_names``, a custom box predictor that returns only logits,
a three-level FPN under RetinaNet's five anchor sizes, an SSD-style head whose
box outputs were never permuted, a stacked hourglass that returns its list of
intermediate heatmaps, a classifier that returns a dict, raw logits given to
``Categorical(probs=...)`` for active learning, a fold ensemble where one fold
was trained with an extra class, and a two-logit head under ``BCEWithLogitsLoss``.

Boxes: a letterbox that shifts only the top-left corner, ``canvas_size`` taken
from ``PIL.Image.size`` (W, H) and clamped, DOTA eight-point polygons, a
CenterNet heatmap built from boxes that were not rescaled with the image, a
Gaussian radius from COCO xywh read as corners, a hand-written horizontal flip that never swapped x1 / x2
(caught by ``draw_bounding_boxes``), YOLO centre/size rows drawn as corners, crops
sliced from tensors with yx order and CSV rows with a missing coordinate.

Versions: numpy 2 removals (``np.NaN``, ``np.in1d``, ``ndarray.ptp``,
``np.array(copy=False)``, binary ``np.fromstring``), Pillow 10 ``getsize``,
``torch.cholesky``, ``RandomAffine(resample=, fillcolor=)``, uint8 masks and
``1 - bool_mask`` from pre-1.2 detection code, the torchvision 0.15 beta
``SanitizeBoundingBox`` name, ImageAI 3 validation calling ``np.trapz`` and
ImageAI 2's ``predictImage``.

Plain bugs in the user's own code (``other``): attribute typos, ``enumerate``
over a loader, iterating an int, accuracy without ``.sum()``, the wrong
counter, a global ``best_acc``, a missing ``super().__init__()``, a collate
function called instead of passed, ``transforms`` shadowed in a notebook, an
index map built with ``start=1``, ``result_count + 1`` and a renamed attribute.

Every case is a small real program run on CPU with the torch venv (no GPU, no
downloads: "pretrained" weights are files an earlier run left on disk); the
label is known by construction (what the program breaks).

    /work/venvs/torch/bin/python corpus/generators/torch_more24.py [-k filter] [--out DIR] [-j N]
"""

import json
import sys
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _record import both, case_builders, class_folder, imgs, make_images, prep, run_cases, write, yolo_layout  # noqa: E402

SRC = "corpus/generators/torch_more24.py"

# the ImageAI / YOLO layout with four training and two validation images by default
yolo_dataset = partial(yolo_layout, splits=(("train", 4), ("validation", 2)))


# ====================================================================== setups
def det_json(root, n, size, boxes, labels=None, ext="jpg", name="labels.json"):
    """root/images/img_XXX.<ext> + root/<name>: [{"file", "boxes", "labels"}] (boxes(i) -> list of boxes)."""
    def setup(work: Path):
        make_images(work, [(f"{root}/images/img_{i:03d}.{ext}", size if isinstance(size, tuple) else size(i), "RGB")
                           for i in range(n)])
        items = []
        for i in range(n):
            b = boxes(i)
            lab = labels(i) if labels else [1 + j % 2 for j in range(len(b))]
            items.append({"file": f"images/img_{i:03d}.{ext}", "boxes": b, "labels": lab})
        (work / root / name).write_text(json.dumps(items, indent=1))
    return setup


def one_class_rows(split, i):
    """four boxes of one class, well spread in size (normalised YOLO rows)"""
    k = 0.03 * i + (0.015 if split == "validation" else 0.0)
    rows = [(0.5, 0.5, 0.5 + k, 0.6 - k), (0.25 + k, 0.3, 0.2, 0.3 + k), (0.7, 0.7 - k, 0.3 + k, 0.25),
            (0.3, 0.75, 0.1 + k, 0.12)]
    return "".join(f"0 {a:.4f} {b:.4f} {c:.4f} {d:.4f}\n" for a, b, c, d in rows)


SAVE_CLS = '''
import json, os
import torch, torchvision
os.makedirs("pets/models", exist_ok=True)
torch.save(torchvision.models.mobilenet_v2(num_classes=3).state_dict(),
           "pets/models/mobilenet_v2-pets-test_acc_0.88750_epoch-12.pt")
json.dump({"0": "cat", "1": "dog", "2": "rabbit"}, open("pets/models/pets_model_classes.json", "w"))
'''
cls_weights = prep(SAVE_CLS)
pet_samples = imgs([("samples/pet_01.jpg", (96, 80), "RGB"), ("samples/pet_02.jpg", (96, 80), "RGB")])

flowers = imgs(class_folder("flowers/train", ("daisy", "rose", "tulip"), 4, size=(72, 64))
               + class_folder("flowers/val", ("daisy", "rose", "tulip"), 2, size=(72, 64)))
catsdogs = imgs(class_folder("catsdogs/train", ("cat", "dog"), 4, size=(80, 72))
                + class_folder("catsdogs/val", ("cat", "dog"), 2, size=(80, 72)))
leaves = imgs(class_folder("leaves/train", ("healthy", "rust", "scab"), 4, size=(64, 64))
              + class_folder("leaves/val", ("healthy", "rust", "scab"), 2, size=(64, 64)))


def spread_boxes(i, w=160, h=120):
    """two or three valid xyxy boxes inside a w x h image"""
    b = [[10 + 3 * i, 12, 60 + 3 * i, 70], [80, 30 + 2 * i, 140, 100]]
    if i % 2:
        b.append([30, 75, 70, 110])
    return [[min(x1, w - 2), min(y1, h - 2), min(x2, w - 1), min(y2, h - 1)] for x1, y1, x2, y2 in b]


# ====================================================================== scripts
SCRIPTS = {}
CELLS = {}

# ------------------------------------------------------------------ 1. model outputs
SCRIPTS["retinanet-cls-head-3-anchors-generator-makes-9"] = r'''
import json

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import retinanet_resnet50_fpn
from torchvision.models.detection.retinanet import RetinaNetClassificationHead
from torchvision.transforms import functional as TF

CLASSES = ["background", "crack", "spalling"]


class BridgeDefects(Dataset):
    def __init__(self, root):
        self.root = root
        self.items = json.load(open(f"{root}/labels.json"))

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        it = self.items[i]
        image = TF.to_tensor(Image.open(f"{self.root}/{it['file']}").convert("RGB"))
        target = {"boxes": torch.tensor(it["boxes"], dtype=torch.float32),
                  "labels": torch.tensor(it["labels"], dtype=torch.int64)}
        return image, target


model = retinanet_resnet50_fpn(weights=None, weights_backbone=None, min_size=256, max_size=320)
# swap the COCO classification head for ours (3 anchors per location, as in our YOLO config)
num_anchors = 3
model.head.classification_head = RetinaNetClassificationHead(in_channels=256, num_anchors=num_anchors,
                                                             num_classes=len(CLASSES))

loader = DataLoader(BridgeDefects("data/bridge"), batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
params = [p for p in model.parameters() if p.requires_grad]
optimizer = torch.optim.SGD(params, lr=0.005, momentum=0.9, weight_decay=1e-4)

model.train()
for epoch in range(2):
    for step, (images, targets) in enumerate(loader):
        loss_dict = model(list(images), list(targets))
        loss = sum(loss_dict.values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        print(f"epoch {epoch} step {step} " + " ".join(f"{k}={v.item():.3f}" for k, v in loss_dict.items()))
'''
bridge = det_json("data/bridge", 4, (160, 120), spread_boxes)

SCRIPTS["frcnn-custom-backbone-dict-keys-not-roi-featmap-names"] = r'''
from collections import OrderedDict

import torch
import torch.nn as nn
import torchvision
from torchvision.models.detection import FasterRCNN
from torchvision.models.detection.anchor_utils import AnchorGenerator
from torchvision.ops import MultiScaleRoIAlign


class TwoScaleBackbone(nn.Module):
    """MobileNetV3 trunk, features at stride 8 and 16"""

    def __init__(self):
        super().__init__()
        feats = torchvision.models.mobilenet_v3_small(weights=None).features
        self.stage1 = feats[:4]     # 24 channels, stride 8
        self.stage2 = feats[4:9]    # 48 channels, stride 16
        self.lat1 = nn.Conv2d(24, 96, 1)
        self.lat2 = nn.Conv2d(48, 96, 1)
        self.out_channels = 96

    def forward(self, x):
        c3 = self.stage1(x)
        c4 = self.stage2(c3)
        return OrderedDict([("p3", self.lat1(c3)), ("p4", self.lat2(c4))])


anchors = AnchorGenerator(sizes=((32,), (64,)), aspect_ratios=((0.5, 1.0, 2.0),) * 2)
roi_pool = MultiScaleRoIAlign(featmap_names=["0", "1"], output_size=7, sampling_ratio=2)
model = FasterRCNN(TwoScaleBackbone(), num_classes=4, rpn_anchor_generator=anchors, box_roi_pool=roi_pool,
                   min_size=224, max_size=320)

optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
model.train()
for step in range(3):
    images = [torch.rand(3, 180, 240) for _ in range(2)]
    targets = [{"boxes": torch.tensor([[20.0, 30.0, 120.0, 150.0], [140.0, 40.0, 220.0, 120.0]]),
                "labels": torch.tensor([1, 3])} for _ in range(2)]
    losses = model(images, targets)
    loss = sum(losses.values())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    print(step, loss.item())
'''

SCRIPTS["frcnn-custom-box-predictor-returns-only-logits"] = r'''
import json

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as TF

CLASSES = ["__background__", "pothole", "manhole"]


class CosineClassifier(nn.Module):
    """few-shot style box classifier: cosine similarity to learned class prototypes"""

    def __init__(self, in_features, num_classes, scale=20.0):
        super().__init__()
        self.prototypes = nn.Parameter(torch.randn(num_classes, in_features) * 0.01)
        self.scale = scale

    def forward(self, x):
        x = x.flatten(1)
        x = nn.functional.normalize(x, dim=1)
        w = nn.functional.normalize(self.prototypes, dim=1)
        return self.scale * x @ w.t()


class Roads(Dataset):
    def __init__(self, root):
        self.root, self.items = root, json.load(open(f"{root}/labels.json"))

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        it = self.items[i]
        img = TF.to_tensor(Image.open(f"{self.root}/{it['file']}").convert("RGB"))
        return img, {"boxes": torch.tensor(it["boxes"], dtype=torch.float32), "labels": torch.tensor(it["labels"])}


model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None)
in_features = model.roi_heads.box_predictor.cls_score.in_features
model.roi_heads.box_predictor = CosineClassifier(in_features, len(CLASSES))

loader = DataLoader(Roads("data/roads"), batch_size=2, collate_fn=lambda b: tuple(zip(*b)))
optimizer = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=0.01, momentum=0.9)
model.train()
for epoch in range(2):
    for images, targets in loader:
        loss_dict = model(list(images), list(targets))
        loss = sum(loss_dict.values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print("epoch", epoch, loss.item())
'''
roads = det_json("data/roads", 4, (160, 120), spread_boxes)

CELLS["retinanet-resnet18-fpn-three-levels-five-anchor-sizes-notebook"] = [
    r'''import torch
import torch.nn as nn
import torchvision
from collections import OrderedDict
from torchvision.models.detection import RetinaNet
from torchvision.models.detection.anchor_utils import AnchorGenerator
from torchvision.ops import FeaturePyramidNetwork''',
    r'''class ResNet18FPN(nn.Module):
    """lighter backbone for our Jetson: ResNet-18 C3-C5 + FPN"""
    def __init__(self):
        super().__init__()
        r = torchvision.models.resnet18(weights=None)
        self.stem = nn.Sequential(r.conv1, r.bn1, r.relu, r.maxpool, r.layer1)
        self.layer2, self.layer3, self.layer4 = r.layer2, r.layer3, r.layer4
        self.fpn = FeaturePyramidNetwork([128, 256, 512], 128)
        self.out_channels = 128

    def forward(self, x):
        c2 = self.stem(x)
        c3 = self.layer2(c2)
        c4 = self.layer3(c3)
        c5 = self.layer4(c4)
        return self.fpn(OrderedDict([("c3", c3), ("c4", c4), ("c5", c5)]))''',
    r'''# anchor settings copied from the RetinaNet paper / torchvision defaults
anchor_sizes = tuple((x, int(x * 2 ** (1.0 / 3)), int(x * 2 ** (2.0 / 3))) for x in [32, 64, 128, 256, 512])
aspect_ratios = ((0.5, 1.0, 2.0),) * len(anchor_sizes)
anchor_gen = AnchorGenerator(anchor_sizes, aspect_ratios)
model = RetinaNet(ResNet18FPN(), num_classes=3, anchor_generator=anchor_gen, min_size=256, max_size=320)
print(sum(p.numel() for p in model.parameters()) / 1e6, "M params")''',
    r'''optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
model.train()
for step in range(5):
    images = [torch.rand(3, 240, 320), torch.rand(3, 240, 320)]
    targets = [{"boxes": torch.tensor([[30.0, 40.0, 130.0, 160.0]]), "labels": torch.tensor([1])},
               {"boxes": torch.tensor([[100.0, 60.0, 260.0, 200.0]]), "labels": torch.tensor([2])}]
    losses = model(images, targets)
    loss = sum(losses.values())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    print(step, {k: round(v.item(), 3) for k, v in losses.items()})''',
]

SCRIPTS["ssd-style-head-box-outputs-not-permuted"] = r'''
import torch
import torch.nn as nn
import torch.nn.functional as F

NUM_CLASSES = 4          # incl. background
ANCHORS_PER_CELL = 6


class TinySSD(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(3, 32, 3, 2, 1), nn.ReLU(),
            nn.Conv2d(32, 64, 3, 2, 1), nn.ReLU(),
            nn.Conv2d(64, 128, 3, 2, 1), nn.ReLU(),
            nn.Conv2d(128, 128, 3, 2, 1), nn.ReLU(),
        )
        self.loc = nn.Conv2d(128, ANCHORS_PER_CELL * 4, 3, padding=1)
        self.conf = nn.Conv2d(128, ANCHORS_PER_CELL * NUM_CLASSES, 3, padding=1)

    def forward(self, x):
        f = self.body(x)
        n = x.shape[0]
        loc = self.loc(f).view(n, 4, -1)                                       # [N, 4, num_anchors]
        conf = self.conf(f).permute(0, 2, 3, 1).reshape(n, -1, NUM_CLASSES)   # [N, num_anchors, C]
        return loc, conf


def multibox_loss(loc_p, conf_p, loc_t, conf_t):
    pos = conf_t > 0
    loss_l = F.smooth_l1_loss(loc_p, loc_t, reduction="none").sum(-1)
    loss_c = F.cross_entropy(conf_p.reshape(-1, NUM_CLASSES), conf_t.reshape(-1), reduction="none")
    return (loss_l[pos].sum() + loss_c.sum()) / pos.sum().clamp(min=1)


model = TinySSD()
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
num_anchors = 20 * 20 * ANCHORS_PER_CELL    # 320 / 16
for step in range(10):
    images = torch.rand(4, 3, 320, 320)
    loc_t = torch.randn(4, num_anchors, 4) * 0.1          # encoded offsets from the matcher
    conf_t = torch.randint(0, NUM_CLASSES, (4, num_anchors))
    loc_p, conf_p = model(images)
    loss = multibox_loss(loc_p, conf_p, loc_t, conf_t)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    print(f"step {step} loss {loss.item():.4f}")
'''

SCRIPTS["stacked-hourglass-returns-list-into-mse"] = r'''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset

NUM_JOINTS = 16


def conv_bn(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class Hourglass(nn.Module):
    def __init__(self, ch):
        super().__init__()
        self.down = nn.Sequential(nn.MaxPool2d(2), conv_bn(ch, ch))
        self.up = nn.Upsample(scale_factor=2, mode="nearest")
        self.skip = conv_bn(ch, ch)

    def forward(self, x):
        return self.skip(x) + self.up(self.down(x))


class StackedHourglass(nn.Module):
    """intermediate supervision: one heatmap prediction per stack"""

    def __init__(self, stacks=2, ch=64):
        super().__init__()
        self.pre = nn.Sequential(conv_bn(3, ch), nn.MaxPool2d(2), conv_bn(ch, ch), nn.MaxPool2d(2))
        self.hgs = nn.ModuleList([Hourglass(ch) for _ in range(stacks)])
        self.heads = nn.ModuleList([nn.Conv2d(ch, NUM_JOINTS, 1) for _ in range(stacks)])
        self.merge = nn.ModuleList([nn.Conv2d(NUM_JOINTS, ch, 1) for _ in range(stacks - 1)])

    def forward(self, x):
        x = self.pre(x)
        outputs = []
        for i, (hg, head) in enumerate(zip(self.hgs, self.heads)):
            y = hg(x)
            heat = head(y)
            outputs.append(heat)
            if i < len(self.merge):
                x = x + y + self.merge[i](heat)
        return outputs


class Poses(Dataset):
    def __len__(self):
        return 8

    def __getitem__(self, i):
        img = torch.rand(3, 128, 128)
        heat = torch.zeros(NUM_JOINTS, 32, 32)
        for j in range(NUM_JOINTS):
            heat[j, (3 * j + i) % 32, (5 * j + 2 * i) % 32] = 1.0
        return img, heat


model = StackedHourglass()
criterion = nn.MSELoss()
optimizer = torch.optim.RMSprop(model.parameters(), lr=2.5e-4)
for epoch in range(2):
    for imgs, heatmaps in DataLoader(Poses(), batch_size=4, shuffle=True):
        preds = model(imgs)
        loss = criterion(preds, heatmaps)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

CELLS["classifier-returns-dict-val-argmax-notebook"] = [
    r'''import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms''',
    r'''class LeafNet(nn.Module):
    """returns the embedding too, we use it for the t-SNE plot later"""
    def __init__(self, num_classes):
        super().__init__()
        backbone = models.resnet18(weights=None)
        backbone.fc = nn.Identity()
        self.backbone = backbone
        self.head = nn.Linear(512, num_classes)

    def forward(self, x):
        emb = self.backbone(x)
        return {"logits": self.head(emb), "embedding": emb}''',
    r'''tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("leaves/train", transform=tf)
val_ds = datasets.ImageFolder("leaves/val", transform=tf)
train_loader = DataLoader(train_ds, batch_size=4, shuffle=True)
val_loader = DataLoader(val_ds, batch_size=4)
model = LeafNet(len(train_ds.classes))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()''',
    r'''for epoch in range(2):
    model.train()
    for x, y in train_loader:
        out = model(x)
        loss = criterion(out["logits"], y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    correct = 0
    with torch.no_grad():
        for x, y in val_loader:
            preds = model(x).argmax(dim=1)
            correct += (preds == y).sum().item()
    print(f"epoch {epoch}: loss {loss.item():.3f} val acc {correct / len(val_ds):.3f}")''',
]

SCRIPTS["active-learning-categorical-probs-given-logits"] = r'''
import glob

import torch
import torchvision
from PIL import Image
from torchvision import transforms

# pick the most uncertain unlabeled images for the next labelling round
model = torchvision.models.mobilenet_v3_small(num_classes=3)
model.load_state_dict(torch.load("checkpoints/round1.pt"))
model.eval()

tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])
pool = sorted(glob.glob("unlabeled/*.jpg"))
scores = []
with torch.no_grad():
    for i in range(0, len(pool), 4):
        batch = torch.stack([tf(Image.open(p).convert("RGB")) for p in pool[i:i + 4]])
        out = model(batch)
        dist = torch.distributions.Categorical(probs=out)
        scores.extend(dist.entropy().tolist())

ranked = sorted(zip(scores, pool), reverse=True)
with open("to_label.txt", "w") as f:
    for s, p in ranked[:3]:
        f.write(f"{p}\t{s:.4f}\n")
print("wrote", len(ranked[:3]), "files")
'''
al_setup = both(prep('''
import os, torch, torchvision
os.makedirs("checkpoints", exist_ok=True)
torch.manual_seed(0)
torch.save(torchvision.models.mobilenet_v3_small(num_classes=3).state_dict(), "checkpoints/round1.pt")
'''), imgs([(f"unlabeled/frame_{i:04d}.jpg", (120, 96), "RGB") for i in range(6)]))

SCRIPTS["fold-ensemble-one-fold-trained-with-extra-class"] = r'''
import glob

import torch
import torchvision
from PIL import Image
from torchvision import transforms

CLASSES = ["akiec", "bcc", "bkl", "df", "mel"]

models = []
for path in sorted(glob.glob("folds/fold*_best.pth")):
    state = torch.load(path, map_location="cpu")
    num_classes = state["fc.weight"].shape[0]
    m = torchvision.models.resnet18(num_classes=num_classes)
    m.load_state_dict(state)
    m.eval()
    models.append(m)
print(f"loaded {len(models)} folds")

tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
images = sorted(glob.glob("test/*.jpg"))
x = torch.stack([tf(Image.open(p).convert("RGB")) for p in images])
with torch.no_grad():
    probs = torch.stack([m(x).softmax(dim=1) for m in models]).mean(dim=0)
for p, row in zip(images, probs):
    print(p, CLASSES[row.argmax()], f"{row.max():.3f}")
'''
folds_setup = both(prep('''
import os, torch, torchvision
os.makedirs("folds", exist_ok=True)
for k in range(3):
    # fold 2 was trained from the folder that still had the "vasc" class
    n = 6 if k == 2 else 5
    torch.save(torchvision.models.resnet18(num_classes=n).state_dict(), f"folds/fold{k}_best.pth")
'''), imgs([(f"test/ISIC_{i:07d}.jpg", (128, 112), "RGB") for i in range(3)]))

SCRIPTS["two-logit-head-bcewithlogits-binary-labels"] = r'''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
train_ds = datasets.ImageFolder("catsdogs/train", transform=tf)
loader = DataLoader(train_ds, batch_size=4, shuffle=True)

model = models.resnet18(weights=None)
model.fc = nn.Linear(model.fc.in_features, len(train_ds.classes))   # cat, dog
criterion = nn.BCEWithLogitsLoss()                                   # binary problem -> binary loss
optimizer = torch.optim.Adam(model.parameters(), lr=3e-4)

for epoch in range(3):
    model.train()
    total = 0.0
    for images, labels in loader:
        logits = model(images)
        loss = criterion(logits, labels.float())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item()
    print(f"epoch {epoch + 1}: {total / len(loader):.4f}")
'''

# ------------------------------------------------------------------ 2. boxes
SCRIPTS["letterbox-pad-shifts-only-top-left-corner"] = r'''
import json

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as TF

SIZE = 320


def letterbox(img, boxes, size=SIZE):
    """resize the long side to `size`, pad to a square, move the boxes along"""
    w, h = img.size
    s = size / max(w, h)
    nw, nh = int(round(w * s)), int(round(h * s))
    pad_x, pad_y = (size - nw) // 2, (size - nh) // 2
    canvas = Image.new("RGB", (size, size), (114, 114, 114))
    canvas.paste(img.resize((nw, nh)), (pad_x, pad_y))
    boxes = boxes * s
    boxes[:, 0] += pad_x
    boxes[:, 1] += pad_y
    return canvas, boxes


class Shelves(Dataset):
    """phone photos of supermarket shelves (portrait), boxes around price tags"""

    def __init__(self, root):
        self.root, self.items = root, json.load(open(f"{root}/labels.json"))

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        it = self.items[i]
        img = Image.open(f"{self.root}/{it['file']}").convert("RGB")
        img, boxes = letterbox(img, torch.tensor(it["boxes"], dtype=torch.float32))
        return TF.to_tensor(img), {"boxes": boxes, "labels": torch.tensor(it["labels"])}


model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=3)
loader = DataLoader(Shelves("data/shelves"), batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
model.train()
for epoch in range(3):
    for images, targets in loader:
        losses = model(list(images), list(targets))
        loss = sum(losses.values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.3f}")
'''
shelves = det_json("data/shelves", 4, (90, 160),
                   lambda i: [[8 + i, 20, 40 + i, 38], [50, 90 + i, 82, 104 + i]])

SCRIPTS["v2-canvas-size-from-pil-size-clamped-boxes"] = r'''
import json

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import tv_tensors
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import v2


class Drone(Dataset):
    def __init__(self, root, transforms):
        self.root, self.items, self.transforms = root, json.load(open(f"{root}/labels.json")), transforms

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        it = self.items[i]
        img = Image.open(f"{self.root}/{it['file']}").convert("RGB")
        boxes = tv_tensors.BoundingBoxes(it["boxes"], format="XYXY", canvas_size=img.size)
        target = {"boxes": boxes, "labels": torch.tensor(it["labels"])}
        img, target = self.transforms(tv_tensors.Image(img), target)
        return img, target


train_tf = v2.Compose([
    v2.RandomPhotometricDistort(p=0.5),
    v2.RandomHorizontalFlip(p=0.5),
    v2.ClampBoundingBoxes(),
    v2.ToDtype(torch.float32, scale=True),
])
ds = Drone("data/drone", train_tf)
loader = DataLoader(ds, batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=3)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)
model.train()
for epoch in range(2):
    for images, targets in loader:
        loss = sum(model(list(images), list(targets)).values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''
drone = det_json("data/drone", 4, (320, 180),
                 lambda i: [[20 + i, 30, 90 + i, 100], [200 + 5 * i, 60, 290, 150], [120, 20, 170, 70]])

SCRIPTS["frcnn-dota-eight-point-polygons-as-boxes"] = r'''
import glob
import os

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as TF

CLASSES = ["__background__", "plane", "ship", "storage-tank", "small-vehicle"]


class DOTA(Dataset):
    """DOTA v1.5 labelTxt: x1 y1 x2 y2 x3 y3 x4 y4 category difficult"""

    def __init__(self, root):
        self.root = root
        self.ids = sorted(os.path.basename(p)[:-4] for p in glob.glob(f"{root}/images/*.png"))

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        boxes, labels = [], []
        with open(f"{self.root}/labelTxt/{self.ids[i]}.txt") as f:
            for line in f:
                parts = line.split()
                if len(parts) < 10:          # 'imagesource:' / 'gsd:' header lines
                    continue
                boxes.append([float(v) for v in parts[:8]])
                labels.append(CLASSES.index(parts[8]))
        img = TF.to_tensor(Image.open(f"{self.root}/images/{self.ids[i]}.png").convert("RGB"))
        return img, {"boxes": torch.tensor(boxes), "labels": torch.tensor(labels)}


model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES))
loader = DataLoader(DOTA("DOTA/train"), batch_size=2, collate_fn=lambda b: tuple(zip(*b)))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
model.train()
for images, targets in loader:
    loss = sum(model(list(images), list(targets)).values())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    print(loss.item())
'''


def dota_setup(work: Path):
    make_images(work, [(f"DOTA/train/images/P{i:04d}.png", (200, 160), "RGB") for i in range(3)])
    d = work / "DOTA/train/labelTxt"
    d.mkdir(parents=True, exist_ok=True)
    for i in range(3):
        rows = ["imagesource:GoogleEarth", "gsd:0.146343590398",
                f"{20 + i}.0 30.0 80.0 {32 + i}.0 78.0 90.0 18.0 88.0 plane 0",
                "120.0 60.0 170.0 64.0 166.0 110.0 118.0 106.0 ship 1"]
        (d / f"P{i:04d}.txt").write_text("\n".join(rows) + "\n")


SCRIPTS["centernet-heatmap-boxes-not-rescaled-workers"] = r'''
import json

import numpy as np
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset

INPUT = 256
STRIDE = 4
NUM_CLASSES = 2


class CenterNetDataset(Dataset):
    def __init__(self, root):
        self.root, self.items = root, json.load(open(f"{root}/labels.json"))

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        it = self.items[i]
        img = Image.open(f"{self.root}/{it['file']}").convert("RGB").resize((INPUT, INPUT))
        out = INPUT // STRIDE
        heatmap = np.zeros((NUM_CLASSES, out, out), dtype=np.float32)
        wh = np.zeros((out, out, 2), dtype=np.float32)
        for (x1, y1, x2, y2), c in zip(it["boxes"], it["labels"]):
            cx, cy = (x1 + x2) / 2 / STRIDE, (y1 + y2) / 2 / STRIDE
            heatmap[c - 1, int(cy), int(cx)] = 1.0
            wh[int(cy), int(cx)] = (x2 - x1, y2 - y1)
        image = torch.from_numpy(np.asarray(img, dtype=np.float32) / 255.0).permute(2, 0, 1)
        return image, torch.from_numpy(heatmap), torch.from_numpy(wh)


def main():
    loader = DataLoader(CenterNetDataset("data/cows"), batch_size=2, shuffle=True, num_workers=2)
    for epoch in range(2):
        for images, heatmaps, wh in loader:
            print(epoch, images.shape, heatmaps.sum().item())


if __name__ == "__main__":
    main()
'''
cows = det_json("data/cows", 4, (640, 480),
                lambda i: [[40 + 10 * i, 60, 200, 220], [300, 250 + 5 * i, 600, 460]])

CELLS["centernet-gaussian-radius-coco-xywh-as-corners-notebook"] = [
    r'''import json, math
import numpy as np''',
    r'''def gaussian_radius(det_size, min_overlap=0.7):
    # from CenterNet (Zhou et al.), utils/image.py
    height, width = det_size
    a1 = 1
    b1 = height + width
    c1 = width * height * (1 - min_overlap) / (1 + min_overlap)
    r1 = (b1 + math.sqrt(b1 ** 2 - 4 * a1 * c1)) / 2
    a2 = 4
    b2 = 2 * (height + width)
    c2 = (1 - min_overlap) * width * height
    r2 = (b2 + math.sqrt(b2 ** 2 - 4 * a2 * c2)) / 2
    a3 = 4 * min_overlap
    b3 = -2 * min_overlap * (height + width)
    c3 = (min_overlap - 1) * width * height
    r3 = (b3 + math.sqrt(b3 ** 2 - 4 * a3 * c3)) / 2
    return min(r1, r2, r3)''',
    r'''coco = json.load(open("annotations/instances_train.json"))
print(len(coco["images"]), "images", len(coco["annotations"]), "boxes")''',
    r'''# build the targets once and cache them
radii = []
for ann in coco["annotations"]:
    x1, y1, x2, y2 = ann["bbox"]
    w, h = (x2 - x1) / 4, (y2 - y1) / 4      # output stride 4
    radii.append(max(0, int(gaussian_radius((math.ceil(h), math.ceil(w))))))
np.save("radii.npy", np.array(radii))
print("mean radius", np.mean(radii))''',
]


def coco_xywh_setup(work: Path):
    make_images(work, [(f"train/{i:012d}.jpg", (320, 240), "RGB") for i in range(1, 4)])
    anns = []
    for i in range(1, 4):
        for j, (x, y, w, h) in enumerate([(12, 20, 90, 70), (150, 40, 60, 120), (210, 150, 80, 60)]):
            anns.append({"id": len(anns) + 1, "image_id": i, "category_id": 1 + j % 2,
                         "bbox": [x + i, y, w, h], "area": w * h, "iscrowd": 0})
    p = work / "annotations/instances_train.json"
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(json.dumps({"images": [{"id": i, "file_name": f"{i:012d}.jpg", "width": 320, "height": 240}
                                        for i in range(1, 4)], "annotations": anns,
                             "categories": [{"id": 1, "name": "car"}, {"id": 2, "name": "truck"}]}))


CELLS["draw-augmented-sample-hflip-boxes-not-swapped-notebook"] = [
    r'''import json
import torch
from torchvision.io import read_image
from torchvision.utils import draw_bounding_boxes, save_image''',
    r'''def hflip(img, boxes):
    """flip image and boxes left-right"""
    W = img.shape[-1]
    boxes = boxes.clone()
    boxes[:, 0] = W - boxes[:, 0]
    boxes[:, 2] = W - boxes[:, 2]
    return img.flip(-1), boxes''',
    r'''ann = json.load(open("data/forklifts/labels.json"))
print(len(ann), "images")''',
    r'''# look at a few augmented samples before training
for it in ann[:2]:
    img = read_image(f"data/forklifts/{it['file']}")
    boxes = torch.tensor(it["boxes"], dtype=torch.float32)
    img, boxes = hflip(img, boxes)
    drawn = draw_bounding_boxes(img, boxes, labels=[str(l) for l in it["labels"]], colors="yellow", width=2)
    save_image(drawn.float() / 255, f"vis_{it['file'].split('/')[-1]}")
print("saved")''',
]
forklifts = det_json("data/forklifts", 2, (160, 120), spread_boxes)


SCRIPTS["pil-draw-yolo-centre-size-as-corners"] = r'''
import glob
import os

from PIL import Image, ImageDraw

# quick check of the Roboflow YOLO export before training
CLASSES = open("dataset/classes.txt").read().split()
os.makedirs("check", exist_ok=True)
for img_path in sorted(glob.glob("dataset/train/images/*.jpg")):
    lbl_path = img_path.replace("/images/", "/labels/").rsplit(".", 1)[0] + ".txt"
    img = Image.open(img_path).convert("RGB")
    W, H = img.size
    draw = ImageDraw.Draw(img)
    for line in open(lbl_path):
        c, cx, cy, w, h = line.split()
        box = [float(cx) * W, float(cy) * H, float(w) * W, float(h) * H]
        draw.rectangle(box, outline="lime", width=2)
        draw.text((box[0] + 2, box[1] + 2), CLASSES[int(c)], fill="lime")
    img.save(os.path.join("check", os.path.basename(img_path)))
    print("checked", img_path)
'''
yolo_check = both(
    yolo_dataset("dataset", lambda s, i: (f"0 {0.30 + 0.01 * i:.4f} 0.4000 0.2000 0.3000\n"
                                          f"1 0.7000 0.6500 0.2500 0.3500\n"),
                 splits=(("train", 3),), ann="labels"),
    write("dataset/classes.txt", "helmet\nvest\n"))

SCRIPTS["crop-classifier-tensor-slice-yxyx-boxes"] = r'''
import json

import torch
import torch.nn.functional as F
import torchvision
from torchvision.io import ImageReadMode, read_image

# second stage: classify the crops the detector found (boxes saved by detect.py)
classifier = torchvision.models.resnet18(num_classes=4)
classifier.eval()
records = json.load(open("runs/detect/boxes.json"))
with torch.no_grad():
    for rec in records:
        img = read_image(rec["image"], mode=ImageReadMode.RGB).float() / 255
        crops = []
        for x1, y1, x2, y2 in rec["boxes"]:
            crop = img[:, int(y1):int(y2), int(x1):int(x2)]
            crops.append(F.interpolate(crop[None], size=(64, 64), mode="bilinear", align_corners=False)[0])
        logits = classifier(torch.stack(crops))
        print(rec["image"], logits.argmax(1).tolist())
'''


def crops_setup(work: Path):
    make_images(work, [(f"frames/frame_{i:03d}.jpg", (320, 180), "RGB") for i in range(2)])
    recs = [{"image": f"frames/frame_{i:03d}.jpg",
             # written by the TF-style detector: [ymin, xmin, ymax, xmax] in pixels
             "boxes": [[20.0, 30.0, 90.0, 110.0], [60.0, 200.0, 150.0, 290.0]]} for i in range(2)]
    (work / "runs/detect").mkdir(parents=True, exist_ok=True)
    (work / "runs/detect/boxes.json").write_text(json.dumps(recs))


SCRIPTS["csv-boxes-missing-coordinate-ragged-workers"] = r'''
import csv
from collections import defaultdict

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.transforms import functional as TF


class WheatCSV(Dataset):
    """image_id,xmin,ymin,xmax,ymax,label exported from the annotation spreadsheet"""

    def __init__(self, csv_path, img_dir):
        self.img_dir = img_dir
        self.rows = defaultdict(list)
        with open(csv_path) as f:
            for r in csv.DictReader(f):
                coords = [float(r[k]) for k in ("xmin", "ymin", "xmax", "ymax") if r[k].strip()]
                self.rows[r["image_id"]].append((coords, int(r["label"])))
        self.ids = sorted(self.rows)

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        img = TF.to_tensor(Image.open(f"{self.img_dir}/{self.ids[i]}.jpg").convert("RGB"))
        boxes = torch.tensor([c for c, _ in self.rows[self.ids[i]]], dtype=torch.float32)
        labels = torch.tensor([l for _, l in self.rows[self.ids[i]]])
        return img, {"boxes": boxes, "labels": labels}


def main():
    loader = DataLoader(WheatCSV("data/train.csv", "data/train"), batch_size=2, num_workers=2,
                        collate_fn=lambda b: tuple(zip(*b)))
    for images, targets in loader:
        print([t["boxes"].shape for t in targets])


if __name__ == "__main__":
    main()
'''


def wheat_csv_setup(work: Path):
    make_images(work, [(f"data/train/wh_{i:03d}.jpg", (160, 120), "RGB") for i in range(4)])
    lines = ["image_id,xmin,ymin,xmax,ymax,label"]
    for i in range(4):
        lines.append(f"wh_{i:03d},10,12,50,60,1")
        lines.append(f"wh_{i:03d},70,20,110,70,1")
        if i == 2:
            lines.append(f"wh_{i:03d},88,,130,112,1")       # one cell left empty in the sheet
    (work / "data/train.csv").write_text("\n".join(lines) + "\n")


# ------------------------------------------------------------------ 3. versions
SCRIPTS["eval-iou-matrix-np-nan-numpy2"] = r'''
import json

import numpy as np


def iou(a, b):
    ix1, iy1 = max(a[0], b[0]), max(a[1], b[1])
    ix2, iy2 = min(a[2], b[2]), min(a[3], b[3])
    inter = max(0.0, ix2 - ix1) * max(0.0, iy2 - iy1)
    area = lambda r: (r[2] - r[0]) * (r[3] - r[1])
    return inter / (area(a) + area(b) - inter + 1e-9)


gt = json.load(open("eval/ground_truth.json"))
pred = json.load(open("eval/predictions.json"))
tp = fp = fn = 0
for image_id, gboxes in gt.items():
    pboxes = pred.get(image_id, [])
    m = np.full((len(gboxes), len(pboxes)), np.NaN)
    for i, g in enumerate(gboxes):
        for j, p in enumerate(pboxes):
            m[i, j] = iou(g, p)
    matched = np.nanmax(m, axis=1) >= 0.5 if len(pboxes) else np.zeros(len(gboxes), bool)
    tp += int(matched.sum())
    fn += int((~matched).sum())
    fp += max(0, len(pboxes) - int(matched.sum()))
print(f"precision {tp / (tp + fp):.3f} recall {tp / (tp + fn):.3f}")
'''
iou_setup = both(
    write("eval/ground_truth.json", json.dumps({"img_001": [[10, 10, 50, 60], [70, 20, 120, 90]],
                                                "img_002": [[5, 5, 40, 40]]})),
    write("eval/predictions.json", json.dumps({"img_001": [[12, 11, 49, 58]], "img_002": [[6, 4, 41, 39]]})))

SCRIPTS["map-eval-np-in1d-numpy-2-4"] = r'''
import numpy as np
import torch
import torchvision
from torchvision.ops import box_iou

CLASSES = ["__background__", "person", "bicycle"]
torch.manual_seed(0)
model = torchvision.models.detection.fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None,
                                                                          num_classes=len(CLASSES),
                                                                          box_score_thresh=0.0)
model.eval()

images = [torch.rand(3, 240, 320) for _ in range(2)]
targets = [{"boxes": torch.tensor([[20.0, 30.0, 120.0, 200.0]]), "labels": torch.tensor([1])},
           {"boxes": torch.tensor([[150.0, 60.0, 300.0, 220.0]]), "labels": torch.tensor([2])}]
with torch.no_grad():
    outputs = model(images)

for c in range(1, len(CLASSES)):
    hits, total = 0, 0
    for out, tgt in zip(outputs, targets):
        present = np.in1d(out["labels"].numpy(), [c])
        gt_mask = tgt["labels"].numpy() == c
        total += int(gt_mask.sum())
        if present.any() and gt_mask.any():
            ious = box_iou(out["boxes"][present], tgt["boxes"][gt_mask])
            hits += int((ious.max(dim=0).values >= 0.5).sum())
    print(f"{CLASSES[c]}: recall {hits / max(total, 1):.2f}")
'''

CELLS["gradcam-heatmap-ptp-normalise-numpy2-notebook"] = [
    r'''import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torchvision import models, transforms''',
    r'''model = models.resnet18(num_classes=3)
model.eval()
feats, grads = {}, {}
model.layer4.register_forward_hook(lambda m, i, o: feats.__setitem__("a", o))
model.layer4.register_full_backward_hook(lambda m, gi, go: grads.__setitem__("g", go[0]))
tf = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor()])
x = tf(Image.open("samples/leaf_07.jpg").convert("RGB"))[None]''',
    r'''logits = model(x)
logits[0, logits.argmax()].backward()
weights = grads["g"].mean(dim=(2, 3), keepdim=True)
cam = F.relu((weights * feats["a"]).sum(1)).squeeze().detach().numpy()
cam = (cam - cam.min()) / (cam.ptp() + 1e-8)
heat = np.uint8(255 * np.array(Image.fromarray(cam).resize((128, 128))))
print(heat.shape, heat.max())''',
]
leaf_sample = imgs([("samples/leaf_07.jpg", (150, 130), "RGB")])

SCRIPTS["augment-np-array-copy-false-numpy2"] = r'''
import glob
import random

import numpy as np
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset


class Flowers(Dataset):
    def __init__(self, root):
        self.files = sorted(glob.glob(f"{root}/*/*.jpg"))
        self.classes = sorted({f.split("/")[-2] for f in self.files})

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        img = Image.open(self.files[i]).convert("RGB").resize((64, 64))
        arr = np.array(img, dtype=np.float32, copy=False) / 255.0     # avoid an extra copy per image
        if random.random() < 0.5:
            arr = arr[:, ::-1]
        x = torch.from_numpy(np.ascontiguousarray(arr)).permute(2, 0, 1)
        return x, self.classes.index(self.files[i].split("/")[-2])


loader = DataLoader(Flowers("flowers/train"), batch_size=4, shuffle=True)
model = torch.nn.Sequential(torch.nn.Conv2d(3, 16, 3, 2, 1), torch.nn.ReLU(), torch.nn.AdaptiveAvgPool2d(1),
                            torch.nn.Flatten(), torch.nn.Linear(16, 3))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(2):
    for x, y in loader:
        loss = torch.nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

SCRIPTS["draw-detections-font-getsize-pillow10"] = r'''
import torch
import torchvision
from PIL import Image, ImageDraw, ImageFont
from torchvision.transforms import functional as TF

CLASSES = ["__background__", "cat", "dog"]
torch.manual_seed(0)
model = torchvision.models.detection.fasterrcnn_mobilenet_v3_large_320_fpn(
    weights=None, weights_backbone=None, num_classes=3, box_score_thresh=0.0)
model.load_state_dict(torch.load("pets_frcnn.pth"))
model.eval()

img = Image.open("test/living_room.jpg").convert("RGB")
with torch.no_grad():
    out = model([TF.to_tensor(img)])[0]

draw = ImageDraw.Draw(img)
font = ImageFont.load_default()
for box, label, score in zip(out["boxes"][:5], out["labels"][:5], out["scores"][:5]):
    x1, y1, x2, y2 = box.tolist()
    text = f"{CLASSES[label]} {score:.2f}"
    tw, th = font.getsize(text)
    draw.rectangle([x1, y1, x2, y2], outline="red", width=2)
    draw.rectangle([x1, y1 - th - 2, x1 + tw + 2, y1], fill="red")
    draw.text((x1 + 1, y1 - th - 1), text, fill="white", font=font)
img.save("test/living_room_pred.jpg")
'''
frcnn_weights = both(prep('''
import torch, torchvision
torch.manual_seed(0)
m = torchvision.models.detection.fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=3)
torch.save(m.state_dict(), "pets_frcnn.pth")
'''), imgs([("test/living_room.jpg", (320, 240), "RGB")]))

SCRIPTS["padim-anomaly-torch-cholesky-removed"] = r'''
import glob

import torch
import torchvision
from PIL import Image
from torchvision import transforms

# PaDiM-style anomaly detection on "good" bottle images: fit a Gaussian per patch
backbone = torchvision.models.resnet18(weights=None)
backbone.eval()
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])


def embed(x):
    x = backbone.maxpool(backbone.relu(backbone.bn1(backbone.conv1(x))))
    l1 = backbone.layer1(x)
    l2 = backbone.layer2(l1)
    l2 = torch.nn.functional.interpolate(l2, size=l1.shape[-2:], mode="nearest")
    return torch.cat([l1, l2], 1)[:, :32]           # random channel subset


with torch.no_grad():
    train = torch.stack([tf(Image.open(p).convert("RGB")) for p in sorted(glob.glob("bottle/train/good/*.png"))])
    e = embed(train)                                  # N, C, H, W
N, C, H, W = e.shape
e = e.permute(2, 3, 0, 1).reshape(H * W, N, C)
mean = e.mean(1)
cov = torch.einsum("pnc,pnd->pcd", e - mean[:, None], e - mean[:, None]) / (N - 1) + 0.01 * torch.eye(C)
chol = torch.cholesky(cov)
inv_cov = torch.cholesky_inverse(chol)
torch.save({"mean": mean, "inv_cov": inv_cov}, "padim_bottle.pt")
print("saved", mean.shape, inv_cov.shape)
'''
bottles = imgs([(f"bottle/train/good/{i:03d}.png", (80, 80), "RGB") for i in range(6)])

SCRIPTS["old-augment-randomaffine-resample-fillcolor"] = r'''
from PIL import Image
import torch
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

# augmentation block from the 2019 course notebook
train_tf = transforms.Compose([
    transforms.Resize((72, 72)),
    transforms.RandomAffine(degrees=15, translate=(0.1, 0.1), scale=(0.9, 1.1), shear=5,
                            resample=Image.BILINEAR, fillcolor=(124, 116, 104)),
    transforms.RandomCrop(64),
    transforms.ToTensor(),
])
train_ds = datasets.ImageFolder("flowers/train", transform=train_tf)
loader = DataLoader(train_ds, batch_size=4, shuffle=True)
model = models.resnet18(num_classes=len(train_ds.classes))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for epoch in range(2):
    for x, y in loader:
        loss = torch.nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

SCRIPTS["ssd-hard-negative-mining-byte-mask-old-code"] = r'''
import torch
import torch.nn as nn
import torch.nn.functional as F


class MultiBoxLoss(nn.Module):
    """from an ssd.pytorch fork (written for torch 0.4)"""

    def __init__(self, num_classes, neg_pos_ratio=3):
        super().__init__()
        self.num_classes = num_classes
        self.neg_pos_ratio = neg_pos_ratio

    def forward(self, loc_p, conf_p, loc_t, conf_t):
        pos = (conf_t > 0).byte()
        num_pos = pos.long().sum(1, keepdim=True)
        loss_l = F.smooth_l1_loss(loc_p[pos.bool()], loc_t[pos.bool()], reduction="sum")

        # hard negative mining
        loss_c = F.cross_entropy(conf_p.reshape(-1, self.num_classes), conf_t.reshape(-1), reduction="none")
        loss_c = loss_c.view(conf_t.shape)
        loss_c[pos] = 0
        _, idx = loss_c.sort(1, descending=True)
        _, rank = idx.sort(1)
        num_neg = torch.clamp(self.neg_pos_ratio * num_pos, max=pos.size(1) - 1)
        neg = rank < num_neg
        sel = (pos.bool() | neg)
        loss_conf = F.cross_entropy(conf_p[sel], conf_t[sel], reduction="sum")
        n = num_pos.sum().float()
        return loss_l / n, loss_conf / n


head = nn.Linear(64, 8732 * (4 + 21))
criterion = MultiBoxLoss(num_classes=21)
optimizer = torch.optim.SGD(head.parameters(), lr=1e-3, momentum=0.9)
for step in range(3):
    feats = torch.randn(2, 64)
    out = head(feats).view(2, 8732, 25)
    loc_p, conf_p = out[..., :4], out[..., 4:]
    loc_t = torch.randn(2, 8732, 4) * 0.1
    conf_t = torch.where(torch.rand(2, 8732) < 0.02, torch.randint(1, 21, (2, 8732)), torch.zeros(2, 8732, dtype=torch.long))
    loss_l, loss_c = criterion(loc_p, conf_p, loc_t, conf_t)
    loss = loss_l + loss_c
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    print(step, loss_l.item(), loss_c.item())
'''

SCRIPTS["yolo-noobj-mask-one-minus-bool-old-code"] = r'''
import torch
import torch.nn as nn

# build_targets() adapted from a 2018 YOLOv3 repo
GRID, NA, NC = 13, 3, 2
ANCHORS = torch.tensor([[10.0, 13.0], [16.0, 30.0], [33.0, 23.0]]) / 32


def bbox_wh_iou(wh1, wh2):
    inter = torch.min(wh1[:, None], wh2[None]).prod(2)
    return inter / (wh1.prod(1)[:, None] + wh2.prod(1)[None] - inter)


def build_targets(targets, ignore_thres=0.5):
    obj_mask = torch.zeros(1, NA, GRID, GRID, dtype=torch.bool)
    gxy = targets[:, 1:3] * GRID
    gwh = targets[:, 3:5] * GRID
    ious = bbox_wh_iou(ANCHORS, gwh)                  # NA x T
    best = ious.argmax(0)
    gi, gj = gxy.long().t()
    obj_mask[0, best, gj, gi] = True
    noobj_mask = 1 - obj_mask
    for a, iou_row in enumerate(ious):
        noobj_mask[0, a, gj[iou_row > ignore_thres], gi[iou_row > ignore_thres]] = 0
    return obj_mask, noobj_mask


head = nn.Conv2d(16, NA * (5 + NC), 1)
optimizer = torch.optim.Adam(head.parameters(), lr=1e-3)
bce = nn.BCEWithLogitsLoss()
for step in range(3):
    x = torch.rand(1, 16, GRID, GRID)
    pred = head(x).view(1, NA, 5 + NC, GRID, GRID).permute(0, 1, 3, 4, 2)
    targets = torch.tensor([[0, 0.45, 0.5, 0.3, 0.4], [1, 0.75, 0.3, 0.1, 0.15]])
    obj_mask, noobj_mask = build_targets(targets)
    conf = pred[..., 4]
    loss = bce(conf[obj_mask], torch.ones_like(conf[obj_mask])) + bce(conf[noobj_mask.bool()], torch.zeros_like(conf[noobj_mask.bool()]))
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    print(step, loss.item())
'''

SCRIPTS["v2-beta-sanitize-bounding-box-old-name"] = r'''
import json

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import tv_tensors
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import v2

# pipeline from the torchvision 0.15 "transforms v2" blog post
train_tf = v2.Compose([
    v2.RandomPhotometricDistort(),
    v2.RandomZoomOut(fill={tv_tensors.Image: (123, 117, 104), "others": 0}),
    v2.RandomIoUCrop(),
    v2.RandomHorizontalFlip(),
    v2.SanitizeBoundingBox(),
    v2.ToDtype(torch.float32, scale=True),
])


class Parcels(Dataset):
    def __init__(self, root, tf):
        self.root, self.items, self.tf = root, json.load(open(f"{root}/labels.json")), tf

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        it = self.items[i]
        img = tv_tensors.Image(Image.open(f"{self.root}/{it['file']}").convert("RGB"))
        boxes = tv_tensors.BoundingBoxes(it["boxes"], format="XYXY", canvas_size=img.shape[-2:])
        return self.tf(img, {"boxes": boxes, "labels": torch.tensor(it["labels"])})


loader = DataLoader(Parcels("data/parcels", train_tf), batch_size=2, collate_fn=lambda b: tuple(zip(*b)))
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=3)
model.train()
for images, targets in loader:
    print(sum(model(list(images), list(targets)).values()).item())
'''
parcels = det_json("data/parcels", 2, (160, 120), spread_boxes)

SCRIPTS["lmdb-style-bytes-np-fromstring-imdecode"] = r'''
import pickle

import cv2
import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset


class PackedImages(Dataset):
    """images packed as encoded JPEG bytes in one pickle (fast on the cluster's NFS)"""

    def __init__(self, path):
        with open(path, "rb") as f:
            self.records = pickle.load(f)

    def __len__(self):
        return len(self.records)

    def __getitem__(self, i):
        buf, label = self.records[i]
        img = cv2.imdecode(np.fromstring(buf, dtype=np.uint8), cv2.IMREAD_COLOR)
        img = cv2.resize(img, (64, 64))[:, :, ::-1].copy()
        return torch.from_numpy(img).permute(2, 0, 1).float() / 255, label


loader = DataLoader(PackedImages("data/train_packed.pkl"), batch_size=4, shuffle=True)
model = torch.nn.Sequential(torch.nn.Conv2d(3, 8, 3, 2, 1), torch.nn.ReLU(), torch.nn.AdaptiveAvgPool2d(1),
                            torch.nn.Flatten(), torch.nn.Linear(8, 2))
for x, y in loader:
    print(model(x).shape)
'''
packed = prep('''
import io, os, pickle, random
from PIL import Image
os.makedirs("data", exist_ok=True)
rnd = random.Random(0)
recs = []
for i in range(6):
    img = Image.frombytes("RGB", (48, 40), bytes(rnd.randrange(256) for _ in range(48 * 40 * 3)))
    b = io.BytesIO()
    img.save(b, format="JPEG")
    recs.append((b.getvalue(), i % 2))
pickle.dump(recs, open("data/train_packed.pkl", "wb"))
''')

CELLS["imageai-det-train-validation-np-trapz-notebook"] = [
    r'''import os
print(sorted(os.listdir("hardhat/train/images"))[:3])''',
    r'''from imageai.Detection.Custom import DetectionModelTrainer''',
    r'''trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="hardhat")
trainer.setTrainConfig(object_names_array=["hardhat"], batch_size=2, num_experiments=3)''',
    r'''trainer.trainModel()''',
]

SCRIPTS["imageai-custom-cls-predict-image-imageai2-tutorial"] = r'''
from imageai.Classification.Custom import CustomImageClassification

prediction = CustomImageClassification()
prediction.setModelTypeAsMobileNetV2()
prediction.setModelPath("pets/models/mobilenet_v2-pets-test_acc_0.88750_epoch-12.pt")
prediction.setJsonPath("pets/models/pets_model_classes.json")
prediction.loadModel()

predictions, probabilities = prediction.predictImage("samples/pet_01.jpg", result_count=3)
for eachPrediction, eachProbability in zip(predictions, probabilities):
    print(eachPrediction, " : ", eachProbability)
'''

# ------------------------------------------------------------------ 4. plain bugs (other)
SCRIPTS["forward-uses-self-fc-head-named-classifier"] = r'''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


class SmallCNN(nn.Module):
    def __init__(self, num_classes):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
            nn.AdaptiveAvgPool2d(1),
        )
        self.classifier = nn.Sequential(nn.Flatten(), nn.Dropout(0.3), nn.Linear(64, num_classes))

    def forward(self, x):
        x = self.features(x)
        return self.fc(x)


tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
ds = datasets.ImageFolder("flowers/train", transform=tf)
loader = DataLoader(ds, batch_size=4, shuffle=True)
model = SmallCNN(len(ds.classes))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
for epoch in range(5):
    for x, y in loader:
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.3f}")
'''

CELLS["loss-backwards-typo-notebook"] = [
    r'''import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms
device = "cuda" if torch.cuda.is_available() else "cpu"''',
    r'''tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("catsdogs/train", transform=tf)
train_dl = DataLoader(train_ds, batch_size=4, shuffle=True)
model = models.mobilenet_v3_small(num_classes=2).to(device)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()''',
    r'''for epoch in range(3):
    model.train()
    for xb, yb in train_dl:
        xb, yb = xb.to(device), yb.to(device)
        opt.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backwards()
        opt.step()
    print(epoch, loss.item())''',
]

SCRIPTS["enumerate-loader-batch-index-unpacked-as-images"] = r'''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("leaves/train", transform=tf)
train_loader = DataLoader(train_ds, batch_size=4, shuffle=True)

model = models.resnet18(num_classes=len(train_ds.classes)).to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

for epoch in range(3):
    model.train()
    running = 0.0
    for images, labels in enumerate(train_loader):
        images, labels = images.to(device), labels.to(device)
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
        running += loss.item()
    print(f"epoch {epoch + 1} loss {running / len(train_loader):.4f}")
'''

CELLS["for-epoch-in-num-epochs-int-notebook"] = [
    r'''import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms''',
    r'''num_epochs = 10
batch_size = 4
lr = 1e-3''',
    r'''tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_loader = DataLoader(datasets.ImageFolder("flowers/train", transform=tf), batch_size=batch_size, shuffle=True)
model = models.resnet18(num_classes=3)
optimizer = torch.optim.Adam(model.parameters(), lr=lr)
criterion = nn.CrossEntropyLoss()''',
    r'''history = []
for epoch in num_epochs:
    model.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
    history.append(loss.item())
    print(f"Epoch {epoch + 1}/{num_epochs} - loss: {loss.item():.4f}")''',
]

SCRIPTS["correct-without-sum-val-accuracy-format"] = r'''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("flowers/train", transform=tf)
val_ds = datasets.ImageFolder("flowers/val", transform=tf)
train_loader = DataLoader(train_ds, batch_size=4, shuffle=True, drop_last=True)
val_loader = DataLoader(val_ds, batch_size=3)

model = models.mobilenet_v3_small(num_classes=3)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
for epoch in range(3):
    model.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
    model.eval()
    correct, total = 0, 0
    with torch.no_grad():
        for x, y in val_loader:
            pred = model(x).argmax(1)
            correct += (pred == y)
            total += y.size(0)
    acc = 100.0 * correct / total
    print(f"epoch {epoch + 1}: train loss {loss.item():.4f}, val acc {acc:.2f}%")
'''

SCRIPTS["val-accuracy-divides-by-unused-counter"] = r'''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_loader = DataLoader(datasets.ImageFolder("catsdogs/train", transform=tf), batch_size=4, shuffle=True)
val_loader = DataLoader(datasets.ImageFolder("catsdogs/val", transform=tf), batch_size=4)
model = models.resnet18(num_classes=2)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
criterion = nn.CrossEntropyLoss()

for epoch in range(3):
    model.train()
    train_correct, train_total = 0, 0
    for x, y in train_loader:
        optimizer.zero_grad()
        out = model(x)
        loss = criterion(out, y)
        loss.backward()
        optimizer.step()
        train_correct += (out.argmax(1) == y).sum().item()
        train_total += y.size(0)

    model.eval()
    val_correct, val_total = 0, 0
    with torch.no_grad():
        for x, y in val_loader:
            out = model(x)
            val_correct += (out.argmax(1) == y).sum().item()
            train_total += y.size(0)
    print(f"epoch {epoch}: train acc {train_correct / train_total:.3f} val acc {val_correct / val_total:.3f}")
'''

SCRIPTS["best-acc-module-level-unbound-local-in-train"] = r'''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

best_acc = 0.0
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_loader = DataLoader(datasets.ImageFolder("leaves/train", transform=tf), batch_size=4, shuffle=True)
val_loader = DataLoader(datasets.ImageFolder("leaves/val", transform=tf), batch_size=4)


def evaluate(model):
    model.eval()
    correct = total = 0
    with torch.no_grad():
        for x, y in val_loader:
            correct += (model(x).argmax(1) == y).sum().item()
            total += y.numel()
    return correct / total


def train(model, epochs):
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(epochs):
        model.train()
        for x, y in train_loader:
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(model(x), y)
            loss.backward()
            optimizer.step()
        acc = evaluate(model)
        print(f"epoch {epoch}: loss {loss.item():.3f} acc {acc:.3f}")
        if acc > best_acc:
            best_acc = acc
            torch.save(model.state_dict(), "best.pt")


train(models.mobilenet_v3_small(num_classes=3), epochs=3)
'''

SCRIPTS["custom-head-module-missing-super-init"] = r'''
import torch
import torch.nn as nn
import torchvision


class DefectClassifier(nn.Module):
    def __init__(self, num_classes=4, dropout=0.2):
        self.backbone = torchvision.models.efficientnet_b0(weights=None).features
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.head = nn.Sequential(nn.Flatten(), nn.Dropout(dropout), nn.Linear(1280, num_classes))

    def forward(self, x):
        return self.head(self.pool(self.backbone(x)))


model = DefectClassifier()
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
for step in range(5):
    x = torch.rand(4, 3, 96, 96)
    y = torch.randint(0, 4, (4,))
    loss = nn.functional.cross_entropy(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    print(step, loss.item())
'''

SCRIPTS["detection-collate-fn-called-not-passed"] = r'''
import json

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as TF


def collate_fn(batch):
    return tuple(zip(*batch))


class Kitti(Dataset):
    def __init__(self, root):
        self.root, self.items = root, json.load(open(f"{root}/labels.json"))

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        it = self.items[i]
        img = TF.to_tensor(Image.open(f"{self.root}/{it['file']}").convert("RGB"))
        return img, {"boxes": torch.tensor(it["boxes"], dtype=torch.float32), "labels": torch.tensor(it["labels"])}


train_loader = DataLoader(Kitti("data/kitti_small"), batch_size=2, shuffle=True, collate_fn=collate_fn())
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=3)
optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
model.train()
for epoch in range(2):
    for images, targets in train_loader:
        loss = sum(model(list(images), list(targets)).values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''
kitti = det_json("data/kitti_small", 4, (160, 120), spread_boxes)

CELLS["transforms-module-shadowed-by-compose-notebook"] = [
    r'''import torch
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms''',
    r'''# augmentations
transforms = transforms.Compose([
    transforms.RandomResizedCrop(64),
    transforms.RandomHorizontalFlip(),
    transforms.ToTensor(),
])
train_ds = datasets.ImageFolder("flowers/train", transform=transforms)
print(len(train_ds))''',
    r'''val_tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
val_ds = datasets.ImageFolder("flowers/val", transform=val_tf)
train_loader = DataLoader(train_ds, batch_size=4, shuffle=True)
val_loader = DataLoader(val_ds, batch_size=4)''',
]

CELLS["idx-to-class-enumerate-start-1-notebook"] = [
    r'''import torch
from PIL import Image
from torchvision import datasets, models, transforms''',
    r'''train_ds = datasets.ImageFolder("flowers/train")
idx_to_class = {i: c for i, c in enumerate(train_ds.classes, start=1)}
print(idx_to_class)''',
    r'''model = models.resnet18(num_classes=len(train_ds.classes))
model.load_state_dict(torch.load("flowers_resnet18.pth"))
model.eval()
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])''',
    r'''for path in ["flowers/val/rose/rose_000.jpg", "flowers/val/tulip/tulip_001.jpg"]:
    with torch.no_grad():
        probs = model(tf(Image.open(path).convert("RGB"))[None]).softmax(1)[0]
    k = probs.argmax().item()
    print(path, "->", idx_to_class[k], f"{probs[k]:.2f}")''',
]
flowers_ckpt = prep('''
import torch, torchvision
torch.manual_seed(3)
m = torchvision.models.resnet18(num_classes=3)
torch.nn.init.zeros_(m.fc.weight)
with torch.no_grad():
    m.fc.bias.copy_(torch.tensor([2.0, 0.0, 0.0]))
torch.save(m.state_dict(), "flowers_resnet18.pth")
''')

SCRIPTS["imageai-classify-top-n-loop-result-count-plus-one"] = r'''
from imageai.Classification.Custom import CustomImageClassification

TOP = 3
prediction = CustomImageClassification()
prediction.setModelTypeAsMobileNetV2()
prediction.setModelPath("pets/models/mobilenet_v2-pets-test_acc_0.88750_epoch-12.pt")
prediction.setJsonPath("pets/models/pets_model_classes.json")
prediction.loadModel()

for path in ["samples/pet_01.jpg", "samples/pet_02.jpg"]:
    predictions, probabilities = prediction.classifyImage(path, result_count=TOP)
    print(path)
    for rank in range(1, TOP + 1):
        print(f"  #{rank}: {predictions[rank]} ({probabilities[rank]:.2f}%)")
'''

SCRIPTS["dataset-attribute-renamed-in-init-workers"] = r'''
import glob
import os

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms


class LeafDataset(Dataset):
    def __init__(self, root, transform=None):
        self.classes = sorted(os.listdir(root))
        self.samples = [(p, i) for i, c in enumerate(self.classes) for p in sorted(glob.glob(f"{root}/{c}/*.jpg"))]
        self.transform = transform

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, idx):
        path, label = self.image_paths[idx]
        img = Image.open(path).convert("RGB")
        if self.transform:
            img = self.transform(img)
        return img, label


def main():
    tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
    loader = DataLoader(LeafDataset("leaves/train", tf), batch_size=4, shuffle=True, num_workers=2)
    model = models.resnet18(num_classes=3)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(2):
        for x, y in loader:
            loss = torch.nn.functional.cross_entropy(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(epoch, loss.item())


if __name__ == "__main__":
    main()
'''


# ====================================================================== cases
def cases():
    out, add, script, notebook = case_builders("torch-more24-", SCRIPTS, CELLS)

    # 1. model outputs ---------------------------------------------------------------------------------
    script("retinanet-cls-head-3-anchors-generator-makes-9", "model.output_mismatch", setup=bridge)
    script("frcnn-custom-backbone-dict-keys-not-roi-featmap-names", "model.output_mismatch")
    script("frcnn-custom-box-predictor-returns-only-logits", "model.output_mismatch", setup=roads)
    notebook("retinanet-resnet18-fpn-three-levels-five-anchor-sizes-notebook", "model.output_mismatch")
    script("ssd-style-head-box-outputs-not-permuted", "model.output_mismatch")
    script("stacked-hourglass-returns-list-into-mse", "model.output_mismatch")
    notebook("classifier-returns-dict-val-argmax-notebook", "model.output_mismatch", setup=leaves)
    script("active-learning-categorical-probs-given-logits", "model.output_mismatch", argv="pick_for_labeling.py",
           setup=al_setup)
    script("fold-ensemble-one-fold-trained-with-extra-class", "model.output_mismatch", argv="predict.py",
           setup=folds_setup)
    script("two-logit-head-bcewithlogits-binary-labels", "model.output_mismatch", also=["data.label_shape"],
           setup=catsdogs)

    # 2. boxes ---------------------------------------------------------------------------------------------
    script("letterbox-pad-shifts-only-top-left-corner", "data.bbox_invalid", setup=shelves)
    script("v2-canvas-size-from-pil-size-clamped-boxes", "data.bbox_invalid", setup=drone)
    script("frcnn-dota-eight-point-polygons-as-boxes", "data.bbox_invalid", setup=dota_setup)
    script("centernet-heatmap-boxes-not-rescaled-workers", "data.bbox_invalid",
           forms=["cpython_basic", "dataloader_worker"], setup=cows)
    notebook("centernet-gaussian-radius-coco-xywh-as-corners-notebook", "data.bbox_invalid", setup=coco_xywh_setup)
    notebook("draw-augmented-sample-hflip-boxes-not-swapped-notebook", "data.bbox_invalid", setup=forklifts)
    script("pil-draw-yolo-centre-size-as-corners", "data.bbox_invalid", argv="check_labels.py", setup=yolo_check)
    script("crop-classifier-tensor-slice-yxyx-boxes", "data.bbox_invalid", argv="classify_crops.py",
           setup=crops_setup)
    script("csv-boxes-missing-coordinate-ragged-workers", "data.bbox_invalid",
           forms=["cpython_basic", "dataloader_worker"], setup=wheat_csv_setup)

    # 3. versions ------------------------------------------------------------------------------------------
    script("eval-iou-matrix-np-nan-numpy2", "env.version_incompat", argv="evaluate.py", setup=iou_setup)
    script("map-eval-np-in1d-numpy-2-4", "env.version_incompat", argv="evaluate.py")
    notebook("gradcam-heatmap-ptp-normalise-numpy2-notebook", "env.version_incompat", setup=leaf_sample)
    script("augment-np-array-copy-false-numpy2", "env.version_incompat", setup=flowers)
    script("draw-detections-font-getsize-pillow10", "env.version_incompat", argv="visualize.py",
           setup=frcnn_weights)
    script("padim-anomaly-torch-cholesky-removed", "env.version_incompat", argv="fit_padim.py", setup=bottles)
    script("old-augment-randomaffine-resample-fillcolor", "env.version_incompat", setup=flowers)
    script("ssd-hard-negative-mining-byte-mask-old-code", "env.version_incompat")
    script("yolo-noobj-mask-one-minus-bool-old-code", "env.version_incompat")
    script("v2-beta-sanitize-bounding-box-old-name", "env.version_incompat", setup=parcels)
    script("lmdb-style-bytes-np-fromstring-imdecode", "env.version_incompat", setup=packed)
    notebook("imageai-det-train-validation-np-trapz-notebook", "env.version_incompat", framework="imageai",
             forms=["ipython_cell", "ipython_arrows", "progress_bars?"],
             setup=yolo_dataset("hardhat", one_class_rows), timeout=400)
    script("imageai-custom-cls-predict-image-imageai2-tutorial", "env.version_incompat", framework="imageai",
           argv="classify.py", setup=both(cls_weights, pet_samples))

    # 4. plain bugs in the user's code -----------------------------------------------------------------
    script("forward-uses-self-fc-head-named-classifier", "other", setup=flowers)
    notebook("loss-backwards-typo-notebook", "other", setup=catsdogs)
    script("enumerate-loader-batch-index-unpacked-as-images", "other", setup=leaves)
    notebook("for-epoch-in-num-epochs-int-notebook", "other", setup=flowers)
    script("correct-without-sum-val-accuracy-format", "other", setup=flowers)
    script("val-accuracy-divides-by-unused-counter", "other", setup=catsdogs)
    script("best-acc-module-level-unbound-local-in-train", "other", setup=leaves)
    # labelled as torch_more3 and torch_more17 label the same failures: the library called wrongly
    script("custom-head-module-missing-super-init", "model.api_misuse", also=["other"])
    script("detection-collate-fn-called-not-passed", "other", setup=kitti)
    notebook("transforms-module-shadowed-by-compose-notebook", "model.api_misuse", also=["other"], setup=flowers)
    notebook("idx-to-class-enumerate-start-1-notebook", "other", setup=both(flowers, flowers_ckpt))
    script("imageai-classify-top-n-loop-result-count-plus-one", "other", framework="imageai", argv="classify.py",
           setup=both(cls_weights, pet_samples))
    script("dataset-attribute-renamed-in-init-workers", "other", forms=["cpython_basic", "dataloader_worker"],
           setup=leaves)
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
