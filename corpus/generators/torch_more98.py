"""A ninety-eighth held-out set (g184, scored 0.83 top-1 and 1.00 top-3 before any rule for it) of PyTorch / torchvision / ImageAI 3 failures, untargeted across the taxonomy.

The persona: home-lab and self-hosting hobbyists who train their own models for the house -- doorbell and
home-security cameras, Frigate / Home-Assistant style snapshots and event exports, a NAS photo library, face and pet
recognition for their own household, a package-on-porch detector with ImageAI 3.0.3 -- on an old gaming GPU or on a
mini-PC CPU, usually inside Docker containers (the default 64 MB ``/dev/shm``, volumes mounted read-only, no
``--gpus``), run from cron jobs and from notebooks, with data on mounted network shares. Their training scripts and
notebooks are written by themselves. A natural mix of causes, each program built so that its cause is known by
construction and made to fail inside torch, torchvision, ImageAI, OpenCV, NumPy, json or multiprocessing:

- snapshots and exports: Frigate ``latest.jpg?h=300`` grabs of four cameras with different aspect ratios stacked
  into one batch (data.image_size_mismatch); a night-only infrared model with a one-channel stem given the daytime
  colour snapshot by the Home-Assistant automation (data.image_channels); the nightly cron retrain whose relative
  data path is resolved from cron's working directory, ``$HOME`` (data.missing_or_corrupt); a feeder fill-level
  history exported from Home Assistant with ``unavailable`` states read by ``np.loadtxt`` (data.missing_or_corrupt);
- labels: Frigate event boxes (relative ``[x, y, w, h]``) scaled to pixels and given to Faster R-CNN as
  ``[x1, y1, x2, y2]`` (data.bbox_invalid); "who is home" snapshots labelled with lists of household members that
  reach ``default_collate`` as index tensors of different lengths (workers, data.label_shape); face crops labelled
  with the photo manager's 1-based person ids (tqdm, data.label_out_of_range); the snapshot sorter's label cache
  written as ``int32`` on the Windows NVR box into ``cross_entropy`` (data.dtype);
- models: a VGG-11 feature stack with a 224 px ``512 * 7 * 7`` head trained on widescreen 320 x 180 driveway frames
  (notebook, model.input_shape); a siamese face-verification net returning the embedding distance vector into
  ``BCEWithLogitsLoss`` (model.output_mismatch); the pet-cam model saved inside the ``Sequential(Normalise, model)``
  wrapper built for deployment and loaded into the bare ResNet on the mini-PC (model.weights_mismatch); Frigate API
  snapshot bytes given to ``torchvision.io.decode_jpeg`` (model.api_misuse);
- optimisation: a porch "unusual activity" VAE on raw 0-255 pixels with Adam at 5e-3, whose loss goes to ``inf``
  and the posterior's ``loc`` to NaN (``torch.distributions`` validation, optim.divergence); a two-head package /
  person model whose two losses are back-propagated one after the other (optim.autograd_graph);
- resource / environment: snapshot training in a Docker container with the default 64 MB ``/dev/shm`` and four
  workers (workers, resource.host_memory); the gaming PC's ``"device": "cuda:0"`` config in a container started
  without ``--gpus`` (env.cuda_setup); a skipped-files log opened in ``Dataset.__init__`` under the spawn start method
  (env.multiprocessing); an OpenCV HOG person pre-filter for auto-labelling under OpenCV 5 (env.version_incompat);
  the cron job's Home-Assistant sensor payload holding a tensor for ``json.dump`` (other);
- ImageAI 3: the package detector trainer on labels re-cut to a porch region of interest, leaving the boxes outside
  it negative (data.bbox_invalid); the cron detector given the Home-Assistant camera-proxy snapshot that is really
  a ``401: Unauthorized`` body (data.missing_or_corrupt); the inference container's ``/models`` holding only the
  ImageNet MobileNetV2 file given as the trained pet classifier (model.weights_mismatch, re-raised as a plain
  ``Exception``); the pet classifier trainer on a NAS share mounted read-only into the container (other).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None: model files are
ones an earlier run left on disk). The container cases run the interpreter in a private mount namespace
(``unshare -m``, which needs root) with a real 64 MB tmpfs on ``/dev/shm`` or a real read-only bind mount, as Docker sets them up.

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more98.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


import atexit
import shutil
import tempfile
from pathlib import Path

from _record import (Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders,  # noqa: E402,F401
                     yolo_layout, save_tiny, save_cls, torch_python)
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more98.py"

SCRIPTS = {}
CELLS = {}

# ------------------------------------------------------------------ container interpreters
# Docker gives every container a private /dev/shm (64 MB unless --shm-size) and the volumes it is told to mount;
# the same is done here for real: the interpreter runs in its own mount namespace with those mounts.
_WRAP_DIR = Path(tempfile.mkdtemp(prefix="eegen-container-"))
atexit.register(shutil.rmtree, _WRAP_DIR, True)


def container_python(name: str, mounts: str) -> str:
    p = _WRAP_DIR / name
    p.write_text("#!/bin/sh\n"
                 f"exec unshare -m sh -c '{mounts} && exec \"$0\" \"$@\"' {torch_python()} \"$@\"\n")
    p.chmod(0o755)
    return str(p)


SHM_64M = "mount -t tmpfs -o size=64m,mode=1777 shm /dev/shm"
NAS_RO = "{ [ ! -d nas ] || { mount --bind nas nas && mount -o remount,ro,bind nas; }; }"

# ------------------------------------------------------------------ Frigate snapshots (class folders)
SNAP_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(@@SEED@@)
for label in @@LABELS@@:
    d = f"@@ROOT@@/{label}"
    os.makedirs(d, exist_ok=True)
    for i in range(@@N@@):
        img = rng.integers(0, 255, (@@H@@, @@W@@, 3), dtype=np.uint8)
        Image.fromarray(img).save(f"{d}/@@CAM@@-17{i:08d}.{i * 37 % 1000000:06d}-{label[:2]}{i:04x}.jpg", quality=85)
'''


def snaps(root, labels, n, w=160, h=90, cam="front_door", seed=0):
    return prep(sub(SNAP_PREP, ROOT=root, LABELS=repr(labels), N=str(n), W=str(w), H=str(h), CAM=cam, SEED=str(seed)))


SCRIPTS["docker-default-64m-shm-snapshot-workers"] = '''
import os

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

# runs in the "trainer" service of docker-compose.yml on the mini-PC; /data is the Frigate clips share
DATA = os.environ.get("DATA_DIR", "frigate_clips")
BATCH = int(os.environ.get("BATCH", 32))
WORKERS = int(os.environ.get("WORKERS", 4))

tf = transforms.Compose([
    transforms.Resize((224, 224)),
    transforms.RandomHorizontalFlip(),
    transforms.ToTensor(),
    transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
])
ds = datasets.ImageFolder(DATA, tf)
print(f"{len(ds)} snapshots, classes {ds.classes}, batch {BATCH}, workers {WORKERS}")


def main():
    loader = DataLoader(ds, batch_size=BATCH, shuffle=True, num_workers=WORKERS, pin_memory=False)
    model = models.resnet18(weights=None, num_classes=len(ds.classes))
    opt = torch.optim.AdamW(model.parameters(), lr=3e-4)
    for epoch in range(20):
        model.train()
        for step, (x, y) in enumerate(loader):
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            if step % 10 == 0:
                print(f"epoch {epoch} step {step} loss {loss.item():.4f}", flush=True)
        torch.save(model.state_dict(), "snapshot_classifier.pt")


if __name__ == "__main__":
    main()
'''

# ------------------------------------------------------------------ nightly cron retrain
SCRIPTS["cron-nightly-retrain-relative-data-path"] = '''
#!/usr/bin/env python3
# crontab -e:
#   15 3 * * *  /home/user/venv/bin/python /home/user/homelab/petcam/retrain.py >> /home/user/petcam-cron.log 2>&1
import datetime

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

print(f"[{datetime.datetime.now():%Y-%m-%d %H:%M:%S}] petcam nightly retrain starting", flush=True)

tf = transforms.Compose([transforms.Resize((160, 160)), transforms.ToTensor()])
train = datasets.ImageFolder("data/pets/train", tf)          # works when I run it from the project folder
loader = DataLoader(train, batch_size=16, shuffle=True)

model = models.mobilenet_v3_small(weights=None, num_classes=len(train.classes))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.4f}", flush=True)
torch.save(model.state_dict(), "models/petcam_latest.pt")
'''

# ------------------------------------------------------------------ latest.jpg?h=300 of every camera
LATEST_PREP = '''
import json, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(11)
os.makedirs("latest", exist_ok=True)
# what Frigate's /api/<camera>/latest.jpg?h=300 returned: the height is fixed, the width follows each camera
for cam, (w, h) in {"driveway": (533, 300), "front_door": (225, 300), "garden": (400, 300),
                    "garage": (533, 300)}.items():
    Image.fromarray(rng.integers(0, 255, (h, w, 3), dtype=np.uint8)).save(f"latest/{cam}.jpg", quality=80)
os.makedirs("models", exist_ok=True)
import torch
from torchvision import models
torch.manual_seed(0)
torch.save(models.mobilenet_v3_small(weights=None, num_classes=4).state_dict(), "models/scene_mnv3.pt")
json.dump(["empty", "person", "vehicle", "animal"], open("models/scene_classes.json", "w"))
'''

SCRIPTS["frigate-latest-h300-cameras-one-batch"] = '''
import glob
import json
import os

import torch
from torchvision import models
from torchvision.io import read_image, ImageReadMode
from torchvision.transforms import functional as TF

# every 5 minutes: what is in front of each camera right now?
# the grabber fetched http://frigate:5000/api/<camera>/latest.jpg?h=300 -- already downscaled, so no resize here
CLASSES = json.load(open("models/scene_classes.json"))
model = models.mobilenet_v3_small(weights=None, num_classes=len(CLASSES))
model.load_state_dict(torch.load("models/scene_mnv3.pt"))
model.eval()

paths = sorted(glob.glob("latest/*.jpg"))
frames = [read_image(p, ImageReadMode.RGB).float() / 255 for p in paths]
batch = torch.stack([TF.normalize(f, [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]) for f in frames])
with torch.no_grad():
    probs = model(batch).softmax(1)
for p, pr in zip(paths, probs):
    print(f"{os.path.basename(p)[:-4]:12s} {CLASSES[pr.argmax()]:8s} {pr.max():.2f}")
'''

# ------------------------------------------------------------------ Frigate events -> Faster R-CNN
EVENTS_PREP = '''
import json, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(7)
os.makedirs("frigate/clips", exist_ok=True)
events = []
for i in range(6):
    eid = f"17{i + 10}5633{i}.4{i}1234-{'abcdef'[i]}{i}x9q"
    name = f"front_door-{eid}.jpg"
    Image.fromarray(rng.integers(0, 255, (360, 640, 3), dtype=np.uint8)).save(f"frigate/clips/{name}")
    label = ["person", "package"][i % 2]
    # Frigate 0.13+: data.box is [x, y, width, height], relative to the frame
    box = [round(0.52 + 0.03 * i, 4), round(0.40 + 0.02 * i, 4), round(0.11 + 0.01 * i, 4), round(0.30 - 0.02 * i, 4)]
    events.append({"id": eid, "camera": "front_door", "label": label, "sub_label": None,
                   "start_time": 1710000000.0 + 3600 * i, "end_time": 1710000030.0 + 3600 * i,
                   "has_snapshot": True, "has_clip": True, "zones": ["porch"],
                   "data": {"box": box, "region": [0.3, 0.2, 0.5, 0.5], "score": 0.81, "top_score": 0.84,
                            "type": "object"}})
json.dump(events, open("frigate/events.json", "w"), indent=1)
'''

SCRIPTS["frigate-event-boxes-xywh-to-fasterrcnn"] = '''
import json

import torch
from PIL import Image
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as TF

LABELS = {"person": 1, "package": 2}

# events exported with:  curl "http://frigate:5000/api/events?camera=front_door&has_snapshot=1" > events.json
events = [e for e in json.load(open("frigate/events.json")) if e["label"] in LABELS and e["has_snapshot"]]
print(f"{len(events)} events with snapshots")

model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=len(LABELS) + 1)
model.train()
opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9, weight_decay=5e-4)
for epoch in range(10):
    for ev in events:
        img = Image.open(f"frigate/clips/{ev['camera']}-{ev['id']}.jpg").convert("RGB")
        W, H = img.size
        x1, y1, x2, y2 = ev["data"]["box"]                    # relative box -> pixels
        target = {"boxes": torch.tensor([[x1 * W, y1 * H, x2 * W, y2 * H]]),
                  "labels": torch.tensor([LABELS[ev["label"]]])}
        losses = model([TF.to_tensor(img)], [target])
        loss = sum(losses.values())
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

# ------------------------------------------------------------------ who is home (multi-label)
HOME_PREP = '''
import json, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(3)
os.makedirs("hallway", exist_ok=True)
present = [["alex", "sam"], ["sam"], ["alex", "robin", "sam"], ["biscuit"], ["alex"], ["robin", "biscuit"],
           ["sam", "biscuit"], ["alex", "sam", "robin", "biscuit"], ["robin"], ["alex", "biscuit"], ["sam"],
           ["alex", "robin"]]
labels = {}
for i, who in enumerate(present):
    name = f"hallway/hallway_2024-05-{i + 1:02d}_18-0{i % 6}-12.jpg"
    Image.fromarray(rng.integers(0, 255, (120, 160, 3), dtype=np.uint8)).save(name)
    labels[os.path.basename(name)] = who
json.dump(labels, open("hallway/who.json", "w"), indent=1)
'''

SCRIPTS["who-is-home-member-lists-collate-workers"] = '''
import json

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import models, transforms

MEMBERS = ["alex", "sam", "robin", "biscuit"]          # biscuit is the dog


class Hallway(Dataset):
    """snapshots from the hallway camera, labelled with everyone visible (Home Assistant person entities)"""

    def __init__(self, root):
        self.root = root
        self.labels = json.load(open(f"{root}/who.json"))
        self.files = sorted(self.labels)
        self.tf = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor()])

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        f = self.files[i]
        who = torch.tensor([MEMBERS.index(n) for n in self.labels[f]])
        return self.tf(Image.open(f"{self.root}/{f}").convert("RGB")), who


if __name__ == "__main__":
    loader = DataLoader(Hallway("hallway"), batch_size=4, shuffle=False, num_workers=2)
    model = models.resnet18(weights=None, num_classes=len(MEMBERS))
    criterion = nn.BCEWithLogitsLoss()                 # several people can be home at once
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(10):
        for x, who in loader:
            loss = criterion(model(x), who)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())
'''

# ------------------------------------------------------------------ household face crops, 1-based person ids
FACES_PREP = '''
import csv, json, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(21)
os.makedirs("faces/crops", exist_ok=True)
# the photo manager's people export: person ids start at 1
people = {"1": "alex", "2": "sam", "3": "robin", "4": "grandma"}
json.dump(people, open("faces/people.json", "w"), indent=1)
rows = []
for i in range(40):
    pid = 1 + i % 4
    name = f"faces/crops/IMG_{2000 + i * 13:04d}_face{i % 3}.jpg"
    Image.fromarray(rng.integers(0, 255, (112, 112, 3), dtype=np.uint8)).save(name)
    rows.append((name, pid))
with open("faces/faces.csv", "w", newline="") as f:
    csv.writer(f).writerows([("crop", "person_id")] + rows)
'''

SCRIPTS["household-faces-photo-manager-1-based-ids-tqdm"] = '''
import csv
import json

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import models, transforms
from tqdm import tqdm

PEOPLE = json.load(open("faces/people.json"))


class FaceCrops(Dataset):
    def __init__(self, csv_path):
        self.rows = list(csv.DictReader(open(csv_path)))
        self.tf = transforms.Compose([transforms.Resize((112, 112)), transforms.RandomHorizontalFlip(),
                                      transforms.ToTensor(), transforms.Normalize([0.5] * 3, [0.5] * 3)])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return self.tf(Image.open(r["crop"]).convert("RGB")), int(r["person_id"])


torch.manual_seed(0)
model = models.resnet18(weights=None, num_classes=len(PEOPLE))
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
loader = DataLoader(FaceCrops("faces/faces.csv"), batch_size=8, shuffle=True)
for epoch in range(20):
    for x, y in tqdm(loader, desc=f"epoch {epoch}", ncols=90):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

# ------------------------------------------------------------------ infrared night model, daytime snapshot
NIGHT_PREP = '''
import os
import numpy as np
import torch
import torch.nn as nn
from PIL import Image


class NightNet(nn.Module):
    def __init__(self, n=3):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.AdaptiveAvgPool2d(1))
        self.head = nn.Linear(64, n)


os.makedirs("models", exist_ok=True)
torch.manual_seed(0)
torch.save(NightNet().state_dict(), "models/garden_ir_nightnet.pt")      # trained on the IR (greyscale) frames
os.makedirs("www/snapshots", exist_ok=True)
rng = np.random.default_rng(5)
Image.fromarray(rng.integers(0, 255, (360, 640, 3), dtype=np.uint8)).save("www/snapshots/garden_latest.jpg")
'''

SCRIPTS["ir-night-model-one-channel-daytime-snapshot"] = '''
import sys

import torch
import torch.nn as nn
from PIL import Image
from torchvision import transforms

# called by a Home Assistant shell_command when the garden motion sensor fires:
#   python classify_garden.py /config/www/snapshots/garden_latest.jpg
CLASSES = ["nothing", "fox", "cat"]


class NightNet(nn.Module):
    def __init__(self, n=len(CLASSES)):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.AdaptiveAvgPool2d(1))
        self.head = nn.Linear(64, n)

    def forward(self, x):
        return self.head(self.features(x).flatten(1))


model = NightNet()
model.load_state_dict(torch.load("models/garden_ir_nightnet.pt"))
model.eval()
tf = transforms.Compose([transforms.Resize((180, 320)), transforms.ToTensor()])
img = Image.open(sys.argv[1])
print(f"{sys.argv[1]}: {img.size[0]}x{img.size[1]} {img.mode}")
with torch.no_grad():
    p = model(tf(img).unsqueeze(0)).softmax(1)[0]
print(CLASSES[p.argmax()], f"{p.max():.2f}")
'''

# ------------------------------------------------------------------ label cache written on the Windows NVR box
CACHE_PREP = '''
import os
import numpy as np

rng = np.random.default_rng(9)
os.makedirs("cache", exist_ok=True)
n = 96
np.save("cache/images.npy", rng.integers(0, 255, (n, 64, 64, 3), dtype=np.uint8))
# sort_snapshots.py runs on the Windows desktop next to Blue Iris, where NumPy 1.x makes np.array([0, 2, 1]) int32
np.save("cache/labels.npy", np.array([i % 4 for i in range(n)], dtype=np.int32))
open("cache/classes.txt", "w").write("empty\\nperson\\ncat\\ndelivery\\n")
'''

SCRIPTS["nvr-box-snapshot-sorter-int32-label-cache"] = '''
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import TensorDataset, DataLoader

# cache/ is written by sort_snapshots.py on the Windows NVR box and copied to the mini-PC's share
classes = open("cache/classes.txt").read().split()
images = np.load("cache/images.npy")
labels = np.load("cache/labels.npy")
print(images.shape, images.dtype, labels.shape, labels.dtype, classes)

x = torch.from_numpy(images).permute(0, 3, 1, 2).float() / 255.0
y = torch.from_numpy(labels)
loader = DataLoader(TensorDataset(x, y), batch_size=16, shuffle=True)

model = nn.Sequential(
    nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(64, 128, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
    nn.Linear(128, len(classes)),
)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(15):
    for xb, yb in loader:
        loss = nn.functional.cross_entropy(model(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.3f}")
'''

# ------------------------------------------------------------------ VGG features at the camera's aspect (notebook)
CELLS["driveway-vgg-head-224-trained-widescreen-notebook"] = [
    '''import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

# keep the whole driveway in view: 16:9 instead of squashing to 224x224
tf = transforms.Compose([transforms.Resize((180, 320)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
train = datasets.ImageFolder("driveway/train", tf)
loader = DataLoader(train, batch_size=4, shuffle=True)
train.classes''',
    '''class DrivewayNet(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.features = models.vgg11(weights=None).features
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(512 * 7 * 7, 256), nn.ReLU(), nn.Dropout(0.3),
                                  nn.Linear(256, n))

    def forward(self, x):
        return self.head(self.features(x))


model = DrivewayNet(len(train.classes))
opt = torch.optim.Adam(model.parameters(), lr=1e-4)''',
    '''for epoch in range(5):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())''',
]

# ------------------------------------------------------------------ siamese face verification
PAIRS_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(14)
os.makedirs("enrol", exist_ok=True)
people = ["alex", "sam", "robin"]
for p in people:
    for k in range(4):
        Image.fromarray(rng.integers(0, 255, (96, 96, 3), dtype=np.uint8)).save(f"enrol/{p}_{k}.jpg")
rows = []
for i in range(24):
    a, b = people[i % 3], people[(i // 2) % 3]
    rows.append((f"enrol/{a}_{i % 4}.jpg", f"enrol/{b}_{(i + 1) % 4}.jpg", int(a == b)))
with open("enrol/pairs.csv", "w", newline="") as f:
    csv.writer(f).writerows([("a", "b", "same")] + rows)
'''

SCRIPTS["siamese-face-verify-distance-vector-into-bce"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import models, transforms


class Pairs(Dataset):
    def __init__(self, path):
        self.rows = list(csv.DictReader(open(path)))
        self.tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        load = lambda p: self.tf(Image.open(p).convert("RGB"))
        return load(r["a"]), load(r["b"]), float(r["same"])


class Siamese(nn.Module):
    """is the person at the door one of us?  (front door camera -> unlock suggestion in Home Assistant)"""

    def __init__(self):
        super().__init__()
        self.embed = models.resnet18(weights=None, num_classes=128)

    def forward(self, a, b):
        return torch.abs(self.embed(a) - self.embed(b))       # L1 distance between the two faces


model = Siamese()
criterion = nn.BCEWithLogitsLoss()
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
for epoch in range(10):
    for a, b, same in DataLoader(Pairs("enrol/pairs.csv"), batch_size=8, shuffle=True):
        loss = criterion(model(a, b), same)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

# ------------------------------------------------------------------ deploy wrapper checkpoint
DEPLOY_PREP = '''
import os
import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torchvision import models


class Normalise(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("mean", torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1))

    def forward(self, x):
        return (x - self.mean) / self.std


os.makedirs("models", exist_ok=True)
torch.manual_seed(0)
model = models.resnet18(weights=None, num_classes=3)
deploy = nn.Sequential(Normalise(), model)           # normalisation baked in for the ONNX / Frigate export
torch.save(deploy.state_dict(), "models/petcam_resnet18_deploy.pt")
os.makedirs("snapshots", exist_ok=True)
rng = np.random.default_rng(2)
for i in range(3):
    Image.fromarray(rng.integers(0, 255, (270, 480, 3), dtype=np.uint8)).save(f"snapshots/kitchen-{i}.jpg")
'''

SCRIPTS["petcam-deploy-sequential-checkpoint-into-bare-resnet"] = '''
import glob

import torch
from PIL import Image
from torchvision import models, transforms

PETS = ["nobody", "mochi", "biscuit"]

# mini-PC: classify the kitchen camera snapshots with the model trained on the gaming PC
model = models.resnet18(weights=None, num_classes=len(PETS))
model.load_state_dict(torch.load("models/petcam_resnet18_deploy.pt", map_location="cpu"))
model.eval()

tf = transforms.Compose([transforms.Resize((224, 224)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
for path in sorted(glob.glob("snapshots/*.jpg")):
    with torch.no_grad():
        p = model(tf(Image.open(path).convert("RGB")).unsqueeze(0)).softmax(1)[0]
    print(path, PETS[p.argmax()], f"{p.max():.2f}")
'''

# ------------------------------------------------------------------ Frigate API bytes -> decode_jpeg
API_PREP = '''
import json, os
import numpy as np
from PIL import Image
import torch
from torchvision import models

rng = np.random.default_rng(4)
os.makedirs("api_cache", exist_ok=True)
ids = []
for i in range(3):
    eid = f"171{i}00{i}21.5{i}3-k{i}z8p1"
    Image.fromarray(rng.integers(0, 255, (360, 640, 3), dtype=np.uint8)).save(f"api_cache/{eid}.jpg")
    ids.append(eid)
json.dump(ids, open("api_cache/new_events.json", "w"))
os.makedirs("models", exist_ok=True)
torch.manual_seed(0)
torch.save(models.mobilenet_v3_small(weights=None, num_classes=3).state_dict(), "models/visitor_mnv3.pt")
'''

SCRIPTS["frigate-api-snapshot-bytes-into-decode-jpeg"] = '''
import json
import os

import torch
from torchvision import models
from torchvision.io import decode_jpeg
from torchvision.transforms import v2

FRIGATE = "http://frigate.lan:5000"
VISITORS = ["courier", "neighbour", "unknown"]


def fetch_snapshot(event_id):
    """GET {FRIGATE}/api/events/<id>/snapshot.jpg -- served from the local cache when the event was seen before"""
    cached = f"api_cache/{event_id}.jpg"
    if os.path.exists(cached):
        with open(cached, "rb") as f:
            return f.read()
    import urllib.request
    return urllib.request.urlopen(f"{FRIGATE}/api/events/{event_id}/snapshot.jpg", timeout=5).read()


model = models.mobilenet_v3_small(weights=None, num_classes=len(VISITORS))
model.load_state_dict(torch.load("models/visitor_mnv3.pt"))
model.eval()
tf = v2.Compose([v2.Resize((224, 224)), v2.ToDtype(torch.float32, scale=True),
                 v2.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])

for eid in json.load(open("api_cache/new_events.json")):
    data = fetch_snapshot(eid)
    img = decode_jpeg(data)                              # decode straight from memory, no temp file
    with torch.no_grad():
        p = model(tf(img).unsqueeze(0)).softmax(1)[0]
    print(eid, VISITORS[p.argmax()], f"{p.max():.2f}")
'''

# ------------------------------------------------------------------ porch VAE on raw pixels
QUIET_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(13)
os.makedirs("porch_quiet", exist_ok=True)
base = rng.integers(40, 200, (48, 64, 3))
for i in range(24):
    f = np.clip(base + rng.normal(0, 12, base.shape), 0, 255).astype(np.uint8)
    Image.fromarray(f).save(f"porch_quiet/porch_2024-06-0{1 + i % 9}_{i:03d}.jpg")
'''

SCRIPTS["porch-vae-raw-pixels-loss-inf-then-nan"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.distributions import Normal, kl_divergence

# "unusual activity" on the porch: a VAE trained on quiet frames, high reconstruction error = something happened
torch.manual_seed(0)
paths = sorted(glob.glob("porch_quiet/*.jpg"))
frames = np.stack([np.asarray(Image.open(p).convert("RGB").resize((32, 32))) for p in paths])
x = torch.from_numpy(frames).permute(0, 3, 1, 2).float()
print(f"{len(x)} quiet frames, pixel range {x.min():.0f}..{x.max():.0f}")

Z = 8


class VAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv2d(3, 16, 4, 2, 1), nn.ReLU(), nn.Conv2d(16, 32, 4, 2, 1), nn.ReLU(),
                                 nn.Flatten(), nn.Linear(32 * 8 * 8, 2 * Z))
        self.dec = nn.Sequential(nn.Linear(Z, 32 * 8 * 8), nn.ReLU(), nn.Unflatten(1, (32, 8, 8)),
                                 nn.ConvTranspose2d(32, 16, 4, 2, 1), nn.ReLU(), nn.ConvTranspose2d(16, 3, 4, 2, 1))

    def forward(self, x):
        mu, logvar = self.enc(x).chunk(2, dim=1)
        q = Normal(mu, torch.exp(0.5 * logvar))
        return self.dec(q.rsample()), q


model = VAE()
prior = Normal(torch.zeros(Z), torch.ones(Z))
opt = torch.optim.Adam(model.parameters(), lr=5e-3)       # 1e-3 took all night on the mini-PC
for epoch in range(50):
    perm = torch.randperm(len(x))
    for i in range(0, len(x), 8):
        xb = x[perm[i:i + 8]]
        recon, q = model(xb)
        loss = ((recon - xb) ** 2).sum((1, 2, 3)).mean() + kl_divergence(q, prior).sum(1).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: loss {loss.item():.4g}")
'''

# ------------------------------------------------------------------ package + person heads, two backward calls
PORCH_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(12)
os.makedirs("porch", exist_ok=True)
rows = []
for i in range(24):
    name = f"porch/porch_{i:04d}.jpg"
    Image.fromarray(rng.integers(0, 255, (96, 128, 3), dtype=np.uint8)).save(name)
    rows.append((name, int(i % 3 == 0), int(i % 4 == 1)))
with open("porch/labels.csv", "w", newline="") as f:
    csv.writer(f).writerows([("file", "package", "person")] + rows)
'''

SCRIPTS["porch-package-person-heads-two-backward-calls"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import models, transforms


class Porch(Dataset):
    def __init__(self, path):
        self.rows = list(csv.DictReader(open(path)))
        self.tf = transforms.Compose([transforms.Resize((112, 112)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return (self.tf(Image.open(r["file"]).convert("RGB")),
                torch.tensor(float(r["package"])), torch.tensor(float(r["person"])))


class PorchNet(nn.Module):
    def __init__(self):
        super().__init__()
        trunk = models.resnet18(weights=None)
        trunk.fc = nn.Identity()
        self.trunk = trunk
        self.package = nn.Linear(512, 1)
        self.person = nn.Linear(512, 1)

    def forward(self, x):
        f = self.trunk(x)
        return self.package(f).squeeze(1), self.person(f).squeeze(1)


model = PorchNet()
bce = nn.BCEWithLogitsLoss()
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
for epoch in range(10):
    for x, pkg, person in DataLoader(Porch("porch/labels.csv"), batch_size=8, shuffle=True):
        out_pkg, out_person = model(x)
        opt.zero_grad()
        bce(out_pkg, pkg).backward()               # package head
        bce(out_person, person).backward()         # person head
        opt.step()
    print("epoch", epoch)
'''

# ------------------------------------------------------------------ container without --gpus
GPU_CFG_PREP = '''
import json, os
import numpy as np
from PIL import Image

json.dump({"device": "cuda:0", "batch_size": 32, "epochs": 30, "lr": 0.0003, "img_size": 224,
           "data_dir": "data/snapshots", "amp": True}, open("config.json", "w"), indent=2)
rng = np.random.default_rng(1)
for c in ["empty", "person", "vehicle"]:
    os.makedirs(f"data/snapshots/{c}", exist_ok=True)
    for i in range(4):
        Image.fromarray(rng.integers(0, 255, (90, 160, 3), dtype=np.uint8)).save(f"data/snapshots/{c}/{c}_{i}.jpg")
'''

SCRIPTS["container-without-gpus-config-device-cuda"] = '''
import json

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

# config.json came over from the gaming PC; the container runs from the same image on the new box
cfg = json.load(open("config.json"))
print(f"torch {torch.__version__}, config: {cfg}")
device = torch.device(cfg["device"])

tf = transforms.Compose([transforms.Resize((cfg["img_size"], cfg["img_size"])), transforms.ToTensor()])
ds = datasets.ImageFolder(cfg["data_dir"], tf)
loader = DataLoader(ds, batch_size=cfg["batch_size"], shuffle=True)
model = models.resnet18(weights=None, num_classes=len(ds.classes)).to(device)
opt = torch.optim.AdamW(model.parameters(), lr=cfg["lr"])
for epoch in range(cfg["epochs"]):
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

# ------------------------------------------------------------------ skipped-files log under spawn
SCRIPTS["skipped-files-log-in-dataset-spawn-workers"] = '''
import glob
import os

import torch
import torch.multiprocessing as mp
import torch.nn as nn
from PIL import Image, UnidentifiedImageError
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms

CLASSES = ["cat", "dog", "fox", "hedgehog"]


class GardenCam(Dataset):
    def __init__(self, root):
        self.items = [(p, c) for c, name in enumerate(CLASSES) for p in sorted(glob.glob(f"{root}/{name}/*.jpg"))]
        self.tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])
        self.skipped = open("skipped_files.log", "a")       # files from the NAS that will not open

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        path, c = self.items[i]
        try:
            img = Image.open(path).convert("RGB")
        except (OSError, UnidentifiedImageError) as e:
            self.skipped.write(f"{path}: {e}\\n")
            img = Image.new("RGB", (96, 96))
        return self.tf(img), c


def main():
    ds = GardenCam("garden_cam")
    print(f"{len(ds)} images, {os.cpu_count()} cpus")
    loader = DataLoader(ds, batch_size=8, shuffle=True, num_workers=2)
    model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                          nn.Linear(32, len(CLASSES)))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(10):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())


if __name__ == "__main__":
    mp.set_start_method("spawn", force=True)    # "Cannot re-initialize CUDA in forked subprocess" on the gaming PC
    main()
'''

# ------------------------------------------------------------------ HOG person pre-filter under OpenCV 5
HOG_PREP = '''
import os
import numpy as np
import cv2

rng = np.random.default_rng(6)
os.makedirs("motion_frames", exist_ok=True)
for i in range(4):
    cv2.imwrite(f"motion_frames/driveway_{i:03d}.jpg", rng.integers(0, 255, (360, 640, 3), dtype=np.uint8))
'''

SCRIPTS["hog-person-prefilter-autolabel-opencv5"] = '''
import glob
import os

import cv2
import numpy as np

# auto-label: keep a crop of every person the classic HOG + linear SVM finds, to train the "visitor" classifier
os.makedirs("crops/person", exist_ok=True)
print("OpenCV", cv2.__version__)
hog = cv2.HOGDescriptor()
hog.setSVMDetector(cv2.HOGDescriptor_getDefaultPeopleDetector())

n = 0
for path in sorted(glob.glob("motion_frames/*.jpg")):
    frame = cv2.imread(path)
    frame = cv2.resize(frame, (640, int(frame.shape[0] * 640 / frame.shape[1])))
    rects, weights = hog.detectMultiScale(frame, winStride=(4, 4), padding=(8, 8), scale=1.05)
    for (x, y, w, h), score in zip(rects, np.ravel(weights)):
        if score > 0.6:
            cv2.imwrite(f"crops/person/{os.path.basename(path)[:-4]}_{n}.jpg", frame[y:y + h, x:x + w])
            n += 1
print(n, "person crops")
'''

# ------------------------------------------------------------------ Home Assistant sensor payload
HA_PREP = '''
import os
import numpy as np
import torch
from PIL import Image
from torchvision import models

os.makedirs("models", exist_ok=True)
torch.manual_seed(0)
torch.save(models.mobilenet_v3_small(weights=None, num_classes=2).state_dict(), "models/bins_out_mnv3.pt")
os.makedirs("snapshots", exist_ok=True)
Image.fromarray(np.random.default_rng(3).integers(0, 255, (360, 640, 3), dtype=np.uint8)).save("snapshots/side_gate.jpg")
'''

SCRIPTS["ha-sensor-payload-tensor-json-dump"] = '''
import datetime
import json

import torch
from PIL import Image
from torchvision import models, transforms

# cron, every 15 min on bin day: are the bins out?  Home Assistant reads bins_out.json with a file sensor
model = models.mobilenet_v3_small(weights=None, num_classes=2)
model.load_state_dict(torch.load("models/bins_out_mnv3.pt"))
model.eval()
tf = transforms.Compose([transforms.Resize((224, 224)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
with torch.no_grad():
    p = model(tf(Image.open("snapshots/side_gate.jpg").convert("RGB")).unsqueeze(0)).softmax(1)[0]

payload = {
    "state": "out" if p[1] > 0.5 else "in",
    "attributes": {"confidence": p.max(), "camera": "side_gate",
                   "updated": datetime.datetime.now().isoformat(timespec="seconds")},
}
with open("bins_out.json", "w") as f:
    json.dump(payload, f)
print("wrote", payload["state"])
'''

# ------------------------------------------------------------------ HA history export with 'unavailable'
FEEDER_PREP = '''
import csv, datetime, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(8)
os.makedirs("feeder/frames", exist_ok=True)
rows = []
t0 = datetime.datetime(2024, 11, 2, 7, 0, 0)
for i in range(40):
    t = t0 + datetime.timedelta(minutes=30 * i)
    name = f"feeder/frames/feeder_{t:%Y%m%d_%H%M}.jpg"
    Image.fromarray(rng.integers(0, 255, (64, 64, 3), dtype=np.uint8)).save(name)
    state = f"{max(0.0, 100 - 2.3 * i):.1f}"
    if i in (17, 18):
        state = "unavailable"           # the load-cell ESPHome node dropped off the Wi-Fi
    rows.append(("sensor.bird_feeder_fill", state, t.strftime("%Y-%m-%dT%H:%M:%S.000Z")))
with open("feeder/history.csv", "w", newline="") as f:
    csv.writer(f).writerows([("entity_id", "state", "last_changed")] + rows)
'''

SCRIPTS["feeder-fill-ha-history-unavailable-loadtxt"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
from PIL import Image

# label = the feeder's load-cell fill level (%), exported from Home Assistant's history panel as CSV
fill = np.loadtxt("feeder/history.csv", delimiter=",", skiprows=1, usecols=1, dtype=np.float32)
frames = sorted(glob.glob("feeder/frames/*.jpg"))
print(len(frames), "frames", fill.shape, "labels")

x = torch.stack([torch.from_numpy(np.asarray(Image.open(p).convert("RGB"), dtype=np.float32) / 255).permute(2, 0, 1)
                 for p in frames])
y = torch.from_numpy(fill).unsqueeze(1) / 100.0
model = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1), nn.ReLU(), nn.Conv2d(16, 32, 3, 2, 1), nn.ReLU(),
                      nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 1), nn.Sigmoid())
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(100):
    loss = nn.functional.mse_loss(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
print(loss.item())
'''

# ================================================================== ImageAI 3
ROI_TRAIN = '''
from imageai.Detection.Custom import DetectionModelTrainer

# labels were re-cut by crop_porch.py: only the porch part of the doorbell frame (x 320..960, y 360..720)
trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="porch_roi")
trainer.setTrainConfig(object_names_array=["package", "person"], batch_size=4, num_experiments=60)
trainer.trainModel()
'''
SCRIPTS["imageai-porch-roi-recut-labels-negative"] = ROI_TRAIN


def roi_rows(split, i):
    # full-frame boxes (1280 x 720, YOLO-normalised) mapped into the 640 x 360 porch crop without clipping
    W, H, X0, Y0, w, h = 1280, 720, 320, 360, 640, 360
    full = [(0, 0.52 + 0.01 * i, 0.82, 0.08, 0.10),                          # package on the doormat
            (1, 0.30 + 0.02 * i, 0.45 - 0.01 * i, 0.09, 0.42)]               # person on the path, partly above
    out = []
    for c, xc, yc, bw, bh in full:
        out.append((c, (xc * W - X0) / w, (yc * H - Y0) / h, bw * W / w, bh * H / h))
    return "".join(f"{c} {x:.6f} {y:.6f} {bw:.6f} {bh:.6f}\n" for c, x, y, bw, bh in out)


PROXY_TINY = {"PT": "models/tiny-yolov3_porch_mAP-0.61240_epoch-48.pt",
              "JS": "models/porch_tiny-yolov3_detection_config.json"}

SCRIPTS["imageai-cron-camera-proxy-401-snapshot"] = sub('''
import datetime
import subprocess

from imageai.Detection.Custom import CustomObjectDetection

# */5 * * * *  cd /home/user/porchwatch && ./check_porch.sh   (the script curls the snapshot, then runs this)
SNAPSHOT = "snapshots/front_door_latest.jpg"
print(f"[{datetime.datetime.now():%H:%M:%S}]", subprocess.run(["ls", "-l", SNAPSHOT], capture_output=True,
                                                               text=True).stdout.strip())

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("@@PT@@")
detector.setJsonPath("@@JS@@")
detector.loadModel()

detections = detector.detectObjectsFromImage(input_image=SNAPSHOT,
                                             output_image_path="snapshots/front_door_boxes.jpg",
                                             minimum_percentage_probability=50)
packages = [d for d in detections if d["name"] == "package"]
print(f"{len(packages)} package(s) on the porch")
''', **PROXY_TINY)

SCRIPTS["imageai-inference-container-imagenet-file-as-pet-model"] = '''
import glob
import os

from imageai.Classification.Custom import CustomImageClassification

# docker run -v /mnt/nas/petcam/models:/models:ro petcam-infer   -- MODEL_PATH picks the one .pth in /models
MODEL_DIR = os.environ.get("MODEL_DIR", "models")
model_path = sorted(glob.glob(f"{MODEL_DIR}/*.pt*"))[0]
print("using", model_path)

clf = CustomImageClassification()
clf.setModelTypeAsMobileNetV2()
clf.setModelPath(model_path)
clf.setJsonPath(f"{MODEL_DIR}/pets_model_classes.json")
clf.loadModel()

for path in sorted(glob.glob("snapshots/*.jpg")):
    names, probs = clf.classifyImage(path, result_count=1)
    print(path, names[0], probs[0])
'''

IMAGENET_MNV2 = '''
import json, os
import numpy as np
import torch
from PIL import Image
from torchvision import models

os.makedirs("models", exist_ok=True)
torch.manual_seed(0)
# the ImageNet file ImageAI's transfer learning started from, copied next to the class json
torch.save(models.mobilenet_v2(weights=None).state_dict(), "models/mobilenet_v2-b0353104.pth")
json.dump({"0": "biscuit", "1": "mochi", "2": "nobody"}, open("models/pets_model_classes.json", "w"))
os.makedirs("snapshots", exist_ok=True)
Image.fromarray(np.random.default_rng(0).integers(0, 255, (270, 480, 3), dtype=np.uint8)).save("snapshots/kitchen.jpg")
'''

SCRIPTS["imageai-pet-trainer-nas-share-mounted-read-only"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

# docker-compose: volumes: - /mnt/nas/photos/pets:/app/nas/pets:ro
trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("nas/pets")
trainer.trainModel(num_experiments=30, batch_size=8)
'''


def cases():
    out, add, script, notebook = case_builders("torch-more98-", SCRIPTS, CELLS)
    W = ("cpython_basic", "dataloader_worker")
    NB = ("ipython_cell", "ipython_arrows", "ipython_file_tilde?")
    P = ("cpython_basic", "progress_bars?")
    pets = ["biscuit", "mochi", "nobody"]

    # ---- snapshots and exports
    script("frigate-latest-h300-cameras-one-batch", "data.image_size_mismatch", argv="whats_outside.py",
           setup=prep(LATEST_PREP))
    script("ir-night-model-one-channel-daytime-snapshot", "data.image_channels", also=["model.input_shape"],
           argv="classify_garden.py", args=("www/snapshots/garden_latest.jpg",), setup=prep(NIGHT_PREP))
    add("cron-nightly-retrain-relative-data-path", "data.missing_or_corrupt",
        {"homelab/petcam/retrain.py": SCRIPTS["cron-nightly-retrain-relative-data-path"]},
        argv=["homelab/petcam/retrain.py"], project="/home/user",
        setup=snaps("homelab/petcam/data/pets/train", pets, 4))
    script("feeder-fill-ha-history-unavailable-loadtxt", "data.missing_or_corrupt", argv="train_feeder.py",
           setup=prep(FEEDER_PREP))

    # ---- labels
    script("frigate-event-boxes-xywh-to-fasterrcnn", "data.bbox_invalid", argv="train_porch_detector.py",
           setup=prep(EVENTS_PREP))
    script("who-is-home-member-lists-collate-workers", "data.label_shape", also=["data.image_size_mismatch"],
           forms=W, argv="train_who_is_home.py", setup=prep(HOME_PREP))
    script("household-faces-photo-manager-1-based-ids-tqdm", "data.label_out_of_range",
           also=["model.output_mismatch"], forms=P, argv="train_faces.py", setup=prep(FACES_PREP))
    script("nvr-box-snapshot-sorter-int32-label-cache", "data.dtype", argv="train_from_cache.py",
           setup=prep(CACHE_PREP))

    # ---- models
    notebook("driveway-vgg-head-224-trained-widescreen-notebook", "model.input_shape", forms=NB,
             setup=snaps("driveway/train", ["car", "empty", "person"], 3, w=320, h=180))
    script("siamese-face-verify-distance-vector-into-bce", "model.output_mismatch", also=["data.label_shape"],
           argv="train_door_verify.py", setup=prep(PAIRS_PREP))
    script("petcam-deploy-sequential-checkpoint-into-bare-resnet", "model.weights_mismatch",
           argv="classify_kitchen.py", setup=prep(DEPLOY_PREP))
    script("frigate-api-snapshot-bytes-into-decode-jpeg", "model.api_misuse", argv="visitors.py",
           setup=prep(API_PREP))

    # ---- optimisation
    script("porch-vae-raw-pixels-loss-inf-then-nan", "optim.divergence",
           argv="train_porch_vae.py", setup=prep(QUIET_PREP))
    script("porch-package-person-heads-two-backward-calls", "optim.autograd_graph", argv="train_porch_heads.py",
           setup=prep(PORCH_PREP))

    # ---- resource / environment / other
    script("docker-default-64m-shm-snapshot-workers", "resource.host_memory", forms=W, argv="train.py",
           python=container_python("python-shm64m", SHM_64M), project="/app",
           setup=snaps("frigate_clips", ["car", "cat", "person"], 56, w=160, h=90))
    script("container-without-gpus-config-device-cuda", "env.cuda_setup", also=["env.device_mismatch"],
           argv="train.py", project="/app", setup=prep(GPU_CFG_PREP))
    script("skipped-files-log-in-dataset-spawn-workers", "env.multiprocessing", argv="train_garden.py",
           setup=snaps("garden_cam", ["cat", "dog", "fox", "hedgehog"], 3, w=96, h=96, cam="garden"))
    script("hog-person-prefilter-autolabel-opencv5", "env.version_incompat", argv="autolabel_people.py",
           setup=prep(HOG_PREP))
    script("ha-sensor-payload-tensor-json-dump", "other", argv="bins_out.py", setup=prep(HA_PREP))

    # ---- ImageAI 3
    script("imageai-porch-roi-recut-labels-negative", "data.bbox_invalid", framework="imageai",
           argv="train_porch.py", timeout=400,
           setup=yolo_layout("porch_roi", roi_rows, size=(640, 360)))
    script("imageai-cron-camera-proxy-401-snapshot", "data.missing_or_corrupt", framework="imageai",
           argv="check_porch.py", project="/home/user/porchwatch",
           setup=both(save_tiny('["package", "person"]', 2, PROXY_TINY["PT"], PROXY_TINY["JS"]),
                      write("snapshots/front_door_latest.jpg", "401: Unauthorized")))
    script("imageai-inference-container-imagenet-file-as-pet-model", "model.weights_mismatch",
           also=["model.api_misuse"], framework="imageai", argv="infer_pets.py", project="/app",
           exception="Exception",  # ImageAI re-raises the load_state_dict RuntimeError as a plain Exception
           setup=prep(IMAGENET_MNV2))
    script("imageai-pet-trainer-nas-share-mounted-read-only", "other",
           framework="imageai", argv="train_pets.py", project="/app", timeout=400,
           python=container_python("python-nas-ro", NAS_RO),
           setup=imgs(class_folder("nas/pets/train", pets, 3, size=(96, 64))
                      + class_folder("nas/pets/test", pets, 2, size=(96, 64))))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=1))
