"""A seventy-fourth held-out set (g140, scored 0.92 top-1 and 0.96 top-3 before any rule for it) of PyTorch / torchvision failures, untargeted across the taxonomy.

The persona: people who followed the official PyTorch / torchvision tutorials and then changed them for their own
data: the TorchVision object-detection fine-tuning tutorial (a PennFudan-style folder of ``PNGImages`` +
``PedMasks`` instance masks, built small and synthetic here), the transfer-learning tutorial with the ants/bees
folders replaced by their own classes, the DCGAN tutorial on their own photos, the FashionMNIST quickstart (and the
"Datasets & DataLoaders" / "Transforms" pages) pointed at their own image folder, and the semantic segmentation and
video classification references under ``vision/references``. A natural mix of causes, each program built so that its
cause is known by construction and made to fail inside torch, torchvision, PIL or NumPy; none a repeat of the
scenarios in the other generators:

- detection tutorial: instance masks exported by an annotation tool as colour PNGs and read with ``read_image``
  (in workers, data.image_channels), a ``get_transform`` rewritten without ``ToDtype`` (uint8 images,
  data.dtype), a people + bicycles dataset that keeps the tutorial's ``num_classes = 2`` (model.output_mismatch),
  the tutorial's inference cell calling ``model(x)`` on one image instead of ``model([x, ])`` (notebook,
  model.api_misuse), LabelMe
  rectangles dragged up-and-left into a Faster R-CNN (data.bbox_invalid), a predict script that ``torch.stack``-s
  a folder of photos of different sizes (data.image_size_mismatch), ``min_size`` raised to the phone photos' full
  resolution under the lab box's ``ulimit -d`` (resource.host_memory), the 2019 NumPy version of the dataset with an
  ``np.bool8`` cast under NumPy 2 (in workers, env.version_incompat);
- transfer learning: a Roboflow export (``train/valid/test``) under the tutorial's ``['train', 'val']``
  (data.missing_or_corrupt), the best weights' ``TemporaryDirectory`` path returned and loaded in a later notebook
  cell (other);
- DCGAN: ``dataroot`` pointed straight at a folder of photos (ImageFolder, data.missing_or_corrupt), labels built
  with ``torch.full((batch_size,), ...)`` and a short last batch (data.label_shape), the discriminator's
  ``Sigmoid`` dropped while ``BCELoss`` stays (model.output_mismatch), the fakes ``clamp_``-ed in place after the
  generator's ``Tanh`` (optim.autograd_graph);
- quickstart: greyscale sketches through ``ImageFolder`` (which converts to RGB) into the ``28*28`` MLP (notebook,
  data.image_channels), a CSV dataset whose labels stay class-name strings (data.label_shape), raw 0..255 pixels
  from ``PILToTensor`` with a raised learning rate under anomaly detection (optim.divergence), the Transforms
  page's one-hot ``Lambda`` target transform under spawn workers (env.multiprocessing), a predict script that keeps
  the quickstart ``NeuralNetwork`` for weights trained on 64x64 inputs and five classes (model.weights_mismatch);
- segmentation reference: ``--aux-loss`` kept from the DeepLab command line for ``lraspp_mobilenet_v3_large``
  (model.api_misuse), a custom dataset entry whose ``num_classes`` leaves out the background (data.label_out_of_range);
- video classification reference: ``s3d`` trained with the r2plus1d recipe's 112 px crops (model.input_shape), a
  vectorised clip-to-video aggregation with ``index_add_`` after a CPU bfloat16 autocast (data.dtype), ``--sync-bn``
  on a CPU ``torchrun`` with gloo (env.distributed).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None and
weights_backbone=None).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more74.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


import json
import os
from pathlib import Path

import numpy as np

from _record import Case, prep, both, write, sub, imgs, class_folder, case_builders  # noqa: E402,F401
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more74.py"

SCRIPTS = {}
CELLS = {}


# ================================================================== synthetic data
def pennfudan(root="data/PennFudanPed", n=6, sizes=None, colour_masks=False, classes_file=False, big=False):
    """PNGImages/FudanPedNNNNN.png + PedMasks/FudanPedNNNNN_mask.png (0 = background, 1..k = instance ids)."""
    def setup(work: Path):
        from PIL import Image
        rng = np.random.default_rng(7)
        os.makedirs(work / root / "PNGImages", exist_ok=True)
        os.makedirs(work / root / "PedMasks", exist_ok=True)
        if classes_file:
            os.makedirs(work / root / "Classes", exist_ok=True)
        palette = [(220, 20, 60), (119, 11, 32), (0, 0, 142), (250, 170, 30)]
        for i in range(n):
            if big:
                w, h = 3264, 2448
            elif sizes:
                w, h = sizes[i % len(sizes)]
            else:
                w, h = (200 + 17 * (i % 3), 160 + 11 * (i % 2))
            img = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
            mask = np.zeros((h, w), np.uint8)
            k = 2 + i % 2
            for j in range(k):
                x0 = int(w * (0.08 + 0.3 * j))
                y0 = int(h * (0.15 + 0.05 * j))
                x1, y1 = x0 + int(w * 0.2), y0 + int(h * 0.6)
                mask[y0:y1, x0:x1] = j + 1
                img[y0:y1, x0:x1] = (img[y0:y1, x0:x1] // 2) + 60
            stem = f"FudanPed{i + 1:05d}"
            Image.fromarray(img).save(work / root / "PNGImages" / f"{stem}.png")
            if colour_masks:
                rgb = np.zeros((h, w, 3), np.uint8)
                for j in range(k):
                    rgb[mask == j + 1] = palette[j]
                Image.fromarray(rgb).save(work / root / "PedMasks" / f"{stem}_mask.png")
            else:
                Image.fromarray(mask).save(work / root / "PedMasks" / f"{stem}_mask.png")
            if classes_file:
                names = ["person", "bicycle", "person"][:k]
                (work / root / "Classes" / f"{stem}.txt").write_text("\n".join(names) + "\n")
    return setup


DATASET_TORCH = '''
class PennFudanDataset(torch.utils.data.Dataset):
    def __init__(self, root, transforms):
        self.root = root
        self.transforms = transforms
        # load all image files, sorting them to ensure that they are aligned
        self.imgs = list(sorted(os.listdir(os.path.join(root, "PNGImages"))))
        self.masks = list(sorted(os.listdir(os.path.join(root, "PedMasks"))))

    def __getitem__(self, idx):
        # load images and masks
        img_path = os.path.join(self.root, "PNGImages", self.imgs[idx])
        mask_path = os.path.join(self.root, "PedMasks", self.masks[idx])
        img = read_image(img_path)
        mask = read_image(mask_path)
        # instances are encoded as different colors
        obj_ids = torch.unique(mask)
        # first id is the background, so remove it
        obj_ids = obj_ids[1:]
        num_objs = len(obj_ids)

        # split the color-encoded mask into a set
        # of binary masks
        masks = (mask == obj_ids[:, None, None]).to(dtype=torch.uint8)

        # get bounding box coordinates for each mask
        boxes = masks_to_boxes(masks)

@@LABELS@@
        image_id = idx
        area = (boxes[:, 3] - boxes[:, 1]) * (boxes[:, 2] - boxes[:, 0])
        # suppose all instances are not crowd
        iscrowd = torch.zeros((num_objs,), dtype=torch.int64)

        # Wrap sample and targets into torchvision tv_tensors:
        img = tv_tensors.Image(img)

        target = {}
        target["boxes"] = tv_tensors.BoundingBoxes(boxes, format="XYXY", canvas_size=F.get_size(img))
        target["masks"] = tv_tensors.Mask(masks)
        target["labels"] = labels
        target["image_id"] = image_id
        target["area"] = area
        target["iscrowd"] = iscrowd

        if self.transforms is not None:
            img, target = self.transforms(img, target)

        return img, target

    def __len__(self):
        return len(self.imgs)
'''

ONES_LABELS = '''\
        # there is only one class
        labels = torch.ones((num_objs,), dtype=torch.int64)'''

IMPORTS_DET = '''
import os

import torch
import torchvision
from torchvision.io import read_image
from torchvision.ops.boxes import masks_to_boxes
from torchvision import tv_tensors
from torchvision.transforms.v2 import functional as F
from torchvision.transforms import v2 as T
from torchvision.models.detection.faster_rcnn import FastRCNNPredictor
from torchvision.models.detection.mask_rcnn import MaskRCNNPredictor
'''

GET_MODEL = '''

def get_model_instance_segmentation(num_classes):
    # no internet on the lab machine: train from scratch instead of the COCO weights
    model = torchvision.models.detection.maskrcnn_resnet50_fpn(weights=None, weights_backbone=None,
                                                               min_size=@@MIN@@, max_size=@@MAX@@)

    # get number of input features for the classifier
    in_features = model.roi_heads.box_predictor.cls_score.in_features
    # replace the pre-trained head with a new one
    model.roi_heads.box_predictor = FastRCNNPredictor(in_features, num_classes)

    # now get the number of input features for the mask classifier
    in_features_mask = model.roi_heads.mask_predictor.conv5_mask.in_channels
    hidden_layer = 256
    # and replace the mask predictor with a new one
    model.roi_heads.mask_predictor = MaskRCNNPredictor(in_features_mask, hidden_layer, num_classes)

    return model


def get_transform(train):
    transforms = []
    if train:
        transforms.append(T.RandomHorizontalFlip(0.5))
    transforms.append(T.ToDtype(torch.float, scale=True))
    transforms.append(T.ToPureTensor())
    return T.Compose(transforms)


def collate_fn(batch):
    return tuple(zip(*batch))
'''

TRAIN_LOOP = '''

def main():
    device = torch.device("cuda") if torch.cuda.is_available() else torch.device("cpu")
    # our dataset has two classes only - background and person
    num_classes = 2
    dataset = PennFudanDataset("@@ROOT@@", get_transform(train=True))
    data_loader = torch.utils.data.DataLoader(dataset, batch_size=2, shuffle=True, num_workers=@@NW@@,
                                              collate_fn=collate_fn)

    model = get_model_instance_segmentation(num_classes)
    model.to(device)
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.SGD(params, lr=0.005, momentum=0.9, weight_decay=0.0005)
    lr_scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=3, gamma=0.1)

    num_epochs = 2
    for epoch in range(num_epochs):
        model.train()
        for i, (images, targets) in enumerate(data_loader):
            images = list(image.to(device) for image in images)
            targets = [{k: v.to(device) if isinstance(v, torch.Tensor) else v for k, v in t.items()} for t in targets]
            loss_dict = model(images, targets)
            losses = sum(loss for loss in loss_dict.values())
            optimizer.zero_grad()
            losses.backward()
            optimizer.step()
            print(f"Epoch: [{epoch}]  [{i}/{len(data_loader)}]  loss: {losses.item():.4f}  "
                  + "  ".join(f"{k}: {v.item():.4f}" for k, v in loss_dict.items()), flush=True)
        lr_scheduler.step()
    print("That's it!")


if __name__ == "__main__":
    main()
'''


def det_script(labels=ONES_LABELS, root="data/PennFudanPed", nw="0", min_size="320", max_size="480",
               get_model=GET_MODEL, loop=TRAIN_LOOP):
    return (IMPORTS_DET + sub(DATASET_TORCH, LABELS=labels)
            + sub(get_model, MIN=min_size, MAX=max_size) + sub(loop, ROOT=root, NW=nw))


# ================================================================== detection tutorial
# the annotation tool (a web labeller) exports each instance in its own colour, as an RGB PNG
SCRIPTS["pennfudan-own-colour-instance-masks-read-image-workers"] = det_script(root="data/StreetPeds", nw="2")

SCRIPTS["pennfudan-get-transform-rewritten-without-todtype"] = det_script(get_model=GET_MODEL.replace(
    '''def get_transform(train):
    transforms = []
    if train:
        transforms.append(T.RandomHorizontalFlip(0.5))
    transforms.append(T.ToDtype(torch.float, scale=True))
    transforms.append(T.ToPureTensor())
    return T.Compose(transforms)''',
    '''def get_transform(train):
    # more augmentation for my small dataset
    if train:
        return T.Compose([T.RandomHorizontalFlip(0.5), T.RandomPhotometricDistort(p=0.5),
                          T.ToPureTensor()])
    return T.Compose([T.ToPureTensor()])'''))

CLASS_LABELS = '''\
        # class of each instance id, one name per line (Classes/<image>.txt)
        stem = os.path.splitext(self.imgs[idx])[0]
        with open(os.path.join(self.root, "Classes", stem + ".txt")) as f:
            names = f.read().split()
        labels = torch.tensor([CLASSES.index(n) for n in names], dtype=torch.int64)'''

SCRIPTS["pennfudan-people-and-bicycles-num-classes-2-kept"] = det_script(
    labels=CLASS_LABELS, root="data/PedBikes").replace(
    "from torchvision.models.detection.mask_rcnn import MaskRCNNPredictor\n",
    "from torchvision.models.detection.mask_rcnn import MaskRCNNPredictor\n\n"
    'CLASSES = ["background", "person", "bicycle"]\n')

CELLS["pennfudan-inference-cell-single-image-not-in-list-notebook"] = [
    IMPORTS_DET + sub(GET_MODEL, MIN="320", MAX="480") + '''
device = torch.device("cpu")
model = get_model_instance_segmentation(2)
model.load_state_dict(torch.load("maskrcnn_pennfudan.pth", map_location=device, weights_only=True))
''',
    '''
image = read_image("test_photos/IMG_0101.jpg")
eval_transform = get_transform(train=False)

model.eval()
with torch.no_grad():
    x = eval_transform(image)
    # convert RGBA -> RGB and move model to device
    x = x[:3, ...].to(device)
    predictions = model(x)
    pred = predictions[0]
print(pred["boxes"].shape, pred["scores"][:5])
''',
]

SCRIPTS["labelme-rectangles-dragged-up-left-fasterrcnn"] = '''
import glob
import json
import os

import torch
import torchvision
from torchvision import tv_tensors
from torchvision.io import read_image
from torchvision.models.detection.faster_rcnn import FastRCNNPredictor
from torchvision.transforms import v2 as T
from torchvision.transforms.v2 import functional as F

CLASSES = ["__background__", "helmet", "vest"]


class LabelMeDataset(torch.utils.data.Dataset):
    """The PennFudan tutorial's dataset, for boxes drawn in LabelMe (one .json next to each .jpg)."""

    def __init__(self, root, transforms):
        self.root = root
        self.transforms = transforms
        self.jsons = sorted(glob.glob(os.path.join(root, "*.json")))

    def __getitem__(self, idx):
        with open(self.jsons[idx]) as f:
            ann = json.load(f)
        img = tv_tensors.Image(read_image(os.path.join(self.root, ann["imagePath"])))
        boxes, labels = [], []
        for shape in ann["shapes"]:
            if shape["shape_type"] != "rectangle":
                continue
            (x1, y1), (x2, y2) = shape["points"]
            boxes.append([x1, y1, x2, y2])
            labels.append(CLASSES.index(shape["label"]))
        target = {
            "boxes": tv_tensors.BoundingBoxes(boxes, format="XYXY", canvas_size=F.get_size(img)),
            "labels": torch.tensor(labels, dtype=torch.int64),
            "image_id": idx,
        }
        if self.transforms is not None:
            img, target = self.transforms(img, target)
        return img, target

    def __len__(self):
        return len(self.jsons)


def get_transform(train):
    transforms = []
    if train:
        transforms.append(T.RandomHorizontalFlip(0.5))
    transforms.append(T.ToDtype(torch.float, scale=True))
    transforms.append(T.ToPureTensor())
    return T.Compose(transforms)


dataset = LabelMeDataset("data/site_photos", get_transform(train=True))
data_loader = torch.utils.data.DataLoader(dataset, batch_size=2, shuffle=False, collate_fn=lambda b: tuple(zip(*b)))

model = torchvision.models.detection.fasterrcnn_resnet50_fpn(weights=None, weights_backbone=None,
                                                             min_size=320, max_size=480)
in_features = model.roi_heads.box_predictor.cls_score.in_features
model.roi_heads.box_predictor = FastRCNNPredictor(in_features, len(CLASSES))
params = [p for p in model.parameters() if p.requires_grad]
optimizer = torch.optim.SGD(params, lr=0.005, momentum=0.9, weight_decay=0.0005)

model.train()
for epoch in range(2):
    for i, (images, targets) in enumerate(data_loader):
        loss_dict = model(list(images), list(targets))
        losses = sum(loss for loss in loss_dict.values())
        optimizer.zero_grad()
        losses.backward()
        optimizer.step()
        print(f"epoch {epoch} iter {i}: {losses.item():.4f}", flush=True)
'''


def labelme_setup(work: Path):
    make = imgs([(f"data/site_photos/site_{i:03d}.jpg", (320, 240), "RGB") for i in range(6)])
    make(work)
    for i in range(6):
        shapes = [{"label": "helmet", "points": [[40 + 5 * i, 30], [90 + 5 * i, 75]], "group_id": None,
                   "shape_type": "rectangle", "flags": {}},
                  {"label": "vest", "points": [[150, 100 + 3 * i], [220, 200]], "group_id": None,
                   "shape_type": "rectangle", "flags": {}}]
        if i == 3:
            # this one was drawn from its bottom-right corner towards the top-left
            shapes.append({"label": "vest", "points": [[265.0, 190.0], [231.0, 118.0]], "group_id": None,
                           "shape_type": "rectangle", "flags": {}})
        ann = {"version": "5.4.1", "flags": {}, "shapes": shapes, "imagePath": f"site_{i:03d}.jpg",
               "imageData": None, "imageHeight": 240, "imageWidth": 320}
        (work / f"data/site_photos/site_{i:03d}.json").write_text(json.dumps(ann, indent=2))


SCRIPTS["maskrcnn-predict-script-torch-stack-folder-of-photos"] = '''
import glob
import sys

import torch
import torchvision
from torchvision.io import read_image
from torchvision.models.detection.faster_rcnn import FastRCNNPredictor
from torchvision.models.detection.mask_rcnn import MaskRCNNPredictor
from torchvision.transforms.v2 import functional as F


def get_model_instance_segmentation(num_classes):
    model = torchvision.models.detection.maskrcnn_resnet50_fpn(weights=None, weights_backbone=None,
                                                               min_size=320, max_size=480)
    in_features = model.roi_heads.box_predictor.cls_score.in_features
    model.roi_heads.box_predictor = FastRCNNPredictor(in_features, num_classes)
    in_features_mask = model.roi_heads.mask_predictor.conv5_mask.in_channels
    model.roi_heads.mask_predictor = MaskRCNNPredictor(in_features_mask, 256, num_classes)
    return model


model = get_model_instance_segmentation(2)
model.load_state_dict(torch.load("maskrcnn_pennfudan.pth", map_location="cpu", weights_only=True))
model.eval()

folder = sys.argv[1]
paths = sorted(glob.glob(f"{folder}/*.jpg"))
print(f"{len(paths)} photos in {folder}")
# one forward for the whole folder instead of a python loop
images = [F.to_dtype(read_image(p), torch.float32, scale=True) for p in paths]
batch = torch.stack(images)
with torch.no_grad():
    predictions = model(batch)
for p, pred in zip(paths, predictions):
    keep = pred["scores"] > 0.5
    print(p, int(keep.sum()), "people")
'''

MASKRCNN_CKPT = '''
import torch, torchvision
from torchvision.models.detection.faster_rcnn import FastRCNNPredictor
from torchvision.models.detection.mask_rcnn import MaskRCNNPredictor
m = torchvision.models.detection.maskrcnn_resnet50_fpn(weights=None, weights_backbone=None)
m.roi_heads.box_predictor = FastRCNNPredictor(m.roi_heads.box_predictor.cls_score.in_features, 2)
m.roi_heads.mask_predictor = MaskRCNNPredictor(256, 256, 2)
torch.save(m.state_dict(), "maskrcnn_pennfudan.pth")
'''

RLIMIT_HEAD = '''
import resource

# the lab server caps every login at 3 GB (`ulimit -d`); the same cap as there
_, _hard = resource.getrlimit(resource.RLIMIT_DATA)
resource.setrlimit(resource.RLIMIT_DATA, (3 * 1024 ** 3, _hard))
'''

SCRIPTS["maskrcnn-min-size-raised-to-full-phone-resolution-ulimit"] = RLIMIT_HEAD + det_script(
    root="data/ShopFloorPeds", min_size="2448", max_size="3264").replace(
    "    # no internet on the lab machine: train from scratch instead of the COCO weights\n",
    "    # no internet on the lab machine: train from scratch instead of the COCO weights\n"
    "    # keep the full 3264x2448 resolution: the people are small in my photos\n")


def big_pennfudan(root, n=2):
    code = f'''
import os
import numpy as np
from PIL import Image
root = "{root}"
os.makedirs(root + "/PNGImages", exist_ok=True)
os.makedirs(root + "/PedMasks", exist_ok=True)
rng = np.random.default_rng(3)
h, w = 2448, 3264
yy, xx = np.mgrid[0:h, 0:w]
for i in range({n}):
    img = np.stack([(xx + 5 * i) % 256, (yy * 2) % 256, (xx // 3 + yy // 5) % 256], -1).astype(np.uint8)
    mask = np.zeros((h, w), np.uint8)
    for j in range(3):
        x0, y0 = 300 + 900 * j, 500 + 100 * j
        mask[y0:y0 + 1400, x0:x0 + 420] = j + 1
    Image.fromarray(img).save(f"{{root}}/PNGImages/IMG_{{4410 + i}}.png", compress_level=1)
    Image.fromarray(mask).save(f"{{root}}/PedMasks/IMG_{{4410 + i}}_mask.png")
'''
    return prep(code)


SCRIPTS["pennfudan-2019-numpy-dataset-np-bool8-workers"] = '''
import os

import numpy as np
import torch
import torchvision
from PIL import Image
from torchvision.models.detection.faster_rcnn import FastRCNNPredictor
from torchvision.models.detection.mask_rcnn import MaskRCNNPredictor
import torchvision.transforms.functional as TF


class PennFudanDataset(object):
    def __init__(self, root, transforms=None):
        self.root = root
        self.transforms = transforms
        self.imgs = list(sorted(os.listdir(os.path.join(root, "PNGImages"))))
        self.masks = list(sorted(os.listdir(os.path.join(root, "PedMasks"))))

    def __getitem__(self, idx):
        img_path = os.path.join(self.root, "PNGImages", self.imgs[idx])
        mask_path = os.path.join(self.root, "PedMasks", self.masks[idx])
        img = Image.open(img_path).convert("RGB")
        # note that we haven't converted the mask to RGB,
        # because each color corresponds to a different instance
        # with 0 being background
        mask = Image.open(mask_path)
        mask = np.array(mask)
        obj_ids = np.unique(mask)
        obj_ids = obj_ids[1:]

        # split the color-encoded mask into a set of binary masks (bool: 8x less memory than int64)
        masks = (mask == obj_ids[:, None, None]).astype(np.bool8)

        num_objs = len(obj_ids)
        boxes = []
        for i in range(num_objs):
            pos = np.where(masks[i])
            xmin = np.min(pos[1])
            xmax = np.max(pos[1])
            ymin = np.min(pos[0])
            ymax = np.max(pos[0])
            boxes.append([xmin, ymin, xmax, ymax])

        boxes = torch.as_tensor(boxes, dtype=torch.float32)
        labels = torch.ones((num_objs,), dtype=torch.int64)
        masks = torch.as_tensor(masks, dtype=torch.uint8)

        target = {"boxes": boxes, "labels": labels, "masks": masks, "image_id": torch.tensor([idx]),
                  "area": (boxes[:, 3] - boxes[:, 1]) * (boxes[:, 2] - boxes[:, 0]),
                  "iscrowd": torch.zeros((num_objs,), dtype=torch.int64)}
        img = TF.to_tensor(img)
        return img, target

    def __len__(self):
        return len(self.imgs)


def collate_fn(batch):
    return tuple(zip(*batch))


if __name__ == "__main__":
    dataset = PennFudanDataset("PennFudanPed")
    data_loader = torch.utils.data.DataLoader(dataset, batch_size=2, shuffle=True, num_workers=2,
                                              collate_fn=collate_fn)
    model = torchvision.models.detection.maskrcnn_resnet50_fpn(weights=None, weights_backbone=None,
                                                               min_size=320, max_size=480)
    model.roi_heads.box_predictor = FastRCNNPredictor(1024, 2)
    model.roi_heads.mask_predictor = MaskRCNNPredictor(256, 256, 2)
    optimizer = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=0.005, momentum=0.9)
    model.train()
    for epoch in range(2):
        for i, (images, targets) in enumerate(data_loader):
            loss_dict = model(list(images), list(targets))
            losses = sum(loss for loss in loss_dict.values())
            optimizer.zero_grad()
            losses.backward()
            optimizer.step()
            print(f"[{epoch}] {i}: {losses.item():.4f}", flush=True)
'''

# ================================================================== transfer learning tutorial
TL_HEAD = '''
import os
import time
from tempfile import TemporaryDirectory

import torch
import torch.nn as nn
import torch.optim as optim
from torch.optim import lr_scheduler
from torchvision import datasets, models, transforms

data_transforms = {
    "train": transforms.Compose([
        transforms.RandomResizedCrop(96),
        transforms.RandomHorizontalFlip(),
        transforms.ToTensor(),
        transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])
    ]),
    "val": transforms.Compose([
        transforms.Resize(110),
        transforms.CenterCrop(96),
        transforms.ToTensor(),
        transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])
    ]),
}

data_dir = "@@DIR@@"
image_datasets = {x: datasets.ImageFolder(os.path.join(data_dir, x), data_transforms[x])
                  for x in ["train", "val"]}
dataloaders = {x: torch.utils.data.DataLoader(image_datasets[x], batch_size=4, shuffle=True, num_workers=0)
               for x in ["train", "val"]}
dataset_sizes = {x: len(image_datasets[x]) for x in ["train", "val"]}
class_names = image_datasets["train"].classes

device = torch.accelerator.current_accelerator().type if torch.accelerator.is_available() else "cpu"
print(f"Using {device} device")
'''

SCRIPTS["transfer-learning-roboflow-export-valid-folder"] = sub(TL_HEAD, DIR="data/bird_species") + '''

model_ft = models.resnet18(weights=None)
num_ftrs = model_ft.fc.in_features
model_ft.fc = nn.Linear(num_ftrs, len(class_names))
model_ft = model_ft.to(device)
criterion = nn.CrossEntropyLoss()
optimizer_ft = optim.SGD(model_ft.parameters(), lr=0.001, momentum=0.9)
exp_lr_scheduler = lr_scheduler.StepLR(optimizer_ft, step_size=7, gamma=0.1)
'''

TL_TRAIN_MODEL = '''
def train_model(model, criterion, optimizer, scheduler, num_epochs=25):
    since = time.time()

    # Create a temporary directory to save training checkpoints
    with TemporaryDirectory() as tempdir:
        best_model_params_path = os.path.join(tempdir, "best_model_params.pt")

        torch.save(model.state_dict(), best_model_params_path)
        best_acc = 0.0

        for epoch in range(num_epochs):
            print(f"Epoch {epoch}/{num_epochs - 1}")
            print("-" * 10)

            for phase in ["train", "val"]:
                if phase == "train":
                    model.train()
                else:
                    model.eval()

                running_loss = 0.0
                running_corrects = 0
                for inputs, labels in dataloaders[phase]:
                    inputs = inputs.to(device)
                    labels = labels.to(device)
                    optimizer.zero_grad()
                    with torch.set_grad_enabled(phase == "train"):
                        outputs = model(inputs)
                        _, preds = torch.max(outputs, 1)
                        loss = criterion(outputs, labels)
                        if phase == "train":
                            loss.backward()
                            optimizer.step()
                    running_loss += loss.item() * inputs.size(0)
                    running_corrects += torch.sum(preds == labels.data)
                if phase == "train":
                    scheduler.step()

                epoch_loss = running_loss / dataset_sizes[phase]
                epoch_acc = running_corrects.double() / dataset_sizes[phase]
                print(f"{phase} Loss: {epoch_loss:.4f} Acc: {epoch_acc:.4f}")

                # deep copy the model
                if phase == "val" and epoch_acc >= best_acc:
                    best_acc = epoch_acc
                    torch.save(model.state_dict(), best_model_params_path)
            print()

        time_elapsed = time.time() - since
        print(f"Training complete in {time_elapsed // 60:.0f}m {time_elapsed % 60:.0f}s")
        print(f"Best val Acc: {best_acc:4f}")

    # the best weights are loaded in the "evaluate" cell below, after I look at the curves
    return model, best_model_params_path
'''

CELLS["transfer-learning-best-params-tempdir-loaded-in-later-cell-notebook"] = [
    sub(TL_HEAD, DIR="data/mushrooms"),
    TL_TRAIN_MODEL,
    '''
model_ft = models.resnet18(weights=None)
num_ftrs = model_ft.fc.in_features
model_ft.fc = nn.Linear(num_ftrs, len(class_names))
model_ft = model_ft.to(device)
criterion = nn.CrossEntropyLoss()
optimizer_ft = optim.SGD(model_ft.parameters(), lr=0.001, momentum=0.9)
exp_lr_scheduler = lr_scheduler.StepLR(optimizer_ft, step_size=7, gamma=0.1)
model_ft, best_path = train_model(model_ft, criterion, optimizer_ft, exp_lr_scheduler, num_epochs=2)
''',
    '''
# evaluate the best epoch, not the last one
model_ft.load_state_dict(torch.load(best_path, weights_only=True))
model_ft.eval()
correct = 0
with torch.no_grad():
    for inputs, labels in dataloaders["val"]:
        correct += (model_ft(inputs).argmax(1) == labels).sum().item()
print(f"best model val acc: {correct / dataset_sizes['val']:.3f}")
''',
]

# ================================================================== DCGAN tutorial
DCGAN = '''
import random

import torch
import torch.nn as nn
import torch.optim as optim
import torch.utils.data
import torchvision.datasets as dset
import torchvision.transforms as transforms
import torchvision.utils as vutils

# Set random seed for reproducibility
manualSeed = 999
print("Random Seed: ", manualSeed)
random.seed(manualSeed)
torch.manual_seed(manualSeed)
torch.use_deterministic_algorithms(True)

# Root directory for dataset
dataroot = "@@ROOT@@"
workers = @@WORKERS@@
batch_size = @@BS@@
image_size = 64
nc = 3
nz = 100
ngf = 16
ndf = 16
num_epochs = 5
lr = 0.0002
beta1 = 0.5
ngpu = 1

dataset = dset.ImageFolder(root=dataroot,
                           transform=transforms.Compose([
                               transforms.Resize(image_size),
                               transforms.CenterCrop(image_size),
                               transforms.ToTensor(),
                               transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5)),
                           ]))
dataloader = torch.utils.data.DataLoader(dataset, batch_size=batch_size,
                                         shuffle=True, num_workers=workers)
device = torch.device("cuda:0" if (torch.cuda.is_available() and ngpu > 0) else "cpu")


def weights_init(m):
    classname = m.__class__.__name__
    if classname.find('Conv') != -1:
        nn.init.normal_(m.weight.data, 0.0, 0.02)
    elif classname.find('BatchNorm') != -1:
        nn.init.normal_(m.weight.data, 1.0, 0.02)
        nn.init.constant_(m.bias.data, 0)


class Generator(nn.Module):
    def __init__(self, ngpu):
        super(Generator, self).__init__()
        self.ngpu = ngpu
        self.main = nn.Sequential(
            nn.ConvTranspose2d(nz, ngf * 8, 4, 1, 0, bias=False),
            nn.BatchNorm2d(ngf * 8),
            nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 8, ngf * 4, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ngf * 4),
            nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ngf * 2),
            nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ngf),
            nn.ReLU(True),
            nn.ConvTranspose2d(ngf, nc, 4, 2, 1, bias=False),
            nn.Tanh()
        )

    def forward(self, input):
        return self.main(input)


class Discriminator(nn.Module):
    def __init__(self, ngpu):
        super(Discriminator, self).__init__()
        self.ngpu = ngpu
        self.main = nn.Sequential(
            nn.Conv2d(nc, ndf, 4, 2, 1, bias=False),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ndf * 2),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf * 2, ndf * 4, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ndf * 4),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf * 4, ndf * 8, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ndf * 8),
            nn.LeakyReLU(0.2, inplace=True),
@@DHEAD@@
        )

    def forward(self, input):
        return self.main(input)


netG = Generator(ngpu).to(device)
netG.apply(weights_init)
netD = Discriminator(ngpu).to(device)
netD.apply(weights_init)

criterion = nn.BCELoss()
fixed_noise = torch.randn(64, nz, 1, 1, device=device)
real_label = 1.
fake_label = 0.
optimizerD = optim.Adam(netD.parameters(), lr=lr, betas=(beta1, 0.999))
optimizerG = optim.Adam(netG.parameters(), lr=lr, betas=(beta1, 0.999))

img_list = []
G_losses = []
D_losses = []
iters = 0

print("Starting Training Loop...")
for epoch in range(num_epochs):
    for i, data in enumerate(dataloader, 0):
        ############################
        # (1) Update D network: maximize log(D(x)) + log(1 - D(G(z)))
        ###########################
        netD.zero_grad()
        real_cpu = data[0].to(device)
        b_size = real_cpu.size(0)
@@LABEL@@
        output = netD(real_cpu).view(-1)
        errD_real = criterion(output, label)
        errD_real.backward()
        D_x = output.mean().item()

        noise = torch.randn(b_size, nz, 1, 1, device=device)
        fake = netG(noise)
@@AFTERG@@
        label.fill_(fake_label)
        output = netD(fake.detach()).view(-1)
        errD_fake = criterion(output, label)
        errD_fake.backward()
        D_G_z1 = output.mean().item()
        errD = errD_real + errD_fake
        optimizerD.step()

        ############################
        # (2) Update G network: maximize log(D(G(z)))
        ###########################
        netG.zero_grad()
        label.fill_(real_label)
        output = netD(fake).view(-1)
        errG = criterion(output, label)
        errG.backward()
        D_G_z2 = output.mean().item()
        optimizerG.step()

        if i % 2 == 0:
            print('[%d/%d][%d/%d]\\tLoss_D: %.4f\\tLoss_G: %.4f\\tD(x): %.4f\\tD(G(z)): %.4f / %.4f'
                  % (epoch, num_epochs, i, len(dataloader),
                     errD.item(), errG.item(), D_x, D_G_z1, D_G_z2), flush=True)
        G_losses.append(errG.item())
        D_losses.append(errD.item())
        iters += 1
'''

D_SIGMOID = '''\
            nn.Conv2d(ndf * 8, 1, 4, 1, 0, bias=False),
            nn.Sigmoid()'''
LABEL_OK = '''\
        label = torch.full((b_size,), real_label, dtype=torch.float, device=device)'''


def dcgan(root, workers="0", bs="8", dhead=D_SIGMOID, label=LABEL_OK, afterg=""):
    t = DCGAN if afterg else DCGAN.replace("@@AFTERG@@\n", "")
    return sub(t, ROOT=root, WORKERS=workers, BS=bs, DHEAD=dhead, LABEL=label, **({"AFTERG": afterg} if afterg else {}))


SCRIPTS["dcgan-dataroot-points-at-folder-of-photos"] = dcgan("data/my_cat_photos")

SCRIPTS["dcgan-labels-full-of-batch-size-short-last-batch"] = dcgan("data/paintings", label='''\
        # labels for the whole batch, made once per step
        label = torch.full((batch_size,), real_label, dtype=torch.float, device=device)''')

SCRIPTS["dcgan-discriminator-sigmoid-removed-bceloss-kept"] = dcgan("data/sneakers", dhead='''\
            # no sigmoid at the end (gan hacks: keep the discriminator output unbounded)
            nn.Conv2d(ndf * 8, 1, 4, 1, 0, bias=False)''')

SCRIPTS["dcgan-fakes-clamped-in-place-after-tanh"] = dcgan("data/landscapes", afterg='''\
        # keep the fakes in the [-1, 1] range of the real images (and of save_image's normalisation)
        fake.clamp_(-1, 1)''')

# ================================================================== quickstart / datasets / transforms pages
QS_MODEL = '''
class NeuralNetwork(nn.Module):
    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.linear_relu_stack = nn.Sequential(
            nn.Linear(28*28, 512),
            nn.ReLU(),
            nn.Linear(512, 512),
            nn.ReLU(),
            nn.Linear(512, @@NC@@)
        )

    def forward(self, x):
        x = self.flatten(x)
        logits = self.linear_relu_stack(x)
        return logits
'''

QS_TRAIN = '''

def train(dataloader, model, loss_fn, optimizer):
    size = len(dataloader.dataset)
    model.train()
    for batch, (X, y) in enumerate(dataloader):
        X, y = X.to(device), y.to(device)

        # Compute prediction error
        pred = model(X)
        loss = loss_fn(pred, y)

        # Backpropagation
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()

        if batch % @@EVERY@@ == 0:
            loss, current = loss.item(), (batch + 1) * len(X)
            print(f"loss: {loss:>7f}  [{current:>5d}/{size:>5d}]")
'''

CELLS["quickstart-imagefolder-greyscale-sketches-mlp-notebook"] = [
    '''
import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets
from torchvision.transforms import Resize, ToTensor, Compose

# my own doodles instead of FashionMNIST: 28x28 greyscale PNGs, one folder per class
transform = Compose([Resize((28, 28)), ToTensor()])
training_data = datasets.ImageFolder("data/doodles/train", transform=transform)
test_data = datasets.ImageFolder("data/doodles/test", transform=transform)
batch_size = 16
train_dataloader = DataLoader(training_data, batch_size=batch_size, shuffle=True)
test_dataloader = DataLoader(test_data, batch_size=batch_size)
print(training_data.classes)
''',
    '''
device = torch.accelerator.current_accelerator().type if torch.accelerator.is_available() else "cpu"
print(f"Using {device} device")
''' + sub(QS_MODEL, NC="len(training_data.classes)") + '''
model = NeuralNetwork().to(device)
print(model)
''',
    '''
loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3)
''' + sub(QS_TRAIN, EVERY="2"),
    '''
epochs = 5
for t in range(epochs):
    print(f"Epoch {t+1}\\n-------------------------------")
    train(train_dataloader, model, loss_fn, optimizer)
print("Done!")
''',
]

SCRIPTS["quickstart-custom-csv-dataset-class-name-labels"] = '''
import csv
import os

import torch
from torch import nn
from torch.utils.data import Dataset, DataLoader
from torchvision.io import read_image, ImageReadMode
from torchvision.transforms import v2


class CustomImageDataset(Dataset):
    def __init__(self, annotations_file, img_dir, transform=None, target_transform=None):
        with open(annotations_file, newline="") as f:
            self.img_labels = list(csv.reader(f))[1:]      # skip the header row
        self.img_dir = img_dir
        self.transform = transform
        self.target_transform = target_transform

    def __len__(self):
        return len(self.img_labels)

    def __getitem__(self, idx):
        img_path = os.path.join(self.img_dir, self.img_labels[idx][0])
        image = read_image(img_path, mode=ImageReadMode.GRAY)
        label = self.img_labels[idx][1]
        if self.transform:
            image = self.transform(image)
        if self.target_transform:
            label = self.target_transform(label)
        return image, label


transform = v2.Compose([v2.Resize((28, 28)), v2.ToDtype(torch.float32, scale=True)])
training_data = CustomImageDataset("data/clothes/labels.csv", "data/clothes/images", transform=transform)
train_dataloader = DataLoader(training_data, batch_size=8, shuffle=True)
classes = sorted({row[1] for row in training_data.img_labels})
''' + sub(QS_MODEL, NC="len(classes)") + '''
model = NeuralNetwork()   # CPU only here
loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3)
''' + sub(QS_TRAIN, EVERY="100").replace("        X, y = X.to(device), y.to(device)\n\n", "") + '''

for t in range(3):
    print(f"Epoch {t+1}\\n-------------------------------")
    train(train_dataloader, model, loss_fn, optimizer)
print("Done!")
'''


def clothes_setup(work: Path):
    make = imgs([(f"data/clothes/images/item_{i:04d}.png", (40, 40), "L") for i in range(16)])
    make(work)
    names = ["shirt", "trouser", "sneaker", "bag"]
    with open(work / "data/clothes/labels.csv", "w") as f:
        f.write("file,label\n")
        for i in range(16):
            f.write(f"item_{i:04d}.png,{names[i % 4]}\n")


SCRIPTS["quickstart-raw-pixel-tensors-raised-lr-anomaly-detection"] = '''
import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets
from torchvision.transforms import v2

# the loss printed nan after a few batches, so:
torch.autograd.set_detect_anomaly(True)
torch.manual_seed(0)

# ToTensor() is deprecated, so PILToTensor() (gives uint8) + a float cast
transform = v2.Compose([v2.Grayscale(), v2.Resize((28, 28)), v2.PILToTensor(), v2.ToDtype(torch.float32)])
training_data = datasets.ImageFolder("data/glyphs/train", transform=transform)
train_dataloader = DataLoader(training_data, batch_size=16, shuffle=True)
device = "cpu"
''' + sub(QS_MODEL, NC="len(training_data.classes)") + '''
model = NeuralNetwork().to(device)
loss_fn = nn.CrossEntropyLoss()
# 1e-3 learned nothing in 5 epochs
optimizer = torch.optim.SGD(model.parameters(), lr=1.0)
''' + sub(QS_TRAIN, EVERY="1") + '''

for t in range(10):
    print(f"Epoch {t+1}\\n-------------------------------")
    train(train_dataloader, model, loss_fn, optimizer)
print("Done!")
'''

SCRIPTS["quickstart-lambda-one-hot-target-transform-spawn-workers"] = '''
import torch
import torch.multiprocessing as mp
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets
from torchvision.transforms import ToTensor, Lambda, Compose, Grayscale, Resize

NUM_CLASSES = 3

# from the "Transforms" page: one-hot targets
ds = datasets.ImageFolder(
    "data/leaves/train",
    transform=Compose([Grayscale(), Resize((28, 28)), ToTensor()]),
    target_transform=Lambda(lambda y: torch.zeros(NUM_CLASSES, dtype=torch.float).scatter_(0, torch.tensor(y), value=1)),
)
''' + sub(QS_MODEL, NC="NUM_CLASSES") + '''

def main():
    loader = DataLoader(ds, batch_size=8, shuffle=True, num_workers=2)
    model = NeuralNetwork()
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-3)
    for epoch in range(3):
        for X, y in loader:
            loss = loss_fn(model(X), y)
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
        print(f"epoch {epoch}: {loss.item():.4f}")


if __name__ == "__main__":
    # the CUDA notes say to use spawn with DataLoader workers (the lab box has a GPU)
    mp.set_start_method("spawn")
    main()
'''

SCRIPTS["quickstart-predict-script-keeps-tutorial-network-shape"] = '''
import sys

import torch
from torch import nn
from torchvision.io import read_image, ImageReadMode
from torchvision.transforms import v2

classes = ["circle", "square", "star", "triangle", "hexagon"]
''' + sub(QS_MODEL, NC="10") + '''

model = NeuralNetwork()
model.load_state_dict(torch.load("model.pth", weights_only=True))
model.eval()

tf = v2.Compose([v2.Resize((28, 28)), v2.ToDtype(torch.float32, scale=True)])
x = tf(read_image(sys.argv[1], mode=ImageReadMode.GRAY)).unsqueeze(0)
with torch.no_grad():
    pred = model(x)
    print(f'Predicted: "{classes[pred[0].argmax(0)]}"')
'''

QS_SHAPES_CKPT = '''
import torch
from torch import nn

class NeuralNetwork(nn.Module):
    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.linear_relu_stack = nn.Sequential(
            nn.Linear(64*64, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 5))

torch.save(NeuralNetwork().state_dict(), "model.pth")
'''

# ================================================================== segmentation reference
SEG_TRAIN = '''
import argparse
import os

import numpy as np
import torch
import torchvision
from PIL import Image
from torch import nn
from torchvision.transforms import v2 as T
from torchvision import tv_tensors


class MyStreets(torch.utils.data.Dataset):
    def __init__(self, root, image_set, transforms):
        self.images = sorted(os.listdir(os.path.join(root, image_set, "images")))
        self.root, self.image_set, self.transforms = root, image_set, transforms

    def __getitem__(self, i):
        name = self.images[i]
        img = Image.open(os.path.join(self.root, self.image_set, "images", name)).convert("RGB")
        target = Image.open(os.path.join(self.root, self.image_set, "masks", name.replace(".jpg", ".png")))
        return self.transforms(tv_tensors.Image(T.functional.pil_to_tensor(img)),
                               tv_tensors.Mask(torch.from_numpy(np.array(target))))

    def __len__(self):
        return len(self.images)


def get_dataset(args, is_train):
    def sbd(*args, **kwargs):
        kwargs.pop("use_v2")
        return torchvision.datasets.SBDataset(*args, mode="segmentation", **kwargs)

    paths = {
        "voc": (args.data_path, torchvision.datasets.VOCSegmentation, 21),
        "voc_aug": (args.data_path, sbd, 21),
        # my data: road, sidewalk, building, vegetation
        "mystreets": (args.data_path, MyStreets, 4),
    }
    p, ds_fn, num_classes = paths[args.dataset]
    tf = T.Compose([T.RandomResizedCrop(args.crop_size, scale=(0.5, 1.0), antialias=True), T.RandomHorizontalFlip(),
                    T.ToDtype(torch.float, scale=True),
                    T.Normalize(mean=(0.485, 0.456, 0.406), std=(0.229, 0.224, 0.225)),
                    T.ToDtype({tv_tensors.Image: None, tv_tensors.Mask: torch.int64, "others": None}),
                    T.ToPureTensor()])
    ds = ds_fn(p, image_set="train" if is_train else "val", transforms=tf)
    return ds, num_classes


def criterion(inputs, target):
    losses = {}
    for name, x in inputs.items():
        losses[name] = nn.functional.cross_entropy(x, target, ignore_index=255)

    if len(losses) == 1:
        return losses["out"]

    return losses["out"] + 0.5 * losses["aux"]


def main(args):
    print(args)
    device = torch.device(args.device)
    dataset, num_classes = get_dataset(args, is_train=True)
    data_loader = torch.utils.data.DataLoader(dataset, batch_size=args.batch_size, shuffle=True,
                                              num_workers=args.workers, drop_last=True)
    model = torchvision.models.get_model(
        args.model,
        weights=args.weights,
        weights_backbone=args.weights_backbone,
        num_classes=num_classes,
        aux_loss=args.aux_loss,
    )
    model.to(device)

    params_to_optimize = [
        {"params": [p for p in model.backbone.parameters() if p.requires_grad]},
        {"params": [p for p in model.classifier.parameters() if p.requires_grad]},
    ]
    if args.aux_loss:
        params = [p for p in model.aux_classifier.parameters() if p.requires_grad]
        params_to_optimize.append({"params": params, "lr": args.lr * 10})
    optimizer = torch.optim.SGD(params_to_optimize, lr=args.lr, momentum=args.momentum,
                                weight_decay=args.weight_decay)
    iters_per_epoch = len(data_loader)
    lr_scheduler = torch.optim.lr_scheduler.PolynomialLR(optimizer, total_iters=iters_per_epoch * args.epochs,
                                                         power=0.9)

    for epoch in range(args.epochs):
        model.train()
        for i, (image, target) in enumerate(data_loader):
            image, target = image.to(device), target.to(device)
            output = model(image)
            loss = criterion(output, target)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            lr_scheduler.step()
            print(f"Epoch: [{epoch}]  [{i}/{iters_per_epoch}]  lr: {optimizer.param_groups[0]['lr']:.6f}  "
                  f"loss: {loss.item():.4f}", flush=True)


def get_args_parser(add_help=True):
    parser = argparse.ArgumentParser(description="PyTorch Segmentation Training", add_help=add_help)
    parser.add_argument("--data-path", default="/datasets01/COCO/022719/", type=str, help="dataset path")
    parser.add_argument("--dataset", default="coco", type=str, help="dataset name")
    parser.add_argument("--model", default="fcn_resnet101", type=str, help="model name")
    parser.add_argument("--aux-loss", action="store_true", help="auxiliary loss")
    parser.add_argument("--device", default="cuda", type=str, help="device (Use cuda or cpu Default: cuda)")
    parser.add_argument("-b", "--batch-size", default=8, type=int, help="images per gpu")
    parser.add_argument("--epochs", default=30, type=int, metavar="N", help="number of total epochs to run")
    parser.add_argument("-j", "--workers", default=16, type=int, metavar="N", help="number of data loading workers")
    parser.add_argument("--lr", default=0.01, type=float, help="initial learning rate")
    parser.add_argument("--momentum", default=0.9, type=float, metavar="M", help="momentum")
    parser.add_argument("--wd", "--weight-decay", default=1e-4, type=float, metavar="W", dest="weight_decay")
    parser.add_argument("--crop-size", default=480, type=int)
    parser.add_argument("--weights", default=None, type=str, help="the weights enum name to load")
    parser.add_argument("--weights-backbone", default=None, type=str, help="the backbone weights enum name to load")
    return parser


if __name__ == "__main__":
    args = get_args_parser().parse_args()
    main(args)
'''

SCRIPTS["seg-reference-lraspp-with-aux-loss-flag-from-deeplab-command"] = SEG_TRAIN
SCRIPTS["seg-reference-custom-dataset-num-classes-without-background"] = SEG_TRAIN


def streets(root="data/mystreets", n=6, size=(160, 120)):
    def setup(work: Path):
        from PIL import Image
        rng = np.random.default_rng(5)
        for split, k in (("train", n), ("val", 2)):
            os.makedirs(work / root / split / "images", exist_ok=True)
            os.makedirs(work / root / split / "masks", exist_ok=True)
            w, h = size
            for i in range(k):
                Image.fromarray(rng.integers(0, 256, (h, w, 3), dtype=np.uint8)).save(
                    work / root / split / "images" / f"frame_{i:04d}.jpg")
                m = np.zeros((h, w), np.uint8)            # 0 = background / unlabelled
                m[h // 2:, :] = 1                          # road
                m[h // 2:, : w // 6] = 2                   # sidewalk
                m[h // 5: h // 2, w // 3: 2 * w // 3] = 3  # building
                m[: h // 5, : w // 4] = 4                  # vegetation
                Image.fromarray(m).save(work / root / split / "masks" / f"frame_{i:04d}.png")
    return setup


# ================================================================== video classification reference
VIDEO_DS = '''
import glob
import os

import torch
import torchvision
from PIL import Image
from torchvision.transforms import v2 as T


class FrameFolderClips(torch.utils.data.Dataset):
    """videos extracted with ffmpeg to <root>/<class>/<video>/frame_%05d.jpg; @@CLIPS@@ clips per video"""

    def __init__(self, root, clip_len, transform, clips_per_video=@@CLIPS@@):
        self.classes = sorted(os.listdir(root))
        self.videos = [(d, i) for i, c in enumerate(self.classes) for d in sorted(glob.glob(f"{root}/{c}/*"))]
        self.clip_len, self.transform, self.cpv = clip_len, transform, clips_per_video

    def __len__(self):
        return len(self.videos) * self.cpv

    def __getitem__(self, idx):
        video_idx, k = divmod(idx, self.cpv)
        d, label = self.videos[video_idx]
        frames = sorted(glob.glob(f"{d}/*.jpg"))
        start = k * max(1, (len(frames) - self.clip_len) // max(1, self.cpv - 1)) if self.cpv > 1 else 0
        clip = torch.stack([T.functional.pil_to_tensor(Image.open(f).convert("RGB"))
                            for f in frames[start:start + self.clip_len]])         # T, C, H, W
        clip = self.transform(clip).permute(1, 0, 2, 3)                               # C, T, H, W
        return clip, label, video_idx
'''

# references/video_classification/presets.py, without the ConvertBCHWtoCBHW step (done in the dataset)
VIDEO_PRESETS = '''
def train_preset(crop_size=(112, 112), resize_size=(128, 171), mean=(0.43216, 0.394666, 0.37645),
                 std=(0.22803, 0.22145, 0.216989)):
    return T.Compose([T.ToDtype(torch.float32, scale=True), T.Resize(resize_size, antialias=False),
                      T.RandomHorizontalFlip(), T.Normalize(mean=mean, std=std), T.RandomCrop(crop_size)])


def eval_preset(crop_size=(112, 112), resize_size=(128, 171), mean=(0.43216, 0.394666, 0.37645),
                std=(0.22803, 0.22145, 0.216989)):
    return T.Compose([T.ToDtype(torch.float32, scale=True), T.Resize(resize_size, antialias=False),
                      T.Normalize(mean=mean, std=std), T.CenterCrop(crop_size)])
'''

SCRIPTS["video-reference-s3d-with-r2plus1d-112px-recipe"] = sub(VIDEO_DS, CLIPS="1") + VIDEO_PRESETS + '''
import argparse
import time


def train_one_epoch(model, criterion, optimizer, lr_scheduler, data_loader, device, epoch, print_freq):
    model.train()
    header = f"Epoch: [{epoch}]"
    for i, (video, target, _) in enumerate(data_loader):
        start_time = time.time()
        video, target = video.to(device), target.to(device)
        output = model(video)
        loss = criterion(output, target)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        lr_scheduler.step()
        if i % print_freq == 0:
            print(f"{header}  [{i}/{len(data_loader)}]  loss: {loss.item():.4f}  "
                  f"clips/s: {video.shape[0] / (time.time() - start_time):.3f}", flush=True)


def main(args):
    print(args)
    device = torch.device(args.device)
    dataset = FrameFolderClips(os.path.join(args.data_path, "train"), args.clip_len, train_preset())
    data_loader = torch.utils.data.DataLoader(dataset, batch_size=args.batch_size, shuffle=True,
                                              num_workers=args.workers)
    print("Creating model")
    model = torchvision.models.get_model(args.model, weights=args.weights, num_classes=len(dataset.classes))
    model.to(device)
    criterion = torch.nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9, weight_decay=1e-4)
    lr_scheduler = torch.optim.lr_scheduler.MultiStepLR(optimizer, milestones=[20, 30], gamma=0.1)
    print("Start training")
    for epoch in range(args.epochs):
        train_one_epoch(model, criterion, optimizer, lr_scheduler, data_loader, device, epoch, args.print_freq)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="PyTorch Video Classification Training")
    parser.add_argument("--data-path", default="/datasets01_101/kinetics/070618/", type=str)
    parser.add_argument("--model", default="r2plus1d_18", type=str)
    parser.add_argument("--device", default="cuda", type=str)
    parser.add_argument("--clip-len", default=16, type=int, metavar="N")
    parser.add_argument("-b", "--batch-size", default=24, type=int)
    parser.add_argument("--epochs", default=45, type=int, metavar="N")
    parser.add_argument("-j", "--workers", default=10, type=int, metavar="N")
    parser.add_argument("--lr", default=0.64, type=float)
    parser.add_argument("--print-freq", default=10, type=int)
    parser.add_argument("--weights", default=None, type=str)
    main(parser.parse_args())
'''


def frame_folders(root, classes, vids=2, frames=18, size=(171, 128)):
    specs = []
    for c in classes:
        for v in range(vids):
            for f in range(frames):
                specs.append((f"{root}/{c}/{c}_clip{v:02d}/frame_{f + 1:05d}.jpg", size, "RGB"))
    return imgs(specs)


SCRIPTS["video-eval-clip-aggregation-index-add-after-bf16-autocast"] = sub(VIDEO_DS, CLIPS="3") + VIDEO_PRESETS + '''

def evaluate(model, data_loader, num_videos, num_classes, device):
    model.eval()
    # per-video accuracy: average the softmax of all clips of a video (vectorised version of the reference loop)
    agg_preds = torch.zeros((num_videos, num_classes), dtype=torch.float32, device=device)
    agg_targets = torch.zeros((num_videos), dtype=torch.int32, device=device)
    correct_clips = 0
    with torch.inference_mode():
        for video, target, video_idx in data_loader:
            video, target, video_idx = video.to(device), target.to(device), video_idx.to(device)
            # bf16 on the CPU box too, same code path as --amp on the GPU
            with torch.autocast(device_type=device.type, dtype=torch.bfloat16):
                output = model(video)
            correct_clips += (output.argmax(1) == target).sum().item()
            preds = torch.softmax(output, dim=1)
            agg_preds.index_add_(0, video_idx, preds)
            agg_targets[video_idx] = target.to(torch.int32)
    video_acc = (agg_preds.argmax(1) == agg_targets).float().mean().item()
    print(f"clip acc {correct_clips / len(data_loader.dataset):.3f}  video acc {video_acc:.3f}")
    return video_acc


device = torch.device("cpu")
dataset_test = FrameFolderClips("data/gym_moves/val", 8, eval_preset())
loader = torch.utils.data.DataLoader(dataset_test, batch_size=4, shuffle=False, num_workers=0)
model = torchvision.models.video.r3d_18(weights=None, num_classes=len(dataset_test.classes))
model.load_state_dict(torch.load("checkpoints/r3d18_gym_moves.pth", map_location="cpu", weights_only=True))
print(f"{len(dataset_test.videos)} videos, {len(dataset_test)} clips")
evaluate(model, loader, len(dataset_test.videos), len(dataset_test.classes), device)
'''

R3D_CKPT = '''
import os, torch, torchvision
os.makedirs("checkpoints", exist_ok=True)
torch.save(torchvision.models.video.r3d_18(weights=None, num_classes=3).state_dict(), "checkpoints/r3d18_gym_moves.pth")
'''

SCRIPTS["video-reference-torchrun-gloo-cpu-sync-bn"] = sub(VIDEO_DS, CLIPS="1") + VIDEO_PRESETS + '''
import argparse


def init_distributed_mode(args):
    # references/video_classification/utils.py (the cuda calls dropped: the two CPU workstations)
    if "RANK" in os.environ and "WORLD_SIZE" in os.environ:
        args.rank = int(os.environ["RANK"])
        args.world_size = int(os.environ["WORLD_SIZE"])
        args.gpu = int(os.environ["LOCAL_RANK"])
    else:
        print("Not using distributed mode")
        args.distributed = False
        return
    args.distributed = True
    print(f"| distributed init (rank {args.rank}): {args.dist_url}", flush=True)
    torch.distributed.init_process_group(backend=args.dist_backend, init_method=args.dist_url,
                                         world_size=args.world_size, rank=args.rank)
    torch.distributed.barrier()


def main(args):
    init_distributed_mode(args)
    device = torch.device(args.device)
    dataset = FrameFolderClips(os.path.join(args.data_path, "train"), args.clip_len, train_preset())
    sampler = torch.utils.data.distributed.DistributedSampler(dataset) if args.distributed else None
    data_loader = torch.utils.data.DataLoader(dataset, batch_size=args.batch_size, sampler=sampler,
                                              num_workers=args.workers)
    model = torchvision.models.get_model(args.model, weights=None, num_classes=len(dataset.classes))
    model.to(device)
    if args.distributed and args.sync_bn:
        model = torch.nn.SyncBatchNorm.convert_sync_batchnorm(model)
    criterion = torch.nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9, weight_decay=1e-4)
    model_without_ddp = model
    if args.distributed:
        model = torch.nn.parallel.DistributedDataParallel(model)
        model_without_ddp = model.module
    for epoch in range(args.epochs):
        if args.distributed:
            sampler.set_epoch(epoch)
        model.train()
        for i, (video, target, _) in enumerate(data_loader):
            output = model(video.to(device))
            loss = criterion(output, target.to(device))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            if args.rank == 0:
                print(f"Epoch: [{epoch}]  [{i}/{len(data_loader)}]  loss: {loss.item():.4f}", flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="PyTorch Video Classification Training")
    parser.add_argument("--data-path", default="/datasets01_101/kinetics/070618/", type=str)
    parser.add_argument("--model", default="r2plus1d_18", type=str)
    parser.add_argument("--device", default="cuda", type=str)
    parser.add_argument("--clip-len", default=16, type=int, metavar="N")
    parser.add_argument("-b", "--batch-size", default=24, type=int)
    parser.add_argument("--epochs", default=45, type=int, metavar="N")
    parser.add_argument("-j", "--workers", default=10, type=int, metavar="N")
    parser.add_argument("--lr", default=0.64, type=float)
    parser.add_argument("--sync-bn", dest="sync_bn", help="Use sync batch norm", action="store_true")
    parser.add_argument("--dist-url", default="env://", type=str)
    parser.add_argument("--dist-backend", default="nccl", type=str)
    main(parser.parse_args())
'''


def hymenoptera_like(root, classes, per_train=4, per_val=2, size=(120, 100)):
    return (class_folder(f"{root}/train", classes, per_train, size=size)
            + class_folder(f"{root}/val", classes, per_val, size=size))


def cases():
    out, add, script, notebook = case_builders("torch-more74-", SCRIPTS, CELLS)
    W = ("cpython_basic", "dataloader_worker")
    NB = ("ipython_cell", "ipython_arrows")

    # ---- detection fine-tuning tutorial (PennFudan-style)
    script("pennfudan-own-colour-instance-masks-read-image-workers", "data.image_channels", forms=W,
           setup=pennfudan("data/StreetPeds", colour_masks=True))
    script("pennfudan-get-transform-rewritten-without-todtype", "data.dtype", setup=pennfudan())
    script("pennfudan-people-and-bicycles-num-classes-2-kept", "model.output_mismatch",
           also=["data.label_out_of_range"], setup=pennfudan("data/PedBikes", classes_file=True))
    notebook("pennfudan-inference-cell-single-image-not-in-list-notebook", "model.api_misuse",
             also=["model.input_shape"], forms=NB,
             setup=both(prep(MASKRCNN_CKPT), imgs([("test_photos/IMG_0101.jpg", (320, 240), "RGB")])))
    script("labelme-rectangles-dragged-up-left-fasterrcnn", "data.bbox_invalid", setup=labelme_setup)
    script("maskrcnn-predict-script-torch-stack-folder-of-photos", "data.image_size_mismatch",
           also=["model.api_misuse"], argv="predict.py", args=("test_photos",),
           setup=both(prep(MASKRCNN_CKPT), imgs([("test_photos/IMG_0101.jpg", (320, 240), "RGB"),
                                                 ("test_photos/IMG_0102.jpg", (240, 320), "RGB"),
                                                 ("test_photos/IMG_0103.jpg", (320, 240), "RGB")])))
    script("maskrcnn-min-size-raised-to-full-phone-resolution-ulimit", "resource.host_memory", timeout=400,
           setup=big_pennfudan("data/ShopFloorPeds"))
    script("pennfudan-2019-numpy-dataset-np-bool8-workers", "env.version_incompat", forms=W,
           setup=pennfudan("PennFudanPed"))

    # ---- transfer learning tutorial
    script("transfer-learning-roboflow-export-valid-folder", "data.missing_or_corrupt",
           setup=imgs(class_folder("data/bird_species/train", ["finch", "robin", "sparrow"], 3, size=(120, 100))
                      + class_folder("data/bird_species/valid", ["finch", "robin", "sparrow"], 2, size=(120, 100))
                      + class_folder("data/bird_species/test", ["finch", "robin", "sparrow"], 1, size=(120, 100))))
    notebook("transfer-learning-best-params-tempdir-loaded-in-later-cell-notebook", "other", forms=NB,
             setup=imgs(hymenoptera_like("data/mushrooms", ["chanterelle", "morel", "porcini"])))

    # ---- DCGAN tutorial
    script("dcgan-dataroot-points-at-folder-of-photos", "data.missing_or_corrupt", argv="dcgan.py",
           setup=imgs([(f"data/my_cat_photos/PXL_2023{i:04d}.jpg", (96, 80), "RGB") for i in range(10)]))
    script("dcgan-labels-full-of-batch-size-short-last-batch", "data.label_shape", argv="dcgan.py",
           setup=imgs([(f"data/paintings/all/painting_{i:03d}.jpg", (80, 72), "RGB") for i in range(20)]))
    script("dcgan-discriminator-sigmoid-removed-bceloss-kept", "model.output_mismatch", also=["model.api_misuse"],
           argv="dcgan.py", setup=imgs([(f"data/sneakers/img/sneaker_{i:03d}.jpg", (80, 80), "RGB")
                                        for i in range(16)]))
    script("dcgan-fakes-clamped-in-place-after-tanh", "optim.autograd_graph", argv="dcgan.py",
           setup=imgs([(f"data/landscapes/photos/land_{i:03d}.jpg", (96, 72), "RGB") for i in range(16)]))

    # ---- quickstart / datasets & transforms pages
    notebook("quickstart-imagefolder-greyscale-sketches-mlp-notebook", "data.image_channels",
             also=["model.input_shape"], forms=NB,
             setup=imgs(class_folder("data/doodles/train", ["cat", "house", "tree"], 6, size=(28, 28), mode="L",
                                     ext="png")
                        + class_folder("data/doodles/test", ["cat", "house", "tree"], 2, size=(28, 28), mode="L",
                                       ext="png")))
    script("quickstart-custom-csv-dataset-class-name-labels", "data.label_shape", also=["data.dtype"],
           setup=clothes_setup)
    script("quickstart-raw-pixel-tensors-raised-lr-anomaly-detection", "optim.divergence",
           setup=imgs(class_folder("data/glyphs/train", ["alpha", "beta", "gamma", "delta"], 8, size=(32, 32))))
    script("quickstart-lambda-one-hot-target-transform-spawn-workers", "env.multiprocessing",
           setup=imgs(class_folder("data/leaves/train", ["oak", "maple", "birch"], 4, size=(40, 40))))
    script("quickstart-predict-script-keeps-tutorial-network-shape", "model.weights_mismatch", argv="predict.py",
           args=("my_drawing.png",),
           setup=both(prep(QS_SHAPES_CKPT), imgs([("my_drawing.png", (64, 64), "L")])))

    # ---- semantic segmentation reference
    script("seg-reference-lraspp-with-aux-loss-flag-from-deeplab-command", "model.api_misuse",
           args=("--dataset", "mystreets", "--data-path", "data/mystreets", "--model", "lraspp_mobilenet_v3_large",
                 "--aux-loss", "--device", "cpu", "-b", "2", "-j", "0", "--crop-size", "96", "--epochs", "2",
                 "--lr", "0.02"),
           setup=streets())
    script("seg-reference-custom-dataset-num-classes-without-background", "data.label_out_of_range",
           also=["model.output_mismatch"],
           args=("--dataset", "mystreets", "--data-path", "data/mystreets", "--model", "deeplabv3_mobilenet_v3_large",
                 "--aux-loss", "--device", "cpu", "-b", "2", "-j", "0", "--crop-size", "96", "--epochs", "2",
                 "--lr", "0.02"),
           setup=streets())

    # ---- video classification reference
    script("video-reference-s3d-with-r2plus1d-112px-recipe", "model.input_shape",
           args=("--data-path", "data/gym_moves", "--model", "s3d", "--device", "cpu", "-b", "2", "-j", "0",
                 "--clip-len", "16", "--lr", "0.01", "--print-freq", "1", "--epochs", "2"),
           setup=frame_folders("data/gym_moves/train", ["pushup", "squat", "lunge"], vids=2, frames=16))
    script("video-eval-clip-aggregation-index-add-after-bf16-autocast", "data.dtype", argv="evaluate.py",
           setup=both(prep(R3D_CKPT), frame_folders("data/gym_moves/val", ["pushup", "squat", "lunge"], vids=1,
                                                    frames=12)))
    script("video-reference-torchrun-gloo-cpu-sync-bn", "env.distributed", also=["env.cuda_setup"],
           pre=("-m", "torch.distributed.run", "--nproc_per_node=2"), timeout=400,
           args=("--data-path", "data/gym_moves", "--model", "r2plus1d_18", "--device", "cpu", "-b", "2", "-j", "0",
                 "--clip-len", "8", "--lr", "0.01", "--epochs", "2", "--sync-bn", "--dist-backend", "gloo"),
           setup=frame_folders("data/gym_moves/train", ["pushup", "squat", "lunge"], vids=2, frames=8),
           exception="ValueError")  # the rank's own error; torchrun's ChildFailedError only reports it
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
