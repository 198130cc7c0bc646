"""More failures that only a GPU shows: PyTorch / torchvision / ImageAI 3 training on CUDA.

Device-side asserts from other kernels than ``torch_cuda.py``'s: a binary segmentation mask
saved as 0/255 under a two-class head (``nll_loss2d``), the one-hot of a Dice loss fed the
255 border that the cross-entropy ignores (``scatter``), class centres updated with
``index_add_`` for a label past them, and ``torch.multinomial`` over per-sample losses that
went NaN; a confusion matrix ``bincount`` fed -1 "unlabelled" pixels.  torchvision ops:
``roi_align`` given proposals left on the CPU, Faster R-CNN given COCO ``[x, y, w, h]``
boxes.  Deterministic mode: ``adaptive_avg_pool2d`` (coordinate attention) and ``ctc_loss``
backward without a deterministic CUDA kernel.  cuDNN / CUDA-only
kernels: an LSTM backward in eval mode (FGSM), FlashAttention forced on float32, cuFFT on
half tensors of a non power-of-two size, CTC on a half model, uint8 images into a conv,
int32 labels, a half result written into a float buffer under autocast, bf16 features to
numpy.  GradScaler misuse: ``unscale_`` every micro-batch of gradient accumulation, ``step``
without ``scale``, an optimizer built before the head swap (no grads at all), bf16 weights.
Out of memory: attention over 4096 patch tokens, ImageAI 3 DenseNet121 at batch 48.
Device placement: a head replaced after ``.to(device)`` (plain and inside DataParallel), an
LSTM's initial state made on the CPU, ``torch.set_default_device("cuda")`` under a shuffling
DataLoader, ``np.mean`` over CUDA loss tensors.  Setup: ``CUDA_VISIBLE_DEVICES`` naming a card
that is not there, then a GPU checkpoint; ImageAI 3 transfer learning from a checkpoint saved
on ``cuda:1``; CUDA events read before the GPU finished.  NaN: a hand-written BCE on
unnormalised pixels under ``detect_anomaly``.

Every case is a small real program; the label is known by construction. It needs a CUDA
GPU (written for an NVIDIA H200 with torch 2.11 + cu130, through the device tool, see the
README); without one it writes nothing.

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_cuda2.py [-k filter] [--out DIR]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _record import Case, both, class_folder, imgs, make_images, prep, run_gpu_cases  # noqa: E402

SRC = "corpus/generators/torch_cuda2.py"

OOM_HEAD = '''
import torch
torch.cuda.set_per_process_memory_fraction(@@FRAC@@)  # the lab's 8 GB card, shared with a notebook
'''

SCRIPTS = {}

# ------------------------------------------------------------------ device-side asserts and index checks
SCRIPTS["seg-binary-mask-png-0-255-two-classes"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset

device = torch.device("cuda")


class LesionMasks(Dataset):
    """images/*.png with masks/*.png exported from the labelling tool (black = skin, white = lesion)"""

    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/images/*.png"))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = np.asarray(Image.open(self.images[i]).convert("RGB"), dtype=np.float32) / 255.0
        mask = np.asarray(Image.open(self.images[i].replace("/images/", "/masks/")).convert("L"))
        return torch.from_numpy(img).permute(2, 0, 1), torch.from_numpy(mask).long()


def conv_block(i, o):
    return nn.Sequential(nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU(inplace=True))


class SmallUNet(nn.Module):
    def __init__(self, n_classes):
        super().__init__()
        self.down1, self.down2 = conv_block(3, 16), conv_block(16, 32)
        self.up = nn.Upsample(scale_factor=2, mode="nearest")
        self.dec = conv_block(32 + 16, 16)
        self.out = nn.Conv2d(16, n_classes, 1)

    def forward(self, x):
        a = self.down1(x)
        b = self.down2(nn.functional.max_pool2d(a, 2))
        return self.out(self.dec(torch.cat([self.up(b), a], 1)))


model = SmallUNet(n_classes=2).to(device)   # background / lesion
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loader = DataLoader(LesionMasks("lesions/train"), batch_size=4, shuffle=True)
for epoch in range(5):
    model.train()
    total = 0.0
    for img, mask in loader:
        img, mask = img.to(device), mask.to(device)
        loss = criterion(model(img), mask)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item()
    print(f"epoch {epoch}: {total / len(loader):.4f}")
'''
SCRIPTS["dice-one-hot-255-border-that-ce-ignores"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset

NUM_CLASSES = 3   # background, road, car
IGNORE = 255      # VOC-style border pixels
device = "cuda"


class VocStyle(Dataset):
    def __init__(self):
        self.images = sorted(glob.glob("seg/images/*.png"))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = np.asarray(Image.open(self.images[i]).convert("RGB"), dtype=np.float32) / 255.0
        mask = np.asarray(Image.open(self.images[i].replace("images", "masks")))
        return torch.from_numpy(img).permute(2, 0, 1), torch.from_numpy(mask.astype(np.int64))


class DiceCE(nn.Module):
    """cross-entropy + soft Dice, the usual combination for thin structures"""

    def __init__(self, n):
        super().__init__()
        self.n = n
        self.ce = nn.CrossEntropyLoss(ignore_index=IGNORE)

    def forward(self, logits, target):
        ce = self.ce(logits, target)
        probs = logits.softmax(1)
        onehot = F.one_hot(target, self.n).permute(0, 3, 1, 2).float()
        inter = (probs * onehot).sum((2, 3))
        dice = 1 - (2 * inter + 1) / (probs.sum((2, 3)) + onehot.sum((2, 3)) + 1)
        return ce + dice.mean()


model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 16, 3, padding=1), nn.ReLU(),
                      nn.Conv2d(16, NUM_CLASSES, 1)).to(device)
criterion = DiceCE(NUM_CLASSES)
opt = torch.optim.Adam(model.parameters(), 1e-3)
for epoch in range(3):
    for img, mask in DataLoader(VocStyle(), batch_size=2, shuffle=True):
        img, mask = img.to(device), mask.to(device)
        loss = criterion(model(img), mask)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print("epoch", epoch, "loss", loss.item())
'''
SCRIPTS["center-loss-index-add-identity-past-centres"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

NUM_CLASSES = 3
device = "cuda"
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
data = datasets.ImageFolder("faces/train", transform=tf)
loader = DataLoader(data, batch_size=8, shuffle=True)

backbone = torchvision.models.resnet18(num_classes=128).to(device)   # 128-d embeddings
head = nn.Linear(128, NUM_CLASSES).to(device)
centers = torch.zeros(NUM_CLASSES, 128, device=device)
opt = torch.optim.SGD(list(backbone.parameters()) + list(head.parameters()), lr=0.01, momentum=0.9)

for epoch in range(3):
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        feats = backbone(x)
        with torch.no_grad():   # running class centres (center loss, Wen et al. 2016)
            sums = torch.zeros_like(centers).index_add_(0, y, feats)
            counts = torch.zeros(NUM_CLASSES, device=device).index_add_(0, y, torch.ones(len(y), device=device))
            seen = counts > 0
            centers[seen] = 0.9 * centers[seen] + 0.1 * sums[seen] / counts[seen].unsqueeze(1)
        loss = F.cross_entropy(head(feats), y) + 0.01 * ((feats - centers[y]) ** 2).sum(1).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.3f}")
'''
SCRIPTS["multinomial-hard-example-sampling-after-divergence"] = '''
import torch
import torch.nn as nn

device = "cuda"
torch.manual_seed(0)
# 2,000 face crops with 5 keypoints each, in pixel coordinates of the 96x96 crop
images = torch.rand(2000, 1, 96, 96) * 255
keypoints = torch.rand(2000, 10) * 96
model = nn.Sequential(nn.Conv2d(1, 16, 3, stride=2), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2), nn.ReLU(),
                      nn.AdaptiveAvgPool2d(4), nn.Flatten(), nn.Linear(512, 10)).to(device)
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

# online hard example mining: draw the next batch in proportion to each sample's last loss
sample_loss = torch.ones(len(images), device=device)
for step in range(300):
    idx = torch.multinomial(sample_loss, 32, replacement=True)
    x, y = images[idx.cpu()].to(device), keypoints[idx.cpu()].to(device)
    per_sample = ((model(x) - y) ** 2).mean(1)
    sample_loss[idx] = per_sample.detach()
    loss = per_sample.mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 5 == 0:
        print(f"step {step}: loss {loss.item():.2f}")
'''
SCRIPTS["bincount-confusion-matrix-unlabelled-minus-one"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset

NUM_CLASSES = 3
device = "cuda"


class Parcels(Dataset):
    def __init__(self):
        self.images = sorted(glob.glob("seg/images/*.png"))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = np.asarray(Image.open(self.images[i]).convert("RGB"), dtype=np.float32) / 255.0
        mask = np.asarray(Image.open(self.images[i].replace("images", "masks"))).astype(np.int64)
        mask[mask == 255] = -1          # unlabelled pixels, skipped by the loss
        return torch.from_numpy(img).permute(2, 0, 1), torch.from_numpy(mask)


def confusion_matrix(pred, target, n):
    return torch.bincount(n * target.flatten() + pred.flatten(), minlength=n * n).reshape(n, n)


model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, NUM_CLASSES, 1)).to(device)
opt = torch.optim.Adam(model.parameters(), 1e-3)
loader = DataLoader(Parcels(), batch_size=2)
for epoch in range(2):
    model.train()
    for img, mask in loader:
        img, mask = img.to(device), mask.to(device)
        loss = F.cross_entropy(model(img), mask, ignore_index=-1)
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()
    conf = torch.zeros(NUM_CLASSES, NUM_CLASSES, dtype=torch.long, device=device)
    with torch.no_grad():
        for img, mask in loader:
            img, mask = img.to(device), mask.to(device)
            conf += confusion_matrix(model(img).argmax(1), mask, NUM_CLASSES)
    iou = conf.diag() / (conf.sum(0) + conf.sum(1) - conf.diag()).clamp(min=1)
    print(f"epoch {epoch}: loss {loss.item():.3f} mIoU {iou.float().mean().item():.3f}")
'''

# ------------------------------------------------------------------ torchvision ops
SCRIPTS["roi-align-proposals-left-on-cpu"] = '''
import numpy as np
import torch
import torch.nn as nn
import torchvision
from torchvision.ops import roi_align

device = torch.device("cuda")
NUM_CLASSES = 4


def load_proposals(n_images, per_image=16):
    """selective-search proposals computed offline, (x1, y1, x2, y2) in pixels"""
    rng = np.random.default_rng(0)
    out = []
    for _ in range(n_images):
        xy = rng.uniform(0, 200, (per_image, 2))
        wh = rng.uniform(20, 100, (per_image, 2))
        out.append(torch.from_numpy(np.hstack([xy, xy + wh])).float())
    return out


backbone = nn.Sequential(*list(torchvision.models.resnet18(weights=None).children())[:-2]).to(device)
head = nn.Sequential(nn.Flatten(), nn.Linear(512 * 7 * 7, 256), nn.ReLU(), nn.Linear(256, NUM_CLASSES)).to(device)
opt = torch.optim.SGD(list(backbone.parameters()) + list(head.parameters()), lr=0.01, momentum=0.9)

images = torch.rand(2, 3, 320, 320, device=device)
proposals = load_proposals(2)
labels = torch.randint(0, NUM_CLASSES, (32,), device=device)
for it in range(3):
    feats = backbone(images)                      # stride 32
    pooled = roi_align(feats, proposals, output_size=(7, 7), spatial_scale=1 / 32, sampling_ratio=2)
    loss = nn.functional.cross_entropy(head(pooled), labels)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(it, loss.item())
'''
SCRIPTS["fasterrcnn-coco-xywh-boxes-as-corners"] = '''
import json

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms.functional import to_tensor

device = torch.device("cuda")


class CocoDetection(Dataset):
    def __init__(self, root, ann_file):
        coco = json.load(open(ann_file))
        self.root, self.images = root, coco["images"]
        self.anns = {}
        for a in coco["annotations"]:
            self.anns.setdefault(a["image_id"], []).append(a)

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        info = self.images[i]
        img = to_tensor(Image.open(f"{self.root}/{info['file_name']}").convert("RGB"))
        anns = self.anns[info["id"]]
        target = {"boxes": torch.tensor([a["bbox"] for a in anns], dtype=torch.float32),
                  "labels": torch.tensor([a["category_id"] for a in anns], dtype=torch.int64)}
        return img, target


data = CocoDetection("shelf/images", "shelf/annotations.json")
loader = DataLoader(data, batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=3).to(device)
opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9, weight_decay=5e-4)
model.train()
for epoch in range(2):
    for images, targets in loader:
        images = [im.to(device) for im in images]
        targets = [{k: v.to(device) for k, v in t.items()} for t in targets]
        losses = model(images, targets)
        loss = sum(losses.values())
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, {k: round(v.item(), 3) for k, v in losses.items()})
'''

# ------------------------------------------------------------------ deterministic algorithms
SCRIPTS["deterministic-coordinate-attention-adaptive-pool"] = '''
import os
os.environ["CUBLAS_WORKSPACE_CONFIG"] = ":4096:8"   # needed for deterministic cuBLAS
import random

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def seed_everything(seed=42):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.cuda.manual_seed_all(seed)
    torch.backends.cudnn.deterministic = True
    torch.backends.cudnn.benchmark = False
    torch.use_deterministic_algorithms(True)


class CoordAtt(nn.Module):
    """coordinate attention (Hou et al. 2021), as added to the YOLO backbone"""

    def __init__(self, c, r=8):
        super().__init__()
        mid = max(8, c // r)
        self.pool_h, self.pool_w = nn.AdaptiveAvgPool2d((None, 1)), nn.AdaptiveAvgPool2d((1, None))
        self.conv1, self.bn, self.act = nn.Conv2d(c, mid, 1), nn.BatchNorm2d(mid), nn.Hardswish()
        self.conv_h, self.conv_w = nn.Conv2d(mid, c, 1), nn.Conv2d(mid, c, 1)

    def forward(self, x):
        n, c, h, w = x.shape
        xh, xw = self.pool_h(x), self.pool_w(x).permute(0, 1, 3, 2)
        y = self.act(self.bn(self.conv1(torch.cat([xh, xw], 2))))
        yh, yw = torch.split(y, [h, w], 2)
        return x * self.conv_h(yh).sigmoid() * self.conv_w(yw.permute(0, 1, 3, 2)).sigmoid()


seed_everything()
model = nn.Sequential(nn.Conv2d(3, 32, 3, stride=2, padding=1), nn.BatchNorm2d(32), nn.SiLU(), CoordAtt(32),
                      nn.Conv2d(32, 64, 3, stride=2, padding=1), nn.BatchNorm2d(64), nn.SiLU(), CoordAtt(64),
                      nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 5)).cuda()
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for step in range(3):
    x = torch.rand(8, 3, 128, 128, device="cuda")
    y = torch.randint(0, 2, (8, 5), device="cuda").float()   # 5 defect types, multi-label
    loss = F.binary_cross_entropy_with_logits(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(step, loss.item())
'''
SCRIPTS["deterministic-crnn-ctc-loss-backward"] = '''
import os
os.environ["CUBLAS_WORKSPACE_CONFIG"] = ":4096:8"
import torch
import torch.nn as nn

torch.manual_seed(0)
torch.use_deterministic_algorithms(True)   # reviewers asked for bit-exact reruns
ALPHABET = "0123456789"
device = "cuda"


class CRNN(nn.Module):
    def __init__(self, n_classes=len(ALPHABET) + 1):   # + blank
        super().__init__()
        self.cnn = nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                 nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d((2, 1)))
        self.rnn = nn.LSTM(64 * 8, 128, bidirectional=True, batch_first=True)
        self.fc = nn.Linear(256, n_classes)

    def forward(self, x):                              # x: (B, 1, 32, 128)
        f = self.cnn(x).permute(0, 3, 1, 2).flatten(2)  # (B, 64, 512)
        out, _ = self.rnn(f)
        return self.fc(out).log_softmax(2).permute(1, 0, 2)   # (T, B, C) for CTC


model = CRNN().to(device)
ctc = nn.CTCLoss(blank=0, zero_infinity=True)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for step in range(5):
    images = torch.rand(16, 1, 32, 128, device=device)
    target_lengths = torch.randint(4, 9, (16,))
    targets = torch.randint(1, len(ALPHABET) + 1, (16, 8), device=device)   # padded digit strings
    log_probs = model(images)
    input_lengths = torch.full((16,), log_probs.size(0), dtype=torch.long)
    loss = ctc(log_probs, targets, input_lengths, target_lengths)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(step, loss.item())
'''
# ------------------------------------------------------------------ cuDNN / CUDA-only kernels and dtypes
SCRIPTS["fgsm-on-cnn-lstm-in-eval-mode"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F

device = "cuda"


class CNNLSTM(nn.Module):
    """per-frame CNN features, an LSTM over the 8 frames of a clip"""

    def __init__(self, n_classes=4):
        super().__init__()
        self.cnn = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2), nn.ReLU(),
                                 nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.lstm = nn.LSTM(32, 64, batch_first=True)
        self.fc = nn.Linear(64, n_classes)

    def forward(self, clips):                     # (B, T, 3, H, W)
        b, t = clips.shape[:2]
        f = self.cnn(clips.flatten(0, 1)).view(b, t, -1)
        out, _ = self.lstm(f)
        return self.fc(out[:, -1])


model = CNNLSTM().to(device)
opt = torch.optim.Adam(model.parameters(), 1e-3)
for step in range(3):
    clips, labels = torch.rand(4, 8, 3, 64, 64, device=device), torch.randint(0, 4, (4,), device=device)
    loss = F.cross_entropy(model(clips), labels)
    opt.zero_grad()
    loss.backward()
    opt.step()

# robustness check: FGSM adversarial clips against the trained model
model.eval()
clips, labels = torch.rand(4, 8, 3, 64, 64, device=device), torch.randint(0, 4, (4,), device=device)
clips.requires_grad_(True)
loss = F.cross_entropy(model(clips), labels)
loss.backward()
adv = (clips + 8 / 255 * clips.grad.sign()).clamp(0, 1)
print("adversarial accuracy", (model(adv).argmax(1) == labels).float().mean().item())
'''
SCRIPTS["flash-attention-forced-on-float32"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.attention import SDPBackend, sdpa_kernel


class Attention(nn.Module):
    def __init__(self, dim=192, heads=3):
        super().__init__()
        self.heads = heads
        self.qkv, self.proj = nn.Linear(dim, 3 * dim), nn.Linear(dim, dim)

    def forward(self, x):
        b, n, c = x.shape
        q, k, v = self.qkv(x).reshape(b, n, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4)
        with sdpa_kernel(SDPBackend.FLASH_ATTENTION):   # make sure we get the fast kernel
            x = F.scaled_dot_product_attention(q, k, v)
        return self.proj(x.transpose(1, 2).reshape(b, n, c))


class TinyViT(nn.Module):
    def __init__(self, dim=192, n_classes=10):
        super().__init__()
        self.patch = nn.Conv2d(3, dim, 16, stride=16)
        self.blocks = nn.ModuleList([Attention(dim) for _ in range(2)])
        self.norm, self.head = nn.LayerNorm(dim), nn.Linear(dim, n_classes)

    def forward(self, x):
        t = self.patch(x).flatten(2).transpose(1, 2)
        for blk in self.blocks:
            t = t + blk(t)
        return self.head(self.norm(t).mean(1))


model = TinyViT().cuda()
opt = torch.optim.AdamW(model.parameters(), lr=3e-4)
for step in range(3):
    x, y = torch.rand(8, 3, 128, 128, device="cuda"), torch.randint(0, 10, (8,), device="cuda")
    loss = F.cross_entropy(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(step, loss.item())
'''
SCRIPTS["global-filter-fft-half-model-14x14-tokens"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F


class GlobalFilter(nn.Module):
    """GFNet token mixer: a learned filter in the 2-D frequency domain"""

    def __init__(self, dim, h=14, w=8):
        super().__init__()
        self.complex_weight = nn.Parameter(torch.randn(h, w, dim, 2) * 0.02)

    def forward(self, x):                       # (B, H, W, C)
        _, h, w, _ = x.shape
        x = torch.fft.rfft2(x, dim=(1, 2), norm="ortho")
        x = x * torch.view_as_complex(self.complex_weight)
        return torch.fft.irfft2(x, s=(h, w), dim=(1, 2), norm="ortho")


class GFNet(nn.Module):
    def __init__(self, dim=96, n_classes=10):
        super().__init__()
        self.patch = nn.Conv2d(3, dim, 16, stride=16)  # 224 / 16 = 14 tokens a side
        self.norm1, self.filter = nn.LayerNorm(dim), GlobalFilter(dim)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))
        self.head = nn.Linear(dim, n_classes)

    def forward(self, x):
        t = self.patch(x).permute(0, 2, 3, 1)
        t = t + self.filter(self.norm1(t))
        t = t + self.mlp(self.norm2(t))
        return self.head(t.mean((1, 2)))


model = GFNet().cuda().half()      # fp16 weights: twice the batch on our card
opt = torch.optim.SGD(model.parameters(), lr=0.01)
for step in range(3):
    x = torch.rand(32, 3, 224, 224, device="cuda", dtype=torch.half)
    y = torch.randint(0, 10, (32,), device="cuda")
    loss = F.cross_entropy(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(step, loss.item())
'''
SCRIPTS["ctc-loss-on-half-plate-reader"] = '''
import torch
import torch.nn as nn

CHARS = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
device = "cuda"


class PlateReader(nn.Module):
    def __init__(self, n_classes=len(CHARS) + 1):
        super().__init__()
        self.cnn = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
                                 nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d((2, 1)))
        self.gru = nn.GRU(64 * 6, 96, bidirectional=True, batch_first=True)
        self.fc = nn.Linear(192, n_classes)

    def forward(self, x):                               # (B, 3, 24, 96)
        f = self.cnn(x).permute(0, 3, 1, 2).flatten(2)  # (B, 48, 384)
        out, _ = self.gru(f)
        return self.fc(out).log_softmax(2).permute(1, 0, 2)


model = PlateReader().to(device).half()    # fp16 for the Jetson deployment later
ctc = nn.CTCLoss(blank=len(CHARS), zero_infinity=True)
opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-4)
for step in range(5):
    plates = torch.rand(32, 3, 24, 96, device=device, dtype=torch.half)
    targets = torch.randint(0, len(CHARS), (32, 7), device=device)
    log_probs = model(plates)
    input_lengths = torch.full((32,), log_probs.size(0), dtype=torch.long)
    target_lengths = torch.full((32,), 7, dtype=torch.long)
    loss = ctc(log_probs, targets, input_lengths, target_lengths)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(step, loss.item())
'''
SCRIPTS["cv2-uint8-images-into-conv-on-cuda"] = '''
import glob
import os

import cv2
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset

device = torch.device("cuda")


class FlowerFolder(Dataset):
    def __init__(self, root):
        self.classes = sorted(os.listdir(root))
        self.items = [(p, i) for i, c in enumerate(self.classes) for p in sorted(glob.glob(f"{root}/{c}/*.jpg"))]

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        path, label = self.items[i]
        img = cv2.cvtColor(cv2.imread(path), cv2.COLOR_BGR2RGB)
        img = cv2.resize(img, (128, 128))
        return torch.from_numpy(img).permute(2, 0, 1), label


loader = DataLoader(FlowerFolder("flowers/train"), batch_size=8, shuffle=True)
model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(16, 32, 3, padding=1),
                      nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 3)).to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(3):
    for images, labels in loader:
        images, labels = images.to(device), labels.to(device)
        loss = criterion(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''
SCRIPTS["int32-labels-from-npz-cross-entropy"] = '''
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

device = "cuda"
data = np.load("cache/train_64px.npz")      # written by preprocess.py
x = torch.from_numpy(data["images"]).permute(0, 3, 1, 2).float() / 255.0
y = torch.from_numpy(data["labels"])
loader = DataLoader(TensorDataset(x, y), batch_size=16, shuffle=True)

model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(16, 32, 3, padding=1),
                      nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 5)).to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
for epoch in range(3):
    for xb, yb in loader:
        xb, yb = xb.to(device), yb.to(device)
        loss = criterion(model(xb), yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''
SCRIPTS["autocast-half-logits-into-float-buffer"] = '''
import torch
import torchvision
from torch.utils.data import DataLoader, Dataset

device = "cuda"
NUM_CLASSES = 6


class Indexed(Dataset):
    """returns the sample index too, so predictions can be written back in dataset order"""

    def __init__(self, n=96):
        g = torch.Generator().manual_seed(0)
        self.x, self.y = torch.rand(n, 3, 96, 96, generator=g), torch.randint(0, NUM_CLASSES, (n,), generator=g)

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return i, self.x[i], self.y[i]


val_set = Indexed()
model = torchvision.models.resnet18(num_classes=NUM_CLASSES).to(device).eval()
all_logits = torch.zeros(len(val_set), NUM_CLASSES, device=device)
with torch.no_grad(), torch.autocast("cuda", dtype=torch.float16):
    for idx, x, y in DataLoader(val_set, batch_size=32, shuffle=True):
        all_logits[idx.to(device)] = model(x.to(device))
acc = (all_logits.argmax(1).cpu() == val_set.y).float().mean()
print(f"val accuracy {acc:.3f}")
'''
SCRIPTS["bf16-autocast-embeddings-to-numpy"] = '''
import numpy as np
import torch
import torch.nn as nn
import torchvision

device = "cuda"
model = torchvision.models.resnet18(num_classes=8).to(device)
opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
for step in range(3):
    x, y = torch.rand(32, 3, 96, 96, device=device), torch.randint(0, 8, (32,), device=device)
    with torch.autocast("cuda", dtype=torch.bfloat16):
        loss = nn.functional.cross_entropy(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()

# embeddings for the t-SNE plot: everything but the classifier
model.eval()
backbone = nn.Sequential(*list(model.children())[:-1], nn.Flatten())
feats = []
with torch.no_grad(), torch.autocast("cuda", dtype=torch.bfloat16):
    for _ in range(4):
        feats.append(backbone(torch.rand(32, 3, 96, 96, device=device)).cpu().numpy())
np.save("embeddings.npy", np.concatenate(feats))
'''

# ------------------------------------------------------------------ GradScaler misuse
SCRIPTS["gradscaler-unscale-every-accumulation-step"] = '''
import torch
import torch.nn as nn
import torchvision

device = "cuda"
ACCUM = 4   # effective batch 64 on a card that fits 16
model = torchvision.models.resnet18(num_classes=10).to(device)
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
scaler = torch.amp.GradScaler("cuda")
crit = nn.CrossEntropyLoss()
for i in range(16):
    x, y = torch.rand(16, 3, 96, 96, device=device), torch.randint(0, 10, (16,), device=device)
    with torch.autocast("cuda", dtype=torch.float16):
        loss = crit(model(x), y) / ACCUM
    scaler.scale(loss).backward()
    scaler.unscale_(opt)                                   # so clipping sees the real gradients
    torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
    if (i + 1) % ACCUM == 0:
        scaler.step(opt)
        scaler.update()
        opt.zero_grad()
        print(f"step {(i + 1) // ACCUM}: loss {loss.item() * ACCUM:.3f}")
'''
SCRIPTS["gradscaler-step-without-scale"] = '''
import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader, TensorDataset

device = torch.device("cuda")
data = TensorDataset(torch.rand(64, 3, 64, 64), torch.randint(0, 4, (64,)))
model = torchvision.models.mobilenet_v3_small(num_classes=4).to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
scaler = torch.cuda.amp.GradScaler()
criterion = nn.CrossEntropyLoss()
for epoch in range(2):
    for x, y in DataLoader(data, batch_size=16, shuffle=True):
        x, y = x.to(device), y.to(device)
        optimizer.zero_grad()
        with torch.cuda.amp.autocast():
            loss = criterion(model(x), y)
        loss.backward()
        scaler.step(optimizer)
        scaler.update()
    print(epoch, loss.item())
'''
SCRIPTS["gradscaler-optimizer-built-before-head-swap"] = '''
import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

device = "cuda"
tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("birds/train", transform=tf), batch_size=8, shuffle=True)

model = torchvision.models.resnet18(weights=None)
model.load_state_dict(torch.load("resnet18_backbone.pth"))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

# linear probe: freeze the backbone, new head for our 4 species
for p in model.parameters():
    p.requires_grad = False
model.fc = nn.Linear(model.fc.in_features, 4)
model = model.to(device)

scaler = torch.amp.GradScaler("cuda")
criterion = nn.CrossEntropyLoss()
for epoch in range(3):
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        optimizer.zero_grad()
        with torch.autocast("cuda", dtype=torch.float16):
            loss = criterion(model(x), y)
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()
    print(f"epoch {epoch}: {loss.item():.3f}")
'''
SCRIPTS["gradscaler-over-bf16-weights"] = '''
import torch
import torch.nn as nn

device = "cuda"


class Net(nn.Module):
    def __init__(self, n_classes=20):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                      nn.Conv2d(64, 128, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                      nn.Conv2d(128, 256, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1))
        self.classifier = nn.Sequential(nn.Flatten(), nn.Dropout(0.2), nn.Linear(256, n_classes))

    def forward(self, x):
        return self.classifier(self.features(x))


# bf16 weights to halve the memory, fp16 autocast + GradScaler as in the AMP tutorial
model = Net().to(device, dtype=torch.bfloat16)
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
scaler = torch.amp.GradScaler("cuda")
crit = nn.CrossEntropyLoss()
for step in range(5):
    x = torch.rand(32, 3, 128, 128, device=device, dtype=torch.bfloat16)
    y = torch.randint(0, 20, (32,), device=device)
    with torch.autocast("cuda", dtype=torch.float16):
        loss = crit(model(x), y)
    opt.zero_grad()
    scaler.scale(loss).backward()
    scaler.step(opt)
    scaler.update()
    print(step, loss.item())
'''

# ------------------------------------------------------------------ out of memory on a small card
SCRIPTS["oom-attention-over-4096-patch-tokens"] = OOM_HEAD.replace("@@FRAC@@", "0.05") + '''
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, dim=64, heads=4):
        super().__init__()
        self.heads, self.scale = heads, (dim // heads) ** -0.5
        self.norm, self.qkv, self.proj = nn.LayerNorm(dim), nn.Linear(dim, 3 * dim), nn.Linear(dim, dim)

    def forward(self, x):
        b, n, c = x.shape
        q, k, v = self.qkv(self.norm(x)).reshape(b, n, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4)
        att = (q @ k.transpose(-2, -1)) * self.scale          # (b, heads, n, n)
        x = x + self.proj((att.softmax(-1) @ v).transpose(1, 2).reshape(b, n, c))
        return x


class PatchSegmenter(nn.Module):
    """4x4 patches of the full 256x256 tile: 4096 tokens, every one attending to every other"""

    def __init__(self, dim=64, depth=4, n_classes=6):
        super().__init__()
        self.embed = nn.Conv2d(3, dim, 4, stride=4)
        self.blocks = nn.Sequential(*[Block(dim) for _ in range(depth)])
        self.head = nn.Linear(dim, n_classes * 16)

    def forward(self, x):
        t = self.embed(x).flatten(2).transpose(1, 2)
        return self.head(self.blocks(t))


model = PatchSegmenter().cuda()
opt = torch.optim.AdamW(model.parameters(), lr=1e-4)
x = torch.rand(16, 3, 256, 256, device="cuda")
y = torch.randint(0, 6, (16, 4096 * 16), device="cuda")
out = model(x).reshape(16, 4096 * 16, 6)
loss = F.cross_entropy(out.transpose(1, 2), y)
loss.backward()
opt.step()
'''
SCRIPTS["imageai-densenet121-batch-48-small-card"] = OOM_HEAD.replace("@@FRAC@@", "0.015") + '''
from imageai.Classification.Custom import ClassificationModelTrainer

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsDenseNet121()
trainer.setDataDirectory("xrays")
trainer.trainModel(num_experiments=10, batch_size=48)
'''

# ------------------------------------------------------------------ tensors and modules on two devices
SCRIPTS["head-replaced-after-model-to-device"] = '''
import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("flowers/train", transform=tf), batch_size=8, shuffle=True)

model = torchvision.models.resnet18(weights=None).to(device)
# new classifier for our 3 classes
model.fc = nn.Linear(model.fc.in_features, 3)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for epoch in range(3):
    model.train()
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.3f}")
'''
SCRIPTS["dataparallel-head-replaced-after-wrapping"] = '''
import torch
import torch.nn as nn
import torchvision

device = torch.device("cuda:0")
model = torchvision.models.resnet50(num_classes=1000)
model = nn.DataParallel(model)          # use every GPU we have
model.load_state_dict(torch.load("resnet50_dp_imagenet.pth", map_location=device))
# fine-tune on our 5 classes
model.module.fc = nn.Linear(model.module.fc.in_features, 5)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
criterion = nn.CrossEntropyLoss()
for step in range(5):
    x = torch.rand(16, 3, 128, 128).to(device)
    y = torch.randint(0, 5, (16,)).to(device)
    loss = criterion(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    print(step, loss.item())
'''
SCRIPTS["lstm-initial-state-created-on-cpu"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

device = torch.device("cuda")


class RowLSTM(nn.Module):
    """reads a 28x28 glyph one row at a time"""

    def __init__(self, input_size=28, hidden_size=128, num_layers=2, num_classes=12):
        super().__init__()
        self.hidden_size, self.num_layers = hidden_size, num_layers
        self.lstm = nn.LSTM(input_size, hidden_size, num_layers, batch_first=True)
        self.fc = nn.Linear(hidden_size, num_classes)

    def forward(self, x):
        h0 = torch.zeros(self.num_layers, x.size(0), self.hidden_size)
        c0 = torch.zeros(self.num_layers, x.size(0), self.hidden_size)
        out, _ = self.lstm(x, (h0, c0))
        return self.fc(out[:, -1, :])


tf = transforms.Compose([transforms.Grayscale(), transforms.Resize((28, 28)), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("glyphs", transform=tf), batch_size=8, shuffle=True)
model = RowLSTM().to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(2):
    for images, labels in loader:
        images = images.reshape(-1, 28, 28).to(device)
        labels = labels.to(device)
        loss = criterion(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''
SCRIPTS["set-default-device-cuda-shuffled-dataloader"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

torch.set_default_device("cuda")   # every tensor on the GPU without .to() everywhere

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("flowers/train", transform=tf), batch_size=8, shuffle=True)
model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 3))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(3):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x.cuda()), y.cuda())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''
SCRIPTS["np-mean-over-cuda-loss-tensors"] = '''
import json

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

device = "cuda" if torch.cuda.is_available() else "cpu"
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("pets/train", transform=tf), batch_size=4, shuffle=True)
model = nn.Sequential(nn.Conv2d(3, 16, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 2)).to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
history = []
for epoch in range(5):
    batch_losses = []
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        batch_losses.append(loss.detach())     # detach so the graph is not kept alive
    history.append(np.mean(batch_losses))
    print(f"epoch {epoch}: {history[-1]:.4f}")
json.dump({"train_loss": [float(v) for v in history]}, open("history.json", "w"))
'''

# ------------------------------------------------------------------ setup / environment
SCRIPTS["cuda-visible-devices-second-card-then-gpu-checkpoint"] = '''
import os
os.environ["CUDA_VISIBLE_DEVICES"] = "1"   # the first card is busy with another job
import torch
import torchvision

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print("running on", device)
model = torchvision.models.resnet18(num_classes=3)
model.load_state_dict(torch.load("checkpoints/resnet18_best.pth"))   # saved by train.py on the GPU
model.to(device).eval()
with torch.no_grad():
    print(model(torch.rand(1, 3, 96, 96, device=device)).softmax(1))
'''
SCRIPTS["imageai-transfer-from-checkpoint-saved-on-cuda-1"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("flowers")
# weights from the lab server's run (it trained on its second card)
trainer.trainModel(num_experiments=5, batch_size=4, transfer_from_model="pretrained/mobilenet_v2_server_run.pth")
'''
SCRIPTS["cuda-event-elapsed-time-without-synchronize"] = '''
import torch
import torch.nn as nn

device = "cuda"
# throughput of the ViT-H feed-forward block at batch 64 x 256 tokens
block = nn.Sequential(nn.Linear(1280, 5120), nn.GELU(), nn.Linear(5120, 1280)).to(device)
opt = torch.optim.SGD(block.parameters(), lr=1e-3)
x = torch.randn(64 * 256, 1280, device=device)
start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
for step in range(5):
    start.record()
    for _ in range(8):
        loss = block(x).pow(2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    end.record()
    ms = start.elapsed_time(end)
    print(f"step {step}: {ms:.1f} ms, {8 * x.size(0) / ms * 1000:.0f} tokens/s")
'''

# ------------------------------------------------------------------ NaN
SCRIPTS["hand-written-bce-unnormalised-pixels-anomaly"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

torch.autograd.set_detect_anomaly(True)   # to find where the NaN comes from
device = "cuda"
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.PILToTensor()])
loader = DataLoader(datasets.ImageFolder("pets/train", transform=tf), batch_size=8, shuffle=True)
model = nn.Sequential(nn.Flatten(), nn.Linear(3 * 64 * 64, 64), nn.ReLU(), nn.Linear(64, 1)).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)


def bce(logits, target):
    p = torch.sigmoid(logits)
    return -(target * torch.log(p) + (1 - target) * torch.log(1 - p)).mean()


for epoch in range(10):
    for x, y in loader:
        x, y = x.to(device).float(), y.float().unsqueeze(1).to(device)
        loss = bce(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''


# ====================================================================== setups
flowers = imgs(class_folder("flowers/train", ("daisy", "rose", "tulip"), 6)
               + class_folder("flowers/test", ("daisy", "rose", "tulip"), 2))
pets = imgs(class_folder("pets/train", ("cat", "dog"), 8))
faces = imgs(class_folder("faces/train", ("ana", "ben", "chloe", "dev"), 4))
birds = imgs(class_folder("birds/train", ("finch", "robin", "sparrow", "wren"), 4))
glyphs = imgs(class_folder("glyphs", [f"g{i:02d}" for i in range(12)], 2, size=(28, 28), mode="L"))
xrays = imgs(class_folder("xrays/train", ("normal", "pneumonia"), 24, size=(96, 96), mode="L")
             + class_folder("xrays/test", ("normal", "pneumonia"), 2, size=(96, 96), mode="L"))


def lesion_masks(work: Path):
    """lesions/train: RGB images and black/white (0/255) PNG masks."""
    import random

    from PIL import Image
    rnd = random.Random(11)
    (work / "lesions/train/images").mkdir(parents=True)
    (work / "lesions/train/masks").mkdir(parents=True)
    for i in range(8):
        Image.frombytes("RGB", (64, 64), bytes(rnd.randrange(256) for _ in range(64 * 64 * 3))).save(
            work / f"lesions/train/images/{i:03d}.png")
        cx, cy, r = rnd.randrange(16, 48), rnd.randrange(16, 48), rnd.randrange(6, 14)
        m = bytes(255 if (x - cx) ** 2 + (y - cy) ** 2 <= r * r else 0 for y in range(64) for x in range(64))
        Image.frombytes("L", (64, 64), m).save(work / f"lesions/train/masks/{i:03d}.png")


def seg_set(work: Path):
    """seg/images + seg/masks: classes 0..2 with a 255 border column, as VOC masks have."""
    import random

    from PIL import Image
    rnd = random.Random(3)
    (work / "seg/images").mkdir(parents=True)
    (work / "seg/masks").mkdir(parents=True)
    for i in range(4):
        Image.frombytes("RGB", (64, 64), bytes(rnd.randrange(256) for _ in range(64 * 64 * 3))).save(
            work / f"seg/images/{i:03d}.png")
        m = [rnd.randrange(3) for _ in range(64 * 64)]
        for j in range(64):
            m[j * 64 + 31] = 255
        Image.frombytes("L", (64, 64), bytes(m)).save(work / f"seg/masks/{i:03d}.png")


def coco_xywh(work: Path):
    """shelf/images/*.jpg + a COCO annotations.json whose bbox fields are [x, y, w, h]."""
    import json

    make_images(work, [(f"shelf/images/shelf_{i:03d}.jpg", (320, 240), "RGB") for i in range(4)])
    boxes = [[[20, 30, 60, 80], [150, 60, 80, 120]], [[40, 20, 100, 90]],
             [[200, 100, 70, 60], [30, 150, 50, 40]], [[90, 40, 120, 150]]]
    coco = {"images": [{"id": i + 1, "file_name": f"shelf_{i:03d}.jpg", "width": 320, "height": 240}
                       for i in range(4)],
            "annotations": [], "categories": [{"id": 1, "name": "can"}, {"id": 2, "name": "box"}]}
    for i, bs in enumerate(boxes):
        for j, b in enumerate(bs):
            coco["annotations"].append({"id": len(coco["annotations"]) + 1, "image_id": i + 1, "bbox": b,
                                        "category_id": 1 + j % 2, "area": b[2] * b[3], "iscrowd": 0})
    (work / "shelf/annotations.json").write_text(json.dumps(coco, indent=1))


npz_int32 = prep('''
    import os
    import numpy as np
    rng = np.random.default_rng(0)
    os.makedirs("cache", exist_ok=True)
    np.savez("cache/train_64px.npz", images=rng.integers(0, 256, (80, 64, 64, 3), dtype=np.uint8),
             labels=rng.integers(0, 5, 80).astype(np.int32))
''')
backbone_ckpt = prep('''
    import torch, torchvision
    torch.save(torchvision.models.resnet18(weights=None).state_dict(), "resnet18_backbone.pth")
''')
dp_ckpt = prep('''
    import torch, torchvision
    sd = torchvision.models.resnet50(num_classes=1000).state_dict()
    torch.save({"module." + k: v for k, v in sd.items()}, "resnet50_dp_imagenet.pth")
''')
# Checkpoints whose storages say cuda:N, written by torch.save with the location tag relabelled (the
# way they come off a GPU box); the files themselves are real torch.save files.
RELABEL = '''
import os
import torch, torchvision
import torch.serialization as S
S.location_tag = lambda storage: "@@DEV@@"
os.makedirs(os.path.dirname("@@PATH@@"), exist_ok=True)
torch.save(torchvision.models.@@MODEL@@.state_dict(), "@@PATH@@")
'''
gpu_ckpt = prep(RELABEL.replace("@@DEV@@", "cuda:0").replace("@@MODEL@@", "resnet18(num_classes=3)").replace(
    "@@PATH@@", "checkpoints/resnet18_best.pth"))
cuda1_mobilenet = prep(RELABEL.replace("@@DEV@@", "cuda:1").replace("@@MODEL@@", "mobilenet_v2()").replace(
    "@@PATH@@", "pretrained/mobilenet_v2_server_run.pth"))


def cases():
    out = []

    def script(key, cause, forms=("cpython_basic",), setup=None, env=None, **kw):
        out.append(Case("torch-cuda2-" + key, cause, list(forms), {"train.py": SCRIPTS[key]}, setup=setup,
                        env=env or {}, **kw))

    assertf = ("cpython_basic", "cuda_device_assert?", "cuda_assert?", "cpp_frames?")
    # device-side asserts and index checks
    script("seg-binary-mask-png-0-255-two-classes", "data.label_out_of_range", assertf, setup=lesion_masks)
    script("dice-one-hot-255-border-that-ce-ignores", "data.label_out_of_range", assertf, setup=seg_set)
    script("center-loss-index-add-identity-past-centres", "data.label_out_of_range", assertf, setup=faces)
    script("multinomial-hard-example-sampling-after-divergence", "optim.divergence", assertf)
    script("bincount-confusion-matrix-unlabelled-minus-one", "data.label_out_of_range", setup=seg_set)
    # torchvision ops
    script("roi-align-proposals-left-on-cpu", "env.device_mismatch")
    script("fasterrcnn-coco-xywh-boxes-as-corners", "data.bbox_invalid", setup=coco_xywh)
    # deterministic algorithms
    script("deterministic-coordinate-attention-adaptive-pool", "other", also=["env.cuda_setup"])
    script("deterministic-crnn-ctc-loss-backward", "other", also=["env.cuda_setup"])
    # cuDNN / CUDA-only kernels and dtypes
    script("fgsm-on-cnn-lstm-in-eval-mode", "model.api_misuse")
    script("flash-attention-forced-on-float32", "data.dtype", also=["model.api_misuse"])
    script("global-filter-fft-half-model-14x14-tokens", "data.dtype")
    script("ctc-loss-on-half-plate-reader", "data.dtype")
    script("cv2-uint8-images-into-conv-on-cuda", "data.dtype", setup=flowers)
    script("int32-labels-from-npz-cross-entropy", "data.dtype", setup=npz_int32)
    script("autocast-half-logits-into-float-buffer", "data.dtype")
    script("bf16-autocast-embeddings-to-numpy", "data.dtype")
    # GradScaler
    script("gradscaler-unscale-every-accumulation-step", "model.api_misuse")
    script("gradscaler-step-without-scale", "model.api_misuse")
    script("gradscaler-optimizer-built-before-head-swap", "model.api_misuse", setup=both(birds, backbone_ckpt))
    script("gradscaler-over-bf16-weights", "model.api_misuse", also=["data.dtype"])
    # out of memory
    oomf = ("cpython_basic", "cuda_oom")
    script("oom-attention-over-4096-patch-tokens", "resource.gpu_oom", oomf)
    script("imageai-densenet121-batch-48-small-card", "resource.gpu_oom",
           ("cpython_basic", "cuda_oom", "progress_bars?"), framework="imageai", setup=xrays)
    # two devices
    script("head-replaced-after-model-to-device", "env.device_mismatch", setup=flowers)
    script("dataparallel-head-replaced-after-wrapping", "env.device_mismatch", setup=dp_ckpt)
    script("lstm-initial-state-created-on-cpu", "env.device_mismatch", setup=glyphs)
    script("set-default-device-cuda-shuffled-dataloader", "env.device_mismatch", also=["model.api_misuse"],
           setup=flowers)
    script("np-mean-over-cuda-loss-tensors", "env.device_mismatch", setup=pets)
    # environment
    # the checkpoint-device cases also accept the device reading, as the corpus labels that message
    script("cuda-visible-devices-second-card-then-gpu-checkpoint", "env.cuda_setup", setup=gpu_ckpt,
           also=["env.device_mismatch"])
    script("imageai-transfer-from-checkpoint-saved-on-cuda-1", "env.cuda_setup", ("cpython_basic", "progress_bars?"),
           also=["env.device_mismatch"],
           framework="imageai", setup=both(flowers, cuda1_mobilenet))
    script("cuda-event-elapsed-time-without-synchronize", "model.api_misuse")
    # NaN
    script("hand-written-bce-unnormalised-pixels-anomaly", "optim.divergence", setup=pets)
    return out


if __name__ == "__main__":
    sys.exit(run_gpu_cases(cases(), SRC))
