"""A ninety-fourth held-out set (g177, scored 1.00 top-1 and 1.00 top-3 before any rule for it) of PyTorch / torchvision / ImageAI 3 failures, untargeted across the taxonomy.

The persona: marine biologists working with underwater imagery in PyTorch and ImageAI 3.0.3 -- coral-reef
point-annotation classifiers (CoralNet-style ``Name, Row, Column, Label`` exports, patches cut around annotated
points, some points near the image border), fish detectors on murky video frames, single-channel sonar images,
colour-corrected vs raw frames, annotation spreadsheets from different survey years whose species codes changed,
imbalanced species counts, and ImageAI detection / classification trainers on their own fish and coral datasets
(about a quarter of the cases). A natural mix of causes, each program built so that its cause is known by
construction and made to fail inside torch, torchvision, ImageAI, PIL, NumPy or multiprocessing:

- coral points: patches sliced with NumPy around points near the bottom / right border come out smaller than the
  rest (workers, data.image_size_mismatch); all points of a quadrat returned as one stack of patches, the patches
  flattened into the batch but the labels left as ``[batch, points]`` (data.label_shape); the 2019 and 2023
  spreadsheets concatenated, codes indexed from their union while the model keeps the 2023 species count (tqdm,
  data.label_out_of_range); the 2019 classifier checkpoint (12 species) loaded into the 2023 model (15 species)
  (model.weights_mismatch);
- sonar: 8-bit single-channel sonar frames through ``resnet18`` (notebook, data.image_channels); 16-bit sonar PNGs
  that ``ToTensor`` turns into int16 tensors (data.dtype); a Dataset holding the open raw ``.xtf`` recording,
  with spawn DataLoader workers (env.multiprocessing); a multibeam checkpoint from the ship's GPU workstation
  ``torch.load``-ed on a laptop without ``map_location`` (env.cuda_setup);
- colour correction: a grey-world correction that already returns a tensor, followed by ``ToTensor`` (model.api_misuse);
  a learned colour-correction net scaling channels of its sigmoid output in place (optim.autograd_graph);
- fish video: Faster R-CNN fed the annotation tool's ``[x, y, w, h]`` boxes as ``[x1, y1, x2, y2]``
  (data.bbox_invalid); a fish / no-fish classifier with ``num_classes=1`` and ``CrossEntropyLoss``
  (model.output_mismatch); fish counts per frame with ``PoissonNLLLoss(log_input=True)`` on raw 0-255 pixels and a
  high learning rate, ``clip_grad_norm_(error_if_nonfinite=True)`` (tqdm, optim.divergence); a murky frame as an
  ``H x W x 3`` array straight into the detector's backbone (notebook, model.input_shape); a dive's 4K frames
  preloaded as float32 (resource.host_memory); frames extracted by ffmpeg onto a full disk, some 0 bytes (workers,
  data.missing_or_corrupt);
- ImageAI 3: the detection trainer on YOLO labels that the video annotation tool wrote in pixels
  (data.bbox_invalid), on 2019 label files whose species ids go past the 2023 names (data.label_out_of_range), on a
  murky-water set where only three fish were boxed (anchor k-means, data.too_few_boxes), and given the 2019
  detector trained with ImageAI 2.1.6 (a TensorFlow ``.h5``) as ``train_from_pretrained_model``
  (env.version_incompat); ``detectObjectsFromImage`` given a single-channel sonar array (data.image_channels); the
  coral patch trainer with an empty 2023 species folder (data.missing_or_corrupt).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None: model files are
ones an earlier run left on disk).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more94.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


from _record import (Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders,  # noqa: E402,F401
                     yolo_layout, save_tiny, save_cls)
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more94.py"

SCRIPTS = {}
CELLS = {}

# ------------------------------------------------------------------ reef survey quadrats and CoralNet point exports
CODES_2019 = ["ACR_BRA", "ACR_TAB", "POR_MAS", "POC_DAM", "MONT", "FAV", "SAND", "TURF", "CCA", "MACRO", "SOFT",
              "BLEACH"]
CODES_2023 = ["Acr_br", "Acr_tab", "Por_mass", "Poc", "Mont", "Fav", "Sand", "Turf_algae", "CCA", "Macroalgae",
              "Soft_coral", "Bleached", "Dead_coral", "Rubble", "Sponge"]

REEF_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(11)
W, H = 240, 180
for year, codes, n in (("2019", @@C19@@, @@N19@@), ("2023", @@C23@@, @@N23@@)):
    os.makedirs(f"reef/{year}/images", exist_ok=True)
    rows = []
    for q in range(n):
        name = f"T{q // 4 + 1}_Q{q % 4 + 1:02d}_{year}.jpg"
        Image.fromarray(rng.integers(0, 255, (H, W, 3), dtype=np.uint8)).save(f"reef/{year}/images/{name}")
        for p in range(5):
            # CoralNet random points: some land close to the bottom / right edge of the quadrat photo
            row = int(rng.integers(20, H - 20)) if (q + p) % 4 else H - 6
            col = int(rng.integers(20, W - 20)) if (q + p) % 3 else W - 9
            rows.append((name, row, col, codes[(q * 5 + p) % len(codes)]))
    with open(f"reef/annotations_{year}.csv", "w", newline="") as f:
        csv.writer(f).writerows([("Name", "Row", "Column", "Label")] + rows)
'''


def reef(n19=0, n23=8):
    return prep(sub(REEF_PREP, C19=repr(CODES_2019), C23=repr(CODES_2023), N19=str(n19), N23=str(n23)))


POINTS_DS = '''
import csv

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader

SPECIES = @@C23@@
HALF = 16                      # 32 x 32 px patch around every annotated point


def read_points(path):
    with open(path) as f:
        return list(csv.DictReader(f))
'''.replace("@@C23@@", repr(CODES_2023))

SCRIPTS["coral-point-patches-numpy-slice-near-border-workers"] = POINTS_DS + '''

class PointPatches(Dataset):
    def __init__(self, rows, image_dir):
        self.rows, self.image_dir = rows, image_dir
        self.cache = {}

    def __len__(self):
        return len(self.rows)

    def image(self, name):
        if name not in self.cache:
            self.cache[name] = np.asarray(Image.open(f"{self.image_dir}/{name}").convert("RGB"))
        return self.cache[name]

    def __getitem__(self, i):
        r = self.rows[i]
        img = self.image(r["Name"])
        row, col = int(r["Row"]), int(r["Column"])
        patch = img[row - HALF:row + HALF, col - HALF:col + HALF]
        x = torch.from_numpy(patch.copy()).permute(2, 0, 1).float() / 255.0
        return x, SPECIES.index(r["Label"])


if __name__ == "__main__":
    ds = PointPatches(read_points("reef/annotations_2023.csv"), "reef/2023/images")
    loader = DataLoader(ds, batch_size=16, shuffle=True, num_workers=2)
    model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                          nn.Linear(32, len(SPECIES)))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(20):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"epoch {epoch} loss {loss.item():.3f}")
'''

SCRIPTS["coral-quadrat-point-stack-labels-not-flattened"] = POINTS_DS + '''
from collections import defaultdict


class Quadrats(Dataset):
    """one item per quadrat photo: the patches of all its annotated points and their labels"""

    def __init__(self, rows, image_dir):
        self.points = defaultdict(list)
        for r in rows:
            self.points[r["Name"]].append((int(r["Row"]), int(r["Column"]), SPECIES.index(r["Label"])))
        self.names = sorted(self.points)
        self.image_dir = image_dir

    def __len__(self):
        return len(self.names)

    def __getitem__(self, i):
        name = self.names[i]
        img = np.asarray(Image.open(f"{self.image_dir}/{name}").convert("RGB"))
        img = np.pad(img, ((HALF, HALF), (HALF, HALF), (0, 0)), mode="reflect")
        patches, labels = [], []
        for row, col, label in self.points[name]:
            p = img[row:row + 2 * HALF, col:col + 2 * HALF]
            patches.append(torch.from_numpy(p.copy()).permute(2, 0, 1).float() / 255.0)
            labels.append(label)
        return torch.stack(patches), torch.tensor(labels)


loader = DataLoader(Quadrats(read_points("reef/annotations_2023.csv"), "reef/2023/images"), batch_size=4,
                    shuffle=True)
model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                      nn.Linear(32, len(SPECIES)))
criterion = nn.CrossEntropyLoss()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(20):
    for patches, labels in loader:
        x = patches.view(-1, 3, 2 * HALF, 2 * HALF)      # (quadrats * points, 3, 32, 32)
        loss = criterion(model(x), labels)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

SCRIPTS["survey-2019-2023-codes-union-index-2023-num-classes-tqdm"] = POINTS_DS + '''
from tqdm import tqdm

NUM_CLASSES = len(SPECIES)       # the 2023 label set

rows = []
for year in ("2019", "2023"):
    for r in read_points(f"reef/annotations_{year}.csv"):
        r["year"] = year
        rows.append(r)
codes = sorted({r["Label"] for r in rows})
code_to_idx = {c: i for i, c in enumerate(codes)}
print(f"{len(rows)} points from 2 surveys, {len(codes)} label codes")


class Points(Dataset):
    def __init__(self, rows):
        self.rows = rows

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        img = np.asarray(Image.open(f"reef/{r['year']}/images/{r['Name']}").convert("RGB"))
        img = np.pad(img, ((HALF, HALF), (HALF, HALF), (0, 0)), mode="reflect")
        row, col = int(r["Row"]), int(r["Column"])
        p = img[row:row + 2 * HALF, col:col + 2 * HALF]
        return torch.from_numpy(p.copy()).permute(2, 0, 1).float() / 255.0, code_to_idx[r["Label"]]


loader = DataLoader(Points(rows), batch_size=16, shuffle=True)
model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                      nn.Linear(32, NUM_CLASSES))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(10):
    for x, y in tqdm(loader, desc=f"epoch {epoch + 1}"):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

CORAL_2019_CKPT = '''
import os
import torch
from torchvision import models

os.makedirs("checkpoints", exist_ok=True)
torch.manual_seed(0)
m = models.resnet18(weights=None, num_classes=12)
torch.save({"epoch": 40, "species": @@C19@@, "model_state": m.state_dict()}, "checkpoints/coral_resnet18_2019.pt")
'''.replace("@@C19@@", repr(CODES_2019))

SCRIPTS["coral-2019-checkpoint-12-species-into-2023-model"] = POINTS_DS + '''
from torchvision import models

# fine-tune last survey's classifier on the 2023 points instead of training from scratch
model = models.resnet18(weights=None, num_classes=len(SPECIES))
ckpt = torch.load("checkpoints/coral_resnet18_2019.pt", map_location="cpu")
model.load_state_dict(ckpt["model_state"])
print(f"resumed from epoch {ckpt['epoch']}")
'''

# ------------------------------------------------------------------ sonar
SONAR_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(3)
os.makedirs("sonar/frames", exist_ok=True)
for i in range(@@N@@):
    h, w = 128, 160
    echo = rng.gamma(2.0, 18.0, (h, w))
    if "@@BITS@@" == "16":
        Image.fromarray((echo * 220).clip(0, 65535).astype(np.uint16)).save(f"sonar/frames/ping_{i:04d}.png")
    else:
        Image.fromarray(echo.clip(0, 255).astype(np.uint8), "L").save(f"sonar/frames/ping_{i:04d}.png")
with open("sonar/labels.csv", "w") as f:
    f.write("file,target\\n")
    for i in range(@@N@@):
        f.write(f"ping_{i:04d}.png,{['school', 'seabed', 'kelp'][i % 3]}\\n")
'''


def sonar(n=9, bits="8"):
    return prep(sub(SONAR_PREP, N=str(n), BITS=bits))


CELLS["sonar-single-channel-frames-resnet18-notebook"] = [
    '''import csv
import torch
from PIL import Image
from torchvision import models, transforms

TARGETS = ["school", "seabed", "kelp"]
tf = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor()])
rows = list(csv.DictReader(open("sonar/labels.csv")))
x = torch.stack([tf(Image.open(f"sonar/frames/{r['file']}")) for r in rows])
y = torch.tensor([TARGETS.index(r["target"]) for r in rows])
x.shape, y.shape''',
    '''model = models.resnet18(weights=None, num_classes=len(TARGETS))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    loss = torch.nn.functional.cross_entropy(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(epoch, loss.item())''',
]

SCRIPTS["sonar-16bit-png-totensor-int16-into-conv"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms

TARGETS = ["school", "seabed", "kelp"]


class SonarPings(Dataset):
    def __init__(self, root):
        with open(f"{root}/labels.csv") as f:
            self.rows = list(csv.DictReader(f))
        self.root = root
        self.tf = transforms.ToTensor()

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        img = Image.open(f"{self.root}/frames/{r['file']}")    # 16-bit backscatter from the sonar export
        return self.tf(img), TARGETS.index(r["target"])


model = nn.Sequential(nn.Conv2d(1, 16, 5, stride=2), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2), nn.ReLU(),
                      nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, len(TARGETS)))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(10):
    for x, y in DataLoader(SonarPings("sonar"), batch_size=4, shuffle=True):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

XTF_PREP = '''
import os
import numpy as np

os.makedirs("sonar", exist_ok=True)
rng = np.random.default_rng(4)
rng.integers(0, 255, (64, 512), dtype=np.uint8).tofile("sonar/survey_2023_line04.xtf")
'''

SCRIPTS["sonar-dataset-open-xtf-handle-spawn-workers"] = '''
import numpy as np
import torch
import torch.nn as nn
import torch.multiprocessing as mp
from torch.utils.data import Dataset, DataLoader

PING_BYTES = 512
WINDOW = 16


class SideScanWindows(Dataset):
    """windows of consecutive pings read straight from the raw side-scan recording"""

    def __init__(self, path):
        self.f = open(path, "rb")
        self.f.seek(0, 2)
        self.n_pings = self.f.tell() // PING_BYTES
        self.f.seek(0)

    def __len__(self):
        return self.n_pings - WINDOW

    def __getitem__(self, i):
        self.f.seek(i * PING_BYTES)
        buf = np.frombuffer(self.f.read(WINDOW * PING_BYTES), dtype=np.uint8).reshape(WINDOW, PING_BYTES)
        x = torch.from_numpy(buf.astype(np.float32) / 255.0).unsqueeze(0)
        return x, x


def main():
    ds = SideScanWindows("sonar/survey_2023_line04.xtf")
    loader = DataLoader(ds, batch_size=8, shuffle=True, num_workers=2, multiprocessing_context="spawn")
    model = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 1, 3, padding=1))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(5):
        for x, target in loader:
            loss = nn.functional.mse_loss(model(x), target)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())


if __name__ == "__main__":
    main()
'''

# a checkpoint written on the ship's GPU workstation: its storages are tagged cuda:0
GPU_CKPT_PREP = '''
import os
import torch
import torch.serialization as ser
import torch.nn as nn

os.makedirs("checkpoints", exist_ok=True)
torch.manual_seed(0)
model = nn.Sequential(nn.Conv2d(1, 16, 5, stride=2), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2), nn.ReLU(),
                      nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 3))
ser.location_tag = lambda storage: "cuda:0"
torch.save({"epoch": 25, "model": model.state_dict()}, "checkpoints/multibeam_seabed_best.pt")
'''

SCRIPTS["multibeam-gpu-checkpoint-loaded-on-laptop-no-map-location"] = '''
import glob

import torch
import torch.nn as nn
from PIL import Image
from torchvision import transforms

TARGETS = ["school", "seabed", "kelp"]
model = nn.Sequential(nn.Conv2d(1, 16, 5, stride=2), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2), nn.ReLU(),
                      nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, len(TARGETS)))
ckpt = torch.load("checkpoints/multibeam_seabed_best.pt")     # trained on the ship's workstation
model.load_state_dict(ckpt["model"])
model.eval()

tf = transforms.ToTensor()
for path in sorted(glob.glob("sonar/frames/*.png")):
    with torch.no_grad():
        p = model(tf(Image.open(path)).unsqueeze(0)).softmax(1)[0]
    print(path, TARGETS[p.argmax()], f"{p.max():.2f}")
'''

# ------------------------------------------------------------------ raw vs colour-corrected frames
FRAMES_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(8)
os.makedirs("@@DIR@@", exist_ok=True)
for i in range(@@N@@):
    rgb = rng.integers(0, 255, (@@H@@, @@W@@, 3)).astype(np.float32)
    rgb[..., 0] *= 0.35            # red is absorbed first underwater: the raw frames are blue-green
    rgb[..., 2] = np.minimum(rgb[..., 2] * 1.2 + 30, 255)
    Image.fromarray(rgb.astype(np.uint8)).save(f"@@DIR@@/frame_{i:05d}.jpg")
'''


def frames(d="dive/frames", n=8, w=160, h=120):
    return prep(sub(FRAMES_PREP, DIR=d, N=str(n), W=str(w), H=str(h)))


SCRIPTS["grey-world-correction-returns-tensor-then-totensor"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms


def grey_world(img):
    """simple underwater colour correction: scale every channel to the same mean"""
    x = torch.from_numpy(np.asarray(img, dtype=np.float32) / 255.0).permute(2, 0, 1)
    means = x.mean(dim=(1, 2), keepdim=True)
    return (x * means.mean() / means).clamp(0, 1)


class CorrectedFrames(Dataset):
    def __init__(self, pattern):
        self.paths = sorted(glob.glob(pattern))
        self.tf = transforms.Compose([
            transforms.Lambda(grey_world),
            transforms.ToTensor(),
            transforms.Normalize([0.5, 0.5, 0.5], [0.25, 0.25, 0.25]),
        ])

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        img = Image.open(self.paths[i]).convert("RGB")
        return self.tf(img), int("frame_0000" in self.paths[i])


loader = DataLoader(CorrectedFrames("dive/frames/*.jpg"), batch_size=4, shuffle=True)
model = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                      nn.Linear(16, 2))
for x, y in loader:
    print(x.shape, model(x).shape)
'''

SCRIPTS["colour-correction-net-inplace-channel-gain-on-sigmoid"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
from PIL import Image

# pairs: raw frame -> frame corrected by hand in Lightroom (here: the reference is a grey-world version)
raw = torch.stack([torch.from_numpy(np.asarray(Image.open(p).resize((64, 64)), dtype=np.float32) / 255.0)
                   .permute(2, 0, 1) for p in sorted(glob.glob("dive/frames/*.jpg"))])
ref = (raw * raw.mean() / raw.mean(dim=(2, 3), keepdim=True)).clamp(0, 1)


class ColourNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 3, 3, padding=1))
        self.red_gain = nn.Parameter(torch.tensor(1.5))

    def forward(self, x):
        out = torch.sigmoid(self.body(x))
        out[:, 0] *= self.red_gain          # give back the red that the water column absorbed
        return out


net = ColourNet()
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
for step in range(200):
    loss = nn.functional.l1_loss(net(raw), ref)
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 20 == 0:
        print(step, loss.item())
'''

# ------------------------------------------------------------------ fish video
FISH_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(21)
os.makedirs("fish/frames", exist_ok=True)
rows = []
for i in range(6):
    name = f"GX010042_{i * 30:06d}.jpg"
    img = rng.integers(20, 90, (180, 320, 3), dtype=np.uint8)      # murky water
    img[..., 2] += 60
    Image.fromarray(img).save(f"fish/frames/{name}")
    for k in range(2):
        x, y = int(rng.integers(10, 200)), int(rng.integers(10, 110))
        w, h = int(rng.integers(40, 100)), int(rng.integers(20, 60))
        rows.append((name, x, y, w, h, ["snapper", "grouper", "parrotfish"][(i + k) % 3], (i + k) % 4))
with open("fish/boxes.csv", "w", newline="") as f:
    csv.writer(f).writerows([("frame", "x", "y", "w", "h", "species", "count_in_frame")] + rows)
'''

SCRIPTS["faster-rcnn-fish-boxes-xywh-as-xyxy"] = '''
import csv
from collections import defaultdict

import torch
from PIL import Image
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as TF

SPECIES = ["snapper", "grouper", "parrotfish"]

boxes = defaultdict(list)
with open("fish/boxes.csv") as f:           # export of the video annotation tool
    for r in csv.DictReader(f):
        boxes[r["frame"]].append(([float(r["x"]), float(r["y"]), float(r["w"]), float(r["h"])],
                                  SPECIES.index(r["species"]) + 1))

images, targets = [], []
for frame, anns in boxes.items():
    images.append(TF.to_tensor(Image.open(f"fish/frames/{frame}").convert("RGB")))
    targets.append({"boxes": torch.tensor([b for b, _ in anns]), "labels": torch.tensor([c for _, c in anns])})

model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=len(SPECIES) + 1)
model.train()
opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
for epoch in range(10):
    for i in range(0, len(images), 2):
        losses = model(images[i:i + 2], targets[i:i + 2])
        loss = sum(losses.values())
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, {k: round(v.item(), 3) for k, v in losses.items()})
'''

SCRIPTS["fish-present-binary-num-classes-1-cross-entropy"] = '''
import csv
import glob
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import models, transforms

with open("fish/boxes.csv") as f:
    with_fish = {r["frame"] for r in csv.DictReader(f) if int(r["count_in_frame"]) > 0}


class FishPresent(Dataset):
    def __init__(self):
        self.paths = sorted(glob.glob("fish/frames/*.jpg"))
        self.tf = transforms.Compose([transforms.Resize((112, 112)), transforms.ToTensor()])

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        p = self.paths[i]
        return self.tf(Image.open(p).convert("RGB")), int(os.path.basename(p) in with_fish)


model = models.resnet18(weights=None, num_classes=1)      # binary: fish / no fish
criterion = nn.CrossEntropyLoss()
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
for epoch in range(10):
    for x, y in DataLoader(FishPresent(), batch_size=4, shuffle=True):
        loss = criterion(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

COUNTS_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(5)
os.makedirs("counts/frames", exist_ok=True)
with open("counts/counts.csv", "w") as f:
    f.write("frame,fish\\n")
    for i in range(24):
        Image.fromarray(rng.integers(0, 255, (48, 64, 3), dtype=np.uint8)).save(f"counts/frames/f_{i:04d}.jpg")
        # a few frames inside the bait-ball school hold hundreds of fish
        f.write(f"f_{i:04d}.jpg,{int(rng.integers(0, 12)) if i % 6 else int(rng.integers(250, 400))}\\n")
'''

SCRIPTS["fish-counts-poisson-nll-log-input-high-lr-clip-nonfinite-tqdm"] = '''
import csv

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import TensorDataset, DataLoader
from tqdm import tqdm

rows = list(csv.DictReader(open("counts/counts.csv")))
x = torch.stack([torch.from_numpy(np.asarray(Image.open(f"counts/frames/{r['frame']}"), dtype=np.float32))
                 .permute(2, 0, 1) for r in rows])
y = torch.tensor([float(r["fish"]) for r in rows])
loader = DataLoader(TensorDataset(x, y), batch_size=4, shuffle=True)

model = nn.Sequential(nn.Flatten(), nn.Linear(3 * 48 * 64, 64), nn.ReLU(), nn.Linear(64, 1))
criterion = nn.PoissonNLLLoss(log_input=True)
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
for epoch in range(30):
    pbar = tqdm(loader, desc=f"epoch {epoch + 1}")
    for xb, yb in pbar:
        loss = criterion(model(xb).squeeze(1), yb)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=10.0, error_if_nonfinite=True)
        opt.step()
        pbar.set_postfix(loss=f"{loss.item():.3f}")
'''

CELLS["murky-frame-hwc-array-into-backbone-notebook"] = [
    '''import numpy as np
import torch
from PIL import Image
from torchvision import models

backbone = models.mobilenet_v3_small(weights=None, num_classes=3).eval()
frame = np.asarray(Image.open("dive/frames/frame_00003.jpg"))      # one murky frame from the GoPro
frame.shape, frame.dtype''',
    '''x = torch.from_numpy(frame).float().unsqueeze(0) / 255.0
with torch.no_grad():
    scores = backbone(x).softmax(1)
scores''',
]

SCRIPTS["dive-4k-frames-preloaded-float32"] = '''
import glob
import json

import numpy as np
from PIL import Image

meta = json.load(open("dive/GX010042_meta.json"))
n = meta["frames"]
print(f"{meta['clip']}: {n} frames at {meta['width']}x{meta['height']}")

# decode the whole dive once so every epoch can sample frames quickly
video = np.empty((n, meta["height"], meta["width"], 3), dtype=np.float32)
for i, path in enumerate(sorted(glob.glob("dive/frames/*.jpg"))):
    video[i] = np.asarray(Image.open(path).resize((meta["width"], meta["height"])), dtype=np.float32) / 255.0
'''

META_PREP = '''
import json
json.dump({"clip": "GX010042.MP4", "frames": 17982, "fps": 29.97, "width": 3840, "height": 2160},
          open("dive/GX010042_meta.json", "w"))
'''

SCRIPTS["ffmpeg-frames-full-disk-zero-byte-jpegs-workers"] = '''
import glob

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms


class DiveFrames(Dataset):
    """frames extracted with: ffmpeg -i GX010042.MP4 -vf fps=2 dive/frames/frame_%05d.jpg"""

    def __init__(self, pattern):
        self.paths = sorted(glob.glob(pattern))
        self.tf = transforms.Compose([transforms.Resize((96, 128)), transforms.ToTensor()])

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        return self.tf(Image.open(self.paths[i]).convert("RGB"))


if __name__ == "__main__":
    loader = DataLoader(DiveFrames("dive/frames/*.jpg"), batch_size=4, shuffle=True, num_workers=2)
    enc = nn.Sequential(nn.Conv2d(3, 8, 3, stride=2), nn.ReLU(), nn.Conv2d(8, 16, 3, stride=2))
    dec = nn.Sequential(nn.ConvTranspose2d(16, 8, 3, stride=2), nn.ReLU(),
                        nn.ConvTranspose2d(8, 3, 3, stride=2, output_padding=1), nn.Sigmoid())
    opt = torch.optim.Adam([*enc.parameters(), *dec.parameters()], lr=1e-3)
    for epoch in range(10):
        for x in loader:
            out = dec(enc(x))
            loss = nn.functional.mse_loss(out, nn.functional.interpolate(x, size=out.shape[-2:]))
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())
'''

# ================================================================== ImageAI 3
DET_TRAIN = '''
from imageai.Detection.Custom import DetectionModelTrainer

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="@@DIR@@")
trainer.setTrainConfig(object_names_array=@@NAMES@@, batch_size=4, num_experiments=@@EPOCHS@@)
trainer.trainModel()
'''

SCRIPTS["imageai-fish-detector-yolo-labels-in-pixels"] = sub(
    DET_TRAIN, DIR="reef_fish", NAMES='["snapper", "grouper", "parrotfish"]', EPOCHS="50")
SCRIPTS["imageai-fish-detector-2019-species-ids-2023-names"] = sub(
    DET_TRAIN, DIR="reef_fish", NAMES="SPECIES_2023", EPOCHS="50").replace(
    "trainer = Det", '# the 2023 field guide merged the two snapper codes and dropped the wrasse classes\n'
    'SPECIES_2023 = ["snapper", "grouper", "parrotfish"]\n\ntrainer = Det')
SCRIPTS["imageai-murky-water-three-fish-boxed"] = sub(
    DET_TRAIN, DIR="murky_fish", NAMES='["fish"]', EPOCHS="30")
SCRIPTS["imageai-fish-detector-transfer-from-2019-imageai2-h5"] = '''
from imageai.Detection.Custom import DetectionModelTrainer

# start from the 2019 survey's detector (trained with ImageAI 2.1.6 on the lab's old TensorFlow box)
trainer = DetectionModelTrainer()
trainer.setModelTypeAsYOLOv3()
trainer.setDataDirectory(data_directory="reef_fish")
trainer.setTrainConfig(object_names_array=["snapper", "grouper", "parrotfish"], batch_size=4, num_experiments=50,
                       train_from_pretrained_model="models_2019/detection_model-ex-045--loss-0008.462.h5")
trainer.trainModel()
'''

SCRIPTS["imageai-detect-single-channel-sonar-array"] = '''
import glob

import numpy as np
from PIL import Image
from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("sonar_targets/models/tiny-yolov3_sonar_targets_mAP-0.38121_epoch-61.pt")
detector.setJsonPath("sonar_targets/json/sonar_targets_tiny-yolov3_detection_config.json")
detector.loadModel()

for path in sorted(glob.glob("sonar/frames/*.png")):
    ping = np.asarray(Image.open(path))          # side-scan frames are single-channel
    detections = detector.detectObjectsFromImage(input_image=ping, output_type="array",
                                                 minimum_percentage_probability=30)[1]
    print(path, [(d["name"], d["percentage_probability"]) for d in detections])
'''

SCRIPTS["imageai-coral-patch-trainer-empty-2023-species-folder"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("coral_patches")
trainer.trainModel(num_experiments=20, batch_size=4)
'''


def pixel_rows(split, i):
    # the video annotation tool's YOLO export: class cx cy w h, but in pixels of the 320 x 180 frame
    return "".join(f"{(i + k) % 3} {80 + 60 * k + 4 * i} {60 + 30 * k} {48 + 6 * i} {28 + 4 * k}\n" for k in range(2))


def ids2019_rows(split, i):
    # 2019 codes: 0 snapper 1 grouper 2 parrotfish 3 yellowtail snapper 4 wrasse 5 cleaner wrasse
    rnd = [(0, 0.30, 0.40, 0.20, 0.15), (4, 0.62, 0.55, 0.12, 0.10), (2, 0.45, 0.62, 0.30, 0.18),
           (5, 0.40, 0.35, 0.08, 0.06), (1, 0.55, 0.30, 0.35, 0.25), (3, 0.25, 0.70, 0.14, 0.09)]
    a, b = rnd[i % 6], rnd[(i + 3) % 6]
    return "".join(f"{c} {x:.4f} {y:.4f} {w:.4f} {h:.4f}\n" for c, x, y, w, h in (a, b))


def good_rows(split, i):
    rnd = [(0, 0.30, 0.40, 0.20, 0.15), (1, 0.62, 0.55, 0.12, 0.10), (2, 0.45, 0.62, 0.30, 0.18),
           (0, 0.40, 0.35, 0.08, 0.06), (1, 0.55, 0.30, 0.35, 0.25), (2, 0.25, 0.70, 0.14, 0.09)]
    a, b = rnd[i % 6], rnd[(i + 2) % 6]
    return "".join(f"{c} {x:.4f} {y:.4f} {w:.4f} {h:.4f}\n" for c, x, y, w, h in (a, b))


def murky_rows(split, i):
    # visibility under 2 m: only three fish in the whole dive could be boxed
    boxed = {("train", 1): "0 0.480000 0.520000 0.180000 0.110000\n",
             ("train", 4): "0 0.350000 0.600000 0.200000 0.120000\n",
             ("validation", 0): "0 0.510000 0.470000 0.190000 0.100000\n"}
    return boxed.get((split, i), "")


def cases():
    out, add, script, notebook = case_builders("torch-more94-", SCRIPTS, CELLS)
    W = ("cpython_basic", "dataloader_worker")
    NB = ("ipython_cell", "ipython_arrows", "ipython_file_tilde?")
    P = ("cpython_basic", "progress_bars?")
    dive = frames()

    # ---- coral point annotations
    script("coral-point-patches-numpy-slice-near-border-workers", "data.image_size_mismatch", forms=W,
           argv="train_points.py", setup=reef())
    script("coral-quadrat-point-stack-labels-not-flattened", "data.label_shape", argv="train_quadrats.py",
           setup=reef())
    script("survey-2019-2023-codes-union-index-2023-num-classes-tqdm", "data.label_out_of_range",
           also=["model.output_mismatch"], forms=P, argv="train_surveys.py", setup=reef(n19=8, n23=8))
    script("coral-2019-checkpoint-12-species-into-2023-model", "model.weights_mismatch", argv="finetune_2023.py",
           setup=prep(CORAL_2019_CKPT))

    # ---- sonar
    notebook("sonar-single-channel-frames-resnet18-notebook", "data.image_channels", forms=NB, setup=sonar())
    script("sonar-16bit-png-totensor-int16-into-conv", "data.dtype", argv="train_sonar.py", setup=sonar(bits="16"))
    script("sonar-dataset-open-xtf-handle-spawn-workers", "env.multiprocessing", argv="train_sidescan.py",
           setup=prep(XTF_PREP))
    script("multibeam-gpu-checkpoint-loaded-on-laptop-no-map-location", "env.cuda_setup",
           also=["env.device_mismatch"], argv="predict_seabed.py", setup=both(sonar(n=3), prep(GPU_CKPT_PREP)))

    # ---- colour correction
    script("grey-world-correction-returns-tensor-then-totensor", "model.api_misuse", argv="train_corrected.py",
           setup=dive)
    script("colour-correction-net-inplace-channel-gain-on-sigmoid", "optim.autograd_graph",
           argv="train_colournet.py", setup=dive)

    # ---- fish video
    script("faster-rcnn-fish-boxes-xywh-as-xyxy", "data.bbox_invalid", argv="train_fish_detector.py",
           setup=prep(FISH_PREP))
    script("fish-present-binary-num-classes-1-cross-entropy", "model.output_mismatch",
           also=["data.label_out_of_range"], argv="train_presence.py", setup=prep(FISH_PREP))
    script("fish-counts-poisson-nll-log-input-high-lr-clip-nonfinite-tqdm", "optim.divergence", forms=P,
           argv="train_counts.py", setup=prep(COUNTS_PREP))
    notebook("murky-frame-hwc-array-into-backbone-notebook", "model.input_shape", also=["data.image_channels"],
             forms=NB, setup=dive)
    script("dive-4k-frames-preloaded-float32", "resource.host_memory", argv="preload_dive.py",
           setup=both(dive, prep(META_PREP)))
    script("ffmpeg-frames-full-disk-zero-byte-jpegs-workers", "data.missing_or_corrupt", forms=W,
           argv="train_frames_ae.py",
           setup=both(frames(n=10), imgs([(f"dive/frames/frame_{i:05d}.jpg", (0, 0), "empty") for i in (10, 11, 12)])))

    # ---- ImageAI 3
    script("imageai-fish-detector-yolo-labels-in-pixels", "data.bbox_invalid", framework="imageai",
           argv="train_fish.py", timeout=400, setup=yolo_layout("reef_fish", pixel_rows, size=(320, 180)))
    script("imageai-fish-detector-2019-species-ids-2023-names", "data.label_out_of_range",
           also=["model.output_mismatch"], framework="imageai", forms=P, argv="train_fish.py", timeout=400,
           setup=yolo_layout("reef_fish", ids2019_rows, size=(320, 180)))
    script("imageai-murky-water-three-fish-boxed", "data.too_few_boxes", framework="imageai",
           argv="train_murky.py", timeout=400,
           setup=yolo_layout("murky_fish", murky_rows, size=(320, 180)))
    script("imageai-fish-detector-transfer-from-2019-imageai2-h5", "env.version_incompat",
           also=["model.weights_mismatch"], framework="imageai", argv="train_fish.py",
           setup=both(yolo_layout("reef_fish", good_rows, size=(320, 180)),
                      write("models_2019/detection_model-ex-045--loss-0008.462.h5", b"\x89HDF\r\n\x1a\n" + bytes(504))))
    script("imageai-detect-single-channel-sonar-array", "data.image_channels", also=["model.api_misuse"],
           framework="imageai", argv="detect_sonar.py",
           setup=both(sonar(n=2), save_tiny('["wreck", "school", "mooring"]', 3,
                                            "sonar_targets/models/tiny-yolov3_sonar_targets_mAP-0.38121_epoch-61.pt",
                                            "sonar_targets/json/sonar_targets_tiny-yolov3_detection_config.json")))
    script("imageai-coral-patch-trainer-empty-2023-species-folder", "data.missing_or_corrupt", framework="imageai",
           argv="train_coral_patches.py", timeout=400,
           setup=both(imgs(class_folder("coral_patches/train", ["acropora", "porites", "pocillopora"], 3,
                                        size=(64, 64))
                           + class_folder("coral_patches/test", ["acropora", "porites", "pocillopora"], 1,
                                          size=(64, 64))),
                      write("coral_patches/train/bleached_acropora/.gitkeep", ""),
                      write("coral_patches/test/bleached_acropora/.gitkeep", "")))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
