"""A seventy-second held-out set (g136, scored 0.87 top-1 and 0.96 top-3 before any rule for it) of ImageAI 3 / PyTorch failures, untargeted across the taxonomy.

The persona: people building video and camera projects on ImageAI 3 (imageai 3.0.3 on PyTorch): ``VideoObjectDetection``
and ``CustomVideoObjectDetection`` with per-frame / per-second callbacks, OpenCV capture loops over recorded clips
(the clips here are small real video files written with ``cv2.VideoWriter``: there is no camera), frames grabbed
from the clips to retrain a custom TinyYOLOv3 / YOLOv3 detector with ``DetectionModelTrainer``, counting and tracking
by hand, annotated frames saved, then a classifier on the crops with ``ClassificationModelTrainer`` or plain
torchvision. A natural mix of causes, each program built so that its cause is known by construction and made to
fail inside ImageAI, torch, torchvision, OpenCV or NumPy; none a repeat of the scenarios in the other generators:

- ImageAI 3 video detection: a screen-recording replay class handed to ``CustomVideoObjectDetection`` as
  ``camera_input`` that returns BGRA frames like ``mss`` (the letterbox broadcast, then ImageAI's bare
  ``warnings.warn()``, data.image_channels), the 3-class retrained detector loaded with the json config of the
  earlier 2-class run (model.weights_mismatch), a ``pathlib.Path`` ``output_file_path`` (model.api_misuse), a
  per-frame counting callback indexing ``counts["person"]`` on a frame with nobody in it (ImageAI's "your input
  video is invalid", other), per-second people counts from ``VideoObjectDetection`` used as ``int64`` targets of a
  Huber regression (data.dtype), every annotated 1080p frame kept by the callback for a highlight reel under the
  container's memory cap (resource.host_memory);
- OpenCV capture loops: a motion-triggered frame grabber whose background plate is a phone photo of the empty scene
  (``cv2.absdiff``, data.image_size_mismatch), event timestamps from the NVR seeking past the end of the trimmed
  export (``cv2.imwrite`` of ``None``, data.missing_or_corrupt), an annotated clip written with ``(height, width)``
  that is read back for training (no frames, DataLoader, data.missing_or_corrupt), ``cv2.VideoWriter_fourcc("mp4v")``
  without the star (model.api_misuse), deep_sort's ``Detection`` class with ``np.float`` under NumPy 2
  (env.version_incompat), frame extraction spread over a ``spawn`` ``ProcessPoolExecutor`` without a main guard
  (env.multiprocessing);
- DetectionModelTrainer on grabbed frames: pseudo-labels written with the COCO class ids of the video detector
  (tqdm, data.label_out_of_range), tracker boxes in full-resolution pixels normalised by the half-size frames saved
  to disk (data.bbox_invalid), a static camera whose three tracked boxes were propagated to every frame of the clip,
  for YOLOv3's nine anchors (data.too_few_boxes);
- classifiers on the crops: a lost track's box extrapolated past the left edge cut into an empty crop for the
  ``ClassificationModelTrainer`` folders (``cv2.imwrite``, data.bbox_invalid), ``ClassificationModelTrainer`` given the
  TinyYOLOv3 detector as ``transfer_from_model`` (model.weights_mismatch), one label per frame for all the crops of
  the frame (data.label_shape), a torchvision ResNet-18 whose 1000-way head was never replaced, trained with
  ``BCEWithLogitsLoss`` on one-hot targets (tqdm, model.output_mismatch), the crop CNN sized for the old camera's
  64 px crops fed the new camera's 96 px crops (notebook, model.input_shape), a people-count regressor on raw
  0-255 frames with SGD at 0.5 under anomaly mode (tqdm, optim.divergence), a re-identification gallery whose
  embeddings keep their graph across frames (notebook, optim.autograd_graph), a Colab notebook's
  ``torch.set_default_device("cuda")`` run on the laptop (notebook, env.cuda_setup).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None: the ImageAI
model files are ones an earlier training run or a faked download left on disk; the clips are written by the setup).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more72.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


from _record import (Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders,  # noqa: E402,F401
                     yolo_layout, save_tiny, save_cls, ANCHORS6)
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more72.py"

SCRIPTS = {}
CELLS = {}

# ------------------------------------------------------------------ setups
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


SAVE_TINY_BIASED = '''
import json
import os
import torch
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny

for p in ("@@PT@@", "@@JSON@@"):
    if os.path.dirname(p):
        os.makedirs(os.path.dirname(p), exist_ok=True)
anchors = @@ANCHORS@@
labels = @@LABELS@@
torch.manual_seed(0)
model = YoloV3Tiny(anchors=anchors, num_classes=len(labels))
with torch.no_grad():
    for conv in (model.conv10.conv, model.conv13.conv):
        for a in range(3):
            conv.bias[a * (5 + len(labels)) + 4] = @@OBJ@@
torch.save(model.state_dict(), "@@PT@@")
if "@@JSON@@":
    with open("@@JSON@@", "w") as f:
        json.dump({"labels": labels, "anchors": anchors}, f)
'''


def tiny_biased(labels_json, pt, js="", obj=-16.0):
    """a TinyYOLOv3 file whose objectness bias keeps it quiet (obj=-16: nothing detected)"""
    return prep(sub(SAVE_TINY_BIASED, ANCHORS=ANCHORS6, LABELS=labels_json, PT=pt, JSON=js, OBJ=repr(obj)))


COCO80 = "[f'coco_{i}' for i in range(80)]"  # ImageAI's ObjectDetection only needs 80 outputs


def coco_tiny(pt="models/tiny-yolov3.pt", obj=-16.0):
    """the COCO TinyYOLOv3 file of ImageAI's release page (faked: 80 classes, quiet objectness)"""
    return tiny_biased(COCO80, pt, "", obj=obj)


def boxes(nc=2, base=0):
    """YOLO rows (class cx cy w h, normalised), two boxes of varied size per image"""
    def rows(split, i):
        a = base + i % nc
        b = base + (i + 1) % nc
        return (f"{a} 0.{30 + i % 5} 0.{40 + i % 4} 0.{20 + 3 * (i % 4)} 0.{15 + 4 * (i % 3)}\n"
                f"{b} 0.{60 + i % 7} 0.{55 + i % 6} 0.{10 + 5 * (i % 3)} 0.{22 + 3 * (i % 4)}\n")
    return rows


# ================================================================== ImageAI 3 video detection
SCRIPTS["cvod-screen-replay-camera-input-bgra-frames"] = '''
"""Watch recordings of the SCADA dashboard for alarm pop-ups (the live version grabs the screen with mss)."""
import cv2
from imageai.Detection.Custom import CustomVideoObjectDetection


class ScreenReplay:
    """Stand-in for the live screen grabber while developing: replays a recorded session.
    mss.grab() hands out BGRA frames, so the replay does the same to keep the pipeline identical."""

    def __init__(self, path):
        self.cap = cv2.VideoCapture(path)

    def isOpened(self):
        return self.cap.isOpened()

    def get(self, prop):
        return self.cap.get(prop)

    def read(self):
        ok, frame = self.cap.read()
        if not ok:
            return ok, frame
        return ok, cv2.cvtColor(frame, cv2.COLOR_BGR2BGRA)

    def release(self):
        self.cap.release()


detector = CustomVideoObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("scada/models/tiny-yolov3_scada_popups_last.pt")
detector.setJsonPath("scada/json/scada_popups_tiny-yolov3_detection_config.json")
detector.loadModel()

alarms = []


def per_frame(frame_no, objects, counts):
    if counts.get("alarm_popup"):
        alarms.append(frame_no)


detector.detectObjectsFromVideo(camera_input=ScreenReplay("recordings/scada_2024-05-02_night.mp4"),
                                output_file_path="recordings/scada_2024-05-02_night_detected",
                                frames_per_second=5, per_frame_function=per_frame,
                                minimum_percentage_probability=40, log_progress=True)
print("alarm pop-ups in frames:", alarms)
'''

SCRIPTS["cvod-retrained-three-class-model-old-two-class-json"] = '''
import os

from imageai.Detection.Custom import CustomVideoObjectDetection

DATA = "parking_lot"
# retrained last night with "van" added; the json next to the script is the one from the first run
MODEL = os.path.join(DATA, "models", "tiny-yolov3_parking_lot_last.pt")
CONFIG = "parking_lot_tiny-yolov3_detection_config.json"

detector = CustomVideoObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath(MODEL)
detector.setJsonPath(CONFIG)
detector.loadModel()

occupancy = []
detector.detectObjectsFromVideo(input_file_path="clips/lot_cam2_0800.mp4",
                                output_file_path="clips/lot_cam2_0800_detected",
                                frames_per_second=10,
                                per_second_function=lambda s, arr, counts, avg: occupancy.append(avg))
print(occupancy)
'''

SCRIPTS["cvod-output-file-path-pathlib"] = '''
from pathlib import Path

from imageai.Detection.Custom import CustomVideoObjectDetection

CLIPS = Path("hive_cam")
OUT = Path("hive_cam") / "detected"
OUT.mkdir(exist_ok=True)

detector = CustomVideoObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath(str(CLIPS / "models" / "tiny-yolov3_bees_last.pt"))
detector.setJsonPath(str(CLIPS / "json" / "bees_tiny-yolov3_detection_config.json"))
detector.loadModel()

for clip in sorted(CLIPS.glob("*.mp4")):
    print("detecting", clip.name)
    detector.detectObjectsFromVideo(input_file_path=str(clip),
                                    output_file_path=OUT / clip.stem,
                                    frames_per_second=10, minimum_percentage_probability=30)
'''

SCRIPTS["vod-per-frame-callback-counts-person-key"] = '''
"""Count shoppers at the entrance: one row per frame with the number of people (COCO TinyYOLOv3)."""
import csv

from imageai.Detection import VideoObjectDetection

detector = VideoObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("models/tiny-yolov3.pt")
detector.loadModel()

rows = []


def per_frame(frame_no, objects, counts):
    rows.append((frame_no, counts["person"]))


custom = detector.CustomObjects(person=True)
detector.detectObjectsFromVideo(input_file_path="entrance/entrance_2024-06-01_0900.mp4",
                                output_file_path="entrance/entrance_2024-06-01_0900_people",
                                frames_per_second=10, per_frame_function=per_frame,
                                custom_objects=custom, minimum_percentage_probability=40)

with open("entrance/people_per_frame.csv", "w", newline="") as f:
    csv.writer(f).writerows(rows)
'''

SCRIPTS["vod-per-second-counts-regression-int64-targets"] = '''
"""Stage 1: ImageAI counts people per second on the recorded clip.
Stage 2: a tiny CNN learns to regress that count from the last frame of each second (to run on the Pi)."""
import cv2
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from imageai.Detection import VideoObjectDetection

detector = VideoObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("models/tiny-yolov3.pt")
detector.loadModel()

frames, counts = [], []


def per_second(second, frame_objects, frame_counts, average_counts, frame):
    frames.append(cv2.resize(frame, (128, 96)))
    counts.append(average_counts.get("person", 0))


detector.detectObjectsFromVideo(input_file_path="queue_cam/queue_0612_1200.mp4", save_detected_video=False,
                                frames_per_second=4, per_second_function=per_second,
                                return_detected_frame=True, minimum_percentage_probability=30)
print(f"{len(frames)} seconds labelled, counts {counts}")

x = torch.from_numpy(np.stack(frames)).permute(0, 3, 1, 2).float() / 255.0
y = torch.tensor(counts)

model = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2), nn.ReLU(),
                      nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 1))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(20):
    pred = model(x).squeeze(1)
    loss = F.huber_loss(pred, y, delta=2.0)     # robust to the odd miscounted second
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"epoch {epoch}: huber {loss.item():.3f}")
'''

SCRIPTS["vod-highlight-reel-annotated-1080p-frames-memory-cap"] = '''
"""Keep every annotated frame of the match so the best 20 seconds can be cut into a highlight reel."""
import resource

from imageai.Detection import VideoObjectDetection


def container_memory_cap(gib):
    # the editing box runs this in a container with a hard memory limit; same limit here
    vm = int(next(l for l in open("/proc/self/status") if l.startswith("VmSize")).split()[1]) * 1024
    resource.setrlimit(resource.RLIMIT_AS, (vm + int(gib * 2 ** 30), resource.RLIM_INFINITY))


detector = VideoObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("models/tiny-yolov3.pt")
detector.loadModel()
container_memory_cap(0.35)

annotated = []


def keep_frame(frame_no, objects, counts, frame):
    annotated.append(frame.copy())
    if frame_no % 10 == 0:
        print(f"frame {frame_no}: kept {len(annotated)} annotated frames", flush=True)


detector.detectObjectsFromVideo(input_file_path="match/u12_final_1080p.mp4", save_detected_video=False,
                                frames_per_second=25, per_frame_function=keep_frame, return_detected_frame=True)
print(len(annotated))
'''

# ================================================================== OpenCV capture loops
SCRIPTS["motion-grabber-absdiff-phone-background-plate"] = '''
"""Keep the frames where something moves in front of the bird feeder, for labelling in LabelImg."""
import os

import cv2

os.makedirs("feeder/to_label", exist_ok=True)

# photo of the empty feeder taken with the phone from the camera's spot
background = cv2.imread("feeder/empty_feeder.jpg")
bg = cv2.GaussianBlur(cv2.cvtColor(background, cv2.COLOR_BGR2GRAY), (21, 21), 0)

cap = cv2.VideoCapture("feeder/clips/feeder_0614_0712.mp4")
print("clip:", int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), "x", int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)),
      int(cap.get(cv2.CAP_PROP_FRAME_COUNT)), "frames")
kept = 0
frame_no = 0
while True:
    ok, frame = cap.read()
    if not ok:
        break
    frame_no += 1
    gray = cv2.GaussianBlur(cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY), (21, 21), 0)
    diff = cv2.absdiff(bg, gray)
    mask = cv2.threshold(diff, 25, 255, cv2.THRESH_BINARY)[1]
    if cv2.countNonZero(mask) > 0.01 * mask.size:
        cv2.imwrite(f"feeder/to_label/feeder_0614_{frame_no:05d}.jpg", frame)
        kept += 1
cap.release()
print(f"kept {kept} of {frame_no} frames")
'''

SCRIPTS["nvr-event-times-seek-past-end-of-trimmed-export"] = '''
"""Grab one frame per NVR motion event for the detector's training set."""
import csv
import os

import cv2

CLIP = "nvr_export/driveway_2024-03-09.mp4"     # exported from the NVR web UI
OUT = "driveway_dataset/train/images"
os.makedirs(OUT, exist_ok=True)

cap = cv2.VideoCapture(CLIP)
fps = cap.get(cv2.CAP_PROP_FPS)
print(f"{CLIP}: {cap.get(cv2.CAP_PROP_FRAME_COUNT):.0f} frames at {fps:.0f} fps")

with open("nvr_export/events_2024-03-09.csv") as f:
    events = list(csv.DictReader(f))

for ev in events:
    t = float(ev["offset_s"])                      # seconds since the start of the recording
    cap.set(cv2.CAP_PROP_POS_MSEC, t * 1000)
    ok, frame = cap.read()
    name = f"driveway_{ev['event_id']}.jpg"
    cv2.imwrite(os.path.join(OUT, name), frame)
    print("saved", name, "at", t, "s")
cap.release()
'''

NVR_EVENTS = "event_id,offset_s,type\n" + "".join(
    f"{1000 + i},{t},{k}\n" for i, (t, k) in enumerate([(0.4, "person"), (1.1, "vehicle"), (1.6, "person"),
                                                         (7.5, "vehicle"), (9.2, "person")]))

SCRIPTS["annotated-clip-writer-height-width-swapped-read-back"] = '''
"""1) run the detector over the clip and write an annotated copy  2) train the crop model on the annotated frames"""
import cv2
import torch
from torch.utils.data import DataLoader, Dataset
from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("forklift/models/tiny-yolov3_forklift_last.pt")
detector.setJsonPath("forklift/json/forklift_tiny-yolov3_detection_config.json")
detector.loadModel()

cap = cv2.VideoCapture("forklift/clips/aisle7_0930.mp4")
w, h = int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT))
fps = cap.get(cv2.CAP_PROP_FPS)
out = cv2.VideoWriter("forklift/clips/aisle7_0930_annotated.mp4", cv2.VideoWriter_fourcc(*"mp4v"), fps, (h, w))
n = 0
while True:
    ok, frame = cap.read()
    if not ok:
        break
    annotated, _ = detector.detectObjectsFromImage(input_image=frame, output_type="array",
                                                    minimum_percentage_probability=40)
    out.write(annotated)
    n += 1
cap.release()
out.release()
print(f"annotated {n} frames")


class AnnotatedFrames(Dataset):
    def __init__(self, path):
        cap = cv2.VideoCapture(path)
        self.frames = []
        while True:
            ok, frame = cap.read()
            if not ok:
                break
            self.frames.append(torch.from_numpy(cv2.resize(frame, (160, 120))).permute(2, 0, 1).float() / 255)
        cap.release()

    def __len__(self):
        return len(self.frames)

    def __getitem__(self, i):
        return self.frames[i]


ds = AnnotatedFrames("forklift/clips/aisle7_0930_annotated.mp4")
loader = DataLoader(ds, batch_size=8, shuffle=True)
for batch in loader:
    print(batch.shape)
'''

SCRIPTS["videowriter-fourcc-string-without-star"] = '''
import cv2
from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("dock/models/tiny-yolov3_dock_last.pt")
detector.setJsonPath("dock/json/dock_tiny-yolov3_detection_config.json")
detector.loadModel()

cap = cv2.VideoCapture("dock/clips/dock_door3_1405.mp4")
fps = cap.get(cv2.CAP_PROP_FPS)
size = (int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)))
fourcc = cv2.VideoWriter_fourcc("mp4v")
writer = cv2.VideoWriter("dock/clips/dock_door3_1405_boxes.mp4", fourcc, fps, size)
while True:
    ok, frame = cap.read()
    if not ok:
        break
    annotated, detections = detector.detectObjectsFromImage(input_image=frame, output_type="array")
    writer.write(annotated)
writer.release()
'''

DEEPSORT_DETECTION = '''
# vendored from nwojke/deep_sort (deep_sort/detection.py)
import numpy as np


class Detection(object):
    """
    This class represents a bounding box detection in a single image.

    Parameters
    ----------
    tlwh : array_like
        Bounding box in format `(x, y, w, h)`.
    confidence : float
        Detector confidence score.
    feature : array_like
        A feature vector that describes the object contained in this image.
    """

    def __init__(self, tlwh, confidence, feature):
        self.tlwh = np.asarray(tlwh, dtype=np.float)
        self.confidence = float(confidence)
        self.feature = np.asarray(feature, dtype=np.float32)

    def to_tlbr(self):
        ret = self.tlwh.copy()
        ret[2:] += ret[:2]
        return ret

    def to_xyah(self):
        ret = self.tlwh.copy()
        ret[:2] += ret[2:] / 2
        ret[2] /= ret[3]
        return ret
'''

SCRIPTS["deep-sort-detection-np-float-numpy2"] = '''
"""Track the carts in the clip: ImageAI boxes -> deep_sort detections -> tracker."""
import cv2
import numpy as np
from imageai.Detection.Custom import CustomObjectDetection

from deep_sort.detection import Detection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("carts/models/tiny-yolov3_carts_last.pt")
detector.setJsonPath("carts/json/carts_tiny-yolov3_detection_config.json")
detector.loadModel()

cap = cv2.VideoCapture("carts/clips/bay2_0715.mp4")
frame_no = 0
while True:
    ok, frame = cap.read()
    if not ok:
        break
    frame_no += 1
    _, found = detector.detectObjectsFromImage(input_image=frame, output_type="array",
                                               minimum_percentage_probability=30)
    dets = []
    for d in found:
        x1, y1, x2, y2 = d["box_points"]
        dets.append(Detection([x1, y1, x2 - x1, y2 - y1], d["percentage_probability"] / 100, np.zeros(128)))
    print(f"frame {frame_no}: {len(dets)} carts")
cap.release()
'''

SCRIPTS["frame-extraction-spawn-process-pool-no-main-guard"] = '''
"""Extract every 5th frame of all the clips in parallel (the team's Macs use 'spawn'; same here)."""
import glob
import multiprocessing as mp
import os
from concurrent.futures import ProcessPoolExecutor

import cv2

STEP = 5


def extract(path):
    name = os.path.splitext(os.path.basename(path))[0]
    out_dir = os.path.join("frames", name)
    os.makedirs(out_dir, exist_ok=True)
    cap = cv2.VideoCapture(path)
    i = saved = 0
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        if i % STEP == 0:
            cv2.imwrite(os.path.join(out_dir, f"{name}_{i:05d}.jpg"), frame)
            saved += 1
        i += 1
    cap.release()
    return name, saved


clips = sorted(glob.glob("clips/*.mp4"))
print(f"{len(clips)} clips to extract")
with ProcessPoolExecutor(max_workers=2, mp_context=mp.get_context("spawn")) as pool:
    for name, saved in pool.map(extract, clips):
        print(f"{name}: {saved} frames")
'''

# ================================================================== DetectionModelTrainer on grabbed frames
AUTOLABEL = '''
"""Pseudo-labels for the lane camera: the COCO video detector's boxes, written as YOLO rows."""
from imageai.Detection import ObjectDetection

COCO = ObjectDetection()
COCO.setModelTypeAsYOLOv3()
COCO.setModelPath("models/yolov3.pt")
COCO.loadModel()
COCO_IDS = {"car": 2, "truck": 7}


def yolo_rows(frame_path, w, h):
    rows = []
    for d in COCO.detectObjectsFromImage(input_image=frame_path, minimum_percentage_probability=50,
                                         custom_objects=COCO.CustomObjects(car=True, truck=True)):
        x1, y1, x2, y2 = d["box_points"]
        rows.append(f"{COCO_IDS[d['name']]} {(x1 + x2) / 2 / w:.6f} {(y1 + y2) / 2 / h:.6f} "
                    f"{(x2 - x1) / w:.6f} {(y2 - y1) / h:.6f}")
    return rows
'''


def coco_rows(split, i):
    # car = 2, truck = 7 in COCO's 80-class list
    a, b = (2, 7) if i % 2 else (7, 2)
    return (f"{a} 0.{30 + i % 5} 0.{40 + i % 4} 0.{20 + 3 * (i % 4)} 0.{15 + 4 * (i % 3)}\n"
            f"{b} 0.{60 + i % 7} 0.{55 + i % 6} 0.{10 + 5 * (i % 3)} 0.{22 + 3 * (i % 4)}\n")


SCRIPTS["det-trainer-pseudo-labels-coco-class-ids"] = '''
from imageai.Detection.Custom import DetectionModelTrainer

# frames grabbed from the lane camera clips, labelled by autolabel.py (the COCO detector), then checked by hand
trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="lane_cam")
trainer.setTrainConfig(object_names_array=["car", "truck"], batch_size=4, num_experiments=10,
                       train_from_pretrained_model="models/tiny-yolov3.pt")
trainer.trainModel()
'''

SCRIPTS["det-trainer-tracker-pixels-normalised-by-half-size-frames"] = '''
"""Turn the tracker's output on the 1280x720 clip into an ImageAI dataset and train TinyYOLOv3."""
import csv
import os

import cv2
from imageai.Detection.Custom import DetectionModelTrainer

CLASSES = ["kayak", "paddleboard"]
CLIP = "harbour/clips/slipway_1280x720.mp4"
DATA = "harbour/dataset"

tracks = {}
with open("harbour/tracks_slipway.csv") as f:          # frame,track_id,label,x1,y1,x2,y2 (clip pixels)
    for r in csv.DictReader(f):
        tracks.setdefault(int(r["frame"]), []).append(r)

cap = cv2.VideoCapture(CLIP)
frame_no = 0
while True:
    ok, frame = cap.read()
    if not ok:
        break
    frame_no += 1
    if frame_no not in tracks:
        continue
    split = "validation" if frame_no % 5 == 0 else "train"
    for sub_dir in ("images", "annotations"):
        os.makedirs(os.path.join(DATA, split, sub_dir), exist_ok=True)
    small = cv2.resize(frame, None, fx=0.5, fy=0.5)      # half size: the NAS is filling up
    name = f"slipway_{frame_no:05d}"
    cv2.imwrite(os.path.join(DATA, split, "images", name + ".jpg"), small)
    h, w = small.shape[:2]
    with open(os.path.join(DATA, split, "annotations", name + ".txt"), "w") as out:
        for r in tracks[frame_no]:
            x1, y1, x2, y2 = (float(r[k]) for k in ("x1", "y1", "x2", "y2"))
            out.write(f"{CLASSES.index(r['label'])} {(x1 + x2) / 2 / w:.6f} {(y1 + y2) / 2 / h:.6f} "
                      f"{(x2 - x1) / w:.6f} {(y2 - y1) / h:.6f}\\n")
cap.release()

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory=DATA)
trainer.setTrainConfig(object_names_array=CLASSES, batch_size=4, num_experiments=20)
trainer.trainModel()
'''

TRACKS_PREP = '''
import csv
with open("harbour/tracks_slipway.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["frame", "track_id", "label", "x1", "y1", "x2", "y2"])
    for fr in range(1, 13):
        w.writerow([fr, 1, "kayak", 80 + 20 * fr, 300, 80 + 20 * fr + 260, 380])
        if fr > 3:
            w.writerow([fr, 2, "paddleboard", 900 - 15 * fr, 420, 900 - 15 * fr + 180, 520])
'''

SCRIPTS["det-trainer-static-cam-tracked-boxes-copied-to-every-frame-yolov3"] = '''
import glob
import os

import numpy as np
from imageai.Detection.Custom import DetectionModelTrainer

DATA = "loading_bay"
rows = [np.loadtxt(p, ndmin=2) for p in glob.glob(os.path.join(DATA, "train", "annotations", "*.txt"))]
boxes = np.concatenate(rows)
print(f"{len(rows)} frames, {len(boxes)} boxes, {len(np.unique(boxes[:, 3:], axis=0))} distinct box sizes")

trainer = DetectionModelTrainer()
trainer.setModelTypeAsYOLOv3()
trainer.setDataDirectory(data_directory=DATA)
trainer.setTrainConfig(object_names_array=["pallet", "roll_cage"], batch_size=4, num_experiments=30)
trainer.trainModel()
'''


def static_cam_rows(split, i):
    # the tracker found the three parked objects in frame 1 and kept their boxes for the whole clip
    return ("0 0.250000 0.600000 0.180000 0.220000\n"
            "0 0.520000 0.610000 0.180000 0.220000\n"
            "1 0.800000 0.550000 0.120000 0.340000\n")


# ================================================================== classifiers on the crops
SCRIPTS["crops-lost-track-box-extrapolated-past-left-edge"] = '''
"""Cut the tracked people out of the clip into ClassificationModelTrainer folders (staff / visitor)."""
import csv
import os
import random

import cv2
from imageai.Classification.Custom import ClassificationModelTrainer

random.seed(0)
DATA = "lobby_crops"
tracks = {}
with open("lobby/tracks_lobby_0800.csv") as f:      # frame,track_id,label,x1,y1,x2,y2,state
    for r in csv.DictReader(f):
        tracks.setdefault(int(r["frame"]), []).append(r)

cap = cv2.VideoCapture("lobby/clips/lobby_0800.mp4")
frame_no = 0
n = 0
while True:
    ok, frame = cap.read()
    if not ok:
        break
    frame_no += 1
    for r in tracks.get(frame_no, []):
        x1, y1, x2, y2 = (int(float(r[k])) for k in ("x1", "y1", "x2", "y2"))
        crop = frame[y1:y2, x1:x2]
        split = "test" if random.random() < 0.25 else "train"
        out = os.path.join(DATA, split, r["label"])
        os.makedirs(out, exist_ok=True)
        cv2.imwrite(os.path.join(out, f"t{r['track_id']}_{frame_no:05d}.jpg"), crop)
        n += 1
cap.release()
print(f"{n} crops written")

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory(DATA)
trainer.trainModel(num_experiments=10, batch_size=8)
'''

LOBBY_TRACKS_PREP = '''
import csv
with open("lobby/tracks_lobby_0800.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["frame", "track_id", "label", "x1", "y1", "x2", "y2", "state"])
    for fr in range(1, 16):
        w.writerow([fr, 3, "staff", 200 - 6 * fr, 60, 240 - 6 * fr, 160, "tracked"])
        if fr <= 8:
            w.writerow([fr, 5, "visitor", 40 - 5 * fr, 70, 80 - 5 * fr, 170, "tracked"])
        else:
            # lost behind the pillar: the tracker keeps predicting with the last velocity
            x = 40 - 5 * 8 - 9 * (fr - 8)
            w.writerow([fr, 5, "visitor", x, 70, x + 40, 170, "lost"])
'''

SCRIPTS["cls-trainer-transfer-from-tiny-yolov3-detector"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

# crops of the detected birds, sorted by species; start from what the detector already learned on this camera
trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("feeder_crops")
trainer.trainModel(num_experiments=15, batch_size=4,
                   transfer_from_model="feeder/models/tiny-yolov3_feeder_last.pt")
'''

SCRIPTS["crops-collate-one-label-per-frame"] = '''
"""Vehicle-type classifier trained on all the vehicle crops of each sampled frame."""
import csv
import json

import cv2
import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader, Dataset

CLASSES = ["bus", "car", "van"]


class FrameCrops(Dataset):
    """one item = one frame of the clip: every vehicle crop in it (64x64) and the frame's label"""

    def __init__(self, clip, csv_path):
        with open(csv_path) as f:
            self.rows = list(csv.DictReader(f))   # frame,boxes (json list of x1,y1,x2,y2),vehicle
        self.cap = cv2.VideoCapture(clip)

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        self.cap.set(cv2.CAP_PROP_POS_FRAMES, int(r["frame"]))
        ok, frame = self.cap.read()
        crops = []
        for x1, y1, x2, y2 in json.loads(r["boxes"]):
            crop = cv2.resize(frame[y1:y2, x1:x2], (64, 64))
            crops.append(torch.from_numpy(crop).permute(2, 0, 1).float() / 255)
        return torch.stack(crops), CLASSES.index(r["vehicle"])


def collate(batch):
    crops = torch.cat([c for c, _ in batch])          # frames have different numbers of vehicles
    labels = torch.tensor([l for _, l in batch])
    return crops, labels


ds = FrameCrops("junction/clips/junction_0830.mp4", "junction/frames_0830.csv")
loader = DataLoader(ds, batch_size=4, shuffle=True, collate_fn=collate)
model = torchvision.models.mobilenet_v3_small(num_classes=len(CLASSES))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
for epoch in range(3):
    for x, y in loader:
        loss = loss_fn(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

JUNCTION_PREP = '''
import csv, json
with open("junction/frames_0830.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["frame", "boxes", "vehicle"])
    for i, fr in enumerate(range(2, 30, 3)):
        k = 1 + i % 3
        boxes = [[20 + 60 * j, 40, 70 + 60 * j, 100] for j in range(k)]
        w.writerow([fr, json.dumps(boxes), ["bus", "car", "van"][i % 3]])
'''

SCRIPTS["crop-resnet18-head-not-replaced-bce-one-hot-tqdm"] = '''
"""PPE check on the worker crops: helmet / no_helmet / hood, trained as independent sigmoids."""
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from torchvision import datasets, transforms
from tqdm import tqdm

tf = transforms.Compose([transforms.Resize((112, 112)), transforms.ToTensor()])
ds = datasets.ImageFolder("site_crops/train", tf)
loader = torch.utils.data.DataLoader(ds, batch_size=8, shuffle=True)
print(ds.class_to_idx)

model = torchvision.models.resnet18(weights=None)
loss_fn = nn.BCEWithLogitsLoss()
opt = torch.optim.SGD(model.parameters(), lr=1e-2, momentum=0.9)
for epoch in range(3):
    for x, y in tqdm(loader, desc=f"epoch {epoch}"):
        target = F.one_hot(y, num_classes=len(ds.classes)).float()
        loss = loss_fn(model(x), target)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

SCRIPTS["people-count-regressor-raw-frames-sgd-anomaly-tqdm"] = '''
"""Regress the number of people on the platform from the camera frame (targets: ImageAI's per-frame counts)."""
import csv

import cv2
import numpy as np
import torch
import torch.nn as nn
from tqdm import tqdm

torch.manual_seed(0)
torch.autograd.set_detect_anomaly(True)

counts = {int(r["frame"]): float(r["people"]) for r in csv.DictReader(open("platform/people_per_frame.csv"))}
cap = cv2.VideoCapture("platform/clips/platform2_0745.mp4")
frames, targets = [], []
i = 0
while True:
    ok, frame = cap.read()
    if not ok:
        break
    i += 1
    if i in counts:
        frames.append(cv2.resize(frame, (160, 120)))
        targets.append(counts[i])
x = torch.from_numpy(np.stack(frames)).permute(0, 3, 1, 2).float()      # raw 0-255 pixels
y = torch.tensor(targets).unsqueeze(1)

model = nn.Sequential(nn.Conv2d(3, 8, 5, stride=2), nn.ReLU(), nn.Conv2d(8, 16, 5, stride=2), nn.ReLU(),
                      nn.Flatten(), nn.LazyLinear(1))
model(x[:1])
opt = torch.optim.SGD(model.parameters(), lr=0.5)
for epoch in range(10):
    for s in tqdm(range(0, len(x), 4), desc=f"epoch {epoch}"):
        pred = model(x[s:s + 4])
        loss = nn.functional.mse_loss(pred, y[s:s + 4])
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: mse {loss.item():.3f}")
'''

PLATFORM_PREP = '''
import csv
with open("platform/people_per_frame.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["frame", "people"])
    for fr in range(1, 41):
        w.writerow([fr, 3 + (fr * 7) % 11])
'''

# ---- notebooks
CELLS["crop-cnn-sized-for-64px-crops-new-camera-96px-notebook"] = [
    '''import cv2
import torch
import torch.nn as nn

class CropNet(nn.Module):
    """the small parcel/no-parcel classifier trained on the old camera's 64x64 crops"""
    def __init__(self, n_classes=2):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(64 * 8 * 8, 128), nn.ReLU(), nn.Linear(128, n_classes))

    def forward(self, x):
        return self.head(self.features(x))

net = CropNet()
net.load_state_dict(torch.load("porch/models/cropnet_parcel.pt", map_location="cpu"))
net.eval()''',
    '''# the new doorbell camera is 1280x720: crop the doormat zone at 96x96 like before (it was 64x64 on the old one)
cap = cv2.VideoCapture("porch/clips/doorbell_1280_0211.mp4")
crops = []
while True:
    ok, frame = cap.read()
    if not ok:
        break
    crops.append(frame[560:656, 600:696])
cap.release()
len(crops), crops[0].shape''',
    '''x = torch.stack([torch.from_numpy(c).permute(2, 0, 1).float() / 255 for c in crops])
with torch.no_grad():
    probs = net(x).softmax(1)
probs[:, 1].mean()''',
]

CROPNET_PREP = '''
import os, torch, torch.nn as nn
os.makedirs("porch/models", exist_ok=True)
features = nn.Sequential(
    nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
head = nn.Sequential(nn.Flatten(), nn.Linear(64 * 8 * 8, 128), nn.ReLU(), nn.Linear(128, 2))
sd = {"features." + k: v for k, v in features.state_dict().items()}
sd.update({"head." + k: v for k, v in head.state_dict().items()})
torch.save(sd, "porch/models/cropnet_parcel.pt")
'''

CELLS["reid-gallery-embeddings-keep-graph-across-frames-notebook"] = [
    '''import cv2
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

torch.manual_seed(0)
# online re-identification for the counter: a small embedding net fine-tuned while the clip plays
embed = torchvision.models.mobilenet_v3_small(num_classes=64)
opt = torch.optim.Adam(embed.parameters(), lr=1e-4)

def crops_of(frame, boxes):
    out = [cv2.resize(frame[y1:y2, x1:x2], (96, 96)) for x1, y1, x2, y2 in boxes]
    return torch.stack([torch.from_numpy(c).permute(2, 0, 1).float() / 255 for c in out])''',
    '''# boxes of the two tracked shoppers (from the ImageAI detector run earlier), same ids in every frame
boxes = [(30, 40, 90, 200), (170, 50, 230, 210)]
cap = cv2.VideoCapture("store/clips/aisle3_1015.mp4")
gallery = None          # embeddings of the previous frame, one row per track id
step = 0
while True:
    ok, frame = cap.read()
    if not ok:
        break
    emb = F.normalize(embed(crops_of(frame, boxes)), dim=1)
    if gallery is not None:
        # same id -> close to last frame's embedding, other id -> far (margin 0.3)
        pos = (emb - gallery).pow(2).sum(1)
        neg = (emb - gallery.flip(0)).pow(2).sum(1)
        loss = F.relu(pos - neg + 0.3).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
    gallery = emb
cap.release()
print("steps", step)''',
]

CELLS["colab-notebook-default-device-cuda-on-laptop-notebook"] = [
    '''# from the Colab notebook "train the crop classifier" (downloaded as .ipynb, run on the laptop)
import torch
torch.set_default_device("cuda")   # Colab tip: no more .to(device) everywhere
import torch.nn as nn
import torchvision
from torchvision import datasets, transforms''',
    '''tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])
ds = datasets.ImageFolder("deer_crops/train", tf)
len(ds), ds.classes''',
    '''model = torchvision.models.mobilenet_v2(num_classes=len(ds.classes))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)''',
]


def cases():
    out, add, script, notebook = case_builders("torch-more72-", SCRIPTS, CELLS)
    P = ("cpython_basic", "progress_bars")
    T = 400

    # ---- ImageAI 3 video detection
    script("cvod-screen-replay-camera-input-bgra-frames", "data.image_channels", also=["model.api_misuse"],
           framework="imageai", argv="dashboard_watch.py", forms=("cpython_basic", "chained_during"),
           setup=both(tiny_biased('["alarm_popup", "warning_badge"]', "scada/models/tiny-yolov3_scada_popups_last.pt",
                                  "scada/json/scada_popups_tiny-yolov3_detection_config.json", obj=-16.0),
                      clips('clip("recordings/scada_2024-05-02_night.mp4", 320, 200, 12, fps=5)')))
    script("cvod-retrained-three-class-model-old-two-class-json", "model.weights_mismatch",
           also=["model.output_mismatch", "model.api_misuse"], framework="imageai", argv="lot_occupancy.py",
           forms=("cpython_basic", "chained_during"),
           setup=both(tiny_biased('["car", "motorbike", "van"]', "parking_lot/models/tiny-yolov3_parking_lot_last.pt",
                                  "parking_lot/json/parking_lot_tiny-yolov3_detection_config.json"),
                      tiny_biased('["car", "motorbike"]', "old_run/tiny-yolov3_parking_lot_last.pt",
                                  "parking_lot_tiny-yolov3_detection_config.json"),
                      clips('clip("clips/lot_cam2_0800.mp4", 320, 240, 10)')))
    script("cvod-output-file-path-pathlib", "model.api_misuse", framework="imageai", argv="detect_hive.py",
           setup=both(tiny_biased('["bee", "wasp"]', "hive_cam/models/tiny-yolov3_bees_last.pt",
                                  "hive_cam/json/bees_tiny-yolov3_detection_config.json"),
                      clips('clip("hive_cam/entrance_0701_0600.mp4", 320, 240, 8)',
                            'clip("hive_cam/entrance_0701_0700.mp4", 320, 240, 8, seed=1)')))
    script("vod-per-frame-callback-counts-person-key", "other", also=["model.api_misuse"], framework="imageai",
           argv="count_entrance.py", forms=("cpython_basic", "chained_during"),
           setup=both(coco_tiny(), clips('clip("entrance/entrance_2024-06-01_0900.mp4", 320, 240, 10)')))
    script("vod-per-second-counts-regression-int64-targets", "data.dtype", framework="imageai",
           argv="queue_counter.py", timeout=T,
           setup=both(coco_tiny(), clips('clip("queue_cam/queue_0612_1200.mp4", 320, 240, 16, fps=4)')))
    script("vod-highlight-reel-annotated-1080p-frames-memory-cap", "resource.host_memory", framework="imageai",
           argv="highlights.py", timeout=T,
           setup=both(coco_tiny(), clips('clip("match/u12_final_1080p.mp4", 1920, 1080, 90, fps=25)')))

    # ---- OpenCV capture loops
    script("motion-grabber-absdiff-phone-background-plate", "data.image_size_mismatch", argv="grab_motion.py",
           setup=both(clips('clip("feeder/clips/feeder_0614_0712.mp4", 640, 360, 20)'),
                      imgs([("feeder/empty_feeder.jpg", (1280, 720), "RGB")])))
    script("nvr-event-times-seek-past-end-of-trimmed-export", "data.missing_or_corrupt", argv="grab_events.py",
           setup=both(clips('clip("nvr_export/driveway_2024-03-09.mp4", 320, 240, 40)'),
                      write("nvr_export/events_2024-03-09.csv", NVR_EVENTS)))
    script("annotated-clip-writer-height-width-swapped-read-back", "data.missing_or_corrupt",
           also=["model.api_misuse"], framework="imageai", argv="annotate_and_train.py",
           setup=both(tiny_biased('["forklift", "person"]', "forklift/models/tiny-yolov3_forklift_last.pt",
                                  "forklift/json/forklift_tiny-yolov3_detection_config.json"),
                      clips('clip("forklift/clips/aisle7_0930.mp4", 320, 240, 8)')))
    script("videowriter-fourcc-string-without-star", "model.api_misuse", framework="imageai",
           argv="annotate_dock.py",
           setup=both(tiny_biased('["truck", "pallet"]', "dock/models/tiny-yolov3_dock_last.pt",
                                  "dock/json/dock_tiny-yolov3_detection_config.json"),
                      clips('clip("dock/clips/dock_door3_1405.mp4", 320, 240, 6)')))
    script("deep-sort-detection-np-float-numpy2", "env.version_incompat", framework="imageai",
           argv="track_carts.py",
           extra={"deep_sort/__init__.py": "", "deep_sort/detection.py": DEEPSORT_DETECTION},
           setup=both(tiny_biased('["cart"]', "carts/models/tiny-yolov3_carts_last.pt",
                                  "carts/json/carts_tiny-yolov3_detection_config.json", obj=4.0),
                      clips('clip("carts/clips/bay2_0715.mp4", 320, 240, 6)')))
    script("frame-extraction-spawn-process-pool-no-main-guard", "env.multiprocessing", argv="extract_frames.py",
           exception="BrokenProcessPool",
           setup=clips('clip("clips/gate_0600.mp4", 320, 240, 20)', 'clip("clips/gate_0700.mp4", 320, 240, 20, seed=1)',
                       'clip("clips/gate_0800.mp4", 320, 240, 20, seed=2)'))

    # ---- DetectionModelTrainer on grabbed frames
    script("det-trainer-pseudo-labels-coco-class-ids", "data.label_out_of_range", also=["model.output_mismatch"],
           framework="imageai", forms=P, argv="train_lane_cam.py", timeout=T, extra={"autolabel.py": AUTOLABEL},
           setup=both(coco_tiny(obj=0.0), yolo_layout("lane_cam", coco_rows, size=(320, 240))))
    script("det-trainer-tracker-pixels-normalised-by-half-size-frames", "data.bbox_invalid", framework="imageai",
           argv="build_and_train.py", timeout=T,
           setup=both(clips('clip("harbour/clips/slipway_1280x720.mp4", 1280, 720, 12)'), prep(TRACKS_PREP)))
    script("det-trainer-static-cam-tracked-boxes-copied-to-every-frame-yolov3", "data.too_few_boxes",
           framework="imageai", argv="train_bay.py", timeout=T,
           setup=yolo_layout("loading_bay", static_cam_rows, size=(320, 240), splits=(("train", 10), ("validation", 2))))

    # ---- classifiers on the crops
    script("crops-lost-track-box-extrapolated-past-left-edge", "data.bbox_invalid", framework="imageai",
           argv="crops_to_folders.py",
           setup=both(clips('clip("lobby/clips/lobby_0800.mp4", 320, 240, 15)'), prep(LOBBY_TRACKS_PREP)))
    script("cls-trainer-transfer-from-tiny-yolov3-detector", "model.weights_mismatch", also=["model.api_misuse"],
           framework="imageai", argv="train_species.py", timeout=T,
           setup=both(tiny_biased('["bird", "squirrel"]', "feeder/models/tiny-yolov3_feeder_last.pt",
                                  "feeder/json/feeder_tiny-yolov3_detection_config.json"),
                      imgs(class_folder("feeder_crops/train", ["blue_tit", "great_tit", "robin"], 3, size=(80, 80))
                           + class_folder("feeder_crops/test", ["blue_tit", "great_tit", "robin"], 1, size=(80, 80)))))
    script("crops-collate-one-label-per-frame", "data.label_shape", argv="train_vehicle_type.py",
           setup=both(clips('clip("junction/clips/junction_0830.mp4", 320, 240, 32)'), prep(JUNCTION_PREP)))
    script("crop-resnet18-head-not-replaced-bce-one-hot-tqdm", "model.output_mismatch", also=["data.label_shape"],
           forms=P, argv="train_ppe.py",
           setup=imgs(class_folder("site_crops/train", ["helmet", "hood", "no_helmet"], 4, size=(60, 120))))
    script("people-count-regressor-raw-frames-sgd-anomaly-tqdm", "optim.divergence", forms=P,
           argv="train_counter.py",
           setup=both(clips('clip("platform/clips/platform2_0745.mp4", 320, 240, 40)'), prep(PLATFORM_PREP)))
    notebook("crop-cnn-sized-for-64px-crops-new-camera-96px-notebook", "model.input_shape",
             setup=both(prep(CROPNET_PREP), clips('clip("porch/clips/doorbell_1280_0211.mp4", 1280, 720, 6)')))
    notebook("reid-gallery-embeddings-keep-graph-across-frames-notebook", "optim.autograd_graph",
             setup=clips('clip("store/clips/aisle3_1015.mp4", 320, 240, 6)'))
    notebook("colab-notebook-default-device-cuda-on-laptop-notebook", "env.cuda_setup",
             setup=imgs(class_folder("deer_crops/train", ["doe", "fawn", "stag"], 3, size=(80, 80))))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
