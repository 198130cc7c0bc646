"""A twelfth held-out set of PyTorch / torchvision / ImageAI 3 failures, none of
them a repeat of the other generators' scenarios, centred on the training loop
itself rather than on the data.

Divergence: anomaly mode on a CNN fed 0-255 pixels with a large learning rate,
the torchvision detection reference ``train_one_epoch`` stopping on "Loss is
nan", a notebook keypoint regressor on pixel coordinates with an explicit
``torch.isfinite`` check, a heteroscedastic (mean + log-variance) box head whose
``Normal`` gets NaN parameters, a YOLOv1-style square-root box loss under anomaly
mode, NaN boxes drawn with OpenCV, a "best" checkpoint never written because
every validation loss was NaN.
Autograd misuse: backbone features cached under ``torch.inference_mode``, a
MAML inner loop over a model with a leftover layer, ``requires_grad = False`` on
a backbone output, from-scratch weights scaled after ``requires_grad=True`` (in
an optimizer and in a manual update), integer learnable thresholds, a
straight-through estimator with too few gradients, a Grad-CAM hook under
``no_grad``, gradient norms logged after ``zero_grad``, YOLO outputs unbound and
activated in place.
Checkpoints: a Lightning ``model.`` prefix, an ``AveragedModel`` (SWA) state
dict, a ViT fine-tuned at another resolution, Keras kernels copied without a
transpose, an ``argparse.Namespace`` inside a checkpoint under the torch 2.6+
``weights_only`` default.
Heads and losses: one logit under CrossEntropyLoss, an EfficientNet given a
``.fc`` it never uses, a three-unit head regressing one value, loss arguments
swapped (CrossEntropyLoss, BCEWithLogitsLoss), NLLLoss given a [B, 1] column,
one-hot Long targets, a squeezed last batch of one, ``pos_weight`` as a float,
Long targets into BCEWithLogitsLoss.
Optimizers / schedulers: ``param_groups["lr"]``, Nesterov without momentum,
CosineAnnealingLR with ``T_max`` 0, StepLR given a list of optimizers,
MultiStepLR given one milestone, LambdaLR given a number.
ImageAI 3: DetectionModelTrainer given a list of folders and
``train_from_pretrained_model=True``; CustomObjectDetection loaded before its
JSON path is set, given the JSON config as a dict, given a tensor image;
ClassificationModelTrainer given a torchvision weights enum as transfer model;
CustomImageClassification loaded before its JSON path, given the model object as
its path, given a whole pickled model.

Every case is a small real program run on CPU with the torch venv (no GPU, no
downloads); the label is known by construction (what the program breaks).

    /work/venvs/torch/bin/python corpus/generators/torch_more12.py [-k filter] [--out DIR]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _record import run_cases, imgs, sub, nb, class_folder, case_builders  # noqa: E402
from _tfrecord import both, save_png  # noqa: E402

SRC = "corpus/generators/torch_more12.py"

SCRIPTS = {}

# ============================================================================ divergence

SCRIPTS["anomaly-cnn-raw-pixels-high-lr"] = '''
import glob
import os

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset

torch.manual_seed(0)
torch.autograd.set_detect_anomaly(True)   # loss went nan last night, find out where


class LeafDataset(Dataset):
    def __init__(self, root):
        self.classes = sorted(os.listdir(root))
        self.items = [(p, i) for i, c in enumerate(self.classes)
                      for p in sorted(glob.glob(os.path.join(root, c, "*.jpg")))]

    def __len__(self):
        return len(self.items)

    def __getitem__(self, idx):
        path, label = self.items[idx]
        img = np.array(Image.open(path).convert("RGB").resize((64, 64)))
        return torch.from_numpy(img).permute(2, 0, 1).float(), label


train_ds = LeafDataset("data/leaves/train")
loader = DataLoader(train_ds, batch_size=8, shuffle=True)

model = nn.Sequential(
    nn.Conv2d(3, 16, 3, padding=1), nn.LeakyReLU(0.1), nn.MaxPool2d(2),
    nn.Conv2d(16, 32, 3, padding=1), nn.LeakyReLU(0.1), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(32 * 16 * 16, 64), nn.LeakyReLU(0.1), nn.Linear(64, len(train_ds.classes)),
)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)

for epoch in range(30):
    running = 0.0
    for images, labels in loader:
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
        running += loss.item()
    print(f"epoch {epoch + 1}: train loss {running / len(loader):.4f}")
'''

FRCNN_UTILS = '''
"""Helpers copied from torchvision/references/detection/utils.py (trimmed)."""
import datetime
import time
from collections import defaultdict, deque

import torch
import torch.distributed as dist


class SmoothedValue:
    def __init__(self, window_size=20, fmt=None):
        if fmt is None:
            fmt = "{median:.4f} ({global_avg:.4f})"
        self.deque = deque(maxlen=window_size)
        self.total = 0.0
        self.count = 0
        self.fmt = fmt

    def update(self, value, n=1):
        self.deque.append(value)
        self.count += n
        self.total += value * n

    @property
    def median(self):
        return torch.tensor(list(self.deque)).median().item()

    @property
    def avg(self):
        return torch.tensor(list(self.deque), dtype=torch.float32).mean().item()

    @property
    def global_avg(self):
        return self.total / self.count

    @property
    def max(self):
        return max(self.deque)

    @property
    def value(self):
        return self.deque[-1]

    def __str__(self):
        return self.fmt.format(median=self.median, avg=self.avg, global_avg=self.global_avg,
                               max=self.max, value=self.value)


def is_dist_avail_and_initialized():
    return dist.is_available() and dist.is_initialized()


def get_world_size():
    if not is_dist_avail_and_initialized():
        return 1
    return dist.get_world_size()


def reduce_dict(input_dict, average=True):
    world_size = get_world_size()
    if world_size < 2:
        return input_dict
    with torch.inference_mode():
        names = sorted(input_dict.keys())
        values = torch.stack([input_dict[k] for k in names], dim=0)
        dist.all_reduce(values)
        if average:
            values /= world_size
        return {k: v for k, v in zip(names, values)}


class MetricLogger:
    def __init__(self, delimiter="\\t"):
        self.meters = defaultdict(SmoothedValue)
        self.delimiter = delimiter

    def update(self, **kwargs):
        for k, v in kwargs.items():
            if isinstance(v, torch.Tensor):
                v = v.item()
            self.meters[k].update(v)

    def __str__(self):
        return self.delimiter.join(f"{name}: {meter}" for name, meter in self.meters.items())

    def add_meter(self, name, meter):
        self.meters[name] = meter

    def log_every(self, iterable, print_freq, header=None):
        i = 0
        header = header or ""
        start_time = time.time()
        end = time.time()
        iter_time = SmoothedValue(fmt="{avg:.4f}")
        data_time = SmoothedValue(fmt="{avg:.4f}")
        space_fmt = ":" + str(len(str(len(iterable)))) + "d"
        log_msg = self.delimiter.join([header, "[{0" + space_fmt + "}/{1}]", "eta: {eta}", "{meters}",
                                       "time: {time}", "data: {data}"])
        for obj in iterable:
            data_time.update(time.time() - end)
            yield obj
            iter_time.update(time.time() - end)
            if i % print_freq == 0 or i == len(iterable) - 1:
                eta_seconds = iter_time.global_avg * (len(iterable) - i)
                eta_string = str(datetime.timedelta(seconds=int(eta_seconds)))
                print(log_msg.format(i, len(iterable), eta=eta_string, meters=str(self),
                                     time=str(iter_time), data=str(data_time)))
            i += 1
            end = time.time()
        total_time = time.time() - start_time
        total_time_str = str(datetime.timedelta(seconds=int(total_time)))
        print(f"{header} Total time: {total_time_str} ({total_time / len(iterable):.4f} s / it)")


def collate_fn(batch):
    return tuple(zip(*batch))
'''

FRCNN_ENGINE = '''
"""train_one_epoch from torchvision/references/detection/engine.py."""
import math
import sys

import torch

import utils


def train_one_epoch(model, optimizer, data_loader, device, epoch, print_freq, scaler=None):
    model.train()
    metric_logger = utils.MetricLogger(delimiter="  ")
    metric_logger.add_meter("lr", utils.SmoothedValue(window_size=1, fmt="{value:.6f}"))
    header = f"Epoch: [{epoch}]"

    lr_scheduler = None
    if epoch == 0:
        warmup_factor = 1.0 / 1000
        warmup_iters = min(1000, len(data_loader) - 1)

        lr_scheduler = torch.optim.lr_scheduler.LinearLR(
            optimizer, start_factor=warmup_factor, total_iters=warmup_iters
        )

    for images, targets in metric_logger.log_every(data_loader, print_freq, header):
        images = list(image.to(device) for image in images)
        targets = [{k: v.to(device) if isinstance(v, torch.Tensor) else v for k, v in t.items()} for t in targets]
        with torch.autocast(device_type=device.type, enabled=scaler is not None):
            loss_dict = model(images, targets)
            losses = sum(loss for loss in loss_dict.values())

        # reduce losses over all GPUs for logging purposes
        loss_dict_reduced = utils.reduce_dict(loss_dict)
        losses_reduced = sum(loss for loss in loss_dict_reduced.values())

        loss_value = losses_reduced.item()

        if not math.isfinite(loss_value):
            print(f"Loss is {loss_value}, stopping training")
            print(loss_dict_reduced)
            sys.exit(1)

        optimizer.zero_grad()
        if scaler is not None:
            scaler.scale(losses).backward()
            scaler.step(optimizer)
            scaler.update()
        else:
            losses.backward()
            optimizer.step()

        if lr_scheduler is not None:
            lr_scheduler.step()

        metric_logger.update(loss=losses_reduced, **loss_dict_reduced)
        metric_logger.update(lr=optimizer.param_groups[0]["lr"])

    return metric_logger
'''

SCRIPTS["frcnn-reference-engine-loss-is-nan"] = '''
import csv
import os
from collections import defaultdict

import torch
import torchvision
from PIL import Image
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as F

import utils
from engine import train_one_epoch

torch.manual_seed(0)
CLASSES = ["__background__", "pothole", "crack"]


class RoadDamage(torch.utils.data.Dataset):
    def __init__(self, root):
        self.root = root
        self.boxes = defaultdict(list)
        with open(os.path.join(root, "labels.csv")) as f:
            for row in csv.DictReader(f):
                self.boxes[row["filename"]].append(
                    ([float(row[k]) for k in ("xmin", "ymin", "xmax", "ymax")], CLASSES.index(row["class"])))
        self.files = sorted(self.boxes)

    def __len__(self):
        return len(self.files)

    def __getitem__(self, idx):
        name = self.files[idx]
        img = F.to_tensor(Image.open(os.path.join(self.root, "images", name)).convert("RGB"))
        anns = self.boxes[name]
        target = {"boxes": torch.tensor([b for b, _ in anns], dtype=torch.float32),
                  "labels": torch.tensor([c for _, c in anns], dtype=torch.int64),
                  "image_id": idx}
        return img, target


dataset = RoadDamage("data/road_damage")
data_loader = torch.utils.data.DataLoader(dataset, batch_size=2, shuffle=True, collate_fn=utils.collate_fn)

device = torch.device("cuda") if torch.cuda.is_available() else torch.device("cpu")
# small images and a small machine: keep the input size down
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES),
                                              min_size=224, max_size=320)
model.to(device)

params = [p for p in model.parameters() if p.requires_grad]
# the tutorial's 0.005 was too slow, so 100x
optimizer = torch.optim.SGD(params, lr=0.5, momentum=0.9, weight_decay=0.0005)
lr_scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=3, gamma=0.1)

num_epochs = 10
for epoch in range(num_epochs):
    train_one_epoch(model, optimizer, data_loader, device, epoch, print_freq=2)
    lr_scheduler.step()
print("That's it!")
'''


def road_damage(work: Path):
    import random
    rnd = random.Random(3)
    specs, rows = [], []
    for i in range(6):
        name = f"road_{i:03d}.jpg"
        w, h = 200 + 8 * i, 150
        specs.append((f"data/road_damage/images/{name}", (w, h), "RGB"))
        for k in range(1 + i % 2):
            x1, y1 = rnd.randint(5, w // 2), rnd.randint(5, h // 2)
            rows.append(f"{name},{x1},{y1},{x1 + rnd.randint(20, 60)},{y1 + rnd.randint(20, 50)},"
                        f"{'pothole' if (i + k) % 2 else 'crack'}")
    imgs(specs)(work)
    (work / "data/road_damage/labels.csv").write_text("filename,xmin,ymin,xmax,ymax,class\n" + "\n".join(rows) + "\n")


KEYPOINT_CELLS = [
    '''
    import csv
    import numpy as np
    import torch
    import torch.nn as nn
    from torch.utils.data import DataLoader, TensorDataset
    from tqdm.auto import tqdm

    torch.manual_seed(0)
    rows = list(csv.DictReader(open("facial_keypoints/training.csv")))
    cols = [c for c in rows[0] if c != "Image"]
    X = np.stack([np.array(r["Image"].split(), dtype=np.float32).reshape(1, 96, 96) / 255.0 for r in rows])
    y = np.array([[float(r[c]) for c in cols] for r in rows], dtype=np.float32)   # pixel coordinates 0..96
    print(X.shape, y.shape, y.min(), y.max())
    ''',
    '''
    model = nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * 24 * 24, 128), nn.ReLU(), nn.Linear(128, len(cols)),
    )
    loader = DataLoader(TensorDataset(torch.from_numpy(X), torch.from_numpy(y)), batch_size=8, shuffle=True)
    criterion = nn.MSELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    ''',
    '''
    for epoch in range(20):
        pbar = tqdm(loader, desc=f"epoch {epoch}", ncols=90)
        for i, (xb, yb) in enumerate(pbar):
            loss = criterion(model(xb), yb)
            if not torch.isfinite(loss):
                raise RuntimeError(f"Non-finite loss {loss.item()} at epoch {epoch}, batch {i}")
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            pbar.set_postfix(loss=f"{loss.item():.2f}")
    ''',
]


def facial_keypoints(work: Path):
    import random
    rnd = random.Random(5)
    names = ["left_eye_center_x", "left_eye_center_y", "right_eye_center_x", "right_eye_center_y",
             "nose_tip_x", "nose_tip_y", "mouth_center_bottom_lip_x", "mouth_center_bottom_lip_y"]
    lines = [",".join(names + ["Image"])]
    for _ in range(24):
        kp = [f"{rnd.uniform(20, 76):.4f}" for _ in names]
        px = " ".join(str(rnd.randrange(256)) for _ in range(96 * 96))
        lines.append(",".join(kp + [px]))
    d = work / "facial_keypoints"
    d.mkdir(parents=True, exist_ok=True)
    (d / "training.csv").write_text("\n".join(lines) + "\n")


SCRIPTS["heteroscedastic-box-head-normal-nan"] = '''
import json

import torch
import torch.nn as nn
from torch.distributions import Normal

torch.manual_seed(0)
# box regression with aleatoric uncertainty: the head predicts a mean and a log-variance per coordinate
with open("data/parcels/annotations.json") as f:
    ann = json.load(f)
feats = torch.tensor([a["features"] for a in ann["objects"]])          # pooled ROI features
boxes = torch.tensor([a["bbox"] for a in ann["objects"]])              # x, y, w, h in pixels


class UncertainBoxHead(nn.Module):
    def __init__(self, in_dim):
        super().__init__()
        self.mu = nn.Linear(in_dim, 4)
        self.log_var = nn.Linear(in_dim, 4)

    def forward(self, x):
        return self.mu(x), self.log_var(x)


head = UncertainBoxHead(feats.shape[1])
optimizer = torch.optim.SGD(head.parameters(), lr=0.05)

for step in range(200):
    mu, log_var = head(feats)
    dist = Normal(mu, torch.exp(0.5 * log_var))
    loss = -dist.log_prob(boxes).mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if step % 5 == 0:
        print(f"step {step:3d}  nll {loss.item():.3f}")
'''


def parcels(work: Path):
    import json
    import random
    rnd = random.Random(11)
    objs = [{"features": [round(rnd.uniform(0, 6), 3) for _ in range(32)],
             "bbox": [rnd.randint(0, 500), rnd.randint(0, 400), rnd.randint(30, 200), rnd.randint(30, 200)]}
            for _ in range(64)]
    d = work / "data/parcels"
    d.mkdir(parents=True, exist_ok=True)
    (d / "annotations.json").write_text(json.dumps({"objects": objs}))


SCRIPTS["yolov1-sqrt-wh-loss-anomaly"] = '''
import torch
import torch.nn as nn

torch.manual_seed(0)
S, B, C = 7, 2, 3            # grid, boxes per cell, classes


class YoloV1Loss(nn.Module):
    """Loss from the YOLOv1 paper: sqrt of width / height so small boxes count more."""

    def __init__(self, l_coord=5.0, l_noobj=0.5):
        super().__init__()
        self.l_coord, self.l_noobj = l_coord, l_noobj

    def forward(self, pred, target):
        pred = pred.view(-1, S, S, C + 5 * B)
        obj = target[..., C] == 1
        box_p, box_t = pred[..., C + 1:C + 5], target[..., C + 1:C + 5]
        xy_loss = ((box_p[..., :2] - box_t[..., :2]) ** 2).sum(-1)
        wh_loss = ((torch.sqrt(box_p[..., 2:4]) - torch.sqrt(box_t[..., 2:4])) ** 2).sum(-1)
        conf_loss = (pred[..., C] - target[..., C]) ** 2
        cls_loss = ((pred[..., :C] - target[..., :C]) ** 2).sum(-1)
        loss = (self.l_coord * (xy_loss + wh_loss) + conf_loss + cls_loss)[obj].sum()
        loss = loss + self.l_noobj * (conf_loss[~obj]).sum()
        return loss / pred.shape[0]


model = nn.Sequential(
    nn.Conv2d(3, 16, 3, stride=2, padding=1), nn.LeakyReLU(0.1),
    nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.LeakyReLU(0.1),
    nn.AdaptiveAvgPool2d(S), nn.Flatten(), nn.Linear(32 * S * S, S * S * (C + 5 * B)),
)
images = torch.load("data/yolo_batch.pt")["images"]
targets = torch.load("data/yolo_batch.pt")["targets"]
criterion = YoloV1Loss()
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)

with torch.autograd.detect_anomaly():
    for it in range(50):
        loss = criterion(model(images), targets)
        print(f"iter {it}: loss {loss.item():.4f}")
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
'''


def yolo_batch(work: Path):
    import torch
    g = torch.Generator().manual_seed(0)
    images = torch.rand(4, 3, 112, 112, generator=g)
    targets = torch.zeros(4, 7, 7, 3 + 10)
    for n in range(4):
        for k in range(2):
            i, j = (n + 2 * k) % 7, (3 * n + k) % 7
            targets[n, i, j, (n + k) % 3] = 1
            targets[n, i, j, 3] = 1
            targets[n, i, j, 4:8] = torch.tensor([0.4, 0.6, 0.2 + 0.1 * k, 0.3])
    (work / "data").mkdir(exist_ok=True)
    torch.save({"images": images, "targets": targets}, work / "data/yolo_batch.pt")


SCRIPTS["localizer-nan-boxes-cv2-rectangle"] = '''
import json
import os

import cv2
import numpy as np
import torch
import torch.nn as nn

torch.manual_seed(0)
root = "data/licence_plates"
ann = json.load(open(os.path.join(root, "boxes.json")))
names = sorted(ann)


def load(name):
    img = cv2.imread(os.path.join(root, "images", name))
    img = cv2.resize(img, (128, 128))
    return torch.from_numpy(img).permute(2, 0, 1).float() / 255.0


X = torch.stack([load(n) for n in names])
Y = torch.tensor([ann[n] for n in names], dtype=torch.float32)    # x1, y1, x2, y2 in pixels of the 128x128 image

model = nn.Sequential(
    nn.Conv2d(3, 16, 3, stride=2, padding=1), nn.LeakyReLU(0.1),
    nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.LeakyReLU(0.1),
    nn.AdaptiveAvgPool2d(4), nn.Flatten(), nn.Linear(512, 4),
)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
criterion = nn.MSELoss()

for epoch in range(15):
    for i in range(0, len(X), 4):
        loss = criterion(model(X[i:i + 4]), Y[i:i + 4])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: loss {loss.item():.2f}")

model.eval()
os.makedirs("preview", exist_ok=True)
with torch.no_grad():
    preds = model(X[:4])
for name, box in zip(names[:4], preds.tolist()):
    img = cv2.resize(cv2.imread(os.path.join(root, "images", name)), (128, 128))
    x1, y1, x2, y2 = box
    cv2.rectangle(img, (int(x1), int(y1)), (int(x2), int(y2)), (0, 255, 0), 2)
    cv2.imwrite(os.path.join("preview", name), img)
print("saved previews")
'''


def plates(work: Path):
    import json
    import random
    rnd = random.Random(2)
    names = [f"car_{i:02d}.jpg" for i in range(12)]
    imgs([(f"data/licence_plates/images/{n}", (160, 120), "RGB") for n in names])(work)
    boxes = {}
    for n in names:
        x1, y1 = rnd.randint(10, 70), rnd.randint(40, 90)
        boxes[n] = [x1, y1, x1 + rnd.randint(30, 50), y1 + rnd.randint(10, 20)]
    (work / "data/licence_plates/boxes.json").write_text(json.dumps(boxes))


SCRIPTS["nan-val-loss-best-checkpoint-never-saved"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

torch.manual_seed(0)


class CrowdCounts(Dataset):
    """Crowd counting as regression: image -> number of people."""

    def __init__(self, csv_path):
        self.rows = list(csv.DictReader(open(csv_path)))
        self.tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return self.tf(Image.open(r["image"]).convert("RGB")), torch.tensor([float(r["count"])])


train_dl = DataLoader(CrowdCounts("data/crowd/train.csv"), batch_size=4, shuffle=True)
val_dl = DataLoader(CrowdCounts("data/crowd/val.csv"), batch_size=4)

model = nn.Sequential(
    nn.Conv2d(3, 16, 3, stride=2, padding=1), nn.LeakyReLU(0.1),
    nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.LeakyReLU(0.1),
    nn.AdaptiveAvgPool2d(4), nn.Flatten(), nn.Linear(512, 1),
)
criterion = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)

best_val = float("inf")
for epoch in range(5):
    model.train()
    for x, y in train_dl:
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        val_loss = sum(criterion(model(x), y).item() for x, y in val_dl) / len(val_dl)
    print(f"epoch {epoch + 1}: train_loss={loss.item():.4f} val_loss={val_loss:.4f}")
    if val_loss < best_val:
        best_val = val_loss
        torch.save(model.state_dict(), "best_model.pt")
        print("  saved new best model")

# evaluate the best epoch on the test images
model.load_state_dict(torch.load("best_model.pt"))
'''


def crowd(work: Path):
    import random
    rnd = random.Random(4)
    specs = []
    for split, n in (("train", 12), ("val", 4)):
        lines = ["image,count"]
        for i in range(n):
            name = f"data/crowd/{split}/frame_{i:04d}.jpg"
            specs.append((name, (128, 96), "RGB"))
            lines.append(f"{name},{rnd.randint(20, 400)}")
        (work / "data/crowd").mkdir(parents=True, exist_ok=True)
        (work / f"data/crowd/{split}.csv").write_text("\n".join(lines) + "\n")
    imgs(specs)(work)


# ============================================================================ autograd misuse

SCRIPTS["features-cached-under-inference-mode"] = '''
import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

torch.manual_seed(0)
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
ds = datasets.ImageFolder("data/flowers", tf)
loader = DataLoader(ds, batch_size=4)

backbone = torchvision.models.resnet18(weights=None)
backbone.fc = nn.Identity()
backbone.eval()

# the backbone is frozen, so compute its features once and only train a linear probe
cached = []
with torch.inference_mode():
    for x, y in loader:
        cached.append((backbone(x), y))
print("cached", len(cached), "batches of features")

probe = nn.Linear(512, len(ds.classes))
optimizer = torch.optim.Adam(probe.parameters(), lr=1e-3)
for epoch in range(20):
    for feats, labels in cached:
        loss = nn.functional.cross_entropy(probe(feats), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

SCRIPTS["maml-inner-grad-leftover-layer"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.func import functional_call

torch.manual_seed(0)


class ConvNet(nn.Module):
    def __init__(self, n_way):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
        )
        self.classifier = nn.Linear(32, 64)     # head of the 64-class pre-training run
        self.head = nn.Linear(32, n_way)        # few-shot head

    def forward(self, x):
        return self.head(self.features(x).flatten(1))


model = ConvNet(n_way=5)
model.load_state_dict(torch.load("pretrained_miniimagenet.pt"), strict=False)
meta_opt = torch.optim.Adam(model.parameters(), lr=1e-3)
inner_lr = 0.4

tasks = torch.load("tasks.pt")
for step, (xs, ys, xq, yq) in enumerate(tasks):
    params = dict(model.named_parameters())
    support_loss = F.cross_entropy(functional_call(model, params, (xs,)), ys)
    grads = torch.autograd.grad(support_loss, params.values(), create_graph=True)
    fast = {name: p - inner_lr * g for (name, p), g in zip(params.items(), grads)}
    query_loss = F.cross_entropy(functional_call(model, fast, (xq,)), yq)
    meta_opt.zero_grad()
    query_loss.backward()
    meta_opt.step()
    print(f"meta step {step}: query loss {query_loss.item():.3f}")
'''


def maml_files(work: Path):
    import torch
    import torch.nn as nn
    torch.manual_seed(0)
    feats = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(32, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.AdaptiveAvgPool2d(1))
    sd = {f"features.{k}": v for k, v in feats.state_dict().items()}
    sd.update({f"classifier.{k}": v for k, v in nn.Linear(32, 64).state_dict().items()})
    torch.save(sd, work / "pretrained_miniimagenet.pt")
    tasks = [(torch.rand(5, 3, 32, 32), torch.arange(5), torch.rand(10, 3, 32, 32), torch.arange(5).repeat(2))
             for _ in range(3)]
    torch.save(tasks, work / "tasks.pt")


SCRIPTS["backbone-output-requires-grad-false"] = '''
import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

torch.manual_seed(0)
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
ds = datasets.ImageFolder("data/defects", tf)
loader = DataLoader(ds, batch_size=4, shuffle=True)

backbone = torchvision.models.mobilenet_v3_small(weights=None).features
head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(576, len(ds.classes)))
optimizer = torch.optim.SGD(head.parameters(), lr=0.01)

for epoch in range(3):
    for x, y in loader:
        feats = backbone(x)
        feats.requires_grad = False        # keep the backbone frozen
        loss = nn.functional.cross_entropy(head(feats), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

SCRIPTS["scratch-weights-scaled-nonleaf-in-optimizer"] = '''
import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

# logistic regression "from scratch" on the digit images
ds = datasets.ImageFolder("data/digits", transforms.Compose([transforms.Grayscale(), transforms.ToTensor()]))
loader = DataLoader(ds, batch_size=10, shuffle=True)

W = torch.randn(28 * 28, 10, requires_grad=True) * 0.01
b = torch.zeros(10, requires_grad=True)
optimizer = torch.optim.SGD([W, b], lr=0.1)

for epoch in range(5):
    for x, y in loader:
        logits = x.view(x.shape[0], -1) @ W + b
        loss = F.cross_entropy(logits, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

SCRATCH_MANUAL_CELLS = [
    '''
    import torch
    import torch.nn.functional as F
    from torchvision import datasets, transforms

    ds = datasets.ImageFolder("data/digits", transforms.Compose([transforms.Grayscale(), transforms.ToTensor()]))
    X = torch.stack([x.view(-1) for x, _ in ds])
    y = torch.tensor(ds.targets)
    X.shape, y.shape
    ''',
    '''
    # Xavier-ish init
    W1 = torch.randn(784, 64, requires_grad=True) / 784 ** 0.5
    b1 = torch.zeros(64, requires_grad=True)
    W2 = torch.randn(64, 10, requires_grad=True) / 64 ** 0.5
    b2 = torch.zeros(10, requires_grad=True)
    params = [W1, b1, W2, b2]
    lr = 0.5
    ''',
    '''
    for epoch in range(10):
        h = torch.relu(X @ W1 + b1)
        loss = F.cross_entropy(h @ W2 + b2, y)
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= lr * p.grad
                p.grad.zero_()
        print(epoch, round(loss.item(), 4))
    ''',
]

SCRIPTS["multilabel-thresholds-int-parameter"] = '''
import torch
import torch.nn as nn
import torchvision

torch.manual_seed(0)
TAGS = ["clouds", "water", "road", "forest"]


class TaggerWithThresholds(nn.Module):
    """Multi-label tagger that learns one decision threshold per tag."""

    def __init__(self, n_tags):
        super().__init__()
        self.net = torchvision.models.resnet18(weights=None, num_classes=n_tags)
        self.thresholds = nn.Parameter(torch.tensor([0, 0, 0, 0]))   # start at logit 0 (p = 0.5)

    def forward(self, x):
        return self.net(x) - self.thresholds


model = TaggerWithThresholds(len(TAGS))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
x, y = torch.rand(4, 3, 64, 64), torch.randint(0, 2, (4, len(TAGS))).float()
loss = nn.functional.binary_cross_entropy_with_logits(model(x), y)
loss.backward()
optimizer.step()
'''

SCRIPTS["straight-through-binarize-grad-count"] = '''
import torch
import torch.nn as nn

torch.manual_seed(0)


class BinarizeSTE(torch.autograd.Function):
    """Hard threshold in the forward pass, identity gradient in the backward pass."""

    @staticmethod
    def forward(ctx, x, threshold):
        return (x > threshold).float()

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output


class BinaryMaskNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 1, 3, padding=1))
        self.threshold = nn.Parameter(torch.tensor(0.0))

    def forward(self, x):
        return BinarizeSTE.apply(torch.sigmoid(self.enc(x)), self.threshold)


net = BinaryMaskNet()
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
images = torch.rand(4, 3, 32, 32)
masks = (torch.rand(4, 1, 32, 32) > 0.5).float()
for step in range(5):
    loss = nn.functional.mse_loss(net(images), masks)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(step, loss.item())
'''

GRADCAM_CELLS = [
    '''
    import torch
    import torch.nn.functional as F
    import torchvision
    from PIL import Image
    from torchvision import transforms

    model = torchvision.models.resnet18(weights=None, num_classes=3)
    model.load_state_dict(torch.load("xray_resnet18.pt"))
    model.eval()
    tf = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor()])
    ''',
    '''
    activations, gradients = {}, {}

    def save_activation(module, inp, out):
        activations["value"] = out
        out.register_hook(lambda g: gradients.__setitem__("value", g))

    model.layer4.register_forward_hook(save_activation)

    @torch.no_grad()
    def predict(path):
        x = tf(Image.open(path).convert("RGB")).unsqueeze(0)
        return model(x)
    ''',
    '''
    logits = predict("samples/patient_017.jpeg")
    cls = logits.argmax(1).item()
    logits[0, cls].backward()
    weights = gradients["value"].mean((2, 3), keepdim=True)
    cam = F.relu((weights * activations["value"]).sum(1))
    ''',
]


def xray_weights(work: Path):
    import torch
    import torchvision
    torch.manual_seed(0)
    torch.save(torchvision.models.resnet18(weights=None, num_classes=3).state_dict(), work / "xray_resnet18.pt")


SCRIPTS["grad-norm-logged-after-zero-grad"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

torch.manual_seed(0)
ds = datasets.ImageFolder("data/fabric", transforms.Compose([transforms.Resize((32, 32)), transforms.ToTensor()]))
loader = DataLoader(ds, batch_size=4, shuffle=True)
model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, len(ds.classes)))
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()


def grad_norm(module):
    """Global L2 norm of the gradients, to watch for exploding gradients."""
    return torch.sqrt(sum(p.grad.norm() ** 2 for p in module.parameters())).item()


for epoch in range(2):
    for step, (x, y) in enumerate(loader):
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        if step % 2 == 0:
            print(f"epoch {epoch} step {step}: loss {loss.item():.4f}  grad-norm {grad_norm(model):.4f}")
'''

SCRIPTS["yolo-head-unbind-sigmoid-inplace"] = '''
import torch
import torch.nn as nn

torch.manual_seed(0)
NUM_CLASSES = 2
ANCHORS = torch.tensor([[10., 14.], [23., 27.], [37., 58.]])


class TinyHead(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1), nn.LeakyReLU(0.1), nn.Conv2d(16, 32, 3, 2, 1), nn.LeakyReLU(0.1))
        self.pred = nn.Conv2d(32, 3 * (5 + NUM_CLASSES), 1)

    def forward(self, x):
        p = self.pred(self.body(x))
        n, _, h, w = p.shape
        return p.view(n, 3, 5 + NUM_CLASSES, h, w).permute(0, 1, 3, 4, 2)


def decode(p):
    tx, ty, tw, th, obj = p[..., :5].unbind(-1)
    tx.sigmoid_()
    ty.sigmoid_()
    obj.sigmoid_()
    return tx, ty, torch.exp(tw) * ANCHORS[:, 0].view(1, 3, 1, 1), torch.exp(th) * ANCHORS[:, 1].view(1, 3, 1, 1), obj


model = TinyHead()
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3)
images = torch.rand(2, 3, 64, 64)
obj_target = torch.zeros(2, 3, 16, 16)
obj_target[0, 1, 5, 7] = 1
x, y, w, h, obj = decode(model(images))
loss = nn.functional.binary_cross_entropy(obj, obj_target)
loss.backward()
optimizer.step()
'''


# ============================================================================ checkpoints

SCRIPTS["lightning-checkpoint-model-prefix"] = '''
import torch
import torchvision

# the checkpoint written by the Lightning run (LitClassifier keeps the network as self.model)
ckpt = torch.load("lightning_logs/version_3/checkpoints/epoch=11-step=1464.ckpt", map_location="cpu")
print(sorted(ckpt.keys()))

model = torchvision.models.resnet18(weights=None, num_classes=4)
model.load_state_dict(ckpt["state_dict"])
model.eval()
print("loaded")
'''


def lightning_ckpt(work: Path):
    import torch
    import torchvision
    torch.manual_seed(0)
    net = torchvision.models.resnet18(weights=None, num_classes=4)
    sd = {f"model.{k}": v for k, v in net.state_dict().items()}
    d = work / "lightning_logs/version_3/checkpoints"
    d.mkdir(parents=True, exist_ok=True)
    torch.save({"epoch": 11, "global_step": 1464, "pytorch-lightning_version": "2.4.0", "state_dict": sd,
                "loops": {}, "callbacks": {}, "optimizer_states": [], "lr_schedulers": [],
                "hparams_name": "kwargs", "hyper_parameters": {"lr": 0.001, "num_classes": 4}},
               d / "epoch=11-step=1464.ckpt")


SCRIPTS["swa-averaged-model-into-plain"] = '''
import torch
import torch.nn as nn
from torch.optim.swa_utils import SWALR, AveragedModel

torch.manual_seed(0)


def make_model():
    return nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 5))


# --- train.py: a few epochs with stochastic weight averaging at the end
model = make_model()
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
swa_model = AveragedModel(model)
swa_scheduler = SWALR(optimizer, swa_lr=0.01)
x, y = torch.rand(16, 3, 32, 32), torch.randint(0, 5, (16,))
for epoch in range(4):
    loss = nn.functional.cross_entropy(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if epoch >= 2:
        swa_model.update_parameters(model)
        swa_scheduler.step()
torch.save(swa_model.state_dict(), "swa_final.pth")

# --- predict.py
net = make_model()
net.load_state_dict(torch.load("swa_final.pth"))
net.eval()
'''

SCRIPTS["vit-finetuned-at-other-resolution"] = '''
import torch
from torchvision.models.vision_transformer import VisionTransformer

# small ViT trained at 224 px by train.py
CFG = dict(patch_size=16, num_layers=4, num_heads=4, hidden_dim=128, mlp_dim=256, num_classes=6)
torch.save(VisionTransformer(image_size=224, **CFG).state_dict(), "vit_small_224.pth")

# fine-tune at a higher resolution for the small defects
model = VisionTransformer(image_size=384, **CFG)
model.load_state_dict(torch.load("vit_small_224.pth"))
'''

SCRIPTS["keras-kernels-copied-without-transpose"] = '''
import numpy as np
import torch
import torch.nn as nn


class SmallCNN(nn.Module):
    """PyTorch port of the Keras model (Conv2D 32 -> MaxPool -> Conv2D 64 -> GAP -> Dense 128 -> Dense 10)."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 32, 3, padding=1)
        self.conv2 = nn.Conv2d(32, 64, 3, padding=1)
        self.fc1 = nn.Linear(64, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = nn.functional.max_pool2d(torch.relu(self.conv1(x)), 2)
        x = torch.relu(self.conv2(x)).mean((2, 3))
        return self.fc2(torch.relu(self.fc1(x)))


# weights exported from Keras with np.savez(**{w.name: w.numpy() for w in model.weights})
keras = np.load("keras_weights.npz")
mapping = {"conv1": "conv2d", "conv2": "conv2d_1", "fc1": "dense", "fc2": "dense_1"}
state = {}
for torch_name, keras_name in mapping.items():
    state[f"{torch_name}.weight"] = torch.from_numpy(keras[f"{keras_name}/kernel"])
    state[f"{torch_name}.bias"] = torch.from_numpy(keras[f"{keras_name}/bias"])

model = SmallCNN()
model.load_state_dict(state)
'''


def keras_npz(work: Path):
    import numpy as np
    rng = np.random.default_rng(0)
    shapes = {"conv2d/kernel": (3, 3, 3, 32), "conv2d/bias": (32,), "conv2d_1/kernel": (3, 3, 32, 64),
              "conv2d_1/bias": (64,), "dense/kernel": (64, 128), "dense/bias": (128,),
              "dense_1/kernel": (128, 10), "dense_1/bias": (10,)}
    np.savez(work / "keras_weights.npz", **{k: rng.standard_normal(s).astype(np.float32) for k, s in shapes.items()})


SCRIPTS["checkpoint-with-argparse-namespace-weights-only"] = '''
import argparse

import torch
import torch.nn as nn


def build(num_classes):
    return nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                         nn.Flatten(), nn.Linear(16, num_classes))


parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=3)
parser.add_argument("--lr", type=float, default=0.01)
parser.add_argument("--num-classes", type=int, default=4)
parser.add_argument("--resume", default="")
opt = parser.parse_args()

model = build(opt.num_classes)
optimizer = torch.optim.SGD(model.parameters(), lr=opt.lr)
start_epoch = 0
if opt.resume:
    ckpt = torch.load(opt.resume, map_location="cpu")
    model.load_state_dict(ckpt["model"])
    optimizer.load_state_dict(ckpt["optimizer"])
    start_epoch = ckpt["epoch"] + 1
    print(f"resumed from {opt.resume} (epoch {ckpt['epoch']})")

x, y = torch.rand(8, 3, 32, 32), torch.randint(0, opt.num_classes, (8,))
for epoch in range(start_epoch, opt.epochs):
    loss = nn.functional.cross_entropy(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
    torch.save({"epoch": epoch, "model": model.state_dict(), "optimizer": optimizer.state_dict(), "opt": opt},
               "last.pt")
'''


# ============================================================================ heads and losses

SCRIPTS["binary-one-logit-crossentropy"] = '''
import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

torch.manual_seed(0)
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("data/cats_vs_dogs/train", tf)
loader = DataLoader(train_ds, batch_size=8, shuffle=True)

model = torchvision.models.resnet18(weights=None)
model.fc = nn.Linear(model.fc.in_features, 1)     # binary problem -> one output
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)

for epoch in range(3):
    for images, labels in loader:
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

SCRIPTS["efficientnet-fc-attribute-never-used"] = '''
import csv

import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

torch.manual_seed(0)
TAGS = ["agriculture", "clear", "cloudy", "road", "water"]


class SatelliteTags(Dataset):
    def __init__(self, csv_path, tf):
        self.rows = list(csv.DictReader(open(csv_path)))
        self.tf = tf

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        target = torch.zeros(len(TAGS))
        for t in r["tags"].split():
            target[TAGS.index(t)] = 1.0
        img = Image.open(f"data/planet/train-jpg/{r['image_name']}.jpg").convert("RGB")
        return self.tf(img), target


tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
loader = DataLoader(SatelliteTags("data/planet/train_classes.csv", tf), batch_size=4, shuffle=True)

model = torchvision.models.efficientnet_b0(weights=None)
model.fc = nn.Linear(1280, len(TAGS))              # new multi-label head
criterion = nn.BCEWithLogitsLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(3):
    for images, targets in loader:
        optimizer.zero_grad()
        loss = criterion(model(images), targets)
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''


def planet(work: Path):
    combos = ["clear agriculture", "cloudy", "clear road water", "clear water", "agriculture road clear", "cloudy water"]
    names = [f"train_{i}" for i in range(8)]
    imgs([(f"data/planet/train-jpg/{n}.jpg", (64, 64), "RGB") for n in names])(work)
    (work / "data/planet/train_classes.csv").write_text(
        "image_name,tags\n" + "".join(f"{n},{combos[i % len(combos)]}\n" for i, n in enumerate(names)))


SCRIPTS["three-unit-head-regressing-one-value"] = '''
import csv

import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

torch.manual_seed(0)
NUM_CLASSES = 3   # left from the age-group classifier this script started as


class FaceAges(Dataset):
    def __init__(self, csv_path, tf):
        self.rows = list(csv.DictReader(open(csv_path)))
        self.tf = tf

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return self.tf(Image.open(r["path"]).convert("RGB")), torch.tensor(float(r["age"]))


tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
loader = DataLoader(FaceAges("data/faces/ages.csv", tf), batch_size=8, shuffle=True)
model = torchvision.models.resnet18(weights=None)
model.fc = nn.Linear(model.fc.in_features, NUM_CLASSES)
criterion = nn.MSELoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for images, ages in loader:
    optimizer.zero_grad()
    loss = criterion(model(images), ages)
    loss.backward()
    optimizer.step()
    print(f"mse {loss.item():.2f}")
'''


def face_ages(work: Path):
    names = [f"data/faces/img_{i:03d}.jpg" for i in range(16)]
    imgs([(n, (70, 80), "RGB") for n in names])(work)
    (work / "data/faces/ages.csv").write_text(
        "path,age\n" + "".join(f"{n},{18 + 3 * i}\n" for i, n in enumerate(names)))


CLS_LOOP = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

torch.manual_seed(0)
tf = transforms.Compose([transforms.Resize((32, 32)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("@@ROOT@@", tf)
loader = DataLoader(train_ds, batch_size=@@BS@@, shuffle=@@SHUFFLE@@)
model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(4), nn.Flatten(),
                      nn.Linear(16 * 16, @@OUT@@))
@@CRIT@@
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(3):
    running = 0.0
    for images, labels in loader:
        optimizer.zero_grad()
        outputs = model(images)
@@LOSS@@
        loss.backward()
        optimizer.step()
        running += loss.item()
    print(f"epoch {epoch}: {running / len(loader):.4f}")
'''


def cls_loop(root, out, crit, loss, bs="8", shuffle="True"):
    return sub(CLS_LOOP, ROOT=root, OUT=out, CRIT=crit, LOSS=loss, BS=bs, SHUFFLE=shuffle)


SCRIPTS["crossentropy-arguments-swapped"] = cls_loop(
    "data/weather/train", "len(train_ds.classes)", "criterion = nn.CrossEntropyLoss()",
    "        loss = criterion(labels, outputs)")

SCRIPTS["bce-with-logits-arguments-swapped"] = cls_loop(
    "data/pneumonia/train", "1", "criterion = nn.BCEWithLogitsLoss()",
    "        loss = criterion(labels, outputs.squeeze(1))")

SCRIPTS["bce-with-logits-long-targets"] = cls_loop(
    "data/hotdog/train", "1", "criterion = nn.BCEWithLogitsLoss()",
    "        loss = criterion(outputs.squeeze(1), labels)")

SCRIPTS["bce-squeeze-last-batch-of-one"] = cls_loop(
    "data/ships/train", "1", "criterion = nn.BCEWithLogitsLoss()",
    "        loss = criterion(outputs.squeeze(), labels.float())", bs="8", shuffle="False")

SCRIPTS["crossentropy-one-hot-long-targets"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

torch.manual_seed(0)
tf = transforms.Compose([transforms.Resize((32, 32)), transforms.ToTensor()])
NUM_CLASSES = 4
# one-hot labels, like the Keras version of this notebook used
train_ds = datasets.ImageFolder("data/blood_cells/train", tf,
                                target_transform=lambda y: F.one_hot(torch.tensor(y), NUM_CLASSES))
loader = DataLoader(train_ds, batch_size=8, shuffle=True)
model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(4), nn.Flatten(),
                      nn.Linear(256, NUM_CLASSES))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(2):
    for images, labels in loader:
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

SCRIPTS["nllloss-target-column-2d"] = '''
import csv

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

# image features exported to CSV: f0..f63 then the label
with open("data/sign_features.csv") as f:
    rows = np.array([[float(v) for v in r] for r in list(csv.reader(f))[1:]], dtype=np.float32)
X = torch.from_numpy(rows[:, :-1])
y = torch.from_numpy(rows[:, [-1]]).long()
loader = DataLoader(TensorDataset(X, y), batch_size=16, shuffle=True)


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(64, 128)
        self.fc2 = nn.Linear(128, 6)

    def forward(self, x):
        return F.log_softmax(self.fc2(F.relu(self.fc1(x))), dim=1)


model = MLP()
criterion = nn.NLLLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
for epoch in range(5):
    for xb, yb in loader:
        optimizer.zero_grad()
        loss = criterion(model(xb), yb)
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''


def sign_features(work: Path):
    import random
    rnd = random.Random(1)
    lines = [",".join([f"f{i}" for i in range(64)] + ["label"])]
    for k in range(48):
        lines.append(",".join([f"{rnd.random():.4f}" for _ in range(64)] + [str(k % 6)]))
    (work / "data").mkdir(exist_ok=True)
    (work / "data/sign_features.csv").write_text("\n".join(lines) + "\n")


POS_WEIGHT_CELLS = [
    '''
    import torch
    import torch.nn as nn
    from torch.utils.data import DataLoader
    from torchvision import datasets, transforms

    tf = transforms.Compose([transforms.Resize((32, 32)), transforms.ToTensor()])
    train_ds = datasets.ImageFolder("data/fraud_docs/train", tf)
    n_pos = sum(t == 1 for t in train_ds.targets)
    n_neg = len(train_ds) - n_pos
    print(train_ds.class_to_idx, n_neg, n_pos)
    ''',
    '''
    model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 1))
    # the positive class is rare: weight it by the imbalance ratio
    criterion = nn.BCEWithLogitsLoss(pos_weight=n_neg / n_pos)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    ''',
]


# ============================================================================ optimizers / schedulers

WARMUP_CELLS = [
    '''
    import torch
    import torch.nn as nn
    import torchvision

    model = torchvision.models.resnet18(weights=None, num_classes=10)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    base_lr, warmup_steps = 0.1, 5
    x, y = torch.rand(4, 3, 32, 32), torch.randint(0, 10, (4,))
    ''',
    '''
    for step in range(20):
        if step < warmup_steps:
            optimizer.param_groups["lr"] = base_lr * (step + 1) / warmup_steps
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        print(step, optimizer.param_groups[0]["lr"], loss.item())
    ''',
]

OPTIM_BASE = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

torch.manual_seed(0)
tf = transforms.Compose([transforms.Resize((32, 32)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("data/textures/train", tf)
loader = DataLoader(train_ds, batch_size=4, shuffle=True)
model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                      nn.Linear(16, len(train_ds.classes)))
criterion = nn.CrossEntropyLoss()
EPOCHS = @@EPOCHS@@
@@OPT@@

for epoch in range(EPOCHS):
    for images, labels in loader:
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
    scheduler.step()
    print(f"epoch {epoch}: loss {loss.item():.4f} lr {scheduler.get_last_lr()[0]:.5f}")
'''


def optim_script(opt, epochs="10"):
    return sub(OPTIM_BASE, OPT=opt.strip("\n"), EPOCHS=epochs)


SCRIPTS["sgd-nesterov-without-momentum"] = optim_script('''
# settings from the paper: SGD with Nesterov, lr 0.1, wd 5e-4
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, weight_decay=5e-4, nesterov=True)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=3, gamma=0.1)
''')

SCRIPTS["cosine-tmax-from-integer-division"] = optim_script('''
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
# restart the cosine ten times over the run
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=EPOCHS // 10, eta_min=1e-6)
''', epochs="8")

SCRIPTS["multisteplr-single-milestone-int"] = optim_script('''
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
scheduler = torch.optim.lr_scheduler.MultiStepLR(optimizer, milestones=6, gamma=0.1)
''')

SCRIPTS["lambdalr-given-decay-factor"] = optim_script('''
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda=0.95)   # lr *= 0.95 each epoch
''')

SCRIPTS["gan-steplr-given-both-optimizers"] = '''
import torch
import torch.nn as nn

torch.manual_seed(0)
Z = 16
G = nn.Sequential(nn.Linear(Z, 128), nn.ReLU(), nn.Linear(128, 3 * 16 * 16), nn.Tanh())
D = nn.Sequential(nn.Linear(3 * 16 * 16, 128), nn.LeakyReLU(0.2), nn.Linear(128, 1))
opt_g = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
opt_d = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
# decay both learning rates together
scheduler = torch.optim.lr_scheduler.StepLR([opt_g, opt_d], step_size=10, gamma=0.5)

bce = nn.BCEWithLogitsLoss()
real = torch.rand(32, 3 * 16 * 16) * 2 - 1
for epoch in range(30):
    fake = G(torch.randn(32, Z))
    d_loss = bce(D(real), torch.ones(32, 1)) + bce(D(fake.detach()), torch.zeros(32, 1))
    opt_d.zero_grad(); d_loss.backward(); opt_d.step()
    g_loss = bce(D(fake), torch.ones(32, 1))
    opt_g.zero_grad(); g_loss.backward(); opt_g.step()
    scheduler.step()
'''


# ============================================================================ ImageAI 3

IAI = {}

IAI["det-train-data-directory-list"] = '''
from imageai.Detection.Custom import DetectionModelTrainer

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory=["hardhat/train", "hardhat/validation"])
trainer.setTrainConfig(object_names_array=["helmet", "head"], batch_size=4, num_experiments=5)
trainer.trainModel()
'''

IAI["det-train-pretrained-true"] = '''
from imageai.Detection.Custom import DetectionModelTrainer

trainer = DetectionModelTrainer()
trainer.setModelTypeAsYOLOv3()
trainer.setDataDirectory(data_directory="hardhat")
trainer.setTrainConfig(object_names_array=["helmet", "head"], batch_size=4, num_experiments=5,
                       train_from_pretrained_model=True)
trainer.trainModel()
'''

SAVE_TINY = '''
import json
import torch
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny

# files written by the DetectionModelTrainer run
anchors = [10, 14, 23, 27, 37, 58, 81, 82, 135, 169, 344, 319]
torch.save(YoloV3Tiny(anchors=anchors, num_classes=2).state_dict(), "hardhat/models/tiny-yolov3_hardhat_mAP-0.52_epoch-40.pt")
json.dump({"labels": ["helmet", "head"], "anchors": anchors}, open("hardhat/json/hardhat_tiny-yolov3_detection_config.json", "w"))
'''

IAI["detect-load-model-before-json-path"] = '''
from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("hardhat/models/tiny-yolov3_hardhat_mAP-0.52_epoch-40.pt")
detector.loadModel()
detector.setJsonPath("hardhat/json/hardhat_tiny-yolov3_detection_config.json")
detections = detector.detectObjectsFromImage(input_image="site_photo.jpg", output_image_path="site_photo_detected.jpg")
for d in detections:
    print(d["name"], d["percentage_probability"], d["box_points"])
'''

IAI["detect-json-config-given-as-dict"] = '''
import json

from imageai.Detection.Custom import CustomObjectDetection

with open("hardhat/json/hardhat_tiny-yolov3_detection_config.json") as f:
    config = json.load(f)
print("classes:", config["labels"])

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("hardhat/models/tiny-yolov3_hardhat_mAP-0.52_epoch-40.pt")
detector.setJsonPath(config)
detector.loadModel()
detections = detector.detectObjectsFromImage(input_image="site_photo.jpg", output_image_path="site_photo_detected.jpg")
'''

IAI_DETECT_TENSOR_CELLS = [
    '''
    from imageai.Detection.Custom import CustomObjectDetection
    from torchvision.io import read_image

    detector = CustomObjectDetection()
    detector.setModelTypeAsTinyYOLOv3()
    detector.setModelPath("hardhat/models/tiny-yolov3_hardhat_mAP-0.52_epoch-40.pt")
    detector.setJsonPath("hardhat/json/hardhat_tiny-yolov3_detection_config.json")
    detector.loadModel()
    ''',
    '''
    frame = read_image("site_photo.jpg")      # the same decoding as in the training dataset
    frame.shape, frame.dtype
    ''',
    '''
    detections = detector.detectObjectsFromImage(input_image=frame, output_type="array",
                                                 minimum_percentage_probability=30)
    ''',
]

IAI["cls-transfer-from-weights-enum"] = '''
from torchvision.models import MobileNet_V2_Weights
from imageai.Classification.Custom import ClassificationModelTrainer

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("pets")
trainer.trainModel(num_experiments=2, batch_size=4,
                   transfer_from_model=MobileNet_V2_Weights.IMAGENET1K_V1)
'''

SAVE_CLS = '''
import json
import torch
import torchvision

# files written by the ClassificationModelTrainer run
torch.save(torchvision.models.mobilenet_v2(num_classes=2).state_dict(), "pets/models/mobilenet_v2-pets-test_acc_0.87500_epoch-7.pt")
json.dump({"0": "cat", "1": "dog"}, open("pets/models/pets_model_classes.json", "w"))
'''

IAI["cls-load-model-before-json-path"] = '''
from imageai.Classification.Custom import CustomImageClassification

prediction = CustomImageClassification()
prediction.setModelTypeAsMobileNetV2()
prediction.setModelPath("pets/models/mobilenet_v2-pets-test_acc_0.87500_epoch-7.pt")
prediction.loadModel()
prediction.setJsonPath("pets/models/pets_model_classes.json")
predictions, probabilities = prediction.classifyImage("pets/test/cat/cat.0.jpg", result_count=2)
for name, prob in zip(predictions, probabilities):
    print(name, ":", prob)
'''

IAI_CLS_MODEL_OBJECT_CELLS = [
    '''
    import torch
    import torchvision
    from imageai.Classification.Custom import CustomImageClassification

    # fine-tuned earlier in this notebook
    model = torchvision.models.mobilenet_v2(num_classes=2)
    model.load_state_dict(torch.load("pets/models/mobilenet_v2-pets-test_acc_0.87500_epoch-7.pt"))
    model.eval();
    ''',
    '''
    prediction = CustomImageClassification()
    prediction.setModelTypeAsMobileNetV2()
    prediction.setModelPath(model)
    prediction.setJsonPath("pets/models/pets_model_classes.json")
    prediction.loadModel()
    ''',
]

IAI["cls-predict-whole-pickled-model"] = '''
import json

import torch
import torchvision
from imageai.Classification.Custom import CustomImageClassification

# train_pets.py (plain PyTorch) ended with torch.save(model, ...)
model = torchvision.models.mobilenet_v2(num_classes=2)
torch.save(model, "pets/models/mobilenet_v2_pets_full.pth")
json.dump({"0": "cat", "1": "dog"}, open("pets/models/pets_model_classes.json", "w"))

prediction = CustomImageClassification()
prediction.setModelTypeAsMobileNetV2()
prediction.setModelPath("pets/models/mobilenet_v2_pets_full.pth")
prediction.setJsonPath("pets/models/pets_model_classes.json")
prediction.loadModel()
print(prediction.classifyImage("pets/test/dog/dog.0.jpg", result_count=2))
'''


def hardhat(work: Path, with_models=False):
    specs = []
    for split, n in (("train", 4), ("validation", 2)):
        (work / "hardhat" / split / "annotations").mkdir(parents=True, exist_ok=True)
        for i in range(n):
            stem = f"hh_{i:03d}" if split == "train" else f"hh_{100 + i:03d}"
            specs.append((f"hardhat/{split}/images/{stem}.jpg", (120, 96), "RGB"))
            (work / "hardhat" / split / "annotations" / f"{stem}.txt").write_text(
                f"0 {0.3 + 0.05 * i:.2f} 0.40 0.20 0.25\n1 0.70 {0.5 + 0.03 * i:.2f} 0.15 0.20\n")
    specs.append(("site_photo.jpg", (160, 120), "RGB"))
    imgs(specs)(work)
    if with_models:
        (work / "hardhat/models").mkdir(exist_ok=True)
        (work / "hardhat/json").mkdir(exist_ok=True)
        run_py(SAVE_TINY)(work)


def run_py(code):
    """A setup step that runs `code` with the torch venv in the work dir (files an earlier run wrote)."""
    def run(work: Path):
        import subprocess
        import textwrap
        from _record import torch_python
        subprocess.run([torch_python(), "-c", textwrap.dedent(code)], cwd=work, check=True,
                       env={"PATH": "/usr/bin:/bin", "OMP_NUM_THREADS": "2"})
    return run


def pets(work: Path, with_models=False):
    specs = []
    for split in ("train", "test"):
        for c in ("cat", "dog"):
            specs += [(f"pets/{split}/{c}/{c}.{i}.jpg", (64, 64), "RGB") for i in range(2)]
    imgs(specs)(work)
    (work / "pets/models").mkdir(exist_ok=True)
    if with_models:
        run_py(SAVE_CLS)(work)


def cases():
    out, add, script, _ = case_builders("torch-more12-", SCRIPTS)

    def notebook(name, cause, cells, forms=("ipython_cell", "ipython_arrows"), **kw):
        add(name, cause, nb([c.strip("\n") for c in map(_dedent, cells)]), forms=forms,
            argv=["nb_runner.py"], home_is_project=True, **kw)

    def iai(key, cause, forms=("cpython_basic",), **kw):
        kw.setdefault("framework", "imageai")
        kw.setdefault("timeout", 600)
        add("imageai-" + key, cause, {"train.py": IAI[key]}, forms=forms, **kw)

    def folders(root, classes, per=4, size=(48, 48), mode="RGB", extra=()):
        return imgs(class_folder(root, classes, per, size=size, mode=mode) + list(extra))

    # divergence -------------------------------------------------------------------------------
    script("anomaly-cnn-raw-pixels-high-lr", "optim.divergence",
           setup=folders("data/leaves/train", ("healthy", "rust", "scab"), per=4, size=(80, 64)))
    add("frcnn-reference-engine-loss-is-nan", "optim.divergence",
        {"train.py": SCRIPTS["frcnn-reference-engine-loss-is-nan"], "engine.py": FRCNN_ENGINE, "utils.py": FRCNN_UTILS},
        forms=["standalone_exception"], setup=road_damage, exception="SystemExit", timeout=900)
    notebook("keypoints-pixel-targets-isfinite-notebook", "optim.divergence", KEYPOINT_CELLS,
             forms=["ipython_cell", "ipython_arrows", "progress_bars"], setup=facial_keypoints)
    script("heteroscedastic-box-head-normal-nan", "optim.divergence", setup=parcels)
    script("yolov1-sqrt-wh-loss-anomaly", "optim.divergence", setup=yolo_batch)
    script("localizer-nan-boxes-cv2-rectangle", "optim.divergence", setup=plates)
    script("nan-val-loss-best-checkpoint-never-saved", "optim.divergence", setup=crowd)

    # autograd ---------------------------------------------------------------------------------
    script("features-cached-under-inference-mode", "optim.autograd_graph",
           setup=folders("data/flowers", ("daisy", "rose", "tulip"), per=3))
    script("maml-inner-grad-leftover-layer", "optim.autograd_graph", setup=maml_files)
    script("backbone-output-requires-grad-false", "optim.autograd_graph",
           setup=folders("data/defects", ("ok", "scratch"), per=3))
    script("scratch-weights-scaled-nonleaf-in-optimizer", "optim.autograd_graph",
           setup=folders("data/digits", [str(d) for d in range(10)], per=2, size=(28, 28), mode="L"))
    notebook("scratch-manual-update-nonleaf-grad-none-notebook", "optim.autograd_graph", SCRATCH_MANUAL_CELLS,
             setup=folders("data/digits", [str(d) for d in range(10)], per=2, size=(28, 28), mode="L"))
    script("multilabel-thresholds-int-parameter", "optim.autograd_graph", also=["data.dtype"])
    script("straight-through-binarize-grad-count", "optim.autograd_graph")
    notebook("gradcam-hook-under-no-grad-notebook", "optim.autograd_graph", GRADCAM_CELLS,
             setup=both(xray_weights, imgs([("samples/patient_017.jpeg", (120, 110), "L")])))
    script("grad-norm-logged-after-zero-grad", "optim.autograd_graph",
           setup=folders("data/fabric", ("good", "hole", "stain"), per=3))
    script("yolo-head-unbind-sigmoid-inplace", "optim.autograd_graph")

    # checkpoints ------------------------------------------------------------------------------
    script("lightning-checkpoint-model-prefix", "model.weights_mismatch", setup=lightning_ckpt)
    script("swa-averaged-model-into-plain", "model.weights_mismatch")
    script("vit-finetuned-at-other-resolution", "model.weights_mismatch")
    script("keras-kernels-copied-without-transpose", "model.weights_mismatch", setup=keras_npz)
    add("checkpoint-with-argparse-namespace-weights-only", "env.version_incompat",
        {"train.py": SCRIPTS["checkpoint-with-argparse-namespace-weights-only"]},
        argv=["train.py", "--epochs", "6", "--resume", "last.pt"], also=["model.weights_mismatch"],
        setup=run_py(SCRIPTS["checkpoint-with-argparse-namespace-weights-only"].replace(
            "opt = parser.parse_args()", "opt = parser.parse_args([])")))

    # heads and losses -------------------------------------------------------------------------
    script("binary-one-logit-crossentropy", "model.output_mismatch",
           setup=folders("data/cats_vs_dogs/train", ("cat", "dog"), per=4))
    script("efficientnet-fc-attribute-never-used", "model.output_mismatch", also=["model.api_misuse"], setup=planet)
    script("three-unit-head-regressing-one-value", "model.output_mismatch", setup=face_ages)
    script("crossentropy-arguments-swapped", "model.api_misuse",
           setup=folders("data/weather/train", ("cloudy", "rain", "shine", "sunrise"), per=3))
    script("bce-with-logits-arguments-swapped", "model.api_misuse",
           setup=folders("data/pneumonia/train", ("NORMAL", "PNEUMONIA"), per=4, mode="L"))
    script("bce-with-logits-long-targets", "data.dtype",
           setup=folders("data/hotdog/train", ("hot_dog", "not_hot_dog"), per=4))
    script("bce-squeeze-last-batch-of-one", "data.label_shape",
           setup=folders("data/ships/train", ("no_ship", "ship"), per=4,
                         extra=[("data/ships/train/ship/ship_extra.jpg", (48, 48), "RGB")]))
    script("crossentropy-one-hot-long-targets", "data.label_shape",
           setup=folders("data/blood_cells/train", ("eosinophil", "lymphocyte", "monocyte", "neutrophil"), per=3))
    script("nllloss-target-column-2d", "data.label_shape", setup=sign_features)
    notebook("bce-pos-weight-float-notebook", "model.api_misuse", POS_WEIGHT_CELLS,
             setup=folders("data/fraud_docs/train", ("genuine", "forged"), per=3))

    # optimizers / schedulers ------------------------------------------------------------------
    notebook("warmup-param-groups-indexed-by-key-notebook", "model.api_misuse", WARMUP_CELLS)
    tex = folders("data/textures/train", ("bumpy", "striped", "woven"), per=3)
    script("sgd-nesterov-without-momentum", "model.api_misuse", setup=tex)
    script("cosine-tmax-from-integer-division", "model.api_misuse", setup=tex)
    script("multisteplr-single-milestone-int", "model.api_misuse", setup=tex)
    script("lambdalr-given-decay-factor", "model.api_misuse", setup=tex)
    script("gan-steplr-given-both-optimizers", "model.api_misuse")

    # ImageAI 3 --------------------------------------------------------------------------------
    iai("det-train-data-directory-list", "model.api_misuse", setup=hardhat)
    iai("det-train-pretrained-true", "model.api_misuse", setup=hardhat)
    iai("detect-load-model-before-json-path", "model.api_misuse", setup=lambda w: hardhat(w, True))
    iai("detect-json-config-given-as-dict", "model.api_misuse", setup=lambda w: hardhat(w, True))
    notebook("imageai-detect-tensor-image-notebook", "model.api_misuse", IAI_DETECT_TENSOR_CELLS,
             setup=lambda w: hardhat(w, True), framework="imageai", timeout=600)
    iai("cls-transfer-from-weights-enum", "model.api_misuse", setup=pets)
    iai("cls-load-model-before-json-path", "model.api_misuse", setup=lambda w: pets(w, True))
    notebook("imageai-cls-set-model-path-model-object-notebook", "model.api_misuse", IAI_CLS_MODEL_OBJECT_CELLS,
             setup=lambda w: pets(w, True), framework="imageai", timeout=600)
    iai("cls-predict-whole-pickled-model", "model.weights_mismatch", forms=["cpython_basic", "chained_during"],
        setup=pets, exception="Exception")
    return out


def _dedent(text):
    import textwrap
    return textwrap.dedent(text)


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
