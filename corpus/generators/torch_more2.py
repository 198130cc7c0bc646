"""A second held-out set of PyTorch / torchvision / ImageAI 3 training failures,
none of them a repeat of the scenarios in the other generators: ImageAI 3
trainers and detectors given annotations in the wrong format, odd batch sizes,
mixed-up model types / config files and odd image modes; VOC / COCO style
loaders with bad files; hand-written Dice / Focal losses; pretrained backbones
with the wrong stem or head; layers frozen wrongly; evaluation code; checkpoint
prefixes (DataParallel, torch.compile); numpy/PIL augmentation that breaks
boxes; gradient clipping on a diverging run; gradient accumulation; in-place ops
in custom layers; chained exceptions and long progress output before a failure.

Every case is a small real program run on CPU with the torch venv (no GPU, no
downloads); the label is known by construction (what the program breaks).

    /work/venvs/torch/bin/python corpus/generators/torch_more2.py [-k filter] [--out DIR]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _record import make_images, run_cases, imgs, sub, case_builders  # noqa: E402

SRC = "corpus/generators/torch_more2.py"


# ====================================================================== ImageAI 3
DET_TRAIN = '''
from imageai.Detection.Custom import DetectionModelTrainer

trainer = DetectionModelTrainer()
trainer.setModelTypeAs@@MODEL@@()
trainer.setDataDirectory(data_directory="@@DATADIR@@")
trainer.setTrainConfig(object_names_array=@@CLASSES@@, batch_size=@@BS@@, num_experiments=@@EPOCHS@@)
trainer.trainModel()
'''


def det_train(model="TinyYOLOv3", datadir="fruits", classes='["apple", "banana"]', bs="4", epochs="3", pre=""):
    return {"train.py": pre + sub(DET_TRAIN, MODEL=model, DATADIR=datadir, CLASSES=classes, BS=bs, EPOCHS=epochs)}


def varied(i, classes):
    return "".join(f"{c} {0.3 + 0.1 * j:.2f} {0.5:.2f} {0.12 + 0.07 * j + 0.03 * i:.2f} {0.15 + 0.05 * j + 0.04 * i:.2f}\n"
                   for j, c in enumerate(classes))


def det_dataset(root="fruits", n_train=6, n_val=2, ann=None, ext=".txt", sizes=((96, 80), (120, 90))):
    ann = ann or (lambda i: varied(i, [i % 2, 1 - i % 2, 0]))

    def setup(work: Path):
        specs = []
        for split, n in (("train", n_train), ("validation", n_val)):
            (work / root / split / "annotations").mkdir(parents=True, exist_ok=True)
            for i in range(n):
                stem = f"fruit_{i:03d}" if split == "train" else f"fruit_{100 + i:03d}"
                specs.append((f"{root}/{split}/images/{stem}.jpg", sizes[i % len(sizes)], "RGB"))
                (work / root / split / "annotations" / f"{stem}{ext}").write_text(ann(i))
        make_images(work, specs)
    return setup


# weights + config written by an earlier training run (random weights, same layout)
SAVE_TINY = '''
import json
import torch
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny
from imageai.yolov3.yolov3 import YoloV3

anchors6 = [10, 14, 23, 27, 37, 58, 81, 82, 135, 169, 344, 319]
anchors9 = [10, 13, 16, 30, 33, 23, 30, 61, 62, 45, 59, 119, 116, 90, 156, 198, 373, 326]
torch.save(YoloV3Tiny(anchors=anchors6, num_classes=2).state_dict(), "fruits_tiny-yolov3_mAP-0.41_epoch-30.pt")
with open("fruits_tiny-yolov3_detection_config.json", "w") as f:
    json.dump({"labels": ["apple", "banana"], "anchors": anchors6}, f)
with open("fruits_model_classes.json", "w") as f:
    json.dump({"0": "apple", "1": "banana"}, f)
'''

DETECT = '''
from imageai.Detection.Custom import CustomObjectDetection
@@PRE@@
detector = CustomObjectDetection()
detector.setModelTypeAs@@MODEL@@()
detector.setModelPath("fruits_tiny-yolov3_mAP-0.41_epoch-30.pt")
detector.setJsonPath("@@JSON@@")
@@LOAD@@
detections = detector.detectObjectsFromImage(input_image=@@IMAGE@@, output_image_path="out.jpg",
                                             minimum_percentage_probability=30)
for d in detections:
    print(d["name"], " : ", d["percentage_probability"], " : ", d["box_points"])
'''


def detect(model="TinyYOLOv3", json="fruits_tiny-yolov3_detection_config.json", load="detector.loadModel()",
           image='"kitchen.jpg"', pre=""):
    return {"detect.py": sub(DETECT, PRE=SAVE_TINY + pre, MODEL=model, JSON=json, LOAD=load, IMAGE=image)}


CLS_TRAIN = '''
from imageai.Classification.Custom import ClassificationModelTrainer
@@PRE@@
trainer = ClassificationModelTrainer()
trainer.setModelTypeAs@@MODEL@@()
trainer.setDataDirectory("@@DATADIR@@")
trainer.trainModel(num_experiments=@@EPOCHS@@, batch_size=@@BS@@@@KW@@)
'''


def cls_train(model="MobileNetV2", datadir="pets", epochs="1", bs="4", kw="", pre=""):
    return {"train.py": sub(CLS_TRAIN, PRE=pre, MODEL=model, DATADIR=datadir, EPOCHS=epochs, BS=bs, KW=kw)}


def cls_folder(root="pets", train=("cat", "dog"), test=("cat", "dog"), per=3, size=(64, 64)):
    specs = []
    for split, classes in (("train", train), ("test", test)):
        for c in classes:
            for i in range(per):
                specs.append((f"{root}/{split}/{c}/{c}.{i}.jpg", size, "RGB"))
    return imgs(specs)


CLS_PREDICT = '''
import json
import torch
import torchvision
from imageai.Classification.Custom import CustomImageClassification

# written by an earlier ClassificationModelTrainer run on two classes
torch.save(torchvision.models.mobilenet_v2(num_classes=2).state_dict(), "mobilenet_v2-pets-test_acc_0.91250_epoch-9.pt")
json.dump({"0": "cat", "1": "dog"}, open("pets_model_classes.json", "w"))

prediction = CustomImageClassification()
prediction.setModelTypeAsMobileNetV2()
prediction.setModelPath("mobilenet_v2-pets-test_acc_0.91250_epoch-9.pt")
prediction.setJsonPath("pets_model_classes.json")
prediction.loadModel()
for path in ["samples/cat1.jpg", "samples/dog1.jpg"]:
    predictions, probabilities = prediction.classifyImage(path, result_count=5)
    for name, prob in zip(predictions, probabilities):
        print(path, name, ":", prob)
'''

# ======================================================================= PyTorch
SCRIPTS = {}

SCRIPTS["voc-root-points-at-devkit"] = '''
import torch
import torchvision
from torchvision import transforms

# extracted VOCtrainval_11-May-2012.tar into data/VOCdevkit
dataset = torchvision.datasets.VOCDetection(root="data/VOCdevkit", year="2012", image_set="train",
                                            download=False, transform=transforms.ToTensor())
print(len(dataset))
'''

SCRIPTS["voc-xml-object-without-bndbox-workers"] = '''
import os
import xml.etree.ElementTree as ET

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.transforms import functional as TF

CLASSES = ["__background__", "helmet", "head", "person"]


class HelmetVOC(Dataset):
    def __init__(self, root):
        self.root = root
        self.ids = sorted(f[:-4] for f in os.listdir(os.path.join(root, "Annotations")))

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, idx):
        tree = ET.parse(os.path.join(self.root, "Annotations", self.ids[idx] + ".xml"))
        boxes, labels = [], []
        for obj in tree.findall("object"):
            bb = obj.find("bndbox")
            boxes.append([float(bb.find(t).text) for t in ("xmin", "ymin", "xmax", "ymax")])
            labels.append(CLASSES.index(obj.find("name").text))
        image = Image.open(os.path.join(self.root, "JPEGImages", self.ids[idx] + ".jpg")).convert("RGB")
        return TF.to_tensor(image), {"boxes": torch.tensor(boxes), "labels": torch.tensor(labels)}


def main():
    loader = DataLoader(HelmetVOC("data/helmets"), batch_size=2, shuffle=False, num_workers=2,
                        collate_fn=lambda b: tuple(zip(*b)))
    for epoch in range(3):
        for images, targets in loader:
            print(epoch, [t["boxes"].shape[0] for t in targets], flush=True)


if __name__ == "__main__":
    main()
'''


def voc_setup(work: Path):
    specs = []
    for i in range(6):
        specs.append((f"data/helmets/JPEGImages/hard_hat_{i:04d}.jpg", (160, 120), "RGB"))
        obj = ("<object><name>helmet</name><pose>Unspecified</pose><truncated>0</truncated><difficult>0</difficult>"
               "<bndbox><xmin>12</xmin><ymin>20</ymin><xmax>70</xmax><ymax>90</ymax></bndbox></object>")
        if i == 3:   # exported by a tool that writes polygons for some objects
            obj += ("<object><name>head</name><polygon><x1>80</x1><y1>10</y1><x2>120</x2><y2>10</y2>"
                    "<x3>120</x3><y3>60</y3></polygon></object>")
        p = work / "data/helmets/Annotations" / f"hard_hat_{i:04d}.xml"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(f"<annotation><folder>images</folder><filename>hard_hat_{i:04d}.jpg</filename>"
                     f"<size><width>160</width><height>120</height><depth>3</depth></size>{obj}</annotation>\n")
    make_images(work, specs)


SCRIPTS["coco-category-ids-as-labels"] = '''
import json

import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class CocoCrops(Dataset):
    """one crop per annotation, classified by a small CNN"""

    def __init__(self, ann_file, img_dir, tf):
        coco = json.load(open(ann_file))
        self.images = {im["id"]: im for im in coco["images"]}
        self.anns = coco["annotations"]
        self.categories = [c["name"] for c in coco["categories"]]
        self.img_dir, self.tf = img_dir, tf

    def __len__(self):
        return len(self.anns)

    def __getitem__(self, i):
        a = self.anns[i]
        im = Image.open(f"{self.img_dir}/{self.images[a['image_id']]['file_name']}").convert("RGB")
        x, y, w, h = a["bbox"]
        crop = im.crop((x, y, x + w, y + h))
        return self.tf(crop), a["category_id"]


tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
ds = CocoCrops("data/annotations/instances_train.json", "data/train2017", tf)
model = torchvision.models.resnet18(num_classes=len(ds.categories))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(2):
    for step, (x, y) in enumerate(DataLoader(ds, batch_size=4, shuffle=True)):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(f"epoch {epoch} step {step} loss {loss.item():.3f}")
'''


def coco_setup(work: Path):
    import json
    make_images(work, [(f"data/train2017/{i:012d}.jpg", (160, 120), "RGB") for i in range(1, 5)])
    cats = [{"id": 1, "name": "person"}, {"id": 3, "name": "car"}, {"id": 18, "name": "dog"}]
    anns = []
    for i in range(1, 5):
        for j, c in enumerate((1, 3, 18)):
            anns.append({"id": len(anns) + 1, "image_id": i, "category_id": c,
                         "bbox": [10 + 30 * j, 10, 30, 40], "area": 1200, "iscrowd": 0})
    p = work / "data/annotations/instances_train.json"
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(json.dumps({"images": [{"id": i, "file_name": f"{i:012d}.jpg", "width": 160, "height": 120}
                                        for i in range(1, 5)], "annotations": anns, "categories": cats}))


SCRIPTS["decode-jpeg-on-png-files-workers"] = '''
import glob

import torch
import torchvision
from torch.utils.data import DataLoader, Dataset
from torchvision.io import decode_jpeg, read_file


class Leaves(Dataset):
    def __init__(self):
        self.files = sorted(glob.glob("data/leaves/*/*"))
        self.classes = sorted({f.split("/")[-2] for f in self.files})

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        img = decode_jpeg(read_file(self.files[i]))            # fast path: decode with libjpeg-turbo
        img = torchvision.transforms.functional.resize(img, [64, 64], antialias=True)
        return img.float() / 255, self.classes.index(self.files[i].split("/")[-2])


def main():
    loader = DataLoader(Leaves(), batch_size=4, shuffle=False, num_workers=2)
    model = torchvision.models.mobilenet_v3_small(num_classes=2)
    for x, y in loader:
        print(model(x).shape)


if __name__ == "__main__":
    main()
'''

SCRIPTS["dice-loss-target-not-onehot"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F


class DiceLoss(nn.Module):
    def __init__(self, smooth=1.0):
        super().__init__()
        self.smooth = smooth

    def forward(self, logits, target):
        probs = F.softmax(logits, dim=1)
        inter = (probs * target).sum(dim=(2, 3))
        union = probs.sum(dim=(2, 3)) + target.sum(dim=(2, 3))
        return 1 - ((2 * inter + self.smooth) / (union + self.smooth)).mean()


net = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 4, 1))   # 4 tissue classes
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
criterion = DiceLoss()
for step in range(5):
    images = torch.rand(2, 3, 96, 128)
    masks = torch.randint(0, 4, (2, 96, 128))          # class index per pixel
    loss = criterion(net(images), masks)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(step, loss.item())
'''

SCRIPTS["focal-loss-gather-int32-mask"] = '''
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset


class FocalLoss(nn.Module):
    def __init__(self, gamma=2.0):
        super().__init__()
        self.gamma = gamma

    def forward(self, logits, target):
        logpt = F.log_softmax(logits, dim=1).gather(1, target.unsqueeze(1)).squeeze(1)
        pt = logpt.exp()
        return (-(1 - pt) ** self.gamma * logpt).mean()


class Roads(Dataset):
    def __len__(self):
        return 8

    def __getitem__(self, i):
        image = np.random.rand(3, 64, 64).astype(np.float32)
        mask = (np.random.rand(64, 64) * 3).astype(np.int32)      # 0 background, 1 road, 2 lane
        return torch.from_numpy(image), torch.from_numpy(mask)


model = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 3, 1))
criterion = FocalLoss()
for images, masks in DataLoader(Roads(), batch_size=4):
    loss = criterion(model(images), masks)
    loss.backward()
'''

SCRIPTS["unet-valid-conv-dice-shape"] = '''
import torch
import torch.nn as nn


def block(cin, cout):
    # "valid" convolutions as in the original U-Net paper (no padding)
    return nn.Sequential(nn.Conv2d(cin, cout, 3), nn.ReLU(inplace=True), nn.Conv2d(cout, cout, 3), nn.ReLU(inplace=True))


class TinyUNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = block(1, 16)
        self.down = nn.MaxPool2d(2)
        self.mid = block(16, 32)
        self.up = nn.ConvTranspose2d(32, 16, 2, stride=2)
        self.dec = block(32, 16)
        self.head = nn.Conv2d(16, 1, 1)

    def forward(self, x):
        e = self.enc(x)
        m = self.up(self.mid(self.down(e)))
        dy, dx = (e.size(2) - m.size(2)) // 2, (e.size(3) - m.size(3)) // 2
        e = e[:, :, dy:dy + m.size(2), dx:dx + m.size(3)]
        return self.head(self.dec(torch.cat([e, m], 1)))


def dice_loss(pred, target, eps=1e-6):
    pred = torch.sigmoid(pred)
    inter = (pred * target).sum()
    return 1 - (2 * inter + eps) / (pred.sum() + target.sum() + eps)


model = TinyUNet()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for step in range(3):
    cells = torch.rand(2, 1, 128, 128)
    masks = (torch.rand(2, 1, 128, 128) > 0.5).float()
    loss = dice_loss(model(cells), masks)
    opt.zero_grad()
    loss.backward()
    opt.step()
'''

SCRIPTS["bce-mask-uint8-from-pil"] = '''
import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset


class Lesions(Dataset):
    def __init__(self):
        self.ids = list(range(6))

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        img = np.asarray(Image.open(f"data/images/isic_{i}.png").convert("RGB"), dtype=np.float32) / 255.0
        mask = np.asarray(Image.open(f"data/masks/isic_{i}_segmentation.png")) // 255      # 0 / 1
        return torch.from_numpy(img).permute(2, 0, 1), torch.from_numpy(mask).unsqueeze(0)


model = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 1, 1))
criterion = nn.BCEWithLogitsLoss()
opt = torch.optim.SGD(model.parameters(), lr=0.01)
for images, masks in DataLoader(Lesions(), batch_size=3):
    loss = criterion(model(images), masks)
    opt.zero_grad()
    loss.backward()
    opt.step()
'''

SCRIPTS["pretrained-4ch-stem-load-rgb-weights"] = '''
import os

import torch
import torch.nn as nn
import torchvision

# RGB + near-infrared tiles: widen the stem to 4 input channels
model = torchvision.models.efficientnet_b0(num_classes=1000)
model.features[0][0] = nn.Conv2d(4, 32, kernel_size=3, stride=2, padding=1, bias=False)

# ImageNet weights downloaded once on another machine (stand-in: same layout, random values)
os.makedirs("weights", exist_ok=True)
torch.save(torchvision.models.efficientnet_b0().state_dict(), "weights/efficientnet_b0_rgb_imagenet.pth")
state = torch.load("weights/efficientnet_b0_rgb_imagenet.pth", map_location="cpu")
model.load_state_dict(state)
model.classifier[1] = nn.Linear(1280, 6)
'''


SCRIPTS["mobilenetv3-classifier-replaced-wrong-width"] = '''
import torch
import torch.nn as nn
import torchvision

NUM_CLASSES = 5
model = torchvision.models.mobilenet_v3_large(weights=None)
# replace the head: the last layer of the classifier takes 1280 features
model.classifier = nn.Linear(1280, NUM_CLASSES)

x = torch.randn(4, 3, 224, 224)
y = torch.randint(0, NUM_CLASSES, (4,))
loss = nn.functional.cross_entropy(model(x), y)
loss.backward()
'''

SCRIPTS["freeze-after-replacing-head"] = '''
import torch
import torch.nn as nn
import torchvision

model = torchvision.models.resnet18(weights=None)
model.fc = nn.Linear(model.fc.in_features, 3)

# transfer learning: freeze the backbone
for param in model.parameters():
    param.requires_grad = False

optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
criterion = nn.CrossEntropyLoss()
for step in range(3):
    x = torch.randn(4, 3, 112, 112)
    y = torch.randint(0, 3, (4,))
    loss = criterion(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
'''

SCRIPTS["eval-argmax-dim0-accuracy"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
model = nn.Sequential(nn.Flatten(), nn.Linear(3 * 32 * 32, 10))
val = TensorDataset(torch.randn(64, 3, 32, 32), torch.randint(0, 10, (64,)))
model.eval()
correct = total = 0
with torch.no_grad():
    for images, labels in DataLoader(val, batch_size=16):
        outputs = model(images)
        preds = torch.argmax(outputs, dim=0)
        correct += (preds == labels).sum().item()
        total += labels.size(0)
print(f"val acc: {correct / total:.3f}")
'''

SCRIPTS["load-plain-checkpoint-into-dataparallel"] = '''
import torch
import torch.nn as nn
import torchvision

# checkpoint saved by a single-GPU run
torch.save(torchvision.models.resnet18(num_classes=7).state_dict(), "best_resnet18.pth")

model = torchvision.models.resnet18(num_classes=7)
model = nn.DataParallel(model)                 # wrap first, "so it uses all GPUs"
model.load_state_dict(torch.load("best_resnet18.pth", map_location="cpu"))
'''

SCRIPTS["load-compiled-checkpoint-orig-mod"] = '''
import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 16, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1))
        self.fc = nn.Linear(16, 4)

    def forward(self, x):
        return self.fc(self.features(x).flatten(1))


# training script: model = torch.compile(model) ... torch.save(model.state_dict(), ...)
compiled = torch.compile(Net())
torch.save(compiled.state_dict(), "net_epoch20.pt")

# inference script
model = Net()
model.load_state_dict(torch.load("net_epoch20.pt"))
model.eval()
'''

SCRIPTS["genfromtxt-structured-array-to-tensor"] = '''
import numpy as np
import torch
from torch.utils.data import DataLoader, TensorDataset

# tabular features exported from a spreadsheet: numbers plus a text column
data = np.genfromtxt("data/patients.csv", delimiter=",", names=True, dtype=None, encoding="utf-8")
print(data.dtype.names, data.shape)
features = torch.from_numpy(data[["age", "bmi", "glucose"]])
labels = torch.from_numpy(data["outcome"])
loader = DataLoader(TensorDataset(features, labels), batch_size=8, shuffle=True)
'''

SCRIPTS["ssd-numpy-flip-boxes-swapped"] = '''
import random

import numpy as np
import torch
from PIL import Image
from torchvision.models.detection import ssdlite320_mobilenet_v3_large
from torchvision.transforms import functional as TF

random.seed(1)


def hflip(image, boxes):
    """horizontal flip written by hand"""
    w = image.width
    image = image.transpose(Image.FLIP_LEFT_RIGHT)
    boxes = boxes.copy()
    boxes[:, 0] = w - boxes[:, 0]
    boxes[:, 2] = w - boxes[:, 2]
    return image, boxes


model = ssdlite320_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=3)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
model.train()
for step in range(4):
    image = Image.open(f"data/shelf_{step}.jpg").convert("RGB")
    boxes = np.array([[20, 30, 110, 150], [130, 40, 200, 170]], dtype=np.float32)
    if random.random() < 0.5:
        image, boxes = hflip(image, boxes)
    target = {"boxes": torch.from_numpy(boxes), "labels": torch.tensor([1, 2])}
    losses = model([TF.to_tensor(image)], [target])
    loss = sum(losses.values())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    print(step, {k: round(v.item(), 3) for k, v in losses.items()})
'''

SCRIPTS["clip-grad-error-if-nonfinite-huge-lr"] = '''
import torch
import torch.nn as nn

torch.manual_seed(0)
# people counts per image crop, from 8 standardised features
x = torch.randn(512, 8)
y = torch.poisson(torch.exp(x[:, :3].sum(1) * 0.5 + 1.0))
model = nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Linear(64, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=2.0)       # "faster convergence"
for epoch in range(100):
    log_rate = model(x).squeeze(1)
    loss = nn.functional.poisson_nll_loss(log_rate, y, log_input=True)
    optimizer.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=10.0, error_if_nonfinite=True)
    optimizer.step()
    print(f"epoch {epoch:3d}  loss {loss.item():.4f}")
'''

SCRIPTS["grad-accumulation-running-loss-backward-tqdm"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from tqdm import tqdm

torch.manual_seed(0)
model = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 5))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
data = TensorDataset(torch.randn(96, 3, 32, 32), torch.randint(0, 5, (96,)))
ACCUM = 4
for epoch in range(2):
    accumulated = 0
    pbar = tqdm(DataLoader(data, batch_size=8), desc=f"epoch {epoch}", ncols=80)
    for i, (x, y) in enumerate(pbar):
        loss = nn.functional.cross_entropy(model(x), y) / ACCUM
        accumulated = accumulated + loss
        accumulated.backward()
        if (i + 1) % ACCUM == 0:
            optimizer.step()
            optimizer.zero_grad()
            accumulated = 0
        pbar.set_postfix(loss=f"{loss.item():.3f}")
'''

SCRIPTS["inplace-mask-after-softmax-attention"] = '''
import torch
import torch.nn as nn


class MaskedSelfAttention(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.qkv = nn.Linear(dim, 3 * dim)
        self.scale = dim ** -0.5

    def forward(self, x, pad):
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        attn = (q @ k.transpose(-2, -1) * self.scale).softmax(dim=-1)
        attn.masked_fill_(pad[:, None, :], 0.0)          # ignore padded patches
        return attn @ v


layer = MaskedSelfAttention(32)
head = nn.Linear(32, 10)
x = torch.randn(4, 16, 32)
pad = torch.zeros(4, 16, dtype=torch.bool)
pad[:, 12:] = True
logits = head(layer(x, pad).mean(1))
loss = nn.functional.cross_entropy(logits, torch.randint(0, 10, (4,)))
loss.backward()
'''

SCRIPTS["worker-chained-cause-missing-image"] = '''
import csv

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class XRays(Dataset):
    def __init__(self, csv_file):
        with open(csv_file) as f:
            self.rows = list(csv.DictReader(f))
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        row = self.rows[i]
        try:
            img = Image.open("data/images/" + row["Image Index"]).convert("L")
        except OSError as e:
            raise RuntimeError(f"could not load sample {i} ({row['Image Index']})") from e
        return self.tf(img), int(row["label"])


def main():
    loader = DataLoader(XRays("data/labels.csv"), batch_size=4, shuffle=False, num_workers=2)
    for epoch in range(2):
        for x, y in loader:
            print(epoch, x.shape, y.tolist(), flush=True)


if __name__ == "__main__":
    main()
'''

SCRIPTS["class-name-lookup-during-handling"] = '''
import json

import torch

CLASS_TO_IDX = {"cat": 0, "dog": 1, "rabbit": 2}


def encode(ann):
    try:
        return CLASS_TO_IDX[ann["label"]]
    except KeyError:
        raise ValueError(f"unknown class {ann['label']!r} in {ann['file']}; expected one of {list(CLASS_TO_IDX)}")


anns = json.load(open("data/annotations.json"))
labels = torch.tensor([encode(a) for a in anns])
print(labels.bincount())
'''

SCRIPTS["save-checkpoint-dir-missing-after-tqdm"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from tqdm import tqdm

torch.manual_seed(0)
model = nn.Sequential(nn.Flatten(), nn.Linear(3 * 16 * 16, 32), nn.ReLU(), nn.Linear(32, 4))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
train = DataLoader(TensorDataset(torch.randn(160, 3, 16, 16), torch.randint(0, 4, (160,))), batch_size=16)
best = float("inf")
for epoch in range(1, 4):
    total = 0.0
    for x, y in tqdm(train, desc=f"Epoch {epoch}/3", ncols=90):
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item()
    print(f"epoch {epoch}: train loss {total / len(train):.4f}")
    if total < best:
        best = total
        torch.save(model.state_dict(), f"runs/exp1/weights/best_epoch{epoch}.pt")
'''

SCRIPTS["collate-dict-missing-mask-key-workers"] = '''
import os

import numpy as np
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset


class Buildings(Dataset):
    def __init__(self, root):
        self.root = root
        self.names = sorted(os.listdir(os.path.join(root, "images")))

    def __len__(self):
        return len(self.names)

    def __getitem__(self, i):
        name = self.names[i]
        image = torch.from_numpy(np.asarray(Image.open(os.path.join(self.root, "images", name)).convert("RGB"))).permute(2, 0, 1)
        sample = {"image": image.float() / 255, "name": name}
        mask_path = os.path.join(self.root, "masks", name.replace(".jpg", ".png"))
        if os.path.exists(mask_path):
            sample["mask"] = torch.from_numpy(np.asarray(Image.open(mask_path)) > 0).long()
        return sample


def main():
    loader = DataLoader(Buildings("data/tiles"), batch_size=4, shuffle=False, num_workers=2)
    for batch in loader:
        print(batch["image"].shape, batch["mask"].shape)


if __name__ == "__main__":
    main()
'''


def tiles(work: Path):
    specs = [(f"data/tiles/images/tile_{i:03d}.jpg", (64, 64), "RGB") for i in range(8)]
    specs += [(f"data/tiles/masks/tile_{i:03d}.png", (64, 64), "L") for i in range(8) if i != 5]
    make_images(work, specs)


SCRIPTS["frcnn-pretrained-weights-num-classes"] = '''
import torch
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_fpn, FasterRCNN_MobileNet_V3_Large_FPN_Weights

CLASSES = ["__background__", "pothole", "crack"]
model = fasterrcnn_mobilenet_v3_large_fpn(weights=FasterRCNN_MobileNet_V3_Large_FPN_Weights.DEFAULT,
                                          num_classes=len(CLASSES))
model.train()
'''

SCRIPTS["maskrcnn-single-mask-for-all-objects"] = '''
import torch
from torchvision.models.detection import maskrcnn_resnet50_fpn

model = maskrcnn_resnet50_fpn(weights=None, weights_backbone=None, num_classes=3, min_size=200, max_size=256)
model.train()
image = torch.rand(3, 200, 256)
# instance mask exported as one label image (pixel value = instance id)
label_img = torch.zeros(200, 256, dtype=torch.uint8)
label_img[20:120, 30:140] = 1
label_img[60:180, 150:240] = 2
target = {
    "boxes": torch.tensor([[30., 20., 140., 120.], [150., 60., 240., 180.]]),
    "labels": torch.tensor([1, 2]),
    "masks": label_img,
}
losses = model([image], [target])
sum(losses.values()).backward()
'''

SCRIPTS["v2-randomioucrop-plain-tensor-boxes"] = '''
import torch
from torchvision.transforms import v2


class Parcels(torch.utils.data.Dataset):
    def __init__(self):
        self.tf = v2.Compose([v2.RandomPhotometricDistort(p=1.0), v2.RandomIoUCrop(), v2.Resize((320, 320)),
                              v2.ToDtype(torch.float32, scale=True)])

    def __len__(self):
        return 4

    def __getitem__(self, i):
        image = torch.randint(0, 256, (3, 240, 320), dtype=torch.uint8)
        target = {"boxes": torch.tensor([[40., 30., 180., 200.]]), "labels": torch.tensor([1])}
        return self.tf(image, target)


for image, target in torch.utils.data.DataLoader(Parcels(), batch_size=2, collate_fn=lambda b: tuple(zip(*b))):
    print(image[0].shape, target[0]["boxes"])
'''

SCRIPTS["detector-eval-like-classifier"] = '''
import torch
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn

model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=4)
model.eval()
images = [torch.rand(3, 240, 320) for _ in range(2)]
labels = torch.tensor([1, 3])
with torch.no_grad():
    outputs = model(images)
    _, predicted = torch.max(outputs, 1)
    print("accuracy", (predicted == labels).float().mean().item())
'''


# ======================================================================= cases
def cases():
    out, add, script, _ = case_builders("torch-more2-", SCRIPTS)

    def iai(name, cause, files, forms=("cpython_basic",), **kw):
        kw.setdefault("framework", "imageai")
        kw.setdefault("timeout", 600)
        add("imageai-" + name, cause, files, forms=forms, **kw)

    # ImageAI 3: detection training ------------------------------------------------------------
    iai("det-annotations-comma-separated", "data.bbox_invalid", det_train(),
        also=["data.missing_or_corrupt"],
        setup=det_dataset(ann=lambda i: f"{i % 2},0.45,0.5,0.3,0.4\n{1 - i % 2},0.7,0.3,0.2,0.25\n"))
    iai("det-annotations-class-names", "data.bbox_invalid", det_train(model="YOLOv3"),
        also=["data.missing_or_corrupt"],
        setup=det_dataset(ann=lambda i: f"apple 0.45 0.5 0.3 0.4\nbanana 0.7 0.3 0.2 {0.2 + 0.02 * i:.2f}\n"))
    iai("det-batch-size-1-val-loader-zero", "model.api_misuse", det_train(bs="1"), setup=det_dataset())
    iai("det-batch-size-from-argv-string", "model.api_misuse",
        {"train.py": sub(DET_TRAIN, MODEL="YOLOv3", DATADIR="fruits", CLASSES='["apple", "banana"]',
                         BS="sys.argv[1]", EPOCHS="int(sys.argv[2])").replace("from imageai", "import sys\nfrom imageai", 1)},
        argv=["train.py", "8", "50"], setup=det_dataset())

    # ImageAI 3: custom detection inference ------------------------------------------------------
    # a TinyYOLOv3 model + config (6 anchors) loaded with the YOLOv3 model type (9 anchors)
    iai("detect-tiny-model-as-yolov3-type", "model.api_misuse", detect(model="YOLOv3"),
        argv=["detect.py"], also=["model.weights_mismatch"],
        setup=imgs([("kitchen.jpg", (160, 120), "RGB")]))
    iai("detect-classification-json", "model.api_misuse", detect(json="fruits_model_classes.json"),
        argv=["detect.py"], setup=imgs([("kitchen.jpg", (160, 120), "RGB")]))
    iai("detect-without-load-model", "model.api_misuse", detect(load="# detector.loadModel()"),
        argv=["detect.py"], setup=imgs([("kitchen.jpg", (160, 120), "RGB")]))
    iai("detect-grayscale-array", "data.image_channels",
        detect(pre="import cv2\n", image='cv2.imread("kitchen.jpg", cv2.IMREAD_GRAYSCALE)'),
        argv=["detect.py"], setup=imgs([("kitchen.jpg", (160, 120), "RGB")]))
    iai("detect-pil-rgba-screenshot", "data.image_channels",
        detect(pre="from PIL import Image\n", image='Image.open("screenshot.png")'),
        argv=["detect.py"], setup=imgs([("screenshot.png", (160, 120), "RGBA")]))

    # ImageAI 3: classification ------------------------------------------------------------------
    iai("cls-test-has-extra-class", "data.label_out_of_range", cls_train(),
        also=["model.output_mismatch", "data.missing_or_corrupt"], forms=["cpython_basic", "progress_bars?"],
        setup=cls_folder(test=("cat", "dog", "fox")))
    iai("cls-continue-from-own-checkpoint", "model.weights_mismatch",
        cls_train(pre="import torch, torchvision\n# best model of the previous run (2 classes)\n"
                      "torch.save(torchvision.models.mobilenet_v2(num_classes=2).state_dict(), "
                      "'mobilenet_v2-pets-test_acc_0.75000_epoch-3.pt')\n",
                  kw=', transfer_from_model="mobilenet_v2-pets-test_acc_0.75000_epoch-3.pt"'),
        forms=["cpython_basic", "multiline_message?"], setup=cls_folder())
    iai("cls-transfer-full-pickled-model", "model.weights_mismatch",
        cls_train(model="ResNet50",
                  pre="import torch, torchvision\n# torch.save(model) instead of model.state_dict()\n"
                      "torch.save(torchvision.models.resnet50(), 'resnet50-imagenet.pth')\n",
                  kw=', transfer_from_model="resnet50-imagenet.pth"'),
        also=["env.version_incompat"], forms=["cpython_basic", "multiline_message?", "chained_cause?"],
        setup=cls_folder())
    iai("cls-predict-result-count-above-classes", "model.api_misuse", {"predict.py": CLS_PREDICT},
        argv=["predict.py"], setup=imgs([("samples/cat1.jpg", (80, 60), "RGB"), ("samples/dog1.jpg", (80, 60), "RGB")]))
    iai("cls-inceptionv3-last-batch-of-one", "model.input_shape", cls_train(model="InceptionV3", bs="4"),
        also=["other"], forms=["cpython_basic", "progress_bars?"], timeout=900,
        setup=cls_folder(train=("cat", "dog", "hamster"), per=3))

    # torchvision datasets / custom loaders --------------------------------------------------
    script("voc-root-points-at-devkit", "data.missing_or_corrupt",
           setup=imgs([(f"data/VOCdevkit/VOC2012/JPEGImages/2008_{i:06d}.jpg", (64, 48), "RGB") for i in range(3)]))
    script("voc-xml-object-without-bndbox-workers", "data.missing_or_corrupt", forms=["dataloader_worker"],
           also=["data.bbox_invalid"], setup=voc_setup)
    script("coco-category-ids-as-labels", "data.label_out_of_range", also=["model.output_mismatch"], setup=coco_setup)
    script("decode-jpeg-on-png-files-workers", "data.missing_or_corrupt", forms=["dataloader_worker"],
           setup=imgs([(f"data/leaves/{c}/{c}_{i}{'.png' if i == 2 else '.jpg'}", (48, 48), "RGB")
                       for c in ("healthy", "rust") for i in range(4)]))
    script("worker-chained-cause-missing-image", "data.missing_or_corrupt",
           forms=["dataloader_worker", "chained_cause"],
           extra={"data/labels.csv": "Image Index,label\n" + "".join(
               f"{i:08d}_000.png,{i % 2}\n" for i in range(10))},
           setup=imgs([(f"data/images/{i:08d}_000.png", (64, 64), "L") for i in range(10) if i != 6]))
    script("collate-dict-missing-mask-key-workers", "data.missing_or_corrupt", forms=["dataloader_worker"], setup=tiles)
    script("genfromtxt-structured-array-to-tensor", "data.dtype",
           extra={"data/patients.csv": "age,bmi,glucose,sex,outcome\n" + "".join(
               f"{30 + i},{22 + i % 7}.{i % 10},{90 + 3 * i},{'MF'[i % 2]},{i % 2}\n" for i in range(20))})
    script("class-name-lookup-during-handling", "data.label_out_of_range", forms=["chained_during"],
           also=["data.missing_or_corrupt"],
           extra={"data/annotations.json": "[" + ", ".join(
               f'{{"file": "img_{i:03d}.jpg", "label": "{["cat", "dog", "rabbit", "cat", "Dog"][i % 5]}"}}'
               for i in range(12)) + "]"})

    # segmentation losses ------------------------------------------------------------------------
    script("dice-loss-target-not-onehot", "data.label_shape", also=["model.output_mismatch"])
    script("focal-loss-gather-int32-mask", "data.dtype")
    script("unet-valid-conv-dice-shape", "model.output_mismatch", also=["model.input_shape"])
    script("bce-mask-uint8-from-pil", "data.dtype",
           setup=imgs([(f"data/images/isic_{i}.png", (48, 48), "RGB") for i in range(6)]
                      + [(f"data/masks/isic_{i}_segmentation.png", (48, 48), "L") for i in range(6)]))

    # backbones / heads / freezing --------------------------------------------------------------
    script("pretrained-4ch-stem-load-rgb-weights", "model.weights_mismatch", also=["data.image_channels"],
           forms=["cpython_basic", "multiline_message"])
    script("mobilenetv3-classifier-replaced-wrong-width", "model.input_shape", also=["model.output_mismatch"])
    script("freeze-after-replacing-head", "optim.autograd_graph", also=["model.api_misuse"])
    script("frcnn-pretrained-weights-num-classes", "model.api_misuse", also=["model.output_mismatch"])

    # evaluation ---------------------------------------------------------------------------------
    script("eval-argmax-dim0-accuracy", "model.api_misuse", also=["data.label_shape"])
    script("detector-eval-like-classifier", "model.api_misuse", forms=["cpython_basic", "multiline_message"])

    # checkpoints --------------------------------------------------------------------------------
    script("load-plain-checkpoint-into-dataparallel", "model.weights_mismatch", forms=["cpython_basic", "multiline_message"])
    script("load-compiled-checkpoint-orig-mod", "model.weights_mismatch", forms=["cpython_basic", "multiline_message"],
           timeout=300)

    # detection targets / augmentation ---------------------------------------------------------
    script("ssd-numpy-flip-boxes-swapped", "data.bbox_invalid",
           setup=imgs([(f"data/shelf_{i}.jpg", (240, 200), "RGB") for i in range(4)]))
    script("maskrcnn-single-mask-for-all-objects", "data.label_shape", also=["model.api_misuse"])
    script("v2-randomioucrop-plain-tensor-boxes", "model.api_misuse")

    # optimisation / autograd ---------------------------------------------------------------------
    script("clip-grad-error-if-nonfinite-huge-lr", "optim.divergence", forms=["cpython_basic", "progress_bars?"])
    script("grad-accumulation-running-loss-backward-tqdm", "optim.autograd_graph", forms=["cpython_basic", "progress_bars"])
    script("inplace-mask-after-softmax-attention", "optim.autograd_graph")

    # ordinary errors after long progress output ------------------------------------------------
    script("save-checkpoint-dir-missing-after-tqdm", "other", forms=["cpython_basic", "progress_bars"])
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
