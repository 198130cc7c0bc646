"""A seventh held-out set of PyTorch / torchvision / ImageAI 3 training failures,
none of them a repeat of the scenarios in the other generators. ImageAI 3:
CustomObjectDetection asked for an ``output_type`` it does not know and given
the model and the config the wrong way round; DetectionModelTrainer given a
pathlib data directory; CustomImageClassification called without
``result_count`` and with a list of images; the ImageNet ImageClassification
class given a custom-trained model; ClassificationModelTrainer on a folder full
of macOS AppleDouble ``._*.jpg`` files. PyTorch: a BGR->RGB slice into
``torch.from_numpy``, a Keras ``padding="same"`` stride-2 port, GloVe-sized
attention heads, a patch embedding without its transpose, a fixed-batch LSTM
hidden state, PointNet-style BatchNorm1d on channels-last points, a 1x1-conv
head into CrossEntropyLoss, bilinear interpolation without a batch dim, dtypes
from numpy (float token ids, float64 CT volumes, uint8 masks into one_hot,
float overlays into PIL, float images into cvtColor), per-batch one_hot without
num_classes, VGG's Sequential classifier, an MPS notebook on Linux, Adam betas
given one float, a non-leaf learnable temperature, an argmax IoU loss,
``loss.item()`` before backward, saving a whole model holding a lambda,
TensorBoard not installed, ``torch.symeig`` in ZCA whitening, a sqlite dataset under the
spawn start method, ``set_start_method`` in a re-run notebook cell, Git LFS
pointer images, a ragged object .npy, MNIST pointed at the Kaggle CSV, CMYK
catalogue photos, ColorJitter on RGBA tensors, a VAE on unscaled pixels, a
tensor formatted with ``:.2%`` and boxes drawn on a batch.

Every case is a small real program run on CPU with the torch venv (no GPU, no
downloads); the label is known by construction (what the program breaks).

    /work/venvs/torch/bin/python corpus/generators/torch_more7.py [-k filter] [--out DIR]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _record import make_images, run_cases, imgs, sub, nb, class_folder, case_builders  # noqa: E402

SRC = "corpus/generators/torch_more7.py"


# ====================================================================== ImageAI
SAVE_DET = '''
import json
import os
import torch
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny

# written by an earlier DetectionModelTrainer run (random values, same layout)
torch.manual_seed(0)
anchors = [10, 14, 23, 27, 37, 58, 81, 82, 135, 169, 344, 319]
os.makedirs("hardhat/models", exist_ok=True)
os.makedirs("hardhat/json", exist_ok=True)
torch.save(YoloV3Tiny(anchors=anchors, num_classes=2).state_dict(),
           "hardhat/models/tiny-yolov3_hardhat_mAP-0.52340_epoch-41.pt")
with open("hardhat/json/hardhat_tiny-yolov3_detection_config.json", "w") as f:
    json.dump({"labels": ["helmet", "head"], "anchors": anchors}, f)
'''

DETECT = '''
from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath(@@MODEL@@)
detector.setJsonPath(@@JSON@@)
detector.loadModel()
@@CALL@@
'''

MODEL_PT = '"hardhat/models/tiny-yolov3_hardhat_mAP-0.52340_epoch-41.pt"'
CONFIG_JSON = '"hardhat/json/hardhat_tiny-yolov3_detection_config.json"'


def detect(call, model=MODEL_PT, json=CONFIG_JSON):
    return SAVE_DET + sub(DETECT, MODEL=model, JSON=json, CALL=call)


DETECT_OUTPUT_TYPE_IMAGE = '''
# get the annotated picture back to show it in the Streamlit page
annotated, detections = detector.detectObjectsFromImage(input_image="site_cam_04.jpg", output_type="image",
                                                        minimum_percentage_probability=30)
print(len(detections), "objects")
'''

DETECT_SWAPPED = '''
detections = detector.detectObjectsFromImage(input_image="site_cam_04.jpg", output_image_path="site_cam_04_out.jpg")
for d in detections:
    print(d["name"], d["percentage_probability"])
'''

DET_TRAIN_PATHLIB = '''
from pathlib import Path

from imageai.Detection.Custom import DetectionModelTrainer

DATA = Path("datasets") / "hardhat"

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory=DATA)
trainer.setTrainConfig(object_names_array=["helmet", "head"], batch_size=4, num_experiments=20)
trainer.trainModel()
'''


def hardhat_dataset(work: Path):
    specs = []
    for split, n in (("train", 6), ("validation", 2)):
        (work / "datasets/hardhat" / split / "annotations").mkdir(parents=True, exist_ok=True)
        for i in range(n):
            stem = f"hard_hat_workers{i + (0 if split == 'train' else 100)}"
            specs.append((f"datasets/hardhat/{split}/images/{stem}.png", (128, 96), "RGB"))
            (work / "datasets/hardhat" / split / "annotations" / f"{stem}.txt").write_text(
                f"0 {0.30 + 0.04 * i:.4f} 0.3100 {0.10 + 0.02 * i:.4f} 0.1400\n"
                f"1 0.6200 0.3600 0.1100 {0.12 + 0.03 * i:.4f}\n")
    make_images(work, specs)


CLS_MODEL = '''
import json
import torch
import torchvision

# written by an earlier ClassificationModelTrainer run on three classes
torch.save(torchvision.models.mobilenet_v2(num_classes=3).state_dict(),
           "mobilenet_v2-flowers-test_acc_0.83333_epoch-7.pt")
json.dump({"0": "daisy", "1": "rose", "2": "tulip"}, open("flowers_model_classes.json", "w"))
'''

CLS_NO_RESULT_COUNT = CLS_MODEL + '''
from imageai.Classification.Custom import CustomImageClassification

prediction = CustomImageClassification()
prediction.setModelTypeAsMobileNetV2()
prediction.setModelPath("mobilenet_v2-flowers-test_acc_0.83333_epoch-7.pt")
prediction.setJsonPath("flowers_model_classes.json")
prediction.loadModel()

predictions, probabilities = prediction.classifyImage("garden/IMG_2041.jpg")
for name, prob in zip(predictions, probabilities):
    print(name, ":", prob)
'''

CLS_LIST = CLS_MODEL + '''
import glob
from imageai.Classification.Custom import CustomImageClassification

prediction = CustomImageClassification()
prediction.setModelTypeAsMobileNetV2()
prediction.setModelPath("mobilenet_v2-flowers-test_acc_0.83333_epoch-7.pt")
prediction.setJsonPath("flowers_model_classes.json")
prediction.loadModel()

# classify the whole folder in one call
files = sorted(glob.glob("garden/*.jpg"))
predictions, probabilities = prediction.classifyImage(files, result_count=1)
for f, name, prob in zip(files, predictions, probabilities):
    print(f, name, prob)
'''

CLS_PRETRAINED_CLASS = CLS_MODEL + '''
from imageai.Classification import ImageClassification

prediction = ImageClassification()
prediction.setModelTypeAsMobileNetV2()
prediction.setModelPath("mobilenet_v2-flowers-test_acc_0.83333_epoch-7.pt")
prediction.loadModel()

predictions, probabilities = prediction.classifyImage("garden/IMG_2041.jpg", result_count=3)
for name, prob in zip(predictions, probabilities):
    print(name, ":", prob)
'''

GARDEN = [(f"garden/IMG_20{41 + i}.jpg", (120, 90), "RGB") for i in range(3)]

CLS_TRAIN = '''
from imageai.Classification.Custom import ClassificationModelTrainer

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("birds")
trainer.trainModel(num_experiments=5, batch_size=4)
'''

# macOS writes a "._name" AppleDouble file next to every file it copies to a FAT/exFAT/SMB volume
APPLEDOUBLE = (b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        \x00\x02\x00\x00\x00\t\x00\x00\x002"
               b"\x00\x00\x0e\xb0\x00\x00\x00\x02\x00\x00\x0e\xe2\x00\x00\x01\x1e" + bytes(4096 - 42))


def birds_with_appledouble(work: Path):
    specs = class_folder("birds/train", ("finch", "robin"), 6) + class_folder("birds/test", ("finch", "robin"), 2)
    make_images(work, specs)
    for rel, _, _ in specs:
        if rel.startswith("birds/train/robin/") and rel.endswith(("_001.jpg", "_004.jpg")):
            p = work / rel
            (p.parent / ("._" + p.name)).write_bytes(APPLEDOUBLE)


# ======================================================================= PyTorch
SCRIPTS = {}

SCRIPTS["bgr-slice-from-numpy-workers"] = '''
import glob
import os

import cv2
import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset


class LeafDataset(Dataset):
    def __init__(self, root, size=96):
        self.files = sorted(glob.glob(os.path.join(root, "*", "*.jpg")))
        self.classes = sorted(os.listdir(root))
        self.size = size

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        path = self.files[i]
        img = cv2.imread(path)                          # H x W x 3, BGR, uint8
        img = cv2.resize(img, (self.size, self.size))
        img = img[:, :, ::-1]                           # BGR -> RGB
        x = torch.from_numpy(img).permute(2, 0, 1).float() / 255.0
        y = self.classes.index(os.path.basename(os.path.dirname(path)))
        return x, y


def main():
    ds = LeafDataset("data/plant_village/train")
    loader = DataLoader(ds, batch_size=8, shuffle=True, num_workers=2)
    model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                          nn.Linear(16, len(ds.classes)))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(5):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"epoch {epoch}: loss {loss.item():.4f}")


if __name__ == "__main__":
    main()
'''

SCRIPTS["keras-port-same-padding-stride-2"] = '''
import torch
from torch import nn

# port of our Keras model:
#   Conv2D(32, 3, strides=2, padding="same", activation="relu")
#   Conv2D(64, 3, strides=2, padding="same", activation="relu")
#   GlobalAveragePooling2D(), Dense(5)


class SmallNet(nn.Module):
    def __init__(self, num_classes=5):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 32, 3, stride=2, padding="same"), nn.ReLU(),
            nn.Conv2d(32, 64, 3, stride=2, padding="same"), nn.ReLU(),
        )
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, num_classes))

    def forward(self, x):
        return self.head(self.features(x))


model = SmallNet()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
x, y = torch.rand(8, 3, 128, 128), torch.randint(0, 5, (8,))
for step in range(10):
    loss = nn.functional.cross_entropy(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
'''

SCRIPTS["glove-300-attention-8-heads"] = '''
import torch
from torch import nn

VOCAB, EMB_DIM = 5000, 300          # GloVe 6B 300d


class TweetClassifier(nn.Module):
    def __init__(self, num_classes=3):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, EMB_DIM, padding_idx=0)
        layer = nn.TransformerEncoderLayer(d_model=EMB_DIM, nhead=8, dim_feedforward=512, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers=2)
        self.fc = nn.Linear(EMB_DIM, num_classes)

    def forward(self, ids):
        return self.fc(self.encoder(self.emb(ids)).mean(1))


model = TweetClassifier()
ids = torch.randint(1, VOCAB, (16, 40))
labels = torch.randint(0, 3, (16,))
opt = torch.optim.AdamW(model.parameters(), lr=2e-4)
for epoch in range(3):
    loss = nn.functional.cross_entropy(model(ids), labels)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(epoch, loss.item())
'''

SCRIPTS["vit-patch-embed-without-transpose"] = '''
import torch
from torch import nn


class PatchEmbed(nn.Module):
    def __init__(self, patch=8, dim=64):
        super().__init__()
        self.proj = nn.Conv2d(3, dim, kernel_size=patch, stride=patch)

    def forward(self, x):
        return self.proj(x).flatten(2)          # B x dim x num_patches


class TinyViT(nn.Module):
    def __init__(self, num_classes=10, dim=64, depth=2):
        super().__init__()
        self.embed = PatchEmbed(dim=dim)
        self.blocks = nn.ModuleList(
            [nn.TransformerEncoderLayer(dim, nhead=4, dim_feedforward=128, batch_first=True) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, num_classes)

    def forward(self, x):
        tokens = self.embed(x)
        for blk in self.blocks:
            tokens = blk(tokens)
        return self.head(self.norm(tokens).mean(1))


model = TinyViT()
images, labels = torch.rand(16, 3, 32, 32), torch.randint(0, 10, (16,))
opt = torch.optim.AdamW(model.parameters(), lr=3e-4)
for step in range(5):
    loss = nn.functional.cross_entropy(model(images), labels)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(step, loss.item())
'''

SCRIPTS["lstm-hidden-fixed-batch-last-batch"] = '''
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

BATCH_SIZE = 32
torch.manual_seed(0)
reviews = torch.randint(1, 2000, (200, 50))           # 200 padded reviews of 50 tokens
sentiment = torch.randint(0, 2, (200,)).float()
loader = DataLoader(TensorDataset(reviews, sentiment), batch_size=BATCH_SIZE, shuffle=True)


class SentimentLSTM(nn.Module):
    def __init__(self, vocab=2000, emb=64, hidden=128, layers=2):
        super().__init__()
        self.layers, self.hidden = layers, hidden
        self.emb = nn.Embedding(vocab, emb)
        self.lstm = nn.LSTM(emb, hidden, layers, batch_first=True, dropout=0.3)
        self.fc = nn.Linear(hidden, 1)

    def init_hidden(self):
        return (torch.zeros(self.layers, BATCH_SIZE, self.hidden),
                torch.zeros(self.layers, BATCH_SIZE, self.hidden))

    def forward(self, x, h):
        out, h = self.lstm(self.emb(x), h)
        return self.fc(out[:, -1]).squeeze(1), h


model = SentimentLSTM()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
crit = nn.BCEWithLogitsLoss()
for epoch in range(2):
    for step, (x, y) in enumerate(loader):
        h = model.init_hidden()
        logits, h = model(x, h)
        loss = crit(logits, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(f"epoch {epoch} step {step} loss {loss.item():.4f}")
'''

SCRIPTS["pointnet-batchnorm1d-channels-last"] = '''
import torch
from torch import nn

N_POINTS = 1024


class PointNetCls(nn.Module):
    """shared per-point MLP written with Linear layers on B x N x 3 clouds"""

    def __init__(self, k=10):
        super().__init__()
        self.mlp = nn.Sequential(
            nn.Linear(3, 64), nn.BatchNorm1d(64), nn.ReLU(),
            nn.Linear(64, 128), nn.BatchNorm1d(128), nn.ReLU(),
        )
        self.head = nn.Linear(128, k)

    def forward(self, pts):                      # pts: B x N x 3
        feats = self.mlp(pts)                    # B x N x 128
        return self.head(feats.max(dim=1).values)


model = PointNetCls()
clouds = torch.rand(8, N_POINTS, 3)              # ModelNet10 samples, xyz
labels = torch.randint(0, 10, (8,))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loss = nn.functional.cross_entropy(model(clouds), labels)
loss.backward()
opt.step()
'''

SCRIPTS["conv-1x1-head-logits-4d-ce"] = '''
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


class AllConvNet(nn.Module):
    """fully convolutional classifier: no Linear layer"""

    def __init__(self, num_classes=6):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(3, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
        )
        self.classifier = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Conv2d(64, num_classes, kernel_size=1))

    def forward(self, x):
        return self.classifier(self.body(x))


images = torch.rand(64, 3, 64, 64)                  # Intel image classification, 6 scenes
labels = torch.randint(0, 6, (64,))
loader = DataLoader(TensorDataset(images, labels), batch_size=16, shuffle=True)
model = AllConvNet()
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for epoch in range(3):
    for x, y in loader:
        out = model(x)
        loss = criterion(out, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
'''

SCRIPTS["upsample-logits-without-batch-dim"] = '''
import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torchvision.models.segmentation import lraspp_mobilenet_v3_large
from torchvision.transforms import functional as TF

model = lraspp_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=3)
model.eval()

image = Image.open("samples/road_0193.jpg").convert("RGB")
x = TF.to_tensor(image).unsqueeze(0)
with torch.no_grad():
    logits = model(x)["out"][0]                             # C x h x w
    # back to the original resolution for the overlay
    logits = F.interpolate(logits, size=(image.height, image.width), mode="bilinear", align_corners=False)
mask = logits.argmax(0).byte().numpy()
Image.fromarray(mask * 100).save("road_0193_mask.png")
'''

SCRIPTS["float64-token-ids-from-numpy"] = '''
import json

import numpy as np
import torch
from torch import nn

with open("data/vocab.json") as f:
    vocab = json.load(f)
sentences = [line.split() for line in open("data/train.txt")]
MAX_LEN = 12
ids = np.zeros((len(sentences), MAX_LEN))                     # padded token ids
for i, words in enumerate(sentences):
    for j, w in enumerate(words[:MAX_LEN]):
        ids[i, j] = vocab.get(w, 1)
labels = torch.tensor([i % 2 for i in range(len(sentences))])

model = nn.Sequential(nn.Embedding(len(vocab) + 2, 32), nn.Flatten(), nn.Linear(32 * MAX_LEN, 2))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
x = torch.from_numpy(ids)
for epoch in range(5):
    loss = nn.functional.cross_entropy(model(x), labels)
    opt.zero_grad()
    loss.backward()
    opt.step()
'''

SCRIPTS["ct-volumes-float64-conv3d"] = '''
import glob

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset


class CTVolumes(Dataset):
    def __init__(self, root):
        self.files = sorted(glob.glob(f"{root}/*.npy"))

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        vol = np.load(self.files[i])                      # D x H x W, Hounsfield units
        vol = np.clip(vol, -1000, 400) / 1400.0
        label = int("nodule" in self.files[i])
        return torch.from_numpy(vol).unsqueeze(0), label


model = nn.Sequential(
    nn.Conv3d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool3d(2),
    nn.Conv3d(8, 16, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool3d(1),
    nn.Flatten(), nn.Linear(16, 2),
)
loader = DataLoader(CTVolumes("data/luna_crops"), batch_size=4, shuffle=True)
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
for epoch in range(3):
    for vol, label in loader:
        loss = nn.functional.cross_entropy(model(vol), label)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''


def ct_volumes(work: Path):
    import numpy as np
    rng = np.random.default_rng(0)
    d = work / "data" / "luna_crops"
    d.mkdir(parents=True)
    for i in range(6):
        np.save(d / f"{'nodule' if i % 2 else 'clear'}_{i:04d}.npy", rng.normal(-500, 300, (16, 32, 32)).astype(np.int16))


SCRIPTS["dice-one-hot-uint8-mask"] = '''
import glob

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader, Dataset

NUM_CLASSES = 4


class Scans(Dataset):
    def __init__(self):
        self.images = sorted(glob.glob("data/images/*.png"))
        self.masks = sorted(glob.glob("data/masks/*.png"))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = torch.from_numpy(np.array(Image.open(self.images[i]).convert("RGB"))).permute(2, 0, 1).float() / 255
        mask = torch.from_numpy(np.array(Image.open(self.masks[i])) // 64)       # 0..3
        return img, mask


def dice_loss(logits, mask, eps=1.0):
    probs = logits.softmax(1)
    target = F.one_hot(mask, NUM_CLASSES).permute(0, 3, 1, 2).float()
    inter = (probs * target).sum((2, 3))
    union = probs.sum((2, 3)) + target.sum((2, 3))
    return 1 - ((2 * inter + eps) / (union + eps)).mean()


model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, NUM_CLASSES, 1))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for img, mask in DataLoader(Scans(), batch_size=2, shuffle=True):
    loss = dice_loss(model(img), mask)
    opt.zero_grad()
    loss.backward()
    opt.step()
'''

SCRIPTS["cvtcolor-after-scaling-to-float"] = '''
import glob

import cv2
import torch
from torch.utils.data import DataLoader, Dataset


class Fundus(Dataset):
    def __init__(self, root):
        self.files = sorted(glob.glob(f"{root}/*.jpg"))

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        img = cv2.imread(self.files[i]) / 255.0              # scale to [0, 1]
        img = cv2.resize(img, (128, 128))
        img = cv2.cvtColor(img, cv2.COLOR_BGR2RGB)
        return torch.from_numpy(img).permute(2, 0, 1).float(), i % 5


loader = DataLoader(Fundus("data/aptos/train"), batch_size=4, shuffle=True)
for images, grades in loader:
    print(images.shape, grades)
'''

SCRIPTS["one-hot-per-batch-bce"] = '''
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

NUM_CLASSES = 5
torch.manual_seed(1)
features = torch.rand(64, 20)
# the last class is rare: only the final 4 samples
labels = torch.cat([torch.randint(0, 4, (60,)), torch.full((4,), 4)])
loader = DataLoader(TensorDataset(features, labels), batch_size=16, shuffle=False)

model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, NUM_CLASSES))
criterion = nn.BCEWithLogitsLoss()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(3):
    for x, y in loader:
        target = F.one_hot(y).float()
        loss = criterion(model(x), target)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch} loss {loss.item():.4f}")
'''

SCRIPTS["vgg-classifier-in-features"] = '''
import torch
from torch import nn
from torchvision import models

NUM_CLASSES = 4                      # glioma, meningioma, pituitary, no tumour

model = models.vgg16(weights=None)
for p in model.features.parameters():
    p.requires_grad = False
num_ftrs = model.classifier.in_features
model.classifier = nn.Linear(num_ftrs, NUM_CLASSES)
optimizer = torch.optim.Adam(model.classifier.parameters(), lr=1e-4)
'''

SCRIPTS["adam-betas-single-float"] = '''
import torch
from torch import nn
from torchvision import models

model = models.resnet18(weights=None, num_classes=7)       # HAM10000, 7 lesion types
optimizer = torch.optim.Adam(model.parameters(), lr=3e-4, betas=0.9, weight_decay=1e-4)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=30)
criterion = nn.CrossEntropyLoss()
x, y = torch.rand(4, 3, 64, 64), torch.randint(0, 7, (4,))
for epoch in range(30):
    loss = criterion(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    scheduler.step()
'''

SCRIPTS["learnable-temperature-non-leaf"] = '''
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn


class Encoder(nn.Module):
    def __init__(self, dim_in, dim_out=64):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(dim_in, 128), nn.ReLU(), nn.Linear(128, dim_out))

    def forward(self, x):
        return F.normalize(self.net(x), dim=-1)


image_enc, text_enc = Encoder(512), Encoder(300)
# learnable temperature, initialised as in CLIP
logit_scale = torch.tensor([np.log(1 / 0.07)], requires_grad=True).float()
params = list(image_enc.parameters()) + list(text_enc.parameters()) + [logit_scale]
optimizer = torch.optim.AdamW(params, lr=1e-4)

img_feats, txt_feats = torch.rand(32, 512), torch.rand(32, 300)
for step in range(100):
    logits = logit_scale.exp() * image_enc(img_feats) @ text_enc(txt_feats).t()
    target = torch.arange(32)
    loss = (F.cross_entropy(logits, target) + F.cross_entropy(logits.t(), target)) / 2
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
'''

SCRIPTS["argmax-iou-loss"] = '''
import torch
from torch import nn
from tqdm import tqdm


def iou_loss(logits, mask):
    pred = logits.argmax(dim=1)                    # B x H x W, class 1 = building
    inter = ((pred == 1) & (mask == 1)).sum().float()
    union = ((pred == 1) | (mask == 1)).sum().float()
    return 1 - (inter + 1) / (union + 1)


model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 2, 1))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
tiles = torch.rand(32, 3, 64, 64)
masks = (torch.rand(32, 64, 64) > 0.7).long()
for epoch in range(3):
    for i in tqdm(range(0, 32, 8), desc=f"epoch {epoch}"):
        loss = iou_loss(model(tiles[i:i + 8]), masks[i:i + 8])
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

SCRIPTS["save-whole-model-with-lambda"] = '''
import torch
from torch import nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(30, 64)
        self.fc2 = nn.Linear(64, 2)
        self.act = lambda x: x * torch.sigmoid(x)          # swish

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


torch.manual_seed(0)
x, y = torch.rand(256, 30), torch.randint(0, 2, (256,))
model = Net()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
best = float("inf")
for epoch in range(3):
    loss = nn.functional.cross_entropy(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
    if loss.item() < best:
        best = loss.item()
        torch.save(model, "best_model.pt")
'''

SCRIPTS["summarywriter-without-tensorboard"] = '''
import torch
from torch import nn
from torch.utils.tensorboard import SummaryWriter

writer = SummaryWriter("runs/exp1")
model = nn.Linear(10, 2)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for step in range(100):
    loss = model(torch.rand(8, 10)).pow(2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    writer.add_scalar("loss/train", loss.item(), step)
'''

SCRIPTS["zca-whitening-torch-symeig"] = '''
import glob

import numpy as np
import torch
from PIL import Image
from torch import nn

# ZCA whitening of the patches before training (from an older CIFAR repo)
files = sorted(glob.glob("data/train/*/*.png"))
x = torch.stack([torch.from_numpy(np.asarray(Image.open(f).convert("RGB"), dtype=np.float32) / 255.0)
                 .permute(2, 0, 1) for f in files])                          # N x 3 x 16 x 16
flat = x.reshape(len(x), -1)
flat = flat - flat.mean(0)
cov = flat.t() @ flat / (len(flat) - 1)
eigvals, eigvecs = torch.symeig(cov, eigenvectors=True)
zca = eigvecs @ torch.diag(1.0 / torch.sqrt(eigvals + 1e-2)) @ eigvecs.t()
x_white = (flat @ zca).reshape_as(x)

model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 2))
print(model(x_white).shape)
'''

SCRIPTS["spawn-context-sqlite-dataset"] = '''
import io
import sqlite3

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class SqliteImages(Dataset):
    """images stored as blobs in one sqlite file"""

    def __init__(self, db_path):
        self.conn = sqlite3.connect(db_path)
        self.rows = self.conn.execute("SELECT id, label FROM images").fetchall()
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        row_id, label = self.rows[i]
        (blob,) = self.conn.execute("SELECT data FROM images WHERE id = ?", (row_id,)).fetchone()
        return self.tf(Image.open(io.BytesIO(blob)).convert("RGB")), label


def main():
    # fork + CUDA kept crashing on the cluster, so the workers are spawned
    loader = DataLoader(SqliteImages("data/products.db"), batch_size=8, shuffle=True, num_workers=2,
                        multiprocessing_context="spawn")
    for epoch in range(2):
        for x, y in loader:
            print(epoch, x.shape)


if __name__ == "__main__":
    main()
'''


def products_db(work: Path):
    import io
    import sqlite3
    from PIL import Image
    (work / "data").mkdir()
    conn = sqlite3.connect(work / "data" / "products.db")
    conn.execute("CREATE TABLE images (id INTEGER PRIMARY KEY, label INTEGER, data BLOB)")
    for i in range(12):
        buf = io.BytesIO()
        Image.new("RGB", (48, 48), (i * 20, 100, 200 - i * 10)).save(buf, format="JPEG")
        conn.execute("INSERT INTO images VALUES (?, ?, ?)", (i, i % 3, buf.getvalue()))
    conn.commit()
    conn.close()


SCRIPTS["git-lfs-pointer-images-workers"] = '''
import csv

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class Xrays(Dataset):
    def __init__(self, csv_path):
        with open(csv_path) as f:
            self.rows = list(csv.DictReader(f))
        self.tf = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        img = Image.open(f"data/images/{r['file']}").convert("L")
        return self.tf(img), int(r["pneumonia"])


def main():
    loader = DataLoader(Xrays("data/labels.csv"), batch_size=4, shuffle=True, num_workers=2)
    for epoch in range(3):
        for x, y in loader:
            print(epoch, x.shape, y.tolist())


if __name__ == "__main__":
    main()
'''


def lfs_xrays(work: Path):
    (work / "data" / "images").mkdir(parents=True)
    rows = ["file,pneumonia"]
    for i in range(8):
        name = f"person{i + 1}_virus_{i * 3 + 7}.png"
        # the repo was cloned without `git lfs pull`: every image is a pointer file
        (work / "data" / "images" / name).write_text(
            "version https://git-lfs.github.com/spec/v1\n"
            f"oid sha256:{(str(i) * 64)[:64]}\n"
            f"size {48213 + 977 * i}\n")
        rows.append(f"{name},{i % 2}")
    (work / "data" / "labels.csv").write_text("\n".join(rows) + "\n")


SCRIPTS["ragged-boxes-object-npy"] = '''
import numpy as np
import torch
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn

images = np.load("data/images.npy")          # N x H x W x 3
boxes = np.load("data/boxes.npy")            # per image: K x 4, written by prepare_data.py
labels = np.load("data/labels.npy")

model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=3)
model.train()
for i in range(len(images)):
    img = torch.from_numpy(images[i]).permute(2, 0, 1).float() / 255
    target = {"boxes": torch.from_numpy(boxes[i]).float(), "labels": torch.from_numpy(labels[i])}
    loss = sum(model([img], [target]).values())
    print(i, loss.item())
'''


def ragged_npy(work: Path):
    import numpy as np
    rng = np.random.default_rng(0)
    (work / "data").mkdir()
    np.save(work / "data" / "images.npy", rng.integers(0, 255, (4, 96, 96, 3), dtype=np.uint8))
    boxes = np.empty(4, dtype=object)
    labels = np.empty(4, dtype=object)
    for i in range(4):
        k = i + 1
        xy = rng.integers(0, 50, (k, 2))
        boxes[i] = np.concatenate([xy, xy + rng.integers(10, 40, (k, 2))], 1).astype(np.float32)
        labels[i] = rng.integers(1, 3, k)
    np.save(work / "data" / "boxes.npy", boxes, allow_pickle=True)
    np.save(work / "data" / "labels.npy", labels, allow_pickle=True)


SCRIPTS["mnist-dataset-on-kaggle-csv"] = '''
import torch
from torchvision import datasets, transforms

# downloaded the Kaggle "MNIST in CSV" archive into ./data
train_set = datasets.MNIST(root="data", train=True, download=False, transform=transforms.ToTensor())
train_loader = torch.utils.data.DataLoader(train_set, batch_size=64, shuffle=True)
print(len(train_set))
'''


def kaggle_mnist(work: Path):
    (work / "data").mkdir()
    header = "label," + ",".join(f"1x{j}" for j in range(1, 29)) + "\n"
    for name in ("mnist_train.csv", "mnist_test.csv"):
        (work / "data" / name).write_text(header + "".join(f"{i % 10}," + ",".join("0" for _ in range(28)) + "\n"
                                                           for i in range(20)))


SCRIPTS["cmyk-catalogue-photos"] = '''
import glob
import os

import torch
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms


class Catalogue(Dataset):
    def __init__(self, root):
        self.files = sorted(glob.glob(os.path.join(root, "*", "*.jpg")))
        self.classes = sorted(os.listdir(root))
        self.tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        img = Image.open(self.files[i])
        label = self.classes.index(os.path.basename(os.path.dirname(self.files[i])))
        return self.tf(img), label


ds = Catalogue("print_catalogue/train")
model = models.resnet18(weights=None, num_classes=len(ds.classes))
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for x, y in DataLoader(ds, batch_size=4, shuffle=True):
    loss = nn.functional.cross_entropy(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
'''

SCRIPTS["colorjitter-after-totensor-rgba"] = '''
import torch
from PIL import Image
from torchvision import datasets, transforms


def open_logo(path):
    return Image.open(path)          # keep the transparent background of the PNG logos


train_tf = transforms.Compose([
    transforms.Resize((64, 64)),
    transforms.ToTensor(),
    transforms.ColorJitter(brightness=0.3, contrast=0.3, saturation=0.3, hue=0.05),
])
train_set = datasets.ImageFolder("logos/train", transform=train_tf, loader=open_logo)
loader = torch.utils.data.DataLoader(train_set, batch_size=8, shuffle=True)
for images, labels in loader:
    print(images.shape)
'''

SCRIPTS["vae-unscaled-pixels-bce"] = '''
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
# 28x28 sketches read straight from the PNG files: 0..255
pixels = torch.randint(0, 256, (256, 784)).float()
loader = DataLoader(TensorDataset(pixels), batch_size=32, shuffle=True)


class VAE(nn.Module):
    def __init__(self, z=16):
        super().__init__()
        self.enc = nn.Linear(784, 256)
        self.mu = nn.Linear(256, z)
        self.logvar = nn.Linear(256, z)
        self.dec = nn.Sequential(nn.Linear(z, 256), nn.ReLU(), nn.Linear(256, 784), nn.Sigmoid())

    def forward(self, x):
        h = F.relu(self.enc(x))
        mu, logvar = self.mu(h), self.logvar(h)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        return self.dec(z), mu, logvar


model = VAE()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(10):
    for step, (x,) in enumerate(loader):
        recon, mu, logvar = model(x)
        bce = F.binary_cross_entropy(recon, x / 255.0, reduction="sum")
        kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
        loss = bce + kld
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(f"epoch {epoch} step {step} loss {loss.item():.1f}")
'''

SCRIPTS["mps-device-on-linux"] = '''
import torch
from torch import nn
from torchvision import models

# notebook written on a MacBook, now run on the lab server
device = torch.device("mps")
model = models.resnet18(weights=None, num_classes=3).to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
x, y = torch.rand(4, 3, 64, 64).to(device), torch.randint(0, 3, (4,)).to(device)
loss = nn.functional.cross_entropy(model(x), y)
loss.backward()
optimizer.step()
'''

SCRIPTS["draw-boxes-on-batched-image"] = '''
import torch
from torchvision.io import read_image
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.utils import draw_bounding_boxes, save_image

model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=3,
                                              box_score_thresh=0.0)
model.eval()
img = read_image("samples/parking_lot.jpg").unsqueeze(0)       # 1 x 3 x H x W, uint8
with torch.no_grad():
    pred = model(img.float() / 255)[0]
keep = pred["scores"] > 0.0
drawn = draw_bounding_boxes(img, pred["boxes"][keep], colors="red", width=2)
save_image(drawn.float() / 255, "parking_lot_pred.jpg")
'''

# ----------------------------------------------------------------------- notebooks
FROMARRAY_CELLS = [
    '''import numpy as np
import torch
from PIL import Image
from torch import nn
from torchvision.transforms import functional as TF

model = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 1, 1))
model.eval()
image = Image.open("samples/leaf_017.jpg").convert("RGB")
x = TF.to_tensor(image).unsqueeze(0)''',
    '''with torch.no_grad():
    prob = torch.sigmoid(model(x))[0, 0].numpy()      # H x W in [0, 1]
print(prob.shape, prob.min(), prob.max())''',
    '''# red overlay of the predicted lesion mask
rgb = np.asarray(image) / 255.0
overlay = rgb.copy()
overlay[..., 0] = np.maximum(rgb[..., 0], prob)
Image.fromarray(overlay).save("leaf_017_overlay.png")''',
]

ITEM_BACKWARD_CELLS = [
    '''import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
X, y = torch.rand(128, 8), torch.rand(128, 1) * 500        # house features -> price (k$)
loader = DataLoader(TensorDataset(X, y), batch_size=16, shuffle=True)
model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 1))
criterion = nn.MSELoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)''',
    '''history = []
for epoch in range(20):
    for xb, yb in loader:
        optimizer.zero_grad()
        loss = criterion(model(xb), yb).item()
        history.append(loss)
        loss.backward()
        optimizer.step()
    print(epoch, history[-1])''',
]

START_METHOD_CELLS = [
    '''import torch
import torch.multiprocessing as mp
from torch.utils.data import DataLoader, TensorDataset

mp.set_start_method("spawn")
print(mp.get_start_method())''',
    '''ds = TensorDataset(torch.rand(64, 3, 32, 32), torch.randint(0, 10, (64,)))
loader = DataLoader(ds, batch_size=16, num_workers=0)
print(sum(1 for _ in loader), "batches")''',
    # the first cell run again after a kernel-less "Run All"
    '''import torch
import torch.multiprocessing as mp
from torch.utils.data import DataLoader, TensorDataset

mp.set_start_method("spawn")
print(mp.get_start_method())''',
]

FORMAT_CELLS = [
    '''import torch
from torch import nn

torch.manual_seed(0)
classes = ["cardboard", "glass", "metal", "paper", "plastic"]
model = nn.Sequential(nn.Flatten(), nn.Linear(3 * 16 * 16, len(classes)))
model.eval()
val_x, val_y = torch.rand(100, 3, 16, 16), torch.randint(0, 5, (100,))''',
    '''correct = torch.zeros(len(classes))
total = torch.zeros(len(classes))
with torch.no_grad():
    preds = model(val_x).argmax(1)
for c in range(len(classes)):
    correct[c] = ((preds == c) & (val_y == c)).sum()
    total[c] = (val_y == c).sum()
acc = correct / total''',
    '''print(f"validation accuracy: {acc:.2%}")''',
]


# ======================================================================= cases
def cases():
    out, add, script, _ = case_builders("torch-more7-", SCRIPTS)

    def notebook(name, cause, cells, forms=("ipython_cell", "ipython_arrows"), **kw):
        add(name, cause, nb(cells), forms=forms, argv=["nb_runner.py"], home_is_project=True, **kw)

    def iai(name, cause, text, forms=("cpython_basic",), **kw):
        kw.setdefault("framework", "imageai")
        kw.setdefault("timeout", 600)
        add("imageai-" + name, cause, {"main.py": text}, forms=forms, argv=["main.py"], **kw)

    site_cam = imgs([("site_cam_04.jpg", (200, 150), "RGB")])

    # ImageAI 3 ------------------------------------------------------------------------------------
    iai("custom-detect-output-type-image", "model.api_misuse", detect(DETECT_OUTPUT_TYPE_IMAGE), setup=site_cam)
    iai("custom-detect-model-and-json-swapped", "model.api_misuse",
        detect(DETECT_SWAPPED, model=CONFIG_JSON, json=MODEL_PT), setup=site_cam)
    iai("det-train-pathlib-data-directory", "model.api_misuse", DET_TRAIN_PATHLIB, setup=hardhat_dataset)
    iai("cls-custom-classify-without-result-count", "model.api_misuse", CLS_NO_RESULT_COUNT, setup=imgs(GARDEN))
    iai("cls-custom-classify-list-of-paths", "model.api_misuse", CLS_LIST, setup=imgs(GARDEN))
    iai("cls-imagenet-class-given-custom-model", "model.api_misuse", CLS_PRETRAINED_CLASS,
        also=["model.weights_mismatch"], forms=["cpython_basic"], setup=imgs(GARDEN))
    iai("cls-train-macos-appledouble-files", "data.missing_or_corrupt", CLS_TRAIN,
        forms=["cpython_basic", "progress_bars"], setup=birds_with_appledouble)

    # data loading / dtypes ---------------------------------------------------------------------
    script("bgr-slice-from-numpy-workers", "model.api_misuse", forms=["dataloader_worker"],
           setup=imgs(class_folder("data/plant_village/train", ("healthy", "blight"), 4, size=(80, 80))))
    script("git-lfs-pointer-images-workers", "data.missing_or_corrupt", forms=["dataloader_worker"], setup=lfs_xrays)
    script("ragged-boxes-object-npy", "data.missing_or_corrupt", setup=ragged_npy)
    script("mnist-dataset-on-kaggle-csv", "data.missing_or_corrupt", setup=kaggle_mnist)
    add("float64-token-ids-from-numpy", "data.dtype",
        {"train.py": SCRIPTS["float64-token-ids-from-numpy"],
         "data/vocab.json": '{"<pad>": 0, "<unk>": 1, "good": 2, "bad": 3, "movie": 4, "not": 5, "great": 6}',
         "data/train.txt": "good movie\nbad movie\nnot great\ngreat movie not bad\n"})
    script("ct-volumes-float64-conv3d", "data.dtype", setup=ct_volumes)
    script("dice-one-hot-uint8-mask", "data.dtype",
           setup=imgs([(f"data/images/scan_{i:02d}.png", (48, 48), "RGB") for i in range(4)]
                      + [(f"data/masks/scan_{i:02d}.png", (48, 48), "L") for i in range(4)]))
    script("cvtcolor-after-scaling-to-float", "data.dtype",
           setup=imgs([(f"data/aptos/train/{i:04x}a9c1.jpg", (160, 120), "RGB") for i in range(6)]))
    notebook("notebook-pil-fromarray-float-overlay", "data.dtype", FROMARRAY_CELLS,
             setup=imgs([("samples/leaf_017.jpg", (96, 72), "RGB")]))

    # channels ----------------------------------------------------------------------------------
    script("cmyk-catalogue-photos", "data.image_channels",
           project="/home/user/Shop Photos/classifier", forms=["cpython_basic", "paths_with_spaces"],
           setup=imgs(class_folder("print_catalogue/train", ("chairs", "lamps", "tables"), 3, size=(120, 100),
                                   mode="CMYK")))
    script("colorjitter-after-totensor-rgba", "data.image_channels",
           setup=imgs(class_folder("logos/train", ("adidas", "nike"), 4, size=(64, 64), mode="RGBA", ext="png")))

    # labels / outputs ------------------------------------------------------------------------------
    script("one-hot-per-batch-bce", "data.label_shape",
           project="/home/user/ML Course/week 5", forms=["cpython_basic", "paths_with_spaces"])
    script("conv-1x1-head-logits-4d-ce", "model.output_mismatch", also=["data.label_shape"])

    # model definition / input shapes --------------------------------------------------------
    script("keras-port-same-padding-stride-2", "model.api_misuse")
    script("glove-300-attention-8-heads", "model.api_misuse")
    script("vit-patch-embed-without-transpose", "model.input_shape")
    script("lstm-hidden-fixed-batch-last-batch", "model.input_shape")
    script("pointnet-batchnorm1d-channels-last", "model.input_shape")
    script("upsample-logits-without-batch-dim", "model.input_shape",
           setup=imgs([("samples/road_0193.jpg", (128, 96), "RGB")]))
    script("vgg-classifier-in-features", "model.api_misuse")
    script("draw-boxes-on-batched-image", "model.api_misuse",
           setup=imgs([("samples/parking_lot.jpg", (160, 120), "RGB")]))
    notebook("notebook-format-per-class-accuracy", "model.api_misuse", FORMAT_CELLS)

    # optimisation / autograd -------------------------------------------------------------------
    script("adam-betas-single-float", "model.api_misuse")
    script("learnable-temperature-non-leaf", "optim.autograd_graph", also=["data.dtype"])
    script("argmax-iou-loss", "optim.autograd_graph", forms=["cpython_basic", "progress_bars"])
    notebook("notebook-loss-item-before-backward", "optim.autograd_graph", ITEM_BACKWARD_CELLS)
    script("vae-unscaled-pixels-bce", "optim.divergence")

    # saving / environment ------------------------------------------------------------------------
    script("save-whole-model-with-lambda", "model.api_misuse")
    script("summarywriter-without-tensorboard", "env.version_incompat")
    script("zca-whitening-torch-symeig", "env.version_incompat", forms=["cpython_basic"],
           setup=imgs(class_folder("data/train", ("cat", "dog"), 6, size=(16, 16), ext="png")))
    script("mps-device-on-linux", "env.cuda_setup")
    script("spawn-context-sqlite-dataset", "env.multiprocessing", setup=products_db)
    notebook("notebook-set-start-method-rerun", "env.multiprocessing", START_METHOD_CELLS)
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
