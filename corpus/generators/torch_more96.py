"""A ninety-sixth held-out set (g181, scored 1.00 top-1 and 1.00 top-3 before any rule for it) of PyTorch / torchvision / ImageAI 3 failures, untargeted across the taxonomy.

The persona: amateur and club sports analysts (football, basketball, tennis) working from match video on their own
laptops and the club's one gaming PC -- player / ball / court detectors with ImageAI 3.0.3 and torchvision
Faster R-CNN, jersey-number and kit classifiers on player crops, pose-keypoint sequences (COCO-17 / MediaPipe
exports) and frame clips for stroke and action recognition (``r3d_18``, small GRUs and ``Conv3d`` nets),
highlight-frame classifiers trained from tagging-tool CSVs, ball-trajectory regressors, frames exported with
ffmpeg or screenshotted from streams; training scripts and notebooks written by themselves. About a third of the
cases use ImageAI 3. A natural mix of causes, each program built so that its cause is known by construction and made
to fail inside torch, torchvision, ImageAI, PIL, NumPy or multiprocessing:

- frames and clips: rallies cut into 16-frame clips whose last clip per rally comes out short (workers,
  data.image_size_mismatch); stream screenshots saved as RGBA PNG into a ResNet (notebook, data.image_channels); an
  ffmpeg export killed when the disk filled, leaving a truncated last frame (tqdm, data.missing_or_corrupt);
- labels: the ball clicked as a point in the annotation tool, so its Faster R-CNN box has zero size
  (data.bbox_invalid); the tagging sheet's ``-1`` for frames nobody reviewed (tqdm, data.label_out_of_range);
  per-frame stroke labels from the tagging tool against one logit vector per clip (data.label_shape); MediaPipe
  keypoint JSON turned into float64 arrays for a GRU (data.dtype);
- models: uint8 clips permuted to ``[T, C, H, W]`` for ``r3d_18`` (model.input_shape); a two-logit goal / no-goal
  head under ``BCEWithLogitsLoss`` (model.output_mismatch); a COCO-17 stroke GRU checkpoint loaded after switching
  to MediaPipe's 33 landmarks (notebook, model.weights_mismatch); ``torchvision.io.read_image`` tensors through
  ``ToTensor`` (model.api_misuse);
- optimisation: a shot-type ResNet whose new head is frozen with the backbone (optim.autograd_graph); a serve
  landing regressor on raw pixel tracks whose hard-example sampler meets NaN errors (optim.divergence);
- resource / environment: a whole match decoded into one preallocated float32 tensor (resource.host_memory); a
  jersey checkpoint saved on the club's GPU PC loaded on a laptop without ``map_location`` (env.cuda_setup); a
  training script without a main guard under spawn workers, as on the club's Windows laptop
  (env.multiprocessing);
- ImageAI 3: the detection trainer on YOLO labels exported in absolute pixels (data.bbox_invalid), with
  ``batch_size=1`` so its validation loader gets ``batch_size=0`` (model.api_misuse), on a tennis-court set that
  trains and then reaches NumPy 2's missing ``np.trapz`` in validation (env.version_incompat); the highlight
  classifier trainer whose ``test`` folder has a class ``train`` lacks (data.label_out_of_range); the kit
  classifier asked for a top-5 of three classes (notebook, model.api_misuse); a greyscale tactical-camera frame
  given to ``detectObjectsFromImage`` (data.image_channels); ``detectObjectsFromVideo`` without ``loadModel()``
  (model.api_misuse).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None: model files are
ones an earlier run left on disk).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more96.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


from _record import (Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders,  # noqa: E402,F401
                     yolo_layout, save_tiny, save_cls)
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more96.py"

SCRIPTS = {}
CELLS = {}

# ------------------------------------------------------------------ rally clips (tennis)
RALLY_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(5)
rows = []
for r, (n, label) in enumerate([(37, 0), (48, 1), (29, 2), (52, 0), (41, 1), (33, 2), (45, 0), (26, 1)]):
    d = f"rallies/rally_{r:03d}"
    os.makedirs(d, exist_ok=True)
    for t in range(n):
        Image.fromarray(rng.integers(0, 255, (64, 64, 3), dtype=np.uint8)).save(f"{d}/frame_{t:04d}.jpg")
    rows.append((f"rally_{r:03d}", label))
with open("rallies/rallies.csv", "w", newline="") as f:
    csv.writer(f).writerows([("rally", "label")] + rows)
'''

SCRIPTS["rally-clips-last-clip-short-workers"] = '''
import csv
import glob

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms

CLIP = 16
OUTCOMES = ["winner", "forced_error", "unforced_error"]


class RallyClips(Dataset):
    """every rally cut into consecutive 16-frame clips, each labelled with the rally outcome"""

    def __init__(self, root):
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
        self.clips = []
        for r in csv.DictReader(open(f"{root}/rallies.csv")):
            frames = sorted(glob.glob(f"{root}/{r['rally']}/*.jpg"))
            for s in range(0, len(frames), CLIP):
                self.clips.append((frames[s:s + CLIP], int(r["label"])))

    def __len__(self):
        return len(self.clips)

    def __getitem__(self, i):
        paths, y = self.clips[i]
        clip = torch.stack([self.tf(Image.open(p).convert("RGB")) for p in paths], dim=1)   # C, T, H, W
        return clip, y


class Tiny3D(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.features = nn.Sequential(nn.Conv3d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool3d(2),
                                      nn.Conv3d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool3d(1))
        self.head = nn.Linear(32, n)

    def forward(self, x):
        return self.head(self.features(x).flatten(1))


if __name__ == "__main__":
    torch.manual_seed(0)
    ds = RallyClips("rallies")
    print(f"{len(ds)} clips")
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2)
    model = Tiny3D(len(OUTCOMES))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(10):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"epoch {epoch} loss {loss.item():.3f}")
'''

# ------------------------------------------------------------------ stream screenshots (RGBA PNG)
SCREEN_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(8)
os.makedirs("screens", exist_ok=True)
rows = []
for i in range(8):
    rgba = rng.integers(0, 255, (90, 160, 4), dtype=np.uint8)
    rgba[..., 3] = 255
    rgba[:8, :, 3] = 0                            # the player's transparent top bar
    name = f"Screenshot 2024-03-{10 + i:02d} 21{i:02d}17.png"
    Image.fromarray(rgba, "RGBA").save(f"screens/{name}")
    rows.append((name, i % 2))
with open("screens/labels.csv", "w", newline="") as f:
    csv.writer(f).writerows([("file", "highlight")] + rows)
'''

CELLS["stream-screenshots-rgba-highlight-resnet-notebook"] = [
    '''import csv
import torch
import torch.nn as nn
from PIL import Image
from torchvision import models, transforms

rows = list(csv.DictReader(open("screens/labels.csv")))
tf = transforms.Compose([transforms.Resize((112, 112)), transforms.ToTensor()])
len(rows)''',
    '''x = torch.stack([tf(Image.open(f"screens/{r['file']}")) for r in rows])
y = torch.tensor([int(r["highlight"]) for r in rows])
x.shape, y''',
    '''model = models.resnet18(weights=None, num_classes=2)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for step in range(20):
    loss = nn.functional.cross_entropy(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
loss.item()''',
]

# ------------------------------------------------------------------ tagged highlight frames (football)
TAGS = ["goal", "shot", "save", "foul", "corner"]

FRAMES_PREP = '''
import csv, io, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(3)
rows = []
TRUNC = @@TRUNC@@
for m in range(2):
    d = f"frames/matchday_{m + 12:02d}"
    os.makedirs(d, exist_ok=True)
    for i in range(@@N@@):
        name = f"{d}/frame_{i * 250:06d}.jpg"
        img = Image.fromarray(rng.integers(0, 255, (72, 128, 3), dtype=np.uint8))
        if (m, i) in TRUNC:
            buf = io.BytesIO()
            img.save(buf, format="JPEG", quality=90)
            open(name, "wb").write(buf.getvalue()[: len(buf.getvalue()) // 3])   # ffmpeg killed mid-write
        else:
            img.save(name)
        reviewed = @@ALL_REVIEWED@@ or i % 5 != 3
        tag = int(rng.integers(0, 5)) if reviewed else -1                      # -1 = nobody reviewed it yet
        rows.append((f"matchday_{m + 12:02d}", name, f"{i * 10.0:.1f}", tag))
with open("frames/tags.csv", "w", newline="") as f:
    csv.writer(f).writerows([("match", "file", "match_time_s", "tag_id")] + rows)
'''


def frames(n=12, trunc="set()", all_reviewed=True):
    return prep(sub(FRAMES_PREP, N=str(n), TRUNC=trunc, ALL_REVIEWED=str(all_reviewed)))


SCRIPTS["highlight-tags-unreviewed-minus-one-tqdm"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import models, transforms
from tqdm import tqdm

TAGS = @@TAGS@@


class TaggedFrames(Dataset):
    def __init__(self, csv_path):
        self.rows = list(csv.DictReader(open(csv_path)))
        self.tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return self.tf(Image.open(r["file"]).convert("RGB")), int(r["tag_id"])


model = models.resnet18(weights=None, num_classes=len(TAGS))
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
loader = DataLoader(TaggedFrames("frames/tags.csv"), batch_size=8, shuffle=True)
for epoch in range(15):
    for x, y in tqdm(loader, desc=f"epoch {epoch + 1}", unit="batch"):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''.replace("@@TAGS@@", repr(TAGS))

SCRIPTS["ffmpeg-export-killed-truncated-frame-tqdm"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import models, transforms
from tqdm import tqdm

TAGS = @@TAGS@@


class TaggedFrames(Dataset):
    def __init__(self, csv_path):
        self.rows = list(csv.DictReader(open(csv_path)))
        self.tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return self.tf(Image.open(r["file"]).convert("RGB")), int(r["tag_id"])


model = models.mobilenet_v3_small(weights=None, num_classes=len(TAGS))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loader = DataLoader(TaggedFrames("frames/tags.csv"), batch_size=8, shuffle=False)
for epoch in range(10):
    model.train()
    for x, y in tqdm(loader, desc=f"epoch {epoch + 1}/10"):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''.replace("@@TAGS@@", repr(TAGS))

SCRIPTS["goal-highlight-two-logits-bce"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import models, transforms


class GoalFrames(Dataset):
    """goal vs everything else, from the tagging sheet"""

    def __init__(self, csv_path):
        self.rows = list(csv.DictReader(open(csv_path)))
        self.tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return self.tf(Image.open(r["file"]).convert("RGB")), float(r["tag_id"] == "0")


model = models.resnet18(weights=None, num_classes=2)          # goal / no goal
criterion = nn.BCEWithLogitsLoss(pos_weight=torch.tensor(4.0))   # goals are rare
opt = torch.optim.Adam(model.parameters(), lr=3e-4)
for epoch in range(10):
    for x, y in DataLoader(GoalFrames("frames/tags.csv"), batch_size=8, shuffle=True):
        loss = criterion(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

# ------------------------------------------------------------------ ball as a point (Faster R-CNN)
BALL_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(4)
os.makedirs("annotated", exist_ok=True)
rows = []
for i in range(4):
    name = f"annotated/frame_{i:03d}.jpg"
    Image.fromarray(rng.integers(0, 255, (180, 320, 3), dtype=np.uint8)).save(name)
    for p in range(3):                                           # players: dragged boxes
        x, y = 30 + 90 * p + 5 * i, 60 + 7 * i
        rows.append((name, "player", x, y, x + 22, y + 55))
    bx, by = 150 + 12 * i, 120 - 9 * i                           # ball: one click in the tool
    rows.append((name, "ball", bx, by, bx, by))
with open("annotated/boxes.csv", "w", newline="") as f:
    csv.writer(f).writerows([("image", "label", "xmin", "ymin", "xmax", "ymax")] + rows)
'''

SCRIPTS["fasterrcnn-ball-clicked-as-point-zero-size-box"] = '''
import csv
from collections import defaultdict

import torch
from PIL import Image
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as TF

CLASSES = {"player": 1, "ball": 2}
per_image = defaultdict(list)
for r in csv.DictReader(open("annotated/boxes.csv")):
    per_image[r["image"]].append(r)

model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=3)
model.train()
opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9, weight_decay=1e-4)
for epoch in range(10):
    for path, rows in per_image.items():
        img = TF.to_tensor(Image.open(path).convert("RGB"))
        target = {
            "boxes": torch.tensor([[float(r[k]) for k in ("xmin", "ymin", "xmax", "ymax")] for r in rows]),
            "labels": torch.tensor([CLASSES[r["label"]] for r in rows]),
        }
        losses = model([img], [target])
        loss = sum(losses.values())
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, {k: round(v.item(), 3) for k, v in losses.items()})
'''

# ------------------------------------------------------------------ pose sequences
STROKES = ["forehand", "backhand", "serve", "volley"]

POSE_PREP = '''
import json, os
import numpy as np

rng = np.random.default_rng(6)
os.makedirs("pose", exist_ok=True)
labels = {}
for c in range(10):
    np.save(f"pose/clip_{c:03d}.npy", rng.random((16, 17, 2), dtype=np.float32))    # T x COCO-17 x (x, y)
    # the tagging tool writes one stroke label per frame (0 = no stroke yet)
    start = int(rng.integers(2, 8))
    labels[f"clip_{c:03d}"] = [0] * start + [1 + c % 3] * (16 - start)
json.dump(labels, open("pose/frame_labels.json", "w"))
'''

SCRIPTS["stroke-clips-per-frame-labels-vs-clip-logits"] = '''
import json

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import Dataset, DataLoader

STROKES = ["none", "forehand", "backhand", "serve"]


class StrokeClips(Dataset):
    def __init__(self, root):
        self.root = root
        self.labels = json.load(open(f"{root}/frame_labels.json"))
        self.ids = sorted(self.labels)

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        cid = self.ids[i]
        kp = torch.from_numpy(np.load(f"{self.root}/{cid}.npy")).flatten(1)        # T x 34
        return kp, torch.tensor(self.labels[cid])


class StrokeGRU(nn.Module):
    def __init__(self, n_in=34, n_cls=len(STROKES)):
        super().__init__()
        self.gru = nn.GRU(n_in, 64, batch_first=True)
        self.head = nn.Linear(64, n_cls)

    def forward(self, x):
        _, h = self.gru(x)
        return self.head(h[-1])


model = StrokeGRU()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(30):
    for kp, y in DataLoader(StrokeClips("pose"), batch_size=4, shuffle=True):
        loss = nn.functional.cross_entropy(model(kp), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, round(loss.item(), 4))
'''

MEDIAPIPE_PREP = '''
import json, os
import numpy as np

rng = np.random.default_rng(2)
os.makedirs("mediapipe", exist_ok=True)
for c in range(8):
    frames = [{"frame": t, "landmarks": [{"x": float(rng.random()), "y": float(rng.random()),
                                          "z": float(rng.normal(0, 0.1)), "visibility": float(rng.random())}
                                         for _ in range(33)]} for t in range(20)]
    json.dump({"video": f"serve_{c:02d}.mp4", "stroke": ["serve", "forehand", "backhand"][c % 3],
               "frames": frames}, open(f"mediapipe/serve_{c:02d}.json", "w"))
'''

SCRIPTS["mediapipe-json-keypoints-float64-gru"] = '''
import glob
import json

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import Dataset, DataLoader

STROKES = ["serve", "forehand", "backhand"]


class MediaPipeClips(Dataset):
    def __init__(self, pattern):
        self.files = sorted(glob.glob(pattern))

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        d = json.load(open(self.files[i]))
        kp = np.array([[(lm["x"], lm["y"]) for lm in f["landmarks"]] for f in d["frames"]])   # T x 33 x 2
        kp = kp - kp[:, [23, 24]].mean(1, keepdims=True)          # centre on the hips
        return torch.from_numpy(kp.reshape(len(kp), -1)), STROKES.index(d["stroke"])


gru = nn.GRU(66, 96, batch_first=True)
head = nn.Linear(96, len(STROKES))
opt = torch.optim.Adam(list(gru.parameters()) + list(head.parameters()), lr=1e-3)
for epoch in range(20):
    for kp, y in DataLoader(MediaPipeClips("mediapipe/*.json"), batch_size=4, shuffle=True):
        _, h = gru(kp)
        loss = nn.functional.cross_entropy(head(h[-1]), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

POSE_CKPT_PREP = '''
import os
import torch
import torch.nn as nn

os.makedirs("models", exist_ok=True)


class StrokeGRU(nn.Module):
    def __init__(self, n_in, n_cls=4):
        super().__init__()
        self.gru = nn.GRU(n_in, 128, num_layers=2, batch_first=True, dropout=0.2)
        self.head = nn.Linear(128, n_cls)


torch.manual_seed(0)
torch.save(StrokeGRU(17 * 2).state_dict(), "models/stroke_gru_coco17_ep40.pt")    # trained on COCO-17 keypoints
'''

CELLS["stroke-gru-coco17-checkpoint-mediapipe33-notebook"] = [
    '''import torch
import torch.nn as nn

STROKES = ["forehand", "backhand", "serve", "volley"]
N_KPTS = 33            # switched the pose extractor to MediaPipe Pose


class StrokeGRU(nn.Module):
    def __init__(self, n_in, n_cls=len(STROKES)):
        super().__init__()
        self.gru = nn.GRU(n_in, 128, num_layers=2, batch_first=True, dropout=0.2)
        self.head = nn.Linear(128, n_cls)

    def forward(self, x):
        _, h = self.gru(x)
        return self.head(h[-1])''',
    '''model = StrokeGRU(N_KPTS * 2)
model.load_state_dict(torch.load("models/stroke_gru_coco17_ep40.pt"))
model.eval()''',
]

# ------------------------------------------------------------------ clips for r3d_18
CLIPS_PREP = '''
import csv, os
import numpy as np

rng = np.random.default_rng(1)
os.makedirs("clips", exist_ok=True)
rows = []
for c in range(8):
    np.save(f"clips/clip_{c:03d}.npy", rng.integers(0, 255, (16, 64, 64, 3), dtype=np.uint8))   # T, H, W, C
    rows.append((f"clip_{c:03d}.npy", ["layup", "jump_shot", "dunk", "free_throw"][c % 4]))
with open("clips/clips.csv", "w", newline="") as f:
    csv.writer(f).writerows([("clip", "action")] + rows)
'''

SCRIPTS["r3d18-clips-permuted-time-first"] = '''
import csv

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import Dataset, DataLoader
from torchvision.models.video import r3d_18

ACTIONS = ["layup", "jump_shot", "dunk", "free_throw"]


class ShotClips(Dataset):
    def __init__(self, root):
        self.root = root
        self.rows = list(csv.DictReader(open(f"{root}/clips.csv")))

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        clip = torch.from_numpy(np.load(f"{self.root}/{r['clip']}"))          # T, H, W, C uint8
        clip = clip.permute(0, 3, 1, 2).float() / 255.0                       # channels first
        return clip, ACTIONS.index(r["action"])


model = r3d_18(weights=None, num_classes=len(ACTIONS))
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for epoch in range(5):
    for x, y in DataLoader(ShotClips("clips"), batch_size=2, shuffle=True):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

# ------------------------------------------------------------------ jersey crops
JERSEY_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(10)
os.makedirs("jersey_crops", exist_ok=True)
rows = []
for i in range(12):
    name = f"jersey_crops/p{i:03d}_n{(i * 7) % 24 + 1}.png"
    Image.fromarray(rng.integers(0, 255, (48 + i, 32, 3), dtype=np.uint8)).save(name)
    rows.append((name, (i * 7) % 24 + 1))
with open("jersey_crops/numbers.csv", "w", newline="") as f:
    csv.writer(f).writerows([("crop", "number")] + rows)
'''

SCRIPTS["jersey-read-image-tensor-through-totensor"] = '''
import csv

import torch
import torch.nn as nn
from torch.utils.data import Dataset, DataLoader
from torchvision import models, transforms
from torchvision.io import read_image, ImageReadMode


class JerseyCrops(Dataset):
    def __init__(self, csv_path):
        self.rows = list(csv.DictReader(open(csv_path)))
        self.tf = transforms.Compose([
            transforms.ToTensor(),
            transforms.Resize((64, 32), antialias=True),
            transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
        ])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        img = read_image(r["crop"], mode=ImageReadMode.RGB)       # faster than PIL, per the forum
        return self.tf(img), int(r["number"])


model = models.mobilenet_v3_small(weights=None, num_classes=100)   # numbers 0..99
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(20):
    for x, y in DataLoader(JerseyCrops("jersey_crops/numbers.csv"), batch_size=4, shuffle=True):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

JERSEY_GPU_CKPT = '''
import os
import torch
import torch.serialization
from torchvision import models

# the checkpoint as the club's GPU PC wrote it: every tensor tagged with its CUDA device
os.makedirs("checkpoints", exist_ok=True)
torch.manual_seed(0)
model = models.mobilenet_v3_small(weights=None, num_classes=100)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
torch.serialization.location_tag = lambda storage: "cuda:0"
torch.save({"epoch": 37, "model": model.state_dict(), "optimizer": opt.state_dict(), "val_acc": 0.914},
           "checkpoints/jersey_mnv3_best.pt")
'''

SCRIPTS["jersey-gpu-checkpoint-laptop-no-map-location"] = '''
import csv

import torch
from PIL import Image
from torchvision import models, transforms

model = models.mobilenet_v3_small(weights=None, num_classes=100)
ckpt = torch.load("checkpoints/jersey_mnv3_best.pt")
model.load_state_dict(ckpt["model"])
model.eval()
print(f"loaded epoch {ckpt['epoch']} (val acc {ckpt['val_acc']:.3f})")

tf = transforms.Compose([transforms.Resize((64, 32)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
for r in csv.DictReader(open("jersey_crops/numbers.csv")):
    with torch.no_grad():
        pred = model(tf(Image.open(r["crop"]).convert("RGB")).unsqueeze(0)).argmax(1).item()
    print(r["crop"], pred, r["number"])
'''

# ------------------------------------------------------------------ shot-type fine-tuning (tennis)
RESNET_FILE = '''
import os
import torch
from torchvision import models
os.makedirs("weights", exist_ok=True)
torch.manual_seed(0)
torch.save(models.resnet18(weights=None).state_dict(), "weights/resnet18-f37072fd.pth")
'''

SCRIPTS["shot-type-resnet-head-frozen-with-backbone"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((112, 112)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
train = datasets.ImageFolder("shots/train", tf)
print(train.class_to_idx)

model = models.resnet18(weights=None)
model.load_state_dict(torch.load("weights/resnet18-f37072fd.pth"))     # ImageNet weights, downloaded once
model.fc = nn.Linear(model.fc.in_features, len(train.classes))

# feature extraction: keep the ImageNet backbone fixed
for param in model.parameters():
    param.requires_grad = False

opt = torch.optim.SGD(model.fc.parameters(), lr=0.01, momentum=0.9)
for epoch in range(10):
    for x, y in DataLoader(train, batch_size=8, shuffle=True):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

# ------------------------------------------------------------------ serve landing regression (tennis)
SERVES_PREP = '''
import csv
import numpy as np

rng = np.random.default_rng(3)
rows = []
for i in range(200):
    x0, y0 = rng.uniform(200, 1700), rng.uniform(150, 500)
    vx, vy = rng.uniform(-25, 25), rng.uniform(15, 40)
    pts = [(x0 + vx * t, y0 + vy * t + 0.8 * t * t) for t in range(10)]       # ball track in broadcast pixels
    land = (rng.uniform(-4.1, 4.1), rng.uniform(0, 6.4))                       # landing point in the box, metres
    rows.append([f"serve_{i:04d}"] + [f"{v:.1f}" for p in pts for v in p] + [f"{land[0]:.2f}", f"{land[1]:.2f}"])
with open("serves.csv", "w", newline="") as f:
    csv.writer(f).writerows([["serve_id"] + [f"{a}{t}" for t in range(10) for a in "xy"]
                             + ["land_x_m", "land_y_m"]] + rows)
'''

SCRIPTS["serve-landing-raw-pixel-tracks-hard-example-sampler"] = '''
import csv

import torch
import torch.nn as nn

torch.manual_seed(0)
rows = list(csv.DictReader(open("serves.csv")))
X = torch.tensor([[float(r[f"{a}{t}"]) for t in range(10) for a in "xy"] for r in rows])     # ball track, pixels
Y = torch.tensor([[float(r["land_x_m"]), float(r["land_y_m"])] for r in rows])                # landing, metres
print(f"{len(X)} serves, track range {X.min().item():.0f}..{X.max().item():.0f} px")

model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 2))
opt = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
idx = torch.randperm(len(X))[:64]
for epoch in range(50):
    for step in range(10):
        loss = nn.functional.mse_loss(model(X[idx]), Y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(f"  epoch {epoch} step {step} mse {loss.item():.4g}")
    with torch.no_grad():
        err = (model(X) - Y).pow(2).sum(1)
    print(f"epoch {epoch}: mean landing error {err.mean().sqrt().item():.2f} m")
    # hard-example mining: the next epoch trains on the serves it gets most wrong
    idx = torch.multinomial(err, 64, replacement=True)
'''

# ------------------------------------------------------------------ whole match in memory
FFPROBE_PREP = '''
import json, os
os.makedirs("matches", exist_ok=True)
json.dump({"streams": [{"index": 0, "codec_name": "h264", "codec_type": "video", "width": 1280, "height": 720,
                        "r_frame_rate": "25/1", "avg_frame_rate": "25/1", "duration": "5520.040000",
                        "nb_frames": "138001"},
                       {"index": 1, "codec_name": "aac", "codec_type": "audio", "sample_rate": "48000"}],
           "format": {"filename": "matches/2024-04-13_fc_home_vs_sv_away.mp4", "format_name": "mov,mp4,m4a,3gp,3g2,mj2",
                      "duration": "5520.040000", "size": "2874931522"}},
          open("matches/2024-04-13_fc_home_vs_sv_away.ffprobe.json", "w"), indent=1)
'''

SCRIPTS["whole-match-frames-preallocated-float32"] = '''
import json

import torch

meta = json.load(open("matches/2024-04-13_fc_home_vs_sv_away.ffprobe.json"))
video = next(s for s in meta["streams"] if s["codec_type"] == "video")
n = int(video["nb_frames"])
H, W = 360, 640                      # half resolution is enough for the ball
print(f"{meta['format']['filename']}: {n} frames at {video['r_frame_rate']} fps, {video['width']}x{video['height']}")

# decode once, keep every frame in memory so the ball tracker can seek back and forth
frames = torch.empty((n, 3, H, W), dtype=torch.float32)
print("buffer ready", tuple(frames.shape))
'''

# ------------------------------------------------------------------ Windows laptop, no main guard
SCRIPTS["club-laptop-no-main-guard-spawn-workers"] = '''
import glob

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms

KITS = ["home", "away", "goalkeeper", "referee"]


class KitCrops(Dataset):
    def __init__(self, root):
        self.items = [(p, k) for k, kit in enumerate(KITS) for p in sorted(glob.glob(f"{root}/{kit}/*.jpg"))]
        self.tf = transforms.Compose([transforms.Resize((64, 32)), transforms.ToTensor()])

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        p, k = self.items[i]
        return self.tf(Image.open(p).convert("RGB")), k


# same script as on the club's Windows laptop, where DataLoader workers are spawned
loader = DataLoader(KitCrops("kit_crops"), batch_size=8, shuffle=True, num_workers=2,
                    multiprocessing_context="spawn")
model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                      nn.Linear(32, len(KITS)))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
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
trainer.setTrainConfig(object_names_array=@@NAMES@@, batch_size=@@BS@@, num_experiments=@@EPOCHS@@)
trainer.trainModel()
'''

SCRIPTS["imageai-trainer-labels-in-absolute-pixels"] = sub(
    DET_TRAIN, DIR="u12_match", NAMES='["player", "ball"]', BS="4", EPOCHS="40").replace(
    "trainer = Det", "# labels from the club's annotation tool, 'YOLO' export\ntrainer = Det")
SCRIPTS["imageai-trainer-batch-size-1-validation-loader"] = sub(
    DET_TRAIN, DIR="u12_match", NAMES='["player", "ball"]', BS="1", EPOCHS="40").replace(
    "trainer = Det", "# batch_size=1: the laptop only has 8 GB\ntrainer = Det")
SCRIPTS["imageai-court-detector-validation-numpy2-trapz"] = sub(
    DET_TRAIN, DIR="tennis_court", NAMES='["court"]', BS="4", EPOCHS="5")

SCRIPTS["imageai-highlight-trainer-test-has-extra-class"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("highlights")
trainer.trainModel(num_experiments=10, batch_size=4)
'''

CELLS["imageai-kit-classifier-top5-of-three-classes-notebook"] = [
    '''import glob
from imageai.Classification.Custom import CustomImageClassification

clf = CustomImageClassification()
clf.setModelTypeAsMobileNetV2()
clf.setModelPath("kits/models/mobilenet_v2-kits-test_acc_0.93750_epoch-17.pt")
clf.setJsonPath("kits/models/kits_model_classes.json")
clf.loadModel()''',
    '''for path in sorted(glob.glob("crops_today/*.jpg")):
    names, probs = clf.classifyImage(path, result_count=5)
    print(path, list(zip(names, probs)))''',
]

MF = {"PT": "u12_match/models/tiny-yolov3_u12_match_mAP-0.38122_epoch-36.pt",
      "JS": "u12_match/json/u12_match_tiny-yolov3_detection_config.json"}

SCRIPTS["imageai-detect-greyscale-tactical-camera-frame"] = sub('''
import glob

import numpy as np
from PIL import Image
from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("@@PT@@")
detector.setJsonPath("@@JS@@")
detector.loadModel()

# frames of the training-ground tactical camera (wide angle, mono sensor)
for path in sorted(glob.glob("tactical_cam/*.png")):
    frame = np.array(Image.open(path))
    _, detections = detector.detectObjectsFromImage(input_image=frame, output_type="array",
                                                    minimum_percentage_probability=30)
    print(path, sum(d["name"] == "player" for d in detections), "players")
''', **MF)

VIDEO_PREP = '''
import os
import numpy as np, cv2
os.makedirs("clips", exist_ok=True)
w = cv2.VideoWriter("clips/u12_cup_final_2nd_half.avi", cv2.VideoWriter_fourcc(*"MJPG"), 25, (320, 180))
for i in range(4):
    f = np.zeros((180, 320, 3), np.uint8); f[:, :, 1] = 120
    cv2.circle(f, (60 + 40 * i, 100), 4, (255, 255, 255), -1)
    w.write(f)
w.release()
'''

SCRIPTS["imageai-video-detection-without-loadmodel"] = sub('''
from imageai.Detection.Custom import CustomVideoObjectDetection


def count_players(frame_number, objects, counts):
    print(f"frame {frame_number}: {counts.get('player', 0)} players, ball {'ball' in counts}")


detector = CustomVideoObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("@@PT@@")
detector.setJsonPath("@@JS@@")

detector.detectObjectsFromVideo(input_file_path="clips/u12_cup_final_2nd_half.avi",
                                output_file_path="clips/u12_cup_final_2nd_half_detected",
                                frames_per_second=25, per_frame_function=count_players,
                                minimum_percentage_probability=40, log_progress=True)
''', **MF)


def pixel_rows(split, i):
    # the annotation tool's "YOLO" export wrote absolute pixels of the 320 x 180 frames
    players = [(0, 60 + 40 * k + 3 * i, 90 + 5 * k, 14 + k, 34 + 2 * k) for k in range(3)]
    ball = (1, 170 + 6 * i, 120 - 4 * i, 5, 5)
    return "".join(f"{c} {x} {y} {w} {h}\n" for c, x, y, w, h in players + [ball])


def match_rows(split, i):
    players = [(0, 0.20 + 0.2 * k + 0.01 * i, 0.45 + 0.04 * k, 0.045 + 0.004 * k + 0.002 * i,
                0.19 + 0.01 * k + 0.004 * i) for k in range(3)]
    ball = (1, 0.53 + 0.02 * i, 0.66 - 0.02 * i, 0.016 + 0.001 * i, 0.028 + 0.001 * i)
    return "".join(f"{c} {x:.4f} {y:.4f} {w:.4f} {h:.4f}\n" for c, x, y, w, h in players + [ball])


def court_rows(split, i):
    # the court fills most of a broadcast frame
    return f"0 0.5000 0.5400 {0.80 + 0.02 * i:.4f} {0.90 - 0.015 * i:.4f}\n"


def cases():
    out, add, script, notebook = case_builders("torch-more96-", SCRIPTS, CELLS)
    W = ("cpython_basic", "dataloader_worker")
    NB = ("ipython_cell", "ipython_arrows", "ipython_file_tilde?")
    P = ("cpython_basic", "progress_bars?")
    tiny = save_tiny('["player", "ball"]', 2, MF["PT"], MF["JS"])

    # ---- frames and clips
    script("rally-clips-last-clip-short-workers", "data.image_size_mismatch", forms=W,
           argv="train_rally_outcome.py", setup=prep(RALLY_PREP))
    notebook("stream-screenshots-rgba-highlight-resnet-notebook", "data.image_channels", forms=NB,
             setup=prep(SCREEN_PREP))
    script("ffmpeg-export-killed-truncated-frame-tqdm", "data.missing_or_corrupt", forms=P,
           argv="train_tags.py", setup=frames(n=10, trunc="{(1, 9)}"))

    # ---- labels
    script("fasterrcnn-ball-clicked-as-point-zero-size-box", "data.bbox_invalid", argv="train_detector.py",
           setup=prep(BALL_PREP))
    script("highlight-tags-unreviewed-minus-one-tqdm", "data.label_out_of_range", forms=P,
           argv="train_tags.py", setup=frames(n=12, all_reviewed=False))
    script("stroke-clips-per-frame-labels-vs-clip-logits", "data.label_shape", also=["model.output_mismatch"],
           argv="train_strokes.py", setup=prep(POSE_PREP))
    script("mediapipe-json-keypoints-float64-gru", "data.dtype", argv="train_mediapipe_strokes.py",
           setup=prep(MEDIAPIPE_PREP))

    # ---- models
    script("r3d18-clips-permuted-time-first", "model.input_shape", also=["data.image_channels"],
           argv="train_shots.py", setup=prep(CLIPS_PREP))
    script("goal-highlight-two-logits-bce", "model.output_mismatch", also=["data.label_shape"],
           argv="train_goal.py", setup=frames(n=10))
    notebook("stroke-gru-coco17-checkpoint-mediapipe33-notebook", "model.weights_mismatch",
             also=["model.input_shape"], forms=NB, setup=prep(POSE_CKPT_PREP))
    script("jersey-read-image-tensor-through-totensor", "model.api_misuse", argv="train_jersey.py",
           setup=prep(JERSEY_PREP))

    # ---- optimisation
    script("shot-type-resnet-head-frozen-with-backbone", "optim.autograd_graph", argv="finetune_shots.py",
           setup=both(prep(RESNET_FILE),
                      imgs(class_folder("shots/train", ["backhand", "forehand", "serve", "volley"], 3,
                                        size=(96, 96)))))
    script("serve-landing-raw-pixel-tracks-hard-example-sampler", "optim.divergence",
           argv="train_serve_landing.py", setup=prep(SERVES_PREP))

    # ---- resource / environment
    script("whole-match-frames-preallocated-float32", "resource.host_memory", argv="precompute_frames.py",
           forms=("cpython_basic", "paths_with_spaces"), project="/home/user/Match Analysis",
           setup=prep(FFPROBE_PREP))
    script("jersey-gpu-checkpoint-laptop-no-map-location", "env.cuda_setup", also=["env.device_mismatch"],
           argv="predict_jersey.py", setup=both(prep(JERSEY_PREP), prep(JERSEY_GPU_CKPT)))
    script("club-laptop-no-main-guard-spawn-workers", "env.multiprocessing", forms=W, argv="train_kits.py",
           setup=imgs(class_folder("kit_crops", ["home", "away", "goalkeeper", "referee"], 4, size=(32, 64))))

    # ---- ImageAI 3
    script("imageai-trainer-labels-in-absolute-pixels", "data.bbox_invalid", framework="imageai",
           argv="train_u12.py", timeout=400, setup=yolo_layout("u12_match", pixel_rows, size=(320, 180)))
    script("imageai-trainer-batch-size-1-validation-loader", "model.api_misuse", framework="imageai",
           argv="train_u12.py", timeout=400, setup=yolo_layout("u12_match", match_rows, size=(320, 180)))
    script("imageai-court-detector-validation-numpy2-trapz", "env.version_incompat", framework="imageai",
           forms=P, argv="train_court.py", timeout=600,
           setup=yolo_layout("tennis_court", court_rows, size=(128, 128), splits=(("train", 8), ("validation", 4))))
    script("imageai-highlight-trainer-test-has-extra-class", "data.label_out_of_range",
           also=["data.missing_or_corrupt"], framework="imageai", forms=P, argv="train_highlights.py",
           timeout=400,
           setup=imgs(class_folder("highlights/train", ["goal", "no_goal"], 4, size=(96, 64))
                      + class_folder("highlights/test", ["goal", "no_goal", "penalty"], 2, size=(96, 64))))
    notebook("imageai-kit-classifier-top5-of-three-classes-notebook", "model.api_misuse", framework="imageai",
             forms=NB,
             setup=both(save_cls("mobilenet_v2", '["away", "goalkeeper", "home"]',
                                 "kits/models/mobilenet_v2-kits-test_acc_0.93750_epoch-17.pt",
                                 "kits/models/kits_model_classes.json"),
                        imgs([(f"crops_today/crop_{i:03d}.jpg", (40, 80), "RGB") for i in range(2)])))
    script("imageai-detect-greyscale-tactical-camera-frame", "data.image_channels", framework="imageai",
           argv="count_players.py",
           setup=both(tiny, imgs([(f"tactical_cam/cam2_{i:05d}.png", (320, 180), "L") for i in range(2)])))
    script("imageai-video-detection-without-loadmodel", "model.api_misuse", framework="imageai",
           argv="detect_video.py", setup=both(tiny, prep(VIDEO_PREP)))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
