"""A hundred-and-tenth held-out set (g203, scored 1.00 top-1 and 1.00 top-3 before any rule for it) of ImageAI 3.0.3 failures: farmers, agronomists and food-processing plants.

The persona: farmers, agronomists, crop consultants and the quality staff of packing houses and grain labs who
train ImageAI 3 detectors (``DetectionModelTrainer``) and classifiers (``ClassificationModelTrainer``) on their own
pictures -- sticky traps and pest scouting, weeds in paddocks and trial plots, apples in the orchard rows, cattle in
the feedlot, pigs in the pens and the weighing crate, hens and floor eggs in the poultry house, potatoes and apples
on the grading lines, wheat kernels under the lab camera -- and use ``CustomObjectDetection``,
``CustomImageClassification``, ``ObjectDetection``, ``ImageClassification`` and ``CustomVideoObjectDetection`` on
their farm PCs, office PCs and field laptops, with scripts and notebooks, some of them with their own PyTorch loops
around ImageAI's models and transforms. Untargeted across the taxonomy; each program is built so that its cause is
known by construction and made to fail inside ImageAI, torch, torchvision, PIL, NumPy, SciPy, OpenCV,
multiprocessing or the import system:

- detection training data: a sticky-trap label converter cut off when the field laptop went flat, leaving a half
  row in one file (notebook, data.missing_or_corrupt); portrait orchard photos labelled in LabelMe (which shows them
  upright) converted with the size PIL reads from the file, stored landscape with an EXIF orientation
  (data.bbox_invalid); pest scouts' clicks on insects written as zero-size boxes (k-means warnings,
  data.bbox_invalid); LabelImg's 15 predefined example classes left in ``classes.txt`` ahead of the two weeds, so
  the weeds are ids 15 and 16 (tqdm, data.label_out_of_range); feedlot photos kept in one sub-folder per farm under
  ``images/`` (notebook, data.missing_or_corrupt);
- detection training, resources and versions: YOLOv3 at batch 16 on the farm office PC under the memory cap its
  admin set (resource.host_memory); a trial-design helper selecting the control plots with ``np.in1d`` under NumPy
  2 (env.version_incompat);
- classification training: the sprouted-kernels class folder copied from the lab's DSLR as ``.NEF`` raw files only
  (data.missing_or_corrupt);
- own loops around ImageAI models: 64-pixel kernel crops into the lab's ImageAI InceptionV3 without a resize
  (notebook, model.input_shape); backbone features of the potato line computed once, with their graph, and the
  head trained on them for many epochs (tqdm, optim.autograd_graph); the weed survey's multi-label CSV with a
  ``bare_ground`` column next to the four species of the ImageAI model (model.output_mismatch); pig weights in kg
  regressed with a Gaussian NLL head at ImageAI's MobileNetV2 learning rate (tqdm, optim.divergence); the grain
  lab's grades from the LIMS as an int32 ``.npy`` (data.dtype); the vet's mastitis scores kept one-hot for
  ``CrossEntropyLoss`` (data.label_shape); the two apple lines' cameras (4:3 and 16:9) evaluated with
  ``Resize(224)`` in DataLoader workers (data.image_size_mismatch); ``set_start_method("spawn")`` in a notebook cell
  run again after an edit (notebook, env.multiprocessing);
- inference: the sprayer boom's mono NIR frames read with ``IMREAD_GRAYSCALE`` for ``CustomObjectDetection``
  (data.image_channels); graded-frame output paths built without an extension (model.api_misuse); the lab
  consultant's kernel grader saved as a whole pickled model for ``CustomImageClassification`` (plain Exception,
  model.weights_mismatch); drone orthophoto tiles as GeoTIFFs for RetinaNet (data.missing_or_corrupt); scouting
  photos synced from an iPhone as HEIC for ``ImageClassification`` (data.missing_or_corrupt);
  ``return_detected_frame=True`` for a per-second snapshot with a three-argument per-frame callback in the
  poultry-house video (model.api_misuse); test-split tensors from a DataLoader given to ``classifyImage``
  (model.api_misuse); a first script saved as ``imageai.py`` (other).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None: model files are
ones an earlier run left on disk).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more110.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


from _record import (Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders,  # noqa: E402,F401
                     yolo_layout, save_tiny, save_cls)
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more110.py"

SCRIPTS = {}
CELLS = {}

DET_TRAIN = '''trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="@@DIR@@")
trainer.setTrainConfig(object_names_array=@@NAMES@@, batch_size=4, num_experiments=@@EPOCHS@@)
trainer.trainModel()'''

# ================================================================== detection training: data
# ------------------------------------------------------------------ sticky-trap converter cut off mid-file
CELLS["sticky-trap-converter-cut-off-half-row-notebook"] = [
    '''import glob
from imageai.Detection.Custom import DetectionModelTrainer

# the labels were converted from the trap-counting app's export yesterday evening, on the field laptop
photos = sorted(glob.glob("sticky_traps/*/images/*.jpg"))
labels = sorted(glob.glob("sticky_traps/*/annotations/*.txt"))
print(len(photos), "trap photos,", len(labels), "label files")''',
    sub(DET_TRAIN, DIR="sticky_traps", NAMES='["whitefly", "thrips"]', EPOCHS="60"),
]


def trap_rows(split, i):
    rows = "".join(f"{(k + i) % 2} {0.12 + 0.11 * k:.6f} {0.20 + 0.07 * k + 0.01 * i:.6f} {0.030 + 0.002 * k:.6f} "
                   f"{0.028 + 0.002 * i:.6f}\n" for k in range(7))
    if split == "train" and i == 5:
        # the battery died while this file was being written
        return rows + "1 0.6340"
    return rows


# ------------------------------------------------------------------ portrait orchard photos, LabelMe, EXIF
ORCHARD_PREP = '''
import json
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(21)
# phone photos along the rows: stored landscape (640 x 480) with EXIF orientation 6, shown upright (480 x 640)
# by the phone and by LabelMe, where the apples were boxed
for split, n in (("train", 6), ("validation", 2)):
    d = f"labelme/{split}"
    os.makedirs(d, exist_ok=True)
    for i in range(n):
        name = f"IMG_{20240905 + 7 * i + (split == 'validation') * 100}"
        exif = Image.Exif()
        exif[0x0112] = 6
        Image.fromarray(rng.integers(0, 255, (480, 640, 3), dtype=np.uint8)).save(f"{d}/{name}.jpg",
                                                                                exif=exif.tobytes())
        shapes = []
        for k in range(3):
            x1, y1 = 40 + 140 * k + 5 * i, 120 + 150 * k + 10 * i
            shapes.append({"label": "apple", "points": [[x1, y1], [x1 + 58 + 2 * k, y1 + 55 + 3 * i]],
                           "group_id": None, "description": "", "shape_type": "rectangle", "flags": {}})
        json.dump({"version": "5.4.1", "flags": {}, "shapes": shapes, "imagePath": f"{name}.jpg", "imageData": None,
                   "imageHeight": 640, "imageWidth": 480}, open(f"{d}/{name}.json", "w"), indent=2)
'''

SCRIPTS["orchard-portrait-photos-labelme-boxes-normalised-by-stored-size"] = '''
import glob
import json
import os
import shutil

from PIL import Image
from imageai.Detection.Custom import DetectionModelTrainer

CLASSES = ["apple"]

# LabelMe JSON -> ImageAI YOLO txt (yield estimate, block 4)
for split in ("train", "validation"):
    os.makedirs(f"orchard/{split}/images", exist_ok=True)
    os.makedirs(f"orchard/{split}/annotations", exist_ok=True)
    for js in sorted(glob.glob(f"labelme/{split}/*.json")):
        with open(js) as f:
            ann = json.load(f)
        src = os.path.join(os.path.dirname(js), ann["imagePath"])
        # imageWidth / imageHeight in the JSON went stale once after a batch resize: read the real size
        with Image.open(src) as im:
            w, h = im.size
        rows = []
        for s in ann["shapes"]:
            (x1, y1), (x2, y2) = s["points"]
            x1, x2 = sorted((x1, x2))
            y1, y2 = sorted((y1, y2))
            rows.append(f"{CLASSES.index(s['label'])} {(x1 + x2) / 2 / w:.6f} {(y1 + y2) / 2 / h:.6f} "
                        f"{(x2 - x1) / w:.6f} {(y2 - y1) / h:.6f}")
        shutil.copy(src, f"orchard/{split}/images/{ann['imagePath']}")
        stem = os.path.splitext(ann["imagePath"])[0]
        with open(f"orchard/{split}/annotations/{stem}.txt", "w") as f:
            f.write("\\n".join(rows) + "\\n")

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="orchard")
trainer.setTrainConfig(object_names_array=CLASSES, batch_size=4, num_experiments=80)
trainer.trainModel()
'''

# ------------------------------------------------------------------ pest scouts' clicks as zero-size boxes
SCOUT_PREP = '''
import csv
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(23)
os.makedirs("scouting_app/photos", exist_ok=True)
rows = [("photo", "species", "x_px", "y_px")]
for t in range(8):
    name = f"trap_{101 + t}_2024-07-{10 + t:02d}.jpg"
    Image.fromarray(rng.integers(150, 255, (480, 640, 3), dtype=np.uint8)).save(f"scouting_app/photos/{name}")
    # the counting app records one tap per insect
    for k in range(9):
        rows.append((name, ["aphid", "thrips"][(k + t) % 2], 40 + 65 * k + 3 * t, 60 + 41 * k + 5 * t))
with open("scouting_app/taps.csv", "w", newline="") as f:
    csv.writer(f).writerows(rows)
'''

SCRIPTS["pest-scout-taps-written-as-zero-size-boxes"] = '''
import csv
import os
import shutil
from collections import defaultdict

from PIL import Image
from imageai.Detection.Custom import DetectionModelTrainer

SPECIES = ["aphid", "thrips"]

# the scouts tap each insect in the counting app; for counting the box size doesn't matter
taps = defaultdict(list)
with open("scouting_app/taps.csv") as f:
    for r in csv.DictReader(f):
        taps[r["photo"]].append((SPECIES.index(r["species"]), float(r["x_px"]), float(r["y_px"])))

photos = sorted(taps)
for n, photo in enumerate(photos):
    split = "validation" if n >= 6 else "train"
    os.makedirs(f"traps/{split}/images", exist_ok=True)
    os.makedirs(f"traps/{split}/annotations", exist_ok=True)
    src = os.path.join("scouting_app/photos", photo)
    with Image.open(src) as im:
        w, h = im.size
    shutil.copy(src, f"traps/{split}/images/{photo}")
    with open(f"traps/{split}/annotations/{photo[:-4]}.txt", "w") as f:
        for cls, x, y in taps[photo]:
            f.write(f"{cls} {x / w:.6f} {y / h:.6f} 0 0\\n")
print(len(photos), "trap photos,", sum(len(v) for v in taps.values()), "insects")

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="traps")
trainer.setTrainConfig(object_names_array=SPECIES, batch_size=4, num_experiments=60)
trainer.trainModel()
'''

# ------------------------------------------------------------------ LabelImg's predefined classes ahead of ours
LABELIMG_PREDEFINED = ["dog", "person", "cat", "tv", "car", "meatballs", "marinara sauce", "tomato soup",
                       "chicken noodle soup", "french onion soup", "chicken breast", "ribs", "pulled pork",
                       "hamburger", "cavity"]
WEED_CLASSES_TXT = "\n".join(LABELIMG_PREDEFINED + ["thistle", "dock"]) + "\n"


def weed_rows(split, i):
    # LabelImg wrote the position in classes.txt: 15 = thistle, 16 = dock
    return "".join(f"{15 + (k + i) % 2} {0.18 + 0.3 * k:.6f} {0.40 + 0.04 * k + 0.01 * i:.6f} "
                   f"{0.14 + 0.02 * i + 0.03 * k:.6f} {0.18 + 0.015 * i + 0.02 * k:.6f}\n" for k in range(3))


SCRIPTS["labelimg-predefined-classes-ahead-of-weeds-tqdm"] = '''
from imageai.Detection.Custom import DetectionModelTrainer

# LabelImg keeps its class list in classes.txt next to the labels; the first 15 are LabelImg's own examples
names = [line.strip() for line in open("paddock_weeds/train/annotations/classes.txt") if line.strip()]
weeds = names[15:]
print("classes:", weeds)

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="paddock_weeds")
trainer.setTrainConfig(object_names_array=weeds, batch_size=4, num_experiments=60)
trainer.trainModel()
'''

# ------------------------------------------------------------------ one sub-folder per farm under images/
FARMS_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(27)
# photos from the three farms of the co-op, kept apart so they can be told apart later
for split, n in (("train", 4), ("validation", 1)):
    for farm in ("hillside", "riverside", "top_farm"):
        os.makedirs(f"cattle/{split}/images/{farm}", exist_ok=True)
        os.makedirs(f"cattle/{split}/annotations/{farm}", exist_ok=True)
        for i in range(n):
            name = f"{farm}_{split[:3]}_{i:03d}"
            Image.fromarray(rng.integers(0, 255, (240, 320, 3), dtype=np.uint8)).save(
                f"cattle/{split}/images/{farm}/{name}.jpg")
            with open(f"cattle/{split}/annotations/{farm}/{name}.txt", "w") as f:
                for k in range(3):
                    f.write(f"0 {0.2 + 0.3 * k:.6f} {0.55 + 0.02 * i:.6f} {0.16 + 0.02 * k:.6f} {0.12 + 0.01 * i:.6f}\\n")
'''

CELLS["feedlot-photos-one-subfolder-per-farm-notebook"] = [
    '''import glob
from imageai.Detection.Custom import DetectionModelTrainer

for split in ("train", "validation"):
    print(split, len(glob.glob(f"cattle/{split}/images/*/*.jpg")), "photos,",
          len(glob.glob(f"cattle/{split}/annotations/*/*.txt")), "label files")''',
    sub(DET_TRAIN, DIR="cattle", NAMES='["cow"]', EPOCHS="80"),
]

# ================================================================== detection training: resources, versions
# ------------------------------------------------------------------ YOLOv3 batch 16 under the office PC's cap
SCRIPTS["feedlot-yolov3-batch-16-office-pc-memory-cap"] = sub('''
import resource

from imageai.Detection.Custom import DetectionModelTrainer

# the farm office PC (also the accounts machine): the admin capped training jobs at @@CAP@@ GB
_, hard = resource.getrlimit(resource.RLIMIT_DATA)
resource.setrlimit(resource.RLIMIT_DATA, (@@CAP@@ * 1024 ** 3, hard))

trainer = DetectionModelTrainer()
trainer.setModelTypeAsYOLOv3()          # the full YOLOv3: tiny missed the calves behind the feed barrier
trainer.setDataDirectory(data_directory="feedlot")
trainer.setTrainConfig(object_names_array=["cow", "calf"], batch_size=16, num_experiments=100)
trainer.trainModel()
''', CAP="3")


def feedlot_rows(split, i):
    return "".join(f"{k % 2} {0.15 + 0.17 * k:.6f} {0.45 + 0.03 * (k % 3) + 0.005 * i:.6f} "
                   f"{0.10 + 0.01 * (i % 5) + 0.02 * (k % 2):.6f} {0.12 + 0.008 * (i % 7) + 0.03 * (k % 2):.6f}\n"
                   for k in range(5))


# ------------------------------------------------------------------ trial-design helper with np.in1d
TRIAL_PREP = '''
import csv
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(29)
os.makedirs("drone_2024/labels", exist_ok=True)
with open("trial_design.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["plot", "block", "treatment"])
    for p in range(101, 113):
        w.writerow([p, (p - 101) // 4 + 1, ["untreated control", "herbicide A", "herbicide B"][(p - 101) % 3]])
for p in range(101, 113):
    for flight in ("0603", "0617"):
        name = f"plot_{p}_{flight}"
        Image.fromarray(rng.integers(0, 255, (240, 320, 3), dtype=np.uint8)).save(f"drone_2024/{name}.jpg")
        with open(f"drone_2024/labels/{name}.txt", "w") as f:
            for k in range(3):
                f.write(f"{k % 2} {0.2 + 0.3 * k:.6f} {0.4 + 0.05 * k:.6f} {0.10 + 0.01 * (p % 4):.6f} {0.12:.6f}\\n")
'''

SCRIPTS["trial-plots-selected-with-np-in1d-numpy2"] = '''
import csv
import glob
import os
import shutil

import numpy as np
from imageai.Detection.Custom import DetectionModelTrainer

# only the untreated control plots have enough weeds to be worth a detector
design = list(csv.DictReader(open("trial_design.csv")))
controls = np.array([int(r["plot"]) for r in design if r["treatment"] == "untreated control"])
photos = np.array(sorted(glob.glob("drone_2024/*.jpg")))
plot_of = np.array([int(os.path.basename(p).split("_")[1]) for p in photos])
selected = photos[np.in1d(plot_of, controls)]
print(len(selected), "of", len(photos), "plot photos selected")

for n, p in enumerate(selected):
    split = "validation" if n % 4 == 3 else "train"
    os.makedirs(f"weed_plots/{split}/images", exist_ok=True)
    os.makedirs(f"weed_plots/{split}/annotations", exist_ok=True)
    stem = os.path.splitext(os.path.basename(p))[0]
    shutil.copy(p, f"weed_plots/{split}/images/")
    shutil.copy(f"drone_2024/labels/{stem}.txt", f"weed_plots/{split}/annotations/")

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="weed_plots")
trainer.setTrainConfig(object_names_array=["blackgrass", "wild_oat"], batch_size=4, num_experiments=50)
trainer.trainModel()
'''

# ================================================================== classification training
# ------------------------------------------------------------------ sprouted kernels copied as DSLR raw files
NEF_PREP = '''
import os
import numpy as np

rng = np.random.default_rng(31)
# the sprouted kernels were shot on the lab's Nikon and copied off the card as they were (raw only)
for split, n in (("train", 5), ("test", 2)):
    d = f"wheat_kernels/{split}/sprouted"
    os.makedirs(d, exist_ok=True)
    for i in range(n):
        with open(f"{d}/DSC_{4410 + 10 * (split == 'test') + i:04d}.NEF", "wb") as f:
            f.write(b"MM\\x00*\\x00\\x00\\x00\\x08" + rng.integers(0, 255, 60000, dtype=np.uint8).tobytes())
'''

SCRIPTS["sprouted-kernels-class-folder-dslr-raw-files-only"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

# falling-number lab: broken / healthy / shrivelled / sprouted kernels under the bench camera
trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("wheat_kernels")
trainer.trainModel(num_experiments=40, batch_size=8)
'''

# ================================================================== own loops around ImageAI models
# ------------------------------------------------------------------ 64 px kernel crops into InceptionV3
INCEPTION_PREP = '''
import json
import os
import torch
import torchvision

os.makedirs("wheat_kernels/models", exist_ok=True)
torch.manual_seed(0)
# as ClassificationModelTrainer builds and saves it: inception_v3(init_weights=False), only fc replaced
model = torchvision.models.inception_v3(weights=None, init_weights=False)
model.fc = torch.nn.Linear(2048, 3)
torch.save(model.state_dict(), "wheat_kernels/models/inception_v3-wheat_kernels-test_acc_0.83333_epoch-14.pt")
json.dump({"0": "broken", "1": "healthy", "2": "shrivelled"},
          open("wheat_kernels/models/wheat_kernels_model_classes.json", "w"))
'''

CELLS["kernel-crops-64px-into-imageai-inceptionv3-notebook"] = [
    '''import json
import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from torchvision.models import inception_v3

classes = json.load(open("wheat_kernels/models/wheat_kernels_model_classes.json"))
# single kernels cut out of the tray scans by the segmentation step: all 64 x 64, so no resize needed
tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
crops = datasets.ImageFolder("kernel_crops", transform=tf)
loader = DataLoader(crops, batch_size=8, shuffle=True)
len(crops), crops.classes''',
    '''model = inception_v3(weights=None, init_weights=False)
model.fc = nn.Linear(model.fc.in_features, len(classes))
model.load_state_dict(torch.load("wheat_kernels/models/inception_v3-wheat_kernels-test_acc_0.83333_epoch-14.pt"))
optimizer = torch.optim.SGD(model.fc.parameters(), lr=1e-3, momentum=0.9)
criterion = nn.CrossEntropyLoss()''',
    '''model.train()
for epoch in range(5):
    for x, y in loader:
        out, aux = model(x)
        loss = criterion(out, y) + 0.4 * criterion(aux, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())''',
]

# ------------------------------------------------------------------ backbone features cached with their graph
SCRIPTS["potato-line-backbone-features-cached-head-trained-per-epoch-tqdm"] = '''
import json

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets
from torchvision.models import mobilenet_v2
from tqdm import tqdm

from imageai.Classification.Custom.data_transformation import data_transforms1

torch.manual_seed(0)
classes = json.load(open("potato_line/models/potato_line_model_classes.json"))
model = mobilenet_v2(weights=None)
model.classifier[1] = nn.Linear(1280, len(classes))
model.load_state_dict(torch.load("potato_line/models/mobilenet_v2-potato_line-test_acc_0.79167_epoch-31.pt"))
model.eval()

# a full epoch through the network takes 20 minutes on the packing-house PC: run the backbone once over the new
# photos and train only the classifier head on its features
loader = DataLoader(datasets.ImageFolder("potato_line/new_batch", transform=data_transforms1["test"]), batch_size=6)
feats, labels = [], []
for x, y in loader:
    feats.append(F.adaptive_avg_pool2d(model.features(x), 1).flatten(1))
    labels.append(y)
feats, labels = torch.cat(feats), torch.cat(labels)
print("features:", tuple(feats.shape))

head = model.classifier[1]
optimizer = torch.optim.SGD(head.parameters(), lr=0.01, momentum=0.9)
for epoch in tqdm(range(50), desc="head"):
    perm = torch.randperm(len(feats))
    for i in range(0, len(feats), 6):
        idx = perm[i:i + 6]
        loss = F.cross_entropy(head(feats[idx]), labels[idx])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
torch.save(model.state_dict(), "potato_line/models/mobilenet_v2-potato_line-head-finetune.pt")
'''

# ------------------------------------------------------------------ multi-label weed survey with an extra column
WEEDS4 = '["charlock", "chickweed", "cleavers", "fat_hen"]'
QUADRAT_CSV = "photo,charlock,chickweed,cleavers,fat_hen,bare_ground\n" + "".join(
    f"Q{17 + i:03d}.jpg,{int(i % 3 == 0)},{int(i % 2 == 0)},{int(i % 4 == 1)},{int(i % 5 == 2)},"
    f"{int(i % 3 != 0 and i % 2 != 0 and i % 4 != 1 and i % 5 != 2)}\n" for i in range(16))

SCRIPTS["weed-survey-multilabel-csv-bare-ground-column"] = '''
import csv
import json

import torch
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torchvision.models import mobilenet_v2

from imageai.Classification.Custom.data_transformation import data_transforms1

classes = json.load(open("weeds/models/weeds_model_classes.json"))


class Quadrats(Dataset):
    """survey app export: one row per quadrat photo, a 0/1 column per species seen in it"""

    def __init__(self, csv_path):
        with open(csv_path) as f:
            reader = csv.reader(f)
            self.header = next(reader)
            self.rows = [r for r in reader]

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        photo, *flags = self.rows[i]
        img = Image.open("quadrats/" + photo).convert("RGB")
        return data_transforms1["train"](img), torch.tensor([float(v) for v in flags])


# the single-label ImageAI weed classifier, fine-tuned multi-label: quadrats often hold several species
model = mobilenet_v2(weights=None)
model.classifier[1] = nn.Linear(1280, len(classes))
model.load_state_dict(torch.load("weeds/models/mobilenet_v2-weeds-test_acc_0.81250_epoch-19.pt"))
data = Quadrats("quadrats/survey_2024-05.csv")
print("label columns:", data.header[1:])
loader = DataLoader(data, batch_size=8, shuffle=True)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
criterion = nn.BCEWithLogitsLoss()

model.train()
for epoch in range(10):
    for x, y in loader:
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

# ------------------------------------------------------------------ pig weight, Gaussian NLL, raw kg, ImageAI lr
PIG_PREP = '''
import csv
import numpy as np

rng = np.random.default_rng(33)
with open("weighing_crate/weights.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["photo", "weight_kg"])
    for i in range(24):
        w.writerow([f"crate_{3300 + i}.jpg", round(float(rng.uniform(28, 118)), 1)])
'''

SCRIPTS["pig-weight-gaussian-nll-raw-kg-imageai-learning-rate-tqdm"] = '''
import csv

import torch
from PIL import Image
from torch import nn
from torch.distributions import Normal
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms
from torchvision.models import mobilenet_v2
from tqdm import tqdm

torch.manual_seed(0)


class Crate(Dataset):
    """top-view photos from the weighing crate with the scale's reading"""

    def __init__(self):
        self.rows = list(csv.DictReader(open("weighing_crate/weights.csv")))
        self.tf = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor(),
                                      transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return self.tf(Image.open("weighing_crate/" + r["photo"]).convert("RGB")), float(r["weight_kg"])


# the pen-behaviour classifier trained with ImageAI, re-headed to predict weight and its uncertainty
model = mobilenet_v2(weights=None)
model.classifier[1] = nn.Linear(1280, 3)
model.load_state_dict(torch.load("pig_pens/models/mobilenet_v2-pig_pens-test_acc_0.75000_epoch-22.pt"))
model.classifier[1] = nn.Linear(1280, 2)           # mean, log variance
# ImageAI's MobileNetV2 settings (training_params.py), they worked for the classifier
optimizer = torch.optim.SGD(model.parameters(), lr=0.045, momentum=0.9, weight_decay=4e-5)
loader = DataLoader(Crate(), batch_size=8, shuffle=True)

model.train()
for epoch in range(30):
    for x, kg in tqdm(loader, desc=f"epoch {epoch + 1}"):
        mean, log_var = model(x).unbind(1)
        loss = -Normal(mean, torch.exp(0.5 * log_var)).log_prob(kg.float()).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
'''

# ------------------------------------------------------------------ LIMS grades as an int32 .npy
GRADES_PREP = '''
import numpy as np

# the LIMS export tool writes the grades as int32 (0 = feed, 1 = grade_1, 2 = grade_2)
np.save("lab_scans/grades.npy", (np.arange(12) % 3).astype(np.int32))
'''

SCRIPTS["grain-lab-grades-npy-int32-cross-entropy"] = '''
import glob
import json

import numpy as np
import torch
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torchvision.models import mobilenet_v2

from imageai.Classification.Custom.data_transformation import data_transforms1

classes = json.load(open("grain/models/grain_model_classes.json"))


class LabScans(Dataset):
    def __init__(self):
        self.files = sorted(glob.glob("lab_scans/*.png"))
        self.grades = torch.from_numpy(np.load("lab_scans/grades.npy"))

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        return data_transforms1["train"](Image.open(self.files[i]).convert("RGB")), self.grades[i]


model = mobilenet_v2(weights=None)
model.classifier[1] = nn.Linear(1280, len(classes))
model.load_state_dict(torch.load("grain/models/mobilenet_v2-grain-test_acc_0.87500_epoch-26.pt"))
loader = DataLoader(LabScans(), batch_size=4, shuffle=True)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
criterion = nn.CrossEntropyLoss()

model.train()
for epoch in range(8):
    for x, y in loader:
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

# ------------------------------------------------------------------ the vet's mastitis scores kept one-hot
VET_CSV = "photo,healthy,subclinical,clinical\n" + "".join(
    f"cow_{412 + i}_udder.jpg,{int(i % 3 == 0)},{int(i % 3 == 1)},{int(i % 3 == 2)}\n" for i in range(12))

SCRIPTS["mastitis-vet-scores-one-hot-cross-entropy"] = '''
import csv
import json

import torch
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torchvision.models import mobilenet_v2

from imageai.Classification.Custom.data_transformation import data_transforms1

classes = json.load(open("udders/models/udders_model_classes.json"))     # clinical, healthy, subclinical


class VetScored(Dataset):
    """udder photos from the parlour camera, scored by the vet (one column per score)"""

    def __init__(self):
        self.rows = list(csv.DictReader(open("udder_photos/vet_scores.csv")))

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        img = Image.open("udder_photos/" + r["photo"]).convert("RGB")
        return data_transforms1["train"](img), torch.tensor([int(r[c]) for c in classes.values()])


model = mobilenet_v2(weights=None)
model.classifier[1] = nn.Linear(1280, len(classes))
model.load_state_dict(torch.load("udders/models/mobilenet_v2-udders-test_acc_0.70833_epoch-12.pt"))
loader = DataLoader(VetScored(), batch_size=4, shuffle=True)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
criterion = nn.CrossEntropyLoss()

model.train()
for epoch in range(6):
    for x, y in loader:
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

# ------------------------------------------------------------------ two apple lines' cameras, Resize(224)
SCRIPTS["two-apple-lines-cameras-resize-224-eval-workers"] = '''
import json

import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from torchvision.models import mobilenet_v2

# weekly check of the grading model on the photos QA pulled from both lines (line A: 4:3, line B: 16:9)
tf = transforms.Compose([transforms.Resize(224), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])


def main():
    classes = json.load(open("apples/models/apples_model_classes.json"))
    model = mobilenet_v2(weights=None)
    model.classifier[1] = nn.Linear(1280, len(classes))
    model.load_state_dict(torch.load("apples/models/mobilenet_v2-apples-test_acc_0.85417_epoch-38.pt"))
    model.eval()
    test = datasets.ImageFolder("qa_week23", transform=tf)
    loader = DataLoader(test, batch_size=8, num_workers=2)
    correct = 0
    with torch.no_grad():
        for x, y in loader:
            correct += (model(x).argmax(1) == y).sum().item()
    print(f"week 23 accuracy: {correct / len(test):.3f}")


if __name__ == "__main__":
    main()
'''

# ------------------------------------------------------------------ set_start_method cell run a second time
SPAWN_CELL = '''import torch.multiprocessing as mp
from torch.utils.data import DataLoader
from imageai.Detection.Custom.yolo.dataset import LoadImagesAndLabels

mp.set_start_method("spawn")       # the same notebook runs on the farm office Mac
train_ds = LoadImagesAndLabels("pig_pens", train=True)
loader = DataLoader(train_ds, batch_size=@@BS@@, shuffle=True, num_workers=2, collate_fn=train_ds.collate_fn)
len(train_ds), len(loader)'''

CELLS["set-start-method-spawn-cell-run-again-notebook"] = [
    sub(SPAWN_CELL, BS="8"),
    '''import numpy as np

boxes = np.concatenate(train_ds.labels)
print(len(boxes), "pigs labelled;", np.bincount(boxes[:, 0].astype(int)), "per class")''',
    "# batch 8 was too much for the Mac's memory\n" + sub(SPAWN_CELL, BS="4"),
]


def pen_rows(split, i):
    return "".join(f"{k % 2} {0.20 + 0.22 * k:.6f} {0.35 + 0.1 * (k % 2):.6f} {0.16 + 0.01 * i:.6f} "
                   f"{0.09 + 0.01 * k:.6f}\n" for k in range(4))


# ================================================================== inference
TINY_WEEDS = {"PT": "boom_cam/models/tiny-yolov3_boom_cam_mAP-0.42180_epoch-36.pt",
              "JS": "boom_cam/json/boom_cam_tiny-yolov3_detection_config.json"}

# ------------------------------------------------------------------ mono NIR frames read as grayscale
SCRIPTS["sprayer-boom-nir-frames-imread-grayscale-detector"] = sub('''
import glob

import cv2
from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("@@PT@@")
detector.setJsonPath("@@JS@@")
detector.loadModel()

# the new boom camera is a mono NIR camera: read its frames as the single channel they are
for path in sorted(glob.glob("boom_cam/nir/*.png")):
    frame = cv2.imread(path, cv2.IMREAD_GRAYSCALE)
    annotated, detections = detector.detectObjectsFromImage(input_image=frame, output_type="array",
                                                            minimum_percentage_probability=40)
    weeds = [d for d in detections if d["name"] == "weed"]
    print(path, len(weeds), "weeds")
''', **TINY_WEEDS)

# ------------------------------------------------------------------ graded output paths without an extension
TINY_DEFECTS = {"PT": "apple_defects/models/tiny-yolov3_apple_defects_mAP-0.51230_epoch-44.pt",
                "JS": "apple_defects/json/apple_defects_tiny-yolov3_detection_config.json"}

SCRIPTS["grading-line-output-paths-without-extension"] = sub('''
import glob
import os

from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("@@PT@@")
detector.setJsonPath("@@JS@@")
detector.loadModel()

os.makedirs("graded", exist_ok=True)
for path in sorted(glob.glob("line2_frames/*.jpg")):
    out = os.path.join("graded", os.path.splitext(os.path.basename(path))[0] + "_graded")
    detections = detector.detectObjectsFromImage(input_image=path, output_image_path=out,
                                                 minimum_percentage_probability=45)
    defects = sorted({d["name"] for d in detections})
    print(os.path.basename(path), "->", defects or "clean")
''', **TINY_DEFECTS)

# ------------------------------------------------------------------ consultant's grader pickled whole
PICKLED_PREP = '''
import json
import os
import torch
import torchvision

os.makedirs("kernel_grader", exist_ok=True)
torch.manual_seed(0)
model = torchvision.models.mobilenet_v2(weights=None)
model.classifier[1] = torch.nn.Linear(1280, 3)
# the consultant's fine-tuning script ends with torch.save(model, ...)
torch.save(model, "kernel_grader/kernel_grader_v2.pt")
json.dump({"0": "broken", "1": "healthy", "2": "shrivelled"}, open("kernel_grader/kernel_grader_classes.json", "w"))
'''

SCRIPTS["consultant-kernel-grader-pickled-whole-customimageclassification"] = '''
import glob

from imageai.Classification.Custom import CustomImageClassification

# v2 of the kernel grader from the consultant, to replace the one we trained with ImageAI in spring
prediction = CustomImageClassification()
prediction.setModelTypeAsMobileNetV2()
prediction.setModelPath("kernel_grader/kernel_grader_v2.pt")
prediction.setJsonPath("kernel_grader/kernel_grader_classes.json")
prediction.loadModel()

for path in sorted(glob.glob("todays_samples/*.jpg")):
    names, probs = prediction.classifyImage(path, result_count=1)
    print(path, names[0], probs[0])
'''

# ------------------------------------------------------------------ drone orthophoto tiles as GeoTIFF
RETINA_PREP = '''
import os
import warnings
import numpy as np
import torch
import torchvision
from PIL import Image

warnings.simplefilter("ignore")
torch.manual_seed(0)
# stands in for retinanet_resnet50_fpn_coco-eeacb38b.pth from the ImageAI 3.0.0-pretrained release
torch.save(torchvision.models.detection.retinanet_resnet50_fpn(weights=None, weights_backbone=None,
                                                               num_classes=91).state_dict(),
           "retinanet_resnet50_fpn_coco-eeacb38b.pth")
# the paddock orthophoto cut into tiles by the drone software's export (GeoTIFF)
rng = np.random.default_rng(37)
os.makedirs("paddock_7_tiles", exist_ok=True)
for r in range(2):
    for c in range(2):
        Image.fromarray(rng.integers(60, 200, (320, 320, 3), dtype=np.uint8)).save(f"paddock_7_tiles/tile_{r:02d}_{c:02d}.tif")
'''

SCRIPTS["paddock-orthophoto-geotiff-tiles-retinanet-sheep-count"] = '''
import glob

from imageai.Detection import ObjectDetection

detector = ObjectDetection()
detector.setModelTypeAsRetinaNet()
detector.setModelPath("retinanet_resnet50_fpn_coco-eeacb38b.pth")
detector.loadModel()
sheep_only = detector.CustomObjects(sheep=True)

total = 0
for tile in sorted(glob.glob("paddock_7_tiles/*.tif")):
    detections = detector.detectObjectsFromImage(input_image=tile, custom_objects=sheep_only,
                                                 minimum_percentage_probability=40)
    total += len(detections)
print("sheep in paddock 7:", total)
'''

# ------------------------------------------------------------------ scouting photos synced as HEIC
HEIC_PREP = '''
import os
import numpy as np
import torch
import torchvision

os.makedirs("models", exist_ok=True)
torch.manual_seed(0)
# stands in for mobilenet_v2-b0353104.pth (the ImageNet weights from the ImageAI release)
torch.save(torchvision.models.mobilenet_v2(weights=None).state_dict(), "models/mobilenet_v2-b0353104.pth")
rng = np.random.default_rng(39)
# the agronomist's iPhone photos, synced to the office PC by iCloud as they were taken
os.makedirs("scouting_0712", exist_ok=True)
for n in (4411, 4415):
    with open(f"scouting_0712/IMG_{n}.HEIC", "wb") as f:
        f.write(b"\\x00\\x00\\x00\\x18ftypheic\\x00\\x00\\x00\\x00mif1heic" + rng.integers(0, 255, 40000, dtype=np.uint8).tobytes())
'''

SCRIPTS["scouting-photos-synced-as-heic-imageclassification"] = '''
import glob

from imageai.Classification import ImageClassification

# a first look at what the ImageNet model makes of the scouting photos (before training our own)
prediction = ImageClassification()
prediction.setModelTypeAsMobileNetV2()
prediction.setModelPath("models/mobilenet_v2-b0353104.pth")
prediction.loadModel()

for path in sorted(glob.glob("scouting_0712/*")):
    predictions, probabilities = prediction.classifyImage(path, result_count=3)
    print(path, list(zip(predictions, probabilities)))
'''

# ------------------------------------------------------------------ poultry house: frame passed to every callback
TINY_HENS = {"PT": "hen_house/models/tiny-yolov3_hen_house_mAP-0.46610_epoch-28.pt",
             "JS": "hen_house/json/hen_house_tiny-yolov3_detection_config.json"}

CLIP_PREP = '''
import os
import cv2
import numpy as np

rng = np.random.default_rng(41)
os.makedirs("hen_house_cam", exist_ok=True)
bg = cv2.resize(rng.integers(60, 140, (31, 41, 3), dtype=np.uint8), (320, 240))
vw = cv2.VideoWriter("hen_house_cam/shed2_0615_0600.mp4", cv2.VideoWriter_fourcc(*"mp4v"), 10, (320, 240))
for t in range(12):
    frame = bg.copy()
    cv2.ellipse(frame, (60 + 15 * t, 150), (22, 15), 0, 0, 360, (200, 190, 170), -1)
    cv2.ellipse(frame, (250, 200), (6, 8), 0, 0, 360, (230, 230, 225), -1)
    vw.write(frame)
vw.release()
'''

SCRIPTS["poultry-house-video-return-detected-frame-three-arg-per-frame"] = sub('''
import os

import cv2
from imageai.Detection.Custom import CustomVideoObjectDetection

floor_eggs = []


def count_floor_eggs(frame_number, output_array, output_count):
    floor_eggs.append(output_count.get("floor_egg", 0))


def snapshot(second, output_arrays, count_arrays, average_count, detected_frame):
    # one picture per second for the morning report
    cv2.imwrite(f"report/shed2_{second:04d}.jpg", detected_frame)


os.makedirs("report", exist_ok=True)
detector = CustomVideoObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("@@PT@@")
detector.setJsonPath("@@JS@@")
detector.loadModel()
detector.detectObjectsFromVideo(input_file_path="hen_house_cam/shed2_0615_0600.mp4",
                                output_file_path="report/shed2_0615_0600_detected",
                                frames_per_second=10, minimum_percentage_probability=40,
                                per_frame_function=count_floor_eggs, per_second_function=snapshot,
                                return_detected_frame=True)
print("floor eggs per frame:", floor_eggs)
''', **TINY_HENS)

# ------------------------------------------------------------------ DataLoader tensors given to classifyImage
SCRIPTS["grain-test-split-dataloader-tensors-to-classifyimage"] = '''
from torch.utils.data import DataLoader
from torchvision import datasets

from imageai.Classification.Custom import CustomImageClassification
from imageai.Classification.Custom.data_transformation import data_transforms1

prediction = CustomImageClassification()
prediction.setModelTypeAsDenseNet121()
prediction.setModelPath("barley/models/densenet121-barley-test_acc_0.77083_epoch-33.pt")
prediction.setJsonPath("barley/models/barley_model_classes.json")
prediction.loadModel()

# accuracy on the test split, with the same test transforms as the trainer
test = datasets.ImageFolder("barley/test", transform=data_transforms1["test"])
correct = 0
for x, y in DataLoader(test, batch_size=1):
    names, probs = prediction.classifyImage(x[0], result_count=1)
    correct += names[0] == test.classes[y.item()]
print(f"test accuracy: {correct / len(test):.3f}")
'''

# ------------------------------------------------------------------ first script saved as imageai.py
SCRIPTS["first-script-saved-as-imageai-py"] = '''
# imageai.py -- trying ImageAI on the malting barley samples
from imageai.Classification.Custom import CustomImageClassification

prediction = CustomImageClassification()
prediction.setModelTypeAsMobileNetV2()
prediction.setModelPath("barley_model/mobilenet_v2-barley-test_acc_0.77083_epoch-33.pt")
prediction.setJsonPath("barley_model/barley_model_classes.json")
prediction.loadModel()

names, probs = prediction.classifyImage("sample_0712.jpg", result_count=2)
for name, prob in zip(names, probs):
    print(name, ":", prob)
'''


def cases():
    out, _add, script, notebook = case_builders("torch-more110-", SCRIPTS, CELLS)
    NB = ("ipython_cell", "ipython_arrows", "ipython_file_tilde?")
    P = ("cpython_basic", "progress_bars?")
    F = "imageai"
    BARLEY = '["malting", "feed", "skinned"]'

    # ---- detection training: data
    notebook("sticky-trap-converter-cut-off-half-row-notebook", "data.missing_or_corrupt",
             also=["data.bbox_invalid"], framework=F, forms=NB,
             setup=yolo_layout("sticky_traps", trap_rows, size=(480, 360), splits=(("train", 8), ("validation", 2))))
    script("orchard-portrait-photos-labelme-boxes-normalised-by-stored-size", "data.bbox_invalid", framework=F,
           argv="convert_and_train.py", setup=prep(ORCHARD_PREP))
    script("pest-scout-taps-written-as-zero-size-boxes", "data.bbox_invalid", also=["data.too_few_boxes"],
           framework=F, argv="train_traps.py", timeout=400, setup=prep(SCOUT_PREP))
    script("labelimg-predefined-classes-ahead-of-weeds-tqdm", "data.label_out_of_range", framework=F, forms=P,
           argv="train_weeds.py", timeout=400,
           setup=both(yolo_layout("paddock_weeds", weed_rows, size=(320, 240)),
                      write("paddock_weeds/train/annotations/classes.txt", WEED_CLASSES_TXT),
                      write("paddock_weeds/validation/annotations/classes.txt", WEED_CLASSES_TXT)))
    notebook("feedlot-photos-one-subfolder-per-farm-notebook", "data.missing_or_corrupt", framework=F, forms=NB,
             setup=prep(FARMS_PREP))

    # ---- detection training: resources, versions
    script("feedlot-yolov3-batch-16-office-pc-memory-cap", "resource.host_memory", framework=F, forms=P,
           argv="train_feedlot.py", timeout=500,
           setup=yolo_layout("feedlot", feedlot_rows, size=(320, 240), splits=(("train", 20), ("validation", 4))))
    script("trial-plots-selected-with-np-in1d-numpy2", "env.version_incompat", framework=F,
           argv="train_trial_weeds.py", setup=prep(TRIAL_PREP))

    # ---- classification training
    script("sprouted-kernels-class-folder-dslr-raw-files-only", "data.missing_or_corrupt", framework=F,
           argv="train_kernels.py",
           setup=both(imgs(class_folder("wheat_kernels/train", ["broken", "healthy", "shrivelled"], 5, size=(96, 96))
                           + class_folder("wheat_kernels/test", ["broken", "healthy", "shrivelled"], 2,
                                          size=(96, 96))),
                      prep(NEF_PREP)))

    # ---- own loops around ImageAI models
    notebook("kernel-crops-64px-into-imageai-inceptionv3-notebook", "model.input_shape", framework=F, forms=NB,
             timeout=400,
             setup=both(prep(INCEPTION_PREP),
                        imgs(class_folder("kernel_crops", ["broken", "healthy", "shrivelled"], 4, size=(64, 64)))))
    script("potato-line-backbone-features-cached-head-trained-per-epoch-tqdm", "optim.autograd_graph", framework=F,
           forms=P, argv="finetune_head.py",
           setup=both(save_cls("mobilenet_v2", '["common_scab", "healthy", "silver_scurf"]',
                               "potato_line/models/mobilenet_v2-potato_line-test_acc_0.79167_epoch-31.pt",
                               "potato_line/models/potato_line_model_classes.json"),
                      imgs(class_folder("potato_line/new_batch", ["common_scab", "healthy", "silver_scurf"], 4,
                                        size=(120, 96)))))
    script("weed-survey-multilabel-csv-bare-ground-column", "model.output_mismatch", also=["data.label_shape"],
           framework=F, argv="finetune_multilabel.py", extra={"quadrats/survey_2024-05.csv": QUADRAT_CSV},
           setup=both(save_cls("mobilenet_v2", WEEDS4, "weeds/models/mobilenet_v2-weeds-test_acc_0.81250_epoch-19.pt",
                               "weeds/models/weeds_model_classes.json"),
                      imgs([(f"quadrats/Q{17 + i:03d}.jpg", (160, 120), "RGB") for i in range(16)])))
    script("pig-weight-gaussian-nll-raw-kg-imageai-learning-rate-tqdm", "optim.divergence", framework=F, forms=P,
           argv="train_weight.py",
           setup=both(save_cls("mobilenet_v2", '["feeding", "lying", "standing"]',
                               "pig_pens/models/mobilenet_v2-pig_pens-test_acc_0.75000_epoch-22.pt",
                               "pig_pens/models/pig_pens_model_classes.json"),
                      imgs([(f"weighing_crate/crate_{3300 + i}.jpg", (160, 120), "RGB") for i in range(24)]),
                      prep(PIG_PREP)))
    script("grain-lab-grades-npy-int32-cross-entropy", "data.dtype", framework=F, argv="finetune_lab.py",
           setup=both(save_cls("mobilenet_v2", '["feed", "grade_1", "grade_2"]',
                               "grain/models/mobilenet_v2-grain-test_acc_0.87500_epoch-26.pt",
                               "grain/models/grain_model_classes.json"),
                      imgs([(f"lab_scans/scan_{i:03d}.png", (128, 96), "RGB") for i in range(12)]),
                      prep(GRADES_PREP)))
    script("mastitis-vet-scores-one-hot-cross-entropy", "data.label_shape", also=["data.dtype"], framework=F,
           argv="finetune_udders.py", extra={"udder_photos/vet_scores.csv": VET_CSV},
           setup=both(save_cls("mobilenet_v2", '["clinical", "healthy", "subclinical"]',
                               "udders/models/mobilenet_v2-udders-test_acc_0.70833_epoch-12.pt",
                               "udders/models/udders_model_classes.json"),
                      imgs([(f"udder_photos/cow_{412 + i}_udder.jpg", (160, 120), "RGB") for i in range(12)])))
    script("two-apple-lines-cameras-resize-224-eval-workers", "data.image_size_mismatch", framework=F,
           forms=("cpython_basic", "dataloader_worker"), argv="weekly_check.py",
           setup=both(save_cls("mobilenet_v2", '["bruised", "class_1", "class_2"]',
                               "apples/models/mobilenet_v2-apples-test_acc_0.85417_epoch-38.pt",
                               "apples/models/apples_model_classes.json"),
                      imgs([(f"qa_week23/{c}/line{ln}_{i:03d}.jpg", (320, 240) if ln == "A" else (384, 216), "RGB")
                            for c in ("bruised", "class_1", "class_2") for ln in ("A", "B") for i in range(2)])))
    notebook("set-start-method-spawn-cell-run-again-notebook", "env.multiprocessing", framework=F, forms=NB,
             setup=yolo_layout("pig_pens", pen_rows, size=(320, 240)))

    # ---- inference
    script("sprayer-boom-nir-frames-imread-grayscale-detector", "data.image_channels", framework=F,
           argv="detect_boom.py",
           setup=both(save_tiny('["crop", "weed"]', 2, TINY_WEEDS["PT"], TINY_WEEDS["JS"]),
                      imgs([(f"boom_cam/nir/nir_{120 + i:06d}.png", (320, 240), "L") for i in range(2)])))
    script("grading-line-output-paths-without-extension", "model.api_misuse", framework=F, argv="grade_line2.py",
           exception="error",
           setup=both(save_tiny('["bruise", "scab", "stem_puncture"]', 3, TINY_DEFECTS["PT"], TINY_DEFECTS["JS"]),
                      imgs([(f"line2_frames/frame_{101 + i:06d}.jpg", (320, 240), "RGB") for i in range(2)])))
    script("consultant-kernel-grader-pickled-whole-customimageclassification", "model.weights_mismatch",
           framework=F, forms=("cpython_basic", "chained_during"), argv="grade_samples.py", exception="Exception",
           setup=both(prep(PICKLED_PREP), imgs([(f"todays_samples/tray_{i}.jpg", (160, 120), "RGB") for i in range(2)])))
    script("paddock-orthophoto-geotiff-tiles-retinanet-sheep-count", "data.missing_or_corrupt",
           also=["model.api_misuse"], framework=F, argv="count_sheep.py", timeout=400, setup=prep(RETINA_PREP))
    script("scouting-photos-synced-as-heic-imageclassification", "data.missing_or_corrupt", framework=F,
           argv="what_is_it.py", setup=prep(HEIC_PREP))
    script("poultry-house-video-return-detected-frame-three-arg-per-frame", "model.api_misuse", framework=F,
           argv="floor_eggs.py",
           setup=both(save_tiny('["hen", "floor_egg"]', 2, TINY_HENS["PT"], TINY_HENS["JS"]), prep(CLIP_PREP)))
    script("grain-test-split-dataloader-tensors-to-classifyimage", "model.api_misuse", framework=F,
           argv="test_accuracy.py",
           setup=both(save_cls("densenet121", BARLEY, "barley/models/densenet121-barley-test_acc_0.77083_epoch-33.pt",
                               "barley/models/barley_model_classes.json"),
                      imgs(class_folder("barley/test", ["feed", "malting", "skinned"], 2, size=(160, 120)))))
    script("first-script-saved-as-imageai-py", "other", also=["env.version_incompat"], framework=F,
           argv="imageai.py",
           setup=both(save_cls("mobilenet_v2", BARLEY, "barley_model/mobilenet_v2-barley-test_acc_0.77083_epoch-33.pt",
                               "barley_model/barley_model_classes.json"),
                      imgs([("sample_0712.jpg", (160, 120), "RGB")])))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=1))
