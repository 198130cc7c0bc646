"""An eighty-third held-out set (g155, scored 0.87 top-1 and 1.00 top-3 before any rule for it) of PyTorch / torchvision / ImageAI 3 failures, untargeted across the taxonomy.

The persona: people who have trained an image classifier or detector -- plain PyTorch / torchvision about two thirds,
ImageAI 3.0.3 (``ClassificationModelTrainer`` / ``DetectionModelTrainer`` and the model files they leave) about one
third -- and now analyse and improve it: evaluation loops over a held-out folder, per-class precision / recall and
confusion matrices computed by hand, galleries of misclassified images, Grad-CAM and saliency maps with hooks,
embeddings exported for nearest-neighbour search, threshold tuning and calibration, then retraining on the hard
examples they found. A natural mix of causes, each program built so that its cause is known by construction and made
to fail inside torch, torchvision, ImageAI, NumPy, OpenCV, PIL, pickle or torch.distributed:

- evaluation and threshold tuning: a held-out chest X-ray folder read with ``decode_image(mode=GRAY)`` into the
  ImageNet ``Normalize`` of training (in workers, data.image_channels), hard-example mining that sorts
  ``(loss, image, path)`` tuples when duplicate photos tie on the loss (tqdm, other), a one-logit defect head read
  as ``softmax(...)[:, 1]`` by the threshold sweep (model.output_mismatch), a 5 %-false-positive threshold taken with
  ``torch.quantile`` of scores the eval script stored as ``uint8`` (data.dtype), an evaluation cell copied from the
  Colab notebook that moves batches with ``.cuda(non_blocking=True)`` (notebook, env.cuda_setup), ImageAI's
  percentage probabilities put through ``binary_cross_entropy`` for a calibration check (model.api_misuse);
- galleries, Grad-CAM and saliency: a misclassified-images gallery that ``np.hstack``-s the original photo beside the
  224 px network view (data.image_size_mismatch), Grad-CAM for the top-3 classes with one forward and three
  ``backward`` calls (tqdm, optim.autograd_graph), a saliency map on an ImageAI MobileNetV2 file whose input was made
  to require grad before ``unsqueeze`` (notebook, warning first, optim.autograd_graph), a ``(1, 7, 7)`` CAM given
  to ``F.interpolate`` with a 2-d size (model.api_misuse), an overlay helper from an old blog post using
  ``Image.LINEAR`` under Pillow 10+ (env.version_incompat), Grad-CAM of a held-out folder farmed out to a
  ``multiprocessing.Pool`` with the hooked model whose hooks are lambdas (env.multiprocessing);
- embeddings and nearest neighbours: a linear probe sized for ResNet-50 features on exported ResNet-18 embeddings
  (model.input_shape), embeddings gathered to rank 0 with ``dist.gather`` given a ``gather_list`` on every rank
  (torchrun, gloo, env.distributed), an ImageAI MobileNetV2 file loaded after its classifier was replaced by
  ``Identity`` (model.weights_mismatch), ImageAI MobileNetV2 spatial feature maps of a whole catalogue pre-allocated
  under the workstation's memory cap (resource.host_memory);
- retraining on the hard examples: ``hard/<class>`` folders made for every class before copying the mistakes
  (data.missing_or_corrupt), reviewer corrections that add an ``unsure`` class id to a four-class head (a DataLoader with
  workers, data.label_out_of_range), a hard batch concatenated to the inputs but not to the targets (tqdm, data.label_shape),
  inverse-confidence sample weights from probabilities the eval CSV rounded to zero, under anomaly mode
  (optim.divergence), ImageAI ``ClassificationModelTrainer`` on a hard-example folder laid out ``train`` /
  ``validation`` (data.missing_or_corrupt), an ImageAI TinyYOLOv3 retrained on the missed tiny objects alone (anchor
  k-means after ImageAI's small-object warnings, data.too_few_boxes), missed boxes from the review tool in network
  pixels divided by 416 while the photos are larger (data.bbox_invalid).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None: the model files
and evaluation outputs are ones an earlier run left on disk).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more83.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


from _record import (Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders,  # noqa: E402,F401
                     yolo_layout, save_tiny, save_cls, ANCHORS6)
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more83.py"

SCRIPTS = {}
CELLS = {}

# ================================================================== evaluation + threshold tuning
SCRIPTS["heldout-xray-decode-image-gray-mode-imagenet-normalize-workers"] = '''
import glob
import json

import torch
import torchvision
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms as T
from torchvision.io import ImageReadMode, decode_image

RUN = "runs/cxr_resnet18"
names = json.load(open(f"{RUN}/classes.json"))
CLASSES = [names[str(i)] for i in range(len(names))]
MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]     # same as training


class HoldOut(Dataset):
    def __init__(self, root):
        self.items = [(p, y) for y, c in enumerate(CLASSES) for p in sorted(glob.glob(f"{root}/{c}/*.png"))]
        self.tf = T.Compose([T.Resize((112, 112), antialias=True), T.ConvertImageDtype(torch.float32),
                             T.Normalize(MEAN, STD)])

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        path, y = self.items[i]
        img = decode_image(path, mode=ImageReadMode.GRAY)     # the hospital export is single-channel anyway
        return self.tf(img), y


model = torchvision.models.resnet18(num_classes=len(CLASSES))
model.load_state_dict(torch.load(f"{RUN}/best.pt", map_location="cpu"))
model.eval()

cm = torch.zeros(len(CLASSES), len(CLASSES), dtype=torch.long)
loader = DataLoader(HoldOut("data/holdout_site_b"), batch_size=8, num_workers=2)
with torch.no_grad():
    for x, y in loader:
        pred = model(x).argmax(1)
        for t, p in zip(y, pred):
            cm[t, p] += 1
recall = cm.diag() / cm.sum(1).clamp(min=1)
precision = cm.diag() / cm.sum(0).clamp(min=1)
for c, p, r in zip(CLASSES, precision, recall):
    print(f"{c:>10s}  precision {p:.3f}  recall {r:.3f}")
'''

SCRIPTS["hard-example-mining-sorts-loss-image-tuples-duplicate-photos-tie"] = '''
import glob
import json
import os
import shutil

import torch
import torch.nn.functional as F
import torchvision
from PIL import Image
from torchvision import transforms as T
from tqdm import tqdm

RUN = "runs/birds_resnet18"
names = json.load(open(f"{RUN}/classes.json"))
CLASSES = [names[str(i)] for i in range(len(names))]
tf = T.Compose([T.Resize((96, 96)), T.ToTensor(), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])

model = torchvision.models.resnet18(num_classes=len(CLASSES))
model.load_state_dict(torch.load(f"{RUN}/best.pt", map_location="cpu"))
model.eval()

paths = [(p, y) for y, c in enumerate(CLASSES) for p in sorted(glob.glob(f"data/holdout/{c}/*.jpg"))]
records = []
with torch.no_grad():
    for path, y in tqdm(paths, desc="scoring held-out"):
        x = tf(Image.open(path).convert("RGB"))
        loss = F.cross_entropy(model(x[None]), torch.tensor([y])).item()
        records.append((loss, x, path))

# the 8 highest-loss images go to the review folder
hardest = sorted(records, reverse=True)[:8]
os.makedirs("review/hardest", exist_ok=True)
for rank, (loss, _, path) in enumerate(hardest):
    shutil.copy(path, f"review/hardest/{rank:02d}_{loss:.2f}_{os.path.basename(path)}")
print("wrote", len(hardest), "images")
'''

DUP_PHOTOS = '''
import shutil
# the same photo was uploaded twice by the field team
shutil.copy("data/holdout/wren/wren_001.jpg", "data/holdout/wren/wren_001 (1).jpg")
shutil.copy("data/holdout/robin/robin_002.jpg", "data/holdout/robin/robin_002 (1).jpg")
'''

SCRIPTS["threshold-sweep-softmax-column-one-on-one-logit-defect-head"] = '''
import glob

import numpy as np
import torch
import torchvision
from PIL import Image
from torchvision import transforms as T

# binary "defect" model trained with BCEWithLogitsLoss (one output); pick the threshold with the best F1 on hold-out
model = torchvision.models.mobilenet_v3_small(num_classes=1)
model.load_state_dict(torch.load("runs/weld_defect/best.pt", map_location="cpu"))
model.eval()
tf = T.Compose([T.Resize((96, 96)), T.ToTensor(), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])

paths = sorted(glob.glob("data/holdout/ok/*.jpg")) + sorted(glob.glob("data/holdout/defect/*.jpg"))
labels = torch.tensor([0 if "/ok/" in p else 1 for p in paths])
x = torch.stack([tf(Image.open(p).convert("RGB")) for p in paths])
with torch.no_grad():
    logits = model(x)
probs = torch.softmax(logits, dim=1)[:, 1]          # P(defect)

best = (0.0, 0.5)
for thr in np.linspace(0.05, 0.95, 19):
    pred = (probs >= thr).long()
    tp = ((pred == 1) & (labels == 1)).sum().item()
    fp = ((pred == 1) & (labels == 0)).sum().item()
    fn = ((pred == 0) & (labels == 1)).sum().item()
    f1 = 2 * tp / max(2 * tp + fp + fn, 1)
    best = max(best, (f1, thr))
print(f"best F1 {best[0]:.3f} at threshold {best[1]:.2f}")
'''

WELD_PREP = '''
import os, torch, torchvision
os.makedirs("runs/weld_defect", exist_ok=True)
torch.manual_seed(0)
torch.save(torchvision.models.mobilenet_v3_small(num_classes=1).state_dict(), "runs/weld_defect/best.pt")
'''

SCRIPTS["fpr-threshold-torch-quantile-of-uint8-stored-scores"] = '''
import json

import numpy as np
import torch

# scores of the weed detector on the hold-out set, saved by evaluate.py
d = np.load("eval/holdout_scores.npz")
scores, labels = d["scores"], d["labels"]
print(len(scores), "held-out images,", int(labels.sum()), "with weeds; scores", scores.dtype, scores.min(), "..", scores.max())

# operating point: at most 5 % false positives on weed-free images
neg = torch.from_numpy(scores[labels == 0])
thr = torch.quantile(neg, 0.95)
pos = torch.from_numpy(scores[labels == 1])
recall = (pos > thr).float().mean().item()
print(f"threshold {thr.item()}  recall at 5% FPR: {recall:.3f}")
json.dump({"threshold": thr.item(), "recall": recall}, open("eval/operating_point.json", "w"))
'''

SCORES_PREP = '''
import os
import numpy as np
os.makedirs("eval", exist_ok=True)
rng = np.random.default_rng(3)
labels = (rng.random(400) < 0.3).astype(np.int64)
p = np.clip(rng.normal(0.3 + 0.4 * labels, 0.15), 0, 1)
# evaluate.py stores the sigmoid outputs as uint8 (0..255) "to keep the file small"
np.savez("eval/holdout_scores.npz", scores=(p * 255).round().astype(np.uint8), labels=labels)
'''

CELLS["heldout-eval-cell-from-colab-cuda-non-blocking-notebook"] = [
    '''import json
import torch, torchvision
from torchvision import datasets, transforms as T

names = json.load(open("runs/leaf_resnet18/classes.json"))
CLASSES = [names[str(i)] for i in range(len(names))]
tf = T.Compose([T.Resize((96, 96)), T.ToTensor(), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
holdout = datasets.ImageFolder("data/holdout", tf)
loader = torch.utils.data.DataLoader(holdout, batch_size=8, pin_memory=True)
model = torchvision.models.resnet18(num_classes=len(CLASSES))
model.load_state_dict(torch.load("runs/leaf_resnet18/best.pt", map_location="cpu"))
model.eval()
len(holdout)''',
    '''# evaluation cell copied from the Colab training notebook
cm = torch.zeros(len(CLASSES), len(CLASSES), dtype=torch.long)
with torch.no_grad():
    for x, y in loader:
        x, y = x.cuda(non_blocking=True), y.cuda(non_blocking=True)
        pred = model(x).argmax(1)
        cm += torch.bincount(y * len(CLASSES) + pred, minlength=len(CLASSES) ** 2).view(len(CLASSES), -1).cpu()
cm''',
]

SCRIPTS["imageai-cls-calibration-bce-on-percent-probabilities"] = '''
import glob

import torch
import torch.nn.functional as F
from imageai.Classification.Custom import CustomImageClassification

# is the "mould" probability of the ImageAI model calibrated? log-loss and a reliability table on the hold-out set
clf = CustomImageClassification()
clf.setModelTypeAsMobileNetV2()
clf.setModelPath("bread/models/mobilenet_v2-bread-test_acc_0.91250_epoch-17.pt")
clf.setJsonPath("bread/models/bread_model_classes.json")
clf.loadModel()

p_mould, y = [], []
for label, pattern in ((1, "holdout/mould/*.jpg"), (0, "holdout/fresh/*.jpg")):
    for path in sorted(glob.glob(pattern)):
        names, probs = clf.classifyImage(path, result_count=2)
        p_mould.append(probs[names.index("mould")])
        y.append(label)
p = torch.tensor(p_mould)
t = torch.tensor(y, dtype=torch.float32)
print("mean predicted P(mould):", p.mean().item(), " observed rate:", t.mean().item())
log_loss = F.binary_cross_entropy(p, t)
print(f"log-loss {log_loss.item():.4f}")
'''

# ================================================================== galleries, Grad-CAM, saliency
SCRIPTS["misclassified-gallery-hstack-photo-beside-network-view"] = '''
import json
import os

import cv2
import numpy as np
import torch
import torchvision
from PIL import Image
from torchvision import transforms as T

RUN = "runs/pets_resnet18"
names = json.load(open(f"{RUN}/classes.json"))
CLASSES = [names[str(i)] for i in range(len(names))]
MEAN, STD = np.array([0.485, 0.456, 0.406]), np.array([0.229, 0.224, 0.225])
tf = T.Compose([T.Resize((224, 224)), T.ToTensor(), T.Normalize(MEAN.tolist(), STD.tolist())])

model = torchvision.models.resnet18(num_classes=len(CLASSES))
model.load_state_dict(torch.load(f"{RUN}/best.pt", map_location="cpu"))
model.eval()

# one panel per mistake: the original photo | what the network saw, with true / predicted class
mistakes = json.load(open("eval/mistakes.json"))
os.makedirs("gallery", exist_ok=True)
for m in mistakes:
    photo = cv2.imread(m["path"])
    x = tf(Image.open(m["path"]).convert("RGB"))
    with torch.no_grad():
        prob = model(x[None]).softmax(1)[0]
    view = ((x.permute(1, 2, 0).numpy() * STD + MEAN).clip(0, 1) * 255).astype(np.uint8)[:, :, ::-1]
    panel = np.hstack([photo, view])
    cv2.putText(panel, f"true {m['true']}  pred {CLASSES[prob.argmax()]} ({prob.max():.2f})", (8, 20),
                cv2.FONT_HERSHEY_SIMPLEX, 0.5, (0, 0, 255), 1)
    cv2.imwrite(os.path.join("gallery", os.path.basename(m["path"])), panel)
print(len(mistakes), "panels written")
'''

MISTAKES_PREP = '''
import glob, json, os
os.makedirs("eval", exist_ok=True)
paths = sorted(glob.glob("data/holdout/*/*.jpg"))[::3]
json.dump([{"path": p, "true": p.split("/")[2], "pred": "cat" if "dog" in p else "dog"} for p in paths],
          open("eval/mistakes.json", "w"), indent=1)
'''

SCRIPTS["gradcam-top3-classes-one-forward-three-backwards"] = '''
import glob
import json
import os

import numpy as np
import torch
import torch.nn.functional as F
import torchvision
from PIL import Image
from torchvision import transforms as T
from tqdm import tqdm

RUN = "runs/food_resnet18"
names = json.load(open(f"{RUN}/classes.json"))
CLASSES = [names[str(i)] for i in range(len(names))]
tf = T.Compose([T.Resize((112, 112)), T.ToTensor(), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])

model = torchvision.models.resnet18(num_classes=len(CLASSES))
model.load_state_dict(torch.load(f"{RUN}/best.pt", map_location="cpu"))
model.eval()

store = {}
model.layer4.register_forward_hook(lambda m, i, o: store.__setitem__("act", o))
model.layer4.register_full_backward_hook(lambda m, gi, go: store.__setitem__("grad", go[0]))

# Grad-CAM of the three most likely classes: where does the model look for each of them?
os.makedirs("cams", exist_ok=True)
for path in tqdm(sorted(glob.glob("data/holdout/*/*.jpg")), desc="grad-cam"):
    x = tf(Image.open(path).convert("RGB"))[None]
    logits = model(x)
    cams = []
    for c in logits[0].topk(3).indices.tolist():
        model.zero_grad()
        logits[0, c].backward()
        w = store["grad"].mean(dim=(2, 3), keepdim=True)
        cam = F.relu((w * store["act"]).sum(1))[0]
        cams.append((cam / (cam.max() + 1e-8)).detach().numpy())
    np.save(os.path.join("cams", os.path.basename(path)[:-4] + ".npy"), np.stack(cams))
'''

CELLS["imageai-mobilenetv2-saliency-input-requires-grad-before-unsqueeze-notebook"] = [
    '''import json
import torch, torchvision
from PIL import Image
from torchvision import transforms as T

# the model file ImageAI's ClassificationModelTrainer wrote, rebuilt in torchvision
names = json.load(open("insects/models/insects_model_classes.json"))
CLASSES = [names[str(i)] for i in range(len(names))]
model = torchvision.models.mobilenet_v2(num_classes=len(CLASSES))
model.load_state_dict(torch.load("insects/models/mobilenet_v2-insects-test_acc_0.87500_epoch-23.pt", map_location="cpu"))
model.eval()
tf = T.Compose([T.Resize(256), T.CenterCrop(224), T.ToTensor(),
                T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])''',
    '''# vanilla gradient saliency for a misclassified hold-out image
img = Image.open("holdout/aphid/aphid_003.jpg").convert("RGB")
x = tf(img).requires_grad_().unsqueeze(0)
out = model(x)
pred = out.argmax(1).item()
out[0, pred].backward()
CLASSES[pred]''',
    '''saliency = x.grad.abs().max(dim=1)[0][0]
saliency = saliency / saliency.max()
saliency.shape''',
]

SCRIPTS["gradcam-cam-keeps-batch-axis-interpolate-2d-size"] = '''
import json
import os

import cv2
import numpy as np
import torch
import torch.nn.functional as F
import torchvision
from PIL import Image
from torchvision import transforms as T

RUN = "runs/skin_resnet18"
names = json.load(open(f"{RUN}/classes.json"))
CLASSES = [names[str(i)] for i in range(len(names))]
tf = T.Compose([T.Resize((224, 224)), T.ToTensor(), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
model = torchvision.models.resnet18(num_classes=len(CLASSES))
model.load_state_dict(torch.load(f"{RUN}/best.pt", map_location="cpu"))
model.eval()

feats, grads = [], []
layer = model.layer4[-1]
layer.register_forward_hook(lambda m, i, o: feats.append(o))
layer.register_full_backward_hook(lambda m, gi, go: grads.append(go[0]))


def grad_cam(path):
    img = Image.open(path).convert("RGB")
    x = tf(img)[None]
    out = model(x)
    model.zero_grad()
    out[0, out.argmax()].backward()
    a, g = feats[-1], grads[-1]                          # (1, 512, 7, 7)
    cam = F.relu((g.mean(dim=(2, 3), keepdim=True) * a).sum(dim=1))
    cam = F.interpolate(cam, size=(img.height, img.width), mode="bilinear", align_corners=False)
    return img, (cam / cam.max()).squeeze().detach().numpy()


os.makedirs("cams", exist_ok=True)
for p in json.load(open("eval/false_negatives.json")):
    img, cam = grad_cam(p)
    heat = cv2.applyColorMap((cam * 255).astype(np.uint8), cv2.COLORMAP_JET)
    overlay = cv2.addWeighted(cv2.cvtColor(np.asarray(img), cv2.COLOR_RGB2BGR), 0.6, heat, 0.4, 0)
    cv2.imwrite(os.path.join("cams", os.path.basename(p)), overlay)
'''

SCRIPTS["gradcam-overlay-old-blog-helper-pil-image-linear"] = '''
import glob
import json
import os

import numpy as np
import torch
import torchvision
from PIL import Image
from torchvision import transforms as T

from viz_utils import overlay_cam

RUN = "runs/xray_fracture_resnet18"
names = json.load(open(f"{RUN}/classes.json"))
CLASSES = [names[str(i)] for i in range(len(names))]
tf = T.Compose([T.Resize((112, 112)), T.ToTensor(), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
model = torchvision.models.resnet18(num_classes=len(CLASSES))
model.load_state_dict(torch.load(f"{RUN}/best.pt", map_location="cpu"))
model.eval()

acts = {}
model.layer4.register_forward_hook(lambda m, i, o: acts.__setitem__("a", o))
model.layer4.register_full_backward_hook(lambda m, gi, go: acts.__setitem__("g", go[0]))

os.makedirs("cam_overlays", exist_ok=True)
for path in sorted(glob.glob("data/holdout/*/*.jpg")):
    img = Image.open(path).convert("RGB")
    out = model(tf(img)[None])
    model.zero_grad()
    out[0, out.argmax()].backward()
    w = acts["g"].mean(dim=(2, 3), keepdim=True)
    cam = torch.relu((w * acts["a"]).sum(1))[0].detach().numpy()
    overlay_cam(img, cam / (cam.max() + 1e-8)).save(os.path.join("cam_overlays", os.path.basename(path)))
    print(path, CLASSES[out.argmax().item()])
'''

VIZ_UTILS = '''
"""Helpers from the 2019 "Grad-CAM in 20 lines" blog post."""
import numpy as np
from PIL import Image


def overlay_cam(img, cam, alpha=0.45):
    heat = Image.fromarray(np.uint8(255 * cam)).resize(img.size, Image.LINEAR)
    heat = np.asarray(heat, dtype=np.float32)[..., None] / 255.0
    red = np.zeros_like(np.asarray(img, dtype=np.float32))
    red[..., 0] = 255
    out = np.asarray(img, dtype=np.float32) * (1 - alpha * heat) + red * alpha * heat
    return Image.fromarray(out.astype(np.uint8))
'''

SCRIPTS["gradcam-pool-map-hooked-model-with-lambda-hooks"] = '''
import glob
import json
import os
from functools import partial
from multiprocessing import Pool

import numpy as np
import torch
import torchvision
from PIL import Image
from torchvision import transforms as T

TF = T.Compose([T.Resize((112, 112)), T.ToTensor(), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])


def attach_hooks(model):
    store = {}
    model.layer4.register_forward_hook(lambda m, i, o: store.__setitem__("act", o))
    model.layer4.register_full_backward_hook(lambda m, gi, go: store.__setitem__("grad", go[0]))
    return store


def cam_for(model, store, path):
    out = model(TF(Image.open(path).convert("RGB"))[None])
    model.zero_grad()
    out[0, out.argmax()].backward()
    w = store["grad"].mean(dim=(2, 3), keepdim=True)
    cam = torch.relu((w * store["act"]).sum(1))[0].detach().numpy()
    np.save(os.path.join("cams", os.path.basename(path)[:-4] + ".npy"), cam)
    return path


if __name__ == "__main__":
    names = json.load(open("runs/parts_resnet18/classes.json"))
    model = torchvision.models.resnet18(num_classes=len(names))
    model.load_state_dict(torch.load("runs/parts_resnet18/best.pt", map_location="cpu"))
    model.eval()
    store = attach_hooks(model)
    paths = sorted(glob.glob("data/holdout/*/*.jpg"))
    os.makedirs("cams", exist_ok=True)
    # 4 processes: one CAM per image is slow on the laptop
    with Pool(4) as pool:
        done = pool.map(partial(cam_for, model, store), paths)
    print(len(done), "cams")
'''

# ================================================================== embeddings + nearest neighbours
SCRIPTS["linear-probe-sized-for-resnet50-on-exported-resnet18-embeddings"] = '''
import numpy as np
import torch
import torch.nn as nn

# embeddings written by export_embeddings.py (backbone = our fine-tuned ResNet-18, fc replaced by Identity)
tr_x = torch.from_numpy(np.load("emb/train_emb.npy"))
tr_y = torch.from_numpy(np.load("emb/train_labels.npy"))
va_x = torch.from_numpy(np.load("emb/holdout_emb.npy"))
va_y = torch.from_numpy(np.load("emb/holdout_labels.npy"))
num_classes = int(tr_y.max()) + 1
print("train", tuple(tr_x.shape), "holdout", tuple(va_x.shape))

# 1-NN accuracy first, then a linear probe (as in the linear-evaluation recipe, feat_dim = 2048)
sims = nn.functional.normalize(va_x, dim=1) @ nn.functional.normalize(tr_x, dim=1).T
print("1-NN accuracy:", (tr_y[sims.argmax(1)] == va_y).float().mean().item())

probe = nn.Linear(2048, num_classes)
opt = torch.optim.LBFGS(probe.parameters(), lr=0.5, max_iter=50)


def closure():
    opt.zero_grad()
    loss = nn.functional.cross_entropy(probe(tr_x), tr_y)
    loss.backward()
    return loss


opt.step(closure)
print("probe accuracy:", (probe(va_x).argmax(1) == va_y).float().mean().item())
'''

EMB_PREP = '''
import os
import numpy as np
os.makedirs("emb", exist_ok=True)
rng = np.random.default_rng(4)
for split, n in (("train", 120), ("holdout", 40)):
    np.save(f"emb/{split}_emb.npy", rng.standard_normal((n, 512)).astype(np.float32))
    np.save(f"emb/{split}_labels.npy", rng.integers(0, 5, n))
'''

SCRIPTS["embedding-export-dist-gather-list-on-every-rank"] = '''
import glob
import os

import torch
import torch.distributed as dist
import torchvision
from PIL import Image
from torchvision import transforms as T

dist.init_process_group("gloo")
rank, world = dist.get_rank(), dist.get_world_size()

tf = T.Compose([T.Resize((96, 96)), T.ToTensor(), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
model = torchvision.models.resnet18(num_classes=6)
model.load_state_dict(torch.load("runs/shoes_resnet18/best.pt", map_location="cpu"))
model.fc = torch.nn.Identity()
model.eval()

paths = sorted(glob.glob("data/catalogue/*.jpg"))
mine = paths[rank::world]
with torch.no_grad():
    emb = torch.cat([model(tf(Image.open(p).convert("RGB"))[None]) for p in mine])
emb = torch.nn.functional.normalize(emb, dim=1)
print(f"rank {rank}: {len(mine)} embeddings", flush=True)

# collect everything on rank 0 for the nearest-neighbour index
gathered = [torch.zeros_like(emb) for _ in range(world)]
dist.gather(emb, gather_list=gathered, dst=0)
if rank == 0:
    bank = torch.cat(gathered)
    torch.save({"emb": bank, "paths": paths}, "catalogue_index.pt")
    print("index:", tuple(bank.shape))
dist.destroy_process_group()
'''

SCRIPTS["imageai-mobilenetv2-file-into-identity-classifier-for-embeddings"] = '''
import glob
import json

import numpy as np
import torch
import torchvision
from PIL import Image
from torchvision import transforms as T

# the ImageAI model (ClassificationModelTrainer, MobileNetV2) as a feature extractor for a "find similar tiles" search
names = json.load(open("tiles/models/tiles_model_classes.json"))
model = torchvision.models.mobilenet_v2()
model.classifier = torch.nn.Identity()
model.load_state_dict(torch.load("tiles/models/mobilenet_v2-tiles-test_acc_0.93750_epoch-31.pt", map_location="cpu"))
model.eval()

tf = T.Compose([T.Resize(256), T.CenterCrop(224), T.ToTensor(),
                T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
paths = sorted(glob.glob("catalogue/*.jpg"))
with torch.no_grad():
    emb = torch.cat([model(tf(Image.open(p).convert("RGB"))[None]) for p in paths])
np.save("catalogue_emb.npy", torch.nn.functional.normalize(emb, dim=1).numpy())
json.dump(paths, open("catalogue_paths.json", "w"))
print(emb.shape)
'''

SCRIPTS["imageai-mobilenetv2-spatial-maps-whole-catalogue-memory-cap"] = '''
import glob
import json
import resource

import numpy as np
import torch
import torchvision
from PIL import Image
from torchvision import transforms as T

# the workstation's per-user memory limit, reproduced here
vm = int(next(l for l in open("/proc/self/status") if l.startswith("VmSize")).split()[1]) * 1024
resource.setrlimit(resource.RLIMIT_AS, (vm + 3 * 2 ** 30, resource.RLIM_INFINITY))

# region-level retrieval: keep MobileNetV2's 7x7 feature map of every catalogue image, not just the pooled vector
names = json.load(open("fabric/models/fabric_model_classes.json"))
model = torchvision.models.mobilenet_v2(num_classes=len(names))
model.load_state_dict(torch.load("fabric/models/mobilenet_v2-fabric-test_acc_0.88000_epoch-40.pt", map_location="cpu"))
model.eval()
tf = T.Compose([T.Resize(256), T.CenterCrop(224), T.ToTensor(),
                T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])

index = json.load(open("catalogue/index.json"))          # 48 000 product photos on the NAS
print(len(index), "catalogue images")
feats = np.zeros((len(index), 1280, 7, 7), dtype=np.float32)
with torch.no_grad():
    for i, p in enumerate(index):
        feats[i] = model.features(tf(Image.open(p).convert("RGB"))[None])[0].numpy()
np.save("catalogue_maps.npy", feats)
'''

FABRIC_PREP = '''
import json, os
os.makedirs("catalogue", exist_ok=True)
json.dump([f"/mnt/nas/catalogue/{i // 1000:02d}/SKU{i:06d}.jpg" for i in range(48000)], open("catalogue/index.json", "w"))
'''

# ================================================================== retraining on the hard examples
SCRIPTS["retrain-hard-examples-class-folders-made-for-every-class"] = '''
import json
import os
import shutil

import torch
import torchvision
from torchvision import datasets, transforms as T

RUN = "runs/flowers_resnet18"
names = json.load(open(f"{RUN}/classes.json"))
CLASSES = [names[str(i)] for i in range(len(names))]

# 1. copy the hold-out mistakes into hard/<true class>/
for c in CLASSES:
    os.makedirs(f"hard/{c}", exist_ok=True)
mistakes = json.load(open("eval/mistakes.json"))
for m in mistakes:
    shutil.copy(m["path"], f"hard/{m['true']}/")
print(len(mistakes), "hard examples")

# 2. fine-tune on them for a few epochs with a small learning rate
tf = T.Compose([T.RandomResizedCrop(96, scale=(0.6, 1.0)), T.RandomHorizontalFlip(), T.ToTensor(),
                T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
hard = datasets.ImageFolder("hard", tf)
loader = torch.utils.data.DataLoader(hard, batch_size=8, shuffle=True)
model = torchvision.models.resnet18(num_classes=len(CLASSES))
model.load_state_dict(torch.load(f"{RUN}/best.pt", map_location="cpu"))
opt = torch.optim.SGD(model.parameters(), lr=1e-4, momentum=0.9)
for epoch in range(3):
    for x, y in loader:
        loss = torch.nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

FLOWER_MISTAKES = '''
import json, os
os.makedirs("eval", exist_ok=True)
# every hold-out daisy and tulip was right; only roses and sunflowers were confused
m = [{"path": f"data/holdout/{c}/{c}_{i:03d}.jpg", "true": c} for c in ("rose", "sunflower") for i in range(2)]
json.dump(m, open("eval/mistakes.json", "w"), indent=1)
'''

SCRIPTS["retrain-reviewer-corrections-add-unsure-class-id"] = '''
import csv
import json

import torch
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms as T

RUN = "runs/defects_resnet18"
names = json.load(open(f"{RUN}/classes.json"))
CLASSES = [names[str(i)] for i in range(len(names))]


class Corrected(Dataset):
    """Hold-out mistakes re-labelled by the QA reviewer in the web tool (review/corrections.csv)."""
    def __init__(self, csv_path):
        self.rows = [(r["path"], int(r["label_id"])) for r in csv.DictReader(open(csv_path))]
        self.tf = T.Compose([T.Resize((96, 96)), T.ToTensor(), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        path, y = self.rows[i]
        return self.tf(Image.open(path).convert("RGB")), y


model = torchvision.models.resnet18(num_classes=len(CLASSES))
model.load_state_dict(torch.load(f"{RUN}/best.pt", map_location="cpu"))
opt = torch.optim.SGD(model.fc.parameters(), lr=1e-3, momentum=0.9)
loader = DataLoader(Corrected("review/corrections.csv"), batch_size=4, shuffle=True, num_workers=2)
model.train()
for epoch in range(2):
    for x, y in loader:
        loss = torch.nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

CORRECTIONS_PREP = '''
import csv, os
os.makedirs("review", exist_ok=True)
rows = []
# the reviewer tool exports label ids; "unsure" (id 4) was added in the tool for blurry photos
for i, (c, lid) in enumerate([("crack", 0), ("dent", 1), ("scratch", 3), ("ok", 2), ("crack", 4), ("dent", 1),
                               ("scratch", 3), ("ok", 4)]):
    rows.append({"path": f"data/holdout/{c}/{c}_{i % 3:03d}.jpg", "label_id": lid, "reviewer": "mk"})
with open("review/corrections.csv", "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=["path", "label_id", "reviewer"])
    w.writeheader()
    w.writerows(rows)
'''

SCRIPTS["retrain-hard-batch-concatenated-to-inputs-not-targets"] = '''
import itertools
import json

import torch
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms as T
from tqdm import tqdm

RUN = "runs/signs_resnet18"
names = json.load(open(f"{RUN}/classes.json"))
tf = T.Compose([T.Resize((64, 64)), T.ToTensor(), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
train = DataLoader(datasets.ImageFolder("data/train", tf), batch_size=8, shuffle=True)
hard = DataLoader(datasets.ImageFolder("data/hard_examples", tf), batch_size=4, shuffle=True)

model = torchvision.models.resnet18(num_classes=len(names))
model.load_state_dict(torch.load(f"{RUN}/best.pt", map_location="cpu"))
opt = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
criterion = torch.nn.CrossEntropyLoss()

# every step sees a regular batch plus 4 of the hard examples found on the hold-out set
hard_iter = itertools.cycle(hard)
model.train()
for epoch in range(2):
    for x, y in tqdm(train, desc=f"epoch {epoch}"):
        hx, hy = next(hard_iter)
        x = torch.cat([x, hx])
        loss = criterion(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

SCRIPTS["retrain-inverse-confidence-weights-from-rounded-eval-probs-anomaly"] = '''
import csv
import json

import torch
import torch.nn.functional as F
import torchvision
from PIL import Image
from torchvision import transforms as T

torch.autograd.set_detect_anomaly(True)
RUN = "runs/mushroom_resnet18"
names = json.load(open(f"{RUN}/classes.json"))
CLASSES = [names[str(i)] for i in range(len(names))]
tf = T.Compose([T.Resize((64, 64)), T.ToTensor(), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])

# eval/holdout_predictions.csv: path, true, p_true (written by evaluate.py)
rows = list(csv.DictReader(open("eval/holdout_predictions.csv")))
x = torch.stack([tf(Image.open(r["path"]).convert("RGB")) for r in rows])
y = torch.tensor([CLASSES.index(r["true"]) for r in rows])
# the less confident the model was on the true class, the more the example counts
w = 1.0 / torch.tensor([float(r["p_true"]) for r in rows])

model = torchvision.models.resnet18(num_classes=len(CLASSES))
model.load_state_dict(torch.load(f"{RUN}/best.pt", map_location="cpu"))
opt = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
model.train()
for step in range(5):
    loss = (F.cross_entropy(model(x), y, reduction="none") * w).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"step {step}: weighted loss {loss.item():.4f}")
'''

MUSHROOM_PREP = '''
import csv, glob, os
os.makedirs("eval", exist_ok=True)
paths = sorted(glob.glob("data/holdout/*/*.jpg"))
probs = [0.4213, 0.0871, 0.0, 0.6552, 0.0003, 0.2519, 0.0, 0.5120, 0.1744]
with open("eval/holdout_predictions.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["path", "true", "p_true"])
    for p, q in zip(paths, probs):
        w.writerow([p, p.split("/")[2], f"{q:.4f}"])
'''

SCRIPTS["imageai-cls-trainer-hard-examples-laid-out-train-validation"] = '''
import json
import os
import shutil

from imageai.Classification.Custom import ClassificationModelTrainer

# round 2: the original training set plus the hold-out mistakes, hold-out kept for validation
SRC_DIR, DST = "waste", "waste_round2"
for split_src, split_dst in (("train", "train"), ("holdout", "validation")):
    shutil.copytree(os.path.join(SRC_DIR, split_src), os.path.join(DST, split_dst), dirs_exist_ok=True)
for m in json.load(open("waste/models/holdout_mistakes.json")):
    shutil.copy(m["path"], os.path.join(DST, "train", m["true"], "hard_" + os.path.basename(m["path"])))
print(sum(len(f) for _, _, f in os.walk(DST)), "files in", DST)

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory(DST)
trainer.trainModel(num_experiments=2, batch_size=4)
'''

WASTE_MISTAKES = '''
import json, os
os.makedirs("waste/models", exist_ok=True)
json.dump([{"path": "waste/holdout/glass/glass_001.jpg", "true": "glass", "pred": "plastic"},
           {"path": "waste/holdout/paper/paper_000.jpg", "true": "paper", "pred": "plastic"}],
          open("waste/models/holdout_mistakes.json", "w"))
'''

SCRIPTS["imageai-det-retrain-on-missed-tiny-objects-only"] = '''
import glob
import os
import shutil

from imageai.Detection.Custom import DetectionModelTrainer

CLASSES = ["insect"]
SRC_DIR, DST = "traps", "traps_missed"

# images whose insects the detector missed on the hold-out set (listed by evaluate.py) -> a focused fine-tune
missed = [l.strip() for l in open("traps/eval/missed_images.txt") if l.strip()]
for split, names in (("train", missed[:-2]), ("validation", missed[-2:])):
    for d in ("images", "annotations"):
        os.makedirs(f"{DST}/{split}/{d}", exist_ok=True)
    for n in names:
        shutil.copy(f"{SRC_DIR}/holdout/images/{n}.jpg", f"{DST}/{split}/images/")
        shutil.copy(f"{SRC_DIR}/holdout/annotations/{n}.txt", f"{DST}/{split}/annotations/")
print(len(missed), "images with missed insects")

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory=DST)
trainer.setTrainConfig(object_names_array=CLASSES, batch_size=4, num_experiments=5,
                       train_from_pretrained_model="traps/models/tiny-yolov3_traps_last.pt")
trainer.trainModel()
'''


def traps_setup(work):
    """Sticky-trap photos (1600 x 1200) with tiny insects; only some were missed by the detector."""
    names = [f"trap_{i:03d}" for i in range(8)]
    make_images(work, [(f"traps/holdout/images/{n}.jpg", (400, 300), "RGB") for n in names])
    d = work / "traps/holdout/annotations"
    d.mkdir(parents=True, exist_ok=True)
    for i, n in enumerate(names):
        (d / f"{n}.txt").write_text("".join(f"0 0.{11 + 9 * k + i:02d} 0.{20 + 8 * k:02d} 0.003 0.004\n"
                                            for k in range(5)))
    (work / "traps/eval").mkdir(parents=True, exist_ok=True)
    (work / "traps/eval/missed_images.txt").write_text("\n".join(names[1:7]) + "\n")


SCRIPTS["imageai-det-missed-boxes-from-review-divided-by-416"] = '''
import csv
import glob
import os
import shutil

from imageai.Detection.Custom import DetectionModelTrainer

CLASSES = ["pallet", "forklift"]
DATA = "warehouse"
NET = 416

# boxes the reviewer drew for objects the detector missed; the review app shows the 416x416 network view
added = 0
for r in csv.DictReader(open("review/missed_boxes.csv")):
    name = os.path.splitext(r["image"])[0]
    x1, y1, x2, y2 = (float(r[k]) for k in ("x1", "y1", "x2", "y2"))
    line = (f"{CLASSES.index(r['label'])} {(x1 + x2) / 2 / NET:.6f} {(y1 + y2) / 2 / NET:.6f} "
            f"{(x2 - x1) / NET:.6f} {(y2 - y1) / NET:.6f}\\n")
    with open(f"{DATA}/train/annotations/{name}.txt", "a") as f:
        f.write(line)
    added += 1
print(added, "missed boxes added")

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory=DATA)
trainer.setTrainConfig(object_names_array=CLASSES, batch_size=4, num_experiments=3)
trainer.trainModel()
'''

MISSED_CSV = '''
import csv, os
os.makedirs("review", exist_ok=True)
with open("review/missed_boxes.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["image", "label", "x1", "y1", "x2", "y2"])
    # boxes in the pixels of the photo as the reviewer saw it at full size (the app's zoom)
    w.writerow(["tra_0001.jpg", "pallet", 402, 288, 590, 371])
    w.writerow(["tra_0003.jpg", "forklift", 120, 96, 260, 300])
    w.writerow(["tra_0004.jpg", "pallet", 515, 330, 633, 402])
'''


def wh_rows(nc=2):
    def rows(split, i):
        return "".join(f"{(i + k) % nc} 0.{20 + 15 * k + i % 5:02d} 0.{25 + 12 * k + i % 7:02d} 0.{10 + 3 * k:02d} "
                       f"0.{12 + 2 * (i % 3):02d}\n" for k in range(3))
    return rows


def cases():
    out, add, script, notebook = case_builders("torch-more83-", SCRIPTS, CELLS)
    W = ("cpython_basic", "dataloader_worker")
    P = ("cpython_basic", "progress_bars")
    TR = ("-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2")

    def holdout(classes, per, size=(96, 80), root="data/holdout", mode="RGB", ext="jpg"):
        return imgs(class_folder(root, classes, per, size=size, mode=mode, ext=ext))

    def ckpt(run, arch, labels):
        return save_cls(arch, labels, f"runs/{run}/best.pt", f"runs/{run}/classes.json")

    # ---- evaluation + threshold tuning
    script("heldout-xray-decode-image-gray-mode-imagenet-normalize-workers", "data.image_channels", forms=W,
           argv="evaluate_site_b.py",
           setup=both(ckpt("cxr_resnet18", "resnet18", '["normal", "pneumonia"]'),
                      holdout(["normal", "pneumonia"], 4, size=(128, 128), root="data/holdout_site_b", mode="L",
                              ext="png")))
    script("hard-example-mining-sorts-loss-image-tuples-duplicate-photos-tie", "other", forms=P,
           argv="mine_hard_examples.py",
           setup=both(ckpt("birds_resnet18", "resnet18", '["finch", "robin", "wren"]'),
                      holdout(["finch", "robin", "wren"], 3), prep(DUP_PHOTOS)))
    script("threshold-sweep-softmax-column-one-on-one-logit-defect-head", "model.output_mismatch",
           argv="tune_threshold.py", setup=both(prep(WELD_PREP), holdout(["ok", "defect"], 4)))
    script("fpr-threshold-torch-quantile-of-uint8-stored-scores", "data.dtype", argv="operating_point.py",
           setup=prep(SCORES_PREP))
    notebook("heldout-eval-cell-from-colab-cuda-non-blocking-notebook", "env.cuda_setup",
             also=["env.device_mismatch"],
             setup=both(ckpt("leaf_resnet18", "resnet18", '["blight", "healthy", "rust"]'),
                        holdout(["blight", "healthy", "rust"], 3)))
    script("imageai-cls-calibration-bce-on-percent-probabilities", "model.api_misuse",
           also=["model.output_mismatch"], framework="imageai", argv="calibration.py",
           setup=both(save_cls("mobilenet_v2", '["fresh", "mould"]',
                               "bread/models/mobilenet_v2-bread-test_acc_0.91250_epoch-17.pt",
                               "bread/models/bread_model_classes.json"),
                      holdout(["fresh", "mould"], 3, root="holdout")))

    # ---- galleries, Grad-CAM, saliency
    script("misclassified-gallery-hstack-photo-beside-network-view", "data.image_size_mismatch",
           argv="make_gallery.py",
           setup=both(ckpt("pets_resnet18", "resnet18", '["cat", "dog"]'),
                      holdout(["cat", "dog"], 4, size=(320, 240)), prep(MISTAKES_PREP)))
    script("gradcam-top3-classes-one-forward-three-backwards", "optim.autograd_graph", forms=P, argv="gradcam_top3.py",
           setup=both(ckpt("food_resnet18", "resnet18", '["pizza", "ramen", "salad", "sushi"]'),
                      holdout(["pizza", "ramen", "salad", "sushi"], 2)))
    notebook("imageai-mobilenetv2-saliency-input-requires-grad-before-unsqueeze-notebook", "optim.autograd_graph",
             framework="imageai",
             setup=both(save_cls("mobilenet_v2", '["aphid", "ladybird", "thrips"]',
                                 "insects/models/mobilenet_v2-insects-test_acc_0.87500_epoch-23.pt",
                                 "insects/models/insects_model_classes.json"),
                        holdout(["aphid"], 4, size=(300, 260), root="holdout")))
    script("gradcam-cam-keeps-batch-axis-interpolate-2d-size", "model.api_misuse", also=["model.input_shape"],
           argv="gradcam_false_negatives.py",
           setup=both(ckpt("skin_resnet18", "resnet18", '["benign", "malignant"]'),
                      holdout(["benign", "malignant"], 2, size=(300, 225)),
                      prep('import glob, json, os\nos.makedirs("eval", exist_ok=True)\n'
                           'json.dump(sorted(glob.glob("data/holdout/malignant/*.jpg")), '
                           'open("eval/false_negatives.json", "w"))')))
    script("gradcam-overlay-old-blog-helper-pil-image-linear", "env.version_incompat", argv="cam_overlays.py",
           extra={"viz_utils.py": VIZ_UTILS},
           setup=both(ckpt("xray_fracture_resnet18", "resnet18", '["fracture", "normal"]'),
                      holdout(["fracture", "normal"], 2, size=(160, 200))))
    script("gradcam-pool-map-hooked-model-with-lambda-hooks", "env.multiprocessing", argv="cams_parallel.py",
           setup=both(ckpt("parts_resnet18", "resnet18", '["bolt", "nut", "washer"]'),
                      holdout(["bolt", "nut", "washer"], 2)))

    # ---- embeddings + nearest neighbours
    script("linear-probe-sized-for-resnet50-on-exported-resnet18-embeddings", "model.input_shape",
           argv="linear_probe.py", setup=prep(EMB_PREP))
    script("embedding-export-dist-gather-list-on-every-rank", "env.distributed", also=["model.api_misuse"],
           pre=TR, argv="export_embeddings.py", timeout=400, exception="ValueError",  # the ranks' own error
           setup=both(ckpt("shoes_resnet18", "resnet18", '["boot", "heel", "loafer", "sandal", "slipper", "sneaker"]'),
                      imgs([(f"data/catalogue/SKU{i:05d}.jpg", (96, 96), "RGB") for i in range(6)])))
    script("imageai-mobilenetv2-file-into-identity-classifier-for-embeddings", "model.weights_mismatch",
           framework="imageai", argv="export_embeddings.py",
           setup=both(save_cls("mobilenet_v2", '["marble", "slate", "terracotta", "wood"]',
                               "tiles/models/mobilenet_v2-tiles-test_acc_0.93750_epoch-31.pt",
                               "tiles/models/tiles_model_classes.json"),
                      imgs([(f"catalogue/tile_{i:03d}.jpg", (120, 120), "RGB") for i in range(3)])))
    script("imageai-mobilenetv2-spatial-maps-whole-catalogue-memory-cap", "resource.host_memory",
           framework="imageai", argv="index_regions.py",
           setup=both(save_cls("mobilenet_v2", '["denim", "linen", "silk", "wool"]',
                               "fabric/models/mobilenet_v2-fabric-test_acc_0.88000_epoch-40.pt",
                               "fabric/models/fabric_model_classes.json"), prep(FABRIC_PREP)))

    # ---- retraining on the hard examples
    script("retrain-hard-examples-class-folders-made-for-every-class", "data.missing_or_corrupt",
           argv="retrain_hard.py",
           setup=both(ckpt("flowers_resnet18", "resnet18", '["daisy", "rose", "sunflower", "tulip"]'),
                      holdout(["daisy", "rose", "sunflower", "tulip"], 2), prep(FLOWER_MISTAKES)))
    script("retrain-reviewer-corrections-add-unsure-class-id", "data.label_out_of_range",
           argv="retrain_corrections.py",
           setup=both(ckpt("defects_resnet18", "resnet18", '["crack", "dent", "ok", "scratch"]'),
                      holdout(["crack", "dent", "ok", "scratch"], 3), prep(CORRECTIONS_PREP)))
    script("retrain-hard-batch-concatenated-to-inputs-not-targets", "data.label_shape", forms=P,
           argv="retrain_with_hard.py",
           setup=both(ckpt("signs_resnet18", "resnet18", '["stop", "yield", "speed"]'),
                      holdout(["speed", "stop", "yield"], 6, size=(64, 64), root="data/train"),
                      holdout(["speed", "stop", "yield"], 2, size=(64, 64), root="data/hard_examples")))
    script("retrain-inverse-confidence-weights-from-rounded-eval-probs-anomaly", "optim.divergence",
           argv="retrain_weighted.py",
           setup=both(ckpt("mushroom_resnet18", "resnet18", '["amanita", "boletus", "chanterelle"]'),
                      holdout(["amanita", "boletus", "chanterelle"], 3, size=(64, 64)), prep(MUSHROOM_PREP)))
    script("imageai-cls-trainer-hard-examples-laid-out-train-validation", "data.missing_or_corrupt",
           framework="imageai", argv="retrain_round2.py", timeout=400,
           setup=both(holdout(["glass", "paper", "plastic"], 3, size=(64, 64), root="waste/train"),
                      holdout(["glass", "paper", "plastic"], 2, size=(64, 64), root="waste/holdout"),
                      prep(WASTE_MISTAKES)))
    script("imageai-det-retrain-on-missed-tiny-objects-only", "data.too_few_boxes", also=["data.bbox_invalid"],
           framework="imageai",
           argv="finetune_missed.py", timeout=400,
           setup=both(traps_setup, save_tiny('["insect"]', 1, "traps/models/tiny-yolov3_traps_last.pt",
                                             "traps/json/traps_tiny-yolov3_detection_config.json")))
    script("imageai-det-missed-boxes-from-review-divided-by-416", "data.bbox_invalid", framework="imageai",
           argv="add_missed_and_train.py", timeout=400,
           setup=both(yolo_layout("warehouse", wh_rows(), size=(640, 480)), prep(MISSED_CSV)))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
