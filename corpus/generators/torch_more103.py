"""A hundred-and-third held-out set (g194, scored 1.00 top-1 and 1.00 top-3 before any rule for it) of PyTorch / torchvision / ImageAI 3 failures from small e-commerce and second-hand resale sellers, untargeted across the taxonomy.

The persona: one- to three-person online shops and second-hand resale sellers (clothes, shoes, bags, vintage
homeware) -- product photos shot on phones and in a light box (some tethered, exported as 16-bit TIFFs),
background-removed cut-out PNGs from web tools, listing photos and prices scraped from marketplaces and other
shops' CDNs, category / condition classifiers, brand-logo and defect (stain, hole, pilling, scratch) detectors with
ImageAI 3.0.3 and torchvision Faster R-CNN, a price suggester, near-duplicate listing checks, SKU spreadsheets
exported from the shop system (Shopify-style product CSVs, prices in cents), labelling in Label Studio and a
home-made labelling script, a gaming PC with a consumer GPU for training and a laptop for everything else; the
scripts and notebooks are written by the sellers themselves from tutorials and blog posts. About a fifth of the
cases use ImageAI 3. A natural mix of causes, each program built so that its cause is known by construction and made
to fail inside torch, torchvision, ImageAI, PIL, NumPy or multiprocessing:

- images: cut-out PNGs trimmed to the product with ``Image.getbbox()`` then ``Resize(160)`` (an int: shorter side
  only), batched in workers (data.image_size_mismatch); listing JPEGs mixed with remove.bg RGBA PNGs read with
  ``torchvision.io.read_image`` (the stack error names 4 vs 3 channels, tqdm, data.image_channels); photos scraped
  from a Shopify shop's CDN saved under the URL's last path part, ``?v=`` query string and all, so ``ImageFolder``
  finds no valid file for that category (data.missing_or_corrupt); SKUs typed into the shop system with a trailing
  space, used to build photo paths (tqdm, data.missing_or_corrupt);
- labels: condition grades 1..5 from the shop export into ``F.one_hot(num_classes=5)`` for smoothed targets
  (data.label_out_of_range); Label Studio percent boxes converted with ``width`` / ``height`` taken as the second
  corner, into Faster R-CNN (data.bbox_invalid); each item's label returned as ``torch.tensor([label])`` so the
  batch target is ``[B, 1]`` (notebook, data.label_shape); remove.bg alpha channels kept as ``uint8`` masks for a
  home-made background remover's ``BCEWithLogitsLoss`` (data.dtype);
- models: image features concatenated with the shop export's numeric columns after the export gained a column
  (model.input_shape); a colour / style tag head still sized for 12 tags after two tags were added in the shop
  (tqdm, model.output_mismatch); a gaming-PC EfficientNet checkpoint whose whole ``classifier`` was replaced by one
  ``Linear``, loaded into ``efficientnet_b0(num_classes=6)`` (model.weights_mismatch); ``torch.optim.Adam`` given
  the model instead of its parameters (notebook, model.api_misuse);
- optimisation: an attention map zeroed outside the cut-out's alpha mask in place, on the sigmoid's output
  (optim.autograd_graph); a linear price suggester on the export's raw cents under anomaly mode (tqdm,
  optim.divergence);
- resource / environment: near-duplicate listing detection with the full listing-by-listing cosine similarity
  matrix (resource.host_memory); the gaming PC's AMP training script run on the laptop, warnings first
  (env.cuda_setup); an old dominant-colour tagging helper calling ``np.round_`` under NumPy 2 in DataLoader workers
  (env.version_incompat); a notebook Dataset under workers after ``set_start_method("spawn")``, so the workers cannot
  find the class (notebook, env.multiprocessing); a two-GPU DDP tutorial script run as one process on the
  one-GPU gaming PC, the store timing out (env.distributed);
- ImageAI 3: marketplace listing photos scraped as ``.webp`` given to ``detectObjectsFromImage`` (ImageAI's
  extension check leaves the image unbound, data.missing_or_corrupt); defect boxes dragged right-to-left in the
  home-made labelling script, giving negative YOLO widths (data.bbox_invalid); an ImageAI 2 blog's
  ``classifyImage(..., input_type="array")`` (env.version_incompat); ``sorted(glob(...))[-1]`` picking the
  condition classifier for the category JSON (re-raised as a plain ``Exception``, model.weights_mismatch); the
  light box's 16-bit TIFF exports read with ``cv2.IMREAD_UNCHANGED`` into ``classifyImage`` (data.dtype).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None: model files are
ones an earlier run left on disk).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more103.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


from _record import (Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders,  # noqa: E402,F401
                     yolo_layout, save_tiny, save_cls)
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more103.py"

SCRIPTS = {}
CELLS = {}

CATEGORIES = ["bags", "dresses", "jackets", "jeans", "shoes", "tops"]
CONDITIONS = ["fair", "good", "like_new", "new_with_tags"]

# ================================================================== images
# ------------------------------------------------------------------ cut-outs trimmed with getbbox, Resize(int)
CUTOUT_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(1)
# remove.bg exports: the product on a transparent canvas, wherever it stood in the light box
for c in ["bags", "jackets", "shoes"]:
    os.makedirs(f"cutouts/{c}", exist_ok=True)
    for i in range(6):
        canvas = np.zeros((400, 300, 4), dtype=np.uint8)
        h, w = int(rng.integers(120, 380)), int(rng.integers(90, 280))
        y, x = int(rng.integers(0, 400 - h)), int(rng.integers(0, 300 - w))
        canvas[y:y + h, x:x + w, :3] = rng.integers(0, 255, (h, w, 3), dtype=np.uint8)
        canvas[y:y + h, x:x + w, 3] = 255
        Image.fromarray(canvas, "RGBA").save(f"cutouts/{c}/{c}_{i:03d}-removebg-preview.png")
'''

SCRIPTS["cutouts-trimmed-to-getbbox-resize-int-workers"] = '''
import glob
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms

CLASSES = sorted(os.listdir("cutouts"))


class Cutouts(Dataset):
    def __init__(self, root):
        self.files = sorted(glob.glob(f"{root}/*/*.png"))
        self.tf = transforms.Compose([
            transforms.Resize(160),               # every product the same size
            transforms.ToTensor(),
            transforms.Normalize([0.5, 0.5, 0.5], [0.5, 0.5, 0.5]),
        ])

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        p = self.files[i]
        img = Image.open(p)
        img = img.crop(img.getbbox())             # trim the empty transparent border around the product
        white = Image.new("RGBA", img.size, (255, 255, 255, 255))
        img = Image.alpha_composite(white, img).convert("RGB")
        return self.tf(img), CLASSES.index(os.path.basename(os.path.dirname(p)))


if __name__ == "__main__":
    torch.manual_seed(0)
    loader = DataLoader(Cutouts("cutouts"), batch_size=6, shuffle=True, num_workers=2)
    model = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2), nn.ReLU(),
                          nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, len(CLASSES)))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(15):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"epoch {epoch}: loss {loss.item():.3f}")
'''

# ------------------------------------------------------------------ listing JPEGs + remove.bg PNGs via read_image
LISTING_MIX_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(2)
for c in ["dresses", "jeans", "tops"]:
    os.makedirs(f"listing_photos/{c}", exist_ok=True)
    for i in range(5):
        # phone shots from the listing
        Image.fromarray(rng.integers(0, 255, (240, 180, 3), dtype=np.uint8)).save(
            f"listing_photos/{c}/IMG_{4100 + 10 * i + len(c)}.jpg", quality=88)
    for i in range(2):
        # the same items through the background-removal site, saved next to them
        a = rng.integers(0, 255, (240, 180, 4), dtype=np.uint8)
        a[..., 3] = 0
        a[30:210, 30:150, 3] = 255
        Image.fromarray(a, "RGBA").save(f"listing_photos/{c}/IMG_{4100 + 10 * i + len(c)}_nobg.png")
'''

SCRIPTS["listing-jpegs-and-removebg-pngs-read-image-tqdm"] = '''
import glob
import os

import torch
import torch.nn as nn
from torch.utils.data import Dataset, DataLoader
from torchvision.io import read_image
from torchvision.transforms import v2
from tqdm import tqdm

CLASSES = ["dresses", "jeans", "tops"]


class ListingPhotos(Dataset):
    tf = v2.Compose([v2.Resize((128, 128), antialias=True), v2.ToDtype(torch.float32, scale=True)])

    def __init__(self, root):
        self.files = sorted(glob.glob(f"{root}/*/*.jpg") + glob.glob(f"{root}/*/*.png"))

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        p = self.files[i]
        return self.tf(read_image(p)), CLASSES.index(os.path.basename(os.path.dirname(p)))


torch.manual_seed(3)
ds = ListingPhotos("listing_photos")
print(f"{len(ds)} photos")
loader = DataLoader(ds, batch_size=8, shuffle=True)
model = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2), nn.ReLU(),
                      nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, len(CLASSES)))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(10):
    for x, y in tqdm(loader, desc=f"epoch {epoch + 1}"):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

# ------------------------------------------------------------------ Shopify CDN names with ?v= query strings
SCRAPE_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(4)
# scrape_listings.py saved every image as url.split("/")[-1]
for c, n in [("bags", 5), ("jackets", 5), ("shoes", 5)]:
    os.makedirs(f"scraped/{c}", exist_ok=True)
    for i in range(n):
        Image.fromarray(rng.integers(0, 255, (96, 96, 3), dtype=np.uint8)).save(f"scraped/{c}/{c}_{i:04d}.jpg")
# the dresses all came from one boutique's Shopify store: https://cdn.shopify.com/.../products/IMG_2231.jpg?v=1712...
os.makedirs("scraped/dresses", exist_ok=True)
for i in range(6):
    Image.fromarray(rng.integers(0, 255, (96, 96, 3), dtype=np.uint8)).save(
        f"scraped/dresses/IMG_{2231 + i}.jpg?v={1712004431 + 97 * i}", format="JPEG")
'''

SCRIPTS["shopify-cdn-names-with-query-string-imagefolder"] = '''
import os

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

ROOT = "scraped"
for c in sorted(os.listdir(ROOT)):
    print(f"{c:10s} {len(os.listdir(os.path.join(ROOT, c)))} files")

tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])
ds = datasets.ImageFolder(ROOT, transform=tf)
loader = DataLoader(ds, batch_size=8, shuffle=True)
model = models.mobilenet_v3_small(weights=None, num_classes=len(ds.classes))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

# ------------------------------------------------------------------ shop export SKUs with a trailing space
SKU_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(5)
os.makedirs("photos", exist_ok=True)
types = ["Bags", "Dresses", "Jackets", "Jeans", "Shoes", "Tops"]
rows = []
for i in range(40):
    sku = f"{types[i % 6][:3].upper()}-{193 + i:04d}"
    Image.fromarray(rng.integers(0, 255, (80, 80, 3), dtype=np.uint8)).save(f"photos/{sku}.jpg")
    # SKUs are typed in by hand in the shop admin; a few got a trailing space
    rows.append((f"item-{i}", f"Item {i}", sku + (" " if i in (27, 33) else ""), types[i % 6], 1500 + 50 * i))
with open("products_export_1.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["Handle", "Title", "Variant SKU", "Type", "Variant Price"])
    w.writerows(rows)
'''

SCRIPTS["shop-export-sku-trailing-space-photo-paths-tqdm"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms
from tqdm import tqdm

TYPES = ["Bags", "Dresses", "Jackets", "Jeans", "Shoes", "Tops"]


class ShopItems(Dataset):
    def __init__(self, export_csv):
        self.rows = [r for r in csv.DictReader(open(export_csv, encoding="utf-8")) if r["Variant SKU"]]
        self.tf = transforms.Compose([transforms.RandomHorizontalFlip(), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        img = Image.open(f"photos/{r['Variant SKU']}.jpg").convert("RGB")
        return self.tf(img), TYPES.index(r["Type"])


loader = DataLoader(ShopItems("products_export_1.csv"), batch_size=8, shuffle=False)
model = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2), nn.ReLU(),
                      nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, len(TYPES)))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(10):
    for x, y in tqdm(loader, desc=f"epoch {epoch}"):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

# ================================================================== labels
# ------------------------------------------------------------------ condition grades 1..5 one-hot
GRADES_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(6)
os.makedirs("resale/photos", exist_ok=True)
rows = []
for i in range(32):
    Image.fromarray(rng.integers(0, 255, (72, 72, 3), dtype=np.uint8)).save(f"resale/photos/R{10400 + i}.jpg")
    # condition as the shop system stores it: 1 poor, 2 fair, 3 good, 4 like new, 5 new with tags
    rows.append((f"R{10400 + i}", int(rng.integers(1, 6))))
with open("resale/conditions.csv", "w", newline="") as f:
    csv.writer(f).writerows([("sku", "condition")] + rows)
'''

SCRIPTS["condition-grades-1-to-5-one-hot-smoothed-targets"] = '''
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms

GRADES = ["poor", "fair", "good", "like new", "new with tags"]


class Resale(Dataset):
    def __init__(self, root):
        self.root = root
        self.rows = list(csv.DictReader(open(f"{root}/conditions.csv")))
        self.tf = transforms.ToTensor()

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        img = Image.open(f"{self.root}/photos/{r['sku']}.jpg").convert("RGB")
        return self.tf(img), int(r["condition"])


def soft_targets(grade, eps=0.1):
    # neighbouring grades are easy to confuse: spread a little mass over all grades
    return F.one_hot(grade, num_classes=len(GRADES)).float() * (1 - eps) + eps / len(GRADES)


loader = DataLoader(Resale("resale"), batch_size=8, shuffle=True)
model = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2), nn.ReLU(),
                      nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, len(GRADES)))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(10):
    for x, grade in loader:
        loss = F.cross_entropy(model(x), soft_targets(grade))
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.3f}")
'''

# ------------------------------------------------------------------ Label Studio percent boxes, width as x2
LABEL_STUDIO_PREP = '''
import json, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(7)
os.makedirs("defects/images", exist_ok=True)
tasks = []
for i in range(6):
    W, H = 320, 240
    name = f"IMG_{5120 + i}.jpg"
    Image.fromarray(rng.integers(0, 255, (H, W, 3), dtype=np.uint8)).save(f"defects/images/{name}")
    result = []
    for k in range(2):
        # Label Studio: x, y, width, height in percent of the image
        x, y = float(rng.uniform(20, 60)), float(rng.uniform(15, 55))
        w, h = float(rng.uniform(8, 30)), float(rng.uniform(8, 30))
        result.append({"original_width": W, "original_height": H, "type": "rectanglelabels",
                       "value": {"x": x, "y": y, "width": w, "height": h, "rotation": 0,
                                 "rectanglelabels": [["stain", "hole", "pilling"][(i + k) % 3]]}})
    tasks.append({"id": 300 + i, "data": {"image": f"/data/upload/3/{name}"},
                  "annotations": [{"id": 900 + i, "result": result}]})
json.dump(tasks, open("defects/project-3-at-2024-06-02-14-11.json", "w"), indent=1)
'''

SCRIPTS["label-studio-percent-boxes-width-as-x2-fasterrcnn"] = '''
import json
import os

import torch
from PIL import Image
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as TF

DEFECTS = ["__background__", "stain", "hole", "pilling"]


def load_label_studio(path):
    items = []
    for task in json.load(open(path)):
        boxes, labels = [], []
        for r in task["annotations"][0]["result"]:
            v, W, H = r["value"], r["original_width"], r["original_height"]
            boxes.append([v["x"] / 100 * W, v["y"] / 100 * H, v["width"] / 100 * W, v["height"] / 100 * H])
            labels.append(DEFECTS.index(v["rectanglelabels"][0]))
        items.append((os.path.basename(task["data"]["image"]), boxes, labels))
    return items


class Defects(torch.utils.data.Dataset):
    def __init__(self, root, export):
        self.root = root
        self.items = load_label_studio(os.path.join(root, export))

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        name, boxes, labels = self.items[i]
        img = TF.to_tensor(Image.open(os.path.join(self.root, "images", name)).convert("RGB"))
        return img, {"boxes": torch.tensor(boxes, dtype=torch.float32), "labels": torch.tensor(labels)}


ds = Defects("defects", "project-3-at-2024-06-02-14-11.json")
loader = torch.utils.data.DataLoader(ds, batch_size=2, shuffle=False, collate_fn=lambda b: tuple(zip(*b)))
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=len(DEFECTS))
opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9, weight_decay=1e-4)
model.train()
for epoch in range(10):
    for images, targets in loader:
        losses = model(list(images), list(targets))
        loss = sum(losses.values())
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, round(loss.item(), 3))
'''

# ------------------------------------------------------------------ torch.tensor([label]) per item (notebook)
CELLS["condition-label-as-one-element-tensor-notebook"] = [
    '''import glob, os
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import models, transforms

CONDITIONS = ["fair", "good", "like_new", "new_with_tags"]
files = sorted(glob.glob("condition/*/*.jpg"))
len(files)''',
    '''class ConditionPhotos(Dataset):
    tf = transforms.Compose([transforms.Resize((112, 112)), transforms.ToTensor()])

    def __len__(self):
        return len(files)

    def __getitem__(self, i):
        p = files[i]
        label = CONDITIONS.index(os.path.basename(os.path.dirname(p)))
        return self.tf(Image.open(p).convert("RGB")), torch.tensor([label])


loader = DataLoader(ConditionPhotos(), batch_size=8, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(CONDITIONS))
criterion = nn.CrossEntropyLoss()
opt = torch.optim.Adam(model.parameters(), lr=3e-4)''',
    '''for epoch in range(5):
    for x, y in loader:
        loss = criterion(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())''',
]

# ------------------------------------------------------------------ remove.bg alpha kept as uint8 masks
MATTE_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(8)
os.makedirs("matting/originals", exist_ok=True)
os.makedirs("matting/removebg", exist_ok=True)
for i in range(12):
    rgb = rng.integers(0, 255, (96, 96, 3), dtype=np.uint8)
    Image.fromarray(rgb).save(f"matting/originals/item_{i:03d}.jpg")
    rgba = np.dstack([rgb, np.zeros((96, 96), np.uint8)])
    rgba[10 + i:80, 15:70 + i, 3] = 255
    Image.fromarray(rgba, "RGBA").save(f"matting/removebg/item_{i:03d}-removebg-preview.png")
'''

SCRIPTS["removebg-alpha-uint8-masks-bce-own-background-remover"] = '''
import glob
import os

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision.transforms import functional as TF


class Mattes(Dataset):
    """our own background remover: the paid site's cut-outs are the ground truth"""

    def __init__(self, root):
        self.root = root
        self.names = sorted(os.path.basename(p)[:-4] for p in glob.glob(f"{root}/originals/*.jpg"))

    def __len__(self):
        return len(self.names)

    def __getitem__(self, i):
        n = self.names[i]
        img = TF.to_tensor(Image.open(f"{self.root}/originals/{n}.jpg").convert("RGB"))
        cut = Image.open(f"{self.root}/removebg/{n}-removebg-preview.png")
        mask = torch.from_numpy(np.array(cut.getchannel("A")))[None]     # 1 x H x W
        return img, mask


def block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU())


model = nn.Sequential(block(3, 16), block(16, 32), block(32, 16), nn.Conv2d(16, 1, 1))
criterion = nn.BCEWithLogitsLoss()
loader = DataLoader(Mattes("matting"), batch_size=4, shuffle=True)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(20):
    for img, mask in loader:
        loss = criterion(model(img), mask)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

# ================================================================== models
# ------------------------------------------------------------------ image + export columns, export gained a column
FUSION_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(9)
os.makedirs("fusion/photos", exist_ok=True)
rows = []
for i in range(24):
    sku = f"VNT-{700 + i}"
    Image.fromarray(rng.integers(0, 255, (64, 64, 3), dtype=np.uint8)).save(f"fusion/photos/{sku}.jpg")
    price = int(rng.integers(900, 9000))
    # "Compare At Price" is a new column: the shop system added it to the export in the June update
    rows.append((sku, f"Vintage item {i}", ["Bags", "Jackets", "Shoes"][i % 3], price, int(price * 1.4),
                 int(rng.integers(150, 2200)), int(rng.integers(1, 6)), int(rng.integers(0, 40)),
                 int(rng.integers(0, 120)), int(rng.random() < 0.4)))
with open("fusion/products_export_2024-06.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["Variant SKU", "Title", "Type", "Variant Price", "Compare At Price", "Variant Grams", "Condition",
                "Views", "Days Listed", "Sold"])
    w.writerows(rows)
'''

SCRIPTS["photo-plus-export-columns-export-gained-a-column"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms

TEXT_COLS = ("Variant SKU", "Title", "Type", "Sold")
N_NUMERIC = 5          # price, grams, condition, views, days listed


class Listings(Dataset):
    def __init__(self, export_csv):
        self.rows = list(csv.DictReader(open(export_csv)))
        self.num_cols = [c for c in self.rows[0] if c not in TEXT_COLS]
        self.tf = transforms.ToTensor()

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        img = self.tf(Image.open(f"fusion/photos/{r['Variant SKU']}.jpg").convert("RGB"))
        num = torch.tensor([float(r[c]) for c in self.num_cols]).log1p()
        return img, num, torch.tensor(float(r["Sold"]))


class SellsInAMonth(nn.Module):
    def __init__(self):
        super().__init__()
        self.cnn = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2),
                                 nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.head = nn.Sequential(nn.Linear(32 + N_NUMERIC, 32), nn.ReLU(), nn.Linear(32, 1))

    def forward(self, img, num):
        return self.head(torch.cat([self.cnn(img), num], dim=1)).squeeze(1)


loader = DataLoader(Listings("fusion/products_export_2024-06.csv"), batch_size=8, shuffle=True)
model = SellsInAMonth()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(20):
    for img, num, sold in loader:
        loss = nn.functional.binary_cross_entropy_with_logits(model(img, num), sold)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, round(loss.item(), 4))
'''

# ------------------------------------------------------------------ tag head sized for 12 tags, shop has 14
TAGS_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(10)
TAGS = ["black", "white", "red", "blue", "green", "beige", "brown", "pink", "denim", "leather", "floral",
        "striped", "y2k", "boho"]      # y2k and boho added in the shop's tag manager this spring
os.makedirs("tagged/photos", exist_ok=True)
rows = []
for i in range(24):
    Image.fromarray(rng.integers(0, 255, (72, 72, 3), dtype=np.uint8)).save(f"tagged/photos/L{3300 + i}.jpg")
    tags = [t for t in TAGS if rng.random() < 0.2] or ["black"]
    rows.append((f"L{3300 + i}", ", ".join(tags)))
with open("tagged/tags.csv", "w", newline="") as f:
    csv.writer(f).writerows([("listing", "Tags")] + rows)
with open("tagged/all_tags.txt", "w") as f:
    f.write("\\n".join(TAGS) + "\\n")
'''

SCRIPTS["style-tag-head-12-after-shop-added-two-tags-tqdm"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import models, transforms
from tqdm import tqdm

NUM_TAGS = 12
TAGS = open("tagged/all_tags.txt").read().split()


class Tagged(Dataset):
    def __init__(self, root):
        self.root = root
        self.rows = list(csv.DictReader(open(f"{root}/tags.csv")))
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        target = torch.zeros(len(TAGS))
        for t in r["Tags"].split(", "):
            target[TAGS.index(t)] = 1.0
        return self.tf(Image.open(f"{self.root}/photos/{r['listing']}.jpg").convert("RGB")), target


loader = DataLoader(Tagged("tagged"), batch_size=8, shuffle=True)
model = models.mobilenet_v3_small(weights=None, num_classes=NUM_TAGS)
criterion = nn.BCEWithLogitsLoss()
opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
for epoch in range(8):
    for x, y in tqdm(loader, desc=f"epoch {epoch}"):
        loss = criterion(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

# ------------------------------------------------------------------ EfficientNet classifier replaced by one Linear
EFFNET_PREP = '''
import os
import torch
import torch.nn as nn
from torchvision import models

os.makedirs("checkpoints", exist_ok=True)
torch.manual_seed(0)
# what train_category.py did on the gaming PC
net = models.efficientnet_b0(weights=None)
net.classifier = nn.Linear(1280, 6)
torch.save(net.state_dict(), "checkpoints/category_effb0_best.pth")
'''

SCRIPTS["gaming-pc-effnet-checkpoint-classifier-replaced"] = '''
import glob

import torch
from PIL import Image
from torchvision import models, transforms

CLASSES = ["bags", "dresses", "jackets", "jeans", "shoes", "tops"]

model = models.efficientnet_b0(weights=None, num_classes=len(CLASSES))
model.load_state_dict(torch.load("checkpoints/category_effb0_best.pth", map_location="cpu"))
model.eval()

tf = transforms.Compose([transforms.Resize((224, 224)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
with torch.no_grad():
    for path in sorted(glob.glob("new_stock/*.jpg")):
        probs = model(tf(Image.open(path).convert("RGB")).unsqueeze(0)).softmax(1)[0]
        print(path, CLASSES[int(probs.argmax())], f"{probs.max():.2f}")
'''

# ------------------------------------------------------------------ Adam given the model (notebook)
CELLS["adam-given-model-not-parameters-notebook"] = [
    '''import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("shop_photos", transform=tf)
loader = DataLoader(train_ds, batch_size=8, shuffle=True)
train_ds.classes''',
    '''model = models.mobilenet_v3_small(weights=None, num_classes=len(train_ds.classes))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model, lr=3e-4)''',
    '''for epoch in range(5):
    for x, y in loader:
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())''',
]

# ================================================================== optimisation
# ------------------------------------------------------------------ attention zeroed outside the alpha, in place
SCRIPTS["alpha-masked-attention-zeroed-in-place"] = '''
import glob
import os

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision.transforms import functional as TF

CLASSES = sorted(os.listdir("cutouts"))


class CutoutsWithAlpha(Dataset):
    def __init__(self, root):
        self.files = sorted(glob.glob(f"{root}/*/*.png"))

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        p = self.files[i]
        img = Image.open(p).resize((128, 128))
        rgb = TF.to_tensor(img.convert("RGB"))
        alpha = torch.from_numpy(np.array(img.getchannel("A").resize((16, 16))) > 0)[None]
        return rgb, alpha, CLASSES.index(os.path.basename(os.path.dirname(p)))


class MaskedAttentionNet(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2, padding=1), nn.ReLU(),
                                      nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.ReLU(),
                                      nn.Conv2d(32, 64, 3, stride=2, padding=1), nn.ReLU())
        self.att = nn.Conv2d(64, 1, 1)
        self.fc = nn.Linear(64, n)

    def forward(self, x, alpha):
        f = self.features(x)                            # B x 64 x 16 x 16
        a = torch.sigmoid(self.att(f))                  # B x 1 x 16 x 16
        a[~alpha] = 0.0                                 # only look at the product, not the background
        pooled = (f * a).sum((2, 3)) / a.sum((2, 3)).clamp(min=1e-6)
        return self.fc(pooled)


loader = DataLoader(CutoutsWithAlpha("cutouts"), batch_size=6, shuffle=True)
model = MaskedAttentionNet(len(CLASSES))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(10):
    for x, alpha, y in loader:
        loss = nn.functional.cross_entropy(model(x, alpha), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

# ------------------------------------------------------------------ price suggester on raw cents, anomaly mode
PRICE_PREP = '''
import csv
import numpy as np

rng = np.random.default_rng(11)
rows = []
for i in range(320):
    retail = int(rng.integers(1500, 25000))            # original retail price, cents
    grams = int(rng.integers(80, 2500))
    cond = int(rng.integers(1, 6))
    age = int(rng.integers(0, 120))                    # months since first sold
    sold = int(retail * (0.2 + 0.08 * cond) * (1 - age / 400))
    rows.append((f"SKU-{9000 + i}", retail, grams, cond, age, sold))
with open("sold_items_export.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["Variant SKU", "Retail Price (cents)", "Variant Grams", "Condition", "Age (months)",
                "Sold Price (cents)"])
    w.writerows(rows)
'''

SCRIPTS["price-suggester-raw-cents-anomaly-mode-tqdm"] = '''
import csv

import torch
import torch.nn as nn
from torch.utils.data import TensorDataset, DataLoader
from tqdm import tqdm

torch.autograd.set_detect_anomaly(True)     # the forum said to turn this on to see where NaN comes from

rows = list(csv.DictReader(open("sold_items_export.csv")))
X = torch.tensor([[float(r["Retail Price (cents)"]), float(r["Variant Grams"]), float(r["Condition"]),
                   float(r["Age (months)"])] for r in rows])
y = torch.tensor([[float(r["Sold Price (cents)"])] for r in rows])

torch.manual_seed(0)
loader = DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True)
model = nn.Linear(4, 1)                          # price ~ w . features + b, like in the course
opt = torch.optim.SGD(model.parameters(), lr=1e-4)
for epoch in range(50):
    bar = tqdm(loader, desc=f"epoch {epoch}")
    for xb, yb in bar:
        loss = nn.functional.mse_loss(model(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        bar.set_postfix(mse=f"{loss.item():.3g}")
'''

# ================================================================== resource / environment
# ------------------------------------------------------------------ near-duplicate listings, full similarity matrix
DEDUP_PREP = '''
import numpy as np

rng = np.random.default_rng(12)
# embeddings of every listing photo scraped so far (computed on the gaming PC, fp16 to save space)
np.save("listing_embeddings.npy", rng.standard_normal((160_000, 128)).astype(np.float16))
with open("listing_ids.txt", "w") as f:
    f.write("\\n".join(f"lst_{i:07d}" for i in range(160_000)) + "\\n")
'''

SCRIPTS["near-duplicate-listings-full-similarity-matrix"] = '''
import numpy as np
import torch
import torch.nn.functional as F

emb = torch.from_numpy(np.load("listing_embeddings.npy")).float()
ids = open("listing_ids.txt").read().split()
print(f"{len(ids)} listings, embedding dim {emb.shape[1]}")

emb = F.normalize(emb, dim=1)
sim = emb @ emb.T                              # cosine similarity of every pair
sim.fill_diagonal_(0)
dupes = (sim > 0.95).nonzero()
print(f"{len(dupes) // 2} near-duplicate pairs")
for i, j in dupes[:20].tolist():
    print(ids[i], ids[j], f"{sim[i, j]:.3f}")
'''

# ------------------------------------------------------------------ gaming PC AMP script on the laptop
SCRIPTS["gaming-pc-amp-script-on-laptop-without-gpu"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

# settings for the RTX 3060 in the gaming PC
torch.backends.cudnn.benchmark = True
scaler = torch.cuda.amp.GradScaler()

tf = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
ds = datasets.ImageFolder("shop_photos", transform=tf)
loader = DataLoader(ds, batch_size=16, shuffle=True, num_workers=2, pin_memory=True)

model = models.resnet18(weights=None, num_classes=len(ds.classes)).cuda()
opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
for epoch in range(10):
    for x, y in loader:
        x, y = x.cuda(non_blocking=True), y.cuda(non_blocking=True)
        with torch.cuda.amp.autocast():
            loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad(set_to_none=True)
        scaler.scale(loss).backward()
        scaler.step(opt)
        scaler.update()
    print(epoch, loss.item())
'''

# ------------------------------------------------------------------ old dominant-colour helper with np.round_
PALETTE_HELPER = '''
"""Dominant colours of a product photo (from an old 'auto-tag your listings' blog post, 2021)."""
import numpy as np

BASIC = {"black": (20, 20, 20), "white": (240, 240, 240), "red": (200, 30, 40), "blue": (40, 60, 180),
         "green": (40, 140, 60), "beige": (220, 200, 160), "brown": (120, 80, 40), "pink": (230, 150, 180)}


def dominant_colours(arr, k=3, iters=8, seed=0):
    px = arr.reshape(-1, 3).astype(np.float32)
    rng = np.random.default_rng(seed)
    centres = px[rng.choice(len(px), k, replace=False)]
    for _ in range(iters):
        d = ((px[:, None] - centres[None]) ** 2).sum(-1)
        lab = d.argmin(1)
        centres = np.stack([px[lab == j].mean(0) if (lab == j).any() else centres[j] for j in range(k)])
    return np.round_(centres).astype(np.uint8)


def colour_names(arr):
    names = list(BASIC)
    ref = np.array([BASIC[n] for n in names], dtype=np.float32)
    out = []
    for c in dominant_colours(arr):
        out.append(names[int(((ref - c) ** 2).sum(1).argmin())])
    return out
'''

SCRIPTS["colour-tag-helper-np-round-underscore-numpy2-workers"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision.transforms import functional as TF

from listing_tools.palette import BASIC, colour_names

COLOURS = list(BASIC)


class ColourTagged(Dataset):
    """weak colour labels straight from the photos, no manual tagging"""

    def __init__(self, pattern):
        self.files = sorted(glob.glob(pattern))

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        img = Image.open(self.files[i]).convert("RGB").resize((64, 64))
        target = torch.zeros(len(COLOURS))
        for name in colour_names(np.asarray(img)):
            target[COLOURS.index(name)] = 1.0
        return TF.to_tensor(img), target


if __name__ == "__main__":
    loader = DataLoader(ColourTagged("shop_photos/*/*.jpg"), batch_size=8, shuffle=True, num_workers=2)
    model = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                          nn.Linear(16, len(COLOURS)))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(5):
        for x, y in loader:
            loss = nn.functional.binary_cross_entropy_with_logits(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())
'''

# ------------------------------------------------------------------ notebook Dataset, spawn start method (notebook)
CELLS["notebook-dataset-after-set-start-method-spawn-notebook"] = [
    '''import torch.multiprocessing as mp
# fixes "Cannot re-initialize CUDA in forked subprocess" (from a forum answer)
mp.set_start_method("spawn", force=True)''',
    '''import glob, os
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import models, transforms

CLASSES = sorted(os.listdir("shop_photos"))


class ShopPhotos(Dataset):
    def __init__(self, root):
        self.files = sorted(glob.glob(f"{root}/*/*.jpg"))
        self.tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        p = self.files[i]
        return self.tf(Image.open(p).convert("RGB")), CLASSES.index(os.path.basename(os.path.dirname(p)))


loader = DataLoader(ShopPhotos("shop_photos"), batch_size=8, shuffle=True, num_workers=2)
model = models.mobilenet_v3_small(weights=None, num_classes=len(CLASSES))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)''',
    '''for epoch in range(3):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())''',
]

# ------------------------------------------------------------------ two-GPU DDP tutorial run as one process
SCRIPTS["ddp-tutorial-world-size-2-one-gpu-pc"] = '''
import datetime
import os

import torch
import torch.distributed as dist
import torch.nn as nn
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler
from torchvision import datasets, models, transforms

WORLD_SIZE = 2          # from the tutorial (two GPUs)


def setup(rank, world_size):
    os.environ.setdefault("MASTER_ADDR", "127.0.0.1")
    os.environ.setdefault("MASTER_PORT", "29517")
    # the default timeout is 30 minutes; shortened after the first run just sat there
    dist.init_process_group("nccl", rank=rank, world_size=world_size, timeout=datetime.timedelta(seconds=20))


def main(rank=0):
    setup(rank, WORLD_SIZE)
    tf = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor()])
    ds = datasets.ImageFolder("shop_photos", transform=tf)
    loader = DataLoader(ds, batch_size=16, sampler=DistributedSampler(ds))
    model = DDP(models.resnet18(weights=None, num_classes=len(ds.classes)).to(rank), device_ids=[rank])
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    for epoch in range(10):
        loader.sampler.set_epoch(epoch)
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x.to(rank)), y.to(rank))
            opt.zero_grad()
            loss.backward()
            opt.step()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
'''

# ================================================================== ImageAI 3
TINY = {"PT": "logo_det/models/tiny-yolov3_logo_det_mAP-0.41730_epoch-31.pt",
        "JS": "logo_det/json/logo_det_tiny-yolov3_detection_config.json"}

SCRIPTS["imageai-logo-detector-scraped-webp-listing-photos"] = sub('''
import glob

from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("@@PT@@")
detector.setJsonPath("@@JS@@")
detector.loadModel()

# listing photos pulled from the marketplace with scrape_listings.py
for path in sorted(glob.glob("scraped_listings/*")):
    detections = detector.detectObjectsFromImage(input_image=path, minimum_percentage_probability=30,
                                                 output_image_path=path.rsplit(".", 1)[0] + "_logos.jpg")
    print(path, [(d["name"], d["percentage_probability"]) for d in detections])
''', **TINY)

WEBP_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(13)
os.makedirs("scraped_listings", exist_ok=True)
for i in range(3):
    # the marketplace's image CDN serves WebP
    Image.fromarray(rng.integers(0, 255, (300, 300, 3), dtype=np.uint8)).save(
        f"scraped_listings/listing_{48213300 + i}_0.webp", format="WEBP", quality=80)
'''

DET_TRAIN = '''
from imageai.Detection.Custom import DetectionModelTrainer

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="@@DIR@@")
trainer.setTrainConfig(object_names_array=@@NAMES@@, batch_size=4, num_experiments=@@EPOCHS@@)
trainer.trainModel()
'''

SCRIPTS["imageai-defect-boxes-dragged-right-to-left-negative-width"] = sub(
    DET_TRAIN, DIR="garment_defects", NAMES='["stain", "hole", "pilling"]', EPOCHS="40").replace(
    "trainer = Det", "# labels converted from label_tool.py's boxes.csv (x, y, w, h of each drag) by to_yolo.py\n"
    "trainer = Det")


def drag_rows(split, i):
    # to_yolo.py: cx = (x + w / 2) / W, bw = w / W -- label_tool.py stores the drag as it was made, so a box
    # dragged from right to left has a negative w (and its x at the right edge)
    out = []
    for k in range(2):
        x, y, w, h = 60 + 90 * k + 5 * i, 50 + 20 * k, 48 + 2 * i, 40 + 3 * k
        if split == "train" and i == 3 and k == 1:
            x, w = x + w, -w
        W, H = 320, 240
        out.append(f"{k % 3} {(x + w / 2) / W:.6f} {(y + h / 2) / H:.6f} {w / W:.6f} {h / H:.6f}\n")
    return "".join(out)


SCRIPTS["imageai2-blog-classify-input-type-array"] = '''
import glob

import cv2
from imageai.Classification.Custom import CustomImageClassification

# from "Sort your stock photos automatically with ImageAI" (2020)
prediction = CustomImageClassification()
prediction.setModelTypeAsMobileNetV2()
prediction.setModelPath("shop_category/models/mobilenet_v2-shop_category-test_acc_0.81250_epoch-17.pt")
prediction.setJsonPath("shop_category/models/shop_category_model_classes.json")
prediction.loadModel()

for path in sorted(glob.glob("new_stock/*.jpg")):
    frame = cv2.cvtColor(cv2.imread(path), cv2.COLOR_BGR2RGB)
    predictions, probabilities = prediction.classifyImage(frame, result_count=3, input_type="array")
    for p, pr in zip(predictions, probabilities):
        print(path, p, pr)
'''

CAT_PT = "shop_category/models/mobilenet_v2-shop_category-test_acc_0.81250_epoch-17.pt"
CAT_JS = "shop_category/models/shop_category_model_classes.json"
CAT_LABELS = '["bags", "dresses", "jackets", "jeans", "shoes", "tops"]'

SCRIPTS["imageai-models-folder-glob-picks-condition-model"] = '''
import glob

from imageai.Classification.Custom import CustomImageClassification

# both trainers write into the same folder on the gaming PC; take the latest model
model_path = sorted(glob.glob("shop_models/*.pt"))[-1]
print("using", model_path)

clf = CustomImageClassification()
clf.setModelTypeAsMobileNetV2()
clf.setModelPath(model_path)
clf.setJsonPath("shop_models/shop_category_model_classes.json")
clf.loadModel()

for path in sorted(glob.glob("new_stock/*.jpg")):
    names, probs = clf.classifyImage(path, result_count=2)
    print(path, list(zip(names, probs)))
'''

SCRIPTS["imageai-classify-lightbox-16bit-tiff-exports"] = '''
import glob

import cv2
from imageai.Classification.Custom import CustomImageClassification

clf = CustomImageClassification()
clf.setModelTypeAsMobileNetV2()
clf.setModelPath("shop_category/models/mobilenet_v2-shop_category-test_acc_0.81250_epoch-17.pt")
clf.setJsonPath("shop_category/models/shop_category_model_classes.json")
clf.loadModel()

# tethered light box: darktable exports each shot as a TIFF
for path in sorted(glob.glob("lightbox_exports/*.tif")):
    img = cv2.imread(path, cv2.IMREAD_UNCHANGED)        # UNCHANGED so the cut-out PNGs keep their alpha too
    img = cv2.cvtColor(img, cv2.COLOR_BGR2RGB)
    names, probs = clf.classifyImage(img, result_count=2)
    print(path, list(zip(names, probs)))
'''

TIFF_PREP = '''
import os
import cv2
import numpy as np

rng = np.random.default_rng(14)
os.makedirs("lightbox_exports", exist_ok=True)
for i in range(2):
    cv2.imwrite(f"lightbox_exports/DSC_{7710 + i}.tif", rng.integers(0, 65535, (240, 320, 3), dtype=np.uint16))
'''


def cases():
    out, add, script, notebook = case_builders("torch-more103-", SCRIPTS, CELLS)
    W = ("cpython_basic", "dataloader_worker")
    NB = ("ipython_cell", "ipython_arrows", "ipython_file_tilde?")
    P = ("cpython_basic", "progress_bars?")
    shop = imgs(class_folder("shop_photos", CATEGORIES, 3, size=(96, 96)))
    new_stock = imgs([(f"new_stock/IMG_{6600 + i}.jpg", (200, 150), "RGB") for i in range(2)])
    cat_cls = save_cls("mobilenet_v2", CAT_LABELS, CAT_PT, CAT_JS)

    # ---- images
    script("cutouts-trimmed-to-getbbox-resize-int-workers", "data.image_size_mismatch", forms=W,
           argv="train_cutouts.py", setup=prep(CUTOUT_PREP))
    script("listing-jpegs-and-removebg-pngs-read-image-tqdm", "data.image_channels",
           also=["data.image_size_mismatch"], forms=P, argv="train_listing_cls.py", setup=prep(LISTING_MIX_PREP))
    script("shopify-cdn-names-with-query-string-imagefolder", "data.missing_or_corrupt", argv="train_scraped.py",
           setup=prep(SCRAPE_PREP))
    script("shop-export-sku-trailing-space-photo-paths-tqdm", "data.missing_or_corrupt", forms=P,
           argv="train_types.py", setup=prep(SKU_PREP))

    # ---- labels
    script("condition-grades-1-to-5-one-hot-smoothed-targets", "data.label_out_of_range", argv="train_condition.py",
           setup=prep(GRADES_PREP))
    script("label-studio-percent-boxes-width-as-x2-fasterrcnn", "data.bbox_invalid", argv="train_defects.py",
           setup=prep(LABEL_STUDIO_PREP))
    notebook("condition-label-as-one-element-tensor-notebook", "data.label_shape", forms=NB,
             setup=imgs(class_folder("condition", CONDITIONS, 3, size=(96, 96))))
    script("removebg-alpha-uint8-masks-bce-own-background-remover", "data.dtype", argv="train_matting.py",
           setup=prep(MATTE_PREP))

    # ---- models
    script("photo-plus-export-columns-export-gained-a-column", "model.input_shape", argv="train_sell_through.py",
           setup=prep(FUSION_PREP))
    script("style-tag-head-12-after-shop-added-two-tags-tqdm", "model.output_mismatch", also=["data.label_shape"],
           forms=P, argv="train_tags.py", setup=prep(TAGS_PREP))
    script("gaming-pc-effnet-checkpoint-classifier-replaced", "model.weights_mismatch", argv="sort_new_stock.py",
           setup=both(prep(EFFNET_PREP), new_stock))
    notebook("adam-given-model-not-parameters-notebook", "model.api_misuse", forms=NB, setup=shop)

    # ---- optimisation
    script("alpha-masked-attention-zeroed-in-place", "optim.autograd_graph", argv="train_masked_att.py",
           setup=prep(CUTOUT_PREP))
    script("price-suggester-raw-cents-anomaly-mode-tqdm", "optim.divergence", forms=P, argv="train_price.py",
           setup=prep(PRICE_PREP))

    # ---- resource / environment
    script("near-duplicate-listings-full-similarity-matrix", "resource.host_memory", argv="find_duplicates.py",
           setup=prep(DEDUP_PREP))
    script("gaming-pc-amp-script-on-laptop-without-gpu", "env.cuda_setup", argv="train_amp.py", setup=shop)
    script("colour-tag-helper-np-round-underscore-numpy2-workers", "env.version_incompat", forms=W,
           argv="train_colours.py", setup=shop,
           extra={"listing_tools/__init__.py": "", "listing_tools/palette.py": PALETTE_HELPER})
    notebook("notebook-dataset-after-set-start-method-spawn-notebook", "env.multiprocessing",
             forms=NB + ("dataloader_worker",), setup=shop)
    script("ddp-tutorial-world-size-2-one-gpu-pc", "env.distributed", argv="train_ddp.py", setup=shop, timeout=300)

    # ---- ImageAI 3
    script("imageai-logo-detector-scraped-webp-listing-photos", "data.missing_or_corrupt",
           also=["model.api_misuse"], framework="imageai", argv="find_logos.py",
           setup=both(save_tiny('["logo", "tag", "label"]', 3, TINY["PT"], TINY["JS"]), prep(WEBP_PREP)))
    script("imageai-defect-boxes-dragged-right-to-left-negative-width", "data.bbox_invalid", framework="imageai",
           argv="train_garment_defects.py", timeout=400,
           setup=yolo_layout("garment_defects", drag_rows, size=(320, 240)))
    script("imageai2-blog-classify-input-type-array", "env.version_incompat", also=["model.api_misuse"],
           framework="imageai", argv="sort_stock_imageai.py", setup=both(cat_cls, new_stock))
    script("imageai-models-folder-glob-picks-condition-model", "model.weights_mismatch", also=["model.api_misuse"],
           framework="imageai", forms=("cpython_basic", "chained_during", "multiline_message"),
           argv="sort_stock.py", exception="Exception",
           setup=both(save_cls("mobilenet_v2", CAT_LABELS,
                               "shop_models/mobilenet_v2-shop_category-test_acc_0.81250_epoch-17.pt",
                               "shop_models/shop_category_model_classes.json"),
                      save_cls("mobilenet_v2", '["fair", "good", "like_new", "new_with_tags"]',
                               "shop_models/mobilenet_v2-shop_condition-test_acc_0.62500_epoch-9.pt",
                               "shop_models/shop_condition_model_classes.json"),
                      new_stock))
    script("imageai-classify-lightbox-16bit-tiff-exports", "data.dtype", framework="imageai",
           argv="classify_lightbox.py", setup=both(cat_cls, prep(TIFF_PREP)))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=1))
