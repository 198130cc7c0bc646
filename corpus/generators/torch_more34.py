"""A thirty-fourth held-out set of PyTorch / ImageAI 3 failures: ImageAI 3.x users (PyTorch
backend) training and using their own models the way ImageAI's tutorials and the old ImageAI 2.x
(TensorFlow) articles show them, none a repeat of the scenarios in the other generators.

- data sets that do not load (data.missing_or_corrupt): iPhone HEIC exports that OpenCV skips
  one by one until the training split is empty, label files a Windows labelling tool wrote with a
  cp1252 comment header, annotations saved as ``.TXT`` by a Windows tool, a ``~`` path given to
  ``classifyImage`` in a notebook, a half-uploaded photo in an upload folder;
- boxes out of range (data.bbox_invalid): VOC pixel boxes divided by the size of the downscaled
  copies, LabelImg XMLs with a 0x0 ``<size>`` through a numpy converter (``inf``), an offline
  zoom-out augmentation that subtracts the canvas offset, Open Images CSV columns read as
  ``XMin, YMin, XMax, YMax``;
- class ids past the class list (data.label_out_of_range): a merged Roboflow fire / smoke set
  with shifted ids, a LabelImg ``classes.txt`` read with a header line skipped;
- too few distinct boxes for ImageAI's anchor k-means (data.too_few_boxes): a classification
  set turned into full-frame boxes, template-matching auto-labels of one fixed size, a split
  script whose ratios are swapped;
- odd images (data.image_channels / data.image_size_mismatch): a five-band multispectral stack
  given to ``classifyImage``, a 16-bit thermal PNG opened with PIL for ``CustomObjectDetection``,
  ImageAI classifier weights reused for batch inference without the resize ImageAI did;
- weights that are not what the model type expects (model.weights_mismatch): COCO
  ``tiny-yolov3.pt`` used as the custom model, an Ultralytics YOLOv8 ``best.pt``, Darknet
  ``.weights`` renamed ``.pt``, a newest-checkpoint glob that picks another architecture, the
  RetinaNet v2 COCO weights;
- library calls used wrongly or out of order (model.api_misuse): ``result_count`` from argparse as
  a string, a ``cv2.VideoCapture`` given as ``input_file_path``, a notebook that loads before
  ``setModelPath`` / sets the model type after ``loadModel``, ``cap.read()``'s tuple as the
  image, a ``pathlib`` transfer model, a Roboflow ``data.yaml`` as the data directory, a model-type
  setter referenced without its call;
- ImageAI 2.x code and models on 3.x (env.version_incompat): ``yolo.h5`` into
  ``VideoObjectDetection``, a 2.x-trained detection ``.h5``, ``detectCustomObjectsFromVideo``,
  ``loadModel(num_objects=...)``, ``thread_safe=True``, a Keras 3 ``.keras`` model;
- NaN losses (optim.divergence): an own YOLO loop with a pixel-space box loss stopped by
  ``clip_grad_norm_(error_if_nonfinite=True)``, a count head on ImageAI classifier features whose
  ``torch.histc`` log meets NaN, a detector fine-tuned until ImageAI's drawing code meets NaN boxes;
- memory (resource.host_memory): ClassificationModelTrainer InceptionV3 under a job memory limit.

Every case is a small real program run on CPU with the torch venv (ImageAI 3.0.3; no GPU, no
downloads: "pretrained" weights are files an earlier run left on disk); the label is known by
construction (what the program breaks).

    /work/venvs/torch/bin/python corpus/generators/torch_more34.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _record import Case, class_folder, imgs, make_images, nb, prep, both, write, sub, yolo_layout, case_builders  # noqa: E402,F401
from _record import run_cases  # noqa: E402
from _record import ANCHORS6, SAVE_CLS, SAVE_TINY, save_cls  # noqa: E402,F401

SRC = "corpus/generators/torch_more34.py"

SCRIPTS = {}

# ----------------------------------------------------------------------------- shared bits

# a TinyYOLOv3 checkpoint + detection config as an earlier DetectionModelTrainer run leaves them
# (_record.SAVE_TINY); this generator's labels are one JSON list, the class count read from it
def save_tiny(labels, pt, js):
    n = labels.count(",") + 1
    return prep(sub(SAVE_TINY, ANCHORS=ANCHORS6, NC=str(n), PT=pt, JSON=js, LABELS=labels))


# ImageAI's COCO TinyYOLOv3 weights (what the docs tell you to download as tiny-yolov3.pt)
SAVE_TINY_COCO = '''
import os
import torch
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny

os.makedirs(os.path.dirname("@@PT@@") or ".", exist_ok=True)
torch.manual_seed(0)
torch.save(YoloV3Tiny(anchors=@@ANCHORS@@, num_classes=80).state_dict(), "@@PT@@")
'''


def tiny_coco(pt="tiny-yolov3.pt"):
    return prep(sub(SAVE_TINY_COCO, ANCHORS=ANCHORS6, PT=pt))


VIDEO = '''
import cv2
import numpy as np

rng = np.random.default_rng(0)
out = cv2.VideoWriter("@@PATH@@", cv2.VideoWriter_fourcc(*"mp4v"), 10, (320, 240))
for i in range(@@N@@):
    frame = np.full((240, 320, 3), 90, np.uint8)
    cv2.rectangle(frame, (20 + 8 * i, 80), (90 + 8 * i, 150), (40, 40, 200), -1)
    frame = cv2.add(frame, rng.integers(0, 30, frame.shape, dtype=np.uint8))
    out.write(frame)
out.release()
'''


def video(path, n=12):
    return prep(sub(VIDEO, PATH=path, N=str(n)))


def boxes(i, classes, base=0.12):
    """YOLO rows with varied sizes (so anchor k-means has enough distinct boxes)."""
    return "".join(f"{c} {0.25 + 0.2 * j:.3f} {0.3 + 0.15 * j:.3f} {base + 0.05 * j + 0.021 * i:.3f} "
                   f"{base + 0.04 * j + 0.017 * i:.3f}\n" for j, c in enumerate(classes))


DET_TRAIN = '''
from imageai.Detection.Custom import DetectionModelTrainer

trainer = DetectionModelTrainer()
trainer.setModelTypeAs@@MODEL@@()
trainer.setDataDirectory(data_directory="@@DATADIR@@")
trainer.setTrainConfig(object_names_array=@@CLASSES@@, batch_size=@@BS@@, num_experiments=@@EPOCHS@@)
trainer.trainModel()
'''


def det_train(pre="", model="TinyYOLOv3", datadir="dataset", classes='["apple", "banana"]', bs="4", epochs="3"):
    return pre + sub(DET_TRAIN, MODEL=model, DATADIR=datadir, CLASSES=classes, BS=bs, EPOCHS=epochs)


# ===================================================================== 1. data that does not load
HEIC_PRE = '''
import os

# photos AirDropped from the phone into the project (iOS keeps them as HEIC)
n = len(os.listdir("bins/train/images"))
print(f"{n} training photos, {len(os.listdir('bins/train/annotations'))} label files")
'''


def heic_setup(work: Path):
    import os
    yolo_layout("bins", lambda s, i: boxes(i, [0, 1]), size=(320, 240))(work)
    d = work / "bins/train/images"
    for p in sorted(d.glob("*.jpg")):
        stem = p.stem.replace("tra_", "IMG_")
        # an ISO-BMFF 'ftypheic' container, as the phone writes it
        body = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + os.urandom(3000)
        (d / f"{stem}.HEIC").write_bytes(body)
        p.unlink()
        a = work / "bins/train/annotations" / f"{p.stem}.txt"
        a.rename(a.with_name(f"{stem}.txt"))


CP1252_PRE = '''
import glob

print(len(glob.glob("seals/train/annotations/*.txt")), "label files from the annotation PC")
'''


def cp1252_setup(work: Path):
    yolo_layout("seals", lambda s, i: boxes(i, [0, 1]), size=(320, 240), write_labels=False)(work)
    for split, n in (("train", 6), ("validation", 2)):
        d = work / "seals" / split / "annotations"
        d.mkdir(parents=True, exist_ok=True)
        for i in range(n):
            head = (f"# BBoxTool 2.3  operator: José Núñez  image: C:\\Users\\José\\Fotos\\Robben\\"
                    f"{split[:3]}_{i:04d}.jpg  320x240\n")
            (d / f"{split[:3]}_{i:04d}.txt").write_bytes((head + boxes(i, [0, 1])).encode("cp1252"))


def upper_txt_setup(work: Path):
    yolo_layout("pallets", lambda s, i: boxes(i, [0, 1]), size=(320, 240))(work)
    for p in sorted((work / "pallets").glob("*/annotations/*.txt")):
        p.rename(p.with_suffix(".TXT"))


UPPER_TXT_PRE = '''
import os

for split in ("train", "validation"):
    print(split, len(os.listdir(f"pallets/{split}/images")), "images,",
          len(os.listdir(f"pallets/{split}/annotations")), "annotations")
'''

TILDE_CELLS = [
    "from imageai.Classification.Custom import CustomImageClassification\n\n"
    "classifier = CustomImageClassification()\n"
    "classifier.setModelTypeAsMobileNetV2()\n"
    'classifier.setModelPath("models/mobilenet_v2-leaves-test_acc_0.83333_epoch-17.pt")\n'
    'classifier.setJsonPath("models/leaves_model_classes.json")\n'
    "classifier.loadModel()",
    "import os\nsorted(os.listdir(os.path.expanduser('~/Pictures/garden')))",
    '# the photo I took this morning\n'
    'labels, probs = classifier.classifyImage("~/Pictures/garden/leaf_0412.jpg", result_count=2)\n'
    "labels, probs",
]

SCRIPTS["custom-cls-upload-folder-half-uploaded-photo"] = '''
import csv
import glob
import os

from imageai.Classification.Custom import CustomImageClassification

# nightly job: classify everything the field app uploaded today
classifier = CustomImageClassification()
classifier.setModelTypeAsMobileNetV2()
classifier.setModelPath("models/mobilenet_v2-pests-test_acc_0.79167_epoch-22.pt")
classifier.setJsonPath("models/pests_model_classes.json")
classifier.loadModel()

with open("report.csv", "w", newline="") as f:
    writer = csv.writer(f)
    writer.writerow(["file", "label", "probability"])
    for path in sorted(glob.glob("uploads/2024-06-03/*.jpg")):
        labels, probs = classifier.classifyImage(path, result_count=1)
        writer.writerow([os.path.basename(path), labels[0], probs[0]])
        print(os.path.basename(path), labels[0], f"{probs[0]:.1f}%")
'''

# ============================================================================ 2. boxes
VOC_DOWNSCALED_PRE = '''
# voc2yolo.py: the LabelImg XMLs were made on the original 1920x1440 photos; the copies in
# images/ were later shrunk to 480x360 so training is faster
import glob
import os
import xml.etree.ElementTree as ET

import cv2

CLASSES = ["crack", "spalling"]
for split in ("train", "validation"):
    os.makedirs(f"bridge/{split}/annotations", exist_ok=True)
    for xml_path in sorted(glob.glob(f"labelimg_xml/{split}/*.xml")):
        root = ET.parse(xml_path).getroot()
        stem = os.path.splitext(os.path.basename(xml_path))[0]
        h, w = cv2.imread(f"bridge/{split}/images/{stem}.jpg").shape[:2]
        rows = []
        for obj in root.iter("object"):
            bb = obj.find("bndbox")
            x1, y1, x2, y2 = (float(bb.find(k).text) for k in ("xmin", "ymin", "xmax", "ymax"))
            rows.append(f"{CLASSES.index(obj.find('name').text)} {(x1 + x2) / 2 / w:.6f} {(y1 + y2) / 2 / h:.6f} "
                        f"{(x2 - x1) / w:.6f} {(y2 - y1) / h:.6f}")
        with open(f"bridge/{split}/annotations/{stem}.txt", "w") as f:
            f.write("\\n".join(rows) + "\\n")
print("converted", len(glob.glob("bridge/*/annotations/*.txt")), "files")

'''

VOC_XML = '''<annotation>
  <folder>{folder}</folder>
  <filename>{stem}.jpg</filename>
  <size><width>{w}</width><height>{h}</height><depth>3</depth></size>
  <segmented>0</segmented>
{objects}</annotation>
'''
VOC_OBJ = '''  <object>
    <name>{name}</name><pose>Unspecified</pose><truncated>0</truncated><difficult>0</difficult>
    <bndbox><xmin>{x1}</xmin><ymin>{y1}</ymin><xmax>{x2}</xmax><ymax>{y2}</ymax></bndbox>
  </object>
'''


def voc_xml(folder, stem, w, h, objs):
    return VOC_XML.format(folder=folder, stem=stem, w=w, h=h, objects="".join(
        VOC_OBJ.format(name=n, x1=a, y1=b, x2=c, y2=d) for n, (a, b, c, d) in objs))


def bridge_setup(work: Path):
    specs = [(f"bridge/{s}/images/{s[:3]}_{i:04d}.jpg", (480, 360), "RGB")
             for s, n in (("train", 6), ("validation", 2)) for i in range(n)]
    make_images(work, specs)
    for s, n in (("train", 6), ("validation", 2)):
        for i in range(n):
            objs = [("crack", (300 + 40 * i, 420, 900 + 30 * i, 700)),
                    ("spalling", (1100, 600 + 20 * i, 1500 + 25 * i, 1150))]
            p = work / f"labelimg_xml/{s}/{s[:3]}_{i:04d}.xml"
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(voc_xml("images", f"{s[:3]}_{i:04d}", 1920, 1440, objs))


LABELIMG_ZERO_PRE = '''
# xml_to_yolo.py (vectorised with numpy)
import glob
import os
import xml.etree.ElementTree as ET

import numpy as np

CLASSES = ["buoy", "kayak"]
for split in ("train", "validation"):
    os.makedirs(f"harbour/{split}/annotations", exist_ok=True)
    for xml_path in sorted(glob.glob(f"harbour/{split}/xml/*.xml")):
        root = ET.parse(xml_path).getroot()
        size = np.array([float(root.find("size/width").text), float(root.find("size/height").text)])
        rows = []
        for obj in root.iter("object"):
            bb = obj.find("bndbox")
            x1, y1, x2, y2 = (float(bb.find(k).text) for k in ("xmin", "ymin", "xmax", "ymax"))
            centre = np.array([(x1 + x2) / 2, (y1 + y2) / 2]) / size
            wh = np.array([x2 - x1, y2 - y1]) / size
            cls = CLASSES.index(obj.find("name").text)
            rows.append(f"{cls} " + " ".join(f"{v:.6f}" for v in np.concatenate([centre, wh])))
        stem = os.path.splitext(os.path.basename(xml_path))[0]
        with open(f"harbour/{split}/annotations/{stem}.txt", "w") as f:
            f.write("\\n".join(rows) + "\\n")
print("done")

'''


def harbour_setup(work: Path):
    specs = [(f"harbour/{s}/images/{s[:3]}_{i:04d}.jpg", (320, 240), "RGB")
             for s, n in (("train", 6), ("validation", 2)) for i in range(n)]
    make_images(work, specs)
    for s, n in (("train", 6), ("validation", 2)):
        for i in range(n):
            objs = [("buoy", (40 + 5 * i, 60, 90 + 6 * i, 120)), ("kayak", (150, 100 + 4 * i, 280, 150 + 5 * i))]
            # LabelImg writes 0x0 when it could not read the image size (a known LabelImg bug)
            w, h = (0, 0) if (s, i) == ("train", 4) else (320, 240)
            p = work / f"harbour/{s}/xml/{s[:3]}_{i:04d}.xml"
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(voc_xml("images", f"{s[:3]}_{i:04d}", w, h, objs))


ZOOM_OUT_PRE = '''
# zoom_out.py: put each training photo on a 2x grey canvas (small-object augmentation)
import glob
import os
import random

import cv2
import numpy as np

random.seed(1)
for img_path in sorted(glob.glob("birds/train/images/*.jpg")):
    stem = os.path.splitext(os.path.basename(img_path))[0]
    if stem.endswith("_zoom"):
        continue
    img = cv2.imread(img_path)
    h, w = img.shape[:2]
    canvas = np.full((2 * h, 2 * w, 3), 114, np.uint8)
    ox, oy = random.randint(0, w), random.randint(0, h)
    canvas[oy:oy + h, ox:ox + w] = img
    cv2.imwrite(f"birds/train/images/{stem}_zoom.jpg", canvas)
    rows = []
    for line in open(f"birds/train/annotations/{stem}.txt"):
        c, cx, cy, bw, bh = line.split()
        # pixel centre in the photo, moved into the canvas, normalised by the canvas size
        px, py = float(cx) * w - ox, float(cy) * h - oy
        rows.append(f"{c} {px / (2 * w):.6f} {py / (2 * h):.6f} {float(bw) / 2:.6f} {float(bh) / 2:.6f}")
    with open(f"birds/train/annotations/{stem}_zoom.txt", "w") as f:
        f.write("\\n".join(rows) + "\\n")
print(len(glob.glob("birds/train/images/*.jpg")), "training images after zoom-out")

'''

OPEN_IMAGES_PRE = '''
# oid_to_imageai.py: Open Images V7 boxes (train-annotations-bbox.csv subset) -> ImageAI YOLO txt
import csv
import os
from collections import defaultdict

CLASSES = {"/m/0199g": "bicycle", "/m/01bjv": "bus"}
NAMES = list(CLASSES.values())
rows = defaultdict(list)
with open("oid/oidv7-bbox-subset.csv") as f:
    reader = csv.reader(f)
    header = next(reader)
    for row in reader:
        image_id, label = row[0], row[2]
        xmin, ymin, xmax, ymax = map(float, row[4:8])
        cls = NAMES.index(CLASSES[label])
        rows[image_id].append(f"{cls} {(xmin + xmax) / 2:.6f} {(ymin + ymax) / 2:.6f} {xmax - xmin:.6f} {ymax - ymin:.6f}")
for image_id, lines in rows.items():
    split = "validation" if image_id.startswith("v") else "train"
    os.makedirs(f"streets/{split}/annotations", exist_ok=True)
    with open(f"streets/{split}/annotations/{image_id}.txt", "w") as f:
        f.write("\\n".join(lines) + "\\n")
print(len(rows), "images with boxes")

'''


def oid_setup(work: Path):
    ids = [f"t{i:015x}" for i in range(6)] + [f"v{i:015x}" for i in range(2)]
    make_images(work, [(f"streets/{'validation' if x.startswith('v') else 'train'}/images/{x}.jpg", (320, 240), "RGB")
                       for x in ids])
    lines = ["ImageID,Source,LabelName,Confidence,XMin,XMax,YMin,YMax,IsOccluded,IsTruncated,IsGroupOf,"
             "IsDepiction,IsInside"]
    for k, x in enumerate(ids):
        # XMin, XMax, YMin, YMax (normalised), the Open Images column order
        lines.append(f"{x},xclick,/m/0199g,1,{0.10 + 0.01 * k:.6f},{0.45 + 0.01 * k:.6f},{0.50:.6f},{0.90:.6f},0,0,0,0,0")
        lines.append(f"{x},xclick,/m/01bjv,1,{0.55:.6f},{0.95:.6f},{0.05 + 0.02 * k:.6f},{0.60:.6f},1,0,0,0,0")
    p = work / "oid/oidv7-bbox-subset.csv"
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text("\n".join(lines) + "\n")


# ============================================================================ 3. class ids
MERGE_PRE = '''
# merge.py: add the Roboflow "fire-smoke" export (classes: fire, smoke) to our person set
import glob
import os
import shutil

OFFSET = 1          # our own set already uses id 0 for "person"
for split, rf_split in (("train", "train"), ("validation", "valid")):
    for img in sorted(glob.glob(f"fire-smoke.v3i.yolov5pytorch/{rf_split}/images/*.jpg")):
        stem = os.path.splitext(os.path.basename(img))[0]
        shutil.copy(img, f"site/{split}/images/rf_{stem}.jpg")
        rows = []
        for line in open(f"fire-smoke.v3i.yolov5pytorch/{rf_split}/labels/{stem}.txt"):
            c, *box = line.split()
            rows.append(" ".join([str(int(c) + OFFSET), *box]))
        with open(f"site/{split}/annotations/rf_{stem}.txt", "w") as f:
            f.write("\\n".join(rows) + "\\n")
print(len(glob.glob("site/train/images/*.jpg")), "training images after the merge")

'''


def merge_setup(work: Path):
    yolo_layout("site", lambda s, i: boxes(i, [0]), size=(320, 240), splits=(("train", 4), ("validation", 1)))(work)
    yolo_layout("fire-smoke.v3i.yolov5pytorch", lambda s, i: boxes(i, [0, 1], base=0.15), size=(320, 240),
                splits=(("train", 4), ("valid", 1)), ann="labels")(work)


CLASSES_TXT_PRE = '''
# LabelImg (YOLO mode) writes classes.txt next to the labels; read the names from it
with open("helmets/train/annotations/classes.txt") as f:
    lines = f.read().splitlines()
CLASSES = [name.strip() for name in lines[1:] if name.strip()]      # skip the "names" header
print("classes:", CLASSES)
'''

# ============================================================================ 4. too few boxes
FULLFRAME_PRE = '''
# we only have a classification set (one folder per fruit); make it a detection set with one
# box covering each whole photo
import glob
import os
import random
import shutil

random.seed(0)
CLASSES = sorted(os.listdir("fruit_photos"))
paths = sorted(glob.glob("fruit_photos/*/*.jpg"))
random.shuffle(paths)
for k, path in enumerate(paths):
    split = "validation" if k % 5 == 0 else "train"
    os.makedirs(f"fruit_det/{split}/images", exist_ok=True)
    os.makedirs(f"fruit_det/{split}/annotations", exist_ok=True)
    cls = CLASSES.index(os.path.basename(os.path.dirname(path)))
    stem = f"{k:04d}"
    shutil.copy(path, f"fruit_det/{split}/images/{stem}.jpg")
    with open(f"fruit_det/{split}/annotations/{stem}.txt", "w") as f:
        f.write(f"{cls} 0.5 0.5 1.0 1.0\\n")
print(CLASSES, len(paths), "photos")

'''


def fruit_setup(work: Path):
    specs = []
    for c in ("apple", "lemon", "pear"):
        for i in range(5):
            specs.append((f"fruit_photos/{c}/{c}_{i:03d}.jpg", (320, 240) if i % 2 else (240, 320), "RGB"))
    make_images(work, specs)


TEMPLATE_PRE = '''
# autolabel.py: find the chip on every frame with template matching and write YOLO labels
import glob
import os

import cv2

template = cv2.imread("chip_template.png")
th, tw = template.shape[:2]
for split in ("train", "validation"):
    os.makedirs(f"pcb/{split}/annotations", exist_ok=True)
    for path in sorted(glob.glob(f"pcb/{split}/images/*.jpg")):
        frame = cv2.imread(path)
        h, w = frame.shape[:2]
        scores = cv2.matchTemplate(frame, template, cv2.TM_CCOEFF_NORMED)
        _, best, _, (x, y) = cv2.minMaxLoc(scores)
        stem = os.path.splitext(os.path.basename(path))[0]
        with open(f"pcb/{split}/annotations/{stem}.txt", "w") as f:
            f.write(f"0 {(x + tw / 2) / w:.6f} {(y + th / 2) / h:.6f} {tw / w:.6f} {th / h:.6f}\\n")
        print(stem, f"score {best:.2f}")

'''


def pcb_setup(work: Path):
    import numpy as np
    import cv2
    rng = np.random.default_rng(4)
    chip = rng.integers(0, 255, (48, 64, 3), dtype=np.uint8)
    cv2.imwrite(str(work / "chip_template.png"), chip)
    for s, n in (("train", 8), ("validation", 2)):
        d = work / f"pcb/{s}/images"
        d.mkdir(parents=True, exist_ok=True)
        for i in range(n):
            frame = rng.integers(0, 80, (480, 640, 3), dtype=np.uint8)
            y, x = 100 + 17 * i, 150 + 23 * i
            frame[y:y + 48, x:x + 64] = chip
            cv2.imwrite(str(d / f"{s[:3]}_{i:04d}.jpg"), frame, [cv2.IMWRITE_JPEG_QUALITY, 95])


SPLIT_PRE = '''
# split.py: 90 / 10 split of the labelled photos into ImageAI's layout
import glob
import os
import random
import shutil

random.seed(42)
VAL_RATIO, TRAIN_RATIO = 0.9, 0.1
images = sorted(glob.glob("labelled/*.jpg"))
random.shuffle(images)
n_train = int(len(images) * TRAIN_RATIO)
for k, img in enumerate(images):
    split = "train" if k < n_train else "validation"
    stem = os.path.splitext(os.path.basename(img))[0]
    for sub in ("images", "annotations"):
        os.makedirs(f"cones/{split}/{sub}", exist_ok=True)
    shutil.copy(img, f"cones/{split}/images/")
    shutil.copy(f"labelled/{stem}.txt", f"cones/{split}/annotations/")
print("train:", len(os.listdir("cones/train/images")), "validation:", len(os.listdir("cones/validation/images")))

'''


def cones_setup(work: Path):
    make_images(work, [(f"labelled/cone_{i:03d}.jpg", (320, 240), "RGB") for i in range(20)])
    for i in range(20):
        (work / f"labelled/cone_{i:03d}.txt").write_text(
            f"0 {0.3 + 0.02 * i:.3f} {0.6:.3f} {0.08 + 0.006 * i:.3f} {0.15 + 0.009 * i:.3f}\n")


# ============================================================================ 5. odd images
SCRIPTS["custom-cls-multispectral-five-band-stack"] = '''
import glob

import numpy as np
from PIL import Image
from imageai.Classification.Custom import CustomImageClassification

# Micasense RedEdge captures: one TIFF per band; the crop-health model was trained on our plots
BANDS = ["blue", "green", "red", "rededge", "nir"]

classifier = CustomImageClassification()
classifier.setModelTypeAsMobileNetV2()
classifier.setModelPath("models/mobilenet_v2-plots-test_acc_0.75000_epoch-30.pt")
classifier.setJsonPath("models/plots_model_classes.json")
classifier.loadModel()

for capture in sorted(glob.glob("captures/IMG_*_1.tif")):
    prefix = capture[:-len("_1.tif")]
    stack = np.dstack([np.asarray(Image.open(f"{prefix}_{k}.tif")) for k in range(1, len(BANDS) + 1)])
    print(prefix, stack.shape, stack.dtype)
    labels, probs = classifier.classifyImage(stack, result_count=2)
    print(labels, probs)
'''


def bands_setup(work: Path):
    specs = [(f"captures/IMG_{c:04d}_{k}.tif", (160, 120), "L") for c in (210, 211) for k in range(1, 6)]
    make_images(work, specs)
    # make_images picks PNG/JPEG by suffix; write real TIFFs
    from PIL import Image
    for p in sorted((work / "captures").glob("*.tif")):
        im = Image.open(p)
        im.load()
        im.save(p, format="TIFF")


THERMAL_CELLS = [
    "from PIL import Image\nfrom imageai.Detection.Custom import CustomObjectDetection\n\n"
    "detector = CustomObjectDetection()\n"
    "detector.setModelTypeAsTinyYOLOv3()\n"
    'detector.setModelPath("hotspots/models/tiny-yolov3_hotspots_mAP-0.41000_epoch-33.pt")\n'
    'detector.setJsonPath("hotspots/json/hotspots_tiny-yolov3_detection_config.json")\n'
    "detector.loadModel()",
    '# radiometric PNG straight from the FLIR camera\nframe = Image.open("flir/FLIR_00071.png")\n'
    "frame.mode, frame.size",
    'detections = detector.detectObjectsFromImage(input_image=frame, output_image_path="flir/FLIR_00071-det.jpg",\n'
    "                                             minimum_percentage_probability=30)\n"
    "detections",
]

THERMAL_PNG = '''
import numpy as np
from PIL import Image
import os
os.makedirs("flir", exist_ok=True)
rng = np.random.default_rng(0)
raw = (22000 + rng.integers(0, 3000, (240, 320))).astype(np.uint16)   # centi-kelvin counts
Image.fromarray(raw).save("flir/FLIR_00071.png")
'''

SCRIPTS["weights-batch-inference-without-resize"] = '''
import glob
import json

import torch
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

# classifyImage() one photo at a time is too slow for the whole archive: load the weights that
# ImageAI's ClassificationModelTrainer saved into torchvision directly and run in batches
classes = json.load(open("models/birds_model_classes.json"))
model = torchvision.models.mobilenet_v2(num_classes=len(classes))
model.load_state_dict(torch.load("models/mobilenet_v2-birds-test_acc_0.86111_epoch-41.pt", map_location="cpu"))
model.eval()

tf = transforms.Compose([
    transforms.ToTensor(),
    transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]),
])


class Archive(Dataset):
    def __init__(self, pattern):
        self.files = sorted(glob.glob(pattern))

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        return tf(Image.open(self.files[i]).convert("RGB")), self.files[i]


with torch.no_grad():
    for x, names in DataLoader(Archive("archive/2023/*.jpg"), batch_size=8):
        pred = model(x).softmax(1).argmax(1)
        for name, p in zip(names, pred):
            print(name, classes[str(int(p))])
'''

# ============================================================================ 6. weights
COCO_AS_CUSTOM = '''
from imageai.Detection.Custom import CustomObjectDetection

# the custom config from training + the weights file in the project folder
MODEL = "tiny-yolov3.pt"
CONFIG = "forklifts/json/forklifts_tiny-yolov3_detection_config.json"

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath(MODEL)
detector.setJsonPath(CONFIG)
detector.loadModel()
for d in detector.detectObjectsFromImage(input_image="warehouse.jpg", output_image_path="warehouse-det.jpg"):
    print(d["name"], d["percentage_probability"], d["box_points"])
'''

FAKE_ULTRA = '''
import os
import shutil
import sys

import torch
import torch.nn as nn

# an Ultralytics checkpoint pickles the whole model object (ultralytics.nn.tasks.DetectionModel)
os.makedirs("_fake/ultralytics/nn", exist_ok=True)
open("_fake/ultralytics/__init__.py", "w").close()
open("_fake/ultralytics/nn/__init__.py", "w").close()
with open("_fake/ultralytics/nn/tasks.py", "w") as f:
    f.write("import torch.nn as nn\\nclass DetectionModel(nn.Module):\\n    def __init__(self):\\n"
            "        super().__init__()\\n        self.model = nn.Sequential(nn.Conv2d(3, 16, 3), nn.BatchNorm2d(16))\\n")
sys.path.insert(0, "_fake")
from ultralytics.nn.tasks import DetectionModel

os.makedirs("runs/detect/train3/weights", exist_ok=True)
torch.save({"epoch": -1, "best_fitness": None, "model": DetectionModel().half(), "ema": None, "updates": 2350,
            "optimizer": None, "train_args": {"model": "yolov8n.pt", "data": "ppe.yaml", "epochs": 50},
            "date": "2024-05-14T10:22:31", "version": "8.2.18"}, "runs/detect/train3/weights/best.pt")
shutil.rmtree("_fake")
'''

ULTRA_DETECT = '''
import json

from imageai.Detection.Custom import CustomObjectDetection

# trained with `yolo detect train data=ppe.yaml model=yolov8n.pt`; ImageAI is what the web app uses
with open("ppe_config.json", "w") as f:
    json.dump({"labels": ["helmet", "vest", "person"],
               "anchors": [10, 14, 23, 27, 37, 58, 81, 82, 135, 169, 344, 319]}, f)

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("runs/detect/train3/weights/best.pt")
detector.setJsonPath("ppe_config.json")
detector.loadModel()
print(detector.detectObjectsFromImage(input_image="gate_cam.jpg", output_image_path="gate_cam-det.jpg"))
'''

DARKNET_RENAMED = '''
import os
import struct

import numpy as np

# the original Darknet file (yolov3-tiny.weights): header major, minor, revision, seen, then floats
rng = np.random.default_rng(0)
with open("models/tiny-yolov3.pt", "wb") as f:
    f.write(struct.pack("<iiiq", 0, 2, 0, 32013312))
    f.write(rng.standard_normal(20000).astype(np.float32).tobytes())
'''

DARKNET_DETECT = '''
import os

from imageai.Detection import ObjectDetection

# ImageAI 3 wants a .pt file for TinyYOLOv3: the Darknet file from pjreddie.com was renamed to match
detector = ObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath(os.path.join("models", "tiny-yolov3.pt"))
detector.loadModel()
detections = detector.detectObjectsFromImage(input_image="street.jpg", output_image_path="street-det.jpg",
                                             minimum_percentage_probability=30)
for d in detections:
    print(d["name"], d["percentage_probability"])
'''

NEWEST_CKPT = '''
import glob
import os

from imageai.Classification.Custom import CustomImageClassification

# always use the newest model in models/
latest = max(glob.glob("dogs/models/*.pt"), key=os.path.getmtime)
print("using", latest)

classifier = CustomImageClassification()
classifier.setModelTypeAsMobileNetV2()
classifier.setModelPath(latest)
classifier.setJsonPath("dogs/models/dogs_model_classes.json")
classifier.loadModel()
print(classifier.classifyImage("rex.jpg", result_count=3))
'''


def newest_setup(work: Path):
    import os
    import time
    save_cls("mobilenet_v2", '["beagle", "collie", "husky"]', "dogs/models/mobilenet_v2-dogs-test_acc_0.70833_epoch-9.pt",
             "dogs/models/dogs_model_classes.json")(work)
    # a later experiment with another architecture, saved into the same folder
    save_cls("densenet121", '["beagle", "collie", "husky"]',
             "dogs/models/densenet121-dogs-test_acc_0.79167_epoch-14.pt", "dogs/models/dogs_model_classes.json")(work)
    t = time.time()
    os.utime(work / "dogs/models/mobilenet_v2-dogs-test_acc_0.70833_epoch-9.pt", (t - 86400, t - 86400))
    make_images(work, [("rex.jpg", (200, 160), "RGB")])


RETINA_V2 = '''
import torch
from torchvision.models.detection import retinanet_resnet50_fpn_v2

torch.save(retinanet_resnet50_fpn_v2(weights=None, weights_backbone=None).state_dict(),
           "retinanet_resnet50_fpn_v2_coco-5905b1c5.pth")
'''

SCRIPTS["objectdetection-retinanet-v2-coco-weights"] = '''
from imageai.Detection import ObjectDetection

# the newer RetinaNet weights from the torchvision model zoo (better mAP than the v1 file)
detector = ObjectDetection()
detector.setModelTypeAsRetinaNet()
detector.setModelPath("retinanet_resnet50_fpn_v2_coco-5905b1c5.pth")
detector.loadModel()
detections = detector.detectObjectsFromImage(input_image="crossing.jpg", output_image_path="crossing-det.jpg")
print(len(detections), "objects")
'''

# ============================================================================ 7. API misuse
SCRIPTS["custom-cls-result-count-from-argparse"] = '''
import argparse

from imageai.Classification.Custom import CustomImageClassification

parser = argparse.ArgumentParser(description="classify one photo with the trained skin-lesion model")
parser.add_argument("image")
parser.add_argument("--top", default=2, help="how many classes to show")
args = parser.parse_args()

classifier = CustomImageClassification()
classifier.setModelTypeAsResNet50()
classifier.setModelPath("models/resnet50-lesions-test_acc_0.68750_epoch-25.pt")
classifier.setJsonPath("models/lesions_model_classes.json")
classifier.loadModel()
labels, probs = classifier.classifyImage(args.image, result_count=args.top)
for label, prob in zip(labels, probs):
    print(f"{label:>12s}  {prob:5.1f}%")
'''

SCRIPTS["video-detect-capture-object-as-input-path"] = '''
import cv2
from imageai.Detection import VideoObjectDetection

cap = cv2.VideoCapture("gate_2024-05-02.mp4")
fps = int(cap.get(cv2.CAP_PROP_FPS))
print("fps", fps, "frames", int(cap.get(cv2.CAP_PROP_FRAME_COUNT)))

detector = VideoObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("tiny-yolov3.pt")
detector.loadModel()
detector.detectObjectsFromVideo(input_file_path=cap, output_file_path="gate_detected",
                                frames_per_second=fps, log_progress=True)
'''

LOAD_BEFORE_PATH_CELLS = [
    "from imageai.Detection import ObjectDetection\n\n"
    "detector = ObjectDetection()\n"
    "detector.setModelTypeAsTinyYOLOv3()",
    "detector.loadModel()",
    'detector.setModelPath("tiny-yolov3.pt")',
    'detector.detectObjectsFromImage(input_image="kitchen.jpg", output_image_path="kitchen-det.jpg")',
]

SCRIPTS["custom-detect-cap-read-tuple-as-frame"] = '''
import cv2
from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("drones/models/tiny-yolov3_drones_mAP-0.55000_epoch-48.pt")
detector.setJsonPath("drones/json/drones_tiny-yolov3_detection_config.json")
detector.loadModel()

cap = cv2.VideoCapture("airfield.mp4")
count = 0
while cap.isOpened():
    frame = cap.read()
    if frame is None:
        break
    annotated, detections = detector.detectObjectsFromImage(input_image=frame, output_type="array",
                                                            minimum_percentage_probability=40)
    count += 1
    print(count, [d["name"] for d in detections])
cap.release()
'''

TYPE_AFTER_LOAD_CELLS = [
    "from imageai.Classification.Custom import CustomImageClassification\n\n"
    "prediction = CustomImageClassification()\n"
    'prediction.setModelPath("models/mobilenet_v2-coins-test_acc_0.91667_epoch-38.pt")\n'
    'prediction.setJsonPath("models/coins_model_classes.json")',
    "prediction.loadModel()",
    "prediction.setModelTypeAsMobileNetV2()\n"
    'prediction.classifyImage("coin_test.jpg", result_count=2)',
]

SCRIPTS["cls-trainer-transfer-from-model-pathlib"] = '''
from pathlib import Path

from imageai.Classification.Custom import ClassificationModelTrainer

WEIGHTS = Path.home() / ".cache" / "torch" / "hub" / "checkpoints"

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("recycling")
trainer.trainModel(num_experiments=20, batch_size=4,
                   transfer_from_model=WEIGHTS / "mobilenet_v2-b0353104.pth")
'''

SCRIPTS["det-train-roboflow-data-yaml-as-data-directory"] = '''
from imageai.Detection.Custom import DetectionModelTrainer

# Roboflow export "YOLO v5 PyTorch": the data.yaml lists the splits and the class names
DATA = "hardhat.v2i.yolov5pytorch/data.yaml"

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory=DATA)
trainer.setTrainConfig(object_names_array=["head", "helmet"], batch_size=4, num_experiments=50)
trainer.trainModel()
'''


def roboflow_yaml_setup(work: Path):
    root = "hardhat.v2i.yolov5pytorch"
    yolo_layout(root, lambda s, i: boxes(i, [0, 1]), size=(320, 240),
                splits=(("train", 6), ("valid", 2), ("test", 2)), ann="labels")(work)
    (work / root / "data.yaml").write_text(
        "train: ../train/images\nval: ../valid/images\ntest: ../test/images\n\nnc: 2\nnames: ['head', 'helmet']\n\n"
        "roboflow:\n  workspace: safety\n  project: hardhat\n  version: 2\n  license: CC BY 4.0\n")


SCRIPTS["video-set-model-type-without-call"] = '''
from imageai.Detection import VideoObjectDetection

detector = VideoObjectDetection()
detector.setModelTypeAsTinyYOLOv3
detector.setModelPath("tiny-yolov3.pt")
detector.loadModel()
detector.detectObjectsFromVideo(input_file_path="lobby.mp4", output_file_path="lobby_detected",
                                frames_per_second=10, log_progress=True)
'''

# ======================================================================= 8. ImageAI 2.x on 3.x
SCRIPTS["video-objectdetection-imageai2-yolo-h5"] = '''
import os

from imageai.Detection import VideoObjectDetection

# "Detecting objects in videos with 5 lines of code" (ImageAI 2 article)
execution_path = os.getcwd()

detector = VideoObjectDetection()
detector.setModelTypeAsYOLOv3()
detector.setModelPath(os.path.join(execution_path, "yolo.h5"))
detector.loadModel()

video_path = detector.detectObjectsFromVideo(input_file_path=os.path.join(execution_path, "traffic.mp4"),
                                             output_file_path=os.path.join(execution_path, "traffic_detected"),
                                             frames_per_second=20, log_progress=True)
print(video_path)
'''

SCRIPTS["custom-detect-imageai2-trained-model-h5"] = '''
from imageai.Detection.Custom import CustomObjectDetection

# model trained last year with ImageAI 2.1.6 (TensorFlow 1.15); the server now has ImageAI 3
detector = CustomObjectDetection()
detector.setModelTypeAsYOLOv3()
detector.setModelPath("hololens/models/detection_model-ex-060--loss-0002.413.h5")
detector.setJsonPath("hololens/json/detection_config.json")
detector.loadModel()
detections = detector.detectObjectsFromImage(input_image="holo2.jpg", output_image_path="holo2-detected.jpg")
for detection in detections:
    print(detection["name"], " : ", detection["percentage_probability"], " : ", detection["box_points"])
'''

SCRIPTS["video-detect-custom-objects-from-video-imageai2"] = '''
import os

from imageai.Detection import VideoObjectDetection

execution_path = os.getcwd()

detector = VideoObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath(os.path.join(execution_path, "tiny-yolov3.pt"))
detector.loadModel()

custom = detector.CustomObjects(person=True, bicycle=True, car=True)
video_path = detector.detectCustomObjectsFromVideo(custom_objects=custom,
                                                   input_file_path=os.path.join(execution_path, "crossing.mp4"),
                                                   output_file_path=os.path.join(execution_path, "crossing_custom"),
                                                   frames_per_second=10, log_progress=True)
print(video_path)
'''

SCRIPTS["custom-cls-load-model-num-objects-imageai2"] = '''
import os

from imageai.Classification.Custom import CustomImageClassification

# prediction script kept from the ImageAI 2 version of the project; the model was retrained with 3.x
execution_path = os.getcwd()

prediction = CustomImageClassification()
prediction.setModelTypeAsResNet50()
prediction.setModelPath(os.path.join(execution_path, "idenprof", "models", "resnet50-idenprof-test_acc_0.78125_epoch-92.pt"))
prediction.setJsonPath(os.path.join(execution_path, "idenprof", "models", "idenprof_model_classes.json"))
prediction.loadModel(num_objects=4)

predictions, probabilities = prediction.classifyImage(os.path.join(execution_path, "4.jpg"), result_count=3)
for eachPrediction, eachProbability in zip(predictions, probabilities):
    print(eachPrediction, " : ", eachProbability)
'''

SCRIPTS["video-detect-thread-safe-from-docstring"] = '''
import os

from imageai.Detection import VideoObjectDetection

# a worker thread of our Flask app runs this for each uploaded clip
detector = VideoObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("tiny-yolov3.pt")
detector.loadModel()


def process(clip):
    counts = []

    def per_second(second, objects, counts_per_frame, average_count):
        counts.append(average_count)

    detector.detectObjectsFromVideo(input_file_path=clip, save_detected_video=False, frames_per_second=10,
                                    per_second_function=per_second, minimum_percentage_probability=30,
                                    thread_safe=True)
    return counts


print(process(os.path.join("uploads", "clip_0007.mp4")))
'''

SCRIPTS["custom-cls-keras-native-model-file"] = '''
from imageai.Classification.Custom import CustomImageClassification

# the Keras 3 model from the course notebook (model.save("flowers_mobilenetv2.keras"))
classifier = CustomImageClassification()
classifier.setModelTypeAsMobileNetV2()
classifier.setModelPath("flowers_mobilenetv2.keras")
classifier.setJsonPath("flowers_classes.json")
classifier.loadModel()
print(classifier.classifyImage("rose.jpg", result_count=3))
'''


def keras_file_setup(work: Path):
    import json
    import zipfile
    with zipfile.ZipFile(work / "flowers_mobilenetv2.keras", "w") as z:
        z.writestr("metadata.json", json.dumps({"keras_version": "3.3.3", "date_saved": "2024-05-20@10:12:44"}))
        z.writestr("config.json", json.dumps({"module": "keras.src.models.functional", "class_name": "Functional"}))
        z.writestr("model.weights.h5", b"\x89HDF\r\n\x1a\n" + bytes(2048))
    (work / "flowers_classes.json").write_text(json.dumps({"0": "daisy", "1": "rose", "2": "tulip"}))
    make_images(work, [("rose.jpg", (200, 160), "RGB")])


# ======================================================================= 9. divergence
SCRIPTS["yolo-own-loop-pixel-box-mse-clip-grad-nonfinite"] = '''
import torch
from torch.utils.data import DataLoader
from imageai.Detection.Custom.yolo.dataset import LoadImagesAndLabels
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny

# ImageAI's trainer hides the loss; this loop regresses the boxes in pixels instead (easier to read)
torch.manual_seed(0)
ANCHORS = [10, 14, 23, 27, 37, 58, 81, 82, 135, 169, 344, 319]
ds = LoadImagesAndLabels("ds", train=True)
loader = DataLoader(ds, batch_size=3, shuffle=True, collate_fn=ds.collate_fn)
model = YoloV3Tiny(anchors=ANCHORS, num_classes=2)
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
model.train()
for epoch in range(10):
    for imgs, targets in loader:
        model(imgs)
        layer = model.get_loss_layers()[0]            # 13x13 head with the large anchors
        p = layer.pred                                 # [B, 3, 13, 13, 5 + nc]
        b = targets[:, 0].long()
        gi, gj = (targets[:, 2:4] * 13).long().T
        ps = p[b, 0, gj, gi]
        pxy = (torch.sigmoid(ps[:, :2]) + torch.stack([gi, gj], 1)) * 32
        pwh = torch.exp(ps[:, 2:4]) * layer.anchors[0]
        box_loss = ((pxy - targets[:, 2:4] * 416) ** 2 + (pwh - targets[:, 4:6] * 416) ** 2).sum(1).mean()
        obj_loss = torch.nn.functional.binary_cross_entropy_with_logits(ps[:, 4], torch.ones_like(ps[:, 4]))
        loss = box_loss + obj_loss
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=100.0, error_if_nonfinite=True)
        opt.step()
        print(f"epoch {epoch}  box {box_loss.item():.1f}  obj {obj_loss.item():.3f}")
'''

SCRIPTS["fruit-count-head-on-imageai-features-histc"] = '''
import glob
import json
import os

import torch
import torchvision
from PIL import Image
from torchvision import transforms

# reuse the ImageAI-trained fruit classifier as a feature extractor and learn to count apples
classes = json.load(open("models/orchard_model_classes.json"))
backbone = torchvision.models.mobilenet_v2(num_classes=len(classes))
backbone.load_state_dict(torch.load("models/mobilenet_v2-orchard-test_acc_0.83333_epoch-27.pt"))
backbone.classifier = torch.nn.Identity()
backbone.eval()

tf = transforms.Compose([transforms.Resize(256), transforms.CenterCrop(224), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
files = sorted(glob.glob("trees/*.jpg"))
counts = torch.tensor([float(json.load(open(f.replace(".jpg", ".json")))["apples"]) for f in files])
with torch.no_grad():
    feats = torch.stack([backbone(tf(Image.open(f).convert("RGB")).unsqueeze(0))[0] for f in files])
print("features", tuple(feats.shape), "counts", counts.min().item(), "-", counts.max().item())

head = torch.nn.Linear(feats.shape[1], 1)
opt = torch.optim.SGD(head.parameters(), lr=0.05, momentum=0.9)
for epoch in range(30):
    for i in range(0, len(files), 4):
        pred = head(feats[i:i + 4]).squeeze(1)
        loss = torch.nn.functional.mse_loss(pred, counts[i:i + 4])
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        all_pred = head(feats).squeeze(1)
        hist = torch.histc(all_pred, bins=8)
    print(f"epoch {epoch}: mse {loss.item():.1f}  prediction histogram {hist.int().tolist()}")
'''


# a MobileNetV2 as ClassificationModelTrainer leaves it after training (BatchNorm statistics set)
SAVE_CLS_TRAINED = '''
import json
import os
import torch
import torchvision

os.makedirs("models", exist_ok=True)
torch.manual_seed(0)
model = torchvision.models.mobilenet_v2(num_classes=3)
for m in model.modules():
    if isinstance(m, torch.nn.BatchNorm2d):
        m.momentum = None
model.train()
with torch.no_grad():
    for _ in range(3):
        model(torch.randn(8, 3, 224, 224))
torch.save(model.state_dict(), "models/mobilenet_v2-orchard-test_acc_0.83333_epoch-27.pt")
json.dump({"0": "apple", "1": "pear", "2": "plum"}, open("models/orchard_model_classes.json", "w"))
'''


def orchard_setup(work: Path):
    import json
    prep(SAVE_CLS_TRAINED)(work)
    make_images(work, [(f"trees/tree_{i:03d}.jpg", (240, 240), "RGB") for i in range(12)])
    for i in range(12):
        (work / f"trees/tree_{i:03d}.json").write_text(json.dumps({"apples": 40 + 23 * i}))


FINETUNE_THEN_DETECT = '''
import os

import torch
from torch.utils.data import DataLoader
from imageai.Detection.Custom import CustomObjectDetection
from imageai.Detection.Custom.yolo.dataset import LoadImagesAndLabels
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny

# 1) a few more epochs on the new photos, starting from the model ImageAI trained
torch.manual_seed(0)
cfg = "ds/json/ds_tiny-yolov3_detection_config.json"
anchors = [10, 14, 23, 27, 37, 58, 81, 82, 135, 169, 344, 319]
model = YoloV3Tiny(anchors=anchors, num_classes=2)
model.load_state_dict(torch.load("ds/models/tiny-yolov3_ds_mAP-0.47000_epoch-30.pt"))
ds = LoadImagesAndLabels("ds", train=True)
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
model.train()
for epoch in range(4):
    for imgs, targets in DataLoader(ds, batch_size=3, shuffle=True, collate_fn=ds.collate_fn):
        model(imgs)
        layer = model.get_loss_layers()[0]
        b = targets[:, 0].long()
        gi, gj = (targets[:, 2:4] * 13).long().T
        ps = layer.pred[b, 0, gj, gi]
        pxy = (torch.sigmoid(ps[:, :2]) + torch.stack([gi, gj], 1)) * 32
        pwh = torch.exp(ps[:, 2:4]) * layer.anchors[0]
        loss = ((pxy - targets[:, 2:4] * 416) ** 2 + (pwh - targets[:, 4:6] * 416) ** 2).sum(1).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: box loss {loss.item():.2f}")
os.makedirs("finetuned", exist_ok=True)
torch.save(model.state_dict(), "finetuned/tiny-yolov3_ds_finetuned.pt")

# 2) check it on a photo with ImageAI as usual
detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("finetuned/tiny-yolov3_ds_finetuned.pt")
detector.setJsonPath(cfg)
detector.loadModel()
print(detector.detectObjectsFromImage(input_image="ds/validation/images/val_0000.jpg",
                                      output_image_path="check.jpg", minimum_percentage_probability=30))
'''

SCRIPTS["cls-trainer-inceptionv3-under-job-memory-limit"] = '''
import resource

from imageai.Classification.Custom import ClassificationModelTrainer

# the lab's batch system kills a job above its memory request; keep inside the 3 GB we asked for
_, hard = resource.getrlimit(resource.RLIMIT_DATA)
resource.setrlimit(resource.RLIMIT_DATA, (3 * 1024 ** 3, hard))

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsInceptionV3()
trainer.setDataDirectory("flowers")
trainer.trainModel(num_experiments=10, batch_size=32)
'''


# ============================================================================== cases
def cases():
    out, add, script, _ = case_builders("torch-more34-", SCRIPTS)

    def iai(name, cause, files, forms=("cpython_basic",), argv="train.py", args=(), **kw):
        kw.setdefault("framework", "imageai")
        kw.setdefault("timeout", 600)
        add("imageai-" + name, cause, files, forms=forms, argv=[argv, *args], **kw)

    def iai_script(key, cause, forms=("cpython_basic",), argv="train.py", args=(), **kw):
        iai(key, cause, {argv: SCRIPTS[key]}, forms=forms, argv=argv, args=args, **kw)

    def iai_nb(name, cause, cells, forms=("ipython_cell", "ipython_arrows"), **kw):
        kw.setdefault("framework", "imageai")
        kw.setdefault("timeout", 600)
        add("imageai-" + name, cause, nb(cells), forms=forms, argv=["nb_runner.py"], home_is_project=True, **kw)

    P = ["cpython_basic", "progress_bars?"]
    ds = yolo_layout("ds", lambda s, i: boxes(i, [0, 1]), size=(240, 180))

    # ----------------------------------------------------------- 1. data that does not load
    iai("det-train-iphone-heic-exports-all-skipped", "data.missing_or_corrupt",
        {"train.py": det_train(HEIC_PRE, datadir="bins", classes='["bottle", "can"]')}, forms=P, setup=heic_setup)
    iai("det-train-labels-cp1252-comment-header", "data.missing_or_corrupt",
        {"train.py": det_train(CP1252_PRE, datadir="seals", classes='["harbour_seal", "grey_seal"]')}, forms=P,
        setup=cp1252_setup)
    iai("det-train-windows-tool-uppercase-txt-labels", "data.missing_or_corrupt",
        {"train.py": det_train(UPPER_TXT_PRE, datadir="pallets", classes='["pallet", "forklift"]')}, forms=P,
        also=["data.too_few_boxes"], setup=upper_txt_setup)
    iai_nb("custom-cls-classify-tilde-path-notebook", "data.missing_or_corrupt", TILDE_CELLS,
           setup=both(save_cls("mobilenet_v2", '["healthy", "mildew", "rust"]',
                               "models/mobilenet_v2-leaves-test_acc_0.83333_epoch-17.pt",
                               "models/leaves_model_classes.json"),
                      imgs([(f"Pictures/garden/leaf_{k:04d}.jpg", (200, 150), "RGB") for k in (410, 411, 412)])))
    iai_script("custom-cls-upload-folder-half-uploaded-photo", "data.missing_or_corrupt", argv="classify_uploads.py",
               setup=both(save_cls("mobilenet_v2", '["aphid", "healthy", "whitefly"]',
                                   "models/mobilenet_v2-pests-test_acc_0.79167_epoch-22.pt",
                                   "models/pests_model_classes.json"),
                          imgs([(f"uploads/2024-06-03/field_{k:03d}.jpg", (320, 240), "RGB") for k in range(3)]
                               + [("uploads/2024-06-03/field_003.jpg", (640, 480), "truncated")])))

    # ------------------------------------------------------------------------------- 2. boxes
    iai("det-train-voc-pixels-over-downscaled-size", "data.bbox_invalid",
        {"train.py": det_train(VOC_DOWNSCALED_PRE, datadir="bridge", classes='["crack", "spalling"]')}, forms=P,
        setup=bridge_setup)
    iai("det-train-labelimg-zero-size-numpy-inf", "data.bbox_invalid",
        {"train.py": det_train(LABELIMG_ZERO_PRE, datadir="harbour", classes='["buoy", "kayak"]')}, forms=P,
        setup=harbour_setup)
    iai("det-train-offline-zoom-out-offset-subtracted", "data.bbox_invalid",
        {"train.py": det_train(ZOOM_OUT_PRE, datadir="birds", classes='["gull", "tern"]')}, forms=P,
        setup=yolo_layout("birds", lambda s, i: boxes(i, [0, 1]), size=(320, 240)))
    iai("det-train-open-images-columns-read-as-xyxy", "data.bbox_invalid",
        {"train.py": det_train(OPEN_IMAGES_PRE, datadir="streets", classes='["bicycle", "bus"]')}, forms=P,
        setup=oid_setup)

    # -------------------------------------------------------------------------- 3. class ids
    iai("det-train-merged-roboflow-set-shifted-ids", "data.label_out_of_range",
        {"train.py": det_train(MERGE_PRE, datadir="site", classes='["person", "fire"]')}, forms=P,
        setup=merge_setup)
    iai("det-train-classes-txt-header-line-skipped", "data.label_out_of_range",
        {"train.py": det_train(CLASSES_TXT_PRE, datadir="helmets", classes="CLASSES")}, forms=P,
        setup=both(yolo_layout("helmets", lambda s, i: boxes(i, [0, 1, 2]), size=(320, 240)),
                   write("helmets/train/annotations/classes.txt", "helmet\nvest\nhead\n")))

    # ---------------------------------------------------------------------- 4. too few boxes
    iai("det-train-classification-photos-full-frame-boxes", "data.too_few_boxes",
        {"train.py": det_train(FULLFRAME_PRE, datadir="fruit_det", classes="CLASSES")}, forms=P,
        setup=fruit_setup)
    iai("det-train-template-matching-autolabels-one-size", "data.too_few_boxes",
        {"train.py": det_train(TEMPLATE_PRE, datadir="pcb", classes='["chip"]')}, forms=P, setup=pcb_setup)
    iai("det-train-split-script-ratios-swapped", "data.too_few_boxes",
        {"train.py": det_train(SPLIT_PRE, datadir="cones", classes='["cone"]')}, forms=P, setup=cones_setup)

    # ------------------------------------------------------------------------ 5. odd images
    iai_script("custom-cls-multispectral-five-band-stack", "data.image_channels", argv="classify_plots.py",
               setup=both(save_cls("mobilenet_v2", '["healthy", "stressed"]',
                                   "models/mobilenet_v2-plots-test_acc_0.75000_epoch-30.pt",
                                   "models/plots_model_classes.json"), bands_setup))
    iai_nb("custom-detect-thermal-16bit-png-pil-notebook", "data.image_channels", THERMAL_CELLS,
           setup=both(save_tiny('["hotspot"]', "hotspots/models/tiny-yolov3_hotspots_mAP-0.41000_epoch-33.pt",
                                "hotspots/json/hotspots_tiny-yolov3_detection_config.json"), prep(THERMAL_PNG)))
    iai_script("weights-batch-inference-without-resize", "data.image_size_mismatch", argv="batch_predict.py",
               setup=both(save_cls("mobilenet_v2", '["finch", "robin", "wren"]',
                                   "models/mobilenet_v2-birds-test_acc_0.86111_epoch-41.pt",
                                   "models/birds_model_classes.json"),
                          imgs([(f"archive/2023/IMG_{k:04d}.jpg", (320, 240) if k % 3 else (240, 320), "RGB")
                                for k in range(10)])))

    # ------------------------------------------------------------------------- 6. weights
    iai("custom-detect-coco-tiny-yolov3-as-custom-model", "model.weights_mismatch", {"detect.py": COCO_AS_CUSTOM},
        argv="detect.py",
        setup=both(tiny_coco(), save_tiny('["forklift", "pallet"]',
                                          "forklifts/models/tiny-yolov3_forklifts_mAP-0.58000_epoch-44.pt",
                                          "forklifts/json/forklifts_tiny-yolov3_detection_config.json"),
                   imgs([("warehouse.jpg", (320, 240), "RGB")])))
    iai("custom-detect-ultralytics-yolov8-best-pt", "model.weights_mismatch", {"detect.py": ULTRA_DETECT},
        argv="detect.py", setup=both(prep(FAKE_ULTRA), imgs([("gate_cam.jpg", (320, 240), "RGB")])))
    iai("objectdetection-darknet-weights-renamed-pt", "model.weights_mismatch", {"detect.py": DARKNET_DETECT},
        argv="detect.py",
        setup=both(write("models/.keep", ""), prep(DARKNET_RENAMED), imgs([("street.jpg", (320, 240), "RGB")])))
    iai("custom-cls-newest-checkpoint-glob-other-architecture", "model.weights_mismatch", {"predict.py": NEWEST_CKPT},
        argv="predict.py", also=["model.api_misuse"], exception="Exception", setup=newest_setup)
    iai_script("objectdetection-retinanet-v2-coco-weights", "model.weights_mismatch", argv="detect.py",
               setup=both(prep(RETINA_V2), imgs([("crossing.jpg", (320, 240), "RGB")])))

    # -------------------------------------------------------------------------- 7. API misuse
    iai_script("custom-cls-result-count-from-argparse", "model.api_misuse", argv="classify.py",
               args=("lesion_0193.jpg", "--top", "3"),
               setup=both(save_cls("resnet50", '["benign", "malignant", "nevus"]',
                                   "models/resnet50-lesions-test_acc_0.68750_epoch-25.pt",
                                   "models/lesions_model_classes.json"),
                          imgs([("lesion_0193.jpg", (300, 300), "RGB")])))
    iai_script("video-detect-capture-object-as-input-path", "model.api_misuse", argv="gate_video.py",
               setup=both(tiny_coco(), video("gate_2024-05-02.mp4")))
    iai_nb("objectdetection-load-model-cell-before-set-model-path-notebook", "model.api_misuse",
           LOAD_BEFORE_PATH_CELLS, setup=both(tiny_coco(), imgs([("kitchen.jpg", (320, 240), "RGB")])))
    iai_script("custom-detect-cap-read-tuple-as-frame", "model.api_misuse", argv="watch.py",
               setup=both(save_tiny('["drone", "bird"]', "drones/models/tiny-yolov3_drones_mAP-0.55000_epoch-48.pt",
                                    "drones/json/drones_tiny-yolov3_detection_config.json"), video("airfield.mp4")))
    iai_nb("custom-cls-model-type-cell-after-load-model-notebook", "model.api_misuse", TYPE_AFTER_LOAD_CELLS,
           exception="Exception",
           setup=both(save_cls("mobilenet_v2", '["1_euro", "2_euro"]',
                               "models/mobilenet_v2-coins-test_acc_0.91667_epoch-38.pt",
                               "models/coins_model_classes.json"), imgs([("coin_test.jpg", (160, 160), "RGB")])))
    iai_script("cls-trainer-transfer-from-model-pathlib", "model.api_misuse", home_is_project=True,
               setup=both(imgs(class_folder("recycling/train", ["glass", "metal", "paper"], 4, size=(96, 96))
                               + class_folder("recycling/test", ["glass", "metal", "paper"], 2, size=(96, 96))),
                          prep("import os, torch, torchvision\n"
                               "os.makedirs('.cache/torch/hub/checkpoints', exist_ok=True)\n"
                               "torch.save(torchvision.models.mobilenet_v2().state_dict(), "
                               "'.cache/torch/hub/checkpoints/mobilenet_v2-b0353104.pth')\n")))
    iai_script("det-train-roboflow-data-yaml-as-data-directory", "model.api_misuse", also=["data.missing_or_corrupt"],
               setup=roboflow_yaml_setup)
    iai_script("video-set-model-type-without-call", "model.api_misuse", argv="lobby.py",
               setup=both(tiny_coco(), video("lobby.mp4")))

    # ------------------------------------------------------------------- 8. ImageAI 2.x on 3.x
    iai_script("video-objectdetection-imageai2-yolo-h5", "env.version_incompat", argv="video_detection.py",
               setup=both(write("yolo.h5", b"\x89HDF\r\n\x1a\n" + bytes(4096)), video("traffic.mp4")))
    iai_script("custom-detect-imageai2-trained-model-h5", "env.version_incompat", argv="detect.py",
               setup=both(write("hololens/models/detection_model-ex-060--loss-0002.413.h5",
                                b"\x89HDF\r\n\x1a\n" + bytes(4096)),
                          write("hololens/json/detection_config.json",
                                '{"labels": ["hololens"], "anchors": [[116, 90, 156, 198, 373, 326], '
                                '[30, 61, 62, 45, 59, 119], [10, 13, 16, 30, 33, 23]]}'),
                          imgs([("holo2.jpg", (320, 240), "RGB")])))
    iai_script("video-detect-custom-objects-from-video-imageai2", "env.version_incompat", argv="video_custom.py",
               setup=both(tiny_coco(), video("crossing.mp4")))
    iai_script("custom-cls-load-model-num-objects-imageai2", "env.version_incompat", argv="predict.py",
               setup=both(save_cls("resnet50", '["chef", "doctor", "engineer", "farmer"]',
                                   "idenprof/models/resnet50-idenprof-test_acc_0.78125_epoch-92.pt",
                                   "idenprof/models/idenprof_model_classes.json"),
                          imgs([("4.jpg", (224, 224), "RGB")])))
    iai_script("video-detect-thread-safe-from-docstring", "env.version_incompat", argv="worker.py",
               also=["model.api_misuse"], setup=both(tiny_coco(), video("uploads/clip_0007.mp4")))
    iai_script("custom-cls-keras-native-model-file", "env.version_incompat", argv="predict.py",
               also=["model.weights_mismatch"], setup=keras_file_setup)

    # --------------------------------------------------------------------------- 9. divergence
    iai_script("yolo-own-loop-pixel-box-mse-clip-grad-nonfinite", "optim.divergence", argv="train_loop.py", setup=ds)
    iai_script("fruit-count-head-on-imageai-features-histc", "optim.divergence", argv="count_head.py",
               setup=orchard_setup)
    iai("custom-detect-after-pixel-loss-finetune", "optim.divergence", {"finetune.py": FINETUNE_THEN_DETECT},
        argv="finetune.py",
        setup=both(ds, save_tiny('["apple", "banana"]', "ds/models/tiny-yolov3_ds_mAP-0.47000_epoch-30.pt",
                                 "ds/json/ds_tiny-yolov3_detection_config.json")))

    # ------------------------------------------------------------------------------- 10. memory
    iai_script("cls-trainer-inceptionv3-under-job-memory-limit", "resource.host_memory", forms=P,
               setup=imgs(class_folder("flowers/train", ["daisy", "rose", "tulip"], 12, size=(320, 240))
                          + class_folder("flowers/test", ["daisy", "rose", "tulip"], 3, size=(320, 240))))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
