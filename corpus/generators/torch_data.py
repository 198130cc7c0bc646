"""PyTorch data-pipeline failures: image sizes, channels, missing/corrupt files, dtypes.

Each case is a tiny training script run with the torch venv (see
requirements-torch.txt); images are generated into the case's temp dir.

    /work/venvs/torch/bin/python corpus/generators/torch_data.py [-k filter]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _record import Case, make_images, run_cases, imgs  # noqa: E402

SRC = "corpus/generators/torch_data.py"
CPP = {"TORCH_SHOW_CPP_STACKTRACES": "1"}


def folder(classes, sizes, mode="RGB", ext="jpg", per_class=3):
    specs = []
    for c in classes:
        for i in range(per_class):
            specs.append((f"data/train/{c}/{c}_{i:03d}.{ext}", sizes[(i + len(specs)) % len(sizes)], mode))
    return specs


# ---------------------------------------------------------------- size mismatch
SIZES_TENSOR = '''
import torch
from torch.utils.data import DataLoader, Dataset


class PhotoDataset(Dataset):
    def __init__(self, sizes):
        self.sizes = sizes

    def __len__(self):
        return len(self.sizes)

    def __getitem__(self, idx):
        h, w = self.sizes[idx]
        image = torch.rand(3, h, w)  # decoded photo, never resized
        return image, idx % {n_classes}


def main():
    ds = PhotoDataset({sizes})
    loader = DataLoader(ds, batch_size={bs}, shuffle=False, num_workers={workers})
    model = torch.nn.Sequential(torch.nn.Conv2d(3, 8, 3), torch.nn.AdaptiveAvgPool2d(1),
                                torch.nn.Flatten(), torch.nn.Linear(8, {n_classes}))
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    for epoch in range(2):
        for images, labels in loader:
            loss = torch.nn.functional.cross_entropy(model(images), labels)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"epoch {{epoch}} loss {{loss.item():.3f}}")


if __name__ == "__main__":
    main()
'''

IMAGEFOLDER = '''
import torch
import torchvision
from torchvision import transforms
from torch.utils.data import DataLoader
{tqdm_import}

transform = transforms.Compose([
{transform_lines}
])
train_set = torchvision.datasets.ImageFolder("data/train", transform=transform)
print("classes:", train_set.classes, "images:", len(train_set))
loader = DataLoader(train_set, batch_size={bs}, shuffle=False, num_workers={workers})

model = torchvision.models.{arch}(num_classes=len(train_set.classes))
criterion = torch.nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

def train_one_epoch(epoch):
    model.train()
    for images, targets in {loop_iter}:
        optimizer.zero_grad()
        loss = criterion(model(images), targets)
        loss.backward()
        optimizer.step()

if __name__ == "__main__":
    for epoch in range(3):
        train_one_epoch(epoch)
'''

NUMPY_MASKS = '''
import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset

class SegDataset(Dataset):
    def __init__(self, shapes):
        self.shapes = shapes
    def __len__(self):
        return len(self.shapes)
    def __getitem__(self, i):
        h, w = self.shapes[i]
        image = np.random.rand(3, h, w).astype(np.float32)
        mask = np.random.randint(0, 4, size=(h, w)).astype(np.int64)
        return image, mask

if __name__ == "__main__":
    loader = DataLoader(SegDataset([(128, 128), (128, 128), (96, 160), (128, 128)]), batch_size=4, num_workers={workers})
    for image, mask in loader:
        print(image.shape, mask.shape)
'''

PIL_NO_CONVERT = '''
import os
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

class FlowerDataset(Dataset):
    def __init__(self, root):
        self.files = sorted(os.path.join(root, f) for f in os.listdir(root))
        self.tf = transforms.Compose([transforms.Resize(({s}, {s})), transforms.ToTensor()])
    def __len__(self):
        return len(self.files)
    def __getitem__(self, i):
        img = Image.open(self.files[i])   # no .convert("RGB")
        return self.tf(img), 0

if __name__ == "__main__":
    loader = DataLoader(FlowerDataset("data/flowers"), batch_size={bs}, num_workers={workers})
    model = torch.nn.Conv2d(3, 16, 3)
    for x, y in loader:
        out = model(x)
'''

# ---------------------------------------------------------------- channels
GRAY_RESNET = '''
import torch
import torchvision
from torchvision import transforms
from torch.utils.data import DataLoader

tf = transforms.Compose([transforms.Grayscale(), transforms.Resize(({s}, {s})), transforms.ToTensor()])
ds = torchvision.datasets.ImageFolder("data/train", transform=tf)
loader = DataLoader(ds, batch_size={bs}, shuffle=True)
model = torchvision.models.{arch}(num_classes={nc})
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(1):
    for x, y in loader:
        loss = torch.nn.functional.cross_entropy(model(x), y)
        opt.zero_grad(); loss.backward(); opt.step()
'''

NORMALIZE_GRAY = '''
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms
import glob

tf = transforms.Compose([
    transforms.Resize(({s}, {s})),
    transforms.ToTensor(),
    transforms.Normalize(mean={mean}, std={std}),
])

class XRays(Dataset):
    def __init__(self):
        self.files = sorted(glob.glob("data/xray/*.png"))
    def __len__(self):
        return len(self.files)
    def __getitem__(self, i):
        return tf(Image.open(self.files[i])), 0

if __name__ == "__main__":
    for x, y in DataLoader(XRays(), batch_size=4, num_workers={workers}):
        print(x.shape)
'''

MNIST_RGB = '''
import torch
import torch.nn as nn

class LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc = nn.Linear(16 * 4 * 4, 10)
    def forward(self, x):
        x = torch.max_pool2d(torch.relu(self.conv1(x)), 2)
        x = torch.max_pool2d(torch.relu(self.conv2(x)), 2)
        return self.fc(x.flatten(1))

model = LeNet()
images = torch.rand({bs}, 3, 28, 28)   # RGB digits from a custom dataset
print(model(images).shape)
'''

CV2_HWC = '''
import cv2
import numpy as np
import torch
import torchvision

files = ["data/img_0.jpg", "data/img_1.jpg"]
batch = np.stack([cv2.resize(cv2.imread(f), ({s}, {s})) for f in files]).astype(np.float32) / 255.0
x = torch.from_numpy(batch)          # N, H, W, C
model = torchvision.models.{arch}(num_classes=2)
print(model(x).shape)
'''

RGBA_NORMALIZE = '''
import torch
from PIL import Image
from torchvision import transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
img = Image.open("data/logo.png")
x = tf(img).unsqueeze(0)
print(x.shape)
'''

# ---------------------------------------------------------------- missing / corrupt
CV2_DATASET = '''
import cv2
import torch
from torch.utils.data import DataLoader, Dataset

class DetDataset(Dataset):
    def __init__(self, list_file):
        with open(list_file) as f:
            self.files = [l.strip() for l in f if l.strip()]
    def __len__(self):
        return len(self.files)
    def __getitem__(self, i):
        img = cv2.imread(self.files[i])
        {op}
        return torch.from_numpy(img).permute(2, 0, 1).float() / 255.0

if __name__ == "__main__":
    loader = DataLoader(DetDataset("train.txt"), batch_size=2, num_workers={workers})
    for epoch in range(2):
        for batch in loader:
            pass
'''

CORRUPT_FOLDER = '''
import torch
import torchvision
from torchvision import transforms
from torch.utils.data import DataLoader

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
ds = torchvision.datasets.ImageFolder("data/train", transform=tf)
loader = DataLoader(ds, batch_size=4, num_workers={workers})
model = torchvision.models.mobilenet_v3_small(num_classes=len(ds.classes))
for x, y in loader:
    loss = torch.nn.functional.cross_entropy(model(x), y)
'''

EMPTY_FOLDER = '''
import torchvision
from torchvision import transforms
from torch.utils.data import DataLoader

train_set = torchvision.datasets.ImageFolder("{root}", transform=transforms.ToTensor())
loader = DataLoader(train_set, batch_size=8, shuffle=True)
'''

EMPTY_SAMPLER = '''
import glob
import torch
from torch.utils.data import DataLoader, Dataset

class Frames(Dataset):
    def __init__(self, pattern):
        self.files = sorted(glob.glob(pattern))
        print(f"found {{len(self.files)}} frames")
    def __len__(self):
        return len(self.files)
    def __getitem__(self, i):
        return torch.load(self.files[i])

loader = DataLoader(Frames("{pattern}"), batch_size=16, shuffle=True)
for batch in loader:
    pass
'''

READ_IMAGE = '''
import torch
from torchvision.io import decode_image, read_image
from torch.utils.data import Dataset, DataLoader
import os

class Pets(Dataset):
    def __init__(self, root):
        self.files = sorted(os.path.join(root, f) for f in os.listdir(root))
    def __len__(self):
        return len(self.files)
    def __getitem__(self, i):
        return read_image(self.files[i]).float() / 255.0

for x in DataLoader(Pets("data/pets"), batch_size=2):
    print(x.shape)
'''

# ---------------------------------------------------------------- dtype
DTYPE_SNIPPETS = {
    "ce-float-target": (
        "import torch\nimport torch.nn as nn\n\nlogits = torch.randn({bs}, {nc}, requires_grad=True)\n"
        "labels = torch.tensor([float(i % {nc}) for i in range({bs})])  # read from a CSV as floats\n"
        "loss = nn.NLLLoss()(torch.log_softmax(logits, 1), labels)\nloss.backward()\n"),
    "conv-byte-input": (
        "import numpy as np\nimport torch\nimport torchvision\n\n"
        "batch = np.random.randint(0, 256, size=({bs}, 3, 64, 64), dtype=np.uint8)\n"
        "x = torch.from_numpy(batch)\nmodel = torchvision.models.resnet18(num_classes={nc})\nout = model(x)\n"),
    "conv-double-input": (
        "import numpy as np\nimport torch\nimport torch.nn as nn\n\n"
        "model = nn.Sequential(nn.Conv2d(1, 8, 3), nn.ReLU(), nn.Flatten(), nn.LazyLinear({nc}))\n"
        "images = np.random.rand({bs}, 1, 28, 28)  # float64 from numpy\n"
        "out = model(torch.from_numpy(images))\n"),
    "linear-double-mat1-mat2": (
        "import numpy as np\nimport torch\nimport torch.nn as nn\n\n"
        "features = np.load('features.npy')\nmodel = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, {nc}))\n"
        "logits = model(torch.tensor(features))\n"),
    "lstm-double-input": (
        "import numpy as np\nimport torch\nimport torch.nn as nn\n\n"
        "lstm = nn.LSTM(input_size=8, hidden_size=32, batch_first=True)\n"
        "series = torch.from_numpy(np.random.rand({bs}, 50, 8))  # float64 sensor windows\n"
        "out, _ = lstm(series)\n"),
    "embedding-float-indices": (
        "import torch\nimport torch.nn as nn\n\nemb = nn.Embedding(1000, 32)\n"
        "tokens = torch.tensor([[1.0, 5.0, 9.0], [4.0, 2.0, 0.0]])\nprint(emb(tokens).shape)\n"),
    "bce-long-target": (
        "import torch\nimport torch.nn as nn\n\nmodel = nn.Linear(16, 1)\nx = torch.randn({bs}, 16)\n"
        "y = torch.randint(0, 2, ({bs}, 1))\nloss = nn.BCEWithLogitsLoss()(model(x), y)\nloss.backward()\n"),
    "ce-int-target-spatial": (
        "import torch\nimport torch.nn as nn\n\nnet = nn.Conv2d(3, {nc}, 1)\nimg = torch.randn(2, 3, 32, 32)\n"
        "mask = torch.randint(0, {nc}, (2, 32, 32), dtype=torch.uint8)  # masks saved as PNG -> uint8\n"
        "loss = nn.CrossEntropyLoss()(net(img), mask)\n"),
}


def cases():
    out = []
    add = out.append

    # image_size_mismatch ---------------------------------------------------------
    for name, sizes, bs, nc, workers, env, forms in [
        ("torch-collate-size-mismatch", [(224, 224), (224, 224), (375, 500), (224, 224)], 4, 2, 0, {}, ["cpython_basic"]),
        ("torch-collate-size-mismatch-workers", [(224, 224), (224, 224), (375, 500), (224, 224)], 4, 2, 2, {}, ["dataloader_worker"]),
        ("torch-collate-size-mismatch-bs8-workers4", [(256, 256)] * 5 + [(256, 341)] + [(256, 256)] * 2, 8, 5, 4, {}, ["dataloader_worker"]),
        ("torch-collate-size-mismatch-cpp", [(128, 128), (96, 128)], 2, 3, 0, CPP, ["cpp_frames"]),
    ]:
        add(Case(name, "data.image_size_mismatch", forms,
                 {"train.py": SIZES_TENSOR.format(sizes=sizes, bs=bs, n_classes=nc, workers=workers)}, env=env))

    base_tf = "    transforms.ToTensor(),"
    for name, tlines, arch, workers, bs, sizes, use_tqdm, forms in [
        ("torch-imagefolder-no-resize", base_tf, "resnet18", 0, 4, [(64, 64), (80, 60), (64, 64)], False, ["cpython_basic"]),
        ("torch-imagefolder-no-resize-workers", base_tf, "resnet18", 2, 4, [(64, 64), (80, 60), (64, 64)], False, ["dataloader_worker"]),
        ("torch-imagefolder-no-resize-tqdm", base_tf, "mobilenet_v2", 2, 2, [(64, 64), (64, 64), (64, 64), (70, 90)], True, ["dataloader_worker", "progress_bars"]),
        ("torch-imagefolder-resize-int-keeps-aspect", "    transforms.Resize(64),\n    transforms.ToTensor(),\n    transforms.Normalize([0.5] * 3, [0.5] * 3),",
         "resnet34", 0, 4, [(100, 100), (160, 100), (100, 100)], False, ["cpython_basic"]),
    ]:
        add(Case(name, "data.image_size_mismatch", forms,
                 {"train.py": IMAGEFOLDER.format(
                     transform_lines=tlines, arch=arch, workers=workers, bs=bs,
                     tqdm_import="from tqdm import tqdm" if use_tqdm else "",
                     loop_iter="tqdm(loader, desc=f'epoch {epoch}')" if use_tqdm else "loader")},
                 setup=imgs(folder(["cat", "dog"], sizes))))
    for w in (0, 2):
        add(Case(f"torch-collate-numpy-masks-size-mismatch{'-workers' if w else ''}", "data.image_size_mismatch",
                 ["dataloader_worker"] if w else ["cpython_basic"], {"train.py": NUMPY_MASKS.format(workers=w)}))
    # grayscale mixed into RGB without convert -> stack error about channels
    add(Case("torch-collate-gray-mixed-rgb-no-convert", "data.image_channels", ["cpython_basic"],
             {"train.py": PIL_NO_CONVERT.format(s=64, bs=4, workers=0)}, also=["data.image_size_mismatch"],
             setup=imgs([("data/flowers/f0.jpg", (80, 80), "RGB"), ("data/flowers/f1.jpg", (80, 80), "RGB"),
                         ("data/flowers/f2.jpg", (80, 80), "L"), ("data/flowers/f3.jpg", (80, 80), "RGB")])))
    add(Case("torch-collate-rgba-mixed-rgb-no-convert-workers", "data.image_channels", ["dataloader_worker"],
             {"train.py": PIL_NO_CONVERT.format(s=96, bs=2, workers=2)}, also=["data.image_size_mismatch"],
             setup=imgs([("data/flowers/a.png", (80, 80), "RGB"), ("data/flowers/b.png", (80, 80), "RGBA")])))

    # image_channels ------------------------------------------------------------
    for name, s, bs, arch, nc in [("torch-grayscale-into-resnet18", 64, 4, "resnet18", 2),
                                  ("torch-grayscale-into-vgg11", 32, 2, "vgg11", 3),
                                  ("torch-grayscale-into-efficientnet", 64, 8, "efficientnet_b0", 2)]:
        add(Case(name, "data.image_channels", ["cpython_basic"],
                 {"train.py": GRAY_RESNET.format(s=s, bs=bs, arch=arch, nc=nc)},
                 setup=imgs(folder(["a", "b", "c"][:nc], [(70, 70)], per_class=4))))
    for name, s, w, mean, std, forms in [
        ("torch-normalize-3mean-on-gray", 32, 0, "[0.485, 0.456, 0.406]", "[0.229, 0.224, 0.225]", ["cpython_basic"]),
        ("torch-normalize-3mean-on-gray-workers", 64, 2, "(0.5, 0.5, 0.5)", "(0.5, 0.5, 0.5)", ["dataloader_worker"]),
    ]:
        add(Case(name, "data.image_channels", forms,
                 {"train.py": NORMALIZE_GRAY.format(s=s, workers=w, mean=mean, std=std)},
                 setup=imgs([(f"data/xray/p{i}.png", (50, 50), "L") for i in range(4)])))
    add(Case("torch-normalize-rgba-png", "data.image_channels", ["cpython_basic"], {"train.py": RGBA_NORMALIZE},
             setup=imgs([("data/logo.png", (40, 40), "RGBA")])))
    add(Case("torch-lenet-1ch-given-rgb", "data.image_channels", ["cpython_basic"], {"train.py": MNIST_RGB.format(bs=16)}))
    add(Case("torch-lenet-1ch-given-rgb-cpp", "data.image_channels", ["cpp_frames"], {"train.py": MNIST_RGB.format(bs=4)}, env=CPP))
    for name, s, arch in [("torch-cv2-hwc-into-resnet", 64, "resnet18"), ("torch-cv2-hwc-into-mobilenet", 96, "mobilenet_v3_small")]:
        add(Case(name, "model.input_shape", ["cpython_basic"], {"train.py": CV2_HWC.format(s=s, arch=arch)},
                 also=["data.image_channels"], setup=imgs([("data/img_0.jpg", (120, 90), "RGB"), ("data/img_1.jpg", (90, 120), "RGB")])))

    # missing_or_corrupt --------------------------------------------------------
    listing = "data/images/0001.jpg\ndata/images/0002.jpg\ndata/images/0003.JPG\ndata/images/0004.jpg\n"
    have = imgs([("data/images/0001.jpg", (48, 48), "RGB"), ("data/images/0002.jpg", (48, 48), "RGB"),
                 ("data/images/0003.jpg", (48, 48), "RGB"), ("data/images/0004.jpg", (48, 48), "RGB")])
    for name, op, w, forms in [
        ("torch-cv2-imread-none-shape", "h, w, _ = img.shape", 0, ["cpython_basic"]),
        ("torch-cv2-imread-none-shape-workers", "h, w, _ = img.shape", 2, ["dataloader_worker"]),
        ("torch-cv2-imread-none-resize", "img = cv2.resize(img, (416, 416))", 0, ["cpython_basic"]),
        ("torch-cv2-imread-none-cvtcolor-workers", "img = cv2.cvtColor(img, cv2.COLOR_BGR2RGB)", 2, ["dataloader_worker"]),
        ("torch-cv2-imread-none-from-numpy", "pass", 0, ["cpython_basic"]),
    ]:
        add(Case(name, "data.missing_or_corrupt", forms,
                 {"train.py": CV2_DATASET.format(op=op, workers=w), "train.txt": listing}, setup=have))
    for name, bad, w, forms in [
        ("torch-imagefolder-cannot-identify-html", "text", 0, ["cpython_basic"]),
        ("torch-imagefolder-cannot-identify-empty-workers", "empty", 2, ["dataloader_worker"]),
        ("torch-imagefolder-truncated-jpeg", "truncated", 0, ["cpython_basic"]),
        ("torch-imagefolder-truncated-jpeg-workers", "truncated", 2, ["dataloader_worker"]),
    ]:
        specs = folder(["cat", "dog"], [(64, 64)], per_class=2) + [("data/train/dog/dog_bad.jpg", (300, 300), bad)]
        add(Case(name, "data.missing_or_corrupt", forms, {"train.py": CORRUPT_FOLDER.format(workers=w)}, setup=imgs(specs)))
    add(Case("torch-imagefolder-no-class-folders", "data.missing_or_corrupt", ["cpython_basic"],
             {"train.py": EMPTY_FOLDER.format(root="data/train")},
             setup=imgs([("data/train/img_001.jpg", (32, 32), "RGB"), ("data/train/img_002.jpg", (32, 32), "RGB")])))
    add(Case("torch-imagefolder-missing-root", "data.missing_or_corrupt", ["cpython_basic"],
             {"train.py": EMPTY_FOLDER.format(root="dataset/train")}, setup=imgs([("data/train/a/1.jpg", (32, 32), "RGB")])))
    add(Case("torch-imagefolder-no-valid-file", "data.missing_or_corrupt", ["cpython_basic"],
             {"train.py": EMPTY_FOLDER.format(root="data/train")},
             setup=imgs([("data/train/cat/1.webp.txt", (32, 32), "text"), ("data/train/dog/1.heic", (32, 32), "text")])))
    for name, pattern in [("torch-empty-dataset-num-samples-0", "data/frames/*.pt"),
                          ("torch-empty-dataset-num-samples-0-wrong-ext", "data/frames/*.pth")]:
        add(Case(name, "data.missing_or_corrupt", ["cpython_basic"], {"train.py": EMPTY_SAMPLER.format(pattern=pattern)},
                 setup=imgs([("data/frames/readme.txt", (1, 1), "text")])))
    add(Case("torch-read-image-corrupt", "data.missing_or_corrupt", ["cpython_basic"], {"train.py": READ_IMAGE},
             setup=imgs([("data/pets/a.jpg", (40, 40), "RGB"), ("data/pets/b.jpg", (40, 40), "text")])))

    # dtype ------------------------------------------------------------------------
    def features(root):
        import numpy as np
        np.save(root / "features.npy", np.random.rand(16, 20))

    for key, snip in DTYPE_SNIPPETS.items():
        for bs, nc, env, suffix, forms in [(8, 4, {}, "", ["cpython_basic"]), (32, 10, CPP, "-cpp", ["cpp_frames"])]:
            if suffix and key not in ("ce-float-target", "conv-byte-input", "linear-double-mat1-mat2"):
                continue
            add(Case(f"torch-dtype-{key}{suffix}", "data.dtype", forms + ["caret_lines?"],
                     {"train.py": snip.format(bs=bs, nc=nc)}, env=env, setup=features))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC))
