"""A hundredth held-out set (g188, scored 1.00 top-1 and 1.00 top-3 before any rule for it) of PyTorch / torchvision / ImageAI 3 failures, untargeted across the taxonomy.

The persona: student robotics teams and robotics hobbyists -- competition game-piece and goal detectors with ImageAI
3.0.3 and torchvision Faster R-CNN, line-following and lane / steering classifiers from robot cameras, frames
exported from ROS 1 / ROS 2 bags (header-stamp file names, ``metadata.yaml``, SQLite ``.db3`` storage), depth + RGB
pairs from RealSense-style cameras (16-bit depth PNGs), joystick and LiDAR logs for behaviour cloning, small boards
and laptops in the pit, mentors' shared training notebooks and checkpoints; training scripts written by the teams
themselves. About a quarter of the cases use ImageAI 3. A natural mix of causes, each program built so that its
cause is known by construction and made to fail inside torch, torchvision, ImageAI, PIL, OpenCV, NumPy, SciPy or
multiprocessing:

- images: frames exported from two bags recorded at different camera resolutions, batched without a resize
  (workers, data.image_size_mismatch); the line camera swapped for a mono global-shutter camera under the
  mentors' ResNet notebook (notebook, data.image_channels); frame files named by ROS header stamp while the
  labelling spreadsheet rounded the stamps (workers, ``cv2.cvtColor`` on ``None``, data.missing_or_corrupt);
  RGB resized but the depth image left at the depth sensor's own resolution, concatenated into RGB-D
  (data.image_size_mismatch);
- labels: steering bins computed from the joystick axis so that full lock (``1.0``) lands one past the last bin
  (tqdm, data.label_out_of_range); game-piece boxes of an upside-down mounted camera rotated 180 degrees without
  swapping the corners, into Faster R-CNN (data.bbox_invalid); a steer + throttle head trained against the
  steer-only target column (a broadcasting warning first, data.label_shape); 16-bit depth PNGs turned into
  ``uint16`` tensors for the obstacle net (data.dtype);
- models: the mentors' notebook CNN sized for the old 4:3 camera with ``Resize(60)`` on the new 16:9 camera
  (notebook, model.input_shape); Faster R-CNN built with ``num_classes`` = number of game pieces, without the
  background class (model.output_mismatch); a mentor's checkpoint saved from ``nn.DataParallel`` (``module.`` keys)
  (model.weights_mismatch); the pit detector loaded and run without ``model.eval()`` (model.api_misuse);
- optimisation: a soft-argmax line-position head whose softmax output is thresholded in place
  (optim.autograd_graph); a Gaussian behaviour-cloning policy on raw millimetre LiDAR ranges with SGD at 0.05, whose
  learned scale comes out NaN inside ``torch.distributions.Normal`` (optim.divergence);
- resource / environment: a whole ROS 2 bag preloaded into one float32 NumPy array sized from its
  ``metadata.yaml`` (resource.host_memory); a Dataset holding the ``.db3`` bag's SQLite connection under spawn
  workers, as on the team's Macs (env.multiprocessing); a training script with ``torch.device("cuda")`` hard-coded,
  run on the pit laptop (env.cuda_setup); a 2019 sliding-window lane-finding helper calling ``np.int`` under
  NumPy 2 (env.version_incompat);
- ImageAI 3: this season's four-class JSON with last season's three-class classifier (re-raised as a plain
  ``Exception``, model.weights_mismatch); ``ClassificationModelTrainer`` on a dataset with ``val/`` instead of
  ``test/`` (data.missing_or_corrupt); a Roboflow YOLO export whose boxes stay in ``labels/`` instead of
  ``annotations/``, so anchor k-means gets no boxes (data.missing_or_corrupt); labels with a class id a mentor
  added that ``object_names_array`` lacks (tqdm, data.label_out_of_range); simulator camera frames in ``bgra8``
  given to ``detectObjectsFromImage`` (data.image_channels); frames decoded as torch tensors given to
  ``detectObjectsFromImage`` (notebook, model.api_misuse).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None: model files are
ones an earlier run left on disk).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more100.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


from _record import (Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders,  # noqa: E402,F401
                     yolo_layout, save_tiny, save_cls)
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more100.py"

SCRIPTS = {}
CELLS = {}

PIECES = ["cone", "cube", "none"]

# ------------------------------------------------------------------ frames from two bags, two resolutions
BAGS_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(1)
rows = []
# the first bag was recorded with the camera at 424x240, the second after a driver update at 320x240
for bag, (w, h) in (("bag_2024-03-09", (212, 120)), ("bag_2024-03-16", (160, 120))):
    os.makedirs(f"frames/{bag}", exist_ok=True)
    for i in range(12):
        name = f"frames/{bag}/frame{i:04d}.jpg"
        Image.fromarray(rng.integers(0, 255, (h, w, 3), dtype=np.uint8)).save(name)
        rows.append((name, ["cone", "cube", "none"][i % 3]))
with open("frames/labels.csv", "w", newline="") as f:
    csv.writer(f).writerows([("frame", "piece")] + rows)
'''

SCRIPTS["two-bags-two-camera-resolutions-workers"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms

PIECES = ["cone", "cube", "none"]


class BagFrames(Dataset):
    def __init__(self, csv_path):
        self.rows = list(csv.DictReader(open(csv_path)))
        # same robot, same camera: every frame already has the camera's resolution
        self.tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize([0.5] * 3, [0.5] * 3)])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return self.tf(Image.open(r["frame"]).convert("RGB")), PIECES.index(r["piece"])


if __name__ == "__main__":
    torch.manual_seed(0)
    loader = DataLoader(BagFrames("frames/labels.csv"), batch_size=8, shuffle=True, num_workers=2)
    model = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2), nn.ReLU(),
                          nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, len(PIECES)))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(10):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"epoch {epoch} loss {loss.item():.3f}")
'''

# ------------------------------------------------------------------ mono global-shutter line camera (notebook)
CELLS["mono-line-camera-resnet-mentor-notebook"] = [
    '''import glob, os
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import models, transforms

CLASSES = ["left", "center", "right"]
files = sorted(glob.glob("line_frames/*/*.png"))
len(files)''',
    '''class LineFrames(Dataset):
    tf = transforms.Compose([transforms.Resize((64, 96)), transforms.ToTensor()])

    def __len__(self):
        return len(files)

    def __getitem__(self, i):
        p = files[i]
        return self.tf(Image.open(p)), CLASSES.index(os.path.basename(os.path.dirname(p)))


loader = DataLoader(LineFrames(), batch_size=8, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(CLASSES))
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)''',
    '''for epoch in range(3):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, round(loss.item(), 3))''',
]

# ------------------------------------------------------------------ frames named by header stamp, CSV rounded
STAMP_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(3)
os.makedirs("frames", exist_ok=True)
rows = []
for i in range(16):
    sec, nsec = 1710003661 + i // 4, 33333333 * (i % 4) + 1234567
    Image.fromarray(rng.integers(0, 255, (60, 80, 3), dtype=np.uint8)).save(f"frames/{sec}.{nsec:09d}.jpg")
    # the labelling sheet was saved from the spreadsheet, which keeps 15 significant digits
    rows.append((f"{float(f'{sec}.{nsec:09d}'):.15g}", ["left", "centre", "right"][i % 3]))
with open("lane_labels.csv", "w", newline="") as f:
    csv.writer(f).writerows([("stamp", "lane")] + rows)
'''

SCRIPTS["rosbag-header-stamp-names-rounded-in-sheet-workers"] = '''
import csv

import cv2
import torch
import torch.nn as nn
from torch.utils.data import Dataset, DataLoader

LANES = ["left", "centre", "right"]


class StampedFrames(Dataset):
    """frames exported from the bag as <sec>.<nanosec>.jpg, labels from the team's sheet"""

    def __init__(self, csv_path):
        self.rows = list(csv.DictReader(open(csv_path)))

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        img = cv2.imread(f"frames/{r['stamp']}.jpg")
        img = cv2.cvtColor(img, cv2.COLOR_BGR2RGB)
        x = torch.from_numpy(cv2.resize(img, (80, 60))).permute(2, 0, 1).float() / 255
        return x, LANES.index(r["lane"])


if __name__ == "__main__":
    loader = DataLoader(StampedFrames("lane_labels.csv"), batch_size=4, shuffle=True, num_workers=2)
    model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 3))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(5):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())
'''

# ------------------------------------------------------------------ RGB-D: depth left at its own resolution
RGBD_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(4)
os.makedirs("rgbd/color", exist_ok=True)
os.makedirs("rgbd/depth", exist_ok=True)
rows = []
for i in range(8):
    Image.fromarray(rng.integers(0, 255, (120, 160, 3), dtype=np.uint8)).save(f"rgbd/color/{i:05d}.png")
    # the depth stream runs at the sensor's 848x480 (here a quarter of it), in millimetres
    Image.fromarray(rng.integers(300, 4000, (120, 212), dtype=np.uint16)).save(f"rgbd/depth/{i:05d}.png")
    rows.append((f"{i:05d}", i % 2))
with open("rgbd/graspable.csv", "w", newline="") as f:
    csv.writer(f).writerows([("frame", "graspable")] + rows)
'''

SCRIPTS["rgbd-depth-left-at-sensor-resolution-cat"] = '''
import csv

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms


class RGBD(Dataset):
    def __init__(self, root):
        self.root = root
        self.rows = list(csv.DictReader(open(f"{root}/graspable.csv")))
        self.rgb_tf = transforms.Compose([transforms.Resize((96, 128)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        rgb = self.rgb_tf(Image.open(f"{self.root}/color/{r['frame']}.png").convert("RGB"))
        # no resize for depth: interpolating would smear the depth edges
        depth = np.array(Image.open(f"{self.root}/depth/{r['frame']}.png"), dtype=np.float32) / 1000.0
        x = torch.cat([rgb, torch.from_numpy(depth)[None]], dim=0)
        return x, float(r["graspable"])


loader = DataLoader(RGBD("rgbd"), batch_size=4, shuffle=True)
model = nn.Sequential(nn.Conv2d(4, 16, 3, stride=2), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 1))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for x, y in loader:
        loss = nn.functional.binary_cross_entropy_with_logits(model(x).squeeze(1), y.float())
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

# ------------------------------------------------------------------ steering bins from the joystick axis
DRIVE_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(5)
os.makedirs("drive/frames", exist_ok=True)
steer = [0.12, -0.35, 0.0, 1.0, -0.8, 0.41, -1.0, 0.66, 0.2, -0.1, 1.0, 0.05, -0.5, 0.3, 0.9, -0.25]
rows = []
for i, s in enumerate(steer):
    Image.fromarray(rng.integers(0, 255, (48, 64, 3), dtype=np.uint8)).save(f"drive/frames/{i:05d}.jpg")
    rows.append((f"frames/{i:05d}.jpg", s, round(0.3 + 0.02 * i, 2)))
with open("drive/drive_log.csv", "w", newline="") as f:
    csv.writer(f).writerows([("frame", "steer", "throttle")] + rows)
'''

SCRIPTS["steering-bins-full-lock-one-past-last-tqdm"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms
from tqdm import tqdm

N_BINS = 5          # hard left, left, straight, right, hard right


class DriveLog(Dataset):
    def __init__(self, root):
        self.root = root
        self.rows = list(csv.DictReader(open(f"{root}/drive_log.csv")))
        self.tf = transforms.ToTensor()

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        steer = float(r["steer"])                       # joystick axis, -1 .. 1
        label = int((steer + 1) / 2 * N_BINS)
        return self.tf(Image.open(f"{self.root}/{r['frame']}").convert("RGB")), label


loader = DataLoader(DriveLog("drive"), batch_size=8, shuffle=False)
model = nn.Sequential(nn.Conv2d(3, 16, 5, stride=2), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2), nn.ReLU(),
                      nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, N_BINS))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for x, y in tqdm(loader, desc=f"epoch {epoch}"):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

# ------------------------------------------------------------------ upside-down camera, boxes rotated 180
PIECE_BOXES_PREP = '''
import json, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(6)
os.makedirs("field/images", exist_ok=True)
anns = []
for i in range(6):
    Image.fromarray(rng.integers(0, 255, (120, 160, 3), dtype=np.uint8)).save(f"field/images/match{i:03d}.jpg")
    boxes = [[20 + 5 * i, 30, 60 + 5 * i, 70], [90, 40 + 3 * i, 130, 90 + 3 * i]]
    anns.append({"file": f"match{i:03d}.jpg", "boxes": boxes, "labels": [1 + i % @@NC@@, 1 + (i + 1) % @@NC@@]})
json.dump(anns, open("field/annotations.json", "w"), indent=1)
'''

SCRIPTS["upside-down-camera-boxes-rotated-corners-fasterrcnn"] = '''
import json

import torch
from PIL import Image
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as TF

PIECES = ["cone", "cube"]
W, H = 160, 120


class Field(torch.utils.data.Dataset):
    def __init__(self, root):
        self.root = root
        self.anns = json.load(open(f"{root}/annotations.json"))

    def __len__(self):
        return len(self.anns)

    def __getitem__(self, i):
        a = self.anns[i]
        img = Image.open(f"{self.root}/images/{a['file']}").convert("RGB")
        # the camera is mounted upside down on this year's robot: rotate the frame and its boxes by 180 degrees
        img = img.rotate(180)
        boxes = torch.tensor([[W - x1, H - y1, W - x2, H - y2] for x1, y1, x2, y2 in a["boxes"]], dtype=torch.float32)
        return TF.to_tensor(img), {"boxes": boxes, "labels": torch.tensor(a["labels"])}


ds = Field("field")
loader = torch.utils.data.DataLoader(ds, batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=len(PIECES) + 1)
opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
model.train()
for epoch in range(3):
    for images, targets in loader:
        losses = model(list(images), list(targets))
        loss = sum(losses.values())
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

# ------------------------------------------------------------------ steer + throttle head, steer-only target
SCRIPTS["steer-throttle-head-steer-only-target"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms


class DriveLog(Dataset):
    def __init__(self, root):
        self.root = root
        self.rows = list(csv.DictReader(open(f"{root}/drive_log.csv")))
        self.tf = transforms.ToTensor()

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        x = self.tf(Image.open(f"{self.root}/{r['frame']}").convert("RGB"))
        return x, torch.tensor(float(r["steer"]))


class PilotNet(nn.Module):
    """predicts steering and throttle together"""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 24, 5, stride=2), nn.ReLU(), nn.Conv2d(24, 36, 5, stride=2),
                                      nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.head = nn.Linear(36, 2)

    def forward(self, x):
        return torch.tanh(self.head(self.features(x)))


loader = DataLoader(DriveLog("drive"), batch_size=8, shuffle=True)
model = PilotNet()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(10):
    for x, y in loader:
        loss = nn.functional.mse_loss(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

# ------------------------------------------------------------------ 16-bit depth into the obstacle net
DEPTH_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(8)
os.makedirs("depth", exist_ok=True)
rows = []
for i in range(10):
    Image.fromarray(rng.integers(250, 6000, (60, 80), dtype=np.uint16)).save(f"depth/d{i:04d}.png")
    rows.append((f"d{i:04d}.png", "obstacle" if i % 3 == 0 else "free"))
with open("depth/labels.csv", "w", newline="") as f:
    csv.writer(f).writerows([("file", "label")] + rows)
'''

SCRIPTS["depth-png-uint16-tensors-obstacle-net"] = '''
import csv

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader


class DepthFrames(Dataset):
    def __init__(self, root):
        self.root = root
        self.rows = list(csv.DictReader(open(f"{root}/labels.csv")))

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        depth = np.array(Image.open(f"{self.root}/{r['file']}"))      # millimetres, 16 bit
        return torch.from_numpy(depth)[None], int(r["label"] == "obstacle")


loader = DataLoader(DepthFrames("depth"), batch_size=4, shuffle=True)
model = nn.Sequential(nn.Conv2d(1, 16, 5, stride=2), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2), nn.ReLU(),
                      nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 2))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

# ------------------------------------------------------------------ mentors' notebook CNN, new 16:9 camera
WIDE_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(9)
for c in ("goal", "no_goal"):
    os.makedirs(f"goal_frames/{c}", exist_ok=True)
    for i in range(6):
        # this year's camera: 320x180 (16:9); last year's was 160x120
        Image.fromarray(rng.integers(0, 255, (180, 320, 3), dtype=np.uint8)).save(f"goal_frames/{c}/{c}_{i:03d}.jpg")
'''

CELLS["goal-cnn-sized-for-4x3-camera-resize60-notebook"] = [
    '''import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

# from the mentors' shared notebook: frames scaled so the short side is 60 px (80x60 on the 160x120 camera)
tf = transforms.Compose([transforms.Resize(60), transforms.ToTensor()])
ds = datasets.ImageFolder("goal_frames", transform=tf)
loader = DataLoader(ds, batch_size=4, shuffle=True)
ds.classes''',
    '''class GoalNet(nn.Module):
    def __init__(self, n_classes=2):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                  nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        self.fc = nn.Sequential(nn.Flatten(), nn.Linear(32 * 15 * 20, 64), nn.ReLU(), nn.Linear(64, n_classes))

    def forward(self, x):
        return self.fc(self.conv(x))


model = GoalNet()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)''',
    '''for epoch in range(5):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())''',
]

# ------------------------------------------------------------------ Faster R-CNN without the background class
SCRIPTS["fasterrcnn-num-classes-without-background"] = '''
import json

import torch
from PIL import Image
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as TF

PIECES = ["note", "ring", "cube"]          # label ids 1, 2, 3 in the annotation file


class Field(torch.utils.data.Dataset):
    def __init__(self, root):
        self.root = root
        self.anns = json.load(open(f"{root}/annotations.json"))

    def __len__(self):
        return len(self.anns)

    def __getitem__(self, i):
        a = self.anns[i]
        img = Image.open(f"{self.root}/images/{a['file']}").convert("RGB")
        return TF.to_tensor(img), {"boxes": torch.tensor(a["boxes"], dtype=torch.float32),
                                   "labels": torch.tensor(a["labels"])}


loader = torch.utils.data.DataLoader(Field("field"), batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=len(PIECES))
opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
model.train()
for epoch in range(3):
    for images, targets in loader:
        losses = model(list(images), list(targets))
        loss = sum(losses.values())
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, {k: round(v.item(), 3) for k, v in losses.items()})
'''

# ------------------------------------------------------------------ mentor's DataParallel checkpoint
DP_CKPT_PREP = '''
import os
import torch
import torch.nn as nn
from torchvision import models

os.makedirs("mentor_share", exist_ok=True)
torch.manual_seed(0)
# trained on the mentor's two-GPU workstation
net = nn.DataParallel(models.resnet18(weights=None, num_classes=4))
torch.save(net.state_dict(), "mentor_share/piece_cls_resnet18_best.pth")
'''

SCRIPTS["mentor-dataparallel-checkpoint-module-keys"] = '''
import glob

import torch
from PIL import Image
from torchvision import models, transforms

PIECES = ["cone", "cube", "note", "none"]

model = models.resnet18(weights=None, num_classes=len(PIECES))
model.load_state_dict(torch.load("mentor_share/piece_cls_resnet18_best.pth", map_location="cpu"))
model.eval()

tf = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor()])
for path in sorted(glob.glob("pit_frames/*.jpg")):
    with torch.no_grad():
        p = model(tf(Image.open(path).convert("RGB"))[None]).softmax(1)[0]
    print(path, PIECES[int(p.argmax())], f"{float(p.max()):.2f}")
'''

# ------------------------------------------------------------------ pit detector without eval()
PIT_DET_PREP = '''
import os
import torch
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn

os.makedirs("checkpoints", exist_ok=True)
torch.manual_seed(0)
m = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=3)
torch.save(m.state_dict(), "checkpoints/pieces_frcnn_epoch40.pth")
'''

SCRIPTS["pit-detector-loaded-without-eval"] = '''
import glob

import torch
from PIL import Image
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as TF

PIECES = ["background", "cone", "cube"]

model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=len(PIECES))
model.load_state_dict(torch.load("checkpoints/pieces_frcnn_epoch40.pth", map_location="cpu"))

# check the detector on the frames we grabbed in the pit before the next match
for path in sorted(glob.glob("pit_frames/*.jpg")):
    frame = TF.to_tensor(Image.open(path).convert("RGB"))
    with torch.no_grad():
        out = model([frame])[0]
    keep = out["scores"] > 0.5
    print(path, [PIECES[i] for i in out["labels"][keep].tolist()])
'''

# ------------------------------------------------------------------ soft-argmax line position, masked in place
SCRIPTS["line-position-soft-argmax-inplace-threshold"] = '''
import torch
import torch.nn as nn

torch.manual_seed(0)
COLS = 32
# rows of the line sensor image (a 1 x 8 x 32 strip under the robot) and the line's x position (0 .. 1)
strips = torch.rand(64, 1, 8, COLS)
pos = strips.mean(dim=2).argmax(dim=-1).squeeze(1).float() / (COLS - 1)

model = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 1, (8, 1)), nn.Flatten())
xs = torch.linspace(0, 1, COLS)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)

for step in range(100):
    idx = torch.randint(0, 64, (16,))
    probs = torch.softmax(model(strips[idx]), dim=1)
    probs[probs < 0.02] = 0          # ignore columns far from the line, like the firmware does
    pred = (probs * xs).sum(dim=1) / probs.sum(dim=1)
    loss = nn.functional.smooth_l1_loss(pred, pos[idx])
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 20 == 0:
        print(step, loss.item())
'''

# ------------------------------------------------------------------ Gaussian BC policy on raw LiDAR mm
LIDAR_PREP = '''
import numpy as np

rng = np.random.default_rng(13)
n = 512
ranges = rng.uniform(150, 12000, (n, 360)).astype(np.float32)        # millimetres, one scan per row
steer = np.clip((ranges[:, 30] - ranges[:, 330]) / 12000, -1, 1).astype(np.float32)
np.savez("teleop_log.npz", ranges=ranges, steer=steer)
'''

SCRIPTS["gaussian-bc-policy-raw-lidar-mm-nan-scale"] = '''
import numpy as np
import torch
import torch.nn as nn
from torch.distributions import Normal

log = np.load("teleop_log.npz")
scans = torch.from_numpy(log["ranges"])       # 360 LiDAR ranges per step
actions = torch.from_numpy(log["steer"])[:, None]

policy = nn.Sequential(nn.Linear(360, 128), nn.ReLU(), nn.Linear(128, 1))
log_std = nn.Parameter(torch.zeros(1))
opt = torch.optim.SGD(list(policy.parameters()) + [log_std], lr=0.05)

for epoch in range(50):
    perm = torch.randperm(len(scans))
    for i in range(0, len(scans), 64):
        b = perm[i:i + 64]
        dist = Normal(policy(scans[b]), log_std.exp())
        loss = -dist.log_prob(actions[b]).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: nll {loss.item():.3f}")
'''

# ------------------------------------------------------------------ whole bag preloaded from metadata.yaml
BAG_META_PREP = '''
import os

os.makedirs("bags/qual_match_14", exist_ok=True)
open("bags/qual_match_14/metadata.yaml", "w").write("""rosbag2_bagfile_information:
  version: 5
  storage_identifier: sqlite3
  duration:
    nanoseconds: 1800512345678
  message_count: 70224
  topics_with_message_count:
    - topic_metadata:
        name: /camera/color/image_raw
        type: sensor_msgs/msg/Image
        serialization_format: cdr
      message_count: 54015
    - topic_metadata:
        name: /scan
        type: sensor_msgs/msg/LaserScan
        serialization_format: cdr
      message_count: 16209
""")
'''

SCRIPTS["whole-bag-preloaded-from-metadata-float32"] = '''
import re

import numpy as np

BAG = "bags/qual_match_14"
H, W = 720, 1280          # /camera/color/image_raw at the camera's default


def topic_counts(meta_path):
    text = open(meta_path).read()
    return {m.group(1): int(m.group(2)) for m in
            re.finditer(r"name: (\\S+)\\n(?:.*\\n){2}\\s+message_count: (\\d+)", text)}


counts = topic_counts(f"{BAG}/metadata.yaml")
n = counts["/camera/color/image_raw"]
print(f"{BAG}: {n} camera frames")
# decode once, keep every frame ready-normalised in memory so the epochs don't touch the bag again
frames = np.empty((n, H, W, 3), dtype=np.float32)
'''

# ------------------------------------------------------------------ .db3 bag connection under spawn workers
DB3_PREP = '''
import os, sqlite3
import numpy as np

rng = np.random.default_rng(15)
os.makedirs("bags/practice_3", exist_ok=True)
db = sqlite3.connect("bags/practice_3/practice_3_0.db3")
db.execute("CREATE TABLE topics(id INTEGER PRIMARY KEY, name TEXT, type TEXT)")
db.execute("CREATE TABLE messages(id INTEGER PRIMARY KEY, topic_id INTEGER, timestamp INTEGER, data BLOB)")
db.execute("INSERT INTO topics VALUES (1, '/camera/image_small', 'sensor_msgs/msg/Image')")
for i in range(24):
    db.execute("INSERT INTO messages VALUES (?, 1, ?, ?)",
               (i + 1, 1710000000000000000 + i * 33000000, rng.integers(0, 255, 48 * 64 * 3, dtype=np.uint8).tobytes()))
db.commit()
db.close()
'''

SCRIPTS["db3-bag-sqlite-connection-spawn-workers"] = '''
import sqlite3

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import Dataset, DataLoader


class BagImages(Dataset):
    """reads camera messages straight out of the ROS 2 bag (.db3 is SQLite)"""

    def __init__(self, db3):
        self.db = sqlite3.connect(db3)
        self.ids = [r[0] for r in self.db.execute(
            "SELECT m.id FROM messages m JOIN topics t ON m.topic_id = t.id WHERE t.name = '/camera/image_small'")]

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        (blob,) = self.db.execute("SELECT data FROM messages WHERE id = ?", (self.ids[i],)).fetchone()
        img = np.frombuffer(blob, dtype=np.uint8).reshape(48, 64, 3)
        return torch.from_numpy(img.copy()).permute(2, 0, 1).float() / 255


if __name__ == "__main__":
    ds = BagImages("bags/practice_3/practice_3_0.db3")
    # the team trains on MacBooks, where DataLoader workers are spawned
    loader = DataLoader(ds, batch_size=8, shuffle=True, num_workers=2, multiprocessing_context="spawn")
    model = nn.Sequential(nn.Conv2d(3, 8, 3, stride=2), nn.ReLU(), nn.ConvTranspose2d(8, 3, 4, stride=2, padding=1))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(5):
        for x in loader:
            loss = nn.functional.mse_loss(model(x), x)      # autoencoder pretraining on unlabelled practice frames
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())
'''

# ------------------------------------------------------------------ hard-coded cuda on the pit laptop
SCRIPTS["pit-laptop-hardcoded-cuda-device"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

device = torch.device("cuda")          # same script as on the shop's training PC
torch.backends.cudnn.benchmark = True

ds = datasets.ImageFolder("pieces", transform=transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()]))
loader = DataLoader(ds, batch_size=8, shuffle=True)
model = nn.Sequential(nn.Conv2d(3, 16, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                      nn.Linear(16, len(ds.classes))).to(device)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

# ------------------------------------------------------------------ 2019 lane helper with np.int
LANE_HELPER = '''
"""sliding-window lane finding (from the 2019 lane-keeping tutorial the team started from)"""
import numpy as np


def lane_centre(binary, nwindows=6, margin=10):
    histogram = np.sum(binary[binary.shape[0] // 2:, :], axis=0)
    midpoint = np.int(histogram.shape[0] / 2)
    leftx_base = np.argmax(histogram[:midpoint])
    rightx_base = np.argmax(histogram[midpoint:]) + midpoint
    return (leftx_base + rightx_base) / 2 / binary.shape[1]
'''

LANE_MASKS_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(17)
os.makedirs("lane_masks", exist_ok=True)
for i in range(6):
    m = np.zeros((48, 64), np.uint8)
    m[:, 10 + i] = 255
    m[:, 50 - i] = 255
    Image.fromarray(m).save(f"lane_masks/m{i:03d}.png")
'''

SCRIPTS["lane-targets-2019-helper-np-int"] = '''
import glob

import numpy as np
import torch
from PIL import Image

from lanekit.sliding_window import lane_centre

# regression targets for the lane-keeping net: the lane centre of every thresholded mask
paths = sorted(glob.glob("lane_masks/*.png"))
targets = []
for p in paths:
    binary = (np.array(Image.open(p)) > 127).astype(np.uint8)
    targets.append(lane_centre(binary))
targets = torch.tensor(targets, dtype=torch.float32)
torch.save({"paths": paths, "targets": targets}, "lane_targets.pt")
print(targets)
'''

# ================================================================== ImageAI 3
SCRIPTS["imageai-classifier-new-season-json-old-model"] = '''
import glob

from imageai.Classification.Custom import CustomImageClassification

clf = CustomImageClassification()
clf.setModelTypeAsMobileNetV2()
clf.setModelPath("pieces_2023/models/mobilenet_v2-pieces_2023-test_acc_0.91250_epoch-30.pt")
clf.setJsonPath("pieces_2024/models/pieces_2024_model_classes.json")
clf.loadModel()

for path in sorted(glob.glob("pit_frames/*.jpg")):
    names, probs = clf.classifyImage(path, result_count=2)
    print(path, list(zip(names, probs)))
'''

NEW_JSON_PREP = '''
import json, os
os.makedirs("pieces_2024/models", exist_ok=True)
json.dump({"0": "algae", "1": "coral", "2": "none", "3": "robot"},
          open("pieces_2024/models/pieces_2024_model_classes.json", "w"))
'''

SCRIPTS["imageai-classification-trainer-val-not-test"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("game_pieces")
trainer.trainModel(num_experiments=20, batch_size=4)
'''

DET_TRAIN = '''
from imageai.Detection.Custom import DetectionModelTrainer

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="@@DIR@@")
trainer.setTrainConfig(object_names_array=@@NAMES@@, batch_size=4, num_experiments=@@EPOCHS@@)
trainer.trainModel()
'''

SCRIPTS["imageai-roboflow-export-labels-folder"] = sub(
    DET_TRAIN, DIR="reefscape_yolo", NAMES='["algae", "coral"]', EPOCHS="60").replace(
    "trainer = Det", "# Roboflow 'YOLO v5 PyTorch' export; renamed valid/ to validation/ as ImageAI wants\ntrainer = Det")
SCRIPTS["imageai-trainer-mentor-added-class-id"] = sub(
    DET_TRAIN, DIR="field_pieces", NAMES='["note", "robot"]', EPOCHS="40")


def piece_rows(split, i):
    return "".join(f"{k % 2} {0.25 + 0.2 * k:.4f} {0.55:.4f} {0.10 + 0.02 * i:.4f} {0.14 + 0.01 * k:.4f}\n"
                   for k in range(3))


def bumper_rows(split, i):
    # the mentor added a third class ("bumper", id 2) in the labelling tool halfway through
    rows = [f"{k % 2} {0.25 + 0.2 * k:.4f} {0.55:.4f} {0.10 + 0.02 * i:.4f} {0.14 + 0.01 * k:.4f}\n" for k in range(2)]
    if i % 2 == 0:
        rows.append(f"2 0.5000 0.8500 {0.40 + 0.02 * i:.4f} 0.1200\n")
    return "".join(rows)


TINY = {"PT": "robot_det/models/tiny-yolov3_robot_det_mAP-0.52140_epoch-35.pt",
        "JS": "robot_det/json/robot_det_tiny-yolov3_detection_config.json"}

SCRIPTS["imageai-detect-bgra8-sim-camera-frames"] = sub('''
import glob

import numpy as np
from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("@@PT@@")
detector.setJsonPath("@@JS@@")
detector.loadModel()

# frames saved from the simulator's camera topic (encoding bgra8) by our bag exporter
for path in sorted(glob.glob("sim_frames/*.npy")):
    frame = np.load(path)
    annotated, detections = detector.detectObjectsFromImage(input_image=frame, output_type="array",
                                                            minimum_percentage_probability=40)
    print(path, [(d["name"], d["percentage_probability"]) for d in detections])
''', **TINY)

SIM_FRAMES_PREP = '''
import os
import numpy as np

rng = np.random.default_rng(21)
os.makedirs("sim_frames", exist_ok=True)
for i in range(2):
    f = rng.integers(0, 255, (240, 320, 4), dtype=np.uint8)
    f[..., 3] = 255
    np.save(f"sim_frames/sim_{i:05d}.npy", f)
'''

CELLS["imageai-detect-torch-tensor-frames-notebook"] = [
    sub('''from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("@@PT@@")
detector.setJsonPath("@@JS@@")
detector.loadModel()''', **TINY),
    '''import glob
from torchvision.io import decode_image

frames = [decode_image(p) for p in sorted(glob.glob("pit_frames/*.jpg"))]
frames[0].shape''',
    '''for f in frames:
    dets = detector.detectObjectsFromImage(input_image=f, output_type="array")
    print(dets[1])''',
]


def cases():
    out, add, script, notebook = case_builders("torch-more100-", SCRIPTS, CELLS)
    W = ("cpython_basic", "dataloader_worker")
    NB = ("ipython_cell", "ipython_arrows", "ipython_file_tilde?")
    P = ("cpython_basic", "progress_bars?")
    tiny = save_tiny('["note", "robot"]', 2, TINY["PT"], TINY["JS"])
    pit = imgs([(f"pit_frames/pit_{i:03d}.jpg", (160, 120), "RGB") for i in range(2)])

    # ---- images
    script("two-bags-two-camera-resolutions-workers", "data.image_size_mismatch", forms=W,
           argv="train_pieces.py", setup=prep(BAGS_PREP))
    notebook("mono-line-camera-resnet-mentor-notebook", "data.image_channels", forms=NB,
             setup=imgs(class_folder("line_frames", ["left", "center", "right"], 4, size=(96, 64), mode="L",
                                     ext="png")))
    script("rosbag-header-stamp-names-rounded-in-sheet-workers", "data.missing_or_corrupt", forms=W,
           argv="train_lanes.py", setup=prep(STAMP_PREP))
    script("rgbd-depth-left-at-sensor-resolution-cat", "data.image_size_mismatch", argv="train_grasp.py",
           setup=prep(RGBD_PREP))

    # ---- labels
    script("steering-bins-full-lock-one-past-last-tqdm", "data.label_out_of_range", forms=P,
           argv="train_steering.py", setup=prep(DRIVE_PREP))
    script("upside-down-camera-boxes-rotated-corners-fasterrcnn", "data.bbox_invalid", argv="train_detector.py",
           setup=prep(PIECE_BOXES_PREP.replace("@@NC@@", "2")))
    script("steer-throttle-head-steer-only-target", "data.label_shape", also=["model.output_mismatch"],
           argv="train_pilot.py", setup=prep(DRIVE_PREP))
    script("depth-png-uint16-tensors-obstacle-net", "data.dtype", argv="train_obstacle.py", setup=prep(DEPTH_PREP))

    # ---- models
    notebook("goal-cnn-sized-for-4x3-camera-resize60-notebook", "model.input_shape", forms=NB,
             setup=prep(WIDE_PREP))
    script("fasterrcnn-num-classes-without-background", "model.output_mismatch", also=["data.label_out_of_range"],
           argv="train_detector.py", setup=prep(PIECE_BOXES_PREP.replace("@@NC@@", "3")))
    script("mentor-dataparallel-checkpoint-module-keys", "model.weights_mismatch", argv="check_pieces.py",
           setup=both(prep(DP_CKPT_PREP), pit))
    script("pit-detector-loaded-without-eval", "model.api_misuse", argv="pit_check.py",
           setup=both(prep(PIT_DET_PREP), pit))

    # ---- optimisation
    script("line-position-soft-argmax-inplace-threshold", "optim.autograd_graph", argv="train_line_pos.py")
    script("gaussian-bc-policy-raw-lidar-mm-nan-scale", "optim.divergence", argv="train_bc.py",
           setup=prep(LIDAR_PREP))

    # ---- resource / environment
    script("whole-bag-preloaded-from-metadata-float32", "resource.host_memory", argv="preload_bag.py",
           setup=prep(BAG_META_PREP))
    script("db3-bag-sqlite-connection-spawn-workers", "env.multiprocessing", argv="pretrain_ae.py",
           setup=prep(DB3_PREP))
    script("pit-laptop-hardcoded-cuda-device", "env.cuda_setup", argv="train_pieces.py",
           setup=imgs(class_folder("pieces", PIECES, 3, size=(80, 60))))
    script("lane-targets-2019-helper-np-int", "env.version_incompat", argv="make_targets.py",
           extra={"lanekit/__init__.py": "", "lanekit/sliding_window.py": LANE_HELPER},
           setup=prep(LANE_MASKS_PREP))

    # ---- ImageAI 3
    script("imageai-classifier-new-season-json-old-model", "model.weights_mismatch", framework="imageai",
           forms=("cpython_basic", "chained_during", "multiline_message"), argv="classify_pit.py",
           exception="Exception",
           setup=both(save_cls("mobilenet_v2", '["cone", "cube", "none"]',
                               "pieces_2023/models/mobilenet_v2-pieces_2023-test_acc_0.91250_epoch-30.pt",
                               "pieces_2023/models/pieces_2023_model_classes.json"),
                      prep(NEW_JSON_PREP), pit))
    script("imageai-classification-trainer-val-not-test", "data.missing_or_corrupt", framework="imageai",
           argv="train_pieces_cls.py",
           setup=imgs(class_folder("game_pieces/train", ["algae", "coral"], 4, size=(64, 64))
                      + class_folder("game_pieces/val", ["algae", "coral"], 2, size=(64, 64))))
    script("imageai-roboflow-export-labels-folder", "data.missing_or_corrupt", also=["data.too_few_boxes"],
           framework="imageai", argv="train_reefscape.py", timeout=400,
           setup=yolo_layout("reefscape_yolo", piece_rows, ann="labels"))
    script("imageai-trainer-mentor-added-class-id", "data.label_out_of_range", also=["model.output_mismatch"],
           framework="imageai", forms=P, argv="train_field.py", timeout=400,
           setup=yolo_layout("field_pieces", bumper_rows))
    script("imageai-detect-bgra8-sim-camera-frames", "data.image_channels", framework="imageai",
           argv="detect_sim.py", setup=both(tiny, prep(SIM_FRAMES_PREP)))
    notebook("imageai-detect-torch-tensor-frames-notebook", "model.api_misuse", framework="imageai", forms=NB,
             setup=both(tiny, pit))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=1))
