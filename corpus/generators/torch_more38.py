"""A thirty-eighth held-out set (g73, scored 0.50 top-1 and 0.86 top-3 before any rule for it) of PyTorch / torchvision / ImageAI 3 failures: old tutorial, course,
book and GitHub-repository code (PyTorch 0.4-1.x, torchvision 0.2-0.12, ImageAI 2.x, NumPy 1.x,
Pillow < 10, SciPy, OpenCV 3/4, tqdm) run against today's libraries (torch 2.x, torchvision 0.29,
ImageAI 3.0.3, NumPy 2.4, Pillow 13, SciPy 1.17, OpenCV 5), mixed with look-alikes that are NOT
version problems but print similar messages, none a repeat of the other generators' scenarios.

- versions (env.version_incompat): ``scipy.interpolate.interp2d`` in an elastic-deformation
  augmentation (in workers), ``scipy.integrate.simps`` for a PR-curve AP, ``scipy.signal.gaussian``
  for an SSIM window (notebook), ``scipy.stats.mode`` indexed the pre-1.11 way in a TTA vote,
  ``cv2.CascadeClassifier`` and ``cv2.dnn.readNetFromDarknet`` gone from OpenCV 5 (face crops,
  YOLO pseudo-labels in a notebook), the OpenCV 3 three-value ``findContours``, ``tqdm(nested=True)``,
  a whole model pickled by torch 1.10 whose ``GELU`` lacks ``approximate``,
  ``np.asscalar``, ``np.int0`` on ``cv2.boxPoints``, ``ndarray.itemset`` (notebook), Pillow's
  ``ImageMath.eval`` in a 16-bit depth-PNG loader (in workers), DETR's ``float(torchvision.__version__[:3])``
  check importing ``_new_empty_tensor``, ``torch.qr`` in an orthogonal initialiser, ``torch.stft``
  without ``return_complex`` for spectrogram images, a ``defaultdict`` in a checkpoint under the
  ``weights_only`` default, ImageAI 2's ``loadModel(prediction_speed=...)`` and
  ``setModelTypeAsDenseNet`` (notebook);
- look-alikes: a script named ``imageai.py`` shadowing the package, a ``transforms`` name typo, an
  ``np.arrange`` typo, ``progress_bar`` imported from a ``utils.py`` of another repo, the
  ``train=`` keyword given to the user's own Dataset, a user loader unpacked into three values, an
  ImageAI 3 setter with the wrong capitalisation (other); ``Image.fromarray`` given a tensor
  (model.api_misuse); a whole model pickled from a notebook's ``__main__`` loaded in a predict script
  (model.weights_mismatch).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads); the label is
known by construction (what the program breaks).

    /work/venvs/torch/bin/python corpus/generators/torch_more38.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _record import Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders  # noqa: E402,F401
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more38.py"

SCRIPTS = {}
CELLS = {}

# a tiny classifier most scripts share (kept inline so each program stands alone)
SMALLNET = '''
class SmallNet(nn.Module):
    def __init__(self, n_classes):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
        )
        self.fc = nn.Linear(32, n_classes)

    def forward(self, x):
        return self.fc(torch.flatten(self.features(x), 1))
'''

# ============================================================ env.version_incompat
SCRIPTS["elastic-deform-augment-scipy-interp2d-workers"] = '''
import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from scipy import interpolate
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


def elastic_deform(img, alpha=6.0, grid=4):
    """coarse random displacement field, upsampled with interp2d (from an old cell-segmentation repo)"""
    arr = np.asarray(img, dtype=np.float32)
    h, w = arr.shape[:2]
    gy, gx = np.linspace(0, h - 1, grid), np.linspace(0, w - 1, grid)
    dx = np.random.uniform(-alpha, alpha, (grid, grid))
    dy = np.random.uniform(-alpha, alpha, (grid, grid))
    fx = interpolate.interp2d(gx, gy, dx, kind="cubic")
    fy = interpolate.interp2d(gx, gy, dy, kind="cubic")
    ys, xs = np.arange(h), np.arange(w)
    map_x = np.clip(xs[None, :] + fx(xs, ys), 0, w - 1).astype(int)
    map_y = np.clip(ys[:, None] + fy(xs, ys), 0, h - 1).astype(int)
    return Image.fromarray(arr[map_y, map_x].astype(np.uint8))


train_tf = transforms.Compose([
    transforms.Resize((64, 64)),
    transforms.Lambda(elastic_deform),
    transforms.ToTensor(),
])
''' + SMALLNET + '''

def main():
    ds = datasets.ImageFolder("data/cells/train", transform=train_tf)
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2)
    model = SmallNet(len(ds.classes))
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    crit = nn.CrossEntropyLoss()
    for epoch in range(3):
        for x, y in loader:
            loss = crit(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print("epoch", epoch, loss.item())


if __name__ == "__main__":
    main()
'''

SCRIPTS["pr-curve-average-precision-scipy-simps"] = '''
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from scipy.integrate import simps
''' + SMALLNET + '''

tf = transforms.Compose([transforms.Resize((48, 48)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("data/cracks/train", transform=tf)
val_ds = datasets.ImageFolder("data/cracks/val", transform=tf)
model = SmallNet(2)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
crit = nn.CrossEntropyLoss()
for epoch in range(2):
    for x, y in DataLoader(train_ds, batch_size=4, shuffle=True):
        loss = crit(model(x), y)
        opt.zero_grad(); loss.backward(); opt.step()
    print(f"epoch {epoch} loss {loss.item():.4f}")

model.eval()
scores, labels = [], []
with torch.no_grad():
    for x, y in DataLoader(val_ds, batch_size=8):
        scores.append(torch.softmax(model(x), 1)[:, 1].numpy()); labels.append(y.numpy())
scores, labels = np.concatenate(scores), np.concatenate(labels)
order = np.argsort(-scores)
tp = np.cumsum(labels[order] == 1); fp = np.cumsum(labels[order] == 0)
precision = tp / (tp + fp); recall = tp / max(1, labels.sum())
print("AP:", simps(precision, recall))
'''

CELLS["ssim-loss-window-scipy-signal-gaussian-notebook"] = [
    '''
import numpy as np
import scipy.signal
import torch
import torch.nn as nn
import torch.nn.functional as F
from torchvision import datasets, transforms
''',
    '''
# SSIM loss for the denoising autoencoder, window as in the course notebook
def gaussian_window(size=11, sigma=1.5, channels=3):
    g = scipy.signal.gaussian(size, sigma)
    g = torch.tensor(np.outer(g, g) / np.outer(g, g).sum(), dtype=torch.float32)
    return g.expand(channels, 1, size, size).contiguous()

window = gaussian_window()
''',
    '''
def ssim(a, b, window=window, C1=0.01 ** 2, C2=0.03 ** 2):
    mu_a = F.conv2d(a, window, padding=5, groups=3); mu_b = F.conv2d(b, window, padding=5, groups=3)
    s_a = F.conv2d(a * a, window, padding=5, groups=3) - mu_a ** 2
    s_b = F.conv2d(b * b, window, padding=5, groups=3) - mu_b ** 2
    s_ab = F.conv2d(a * b, window, padding=5, groups=3) - mu_a * mu_b
    return (((2 * mu_a * mu_b + C1) * (2 * s_ab + C2)) / ((mu_a ** 2 + mu_b ** 2 + C1) * (s_a + s_b + C2))).mean()
''',
]

SCRIPTS["tta-majority-vote-scipy-stats-mode-index"] = '''
import numpy as np
import torch
import torch.nn as nn
from scipy import stats
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
''' + SMALLNET + '''

base = transforms.Compose([transforms.Resize((56, 56)), transforms.ToTensor()])
tta = [
    base,
    transforms.Compose([transforms.Resize((56, 56)), transforms.RandomHorizontalFlip(1.0), transforms.ToTensor()]),
    transforms.Compose([transforms.Resize((64, 64)), transforms.CenterCrop(56), transforms.ToTensor()]),
]

model = SmallNet(3)
model.load_state_dict(torch.load("bird_smallnet.pth"))
model.eval()

votes = []
with torch.no_grad():
    for tf in tta:
        ds = datasets.ImageFolder("data/birds/test", transform=tf)
        preds = torch.cat([model(x).argmax(1) for x, _ in DataLoader(ds, batch_size=8)])
        votes.append(preds.numpy())
votes = np.stack(votes)                     # (n_tta, n_images)
final = np.array([stats.mode(votes[:, i])[0][0] for i in range(votes.shape[1])])   # majority vote per image
acc = (final == np.array(ds.targets)).mean()
print(f"TTA accuracy: {acc:.3f}")
'''

BIRD_PREP = '''
import torch, torch.nn as nn
''' + SMALLNET + '''
torch.save(SmallNet(3).state_dict(), "bird_smallnet.pth")
'''

SCRIPTS["face-crop-dataset-cv2-cascadeclassifier-opencv5"] = '''
import os
import cv2
import torch
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms

# haar cascade face crops, as in the face-mask-detection tutorial
face_cascade = cv2.CascadeClassifier(cv2.data.haarcascades + "haarcascade_frontalface_default.xml")


class MaskFaces(Dataset):
    def __init__(self, root):
        self.items = []
        for label, cls in enumerate(sorted(os.listdir(root))):
            for f in sorted(os.listdir(os.path.join(root, cls))):
                self.items.append((os.path.join(root, cls, f), label))
        self.tf = transforms.Compose([transforms.ToPILImage(), transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        path, label = self.items[i]
        img = cv2.imread(path)
        gray = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
        faces = face_cascade.detectMultiScale(gray, 1.1, 4)
        if len(faces):
            x, y, w, h = faces[0]
            img = img[y:y + h, x:x + w]
        return self.tf(cv2.cvtColor(img, cv2.COLOR_BGR2RGB)), label


loader = DataLoader(MaskFaces("data/masks"), batch_size=4, shuffle=True)
for x, y in loader:
    print(x.shape, y)
'''

CELLS["pseudo-label-yolo-cv2-dnn-readnetfromdarknet-notebook"] = [
    '''
import glob
import os
import cv2
import numpy as np

frames = sorted(glob.glob("frames/*.jpg"))
print(len(frames), "frames to pseudo-label")
''',
    '''
# pyimagesearch-style YOLOv3 with OpenCV's dnn module
net = cv2.dnn.readNetFromDarknet("yolo-coco/yolov3.cfg", "yolo-coco/yolov3.weights")
ln = [net.getLayerNames()[i - 1] for i in net.getUnconnectedOutLayers()]
''',
    '''
os.makedirs("labels", exist_ok=True)
for path in frames:
    img = cv2.imread(path)
    blob = cv2.dnn.blobFromImage(img, 1 / 255.0, (416, 416), swapRB=True, crop=False)
    net.setInput(blob)
    outs = net.forward(ln)
''',
]

SCRIPTS["leaf-crops-opencv3-findcontours-three-values"] = '''
import glob
import os
import cv2
import numpy as np

# Otsu mask -> one crop per leaf, for the classifier's training folder (OpenCV 3 book recipe)
os.makedirs("crops", exist_ok=True)
n = 0
for path in sorted(glob.glob("scans/*.png")):
    img = cv2.imread(path)
    gray = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    _, mask = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    _, contours, hierarchy = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    for c in contours:
        x, y, w, h = cv2.boundingRect(c)
        if w * h > 100:
            cv2.imwrite(f"crops/leaf_{n:04d}.png", img[y:y + h, x:x + w]); n += 1
print(n, "crops written")
'''

SCRIPTS["train-loop-tqdm-nested-true-old-repo"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from tqdm import tqdm
''' + SMALLNET + '''

tf = transforms.Compose([transforms.Resize((48, 48)), transforms.ToTensor()])
ds = datasets.ImageFolder("data/fabric/train", transform=tf)
loader = DataLoader(ds, batch_size=4, shuffle=True)
model = SmallNet(len(ds.classes))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
crit = nn.CrossEntropyLoss()

for epoch in tqdm(range(5), desc="epochs"):
    running = 0.0
    for x, y in tqdm(loader, desc=f"epoch {epoch}", nested=True, leave=False):
        loss = crit(model(x), y)
        opt.zero_grad(); loss.backward(); opt.step()
        running += loss.item()
    tqdm.write(f"epoch {epoch}: {running / len(loader):.4f}")
'''

SCRIPTS["classify-whole-model-pickled-torch1-gelu-approximate"] = '''
import sys
import torch
from PIL import Image
from torchvision import transforms

# best.pt was saved with torch.save(model) by the repo's train.py (torch 1.10 era)
ckpt = torch.load("weights/best.pt", map_location="cpu", weights_only=False)
model = ckpt["model"].float().eval()
classes = ckpt["classes"]

img = Image.open(sys.argv[1]).convert("RGB")
x = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor()])(img).unsqueeze(0)
with torch.no_grad():
    pred = model(x).softmax(1)[0]
print(classes[pred.argmax()], float(pred.max()))
'''

GELU_PREP = '''
import os, torch, torch.nn as nn
# a small ConvNeXt-style patchify classifier
model = nn.Sequential(
    nn.Conv2d(3, 32, 4, stride=4), nn.GELU(),
    nn.Conv2d(32, 32, 7, padding=3, groups=32), nn.GELU(),
    nn.Conv2d(32, 64, 1), nn.GELU(),
    nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 4),
)
# GELU had no `approximate` attribute when the file was pickled (torch < 1.12)
for m in model.modules():
    if isinstance(m, nn.GELU):
        m.__dict__.pop("approximate")
os.makedirs("weights", exist_ok=True)
torch.save({"epoch": 99, "classes": ["bus", "car", "truck", "van"], "model": model.half()}, "weights/best.pt")
'''

SCRIPTS["val-accuracy-np-asscalar-old-course"] = '''
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
''' + SMALLNET + '''

tf = transforms.Compose([transforms.Resize((48, 48)), transforms.ToTensor()])
train_loader = DataLoader(datasets.ImageFolder("data/shapes/train", transform=tf), batch_size=4, shuffle=True)
val_loader = DataLoader(datasets.ImageFolder("data/shapes/val", transform=tf), batch_size=4)
model = SmallNet(3)
opt = torch.optim.SGD(model.parameters(), lr=0.05)
crit = nn.CrossEntropyLoss()

for epoch in range(3):
    model.train()
    for x, y in train_loader:
        loss = crit(model(x), y)
        opt.zero_grad(); loss.backward(); opt.step()
    model.eval()
    correct = 0
    with torch.no_grad():
        for x, y in val_loader:
            correct += np.sum(model(x).argmax(1).numpy() == y.numpy())
    acc = np.asscalar(correct) / len(val_loader.dataset)
    print("epoch %d  loss %.4f  val acc %.3f" % (epoch, loss.item(), acc))
'''

SCRIPTS["rotated-crop-np-int0-boxpoints"] = '''
import glob
import os
import cv2
import numpy as np

# straighten every label on the bottle photos before OCR training (min-area-rect recipe)
os.makedirs("labels_crops", exist_ok=True)
for path in sorted(glob.glob("bottles/*.jpg")):
    img = cv2.imread(path)
    gray = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    _, th = cv2.threshold(gray, 127, 255, cv2.THRESH_BINARY)
    pts = cv2.findNonZero(th)
    rect = cv2.minAreaRect(pts)
    box = np.int0(cv2.boxPoints(rect))
    cv2.drawContours(img, [box], 0, (0, 255, 0), 2)
    cv2.imwrite(os.path.join("labels_crops", os.path.basename(path)), img)
'''

CELLS["watermark-pixels-ndarray-itemset-notebook"] = [
    '''
import glob
import cv2
import numpy as np

paths = sorted(glob.glob("raw/*.png"))
print(len(paths))
''',
    '''
# mark the top-left 8x8 corner red so the augmentation check can find it (OpenCV tutorial style)
def stamp(img):
    for y in range(8):
        for x in range(8):
            img.itemset((y, x, 2), 255)
    return img

marked = [stamp(cv2.imread(p)) for p in paths]
''',
]

SCRIPTS["depth-png-16bit-imagemath-eval-workers"] = '''
import glob
import os

import torch
import torch.nn as nn
from PIL import Image, ImageMath
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


def depth_to_8bit(path):
    """16-bit depth PNG (mm) -> 8-bit 'L' image (StackOverflow recipe)"""
    im = Image.open(path)
    return ImageMath.eval("im / 256", {"im": im}).convert("L")


class RGBDPairs(Dataset):
    def __init__(self, root):
        self.rgb = sorted(glob.glob(os.path.join(root, "rgb", "*.jpg")))
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rgb)

    def __getitem__(self, i):
        rgb = self.tf(Image.open(self.rgb[i]).convert("RGB"))
        depth_path = self.rgb[i].replace("rgb", "depth").replace(".jpg", ".png")
        depth = self.tf(depth_to_8bit(depth_path))
        return rgb, depth


def main():
    loader = DataLoader(RGBDPairs("nyu_small"), batch_size=2, shuffle=True, num_workers=2)
    net = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 1, 3, padding=1))
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    for epoch in range(2):
        for rgb, depth in loader:
            loss = nn.functional.l1_loss(net(rgb), depth)
            opt.zero_grad(); loss.backward(); opt.step()
        print(epoch, loss.item())


if __name__ == "__main__":
    main()
'''


def rgbd_setup(work: Path):
    import numpy as np
    from PIL import Image
    make_images(work, [(f"nyu_small/rgb/{i:05d}.jpg", (80, 60), "RGB") for i in range(4)])
    (work / "nyu_small" / "depth").mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    for i in range(4):
        Image.fromarray(rng.integers(500, 9000, (60, 80)).astype(np.uint16)).save(work / f"nyu_small/depth/{i:05d}.png")


DETR_MISC = '''
"""
Misc functions, including distributed helpers.

Mostly copy-paste from torchvision references.
"""
import torch
import torchvision

if float(torchvision.__version__[:3]) < 0.7:
    from torchvision.ops import _new_empty_tensor
    from torchvision.ops.misc import _output_size


class SmoothedValue(object):
    def __init__(self, window_size=20):
        self.values = []
        self.window_size = window_size

    def update(self, value):
        self.values = (self.values + [value])[-self.window_size:]


def collate_fn(batch):
    batch = list(zip(*batch))
    return tuple(batch)
'''

SCRIPTS["detr-util-misc-torchvision-version-float-check"] = '''
import argparse

import torch
from torch.utils.data import DataLoader

import util.misc as utils
from datasets_tools import BottleDetection


def get_args():
    p = argparse.ArgumentParser("DETR fine-tune on bottles")
    p.add_argument("--data", default="data/bottles")
    p.add_argument("--batch_size", type=int, default=2)
    return p.parse_args()


def main(args):
    ds = BottleDetection(args.data)
    loader = DataLoader(ds, batch_size=args.batch_size, collate_fn=utils.collate_fn)
    for images, targets in loader:
        print(len(images), targets[0]["boxes"].shape)


if __name__ == "__main__":
    main(get_args())
'''

DETR_DS = '''
import glob, torch
from PIL import Image
from torchvision.transforms import functional as F

class BottleDetection(torch.utils.data.Dataset):
    def __init__(self, root):
        self.files = sorted(glob.glob(root + "/*.jpg"))
    def __len__(self):
        return len(self.files)
    def __getitem__(self, i):
        img = F.to_tensor(Image.open(self.files[i]).convert("RGB"))
        return img, {"boxes": torch.tensor([[0.5, 0.5, 0.2, 0.4]]), "labels": torch.tensor([1])}
'''

SCRIPTS["orthogonal-init-torch-qr-old-repo"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


def orthogonal_(weight, gain=1.0):
    """orthogonal init from the repo's utils (pre-1.0 torch did not have nn.init.orthogonal_)"""
    rows = weight.size(0)
    cols = weight[0].numel()
    flat = torch.randn(max(rows, cols), min(rows, cols))
    q, r = torch.qr(flat)
    q = q * torch.sign(torch.diag(r))
    if rows < cols:
        q = q.t()
    with torch.no_grad():
        weight.view(rows, cols).copy_(q[:rows, :cols] * gain)
    return weight
''' + SMALLNET + '''

model = SmallNet(4)
for m in model.modules():
    if isinstance(m, (nn.Conv2d, nn.Linear)):
        orthogonal_(m.weight)
        nn.init.zeros_(m.bias)

tf = transforms.Compose([transforms.Resize((48, 48)), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("data/gestures", transform=tf), batch_size=4, shuffle=True)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for x, y in loader:
    loss = nn.functional.cross_entropy(model(x), y)
    opt.zero_grad(); loss.backward(); opt.step()
print(loss.item())
'''

SCRIPTS["bird-call-spectrogram-images-torch-stft"] = '''
import glob
import os

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from tqdm import tqdm


class CallSpectrograms(Dataset):
    """raw 8 kHz clips (.npy) -> log-magnitude spectrogram 'images' for a CNN"""

    def __init__(self, root):
        self.files = sorted(glob.glob(os.path.join(root, "*", "*.npy")))
        self.classes = sorted(os.listdir(root))

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        wave = torch.from_numpy(np.load(self.files[i])).float()
        spec = torch.stft(wave, n_fft=256, hop_length=64, window=torch.hann_window(256))
        mag = spec.pow(2).sum(-1).sqrt()            # old (real, imag) last dim
        img = torch.log1p(mag).unsqueeze(0)
        label = self.classes.index(os.path.basename(os.path.dirname(self.files[i])))
        return img, label


ds = CallSpectrograms("calls")
loader = DataLoader(ds, batch_size=4, shuffle=True)
model = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                      nn.Linear(16, len(ds.classes)))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(2):
    for x, y in tqdm(loader, desc=f"epoch {epoch}"):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad(); loss.backward(); opt.step()
'''

CALLS_PREP = '''
import os, numpy as np
rng = np.random.default_rng(0)
for c, f0 in [("robin", 2000), ("wren", 3200), ("thrush", 1500)]:
    os.makedirs(f"calls/{c}", exist_ok=True)
    for i in range(3):
        t = np.arange(8000) / 8000.0
        np.save(f"calls/{c}/{c}_{i}.npy", (np.sin(2 * np.pi * (f0 + 50 * i) * t) + 0.1 * rng.standard_normal(8000)).astype(np.float32))
'''

SCRIPTS["predict-checkpoint-class-counts-defaultdict-weights-only"] = '''
import sys
import torch
import torch.nn as nn
from PIL import Image
from torchvision import transforms
''' + SMALLNET + '''

ckpt = torch.load("checkpoints/pests_last.pth", map_location="cpu")
model = SmallNet(len(ckpt["classes"]))
model.load_state_dict(ckpt["state_dict"])
model.eval()

x = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])(Image.open(sys.argv[1]).convert("RGB"))
with torch.no_grad():
    p = torch.softmax(model(x.unsqueeze(0)), 1)[0]
print(ckpt["classes"][p.argmax()], float(p.max()))
'''

PESTS_PREP = '''
import os, collections, torch, torch.nn as nn
''' + SMALLNET + '''
counts = collections.defaultdict(int)
for c, n in [("aphid", 120), ("mite", 64), ("thrips", 88)]:
    counts[c] += n
os.makedirs("checkpoints", exist_ok=True)
torch.save({"epoch": 30, "state_dict": SmallNet(3).state_dict(), "classes": ["aphid", "mite", "thrips"],
            "class_counts": counts}, "checkpoints/pests_last.pth")
'''

SCRIPTS["imageai2-classification-loadmodel-prediction-speed"] = '''
import os
from imageai.Classification import ImageClassification

execution_path = os.getcwd()

prediction = ImageClassification()
prediction.setModelTypeAsMobileNetV2()
prediction.setModelPath(os.path.join(execution_path, "mobilenet_v2-b0353104.pth"))
prediction.loadModel(prediction_speed="fast")

predictions, probabilities = prediction.classifyImage(os.path.join(execution_path, "giraffe.jpg"), result_count=5)
for eachPrediction, eachProbability in zip(predictions, probabilities):
    print(eachPrediction, " : ", eachProbability)
'''

MOBILENET_PREP = '''
import torch
from torchvision import models
torch.save(models.mobilenet_v2(weights=None).state_dict(), "mobilenet_v2-b0353104.pth")
'''

CELLS["imageai2-trainer-setmodeltypeasdensenet-notebook"] = [
    '''
from imageai.Classification.Custom import ClassificationModelTrainer
import os
print(sorted(os.listdir("idenprof/train")))
''',
    '''
model_trainer = ClassificationModelTrainer()
model_trainer.setModelTypeAsDenseNet()
model_trainer.setDataDirectory("idenprof")
model_trainer.trainModel(num_experiments=2, batch_size=4)
''',
]

# ============================================================ look-alikes
SCRIPTS["script-named-imageai-py-shadows-package"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("pets")
trainer.trainModel(num_experiments=2, batch_size=4)
'''

SCRIPTS["transforms-name-typo-randomhorizantalflip"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
''' + SMALLNET + '''

train_tf = transforms.Compose([
    transforms.Resize((64, 64)),
    transforms.RandomHorizantalFlip(),
    transforms.ToTensor(),
    transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
])
ds = datasets.ImageFolder("data/boats/train", transform=train_tf)
loader = DataLoader(ds, batch_size=4, shuffle=True)
model = SmallNet(len(ds.classes))
'''

SCRIPTS["patch-grid-np-arrange-typo-workers"] = '''
import numpy as np
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
import glob


class SlidePatches(Dataset):
    """cut each 128 px slide thumbnail into a 4x4 grid of 32 px patches"""

    def __init__(self, pattern, patch=32):
        self.files = sorted(glob.glob(pattern))
        self.patch = patch

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        arr = np.asarray(Image.open(self.files[i]).convert("RGB"), dtype=np.float32) / 255.0
        starts = np.arrange(0, arr.shape[0] - self.patch + 1, self.patch)
        patches = [arr[y:y + self.patch, x:x + self.patch] for y in starts for x in starts]
        return torch.from_numpy(np.stack(patches)).permute(0, 3, 1, 2)


if __name__ == "__main__":
    loader = DataLoader(SlidePatches("slides/*.png"), batch_size=2, num_workers=2)
    for batch in loader:
        print(batch.shape)
'''

SCRIPTS["utils-progress-bar-from-another-repo"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

from utils import progress_bar
''' + SMALLNET + '''

tf = transforms.Compose([transforms.Resize((32, 32)), transforms.ToTensor()])
trainloader = DataLoader(datasets.ImageFolder("data/signs/train", transform=tf), batch_size=4, shuffle=True)
net = SmallNet(3)
optimizer = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
criterion = nn.CrossEntropyLoss()
for batch_idx, (inputs, targets) in enumerate(trainloader):
    loss = criterion(net(inputs), targets)
    optimizer.zero_grad(); loss.backward(); optimizer.step()
    progress_bar(batch_idx, len(trainloader), "Loss: %.3f" % loss.item())
'''

OTHER_UTILS = '''
"""helpers copied from the segmentation project"""
import os
import torch


def mkdir_p(path):
    os.makedirs(path, exist_ok=True)


class AverageMeter:
    def __init__(self):
        self.sum, self.count = 0.0, 0

    def update(self, val, n=1):
        self.sum += val * n
        self.count += n

    @property
    def avg(self):
        return self.sum / max(1, self.count)


def dice_score(pred, target, eps=1e-6):
    inter = (pred * target).sum()
    return (2 * inter + eps) / (pred.sum() + target.sum() + eps)
'''

SCRIPTS["own-dataset-given-train-kwarg-like-cifar"] = '''
import os
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class FruitDataset(Dataset):
    def __init__(self, root, transform=None):
        self.samples = []
        self.classes = sorted(os.listdir(root))
        for i, c in enumerate(self.classes):
            for f in sorted(os.listdir(os.path.join(root, c))):
                self.samples.append((os.path.join(root, c, f), i))
        self.transform = transform

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, i):
        path, label = self.samples[i]
        img = Image.open(path).convert("RGB")
        return self.transform(img) if self.transform else img, label


tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
# same call as the CIFAR10 example we started from
trainset = FruitDataset(root="data/fruit", train=True, transform=tf)
testset = FruitDataset(root="data/fruit", train=False, transform=tf)
trainloader = DataLoader(trainset, batch_size=4, shuffle=True)
'''

SCRIPTS["eval-loader-unpacked-into-three-values"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
''' + SMALLNET + '''

tf = transforms.Compose([transforms.Resize((48, 48)), transforms.ToTensor()])
test_ds = datasets.ImageFolder("data/tiles/test", transform=tf)
loader = DataLoader(test_ds, batch_size=4)
model = SmallNet(len(test_ds.classes))
model.load_state_dict(torch.load("tiles_smallnet.pth"))
model.eval()

wrong = []
with torch.no_grad():
    for images, labels, paths in loader:      # want the file names of the mistakes
        pred = model(images).argmax(1)
        wrong += [p for p, ok in zip(paths, pred == labels) if not ok]
print(len(wrong), "misclassified")
'''

TILES_PREP = '''
import torch, torch.nn as nn
''' + SMALLNET + '''
torch.save(SmallNet(2).state_dict(), "tiles_smallnet.pth")
'''

SCRIPTS["imageai3-setter-wrong-capitalisation-mobilenetv2"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobilenetV2()
trainer.setDataDirectory("pets")
trainer.trainModel(num_experiments=2, batch_size=4)
'''

CELLS["save-predicted-masks-image-fromarray-tensor-notebook"] = [
    '''
import os
import torch
import torch.nn as nn
from PIL import Image
from torchvision import transforms

unet = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 1, 1))
unet.load_state_dict(torch.load("tiny_unet.pth"))
unet.eval()
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
''',
    '''
os.makedirs("pred_masks", exist_ok=True)
for name in sorted(os.listdir("roofs")):
    x = tf(Image.open(os.path.join("roofs", name)).convert("RGB")).unsqueeze(0)
    with torch.no_grad():
        mask = (torch.sigmoid(unet(x))[0, 0] > 0.5).to(torch.uint8) * 255
    Image.fromarray(mask).save(os.path.join("pred_masks", name.replace(".jpg", ".png")))
''',
]

UNET_PREP = '''
import torch, torch.nn as nn
torch.save(nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 1, 1)).state_dict(), "tiny_unet.pth")
'''

SCRIPTS["predict-whole-model-pickled-in-notebook-main"] = '''
import sys
import torch
from PIL import Image
from torchvision import transforms

# the notebook did torch.save(model, "flowers_model.pt"); the first try failed on weights_only
model = torch.load("flowers_model.pt", map_location="cpu", weights_only=False)
model.eval()
x = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])(Image.open(sys.argv[1]).convert("RGB"))
with torch.no_grad():
    print(model(x.unsqueeze(0)).argmax(1).item())
'''

FLOWERS_WHOLE_PREP = '''
import torch, torch.nn as nn
''' + SMALLNET + '''
torch.save(SmallNet(5), "flowers_model.pt")
'''


def cases():
    out, add, script, notebook = case_builders("torch-more38-", SCRIPTS, CELLS)
    W = ("cpython_basic", "dataloader_worker")
    V = "env.version_incompat"

    # ---------------------------------------------------------------- versions
    script("elastic-deform-augment-scipy-interp2d-workers", V, forms=W,
           setup=imgs(class_folder("data/cells/train", ["healthy", "infected"], 4, size=(70, 60))))
    script("pr-curve-average-precision-scipy-simps", V, argv="evaluate.py",
           setup=imgs(class_folder("data/cracks/train", ["negative", "positive"], 3, size=(60, 60))
                      + class_folder("data/cracks/val", ["negative", "positive"], 2, size=(60, 60))))
    notebook("ssim-loss-window-scipy-signal-gaussian-notebook", V)
    script("tta-majority-vote-scipy-stats-mode-index", V, argv="tta_predict.py",
           setup=both(imgs(class_folder("data/birds/test", ["finch", "sparrow", "tit"], 2, size=(70, 60))),
                      prep(BIRD_PREP)))
    script("face-crop-dataset-cv2-cascadeclassifier-opencv5", V,
           setup=imgs(class_folder("data/masks", ["with_mask", "without_mask"], 2, size=(90, 90))))
    notebook("pseudo-label-yolo-cv2-dnn-readnetfromdarknet-notebook", V,
             setup=both(imgs([(f"frames/frame_{i:04d}.jpg", (160, 120), "RGB") for i in range(3)]),
                        write("yolo-coco/yolov3.cfg", "[net]\nbatch=1\nwidth=416\nheight=416\nchannels=3\n"),
                        write("yolo-coco/yolov3.weights", bytes(64))))
    script("leaf-crops-opencv3-findcontours-three-values", V, argv="make_crops.py",
           setup=imgs([(f"scans/scan_{i:02d}.png", (120, 90), "RGB") for i in range(2)]))
    script("train-loop-tqdm-nested-true-old-repo", V, forms=("cpython_basic", "progress_bars?"),
           setup=imgs(class_folder("data/fabric/train", ["defect", "ok"], 3, size=(60, 60))))
    script("classify-whole-model-pickled-torch1-gelu-approximate", V, argv="classify.py", args=("samples/bus.jpg",),
           also=("model.weights_mismatch",),
           setup=both(imgs([("samples/bus.jpg", (160, 120), "RGB")]), prep(GELU_PREP)))
    script("val-accuracy-np-asscalar-old-course", V,
           setup=imgs(class_folder("data/shapes/train", ["circle", "square", "triangle"], 2, size=(50, 50))
                      + class_folder("data/shapes/val", ["circle", "square", "triangle"], 1, size=(50, 50))))
    script("rotated-crop-np-int0-boxpoints", V, argv="straighten_labels.py",
           setup=imgs([(f"bottles/bottle_{i}.jpg", (100, 140), "RGB") for i in range(2)]))
    notebook("watermark-pixels-ndarray-itemset-notebook", V,
             setup=imgs([(f"raw/img_{i}.png", (40, 40), "RGB") for i in range(3)]))
    script("depth-png-16bit-imagemath-eval-workers", V, forms=W, setup=rgbd_setup)
    script("detr-util-misc-torchvision-version-float-check", V, argv="main.py",
           extra={"util/__init__.py": "", "util/misc.py": DETR_MISC, "datasets_tools.py": DETR_DS},
           setup=imgs([(f"data/bottles/b_{i}.jpg", (80, 60), "RGB") for i in range(2)]))
    script("orthogonal-init-torch-qr-old-repo", V,
           setup=imgs(class_folder("data/gestures", ["fist", "palm", "peace", "thumb"], 1, size=(50, 50))))
    script("bird-call-spectrogram-images-torch-stft", V, setup=prep(CALLS_PREP))
    script("predict-checkpoint-class-counts-defaultdict-weights-only", V, argv="predict.py",
           args=("field/leaf_0412.jpg",),
           setup=both(imgs([("field/leaf_0412.jpg", (90, 90), "RGB")]), prep(PESTS_PREP)))
    script("imageai2-classification-loadmodel-prediction-speed", V, argv="FirstPrediction.py", framework="imageai",
           setup=both(imgs([("giraffe.jpg", (120, 100), "RGB")]), prep(MOBILENET_PREP)))
    notebook("imageai2-trainer-setmodeltypeasdensenet-notebook", V, framework="imageai",
             setup=imgs(class_folder("idenprof/train", ["chef", "doctor"], 2, size=(60, 60))
                        + class_folder("idenprof/test", ["chef", "doctor"], 1, size=(60, 60))))

    # ---------------------------------------------------------------- look-alikes
    script("script-named-imageai-py-shadows-package", "other", argv="imageai.py", framework="imageai",
           setup=imgs(class_folder("pets/train", ["cat", "dog"], 2) + class_folder("pets/test", ["cat", "dog"], 1)))
    script("transforms-name-typo-randomhorizantalflip", "other", also=("model.api_misuse",),
           setup=imgs(class_folder("data/boats/train", ["kayak", "sailboat"], 2, size=(60, 60))))
    script("patch-grid-np-arrange-typo-workers", "other", forms=W, argv="patches.py",
           setup=imgs([(f"slides/slide_{i}.png", (128, 128), "RGB") for i in range(4)]))
    script("utils-progress-bar-from-another-repo", "other", extra={"utils.py": OTHER_UTILS},
           setup=imgs(class_folder("data/signs/train", ["stop", "yield", "limit"], 2, size=(40, 40))))
    script("own-dataset-given-train-kwarg-like-cifar", "other", also=("model.api_misuse",),
           setup=imgs(class_folder("data/fruit", ["apple", "pear"], 2, size=(60, 60))))
    script("eval-loader-unpacked-into-three-values", "other", argv="evaluate.py",
           setup=both(imgs(class_folder("data/tiles/test", ["cracked", "intact"], 2, size=(50, 50))),
                      prep(TILES_PREP)))
    script("imageai3-setter-wrong-capitalisation-mobilenetv2", "other", also=("model.api_misuse",),
           framework="imageai",
           setup=imgs(class_folder("pets/train", ["cat", "dog"], 2) + class_folder("pets/test", ["cat", "dog"], 1)))
    notebook("save-predicted-masks-image-fromarray-tensor-notebook", "model.api_misuse",
             setup=both(imgs([(f"roofs/roof_{i}.jpg", (80, 80), "RGB") for i in range(2)]), prep(UNET_PREP)))
    script("predict-whole-model-pickled-in-notebook-main", "model.weights_mismatch", argv="predict.py",
           args=("test/rose_01.jpg",), also=("model.api_misuse",),
           setup=both(imgs([("test/rose_01.jpg", (80, 80), "RGB")]), prep(FLOWERS_WHOLE_PREP)))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
