"""A seventy-eighth held-out set (g147, scored 0.91 top-1 and 0.96 top-3 before any rule for it) of PyTorch / torchvision failures, untargeted across the taxonomy.

The persona: PyTorch engineers who make trained image models smaller and faster after training (and retrain them):
knowledge distillation from a teacher into a student, pruning with ``torch.nn.utils.prune`` followed by fine-tuning,
quantization-aware training and post-training static quantization with ``torch.ao.quantization`` (eager and FX),
TorchScript / ``torch.export`` export steps inside their train scripts, and fine-tuning the compressed model on their
own image folders with DataLoaders. A natural mix of causes, each program built so that its cause is known by
construction and made to fail inside torch, torchvision, PIL or the Python runtime; none a repeat of the scenarios in
the other generators:

- distillation: a hand-written KD loss taking ``log`` of the student's softmax on raw 0..255 pixels (anomaly mode,
  tqdm, optim.divergence), the temperature read by argparse without ``type=float`` (other), hard labels from a
  labelling tool's CSV with 1-based class ids (tqdm, data.label_out_of_range), teacher pseudo-labels taken with
  ``argmax(1, keepdim=True)`` for the hard-label term (data.label_shape), a relational KD loss with ``torch.cdist``
  over every spatial position of the batch under a job memory cap (resource.host_memory), a TorchScript teacher kept
  in the Dataset for on-the-fly soft labels under spawn workers (env.multiprocessing), the frozen teacher wrapped in
  ``DistributedDataParallel`` under torchrun with gloo (env.distributed);
- pruning: the pruned student's state dict (``weight_orig`` / ``weight_mask``) loaded into a fresh model for
  fine-tuning (model.weights_mismatch), ``prune.remove`` over every conv after a sensitivity table that skipped some
  (model.api_misuse), filter pruning by hand that shrinks a conv but keeps the classifier's ``in_features``
  (notebook, model.input_shape), the mask re-applied to ``weight_orig`` in place after each optimizer step (tqdm,
  optim.autograd_graph), a Faster R-CNN with a pruned backbone fine-tuned on ``x, y, w, h`` boxes read as corners
  (data.bbox_invalid);
- quantization: ``fuse_modules`` on the student in training mode for QAT (model.api_misuse), a residual block's
  ``+`` in a post-training quantized student (model.api_misuse), calibration batches saved by NumPy as float64
  (data.dtype), the torch 1.10 FX tutorial's ``prepare_fx(model, qconfig_dict)`` (notebook, env.version_incompat),
  a calibration folder with grayscale scans through a three-channel ``Normalize`` (in workers, data.image_channels),
  a truncated phone upload in the QAT fine-tuning folder (in workers, data.missing_or_corrupt);
- export and fine-tuning: ``torch.jit.script`` at the end of training of a student that indexes its ``ModuleList``
  with the loop variable (tqdm, model.api_misuse), a ``torch.export``-ed distillation student that still returns
  ``(logits, features)`` fine-tuned with cross-entropy (notebook, model.output_mismatch), a pruned edge model
  exported with one example image and the exported program validated in batches of 16 (model.input_shape), the
  pruned student fine-tuned on an own photo folder without a ``Resize`` (in workers, tqdm,
  data.image_size_mismatch), an own folder of iPhone ``.HEIC`` photos given to ``ImageFolder``
  (data.missing_or_corrupt).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None: teachers and
students are files an earlier step left on disk).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more78.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


from _record import (Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders,  # noqa: E402,F401
                     run_cases)

SRC = "corpus/generators/torch_more78.py"


vimgs = imgs  # the images of a case's setup (PIL, in the interpreter that runs this file)

SCRIPTS = {}
CELLS = {}

CLASSES = ["bolt", "nut", "screw", "washer"]

# a small student of the kind the PyTorch KD tutorial uses (no BatchNorm)
LIGHT_NN = '''
class LightNN(nn.Module):
    def __init__(self, num_classes=4):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        )
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(16 * 16 * 16, 256), nn.ReLU(),
                                        nn.Linear(256, num_classes))

    def forward(self, x):
        return self.classifier(self.features(x))
'''

SAVE_TEACHER = '''
import os, torch, torchvision
os.makedirs("checkpoints", exist_ok=True)
torch.manual_seed(0)
torch.save(torchvision.models.resnet18(num_classes=4).state_dict(), "checkpoints/teacher_resnet18.pt")
'''
teacher = prep(SAVE_TEACHER)
parts = vimgs(class_folder("parts/train", CLASSES, 4, size=(64, 64)))

# ================================================================== distillation
SCRIPTS["kd-log-of-student-softmax-raw-pixels-anomaly"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from tqdm import tqdm
''' + LIGHT_NN + '''

T = 1.0
ALPHA = 0.7
torch.manual_seed(0)
torch.autograd.set_detect_anomaly(True)     # added after the first run printed loss=inf

# PILToTensor keeps 0..255; the teacher was trained on the same pipeline
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.PILToTensor(), transforms.ConvertImageDtype(torch.float32),
                         transforms.Lambda(lambda x: x * 255)])
train = datasets.ImageFolder("parts/train", transform=tf)
loader = DataLoader(train, batch_size=8, shuffle=True)

teacher = torchvision.models.resnet18(num_classes=4)
teacher.load_state_dict(torch.load("checkpoints/teacher_resnet18.pt", map_location="cpu"))
teacher.eval()
student = LightNN(num_classes=4)
opt = torch.optim.SGD(student.parameters(), lr=0.05, momentum=0.9)

for epoch in range(3):
    pbar = tqdm(loader, desc=f"kd epoch {epoch}")
    for x, y in pbar:
        with torch.no_grad():
            t_logits = teacher(x)
        s_logits = student(x)
        p_t = F.softmax(t_logits / T, dim=1)
        p_s = F.softmax(s_logits / T, dim=1)
        kd = (p_t * (p_t.log() - p_s.log())).sum(dim=1).mean() * T * T
        loss = ALPHA * kd + (1 - ALPHA) * F.cross_entropy(s_logits, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        pbar.set_postfix(loss=f"{loss.item():.3f}")
'''

SCRIPTS["kd-temperature-argparse-string"] = '''
import argparse

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
''' + LIGHT_NN + '''

p = argparse.ArgumentParser(description="distil resnet18 -> LightNN")
p.add_argument("--data", default="parts/train")
p.add_argument("--epochs", type=int, default=2)
p.add_argument("--lr", type=float, default=1e-3)
p.add_argument("--T", default=4.0, help="softmax temperature")
p.add_argument("--alpha", type=float, default=0.5)
args = p.parse_args()

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
loader = DataLoader(datasets.ImageFolder(args.data, transform=tf), batch_size=8, shuffle=True)
teacher = torchvision.models.resnet18(num_classes=4)
teacher.load_state_dict(torch.load("checkpoints/teacher_resnet18.pt", map_location="cpu"))
teacher.eval()
student = LightNN()
opt = torch.optim.Adam(student.parameters(), lr=args.lr)
kl = nn.KLDivLoss(reduction="batchmean")

for epoch in range(args.epochs):
    for x, y in loader:
        with torch.no_grad():
            t_logits = teacher(x)
        s_logits = student(x)
        soft = kl(F.log_softmax(s_logits / args.T, dim=1), F.softmax(t_logits / args.T, dim=1)) * args.T ** 2
        loss = args.alpha * soft + (1 - args.alpha) * F.cross_entropy(s_logits, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

SCRIPTS["kd-labels-csv-one-based-class-ids"] = '''
import csv

import torch
import torch.nn.functional as F
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms
from tqdm import tqdm

# labels.csv exported from Label Studio: filename,class_id (ids as shown in the project settings)
CLASSES = ["bolt", "nut", "screw", "washer"]


class PartsCSV(Dataset):
    def __init__(self, root, csv_path, tf):
        self.root, self.tf = root, tf
        with open(csv_path) as f:
            self.rows = [(r["filename"], int(r["class_id"])) for r in csv.DictReader(f)]

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        name, label = self.rows[i]
        return self.tf(Image.open(f"{self.root}/{name}").convert("RGB")), label


tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
loader = DataLoader(PartsCSV("parts/images", "parts/labels.csv", tf), batch_size=8, shuffle=True)
teacher = torchvision.models.resnet18(num_classes=len(CLASSES))
teacher.load_state_dict(torch.load("checkpoints/teacher_resnet18.pt", map_location="cpu"))
teacher.eval()
student = torchvision.models.mobilenet_v3_small(num_classes=len(CLASSES))
opt = torch.optim.AdamW(student.parameters(), lr=3e-4)
T = 4.0
for epoch in range(2):
    student.train()
    for x, y in tqdm(loader, desc=f"epoch {epoch + 1}/2"):
        with torch.no_grad():
            t = teacher(x)
        s = student(x)
        kd = F.kl_div(F.log_softmax(s / T, 1), F.log_softmax(t / T, 1), log_target=True, reduction="batchmean") * T * T
        loss = 0.5 * kd + 0.5 * F.cross_entropy(s, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''


def csv_one_based(work):
    vimgs([(f"parts/images/IMG_{i:04d}.jpg", (64, 64), "RGB") for i in range(16)])(work)
    rows = ["filename,class_id"] + [f"IMG_{i:04d}.jpg,{1 + (i * 3) % 4}" for i in range(16)]
    (work / "parts/labels.csv").write_text("\n".join(rows) + "\n")


SCRIPTS["kd-teacher-pseudo-labels-keepdim"] = '''
import torch
import torch.nn.functional as F
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

# unlabelled shop-floor photos: the teacher gives both the soft targets and the hard labels
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
unlabelled = datasets.ImageFolder("floor_photos", transform=tf)      # one dummy folder "all/"
loader = DataLoader(unlabelled, batch_size=8, shuffle=True)

teacher = torchvision.models.resnet18(num_classes=4)
teacher.load_state_dict(torch.load("checkpoints/teacher_resnet18.pt", map_location="cpu"))
teacher.eval()
student = torchvision.models.shufflenet_v2_x0_5(num_classes=4)
opt = torch.optim.SGD(student.parameters(), lr=0.01, momentum=0.9)
T = 3.0

for step, (x, _) in enumerate(loader):
    with torch.no_grad():
        t_logits = teacher(x)
        t_probs = F.softmax(t_logits / T, dim=1)
        hard = t_probs.argmax(dim=1, keepdim=True)
    s_logits = student(x)
    kd = F.kl_div(F.log_softmax(s_logits / T, dim=1), t_probs, reduction="batchmean") * T * T
    ce = F.cross_entropy(s_logits, hard)
    loss = 0.9 * kd + 0.1 * ce
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"step {step}: kd {kd.item():.4f} ce {ce.item():.4f}")
'''

SCRIPTS["rkd-cdist-every-position-memory-cap"] = '''
import resource

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

# the training container's memory limit, reproduced here
vm = int(next(l for l in open("/proc/self/status") if l.startswith("VmSize")).split()[1]) * 1024
resource.setrlimit(resource.RLIMIT_AS, (vm + 3 * 2 ** 30, resource.RLIM_INFINITY))

tf = transforms.Compose([transforms.Resize((192, 192)), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("parts/train", transform=tf), batch_size=16, shuffle=True)

teacher = torchvision.models.resnet18(num_classes=4)
teacher.load_state_dict(torch.load("checkpoints/teacher_resnet18.pt", map_location="cpu"))
teacher.eval()
t_stem = nn.Sequential(teacher.conv1, teacher.bn1, teacher.relu, teacher.maxpool, teacher.layer1)   # 64 x 48 x 48
student = torchvision.models.mobilenet_v3_small(num_classes=4)
s_stem = student.features[:2]                                                                       # 16 x 48 x 48
opt = torch.optim.Adam(student.parameters(), lr=1e-3)


def rkd_distance(f):
    """Relational KD (Park et al.): pairwise distances between all feature vectors, normalised by their mean."""
    v = f.permute(0, 2, 3, 1).reshape(-1, f.shape[1])        # every spatial position of every image
    d = torch.cdist(v, v)
    return d / d[d > 0].mean()


for x, y in loader:
    with torch.no_grad():
        ft = t_stem(x)
    fs = s_stem(x)
    print("feature maps", tuple(ft.shape), tuple(fs.shape))
    loss = F.smooth_l1_loss(rkd_distance(fs), rkd_distance(ft)) + F.cross_entropy(student(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
'''

SCRIPTS["scripted-teacher-in-dataset-spawn-workers"] = '''
import torch
import torch.nn.functional as F
import torchvision
from PIL import Image
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


class SoftLabelFolder(datasets.ImageFolder):
    """ImageFolder that also returns the teacher's soft labels, computed on the fly in the workers."""
    def __init__(self, root, teacher_path, T=4.0):
        super().__init__(root, transform=transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()]))
        self.teacher = torch.jit.load(teacher_path, map_location="cpu").eval()
        self.T = T

    def __getitem__(self, i):
        x, y = super().__getitem__(i)
        with torch.no_grad():
            soft = F.softmax(self.teacher(x[None]) / self.T, dim=1)[0]
        return x, y, soft


def main():
    ds = SoftLabelFolder("parts/train", "export/teacher_resnet18_scripted.pt")
    # spawn: same start method as on the MacBook where this was written
    loader = DataLoader(ds, batch_size=8, shuffle=True, num_workers=2, multiprocessing_context="spawn")
    student = torchvision.models.mobilenet_v3_small(num_classes=4)
    opt = torch.optim.Adam(student.parameters(), lr=1e-3)
    for x, y, soft in loader:
        s = student(x)
        loss = F.kl_div(F.log_softmax(s / 4.0, 1), soft, reduction="batchmean") * 16 + F.cross_entropy(s, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(loss.item())


if __name__ == "__main__":
    main()
'''

SCRIPTED_TEACHER = '''
import os, torch, torchvision
os.makedirs("export", exist_ok=True)
torch.jit.save(torch.jit.script(torchvision.models.resnet18(num_classes=4).eval()), "export/teacher_resnet18_scripted.pt")
'''

SCRIPTS["ddp-wraps-frozen-teacher"] = '''
import os

import torch
import torch.distributed as dist
import torch.nn.functional as F
import torchvision
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler
from torchvision import datasets, transforms

dist.init_process_group("gloo")
rank = dist.get_rank()

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
ds = datasets.ImageFolder("parts/train", transform=tf)
loader = DataLoader(ds, batch_size=8, sampler=DistributedSampler(ds))

teacher = torchvision.models.resnet18(num_classes=4)
teacher.load_state_dict(torch.load("checkpoints/teacher_resnet18.pt", map_location="cpu"))
teacher.eval()
for p in teacher.parameters():
    p.requires_grad_(False)
student = torchvision.models.mobilenet_v3_small(num_classes=4)

teacher = DDP(teacher)
student = DDP(student)
opt = torch.optim.Adam(student.parameters(), lr=1e-3)
for epoch in range(2):
    loader.sampler.set_epoch(epoch)
    for x, y in loader:
        with torch.no_grad():
            t = teacher(x)
        s = student(x)
        loss = F.kl_div(F.log_softmax(s / 4, 1), F.softmax(t / 4, 1), reduction="batchmean") * 16
        opt.zero_grad()
        loss.backward()
        opt.step()
    if rank == 0:
        print(f"epoch {epoch} loss {loss.item():.4f}")
dist.destroy_process_group()
'''

# ================================================================== pruning
SAVE_PRUNED = '''
import os, torch, torchvision
import torch.nn as nn
import torch.nn.utils.prune as prune
os.makedirs("checkpoints", exist_ok=True)
torch.manual_seed(0)
m = torchvision.models.resnet18(num_classes=4)
for mod in m.modules():
    if isinstance(mod, nn.Conv2d):
        prune.l1_unstructured(mod, "weight", amount=0.5)
torch.save(m.state_dict(), "checkpoints/resnet18_pruned50.pt")
'''

SCRIPTS["pruned-state-dict-into-fresh-resnet"] = '''
import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

# step 2 of prune_then_finetune: prune.py pruned 50% of every conv (L1) and saved the state dict
model = torchvision.models.resnet18(num_classes=4)
model.load_state_dict(torch.load("checkpoints/resnet18_pruned50.pt", map_location="cpu"))

zeros = sum((m.weight == 0).sum().item() for m in model.modules() if isinstance(m, nn.Conv2d))
total = sum(m.weight.numel() for m in model.modules() if isinstance(m, nn.Conv2d))
print(f"conv sparsity {zeros / total:.1%}")

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("parts/train", transform=tf), batch_size=8, shuffle=True)
opt = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
for x, y in loader:
    loss = nn.functional.cross_entropy(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
'''

SCRIPTS["prune-remove-every-conv-after-sensitivity-table"] = '''
import json

import torch
import torch.nn as nn
import torch.nn.utils.prune as prune
import torchvision

model = torchvision.models.resnet18(num_classes=4)
model.load_state_dict(torch.load("checkpoints/teacher_resnet18.pt", map_location="cpu"))

# per-layer amounts from sensitivity.py (layers that lost > 1% accuracy at 10% are left dense: amount 0)
amounts = json.load(open("sensitivity.json"))
for name, module in model.named_modules():
    if isinstance(module, nn.Conv2d) and amounts.get(name, 0) > 0:
        prune.ln_structured(module, "weight", amount=amounts[name], n=2, dim=0)
        print(f"{name:28s} pruned {amounts[name]:.0%} of filters")

# ... fine-tuning happens in finetune.py; make the pruning permanent before export
for name, module in model.named_modules():
    if isinstance(module, nn.Conv2d):
        prune.remove(module, "weight")
torch.save(model.state_dict(), "checkpoints/resnet18_structured.pt")
'''

SENSITIVITY = '''
import json, torch.nn as nn, torchvision
m = torchvision.models.resnet18(num_classes=4)
amts = {}
for i, (n, mod) in enumerate(m.named_modules()):
    if isinstance(mod, nn.Conv2d):
        amts[n] = 0.0 if (n == "conv1" or "downsample" in n or n.startswith("layer1")) else [0.2, 0.3, 0.4][i % 3]
json.dump(amts, open("sensitivity.json", "w"), indent=1)
'''

CELLS["filter-pruning-by-hand-keeps-fc-in-features"] = [
    '''import torch, torch.nn as nn
from torchvision import datasets, transforms

class PartsNet(nn.Module):
    def __init__(self, n=4):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 32, 3, padding=1)
        self.conv2 = nn.Conv2d(32, 64, 3, padding=1)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(64, n)
    def forward(self, x):
        x = torch.relu(self.conv1(x))
        x = torch.relu(self.conv2(x))
        return self.fc(self.pool(x).flatten(1))

model = PartsNet()
model.load_state_dict(torch.load("checkpoints/partsnet.pt"))''',
    '''# filter pruning: keep the 48 conv2 filters with the largest L1 norm
keep = model.conv2.weight.abs().sum(dim=(1, 2, 3)).argsort(descending=True)[:48].sort().values
new = nn.Conv2d(32, len(keep), 3, padding=1)
new.weight.data = model.conv2.weight.data[keep].clone()
new.bias.data = model.conv2.bias.data[keep].clone()
model.conv2 = new
print(sum(p.numel() for p in model.parameters()), "params after pruning")''',
    '''tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
loader = torch.utils.data.DataLoader(datasets.ImageFolder("parts/train", transform=tf), batch_size=8, shuffle=True)
opt = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
for x, y in loader:
    loss = nn.functional.cross_entropy(model(x), y)
    opt.zero_grad(); loss.backward(); opt.step()
print(loss.item())''',
]

SAVE_PARTSNET = '''
import os, torch, torch.nn as nn
os.makedirs("checkpoints", exist_ok=True)
class PartsNet(nn.Module):
    def __init__(self, n=4):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 32, 3, padding=1)
        self.conv2 = nn.Conv2d(32, 64, 3, padding=1)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(64, n)
torch.save(PartsNet().state_dict(), "checkpoints/partsnet.pt")
'''

SCRIPTS["prune-mask-reapplied-in-place-after-step"] = '''
import torch
import torch.nn as nn
import torch.nn.utils.prune as prune
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from tqdm import tqdm

model = torchvision.models.resnet18(num_classes=4)
model.load_state_dict(torch.load("checkpoints/teacher_resnet18.pt", map_location="cpu"))
convs = [m for m in model.modules() if isinstance(m, nn.Conv2d)]
prune.global_unstructured([(m, "weight") for m in convs], pruning_method=prune.L1Unstructured, amount=0.6)

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.RandomHorizontalFlip(), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("parts/train", transform=tf), batch_size=4, shuffle=True)
opt = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9, weight_decay=1e-4)

for epoch in range(2):
    model.train()
    for x, y in tqdm(loader, desc=f"finetune {epoch}"):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        # momentum + weight decay move the pruned weights of weight_orig: zero them again
        for m in convs:
            m.weight_orig.mul_(m.weight_mask)
'''

SCRIPTS["pruned-fasterrcnn-xywh-boxes-read-as-corners"] = '''
import csv
from collections import defaultdict

import torch
import torch.nn as nn
import torch.nn.utils.prune as prune
import torchvision
from torchvision.io import decode_image
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn

CLASSES = ["__background__", "scratch", "dent"]

# boxes.csv from the labelling tool: image,label,x,y,width,height
boxes = defaultdict(list)
with open("defects/boxes.csv") as f:
    for r in csv.DictReader(f):
        boxes[r["image"]].append((CLASSES.index(r["label"]),
                                  [float(r["x"]), float(r["y"]), float(r["width"]), float(r["height"])]))

model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES))
model.load_state_dict(torch.load("checkpoints/defects_frcnn.pt", map_location="cpu"))
# 40% L1 pruning of the backbone convs, then fine-tune to recover the mAP
for m in model.backbone.body.modules():
    if isinstance(m, nn.Conv2d) and m.groups == 1:
        prune.l1_unstructured(m, "weight", amount=0.4)

opt = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=5e-3, momentum=0.9)
model.train()
names = sorted(boxes)
for i in range(0, len(names), 2):
    imgs, targets = [], []
    for name in names[i:i + 2]:
        imgs.append(decode_image(f"defects/images/{name}").float() / 255)
        targets.append({"boxes": torch.tensor([b for _, b in boxes[name]]),
                        "labels": torch.tensor([c for c, _ in boxes[name]])})
    losses = model(imgs, targets)
    loss = sum(losses.values())
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(i, {k: round(v.item(), 3) for k, v in losses.items()})
'''

SAVE_FRCNN = '''
import os, torch
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
os.makedirs("checkpoints", exist_ok=True)
torch.save(fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=3).state_dict(),
           "checkpoints/defects_frcnn.pt")
rows = ["image,label,x,y,width,height"]
for i in range(4):
    rows.append(f"panel_{i:03d}.jpg,scratch,{40 + 10 * i},{60 + 5 * i},{90 - 5 * i},{25 + 2 * i}")
    rows.append(f"panel_{i:03d}.jpg,dent,{150 + 8 * i},{120},{30 + 3 * i},{32 + i}")
open("defects/boxes.csv", "w").write("\\n".join(rows) + "\\n")
'''

# ================================================================== quantization
QAT_NET = '''
class ConvBNReLU(nn.Sequential):
    def __init__(self, cin, cout, stride=1):
        super().__init__(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU())


class PartsStudent(nn.Module):
    def __init__(self, num_classes=4):
        super().__init__()
        self.quant = torch.ao.quantization.QuantStub()
        self.block1 = ConvBNReLU(3, 16, 2)
        self.block2 = ConvBNReLU(16, 32, 2)
        self.block3 = ConvBNReLU(32, 64, 2)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(64, num_classes)
        self.dequant = torch.ao.quantization.DeQuantStub()

    def forward(self, x):
        x = self.quant(x)
        x = self.block3(self.block2(self.block1(x)))
        x = self.fc(torch.flatten(self.pool(x), 1))
        return self.dequant(x)
'''

SCRIPTS["qat-fuse-modules-in-train-mode"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
''' + QAT_NET + '''

model = PartsStudent()
model.load_state_dict(torch.load("checkpoints/parts_student_fp32.pt", map_location="cpu"))

# quantization-aware training (following the eager-mode QAT tutorial)
model.train()
model = torch.ao.quantization.fuse_modules(model, [["block1.0", "block1.1", "block1.2"],
                                                  ["block2.0", "block2.1", "block2.2"],
                                                  ["block3.0", "block3.1", "block3.2"]])
model.qconfig = torch.ao.quantization.get_default_qat_qconfig("x86")
torch.ao.quantization.prepare_qat(model, inplace=True)

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("parts/train", transform=tf), batch_size=8, shuffle=True)
opt = torch.optim.SGD(model.parameters(), lr=1e-4, momentum=0.9)
for epoch in range(3):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
quantized = torch.ao.quantization.convert(model.eval())
torch.jit.save(torch.jit.script(quantized), "export/parts_student_int8.pt")
'''

SAVE_QAT_STUDENT = '''
import os, torch, torch.nn as nn
os.makedirs("checkpoints", exist_ok=True)
''' + QAT_NET + '''
torch.save(PartsStudent().state_dict(), "checkpoints/parts_student_fp32.pt")
'''

RES_NET = '''
class ResBlock(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv1 = nn.Conv2d(c, c, 3, padding=1)
        self.relu = nn.ReLU()
        self.conv2 = nn.Conv2d(c, c, 3, padding=1)

    def forward(self, x):
        return self.relu(x + self.conv2(self.relu(self.conv1(x))))


class ResStudent(nn.Module):
    def __init__(self, num_classes=4):
        super().__init__()
        self.quant = torch.ao.quantization.QuantStub()
        self.stem = nn.Sequential(nn.Conv2d(3, 32, 3, 2, 1), nn.ReLU())
        self.blocks = nn.Sequential(ResBlock(32), ResBlock(32))
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, num_classes))
        self.dequant = torch.ao.quantization.DeQuantStub()

    def forward(self, x):
        return self.dequant(self.head(self.blocks(self.stem(self.quant(x)))))
'''

SCRIPTS["ptq-residual-add-in-quantized-student"] = '''
import glob
import os

import torch
import torch.nn as nn
from PIL import Image
from torchvision import datasets, transforms
''' + RES_NET + '''

model = ResStudent()
model.load_state_dict(torch.load("checkpoints/res_student_kd.pt", map_location="cpu"))
model.eval()

# post-training static quantization: observers, calibration on 16 training images, convert
model.qconfig = torch.ao.quantization.get_default_qconfig("x86")
prepared = torch.ao.quantization.prepare(model)
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
calib = datasets.ImageFolder("parts/train", transform=tf)
with torch.no_grad():
    for i in range(len(calib)):
        prepared(calib[i][0][None])
quantized = torch.ao.quantization.convert(prepared)
torch.save(quantized.state_dict(), "checkpoints/res_student_int8.pt")
print("fp32 size", os.path.getsize("checkpoints/res_student_kd.pt") // 1024, "KiB;",
      "int8 size", os.path.getsize("checkpoints/res_student_int8.pt") // 1024, "KiB")

# accuracy check of the int8 model
correct = 0
with torch.no_grad():
    for x, y in torch.utils.data.DataLoader(calib, batch_size=8):
        correct += (quantized(x).argmax(1) == y).sum().item()
print("int8 accuracy", correct / len(calib))
'''

SAVE_RES_STUDENT = '''
import os, torch, torch.nn as nn
os.makedirs("checkpoints", exist_ok=True)
''' + RES_NET + '''
torch.save(ResStudent().state_dict(), "checkpoints/res_student_kd.pt")
'''

SCRIPTS["ptq-calibration-batches-float64-npy"] = '''
import numpy as np
import torch
import torch.nn as nn
''' + QAT_NET + '''

model = PartsStudent()
model.load_state_dict(torch.load("checkpoints/parts_student_fp32.pt", map_location="cpu"))
model.eval()
model = torch.ao.quantization.fuse_modules(model, [["block1.0", "block1.1", "block1.2"],
                                                  ["block2.0", "block2.1", "block2.2"],
                                                  ["block3.0", "block3.1", "block3.2"]])
model.qconfig = torch.ao.quantization.get_default_qconfig("x86")
prepared = torch.ao.quantization.prepare(model)

# calibration set written by make_calib.py (already resized and normalised, N x 3 x 64 x 64)
calib = np.load("calib/parts_calib.npy")
print("calibration set", calib.shape, calib.dtype)
with torch.no_grad():
    for i in range(0, len(calib), 8):
        prepared(torch.from_numpy(calib[i:i + 8]))
quantized = torch.ao.quantization.convert(prepared)
torch.jit.save(torch.jit.script(quantized), "parts_student_int8.pt")
'''

CALIB_NPY = '''
import os, numpy as np
from PIL import Image
import glob
os.makedirs("calib", exist_ok=True)
mean, std = np.array([0.485, 0.456, 0.406]), np.array([0.229, 0.224, 0.225])
xs = []
for p in sorted(glob.glob("parts/train/*/*.jpg")):
    a = np.asarray(Image.open(p).convert("RGB").resize((64, 64))) / 255.0
    xs.append(((a - mean) / std).transpose(2, 0, 1))
np.save("calib/parts_calib.npy", np.stack(xs))
'''

CELLS["fx-prepare-qconfig-dict-old-tutorial"] = [
    '''import copy
import torch, torchvision
from torch.ao.quantization import get_default_qconfig
from torch.ao.quantization.quantize_fx import prepare_fx, convert_fx
from torchvision import datasets, transforms

float_model = torchvision.models.mobilenet_v2(num_classes=4)
float_model.load_state_dict(torch.load("checkpoints/mobilenet_v2_parts_kd.pt", map_location="cpu"))
float_model.eval();''',
    '''# FX graph mode post-training static quantization (from the 1.10 tutorial)
qconfig = get_default_qconfig("fbgemm")
qconfig_dict = {"": qconfig}
model_to_quantize = copy.deepcopy(float_model)
prepared_model = prepare_fx(model_to_quantize, qconfig_dict)
print(prepared_model.graph)''',
    '''tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
calib = datasets.ImageFolder("parts/train", transform=tf)
with torch.no_grad():
    for i in range(len(calib)):
        prepared_model(calib[i][0][None])
quantized_model = convert_fx(prepared_model)''',
]

SAVE_MBV2 = '''
import os, torch, torchvision
os.makedirs("checkpoints", exist_ok=True)
torch.save(torchvision.models.mobilenet_v2(num_classes=4).state_dict(), "checkpoints/mobilenet_v2_parts_kd.pt")
'''

SCRIPTS["ptq-calibration-folder-grayscale-scans-workers"] = '''
import glob

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms
''' + QAT_NET + '''


class CalibImages(Dataset):
    """A few hundred unlabelled images from production for calibration (no labels needed)."""
    def __init__(self, root):
        self.paths = sorted(glob.glob(root + "/*.png"))
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor(),
                                      transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        return self.tf(Image.open(self.paths[i]))


if __name__ == "__main__":
    model = PartsStudent()
    model.load_state_dict(torch.load("checkpoints/parts_student_fp32.pt", map_location="cpu"))
    model.eval()
    model.qconfig = torch.ao.quantization.get_default_qconfig("x86")
    prepared = torch.ao.quantization.prepare(model)
    with torch.no_grad():
        for x in DataLoader(CalibImages("calib_production"), batch_size=8, num_workers=2):
            prepared(x)
    quantized = torch.ao.quantization.convert(prepared)
    torch.save(quantized.state_dict(), "parts_student_int8.pt")
'''

SCRIPTS["qat-finetune-folder-truncated-upload-workers"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
''' + QAT_NET + '''

if __name__ == "__main__":
    model = PartsStudent()
    model.load_state_dict(torch.load("checkpoints/parts_student_fp32.pt", map_location="cpu"))
    model.train()
    model = torch.ao.quantization.fuse_modules_qat(model, [["block1.0", "block1.1", "block1.2"],
                                                          ["block2.0", "block2.1", "block2.2"],
                                                          ["block3.0", "block3.1", "block3.2"]])
    model.qconfig = torch.ao.quantization.get_default_qat_qconfig("x86")
    torch.ao.quantization.prepare_qat(model, inplace=True)

    # QAT fine-tuning on the new photos from the line (uploaded from the operators' phones)
    tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
    loader = DataLoader(datasets.ImageFolder("line_photos", transform=tf), batch_size=4, shuffle=True,
                        num_workers=2)
    opt = torch.optim.SGD(model.parameters(), lr=1e-4, momentum=0.9)
    for epoch in range(2):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print("epoch", epoch, loss.item())
'''

# ================================================================== export + fine-tuning
SCRIPTS["jit-script-student-modulelist-indexed-by-loop-var"] = '''
import os

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from tqdm import tqdm


class TapStudent(nn.Module):
    """Student whose intermediate stages are matched to the teacher's (FitNets-style hints)."""
    def __init__(self, num_classes=4, widths=(16, 32, 64)):
        super().__init__()
        cin = 3
        self.stages = nn.ModuleList()
        for w in widths:
            self.stages.append(nn.Sequential(nn.Conv2d(cin, w, 3, 2, 1), nn.BatchNorm2d(w), nn.ReLU()))
            cin = w
        self.fc = nn.Linear(cin, num_classes)

    def forward(self, x):
        hints = []
        for i in range(len(self.stages)):
            x = self.stages[i](x)
            hints.append(x)
        return self.fc(x.mean((2, 3))), hints


teacher = torchvision.models.resnet18(num_classes=4)
teacher.load_state_dict(torch.load("checkpoints/teacher_resnet18.pt", map_location="cpu"))
teacher.eval()
student = TapStudent()
opt = torch.optim.Adam(student.parameters(), lr=1e-3)
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("parts/train", transform=tf), batch_size=8, shuffle=True)

for epoch in range(2):
    for x, y in tqdm(loader, desc=f"epoch {epoch}"):
        with torch.no_grad():
            t = teacher(x)
        s, _ = student(x)
        loss = F.kl_div(F.log_softmax(s / 4, 1), F.softmax(t / 4, 1), reduction="batchmean") * 16 + F.cross_entropy(s, y)
        opt.zero_grad()
        loss.backward()
        opt.step()

os.makedirs("export", exist_ok=True)
student.eval()
torch.jit.save(torch.jit.script(student), "export/tap_student.pt")
print("saved export/tap_student.pt")
'''

STUDENT_FEAT = '''
import os, torch, torch.nn as nn
os.makedirs("exports", exist_ok=True)
class KDStudent(nn.Module):
    def __init__(self, n=4):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1), nn.ReLU(), nn.Conv2d(16, 32, 3, 2, 1), nn.ReLU(),
                                  nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.fc = nn.Linear(32, n)
    def forward(self, x):
        f = self.body(x)
        return self.fc(f), f        # features for the feature-KD term
ep = torch.export.export(KDStudent(), (torch.rand(8, 3, 64, 64),), dynamic_shapes={"x": {0: torch.export.Dim("batch")}})
torch.export.save(ep, "exports/kd_student.pt2")
'''

CELLS["exported-student-returns-logits-and-features"] = [
    '''import torch, torch.nn.functional as F
from torchvision import datasets, transforms

student = torch.export.load("exports/kd_student.pt2").module()
print(type(student).__name__)''',
    '''# fine-tune the distilled student on the new site's images
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
loader = torch.utils.data.DataLoader(datasets.ImageFolder("site_b/train", transform=tf), batch_size=8, shuffle=True)
opt = torch.optim.Adam(student.parameters(), lr=1e-4)
for x, y in loader:
    out = student(x)
    loss = F.cross_entropy(out, y)
    opt.zero_grad(); loss.backward(); opt.step()
print(loss.item())''',
]

SCRIPTS["export-pruned-student-then-validate-batches"] = '''
import os

import torch
import torch.nn as nn
import torch.nn.utils.prune as prune
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


class EdgeNet(nn.Module):
    def __init__(self, num_classes=4):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 24, 3, 2, 1), nn.BatchNorm2d(24), nn.ReLU(),
                                      nn.Conv2d(24, 48, 3, 2, 1), nn.BatchNorm2d(48), nn.ReLU(),
                                      nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.fc = nn.Linear(48, num_classes)

    def forward(self, x):
        return self.fc(self.features(x))


model = EdgeNet()
model.load_state_dict(torch.load("checkpoints/edgenet_finetuned.pt", map_location="cpu"))
for m in model.modules():
    if isinstance(m, nn.Conv2d):
        prune.l1_unstructured(m, "weight", amount=0.3)
        prune.remove(m, "weight")
model.eval()

# export for the edge runtime (ExecuTorch) with one example image, then check the exported program on val/
os.makedirs("export", exist_ok=True)
example = (torch.rand(1, 3, 64, 64),)
ep = torch.export.export(model, example)
torch.export.save(ep, "export/edgenet_pruned.pt2")
print(ep.graph_signature.user_inputs)

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
val = DataLoader(datasets.ImageFolder("parts/val", transform=tf), batch_size=16)
exported = ep.module()
correct = 0
with torch.no_grad():
    for x, y in val:
        correct += (exported(x).argmax(1) == y).sum().item()
print(f"exported accuracy {correct / len(val.dataset):.3f}")
'''

SAVE_EDGENET = '''
import os, torch, torch.nn as nn
os.makedirs("checkpoints", exist_ok=True)
class EdgeNet(nn.Module):
    def __init__(self, num_classes=4):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 24, 3, 2, 1), nn.BatchNorm2d(24), nn.ReLU(),
                                      nn.Conv2d(24, 48, 3, 2, 1), nn.BatchNorm2d(48), nn.ReLU(),
                                      nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.fc = nn.Linear(48, num_classes)
torch.save(EdgeNet().state_dict(), "checkpoints/edgenet_finetuned.pt")
'''

SCRIPTS["pruned-student-own-photos-no-resize-workers"] = '''
import torch
import torch.nn as nn
import torch.nn.utils.prune as prune
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from tqdm import tqdm

if __name__ == "__main__":
    model = torchvision.models.resnet18(num_classes=4)
    model.load_state_dict(torch.load("checkpoints/teacher_resnet18.pt", map_location="cpu"))
    convs = [(m, "weight") for m in model.modules() if isinstance(m, nn.Conv2d)]
    prune.global_unstructured(convs, pruning_method=prune.L1Unstructured, amount=0.5)

    # recover the accuracy on our own photos (fully convolutional + avgpool, so any size works)
    tf = transforms.Compose([transforms.RandomHorizontalFlip(), transforms.ToTensor(),
                             transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
    loader = DataLoader(datasets.ImageFolder("my_photos", transform=tf), batch_size=4, shuffle=True, num_workers=2)
    opt = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
    for epoch in range(2):
        for x, y in tqdm(loader, desc=f"recover {epoch}"):
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
    for m, n in convs:
        prune.remove(m, n)
    torch.save(model.state_dict(), "checkpoints/resnet18_pruned_finetuned.pt")
'''

SCRIPTS["finetune-folder-of-heic-photos"] = '''
import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

model = torchvision.models.mobilenet_v3_small(num_classes=4)
model.load_state_dict(torch.load("checkpoints/mbv3s_distilled.pt", map_location="cpu"))

# photos of the new parts, AirDropped from the iPhone into new_parts/<class>/
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train = datasets.ImageFolder("new_parts", transform=tf)
loader = DataLoader(train, batch_size=8, shuffle=True)
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
for x, y in loader:
    loss = nn.functional.cross_entropy(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
'''


def heic_folder(work):
    for c in CLASSES:
        d = work / "new_parts" / c
        d.mkdir(parents=True, exist_ok=True)
        for i in range(3):
            (d / f"IMG_{4100 + 7 * i + len(c)}.HEIC").write_bytes(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(64))


def cases():
    out, add, script, notebook = case_builders("torch-more78-", SCRIPTS, CELLS)
    P = ("cpython_basic", "progress_bars")
    W = ("cpython_basic", "dataloader_worker")
    qat_student = prep(SAVE_QAT_STUDENT)

    # ---- distillation
    script("kd-log-of-student-softmax-raw-pixels-anomaly", "optim.divergence", forms=P, argv="distill.py",
           setup=both(teacher, parts))
    script("kd-temperature-argparse-string", "other", argv="distill.py", args=("--T", "4", "--epochs", "2"),
           setup=both(teacher, parts))
    script("kd-labels-csv-one-based-class-ids", "data.label_out_of_range", forms=P, argv="distill_csv.py",
           setup=both(teacher, csv_one_based))
    script("kd-teacher-pseudo-labels-keepdim", "data.label_shape", argv="distill_unlabelled.py",
           setup=both(teacher, vimgs([(f"floor_photos/all/cam2_{i:04d}.jpg", (80, 64), "RGB") for i in range(10)])))
    script("rkd-cdist-every-position-memory-cap", "resource.host_memory", argv="train_rkd.py",
           setup=both(teacher, parts))
    script("scripted-teacher-in-dataset-spawn-workers", "env.multiprocessing", argv="distill_workers.py",
           setup=both(prep(SCRIPTED_TEACHER), parts))
    script("ddp-wraps-frozen-teacher", "env.distributed", also=["model.api_misuse"], argv="distill_ddp.py",
           pre=("-m", "torch.distributed.run", "--standalone", "--nproc_per_node=1"), setup=both(teacher, parts),
           exception="RuntimeError")  # the rank's own error; torchrun's ChildFailedError only reports it

    # ---- pruning
    script("pruned-state-dict-into-fresh-resnet", "model.weights_mismatch", argv="finetune_pruned.py",
           setup=both(prep(SAVE_PRUNED), parts))
    script("prune-remove-every-conv-after-sensitivity-table", "model.api_misuse", argv="prune_structured.py",
           setup=both(teacher, prep(SENSITIVITY)))
    notebook("filter-pruning-by-hand-keeps-fc-in-features", "model.input_shape", also=["model.output_mismatch"],
             setup=both(prep(SAVE_PARTSNET), parts))
    script("prune-mask-reapplied-in-place-after-step", "optim.autograd_graph", forms=P, argv="prune_finetune.py",
           setup=both(teacher, parts))
    script("pruned-fasterrcnn-xywh-boxes-read-as-corners", "data.bbox_invalid", argv="prune_finetune_det.py",
           setup=both(vimgs([(f"defects/images/panel_{i:03d}.jpg", (320, 240), "RGB") for i in range(4)]),
                      prep(SAVE_FRCNN)))

    # ---- quantization
    script("qat-fuse-modules-in-train-mode", "model.api_misuse", argv="qat.py", setup=both(qat_student, parts))
    script("ptq-residual-add-in-quantized-student", "model.api_misuse", argv="ptq.py",
           setup=both(prep(SAVE_RES_STUDENT), parts))
    script("ptq-calibration-batches-float64-npy", "data.dtype", argv="ptq_npy.py",
           setup=both(qat_student, parts, prep(CALIB_NPY)))
    notebook("fx-prepare-qconfig-dict-old-tutorial", "env.version_incompat", also=["model.api_misuse"],
             setup=both(prep(SAVE_MBV2), parts))
    script("ptq-calibration-folder-grayscale-scans-workers", "data.image_channels", forms=W, argv="calibrate.py",
           setup=both(qat_student, vimgs([(f"calib_production/frame_{i:04d}.png", (72, 72), "L" if i % 5 == 3 else "RGB")
                                         for i in range(16)])))
    script("qat-finetune-folder-truncated-upload-workers", "data.missing_or_corrupt", forms=W, argv="qat_line.py",
           setup=both(qat_student, vimgs([(f"line_photos/{c}/op_{i:03d}.jpg", (64, 64),
                                          "truncated" if (c, i) == ("nut", 2) else "RGB")
                                         for c in CLASSES for i in range(4)])))

    # ---- export + fine-tuning
    script("jit-script-student-modulelist-indexed-by-loop-var", "model.api_misuse", forms=P, argv="distill_hints.py",
           setup=both(teacher, parts))
    notebook("exported-student-returns-logits-and-features", "model.output_mismatch",
             setup=both(prep(STUDENT_FEAT), vimgs(class_folder("site_b/train", CLASSES, 3, size=(72, 72)))))
    script("export-pruned-student-then-validate-batches", "model.input_shape", also=["model.api_misuse"],
           argv="prune_export.py", setup=both(prep(SAVE_EDGENET), vimgs(class_folder("parts/val", CLASSES, 5, size=(64, 64)))))
    script("pruned-student-own-photos-no-resize-workers", "data.image_size_mismatch",
           forms=("cpython_basic", "dataloader_worker", "progress_bars"), argv="recover.py",
           setup=both(teacher, vimgs([(f"my_photos/{c}/IMG_{i:04d}.jpg", (64 + 16 * (i % 3), 64 + 8 * (i % 2)), "RGB")
                                     for c in CLASSES for i in range(4)])))
    script("finetune-folder-of-heic-photos", "data.missing_or_corrupt", argv="finetune_new_parts.py",
           setup=both(prep('import os, torch, torchvision\nos.makedirs("checkpoints", exist_ok=True)\n'
                           'torch.save(torchvision.models.mobilenet_v3_small(num_classes=4).state_dict(), '
                           '"checkpoints/mbv3s_distilled.pt")'), heic_folder))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
