"""A twenty-seventh held-out set of PyTorch / torchvision / ImageAI 3 failures: environment
causes that a CPU-only machine (a CUDA build of torch with no driver) really reproduces, in
image-training code.

CUDA set-up: an apex-style prefetcher that opens a CUDA stream, per-epoch peak-memory
resets and a ``memory_summary`` printout, GPU utilisation in a tqdm postfix, a per-GPU batch
divided by ``device_count()``, the ``torch.accelerator`` API taken without its availability
check, GPU ids parsed from ``CUDA_VISIBLE_DEVICES``, the freest GPU picked with
``nvidia-smi``, and ``torch.cuda.set_device(LOCAL_RANK)`` under torchrun.

Versions: a negative brightness delta added to ``uint8`` images (NumPy 2 casting), a
histogram equalisation with ``normed=``, ``np.asfarray`` in a soft-mask helper,
``ndarray.tostring`` in a duplicate finder, ``_DataLoaderIter`` subclassed by an old
prefetcher, ``Image.CUBIC`` in a mosaic augmentation, the v2 beta ``to_image_tensor`` and
ImageAI 2 transfer-learning keywords on ImageAI 3.

Multiprocessing: one ``ZipFile`` handle shared by forked workers, a CLAHE object and a
logging file handler kept by datasets under spawn; ``Pool.map`` given a lambda, a
``multiprocessing.Queue`` passed to pool tasks, ``torch.multiprocessing.spawn`` from a
notebook, a spawn-start-method thumbnail cache without a main guard.

Distributed (gloo on CPU): a 1-based GPU index used as the sampler rank, validation
metrics all-reduced on rank 0 only, hand-sharded file lists of uneven length, the
``torch.distributed.launch`` ``--local-rank`` argument, two torchrun jobs on one port,
reentrant checkpointing under DDP with ``find_unused_parameters``, a ``tcp://`` init
without a rank.

Host memory, under a limit set with ``resource.setrlimit`` in the script: dataset mean /
std over a float64 stack of every image, validation outputs kept with their graphs, an 8x
``cv2.resize`` upscale, a per-worker decoded-image cache, ImageAI YOLOv3 training at
batch 16.

Every case is a small real program run on CPU with the torch venv (no GPU, no
downloads); the label is known by construction.

    /work/venvs/torch/bin/python corpus/generators/torch_more27.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _record import Case, class_folder, imgs, make_images, nb, prep, both, write, case_builders  # noqa: E402,F401
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more27.py"

SCRIPTS = {}
CELLS = {}

# a small classifier on an ImageFolder, shared by several scripts
HEAD = '''
import torch
import torchvision
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
train_set = datasets.ImageFolder("flowers/train", transform=tf)
'''

# ====================================================================== env.cuda_setup
SCRIPTS["apex-style-data-prefetcher-cuda-stream"] = HEAD + '''

class DataPrefetcher:
    """overlaps the host-to-device copy of the next batch with compute (apex ImageNet example)"""

    def __init__(self, loader):
        self.loader = iter(loader)
        self.stream = torch.cuda.Stream()
        self.preload()

    def preload(self):
        try:
            self.next_input, self.next_target = next(self.loader)
        except StopIteration:
            self.next_input = None
            self.next_target = None
            return
        with torch.cuda.stream(self.stream):
            self.next_input = self.next_input.to(device, non_blocking=True)
            self.next_target = self.next_target.to(device, non_blocking=True)

    def next(self):
        torch.cuda.current_stream().wait_stream(self.stream)
        inp, target = self.next_input, self.next_target
        self.preload()
        return inp, target


device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print("training on", device)
loader = DataLoader(train_set, batch_size=8, shuffle=True, pin_memory=True)
model = torchvision.models.resnet18(num_classes=len(train_set.classes)).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
criterion = nn.CrossEntropyLoss()

for epoch in range(3):
    model.train()
    prefetcher = DataPrefetcher(loader)
    images, labels = prefetcher.next()
    step = 0
    while images is not None:
        loss = criterion(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        images, labels = prefetcher.next()
        step += 1
    print(f"epoch {epoch}: {step} steps, loss {loss.item():.3f}")
'''

SCRIPTS["per-epoch-peak-memory-reset-stats"] = HEAD + '''
device = "cuda" if torch.cuda.is_available() else "cpu"
loader = DataLoader(train_set, batch_size=6, shuffle=True)
model = torchvision.models.mobilenet_v3_small(num_classes=len(train_set.classes)).to(device)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)

history = []
for epoch in range(5):
    torch.cuda.reset_peak_memory_stats()
    model.train()
    total = 0.0
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item()
    peak = torch.cuda.max_memory_allocated() / 2**20
    history.append({"epoch": epoch, "loss": total / len(loader), "peak_mib": peak})
    print(history[-1])
'''

CELLS["memory-summary-after-first-epoch-notebook"] = [
    HEAD.strip(),
    '''device = "cuda" if torch.cuda.is_available() else "cpu"
loader = DataLoader(train_set, batch_size=8, shuffle=True)
model = torchvision.models.resnet18(num_classes=len(train_set.classes)).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
print(device, len(train_set))''',
    '''model.train()
for x, y in loader:
    x, y = x.to(device), y.to(device)
    loss = nn.functional.cross_entropy(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
print("loss", round(loss.item(), 3))''',
    '''# how much memory did that take? before trying batch_size=32
print(torch.cuda.memory_summary(device=None, abbreviated=True))''',
]

SCRIPTS["gpu-utilization-in-tqdm-postfix"] = HEAD + '''
from tqdm import tqdm

device = "cuda" if torch.cuda.is_available() else "cpu"
loader = DataLoader(train_set, batch_size=4, shuffle=True)
model = torchvision.models.squeezenet1_1(num_classes=len(train_set.classes)).to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=3e-4)

for epoch in range(3):
    bar = tqdm(loader, desc=f"epoch {epoch + 1}/3", ncols=100)
    for x, y in bar:
        x, y = x.to(device), y.to(device)
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        bar.set_postfix(loss=f"{loss.item():.3f}", gpu=f"{torch.cuda.utilization()}%")
'''

SCRIPTS["per-gpu-batch-from-device-count"] = HEAD + '''
import argparse

parser = argparse.ArgumentParser()
parser.add_argument("--batch-size", type=int, default=16, help="total batch size over all GPUs")
parser.add_argument("--lr", type=float, default=0.1)
args = parser.parse_args()

n_gpus = torch.cuda.device_count()
batch_per_gpu = max(1, args.batch_size // max(n_gpus, 1))
# keep the effective batch size when fewer GPUs are free: accumulate gradients
accum_steps = args.batch_size // (batch_per_gpu * n_gpus)
lr = args.lr * args.batch_size / 256
print(f"{n_gpus} GPUs, {batch_per_gpu} per GPU, {accum_steps} accumulation steps, lr {lr}")

model = nn.DataParallel(torchvision.models.resnet18(num_classes=len(train_set.classes)))
loader = DataLoader(train_set, batch_size=batch_per_gpu * max(n_gpus, 1), shuffle=True)
'''

SCRIPTS["accelerator-api-without-availability-check"] = HEAD + '''
# torch >= 2.6: one line for CUDA, MPS and XPU
device = torch.accelerator.current_accelerator()
print(f"using {device}")

loader = DataLoader(train_set, batch_size=8, shuffle=True)
model = torchvision.models.efficientnet_b0(num_classes=len(train_set.classes)).to(device)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
for epoch in range(3):
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

SCRIPTS["gpu-ids-parsed-from-cuda-visible-devices"] = '''
import os

import torch
import torchvision
from torch import nn

# launched as: CUDA_VISIBLE_DEVICES=0,1 python train.py
gpu_ids = [int(g) for g in os.environ["CUDA_VISIBLE_DEVICES"].split(",")]
device = torch.device("cuda", 0) if gpu_ids else torch.device("cpu")

model = torchvision.models.resnet34(num_classes=5)
if len(gpu_ids) > 1:
    model = nn.DataParallel(model, device_ids=list(range(len(gpu_ids))))
model = model.to(device)
print(model.__class__.__name__, "on", gpu_ids)
'''

SCRIPTS["pick-freest-gpu-with-nvidia-smi"] = HEAD + '''
import os
import subprocess


def freest_gpu():
    out = subprocess.check_output(["nvidia-smi", "--query-gpu=memory.free", "--format=csv,nounits,noheader"])
    free = [int(x) for x in out.decode().strip().splitlines()]
    return max(range(len(free)), key=lambda i: free[i])


os.environ["CUDA_VISIBLE_DEVICES"] = str(freest_gpu())
device = "cuda" if torch.cuda.is_available() else "cpu"
model = torchvision.models.resnet18(num_classes=len(train_set.classes)).to(device)
loader = DataLoader(train_set, batch_size=8, shuffle=True)
print("training on", device)
'''

SCRIPTS["torchrun-set-device-local-rank-cpu-box"] = '''
import os

import torch
import torch.distributed as dist
import torchvision
from torch import nn
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler
from torchvision import datasets, transforms


def main():
    local_rank = int(os.environ["LOCAL_RANK"])
    torch.cuda.set_device(local_rank)
    dist.init_process_group(backend="gloo")
    tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
    train_set = datasets.ImageFolder("flowers/train", transform=tf)
    sampler = DistributedSampler(train_set)
    loader = DataLoader(train_set, batch_size=4, sampler=sampler)
    model = torchvision.models.resnet18(num_classes=len(train_set.classes)).cuda()
    model = DDP(model, device_ids=[local_rank])
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    for epoch in range(3):
        sampler.set_epoch(epoch)
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x.cuda()), y.cuda())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
'''

# ====================================================================== env.version_incompat
SCRIPTS["brightness-jitter-negative-delta-uint8-numpy2"] = '''
import glob
import random

import numpy as np
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset


def random_brightness(img, max_delta=32):
    """img: HxWx3 uint8. Shift all pixels by one random amount and clip (old augment utils)."""
    delta = random.randint(-max_delta, max_delta)
    return np.clip(img + delta, 0, 255).astype(np.uint8)


class Leaves(Dataset):
    def __init__(self, root, classes):
        self.items = [(p, i) for i, c in enumerate(classes) for p in sorted(glob.glob(f"{root}/{c}/*.jpg"))]

    def __len__(self):
        return len(self.items)

    def __getitem__(self, idx):
        path, label = self.items[idx]
        img = np.asarray(Image.open(path).convert("RGB").resize((64, 64)))
        img = random_brightness(img)
        return torch.from_numpy(img).permute(2, 0, 1).float() / 255, label


random.seed(3)
loader = DataLoader(Leaves("leaves/train", ["healthy", "rust", "scab"]), batch_size=4, shuffle=True)
model = torch.nn.Sequential(torch.nn.Conv2d(3, 8, 3), torch.nn.ReLU(), torch.nn.AdaptiveAvgPool2d(1),
                            torch.nn.Flatten(), torch.nn.Linear(8, 3))
opt = torch.optim.SGD(model.parameters(), lr=0.05)
for epoch in range(3):
    for x, y in loader:
        loss = torch.nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, round(loss.item(), 4))
'''

SCRIPTS["xray-histogram-equalize-normed-kwarg"] = '''
import glob

import numpy as np
import torch
from PIL import Image
from torch.utils.data import Dataset, DataLoader


def equalize(gray):
    """histogram equalisation of a uint8 image (from an old chest X-ray repo)"""
    hist, bins = np.histogram(gray.flatten(), 256, [0, 256], normed=True)
    cdf = hist.cumsum()
    cdf = 255 * cdf / cdf[-1]
    return np.interp(gray.flatten(), bins[:-1], cdf).reshape(gray.shape).astype(np.uint8)


class ChestXray(Dataset):
    def __init__(self, root):
        self.files = sorted(glob.glob(f"{root}/*/*.png"))
        self.classes = sorted({f.split("/")[-2] for f in self.files})

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        gray = np.asarray(Image.open(self.files[i]).convert("L").resize((128, 128)))
        x = torch.from_numpy(equalize(gray)).float().div(255).unsqueeze(0)
        return x, self.classes.index(self.files[i].split("/")[-2])


loader = DataLoader(ChestXray("chest_xray/train"), batch_size=4, shuffle=True)
for x, y in loader:
    print(x.shape, y.tolist())
'''

SCRIPTS["soft-mask-helper-np-asfarray-numpy2"] = '''
import glob

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import Dataset, DataLoader


def soft_mask(mask_img, sigma=2.0):
    """0/255 PNG mask -> float mask in [0, 1] with blurred edges"""
    m = np.asfarray(mask_img) / 255.0
    t = torch.from_numpy(m)[None, None]
    k = torch.ones(1, 1, 5, 5, dtype=t.dtype) / 25
    return F.conv2d(t, k, padding=2)[0, 0]


class Polyps(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/images/*.jpg"))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = np.asarray(Image.open(self.images[i]).convert("RGB").resize((96, 96)), dtype=np.float32) / 255
        mask = Image.open(self.images[i].replace("images", "masks").replace(".jpg", ".png")).resize((96, 96))
        return torch.from_numpy(img).permute(2, 0, 1), soft_mask(mask).float()


loader = DataLoader(Polyps("kvasir/train"), batch_size=2, shuffle=True)
for x, m in loader:
    print(x.shape, m.shape, float(m.mean()))
'''

SCRIPTS["duplicate-finder-ndarray-tostring-hash"] = '''
import glob
import hashlib
from collections import defaultdict

import numpy as np
from PIL import Image

# remove exact duplicates (same pixels, different file names) before the train/val split
groups = defaultdict(list)
for path in sorted(glob.glob("dataset/raw/**/*.jpg", recursive=True)):
    pixels = np.asarray(Image.open(path).convert("RGB").resize((32, 32)))
    groups[hashlib.md5(pixels.tostring()).hexdigest()].append(path)

dups = {k: v for k, v in groups.items() if len(v) > 1}
print(f"{len(groups)} unique images, {len(dups)} duplicate groups")
'''

SCRIPTS["old-prefetcher-subclasses-dataloaderiter"] = HEAD + '''
from torch.utils.data.dataloader import _DataLoaderIter


class CudaPrefetchIter(_DataLoaderIter):
    """moves each batch to the device as soon as it is collated"""

    def __next__(self):
        x, y = super().__next__()
        return x.to(device, non_blocking=True), y.to(device, non_blocking=True)


class PrefetchLoader(DataLoader):
    def __iter__(self):
        return CudaPrefetchIter(self)


device = "cuda" if torch.cuda.is_available() else "cpu"
loader = PrefetchLoader(train_set, batch_size=8, shuffle=True, num_workers=2)
model = torchvision.models.resnet18(num_classes=len(train_set.classes)).to(device)
for x, y in loader:
    print(model(x).shape)
'''

SCRIPTS["mosaic-augment-image-cubic-pillow"] = '''
import glob
import random

import torch
from PIL import Image
from torchvision.transforms import functional as TF

SIZE = 128


def mosaic(paths):
    """four images, one per quadrant (YOLO-style mosaic for a classifier pre-training run)"""
    canvas = Image.new("RGB", (SIZE, SIZE))
    for k, p in enumerate(paths):
        tile = Image.open(p).convert("RGB").resize((SIZE // 2, SIZE // 2), Image.CUBIC)
        canvas.paste(tile, ((k % 2) * SIZE // 2, (k // 2) * SIZE // 2))
    return canvas


files = sorted(glob.glob("parts/train/*/*.jpg"))
random.seed(0)
batch = torch.stack([TF.to_tensor(mosaic(random.sample(files, 4))) for _ in range(8)])
print(batch.shape)
'''

SCRIPTS["v2-beta-to-image-tensor-detection-transform"] = '''
import json

import torch
from PIL import Image
from torch.utils.data import Dataset
from torchvision import tv_tensors
from torchvision.transforms import v2
from torchvision.transforms.v2 import functional as F


class Boxes(Dataset):
    def __init__(self, ann_file, transforms):
        self.anns = json.load(open(ann_file))
        self.transforms = transforms

    def __len__(self):
        return len(self.anns)

    def __getitem__(self, i):
        a = self.anns[i]
        img = Image.open(a["file"]).convert("RGB")
        # written against the torchvision 0.15 beta transforms
        img = F.to_image_tensor(img)
        boxes = tv_tensors.BoundingBoxes(a["boxes"], format="XYXY", canvas_size=img.shape[-2:])
        img, boxes = self.transforms(img, boxes)
        return img, {"boxes": boxes, "labels": torch.tensor(a["labels"])}


tf = v2.Compose([v2.RandomHorizontalFlip(0.5), v2.ToDtype(torch.float32, scale=True)])
ds = Boxes("pcb/annotations.json", tf)
img, target = ds[0]
print(img.shape, target["boxes"])
'''

SCRIPTS["imageai-cls-transfer-v2-keywords"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

# ImageAI 2 transfer-learning tutorial: start from the ImageNet model, retrain all layers
trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("pets")
trainer.trainModel(num_experiments=2, batch_size=4, transfer_from_model="mobilenet_v2-b0353104.pth",
                   initial_num_objects=1000, transfer_with_full_training=True)
'''

# ====================================================================== env.multiprocessing
SCRIPTS["forked-workers-share-one-zipfile-handle"] = '''
import io
import zipfile

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class ZippedImages(Dataset):
    """reads the images straight out of the Kaggle zip instead of extracting 30k files"""

    def __init__(self, zip_path, transform):
        self.zf = zipfile.ZipFile(zip_path)
        self.names = [n for n in self.zf.namelist() if n.endswith(".jpg")]
        self.classes = sorted({n.split("/")[1] for n in self.names})
        self.transform = transform

    def __len__(self):
        return len(self.names)

    def __getitem__(self, i):
        name = self.names[i]
        img = Image.open(io.BytesIO(self.zf.read(name))).convert("RGB")
        return self.transform(img), self.classes.index(name.split("/")[1])


def main():
    tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
    ds = ZippedImages("dogs-vs-cats.zip", tf)
    loader = DataLoader(ds, batch_size=8, shuffle=True, num_workers=4)
    for epoch in range(30):
        for x, y in loader:
            print(epoch, x.shape, y.tolist(), flush=True)


if __name__ == "__main__":
    main()
'''

SCRIPTS["pool-map-lambda-resize-thumbnails"] = '''
import glob
import os
from multiprocessing import Pool

from PIL import Image

SRC, DST, SIZE = "photos/raw", "photos/224", 224


def resize_one(path, size):
    out = os.path.join(DST, os.path.relpath(path, SRC))
    os.makedirs(os.path.dirname(out), exist_ok=True)
    Image.open(path).convert("RGB").resize((size, size)).save(out, quality=95)
    return out


if __name__ == "__main__":
    paths = sorted(glob.glob(f"{SRC}/*/*.jpg"))
    with Pool(processes=2) as pool:
        done = pool.map(lambda p: resize_one(p, SIZE), paths)
    print(f"resized {len(done)} images")
'''

SCRIPTS["pool-tasks-given-mp-queue-for-progress"] = '''
import glob
import multiprocessing as mp

import numpy as np
from PIL import Image


def channel_stats(args):
    path, progress = args
    a = np.asarray(Image.open(path).convert("RGB"), dtype=np.float64) / 255
    progress.put(1)
    return a.reshape(-1, 3).mean(0), a.reshape(-1, 3).std(0)


if __name__ == "__main__":
    files = sorted(glob.glob("cells/train/*/*.png"))
    progress = mp.Queue()
    with mp.Pool(2) as pool:
        stats = pool.map(channel_stats, [(f, progress) for f in files])
    mean = np.mean([s[0] for s in stats], axis=0)
    std = np.mean([s[1] for s in stats], axis=0)
    print("mean", mean.round(4), "std", std.round(4))
'''

CELLS["torch-mp-spawn-train-fn-defined-in-notebook"] = [
    '''import os
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torchvision
from torch import nn''',
    '''def train(rank, world_size):
    os.environ["MASTER_ADDR"] = "127.0.0.1"
    os.environ["MASTER_PORT"] = "29652"
    dist.init_process_group("gloo", rank=rank, world_size=world_size)
    model = nn.parallel.DistributedDataParallel(torchvision.models.resnet18(num_classes=4))
    x, y = torch.randn(4, 3, 64, 64), torch.randint(0, 4, (4,))
    nn.functional.cross_entropy(model(x), y).backward()
    print(rank, "ok")
    dist.destroy_process_group()''',
    '''world_size = 2
mp.spawn(train, args=(world_size,), nprocs=world_size, join=True)''',
]

SCRIPTS["thumbnail-cache-spawn-pool-without-main-guard"] = '''
import glob
import multiprocessing as mp
import os
from concurrent.futures import ProcessPoolExecutor

from PIL import Image

mp.set_start_method("spawn", force=True)  # "fork is unsafe with torch", said a forum post

os.makedirs("cache", exist_ok=True)


def make_thumb(path):
    out = os.path.join("cache", os.path.basename(path))
    Image.open(path).convert("RGB").resize((96, 96)).save(out)
    return out


files = sorted(glob.glob("birds/train/*/*.jpg"))
with ProcessPoolExecutor(max_workers=2) as ex:
    thumbs = list(ex.map(make_thumb, files))
print(len(thumbs), "thumbnails cached")
'''

SCRIPTS["spawn-dataset-keeps-clahe-object"] = '''
import glob

import cv2
import torch
from torch.utils.data import DataLoader, Dataset


class FundusDataset(Dataset):
    def __init__(self, root):
        self.files = sorted(glob.glob(f"{root}/*/*.png"))
        self.classes = sorted({f.split("/")[-2] for f in self.files})
        self.clahe = cv2.createCLAHE(clipLimit=2.0, tileGridSize=(8, 8))

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        img = cv2.imread(self.files[i])
        lab = cv2.cvtColor(img, cv2.COLOR_BGR2LAB)
        lab[..., 0] = self.clahe.apply(lab[..., 0])
        img = cv2.resize(cv2.cvtColor(lab, cv2.COLOR_LAB2RGB), (96, 96))
        return torch.from_numpy(img).permute(2, 0, 1).float() / 255, self.classes.index(self.files[i].split("/")[-2])


if __name__ == "__main__":
    loader = DataLoader(FundusDataset("fundus/train"), batch_size=4, shuffle=True, num_workers=2,
                        multiprocessing_context="spawn", persistent_workers=True)
    for epoch in range(2):
        for x, y in loader:
            print(epoch, x.shape)
'''

SCRIPTS["spawn-dataset-logs-bad-files-to-filehandler"] = '''
import logging
import torch.multiprocessing as mp

import torch
from PIL import Image
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


class LoggedImageFolder(datasets.ImageFolder):
    """ImageFolder that logs unreadable files instead of crashing"""

    def __init__(self, root, transform):
        super().__init__(root, transform=transform)
        self.log = logging.getLogger("data")
        self.handler = logging.FileHandler("bad_images.log")
        self.log.addHandler(self.handler)

    def __getitem__(self, i):
        try:
            return super().__getitem__(i)
        except OSError as e:
            self.log.warning("%s: %s", self.samples[i][0], e)
            return self[(i + 1) % len(self)]


if __name__ == "__main__":
    mp.set_start_method("spawn")
    tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
    loader = DataLoader(LoggedImageFolder("flowers/train", tf), batch_size=8, shuffle=True, num_workers=2)
    for x, y in loader:
        print(x.shape, y.tolist())
'''

# ====================================================================== env.distributed
SCRIPTS["val-metrics-all-reduce-on-rank0-only"] = '''
import datetime
import os

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch import nn
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler


def make_model():
    return nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                         nn.Flatten(), nn.Linear(32, 5))


@torch.no_grad()
def evaluate(model, loader):
    correct = torch.zeros(1)
    total = torch.zeros(1)
    for x, y in loader:
        correct += (model(x).argmax(1) == y).sum()
        total += len(y)
    dist.all_reduce(correct)
    dist.all_reduce(total)
    return (correct / total).item()


def worker(rank, world_size):
    os.environ["MASTER_ADDR"] = "127.0.0.1"
    os.environ["MASTER_PORT"] = "29681"
    dist.init_process_group("gloo", rank=rank, world_size=world_size, timeout=datetime.timedelta(seconds=20))
    torch.manual_seed(0)
    train = TensorDataset(torch.randn(64, 3, 32, 32), torch.randint(0, 5, (64,)))
    val = TensorDataset(torch.randn(32, 3, 32, 32), torch.randint(0, 5, (32,)))
    sampler = DistributedSampler(train)
    loader = DataLoader(train, batch_size=8, sampler=sampler)
    model = DDP(make_model())
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
    for epoch in range(3):
        sampler.set_epoch(epoch)
        model.train()
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        if rank == 0:  # only the main process evaluates and prints
            acc = evaluate(model.module, DataLoader(val, batch_size=16))
            print(f"epoch {epoch}: loss {loss.item():.3f} val acc {acc:.3f}", flush=True)
    dist.destroy_process_group()


if __name__ == "__main__":
    mp.spawn(worker, args=(2,), nprocs=2)
'''

SCRIPTS["hand-sharded-file-lists-uneven-lengths"] = '''
import datetime
import glob
import os

import torch
import torch.distributed as dist
import torchvision
from PIL import Image
from torch import nn
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class Files(Dataset):
    def __init__(self, files, classes):
        self.files, self.classes = files, classes
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        return self.tf(Image.open(self.files[i]).convert("RGB")), self.classes.index(self.files[i].split("/")[-2])


def main():
    dist.init_process_group("gloo", timeout=datetime.timedelta(seconds=30))
    rank, world = dist.get_rank(), dist.get_world_size()
    files = sorted(glob.glob("flowers/train/*/*.jpg"))
    classes = sorted(os.listdir("flowers/train"))
    # every process takes its own share of the files
    mine = files[rank::world]
    loader = DataLoader(Files(mine, classes), batch_size=2, shuffle=True)
    print(f"rank {rank}: {len(mine)} files, {len(loader)} batches", flush=True)
    model = DDP(torchvision.models.resnet18(num_classes=len(classes)))
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    for epoch in range(2):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"rank {rank} epoch {epoch} loss {loss.item():.3f}", flush=True)
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
'''

SCRIPTS["launch-module-passes-local-rank-hyphen"] = '''
import argparse
import os

import torch
import torch.distributed as dist
import torchvision
from torch.nn.parallel import DistributedDataParallel as DDP

parser = argparse.ArgumentParser()
parser.add_argument("--local_rank", type=int, default=0)
parser.add_argument("--epochs", type=int, default=10)
parser.add_argument("--batch-size", type=int, default=16)
args = parser.parse_args()

dist.init_process_group(backend="gloo", init_method="env://")
model = DDP(torchvision.models.resnet18(num_classes=10))
print(f"rank {dist.get_rank()} local_rank {args.local_rank} ready")
'''

SCRIPTS["sweep-launches-two-torchrun-same-port"] = '''
import subprocess
import sys
import time

# hyper-parameter sweep on the workstation: one torchrun job per learning rate
jobs = []
for lr in ["0.1", "0.01"]:
    cmd = [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node=1", "--master_port=29671",
           "train.py", "--lr", lr]
    print("launching", " ".join(cmd[1:]), flush=True)
    jobs.append(subprocess.Popen(cmd))
    time.sleep(8)

codes = [j.wait() for j in jobs]
if any(codes):
    raise SystemExit(f"sweep failed: exit codes {codes}")
'''

SWEEP_TRAIN = '''
import argparse
import time

import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel as DDP

parser = argparse.ArgumentParser()
parser.add_argument("--lr", type=float, default=0.1)
args = parser.parse_args()

dist.init_process_group("gloo")
model = DDP(nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 4)))
opt = torch.optim.SGD(model.parameters(), lr=args.lr)
for step in range(40):
    x, y = torch.randn(16, 3, 64, 64), torch.randint(0, 4, (16,))
    loss = nn.functional.cross_entropy(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    time.sleep(0.5)
print(f"lr {args.lr}: final loss {loss.item():.3f}")
dist.destroy_process_group()
'''

SCRIPTS["ddp-reentrant-checkpoint-find-unused-parameters"] = '''
import os

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch import nn
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.checkpoint import checkpoint


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(c, c, 3, padding=1), nn.BatchNorm2d(c), nn.ReLU(),
                                  nn.Conv2d(c, c, 3, padding=1), nn.BatchNorm2d(c))

    def forward(self, x):
        return torch.relu(x + self.body(x))


class SegNet(nn.Module):
    """encoder with gradient checkpointing (to fit 512px crops) and an auxiliary head"""

    def __init__(self, n_classes=4):
        super().__init__()
        self.stem = nn.Conv2d(3, 32, 3, padding=1)
        self.blocks = nn.ModuleList([Block(32) for _ in range(3)])
        self.head = nn.Conv2d(32, n_classes, 1)
        self.aux_head = nn.Conv2d(32, n_classes, 1)

    def forward(self, x, with_aux=False):
        x = self.stem(x)
        for blk in self.blocks:
            x = checkpoint(blk, x, use_reentrant=True)
        out = self.head(x)
        return (out, self.aux_head(x)) if with_aux else out


def worker(rank, world_size):
    os.environ["MASTER_ADDR"] = "127.0.0.1"
    os.environ["MASTER_PORT"] = "29701"
    dist.init_process_group("gloo", rank=rank, world_size=world_size)
    torch.manual_seed(rank)
    model = DDP(SegNet(), find_unused_parameters=True)  # aux head only used every other step
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    for step in range(4):
        x = torch.randn(2, 3, 32, 32, requires_grad=True)
        y = torch.randint(0, 4, (2, 32, 32))
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(f"rank {rank} step {step} loss {loss.item():.3f}", flush=True)
    dist.destroy_process_group()


if __name__ == "__main__":
    mp.spawn(worker, args=(2,), nprocs=2)
'''

SCRIPTS["tcp-init-method-without-rank"] = '''
import argparse

import torch
import torch.distributed as dist
import torchvision
from torch.nn.parallel import DistributedDataParallel as DDP

# run once per machine: python train.py --master 10.0.0.1 --world-size 2
parser = argparse.ArgumentParser()
parser.add_argument("--master", default="127.0.0.1")
parser.add_argument("--port", default="29711")
parser.add_argument("--world-size", type=int, default=2)
args = parser.parse_args()

dist.init_process_group(backend="gloo", init_method=f"tcp://{args.master}:{args.port}",
                        world_size=args.world_size)
model = DDP(torchvision.models.resnet18(num_classes=6))
print("rank", dist.get_rank(), "of", dist.get_world_size())
'''

# ====================================================================== resource.host_memory
SCRIPTS["mean-std-float64-stack-every-image-rlimit"] = '''
import glob
import resource

import numpy as np
import torch
from PIL import Image
from torchvision import transforms

# shared lab server: keep this job inside its 1.5 GB quota so it cannot take the box down
_, hard = resource.getrlimit(resource.RLIMIT_DATA)
resource.setrlimit(resource.RLIMIT_DATA, (int(1.5 * 1024 ** 3), hard))

files = sorted(glob.glob("skin/train/*/*.jpg"))
print(f"computing normalisation over {len(files)} images at 512x512")
images = np.stack([np.asarray(Image.open(f).convert("RGB").resize((512, 512))) for f in files])
pixels = images.astype(np.float64) / 255.0
mean = pixels.mean(axis=(0, 1, 2))
std = pixels.std(axis=(0, 1, 2))
normalize = transforms.Normalize(mean.tolist(), std.tolist())
torch.save({"mean": mean, "std": std}, "norm_stats.pt")
print(normalize)
'''

SCRIPTS["val-outputs-kept-with-graph-rlimit"] = HEAD.replace(
    "transforms.Resize((64, 64))", "transforms.Resize((224, 224))").replace(
    'train_set = datasets.ImageFolder("flowers/train", transform=tf)',
    'val_set = datasets.ImageFolder("flowers/val", transform=tf)') + '''
import resource

# the notebook server gives each user 3 GB; fail here rather than freeze the box
_, hard = resource.getrlimit(resource.RLIMIT_DATA)
resource.setrlimit(resource.RLIMIT_DATA, (3 * 1024 ** 3, hard))

model = torchvision.models.resnet50(num_classes=len(val_set.classes))
model.eval()
loader = DataLoader(val_set, batch_size=8)

all_logits, all_labels = [], []
for i, (x, y) in enumerate(loader):
    all_logits.append(model(x))
    all_labels.append(y)
    print(f"batch {i + 1}/{len(loader)}", flush=True)

probs = torch.cat(all_logits).softmax(1)
labels = torch.cat(all_labels)
print("accuracy", (probs.argmax(1) == labels).float().mean().item())
'''

SCRIPTS["super-resolution-tiles-cv2-upscale-rlimit"] = '''
import glob
import os
import resource

import cv2

# container quota for the preprocessing job
resource.setrlimit(resource.RLIMIT_DATA, (1024 ** 3, resource.RLIM_INFINITY))

SCALE = 12  # the small-object detector wants the insulators at least 40 px wide
os.makedirs("upscaled", exist_ok=True)
upscaled = []
for path in sorted(glob.glob("insulators/raw/*.jpg")):
    img = cv2.imread(path)
    up = cv2.resize(img, None, fx=SCALE, fy=SCALE, interpolation=cv2.INTER_CUBIC)
    upscaled.append(up)
    print(path, img.shape, "->", up.shape, flush=True)

for path, up in zip(sorted(glob.glob("insulators/raw/*.jpg")), upscaled):
    cv2.imwrite(os.path.join("upscaled", os.path.basename(path)), up)
'''

SCRIPTS["worker-decoded-image-cache-rlimit"] = '''
import glob
import resource

import numpy as np
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset


class CachedAerial(Dataset):
    """decodes each 1024x1024 tile once and keeps it (decoding the JPEGs was the bottleneck)"""

    def __init__(self, root):
        self.files = sorted(glob.glob(f"{root}/*.jpg"))
        self.cache = {}

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        if i not in self.cache:
            self.cache[i] = np.asarray(Image.open(self.files[i]).convert("RGB"), dtype=np.float64) / 255.0
        img = self.cache[i]
        y, x = np.random.randint(0, img.shape[0] - 256, size=2)
        crop = img[y:y + 256, x:x + 256]
        return torch.from_numpy(crop.copy()).permute(2, 0, 1).float(), 0


def main():
    # 4 GB VM: leave room for the OS and the notebook
    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    resource.setrlimit(resource.RLIMIT_DATA, (int(1.8 * 1024 ** 3), hard))
    loader = DataLoader(CachedAerial("aerial/tiles"), batch_size=4, shuffle=True, num_workers=2,
                        persistent_workers=True)
    model = torch.nn.Sequential(torch.nn.Conv2d(3, 8, 3, stride=4), torch.nn.ReLU(), torch.nn.AdaptiveAvgPool2d(1),
                                torch.nn.Flatten(), torch.nn.Linear(8, 1))
    for epoch in range(3):
        for step, (x, _) in enumerate(loader):
            out = model(x)
        print(f"epoch {epoch} done, {step + 1} steps", flush=True)


if __name__ == "__main__":
    main()
'''

SCRIPTS["imageai-yolov3-batch16-under-memory-limit"] = '''
import resource

from imageai.Detection.Custom import DetectionModelTrainer

# the university cluster kills jobs over their memory request: set the same limit here
_, hard = resource.getrlimit(resource.RLIMIT_DATA)
resource.setrlimit(resource.RLIMIT_DATA, (4 * 1024 ** 3, hard))

trainer = DetectionModelTrainer()
trainer.setModelTypeAsYOLOv3()
trainer.setDataDirectory(data_directory="fruits")
trainer.setTrainConfig(object_names_array=["apple", "banana"], batch_size=16, num_experiments=5)
trainer.trainModel()
'''


# ====================================================================== data set-ups
def flowers_setup(per=6, split="train", size=(48, 48)):
    return imgs(class_folder(f"flowers/{split}", ["daisy", "rose", "tulip"], per, size=size))


NUMPY_IMAGES = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(0)
for i, path in enumerate(@@PATHS@@):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    w, h = @@SIZE@@
    base = rng.integers(0, 256, (h // 16 + 1, w // 16 + 1, 3), dtype=np.uint8)
    img = np.kron(base, np.ones((16, 16, 1), dtype=np.uint8))[:h, :w]
    img = (img.astype(np.int16) + rng.integers(-20, 20, img.shape)).clip(0, 255).astype(np.uint8)
    Image.fromarray(img).save(path, quality=90)
'''


def np_images(paths, size):
    code = NUMPY_IMAGES.replace("@@PATHS@@", repr(list(paths))).replace("@@SIZE@@", repr(tuple(size)))
    return prep(code)


def varied(i, classes):
    return "".join(f"{c} {0.3 + 0.1 * j:.2f} {0.5:.2f} {0.12 + 0.07 * j + 0.03 * i:.2f} {0.15 + 0.05 * j + 0.04 * i:.2f}\n"
                   for j, c in enumerate(classes))


def det_dataset(root="fruits", n_train=8, n_val=2):
    def setup(work: Path):
        specs = []
        for split, n in (("train", n_train), ("validation", n_val)):
            (work / root / split / "annotations").mkdir(parents=True, exist_ok=True)
            for i in range(n):
                stem = f"fruit_{i:03d}" if split == "train" else f"fruit_{100 + i:03d}"
                specs.append((f"{root}/{split}/images/{stem}.jpg", (96 + 8 * (i % 3), 80), "RGB"))
                (work / root / split / "annotations" / f"{stem}.txt").write_text(varied(i, [i % 2, 1 - i % 2, 0]))
        make_images(work, specs)
    return setup


def zip_setup(work: Path):
    import io
    import zipfile
    import random
    from PIL import Image
    rnd = random.Random(1)
    with zipfile.ZipFile(work / "dogs-vs-cats.zip", "w") as zf:
        for c in ("cat", "dog"):
            for i in range(40):
                img = Image.frombytes("RGB", (96, 96), bytes(rnd.randrange(256) for _ in range(96 * 96 * 3)))
                buf = io.BytesIO()
                img.save(buf, format="JPEG")
                zf.writestr(f"train/{c}/{c}.{i}.jpg", buf.getvalue())


PCB = '''
import json
from PIL import Image
Image.new("RGB", (120, 90), (30, 120, 40)).save("pcb/board_000.jpg")
json.dump([{"file": "pcb/board_000.jpg", "boxes": [[10, 12, 40, 30], [60, 20, 90, 70]], "labels": [1, 2]}],
          open("pcb/annotations.json", "w"))
'''


def mkdir(rel):
    def setup(work: Path):
        (work / rel).mkdir(parents=True, exist_ok=True)
    return setup


def masks_setup(work: Path):
    from PIL import Image, ImageDraw
    make_images(work, [(f"kvasir/train/images/polyp_{i:03d}.jpg", (80, 72), "RGB") for i in range(4)])
    (work / "kvasir/train/masks").mkdir(parents=True, exist_ok=True)
    for i in range(4):
        m = Image.new("L", (80, 72), 0)
        ImageDraw.Draw(m).ellipse([10 + i, 12, 50 + 3 * i, 60], fill=255)
        m.save(work / f"kvasir/train/masks/polyp_{i:03d}.png")


# ====================================================================== cases
def cases():
    out, add, script, notebook = case_builders("torch-more27-", SCRIPTS, CELLS)

    W = ["cpython_basic", "dataloader_worker"]
    P = ["cpython_basic", "progress_bars?"]
    flowers = flowers_setup()
    torchrun = lambda port: ("-m", "torch.distributed.run", "--nproc_per_node=2", f"--master_port={port}")  # noqa: E731

    # env.cuda_setup
    script("apex-style-data-prefetcher-cuda-stream", "env.cuda_setup", setup=flowers)
    script("per-epoch-peak-memory-reset-stats", "env.cuda_setup", setup=flowers)
    notebook("memory-summary-after-first-epoch-notebook", "env.cuda_setup", setup=flowers)
    script("gpu-utilization-in-tqdm-postfix", "env.cuda_setup", forms=P, setup=flowers)
    script("per-gpu-batch-from-device-count", "env.cuda_setup", setup=flowers)
    script("accelerator-api-without-availability-check", "env.cuda_setup", setup=flowers)
    script("gpu-ids-parsed-from-cuda-visible-devices", "env.cuda_setup")
    script("pick-freest-gpu-with-nvidia-smi", "env.cuda_setup", setup=flowers)
    script("torchrun-set-device-local-rank-cpu-box", "env.cuda_setup", pre=torchrun(29641), setup=flowers,
           exception="RuntimeError", timeout=180)

    # env.version_incompat
    script("brightness-jitter-negative-delta-uint8-numpy2", "env.version_incompat",
           setup=imgs(class_folder("leaves/train", ["healthy", "rust", "scab"], 4, size=(40, 40))))
    script("xray-histogram-equalize-normed-kwarg", "env.version_incompat",
           setup=imgs(class_folder("chest_xray/train", ["NORMAL", "PNEUMONIA"], 3, size=(72, 72), mode="L",
                                   ext="png")))
    script("soft-mask-helper-np-asfarray-numpy2", "env.version_incompat", setup=masks_setup)
    script("duplicate-finder-ndarray-tostring-hash", "env.version_incompat", argv="dedup.py",
           setup=imgs(class_folder("dataset/raw", ["bolt", "nut"], 3, size=(50, 40))))
    script("old-prefetcher-subclasses-dataloaderiter", "env.version_incompat", setup=flowers)
    script("mosaic-augment-image-cubic-pillow", "env.version_incompat", argv="pretrain.py",
           setup=imgs(class_folder("parts/train", ["gear", "spring"], 3, size=(60, 50))))
    script("v2-beta-to-image-tensor-detection-transform", "env.version_incompat",
           setup=both(mkdir("pcb"), prep(PCB)))
    script("imageai-cls-transfer-v2-keywords", "env.version_incompat", framework="imageai",
           setup=imgs([(f"pets/{s}/{c}/{c}.{i}.jpg", (48, 48), "RGB") for s in ("train", "test")
                       for c in ("cat", "dog") for i in range(3)]))

    # env.multiprocessing
    script("forked-workers-share-one-zipfile-handle", "env.multiprocessing", forms=W, setup=zip_setup)
    script("pool-map-lambda-resize-thumbnails", "env.multiprocessing", argv="resize.py",
           setup=imgs(class_folder("photos/raw", ["cat", "dog"], 3, size=(80, 60))))
    script("pool-tasks-given-mp-queue-for-progress", "env.multiprocessing", argv="stats.py",
           forms=["cpython_basic"],
           setup=imgs(class_folder("cells/train", ["healthy", "infected"], 3, size=(40, 40), ext="png")))
    # the run ends in the spawned child's traceback, not in a cell
    notebook("torch-mp-spawn-train-fn-defined-in-notebook", "env.multiprocessing", timeout=180,
             exception="AttributeError", forms=("cpython_basic",))
    script("thumbnail-cache-spawn-pool-without-main-guard", "env.multiprocessing", argv="cache_thumbs.py",
           setup=imgs(class_folder("birds/train", ["robin", "wren"], 3, size=(70, 60))), exception="BrokenProcessPool")
    script("spawn-dataset-keeps-clahe-object", "env.multiprocessing",
           setup=imgs(class_folder("fundus/train", ["dr", "normal"], 3, size=(64, 64), ext="png")))
    script("spawn-dataset-logs-bad-files-to-filehandler", "env.multiprocessing", setup=flowers)

    # env.distributed
    script("val-metrics-all-reduce-on-rank0-only", "env.distributed", timeout=180,
           exception="gloo::EnforceNotMet")
    script("hand-sharded-file-lists-uneven-lengths", "env.distributed", pre=torchrun(29691),
           setup=flowers_setup(per=3), timeout=240, exception="RuntimeError")
    script("launch-module-passes-local-rank-hyphen", "env.distributed", also=["env.version_incompat"],
           pre=("-m", "torch.distributed.launch", "--nproc_per_node=2", "--master_port=29661"), timeout=180)
    script("sweep-launches-two-torchrun-same-port", "env.distributed", argv="sweep.py",
           extra={"train.py": SWEEP_TRAIN}, timeout=240)
    script("ddp-reentrant-checkpoint-find-unused-parameters", "env.distributed", exception="RuntimeError",
           timeout=180)
    script("tcp-init-method-without-rank", "env.distributed")

    # resource.host_memory
    script("mean-std-float64-stack-every-image-rlimit", "resource.host_memory", argv="norm_stats.py",
           setup=imgs(class_folder("skin/train", ["benign", "malignant"], 100, size=(32, 32))))
    script("val-outputs-kept-with-graph-rlimit", "resource.host_memory", argv="evaluate.py",
           setup=flowers_setup(per=30, split="val", size=(32, 32)), timeout=300)
    script("super-resolution-tiles-cv2-upscale-rlimit", "resource.host_memory", argv="upscale.py",
           setup=np_images([f"insulators/raw/tower_{i:02d}.jpg" for i in range(3)], (1200, 900)))
    script("worker-decoded-image-cache-rlimit", "resource.host_memory", forms=W,
           setup=np_images([f"aerial/tiles/tile_{i:03d}.jpg" for i in range(60)], (1024, 1024)), timeout=300)
    script("imageai-yolov3-batch16-under-memory-limit", "resource.host_memory", framework="imageai",
           setup=det_dataset(), timeout=400)
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
