"""A forty-seventh held-out set (g93, scored 0.83 top-1 and 0.96 top-3 before any rule for it) of PyTorch / torchvision / ImageAI 3 failures: engineers adapting someone else's repository or recipe to their own data, an untargeted sample over the cause ids.

The persona: a YOLO- or SSD-style detector repo given the Pascal VOC XML / YOLO txt / CSV / odgt exports
of labelling tools and public sets (CVAT, LabelImg, Roboflow, Label Studio), segmentation repos (U-Net,
DeepLab, SMP-style code) pointed at their masks, classification recipes (a timm-like ``train.py``, the
torchvision reference script) on ``ImageFolder`` data, JSON / INI configs edited by hand, checkpoints from
the repo's releases, multi-GPU code run on one machine, resumed runs, exports, and ImageAI 3 trainers given
converted data sets; none a repeat of the scenarios in the other generators.

- data: a Cityscapes-style random scale + crop (no padding) on 320 x 240 phone photos (in workers), a
  timm-like ``--in-chans 1`` X-ray stem fed ``ImageFolder``'s RGB images, CrowdHuman full-body ``fbox``
  boxes that run past the frame converted to YOLO txt for ImageAI 3, Label Studio brush masks summed where
  two labels overlap, CVAT RGB colour masks in a binary Carvana-style U-Net, a YOLO-style release
  ``best.pt`` pickled in half precision fine-tuned on the CPU (notebook), LabelImg XMLs read through their
  ``<path>`` tag (a Windows path of the annotator's laptop, in workers);
- model: an SSD config with ``min_dim`` raised to 320 while ``feature_maps`` stayed at the 160 px grid,
  the torchvision reference classification script given an ImageNet release checkpoint with its 1000-class
  head under ``v2.MixUp`` / ``v2.CutMix`` targets, an MMDetection release checkpoint (``state_dict`` with
  ``backbone.`` / ``neck.`` keys) into a torchvision FPN body (notebook), timm-named MobileNetV2 weights
  from the Hugging Face hub as ImageAI 3 transfer weights;
- API: an optimizer config switched from AdamW to SGD with its ``betas`` left in, ``torch.jit.trace`` of a
  DeepLabV3 that returns a dict (notebook), an INI config read with ``configparser`` giving ImageAI 3 a
  string batch size, a resumed ``OneCycleLR`` whose restored state keeps the old total step count (tqdm);
- optimisation / autograd: a hand-edited ``weight_decay: 5e4`` (for ``5e-4``) in an SMP-style Dice + BCE
  recipe (tqdm), a YOLO-style ``val.run`` that fuses Conv+BN under ``torch.inference_mode`` on the model
  still being trained;
- resource / environment: a mosaic ``img_size`` of 12800 under a job memory limit (in workers), a
  ``multiprocessing.Manager`` RAM cache kept by a Dataset after the repo forced ``spawn``, an FSDP recipe
  moved to gloo on a CPU box (torchrun), the README's ``torchrun --nproc_per_node=gpu`` on a machine
  without a GPU, a YOLO-style ``utils/general.py`` importing ``pkg_resources`` (gone from setuptools 81+);
- plain bugs: an ssd.pytorch-style one-class ``VOC_CLASSES = ('helmet')`` without the trailing comma (in
  workers).

Every case is a small real program (plain scripts, DataLoader workers, IPython cells, tqdm bars, torchrun,
warnings before the error) on CPU with the torch venv (no GPU, no downloads, weights=None: "release"
checkpoints are files an earlier step left on disk); the label is known by construction.

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more47.py [-k filter] [--out DIR] [-j N]
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _record import Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders  # noqa: E402,F401
from _record import run_cases, yolo_layout  # noqa: E402
from _record import ANCHORS6, save_cls, save_tiny  # noqa: E402,F401

SRC = "corpus/generators/torch_more47.py"

SCRIPTS = {}
CELLS = {}
EXTRA = {}

# ================================================================== data.image_size_mismatch
SCRIPTS["seg-repo-random-scale-crop-no-pad-small-photos-workers"] = '''
import json
import random

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision.models.segmentation import lraspp_mobilenet_v3_large

from datasets.segmentation import SegmentationDataset


def main():
    cfg = json.load(open("configs/potholes.json"))
    torch.manual_seed(cfg["seed"])
    random.seed(cfg["seed"])

    train_set = SegmentationDataset(cfg["data_root"], "train", crop_size=cfg["crop_size"],
                                    scale_range=cfg["scale_range"])
    train_loader = DataLoader(train_set, batch_size=cfg["batch_size"], shuffle=True,
                              num_workers=cfg["workers"], drop_last=True)
    print(f"{len(train_set)} training images, crop {cfg['crop_size']}")

    model = lraspp_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=cfg["num_classes"])
    criterion = nn.CrossEntropyLoss(ignore_index=255)
    optimizer = torch.optim.SGD(model.parameters(), lr=cfg["lr"], momentum=0.9, weight_decay=1e-4)

    for epoch in range(cfg["epochs"]):
        model.train()
        for it, (images, masks) in enumerate(train_loader):
            out = model(images)["out"]
            loss = criterion(out, masks)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            if it % 10 == 0:
                print(f"[{epoch}/{cfg['epochs']}][{it}] loss {loss.item():.4f}")


if __name__ == "__main__":
    main()
'''

EXTRA["seg-repo-random-scale-crop-no-pad-small-photos-workers"] = {
    "datasets/__init__.py": "",
    "datasets/segmentation.py": '''
import glob
import os
import random

import cv2
import numpy as np
import torch
from torch.utils.data import Dataset

MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)


class SegmentationDataset(Dataset):
    """Cityscapes-style training pipeline: random scale -> random crop -> random flip."""

    def __init__(self, root, split, crop_size=(768, 768), scale_range=(0.5, 2.0)):
        self.split = split
        self.images = sorted(glob.glob(os.path.join(root, split, "images", "*.jpg")))
        self.masks = [p.replace(os.sep + "images" + os.sep, os.sep + "masks" + os.sep)[:-4] + ".png"
                      for p in self.images]
        self.crop_h, self.crop_w = crop_size
        self.scale_range = scale_range

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = cv2.cvtColor(cv2.imread(self.images[i]), cv2.COLOR_BGR2RGB)
        mask = cv2.imread(self.masks[i], cv2.IMREAD_GRAYSCALE)
        if self.split == "train":
            s = random.uniform(*self.scale_range)
            img = cv2.resize(img, None, fx=s, fy=s, interpolation=cv2.INTER_LINEAR)
            mask = cv2.resize(mask, None, fx=s, fy=s, interpolation=cv2.INTER_NEAREST)
            h, w = mask.shape
            y = random.randint(0, max(h - self.crop_h, 0))
            x = random.randint(0, max(w - self.crop_w, 0))
            img = img[y:y + self.crop_h, x:x + self.crop_w]
            mask = mask[y:y + self.crop_h, x:x + self.crop_w]
            if random.random() < 0.5:
                img, mask = img[:, ::-1], mask[:, ::-1]
        img = (img.astype(np.float32) / 255.0 - MEAN) / STD
        return (torch.from_numpy(np.ascontiguousarray(img.transpose(2, 0, 1))),
                torch.from_numpy(np.ascontiguousarray(mask).astype(np.int64)))
''',
    # the repo's cityscapes.json, edited: data_root, num_classes (19 -> 2), crop_size (768 -> 256), workers
    "configs/potholes.json": json.dumps({
        "data_root": "data/potholes", "num_classes": 2, "crop_size": [256, 256], "scale_range": [0.5, 2.0],
        "batch_size": 4, "lr": 0.01, "epochs": 80, "workers": 2, "seed": 3}, indent=2) + "\n",
}

POTHOLES_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(0)
for split, n in (("train", 8), ("val", 2)):
    os.makedirs(f"data/potholes/{split}/images", exist_ok=True)
    os.makedirs(f"data/potholes/{split}/masks", exist_ok=True)
    for i in range(n):
        img = rng.integers(0, 256, (240, 320, 3), dtype=np.uint8)       # phone photos, 320 x 240
        Image.fromarray(img).save(f"data/potholes/{split}/images/road_{i:04d}.jpg", quality=90)
        mask = np.zeros((240, 320), np.uint8)
        y, x = rng.integers(40, 160), rng.integers(40, 220)
        mask[y:y + 50, x:x + 70] = 1
        Image.fromarray(mask).save(f"data/potholes/{split}/masks/road_{i:04d}.png")
'''

# ================================================================== data.image_channels
SCRIPTS["timm-like-in-chans-1-imagefolder-loads-rgb"] = '''
import argparse
import time

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

IMAGENET_MEAN, IMAGENET_STD = (0.485, 0.456, 0.406), (0.229, 0.224, 0.225)

parser = argparse.ArgumentParser(description="PyTorch ImageNet-style training (timm-like)")
parser.add_argument("--data-dir", required=True)
parser.add_argument("--model", default="resnet18")
parser.add_argument("--num-classes", type=int, default=1000)
parser.add_argument("--in-chans", type=int, default=3, help="number of input image channels")
parser.add_argument("--img-size", type=int, default=224)
parser.add_argument("-b", "--batch-size", type=int, default=128)
parser.add_argument("--lr", type=float, default=0.1)
parser.add_argument("--epochs", type=int, default=300)


def adapt_input_conv(model, in_chans):
    """like timm's adapt_input_conv: rebuild the stem for in_chans, summing the RGB kernels"""
    old = model.conv1
    new = nn.Conv2d(in_chans, old.out_channels, old.kernel_size, old.stride, old.padding, bias=False)
    with torch.no_grad():
        new.weight.copy_(old.weight.sum(dim=1, keepdim=True).repeat(1, in_chans, 1, 1) / in_chans)
    model.conv1 = new
    return model


def main():
    args = parser.parse_args()
    model = getattr(models, args.model)(weights=None, num_classes=args.num_classes)
    if args.in_chans != 3:
        model = adapt_input_conv(model, args.in_chans)
    print(f"Model {args.model} created, param count: {sum(p.numel() for p in model.parameters())}")

    mean = IMAGENET_MEAN if args.in_chans == 3 else (0.5,) * args.in_chans
    std = IMAGENET_STD if args.in_chans == 3 else (0.5,) * args.in_chans
    train_tf = T.Compose([
        T.RandomResizedCrop(args.img_size, scale=(0.5, 1.0)),
        T.RandomHorizontalFlip(),
        T.ToTensor(),
        T.Normalize(mean, std),
    ])
    dataset_train = datasets.ImageFolder(f"{args.data_dir}/train", transform=train_tf)
    loader_train = DataLoader(dataset_train, batch_size=args.batch_size, shuffle=True, drop_last=True)

    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9, weight_decay=2e-5)
    loss_fn = nn.CrossEntropyLoss(label_smoothing=0.1)
    for epoch in range(args.epochs):
        model.train()
        end = time.time()
        for batch_idx, (input, target) in enumerate(loader_train):
            output = model(input)
            loss = loss_fn(output, target)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            print(f"Train: {epoch} [{batch_idx:>4d}/{len(loader_train)}]  Loss: {loss.item():#.3g}  "
                  f"Time: {time.time() - end:.3f}s")
            end = time.time()


if __name__ == "__main__":
    main()
'''

# ================================================================== data.bbox_invalid
SCRIPTS["imageai-det-crowdhuman-fbox-past-frame-border"] = '''
import json
import os
import shutil

import cv2
from imageai.Detection.Custom import DetectionModelTrainer

SRC = "CrowdHuman"          # Images/*.jpg + annotation_train.odgt (one JSON record per line)
DST = "people"
N_TRAIN = 6

with open(f"{SRC}/annotation_train.odgt") as f:
    records = [json.loads(line) for line in f if line.strip()]

for k, rec in enumerate(records):
    split = "train" if k < N_TRAIN else "validation"
    os.makedirs(f"{DST}/{split}/images", exist_ok=True)
    os.makedirs(f"{DST}/{split}/annotations", exist_ok=True)
    src_img = f"{SRC}/Images/{rec['ID']}.jpg"
    h, w = cv2.imread(src_img).shape[:2]
    shutil.copy(src_img, f"{DST}/{split}/images/{rec['ID']}.jpg")
    rows = []
    for box in rec["gtboxes"]:
        if box["tag"] != "person":          # "mask" = crowd / ignore regions
            continue
        x, y, bw, bh = box["fbox"]          # full-body box, [x, y, w, h] in pixels
        rows.append(f"0 {(x + bw / 2) / w:.6f} {(y + bh / 2) / h:.6f} {bw / w:.6f} {bh / h:.6f}")
    with open(f"{DST}/{split}/annotations/{rec['ID']}.txt", "w") as f:
        f.write("\\n".join(rows) + "\\n")
print(f"converted {len(records)} CrowdHuman images")

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory=DST)
trainer.setTrainConfig(object_names_array=["person"], batch_size=4, num_experiments=50)
trainer.trainModel()
'''

CROWDHUMAN_PREP = '''
import json
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(1)
os.makedirs("CrowdHuman/Images", exist_ok=True)
lines = []
for i in range(8):
    rid = f"2841{93 + i},{rng.integers(16 ** 15):015x}"
    Image.fromarray(rng.integers(0, 256, (240, 320, 3), dtype=np.uint8)).save(f"CrowdHuman/Images/{rid}.jpg", quality=90)
    boxes = []
    for j in range(3):
        x, y = int(rng.integers(30, 220)), int(rng.integers(20, 80))
        fbox = [x, y, 50, 140]
        vbox = list(fbox)
        if j == 2 and i % 3 == 0:
            # a pedestrian walking out of the frame on the left: the full-body box
            # continues past the border, the visible box stops at x = 0
            fbox = [-70, 60, 100, 190]
            vbox = [0, 60, 30, 180]
        boxes.append({"tag": "person", "hbox": [fbox[0] + 15, fbox[1], 22, 26], "head_attr": {"ignore": 0, "occ": 0, "unsure": 0},
                      "fbox": fbox, "vbox": vbox, "extra": {"box_id": j, "occ": int(fbox != vbox)}})
    boxes.append({"tag": "mask", "hbox": [250, 10, 60, 40], "fbox": [250, 10, 60, 40], "vbox": [250, 10, 60, 40],
                  "extra": {"ignore": 1}})
    lines.append(json.dumps({"ID": rid, "gtboxes": boxes}))
with open("CrowdHuman/annotation_train.odgt", "w") as f:
    f.write("\\n".join(lines) + "\\n")
'''

# ================================================================== data.label_out_of_range
SCRIPTS["label-studio-brush-masks-summed-where-labels-overlap"] = '''
import glob
import os
import re
from collections import defaultdict

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.segmentation import deeplabv3_mobilenet_v3_large
import torchvision.transforms.functional as TF

CLASSES = ["crack", "spalling"]           # + background = 3 classes
NUM_CLASSES = len(CLASSES) + 1
SIZE = 128


class LabelStudioMasks(Dataset):
    """Label Studio 'Brush labels to PNG' export: one 0/255 PNG per task, label and stroke"""

    def __init__(self, image_dir, mask_dir):
        self.images = sorted(glob.glob(os.path.join(image_dir, "*.jpg")))
        self.masks = defaultdict(list)
        for p in glob.glob(os.path.join(mask_dir, "*.png")):
            task = int(re.match(r"task-(\\d+)-", os.path.basename(p)).group(1))
            self.masks[task].append(p)

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = Image.open(self.images[i]).convert("RGB").resize((SIZE, SIZE))
        task = int(os.path.basename(self.images[i]).split("_")[0])
        target = np.zeros((SIZE, SIZE), np.int64)
        for p in self.masks[task]:
            label = p.split("-tag-")[1].rsplit("-", 1)[0]
            m = np.array(Image.open(p).convert("L").resize((SIZE, SIZE), Image.NEAREST)) > 127
            target += m * (CLASSES.index(label) + 1)
        x = TF.normalize(TF.to_tensor(img), [0.485, 0.456, 0.406], [0.229, 0.224, 0.225])
        return x, torch.from_numpy(target)


train_set = LabelStudioMasks("ls_export/images", "ls_export/masks")
loader = DataLoader(train_set, batch_size=4, shuffle=True)
model = deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=NUM_CLASSES)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)

for epoch in range(40):
    model.train()
    for images, targets in loader:
        loss = criterion(model(images)["out"], targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch + 1}: loss {loss.item():.4f}")
'''

BRIDGE_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(2)
os.makedirs("ls_export/images", exist_ok=True)
os.makedirs("ls_export/masks", exist_ok=True)
for task in range(1, 9):
    Image.fromarray(rng.integers(0, 256, (180, 240, 3), dtype=np.uint8)).save(
        f"ls_export/images/{task}_bridge_deck_{task:03d}.jpg", quality=90)
    # a crack stroke and a spalling patch; on some decks the crack runs through the spalling
    crack = np.zeros((180, 240), np.uint8)
    r = int(rng.integers(30, 150))
    crack[r:r + 6, 20:220] = 255
    Image.fromarray(crack).save(f"ls_export/masks/task-{task}-annotation-{task + 20}-by-1-tag-crack-0.png")
    spall = np.zeros((180, 240), np.uint8)
    y = r - 20 if task % 2 else int(rng.integers(10, 60))
    spall[max(y, 0):max(y, 0) + 45, 80:150] = 255
    Image.fromarray(spall).save(f"ls_export/masks/task-{task}-annotation-{task + 20}-by-1-tag-spalling-0.png")
'''

# ================================================================== data.label_shape
SCRIPTS["carvana-unet-repo-cvat-rgb-colour-masks-bce"] = '''
import argparse
import logging
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset

from unet import UNet

dir_img = Path("./data/imgs/")
dir_mask = Path("./data/masks/")


class BasicDataset(Dataset):
    def __init__(self, images_dir, mask_dir, scale=1.0, mask_suffix=""):
        self.images_dir, self.mask_dir = Path(images_dir), Path(mask_dir)
        self.scale, self.mask_suffix = scale, mask_suffix
        self.ids = sorted(p.stem for p in self.images_dir.glob("*.jpg"))
        logging.info(f"Creating dataset with {len(self.ids)} examples")

    def __len__(self):
        return len(self.ids)

    @staticmethod
    def preprocess(pil_img, scale, is_mask):
        w, h = pil_img.size
        new_size = (int(scale * w), int(scale * h))
        pil_img = pil_img.resize(new_size, resample=Image.NEAREST if is_mask else Image.BICUBIC)
        img = np.asarray(pil_img, dtype=np.float32)
        if is_mask:
            return (img > 0).astype(np.float32)[None]          # (1, H, W) binary target
        img = img.transpose((2, 0, 1))
        return img / 255.0 if (img > 1).any() else img

    def __getitem__(self, idx):
        name = self.ids[idx]
        mask = Image.open(self.mask_dir / f"{name}{self.mask_suffix}.png")
        img = Image.open(self.images_dir / f"{name}.jpg")
        return {"image": torch.as_tensor(self.preprocess(img, self.scale, False)),
                "mask": torch.as_tensor(self.preprocess(mask, self.scale, True))}


def train_model(model, epochs=5, batch_size=4, learning_rate=1e-5, img_scale=0.5):
    dataset = BasicDataset(dir_img, dir_mask, img_scale)
    train_loader = DataLoader(dataset, batch_size=batch_size, shuffle=True)
    optimizer = torch.optim.RMSprop(model.parameters(), lr=learning_rate, weight_decay=1e-8, momentum=0.999)
    criterion = nn.CrossEntropyLoss() if model.n_classes > 1 else nn.BCEWithLogitsLoss()
    logging.info(f"Starting training: epochs {epochs}, batch size {batch_size}, lr {learning_rate}, scale {img_scale}")
    for epoch in range(1, epochs + 1):
        model.train()
        for batch in train_loader:
            images, true_masks = batch["image"], batch["mask"]
            masks_pred = model(images)
            loss = criterion(masks_pred, true_masks)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
        logging.info(f"epoch {epoch}: loss {loss.item():.4f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", "-e", type=int, default=5)
    parser.add_argument("--batch-size", "-b", type=int, default=4)
    parser.add_argument("--scale", "-s", type=float, default=0.5)
    parser.add_argument("--classes", "-c", type=int, default=1)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(levelname)s: %(message)s")
    model = UNet(n_channels=3, n_classes=args.classes)
    logging.info(f"Network: {model.n_channels} input channels, {model.n_classes} output channels (classes)")
    train_model(model, epochs=args.epochs, batch_size=args.batch_size, img_scale=args.scale)
'''

UNET_PY = '''
import torch
import torch.nn as nn
import torch.nn.functional as F


class DoubleConv(nn.Sequential):
    def __init__(self, cin, cout):
        super().__init__(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
                         nn.Conv2d(cout, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class UNet(nn.Module):
    def __init__(self, n_channels, n_classes, width=16):
        super().__init__()
        self.n_channels, self.n_classes = n_channels, n_classes
        w = width
        self.inc = DoubleConv(n_channels, w)
        self.down1 = DoubleConv(w, 2 * w)
        self.down2 = DoubleConv(2 * w, 4 * w)
        self.up1 = nn.ConvTranspose2d(4 * w, 2 * w, 2, stride=2)
        self.conv1 = DoubleConv(4 * w, 2 * w)
        self.up2 = nn.ConvTranspose2d(2 * w, w, 2, stride=2)
        self.conv2 = DoubleConv(2 * w, w)
        self.outc = nn.Conv2d(w, n_classes, 1)

    def forward(self, x):
        x1 = self.inc(x)
        x2 = self.down1(F.max_pool2d(x1, 2))
        x3 = self.down2(F.max_pool2d(x2, 2))
        x = self.conv1(torch.cat([self.up1(x3), x2], 1))
        x = self.conv2(torch.cat([self.up2(x), x1], 1))
        return self.outc(x)
'''

CVAT_MASKS_PREP = '''
import os
import numpy as np
from PIL import Image

# CVAT "Segmentation mask 1.1" export copied over the repo's data/ folder:
# JPEGImages -> data/imgs, SegmentationClass (colour PNGs, labelmap.txt colours) -> data/masks
rng = np.random.default_rng(4)
os.makedirs("data/imgs", exist_ok=True)
os.makedirs("data/masks", exist_ok=True)
with open("data/labelmap.txt", "w") as f:
    f.write("# label:color_rgb:parts:actions\\nbackground:0,0,0::\\nweld_defect:250,50,83::\\n")
for i in range(8):
    Image.fromarray(rng.integers(0, 256, (192, 192, 3), dtype=np.uint8)).save(f"data/imgs/weld_{i:03d}.jpg", quality=90)
    m = np.zeros((192, 192, 3), np.uint8)
    y, x = rng.integers(20, 120, size=2)
    m[y:y + 40, x:x + 60] = (250, 50, 83)
    Image.fromarray(m).save(f"data/masks/weld_{i:03d}.png")
'''

# ================================================================== data.dtype
CELLS["yolo-release-best-pt-pickled-half-finetune-on-cpu-notebook"] = [
    '''
import glob

import cv2
import numpy as np
import torch

from models.yolo import Model, compute_loss

# the repo's release: runs/train/exp12/weights/best.pt (strip_optimizer'd), copied from the team drive
ckpt = torch.load("weights/best.pt", map_location="cpu", weights_only=False)
print({k: type(v).__name__ for k, v in ckpt.items()})
print("trained for", ckpt["epoch"] + 1, "epochs, best fitness", ckpt["best_fitness"])
''',
    '''
def load_batch(paths, size=256):
    imgs, targets = [], []
    for i, p in enumerate(paths):
        img = cv2.resize(cv2.imread(p), (size, size))[:, :, ::-1]
        imgs.append(torch.from_numpy(np.ascontiguousarray(img.transpose(2, 0, 1))).float() / 255.0)
        for row in np.loadtxt(p.replace("images", "labels")[:-4] + ".txt", ndmin=2):
            targets.append([i, *row])
    return torch.stack(imgs), torch.tensor(targets, dtype=torch.float32)


paths = sorted(glob.glob("datasets/forklifts/images/train/*.jpg"))
imgs, targets = load_batch(paths[:4])
print(imgs.shape, imgs.dtype, targets.shape)
''',
    '''
model = ckpt["model"]          # keep training from the release weights
model.train()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.937, nesterov=True)

for step in range(50):
    preds = model(imgs)
    loss = compute_loss(preds, targets)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    print(step, loss.item())
''',
]

YOLO_MODEL_PY = '''
import torch
import torch.nn as nn


class Conv(nn.Module):
    def __init__(self, c1, c2, k=1, s=1):
        super().__init__()
        self.conv = nn.Conv2d(c1, c2, k, s, k // 2, bias=False)
        self.bn = nn.BatchNorm2d(c2)
        self.act = nn.SiLU()

    def forward(self, x):
        return self.act(self.bn(self.conv(x)))


class Model(nn.Module):
    """a small YOLO-style detector: stride-8/16/32 backbone, one 1x1 head per level"""

    def __init__(self, nc=2, na=3):
        super().__init__()
        self.nc, self.na = nc, na
        self.stem = nn.Sequential(Conv(3, 16, 3, 2), Conv(16, 32, 3, 2), Conv(32, 32, 3, 2))
        self.p4 = Conv(32, 64, 3, 2)
        self.p5 = Conv(64, 128, 3, 2)
        self.heads = nn.ModuleList(nn.Conv2d(c, na * (5 + nc), 1) for c in (32, 64, 128))

    def forward(self, x):
        p3 = self.stem(x)
        p4 = self.p4(p3)
        p5 = self.p5(p4)
        outs = []
        for h, f in zip(self.heads, (p3, p4, p5)):
            b, _, ny, nx = f.shape
            outs.append(h(f).view(b, self.na, 5 + self.nc, ny, nx).permute(0, 1, 3, 4, 2))
        return outs


def compute_loss(preds, targets):
    # objectness-only stand-in for the repo's loss: every cell holding a box centre is positive
    bce = nn.BCEWithLogitsLoss()
    loss = 0.0
    for p in preds:
        tobj = torch.zeros_like(p[..., 4])
        ny, nx = p.shape[2:4]
        for img_i, cls, cx, cy, w, h in targets.tolist():
            tobj[int(img_i), :, min(int(cy * ny), ny - 1), min(int(cx * nx), nx - 1)] = 1.0
        loss = loss + bce(p[..., 4], tobj)
    return loss
'''

FORKLIFT_PREP = '''
import os
import numpy as np
import torch
from PIL import Image

from models.yolo import Model

rng = np.random.default_rng(5)
os.makedirs("datasets/forklifts/images/train", exist_ok=True)
os.makedirs("datasets/forklifts/labels/train", exist_ok=True)
for i in range(6):
    Image.fromarray(rng.integers(0, 256, (360, 480, 3), dtype=np.uint8)).save(
        f"datasets/forklifts/images/train/wh_{i:04d}.jpg", quality=90)
    with open(f"datasets/forklifts/labels/train/wh_{i:04d}.txt", "w") as f:
        f.write(f"0 {0.2 + 0.1 * i:.4f} 0.5500 0.2000 0.3000\\n1 0.7000 0.4000 0.1000 0.2500\\n")

torch.manual_seed(0)
model = Model(nc=2)
# what the repo's strip_optimizer() leaves: the whole model, in fp16, no optimizer
os.makedirs("weights", exist_ok=True)
torch.save({"epoch": 299, "best_fitness": 0.6412, "model": model.half(), "optimizer": None,
            "wandb_id": None, "date": "2025-11-03T17:42:10"}, "weights/best.pt")
'''

# ================================================================== data.missing_or_corrupt
SCRIPTS["labelimg-xml-path-tag-annotators-windows-path-workers"] = '''
import glob
import os
import xml.etree.ElementTree as ET

import cv2
import torch
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import ssdlite320_mobilenet_v3_large

CLASSES = ["__background__", "helmet", "vest"]


class VOCDetection(Dataset):
    """Pascal VOC style XMLs as LabelImg writes them"""

    def __init__(self, ann_dir, size=320):
        self.xml_files = sorted(glob.glob(os.path.join(ann_dir, "*.xml")))
        self.size = size

    def __len__(self):
        return len(self.xml_files)

    def __getitem__(self, i):
        root = ET.parse(self.xml_files[i]).getroot()
        img_path = root.find("path").text          # LabelImg stores the full image path
        img = cv2.imread(img_path)
        img = cv2.cvtColor(img, cv2.COLOR_BGR2RGB)
        h, w = img.shape[:2]
        img = cv2.resize(img, (self.size, self.size))
        boxes, labels = [], []
        for obj in root.iter("object"):
            bb = obj.find("bndbox")
            x1, y1, x2, y2 = (float(bb.find(k).text) for k in ("xmin", "ymin", "xmax", "ymax"))
            boxes.append([x1 * self.size / w, y1 * self.size / h, x2 * self.size / w, y2 * self.size / h])
            labels.append(CLASSES.index(obj.find("name").text))
        image = torch.from_numpy(img).permute(2, 0, 1).float() / 255.0
        return image, {"boxes": torch.tensor(boxes), "labels": torch.tensor(labels)}


def collate(batch):
    return tuple(zip(*batch))


def main():
    ds = VOCDetection("site_safety/Annotations")
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2, collate_fn=collate)
    model = ssdlite320_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=len(CLASSES))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=4e-5)
    for epoch in range(30):
        model.train()
        for images, targets in loader:
            losses = model(list(images), list(targets))
            loss = sum(losses.values())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(f"epoch {epoch}: {loss.item():.3f}")


if __name__ == "__main__":
    main()
'''

SITE_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(6)
os.makedirs("site_safety/JPEGImages", exist_ok=True)
os.makedirs("site_safety/Annotations", exist_ok=True)
for i in range(8):
    name = f"IMG_{2031 + i}.jpg"
    Image.fromarray(rng.integers(0, 256, (300, 400, 3), dtype=np.uint8)).save(f"site_safety/JPEGImages/{name}", quality=90)
    x, y = int(rng.integers(20, 250)), int(rng.integers(20, 150))
    xml = f"""<annotation>
\\t<folder>JPEGImages</folder>
\\t<filename>{name}</filename>
\\t<path>C:\\\\Users\\\\marta\\\\Desktop\\\\site_safety\\\\JPEGImages\\\\{name}</path>
\\t<source>
\\t\\t<database>Unknown</database>
\\t</source>
\\t<size>
\\t\\t<width>400</width>
\\t\\t<height>300</height>
\\t\\t<depth>3</depth>
\\t</size>
\\t<segmented>0</segmented>
\\t<object>
\\t\\t<name>{"helmet" if i % 2 else "vest"}</name>
\\t\\t<pose>Unspecified</pose>
\\t\\t<truncated>0</truncated>
\\t\\t<difficult>0</difficult>
\\t\\t<bndbox>
\\t\\t\\t<xmin>{x}</xmin>
\\t\\t\\t<ymin>{y}</ymin>
\\t\\t\\t<xmax>{x + 60}</xmax>
\\t\\t\\t<ymax>{y + 80}</ymax>
\\t\\t</bndbox>
\\t</object>
</annotation>
"""
    with open(f"site_safety/Annotations/IMG_{2031 + i}.xml", "w") as f:
        f.write(xml)
'''

# ================================================================== model.input_shape
SCRIPTS["ssd-config-min-dim-raised-feature-maps-kept"] = '''
import csv
import json
from collections import defaultdict
from itertools import product
from math import sqrt

import cv2
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset
from torchvision.ops import box_iou

cfg = json.load(open("config/ssd_lite.json"))


class PriorBox:
    """ssd.pytorch's prior boxes, (cx, cy, w, h) in [0, 1]"""

    def __init__(self, cfg):
        self.cfg = cfg

    def forward(self):
        c, mean = self.cfg, []
        for k, f in enumerate(c["feature_maps"]):
            for i, j in product(range(f), repeat=2):
                f_k = c["min_dim"] / c["steps"][k]
                cx, cy = (j + 0.5) / f_k, (i + 0.5) / f_k
                s_k = c["min_sizes"][k] / c["min_dim"]
                mean += [cx, cy, s_k, s_k]
                s_k_prime = sqrt(s_k * (c["max_sizes"][k] / c["min_dim"]))
                mean += [cx, cy, s_k_prime, s_k_prime]
                for ar in c["aspect_ratios"][k]:
                    mean += [cx, cy, s_k * sqrt(ar), s_k / sqrt(ar)]
                    mean += [cx, cy, s_k / sqrt(ar), s_k * sqrt(ar)]
        return torch.tensor(mean).view(-1, 4).clamp_(max=1, min=0)


def block(cin, cout, stride=2, pad=1):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride, pad), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class SSDLite(nn.Module):
    def __init__(self, num_classes, mbox=(4, 6, 6, 4, 4)):
        super().__init__()
        self.num_classes = num_classes
        self.stage1 = nn.Sequential(block(3, 16), block(16, 32), block(32, 32))    # /8
        self.stage2 = block(32, 64)                                                # /16
        self.stage3 = block(64, 128)                                               # /32
        self.extras = nn.ModuleList([block(128, 128), block(128, 128, stride=1, pad=0)])
        chans = (32, 64, 128, 128, 128)
        self.loc = nn.ModuleList(nn.Conv2d(c, m * 4, 3, padding=1) for c, m in zip(chans, mbox))
        self.conf = nn.ModuleList(nn.Conv2d(c, m * num_classes, 3, padding=1) for c, m in zip(chans, mbox))

    def forward(self, x):
        sources = []
        x = self.stage1(x); sources.append(x)
        x = self.stage2(x); sources.append(x)
        x = self.stage3(x); sources.append(x)
        for e in self.extras:
            x = e(x); sources.append(x)
        loc = torch.cat([l(s).permute(0, 2, 3, 1).reshape(x.size(0), -1) for l, s in zip(self.loc, sources)], 1)
        conf = torch.cat([c(s).permute(0, 2, 3, 1).reshape(x.size(0), -1) for c, s in zip(self.conf, sources)], 1)
        return loc.view(x.size(0), -1, 4), conf.view(x.size(0), -1, self.num_classes)


def point_form(p):
    return torch.cat((p[:, :2] - p[:, 2:] / 2, p[:, :2] + p[:, 2:] / 2), 1)


def encode(matched, priors, var):
    g_cxcy = ((matched[:, :2] + matched[:, 2:]) / 2 - priors[:, :2]) / (var[0] * priors[:, 2:])
    g_wh = torch.log((matched[:, 2:] - matched[:, :2]) / priors[:, 2:]) / var[1]
    return torch.cat([g_cxcy, g_wh], 1)


def match(threshold, truths, priors, variances, labels):
    overlaps = box_iou(truths, point_form(priors))
    best_prior_idx = overlaps.argmax(1)
    best_truth_overlap, best_truth_idx = overlaps.max(0)
    best_truth_overlap.index_fill_(0, best_prior_idx, 2)
    for j in range(best_prior_idx.size(0)):
        best_truth_idx[best_prior_idx[j]] = j
    conf = labels[best_truth_idx] + 1
    conf[best_truth_overlap < threshold] = 0
    return encode(truths[best_truth_idx], priors, variances), conf


class MultiBoxLoss(nn.Module):
    def __init__(self, priors, num_classes, overlap_thresh=0.5, neg_pos=3):
        super().__init__()
        self.priors, self.num_classes = priors, num_classes
        self.threshold, self.negpos_ratio = overlap_thresh, neg_pos

    def forward(self, predictions, targets):
        loc_data, conf_data = predictions
        num, num_priors = loc_data.size(0), self.priors.size(0)
        loc_t = torch.zeros(num, num_priors, 4)
        conf_t = torch.zeros(num, num_priors, dtype=torch.long)
        for idx, t in enumerate(targets):
            loc_t[idx], conf_t[idx] = match(self.threshold, t[:, :4], self.priors, cfg["variance"], t[:, 4].long())
        pos = conf_t > 0
        pos_idx = pos.unsqueeze(pos.dim()).expand_as(loc_data)
        loc_p = loc_data[pos_idx].view(-1, 4)
        loss_l = F.smooth_l1_loss(loc_p, loc_t[pos_idx].view(-1, 4), reduction="sum")
        loss_c = F.cross_entropy(conf_data.view(-1, self.num_classes), conf_t.view(-1), reduction="sum")
        n = pos.sum().clamp(min=1)
        return loss_l / n, loss_c / n


class TFCsvDataset(Dataset):
    """Roboflow 'Tensorflow Object Detection CSV' export"""

    def __init__(self, folder, classes, size):
        self.folder, self.classes, self.size = folder, classes, size
        self.rows = defaultdict(list)
        with open(f"{folder}/_annotations.csv") as f:
            for r in csv.DictReader(f):
                self.rows[r["filename"]].append(r)
        self.files = sorted(self.rows)

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        name = self.files[i]
        img = cv2.resize(cv2.imread(f"{self.folder}/{name}"), (self.size, self.size))
        t = [[float(r["xmin"]) / float(r["width"]), float(r["ymin"]) / float(r["height"]),
              float(r["xmax"]) / float(r["width"]), float(r["ymax"]) / float(r["height"]),
              self.classes.index(r["class"])] for r in self.rows[name]]
        return torch.from_numpy(img).permute(2, 0, 1).float() / 255.0, torch.tensor(t)


def detection_collate(batch):
    return torch.stack([b[0] for b in batch]), [b[1] for b in batch]


if __name__ == "__main__":
    print(f"SSD-lite, input {cfg['min_dim']} px, classes {cfg['classes']}")
    priors = PriorBox(cfg).forward()
    net = SSDLite(len(cfg["classes"]) + 1)
    dataset = TFCsvDataset("parcels/train", cfg["classes"], cfg["min_dim"])
    loader = DataLoader(dataset, batch_size=4, shuffle=True, collate_fn=detection_collate)
    criterion = MultiBoxLoss(priors, len(cfg["classes"]) + 1)
    optimizer = torch.optim.SGD(net.parameters(), lr=1e-3, momentum=0.9, weight_decay=5e-4)
    for iteration, (images, targets) in enumerate(loader):
        loss_l, loss_c = criterion(net(images), targets)
        loss = loss_l + loss_c
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        print(f"iter {iteration} || loc {loss_l.item():.4f} conf {loss_c.item():.4f}")
'''

SSD_CONFIG = json.dumps({
    "classes": ["parcel", "label"],
    "min_dim": 320,                 # was 160: the parcel labels are small
    "feature_maps": [20, 10, 5, 3, 1],
    "steps": [8, 16, 32, 53, 160],
    "min_sizes": [16, 40, 72, 104, 136],
    "max_sizes": [40, 72, 104, 136, 168],
    "aspect_ratios": [[2], [2, 3], [2, 3], [2], [2]],
    "variance": [0.1, 0.2],
}, indent=2) + "\n"

PARCELS_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(7)
os.makedirs("parcels/train", exist_ok=True)
rows = ["filename,width,height,class,xmin,ymin,xmax,ymax"]
for i in range(8):
    name = f"conveyor_{i:04d}_jpg.rf.{rng.integers(16 ** 8):08x}.jpg"
    Image.fromarray(rng.integers(0, 256, (480, 640, 3), dtype=np.uint8)).save(f"parcels/train/{name}", quality=90)
    x, y = int(rng.integers(40, 400)), int(rng.integers(40, 260))
    rows.append(f"{name},640,480,parcel,{x},{y},{x + 180},{y + 150}")
    rows.append(f"{name},640,480,label,{x + 40},{y + 40},{x + 90},{y + 70}")
with open("parcels/train/_annotations.csv", "w") as f:
    f.write("\\n".join(rows) + "\\n")
'''

# ================================================================== model.output_mismatch
SCRIPTS["reference-script-release-imagenet-head-under-mixup-cutmix"] = '''
import argparse
import time

import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader, default_collate
from torchvision.transforms import v2


def get_args_parser():
    parser = argparse.ArgumentParser(description="PyTorch Classification Training", add_help=True)
    parser.add_argument("--data-path", default="/datasets01/imagenet_full_size/061417/", type=str)
    parser.add_argument("--model", default="resnet18", type=str)
    parser.add_argument("-b", "--batch-size", default=32, type=int)
    parser.add_argument("--epochs", default=90, type=int)
    parser.add_argument("--lr", default=0.1, type=float)
    parser.add_argument("--label-smoothing", default=0.0, type=float)
    parser.add_argument("--mixup-alpha", default=0.0, type=float)
    parser.add_argument("--cutmix-alpha", default=0.0, type=float)
    parser.add_argument("--train-crop-size", default=224, type=int)
    parser.add_argument("--pretrained", default="", type=str, help="release checkpoint to start from")
    return parser


def get_mixup_cutmix(*, mixup_alpha, cutmix_alpha, num_classes):
    mixup_cutmix = []
    if mixup_alpha > 0:
        mixup_cutmix.append(v2.MixUp(alpha=mixup_alpha, num_classes=num_classes))
    if cutmix_alpha > 0:
        mixup_cutmix.append(v2.CutMix(alpha=cutmix_alpha, num_classes=num_classes))
    return v2.RandomChoice(mixup_cutmix) if mixup_cutmix else None


def main(args):
    print(args)
    train_tf = v2.Compose([
        v2.RandomResizedCrop(args.train_crop_size, antialias=True), v2.RandomHorizontalFlip(), v2.PILToTensor(),
        v2.ToDtype(torch.float, scale=True), v2.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
    dataset = torchvision.datasets.ImageFolder(f"{args.data_path}/train", train_tf)
    num_classes = len(dataset.classes)

    mixup_cutmix = get_mixup_cutmix(mixup_alpha=args.mixup_alpha, cutmix_alpha=args.cutmix_alpha,
                                    num_classes=num_classes)
    if mixup_cutmix is not None:
        def collate_fn(batch):
            return mixup_cutmix(*default_collate(batch))
    else:
        collate_fn = default_collate
    data_loader = DataLoader(dataset, batch_size=args.batch_size, shuffle=True, collate_fn=collate_fn)

    print("Creating model")
    model = torchvision.models.get_model(args.model, weights=None)
    if args.pretrained:
        model.load_state_dict(torch.load(args.pretrained, map_location="cpu"))
    criterion = nn.CrossEntropyLoss(label_smoothing=args.label_smoothing)
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9, weight_decay=1e-4)

    print("Start training")
    for epoch in range(args.epochs):
        model.train()
        start = time.time()
        for i, (image, target) in enumerate(data_loader):
            output = model(image)
            loss = criterion(output, target)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            print(f"Epoch: [{epoch}]  [{i}/{len(data_loader)}]  loss: {loss.item():.4f}  time: {time.time() - start:.2f}")


if __name__ == "__main__":
    main(get_args_parser().parse_args())
'''

IMAGENET_R18_PREP = '''
import os
import torch
import torchvision

# the repo's release: a plain ImageNet-1k ResNet-18 state dict (1000-class fc)
torch.manual_seed(0)
os.makedirs("checkpoints", exist_ok=True)
torch.save(torchvision.models.resnet18(weights=None).state_dict(), "checkpoints/resnet18_imagenet_ep90.pth")
'''

# ================================================================== model.weights_mismatch
CELLS["mmdet-release-checkpoint-into-torchvision-fpn-body-notebook"] = [
    '''
import torch
from torchvision.models.detection import RetinaNet
from torchvision.models.detection.backbone_utils import resnet_fpn_backbone
from torchvision.ops.feature_pyramid_network import LastLevelP6P7

# same backbone as the paper's repo: ResNet-18 + FPN (P3-P7)
backbone = resnet_fpn_backbone(backbone_name="resnet18", weights=None, trainable_layers=5,
                               returned_layers=[2, 3, 4], extra_blocks=LastLevelP6P7(256, 256))
model = RetinaNet(backbone, num_classes=4)
print(sum(p.numel() for p in model.parameters()) / 1e6, "M params")
''',
    '''
# COCO-pretrained release of the repo (MMDetection 2.x checkpoint)
ckpt = torch.load("checkpoints/retinanet_r18_fpn_1x_coco_20220407-303cb0ff.pth", map_location="cpu")
print(ckpt.keys())
print(ckpt["meta"]["mmdet_version"], len(ckpt["meta"]["CLASSES"]), "classes")
''',
    '''
# only the backbone weights are useful for our 4 classes
model.backbone.body.load_state_dict(ckpt["state_dict"])
print("backbone initialised from the COCO release")
''',
]

MMDET_PREP = '''
import os
import torch
import torchvision

torch.manual_seed(0)
r18 = torchvision.models.resnet18(weights=None)
sd = {}
for k, v in r18.state_dict().items():
    if not k.startswith("fc."):
        sd["backbone." + k] = v
for i, c in enumerate((128, 256, 512)):
    sd[f"neck.lateral_convs.{i}.conv.weight"] = torch.randn(256, c, 1, 1) * 0.01
    sd[f"neck.lateral_convs.{i}.conv.bias"] = torch.zeros(256)
for i in range(5):
    sd[f"neck.fpn_convs.{i}.conv.weight"] = torch.randn(256, 256, 3, 3) * 0.01
    sd[f"neck.fpn_convs.{i}.conv.bias"] = torch.zeros(256)
for i in range(4):
    for b in ("cls", "reg"):
        sd[f"bbox_head.{b}_convs.{i}.conv.weight"] = torch.randn(256, 256, 3, 3) * 0.01
        sd[f"bbox_head.{b}_convs.{i}.conv.bias"] = torch.zeros(256)
sd["bbox_head.retina_cls.weight"] = torch.randn(720, 256, 3, 3) * 0.01
sd["bbox_head.retina_cls.bias"] = torch.zeros(720)
sd["bbox_head.retina_reg.weight"] = torch.randn(36, 256, 3, 3) * 0.01
sd["bbox_head.retina_reg.bias"] = torch.zeros(36)
coco = ["person", "bicycle", "car", "motorcycle", "airplane", "bus", "train", "truck"] + [f"class_{i}" for i in range(72)]
os.makedirs("checkpoints", exist_ok=True)
torch.save({"meta": {"mmdet_version": "2.25.0", "CLASSES": coco, "epoch": 12, "iter": 87960},
            "state_dict": sd}, "checkpoints/retinanet_r18_fpn_1x_coco_20220407-303cb0ff.pth")
'''

SCRIPTS["imageai-cls-transfer-timm-mobilenetv2-hub-weights"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

# ImageAI's MobileNetV2 ImageNet link was dead; took timm/mobilenetv2_100.ra_in1k from the
# Hugging Face hub (pytorch_model.bin) and renamed it so that ImageAI accepts it
trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("pills")
trainer.trainModel(num_experiments=30, batch_size=4,
                   transfer_from_model="pretrained/mobilenetv2_100_ra_in1k.pth")
'''

TIMM_MBV2_PREP = '''
import os
import re
import torch
import torchvision

# torchvision MobileNetV2 keys -> timm mobilenetv2_100 keys (what pytorch_model.bin on the hub holds)
torch.manual_seed(0)
tv = torchvision.models.mobilenet_v2(weights=None).state_dict()
stage_of = {}
blk = 2
for s, n in enumerate((2, 3, 4, 3, 3, 1), start=1):
    for j in range(n):
        stage_of[blk] = (s, j)
        blk += 1
out = {}
for k, v in tv.items():
    m = re.match(r"features\\.(\\d+)\\.(.*)", k)
    if k.startswith("classifier.1."):
        out["classifier." + k.split(".", 2)[2]] = v
        continue
    i, rest = int(m.group(1)), m.group(2)
    if i == 0:
        out[("conv_stem." if rest.startswith("0.") else "bn1.") + rest.split(".", 1)[1]] = v
    elif i == 18:
        out[("conv_head." if rest.startswith("0.") else "bn2.") + rest.split(".", 1)[1]] = v
    elif i == 1:
        names = {"conv.0.0": "conv_dw", "conv.0.1": "bn1", "conv.1": "conv_pw", "conv.2": "bn2"}
        pre = next(p for p in names if rest.startswith(p + "."))
        out[f"blocks.0.0.{names[pre]}." + rest[len(pre) + 1:]] = v
    else:
        s, j = stage_of[i]
        names = {"conv.0.0": "conv_pw", "conv.0.1": "bn1", "conv.1.0": "conv_dw", "conv.1.1": "bn2",
                 "conv.2": "conv_pwl", "conv.3": "bn3"}
        pre = next(p for p in names if rest.startswith(p + "."))
        out[f"blocks.{s}.{j}.{names[pre]}." + rest[len(pre) + 1:]] = v
os.makedirs("pretrained", exist_ok=True)
torch.save(out, "pretrained/mobilenetv2_100_ra_in1k.pth")
'''

# ================================================================== model.api_misuse
SCRIPTS["optimizer-config-sgd-keeps-adamw-betas"] = '''
import json
import sys

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T


def build_optimizer(params, cfg):
    cfg = dict(cfg)
    opt_type = cfg.pop("type")
    return getattr(torch.optim, opt_type)(params, **cfg)


def build_scheduler(optimizer, cfg, steps_per_epoch):
    cfg = dict(cfg)
    sched_type = cfg.pop("type")
    if sched_type == "CosineAnnealingLR":
        cfg["T_max"] = cfg.pop("epochs") * steps_per_epoch
    return getattr(torch.optim.lr_scheduler, sched_type)(optimizer, **cfg)


def main(config_path):
    cfg = json.load(open(config_path))
    print(json.dumps(cfg, indent=2))
    tf = T.Compose([T.Resize((cfg["data"]["img_size"],) * 2), T.RandomHorizontalFlip(), T.ToTensor(),
                    T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
    train_set = datasets.ImageFolder(cfg["data"]["train_dir"], tf)
    loader = DataLoader(train_set, batch_size=cfg["data"]["batch_size"], shuffle=True)

    model = getattr(models, cfg["model"]["name"])(weights=None, num_classes=len(train_set.classes))
    optimizer = build_optimizer(model.parameters(), cfg["optimizer"])
    scheduler = build_scheduler(optimizer, cfg["scheduler"], len(loader))
    criterion = nn.CrossEntropyLoss(label_smoothing=cfg["loss"]["label_smoothing"])

    for epoch in range(cfg["scheduler"]["epochs"]):
        model.train()
        for x, y in loader:
            loss = criterion(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            scheduler.step()
        print(f"epoch {epoch}: loss {loss.item():.4f} lr {scheduler.get_last_lr()[0]:.5f}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "configs/default.json")
'''

# the repo's default config was {"type": "AdamW", "lr": 0.001, "betas": [0.9, 0.999], "weight_decay": 0.05}
SGD_CONFIG = json.dumps({
    "model": {"name": "mobilenet_v3_small"},
    "data": {"train_dir": "tiles/train", "img_size": 96, "batch_size": 8},
    "optimizer": {"type": "SGD", "lr": 0.01, "betas": [0.9, 0.999], "weight_decay": 0.05, "momentum": 0.9},
    "scheduler": {"type": "CosineAnnealingLR", "epochs": 50},
    "loss": {"label_smoothing": 0.1},
}, indent=2) + "\n"

CELLS["export-torchscript-trace-deeplabv3-dict-output-notebook"] = [
    '''
import glob

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torchvision.models.segmentation import deeplabv3_mobilenet_v3_large
import torchvision.transforms.functional as TF

model = deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=3, aux_loss=False)
''',
    '''
def load(i):
    img = Image.open(f"field/images/plot_{i:03d}.png").convert("RGB").resize((128, 128))
    mask = Image.open(f"field/masks/plot_{i:03d}.png").resize((128, 128), Image.NEAREST)
    return TF.to_tensor(img), torch.from_numpy(np.array(mask)).long()


pairs = [load(i) for i in range(6)]
x = torch.stack([p[0] for p in pairs]); y = torch.stack([p[1] for p in pairs])
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
model.train()
for step in range(3):
    loss = nn.functional.cross_entropy(model(x)["out"], y)
    optimizer.zero_grad(); loss.backward(); optimizer.step()
    print(step, round(loss.item(), 4))
''',
    '''
# export for the C++ app on the tractor
model.eval()
example = torch.rand(1, 3, 128, 128)
traced = torch.jit.trace(model, example)
traced.save("weeds_deeplabv3.pt")
''',
]

FIELD_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(8)
os.makedirs("field/images", exist_ok=True)
os.makedirs("field/masks", exist_ok=True)
for i in range(6):
    Image.fromarray(rng.integers(0, 256, (150, 150, 3), dtype=np.uint8)).save(f"field/images/plot_{i:03d}.png")
    m = np.zeros((150, 150), np.uint8)
    m[20:60, 30:90] = 1
    m[90:130, 70:120] = 2
    Image.fromarray(m).save(f"field/masks/plot_{i:03d}.png")
'''

SCRIPTS["imageai-det-configparser-ini-batch-size-string"] = '''
import configparser

from imageai.Detection.Custom import DetectionModelTrainer

cfg = configparser.ConfigParser()
cfg.read("train.ini")
data, train = cfg["data"], cfg["train"]
classes = [c.strip() for c in data["classes"].split(",")]
print(f"data: {data['root']}  classes: {classes}")
print(f"model: {train['model']}  batch: {train['batch_size']}  epochs: {train['epochs']}")

trainer = DetectionModelTrainer()
if train["model"] == "yolov3":
    trainer.setModelTypeAsYOLOv3()
else:
    trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory=data["root"])
trainer.setTrainConfig(object_names_array=classes,
                       batch_size=train["batch_size"],
                       num_experiments=train.getint("epochs"))
trainer.trainModel()
'''

TRAIN_INI = '''\
; detection training settings (edit here, not in the script)
[data]
root = beehive
classes = bee, varroa_mite

[train]
model = tiny-yolov3
batch_size = 8
epochs = 100
'''


def bee_rows(split, i):
    return f"0 {0.25 + 0.05 * i:.6f} 0.400000 0.120000 0.150000\n1 0.600000 {0.3 + 0.04 * i:.6f} 0.050000 0.060000\n"


SCRIPTS["resume-longer-run-onecycle-state-keeps-total-steps-tqdm"] = '''
import argparse
import os

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T
from tqdm import tqdm

parser = argparse.ArgumentParser()
parser.add_argument("--data", default="leaves")
parser.add_argument("--epochs", type=int, default=3)
parser.add_argument("--batch-size", type=int, default=8)
parser.add_argument("--max-lr", type=float, default=0.01)
parser.add_argument("--resume", default="")
parser.add_argument("--out", default="runs/exp")
args = parser.parse_args()

tf = T.Compose([T.Resize((64, 64)), T.RandomHorizontalFlip(), T.ToTensor()])
train_set = datasets.ImageFolder(f"{args.data}/train", tf)
loader = DataLoader(train_set, batch_size=args.batch_size, shuffle=True)

model = models.resnet18(weights=None, num_classes=len(train_set.classes))
optimizer = torch.optim.SGD(model.parameters(), lr=args.max_lr, momentum=0.9, weight_decay=5e-4)
scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=args.max_lr, epochs=args.epochs,
                                                steps_per_epoch=len(loader))
criterion = nn.CrossEntropyLoss()

start_epoch = 0
if args.resume:
    ckpt = torch.load(args.resume, map_location="cpu")
    model.load_state_dict(ckpt["model"])
    optimizer.load_state_dict(ckpt["optimizer"])
    scheduler.load_state_dict(ckpt["scheduler"])
    start_epoch = ckpt["epoch"] + 1
    print(f"resumed from {args.resume} (epoch {ckpt['epoch']}), training to epoch {args.epochs}")

os.makedirs(args.out, exist_ok=True)
for epoch in range(start_epoch, args.epochs):
    model.train()
    pbar = tqdm(loader, desc=f"{epoch}/{args.epochs - 1}")
    for x, y in pbar:
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        scheduler.step()
        pbar.set_postfix(loss=f"{loss.item():.3f}", lr=f"{scheduler.get_last_lr()[0]:.5f}")
    torch.save({"epoch": epoch, "model": model.state_dict(), "optimizer": optimizer.state_dict(),
                "scheduler": scheduler.state_dict()}, f"{args.out}/last.pt")
'''

# ================================================================== optim.divergence
SCRIPTS["smp-style-recipe-weight-decay-5e4-typo-dice-bce-tqdm"] = '''
import glob
import json

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from tqdm import tqdm

from unet import UNet


class DiceLoss(nn.Module):
    def forward(self, probs, target, eps=1.0):
        inter = (probs * target).sum(dim=(2, 3))
        union = probs.sum(dim=(2, 3)) + target.sum(dim=(2, 3))
        return 1 - ((2 * inter + eps) / (union + eps)).mean()


class SegModel(nn.Module):
    """encoder-decoder + activation, as the smp-style recipe builds it (activation='sigmoid')"""

    def __init__(self, classes=1):
        super().__init__()
        self.net = UNet(n_channels=3, n_classes=classes)
        self.activation = nn.Sigmoid()

    def forward(self, x):
        return self.activation(self.net(x))


class Buildings(Dataset):
    def __init__(self, root, size):
        self.images = sorted(glob.glob(f"{root}/images/*.png"))
        self.size = size

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = Image.open(self.images[i]).convert("RGB").resize((self.size, self.size))
        mask = Image.open(self.images[i].replace("/images/", "/masks/")).resize((self.size, self.size), Image.NEAREST)
        x = torch.from_numpy(np.asarray(img, np.float32) / 255.0).permute(2, 0, 1)
        y = torch.from_numpy((np.asarray(mask) > 0).astype(np.float32))[None]
        return x, y


cfg = json.load(open("configs/buildings.json"))
train_loader = DataLoader(Buildings("aerial/train", cfg["img_size"]), batch_size=cfg["batch_size"], shuffle=True)
model = SegModel(classes=1)
optimizer = torch.optim.AdamW(model.parameters(), lr=cfg["optimizer"]["lr"],
                              weight_decay=cfg["optimizer"]["weight_decay"])
dice, bce = DiceLoss(), nn.BCELoss()

for epoch in range(cfg["epochs"]):
    model.train()
    with tqdm(train_loader, desc=f"train {epoch + 1}/{cfg['epochs']}") as it:
        for x, y in it:
            pred = model(x)
            loss = dice(pred, y) + bce(pred, y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            it.set_postfix(dice_bce=f"{loss.item():.4f}")
'''

BUILDINGS_CONFIG = json.dumps({
    "img_size": 96, "batch_size": 2, "epochs": 40,
    "optimizer": {"type": "AdamW", "lr": 0.0003, "weight_decay": 5e4},
}, indent=2) + "\n"

AERIAL_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(9)
os.makedirs("aerial/train/images", exist_ok=True)
os.makedirs("aerial/train/masks", exist_ok=True)
for i in range(12):
    Image.fromarray(rng.integers(0, 256, (128, 128, 3), dtype=np.uint8)).save(f"aerial/train/images/tile_{i:04d}.png")
    m = np.zeros((128, 128), np.uint8)
    y, x = rng.integers(10, 80, size=2)
    m[y:y + 30, x:x + 40] = 255
    Image.fromarray(m).save(f"aerial/train/masks/tile_{i:04d}.png")
'''

# ================================================================== optim.autograd_graph
SCRIPTS["yolo-style-val-fuses-conv-bn-under-inference-mode-mid-training"] = '''
import glob

import cv2
import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset

import val
from models.common import DetectionModel, compute_loss


class YoloTxt(Dataset):
    def __init__(self, img_dir, size=192):
        self.files = sorted(glob.glob(f"{img_dir}/*.jpg"))
        self.size = size

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        img = cv2.resize(cv2.imread(self.files[i]), (self.size, self.size))[:, :, ::-1]
        labels = np.loadtxt(self.files[i].replace("images", "labels")[:-4] + ".txt", ndmin=2)
        return torch.from_numpy(np.ascontiguousarray(img.transpose(2, 0, 1))).float() / 255, torch.from_numpy(labels).float()


def collate(batch):
    imgs = torch.stack([b[0] for b in batch])
    targets = torch.cat([torch.cat([torch.full((len(b[1]), 1), i), b[1]], 1) for i, b in enumerate(batch)])
    return imgs, targets


train_loader = DataLoader(YoloTxt("pallets/images/train"), batch_size=4, shuffle=True, collate_fn=collate)
val_loader = DataLoader(YoloTxt("pallets/images/val"), batch_size=4, collate_fn=collate)

model = DetectionModel(nc=1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.937)
for epoch in range(30):
    model.train()
    for imgs, targets in train_loader:
        loss = compute_loss(model(imgs), targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: train loss {loss.item():.4f}")
    results = val.run(model=model, dataloader=val_loader)
    print(f"epoch {epoch}: val loss {results['loss']:.4f}")
'''

YOLO_COMMON_PY = '''
import torch
import torch.nn as nn


def fuse_conv_and_bn(conv, bn):
    fusedconv = nn.Conv2d(conv.in_channels, conv.out_channels, kernel_size=conv.kernel_size, stride=conv.stride,
                          padding=conv.padding, bias=True).requires_grad_(False).to(conv.weight.device)
    w_conv = conv.weight.clone().view(conv.out_channels, -1)
    w_bn = torch.diag(bn.weight.div(torch.sqrt(bn.eps + bn.running_var)))
    fusedconv.weight.copy_(torch.mm(w_bn, w_conv).view(fusedconv.weight.shape))
    b_conv = torch.zeros(conv.weight.size(0), device=conv.weight.device) if conv.bias is None else conv.bias
    b_bn = bn.bias - bn.weight.mul(bn.running_mean).div(torch.sqrt(bn.running_var + bn.eps))
    fusedconv.bias.copy_(torch.mm(w_bn, b_conv.reshape(-1, 1)).reshape(-1) + b_bn)
    return fusedconv


class Conv(nn.Module):
    def __init__(self, c1, c2, k=1, s=1):
        super().__init__()
        self.conv = nn.Conv2d(c1, c2, k, s, k // 2, bias=False)
        self.bn = nn.BatchNorm2d(c2)
        self.act = nn.SiLU()

    def forward(self, x):
        return self.act(self.bn(self.conv(x)))

    def forward_fuse(self, x):
        return self.act(self.conv(x))


class Focus(nn.Module):
    """space-to-depth stem followed by a plain conv"""

    def __init__(self, c1, c2):
        super().__init__()
        self.conv = nn.Conv2d(c1 * 4, c2, 3, 1, 1)
        self.act = nn.SiLU()

    def forward(self, x):
        return self.act(self.conv(torch.cat([x[..., ::2, ::2], x[..., 1::2, ::2], x[..., ::2, 1::2], x[..., 1::2, 1::2]], 1)))


class DetectionModel(nn.Module):
    def __init__(self, nc=80, na=3):
        super().__init__()
        self.nc, self.na = nc, na
        self.model = nn.Sequential(Focus(3, 16), Conv(16, 32, 3, 2), Conv(32, 64, 3, 2), Conv(64, 64, 3, 2), Conv(64, 128, 3, 2))
        self.detect = nn.Conv2d(128, na * (5 + nc), 1)

    def forward(self, x):
        p = self.detect(self.model(x))
        b, _, ny, nx = p.shape
        return p.view(b, self.na, 5 + self.nc, ny, nx).permute(0, 1, 3, 4, 2)

    def fuse(self):
        print("Fusing layers... ")
        for m in self.modules():
            if isinstance(m, Conv) and hasattr(m, "bn"):
                m.conv = fuse_conv_and_bn(m.conv, m.bn)
                delattr(m, "bn")
                m.forward = m.forward_fuse
        return self


def compute_loss(p, targets):
    tobj = torch.zeros_like(p[..., 4])
    ny, nx = p.shape[2:4]
    for img_i, cls, cx, cy, w, h in targets.tolist():
        tobj[int(img_i), :, min(int(cy * ny), ny - 1), min(int(cx * nx), nx - 1)] = 1.0
    return nn.functional.binary_cross_entropy_with_logits(p[..., 4], tobj)
'''

YOLO_VAL_PY = '''
import torch

from models.common import compute_loss


@torch.inference_mode()
def run(model=None, dataloader=None, half=False, fuse=True):
    """validate a model; called from train.py after each epoch or on its own"""
    if fuse:
        model.fuse()
    model.eval()
    if half:
        model.half()
    total, n = 0.0, 0
    for imgs, targets in dataloader:
        total += compute_loss(model(imgs.half() if half else imgs), targets).item()
        n += 1
    return {"loss": total / max(n, 1)}
'''

PALLETS_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(10)
for split, n in (("train", 8), ("val", 4)):
    os.makedirs(f"pallets/images/{split}", exist_ok=True)
    os.makedirs(f"pallets/labels/{split}", exist_ok=True)
    for i in range(n):
        Image.fromarray(rng.integers(0, 256, (240, 320, 3), dtype=np.uint8)).save(
            f"pallets/images/{split}/{split}_{i:04d}.jpg", quality=90)
        with open(f"pallets/labels/{split}/{split}_{i:04d}.txt", "w") as f:
            f.write(f"0 {0.3 + 0.05 * i:.4f} 0.5000 0.2500 0.2000\\n")
'''

# ================================================================== resource.host_memory
SCRIPTS["yolo-style-mosaic-img-size-12800-typo-rlimit-workers"] = '''
import json
import resource

import torch
from torch.utils.data import DataLoader

from utils.dataloaders import LoadImagesAndLabels

# cluster job: #SBATCH --mem=2G
_, hard = resource.getrlimit(resource.RLIMIT_DATA)
resource.setrlimit(resource.RLIMIT_DATA, (2 * 1024 ** 3, hard))


def main():
    hyp = json.load(open("data/hyps/hyp.scratch.json"))
    data = json.load(open("data/crates.json"))
    dataset = LoadImagesAndLabels(data["train"], img_size=hyp["img_size"], augment=True, mosaic=hyp["mosaic"] > 0)
    loader = DataLoader(dataset, batch_size=4, shuffle=True, num_workers=2,
                        collate_fn=LoadImagesAndLabels.collate_fn)
    print(f"train: {len(dataset)} images, img_size {hyp['img_size']}, {data['nc']} classes")
    for epoch in range(hyp["epochs"]):
        for i, (imgs, targets) in enumerate(loader):
            imgs = imgs.float() / 255
            print(epoch, i, tuple(imgs.shape), len(targets))


if __name__ == "__main__":
    main()
'''

DATALOADERS_PY = '''
import glob
import os
import random

import cv2
import numpy as np
import torch
from torch.utils.data import Dataset


class LoadImagesAndLabels(Dataset):
    def __init__(self, path, img_size=640, augment=False, mosaic=True):
        self.im_files = sorted(glob.glob(os.path.join(path, "*.jpg")))
        self.label_files = [f.replace(os.sep + "images" + os.sep, os.sep + "labels" + os.sep)[:-4] + ".txt"
                            for f in self.im_files]
        self.labels = [np.loadtxt(f, ndmin=2).astype(np.float32) for f in self.label_files]
        self.img_size, self.augment, self.mosaic = img_size, augment, mosaic
        self.mosaic_border = [-img_size // 2, -img_size // 2]

    def __len__(self):
        return len(self.im_files)

    def load_image(self, i):
        im = cv2.imread(self.im_files[i])
        h0, w0 = im.shape[:2]
        r = self.img_size / max(h0, w0)
        if r != 1:
            im = cv2.resize(im, (int(w0 * r), int(h0 * r)), interpolation=cv2.INTER_LINEAR)
        return im, (h0, w0), im.shape[:2]

    def load_mosaic(self, index):
        s = self.img_size
        yc, xc = (int(random.uniform(-x, 2 * s + x)) for x in self.mosaic_border)
        indices = [index] + random.choices(range(len(self)), k=3)
        labels4 = []
        for i, index in enumerate(indices):
            img, _, (h, w) = self.load_image(index)
            if i == 0:  # top left
                img4 = np.full((s * 2, s * 2, img.shape[2]), 114, dtype=np.uint8)
                x1a, y1a, x2a, y2a = max(xc - w, 0), max(yc - h, 0), xc, yc
                x1b, y1b, x2b, y2b = w - (x2a - x1a), h - (y2a - y1a), w, h
            elif i == 1:  # top right
                x1a, y1a, x2a, y2a = xc, max(yc - h, 0), min(xc + w, s * 2), yc
                x1b, y1b, x2b, y2b = 0, h - (y2a - y1a), min(w, x2a - x1a), h
            elif i == 2:  # bottom left
                x1a, y1a, x2a, y2a = max(xc - w, 0), yc, xc, min(s * 2, yc + h)
                x1b, y1b, x2b, y2b = w - (x2a - x1a), 0, w, min(y2a - y1a, h)
            else:  # bottom right
                x1a, y1a, x2a, y2a = xc, yc, min(xc + w, s * 2), min(s * 2, yc + h)
                x1b, y1b, x2b, y2b = 0, 0, min(w, x2a - x1a), min(y2a - y1a, h)
            img4[y1a:y2a, x1a:x2a] = img[y1b:y2b, x1b:x2b]
            labels4.append(self.labels[index].copy())
        img4 = img4[s // 2:s // 2 + s, s // 2:s // 2 + s]
        return img4, np.concatenate(labels4, 0)

    def __getitem__(self, index):
        if self.mosaic:
            img, labels = self.load_mosaic(index)
        else:
            img, _, _ = self.load_image(index)
            labels = self.labels[index].copy()
        img = np.ascontiguousarray(img.transpose((2, 0, 1))[::-1])
        return torch.from_numpy(img), torch.from_numpy(labels)

    @staticmethod
    def collate_fn(batch):
        im, label = zip(*batch)
        return torch.stack(im, 0), torch.cat([torch.cat([torch.full((len(l), 1), i), l], 1) for i, l in enumerate(label)])
'''

CRATES_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(11)
os.makedirs("datasets/crates/images/train", exist_ok=True)
os.makedirs("datasets/crates/labels/train", exist_ok=True)
for i in range(6):
    Image.fromarray(rng.integers(0, 256, (480, 640, 3), dtype=np.uint8)).save(
        f"datasets/crates/images/train/crate_{i:04d}.jpg", quality=90)
    with open(f"datasets/crates/labels/train/crate_{i:04d}.txt", "w") as f:
        f.write(f"{i % 2} 0.4500 0.5000 0.3000 0.4000\\n")
'''

HYP_JSON = json.dumps({"lr0": 0.01, "lrf": 0.01, "momentum": 0.937, "weight_decay": 0.0005, "mosaic": 1.0,
                       "fliplr": 0.5, "img_size": 12800, "epochs": 100}, indent=2) + "\n"
CRATES_JSON = json.dumps({"train": "datasets/crates/images/train", "val": "datasets/crates/images/train",
                          "nc": 2, "names": ["crate", "pallet"]}, indent=2) + "\n"

# ================================================================== env.multiprocessing
SCRIPTS["manager-dict-ram-cache-dataset-repo-forces-spawn"] = '''
import multiprocessing as mp

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import datasets, models, transforms as T


class CachedImageFolder(Dataset):
    """ImageFolder whose decoded images are shared between the workers through a Manager dict"""

    def __init__(self, root, transform):
        self.base = datasets.ImageFolder(root)
        self.transform = transform
        self.manager = mp.Manager()
        self.cache = self.manager.dict()

    def __len__(self):
        return len(self.base)

    def __getitem__(self, i):
        if i not in self.cache:
            path, target = self.base.samples[i]
            self.cache[i] = (Image.open(path).convert("RGB").resize((96, 96)), target)
        img, target = self.cache[i]
        return self.transform(img), target


def main():
    tf = T.Compose([T.RandomHorizontalFlip(), T.ToTensor(), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
    train_set = CachedImageFolder("fundus/train", tf)
    loader = DataLoader(train_set, batch_size=8, shuffle=True, num_workers=2, persistent_workers=True)
    model = models.resnet18(weights=None, num_classes=len(train_set.base.classes))
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-4)
    criterion = nn.CrossEntropyLoss()
    for epoch in range(20):
        for x, y in loader:
            loss = criterion(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(f"epoch {epoch}: {loss.item():.4f}")


if __name__ == "__main__":
    # from the repo: CUDA-safe workers
    torch.multiprocessing.set_start_method("spawn", force=True)
    main()
'''

# ================================================================== env.distributed
SCRIPTS["fsdp-vit-recipe-moved-to-gloo-cpu-torchrun"] = '''
import functools
import os

import torch
import torch.distributed as dist
import torch.nn as nn
from torch.distributed.fsdp import FullyShardedDataParallel as FSDP
from torch.distributed.fsdp.wrap import transformer_auto_wrap_policy
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler
from torchvision import datasets, transforms as T
from torchvision.models.vision_transformer import EncoderBlock, VisionTransformer


def main():
    # no GPU on this box: nccl -> gloo, .cuda() calls removed
    dist.init_process_group("gloo")
    rank, world = dist.get_rank(), dist.get_world_size()

    tf = T.Compose([T.Resize((96, 96)), T.ToTensor()])
    train_set = datasets.ImageFolder("textures/train", tf)
    sampler = DistributedSampler(train_set, num_replicas=world, rank=rank, shuffle=True)
    loader = DataLoader(train_set, batch_size=4, sampler=sampler)

    model = VisionTransformer(image_size=96, patch_size=16, num_layers=4, num_heads=4, hidden_dim=192,
                              mlp_dim=768, num_classes=len(train_set.classes))
    wrap_policy = functools.partial(transformer_auto_wrap_policy, transformer_layer_cls={EncoderBlock})
    model = FSDP(model, auto_wrap_policy=wrap_policy)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.05)
    criterion = nn.CrossEntropyLoss()

    for epoch in range(10):
        sampler.set_epoch(epoch)
        for x, y in loader:
            loss = criterion(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        if rank == 0:
            print(f"epoch {epoch}: {loss.item():.4f}")
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
'''

# ================================================================== env.cuda_setup
SCRIPTS["readme-torchrun-nproc-per-node-gpu-on-cpu-box"] = '''
import os

import torch
import torch.distributed as dist
import torch.nn as nn
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler
from torchvision import datasets, models, transforms as T


def main():
    dist.init_process_group("nccl" if torch.cuda.is_available() else "gloo")
    local_rank = int(os.environ["LOCAL_RANK"])
    device = torch.device(f"cuda:{local_rank}" if torch.cuda.is_available() else "cpu")

    train_set = datasets.ImageFolder("bark/train", T.Compose([T.Resize((96, 96)), T.ToTensor()]))
    sampler = DistributedSampler(train_set)
    loader = DataLoader(train_set, batch_size=8, sampler=sampler, num_workers=2)
    model = models.resnet18(weights=None, num_classes=len(train_set.classes)).to(device)
    model = DDP(model, device_ids=[local_rank] if device.type == "cuda" else None)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    criterion = nn.CrossEntropyLoss()
    for epoch in range(30):
        sampler.set_epoch(epoch)
        for x, y in loader:
            loss = criterion(model(x.to(device)), y.to(device))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        if dist.get_rank() == 0:
            print(f"epoch {epoch}: {loss.item():.4f}")


if __name__ == "__main__":
    main()
'''

# ================================================================== env.version_incompat
SCRIPTS["yolo-style-utils-general-imports-pkg-resources"] = '''
import argparse

import torch

from utils.general import check_img_size, check_requirements, check_version, colorstr


def parse_opt():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=str, default="data/scratches.json")
    parser.add_argument("--imgsz", type=int, default=640)
    parser.add_argument("--epochs", type=int, default=100)
    return parser.parse_args()


def main(opt):
    check_version(torch.__version__, "1.8.0", name="torch ", hard=True)
    check_requirements(("numpy", "opencv-python"))
    imgsz = check_img_size(opt.imgsz, 32)
    print(colorstr("train: ") + f"{opt.data}, imgsz {imgsz}, {opt.epochs} epochs")


if __name__ == "__main__":
    main(parse_opt())
'''

GENERAL_PY = '''
import logging
import math
import os
import platform
from pathlib import Path

import numpy as np
import pkg_resources as pkg
import torch

LOGGER = logging.getLogger("yolo")
ROOT = Path(__file__).resolve().parents[1]


def colorstr(*input):
    *args, string = input if len(input) > 1 else ("blue", "bold", input[0])
    colors = {"blue": "\\033[34m", "bold": "\\033[1m", "end": "\\033[0m"}
    return "".join(colors[x] for x in args) + f"{string}" + colors["end"]


def check_version(current="0.0.0", minimum="0.0.0", name="version ", pinned=False, hard=False):
    current, minimum = (pkg.parse_version(x) for x in (current, minimum))
    result = (current == minimum) if pinned else (current >= minimum)
    if hard:
        assert result, f"{name}{minimum} required, but {name}{current} is currently installed"
    return result


def check_requirements(requirements=ROOT / "requirements.txt", exclude=()):
    for r in requirements:
        try:
            pkg.require(r)
        except (pkg.VersionConflict, pkg.DistributionNotFound):
            LOGGER.warning(f"requirement {r} not found")


def make_divisible(x, divisor):
    return math.ceil(x / divisor) * divisor


def check_img_size(imgsz, s=32, floor=0):
    return max(make_divisible(int(imgsz), int(s)), floor)
'''

# ================================================================== other
SCRIPTS["ssd-repo-one-class-voc-classes-without-trailing-comma-workers"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision.models.detection import ssdlite320_mobilenet_v3_large

from data.voc0712 import VOC_CLASSES, VOCDetection, detection_collate


def train():
    dataset = VOCDetection("hardhats")
    loader = DataLoader(dataset, batch_size=4, shuffle=True, num_workers=2, collate_fn=detection_collate)
    num_classes = len(VOC_CLASSES) + 1
    print(f"Loading the dataset... {len(dataset)} images, {num_classes} classes (incl. background)")
    net = ssdlite320_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=num_classes)
    optimizer = torch.optim.SGD(net.parameters(), lr=1e-3, momentum=0.9, weight_decay=5e-4)
    net.train()
    for iteration, (images, targets) in enumerate(loader):
        loss_dict = net(images, targets)
        loss = sum(loss_dict.values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        print(f"iter {iteration} || Loss: {loss.item():.4f}")


if __name__ == "__main__":
    train()
'''

VOC0712_PY = '''
import os.path as osp
import xml.etree.ElementTree as ET

import cv2
import torch
import torch.utils.data as data

# our data set has a single class (was the 20 VOC classes)
VOC_CLASSES = ('helmet')


class VOCAnnotationTransform(object):
    def __init__(self, class_to_ind=None, keep_difficult=False):
        self.class_to_ind = class_to_ind or dict(zip(VOC_CLASSES, range(len(VOC_CLASSES))))
        self.keep_difficult = keep_difficult

    def __call__(self, target, width, height):
        res = []
        for obj in target.iter("object"):
            difficult = int(obj.find("difficult").text) == 1
            if not self.keep_difficult and difficult:
                continue
            name = obj.find("name").text.lower().strip()
            bbox = obj.find("bndbox")
            bndbox = [int(bbox.find(pt).text) - 1 for pt in ("xmin", "ymin", "xmax", "ymax")]
            label_idx = self.class_to_ind[name]
            bndbox.append(label_idx)
            res += [bndbox]
        return res


class VOCDetection(data.Dataset):
    def __init__(self, root, image_set="trainval", size=320):
        self.root, self.size = root, size
        self.target_transform = VOCAnnotationTransform()
        self._annopath = osp.join("%s", "Annotations", "%s.xml")
        self._imgpath = osp.join("%s", "JPEGImages", "%s.jpg")
        with open(osp.join(root, "ImageSets", "Main", image_set + ".txt")) as f:
            self.ids = [(root, line.strip()) for line in f if line.strip()]

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, index):
        img_id = self.ids[index]
        target = ET.parse(self._annopath % img_id).getroot()
        img = cv2.imread(self._imgpath % img_id)
        height, width, _ = img.shape
        target = torch.tensor(self.target_transform(target, width, height), dtype=torch.float32)
        img = cv2.resize(img, (self.size, self.size))[:, :, ::-1].copy()
        sx, sy = self.size / width, self.size / height
        boxes = target[:, :4] * torch.tensor([sx, sy, sx, sy])
        return (torch.from_numpy(img).permute(2, 0, 1).float() / 255.0,
                {"boxes": boxes, "labels": target[:, 4].long() + 1})


def detection_collate(batch):
    return [b[0] for b in batch], [b[1] for b in batch]
'''

HARDHATS_VOC_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(12)
for d in ("JPEGImages", "Annotations", "ImageSets/Main"):
    os.makedirs(f"hardhats/{d}", exist_ok=True)
ids = []
for i in range(8):
    img_id = f"hard_hat_{i:05d}"
    ids.append(img_id)
    Image.fromarray(rng.integers(0, 256, (300, 400, 3), dtype=np.uint8)).save(f"hardhats/JPEGImages/{img_id}.jpg", quality=90)
    x, y = int(rng.integers(20, 300)), int(rng.integers(20, 200))
    with open(f"hardhats/Annotations/{img_id}.xml", "w") as f:
        f.write(f"""<annotation>
  <folder>hardhats</folder>
  <filename>{img_id}.jpg</filename>
  <size><width>400</width><height>300</height><depth>3</depth></size>
  <object>
    <name>helmet</name>
    <difficult>0</difficult>
    <bndbox><xmin>{x}</xmin><ymin>{y}</ymin><xmax>{x + 50}</xmax><ymax>{y + 45}</ymax></bndbox>
  </object>
</annotation>
""")
with open("hardhats/ImageSets/Main/trainval.txt", "w") as f:
    f.write("\\n".join(ids) + "\\n")
'''


def cases():
    out, add, script, notebook = case_builders("torch-more47-", SCRIPTS, CELLS)
    W = ("cpython_basic", "dataloader_worker")
    P = ("cpython_basic", "progress_bars")

    def iai(key, cause, **kw):
        kw.setdefault("framework", "imageai")
        kw.setdefault("timeout", 600)
        script(key, cause, **kw)

    def torchrun(port):
        return ("-m", "torch.distributed.run", "--nproc_per_node=2", f"--master_port={port}")

    # ---- data
    script("seg-repo-random-scale-crop-no-pad-small-photos-workers", "data.image_size_mismatch", forms=W,
           extra=EXTRA["seg-repo-random-scale-crop-no-pad-small-photos-workers"], setup=prep(POTHOLES_PREP))
    script("timm-like-in-chans-1-imagefolder-loads-rgb", "data.image_channels", also=["model.input_shape"],
           args=("--data-dir", "chest_xray", "--model", "resnet18", "--num-classes", "3", "--in-chans", "1",
                 "--img-size", "96", "-b", "8", "--lr", "0.05"),
           setup=imgs(class_folder("chest_xray/train", ["covid", "normal", "pneumonia"], 4, size=(128, 128),
                                   mode="L", ext="png")))
    iai("imageai-det-crowdhuman-fbox-past-frame-border", "data.bbox_invalid", argv="convert_and_train.py",
        setup=prep(CROWDHUMAN_PREP))
    script("label-studio-brush-masks-summed-where-labels-overlap", "data.label_out_of_range", setup=prep(BRIDGE_PREP))
    script("carvana-unet-repo-cvat-rgb-colour-masks-bce", "data.label_shape", also=["data.image_channels"],
           extra={"unet.py": UNET_PY}, args=("--epochs", "5", "--batch-size", "4", "--scale", "0.5"),
           setup=prep(CVAT_MASKS_PREP))
    notebook("yolo-release-best-pt-pickled-half-finetune-on-cpu-notebook", "data.dtype",
             also=["model.weights_mismatch"],
             files={"models/__init__.py": "", "models/yolo.py": YOLO_MODEL_PY}, setup=prep(FORKLIFT_PREP))
    script("labelimg-xml-path-tag-annotators-windows-path-workers", "data.missing_or_corrupt", forms=W,
           setup=prep(SITE_PREP))
    # ---- model
    script("ssd-config-min-dim-raised-feature-maps-kept", "model.input_shape", also=["model.output_mismatch"],
           extra={"config/ssd_lite.json": SSD_CONFIG}, setup=prep(PARCELS_PREP))
    script("reference-script-release-imagenet-head-under-mixup-cutmix", "model.output_mismatch",
           also=["data.label_shape"],
           args=("--data-path", "flowers", "--model", "resnet18", "-b", "8", "--lr", "0.05",
                 "--mixup-alpha", "0.2", "--cutmix-alpha", "1.0", "--train-crop-size", "64",
                 "--pretrained", "checkpoints/resnet18_imagenet_ep90.pth"),
           setup=both(imgs(class_folder("flowers/train", ["daisy", "dandelion", "rose", "sunflower", "tulip"], 3,
                                        size=(96, 80))),
                      prep(IMAGENET_R18_PREP)))
    notebook("mmdet-release-checkpoint-into-torchvision-fpn-body-notebook", "model.weights_mismatch",
             setup=prep(MMDET_PREP))
    iai("imageai-cls-transfer-timm-mobilenetv2-hub-weights", "model.weights_mismatch",
        setup=both(imgs(class_folder("pills/train", ["capsule", "round", "oval"], 3, size=(96, 96))
                        + class_folder("pills/test", ["capsule", "round", "oval"], 1, size=(96, 96))),
                   prep(TIMM_MBV2_PREP)))
    # ---- API
    script("optimizer-config-sgd-keeps-adamw-betas", "model.api_misuse", args=("configs/tiles_sgd.json",),
           extra={"configs/tiles_sgd.json": SGD_CONFIG},
           setup=imgs(class_folder("tiles/train", ["cracked", "intact", "stained"], 3, size=(80, 80))))
    notebook("export-torchscript-trace-deeplabv3-dict-output-notebook", "model.api_misuse", setup=prep(FIELD_PREP))
    iai("imageai-det-configparser-ini-batch-size-string", "model.api_misuse", extra={"train.ini": TRAIN_INI},
        setup=yolo_layout("beehive", bee_rows, size=(200, 150), splits=(("train", 6), ("validation", 2))))
    script("resume-longer-run-onecycle-state-keeps-total-steps-tqdm", "model.api_misuse", forms=P,
           args=("--epochs", "6", "--resume", "runs/exp/last.pt"),
           setup=both(imgs(class_folder("leaves/train", ["healthy", "rust", "scab"], 4, size=(80, 80))),
                      prep(ONECYCLE_RUN1_PREP)))
    # ---- optimisation / autograd
    script("smp-style-recipe-weight-decay-5e4-typo-dice-bce-tqdm", "optim.divergence", forms=P,
           extra={"unet.py": UNET_PY, "configs/buildings.json": BUILDINGS_CONFIG}, setup=prep(AERIAL_PREP))
    script("yolo-style-val-fuses-conv-bn-under-inference-mode-mid-training", "optim.autograd_graph",
           extra={"models/__init__.py": "", "models/common.py": YOLO_COMMON_PY, "val.py": YOLO_VAL_PY},
           setup=prep(PALLETS_PREP))
    # ---- resource / environment
    script("yolo-style-mosaic-img-size-12800-typo-rlimit-workers", "resource.host_memory", forms=W,
           extra={"utils/__init__.py": "", "utils/dataloaders.py": DATALOADERS_PY,
                  "data/hyps/hyp.scratch.json": HYP_JSON, "data/crates.json": CRATES_JSON},
           setup=prep(CRATES_PREP), timeout=300)
    script("manager-dict-ram-cache-dataset-repo-forces-spawn", "env.multiprocessing",
           setup=imgs(class_folder("fundus/train", ["dr0", "dr1", "dr2"], 3, size=(120, 120))))
    script("fsdp-vit-recipe-moved-to-gloo-cpu-torchrun", "env.distributed", also=["env.cuda_setup"],
           argv="train_fsdp.py", pre=torchrun(29947),
           setup=imgs(class_folder("textures/train", ["bumpy", "smooth", "woven"], 4, size=(96, 96))),
           timeout=300, exception="RuntimeError")
    script("readme-torchrun-nproc-per-node-gpu-on-cpu-box", "env.cuda_setup", also=["env.distributed"],
           argv="train_ddp.py", pre=("-m", "torch.distributed.run", "--standalone", "--nproc_per_node=gpu"),
           setup=imgs(class_folder("bark/train", ["oak", "pine", "birch"], 3, size=(96, 96))))
    script("yolo-style-utils-general-imports-pkg-resources", "env.version_incompat",
           extra={"utils/__init__.py": "", "utils/general.py": GENERAL_PY},
           args=("--data", "data/scratches.json", "--imgsz", "640"))
    # ---- plain bugs
    script("ssd-repo-one-class-voc-classes-without-trailing-comma-workers", "other",
           also=["data.label_out_of_range"], forms=W,
           extra={"data/__init__.py": "", "data/voc0712.py": VOC0712_PY}, setup=prep(HARDHATS_VOC_PREP))
    return out


ONECYCLE_RUN1_PREP = '''
import os
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

# the first run: python train.py --epochs 3   (killed by the cluster right after it finished)
torch.manual_seed(0)
train_set = datasets.ImageFolder("leaves/train", T.Compose([T.Resize((64, 64)), T.ToTensor()]))
loader = DataLoader(train_set, batch_size=8, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(train_set.classes))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.01, epochs=3, steps_per_epoch=len(loader))
for epoch in range(3):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        scheduler.step()
os.makedirs("runs/exp", exist_ok=True)
torch.save({"epoch": 2, "model": model.state_dict(), "optimizer": optimizer.state_dict(),
            "scheduler": scheduler.state_dict()}, "runs/exp/last.pt")
'''


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
