"""A fiftieth held-out set (g99, scored 0.91 top-1 and 0.95 top-3 before any rule for it) of PyTorch / torchvision failures, untargeted across the taxonomy.

The persona: graduate students reproducing a paper's training recipe on their own data with PyTorch and
torchvision: DeepLabV3 / FCN segmentation, Faster R-CNN detection, ResNet classification, SimCLR / MoCo /
BYOL / SwAV / DINO-style contrastive pretraining and linear evaluation, custom collates and samplers,
checkpoints from a lab server, argparse recipes and SLURM habits. A natural mix of causes, each program
built so that its cause is known by construction; none a repeat of the scenarios in the other generators:

- data: dash-cam frames laid out like Cityscapes with the ``gtFine`` folder still inside the zip's
  ``gtFine_trainvaltest`` folder, a CUB-200 pilot keeping the 1-based ``image_class_labels.txt`` ids (tqdm),
  a SimCLR ``info_nce_loss`` whose diagonal mask is built from ``args.batch_size`` meeting the short last
  batch (tqdm), DINO-style multi-crop views (global and local sizes) concatenated into one batch, a kNN
  monitor whose bank labels come from ``np.loadtxt`` (notebook), VOC-layout segmentation masks derived by
  replacing ``.jpg`` while some phone photos end in ``.jpeg`` (in workers);
- model: a SimCLR projector sized for the paper's ResNet-50 (2048) on a ResNet-18, a ``DeepLabHead(2048)``
  from a ResNet tutorial on the MobileNetV3 DeepLab (tqdm), a lab-server DeepLabV3-ResNet101 checkpoint
  loaded into the ResNet-50 builder (notebook), ``CrossEntropyLoss(255)`` meant as ``ignore_index``, the
  SimCLR colour distortion written with hue ``0.8 * s``, a linear-evaluation head kept at the paper's ten
  CIFAR-10 classes (tqdm);
- optimisation: a MoCo queue enqueued in place before ``backward`` without ``clone().detach()``, a large
  batch emulated by caching earlier micro-batch projections with their graphs, a SwAV run with the paper's
  LARS learning rate under plain SGD and no prototype normalisation (anomaly mode), a BYOL target branch run
  with grad and EMA-updated in place before ``backward``;
- environment / resource: ``CocoDetection`` without ``pycocotools``, a SLURM launcher helper run on a lab
  workstation, an old detection repo importing ``Conv2d`` from ``torchvision.ops.misc``, the paper's SimCLR
  batch of 4096 under a cluster job memory limit;
- other: a reference-style recipe whose ``--output-dir`` defaults to ``None`` when the checkpoint is saved,
  a metric logger's ETA built from a tensor with ``datetime.timedelta``.

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None:
"released" checkpoints are files an earlier step left on disk).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more50.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _record import Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders  # noqa: E402,F401
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more50.py"

SCRIPTS = {}
CELLS = {}

# ================================================================== data
SCRIPTS["cityscapes-layout-dashcam-gtfine-inside-zip-folder"] = '''
"""DeepLabV3 on our dash-cam frames, converted to the Cityscapes layout (trainIds), as in the paper."""
import argparse

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, tv_tensors
from torchvision.models.segmentation import deeplabv3_resnet50
from torchvision.transforms import v2


def get_args():
    p = argparse.ArgumentParser()
    p.add_argument("--data-root", default="data/cityscapes")
    p.add_argument("--crop-size", type=int, default=256)
    p.add_argument("--batch-size", type=int, default=4)
    p.add_argument("--epochs", type=int, default=30)
    p.add_argument("--lr", type=float, default=0.01)
    return p.parse_args()


def main():
    args = get_args()
    joint = v2.Compose([
        v2.ToImage(),
        v2.RandomResizedCrop(args.crop_size, scale=(0.5, 2.0)),
        v2.RandomHorizontalFlip(),
        v2.ToDtype({tv_tensors.Image: torch.float32, "others": None}, scale=True),
    ])
    print(f"loading Cityscapes-format data from {args.data_root}")
    train_set = datasets.Cityscapes(args.data_root, split="train", mode="fine", target_type="semantic",
                                    transforms=joint)
    loader = DataLoader(train_set, batch_size=args.batch_size, shuffle=True, drop_last=True)
    model = deeplabv3_resnet50(weights=None, weights_backbone=None, num_classes=19)
    criterion = nn.CrossEntropyLoss(ignore_index=255)
    opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9, weight_decay=1e-4)
    for epoch in range(args.epochs):
        for img, mask in loader:
            loss = criterion(model(img)["out"], mask.squeeze(1).long())
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())


if __name__ == "__main__":
    main()
'''


def _dashcam(work):
    specs = []
    for city in ("lab_loop", "campus"):
        for i in range(3):
            stem = f"{city}_{i:06d}_000019"
            specs.append((f"data/dashcam/leftImg8bit/train/{city}/{stem}_leftImg8bit.png", (160, 80), "RGB"))
            specs.append((f"data/dashcam/gtFine_trainvaltest/gtFine/train/{city}/{stem}_gtFine_labelTrainIds.png",
                          (160, 80), "L"))
    make_images(work, specs)


SCRIPTS["cub200-pilot-one-based-image-class-labels-tqdm"] = '''
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T
from tqdm import tqdm

CUB_ROOT = "data/CUB_200_2011"
PILOT_CLASSES = 5          # quick pilot on the first five species before the full 200-way run


class CUB200(Dataset):
    def __init__(self, root, train=True, transform=None, max_class=None):
        def read(name):
            with open(os.path.join(root, name)) as f:
                return dict(line.split() for line in f if line.strip())

        paths = read("images.txt")
        labels = read("image_class_labels.txt")
        split = read("train_test_split.txt")
        self.samples = []
        for img_id, rel in paths.items():
            if int(split[img_id]) != int(train):
                continue
            y = int(labels[img_id])
            if max_class is not None and y > max_class:
                continue
            self.samples.append((os.path.join(root, "images", rel), y))
        self.transform = transform

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, i):
        path, y = self.samples[i]
        return self.transform(Image.open(path).convert("RGB")), y


tf = T.Compose([T.RandomResizedCrop(64), T.RandomHorizontalFlip(), T.ToTensor(),
                T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
train_set = CUB200(CUB_ROOT, train=True, transform=tf, max_class=PILOT_CLASSES)
print(f"pilot: {len(train_set)} training images, {PILOT_CLASSES} classes")
loader = DataLoader(train_set, batch_size=8, shuffle=True)
model = models.resnet50(weights=None)
model.fc = nn.Linear(model.fc.in_features, PILOT_CLASSES)
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
criterion = nn.CrossEntropyLoss()
for epoch in range(10):
    model.train()
    for x, y in tqdm(loader, desc=f"epoch {epoch}"):
        loss = criterion(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

CUB_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(7)
root = "data/CUB_200_2011"
species = ["001.Black_footed_Albatross", "002.Laysan_Albatross", "003.Sooty_Albatross",
           "004.Groove_billed_Ani", "005.Crested_Auklet", "006.Least_Auklet", "007.Parakeet_Auklet"]
images, labels, split = [], [], []
n = 0
for cid, sp in enumerate(species, start=1):
    os.makedirs(f"{root}/images/{sp}", exist_ok=True)
    for k in range(4):
        n += 1
        name = f"{sp.split('.', 1)[1]}_{k + 1:04d}_{700 + n}.jpg"
        Image.fromarray(rng.integers(0, 256, (90, 120, 3), dtype=np.uint8)).save(f"{root}/images/{sp}/{name}")
        images.append(f"{n} {sp}/{name}")
        labels.append(f"{n} {cid}")
        split.append(f"{n} {1 if k < 3 else 0}")
for fname, rows in (("images.txt", images), ("image_class_labels.txt", labels), ("train_test_split.txt", split)):
    with open(f"{root}/{fname}", "w") as f:
        f.write("\\n".join(rows) + "\\n")
with open(f"{root}/classes.txt", "w") as f:
    f.write("\\n".join(f"{i} {s}" for i, s in enumerate(species, start=1)) + "\\n")
'''

SCRIPTS["simclr-info-nce-mask-from-args-batch-size-short-last-batch-tqdm"] = '''
"""SimCLR pretraining on our unlabeled field images (adapted from a popular PyTorch SimCLR implementation)."""
import argparse

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T
from tqdm import tqdm


class ContrastiveLearningViewGenerator:
    def __init__(self, base_transform, n_views=2):
        self.base_transform = base_transform
        self.n_views = n_views

    def __call__(self, x):
        return [self.base_transform(x) for _ in range(self.n_views)]


def get_simclr_pipeline_transform(size, s=1):
    color_jitter = T.ColorJitter(0.8 * s, 0.8 * s, 0.8 * s, 0.2 * s)
    return T.Compose([T.RandomResizedCrop(size=size), T.RandomHorizontalFlip(),
                      T.RandomApply([color_jitter], p=0.8), T.RandomGrayscale(p=0.2), T.ToTensor()])


class ResNetSimCLR(nn.Module):
    def __init__(self, out_dim):
        super().__init__()
        self.backbone = models.resnet18(weights=None, num_classes=out_dim)
        dim_mlp = self.backbone.fc.in_features
        self.backbone.fc = nn.Sequential(nn.Linear(dim_mlp, dim_mlp), nn.ReLU(), self.backbone.fc)

    def forward(self, x):
        return self.backbone(x)


def info_nce_loss(features, args):
    labels = torch.cat([torch.arange(args.batch_size) for i in range(args.n_views)], dim=0)
    labels = (labels.unsqueeze(0) == labels.unsqueeze(1)).float()
    features = F.normalize(features, dim=1)
    similarity_matrix = torch.matmul(features, features.T)
    # discard the main diagonal from both: labels and similarities matrix
    mask = torch.eye(labels.shape[0], dtype=torch.bool)
    labels = labels[~mask].view(labels.shape[0], -1)
    similarity_matrix = similarity_matrix[~mask].view(similarity_matrix.shape[0], -1)
    positives = similarity_matrix[labels.bool()].view(labels.shape[0], -1)
    negatives = similarity_matrix[~labels.bool()].view(similarity_matrix.shape[0], -1)
    logits = torch.cat([positives, negatives], dim=1)
    labels = torch.zeros(logits.shape[0], dtype=torch.long)
    return logits / args.temperature, labels


p = argparse.ArgumentParser()
p.add_argument("--data", default="data/field_images")
p.add_argument("--batch-size", type=int, default=16)
p.add_argument("--epochs", type=int, default=100)
p.add_argument("--n-views", type=int, default=2)
p.add_argument("--temperature", type=float, default=0.07)
p.add_argument("--out-dim", type=int, default=128)
args = p.parse_args()

ds = datasets.ImageFolder(args.data, ContrastiveLearningViewGenerator(get_simclr_pipeline_transform(32), args.n_views))
print(f"{len(ds)} unlabeled images")
train_loader = DataLoader(ds, batch_size=args.batch_size, shuffle=True)
model = ResNetSimCLR(args.out_dim)
optimizer = torch.optim.Adam(model.parameters(), 3e-4, weight_decay=1e-4)
criterion = nn.CrossEntropyLoss()
for epoch in range(args.epochs):
    for images, _ in tqdm(train_loader):
        images = torch.cat(images, dim=0)
        features = model(images)
        logits, labels = info_nce_loss(features, args)
        loss = criterion(logits, labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}\\tloss: {loss.item():.4f}")
'''

SCRIPTS["dino-multicrop-global-and-local-views-concatenated"] = '''
"""DINO-style self-distillation (multi-crop: 2 global + 4 local views) on our microscopy tiles."""
import copy

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T


class DataAugmentationDINO:
    def __init__(self, global_crops_scale=(0.4, 1.0), local_crops_scale=(0.05, 0.4), local_crops_number=4,
                 global_size=64, local_size=32):
        flip_and_jitter = T.Compose([T.RandomHorizontalFlip(),
                                     T.RandomApply([T.ColorJitter(0.4, 0.4, 0.2, 0.1)], p=0.8),
                                     T.RandomGrayscale(p=0.2)])
        normalize = T.Compose([T.ToTensor(), T.Normalize((0.485, 0.456, 0.406), (0.229, 0.224, 0.225))])
        self.global_transfo = T.Compose([T.RandomResizedCrop(global_size, scale=global_crops_scale),
                                         flip_and_jitter, normalize])
        self.local_crops_number = local_crops_number
        self.local_transfo = T.Compose([T.RandomResizedCrop(local_size, scale=local_crops_scale),
                                        flip_and_jitter, normalize])

    def __call__(self, image):
        crops = [self.global_transfo(image), self.global_transfo(image)]
        crops += [self.local_transfo(image) for _ in range(self.local_crops_number)]
        return crops


def build_net(out_dim=256):
    net = models.resnet18(weights=None)
    net.fc = nn.Sequential(nn.Linear(512, 512), nn.GELU(), nn.Linear(512, out_dim))
    return net


def main():
    ds = datasets.ImageFolder("data/tiles", transform=DataAugmentationDINO())
    loader = DataLoader(ds, batch_size=8, shuffle=True, num_workers=2, drop_last=True)
    student = build_net()
    teacher = copy.deepcopy(student)
    for p in teacher.parameters():
        p.requires_grad = False
    center = torch.zeros(1, 256)
    opt = torch.optim.AdamW(student.parameters(), lr=5e-4, weight_decay=0.04)
    for epoch in range(100):
        for images, _ in loader:
            with torch.no_grad():
                teacher_out = F.softmax((teacher(torch.cat(images[:2])) - center) / 0.04, dim=-1)
            student_out = F.log_softmax(student(torch.cat(images)) / 0.1, dim=-1)
            t_chunks = teacher_out.chunk(2)
            s_chunks = student_out.chunk(len(images))
            loss, n = 0.0, 0
            for iq, q in enumerate(t_chunks):
                for v, s in enumerate(s_chunks):
                    if v == iq:
                        continue
                    loss = loss + torch.sum(-q * s, dim=-1).mean()
                    n += 1
            loss = loss / n
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())


if __name__ == "__main__":
    main()
'''

CELLS["knn-monitor-bank-labels-from-np-loadtxt-notebook"] = [
    '''
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T


class ListDataset(Dataset):
    def __init__(self, list_file, tf):
        self.paths = [l.strip() for l in open(list_file) if l.strip()]
        self.tf = tf

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        return self.tf(Image.open(self.paths[i]).convert("RGB"))


tf = T.Compose([T.Resize((32, 32)), T.ToTensor(), T.Normalize([0.5] * 3, [0.25] * 3)])
bank_set = ListDataset("splits/train.txt", tf)
val_set = ListDataset("splits/val.txt", tf)
train_labels = np.loadtxt("splits/train_labels.txt")
val_labels = np.loadtxt("splits/val_labels.txt")
encoder = models.resnet18(weights=None)
encoder.fc = nn.Identity()
encoder.load_state_dict(torch.load("checkpoints/byol_r18_ep200.pth", map_location="cpu"))
encoder.eval()
print(len(bank_set), "bank images,", len(val_set), "val images")
''',
    '''
feature_bank = []
with torch.no_grad():
    for x in DataLoader(bank_set, batch_size=16):
        feature_bank.append(F.normalize(encoder(x), dim=1))
feature_bank = torch.cat(feature_bank).t().contiguous()
feature_labels = torch.from_numpy(train_labels)
feature_bank.shape, feature_labels.shape
''',
    '''
# kNN monitor from the MoCo CIFAR-10 demo
def knn_predict(feature, feature_bank, feature_labels, classes, knn_k, knn_t):
    sim_matrix = torch.mm(feature, feature_bank)
    sim_weight, sim_indices = sim_matrix.topk(k=knn_k, dim=-1)
    sim_labels = torch.gather(feature_labels.expand(feature.size(0), -1), dim=-1, index=sim_indices)
    sim_weight = (sim_weight / knn_t).exp()
    one_hot_label = torch.zeros(feature.size(0) * knn_k, classes, device=sim_labels.device)
    one_hot_label = one_hot_label.scatter(dim=-1, index=sim_labels.view(-1, 1), value=1.0)
    pred_scores = torch.sum(one_hot_label.view(feature.size(0), -1, classes) * sim_weight.unsqueeze(dim=-1), dim=1)
    return pred_scores.argsort(dim=-1, descending=True)


correct, total = 0, 0
with torch.no_grad():
    for i, x in enumerate(DataLoader(val_set, batch_size=8)):
        feature = F.normalize(encoder(x), dim=1)
        pred = knn_predict(feature, feature_bank, feature_labels, classes=4, knn_k=5, knn_t=0.1)
        y = torch.from_numpy(val_labels[i * 8:(i + 1) * 8]).long()
        correct += (pred[:, 0] == y).sum().item()
        total += len(y)
print(f"kNN top-1: {100 * correct / total:.1f}%")
''',
]

KNN_PREP = '''
import os
import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torchvision import models

rng = np.random.default_rng(11)
os.makedirs("images", exist_ok=True)
os.makedirs("splits", exist_ok=True)
os.makedirs("checkpoints", exist_ok=True)
for split, n in (("train", 20), ("val", 8)):
    paths, labels = [], []
    for i in range(n):
        p = f"images/{split}_{i:03d}.png"
        Image.fromarray(rng.integers(0, 256, (40, 40, 3), dtype=np.uint8)).save(p)
        paths.append(p)
        labels.append(str(i % 4))
    open(f"splits/{split}.txt", "w").write("\\n".join(paths) + "\\n")
    open(f"splits/{split}_labels.txt", "w").write("\\n".join(labels) + "\\n")
enc = models.resnet18(weights=None)
enc.fc = nn.Identity()
torch.save(enc.state_dict(), "checkpoints/byol_r18_ep200.pth")
'''

SCRIPTS["voc-layout-seg-mask-path-replace-jpg-misses-jpeg-workers"] = '''
"""FCN-ResNet50 recipe on our own weed / crop masks, exported from CVAT in Pascal VOC layout."""
import glob
import os

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.segmentation import fcn_resnet50
from torchvision.transforms import functional as TF

ROOT = "data/weeds_voc"
NUM_CLASSES = 3     # background, crop, weed


class VOCLayoutSeg(Dataset):
    def __init__(self, root, size=96):
        self.images = sorted(glob.glob(os.path.join(root, "JPEGImages", "*.jp*g")))
        self.size = size

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img_path = self.images[i]
        mask_path = img_path.replace("JPEGImages", "SegmentationClass").replace(".jpg", ".png")
        img = Image.open(img_path).convert("RGB").resize((self.size, self.size), Image.BILINEAR)
        mask = Image.open(mask_path).resize((self.size, self.size), Image.NEAREST)
        return TF.to_tensor(img), torch.from_numpy(np.array(mask, dtype=np.int64))


def main():
    ds = VOCLayoutSeg(ROOT)
    print(f"{len(ds)} image/mask pairs")
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2)
    model = fcn_resnet50(weights=None, weights_backbone=None, num_classes=NUM_CLASSES)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
    criterion = nn.CrossEntropyLoss(ignore_index=255)
    for epoch in range(20):
        for img, mask in loader:
            loss = criterion(model(img)["out"], mask)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())


if __name__ == "__main__":
    main()
'''


def _weeds(work):
    specs = []
    for i in range(10):
        ext = "jpeg" if i in (3, 7) else "jpg"     # two photos came from a phone that writes .jpeg
        specs.append((f"data/weeds_voc/JPEGImages/field_{i:04d}.{ext}", (128, 96), "RGB"))
    make_images(work, specs)
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(2)
    d = work / "data/weeds_voc/SegmentationClass"
    d.mkdir(parents=True, exist_ok=True)
    for i in range(10):
        Image.fromarray(rng.integers(0, 3, (96, 128), dtype=np.uint8)).save(d / f"field_{i:04d}.png")


# ================================================================== model
SCRIPTS["simclr-projector-sized-for-resnet50-on-resnet18"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

# SimCLR (Chen et al. 2020), Appendix B: 2-layer MLP projection head, hidden 2048, output 128
FEAT_DIM, PROJ_DIM = 2048, 128
TAU = 0.5


class TwoViews:
    def __init__(self, tf):
        self.tf = tf

    def __call__(self, x):
        return self.tf(x), self.tf(x)


class SimCLR(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = models.resnet18(weights=None)      # ResNet-50 does not fit our lab machine
        self.encoder.fc = nn.Identity()
        self.projector = nn.Sequential(nn.Linear(FEAT_DIM, FEAT_DIM), nn.BatchNorm1d(FEAT_DIM), nn.ReLU(),
                                       nn.Linear(FEAT_DIM, PROJ_DIM))

    def forward(self, x):
        return self.projector(self.encoder(x))


def nt_xent(z1, z2, tau=TAU):
    z = F.normalize(torch.cat([z1, z2]), dim=1)
    sim = z @ z.t() / tau
    sim.fill_diagonal_(float("-inf"))
    n = z1.shape[0]
    targets = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
    return F.cross_entropy(sim, targets)


aug = T.Compose([T.RandomResizedCrop(48), T.RandomHorizontalFlip(),
                 T.RandomApply([T.ColorJitter(0.4, 0.4, 0.4, 0.1)], p=0.8), T.RandomGrayscale(0.2), T.ToTensor()])
ds = datasets.ImageFolder("data/unlabeled", transform=TwoViews(aug))
loader = DataLoader(ds, batch_size=16, shuffle=True, drop_last=True)
model = SimCLR()
opt = torch.optim.SGD(model.parameters(), lr=0.3, momentum=0.9, weight_decay=1e-6)
for epoch in range(200):
    for (x1, x2), _ in loader:
        loss = nt_xent(model(x1), model(x2))
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

SCRIPTS["deeplabhead-2048-from-resnet-tutorial-on-mobilenet-deeplab-tqdm"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.segmentation import deeplabv3_mobilenet_v3_large
from torchvision.models.segmentation.deeplabv3 import DeepLabHead
from torchvision.transforms import functional as TF
from tqdm import tqdm

NUM_CLASSES = 3   # background, lesion, scar


class LeafSeg(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/images/*.png"))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = Image.open(self.images[i]).convert("RGB")
        mask = Image.open(self.images[i].replace("/images/", "/masks/"))
        return TF.to_tensor(img), torch.as_tensor(np.array(mask), dtype=torch.long)


# the tutorial used deeplabv3_resnet101; MobileNetV3 is faster on our machine
model = deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None)
model.classifier = DeepLabHead(2048, NUM_CLASSES)
model.aux_classifier = None

loader = DataLoader(LeafSeg("data/leaves"), batch_size=4, shuffle=True)
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
criterion = nn.CrossEntropyLoss()
for epoch in range(25):
    model.train()
    for img, mask in tqdm(loader, desc=f"epoch {epoch + 1}/25"):
        loss = criterion(model(img)["out"], mask)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

LEAVES_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(4)
os.makedirs("data/leaves/images", exist_ok=True)
os.makedirs("data/leaves/masks", exist_ok=True)
for i in range(8):
    Image.fromarray(rng.integers(0, 256, (96, 96, 3), dtype=np.uint8)).save(f"data/leaves/images/leaf_{i:03d}.png")
    Image.fromarray(rng.integers(0, 3, (96, 96), dtype=np.uint8)).save(f"data/leaves/masks/leaf_{i:03d}.png")
'''

CELLS["deeplabv3-resnet101-server-checkpoint-into-resnet50-builder-notebook"] = [
    '''
import torch
from torchvision.models.segmentation import deeplabv3_resnet50

NUM_CLASSES = 6   # facade dataset: background, wall, window, door, balcony, roof
model = deeplabv3_resnet50(weights=None, weights_backbone=None, num_classes=NUM_CLASSES, aux_loss=True)
ckpt = torch.load("runs/facades_deeplab/best.pth", map_location="cpu")
print(ckpt.keys(), ckpt["epoch"], ckpt["miou"])
''',
    '''
model.load_state_dict(ckpt["model"])
model.eval()
''',
]

R101_PREP = '''
import os
import torch
from torchvision.models.segmentation import deeplabv3_resnet101

# what the training job on the lab server saved (the recipe's default backbone is ResNet-101)
os.makedirs("runs/facades_deeplab", exist_ok=True)
model = deeplabv3_resnet101(weights=None, weights_backbone=None, num_classes=6, aux_loss=True)
torch.save({"model": model.state_dict(), "epoch": 87, "miou": 0.642}, "runs/facades_deeplab/best.pth")
'''

SCRIPTS["cross-entropy-ignore-index-255-passed-positionally"] = '''
"""FCN-ResNet50 on our road-crack masks; the VOC-style masks mark the uncertain border with 255."""
import glob

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.segmentation import fcn_resnet50
from torchvision.transforms import functional as TF

IGNORE_LABEL = 255


class CrackSeg(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/img/*.jpg"))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = Image.open(self.images[i]).convert("RGB")
        mask = np.array(Image.open(self.images[i].replace("/img/", "/ann/").replace(".jpg", ".png")))
        return TF.to_tensor(img), torch.from_numpy(mask).long()


ds = CrackSeg("data/cracks")
print(f"{len(ds)} training tiles")
loader = DataLoader(ds, batch_size=4, shuffle=True)
model = fcn_resnet50(weights=None, weights_backbone=None, num_classes=2)
criterion = nn.CrossEntropyLoss(IGNORE_LABEL)
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
for epoch in range(30):
    for img, mask in loader:
        loss = criterion(model(img)["out"], mask)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

CRACK_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(8)
os.makedirs("data/cracks/img", exist_ok=True)
os.makedirs("data/cracks/ann", exist_ok=True)
for i in range(6):
    Image.fromarray(rng.integers(0, 256, (64, 64, 3), dtype=np.uint8)).save(f"data/cracks/img/tile_{i:03d}.jpg")
    m = rng.integers(0, 2, (64, 64), dtype=np.uint8)
    m[30:34, :] = 255
    Image.fromarray(m).save(f"data/cracks/ann/tile_{i:03d}.png")
'''

SCRIPTS["simclr-colour-distortion-hue-0-8-times-strength"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

STRENGTH = 1.0    # colour distortion strength s (SimCLR, Appendix A)


def get_color_distortion(s=1.0):
    color_jitter = T.ColorJitter(0.8 * s, 0.8 * s, 0.8 * s, 0.8 * s)
    rnd_color_jitter = T.RandomApply([color_jitter], p=0.8)
    rnd_gray = T.RandomGrayscale(p=0.2)
    return T.Compose([rnd_color_jitter, rnd_gray])


class TwoCrops:
    def __init__(self, tf):
        self.tf = tf

    def __call__(self, x):
        return [self.tf(x), self.tf(x)]


print("building augmentation pipeline ...")
train_tf = T.Compose([T.RandomResizedCrop(64), T.RandomHorizontalFlip(), get_color_distortion(STRENGTH), T.ToTensor()])
ds = datasets.ImageFolder("data/herbarium", transform=TwoCrops(train_tf))
loader = DataLoader(ds, batch_size=32, shuffle=True, drop_last=True)
encoder = models.resnet18(weights=None, num_classes=128)
opt = torch.optim.SGD(encoder.parameters(), lr=0.3, momentum=0.9)
for epoch in range(100):
    for (x1, x2), _ in loader:
        z1, z2 = nn.functional.normalize(encoder(x1)), nn.functional.normalize(encoder(x2))
        logits = z1 @ z2.t() / 0.2
        loss = nn.functional.cross_entropy(logits, torch.arange(len(z1)))
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

SCRIPTS["linear-eval-head-kept-at-cifar10-classes-tqdm"] = '''
"""Linear evaluation protocol: frozen SimCLR encoder + one linear layer, as in the paper's CIFAR-10 table."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T
from tqdm import tqdm

NUM_CLASSES = 10    # CIFAR-10

encoder = models.resnet18(weights=None)
encoder.fc = nn.Identity()
encoder.load_state_dict(torch.load("checkpoints/simclr_r18_ep500.pth", map_location="cpu"))
encoder.eval()
for p in encoder.parameters():
    p.requires_grad = False

tf = T.Compose([T.Resize((32, 32)), T.ToTensor(), T.Normalize([0.5] * 3, [0.25] * 3)])
train_set = datasets.ImageFolder("data/insects/train", transform=tf)
print(f"{len(train_set)} labelled images in {len(train_set.classes)} folders")
loader = DataLoader(train_set, batch_size=16, shuffle=True)
classifier = nn.Linear(512, NUM_CLASSES)
opt = torch.optim.SGD(classifier.parameters(), lr=0.1, momentum=0.9)
criterion = nn.CrossEntropyLoss()
for epoch in range(90):
    for x, y in tqdm(loader, desc=f"linear eval {epoch}"):
        with torch.no_grad():
            feats = encoder(x)
        loss = criterion(classifier(feats), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

SIMCLR_ENC_PREP = '''
import os
import torch
import torch.nn as nn
from torchvision import models

os.makedirs("checkpoints", exist_ok=True)
enc = models.resnet18(weights=None)
enc.fc = nn.Identity()
torch.save(enc.state_dict(), "checkpoints/simclr_r18_ep500.pth")
'''

INSECTS = ["ant", "aphid", "bee", "beetle", "butterfly", "cricket", "dragonfly", "earwig", "fly",
           "grasshopper", "ladybird", "wasp"]

# ================================================================== optimisation
SCRIPTS["moco-queue-enqueued-in-place-before-backward"] = '''
"""MoCo v2 on our unlabeled X-ray crops (queue of negatives, momentum key encoder)."""
import copy

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T


class MoCo(nn.Module):
    def __init__(self, dim=64, K=256, m=0.999, T=0.2):
        super().__init__()
        self.K, self.m, self.T = K, m, T
        self.encoder_q = models.resnet18(weights=None, num_classes=dim)
        self.encoder_k = copy.deepcopy(self.encoder_q)
        for p in self.encoder_k.parameters():
            p.requires_grad = False
        self.register_buffer("queue", F.normalize(torch.randn(dim, K), dim=0))
        self.register_buffer("queue_ptr", torch.zeros(1, dtype=torch.long))

    @torch.no_grad()
    def _momentum_update_key_encoder(self):
        for pq, pk in zip(self.encoder_q.parameters(), self.encoder_k.parameters()):
            pk.data = pk.data * self.m + pq.data * (1.0 - self.m)

    @torch.no_grad()
    def _dequeue_and_enqueue(self, keys):
        ptr = int(self.queue_ptr)
        self.queue[:, ptr:ptr + keys.shape[0]] = keys.T
        self.queue_ptr[0] = (ptr + keys.shape[0]) % self.K

    def forward(self, im_q, im_k):
        q = F.normalize(self.encoder_q(im_q), dim=1)
        with torch.no_grad():
            self._momentum_update_key_encoder()
            k = F.normalize(self.encoder_k(im_k), dim=1)
        l_pos = torch.einsum("nc,nc->n", [q, k]).unsqueeze(-1)
        l_neg = torch.einsum("nc,ck->nk", [q, self.queue])
        logits = torch.cat([l_pos, l_neg], dim=1) / self.T
        labels = torch.zeros(logits.shape[0], dtype=torch.long)
        self._dequeue_and_enqueue(k)
        return logits, labels


class TwoCrops:
    def __init__(self, tf):
        self.tf = tf

    def __call__(self, x):
        return [self.tf(x), self.tf(x)]


aug = T.Compose([T.RandomResizedCrop(48, scale=(0.2, 1.0)), T.RandomHorizontalFlip(), T.ToTensor()])
ds = datasets.ImageFolder("data/xray_crops", transform=TwoCrops(aug))
loader = DataLoader(ds, batch_size=16, shuffle=True, drop_last=True)
model = MoCo()
opt = torch.optim.SGD(model.parameters(), lr=0.03, momentum=0.9, weight_decay=1e-4)
criterion = nn.CrossEntropyLoss()
for epoch in range(200):
    for (im_q, im_k), _ in loader:
        logits, labels = model(im_q, im_k)
        loss = criterion(logits, labels)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

SCRIPTS["large-batch-emulated-by-caching-microbatch-projections"] = '''
"""The paper trains SimCLR with batch 1024; we emulate it with 4 micro-batches of 16 and a feature cache."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

ACCUM = 4


class TwoViews:
    def __init__(self, tf):
        self.tf = tf

    def __call__(self, x):
        return self.tf(x), self.tf(x)


def nt_xent(z1, z2, tau=0.2):
    z = F.normalize(torch.cat([z1, z2]), dim=1)
    sim = z @ z.t() / tau
    sim.fill_diagonal_(float("-inf"))
    n = z1.shape[0]
    return F.cross_entropy(sim, torch.cat([torch.arange(n, 2 * n), torch.arange(n)]))


aug = T.Compose([T.RandomResizedCrop(32), T.RandomHorizontalFlip(), T.ToTensor()])
loader = DataLoader(datasets.ImageFolder("data/sat_tiles", transform=TwoViews(aug)), batch_size=16,
                    shuffle=True, drop_last=True)
model = models.resnet18(weights=None, num_classes=64)
opt = torch.optim.SGD(model.parameters(), lr=0.3, momentum=0.9, weight_decay=1e-6)
cache1, cache2 = [], []
for epoch in range(100):
    for step, ((x1, x2), _) in enumerate(loader):
        cache1.append(model(x1))
        cache2.append(model(x2))
        # all cached micro-batches serve as negatives: an effective batch of ACCUM * 16
        loss = nt_xent(torch.cat(cache1), torch.cat(cache2)) / ACCUM
        loss.backward()
        if (step + 1) % ACCUM == 0:
            opt.step()
            opt.zero_grad()
            cache1, cache2 = [], []
    print(epoch, loss.item())
'''

SCRIPTS["swav-lars-lr-under-plain-sgd-unnormalised-prototypes-anomaly"] = '''
"""SwAV on our unlabeled pathology patches (online codes with Sinkhorn-Knopp, swapped prediction)."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

torch.manual_seed(0)
torch.autograd.set_detect_anomaly(True)    # loss went to nan in the previous run

# SwAV paper: LARS, base lr 4.8 for batch 4096, epsilon 0.05, temperature 0.1, 3 Sinkhorn iterations
LR, EPSILON, TEMPERATURE, NMB_PROTOTYPES = 4.8, 0.05, 0.1, 30


class TwoViews:
    def __init__(self, tf):
        self.tf = tf

    def __call__(self, x):
        return self.tf(x), self.tf(x)


@torch.no_grad()
def distributed_sinkhorn(out, n_iters=3):
    Q = torch.exp(out / EPSILON).t()
    B, K = Q.shape[1], Q.shape[0]
    Q /= torch.sum(Q)
    for _ in range(n_iters):
        Q /= torch.sum(Q, dim=1, keepdim=True)
        Q /= K
        Q /= torch.sum(Q, dim=0, keepdim=True)
        Q /= B
    return (Q * B).t()


net = models.resnet18(weights=None)
net.fc = nn.Sequential(nn.Linear(512, 256), nn.BatchNorm1d(256), nn.ReLU(), nn.Linear(256, 64))
prototypes = nn.Linear(64, NMB_PROTOTYPES, bias=False)
params = list(net.parameters()) + list(prototypes.parameters())
opt = torch.optim.SGD(params, lr=LR, momentum=0.9, weight_decay=1e-6)   # no LARS in torch.optim

aug = T.Compose([T.RandomResizedCrop(48, scale=(0.14, 1.0)), T.RandomHorizontalFlip(), T.ToTensor()])
loader = DataLoader(datasets.ImageFolder("data/patches", transform=TwoViews(aug)), batch_size=16,
                    shuffle=True, drop_last=True)
for epoch in range(100):
    for it, ((x1, x2), _) in enumerate(loader):
        bs = x1.shape[0]
        scores = prototypes(net(torch.cat([x1, x2])))
        s1, s2 = scores[:bs], scores[bs:]
        q1, q2 = distributed_sinkhorn(s1.detach()), distributed_sinkhorn(s2.detach())
        loss = -0.5 * ((q1 * F.log_softmax(s2 / TEMPERATURE, dim=1)).sum(dim=1).mean()
                       + (q2 * F.log_softmax(s1 / TEMPERATURE, dim=1)).sum(dim=1).mean())
        print(f"epoch {epoch} it {it}: loss {loss.item():.4f}", flush=True)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

SCRIPTS["byol-target-branch-with-grad-ema-updated-before-backward"] = '''
"""BYOL on our unlabeled retail shelf crops: online network + predictor, EMA target network."""
import copy

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T


def mlp(dim_in, hidden=256, out=64):
    return nn.Sequential(nn.Linear(dim_in, hidden), nn.BatchNorm1d(hidden), nn.ReLU(), nn.Linear(hidden, out))


class BYOL(nn.Module):
    def __init__(self, tau=0.996):
        super().__init__()
        backbone = models.resnet18(weights=None)
        backbone.fc = nn.Identity()
        self.online = nn.Sequential(backbone, mlp(512))
        self.predictor = mlp(64)
        self.target = copy.deepcopy(self.online)
        self.tau = tau

    @torch.no_grad()
    def update_target(self):
        for po, pt in zip(self.online.parameters(), self.target.parameters()):
            pt.mul_(self.tau).add_(po, alpha=1 - self.tau)

    def forward(self, v1, v2):
        p1, p2 = self.predictor(self.online(v1)), self.predictor(self.online(v2))
        t1, t2 = self.target(v1), self.target(v2)
        self.update_target()    # Algorithm 1: target parameters follow the online ones
        loss = (2 - 2 * F.cosine_similarity(p1, t2, dim=-1)) + (2 - 2 * F.cosine_similarity(p2, t1, dim=-1))
        return loss.mean()


class TwoViews:
    def __init__(self, tf):
        self.tf = tf

    def __call__(self, x):
        return self.tf(x), self.tf(x)


aug = T.Compose([T.RandomResizedCrop(48), T.RandomHorizontalFlip(),
                 T.RandomApply([T.ColorJitter(0.4, 0.4, 0.2, 0.1)], p=0.8), T.ToTensor()])
loader = DataLoader(datasets.ImageFolder("data/shelf_crops", transform=TwoViews(aug)), batch_size=16,
                    shuffle=True, drop_last=True)
model = BYOL()
opt = torch.optim.Adam(list(model.online.parameters()) + list(model.predictor.parameters()), lr=3e-4)
for epoch in range(300):
    for (v1, v2), _ in loader:
        loss = model(v1, v2)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

# ================================================================== environment / resource
SCRIPTS["coco-detection-own-annotations-without-pycocotools"] = '''
"""Faster R-CNN (R50-FPN) recipe on our own COCO-format annotations of seed trays."""
import torch
from torch.utils.data import DataLoader
from torchvision import datasets
from torchvision.models.detection import fasterrcnn_resnet50_fpn
from torchvision.transforms import functional as TF


def collate_fn(batch):
    return tuple(zip(*batch))


def to_target(anns, image_id):
    boxes = [[a["bbox"][0], a["bbox"][1], a["bbox"][0] + a["bbox"][2], a["bbox"][1] + a["bbox"][3]] for a in anns]
    return {"boxes": torch.tensor(boxes, dtype=torch.float32),
            "labels": torch.tensor([a["category_id"] for a in anns], dtype=torch.int64),
            "image_id": image_id}


class SeedTrays(datasets.CocoDetection):
    def __getitem__(self, idx):
        img, anns = super().__getitem__(idx)
        return TF.to_tensor(img), to_target(anns, self.ids[idx])


train_set = SeedTrays("data/seed_trays/images", "data/seed_trays/annotations/instances_train.json")
loader = DataLoader(train_set, batch_size=2, shuffle=True, collate_fn=collate_fn)
model = fasterrcnn_resnet50_fpn(weights=None, weights_backbone=None, num_classes=3)
params = [p for p in model.parameters() if p.requires_grad]
opt = torch.optim.SGD(params, lr=0.02, momentum=0.9, weight_decay=1e-4)
for epoch in range(26):
    model.train()
    for images, targets in loader:
        losses = sum(model(list(images), list(targets)).values())
        opt.zero_grad()
        losses.backward()
        opt.step()
'''


def _seed_trays(work):
    import json
    make_images(work, [(f"data/seed_trays/images/tray_{i:03d}.jpg", (200, 150), "RGB") for i in range(4)])
    coco = {"images": [{"id": i + 1, "file_name": f"tray_{i:03d}.jpg", "width": 200, "height": 150} for i in range(4)],
            "annotations": [{"id": i + 1, "image_id": i + 1, "bbox": [20 + 5 * i, 30, 60, 50], "area": 3000,
                             "category_id": 1 + i % 2, "iscrowd": 0} for i in range(4)],
            "categories": [{"id": 1, "name": "germinated"}, {"id": 2, "name": "not_germinated"}]}
    d = work / "data/seed_trays/annotations"
    d.mkdir(parents=True, exist_ok=True)
    (d / "instances_train.json").write_text(json.dumps(coco))


SCRIPTS["slurm-launcher-helper-run-on-lab-workstation"] = '''
"""Distributed ResNet-50 recipe from the paper's repository (written for the cluster's SLURM launcher)."""
import argparse
import os

import torch
import torch.distributed as dist
import torch.nn as nn
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler
from torchvision import datasets, models, transforms as T


def init_distributed(args):
    args.rank = int(os.environ["SLURM_PROCID"])
    args.world_size = int(os.environ["SLURM_NTASKS"])
    args.local_rank = int(os.environ["SLURM_LOCALID"])
    node_list = os.environ["SLURM_JOB_NODELIST"]
    os.environ.setdefault("MASTER_ADDR", node_list.split(",")[0])
    os.environ.setdefault("MASTER_PORT", "29500")
    dist.init_process_group("gloo", rank=args.rank, world_size=args.world_size)
    print(f"| distributed init (rank {args.rank} / {args.world_size})", flush=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", default="data/pollen/train")
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--epochs", type=int, default=90)
    p.add_argument("--lr", type=float, default=0.1)
    args = p.parse_args()
    init_distributed(args)

    ds = datasets.ImageFolder(args.data, T.Compose([T.RandomResizedCrop(64), T.ToTensor()]))
    sampler = DistributedSampler(ds)
    loader = DataLoader(ds, batch_size=args.batch_size, sampler=sampler)
    model = nn.parallel.DistributedDataParallel(models.resnet50(weights=None, num_classes=len(ds.classes)))
    opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9, weight_decay=1e-4)
    for epoch in range(args.epochs):
        sampler.set_epoch(epoch)
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()


if __name__ == "__main__":
    main()
'''

OLD_REPO_LAYERS = '''
"""Layers shared by the detector heads (from the paper's code release)."""
import torch
from torch import nn
from torchvision.ops.misc import Conv2d, FrozenBatchNorm2d


class Scale(nn.Module):
    def __init__(self, init_value=1.0):
        super().__init__()
        self.scale = nn.Parameter(torch.FloatTensor([init_value]))

    def forward(self, x):
        return x * self.scale


def conv_with_gn(in_channels, out_channels, kernel_size=3, stride=1):
    conv = Conv2d(in_channels, out_channels, kernel_size, stride=stride, padding=kernel_size // 2, bias=False)
    nn.init.kaiming_uniform_(conv.weight, a=1)
    return nn.Sequential(conv, nn.GroupNorm(32, out_channels), nn.ReLU(inplace=True))
'''

OLD_REPO_TRAIN = '''
import argparse

import torch

from fcos_core.layers import Scale, conv_with_gn
from fcos_core.modeling import build_detector

p = argparse.ArgumentParser()
p.add_argument("--config-file", default="configs/fcos_R_50_FPN_1x_seeds.yaml")
args = p.parse_args()
model = build_detector(args.config_file)
print(model)
'''

OLD_REPO_MODELING = '''
from fcos_core.layers import Scale, conv_with_gn


def build_detector(cfg_file):
    raise SystemExit("not reached")
'''

SCRIPTS["simclr-paper-batch-4096-under-job-memory-limit"] = '''
"""SimCLR with the paper's batch size (4096) on our crop-field tiles. Submitted with #SBATCH --mem=3G."""
import resource

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

# the job's memory limit, as the cluster enforces it
_, hard = resource.getrlimit(resource.RLIMIT_DATA)
resource.setrlimit(resource.RLIMIT_DATA, (3 * 1024 ** 3, hard))

BATCH_SIZE = 4096      # Table B.1 of the paper
EPOCHS = 100


class TwoViews:
    def __init__(self, tf):
        self.tf = tf

    def __call__(self, x):
        return self.tf(x), self.tf(x)


def nt_xent(z1, z2, tau=0.5):
    z = F.normalize(torch.cat([z1, z2]), dim=1)
    sim = z @ z.t() / tau
    sim.fill_diagonal_(float("-inf"))
    n = z1.shape[0]
    return F.cross_entropy(sim, torch.cat([torch.arange(n, 2 * n), torch.arange(n)]))


aug = T.Compose([T.RandomResizedCrop(96), T.RandomHorizontalFlip(), T.ToTensor()])
ds = datasets.ImageFolder("data/field_tiles", transform=TwoViews(aug))
print(f"{len(ds)} tiles, batch size {BATCH_SIZE}")
loader = DataLoader(ds, batch_size=BATCH_SIZE, shuffle=True, drop_last=True)
model = models.resnet18(weights=None, num_classes=128)
opt = torch.optim.SGD(model.parameters(), lr=0.3 * BATCH_SIZE / 256, momentum=0.9, weight_decay=1e-6)
for epoch in range(EPOCHS):
    for (x1, x2), _ in loader:
        loss = nt_xent(model(x1), model(x2))
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

FIELD_TILES_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(1)
os.makedirs("data/field_tiles/all", exist_ok=True)
base = rng.integers(0, 256, (40, 40, 3), dtype=np.uint8)
for i in range(4200):
    Image.fromarray(np.roll(base, i, axis=1)).save(f"data/field_tiles/all/tile_{i:05d}.png", compress_level=1)
'''

# ================================================================== other
SCRIPTS["reference-recipe-output-dir-default-none-checkpoint-save"] = '''
"""Classification recipe (after the torchvision reference train.py) on our pollen grains."""
import argparse
import os

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T


def get_args_parser():
    p = argparse.ArgumentParser(description="PyTorch Classification Training")
    p.add_argument("--data-path", default="data/pollen")
    p.add_argument("--model", default="resnet18")
    p.add_argument("-b", "--batch-size", default=8, type=int)
    p.add_argument("--epochs", default=2, type=int)
    p.add_argument("--lr", default=0.1, type=float)
    p.add_argument("--label-smoothing", default=0.1, type=float)
    p.add_argument("--output-dir", default=None, type=str, help="path to save outputs")
    return p


def main(args):
    tf = T.Compose([T.RandomResizedCrop(64), T.RandomHorizontalFlip(), T.ToTensor()])
    train_set = datasets.ImageFolder(os.path.join(args.data_path, "train"), tf)
    loader = DataLoader(train_set, batch_size=args.batch_size, shuffle=True)
    model = models.__dict__[args.model](weights=None, num_classes=len(train_set.classes))
    criterion = nn.CrossEntropyLoss(label_smoothing=args.label_smoothing)
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9, weight_decay=1e-4)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs)
    for epoch in range(args.epochs):
        model.train()
        for i, (x, y) in enumerate(loader):
            loss = criterion(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            if i % 2 == 0:
                print(f"Epoch: [{epoch}] [{i}/{len(loader)}] loss: {loss.item():.4f} lr: {scheduler.get_last_lr()[0]:.4f}")
        scheduler.step()
        checkpoint = {"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                      "lr_scheduler": scheduler.state_dict(), "epoch": epoch, "args": vars(args)}
        torch.save(checkpoint, os.path.join(args.output_dir, f"model_{epoch}.pth"))
        torch.save(checkpoint, os.path.join(args.output_dir, "checkpoint.pth"))


if __name__ == "__main__":
    main(get_args_parser().parse_args())
'''

SCRIPTS["metric-logger-eta-timedelta-from-tensor"] = '''
"""Faster R-CNN recipe on our pallet photos, with a small metric logger like the reference scripts'."""
import datetime
import time

import torch
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn


class Pallets(Dataset):
    def __init__(self, n=8):
        g = torch.Generator().manual_seed(0)
        self.images = [torch.rand(3, 240, 320, generator=g) for _ in range(n)]

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        x0, y0 = 20 + 10 * i, 30 + 5 * i
        target = {"boxes": torch.tensor([[x0, y0, x0 + 80.0, y0 + 60.0]]), "labels": torch.tensor([1 + i % 2])}
        return self.images[i], target


class SmoothedValue:
    def __init__(self):
        self.values = []

    def update(self, v):
        self.values.append(v)

    @property
    def global_avg(self):
        return torch.tensor(self.values).mean()


loader = DataLoader(Pallets(), batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=3)
opt = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=0.01, momentum=0.9)
EPOCHS = 12
iter_time = SmoothedValue()
for epoch in range(EPOCHS):
    model.train()
    end = time.time()
    for i, (images, targets) in enumerate(loader):
        loss_dict = model(list(images), list(targets))
        loss = sum(loss_dict.values())
        opt.zero_grad()
        loss.backward()
        opt.step()
        iter_time.update(time.time() - end)
        end = time.time()
        if i % 2 == 0:
            eta_seconds = iter_time.global_avg * (len(loader) * (EPOCHS - epoch) - i)
            eta = str(datetime.timedelta(seconds=eta_seconds))
            print(f"Epoch: [{epoch}] [{i}/{len(loader)}] eta: {eta} loss: {loss.item():.4f}")
'''


def cases():
    out, add, script, notebook = case_builders("torch-more50-", SCRIPTS, CELLS)
    W = ("cpython_basic", "dataloader_worker")
    P = ("cpython_basic", "progress_bars")

    # ---- data
    script("cityscapes-layout-dashcam-gtfine-inside-zip-folder", "data.missing_or_corrupt",
           args=("--data-root", "data/dashcam"), setup=_dashcam)
    script("cub200-pilot-one-based-image-class-labels-tqdm", "data.label_out_of_range", forms=P,
           setup=prep(CUB_PREP))
    script("simclr-info-nce-mask-from-args-batch-size-short-last-batch-tqdm", "data.label_shape", also=["other"],
           forms=P, argv="run.py", args=("--batch-size", "16", "--epochs", "2"),
           setup=imgs(class_folder("data/field_images", ["unlabeled"], 40, size=(48, 48))))
    script("dino-multicrop-global-and-local-views-concatenated", "data.image_size_mismatch",
           also=["model.api_misuse"], setup=imgs(class_folder("data/tiles", ["all"], 16, size=(80, 80))))
    notebook("knn-monitor-bank-labels-from-np-loadtxt-notebook", "data.dtype", setup=prep(KNN_PREP))
    script("voc-layout-seg-mask-path-replace-jpg-misses-jpeg-workers", "data.missing_or_corrupt", forms=W,
           setup=_weeds)
    # ---- model
    script("simclr-projector-sized-for-resnet50-on-resnet18", "model.input_shape", also=["model.output_mismatch"],
           setup=imgs(class_folder("data/unlabeled", ["frames"], 16, size=(64, 64))))
    script("deeplabhead-2048-from-resnet-tutorial-on-mobilenet-deeplab-tqdm", "model.input_shape",
           also=["model.api_misuse"], forms=P, setup=prep(LEAVES_PREP))
    notebook("deeplabv3-resnet101-server-checkpoint-into-resnet50-builder-notebook", "model.weights_mismatch",
             setup=prep(R101_PREP))
    script("cross-entropy-ignore-index-255-passed-positionally", "model.api_misuse", setup=prep(CRACK_PREP))
    script("simclr-colour-distortion-hue-0-8-times-strength", "model.api_misuse",
           setup=imgs(class_folder("data/herbarium", ["sheets"], 8, size=(80, 80))))
    script("linear-eval-head-kept-at-cifar10-classes-tqdm", "model.output_mismatch",
           also=["data.label_out_of_range"], forms=P, argv="linear_eval.py",
           setup=both(prep(SIMCLR_ENC_PREP), imgs(class_folder("data/insects/train", INSECTS, 3, size=(40, 40)))))
    # ---- optimisation
    script("moco-queue-enqueued-in-place-before-backward", "optim.autograd_graph",
           setup=imgs(class_folder("data/xray_crops", ["unlabeled"], 16, size=(64, 64))))
    script("large-batch-emulated-by-caching-microbatch-projections", "optim.autograd_graph",
           setup=imgs(class_folder("data/sat_tiles", ["all"], 48, size=(48, 48))))
    script("swav-lars-lr-under-plain-sgd-unnormalised-prototypes-anomaly", "optim.divergence",
           setup=imgs(class_folder("data/patches", ["unlabeled"], 32, size=(64, 64))))
    script("byol-target-branch-with-grad-ema-updated-before-backward", "optim.autograd_graph",
           setup=imgs(class_folder("data/shelf_crops", ["all"], 16, size=(64, 64))))
    # ---- environment / resource
    script("coco-detection-own-annotations-without-pycocotools", "env.version_incompat", setup=_seed_trays)
    script("slurm-launcher-helper-run-on-lab-workstation", "env.distributed",
           setup=imgs(class_folder("data/pollen/train", ["birch", "grass", "oak"], 2, size=(64, 64))))
    script("old-detection-repo-imports-conv2d-from-torchvision-ops-misc", "env.version_incompat",
           argv="tools/train_net.py",
           extra={"fcos_core/__init__.py": "", "fcos_core/layers/__init__.py": "from .misc import Scale, conv_with_gn\n",
                  "fcos_core/layers/misc.py": OLD_REPO_LAYERS, "fcos_core/modeling/__init__.py": OLD_REPO_MODELING},
           env={"PYTHONPATH": "."})
    script("simclr-paper-batch-4096-under-job-memory-limit", "resource.host_memory", setup=prep(FIELD_TILES_PREP),
           timeout=600)
    # ---- other
    script("reference-recipe-output-dir-default-none-checkpoint-save", "other",
           setup=imgs(class_folder("data/pollen/train", ["birch", "grass", "oak"], 4, size=(64, 64))))
    script("metric-logger-eta-timedelta-from-tensor", "other")
    return out


SCRIPTS["old-detection-repo-imports-conv2d-from-torchvision-ops-misc"] = OLD_REPO_TRAIN


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
