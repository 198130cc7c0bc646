"""A hundred-and-fifth held-out set (g198, scored 0.83 top-1 and 0.92 top-3 before any rule for it) of ImageAI 3.0.3 failures only, untargeted across the taxonomy.

The persona: hobbyists and first-time users of ImageAI 3 who follow blog posts and YouTube tutorials (some of them
written for ImageAI 2 on TensorFlow, some recorded on Windows), with datasets from Roboflow / LabelImg / CVAT /
OIDv4_ToolKit exports, Kaggle downloads and their own phone photos, run as notebooks or small scripts on a laptop
(models trained on Colab and brought home). Every case uses ImageAI 3 (``DetectionModelTrainer``,
``ClassificationModelTrainer``, ``CustomImageClassification``, ``ImageClassification``, ``ObjectDetection``,
``CustomObjectDetection``); each program is built so that its cause is known by construction and made to fail
inside ImageAI, torch, torchvision, PIL, NumPy or the import system:

- dataset layout and files: a CVAT "YOLO 1.1" export (``obj_train_data/``, ``obj.names``) given to
  ``DetectionModelTrainer`` as it came out of the zip (data.missing_or_corrupt); the Kaggle / Microsoft PetImages
  set sorted into ``train/`` + ``test/`` with its zero-byte ``Cat/666.jpg`` still in it (tqdm, path with spaces,
  data.missing_or_corrupt); the Kaggle dogs-vs-cats ``test1/`` folder (unlabelled, flat) renamed to ``test/``
  (data.missing_or_corrupt); a data directory typed as in a tutorial recorded on Windows, ``"datasets\\fruits"``
  (notebook, data.missing_or_corrupt); a house-plant photo taken in the phone's 200 MP mode among the training
  photos, refused by PIL's decompression-bomb guard (tqdm, data.missing_or_corrupt);
- annotations and class lists: OIDv4_ToolKit ``Label`` files (class name + pixel corners) renamed to
  ``annotations/`` (data.bbox_invalid); a first dataset of seven phone photos of one mug, two of them saved in
  LabelImg without a box, so five boxes for TinyYOLOv3's six anchors (empty-label warnings, notebook,
  data.too_few_boxes); a Roboflow export whose own uploads were labelled ``Mask`` next to the public set's ``mask``
  (three classes in the export, two in ``object_names_array``; tqdm, data.label_out_of_range); LabelImg's one-line
  ``classes.txt`` read with ``np.loadtxt`` as the object names (a 0-d array, notebook, model.api_misuse);
- model files and types: Darknet's ``yolov3-tiny.weights`` as ``train_from_pretrained_model``
  (model.weights_mismatch); the README's ``ObjectDetection`` with ``setModelTypeAsYOLOv3`` and the
  ``tiny-yolov3.pt`` file downloaded instead (model.weights_mismatch); a Hugging Face ``model.safetensors`` as
  ``transfer_from_model`` (model.weights_mismatch); the own bird-feeder classifier loaded with the ImageNet
  ``ImageClassification`` class, which only prints its traceback (model.api_misuse); the detector's ``json`` folder
  given to ``setJsonPath`` (model.api_misuse); a script run by VS Code from the workspace root with paths relative
  to its own folder (model.api_misuse); ``CustomObjectDetection`` used without ``()`` (model.api_misuse);
  ``DetectionModelTrainer`` imported from ``imageai.Detection`` (model.api_misuse); a "cat or not" classifier
  trained with a single class folder, asked for its top two (model.output_mismatch);
- training, resources, environment: ``torch.set_grad_enabled(False)`` from an inference tip in the notebook's
  first cell, then the retraining cell (notebook, tqdm, optim.autograd_graph); ``trainModel(batch_size=64)`` from a
  Colab video on a laptop whose script caps its memory (resource.host_memory); ImageNet ResNet-50 weights saved from
  a Colab GPU session loaded by ``ImageClassification`` on the laptop (notebook, env.cuda_setup); a Roboflow-COCO
  converter saved as ``json.py`` next to the training script, so ImageAI reports PyTorch as not installed (other);
  a 2019 blog's LabelImg VOC -> YOLO converter run before the trainer, with ``np.float_`` under NumPy 2
  (env.version_incompat); after one ``classifyImage`` check, a hand-written accuracy loop with the same weights
  over phone photos of both orientations without a resize (tqdm, data.image_size_mismatch).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None: model files are
ones an earlier run left on disk).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more105.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


from _record import (Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders,  # noqa: E402,F401
                     yolo_layout, save_tiny, save_cls)
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more105.py"

SCRIPTS = {}
CELLS = {}

# ================================================================== dataset layout and files
# ------------------------------------------------------------------ CVAT "YOLO 1.1" export as it came out of the zip
CVAT_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(3)
root = "hardhat_cvat"
os.makedirs(f"{root}/obj_train_data", exist_ok=True)
open(f"{root}/obj.names", "w").write("helmet\\nhead\\n")
open(f"{root}/obj.data", "w").write("classes = 2\\ntrain = data/train.txt\\nnames = data/obj.names\\nbackup = backup/\\n")
lines = []
for i in range(10):
    name = f"frame_{i:06d}"
    Image.fromarray(rng.integers(0, 255, (240, 320, 3), dtype=np.uint8)).save(f"{root}/obj_train_data/{name}.jpg")
    with open(f"{root}/obj_train_data/{name}.txt", "w") as f:
        f.write(f"0 {0.30 + 0.02 * i:.6f} {0.35:.6f} {0.12 + 0.01 * i:.6f} {0.16:.6f}\\n")
        f.write(f"1 {0.65:.6f} {0.40 + 0.01 * i:.6f} {0.10:.6f} {0.14 + 0.01 * i:.6f}\\n")
    lines.append(f"data/obj_train_data/{name}.jpg")
open(f"{root}/train.txt", "w").write("\\n".join(lines) + "\\n")
'''

SCRIPTS["cvat-yolo11-export-obj-train-data-as-data-directory"] = '''
from imageai.Detection.Custom import DetectionModelTrainer

# exported from CVAT as "YOLO 1.1" and unzipped into hardhat_cvat/
trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="hardhat_cvat")
trainer.setTrainConfig(object_names_array=["helmet", "head"], batch_size=4, num_experiments=50)
trainer.trainModel()
'''

# ------------------------------------------------------------------ Kaggle PetImages with the zero-byte Cat/666.jpg
PETIMAGES_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(5)
# the Kaggle "Microsoft Cats vs Dogs" zip (PetImages/Cat, PetImages/Dog), sorted into train/ and test/ by hand
for split, ids in (("train", range(660, 676)), ("test", range(900, 904))):
    for cls in ("Cat", "Dog"):
        d = f"petimages/{split}/{cls}"
        os.makedirs(d, exist_ok=True)
        for i in ids:
            h, w = (int(rng.integers(90, 140)), int(rng.integers(90, 140)))
            Image.fromarray(rng.integers(0, 255, (h, w, 3), dtype=np.uint8)).save(f"{d}/{i}.jpg", quality=85)
        open(f"{d}/Thumbs.db", "wb").write(b"\\xd0\\xcf\\x11\\xe0\\xa1\\xb1\\x1a\\xe1" + b"\\x00" * 504)
# PetImages/Cat/666.jpg is a zero-byte file in the download
open("petimages/train/Cat/666.jpg", "wb").close()
'''

SCRIPTS["kaggle-petimages-zero-byte-cat-666-tqdm"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("petimages")
trainer.trainModel(num_experiments=20, batch_size=8)
'''

# ------------------------------------------------------------------ dogs-vs-cats test1 (flat, unlabelled) renamed test
DOGSCATS_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(6)
# Kaggle "dogs-vs-cats": train.zip (cat.0.jpg, dog.0.jpg, ...) sorted into class folders as the video shows,
# test1.zip (1.jpg, 2.jpg, ...) unzipped and renamed to test/
for animal in ("cat", "dog"):
    os.makedirs(f"dogs-vs-cats/train/{animal}s", exist_ok=True)
    for i in range(8):
        Image.fromarray(rng.integers(0, 255, (96, 128, 3), dtype=np.uint8)).save(
            f"dogs-vs-cats/train/{animal}s/{animal}.{i}.jpg")
os.makedirs("dogs-vs-cats/test", exist_ok=True)
for i in range(1, 9):
    Image.fromarray(rng.integers(0, 255, (96, 128, 3), dtype=np.uint8)).save(f"dogs-vs-cats/test/{i}.jpg")
'''

SCRIPTS["kaggle-dogs-vs-cats-test1-flat-folder-as-test"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsResNet50()
trainer.setDataDirectory("dogs-vs-cats")
trainer.trainModel(num_experiments=10, batch_size=8)
'''

# ------------------------------------------------------------------ Windows tutorial path in a notebook
CELLS["windows-tutorial-backslash-data-directory-notebook"] = [
    r'''from imageai.Classification.Custom import ClassificationModelTrainer
import os

os.listdir("datasets/fruits")''',
    r'''# same as in the video (at 12:40)
trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("datasets\fruits")
trainer.trainModel(num_experiments=30, batch_size=8)''',
]

# ------------------------------------------------------------------ a 200 MP phone photo among the plant photos
HUGE_PHOTO_PREP = '''
from PIL import Image, ImageDraw

# taken with the phone's 200 MP mode (16320 x 12240) and copied over with the others
img = Image.new("RGB", (16320, 12240), (96, 128, 80))
d = ImageDraw.Draw(img)
d.ellipse((5000, 3000, 11000, 9500), fill=(40, 110, 50))
d.rectangle((7400, 9000, 8900, 12240), fill=(150, 90, 60))
img.save("houseplants/train/monstera/20240611_101532.jpg", quality=80)
'''

SCRIPTS["phone-200mp-photo-in-class-folder-decompression-bomb-tqdm"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

# photos straight from my phone, sorted by plant
trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("houseplants")
trainer.trainModel(num_experiments=25, batch_size=8)
'''

# ================================================================== annotations and class lists
# ------------------------------------------------------------------ OIDv4_ToolKit labels renamed to annotations/
DET_TRAIN = '''
from imageai.Detection.Custom import DetectionModelTrainer

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="@@DIR@@")
trainer.setTrainConfig(object_names_array=@@NAMES@@, batch_size=4, num_experiments=@@EPOCHS@@)
trainer.trainModel()
'''

SCRIPTS["oidv4-toolkit-label-files-as-annotations"] = sub(DET_TRAIN, DIR="kitchen", NAMES='["Mug", "Bottle"]',
                                                          EPOCHS="40").replace(
    "trainer = Det", "# downloaded with OIDv4_ToolKit (Mug, Bottle); moved the pictures to images/ and renamed the\n"
                     "# Label folders to annotations/\ntrainer = Det")


def oid_rows(split, i):
    # OIDv4_ToolKit Label/*.txt: class name, then left top right bottom in pixels
    return (f"Mug {40.5 + 3 * i:.2f} {60.25 + 2 * i:.2f} {120.75 + 3 * i:.2f} {150.0 + 2 * i:.2f}\n"
            f"Bottle {180.0 + 2 * i:.2f} {20.5:.2f} {230.25 + 2 * i:.2f} {200.0 + i:.2f}\n")


# ------------------------------------------------------------------ first dataset: a few photos of one mug
CELLS["first-dataset-seven-mug-photos-two-unlabelled-notebook"] = [
    '''import glob
from imageai.Detection.Custom import DetectionModelTrainer

print(len(glob.glob("my_mug/train/images/*.jpg")), "train photos,", len(glob.glob("my_mug/validation/images/*.jpg")),
      "validation photos")''',
    '''trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="my_mug")
trainer.setTrainConfig(object_names_array=["mug"], batch_size=2, num_experiments=100)
trainer.trainModel()''',
]


def mug_rows(split, i):
    # the mug on the desk, photographed from three distances; LabelImg saved an empty file for the photos
    # where it was still to be labelled
    if split == "train" and i in (2, 5):
        return ""
    w, h = [(0.30, 0.45), (0.18, 0.27), (0.42, 0.63)][i % 3]
    return f"0 0.500000 0.520000 {w:.6f} {h:.6f}\n"


# ------------------------------------------------------------------ Roboflow export with Mask / mask / no-mask
SCRIPTS["roboflow-export-mask-and-capital-mask-classes-tqdm"] = sub(
    DET_TRAIN, DIR="mask_wearing", NAMES='["mask", "no-mask"]', EPOCHS="60").replace(
    "trainer = Det", "# Roboflow Universe \"Mask Wearing\" forked, 12 of my own photos added and labelled, exported as\n"
                     "# YOLO v5 (train/labels renamed to annotations, valid to validation)\ntrainer = Det")

MASK_YAML = '''train: ../train/images
val: ../valid/images

nc: 3
names: ['Mask', 'mask', 'no-mask']
'''


def mask_rows(split, i):
    # Roboflow sorts the class names: 'Mask' (my uploads) = 0, 'mask' = 1, 'no-mask' = 2
    rows = [f"{1 + (i + k) % 2} {0.22 + 0.28 * k:.6f} {0.40 + 0.03 * k:.6f} {0.14 + 0.01 * i:.6f} "
            f"{0.20 + 0.015 * k:.6f}\n" for k in range(3)]
    if i % 3 == 0:
        rows.append(f"0 0.500000 0.800000 {0.18 + 0.01 * i:.6f} 0.240000\n")
    return "".join(rows)


# ------------------------------------------------------------------ LabelImg classes.txt read with np.loadtxt
CELLS["labelimg-classes-txt-np-loadtxt-single-class-notebook"] = [
    '''import numpy as np
from imageai.Detection.Custom import DetectionModelTrainer

# LabelImg keeps the class list next to the labels
classes = np.loadtxt("hedgehog_cam/train/annotations/classes.txt", dtype=str)
classes''',
    '''trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="hedgehog_cam")
trainer.setTrainConfig(object_names_array=classes, batch_size=4, num_experiments=50)
trainer.trainModel()''',
]


def hedgehog_rows(split, i):
    return f"0 {0.35 + 0.03 * i:.6f} {0.60:.6f} {0.20 + 0.02 * i:.6f} {0.16 + 0.01 * i:.6f}\n"


# ------------------------------------------------------------------ 2019 blog VOC -> YOLO converter under NumPy 2
VOC_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(8)
for split, n in (("train", 6), ("validation", 2)):
    os.makedirs(f"chess/{split}/images", exist_ok=True)
    os.makedirs(f"chess/{split}/xml", exist_ok=True)
    for i in range(n):
        name = f"{split[:3]}_{i:03d}"
        Image.fromarray(rng.integers(0, 255, (480, 640, 3), dtype=np.uint8)).save(f"chess/{split}/images/{name}.jpg")
        objs = "".join(
            f"<object><name>{c}</name><pose>Unspecified</pose><truncated>0</truncated><difficult>0</difficult>"
            f"<bndbox><xmin>{60 + 150 * k + 5 * i}</xmin><ymin>{100 + 10 * k}</ymin><xmax>{140 + 150 * k + 5 * i}</xmax>"
            f"<ymax>{230 + 10 * k}</ymax></bndbox></object>" for k, c in enumerate(["king", "queen", "pawn"]))
        open(f"chess/{split}/xml/{name}.xml", "w").write(
            f"<annotation><folder>images</folder><filename>{name}.jpg</filename><size><width>640</width>"
            f"<height>480</height><depth>3</depth></size><segmented>0</segmented>{objs}</annotation>")
'''

SCRIPTS["labelimg-voc-to-yolo-blog-converter-np-float-numpy2"] = '''
import glob
import os
import xml.etree.ElementTree as ET

import numpy as np
from imageai.Detection.Custom import DetectionModelTrainer

CLASSES = ["king", "queen", "pawn"]


def convert(size, box):
    # from the "YOLO annotations from LabelImg XML" blog post (2019)
    dw, dh = 1.0 / size[0], 1.0 / size[1]
    b = np.array(box, dtype=np.float_)
    x, y = (b[0] + b[1]) / 2.0, (b[2] + b[3]) / 2.0
    w, h = b[1] - b[0], b[3] - b[2]
    return x * dw, y * dh, w * dw, h * dh


for split in ("train", "validation"):
    os.makedirs(f"chess/{split}/annotations", exist_ok=True)
    for xml_file in sorted(glob.glob(f"chess/{split}/xml/*.xml")):
        root = ET.parse(xml_file).getroot()
        size = (int(root.find("size/width").text), int(root.find("size/height").text))
        rows = []
        for obj in root.iter("object"):
            bb = obj.find("bndbox")
            box = [float(bb.find(t).text) for t in ("xmin", "xmax", "ymin", "ymax")]
            rows.append("%d %.6f %.6f %.6f %.6f" % (CLASSES.index(obj.find("name").text), *convert(size, box)))
        name = os.path.splitext(os.path.basename(xml_file))[0]
        open(f"chess/{split}/annotations/{name}.txt", "w").write("\\n".join(rows) + "\\n")

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="chess")
trainer.setTrainConfig(object_names_array=CLASSES, batch_size=4, num_experiments=50)
trainer.trainModel()
'''


# ================================================================== model files and types
# ------------------------------------------------------------------ Darknet yolov3-tiny.weights as pretrained model
DARKNET_PREP = '''
import numpy as np

# the file every YOLO tutorial downloads from pjreddie.com (header: major, minor, revision, images seen)
with open("yolov3-tiny.weights", "wb") as f:
    np.array([0, 2, 0], dtype=np.int32).tofile(f)
    np.array([32013312], dtype=np.int64).tofile(f)
    np.random.default_rng(0).standard_normal(400_000).astype(np.float32).tofile(f)
'''

SCRIPTS["darknet-yolov3-tiny-weights-as-pretrained-model"] = '''
from imageai.Detection.Custom import DetectionModelTrainer

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="ducks")
# start from the COCO-trained tiny YOLO instead of random weights, as the darknet tutorial does
trainer.setTrainConfig(object_names_array=["duck", "goose"], batch_size=4, num_experiments=30,
                       train_from_pretrained_model="yolov3-tiny.weights")
trainer.trainModel()
'''


def duck_rows(split, i):
    return "".join(f"{k % 2} {0.25 + 0.25 * k:.6f} {0.55:.6f} {0.12 + 0.01 * i:.6f} {0.10 + 0.01 * k:.6f}\n"
                   for k in range(3))


# ------------------------------------------------------------------ README's YOLOv3 example with tiny-yolov3.pt
COCO_TINY_PREP = '''
import torch
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny

# "tiny-yolov3.pt" from the ImageAI 3.0.0-pretrained release (the YOLOv3 file was too big for my connection)
torch.manual_seed(0)
torch.save(YoloV3Tiny(anchors=[10, 14, 23, 27, 37, 58, 81, 82, 135, 169, 344, 319], num_classes=80).state_dict(),
           "tiny-yolov3.pt")
'''

SCRIPTS["readme-yolov3-example-with-tiny-yolov3-pt"] = '''
from imageai.Detection import ObjectDetection

detector = ObjectDetection()
detector.setModelTypeAsYOLOv3()
detector.setModelPath("tiny-yolov3.pt")
detector.loadModel()
detections = detector.detectObjectsFromImage(input_image="street.jpg", output_image_path="street_new.jpg",
                                             minimum_percentage_probability=30)
for eachObject in detections:
    print(eachObject["name"], " : ", eachObject["percentage_probability"], " : ", eachObject["box_points"])
'''

# ------------------------------------------------------------------ Hugging Face safetensors as transfer model
SAFETENSORS_PREP = '''
import json, os, struct
import numpy as np

# downloaded from the Hugging Face hub (timm/mobilenetv2_100.ra_in1k, "Files and versions" tab)
os.makedirs("hf/mobilenetv2_100.ra_in1k", exist_ok=True)
rng = np.random.default_rng(0)
tensors = {"conv_stem.weight": rng.standard_normal((32, 3, 3, 3)).astype(np.float32),
           "bn1.weight": np.ones(32, np.float32), "bn1.bias": np.zeros(32, np.float32),
           "classifier.weight": rng.standard_normal((1000, 1280)).astype(np.float32) * 0.01,
           "classifier.bias": np.zeros(1000, np.float32)}
header, blob, off = {}, b"", 0
for k, v in tensors.items():
    b = v.tobytes()
    header[k] = {"dtype": "F32", "shape": list(v.shape), "data_offsets": [off, off + len(b)]}
    blob += b
    off += len(b)
h = json.dumps(header).encode()
with open("hf/mobilenetv2_100.ra_in1k/model.safetensors", "wb") as f:
    f.write(struct.pack("<Q", len(h)) + h + blob)
'''

SCRIPTS["huggingface-safetensors-as-transfer-model"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("lego_bricks")
# ImageNet weights to start from, so it learns faster on my 40 photos per brick
trainer.trainModel(num_experiments=20, batch_size=8,
                   transfer_from_model="hf/mobilenetv2_100.ra_in1k/model.safetensors")
'''

# ------------------------------------------------------------------ own classifier through ImageClassification
SCRIPTS["own-bird-classifier-through-imagenet-imageclassification"] = '''
from imageai.Classification import ImageClassification

# the "image prediction" example from the README, pointed at the model I trained last week
prediction = ImageClassification()
prediction.setModelTypeAsMobileNetV2()
prediction.setModelPath("feeder_birds/models/mobilenet_v2-feeder_birds-test_acc_0.81250_epoch-14.pt")
prediction.loadModel()

predictions, probabilities = prediction.classifyImage("feeder_cam/IMG_20240412_071502.jpg", result_count=3)
for eachPrediction, eachProbability in zip(predictions, probabilities):
    print(eachPrediction, " : ", eachProbability)
'''

# ------------------------------------------------------------------ the json folder given to setJsonPath
TINY = {"PT": "pond/models/tiny-yolov3_pond_mAP-0.38125_epoch-24.pt",
        "JS": "pond/json/pond_tiny-yolov3_detection_config.json"}

SCRIPTS["custom-detector-json-folder-as-json-path"] = sub('''
import glob

from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("@@PT@@")
detector.setJsonPath("pond/json")          # "the json folder created by the training"
detector.loadModel()

for path in sorted(glob.glob("pond_cam/*.jpg")):
    detections = detector.detectObjectsFromImage(input_image=path, output_image_path=path.replace(".jpg", "-new.jpg"))
    for d in detections:
        print(path, d["name"], d["percentage_probability"])
''', **TINY)

# ------------------------------------------------------------------ VS Code runs from the workspace root
SCRIPTS["vscode-run-from-workspace-root-relative-model-path"] = '''
import glob

from imageai.Classification.Custom import CustomImageClassification

# classifier/classify.py -- paths relative to this folder, where the model was copied from Colab
prediction = CustomImageClassification()
prediction.setModelTypeAsResNet50()
prediction.setModelPath("models/resnet50-recycling-test_acc_0.87500_epoch-22.pt")
prediction.setJsonPath("models/recycling_model_classes.json")
prediction.loadModel()

for path in sorted(glob.glob("test_photos/*.jpg")):
    names, probs = prediction.classifyImage(path, result_count=2)
    print(path, names[0], probs[0])
'''

# ------------------------------------------------------------------ the class used without ()
SCRIPTS["custom-object-detection-class-without-parentheses"] = sub('''
from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("@@PT@@")
detector.setJsonPath("@@JS@@")
detector.loadModel()
detections = detector.detectObjectsFromImage(input_image="pond_cam/IMG_0031.jpg", output_image_path="IMG_0031-new.jpg")
for d in detections:
    print(d["name"], " : ", d["percentage_probability"])
''', **TINY)

# ------------------------------------------------------------------ trainer imported from imageai.Detection
SCRIPTS["detection-model-trainer-imported-from-imageai-detection"] = '''
from imageai.Detection import DetectionModelTrainer

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="ducks")
trainer.setTrainConfig(object_names_array=["duck", "goose"], batch_size=4, num_experiments=30)
trainer.trainModel()
'''

# ------------------------------------------------------------------ single-class "cat or not" classifier
SCRIPTS["single-class-folder-cat-or-not-classifier-top-two"] = '''
import glob

from imageai.Classification.Custom import CustomImageClassification

# trained on luna_or_not/train/luna + luna_or_not/test/luna -- "is this Luna or another cat?"
prediction = CustomImageClassification()
prediction.setModelTypeAsMobileNetV2()
prediction.setModelPath("luna_or_not/models/mobilenet_v2-luna_or_not-test_acc_1.00000_epoch-0.pt")
prediction.setJsonPath("luna_or_not/models/luna_or_not_model_classes.json")
prediction.loadModel()

for path in sorted(glob.glob("garden_cam/*.jpg")):
    names, probs = prediction.classifyImage(path, result_count=2)
    print(path, list(zip(names, probs)))
'''

# ================================================================== training, resources, environment
# ------------------------------------------------------------------ set_grad_enabled(False) in the first cell
VEG = {"PT": "veg_patch/models/tiny-yolov3_veg_patch_mAP-0.41230_epoch-18.pt",
       "JS": "veg_patch/json/veg_patch_tiny-yolov3_detection_config.json"}

CELLS["set-grad-enabled-false-tip-then-retrain-cell-notebook"] = [
    '''import glob
import torch
from imageai.Detection.Custom import CustomObjectDetection, DetectionModelTrainer

# from the "make ImageAI faster" blog: this notebook only runs the model, switch autograd off
torch.set_grad_enabled(False)''',
    sub('''detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("@@PT@@")
detector.setJsonPath("@@JS@@")
detector.loadModel()
for p in sorted(glob.glob("new_photos/*.jpg")):
    detector.detectObjectsFromImage(input_image=p, output_image_path=p.replace(".jpg", "-det.jpg"),
                                    minimum_percentage_probability=40)
    print("saved", p.replace(".jpg", "-det.jpg"))''', **VEG),
    sub('''# the new photos are labelled now: retrain, starting from last month's model
trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="veg_patch")
trainer.setTrainConfig(object_names_array=["tomato", "courgette"], batch_size=4, num_experiments=30,
                       train_from_pretrained_model="@@PT@@")
trainer.trainModel()''', **VEG),
]


def veg_rows(split, i):
    return "".join(f"{k % 2} {0.20 + 0.3 * k:.6f} {0.35 + 0.1 * k:.6f} {0.10 + 0.02 * i + 0.03 * k:.6f} "
                   f"{0.12 + 0.015 * i + 0.04 * k:.6f}\n" for k in range(3))


# ------------------------------------------------------------------ batch 64 from a Colab video, under a memory cap
SCRIPTS["colab-video-batch-64-resnet50-trainer-laptop-memory-cap"] = '''
import resource

from imageai.Classification.Custom import ClassificationModelTrainer

# the laptop froze twice while training: cap this script at 3 GB (tip from the forum)
_, hard = resource.getrlimit(resource.RLIMIT_DATA)
resource.setrlimit(resource.RLIMIT_DATA, (3 * 1024 ** 3, hard))

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsResNet50()
trainer.setDataDirectory("pokemon_cards")
trainer.trainModel(num_experiments=50, batch_size=64)      # same settings as in the Colab video
'''

# ------------------------------------------------------------------ ImageNet weights saved in a Colab GPU session
COLAB_GPU_PREP = '''
import io, zipfile
import torch
import torchvision

# in Colab: torch.save(resnet50(weights="IMAGENET1K_V1").to("cuda").state_dict(), "resnet50-imagenet.pth")
# (the ImageAI release download kept failing at home); storages are tagged "cuda:0"
torch.save(torchvision.models.resnet50(weights=None).state_dict(), "_cpu.pth")
with zipfile.ZipFile("_cpu.pth") as zin, zipfile.ZipFile("resnet50-imagenet.pth", "w", zipfile.ZIP_STORED) as zout:
    for info in zin.infolist():
        data = zin.read(info.filename)
        if info.filename.endswith("data.pkl"):
            assert b"X\\x03\\x00\\x00\\x00cpu" in data
            data = data.replace(b"X\\x03\\x00\\x00\\x00cpu", b"X\\x06\\x00\\x00\\x00cuda:0")
        zout.writestr(info.filename, data)
import os
os.remove("_cpu.pth")
'''

CELLS["colab-gpu-saved-imagenet-weights-imageclassification-notebook"] = [
    '''from imageai.Classification import ImageClassification

prediction = ImageClassification()
prediction.setModelTypeAsResNet50()
prediction.setModelPath("resnet50-imagenet.pth")      # downloaded from my Colab session
prediction.loadModel()''',
    '''predictions, probabilities = prediction.classifyImage("photos/IMG_20240502_183012.jpg", result_count=5)
for eachPrediction, eachProbability in zip(predictions, probabilities):
    print(eachPrediction, " : ", eachProbability)''',
]

# ------------------------------------------------------------------ json.py next to the training script
JSON_PY = '''
"""Roboflow COCO export -> ImageAI YOLO txt files (run once before training)"""
import json
import os

coco = json.load(open("coins_coco/train/_annotations.coco.json"))
images = {im["id"]: im for im in coco["images"]}
os.makedirs("coins/train/annotations", exist_ok=True)
for a in coco["annotations"]:
    im = images[a["image_id"]]
    x, y, w, h = a["bbox"]
    line = f"{a['category_id'] - 1} {(x + w / 2) / im['width']} {(y + h / 2) / im['height']} {w / im['width']} {h / im['height']}\\n"
    with open(os.path.join("coins/train/annotations", os.path.splitext(im["file_name"])[0] + ".txt"), "a") as f:
        f.write(line)
'''

COINS_COCO = ('{"images": [{"id": 1, "file_name": "IMG_0001_jpg.rf.3f2a.jpg", "width": 640, "height": 640}], '
              '"annotations": [{"id": 1, "image_id": 1, "category_id": 1, "bbox": [100, 120, 80, 80]}], '
              '"categories": [{"id": 0, "name": "coins"}, {"id": 1, "name": "euro-1"}, {"id": 2, "name": "euro-2"}]}')

SCRIPTS["coco-converter-named-json-py-next-to-train-script"] = '''
from imageai.Detection.Custom import DetectionModelTrainer

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="coins")
trainer.setTrainConfig(object_names_array=["euro-1", "euro-2"], batch_size=4, num_experiments=40)
trainer.trainModel()
'''

# ------------------------------------------------------------------ own accuracy check without a resize
SCRIPTS["own-test-accuracy-loop-phone-photos-both-orientations-tqdm"] = '''
import json

import torch
from imageai.Classification.Custom import CustomImageClassification
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from torchvision.models import mobilenet_v2
from tqdm import tqdm

MODEL = "recycling/models/mobilenet_v2-recycling-test_acc_0.84375_epoch-17.pt"
JSON = "recycling/models/recycling_model_classes.json"

prediction = CustomImageClassification()
prediction.setModelTypeAsMobileNetV2()
prediction.setModelPath(MODEL)
prediction.setJsonPath(JSON)
prediction.loadModel()
print(prediction.classifyImage("my_test_photos/glass/IMG_0001.jpg", result_count=1))

# ImageAI gives no accuracy for a folder: run the same weights over all my test photos in batches
classes = json.load(open(JSON))
model = mobilenet_v2(num_classes=len(classes))
model.load_state_dict(torch.load(MODEL, map_location="cpu"))
model.eval()

tf = transforms.Compose([transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
test = datasets.ImageFolder("my_test_photos", transform=tf)
loader = DataLoader(test, batch_size=8)
correct = 0
with torch.no_grad():
    for x, y in tqdm(loader, desc="testing"):
        correct += (model(x).argmax(1) == y).sum().item()
print(f"accuracy: {correct / len(test):.3f}")
'''


def cases():
    out, add, script, notebook = case_builders("torch-more105-", SCRIPTS, CELLS)
    NB = ("ipython_cell", "ipython_arrows", "ipython_file_tilde?")
    P = ("cpython_basic", "progress_bars?")
    F = "imageai"
    pond = save_tiny('["frog", "newt", "dragonfly"]', 3, TINY["PT"], TINY["JS"])
    pond_cam = imgs([(f"pond_cam/IMG_{31 + i:04d}.jpg", (320, 240), "RGB") for i in range(2)])
    ducks = yolo_layout("ducks", duck_rows, size=(320, 240))

    # ---- dataset layout and files
    script("cvat-yolo11-export-obj-train-data-as-data-directory", "data.missing_or_corrupt", framework=F,
           argv="train_hardhat.py", setup=prep(CVAT_PREP))
    script("kaggle-petimages-zero-byte-cat-666-tqdm", "data.missing_or_corrupt", framework=F,
           forms=("cpython_basic", "progress_bars?", "paths_with_spaces"), argv="train_pets.py",
           subdir="cats vs dogs", project="/home/user/Desktop/cats vs dogs", setup=prep(PETIMAGES_PREP))
    script("kaggle-dogs-vs-cats-test1-flat-folder-as-test", "data.missing_or_corrupt", framework=F,
           argv="train.py", setup=prep(DOGSCATS_PREP))
    notebook("windows-tutorial-backslash-data-directory-notebook", "data.missing_or_corrupt", framework=F,
             forms=NB, setup=imgs(class_folder("datasets/fruits/train", ["apple", "banana", "orange"], 3)
                                  + class_folder("datasets/fruits/test", ["apple", "banana", "orange"], 2)))
    script("phone-200mp-photo-in-class-folder-decompression-bomb-tqdm", "data.missing_or_corrupt",
           also=["other"], framework=F, forms=P, argv="train_plants.py", timeout=400,
           setup=both(imgs(class_folder("houseplants/train", ["monstera", "pothos", "snake_plant"], 5,
                                        size=(120, 160))
                           + class_folder("houseplants/test", ["monstera", "pothos", "snake_plant"], 2,
                                          size=(120, 160))),
                      prep(HUGE_PHOTO_PREP)))

    # ---- annotations and class lists
    script("oidv4-toolkit-label-files-as-annotations", "data.bbox_invalid", also=["data.missing_or_corrupt"],
           framework=F, argv="train_kitchen.py", setup=yolo_layout("kitchen", oid_rows, size=(320, 240)))
    notebook("first-dataset-seven-mug-photos-two-unlabelled-notebook", "data.too_few_boxes", framework=F, forms=NB,
             timeout=400, setup=yolo_layout("my_mug", mug_rows, size=(240, 320), splits=(("train", 7),
                                                                                            ("validation", 2))))
    script("roboflow-export-mask-and-capital-mask-classes-tqdm", "data.label_out_of_range",
           also=["model.output_mismatch"], framework=F, forms=P, argv="train_masks.py", timeout=400,
           setup=both(yolo_layout("mask_wearing", mask_rows, size=(320, 320)), write("mask_wearing/data.yaml",
                                                                                     MASK_YAML)))
    notebook("labelimg-classes-txt-np-loadtxt-single-class-notebook", "model.api_misuse", framework=F, forms=NB,
             setup=both(yolo_layout("hedgehog_cam", hedgehog_rows, size=(320, 240)),
                        write("hedgehog_cam/train/annotations/classes.txt", "hedgehog\n")))

    script("labelimg-voc-to-yolo-blog-converter-np-float-numpy2", "env.version_incompat", framework=F,
           argv="prepare_and_train.py", setup=prep(VOC_PREP))

    # ---- model files and types
    script("darknet-yolov3-tiny-weights-as-pretrained-model", "model.weights_mismatch", also=["model.api_misuse"],
           framework=F, argv="train_ducks.py", setup=both(ducks, prep(DARKNET_PREP)))
    script("readme-yolov3-example-with-tiny-yolov3-pt", "model.weights_mismatch", framework=F,
           argv="first_detection.py", setup=both(prep(COCO_TINY_PREP), imgs([("street.jpg", (416, 312), "RGB")])))
    script("huggingface-safetensors-as-transfer-model", "model.weights_mismatch", also=["model.api_misuse"],
           framework=F, argv="train_lego.py",
           setup=both(imgs(class_folder("lego_bricks/train", ["2x2", "2x4", "1x6"], 4, size=(80, 80))
                           + class_folder("lego_bricks/test", ["2x2", "2x4", "1x6"], 2, size=(80, 80))),
                      prep(SAFETENSORS_PREP)))
    script("own-bird-classifier-through-imagenet-imageclassification", "model.api_misuse",
           also=["model.weights_mismatch"], framework=F, argv="predict_birds.py",
           setup=both(save_cls("mobilenet_v2", '["blackbird", "blue_tit", "robin"]',
                               "feeder_birds/models/mobilenet_v2-feeder_birds-test_acc_0.81250_epoch-14.pt",
                               "feeder_birds/models/feeder_birds_model_classes.json"),
                      imgs([("feeder_cam/IMG_20240412_071502.jpg", (320, 240), "RGB")])))
    script("custom-detector-json-folder-as-json-path", "model.api_misuse", framework=F, argv="detect_pond.py",
           setup=both(pond, pond_cam))
    script("vscode-run-from-workspace-root-relative-model-path", "model.api_misuse",
           also=["data.missing_or_corrupt"], framework=F, argv="classifier/classify.py",
           setup=both(save_cls("resnet50", '["cardboard", "glass", "plastic"]',
                               "classifier/models/resnet50-recycling-test_acc_0.87500_epoch-22.pt",
                               "classifier/models/recycling_model_classes.json"),
                      imgs([(f"classifier/test_photos/IMG_{i:04d}.jpg", (160, 120), "RGB") for i in range(2)])))
    script("custom-object-detection-class-without-parentheses", "model.api_misuse", framework=F,
           argv="detect_pond.py", setup=both(pond, pond_cam))
    script("detection-model-trainer-imported-from-imageai-detection", "model.api_misuse", framework=F,
           argv="train_ducks.py", setup=ducks)
    script("single-class-folder-cat-or-not-classifier-top-two", "model.output_mismatch",
           also=["model.api_misuse"], framework=F, argv="is_it_luna.py",
           setup=both(save_cls("mobilenet_v2", '["luna"]',
                               "luna_or_not/models/mobilenet_v2-luna_or_not-test_acc_1.00000_epoch-0.pt",
                               "luna_or_not/models/luna_or_not_model_classes.json"),
                      imgs([(f"garden_cam/snap_{i:03d}.jpg", (320, 240), "RGB") for i in range(2)])))

    # ---- training, resources, environment
    notebook("set-grad-enabled-false-tip-then-retrain-cell-notebook", "optim.autograd_graph", framework=F,
             forms=NB + ("progress_bars?",), timeout=400,
             setup=both(save_tiny('["tomato", "courgette"]', 2, VEG["PT"], VEG["JS"]),
                        yolo_layout("veg_patch", veg_rows, size=(320, 240)),
                        imgs([(f"new_photos/IMG_{i:04d}.jpg", (320, 240), "RGB") for i in range(2)])))
    script("colab-video-batch-64-resnet50-trainer-laptop-memory-cap", "resource.host_memory", framework=F,
           forms=P, argv="train_cards.py", timeout=400,
           setup=imgs(class_folder("pokemon_cards/train", ["fire", "water", "grass"], 24, size=(64, 88))
                      + class_folder("pokemon_cards/test", ["fire", "water", "grass"], 4, size=(64, 88))))
    notebook("colab-gpu-saved-imagenet-weights-imageclassification-notebook", "env.cuda_setup",
             also=["env.device_mismatch"], framework=F, forms=NB,
             setup=both(prep(COLAB_GPU_PREP), imgs([("photos/IMG_20240502_183012.jpg", (320, 240), "RGB")])))
    script("coco-converter-named-json-py-next-to-train-script", "other", also=["env.version_incompat"],
           framework=F, forms=("cpython_basic", "chained_during"), argv="train_coins.py",
           extra={"json.py": JSON_PY, "coins_coco/train/_annotations.coco.json": COINS_COCO},
           setup=yolo_layout("coins", duck_rows, size=(320, 240)))
    script("own-test-accuracy-loop-phone-photos-both-orientations-tqdm", "data.image_size_mismatch", framework=F,
           forms=P, argv="check_accuracy.py",
           setup=both(save_cls("mobilenet_v2", '["cardboard", "glass", "plastic"]',
                               "recycling/models/mobilenet_v2-recycling-test_acc_0.84375_epoch-17.pt",
                               "recycling/models/recycling_model_classes.json"),
                      imgs([(f"my_test_photos/{c}/IMG_{i:04d}.jpg", (160, 120) if (i + k) % 2 else (120, 160), "RGB")
                            for k, c in enumerate(["cardboard", "glass", "plastic"]) for i in range(4)])))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=1))
