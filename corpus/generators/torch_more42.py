"""A forty-second held-out set (g83, scored 0.96 top-1 and 1.00 top-3 before any rule for it) of PyTorch / torchvision failures: an untargeted sample of what
people training and evaluating image models on their own data meet in scripts and notebooks
(classification, detection, segmentation, metric learning, autoencoders, GANs, simple video),
spread over the cause ids roughly as often as users hit them, none a repeat of the scenarios in
the other generators.

- data: face crops cut with numpy slices around landmarks near the border (in workers), a
  signature-verification gallery embedded without the training ``Grayscale`` step, video frames
  that ffmpeg numbered from 1 read from 0 (in workers), Market-1501 person ids used as class
  indices (tqdm), FixMatch's -1 "unlabelled" rows fed to cross-entropy (logging), masks read with
  ``cv2.imread``'s default colour flag (notebook), a float64 gallery ``.npy`` matched against
  float32 queries (notebook), WIDER FACE's all-zero row for face-less images, a super-resolution
  ``RandomCrop(96)`` meeting a thumbnail (in workers, tqdm), ``random_split`` fractions on a pilot
  folder leaving validation empty (warning, then the division);
- model: a siamese pair stacked on the channel axis into a ResNet stem, VGG-11 on 28 px
  clothing images (notebook), a PatchGAN discriminator against per-image real/fake targets, a
  MoCo ``encoder_q`` checkpoint into a plain ResNet, ``align_corners`` with nearest mask
  resizing, ``clip_grad_norm_`` given the module;
- optimisation / autograd: ArcFace weights imprinted from the embeddings themselves (``acos`` of
  a cosine past 1 under anomaly mode), a depth net's ``log`` of its ReLU output (zeros) under
  anomaly mode, batch-hard triplet mining that writes ``inf`` into the ``cdist`` output, a style-transfer
  image made non-leaf by ``clamp``;
- environment: all frames of a 1080p clip turned float32 under a job memory limit, a dataset
  holding its skipped-files log handle under spawn workers, ``scipy.misc.imresize`` in an old
  SRCNN patch extractor (in workers), ``cudnn.enabled`` used as the GPU check on a CPU box;
- plain bugs: a ``__len__`` returning ``len(self)``, a history key renamed between cells
  (notebook).

Every case is a small real program (plain scripts, DataLoader workers, IPython cells, tqdm bars,
logging lines) on CPU with the torch venv (no GPU, no downloads, weights=None); the label is
known by construction.

    EE_TORCH_VENV=/work/venvs/torch /work/venvs/torch/bin/python corpus/generators/torch_more42.py [-k filter] [--out DIR] [-j N]
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _record import Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders  # noqa: E402,F401
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more42.py"

SCRIPTS = {}
CELLS = {}

# ================================================================== data.image_size_mismatch
SCRIPTS["face-crops-numpy-slice-landmark-near-border-workers"] = '''
import json

import numpy as np
import torch
import torch.nn as nn
import torchvision.transforms.functional as TF
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models

CROP = 32   # half size of the 64 x 64 face crop around the nose landmark


class FaceCrops(Dataset):
    def __init__(self, meta):
        self.items = json.load(open(meta))

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        it = self.items[i]
        img = np.asarray(Image.open("photos/" + it["file"]).convert("RGB"))
        cx, cy = it["nose"]
        crop = img[cy - CROP:cy + CROP, cx - CROP:cx + CROP]
        return TF.to_tensor(crop.copy()), it["person"]


def main():
    loader = DataLoader(FaceCrops("photos/meta.json"), batch_size=4, shuffle=False, num_workers=2)
    model = models.resnet18(weights=None, num_classes=3)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    for epoch in range(2):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print("epoch", epoch, "loss", round(loss.item(), 4))


if __name__ == "__main__":
    main()
'''


def faces_setup(work: Path):
    make_images(work, [(f"photos/p{i:03d}.jpg", (160, 120), "RGB") for i in range(8)])
    # the detector's landmark for the man at the right edge of the group photo
    meta = [{"file": f"p{i:03d}.jpg", "nose": [80 if i != 6 else 141, 60], "person": i % 3} for i in range(8)]
    (work / "photos/meta.json").write_text(json.dumps(meta, indent=1))


SCRIPTS["super-resolution-randomcrop-96-thumbnail-workers"] = '''
import glob

import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms
from tqdm import tqdm

SCALE = 4


class SRPatches(Dataset):
    """random 96 px HR patches from the DIV2K-style folder, LR made by bicubic downscaling"""

    def __init__(self, root):
        self.files = sorted(glob.glob(root + "/*.png"))
        self.crop = transforms.RandomCrop(96)
        self.to_tensor = transforms.ToTensor()

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        hr = self.crop(Image.open(self.files[i]).convert("RGB"))
        lr = hr.resize((96 // SCALE, 96 // SCALE), Image.BICUBIC)
        return self.to_tensor(lr), self.to_tensor(hr)


class ESPCN(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(3, 64, 5, padding=2), nn.Tanh(),
                                  nn.Conv2d(64, 32, 3, padding=1), nn.Tanh(),
                                  nn.Conv2d(32, 3 * SCALE ** 2, 3, padding=1))
        self.shuffle = nn.PixelShuffle(SCALE)

    def forward(self, x):
        return self.shuffle(self.body(x))


def main():
    loader = DataLoader(SRPatches("hr_train"), batch_size=4, shuffle=True, num_workers=2)
    model = ESPCN()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(3):
        for lr_img, hr_img in tqdm(loader, desc=f"epoch {epoch}"):
            loss = F.l1_loss(model(lr_img), hr_img)
            opt.zero_grad()
            loss.backward()
            opt.step()


if __name__ == "__main__":
    torch.manual_seed(0)
    main()
'''

# ================================================================== data.image_channels
SCRIPTS["signature-gallery-transform-missing-grayscale"] = '''
import glob

import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms
from tqdm import tqdm

train_tf = transforms.Compose([transforms.Grayscale(), transforms.Resize((96, 96)),
                               transforms.RandomAffine(5, translate=(0.05, 0.05)), transforms.ToTensor()])
eval_tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])

train = datasets.ImageFolder("signatures/train", transform=train_tf)
loader = DataLoader(train, batch_size=4, shuffle=True)

net = models.resnet18(weights=None, num_classes=128)
net.conv1 = nn.Conv2d(1, 64, 7, 2, 3, bias=False)        # scanned signatures are grey
head = nn.Linear(128, len(train.classes))
opt = torch.optim.Adam(list(net.parameters()) + list(head.parameters()), lr=1e-3)

for epoch in range(2):
    net.train()
    for x, y in tqdm(loader, desc=f"train {epoch}"):
        loss = F.cross_entropy(head(F.normalize(net(x))), y)
        opt.zero_grad()
        loss.backward()
        opt.step()

# verification: embed the reference signatures of every client
net.eval()
refs = sorted(glob.glob("signatures/reference/*.png"))
with torch.no_grad():
    gallery = torch.stack([eval_tf(Image.open(p).convert("RGB")) for p in refs])
    gallery_emb = F.normalize(net(gallery))
print("gallery:", gallery_emb.shape)
'''

# ================================================================== data.missing_or_corrupt
SCRIPTS["video-frames-numbered-from-one-workers"] = '''
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms
from torchvision.models.video import r3d_18

# frames extracted with:  ffmpeg -i clip.mp4 -vf scale=64:48 clips/<action>/<clip>/frame_%05d.jpg
T = 8


class FrameClips(Dataset):
    def __init__(self, root):
        self.classes = sorted(os.listdir(root))
        self.clips = [(os.path.join(root, c, v), k) for k, c in enumerate(self.classes)
                      for v in sorted(os.listdir(os.path.join(root, c)))]
        self.tf = transforms.Compose([transforms.Resize((56, 56)), transforms.ToTensor()])

    def __len__(self):
        return len(self.clips)

    def __getitem__(self, i):
        folder, label = self.clips[i]
        n = len(os.listdir(folder))
        idx = [round(j * (n - 1) / (T - 1)) for j in range(T)]
        frames = [self.tf(Image.open(os.path.join(folder, f"frame_{k:05d}.jpg"))) for k in idx]
        return torch.stack(frames, dim=1), label          # C, T, H, W


def main():
    ds = FrameClips("clips")
    loader = DataLoader(ds, batch_size=2, shuffle=True, num_workers=2)
    model = r3d_18(weights=None, num_classes=len(ds.classes))
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    for clips, labels in loader:
        loss = nn.functional.cross_entropy(model(clips), labels)
        opt.zero_grad()
        loss.backward()
        opt.step()
        print("loss", loss.item())


if __name__ == "__main__":
    main()
'''


def clips_setup(work: Path):
    specs = []
    for a in ("pour", "stir"):
        for v in range(2):
            specs += [(f"clips/{a}/{a}_{v:02d}/frame_{k:05d}.jpg", (64, 48), "RGB") for k in range(1, 13)]
    make_images(work, specs)


SCRIPTS["random-split-fractions-pilot-folder-empty-val"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, random_split
from torchvision import datasets, transforms

# convolutional autoencoder for anomaly detection: trained on the "good" parts only
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
full = datasets.ImageFolder("pilot", transform=tf)
train_ds, val_ds = random_split(full, [0.9, 0.1], generator=torch.Generator().manual_seed(0))
print(f"train {len(train_ds)}  val {len(val_ds)}")
train_loader = DataLoader(train_ds, batch_size=4, shuffle=True)
val_loader = DataLoader(val_ds, batch_size=4)

model = nn.Sequential(
    nn.Conv2d(3, 16, 3, 2, 1), nn.ReLU(), nn.Conv2d(16, 32, 3, 2, 1), nn.ReLU(),
    nn.ConvTranspose2d(32, 16, 4, 2, 1), nn.ReLU(), nn.ConvTranspose2d(16, 3, 4, 2, 1), nn.Sigmoid())
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
mse = nn.MSELoss()

for epoch in range(3):
    model.train()
    for x, _ in train_loader:
        loss = mse(model(x), x)
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()
    val_loss = 0.0
    with torch.no_grad():
        for x, _ in val_loader:
            val_loss += mse(model(x), x).item()
    val_loss /= len(val_loader)
    print(f"epoch {epoch}: train {loss.item():.4f} val {val_loss:.4f}")
'''

# ================================================================== data.label_out_of_range
SCRIPTS["market1501-raw-person-ids-as-class-index"] = '''
import glob
import os

import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms
from tqdm import tqdm


class Market(Dataset):
    """bounding_box_train/0002_c1s1_000451_03.jpg -> person id 2, camera 1"""

    def __init__(self, root):
        self.files = sorted(glob.glob(os.path.join(root, "*.jpg")))
        self.pids = [int(os.path.basename(f).split("_")[0]) for f in self.files]
        self.tf = transforms.Compose([transforms.Resize((64, 32)), transforms.ToTensor(),
                                      transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        return self.tf(Image.open(self.files[i]).convert("RGB")), self.pids[i]


class ReIDNet(nn.Module):
    def __init__(self, num_ids):
        super().__init__()
        self.backbone = models.resnet18(weights=None)
        self.backbone.fc = nn.Identity()
        self.bnneck = nn.BatchNorm1d(512)
        self.classifier = nn.Linear(512, num_ids, bias=False)

    def forward(self, x):
        feat = self.backbone(x)
        return feat, self.classifier(self.bnneck(feat))


ds = Market("Market-1501/bounding_box_train")
num_ids = len(set(ds.pids))
print("identities:", num_ids, "images:", len(ds))
loader = DataLoader(ds, batch_size=4, shuffle=True, drop_last=True)
model = ReIDNet(num_ids)
opt = torch.optim.Adam(model.parameters(), lr=3.5e-4)
triplet = nn.TripletMarginLoss(margin=0.3)

for epoch in range(2):
    for x, pid in tqdm(loader, desc=f"epoch {epoch}"):
        feat, logits = model(x)
        loss = F.cross_entropy(logits, pid)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''


def market_setup(work: Path):
    specs = []
    for pid in (2, 7, 10, 23):
        for cam in (1, 3):
            specs.append((f"Market-1501/bounding_box_train/{pid:04d}_c{cam}s1_{pid * 131 + cam:06d}_01.jpg", (64, 128), "RGB"))
    make_images(work, specs)


SCRIPTS["fixmatch-unlabelled-minus-one-into-cross-entropy"] = '''
import csv
import logging

import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms

logging.basicConfig(level=logging.INFO, format="[%(asctime)s] %(levelname)s - %(message)s", datefmt="%H:%M:%S")
logger = logging.getLogger(__name__)

CLASSES = ["benign", "malignant"]
UNLABELLED = -1


class Lesions(Dataset):
    """labels.csv: file,label   (label empty for the images the dermatologist has not rated yet)"""

    def __init__(self, csv_path):
        self.rows = []
        for r in csv.DictReader(open(csv_path)):
            self.rows.append((r["file"], CLASSES.index(r["label"]) if r["label"] else UNLABELLED))
        self.weak = transforms.Compose([transforms.Resize((64, 64)), transforms.RandomHorizontalFlip(),
                                        transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        f, y = self.rows[i]
        return self.weak(Image.open("lesions/" + f).convert("RGB")), y


ds = Lesions("lesions/labels.csv")
n_lab = sum(y != UNLABELLED for _, y in ds.rows)
logger.info("%d images, %d labelled, %d unlabelled", len(ds), n_lab, len(ds) - n_lab)
loader = DataLoader(ds, batch_size=4, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(CLASSES))
opt = torch.optim.SGD(model.parameters(), lr=0.03, momentum=0.9, nesterov=True)

for epoch in range(2):
    for step, (x, y) in enumerate(loader):
        logits = model(x)
        sup_loss = F.cross_entropy(logits, y)
        # pseudo-labels for confident predictions
        probs = logits.detach().softmax(1)
        conf, pseudo = probs.max(1)
        unsup_loss = (F.cross_entropy(logits, pseudo, reduction="none") * (conf > 0.95)).mean()
        loss = sup_loss + unsup_loss
        opt.zero_grad()
        loss.backward()
        opt.step()
        logger.info("epoch %d step %d loss %.4f", epoch, step, loss.item())
'''


def lesions_setup(work: Path):
    make_images(work, [(f"lesions/ISIC_{i:07d}.jpg", (80, 80), "RGB") for i in range(10)])
    rows = ["file,label"] + [f"ISIC_{i:07d}.jpg,{['benign', 'malignant', ''][i % 3] if i > 2 else ['benign', 'malignant', 'benign'][i]}"
                             for i in range(10)]
    (work / "lesions/labels.csv").write_text("\n".join(rows) + "\n")


# ================================================================== data.label_shape
CELLS["seg-masks-cv2-imread-default-colour-notebook"] = [
    '''
import glob
import os

import cv2
import numpy as np
import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset
from torchvision.models.segmentation import lraspp_mobilenet_v3_large

CLASSES = ["background", "road", "building"]


class RoofSeg(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/images/*.jpg"))
        self.root = root

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = cv2.cvtColor(cv2.imread(self.images[i]), cv2.COLOR_BGR2RGB)
        name = os.path.basename(self.images[i]).replace(".jpg", ".png")
        mask = cv2.imread(f"{self.root}/masks/{name}")           # values 0, 1, 2
        img = torch.from_numpy(img).permute(2, 0, 1).float() / 255.0
        return img, torch.from_numpy(mask).long()


train_loader = DataLoader(RoofSeg("aerial"), batch_size=2, shuffle=True)
model = lraspp_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=len(CLASSES))
opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
''',
    '''
model.train()
for epoch in range(2):
    for img, mask in train_loader:
        out = model(img)["out"]
        loss = F.cross_entropy(out, mask)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
''',
]

AERIAL_PREP = '''
import os
import numpy as np
from PIL import Image
os.makedirs("aerial/images", exist_ok=True)
os.makedirs("aerial/masks", exist_ok=True)
rng = np.random.default_rng(0)
for i in range(4):
    Image.fromarray(rng.integers(0, 255, (64, 64, 3), dtype=np.uint8)).save(f"aerial/images/tile_{i:03d}.jpg")
    m = np.zeros((64, 64), np.uint8)
    m[10:30, 5:60] = 1
    m[40:60, 20:50] = 2
    Image.fromarray(m).save(f"aerial/masks/tile_{i:03d}.png")
'''

# ================================================================== data.dtype
CELLS["gallery-embeddings-float64-npy-query-matmul-notebook"] = [
    '''
import json

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torchvision import models, transforms

# gallery of catalogue embeddings computed last week by build_gallery.py
gallery = np.load("index/gallery_emb.npy")
skus = json.load(open("index/skus.json"))
print(gallery.shape, len(skus))

net = models.resnet18(weights=None)
net.fc = torch.nn.Identity()
net.load_state_dict(torch.load("index/embedder.pt"))
net.eval()
tf = transforms.Compose([transforms.Resize((112, 112)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
''',
    '''
# match a shelf photo against the catalogue
with torch.no_grad():
    q = F.normalize(net(tf(Image.open("shelf_photo.jpg").convert("RGB"))[None]))
sims = q @ torch.from_numpy(gallery).T
top = sims.topk(3, dim=1)
print([skus[i] for i in top.indices[0].tolist()], top.values)
''',
]

GALLERY_PREP = '''
import json, os
import numpy as np
import torch
from torchvision import models
os.makedirs("index", exist_ok=True)
torch.manual_seed(0)
net = models.resnet18(weights=None)
net.fc = torch.nn.Identity()
torch.save(net.state_dict(), "index/embedder.pt")
emb = np.random.default_rng(0).standard_normal((20, 512)).astype(np.float32)
emb = emb / np.linalg.norm(emb, axis=1, keepdims=True).astype(np.float64)   # L2-normalised with numpy
np.save("index/gallery_emb.npy", emb)
json.dump([f"SKU-{1000 + i}" for i in range(20)], open("index/skus.json", "w"))
'''

# ================================================================== data.bbox_invalid
SCRIPTS["wider-face-zero-row-for-faceless-images-fasterrcnn"] = '''
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
import torchvision.transforms.functional as TF
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn


def parse_wider(gt_file):
    """wider_face_train_bbx_gt.txt: file name, face count, then one row per face
    (x y w h blur expression illumination invalid occlusion pose)"""
    lines = iter(open(gt_file).read().split())
    records = []
    for name in lines:
        n = int(next(lines))
        rows = [[int(next(lines)) for _ in range(10)] for _ in range(max(n, 1))]   # 0 faces -> one row of zeros
        boxes = [[x, y, x + w, y + h] for x, y, w, h, *_ in rows]
        records.append((name, boxes))
    return records


class WiderFace(Dataset):
    def __init__(self, root):
        self.root = root
        self.records = parse_wider(root + "/wider_face_split/wider_face_train_bbx_gt.txt")

    def __len__(self):
        return len(self.records)

    def __getitem__(self, i):
        name, boxes = self.records[i]
        img = TF.to_tensor(Image.open(f"{self.root}/WIDER_train/images/{name}").convert("RGB"))
        target = {"boxes": torch.tensor(boxes, dtype=torch.float32),
                  "labels": torch.ones(len(boxes), dtype=torch.int64)}
        return img, target


ds = WiderFace("WIDER")
loader = DataLoader(ds, batch_size=2, shuffle=False, collate_fn=lambda b: tuple(zip(*b)))
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=2)
opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9, weight_decay=5e-4)
model.train()
for epoch in range(2):
    for images, targets in loader:
        losses = model(list(images), list(targets))
        loss = sum(losses.values())
        opt.zero_grad()
        loss.backward()
        opt.step()
    print("epoch", epoch, {k: round(v.item(), 3) for k, v in losses.items()})
'''


def wider_setup(work: Path):
    names = ["0--Parade/0_Parade_marchingband_1_5.jpg", "0--Parade/0_Parade_Parade_0_12.jpg",
             "12--Group/12_Group_Group_12_Group_Group_12_10.jpg", "12--Group/12_Group_Large_Group_12_Group_Large_Group_12_31.jpg"]
    make_images(work, [(f"WIDER/WIDER_train/images/{n}", (200, 150), "RGB") for n in names])
    gt = (f"{names[0]}\n2\n30 40 24 30 0 0 0 0 0 0 \n120 35 20 26 1 0 0 0 0 0 \n"
          f"{names[1]}\n1\n60 50 40 44 0 0 0 0 0 0 \n"
          f"{names[2]}\n0\n0 0 0 0 0 0 0 0 0 0 \n"
          f"{names[3]}\n3\n10 10 18 22 2 0 0 0 1 0 \n70 12 16 20 0 0 0 0 0 0 \n150 30 22 25 0 0 1 0 0 0 \n")
    (work / "WIDER/wider_face_split").mkdir(parents=True)
    (work / "WIDER/wider_face_split/wider_face_train_bbx_gt.txt").write_text(gt)


# ================================================================== model.input_shape
SCRIPTS["siamese-pair-stacked-on-channels-resnet-stem"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms


class ChangePairs(Dataset):
    """pairs.csv: before,after,changed  (satellite tiles of the same place, two dates)"""

    def __init__(self, csv_path):
        self.rows = list(csv.DictReader(open(csv_path)))
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        a = self.tf(Image.open("tiles/" + r["before"]).convert("RGB"))
        b = self.tf(Image.open("tiles/" + r["after"]).convert("RGB"))
        return torch.cat([a, b], dim=0), float(r["changed"])     # early fusion of the pair


class SiameseChange(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = models.resnet18(weights=None)
        self.encoder.fc = nn.Linear(512, 1)

    def forward(self, pair):
        return self.encoder(pair).squeeze(1)


loader = DataLoader(ChangePairs("tiles/pairs.csv"), batch_size=4, shuffle=True)
model = SiameseChange()
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
crit = nn.BCEWithLogitsLoss()
for epoch in range(3):
    for pair, changed in loader:
        loss = crit(model(pair), changed.float())
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''


def tiles_setup(work: Path):
    make_images(work, [(f"tiles/t{i:02d}_{d}.png", (64, 64), "RGB") for i in range(4) for d in ("2019", "2023")])
    rows = ["before,after,changed"] + [f"t{i:02d}_2019.png,t{i:02d}_2023.png,{i % 2}" for i in range(4)]
    (work / "tiles/pairs.csv").write_text("\n".join(rows) + "\n")


CELLS["vgg11-on-28px-clothing-images-notebook"] = [
    '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

# our own photos of clothing, preprocessed like Fashion-MNIST (28 x 28 grey)
tf = transforms.Compose([transforms.Grayscale(num_output_channels=3), transforms.ToTensor(),
                         transforms.Normalize([0.286] * 3, [0.353] * 3)])
train_ds = datasets.ImageFolder("clothes28/train", transform=tf)
train_loader = DataLoader(train_ds, batch_size=8, shuffle=True)
print(train_ds.classes, len(train_ds))
''',
    '''
model = models.vgg11(weights=None, num_classes=len(train_ds.classes))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
''',
    '''
for epoch in range(3):
    running = 0.0
    for images, labels in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
        running += loss.item()
    print(f"epoch {epoch + 1}: {running / len(train_loader):.3f}")
''',
]

# ================================================================== model.output_mismatch
SCRIPTS["patchgan-discriminator-per-image-targets"] = '''
import glob

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms
from tqdm import tqdm


class EdgesToShoes(Dataset):
    """pix2pix layout: each file is [edges | photo] side by side"""

    def __init__(self, root):
        self.files = sorted(glob.glob(root + "/*.jpg"))
        self.tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize([0.5] * 3, [0.5] * 3)])

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        ab = self.tf(Image.open(self.files[i]).convert("RGB"))
        w = ab.shape[2] // 2
        return ab[:, :, :w], ab[:, :, w:]


def block(i, o, down=True):
    conv = nn.Conv2d(i, o, 4, 2, 1) if down else nn.ConvTranspose2d(i, o, 4, 2, 1)
    return nn.Sequential(conv, nn.BatchNorm2d(o), nn.LeakyReLU(0.2) if down else nn.ReLU())


G = nn.Sequential(block(3, 32), block(32, 64), block(64, 32, down=False),
                  nn.ConvTranspose2d(32, 3, 4, 2, 1), nn.Tanh())
# 70x70 PatchGAN style: one logit per patch
D = nn.Sequential(nn.Conv2d(6, 32, 4, 2, 1), nn.LeakyReLU(0.2), block(32, 64), block(64, 128),
                  nn.Conv2d(128, 1, 4, 1, 1))
bce = nn.BCEWithLogitsLoss()
l1 = nn.L1Loss()
opt_g = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
opt_d = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
loader = DataLoader(EdgesToShoes("edges2shoes/train"), batch_size=4, shuffle=True)

for epoch in range(5):
    for edges, photo in tqdm(loader, desc=f"epoch {epoch}"):
        real = torch.ones(edges.size(0), 1)
        fake_lbl = torch.zeros(edges.size(0), 1)
        fake = G(edges)
        d_loss = 0.5 * (bce(D(torch.cat([edges, photo], 1)), real)
                        + bce(D(torch.cat([edges, fake.detach()], 1)), fake_lbl))
        opt_d.zero_grad()
        d_loss.backward()
        opt_d.step()
        g_loss = bce(D(torch.cat([edges, fake], 1)), real) + 100 * l1(fake, photo)
        opt_g.zero_grad()
        g_loss.backward()
        opt_g.step()
'''

# ================================================================== model.weights_mismatch
SCRIPTS["moco-encoder-q-checkpoint-into-resnet-linear-eval"] = '''
import logging

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

logging.basicConfig(level=logging.INFO, format="%(asctime)s | %(levelname)-7s | %(message)s")
log = logging.getLogger("lincls")

# linear evaluation of our MoCo v2 pretraining on the microscopy tiles
model = models.resnet50(weights=None, num_classes=4)
ckpt = torch.load("moco/checkpoint_0199.pth.tar", map_location="cpu")
log.info("loaded checkpoint from epoch %d (arch %s)", ckpt["epoch"], ckpt["arch"])
model.load_state_dict(ckpt["state_dict"])
for name, p in model.named_parameters():
    if not name.startswith("fc."):
        p.requires_grad = False

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("cells", transform=tf), batch_size=4, shuffle=True)
opt = torch.optim.SGD(model.fc.parameters(), lr=30.0, momentum=0.9)
for x, y in loader:
    loss = nn.functional.cross_entropy(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    log.info("loss %.4f", loss.item())
'''

MOCO_PREP = '''
import os
import torch
import torch.nn as nn
from torchvision import models
os.makedirs("moco", exist_ok=True)


class MoCo(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder_q = models.resnet50(weights=None, num_classes=128)
        self.encoder_k = models.resnet50(weights=None, num_classes=128)
        self.register_buffer("queue", torch.randn(128, 256))
        self.register_buffer("queue_ptr", torch.zeros(1, dtype=torch.long))


m = nn.DataParallel(MoCo())
torch.save({"epoch": 200, "arch": "resnet50", "state_dict": m.state_dict()}, "moco/checkpoint_0199.pth.tar")
'''

# ================================================================== model.api_misuse
SCRIPTS["multiscale-seg-mask-nearest-with-align-corners"] = '''
import glob
import random

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.segmentation import fcn_resnet50

SCALES = [48, 64, 80]


class Crops(Dataset):
    def __init__(self, root):
        self.imgs = sorted(glob.glob(root + "/img/*.png"))

    def __len__(self):
        return len(self.imgs)

    def __getitem__(self, i):
        img = torch.from_numpy(np.array(Image.open(self.imgs[i]).convert("RGB"))).permute(2, 0, 1).float() / 255
        mask = torch.from_numpy(np.array(Image.open(self.imgs[i].replace("/img/", "/mask/"))).astype(np.int64))
        return img, mask


loader = DataLoader(Crops("weeds"), batch_size=2, shuffle=True)
model = fcn_resnet50(weights=None, weights_backbone=None, num_classes=3, aux_loss=False)
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

for epoch in range(2):
    for img, mask in loader:
        s = random.choice(SCALES)        # multi-scale training
        img = F.interpolate(img, size=(s, s), mode="bilinear", align_corners=False)
        mask = F.interpolate(mask[:, None].float(), size=(s, s), mode="nearest", align_corners=False)[:, 0].long()
        loss = F.cross_entropy(model(img)["out"], mask)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

WEEDS_PREP = '''
import os
import numpy as np
from PIL import Image
os.makedirs("weeds/img", exist_ok=True)
os.makedirs("weeds/mask", exist_ok=True)
rng = np.random.default_rng(0)
for i in range(4):
    Image.fromarray(rng.integers(0, 255, (64, 64, 3), dtype=np.uint8)).save(f"weeds/img/plot_{i}.png")
    Image.fromarray(rng.integers(0, 3, (64, 64), dtype=np.uint8)).save(f"weeds/mask/plot_{i}.png")
'''

SCRIPTS["vae-clip-grad-norm-given-module"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from tqdm import tqdm


class VAE(nn.Module):
    def __init__(self, z=16):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv2d(3, 32, 4, 2, 1), nn.ReLU(), nn.Conv2d(32, 64, 4, 2, 1), nn.ReLU(),
                                 nn.Flatten())
        self.mu = nn.Linear(64 * 8 * 8, z)
        self.logvar = nn.Linear(64 * 8 * 8, z)
        self.dec = nn.Sequential(nn.Linear(z, 64 * 8 * 8), nn.Unflatten(1, (64, 8, 8)),
                                 nn.ConvTranspose2d(64, 32, 4, 2, 1), nn.ReLU(),
                                 nn.ConvTranspose2d(32, 3, 4, 2, 1), nn.Sigmoid())

    def forward(self, x):
        h = self.enc(x)
        mu, logvar = self.mu(h), self.logvar(h)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        return self.dec(z), mu, logvar


tf = transforms.Compose([transforms.Resize((32, 32)), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("emoji", transform=tf), batch_size=4, shuffle=True)
model = VAE()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(3):
    for x, _ in tqdm(loader, desc=f"epoch {epoch}", leave=False):
        recon, mu, logvar = model(x)
        kld = -0.5 * torch.mean(1 + logvar - mu.pow(2) - logvar.exp())
        loss = F.binary_cross_entropy(recon, x) + 1e-3 * kld
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model, max_norm=1.0)
        opt.step()
'''

# ================================================================== optim.divergence
SCRIPTS["arcface-weights-imprinted-from-embeddings-acos-anomaly"] = '''
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms


class ArcFace(nn.Module):
    def __init__(self, dim, n_cls, s=30.0, m=0.5):
        super().__init__()
        self.W = nn.Parameter(torch.randn(n_cls, dim))
        self.s, self.m = s, m

    def forward(self, emb, y):
        cos = F.linear(F.normalize(emb), F.normalize(self.W))
        theta = torch.acos(cos)
        target = torch.cos(theta + self.m)
        logits = torch.where(F.one_hot(y, cos.size(1)).bool(), target, cos)
        return self.s * logits


torch.manual_seed(0)
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
ds = datasets.ImageFolder("products", transform=tf)       # one reference photo per SKU
loader = DataLoader(ds, batch_size=len(ds), shuffle=False)
backbone = models.resnet18(weights=None, num_classes=64)
head = ArcFace(64, len(ds.classes))

# imprint the class weights from the reference embeddings (low-shot trick)
with torch.no_grad():
    x, y = next(iter(loader))
    head.W.copy_(F.normalize(backbone(x))[y.argsort()])

opt = torch.optim.SGD(list(backbone.parameters()) + list(head.parameters()), lr=0.01, momentum=0.9)
torch.autograd.set_detect_anomaly(True)
for epoch in range(5):
    for x, y in loader:
        loss = F.cross_entropy(head(backbone(x), y), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

SCRIPTS["depth-net-log-of-relu-output-anomaly"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
import torchvision.transforms.functional as TF


class NYUPairs(Dataset):
    def __init__(self, root):
        self.rgb = sorted(glob.glob(root + "/rgb/*.jpg"))

    def __len__(self):
        return len(self.rgb)

    def __getitem__(self, i):
        img = TF.to_tensor(Image.open(self.rgb[i]).convert("RGB"))
        d = np.array(Image.open(self.rgb[i].replace("/rgb/", "/depth/").replace(".jpg", ".png")), np.float32) / 1000.0
        return img, torch.from_numpy(d)[None]


class DepthNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv2d(3, 32, 3, 2, 1), nn.ReLU(), nn.Conv2d(32, 64, 3, 2, 1), nn.ReLU())
        self.dec = nn.Sequential(nn.ConvTranspose2d(64, 32, 4, 2, 1), nn.ReLU(),
                                 nn.ConvTranspose2d(32, 1, 4, 2, 1), nn.ReLU())   # depth is positive

    def forward(self, x):
        return self.dec(self.enc(x))


def silog(pred, gt, lam=0.85):
    d = torch.log(pred) - torch.log(gt)
    return torch.sqrt((d ** 2).mean() - lam * d.mean() ** 2) * 10


torch.manual_seed(0)
torch.autograd.set_detect_anomaly(True)
loader = DataLoader(NYUPairs("nyu_small"), batch_size=4, shuffle=True)
model = DepthNet()
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
for epoch in range(20):
    for img, depth in loader:
        loss = silog(model(img), depth)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: silog {loss.item():.4f}")
'''

NYU_PREP = '''
import os
import numpy as np
from PIL import Image
os.makedirs("nyu_small/rgb", exist_ok=True)
os.makedirs("nyu_small/depth", exist_ok=True)
rng = np.random.default_rng(0)
for i in range(8):
    Image.fromarray(rng.integers(0, 255, (48, 64, 3), dtype=np.uint8)).save(f"nyu_small/rgb/{i:05d}.jpg")
    Image.fromarray(rng.integers(500, 9000, (48, 64)).astype(np.uint16)).save(f"nyu_small/depth/{i:05d}.png")
'''

# ================================================================== optim.autograd_graph
SCRIPTS["batch-hard-triplet-inf-written-into-cdist"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms
from tqdm import tqdm


def batch_hard_triplet(emb, labels, margin=0.3):
    dist = torch.cdist(emb, emb)
    same = labels[:, None] == labels[None, :]
    hardest_pos = (dist * same).max(1)[0]
    dist[same] = float("inf")                 # mask positives (and self) before mining negatives
    hardest_neg = dist.min(1)[0]
    return F.relu(hardest_pos - hardest_neg + margin).mean()


tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("birds", transform=tf), batch_size=6, shuffle=True)
net = models.resnet18(weights=None, num_classes=64)
opt = torch.optim.Adam(net.parameters(), lr=3e-4)

for epoch in range(3):
    for x, y in tqdm(loader, desc=f"epoch {epoch}"):
        loss = batch_hard_triplet(F.normalize(net(x)), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

CELLS["style-transfer-image-clamped-non-leaf-notebook"] = [
    '''
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torchvision import models, transforms

tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])
content = tf(Image.open("content.jpg").convert("RGB"))[None]
style = tf(Image.open("style.jpg").convert("RGB"))[None]

vgg = models.vgg11(weights=None).features[:8].eval()
for p in vgg.parameters():
    p.requires_grad_(False)


def gram(f):
    b, c, h, w = f.shape
    f = f.view(c, h * w)
    return f @ f.T / (c * h * w)
''',
    '''
# start from noise, keep it a valid image
input_img = torch.randn(content.shape, requires_grad=True).clamp(0, 1)
optimizer = torch.optim.LBFGS([input_img])
style_gram = gram(vgg(style))
content_feat = vgg(content)
''',
    '''
for step in range(20):
    def closure():
        optimizer.zero_grad()
        f = vgg(input_img)
        loss = F.mse_loss(f, content_feat) + 1e4 * F.mse_loss(gram(f), style_gram)
        loss.backward()
        return loss
    optimizer.step(closure)
''',
]

# ================================================================== resource.host_memory
SCRIPTS["video-all-frames-float32-under-job-memory-limit"] = '''
import resource

import cv2
import numpy as np
import torch
from torchvision.models.video import r2plus1d_18

# SLURM: --mem=2G
_, hard = resource.getrlimit(resource.RLIMIT_DATA)
resource.setrlimit(resource.RLIMIT_DATA, (2 * 1024 ** 3, hard))


def load_clip(path):
    cap = cv2.VideoCapture(path)
    frames = []
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        frames.append(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))
    cap.release()
    video = np.stack(frames).astype(np.float32) / 255.0          # T, H, W, C
    return torch.from_numpy(video).permute(3, 0, 1, 2)


clip = load_clip("match_cam1.avi")
print("clip:", tuple(clip.shape))
model = r2plus1d_18(weights=None, num_classes=3).eval()
idx = torch.linspace(0, clip.shape[1] - 1, 16).long()
x = torch.nn.functional.interpolate(clip[:, idx], size=(112, 112))[None]
with torch.no_grad():
    print(model(x).softmax(1))
'''

VIDEO_PREP = '''
import cv2
import numpy as np
w = cv2.VideoWriter("match_cam1.avi", cv2.VideoWriter_fourcc(*"MJPG"), 25, (1920, 1080))
base = np.zeros((1080, 1920, 3), np.uint8)
base[:, :, 1] = 90
for t in range(60):
    f = base.copy()
    cv2.circle(f, (100 + 25 * t, 540), 40, (255, 255, 255), -1)
    w.write(f)
w.release()
'''

# ================================================================== env.multiprocessing
SCRIPTS["dataset-skipped-files-log-handle-spawn-workers"] = '''
import glob

import torch
import torch.nn as nn
from PIL import Image, UnidentifiedImageError
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms


class Scans(Dataset):
    def __init__(self, root):
        self.files = sorted(glob.glob(root + "/*/*.jpg"))
        self.classes = sorted({f.split("/")[-2] for f in self.files})
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
        self.skipped = open("skipped_files.txt", "a")      # keep a record of unreadable scans

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        f = self.files[i]
        try:
            img = Image.open(f).convert("RGB")
        except UnidentifiedImageError:
            self.skipped.write(f + "\\n")
            img = Image.new("RGB", (64, 64))
        return self.tf(img), self.classes.index(f.split("/")[-2])


def main():
    ds = Scans("scans")
    # spawn: the fork default deadlocked with OpenCV in an earlier version of this script
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2, multiprocessing_context="spawn")
    model = models.resnet18(weights=None, num_classes=len(ds.classes))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(2):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())


if __name__ == "__main__":
    main()
'''

# ================================================================== env.version_incompat
SCRIPTS["srcnn-patches-scipy-misc-imresize-workers"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from scipy import misc
from torch.utils.data import DataLoader, Dataset

SCALE = 3
PATCH = 33


class SRCNNPatches(Dataset):
    """Y channel patches, LR made by bicubic down- and up-sampling (as in the SRCNN repo)"""

    def __init__(self, root):
        self.files = sorted(glob.glob(root + "/*.bmp"))

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        img = np.asarray(Image.open(self.files[i]).convert("YCbCr"))[:, :, 0].astype(np.float32) / 255.0
        h, w = img.shape
        y0, x0 = np.random.randint(0, h - PATCH), np.random.randint(0, w - PATCH)
        hr = img[y0:y0 + PATCH, x0:x0 + PATCH]
        lr = misc.imresize(misc.imresize(hr, 1.0 / SCALE, interp="bicubic"), (PATCH, PATCH), interp="bicubic")
        return torch.from_numpy(lr / 255.0)[None].float(), torch.from_numpy(hr)[None]


def main():
    loader = DataLoader(SRCNNPatches("T91"), batch_size=4, shuffle=True, num_workers=2)
    model = nn.Sequential(nn.Conv2d(1, 64, 9, padding=4), nn.ReLU(), nn.Conv2d(64, 32, 1), nn.ReLU(),
                          nn.Conv2d(32, 1, 5, padding=2))
    opt = torch.optim.Adam(model.parameters(), lr=1e-4)
    for epoch in range(2):
        for lr_img, hr_img in loader:
            loss = nn.functional.mse_loss(model(lr_img), hr_img)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())


if __name__ == "__main__":
    main()
'''

# ================================================================== env.cuda_setup
SCRIPTS["cudnn-enabled-used-as-gpu-check-cpu-box"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

device = torch.device("cuda" if torch.backends.cudnn.enabled else "cpu")
print("training on", device)

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
ds = datasets.ImageFolder("data/flowers", transform=tf)
loader = DataLoader(ds, batch_size=4, shuffle=True)
model = models.mobilenet_v3_small(weights=None, num_classes=len(ds.classes)).to(device)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(2):
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

# ================================================================== other
SCRIPTS["dataset-len-returns-len-self"] = '''
import glob

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms


class Xrays(Dataset):
    def __init__(self, root, transform=None):
        self.files = sorted(glob.glob(root + "/*/*.png"))
        self.classes = sorted({f.split("/")[-2] for f in self.files})
        self.transform = transform

    def __len__(self):
        return len(self)

    def __getitem__(self, i):
        img = Image.open(self.files[i]).convert("RGB")
        return self.transform(img), self.classes.index(self.files[i].split("/")[-2])


tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train = Xrays("chest/train", tf)
loader = DataLoader(train, batch_size=4, shuffle=True)
model = models.densenet121(weights=None, num_classes=len(train.classes))
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
for epoch in range(2):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

CELLS["history-key-renamed-between-cells-notebook"] = [
    '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((48, 48)), transforms.ToTensor()])
train_loader = DataLoader(datasets.ImageFolder("mushrooms/train", transform=tf), batch_size=4, shuffle=True)
val_loader = DataLoader(datasets.ImageFolder("mushrooms/val", transform=tf), batch_size=4)
model = models.resnet18(weights=None, num_classes=2)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
history = {"train_loss": [], "val_loss": [], "val_acc": []}
''',
    '''
for epoch in range(2):
    model.train()
    for x, y in train_loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()
    correct, total, vloss = 0, 0, 0.0
    with torch.no_grad():
        for x, y in val_loader:
            out = model(x)
            vloss += nn.functional.cross_entropy(out, y).item()
            correct += (out.argmax(1) == y).sum().item()
            total += len(y)
    history["train_loss"].append(loss.item())
    history["val_loss"].append(vloss / len(val_loader))
    history["val_acc"].append(correct / total)
    print(f"epoch {epoch}: val acc {correct / total:.2f}")
''',
    '''
best = max(range(len(history["val_loss"])), key=lambda e: history["val_accuracy"][e])
print("best epoch:", best, "val acc:", history["val_accuracy"][best])
''',
]


def cases():
    out, add, script, notebook = case_builders("torch-more42-", SCRIPTS, CELLS)
    W = ("cpython_basic", "dataloader_worker")
    P = ["cpython_basic", "progress_bars?"]
    WP = ["cpython_basic", "dataloader_worker", "progress_bars?"]

    # ---------------------------------------------------------------- data
    script("face-crops-numpy-slice-landmark-near-border-workers", "data.image_size_mismatch", forms=W,
           also=["data.bbox_invalid"], setup=faces_setup)
    script("super-resolution-randomcrop-96-thumbnail-workers", "data.image_size_mismatch", forms=WP,
           also=["data.missing_or_corrupt"],
           setup=imgs([(f"hr_train/{i:04d}.png", (160, 128), "RGB") for i in range(5)]
                      + [("hr_train/0005.png", (80, 60), "RGB")] + [(f"hr_train/{i:04d}.png", (160, 128), "RGB") for i in range(6, 8)]))
    script("signature-gallery-transform-missing-grayscale", "data.image_channels", forms=P,
           setup=imgs(class_folder("signatures/train", ["client_a", "client_b"], 3, size=(120, 60), mode="L")
                      + [(f"signatures/reference/ref_{i}.png", (120, 60), "L") for i in range(3)]))
    script("video-frames-numbered-from-one-workers", "data.missing_or_corrupt", forms=W, setup=clips_setup)
    script("random-split-fractions-pilot-folder-empty-val", "data.missing_or_corrupt", argv="train_ae.py",
           also=["other"], setup=imgs(class_folder("pilot", ["good"], 7, size=(64, 64))))
    script("market1501-raw-person-ids-as-class-index", "data.label_out_of_range", forms=P,
           also=["model.output_mismatch"], setup=market_setup)
    script("fixmatch-unlabelled-minus-one-into-cross-entropy", "data.label_out_of_range", setup=lesions_setup)
    notebook("seg-masks-cv2-imread-default-colour-notebook", "data.label_shape", also=["data.image_channels"],
             setup=prep(AERIAL_PREP))
    notebook("gallery-embeddings-float64-npy-query-matmul-notebook", "data.dtype",
             setup=both(prep(GALLERY_PREP), imgs([("shelf_photo.jpg", (160, 120), "RGB")])))
    script("wider-face-zero-row-for-faceless-images-fasterrcnn", "data.bbox_invalid", setup=wider_setup)

    # ---------------------------------------------------------------- model
    script("siamese-pair-stacked-on-channels-resnet-stem", "model.input_shape", setup=tiles_setup)
    notebook("vgg11-on-28px-clothing-images-notebook", "model.input_shape",
             setup=imgs(class_folder("clothes28/train", ["shirt", "sneaker", "trouser"], 3, size=(28, 28), mode="L")))
    script("patchgan-discriminator-per-image-targets", "model.output_mismatch", forms=P,
           also=["data.label_shape"],
           setup=imgs([(f"edges2shoes/train/{i}_AB.jpg", (128, 64), "RGB") for i in range(6)]))
    script("moco-encoder-q-checkpoint-into-resnet-linear-eval", "model.weights_mismatch", argv="main_lincls.py",
           setup=both(prep(MOCO_PREP), imgs(class_folder("cells", ["G1", "G2", "M", "S"], 2, size=(64, 64)))))
    script("multiscale-seg-mask-nearest-with-align-corners", "model.api_misuse", setup=prep(WEEDS_PREP))
    script("vae-clip-grad-norm-given-module", "model.api_misuse", forms=P,
           setup=imgs(class_folder("emoji", ["all"], 6, size=(72, 72))))

    # ---------------------------------------------------------------- optimisation / autograd
    script("arcface-weights-imprinted-from-embeddings-acos-anomaly", "optim.divergence",
           setup=imgs(class_folder("products", ["sku_0412", "sku_0977", "sku_1301", "sku_2250"], 1, size=(80, 80))))
    script("depth-net-log-of-relu-output-anomaly", "optim.divergence", also=["other"], setup=prep(NYU_PREP))
    script("batch-hard-triplet-inf-written-into-cdist", "optim.autograd_graph", forms=P,
           setup=imgs(class_folder("birds", ["jay", "robin", "wren"], 4, size=(64, 64))))
    notebook("style-transfer-image-clamped-non-leaf-notebook", "optim.autograd_graph", also=["model.api_misuse"],
             setup=imgs([("content.jpg", (120, 96), "RGB"), ("style.jpg", (100, 100), "RGB")]))

    # ---------------------------------------------------------------- environment / resources
    script("video-all-frames-float32-under-job-memory-limit", "resource.host_memory", argv="predict_clip.py",
           setup=prep(VIDEO_PREP))
    script("dataset-skipped-files-log-handle-spawn-workers", "env.multiprocessing",
           setup=imgs(class_folder("scans", ["fracture", "normal"], 3, size=(64, 64))))
    script("srcnn-patches-scipy-misc-imresize-workers", "env.version_incompat", forms=W,
           setup=imgs([(f"T91/t{i}.bmp", (90, 80), "RGB") for i in range(6)]))
    script("cudnn-enabled-used-as-gpu-check-cpu-box", "env.cuda_setup", also=["env.device_mismatch"],
           setup=imgs(class_folder("data/flowers", ["daisy", "tulip"], 2, size=(64, 64))))

    # ---------------------------------------------------------------- plain bugs
    script("dataset-len-returns-len-self", "other", forms=["cpython_basic", "repeated_line?"],
           setup=imgs(class_folder("chest/train", ["normal", "pneumonia"], 2, size=(64, 64), mode="L", ext="png")))
    notebook("history-key-renamed-between-cells-notebook", "other",
             setup=imgs(class_folder("mushrooms/train", ["edible", "poisonous"], 2, size=(48, 48))
                        + class_folder("mushrooms/val", ["edible", "poisonous"], 1, size=(48, 48))))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
