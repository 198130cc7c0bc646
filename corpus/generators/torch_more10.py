"""A tenth held-out set of PyTorch / torchvision / ImageAI 3 failures, none of
them a repeat of the other generators' scenarios.  Emphasis: semantic
segmentation as people write it (masks stored as images: palette PNGs read as
grey levels, binary masks resized bilinearly, colour masks saved as JPEG,
Carvana-style mask names, uint8 masks, masks turned into float by ToTensor,
Dice losses on one-hot / 3-D targets, ignore_index given a list, LR-ASPP built
with a DeepLab recipe, grey CT slices into a torchvision segmentation model,
int64 predictions saved as palette PNGs), ImageFolder classification with odd
folders and files (.ipynb_checkpoints, a zip archive, numeric class folders,
one-hot target transforms, Grayscale into a 3-channel stem), GPU-only calls
written on a CPU machine (device name in a notebook, pin_memory in a dataset,
autocast given a torch.device) and ImageAI 3 ClassificationModelTrainer misuse
(batch size rounding to 0, a pathlib data directory, transfer weights saved on
a GPU / as TorchScript, scraped HTML and a huge orthomosaic among the images,
the trainer's return value used as a model).

Every case is a small real program run on CPU with the torch venv (no GPU, no
downloads); the label is known by construction (what the program breaks).

    /work/venvs/torch/bin/python corpus/generators/torch_more10.py [-k filter] [--out DIR]
"""

import subprocess
import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _record import make_images, run_cases, imgs, sub, nb, torch_python, case_builders  # noqa: E402

SRC = "corpus/generators/torch_more10.py"

# ====================================================================== data helpers
VOC_PALETTE = [0, 0, 0, 128, 0, 0, 0, 128, 0, 128, 128, 0, 0, 0, 128] + [0] * (256 * 3 - 15)


def _draw_mask(size, i, mode, values):
    """a mask with a background and two rectangles of classes values[1], values[2]"""
    from PIL import Image, ImageDraw
    w, h = size
    m = Image.new(mode, size, values[0])
    d = ImageDraw.Draw(m)
    d.rectangle([w // 8 + i, h // 6, w // 2, h // 2 + i], fill=values[1])
    d.ellipse([w // 2, h // 3, w - 4 - i, h - 5], fill=values[2])
    return m


def seg_data(root="data/roads", n=6, size=(96, 72), kind="ids", img_ext=".jpg", mask_dir="masks",
             mask_name=lambda stem: stem + ".png", skip_mask=()):
    """images/ + masks/ with masks stored the way annotation tools export them"""
    def setup(work: Path):
        make_images(work, [(f"{root}/images/img_{i:03d}{img_ext}", size, "RGB" if kind != "gray" else "L")
                           for i in range(n)])
        (work / root / mask_dir).mkdir(parents=True, exist_ok=True)
        for i in range(n):
            if i in skip_mask:
                continue
            p = work / root / mask_dir / mask_name(f"img_{i:03d}")
            if kind in ("ids", "gray"):
                _draw_mask(size, i, "L", (0, 1, 2)).save(p)
            elif kind == "binary255":
                _draw_mask(size, i, "L", (0, 255, 255)).save(p)
            elif kind == "palette":
                m = _draw_mask(size, i, "P", (0, 1, 2))
                m.putpalette(VOC_PALETTE)
                m.save(p)
            elif kind == "color_jpg":
                _draw_mask(size, i, "RGB", ((0, 0, 0), (255, 0, 0), (0, 255, 0))).save(p, format="JPEG", quality=90)
    return setup


def cls_folder(root="pets", train=("cat", "dog"), test=("cat", "dog"), per=3, size=(64, 64), extra=()):
    specs = []
    for split, classes in (("train", train), ("test", test)):
        for c in classes:
            for i in range(per):
                specs.append((f"{root}/{split}/{c}/{c}.{i}.jpg", (size[0] + 8 * i, size[1]), "RGB"))
    return imgs(list(specs) + list(extra))


def both(*setups):
    def setup(work: Path):
        for s in setups:
            s(work)
    return setup


def gpu_saved_weights(name, code):
    """a state dict as torch.save writes it on a GPU machine: storages tagged 'cuda:0'"""
    def setup(work: Path):
        tmp = work / "_cpu.pth"
        subprocess.run([torch_python(), "-c", code % str(tmp)], check=True, capture_output=True)
        with zipfile.ZipFile(tmp) as zin, zipfile.ZipFile(work / name, "w", zipfile.ZIP_STORED) as zout:
            for info in zin.infolist():
                data = zin.read(info.filename)
                if info.filename.endswith("data.pkl"):
                    assert b"X\x03\x00\x00\x00cpu" in data
                    data = data.replace(b"X\x03\x00\x00\x00cpu", b"X\x06\x00\x00\x00cuda:0")
                zout.writestr(info.filename, data)
        tmp.unlink()
    return setup


def run_py(code, name="_prep.py"):
    def setup(work: Path):
        (work / name).write_text(code)
        subprocess.run([torch_python(), name], cwd=work, check=True, capture_output=True)
        (work / name).unlink()
    return setup


def huge_png(rel, size=(13600, 13400)):
    """a drone orthomosaic: far more pixels than PIL's decompression-bomb limit"""
    def setup(work: Path):
        from PIL import Image
        p = work / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        Image.new("1", size, 1).save(p, format="PNG")
    return setup


def zip_of_folder(zip_rel, inner_specs):
    def setup(work: Path):
        tmp = work / "_zip_src"
        make_images(tmp, inner_specs)
        (work / zip_rel).parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(work / zip_rel, "w") as z:
            for p in sorted(tmp.rglob("*")):
                if p.is_file():
                    z.write(p, p.relative_to(tmp))
        import shutil
        shutil.rmtree(tmp)
    return setup


# ====================================================================== ImageAI 3
CLS_TRAIN = '''
from imageai.Classification.Custom import ClassificationModelTrainer
@@PRE@@
trainer = ClassificationModelTrainer()
trainer.setModelTypeAs@@MODEL@@()
trainer.setDataDirectory(@@DATADIR@@)
trainer.trainModel(num_experiments=@@EPOCHS@@, batch_size=@@BS@@@@KW@@)
'''


def cls_train(model="MobileNetV2", datadir='"pets"', epochs="1", bs="4", kw="", pre=""):
    return sub(CLS_TRAIN, PRE=pre, MODEL=model, DATADIR=datadir, EPOCHS=epochs, BS=bs, KW=kw)


IAI = {}

IAI["cls-batch-size-from-image-count"] = cls_train(epochs="20", bs="batch_size", pre='''
import os

# aim for ~64 steps per epoch
n_train = sum(len(os.listdir(os.path.join("pets/train", c))) for c in os.listdir("pets/train"))
batch_size = n_train // 64
print(f"{n_train} training images -> batch size {batch_size}")
''')

IAI["cls-pathlib-data-directory"] = cls_train(datadir="DATA_DIR", epochs="10", bs="8", pre='''
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "pets"
print("training on", DATA_DIR)
''')

IAI["cls-transfer-weights-saved-on-colab-gpu"] = cls_train(
    epochs="10", bs="4", kw=', transfer_from_model="mobilenet_v2_imagenet_colab.pth"')

IAI["cls-transfer-torchscript-export"] = cls_train(
    epochs="10", bs="4", kw=', transfer_from_model="mobilenet_v2_scripted.pt"', pre='''
trainer_note = "backbone exported with torch.jit.script from the previous project"
''')

IAI["cls-drone-orthomosaic-in-class-folder"] = cls_train(datadir='"crops"', epochs="5", bs="2")

IAI["cls-scraped-html-saved-as-jpg"] = cls_train(model="ResNet50", datadir='"birds"', epochs="3", bs="2")

IAI_RETURN_CELLS = [
    "from imageai.Classification.Custom import ClassificationModelTrainer\n\n"
    "trainer = ClassificationModelTrainer()\ntrainer.setModelTypeAsMobileNetV2()\ntrainer.setDataDirectory(\"pets\")",
    "model = trainer.trainModel(num_experiments=1, batch_size=4, verbose=True)",
    "model.save(\"pets_mobilenet.pt\")\nprint(\"saved\")",
]

# ====================================================================== segmentation
SEG = {}

SEG_DS = '''
import os

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.transforms import functional as TF
'''

SEG["seg-voc-palette-masks-convert-L"] = SEG_DS + '''
from torchvision.models.segmentation import deeplabv3_mobilenet_v3_large

CLASSES = ["background", "aeroplane", "bicycle"]


class VOCSubset(Dataset):
    def __init__(self, root):
        self.root = root
        self.ids = sorted(f[:-4] for f in os.listdir(os.path.join(root, "images")))

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        img = Image.open(os.path.join(self.root, "images", self.ids[i] + ".jpg")).convert("RGB")
        mask = Image.open(os.path.join(self.root, "masks", self.ids[i] + ".png")).convert("L")
        img = TF.normalize(TF.to_tensor(img), [0.485, 0.456, 0.406], [0.229, 0.224, 0.225])
        return img, torch.from_numpy(np.array(mask)).long()


model = deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=len(CLASSES))
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
criterion = nn.CrossEntropyLoss()
for epoch in range(2):
    for step, (x, y) in enumerate(DataLoader(VOCSubset("data/voc_subset"), batch_size=2, shuffle=True)):
        loss = criterion(model(x)["out"], y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(f"epoch {epoch} step {step} loss {loss.item():.4f}")
'''

SEG["seg-binary-mask-resized-bilinear-tqdm"] = SEG_DS + '''
from tqdm import tqdm


class Buildings(Dataset):
    """aerial tiles, masks 0 = background / 255 = building"""

    def __init__(self, root, size=(64, 64)):
        self.root, self.size = root, size
        self.names = sorted(os.listdir(os.path.join(root, "images")))

    def __len__(self):
        return len(self.names)

    def __getitem__(self, i):
        img = Image.open(os.path.join(self.root, "images", self.names[i])).convert("RGB")
        mask = Image.open(os.path.join(self.root, "masks", self.names[i].replace(".jpg", ".png")))
        img, mask = TF.resize(img, self.size), TF.resize(mask, self.size)
        mask = np.array(mask, dtype=np.int64)
        mask[mask == 255] = 1
        return TF.to_tensor(img), torch.from_numpy(mask)


net = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
                    nn.Conv2d(16, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 2, 1))
opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
criterion = nn.CrossEntropyLoss()
loader = DataLoader(Buildings("data/buildings"), batch_size=2, shuffle=False)
for epoch in range(3):
    pbar = tqdm(loader, desc=f"epoch {epoch + 1}/3")
    for images, masks in pbar:
        loss = criterion(net(images), masks)
        opt.zero_grad()
        loss.backward()
        opt.step()
        pbar.set_postfix(loss=f"{loss.item():.3f}")
'''

SEG["seg-color-masks-saved-as-jpeg-lookup"] = SEG_DS + '''
# colours used in the labelling tool
COLOR2ID = {(0, 0, 0): 0, (255, 0, 0): 1, (0, 255, 0): 2}


def rgb_to_ids(mask_rgb):
    ids = np.zeros(mask_rgb.shape[:2], dtype=np.int64)
    for color in np.unique(mask_rgb.reshape(-1, 3), axis=0):
        ids[(mask_rgb == color).all(-1)] = COLOR2ID[tuple(color)]
    return ids


class Weeds(Dataset):
    def __init__(self, root):
        self.root = root
        self.names = sorted(os.listdir(os.path.join(root, "images")))

    def __len__(self):
        return len(self.names)

    def __getitem__(self, i):
        img = Image.open(os.path.join(self.root, "images", self.names[i])).convert("RGB")
        mask = np.array(Image.open(os.path.join(self.root, "masks", self.names[i])).convert("RGB"))
        return TF.to_tensor(img), torch.from_numpy(rgb_to_ids(mask))


net = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 3, 1))
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
for images, masks in DataLoader(Weeds("data/weeds"), batch_size=2, shuffle=True):
    loss = nn.functional.cross_entropy(net(images), masks)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(loss.item())
'''

SEG["seg-joint-transform-totensor-on-mask"] = SEG_DS + '''
import random


class JointTransform:
    def __init__(self, size=(64, 64)):
        self.size = size

    def __call__(self, image, mask):
        image = TF.resize(image, self.size)
        mask = TF.resize(mask, self.size, interpolation=TF.InterpolationMode.NEAREST)
        if random.random() < 0.5:
            image, mask = TF.hflip(image), TF.hflip(mask)
        return TF.to_tensor(image), TF.to_tensor(mask)


class Roads(Dataset):
    def __init__(self, root, transform):
        self.root, self.transform = root, transform
        self.names = sorted(os.listdir(os.path.join(root, "images")))

    def __len__(self):
        return len(self.names)

    def __getitem__(self, i):
        image = Image.open(os.path.join(self.root, "images", self.names[i])).convert("RGB")
        mask = Image.open(os.path.join(self.root, "masks", self.names[i].replace(".jpg", ".png")))
        return self.transform(image, mask)


model = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.Conv2d(32, 3, 1))   # 3 classes
criterion = nn.CrossEntropyLoss()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for images, masks in DataLoader(Roads("data/roads", JointTransform()), batch_size=4, shuffle=True):
        loss = criterion(model(images), masks)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

SEG["seg-uint8-masks-from-numpy-workers"] = SEG_DS + '''


class Lesions(Dataset):
    def __init__(self, root):
        self.root = root
        self.names = sorted(os.listdir(os.path.join(root, "images")))

    def __len__(self):
        return len(self.names)

    def __getitem__(self, i):
        image = np.array(Image.open(os.path.join(self.root, "images", self.names[i])).convert("RGB"))
        mask = np.array(Image.open(os.path.join(self.root, "masks", self.names[i][:-4] + ".png")))
        image = torch.from_numpy(image).permute(2, 0, 1).float() / 255.0
        return image, torch.from_numpy(mask)


def main():
    model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 3, 1))
    opt = torch.optim.AdamW(model.parameters(), lr=3e-4)
    loader = DataLoader(Lesions("data/isic_small"), batch_size=3, shuffle=True, num_workers=2)
    for epoch in range(3):
        for images, masks in loader:
            loss = nn.CrossEntropyLoss()(model(images), masks)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())


if __name__ == "__main__":
    main()
'''

SEG["seg-ce-ignore-index-list"] = '''
import torch
import torch.nn as nn

NUM_CLASSES = 5          # 0 = unlabeled, 1..4 = classes, 255 = border
model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, NUM_CLASSES, 1))
criterion = nn.CrossEntropyLoss(ignore_index=[0, 255])       # skip unlabeled pixels and borders
opt = torch.optim.SGD(model.parameters(), lr=0.01)

for step in range(10):
    images = torch.rand(4, 3, 64, 64)
    masks = torch.randint(0, NUM_CLASSES, (4, 64, 64))
    masks[:, :2, :] = 255
    loss = criterion(model(images), masks)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(step, loss.item())
'''

SEG["seg-nearest-resize-masks-without-channel"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F

# encoder with output stride 4; the masks are brought down to the logits' size
net = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2, padding=1), nn.ReLU(),
                    nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.ReLU(), nn.Conv2d(32, 4, 1))
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
for step in range(5):
    images = torch.rand(2, 3, 128, 128)
    masks = torch.randint(0, 4, (2, 128, 128))
    logits = net(images)
    masks_small = F.interpolate(masks.float(), size=logits.shape[-2:], mode="nearest").long()
    loss = F.cross_entropy(logits, masks_small)
    opt.zero_grad()
    loss.backward()
    opt.step()
'''

SEG["seg-binary-dice-3d-target"] = SEG_DS + '''


def dice_loss(logits, target, eps=1e-6):
    probs = torch.sigmoid(logits)
    inter = (probs * target).sum(dim=(1, 2, 3))
    union = probs.sum(dim=(1, 2, 3)) + target.sum(dim=(1, 2, 3))
    return 1 - ((2 * inter + eps) / (union + eps)).mean()


class Polyps(Dataset):
    def __init__(self, root):
        self.root = root
        self.names = sorted(os.listdir(os.path.join(root, "images")))

    def __len__(self):
        return len(self.names)

    def __getitem__(self, i):
        img = Image.open(os.path.join(self.root, "images", self.names[i])).convert("RGB")
        mask = Image.open(os.path.join(self.root, "masks", self.names[i][:-4] + ".png"))
        return TF.to_tensor(img), torch.from_numpy((np.array(mask) > 127).astype(np.float32))


unet_ish = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 1, 1))
opt = torch.optim.Adam(unet_ish.parameters(), lr=1e-3)
bce = nn.BCEWithLogitsLoss()
for images, masks in DataLoader(Polyps("data/kvasir"), batch_size=2):
    logits = unet_ish(images)
    loss = dice_loss(logits, masks)
    opt.zero_grad()
    loss.backward()
    opt.step()
'''

SEG["seg-dice-one-hot-not-permuted"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F

N_CLASSES = 4


class SoftDice(nn.Module):
    def forward(self, logits, masks):
        probs = logits.softmax(dim=1)                        # N, C, H, W
        onehot = F.one_hot(masks, N_CLASSES).float()         # one-hot of the class-id mask
        inter = (probs * onehot).sum(dim=(2, 3))
        card = probs.sum(dim=(2, 3)) + onehot.sum(dim=(2, 3))
        return 1 - (2 * inter / card.clamp_min(1e-6)).mean()


model = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, N_CLASSES, 1))
criterion = SoftDice()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(3):
    slices = torch.rand(4, 1, 48, 48)                   # MRI slices
    masks = torch.randint(0, N_CLASSES, (4, 48, 48))
    loss = criterion(model(slices), masks) + F.cross_entropy(model(slices), masks)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(epoch, loss.item())
'''

SEG["seg-lraspp-with-deeplab-aux-recipe"] = '''
import torch
import torch.nn as nn
from torchvision.models import segmentation

# same recipe as the DeepLabV3 run, swapped to the light model for the Jetson
model = segmentation.lraspp_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=6, aux_loss=True)
criterion = nn.CrossEntropyLoss(ignore_index=255)
opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9, weight_decay=1e-4)
for step in range(10):
    x, y = torch.rand(2, 3, 128, 128), torch.randint(0, 6, (2, 128, 128))
    out = model(x)
    loss = criterion(out["out"], y) + 0.5 * criterion(out["aux"], y)
    opt.zero_grad()
    loss.backward()
    opt.step()
'''

SEG["seg-grayscale-ct-into-deeplab"] = SEG_DS + '''
from torchvision.models.segmentation import deeplabv3_mobilenet_v3_large


class LiverCT(Dataset):
    def __init__(self, root):
        self.root = root
        self.names = sorted(os.listdir(os.path.join(root, "images")))

    def __len__(self):
        return len(self.names)

    def __getitem__(self, i):
        ct = Image.open(os.path.join(self.root, "images", self.names[i]))         # 8-bit windowed slice
        mask = Image.open(os.path.join(self.root, "masks", self.names[i][:-4] + ".png"))
        return TF.to_tensor(ct), torch.from_numpy(np.array(mask)).long()


model = deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=3)
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
for ct, mask in DataLoader(LiverCT("data/liver_ct"), batch_size=2, shuffle=True):
    out = model(ct)["out"]
    loss = nn.functional.cross_entropy(out, mask)
    opt.zero_grad()
    loss.backward()
    opt.step()
'''

SEG_SAVE_CELLS = [
    "import numpy as np\nimport torch\nimport torch.nn as nn\nfrom PIL import Image\n\n"
    "PALETTE = [0, 0, 0, 128, 64, 128, 244, 35, 232, 70, 70, 70]  # background, road, sidewalk, building\n"
    "model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 4, 1))\nmodel.eval()",
    "img = Image.open(\"samples/street_01.jpg\").convert(\"RGB\")\n"
    "x = torch.from_numpy(np.array(img)).permute(2, 0, 1).float().div(255)[None]\n"
    "with torch.no_grad():\n    pred = model(x).argmax(1)[0].numpy()\npred.shape, pred.dtype",
    "out = Image.fromarray(pred)\nout.putpalette(PALETTE)\nout.save(\"samples/street_01_pred.png\")",
]

SEG["seg-masks-listdir-one-mask-missing-workers"] = SEG_DS + '''


class Cells(Dataset):
    def __init__(self, root):
        self.images = sorted(os.listdir(os.path.join(root, "images")))
        self.masks = sorted(os.listdir(os.path.join(root, "masks")))
        self.root = root

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = Image.open(os.path.join(self.root, "images", self.images[i])).convert("RGB")
        mask = Image.open(os.path.join(self.root, "masks", self.masks[i]))
        return TF.to_tensor(img), torch.from_numpy(np.array(mask)).long()


def main():
    loader = DataLoader(Cells("data/nuclei"), batch_size=4, shuffle=False, num_workers=2)
    net = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 3, 1))
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    for epoch in range(2):
        for x, y in loader:
            loss = nn.functional.cross_entropy(net(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"epoch {epoch} loss {loss.item():.4f}")


if __name__ == "__main__":
    main()
'''

SEG["seg-carvana-mask-name-convention"] = SEG_DS + '''


class Carvana(Dataset):
    def __init__(self, image_dir, mask_dir):
        self.image_dir, self.mask_dir = image_dir, mask_dir
        self.images = sorted(os.listdir(image_dir))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img_path = os.path.join(self.image_dir, self.images[i])
        mask_path = os.path.join(self.mask_dir, self.images[i].replace(".jpg", ".gif"))
        image = np.array(Image.open(img_path).convert("RGB"), dtype=np.float32) / 255.0
        mask = np.array(Image.open(mask_path).convert("L"), dtype=np.float32)
        return torch.from_numpy(image).permute(2, 0, 1), torch.from_numpy(mask)[None]


model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 1, 1))
loss_fn = nn.BCEWithLogitsLoss()
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
loader = DataLoader(Carvana("data/train_images", "data/train_masks"), batch_size=2, shuffle=True)
for epoch in range(3):
    for data, targets in loader:
        loss = loss_fn(model(data), targets)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

# ====================================================================== classification (ImageFolder)
CLS = {}

IPYNB_CELLS = [
    "import torch\nimport torch.nn as nn\nfrom torchvision import datasets, transforms, models\n\n"
    "tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])",
    "train_ds = datasets.ImageFolder(\"flowers/train\", transform=tf)\n"
    "print(train_ds.classes, len(train_ds))",
]

CLS["imagefolder-on-unextracted-zip"] = '''
import torch
from torchvision import datasets, transforms

# downloaded from Kaggle: chest-xray-pneumonia
DATA = "data/chest_xray.zip"
tf = transforms.Compose([transforms.Grayscale(3), transforms.Resize((128, 128)), transforms.ToTensor()])
train_ds = datasets.ImageFolder(DATA, transform=tf)
loader = torch.utils.data.DataLoader(train_ds, batch_size=8, shuffle=True)
print(train_ds.class_to_idx)
'''

CLS["imagefolder-extensions-kwarg"] = '''
import torch
import torchvision
from torchvision import datasets, transforms

tf = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor()])
# the folders also hold .txt notes and .xml files from the labelling tool
train_ds = datasets.ImageFolder("data/insects/train", transform=tf, extensions=(".jpg", ".jpeg", ".png"))
model = torchvision.models.resnet18(num_classes=len(train_ds.classes))
'''

CLS["imagefolder-target-transform-one-hot-workers"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from torchvision import datasets, transforms

NUM_CLASSES = 3


def main():
    tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
    ds = datasets.ImageFolder("data/garbage/train", transform=tf,
                              target_transform=lambda y: F.one_hot(y, NUM_CLASSES).float())
    loader = torch.utils.data.DataLoader(ds, batch_size=4, shuffle=True, num_workers=2)
    model = torchvision.models.mobilenet_v3_small(num_classes=NUM_CLASSES)
    criterion = nn.BCEWithLogitsLoss()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for x, y in loader:
        loss = criterion(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()


if __name__ == "__main__":
    main()
'''

CLS["imagefolder-numeric-folder-names-as-labels"] = '''
import torch
import torch.nn as nn
import torchvision
from torchvision import datasets, transforms

# diabetic retinopathy grade folders 1..5; use the folder name itself as the label
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
ds = datasets.ImageFolder("data/retina/train", transform=tf)
ds.target_transform = lambda idx: int(ds.classes[idx])
model = torchvision.models.resnet18(num_classes=5)
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
criterion = nn.CrossEntropyLoss()
for epoch in range(2):
    for i, (x, y) in enumerate(torch.utils.data.DataLoader(ds, batch_size=4, shuffle=True)):
        # mixup on one-hot targets
        lam = float(torch.distributions.Beta(0.4, 0.4).sample())
        perm = torch.randperm(x.size(0))
        y1 = torch.nn.functional.one_hot(y, num_classes=5).float()
        x, y1 = lam * x + (1 - lam) * x[perm], lam * y1 + (1 - lam) * y1[perm]
        loss = criterion(model(x), y1)
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(f"[{epoch}, {i}] loss {loss.item():.3f}")
'''

CLS["predict-idx-to-class-tensor-key"] = '''
import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torchvision import datasets, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
ds = datasets.ImageFolder("data/pets/train", transform=tf)
model = torchvision.models.resnet18(num_classes=len(ds.classes))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for x, y in torch.utils.data.DataLoader(ds, batch_size=4, shuffle=True):
    loss = nn.functional.cross_entropy(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
print("trained, loss", round(loss.item(), 3))

idx_to_class = {v: k for k, v in ds.class_to_idx.items()}
model.eval()
with torch.no_grad():
    img = tf(Image.open("data/test/unknown_1.jpg").convert("RGB"))[None]
    pred = model(img).argmax(1)
print("prediction:", idx_to_class[pred[0]])
'''

CLS["imagefolder-grayscale-into-resnet"] = '''
import torch
import torch.nn as nn
import torchvision
from torchvision import datasets, transforms

# X-rays are grey anyway: keep one channel to save memory
tf = transforms.Compose([
    transforms.Grayscale(),
    transforms.Resize((128, 128)),
    transforms.ToTensor(),
    transforms.Normalize([0.5], [0.5]),
])
train_ds = datasets.ImageFolder("data/xray/train", transform=tf)
model = torchvision.models.resnet34(num_classes=2)
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
for images, labels in torch.utils.data.DataLoader(train_ds, batch_size=4, shuffle=True):
    loss = nn.functional.cross_entropy(model(images), labels)
    opt.zero_grad()
    loss.backward()
    opt.step()
'''

# ====================================================================== GPU-only calls on a CPU machine
GPU_NAME_CELLS = [
    "import torch\nimport torchvision\nprint(torch.__version__, torchvision.__version__)",
    "print(\"GPU:\", torch.cuda.get_device_name(0))\n"
    "print(\"memory:\", torch.cuda.get_device_properties(0).total_memory / 1e9, \"GB\")",
]

CLS["dataset-pins-memory-in-getitem-workers"] = '''
import glob

import torch
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

device = "cuda"


class Flowers(Dataset):
    def __init__(self, pattern, tf):
        self.files = sorted(glob.glob(pattern))
        self.classes = sorted({f.split("/")[-2] for f in self.files})
        self.tf = tf

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        x = self.tf(Image.open(self.files[i]).convert("RGB"))
        y = self.classes.index(self.files[i].split("/")[-2])
        return x.pin_memory(), y          # pinned so .to(device, non_blocking=True) is async


def main():
    tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
    loader = DataLoader(Flowers("data/flowers/*/*.jpg", tf), batch_size=4, shuffle=True, num_workers=2)
    model = torchvision.models.resnet18(num_classes=2)
    for x, y in loader:
        x, y = x.to(device, non_blocking=True), y.to(device, non_blocking=True)
        print(model(x).shape)


if __name__ == "__main__":
    main()
'''

CLS["autocast-given-torch-device"] = '''
import torch
import torch.nn as nn
import torchvision

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
model = torchvision.models.resnet18(num_classes=10).to(device)
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
scaler = torch.amp.GradScaler(enabled=device.type == "cuda")
criterion = nn.CrossEntropyLoss()

for step in range(20):
    x = torch.rand(8, 3, 64, 64, device=device)
    y = torch.randint(0, 10, (8,), device=device)
    with torch.autocast(device, dtype=torch.bfloat16):
        loss = criterion(model(x), y)
    opt.zero_grad(set_to_none=True)
    scaler.scale(loss).backward()
    scaler.step(opt)
    scaler.update()
    print(step, loss.item())
'''

SAVE_MOBILENET = "import torch, torchvision; torch.save(torchvision.models.mobilenet_v2().state_dict(), %r)"
SAVE_SCRIPTED = ("import torch, torchvision\n"
                 "torch.jit.save(torch.jit.script(torchvision.models.mobilenet_v2().eval()), 'mobilenet_v2_scripted.pt')\n")


# ======================================================================= cases
def cases():
    out, add, _, _ = case_builders("torch-more10-")

    def notebook(name, cause, cells, forms=("ipython_cell", "ipython_arrows"), files=None, **kw):
        add(name, cause, {**nb(cells), **(files or {})}, forms=forms, argv=["nb_runner.py"], home_is_project=True, **kw)

    def iai(key, cause, forms=("cpython_basic",), **kw):
        kw.setdefault("framework", "imageai")
        kw.setdefault("timeout", 600)
        add("imageai-" + key, cause, {"train.py": IAI[key]}, forms=forms, **kw)

    def seg(key, cause, forms=("cpython_basic",), **kw):
        add(key, cause, {"train.py": SEG[key]}, forms=forms, **kw)

    def cls(key, cause, forms=("cpython_basic",), **kw):
        add(key, cause, {"train.py": CLS[key]}, forms=forms, **kw)

    # ImageAI 3 ClassificationModelTrainer -----------------------------------------------------
    iai("cls-batch-size-from-image-count", "model.api_misuse", setup=cls_folder(per=4))
    iai("cls-pathlib-data-directory", "model.api_misuse", setup=cls_folder())
    iai("cls-transfer-weights-saved-on-colab-gpu", "env.device_mismatch", also=["env.cuda_setup"],
        setup=both(cls_folder(), gpu_saved_weights("mobilenet_v2_imagenet_colab.pth", SAVE_MOBILENET)))
    iai("cls-transfer-torchscript-export", "model.weights_mismatch",
        setup=both(cls_folder(), run_py(SAVE_SCRIPTED)))
    iai("cls-drone-orthomosaic-in-class-folder", "data.missing_or_corrupt", forms=["cpython_basic", "progress_bars?"],
        setup=both(cls_folder(root="crops", train=("healthy", "rust"), test=("healthy", "rust"), per=2),
                   huge_png("crops/train/rust/field_07_orthomosaic.png")))
    iai("cls-scraped-html-saved-as-jpg", "data.missing_or_corrupt", forms=["cpython_basic", "progress_bars?"],
        setup=cls_folder(root="birds", train=("crow", "robin"), test=("crow", "robin"), per=3,
                         extra=[("birds/train/robin/robin_google_017.jpg", (0, 0), "text")]))
    notebook("imageai-cls-trainmodel-return-used-as-model-notebook", "model.api_misuse", IAI_RETURN_CELLS,
             forms=["ipython_cell", "ipython_arrows", "progress_bars?"], setup=cls_folder(per=2),
             framework="imageai", timeout=600)

    # segmentation ------------------------------------------------------------------------------
    seg("seg-voc-palette-masks-convert-L", "data.label_out_of_range",
        setup=seg_data("data/voc_subset", n=4, size=(80, 64), kind="palette"))
    seg("seg-binary-mask-resized-bilinear-tqdm", "data.label_out_of_range", forms=["cpython_basic", "progress_bars"],
        setup=seg_data("data/buildings", n=6, size=(100, 90), kind="binary255"))
    seg("seg-color-masks-saved-as-jpeg-lookup", "data.label_out_of_range", also=["data.missing_or_corrupt"],
        setup=seg_data("data/weeds", n=4, kind="color_jpg", mask_name=lambda s: s + ".jpg"))
    seg("seg-joint-transform-totensor-on-mask", "data.label_shape", also=["data.dtype"],
        setup=seg_data("data/roads", n=8, size=(90, 70)))
    seg("seg-uint8-masks-from-numpy-workers", "data.dtype",
        setup=seg_data("data/isic_small", n=6, size=(64, 64)))
    seg("seg-ce-ignore-index-list", "model.api_misuse")
    seg("seg-nearest-resize-masks-without-channel", "data.label_shape", also=["model.api_misuse"])
    seg("seg-binary-dice-3d-target", "data.label_shape", setup=seg_data("data/kvasir", n=4, kind="binary255"))
    seg("seg-dice-one-hot-not-permuted", "data.label_shape")
    seg("seg-lraspp-with-deeplab-aux-recipe", "model.api_misuse")
    seg("seg-grayscale-ct-into-deeplab", "data.image_channels",
        setup=seg_data("data/liver_ct", n=4, size=(64, 64), kind="gray", img_ext=".png"))
    notebook("seg-save-int64-prediction-as-palette-png-notebook", "data.dtype", SEG_SAVE_CELLS,
             setup=imgs([("samples/street_01.jpg", (96, 64), "RGB")]))
    seg("seg-masks-listdir-one-mask-missing-workers", "data.missing_or_corrupt", forms=["cpython_basic", "dataloader_worker"],
        setup=seg_data("data/nuclei", n=8, size=(48, 48), skip_mask=(5,)))
    seg("seg-carvana-mask-name-convention", "data.missing_or_corrupt",
        setup=carvana_setup)

    # ImageFolder classification -------------------------------------------------------------
    def ipynb_setup(work: Path):
        imgs([(f"flowers/train/{c}/{c}_{i:03d}.jpg", (80, 60), "RGB") for c in ("daisy", "rose") for i in range(3)])(work)
        p = work / "flowers/train/.ipynb_checkpoints/explore-checkpoint.ipynb"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}\n')
    notebook("imagefolder-ipynb-checkpoints-class-notebook", "data.missing_or_corrupt", IPYNB_CELLS, setup=ipynb_setup)
    cls("imagefolder-on-unextracted-zip", "data.missing_or_corrupt",
        setup=zip_of_folder("data/chest_xray.zip", [(f"chest_xray/train/{c}/{c}_{i}.jpeg", (64, 64), "L")
                                                    for c in ("NORMAL", "PNEUMONIA") for i in range(2)]))
    cls("imagefolder-extensions-kwarg", "model.api_misuse",
        setup=imgs([(f"data/insects/train/{c}/{c}_{i}.jpg", (64, 64), "RGB") for c in ("ant", "bee") for i in range(2)]))
    cls("imagefolder-target-transform-one-hot-workers", "model.api_misuse", forms=["cpython_basic", "dataloader_worker"],
        setup=imgs([(f"data/garbage/train/{c}/{c}_{i}.jpg", (72, 64), "RGB")
                    for c in ("glass", "paper", "plastic") for i in range(3)]))
    cls("imagefolder-numeric-folder-names-as-labels", "data.label_out_of_range",
        setup=imgs([(f"data/retina/train/{g}/eye_{g}_{i}.jpg", (64, 64), "RGB") for g in range(1, 6) for i in range(2)]))
    cls("predict-idx-to-class-tensor-key", "model.api_misuse",
        setup=imgs([(f"data/pets/train/{c}/{c}_{i}.jpg", (64, 64), "RGB") for c in ("cat", "dog") for i in range(3)]
                   + [("data/test/unknown_1.jpg", (90, 70), "RGB")]))
    cls("imagefolder-grayscale-into-resnet", "data.image_channels",
        setup=imgs([(f"data/xray/train/{c}/{c}_{i}.jpeg", (96, 96), "L") for c in ("NORMAL", "PNEUMONIA") for i in range(2)]))

    # GPU-only calls on a CPU machine -------------------------------------------------------------
    notebook("notebook-gpu-name-on-cpu-runtime", "env.cuda_setup", GPU_NAME_CELLS)
    cls("dataset-pins-memory-in-getitem-workers", "env.cuda_setup", forms=["cpython_basic", "dataloader_worker"],
        setup=imgs([(f"data/flowers/{c}/{c}_{i}.jpg", (64, 64), "RGB") for c in ("daisy", "tulip") for i in range(3)]))
    cls("autocast-given-torch-device", "model.api_misuse")
    return out


def carvana_setup(work: Path):
    make_images(work, [(f"data/train_images/{cid}_{k:02d}.jpg", (96, 64), "RGB")
                       for cid in ("0cdf5b5d0ce1", "0d1a9caf4350") for k in (1, 2)])
    d = work / "data/train_masks"
    d.mkdir(parents=True, exist_ok=True)
    for j, cid in enumerate(("0cdf5b5d0ce1", "0d1a9caf4350")):
        for k in (1, 2):
            m = _draw_mask((96, 64), j + k, "P", (0, 1, 1))
            m.putpalette([0, 0, 0, 255, 255, 255] + [0] * (254 * 3))
            m.save(d / f"{cid}_{k:02d}_mask.gif", format="GIF")


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
