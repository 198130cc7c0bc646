"""A thirty-second held-out set of PyTorch / torchvision / ImageAI 3 failures: five causes, each
reached in realistic training code on the user's own data, none a repeat of the scenarios in
the other generators.

- data.missing_or_corrupt: a labels CSV re-saved by Excel with a byte-order mark read with
  ``csv.DictReader``, a CSV written with ``;`` by a German-locale Excel (in workers), a label
  file written with an unquoted comma in a file name (``np.genfromtxt``), a labels json that a
  labelling helper appended to twice, an ImageAI class json copied as 0 bytes, a 0-byte sign
  language clip read with OpenCV (in workers), a cell mask ``.npy`` whose copy was cut short, a
  label cache left empty by a killed feature-extraction run;
- optim.divergence: k-means on the codes of an autoencoder pretrained on raw 0-255 pixels (deep
  embedded clustering), a PCA plot of center-loss embeddings after a too-large learning rate
  (notebook), a copied DETR ``generalized_box_iou`` assert on boxes that blew up, a sum-reduced
  denoising autoencoder loss caught by the user's own assert, a hand-written focal loss taking
  log(0) under anomaly mode, a feature standardisation dividing by the std of a last batch of one
  (anomaly mode), a strict ``allow_nan=False`` metrics json of an age regressor, a Deep SVDD
  anomaly detector whose Gaussian fit gets NaN features (``cholesky``);
- data.label_shape: one-hot labels into a copied label-smoothing loss (``scatter_``) and a copied
  SupCon loss, masks with a channel axis into a Dice ``one_hot``, polygon masks rasterised as
  (width, height), class indices into ``sigmoid_focal_loss`` and ``MultiLabelSoftMarginLoss``, pose
  heatmaps drawn at the input resolution, one-hot labels in RetinaNet targets;
- other: plain bugs (an epoch count from an environment variable, a notebook ``train`` function
  replaced by a loader, ``sum`` shadowed by a counter, a class id parsed with its extension, an
  ImageAI probability concatenated to a string, ``%`` before ``/``, ``:03d`` on a fractional
  epoch, an early-stopping ``best`` of None);
- data.dtype: a float mask into a two-class CrossEntropyLoss, an ImageNet normalisation in
  float64 numpy, a float label in a ``bincount`` confusion matrix and as an index into class
  weights, int64 one-hot masks to ``draw_segmentation_masks`` (notebook), int64 masks resized with
  ``interpolate``, float CSV labels into ``one_hot``, a float64 numpy affine matrix into
  ``grid_sample``.

Every case is a small real program run on CPU with the torch venv (no GPU, no downloads); the
label is known by construction (what the program breaks).

    /work/venvs/torch/bin/python corpus/generators/torch_more32.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _record import Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders  # noqa: E402,F401
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more32.py"

SCRIPTS = {}
CELLS = {}

W = ["cpython_basic", "dataloader_worker"]
P = ["cpython_basic", "progress_bars?"]

# a small classifier most scripts below use (users copy one like it from a tutorial)
SMALL_CNN = '''
class SmallCNN(nn.Module):
    def __init__(self, num_classes):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
        )
        self.classifier = nn.Linear(32, num_classes)

    def forward(self, x):
        return self.classifier(self.features(x).flatten(1))
'''


def cnn(script: str) -> str:
    return script.replace("@@SMALL_CNN@@", SMALL_CNN)


# ===================================================================== 1. data.missing_or_corrupt
SCRIPTS["leaf-labels-csv-excel-bom-dictreader"] = cnn('''
import csv
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

CLASSES = ["healthy", "rust", "scab"]
tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])


class Leaves(Dataset):
    def __init__(self, root, csv_file, transform=None):
        self.root = root
        self.transform = transform
        with open(csv_file, newline="") as f:
            self.rows = [(r["image"], CLASSES.index(r["label"])) for r in csv.DictReader(f)]

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        name, label = self.rows[i]
        img = Image.open(os.path.join(self.root, name)).convert("RGB")
        return self.transform(img), label

@@SMALL_CNN@@

# labels.csv was fixed by hand in Excel (two rows had the wrong disease) and saved again
ds = Leaves("data/leaves/images", "data/leaves/labels.csv", tf)
loader = DataLoader(ds, batch_size=8, shuffle=True)
model = SmallCNN(len(CLASSES))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(3):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: loss {loss.item():.4f}")
''')


def leaves_setup(work: Path):
    kinds = ["healthy", "rust", "scab"]
    make_images(work, [(f"data/leaves/images/leaf_{i:03d}.jpg", (120, 100), "RGB") for i in range(9)])
    rows = "image,label\r\n" + "".join(f"leaf_{i:03d}.jpg,{kinds[i % 3]}\r\n" for i in range(9))
    (work / "data/leaves/labels.csv").write_bytes(b"\xef\xbb\xbf" + rows.encode())


SCRIPTS["wound-grades-csv-semicolon-excel-workers"] = cnn('''
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

tf = transforms.Compose([transforms.Resize((80, 80)), transforms.ToTensor()])


class WoundGrades(Dataset):
    """images/ + grades.csv (filename,grade) exported from the clinic's spreadsheet"""

    def __init__(self, root, transform):
        self.root = root
        self.transform = transform
        with open(os.path.join(root, "grades.csv"), encoding="utf-8") as f:
            self.lines = f.read().splitlines()[1:]      # skip the header

    def __len__(self):
        return len(self.lines)

    def __getitem__(self, i):
        name, grade = self.lines[i].split(",")
        img = Image.open(os.path.join(self.root, "images", name)).convert("RGB")
        return self.transform(img), int(grade)

@@SMALL_CNN@@

def main():
    loader = DataLoader(WoundGrades("data/wounds", tf), batch_size=4, shuffle=True, num_workers=2)
    model = SmallCNN(4)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    for epoch in range(5):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print("epoch", epoch, "loss", round(loss.item(), 4))


if __name__ == "__main__":
    main()
''')


def wounds_setup(work: Path):
    make_images(work, [(f"data/wounds/images/wound_{i:03d}.jpg", (100, 100), "RGB") for i in range(8)])
    # Excel on a German-locale laptop writes ';' as the list separator
    (work / "data/wounds/grades.csv").write_text(
        "filename;grade\n" + "".join(f"wound_{i:03d}.jpg;{i % 4}\n" for i in range(8)), encoding="utf-8")


SCRIPTS["coin-grades-genfromtxt-unquoted-comma-in-name"] = cnn('''
import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, TensorDataset
from torchvision import transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

table = np.genfromtxt("data/coins/grades.csv", delimiter=",", names=True, dtype=None, encoding="utf-8")
print("rows:", len(table))
x = torch.stack([tf(Image.open(f"data/coins/photos/{name}").convert("RGB")) for name in table["file"]])
y = torch.as_tensor(table["grade"], dtype=torch.long)
loader = DataLoader(TensorDataset(x, y), batch_size=4, shuffle=True)

@@SMALL_CNN@@

model = SmallCNN(5)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for xb, yb in loader:
        loss = nn.functional.cross_entropy(model(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
''')


def coins_setup(work: Path):
    names = [f"lot_{i:02d}_obverse.jpg" for i in range(7)] + ["lot 07, reverse.jpg", "lot_08_obverse.jpg"]
    make_images(work, [(f"data/coins/photos/{n}", (90, 90), "RGB") for n in names])
    # written by the scanning script: f.write(f"{name},{grade}\\n") (no quoting)
    (work / "data/coins/grades.csv").write_text(
        "file,grade\n" + "".join(f"{n},{i % 5}\n" for i, n in enumerate(names)))


CELLS["herbarium-labels-json-appended-twice-notebook"] = [
    '''
import json
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms
''',
    '''
# labels.json is written by our little tagging tool (one entry per sheet)
with open("herbarium/labels.json") as f:
    labels = json.load(f)
classes = sorted(set(labels.values()))
print(len(labels), "sheets,", classes)
''',
    '''
class Sheets(Dataset):
    def __init__(self, root, labels, classes):
        self.items = [(os.path.join(root, k), classes.index(v)) for k, v in labels.items()]
        self.tf = transforms.Compose([transforms.Resize((96, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        path, y = self.items[i]
        return self.tf(Image.open(path).convert("RGB")), y

loader = DataLoader(Sheets("herbarium/sheets", labels, classes), batch_size=4, shuffle=True)
''',
]


def herbarium_setup(work: Path):
    make_images(work, [(f"herbarium/sheets/sheet_{i:03d}.jpg", (64, 96), "RGB") for i in range(8)])
    # the tool opens labels.json with mode "a": the second tagging session was appended
    first = {f"sheet_{i:03d}.jpg": ["acer", "quercus"][i % 2] for i in range(5)}
    second = {f"sheet_{i:03d}.jpg": ["acer", "quercus"][i % 2] for i in range(5, 8)}
    import json
    (work / "herbarium/labels.json").write_text(json.dumps(first, indent=1) + "\n" + json.dumps(second, indent=1) + "\n")


SAVE_CLS = '''
import json
import os
import torch
import torchvision

os.makedirs(os.path.dirname("@@PT@@") or ".", exist_ok=True)
torch.save(torchvision.models.@@ARCH@@(num_classes=@@NC@@).state_dict(), "@@PT@@")
json.dump({str(i): c for i, c in enumerate(@@LABELS@@)}, open("@@JSON@@", "w"))
'''


def save_cls(arch, labels, pt, js):
    n = labels.count(",") + 1
    return prep(sub(SAVE_CLS, ARCH=arch, NC=str(n), PT=pt, JSON=js, LABELS=labels))


IAI_EMPTY_JSON = '''
import glob

from imageai.Classification.Custom import CustomImageClassification

# model + class mapping copied over from the training machine (Google Drive sync)
classifier = CustomImageClassification()
classifier.setModelTypeAsMobileNetV2()
classifier.setModelPath("models/mobilenet_v2-mushrooms-test_acc_0.84375_epoch-27.pt")
classifier.setJsonPath("models/mushrooms_model_classes.json")
classifier.loadModel()

for path in sorted(glob.glob("to_sort/*.jpg")):
    names, probs = classifier.classifyImage(path, result_count=2)
    print(path, names[0], probs[0])
'''

SCRIPTS["sign-clips-zero-byte-mp4-workers"] = '''
import glob
import os

import cv2
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset

SIGNS = ["hello", "thanks", "yes"]


class SignClips(Dataset):
    """clips/<sign>/<id>.mp4 recorded on the phone app, 8 frames per clip"""

    def __init__(self, root, num_frames=8):
        self.files = sorted(glob.glob(os.path.join(root, "*", "*.mp4")))
        self.num_frames = num_frames

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        path = self.files[i]
        cap = cv2.VideoCapture(path)
        frames = []
        for _ in range(self.num_frames):
            ok, frame = cap.read()
            frames.append(torch.from_numpy(frame))
        cap.release()
        clip = torch.stack(frames).permute(3, 0, 1, 2).float() / 255.0    # C, T, H, W
        clip = nn.functional.interpolate(clip, size=(56, 56))
        return clip, SIGNS.index(os.path.basename(os.path.dirname(path)))


def main():
    model = nn.Sequential(nn.Conv3d(3, 16, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool3d(1),
                          nn.Flatten(), nn.Linear(16, len(SIGNS)))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loader = DataLoader(SignClips("data/clips"), batch_size=2, shuffle=False, num_workers=2)
    for epoch in range(3):
        for clips, y in loader:
            loss = nn.functional.cross_entropy(model(clips), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print("epoch", epoch, loss.item())


if __name__ == "__main__":
    main()
'''

CLIPS = '''
import os
import cv2
import numpy as np

rng = np.random.default_rng(0)
for sign in ["hello", "thanks", "yes"]:
    os.makedirs(f"data/clips/{sign}", exist_ok=True)
    for k in range(2):
        path = f"data/clips/{sign}/{sign}_{k:02d}.mp4"
        if sign == "hello" and k == 1:
            open(path, "wb").close()     # the app crashed while saving this one
            continue
        w = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*"mp4v"), 15, (96, 72))
        for _ in range(10):
            w.write(rng.integers(0, 255, (72, 96, 3), dtype=np.uint8))
        w.release()
'''

SCRIPTS["cell-masks-npy-copy-cut-short"] = '''
import glob
import os

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset


class Cells(Dataset):
    """images/*.png + masks/*.npy (instance ids from the labelling tool, 0 = background)"""

    def __init__(self, root):
        self.images = sorted(glob.glob(os.path.join(root, "images", "*.png")))
        self.root = root

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        name = os.path.splitext(os.path.basename(self.images[i]))[0]
        img = np.asarray(Image.open(self.images[i]).convert("RGB"), dtype=np.float32) / 255.0
        mask = np.load(os.path.join(self.root, "masks", name + ".npy"))
        fg = (mask > 0).astype(np.float32)
        return torch.from_numpy(img).permute(2, 0, 1), torch.from_numpy(fg)[None]


net = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 16, 3, padding=1), nn.ReLU(),
                    nn.Conv2d(16, 1, 1))
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
loader = DataLoader(Cells("data/cells/train"), batch_size=4, shuffle=False)
for epoch in range(3):
    for x, y in loader:
        loss = nn.functional.binary_cross_entropy_with_logits(net(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch} bce {loss.item():.4f}")
'''

CELLS_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(0)
os.makedirs("data/cells/train/images", exist_ok=True)
os.makedirs("data/cells/train/masks", exist_ok=True)
for i in range(8):
    Image.fromarray(rng.integers(0, 255, (64, 64, 3), dtype=np.uint8)).save(f"data/cells/train/images/cell_{i:03d}.png")
    m = np.zeros((64, 64), dtype=np.int32)
    m[10:30, 12:28] = 1
    m[35:55, 30:50] = 2
    np.save(f"data/cells/train/masks/cell_{i:03d}.npy", m)
# rsync from the microscope PC was interrupted while copying this one
p = "data/cells/train/masks/cell_002.npy"
data = open(p, "rb").read()
open(p, "wb").write(data[: len(data) * 2 // 3])
'''

SCRIPTS["linear-probe-label-cache-left-empty"] = '''
import os

import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader, TensorDataset
from torchvision import datasets, transforms

FEATS, LABELS = "cache/train_feats.pt", "cache/train_labels.pt"

if os.path.exists(FEATS) and os.path.exists(LABELS):
    print("loading cached features")
    feats = torch.load(FEATS)
    labels = torch.load(LABELS)
else:
    backbone = torchvision.models.resnet18(weights=None)
    backbone.fc = nn.Identity()
    backbone.eval()
    ds = datasets.ImageFolder("data/birds/train", transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()]))
    with torch.no_grad():
        out = [(backbone(x), y) for x, y in DataLoader(ds, batch_size=8)]
    feats, labels = torch.cat([o[0] for o in out]), torch.cat([o[1] for o in out])
    os.makedirs("cache", exist_ok=True)
    torch.save(feats, FEATS)
    torch.save(labels, LABELS)

probe = nn.Linear(feats.shape[1], int(labels.max()) + 1)
opt = torch.optim.SGD(probe.parameters(), lr=0.1)
for epoch in range(20):
    for f, y in DataLoader(TensorDataset(feats, labels), batch_size=16, shuffle=True):
        loss = nn.functional.cross_entropy(probe(f), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
print("probe loss", loss.item())
'''

# the previous run was killed (disk quota) between the two torch.save calls
LABEL_CACHE = '''
import os
import torch
os.makedirs("cache", exist_ok=True)
torch.save(torch.randn(24, 512), "cache/train_feats.pt")
open("cache/train_labels.pt", "wb").close()
'''


# ======================================================================== 2. optim.divergence
SCRIPTS["dec-autoencoder-kmeans-on-nan-codes"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from scipy.cluster.vq import kmeans2

# step 1 of deep embedded clustering: pretrain an autoencoder on the unlabelled drone tiles,
# step 2: k-means on the codes gives the initial clusters
torch.manual_seed(0)
K = 4
files = sorted(glob.glob("data/tiles/*.png"))
x_all = torch.stack([torch.from_numpy(np.asarray(Image.open(f).convert("RGB"), dtype=np.float32)).permute(2, 0, 1)
                     for f in files])

encoder = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2, padding=1), nn.ReLU(),
                        nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.ReLU(),
                        nn.Flatten(), nn.Linear(32 * 12 * 12, 10))
decoder = nn.Sequential(nn.Linear(10, 32 * 12 * 12), nn.ReLU(), nn.Unflatten(1, (32, 12, 12)),
                        nn.ConvTranspose2d(32, 16, 2, stride=2), nn.ReLU(), nn.ConvTranspose2d(16, 3, 2, stride=2))
opt = torch.optim.SGD(list(encoder.parameters()) + list(decoder.parameters()), lr=3e-3, momentum=0.9)

for epoch in range(6):
    perm = torch.randperm(len(x_all))
    for i in range(0, len(x_all), 8):
        xb = x_all[perm[i:i + 8]]
        loss = nn.functional.mse_loss(decoder(encoder(xb)), xb)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"pretrain epoch {epoch}: reconstruction loss {loss.item():.2f}")

with torch.no_grad():
    codes = encoder(x_all).numpy()
centroids, assign = kmeans2(codes, K, minit="++", seed=0)
print("initial cluster sizes", np.bincount(assign, minlength=K).tolist())
torch.save({"encoder": encoder.state_dict(), "centroids": torch.from_numpy(centroids)}, "dec_init.pt")
'''

CELLS["center-loss-embeddings-pca-plot-notebook"] = [
    '''
import glob
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
''',
    '''
# whale flukes: one folder per individual
root = "flukes/train"
ids = sorted(os.listdir(root))
x, y = [], []
for k, ind in enumerate(ids):
    for f in sorted(glob.glob(f"{root}/{ind}/*.jpg")):
        x.append(torch.from_numpy(np.asarray(Image.open(f).convert("L").resize((64, 32)), dtype=np.float32)))
        y.append(k)
x = torch.stack(x)[:, None]
y = torch.tensor(y)
print(x.shape, y.bincount().tolist())
''',
    '''
# softmax + center loss (Wen et al. 2016): pulls each embedding to the centre of its individual
torch.manual_seed(0)
embed = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                      nn.Linear(32, 16))
head = nn.Linear(16, len(ids))
centers = nn.Parameter(torch.zeros(len(ids), 16))
opt = torch.optim.SGD([*embed.parameters(), *head.parameters(), centers], lr=0.1, momentum=0.9)  # 0.01 was too slow
for epoch in range(30):
    f = embed(x)
    loss = F.cross_entropy(head(f), y) + 0.1 * ((f - centers[y]) ** 2).sum(1).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    if epoch % 5 == 0:
        print(epoch, loss.item())
''',
    '''
# 2-D PCA of the embeddings to check that the individuals separate
with torch.no_grad():
    emb = embed(x)
U, S, V = torch.pca_lowrank(emb, q=2)
xy = emb @ V[:, :2]
for k, ind in enumerate(ids):
    print(ind, xy[y == k].mean(0).tolist())
''',
]

SCRIPTS["box-regressor-detr-giou-assert-after-blowup"] = '''
import glob
import json

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torchvision.ops.boxes import box_area

from box_ops import generalized_box_iou

# one product per shelf photo, box in pixels (x1, y1, x2, y2)
ann = json.load(open("data/shelf/boxes.json"))
x = torch.stack([torch.from_numpy(np.asarray(Image.open(f"data/shelf/{k}"), dtype=np.float32) / 255.0).permute(2, 0, 1)
                 for k in ann])
target = torch.tensor(list(ann.values()), dtype=torch.float32)


class BoxNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(3, 16, 5, stride=2), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2), nn.ReLU(),
                                  nn.AdaptiveAvgPool2d(4), nn.Flatten())
        self.head = nn.Linear(32 * 16, 4)

    def forward(self, img):
        out = self.head(self.body(img))
        xy = out[:, :2] * 100
        wh = out[:, 2:].exp() * 20            # keeps x2 > x1 and y2 > y1
        return torch.cat([xy, xy + wh], dim=1)


torch.manual_seed(0)
model = BoxNet()
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
for step in range(200):
    pred = model(x)
    giou = torch.diag(generalized_box_iou(pred, target))
    loss = nn.functional.l1_loss(pred, target) + (1 - giou).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"step {step}: loss {loss.item():.3f}")
'''

BOX_OPS = '''
"""
Utilities for bounding box manipulation and GIoU (copied from DETR util/box_ops.py).
"""
import torch
from torchvision.ops.boxes import box_area


def box_iou(boxes1, boxes2):
    area1 = box_area(boxes1)
    area2 = box_area(boxes2)

    lt = torch.max(boxes1[:, None, :2], boxes2[:, :2])  # [N,M,2]
    rb = torch.min(boxes1[:, None, 2:], boxes2[:, 2:])  # [N,M,2]

    wh = (rb - lt).clamp(min=0)  # [N,M,2]
    inter = wh[:, :, 0] * wh[:, :, 1]  # [N,M]

    union = area1[:, None] + area2 - inter

    iou = inter / union
    return iou, union


def generalized_box_iou(boxes1, boxes2):
    """
    Generalized IoU from https://giou.stanford.edu/

    The boxes should be in [x0, y0, x1, y1] format

    Returns a [N, M] pairwise matrix, where N = len(boxes1)
    and M = len(boxes2)
    """
    # degenerate boxes gives inf / nan results
    # so do an early check
    assert (boxes1[:, 2:] >= boxes1[:, :2]).all()
    assert (boxes2[:, 2:] >= boxes2[:, :2]).all()
    iou, union = box_iou(boxes1, boxes2)

    lt = torch.min(boxes1[:, None, :2], boxes2[:, :2])
    rb = torch.max(boxes1[:, None, 2:], boxes2[:, 2:])

    wh = (rb - lt).clamp(min=0)  # [N,M,2]
    area = wh[:, :, 0] * wh[:, :, 1]

    return iou - (area - union) / area
'''


def shelf_setup(work: Path):
    import json
    import random
    rnd = random.Random(5)
    make_images(work, [(f"data/shelf/shelf_{i:03d}.jpg", (128, 96), "RGB") for i in range(12)])
    boxes = {}
    for i in range(12):
        x1, y1 = rnd.randint(5, 60), rnd.randint(5, 40)
        boxes[f"shelf_{i:03d}.jpg"] = [x1, y1, x1 + rnd.randint(20, 60), y1 + rnd.randint(20, 50)]
    (work / "data/shelf/boxes.json").write_text(json.dumps(boxes, indent=1))


SCRIPTS["denoising-ae-sum-loss-own-finite-assert"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from tqdm import tqdm


class Scans(Dataset):
    def __init__(self, pattern):
        self.files = sorted(glob.glob(pattern))

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        clean = torch.from_numpy(np.asarray(Image.open(self.files[i]).convert("L"), dtype=np.float32) / 255.0)[None]
        noisy = clean + 0.1 * torch.randn_like(clean)
        return noisy, clean


model = nn.Sequential(
    nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.Conv2d(32, 32, 3, stride=2, padding=1), nn.ReLU(),
    nn.ConvTranspose2d(32, 32, 2, stride=2), nn.ReLU(), nn.Conv2d(32, 1, 3, padding=1),
)
torch.manual_seed(0)
criterion = nn.MSELoss(reduction="sum")       # per-pixel errors are tiny, the mean looked stuck
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
loader = DataLoader(Scans("data/scans/*.png"), batch_size=8, shuffle=True)

for epoch in range(5):
    for step, (noisy, clean) in enumerate(tqdm(loader, desc=f"epoch {epoch}")):
        loss = criterion(model(noisy), clean)
        assert torch.isfinite(loss), f"non-finite loss {loss.item()} at epoch {epoch}, step {step}"
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

SCRIPTS["seg-hand-focal-loss-log-zero-anomaly"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset


class Cracks(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/images/*.jpg"))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = np.asarray(Image.open(self.images[i]).convert("RGB"), dtype=np.float32)
        mask = np.asarray(Image.open(self.images[i].replace("/images/", "/masks/").replace(".jpg", ".png")))
        return torch.from_numpy(img).permute(2, 0, 1), torch.from_numpy((mask > 127).astype(np.float32))[None]


def focal_loss(logits, target, alpha=0.25, gamma=2.0):
    p = torch.sigmoid(logits)
    pos = -alpha * (1 - p) ** gamma * target * torch.log(p)
    neg = -(1 - alpha) * p ** gamma * (1 - target) * torch.log(1 - p)
    return (pos + neg).mean()


torch.autograd.set_detect_anomaly(True)
torch.manual_seed(0)
model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 16, 3, padding=1), nn.ReLU(),
                      nn.Conv2d(16, 1, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
loader = DataLoader(Cracks("data/cracks"), batch_size=4, shuffle=True)
for epoch in range(20):
    for img, mask in loader:
        loss = focal_loss(model(img), mask)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: focal {loss.item():.5f}")
'''


def cracks_setup(work: Path):
    from PIL import Image, ImageDraw
    make_images(work, [(f"data/cracks/images/c_{i:03d}.jpg", (64, 64), "RGB") for i in range(8)])
    (work / "data/cracks/masks").mkdir(parents=True, exist_ok=True)
    for i in range(8):
        m = Image.new("L", (64, 64), 0)
        ImageDraw.Draw(m).line([(4 + i, 2), (40 + i, 60)], fill=255, width=3)
        m.save(work / f"data/cracks/masks/c_{i:03d}.png")


SCRIPTS["tabular-image-batch-standardise-last-batch-of-one"] = '''
import csv

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class Listings(Dataset):
    """house photo + (rooms, area_m2, year) -> price band"""

    def __init__(self, csv_file):
        self.rows = list(csv.DictReader(open(csv_file)))
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        img = self.tf(Image.open(f"data/listings/{r['photo']}").convert("RGB"))
        tab = torch.tensor([float(r["rooms"]), float(r["area"]), float(r["year"])])
        return img, tab, int(r["band"])


class Fusion(nn.Module):
    def __init__(self):
        super().__init__()
        self.cnn = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.head = nn.Linear(16 + 3, 3)

    def forward(self, img, tab):
        tab = (tab - tab.mean(0)) / tab.std(0)          # standardise the tabular columns per batch
        return self.head(torch.cat([self.cnn(img), tab], dim=1))


torch.autograd.set_detect_anomaly(True)
torch.manual_seed(0)
model = Fusion()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loader = DataLoader(Listings("data/listings/listings.csv"), batch_size=8, shuffle=False)
for epoch in range(3):
    for img, tab, y in loader:
        loss = nn.functional.cross_entropy(model(img, tab), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''


def listings_setup(work: Path):
    import random
    rnd = random.Random(2)
    make_images(work, [(f"data/listings/house_{i:03d}.jpg", (80, 60), "RGB") for i in range(17)])
    rows = ["photo,rooms,area,year,band"]
    for i in range(17):
        rows.append(f"house_{i:03d}.jpg,{rnd.randint(1, 6)},{rnd.randint(35, 220)},{rnd.randint(1890, 2022)},{i % 3}")
    (work / "data/listings/listings.csv").write_text("\n".join(rows) + "\n")


SCRIPTS["age-regressor-strict-json-metrics-nan"] = '''
import glob
import json
import os

import numpy as np
import torch
import torch.nn as nn
from PIL import Image

# faces/<age>_<id>.jpg (UTKFace naming)
files = sorted(glob.glob("data/faces/*.jpg"))
x = torch.stack([torch.from_numpy(np.asarray(Image.open(f).convert("RGB"), dtype=np.float32) / 255.0).permute(2, 0, 1)
                 for f in files])
age = torch.tensor([float(os.path.basename(f).split("_")[0]) for f in files])
x_tr, y_tr, x_va, y_va = x[:12], age[:12], x[12:], age[12:]

torch.manual_seed(0)
model = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2), nn.BatchNorm2d(16), nn.ReLU(),
                      nn.Conv2d(16, 32, 3, stride=2), nn.BatchNorm2d(32), nn.ReLU(),
                      nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.3, momentum=0.9)      # BatchNorm lets us use a big lr
history = []
for epoch in range(20):
    model.train()
    for i in range(0, 12, 4):
        loss = nn.functional.mse_loss(model(x_tr[i:i + 4]).squeeze(1), y_tr[i:i + 4])
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()
    with torch.no_grad():
        val_mae = (model(x_va).squeeze(1) - y_va).abs().mean().item()
    history.append({"epoch": epoch, "train_mse": loss.item(), "val_mae": val_mae})
    # the dashboard (JavaScript) reads this file, so keep it strict JSON
    with open("runs/age/metrics.json", "w") as f:
        json.dump(history, f, indent=2, allow_nan=False)
    print(f"epoch {epoch}: val MAE {val_mae:.2f} years")
'''


def faces_setup(work: Path):
    import random
    rnd = random.Random(4)
    make_images(work, [(f"data/faces/{rnd.randint(18, 80)}_{i:04d}.jpg", (48, 48), "RGB") for i in range(16)])
    (work / "runs/age").mkdir(parents=True, exist_ok=True)


SCRIPTS["deep-svdd-bottles-gaussian-fit-cholesky"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
from PIL import Image

# one-class anomaly detection (Deep SVDD) trained on good bottles only
torch.manual_seed(0)
files = sorted(glob.glob("data/bottles/train/good/*.png"))
x = torch.stack([torch.from_numpy(np.asarray(Image.open(f).convert("RGB").resize((48, 48)), dtype=np.float32) / 255.0)
                 .permute(2, 0, 1) for f in files])

net = nn.Sequential(nn.Conv2d(3, 16, 5, padding=2, bias=False), nn.LeakyReLU(0.1), nn.MaxPool2d(2),
                    nn.Conv2d(16, 32, 5, padding=2, bias=False), nn.LeakyReLU(0.1), nn.MaxPool2d(2),
                    nn.Flatten(), nn.Linear(32 * 12 * 12, 32, bias=False))
with torch.no_grad():
    c = net(x).mean(0)                     # hypersphere centre from the initial features
opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9)
for epoch in range(10):
    for i in range(0, len(x), 4):
        loss = ((net(x[i:i + 4]) - c) ** 2).sum(1).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: svdd loss {loss.item():.6f}")

# anomaly score = Mahalanobis distance to the good embeddings
with torch.no_grad():
    feats = net(x)
mean = feats.mean(0)
cov = torch.cov(feats.T) + 1e-3 * torch.eye(feats.shape[1])
L = torch.linalg.cholesky(cov)
torch.save({"net": net.state_dict(), "mean": mean, "chol": L}, "svdd_bottles.pt")
print("saved detector")
'''


# ========================================================================= 3. data.label_shape
SCRIPTS["label-smoothing-loss-one-hot-labels-from-keras"] = cnn('''
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


class LabelSmoothingLoss(nn.Module):
    """from a blog post"""

    def __init__(self, classes, smoothing=0.1, dim=-1):
        super().__init__()
        self.confidence = 1.0 - smoothing
        self.smoothing = smoothing
        self.cls = classes
        self.dim = dim

    def forward(self, pred, target):
        pred = pred.log_softmax(dim=self.dim)
        with torch.no_grad():
            true_dist = torch.zeros_like(pred)
            true_dist.fill_(self.smoothing / (self.cls - 1))
            true_dist.scatter_(1, target.data.unsqueeze(1), self.confidence)
        return torch.mean(torch.sum(-true_dist * pred, dim=self.dim))

@@SMALL_CNN@@

# arrays prepared for the old Keras version of this project (labels one-hot for categorical_crossentropy)
data = np.load("data/fabric_defects.npz")
x = torch.from_numpy(data["x"]).permute(0, 3, 1, 2).float() / 255.0
y = torch.from_numpy(data["y"]).long()
print("x", tuple(x.shape), "y", tuple(y.shape))

model = SmallCNN(6)
criterion = LabelSmoothingLoss(classes=6, smoothing=0.1)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for xb, yb in DataLoader(TensorDataset(x, y), batch_size=8, shuffle=True):
        loss = criterion(model(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
''')

FABRIC_NPZ = '''
import os
import numpy as np
rng = np.random.default_rng(0)
os.makedirs("data", exist_ok=True)
labels = rng.integers(0, 6, 24)
np.savez("data/fabric_defects.npz", x=rng.integers(0, 255, (24, 48, 48, 3), dtype=np.uint8),
         y=np.eye(6, dtype=np.float32)[labels])
'''

SCRIPTS["dice-loss-one-hot-masks-with-channel-axis"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset

NUM_CLASSES = 3      # background, liver, tumour


class CTSlices(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/images/*.png"))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = np.asarray(Image.open(self.images[i]).convert("L"), dtype=np.float32) / 255.0
        mask = np.asarray(Image.open(self.images[i].replace("/images/", "/labels/")), dtype=np.int64)
        return torch.from_numpy(img)[None], torch.from_numpy(mask)[None]     # (1, H, W) like the image


def dice_loss(logits, target, eps=1e-6):
    probs = logits.softmax(dim=1)
    one_hot = F.one_hot(target, NUM_CLASSES).permute(0, 3, 1, 2).float()
    inter = (probs * one_hot).sum(dim=(2, 3))
    union = probs.sum(dim=(2, 3)) + one_hot.sum(dim=(2, 3))
    return 1 - ((2 * inter + eps) / (union + eps)).mean()


model = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 16, 3, padding=1), nn.ReLU(),
                      nn.Conv2d(16, NUM_CLASSES, 1))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for img, mask in DataLoader(CTSlices("data/liver/train"), batch_size=4, shuffle=True):
        loss = dice_loss(model(img), mask)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: dice loss {loss.item():.4f}")
'''

LIVER = '''
import os
import numpy as np
from PIL import Image
rng = np.random.default_rng(1)
for d in ("images", "labels"):
    os.makedirs(f"data/liver/train/{d}", exist_ok=True)
for i in range(8):
    Image.fromarray(rng.integers(0, 255, (64, 64), dtype=np.uint8)).save(f"data/liver/train/images/slice_{i:03d}.png")
    m = np.zeros((64, 64), dtype=np.uint8)
    m[16:48, 12:44] = 1
    m[26:34, 20:30] = 2
    Image.fromarray(m).save(f"data/liver/train/labels/slice_{i:03d}.png")
'''

SCRIPTS["supcon-loss-one-hot-labels"] = cnn('''
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset
from torchvision import datasets, transforms


class SupConLoss(nn.Module):
    """Supervised Contrastive Learning (copied from HobbitLong/SupContrast losses.py, trimmed)."""

    def __init__(self, temperature=0.07, base_temperature=0.07):
        super().__init__()
        self.temperature = temperature
        self.base_temperature = base_temperature

    def forward(self, features, labels=None):
        batch_size = features.shape[0]
        if labels is not None:
            labels = labels.contiguous().view(-1, 1)
            if labels.shape[0] != batch_size:
                raise ValueError('Num of labels does not match num of features')
            mask = torch.eq(labels, labels.T).float()
        else:
            mask = torch.eye(batch_size, dtype=torch.float32)
        contrast_count = features.shape[1]
        contrast_feature = torch.cat(torch.unbind(features, dim=1), dim=0)
        anchor_dot_contrast = torch.matmul(contrast_feature, contrast_feature.T) / self.temperature
        logits = anchor_dot_contrast - anchor_dot_contrast.max(dim=1, keepdim=True)[0].detach()
        mask = mask.repeat(contrast_count, contrast_count)
        logits_mask = 1 - torch.eye(batch_size * contrast_count)
        mask = mask * logits_mask
        exp_logits = torch.exp(logits) * logits_mask
        log_prob = logits - torch.log(exp_logits.sum(1, keepdim=True))
        mean_log_prob_pos = (mask * log_prob).sum(1) / mask.sum(1).clamp(min=1)
        return -(self.temperature / self.base_temperature) * mean_log_prob_pos.mean()


class TwoCrops:
    def __init__(self, tf):
        self.tf = tf

    def __call__(self, x):
        return [self.tf(x), self.tf(x)]


# the label encoder was shared with the softmax baseline, which trains on one-hot targets
class OneHot:
    def __init__(self, n):
        self.n = n

    def __call__(self, y):
        return F.one_hot(torch.tensor(y), self.n)

@@SMALL_CNN@@

aug = transforms.Compose([transforms.RandomResizedCrop(48, scale=(0.5, 1.0)), transforms.RandomHorizontalFlip(),
                          transforms.ToTensor()])
ds = datasets.ImageFolder("data/insects/train", transform=TwoCrops(aug), target_transform=OneHot(4))
encoder = SmallCNN(64)              # 64-d projection
criterion = SupConLoss(temperature=0.1)
opt = torch.optim.SGD(encoder.parameters(), lr=0.05, momentum=0.9)
for epoch in range(5):
    for (v1, v2), labels in DataLoader(ds, batch_size=8, shuffle=True, drop_last=True):
        z = F.normalize(encoder(torch.cat([v1, v2])), dim=1)
        f1, f2 = torch.split(z, [len(v1), len(v2)])
        loss = criterion(torch.stack([f1, f2], dim=1), labels)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
''')

SCRIPTS["polygon-masks-rasterised-width-height-swapped"] = '''
import json

import cv2
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from tqdm import tqdm

CLASSES = ["background", "road", "building"]


class Aerial(Dataset):
    """tiles + polygons.json exported from the annotation tool: {file: {width, height, shapes: [...]}}"""

    def __init__(self, root):
        self.root = root
        self.ann = json.load(open(f"{root}/polygons.json"))
        self.names = sorted(self.ann)

    def __len__(self):
        return len(self.names)

    def __getitem__(self, i):
        name = self.names[i]
        a = self.ann[name]
        img = cv2.cvtColor(cv2.imread(f"{self.root}/tiles/{name}"), cv2.COLOR_BGR2RGB)
        mask = np.zeros((a["width"], a["height"]), dtype=np.uint8)
        for shape in a["shapes"]:
            pts = np.array(shape["points"], dtype=np.int32)
            cv2.fillPoly(mask, [pts], CLASSES.index(shape["label"]))
        x = torch.from_numpy(img).permute(2, 0, 1).float() / 255.0
        return x, torch.from_numpy(mask).long()


model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 16, 3, padding=1), nn.ReLU(),
                      nn.Conv2d(16, len(CLASSES), 1))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loader = DataLoader(Aerial("data/aerial"), batch_size=4, shuffle=True)
for epoch in range(3):
    for x, mask in tqdm(loader, desc=f"epoch {epoch}"):
        loss = nn.functional.cross_entropy(model(x), mask)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''


def aerial_setup(work: Path):
    import json
    make_images(work, [(f"data/aerial/tiles/tile_{i:03d}.jpg", (128, 96), "RGB") for i in range(8)])
    ann = {}
    for i in range(8):
        ann[f"tile_{i:03d}.jpg"] = {"width": 128, "height": 96, "shapes": [
            {"label": "road", "points": [[0, 40 + i], [127, 44 + i], [127, 56 + i], [0, 52 + i]]},
            {"label": "building", "points": [[20, 10], [50, 10], [50, 30], [20, 30]]}]}
    (work / "data/aerial/polygons.json").write_text(json.dumps(ann))


SCRIPTS["class-indices-into-sigmoid-focal-loss"] = cnn('''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from torchvision.ops import sigmoid_focal_loss

# very imbalanced (mostly 'ok' parts), so focal loss instead of plain cross-entropy
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train = datasets.ImageFolder("data/welds/train", tf)
print(train.classes, torch.bincount(torch.tensor(train.targets)).tolist())

@@SMALL_CNN@@

model = SmallCNN(len(train.classes))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for x, y in DataLoader(train, batch_size=8, shuffle=True):
        logits = model(x)
        loss = sigmoid_focal_loss(logits, y.float(), alpha=0.25, gamma=2.0, reduction="mean")
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
''')

SCRIPTS["multilabel-soft-margin-given-primary-tag"] = cnn('''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

TAGS = ["beach", "city", "forest", "mountain", "night"]


class Scenes(Dataset):
    """scenes.csv: file, tags (space separated); a photo can have several tags"""

    def __init__(self, csv_file):
        self.rows = list(csv.DictReader(open(csv_file)))
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        tags = r["tags"].split()
        img = self.tf(Image.open(f"data/scenes/{r['file']}").convert("RGB"))
        return img, TAGS.index(tags[0])

@@SMALL_CNN@@

model = SmallCNN(len(TAGS))
criterion = nn.MultiLabelSoftMarginLoss()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for x, y in DataLoader(Scenes("data/scenes/scenes.csv"), batch_size=8, shuffle=True):
        loss = criterion(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
''')


def scenes_setup(work: Path):
    tags = ["beach", "city night", "forest mountain", "mountain", "city", "beach night", "forest", "night city"]
    make_images(work, [(f"data/scenes/s_{i:03d}.jpg", (80, 60), "RGB") for i in range(16)])
    (work / "data/scenes/scenes.csv").write_text(
        "file,tags\n" + "".join(f"s_{i:03d}.jpg,{tags[i % 8]}\n" for i in range(16)))


SCRIPTS["pose-heatmaps-drawn-at-input-resolution"] = '''
import json

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from tqdm import tqdm

INPUT = 128
NUM_KP = 4          # nose, tail base, left ear, right ear (mice in the cage camera)


def gaussian_heatmaps(kps, size, sigma=2.0):
    ys, xs = np.mgrid[0:size, 0:size]
    return np.stack([np.exp(-((xs - x) ** 2 + (ys - y) ** 2) / (2 * sigma ** 2)) for x, y in kps]).astype(np.float32)


class Mice(Dataset):
    def __init__(self, root):
        self.root = root
        self.ann = json.load(open(f"{root}/keypoints.json"))
        self.names = sorted(self.ann)

    def __len__(self):
        return len(self.names)

    def __getitem__(self, i):
        name = self.names[i]
        img = Image.open(f"{self.root}/frames/{name}").convert("RGB").resize((INPUT, INPUT))
        x = torch.from_numpy(np.asarray(img, dtype=np.float32) / 255.0).permute(2, 0, 1)
        return x, torch.from_numpy(gaussian_heatmaps(self.ann[name], INPUT))


class PoseNet(nn.Module):
    """stride-4 heatmap head, like SimpleBaseline"""

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(3, 32, 3, stride=2, padding=1), nn.ReLU(),
                                  nn.Conv2d(32, 64, 3, stride=2, padding=1), nn.ReLU(),
                                  nn.Conv2d(64, 64, 3, padding=1), nn.ReLU())
        self.head = nn.Conv2d(64, NUM_KP, 1)

    def forward(self, x):
        return self.head(self.body(x))


model = PoseNet()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.MSELoss()
for epoch in range(10):
    for x, hm in tqdm(DataLoader(Mice("data/mice"), batch_size=4, shuffle=True), desc=f"epoch {epoch}"):
        loss = criterion(model(x), hm)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''


def mice_setup(work: Path):
    import json
    make_images(work, [(f"data/mice/frames/f_{i:04d}.jpg", (160, 120), "RGB") for i in range(8)])
    ann = {f"f_{i:04d}.jpg": [[40 + i, 50], [90, 70 + i], [35, 45], [48, 44]] for i in range(8)}
    (work / "data/mice/keypoints.json").write_text(json.dumps(ann))


SCRIPTS["retinanet-targets-one-hot-labels"] = '''
import json

import torch
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import retinanet_resnet50_fpn
from torchvision.transforms.functional import to_tensor

CLASSES = ["__background__", "pedestrian", "cyclist", "car"]


class Street(Dataset):
    def __init__(self, root):
        self.root = root
        self.ann = json.load(open(f"{root}/annotations.json"))
        self.names = sorted(self.ann)

    def __len__(self):
        return len(self.names)

    def __getitem__(self, i):
        name = self.names[i]
        objs = self.ann[name]
        boxes = torch.tensor([o["bbox"] for o in objs], dtype=torch.float32)
        # labels encoded the same way as for the crop classifier we trained before
        labels = F.one_hot(torch.tensor([CLASSES.index(o["label"]) for o in objs]), len(CLASSES))
        return to_tensor(Image.open(f"{self.root}/images/{name}").convert("RGB")), {"boxes": boxes, "labels": labels}


model = retinanet_resnet50_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES), min_size=160, max_size=224)
opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
loader = DataLoader(Street("data/street"), batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
model.train()
for epoch in range(2):
    for images, targets in loader:
        losses = model(list(images), list(targets))
        loss = sum(losses.values())
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, {k: round(v.item(), 3) for k, v in losses.items()})
'''


def street_setup(work: Path):
    import json
    make_images(work, [(f"data/street/images/img_{i:03d}.jpg", (224, 160), "RGB") for i in range(4)])
    ann = {f"img_{i:03d}.jpg": [{"bbox": [20 + i, 30, 70 + i, 120], "label": "pedestrian"},
                                {"bbox": [100, 60, 200, 140], "label": "car"}] for i in range(4)}
    (work / "data/street/annotations.json").write_text(json.dumps(ann))


# ================================================================================ 4. other
SCRIPTS["epochs-from-environment-variable-string"] = cnn('''
import os

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

# settings can be overridden from the job script: EPOCHS=5 LR=3e-4 python train.py
EPOCHS = os.environ.get("EPOCHS", 30)
LR = float(os.environ.get("LR", 1e-3))

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train = datasets.ImageFolder("data/fruit/train", tf)
loader = DataLoader(train, batch_size=8, shuffle=True)

@@SMALL_CNN@@

model = SmallCNN(len(train.classes))
opt = torch.optim.Adam(model.parameters(), lr=LR)
print(f"training {EPOCHS} epochs at lr {LR}")
for epoch in range(EPOCHS):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
''')

CELLS["notebook-train-function-name-reused-for-loader"] = [
    '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, random_split
from torchvision import datasets, transforms
''',
    '''
def train(model, loader, opt):
    model.train()
    total = 0.0
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        total += loss.item() * len(x)
    return total / len(loader.dataset)
''',
    '''
ds = datasets.ImageFolder("flowers", transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()]))
train_ds, val_ds = random_split(ds, [0.75, 0.25], generator=torch.Generator().manual_seed(0))
train = DataLoader(train_ds, batch_size=8, shuffle=True)
val = DataLoader(val_ds, batch_size=8)
print(len(train_ds), "train /", len(val_ds), "val")
''',
    '''
model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                      nn.Linear(16, len(ds.classes)))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(3):
    loss = train(model, train, opt)
    print(epoch, loss)
''',
]

SCRIPTS["builtin-sum-shadowed-by-correct-counter"] = cnn('''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_loader = DataLoader(datasets.ImageFolder("data/tools/train", tf), batch_size=8, shuffle=True)
val_loader = DataLoader(datasets.ImageFolder("data/tools/val", tf), batch_size=8)

@@SMALL_CNN@@

model = SmallCNN(3)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    model.train()
    losses = []
    for x, y in train_loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    train_loss = sum(losses) / len(losses)

    model.eval()
    sum = 0
    with torch.no_grad():
        for x, y in val_loader:
            sum += (model(x).argmax(1) == y).sum().item()
    print(f"epoch {epoch}: train loss {train_loss:.4f}, val acc {sum / len(val_loader.dataset):.3f}")
''')

SCRIPTS["class-id-parsed-with-file-extension-workers"] = cnn('''
import glob
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class Digits(Dataset):
    """meter readings: crops named <meter>_<frame>_<digit>.png"""

    def __init__(self, root):
        self.files = sorted(glob.glob(os.path.join(root, "*.png")))
        self.tf = transforms.Compose([transforms.Grayscale(3), transforms.Resize((32, 32)), transforms.ToTensor()])

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        path = self.files[i]
        label = int(os.path.basename(path).split("_")[-1])
        return self.tf(Image.open(path)), label

@@SMALL_CNN@@

if __name__ == "__main__":
    loader = DataLoader(Digits("data/meter_digits"), batch_size=8, shuffle=True, num_workers=2)
    model = SmallCNN(10)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(5):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())
''')

IAI_SORT_LOG = '''
import glob
import os
import shutil

from imageai.Classification.Custom import CustomImageClassification

classifier = CustomImageClassification()
classifier.setModelTypeAsMobileNetV2()
classifier.setModelPath("models/mobilenet_v2-pottery-test_acc_0.78125_epoch-19.pt")
classifier.setJsonPath("models/pottery_model_classes.json")
classifier.loadModel()

os.makedirs("sorted", exist_ok=True)
with open("sorted/predictions.csv", "w") as log:
    log.write("file,class,probability\\n")
    for path in sorted(glob.glob("inbox/*.jpg")):
        names, probs = classifier.classifyImage(path, result_count=1)
        os.makedirs(os.path.join("sorted", names[0]), exist_ok=True)
        shutil.copy(path, os.path.join("sorted", names[0]))
        log.write(os.path.basename(path) + "," + names[0] + "," + probs[0] + "\\n")
print("done")
'''

SCRIPTS["val-accuracy-percent-format-before-division"] = cnn('''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train = datasets.ImageFolder("data/birds/train", tf)
val = datasets.ImageFolder("data/birds/val", tf)

@@SMALL_CNN@@

model = SmallCNN(len(train.classes))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    model.train()
    for x, y in DataLoader(train, batch_size=8, shuffle=True):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()
    correct, total = 0, 0
    with torch.no_grad():
        for x, y in DataLoader(val, batch_size=8):
            correct += (model(x).argmax(1) == y).sum().item()
            total += len(y)
    print("epoch %d  loss %.4f" % (epoch, loss.item()))
    print("val accuracy: %.2f%%" % correct / total * 100)
''')

SCRIPTS["checkpoint-name-int-format-on-fractional-epoch"] = '''
import os

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from tqdm import tqdm

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train = datasets.ImageFolder("data/pills/train", tf)
loader = DataLoader(train, batch_size=4, shuffle=True)
steps_per_epoch = len(loader)
SAVE_EVERY = steps_per_epoch // 2          # twice per epoch

model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                      nn.Linear(16, len(train.classes)))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
os.makedirs("checkpoints", exist_ok=True)
step = 0
for epoch in range(4):
    for x, y in tqdm(loader, desc=f"epoch {epoch}"):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
        if step % SAVE_EVERY == 0:
            epoch_progress = step / steps_per_epoch
            torch.save(model.state_dict(), f"checkpoints/pills_epoch{epoch_progress:03d}.pt")
'''

SCRIPTS["early-stopping-best-loss-starts-as-none"] = cnn('''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_loader = DataLoader(datasets.ImageFolder("data/xray/train", tf), batch_size=8, shuffle=True)
val_loader = DataLoader(datasets.ImageFolder("data/xray/val", tf), batch_size=8)

@@SMALL_CNN@@

model = SmallCNN(2)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
best_val_loss = None
patience, bad_epochs = 3, 0
for epoch in range(50):
    model.train()
    for x, y in train_loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()
    with torch.no_grad():
        val_loss = sum(nn.functional.cross_entropy(model(x), y, reduction="sum").item() for x, y in val_loader)
    val_loss /= len(val_loader.dataset)
    print(f"epoch {epoch}: val loss {val_loss:.4f}")
    if val_loss < best_val_loss:
        best_val_loss = val_loss
        bad_epochs = 0
        torch.save(model.state_dict(), "best.pt")
    else:
        bad_epochs += 1
        if bad_epochs >= patience:
            print("early stopping")
            break
''')


# ============================================================================== 5. data.dtype
SCRIPTS["binary-seg-two-class-ce-float-mask"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from tqdm import tqdm


class Roofs(Dataset):
    """solar panel segmentation: tiles/*.jpg + masks/*.png (0 / 255)"""

    def __init__(self, root):
        self.tiles = sorted(glob.glob(f"{root}/tiles/*.jpg"))

    def __len__(self):
        return len(self.tiles)

    def __getitem__(self, i):
        img = np.asarray(Image.open(self.tiles[i]).convert("RGB"), dtype=np.float32) / 255.0
        mask = np.asarray(Image.open(self.tiles[i].replace("tiles", "masks").replace(".jpg", ".png")), dtype=np.float32)
        mask = mask / 255.0                           # 0 = background, 1 = panel
        return torch.from_numpy(img).permute(2, 0, 1), torch.from_numpy(mask)


model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 16, 3, padding=1), nn.ReLU(),
                      nn.Conv2d(16, 2, 1))            # two classes: background, panel
criterion = nn.CrossEntropyLoss(weight=torch.tensor([0.3, 0.7]))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(3):
    for img, mask in tqdm(DataLoader(Roofs("data/roofs"), batch_size=4, shuffle=True), desc=f"epoch {epoch}"):
        loss = criterion(model(img), mask)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''


def roofs_setup(work: Path):
    make_images(work, [(f"data/roofs/tiles/t_{i:03d}.jpg", (64, 64), "RGB") for i in range(8)])
    from PIL import Image, ImageDraw
    (work / "data/roofs/masks").mkdir(parents=True, exist_ok=True)
    for i in range(8):
        m = Image.new("L", (64, 64), 0)
        ImageDraw.Draw(m).rectangle([10 + i, 12, 40 + i, 30], fill=255)
        m.save(work / f"data/roofs/masks/t_{i:03d}.png")


SCRIPTS["numpy-imagenet-normalise-float64-resnet"] = '''
import glob
import os

import cv2
import numpy as np
import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader, Dataset

MEAN = np.array([0.485, 0.456, 0.406])
STD = np.array([0.229, 0.224, 0.225])


class Dogs(Dataset):
    def __init__(self, root):
        self.files = sorted(glob.glob(os.path.join(root, "*", "*.jpg")))
        self.classes = sorted(os.listdir(root))

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        img = cv2.cvtColor(cv2.imread(self.files[i]), cv2.COLOR_BGR2RGB)
        img = cv2.resize(img, (112, 112))
        img = (img / 255.0 - MEAN) / STD
        label = self.classes.index(os.path.basename(os.path.dirname(self.files[i])))
        return torch.from_numpy(img.transpose(2, 0, 1)), label


ds = Dogs("data/dogs/train")
model = torchvision.models.resnet18(weights=None, num_classes=len(ds.classes))
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for epoch in range(3):
    for x, y in DataLoader(ds, batch_size=4, shuffle=True):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

SCRIPTS["confusion-matrix-bincount-float-labels"] = cnn('''
import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, TensorDataset
from torchvision import transforms

CLASSES = ["benign", "malignant", "normal"]
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

# split files written by the preprocessing notebook: "<file> <class id>" per line
def load_split(path):
    names = np.loadtxt(path, usecols=0, dtype=str)
    labels = np.loadtxt(path, usecols=1)
    x = torch.stack([tf(Image.open(f"data/ultrasound/{n}").convert("RGB")) for n in names])
    return x, torch.from_numpy(labels)

x_tr, y_tr = load_split("data/ultrasound/train.txt")
x_va, y_va = load_split("data/ultrasound/val.txt")

@@SMALL_CNN@@

model = SmallCNN(len(CLASSES))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    model.train()
    for xb, yb in DataLoader(TensorDataset(x_tr, y_tr), batch_size=8, shuffle=True):
        loss = nn.functional.cross_entropy(model(xb), yb.long())
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: loss {loss.item():.4f}")

model.eval()
with torch.no_grad():
    pred = model(x_va).argmax(1)
n = len(CLASSES)
cm = torch.bincount(n * y_va + pred, minlength=n * n).reshape(n, n)
print(cm)
print("per-class recall", (cm.diag() / cm.sum(1)).tolist())
''')


def ultrasound_setup(work: Path):
    make_images(work, [(f"data/ultrasound/us_{i:03d}.png", (80, 80), "L") for i in range(18)])
    (work / "data/ultrasound/train.txt").write_text("".join(f"us_{i:03d}.png {i % 3}\n" for i in range(12)))
    (work / "data/ultrasound/val.txt").write_text("".join(f"us_{i:03d}.png {i % 3}\n" for i in range(12, 18)))


SCRIPTS["sample-weights-indexed-by-float-labels"] = cnn('''
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

# pre-extracted frames + labels from the annotation export (1 = fall, 0 = no fall)
x = torch.from_numpy(np.load("data/falls/frames.npy")).permute(0, 3, 1, 2).float() / 255.0
y = torch.from_numpy(np.load("data/falls/labels.npy"))
pos = y.sum()
class_weights = torch.tensor([1.0, float((len(y) - pos) / pos)])     # up-weight the rare falls
print("positives:", int(pos), "weights:", class_weights.tolist())

@@SMALL_CNN@@

model = SmallCNN(1)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for xb, yb in DataLoader(TensorDataset(x, y), batch_size=8, shuffle=True):
        logits = model(xb).squeeze(1)
        w = class_weights[yb]
        loss = nn.functional.binary_cross_entropy_with_logits(logits, yb.float(), weight=w)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
''')

FALLS = '''
import os
import numpy as np
rng = np.random.default_rng(0)
os.makedirs("data/falls", exist_ok=True)
np.save("data/falls/frames.npy", rng.integers(0, 255, (24, 48, 48, 3), dtype=np.uint8))
y = np.zeros(24)          # float64, from the exported csv column
y[[3, 9, 17]] = 1
np.save("data/falls/labels.npy", y)
'''

CELLS["draw-segmentation-masks-one-hot-int64-notebook"] = [
    '''
import glob

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torchvision.io import read_image
from torchvision.utils import draw_segmentation_masks
''',
    '''
CLASSES = ["background", "weed", "crop"]
model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, len(CLASSES), 1))
model.load_state_dict(torch.load("weeds_seg.pt"))
model.eval()
''',
    '''
img = read_image("field/plot_07.jpg")
with torch.no_grad():
    pred = model(img[None].float() / 255.0)[0].argmax(0)
print(pred.shape, pred.unique())
''',
    '''
masks = F.one_hot(pred, len(CLASSES)).permute(2, 0, 1)
overlay = draw_segmentation_masks(img, masks[1:], alpha=0.5, colors=["red", "green"])
Image.fromarray(overlay.permute(1, 2, 0).numpy()).save("plot_07_overlay.png")
''',
]

WEEDS_PT = '''
import torch
import torch.nn as nn
torch.manual_seed(0)
m = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 3, 1))
torch.save(m.state_dict(), "weeds_seg.pt")
'''

SCRIPTS["mask-resize-nearest-int64-to-output-size"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset


class Potholes(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/images/*.jpg"))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = Image.open(self.images[i]).convert("RGB").resize((128, 128))
        mask = Image.open(self.images[i].replace("images", "masks").replace(".jpg", ".png")).resize((128, 128), Image.NEAREST)
        x = torch.from_numpy(np.asarray(img, dtype=np.float32) / 255.0).permute(2, 0, 1)
        y = torch.from_numpy(np.asarray(mask, dtype=np.int64))          # class ids 0 / 1
        return x, y


class TinySeg(nn.Module):
    """encoder at stride 4, predictions are upsampled by the loss code"""

    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2, padding=1), nn.ReLU(),
                                 nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.ReLU())
        self.cls = nn.Conv2d(32, 2, 1)

    def forward(self, x):
        return self.cls(self.enc(x))


model = TinySeg()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(3):
    for x, y in DataLoader(Potholes("data/potholes"), batch_size=4, shuffle=True):
        logits = model(x)
        # cheaper to train at the output resolution: shrink the masks instead of upsampling the logits
        y_small = F.interpolate(y[:, None], size=logits.shape[-2:], mode="nearest")[:, 0]
        loss = F.cross_entropy(logits, y_small)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''


def potholes_setup(work: Path):
    from PIL import Image, ImageDraw
    make_images(work, [(f"data/potholes/images/p_{i:03d}.jpg", (160, 120), "RGB") for i in range(8)])
    (work / "data/potholes/masks").mkdir(parents=True, exist_ok=True)
    for i in range(8):
        m = Image.new("L", (160, 120), 0)
        ImageDraw.Draw(m).ellipse([30 + i, 40, 90 + i, 80], fill=1)
        m.save(work / f"data/potholes/masks/p_{i:03d}.png")


SCRIPTS["one-hot-mixup-float-labels-from-csv"] = cnn('''
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, TensorDataset
from torchvision import transforms

NUM_CLASSES = 4
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

table = np.genfromtxt("data/galaxies/labels.csv", delimiter=",", skip_header=1, dtype=None, encoding="utf-8")
x = torch.stack([tf(Image.open(f"data/galaxies/{name}").convert("RGB")) for name, _ in table])
y = torch.tensor([label for _, label in table], dtype=torch.float32)

@@SMALL_CNN@@

model = SmallCNN(NUM_CLASSES)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for xb, yb in DataLoader(TensorDataset(x, y), batch_size=8, shuffle=True):
        # mixup
        lam = np.random.beta(0.4, 0.4)
        perm = torch.randperm(len(xb))
        xb = lam * xb + (1 - lam) * xb[perm]
        yb = F.one_hot(yb, NUM_CLASSES)
        yb = lam * yb + (1 - lam) * yb[perm]
        loss = torch.sum(-yb * F.log_softmax(model(xb), dim=1), dim=1).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
''')


def galaxies_setup(work: Path):
    make_images(work, [(f"data/galaxies/g_{i:04d}.jpg", (72, 72), "RGB") for i in range(16)])
    (work / "data/galaxies/labels.csv").write_text(
        "file,morphology\n" + "".join(f"g_{i:04d}.jpg,{i % 4}\n" for i in range(16)))


SCRIPTS["batch-affine-augment-float64-numpy-theta"] = cnn('''
import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


def random_affine(batch, max_deg=15, max_shift=0.1):
    """rotate + shift the whole batch at once (much faster than per-image transforms)"""
    n = batch.shape[0]
    ang = np.deg2rad(np.random.uniform(-max_deg, max_deg, n))
    tx, ty = np.random.uniform(-max_shift, max_shift, (2, n))
    theta = np.stack([np.stack([np.cos(ang), -np.sin(ang), tx], 1),
                      np.stack([np.sin(ang), np.cos(ang), ty], 1)], 1)
    grid = F.affine_grid(torch.from_numpy(theta), batch.shape, align_corners=False)
    return F.grid_sample(batch, grid, align_corners=False, padding_mode="reflection")

@@SMALL_CNN@@

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train = datasets.ImageFolder("data/leaves/train", tf)
model = SmallCNN(len(train.classes))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for x, y in DataLoader(train, batch_size=8, shuffle=True):
        x = random_affine(x)
        loss = F.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
''')


def cases():
    out, add, script, notebook = case_builders("torch-more32-", SCRIPTS, CELLS)

    def iai(name, cause, files, forms=("cpython_basic",), argv="train.py", args=(), **kw):
        kw.setdefault("framework", "imageai")
        kw.setdefault("timeout", 600)
        add("imageai-" + name, cause, files, forms=forms, argv=[argv, *args], **kw)

    # ---------------------------------------------------------------- 1. data.missing_or_corrupt
    script("leaf-labels-csv-excel-bom-dictreader", "data.missing_or_corrupt", setup=leaves_setup)
    script("wound-grades-csv-semicolon-excel-workers", "data.missing_or_corrupt", forms=W, setup=wounds_setup)
    script("coin-grades-genfromtxt-unquoted-comma-in-name", "data.missing_or_corrupt",
           forms=["cpython_basic", "multiline_message"], setup=coins_setup)
    notebook("herbarium-labels-json-appended-twice-notebook", "data.missing_or_corrupt", setup=herbarium_setup)
    iai("custom-cls-classes-json-zero-bytes", "data.missing_or_corrupt", {"sort_mushrooms.py": IAI_EMPTY_JSON},
        argv="sort_mushrooms.py",
        setup=both(save_cls("mobilenet_v2", '["chanterelle", "fly_agaric", "porcini"]',
                            "models/mobilenet_v2-mushrooms-test_acc_0.84375_epoch-27.pt",
                            "models/mushrooms_model_classes.json"),
                   write("models/mushrooms_model_classes.json", ""),
                   imgs([(f"to_sort/IMG_{i:04d}.jpg", (120, 90), "RGB") for i in range(2)])))
    script("sign-clips-zero-byte-mp4-workers", "data.missing_or_corrupt", forms=W, setup=prep(CLIPS))
    script("cell-masks-npy-copy-cut-short", "data.missing_or_corrupt", setup=prep(CELLS_PREP))
    script("linear-probe-label-cache-left-empty", "data.missing_or_corrupt", setup=both(
        prep(LABEL_CACHE), imgs(class_folder("data/birds/train", ["finch", "tit"], 3, size=(64, 64)))))

    # ---------------------------------------------------------------------- 2. optim.divergence
    script("dec-autoencoder-kmeans-on-nan-codes", "optim.divergence", argv="pretrain_dec.py",
           setup=imgs([(f"data/tiles/tile_{i:03d}.png", (48, 48), "RGB") for i in range(32)]))
    notebook("center-loss-embeddings-pca-plot-notebook", "optim.divergence",
             setup=imgs(class_folder("flukes/train", ["w001", "w017", "w042"], 4, size=(80, 40))))
    script("box-regressor-detr-giou-assert-after-blowup", "optim.divergence", extra={"box_ops.py": BOX_OPS},
           setup=shelf_setup)
    script("denoising-ae-sum-loss-own-finite-assert", "optim.divergence", forms=P,
           setup=imgs([(f"data/scans/page_{i:03d}.png", (64, 64), "L") for i in range(16)]))
    script("seg-hand-focal-loss-log-zero-anomaly", "optim.divergence", setup=cracks_setup)
    script("tabular-image-batch-standardise-last-batch-of-one", "optim.divergence", setup=listings_setup)
    script("age-regressor-strict-json-metrics-nan", "optim.divergence", setup=faces_setup)
    script("deep-svdd-bottles-gaussian-fit-cholesky", "optim.divergence", argv="train_svdd.py",
           setup=imgs([(f"data/bottles/train/good/{i:03d}.png", (64, 64), "RGB") for i in range(16)]))

    # ----------------------------------------------------------------------- 3. data.label_shape
    script("label-smoothing-loss-one-hot-labels-from-keras", "data.label_shape", setup=prep(FABRIC_NPZ))
    script("dice-loss-one-hot-masks-with-channel-axis", "data.label_shape", setup=prep(LIVER))
    script("supcon-loss-one-hot-labels", "data.label_shape", argv="train_supcon.py",
           setup=imgs(class_folder("data/insects/train", ["ant", "bee", "beetle", "wasp"], 3, size=(64, 64))))
    script("polygon-masks-rasterised-width-height-swapped", "data.label_shape", forms=P, setup=aerial_setup)
    script("class-indices-into-sigmoid-focal-loss", "data.label_shape",
           setup=imgs(class_folder("data/welds/train", ["crack", "ok", "porosity"], 4, size=(64, 64))))
    script("multilabel-soft-margin-given-primary-tag", "data.label_shape", setup=scenes_setup)
    script("pose-heatmaps-drawn-at-input-resolution", "data.label_shape", forms=P, setup=mice_setup)
    script("retinanet-targets-one-hot-labels", "data.label_shape", setup=street_setup)

    # ---------------------------------------------------------------------------------- 4. other
    script("epochs-from-environment-variable-string", "other", env={"EPOCHS": "5"},
           setup=imgs(class_folder("data/fruit/train", ["apple", "pear"], 3, size=(64, 64))))
    notebook("notebook-train-function-name-reused-for-loader", "other",
             setup=imgs(class_folder("flowers", ["daisy", "rose", "tulip"], 4, size=(64, 64))))
    script("builtin-sum-shadowed-by-correct-counter", "other",
           setup=imgs(class_folder("data/tools/train", ["hammer", "pliers", "wrench"], 3, size=(64, 64))
                      + class_folder("data/tools/val", ["hammer", "pliers", "wrench"], 1, size=(64, 64))))
    script("class-id-parsed-with-file-extension-workers", "other", forms=W,
           setup=imgs([(f"data/meter_digits/m{k}_{f:04d}_{(k + f) % 10}.png", (20, 32), "L")
                       for k in range(2) for f in range(6)]))
    iai("custom-cls-sort-log-concatenates-probability", "other", {"sort_pottery.py": IAI_SORT_LOG},
        argv="sort_pottery.py",
        setup=both(save_cls("mobilenet_v2", '["amphora", "bowl", "jug"]',
                            "models/mobilenet_v2-pottery-test_acc_0.78125_epoch-19.pt",
                            "models/pottery_model_classes.json"),
                   imgs([(f"inbox/shard_{i:03d}.jpg", (120, 90), "RGB") for i in range(2)])))
    script("val-accuracy-percent-format-before-division", "other",
           setup=imgs(class_folder("data/birds/train", ["crow", "gull"], 3, size=(64, 64))
                      + class_folder("data/birds/val", ["crow", "gull"], 2, size=(64, 64))))
    script("checkpoint-name-int-format-on-fractional-epoch", "other", forms=P,
           setup=imgs(class_folder("data/pills/train", ["a", "b", "c"], 4, size=(48, 48))))
    script("early-stopping-best-loss-starts-as-none", "other",
           setup=imgs(class_folder("data/xray/train", ["normal", "pneumonia"], 4, size=(64, 64), mode="L")
                      + class_folder("data/xray/val", ["normal", "pneumonia"], 2, size=(64, 64), mode="L")))

    # ------------------------------------------------------------------------------ 5. data.dtype
    script("binary-seg-two-class-ce-float-mask", "data.dtype", forms=P, setup=roofs_setup)
    script("numpy-imagenet-normalise-float64-resnet", "data.dtype",
           setup=imgs(class_folder("data/dogs/train", ["beagle", "corgi", "husky"], 2, size=(128, 128))))
    script("confusion-matrix-bincount-float-labels", "data.dtype", setup=ultrasound_setup)
    script("sample-weights-indexed-by-float-labels", "data.dtype", setup=prep(FALLS))
    notebook("draw-segmentation-masks-one-hot-int64-notebook", "data.dtype",
             setup=both(prep(WEEDS_PT), imgs([("field/plot_07.jpg", (96, 72), "RGB")])))
    script("mask-resize-nearest-int64-to-output-size", "data.dtype", setup=potholes_setup)
    script("one-hot-mixup-float-labels-from-csv", "data.dtype", setup=galaxies_setup)
    script("batch-affine-augment-float64-numpy-theta", "data.dtype",
           setup=imgs(class_folder("data/leaves/train", ["healthy", "mildew"], 4, size=(64, 64))))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
