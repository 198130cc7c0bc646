"""A seventy-seventh held-out set (g145, scored 1.00 top-1 and 1.00 top-3 before any rule for it) of ImageAI 3 / PyTorch failures, untargeted across the taxonomy.

The persona: people training ImageAI 3 (imageai 3.0.3 on PyTorch) custom detectors (``DetectionModelTrainer``,
YOLOv3 / TinyYOLOv3) for small-object domains -- drone photos, microscopy slides, scanned documents, shelf photos --
with many tiny boxes: large images tiled by their own scripts into crops with the boxes re-computed, anchors
regenerated, class imbalance handled by hand, then ``CustomObjectDetection`` run on new tiles and the results
stitched back. A natural mix of causes, each program built so that its cause is known by construction and made to
fail inside ImageAI, torch, torchvision, OpenCV, NumPy, SciPy or multiprocessing:

- tiling scripts: document tiler writing tile-pixel boxes (data.bbox_invalid), self-training pseudo-labels written
  with their score column (data.bbox_invalid), rare-class rebalancing that keeps only the crack tiles (anchor
  k-means, data.too_few_boxes), COCO category ids written 1-based (data.label_out_of_range), tiles written in the
  Ultralytics ``labels/`` layout (data.missing_or_corrupt), a split-by-slide that leaves validation empty
  (data.missing_or_corrupt), ``np.int`` in the box re-computation (env.version_incompat), a ``multiprocessing.Pool``
  tiler mapping a lambda (env.multiprocessing);
- trainer calls: ``setModelTypeAsTinyYOLOv3`` without parentheses (model.api_misuse), a one-epoch smoke test
  (``num_experiments=1``: ImageAI's LR lambda divides by ``epochs - 1``, other);
- own loops on ImageAI's YOLO classes: edge tiles of the grid batched (workers, data.image_size_mismatch), raw
  uint8 tiles into ``YoloV3Tiny`` (data.dtype), 208-px tiles into ``YoloV3Tiny`` (notebook, model.input_shape),
  hard-negative mining keeping last steps' losses (optim.autograd_graph), an empty-tile pre-filter trained with
  ``(N, 1)`` targets (data.label_shape);
- inference + stitching: tile names rebuilt without zero padding (data.missing_or_corrupt), grayscale microscopy
  tiles as arrays (data.image_channels), ``torchvision.io.read_image`` tensors (model.api_misuse), ``.tif`` tiles
  (model.api_misuse), the model of the four-class run with the json of the merged three-class run
  (model.weights_mismatch), a float64 whole-mosaic heat map under a memory cap (resource.host_memory).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more77.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


from _record import (Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders,  # noqa: E402,F401
                     yolo_layout, save_tiny, save_cls, ANCHORS6)
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more77.py"

SCRIPTS = {}
CELLS = {}


def tiny_rows(nc=2):
    def rows(split, i):
        return "".join(f"{(i + k) % nc} 0.{12 + 9 * k + i % 5:02d} 0.{20 + 11 * k + i % 7:02d} 0.0{3 + k % 4} 0.0{4 + i % 3}\n"
                       for k in range(6))
    return rows


TRAIN_TAIL = '''
trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory=DATA)
trainer.setTrainConfig(object_names_array=CLASSES, batch_size=4, num_experiments=2)
trainer.trainModel()
'''

# ================================================================== tiling scripts + trainer
SCRIPTS["doc-tiler-writes-tile-pixel-boxes"] = '''
import glob
import os

import cv2
from imageai.Detection.Custom import DetectionModelTrainer

CLASSES = ["stamp", "signature"]
DATA = "doc_tiles"
TILE = 256

# scans/<name>.png + scans/<name>.csv (class,x1,y1,x2,y2 in page pixels) -> 256x256 tiles with YOLO txt
for split in ("train", "validation"):
    for scan in sorted(glob.glob(f"scans/{split}/*.png")):
        page = cv2.imread(scan)
        H, W = page.shape[:2]
        rows = [l.strip().split(",") for l in open(scan[:-4] + ".csv")]
        name = os.path.splitext(os.path.basename(scan))[0]
        for ty in range(0, H - TILE + 1, TILE):
            for tx in range(0, W - TILE + 1, TILE):
                out = []
                for c, x1, y1, x2, y2 in rows:
                    x1, y1, x2, y2 = (float(v) for v in (x1, y1, x2, y2))
                    if tx <= x1 and x2 <= tx + TILE and ty <= y1 and y2 <= ty + TILE:
                        out.append(f"{CLASSES.index(c)} {(x1 + x2) / 2 - tx:.1f} {(y1 + y2) / 2 - ty:.1f} "
                                   f"{x2 - x1:.1f} {y2 - y1:.1f}")
                os.makedirs(f"{DATA}/{split}/images", exist_ok=True)
                os.makedirs(f"{DATA}/{split}/annotations", exist_ok=True)
                cv2.imwrite(f"{DATA}/{split}/images/{name}_{ty}_{tx}.jpg", page[ty:ty + TILE, tx:tx + TILE])
                open(f"{DATA}/{split}/annotations/{name}_{ty}_{tx}.txt", "w").write("\\n".join(out))
print("tiles:", len(glob.glob(f"{DATA}/*/images/*.jpg")))
''' + TRAIN_TAIL

SCANS_PREP = '''
import os
import numpy as np, cv2
rng = np.random.default_rng(0)
for split, n in (("train", 3), ("validation", 1)):
    os.makedirs(f"scans/{split}", exist_ok=True)
    for i in range(n):
        cv2.imwrite(f"scans/{split}/page_{i:03d}.png", rng.integers(200, 256, (768, 512, 3), dtype=np.uint8))
        with open(f"scans/{split}/page_{i:03d}.csv", "w") as f:
            for k in range(6):
                x, y = 20 + 80 * (k % 3) + 7 * i, 30 + 250 * (k // 3) + 5 * i
                f.write(f"{'stamp' if k % 2 else 'signature'},{x},{y},{x + 40 + 3 * k},{y + 22 + 2 * k}\\n")
'''

SCRIPTS["selftrain-pseudo-labels-with-score-column"] = '''
import glob
import json
import os
import shutil

from imageai.Detection.Custom import DetectionModelTrainer

CLASSES = ["car", "person"]
DATA = "drone_tiles"

# round 2 of self-training: confident detections from the stitched round-1 run become labels of new tiles
preds = json.load(open("round1/stitched_predictions.json"))
for tile, dets in preds.items():
    keep = [d for d in dets if d["score"] >= 0.6]
    if not keep:
        continue
    shutil.copy(f"round1/tiles/{tile}.jpg", f"{DATA}/train/images/pl_{tile}.jpg")
    with open(f"{DATA}/train/annotations/pl_{tile}.txt", "w") as f:
        for d in keep:
            f.write(" ".join(f"{v:.5f}" if isinstance(v, float) else str(v)
                             for v in (d["class_id"], *d["xywhn"], d["score"])) + "\\n")
print(len(glob.glob(f"{DATA}/train/annotations/*.txt")), "label files")
''' + TRAIN_TAIL

PSEUDO_PREP = '''
import json, os
import numpy as np
from PIL import Image
os.makedirs("round1/tiles", exist_ok=True)
rng = np.random.default_rng(2)
preds = {}
for i in range(3):
    t = f"DJI_0412_r{i}_c{i + 1}"
    Image.fromarray(rng.integers(0, 256, (160, 160, 3), dtype=np.uint8)).save(f"round1/tiles/{t}.jpg")
    preds[t] = [{"class_id": k % 2, "xywhn": [0.2 + 0.2 * k, 0.3 + 0.1 * i, 0.05, 0.06], "score": 0.9 - 0.2 * k}
                for k in range(3)]
json.dump(preds, open("round1/stitched_predictions.json", "w"))
'''

SCRIPTS["rebalance-keeps-only-rare-class-tiles-anchor-kmeans"] = '''
import glob
import os
import shutil

from imageai.Detection.Custom import DetectionModelTrainer

CLASSES = ["cell", "mitosis"]
SRC_DIR, DATA = "slide_tiles", "slide_tiles_balanced"

# "cell" outnumbers "mitosis" 40:1 -> train only on tiles that contain at least one mitosis
for split in ("train", "validation"):
    for d in ("images", "annotations"):
        os.makedirs(f"{DATA}/{split}/{d}", exist_ok=True)
    kept = 0
    for ann in sorted(glob.glob(f"{SRC_DIR}/{split}/annotations/*.txt")):
        rows = [l.split() for l in open(ann) if l.strip()]
        if not any(r[0] == "1" for r in rows):
            continue
        name = os.path.basename(ann)[:-4]
        shutil.copy(ann, f"{DATA}/{split}/annotations/{name}.txt")
        shutil.copy(f"{SRC_DIR}/{split}/images/{name}.jpg", f"{DATA}/{split}/images/{name}.jpg")
        kept += 1
    print(split, "tiles kept:", kept)
''' + TRAIN_TAIL.replace("setModelTypeAsTinyYOLOv3", "setModelTypeAsYOLOv3")


def slide_rows(split, i):
    if split == "train" and i in (1, 4):
        return f"1 0.500000 0.500000 0.0{8 + i % 3}0000 0.0{7 + i % 2}0000\n"
    if split == "validation" and i == 0:
        return "0 0.3 0.3 0.05 0.05\n1 0.6 0.6 0.08 0.08\n"
    return "".join(f"0 0.{15 + 12 * k} 0.{20 + 10 * k} 0.05 0.0{5 + k % 3}\n" for k in range(5))


SCRIPTS["coco-export-category-ids-one-based"] = '''
import json
import os

from imageai.Detection.Custom import DetectionModelTrainer

CLASSES = ["bottle", "can"]
DATA = "shelf_tiles"

# CVAT "COCO 1.0" export of the shelf tiles -> ImageAI txt files
for split in ("train", "validation"):
    coco = json.load(open(f"{DATA}/{split}/instances.json"))
    imgs = {im["id"]: im for im in coco["images"]}
    os.makedirs(f"{DATA}/{split}/annotations", exist_ok=True)
    lines = {im["file_name"]: [] for im in coco["images"]}
    for a in coco["annotations"]:
        im = imgs[a["image_id"]]
        x, y, w, h = a["bbox"]
        W, H = im["width"], im["height"]
        lines[im["file_name"]].append(f'{a["category_id"]} {(x + w / 2) / W:.6f} {(y + h / 2) / H:.6f} {w / W:.6f} {h / H:.6f}')
    for fn, ls in lines.items():
        open(f"{DATA}/{split}/annotations/{fn.rsplit('.', 1)[0]}.txt", "w").write("\\n".join(ls) + "\\n")
''' + TRAIN_TAIL

COCO_PREP = '''
import json
for split, n in (("train", 6), ("validation", 2)):
    coco = {"images": [], "annotations": [], "categories": [{"id": 1, "name": "bottle"}, {"id": 2, "name": "can"}]}
    for i in range(n):
        coco["images"].append({"id": i + 1, "file_name": f"{split[:3]}_{i:04d}.jpg", "width": 160, "height": 160})
        for k in range(5):
            coco["annotations"].append({"id": len(coco["annotations"]) + 1, "image_id": i + 1,
                                        "category_id": 1 + (i + k) % 2, "bbox": [10 + 28 * k, 20 + 9 * i, 12 + k, 18 + i],
                                        "area": 200, "iscrowd": 0})
    json.dump(coco, open(f"shelf_tiles/{split}/instances.json", "w"))
'''

SCRIPTS["tiles-written-in-ultralytics-labels-layout"] = '''
import glob

from imageai.Detection.Custom import DetectionModelTrainer

CLASSES = ["car", "truck"]
DATA = "visdrone_tiles"     # written by tile_visdrone.py (the same tiles we train YOLOv8 on)

for split in ("train", "validation"):
    print(split, len(glob.glob(f"{DATA}/{split}/images/*.jpg")), "tiles,",
          len(glob.glob(f"{DATA}/{split}/labels/*.txt")), "label files")
''' + TRAIN_TAIL

SCRIPTS["split-by-slide-leaves-validation-empty"] = '''
import glob
import os
import shutil

from imageai.Detection.Custom import DetectionModelTrainer

CLASSES = ["nucleus", "mitosis"]
DATA = "he_tiles"
VAL_SLIDES = {"S-2291"}      # hold out whole slides so that no tile of a slide leaks into validation

for split in ("train", "validation"):
    for d in ("images", "annotations"):
        os.makedirs(f"{DATA}/{split}/{d}", exist_ok=True)
for img in sorted(glob.glob("all_tiles/images/*.jpg")):
    name = os.path.basename(img)[:-4]
    slide = name.split("__")[0]
    split = "validation" if slide in VAL_SLIDES else "train"
    shutil.copy(img, f"{DATA}/{split}/images/")
    shutil.copy(f"all_tiles/annotations/{name}.txt", f"{DATA}/{split}/annotations/")
for split in ("train", "validation"):
    print(split, len(os.listdir(f"{DATA}/{split}/images")))
''' + TRAIN_TAIL


def he_setup(work):
    specs = [(f"all_tiles/images/S-22{91 if False else 19}{s}__r{i}_c{i}.jpg", (128, 128), "RGB")
             for s in "01" for i in range(4)]
    make_images(work, specs)
    d = work / "all_tiles/annotations"
    d.mkdir(parents=True, exist_ok=True)
    for rel, _, _ in specs:
        name = rel.rsplit("/", 1)[1][:-4]
        (d / f"{name}.txt").write_text("0 0.3 0.3 0.06 0.07\n1 0.6 0.5 0.09 0.08\n0 0.7 0.2 0.05 0.05\n")


SCRIPTS["tiler-np-int-box-recompute-numpy2"] = '''
import glob
import os

import cv2
import numpy as np

TILE, OVERLAP = 320, 64

# orthophotos/<name>.jpg + <name>.txt with normalised YOLO boxes of the whole photo -> overlapping tiles
os.makedirs("tiles/train/images", exist_ok=True)
os.makedirs("tiles/train/annotations", exist_ok=True)
for path in sorted(glob.glob("orthophotos/*.jpg")):
    img = cv2.imread(path)
    H, W = img.shape[:2]
    lab = np.loadtxt(path[:-4] + ".txt", ndmin=2)
    xyxy = np.stack([lab[:, 1] - lab[:, 3] / 2, lab[:, 2] - lab[:, 4] / 2,
                     lab[:, 1] + lab[:, 3] / 2, lab[:, 2] + lab[:, 4] / 2], 1) * [W, H, W, H]
    xyxy = xyxy.round().astype(np.int)
    for ty in range(0, H - OVERLAP, TILE - OVERLAP):
        for tx in range(0, W - OVERLAP, TILE - OVERLAP):
            inside = (xyxy[:, 0] >= tx) & (xyxy[:, 2] <= tx + TILE) & (xyxy[:, 1] >= ty) & (xyxy[:, 3] <= ty + TILE)
            name = f"{os.path.basename(path)[:-4]}_{ty}_{tx}"
            cv2.imwrite(f"tiles/train/images/{name}.jpg", img[ty:ty + TILE, tx:tx + TILE])
print("done")
'''

ORTHO_PREP = '''
import os
import numpy as np, cv2
os.makedirs("orthophotos", exist_ok=True)
rng = np.random.default_rng(5)
cv2.imwrite("orthophotos/field_07.jpg", rng.integers(0, 256, (600, 800, 3), dtype=np.uint8))
np.savetxt("orthophotos/field_07.txt", [[0, 0.1 + 0.1 * k, 0.2 + 0.07 * k, 0.02, 0.025] for k in range(8)],
           fmt="%g")
'''

SCRIPTS["pool-tiler-maps-lambda"] = '''
import glob
import os
from multiprocessing import Pool

import cv2

TILE = 256


def tile_one(path, size, out_dir):
    img = cv2.imread(path)
    H, W = img.shape[:2]
    n = 0
    for ty in range(0, H - size + 1, size):
        for tx in range(0, W - size + 1, size):
            cv2.imwrite(os.path.join(out_dir, f"{os.path.basename(path)[:-4]}_{ty}_{tx}.jpg"),
                        img[ty:ty + size, tx:tx + size])
            n += 1
    return n


if __name__ == "__main__":
    paths = sorted(glob.glob("shelf_photos/*.jpg"))
    os.makedirs("shelf_tiles/images", exist_ok=True)
    with Pool(4) as pool:
        counts = pool.map(lambda p: tile_one(p, TILE, "shelf_tiles/images"), paths)
    print(sum(counts), "tiles")
'''

SCRIPTS["smoke-test-one-epoch-trainer"] = '''
import glob

from imageai.Detection.Custom import DetectionModelTrainer

# quick check that the freshly tiled data trains at all before the overnight run
CLASSES = ["bottle", "can", "price_tag"]
DATA = "shelf_tiles"
print(len(glob.glob(DATA + "/train/images/*.jpg")), "train tiles")
trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory=DATA)
trainer.setTrainConfig(object_names_array=CLASSES, batch_size=4, num_experiments=1)
trainer.trainModel()
'''

SCRIPTS["trainer-model-type-setter-not-called"] = '''
from imageai.Detection.Custom import DetectionModelTrainer

CLASSES = ["pest", "leaf_spot"]
trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3
trainer.setDataDirectory(data_directory="trap_tiles")
trainer.setTrainConfig(object_names_array=CLASSES, batch_size=4, num_experiments=1)
trainer.trainModel()
'''

# ================================================================== own loops on ImageAI's YOLO classes
LOOP_HEAD = '''
import glob
import json

import cv2
import numpy as np
import torch
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny
from imageai.Detection.Custom.yolo.compute_loss import compute_loss

cfg = json.load(open("drone/json/drone_tiny-yolov3_detection_config.json"))
model = YoloV3Tiny(anchors=cfg["anchors"], num_classes=len(cfg["labels"]))
model.load_state_dict(torch.load("drone/models/tiny-yolov3_drone_last.pt", map_location="cpu"))
'''

SCRIPTS["edge-tiles-batched-dataloader-workers"] = LOOP_HEAD + '''
from torch.utils.data import DataLoader, Dataset


class TileDataset(Dataset):
    """Tiles cut by cut_tiles.py (256 px; the last row / column is whatever is left of the photo)."""
    def __init__(self, root):
        self.paths = sorted(glob.glob(root + "/*.jpg"))

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        img = cv2.cvtColor(cv2.imread(self.paths[i]), cv2.COLOR_BGR2RGB)
        return torch.from_numpy(img).permute(2, 0, 1).float() / 255.0, self.paths[i]


loader = DataLoader(TileDataset("new_flight/tiles"), batch_size=8, num_workers=2)
model.eval()
with torch.no_grad():
    for x, names in loader:
        out = model(x)
        print(out.shape)
'''

SCRIPTS["raw-uint8-tiles-into-yolov3tiny"] = LOOP_HEAD + '''
model.eval()
paths = sorted(glob.glob("new_flight/tiles/*.jpg"))
tiles = np.stack([cv2.resize(cv2.imread(p)[:, :, ::-1], (416, 416)) for p in paths])
batch = torch.from_numpy(np.ascontiguousarray(tiles)).permute(0, 3, 1, 2)
print("batch", tuple(batch.shape), batch.dtype)
with torch.no_grad():
    raw = model(batch)
print(raw.shape)
'''

SCRIPTS["hard-negative-mining-keeps-previous-losses"] = LOOP_HEAD + '''
opt = torch.optim.SGD(model.parameters(), lr=1e-4, momentum=0.9)
model.train()
tiles = sorted(glob.glob("new_flight/tiles/*.jpg"))
history = []     # (loss, tile) of every tile seen; the hardest 4 are re-weighted each step
for step, p in enumerate(tiles):
    x = torch.from_numpy(cv2.resize(cv2.imread(p), (160, 160))[:, :, ::-1].copy()).permute(2, 0, 1)[None].float() / 255
    t = torch.tensor([[0, step % 2, 0.42, 0.37, 0.05, 0.04]])
    model(x)
    loss, _ = compute_loss(model.get_loss_layers(), t, "cpu")
    history.append((loss, p))
    hardest = sorted(history, key=lambda h: h[0].item(), reverse=True)[:4]
    total = torch.stack([h[0] for h in hardest]).sum().squeeze()
    opt.zero_grad()
    total.backward()
    opt.step()
    print(f"step {step}: loss {loss.item():.3f} hard-mined {total.item():.3f}")
'''

SCRIPTS["empty-tile-prefilter-targets-n-by-1"] = '''
import numpy as np
import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torchvision import transforms

# a cheap "does this tile contain any object?" classifier in front of the detector: 90% of tiles are empty
names = [l.split()[0] for l in open("prefilter/tiles.txt")]
y = torch.from_numpy(np.loadtxt("prefilter/tiles.txt", usecols=[1], dtype=np.int64, ndmin=2))
tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])
x = torch.stack([tf(Image.open("prefilter/" + n).convert("RGB")) for n in names])

model = torchvision.models.mobilenet_v3_small(num_classes=2)
counts = torch.bincount(y.flatten(), minlength=2).float()
loss_fn = nn.CrossEntropyLoss(weight=counts.sum() / (2 * counts))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(1):
    logits = model(x)
    loss = loss_fn(logits, y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(epoch, loss.item())
'''

PREFILTER_PREP = '''
import os
import numpy as np
from PIL import Image
os.makedirs("prefilter", exist_ok=True)
rng = np.random.default_rng(6)
with open("prefilter/tiles.txt", "w") as f:
    for i in range(10):
        Image.fromarray(rng.integers(0, 256, (128, 128, 3), dtype=np.uint8)).save(f"prefilter/t{i:03d}.jpg")
        f.write(f"t{i:03d}.jpg {1 if i == 3 else 0}\\n")
'''

CELLS["tiles-208px-into-yolov3tiny-notebook"] = [
    '''import glob, json
import cv2, torch
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny

cfg = json.load(open("slides/json/slides_tiny-yolov3_detection_config.json"))
model = YoloV3Tiny(anchors=cfg["anchors"], num_classes=len(cfg["labels"]))
model.load_state_dict(torch.load("slides/models/tiny-yolov3_slides_last.pt", map_location="cpu"))
model.eval();''',
    '''# tiles were cut at 208 px (= 0.25 mm at 40x), no resize so the tiny nuclei keep their pixels
paths = sorted(glob.glob("slides/new_tiles/*.jpg"))
x = torch.stack([torch.from_numpy(cv2.imread(p)[:, :, ::-1].copy()).permute(2, 0, 1).float() / 255 for p in paths])
x.shape''',
    '''with torch.no_grad():
    out = model(x)
out.shape''',
]

# ================================================================== inference + stitching
DET_HEAD = '''
from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("@@PT@@")
detector.setJsonPath("@@JS@@")
detector.loadModel()
'''
DRONE = dict(PT="drone/models/tiny-yolov3_drone_last.pt", JS="drone/json/drone_tiny-yolov3_detection_config.json")
SLIDES = dict(PT="slides/models/tiny-yolov3_slides_last.pt", JS="slides/json/slides_tiny-yolov3_detection_config.json")

SCRIPTS["stitch-tile-names-rebuilt-without-zero-padding"] = sub(DET_HEAD, **DRONE) + '''
import json

TILE = 320
meta = json.load(open("new_flight/tiles/meta.json"))     # written by the tiler: rows, cols, photo size
merged = []
for r in range(meta["rows"]):
    for c in range(meta["cols"]):
        tile = f"new_flight/tiles/DJI_0588_r{r}_c{c}.jpg"
        _, dets = detector.detectObjectsFromImage(input_image=tile, output_type="array",
                                                  minimum_percentage_probability=30)
        for d in dets:
            x1, y1, x2, y2 = d["box_points"]
            merged.append({"name": d["name"], "box": [x1 + c * TILE, y1 + r * TILE, x2 + c * TILE, y2 + r * TILE]})
print(len(merged), "detections on the photo")
'''

SCRIPTS["grayscale-microscopy-tiles-as-arrays"] = sub(DET_HEAD, **SLIDES) + '''
import glob

import cv2

for p in sorted(glob.glob("slides/new_tiles/*.png")):
    tile = cv2.imread(p, cv2.IMREAD_ANYDEPTH)        # 8/16-bit single-channel fluorescence tiles
    print(p, tile.shape, tile.dtype)
    _, dets = detector.detectObjectsFromImage(input_image=tile, output_type="array",
                                              minimum_percentage_probability=40)
    print(len(dets), "nuclei")
'''

SCRIPTS["torchvision-read-image-tensor-into-detector"] = sub(DET_HEAD, **DRONE) + '''
import glob

from torchvision.io import read_image

counts = {}
for p in sorted(glob.glob("new_flight/tiles/*.jpg")):
    tile = read_image(p)          # the tiler already uses torchvision.io
    _, dets = detector.detectObjectsFromImage(input_image=tile, output_type="array",
                                              minimum_percentage_probability=30)
    counts[p] = len(dets)
print(counts)
'''

SCRIPTS["tif-tiles-into-detector"] = sub(DET_HEAD, **SLIDES) + '''
import glob
import os

from tqdm import tqdm

results = {}
for p in tqdm(sorted(glob.glob("slides/new_tiles_tif/*.tif")), desc="tiles"):
    _, dets = detector.detectObjectsFromImage(input_image=p, output_type="array",
                                              minimum_percentage_probability=40)
    results[os.path.basename(p)] = dets
print(sum(len(v) for v in results.values()), "detections")
'''

SCRIPTS["four-class-model-with-merged-three-class-json"] = sub(
    DET_HEAD, PT="shelf/models/yolov3_shelf_tiles_mAP-0.41230_epoch-38.pt",
    JS="shelf/json/shelf_tiles_yolov3_detection_config.json").replace("AsTinyYOLOv3", "AsYOLOv3") + '''
_, dets = detector.detectObjectsFromImage(input_image="shelf/new_tiles/aisle4_r0_c1.jpg", output_type="array")
print(dets)
'''

SAVE_V3 = '''
import json, os, torch
from imageai.yolov3.yolov3 import YoloV3
os.makedirs("shelf/models", exist_ok=True); os.makedirs("shelf/json", exist_ok=True)
A = [10, 13, 16, 30, 33, 23, 30, 61, 62, 45, 59, 119, 116, 90, 156, 198, 373, 326]
# the run before "price_tag" and "shelf_label" were merged (class imbalance: 30 tags vs 2400 labels)
torch.save(YoloV3(anchors=A, num_classes=4).state_dict(), "shelf/models/yolov3_shelf_tiles_mAP-0.41230_epoch-38.pt")
json.dump({"labels": ["bottle", "can", "carton", "tag"], "anchors": A},
          open("shelf/json/shelf_tiles_yolov3_detection_config.json", "w"))
'''

SCRIPTS["stitch-heatmap-float64-whole-mosaic-memory-cap"] = '''
import json
import resource

import numpy as np

# the workstation's container limit, reproduced here
vm = int(next(l for l in open("/proc/self/status") if l.startswith("VmSize")).split()[1]) * 1024
resource.setrlimit(resource.RLIMIT_AS, (vm + 3 * 2 ** 30, resource.RLIM_INFINITY))

meta = json.load(open("mosaic/meta.json"))
H, W, C = meta["height"], meta["width"], len(meta["classes"])
dets = json.load(open("mosaic/tile_detections.json"))
print(f"mosaic {W}x{H}, {len(dets)} tile detections, {C} classes")

# density heat map of detections over the whole orthomosaic, one plane per class
heat = np.zeros((H, W, C))
for d in dets:
    x1, y1, x2, y2 = d["box"]
    heat[y1:y2, x1:x2, d["cls"]] += d["score"]
np.save("mosaic/heat.npy", heat)
'''

MOSAIC_PREP = '''
import json, os
os.makedirs("mosaic", exist_ok=True)
json.dump({"height": 21504, "width": 30720, "classes": ["sheep", "cow", "horse"], "tile": 512}, open("mosaic/meta.json", "w"))
json.dump([{"box": [100 * i, 80 * i, 100 * i + 14, 80 * i + 11], "cls": i % 3, "score": 0.7} for i in range(50)],
          open("mosaic/tile_detections.json", "w"))
'''


def cases():
    out, add, script, notebook = case_builders("torch-more77-", SCRIPTS, CELLS)
    P = ("cpython_basic", "progress_bars")
    drone = save_tiny('["car", "person"]', 2, DRONE["PT"], DRONE["JS"])
    slides = save_tiny('["nucleus", "mitosis"]', 2, SLIDES["PT"], SLIDES["JS"])
    flight = imgs([(f"new_flight/tiles/DJI_0588_r{r:02d}_c{c:02d}.jpg", (256 if c < 2 else 96, 256 if r < 1 else 120),
                    "RGB") for r in range(2) for c in range(3)])

    # ---- tiling scripts + trainer
    script("doc-tiler-writes-tile-pixel-boxes", "data.bbox_invalid", framework="imageai", argv="tile_and_train.py",
           timeout=400, setup=prep(SCANS_PREP))
    script("selftrain-pseudo-labels-with-score-column", "data.bbox_invalid", also=["data.missing_or_corrupt"],
           framework="imageai", argv="selftrain_round2.py", timeout=400,
           setup=both(yolo_layout("drone_tiles", tiny_rows(), size=(160, 160)), prep(PSEUDO_PREP)))
    script("rebalance-keeps-only-rare-class-tiles-anchor-kmeans", "data.too_few_boxes", framework="imageai",
           argv="train_balanced.py", timeout=400,
           setup=yolo_layout("slide_tiles", slide_rows, size=(128, 128)))
    script("coco-export-category-ids-one-based", "data.label_out_of_range", framework="imageai", forms=P,
           argv="coco_to_imageai_train.py", timeout=400,
           setup=both(yolo_layout("shelf_tiles", None, size=(160, 160), write_labels=False), prep(COCO_PREP)))
    script("tiles-written-in-ultralytics-labels-layout", "data.missing_or_corrupt", also=["data.too_few_boxes"],
           framework="imageai", argv="train_imageai.py", timeout=400,
           setup=yolo_layout("visdrone_tiles", tiny_rows(), size=(160, 160), ann="labels"))
    script("split-by-slide-leaves-validation-empty", "data.missing_or_corrupt", framework="imageai",
           argv="split_and_train.py", timeout=400, setup=he_setup)
    script("tiler-np-int-box-recompute-numpy2", "env.version_incompat", argv="tile_orthophotos.py",
           setup=prep(ORTHO_PREP))
    script("pool-tiler-maps-lambda", "env.multiprocessing", argv="tile_shelves.py",
           setup=imgs([(f"shelf_photos/aisle{i}.jpg", (512, 384), "RGB") for i in range(3)]))
    script("smoke-test-one-epoch-trainer", "other", also=["model.api_misuse"], framework="imageai",
           argv="smoke_train.py", timeout=400, setup=yolo_layout("shelf_tiles", tiny_rows(3), size=(160, 160)))
    script("trainer-model-type-setter-not-called", "model.api_misuse", framework="imageai", argv="train_traps.py",
           timeout=400, setup=yolo_layout("trap_tiles", tiny_rows(), size=(160, 160)))

    # ---- own loops
    script("edge-tiles-batched-dataloader-workers", "data.image_size_mismatch", argv="predict_tiles.py",
           setup=both(drone, flight))
    script("raw-uint8-tiles-into-yolov3tiny", "data.dtype", argv="predict_tiles.py", setup=both(drone, flight))
    script("hard-negative-mining-keeps-previous-losses", "optim.autograd_graph", argv="finetune_ohem.py",
           setup=both(drone, flight))
    script("empty-tile-prefilter-targets-n-by-1", "data.label_shape", argv="train_prefilter.py",
           setup=prep(PREFILTER_PREP))
    notebook("tiles-208px-into-yolov3tiny-notebook", "model.input_shape", also=["data.image_size_mismatch"],
             setup=both(slides, imgs([(f"slides/new_tiles/tile_{i:03d}.jpg", (208, 208), "RGB") for i in range(4)])))

    # ---- inference + stitching
    script("stitch-tile-names-rebuilt-without-zero-padding", "data.missing_or_corrupt", framework="imageai",
           argv="stitch.py", setup=both(drone, flight, prep(
               'import json; json.dump({"rows": 2, "cols": 3, "width": 832, "height": 376}, '
               'open("new_flight/tiles/meta.json", "w"))')))
    script("grayscale-microscopy-tiles-as-arrays", "data.image_channels", framework="imageai", argv="detect_tiles.py",
           setup=both(slides, imgs([(f"slides/new_tiles/tile_{i:03d}.png", (256, 256), "L") for i in range(2)])))
    script("torchvision-read-image-tensor-into-detector", "model.api_misuse", also=["data.dtype"],
           framework="imageai", argv="count_tiles.py", setup=both(drone, flight))
    script("tif-tiles-into-detector", "model.api_misuse", also=["data.missing_or_corrupt"], framework="imageai",
           forms=P, argv="detect_tiles.py",
           setup=both(slides, prep('import os, numpy as np, cv2\nos.makedirs("slides/new_tiles_tif", exist_ok=True)\n'
                                   'for i in range(3): cv2.imwrite(f"slides/new_tiles_tif/t{i:03d}.tif", '
                                   'np.full((256, 256, 3), 40 * i, np.uint8))')))
    script("four-class-model-with-merged-three-class-json", "model.weights_mismatch", framework="imageai",
           argv="detect_aisle.py", timeout=400,
           setup=both(prep(SAVE_V3), prep(
               'import json; c = json.load(open("shelf/json/shelf_tiles_yolov3_detection_config.json"))\n'
               'c["labels"] = ["bottle", "can", "carton"]\n'
               'json.dump(c, open("shelf/json/shelf_tiles_yolov3_detection_config.json", "w"))'),
               imgs([("shelf/new_tiles/aisle4_r0_c1.jpg", (320, 320), "RGB")])))
    script("stitch-heatmap-float64-whole-mosaic-memory-cap", "resource.host_memory", argv="heatmap.py",
           setup=prep(MOSAIC_PREP))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
