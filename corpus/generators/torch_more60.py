"""A sixtieth held-out set (g116, scored 0.95 top-1 and 1.00 top-3 before any rule for it) of PyTorch / torchvision failures, untargeted across the taxonomy.

The persona: engineers and students training semantic segmentation models with torchvision (DeepLabV3, FCN,
LR-ASPP, all built with ``weights=None, weights_backbone=None``) and a hand-written U-Net on Cityscapes-, VOC-,
ADE- and custom-mask-style data: palette PNG masks, colour-coded masks, ignore index 255, class maps in JSON,
LabelMe polygons rasterised by hand, crops and scale augmentation, mIoU from confusion matrices, weighted, OHEM
and Dice losses, poly learning-rate schedules and auxiliary heads. A natural mix of causes, each program built
so that its cause is known by construction; none a repeat of the scenarios in the other generators:

- data: sliding-window evaluation of full-size ADE-style validation images whose edge windows are narrower than
  the tile (tqdm, data.image_size_mismatch), an ADE-style subset with a few greyscale JPEGs opened without
  ``convert("RGB")`` before ``Normalize`` (in workers, data.image_channels), ADE's ``reduce_zero_label`` written
  as ``mask - 1`` on int64 masks so "other" becomes -1 instead of 255 (tqdm, data.label_out_of_range), LabelMe
  polygons rasterised with ``ImageDraw`` on an ``"RGB"`` canvas (notebook, data.label_shape), an mIoU confusion
  matrix made with ``torch.zeros`` and filled by ``index_put_`` with int64 ones (data.dtype), a Cityscapes
  loader asking for the ``_gtFine_labelTrainIds.png`` files that ``createTrainIdLabelImgs`` was never run to
  make (in workers, data.missing_or_corrupt), ``VOCSegmentation`` given the ``VOCdevkit`` folder itself as its
  root (notebook, data.missing_or_corrupt);
- model: the CamVid 480 x 360 frames through a four-level hand-written U-Net (tqdm, model.input_shape), a class
  map JSON exported without its implicit background sizing the LR-ASPP head (model.output_mismatch), an FCN-
  ResNet50 run's best checkpoint evaluated with the script's DeepLabV3 default ``--arch``
  (model.weights_mismatch), a joint scale + crop augmentation calling ``RandomCrop.get_params`` with an int
  crop size (in workers, model.api_misuse), SegNet-style median-frequency class weights computed over the
  classes present in the training masks only (model.output_mismatch);
- optimisation: DeepLabV3's main and auxiliary losses back-propagated one after the other (tqdm,
  optim.autograd_graph), an OHEM loss that returns the kept pixel losses without reducing them
  (optim.autograd_graph), a generalised Dice loss whose ``1 / (sum r_l)^2`` class weights turn infinite for a
  class missing from the batch, under anomaly mode (optim.divergence);
- resource / environment / other: every validation image's full-resolution logits kept for one end-of-epoch
  mIoU under a job memory limit (resource.host_memory), the segmentation reference's ``--device cuda`` default
  on a CPU box (env.cuda_setup), an old ``ext_transforms.py`` importing
  ``torchvision.transforms.functional_tensor`` (env.version_incompat), a colour-to-id ``defaultdict(lambda:
  255)`` in a Dataset under spawn workers (env.multiprocessing), the backbone frozen for the first epoch after
  the DDP wrap (torchrun, gloo, env.distributed), a palette list from the class JSON indexed with the
  prediction array (notebook, other), the per-class IoU array formatted as the mIoU (tqdm, other).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more60.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


from _record import Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders  # noqa: E402,F401
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more60.py"

SCRIPTS = {}
CELLS = {}

MEAN_STD = "[0.485, 0.456, 0.406], [0.229, 0.224, 0.225]"


def seg_pairs(pairs, values, ignore_border=False, seed=0, grey=(), palette=False, rgb_mask=None):
    """A setup writing image / mask pairs. pairs: [(image path, mask path, (w, h))]; every mask is a grid of
    blocks holding each of `values` (a 255 border when ignore_border); images named in `grey` are saved as
    one-channel JPEGs; palette=True saves the masks as VOC-style palette PNGs; rgb_mask: a list of RGB colours
    (one per value) to save colour-coded masks instead of class ids."""
    def setup(work):
        import numpy as np
        from PIL import Image

        rng = np.random.default_rng(seed)
        vals = list(values)
        for k, (img_rel, mask_rel, (w, h)) in enumerate(pairs):
            gy, gx = 4, 4
            cells = np.array([vals[(k + j) % len(vals)] for j in range(gy * gx)], np.uint8)
            rng.shuffle(cells)
            small = Image.fromarray(cells.reshape(gy, gx))
            mask = np.array(small.resize((w, h), Image.NEAREST))
            if ignore_border:
                mask[:3, :] = 255
                mask[-3:, :] = 255
                mask[:, :3] = 255
                mask[:, -3:] = 255
            base = rng.integers(40, 220, (len(vals) + 1, 3))
            lut = {v: base[i] for i, v in enumerate(vals)}
            lut[255] = base[-1]
            img = np.zeros((h, w, 3), np.float32)
            for v, c in lut.items():
                img[mask == v] = c
            img += rng.normal(0, 12, img.shape)
            img = np.clip(img, 0, 255).astype(np.uint8)
            ip = work / img_rel
            ip.parent.mkdir(parents=True, exist_ok=True)
            pil = Image.fromarray(img)
            if img_rel in grey:
                pil = pil.convert("L")
            pil.save(ip, quality=92) if ip.suffix.lower() in (".jpg", ".jpeg") else pil.save(ip)
            if mask_rel is None:
                continue
            mp = work / mask_rel
            mp.parent.mkdir(parents=True, exist_ok=True)
            if rgb_mask is not None:
                col = np.zeros((h, w, 3), np.uint8)
                for i, v in enumerate(vals):
                    col[mask == v] = rgb_mask[i]
                Image.fromarray(col).save(mp)
            elif palette:
                pal = []
                for i in range(256):
                    r = g = b = 0
                    c = i
                    for j in range(8):
                        r |= ((c >> 0) & 1) << (7 - j)
                        g |= ((c >> 1) & 1) << (7 - j)
                        b |= ((c >> 2) & 1) << (7 - j)
                        c >>= 3
                    pal += [r, g, b]
                pm = Image.frombytes("P", (w, h), mask.tobytes())
                pm.putpalette(pal)
                pm.save(mp)
            else:
                Image.fromarray(mask).save(mp)
    return setup


# ================================================================== data
SCRIPTS["ade-slide-inference-edge-windows-stacked-tqdm"] = '''
import glob

import numpy as np
import torch
from PIL import Image
from torchvision import transforms as T
from torchvision.models.segmentation import lraspp_mobilenet_v3_large
from tqdm import tqdm

NUM_CLASSES = 8
TILE = 256
to_tensor = T.Compose([T.ToTensor(), T.Normalize(@@MEAN_STD@@)])


@torch.no_grad()
def slide_inference(model, image):
    """full-resolution prediction: cut the image into TILE x TILE windows, run them as one batch, stitch back"""
    _, h, w = image.shape
    windows, coords = [], []
    for y in range(0, h, TILE):
        for x in range(0, w, TILE):
            windows.append(image[:, y:y + TILE, x:x + TILE])
            coords.append((y, x))
    out = model(torch.stack(windows))["out"]
    logits = torch.zeros(NUM_CLASSES, h, w)
    for (y, x), o in zip(coords, out):
        logits[:, y:y + TILE, x:x + TILE] = o
    return logits


def main():
    model = lraspp_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=NUM_CLASSES)
    model.load_state_dict(torch.load("checkpoints/lraspp_ade_subset_best.pth", map_location="cpu"))
    model.eval()
    images = sorted(glob.glob("data/ade_subset/images/validation/*.jpg"))
    print(f"{len(images)} validation images, tile {TILE}")
    conf = np.zeros((NUM_CLASSES, NUM_CLASSES), dtype=np.int64)
    for path in tqdm(images, desc="val (sliding window)"):
        image = to_tensor(Image.open(path).convert("RGB"))
        gt = np.array(Image.open(path.replace("/images/", "/annotations/").replace(".jpg", ".png")), dtype=np.int64)
        pred = slide_inference(model, image).argmax(0).numpy()
        valid = gt != 255
        conf += np.bincount(NUM_CLASSES * gt[valid] + pred[valid],
                            minlength=NUM_CLASSES ** 2).reshape(NUM_CLASSES, NUM_CLASSES)
    iou = np.diag(conf) / (conf.sum(0) + conf.sum(1) - np.diag(conf))
    print(f"mIoU: {np.nanmean(iou):.4f}")


if __name__ == "__main__":
    main()
'''.replace("@@MEAN_STD@@", MEAN_STD)

SAVE_LRASPP = '''
import os
import torch
from torchvision.models.segmentation import lraspp_mobilenet_v3_large

os.makedirs(os.path.dirname("@@PT@@"), exist_ok=True)
torch.manual_seed(0)
torch.save(lraspp_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=@@NC@@).state_dict(), "@@PT@@")
'''

ADE_VAL = [(f"data/ade_subset/images/validation/ADE_val_{i:08d}.jpg",
            f"data/ade_subset/annotations/validation/ADE_val_{i:08d}.png", wh)
           for i, wh in enumerate([(683, 512), (512, 683), (640, 480), (512, 384)], start=1)]

SCRIPTS["ade-subset-greyscale-jpegs-opened-without-convert-workers"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms as T
from torchvision.models.segmentation import deeplabv3_mobilenet_v3_large

NUM_CLASSES = 12     # the 12 most frequent ADE20K classes, re-indexed 0..11, everything else 255
CROP = 192
EPOCHS = 20


class ADESubset(Dataset):
    def __init__(self, root, split):
        self.images = sorted(glob.glob(f"{root}/images/{split}/*.jpg"))
        self.img_tf = T.Compose([T.Resize((CROP, CROP)), T.ToTensor(), T.Normalize(@@MEAN_STD@@)])

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img_path = self.images[i]
        ann_path = img_path.replace("/images/", "/annotations/").replace(".jpg", ".png")
        image = Image.open(img_path)
        mask = Image.open(ann_path).resize((CROP, CROP), Image.NEAREST)
        return self.img_tf(image), torch.from_numpy(np.array(mask)).long()


def main():
    torch.manual_seed(0)
    train_ds = ADESubset("data/ADEChallenge_subset", "training")
    loader = DataLoader(train_ds, batch_size=4, shuffle=True, num_workers=2, drop_last=True)
    print(f"{len(train_ds)} training images")
    model = deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=NUM_CLASSES,
                                         aux_loss=True)
    criterion = nn.CrossEntropyLoss(ignore_index=255)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
    scheduler = torch.optim.lr_scheduler.PolynomialLR(optimizer, total_iters=EPOCHS * len(loader), power=0.9)
    for epoch in range(EPOCHS):
        model.train()
        for step, (images, masks) in enumerate(loader):
            out = model(images)
            loss = criterion(out["out"], masks) + 0.4 * criterion(out["aux"], masks)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            scheduler.step()
            print(f"epoch {epoch} step {step} loss {loss.item():.4f} lr {scheduler.get_last_lr()[0]:.5f}")


if __name__ == "__main__":
    main()
'''.replace("@@MEAN_STD@@", MEAN_STD)

ADE_TRAIN = [(f"data/ADEChallenge_subset/images/training/ADE_train_{i:08d}.jpg",
              f"data/ADEChallenge_subset/annotations/training/ADE_train_{i:08d}.png", wh)
             for i, wh in enumerate([(320, 240), (256, 341), (400, 300), (300, 225)] * 4, start=1)]
ADE_GREY = {ADE_TRAIN[i][0] for i in (2, 6, 9, 13)}

SCRIPTS["ade-reduce-zero-label-minus-one-on-int64-masks-tqdm"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms as T
from torchvision.models.segmentation import lraspp_mobilenet_v3_large
from tqdm import tqdm

NUM_CLASSES = 12
SIZE = 160


class SceneParsing(Dataset):
    """ADE20K layout: annotations hold 0 = "other objects" and 1..N for the classes"""

    def __init__(self, root, split, reduce_zero_label=True):
        self.images = sorted(glob.glob(f"{root}/images/{split}/*.jpg"))
        self.reduce_zero_label = reduce_zero_label
        self.img_tf = T.Compose([T.Resize((SIZE, SIZE)), T.ToTensor(), T.Normalize(@@MEAN_STD@@)])

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        path = self.images[i]
        image = Image.open(path).convert("RGB")
        mask = Image.open(path.replace("/images/", "/annotations/").replace(".jpg", ".png"))
        mask = torch.as_tensor(np.array(mask.resize((SIZE, SIZE), Image.NEAREST)), dtype=torch.int64)
        if self.reduce_zero_label:
            # like mmseg: "other" (0) becomes the ignore label 255, classes 1..N become 0..N-1
            mask = mask - 1
        return self.img_tf(image), mask


torch.manual_seed(0)
train_loader = DataLoader(SceneParsing("data/ade_scenes", "training"), batch_size=4, shuffle=True)
model = lraspp_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=NUM_CLASSES)
criterion = nn.CrossEntropyLoss(ignore_index=255)
optimizer = torch.optim.AdamW(model.parameters(), lr=6e-4, weight_decay=0.01)

for epoch in range(10):
    model.train()
    pbar = tqdm(train_loader, desc=f"epoch {epoch + 1}/10")
    for images, masks in pbar:
        loss = criterion(model(images)["out"], masks)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        pbar.set_postfix(loss=f"{loss.item():.3f}")
'''.replace("@@MEAN_STD@@", MEAN_STD)

ADE_SCENES = [(f"data/ade_scenes/images/training/ADE_train_{i:08d}.jpg",
               f"data/ade_scenes/annotations/training/ADE_train_{i:08d}.png", (240, 180)) for i in range(1, 9)]

CELLS["labelme-polygons-drawn-on-rgb-canvas-notebook"] = [
    '''
import glob
import json

import numpy as np
import torch
import torch.nn as nn
from PIL import Image, ImageDraw
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms as T
from torchvision.models.segmentation import fcn_resnet50

CLASS_TO_ID = json.load(open("bridge_inspection/classes.json"))
print(CLASS_TO_ID)
SIZE = (160, 120)
''',
    '''
def labelme_to_mask(json_path):
    """rasterise the LabelMe polygons into a class-id mask"""
    ann = json.load(open(json_path))
    mask = Image.new("RGB", (ann["imageWidth"], ann["imageHeight"]))
    draw = ImageDraw.Draw(mask)
    for shape in ann["shapes"]:
        if shape["shape_type"] == "polygon":
            draw.polygon([tuple(p) for p in shape["points"]], fill=CLASS_TO_ID[shape["label"]])
    return mask


class BridgeDefects(Dataset):
    def __init__(self, folder):
        self.jsons = sorted(glob.glob(f"{folder}/*.json"))
        self.jsons = [j for j in self.jsons if not j.endswith("classes.json")]
        self.img_tf = T.Compose([T.Resize(SIZE[::-1]), T.ToTensor(), T.Normalize(@@MEAN_STD@@)])

    def __len__(self):
        return len(self.jsons)

    def __getitem__(self, i):
        image = Image.open(self.jsons[i].replace(".json", ".jpg")).convert("RGB")
        mask = labelme_to_mask(self.jsons[i]).resize(SIZE, Image.NEAREST)
        return self.img_tf(image), torch.from_numpy(np.array(mask)).long()


ds = BridgeDefects("bridge_inspection")
loader = DataLoader(ds, batch_size=2, shuffle=True)
print(len(ds), "annotated photos")
''',
    '''
torch.manual_seed(0)
model = fcn_resnet50(weights=None, weights_backbone=None, num_classes=len(CLASS_TO_ID))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for epoch in range(5):
    model.train()
    for images, masks in loader:
        loss = criterion(model(images)["out"], masks)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
''',
]
CELLS["labelme-polygons-drawn-on-rgb-canvas-notebook"][1] = \
    CELLS["labelme-polygons-drawn-on-rgb-canvas-notebook"][1].replace("@@MEAN_STD@@", MEAN_STD)


def labelme_setup(work):
    import json

    from PIL import Image
    import numpy as np

    classes = {"_background_": 0, "crack": 1, "spalling": 2, "exposed_rebar": 3}
    d = work / "bridge_inspection"
    d.mkdir(parents=True, exist_ok=True)
    (d / "classes.json").write_text(json.dumps(classes, indent=2))
    rng = np.random.default_rng(4)
    for i in range(6):
        w, h = 320, 240
        Image.fromarray(rng.integers(60, 200, (h, w, 3), dtype=np.uint8)).save(d / f"IMG_{4410 + i}.jpg")
        shapes = [
            {"label": "crack", "points": [[20 + i, 30], [200, 40 + i], [205, 52], [22, 44]],
             "group_id": None, "description": "", "shape_type": "polygon", "flags": {}},
            {"label": "spalling", "points": [[150, 120], [260, 110], [280, 200], [170, 215]],
             "group_id": None, "description": "", "shape_type": "polygon", "flags": {}},
            {"label": "exposed_rebar", "points": [[40, 150], [110, 150], [110, 170], [40, 170]],
             "group_id": None, "description": "", "shape_type": "rectangle" if i % 3 == 0 else "polygon",
             "flags": {}},
        ]
        ann = {"version": "5.4.1", "flags": {}, "shapes": shapes, "imagePath": f"IMG_{4410 + i}.jpg",
               "imageData": None, "imageHeight": h, "imageWidth": w}
        (d / f"IMG_{4410 + i}.json").write_text(json.dumps(ann, indent=2))


SCRIPTS["miou-float-confusion-matrix-index-put-long-ones"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms as T
from torchvision.models.segmentation import lraspp_mobilenet_v3_large

CLASSES = ["background", "water", "building", "road", "tree"]
NUM_CLASSES = len(CLASSES)
IGNORE = 255
SIZE = 128


class AerialTiles(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/img/*.png"))
        self.img_tf = T.Compose([T.Resize((SIZE, SIZE)), T.ToTensor(), T.Normalize(@@MEAN_STD@@)])

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        image = Image.open(self.images[i]).convert("RGB")
        mask = Image.open(self.images[i].replace("/img/", "/mask/")).resize((SIZE, SIZE), Image.NEAREST)
        return self.img_tf(image), torch.from_numpy(np.array(mask)).long()


def update_confusion(conf, pred, target):
    """conf[gt, pred] += 1 for every labelled pixel"""
    valid = target != IGNORE
    gt, pr = target[valid], pred[valid]
    conf.index_put_((gt, pr), torch.ones_like(gt), accumulate=True)


def evaluate(model, loader):
    model.eval()
    conf = torch.zeros(NUM_CLASSES, NUM_CLASSES)
    with torch.no_grad():
        for images, masks in loader:
            pred = model(images)["out"].argmax(1)
            update_confusion(conf, pred, masks)
    iou = conf.diag() / (conf.sum(0) + conf.sum(1) - conf.diag())
    return iou.nanmean().item()


torch.manual_seed(0)
train_loader = DataLoader(AerialTiles("tiles/train"), batch_size=4, shuffle=True)
val_loader = DataLoader(AerialTiles("tiles/val"), batch_size=4)
model = lraspp_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=NUM_CLASSES)
criterion = nn.CrossEntropyLoss(ignore_index=IGNORE)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
max_iter = 30 * len(train_loader)
scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda it: (1 - it / max_iter) ** 0.9)
for epoch in range(30):
    model.train()
    for images, masks in train_loader:
        loss = criterion(model(images)["out"], masks)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        scheduler.step()
    print(f"epoch {epoch}: loss {loss.item():.4f}")
    print(f"epoch {epoch}: val mIoU {evaluate(model, val_loader):.4f}")
'''.replace("@@MEAN_STD@@", MEAN_STD)

AERIAL = ([(f"tiles/train/img/tile_{i:04d}.png", f"tiles/train/mask/tile_{i:04d}.png", (150, 150)) for i in range(8)]
          + [(f"tiles/val/img/tile_{i:04d}.png", f"tiles/val/mask/tile_{i:04d}.png", (150, 150))
             for i in range(100, 104)])

SCRIPTS["cityscapes-labeltrainids-never-generated-workers"] = '''
import glob
import os

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms as T
from torchvision.models.segmentation import deeplabv3_mobilenet_v3_large

NUM_CLASSES = 19
IGNORE = 255


class CityscapesTrainIds(Dataset):
    def __init__(self, root, split="train", size=(128, 256)):
        self.images = sorted(glob.glob(os.path.join(root, "leftImg8bit", split, "*", "*_leftImg8bit.png")))
        self.size = size
        self.img_tf = T.Compose([T.Resize(size), T.ToTensor(), T.Normalize(@@MEAN_STD@@)])

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img_path = self.images[i]
        lbl_path = img_path.replace(os.sep + "leftImg8bit" + os.sep, os.sep + "gtFine" + os.sep).replace(
            "_leftImg8bit.png", "_gtFine_labelTrainIds.png")
        image = Image.open(img_path).convert("RGB")
        label = Image.open(lbl_path).resize(self.size[::-1], Image.NEAREST)
        return self.img_tf(image), torch.from_numpy(np.array(label)).long()


def main():
    train_ds = CityscapesTrainIds("data/cityscapes", "train")
    print(f"found {len(train_ds)} training images")
    loader = DataLoader(train_ds, batch_size=4, shuffle=True, num_workers=2, drop_last=True)
    model = deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=NUM_CLASSES)
    criterion = nn.CrossEntropyLoss(ignore_index=IGNORE)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=4e-5)
    for epoch in range(100):
        model.train()
        for images, labels in loader:
            loss = criterion(model(images)["out"], labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(f"epoch {epoch} loss {loss.item():.4f}")


if __name__ == "__main__":
    main()
'''.replace("@@MEAN_STD@@", MEAN_STD)


def cityscapes_setup(work):
    """leftImg8bit + gtFine as the two zips unpack: color / instanceIds / labelIds / polygons, no labelTrainIds"""
    import json

    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(11)
    for split, cities in (("train", ("aachen", "bochum", "bremen")), ("val", ("frankfurt",))):
        for city in cities:
            for k in range(3):
                stem = f"{city}_{k:06d}_0000{19 + k:02d}"
                ip = work / "data/cityscapes/leftImg8bit" / split / city / f"{stem}_leftImg8bit.png"
                gp = work / "data/cityscapes/gtFine" / split / city
                ip.parent.mkdir(parents=True, exist_ok=True)
                gp.mkdir(parents=True, exist_ok=True)
                Image.fromarray(rng.integers(0, 256, (128, 256, 3), dtype=np.uint8)).save(ip)
                ids = rng.choice([7, 8, 11, 21, 23, 24, 26], size=(8, 16)).astype(np.uint8)
                lab = np.kron(ids, np.ones((16, 16), np.uint8))
                Image.fromarray(lab).save(gp / f"{stem}_gtFine_labelIds.png")
                Image.fromarray(lab * 2).save(gp / f"{stem}_gtFine_instanceIds.png")
                Image.fromarray(np.stack([lab * 5, lab * 3, lab], -1)).save(gp / f"{stem}_gtFine_color.png")
                (gp / f"{stem}_gtFine_polygons.json").write_text(json.dumps(
                    {"imgHeight": 1024, "imgWidth": 2048,
                     "objects": [{"label": "road", "polygon": [[0, 600], [2047, 600], [2047, 1023], [0, 1023]]}]}))


CELLS["vocsegmentation-root-given-vocdevkit-folder-notebook"] = [
    '''
import torch
from torch.utils.data import DataLoader
from torchvision import datasets, tv_tensors
from torchvision.transforms import v2

train_tf = v2.Compose([
    v2.ToImage(),
    v2.RandomResizedCrop(256, scale=(0.5, 2.0), antialias=True),
    v2.RandomHorizontalFlip(),
    v2.ToDtype({tv_tensors.Image: torch.float32, "others": None}, scale=True),
    v2.Normalize(@@MEAN_STD@@),
])
''',
    '''
# VOCtrainval_11-May-2012.tar was extracted into data/, which made data/VOCdevkit/VOC2012/...
train_ds = datasets.VOCSegmentation(root="data/VOCdevkit", year="2012", image_set="train", download=False,
                                    transforms=train_tf)
train_loader = DataLoader(train_ds, batch_size=8, shuffle=True, num_workers=2)
print(len(train_ds))
''',
]
CELLS["vocsegmentation-root-given-vocdevkit-folder-notebook"][0] = \
    CELLS["vocsegmentation-root-given-vocdevkit-folder-notebook"][0].replace("@@MEAN_STD@@", MEAN_STD)

VOC_IDS = ["2007_000032", "2007_000039", "2007_000063", "2007_000068", "2007_000121", "2007_000129"]
VOC = [(f"data/VOCdevkit/VOC2012/JPEGImages/{i}.jpg", f"data/VOCdevkit/VOC2012/SegmentationClass/{i}.png",
        (200, 150)) for i in VOC_IDS]


def voc_lists(work):
    d = work / "data/VOCdevkit/VOC2012/ImageSets/Segmentation"
    d.mkdir(parents=True, exist_ok=True)
    (d / "train.txt").write_text("\n".join(VOC_IDS[:4]) + "\n")
    (d / "val.txt").write_text("\n".join(VOC_IDS[4:]) + "\n")
    (d / "trainval.txt").write_text("\n".join(VOC_IDS) + "\n")


# ================================================================== model
SCRIPTS["camvid-480x360-frames-hand-unet-skip-concat-tqdm"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms as T
from tqdm import tqdm

CLASSES = ["Sky", "Building", "Pole", "Road", "Pavement", "Tree", "SignSymbol", "Fence", "Car",
           "Pedestrian", "Bicyclist"]
VOID = 11    # the SegNet tutorial's CamVid annotations: 0..10 and 11 = unlabelled


class CamVid(Dataset):
    def __init__(self, root, split):
        self.images = sorted(glob.glob(f"{root}/{split}/*.png"))
        self.split = split
        self.to_tensor = T.Compose([T.ToTensor(), T.Normalize(@@MEAN_STD@@)])

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        path = self.images[i]
        image = Image.open(path).convert("RGB")
        label = Image.open(path.replace(f"/{self.split}/", f"/{self.split}annot/"))
        return self.to_tensor(image), torch.from_numpy(np.array(label)).long()


def double_conv(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
                         nn.Conv2d(cout, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class UNet(nn.Module):
    def __init__(self, n_classes, features=(16, 32, 64, 128)):
        super().__init__()
        self.downs = nn.ModuleList()
        self.ups = nn.ModuleList()
        self.pool = nn.MaxPool2d(2)
        ch = 3
        for f in features:
            self.downs.append(double_conv(ch, f))
            ch = f
        self.bottleneck = double_conv(features[-1], features[-1] * 2)
        for f in reversed(features):
            self.ups.append(nn.ConvTranspose2d(f * 2, f, kernel_size=2, stride=2))
            self.ups.append(double_conv(f * 2, f))
        self.head = nn.Conv2d(features[0], n_classes, 1)

    def forward(self, x):
        skips = []
        for down in self.downs:
            x = down(x)
            skips.append(x)
            x = self.pool(x)
        x = self.bottleneck(x)
        for i in range(0, len(self.ups), 2):
            x = self.ups[i](x)
            x = torch.cat((skips[-1 - i // 2], x), dim=1)
            x = self.ups[i + 1](x)
        return self.head(x)


torch.manual_seed(0)
train_loader = DataLoader(CamVid("data/CamVid", "train"), batch_size=2, shuffle=True)
model = UNet(len(CLASSES))
criterion = nn.CrossEntropyLoss(ignore_index=VOID)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(40):
    model.train()
    pbar = tqdm(train_loader, desc=f"epoch {epoch + 1}")
    for images, labels in pbar:
        loss = criterion(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        pbar.set_postfix(loss=loss.item())
'''.replace("@@MEAN_STD@@", MEAN_STD)

CAMVID = [(f"data/CamVid/train/0001TP_{6690 + 30 * i:06d}.png", f"data/CamVid/trainannot/0001TP_{6690 + 30 * i:06d}.png",
           (480, 360)) for i in range(4)]

SCRIPTS["class-json-without-background-sizes-lraspp-head"] = '''
import glob
import json

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms as T
from torchvision.models.segmentation import lraspp_mobilenet_v3_large

# classes.json comes with the annotation tool's export: {"1": "road", "2": "sidewalk", ...}
with open("sidewalk_robot/classes.json") as f:
    ID_TO_NAME = {int(k): v for k, v in json.load(f).items()}
NUM_CLASSES = len(ID_TO_NAME)
print("classes:", ID_TO_NAME)


class SidewalkFrames(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/frames/*.jpg"))
        self.img_tf = T.Compose([T.Resize((144, 192)), T.ToTensor(), T.Normalize(@@MEAN_STD@@)])

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        image = Image.open(self.images[i]).convert("RGB")
        mask = Image.open(self.images[i].replace("/frames/", "/masks/").replace(".jpg", ".png"))
        mask = mask.resize((192, 144), Image.NEAREST)
        return self.img_tf(image), torch.from_numpy(np.array(mask)).long()


torch.manual_seed(0)
loader = DataLoader(SidewalkFrames("sidewalk_robot"), batch_size=4, shuffle=True)
model = lraspp_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=NUM_CLASSES)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=5e-4)
for epoch in range(25):
    model.train()
    running = 0.0
    for images, masks in loader:
        loss = criterion(model(images)["out"], masks)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        running += loss.item()
    print(f"epoch {epoch + 1}: loss {running / len(loader):.4f}")
'''.replace("@@MEAN_STD@@", MEAN_STD)

SIDEWALK = [(f"sidewalk_robot/frames/frame_{i:05d}.jpg", f"sidewalk_robot/masks/frame_{i:05d}.png", (320, 240))
            for i in range(0, 80, 10)]
SIDEWALK_CLASSES = '{"1": "road", "2": "sidewalk", "3": "vegetation", "4": "vehicle", "5": "pedestrian"}\n'

SCRIPTS["fcn-resnet50-best-checkpoint-evaluated-as-deeplabv3"] = '''
import argparse
import glob

import numpy as np
import torch
from PIL import Image
from torchvision import transforms as T
from torchvision.models import segmentation

parser = argparse.ArgumentParser(description="evaluate a trained segmentation checkpoint on the val split")
parser.add_argument("--arch", default="deeplabv3_resnet50",
                    choices=["fcn_resnet50", "deeplabv3_resnet50", "deeplabv3_mobilenet_v3_large"])
parser.add_argument("--ckpt", required=True)
parser.add_argument("--num-classes", type=int, default=6)
parser.add_argument("--data", default="data/potsdam_crops/val")
args = parser.parse_args()

model = getattr(segmentation, args.arch)(weights=None, weights_backbone=None, num_classes=args.num_classes,
                                         aux_loss=True)
model.load_state_dict(torch.load(args.ckpt, map_location="cpu"))
model.eval()
print(f"loaded {args.ckpt} into {args.arch}")

to_tensor = T.Compose([T.ToTensor(), T.Normalize(@@MEAN_STD@@)])
conf = np.zeros((args.num_classes, args.num_classes), np.int64)
with torch.no_grad():
    for path in sorted(glob.glob(f"{args.data}/images/*.png")):
        pred = model(to_tensor(Image.open(path).convert("RGB"))[None])["out"].argmax(1)[0].numpy()
        gt = np.array(Image.open(path.replace("/images/", "/labels/")), dtype=np.int64)
        conf += np.bincount(args.num_classes * gt.ravel() + pred.ravel(),
                            minlength=args.num_classes ** 2).reshape(args.num_classes, -1)
iou = np.diag(conf) / (conf.sum(0) + conf.sum(1) - np.diag(conf))
print("mIoU", np.nanmean(iou))
'''.replace("@@MEAN_STD@@", MEAN_STD)

FCN_CKPT = '''
import os
import torch
from torchvision.models.segmentation import fcn_resnet50

os.makedirs("runs/fcn_r50_potsdam", exist_ok=True)
torch.manual_seed(0)
model = fcn_resnet50(weights=None, weights_backbone=None, num_classes=6, aux_loss=True)
torch.save(model.state_dict(), "runs/fcn_r50_potsdam/best_model.pth")
'''

POTSDAM = [(f"data/potsdam_crops/val/images/top_potsdam_2_13_{i:03d}.png",
            f"data/potsdam_crops/val/labels/top_potsdam_2_13_{i:03d}.png", (128, 128)) for i in range(3)]

SCRIPTS["joint-scale-crop-get-params-int-crop-size-workers"] = '''
import glob
import random

import numpy as np
import torch
import torch.nn as nn
import torchvision.transforms as T
import torchvision.transforms.functional as TF
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.segmentation import deeplabv3_mobilenet_v3_large

IGNORE = 255


class JointScaleCrop:
    """random scale (0.5 - 2.0), pad with 0 / 255, random crop: the same geometry for image and mask"""

    def __init__(self, crop_size, scale=(0.5, 2.0)):
        self.crop_size = crop_size
        self.scale = scale

    def __call__(self, image, mask):
        s = random.uniform(*self.scale)
        w, h = image.size
        new_size = [int(h * s), int(w * s)]
        image = TF.resize(image, new_size, interpolation=T.InterpolationMode.BILINEAR)
        mask = TF.resize(mask, new_size, interpolation=T.InterpolationMode.NEAREST)
        pad_h = max(self.crop_size - new_size[0], 0)
        pad_w = max(self.crop_size - new_size[1], 0)
        if pad_h or pad_w:
            image = TF.pad(image, [0, 0, pad_w, pad_h], fill=0)
            mask = TF.pad(mask, [0, 0, pad_w, pad_h], fill=IGNORE)
        i, j, h, w = T.RandomCrop.get_params(image, output_size=self.crop_size)
        return TF.crop(image, i, j, h, w), TF.crop(mask, i, j, h, w)


class WeedFields(Dataset):
    def __init__(self, root, joint):
        self.images = sorted(glob.glob(f"{root}/rgb/*.png"))
        self.joint = joint
        self.to_tensor = T.Compose([T.ToTensor(), T.Normalize(@@MEAN_STD@@)])

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        image = Image.open(self.images[i]).convert("RGB")
        mask = Image.open(self.images[i].replace("/rgb/", "/label/"))
        image, mask = self.joint(image, mask)
        return self.to_tensor(image), torch.from_numpy(np.array(mask)).long()


def main():
    ds = WeedFields("data/weedmap/train", JointScaleCrop(crop_size=160))
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2, drop_last=True)
    model = deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=3)
    criterion = nn.CrossEntropyLoss(ignore_index=IGNORE)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    for epoch in range(50):
        for images, masks in loader:
            loss = criterion(model(images)["out"], masks)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(epoch, loss.item())


if __name__ == "__main__":
    main()
'''.replace("@@MEAN_STD@@", MEAN_STD)

WEEDS = [(f"data/weedmap/train/rgb/frame{i:04d}.png", f"data/weedmap/train/label/frame{i:04d}.png", (200, 150))
         for i in range(8)]

SCRIPTS["median-frequency-weights-over-classes-present"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms as T
from torchvision.models.segmentation import deeplabv3_mobilenet_v3_large

CLASSES = ["background", "asphalt", "marking", "pothole", "manhole", "crack_sealing"]
IGNORE = 255


class RoadSurface(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/images/*.jpg"))
        self.img_tf = T.Compose([T.Resize((128, 160)), T.ToTensor(), T.Normalize(@@MEAN_STD@@)])

    def __len__(self):
        return len(self.images)

    def mask_path(self, i):
        return self.images[i].replace("/images/", "/masks/").replace(".jpg", ".png")

    def __getitem__(self, i):
        image = Image.open(self.images[i]).convert("RGB")
        mask = Image.open(self.mask_path(i)).resize((160, 128), Image.NEAREST)
        return self.img_tf(image), torch.from_numpy(np.array(mask)).long()


def median_frequency_weights(ds):
    """SegNet's median frequency balancing: w_c = median(freq) / freq_c"""
    pixels, present = {}, {}
    for i in range(len(ds)):
        mask = np.array(Image.open(ds.mask_path(i)))
        ids, counts = np.unique(mask[mask != IGNORE], return_counts=True)
        for c, n in zip(ids.tolist(), counts.tolist()):
            pixels[c] = pixels.get(c, 0) + n
            present[c] = present.get(c, 0) + mask.size
    freq = {c: pixels[c] / present[c] for c in sorted(pixels)}
    med = np.median(list(freq.values()))
    return torch.tensor([med / f for f in freq.values()], dtype=torch.float32)


torch.manual_seed(0)
train_ds = RoadSurface("road_surface/train")
weights = median_frequency_weights(train_ds)
print("class weights:", [round(w, 3) for w in weights.tolist()])
loader = DataLoader(train_ds, batch_size=4, shuffle=True)
model = deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=len(CLASSES))
criterion = nn.CrossEntropyLoss(weight=weights, ignore_index=IGNORE)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for epoch in range(30):
    for images, masks in loader:
        loss = criterion(model(images)["out"], masks)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''.replace("@@MEAN_STD@@", MEAN_STD)

ROAD = [(f"road_surface/train/images/{i:05d}.jpg", f"road_surface/train/masks/{i:05d}.png", (240, 180))
        for i in range(8)]

# ================================================================== optimisation
SCRIPTS["deeplab-main-and-aux-losses-backward-one-after-other-tqdm"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms as T
from torchvision.models.segmentation import deeplabv3_mobilenet_v3_large
from tqdm import tqdm

NUM_CLASSES = 7
AUX_WEIGHT = 0.4


class Kitchens(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/JPEGImages/*.jpg"))
        self.img_tf = T.Compose([T.Resize((160, 160)), T.ToTensor(), T.Normalize(@@MEAN_STD@@)])

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        path = self.images[i]
        image = Image.open(path).convert("RGB")
        mask = Image.open(path.replace("JPEGImages", "SegmentationClass").replace(".jpg", ".png"))
        return self.img_tf(image), torch.from_numpy(np.array(mask.resize((160, 160), Image.NEAREST))).long()


torch.manual_seed(0)
loader = DataLoader(Kitchens("kitchen_seg"), batch_size=4, shuffle=True)
model = deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=NUM_CLASSES, aux_loss=True)
criterion = nn.CrossEntropyLoss(ignore_index=255)
optimizer = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9, weight_decay=1e-4)
scheduler = torch.optim.lr_scheduler.PolynomialLR(optimizer, total_iters=30 * len(loader), power=0.9)

for epoch in range(30):
    model.train()
    pbar = tqdm(loader, desc=f"epoch {epoch}")
    for images, masks in pbar:
        out = model(images)
        main_loss = criterion(out["out"], masks)
        aux_loss = criterion(out["aux"], masks)
        optimizer.zero_grad()
        # two backward calls so the aux weight can be annealed on its own later
        main_loss.backward()
        (AUX_WEIGHT * aux_loss).backward()
        optimizer.step()
        scheduler.step()
        pbar.set_postfix(main=f"{main_loss.item():.3f}", aux=f"{aux_loss.item():.3f}")
'''.replace("@@MEAN_STD@@", MEAN_STD)

KITCHEN = [(f"kitchen_seg/JPEGImages/kitchen_{i:04d}.jpg", f"kitchen_seg/SegmentationClass/kitchen_{i:04d}.png",
            (200, 200)) for i in range(8)]

SCRIPTS["ohem-loss-returns-kept-pixel-losses-unreduced"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms as T
from torchvision.models.segmentation import deeplabv3_mobilenet_v3_large

NUM_CLASSES = 19
IGNORE = 255


class OhemCrossEntropy(nn.Module):
    """online hard example mining: keep the hardest `keep_ratio` of the labelled pixels"""

    def __init__(self, ignore_index=IGNORE, keep_ratio=0.25):
        super().__init__()
        self.ignore_index = ignore_index
        self.keep_ratio = keep_ratio

    def forward(self, logits, target):
        pixel_losses = F.cross_entropy(logits, target, ignore_index=self.ignore_index, reduction="none").flatten()
        pixel_losses = pixel_losses[target.flatten() != self.ignore_index]
        n_keep = max(int(self.keep_ratio * pixel_losses.numel()), 1)
        hard, _ = torch.topk(pixel_losses, n_keep)
        return hard


class DashcamTrainIds(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/images/*.png"))
        self.img_tf = T.Compose([T.ToTensor(), T.Normalize(@@MEAN_STD@@)])

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        image = Image.open(self.images[i]).convert("RGB")
        label = Image.open(self.images[i].replace("/images/", "/trainids/"))
        return self.img_tf(image), torch.from_numpy(np.array(label)).long()


torch.manual_seed(0)
loader = DataLoader(DashcamTrainIds("dashcam/train"), batch_size=4, shuffle=True)
model = deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=NUM_CLASSES, aux_loss=True)
ohem = OhemCrossEntropy()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
for epoch in range(60):
    model.train()
    for step, (images, labels) in enumerate(loader):
        out = model(images)
        loss = ohem(out["out"], labels) + 0.4 * ohem(out["aux"], labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: loss {loss.mean().item():.4f}")
'''.replace("@@MEAN_STD@@", MEAN_STD)

DASHCAM = [(f"dashcam/train/images/seq01_{i:06d}.png", f"dashcam/train/trainids/seq01_{i:06d}.png", (256, 128))
           for i in range(8)]

SCRIPTS["generalised-dice-weights-class-absent-from-batch-anomaly"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset

torch.autograd.set_detect_anomaly(True)   # the loss printed nan from the first epoch: find where

CLASSES = ["background", "edema", "enhancing", "necrosis"]
N = len(CLASSES)


class MRISlices(Dataset):
    """FLAIR slices exported as PNG with their label maps (0..3)"""

    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/flair/*.png"))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        x = np.array(Image.open(self.images[i]), np.float32)
        x = (x - x.mean()) / (x.std() + 1e-6)
        y = np.array(Image.open(self.images[i].replace("/flair/", "/seg/")), np.int64)
        return torch.from_numpy(x)[None], torch.from_numpy(y)


def generalised_dice_loss(logits, target, eps=1e-6):
    """Sudre et al. 2017: class weights w_l = 1 / (sum_n r_ln)^2 against the class imbalance"""
    probs = logits.softmax(1)
    onehot = F.one_hot(target, N).permute(0, 3, 1, 2).float()
    w = 1.0 / onehot.sum((0, 2, 3)) ** 2
    inter = (w * (probs * onehot).sum((0, 2, 3))).sum()
    union = (w * (probs + onehot).sum((0, 2, 3))).sum()
    return 1 - 2 * inter / (union + eps)


def block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
                         nn.Conv2d(cout, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class UNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.e1, self.e2, self.e3 = block(1, 16), block(16, 32), block(32, 64)
        self.u2, self.d2 = nn.ConvTranspose2d(64, 32, 2, stride=2), block(64, 32)
        self.u1, self.d1 = nn.ConvTranspose2d(32, 16, 2, stride=2), block(32, 16)
        self.head = nn.Conv2d(16, N, 1)

    def forward(self, x):
        e1 = self.e1(x)
        e2 = self.e2(F.max_pool2d(e1, 2))
        e3 = self.e3(F.max_pool2d(e2, 2))
        d2 = self.d2(torch.cat([self.u2(e3), e2], 1))
        return self.head(self.d1(torch.cat([self.u1(d2), e1], 1)))


torch.manual_seed(0)
loader = DataLoader(MRISlices("brats_slices/train"), batch_size=2, shuffle=True)
model = UNet()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(100):
    model.train()
    for step, (x, y) in enumerate(loader):
        logits = model(x)
        loss = F.cross_entropy(logits, y) + generalised_dice_loss(logits, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        print(f"epoch {epoch} step {step}: loss {loss.item():.4f}")
'''

BRATS_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(2)
for d in ("brats_slices/train/flair", "brats_slices/train/seg"):
    os.makedirs(d, exist_ok=True)
yy, xx = np.mgrid[0:96, 0:96]
for i in range(8):
    cy, cx = 40 + 2 * i, 50 - i
    r = np.hypot(yy - cy, xx - cx)
    seg = np.zeros((96, 96), np.uint8)
    seg[r < 22] = 1                      # edema
    seg[r < 12] = 2                      # enhancing rim
    if i in (3, 6):
        seg[r < 5] = 3                   # necrotic core: only in the two largest tumours
    img = 80 + 60 * (seg > 0) + 30 * (seg == 2) - 40 * (seg == 3) + rng.normal(0, 10, (96, 96))
    name = f"BraTS2021_{i + 101:05d}_s{70 + i:03d}.png"
    Image.fromarray(np.clip(img, 0, 255).astype(np.uint8)).save(f"brats_slices/train/flair/{name}")
    Image.fromarray(seg).save(f"brats_slices/train/seg/{name}")
'''

# ================================================================== resource / environment / other
SCRIPTS["miou-full-res-val-logits-kept-for-epoch-end-memory-limit"] = '''
import resource

# the cluster job was submitted with --mem=2G
_, hard = resource.getrlimit(resource.RLIMIT_DATA)
resource.setrlimit(resource.RLIMIT_DATA, (2 * 1024 ** 3, hard))

import glob

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torchvision import transforms as T
from torchvision.models.segmentation import lraspp_mobilenet_v3_large

NUM_CLASSES = 19
FULL = (1024, 2048)          # labels are evaluated at the full Cityscapes resolution
to_tensor = T.Compose([T.Resize((256, 512)), T.ToTensor(), T.Normalize(@@MEAN_STD@@)])

model = lraspp_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=NUM_CLASSES)
model.load_state_dict(torch.load("checkpoints/lraspp_cityscapes_epoch80.pth", map_location="cpu"))
model.eval()

all_logits, all_labels = [], []
frames = sorted(glob.glob("cityscapes/leftImg8bit/val/*/*_leftImg8bit.png"))
with torch.no_grad():
    for k, path in enumerate(frames):
        x = to_tensor(Image.open(path).convert("RGB"))[None]
        logits = F.interpolate(model(x)["out"], size=FULL, mode="bilinear", align_corners=False)
        label = path.replace("leftImg8bit", "gtFine", 1).replace("_leftImg8bit.png", "_gtFine_labelTrainIds.png")
        all_logits.append(logits)
        all_labels.append(torch.from_numpy(np.array(Image.open(label))).long()[None])
        print(f"[{k + 1}/{len(frames)}] {path.split('/')[-1]}")

# one confusion matrix over the whole split at the end
preds = torch.cat(all_logits).argmax(1)
labels = torch.cat(all_labels)
valid = labels != 255
conf = torch.bincount(NUM_CLASSES * labels[valid] + preds[valid], minlength=NUM_CLASSES ** 2)
conf = conf.reshape(NUM_CLASSES, NUM_CLASSES).double()
iou = conf.diag() / (conf.sum(0) + conf.sum(1) - conf.diag())
print(f"mIoU {iou.nanmean().item():.4f}")
'''.replace("@@MEAN_STD@@", MEAN_STD)


def cityscapes_full_val(work):
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(21)
    for k in range(16):
        city = ("frankfurt", "lindau", "munster")[k % 3]
        stem = f"{city}_{k:06d}_0000{19 + k:02d}"
        ip = work / "cityscapes/leftImg8bit/val" / city / f"{stem}_leftImg8bit.png"
        gp = work / "cityscapes/gtFine/val" / city / f"{stem}_gtFine_labelTrainIds.png"
        ip.parent.mkdir(parents=True, exist_ok=True)
        gp.parent.mkdir(parents=True, exist_ok=True)
        small = rng.integers(0, 256, (32, 64, 3), dtype=np.uint8)
        Image.fromarray(small).resize((2048, 1024), Image.BILINEAR).save(ip, compress_level=1)
        lab = rng.integers(0, 19, (16, 32), dtype=np.uint8)
        Image.fromarray(lab).resize((2048, 1024), Image.NEAREST).save(gp, compress_level=1)


SCRIPTS["seg-reference-train-device-cuda-default-cpu-box"] = '''
import argparse
import glob
import time

import numpy as np
import torch
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms as T


def get_args_parser():
    parser = argparse.ArgumentParser(description="PyTorch Segmentation Training", add_help=True)
    parser.add_argument("--data-path", default="data/floodnet", type=str, help="dataset path")
    parser.add_argument("--model", default="deeplabv3_mobilenet_v3_large", type=str, help="model name")
    parser.add_argument("--aux-loss", action="store_true", help="auxiliary loss")
    parser.add_argument("--device", default="cuda", type=str, help="device (Use cuda or cpu Default: cuda)")
    parser.add_argument("-b", "--batch-size", default=4, type=int, help="images per gpu")
    parser.add_argument("--epochs", default=30, type=int, metavar="N", help="number of total epochs to run")
    parser.add_argument("-j", "--workers", default=0, type=int, metavar="N", help="number of data loading workers")
    parser.add_argument("--lr", default=0.01, type=float, help="initial learning rate")
    parser.add_argument("--momentum", default=0.9, type=float, metavar="M", help="momentum")
    parser.add_argument("--wd", "--weight-decay", default=1e-4, type=float, dest="weight_decay")
    return parser


class FloodNet(Dataset):
    def __init__(self, root, split):
        self.images = sorted(glob.glob(f"{root}/{split}/{split}-org-img/*.jpg"))
        self.img_tf = T.Compose([T.Resize((192, 256)), T.ToTensor(), T.Normalize(@@MEAN_STD@@)])

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        path = self.images[i]
        image = Image.open(path).convert("RGB")
        mask = Image.open(path.replace("-org-img", "-label-img").replace(".jpg", "_lab.png"))
        return self.img_tf(image), torch.from_numpy(np.array(mask.resize((256, 192), Image.NEAREST))).long()


def criterion(inputs, target):
    losses = {name: torch.nn.functional.cross_entropy(x, target, ignore_index=255) for name, x in inputs.items()}
    if len(losses) == 1:
        return losses["out"]
    return losses["out"] + 0.5 * losses["aux"]


def main(args):
    print(args)
    device = torch.device(args.device)
    dataset = FloodNet(args.data_path, "train")
    data_loader = DataLoader(dataset, batch_size=args.batch_size, shuffle=True, num_workers=args.workers,
                             drop_last=True)
    model = torchvision.models.get_model(args.model, weights=None, weights_backbone=None, num_classes=10,
                                         aux_loss=args.aux_loss)
    model.to(device)
    params_to_optimize = [
        {"params": [p for p in model.backbone.parameters() if p.requires_grad]},
        {"params": [p for p in model.classifier.parameters() if p.requires_grad]},
    ]
    optimizer = torch.optim.SGD(params_to_optimize, lr=args.lr, momentum=args.momentum,
                                weight_decay=args.weight_decay)
    iters_per_epoch = len(data_loader)
    lr_scheduler = torch.optim.lr_scheduler.PolynomialLR(optimizer, total_iters=iters_per_epoch * args.epochs,
                                                         power=0.9)
    start_time = time.time()
    for epoch in range(args.epochs):
        model.train()
        for image, target in data_loader:
            image, target = image.to(device), target.to(device)
            loss = criterion(model(image), target)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            lr_scheduler.step()
        print(f"Epoch: [{epoch}] loss {loss.item():.4f} lr {optimizer.param_groups[0]['lr']:.6f}")
    print(f"Training time {time.time() - start_time:.0f}s")


if __name__ == "__main__":
    args = get_args_parser().parse_args()
    main(args)
'''.replace("@@MEAN_STD@@", MEAN_STD)

FLOODNET = [(f"data/floodnet/train/train-org-img/{6300 + i}.jpg",
             f"data/floodnet/train/train-label-img/{6300 + i}_lab.png", (300, 225)) for i in range(4)]

EXT_TRANSFORMS = '''
"""Joint image / mask transforms (from an older DeepLabV3+ repo)."""
import random

import numpy as np
import torch
import torchvision.transforms.functional as F
import torchvision.transforms.functional_tensor as F_t
from PIL import Image


class ExtCompose:
    def __init__(self, transforms):
        self.transforms = transforms

    def __call__(self, img, lbl):
        for t in self.transforms:
            img, lbl = t(img, lbl)
        return img, lbl


class ExtRandomScale:
    def __init__(self, scale_range, interpolation=F.InterpolationMode.BILINEAR):
        self.scale_range = scale_range
        self.interpolation = interpolation

    def __call__(self, img, lbl):
        scale = random.uniform(self.scale_range[0], self.scale_range[1])
        target_size = (int(img.size[1] * scale), int(img.size[0] * scale))
        return (F.resize(img, target_size, self.interpolation),
                F.resize(lbl, target_size, F.InterpolationMode.NEAREST))


class ExtRandomCrop:
    def __init__(self, size, pad_if_needed=True):
        self.size = (size, size) if isinstance(size, int) else size
        self.pad_if_needed = pad_if_needed

    def __call__(self, img, lbl):
        if self.pad_if_needed and img.size[0] < self.size[1]:
            img = F.pad(img, padding=int((1 + self.size[1] - img.size[0]) / 2))
            lbl = F.pad(lbl, padding=int((1 + self.size[1] - lbl.size[0]) / 2), fill=255)
        if self.pad_if_needed and img.size[1] < self.size[0]:
            img = F.pad(img, padding=int((1 + self.size[0] - img.size[1]) / 2))
            lbl = F.pad(lbl, padding=int((1 + self.size[0] - lbl.size[1]) / 2), fill=255)
        w, h = img.size
        i, j = random.randint(0, h - self.size[0]), random.randint(0, w - self.size[1])
        return F.crop(img, i, j, *self.size), F.crop(lbl, i, j, *self.size)


class ExtRandomHorizontalFlip:
    def __init__(self, p=0.5):
        self.p = p

    def __call__(self, img, lbl):
        if random.random() < self.p:
            return F.hflip(img), F.hflip(lbl)
        return img, lbl


class ExtColorJitter:
    def __init__(self, brightness=0.5, contrast=0.5, saturation=0.5):
        self.b, self.c, self.s = brightness, contrast, saturation

    def __call__(self, img, lbl):
        t = F.to_tensor(img)
        t = F_t.adjust_brightness(t, random.uniform(1 - self.b, 1 + self.b))
        t = F_t.adjust_contrast(t, random.uniform(1 - self.c, 1 + self.c))
        t = F_t.adjust_saturation(t, random.uniform(1 - self.s, 1 + self.s))
        return F.to_pil_image(t), lbl


class ExtToTensor:
    def __call__(self, img, lbl):
        return F.to_tensor(img), torch.from_numpy(np.array(lbl, dtype=np.uint8)).long()


class ExtNormalize:
    def __init__(self, mean, std):
        self.mean, self.std = mean, std

    def __call__(self, tensor, lbl):
        return F.normalize(tensor, self.mean, self.std), lbl
'''

SCRIPTS["old-ext-transforms-import-functional-tensor"] = '''
import argparse
import glob

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.segmentation import deeplabv3_mobilenet_v3_large

from utils import ext_transforms as et

parser = argparse.ArgumentParser()
parser.add_argument("--data_root", default="datasets/data/VOCdevkit/VOC2012")
parser.add_argument("--crop_size", type=int, default=256)
parser.add_argument("--batch_size", type=int, default=8)
parser.add_argument("--lr", type=float, default=0.01)
opts = parser.parse_args()

train_transform = et.ExtCompose([
    et.ExtRandomScale((0.5, 2.0)),
    et.ExtRandomCrop(size=(opts.crop_size, opts.crop_size), pad_if_needed=True),
    et.ExtRandomHorizontalFlip(),
    et.ExtColorJitter(brightness=0.5, contrast=0.5, saturation=0.5),
    et.ExtToTensor(),
    et.ExtNormalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]),
])


class VOCSeg(Dataset):
    def __init__(self, root, transform):
        self.ids = open(f"{root}/ImageSets/Segmentation/train.txt").read().split()
        self.root, self.transform = root, transform

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        img = Image.open(f"{self.root}/JPEGImages/{self.ids[i]}.jpg").convert("RGB")
        lbl = Image.open(f"{self.root}/SegmentationClass/{self.ids[i]}.png")
        return self.transform(img, lbl)


loader = DataLoader(VOCSeg(opts.data_root, train_transform), batch_size=opts.batch_size, shuffle=True)
model = deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=21)
criterion = nn.CrossEntropyLoss(ignore_index=255)
optimizer = torch.optim.SGD(model.parameters(), lr=opts.lr, momentum=0.9, weight_decay=1e-4)
for epoch in range(30):
    for images, labels in loader:
        loss = criterion(model(images)["out"], labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

SCRIPTS["colour-mask-defaultdict-lambda-spawn-workers"] = '''
import glob
import json
from collections import defaultdict

import cv2
import numpy as np
import torch
import torch.multiprocessing as mp
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from torchvision.models.segmentation import lraspp_mobilenet_v3_large


class ColourMaskDataset(Dataset):
    """masks painted in the annotation tool's colours; the class map is colour -> name in classes.json"""

    def __init__(self, root, class_json):
        with open(class_json) as f:
            classes = json.load(f)                 # {"background": [0, 0, 0], "wall": [120, 120, 120], ...}
        self.names = list(classes)
        # anti-aliased edges and stray colours are not in the map -> ignore index
        self.colour_to_id = defaultdict(lambda: 255)
        for i, rgb in enumerate(classes.values()):
            self.colour_to_id[tuple(rgb)] = i
        self.images = sorted(glob.glob(f"{root}/images/*.jpg"))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        path = self.images[i]
        image = cv2.cvtColor(cv2.imread(path), cv2.COLOR_BGR2RGB)
        image = cv2.resize(image, (160, 120))
        colour = cv2.cvtColor(cv2.imread(path.replace("/images/", "/masks/").replace(".jpg", ".png")),
                              cv2.COLOR_BGR2RGB)
        colour = cv2.resize(colour, (160, 120), interpolation=cv2.INTER_NEAREST)
        mask = np.full(colour.shape[:2], 255, np.int64)
        for rgb in np.unique(colour.reshape(-1, 3), axis=0):
            mask[(colour == rgb).all(-1)] = self.colour_to_id[tuple(int(v) for v in rgb)]
        x = torch.from_numpy(image).permute(2, 0, 1).float().div(255)
        return x, torch.from_numpy(mask)


def main():
    ds = ColourMaskDataset("interiors/train", "interiors/classes.json")
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2, persistent_workers=True)
    model = lraspp_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=len(ds.names))
    criterion = nn.CrossEntropyLoss(ignore_index=255)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(20):
        for images, masks in loader:
            loss = criterion(model(images)["out"], masks)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(f"epoch {epoch}: {loss.item():.4f}")


if __name__ == "__main__":
    # OpenCV in forked workers hung the lab server: use spawn
    mp.set_start_method("spawn")
    main()
'''

INTERIOR_COLOURS = [[0, 0, 0], [120, 120, 120], [80, 50, 50], [4, 200, 3], [204, 5, 255]]
INTERIOR_CLASSES = ('{"background": [0, 0, 0], "wall": [120, 120, 120], "floor": [80, 50, 50], '
                    '"plant": [4, 200, 3], "sofa": [204, 5, 255]}\n')
INTERIORS = [(f"interiors/train/images/room_{i:03d}.jpg", f"interiors/train/masks/room_{i:03d}.png", (200, 150))
             for i in range(8)]

SCRIPTS["ddp-backbone-frozen-first-epoch-after-wrap-torchrun"] = '''
import glob
import os

import numpy as np
import torch
import torch.distributed as dist
import torch.nn as nn
from PIL import Image
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, Dataset, DistributedSampler
from torchvision import transforms as T
from torchvision.models.segmentation import lraspp_mobilenet_v3_large

FREEZE_EPOCHS = 1     # train only the new head for the first epoch
EPOCHS = 10


class Orchards(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/images/*.jpg"))
        self.img_tf = T.Compose([T.Resize((128, 128)), T.ToTensor(), T.Normalize(@@MEAN_STD@@)])

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        image = Image.open(self.images[i]).convert("RGB")
        mask = Image.open(self.images[i].replace("/images/", "/masks/").replace(".jpg", ".png"))
        return self.img_tf(image), torch.from_numpy(np.array(mask.resize((128, 128), Image.NEAREST))).long()


def main():
    dist.init_process_group("gloo")
    rank = dist.get_rank()
    torch.manual_seed(0)
    ds = Orchards("orchard_drone/train")
    sampler = DistributedSampler(ds, shuffle=True)
    loader = DataLoader(ds, batch_size=2, sampler=sampler, drop_last=True)
    model = DDP(lraspp_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=4))
    criterion = nn.CrossEntropyLoss(ignore_index=255)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    for epoch in range(EPOCHS):
        sampler.set_epoch(epoch)
        for p in model.module.backbone.parameters():
            p.requires_grad = epoch >= FREEZE_EPOCHS
        model.train()
        for step, (images, masks) in enumerate(loader):
            loss = criterion(model(images)["out"], masks)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            if rank == 0:
                print(f"epoch {epoch} step {step} loss {loss.item():.4f}", flush=True)
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
'''.replace("@@MEAN_STD@@", MEAN_STD)

ORCHARD = [(f"orchard_drone/train/images/DJI_{210 + i:04d}.jpg", f"orchard_drone/train/masks/DJI_{210 + i:04d}.png",
            (160, 160)) for i in range(8)]

CELLS["palette-list-from-class-json-indexed-by-prediction-notebook"] = [
    '''
import json

import numpy as np
import torch
from PIL import Image
from torchvision import transforms as T
from torchvision.models.segmentation import deeplabv3_mobilenet_v3_large

with open("greenhouse/classes.json") as f:
    CLASSES = json.load(f)            # name -> [r, g, b]
NAMES = list(CLASSES)
PALETTE = list(CLASSES.values())
model = deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=len(NAMES))
model.load_state_dict(torch.load("greenhouse/deeplab_mnv3_best.pth", map_location="cpu"))
model.eval()
print(NAMES)
''',
    '''
to_tensor = T.Compose([T.Resize((192, 256)), T.ToTensor(), T.Normalize(@@MEAN_STD@@)])
image = Image.open("greenhouse/test/bench_07.jpg").convert("RGB")
with torch.no_grad():
    pred = model(to_tensor(image)[None])["out"].argmax(1)[0].numpy()
print(pred.shape, np.unique(pred))
''',
    '''
# colour the prediction with the class colours and save it next to the photo
colour = PALETTE[pred]
Image.fromarray(np.uint8(colour)).save("greenhouse/test/bench_07_pred.png")
''',
]
CELLS["palette-list-from-class-json-indexed-by-prediction-notebook"][1] = \
    CELLS["palette-list-from-class-json-indexed-by-prediction-notebook"][1].replace("@@MEAN_STD@@", MEAN_STD)

GREENHOUSE_PREP = '''
import json
import os
import numpy as np
import torch
from PIL import Image
from torchvision.models.segmentation import deeplabv3_mobilenet_v3_large

os.makedirs("greenhouse/test", exist_ok=True)
classes = {"background": [0, 0, 0], "leaf": [0, 160, 0], "fruit": [220, 30, 30], "stem": [150, 110, 40],
           "pot": [90, 90, 200]}
json.dump(classes, open("greenhouse/classes.json", "w"), indent=2)
torch.manual_seed(0)
torch.save(deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=5).state_dict(),
           "greenhouse/deeplab_mnv3_best.pth")
rng = np.random.default_rng(8)
Image.fromarray(rng.integers(0, 256, (480, 640, 3), dtype=np.uint8)).save("greenhouse/test/bench_07.jpg")
'''

SCRIPTS["per-class-iou-array-formatted-as-miou-tqdm"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from tqdm import tqdm

CLASSES = ["background", "liver", "kidney", "spleen"]
N = len(CLASSES)


class CTSlices(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/slices/*.png"))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        x = torch.from_numpy(np.array(Image.open(self.images[i]).convert("L"), np.float32) / 255.0)[None]
        y = torch.from_numpy(np.array(Image.open(self.images[i].replace("/slices/", "/labels/")), np.int64))
        return x, y


def block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class SmallUNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.e1, self.e2 = block(1, 16), block(16, 32)
        self.up, self.d1 = nn.ConvTranspose2d(32, 16, 2, stride=2), block(32, 16)
        self.out = nn.Conv2d(16, N, 1)

    def forward(self, x):
        e1 = self.e1(x)
        e2 = self.e2(F.max_pool2d(e1, 2))
        return self.out(self.d1(torch.cat([self.up(e2), e1], 1)))


def dice_loss(logits, target, eps=1.0):
    probs = logits.softmax(1)
    onehot = F.one_hot(target, N).permute(0, 3, 1, 2).float()
    inter = (probs * onehot).sum((0, 2, 3))
    return 1 - ((2 * inter + eps) / (probs.sum((0, 2, 3)) + onehot.sum((0, 2, 3)) + eps)).mean()


torch.manual_seed(0)
train_loader = DataLoader(CTSlices("abdomen_ct/train"), batch_size=4, shuffle=True)
val_loader = DataLoader(CTSlices("abdomen_ct/val"), batch_size=4)
model = SmallUNet()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(20):
    model.train()
    for x, y in tqdm(train_loader, desc=f"train {epoch}"):
        logits = model(x)
        loss = F.cross_entropy(logits, y) + dice_loss(logits, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    inter, union = np.zeros(N), np.zeros(N)
    with torch.no_grad():
        for x, y in val_loader:
            pred = model(x).argmax(1)
            for c in range(N):
                inter[c] += ((pred == c) & (y == c)).sum().item()
                union[c] += ((pred == c) | (y == c)).sum().item()
    miou = inter / np.maximum(union, 1)
    print(f"epoch {epoch}: loss {loss.item():.4f}  val mIoU {miou:.4f}")
'''

CT = ([(f"abdomen_ct/train/slices/case00{i // 4}_{i % 4:03d}.png",
        f"abdomen_ct/train/labels/case00{i // 4}_{i % 4:03d}.png", (96, 96)) for i in range(8)]
      + [(f"abdomen_ct/val/slices/case009_{i:03d}.png", f"abdomen_ct/val/labels/case009_{i:03d}.png", (96, 96))
         for i in range(4)])


def cases():
    out, add, script, notebook = case_builders("torch-more60-", SCRIPTS, CELLS)
    W = ("cpython_basic", "dataloader_worker")
    P = ("cpython_basic", "progress_bars")
    NBP = ("ipython_cell", "ipython_arrows")
    TR = ("-m", "torch.distributed.run", "--nproc_per_node=2")

    # ---- data
    script("ade-slide-inference-edge-windows-stacked-tqdm", "data.image_size_mismatch", also=["other"], forms=P,
           argv="eval_slide.py",
           setup=both(prep(sub(SAVE_LRASPP, PT="checkpoints/lraspp_ade_subset_best.pth", NC="8")),
                      seg_pairs(ADE_VAL, range(8), ignore_border=True, seed=1)))
    script("ade-subset-greyscale-jpegs-opened-without-convert-workers", "data.image_channels", forms=W,
           setup=seg_pairs(ADE_TRAIN, range(12), ignore_border=True, seed=2, grey=ADE_GREY))
    script("ade-reduce-zero-label-minus-one-on-int64-masks-tqdm", "data.label_out_of_range", forms=P,
           setup=seg_pairs(ADE_SCENES, range(13), seed=3))
    notebook("labelme-polygons-drawn-on-rgb-canvas-notebook", "data.label_shape", also=["data.image_channels"],
             setup=labelme_setup)
    script("miou-float-confusion-matrix-index-put-long-ones", "data.dtype",
           setup=seg_pairs(AERIAL, range(5), ignore_border=True, seed=4))
    script("cityscapes-labeltrainids-never-generated-workers", "data.missing_or_corrupt", forms=W,
           setup=cityscapes_setup)
    notebook("vocsegmentation-root-given-vocdevkit-folder-notebook", "data.missing_or_corrupt",
             also=["model.api_misuse"], forms=NBP,
             setup=both(seg_pairs(VOC, [0, 1, 15, 12], ignore_border=True, seed=5, palette=True), voc_lists))
    # ---- model
    script("camvid-480x360-frames-hand-unet-skip-concat-tqdm", "model.input_shape", forms=P,
           setup=seg_pairs(CAMVID, range(12), seed=6))
    script("class-json-without-background-sizes-lraspp-head", "model.output_mismatch",
           also=["data.label_out_of_range"],
           setup=both(seg_pairs(SIDEWALK, range(6), seed=7), write("sidewalk_robot/classes.json", SIDEWALK_CLASSES)))
    script("fcn-resnet50-best-checkpoint-evaluated-as-deeplabv3", "model.weights_mismatch", argv="evaluate.py",
           args=("--ckpt", "runs/fcn_r50_potsdam/best_model.pth"),
           setup=both(prep(FCN_CKPT), seg_pairs(POTSDAM, range(6), seed=8)))
    script("joint-scale-crop-get-params-int-crop-size-workers", "model.api_misuse", forms=W,
           setup=seg_pairs(WEEDS, range(3), seed=9))
    script("median-frequency-weights-over-classes-present", "model.output_mismatch",
           also=["other"], setup=seg_pairs(ROAD, [0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 3, 5], ignore_border=True, seed=10))
    # ---- optimisation
    script("deeplab-main-and-aux-losses-backward-one-after-other-tqdm", "optim.autograd_graph", forms=P,
           setup=seg_pairs(KITCHEN, range(7), ignore_border=True, seed=12))
    script("ohem-loss-returns-kept-pixel-losses-unreduced", "optim.autograd_graph", also=["model.api_misuse"],
           setup=seg_pairs(DASHCAM, range(19), ignore_border=True, seed=13))
    script("generalised-dice-weights-class-absent-from-batch-anomaly", "optim.divergence", also=["other"],
           setup=prep(BRATS_PREP))
    # ---- resource / environment / other
    script("miou-full-res-val-logits-kept-for-epoch-end-memory-limit", "resource.host_memory",
           argv="eval_miou.py",
           setup=both(prep(sub(SAVE_LRASPP, PT="checkpoints/lraspp_cityscapes_epoch80.pth", NC="19")),
                      cityscapes_full_val), timeout=400)
    script("seg-reference-train-device-cuda-default-cpu-box", "env.cuda_setup",
           args=("--aux-loss",), setup=seg_pairs(FLOODNET, range(10), seed=14))
    script("old-ext-transforms-import-functional-tensor", "env.version_incompat",
           args=("--data_root", "datasets/data/VOCdevkit/VOC2012"),
           extra={"utils/__init__.py": "", "utils/ext_transforms.py": EXT_TRANSFORMS},
           setup=both(seg_pairs([(p.replace("data/", "datasets/data/", 1), m.replace("data/", "datasets/data/", 1), s)
                                 for p, m, s in VOC], [0, 1, 15, 12], ignore_border=True, seed=15, palette=True),
                      lambda w: voc_lists(w / "datasets")))
    script("colour-mask-defaultdict-lambda-spawn-workers", "env.multiprocessing",
           setup=both(seg_pairs(INTERIORS, range(5), seed=16, rgb_mask=INTERIOR_COLOURS),
                      write("interiors/classes.json", INTERIOR_CLASSES)))
    script("ddp-backbone-frozen-first-epoch-after-wrap-torchrun", "env.distributed",
           also=["optim.autograd_graph"], argv="train_ddp.py", pre=(*TR, "--master_port=29581"),
           setup=seg_pairs(ORCHARD, range(4), seed=17), timeout=300, exception="RuntimeError")
    notebook("palette-list-from-class-json-indexed-by-prediction-notebook", "other", also=["model.api_misuse"],
             setup=prep(GREENHOUSE_PREP))
    script("per-class-iou-array-formatted-as-miou-tqdm", "other", forms=P, setup=seg_pairs(CT, range(4), seed=18))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
