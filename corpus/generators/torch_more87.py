"""An eighty-seventh held-out set (g163, scored 1.00 top-1 and 1.00 top-3 before any rule for it) of ImageAI 3 / PyTorch failures, untargeted across the taxonomy.

The persona: sports-analytics hobbyists and club analysts training on frames pulled from match footage. About a
third of the programs train or run ImageAI 3 (imageai 3.0.3 on PyTorch) custom player / ball detectors
(``DetectionModelTrainer``, ``CustomObjectDetection``); the rest are torchvision detectors (Faster R-CNN) and small
jersey-number / team classifiers on player crops, ball-heatmap and ball-position regressors, frames read from
broadcast video with OpenCV, tiny balls and motion blur, labels exported from annotation tools (CVAT, tracking
exports with track ids), tracking IDs carried across frames. A natural mix of causes, each program built so that
its cause is known by construction and made to fail inside ImageAI, torch, torchvision, OpenCV, NumPy or
multiprocessing:

- ImageAI trainers: CVAT boxes of a ball leaving the frame converted to a negative centre (data.bbox_invalid), a
  tracking export with a sixth track-id column (data.bbox_invalid), a ball-only YOLOv3 run whose boxes all have
  the tracker's fixed size (anchor k-means, data.too_few_boxes);
- ImageAI detection: a ``while cap.isOpened()`` frame loop that hands the end-of-video ``None`` frame to the
  detector (data.missing_or_corrupt), a TinyYOLOv3 checkpoint loaded as YOLOv3 (model.weights_mismatch);
- torchvision detectors: a three-class checkpoint into a four-class model after adding "referee" (model.weights_mismatch), a validation
  pass with the model still in train mode (model.api_misuse);
- crop classifiers and regressors: jersey 99 with 99 classes (data.label_out_of_range), unresized player crops
  batched by DataLoader workers (data.image_size_mismatch), grayscale crops into resnet18 (data.image_channels),
  ball-visible BCE with ``(N,)`` targets (data.label_shape), jersey labels read as floats (data.dtype), a team CNN
  sized for 64x64 crops fed 96x48 crops (model.input_shape), a stride-4 ball heatmap against full-size targets
  (model.output_mismatch), an LSTM over track ids whose hidden state is carried across clips (notebook,
  optim.autograd_graph);
- frames and environment: a float64 median background of broadcast frames under a memory cap
  (resource.host_memory), a ``cv2.VideoCapture`` held by a Dataset with spawn workers (env.multiprocessing), a
  Colab notebook's ``.cuda()`` on a CPU-only laptop (env.cuda_setup).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more87.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


from _record import (Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders,  # noqa: E402,F401
                     yolo_layout, save_tiny, save_cls, ANCHORS6)
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more87.py"

SCRIPTS = {}
CELLS = {}


def match_rows(nc=2):
    def rows(split, i):
        return "".join(f"{k % nc} 0.{12 + 13 * k + i % 5:02d} 0.{30 + 9 * k + i % 7:02d} 0.0{2 + k % 5} 0.0{5 + i % 4}\n"
                       for k in range(5))
    return rows


TRAIN_TAIL = '''
trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory=DATA)
trainer.setTrainConfig(object_names_array=CLASSES, batch_size=4, num_experiments=2)
trainer.trainModel()
'''

# ================================================================== ImageAI trainers
SCRIPTS["cvat-xml-ball-leaving-frame-negative-center"] = '''
import glob
import os
import xml.etree.ElementTree as ET

from imageai.Detection.Custom import DetectionModelTrainer

CLASSES = ["player", "ball"]
DATA = "match_frames"

# CVAT for images 1.1 export (annotations.xml per split) -> ImageAI / YOLO txt
for split in ("train", "validation"):
    root = ET.parse(f"cvat_export/{split}/annotations.xml").getroot()
    os.makedirs(f"{DATA}/{split}/annotations", exist_ok=True)
    for im in root.iter("image"):
        W, H = float(im.get("width")), float(im.get("height"))
        lines = []
        for b in im.iter("box"):
            x1, y1, x2, y2 = (float(b.get(k)) for k in ("xtl", "ytl", "xbr", "ybr"))
            lines.append(f"{CLASSES.index(b.get('label'))} {(x1 + x2) / 2 / W:.6f} {(y1 + y2) / 2 / H:.6f} "
                         f"{(x2 - x1) / W:.6f} {(y2 - y1) / H:.6f}")
        open(f"{DATA}/{split}/annotations/{im.get('name')[:-4]}.txt", "w").write("\\n".join(lines) + "\\n")
print(len(glob.glob(DATA + "/*/annotations/*.txt")), "label files")
''' + TRAIN_TAIL

CVAT_PREP = '''
import os
for split, n in (("train", 6), ("validation", 2)):
    os.makedirs(f"cvat_export/{split}", exist_ok=True)
    xs = ['<?xml version="1.0" encoding="utf-8"?>', "<annotations>", "  <version>1.1</version>"]
    for i in range(n):
        xs.append(f'  <image id="{i}" name="{split[:3]}_{i:04d}.jpg" width="160" height="120">')
        for k in range(3):
            x, y = 20 + 40 * k + i, 30 + 10 * k
            xs.append(f'    <box label="player" occluded="0" source="manual" xtl="{x}" ytl="{y}" xbr="{x + 12}" ybr="{y + 30}" z_order="0"></box>')
        if split == "train" and i == 4:   # ball kicked out over the touchline: CVAT keeps the box past the border
            xs.append('    <box label="ball" occluded="0" source="manual" xtl="-9.40" ytl="61.20" xbr="2.10" ybr="69.80" z_order="0"></box>')
        else:
            xs.append(f'    <box label="ball" occluded="0" source="manual" xtl="{70 + i}" ytl="50" xbr="{76 + i}" ybr="56" z_order="0"></box>')
        xs.append("  </image>")
    xs.append("</annotations>")
    open(f"cvat_export/{split}/annotations.xml", "w").write("\\n".join(xs) + "\\n")
'''

SCRIPTS["tracking-export-sixth-track-id-column"] = '''
import glob
import os

from imageai.Detection.Custom import DetectionModelTrainer

CLASSES = ["player", "ball"]
DATA = "clip_frames"

# the tracker's per-frame export (class cx cy w h track_id) is copied straight in as the YOLO labels
for split in ("train", "validation"):
    os.makedirs(f"{DATA}/{split}/annotations", exist_ok=True)
    for src in sorted(glob.glob(f"tracks/{split}/*.txt")):
        with open(src) as f, open(f"{DATA}/{split}/annotations/" + os.path.basename(src), "w") as g:
            g.write(f.read())
print("copied", len(glob.glob(DATA + "/*/annotations/*.txt")))
''' + TRAIN_TAIL

TRACKS_PREP = '''
import os
for split, n in (("train", 6), ("validation", 2)):
    os.makedirs(f"tracks/{split}", exist_ok=True)
    for i in range(n):
        rows = [f"0 0.{20 + 20 * k} 0.{40 + 5 * k + i} 0.04 0.12 {k + 1}" for k in range(3)]
        rows.append(f"1 0.5{i} 0.55 0.012 0.016 99")
        open(f"tracks/{split}/{split[:3]}_{i:04d}.txt", "w").write("\\n".join(rows) + "\\n")
'''

SCRIPTS["ball-only-yolov3-fixed-size-tracker-boxes"] = '''
import glob

from imageai.Detection.Custom import DetectionModelTrainer

# a ball-only detector: the boxes come from the ball tracker, which always writes a 14x14 px box at 1280x720
CLASSES = ["ball"]
DATA = "ball_frames"
print(len(glob.glob(DATA + "/train/annotations/*.txt")), "train frames")
trainer = DetectionModelTrainer()
trainer.setModelTypeAsYOLOv3()
trainer.setDataDirectory(data_directory=DATA)
trainer.setTrainConfig(object_names_array=CLASSES, batch_size=4, num_experiments=2)
trainer.trainModel()
'''


def ball_rows(split, i):
    return f"0 0.{31 + 7 * i:02d} 0.{42 + 5 * i:02d} 0.010938 0.019444\n"



def ref_rows(split, i):
    return "".join(f"{(0, 0, 1, 2)[k]} 0.{15 + 18 * k} 0.{35 + 8 * k} 0.0{3 + k % 2} 0.1{k}\n" for k in range(4))


# ================================================================== ImageAI detection
DET_HEAD = '''
from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAs@@TYPE@@()
detector.setModelPath("match_frames/models/tiny-yolov3_match_frames_last.pt")
detector.setJsonPath("match_frames/json/match_frames_tiny-yolov3_detection_config.json")
detector.loadModel()
'''
MF = dict(PT="match_frames/models/tiny-yolov3_match_frames_last.pt",
          JS="match_frames/json/match_frames_tiny-yolov3_detection_config.json")

SCRIPTS["video-loop-isopened-end-of-video-none-frame"] = sub(DET_HEAD, TYPE="TinyYOLOv3") + '''
import cv2

cap = cv2.VideoCapture("highlights/derby_2nd_half.avi")
n = 0
counts = []
while cap.isOpened():
    ret, frame = cap.read()
    _, dets = detector.detectObjectsFromImage(input_image=frame, output_type="array",
                                              minimum_percentage_probability=30)
    counts.append(sum(d["name"] == "player" for d in dets))
    n += 1
    print(f"frame {n}: {len(dets)} detections")
cap.release()
'''

VIDEO_PREP = '''
import os
import numpy as np, cv2
os.makedirs("highlights", exist_ok=True)
w = cv2.VideoWriter("highlights/derby_2nd_half.avi", cv2.VideoWriter_fourcc(*"MJPG"), 25, (320, 180))
rng = np.random.default_rng(1)
for i in range(3):
    f = np.zeros((180, 320, 3), np.uint8); f[:, :, 1] = 110
    cv2.circle(f, (40 + 30 * i, 90), 3, (255, 255, 255), -1)
    w.write(f)
w.release()
'''

SCRIPTS["tiny-checkpoint-loaded-as-yolov3"] = sub(DET_HEAD, TYPE="YOLOv3") + '''
_, dets = detector.detectObjectsFromImage(input_image="frames/corner_kick_0042.jpg", output_type="array")
print(dets)
'''

# ================================================================== torchvision detectors
FRCNN_DATA = '''
import json

import torch
from PIL import Image
from torchvision.transforms import functional as F


class MatchFrames(torch.utils.data.Dataset):
    """frames/*.jpg + boxes.json: {frame: [[x1, y1, x2, y2, label], ...]} in 1920x1080 broadcast pixels."""
    def __init__(self, root, size=(640, 360)):
        self.root, self.size = root, size
        self.ann = json.load(open(f"{root}/boxes.json"))
        self.names = sorted(self.ann)

    def __len__(self):
        return len(self.names)

    def __getitem__(self, i):
        name = self.names[i]
        img = Image.open(f"{self.root}/{name}").convert("RGB")
        sx, sy = self.size[0] / img.width, self.size[1] / img.height
        img = F.to_tensor(img.resize(self.size))
        rows = torch.tensor(self.ann[name], dtype=torch.float32)
        boxes = rows[:, :4] * torch.tensor([sx, sy, sx, sy])
        boxes = boxes.floor()          # integer pixels, as in the old Detectron export
        return img, {"boxes": boxes, "labels": rows[:, 4].long()}
'''

FRAMES_PREP = '''
import json, os
import numpy as np
from PIL import Image
os.makedirs("frames", exist_ok=True)
rng = np.random.default_rng(3)
ann = {}
for i in range(4):
    n = f"frame_{i * 25:05d}.jpg"
    Image.fromarray(rng.integers(0, 256, (270, 480, 3), dtype=np.uint8)).save("frames/" + n)
    rows = [[40 + 90 * k, 60 + 8 * k, 70 + 90 * k, 150 + 8 * k, 1] for k in range(3)]
    # the ball: 5 px wide in the 1080p annotation, here a quarter-size copy of the frame
    rows.append([201.3 + i, 120.2, 202.4 + i, 121.5, 2])
    ann[n] = [[float(v) for v in r] for r in rows]
json.dump(ann, open("frames/boxes.json", "w"))
'''

SCRIPTS["fasterrcnn-three-class-checkpoint-into-referee-model"] = '''
import torch
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn

CLASSES = ["__background__", "player", "ball", "referee"]      # referee added this week
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES))
ckpt = torch.load("checkpoints/frcnn_players_ball_ep24.pth", map_location="cpu")
model.load_state_dict(ckpt["model"])
print("resumed from epoch", ckpt["epoch"])
'''

CKPT_PREP = '''
import os, torch
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
os.makedirs("checkpoints", exist_ok=True)
m = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=3)
torch.save({"model": m.state_dict(), "epoch": 24}, "checkpoints/frcnn_players_ball_ep24.pth")
'''

SCRIPTS["fasterrcnn-validation-still-in-train-mode"] = FRCNN_DATA.replace("boxes.floor()", "boxes.round()") + '''
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn

ds = MatchFrames("frames")
collate = lambda b: tuple(zip(*b))
train_loader = torch.utils.data.DataLoader(ds, batch_size=2, collate_fn=collate)
val_loader = torch.utils.data.DataLoader(ds, batch_size=2, collate_fn=collate)
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=3)
opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
for epoch in range(1):
    model.train()
    for images, targets in train_loader:
        loss = sum(model(list(images), list(targets)).values())
        opt.zero_grad()
        loss.backward()
        opt.step()
    print("epoch", epoch, "train loss", round(loss.item(), 3))
    with torch.no_grad():
        for images, targets in val_loader:
            preds = model(list(images))
            print([len(p["boxes"]) for p in preds])
'''

FRAMES_OK_PREP = FRAMES_PREP.replace("rows.append([201.3 + i, 120.2, 202.4 + i, 121.5, 2])",
                                     "rows.append([201.3 + i, 120.2, 211.4 + i, 129.5, 2])")

# ================================================================== crop classifiers and regressors
CROPS_DS = '''
import glob
import os

import torch
from PIL import Image
from torchvision import transforms


class Crops(torch.utils.data.Dataset):
    def __init__(self, root, tf):
        self.classes = sorted(os.listdir(root))
        self.items = [(p, self.classes.index(c)) for c in self.classes for p in sorted(glob.glob(f"{root}/{c}/*"))]
        self.tf = tf

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        p, y = self.items[i]
        return self.tf(Image.open(p)), y
'''

SCRIPTS["jersey-99-with-99-classes"] = '''
import csv

import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torchvision import transforms

# jersey numbers 1..99 -> 99 classes (nobody wears 0)
rows = list(csv.DictReader(open("jerseys/labels.csv")))
tf = transforms.Compose([transforms.Resize((64, 32)), transforms.ToTensor()])
x = torch.stack([tf(Image.open("jerseys/" + r["crop"]).convert("RGB")) for r in rows])
y = torch.tensor([int(r["number"]) for r in rows])
model = torchvision.models.resnet18(num_classes=99)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(3):
    for i in range(0, len(x), 4):
        loss = nn.functional.cross_entropy(model(x[i:i + 4]), y[i:i + 4])
        opt.zero_grad()
        loss.backward()
        opt.step()
    print("epoch", epoch, loss.item())
'''

JERSEY_PREP = '''
import os
import numpy as np
from PIL import Image
os.makedirs("jerseys", exist_ok=True)
rng = np.random.default_rng(4)
nums = [7, 10, 23, 4, 11, 99, 8, 14]
with open("jerseys/labels.csv", "w") as f:
    f.write("crop,number,track_id\\n")
    for i, n in enumerate(nums):
        Image.fromarray(rng.integers(0, 256, (96, 48, 3), dtype=np.uint8)).save(f"jerseys/c{i:03d}.jpg")
        f.write(f"c{i:03d}.jpg,{n},{100 + i}\\n")
'''

SCRIPTS["team-crops-unresized-dataloader-workers"] = CROPS_DS + '''
import torchvision

# player crops straight out of the detector boxes: team_a / team_b / goalkeeper
tf = transforms.Compose([transforms.ColorJitter(0.2, 0.2), transforms.ToTensor()])
ds = Crops("team_crops", tf)
loader = torch.utils.data.DataLoader(ds, batch_size=4, shuffle=True, num_workers=2)
model = torchvision.models.mobilenet_v3_small(num_classes=len(ds.classes))
opt = torch.optim.Adam(model.parameters(), lr=3e-4)
for epoch in range(2):
    for x, y in loader:
        loss = torch.nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

SCRIPTS["grayscale-player-crops-into-resnet18"] = CROPS_DS + '''
import cv2
import torchvision

# crops were cut with cv2.imread(..., cv2.IMREAD_GRAYSCALE) to make the crop script faster
tf = transforms.Compose([transforms.Resize((128, 64)), transforms.ToTensor(),
                         transforms.Normalize([0.5], [0.5])])
ds = Crops("team_crops_gray", tf)
loader = torch.utils.data.DataLoader(ds, batch_size=4, shuffle=True)
model = torchvision.models.resnet18(num_classes=len(ds.classes))
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for x, y in loader:
    loss = torch.nn.functional.cross_entropy(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(loss.item())
'''

SCRIPTS["ball-visible-bce-targets-n"] = '''
import numpy as np
import torch
import torch.nn as nn

# is the ball visible in this 64x64 patch around the predicted position? (motion blur, occlusion)
data = np.load("ball_patches.npz")
x = torch.from_numpy(data["patches"]).float().permute(0, 3, 1, 2) / 255
y = torch.from_numpy(data["visible"]).float()
model = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1), nn.ReLU(), nn.Conv2d(16, 32, 3, 2, 1), nn.ReLU(),
                      nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 1))
loss_fn = nn.BCEWithLogitsLoss(pos_weight=torch.tensor([3.0]))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    perm = torch.randperm(len(x))
    for i in range(0, len(x), 8):
        idx = perm[i:i + 8]
        loss = loss_fn(model(x[idx]), y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

PATCH_PREP = '''
import numpy as np
rng = np.random.default_rng(7)
np.savez("ball_patches.npz", patches=rng.integers(0, 256, (24, 64, 64, 3), dtype=np.uint8),
         visible=(rng.random(24) > 0.7).astype(np.uint8))
'''

SCRIPTS["jersey-labels-loadtxt-floats"] = '''
import numpy as np
import torch
import torch.nn as nn

# digit crops (28x28 gray, the MNIST-style jersey-digit set) + labels.txt: one digit per line
x = torch.from_numpy(np.load("digits/crops.npy")).float().unsqueeze(1) / 255
y = torch.from_numpy(np.loadtxt("digits/labels.txt"))
model = nn.Sequential(nn.Flatten(), nn.Linear(28 * 28, 128), nn.ReLU(), nn.Linear(128, 10))
opt = torch.optim.SGD(model.parameters(), lr=0.05)
crit = nn.CrossEntropyLoss()
for epoch in range(3):
    for i in range(0, len(x), 16):
        out = model(x[i:i + 16])
        loss = crit(out, y[i:i + 16])
        opt.zero_grad()
        loss.backward()
        opt.step()
    print("epoch", epoch, loss.item())
'''

DIGITS_PREP = '''
import os
import numpy as np
os.makedirs("digits", exist_ok=True)
rng = np.random.default_rng(8)
np.save("digits/crops.npy", rng.integers(0, 256, (40, 28, 28), dtype=np.uint8))
np.savetxt("digits/labels.txt", rng.integers(0, 10, 40), fmt="%d")
'''

SCRIPTS["team-cnn-sized-for-64-fed-96x48-crops"] = CROPS_DS + '''
import torch.nn as nn
from tqdm import tqdm


class TeamNet(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                      nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        self.fc = nn.Linear(32 * 16 * 16, n)      # 64x64 crops

    def forward(self, x):
        return self.fc(self.features(x).flatten(1))


# players are tall: crops now resized to 96x48 (h x w) to keep the aspect ratio
ds = Crops("team_crops", transforms.Compose([transforms.Resize((96, 48)), transforms.ToTensor()]))
loader = torch.utils.data.DataLoader(ds, batch_size=4, shuffle=True)
model = TeamNet(len(ds.classes))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(2):
    for x, y in tqdm(loader, desc=f"epoch {epoch}"):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

SCRIPTS["ball-heatmap-stride4-vs-fullsize-target"] = '''
import numpy as np
import torch
import torch.nn as nn

# TrackNet-style ball heatmap: a Gaussian (sigma 2 px) at the annotated ball position of each frame
frames = torch.from_numpy(np.load("heat/frames.npy")).float().permute(0, 3, 1, 2) / 255   # N, 3, 128, 224
xy = np.load("heat/ball_xy.npy")
yy, xx = np.mgrid[0:128, 0:224]
target = torch.from_numpy(np.stack([np.exp(-((xx - x) ** 2 + (yy - y) ** 2) / 8.0) for x, y in xy])).float()[:, None]

model = nn.Sequential(nn.Conv2d(3, 32, 3, 2, 1), nn.ReLU(), nn.Conv2d(32, 64, 3, 2, 1), nn.ReLU(),
                      nn.Conv2d(64, 1, 1), nn.Sigmoid())
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for step in range(3):
    pred = model(frames)
    loss = nn.functional.mse_loss(pred, target)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(step, loss.item())
'''

HEAT_PREP = '''
import os
import numpy as np
os.makedirs("heat", exist_ok=True)
rng = np.random.default_rng(9)
np.save("heat/frames.npy", rng.integers(0, 256, (6, 128, 224, 3), dtype=np.uint8))
np.save("heat/ball_xy.npy", np.stack([rng.uniform(10, 214, 6), rng.uniform(10, 118, 6)], 1))
'''

CELLS["track-lstm-hidden-state-carried-across-clips-notebook"] = [
    '''import numpy as np
import torch
import torch.nn as nn

# per-track sequences of box features (cx, cy, w, h, speed) over 10-frame clips -> "pressing / not pressing"
feats = torch.from_numpy(np.load("tracks/clip_feats.npy")).float()     # clips, tracks, 10, 5
labels = torch.from_numpy(np.load("tracks/clip_labels.npy")).long()    # clips, tracks
feats.shape, labels.shape''',
    '''lstm = nn.LSTM(5, 32, batch_first=True)
head = nn.Linear(32, 2)
opt = torch.optim.Adam(list(lstm.parameters()) + list(head.parameters()), lr=1e-3)
state = None   # keep each track's memory from one clip to the next, the track ids carry over''',
    '''for clip in range(feats.shape[0]):
    out, state = lstm(feats[clip], state)
    loss = nn.functional.cross_entropy(head(out[:, -1]), labels[clip])
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(clip, round(loss.item(), 4))''',
]

TRACK_PREP = '''
import os
import numpy as np
os.makedirs("tracks", exist_ok=True)
rng = np.random.default_rng(11)
np.save("tracks/clip_feats.npy", rng.normal(size=(4, 22, 10, 5)).astype(np.float32))
np.save("tracks/clip_labels.npy", rng.integers(0, 2, (4, 22)))
'''

# ================================================================== frames and environment
SCRIPTS["median-background-float64-frames-memory-cap"] = '''
import resource

import cv2
import numpy as np

# the club laptop's container limit, reproduced here
vm = int(next(l for l in open("/proc/self/status") if l.startswith("VmSize")).split()[1]) * 1024
resource.setrlimit(resource.RLIMIT_AS, (vm + 600 * 2 ** 20, resource.RLIM_INFINITY))

# static-camera background for ball detection by subtraction: median of the frames of the first minute
cap = cv2.VideoCapture("wide_cam/first_half.avi")
frames = []
while True:
    ok, f = cap.read()
    if not ok:
        break
    frames.append(f.astype(np.float64) / 255.0)
print(len(frames), "frames of", frames[0].shape)
background = np.median(np.stack(frames), axis=0)
cv2.imwrite("wide_cam/background.png", (background * 255).astype(np.uint8))
'''

WIDE_PREP = '''
import os
import numpy as np, cv2
os.makedirs("wide_cam", exist_ok=True)
w = cv2.VideoWriter("wide_cam/first_half.avi", cv2.VideoWriter_fourcc(*"MJPG"), 25, (1280, 720))
f = np.zeros((720, 1280, 3), np.uint8); f[:, :, 1] = 120
for i in range(24):
    g = f.copy(); cv2.circle(g, (50 + 40 * i, 300), 4, (255, 255, 255), -1)
    w.write(g)
w.release()
'''

SCRIPTS["videocapture-in-dataset-spawn-workers"] = '''
import cv2
import torch
from torch.utils.data import DataLoader, Dataset


class ClipFrames(Dataset):
    """Random-access frames of one match video for the ball detector (decoded on the fly)."""
    def __init__(self, path, step=5):
        self.cap = cv2.VideoCapture(path)
        self.idx = list(range(0, int(self.cap.get(cv2.CAP_PROP_FRAME_COUNT)), step))

    def __len__(self):
        return len(self.idx)

    def __getitem__(self, i):
        self.cap.set(cv2.CAP_PROP_POS_FRAMES, self.idx[i])
        ok, frame = self.cap.read()
        frame = cv2.resize(frame, (320, 192))
        return torch.from_numpy(frame).permute(2, 0, 1).float() / 255


if __name__ == "__main__":
    ds = ClipFrames("highlights/derby_2nd_half.avi", step=1)
    # 'spawn' is what the MacBook uses anyway; set here so the Linux box behaves the same
    loader = DataLoader(ds, batch_size=2, num_workers=2, multiprocessing_context="spawn")
    for batch in loader:
        print(batch.shape)
'''

CELLS["colab-cuda-calls-on-cpu-laptop-notebook"] = [
    '''import torch
import torchvision
from torchvision import transforms
from torchvision.datasets import ImageFolder

# copied from the Colab notebook the club shares
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
ds = ImageFolder("team_crops_rgb", transform=tf)
loader = torch.utils.data.DataLoader(ds, batch_size=4, shuffle=True)
len(ds), ds.classes''',
    '''model = torchvision.models.resnet18(num_classes=len(ds.classes)).cuda()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)''',
    '''for x, y in loader:
    x, y = x.cuda(), y.cuda()
    loss = torch.nn.functional.cross_entropy(model(x), y)
    opt.zero_grad(); loss.backward(); opt.step()
loss.item()''',
]


def team_crops(root, mode="RGB"):
    specs = []
    for ci, c in enumerate(("goalkeeper", "team_a", "team_b")):
        for i in range(4):
            specs.append((f"{root}/{c}/{c}_{i:03d}.jpg", (28 + 6 * i + ci, 60 + 9 * i), mode))
    return imgs(specs)


def cases():
    out, add, script, notebook = case_builders("torch-more87-", SCRIPTS, CELLS)
    P = ("cpython_basic", "progress_bars")
    W = ("cpython_basic", "dataloader_worker")
    tiny = save_tiny('["player", "ball"]', 2, MF["PT"], MF["JS"])

    # ---- ImageAI trainers
    script("cvat-xml-ball-leaving-frame-negative-center", "data.bbox_invalid", framework="imageai",
           argv="cvat_to_imageai_train.py", timeout=400,
           setup=both(yolo_layout("match_frames", None, size=(160, 120), write_labels=False), prep(CVAT_PREP)))
    script("tracking-export-sixth-track-id-column", "data.bbox_invalid", also=["data.label_shape"],
           framework="imageai", argv="train_from_tracks.py", timeout=400,
           setup=both(yolo_layout("clip_frames", None, size=(160, 120), write_labels=False), prep(TRACKS_PREP)))
    script("ball-only-yolov3-fixed-size-tracker-boxes", "data.too_few_boxes", framework="imageai",
           argv="train_ball.py", timeout=400, setup=yolo_layout("ball_frames", ball_rows, size=(160, 90)))

    # ---- ImageAI detection
    script("video-loop-isopened-end-of-video-none-frame", "data.missing_or_corrupt", also=["model.api_misuse"],
           framework="imageai", argv="count_players.py", setup=both(tiny, prep(VIDEO_PREP)))
    script("tiny-checkpoint-loaded-as-yolov3", "model.weights_mismatch", also=["model.api_misuse"],
           framework="imageai", argv="detect_frame.py",
           setup=both(tiny, imgs([("frames/corner_kick_0042.jpg", (480, 270), "RGB")])))

    # ---- torchvision detectors
    script("fasterrcnn-three-class-checkpoint-into-referee-model", "model.weights_mismatch", argv="resume.py",
           setup=prep(CKPT_PREP))
    script("fasterrcnn-validation-still-in-train-mode", "model.api_misuse", argv="train_frcnn.py",
           setup=prep(FRAMES_OK_PREP))

    # ---- crop classifiers and regressors
    script("jersey-99-with-99-classes", "data.label_out_of_range", also=["model.output_mismatch"],
           argv="train_jersey.py", setup=prep(JERSEY_PREP))
    script("team-crops-unresized-dataloader-workers", "data.image_size_mismatch", forms=W,
           argv="train_team.py", setup=team_crops("team_crops"))
    script("grayscale-player-crops-into-resnet18", "data.image_channels", argv="train_team.py",
           setup=team_crops("team_crops_gray", "L"))
    script("ball-visible-bce-targets-n", "data.label_shape", argv="train_visible.py", setup=prep(PATCH_PREP))
    script("jersey-labels-loadtxt-floats", "data.dtype", argv="train_digits.py", setup=prep(DIGITS_PREP))
    script("team-cnn-sized-for-64-fed-96x48-crops", "model.input_shape", forms=P, argv="train_team.py",
           setup=team_crops("team_crops"))
    script("ball-heatmap-stride4-vs-fullsize-target", "model.output_mismatch", also=["data.label_shape"],
           argv="train_heatmap.py", setup=prep(HEAT_PREP))
    notebook("track-lstm-hidden-state-carried-across-clips-notebook", "optim.autograd_graph",
             setup=prep(TRACK_PREP))

    # ---- frames and environment
    script("median-background-float64-frames-memory-cap", "resource.host_memory", argv="background.py",
           setup=prep(WIDE_PREP))
    script("videocapture-in-dataset-spawn-workers", "env.multiprocessing", argv="frames_loader.py",
           setup=prep(VIDEO_PREP))
    notebook("colab-cuda-calls-on-cpu-laptop-notebook", "env.cuda_setup",
             setup=team_crops("team_crops_rgb"))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
