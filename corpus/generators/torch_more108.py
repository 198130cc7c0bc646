"""A hundred-and-eighth held-out set (g201, scored 0.83 top-1 and 0.91 top-3 before any rule for it) of ImageAI 3.0.3 pretrained-model and video failures: makers, shop owners and hobbyists with cameras.

The persona: makers, shop owners and hobbyists building people counters for a shop door, pet cams, bird-feeder
cams and parking-space watchers on laptops, Raspberry Pi-like boxes and Windows PCs, with phone videos, RTSP /
IP-camera recordings pulled off the NVR, GIFs from camera apps and screenshots, following blog posts. Every case uses
ImageAI 3 with its pretrained models (``ObjectDetection`` with RetinaNet / YOLOv3 / TinyYOLOv3,
``VideoObjectDetection``, ``CustomVideoObjectDetection``, ``ImageClassification``); each program is built so that
its cause is known by construction and made to fail inside ImageAI, torch, torchvision, OpenCV, PIL, NumPy, shutil
or multiprocessing:

- input files and formats: a phone clip ``IMG_2041.MOV`` typed as ``.mov`` on Linux, so ImageAI writes an empty
  video silently and the preview step reads nothing (data.missing_or_corrupt); a WhatsApp-forwarded clip cut short
  (``moov atom not found``), whose ``video_complete_function`` averages over zero frames (re-raised by ImageAI as
  "your input video is invalid", data.missing_or_corrupt); a pet-app GIF opened with PIL for RetinaNet, which ImageAI
  saves to a temporary JPEG (palette mode, data.image_channels); bird-feeder snapshots from two cameras of
  different resolutions tiled into a daily collage (tqdm, data.image_size_mismatch);
- callbacks and arguments: a ``video_complete_function`` written with the per-second signature (notebook,
  model.api_misuse); parking-slot polygons scaled to the new camera with a float factor, drawn in the per-frame
  callback (data.dtype); parking slots from the labelling tool as ``[x, y, w, h]`` drawn as corners
  (data.bbox_invalid); ``--fps`` from argparse as a string (model.api_misuse); ``frames_per_second=0`` for "the
  clip's own rate" with a per-second callback (model.api_misuse); ``CustomObjects`` built before the model type
  (notebook, model.api_misuse); the tuple returned with ``extract_detected_objects=True`` iterated as detections,
  on a photo with no bird in it (model.api_misuse); the ``(image, detections)`` tuple of ``output_type="array"``
  given to ``cv2.imwrite`` (notebook, model.api_misuse); ``os.scandir`` entries as ``input_image``
  (model.api_misuse); the first frames of two door cameras stacked into one 4-D "batch" for YOLOv3
  (model.input_shape);
- output paths and runs: the detected clip written into a dated folder that does not exist, then copied to the NAS
  (other);
- models and weights: the torch hub cache globbed for "the" COCO detector, picking the Faster R-CNN file for
  RetinaNet (model.weights_mismatch); torchvision's MobileNetV3 ImageNet file for ``ImageClassification``'s
  MobileNetV2, which only prints its traceback (notebook, model.weights_mismatch); the Places365 ResNet-50
  ``.pth.tar`` for garden scenes (model.weights_mismatch);
- memory, devices, versions, processes: ``from imageai.Classification import ImageClassification`` on a 1 GB
  Pi-like box (all four ImageNet networks are built at import, resource.host_memory); a 48 MP phone photo into
  RetinaNet on a 2 GB box (resource.host_memory); the Windows PC's per-second GPU-memory readout run on a laptop
  without an NVIDIA driver (env.cuda_setup); a bird tracker from a 2020 blog, ``cv2.TrackerCSRT_create``, under
  OpenCV 5 (env.version_incompat); two IP-camera recordings each watched in a spawn ``Process`` given its
  ``cv2.VideoCapture`` (env.multiprocessing).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None: the "pretrained"
model files are freshly initialised networks saved under the release names; the clips are written by the setup).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more108.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


from _record import (Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders,  # noqa: E402,F401
                     yolo_layout, save_tiny, save_cls, ANCHORS6)
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more108.py"

SCRIPTS = {}
CELLS = {}

# ------------------------------------------------------------------ setups: pretrained files and clips
COCO_TINY_PREP = '''
import os
import torch
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny

# stands in for tiny-yolov3.pt from the ImageAI 3.0.0-pretrained release (80 COCO classes)
os.makedirs(os.path.dirname("@@PT@@") or ".", exist_ok=True)
torch.manual_seed(0)
model = YoloV3Tiny(anchors=@@ANCHORS@@, num_classes=80)
with torch.no_grad():
    for conv in (model.conv10.conv, model.conv13.conv):
        for a in range(3):
            conv.bias[a * 85 + 4] = @@OBJ@@
torch.save(model.state_dict(), "@@PT@@")
'''


def coco_tiny(pt="tiny-yolov3.pt", obj=-16.0):
    """the COCO TinyYOLOv3 file (obj=-16: quiet, obj=4: boxes everywhere)"""
    return prep(sub(COCO_TINY_PREP, PT=pt, ANCHORS=ANCHORS6, OBJ=repr(obj)))


SAVE_TINY_CFG = '''
import json
import os
import torch
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny

for p in ("@@PT@@", "@@JSON@@"):
    os.makedirs(os.path.dirname(p) or ".", exist_ok=True)
anchors = @@ANCHORS@@
labels = @@LABELS@@
torch.manual_seed(0)
model = YoloV3Tiny(anchors=anchors, num_classes=len(labels))
with torch.no_grad():
    for conv in (model.conv10.conv, model.conv13.conv):
        for a in range(3):
            conv.bias[a * (5 + len(labels)) + 4] = @@OBJ@@
torch.save(model.state_dict(), "@@PT@@")
json.dump({"labels": labels, "anchors": anchors}, open("@@JSON@@", "w"))
'''


def custom_tiny(labels, pt, js, obj=-16.0):
    return prep(sub(SAVE_TINY_CFG, PT=pt, JSON=js, ANCHORS=ANCHORS6, LABELS=labels, OBJ=repr(obj)))


RETINA_PREP = '''
import os
import warnings
import torch
import torchvision

warnings.simplefilter("ignore")
os.makedirs(os.path.dirname("@@PT@@") or ".", exist_ok=True)
torch.manual_seed(0)
# stands in for retinanet_resnet50_fpn_coco-eeacb38b.pth from the ImageAI 3.0.0-pretrained release
torch.save(torchvision.models.detection.retinanet_resnet50_fpn(weights=None, weights_backbone=None,
                                                               num_classes=91).state_dict(), "@@PT@@")
'''


def retina(pt="retinanet_resnet50_fpn_coco-eeacb38b.pth"):
    return prep(sub(RETINA_PREP, PT=pt))


CLIP_PREP = '''
import os
import cv2
import numpy as np


def clip(path, w, h, n, fps=10, fourcc="mp4v", seed=0, movers=2):
    """a recorded clip: a textured background and `movers` coloured blobs crossing it"""
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    rng = np.random.default_rng(seed)
    bg = cv2.resize(rng.integers(40, 160, (h // 8 + 1, w // 8 + 1, 3), dtype=np.uint8), (w, h))
    vw = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*fourcc), fps, (w, h))
    assert vw.isOpened(), path
    for i in range(n):
        f = bg.copy()
        for m in range(movers):
            bw, bh = w // 10 + 6 * m, h // 5 + 4 * m
            x = int((w // 12 + (9 + 5 * m) * i * w / 320) % max(1, w - bw))
            y = int(h // 4 + m * h // 3) % max(1, h - bh)
            cv2.rectangle(f, (x, y), (x + bw, y + bh), (30 + 90 * m, 200 - 60 * m, 60), -1)
        vw.write(f)
    vw.release()


@@CALLS@@
'''


def clips(*calls):
    """a setup writing real video files: each call is `clip(path, w, h, n, ...)`"""
    return prep(CLIP_PREP.replace("@@CALLS@@", "\n".join(calls)))


# ================================================================== input files and formats
# ------------------------------------------------------------------ IMG_2041.MOV typed as .mov
SCRIPTS["petcam-phone-clip-MOV-typed-lowercase-preview-frame"] = '''
import cv2
from imageai.Detection import VideoObjectDetection

# the clip of Mochi on the sofa, AirDropped from the phone to the laptop
detector = VideoObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("models/tiny-yolov3.pt")
detector.loadModel()
out = detector.detectObjectsFromVideo(input_file_path="videos/IMG_2041.mov",
                                      output_file_path="videos/IMG_2041_detected",
                                      frames_per_second=15, minimum_percentage_probability=40)
print("saved", out)

# a small preview picture for the blog post
cap = cv2.VideoCapture(out)
ok, frame = cap.read()
preview = cv2.resize(frame, (480, 270))
cv2.imwrite("videos/IMG_2041_preview.jpg", preview)
'''

# ------------------------------------------------------------------ WhatsApp-forwarded clip cut short
SCRIPTS["whatsapp-forwarded-clip-moov-atom-missing-video-complete-average"] = '''
from imageai.Detection import VideoObjectDetection

# the shop-door clip my brother sent over WhatsApp (the download stopped at 54% on the laptop)
CLIP = "shop_door/VID-20240601-WA0007.mp4"


def video_done(all_frames, all_counts, average_count):
    people = [c.get("person", 0) for c in all_counts]
    print("frames:", len(people))
    print(f"average people in view: {sum(people) / len(people):.2f}")
    print("busiest frame:", max(range(len(people)), key=people.__getitem__) + 1)


detector = VideoObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("tiny-yolov3.pt")
detector.loadModel()
detector.detectObjectsFromVideo(input_file_path=CLIP, output_file_path="shop_door/WA0007_counted",
                                frames_per_second=15, video_complete_function=video_done,
                                minimum_percentage_probability=35)
'''

TRUNCATE_PREP = '''
data = open("shop_door/VID-20240601-WA0007.mp4", "rb").read()
open("shop_door/VID-20240601-WA0007.mp4", "wb").write(data[: int(len(data) * 0.54)])
'''

# ------------------------------------------------------------------ GIF from the pet-camera app, opened with PIL
SCRIPTS["retinanet-pet-camera-app-gif-opened-with-pil"] = '''
from PIL import Image
from imageai.Detection import ObjectDetection

# the pet camera app only exports GIFs ("share moment"); take the first frame
gif = Image.open("moments/moment_20240611_1422.gif")
print(gif.format, gif.size, gif.mode, getattr(gif, "n_frames", 1), "frames")

detector = ObjectDetection()
detector.setModelTypeAsRetinaNet()
detector.setModelPath("models/retinanet_resnet50_fpn_coco-eeacb38b.pth")
detector.loadModel()
detections = detector.detectObjectsFromImage(input_image=gif, output_image_path="moments/moment_1422_detected.jpg",
                                             minimum_percentage_probability=30)
for d in detections:
    print(d["name"], d["percentage_probability"])
'''

GIF_PREP = '''
import os
import numpy as np
from PIL import Image, ImageDraw

os.makedirs("moments", exist_ok=True)
rng = np.random.default_rng(4)
frames = []
for i in range(6):
    img = Image.fromarray(rng.integers(60, 200, (240, 320, 3), dtype=np.uint8))
    ImageDraw.Draw(img).ellipse((40 + 20 * i, 80, 140 + 20 * i, 170), fill=(200, 150, 90))
    frames.append(img.convert("P", palette=Image.ADAPTIVE))
frames[0].save("moments/moment_20240611_1422.gif", save_all=True, append_images=frames[1:], duration=200, loop=0)
'''

# ------------------------------------------------------------------ bird-feeder collage, two camera sizes
SCRIPTS["bird-feeder-daily-collage-two-camera-sizes-tqdm"] = '''
import glob

import cv2
import numpy as np
from imageai.Detection import ObjectDetection
from tqdm import tqdm

detector = ObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("models/tiny-yolov3.pt")
detector.loadModel()

snaps = sorted(glob.glob("feeder_snaps/2024-05-18/*.jpg"))
annotated = []
birds = 0
for path in tqdm(snaps, desc="detecting"):
    frame, detections = detector.detectObjectsFromImage(input_image=path, output_type="array",
                                                        minimum_percentage_probability=30)
    birds += sum(d["name"] == "bird" for d in detections)
    annotated.append(frame)

# 4 pictures a row for the daily e-mail
rows = [np.hstack(annotated[i:i + 4]) for i in range(0, len(annotated), 4)]
collage = np.vstack(rows)
cv2.imwrite("feeder_snaps/2024-05-18_collage.jpg", collage)
print(f"{birds} birds, collage {collage.shape}")
'''

# ================================================================== callbacks and arguments
# ------------------------------------------------------------------ video_complete_function with the per-second signature
CELLS["video-complete-function-per-second-signature-notebook"] = [
    '''from imageai.Detection import VideoObjectDetection

detector = VideoObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("tiny-yolov3.pt")
detector.loadModel()''',
    '''summary = {}

def per_second(second_number, output_arrays, count_arrays, average_output_count, returned_frame):
    print(f"second {second_number}: {average_output_count}")

def whole_video(output_arrays, count_arrays, average_output_count, returned_frame):
    # keep the last frame for the thumbnail on the dashboard
    summary["counts"] = average_output_count
    summary["thumbnail"] = returned_frame''',
    '''detector.detectObjectsFromVideo(input_file_path="entrance/rec_2024-06-08_1000.mp4",
                                output_file_path="entrance/rec_1000_detected",
                                frames_per_second=5, per_second_function=per_second,
                                video_complete_function=whole_video, return_detected_frame=True,
                                minimum_percentage_probability=40, log_progress=True)
summary["counts"]''',
]

# ------------------------------------------------------------------ parking slots scaled with a float factor
SCRIPTS["parking-slots-scaled-float64-polylines-per-frame"] = '''
import json

import cv2
import numpy as np
from imageai.Detection import VideoObjectDetection

# slots were drawn on a 1920x1080 still of the old camera; the new camera records 640x360
old_w, new_w = 1920, 640
scale = new_w / old_w
SLOTS = [np.array(s) * scale for s in json.load(open("lot/slots_1920.json"))]
print(len(SLOTS), "slots, scale", scale)

occupied_log = []


def per_frame(frame_number, output_array, output_count, detected_frame):
    for slot in SLOTS:
        cv2.polylines(detected_frame, [slot.reshape(-1, 1, 2)], True, (0, 255, 255), 2)
    occupied_log.append(output_count.get("car", 0))
    if frame_number % 10 == 0:
        cv2.imwrite(f"lot/frames/frame_{frame_number:05d}.jpg", detected_frame)


detector = VideoObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("tiny-yolov3.pt")
detector.loadModel()
detector.detectObjectsFromVideo(input_file_path="lot/cam2_2024-06-03_0800.mp4", output_file_path="lot/cam2_0800_slots",
                                frames_per_second=10, per_frame_function=per_frame, return_detected_frame=True,
                                minimum_percentage_probability=40)
'''

SLOTS_JSON = ('[[[120, 600], [420, 600], [480, 900], [150, 900]], [[450, 600], [750, 600], [820, 900], [500, 900]], '
              '[[780, 600], [1080, 600], [1160, 900], [850, 900]], [[1110, 600], [1410, 600], [1500, 900], '
              '[1200, 900]]]')

# ------------------------------------------------------------------ parking slots as [x, y, w, h], drawn as corners
SCRIPTS["parking-slots-xywh-from-labelling-tool-drawn-as-corners"] = '''
import json

from PIL import Image, ImageDraw
from imageai.Detection import ObjectDetection

# slots marked in the labelling tool and exported as COCO-style bbox lists
slots = {a["id"]: a["bbox"] for a in json.load(open("lot/slots_coco.json"))["annotations"]}

detector = ObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("tiny-yolov3.pt")
detector.loadModel()
cars = [d for d in detector.detectObjectsFromImage(input_image="lot/snapshot_0815.jpg",
                                                   output_image_path="lot/snapshot_0815_cars.jpg",
                                                   minimum_percentage_probability=35)
        if d["name"] in ("car", "truck")]
print(len(cars), "cars")

img = Image.open("lot/snapshot_0815_cars.jpg")
draw = ImageDraw.Draw(img)
for slot_id, box in slots.items():
    draw.rectangle(box, outline=(255, 200, 0), width=2)
    draw.text((box[0] + 3, box[1] + 3), f"P{slot_id}", fill=(255, 200, 0))
img.save("lot/snapshot_0815_slots.jpg")
'''

SLOTS_COCO = ('{"images": [{"id": 1, "file_name": "snapshot_0815.jpg", "width": 640, "height": 360}], '
              '"categories": [{"id": 1, "name": "slot"}], "annotations": ['
              '{"id": 1, "image_id": 1, "category_id": 1, "bbox": [40, 200, 100, 110]}, '
              '{"id": 2, "image_id": 1, "category_id": 1, "bbox": [150, 200, 100, 110]}, '
              '{"id": 3, "image_id": 1, "category_id": 1, "bbox": [260, 200, 100, 110]}]}')

# ------------------------------------------------------------------ --fps from argparse as a string
SCRIPTS["door-counter-fps-argparse-string-into-video-writer"] = '''
import argparse

from imageai.Detection import VideoObjectDetection

ap = argparse.ArgumentParser(description="count customers in an NVR export")
ap.add_argument("clip")
ap.add_argument("--fps", default=25, help="frame rate of the export")
ap.add_argument("--min-prob", type=int, default=40)
args = ap.parse_args()

entries = []


def per_second(second, arrays, counts, average):
    entries.append(average.get("person", 0))


detector = VideoObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("models/tiny-yolov3.pt")
detector.loadModel()
detector.detectObjectsFromVideo(input_file_path=args.clip, output_file_path=args.clip.rsplit(".", 1)[0] + "_people",
                                frames_per_second=args.fps, per_second_function=per_second,
                                minimum_percentage_probability=args.min_prob)
print("people per second:", entries)
'''

# ------------------------------------------------------------------ frames_per_second=0 for "the clip's own rate"
SCRIPTS["custom-video-frames-per-second-zero-per-second-callback"] = '''
from imageai.Detection.Custom import CustomVideoObjectDetection

# frames_per_second=0 -> keep the frame rate of the recording (as with ffmpeg's -r 0)
hedgehog_seconds = []


def per_second(second, arrays, counts, average):
    if average.get("hedgehog"):
        hedgehog_seconds.append(second)


detector = CustomVideoObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("garden/models/tiny-yolov3_garden_mAP-0.61250_epoch-40.pt")
detector.setJsonPath("garden/json/garden_tiny-yolov3_detection_config.json")
detector.loadModel()
detector.detectObjectsFromVideo(input_file_path="garden/night_2024-06-14_0213.mp4",
                                output_file_path="garden/night_0213_detected", frames_per_second=0,
                                per_second_function=per_second, minimum_percentage_probability=40)
print("hedgehog seen in seconds:", hedgehog_seconds)
'''

# ------------------------------------------------------------------ CustomObjects before the model type
CELLS["customobjects-built-before-model-type-notebook"] = [
    '''from imageai.Detection import ObjectDetection

# --- settings ---
detector = ObjectDetection()
pets_only = detector.CustomObjects(cat=True, dog=True)
MIN_PROB = 35''',
    '''detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("tiny-yolov3.pt")
detector.loadModel()
detector.detectObjectsFromImage(input_image="petcam/snap_0930.jpg", output_image_path="petcam/snap_0930_pets.jpg",
                                custom_objects=pets_only, minimum_percentage_probability=MIN_PROB)''',
]

# ------------------------------------------------------------------ extract_detected_objects tuple iterated
SCRIPTS["extract-detected-objects-return-tuple-iterated-as-detections"] = '''
import glob
import os

from imageai.Detection import ObjectDetection

detector = ObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("tiny-yolov3.pt")
detector.loadModel()

os.makedirs("feeder_out", exist_ok=True)
for path in sorted(glob.glob("feeder_cam/*.jpg")):
    out = os.path.join("feeder_out", os.path.basename(path))
    # new: also save each bird as its own picture (for the species classifier later)
    detections = detector.detectObjectsFromImage(input_image=path, output_image_path=out,
                                                 minimum_percentage_probability=30,
                                                 extract_detected_objects=True)
    for d in detections:
        print(os.path.basename(path), d["name"], d["percentage_probability"], d["box_points"])
'''

# ------------------------------------------------------------------ output_type="array" tuple to cv2.imwrite
CELLS["output-type-array-result-to-imwrite-notebook"] = [
    '''import cv2
from imageai.Detection import ObjectDetection

detector = ObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("tiny-yolov3.pt")
detector.loadModel()''',
    '''# grab one frame from the porch camera recording
cap = cv2.VideoCapture("porch/porch_2024-06-02_1830.mp4")
ok, frame = cap.read()
cap.release()
print(ok, frame.shape)''',
    '''# output_type="array" so I can draw the time stamp on it before saving
annotated = detector.detectObjectsFromImage(input_image=frame, output_type="array",
                                            minimum_percentage_probability=40)
cv2.imwrite("porch/porch_1830_first_frame.jpg", annotated)''',
]

# ------------------------------------------------------------------ os.scandir entries as input_image
SCRIPTS["screenshots-scandir-entries-as-input-image"] = '''
import os

from imageai.Detection import ObjectDetection

# screenshots of the doorbell app saved on the laptop; skip the ones done already
detector = ObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("models/tiny-yolov3.pt")
detector.loadModel()

os.makedirs("doorbell/detected", exist_ok=True)
with os.scandir("doorbell/screenshots") as entries:
    for entry in sorted(entries, key=lambda e: e.name):
        if not entry.is_file() or not entry.name.lower().endswith(".png"):
            continue
        found = detector.detectObjectsFromImage(input_image=entry,
                                                output_image_path=os.path.join("doorbell/detected", entry.name),
                                                minimum_percentage_probability=40)
        print(entry.name, [d["name"] for d in found])
'''

# ------------------------------------------------------------------ two door cameras stacked into one "batch"
SCRIPTS["two-door-cameras-stacked-into-one-batch-array"] = """
import cv2
import numpy as np
from imageai.Detection import ObjectDetection

# one call for both doors instead of two ("batching is faster", as with the GPU models in the course)
detector = ObjectDetection()
detector.setModelTypeAsYOLOv3()
detector.setModelPath("models/yolov3.pt")
detector.loadModel()

frames = []
for door in ("front", "side"):
    cap = cv2.VideoCapture(f"nvr/{door}_2024-06-07_1100.mp4")
    ok, frame = cap.read()
    cap.release()
    frames.append(frame)
batch = np.stack(frames)
print("batch", batch.shape)
_, detections = detector.detectObjectsFromImage(input_image=batch, output_type="array",
                                                minimum_percentage_probability=40)
print(sum(d["name"] == "person" for d in detections), "people at the doors")
"""

YOLOV3_PREP = """
import os
import torch
from imageai.yolov3.yolov3 import YoloV3

os.makedirs("models", exist_ok=True)
torch.manual_seed(0)
# stands in for yolov3.pt from the ImageAI 3.0.0-pretrained release
torch.save(YoloV3(anchors=[10, 13, 16, 30, 33, 23, 30, 61, 62, 45, 59, 119, 116, 90, 156, 198, 373, 326],
                  num_classes=80).state_dict(), "models/yolov3.pt")
"""

# ================================================================== output paths and runs
# ------------------------------------------------------------------ dated output folder that does not exist
SCRIPTS["driveway-clip-output-into-missing-dated-folder-then-nas-copy"] = '''
import datetime
import os
import shutil

from imageai.Detection import VideoObjectDetection

day = datetime.date(2024, 6, 9).isoformat()
out_base = os.path.join("detected", day, "driveway_1715")

detector = VideoObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("tiny-yolov3.pt")
detector.loadModel()
saved = detector.detectObjectsFromVideo(input_file_path="nvr_export/driveway_2024-06-09_1715.mp4",
                                        output_file_path=out_base, frames_per_second=10,
                                        minimum_percentage_probability=40, log_progress=True)
print("detection finished:", saved)
os.makedirs("nas_share/driveway", exist_ok=True)
shutil.copy2(saved, "nas_share/driveway/")
print("copied to the NAS")
'''

# ================================================================== models and weights
# ------------------------------------------------------------------ torch hub cache globbed for the detector
SCRIPTS["retinanet-hub-cache-glob-picks-fasterrcnn-checkpoint"] = '''
import glob
import os

from imageai.Detection import ObjectDetection

# "the COCO weights are already in the torch cache from the other tutorial"
cache = os.path.expanduser("hub_cache/checkpoints")
candidates = sorted(glob.glob(os.path.join(cache, "*coco*.pth")))
print("found:", [os.path.basename(c) for c in candidates])

detector = ObjectDetection()
detector.setModelTypeAsRetinaNet()
detector.setModelPath(candidates[0])
detector.loadModel()
for d in detector.detectObjectsFromImage(input_image="shop/counter_cam.jpg", output_image_path="shop/counter_det.jpg"):
    print(d["name"], d["percentage_probability"])
'''

FRCNN_PREP = '''
import os
import warnings
import torch
import torchvision

warnings.simplefilter("ignore")
os.makedirs("hub_cache/checkpoints", exist_ok=True)
torch.manual_seed(0)
torch.save(torchvision.models.detection.fasterrcnn_resnet50_fpn(weights=None, weights_backbone=None,
                                                                num_classes=91).state_dict(),
           "hub_cache/checkpoints/fasterrcnn_resnet50_fpn_coco-258fb6c6.pth")
'''

# ------------------------------------------------------------------ MobileNetV3 file for ImageClassification's MobileNetV2
CELLS["imageclassification-mobilenet-v3-file-as-mobilenetv2-notebook"] = [
    '''from imageai.Classification import ImageClassification

prediction = ImageClassification()
prediction.setModelTypeAsMobileNetV2()
# "any ImageNet MobileNet works" -- this one was already on the Pi from the torchvision demo
prediction.setModelPath("models/mobilenet_v3_large-8738ca79.pth")
prediction.loadModel()''',
    '''predictions, probabilities = prediction.classifyImage("feeder/visitor_0712.jpg", result_count=3)
for p, prob in zip(predictions, probabilities):
    print(f"{p}: {prob:.1f}%")''',
]

MBV3_PREP = '''
import os
import torch
import torchvision

os.makedirs("models", exist_ok=True)
torch.manual_seed(0)
torch.save(torchvision.models.mobilenet_v3_large(weights=None).state_dict(), "models/mobilenet_v3_large-8738ca79.pth")
'''

# ------------------------------------------------------------------ Places365 .pth.tar
SCRIPTS["places365-resnet50-pth-tar-for-garden-scenes"] = '''
from imageai.Classification import ImageClassification

# Places365 knows "vegetable_garden", "patio", "driveway"... better than ImageNet for the garden cam
prediction = ImageClassification()
prediction.setModelTypeAsResNet50()
prediction.setModelPath("models/resnet50_places365.pth.tar")
prediction.loadModel()
labels, probs = prediction.classifyImage("garden_cam/2024-06-12_0700.jpg", result_count=5)
print(list(zip(labels, probs)))
'''

PLACES_PREP = '''
import os
import torch
import torchvision

os.makedirs("models", exist_ok=True)
model = torchvision.models.resnet50(weights=None, num_classes=365)
torch.save({"epoch": 90, "arch": "resnet50", "state_dict": {"module." + k: v for k, v in model.state_dict().items()},
            "best_prec1": 54.74}, "models/resnet50_places365.pth.tar")
'''

# ================================================================== memory, devices, versions, processes
# ------------------------------------------------------------------ importing the classifier on a 1 GB box
SCRIPTS["pi-like-box-import-imageai-classification-memory-cap"] = '''
import resource

# this box has 1 GB; the kiosk service runs scripts with the same limit (systemd MemoryMax)
resource.setrlimit(resource.RLIMIT_DATA, (@@CAP@@ * 1024 ** 2, resource.RLIM_INFINITY))

from imageai.Classification import ImageClassification  # noqa: E402

prediction = ImageClassification()
prediction.setModelTypeAsMobileNetV2()      # the small one, for the Pi
prediction.setModelPath("models/mobilenet_v2-b0353104.pth")
prediction.loadModel()
print(prediction.classifyImage("shelf_cam/latest.jpg", result_count=3))
'''

# ------------------------------------------------------------------ 48 MP photo into RetinaNet on the same box
SCRIPTS["retinanet-48mp-phone-photo-pi-like-box-memory-cap"] = '''
import resource

from imageai.Detection import ObjectDetection

detector = ObjectDetection()
detector.setModelTypeAsRetinaNet()
detector.setModelPath("models/retinanet_resnet50_fpn_coco-eeacb38b.pth")
detector.loadModel()

# the kiosk service limit on this 2 GB box (systemd MemoryMax), applied once the model is in
resource.setrlimit(resource.RLIMIT_DATA, (@@CAP@@ * 1024 ** 2, resource.RLIM_INFINITY))

# photo of the whole car park from the roof, phone camera in 48 MP mode
for d in detector.detectObjectsFromImage(input_image="roof/PXL_20240607_081533123.jpg",
                                         output_image_path="roof/PXL_081533_detected.jpg",
                                         minimum_percentage_probability=40):
    print(d["name"], d["percentage_probability"], d["box_points"])
'''

BIG_PHOTO_PREP = '''
import os
from PIL import Image, ImageDraw

os.makedirs("roof", exist_ok=True)
img = Image.new("RGB", (8000, 6000), (110, 110, 115))
d = ImageDraw.Draw(img)
for k in range(12):
    d.rectangle((300 + 600 * k, 2500, 700 + 600 * k, 3300), fill=(30 + 15 * k, 60, 160 - 10 * k))
img.save("roof/PXL_20240607_081533123.jpg", quality=85)
'''

# ------------------------------------------------------------------ GPU readout on a laptop without a driver
SCRIPTS["per-second-gpu-memory-readout-laptop-without-driver"] = '''
import torch
from imageai.Detection import VideoObjectDetection

# written on the Windows PC with the RTX card; the readout shows how full the GPU is while the counter runs


def per_second(second, arrays, counts, average):
    used = torch.cuda.memory_allocated(0) / 2**20
    total = torch.cuda.get_device_properties(0).total_memory / 2**20
    print(f"[{second:4d}s] people: {average.get('person', 0)}  GPU {used:.0f}/{total:.0f} MiB")


detector = VideoObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("tiny-yolov3.pt")
detector.loadModel()
detector.detectObjectsFromVideo(input_file_path="door/door_2024-06-05_1200.mp4", output_file_path="door/door_1200_count",
                                frames_per_second=10, per_second_function=per_second,
                                minimum_percentage_probability=40)
'''

# ------------------------------------------------------------------ cv2.TrackerCSRT_create under OpenCV 5
SCRIPTS["bird-tracker-csrt-from-2020-blog-opencv5"] = '''
import cv2
from imageai.Detection.Custom import CustomVideoObjectDetection

# detect once, then follow the bird with a CSRT tracker (from the 2020 "track birds at your feeder" post)
state = {"tracker": None, "path": []}


def per_frame(frame_number, output_array, output_count, frame):
    if state["tracker"] is None and output_array:
        x1, y1, x2, y2 = output_array[0]["box_points"]
        state["tracker"] = cv2.TrackerCSRT_create()
        state["tracker"].init(frame, (x1, y1, x2 - x1, y2 - y1))
    elif state["tracker"] is not None:
        ok, box = state["tracker"].update(frame)
        if ok:
            state["path"].append(box)


detector = CustomVideoObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("feeder/models/tiny-yolov3_feeder_mAP-0.55000_epoch-35.pt")
detector.setJsonPath("feeder/json/feeder_tiny-yolov3_detection_config.json")
detector.loadModel()
detector.detectObjectsFromVideo(input_file_path="feeder/clip_0645.mp4", output_file_path="feeder/clip_0645_tracked",
                                frames_per_second=10, per_frame_function=per_frame, return_detected_frame=True,
                                minimum_percentage_probability=30)
print(len(state["path"]), "tracked positions")
'''

# ------------------------------------------------------------------ spawn Process per camera with its VideoCapture
SCRIPTS["two-ip-camera-recordings-spawn-process-videocapture-arg"] = '''
import multiprocessing as mp

import cv2
from imageai.Detection import VideoObjectDetection

RECORDINGS = {"front": "nvr/front_2024-06-06_0900.mp4", "back": "nvr/back_2024-06-06_0900.mp4"}


def watch(name, capture):
    detector = VideoObjectDetection()
    detector.setModelTypeAsTinyYOLOv3()
    detector.setModelPath("tiny-yolov3.pt")
    detector.loadModel()
    detector.detectObjectsFromVideo(camera_input=capture, output_file_path=f"nvr/{name}_0900_detected",
                                    frames_per_second=10, minimum_percentage_probability=40)
    print(name, "done")


if __name__ == "__main__":
    mp.set_start_method("spawn")        # as on the shop's Windows PC
    workers = []
    for name, path in RECORDINGS.items():
        cap = cv2.VideoCapture(path)
        print(name, "opened:", cap.isOpened())
        p = mp.Process(target=watch, args=(name, cap))
        p.start()
        workers.append(p)
    for p in workers:
        p.join()
'''


def cases():
    out, add, script, notebook = case_builders("torch-more108-", SCRIPTS, CELLS)
    NB = ("ipython_cell", "ipython_arrows", "ipython_file_tilde?")
    P = ("cpython_basic", "progress_bars?")
    CD = ("cpython_basic", "chained_during")
    F = "imageai"
    tiny = coco_tiny()
    tiny_models = coco_tiny("models/tiny-yolov3.pt")
    busy = coco_tiny(obj=4.0)

    # ---- input files and formats
    script("petcam-phone-clip-MOV-typed-lowercase-preview-frame", "data.missing_or_corrupt", framework=F,
           argv="petcam_video.py", setup=both(tiny_models, clips('clip("videos/IMG_2041.MOV", 320, 180, 20)')))
    # ImageAI's video detection re-raises what it handled as one catch-all ValueError: the handled
    # exception is the failure (exception= names it)
    script("whatsapp-forwarded-clip-moov-atom-missing-video-complete-average", "data.missing_or_corrupt", exception="ZeroDivisionError",
           framework=F, forms=CD, argv="count_shop_door.py",
           setup=both(tiny, clips('clip("shop_door/VID-20240601-WA0007.mp4", 320, 240, 40)'), prep(TRUNCATE_PREP)))
    script("retinanet-pet-camera-app-gif-opened-with-pil", "data.image_channels", framework=F,
           argv="detect_moment.py", setup=both(retina("models/retinanet_resnet50_fpn_coco-eeacb38b.pth"),
                                               prep(GIF_PREP)))
    script("bird-feeder-daily-collage-two-camera-sizes-tqdm", "data.image_size_mismatch", framework=F, forms=P,
           argv="daily_collage.py",
           setup=both(tiny_models, imgs([(f"feeder_snaps/2024-05-18/{'cam1' if i % 3 else 'cam2'}_{i:03d}.jpg",
                                          (640, 480) if i % 3 else (1280, 720), "RGB") for i in range(8)])))

    # ---- callbacks and arguments
    notebook("video-complete-function-per-second-signature-notebook", "model.api_misuse", exception="TypeError", framework=F,
             forms=NB + ("chained_during",), setup=both(tiny, clips('clip("entrance/rec_2024-06-08_1000.mp4", 320, 240, 12, fps=5)')))
    script("parking-slots-scaled-float64-polylines-per-frame", "data.dtype", exception="error", framework=F, forms=CD,
           argv="watch_lot.py", extra={"lot/slots_1920.json": SLOTS_JSON},
           setup=both(tiny, clips('clip("lot/cam2_2024-06-03_0800.mp4", 640, 360, 12)')))
    script("parking-slots-xywh-from-labelling-tool-drawn-as-corners", "data.bbox_invalid", framework=F,
           argv="lot_snapshot.py", extra={"lot/slots_coco.json": SLOTS_COCO},
           setup=both(busy, imgs([("lot/snapshot_0815.jpg", (640, 360), "RGB")])))
    script("door-counter-fps-argparse-string-into-video-writer", "model.api_misuse", exception="error", framework=F, forms=CD,
           argv="count_people.py", args=("nvr/door_2024-06-04_1400.mp4", "--fps", "10"),
           setup=both(tiny_models, clips('clip("nvr/door_2024-06-04_1400.mp4", 320, 240, 20)')))
    script("custom-video-frames-per-second-zero-per-second-callback", "model.api_misuse", framework=F,
           argv="hedgehog_night.py",
           setup=both(custom_tiny('["hedgehog", "fox", "cat"]', "garden/models/tiny-yolov3_garden_mAP-0.61250_epoch-40.pt",
                                  "garden/json/garden_tiny-yolov3_detection_config.json"),
                      clips('clip("garden/night_2024-06-14_0213.mp4", 320, 240, 12)')))
    notebook("customobjects-built-before-model-type-notebook", "model.api_misuse", framework=F, forms=NB,
             setup=both(tiny, imgs([("petcam/snap_0930.jpg", (640, 480), "RGB")])))
    script("extract-detected-objects-return-tuple-iterated-as-detections", "model.api_misuse", framework=F,
           argv="feeder_crops.py",
           setup=both(tiny, imgs([(f"feeder_cam/IMG_{7100 + i}.jpg", (640, 480), "RGB") for i in range(2)])))
    notebook("output-type-array-result-to-imwrite-notebook", "model.api_misuse", framework=F, forms=NB,
             exception="error",
             setup=both(tiny, clips('clip("porch/porch_2024-06-02_1830.mp4", 320, 240, 5)')))
    script("screenshots-scandir-entries-as-input-image", "model.api_misuse", framework=F, argv="doorbell_screens.py",
           setup=both(tiny_models, imgs([(f"doorbell/screenshots/Screenshot_2024060{i}-1802{i}.png", (360, 640), "RGB")
                                         for i in range(1, 4)])))

    script("two-door-cameras-stacked-into-one-batch-array", "model.input_shape", also=["model.api_misuse"],
           framework=F, argv="door_batch.py",
           setup=both(prep(YOLOV3_PREP), clips('clip("nvr/front_2024-06-07_1100.mp4", 320, 240, 3)',
                                               'clip("nvr/side_2024-06-07_1100.mp4", 320, 240, 3, seed=1)')))

    # ---- output paths and runs
    script("driveway-clip-output-into-missing-dated-folder-then-nas-copy", "other",
           also=["data.missing_or_corrupt"], framework=F, argv="driveway.py",
           setup=both(tiny, clips('clip("nvr_export/driveway_2024-06-09_1715.mp4", 320, 240, 6)')))

    # ---- models and weights
    script("retinanet-hub-cache-glob-picks-fasterrcnn-checkpoint", "model.weights_mismatch", framework=F,
           argv="counter_cam.py",
           setup=both(prep(FRCNN_PREP), retina("hub_cache/checkpoints/retinanet_resnet50_fpn_coco-eeacb38b.pth"),
                      imgs([("shop/counter_cam.jpg", (640, 480), "RGB")])))
    notebook("imageclassification-mobilenet-v3-file-as-mobilenetv2-notebook", "model.weights_mismatch",
             framework=F, forms=NB, exception="RuntimeError",
             setup=both(prep(MBV3_PREP), imgs([("feeder/visitor_0712.jpg", (640, 480), "RGB")])))
    script("places365-resnet50-pth-tar-for-garden-scenes", "model.weights_mismatch", also=["model.api_misuse"],
           framework=F, argv="garden_scene.py",
           setup=both(prep(PLACES_PREP), imgs([("garden_cam/2024-06-12_0700.jpg", (640, 480), "RGB")])))

    # ---- memory, devices, versions, processes
    add("pi-like-box-import-imageai-classification-memory-cap", "resource.host_memory",
        {"kiosk_classify.py": SCRIPTS["pi-like-box-import-imageai-classification-memory-cap"].replace("@@CAP@@", "1000")},
        framework=F, argv=["kiosk_classify.py"],
        setup=imgs([("shelf_cam/latest.jpg", (640, 480), "RGB")]))
    add("retinanet-48mp-phone-photo-pi-like-box-memory-cap", "resource.host_memory",
        {"roof_count.py": SCRIPTS["retinanet-48mp-phone-photo-pi-like-box-memory-cap"].replace("@@CAP@@", "2048")},
        framework=F, argv=["roof_count.py"], timeout=400,
        setup=both(retina("models/retinanet_resnet50_fpn_coco-eeacb38b.pth"), prep(BIG_PHOTO_PREP)))
    script("per-second-gpu-memory-readout-laptop-without-driver", "env.cuda_setup", exception="RuntimeError", framework=F, forms=CD,
           argv="door_counter.py", setup=both(tiny, clips('clip("door/door_2024-06-05_1200.mp4", 320, 240, 25)')))
    script("bird-tracker-csrt-from-2020-blog-opencv5", "env.version_incompat", framework=F, argv="track_bird.py",
           setup=both(custom_tiny('["blue_tit", "robin", "sparrow"]',
                                  "feeder/models/tiny-yolov3_feeder_mAP-0.55000_epoch-35.pt",
                                  "feeder/json/feeder_tiny-yolov3_detection_config.json", obj=4.0),
                      clips('clip("feeder/clip_0645.mp4", 320, 240, 10)')))
    script("two-ip-camera-recordings-spawn-process-videocapture-arg", "env.multiprocessing", framework=F,
           argv="watch_cameras.py",
           setup=both(tiny, clips('clip("nvr/front_2024-06-06_0900.mp4", 320, 240, 10)',
                                  'clip("nvr/back_2024-06-06_0900.mp4", 320, 240, 10, seed=1)')))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=1))
