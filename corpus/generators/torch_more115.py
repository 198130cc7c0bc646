"""A hundred-and-fifteenth held-out set (g212, scored 0.96 top-1 and 1.00 top-3 before any rule for it) of PyTorch training failures: online-course students and bootcamp learners.

The persona: online-course students and bootcamp learners working through deep-learning notebooks on Colab and
Kaggle -- FashionMNIST and the "PyTorch workflow" lessons, Kaggle's first competitions (Titanic, Digit Recognizer,
Forest Cover Type), Kaggle data sets (Pokemon images and types, TACO trash, histopathologic cancer patches), the
"going modular" scripts run with ``!python``, homework with ImageAI 3.0.3 -- who run cells out of order, run a cell
that redefines a model or a data set a second time, copy a cell from another lesson, mix the helper functions of
two lessons, restart the runtime and skip the setup cell, and follow notebooks from an older version of a course.
Most cases are notebooks run cell by cell in IPython (a cell run twice appears twice); untargeted across the
taxonomy; each program is built so that its cause is known by construction and made to fail inside torch,
torchvision, ImageAI, PIL, NumPy, SciPy or multiprocessing:

- a cell run again: the "add the channel dimension" cell (``unsqueeze(1)``) run twice, so FashionMNIST reaches
  ``Conv2d`` as a 5-D tensor (notebook, model.input_shape); the ``y = y - 1`` cell that moves Forest Cover Type's
  1..7 to 0..6 run twice (notebook, data.label_out_of_range); the workflow lesson's "zero grad, backprop, step"
  cell run again to take another step (notebook, optim.autograd_graph); the model cell re-run with
  ``hidden_units=32`` for an exercise before the lesson's ``hidden_units=10`` checkpoint is loaded (notebook,
  model.weights_mismatch); back to the Iris training cell after the inference section's global
  ``torch.set_grad_enabled(False)`` (notebook, optim.autograd_graph);
- a restart and a skipped cell: the feature-scaling cell of the insurance-charges regression skipped, raw charges
  under the course template's anomaly mode (notebook, optim.divergence); Google Drive not mounted again before the
  best checkpoint is saved under ``/content/drive/MyDrive`` (notebook, other); the ``%cd`` into the cloned course
  repository skipped, so ``ImageFolder`` looks for ``data/...`` in ``/content`` (notebook, data.missing_or_corrupt);
- cells copied from another lesson, helpers mixed, older course versions: Digit Recognizer labels one-hot encoded by
  a cell from the Keras version of the course (notebook, data.label_shape); the CIFAR-10 lesson's test transforms
  (no resize) on food photos of several sizes, failing after the first training epoch (notebook, tqdm,
  data.image_size_mismatch); lesson 6's ``set_start_method("spawn")`` cell with a Dataset class defined in the
  notebook (notebook, env.multiprocessing); the multi-GPU lesson's ``init_process_group`` + DDP cell pasted into a
  single-runtime Colab notebook (notebook, env.distributed); the binary-classification lesson's ``train_step``
  helper and ``BCEWithLogitsLoss`` for the four-class blobs (notebook, model.output_mismatch); a 2018 course
  notebook's custom ReLU as an old-style ``autograd.Function`` with ``Variable`` (notebook, env.version_incompat);
  a first CNN exercise calling ``nn.Flatten(x)`` inside ``forward`` (notebook, model.api_misuse); the k-NN
  assignment's "no loops" distances on all of FashionMNIST instead of the template's subset (notebook,
  resource.host_memory);
- scripts (Kaggle scripts, ``!python`` in Colab): TACO's COCO ``[x, y, w, h]`` boxes put into the detection
  lesson's PennFudan-style Dataset for Faster R-CNN (data.bbox_invalid); the Pokemon sprites (RGBA PNGs) read with
  ``read_image`` in the newer version of a lesson into a three-channel stem (tqdm, data.image_channels); the Titanic
  features built as a float64 NumPy array (data.dtype); the going-modular ``train.py`` given the transfer-learning
  lesson's 224 px transforms for TinyVGG built for 64 px (tqdm, model.input_shape); the dogs-vs-cats lesson's
  Dataset opening ``<id>.jpg`` for the histopathology patches, which are ``.tif`` (workers, data.missing_or_corrupt);
- ImageAI 3: a homework detector with five labelled mug photos, fewer boxes than TinyYOLOv3's six anchors
  (notebook, data.too_few_boxes); the class JSON rewritten by a re-run of the trainer stopped before it saved a
  model, next to last week's four-class model (notebook, plain ``Exception``, model.weights_mismatch); the detector
  made again by a cell copied from the end of a lesson, without its model type (notebook, model.api_misuse).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None: data sets and
model files are ones an earlier run or download left on disk).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more115.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


from _record import (Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders,  # noqa: E402,F401
                     yolo_layout, save_tiny, save_cls)
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more115.py"

SCRIPTS = {}
CELLS = {}

# stdout unbuffered, as in a notebook's output area or a terminal: prints and warnings keep their order
UNBUF = {"PYTHONUNBUFFERED": "1"}
COLAB = {"project": "/content", "env": UNBUF}
KAGGLE = {"project": "/kaggle/working", "subdir": "working", "env": UNBUF}

# ------------------------------------------------------------------ torchvision's FashionMNIST, as download=True left it
FMNIST_PREP = '''
import os, struct
import numpy as np

rng = np.random.default_rng(0)
raw = "data/FashionMNIST/raw"
os.makedirs(raw, exist_ok=True)
for split, n in (("train", 60000), ("t10k", 10000)):
    with open(f"{raw}/{split}-images-idx3-ubyte", "wb") as f:
        f.write(struct.pack(">IIII", 2051, n, 28, 28))
        f.write(rng.integers(0, 256, (n, 28, 28), dtype=np.uint8).tobytes())
    with open(f"{raw}/{split}-labels-idx1-ubyte", "wb") as f:
        f.write(struct.pack(">II", 2049, n))
        f.write(rng.integers(0, 10, n, dtype=np.uint8).tobytes())
'''

FMNIST_CELL = '''import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from torchvision import datasets
from torchvision.transforms import ToTensor

train_data = datasets.FashionMNIST(root="data", train=True, download=True, transform=ToTensor())
test_data = datasets.FashionMNIST(root="data", train=False, download=True, transform=ToTensor())
class_names = train_data.classes
len(train_data), len(test_data)'''

# ------------------------------------------------------------------ the channel-axis cell run a second time
CELLS["fashion-mnist-unsqueeze-cell-run-twice-conv2d-notebook"] = [
    FMNIST_CELL,
    '''# lesson 4, "faster training": keep the whole data set as one tensor instead of going through ToTensor
X_train = train_data.data.float() / 255.0
y_train = train_data.targets
X_test = test_data.data.float() / 255.0
y_test = test_data.targets''',
    '''# Conv2d needs a colour channel dimension
X_train = X_train.unsqueeze(1)
X_test = X_test.unsqueeze(1)
X_train.shape''',
    '''# Conv2d needs a colour channel dimension
X_train = X_train.unsqueeze(1)
X_test = X_test.unsqueeze(1)
X_train.shape''',
    '''torch.manual_seed(42)
model = nn.Sequential(
    nn.Conv2d(1, 16, kernel_size=3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(16, 32, kernel_size=3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(32 * 7 * 7, len(class_names)))
loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
train_loader = DataLoader(TensorDataset(X_train, y_train), batch_size=64, shuffle=True)

for epoch in range(3):
    model.train()
    for X, y in train_loader:
        loss = loss_fn(model(X), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"Epoch: {epoch} | Train loss: {loss:.4f}")''',
]

# ------------------------------------------------------------------ Cover_Type shifted to 0..6 twice
COVER_PREP = '''
import os
import numpy as np

rng = np.random.default_rng(2)
os.makedirs("../input/forest-cover-type-prediction", exist_ok=True)
n = 15120
cols = (["Id", "Elevation", "Aspect", "Slope", "Horizontal_Distance_To_Hydrology", "Vertical_Distance_To_Hydrology",
         "Horizontal_Distance_To_Roadways", "Hillshade_9am", "Hillshade_Noon", "Hillshade_3pm",
         "Horizontal_Distance_To_Fire_Points"]
        + [f"Wilderness_Area{i}" for i in range(1, 5)] + [f"Soil_Type{i}" for i in range(1, 41)] + ["Cover_Type"])
num = np.column_stack([rng.integers(1860, 3850, n), rng.integers(0, 360, n), rng.integers(0, 52, n),
                       rng.integers(0, 1350, n), rng.integers(-140, 550, n), rng.integers(0, 6900, n),
                       rng.integers(0, 255, n), rng.integers(99, 255, n), rng.integers(0, 249, n),
                       rng.integers(0, 6990, n)])
wild = np.eye(4, dtype=int)[rng.integers(0, 4, n)]
soil = np.eye(40, dtype=int)[rng.integers(0, 40, n)]
cover = np.repeat(np.arange(1, 8), n // 7)
rng.shuffle(cover)
data = np.column_stack([np.arange(1, n + 1), num, wild, soil, cover])
np.savetxt("../input/forest-cover-type-prediction/train.csv", data, fmt="%d", delimiter=",",
           header=",".join(cols), comments="")
'''

CELLS["forest-cover-labels-shift-cell-run-twice-notebook"] = [
    '''import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

data = np.loadtxt("../input/forest-cover-type-prediction/train.csv", delimiter=",", skiprows=1)
X = data[:, 1:-1]
y = data[:, -1].astype(np.int64)
X.shape, np.unique(y)''',
    '''# Cover_Type goes from 1 to 7 but CrossEntropyLoss wants 0..6
y = y - 1
np.unique(y)''',
    '''# Cover_Type goes from 1 to 7 but CrossEntropyLoss wants 0..6
y = y - 1
np.unique(y)''',
    '''X = (X - X.mean(axis=0)) / (X.std(axis=0) + 1e-8)
X_t = torch.tensor(X, dtype=torch.float32)
y_t = torch.tensor(y)
loader = DataLoader(TensorDataset(X_t, y_t), batch_size=256, shuffle=True)

torch.manual_seed(42)
model = nn.Sequential(nn.Linear(X.shape[1], 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 7))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(20):
    for xb, yb in loader:
        loss = criterion(model(xb), yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch + 1}: loss {loss.item():.4f}")''',
]

# ------------------------------------------------------------------ the optimizer-step cell run again
CELLS["workflow-lesson-backward-cell-run-again-notebook"] = [
    '''import torch
from torch import nn

# known parameters, straight line data
weight, bias = 0.7, 0.3
X = torch.arange(0, 1, 0.02).unsqueeze(dim=1)
y = weight * X + bias
split = int(0.8 * len(X))
X_train, y_train, X_test, y_test = X[:split], y[:split], X[split:], y[split:]
len(X_train), len(X_test)''',
    '''class LinearRegressionModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.weights = nn.Parameter(torch.randn(1, requires_grad=True, dtype=torch.float))
        self.bias = nn.Parameter(torch.randn(1, requires_grad=True, dtype=torch.float))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.weights * x + self.bias


torch.manual_seed(42)
model_0 = LinearRegressionModel()
loss_fn = nn.L1Loss()
optimizer = torch.optim.SGD(params=model_0.parameters(), lr=0.01)
model_0.state_dict()''',
    '''# 1. forward pass  2. loss
model_0.train()
y_pred = model_0(X_train)
loss = loss_fn(y_pred, y_train)
loss''',
    '''# 3. zero grad  4. backprop  5. step -- run this cell again to take another step
optimizer.zero_grad()
loss.backward()
optimizer.step()
model_0.state_dict()''',
    '''# 3. zero grad  4. backprop  5. step -- run this cell again to take another step
optimizer.zero_grad()
loss.backward()
optimizer.step()
model_0.state_dict()''',
]

# ------------------------------------------------------------------ insurance charges, scaling cell skipped after a restart
INSURANCE_PREP = '''
import csv
import numpy as np

rng = np.random.default_rng(4)
n = 1338
regions = ["northeast", "northwest", "southeast", "southwest"]
with open("insurance.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["age", "sex", "bmi", "children", "smoker", "region", "charges"])
    for i in range(n):
        age, bmi, smoker = int(rng.integers(18, 65)), round(float(rng.uniform(16, 53)), 3), rng.random() < 0.2
        charges = max(1121.87, 250 * age + 320 * bmi + 23000 * smoker + rng.normal(0, 3000))
        w.writerow([age, ["female", "male"][int(rng.integers(0, 2))], bmi, int(rng.integers(0, 6)),
                    "yes" if smoker else "no", regions[int(rng.integers(0, 4))], f"{charges:.5f}"])
'''

CELLS["insurance-charges-scaling-cell-skipped-after-restart-notebook"] = [
    '''import csv
import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(42)
torch.autograd.set_detect_anomaly(True)   # course template: leave on while developing''',
    '''REGIONS = ["northeast", "northwest", "southeast", "southwest"]
rows = list(csv.DictReader(open("insurance.csv")))
X = np.array([[float(r["age"]), r["sex"] == "male", float(r["bmi"]), float(r["children"]), r["smoker"] == "yes"]
              + [r["region"] == reg for reg in REGIONS] for r in rows], dtype=np.float32)
y = np.array([float(r["charges"]) for r in rows], dtype=np.float32)
X.shape, y[:5]''',
    '''X_train = torch.from_numpy(X)
y_train = torch.from_numpy(y).unsqueeze(1)
loader = DataLoader(TensorDataset(X_train, y_train), batch_size=64, shuffle=False)

model = nn.Linear(X_train.shape[1], 1)
loss_fn = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.001)
for epoch in range(100):
    for xb, yb in loader:
        loss = loss_fn(model(xb), yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    if epoch % 10 == 0:
        print(f"epoch {epoch} | loss: {loss.item():.2f}")''',
]

# ------------------------------------------------------------------ k-NN baseline, "no loops" version on everything
CELLS["fashion-mnist-knn-no-loops-distances-full-train-set-notebook"] = [
    FMNIST_CELL,
    '''# k-nearest-neighbour baseline (assignment 1). The template used X_train[:5000] and X_test[:500];
# with the whole data set the accuracy is more honest
X_train = train_data.data.reshape(len(train_data), -1).float() / 255.0
y_train = train_data.targets
X_test = test_data.data.reshape(len(test_data), -1).float() / 255.0
y_test = test_data.targets
X_train.shape, X_test.shape''',
    '''# fully vectorised, no loops (the fast version from the assignment)
dists = ((X_test[:, None, :] - X_train[None, :, :]) ** 2).sum(dim=2)
k = 5
knn_idx = dists.topk(k, dim=1, largest=False).indices
y_pred = y_train[knn_idx].mode(dim=1).values
(y_pred == y_test).float().mean()''',
]

# ------------------------------------------------------------------ the spawn start method copied from another lesson
CELLS["flowers-spawn-start-method-cell-copied-dataset-in-notebook"] = [
    '''import glob
import os

import torch
import torch.multiprocessing as mp
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

# from the lesson 6 notebook, the fix for "Cannot re-initialize CUDA in forked subprocess"
mp.set_start_method("spawn", force=True)''',
    '''class FlowerDataset(Dataset):
    def __init__(self, root, transform=None):
        self.classes = sorted(os.listdir(root))
        self.samples = [(p, i) for i, c in enumerate(self.classes) for p in sorted(glob.glob(f"{root}/{c}/*.jpg"))]
        self.transform = transform

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, idx):
        path, label = self.samples[idx]
        img = Image.open(path).convert("RGB")
        return self.transform(img), label


tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = FlowerDataset("data/flowers/train", transform=tf)
len(train_ds), train_ds.classes''',
    '''train_loader = DataLoader(train_ds, batch_size=16, shuffle=True, num_workers=2)
model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                      nn.Flatten(), nn.Linear(32, len(train_ds.classes)))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for X, y in train_loader:
        loss = nn.functional.cross_entropy(model(X), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())''',
]

# ------------------------------------------------------------------ the multi-GPU lesson's DDP cell in a Colab notebook
CELLS["multi-gpu-lesson-init-process-group-cell-in-colab-notebook"] = [
    '''import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("data/weather/train", transform=tf)
train_loader = DataLoader(train_ds, batch_size=16, shuffle=True)
model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                      nn.Flatten(), nn.Linear(32, len(train_ds.classes)))
train_ds.classes''',
    '''# copied from lesson 9 (multi-GPU training) to make training faster
import os
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel as DDP

local_rank = int(os.environ.get("LOCAL_RANK", 0))
dist.init_process_group(backend="nccl" if torch.cuda.is_available() else "gloo")
model = DDP(model)''',
    '''optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for X, y in train_loader:
        loss = nn.functional.cross_entropy(model(X), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())''',
]

# ------------------------------------------------------------------ checkpoint to Drive, Drive not mounted again
CELLS["drive-not-mounted-again-after-restart-torch-save-notebook"] = [
    '''import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

CKPT_DIR = "/content/drive/MyDrive/dl-course/week3"
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("rps/train", transform=tf)
train_loader = DataLoader(train_ds, batch_size=8, shuffle=True)
train_ds.classes''',
    '''torch.manual_seed(42)
model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                      nn.Flatten(), nn.Linear(32, len(train_ds.classes)))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
best = float("inf")
for epoch in range(3):
    total = 0.0
    for X, y in train_loader:
        loss = nn.functional.cross_entropy(model(X), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item() * len(y)
    total /= len(train_ds)
    print(f"epoch {epoch}: {total:.4f}")
    if total < best:
        best = total
        torch.save(model.state_dict(), f"{CKPT_DIR}/cnn_rps_best.pt")
        print("saved checkpoint to Drive")''',
]

# ------------------------------------------------------------------ hidden_units changed, then the lesson's checkpoint loaded
LESSON_CKPT_PREP = '''
import os
import torch
from torch import nn


class FashionMNISTModelV2(nn.Module):
    def __init__(self, input_shape, hidden_units, output_shape):
        super().__init__()
        self.block_1 = nn.Sequential(
            nn.Conv2d(input_shape, hidden_units, 3, stride=1, padding=1), nn.ReLU(),
            nn.Conv2d(hidden_units, hidden_units, 3, stride=1, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        self.block_2 = nn.Sequential(
            nn.Conv2d(hidden_units, hidden_units, 3, padding=1), nn.ReLU(),
            nn.Conv2d(hidden_units, hidden_units, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(hidden_units * 7 * 7, output_shape))

    def forward(self, x):
        return self.classifier(self.block_2(self.block_1(x)))


os.makedirs("models", exist_ok=True)
torch.manual_seed(42)
# the lesson's model, trained and saved in section 11 with hidden_units=10
torch.save(FashionMNISTModelV2(1, 10, 10).state_dict(), "models/03_computer_vision_model_2.pth")
'''

CELLS["tinyvgg-hidden-units-cell-rerun-lesson-checkpoint-notebook"] = [
    FMNIST_CELL,
    '''class FashionMNISTModelV2(nn.Module):
    """TinyVGG from the CNN explainer website"""

    def __init__(self, input_shape: int, hidden_units: int, output_shape: int):
        super().__init__()
        self.block_1 = nn.Sequential(
            nn.Conv2d(input_shape, hidden_units, 3, stride=1, padding=1), nn.ReLU(),
            nn.Conv2d(hidden_units, hidden_units, 3, stride=1, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        self.block_2 = nn.Sequential(
            nn.Conv2d(hidden_units, hidden_units, 3, padding=1), nn.ReLU(),
            nn.Conv2d(hidden_units, hidden_units, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(hidden_units * 7 * 7, output_shape))

    def forward(self, x: torch.Tensor):
        return self.classifier(self.block_2(self.block_1(x)))''',
    '''# exercise 5: does a wider model do better? (was hidden_units=10)
HIDDEN_UNITS = 32
torch.manual_seed(42)
model_2 = FashionMNISTModelV2(input_shape=1, hidden_units=HIDDEN_UNITS, output_shape=len(class_names))
sum(p.numel() for p in model_2.parameters())''',
    '''# section 11: load the saved model and check its predictions
from pathlib import Path

MODEL_SAVE_PATH = Path("models") / "03_computer_vision_model_2.pth"
loaded_model_2 = FashionMNISTModelV2(input_shape=1, hidden_units=HIDDEN_UNITS, output_shape=len(class_names))
loaded_model_2.load_state_dict(torch.load(f=MODEL_SAVE_PATH))''',
]

# ------------------------------------------------------------------ one-hot labels from the Keras version of the lesson
DIGITS_PREP = '''
import os
import numpy as np

rng = np.random.default_rng(6)
os.makedirs("../input/digit-recognizer", exist_ok=True)
n = 4200
data = np.column_stack([rng.integers(0, 10, n), rng.integers(0, 256, (n, 784)) * (rng.random((n, 784)) < 0.2)])
np.savetxt("../input/digit-recognizer/train.csv", data, fmt="%d", delimiter=",",
           header=",".join(["label"] + [f"pixel{i}" for i in range(784)]), comments="")
'''

CELLS["digit-recognizer-keras-lesson-one-hot-labels-cross-entropy-notebook"] = [
    '''import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

data = np.loadtxt("../input/digit-recognizer/train.csv", delimiter=",", skiprows=1, dtype=np.float32)
X = torch.from_numpy(data[:, 1:] / 255.0).reshape(-1, 1, 28, 28)
y = data[:, 0].astype(np.int64)
X.shape, y[:10]''',
    '''# one-hot encode the labels (cell from the Keras version of this course: to_categorical)
y_onehot = F.one_hot(torch.from_numpy(y), num_classes=10)
y_onehot[:3]''',
    '''loader = DataLoader(TensorDataset(X, y_onehot), batch_size=64, shuffle=True)
torch.manual_seed(0)
model = nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Flatten(), nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for xb, yb in loader:
        loss = criterion(model(xb), yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch + 1}: {loss.item():.4f}")''',
]

# ------------------------------------------------------------------ test transforms copied from the CIFAR-10 lesson
FOOD_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(7)
sizes = [(512, 384), (384, 512), (512, 512), (500, 375), (512, 341)]
for split, per in (("train", 8), ("test", 4)):
    for c in ("hamburger", "pizza", "ramen", "sushi"):
        os.makedirs(f"data/food4/{split}/{c}", exist_ok=True)
        for i in range(per):
            w, h = sizes[(i + len(c)) % len(sizes)]
            Image.fromarray(rng.integers(0, 255, (h, w, 3), dtype=np.uint8)).save(
                f"data/food4/{split}/{c}/{int(rng.integers(100000, 3999999))}.jpg")
'''

CELLS["food-test-transforms-copied-from-cifar-lesson-notebook"] = [
    '''import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from tqdm import tqdm

train_transform = transforms.Compose([
    transforms.RandomResizedCrop(64),
    transforms.RandomHorizontalFlip(),
    transforms.ToTensor(),
    transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5)),
])
# copied from the CIFAR-10 notebook
test_transform = transforms.Compose([
    transforms.ToTensor(),
    transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5)),
])''',
    '''train_data = datasets.ImageFolder("data/food4/train", transform=train_transform)
test_data = datasets.ImageFolder("data/food4/test", transform=test_transform)
train_loader = DataLoader(train_data, batch_size=8, shuffle=True)
test_loader = DataLoader(test_data, batch_size=8, shuffle=False)
train_data.classes, len(train_data), len(test_data)''',
    '''torch.manual_seed(42)
model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                      nn.Flatten(), nn.Linear(32, len(train_data.classes)))
loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in tqdm(range(5)):
    model.train()
    for X, y in train_loader:
        loss = loss_fn(model(X), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    correct = 0
    with torch.inference_mode():
        for X, y in test_loader:
            correct += (model(X).argmax(1) == y).sum().item()
    print(f"epoch {epoch} | train loss {loss.item():.3f} | test acc {correct / len(test_data):.3f}")''',
]

# ------------------------------------------------------------------ 2018 course notebook: old-style autograd Function
CELLS["old-course-custom-relu-autograd-function-notebook"] = [
    '''import torch
from torch.autograd import Variable


class MyReLU(torch.autograd.Function):
    """
    We can implement our own custom autograd Functions by subclassing
    torch.autograd.Function and implementing the forward and backward passes
    which operate on Tensors.
    """

    def forward(self, input):
        self.save_for_backward(input)
        return input.clamp(min=0)

    def backward(self, grad_output):
        input, = self.saved_tensors
        grad_input = grad_output.clone()
        grad_input[input < 0] = 0
        return grad_input''',
    '''dtype = torch.FloatTensor
N, D_in, H, D_out = 64, 1000, 100, 10

x = Variable(torch.randn(N, D_in).type(dtype), requires_grad=False)
y = Variable(torch.randn(N, D_out).type(dtype), requires_grad=False)
w1 = Variable(torch.randn(D_in, H).type(dtype), requires_grad=True)
w2 = Variable(torch.randn(H, D_out).type(dtype), requires_grad=True)

learning_rate = 1e-6
for t in range(500):
    relu = MyReLU()
    y_pred = relu(x.mm(w1)).mm(w2)
    loss = (y_pred - y).pow(2).sum()
    print(t, loss.data[0])
    loss.backward()
    w1.data -= learning_rate * w1.grad.data
    w2.data -= learning_rate * w2.grad.data
    w1.grad.data.zero_()
    w2.grad.data.zero_()''',
]

# ------------------------------------------------------------------ binary-lesson helpers for the multi-class lesson
HELPERS = '''
"""helper functions from lesson 2 (binary classification)"""
import torch


def accuracy_fn(y_true, y_pred):
    correct = torch.eq(y_true, y_pred).sum().item()
    return (correct / len(y_pred)) * 100


def train_step(model, X, y, loss_fn, optimizer):
    model.train()
    y_logits = model(X).squeeze()
    y_pred = torch.round(torch.sigmoid(y_logits))
    loss = loss_fn(y_logits, y)
    acc = accuracy_fn(y, y_pred)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss, acc
'''

CELLS["blobs-multiclass-with-binary-lesson-helpers-notebook"] = [
    '''import torch
from torch import nn

from helper_functions import train_step

# 4 blobs of points, one per class (lesson 3, multi-class classification)
NUM_CLASSES, NUM_FEATURES = 4, 2
torch.manual_seed(42)
centers = torch.tensor([[-6.0, 6.0], [6.0, 6.0], [-6.0, -6.0], [6.0, -6.0]])
y_blob = torch.randint(0, NUM_CLASSES, (1000,))
X_blob = centers[y_blob] + 1.5 * torch.randn(1000, NUM_FEATURES)
X_train, X_test, y_train, y_test = X_blob[:800], X_blob[800:], y_blob[:800], y_blob[800:]
X_train.shape, y_train[:5]''',
    '''model_4 = nn.Sequential(nn.Linear(NUM_FEATURES, 8), nn.ReLU(), nn.Linear(8, 8), nn.ReLU(),
                        nn.Linear(8, NUM_CLASSES))
# loss and optimizer as in lesson 2
loss_fn = nn.BCEWithLogitsLoss()
optimizer = torch.optim.SGD(model_4.parameters(), lr=0.1)''',
    '''for epoch in range(100):
    loss, acc = train_step(model_4, X_train, y_train, loss_fn, optimizer)
    if epoch % 10 == 0:
        print(f"Epoch: {epoch} | Loss: {loss:.5f}, Acc: {acc:.2f}%")''',
]

# ------------------------------------------------------------------ set_grad_enabled(False) run, then back to training
IRIS_PREP = '''
import csv, os
import numpy as np

os.makedirs("../input/iris", exist_ok=True)
rng = np.random.default_rng(9)
means = {"Iris-setosa": (5.0, 3.4, 1.5, 0.2), "Iris-versicolor": (5.9, 2.8, 4.3, 1.3),
         "Iris-virginica": (6.6, 3.0, 5.6, 2.0)}
with open("../input/iris/Iris.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["Id", "SepalLengthCm", "SepalWidthCm", "PetalLengthCm", "PetalWidthCm", "Species"])
    i = 1
    for sp, mu in means.items():
        for _ in range(50):
            w.writerow([i] + [round(float(m + rng.normal(0, 0.3)), 1) for m in mu] + [sp])
            i += 1
'''

CELLS["iris-inference-cell-set-grad-enabled-then-training-rerun-notebook"] = [
    '''import csv
import torch
from torch import nn

rows = list(csv.DictReader(open("../input/iris/Iris.csv")))
SPECIES = sorted({r["Species"] for r in rows})
X = torch.tensor([[float(r[c]) for c in ("SepalLengthCm", "SepalWidthCm", "PetalLengthCm", "PetalWidthCm")]
                  for r in rows])
y = torch.tensor([SPECIES.index(r["Species"]) for r in rows])
perm = torch.randperm(len(X), generator=torch.Generator().manual_seed(0))
X_train, y_train, X_test, y_test = X[perm[:120]], y[perm[:120]], X[perm[120:]], y[perm[120:]]
model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3))
loss_fn = nn.CrossEntropyLoss()''',
    '''optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
for epoch in range(200):
    loss = loss_fn(model(X_train), y_train)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
print(f"final train loss {loss.item():.4f}")''',
    '''## Making predictions
torch.set_grad_enabled(False)   # no gradients needed from here on
preds = model(X_test).argmax(dim=1)
print(f"test accuracy: {(preds == y_test).float().mean().item():.2%}")''',
    '''# loss still high -> back up and train again with a bigger learning rate
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(200):
    loss = loss_fn(model(X_train), y_train)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
print(f"final train loss {loss.item():.4f}")''',
]

# ------------------------------------------------------------------ nn.Flatten called on the tensor in forward()
CELLS["first-cnn-exercise-nn-flatten-called-on-tensor-notebook"] = [
    FMNIST_CELL,
    '''train_loader = DataLoader(train_data, batch_size=32, shuffle=True)


class MyFirstCNN(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, kernel_size=3, padding=1)
        self.conv2 = nn.Conv2d(8, 16, kernel_size=3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(16 * 7 * 7, num_classes)

    def forward(self, x):
        x = self.pool(torch.relu(self.conv1(x)))
        x = self.pool(torch.relu(self.conv2(x)))
        x = nn.Flatten(x)
        x = self.fc(x)
        return x


model = MyFirstCNN(len(class_names))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)''',
    '''for epoch in range(3):
    for images, labels in train_loader:
        outputs = model(images)
        loss = nn.functional.cross_entropy(outputs, labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"Epoch {epoch + 1}, loss {loss.item():.4f}")''',
]

# ------------------------------------------------------------------ course repo %cd skipped after a runtime restart
CELLS["colab-restart-skipped-cd-into-course-repo-cell-notebook"] = [
    '''import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

train_dir = "data/flowers5/train"
test_dir = "data/flowers5/test"
data_transform = transforms.Compose([transforms.Resize((64, 64)), transforms.RandomHorizontalFlip(p=0.5),
                                     transforms.ToTensor()])
train_data = datasets.ImageFolder(root=train_dir, transform=data_transform)
test_data = datasets.ImageFolder(root=test_dir, transform=transforms.Compose([transforms.Resize((64, 64)),
                                                                              transforms.ToTensor()]))
class_names = train_data.classes
class_names''',
    '''train_dataloader = DataLoader(train_data, batch_size=32, shuffle=True)
test_dataloader = DataLoader(test_data, batch_size=32, shuffle=False)
img, label = next(iter(train_dataloader))
img.shape, label.shape''',
]

# ================================================================== scripts
# ------------------------------------------------------------------ TACO's COCO [x, y, w, h] boxes into Faster R-CNN
TACO_PREP = '''
import json, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(11)
root = "../input/tacotrashdataset/data"
cats = [{"id": 5, "name": "Clear plastic bottle", "supercategory": "Bottle"},
        {"id": 12, "name": "Drink can", "supercategory": "Can"},
        {"id": 29, "name": "Other plastic", "supercategory": "Plastic"},
        {"id": 59, "name": "Cigarette", "supercategory": "Cigarette"}]
images, anns = [], []
for i in range(6):
    batch = f"batch_{1 + i // 3}"
    os.makedirs(f"{root}/{batch}", exist_ok=True)
    name = f"{batch}/{int(rng.integers(0, 120)):06d}.jpg"
    Image.fromarray(rng.integers(0, 255, (480, 640, 3), dtype=np.uint8)).save(f"{root}/{name}")
    images.append({"id": i, "width": 640, "height": 480, "file_name": name})
    for k in range(2):
        w, h = float(rng.integers(40, 120)), float(rng.integers(30, 100))
        x, y = float(rng.integers(150, 640 - 120)), float(rng.integers(120, 480 - 100))
        anns.append({"id": len(anns) + 1, "image_id": i, "category_id": cats[(i + k) % 4]["id"],
                     "bbox": [x, y, w, h], "area": w * h, "iscrowd": 0})
json.dump({"info": {"description": "TACO"}, "images": images, "annotations": anns, "categories": cats},
          open(f"{root}/annotations.json", "w"))
'''

SCRIPTS["taco-coco-boxes-into-pennfudan-tutorial-fasterrcnn"] = '''
import json
import os

import torch
from PIL import Image
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as TF

ROOT = "../input/tacotrashdataset/data"


class TacoDataset(torch.utils.data.Dataset):
    """adapted from the PennFudanDataset of the detection lesson"""

    def __init__(self, root):
        self.root = root
        coco = json.load(open(os.path.join(root, "annotations.json")))
        self.images = coco["images"]
        self.cat_ids = sorted(c["id"] for c in coco["categories"])
        self.anns = {}
        for a in coco["annotations"]:
            self.anns.setdefault(a["image_id"], []).append(a)

    def __getitem__(self, idx):
        info = self.images[idx]
        img = Image.open(os.path.join(self.root, info["file_name"])).convert("RGB")
        anns = self.anns[info["id"]]
        boxes = torch.as_tensor([a["bbox"] for a in anns], dtype=torch.float32)
        labels = torch.as_tensor([self.cat_ids.index(a["category_id"]) + 1 for a in anns], dtype=torch.int64)
        target = {"boxes": boxes, "labels": labels, "image_id": info["id"],
                  "area": (boxes[:, 3] - boxes[:, 1]) * (boxes[:, 2] - boxes[:, 0]),
                  "iscrowd": torch.zeros((len(anns),), dtype=torch.int64)}
        return TF.to_tensor(img), target

    def __len__(self):
        return len(self.images)


dataset = TacoDataset(ROOT)
data_loader = torch.utils.data.DataLoader(dataset, batch_size=2, shuffle=True,
                                          collate_fn=lambda batch: tuple(zip(*batch)))
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None,
                                              num_classes=len(dataset.cat_ids) + 1)
params = [p for p in model.parameters() if p.requires_grad]
optimizer = torch.optim.SGD(params, lr=0.005, momentum=0.9, weight_decay=0.0005)
lr_scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=3, gamma=0.1)

torch.manual_seed(1)
for epoch in range(10):
    model.train()
    for images, targets in data_loader:
        loss_dict = model(list(images), list(targets))
        losses = sum(loss for loss in loss_dict.values())
        optimizer.zero_grad()
        losses.backward()
        optimizer.step()
    lr_scheduler.step()
    print(f"epoch {epoch}: {losses.item():.4f}")
'''

# ------------------------------------------------------------------ Pokemon PNGs through read_image
POKEMON_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(12)
root = "../input/pokemon-images-and-types"
os.makedirs(f"{root}/images", exist_ok=True)
names = ["bulbasaur", "ivysaur", "venusaur", "charmander", "charmeleon", "charizard", "squirtle", "wartortle",
         "blastoise", "caterpie", "metapod", "butterfree", "weedle", "kakuna", "beedrill", "pidgey", "pidgeotto",
         "pidgeot", "rattata", "raticate", "spearow", "fearow", "ekans", "arbok", "pikachu", "raichu", "sandshrew",
         "sandslash", "nidoran-f", "nidorina", "nidoqueen", "nidoran-m", "nidorino", "nidoking", "clefairy"]
types = ["Grass"] * 3 + ["Fire"] * 3 + ["Water"] * 3 + ["Bug"] * 6 + ["Normal"] * 5 + ["Poison"] * 2 + \\
        ["Electric"] * 2 + ["Ground"] * 2 + ["Poison"] * 6 + ["Fairy"]
with open(f"{root}/pokemon.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["Name", "Type1", "Type2"])
    for name, t in zip(names, types):
        rgba = rng.integers(0, 255, (120, 120, 4), dtype=np.uint8)
        rgba[..., 3] = 0
        rgba[20:100, 25:95, 3] = 255            # the sprite on a transparent background
        Image.fromarray(rgba, mode="RGBA").save(f"{root}/images/{name}.png")
        w.writerow([name, t, ""])
'''

SCRIPTS["pokemon-types-read-image-png-sprites-tqdm"] = '''
import csv
import os

import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torchvision.io import read_image
from torchvision.transforms import v2
from tqdm import tqdm

DATA = "../input/pokemon-images-and-types"


class PokemonTypes(Dataset):
    def __init__(self, root, transform=None):
        rows = list(csv.DictReader(open(os.path.join(root, "pokemon.csv"))))
        self.types = sorted({r["Type1"] for r in rows})
        self.items = [(os.path.join(root, "images", r["Name"] + ".png"), self.types.index(r["Type1"]))
                      for r in rows]
        self.transform = transform

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        path, label = self.items[i]
        img = read_image(path)          # uint8 C x H x W, no PIL needed (new version of lesson 4)
        if self.transform:
            img = self.transform(img)
        return img, label


transform = v2.Compose([v2.Resize((64, 64)), v2.RandomHorizontalFlip(), v2.ToDtype(torch.float32, scale=True)])
ds = PokemonTypes(DATA, transform)
loader = DataLoader(ds, batch_size=16, shuffle=True)
torch.manual_seed(0)
model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                      nn.Flatten(), nn.Linear(32, len(ds.types)))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(10):
    for x, y in tqdm(loader, desc=f"epoch {epoch}"):
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
'''

# ------------------------------------------------------------------ Titanic features as float64
TITANIC_PREP = '''
import csv, os
import numpy as np

rng = np.random.default_rng(13)
os.makedirs("../input/titanic", exist_ok=True)
first = ["Owen Harris", "John Bradley", "Laina", "Jacques Heath", "William Henry", "James", "Timothy J",
         "Gosta Leonard", "Oscar W", "Nicholas", "Marguerite Rut", "Elizabeth", "Anders Johan", "Hulda Amanda"]
last = ["Braund", "Cumings", "Heikkinen", "Futrelle", "Allen", "Moran", "McCarthy", "Palsson", "Johnson",
        "Nasser", "Sandstrom", "Bonnell", "Andersson", "Vestrom"]
with open("../input/titanic/train.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["PassengerId", "Survived", "Pclass", "Name", "Sex", "Age", "SibSp", "Parch", "Ticket", "Fare",
                "Cabin", "Embarked"])
    for i in range(891):
        sex = ["male", "female"][int(rng.random() < 0.35)]
        title = "Mr." if sex == "male" else ["Mrs.", "Miss."][int(rng.integers(0, 2))]
        age = "" if rng.random() < 0.2 else f"{rng.uniform(0.5, 75):.0f}"
        pclass = int(rng.choice([1, 2, 3], p=[0.24, 0.21, 0.55]))
        w.writerow([i + 1, int(rng.random() < (0.74 if sex == "female" else 0.19)), pclass,
                    f"{last[i % 14]}, {title} {first[(i * 7) % 14]}", sex, age, int(rng.integers(0, 3)),
                    int(rng.integers(0, 3)), f"A/5 {int(rng.integers(10000, 99999))}",
                    f"{rng.uniform(5, 90) * (4 - pclass):.4f}", "", ["S", "C", "Q"][int(rng.integers(0, 3))]])
'''

SCRIPTS["titanic-first-competition-features-float64-linear"] = '''
import csv

import numpy as np
import torch
from torch import nn

rows = list(csv.DictReader(open("../input/titanic/train.csv")))
median_age = float(np.median([float(r["Age"]) for r in rows if r["Age"]]))


def features(r):
    return [float(r["Pclass"]), 1.0 if r["Sex"] == "male" else 0.0, float(r["Age"]) if r["Age"] else median_age,
            float(r["SibSp"]), float(r["Parch"]), float(r["Fare"])]


X = np.array([features(r) for r in rows])
y = np.array([float(r["Survived"]) for r in rows])
X = (X - X.mean(axis=0)) / X.std(axis=0)

X_train = torch.from_numpy(X)
y_train = torch.from_numpy(y).float().unsqueeze(1)

torch.manual_seed(42)
model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 1))
loss_fn = nn.BCEWithLogitsLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
for epoch in range(300):
    logits = model(X_train)
    loss = loss_fn(logits, y_train)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if epoch % 50 == 0:
        acc = ((logits > 0).float() == y_train).float().mean()
        print(f"epoch {epoch}: loss {loss.item():.4f} acc {acc.item():.3f}")
'''

# ------------------------------------------------------------------ going_modular train.py with the 224 transforms
GM_DATA_SETUP = '''
"""
Contains functionality for creating PyTorch DataLoaders for image classification data.
"""
import os

from torch.utils.data import DataLoader
from torchvision import datasets

NUM_WORKERS = os.cpu_count()


def create_dataloaders(train_dir, test_dir, transform, batch_size, num_workers=NUM_WORKERS):
    train_data = datasets.ImageFolder(train_dir, transform=transform)
    test_data = datasets.ImageFolder(test_dir, transform=transform)
    class_names = train_data.classes
    train_dataloader = DataLoader(train_data, batch_size=batch_size, shuffle=True, num_workers=num_workers,
                                  pin_memory=True)
    test_dataloader = DataLoader(test_data, batch_size=batch_size, shuffle=False, num_workers=num_workers,
                                 pin_memory=True)
    return train_dataloader, test_dataloader, class_names
'''

GM_MODEL_BUILDER = '''
"""
Contains PyTorch model code to instantiate a TinyVGG model.
"""
import torch
from torch import nn


class TinyVGG(nn.Module):
    """Creates the TinyVGG architecture (for 64x64 images)."""

    def __init__(self, input_shape: int, hidden_units: int, output_shape: int) -> None:
        super().__init__()
        self.conv_block_1 = nn.Sequential(
            nn.Conv2d(input_shape, hidden_units, kernel_size=3, stride=1, padding=0), nn.ReLU(),
            nn.Conv2d(hidden_units, hidden_units, kernel_size=3, stride=1, padding=0), nn.ReLU(),
            nn.MaxPool2d(kernel_size=2, stride=2))
        self.conv_block_2 = nn.Sequential(
            nn.Conv2d(hidden_units, hidden_units, kernel_size=3, padding=0), nn.ReLU(),
            nn.Conv2d(hidden_units, hidden_units, kernel_size=3, padding=0), nn.ReLU(),
            nn.MaxPool2d(2))
        self.classifier = nn.Sequential(
            nn.Flatten(),
            nn.Linear(in_features=hidden_units * 13 * 13, out_features=output_shape))

    def forward(self, x: torch.Tensor):
        return self.classifier(self.conv_block_2(self.conv_block_1(x)))
'''

GM_ENGINE = '''
"""
Contains functions for training and testing a PyTorch model.
"""
from typing import Dict, List, Tuple

import torch
from tqdm.auto import tqdm


def train_step(model, dataloader, loss_fn, optimizer, device) -> Tuple[float, float]:
    model.train()
    train_loss, train_acc = 0, 0
    for batch, (X, y) in enumerate(dataloader):
        X, y = X.to(device), y.to(device)
        y_pred = model(X)
        loss = loss_fn(y_pred, y)
        train_loss += loss.item()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        y_pred_class = torch.argmax(torch.softmax(y_pred, dim=1), dim=1)
        train_acc += (y_pred_class == y).sum().item() / len(y_pred)
    return train_loss / len(dataloader), train_acc / len(dataloader)


def test_step(model, dataloader, loss_fn, device) -> Tuple[float, float]:
    model.eval()
    test_loss, test_acc = 0, 0
    with torch.inference_mode():
        for batch, (X, y) in enumerate(dataloader):
            X, y = X.to(device), y.to(device)
            test_pred_logits = model(X)
            test_loss += loss_fn(test_pred_logits, y).item()
            test_acc += (test_pred_logits.argmax(dim=1) == y).sum().item() / len(test_pred_logits)
    return test_loss / len(dataloader), test_acc / len(dataloader)


def train(model, train_dataloader, test_dataloader, optimizer, loss_fn, epochs, device) -> Dict[str, List]:
    results = {"train_loss": [], "train_acc": [], "test_loss": [], "test_acc": []}
    for epoch in tqdm(range(epochs)):
        train_loss, train_acc = train_step(model, train_dataloader, loss_fn, optimizer, device)
        test_loss, test_acc = test_step(model, test_dataloader, loss_fn, device)
        print(f"Epoch: {epoch + 1} | train_loss: {train_loss:.4f} | train_acc: {train_acc:.4f} | "
              f"test_loss: {test_loss:.4f} | test_acc: {test_acc:.4f}")
        for k, v in zip(results, (train_loss, train_acc, test_loss, test_acc)):
            results[k].append(v)
    return results
'''

GM_UTILS = '''
"""
Contains various utility functions for PyTorch model training and saving.
"""
from pathlib import Path

import torch


def save_model(model, target_dir, model_name):
    target_dir_path = Path(target_dir)
    target_dir_path.mkdir(parents=True, exist_ok=True)
    model_save_path = target_dir_path / model_name
    print(f"[INFO] Saving model to: {model_save_path}")
    torch.save(obj=model.state_dict(), f=model_save_path)
'''

SCRIPTS["going-modular-train-py-224-transforms-tinyvgg-64-workers"] = '''
"""
Trains a PyTorch image classification model using device-agnostic code.
"""
import torch
from torchvision import transforms

import data_setup
import engine
import model_builder
import utils

NUM_EPOCHS = 5
BATCH_SIZE = 32
HIDDEN_UNITS = 10
LEARNING_RATE = 0.001

train_dir = "data/my_snacks/train"
test_dir = "data/my_snacks/test"
device = "cuda" if torch.cuda.is_available() else "cpu"

# transforms from the transfer learning notebook (EfficientNet) -- bigger images, better accuracy?
data_transform = transforms.Compose([
    transforms.Resize((224, 224)),
    transforms.ToTensor(),
    transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]),
])

train_dataloader, test_dataloader, class_names = data_setup.create_dataloaders(
    train_dir=train_dir, test_dir=test_dir, transform=data_transform, batch_size=BATCH_SIZE)

model = model_builder.TinyVGG(input_shape=3, hidden_units=HIDDEN_UNITS, output_shape=len(class_names)).to(device)
loss_fn = torch.nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)

engine.train(model=model, train_dataloader=train_dataloader, test_dataloader=test_dataloader, loss_fn=loss_fn,
             optimizer=optimizer, epochs=NUM_EPOCHS, device=device)
utils.save_model(model=model, target_dir="models", model_name="05_going_modular_tinyvgg_snacks.pth")
'''

# ------------------------------------------------------------------ histopathology patches opened as .jpg
HISTO_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(14)
root = "../input/histopathologic-cancer-detection"
os.makedirs(f"{root}/train", exist_ok=True)
rows = []
for i in range(40):
    pid = "".join(rng.choice(list("0123456789abcdef"), 40))
    Image.fromarray(rng.integers(0, 255, (96, 96, 3), dtype=np.uint8)).save(f"{root}/train/{pid}.tif")
    rows.append((pid, int(rng.random() < 0.4)))
with open(f"{root}/train_labels.csv", "w", newline="") as f:
    csv.writer(f).writerows([("id", "label")] + rows)
'''

SCRIPTS["histopathologic-patches-dataset-from-dogs-cats-lesson-jpg-workers"] = '''
import csv
import os

import torch
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader, Dataset, random_split
from torchvision import transforms

TRAIN_DIR = "../input/histopathologic-cancer-detection/train"
LABELS_CSV = "../input/histopathologic-cancer-detection/train_labels.csv"


class ImageDataset(Dataset):
    """the Dataset from the dogs-vs-cats lesson"""

    def __init__(self, ids, labels, img_dir, transform=None):
        self.ids, self.labels, self.img_dir, self.transform = ids, labels, img_dir, transform

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        img_path = os.path.join(self.img_dir, self.ids[i] + ".jpg")
        image = Image.open(img_path).convert("RGB")
        if self.transform:
            image = self.transform(image)
        return image, self.labels[i]


if __name__ == "__main__":
    rows = list(csv.DictReader(open(LABELS_CSV)))
    tf = transforms.Compose([transforms.RandomHorizontalFlip(), transforms.RandomVerticalFlip(), transforms.ToTensor()])
    full = ImageDataset([r["id"] for r in rows], [int(r["label"]) for r in rows], TRAIN_DIR, tf)
    train_ds, valid_ds = random_split(full, [0.8, 0.2], generator=torch.Generator().manual_seed(42))
    train_loader = DataLoader(train_ds, batch_size=16, shuffle=True, num_workers=2)
    model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                          nn.Flatten(), nn.Linear(32, 2))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(5):
        for x, y in train_loader:
            loss = nn.functional.cross_entropy(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(f"epoch {epoch}: {loss.item():.4f}")
'''

# ================================================================== ImageAI 3
CELLS["imageai-homework-five-labelled-mug-photos-notebook"] = [
    '''import os
from imageai.Detection.Custom import DetectionModelTrainer

# homework 7: annotate your own object (5 photos are enough to try it out)
for split in ("train", "validation"):
    print(split, sorted(os.listdir(f"mug_dataset/{split}/images")))''',
    '''trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="mug_dataset")
trainer.setTrainConfig(object_names_array=["mug"], batch_size=2, num_experiments=30)
trainer.trainModel()''',
]


def mug_rows(split, i):
    # one mug per phone photo, drawn in the labelling tool
    return f"0 {0.42 + 0.03 * i:.6f} {0.5 + 0.02 * i:.6f} {0.30 + 0.02 * i:.6f} {0.45 - 0.03 * i:.6f}\n"


CELLS["imageai-class-json-rewritten-by-stopped-retrain-notebook"] = [
    '''import os
from imageai.Classification.Custom import CustomImageClassification

sorted(os.listdir("recycling/models"))''',
    '''prediction = CustomImageClassification()
prediction.setModelTypeAsMobileNetV2()
prediction.setModelPath("recycling/models/mobilenet_v2-recycling-test_acc_0.81250_epoch-9.pt")
prediction.setJsonPath("recycling/models/recycling_model_classes.json")
prediction.loadModel()''',
    '''predictions, probabilities = prediction.classifyImage("my_bottle.jpg", result_count=3)
for p, prob in zip(predictions, probabilities):
    print(p, ":", prob)''',
]

HARDHAT = {"PT": "hardhat/models/tiny-yolov3_hardhat_mAP-0.61230_epoch-45.pt",
           "JS": "hardhat/json/hardhat_tiny-yolov3_detection_config.json"}

CELLS["imageai-detector-recreated-by-copied-lesson-cell-notebook"] = [
    '''from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()''',
    sub('''# "use your trained model" (copied from the end of lesson 7)
detector = CustomObjectDetection()
detector.setModelPath("@@PT@@")
detector.setJsonPath("@@JS@@")
detector.loadModel()''', **HARDHAT),
    '''detections = detector.detectObjectsFromImage(input_image="site_photo.jpg", output_image_path="site_photo_det.jpg",
                                             minimum_percentage_probability=40)
for d in detections:
    print(d["name"], d["percentage_probability"], d["box_points"])''',
]


def cases():
    out, _add, script, notebook = case_builders("torch-more115-", SCRIPTS, CELLS)
    W = ("cpython_basic", "dataloader_worker")
    NB = ("ipython_cell", "ipython_arrows", "ipython_file_tilde?")
    P = ("cpython_basic", "progress_bars?")
    fmnist = prep(FMNIST_PREP)

    # ---- re-running a cell
    notebook("fashion-mnist-unsqueeze-cell-run-twice-conv2d-notebook", "model.input_shape", forms=NB,
             setup=fmnist, **COLAB)
    notebook("forest-cover-labels-shift-cell-run-twice-notebook", "data.label_out_of_range", forms=NB,
             setup=prep(COVER_PREP), **KAGGLE)
    notebook("workflow-lesson-backward-cell-run-again-notebook", "optim.autograd_graph", forms=NB, **COLAB)
    notebook("tinyvgg-hidden-units-cell-rerun-lesson-checkpoint-notebook", "model.weights_mismatch", forms=NB,
             setup=both(fmnist, prep(LESSON_CKPT_PREP)), **COLAB)
    notebook("iris-inference-cell-set-grad-enabled-then-training-rerun-notebook", "optim.autograd_graph",
             forms=NB, setup=prep(IRIS_PREP), **KAGGLE)

    # ---- restarting the runtime, skipping a setup cell
    notebook("insurance-charges-scaling-cell-skipped-after-restart-notebook", "optim.divergence", forms=NB,
             setup=prep(INSURANCE_PREP), **COLAB)
    notebook("drive-not-mounted-again-after-restart-torch-save-notebook", "other", forms=NB,
             also=["data.missing_or_corrupt"],
             setup=imgs(class_folder("rps/train", ["paper", "rock", "scissors"], 4, size=(150, 150))), **COLAB)
    notebook("colab-restart-skipped-cd-into-course-repo-cell-notebook", "data.missing_or_corrupt", forms=NB,
             setup=imgs(class_folder("dl-bootcamp/data/flowers5/train",
                                     ["daisy", "dandelion", "rose", "sunflower", "tulip"], 3, size=(96, 80))
                        + class_folder("dl-bootcamp/data/flowers5/test",
                                       ["daisy", "dandelion", "rose", "sunflower", "tulip"], 1, size=(96, 80))),
             **COLAB)

    # ---- cells copied from another lesson, lessons' helpers mixed, older course versions
    notebook("digit-recognizer-keras-lesson-one-hot-labels-cross-entropy-notebook", "data.label_shape",
             also=["data.dtype"], forms=NB, setup=prep(DIGITS_PREP), **KAGGLE)
    notebook("food-test-transforms-copied-from-cifar-lesson-notebook", "data.image_size_mismatch",
             forms=NB + ("progress_bars?",), setup=prep(FOOD_PREP), **COLAB)
    notebook("flowers-spawn-start-method-cell-copied-dataset-in-notebook", "env.multiprocessing", forms=NB,
             setup=imgs(class_folder("data/flowers/train", ["daisy", "rose", "tulip"], 6, size=(80, 80))), **COLAB)
    notebook("multi-gpu-lesson-init-process-group-cell-in-colab-notebook", "env.distributed", forms=NB,
             setup=imgs(class_folder("data/weather/train", ["cloudy", "rain", "shine", "sunrise"], 3, size=(90, 70))),
             **COLAB)
    notebook("blobs-multiclass-with-binary-lesson-helpers-notebook", "model.output_mismatch",
             also=["data.label_shape"], forms=NB, files={"helper_functions.py": HELPERS}, **COLAB)
    notebook("old-course-custom-relu-autograd-function-notebook", "env.version_incompat", forms=NB, **COLAB)
    notebook("first-cnn-exercise-nn-flatten-called-on-tensor-notebook", "model.api_misuse", forms=NB,
             setup=fmnist, **COLAB)
    notebook("fashion-mnist-knn-no-loops-distances-full-train-set-notebook", "resource.host_memory", forms=NB,
             setup=fmnist, **COLAB)

    # ---- scripts (Kaggle scripts, `!python` in Colab)
    script("taco-coco-boxes-into-pennfudan-tutorial-fasterrcnn", "data.bbox_invalid", argv="train_taco.py",
           setup=prep(TACO_PREP), **KAGGLE)
    script("pokemon-types-read-image-png-sprites-tqdm", "data.image_channels", forms=P, argv="pokemon_types.py",
           setup=prep(POKEMON_PREP), **KAGGLE)
    script("titanic-first-competition-features-float64-linear", "data.dtype", argv="titanic_nn.py",
           setup=prep(TITANIC_PREP), **KAGGLE)
    script("going-modular-train-py-224-transforms-tinyvgg-64-workers", "model.input_shape", forms=P,
           argv="going_modular/train.py",
           extra={"going_modular/data_setup.py": GM_DATA_SETUP, "going_modular/engine.py": GM_ENGINE,
                  "going_modular/model_builder.py": GM_MODEL_BUILDER, "going_modular/utils.py": GM_UTILS},
           setup=imgs(class_folder("data/my_snacks/train", ["crisps", "donut", "pretzel"], 5, size=(120, 100))
                      + class_folder("data/my_snacks/test", ["crisps", "donut", "pretzel"], 2, size=(120, 100))),
           **COLAB)
    script("histopathologic-patches-dataset-from-dogs-cats-lesson-jpg-workers", "data.missing_or_corrupt",
           forms=W, argv="train_histo.py", setup=prep(HISTO_PREP), **KAGGLE)

    # ---- ImageAI 3
    notebook("imageai-homework-five-labelled-mug-photos-notebook", "data.too_few_boxes", framework="imageai",
             forms=NB, setup=yolo_layout("mug_dataset", mug_rows, size=(320, 240),
                                         splits=(("train", 5), ("validation", 2))), **COLAB)
    notebook("imageai-class-json-rewritten-by-stopped-retrain-notebook", "model.weights_mismatch",
             framework="imageai", also=["model.output_mismatch"], forms=NB + ("chained_during",), exception="Exception",
             setup=both(save_cls("mobilenet_v2", '["cardboard", "glass", "metal", "paper"]',
                                 "recycling/models/mobilenet_v2-recycling-test_acc_0.81250_epoch-9.pt",
                                 "recycling/models/recycling_model_classes.json"),
                        write("recycling/models/recycling_model_classes.json",
                              '{"0": "cardboard", "1": "glass", "2": "metal", "3": "paper", "4": "plastic"}'),
                        imgs([("my_bottle.jpg", (240, 320), "RGB")])), **COLAB)
    notebook("imageai-detector-recreated-by-copied-lesson-cell-notebook", "model.api_misuse", framework="imageai",
             forms=NB, setup=both(save_tiny('["helmet", "head"]', 2, HARDHAT["PT"], HARDHAT["JS"]),
                                  imgs([("site_photo.jpg", (416, 312), "RGB")])), **COLAB)
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=1))
