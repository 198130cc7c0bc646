"""A forty-third held-out set (g84, scored 0.89 top-1 and 1.00 top-3 before any rule for it) of PyTorch / torchvision / ImageAI 3 failures: an untargeted sample of
what Colab and Kaggle notebook users training image models on their own data meet, spread over the
cause ids roughly as often as users hit them, most of them run cell by cell in IPython, none a repeat
of the scenarios in the other generators.

- data: CUB-200 bird crops cut from ``bounding_boxes.txt`` and never resized (notebook), a
  one-channel digit CNN given a phone photo of a digit (notebook), FER-2013 with the "disgust" rows
  dropped but the ids not remapped (tqdm), a ``[B, 1]`` BCE label column against a squeezed logit
  (notebook), float64 ``.npy`` image arrays into a conv (notebook), a Kaggle CSV whose ids lack the
  file extension (in workers), a 90-degree rotation augmentation that turns boxes upside down
  before Faster R-CNN (notebook);
- model: the PyTorch CIFAR tutorial ``Net`` and its ``view(-1, 16 * 5 * 5)`` on 112 px images
  (notebook), LR-ASPP left at its 21 default classes under a binary BCE (notebook), a fine-tuned
  ResNet state dict loaded before the head was replaced (notebook), ImageAI 3 transfer learning
  for ResNet50 from a ``resnet18`` ImageNet file;
- API: ``RandomRotation`` given the four right angles (notebook), ImageAI 3 ``trainModel`` given a
  nested ``model_directory`` (notebook);
- autograd: ``.numpy()`` on validation probabilities outside ``no_grad`` (notebook);
- environment: a whole-slide tile turned into a float tensor under a job memory limit, tar shards
  opened in ``__init__`` under spawn workers, ``np.in1d`` in a pseudo-label filter (notebook), a
  Kaggle notebook whose GPU accelerator is off (notebook);
- plain bugs: a loader loop unpacked as ``i, (x, y)`` without ``enumerate`` (notebook).

Every case is a small real program (plain scripts, DataLoader workers, IPython cells, tqdm bars)
on CPU with the torch venv (no GPU, no downloads, weights=None); the label is known by
construction. One draft case was dropped: entropy sampling through ``Categorical`` after a
raw-pixel, high-learning-rate run never reached NaN logits (cross-entropy kept them finite).

    EE_TORCH_VENV=/work/venvs/torch /work/venvs/torch/bin/python corpus/generators/torch_more43.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _record import Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders  # noqa: E402,F401
from _record import run_cases  # noqa: E402
from _record import ANCHORS6, save_cls, save_tiny  # noqa: E402,F401

SRC = "corpus/generators/torch_more43.py"

SCRIPTS = {}
CELLS = {}

# ================================================================== data.image_size_mismatch
CELLS["cub-bird-crops-never-resized-notebook"] = [
    '''
import os
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T

ROOT = "CUB_200_2011"
''',
    '''
class BirdCrops(Dataset):
    """crop every bird with its box from bounding_boxes.txt: the background only confuses the model"""
    def __init__(self, root, transform):
        paths = dict(l.split() for l in open(f"{root}/images.txt"))
        boxes = {l.split()[0]: list(map(float, l.split()[1:])) for l in open(f"{root}/bounding_boxes.txt")}
        self.items = [(f"{root}/images/{paths[i]}", boxes[i], int(paths[i].split(".")[0]) - 1) for i in paths]
        self.transform = transform

    def __len__(self):
        return len(self.items)

    def __getitem__(self, idx):
        path, (x, y, w, h), label = self.items[idx]
        img = Image.open(path).convert("RGB").crop((x, y, x + w, y + h))
        return self.transform(img), label

tf = T.Compose([T.ToTensor(), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
train_ds = BirdCrops(ROOT, tf)
train_loader = DataLoader(train_ds, batch_size=4, shuffle=True)
print(len(train_ds), "crops")
''',
    '''
model = models.resnet18(weights=None, num_classes=3)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
for epoch in range(5):
    for x, y in train_loader:
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
''',
]


def cub_setup(work: Path):
    classes = ["001.Black_footed_Albatross", "002.Laysan_Albatross", "003.Sooty_Albatross"]
    specs, rows, boxes = [], [], []
    k = 0
    for c in classes:
        for j in range(3):
            k += 1
            w, h = 200 + 17 * k, 150 + 11 * k
            rel = f"{c}/{c.split('.')[1]}_{j:04d}.jpg"
            specs.append((f"CUB_200_2011/images/{rel}", (w, h), "RGB"))
            rows.append(f"{k} {rel}\n")
            boxes.append(f"{k} {10 + k}.0 {12 + k}.0 {90 + 7 * k}.0 {70 + 5 * k}.0\n")
    make_images(work, specs)
    (work / "CUB_200_2011/images.txt").write_text("".join(rows))
    (work / "CUB_200_2011/bounding_boxes.txt").write_text("".join(boxes))


# ================================================================== data.image_channels
CELLS["grey-digit-cnn-predict-phone-photo-notebook"] = [
    '''
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader
from torchvision import datasets, transforms as T

train_tf = T.Compose([T.Grayscale(), T.Resize((28, 28)), T.ToTensor()])
ds = datasets.ImageFolder("digits/train", transform=train_tf)
loader = DataLoader(ds, batch_size=8, shuffle=True)

model = nn.Sequential(
    nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(32 * 7 * 7, 10),
)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(2):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad(); loss.backward(); opt.step()
    print(f"epoch {epoch} loss {loss.item():.3f}")
''',
    '''
# try it on a digit I wrote on paper and photographed
predict_tf = T.Compose([T.Resize((28, 28)), T.ToTensor()])
img = Image.open("my_digit.jpg")
model.eval()
with torch.no_grad():
    pred = model(predict_tf(img).unsqueeze(0)).argmax(1).item()
print("predicted:", ds.classes[pred])
''',
]

# ================================================================== data.label_out_of_range
SCRIPTS["fer2013-disgust-rows-dropped-ids-kept-tqdm"] = '''
import csv

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from tqdm import tqdm

EMOTIONS = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"]
# "disgust" has only 547 images in FER-2013: drop it and train a 6-class model
DROP = 1
NUM_CLASSES = len(EMOTIONS) - 1

xs, ys = [], []
with open("fer2013.csv") as f:
    for row in csv.DictReader(f):
        if row["Usage"] != "Training" or int(row["emotion"]) == DROP:
            continue
        xs.append(np.array(row["pixels"].split(), dtype=np.float32).reshape(1, 48, 48) / 255.0)
        ys.append(int(row["emotion"]))
print("training images:", len(xs), "classes:", NUM_CLASSES)

ds = TensorDataset(torch.from_numpy(np.stack(xs)), torch.tensor(ys))
loader = DataLoader(ds, batch_size=16, shuffle=True)
model = nn.Sequential(
    nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
    nn.Flatten(), nn.Linear(64, NUM_CLASSES),
)
criterion = nn.CrossEntropyLoss()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(10):
    pbar = tqdm(loader, desc=f"epoch {epoch + 1}")
    for x, y in pbar:
        loss = criterion(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        pbar.set_postfix(loss=f"{loss.item():.3f}")
'''


def fer_setup(work: Path):
    import random
    rnd = random.Random(3)
    lines = ["emotion,pixels,Usage\n"]
    for i in range(96):
        e = [0, 1, 2, 3, 4, 5, 6, 6, 3][i % 9]
        px = " ".join(str(rnd.randrange(256)) for _ in range(48 * 48))
        lines.append(f"{e},{px},{'Training' if i < 80 else 'PublicTest'}\n")
    (work / "fer2013.csv").write_text("".join(lines))


# ================================================================== data.label_shape
CELLS["bce-label-column-vs-squeezed-logit-notebook"] = [
    '''
import glob
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T


class Pneumonia(Dataset):
    def __init__(self, root, tf):
        self.files = sorted(glob.glob(f"{root}/*/*.jpeg"))
        self.tf = tf

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        p = self.files[i]
        label = 1.0 if "/PNEUMONIA/" in p else 0.0
        return self.tf(Image.open(p).convert("RGB")), torch.tensor([label])


tf = T.Compose([T.Resize((96, 96)), T.ToTensor()])
train_loader = DataLoader(Pneumonia("chest_xray/train", tf), batch_size=8, shuffle=True)
model = models.resnet18(weights=None)
model.fc = nn.Linear(model.fc.in_features, 1)
criterion = nn.BCEWithLogitsLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
''',
    '''
for epoch in range(3):
    model.train()
    for images, labels in train_loader:
        logits = model(images).squeeze()       # (B, 1) -> (B,)
        loss = criterion(logits, labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
''',
]

# ================================================================== data.dtype
CELLS["float64-npy-images-into-conv-notebook"] = [
    '''
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

X = np.load("X_train.npy")          # (N, 64, 64, 3), already scaled to [0, 1] in the preprocessing notebook
y = np.load("y_train.npy")
print(X.shape, X.dtype, y.shape)
''',
    '''
X_t = torch.from_numpy(X).permute(0, 3, 1, 2)
y_t = torch.from_numpy(y).long()
loader = DataLoader(TensorDataset(X_t, y_t), batch_size=16, shuffle=True)

model = nn.Sequential(
    nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
    nn.Flatten(), nn.Linear(32, 4),
)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for xb, yb in loader:
        loss = nn.functional.cross_entropy(model(xb), yb)
        opt.zero_grad(); loss.backward(); opt.step()
    print(epoch, loss.item())
''',
]

NPY_PREP = '''
import numpy as np
rng = np.random.default_rng(0)
X = rng.integers(0, 256, size=(48, 64, 64, 3)).astype(np.uint8) / 255.0
np.save("X_train.npy", X)
np.save("y_train.npy", rng.integers(0, 4, size=48))
'''

# ================================================================== data.missing_or_corrupt
SCRIPTS["kaggle-csv-ids-without-extension-workers"] = '''
import csv
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T

DATA = "input/aerial-cactus-identification"


class CactusDataset(Dataset):
    def __init__(self, csv_path, img_dir, transform):
        with open(csv_path) as f:
            self.rows = [(r["id"], int(r["has_cactus"])) for r in csv.DictReader(f)]
        self.img_dir = img_dir
        self.transform = transform

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, idx):
        img_id, label = self.rows[idx]
        img = Image.open(os.path.join(self.img_dir, img_id)).convert("RGB")
        return self.transform(img), label


def main():
    tf = T.Compose([T.Resize((32, 32)), T.ToTensor()])
    ds = CactusDataset(f"{DATA}/train.csv", f"{DATA}/train", tf)
    loader = DataLoader(ds, batch_size=8, shuffle=True, num_workers=2)
    model = models.resnet18(weights=None, num_classes=2)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(3):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"epoch {epoch}: {loss.item():.4f}")


if __name__ == "__main__":
    main()
'''


def cactus_setup(work: Path):
    d = "input/aerial-cactus-identification"
    ids = [f"{i:04x}a1b2c3d4e5f6{i:02d}" for i in range(12)]
    make_images(work, [(f"{d}/train/{i}.jpg", (32, 32), "RGB") for i in ids])
    (work / d / "train.csv").write_text("id,has_cactus\n" + "".join(f"{i},{n % 2}\n" for n, i in enumerate(ids)))


# ================================================================== data.bbox_invalid
CELLS["rot90-augment-boxes-flipped-fasterrcnn-notebook"] = [
    '''
import json
import numpy as np
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
import torchvision.transforms.functional as TF
''',
    '''
class Rot90Aug:
    """drone photos have no 'up': rotate 90 degrees counter-clockwise half of the time"""
    def __call__(self, img, boxes):
        W = img.shape[1]
        img = np.rot90(img, k=1).copy()
        x1, y1, x2, y2 = boxes.unbind(1)
        boxes = torch.stack([y1, W - x1, y2, W - x2], dim=1)
        return img, boxes


class SolarDataset(Dataset):
    def __init__(self, ann, aug=None):
        self.items = json.load(open(ann))
        self.aug = aug

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        it = self.items[i]
        img = np.array(Image.open(it["file"]).convert("RGB"))
        boxes = torch.tensor(it["boxes"], dtype=torch.float32)
        if self.aug is not None and i % 2 == 0:
            img, boxes = self.aug(img, boxes)
        target = {"boxes": boxes, "labels": torch.tensor(it["labels"], dtype=torch.int64)}
        return TF.to_tensor(img), target


ds = SolarDataset("panels/annotations.json", aug=Rot90Aug())
loader = DataLoader(ds, batch_size=2, shuffle=False, collate_fn=lambda b: tuple(zip(*b)))
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=3)
optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
''',
    '''
model.train()
for images, targets in loader:
    loss_dict = model(list(images), list(targets))
    loss = sum(loss_dict.values())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    print({k: round(v.item(), 3) for k, v in loss_dict.items()})
''',
]


def panels_setup(work: Path):
    import json
    make_images(work, [(f"panels/img_{i:03d}.jpg", (320, 240), "RGB") for i in range(4)])
    items = [{"file": f"panels/img_{i:03d}.jpg", "boxes": [[40 + 5 * i, 30, 150, 110], [180, 120, 300, 220]],
              "labels": [1, 2]} for i in range(4)]
    (work / "panels/annotations.json").write_text(json.dumps(items))


# ================================================================== model.input_shape
CELLS["cifar-tutorial-net-view-on-112px-notebook"] = [
    '''
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

transform = transforms.Compose([transforms.Resize((112, 112)), transforms.ToTensor(),
                                transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])
trainset = datasets.ImageFolder("flowers/train", transform=transform)
trainloader = DataLoader(trainset, batch_size=16, shuffle=True)
classes = trainset.classes
''',
    '''
# the network from the PyTorch "Training a classifier" tutorial
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, len(classes))

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = x.view(-1, 16 * 5 * 5)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


net = Net()
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(net.parameters(), lr=0.001, momentum=0.9)
''',
    '''
for epoch in range(2):
    running_loss = 0.0
    for i, data in enumerate(trainloader, 0):
        inputs, labels = data
        optimizer.zero_grad()
        outputs = net(inputs)
        loss = criterion(outputs, labels)
        loss.backward()
        optimizer.step()
        running_loss += loss.item()
    print(f"[{epoch + 1}] loss: {running_loss / (i + 1):.3f}")
''',
]

# ================================================================== model.output_mismatch
CELLS["lraspp-default-21-classes-binary-bce-notebook"] = [
    '''
import glob
import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.segmentation import lraspp_mobilenet_v3_large
import torchvision.transforms.functional as TF


class RoadCracks(Dataset):
    def __init__(self, root):
        self.imgs = sorted(glob.glob(f"{root}/images/*.jpg"))

    def __len__(self):
        return len(self.imgs)

    def __getitem__(self, i):
        img = Image.open(self.imgs[i]).convert("RGB").resize((128, 128))
        mask = Image.open(self.imgs[i].replace("images", "masks").replace(".jpg", ".png")).resize((128, 128), Image.NEAREST)
        return TF.to_tensor(img), torch.from_numpy((np.array(mask) > 0).astype(np.float32))[None]


loader = DataLoader(RoadCracks("cracks"), batch_size=2, shuffle=True)
''',
    '''
model = lraspp_mobilenet_v3_large(weights=None, weights_backbone=None)
criterion = nn.BCEWithLogitsLoss()           # crack / no crack per pixel
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(3):
    for x, m in loader:
        out = model(x)["out"]
        loss = criterion(out, m)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
''',
]


def cracks_setup(work: Path):
    make_images(work, [(f"cracks/images/c_{i:02d}.jpg", (160, 160), "RGB") for i in range(4)]
                + [(f"cracks/masks/c_{i:02d}.png", (160, 160), "L") for i in range(4)])


# ================================================================== model.weights_mismatch
CELLS["finetuned-weights-loaded-before-head-swap-notebook"] = [
    '''
import torch
import torch.nn as nn
from PIL import Image
from torchvision import models, transforms as T

CLASSES = ["cardboard", "glass", "metal", "plastic"]
''',
    '''
# reload the model trained yesterday (Colab session ended)
model = models.resnet18(weights=None)
model.load_state_dict(torch.load("best_model.pth", map_location="cpu"))
model.fc = nn.Linear(model.fc.in_features, len(CLASSES))
model.eval()
''',
    '''
tf = T.Compose([T.Resize((224, 224)), T.ToTensor()])
with torch.no_grad():
    p = model(tf(Image.open("bottle.jpg").convert("RGB"))[None]).softmax(1)
print(CLASSES[p.argmax().item()])
''',
]

HEAD_PREP = '''
import torch, torch.nn as nn
from torchvision import models
m = models.resnet18(weights=None)
m.fc = nn.Linear(m.fc.in_features, 4)
torch.save(m.state_dict(), "best_model.pth")
'''

SCRIPTS["imageai-resnet50-transfer-from-resnet18-file"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsResNet50()
trainer.setDataDirectory("mushrooms")
# resnet18 ImageNet weights: the 98 MB resnet50 file would not upload to the lab server
trainer.trainModel(num_experiments=20, batch_size=4,
                   transfer_from_model="pretrained/resnet18-f37072fd.pth")
'''

R18_PREP = '''
import os, torch
from torchvision import models
os.makedirs("pretrained", exist_ok=True)
torch.save(models.resnet18(weights=None).state_dict(), "pretrained/resnet18-f37072fd.pth")
'''

# ================================================================== model.api_misuse
CELLS["random-rotation-given-right-angles-notebook"] = [
    '''
import torch
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T
''',
    '''
# microscope slides have no orientation: rotate by a right angle
train_tf = T.Compose([
    T.Resize((128, 128)),
    T.RandomRotation(degrees=(0, 90, 180, 270)),
    T.RandomHorizontalFlip(),
    T.ToTensor(),
])
train_ds = datasets.ImageFolder("cells/train", transform=train_tf)
train_loader = DataLoader(train_ds, batch_size=8, shuffle=True)
''',
]

CELLS["imageai-trainer-nested-model-directory-notebook"] = [
    '''
from imageai.Classification.Custom import ClassificationModelTrainer

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("fruits")
''',
    '''
# keep every run apart
RUN = "runs/mobilenet_v2/exp3"
trainer.trainModel(num_experiments=10, batch_size=4, model_directory=RUN)
''',
]

# ================================================================== optim.autograd_graph
CELLS["validation-probs-numpy-outside-no-grad-notebook"] = [
    '''
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

tf = T.Compose([T.Resize((64, 64)), T.ToTensor()])
train_loader = DataLoader(datasets.ImageFolder("melanoma/train", tf), batch_size=4, shuffle=True)
val_loader = DataLoader(datasets.ImageFolder("melanoma/val", tf), batch_size=4)
model = models.resnet18(weights=None)
model.fc = nn.Linear(512, 1)
criterion = nn.BCEWithLogitsLoss()
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
''',
    '''
for epoch in range(2):
    model.train()
    for x, y in train_loader:
        loss = criterion(model(x).squeeze(1), y.float())
        opt.zero_grad(); loss.backward(); opt.step()

    model.eval()
    all_probs, all_y = [], []
    for x, y in val_loader:
        probs = torch.sigmoid(model(x).squeeze(1))
        all_probs.append(probs.numpy())
        all_y.append(y.numpy())
    acc = ((np.concatenate(all_probs) > 0.5) == np.concatenate(all_y)).mean()
    print(f"epoch {epoch}: val acc {acc:.3f}")
''',
]

# ================================================================== resource.host_memory
SCRIPTS["whole-slide-tile-to-float-tensor-rlimit"] = '''
import resource

import torch
import torchvision.transforms.functional as TF
from PIL import Image

# cluster job: --mem=2G
_, hard = resource.getrlimit(resource.RLIMIT_DATA)
resource.setrlimit(resource.RLIMIT_DATA, (2 * 1024 ** 3, hard))

Image.MAX_IMAGE_PIXELS = None          # the slides are bigger than PIL's bomb limit

slide = Image.open("slides/TCGA-A2-A0CM_level1.png").convert("RGB")
print("slide size:", slide.size)
x = TF.to_tensor(slide)                                  # C x H x W float32
x = TF.normalize(x, [0.485, 0.456, 0.406], [0.229, 0.224, 0.225])
tiles = x.unfold(1, 256, 256).unfold(2, 256, 256)        # cut into 256 x 256 tiles
print(tiles.shape)
'''

SLIDE_PREP = '''
import os
from PIL import Image, ImageDraw
os.makedirs("slides", exist_ok=True)
im = Image.new("RGB", (14000, 14000), (236, 220, 232))
d = ImageDraw.Draw(im)
for i in range(0, 14000, 700):
    d.ellipse((i, i // 2, i + 500, i // 2 + 400), fill=(150, 60, 140))
im.save("slides/TCGA-A2-A0CM_level1.png", compress_level=1)
'''

# ================================================================== env.multiprocessing
SCRIPTS["tar-shards-opened-in-init-spawn-workers"] = '''
import io
import tarfile

import torch
import torch.multiprocessing as mp
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T


class TarShard(Dataset):
    """WebDataset-style shard: NNNN.jpg + NNNN.cls pairs in one .tar"""

    def __init__(self, path, transform):
        self.tar = tarfile.open(path)
        names = sorted(m.name for m in self.tar.getmembers())
        self.keys = sorted({n.rsplit(".", 1)[0] for n in names})
        self.transform = transform

    def __len__(self):
        return len(self.keys)

    def __getitem__(self, i):
        k = self.keys[i]
        img = Image.open(io.BytesIO(self.tar.extractfile(k + ".jpg").read())).convert("RGB")
        label = int(self.tar.extractfile(k + ".cls").read())
        return self.transform(img), label


def main():
    ds = TarShard("shards/train-000000.tar", T.Compose([T.Resize((64, 64)), T.ToTensor()]))
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2)
    model = models.resnet18(weights=None, num_classes=2)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()


if __name__ == "__main__":
    mp.set_start_method("spawn", force=True)    # recommended to avoid CUDA-in-fork problems
    main()
'''

TAR_PREP = '''
import io, os, tarfile
import numpy as np
from PIL import Image
os.makedirs("shards", exist_ok=True)
rng = np.random.default_rng(0)
with tarfile.open("shards/train-000000.tar", "w") as tar:
    for i in range(8):
        buf = io.BytesIO()
        Image.fromarray(rng.integers(0, 255, (80, 80, 3), dtype=np.uint8)).save(buf, format="JPEG")
        for name, data in ((f"{i:06d}.jpg", buf.getvalue()), (f"{i:06d}.cls", str(i % 2).encode())):
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            tar.addfile(ti, io.BytesIO(data))
'''

# ================================================================== env.version_incompat
CELLS["np-in1d-pseudo-label-filter-notebook"] = [
    '''
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms as T

tf = T.Compose([T.Resize((48, 48)), T.ToTensor()])
unlabelled = datasets.ImageFolder("plankton/unlabelled", tf)
model = nn.Sequential(nn.Conv2d(3, 16, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 5))
model.eval()
''',
    '''
# pseudo-labels: keep confident predictions of the classes the teacher is good at
with torch.no_grad():
    probs = torch.cat([model(x).softmax(1) for x, _ in DataLoader(unlabelled, batch_size=8)])
conf, pseudo = probs.max(1)
GOOD_CLASSES = [0, 2, 3]
keep = np.in1d(pseudo.numpy(), GOOD_CLASSES) & (conf.numpy() > 0.2)
print(keep.sum(), "pseudo-labelled images")
''',
]

# ================================================================== env.cuda_setup
CELLS["kaggle-accelerator-off-model-to-cuda-notebook"] = [
    '''
import torch
import torch.nn as nn
from torchvision import models

device = torch.device("cuda")     # Settings -> Accelerator: GPU T4 x2
print(torch.__version__)
''',
    '''
model = models.efficientnet_b0(weights=None)
model.classifier[1] = nn.Linear(model.classifier[1].in_features, 12)
model = model.to(device)
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
''',
]

# ================================================================== other
CELLS["loader-loop-unpacked-without-enumerate-notebook"] = [
    '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

tf = T.Compose([T.Resize((64, 64)), T.ToTensor()])
train_loader = DataLoader(datasets.ImageFolder("sports/train", tf), batch_size=8, shuffle=True)
model = models.resnet18(weights=None, num_classes=3)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
''',
    '''
for epoch in range(3):
    for i, (images, labels) in train_loader:
        outputs = model(images)
        loss = criterion(outputs, labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if i % 10 == 0:
            print(f"epoch {epoch} step {i}: {loss.item():.4f}")
''',
]


def cases():
    out, add, script, notebook = case_builders("torch-more43-", SCRIPTS, CELLS)
    W = ("cpython_basic", "dataloader_worker")
    P = ("cpython_basic", "progress_bars")

    def iai(key, cause, **kw):
        kw.setdefault("framework", "imageai")
        kw.setdefault("timeout", 600)
        script(key, cause, **kw)

    def iai_nb(name, cause, **kw):
        kw.setdefault("framework", "imageai")
        kw.setdefault("timeout", 600)
        notebook(name, cause, **kw)

    notebook("cub-bird-crops-never-resized-notebook", "data.image_size_mismatch", setup=cub_setup)
    notebook("grey-digit-cnn-predict-phone-photo-notebook", "data.image_channels", also=["model.input_shape"],
             setup=imgs(class_folder("digits/train", [str(d) for d in range(10)], 2, size=(28, 28), mode="L")
                        + [("my_digit.jpg", (120, 160), "RGB")]))
    script("fer2013-disgust-rows-dropped-ids-kept-tqdm", "data.label_out_of_range", forms=P, setup=fer_setup)
    notebook("bce-label-column-vs-squeezed-logit-notebook", "data.label_shape",
             setup=imgs(class_folder("chest_xray/train", ["NORMAL", "PNEUMONIA"], 4, size=(100, 90), mode="L",
                                     ext="jpeg")))
    notebook("float64-npy-images-into-conv-notebook", "data.dtype", setup=prep(NPY_PREP))
    script("kaggle-csv-ids-without-extension-workers", "data.missing_or_corrupt", forms=W, setup=cactus_setup)
    notebook("rot90-augment-boxes-flipped-fasterrcnn-notebook", "data.bbox_invalid", setup=panels_setup)
    notebook("cifar-tutorial-net-view-on-112px-notebook", "model.input_shape", also=["data.label_shape"],
             setup=imgs(class_folder("flowers/train", ["daisy", "rose", "tulip"], 6, size=(130, 120))))
    notebook("lraspp-default-21-classes-binary-bce-notebook", "model.output_mismatch", setup=cracks_setup)
    notebook("finetuned-weights-loaded-before-head-swap-notebook", "model.weights_mismatch",
             setup=both(prep(HEAD_PREP), imgs([("bottle.jpg", (200, 260), "RGB")])))
    iai("imageai-resnet50-transfer-from-resnet18-file", "model.weights_mismatch",
        setup=both(imgs(class_folder("mushrooms/train", ["amanita", "boletus", "chanterelle"], 2, size=(80, 80))
                        + class_folder("mushrooms/test", ["amanita", "boletus", "chanterelle"], 1, size=(80, 80))),
                   prep(R18_PREP)))
    notebook("random-rotation-given-right-angles-notebook", "model.api_misuse",
             setup=imgs(class_folder("cells/train", ["healthy", "infected"], 2, size=(96, 96))))
    iai_nb("imageai-trainer-nested-model-directory-notebook", "model.api_misuse", also=["other"],
           setup=imgs(class_folder("fruits/train", ["apple", "banana"], 2, size=(80, 80))
                      + class_folder("fruits/test", ["apple", "banana"], 1, size=(80, 80))))
    notebook("validation-probs-numpy-outside-no-grad-notebook", "optim.autograd_graph",
             setup=imgs(class_folder("melanoma/train", ["benign", "malignant"], 2, size=(72, 72))
                        + class_folder("melanoma/val", ["benign", "malignant"], 2, size=(72, 72))))
    script("whole-slide-tile-to-float-tensor-rlimit", "resource.host_memory", argv="tile_slide.py",
           setup=prep(SLIDE_PREP), timeout=400)
    script("tar-shards-opened-in-init-spawn-workers", "env.multiprocessing", setup=prep(TAR_PREP))
    notebook("np-in1d-pseudo-label-filter-notebook", "env.version_incompat",
             setup=imgs(class_folder("plankton/unlabelled", ["all"], 6, size=(56, 56))))
    notebook("kaggle-accelerator-off-model-to-cuda-notebook", "env.cuda_setup")
    notebook("loader-loop-unpacked-without-enumerate-notebook", "other",
             setup=imgs(class_folder("sports/train", ["cricket", "hockey", "tennis"], 3, size=(72, 72))))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
