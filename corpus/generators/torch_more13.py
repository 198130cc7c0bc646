"""A thirteenth held-out set of PyTorch / torchvision / ImageAI 3 failures, none
of them a repeat of the other generators' scenarios, following beginners end to
end through training image classifiers and detectors on their own data.

ImageFolder / DataLoader set-ups: RandomErasing placed before ToTensor,
ToPILImage in front of an ImageFolder pipeline (in workers), a float Resize size
in a notebook, an even GaussianBlur kernel, transforms assigned to the Subsets
of random_split, DatasetFolder over .npy spectrograms without ``extensions``,
AutoAugment after ToTensor, RandomApply given one transform, v2 BoundingBoxes
without ``canvas_size``.

torchvision detection: Mask R-CNN given Faster R-CNN targets (no masks), a
model left in eval mode after the first validation pass, YOLO-style ``[n, 5]``
label tensors given as targets, a collate padding boxes with -1, a collate
calling ``torch.tensor`` on ragged box lists (in workers), a Mask R-CNN eval
mask saved with PIL without dropping its channel (notebook), a Faster R-CNN v1
checkpoint loaded into the v2 builder.

ImageAI 3: ClassificationModelTrainer on a Kaggle zip extracted as
``train/train/<class>``, transfer weights never downloaded; ObjectDetection (COCO)
given a custom-trained model; CustomObjectDetection given the classifier's
weights, the ImageAI 2 config name, a ``cv2.imread`` None frame, a list for
``custom_objects``; CustomImageClassification given an image URL (notebook).

DataLoader workers: a module-level lambda transform and a module-level lambda
collate under spawn, a Dataset class defined inside ``main``, a
``cv2.VideoCapture`` and a ``threading.Lock`` held by the dataset, a global only
set under the ``__main__`` guard, ``persistent_workers`` / ``prefetch_factor``
with ``num_workers=0``, a ``worker_init_fn`` without the worker id, a dataset
returning tensors that require grad, per-object crop tensors running out of
file descriptors ("received 0 items of ancdata").

Memory on CPU (allocations refused at once, nothing really filled): a Linear
head sized for full-resolution photos, ``interpolate`` given the output size
as ``scale_factor``, a numpy one-hot over 16-bit instance ids (in workers), a
confusion matrix sized from image ids (notebook).

Every case is a small real program run on CPU with the torch venv (no GPU, no
downloads); the label is known by construction (what the program breaks).

    /work/venvs/torch/bin/python corpus/generators/torch_more13.py [-k filter] [--out DIR] [-j N]
"""

import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _record import run_cases, imgs, sub, class_folder, torch_python, case_builders  # noqa: E402
from _tfrecord import both, save_png  # noqa: E402

SRC = "corpus/generators/torch_more13.py"

SCRIPTS = {}
CELLS = {}


def run_py(code, name="_prep.py"):
    """a setup that runs `code` with the torch venv in the work dir (weights from an earlier run)"""
    def setup(work: Path):
        (work / name).write_text(code)
        subprocess.run([torch_python(), name], cwd=work, check=True, capture_output=True)
        (work / name).unlink()
    return setup


# ============================================================== ImageFolder / transforms

CLS_LOOP = '''
model = models.resnet18(weights=None, num_classes=len(train_ds.classes))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

for epoch in range(3):
    model.train()
    running = 0.0
    for images, labels in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
        running += loss.item()
    print(f"epoch {epoch + 1}: loss {running / len(train_loader):.4f}")
'''

SCRIPTS["imagefolder-random-erasing-before-totensor"] = '''
import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

torch.manual_seed(0)
train_tf = transforms.Compose([
    transforms.Resize((128, 128)),
    transforms.RandomHorizontalFlip(),
    transforms.RandomErasing(p=0.5, scale=(0.02, 0.2)),    # cutout, as in the paper
    transforms.ToTensor(),
    transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
])
train_ds = datasets.ImageFolder("data/plant_village/train", transform=train_tf)
train_loader = DataLoader(train_ds, batch_size=8, shuffle=True)
print(train_ds.class_to_idx)
''' + CLS_LOOP

SCRIPTS["imagefolder-topilimage-first-workers"] = '''
import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

# copied from the CIFAR notebook, where the dataset gave back numpy arrays
train_tf = transforms.Compose([
    transforms.ToPILImage(),
    transforms.Resize((96, 96)),
    transforms.RandomHorizontalFlip(),
    transforms.ToTensor(),
    transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5)),
])


def main():
    train_ds = datasets.ImageFolder("data/bees_wasps/train", transform=train_tf)
    train_loader = DataLoader(train_ds, batch_size=8, shuffle=True, num_workers=2)
    model = models.resnet18(weights=None, num_classes=len(train_ds.classes))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    for epoch in range(3):
        for images, labels in train_loader:
            loss = nn.functional.cross_entropy(model(images), labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(f"epoch {epoch + 1}: loss {loss.item():.4f}")


if __name__ == "__main__":
    main()
'''

CELLS["imagefolder-resize-float-size-notebook"] = [
    '''import torch
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

IMG_SIZE = 224
CROP_PCT = 0.875''',
    '''train_tf = transforms.Compose([
    transforms.Resize(IMG_SIZE / CROP_PCT),
    transforms.CenterCrop(IMG_SIZE),
    transforms.ToTensor(),
    transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
])''',
    '''train_ds = datasets.ImageFolder("data/dogs/train", transform=train_tf)
train_loader = DataLoader(train_ds, batch_size=4, shuffle=True)
images, labels = next(iter(train_loader))
images.shape''',
]

SCRIPTS["augment.py"] = '''
from torchvision import transforms

MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]


def build_train_transform(img_size=160, blur_kernel=4):
    """augmentations for blurry phone photos of skin lesions"""
    return transforms.Compose([
        transforms.RandomResizedCrop(img_size, scale=(0.7, 1.0)),
        transforms.RandomHorizontalFlip(),
        transforms.RandomApply([transforms.GaussianBlur(kernel_size=blur_kernel, sigma=(0.1, 2.0))], p=0.3),
        transforms.ToTensor(),
        transforms.Normalize(MEAN, STD),
    ])
'''

SCRIPTS["imagefolder-gaussian-blur-even-kernel"] = '''
import argparse

import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, models

from augment import build_train_transform

parser = argparse.ArgumentParser()
parser.add_argument("--img-size", type=int, default=160)
parser.add_argument("--blur", type=int, default=4)
args = parser.parse_args()

train_ds = datasets.ImageFolder("data/isic/train", transform=build_train_transform(args.img_size, args.blur))
train_loader = DataLoader(train_ds, batch_size=8, shuffle=True)
''' + CLS_LOOP

SCRIPTS["random-split-subset-transform-ignored"] = '''
import torch
from torch import nn
from torch.utils.data import DataLoader, random_split
from torchvision import datasets, models, transforms

train_tf = transforms.Compose([transforms.RandomResizedCrop(128), transforms.RandomHorizontalFlip(),
                               transforms.ToTensor()])
val_tf = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor()])

full = datasets.ImageFolder("data/flowers")
train_ds, val_ds = random_split(full, [0.8, 0.2], generator=torch.Generator().manual_seed(42))
train_ds.transform = train_tf
val_ds.transform = val_tf
train_ds.classes = full.classes
print(len(train_ds), "train /", len(val_ds), "val")

train_loader = DataLoader(train_ds, batch_size=8, shuffle=True)
val_loader = DataLoader(val_ds, batch_size=8)
''' + CLS_LOOP

SCRIPTS["datasetfolder-npy-without-extensions"] = '''
import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets


def load_spectrogram(path):
    return torch.from_numpy(np.load(path)).unsqueeze(0)


# one folder per bird species, mel spectrograms saved with np.save
train_ds = datasets.DatasetFolder("data/birdsong/train", loader=load_spectrogram)
train_loader = DataLoader(train_ds, batch_size=8, shuffle=True)

model = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                      nn.Linear(16, len(train_ds.classes)))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for x, y in train_loader:
    loss = nn.functional.cross_entropy(model(x), y)
    optimizer.zero_grad(); loss.backward(); optimizer.step()
'''


def npy_folders(root, classes, per):
    def setup(work: Path):
        import numpy as np
        rng = np.random.default_rng(0)
        for c in classes:
            d = work / root / c
            d.mkdir(parents=True, exist_ok=True)
            for i in range(per):
                np.save(d / f"{c}_{i:03d}.npy", rng.random((64, 128), dtype=np.float32))
    return setup


SCRIPTS["imagefolder-autoaugment-after-totensor-tqdm"] = '''
import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms
from tqdm import tqdm

torch.manual_seed(3)
train_tf = transforms.Compose([
    transforms.Resize((112, 112)),
    transforms.ToTensor(),
    transforms.AutoAugment(transforms.AutoAugmentPolicy.IMAGENET),
    transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
])
train_ds = datasets.ImageFolder("data/food/train", transform=train_tf)
train_loader = DataLoader(train_ds, batch_size=4, shuffle=True)

model = models.mobilenet_v3_small(weights=None, num_classes=len(train_ds.classes))
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
for epoch in range(5):
    for images, labels in tqdm(train_loader, desc=f"Epoch {epoch + 1}/5"):
        loss = nn.functional.cross_entropy(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
'''

SCRIPTS["simclr-random-apply-single-transform"] = '''
import torch
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms


class TwoViews:
    def __init__(self, tf):
        self.tf = tf

    def __call__(self, img):
        return self.tf(img), self.tf(img)


simclr_tf = transforms.Compose([
    transforms.RandomResizedCrop(96),
    transforms.RandomHorizontalFlip(),
    transforms.RandomApply(transforms.ColorJitter(0.4, 0.4, 0.4, 0.1), p=0.8),
    transforms.RandomGrayscale(p=0.2),
    transforms.ToTensor(),
])

ds = datasets.ImageFolder("data/unlabelled", transform=TwoViews(simclr_tf))
loader = DataLoader(ds, batch_size=8, shuffle=True, drop_last=True)
encoder = models.resnet18(weights=None, num_classes=128)


def nt_xent(z1, z2, t=0.5):
    z = torch.nn.functional.normalize(torch.cat([z1, z2]), dim=1)
    sim = z @ z.T / t
    sim.fill_diagonal_(-1e9)
    n = z1.shape[0]
    target = torch.cat([torch.arange(n, 2 * n), torch.arange(n)])
    return torch.nn.functional.cross_entropy(sim, target)


opt = torch.optim.Adam(encoder.parameters(), lr=3e-4)
for (x1, x2), _ in loader:
    loss = nt_xent(encoder(x1), encoder(x2))
    opt.zero_grad(); loss.backward(); opt.step()
    print(loss.item())
'''

SCRIPTS["v2-bounding-boxes-without-canvas-size"] = '''
import json

import torch
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import tv_tensors
from torchvision.transforms import v2


class Potholes(Dataset):
    def __init__(self, ann_file, transforms):
        self.items = json.load(open(ann_file))
        self.transforms = transforms

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        item = self.items[i]
        img = tv_tensors.Image(Image.open(item["file"]).convert("RGB"))
        boxes = tv_tensors.BoundingBoxes(item["boxes"], format="XYXY")
        target = {"boxes": boxes, "labels": torch.tensor(item["labels"], dtype=torch.int64)}
        return self.transforms(img, target)


tf = v2.Compose([v2.RandomHorizontalFlip(), v2.RandomPhotometricDistort(), v2.ToDtype(torch.float32, scale=True),
                 v2.SanitizeBoundingBoxes()])
ds = Potholes("data/potholes/annotations.json", tf)
loader = DataLoader(ds, batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
model = torchvision.models.detection.fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None,
                                                                            num_classes=2)
model.train()
for images, targets in loader:
    loss = sum(model(list(images), list(targets)).values())
    print(loss.item())
'''


def potholes(work: Path):
    import json
    specs, items = [], []
    for i in range(4):
        f = f"data/potholes/images/road_{i:02d}.jpg"
        specs.append((f, (160, 120), "RGB"))
        items.append({"file": f, "boxes": [[20 + i, 30, 80 + i, 90], [90, 20, 140, 60 + i]], "labels": [1, 1]})
    imgs(specs)(work)
    (work / "data/potholes/annotations.json").write_text(json.dumps(items, indent=1))


# ====================================================================== detection

DET_DS = '''
import json
import os

import torch
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.transforms import functional as TF

CLASSES = ["__background__", "crack", "spall"]


class Concrete(Dataset):
    """images/*.jpg + labels.json: {file: [[x1, y1, x2, y2, class_id], ...]}"""

    def __init__(self, root):
        self.root = root
        self.ann = json.load(open(os.path.join(root, "labels.json")))
        self.files = sorted(self.ann)

    def __len__(self):
        return len(self.files)

    def __getitem__(self, idx):
        img = Image.open(os.path.join(self.root, "images", self.files[idx])).convert("RGB")
        rows = torch.tensor(self.ann[self.files[idx]], dtype=torch.float32)
@@TARGET@@
'''

TARGET_DICT = '''        target = {"boxes": rows[:, :4], "labels": rows[:, 4].long(),
                  "image_id": idx, "area": (rows[:, 2] - rows[:, 0]) * (rows[:, 3] - rows[:, 1])}
        return TF.to_tensor(img), target
'''


def concrete(root="data/concrete", n=6, size=(160, 128), counts=None):
    def setup(work: Path):
        import json
        counts_ = counts or [1 + i % 3 for i in range(n)]
        specs, ann = [], {}
        for i in range(n):
            f = f"bridge_{i:03d}.jpg"
            specs.append((f"{root}/images/{f}", size, "RGB"))
            rows = []
            for k in range(counts_[i]):
                x, y = 10 + 30 * k, 12 + 20 * k + i
                rows.append([x, y, x + 40 + 3 * i, y + 30, 1 + (i + k) % 2])
            ann[f] = rows
        imgs(specs)(work)
        (work / root / "labels.json").write_text(json.dumps(ann, indent=1))
    return setup


SCRIPTS["maskrcnn-targets-without-masks"] = sub(DET_DS, TARGET=TARGET_DICT) + '''

def main():
    ds = Concrete("data/concrete")
    loader = DataLoader(ds, batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
    # switched from Faster R-CNN to Mask R-CNN to get the crack outlines as well
    model = torchvision.models.detection.maskrcnn_resnet50_fpn(weights=None, weights_backbone=None,
                                                               num_classes=len(CLASSES), min_size=128, max_size=160)
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.SGD(params, lr=0.005, momentum=0.9, weight_decay=0.0005)
    model.train()
    for epoch in range(2):
        for images, targets in loader:
            loss_dict = model(list(images), list(targets))
            losses = sum(loss for loss in loss_dict.values())
            optimizer.zero_grad()
            losses.backward()
            optimizer.step()
        print(f"epoch {epoch}: {losses.item():.3f}")


if __name__ == "__main__":
    main()
'''

SCRIPTS["frcnn-left-in-eval-after-validation-tqdm"] = sub(DET_DS, TARGET=TARGET_DICT) + '''
from tqdm import tqdm


def collate(batch):
    return tuple(zip(*batch))


def main():
    train_loader = DataLoader(Concrete("data/concrete"), batch_size=2, shuffle=True, collate_fn=collate)
    val_loader = DataLoader(Concrete("data/concrete_val"), batch_size=2, collate_fn=collate)
    model = torchvision.models.detection.fasterrcnn_mobilenet_v3_large_320_fpn(
        weights=None, weights_backbone=None, num_classes=len(CLASSES))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)

    model.train()
    for epoch in range(3):
        for images, targets in tqdm(train_loader, desc=f"epoch {epoch + 1}"):
            loss_dict = model(list(images), list(targets))
            losses = sum(loss for loss in loss_dict.values())
            optimizer.zero_grad()
            losses.backward()
            optimizer.step()

        model.eval()
        n_det = 0
        with torch.no_grad():
            for images, targets in val_loader:
                outputs = model(list(images))
                n_det += sum(len(o["boxes"]) for o in outputs)
        print(f"epoch {epoch + 1}: train loss {losses.item():.3f}, {n_det} detections on val")


if __name__ == "__main__":
    main()
'''

SCRIPTS["frcnn-collate-lambda-under-spawn"] = sub(DET_DS, TARGET=TARGET_DICT) + '''

if __name__ == "__main__":
    # same script as on the MacBook, where DataLoader workers are spawned
    torch.multiprocessing.set_start_method("spawn")
    loader = DataLoader(Concrete("data/concrete"), batch_size=2, shuffle=True, num_workers=2,
                        collate_fn=lambda batch: tuple(zip(*batch)))
    model = torchvision.models.detection.fasterrcnn_mobilenet_v3_large_320_fpn(
        weights=None, weights_backbone=None, num_classes=len(CLASSES))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
    model.train()
    for images, targets in loader:
        losses = sum(model(list(images), list(targets)).values())
        optimizer.zero_grad(); losses.backward(); optimizer.step()
        print(losses.item())
'''

SCRIPTS["frcnn-yolo-style-label-tensors-as-targets"] = sub(DET_DS, TARGET='''        # [class, x1, y1, x2, y2] per object, as in the YOLO repo
        return TF.to_tensor(img), torch.cat([rows[:, 4:5], rows[:, :4]], dim=1)
''') + '''

def collate(batch):
    images, labels = zip(*batch)
    return list(images), list(labels)


loader = DataLoader(Concrete("data/concrete"), batch_size=2, shuffle=True, collate_fn=collate)
model = torchvision.models.detection.fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None,
                                                                            num_classes=len(CLASSES))
optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
model.train()
for epoch in range(2):
    for images, targets in loader:
        loss_dict = model(images, targets)
        losses = sum(loss_dict.values())
        optimizer.zero_grad()
        losses.backward()
        optimizer.step()
'''

SCRIPTS["frcnn-collate-pads-boxes-minus-one"] = sub(DET_DS, TARGET='''        return TF.to_tensor(img), rows
''') + '''
MAX_OBJECTS = 4


def pad_collate(batch):
    """fixed-size targets so they can be stacked (padding rows are -1)"""
    images = [b[0] for b in batch]
    padded = torch.full((len(batch), MAX_OBJECTS, 5), -1.0)
    for i, (_, rows) in enumerate(batch):
        padded[i, :len(rows)] = rows
    return images, padded


loader = DataLoader(Concrete("data/concrete"), batch_size=4, shuffle=False, collate_fn=pad_collate)
model = torchvision.models.detection.fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None,
                                                                            num_classes=len(CLASSES))
optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
model.train()
for epoch in range(2):
    for images, padded in loader:
        targets = [{"boxes": t[:, :4], "labels": t[:, 4].long()} for t in padded]
        loss_dict = model(images, targets)
        losses = sum(loss_dict.values())
        optimizer.zero_grad()
        losses.backward()
        optimizer.step()
    print(epoch, losses.item())
'''

SCRIPTS["ssd-collate-torch-tensor-ragged-boxes-workers"] = '''
import json
import os

import numpy as np
import torch
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset


class Concrete(Dataset):
    def __init__(self, root):
        self.root = root
        self.ann = json.load(open(os.path.join(root, "labels.json")))
        self.files = sorted(self.ann)

    def __len__(self):
        return len(self.files)

    def __getitem__(self, idx):
        img = Image.open(os.path.join(self.root, "images", self.files[idx])).convert("RGB").resize((300, 300))
        rows = self.ann[self.files[idx]]
        boxes = [r[:4] for r in rows]
        labels = [r[4] for r in rows]
        return np.asarray(img, dtype=np.float32) / 255.0, boxes, labels


def collate(batch):
    images = torch.tensor(np.stack([b[0] for b in batch])).permute(0, 3, 1, 2)
    boxes = torch.tensor([b[1] for b in batch], dtype=torch.float32)
    labels = torch.tensor([b[2] for b in batch], dtype=torch.int64)
    return images, boxes, labels


def main():
    loader = DataLoader(Concrete("data/concrete"), batch_size=4, shuffle=True, num_workers=2, collate_fn=collate)
    model = torchvision.models.detection.ssd300_vgg16(weights=None, weights_backbone=None, num_classes=3)
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
    model.train()
    for images, boxes, labels in loader:
        targets = [{"boxes": b, "labels": l} for b, l in zip(boxes, labels)]
        loss = sum(model(list(images), targets).values())
        optimizer.zero_grad(); loss.backward(); optimizer.step()


if __name__ == "__main__":
    main()
'''

CELLS["maskrcnn-eval-mask-channel-dim-pil-notebook"] = [
    '''import numpy as np
import torch
import torchvision
from PIL import Image
from torchvision.transforms import functional as TF

model = torchvision.models.detection.maskrcnn_resnet50_fpn(weights=None, weights_backbone=None, num_classes=2,
                                                           min_size=256, max_size=256)
model.load_state_dict(torch.load("nuclei_maskrcnn_epoch20.pth", map_location="cpu"))
model.eval();''',
    '''img = Image.open("samples/slide_017.png").convert("RGB")
with torch.no_grad():
    out = model([TF.to_tensor(img)])[0]
print(out["boxes"].shape, out["masks"].shape, out["scores"][:5])''',
    '''best = out["masks"][0]
mask_img = Image.fromarray((best > 0.5).byte().mul(255).numpy())
mask_img.save("slide_017_mask.png")''',
]

SAVE_MASKRCNN = '''
import torch, torchvision
torch.manual_seed(0)
m = torchvision.models.detection.maskrcnn_resnet50_fpn(weights=None, weights_backbone=None, num_classes=2)
torch.save(m.state_dict(), "nuclei_maskrcnn_epoch20.pth")
'''

SCRIPTS["frcnn-v1-checkpoint-into-v2-builder"] = '''
import torch
import torchvision
from PIL import Image
from torchvision.transforms import functional as TF

CLASSES = ["__background__", "helmet", "no_helmet"]

# the training notebook used fasterrcnn_resnet50_fpn; the README says v2 is better, so the app uses v2
model = torchvision.models.detection.fasterrcnn_resnet50_fpn_v2(weights=None, weights_backbone=None,
                                                                num_classes=len(CLASSES))
model.load_state_dict(torch.load("checkpoints/helmet_frcnn_best.pth", map_location="cpu"))
model.eval()

img = TF.to_tensor(Image.open("site_cam_04.jpg").convert("RGB"))
with torch.no_grad():
    pred = model([img])[0]
for box, label, score in zip(pred["boxes"], pred["labels"], pred["scores"]):
    if score > 0.6:
        print(CLASSES[label], box.tolist(), round(score.item(), 3))
'''

SAVE_FRCNN_V1 = '''
import os, torch, torchvision
os.makedirs("checkpoints", exist_ok=True)
m = torchvision.models.detection.fasterrcnn_resnet50_fpn(weights=None, weights_backbone=None, num_classes=3)
torch.save(m.state_dict(), "checkpoints/helmet_frcnn_best.pth")
'''

# ====================================================================== ImageAI 3

IAI = {}

IAI["cls-kaggle-zip-nested-train-folder"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

# dataset downloaded from Kaggle and unzipped into plants/train and plants/test
trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("plants")
trainer.trainModel(num_experiments=2, batch_size=4)
'''


def nested_train(work: Path):
    specs = class_folder("plants/train/train", ("healthy", "rust", "scab"), 3, size=(72, 64))
    specs += class_folder("plants/test", ("healthy", "rust", "scab"), 2, size=(72, 64))
    imgs(specs)(work)


IAI["cls-transfer-weights-never-downloaded"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsResNet50()
trainer.setDataDirectory("xray")
# ImageNet weights: https://download.pytorch.org/models/resnet50-19c8e357.pth (put next to this script)
trainer.trainModel(num_experiments=20, batch_size=8, transfer_from_model="resnet50-19c8e357.pth")
'''

IAI["objectdetection-given-custom-trained-model"] = '''
from imageai.Detection import ObjectDetection

detector = ObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("hardhat/models/tiny-yolov3_hardhat_mAP-0.58321_epoch-47.pt")
detector.loadModel()
detections = detector.detectObjectsFromImage(input_image="site.jpg", output_image_path="site_detected.jpg",
                                             minimum_percentage_probability=40)
for d in detections:
    print(d["name"], d["percentage_probability"], d["box_points"])
'''

SAVE_HARDHAT = '''
import json, os, torch
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny
anchors = [11, 15, 20, 31, 35, 44, 58, 70, 96, 112, 180, 201]
os.makedirs("hardhat/models", exist_ok=True); os.makedirs("hardhat/json", exist_ok=True)
torch.save(YoloV3Tiny(anchors=anchors, num_classes=2).state_dict(),
           "hardhat/models/tiny-yolov3_hardhat_mAP-0.58321_epoch-47.pt")
json.dump({"labels": ["helmet", "head"], "anchors": anchors},
          open("hardhat/json/hardhat_tiny-yolov3_detection_config.json", "w"))
'''

SAVE_PETS_CLS = '''
import json, os, torch, torchvision
os.makedirs("pets/models", exist_ok=True)
torch.save(torchvision.models.mobilenet_v2(num_classes=2).state_dict(),
           "pets/models/mobilenet_v2-pets-test_acc_0.91250_epoch-3.pt")
json.dump({"0": "cat", "1": "dog"}, open("pets/models/pets_model_classes.json", "w"))
'''

IAI["custom-detect-given-classifier-weights"] = '''
from imageai.Detection.Custom import CustomObjectDetection
from imageai.Classification.Custom import CustomImageClassification

CLS_MODEL = "pets/models/mobilenet_v2-pets-test_acc_0.91250_epoch-3.pt"
DET_MODEL = "hardhat/models/tiny-yolov3_hardhat_mAP-0.58321_epoch-47.pt"

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath(CLS_MODEL)
detector.setJsonPath("hardhat/json/hardhat_tiny-yolov3_detection_config.json")
detector.loadModel()

classifier = CustomImageClassification()
classifier.setModelTypeAsMobileNetV2()
classifier.setModelPath(DET_MODEL)
classifier.setJsonPath("pets/models/pets_model_classes.json")
classifier.loadModel()
'''

IAI["custom-detect-imageai2-config-name"] = '''
from imageai.Detection.Custom import CustomObjectDetection

# as in the ImageAI tutorial
detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("hardhat/models/tiny-yolov3_hardhat_mAP-0.58321_epoch-47.pt")
detector.setJsonPath("hardhat/json/detection_config.json")
detector.loadModel()
detections = detector.detectObjectsFromImage(input_image="site.jpg", output_image_path="site_detected.jpg")
for d in detections:
    print(d["name"], " : ", d["percentage_probability"], " : ", d["box_points"])
'''

IAI["custom-detect-cv2-imread-none-frame"] = '''
import glob

import cv2
from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("hardhat/models/tiny-yolov3_hardhat_mAP-0.58321_epoch-47.pt")
detector.setJsonPath("hardhat/json/hardhat_tiny-yolov3_detection_config.json")
detector.loadModel()

names = ["IMG_0040", "IMG_0041", "IMG_0042"]
for name in names:
    frame = cv2.imread(f"camera_roll/{name}.JPG")
    annotated, detections = detector.detectObjectsFromImage(input_image=frame, output_type="array",
                                                            minimum_percentage_probability=50)
    cv2.imwrite(f"out/{name}.jpg", annotated)
    print(name, len(detections), "objects")
'''

IAI["custom-detect-custom-objects-as-list"] = '''
from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("hardhat/models/tiny-yolov3_hardhat_mAP-0.58321_epoch-47.pt")
detector.setJsonPath("hardhat/json/hardhat_tiny-yolov3_detection_config.json")
detector.loadModel()

# only report workers without a helmet
detections = detector.detectObjectsFromImage(input_image="site.jpg", output_image_path="site_heads.jpg",
                                             custom_objects=["head"], minimum_percentage_probability=30,
                                             objectness_treshold=0.3)
print(len(detections), "people without a helmet")
'''

CELLS["imageai-cls-classify-image-url-notebook"] = [
    '''from imageai.Classification.Custom import CustomImageClassification

prediction = CustomImageClassification()
prediction.setModelTypeAsMobileNetV2()
prediction.setModelPath("pets/models/mobilenet_v2-pets-test_acc_0.91250_epoch-3.pt")
prediction.setJsonPath("pets/models/pets_model_classes.json")
prediction.loadModel()''',
    '''url = "https://upload.wikimedia.org/wikipedia/commons/4/4d/Cat_November_2010-1a.jpg"
predictions, probabilities = prediction.classifyImage(url, result_count=2)
for name, prob in zip(predictions, probabilities):
    print(name, ":", prob)''',
]

IAI["cls-classify-stacked-frames-batch"] = '''
import cv2
import numpy as np
from imageai.Classification.Custom import CustomImageClassification

prediction = CustomImageClassification()
prediction.setModelTypeAsMobileNetV2()
prediction.setModelPath("pets/models/mobilenet_v2-pets-test_acc_0.91250_epoch-3.pt")
prediction.setJsonPath("pets/models/pets_model_classes.json")
prediction.loadModel()

# classify the door-camera frames in one go instead of one call per frame
cap = cv2.VideoCapture("door_cam.avi")
frames = []
while True:
    ok, frame = cap.read()
    if not ok:
        break
    frames.append(cv2.cvtColor(cv2.resize(frame, (224, 224)), cv2.COLOR_BGR2RGB))
batch = np.stack(frames)
print("frames:", batch.shape)
predictions, probabilities = prediction.classifyImage(batch, result_count=1)
print(list(zip(predictions, probabilities)))
'''


def door_cam(work: Path):
    import cv2
    import numpy as np
    vw = cv2.VideoWriter(str(work / "door_cam.avi"), cv2.VideoWriter_fourcc(*"MJPG"), 5, (160, 120))
    rng = np.random.default_rng(1)
    for _ in range(6):
        vw.write(rng.integers(0, 255, (120, 160, 3), dtype=np.uint8))
    vw.release()


# ====================================================================== DataLoader workers

WORKER_DS = '''
import glob
import os

import torch
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torchvision import datasets, models, transforms
'''

SCRIPTS["spawn-module-level-lambda-transform"] = WORKER_DS + '''
train_tf = transforms.Compose([
    transforms.Lambda(lambda img: img.convert("RGB")),     # some scans are grayscale
    transforms.Resize((96, 96)),
    transforms.ToTensor(),
])


def main():
    train_ds = datasets.ImageFolder("data/scans/train", transform=train_tf)
    train_loader = DataLoader(train_ds, batch_size=4, shuffle=True, num_workers=2,
                              multiprocessing_context="spawn", persistent_workers=True)
    model = models.resnet18(weights=None, num_classes=len(train_ds.classes))
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    for epoch in range(2):
        for x, y in train_loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad(); loss.backward(); opt.step()
        print(epoch, loss.item())


if __name__ == "__main__":
    main()
'''

SCRIPTS["spawn-dataset-class-defined-in-main"] = WORKER_DS + '''

def main():
    files = sorted(glob.glob("data/leaves/*/*.jpg"))
    classes = sorted({os.path.basename(os.path.dirname(f)) for f in files})

    class LeafDataset(Dataset):
        def __init__(self, files, tf):
            self.files, self.tf = files, tf

        def __len__(self):
            return len(self.files)

        def __getitem__(self, i):
            img = Image.open(self.files[i]).convert("RGB")
            return self.tf(img), classes.index(os.path.basename(os.path.dirname(self.files[i])))

    tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
    loader = DataLoader(LeafDataset(files, tf), batch_size=4, shuffle=True, num_workers=2,
                        multiprocessing_context="spawn")
    model = models.resnet18(weights=None, num_classes=len(classes))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad(); loss.backward(); opt.step()


if __name__ == "__main__":
    main()
'''

SCRIPTS["spawn-video-frames-dataset-cv2-capture"] = '''
import cv2
import torch
from torch.utils.data import DataLoader, Dataset


class VideoFrames(Dataset):
    """every frame of one clip, labelled from a per-frame csv"""

    def __init__(self, video, labels_csv, size=112):
        self.cap = cv2.VideoCapture(video)
        self.n = int(self.cap.get(cv2.CAP_PROP_FRAME_COUNT))
        self.labels = [int(l.split(",")[1]) for l in open(labels_csv).read().split()[1:]]
        self.size = size

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        self.cap.set(cv2.CAP_PROP_POS_FRAMES, i)
        ok, frame = self.cap.read()
        frame = cv2.resize(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB), (self.size, self.size))
        return torch.from_numpy(frame).permute(2, 0, 1).float() / 255, self.labels[i]


if __name__ == "__main__":
    ds = VideoFrames("data/falls/clip_001.avi", "data/falls/clip_001.csv")
    loader = DataLoader(ds, batch_size=8, shuffle=True, num_workers=2, multiprocessing_context="spawn")
    for frames, labels in loader:
        print(frames.shape, labels.tolist())
'''


def falls_video(work: Path):
    import cv2
    import numpy as np
    d = work / "data/falls"
    d.mkdir(parents=True, exist_ok=True)
    vw = cv2.VideoWriter(str(d / "clip_001.avi"), cv2.VideoWriter_fourcc(*"MJPG"), 10, (96, 72))
    rng = np.random.default_rng(0)
    for _ in range(24):
        vw.write(rng.integers(0, 255, (72, 96, 3), dtype=np.uint8))
    vw.release()
    (d / "clip_001.csv").write_text("frame,fall\n" + "".join(f"{i},{int(i > 15)}\n" for i in range(24)))


SCRIPTS["spawn-dataset-cache-lock"] = WORKER_DS + '''
import threading


class CachedImages(Dataset):
    """decoded images are cached, the cache is shared between threads"""

    def __init__(self, root, tf):
        self.files = sorted(glob.glob(os.path.join(root, "*", "*.png")))
        self.classes = sorted(os.listdir(root))
        self.tf = tf
        self.cache = {}
        self.lock = threading.Lock()

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        with self.lock:
            if i not in self.cache:
                self.cache[i] = Image.open(self.files[i]).convert("RGB")
            img = self.cache[i]
        return self.tf(img), self.classes.index(os.path.basename(os.path.dirname(self.files[i])))


def main():
    ds = CachedImages("data/sprites", transforms.ToTensor())
    loader = DataLoader(ds, batch_size=8, shuffle=True, num_workers=4, multiprocessing_context="forkserver")
    model = nn.Sequential(nn.Flatten(), nn.Linear(3 * 32 * 32, len(ds.classes)))
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    for epoch in range(3):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad(); loss.backward(); opt.step()
        print(epoch, loss.item())


if __name__ == "__main__":
    main()
'''

SCRIPTS["spawn-global-set-under-main-guard-workers"] = WORKER_DS + '''
import argparse


class Crops(Dataset):
    def __init__(self, root):
        self.ds = datasets.ImageFolder(root)

    def __len__(self):
        return len(self.ds)

    def __getitem__(self, i):
        img, label = self.ds[i]
        img = img.resize((IMG_SIZE, IMG_SIZE))
        return transforms.functional.to_tensor(img), label


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--img-size", type=int, default=64)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    IMG_SIZE = args.img_size

    torch.multiprocessing.set_start_method("spawn", force=True)
    ds = Crops("data/insects/train")
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=args.workers)
    model = models.resnet18(weights=None, num_classes=len(ds.ds.classes))
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad(); loss.backward(); opt.step()
        print(loss.item())
'''

SCRIPTS["dataloader-persistent-workers-with-zero-workers"] = WORKER_DS + '''
# NUM_WORKERS=0 while debugging the dataset, more on the training box
NUM_WORKERS = int(os.environ.get("NUM_WORKERS", 0))

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("data/insects/train", transform=tf)
train_loader = DataLoader(train_ds, batch_size=8, shuffle=True, num_workers=NUM_WORKERS,
                          pin_memory=torch.cuda.is_available(), persistent_workers=True)
model = models.resnet18(weights=None, num_classes=len(train_ds.classes))
opt = torch.optim.SGD(model.parameters(), lr=0.01)
for x, y in train_loader:
    loss = nn.functional.cross_entropy(model(x), y)
    opt.zero_grad(); loss.backward(); opt.step()
'''

CELLS["dataloader-prefetch-factor-zero-workers-notebook"] = [
    '''import torch
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("data/insects/train", transform=tf)
len(train_ds), train_ds.classes''',
    '''# workers hang in Jupyter on Windows -> 0 workers, but keep the prefetching
train_loader = DataLoader(train_ds, batch_size=16, shuffle=True, num_workers=0, prefetch_factor=4)''',
    '''images, labels = next(iter(train_loader))
images.shape''',
]

SCRIPTS["worker-init-fn-without-worker-id"] = WORKER_DS + '''
import random

import numpy as np


SEED = 42


def seed_everything():
    random.seed(SEED)
    np.random.seed(SEED)
    torch.manual_seed(SEED)


def main():
    seed_everything()
    tf = transforms.Compose([transforms.RandomResizedCrop(64), transforms.ToTensor()])
    train_ds = datasets.ImageFolder("data/insects/train", transform=tf)
    loader = DataLoader(train_ds, batch_size=4, shuffle=True, num_workers=2, worker_init_fn=seed_everything)
    model = models.resnet18(weights=None, num_classes=len(train_ds.classes))
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad(); loss.backward(); opt.step()


if __name__ == "__main__":
    main()
'''

SCRIPTS["worker-dataset-returns-tensor-requiring-grad"] = WORKER_DS + '''

class Denoised(Dataset):
    """noisy microscope images, smoothed with a 3x3 box filter before training"""

    def __init__(self, root):
        self.ds = datasets.ImageFolder(root, transform=transforms.Compose([transforms.Resize((64, 64)),
                                                                           transforms.ToTensor()]))
        self.smooth = nn.Conv2d(3, 3, 3, padding=1, groups=3, bias=False)
        self.smooth.weight.data.fill_(1 / 9)

    def __len__(self):
        return len(self.ds)

    def __getitem__(self, i):
        img, label = self.ds[i]
        return self.smooth(img.unsqueeze(0)).squeeze(0), label


def main():
    ds = Denoised("data/cells/train")
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2)
    model = models.resnet18(weights=None, num_classes=len(ds.ds.classes))
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad(); loss.backward(); opt.step()
        print(loss.item())


if __name__ == "__main__":
    main()
'''

SCRIPTS["worker-object-crops-fd-ancdata"] = '''
import json

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.transforms import functional as TF


class ObjectCrops(Dataset):
    """every annotated object of a shelf photo, cropped and resized (for re-identification)"""

    def __init__(self, ann_file):
        self.items = json.load(open(ann_file))

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        item = self.items[i]
        img = TF.to_tensor(Image.open(item["file"]).convert("RGB"))
        crops = [TF.resize(img[:, y1:y2, x1:x2], [16, 16], antialias=True) for x1, y1, x2, y2 in item["boxes"]]
        return crops, item["sku"]


def main():
    loader = DataLoader(ObjectCrops("data/shelves/annotations.json"), batch_size=16, num_workers=2,
                        collate_fn=lambda b: tuple(zip(*b)))
    bank = []
    for crops, skus in loader:
        for per_image in crops:
            bank.extend(per_image)
        print(f"{len(bank)} crops in the bank", flush=True)
    embeddings = torch.stack(bank).flatten(1)
    print(embeddings.shape)


if __name__ == "__main__":
    main()
'''


def shelves(work: Path):
    import json
    import numpy as np
    rng = np.random.default_rng(0)
    items = []
    for i in range(4):
        f = f"data/shelves/images/shelf_{i:02d}.png"
        save_png(work / f, rng.integers(0, 255, (120, 160, 3), dtype=np.uint8))
    for i in range(64):
        boxes = [[int(x), int(y), int(x) + 8, int(y) + 6] for x, y in zip(rng.integers(0, 150, 400),
                                                                          rng.integers(0, 112, 400))]
        items.append({"file": f"data/shelves/images/shelf_{i % 4:02d}.png", "boxes": boxes, "sku": int(i % 7)})
    (work / "data/shelves/annotations.json").write_text(json.dumps(items))


# ====================================================================== memory (CPU)

SCRIPTS["linear-head-sized-for-full-res-photos"] = '''
import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

# phone photos are 4000 x 3000, keep the full resolution so small defects stay visible
IMG_W, IMG_H = 4000, 3000


class DefectNet(nn.Module):
    def __init__(self, num_classes):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(),
        )
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(32 * IMG_H * IMG_W, 256), nn.ReLU(),
                                        nn.Linear(256, num_classes))

    def forward(self, x):
        return self.classifier(self.features(x))


train_ds = datasets.ImageFolder("data/welds/train", transform=transforms.ToTensor())
train_loader = DataLoader(train_ds, batch_size=2, shuffle=True)
print("classes:", train_ds.classes)
model = DefectNet(len(train_ds.classes))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
for images, labels in train_loader:
    loss = nn.functional.cross_entropy(model(images), labels)
    optimizer.zero_grad(); loss.backward(); optimizer.step()
'''

SCRIPTS["seg-interpolate-scale-factor-given-size"] = '''
import glob

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torchvision import transforms
from torchvision.models.segmentation import lraspp_mobilenet_v3_large

OUT_SIZE = 512          # masks are delivered at 512 x 512

model = lraspp_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=3).eval()
tf = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor()])
files = sorted(glob.glob("data/fields/test/*.jpg"))
batch = torch.stack([tf(Image.open(f).convert("RGB")) for f in files])
with torch.no_grad():
    logits = model(batch)["out"]
    print("logits", tuple(logits.shape))
    logits = F.interpolate(logits, scale_factor=OUT_SIZE, mode="bilinear", align_corners=False)
    masks = logits.argmax(1).byte().numpy()
for f, m in zip(files, masks):
    Image.fromarray(m).save(f.replace(".jpg", "_mask.png"))
'''

SCRIPTS["seg-onehot-16bit-instance-ids-workers"] = '''
import glob

import numpy as np
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset


class CityParts(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/leftImg8bit/*.png"))
        self.masks = sorted(glob.glob(f"{root}/gtFine/*_gtFine_instanceIds.png"))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = np.asarray(Image.open(self.images[i]).convert("RGB"), dtype=np.float32) / 255.0
        mask = np.array(Image.open(self.masks[i]))
        onehot = np.eye(mask.max() + 1, dtype=np.float32)[mask]          # H x W x C for the Dice loss
        return torch.from_numpy(img).permute(2, 0, 1), torch.from_numpy(onehot).permute(2, 0, 1)


def main():
    loader = DataLoader(CityParts("data/cityscapes_mini"), batch_size=2, shuffle=True, num_workers=2)
    for epoch in range(2):
        for images, masks in loader:
            print(images.shape, masks.shape)


if __name__ == "__main__":
    main()
'''


def city_instance_ids(work: Path):
    import numpy as np
    rng = np.random.default_rng(0)
    for i in range(3):
        stem = f"aachen_{i:06d}_000019"
        save_png(work / f"data/cityscapes_mini/leftImg8bit/{stem}_leftImg8bit.png",
                 rng.integers(0, 255, (1024, 2048, 3), dtype=np.uint8))
        ids = np.full((1024, 2048), 7, dtype=np.uint16)          # road
        ids[100:400, 200:600] = 26001 + i                         # car instances: class 26 * 1000 + n
        ids[500:700, 1200:1300] = 24000 + i                       # person
        save_png(work / f"data/cityscapes_mini/gtFine/{stem}_gtFine_instanceIds.png", ids)


CELLS["confusion-matrix-sized-from-image-ids-notebook"] = [
    '''import numpy as np

# predictions.csv written by the evaluation loop: image_id,label,pred
rows = np.loadtxt("predictions.csv", delimiter=",", skiprows=1, dtype=np.int64)
rows[:3]''',
    '''y_true, y_pred = rows[:, 0], rows[:, 2]
num_classes = int(max(y_true.max(), y_pred.max())) + 1
cm = np.zeros((num_classes, num_classes), dtype=np.int64)
np.add.at(cm, (y_true, y_pred), 1)
cm''',
]

PRED_CSV = "image_id,label,pred\n" + "".join(
    f"{1000000 + 37 * i},{i % 5},{(i * 3) % 5}\n" for i in range(40))


# ====================================================================== cases
def cases():
    out, add, script, notebook = case_builders("torch-more13-", SCRIPTS, CELLS)

    def iai(key, cause, forms=("cpython_basic",), argv=("train.py",), **kw):
        kw.setdefault("framework", "imageai")
        kw.setdefault("timeout", 600)
        add("imageai-" + key, cause, {argv[0]: IAI[key]}, forms=forms, argv=list(argv), **kw)

    # ImageFolder / transforms ------------------------------------------------------------------
    script("imagefolder-random-erasing-before-totensor", "model.api_misuse",
           setup=imgs(class_folder("data/plant_village/train", ("blight", "healthy", "mosaic"), 3, size=(96, 80))))
    script("imagefolder-topilimage-first-workers", "model.api_misuse", forms=["cpython_basic", "dataloader_worker"],
           setup=imgs(class_folder("data/bees_wasps/train", ("bee", "wasp"), 4, size=(80, 72))))
    notebook("imagefolder-resize-float-size-notebook", "model.api_misuse",
             setup=imgs(class_folder("data/dogs/train", ("beagle", "husky"), 3, size=(120, 100))))
    script("imagefolder-gaussian-blur-even-kernel", "model.api_misuse", extra={"augment.py": SCRIPTS["augment.py"]},
           setup=imgs(class_folder("data/isic/train", ("benign", "malignant"), 3, size=(96, 96))))
    script("random-split-subset-transform-ignored", "model.api_misuse",
           setup=imgs(class_folder("data/flowers", ("daisy", "rose", "tulip"), 4, size=(100, 90))))
    script("datasetfolder-npy-without-extensions", "model.api_misuse",
           setup=npy_folders("data/birdsong/train", ("blackbird", "robin", "wren"), 3))
    script("imagefolder-autoaugment-after-totensor-tqdm", "model.api_misuse",
           forms=["cpython_basic", "progress_bars?"],
           setup=imgs(class_folder("data/food/train", ("pizza", "ramen", "sushi"), 6, size=(128, 112))))
    script("simclr-random-apply-single-transform", "model.api_misuse",
           setup=imgs(class_folder("data/unlabelled", ("all",), 10, size=(120, 120))))
    script("v2-bounding-boxes-without-canvas-size", "model.api_misuse", setup=potholes)

    # torchvision detection -----------------------------------------------------------------------
    script("maskrcnn-targets-without-masks", "model.api_misuse", also=["data.label_shape"], setup=concrete(),
           timeout=400)
    script("frcnn-left-in-eval-after-validation-tqdm", "model.api_misuse", forms=["cpython_basic", "progress_bars"],
           setup=both(concrete(), concrete("data/concrete_val", n=2)), timeout=400)
    script("frcnn-collate-lambda-under-spawn", "env.multiprocessing", setup=concrete())
    script("frcnn-yolo-style-label-tensors-as-targets", "model.api_misuse", also=["data.label_shape"],
           setup=concrete())
    script("frcnn-collate-pads-boxes-minus-one", "model.api_misuse", also=["data.bbox_invalid"],
           setup=concrete(counts=[1, 3, 2, 1, 2, 3]))
    script("ssd-collate-torch-tensor-ragged-boxes-workers", "model.api_misuse",
           forms=["cpython_basic", "dataloader_worker"], also=["data.label_shape"], setup=concrete())
    notebook("maskrcnn-eval-mask-channel-dim-pil-notebook", "model.api_misuse",
             setup=both(run_py(SAVE_MASKRCNN), imgs([("samples/slide_017.png", (256, 256), "RGB")])), timeout=400)
    add("frcnn-v1-checkpoint-into-v2-builder", "model.weights_mismatch",
        {"app.py": SCRIPTS["frcnn-v1-checkpoint-into-v2-builder"]}, argv=["app.py"], forms=["cpython_basic", "multiline_message"],
        setup=both(run_py(SAVE_FRCNN_V1), imgs([("site_cam_04.jpg", (160, 120), "RGB")])), timeout=400)

    # ImageAI 3 ---------------------------------------------------------------------------------------
    iai("cls-kaggle-zip-nested-train-folder", "data.missing_or_corrupt", also=["data.label_out_of_range"],
        forms=["cpython_basic", "progress_bars?"], setup=nested_train)
    iai("cls-transfer-weights-never-downloaded", "model.api_misuse", also=["data.missing_or_corrupt"],
        setup=imgs(class_folder("xray/train", ("NORMAL", "PNEUMONIA"), 2) + class_folder("xray/test", ("NORMAL", "PNEUMONIA"), 1)))
    iai("objectdetection-given-custom-trained-model", "model.weights_mismatch", also=["model.api_misuse"],
        argv=("detect.py",), setup=both(run_py(SAVE_HARDHAT), imgs([("site.jpg", (320, 240), "RGB")])))
    iai("custom-detect-given-classifier-weights", "model.weights_mismatch", also=["model.api_misuse"],
        argv=("detect.py",), setup=both(run_py(SAVE_HARDHAT), run_py(SAVE_PETS_CLS)))
    iai("custom-detect-imageai2-config-name", "model.api_misuse", also=["env.version_incompat"],
        argv=("detect.py",), setup=both(run_py(SAVE_HARDHAT), imgs([("site.jpg", (320, 240), "RGB")])))
    iai("custom-detect-cv2-imread-none-frame", "data.missing_or_corrupt", argv=("detect.py",),
        setup=both(run_py(SAVE_HARDHAT), imgs([(f"camera_roll/IMG_00{n}.jpg", (320, 240), "RGB") for n in (40, 41, 42)])))
    iai("custom-detect-custom-objects-as-list", "model.api_misuse", argv=("detect.py",),
        setup=both(run_py(SAVE_HARDHAT), imgs([("site.jpg", (320, 240), "RGB")])))
    iai("cls-classify-stacked-frames-batch", "model.api_misuse", also=["model.input_shape"], argv=("predict.py",),
        setup=both(run_py(SAVE_PETS_CLS), door_cam))
    notebook("imageai-cls-classify-image-url-notebook", "model.api_misuse", also=["data.missing_or_corrupt"],
             framework="imageai", setup=run_py(SAVE_PETS_CLS), timeout=400)

    # DataLoader workers --------------------------------------------------------------------------------
    script("spawn-module-level-lambda-transform", "env.multiprocessing",
           setup=imgs(class_folder("data/scans/train", ("benign", "malignant"), 3, size=(80, 80), mode="L")))
    script("spawn-dataset-class-defined-in-main", "env.multiprocessing",
           setup=imgs(class_folder("data/leaves", ("oak", "maple"), 3)))
    script("spawn-video-frames-dataset-cv2-capture", "env.multiprocessing", setup=falls_video)
    script("spawn-dataset-cache-lock", "env.multiprocessing",
           setup=imgs(class_folder("data/sprites", ("coin", "enemy", "player"), 4, size=(32, 32), ext="png")))
    script("spawn-global-set-under-main-guard-workers", "env.multiprocessing", forms=["cpython_basic", "dataloader_worker"],
           setup=imgs(class_folder("data/insects/train", ("ant", "bee"), 4, size=(90, 70))))
    script("dataloader-persistent-workers-with-zero-workers", "model.api_misuse", also=["env.multiprocessing"],
           setup=imgs(class_folder("data/insects/train", ("ant", "bee"), 2)))
    notebook("dataloader-prefetch-factor-zero-workers-notebook", "model.api_misuse", also=["env.multiprocessing"],
             setup=imgs(class_folder("data/insects/train", ("ant", "bee"), 2)))
    script("worker-init-fn-without-worker-id", "model.api_misuse", forms=["cpython_basic", "dataloader_worker"],
           also=["env.multiprocessing"], setup=imgs(class_folder("data/insects/train", ("ant", "bee"), 4)))
    script("worker-dataset-returns-tensor-requiring-grad", "optim.autograd_graph", also=["env.multiprocessing"],
           forms=["cpython_basic", "dataloader_worker"],
           setup=imgs(class_folder("data/cells/train", ("healthy", "infected"), 4)), timeout=300)
    script("worker-object-crops-fd-ancdata", "env.multiprocessing", also=["resource.host_memory"],
           setup=shelves, timeout=300)

    # memory ----------------------------------------------------------------------------------------------
    script("linear-head-sized-for-full-res-photos", "resource.host_memory", also=["model.input_shape"],
           setup=imgs(class_folder("data/welds/train", ("ok", "porosity"), 2, size=(64, 48))))
    script("seg-interpolate-scale-factor-given-size", "resource.host_memory", also=["model.api_misuse"],
           setup=imgs([(f"data/fields/test/field_{i}.jpg", (200, 150), "RGB") for i in range(4)]))
    script("seg-onehot-16bit-instance-ids-workers", "resource.host_memory", forms=["cpython_basic", "dataloader_worker"],
           also=["data.label_out_of_range"], setup=city_instance_ids, timeout=300)
    notebook("confusion-matrix-sized-from-image-ids-notebook", "resource.host_memory",
             also=["data.label_out_of_range"], files={"predictions.csv": PRED_CSV})
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
