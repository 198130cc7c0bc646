"""A forty-first held-out set (g81, scored 0.86 top-1 and 0.95 top-3 before any rule for it) of ImageAI 3.0.3 failures (torch 2.14 / torchvision 0.29 underneath):
what users meet when they train and use custom detectors and classifiers on their own data, in
scripts and notebooks, spread over the causes as users hit them, none a repeat of the scenarios in
the other generators.

- DetectionModelTrainer: a Roboflow "oriented boxes" export (nine columns), a batch size read from
  a config dict under the wrong key (None), class names loaded with ``np.loadtxt`` (notebook), the
  ImageAI 2 ``setGpuUsage`` call, a ``%cd`` into the data folder before ``setDataDirectory`` (notebook);
- ClassificationModelTrainer: the ImageAI 2 ``initial_learning_rate`` keyword, a train split nested one folder
  deeper than the test split, augmentation "turned off" by patching ``data_transforms1`` (notebook),
  transfer from a DataParallel DenseNet121 checkpoint;
- inference: a YOLO detector pickled whole by an export script, a hand-written detection config
  whose single label is a string, a GitHub HTML page saved as ``yolov3.pt``, video detection with
  ``frame_detection_interval=0``, a per-second callback without the frame argument, a loaded network
  given to ``CustomVideoObjectDetection.setModelPath``, a Keras-style batch axis, a PIL image used after
  its ``with`` block, a class JSON re-saved with a BOM, ImageAI 2 ``loadFullModel``, an ImageNet
  classifier saved with ``torch.save(model)``, ``Pool.map`` with a lambda.

Every case is a small real program on CPU with the torch venv (no GPU, no downloads); the label is
known by construction.

    EE_TORCH_VENV=/work/venvs/torch /work/venvs/torch/bin/python corpus/generators/torch_more41.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _record import Case, class_folder, imgs, make_images, nb, prep, both, write, sub, yolo_layout, case_builders  # noqa: E402,F401
from _record import run_cases  # noqa: E402
from _record import ANCHORS6, save_cls, save_tiny  # noqa: E402,F401

SRC = "corpus/generators/torch_more41.py"

SCRIPTS = {}
CELLS = {}


def boxes(i, classes, base=0.12):
    return "".join(f"{c} {0.25 + 0.2 * j:.3f} {0.3 + 0.15 * j:.3f} {base + 0.05 * j + 0.021 * i:.3f} "
                   f"{base + 0.04 * j + 0.017 * i:.3f}\n" for j, c in enumerate(classes))


TINY = ("models/tiny-yolov3_gate_mAP-0.58000_epoch-30.pt", "json/gate_tiny-yolov3_detection_config.json")


def tiny_gate():
    return save_tiny('["person", "forklift"]', 2, *TINY)


VIDEO = '''
import os
import cv2
import numpy as np
os.makedirs("clips", exist_ok=True)
rng = np.random.default_rng(0)
w = cv2.VideoWriter("clips/gate_cam_0612.avi", cv2.VideoWriter_fourcc(*"MJPG"), 5, (160, 120))
for i in range(12):
    w.write(rng.integers(0, 255, (120, 160, 3), dtype=np.uint8))
w.release()
'''

# ================================================================== DetectionModelTrainer
SCRIPTS["det-train-roboflow-obb-export-nine-columns"] = '''
from imageai.Detection.Custom import DetectionModelTrainer

# dataset exported from Roboflow ("YOLOv8 Oriented Bounding Boxes" was the default in the export menu)
trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="pallets")
trainer.setTrainConfig(object_names_array=["pallet", "box"], batch_size=4, num_experiments=30)
trainer.trainModel()
'''


def obb_rows(split, i):
    out = []
    for j, c in enumerate([0, 1]):
        x1, y1 = 0.1 + 0.3 * j + 0.01 * i, 0.2 + 0.2 * j
        x2, y2 = x1 + 0.2, y1 + 0.15
        out.append(f"{c} {x1:.4f} {y1:.4f} {x2:.4f} {y1:.4f} {x2:.4f} {y2:.4f} {x1:.4f} {y2:.4f}\n")
    return "".join(out)


SCRIPTS["det-train-batch-size-none-from-config-get"] = '''
import json

from imageai.Detection.Custom import DetectionModelTrainer

with open("train_config.json") as f:
    cfg = json.load(f)

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory=cfg["data_dir"])
trainer.setTrainConfig(object_names_array=cfg["classes"],
                       batch_size=cfg.get("batch_size"),
                       num_experiments=cfg.get("epochs", 50))
trainer.trainModel()
'''

CFG_JSON = '{"data_dir": "potholes", "classes": ["pothole", "manhole"], "batch": 4, "epochs": 40}\n'

CELLS["det-train-object-names-np-loadtxt-notebook"] = [
    '''
import numpy as np
from imageai.Detection.Custom import DetectionModelTrainer

classes = np.loadtxt("wheat/classes.txt", dtype=str)
print(classes, len(classes))
''',
    '''
trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="wheat")
trainer.setTrainConfig(object_names_array=classes, batch_size=4, num_experiments=20)
trainer.trainModel()
''',
]

SCRIPTS["det-train-imageai2-set-gpu-usage"] = '''
from imageai.Detection.Custom import DetectionModelTrainer

# train_yolo.py from the ImageAI 2.1 tutorial (we have two GPUs on the lab machine)
trainer = DetectionModelTrainer()
trainer.setModelTypeAsYOLOv3()
trainer.setDataDirectory(data_directory="hololens")
trainer.setGpuUsage(2)
trainer.setTrainConfig(object_names_array=["hololens"], batch_size=4, num_experiments=100,
                       train_from_pretrained_model="yolov3.pt")
trainer.trainModel()
'''

CELLS["det-train-cd-into-data-folder-notebook"] = [
    '''
%cd drone_dataset
!ls
''',
    '''
from imageai.Detection.Custom import DetectionModelTrainer

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="drone_dataset")
trainer.setTrainConfig(object_names_array=["car", "person"], batch_size=4, num_experiments=20)
trainer.trainModel()
''',
]

# ================================================================== ClassificationModelTrainer
SCRIPTS["cls-trainer-imageai2-initial-learning-rate-kwarg"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsResNet50()
trainer.setDataDirectory("xray")
# from our 2021 notebook (ImageAI 2.1.6); num_objects was already removed after the first error
trainer.trainModel(num_experiments=50, batch_size=8, initial_learning_rate=1e-4,
                   training_image_size=224, show_network_summary=True)
'''

SCRIPTS["cls-trainer-train-split-nested-one-level-deeper"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

# train/ came from the Kaggle zip, test/ we made ourselves
trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("flowers")
trainer.trainModel(num_experiments=5, batch_size=4)
'''

CELLS["cls-trainer-augmentation-off-by-patching-transforms-notebook"] = [
    '''
from torchvision import transforms
from imageai.Classification.Custom import ClassificationModelTrainer
from imageai.Classification.Custom.data_transformation import data_transforms1
''',
    '''
# the part photos are already cropped by the line camera: no random crop / flip for training
data_transforms1["train"] = transforms.Compose([
    transforms.ToTensor(),
    transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
])
''',
    '''
trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("castings")
trainer.trainModel(num_experiments=5, batch_size=4)
''',
]


def castings_setup(work: Path):
    specs = []
    sizes = [(96, 80), (104, 88), (96, 80), (120, 90)]
    for split, per in (("train", 4), ("test", 2)):
        for c in ("def_front", "ok_front"):
            for i in range(per):
                specs.append((f"castings/{split}/{c}/cast_{i:03d}.jpg", sizes[i % len(sizes)], "RGB"))
    make_images(work, specs)


SCRIPTS["cls-trainer-densenet121-transfer-dataparallel-checkpoint"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

# warm start from the DenseNet121 the lab trained on 4 GPUs (nn.DataParallel) last year
trainer = ClassificationModelTrainer()
trainer.setModelTypeAsDenseNet121()
trainer.setDataDirectory("skin")
trainer.trainModel(num_experiments=10, batch_size=4, transfer_from_model="pretrained/densenet121_isic_dp.pth")
'''

DP_CKPT = '''
import os, torch
from torchvision import models
os.makedirs("pretrained", exist_ok=True)
m = torch.nn.DataParallel(models.densenet121(weights=None))
torch.save(m.state_dict(), "pretrained/densenet121_isic_dp.pth")
'''

# ================================================================== CustomObjectDetection / video
SCRIPTS["custom-detect-detector-pickled-whole-by-export-script"] = '''
from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("export/tiny-yolov3_gate_full.pt")
detector.setJsonPath("json/gate_tiny-yolov3_detection_config.json")
detector.loadModel()
for d in detector.detectObjectsFromImage(input_image="gate_0001.jpg", output_image_path="gate_0001_out.jpg"):
    print(d)
'''

PICKLE_WHOLE = '''
import json, os, torch
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny

# export.py: "save the whole model so the app does not need the class definitions"
os.makedirs("export", exist_ok=True)
os.makedirs("json", exist_ok=True)
anchors = @@ANCHORS@@
model = YoloV3Tiny(anchors=anchors, num_classes=2)
torch.save(model, "export/tiny-yolov3_gate_full.pt")
json.dump({"labels": ["person", "forklift"], "anchors": anchors}, open("json/gate_tiny-yolov3_detection_config.json", "w"))
'''

SCRIPTS["custom-detect-hand-written-config-single-label-string"] = '''
from imageai.Detection.Custom import CustomObjectDetection

# the json folder was lost with the Colab session; config re-typed by hand from the training log
detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("models/tiny-yolov3_helmets_mAP-0.71000_epoch-48.pt")
detector.setJsonPath("helmet_config.json")
detector.loadModel()
detections = detector.detectObjectsFromImage(input_image="site_07.jpg", output_image_path="site_07_out.jpg")
print(len(detections), "helmets")
'''

HELMET_JSON = '{"labels": "helmet", "anchors": ' + ANCHORS6 + '}\n'

SCRIPTS["objectdetection-yolov3-pt-saved-from-github-page"] = '''
from imageai.Detection import ObjectDetection

# yolov3.pt fetched with: wget https://github.com/OlafenwaMoses/ImageAI/releases/tag/3.0.0-pretrained -O yolov3.pt
detector = ObjectDetection()
detector.setModelTypeAsYOLOv3()
detector.setModelPath("yolov3.pt")
detector.loadModel()
detections = detector.detectObjectsFromImage(input_image="street.jpg", output_image_path="street_out.jpg")
for d in detections:
    print(d["name"], d["percentage_probability"])
'''

GITHUB_HTML = ("\n\n\n\n\n\n<!DOCTYPE html>\n<html\n  lang=\"en\"\n  data-color-mode=\"auto\" data-light-theme=\"light\">\n"
               "  <head>\n    <meta charset=\"utf-8\">\n  <title>Release 3.0.0-pretrained - OlafenwaMoses/ImageAI - GitHub</title>\n"
               + "    <link rel=\"stylesheet\" href=\"https://github.githubassets.com/assets/light.css\" />\n" * 40
               + "  </head>\n<body>\n</body>\n</html>\n")

SCRIPTS["video-detect-frame-detection-interval-zero"] = '''
from imageai.Detection.Custom import CustomVideoObjectDetection

video_detector = CustomVideoObjectDetection()
video_detector.setModelTypeAsTinyYOLOv3()
video_detector.setModelPath("models/tiny-yolov3_gate_mAP-0.58000_epoch-30.pt")
video_detector.setJsonPath("json/gate_tiny-yolov3_detection_config.json")
video_detector.loadModel()

video_detector.detectObjectsFromVideo(
    input_file_path="clips/gate_cam_0612.avi",
    output_file_path="clips/gate_cam_0612_detected",
    frames_per_second=5,
    frame_detection_interval=0,        # 0 = no skipping, detect on every frame
    minimum_percentage_probability=40,
    log_progress=True,
)
'''

SCRIPTS["video-detect-per-second-function-without-frame-arg"] = '''
from imageai.Detection.Custom import CustomVideoObjectDetection

counts = []


def per_second(second_number, output_arrays, count_arrays, average_count):
    counts.append(average_count)
    print(f"second {second_number}: {average_count}")


video_detector = CustomVideoObjectDetection()
video_detector.setModelTypeAsTinyYOLOv3()
video_detector.setModelPath("models/tiny-yolov3_gate_mAP-0.58000_epoch-30.pt")
video_detector.setJsonPath("json/gate_tiny-yolov3_detection_config.json")
video_detector.loadModel()

video_detector.detectObjectsFromVideo(
    input_file_path="clips/gate_cam_0612.avi",
    output_file_path="clips/gate_cam_0612_detected",
    frames_per_second=5,
    per_second_function=per_second,
    return_detected_frame=True,        # keep the last frame for the dashboard thumbnail
    minimum_percentage_probability=30,
)
'''

SCRIPTS["video-detect-set-model-path-loaded-network"] = '''
import json

import torch
from imageai.Detection.Custom import CustomVideoObjectDetection
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny

cfg = json.load(open("json/gate_tiny-yolov3_detection_config.json"))
model = YoloV3Tiny(anchors=cfg["anchors"], num_classes=len(cfg["labels"]))
model.load_state_dict(torch.load("models/tiny-yolov3_gate_mAP-0.58000_epoch-30.pt", map_location="cpu"))
model.eval()

video_detector = CustomVideoObjectDetection()
video_detector.setModelTypeAsTinyYOLOv3()
video_detector.setModelPath(model)          # already loaded above, reuse it
video_detector.setJsonPath("json/gate_tiny-yolov3_detection_config.json")
video_detector.loadModel()
video_detector.detectObjectsFromVideo(input_file_path="clips/gate_cam_0612.avi",
                                      output_file_path="clips/out", frames_per_second=5)
'''

# ================================================================== CustomImageClassification / ImageClassification
SCRIPTS["custom-cls-keras-style-batch-axis"] = '''
import cv2
import numpy as np
from imageai.Classification.Custom import CustomImageClassification

clf = CustomImageClassification()
clf.setModelTypeAsMobileNetV2()
clf.setModelPath("models/mobilenet_v2-tomato-test_acc_0.87500_epoch-11.pt")
clf.setJsonPath("models/tomato_model_classes.json")
clf.loadModel()

# preprocessing kept from the Keras version of this app
img = cv2.imread("leaf_0031.jpg")
img = cv2.cvtColor(cv2.resize(img, (224, 224)), cv2.COLOR_BGR2RGB)
img = np.expand_dims(img, axis=0)
labels, probs = clf.classifyImage(img, result_count=2)
print(labels, probs)
'''

SCRIPTS["custom-cls-pil-image-used-after-with-block"] = '''
import glob

from PIL import Image
from imageai.Classification.Custom import CustomImageClassification


def read_photo(path):
    with Image.open(path) as img:
        print(f"{path}: {img.size[0]}x{img.size[1]} {img.mode}")
        return img


clf = CustomImageClassification()
clf.setModelTypeAsResNet50()
clf.setModelPath("models/resnet50-mushrooms-test_acc_0.79167_epoch-22.pt")
clf.setJsonPath("models/mushrooms_model_classes.json")
clf.loadModel()

for path in sorted(glob.glob("basket/*.jpg")):
    labels, probs = clf.classifyImage(read_photo(path), result_count=1)
    print(path, labels[0], probs[0])
'''

SCRIPTS["custom-cls-class-json-resaved-with-bom"] = '''
from imageai.Classification.Custom import CustomImageClassification

clf = CustomImageClassification()
clf.setModelTypeAsMobileNetV2()
clf.setModelPath("models/mobilenet_v2-waste-test_acc_0.91000_epoch-14.pt")
clf.setJsonPath("models/waste_model_classes.json")     # "plastic_bottle" renamed to "PET" in Notepad
clf.loadModel()
labels, probs = clf.classifyImage("bin_cam.jpg", result_count=2)
print(labels, probs)
'''


def bom_json(work: Path):
    p = work / "models/waste_model_classes.json"
    p.write_text('{"0": "cardboard", "1": "glass", "2": "PET"}', encoding="utf-8-sig")


SCRIPTS["custom-cls-imageai2-load-full-model"] = '''
import os
from imageai.Classification.Custom import CustomImageClassification

execution_path = os.getcwd()

prediction = CustomImageClassification()
prediction.setModelTypeAsResNet50()
prediction.setModelPath(os.path.join(execution_path, "models", "resnet50-idenprof-test_acc_0.78125_epoch-61.pt"))
prediction.setJsonPath(os.path.join(execution_path, "models", "idenprof_model_classes.json"))
prediction.loadFullModel(num_objects=4)

predictions, probabilities = prediction.classifyImage(os.path.join(execution_path, "4.jpg"), result_count=3)
for eachPrediction, eachProbability in zip(predictions, probabilities):
    print(eachPrediction, " : ", eachProbability)
'''

SCRIPTS["imagenet-cls-mobilenet-saved-with-torch-save-model"] = '''
from imageai.Classification import ImageClassification

# mobilenet_v2.pt was written by our torchvision script with torch.save(model, ...)
prediction = ImageClassification()
prediction.setModelTypeAsMobileNetV2()
prediction.setModelPath("weights/mobilenet_v2.pt")
prediction.loadModel()

predictions, probabilities = prediction.classifyImage("shelf_01.jpg", result_count=5)
for p, s in zip(predictions, probabilities):
    print(p, ":", s)
'''

SAVE_WHOLE_MOBILENET = '''
import os, torch
from torchvision import models
os.makedirs("weights", exist_ok=True)
torch.save(models.mobilenet_v2(weights=None), "weights/mobilenet_v2.pt")
'''

SCRIPTS["custom-cls-pool-map-lambda"] = '''
import glob
from multiprocessing import Pool

from imageai.Classification.Custom import CustomImageClassification

clf = CustomImageClassification()
clf.setModelTypeAsMobileNetV2()
clf.setModelPath("models/mobilenet_v2-plankton-test_acc_0.66667_epoch-9.pt")
clf.setJsonPath("models/plankton_model_classes.json")
clf.loadModel()

if __name__ == "__main__":
    paths = sorted(glob.glob("samples/*.jpg"))
    # 40k images to sort: use all the cores
    with Pool(4) as pool:
        results = pool.map(lambda p: clf.classifyImage(p, result_count=1), paths)
    for p, (labels, probs) in zip(paths, results):
        print(p, labels[0], probs[0])
'''


def cases():
    out, add, script, notebook = case_builders("torch-more41-", SCRIPTS, CELLS)
    P = ["cpython_basic", "progress_bars?"]

    def iai(key, cause, **kw):
        kw.setdefault("framework", "imageai")
        kw.setdefault("timeout", 600)
        script(key, cause, **kw)

    def iai_nb(name, cause, **kw):
        kw.setdefault("framework", "imageai")
        kw.setdefault("timeout", 600)
        notebook(name, cause, **kw)

    box2 = lambda s, i: boxes(i, [0, 1])  # noqa: E731

    # ---------------------------------------------------------------- DetectionModelTrainer
    iai("det-train-roboflow-obb-export-nine-columns", "data.bbox_invalid",
        setup=yolo_layout("pallets", obb_rows, size=(240, 180)))
    iai("det-train-batch-size-none-from-config-get", "model.api_misuse", argv="train_detector.py",
        extra={"train_config.json": CFG_JSON}, setup=yolo_layout("potholes", box2, size=(240, 180)))
    iai_nb("det-train-object-names-np-loadtxt-notebook", "model.api_misuse",
           forms=("ipython_cell", "ipython_arrows", "progress_bars?"),
           setup=both(yolo_layout("wheat", box2, size=(240, 180)),
                      write("wheat/classes.txt", "wheat_head\nweed\n")))
    iai("det-train-imageai2-set-gpu-usage", "env.version_incompat", also=["model.api_misuse"],
        setup=yolo_layout("hololens", lambda s, i: boxes(i, [0]), size=(240, 180)))
    iai_nb("det-train-cd-into-data-folder-notebook", "data.missing_or_corrupt", also=["model.api_misuse"],
           setup=yolo_layout("drone_dataset", box2, size=(240, 180)))

    # ---------------------------------------------------------------- ClassificationModelTrainer
    iai("cls-trainer-imageai2-initial-learning-rate-kwarg", "env.version_incompat", also=["model.api_misuse"],
        setup=imgs(class_folder("xray/train", ["normal", "pneumonia"], 1, size=(64, 64))
                   + class_folder("xray/test", ["normal", "pneumonia"], 1, size=(64, 64))))
    iai("cls-trainer-train-split-nested-one-level-deeper", "data.label_out_of_range", forms=P,
        also=["data.missing_or_corrupt", "model.output_mismatch"],
        setup=imgs(class_folder("flowers/train/flowers", ["daisy", "rose", "tulip"], 2, size=(64, 64))
                   + class_folder("flowers/test", ["daisy", "rose", "tulip"], 1, size=(64, 64))))
    iai_nb("cls-trainer-augmentation-off-by-patching-transforms-notebook", "data.image_size_mismatch",
           forms=("ipython_cell", "ipython_arrows", "progress_bars?"), setup=castings_setup)
    iai("cls-trainer-densenet121-transfer-dataparallel-checkpoint", "model.weights_mismatch",
        setup=both(imgs(class_folder("skin/train", ["benign", "malignant"], 2, size=(64, 64))
                        + class_folder("skin/test", ["benign", "malignant"], 1, size=(64, 64))),
                   prep(DP_CKPT)))

    # ---------------------------------------------------------------- detection inference
    iai("custom-detect-detector-pickled-whole-by-export-script", "model.weights_mismatch",
        also=["env.version_incompat"], argv="detect.py",
        setup=both(prep(sub(PICKLE_WHOLE, ANCHORS=ANCHORS6)), imgs([("gate_0001.jpg", (320, 240), "RGB")])))
    iai("custom-detect-hand-written-config-single-label-string", "model.api_misuse",
        also=["model.weights_mismatch"], argv="detect.py",
        extra={"helmet_config.json": HELMET_JSON},
        setup=both(save_tiny('["helmet"]', 1, "models/tiny-yolov3_helmets_mAP-0.71000_epoch-48.pt",
                             "json/orig_config.json"),
                   imgs([("site_07.jpg", (320, 240), "RGB")])))
    iai("objectdetection-yolov3-pt-saved-from-github-page", "model.weights_mismatch",
        also=["data.missing_or_corrupt"], argv="detect.py",
        extra={"yolov3.pt": GITHUB_HTML}, setup=imgs([("street.jpg", (320, 240), "RGB")]))
    iai("video-detect-frame-detection-interval-zero", "model.api_misuse", argv="detect_video.py",
        setup=both(tiny_gate(), prep(VIDEO)))
    iai("video-detect-per-second-function-without-frame-arg", "model.api_misuse", argv="detect_video.py",
        setup=both(tiny_gate(), prep(VIDEO)))
    iai("video-detect-set-model-path-loaded-network", "model.api_misuse", argv="detect_video.py",
        setup=both(tiny_gate(), prep(VIDEO)))

    # ---------------------------------------------------------------- classification inference
    iai("custom-cls-keras-style-batch-axis", "model.input_shape", also=["model.api_misuse"],
        argv="predict.py",
        setup=both(save_cls("mobilenet_v2", '["early_blight", "healthy", "late_blight"]',
                            "models/mobilenet_v2-tomato-test_acc_0.87500_epoch-11.pt",
                            "models/tomato_model_classes.json"),
                   imgs([("leaf_0031.jpg", (256, 256), "RGB")])))
    iai("custom-cls-pil-image-used-after-with-block", "model.api_misuse", also=["other"],
        argv="sort_basket.py",
        setup=both(save_cls("resnet50", '["chanterelle", "fly_agaric", "porcini"]',
                            "models/resnet50-mushrooms-test_acc_0.79167_epoch-22.pt",
                            "models/mushrooms_model_classes.json"),
                   imgs([(f"basket/m_{i:02d}.jpg", (200, 150), "RGB") for i in range(2)])))
    iai("custom-cls-class-json-resaved-with-bom", "data.missing_or_corrupt", argv="predict.py",
        setup=both(save_cls("mobilenet_v2", '["cardboard", "glass", "plastic_bottle"]',
                            "models/mobilenet_v2-waste-test_acc_0.91000_epoch-14.pt",
                            "models/waste_model_classes.json"),
                   bom_json, imgs([("bin_cam.jpg", (200, 150), "RGB")])))
    iai("custom-cls-imageai2-load-full-model", "env.version_incompat", also=["model.api_misuse"],
        argv="predict.py",
        setup=both(save_cls("resnet50", '["chef", "doctor", "engineer", "farmer"]',
                            "models/resnet50-idenprof-test_acc_0.78125_epoch-61.pt",
                            "models/idenprof_model_classes.json"),
                   imgs([("4.jpg", (200, 150), "RGB")])))
    # ImageAI prints the UnpicklingError of loadModel() and goes on; it is the failure that counts
    iai("imagenet-cls-mobilenet-saved-with-torch-save-model", "model.weights_mismatch",
        also=["env.version_incompat"], argv="predict.py", exception="UnpicklingError",
        setup=both(prep(SAVE_WHOLE_MOBILENET), imgs([("shelf_01.jpg", (200, 150), "RGB")])))
    iai("custom-cls-pool-map-lambda", "env.multiprocessing", argv="sort_samples.py",
        setup=both(save_cls("mobilenet_v2", '["copepod", "diatom"]',
                            "models/mobilenet_v2-plankton-test_acc_0.66667_epoch-9.pt",
                            "models/plankton_model_classes.json"),
                   imgs([(f"samples/s_{i:03d}.jpg", (96, 96), "RGB") for i in range(4)])))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
