"""A sixty-third held-out set (g121, scored 0.83 top-1 and 0.92 top-3 before any rule for it) of PyTorch / torchvision failures, untargeted across the taxonomy.

The persona: ML engineers at small companies building image models that are not plain classifiers: Siamese and
triplet networks for product matching, multi-input models (image + tabular listing metadata), multi-task heads
(class + bounding box + attributes), multi-label attribute tagging with sigmoid outputs, ordinal regression for
condition grading, image retrieval with embeddings and a FAISS-free nearest-neighbour search written in torch,
custom samplers (class-balanced, PK sampling), hard-negative mining and knowledge distillation from a larger
torchvision model. A natural mix of causes, each program built so that its cause is known by construction; none a
repeat of the scenarios in the other generators:

- data: hard negatives cached as tensors at the 96 px mining resolution concatenated with 128 px anchors and
  positives for one forward pass (tqdm), a gallery-indexing cell reading the supplier's grayscale line drawings
  with ``read_image`` before a three-channel tensor ``Normalize`` (notebook, tqdm), an ArcFace product-matching head
  sized by the number of SKUs and given the raw SKU numbers as targets, multi-label attributes returned as a
  Python list from ``__getitem__`` (collated per attribute) and ``torch.stack``-ed into a transposed target
  (tqdm), CORAL ordinal grade levels left as a bool tensor for ``BCEWithLogitsLoss`` (notebook, tqdm), a
  product-match pairs CSV whose scraped images include the shop's HTML error pages (in workers), a labelling
  tool's ``x, y, width, height`` export read as box corners by a class + box + attributes net (the label preview
  with ``draw_bounding_boxes``, tqdm);
- model: an image + listing-metadata fusion head sized before the category one-hot columns were added, feature
  distillation from a ResNet-50 teacher (2048-d) into a MobileNetV3 student (576-d) without a projection layer
  (tqdm), a stage-2 multi-task fine-tune resuming the stage-1 checkpoint after the attribute list grew,
  ``TripletMarginWithDistanceLoss`` given the ``nn.PairwiseDistance`` class instead of an instance,
  ``F.cosine_similarity`` of all queries against the whole gallery as a nearest-neighbour search, a class-balanced
  ``WeightedRandomSampler`` asked for twice the data set without replacement (tqdm);
- optimisation: Siamese embeddings L2-normalised in place with ``/=`` after ``norm`` (tqdm), a class + box +
  attributes net calling ``backward`` on each task loss in turn (tqdm), softmax-weighted hard-negative sampling
  with ``torch.multinomial`` on raw 0-255 pixels at a high learning rate, a distillation step whose student
  forward sits inside the teacher's ``torch.no_grad()`` block (tqdm);
- resource / environment / other: ResNet-50 teacher feature maps for the whole catalogue preallocated as one
  tensor under a job memory limit, a PK pair dataset keeping per-product generator streams under spawn workers
  (copied from a MacBook notebook), a per-product split helper copied from the torch 1.x ``random_split`` source
  (``torch._utils._accumulate``), a DDP (gloo, torchrun) multi-task job that skips the attribute loss for
  batches without attribute annotations, a distillation teacher checkpoint saved on the GPU server and loaded on
  a CPU laptop, recall@k computed by indexing a Python list of gallery SKUs with the ``topk`` index tensor
  (notebook), a PK sampler whose product index is keyed by the CSV's SKU strings and looked up with ints.

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None: teacher and
stage-1 checkpoints are files an earlier step left on disk).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more63.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


from _record import Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders  # noqa: E402,F401
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more63.py"

SCRIPTS = {}
CELLS = {}

SKUS = ["40213", "40217", "40288", "51002", "51019", "62110"]

# a torchvision teacher an earlier fine-tune on the GPU server left on disk (six product categories)
TEACHER_PREP = '''
import os
import torch
import torchvision

os.makedirs("teachers", exist_ok=True)
torch.manual_seed(0)
torch.save(torchvision.models.resnet50(num_classes=6).state_dict(), "teachers/resnet50_categories.pth")
'''

CATEGORIES = ["bags", "boots", "jackets", "lamps", "mugs", "sneakers"]

# ================================================================== data
SCRIPTS["triplet-hard-negatives-cached-at-mining-resolution-tqdm"] = '''
import glob
import os
import random

import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T
from tqdm import tqdm

IMG_SIZE = 128
MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]


class MinedTripletDataset(Dataset):
    """anchor / positive from the catalogue, the hard negative that mine_negatives.py found for the anchor"""

    def __init__(self, root, mined_path, transform):
        self.paths = sorted(glob.glob(f"{root}/*/*.jpg"))
        self.sku = [os.path.basename(os.path.dirname(p)) for p in self.paths]
        self.by_sku = {}
        for i, s in enumerate(self.sku):
            self.by_sku.setdefault(s, []).append(i)
        mined = torch.load(mined_path)
        assert mined["anchor_paths"] == self.paths, "re-run mine_negatives.py"
        self.neg_images = mined["neg_images"]   # already preprocessed, one per anchor
        self.transform = transform

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        j = random.choice([k for k in self.by_sku[self.sku[i]] if k != i])
        anchor = self.transform(Image.open(self.paths[i]).convert("RGB"))
        positive = self.transform(Image.open(self.paths[j]).convert("RGB"))
        return anchor, positive, self.neg_images[i]


class Embedder(nn.Module):
    def __init__(self, dim=128):
        super().__init__()
        self.backbone = models.resnet18(weights=None)
        self.backbone.fc = nn.Linear(self.backbone.fc.in_features, dim)

    def forward(self, x):
        return F.normalize(self.backbone(x), dim=1)


def main():
    torch.manual_seed(0)
    random.seed(0)
    tf = T.Compose([T.Resize((IMG_SIZE, IMG_SIZE)), T.RandomHorizontalFlip(), T.ToTensor(), T.Normalize(MEAN, STD)])
    ds = MinedTripletDataset("catalog", "mined/hard_negatives.pt", tf)
    loader = DataLoader(ds, batch_size=8, shuffle=True)
    model = Embedder()
    criterion = nn.TripletMarginLoss(margin=0.2)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-4)
    for epoch in range(3):
        model.train()
        pbar = tqdm(loader, desc=f"epoch {epoch + 1}")
        for anchor, positive, negative in pbar:
            # one forward pass for the three branches: BatchNorm sees the whole triplet batch
            emb = model(torch.cat([anchor, positive, negative]))
            ea, ep, en = emb.chunk(3)
            loss = criterion(ea, ep, en)
            opt.zero_grad()
            loss.backward()
            opt.step()
            pbar.set_postfix(loss=f"{loss.item():.4f}")


if __name__ == "__main__":
    main()
'''

MINED_PREP = '''
import glob
import torch
from PIL import Image
from torchvision import transforms as T

# what mine_negatives.py --img-size 96 saved (mining over the catalogue at a small size to be quick)
paths = sorted(glob.glob("catalog/*/*.jpg"))
tf = T.Compose([T.Resize((96, 96)), T.ToTensor(), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
g = torch.Generator().manual_seed(0)
negs = []
for i, p in enumerate(paths):
    j = (i + 5 + int(torch.randint(0, 3, (1,), generator=g))) % len(paths)
    negs.append(tf(Image.open(paths[j]).convert("RGB")))
import os
os.makedirs("mined", exist_ok=True)
torch.save({"anchor_paths": paths, "neg_images": torch.stack(negs)}, "mined/hard_negatives.pt")
'''

CELLS["gallery-index-read-image-grayscale-line-drawings-notebook"] = [
    '''
import glob

import torch
import torch.nn as nn
from torchvision import models
from torchvision import transforms as T
from torchvision.io import read_image
from tqdm import tqdm

model = models.resnet18(weights=None)
model.fc = nn.Identity()
model.load_state_dict(torch.load("embedder_resnet18.pt"))
model.eval()

# read_image + tensor transforms: faster than PIL for the whole gallery
preprocess = T.Compose([
    T.Resize((128, 128), antialias=True),
    T.ConvertImageDtype(torch.float32),
    T.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]),
])
gallery_paths = sorted(glob.glob("gallery/*.jpg"))
print(len(gallery_paths), "gallery images")
''',
    '''
feats = []
with torch.no_grad():
    for path in tqdm(gallery_paths, desc="indexing gallery"):
        img = preprocess(read_image(path))
        feats.append(model(img.unsqueeze(0)))
gallery = nn.functional.normalize(torch.cat(feats), dim=1)
torch.save({"paths": gallery_paths, "embeddings": gallery}, "gallery_index.pt")
''',
]

EMBEDDER_PREP = '''
import torch
import torch.nn as nn
import torchvision

torch.manual_seed(0)
m = torchvision.models.resnet18(weights=None)
m.fc = nn.Identity()
torch.save(m.state_dict(), "embedder_resnet18.pt")
'''


def gallery_setup(work):
    specs = []
    for k, sku in enumerate(SKUS):
        for i in range(3):
            specs.append((f"gallery/{sku}_photo_{i}.jpg", (150, 150), "RGB"))
        # the supplier's catalogue sends a black-and-white technical drawing for some products
        if k % 2 == 1:
            specs.append((f"gallery/{sku}_drawing.jpg", (150, 150), "L"))
    make_images(work, specs)


SCRIPTS["product-matching-arcface-head-raw-sku-numbers"] = '''
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T


class ArcMarginProduct(nn.Module):
    """additive angular margin (ArcFace) head, as in the arcface-pytorch repo"""

    def __init__(self, in_features, out_features, s=30.0, m=0.50):
        super().__init__()
        self.s, self.m = s, m
        self.weight = nn.Parameter(torch.empty(out_features, in_features))
        nn.init.xavier_uniform_(self.weight)
        self.cos_m, self.sin_m = math.cos(m), math.sin(m)
        self.th = math.cos(math.pi - m)
        self.mm = math.sin(math.pi - m) * m

    def forward(self, x, label):
        cosine = F.linear(F.normalize(x), F.normalize(self.weight))
        sine = torch.sqrt((1.0 - cosine.pow(2)).clamp(0, 1))
        phi = cosine * self.cos_m - sine * self.sin_m
        phi = torch.where(cosine > self.th, phi, cosine - self.mm)
        one_hot = torch.zeros_like(cosine)
        one_hot.scatter_(1, label.view(-1, 1).long(), 1)
        return ((one_hot * phi) + ((1.0 - one_hot) * cosine)) * self.s


class ProductImages(Dataset):
    def __init__(self, csv_path, transform):
        with open(csv_path, newline="") as f:
            self.rows = list(csv.DictReader(f))
        self.transform = transform

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        row = self.rows[i]
        return self.transform(Image.open(row["path"]).convert("RGB")), int(row["sku"])


class MatchingModel(nn.Module):
    def __init__(self, num_products, dim=256):
        super().__init__()
        self.backbone = models.resnet18(weights=None)
        self.backbone.fc = nn.Linear(512, dim)
        self.head = ArcMarginProduct(dim, num_products)

    def forward(self, x, labels):
        return self.head(self.backbone(x), labels)


def main():
    torch.manual_seed(0)
    tf = T.Compose([T.Resize((112, 112)), T.ToTensor(), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
    ds = ProductImages("data/train.csv", tf)
    num_products = len({r["sku"] for r in ds.rows})
    print(f"{len(ds)} images of {num_products} products")
    loader = DataLoader(ds, batch_size=8, shuffle=True, num_workers=2)
    model = MatchingModel(num_products)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
    for epoch in range(10):
        for images, skus in loader:
            logits = model(images, skus)
            loss = F.cross_entropy(logits, skus)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"epoch {epoch + 1}: loss {loss.item():.3f}")


if __name__ == "__main__":
    main()
'''

SKU_CSV_PREP = '''
import csv
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(4)
os.makedirs("data/images", exist_ok=True)
rows = []
for sku in @@SKUS@@:
    for i in range(4):
        p = f"data/images/{sku}_{i}.jpg"
        Image.fromarray(rng.integers(0, 256, (120, 120, 3), dtype=np.uint8)).save(p)
        rows.append({"path": p, "sku": sku})
with open("data/train.csv", "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=["path", "sku"])
    w.writeheader()
    w.writerows(rows)
'''.replace("@@SKUS@@", repr(SKUS))

SCRIPTS["multilabel-attributes-list-from-getitem-stacked-transposed-tqdm"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T
from tqdm import tqdm

ATTRIBUTES = ["red", "blue", "striped", "cotton", "sleeveless", "hooded"]


class TaggedProducts(Dataset):
    def __init__(self, csv_path, transform):
        with open(csv_path, newline="") as f:
            self.rows = list(csv.DictReader(f))
        self.transform = transform

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        row = self.rows[i]
        image = self.transform(Image.open(row["image"]).convert("RGB"))
        tags = [float(row[a]) for a in ATTRIBUTES]
        return image, tags


def main():
    torch.manual_seed(0)
    tf = T.Compose([T.Resize((112, 112)), T.ToTensor(), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
    ds = TaggedProducts("tags.csv", tf)
    loader = DataLoader(ds, batch_size=8, shuffle=True)
    model = models.resnet18(weights=None, num_classes=len(ATTRIBUTES))
    criterion = nn.BCEWithLogitsLoss()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(5):
        model.train()
        pbar = tqdm(loader, desc=f"epoch {epoch + 1}/5")
        for images, tags in pbar:
            # the loader hands the tags back as a list of tensors
            targets = torch.stack(tags)
            logits = model(images)
            loss = criterion(logits, targets)
            opt.zero_grad()
            loss.backward()
            opt.step()
            pbar.set_postfix(loss=loss.item())


if __name__ == "__main__":
    main()
'''

TAGS_PREP = '''
import csv
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(11)
attrs = ["red", "blue", "striped", "cotton", "sleeveless", "hooded"]
os.makedirs("shop_images", exist_ok=True)
rows = []
for i in range(20):
    p = f"shop_images/item_{i:04d}.jpg"
    Image.fromarray(rng.integers(0, 256, (140, 120, 3), dtype=np.uint8)).save(p)
    row = {"image": p}
    row.update({a: int(rng.random() < 0.3) for a in attrs})
    rows.append(row)
with open("tags.csv", "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=["image"] + attrs)
    w.writeheader()
    w.writerows(rows)
'''

CELLS["coral-ordinal-grade-levels-bool-targets-notebook"] = [
    '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T
from tqdm import tqdm

# refurbished phones, cosmetic grade 1 (like new) .. 5 (heavy wear)
tf = T.Compose([T.Resize((112, 112)), T.ToTensor(), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
train_ds = datasets.ImageFolder("phone_grades/train", transform=tf)
NUM_GRADES = len(train_ds.classes)
print(train_ds.classes)
train_loader = DataLoader(train_ds, batch_size=8, shuffle=True)
''',
    '''
class CoralHead(nn.Module):
    """CORAL: one shared weight vector, K-1 ordered biases"""

    def __init__(self, in_features, num_classes):
        super().__init__()
        self.fc = nn.Linear(in_features, 1, bias=False)
        self.biases = nn.Parameter(torch.arange(num_classes - 1, 0, -1).float() / (num_classes - 1))

    def forward(self, x):
        return self.fc(x) + self.biases


def grade_levels(y, num_classes):
    # grade k -> k ones then zeros: 2 -> [1, 1, 0, 0]
    return y.unsqueeze(1) > torch.arange(num_classes - 1)


backbone = models.resnet18(weights=None)
backbone.fc = CoralHead(backbone.fc.in_features, NUM_GRADES)
model = backbone
criterion = nn.BCEWithLogitsLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=3e-4)
''',
    '''
torch.manual_seed(0)
for epoch in range(5):
    model.train()
    loop = tqdm(train_loader, desc=f"epoch {epoch + 1}")
    for images, grades in loop:
        logits = model(images)
        loss = criterion(logits, grade_levels(grades, NUM_GRADES))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        loop.set_postfix(loss=loss.item())
''',
]

SCRIPTS["siamese-match-pairs-csv-scraped-html-error-pages-workers"] = '''
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T


class MatchPairs(Dataset):
    """rows of pairs.csv: shop A listing photo, shop B listing photo, 1 if the same product"""

    def __init__(self, csv_path, transform):
        with open(csv_path, newline="") as f:
            self.pairs = [(r["img_a"], r["img_b"], float(r["same"])) for r in csv.DictReader(f)]
        self.transform = transform

    def __len__(self):
        return len(self.pairs)

    def __getitem__(self, i):
        a, b, same = self.pairs[i]
        img_a = self.transform(Image.open(a).convert("RGB"))
        img_b = self.transform(Image.open(b).convert("RGB"))
        return img_a, img_b, torch.tensor(same)


class SiameseNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = models.resnet18(weights=None)
        self.encoder.fc = nn.Linear(512, 128)
        self.classifier = nn.Linear(128, 1)

    def forward(self, a, b):
        ea, eb = self.encoder(a), self.encoder(b)
        return self.classifier(torch.abs(ea - eb)).squeeze(1)


def main():
    torch.manual_seed(0)
    tf = T.Compose([T.Resize((112, 112)), T.ToTensor(), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
    ds = MatchPairs("pairs.csv", tf)
    loader = DataLoader(ds, batch_size=8, shuffle=True, num_workers=2)
    model = SiameseNet()
    opt = torch.optim.Adam(model.parameters(), lr=1e-4)
    for epoch in range(10):
        total = 0.0
        for a, b, same in loader:
            loss = F.binary_cross_entropy_with_logits(model(a, b), same)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item()
        print(f"epoch {epoch + 1}: loss {total / len(loader):.4f}")


if __name__ == "__main__":
    main()
'''

PAIRS_PREP = '''
import csv
import os
import random
import numpy as np
from PIL import Image

rng = np.random.default_rng(2)
random.seed(2)
for shop in ("shop_a", "shop_b"):
    os.makedirs(f"scraped/{shop}", exist_ok=True)
names = [f"p{k:03d}" for k in range(16)]
for n in names:
    for shop in ("shop_a", "shop_b"):
        path = f"scraped/{shop}/{n}.jpg"
        if shop == "shop_b" and n in ("p004", "p009", "p013"):
            # the scraper saved the shop's error page under the image name
            with open(path, "w") as f:
                f.write("<!DOCTYPE html><html><head><title>Access denied</title></head>"
                        "<body>Error 403: request blocked</body></html>\\n")
            continue
        Image.fromarray(rng.integers(0, 256, (130, 130, 3), dtype=np.uint8)).save(path)
rows = []
for n in names:
    rows.append({"img_a": f"scraped/shop_a/{n}.jpg", "img_b": f"scraped/shop_b/{n}.jpg", "same": 1})
    other = random.choice([m for m in names if m != n])
    rows.append({"img_a": f"scraped/shop_a/{n}.jpg", "img_b": f"scraped/shop_b/{other}.jpg", "same": 0})
with open("pairs.csv", "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=["img_a", "img_b", "same"])
    w.writeheader()
    w.writerows(rows)
'''

SCRIPTS["multitask-box-attrs-label-tool-xywh-read-as-corners-preview-tqdm"] = '''
import csv
import os

import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T
from torchvision.io import write_png
from torchvision.utils import draw_bounding_boxes
from tqdm import tqdm

CATEGORIES = ["bottle", "box", "can", "jar"]
ATTRIBUTES = ["glass", "plastic", "metal", "label_visible"]
IMG = 160


class ShelfItems(Dataset):
    """one product per photo: category, box (normalised x1, y1, x2, y2) and material attributes"""

    def __init__(self, csv_path, img_dir):
        with open(csv_path, newline="") as f:
            self.rows = list(csv.DictReader(f))
        self.img_dir = img_dir
        self.tf = T.Compose([T.Resize((IMG, IMG)), T.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        image = self.tf(Image.open(os.path.join(self.img_dir, r["image"])).convert("RGB"))
        box = torch.tensor([float(r[k]) for k in ("bbox_x", "bbox_y", "bbox_w", "bbox_h")])
        attrs = torch.tensor([float(r[a]) for a in ATTRIBUTES])
        return image, CATEGORIES.index(r["category"]), box, attrs


class MultiTaskNet(nn.Module):
    def __init__(self):
        super().__init__()
        trunk = models.resnet18(weights=None)
        trunk.fc = nn.Identity()
        self.trunk = trunk
        self.cls_head = nn.Linear(512, len(CATEGORIES))
        self.box_head = nn.Sequential(nn.Linear(512, 4), nn.Sigmoid())
        self.attr_head = nn.Linear(512, len(ATTRIBUTES))

    def forward(self, x):
        f = self.trunk(x)
        return self.cls_head(f), self.box_head(f), self.attr_head(f)


def save_preview(model, ds, epoch, n=4):
    model.eval()
    os.makedirs("previews", exist_ok=True)
    with torch.no_grad():
        for i in range(n):
            image, _, gt_box, _ = ds[i]
            _, pred_box, _ = model(image.unsqueeze(0))
            canvas = (image * 255).to(torch.uint8)
            canvas = draw_bounding_boxes(canvas, gt_box.unsqueeze(0) * IMG, colors="lime", width=2)
            canvas = draw_bounding_boxes(canvas, pred_box * IMG, colors="red", width=2)
            write_png(canvas, f"previews/epoch{epoch}_{i}.png")


def main():
    torch.manual_seed(0)
    ds = ShelfItems("labels/export.csv", "labels/images")
    loader = DataLoader(ds, batch_size=6, shuffle=True)
    model = MultiTaskNet()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-4)
    for epoch in range(1, 11):
        model.train()
        for images, cats, boxes, attrs in tqdm(loader, desc=f"epoch {epoch}"):
            cls_logits, box_pred, attr_logits = model(images)
            loss = (F.cross_entropy(cls_logits, cats) + 5.0 * F.l1_loss(box_pred, boxes)
                    + F.binary_cross_entropy_with_logits(attr_logits, attrs))
            opt.zero_grad()
            loss.backward()
            opt.step()
        save_preview(model, ds, epoch)


if __name__ == "__main__":
    main()
'''

SHELF_ITEMS_PREP = '''
import csv
import os
import numpy as np
from PIL import Image

# the labelling tool's CSV export: bbox_x, bbox_y = top-left corner, bbox_w, bbox_h = size (normalised)
rng = np.random.default_rng(5)
os.makedirs("labels/images", exist_ok=True)
cats = ["bottle", "box", "can", "jar"]
attrs = ["glass", "plastic", "metal", "label_visible"]
rows = []
for i in range(12):
    name = f"shelf_{i:03d}.jpg"
    Image.fromarray(rng.integers(0, 256, (240, 320, 3), dtype=np.uint8)).save(f"labels/images/{name}")
    x, y = rng.uniform(0.35, 0.6), rng.uniform(0.3, 0.55)
    w, h = rng.uniform(0.15, 0.3), rng.uniform(0.2, 0.4)
    row = {"image": name, "category": cats[i % 4], "bbox_x": round(x, 4), "bbox_y": round(y, 4),
           "bbox_w": round(w, 4), "bbox_h": round(h, 4)}
    row.update({a: int(rng.random() < 0.5) for a in attrs})
    rows.append(row)
with open("labels/export.csv", "w", newline="") as f:
    wr = csv.DictWriter(f, fieldnames=list(rows[0]))
    wr.writeheader()
    wr.writerows(rows)
'''

# ================================================================== model
SCRIPTS["image-plus-listing-metadata-fusion-head-sized-before-category-one-hot"] = '''
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T

CATEGORIES = ["furniture", "lighting", "kitchen", "textiles", "decor"]
QUALITY = ["ok", "blurry_photo", "misleading_photo"]
NUM_META = 3   # price, weight, seller rating


class Listings(Dataset):
    def __init__(self, csv_path, transform):
        with open(csv_path, newline="") as f:
            self.rows = list(csv.DictReader(f))
        self.transform = transform

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        image = self.transform(Image.open(r["image"]).convert("RGB"))
        numeric = [float(r["price"]) / 100.0, float(r["weight_kg"]), float(r["seller_rating"]) / 5.0]
        category = F.one_hot(torch.tensor(CATEGORIES.index(r["category"])), len(CATEGORIES)).float()
        meta = torch.cat([torch.tensor(numeric), category])
        return image, meta, QUALITY.index(r["quality"])


class ImageMetaNet(nn.Module):
    def __init__(self, num_classes):
        super().__init__()
        cnn = models.resnet18(weights=None)
        cnn.fc = nn.Identity()
        self.cnn = cnn
        self.fusion = nn.Sequential(
            nn.Linear(512 + NUM_META, 128), nn.ReLU(), nn.Dropout(0.2), nn.Linear(128, num_classes))

    def forward(self, image, meta):
        return self.fusion(torch.cat([self.cnn(image), meta], dim=1))


def main():
    torch.manual_seed(0)
    tf = T.Compose([T.Resize((112, 112)), T.ToTensor(), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
    ds = Listings("listings.csv", tf)
    loader = DataLoader(ds, batch_size=8, shuffle=True)
    model = ImageMetaNet(len(QUALITY))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(8):
        for images, meta, y in loader:
            loss = F.cross_entropy(model(images, meta), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"epoch {epoch + 1}: loss {loss.item():.3f}")


if __name__ == "__main__":
    main()
'''

LISTINGS_PREP = '''
import csv
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(8)
os.makedirs("listing_photos", exist_ok=True)
cats = ["furniture", "lighting", "kitchen", "textiles", "decor"]
quality = ["ok", "blurry_photo", "misleading_photo"]
rows = []
for i in range(16):
    p = f"listing_photos/listing_{1000 + i}.jpg"
    Image.fromarray(rng.integers(0, 256, (120, 160, 3), dtype=np.uint8)).save(p)
    rows.append({"image": p, "price": round(float(rng.uniform(5, 400)), 2),
                 "weight_kg": round(float(rng.uniform(0.1, 20)), 2),
                 "seller_rating": round(float(rng.uniform(2.5, 5)), 1),
                 "category": cats[i % 5], "quality": quality[i % 3]})
with open("listings.csv", "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0]))
    w.writeheader()
    w.writerows(rows)
'''

SCRIPTS["feature-distillation-resnet50-teacher-mobilenet-student-no-projection-tqdm"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T
from tqdm import tqdm

ALPHA, BETA = 1.0, 10.0   # CE weight, feature-hint weight

tf = T.Compose([T.Resize((96, 96)), T.ToTensor(), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
train_ds = datasets.ImageFolder("products/train", transform=tf)
loader = DataLoader(train_ds, batch_size=8, shuffle=True)
num_classes = len(train_ds.classes)

teacher = models.resnet50(weights=None, num_classes=num_classes)
teacher.load_state_dict(torch.load("teachers/resnet50_categories.pth"))
teacher.eval()
teacher_features = nn.Sequential(*list(teacher.children())[:-1])   # everything up to the pooled features

student = models.mobilenet_v3_small(weights=None, num_classes=num_classes)


def student_forward(x):
    f = torch.flatten(student.avgpool(student.features(x)), 1)
    return f, student.classifier(f)


opt = torch.optim.AdamW(student.parameters(), lr=1e-3)
for epoch in range(10):
    student.train()
    pbar = tqdm(loader, desc=f"distill {epoch + 1}/10")
    for x, y in pbar:
        with torch.no_grad():
            t_feat = torch.flatten(teacher_features(x), 1)
        s_feat, s_logits = student_forward(x)
        loss = ALPHA * F.cross_entropy(s_logits, y) + BETA * F.mse_loss(s_feat, t_feat)
        opt.zero_grad()
        loss.backward()
        opt.step()
        pbar.set_postfix(loss=f"{loss.item():.3f}")
torch.save(student.state_dict(), "student_mobilenet_v3_small.pth")
'''

MODEL_PY = '''
import torch.nn as nn
from torchvision import models


class MultiTaskNet(nn.Module):
    """shared ResNet-18 trunk, a category head and a multi-label attribute head"""

    def __init__(self, num_classes, num_attributes):
        super().__init__()
        trunk = models.resnet18(weights=None)
        trunk.fc = nn.Identity()
        self.trunk = trunk
        self.cls_head = nn.Linear(512, num_classes)
        self.attr_head = nn.Sequential(nn.Dropout(0.2), nn.Linear(512, num_attributes))

    def forward(self, x):
        f = self.trunk(x)
        return self.cls_head(f), self.attr_head(f)
'''

SCRIPTS["multitask-stage2-resumes-stage1-checkpoint-after-attribute-list-grew"] = '''
import argparse

import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms as T

from model import MultiTaskNet

parser = argparse.ArgumentParser()
parser.add_argument("--init", default="runs/stage1/best.pt")
parser.add_argument("--lr", type=float, default=1e-4)
parser.add_argument("--epochs", type=int, default=5)
args = parser.parse_args()

with open("attributes.txt") as f:
    ATTRIBUTES = [line.strip() for line in f if line.strip()]
tf = T.Compose([T.Resize((112, 112)), T.ToTensor()])
train_ds = datasets.ImageFolder("furniture/train", transform=tf)
print(f"{len(train_ds)} images, {len(train_ds.classes)} classes, {len(ATTRIBUTES)} attributes")
loader = DataLoader(train_ds, batch_size=8, shuffle=True)

model = MultiTaskNet(len(train_ds.classes), len(ATTRIBUTES))
ckpt = torch.load(args.init)
model.load_state_dict(ckpt["model"])
print(f"initialised from {args.init} (epoch {ckpt['epoch']}, val acc {ckpt['val_acc']:.3f})")
opt = torch.optim.Adam(model.parameters(), lr=args.lr)
for epoch in range(args.epochs):
    for x, y in loader:
        logits, _ = model(x)
        loss = F.cross_entropy(logits, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

STAGE1_PREP = '''
import os
import sys
import torch

sys.path.insert(0, ".")
from model import MultiTaskNet

# stage 1 was trained with the first six attributes
torch.manual_seed(0)
m = MultiTaskNet(4, 6)
os.makedirs("runs/stage1", exist_ok=True)
torch.save({"model": m.state_dict(), "epoch": 23, "val_acc": 0.871}, "runs/stage1/best.pt")
'''

SCRIPTS["triplet-with-distance-loss-given-pairwise-distance-class"] = '''
import glob
import os
import random

import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T


class TripletProducts(Dataset):
    def __init__(self, root, transform):
        self.paths = sorted(glob.glob(f"{root}/*/*.jpg"))
        self.labels = [os.path.basename(os.path.dirname(p)) for p in self.paths]
        self.by_label = {}
        for i, l in enumerate(self.labels):
            self.by_label.setdefault(l, []).append(i)
        self.transform = transform

    def __len__(self):
        return len(self.paths)

    def load(self, i):
        return self.transform(Image.open(self.paths[i]).convert("RGB"))

    def __getitem__(self, i):
        label = self.labels[i]
        pos = random.choice([j for j in self.by_label[label] if j != i])
        neg_label = random.choice([l for l in self.by_label if l != label])
        neg = random.choice(self.by_label[neg_label])
        return self.load(i), self.load(pos), self.load(neg)


def main():
    random.seed(0)
    torch.manual_seed(0)
    tf = T.Compose([T.Resize((112, 112)), T.RandomHorizontalFlip(), T.ToTensor()])
    loader = DataLoader(TripletProducts("catalog", tf), batch_size=8, shuffle=True)
    net = models.resnet18(weights=None)
    net.fc = nn.Linear(512, 128)
    # Euclidean distance between the embeddings, margin tuned on the validation pairs
    criterion = nn.TripletMarginWithDistanceLoss(distance_function=nn.PairwiseDistance, margin=0.3)
    opt = torch.optim.Adam(net.parameters(), lr=1e-4)
    for epoch in range(10):
        for a, p, n in loader:
            loss = criterion(net(a), net(p), net(n))
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"epoch {epoch + 1}: triplet loss {loss.item():.4f}")


if __name__ == "__main__":
    main()
'''

SCRIPTS["knn-search-cosine-similarity-queries-against-gallery"] = '''
import argparse
import glob

import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torchvision import models, transforms as T

parser = argparse.ArgumentParser(description="find the closest catalogue products for customer photos")
parser.add_argument("--gallery", default="catalog")
parser.add_argument("--queries", default="customer_photos")
parser.add_argument("--weights", default="embedder_resnet18.pt")
parser.add_argument("-k", type=int, default=5)
args = parser.parse_args()

tf = T.Compose([T.Resize((128, 128)), T.ToTensor(), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
model = models.resnet18(weights=None)
model.fc = nn.Identity()
model.load_state_dict(torch.load(args.weights))
model.eval()


@torch.no_grad()
def embed(paths, batch_size=16):
    out = []
    for i in range(0, len(paths), batch_size):
        batch = torch.stack([tf(Image.open(p).convert("RGB")) for p in paths[i:i + batch_size]])
        out.append(F.normalize(model(batch), dim=1))
    return torch.cat(out)


gallery_paths = sorted(glob.glob(f"{args.gallery}/*/*.jpg"))
query_paths = sorted(glob.glob(f"{args.queries}/*.jpg"))
gallery = embed(gallery_paths)
queries = embed(query_paths)
print(f"gallery {tuple(gallery.shape)}, queries {tuple(queries.shape)}")

# brute-force nearest neighbours, no FAISS needed at this size
sims = F.cosine_similarity(queries, gallery)
scores, idx = sims.topk(args.k, dim=1)
for q, row, sc in zip(query_paths, idx.tolist(), scores.tolist()):
    print(q)
    for j, s in zip(row, sc):
        print(f"    {s:.3f}  {gallery_paths[j]}")
'''

SCRIPTS["balanced-weighted-sampler-twice-the-data-without-replacement-tqdm"] = '''
from collections import Counter

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, WeightedRandomSampler
from torchvision import datasets, models, transforms as T
from tqdm import tqdm

tf = T.Compose([T.Resize((96, 96)), T.RandomHorizontalFlip(), T.ToTensor()])
train_ds = datasets.ImageFolder("returns/train", transform=tf)
counts = Counter(train_ds.targets)
print({train_ds.classes[c]: n for c, n in sorted(counts.items())})

# class-balanced sampling: each image weighted by 1 / its class size
sample_weights = torch.tensor([1.0 / counts[t] for t in train_ds.targets], dtype=torch.double)
sampler = WeightedRandomSampler(sample_weights, num_samples=2 * len(train_ds),  # oversample the rare classes
                                replacement=False)                           # but no duplicate images
loader = DataLoader(train_ds, batch_size=8, sampler=sampler)

model = models.resnet18(weights=None, num_classes=len(train_ds.classes))
criterion = nn.CrossEntropyLoss()
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for epoch in range(10):
    model.train()
    for x, y in tqdm(loader, desc=f"epoch {epoch + 1}"):
        loss = criterion(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

# ================================================================== optimisation
SCRIPTS["siamese-embeddings-l2-normalised-in-place-tqdm"] = '''
import glob
import os
import random

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T
from tqdm import tqdm


class ProductPairs(Dataset):
    """random same / different product pairs from catalog/<sku>/*.jpg"""

    def __init__(self, root, transform, n_pairs=48):
        self.paths = sorted(glob.glob(f"{root}/*/*.jpg"))
        self.sku = [os.path.basename(os.path.dirname(p)) for p in self.paths]
        self.transform = transform
        rng = random.Random(0)
        self.pairs = []
        for _ in range(n_pairs):
            i = rng.randrange(len(self.paths))
            if rng.random() < 0.5:
                j = rng.choice([k for k in range(len(self.paths)) if self.sku[k] == self.sku[i] and k != i])
            else:
                j = rng.choice([k for k in range(len(self.paths)) if self.sku[k] != self.sku[i]])
            self.pairs.append((i, j, float(self.sku[i] == self.sku[j])))

    def __len__(self):
        return len(self.pairs)

    def __getitem__(self, n):
        i, j, same = self.pairs[n]
        load = lambda k: self.transform(Image.open(self.paths[k]).convert("RGB"))
        return load(i), load(j), torch.tensor(same)


class SiameseNet(nn.Module):
    def __init__(self, dim=128):
        super().__init__()
        self.backbone = models.resnet18(weights=None)
        self.backbone.fc = nn.Linear(512, dim)

    def embed(self, x):
        e = self.backbone(x)
        e /= e.norm(dim=1, keepdim=True)   # unit-length embeddings
        return e

    def forward(self, a, b):
        return self.embed(a), self.embed(b)


def contrastive_loss(ea, eb, same, margin=0.5):
    d = (ea - eb).pow(2).sum(1).clamp_min(1e-12).sqrt()
    return (same * d.pow(2) + (1 - same) * (margin - d).clamp_min(0).pow(2)).mean()


def main():
    torch.manual_seed(0)
    tf = T.Compose([T.Resize((112, 112)), T.ToTensor(), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
    loader = DataLoader(ProductPairs("catalog", tf), batch_size=8, shuffle=True)
    model = SiameseNet()
    opt = torch.optim.Adam(model.parameters(), lr=1e-4)
    for epoch in range(10):
        pbar = tqdm(loader, desc=f"epoch {epoch + 1}")
        for a, b, same in pbar:
            ea, eb = model(a, b)
            loss = contrastive_loss(ea, eb, same)
            opt.zero_grad()
            loss.backward()
            opt.step()
            pbar.set_postfix(loss=loss.item())


if __name__ == "__main__":
    main()
'''

SCRIPTS["multitask-class-box-attr-losses-backward-one-by-one-tqdm"] = '''
import csv
import os

import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T
from torchvision.ops import box_convert, generalized_box_iou_loss
from tqdm import tqdm

CATEGORIES = ["bottle", "box", "can", "jar"]
ATTRIBUTES = ["glass", "plastic", "metal", "label_visible"]
LOSS_WEIGHTS = {"cls": 1.0, "box": 2.0, "attr": 0.5}


class ShelfItems(Dataset):
    def __init__(self, csv_path, img_dir):
        with open(csv_path, newline="") as f:
            self.rows = list(csv.DictReader(f))
        self.img_dir = img_dir
        self.tf = T.Compose([T.Resize((160, 160)), T.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        image = self.tf(Image.open(os.path.join(self.img_dir, r["image"])).convert("RGB"))
        xywh = torch.tensor([float(r[k]) for k in ("bbox_x", "bbox_y", "bbox_w", "bbox_h")])
        box = box_convert(xywh, "xywh", "xyxy")
        attrs = torch.tensor([float(r[a]) for a in ATTRIBUTES])
        return image, CATEGORIES.index(r["category"]), box, attrs


class MultiTaskNet(nn.Module):
    def __init__(self):
        super().__init__()
        trunk = models.resnet18(weights=None)
        trunk.fc = nn.Identity()
        self.trunk = trunk
        self.cls_head = nn.Linear(512, len(CATEGORIES))
        self.box_head = nn.Linear(512, 4)
        self.attr_head = nn.Linear(512, len(ATTRIBUTES))

    def forward(self, x):
        f = self.trunk(x)
        cxcywh = torch.sigmoid(self.box_head(f))
        return self.cls_head(f), box_convert(cxcywh, "cxcywh", "xyxy"), self.attr_head(f)


def main():
    torch.manual_seed(0)
    ds = ShelfItems("labels/export.csv", "labels/images")
    loader = DataLoader(ds, batch_size=6, shuffle=True)
    model = MultiTaskNet()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-4)
    for epoch in range(10):
        model.train()
        pbar = tqdm(loader, desc=f"epoch {epoch + 1}")
        for images, cats, boxes, attrs in pbar:
            cls_logits, pred_boxes, attr_logits = model(images)
            losses = {
                "cls": F.cross_entropy(cls_logits, cats),
                "box": generalized_box_iou_loss(pred_boxes, boxes, reduction="mean"),
                "attr": F.binary_cross_entropy_with_logits(attr_logits, attrs),
            }
            opt.zero_grad()
            # each task's gradient scaled by its own weight
            for name, loss in losses.items():
                (LOSS_WEIGHTS[name] * loss).backward()
            opt.step()
            pbar.set_postfix({k: f"{v.item():.3f}" for k, v in losses.items()})


if __name__ == "__main__":
    main()
'''

SCRIPTS["softmax-hard-negative-sampling-raw-pixels-high-lr-multinomial"] = '''
import glob
import os
import random

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset, Sampler


class CatalogImages(Dataset):
    def __init__(self, root, size=64):
        self.paths = sorted(glob.glob(f"{root}/*/*.jpg"))
        skus = sorted({os.path.basename(os.path.dirname(p)) for p in self.paths})
        self.labels = [skus.index(os.path.basename(os.path.dirname(p))) for p in self.paths]
        self.size = size

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        img = Image.open(self.paths[i]).convert("RGB").resize((self.size, self.size))
        x = torch.from_numpy(np.asarray(img, dtype=np.float32)).permute(2, 0, 1)
        return x, self.labels[i]


class PKSampler(Sampler):
    """P products x K images per batch"""

    def __init__(self, labels, p=4, k=2, batches=12, seed=0):
        self.index = {}
        for i, l in enumerate(labels):
            self.index.setdefault(l, []).append(i)
        self.p, self.k, self.batches = p, k, batches
        self.rng = random.Random(seed)

    def __iter__(self):
        for _ in range(self.batches):
            for prod in self.rng.sample(sorted(self.index), self.p):
                yield from self.rng.sample(self.index[prod], self.k)

    def __len__(self):
        return self.batches * self.p * self.k


def sample_negatives(emb, labels, tau=0.1):
    """for every anchor draw a negative, closer negatives more likely (soft hard-negative mining)"""
    dist = torch.cdist(emb, emb)
    same = labels[:, None] == labels[None, :]
    logits = (-dist / tau).masked_fill(same, float("-inf"))
    probs = torch.softmax(logits, dim=1)
    return torch.multinomial(probs, 1).squeeze(1)


def main():
    torch.manual_seed(0)
    ds = CatalogImages("catalog")
    loader = DataLoader(ds, batch_size=8, sampler=PKSampler(ds.labels))
    net = nn.Sequential(
        nn.Conv2d(3, 32, 3, stride=2, padding=1), nn.ReLU(),
        nn.Conv2d(32, 64, 3, stride=2, padding=1), nn.ReLU(),
        nn.Conv2d(64, 128, 3, stride=2, padding=1), nn.ReLU(),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(128, 64))
    opt = torch.optim.SGD(net.parameters(), lr=0.5, momentum=0.9)
    for epoch in range(20):
        for step, (x, y) in enumerate(loader):
            emb = net(x)
            pos = torch.tensor([next(j for j in range(len(y)) if y[j] == y[i] and j != i) for i in range(len(y))])
            neg = sample_negatives(emb.detach(), y)
            loss = F.triplet_margin_loss(emb, emb[pos], emb[neg], margin=1.0)
            opt.zero_grad()
            loss.backward()
            opt.step()
            print(f"epoch {epoch + 1} step {step}: loss {loss.item():.4g}")


if __name__ == "__main__":
    main()
'''

SCRIPTS["distillation-student-forward-inside-teacher-no-grad-tqdm"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T
from tqdm import tqdm

T_KD, ALPHA = 4.0, 0.7


def kd_loss(student_logits, teacher_logits, labels):
    soft = F.kl_div(F.log_softmax(student_logits / T_KD, dim=1), F.softmax(teacher_logits / T_KD, dim=1),
                    reduction="batchmean") * T_KD * T_KD
    return ALPHA * soft + (1 - ALPHA) * F.cross_entropy(student_logits, labels)


def main():
    torch.manual_seed(0)
    tf = T.Compose([T.Resize((96, 96)), T.ToTensor(), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
    train_ds = datasets.ImageFolder("products/train", transform=tf)
    loader = DataLoader(train_ds, batch_size=8, shuffle=True)
    teacher = models.resnet50(weights=None, num_classes=len(train_ds.classes))
    teacher.load_state_dict(torch.load("teachers/resnet50_categories.pth"))
    teacher.eval()
    student = models.resnet18(weights=None, num_classes=len(train_ds.classes))
    opt = torch.optim.SGD(student.parameters(), lr=0.05, momentum=0.9, weight_decay=1e-4)
    for epoch in range(15):
        student.train()
        pbar = tqdm(loader, desc=f"KD epoch {epoch + 1}")
        for x, y in pbar:
            with torch.no_grad():
                teacher_logits = teacher(x)
                student_logits = student(x)
            loss = kd_loss(student_logits, teacher_logits, y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            pbar.set_postfix(loss=f"{loss.item():.3f}")


if __name__ == "__main__":
    main()
'''

# ================================================================== resource / environment / other
SCRIPTS["teacher-feature-maps-preallocated-for-catalogue-job-memory-limit"] = '''
import resource

# the shared training box caps every job's memory at 3 GB
_, hard = resource.getrlimit(resource.RLIMIT_DATA)
resource.setrlimit(resource.RLIMIT_DATA, (3 * 1024 ** 3, hard))

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T
from tqdm import tqdm

tf = T.Compose([T.Resize((224, 224)), T.ToTensor(), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
catalogue = datasets.ImageFolder("catalogue", transform=tf)
print(f"{len(catalogue)} catalogue images in {len(catalogue.classes)} categories")

teacher = models.resnet50(weights=None, num_classes=len(catalogue.classes))
teacher.load_state_dict(torch.load("teachers/resnet50_categories.pth"))
teacher.eval()
trunk = nn.Sequential(*list(teacher.children())[:-2])   # layer4 maps, 2048 x 7 x 7

# run the teacher once over the catalogue and keep its layer4 maps as the distillation targets,
# so that the student epochs do not pay for the ResNet-50 forward again
teacher_maps = torch.zeros(len(catalogue), 2048, 7, 7)
loader = DataLoader(catalogue, batch_size=32, shuffle=False, num_workers=2)
with torch.no_grad():
    start = 0
    for x, _ in tqdm(loader, desc="teacher pass"):
        teacher_maps[start:start + len(x)] = trunk(x)
        start += len(x)
torch.save(teacher_maps, "teacher_layer4_maps.pt")
'''

CATALOGUE_PREP = '''
import os
import numpy as np
from PIL import Image

# 10,000 small catalogue thumbnails in six categories
rng = np.random.default_rng(0)
cats = ["bags", "boots", "jackets", "lamps", "mugs", "sneakers"]
for c in cats:
    os.makedirs(f"catalogue/{c}", exist_ok=True)
base = [Image.fromarray(rng.integers(0, 256, (32, 32, 3), dtype=np.uint8)) for _ in range(16)]
for i in range(10000):
    base[i % 16].save(f"catalogue/{cats[i % 6]}/{i:05d}.jpg", quality=70)
'''

SCRIPTS["pk-pair-dataset-per-product-generator-streams-spawn-workers"] = '''
import glob
import os
import random

import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T


def endless(indices, seed):
    """yield the product's images forever, reshuffled after each pass"""
    rng = random.Random(seed)
    indices = list(indices)
    while True:
        rng.shuffle(indices)
        yield from indices


class OnlinePairs(Dataset):
    """each item: an image of a product and another image of the same product (the positive)"""

    def __init__(self, root, transform):
        self.paths = sorted(glob.glob(f"{root}/*/*.jpg"))
        self.sku = [os.path.basename(os.path.dirname(p)) for p in self.paths]
        by_sku = {}
        for i, s in enumerate(self.sku):
            by_sku.setdefault(s, []).append(i)
        # round-robin over each product's images so every positive gets used
        self.streams = {s: endless(idx, seed=k) for k, (s, idx) in enumerate(sorted(by_sku.items()))}
        self.transform = transform

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        j = next(self.streams[self.sku[i]])
        if j == i:
            j = next(self.streams[self.sku[i]])
        load = lambda k: self.transform(Image.open(self.paths[k]).convert("RGB"))
        return load(i), load(j)


def info_nce(za, zb, tau=0.1):
    logits = F.normalize(za, dim=1) @ F.normalize(zb, dim=1).T / tau
    return F.cross_entropy(logits, torch.arange(len(za)))


def main():
    torch.manual_seed(0)
    tf = T.Compose([T.RandomResizedCrop(112, scale=(0.6, 1.0)), T.ToTensor()])
    ds = OnlinePairs("catalog", tf)
    # same settings as on my MacBook, where the notebook started
    loader = DataLoader(ds, batch_size=8, shuffle=True, num_workers=2, multiprocessing_context="spawn",
                        persistent_workers=True)
    net = models.resnet18(weights=None)
    net.fc = nn.Linear(512, 128)
    opt = torch.optim.Adam(net.parameters(), lr=3e-4)
    for epoch in range(10):
        for a, b in loader:
            loss = info_nce(net(a), net(b))
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"epoch {epoch + 1}: {loss.item():.4f}")


if __name__ == "__main__":
    main()
'''

SPLITS_PY = '''
"""train / gallery split by product, so that no product is in both (adapted from torch.utils.data.random_split)"""
from torch import default_generator, randperm
from torch._utils import _accumulate
from torch.utils.data import Subset


def split_by_product(dataset, product_of, lengths, generator=default_generator):
    products = sorted(set(product_of))
    if sum(lengths) != len(products):
        raise ValueError("Sum of input lengths does not equal the number of products!")
    order = randperm(len(products), generator=generator).tolist()
    splits = []
    for offset, length in zip(_accumulate(lengths), lengths):
        chosen = {products[k] for k in order[offset - length:offset]}
        splits.append(Subset(dataset, [i for i, p in enumerate(product_of) if p in chosen]))
    return splits
'''

SCRIPTS["per-product-split-helper-copied-from-old-random-split-accumulate"] = '''
import os

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

from utils.splits import split_by_product

tf = T.Compose([T.Resize((112, 112)), T.ToTensor()])
full = datasets.ImageFolder("catalog", transform=tf)
product_of = [os.path.basename(os.path.dirname(p)) for p, _ in full.samples]
train_ds, gallery_ds = split_by_product(full, product_of, [4, 2], generator=torch.Generator().manual_seed(0))
print(len(train_ds), "train images,", len(gallery_ds), "held-out gallery images")

net = models.resnet18(weights=None)
net.fc = nn.Linear(512, 128)
loader = DataLoader(train_ds, batch_size=8, shuffle=True)
'''

SCRIPTS["ddp-multitask-attribute-loss-skipped-for-unannotated-batches-torchrun"] = '''
import csv
import os

import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, Dataset
from torch.utils.data.distributed import DistributedSampler
from torchvision import models, transforms as T

CATEGORIES = ["chair", "sofa", "table", "lamp"]
ATTRIBUTES = ["wood", "metal", "fabric", "leather", "outdoor"]


class FurnitureListings(Dataset):
    """category for every photo; material attributes only where the merchandising team filled them in"""

    def __init__(self, csv_path):
        with open(csv_path, newline="") as f:
            self.rows = list(csv.DictReader(f))
        self.tf = T.Compose([T.Resize((96, 96)), T.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        image = self.tf(Image.open(r["image"]).convert("RGB"))
        if r["attributes"]:
            attrs = torch.tensor([float(a in r["attributes"].split("|")) for a in ATTRIBUTES])
        else:
            attrs = torch.full((len(ATTRIBUTES),), -1.0)   # not annotated
        return image, CATEGORIES.index(r["category"]), attrs


class MultiTaskNet(nn.Module):
    def __init__(self):
        super().__init__()
        trunk = models.resnet18(weights=None)
        trunk.fc = nn.Identity()
        self.trunk = trunk
        self.cls_head = nn.Linear(512, len(CATEGORIES))
        self.attr_head = nn.Linear(512, len(ATTRIBUTES))

    def forward(self, x):
        f = self.trunk(x)
        return self.cls_head(f), self.attr_head(f)


def main():
    dist.init_process_group("gloo")
    rank = dist.get_rank()
    torch.manual_seed(0)
    ds = FurnitureListings("listings.csv")
    sampler = DistributedSampler(ds, shuffle=False)
    loader = DataLoader(ds, batch_size=2, sampler=sampler)
    model = DDP(MultiTaskNet())
    opt = torch.optim.Adam(model.parameters(), lr=1e-4)
    for epoch in range(5):
        sampler.set_epoch(epoch)
        for step, (x, y, attrs) in enumerate(loader):
            cls_logits, attr_logits = model(x)
            loss = F.cross_entropy(cls_logits, y)
            annotated = attrs[:, 0] >= 0
            if annotated.any():
                loss = loss + F.binary_cross_entropy_with_logits(attr_logits[annotated], attrs[annotated])
            opt.zero_grad()
            loss.backward()
            opt.step()
            if rank == 0:
                print(f"epoch {epoch} step {step}: loss {loss.item():.4f}", flush=True)
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
'''

FURNITURE_PREP = '''
import csv
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(6)
os.makedirs("photos", exist_ok=True)
cats = ["chair", "sofa", "table", "lamp"]
attrs = ["wood", "metal", "fabric", "leather", "outdoor"]
rows = []
for i in range(16):
    p = f"photos/{i:04d}.jpg"
    Image.fromarray(rng.integers(0, 256, (100, 100, 3), dtype=np.uint8)).save(p)
    # the older listings (exported first) have no attribute annotations
    tagged = "" if i < 6 else "|".join(a for a in attrs if rng.random() < 0.4) or "wood"
    rows.append({"image": p, "category": cats[i % 4], "attributes": tagged})
with open("listings.csv", "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=["image", "category", "attributes"])
    w.writeheader()
    w.writerows(rows)
'''

SCRIPTS["distillation-teacher-checkpoint-from-gpu-server-on-cpu-laptop"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print("device:", device)

tf = T.Compose([T.Resize((96, 96)), T.ToTensor(), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
train_ds = datasets.ImageFolder("products/train", transform=tf)
loader = DataLoader(train_ds, batch_size=8, shuffle=True)

# teacher fine-tuned on the GPU server, copied over with scp
teacher = models.resnet50(weights=None, num_classes=len(train_ds.classes))
teacher.load_state_dict(torch.load("teachers/resnet50_server_run.pth"))
teacher.to(device).eval()

student = models.mobilenet_v3_small(weights=None, num_classes=len(train_ds.classes)).to(device)
opt = torch.optim.Adam(student.parameters(), lr=1e-3)
for epoch in range(10):
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        with torch.no_grad():
            t = teacher(x)
        s = student(x)
        loss = F.kl_div(F.log_softmax(s / 4, 1), F.softmax(t / 4, 1), reduction="batchmean") * 16
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

# a real torch.save file whose storages say cuda:0, as it comes off the GPU server (location tag relabelled)
GPU_TEACHER_PREP = '''
import os
import torch
import torchvision
import torch.serialization as S

S.location_tag = lambda storage: "cuda:0"
os.makedirs("teachers", exist_ok=True)
torch.manual_seed(0)
torch.save(torchvision.models.resnet50(num_classes=6).state_dict(), "teachers/resnet50_server_run.pth")
'''

CELLS["recall-at-k-python-list-of-gallery-skus-indexed-by-topk-notebook"] = [
    '''
import glob
import os

import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torchvision import models, transforms as T

tf = T.Compose([T.Resize((128, 128)), T.ToTensor(), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
model = models.resnet18(weights=None)
model.fc = nn.Identity()
model.load_state_dict(torch.load("embedder_resnet18.pt"))
model.eval()

@torch.no_grad()
def embed(paths):
    x = torch.stack([tf(Image.open(p).convert("RGB")) for p in paths])
    return F.normalize(model(x), dim=1)

gallery_paths = sorted(glob.glob("catalog/*/*.jpg"))
query_paths = sorted(glob.glob("customer_photos/*/*.jpg"))
gallery_skus = [os.path.basename(os.path.dirname(p)) for p in gallery_paths]
query_skus = [os.path.basename(os.path.dirname(p)) for p in query_paths]
gallery, queries = embed(gallery_paths), embed(query_paths)
gallery.shape, queries.shape
''',
    '''
# recall@k: is the right product among the k nearest catalogue images?
K = 5
sims = queries @ gallery.T
topk = sims.topk(K, dim=1).indices
retrieved = gallery_skus[topk]
recall = sum(q in r for q, r in zip(query_skus, retrieved)) / len(query_skus)
print(f"recall@{K}: {recall:.3f}")
''',
]

SCRIPTS["pk-sampler-index-keyed-by-sku-strings-looked-up-with-ints"] = '''
import csv
import random

import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset, Sampler
from torchvision import models, transforms as T


class ProductImages(Dataset):
    def __init__(self, csv_path, transform):
        with open(csv_path, newline="") as f:
            rows = list(csv.DictReader(f))
        self.paths = [r["path"] for r in rows]
        self.skus = [r["sku"] for r in rows]
        products = sorted(set(self.skus))
        self.targets = [products.index(s) for s in self.skus]
        self.transform = transform

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        return self.transform(Image.open(self.paths[i]).convert("RGB")), self.targets[i]


class PKSampler(Sampler):
    """P products x K images of each per batch, for batch-hard triplet mining"""

    def __init__(self, skus, p=3, k=2, seed=0):
        self.index = {}
        for i, sku in enumerate(skus):
            self.index.setdefault(sku, []).append(i)
        self.products = sorted({int(s) for s in skus})   # SKU numbers, in catalogue order
        self.p, self.k = p, k
        self.rng = random.Random(seed)

    def __iter__(self):
        order = self.products[:]
        self.rng.shuffle(order)
        for start in range(0, len(order) - self.p + 1, self.p):
            for sku in order[start:start + self.p]:
                yield from self.rng.sample(self.index[sku], self.k)

    def __len__(self):
        return (len(self.products) // self.p) * self.p * self.k


def batch_hard_triplet(emb, labels, margin=0.3):
    d = torch.cdist(emb, emb)
    same = labels[:, None] == labels[None, :]
    hardest_pos = (d * same).max(1).values
    hardest_neg = d.masked_fill(same, float("inf")).min(1).values
    return F.relu(hardest_pos - hardest_neg + margin).mean()


def main():
    torch.manual_seed(0)
    tf = T.Compose([T.Resize((112, 112)), T.ToTensor()])
    ds = ProductImages("data/train.csv", tf)
    loader = DataLoader(ds, batch_size=6, sampler=PKSampler(ds.skus))
    net = models.resnet18(weights=None)
    net.fc = nn.Linear(512, 128)
    opt = torch.optim.Adam(net.parameters(), lr=3e-4)
    for epoch in range(10):
        for x, y in loader:
            loss = batch_hard_triplet(F.normalize(net(x), dim=1), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"epoch {epoch + 1}: {loss.item():.4f}")


if __name__ == "__main__":
    main()
'''


def catalog(per=4, size=(120, 120), root="catalog"):
    return class_folder(root, SKUS, per, size=size)


def cases():
    out, add, script, notebook = case_builders("torch-more63-", SCRIPTS, CELLS)
    W = ("cpython_basic", "dataloader_worker")
    P = ("cpython_basic", "progress_bars")
    NBP = ("ipython_cell", "ipython_arrows", "progress_bars")
    TR = ("-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2")
    products = imgs(class_folder("products/train", CATEGORIES, 3, size=(110, 110)))

    # ---- data
    script("triplet-hard-negatives-cached-at-mining-resolution-tqdm", "data.image_size_mismatch", forms=P,
           setup=both(imgs(catalog()), prep(MINED_PREP)))
    notebook("gallery-index-read-image-grayscale-line-drawings-notebook", "data.image_channels", forms=NBP,
             setup=both(gallery_setup, prep(EMBEDDER_PREP)))
    script("product-matching-arcface-head-raw-sku-numbers", "data.label_out_of_range",
           also=["model.output_mismatch"], setup=prep(SKU_CSV_PREP))
    script("multilabel-attributes-list-from-getitem-stacked-transposed-tqdm", "data.label_shape", forms=P,
           setup=prep(TAGS_PREP))
    notebook("coral-ordinal-grade-levels-bool-targets-notebook", "data.dtype", forms=NBP,
             setup=imgs(class_folder("phone_grades/train", [f"grade_{g}" for g in range(1, 6)], 3, size=(100, 120))))
    script("siamese-match-pairs-csv-scraped-html-error-pages-workers", "data.missing_or_corrupt", forms=W,
           setup=prep(PAIRS_PREP))
    script("multitask-box-attrs-label-tool-xywh-read-as-corners-preview-tqdm", "data.bbox_invalid", forms=P,
           setup=prep(SHELF_ITEMS_PREP))
    # ---- model
    script("image-plus-listing-metadata-fusion-head-sized-before-category-one-hot", "model.input_shape",
           setup=prep(LISTINGS_PREP))
    script("feature-distillation-resnet50-teacher-mobilenet-student-no-projection-tqdm", "model.output_mismatch",
           also=["model.input_shape"], forms=P, argv="distill.py", setup=both(products, prep(TEACHER_PREP)))
    script("multitask-stage2-resumes-stage1-checkpoint-after-attribute-list-grew", "model.weights_mismatch",
           argv="train_stage2.py",
           extra={"model.py": MODEL_PY,
                  "attributes.txt": "solid_wood\nveneer\nmetal_legs\nupholstered\nleather\nglass_top\n"
                                    "outdoor\nfoldable\n"},
           setup=both(imgs(class_folder("furniture/train", ["armchair", "bed", "desk", "sofa"], 3, size=(100, 100))),
                      prep(STAGE1_PREP)))
    script("triplet-with-distance-loss-given-pairwise-distance-class", "model.api_misuse", setup=imgs(catalog()))
    script("knn-search-cosine-similarity-queries-against-gallery", "model.api_misuse", argv="search.py",
           setup=both(imgs(catalog(per=2) + [(f"customer_photos/IMG_{i:04d}.jpg", (160, 120), "RGB")
                                             for i in range(4)]), prep(EMBEDDER_PREP)))
    script("balanced-weighted-sampler-twice-the-data-without-replacement-tqdm", "model.api_misuse", forms=P,
           setup=imgs([(f"returns/train/{c}/{c}_{i:03d}.jpg", (100, 100), "RGB")
                       for c, n in [("damaged", 3), ("ok", 12), ("wrong_item", 2)] for i in range(n)]))
    # ---- optimisation
    script("siamese-embeddings-l2-normalised-in-place-tqdm", "optim.autograd_graph", forms=P, setup=imgs(catalog()))
    script("multitask-class-box-attr-losses-backward-one-by-one-tqdm", "optim.autograd_graph", forms=P,
           setup=prep(SHELF_ITEMS_PREP))
    script("softmax-hard-negative-sampling-raw-pixels-high-lr-multinomial", "optim.divergence",
           setup=imgs(catalog(size=(80, 80))))
    script("distillation-student-forward-inside-teacher-no-grad-tqdm", "optim.autograd_graph", forms=P,
           argv="distill.py", setup=both(products, prep(TEACHER_PREP)))
    # ---- resource / environment / other
    script("teacher-feature-maps-preallocated-for-catalogue-job-memory-limit", "resource.host_memory",
           argv="precompute_teacher.py", setup=both(prep(CATALOGUE_PREP), prep(TEACHER_PREP)), timeout=400)
    script("pk-pair-dataset-per-product-generator-streams-spawn-workers", "env.multiprocessing",
           setup=imgs(catalog()))
    script("per-product-split-helper-copied-from-old-random-split-accumulate", "env.version_incompat",
           extra={"utils/__init__.py": "", "utils/splits.py": SPLITS_PY}, setup=imgs(catalog(per=2)))
    script("ddp-multitask-attribute-loss-skipped-for-unannotated-batches-torchrun", "env.distributed",
           argv="train_ddp.py", pre=TR, setup=prep(FURNITURE_PREP), timeout=300,
           exception="RuntimeError")  # the rank's own error; torchrun's ChildFailedError only reports it
    script("distillation-teacher-checkpoint-from-gpu-server-on-cpu-laptop", "env.cuda_setup",
           also=["env.device_mismatch"], argv="distill.py", setup=both(products, prep(GPU_TEACHER_PREP)))
    notebook("recall-at-k-python-list-of-gallery-skus-indexed-by-topk-notebook", "other",
             also=["model.api_misuse"],
             setup=both(imgs(catalog(per=2) + class_folder("customer_photos", SKUS[:3], 1, size=(160, 120))),
                        prep(EMBEDDER_PREP)))
    script("pk-sampler-index-keyed-by-sku-strings-looked-up-with-ints", "other", setup=prep(SKU_CSV_PREP))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
