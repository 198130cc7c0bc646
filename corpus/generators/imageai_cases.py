"""ImageAI 3.0.3 (PyTorch backend) failures: custom YOLOv3 / TinyYOLOv3 detection
training, custom detection inference, and custom classification.

A tiny YOLO-format dataset is generated in the case's temp dir
(train/validation x images/annotations); everything runs on CPU with no
pretrained weights (there is no network).

    /work/venvs/torch/bin/python corpus/generators/imageai_cases.py [-k filter]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _record import case_builders, make_images, run_cases  # noqa: E402

SRC = "corpus/generators/imageai_cases.py"

TRAIN_DET = '''
from imageai.Detection.Custom import DetectionModelTrainer

trainer = DetectionModelTrainer()
@@SETUP@@
trainer.trainModel()
'''

DEFAULT_SETUP = '''trainer.setModelTypeAs@@MODEL@@()
trainer.setDataDirectory(data_directory="@@DATADIR@@")
trainer.setTrainConfig(object_names_array=@@CLASSES@@, batch_size=@@BS@@, num_experiments=@@EPOCHS@@@@PRETRAINED@@)'''


def det_script(model="TinyYOLOv3", datadir="hololens", classes='["hololens"]', bs="2", epochs="1", pretrained="",
               setup=DEFAULT_SETUP):
    s = TRAIN_DET.replace("@@SETUP@@", setup)
    for k, v in dict(MODEL=model, DATADIR=datadir, CLASSES=classes, BS=bs, EPOCHS=epochs, PRETRAINED=pretrained).items():
        s = s.replace(f"@@{k}@@", v)
    return {"train.py": s}


def dataset(root="hololens", n_train=4, n_val=2, boxes=None, val_boxes=None, sizes=((96, 80),), mode="RGB",
            skip_ann=(), bad_images=()):
    """boxes: function i -> annotation text for train image i."""
    boxes = boxes or (lambda i: f"0 {0.3 + 0.1 * (i % 4):.2f} {0.5:.2f} {0.4 + 0.05 * (i % 3):.2f} {0.5 + 0.04 * (i % 5):.2f}\n"
                      f"0 0.55 0.45 {0.2 + 0.03 * i:.2f} {0.25 + 0.02 * i:.2f}\n")
    val_boxes = val_boxes or boxes

    def setup(work: Path):
        specs = []
        for split, n, fn in (("train", n_train, boxes), ("validation", n_val, val_boxes)):
            for i in range(n):
                stem = f"image ({i + 1})" if split == "train" else f"image ({100 + i})"
                kind = "text" if (split, i) in bad_images else mode
                specs.append((f"{root}/{split}/images/{stem}.jpg", sizes[i % len(sizes)], kind))
                if (split, i) not in skip_ann and "all" not in skip_ann:
                    p = work / root / split / "annotations" / f"{stem}.txt"
                    p.parent.mkdir(parents=True, exist_ok=True)
                    p.write_text(fn(i))
            (work / root / split / "annotations").mkdir(parents=True, exist_ok=True)
        make_images(work, specs)
    return setup


INFER = '''
from imageai.Detection.Custom import CustomObjectDetection
@@PRE@@
detector = CustomObjectDetection()
detector.setModelTypeAsYOLOv3()
detector.setModelPath(@@MODELPATH@@)
detector.setJsonPath("hololens-yolov3_detection_config.json")
detector.loadModel()
detections = detector.detectObjectsFromImage(input_image=@@IMAGE@@, output_image_path="detected.jpg")
for d in detections:
    print(d["name"], d["percentage_probability"], d["box_points"])
'''

SAVE_YOLO = '''
import json
import torch
from imageai.yolov3.yolov3 import YoloV3

# weights + config saved by an earlier training run
anchors = [10, 13, 16, 30, 33, 23, 30, 61, 62, 45, 59, 119, 116, 90, 156, 198, 373, 326]
torch.save(YoloV3(anchors=anchors, num_classes=@@TRAINED_NC@@).state_dict(), "hololens-yolov3.pt")
json.dump({"labels": @@LABELS@@, "anchors": anchors}, open("hololens-yolov3_detection_config.json", "w"))
'''

CLS_TRAIN = '''
from imageai.Classification.Custom import ClassificationModelTrainer

trainer = ClassificationModelTrainer()
@@SETUP@@
trainer.trainModel(num_experiments=1, batch_size=@@BS@@@@KW@@)
'''

CLS_INFER = '''
import json
import torch
import torchvision
from imageai.Classification.Custom import CustomImageClassification

# weights saved by an earlier training run on @@TRAINED_NC@@ classes
torch.save(torchvision.models.mobilenet_v2(num_classes=@@TRAINED_NC@@).state_dict(), "mobilenet_v2-idenprof-test_acc_0.82_epoch-10.pt")
json.dump({str(i): c for i, c in enumerate(@@LABELS@@)}, open("idenprof_model_classes.json", "w"))

prediction = CustomImageClassification()
prediction.setModelTypeAsMobileNetV2()
prediction.setModelPath("mobilenet_v2-idenprof-test_acc_0.82_epoch-10.pt")
prediction.setJsonPath("idenprof_model_classes.json")
prediction.loadModel()
predictions, probabilities = prediction.classifyImage("data/test.jpg", result_count=2)
print(predictions, probabilities)
'''


def varied(i, classes):
    """one annotation line per class id, each box a different size (so k-means gets enough points)"""
    return "".join(f"{c} {0.3 + 0.1 * j:.2f} {0.5:.2f} {0.12 + 0.07 * j + 0.03 * i:.2f} {0.15 + 0.05 * j + 0.04 * i:.2f}\n"
                   for j, c in enumerate(classes))


def cls_folder(root="idenprof", classes=("chef", "doctor"), per=3, extra=()):
    def setup(work: Path):
        specs = []
        for split in ("train", "test"):
            for c in classes:
                for i in range(per):
                    specs.append((f"{root}/{split}/{c}/{c}-{i}.jpg", (64, 64), "RGB"))
        specs += list(extra)
        make_images(work, specs)
    return setup


def cases():
    out, add_case, _, _ = case_builders("")

    def add(name, cause, files, forms=("cpython_basic",), **kw):
        kw.setdefault("framework", "imageai")
        kw.setdefault("timeout", 600)
        add_case(name, cause, files, forms=forms, **kw)

    # bounding boxes -----------------------------------------------------------------
    add("imageai-yolov3-bbox-negative", "data.bbox_invalid", det_script(model="YOLOv3"),
        setup=dataset(boxes=lambda i: "0 0.5 0.5 0.3 0.4\n" if i != 2 else "0 -0.02 0.4 0.3 0.3\n"))
    add("imageai-tinyyolov3-bbox-pixel-coords", "data.bbox_invalid", det_script(),
        setup=dataset(boxes=lambda i: f"0 {120 + i} 96 64 80\n"))
    add("imageai-tinyyolov3-bbox-voc-xyxy", "data.bbox_invalid", det_script(classes='["helmet", "person"]'),
        setup=dataset(boxes=lambda i: f"1 34 20 150 210\n0 60 12 98 50\n"))
    add("imageai-yolov3-bbox-four-columns", "data.bbox_invalid", det_script(model="YOLOv3"),
        setup=dataset(boxes=lambda i: "0.5 0.5 0.3 0.4\n0.2 0.3 0.1 0.1\n0.7 0.7 0.2 0.1\n"))
    add("imageai-tinyyolov3-bbox-six-columns", "data.bbox_invalid", det_script(),
        setup=dataset(boxes=lambda i: "0 0.5 0.5 0.3 0.4 0.98\n"))
    add("imageai-tinyyolov3-bbox-negative-validation", "data.bbox_invalid", det_script(),
        setup=dataset(val_boxes=lambda i: "0 0.5 0.5 0.3 -0.4\n"))

    # class count mismatch -------------------------------------------------------------
    # with a single class TinyYOLOv3 computes no class loss, so the bad ids pass silently and the
    # run ends in validation on numpy 2 (np.trapz removed)
    add("imageai-tinyyolov3-single-class-ids-beyond-names-numpy2-trapz", "env.version_incompat",
        det_script(classes='["kangaroo"]', epochs="2"), also=["data.label_out_of_range"], forms=["cpython_basic", "progress_bars?"],
        setup=dataset(boxes=lambda i: varied(i, [i % 3, 0, 1])))
    add("imageai-yolov3-class-id-beyond-names", "data.label_out_of_range",
        det_script(model="YOLOv3", classes='["cat", "dog"]', epochs="2"), also=["model.output_mismatch"],
        setup=dataset(boxes=lambda i: varied(i, [(i % 2) + 1, 0, 1])))
    add("imageai-tinyyolov3-class-id-1-based", "data.label_out_of_range",
        det_script(classes='["car", "truck", "bus"]', epochs="3"), also=["model.output_mismatch"],
        setup=dataset(boxes=lambda i: varied(i, [3, 1, 2])))

    # num_experiments=1: ImageAI's LR lambda divides by (epochs - 1)
    add("imageai-tinyyolov3-num-experiments-1-zerodivision", "other", det_script(epochs="1"),
        also=["model.api_misuse"], setup=dataset(boxes=lambda i: varied(i, [0, 0, 0])))
    add("imageai-yolov3-num-experiments-1-zerodivision", "other", det_script(model="YOLOv3", epochs="1", bs="4"),
        also=["model.api_misuse"], setup=dataset(boxes=lambda i: varied(i, [0, 0, 0])))

    # too few boxes for k-means anchors --------------------------------------------------
    add("imageai-yolov3-too-few-boxes-kmeans", "data.too_few_boxes", det_script(model="YOLOv3"),
        setup=dataset(n_train=2, boxes=lambda i: "0 0.5 0.5 0.4 0.5\n"))
    add("imageai-tinyyolov3-too-few-boxes-kmeans", "data.too_few_boxes", det_script(),
        setup=dataset(n_train=3, boxes=lambda i: "0 0.5 0.5 0.3 0.3\n" if i == 0 else "0 0.4 0.6 0.6 0.5\n"))
    add("imageai-tinyyolov3-three-distinct-box-sizes-kmeans", "data.too_few_boxes", det_script(epochs="2"),
        setup=dataset(boxes=lambda i: "0 0.5 0.5 0.4 0.5\n0 0.3 0.3 0.2 0.2\n0 0.6 0.6 0.3 0.25\n"))
    add("imageai-yolov3-four-distinct-box-sizes-kmeans", "data.too_few_boxes", det_script(model="YOLOv3", epochs="2"),
        setup=dataset(boxes=lambda i: f"0 0.5 0.5 {0.2 + 0.1 * (i % 2):.2f} {0.3 + 0.1 * (i // 2):.2f}\n"))
    add("imageai-yolov3-identical-boxes-kmeans", "data.too_few_boxes", det_script(model="YOLOv3"),
        setup=dataset(n_train=6, boxes=lambda i: "0 0.5 0.5 0.25 0.25\n"))
    add("imageai-tinyyolov3-missing-annotations", "data.missing_or_corrupt", det_script(),
        also=["data.too_few_boxes"], setup=dataset(skip_ann=("all",)))
    add("imageai-yolov3-annotations-wrong-folder-name", "data.missing_or_corrupt", det_script(model="YOLOv3"),
        also=["data.too_few_boxes"],
        setup=lambda w: (dataset(skip_ann=("all",))(w),
                         [(w / "hololens" / s / "labels").mkdir(parents=True, exist_ok=True) or
                          (w / "hololens" / s / "labels" / "image (1).txt").write_text("0 0.5 0.5 0.3 0.3\n")
                          for s in ("train", "validation")]))

    # data directory problems -------------------------------------------------------------
    add("imageai-detection-data-dir-missing", "data.missing_or_corrupt", det_script(datadir="datasets/hololens"),
        setup=dataset())
    add("imageai-detection-no-validation-folder", "data.missing_or_corrupt", det_script(),
        setup=lambda w: (dataset()(w), __import__("shutil").rmtree(w / "hololens" / "validation")))
    add("imageai-detection-images-unreadable", "data.missing_or_corrupt", det_script(),
        setup=dataset(n_train=2, bad_images={("train", 0), ("train", 1)}))
    add("imageai-detection-train-images-folder-empty", "data.missing_or_corrupt", det_script(model="YOLOv3"),
        setup=dataset(n_train=0))

    # API misuse / version problems ------------------------------------------------------
    add("imageai-detection-train-before-set-data-directory", "model.api_misuse",
        det_script(setup='trainer.setModelTypeAsYOLOv3()\ntrainer.setTrainConfig(object_names_array=["hololens"], batch_size=4, num_experiments=20)'),
        setup=dataset())
    add("imageai-detection-train-without-config", "model.api_misuse",
        det_script(setup='trainer.setModelTypeAsTinyYOLOv3()\ntrainer.setDataDirectory(data_directory="hololens")'),
        setup=dataset())
    add("imageai-detection-no-model-type", "model.api_misuse",
        det_script(setup='trainer.setDataDirectory(data_directory="hololens")\n'
                         'trainer.setTrainConfig(object_names_array=["hololens"], batch_size=2, num_experiments=1)'),
        setup=dataset())
    yolo_obj = ("YoloV3(anchors=[10, 13, 16, 30, 33, 23, 30, 61, 62, 45, 59, 119, 116, 90, 156, 198, 373, 326], "
                "num_classes=1)")
    add("imageai-detection-pretrained-model-object", "model.api_misuse",
        {"train.py": "from imageai.yolov3.yolov3 import YoloV3\n"
                     + det_script(pretrained=f", train_from_pretrained_model={yolo_obj}")["train.py"]},
        setup=dataset())
    add("imageai-detection-pretrained-h5", "env.version_incompat",
        det_script(model="YOLOv3", pretrained=', train_from_pretrained_model="pretrained-yolov3.h5"'), setup=dataset())
    add("imageai-detection-pretrained-darknet-weights", "model.weights_mismatch",
        det_script(model="YOLOv3", pretrained=', train_from_pretrained_model="yolov3.weights"'), setup=dataset())
    add("imageai-detection-numpy2-trapz", "env.version_incompat",
        det_script(epochs="2", bs="4"), forms=["cpython_basic", "progress_bars"],
        setup=dataset(n_train=8, n_val=4, boxes=lambda i: f"0 0.5 0.5 {0.80 + 0.02 * i:.2f} {0.94 - 0.015 * i:.3f}\n",
                      sizes=((128, 128),)))

    # custom detection inference ------------------------------------------------------------
    add("imageai-detect-set-model-path-object", "model.api_misuse",
        {"detect.py": INFER.replace("@@PRE@@", "from imageai.yolov3.yolov3 import YoloV3").replace(
            "@@MODELPATH@@", "YoloV3(anchors=[10, 13, 16, 30, 33, 23, 30, 61, 62, 45, 59, 119, 116, 90, 156, 198, 373, 326], num_classes=1)")
         .replace("@@IMAGE@@", '"holo1.jpg"')}, argv=["detect.py"])
    add("imageai-detect-model-path-missing", "model.api_misuse",
        {"detect.py": INFER.replace("@@PRE@@", "").replace("@@MODELPATH@@", '"models/hololens-yolov3.pt"').replace("@@IMAGE@@", '"holo1.jpg"')},
        argv=["detect.py"], also=["data.missing_or_corrupt"])
    add("imageai-detect-class-count-mismatch", "model.weights_mismatch",
        {"detect.py": INFER.replace("@@PRE@@", SAVE_YOLO.replace("@@TRAINED_NC@@", "2").replace("@@LABELS@@", '["hololens"]'))
         .replace("@@MODELPATH@@", '"hololens-yolov3.pt"').replace("@@IMAGE@@", '"holo1.jpg"')}, argv=["detect.py"],
        forms=["cpython_basic", "multiline_message?"])
    add("imageai-detect-image-missing", "data.missing_or_corrupt",
        {"detect.py": INFER.replace("@@PRE@@", SAVE_YOLO.replace("@@TRAINED_NC@@", "1").replace("@@LABELS@@", '["hololens"]'))
         .replace("@@MODELPATH@@", '"hololens-yolov3.pt"').replace("@@IMAGE@@", '"images/holo 1.jpg"')}, argv=["detect.py"])
    add("imageai-detect-image-gif", "data.missing_or_corrupt",
        {"detect.py": INFER.replace("@@PRE@@", SAVE_YOLO.replace("@@TRAINED_NC@@", "1").replace("@@LABELS@@", '["hololens"]'))
         .replace("@@MODELPATH@@", '"hololens-yolov3.pt"').replace("@@IMAGE@@", '"holo1.gif"'),
         "holo1.gif": b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"}, argv=["detect.py"])

    # classification ----------------------------------------------------------------------------
    def cls_script(setup, bs="4", kw=""):
        return {"train.py": CLS_TRAIN.replace("@@SETUP@@", setup).replace("@@BS@@", bs).replace("@@KW@@", kw)}

    std = 'trainer.setModelTypeAsMobileNetV2()\ntrainer.setDataDirectory("idenprof")'
    add("imageai-cls-no-test-folder", "data.missing_or_corrupt", cls_script(std),
        setup=lambda w: (cls_folder()(w), __import__("shutil").rmtree(w / "idenprof" / "test")))
    add("imageai-cls-flat-folder-no-classes", "data.missing_or_corrupt", cls_script(std),
        setup=lambda w: make_images(w, [(f"idenprof/{s}/img{i}.jpg", (64, 64), "RGB") for s in ("train", "test") for i in range(3)]))
    add("imageai-cls-train-before-set-data-directory", "model.api_misuse",
        cls_script("trainer.setModelTypeAsResNet50()"), setup=cls_folder())
    add("imageai-cls-no-model-type", "model.api_misuse", cls_script('trainer.setDataDirectory("idenprof")'), setup=cls_folder())
    add("imageai-cls-data-dir-missing", "data.missing_or_corrupt",
        cls_script('trainer.setModelTypeAsMobileNetV2()\ntrainer.setDataDirectory("idenprof/train/")'.replace("idenprof/train/", "datasets/idenprof")),
        setup=cls_folder())
    add("imageai-cls-transfer-h5", "env.version_incompat", cls_script(std, kw=', transfer_from_model="resnet50_imagenet_tf.2.0.h5"'),
        setup=cls_folder())
    add("imageai-cls-transfer-wrong-architecture", "model.weights_mismatch",
        {"train.py": "import torch, torchvision\ntorch.save(torchvision.models.resnet18().state_dict(), 'resnet18-f37072fd.pth')\n"
                     + cls_script(std, kw=', transfer_from_model="resnet18-f37072fd.pth"')["train.py"]},
        setup=cls_folder())
    add("imageai-cls-truncated-image", "data.missing_or_corrupt", cls_script(std, bs="2"),
        forms=["cpython_basic", "progress_bars?"],
        setup=cls_folder(extra=[("idenprof/train/doctor/doctor-bad.jpg", (300, 300), "truncated")]))
    add("imageai-cls-load-model-class-count-mismatch", "model.weights_mismatch",
        {"predict.py": CLS_INFER.replace("@@TRAINED_NC@@", "10").replace("@@LABELS@@", '["chef", "doctor", "engineer", "farmer"]')},
        argv=["predict.py"], forms=["chained_during", "multiline_message"],
        setup=lambda w: make_images(w, [("data/test.jpg", (64, 64), "RGB")]))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC))
