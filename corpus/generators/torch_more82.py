"""An eighty-second held-out set (g154, scored 0.95 top-1 and 1.00 top-3 before any rule for it) of ImageAI 3 / PyTorch failures, untargeted across the taxonomy.

The persona: ImageAI 3.0.3 (PyTorch) users, about half, and plain PyTorch users, about half, whose datasets were
assembled by hand from many sources on personal laptops and shared drives -- files copied from phones, Windows and
Mac machines and cloud folders (upper-case and mixed extensions, names with spaces, accents and emoji, CRLF and
UTF-8-BOM annotation files, hidden files such as ``.DS_Store`` / ``Thumbs.db`` / ``desktop.ini``, duplicate copies
``img (1).jpg`` and Google Drive's ``Copy of ...``, zip extractions nested one level deep), annotation exports of
several tools merged into one folder -- then trained with ImageAI's ``DetectionModelTrainer`` /
``ClassificationModelTrainer`` or a small PyTorch loop. A natural mix of causes, each program built so that its
cause is known by construction and made to fail inside ImageAI, torch, torchvision, NumPy, SciPy, OpenCV or Python:

- ImageAI ``DetectionModelTrainer``: photos unzipped from a Mac (NFD-normalised accented names) beside YOLO labels
  written on Windows (NFC names), so that ImageAI finds no label at all and its anchor k-means gets no box
  (data.missing_or_corrupt), a Drive "download all" zip unpacked into a folder of the same name (one level too
  deep, data.missing_or_corrupt), the two source folders given to ``setDataDirectory`` as a list
  (model.api_misuse), LabelImg XMLs whose ``<size>`` is 0 x 0 converted to YOLO with NumPy (inf boxes, warnings
  first, data.bbox_invalid), the browser tool's comma-separated YOLO export merged into the LabelImg set
  (data.missing_or_corrupt), a batch size read as a string from the Windows PC's ``settings.ini``
  (model.api_misuse);
- ImageAI ``ClassificationModelTrainer``: a test split merged from two machines with both ``Cat`` and ``cat``
  folders (tqdm, data.label_out_of_range), a colleague's ``.PTH`` ImageNet file given to ``transfer_from_model``
  (model.api_misuse);
- ImageAI inference: the class JSON picked by ``sorted(glob)`` is the Drive duplicate ``(1)`` of a later five-class
  run (notebook, model.weights_mismatch), a synced OneDrive folder whose ``Thumbs.db`` reaches
  ``detectObjectsFromImage`` after the dot files were skipped (tqdm, data.missing_or_corrupt);
- plain PyTorch: CSV exports of two tools concatenated so that some photos have two label rows (in workers,
  data.label_shape), a LabelImg ``classes.txt`` re-saved by Notepad with a byte-order mark (tqdm,
  data.missing_or_corrupt), a ``path label`` list file meeting macOS screenshot names with spaces
  (data.missing_or_corrupt), a reading parsed from file names meeting Google Drive's ``Copy of`` duplicates (in
  workers, other), an old phone-camera degradation helper importing ``torchvision.transforms.functional_tensor``
  (env.version_incompat), ``IMREAD_ANYDEPTH | IMREAD_ANYCOLOR`` keeping the grey scans two-dimensional (in workers,
  data.image_channels), a four-class head widened for a new class folder by slice assignment (notebook,
  optim.autograd_graph), raw 0-255 pixels of mixed sources into a hand-written class-balanced cross-entropy (``softmax().log()``) under
  SGD with ``clip_grad_norm_(error_if_nonfinite=True)`` (optim.divergence), ``ImageFolder(extensions=...)`` for the ``.JPG`` / ``.jfif`` files (model.api_misuse), a flat
  MLP sized for 128 x 128 fed ``Resize(128)`` phone photos (notebook, model.input_shape), every photo padded to the
  largest one of the merged folders (a phone panorama) under the laptop's memory limit (resource.host_memory), class
  ids parsed as ``float`` to accept both tools' ``2`` and ``2.0`` (data.dtype).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None: the model files
are ones an earlier run or a colleague left on disk; epochs of a few small images).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more82.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


import json  # noqa: E402
import unicodedata  # noqa: E402
from pathlib import Path  # noqa: E402

from _record import (Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders,  # noqa: E402,F401
                     yolo_layout, save_tiny, save_cls)
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more82.py"

SCRIPTS = {}
CELLS = {}

MEAN_STD = "[0.485, 0.456, 0.406], [0.229, 0.224, 0.225]"


def yolo_rows(nc=2, n=4):
    def rows(split, i):
        return "".join(f"{(i + k) % nc} 0.{20 + 15 * k + i % 5:02d} 0.{25 + 12 * k + i % 7:02d} "
                       f"0.{10 + 3 * k + i % 4:02d} 0.{12 + 2 * k + i % 3:02d}\n" for k in range(n))
    return rows


# ================================================================== ImageAI DetectionModelTrainer
SCRIPTS["imageai-det-mac-zip-nfd-photo-names-windows-nfc-labels"] = '''
import os

from imageai.Detection.Custom import DetectionModelTrainer

# photos: AirDrop zip from Lucía's MacBook; labels: drawn in LabelImg (YOLO) on the office PC and copied over
DATA = "señales"
CLASSES = ["stop", "ceda_el_paso", "dirección_prohibida"]

for split in ("train", "validation"):
    print(f"{split}: {len(os.listdir(os.path.join(DATA, split, 'images')))} photos, "
          f"{len(os.listdir(os.path.join(DATA, split, 'annotations')))} label files")

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory=DATA)
trainer.setTrainConfig(object_names_array=CLASSES, batch_size=4, num_experiments=30)
trainer.trainModel()
'''


def signs_nfd(work: Path) -> None:
    names = ["señal_stop_calle_mayor", "señal_ceda_glorieta", "señal_dirección_prohibida_plaza",
             "señal_stop_esquina_cañada", "señal_ceda_salida_peñón", "señal_dirección_prohibida_túnel"]
    specs = []
    for split, n in (("train", 6), ("validation", 2)):
        for i in range(n):
            stem = f"{names[i % len(names)]}_{i:03d}"
            specs.append((f"señales/{split}/images/{unicodedata.normalize('NFD', stem)}.jpg", (200, 150), "RGB"))
            d = work / "señales" / split / "annotations"
            d.mkdir(parents=True, exist_ok=True)
            (d / f"{unicodedata.normalize('NFC', stem)}.txt").write_text(yolo_rows(3, 2)(split, i))
    make_images(work, specs)


SCRIPTS["imageai-det-drive-zip-unpacked-into-same-name-folder"] = '''
import os
import shutil

from imageai.Detection.Custom import DetectionModelTrainer

ZIP = "downloads/helmets-20240611T081532Z-001.zip"     # "Download all" of the shared Drive folder "helmets"
DATA = "datasets/helmets"

if not os.path.isdir(DATA):
    shutil.unpack_archive(ZIP, DATA)
print("unpacked:", sorted(os.listdir(DATA)))

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory=DATA)
trainer.setTrainConfig(object_names_array=["helmet", "head"], batch_size=4, num_experiments=30)
trainer.trainModel()
'''


def helmets_zip(work: Path) -> None:
    import shutil
    yolo_layout("_stage/helmets", yolo_rows(2), size=(200, 150))(work)
    (work / "downloads").mkdir()
    shutil.make_archive(str(work / "downloads" / "helmets-20240611T081532Z-001"), "zip", work / "_stage", "helmets")
    shutil.rmtree(work / "_stage")


SCRIPTS["imageai-det-two-source-folders-given-as-list"] = '''
import glob

from imageai.Detection.Custom import DetectionModelTrainer

# phone photos labelled at home + drone frames labelled at the office; both in ImageAI's layout
SOURCES = ["data/phone_helmets", "data/drone_helmets"]
for s in SOURCES:
    print(s, len(glob.glob(s + "/train/images/*")), "train images")

trainer = DetectionModelTrainer()
trainer.setModelTypeAsYOLOv3()
trainer.setDataDirectory(data_directory=SOURCES)
trainer.setTrainConfig(object_names_array=["helmet", "head"], batch_size=4, num_experiments=50)
trainer.trainModel()
'''

SCRIPTS["imageai-det-labelimg-xml-size-zero-converted-with-numpy"] = '''
import glob
import os
import xml.etree.ElementTree as ET

import numpy as np
from imageai.Detection.Custom import DetectionModelTrainer

CLASSES = ["apple", "pear"]
DATA = "orchard"

# Pascal VOC XMLs from both laptops (LabelImg) -> ImageAI's YOLO txt files
for split in ("train", "validation"):
    os.makedirs(f"{DATA}/{split}/annotations", exist_ok=True)
    for xml_path in sorted(glob.glob(f"{DATA}/{split}/xml/*.xml")):
        root = ET.parse(xml_path).getroot()
        W, H = (float(root.find(f"size/{k}").text) for k in ("width", "height"))
        rows = []
        for obj in root.iter("object"):
            bb = obj.find("bndbox")
            x1, y1, x2, y2 = (float(bb.find(k).text) for k in ("xmin", "ymin", "xmax", "ymax"))
            xywh = np.array([(x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1]) / np.array([W, H, W, H])
            rows.append([CLASSES.index(obj.find("name").text), *xywh])
        stem = os.path.splitext(os.path.basename(xml_path))[0]
        np.savetxt(f"{DATA}/{split}/annotations/{stem}.txt", np.array(rows), fmt="%g")
print("converted", len(glob.glob(f"{DATA}/*/annotations/*.txt")), "files")

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory=DATA)
trainer.setTrainConfig(object_names_array=CLASSES, batch_size=4, num_experiments=30)
trainer.trainModel()
'''

VOC_XML = '''<annotation>
\t<folder>{folder}</folder>
\t<filename>{name}.JPG</filename>
\t<path>{path}\\{name}.JPG</path>
\t<source>
\t\t<database>Unknown</database>
\t</source>
\t<size>
\t\t<width>{w}</width>
\t\t<height>{h}</height>
\t\t<depth>3</depth>
\t</size>
\t<segmented>0</segmented>
{objects}</annotation>
'''
VOC_OBJ = '''\t<object>
\t\t<name>{cls}</name>
\t\t<pose>Unspecified</pose>
\t\t<truncated>0</truncated>
\t\t<difficult>0</difficult>
\t\t<bndbox>
\t\t\t<xmin>{x1}</xmin>
\t\t\t<ymin>{y1}</ymin>
\t\t\t<xmax>{x2}</xmax>
\t\t\t<ymax>{y2}</ymax>
\t\t</bndbox>
\t</object>
'''


def orchard_voc(work: Path) -> None:
    specs = []
    for split, n in (("train", 6), ("validation", 2)):
        d = work / "orchard" / split / "xml"
        d.mkdir(parents=True, exist_ok=True)
        for i in range(n):
            name = f"IMG_{4100 + 7 * i + (0 if split == 'train' else 300)}"
            specs.append((f"orchard/{split}/images/{name}.JPG", (240, 180), "RGB"))
            objs = "".join(VOC_OBJ.format(cls=("apple", "pear")[(i + k) % 2], x1=20 + 60 * k, y1=30 + 10 * i,
                                          x2=60 + 60 * k + i, y2=80 + 10 * i + k) for k in range(3))
            laptop = i % 3 == 2          # the second laptop's LabelImg wrote a 0 x 0 size
            d.joinpath(f"{name}.xml").write_text(VOC_XML.format(
                folder="images", name=name, w=0 if laptop else 240, h=0 if laptop else 180, objects=objs,
                path=r"C:\Users\Marta\Pictures\orchard" if laptop else "/Users/jonas/Desktop/orchard/images"),
                newline="\r\n" if laptop else "\n")
    make_images(work, specs)


SCRIPTS["imageai-det-browser-tool-comma-separated-yolo-merged"] = '''
import glob

from imageai.Detection.Custom import DetectionModelTrainer

# LabelImg labels from the first 200 photos + the browser tool's "YOLO" export of the last 40, one folder
for split in ("train", "validation"):
    print(split, len(glob.glob(f"birdfeeder/{split}/images/*")), "images,",
          len(glob.glob(f"birdfeeder/{split}/annotations/*.txt")), "labels")

trainer = DetectionModelTrainer()
trainer.setModelTypeAsYOLOv3()
trainer.setDataDirectory(data_directory="birdfeeder")
trainer.setTrainConfig(object_names_array=["tit", "sparrow", "squirrel"], batch_size=4, num_experiments=40)
trainer.trainModel()
'''


def birdfeeder(work: Path) -> None:
    yolo_layout("birdfeeder", yolo_rows(3, 3), size=(200, 150), splits=(("train", 8), ("validation", 2)))(work)
    ann = work / "birdfeeder/train/annotations"
    for i in (5, 6, 7):      # the browser export: commas and Windows line endings
        p = ann / f"tra_{i:04d}.txt"
        rows = [l.split() for l in p.read_text().splitlines()]
        p.write_bytes("".join(",".join(r) + "\r\n" for r in rows).encode())


SCRIPTS["imageai-det-batch-size-string-from-settings-ini"] = '''
import configparser

from imageai.Detection.Custom import DetectionModelTrainer

# settings.ini is shared with the Windows training PC so that both machines train the same way
cfg = configparser.ConfigParser()
cfg.read("settings.ini")
t = cfg["training"]
print({k: t[k] for k in t})

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory=t["data_dir"])
trainer.setTrainConfig(object_names_array=[c.strip() for c in t["classes"].split(",")],
                       batch_size=t["batch_size"], num_experiments=t.getint("epochs"))
trainer.trainModel()
'''

SETTINGS_INI = ("; training settings - keep in sync with \\\\NAS\\ml\\settings.ini\r\n[training]\r\n"
                "data_dir = parcels\r\nclasses = box, envelope, tube\r\nbatch_size = 8\r\nepochs = 60\r\n")

# ================================================================== ImageAI ClassificationModelTrainer
SCRIPTS["imageai-cls-trainer-test-split-cat-and-Cat-folders"] = '''
import glob

from imageai.Classification.Custom import ClassificationModelTrainer

# train/ came from the Windows desktop, test/ was merged from the MacBook and the family Drive folder
for split in ("train", "test"):
    print(split, len(glob.glob(f"pets/{split}/*/*")), "images")

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("pets")
trainer.trainModel(num_experiments=3, batch_size=4)
'''


def pets(work: Path) -> None:
    specs = class_folder("pets/train", ["cat", "dog"], 5)
    specs += [(f"pets/test/Cat/IMG_{i:04d}.JPG", (64, 64), "RGB") for i in range(2)]
    specs += [(f"pets/test/cat/cat ({i}).jpg", (64, 64), "RGB") for i in range(1, 3)]
    specs += [(f"pets/test/dog/dog_{i:03d}.jpeg", (64, 64), "RGB") for i in range(3)]
    make_images(work, specs)
    for d in ("pets/train/cat", "pets/test/Cat", "pets/test/dog"):
        (work / d / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1" + b"\x00" * 60)
    (work / "pets/test/cat/Thumbs.db").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 120)


SCRIPTS["imageai-cls-trainer-transfer-from-upper-case-PTH"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

# ImageNet weights from the lab's shared drive (Piotr's Windows folder), saved as ResNet50_ImageNet.PTH
trainer = ClassificationModelTrainer()
trainer.setModelTypeAsResNet50()
trainer.setDataDirectory("datasets/mushrooms")
trainer.trainModel(num_experiments=20, batch_size=4,
                   transfer_from_model="shared/pretrained/ResNet50_ImageNet.PTH")
'''

RESNET_PTH = '''
import os, torch, torchvision
os.makedirs("shared/pretrained", exist_ok=True)
torch.manual_seed(0)
torch.save(torchvision.models.resnet50().state_dict(), "shared/pretrained/ResNet50_ImageNet.PTH")
'''

# ================================================================== ImageAI inference
CELLS["imageai-custom-cls-sorted-glob-picks-drive-duplicate-json-notebook"] = [
    '''import glob
from imageai.Classification.Custom import CustomImageClassification

models = sorted(glob.glob("shared/fruit_model/*.pt"))
jsons = sorted(glob.glob("shared/fruit_model/*.json"))
models, jsons''',
    '''clf = CustomImageClassification()
clf.setModelTypeAsMobileNetV2()
clf.setModelPath(models[-1])
clf.setJsonPath(jsons[0])
clf.loadModel()''',
    '''for p in sorted(glob.glob("market_photos/*.jpg")):
    print(p, clf.classifyImage(p, result_count=2))''',
]

FRUIT_DUP_JSON = '''
import json
# the same folder downloaded again from Drive after the five-class run: Drive added " (1)"
json.dump({"0": "apple", "1": "banana", "2": "mango", "3": "orange", "4": "pear"},
          open("shared/fruit_model/fruit_model_classes (1).json", "w"))
'''

SCRIPTS["imageai-detect-onedrive-folder-thumbs-db-after-dotfiles-skipped"] = '''
import os

from tqdm import tqdm
from imageai.Detection.Custom import CustomObjectDetection

FOLDER = "OneDrive - Site Team/2024-05 inspection"

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("models/tiny-yolov3_cracks_last.pt")
detector.setJsonPath("models/cracks_tiny-yolov3_detection_config.json")
detector.loadModel()

os.makedirs("detected", exist_ok=True)
names = [n for n in sorted(os.listdir(FOLDER)) if not n.startswith(".")]     # skip .DS_Store & co.
found = {}
for name in tqdm(names, desc="photos"):
    dets = detector.detectObjectsFromImage(input_image=os.path.join(FOLDER, name),
                                           output_image_path=os.path.join("detected", name),
                                           minimum_percentage_probability=40)
    found[name] = len(dets)
print(found)
'''


def onedrive_folder(work: Path) -> None:
    f = "OneDrive - Site Team/2024-05 inspection"
    make_images(work, [(f"{f}/IMG_2041.JPG", (320, 240), "RGB"), (f"{f}/IMG_2041 (1).JPG", (320, 240), "RGB"),
                       (f"{f}/Pillar 3 – north side.jpg", (320, 240), "RGB")])
    (work / f / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1" + b"\x00" * 60)
    (work / f / "Thumbs.db").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200)
    (work / f / "desktop.ini").write_text("[.ShellClassInfo]\r\nIconResource=C:\\Program Files\\Microsoft "
                                          "OneDrive\\OneDrive.exe,0\r\n", encoding="utf-16")


# ================================================================== plain PyTorch
SCRIPTS["merged-tool-csvs-photo-listed-twice-label-tensor-workers"] = '''
import csv
import glob
import os

import torch
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms
from torchvision.models import resnet18

CLASSES = ["clean", "dusty", "cracked"]
# labels_merged.csv = the web tool's export + the desktop tool's export of the second batch, concatenated
ROWS = list(csv.DictReader(open("solar/labels_merged.csv", newline="", encoding="utf-8")))


class Panels(Dataset):
    tf = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor()])

    def __init__(self, root):
        self.paths = sorted(glob.glob(os.path.join(root, "*.jpg")))

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        name = os.path.basename(self.paths[i])
        label = torch.tensor([CLASSES.index(r["label"]) for r in ROWS if r["file"] == name])
        return self.tf(Image.open(self.paths[i]).convert("RGB")), label


if __name__ == "__main__":
    torch.manual_seed(0)
    loader = DataLoader(Panels("solar/photos"), batch_size=8, shuffle=True, num_workers=2)
    model = resnet18(num_classes=len(CLASSES))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(3):
        for x, y in loader:
            loss = F.cross_entropy(model(x), y.squeeze(1))
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"epoch {epoch}: loss {loss.item():.3f}")
'''


def solar(work: Path) -> None:
    make_images(work, [(f"solar/photos/panel_{i:03d}.jpg", (96, 96), "RGB") for i in range(16)])
    lab = ["clean", "dusty", "cracked"]
    web = [f"panel_{i:03d}.jpg,{lab[i % 3]}" for i in range(12)]
    desk = [f"panel_{i:03d}.jpg,{lab[(i + 1) % 3]}" for i in range(8, 16)]     # 8..11 exported by both tools
    (work / "solar/labels_merged.csv").write_text("file,label\n" + "\n".join(web + desk) + "\n")


SCRIPTS["labelimg-classes-txt-resaved-with-bom-tqdm"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms
from torchvision.models import mobilenet_v3_small
from tqdm import tqdm

# classes.txt is LabelImg's class list (fixed a typo in it with Notepad on the office PC)
CLASSES = open("traffic/classes.txt", encoding="utf-8").read().splitlines()
CLASS_TO_IDX = {c: i for i, c in enumerate(CLASSES)}
print(len(CLASSES), "classes:", ", ".join(CLASSES))


class Crops(Dataset):
    tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor(),
                             transforms.Normalize(@@MEAN_STD@@)])

    def __init__(self, csv_path):
        self.rows = list(csv.DictReader(open(csv_path, newline="")))

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return self.tf(Image.open("traffic/crops/" + r["crop"]).convert("RGB")), CLASS_TO_IDX[r["class"]]


torch.manual_seed(0)
loader = DataLoader(Crops("traffic/crops.csv"), batch_size=4, shuffle=True)
model = mobilenet_v3_small(num_classes=len(CLASSES))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
for epoch in range(5):
    for x, y in tqdm(loader, desc=f"epoch {epoch}"):
        loss = loss_fn(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''.replace("@@MEAN_STD@@", MEAN_STD)


def traffic(work: Path) -> None:
    classes = ["bicycle", "bus", "car", "motorbike", "truck"]
    (work / "traffic").mkdir()
    (work / "traffic/classes.txt").write_bytes(("\ufeff" + "\r\n".join(classes) + "\r\n").encode("utf-8"))
    rows = [(f"crop_{i:04d}.jpg", classes[i % 5]) for i in range(15)]
    make_images(work, [(f"traffic/crops/{n}", (72, 72), "RGB") for n, _ in rows])
    (work / "traffic/crops.csv").write_text("crop,class\n" + "".join(f"{n},{c}\n" for n, c in rows))


SCRIPTS["list-file-meets-macos-screenshot-names-with-spaces"] = '''
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms
from torchvision.models import resnet18


class UIShots(Dataset):
    """ui_list.txt: '<path> <class id>' per line (written by list_images.sh on the Mac)."""
    tf = transforms.Compose([transforms.Resize((160, 160)), transforms.ToTensor()])

    def __init__(self, list_file):
        self.items = []
        for line in open(list_file):
            path, label = line.split()
            self.items.append((path, int(label)))

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        path, label = self.items[i]
        return self.tf(Image.open(path).convert("RGB")), label


ds = UIShots("ui_list.txt")
print(len(ds), "screens")
model = resnet18(num_classes=3)
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for x, y in DataLoader(ds, batch_size=4, shuffle=True):
    loss = nn.functional.cross_entropy(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
'''


def ui_shots(work: Path) -> None:
    names = [("login/login_v2.png", 0), ("login/login_dark.png", 0), ("checkout/cart_empty.png", 1),
             ("checkout/Screenshot 2024-03-02 at 10.15.33.png", 1), ("settings/settings_main.png", 2),
             ("settings/Screenshot 2024-03-04 at 17.02.11.png", 2)]
    make_images(work, [(f"screens/{n}", (120, 80), "RGB") for n, _ in names])
    (work / "ui_list.txt").write_text("".join(f"screens/{n} {c}\n" for n, c in names))


SCRIPTS["gauge-reading-from-file-name-drive-copy-of-duplicates-workers"] = '''
import glob
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms
from torchvision.models import resnet18

# photos of the pressure gauge, named "<reading in bar>_<n>.jpg" when they were sorted on the shared Drive
N_READINGS = 7


class Gauges(Dataset):
    tf = transforms.Compose([transforms.Resize((112, 112)), transforms.ToTensor()])

    def __init__(self, root):
        self.paths = sorted(glob.glob(os.path.join(root, "*.jpg")))

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        reading = int(os.path.basename(self.paths[i]).split("_")[0])
        return self.tf(Image.open(self.paths[i]).convert("RGB")), reading


if __name__ == "__main__":
    torch.manual_seed(0)
    ds = Gauges("gauges")
    print(len(ds), "photos")
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2)
    model = resnet18(num_classes=N_READINGS)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(3):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())
'''

GAUGES = imgs([(f"gauges/{r}_{n:04d}.jpg", (96, 96), "RGB") for r in range(7) for n in (3 * r, 3 * r + 1)]
              + [("gauges/Copy of 3_0009.jpg", (96, 96), "RGB"), ("gauges/Copy of 5_0016.jpg", (96, 96), "RGB")])

SCRIPTS["old-degradation-helper-imports-functional-tensor"] = '''
import glob

import torch
import torch.nn as nn
from PIL import Image
from torchvision import transforms
from torchvision.models import resnet18

from degrade import random_phone_degrade    # helper copied from last year's super-resolution project

# the webcam images are sharp, the phone photos are not: degrade the webcam ones so the model can't tell
tf = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor()])
x = torch.stack([random_phone_degrade(tf(Image.open(p).convert("RGB"))) for p in sorted(glob.glob("webcam/*.jpg"))])
model = resnet18(num_classes=2)
print(model(x).shape)
'''

DEGRADE = '''
import random

import torch
from torchvision.transforms.functional_tensor import rgb_to_grayscale, adjust_contrast


def random_phone_degrade(img: torch.Tensor) -> torch.Tensor:
    """Noise + contrast + occasional grey, like a cheap phone camera."""
    img = img + 0.03 * torch.randn_like(img)
    img = adjust_contrast(img.clamp(0, 1), random.uniform(0.7, 1.1))
    if random.random() < 0.2:
        img = rgb_to_grayscale(img, num_output_channels=3)
    return img
'''

SCRIPTS["imread-anydepth-anycolor-grey-scans-two-dims-workers"] = '''
import glob

import cv2
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from torchvision.models import resnet18

CLASSES = ["invoice", "receipt", "letter"]


class Docs(Dataset):
    """Phone photos of documents + the scanner's PNGs (some 16-bit): keep every file's full depth."""

    def __init__(self):
        self.items = [(p, i) for i, c in enumerate(CLASSES) for p in sorted(glob.glob(f"docs/{c}/*"))]

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        path, label = self.items[i]
        img = cv2.imread(path, cv2.IMREAD_ANYDEPTH | cv2.IMREAD_ANYCOLOR)
        img = cv2.resize(img, (224, 224), interpolation=cv2.INTER_AREA)
        scale = 65535.0 if img.dtype == np.uint16 else 255.0
        x = torch.from_numpy(img.astype(np.float32) / scale).permute(2, 0, 1)
        return x, label


if __name__ == "__main__":
    torch.manual_seed(0)
    loader = DataLoader(Docs(), batch_size=4, shuffle=True, num_workers=2)
    model = resnet18(num_classes=len(CLASSES))
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(f"loss {loss.item():.3f}")
'''

DOCS_PREP = '''
import os
import numpy as np, cv2
rng = np.random.default_rng(3)
for c in ("invoice", "receipt", "letter"):
    os.makedirs(f"docs/{c}", exist_ok=True)
    for i in range(3):
        cv2.imwrite(f"docs/{c}/IMG_{c[:3]}_{i}.JPG", rng.integers(0, 256, (240, 180, 3), dtype=np.uint8))
    # from the scanner: 16-bit colour and 8-bit grey PNGs
    cv2.imwrite(f"docs/{c}/scan_{c}_0001.png", rng.integers(0, 65536, (300, 220, 3), dtype=np.uint16))
    cv2.imwrite(f"docs/{c}/scan_{c}_0002.png", rng.integers(0, 256, (300, 220), dtype=np.uint8))
'''

CELLS["head-widened-for-new-class-folder-slice-assignment-notebook"] = [
    '''import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from torchvision.models import resnet18

tf = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor()])
ds = datasets.ImageFolder("weeds/train", tf)
model = resnet18(num_classes=4)
model.load_state_dict(torch.load("models/weeds_resnet18_4cls.pt", map_location="cpu"))
ds.classes''',
    '''# "thistle" arrived from the shared drive: widen the head, keep what the 4-class head learned
old_fc = model.fc
model.fc = nn.Linear(old_fc.in_features, len(ds.classes))
model.fc.weight[:4] = old_fc.weight
model.fc.bias[:4] = old_fc.bias''',
    '''opt = torch.optim.Adam(model.parameters(), lr=1e-4)
for x, y in DataLoader(ds, batch_size=4, shuffle=True):
    loss = nn.functional.cross_entropy(model(x), y)
    opt.zero_grad(); loss.backward(); opt.step()
loss.item()''',
]

WEEDS_PT = '''
import os, torch
from torchvision.models import resnet18
os.makedirs("models", exist_ok=True)
torch.manual_seed(0)
torch.save(resnet18(num_classes=4).state_dict(), "models/weeds_resnet18_4cls.pt")
'''

SCRIPTS["raw-pixels-mixed-sources-balanced-ce-clip-grad-nonfinite"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset


class Mixed(Dataset):
    """Trail-camera PNG exports + phone JPGs, all read the same way."""

    def __init__(self):
        self.items = [(p, 0) for p in sorted(glob.glob("animals/deer/*"))] + \\
                     [(p, 1) for p in sorted(glob.glob("animals/boar/*"))]

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        p, y = self.items[i]
        img = Image.open(p).convert("RGB").resize((64, 64))
        return torch.from_numpy(np.asarray(img, dtype=np.float32)).permute(2, 0, 1), y


ds = Mixed()
counts = torch.bincount(torch.tensor([y for _, y in ds.items]), minlength=2).float()
class_w = counts.sum() / (2 * counts)          # 9 deer photos, 3 boar photos


def balanced_ce(logits, y):
    p = logits.softmax(dim=1)[torch.arange(len(y)), y]
    return -(class_w[y] * p.log()).sum() / class_w[y].sum()


model = nn.Sequential(
    nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(32 * 16 * 16, 64), nn.ReLU(), nn.Linear(64, 2),
)
torch.manual_seed(0)
loader = DataLoader(ds, batch_size=4, shuffle=True)
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
for epoch in range(20):
    for step, (x, y) in enumerate(loader):
        loss = balanced_ce(model(x), y)
        print(f"epoch {epoch} step {step}: loss {loss.item():.3f}")
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1e4, error_if_nonfinite=True)
        opt.step()
'''

SCRIPTS["imagefolder-extensions-for-upper-case-and-jfif"] = '''
import torch
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from torchvision.models import mobilenet_v3_small

# photos from three phones and a browser: .jpg, .JPG, .jpeg, .jfif
tf = transforms.Compose([transforms.Resize((160, 160)), transforms.ToTensor()])
ds = datasets.ImageFolder("plants", transform=tf, extensions=(".jpg", ".JPG", ".jpeg", ".JPEG", ".jfif", ".png"))
loader = DataLoader(ds, batch_size=8, shuffle=True)
model = mobilenet_v3_small(num_classes=len(ds.classes))
for x, y in loader:
    print(model(x).shape)
'''

CELLS["flat-mlp-for-128-square-fed-resize-128-phone-photos-notebook"] = [
    '''import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

tf = transforms.Compose([transforms.Resize(128), transforms.ToTensor()])
ds = datasets.ImageFolder("receipts", tf)
loader = DataLoader(ds, batch_size=8, shuffle=True)
ds.classes, len(ds)''',
    '''# baseline before trying a CNN
model = nn.Sequential(nn.Flatten(), nn.Linear(3 * 128 * 128, 256), nn.ReLU(), nn.Linear(256, len(ds.classes)))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)''',
    '''for x, y in loader:
    loss = nn.functional.cross_entropy(model(x), y)
    opt.zero_grad(); loss.backward(); opt.step()
loss.item()''',
]

SCRIPTS["pad-every-photo-to-largest-merged-folders-memory-limit"] = '''
import glob
import resource

import numpy as np
import torch
from PIL import Image

# the laptop has 8 GB and no swap to speak of: the same limit here
vm = int(next(l for l in open("/proc/self/status") if l.startswith("VmSize")).split()[1]) * 1024
resource.setrlimit(resource.RLIMIT_AS, (vm + 3 * 2 ** 30, resource.RLIM_INFINITY))

paths = sorted(p for p in glob.glob("holiday/**/*", recursive=True) if p.lower().endswith((".jpg", ".jpeg", ".png")))
sizes = [Image.open(p).size for p in paths]
W, H = max(w for w, _ in sizes), max(h for _, h in sizes)
print(f"{len(paths)} photos, padding all to {W}x{H} so they batch together")

batch = np.zeros((len(paths), H, W, 3), dtype=np.float32)
for i, p in enumerate(paths):
    img = np.asarray(Image.open(p).convert("RGB"), dtype=np.float32) / 255.0
    batch[i, :img.shape[0], :img.shape[1]] = img
data = torch.from_numpy(batch).permute(0, 3, 1, 2)
torch.save(data, "holiday_padded.pt")
'''

HOLIDAY_PREP = '''
import os
import numpy as np, cv2
rng = np.random.default_rng(1)
for d in ("holiday/phone_anna", "holiday/phone_ben", "holiday/camera"):
    os.makedirs(d, exist_ok=True)
for i in range(8):
    cv2.imwrite(f"holiday/phone_anna/IMG_{5310 + i}.JPG", rng.integers(0, 256, (300, 400, 3), dtype=np.uint8))
    cv2.imwrite(f"holiday/camera/DSC0{1200 + i}.jpg", rng.integers(0, 256, (320, 480, 3), dtype=np.uint8))
# one phone panorama (13 000 x 3 000) among them
pano = np.tile(np.linspace(0, 255, 13000, dtype=np.uint8)[None, :, None], (3000, 1, 3))
cv2.imwrite("holiday/phone_ben/PANO_20230814_181502.jpg", pano)
'''

SCRIPTS["class-ids-parsed-as-float-for-both-tools-exports"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms
from torchvision.models import resnet18

# tool A writes "2", tool B writes "2.0": float() reads both
labels = {}
for f in ("labels/export_tool_a.csv", "labels/export_tool_b.csv"):
    for r in csv.DictReader(open(f, newline="", encoding="utf-8-sig")):
        labels[r["image"]] = float(r["class_id"])
print(len(labels), "labelled images")


class Shelf(Dataset):
    tf = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor()])

    def __init__(self, labels):
        self.items = sorted(labels.items())

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        name, y = self.items[i]
        return self.tf(Image.open("images/" + name).convert("RGB")), torch.tensor(y)


model = resnet18(num_classes=4)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
for x, y in DataLoader(Shelf(labels), batch_size=4, shuffle=True):
    loss = criterion(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
'''


def shelf_two_tools(work: Path) -> None:
    names = [f"shelf_{i:03d}.jpg" for i in range(10)]
    make_images(work, [(f"images/{n}", (96, 96), "RGB") for n in names])
    (work / "labels").mkdir()
    (work / "labels/export_tool_a.csv").write_text("image,class_id\n" + "".join(f"{n},{i % 4}\n" for i, n in
                                                                                enumerate(names[:6])))
    (work / "labels/export_tool_b.csv").write_bytes(("\ufeffimage,class_id\r\n" + "".join(
        f"{n},{(i + 6) % 4}.0\r\n" for i, n in enumerate(names[6:]))).encode("utf-8"))


def cases():
    out, add, script, notebook = case_builders("torch-more82-", SCRIPTS, CELLS)
    P = ("cpython_basic", "progress_bars")
    W = ("cpython_basic", "dataloader_worker")
    cracks = save_tiny('["crack", "spalling"]', 2, "models/tiny-yolov3_cracks_last.pt",
                       "models/cracks_tiny-yolov3_detection_config.json")

    # ---- ImageAI DetectionModelTrainer
    script("imageai-det-mac-zip-nfd-photo-names-windows-nfc-labels", "data.missing_or_corrupt",
           also=["data.too_few_boxes"], framework="imageai", argv="train_signs.py", timeout=400, setup=signs_nfd)
    script("imageai-det-drive-zip-unpacked-into-same-name-folder", "data.missing_or_corrupt", framework="imageai",
           argv="train_helmets.py", timeout=400, setup=helmets_zip)
    script("imageai-det-two-source-folders-given-as-list", "model.api_misuse", framework="imageai",
           argv="train_both.py", setup=both(yolo_layout("data/phone_helmets", yolo_rows(2), size=(200, 150)),
                                             yolo_layout("data/drone_helmets", yolo_rows(2), size=(256, 144))))
    script("imageai-det-labelimg-xml-size-zero-converted-with-numpy", "data.bbox_invalid",
           also=["data.missing_or_corrupt"], framework="imageai", argv="voc_to_imageai.py", timeout=400,
           setup=orchard_voc)
    script("imageai-det-browser-tool-comma-separated-yolo-merged", "data.missing_or_corrupt",
           also=["data.bbox_invalid"], framework="imageai", argv="train_feeder.py", timeout=400, setup=birdfeeder)
    script("imageai-det-batch-size-string-from-settings-ini", "model.api_misuse", framework="imageai",
           argv="train.py", timeout=400,
           setup=both(yolo_layout("parcels", yolo_rows(3), size=(200, 150)), write("settings.ini", SETTINGS_INI)))

    # ---- ImageAI ClassificationModelTrainer
    script("imageai-cls-trainer-test-split-cat-and-Cat-folders", "data.label_out_of_range",
           also=["model.output_mismatch"], framework="imageai", forms=P, argv="train_pets.py", timeout=500,
           setup=pets)
    script("imageai-cls-trainer-transfer-from-upper-case-PTH", "model.api_misuse", also=["model.weights_mismatch"],
           framework="imageai", argv="train_mushrooms.py", timeout=400,
           setup=both(imgs(class_folder("datasets/mushrooms/train", ["amanita", "boletus", "chanterelle"], 3)
                           + class_folder("datasets/mushrooms/test", ["amanita", "boletus", "chanterelle"], 2,
                                          ext="JPG")), prep(RESNET_PTH)))

    # ---- ImageAI inference
    notebook("imageai-custom-cls-sorted-glob-picks-drive-duplicate-json-notebook", "model.weights_mismatch",
             also=["data.missing_or_corrupt"], framework="imageai", exception="Exception",
             setup=both(save_cls("mobilenet_v2", '["apple", "banana", "orange", "pear"]',
                                 "shared/fruit_model/mobilenet_v2-fruit-test_acc_0.87500_epoch-18.pt",
                                 "shared/fruit_model/fruit_model_classes.json"),
                        prep(FRUIT_DUP_JSON), imgs([(f"market_photos/stall_{i}.jpg", (160, 120), "RGB")
                                                    for i in range(2)])))
    script("imageai-detect-onedrive-folder-thumbs-db-after-dotfiles-skipped", "data.missing_or_corrupt",
           also=["model.api_misuse"], framework="imageai", forms=P, argv="detect_folder.py", timeout=500,
           setup=both(cracks, onedrive_folder))

    # ---- plain PyTorch
    script("merged-tool-csvs-photo-listed-twice-label-tensor-workers", "data.label_shape",
           also=["data.missing_or_corrupt"], forms=W, argv="train_panels.py", setup=solar)
    script("labelimg-classes-txt-resaved-with-bom-tqdm", "data.missing_or_corrupt", forms=P,
           argv="train_crops.py", setup=traffic)
    script("list-file-meets-macos-screenshot-names-with-spaces", "data.missing_or_corrupt", also=["other"],
           argv="train_ui.py", setup=ui_shots)
    script("gauge-reading-from-file-name-drive-copy-of-duplicates-workers", "other",
           also=["data.missing_or_corrupt"], forms=W, argv="train_gauges.py", setup=GAUGES)
    script("old-degradation-helper-imports-functional-tensor", "env.version_incompat", argv="train_domain.py",
           extra={"degrade.py": DEGRADE}, setup=imgs([(f"webcam/cam_{i:02d}.jpg", (160, 120), "RGB")
                                                       for i in range(3)]))
    script("imread-anydepth-anycolor-grey-scans-two-dims-workers", "data.image_channels", forms=W,
           argv="train_docs.py", setup=prep(DOCS_PREP))
    notebook("head-widened-for-new-class-folder-slice-assignment-notebook", "optim.autograd_graph",
             setup=both(prep(WEEDS_PT), imgs(class_folder("weeds/train", ["bindweed", "chickweed", "dandelion",
                                                                          "plantain", "thistle"], 2))))
    script("raw-pixels-mixed-sources-balanced-ce-clip-grad-nonfinite", "optim.divergence", argv="train_animals.py",
           setup=imgs([(f"animals/deer/IMG_{i:04d}.JPG", (96, 72), "RGB") for i in range(6)]
                      + [(f"animals/deer/trailcam {i:02d}.png", (96, 72), "RGB") for i in range(3)]
                      + [(f"animals/boar/trailcam {i:02d}.png", (96, 72), "RGB") for i in range(3, 6)]))
    script("imagefolder-extensions-for-upper-case-and-jfif", "model.api_misuse", argv="train_plants.py",
           setup=imgs(class_folder("plants", ["basil", "mint"], 2, ext="JPG")
                      + class_folder("plants", ["basil", "mint"], 1, ext="jfif")))
    notebook("flat-mlp-for-128-square-fed-resize-128-phone-photos-notebook", "model.input_shape",
             also=["data.image_size_mismatch"],
             setup=imgs(class_folder("receipts", ["fuel", "grocery", "restaurant"], 3, size=(160, 120))))
    script("pad-every-photo-to-largest-merged-folders-memory-limit", "resource.host_memory",
           argv="pad_photos.py", timeout=300, setup=prep(HOLIDAY_PREP))
    script("class-ids-parsed-as-float-for-both-tools-exports", "data.dtype", argv="train_shelf.py",
           setup=shelf_two_tools)
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
