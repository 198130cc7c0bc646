"""An eighty-ninth held-out set (g166, scored 0.96 top-1 and 1.00 top-3 before any rule for it) of PyTorch / torchvision / ImageAI 3 failures, untargeted across the taxonomy.

The persona: developers porting Keras / TensorFlow tutorials and habits to PyTorch and ImageAI 3.0.3 -- channels-last
NumPy arrays exported from ``keras.datasets``, ``to_categorical`` one-hot labels, ``Dense(..., activation="softmax")``
ported as an ``nn.Softmax`` layer, Keras-style ``fit`` loops and progress lines written by hand, ``model.summary()``,
``input_shape=(784,)`` thinking, sparse vs categorical labels, ``tf.image``-style preprocessing on HWC tensors, ``.h5``
weight files, ``ImageDataGenerator`` / ``flow_from_directory`` / ``keras.utils.Sequence`` ports as Datasets, and ImageAI 3
trainers (about a quarter of the cases). A natural mix of causes, each program built so that its cause is known by
construction and made to fail inside torch, torchvision, ImageAI, PIL, NumPy, SciPy or multiprocessing:

- PyTorch / torchvision: CIFAR-10 labels exported from Keras with shape (N, 1) given to ``CrossEntropyLoss`` (notebook,
  data.label_shape); the (N, H, W, 3) Keras array fed straight to ``Conv2d`` inside a hand-written ``fit`` with a Keras
  progress line (model.input_shape); a ``Softmax`` output with a hand-written categorical cross-entropy (no clipping of the
  probabilities as Keras does) at a high learning rate under anomaly mode (optim.divergence); the ``Dense(1, activation="sigmoid")`` binary
  head kept with ``CrossEntropyLoss`` (model.output_mismatch); 1-based class codes of a field sheet as sparse targets
  (data.label_out_of_range); ``model.summary()`` (notebook, model.api_misuse); ``Linear(784, 128)`` given unflattened
  28x28 images (notebook, model.input_shape); a ``keras.utils.Sequence`` port whose ``__getitem__`` returns whole
  batches, under a batching DataLoader with workers (model.api_misuse); a ``flow_from_directory`` port that never
  converts greyscale scans to RGB (workers, data.image_channels); ``x / 255.0`` float64 arrays into a float32 model
  (tqdm, data.dtype); the "unfreeze the top layer" step of a two-phase fine-tune that unfreezes the ``Softmax`` layer
  instead of the ``Linear`` one (optim.autograd_graph); a real Keras HDF5 weights file given to ``torch.load``
  (model.weights_mismatch); a whole model saved as ``model.h5`` with ``torch.save(model)`` and loaded under the
  ``weights_only`` default (env.version_incompat); ``ImageDataGenerator(featurewise_center=True).fit`` ported as a
  float64 array of the whole folder at ``target_size`` under the box's memory cap (resource.host_memory); a
  ``fit_generator``-style Python generator wrapped in an ``IterableDataset`` with spawn workers (env.multiprocessing);
  ``tf.image.random_brightness``-style ``ColorJitter`` on HWC tensors (notebook, model.api_misuse); the Kaggle
  cats-vs-dogs flat ``train/`` folder given to ``ImageFolder`` (data.missing_or_corrupt); a validation
  transform with only the "rescale" step and no resize (tqdm, data.image_size_mismatch);
- ImageAI 3: keras-yolo3 pixel boxes written into ImageAI's YOLO txt files (data.bbox_invalid), ``batch_size=1`` in
  ``setTrainConfig`` (model.api_misuse), an InceptionV3 ``ClassificationModelTrainer`` run whose last training batch
  holds one image (other), transfer from an earlier 4-class ImageAI model (model.weights_mismatch), a Keras
  ``img_to_array(...) / 255.`` float array given to ``classifyImage`` (data.dtype), a keras-yolo3 single
  ``train_annotations.txt`` instead of per-image annotation files (data.missing_or_corrupt).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None: model files are
ones an earlier run left on disk).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more89.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


import base64  # noqa: E402
import zlib  # noqa: E402
from pathlib import Path  # noqa: E402

from _record import (Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders,  # noqa: E402,F401
                     yolo_layout, save_tiny, save_cls)
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more89.py"

SCRIPTS = {}
CELLS = {}

# ------------------------------------------------------------------ data preps
CIFAR_PREP = '''
import os, numpy as np
# exported on the TF box: (x_train, y_train), _ = keras.datasets.cifar10.load_data(); a subset
os.makedirs("cifar_subset", exist_ok=True)
rng = np.random.default_rng(0)
x = rng.integers(0, 256, (256, 32, 32, 3), dtype=np.uint8)
y = rng.integers(0, 10, (256, 1), dtype=np.uint8)
np.save("cifar_subset/x_train.npy", x)
np.save("cifar_subset/y_train.npy", y)
np.save("cifar_subset/y_train_onehot.npy", np.eye(10, dtype=np.float32)[y[:, 0]])  # to_categorical(y_train)
'''

MNIST_PREP = '''
import os, numpy as np
os.makedirs("mnist_subset", exist_ok=True)
rng = np.random.default_rng(1)
np.save("mnist_subset/x_train.npy", rng.integers(0, 256, (512, 28, 28), dtype=np.uint8))
np.save("mnist_subset/y_train.npy", rng.integers(0, 10, (512,), dtype=np.uint8))
'''

SPECIES_PREP = '''
import os, numpy as np
from PIL import Image
os.makedirs("field_photos", exist_ok=True)
rng = np.random.default_rng(2)
rows = ["filename,species_code"]
for i in range(20):
    Image.fromarray(rng.integers(0, 255, (48, 48, 3), dtype=np.uint8)).save(f"field_photos/obs_{i:04d}.jpg")
    rows.append(f"obs_{i:04d}.jpg,{1 + i % 5}")
open("field_sheet.csv", "w").write("\\n".join(rows) + "\\n")
'''

# a Keras 2 ``model.save_weights("flowers_cnn.h5")`` file (HDF5, written with h5py; weights constant so it stays small)
KERAS_H5 = zlib.decompress(base64.b64decode("""
eNrtnc9PE0EUx2e3P1hLiyUhoUiUJiaKISktXojxgBG0ByNEPXCrFVYhYEtaAlUD1h+HmmjikaNH/wSOPXrkpkeO/hfY7r633Zm2
tIGGNvb7TT6Zzsx2djt9b3b27Wb2S3L+QShwJSCqMgzhFWHh1gnp+Juc5/rnlGqUlij9qXO5z6qLUHmY2o967HycvvjsycJCdesT
Rc6BUANRAfWjkgv3lqrpMuUnKf2ly9utZDM7M6ucphJcvmpm8qbLTuNt7neY7FW166BIkn0PiRFhiA0zl86ndsxcfj2bqZSPaZr1
zbCzT0PyE3+tyCoLijn6bFjtvUivbJiZ1ZbtBFzt6FY7BaoPVtqJiM30GzOXyqRfm3mrfEwTjdvT7By5pZO6j9PHHynvpTLOe6w2
PQ39PTwgjw+t/P14XLiODup3f+ez0qG/sb+zPyTPuV/294LXzh/42d/XyK9Cll/tmuuv1rZrjtXKr3iY4vSyy7irrhFy5f1WG5rk
R3xcyTE7vzbOY0djf4tPyf7WTA/vLz7SXB0sjU8VzcQSt2OJ2nEHKN2ujKfZ3MvN7K48XviU8Za60fFjHpd9yn74f+R8SCqffrGe
zt+JU185/Verrwy/GXOzsoXRsD6V4BYuOf2p1DstyL8z6P49tcMQg1Q+JNUrjVTPF0PwZQiCIAiCIAiCIKj7evp4cb4aQ+Dr5iWv
HAdQ4yAchykPyNuFb9lpccJOo1Q++U7ebonyW3v/Vz+2imfOXrNTxDP7U2o8k/2jNC5vp0aQOOLE/jN7Jv/WHLs7UPxWjSdCjcX3
MbnjNL7/421834TTcJPy+vqI1fRwdIJiplExaojR91Tvq/yD1Xpd1zV7HLEjvh6NTamsRMaXL+C8oTtxZ+eGXBOx/U1ehS2dNi5w
f/6YkLdT72ey/86dc/+B39fvAgAAAKD7dHdea89A+LmFcMfmqeUbjWcspZ6aj7W6ji/EcB3fz+LncNR4V6efDxp2GVn1mRX380KG
aP580DE99yNi7dnzURz2jOvP+rhUNHaxcanDKfm6VrVjqDNxqbDyP7euP+v5PjLDJtbNuFTkbXtxqfI0bAlxIQAAAAAAAAAAAAAA
AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAACgu7RaFzLasXWixE1aSa+n14Vs9p7Nv3vy0bZaby/+AevtYb29+vfaflfe
h6K+r7pT77VV37/S6XUrh1zGPSjo/amUD5yybuXBPq0DWGzPj0qf4Efwo/p1K/8UL3bdyq19ed1K1Y6hdtettF8gouny/MKn/L++
c883jj7TfEOXj6jQ1f5Q1608+treupWFj7AlrFsJegV4IARBUK/MK+W4la9j88gixa1Gejpu9Q9SOvYc
"""))

FULL_MODEL_PREP = '''
import os, torch, torch.nn as nn


class FlowerCNN(nn.Module):
    def __init__(self, n_classes=5):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
        )
        self.classifier = nn.Linear(32, n_classes)

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


os.makedirs("saved", exist_ok=True)
torch.save(FlowerCNN(), "saved/flower_cnn.h5")     # like model.save("flower_cnn.h5") in Keras
'''

# ================================================================== PyTorch / torchvision
CELLS["cifar-keras-labels-n-by-1-crossentropy-notebook"] = [
    '''import numpy as np
import torch
import torch.nn as nn

x_train = np.load("cifar_subset/x_train.npy")
y_train = np.load("cifar_subset/y_train.npy")
print(x_train.shape, y_train.shape, y_train.dtype)''',
    '''x = torch.tensor(x_train, dtype=torch.float32).permute(0, 3, 1, 2) / 255.0
y = torch.tensor(y_train, dtype=torch.long)
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=32, shuffle=True)''',
    '''model = nn.Sequential(
    nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(64 * 8 * 8, 64), nn.ReLU(), nn.Linear(64, 10),
)
loss_fn = nn.CrossEntropyLoss()          # = sparse_categorical_crossentropy(from_logits=True)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)''',
    '''for epoch in range(3):
    for xb, yb in loader:
        opt.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        opt.step()
    print(f"epoch {epoch + 1}: loss={loss.item():.4f}")''',
]

KERAS_FIT = '''

def fit(model, x, y, epochs=1, batch_size=32, lr=1e-3, loss_fn=None):
    """model.fit(x, y, epochs, batch_size) the Keras way, with its progress line."""
    opt = torch.optim.@@OPT@@(model.parameters(), lr=lr)
    loader = DataLoader(TensorDataset(x, y), batch_size=batch_size, shuffle=True)
    steps = len(loader)
    for epoch in range(epochs):
        print(f"Epoch {epoch + 1}/{epochs}")
        total = 0.0
        for step, (xb, yb) in enumerate(loader, start=1):
            opt.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()
            total += loss.item()
            done = int(30 * step / steps)
            bar = "=" * max(done - 1, 0) + (">" if done < 30 else "=") + "." * (30 - done)
            sys.stdout.write(f"\\r{step}/{steps} [{bar}] - loss: {total / step:.4f}")
            sys.stdout.flush()
        print()
'''

SCRIPTS["channels-last-array-into-conv2d-keras-fit"] = '''
import sys

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
''' + sub(KERAS_FIT, OPT="Adam") + '''

x_train = np.load("cifar_subset/x_train.npy").astype("float32") / 255.0   # (N, 32, 32, 3) like in Keras
y_train = np.load("cifar_subset/y_train.npy").ravel().astype("int64")

# Conv2D(32, 3, activation="relu", input_shape=(32, 32, 3)) ...
model = nn.Sequential(
    nn.Conv2d(3, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.LazyLinear(64), nn.ReLU(), nn.Linear(64, 10),
)
fit(model, torch.from_numpy(x_train), torch.from_numpy(y_train), epochs=5, batch_size=64,
    loss_fn=nn.CrossEntropyLoss())
'''

SCRIPTS["softmax-layer-hand-categorical-crossentropy-anomaly"] = '''
import sys

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
''' + sub(KERAS_FIT, OPT="SGD") + '''

torch.manual_seed(0)
torch.autograd.set_detect_anomaly(True)

x_train = torch.from_numpy(np.load("cifar_subset/x_train.npy").astype("float32") / 255.0)
y_train = torch.from_numpy(np.load("cifar_subset/y_train_onehot.npy"))           # to_categorical(y_train)


def categorical_crossentropy(y_pred, y_true):
    return -(y_true * torch.log(y_pred)).sum(dim=1).mean()


# Dense(256, activation="relu"), Dense(10, activation="softmax")
model = nn.Sequential(nn.Flatten(), nn.Linear(32 * 32 * 3, 256), nn.ReLU(), nn.Linear(256, 10), nn.Softmax())
fit(model, x_train, y_train, epochs=10, batch_size=32, lr=1.0, loss_fn=categorical_crossentropy)   # SGD(1.0): converge faster
'''

SCRIPTS["binary-sigmoid-unit-head-crossentropy"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("cats_and_dogs/train", transform=tf)
loader = DataLoader(train_ds, batch_size=8, shuffle=True)
print(train_ds.class_to_idx)

# the Keras version ended in Dense(1, activation="sigmoid")
model = nn.Sequential(
    nn.Conv2d(3, 16, 3), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(16, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(32 * 14 * 14, 64), nn.ReLU(),
    nn.Linear(64, 1), nn.Sigmoid(),
)
criterion = nn.CrossEntropyLoss()
opt = torch.optim.RMSprop(model.parameters(), lr=1e-4)
for epoch in range(5):
    for images, labels in loader:
        opt.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        opt.step()
    print(f"epoch {epoch + 1} loss {loss.item():.4f}")
'''

SCRIPTS["field-sheet-one-based-species-codes"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms

NUM_CLASSES = 5      # five species on the sheet
tf = transforms.Compose([transforms.Resize((48, 48)), transforms.ToTensor()])


class FieldPhotos(Dataset):
    def __init__(self, sheet):
        self.rows = list(csv.DictReader(open(sheet)))

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        img = Image.open("field_photos/" + r["filename"]).convert("RGB")
        return tf(img), int(r["species_code"])     # sparse labels, as for sparse_categorical_crossentropy


loader = DataLoader(FieldPhotos("field_sheet.csv"), batch_size=10, shuffle=True)
model = nn.Sequential(
    nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
    nn.Flatten(), nn.Linear(32, NUM_CLASSES),
)
opt = torch.optim.Adam(model.parameters(), 1e-3)
for epoch in range(10):
    for x, y in loader:
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
    print(f"epoch {epoch + 1}/10 - loss: {loss.item():.4f}")
'''

CELLS["model-summary-call-notebook"] = [
    '''import torch
import torch.nn as nn

model = nn.Sequential(
    nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(),
    nn.Linear(64 * 16 * 16, 128), nn.ReLU(), nn.Dropout(0.5),
    nn.Linear(128, 3),
)''',
    '''model.summary()''',
]

CELLS["dense-784-input-shape-unflattened-notebook"] = [
    '''import numpy as np
import torch
import torch.nn as nn

x_train = np.load("mnist_subset/x_train.npy").astype("float32") / 255.0
y_train = np.load("mnist_subset/y_train.npy").astype("int64")
x_train.shape''',
    '''# keras: Dense(128, activation="relu", input_shape=(784,)), Dropout(0.2), Dense(10)
model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Dropout(0.2), nn.Linear(128, 10))
opt = torch.optim.Adam(model.parameters())
loss_fn = nn.CrossEntropyLoss()''',
    '''X, Y = torch.from_numpy(x_train), torch.from_numpy(y_train)
for epoch in range(5):
    for i in range(0, len(X), 32):
        xb, yb = X[i:i + 32], Y[i:i + 32]
        opt.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        opt.step()
    print(epoch, loss.item())''',
]

SCRIPTS["keras-sequence-port-returns-batches-workers"] = '''
import glob
import math
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])


class CatsDogsSequence(Dataset):
    """Was a keras.utils.Sequence: one item = one batch."""

    def __init__(self, folder, batch_size=8):
        self.files = sorted(glob.glob(os.path.join(folder, "*", "*.jpg")))
        self.classes = sorted(os.listdir(folder))
        self.batch_size = batch_size

    def __len__(self):
        return math.ceil(len(self.files) / self.batch_size)

    def __getitem__(self, idx):
        batch = self.files[idx * self.batch_size:(idx + 1) * self.batch_size]
        x = torch.stack([tf(Image.open(f).convert("RGB")) for f in batch])
        y = torch.tensor([self.classes.index(os.path.basename(os.path.dirname(f))) for f in batch])
        return x, y


if __name__ == "__main__":
    seq = CatsDogsSequence("cats_and_dogs/train", batch_size=8)
    # model.fit(seq, epochs=10, workers=2, use_multiprocessing=True)
    loader = DataLoader(seq, batch_size=4, shuffle=True, num_workers=2)
    model = nn.Sequential(nn.Conv2d(3, 16, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 2))
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    for epoch in range(10):
        for x, y in loader:
            opt.zero_grad()
            loss = nn.functional.cross_entropy(model(x), y)
            loss.backward()
            opt.step()
        print(f"Epoch {epoch + 1}/10 loss {loss.item():.4f}")
'''

SCRIPTS["flow-from-directory-port-greyscale-scans-workers"] = '''
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms


class FlowFromDirectory(Dataset):
    """ImageDataGenerator(rescale=1/255).flow_from_directory(dir, target_size=(96, 96), class_mode="sparse")"""

    def __init__(self, directory, target_size=(96, 96)):
        self.classes = sorted(d for d in os.listdir(directory) if os.path.isdir(os.path.join(directory, d)))
        self.samples = [(os.path.join(directory, c, f), i) for i, c in enumerate(self.classes)
                        for f in sorted(os.listdir(os.path.join(directory, c)))]
        self.tf = transforms.Compose([transforms.Resize(target_size), transforms.ToTensor()])
        print(f"Found {len(self.samples)} images belonging to {len(self.classes)} classes.")

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, i):
        path, label = self.samples[i]
        return self.tf(Image.open(path)), label


if __name__ == "__main__":
    train = FlowFromDirectory("xrays/train")
    loader = DataLoader(train, batch_size=8, shuffle=True, num_workers=2)
    model = nn.Sequential(
        nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
        nn.Flatten(), nn.Linear(32, len(train.classes)),
    )
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    for epoch in range(3):
        for x, y in loader:
            opt.zero_grad()
            loss = nn.functional.cross_entropy(model(x), y)
            loss.backward()
            opt.step()
        print("epoch", epoch + 1, loss.item())
'''

SCRIPTS["rescale-255-float64-arrays-tqdm"] = '''
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from tqdm import tqdm

x_train = np.load("cifar_subset/x_train.npy") / 255.0          # rescale=1./255
y_train = np.load("cifar_subset/y_train.npy").ravel()
x = torch.from_numpy(x_train).permute(0, 3, 1, 2)               # channels first for PyTorch
y = torch.from_numpy(y_train).long()
loader = DataLoader(TensorDataset(x, y), batch_size=32, shuffle=True)

model = nn.Sequential(
    nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
    nn.Flatten(), nn.Linear(64, 10),
)
opt = torch.optim.Adam(model.parameters(), 1e-3)
for epoch in range(3):
    bar = tqdm(loader, desc=f"Epoch {epoch + 1}/3")
    for xb, yb in bar:
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(xb), yb)
        loss.backward()
        opt.step()
        bar.set_postfix(loss=loss.item())
'''

SCRIPTS["two-phase-finetune-unfreezes-softmax-layer"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])
ds = datasets.ImageFolder("flowers/train", transform=tf)
loader = DataLoader(ds, batch_size=8, shuffle=True)

# base_model = MobileNetV2(include_top=False); x = GlobalAveragePooling2D()(...); Dense(n, activation="softmax")
base = models.mobilenet_v2(weights=None).features
model = nn.Sequential(base, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(1280, len(ds.classes)),
                      nn.Softmax(dim=1))

# phase 1: base_model.trainable = False, only the top layer trains
for layer in model:
    layer.requires_grad_(False)
model[-1].requires_grad_(True)

opt = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.NLLLoss()
for epoch in range(3):
    for x, y in loader:
        opt.zero_grad()
        loss = criterion(torch.log(model(x)), y)
        loss.backward()
        opt.step()
    print(f"phase 1 epoch {epoch + 1}: {loss.item():.4f}")
'''

SCRIPTS["keras-h5-weights-into-torch-load"] = '''
import torch
import torch.nn as nn

# same architecture as the Keras model: Conv2D(16), Conv2D(32), GlobalAveragePooling2D, Dense(5)
model = nn.Sequential(
    nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
    nn.Flatten(), nn.Linear(32, 5),
)
state = torch.load("weights/flowers_cnn.h5", map_location="cpu")
model.load_state_dict(state)
model.eval()
print("weights loaded")
'''

SCRIPTS["whole-model-saved-as-h5-weights-only-default"] = '''
import sys

import torch
import torch.nn as nn
from PIL import Image
from torchvision import transforms


class FlowerCNN(nn.Module):
    def __init__(self, n_classes=5):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
        )
        self.classifier = nn.Linear(32, n_classes)

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


CLASSES = ["daisy", "dandelion", "rose", "sunflower", "tulip"]
model = torch.load("saved/flower_cnn.h5", map_location="cpu")      # keras.models.load_model("flower_cnn.h5")
model.eval()
tf = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor()])
for path in sys.argv[1:]:
    with torch.no_grad():
        p = model(tf(Image.open(path).convert("RGB")).unsqueeze(0)).softmax(1)[0]
    print(path, CLASSES[int(p.argmax())], round(float(p.max()), 3))
'''

SCRIPTS["featurewise-center-whole-folder-float64-rlimit"] = '''
import glob
import resource

import numpy as np
import torch
from PIL import Image
from torchvision import transforms

# the lab's shared box gives every job 2 GB; keep us inside it
_, hard = resource.getrlimit(resource.RLIMIT_DATA)
resource.setrlimit(resource.RLIMIT_DATA, (2 * 1024 ** 3, hard))

TARGET_SIZE = (1024, 1024)
files = sorted(glob.glob("leaves/train/*/*.jpg"))
print(f"Found {len(files)} images.")

# datagen = ImageDataGenerator(featurewise_center=True, featurewise_std_normalization=True); datagen.fit(x_train)
x_train = np.array([np.asarray(Image.open(f).convert("RGB").resize(TARGET_SIZE)) for f in files], dtype=np.float64)
mean = x_train.mean(axis=(0, 1, 2)) / 255.0
std = x_train.std(axis=(0, 1, 2)) / 255.0
normalize = transforms.Normalize(mean.tolist(), std.tolist())
print("featurewise mean", mean, "std", std)
'''

SCRIPTS["fit-generator-in-iterable-dataset-spawn-workers"] = '''
import os
import random

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import IterableDataset, DataLoader
from torchvision import transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])


def image_batch_generator(directory, batch_size=8):
    """The generator that model.fit_generator() used to get."""
    classes = sorted(os.listdir(directory))
    files = [(os.path.join(directory, c, f), i) for i, c in enumerate(classes)
             for f in os.listdir(os.path.join(directory, c))]
    while True:
        random.shuffle(files)
        for k in range(0, len(files) - batch_size + 1, batch_size):
            chunk = files[k:k + batch_size]
            yield (torch.stack([tf(Image.open(p).convert("RGB")) for p, _ in chunk]),
                   torch.tensor([y for _, y in chunk]))


class GeneratorDataset(IterableDataset):
    def __init__(self, gen):
        self.gen = gen

    def __iter__(self):
        return self.gen


if __name__ == "__main__":
    torch.multiprocessing.set_start_method("spawn")     # what the MacBook does anyway
    gen = image_batch_generator("cats_and_dogs/train")
    # model.fit_generator(gen, steps_per_epoch=3, epochs=5, workers=2, use_multiprocessing=True)
    loader = DataLoader(GeneratorDataset(gen), batch_size=None, num_workers=2)
    model = nn.Sequential(nn.Conv2d(3, 16, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 2))
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    it = iter(loader)
    for epoch in range(5):
        for step in range(3):
            x, y = next(it)
            opt.zero_grad()
            loss = nn.functional.cross_entropy(model(x), y)
            loss.backward()
            opt.step()
        print(f"Epoch {epoch + 1}/5 - loss: {loss.item():.4f}")
'''

CELLS["tf-image-style-colorjitter-on-hwc-tensors-notebook"] = [
    '''import glob
import numpy as np
import torch
from PIL import Image
from torchvision import transforms

# like tf.image.decode_jpeg + tf.image.resize: HWC uint8 tensors
files = sorted(glob.glob("flowers/train/*/*.jpg"))
images = [torch.from_numpy(np.asarray(Image.open(f).convert("RGB").resize((224, 224)))) for f in files]
images[0].shape, images[0].dtype''',
    '''# tf.image.random_flip_left_right / random_brightness / random_saturation
augment = transforms.Compose([
    transforms.RandomHorizontalFlip(),
    transforms.ColorJitter(brightness=0.2, saturation=0.3),
])
augmented = [augment(img) for img in images]
len(augmented)''',
]

SCRIPTS["kaggle-flat-train-folder-imagefolder"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

# Kaggle "Dogs vs. Cats": train/cat.0.jpg, train/dog.0.jpg ... (the Keras tutorial read labels from the names)
tf = transforms.Compose([transforms.Resize((150, 150)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("dogs-vs-cats/train", transform=tf)
loader = DataLoader(train_ds, batch_size=16, shuffle=True)
model = models.resnet18(weights=None, num_classes=2)
opt = torch.optim.Adam(model.parameters(), 1e-4)
for x, y in loader:
    opt.zero_grad()
    nn.functional.cross_entropy(model(x), y).backward()
    opt.step()
'''

SCRIPTS["validation-transform-rescale-only-no-resize-tqdm"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from tqdm import tqdm

# train_datagen = ImageDataGenerator(rescale=1./255, horizontal_flip=True); flow_from_directory(target_size=(128, 128))
train_tf = transforms.Compose([transforms.Resize((128, 128)), transforms.RandomHorizontalFlip(), transforms.ToTensor()])
# val_datagen = ImageDataGenerator(rescale=1./255)
val_tf = transforms.Compose([transforms.ToTensor()])

train_ds = datasets.ImageFolder("birds/train", transform=train_tf)
val_ds = datasets.ImageFolder("birds/validation", transform=val_tf)
train_loader = DataLoader(train_ds, batch_size=4, shuffle=True)
val_loader = DataLoader(val_ds, batch_size=4)

model = nn.Sequential(
    nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
    nn.Flatten(), nn.Linear(32, len(train_ds.classes)),
)
opt = torch.optim.Adam(model.parameters(), 1e-3)
for epoch in range(3):
    model.train()
    for x, y in tqdm(train_loader, desc=f"Epoch {epoch + 1}/3"):
        opt.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        opt.step()
    model.eval()
    correct = 0
    with torch.no_grad():
        for x, y in tqdm(val_loader, desc="val"):
            correct += (model(x).argmax(1) == y).sum().item()
    print(f"val_accuracy: {correct / len(val_ds):.4f}")
'''

# ================================================================== ImageAI 3
KERAS_YOLO3_PREP = '''
import os, numpy as np
from PIL import Image
rng = np.random.default_rng(7)
lines = []
for split, n in (("train", 6), ("validation", 2)):
    os.makedirs(f"hardhats/{split}/images", exist_ok=True)
    for i in range(n):
        name = f"hardhats/{split}/images/{split[:3]}_{i:04d}.jpg"
        Image.fromarray(rng.integers(0, 255, (240, 320, 3), dtype=np.uint8)).save(name)
        x1, y1 = 20 + 10 * i, 30 + 5 * i
        lines.append(f"{name} {x1},{y1},{x1 + 60},{y1 + 80},{i % 2} {x1 + 120},{y1 + 20},{x1 + 170},{y1 + 90},0")
# the keras-yolo3 annotation file: "path x1,y1,x2,y2,class ..."
open("@@ANN@@", "w").write("\\n".join(lines) + "\\n")
'''

SCRIPTS["keras-yolo3-pixel-boxes-to-imageai-txt"] = '''
import os

from imageai.Detection.Custom import DetectionModelTrainer

CLASSES = ["helmet", "head"]

# convert the keras-yolo3 annotation file to ImageAI's one-txt-per-image YOLO files
with open("keras_yolo3_train.txt") as f:
    for line in f:
        path, *boxes = line.split()
        txt = path.replace("/images/", "/annotations/").rsplit(".", 1)[0] + ".txt"
        os.makedirs(os.path.dirname(txt), exist_ok=True)
        with open(txt, "w") as out:
            for b in boxes:
                x1, y1, x2, y2, c = map(int, b.split(","))
                out.write(f"{c} {(x1 + x2) / 2} {(y1 + y2) / 2} {x2 - x1} {y2 - y1}\\n")

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="hardhats")
trainer.setTrainConfig(object_names_array=CLASSES, batch_size=4, num_experiments=5)
trainer.trainModel()
'''

SCRIPTS["keras-yolo3-single-annotation-file-imageai"] = '''
from imageai.Detection.Custom import DetectionModelTrainer

# dataset laid out for ImageAI, boxes still in the keras-yolo3 file hardhats/train_annotations.txt
trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="hardhats")
trainer.setTrainConfig(object_names_array=["helmet", "head"], batch_size=4, num_experiments=5)
trainer.trainModel()
'''

SCRIPTS["imageai-detection-trainer-batch-size-one"] = '''
from imageai.Detection.Custom import DetectionModelTrainer

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="forklifts")
# laptop without a GPU: batch_size=1 as in my Keras runs
trainer.setTrainConfig(object_names_array=["forklift", "pallet"], batch_size=1, num_experiments=10)
trainer.trainModel()
'''

SCRIPTS["imageai-inceptionv3-trainer-last-batch-of-one"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsInceptionV3()        # like keras.applications.InceptionV3 in the tutorial
trainer.setDataDirectory("mushrooms")
trainer.trainModel(num_experiments=2, batch_size=8)
'''

SCRIPTS["imageai-transfer-from-own-4-class-model"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

# start from the flowers model trained last week instead of from scratch (Keras: load_weights + new top)
trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("leaves")
trainer.trainModel(num_experiments=5, batch_size=4,
                   transfer_from_model="flowers/models/mobilenet_v2-flowers-test_acc_0.81250_epoch-9.pt")
'''

SCRIPTS["imageai-classify-img-to-array-rescaled"] = '''
import glob

import numpy as np
from PIL import Image
from imageai.Classification.Custom import CustomImageClassification


def img_to_array(path, target_size=(224, 224)):
    """keras.preprocessing.image.load_img + img_to_array, then rescale=1./255 as in training"""
    img = Image.open(path).convert("RGB").resize(target_size)
    return np.asarray(img, dtype="float32") / 255.0


clf = CustomImageClassification()
clf.setModelTypeAsResNet50()
clf.setModelPath("models/resnet50-pets-test_acc_0.90000_epoch-7.pt")
clf.setJsonPath("models/pets_model_classes.json")
clf.loadModel()
for path in sorted(glob.glob("to_classify/*.jpg")):
    names, probs = clf.classifyImage(img_to_array(path), result_count=2)
    print(path, list(zip(names, probs)))
'''


def box_rows(split, i):
    return f"0 0.{30 + i:02d} 0.4{i % 9} 0.20 0.25\n1 0.70 0.6{i % 9} 0.15 0.18\n"


def cases():
    out, add, script, notebook = case_builders("torch-more89-", SCRIPTS, CELLS)
    P = ("cpython_basic", "progress_bars")
    W = ("cpython_basic", "dataloader_worker")
    cifar = prep(CIFAR_PREP)
    cats_dogs = imgs(class_folder("cats_and_dogs/train", ["cats", "dogs"], 14, size=(80, 72)))
    flowers = imgs(class_folder("flowers/train", ["daisy", "rose", "tulip"], 4, size=(120, 100)))
    xrays = imgs([(f"xrays/train/{c}/{c}_{i:03d}.png", (110, 96), "L" if i % 3 == 1 else "RGB")
                  for c in ["normal", "pneumonia"] for i in range(8)])
    kaggle = imgs([(f"dogs-vs-cats/train/{c}.{i}.jpg", (90, 80), "RGB") for c in ("cat", "dog") for i in range(6)])
    birds = imgs(class_folder("birds/train", ["finch", "robin"], 4, size=(140, 110))
                 + [(f"birds/validation/{c}/{c}_v{i}.jpg", (140 + 30 * i, 110 + 10 * k), "RGB")
                    for k, c in enumerate(["finch", "robin"]) for i in range(3)])
    leaves = imgs(class_folder("leaves/train", ["healthy", "rust", "scab"], 40, size=(64, 64)))

    # ---- PyTorch / torchvision
    notebook("cifar-keras-labels-n-by-1-crossentropy-notebook", "data.label_shape", setup=cifar)
    script("channels-last-array-into-conv2d-keras-fit", "model.input_shape", also=["data.image_channels"],
           forms=("cpython_basic", "progress_bars?"), setup=cifar)
    script("softmax-layer-hand-categorical-crossentropy-anomaly", "optim.divergence", forms=P, setup=cifar)
    script("binary-sigmoid-unit-head-crossentropy", "model.output_mismatch", also=["data.label_out_of_range"],
           argv="train_cats_dogs.py", setup=cats_dogs)
    script("field-sheet-one-based-species-codes", "data.label_out_of_range", argv="train_species.py",
           setup=prep(SPECIES_PREP))
    notebook("model-summary-call-notebook", "model.api_misuse")
    notebook("dense-784-input-shape-unflattened-notebook", "model.input_shape", setup=prep(MNIST_PREP))
    script("keras-sequence-port-returns-batches-workers", "model.api_misuse", also=["data.image_size_mismatch"],
           forms=W, setup=cats_dogs)
    script("flow-from-directory-port-greyscale-scans-workers", "data.image_channels", forms=W,
           argv="train_xray.py", setup=xrays)
    script("rescale-255-float64-arrays-tqdm", "data.dtype", forms=P, setup=cifar)
    script("two-phase-finetune-unfreezes-softmax-layer", "optim.autograd_graph", argv="finetune.py", setup=flowers)
    script("keras-h5-weights-into-torch-load", "model.weights_mismatch", also=["env.version_incompat"],
           argv="port_weights.py", setup=write("weights/flowers_cnn.h5", KERAS_H5))
    script("whole-model-saved-as-h5-weights-only-default", "env.version_incompat", also=["model.weights_mismatch"],
           argv="predict.py", args=("samples/rose_01.jpg",),
           setup=both(prep(FULL_MODEL_PREP), imgs([("samples/rose_01.jpg", (160, 120), "RGB")])))
    script("featurewise-center-whole-folder-float64-rlimit", "resource.host_memory", argv="compute_stats.py",
           setup=leaves)
    script("fit-generator-in-iterable-dataset-spawn-workers", "env.multiprocessing", setup=cats_dogs)
    notebook("tf-image-style-colorjitter-on-hwc-tensors-notebook", "model.api_misuse", also=["data.image_channels"],
             setup=flowers)
    script("kaggle-flat-train-folder-imagefolder", "data.missing_or_corrupt", setup=kaggle)
    script("validation-transform-rescale-only-no-resize-tqdm", "data.image_size_mismatch", forms=P, setup=birds)

    # ---- ImageAI 3
    script("keras-yolo3-pixel-boxes-to-imageai-txt", "data.bbox_invalid", framework="imageai",
           argv="train_hardhats.py", setup=prep(KERAS_YOLO3_PREP.replace("@@ANN@@", "keras_yolo3_train.txt")))
    script("keras-yolo3-single-annotation-file-imageai", "data.missing_or_corrupt", also=["data.too_few_boxes"],
           framework="imageai", argv="train_hardhats.py",
           setup=prep(KERAS_YOLO3_PREP.replace("@@ANN@@", "hardhats/train_annotations.txt")))
    script("imageai-detection-trainer-batch-size-one", "model.api_misuse", framework="imageai",
           argv="train_forklifts.py", setup=yolo_layout("forklifts", box_rows, size=(160, 120)))
    script("imageai-inceptionv3-trainer-last-batch-of-one", "other", framework="imageai", forms=P,
           argv="train_mushrooms.py", timeout=400,
           setup=imgs(class_folder("mushrooms/train", ["chanterelle", "porcini", "amanita"], 3, size=(100, 90))
                      + class_folder("mushrooms/test", ["chanterelle", "porcini", "amanita"], 1, size=(100, 90))))
    script("imageai-transfer-from-own-4-class-model", "model.weights_mismatch", framework="imageai",
           argv="train_leaves.py",
           setup=both(save_cls("mobilenet_v2", '["daisy", "rose", "sunflower", "tulip"]',
                               "flowers/models/mobilenet_v2-flowers-test_acc_0.81250_epoch-9.pt",
                               "flowers/models/flowers_model_classes.json"),
                      imgs(class_folder("leaves/train", ["healthy", "rust"], 4, size=(96, 96))
                           + class_folder("leaves/test", ["healthy", "rust"], 2, size=(96, 96)))))
    script("imageai-classify-img-to-array-rescaled", "data.dtype", also=["model.api_misuse"], framework="imageai",
           argv="classify_pets.py",
           setup=both(save_cls("resnet50", '["cat", "dog", "rabbit"]',
                               "models/resnet50-pets-test_acc_0.90000_epoch-7.pt", "models/pets_model_classes.json"),
                      imgs([(f"to_classify/pet_{i}.jpg", (200, 180), "RGB") for i in range(2)])))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
