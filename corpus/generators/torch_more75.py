"""A seventy-fifth held-out set (g142, scored 1.00 top-1 and 1.00 top-3 before any rule for it) of ImageAI 3 / PyTorch failures, untargeted across the taxonomy.

The persona: ImageAI 3.0.3 (PyTorch) classification users: ``ClassificationModelTrainer`` on their own ``train/``
and ``test/`` folders (MobileNetV2, ResNet50, InceptionV3, DenseNet121), ``CustomImageClassification`` loading the
trained ``.pt`` and its ``*_model_classes.json``, batch prediction over folders of photos written to CSV,
retraining after adding classes or photos, moving trained models between a workstation, a laptop and a Raspberry
Pi, then a small plain-PyTorch tweak on the ImageAI model (a custom head, a different transform). A natural mix
of causes, each program built so that its cause is known by construction and made to fail inside ImageAI, torch,
torchvision, Pillow or the standard library; none a repeat of the scenarios in the other generators:

- ImageAI 3 trainer: a ``train/`` folder that JupyterLab left a ``.ipynb_checkpoints`` folder in (notebook,
  data.missing_or_corrupt), ``setDataDirectory("~/datasets/...")`` on the new laptop (data.missing_or_corrupt),
  the data directory given as a ``pathlib.Path`` (model.api_misuse), ImageAI's test transform patched to
  ``Resize(224)`` without the centre crop on portrait and landscape photos (tqdm, data.image_size_mismatch), a
  retrain after adding a class that transfers from last month's custom-head fine-tune (model.weights_mismatch);
- ImageAI 3 batch prediction: the CSV opened inside the photo folder that is then listed (tqdm,
  data.missing_or_corrupt), a ResNet50 whose ``fc`` was replaced by ``Dropout + Linear`` in a plain-PyTorch
  fine-tune loaded back with ``CustomImageClassification`` (model.weights_mismatch), a brightness fix for dim
  photos ending in ``.astype(int)`` (notebook, data.dtype), thermal-camera frames saved as ``(H, W, 1)`` arrays
  (data.image_channels), ``result_count`` from ``np.ceil`` (model.api_misuse), the CSV written as cp1252 "for
  Excel" with Hungarian class names (other), pseudo-labels kept as the label lists ``classifyImage`` returns
  (data.label_shape);
- plain-PyTorch tweaks on the ImageAI model files: a DenseNet121 head on ``children()[:-1]`` (the pooling is in
  ``forward``, notebook, model.input_shape), a head trained on features cached under ``torch.inference_mode()``
  (optim.autograd_graph), ``PILToTensor`` without scaling into the frozen ResNet50 with a hand-written
  label-smoothing loss (anomaly mode, optim.divergence), ``torch.export.export`` given a bare tensor for the Pi
  (model.api_misuse), a single-logit "diseased?" head kept on ``CrossEntropyLoss`` (notebook,
  model.output_mismatch), ``load_state_dict(strict=False)`` of the 4-class model into the 5-class one (notebook,
  model.weights_mismatch), ``Resize(1024)`` for small defects in a DenseNet121 batch prediction under the
  laptop's memory cap (resource.host_memory), a checkpoint bundle that ships the ``transforms.Compose`` to the
  laptop (``weights_only``, env.version_incompat), the shared workstation's
  ``set_per_process_memory_fraction`` on the laptop (env.cuda_setup), a native-size photo gallery kept from a
  list-collate DataLoader under ``ulimit -n 256`` (workers, env.multiprocessing), a head sized from the test
  split before the new class was added there (tqdm, data.label_out_of_range).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None: the ImageAI
model files are ones an earlier training run left on disk; epochs at 1 and datasets of a few images).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more75.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


from _record import (Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders,  # noqa: E402,F401
                     save_cls)
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more75.py"

SCRIPTS = {}
CELLS = {}

MEAN_STD = "[0.485, 0.456, 0.406], [0.229, 0.224, 0.225]"

# ================================================================== ImageAI 3 trainer
CELLS["imageai-cls-trainer-ipynb-checkpoints-in-train-folder-notebook"] = [
    '''from imageai.Classification.Custom import ClassificationModelTrainer
import os
sorted(os.listdir("datasets/fabric/train"))''',
    '''trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("datasets/fabric")''',
    '''trainer.trainModel(num_experiments=1, batch_size=4)''',
]

CHECKPOINT_NB = ('{"cells": [{"cell_type": "markdown", "metadata": {}, "source": ["# which photos are blurry?"]}], '
                 '"metadata": {}, "nbformat": 4, "nbformat_minor": 5}\n')

SCRIPTS["imageai-cls-trainer-data-dir-tilde-on-new-laptop"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

# copied over from the workstation with: rsync -a datasets/bread laptop:~/datasets/
DATA_DIR = "~/datasets/bread"

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsResNet50()
trainer.setDataDirectory(DATA_DIR)
trainer.trainModel(num_experiments=1, batch_size=4)
'''

SCRIPTS["imageai-cls-trainer-data-dir-pathlib"] = '''
from pathlib import Path

from imageai.Classification.Custom import ClassificationModelTrainer

ROOT = Path(__file__).resolve().parent
DATA = ROOT / "datasets" / "coffee_beans"
print("training on", DATA, "-", sorted(p.name for p in (DATA / "train").iterdir()))

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory(DATA)
trainer.trainModel(num_experiments=1, batch_size=4, model_directory=str(ROOT / "models"))
'''

SCRIPTS["imageai-cls-trainer-test-transform-patched-resize-no-crop-tqdm"] = '''
from torchvision import transforms

from imageai.Classification.Custom import ClassificationModelTrainer
from imageai.Classification.Custom.data_transformation import data_transforms1

# the centre crop cuts the leaf tips off the portrait photos: evaluate on the whole photo instead
data_transforms1["test"] = transforms.Compose([
    transforms.Resize(224),
    transforms.ToTensor(),
    transforms.Normalize(@@MEAN_STD@@),
])

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("datasets/leaves")
trainer.trainModel(num_experiments=1, batch_size=4)
'''.replace("@@MEAN_STD@@", MEAN_STD)

SCRIPTS["imageai-cls-trainer-transfer-from-custom-head-finetune"] = '''
import glob

from imageai.Classification.Custom import ClassificationModelTrainer

# "mildew" was added to train/ and test/ this month; start from last month's best model
last_month = sorted(glob.glob("models/2024-05/*.pt"))[-1]
print("transfer from", last_month)

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("datasets/grapevine")
trainer.trainModel(num_experiments=1, batch_size=4, transfer_from_model=last_month,
                   model_directory="models/2024-06")
'''

CUSTOM_HEAD_MOBILENET_PREP = '''
import json, os
import torch, torch.nn as nn
from torchvision.models import mobilenet_v2

# last month's finetune_head.py: ImageAI's model with a bigger head, saved as a state dict
os.makedirs("models/2024-05", exist_ok=True)
model = mobilenet_v2(num_classes=3)
model.classifier[1] = nn.Sequential(nn.Linear(1280, 256), nn.ReLU(inplace=True), nn.Dropout(0.3), nn.Linear(256, 3))
torch.save(model.state_dict(), "models/2024-05/mobilenet_v2-grapevine-head256-test_acc_0.83333_epoch-11.pt")
json.dump({"0": "black_rot", "1": "esca", "2": "healthy"}, open("models/2024-05/grapevine_model_classes.json", "w"))
'''

# ================================================================== ImageAI 3 batch prediction
SCRIPTS["imageai-custom-cls-batch-csv-written-inside-photo-folder-tqdm"] = '''
import csv
import os
import sys

from tqdm import tqdm
from imageai.Classification.Custom import CustomImageClassification

FOLDER = sys.argv[1] if len(sys.argv) > 1 else "photos/2024-06-15"

clf = CustomImageClassification()
clf.setModelTypeAsDenseNet121()
clf.setModelPath("models/densenet121-mushrooms-test_acc_0.88889_epoch-23.pt")
clf.setJsonPath("models/mushrooms_model_classes.json")
clf.loadModel()

with open(os.path.join(FOLDER, "predictions.csv"), "w", newline="") as f:
    writer = csv.writer(f)
    writer.writerow(["file", "label", "confidence"])
    for name in tqdm(sorted(os.listdir(FOLDER)), desc="classifying"):
        labels, probs = clf.classifyImage(os.path.join(FOLDER, name), result_count=1)
        writer.writerow([name, labels[0], f"{probs[0]:.2f}"])
print("written", os.path.join(FOLDER, "predictions.csv"))
'''

SCRIPTS["imageai-custom-cls-resnet50-custom-head-finetune-loaded-back"] = '''
import glob

from imageai.Classification.Custom import CustomImageClassification

clf = CustomImageClassification()
clf.setModelTypeAsResNet50()
# written by finetune_head.py (ImageAI's model, fc replaced by Dropout + Linear, 10 more epochs)
clf.setModelPath("models/resnet50-birds-finetuned-dropout-head.pt")
clf.setJsonPath("models/birds_model_classes.json")
clf.loadModel()

for path in sorted(glob.glob("feeder_cam/*.jpg")):
    labels, probs = clf.classifyImage(path, result_count=2)
    print(path, list(zip(labels, probs)))
'''

CUSTOM_HEAD_RESNET_PREP = '''
import json, os
import torch, torch.nn as nn
from torchvision.models import resnet50

os.makedirs("models", exist_ok=True)
classes = ["blackbird", "blue_tit", "great_tit", "robin"]
model = resnet50(num_classes=len(classes))
model.fc = nn.Sequential(nn.Dropout(0.5), nn.Linear(2048, len(classes)))
torch.save(model.state_dict(), "models/resnet50-birds-finetuned-dropout-head.pt")
json.dump({str(i): c for i, c in enumerate(classes)}, open("models/birds_model_classes.json", "w"))
'''

CELLS["imageai-custom-cls-brightness-fix-astype-int-notebook"] = [
    '''import glob
import numpy as np
from PIL import Image
from imageai.Classification.Custom import CustomImageClassification

clf = CustomImageClassification()
clf.setModelTypeAsMobileNetV2()
clf.setModelPath("models/mobilenet_v2-beans-test_acc_0.91667_epoch-15.pt")
clf.setJsonPath("models/beans_model_classes.json")
clf.loadModel()
paths = sorted(glob.glob("evening_batch/*.jpg"))
len(paths)''',
    '''# the evening photos are too dark: brighten them before classifying
def brighten(path, gain=1.6):
    arr = np.asarray(Image.open(path).convert("RGB"))
    return np.clip(arr * gain, 0, 255).astype(int)

brighten(paths[0]).shape''',
    '''for p in paths:
    labels, probs = clf.classifyImage(brighten(p), result_count=2)
    print(p, labels, probs)''',
]

SCRIPTS["imageai-custom-cls-thermal-frames-npy-trailing-channel-axis"] = '''
import glob

import numpy as np
from imageai.Classification.Custom import CustomImageClassification

clf = CustomImageClassification()
clf.setModelTypeAsInceptionV3()
clf.setModelPath("models/inception_v3-hives-test_acc_0.87500_epoch-30.pt")
clf.setJsonPath("models/hives_model_classes.json")
clf.loadModel()

# frames dumped by the hive's thermal camera logger, one .npy per minute
for path in sorted(glob.glob("thermal/2024-06-14/*.npy")):
    frame = np.load(path)
    print(path, frame.shape, frame.dtype)
    labels, probs = clf.classifyImage(frame, result_count=1)
    print("  ->", labels[0], probs[0])
'''

THERMAL_PREP = '''
import json, os
import numpy as np
import torch, torch.nn as nn
from torchvision.models import inception_v3

# the model ClassificationModelTrainer wrote: torchvision's InceptionV3 with only ``fc`` replaced
os.makedirs("models", exist_ok=True)
torch.manual_seed(0)
m = inception_v3(weights=None, init_weights=False)
m.fc = nn.Linear(m.fc.in_features, 3)
torch.save(m.state_dict(), "models/inception_v3-hives-test_acc_0.87500_epoch-30.pt")
json.dump({"0": "calm", "1": "robbing", "2": "swarming"}, open("models/hives_model_classes.json", "w"))
os.makedirs("thermal/2024-06-14", exist_ok=True)
rng = np.random.default_rng(7)
for i in range(3):
    # the logger keeps the sensor's channel axis: (rows, cols, 1), 8-bit after its AGC
    np.save(f"thermal/2024-06-14/frame_{1200 + i:04d}.npy", rng.integers(0, 256, (120, 160, 1), dtype=np.uint8))
'''

SCRIPTS["imageai-custom-cls-result-count-np-ceil-half-of-classes"] = '''
import glob
import json

import numpy as np
from imageai.Classification.Custom import CustomImageClassification

CLASSES_JSON = "models/fabric_model_classes.json"
classes = json.load(open(CLASSES_JSON))
top_k = np.ceil(len(classes) / 2)       # show the better half of the suggestions in the review tool

clf = CustomImageClassification()
clf.setModelTypeAsMobileNetV2()
clf.setModelPath("models/mobilenet_v2-fabric-test_acc_0.80000_epoch-17.pt")
clf.setJsonPath(CLASSES_JSON)
clf.loadModel()

for path in sorted(glob.glob("to_review/*.jpg")):
    labels, probs = clf.classifyImage(path, result_count=top_k)
    print(path, labels, probs)
'''

SCRIPTS["imageai-custom-cls-csv-cp1252-for-excel-hungarian-class-names"] = '''
import csv
import glob
import json
import os

from imageai.Classification.Custom import CustomImageClassification

CLASSES_JSON = "models/levelek_model_classes.json"
classes = list(json.load(open(CLASSES_JSON)).values())

clf = CustomImageClassification()
clf.setModelTypeAsMobileNetV2()
clf.setModelPath("models/mobilenet_v2-levelek-test_acc_0.85000_epoch-21.pt")
clf.setJsonPath(CLASSES_JSON)
clf.loadModel()

photos = sorted(glob.glob("gyujtes/*.jpg"))
# the office PCs open CSVs in Excel, which wants the Windows code page
with open("eredmenyek.csv", "w", newline="", encoding="cp1252") as f:
    writer = csv.writer(f, delimiter=";")
    writer.writerow(["fajl"] + [f"{c} (%)" for c in classes])
    for path in photos:
        labels, probs = clf.classifyImage(path, result_count=len(classes))
        score = dict(zip(labels, probs))
        writer.writerow([os.path.basename(path)] + [f"{score[c]:.1f}".replace(".", ",") for c in classes])
print(len(photos), "photos written to eredmenyek.csv")
'''

SCRIPTS["imageai-custom-cls-pseudo-labels-kept-as-label-lists"] = '''
import glob
import json

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms
from torchvision.models import mobilenet_v2
from imageai.Classification.Custom import CustomImageClassification

MODEL = "models/mobilenet_v2-pastry-test_acc_0.86667_epoch-19.pt"
CLASSES_JSON = "models/pastry_model_classes.json"
classes = list(json.load(open(CLASSES_JSON)).values())
class_idx = {c: i for i, c in enumerate(classes)}

# 1) label the new, unsorted photos with the current model; keep the confident ones
clf = CustomImageClassification()
clf.setModelTypeAsMobileNetV2()
clf.setModelPath(MODEL)
clf.setJsonPath(CLASSES_JSON)
clf.loadModel()
pseudo = []
for path in sorted(glob.glob("unsorted/*.jpg")):
    labels, probs = clf.classifyImage(path, result_count=1)
    if probs[0] >= 30:
        pseudo.append((path, labels))
print(f"{len(pseudo)} pseudo-labelled photos")


# 2) fine-tune the same model on them
class PseudoSet(Dataset):
    tf = transforms.Compose([transforms.Resize((224, 224)), transforms.ToTensor(),
                             transforms.Normalize(@@MEAN_STD@@)])

    def __init__(self, items):
        self.items = items

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        path, labels = self.items[i]
        target = torch.tensor([class_idx[l] for l in labels])
        return self.tf(Image.open(path).convert("RGB")), target


model = mobilenet_v2(num_classes=len(classes))
model.load_state_dict(torch.load(MODEL, map_location="cpu"))
opt = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
loss_fn = nn.CrossEntropyLoss()
model.train()
for x, y in DataLoader(PseudoSet(pseudo), batch_size=4, shuffle=True):
    loss = loss_fn(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"loss {loss.item():.4f}")
'''.replace("@@MEAN_STD@@", MEAN_STD)

# ================================================================== plain-PyTorch tweaks on the ImageAI models
CELLS["imageai-densenet121-custom-head-on-children-without-pool-notebook"] = [
    '''import json
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from torchvision.models import densenet121

classes = json.load(open("models/xray_model_classes.json"))
model = densenet121(num_classes=len(classes))
model.load_state_dict(torch.load("models/densenet121-xray-test_acc_0.82353_epoch-38.pt", map_location="cpu"))
[name for name, _ in model.named_children()]''',
    '''# keep ImageAI's backbone, put a dropout head on it (same trick as for ResNet: drop the last child)
backbone = nn.Sequential(*list(model.children())[:-1])
head = nn.Sequential(nn.Flatten(), nn.Dropout(0.3), nn.Linear(1024, len(classes)))
net = nn.Sequential(backbone, head)''',
    '''tf = transforms.Compose([transforms.Resize((224, 224)), transforms.ToTensor(),
                         transforms.Normalize(@@MEAN_STD@@)])
loader = DataLoader(datasets.ImageFolder("datasets/xray/train", tf), batch_size=4, shuffle=True)
opt = torch.optim.Adam(head.parameters(), lr=1e-3)
for x, y in loader:
    loss = nn.functional.cross_entropy(net(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(loss.item())''',
]
CELLS["imageai-densenet121-custom-head-on-children-without-pool-notebook"][2] = \
    CELLS["imageai-densenet121-custom-head-on-children-without-pool-notebook"][2].replace("@@MEAN_STD@@", MEAN_STD)

SCRIPTS["imageai-mobilenetv2-head-on-features-cached-under-inference-mode"] = '''
import json

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from torchvision.models import mobilenet_v2

classes = json.load(open("models/tea_model_classes.json"))
model = mobilenet_v2(num_classes=len(classes))
model.load_state_dict(torch.load("models/mobilenet_v2-tea-test_acc_0.91667_epoch-24.pt", map_location="cpu"))
model.eval()

tf = transforms.Compose([transforms.Resize(256), transforms.CenterCrop(224), transforms.ToTensor(),
                         transforms.Normalize(@@MEAN_STD@@)])
ds = datasets.ImageFolder("datasets/tea/train", tf)

# the backbone stays frozen: compute its pooled features once (inference_mode is the fast no_grad)
feats, targets = [], []
with torch.inference_mode():
    for x, y in DataLoader(ds, batch_size=8):
        feats.append(model.features(x).mean((2, 3)))
        targets.append(y)
    feats, targets = torch.cat(feats), torch.cat(targets)
print("cached", tuple(feats.shape))

head = nn.Sequential(nn.Linear(1280, 256), nn.ReLU(), nn.Dropout(0.2), nn.Linear(256, len(classes)))
opt = torch.optim.Adam(head.parameters(), lr=1e-3)
for epoch in range(20):
    loss = nn.functional.cross_entropy(head(feats), targets)
    opt.zero_grad()
    loss.backward()
    opt.step()
    if epoch % 5 == 0:
        print(f"epoch {epoch}: {loss.item():.4f}")
torch.save(head.state_dict(), "models/tea_head.pt")
'''.replace("@@MEAN_STD@@", MEAN_STD)

SCRIPTS["imageai-resnet50-head-piltotensor-unscaled-smoothed-loss-anomaly-tqdm"] = '''
import json

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from torchvision.models import resnet50
from tqdm import tqdm

torch.autograd.set_detect_anomaly(True)     # last run printed "loss nan" from the first batch on
torch.manual_seed(0)

classes = json.load(open("models/pasta_model_classes.json"))
backbone = resnet50(num_classes=len(classes))
backbone.load_state_dict(torch.load("models/resnet50-pasta-test_acc_0.85714_epoch-33.pt", map_location="cpu"))
backbone.fc = nn.Identity()
backbone.eval()
for p in backbone.parameters():
    p.requires_grad = False

# PILToTensor instead of ToTensor: uint8 stays uint8 until the batch, much faster on the Pi
tf = transforms.Compose([transforms.Resize((224, 224)), transforms.PILToTensor()])
loader = DataLoader(datasets.ImageFolder("datasets/pasta/train", tf), batch_size=4, shuffle=True)

head = nn.Linear(2048, len(classes))
opt = torch.optim.SGD(head.parameters(), lr=0.01, momentum=0.9)


def smoothed_ce(logits, y, eps=0.1):
    n = logits.shape[1]
    soft = torch.full_like(logits, eps / (n - 1)).scatter_(1, y[:, None], 1 - eps)
    return -(soft * torch.log(torch.softmax(logits, dim=1))).sum(1).mean()


for epoch in range(1):
    bar = tqdm(loader, desc=f"epoch {epoch + 1}")
    for x, y in bar:
        with torch.no_grad():
            f = backbone(x.float())
        loss = smoothed_ce(head(f), y)
        bar.set_postfix(loss=loss.item())
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

SCRIPTS["imageai-mobilenetv2-torch-export-for-pi-example-not-tuple"] = '''
import json

import torch
from torchvision.models import mobilenet_v2

classes = json.load(open("models/herbs_model_classes.json"))
model = mobilenet_v2(num_classes=len(classes))
model.load_state_dict(torch.load("models/mobilenet_v2-herbs-test_acc_0.93750_epoch-27.pt", map_location="cpu"))
model.eval()

# the Pi gets a self-contained program instead of ImageAI + the .pt
example = torch.randn(1, 3, 224, 224)
exported = torch.export.export(model, example)
torch.export.save(exported, "models/herbs_mobilenet_v2.pt2")
print("saved models/herbs_mobilenet_v2.pt2")
'''

CELLS["imageai-mobilenetv2-single-logit-diseased-head-crossentropy-notebook"] = [
    '''import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from torchvision.models import mobilenet_v2

model = mobilenet_v2(num_classes=2)
model.load_state_dict(torch.load("models/mobilenet_v2-cucumber-test_acc_0.87500_epoch-20.pt", map_location="cpu"))
tf = transforms.Compose([transforms.Resize((224, 224)), transforms.ToTensor(),
                         transforms.Normalize(@@MEAN_STD@@)])
ds = datasets.ImageFolder("datasets/cucumber/train", tf)
ds.class_to_idx''',
    '''# one output is enough for "diseased or not": threshold sigmoid(logit) in the greenhouse app
model.classifier[1] = nn.Linear(1280, 1)
loss_fn = nn.CrossEntropyLoss()
opt = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)''',
    '''model.train()
for x, y in DataLoader(ds, batch_size=4, shuffle=True):
    loss = loss_fn(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"{loss.item():.4f}")''',
]
CELLS["imageai-mobilenetv2-single-logit-diseased-head-crossentropy-notebook"][0] = \
    CELLS["imageai-mobilenetv2-single-logit-diseased-head-crossentropy-notebook"][0].replace("@@MEAN_STD@@", MEAN_STD)

CELLS["imageai-mobilenetv2-strict-false-after-new-class-notebook"] = [
    '''import json
import torch
from torchvision.models import mobilenet_v2

old = json.load(open("models/2024-05/seeds_model_classes.json"))
new = sorted(["barley", "oat", "rye", "wheat", "spelt"])
print(list(old.values()), "->", new)''',
    '''# start the 5-class model from the 4-class one; strict=False skips what does not fit
model = mobilenet_v2(num_classes=len(new))
state = torch.load("models/2024-05/mobilenet_v2-seeds-test_acc_0.90000_epoch-25.pt", map_location="cpu")
model.load_state_dict(state, strict=False)''',
]

SCRIPTS["imageai-densenet121-resize-1024-batch-predict-laptop-memory-cap"] = '''
import glob
import json
import resource

import torch
from PIL import Image
from torchvision import transforms
from torchvision.models import densenet121


def laptop_memory_cap(gib):
    # the inspection laptop's cgroup limit, reproduced on the dev box
    vm = int(next(l for l in open("/proc/self/status") if l.startswith("VmSize")).split()[1]) * 1024
    resource.setrlimit(resource.RLIMIT_AS, (vm + int(gib * 2 ** 30), resource.RLIM_INFINITY))


laptop_memory_cap(3)

classes = list(json.load(open("models/welds_model_classes.json")).values())
model = densenet121(num_classes=len(classes))
model.load_state_dict(torch.load("models/densenet121-welds-test_acc_0.89474_epoch-41.pt", map_location="cpu"))
model.eval()

# the cracks are a few pixels wide: look at the photos at 1024 instead of ImageAI's 224
tf = transforms.Compose([transforms.Resize((1024, 1024)), transforms.ToTensor(),
                         transforms.Normalize(@@MEAN_STD@@)])
paths = sorted(glob.glob("line3/shift_b/*.jpg"))
BATCH = 16
with torch.no_grad():
    for i in range(0, len(paths), BATCH):
        x = torch.stack([tf(Image.open(p).convert("RGB")) for p in paths[i:i + BATCH]])
        print(f"batch {i // BATCH}: {tuple(x.shape)}", flush=True)
        pred = model(x).softmax(1).argmax(1)
        for p, k in zip(paths[i:i + BATCH], pred.tolist()):
            print(p, classes[k])
'''.replace("@@MEAN_STD@@", MEAN_STD)

SCRIPTS["imageai-checkpoint-bundle-ships-transform-compose-to-laptop"] = '''
import json

import torch
from PIL import Image
from torchvision.models import resnet50

# models/sorter_bundle.pt: made by bundle_for_laptop.py on the workstation, so the laptop uses the same transform
bundle = torch.load("models/sorter_bundle.pt", map_location="cpu")
model = resnet50(num_classes=len(bundle["classes"]))
model.load_state_dict(bundle["state_dict"])
model.eval()
tf = bundle["transform"]

img = Image.open("conveyor/frame_0412.jpg").convert("RGB")
with torch.no_grad():
    p = model(tf(img).unsqueeze(0)).softmax(1)[0]
print(bundle["classes"][int(p.argmax())], float(p.max()))
'''

BUNDLE_PREP = '''
import json, os
import torch
from torchvision import transforms
from torchvision.models import resnet50

os.makedirs("models", exist_ok=True)
classes = ["cardboard", "glass", "metal", "plastic"]
sd = resnet50(num_classes=len(classes)).state_dict()
torch.save(sd, "models/resnet50-sorter-test_acc_0.90625_epoch-29.pt")
json.dump({str(i): c for i, c in enumerate(classes)}, open("models/sorter_model_classes.json", "w"))
# bundle_for_laptop.py
tf = transforms.Compose([transforms.Resize(256), transforms.CenterCrop(224), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
torch.save({"state_dict": sd, "classes": classes, "transform": tf, "imageai": "3.0.3"}, "models/sorter_bundle.pt")
'''

SCRIPTS["imageai-resnet50-finetune-shared-gpu-memory-fraction-on-laptop"] = '''
import json

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from torchvision.models import resnet50

# shared workstation etiquette: never take more than half of the card
torch.cuda.set_per_process_memory_fraction(0.5)
device = "cuda" if torch.cuda.is_available() else "cpu"
print("device:", device)

classes = json.load(open("models/cheese_model_classes.json"))
model = resnet50(num_classes=len(classes))
model.load_state_dict(torch.load("models/resnet50-cheese-test_acc_0.84615_epoch-36.pt", map_location="cpu"))
model.fc = nn.Sequential(nn.Dropout(0.4), nn.Linear(2048, len(classes)))
model.to(device)

tf = transforms.Compose([transforms.RandomResizedCrop(224), transforms.ToTensor(),
                         transforms.Normalize(@@MEAN_STD@@)])
loader = DataLoader(datasets.ImageFolder("datasets/cheese/train", tf), batch_size=4, shuffle=True)
opt = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
for x, y in loader:
    loss = nn.functional.cross_entropy(model(x.to(device)), y.to(device))
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"{loss.item():.4f}")
'''.replace("@@MEAN_STD@@", MEAN_STD)

SCRIPTS["imageai-mobilenetv2-gallery-list-collate-ulimit-256-workers"] = '''
import glob
import json
import resource

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models import mobilenet_v2
from torchvision.transforms import functional as F

# the gallery job runs on the Mac mini (launchd's default: ulimit -n 256); same limit here
resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))


class Photos(Dataset):
    def __init__(self, paths):
        self.paths = paths

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        # native size: the gallery shows the photo as it was taken
        return F.to_tensor(Image.open(self.paths[i]).convert("RGB")), self.paths[i]


def keep_as_list(batch):
    return [img for img, _ in batch], [p for _, p in batch]


classes = list(json.load(open("models/moths_model_classes.json")).values())
model = mobilenet_v2(num_classes=len(classes))
model.load_state_dict(torch.load("models/mobilenet_v2-moths-test_acc_0.78947_epoch-44.pt", map_location="cpu"))
model.eval()

paths = sorted(glob.glob("light_trap/2024-06-1*/*.jpg"))
loader = DataLoader(Photos(paths), batch_size=8, num_workers=2, collate_fn=keep_as_list)
unsure = []           # (photo, path, top-1 probability) for the "please check" gallery
with torch.no_grad():
    for imgs_, names in loader:
        x = torch.stack([F.normalize(F.resize(t, [224, 224]), [0.485, 0.456, 0.406], [0.229, 0.224, 0.225])
                         for t in imgs_])
        p = model(x).softmax(1).max(1).values
        unsure += [(t, n, float(q)) for t, n, q in zip(imgs_, names, p) if q < 0.6]
print(len(unsure), "photos for the gallery")
'''

SCRIPTS["imageai-mobilenetv2-head-sized-from-test-split-before-new-class-tqdm"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from torchvision.models import mobilenet_v2
from tqdm import tqdm

tf = transforms.Compose([transforms.Resize((224, 224)), transforms.ToTensor(),
                         transforms.Normalize(@@MEAN_STD@@)])
test_ds = datasets.ImageFolder("datasets/coral/test", tf)
train_ds = datasets.ImageFolder("datasets/coral/train", tf)
num_classes = len(test_ds.classes)
print("classes:", test_ds.classes)

model = mobilenet_v2(num_classes=num_classes)
model.load_state_dict(torch.load("models/mobilenet_v2-coral-test_acc_0.83333_epoch-16.pt", map_location="cpu"))
opt = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
loss_fn = nn.CrossEntropyLoss()

model.train()
for epoch in range(1):
    for x, y in tqdm(DataLoader(train_ds, batch_size=4, shuffle=True), desc=f"epoch {epoch + 1}"):
        loss = loss_fn(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
torch.save(model.state_dict(), "models/mobilenet_v2-coral-finetuned.pt")
'''.replace("@@MEAN_STD@@", MEAN_STD)


def cases():
    out, add, script, notebook = case_builders("torch-more75-", SCRIPTS, CELLS)
    P = ("cpython_basic", "progress_bars")
    W = ("cpython_basic", "dataloader_worker?")

    # ---- ImageAI 3 trainer
    notebook("imageai-cls-trainer-ipynb-checkpoints-in-train-folder-notebook", "data.missing_or_corrupt",
             framework="imageai",
             setup=both(imgs(class_folder("datasets/fabric/train", ["denim", "linen", "tweed"], 3, size=(96, 96))
                             + class_folder("datasets/fabric/test", ["denim", "linen", "tweed"], 1, size=(96, 96))),
                        write("datasets/fabric/train/.ipynb_checkpoints/check_blurry-checkpoint.ipynb",
                              CHECKPOINT_NB)))
    script("imageai-cls-trainer-data-dir-tilde-on-new-laptop", "data.missing_or_corrupt", also=["model.api_misuse"],
           framework="imageai", argv="train_bread.py", exception="ValueError",
           setup=imgs(class_folder("datasets/bread/train", ["baguette", "ciabatta", "rye"], 2, size=(96, 96))
                      + class_folder("datasets/bread/test", ["baguette", "ciabatta", "rye"], 1, size=(96, 96))))
    script("imageai-cls-trainer-data-dir-pathlib", "model.api_misuse", framework="imageai", argv="train_beans.py",
           setup=imgs(class_folder("datasets/coffee_beans/train", ["dark", "green", "light"], 2, size=(96, 96))
                      + class_folder("datasets/coffee_beans/test", ["dark", "green", "light"], 1, size=(96, 96))))
    script("imageai-cls-trainer-test-transform-patched-resize-no-crop-tqdm", "data.image_size_mismatch", forms=P,
           framework="imageai", argv="train_leaves.py", timeout=400,
           setup=imgs(class_folder("datasets/leaves/train", ["beech", "maple", "oak"], 2, size=(120, 160))
                      + [(f"datasets/leaves/test/{c}/{c}_{i}.jpg", (160, 120) if i else (120, 160), "RGB")
                         for c in ("beech", "maple") for i in range(2)]
                      + [("datasets/leaves/test/oak/oak_0.jpg", (120, 160), "RGB")]))
    script("imageai-cls-trainer-transfer-from-custom-head-finetune", "model.weights_mismatch", framework="imageai",
           argv="retrain_grapevine.py",
           setup=both(prep(CUSTOM_HEAD_MOBILENET_PREP),
                      imgs(class_folder("datasets/grapevine/train", ["black_rot", "esca", "healthy", "mildew"], 2,
                                        size=(96, 96))
                           + class_folder("datasets/grapevine/test", ["black_rot", "esca", "healthy", "mildew"], 1,
                                          size=(96, 96)))))

    # ---- ImageAI 3 batch prediction
    script("imageai-custom-cls-batch-csv-written-inside-photo-folder-tqdm", "data.missing_or_corrupt", forms=P,
           framework="imageai", argv="classify_folder.py", exception="UnidentifiedImageError",
           setup=both(save_cls("densenet121", '["chanterelle", "fly_agaric", "porcini"]',
                               "models/densenet121-mushrooms-test_acc_0.88889_epoch-23.pt",
                               "models/mushrooms_model_classes.json"),
                      imgs([(f"photos/2024-06-15/IMG_{5120 + i}.jpg", (160, 120), "RGB") for i in range(4)])))
    script("imageai-custom-cls-resnet50-custom-head-finetune-loaded-back", "model.weights_mismatch",
           also=["model.api_misuse"], framework="imageai", argv="classify_feeder.py",
           forms=("cpython_basic", "chained_during"), exception="Exception",   # ImageAI's own wrapper ends the run
           setup=both(prep(CUSTOM_HEAD_RESNET_PREP),
                      imgs([(f"feeder_cam/cam_{i:03d}.jpg", (160, 120), "RGB") for i in range(2)])))
    notebook("imageai-custom-cls-brightness-fix-astype-int-notebook", "data.dtype", framework="imageai",
             setup=both(save_cls("mobilenet_v2", '["angular_leaf_spot", "bean_rust", "healthy"]',
                                 "models/mobilenet_v2-beans-test_acc_0.91667_epoch-15.pt",
                                 "models/beans_model_classes.json"),
                        imgs([(f"evening_batch/bean_{i:03d}.jpg", (160, 120), "RGB") for i in range(3)])))
    script("imageai-custom-cls-thermal-frames-npy-trailing-channel-axis", "data.image_channels",
           also=["data.dtype"], framework="imageai", argv="hive_watch.py",
           setup=prep(THERMAL_PREP))
    script("imageai-custom-cls-result-count-np-ceil-half-of-classes", "model.api_misuse", framework="imageai",
           argv="review_suggestions.py",
           setup=both(save_cls("mobilenet_v2", '["corduroy", "denim", "linen", "tweed", "velvet"]',
                               "models/mobilenet_v2-fabric-test_acc_0.80000_epoch-17.pt",
                               "models/fabric_model_classes.json"),
                      imgs([(f"to_review/swatch_{i:02d}.jpg", (120, 120), "RGB") for i in range(2)])))
    script("imageai-custom-cls-csv-cp1252-for-excel-hungarian-class-names", "other", framework="imageai",
           argv="levelek_csv.py", exception="UnicodeEncodeError",
           setup=both(save_cls("mobilenet_v2", '["bükk", "juhar", "kőris", "tölgy"]',
                               "models/mobilenet_v2-levelek-test_acc_0.85000_epoch-21.pt",
                               "models/levelek_model_classes.json"),
                      imgs([(f"gyujtes/level_{i:03d}.jpg", (120, 160), "RGB") for i in range(3)])))
    script("imageai-custom-cls-pseudo-labels-kept-as-label-lists", "data.label_shape", also=["model.api_misuse"],
           framework="imageai", argv="pseudo_label_finetune.py",
           setup=both(save_cls("mobilenet_v2", '["croissant", "pain_au_chocolat", "pretzel"]',
                               "models/mobilenet_v2-pastry-test_acc_0.86667_epoch-19.pt",
                               "models/pastry_model_classes.json"),
                      imgs([(f"unsorted/IMG_{7700 + i}.jpg", (160, 120), "RGB") for i in range(6)])))

    # ---- plain-PyTorch tweaks on the ImageAI model files
    notebook("imageai-densenet121-custom-head-on-children-without-pool-notebook", "model.input_shape",
             setup=both(save_cls("densenet121", '["effusion", "normal", "pneumonia"]',
                                 "models/densenet121-xray-test_acc_0.82353_epoch-38.pt",
                                 "models/xray_model_classes.json"),
                        imgs(class_folder("datasets/xray/train", ["effusion", "normal", "pneumonia"], 2,
                                          size=(96, 96), mode="L"))))
    script("imageai-mobilenetv2-head-on-features-cached-under-inference-mode", "optim.autograd_graph",
           argv="train_tea_head.py",
           setup=both(save_cls("mobilenet_v2", '["black", "green", "oolong", "white"]',
                               "models/mobilenet_v2-tea-test_acc_0.91667_epoch-24.pt",
                               "models/tea_model_classes.json"),
                      imgs(class_folder("datasets/tea/train", ["black", "green", "oolong", "white"], 2,
                                        size=(96, 96)))))
    script("imageai-resnet50-head-piltotensor-unscaled-smoothed-loss-anomaly-tqdm", "optim.divergence",
           also=["data.dtype"], forms=P, argv="pasta_head.py",
           setup=both(save_cls("resnet50", '["farfalle", "fusilli", "penne", "rigatoni"]',
                               "models/resnet50-pasta-test_acc_0.85714_epoch-33.pt",
                               "models/pasta_model_classes.json"),
                      imgs(class_folder("datasets/pasta/train", ["farfalle", "fusilli", "penne", "rigatoni"], 2,
                                        size=(96, 96)))))
    script("imageai-mobilenetv2-torch-export-for-pi-example-not-tuple", "model.api_misuse", argv="export_pi.py",
           setup=save_cls("mobilenet_v2", '["basil", "mint", "oregano", "parsley", "thyme"]',
                          "models/mobilenet_v2-herbs-test_acc_0.93750_epoch-27.pt", "models/herbs_model_classes.json"))
    notebook("imageai-mobilenetv2-single-logit-diseased-head-crossentropy-notebook", "model.output_mismatch",
             also=["data.label_out_of_range"],
             setup=both(save_cls("mobilenet_v2", '["diseased", "healthy"]',
                                 "models/mobilenet_v2-cucumber-test_acc_0.87500_epoch-20.pt",
                                 "models/cucumber_model_classes.json"),
                        imgs(class_folder("datasets/cucumber/train", ["diseased", "healthy"], 4, size=(96, 96)))))
    notebook("imageai-mobilenetv2-strict-false-after-new-class-notebook", "model.weights_mismatch",
             also=["model.output_mismatch"],
             setup=save_cls("mobilenet_v2", '["barley", "oat", "rye", "wheat"]',
                            "models/2024-05/mobilenet_v2-seeds-test_acc_0.90000_epoch-25.pt",
                            "models/2024-05/seeds_model_classes.json"))
    script("imageai-densenet121-resize-1024-batch-predict-laptop-memory-cap", "resource.host_memory",
           argv="inspect_welds.py", timeout=400,
           setup=both(save_cls("densenet121", '["crack", "ok", "porosity"]',
                               "models/densenet121-welds-test_acc_0.89474_epoch-41.pt",
                               "models/welds_model_classes.json"),
                      imgs([(f"line3/shift_b/weld_{i:04d}.jpg", (640, 480), "RGB") for i in range(16)])))
    script("imageai-checkpoint-bundle-ships-transform-compose-to-laptop", "env.version_incompat",
           also=["model.weights_mismatch"], argv="sort_laptop.py", exception="UnpicklingError",
           setup=both(prep(BUNDLE_PREP), imgs([("conveyor/frame_0412.jpg", (320, 240), "RGB")])))
    script("imageai-resnet50-finetune-shared-gpu-memory-fraction-on-laptop", "env.cuda_setup",
           also=["env.device_mismatch"], argv="finetune_cheese.py",
           setup=both(save_cls("resnet50", '["brie", "cheddar", "gouda", "roquefort"]',
                               "models/resnet50-cheese-test_acc_0.84615_epoch-36.pt",
                               "models/cheese_model_classes.json"),
                      imgs(class_folder("datasets/cheese/train", ["brie", "cheddar", "gouda", "roquefort"], 2,
                                        size=(96, 96)))))
    script("imageai-mobilenetv2-gallery-list-collate-ulimit-256-workers", "env.multiprocessing",
           also=["resource.host_memory"], forms=W, argv="moth_gallery.py", timeout=400,
           setup=both(save_cls("mobilenet_v2", '["geometrid", "noctuid", "sphingid"]',
                               "models/mobilenet_v2-moths-test_acc_0.78947_epoch-44.pt",
                               "models/moths_model_classes.json"),
                      imgs([(f"light_trap/2024-06-1{d}/trap_{i:04d}.jpg", (48 + 4 * (i % 3), 36), "RGB")
                            for d in range(3) for i in range(110)])))
    script("imageai-mobilenetv2-head-sized-from-test-split-before-new-class-tqdm", "data.label_out_of_range",
           also=["model.output_mismatch"], forms=P, argv="finetune_coral.py",
           setup=both(save_cls("mobilenet_v2", '["bleached", "dead", "healthy"]',
                               "models/mobilenet_v2-coral-test_acc_0.83333_epoch-16.pt",
                               "models/coral_model_classes.json"),
                      imgs(class_folder("datasets/coral/train", ["algae", "bleached", "dead", "healthy"], 2,
                                        size=(96, 96))
                           + class_folder("datasets/coral/test", ["bleached", "dead", "healthy"], 1,
                                          size=(96, 96)))))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
