"""A fourth set of failures that only a GPU shows: PyTorch / torchvision / ImageAI 3 training on CUDA.

Device-side asserts from kernels and index faults the first three sets do not have: a
prototypical network scored against the episode's 5 prototypes with the dataset's global class
ids, a SegNet whose ``MaxUnpool2d`` gets pooling indices from an odd-sized map, an instance memory
bank updated with ``index_copy_`` by the parent indices of a ``random_split`` subset, a skin-lesion
model whose missing body-site metadata is encoded -1 for an ``nn.Embedding`` (the assert may
surface in the next cuBLAS call), a GCN given a 1-based edge list, ``F.one_hot`` of an FCOS-style
background label equal to ``num_classes`` for a focal loss, an ImageAI 3 TinyYOLOv3 trainer fed
LabelImg class ids past the two object names, and a notebook whose unsynchronised one-hot count
over a stale class number poisons the context before an ImageAI 3 trainer starts. Out of memory
(a cap in GiB stands in for a small card): a conv stack flattened at full resolution into a
half-billion-weight ``Linear``, an R3D-18 on 64-frame clips, a whole test set predicted in one
batch (notebook), 12-megapixel phone photos without a ``Resize``, and an int64 one-hot of
150-class masks for a Dice loss. Devices: a CPU ``torch.Generator`` for CUDA noise (DDPM), an RNG
state restored from a checkpoint loaded with ``map_location="cuda"``, ``.type(torch.FloatTensor)``
sending the batch back to the CPU (notebook), dynamic quantization of a model still on the GPU.
Workers: a feature cache saved as CUDA tensors and ``torch.load``-ed in forked DataLoader
workers. AMP and dtypes: a WGAN critic loop that calls ``GradScaler.step`` five times per
``update``, uint8 batches resized with ``F.interpolate(mode="bilinear")`` on the GPU. Setup: an
allocator option copied from the OOM hint with a percentage for a fraction, and a memory fraction
given in GB.

Every case is a small real program; the label is known by construction. It needs a CUDA
GPU (recorded on an NVIDIA H200 with torch 2.11 + cu130, through the device tool, see the
README: all 22 failed as built, in 59 s; g80, scored 0.91 top-1 and 0.95 top-3 before any rule for
it); without one it writes nothing.

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_cuda4.py [-k filter] [--out DIR]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _record import Case, both, class_folder, imgs, make_images, nb, prep, yolo_layout, run_gpu_cases, oom_head, shelf  # noqa: E402

SRC = "corpus/generators/torch_cuda4.py"

SCRIPTS = {}
CELLS = {}

# ------------------------------------------------------------------ device-side asserts: labels, indices
SCRIPTS["protonet-episode-global-class-ids"] = '''
import random

import torch
import torch.nn as nn
import torch.nn.functional as F
from torchvision import datasets, transforms

device = "cuda"
N_WAY, K_SHOT, N_QUERY = 5, 1, 1
random.seed(0)
torch.manual_seed(0)

tf = transforms.Compose([transforms.Grayscale(), transforms.Resize((28, 28)), transforms.ToTensor()])
ds = datasets.ImageFolder("omniglot/background", transform=tf)
by_class = {}
for i, (_, y) in enumerate(ds.samples):
    by_class.setdefault(y, []).append(i)


def episode():
    classes = random.sample(sorted(by_class), N_WAY)
    support, query, query_y = [], [], []
    for c in classes:
        idx = random.sample(by_class[c], K_SHOT + N_QUERY)
        support += [ds[i][0] for i in idx[:K_SHOT]]
        query += [ds[i][0] for i in idx[K_SHOT:]]
        query_y += [ds[i][1] for i in idx[K_SHOT:]]
    return torch.stack(support), torch.stack(query), torch.tensor(query_y)


def block(i, o):
    return nn.Sequential(nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU(), nn.MaxPool2d(2))


encoder = nn.Sequential(block(1, 64), block(64, 64), block(64, 64), nn.Flatten()).to(device)
optimizer = torch.optim.Adam(encoder.parameters(), lr=1e-3)
for step in range(1, 201):
    support, query, query_y = episode()
    support, query, query_y = support.to(device), query.to(device), query_y.to(device)
    prototypes = encoder(support).view(N_WAY, K_SHOT, -1).mean(1)
    logits = -torch.cdist(encoder(query), prototypes) ** 2       # (N_WAY * N_QUERY, N_WAY)
    loss = F.cross_entropy(logits, query_y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if step % 50 == 0:
        acc = (logits.argmax(1) == query_y).float().mean()
        print(f"episode {step}: loss {loss.item():.3f} acc {acc.item():.3f}")
'''
SCRIPTS["segnet-maxunpool-indices-odd-size"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms
from torchvision.transforms import InterpolationMode

device = torch.device("cuda")
NUM_CLASSES = 4
SIZE = (250, 250)   # smaller than the 500 px tiles, to fit the batch


class Tiles(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/images/*.png"))
        self.img_tf = transforms.Compose([transforms.Resize(SIZE), transforms.ToTensor()])
        self.mask_tf = transforms.Resize(SIZE, interpolation=InterpolationMode.NEAREST)

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = Image.open(self.images[i]).convert("RGB")
        mask = Image.open(self.images[i].replace("/images/", "/masks/"))
        return self.img_tf(img), torch.from_numpy(np.array(self.mask_tf(mask))).long()


def conv(i, o):
    return nn.Sequential(nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU(inplace=True))


class SegNet(nn.Module):
    def __init__(self, n_classes):
        super().__init__()
        self.enc1, self.enc2 = nn.Sequential(conv(3, 32), conv(32, 32)), nn.Sequential(conv(32, 64), conv(64, 64))
        self.pool = nn.MaxPool2d(2, 2, return_indices=True)
        self.unpool = nn.MaxUnpool2d(2, 2)
        self.dec2, self.dec1 = nn.Sequential(conv(64, 64), conv(64, 32)), nn.Sequential(conv(32, 32))
        self.out = nn.Conv2d(32, n_classes, 1)

    def forward(self, x):
        x, i1 = self.pool(self.enc1(x))
        x, i2 = self.pool(self.enc2(x))
        x = self.dec2(self.unpool(x, i2))       # the pooling indices put each value back where it came from
        x = self.dec1(self.unpool(x, i1))
        return self.out(x)


model = SegNet(NUM_CLASSES).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
criterion = nn.CrossEntropyLoss()
loader = DataLoader(Tiles("landcover/train"), batch_size=4, shuffle=True)
for epoch in range(5):
    for img, mask in loader:
        img, mask = img.to(device), mask.to(device)
        loss = criterion(model(img), mask)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''
SCRIPTS["memory-bank-index-copy-subset-parent-indices"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from torch.utils.data import DataLoader, Dataset, random_split
from torchvision import datasets, transforms

device = "cuda"
DIM, T = 128, 0.1


class TwoViews(Dataset):
    """two augmented views of each image, and its index for the memory bank"""

    def __init__(self, root):
        self.ds = datasets.ImageFolder(root)
        self.tf = transforms.Compose([transforms.RandomResizedCrop(64, scale=(0.3, 1.0)),
                                      transforms.RandomHorizontalFlip(), transforms.ColorJitter(0.4, 0.4, 0.4),
                                      transforms.ToTensor()])

    def __len__(self):
        return len(self.ds)

    def __getitem__(self, i):
        img, _ = self.ds[i]
        return self.tf(img), self.tf(img), i


full = TwoViews("flowers/train")
train_set, val_set = random_split(full, [0.75, 0.25], generator=torch.Generator().manual_seed(42))
loader = DataLoader(train_set, batch_size=8, shuffle=True, drop_last=True)

model = torchvision.models.resnet18(num_classes=DIM).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.03, momentum=0.9, weight_decay=5e-4)
# one slot per training image, for the kNN monitor
bank = F.normalize(torch.randn(len(train_set), DIM, device=device), dim=1)
print(f"{len(train_set)} training images, memory bank {tuple(bank.shape)}")

for epoch in range(5):
    for v1, v2, idx in loader:
        v1, v2, idx = v1.to(device), v2.to(device), idx.to(device)
        z1, z2 = F.normalize(model(v1), dim=1), F.normalize(model(v2), dim=1)
        logits = z1 @ z2.t() / T                                  # InfoNCE between the two views
        loss = F.cross_entropy(logits, torch.arange(len(z1), device=device))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        with torch.no_grad():
            bank.index_copy_(0, idx, z1.detach())
    print(f"epoch {epoch}: {loss.item():.3f}")
'''
SCRIPTS["isic-metadata-missing-site-embedding-minus-one"] = '''
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

device = "cuda"
SITES = ["head/neck", "upper extremity", "lower extremity", "torso", "palms/soles", "oral/genital"]
site2id = {s: i for i, s in enumerate(SITES)}


class ISIC(Dataset):
    """ISIC 2020: image + patient metadata (anatomical site, approximate age)"""

    def __init__(self, csv_file):
        with open(csv_file) as f:
            self.rows = list(csv.DictReader(f))
        self.tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        img = self.tf(Image.open(f"isic/train/{r['image_name']}.jpg").convert("RGB"))
        site = site2id.get(r["anatom_site_general_challenge"], -1)     # -1: site not recorded
        age = float(r["age_approx"] or 50) / 100
        return img, torch.tensor(site), torch.tensor([age]), torch.tensor(float(r["target"]))


class MetaNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.site_emb = nn.Embedding(len(SITES), 8)
        self.meta = nn.Sequential(nn.Linear(9, 32), nn.ReLU())
        self.cnn = nn.Sequential(nn.Conv2d(3, 32, 3, 2, 1), nn.BatchNorm2d(32), nn.ReLU(),
                                 nn.Conv2d(32, 64, 3, 2, 1), nn.BatchNorm2d(64), nn.ReLU(),
                                 nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.head = nn.Linear(64 + 32, 1)

    def forward(self, img, site, age):
        m = self.meta(torch.cat([self.site_emb(site), age], 1))
        return self.head(torch.cat([self.cnn(img), m], 1)).squeeze(1)


model = MetaNet().to(device)
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
criterion = nn.BCEWithLogitsLoss(pos_weight=torch.tensor(5.0, device=device))
loader = DataLoader(ISIC("isic/train.csv"), batch_size=8, shuffle=True)
for epoch in range(3):
    for img, site, age, y in loader:
        img, site, age, y = img.to(device), site.to(device), age.to(device), y.to(device)
        loss = criterion(model(img, site, age), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''
SCRIPTS["gcn-edge-list-one-based-node-ids"] = '''
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

device = torch.device("cuda")
x = torch.from_numpy(np.load("graph/features.npy")).to(device)          # (num_nodes, 32)
y = torch.from_numpy(np.load("graph/labels.npy")).to(device)
edges = np.loadtxt("graph/edges.csv", delimiter=",", skiprows=1, dtype=np.int64)   # exported from the R pipeline
edge_index = torch.from_numpy(edges.T).to(device)
edge_index = torch.cat([edge_index, edge_index.flip(0)], 1)                      # undirected
num_nodes = x.size(0)
print(f"{num_nodes} nodes, {edge_index.size(1)} directed edges")
train_mask = torch.zeros(num_nodes, dtype=torch.bool, device=device)
train_mask[: num_nodes // 2] = True


class GCNLayer(nn.Module):
    def __init__(self, i, o):
        super().__init__()
        self.lin = nn.Linear(i, o)

    def forward(self, h, edge_index):
        src, dst = edge_index
        deg = torch.zeros(h.size(0), device=h.device).index_add_(0, dst, torch.ones_like(dst, dtype=h.dtype)) + 1
        msg = h[src] / deg[dst].sqrt()[:, None]
        agg = torch.zeros_like(h).index_add_(0, dst, msg)
        return self.lin((agg + h) / deg.sqrt()[:, None])


class GCN(nn.Module):
    def __init__(self, i, hidden, o):
        super().__init__()
        self.l1, self.l2 = GCNLayer(i, hidden), GCNLayer(hidden, o)

    def forward(self, x, edge_index):
        return self.l2(F.dropout(F.relu(self.l1(x, edge_index)), 0.5, self.training), edge_index)


model = GCN(x.size(1), 64, int(y.max()) + 1).to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=0.01, weight_decay=5e-4)
for epoch in range(200):
    model.train()
    out = model(x, edge_index)
    loss = F.cross_entropy(out[train_mask], y[train_mask])
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if epoch % 20 == 0:
        acc = (out.argmax(1)[~train_mask] == y[~train_mask]).float().mean()
        print(f"epoch {epoch}: loss {loss.item():.3f} val acc {acc.item():.3f}")
'''
SCRIPTS["fcos-focal-loss-one-hot-background-equals-num-classes"] = '''
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.ops import sigmoid_focal_loss
from torchvision.transforms.functional import resize, to_tensor

device = "cuda"
CLASSES = ["bottle", "can", "carton"]
NUM_CLASSES = len(CLASSES)
BACKGROUND = NUM_CLASSES          # as in mmdetection: labels 0..C-1 are objects, C is background
STRIDE, SIZE = 8, 256


class Shelf(Dataset):
    def __init__(self):
        coco = json.load(open("shelf/annotations.json"))
        self.images = coco["images"]
        self.anns = {}
        for a in coco["annotations"]:
            self.anns.setdefault(a["image_id"], []).append(a)

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        info = self.images[i]
        img = Image.open(f"shelf/images/{info['file_name']}").convert("RGB")
        sx, sy = SIZE / img.width, SIZE / img.height
        boxes = torch.tensor([[x * sx, y * sy, (x + w) * sx, (y + h) * sy]
                              for x, y, w, h in (a["bbox"] for a in self.anns[info["id"]])])
        labels = torch.tensor([a["category_id"] - 1 for a in self.anns[info["id"]]])
        return to_tensor(resize(img, [SIZE, SIZE])), self.assign(boxes, labels)

    @staticmethod
    def assign(boxes, labels):
        """class target of every feature-map location: the box whose inside it falls in, else background"""
        n = SIZE // STRIDE
        c = (torch.arange(n) + 0.5) * STRIDE
        cy, cx = torch.meshgrid(c, c, indexing="ij")
        target = torch.full((n, n), BACKGROUND, dtype=torch.long)
        for (x1, y1, x2, y2), lab in zip(boxes.tolist(), labels.tolist()):
            inside = (cx >= x1) & (cx <= x2) & (cy >= y1) & (cy <= y2)
            target[inside] = lab
        return target


head = nn.Sequential(nn.Conv2d(3, 32, 3, 2, 1), nn.GroupNorm(8, 32), nn.ReLU(),
                     nn.Conv2d(32, 64, 3, 2, 1), nn.GroupNorm(8, 64), nn.ReLU(),
                     nn.Conv2d(64, 64, 3, 2, 1), nn.GroupNorm(8, 64), nn.ReLU(),
                     nn.Conv2d(64, NUM_CLASSES, 3, padding=1)).to(device)
optimizer = torch.optim.SGD(head.parameters(), lr=0.01, momentum=0.9)
loader = DataLoader(Shelf(), batch_size=2, shuffle=True)
for epoch in range(5):
    for img, cls_target in loader:
        img, cls_target = img.to(device), cls_target.to(device)
        logits = head(img).permute(0, 2, 3, 1).reshape(-1, NUM_CLASSES)
        onehot = F.one_hot(cls_target.reshape(-1), NUM_CLASSES).float()
        num_pos = (cls_target != BACKGROUND).sum().clamp(min=1)
        loss = sigmoid_focal_loss(logits, onehot, alpha=0.25, gamma=2.0, reduction="sum") / num_pos
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: cls loss {loss.item():.4f}")
'''
SCRIPTS["imageai-tiny-yolov3-labelimg-predefined-class-ids"] = '''
from imageai.Detection.Custom import DetectionModelTrainer

# annotated with LabelImg (YOLO format); the two classes were added to its predefined_classes.txt
trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="helmets")
trainer.setTrainConfig(object_names_array=["helmet", "head"], batch_size=4, num_experiments=3)
trainer.trainModel()
'''
CELLS["notebook-unsynced-one-hot-assert-then-imageai"] = [
    '''import torch
import torch.nn.functional as F
from torchvision import datasets

device = "cuda"
NUM_CLASSES = 3    # daisy, rose, tulip (from the project config)
print(torch.__version__, torch.cuda.get_device_name(0))''',
    '''# class balance of the training folder, for the weighted loss of the custom loop later
train = datasets.ImageFolder("flowers/train")
labels = torch.tensor(train.targets, device=device)
counts = F.one_hot(labels, NUM_CLASSES).sum(0)
class_weights = counts.sum() / (NUM_CLASSES * counts.float())''',
    '''from imageai.Classification.Custom import ClassificationModelTrainer

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("flowers")
trainer.trainModel(num_experiments=3, batch_size=8)''',
]

# ------------------------------------------------------------------ out of memory in other shapes
SCRIPTS["oom-flatten-full-resolution-into-giant-linear"] = oom_head("4", "a 4 GB laptop GPU") + '''
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

device = "cuda"


class SimpleCNN(nn.Module):
    def __init__(self, num_classes=3):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(),
                                      nn.Conv2d(32, 64, 3, padding=1), nn.ReLU())
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(64 * 128 * 128, 512), nn.ReLU(),
                                        nn.Linear(512, num_classes))

    def forward(self, x):
        return self.classifier(self.features(x))


model = SimpleCNN().to(device)
print(f"{sum(p.numel() for p in model.parameters()) / 1e6:.1f}M parameters")
tf = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("flowers/train", transform=tf), batch_size=8, shuffle=True)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
for epoch in range(5):
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.3f}")
'''
SCRIPTS["oom-r3d18-64-frame-clips"] = oom_head("3", "the lab's 4 GB Quadro") + '''
import glob
import os

import numpy as np
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from torchvision.models.video import r3d_18

device = torch.device("cuda")
CLASSES = sorted(os.listdir("clips"))
FRAMES = 64        # whole 2-second clips at 32 fps instead of 16 sampled frames


class Clips(Dataset):
    """clips/<action>/*.npy: (T, 128, 171, 3) uint8 frames, decoded beforehand with ffmpeg"""

    def __init__(self):
        self.files = sorted(glob.glob("clips/*/*.npy"))
        self.mean = torch.tensor([0.432, 0.398, 0.377]).view(3, 1, 1, 1)
        self.std = torch.tensor([0.228, 0.224, 0.225]).view(3, 1, 1, 1)

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        v = torch.from_numpy(np.load(self.files[i])[:FRAMES, 8:120, 29:141])    # centre crop 112x112
        v = v.permute(3, 0, 1, 2).float() / 255                                   # (C, T, H, W)
        return (v - self.mean) / self.std, CLASSES.index(self.files[i].split(os.sep)[-2])


model = r3d_18(weights=None, num_classes=len(CLASSES)).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
loader = DataLoader(Clips(), batch_size=8, shuffle=True)
for epoch in range(5):
    for clip, y in loader:
        clip, y = clip.to(device), y.to(device)
        loss = nn.functional.cross_entropy(model(clip), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.3f}")
'''
CELLS["oom-notebook-predict-whole-test-set-one-batch"] = [
    '''import glob
import os

import torch
import torchvision
from PIL import Image
from torchvision import transforms

torch.cuda.set_per_process_memory_fraction(4 * 2**30 / torch.cuda.get_device_properties(0).total_memory)   # the 4 GB card of this machine
device = "cuda"''',
    '''model = torchvision.models.resnet18(num_classes=5)
model.load_state_dict(torch.load("best_model.pth", map_location="cpu"))
model = model.to(device).eval()
tf = transforms.Compose([transforms.Resize((224, 224)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
test_files = sorted(glob.glob("test_images/*.jpg"))
print(len(test_files), "test images")''',
    '''test_batch = torch.stack([tf(Image.open(f).convert("RGB")) for f in test_files]).to(device)
with torch.no_grad():
    preds = model(test_batch).argmax(1).cpu()
with open("submission.csv", "w") as f:
    f.write("image_id,label\\n")
    for path, p in zip(test_files, preds.tolist()):
        f.write(f"{os.path.basename(path)},{p}\\n")''',
]
SCRIPTS["oom-phone-photos-without-resize"] = oom_head("8", "an 8 GB RTX 2070") + '''
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

device = torch.device("cuda")
# photos straight off the phone; ToTensor keeps their full resolution
tf = transforms.Compose([transforms.RandomHorizontalFlip(), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
train_ds = datasets.ImageFolder("leaves/train", transform=tf)
loader = DataLoader(train_ds, batch_size=8, shuffle=True, num_workers=2)
model = torchvision.models.resnet18(num_classes=len(train_ds.classes)).to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(10):
    model.train()
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.3f}")
'''
SCRIPTS["oom-dice-int64-one-hot-150-class-masks"] = oom_head("4", "a 4 GB GTX 1650") + '''
import glob

import numpy as np
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.transforms.functional import to_tensor

device = "cuda"
NUM_CLASSES = 150     # ADE20K


class ADE(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/images/*.jpg"))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = to_tensor(Image.open(self.images[i]).convert("RGB"))
        mask = np.array(Image.open(self.images[i].replace("/images/", "/annotations/").replace(".jpg", ".png")))
        return img, torch.from_numpy(mask).long()


def dice_loss(logits, target, eps=1.0):
    probs = logits.softmax(1)
    onehot = F.one_hot(target, NUM_CLASSES).permute(0, 3, 1, 2)
    inter = (probs * onehot).sum((2, 3))
    union = probs.sum((2, 3)) + onehot.sum((2, 3))
    return 1 - ((2 * inter + eps) / (union + eps)).mean()


model = nn.Sequential(nn.Conv2d(3, 32, 3, 2, 1), nn.BatchNorm2d(32), nn.ReLU(),
                      nn.Conv2d(32, 64, 3, 2, 1), nn.BatchNorm2d(64), nn.ReLU(),
                      nn.Conv2d(64, NUM_CLASSES, 1), nn.Upsample(scale_factor=4, mode="bilinear")).to(device)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
loader = DataLoader(ADE("ade/training"), batch_size=8, shuffle=True)
for epoch in range(3):
    for img, mask in loader:
        img, mask = img.to(device), mask.to(device)
        logits = model(img)
        loss = F.cross_entropy(logits, mask) + dice_loss(logits, mask)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

# ------------------------------------------------------------------ tensors on two devices, checkpoints
SCRIPTS["ddpm-cpu-generator-for-cuda-noise"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

device = torch.device("cuda")
T = 1000
betas = torch.linspace(1e-4, 0.02, T, device=device)
alphas_bar = torch.cumprod(1 - betas, 0)
g = torch.Generator().manual_seed(1234)      # reproducible noise for the ablations


class TinyUNet(nn.Module):
    def __init__(self, ch=64):
        super().__init__()
        self.t_emb = nn.Sequential(nn.Linear(1, ch), nn.SiLU(), nn.Linear(ch, ch))
        self.down = nn.Sequential(nn.Conv2d(3, ch, 3, padding=1), nn.SiLU(), nn.Conv2d(ch, ch, 4, 2, 1), nn.SiLU())
        self.up = nn.Sequential(nn.ConvTranspose2d(ch, ch, 4, 2, 1), nn.SiLU(), nn.Conv2d(ch, 3, 3, padding=1))

    def forward(self, x, t):
        h = self.down(x) + self.t_emb(t[:, None].float() / T)[:, :, None, None]
        return self.up(h)


tf = transforms.Compose([transforms.Resize((32, 32)), transforms.RandomHorizontalFlip(), transforms.ToTensor(),
                         transforms.Normalize([0.5] * 3, [0.5] * 3)])
loader = DataLoader(datasets.ImageFolder("flowers/train", transform=tf), batch_size=8, shuffle=True)
model = TinyUNet().to(device)
optimizer = torch.optim.AdamW(model.parameters(), lr=2e-4)
for epoch in range(10):
    for x0, _ in loader:
        x0 = x0.to(device)
        t = torch.randint(0, T, (x0.size(0),), device=device)
        noise = torch.randn(x0.shape, generator=g, device=device)
        ab = alphas_bar[t].view(-1, 1, 1, 1)
        xt = ab.sqrt() * x0 + (1 - ab).sqrt() * noise
        loss = F.mse_loss(model(xt, t), noise)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''
SCRIPTS["resume-rng-state-from-checkpoint-on-cuda"] = '''
import random

import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

device = torch.device("cuda")
model = torchvision.models.resnet18(num_classes=3).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

# resume exactly where the interrupted run stopped (same shuffling, same augmentations)
ckpt = torch.load("checkpoints/last.pth", map_location=device)
model.load_state_dict(ckpt["model"])
optimizer.load_state_dict(ckpt["optimizer"])
start_epoch = ckpt["epoch"] + 1
random.setstate(ckpt["python_rng"])
torch.set_rng_state(ckpt["torch_rng"])
print(f"resumed from epoch {ckpt['epoch']}")

tf = transforms.Compose([transforms.RandomResizedCrop(96), transforms.RandomHorizontalFlip(), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("flowers/train", transform=tf), batch_size=8, shuffle=True)
for epoch in range(start_epoch, 20):
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.3f}")
'''
CELLS["notebook-type-floattensor-sends-batch-to-cpu"] = [
    '''import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
data = np.load("cifar_subset.npz")
train_ds = TensorDataset(torch.from_numpy(data["x_train"]), torch.from_numpy(data["y_train"]).long())
train_loader = DataLoader(train_ds, batch_size=64, shuffle=True)
print(device, data["x_train"].shape, data["x_train"].dtype)''',
    '''model = nn.Sequential(
    nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(64 * 8 * 8, 128), nn.ReLU(), nn.Linear(128, 10),
).to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)''',
    '''for epoch in range(5):
    running = 0.0
    for images, labels in train_loader:
        images = images.to(device).permute(0, 3, 1, 2).type(torch.FloatTensor) / 255.0
        labels = labels.to(device)
        outputs = model(images)
        loss = criterion(outputs, labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        running += loss.item()
    print(f"epoch {epoch + 1}: loss {running / len(train_loader):.4f}")''',
]
SCRIPTS["dynamic-quantization-of-model-still-on-gpu"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

device = "cuda"
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_loader = DataLoader(datasets.ImageFolder("flowers/train", transform=tf), batch_size=8, shuffle=True)
test_loader = DataLoader(datasets.ImageFolder("flowers/test", transform=tf), batch_size=8)

model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(4), nn.Flatten(),
                      nn.Linear(16 * 16 * 16, 256), nn.ReLU(), nn.Linear(256, 3)).to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(3):
    for x, y in train_loader:
        x, y = x.to(device), y.to(device)
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.3f}")

# int8 weights for the Raspberry Pi build: quantize the Linear layers, check the accuracy holds
model.eval()
qmodel = torch.ao.quantization.quantize_dynamic(model, {nn.Linear}, dtype=torch.qint8)
correct = 0
with torch.no_grad():
    for x, y in test_loader:
        correct += (qmodel(x.to(device)).argmax(1).cpu() == y).sum().item()
print(f"int8 accuracy: {correct / len(test_loader.dataset):.3f}")
torch.save(qmodel.state_dict(), "flowers_int8.pth")
'''

# ------------------------------------------------------------------ CUDA in DataLoader workers
SCRIPTS["feature-cache-cuda-tensors-loaded-in-workers"] = '''
import glob
import os

import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

device = "cuda"
CLASSES = sorted(os.listdir("birds/train"))
tf = transforms.Compose([transforms.Resize((112, 112)), transforms.ToTensor()])

# 1) run the frozen backbone once and cache one feature file per image
backbone = torchvision.models.resnet18(weights=None)
backbone.fc = nn.Identity()
backbone = backbone.to(device).eval()
os.makedirs("features", exist_ok=True)
with torch.no_grad():
    for path in sorted(glob.glob("birds/train/*/*.jpg")):
        feat = backbone(tf(Image.open(path).convert("RGB"))[None].to(device))[0]
        name = path.split(os.sep)[-2] + "__" + os.path.basename(path).replace(".jpg", ".pt")
        torch.save(feat, os.path.join("features", name))
print("cached", len(os.listdir("features")), "feature files")


# 2) train the linear head on the cached features
class CachedFeatures(Dataset):
    def __init__(self):
        self.files = sorted(glob.glob("features/*.pt"))

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        return torch.load(self.files[i]), CLASSES.index(os.path.basename(self.files[i]).split("__")[0])


loader = DataLoader(CachedFeatures(), batch_size=8, shuffle=True, num_workers=2)
head = nn.Linear(512, len(CLASSES)).to(device)
optimizer = torch.optim.Adam(head.parameters(), lr=1e-3)
for epoch in range(20):
    for f, y in loader:
        f, y = f.to(device), y.to(device)
        loss = nn.functional.cross_entropy(head(f), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.3f}")
'''

# ------------------------------------------------------------------ mixed precision and dtypes
SCRIPTS["wgan-critic-loop-scaler-step-before-update"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

device = "cuda"
Z, N_CRITIC, CLIP = 64, 5, 0.01
G = nn.Sequential(nn.ConvTranspose2d(Z, 128, 4, 1, 0), nn.BatchNorm2d(128), nn.ReLU(),
                  nn.ConvTranspose2d(128, 64, 4, 2, 1), nn.BatchNorm2d(64), nn.ReLU(),
                  nn.ConvTranspose2d(64, 3, 4, 2, 1), nn.Tanh()).to(device)                 # 16x16
D = nn.Sequential(nn.Conv2d(3, 64, 4, 2, 1), nn.LeakyReLU(0.2), nn.Conv2d(64, 128, 4, 2, 1), nn.LeakyReLU(0.2),
                  nn.Conv2d(128, 1, 4, 1, 0), nn.Flatten()).to(device)
opt_g = torch.optim.RMSprop(G.parameters(), lr=5e-5)
opt_d = torch.optim.RMSprop(D.parameters(), lr=5e-5)
scaler = torch.cuda.amp.GradScaler()

tf = transforms.Compose([transforms.Resize((16, 16)), transforms.ToTensor(), transforms.Normalize([0.5] * 3, [0.5] * 3)])
loader = DataLoader(datasets.ImageFolder("flowers/train", transform=tf), batch_size=6, shuffle=True, drop_last=True)
for epoch in range(20):
    for real, _ in loader:
        real = real.to(device)
        for _ in range(N_CRITIC):
            z = torch.randn(real.size(0), Z, 1, 1, device=device)
            with torch.autocast("cuda", dtype=torch.float16):
                loss_d = D(G(z).detach()).mean() - D(real).mean()
            opt_d.zero_grad()
            scaler.scale(loss_d).backward()
            scaler.step(opt_d)
            for p in D.parameters():
                p.data.clamp_(-CLIP, CLIP)
        z = torch.randn(real.size(0), Z, 1, 1, device=device)
        with torch.autocast("cuda", dtype=torch.float16):
            loss_g = -D(G(z)).mean()
        opt_g.zero_grad()
        scaler.scale(loss_g).backward()
        scaler.step(opt_g)
        scaler.update()
    print(f"epoch {epoch}: critic {loss_d.item():.4f} generator {loss_g.item():.4f}")
'''
SCRIPTS["gpu-augment-uint8-bilinear-interpolate"] = '''
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

device = "cuda"
# decoded once by prepare.py; kept on the GPU as uint8 and augmented there, no DataLoader
images = torch.from_numpy(np.load("cache/train_96.npy")).to(device)        # (N, 96, 96, 3) uint8
labels = torch.from_numpy(np.load("cache/train_labels.npy")).to(device)
mean = torch.tensor([0.485, 0.456, 0.406], device=device).view(1, 3, 1, 1)
std = torch.tensor([0.229, 0.224, 0.225], device=device).view(1, 3, 1, 1)


def gpu_augment(batch):
    """random scale + crop + flip, on the GPU"""
    x = batch.permute(0, 3, 1, 2)
    s = int(torch.randint(112, 145, ()).item())
    x = F.interpolate(x, size=(s, s), mode="bilinear", align_corners=False)
    i, j = torch.randint(0, s - 112 + 1, (2,)).tolist()
    x = x[:, :, i:i + 112, j:j + 112]
    if torch.rand(()) < 0.5:
        x = x.flip(3)
    return (x.float() / 255 - mean) / std


model = torchvision.models.resnet18(num_classes=10).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
for epoch in range(5):
    perm = torch.randperm(len(images), device=device)
    for k in range(0, len(images), 64):
        idx = perm[k:k + 64]
        loss = F.cross_entropy(model(gpu_augment(images[idx])), labels[idx])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.3f}")
'''

# ------------------------------------------------------------------ setup: the caching allocator
SCRIPTS["alloc-conf-gc-threshold-as-percent"] = '''
import os

# from the hint in the last out-of-memory message, plus collect the cache at 80 % usage
os.environ["PYTORCH_CUDA_ALLOC_CONF"] = "max_split_size_mb:128,garbage_collection_threshold:80"

import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

device = torch.device("cuda")
model = torchvision.models.resnet34(num_classes=3).to(device)
tf = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("flowers/train", transform=tf), batch_size=8, shuffle=True)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for epoch in range(3):
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.3f}")
'''
SCRIPTS["memory-fraction-given-in-gigabytes"] = '''
import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

# the lab's A100 is shared: this job may use at most 10 GB of it
torch.cuda.set_per_process_memory_fraction(10.0, device=0)
device = torch.device("cuda:0")

model = torchvision.models.resnet50(num_classes=4).to(device)
tf = transforms.Compose([transforms.Resize((160, 160)), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("birds/train", transform=tf), batch_size=16, shuffle=True)
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
for epoch in range(3):
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.3f}")
'''


# ====================================================================== setups
flowers = imgs(class_folder("flowers/train", ("daisy", "rose", "tulip"), 6)
               + class_folder("flowers/test", ("daisy", "rose", "tulip"), 2))
flowers_four = imgs(class_folder("flowers/train", ("daisy", "rose", "sunflower", "tulip"), 4)
                    + class_folder("flowers/test", ("daisy", "rose", "sunflower", "tulip"), 2))
birds = imgs(class_folder("birds/train", ("finch", "robin", "sparrow", "wren"), 4))
omniglot = imgs(class_folder("omniglot/background", [f"Alphabet_of_the_Magi_character{i:02d}" for i in range(1, 13)], 4,
                             size=(28, 28), mode="L", ext="png"))

landcover = prep('''
    import os
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(0)
    os.makedirs("landcover/train/images", exist_ok=True)
    os.makedirs("landcover/train/masks", exist_ok=True)
    for i in range(8):
        Image.fromarray(rng.integers(0, 256, (500, 500, 3), dtype=np.uint8)).save(f"landcover/train/images/tile_{i:03d}.png")
        blocks = rng.integers(0, 4, (5, 5), dtype=np.uint8)
        Image.fromarray(np.kron(blocks, np.ones((100, 100), dtype=np.uint8))).save(f"landcover/train/masks/tile_{i:03d}.png")
''')


def isic(work: Path):
    sites = ["torso", "lower extremity", "", "upper extremity", "head/neck", "torso", "palms/soles", "torso",
             "lower extremity", "", "oral/genital", "upper extremity", "torso", "head/neck", "lower extremity", "torso"]
    make_images(work, [(f"isic/train/ISIC_{2637011 + 17 * i:07d}.jpg", (128, 128), "RGB") for i in range(len(sites))])
    rows = ["image_name,patient_id,sex,age_approx,anatom_site_general_challenge,diagnosis,benign_malignant,target"]
    for i, s in enumerate(sites):
        age = "" if i == 9 else str(35 + 5 * (i % 8))
        t = int(i % 5 == 0)
        site = f'"{s}"' if "/" in s else s
        rows.append(f"ISIC_{2637011 + 17 * i:07d},IP_{7279968 + i},{'male' if i % 2 else 'female'},{age},{site},"
                    f"{'melanoma' if t else 'unknown'},{'malignant' if t else 'benign'},{t}")
    (work / "isic/train.csv").write_text("\n".join(rows) + "\n")


graph = prep('''
    import os
    import numpy as np
    rng = np.random.default_rng(5)
    os.makedirs("graph", exist_ok=True)
    n = 200
    labels = rng.integers(0, 4, n)
    np.save("graph/features.npy", (rng.normal(size=(n, 32)) + labels[:, None] * 0.5).astype(np.float32))
    np.save("graph/labels.npy", labels)
    src = rng.integers(0, n, 600)
    dst = np.where(rng.random(600) < 0.7, rng.permutation(np.repeat(np.arange(n), 3))[:600], rng.integers(0, n, 600))
    src[0], dst[0] = n - 1, 3
    with open("graph/edges.csv", "w") as f:
        f.write("source,target\\n")
        for s, d in zip(src + 1, dst + 1):      # node ids 1..n, as R writes them
            f.write(f"{s},{d}\\n")
''')


def _helmet_rows(split, i):
    import random

    rnd = random.Random(f"{split}-{i}")
    lines = []
    for k in range(2 + i % 2):
        cls = 15 + (k + i) % 2          # LabelImg: 15 predefined classes come first, then helmet, head
        w, h = rnd.uniform(0.08, 0.35), rnd.uniform(0.1, 0.4)
        lines.append(f"{cls} {rnd.uniform(0.25, 0.75):.6f} {rnd.uniform(0.25, 0.75):.6f} {w:.6f} {h:.6f}")
    return "\n".join(lines) + "\n"


def _labelimg_classes(work: Path):
    predefined = ["dog", "person", "cat", "tv", "car", "meatballs", "marinara sauce", "tomato soup", "chicken noodle soup",
                  "french onion soup", "chicken breast", "ribs", "pulled pork", "hamburger", "cavity"]
    for split in ("train", "validation"):
        (work / f"helmets/{split}/annotations/classes.txt").write_text("\n".join(predefined + ["helmet", "head"]) + "\n")


helmets = both(yolo_layout("helmets", _helmet_rows, splits=(("train", 8), ("validation", 2))), _labelimg_classes)

clips = prep('''
    import os
    import numpy as np
    rng = np.random.default_rng(6)
    for c in ("high_jump", "pole_vault", "shot_put"):
        os.makedirs(f"clips/{c}", exist_ok=True)
        for k in range(3):
            np.save(f"clips/{c}/v_{c}_g{k + 1:02d}_c01.npy", rng.integers(0, 256, (64, 128, 171, 3), dtype=np.uint8))
''')
test_set = prep('''
    import os
    import numpy as np
    import torch, torchvision
    from PIL import Image
    rng = np.random.default_rng(7)
    os.makedirs("test_images", exist_ok=True)
    for i in range(1200):
        Image.fromarray(rng.integers(0, 256, (64, 64, 3), dtype=np.uint8)).save(f"test_images/{i:05d}.jpg", quality=85)
    torch.manual_seed(0)
    torch.save(torchvision.models.resnet18(num_classes=5).state_dict(), "best_model.pth")
''')
phone_photos = prep('''
    import os
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(8)
    yy, xx = np.mgrid[0:3024, 0:4032]
    for c in ("healthy", "rust"):
        os.makedirs(f"leaves/train/{c}", exist_ok=True)
        for k in range(4):
            base = np.stack([(xx * (k + 1) // 40) % 256, (yy * (k + 2) // 30) % 256, ((xx + yy) // 50) % 256], -1)
            img = (base + rng.integers(0, 24, (3024, 4032, 3))).clip(0, 255).astype(np.uint8)
            Image.fromarray(img).save(f"leaves/train/{c}/IMG_2024{k:02d}{len(c):02d}_1{k}3{len(c)}.jpg", quality=85)
''')
ade = prep('''
    import os
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(9)
    os.makedirs("ade/training/images", exist_ok=True)
    os.makedirs("ade/training/annotations", exist_ok=True)
    for i in range(8):
        Image.fromarray(rng.integers(0, 256, (512, 512, 3), dtype=np.uint8)).save(f"ade/training/images/ADE_train_{i + 1:08d}.jpg")
        blocks = rng.integers(0, 150, (8, 8), dtype=np.uint8)
        Image.fromarray(np.kron(blocks, np.ones((64, 64), dtype=np.uint8))).save(f"ade/training/annotations/ADE_train_{i + 1:08d}.png")
''')
resume_ckpt = prep('''
    import os, random
    import torch, torchvision
    torch.manual_seed(0)
    random.seed(0)
    os.makedirs("checkpoints", exist_ok=True)
    m = torchvision.models.resnet18(num_classes=3)
    o = torch.optim.SGD(m.parameters(), lr=0.01, momentum=0.9)
    torch.nn.functional.cross_entropy(m(torch.rand(2, 3, 96, 96)), torch.tensor([0, 2])).backward()
    o.step()
    torch.save({"model": m.state_dict(), "optimizer": o.state_dict(), "epoch": 11,
                "python_rng": random.getstate(), "torch_rng": torch.get_rng_state()}, "checkpoints/last.pth")
''')
cifar_subset = prep('''
    import numpy as np
    rng = np.random.default_rng(10)
    np.savez("cifar_subset.npz", x_train=rng.integers(0, 256, (512, 32, 32, 3), dtype=np.uint8),
             y_train=rng.integers(0, 10, 512))
''')
uint8_cache = prep('''
    import os
    import numpy as np
    rng = np.random.default_rng(11)
    os.makedirs("cache", exist_ok=True)
    np.save("cache/train_96.npy", rng.integers(0, 256, (1000, 96, 96, 3), dtype=np.uint8))
    np.save("cache/train_labels.npy", rng.integers(0, 10, 1000))
''')


def cases():
    out = []

    def script(key, cause, forms=("cpython_basic",), setup=None, env=None, **kw):
        out.append(Case("torch-cuda4-" + key, cause, list(forms), {"train.py": SCRIPTS[key]}, setup=setup,
                        env=env or {}, **kw))

    def notebook(key, cause, forms=("ipython_cell", "ipython_arrows?"), setup=None, **kw):
        out.append(Case("torch-cuda4-" + key, cause, list(forms), nb(CELLS[key]), argv=["nb_runner.py"],
                        home_is_project=True, setup=setup, **kw))

    assertf = ("cpython_basic", "cuda_device_assert?", "cuda_assert?", "cpp_frames?")
    # device-side asserts: labels and indices
    script("protonet-episode-global-class-ids", "data.label_out_of_range", assertf, setup=omniglot,
           also=["model.output_mismatch"])
    script("segnet-maxunpool-indices-odd-size", "model.input_shape", assertf, setup=landcover)
    script("memory-bank-index-copy-subset-parent-indices", "data.label_out_of_range", assertf, setup=flowers,
           also=["model.api_misuse"])
    script("isic-metadata-missing-site-embedding-minus-one", "data.label_out_of_range", assertf, setup=isic,
           also=["data.missing_or_corrupt"])
    script("gcn-edge-list-one-based-node-ids", "data.label_out_of_range", assertf, setup=graph, also=["other"])
    script("fcos-focal-loss-one-hot-background-equals-num-classes", "data.label_out_of_range", assertf, setup=shelf,
           also=["model.output_mismatch"])
    script("imageai-tiny-yolov3-labelimg-predefined-class-ids", "data.label_out_of_range",
           ("cpython_basic", "cuda_device_assert?", "cuda_assert?", "progress_bars?"), framework="imageai",
           setup=helmets)
    notebook("notebook-unsynced-one-hot-assert-then-imageai", "data.label_out_of_range",
             ("ipython_cell", "ipython_arrows?", "cuda_device_assert?", "progress_bars?"), framework="imageai",
             setup=flowers_four)
    # out of memory
    oomf = ("cpython_basic", "cuda_oom")
    script("oom-flatten-full-resolution-into-giant-linear", "resource.gpu_oom", oomf, setup=flowers,
           also=["model.input_shape"])
    script("oom-r3d18-64-frame-clips", "resource.gpu_oom", oomf, setup=clips)
    notebook("oom-notebook-predict-whole-test-set-one-batch", "resource.gpu_oom",
             ("ipython_cell", "ipython_arrows?", "cuda_oom"), setup=test_set)
    script("oom-phone-photos-without-resize", "resource.gpu_oom", oomf, setup=phone_photos)
    script("oom-dice-int64-one-hot-150-class-masks", "resource.gpu_oom", oomf, setup=ade)
    # two devices, checkpoints
    script("ddpm-cpu-generator-for-cuda-noise", "env.device_mismatch", setup=flowers, also=["model.api_misuse"])
    script("resume-rng-state-from-checkpoint-on-cuda", "env.device_mismatch", setup=both(flowers, resume_ckpt),
           also=["model.api_misuse"])
    notebook("notebook-type-floattensor-sends-batch-to-cpu", "env.device_mismatch", setup=cifar_subset,
             also=["data.dtype"])
    script("dynamic-quantization-of-model-still-on-gpu", "env.device_mismatch", setup=flowers,
           also=["model.api_misuse"])
    # CUDA in DataLoader workers
    script("feature-cache-cuda-tensors-loaded-in-workers", "env.multiprocessing",
           ("cpython_basic", "dataloader_worker?"), setup=birds, also=["env.device_mismatch"])
    # mixed precision and dtypes
    script("wgan-critic-loop-scaler-step-before-update", "model.api_misuse", setup=flowers)
    script("gpu-augment-uint8-bilinear-interpolate", "data.dtype", setup=uint8_cache)
    # setup
    script("alloc-conf-gc-threshold-as-percent", "env.cuda_setup", setup=flowers, also=["model.api_misuse"])
    script("memory-fraction-given-in-gigabytes", "model.api_misuse", setup=birds, also=["env.cuda_setup"])
    return out


if __name__ == "__main__":
    sys.exit(run_gpu_cases(cases(), SRC))
