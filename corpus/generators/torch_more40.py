"""A fortieth held-out set (g79, scored 0.64 top-1 and 1.00 top-3 before any rule for it) of PyTorch / torchvision / ImageAI 3 failures: failures whose message
alone does not say whether the user's own Python is wrong (``other``), the library is called
wrongly (``model.api_misuse``) or the data is bad (``data.*``), built in about equal thirds with
look-alike exceptions (KeyError, IndexError, TypeError, ValueError, AttributeError) across the
three groups, none a repeat of the scenarios in the other generators.

- other: a best checkpoint saved under ``model_state`` and reloaded as ``state_dict``, a clip
  dataset whose ``__len__`` counts one window too many (in workers), a collate that leaves the
  labels as the tuple from ``zip``, a class lookup keyed by a 0-d tensor (notebook), a variable
  ``F`` (F1 score) shadowing ``torch.nn.functional``, ImageAI's ``{"0": name}`` class json indexed
  with an int, a preview loop over a fixed batch size meeting the short last batch (tqdm), a path
  joined with ``"/images"`` (in workers), a notebook whose regression cell left ``criterion`` as
  ``MSELoss`` before the classifier cell was re-run, ``evaluate`` returning three values unpacked
  into two;
- model.api_misuse: the return value of ``load_state_dict`` assigned to the model (notebook),
  ``model.module`` without ``DataParallel`` on a CPU box, ``ImageFolder(transforms=...)``, an
  optimizer given a ``parameters()`` generator already consumed by a counter, a Grad-CAM target
  ``layer4[2]`` from a ResNet-50 tutorial on a ResNet-18, ImageAI's ``classifyImage`` result
  iterated as (name, probability) pairs, ImageAI 3 detection results read with a ``probability``
  key, ``torch.stack`` over numpy arrays in a collate, ``DatasetFolder`` given ``extensions`` and
  ``is_valid_file`` together;
- data: a COCO json whose annotations still point at a deleted image, a misspelled class name
  in a labels CSV (in workers), a new grade 5 indexing 5 class weights of a sampler, a mask value
  past an ``np.eye`` one-hot (in workers), labelling-tool boxes of ``null`` for skipped tasks,
  labels saved by ``np.savetxt`` in float format, a raw camera frame cut short (in workers), a
  labels json mixing ints and strings, a greyscale photo in an ``np.stack`` feature cache.

Every case is a small real program (plain scripts, DataLoader workers, IPython cells, tqdm bars)
on CPU with the torch venv (no GPU, no downloads, weights=None); the label is known by
construction.

    EE_TORCH_VENV=/work/venvs/torch /work/venvs/torch/bin/python corpus/generators/torch_more40.py [-k filter] [--out DIR] [-j N]
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _record import Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders  # noqa: E402,F401
from _record import run_cases  # noqa: E402
from _record import save_cls, save_tiny  # noqa: E402,F401

SRC = "corpus/generators/torch_more40.py"

SCRIPTS = {}
CELLS = {}

# ====================================================================================== other
SCRIPTS["best-checkpoint-saved-model-state-reloaded-state-dict"] = '''
import os

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("data/train", transform=tf)
val_ds = datasets.ImageFolder("data/val", transform=tf)
train_loader = DataLoader(train_ds, batch_size=4, shuffle=True)
val_loader = DataLoader(val_ds, batch_size=4)

model = models.resnet18(weights=None, num_classes=len(train_ds.classes))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
criterion = nn.CrossEntropyLoss()
os.makedirs("checkpoints", exist_ok=True)


def evaluate():
    model.eval()
    correct = 0
    with torch.no_grad():
        for x, y in val_loader:
            correct += (model(x).argmax(1) == y).sum().item()
    return correct / len(val_ds)


best_acc = 0.0
for epoch in range(2):
    model.train()
    for x, y in train_loader:
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    acc = evaluate()
    print(f"epoch {epoch}: loss {loss.item():.4f} val_acc {acc:.3f}")
    if acc >= best_acc:
        best_acc = acc
        torch.save({"epoch": epoch, "model_state": model.state_dict(),
                    "optimizer_state": optimizer.state_dict(), "val_acc": acc}, "checkpoints/best.pt")
        print("  saved checkpoints/best.pt")

# final numbers with the best weights
ckpt = torch.load("checkpoints/best.pt", map_location="cpu")
model.load_state_dict(ckpt["state_dict"])
print("best epoch", ckpt["epoch"], "val acc", evaluate())
'''

SCRIPTS["clip-dataset-len-one-window-too-many-workers"] = '''
import glob
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class FrameWindows(Dataset):
    """sliding windows of `clip_len` consecutive frames; the label is the last frame's action"""

    def __init__(self, root, clip_len=4):
        self.frames = sorted(glob.glob(os.path.join(root, "*.jpg")))
        self.labels = [int(os.path.basename(f).split("_")[1]) for f in self.frames]
        self.clip_len = clip_len
        self.tf = transforms.Compose([transforms.Resize((32, 32)), transforms.ToTensor()])

    def __len__(self):
        # windows start at 0 .. len - clip_len, both ends included
        return len(self.frames) - self.clip_len + 2

    def __getitem__(self, i):
        clip = [self.tf(Image.open(self.frames[i + k]).convert("RGB")) for k in range(self.clip_len)]
        return torch.stack(clip, dim=1), self.labels[i + self.clip_len - 1]


class Tiny3D(nn.Module):
    def __init__(self, n_classes):
        super().__init__()
        self.net = nn.Sequential(nn.Conv3d(3, 8, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool3d(1), nn.Flatten(),
                                 nn.Linear(8, n_classes))

    def forward(self, x):
        return self.net(x)


def main():
    ds = FrameWindows("kitchen_cam/frames")
    print(len(ds), "windows")
    loader = DataLoader(ds, batch_size=4, shuffle=False, num_workers=2)
    model = Tiny3D(3)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(2):
        for clips, y in loader:
            loss = nn.functional.cross_entropy(model(clips), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"epoch {epoch}: {loss.item():.4f}")


if __name__ == "__main__":
    main()
'''

SCRIPTS["collate-keeps-paths-labels-left-as-zip-tuple"] = '''
import glob
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms
from tqdm import tqdm

CLASSES = ["blight", "healthy", "rust"]


class Leaves(Dataset):
    def __init__(self, root):
        self.items = [(p, CLASSES.index(os.path.basename(os.path.dirname(p))))
                      for p in sorted(glob.glob(os.path.join(root, "*", "*.jpg")))]
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        path, label = self.items[i]
        return self.tf(Image.open(path).convert("RGB")), label, path


def collate(batch):
    # keep the file paths so that misclassified leaves can be looked at later
    images, labels, paths = zip(*batch)
    return torch.stack(images), labels, list(paths)


loader = DataLoader(Leaves("data/leaves"), batch_size=4, shuffle=True, collate_fn=collate)
model = models.resnet18(weights=None, num_classes=len(CLASSES))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(3):
    bar = tqdm(loader, desc=f"epoch {epoch}")
    for images, labels, paths in bar:
        outputs = model(images)
        loss = criterion(outputs, labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        bar.set_postfix(loss=loss.item())
'''

CELLS["class-lookup-keyed-by-tensor-notebook"] = [
    '''
import glob
import torch
from PIL import Image
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("data/train", transform=tf)
idx_to_class = {v: k for k, v in train_ds.class_to_idx.items()}
print(idx_to_class)
model = models.resnet18(weights=None, num_classes=len(idx_to_class))
model.load_state_dict(torch.load("weights/resnet18_birds.pt"))
model.eval();
''',
    '''
# predictions for the new photos from the feeder camera
for path in sorted(glob.glob("feeder/*.jpg")):
    x = tf(Image.open(path).convert("RGB")).unsqueeze(0)
    with torch.no_grad():
        pred = model(x).argmax(1)[0]
    print(path, idx_to_class[pred])
''',
]

SCRIPTS["f1-score-variable-shadows-functional-F"] = '''
import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_loader = DataLoader(datasets.ImageFolder("data/train", transform=tf), batch_size=4, shuffle=True)
val_loader = DataLoader(datasets.ImageFolder("data/val", transform=tf), batch_size=4)

model = models.resnet18(weights=None, num_classes=2)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(3):
    model.train()
    for x, y in train_loader:
        loss = F.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    # precision / recall / F1 of the "defect" class
    model.eval()
    tp = fp = fn = torch.tensor(0.0)
    with torch.no_grad():
        for x, y in val_loader:
            pred = model(x).argmax(1)
            tp += ((pred == 1) & (y == 1)).sum()
            fp += ((pred == 1) & (y == 0)).sum()
            fn += ((pred == 0) & (y == 1)).sum()
    P = tp / (tp + fp + 1e-8)
    R = tp / (tp + fn + 1e-8)
    F = 2 * P * R / (P + R + 1e-8)
    print(f"epoch {epoch}: loss {loss.item():.4f}  P {P:.3f} R {R:.3f} F1 {F:.3f}")
'''

SCRIPTS["imageai-class-json-string-keys-indexed-with-int"] = '''
import glob
import json

import torch
from PIL import Image
from torchvision import models, transforms

# batch inference with the model ClassificationModelTrainer wrote, without ImageAI's one-image loop
classes = json.load(open("fruit/models/fruit_model_classes.json"))
model = models.mobilenet_v2(weights=None, num_classes=len(classes))
model.load_state_dict(torch.load("fruit/models/mobilenet_v2-fruit-test_acc_0.91667_epoch-18.pt", map_location="cpu"))
model.eval()

tf = transforms.Compose([transforms.Resize((224, 224)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
paths = sorted(glob.glob("incoming/*.jpg"))
batch = torch.stack([tf(Image.open(p).convert("RGB")) for p in paths])
with torch.no_grad():
    probs = model(batch).softmax(1)
conf, idx = probs.max(1)
for p, c, i in zip(paths, conf, idx):
    print(f"{p}: {classes[i.item()]} ({c.item() * 100:.1f}%)")
'''

SCRIPTS["val-preview-fixed-batch-size-short-last-batch"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms
from tqdm import tqdm

BATCH_SIZE = 4
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("data/train", transform=tf)
val_ds = datasets.ImageFolder("data/val", transform=tf)
train_loader = DataLoader(train_ds, batch_size=BATCH_SIZE, shuffle=True)
val_loader = DataLoader(val_ds, batch_size=BATCH_SIZE)

model = models.resnet18(weights=None, num_classes=len(train_ds.classes))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(2):
    model.train()
    for x, y in tqdm(train_loader, desc=f"train {epoch}"):
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    model.eval()
    mistakes = []
    with torch.no_grad():
        for x, y in tqdm(val_loader, desc=f"val {epoch}"):
            preds = model(x).argmax(1)
            for i in range(BATCH_SIZE):
                if preds[i] != y[i]:
                    mistakes.append((val_ds.classes[y[i]], val_ds.classes[preds[i]]))
    print(f"epoch {epoch}: {len(mistakes)} mistakes, e.g. {mistakes[:3]}")
'''

SCRIPTS["image-path-joined-with-leading-slash-workers"] = '''
import csv
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms


class Wounds(Dataset):
    def __init__(self, root, csv_file):
        self.root = root
        with open(os.path.join(root, csv_file)) as f:
            self.rows = list(csv.DictReader(f))
        self.classes = sorted({r["stage"] for r in self.rows})
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        row = self.rows[i]
        img_path = os.path.join(self.root, "/images", row["file"])
        return self.tf(Image.open(img_path).convert("RGB")), self.classes.index(row["stage"])


def main():
    ds = Wounds("data/wounds", "labels.csv")
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2)
    model = models.resnet18(weights=None, num_classes=len(ds.classes))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(2):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())


if __name__ == "__main__":
    main()
'''


def wounds_setup(work):
    stages = ["stage1", "stage2", "stage3"]
    make_images(work, [(f"data/wounds/images/w_{i:03d}.jpg", (70, 60), "RGB") for i in range(9)])
    rows = "file,stage\n" + "".join(f"w_{i:03d}.jpg,{stages[i % 3]}\n" for i in range(9))
    (work / "data/wounds/labels.csv").write_text(rows)


CELLS["stale-mse-criterion-from-regression-cell-notebook"] = [
    '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
ds = datasets.ImageFolder("data/burns", transform=tf)
loader = DataLoader(ds, batch_size=4, shuffle=True)
clf = models.resnet18(weights=None, num_classes=len(ds.classes))
criterion = nn.CrossEntropyLoss()

def train_one_epoch(model, loader, opt, target_fn=lambda y: y):
    model.train()
    for x, y in loader:
        loss = criterion(model(x), target_fn(y))
        opt.zero_grad()
        loss.backward()
        opt.step()
    return loss.item()
''',
    '''
opt = torch.optim.Adam(clf.parameters(), lr=1e-3)
print("classifier:", train_one_epoch(clf, loader, opt))
''',
    '''
# side experiment: regress the burn degree as a number instead
reg = models.resnet18(weights=None, num_classes=1)
criterion = nn.MSELoss()
opt_r = torch.optim.Adam(reg.parameters(), lr=1e-3)
print("regressor:", train_one_epoch(reg, loader, opt_r, target_fn=lambda y: y.float().unsqueeze(1)))
''',
    '''
# back to the classifier: a few more epochs
for epoch in range(3):
    print(epoch, train_one_epoch(clf, loader, opt))
''',
]

SCRIPTS["evaluate-returns-three-values-unpacked-into-two"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_loader = DataLoader(datasets.ImageFolder("data/train", transform=tf), batch_size=4, shuffle=True)
val_loader = DataLoader(datasets.ImageFolder("data/val", transform=tf), batch_size=4)
model = models.resnet18(weights=None, num_classes=3)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)


def evaluate(model, loader):
    model.eval()
    total_loss, correct, n = 0.0, 0, 0
    per_class = torch.zeros(3)
    with torch.no_grad():
        for x, y in loader:
            out = model(x)
            total_loss += criterion(out, y).item() * len(y)
            correct += (out.argmax(1) == y).sum().item()
            per_class += torch.bincount(y[out.argmax(1) == y], minlength=3)
            n += len(y)
    return total_loss / n, correct / n, per_class


for epoch in range(2):
    model.train()
    for x, y in train_loader:
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    val_loss, val_acc = evaluate(model, val_loader)
    print(f"epoch {epoch}: train {loss.item():.4f} val {val_loss:.4f} acc {val_acc:.3f}")
'''

# ============================================================================ model.api_misuse
CELLS["load-state-dict-result-assigned-to-model-notebook"] = [
    '''
import torch
from PIL import Image
from torchvision import models, transforms

model = models.resnet18(weights=None, num_classes=4)
''',
    '''
model = model.load_state_dict(torch.load("checkpoints/best_resnet18.pt", map_location="cpu"))
''',
    '''
model.eval()
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
x = tf(Image.open("samples/tile_03.jpg").convert("RGB")).unsqueeze(0)
with torch.no_grad():
    print(model(x).softmax(1))
''',
]

SCRIPTS["model-module-state-dict-without-dataparallel"] = '''
import os

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
ds = datasets.ImageFolder("data/train", transform=tf)
loader = DataLoader(ds, batch_size=4, shuffle=True)

model = models.resnet18(weights=None, num_classes=len(ds.classes))
if torch.cuda.device_count() > 1:
    model = nn.DataParallel(model)
model = model.to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)


def save_checkpoint(epoch, path="checkpoints"):
    os.makedirs(path, exist_ok=True)
    torch.save({"epoch": epoch, "state_dict": model.module.state_dict(),
                "optimizer": optimizer.state_dict()}, os.path.join(path, f"epoch_{epoch:02d}.pth"))


for epoch in range(2):
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
    save_checkpoint(epoch)
'''

SCRIPTS["imagefolder-given-transforms-keyword"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

train_tf = transforms.Compose([
    transforms.RandomResizedCrop(64, scale=(0.6, 1.0)),
    transforms.RandomHorizontalFlip(),
    transforms.ToTensor(),
    transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
])
train_ds = datasets.ImageFolder(root="data/train", transforms=train_tf)
loader = DataLoader(train_ds, batch_size=4, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(train_ds.classes))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(2):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

SCRIPTS["optimizer-given-parameters-generator-already-counted"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
ds = datasets.ImageFolder("data/train", transform=tf)
loader = DataLoader(ds, batch_size=4, shuffle=True)

model = models.efficientnet_b0(weights=None, num_classes=len(ds.classes))
params = model.parameters()
n_params = sum(p.numel() for p in params if p.requires_grad)
print(f"efficientnet_b0: {n_params / 1e6:.2f}M trainable parameters")

optimizer = torch.optim.AdamW(params, lr=3e-4, weight_decay=0.05)
for epoch in range(2):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

SCRIPTS["gradcam-target-layer4-2-from-resnet50-tutorial"] = '''
import sys

import torch
from PIL import Image
from torchvision import models, transforms

model = models.resnet18(weights=None, num_classes=3)
model.load_state_dict(torch.load("checkpoints/xray_resnet18.pt", map_location="cpu"))
model.eval()

feats, grads = {}, {}
target_layer = model.layer4[2].conv3          # last conv of the backbone


def fwd_hook(m, i, o):
    feats["a"] = o


def bwd_hook(m, gi, go):
    grads["g"] = go[0]


target_layer.register_forward_hook(fwd_hook)
target_layer.register_full_backward_hook(bwd_hook)

tf = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor()])
x = tf(Image.open(sys.argv[1]).convert("RGB")).unsqueeze(0)
out = model(x)
out[0, out.argmax()].backward()
w = grads["g"].mean((2, 3), keepdim=True)
cam = torch.relu((w * feats["a"]).sum(1))
print(cam.shape)
'''

SCRIPTS["imageai-classify-result-iterated-as-pairs"] = '''
import glob

from imageai.Classification.Custom import CustomImageClassification

prediction = CustomImageClassification()
prediction.setModelTypeAsResNet50()
prediction.setModelPath("models/resnet50-pills-test_acc_0.93750_epoch-24.pt")
prediction.setJsonPath("models/pills_model_classes.json")
prediction.loadModel()

for path in sorted(glob.glob("tray/*.jpg")):
    print(path)
    for name, probability in prediction.classifyImage(path, result_count=3):
        print(f"   {name}: {probability:.2f}%")
'''

SCRIPTS["imageai-detection-results-read-with-probability-key"] = '''
import csv

from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("hives/models/tiny-yolov3_hives_mAP-0.61000_epoch-80.pt")
detector.setJsonPath("hives/json/hives_tiny-yolov3_detection_config.json")
detector.loadModel()

detections = detector.detectObjectsFromImage(input_image="frames/hive_entrance_0031.jpg",
                                             output_image_path="frames/hive_entrance_0031_out.jpg",
                                             minimum_percentage_probability=1)
with open("counts.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["label", "confidence", "x1", "y1", "x2", "y2"])
    for det in detections:
        w.writerow([det["name"], det["probability"], *det["box_points"]])
print(len(detections), "detections written")
'''

SCRIPTS["collate-torch-stack-over-numpy-arrays"] = '''
import glob
import os

import cv2
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from torchvision import models

CLASSES = ["glass", "metal", "paper"]
MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)


class Trash(Dataset):
    def __init__(self, root):
        self.paths = sorted(glob.glob(os.path.join(root, "*", "*.jpg")))

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        img = cv2.imread(self.paths[i])
        img = cv2.cvtColor(cv2.resize(img, (64, 64)), cv2.COLOR_BGR2RGB).astype(np.float32) / 255.0
        img = ((img - MEAN) / STD).transpose(2, 0, 1)
        label = CLASSES.index(os.path.basename(os.path.dirname(self.paths[i])))
        return img, label


def collate(batch):
    images = torch.stack([b[0] for b in batch])
    labels = torch.tensor([b[1] for b in batch])
    return images, labels


loader = DataLoader(Trash("data/trash"), batch_size=4, shuffle=True, collate_fn=collate)
model = models.resnet18(weights=None, num_classes=len(CLASSES))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(2):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

SCRIPTS["datasetfolder-extensions-and-is-valid-file-together"] = '''
import os

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms


def not_hidden(path):
    # macOS leaves ._IMG_0001.jpg files next to the photos on the shared drive
    return not os.path.basename(path).startswith(".")


tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
ds = datasets.DatasetFolder("data/train", loader=datasets.folder.pil_loader, transform=tf,
                            extensions=(".jpg", ".jpeg", ".png"), is_valid_file=not_hidden)
loader = DataLoader(ds, batch_size=4, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(ds.classes))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(2):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

# ====================================================================================== data
SCRIPTS["coco-annotations-point-at-deleted-image"] = '''
import json
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms


class CocoCrops(Dataset):
    """one sample per annotated object: the box crop and its category (a crop classifier)"""

    def __init__(self, root, ann_file):
        coco = json.load(open(ann_file))
        self.root = root
        images = {im["id"]: im for im in coco["images"]}
        self.cat_ids = sorted(c["id"] for c in coco["categories"])
        self.samples = []
        for a in coco["annotations"]:
            im = images[a["image_id"]]
            self.samples.append((im["file_name"], a["bbox"], self.cat_ids.index(a["category_id"])))
        self.tf = transforms.Compose([transforms.Resize((48, 48)), transforms.ToTensor()])

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, i):
        name, (x, y, w, h), label = self.samples[i]
        img = Image.open(os.path.join(self.root, name)).convert("RGB")
        return self.tf(img.crop((x, y, x + w, y + h))), label


ds = CocoCrops("data/shelf/images", "data/shelf/annotations/instances_default.json")
loader = DataLoader(ds, batch_size=4, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(ds.cat_ids))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for x, y in loader:
    loss = nn.functional.cross_entropy(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
print(loss.item())
'''


def shelf_setup(work):
    make_images(work, [(f"data/shelf/images/shelf_{i:04d}.jpg", (160, 120), "RGB") for i in range(1040, 1046)])
    # shelf_1043.jpg was deleted in the annotation tool's file browser (blurry), its boxes stayed
    (work / "data/shelf/images/shelf_1043.jpg").unlink()
    images = [{"id": i, "file_name": f"shelf_{i:04d}.jpg", "width": 160, "height": 120}
              for i in range(1040, 1046) if i != 1043]
    anns, k = [], 1
    for i in range(1040, 1046):
        for j in range(2):
            anns.append({"id": k, "image_id": i, "category_id": 1 + (k % 3), "bbox": [10 + 30 * j, 20, 40, 50],
                         "area": 2000, "iscrowd": 0})
            k += 1
    cats = [{"id": 1, "name": "cereal"}, {"id": 2, "name": "juice"}, {"id": 3, "name": "soup"}]
    p = work / "data/shelf/annotations/instances_default.json"
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(json.dumps({"images": images, "annotations": anns, "categories": cats}))


SCRIPTS["labels-csv-misspelled-class-name-workers"] = '''
import csv
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms

CLASSES = ["beagle", "golden_retriever", "husky", "pug"]
CLASS_TO_IDX = {c: i for i, c in enumerate(CLASSES)}


class Dogs(Dataset):
    def __init__(self, root):
        self.root = root
        with open(os.path.join(root, "labels.csv")) as f:
            self.rows = list(csv.DictReader(f))
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        img = Image.open(os.path.join(self.root, "images", r["image"])).convert("RGB")
        return self.tf(img), CLASS_TO_IDX[r["breed"]]


def main():
    loader = DataLoader(Dogs("data/dogs"), batch_size=4, shuffle=False, num_workers=2)
    model = models.resnet18(weights=None, num_classes=len(CLASSES))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(2):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())


if __name__ == "__main__":
    main()
'''


def dogs_setup(work):
    breeds = ["beagle", "golden_retriever", "husky", "pug"] * 3
    breeds[6] = "golden_retriver"          # typed by hand by the second annotator
    make_images(work, [(f"data/dogs/images/dog_{i:03d}.jpg", (70, 60), "RGB") for i in range(12)])
    (work / "data/dogs/labels.csv").write_text(
        "image,breed\n" + "".join(f"dog_{i:03d}.jpg,{b}\n" for i, b in enumerate(breeds)))


SCRIPTS["sampler-class-weights-indexed-by-new-grade"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset, WeightedRandomSampler
from torchvision import models, transforms

NUM_GRADES = 5     # diabetic retinopathy grades 0-4


class Fundus(Dataset):
    def __init__(self, csv_file):
        with open(csv_file) as f:
            self.rows = [(r["image"], int(r["grade"])) for r in csv.DictReader(f)]
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        path, grade = self.rows[i]
        return self.tf(Image.open(path).convert("RGB")), grade


ds = Fundus("data/fundus/train.csv")
labels = torch.tensor([g for _, g in ds.rows])
counts = torch.bincount(labels, minlength=NUM_GRADES).float()
class_weights = 1.0 / counts.clamp(min=1)[:NUM_GRADES]
sample_weights = class_weights[labels]
sampler = WeightedRandomSampler(sample_weights, num_samples=len(ds), replacement=True)
loader = DataLoader(ds, batch_size=4, sampler=sampler)

model = models.resnet18(weights=None, num_classes=NUM_GRADES)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for x, y in loader:
    loss = nn.functional.cross_entropy(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
print(loss.item())
'''


def fundus_setup(work):
    grades = [0, 1, 2, 3, 4, 0, 1, 2, 5, 0, 3, 1]    # the clinic's export adds 5 = "ungradable"
    make_images(work, [(f"data/fundus/img/f_{i:03d}.jpg", (70, 70), "RGB") for i in range(12)])
    (work / "data/fundus/train.csv").write_text(
        "image,grade\n" + "".join(f"data/fundus/img/f_{i:03d}.jpg,{g}\n" for i, g in enumerate(grades)))


SCRIPTS["seg-mask-value-past-np-eye-one-hot-workers"] = '''
import glob
import os

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset

N_CLASSES = 3      # background, road, building


class Tiles(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(os.path.join(root, "images", "*.png")))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = np.asarray(Image.open(self.images[i]).convert("RGB"), dtype=np.float32) / 255.0
        mask = np.asarray(Image.open(self.images[i].replace("images", "masks")))
        onehot = np.eye(N_CLASSES, dtype=np.float32)[mask]          # H x W x C for the soft Dice loss
        return torch.from_numpy(img).permute(2, 0, 1), torch.from_numpy(onehot).permute(2, 0, 1)


def dice_loss(logits, target, eps=1.0):
    p = logits.softmax(1)
    inter = (p * target).sum((2, 3))
    return 1 - ((2 * inter + eps) / (p.sum((2, 3)) + target.sum((2, 3)) + eps)).mean()


def main():
    loader = DataLoader(Tiles("data/tiles"), batch_size=2, shuffle=True, num_workers=2)
    net = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, N_CLASSES, 1))
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    for epoch in range(2):
        for x, y in loader:
            loss = dice_loss(net(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())


if __name__ == "__main__":
    main()
'''

TILES_PREP = '''
import os
import numpy as np
from PIL import Image
rng = np.random.default_rng(0)
os.makedirs("data/tiles/images", exist_ok=True)
os.makedirs("data/tiles/masks", exist_ok=True)
for i in range(6):
    Image.fromarray(rng.integers(0, 255, (48, 48, 3), dtype=np.uint8)).save(f"data/tiles/images/t_{i:02d}.png")
    m = rng.integers(0, 3, (48, 48)).astype(np.uint8)
    if i == 4:
        m[10:20, 10:20] = 3      # "parking lot", added in the labelling tool for the next release
    Image.fromarray(m, mode="L").save(f"data/tiles/masks/t_{i:02d}.png")
'''

SCRIPTS["labelling-export-null-bbox-for-skipped-tasks"] = '''
import json
import os

import torch
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.transforms.functional import to_tensor


class Export(Dataset):
    """json exported by the labelling tool: one entry per image, boxes as [x, y, w, h] in pixels"""

    def __init__(self, root, export):
        self.root = root
        self.items = json.load(open(export))
        self.classes = ["bg", "scratch", "dent"]

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        item = self.items[i]
        img = to_tensor(Image.open(os.path.join(self.root, item["image"])).convert("RGB"))
        boxes, labels = [], []
        for obj in item["objects"]:
            x, y, w, h = obj["bbox"]
            boxes.append([x, y, x + w, y + h])
            labels.append(self.classes.index(obj["label"]))
        return img, {"boxes": torch.tensor(boxes, dtype=torch.float32), "labels": torch.tensor(labels)}


ds = Export("data/panels", "data/panels/export.json")
loader = DataLoader(ds, batch_size=2, shuffle=False, collate_fn=lambda b: tuple(zip(*b)))
model = torchvision.models.detection.fasterrcnn_mobilenet_v3_large_320_fpn(
    weights=None, weights_backbone=None, num_classes=3)
opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
model.train()
for images, targets in loader:
    losses = model(list(images), list(targets))
    loss = sum(losses.values())
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"loss {loss.item():.3f}")
'''


def panels_setup(work):
    make_images(work, [(f"data/panels/p_{i:02d}.jpg", (160, 120), "RGB") for i in range(6)])
    items = []
    for i in range(6):
        objs = [{"label": "scratch", "bbox": [10 + i, 15, 40, 30]}, {"label": "dent", "bbox": [80, 40 + i, 30, 35]}]
        if i == 3:
            objs[1] = {"label": "dent", "bbox": None}     # the annotator skipped this one
        items.append({"image": f"p_{i:02d}.jpg", "objects": objs})
    (work / "data/panels/export.json").write_text(json.dumps(items, indent=1))


SCRIPTS["labels-saved-by-np-savetxt-float-format"] = '''
import glob

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms


class Cells(Dataset):
    def __init__(self, root):
        self.paths = sorted(glob.glob(root + "/images/*.png"))
        with open(root + "/labels.txt") as f:
            self.labels = [int(line.strip()) for line in f if line.strip()]
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        return self.tf(Image.open(self.paths[i]).convert("RGB")), self.labels[i]


ds = Cells("data/blood_cells")
loader = DataLoader(ds, batch_size=4, shuffle=True)
model = models.resnet18(weights=None, num_classes=4)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(2):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

CELLS_PREP = '''
import os
import numpy as np
from PIL import Image
rng = np.random.default_rng(0)
os.makedirs("data/blood_cells/images", exist_ok=True)
for i in range(8):
    Image.fromarray(rng.integers(0, 255, (60, 60, 3), dtype=np.uint8)).save(f"data/blood_cells/images/c_{i:03d}.png")
# written by the preprocessing notebook from the one-hot matrix: labels = onehot.argmax(1) ... as float
np.savetxt("data/blood_cells/labels.txt", np.eye(4)[rng.integers(0, 4, 8)].argmax(1).astype(float))
'''

SCRIPTS["raw-camera-frame-cut-short-workers"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset

H, W = 48, 64     # the line-scan camera writes raw RGB frames, 8 bit, no header


class RawFrames(Dataset):
    def __init__(self, root):
        self.paths = sorted(glob.glob(root + "/*.raw"))

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        buf = np.fromfile(self.paths[i], dtype=np.uint8)
        img = buf.reshape(H, W, 3).astype(np.float32) / 255.0
        label = int("_ok_" not in self.paths[i])
        return torch.from_numpy(img).permute(2, 0, 1), label


def main():
    loader = DataLoader(RawFrames("captures"), batch_size=4, shuffle=True, num_workers=2)
    model = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                          nn.Linear(8, 2))
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
    for epoch in range(3):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())


if __name__ == "__main__":
    main()
'''

RAW_PREP = '''
import os
import numpy as np
rng = np.random.default_rng(0)
os.makedirs("captures", exist_ok=True)
for i in range(8):
    tag = "ok" if i % 2 else "defect"
    data = rng.integers(0, 255, 48 * 64 * 3, dtype=np.uint8)
    if i == 5:
        data = data[:48 * 64 * 3 - 4096]      # the capture PC ran out of disk space during this write
    data.tofile(f"captures/frame_{tag}_{i:04d}.raw")
'''

SCRIPTS["labels-json-mixing-ints-and-strings"] = '''
import json
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms

CLASSES = ["cloudy", "rain", "shine", "sunrise"]


class Weather(Dataset):
    def __init__(self, root):
        self.root = root
        self.meta = json.load(open(os.path.join(root, "annotations.json")))
        self.names = sorted(self.meta)
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.names)

    def __getitem__(self, i):
        name = self.names[i]
        label = CLASSES.index(self.meta[name]["weather"].lower())
        return self.tf(Image.open(os.path.join(self.root, name)).convert("RGB")), label


loader = DataLoader(Weather("data/weather"), batch_size=4, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(CLASSES))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(2):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''


def weather_setup(work):
    names = [f"w_{i:03d}.jpg" for i in range(10)]
    make_images(work, [(f"data/weather/{n}", (70, 60), "RGB") for n in names])
    classes = ["Cloudy", "Rain", "Shine", "Sunrise"]
    meta = {n: {"weather": classes[i % 4], "annotator": "anna"} for i, n in enumerate(names)}
    # the last batch came from the second annotator's tool, which stores the class index
    for i in (7, 8, 9):
        meta[names[i]] = {"weather": i % 4, "annotator": "tool-v2"}
    (work / "data/weather/annotations.json").write_text(json.dumps(meta, indent=1))


CELLS["feature-cache-np-stack-greyscale-photo-notebook"] = [
    '''
import glob
import numpy as np
import torch
from PIL import Image

paths = sorted(glob.glob("data/flowers/*/*.jpg"))
classes = sorted({p.split("/")[-2] for p in paths})
print(len(paths), "images,", classes)
''',
    '''
# decode once and keep everything in RAM, the disk on the cluster is slow
X = np.stack([np.asarray(Image.open(p).resize((64, 64))) for p in paths])
y = np.array([classes.index(p.split("/")[-2]) for p in paths])
X = torch.from_numpy(X).permute(0, 3, 1, 2).float() / 255
print(X.shape, y.shape)
''',
]


def flowers_setup(work):
    specs = class_folder("data/flowers", ["daisy", "rose", "tulip"], 3, size=(90, 80))
    specs[4] = ("data/flowers/rose/rose_001.jpg", (90, 80), "L")   # a scanned herbarium print
    make_images(work, specs)


def cases():
    out, add, script, notebook = case_builders("torch-more40-", SCRIPTS, CELLS)
    W = ("cpython_basic", "dataloader_worker")
    P = ["cpython_basic", "progress_bars?"]
    tv = lambda root, classes, per=3, size=(70, 60): class_folder(root, classes, per, size=size)  # noqa: E731
    CL3 = ["cat", "dog", "fox"]

    def iai(key, cause, **kw):
        kw.setdefault("framework", "imageai")
        kw.setdefault("timeout", 600)
        script(key, cause, **kw)

    # ------------------------------------------------------------------------------ other
    script("best-checkpoint-saved-model-state-reloaded-state-dict", "other", also=["model.weights_mismatch"],
           setup=imgs(tv("data/train", CL3) + tv("data/val", CL3, 1)))
    script("clip-dataset-len-one-window-too-many-workers", "other", forms=W,
           setup=imgs([(f"kitchen_cam/frames/f_{k // 5 % 3}_{k:04d}.jpg", (60, 40), "RGB") for k in range(13)]))
    script("collate-keeps-paths-labels-left-as-zip-tuple", "other", forms=P, also=["model.api_misuse"],
           setup=imgs(tv("data/leaves", ["blight", "healthy", "rust"])))
    notebook("class-lookup-keyed-by-tensor-notebook", "other", also=["model.api_misuse"],
             setup=both(imgs(tv("data/train", ["finch", "robin", "tit"], 2) +
                             [(f"feeder/cam_{i:03d}.jpg", (80, 60), "RGB") for i in range(3)]),
                        prep('import os, torch, torchvision\nos.makedirs("weights", exist_ok=True)\n'
                             'torch.save(torchvision.models.resnet18(num_classes=3).state_dict(), '
                             '"weights/resnet18_birds.pt")\n')))
    script("f1-score-variable-shadows-functional-F", "other", also=["model.api_misuse"],
           setup=imgs(tv("data/train", ["ok", "defect"]) + tv("data/val", ["ok", "defect"], 2)))
    script("imageai-class-json-string-keys-indexed-with-int", "other", argv="batch_predict.py",
           setup=both(save_cls("mobilenet_v2", '["apple", "banana", "orange"]',
                               "fruit/models/mobilenet_v2-fruit-test_acc_0.91667_epoch-18.pt",
                               "fruit/models/fruit_model_classes.json"),
                      imgs([(f"incoming/IMG_{i:04d}.jpg", (120, 90), "RGB") for i in range(3)])))
    script("val-preview-fixed-batch-size-short-last-batch", "other", forms=P,
           setup=imgs(tv("data/train", CL3, 2) + tv("data/val", CL3, 2)))
    script("image-path-joined-with-leading-slash-workers", "other", forms=W, also=["data.missing_or_corrupt"],
           setup=wounds_setup)
    notebook("stale-mse-criterion-from-regression-cell-notebook", "other", also=["data.label_shape"],
             setup=imgs(tv("data/burns", ["first", "second", "third"], 2)))
    script("evaluate-returns-three-values-unpacked-into-two", "other",
           setup=imgs(tv("data/train", CL3, 2) + tv("data/val", CL3, 1)))
    # ---------------------------------------------------------------------- model.api_misuse
    notebook("load-state-dict-result-assigned-to-model-notebook", "model.api_misuse", also=["other"],
             setup=both(imgs([("samples/tile_03.jpg", (80, 80), "RGB")]),
                        prep('import os, torch, torchvision\nos.makedirs("checkpoints", exist_ok=True)\n'
                             'torch.save(torchvision.models.resnet18(num_classes=4).state_dict(), '
                             '"checkpoints/best_resnet18.pt")\n')))
    script("model-module-state-dict-without-dataparallel", "model.api_misuse", also=["other"],
           setup=imgs(tv("data/train", CL3, 2)))
    script("imagefolder-given-transforms-keyword", "model.api_misuse", setup=imgs(tv("data/train", CL3, 2)))
    script("optimizer-given-parameters-generator-already-counted", "model.api_misuse", also=["other"],
           setup=imgs(tv("data/train", CL3, 2)))
    script("gradcam-target-layer4-2-from-resnet50-tutorial", "model.api_misuse", argv="gradcam.py",
           args=("xrays/patient_0192.jpg",), also=["other"],
           setup=both(imgs([("xrays/patient_0192.jpg", (128, 128), "RGB")]),
                      prep('import os, torch, torchvision\nos.makedirs("checkpoints", exist_ok=True)\n'
                           'torch.save(torchvision.models.resnet18(num_classes=3).state_dict(), '
                           '"checkpoints/xray_resnet18.pt")\n')))
    iai("imageai-classify-result-iterated-as-pairs", "model.api_misuse", argv="classify_tray.py", also=["other"],
        setup=both(save_cls("resnet50", '["aspirin", "ibuprofen", "paracetamol", "vitamin_d"]',
                            "models/resnet50-pills-test_acc_0.93750_epoch-24.pt", "models/pills_model_classes.json"),
                   imgs([(f"tray/pill_{i:02d}.jpg", (100, 100), "RGB") for i in range(2)])))
    iai("imageai-detection-results-read-with-probability-key", "model.api_misuse", argv="count_bees.py",
        also=["other"],
        setup=both(save_tiny('["bee", "wasp"]', 2, "hives/models/tiny-yolov3_hives_mAP-0.61000_epoch-80.pt",
                             "hives/json/hives_tiny-yolov3_detection_config.json"),
                   imgs([("frames/hive_entrance_0031.jpg", (320, 240), "RGB")])))
    script("collate-torch-stack-over-numpy-arrays", "model.api_misuse", also=["other"],
           setup=imgs(tv("data/trash", ["glass", "metal", "paper"], 2)))
    script("datasetfolder-extensions-and-is-valid-file-together", "model.api_misuse",
           setup=imgs(tv("data/train", CL3, 2)))
    # -------------------------------------------------------------------------------- data
    script("coco-annotations-point-at-deleted-image", "data.missing_or_corrupt", setup=shelf_setup)
    script("labels-csv-misspelled-class-name-workers", "data.label_out_of_range", forms=W,
           also=["data.missing_or_corrupt"], setup=dogs_setup)
    script("sampler-class-weights-indexed-by-new-grade", "data.label_out_of_range", setup=fundus_setup)
    script("seg-mask-value-past-np-eye-one-hot-workers", "data.label_out_of_range", forms=W,
           setup=prep(TILES_PREP))
    script("labelling-export-null-bbox-for-skipped-tasks", "data.missing_or_corrupt", also=["data.bbox_invalid"],
           setup=panels_setup)
    script("labels-saved-by-np-savetxt-float-format", "data.dtype", also=["data.missing_or_corrupt"],
           setup=prep(CELLS_PREP))
    script("raw-camera-frame-cut-short-workers", "data.missing_or_corrupt", forms=W, setup=prep(RAW_PREP))
    script("labels-json-mixing-ints-and-strings", "data.missing_or_corrupt", also=["data.dtype"],
           setup=weather_setup)
    notebook("feature-cache-np-stack-greyscale-photo-notebook", "data.image_channels", setup=flowers_setup)
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
