"""A hundred-and-seventh held-out set (g200, scored 0.83 top-1 and 1.00 top-3 before any rule for it) of ImageAI 3.0.3 classification failures: teachers, students and small-business owners.

The persona: teachers, students and small-business owners who follow ImageAI tutorials to sort photos -- house
plants and leaves, fungi and minibeasts for a biology project, chest X-rays from Kaggle for a class project, an eco
club's recycling sorter, a market stall's vegetables, a bakery's till photos, an online shop's products -- with data
sets scraped from the web, downloaded from Kaggle or shot on phones, run as notebooks or small scripts on school
laptops, lab PCs, a shop PC and Colab. Every case uses ImageAI 3 classification (``ClassificationModelTrainer``,
``CustomImageClassification``, ``ImageClassification`` with the ImageNet weights); each program is built so that its
cause is known by construction and made to fail inside ImageAI, torch, torchvision, PIL, NumPy, json,
multiprocessing or the compiler:

- data: the Kaggle "Intel Image Classification" set with only the outer ``seg_train`` / ``seg_test``
  folders renamed, so the trainer learns one class and the model is then asked for its top three (notebook,
  data.missing_or_corrupt); a supplier's product PNGs carrying Photoshop's bloated XMP history, refused by PIL's
  text-chunk guard (tqdm, data.missing_or_corrupt); the class JSON left on Colab and written again with
  ``str(dict)`` (data.missing_or_corrupt); the class JSON whose names were translated to Welsh with Windows
  PowerShell's ``Out-File`` (UTF-16, data.missing_or_corrupt); ``glob("pupil_uploads/*")`` taking in the
  ``marked/`` sub-folder (data.missing_or_corrupt); ``transforms.Grayscale()`` put into ImageAI's own X-ray
  pipeline (tqdm, data.image_channels);
- API: ``ImageClassification`` with the ImageNet file and no model type set, which only prints its traceback
  (model.api_misuse); ``model_directory`` given the name the model file should have, then that name as the model
  path (notebook, model.api_misuse); ``Image.thumbnail``'s ``None`` classified (model.api_misuse); the number of
  epochs worked out from a lesson's time budget as a float (paths with spaces, model.api_misuse); the same trainer
  object trained again on a data set with a new class, from the ImageNet file (notebook, model.api_misuse); a
  model-type setter written without parentheses (re-raised as a plain ``Exception``, model.api_misuse); a random sample of
  photo paths drawn with NumPy (``np.str_``, model.api_misuse);
- models, class counts: ImageNet MobileNetV2 weights pruned with ``torch.nn.utils.prune`` as
  ``transfer_from_model`` (model.weights_mismatch); the stall's classifier quantized with ``quantize_dynamic`` for a
  Raspberry Pi (plain ``Exception``, model.weights_mismatch); a 1001-line TF-slim ImageNet label list as the
  ``result_count`` of the "full ranking" (model.output_mismatch);
- versions, memory, devices, processes, other: a 2019 lesson plan's ``setModelTypeAsSqueezeNet``
  (env.version_incompat); the X-ray project's hand-made ROC AUC with ``np.trapz`` under NumPy 2 (tqdm,
  env.version_incompat); InceptionV3 at batch 32 on a lab PC under the school's memory cap (tqdm,
  resource.host_memory); a Colab notebook's GPU check cell on a school laptop (notebook, env.cuda_setup); the
  bakery's till photos classified in a spawn ``ProcessPoolExecutor`` without a main guard (env.multiprocessing); a
  teacher's auto-grader running the submissions with ``-W error`` under unittest (other); a Windows path
  ``"C:\\Users\\..."`` pasted into the script (SyntaxError, other).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None: model files are
ones an earlier run left on disk).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more107.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


from _record import (Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders,  # noqa: E402,F401
                     yolo_layout, save_tiny, save_cls)
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more107.py"

SCRIPTS = {}
CELLS = {}

# ImageNet weights as the ImageAI 3 release names them (random here: weights=None)
IMAGENET_PREP = '''
import os
import torch
import torchvision

os.makedirs(os.path.dirname("@@PATH@@") or ".", exist_ok=True)
torch.manual_seed(0)
torch.save(torchvision.models.@@ARCH@@(weights=None).state_dict(), "@@PATH@@")
'''


def imagenet_file(arch, path):
    return prep(sub(IMAGENET_PREP, ARCH=arch, PATH=path))


# ================================================================== data
# ------------------------------------------------------------------ Intel scenes, outer folders renamed
CELLS["geography-intel-scenes-outer-folders-renamed-one-class-notebook"] = [
    '''from imageai.Classification.Custom import ClassificationModelTrainer

# Kaggle "Intel Image Classification": renamed seg_train -> train and seg_test -> test for ImageAI
trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("intel")
trainer.trainModel(num_experiments=1, batch_size=8)''',
    '''import glob
from imageai.Classification.Custom import CustomImageClassification

model_path = sorted(glob.glob("intel/models/*.pt"))[-1]
print(model_path)
clf = CustomImageClassification()
clf.setModelTypeAsMobileNetV2()
clf.setModelPath(model_path)
clf.setJsonPath("intel/models/intel_model_classes.json")
clf.loadModel()''',
    '''for photo in sorted(glob.glob("fieldwork_photos/*.jpg")):
    names, probs = clf.classifyImage(photo, result_count=3)
    print(photo, list(zip(names, probs)))''',
]

INTEL = ["buildings", "forest", "glacier", "mountain", "sea", "street"]

# ------------------------------------------------------------------ supplier PNGs with Photoshop's XMP history
XMP_PREP = '''
import os
import numpy as np
from PIL import Image, PngImagePlugin

rng = np.random.default_rng(11)
# product photos from the supplier's trade site: Photoshop exports whose XMP carries the whole
# photoshop:DocumentAncestors history of the template they were made from
ancestors = "".join(f"<rdf:li>xmp.did:{rng.integers(0, 2**63):016x}{i:08x}</rdf:li>" for i in range(60000))
xmp = ('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description><photoshop:DocumentAncestors><rdf:Bag>'
       + ancestors + "</rdf:Bag></photoshop:DocumentAncestors></rdf:Description></rdf:RDF></x:xmpmeta>")
for k, name in enumerate(["vase_stoneware_tall", "vase_glass_ribbed"]):
    info = PngImagePlugin.PngInfo()
    info.add_text("XML:com.adobe.xmp", xmp, zip=True)
    img = Image.fromarray(rng.integers(0, 255, (160, 160, 3), dtype=np.uint8))
    img.save(f"homeware/train/vases/{name}.png", pnginfo=info)
'''

SCRIPTS["shop-supplier-product-pngs-photoshop-xmp-history-tqdm"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

# own photos + the supplier's product shots for the new lines
trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("homeware")
trainer.trainModel(num_experiments=25, batch_size=4)
'''

HOMEWARE = ["candles", "cushions", "vases"]

# ------------------------------------------------------------------ class JSON written again with str(dict)
SCRIPTS["banana-ripeness-class-json-rewritten-with-str-dict"] = '''
import os

from imageai.Classification.Custom import CustomImageClassification

# only the .pt came back from Colab: write the class file again (same order as the folders)
classes = {str(i): name for i, name in enumerate(sorted(os.listdir("bananas/train")))}
with open("models/bananas_model_classes.json", "w") as f:
    f.write(str(classes))

clf = CustomImageClassification()
clf.setModelTypeAsMobileNetV2()
clf.setModelPath("models/mobilenet_v2-bananas-test_acc_0.91667_epoch-11.pt")
clf.setJsonPath("models/bananas_model_classes.json")
clf.loadModel()

for photo in ["kitchen/IMG_20240311_081502.jpg", "kitchen/IMG_20240313_075948.jpg"]:
    names, probs = clf.classifyImage(photo, result_count=1)
    print(photo, names[0], f"{probs[0]:.1f}%")
'''

# ------------------------------------------------------------------ class JSON translated with PowerShell (UTF-16)
WELSH_JSON_PREP = '''
import json

# Windows PowerShell 5.1 on the staff laptop:
#   (Get-Content recycling_model_classes.json | ConvertFrom-Json) ... | ConvertTo-Json | Out-File recycling_model_classes.json
# Out-File writes UTF-16 LE with a BOM and CRLF line ends
text = "{\\r\\n    \\"0\\":  \\"gwydr\\",\\r\\n    \\"1\\":  \\"papur\\",\\r\\n    \\"2\\":  \\"plastig\\"\\r\\n}\\r\\n"
json.loads(text)
open("ailgylchu/models/recycling_model_classes.json", "wb").write(text.encode("utf-16"))
'''

SCRIPTS["welsh-class-names-json-powershell-out-file-utf16"] = '''
import glob

from imageai.Classification.Custom import CustomImageClassification

clf = CustomImageClassification()
clf.setModelTypeAsResNet50()
clf.setModelPath("ailgylchu/models/resnet50-recycling-test_acc_0.86667_epoch-18.pt")
clf.setJsonPath("ailgylchu/models/recycling_model_classes.json")    # class names now in Welsh for Year 3
clf.loadModel()

for photo in sorted(glob.glob("bin_photos/*.jpg")):
    names, probs = clf.classifyImage(photo, result_count=1)
    print(f"{photo}: {names[0]} ({probs[0]:.0f}%)")
'''

# ------------------------------------------------------------------ glob of the uploads folder takes in marked/
SCRIPTS["homework-leaf-uploads-glob-takes-in-marked-subfolder"] = '''
import glob

from imageai.Classification.Custom import CustomImageClassification

clf = CustomImageClassification()
clf.setModelTypeAsMobileNetV2()
clf.setModelPath("leaf_id/models/mobilenet_v2-leaf_id-test_acc_0.88889_epoch-21.pt")
clf.setJsonPath("leaf_id/models/leaf_id_model_classes.json")
clf.loadModel()

# Year 5 homework: one leaf photo per pupil
for path in sorted(glob.glob("pupil_uploads/*")):
    names, probs = clf.classifyImage(path, result_count=1)
    print(f"{path:36s} {names[0]:10s} {probs[0]:5.1f}%")
'''

# ------------------------------------------------------------------ Grayscale() added to ImageAI's X-ray pipeline
SCRIPTS["xray-project-grayscale-transform-added-to-imageai-pipeline-tqdm"] = '''
from torchvision import transforms

from imageai.Classification.Custom import ClassificationModelTrainer
from imageai.Classification.Custom.data_transformation import data_transforms1

# X-rays have no colour: train on one channel, a third of the work (tip from the course forum)
for split in ("train", "test"):
    data_transforms1[split].transforms.insert(0, transforms.Grayscale(num_output_channels=1))

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("chest_xray")
trainer.trainModel(num_experiments=10, batch_size=4)
'''

XRAY_CLASSES = ["NORMAL", "PNEUMONIA"]

# ================================================================== API
# ------------------------------------------------------------------ ImageNet classifier without a model type
SCRIPTS["classroom-demo-imagenet-model-type-never-set"] = '''
from imageai.Classification import ImageClassification

# "What does the computer see?" -- Year 8, photos the pupils brought in
prediction = ImageClassification()
prediction.setModelPath("models/mobilenet_v2-b0353104.pth")
prediction.loadModel()

for photo in ["pupil_photos/IMG_0412.jpg", "pupil_photos/IMG_0413.jpg"]:
    predictions, probabilities = prediction.classifyImage(photo, result_count=5)
    for name, prob in zip(predictions, probabilities):
        print(f"{photo}: {name} {prob:.1f}%")
'''

# ------------------------------------------------------------------ model_directory given a model file's name
CELLS["eco-club-model-directory-named-like-model-file-notebook"] = [
    '''from imageai.Classification.Custom import ClassificationModelTrainer, CustomImageClassification

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("recycling")''',
    '''# save the model as recycling_sorter.pt so the eco club can find it
trainer.trainModel(num_experiments=2, batch_size=4, model_directory="recycling_sorter.pt")''',
    '''sorter = CustomImageClassification()
sorter.setModelTypeAsMobileNetV2()
sorter.setModelPath("recycling_sorter.pt")
sorter.setJsonPath("recycling/models/recycling_model_classes.json")
sorter.loadModel()
sorter.classifyImage("bin_cam/IMG_0031.jpg", result_count=3)''',
]

RECYCLING = ["glass", "paper", "plastic"]

# ------------------------------------------------------------------ Image.thumbnail's None classified
SCRIPTS["etsy-shop-new-stock-thumbnail-return-value"] = '''
import glob

from PIL import Image
from imageai.Classification.Custom import CustomImageClassification

clf = CustomImageClassification()
clf.setModelTypeAsResNet50()
clf.setModelPath("shop_model/resnet50-shop_photos-test_acc_0.93333_epoch-27.pt")
clf.setJsonPath("shop_model/shop_photos_model_classes.json")
clf.loadModel()

# sort the new stock photos into listing categories
for path in sorted(glob.glob("new_stock/*.jpg")):
    img = Image.open(path).thumbnail((512, 512))     # phone photos are 4000 px wide: shrink them first
    names, probs = clf.classifyImage(img, result_count=2)
    print(path, names, probs)
'''

# ------------------------------------------------------------------ epochs from a lesson's time budget
SCRIPTS["plant-id-epochs-from-lesson-time-budget-float"] = '''
import glob

from imageai.Classification.Custom import ClassificationModelTrainer

# train for one double lesson: the first try took 0.9 s per photo per epoch on this laptop
LESSON_SECONDS, SECONDS_PER_PHOTO, BATCH = 90 * 60, 0.9, 16
n_train = len(glob.glob("houseplants/train/*/*.jpg"))
epochs = LESSON_SECONDS / (SECONDS_PER_PHOTO * n_train)
print(f"{n_train} training photos -> {epochs} epochs in one lesson")

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("houseplants")
trainer.trainModel(num_experiments=epochs, batch_size=BATCH)
'''

HOUSEPLANTS = ["monstera", "peace_lily", "pothos", "snake_plant"]

# ------------------------------------------------------------------ same trainer again after a class was added
CELLS["minibeasts-same-trainer-retrained-with-spiders-class-notebook"] = [
    '''from imageai.Classification.Custom import ClassificationModelTrainer

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("minibeasts")''',
    '''trainer.trainModel(num_experiments=1, batch_size=4, transfer_from_model="mobilenet_v2-b0353104.pth")''',
    '''# Class 4 photographed spiders on the school field: new folder in train/ and test/, train again
trainer.setDataDirectory("minibeasts_v2")
trainer.trainModel(num_experiments=1, batch_size=4, transfer_from_model="mobilenet_v2-b0353104.pth")''',
]

BUGS = ["beetle", "snail", "woodlouse"]

# ------------------------------------------------------------------ model-type setter without parentheses
SCRIPTS["plant-nursery-model-type-setter-without-parentheses"] = '''
import glob

from imageai.Classification.Custom import CustomImageClassification

clf = CustomImageClassification()
clf.setModelTypeAsResNet50
clf.setModelPath("nursery/models/resnet50-nursery-test_acc_0.90000_epoch-33.pt")
clf.setJsonPath("nursery/models/nursery_model_classes.json")
clf.loadModel()

for photo in sorted(glob.glob("potting_shed/*.jpg")):
    names, probs = clf.classifyImage(photo, result_count=2)
    print(photo, names, probs)
'''

# ------------------------------------------------------------------ random sample of photo paths with NumPy
SCRIPTS["garden-centre-random-sample-np-str-paths"] = '''
import glob

import numpy as np
from imageai.Classification.Custom import CustomImageClassification

clf = CustomImageClassification()
clf.setModelTypeAsDenseNet121()
clf.setModelPath("stock_model/densenet121-perennials-test_acc_0.85714_epoch-19.pt")
clf.setJsonPath("stock_model/perennials_model_classes.json")
clf.loadModel()

# check a random handful of this week's bench photos by hand
rng = np.random.default_rng(7)
photos = np.array(sorted(glob.glob("bench_photos/*.jpg")))
for path in rng.choice(photos, size=3, replace=False):
    names, probs = clf.classifyImage(path, result_count=2)
    print(path, names, probs)
'''

# ================================================================== models, class counts
# ------------------------------------------------------------------ pruned ImageNet weights as transfer model
PRUNE_PREP = '''
import os
import torch
import torch.nn as nn
import torch.nn.utils.prune as prune
import torchvision

# "make the network 30 % smaller so the old laptop trains faster" (prune tutorial), done on the ImageNet file
os.makedirs("weights", exist_ok=True)
torch.manual_seed(0)
model = torchvision.models.mobilenet_v2(weights=None)
for m in model.modules():
    if isinstance(m, nn.Conv2d):
        prune.l1_unstructured(m, name="weight", amount=0.3)
torch.save(model.state_dict(), "weights/mobilenet_v2-imagenet-pruned30.pth")
'''

SCRIPTS["fungi-project-pruned-imagenet-weights-as-transfer"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("fungi")
trainer.trainModel(num_experiments=15, batch_size=4,
                   transfer_from_model="weights/mobilenet_v2-imagenet-pruned30.pth")
'''

FUNGI = ["chanterelle", "fly_agaric", "puffball"]

# ------------------------------------------------------------------ quantized classifier for a Raspberry Pi
QUANT_PREP = '''
import json
import os
import torch
import torch.nn as nn
import torchvision

os.makedirs("stall_model", exist_ok=True)
torch.manual_seed(0)
model = torchvision.models.mobilenet_v2(num_classes=4)       # as the ClassificationModelTrainer run left it
# 9 MB -> smaller file for the Pi on the stall (dynamic quantization tutorial)
small = torch.ao.quantization.quantize_dynamic(model, {nn.Linear}, dtype=torch.qint8)
torch.save(small.state_dict(), "stall_model/veg_sorter_int8.pt")
json.dump({"0": "apples", "1": "carrots", "2": "leeks", "3": "potatoes"},
          open("stall_model/veg_model_classes.json", "w"))
'''

SCRIPTS["market-stall-classifier-quantized-for-raspberry-pi"] = '''
import glob

from imageai.Classification.Custom import CustomImageClassification

clf = CustomImageClassification()
clf.setModelTypeAsMobileNetV2()
clf.setModelPath("stall_model/veg_sorter_int8.pt")
clf.setJsonPath("stall_model/veg_model_classes.json")
clf.loadModel()

for photo in sorted(glob.glob("crate_cam/*.jpg")):
    names, probs = clf.classifyImage(photo, result_count=1)
    print(photo, names[0], probs[0])
'''

# ------------------------------------------------------------------ TF-slim 1001 labels as result_count
LABELS1001_PREP = '''
import importlib.util
import os

# last year's lesson used the TensorFlow-slim label list: a "background" class first, 1001 lines
pkg = os.path.dirname(importlib.util.find_spec("imageai").origin)
names = [l.strip() for l in open(os.path.join(pkg, "Classification", "imagenet_classes.txt")) if l.strip()]
open("imagenet_labels.txt", "w").write("\\n".join(["background"] + names) + "\\n")
'''

SCRIPTS["imagenet-full-ranking-tf-slim-1001-label-list"] = '''
from imageai.Classification import ImageClassification

labels = [line.strip() for line in open("imagenet_labels.txt")]
print(len(labels), "ImageNet classes")

prediction = ImageClassification()
prediction.setModelTypeAsDenseNet121()
prediction.setModelPath("densenet121-a639ec97.pth")
prediction.loadModel()

# show the class the whole ranking, not only the top 5
predictions, probabilities = prediction.classifyImage("classroom/IMG_2207.jpg", result_count=len(labels))
for rank, (name, prob) in enumerate(zip(predictions, probabilities), 1):
    print(rank, name, prob)
'''

# ================================================================== versions, memory, devices, processes, other
# ------------------------------------------------------------------ 2019 lesson plan: SqueezeNet
SCRIPTS["2019-lesson-plan-squeezenet-imageclassification"] = '''
import os

from imageai.Classification import ImageClassification

execution_path = os.getcwd()

prediction = ImageClassification()
prediction.setModelTypeAsSqueezeNet()
prediction.setModelPath(os.path.join(execution_path, "squeezenet_weights_tf_dim_ordering_tf_kernels.h5"))
prediction.loadModel()

predictions, probabilities = prediction.classifyImage(os.path.join(execution_path, "giraffe.jpg"), result_count=5)
for eachPrediction, eachProbability in zip(predictions, probabilities):
    print(eachPrediction, " : ", eachProbability)
'''

# ------------------------------------------------------------------ X-ray ROC AUC with np.trapz
SCRIPTS["pneumonia-project-roc-auc-np-trapz-numpy2-tqdm"] = '''
import glob
import os

import numpy as np
from tqdm import tqdm
from imageai.Classification.Custom import CustomImageClassification

clf = CustomImageClassification()
clf.setModelTypeAsMobileNetV2()
clf.setModelPath("chest_xray/models/mobilenet_v2-chest_xray-test_acc_0.81250_epoch-9.pt")
clf.setJsonPath("chest_xray/models/chest_xray_model_classes.json")
clf.loadModel()

scores, truth = [], []
for path in tqdm(sorted(glob.glob("chest_xray/test/*/*.jpeg")), desc="test X-rays"):
    names, probs = clf.classifyImage(path, result_count=2)
    scores.append(probs[names.index("PNEUMONIA")] / 100)
    truth.append(os.path.basename(os.path.dirname(path)) == "PNEUMONIA")
scores, truth = np.array(scores), np.array(truth)

# ROC curve by hand (no scikit-learn on the school laptops)
thresholds = np.sort(np.unique(scores))[::-1]
tpr = [((scores >= t) & truth).sum() / truth.sum() for t in thresholds]
fpr = [((scores >= t) & ~truth).sum() / (~truth).sum() for t in thresholds]
auc = np.trapz([0] + tpr + [1], [0] + fpr + [1])
print(f"AUC = {auc:.3f}")
'''

# ------------------------------------------------------------------ InceptionV3 at batch 32 on a lab PC
SCRIPTS["school-lab-pc-inceptionv3-batch-32-memory-cap-tqdm"] = '''
import resource

from imageai.Classification.Custom import ClassificationModelTrainer

# lab PCs: the school's template caps every pupil's job at 2.5 GB so one job cannot freeze the machine
_, hard = resource.getrlimit(resource.RLIMIT_DATA)
resource.setrlimit(resource.RLIMIT_DATA, (int(2.5 * 1024 ** 3), hard))

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsInceptionV3()
trainer.setDataDirectory("leaves")
trainer.trainModel(num_experiments=20, batch_size=32)       # settings from the Kaggle notebook
'''

LEAVES = ["ash", "oak", "sycamore"]

# ------------------------------------------------------------------ Colab GPU check cell on a school laptop
CELLS["colab-notebook-gpu-check-cell-on-school-laptop"] = [
    '''!nvidia-smi''',
    '''import torch
print(torch.__version__)
print("GPU:", torch.cuda.get_device_name(0))''',
    '''from imageai.Classification.Custom import ClassificationModelTrainer

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsResNet50()
trainer.setDataDirectory("flowers")
trainer.trainModel(num_experiments=20, batch_size=16)''',
]

# ------------------------------------------------------------------ bakery: spawn pool without a main guard
SCRIPTS["bakery-till-photos-spawn-process-pool-no-main-guard"] = '''
import glob
import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor

from imageai.Classification.Custom import CustomImageClassification

clf = CustomImageClassification()
clf.setModelTypeAsMobileNetV2()
clf.setModelPath("bakery_model/mobilenet_v2-bakery-test_acc_0.87500_epoch-14.pt")
clf.setJsonPath("bakery_model/bakery_model_classes.json")
clf.loadModel()


def classify(path):
    names, probs = clf.classifyImage(path, result_count=1)
    return path, names[0], probs[0]


photos = sorted(glob.glob("till_photos/*.jpg"))
# two workers, started the way they are on the Windows till PC
with ProcessPoolExecutor(max_workers=2, mp_context=mp.get_context("spawn")) as pool:
    for path, name, prob in pool.map(classify, photos):
        print(path, name, prob)
'''

# ------------------------------------------------------------------ auto-grader with -W error
GRADER_TEST = '''
import unittest


class TestRecyclingSubmission(unittest.TestCase):
    """run by the marking script for every pupil's submission folder"""

    def test_classifies_a_bottle(self):
        from imageai.Classification.Custom import CustomImageClassification

        clf = CustomImageClassification()
        clf.setModelTypeAsMobileNetV2()
        clf.setModelPath("submission/model.pt")
        clf.setJsonPath("submission/model_classes.json")
        clf.loadModel()
        names, probs = clf.classifyImage("tests/fixtures/bottle.jpg", result_count=1)
        self.assertIn(names[0], ["glass", "paper", "plastic"])


if __name__ == "__main__":
    unittest.main()
'''

# ------------------------------------------------------------------ Windows path pasted from Explorer
SCRIPTS["jewellery-maker-windows-path-pasted-from-explorer"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("C:\\Users\\Owner\\Desktop\\Shop photos")
trainer.trainModel(num_experiments=30, batch_size=8)
'''


def cases():
    out, add, script, notebook = case_builders("torch-more107-", SCRIPTS, CELLS)
    NB = ("ipython_cell", "ipython_arrows", "ipython_file_tilde?")
    P = ("cpython_basic", "progress_bars?")
    F = "imageai"

    def split(root, classes, n_train, n_test, size=(160, 120), mode="RGB", ext="jpg"):
        return (class_folder(f"{root}/train", classes, n_train, size=size, mode=mode, ext=ext)
                + class_folder(f"{root}/test", classes, n_test, size=size, mode=mode, ext=ext))

    # ---- data
    notebook("geography-intel-scenes-outer-folders-renamed-one-class-notebook", "data.missing_or_corrupt",
             also=["model.output_mismatch"], framework=F, forms=NB + ("progress_bars?",), timeout=400,
             setup=imgs(class_folder("intel/train/seg_train", INTEL, 2, size=(150, 150))
                        + class_folder("intel/test/seg_test", INTEL, 1, size=(150, 150))
                        + [(f"fieldwork_photos/IMG_{i:04d}.jpg", (320, 240), "RGB") for i in range(2)]))
    script("shop-supplier-product-pngs-photoshop-xmp-history-tqdm", "data.missing_or_corrupt", framework=F,
           forms=P, argv="train_homeware.py", timeout=400,
           setup=both(imgs(split("homeware", HOMEWARE, 4, 2, size=(160, 160), ext="png")), prep(XMP_PREP)))
    script("banana-ripeness-class-json-rewritten-with-str-dict", "data.missing_or_corrupt",
           also=["model.api_misuse"], framework=F, argv="check_bananas.py",
           setup=both(save_cls("mobilenet_v2", '["overripe", "ripe", "unripe"]',
                               "models/mobilenet_v2-bananas-test_acc_0.91667_epoch-11.pt",
                               "models/_colab_classes.json"),
                      imgs(split("bananas", ["overripe", "ripe", "unripe"], 2, 1)
                           + [(f"kitchen/IMG_2024031{1 + 2 * i}_0{81502 - i * 5554}.jpg", (320, 240), "RGB")
                              for i in range(2)]),
                      prep('import os\nos.remove("models/_colab_classes.json")\n')))
    script("welsh-class-names-json-powershell-out-file-utf16", "data.missing_or_corrupt", framework=F,
           argv="didoli.py",
           setup=both(save_cls("resnet50", '["glass", "paper", "plastic"]',
                               "ailgylchu/models/resnet50-recycling-test_acc_0.86667_epoch-18.pt",
                               "ailgylchu/models/recycling_model_classes.json"),
                      prep(WELSH_JSON_PREP),
                      imgs([(f"bin_photos/IMG_{i:04d}.jpg", (320, 240), "RGB") for i in range(2)])))
    script("homework-leaf-uploads-glob-takes-in-marked-subfolder", "data.missing_or_corrupt",
           also=["model.api_misuse"], framework=F, argv="mark_homework.py",
           setup=both(save_cls("mobilenet_v2", '["ash", "oak", "sycamore"]',
                               "leaf_id/models/mobilenet_v2-leaf_id-test_acc_0.88889_epoch-21.pt",
                               "leaf_id/models/leaf_id_model_classes.json"),
                      imgs([(f"pupil_uploads/{n}_leaf.jpg", (240, 320), "RGB") for n in ("amira", "ben")]
                           + [(f"pupil_uploads/marked/{n}_leaf.jpg", (240, 320), "RGB") for n in ("cai", "dylan")]
                           + [(f"pupil_uploads/{n}_leaf.jpg", (240, 320), "RGB") for n in ("nia", "tomos")])))
    script("xray-project-grayscale-transform-added-to-imageai-pipeline-tqdm", "data.image_channels",
           framework=F, forms=P, argv="train_xray.py",
           setup=imgs(split("chest_xray", XRAY_CLASSES, 4, 2, size=(160, 140), mode="L", ext="jpeg")))

    # ---- API
    script("classroom-demo-imagenet-model-type-never-set", "model.api_misuse", framework=F,
           argv="what_does_it_see.py", exception="ValueError",
           setup=both(imagenet_file("mobilenet_v2", "models/mobilenet_v2-b0353104.pth"),
                      imgs([(f"pupil_photos/IMG_{412 + i:04d}.jpg", (320, 240), "RGB") for i in range(2)])))
    notebook("eco-club-model-directory-named-like-model-file-notebook", "model.api_misuse", framework=F,
             forms=NB + ("progress_bars?",), timeout=400,
             setup=imgs(split("recycling", RECYCLING, 2, 1) + [("bin_cam/IMG_0031.jpg", (320, 240), "RGB")]))
    script("etsy-shop-new-stock-thumbnail-return-value", "model.api_misuse", framework=F, argv="sort_stock.py",
           setup=both(save_cls("resnet50", '["mugs", "prints", "tote_bags"]',
                               "shop_model/resnet50-shop_photos-test_acc_0.93333_epoch-27.pt",
                               "shop_model/shop_photos_model_classes.json"),
                      imgs([(f"new_stock/IMG_{5120 + i}.jpg", (640, 480), "RGB") for i in range(2)])))
    script("plant-id-epochs-from-lesson-time-budget-float", "model.api_misuse", framework=F,
           forms=("cpython_basic", "paths_with_spaces"), argv="train.py", subdir="plant id",
           project="/home/user/Year 10 Biology/plant id",
           setup=imgs(split("houseplants", HOUSEPLANTS, 4, 1)))
    notebook("minibeasts-same-trainer-retrained-with-spiders-class-notebook", "model.api_misuse",
             also=["model.weights_mismatch"], framework=F, forms=NB + ("progress_bars?",), timeout=400,
             setup=both(imagenet_file("mobilenet_v2", "mobilenet_v2-b0353104.pth"),
                        imgs(split("minibeasts", BUGS, 2, 1) + split("minibeasts_v2", BUGS + ["spider"], 2, 1))))
    script("plant-nursery-model-type-setter-without-parentheses", "model.api_misuse", framework=F,
           forms=("cpython_basic", "chained_during", "multiline_message"), argv="sort_trays.py",
           exception="Exception",
           setup=both(save_cls("resnet50", '["hebe", "lavender", "rosemary"]',
                               "nursery/models/resnet50-nursery-test_acc_0.90000_epoch-33.pt",
                               "nursery/models/nursery_model_classes.json"),
                      imgs([(f"potting_shed/tray_{i:02d}.jpg", (320, 240), "RGB") for i in range(2)])))
    script("garden-centre-random-sample-np-str-paths", "model.api_misuse", framework=F, argv="spot_check.py",
           setup=both(save_cls("densenet121", '["astilbe", "geranium", "hosta", "salvia"]',
                               "stock_model/densenet121-perennials-test_acc_0.85714_epoch-19.pt",
                               "stock_model/perennials_model_classes.json"),
                      imgs([(f"bench_photos/bench{b}_{i:02d}.jpg", (320, 240), "RGB") for b in (1, 2)
                            for i in range(3)])))

    # ---- models, class counts
    script("fungi-project-pruned-imagenet-weights-as-transfer", "model.weights_mismatch", framework=F,
           argv="train_fungi.py",
           setup=both(prep(PRUNE_PREP), imgs(split("fungi", FUNGI, 2, 1))))
    script("market-stall-classifier-quantized-for-raspberry-pi", "model.weights_mismatch", framework=F,
           forms=("cpython_basic", "chained_during", "multiline_message"), argv="sort_veg.py",
           exception="Exception",
           setup=both(prep(QUANT_PREP), imgs([(f"crate_cam/crate_{i:03d}.jpg", (320, 240), "RGB")
                                              for i in range(2)])))
    script("imagenet-full-ranking-tf-slim-1001-label-list", "model.output_mismatch", framework=F,
           argv="full_ranking.py",
           setup=both(prep(LABELS1001_PREP), imagenet_file("densenet121", "densenet121-a639ec97.pth"),
                      imgs([("classroom/IMG_2207.jpg", (320, 240), "RGB")])))

    # ---- versions, memory, devices, processes, other
    script("2019-lesson-plan-squeezenet-imageclassification", "env.version_incompat",
           also=["model.api_misuse"], framework=F, argv="lesson3_prediction.py",
           setup=both(write("squeezenet_weights_tf_dim_ordering_tf_kernels.h5",
                            b"\x89HDF\r\n\x1a\n" + bytes(4088)),
                      imgs([("giraffe.jpg", (320, 240), "RGB")])))
    script("pneumonia-project-roc-auc-np-trapz-numpy2-tqdm", "env.version_incompat", framework=F, forms=P,
           argv="evaluate.py",
           setup=both(save_cls("mobilenet_v2", '["NORMAL", "PNEUMONIA"]',
                               "chest_xray/models/mobilenet_v2-chest_xray-test_acc_0.81250_epoch-9.pt",
                               "chest_xray/models/chest_xray_model_classes.json"),
                      imgs(class_folder("chest_xray/test", XRAY_CLASSES, 4, size=(160, 140), mode="L",
                                        ext="jpeg"))))
    script("school-lab-pc-inceptionv3-batch-32-memory-cap-tqdm", "resource.host_memory", framework=F, forms=P,
           argv="train_leaves.py", timeout=400,
           setup=imgs(split("leaves", LEAVES, 12, 3)))
    notebook("colab-notebook-gpu-check-cell-on-school-laptop", "env.cuda_setup", framework=F, forms=NB,
             setup=imgs(split("flowers", ["daisy", "rose", "tulip"], 2, 1)))
    script("bakery-till-photos-spawn-process-pool-no-main-guard", "env.multiprocessing", framework=F,
           argv="sort_till_photos.py", timeout=400, exception="BrokenProcessPool",  # as the other spawn-pool cases
           setup=both(save_cls("mobilenet_v2", '["bread", "cakes", "pastries"]',
                               "bakery_model/mobilenet_v2-bakery-test_acc_0.87500_epoch-14.pt",
                               "bakery_model/bakery_model_classes.json"),
                      imgs([(f"till_photos/till_{i:03d}.jpg", (320, 240), "RGB") for i in range(4)])))
    add("teacher-autograder-warnings-as-errors-unittest", "other", {"tests/test_submission.py": GRADER_TEST,
                                                                    "tests/__init__.py": ""},
        also=["env.version_incompat"], framework=F, forms=("cpython_basic",),
        argv=["-W", "error", "-m", "unittest", "-v", "tests/test_submission.py"],
        setup=both(save_cls("mobilenet_v2", '["glass", "paper", "plastic"]', "submission/model.pt",
                            "submission/model_classes.json"),
                   imgs([("tests/fixtures/bottle.jpg", (240, 320), "RGB")])))
    script("jewellery-maker-windows-path-pasted-from-explorer", "other", also=["model.api_misuse"],
           framework=F, forms=("cpython_basic", "syntax_error"), argv="train_shop.py")
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=1))
