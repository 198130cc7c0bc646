"""A twenty-second held-out set of PyTorch / torchvision / ImageAI 3 failures a
first-time trainer hits: custom Dataset classes and transforms that let odd
images through (a SimCLR second view without a resize, a ffmpeg thumbnail among
a clip's frames, edge tiles of a slide, a Grayscale step copied from an MNIST
tutorial, depth PNGs opened as RGB, zero-byte scraped files, an interrupted
Kaggle zip); boxes read in the wrong column order or drawn right to left;
labels that do not fit the head (UTKFace age bins, 1-based retinopathy grades,
TenCrop labels never repeated, features extracted with ``drop_last``); a float
index for frame sampling; inputs laid out the wrong way (video clips as
T, C, H, W, a CRNN without the permute); heads and weights that do not fit
(an ImageNet teacher, a pose head left at COCO's 17 keypoints, small MobileNetV3
weights in the large model); a safetensors file given to ``torch.load`` without
the safetensors package; calls
made wrongly (a collate function called at construction, Kaiming init on
BatchNorm weights); a crowd-counting regressor diverging to inf at lr 1 and
a hand-written log-softmax giving NaN; autograd misuse (an attention gate multiplying its skip input in
place, an R1 penalty on detached images, copying pretrained weights into a
slice of a leaf, FGSM on inference tensors); a whole-slide ``unfold`` with
stride 1; a multiprocessing Pool inside ``__getitem__`` and an sqlite handle
under spawn; APIs gone in torch 2 / torchvision / numpy 2 / Pillow 10; a CUDA
default device on a CPU runtime; DDP ``all_reduce`` of a Python float; ImageAI
detection fed class sub-folders, mostly-empty label files and a zero-byte frame.

Every case is a small real program run on CPU with the torch venv (no GPU, no
downloads: "pretrained" weights are files an earlier run left on disk); the
label is known by construction (what the program breaks).

    /work/venvs/torch/bin/python corpus/generators/torch_more22.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _record import both, case_builders, class_folder, imgs, make_images, prep, run_cases, sub, write  # noqa: E402,F401

SRC = "corpus/generators/torch_more22.py"


# ====================================================================== setups
flowers = imgs(class_folder("flowers/train", ("daisy", "rose", "tulip"), 3, size=(64, 64)))

# unlabelled photos of mixed sizes (phone + web) for self-supervised pre-training
unlabelled = imgs([(f"unlabelled/img_{i:04d}.jpg", size, "RGB")
                   for i, size in enumerate(((120, 90), (96, 96), (90, 120), (128, 96), (96, 96), (100, 75)))])

# action clips extracted with ffmpeg: frame_%04d.jpg plus the thumbnail ffmpeg's -vf thumbnail wrote
clips = imgs([(f"clips/{c}/{c}_{k:02d}/frame_{i:04d}.jpg", (64, 48), "RGB")
              for c in ("jump", "run", "walk") for k in range(2) for i in range(1, 9)]
             + [(f"clips/run/run_01/thumb.jpg", (32, 24), "RGB")])

# a whole-slide export cut into 64 px tiles (edges smaller)
slides = imgs([(f"slides/{s}.png", (150, 128), "RGB") for s in ("slide_001", "slide_002")])

# RGB-D captures: colour jpg + 16-bit depth png per frame
rgbd = prep('''
    import os
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(1)
    for c in ("bottle", "cup", "mug"):
        os.makedirs(f"rgbd/{c}", exist_ok=True)
        for i in range(3):
            Image.fromarray(rng.integers(0, 255, (48, 64, 3), dtype=np.uint8)).save(f"rgbd/{c}/{i:03d}_color.jpg")
            Image.fromarray(rng.integers(300, 4000, (48, 64), dtype=np.uint16)).save(f"rgbd/{c}/{i:03d}_depth.png")
''')

# Open Images style box CSV (XMin, XMax, YMin, YMax normalised)
open_images = both(
    imgs([(f"oidv6/train/{iid}.jpg", (160, 120), "RGB") for iid in
          ("000a1249af2bc5f0", "000ada55d36b4bcb", "0010b9d3d1a8f8c3", "00146ba1e50ed8d8", "0019e544c79847f5")]),
    write("oidv6/boxes.csv", "ImageID,XMin,XMax,YMin,YMax,LabelName\n"
          "000a1249af2bc5f0,0.10,0.45,0.20,0.90,Cat\n"
          "000ada55d36b4bcb,0.05,0.60,0.10,0.70,Dog\n"
          "0010b9d3d1a8f8c3,0.30,0.95,0.15,0.55,Cat\n"
          "00146ba1e50ed8d8,0.62,0.98,0.05,0.40,Dog\n"
          "0019e544c79847f5,0.20,0.50,0.25,0.75,Cat\n"))

# VIA export of rectangles used to rasterise weak masks; one drawn from the bottom-right corner
via_boxes = both(
    imgs([(f"parking/images/lot_{i:02d}.jpg", (160, 120), "RGB") for i in range(4)]),
    write("parking/via_export.json", '''{
  "lot_00.jpg": {"filename": "lot_00.jpg", "regions": [
    {"shape_attributes": {"name": "rect", "x": 12, "y": 30, "width": 40, "height": 22}, "region_attributes": {"label": "car"}}]},
  "lot_01.jpg": {"filename": "lot_01.jpg", "regions": [
    {"shape_attributes": {"name": "rect", "x": 70, "y": 18, "width": 35, "height": 25}, "region_attributes": {"label": "car"}},
    {"shape_attributes": {"name": "rect", "x": 20, "y": 60, "width": 44, "height": 30}, "region_attributes": {"label": "car"}}]},
  "lot_02.jpg": {"filename": "lot_02.jpg", "regions": [
    {"shape_attributes": {"name": "rect", "x": 131, "y": 88, "width": -46, "height": -27}, "region_attributes": {"label": "car"}}]},
  "lot_03.jpg": {"filename": "lot_03.jpg", "regions": [
    {"shape_attributes": {"name": "rect", "x": 5, "y": 5, "width": 30, "height": 20}, "region_attributes": {"label": "car"}}]}
}
'''))

# UTKFace: [age]_[gender]_[race]_[date&time].jpg.chip.jpg
utkface = imgs([(f"UTKFace/{age}_{g}_{r}_2017011{i}1725{i:02d}.jpg.chip.jpg", (64, 64), "RGB")
                for i, (age, g, r) in enumerate(((26, 0, 1), (35, 1, 0), (8, 0, 2), (54, 1, 3),
                                                 (67, 0, 0), (41, 1, 1), (101, 1, 0), (19, 0, 4)))])

# fundus photos + the clinic's grading sheet (grades written 1-5)
fundus = both(
    imgs([(f"fundus/IM{i:04d}.jpg", (64, 64), "RGB") for i in range(8)]),
    write("fundus/grades.csv", "image,grade\n" + "".join(f"IM{i:04d}.jpg,{g}\n" for i, g in
                                                       enumerate((1, 3, 2, 1, 5, 4, 2, 1)))))

# short clips saved as uint8 npy arrays (T, H, W, C)
npy_clips = prep('''
    import os
    import numpy as np
    rng = np.random.default_rng(2)
    for c in ("fall", "sit", "stand"):
        os.makedirs(f"clips_npy/{c}", exist_ok=True)
        for i in range(3):
            np.save(f"clips_npy/{c}/clip_{i:02d}.npy", rng.integers(0, 255, (20 + 3 * i, 32, 32, 3), dtype=np.uint8))
''')

# scraped product photos: two downloads failed and left zero-byte files
scraped = imgs([(f"scraped/{c}/{c}_{i:03d}.jpg", (64, 64), "empty" if (c, i) in (("boots", 2), ("sneakers", 1)) else "RGB")
                for c in ("boots", "sandals", "sneakers") for i in range(4)])

# a Kaggle archive whose download was interrupted
kaggle_zip = prep('''
    import io, zipfile
    import numpy as np
    from PIL import Image
    buf = io.BytesIO()
    rng = np.random.default_rng(3)
    with zipfile.ZipFile(buf, "w") as z:
        for split in ("train", "test"):
            for c in ("NORMAL", "PNEUMONIA"):
                for i in range(3):
                    b = io.BytesIO()
                    Image.fromarray(rng.integers(0, 255, (64, 64), dtype=np.uint8)).save(b, format="JPEG")
                    z.writestr(f"chest_xray/{split}/{c}/{c}_{i}.jpeg", b.getvalue())
    data = buf.getvalue()
    open("chest-xray-pneumonia.zip", "wb").write(data[: len(data) * 2 // 3])
''')

words = imgs([(f"words/{w}.png", (128, 32), "L") for w in ("hello", "world", "train", "model", "torch", "vision")])

# an ImageNet resnet18 and a fine-tuned student-sized head file
r18 = prep('''
    import os, torch, torchvision
    os.makedirs("weights", exist_ok=True)
    torch.save(torchvision.models.resnet18().state_dict(), "weights/resnet18-f37072fd.pth")
''')

mnv3_small = prep('''
    import os, torch, torchvision
    os.makedirs("weights", exist_ok=True)
    torch.save(torchvision.models.mobilenet_v3_small().state_dict(), "weights/mobilenet_v3_small-047dcff4.pth")
''')

# a Hugging Face style model.safetensors written by hand (header + raw little-endian float32)
safetensors_file = prep('''
    import json, os, struct
    import torch, torchvision
    sd = torchvision.models.resnet18(num_classes=5).state_dict()
    header, blobs, off = {}, [], 0
    for k, v in sd.items():
        if v.dtype != torch.float32:
            v = v.float()
        b = v.contiguous().numpy().tobytes()
        header[k] = {"dtype": "F32", "shape": list(v.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    header["__metadata__"] = {"format": "pt"}
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    os.makedirs("hf_model", exist_ok=True)
    with open("hf_model/model.safetensors", "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)
    json.dump({"architectures": ["ResNetForImageClassification"], "num_labels": 5},
              open("hf_model/config.json", "w"))
''')

# pedestrian crops with 4 keypoints (head, hip, left foot, right foot) in COCO-like json
keypoint_data = both(
    imgs([(f"pedestrians/img_{i:02d}.jpg", (160, 128), "RGB") for i in range(4)]),
    write("pedestrians/annotations.json", '''{"images": [
  {"file_name": "img_00.jpg", "boxes": [[20, 10, 70, 120]], "keypoints": [[[45, 20, 2], [45, 70, 2], [35, 115, 2], [58, 116, 2]]]},
  {"file_name": "img_01.jpg", "boxes": [[80, 5, 140, 125]], "keypoints": [[[110, 15, 2], [108, 66, 2], [95, 120, 1], [125, 121, 2]]]},
  {"file_name": "img_02.jpg", "boxes": [[10, 20, 60, 126]], "keypoints": [[[35, 28, 2], [34, 75, 2], [25, 122, 2], [48, 122, 2]]]},
  {"file_name": "img_03.jpg", "boxes": [[60, 8, 120, 124]], "keypoints": [[[90, 18, 2], [91, 68, 2], [75, 118, 2], [104, 119, 0]]]}
]}
'''))

# polyp photos + binary masks
polyps = prep('''
    import os
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(4)
    os.makedirs("kvasir/images", exist_ok=True)
    os.makedirs("kvasir/masks", exist_ok=True)
    for i in range(6):
        Image.fromarray(rng.integers(0, 255, (64, 64, 3), dtype=np.uint8)).save(f"kvasir/images/cju{i:04d}.jpg")
        m = np.zeros((64, 64), np.uint8)
        m[10 + i:40 + i, 12:44] = 255
        Image.fromarray(m).save(f"kvasir/masks/cju{i:04d}.png")
''')

# 5-band Sentinel-2 chips saved as npy (B2, B3, B4, B8, B11)
sentinel = prep('''
    import os
    import numpy as np
    rng = np.random.default_rng(5)
    for c in ("crop", "forest", "urban"):
        os.makedirs(f"eurosat_ms/{c}", exist_ok=True)
        for i in range(3):
            np.save(f"eurosat_ms/{c}/{c}_{i}.npy", rng.random((5, 64, 64), dtype=np.float32))
''')

# crowd images + head points (x y per line)
mall = prep('''
    import os
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(11)
    os.makedirs("mall/images", exist_ok=True)
    os.makedirs("mall/points", exist_ok=True)
    for i in range(4):
        Image.fromarray(rng.integers(0, 255, (96, 128, 3), dtype=np.uint8)).save(f"mall/images/seq_{i:06d}.jpg")
        n = 20 + 5 * i
        np.savetxt(f"mall/points/seq_{i:06d}.txt", np.c_[rng.uniform(0, 128, n), rng.uniform(0, 96, n)], fmt="%.1f")
''')

wsi = imgs([("wsi/TCGA-A1-A0SB-01Z.jpg", (1024, 1024), "RGB")])

tiles_per_slide = prep('''
    import os
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(6)
    for s in ("slide_a", "slide_b", "slide_c", "slide_d"):
        os.makedirs(f"tiles/{s}", exist_ok=True)
        for t in range(4):
            Image.fromarray(rng.integers(0, 255, (32, 32, 3), dtype=np.uint8)).save(f"tiles/{s}/tile_{t:02d}.png")
''')

labels_db = prep('''
    import os, sqlite3
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(7)
    os.makedirs("herbarium/images", exist_ok=True)
    con = sqlite3.connect("herbarium/metadata.db")
    con.execute("CREATE TABLE specimens (id INTEGER PRIMARY KEY, file TEXT, family_id INTEGER)")
    for i in range(8):
        f = f"sheet_{i:05d}.jpg"
        Image.fromarray(rng.integers(0, 255, (64, 48, 3), dtype=np.uint8)).save(f"herbarium/images/{f}")
        con.execute("INSERT INTO specimens (file, family_id) VALUES (?, ?)", (f, i % 3))
    con.commit()
    con.close()
''')

voc_small = both(
    imgs([(f"VOC_mini/JPEGImages/2008_{i:06d}.jpg", (160, 120), "RGB") for i in (12, 47, 103)]),
    prep('''
        import os
        os.makedirs("VOC_mini/Annotations", exist_ok=True)
        objs = {12: [("dog", 10, 20, 90, 110)], 47: [("person", 30, 5, 80, 118), ("bicycle", 60, 50, 150, 115)],
                103: [("cat", 40, 30, 120, 100)]}
        for i, boxes in objs.items():
            body = "".join(f"<object><name>{n}</name><difficult>0</difficult><bndbox><xmin>{a}</xmin><ymin>{b}</ymin>"
                           f"<xmax>{c}</xmax><ymax>{d}</ymax></bndbox></object>" for n, a, b, c, d in boxes)
            open(f"VOC_mini/Annotations/2008_{i:06d}.xml", "w").write(
                f"<annotation><filename>2008_{i:06d}.jpg</filename><size><width>160</width><height>120</height>"
                f"<depth>3</depth></size>{body}</annotation>")
    '''))

video_files = prep('''
    import os
    import numpy as np, cv2
    rng = np.random.default_rng(8)
    for c in ("punch", "kick"):
        os.makedirs(f"ucf_mini/{c}", exist_ok=True)
        for i in range(2):
            w = cv2.VideoWriter(f"ucf_mini/{c}/v_{c}_g01_c0{i}.avi", cv2.VideoWriter_fourcc(*"MJPG"), 10, (64, 48))
            for _ in range(12):
                w.write(rng.integers(0, 255, (48, 64, 3), dtype=np.uint8))
            w.release()
''')

# ImageAI YOLO layout, but train/images sorted into one folder per class
imageai_class_subfolders = prep('''
    import os
    import numpy as np, cv2
    rng = np.random.default_rng(9)
    for split, n in (("train", 4), ("validation", 2)):
        os.makedirs(f"hardhat/{split}/annotations", exist_ok=True)
        for cls_id, c in enumerate(("helmet", "head")):
            os.makedirs(f"hardhat/{split}/images/{c}", exist_ok=True)
            for i in range(n):
                name = f"{c}_{split[0]}{i:03d}"
                cv2.imwrite(f"hardhat/{split}/images/{c}/{name}.jpg", rng.integers(0, 255, (90, 160, 3), dtype=np.uint8))
                with open(f"hardhat/{split}/annotations/{name}.txt", "w") as f:
                    f.write(f"{cls_id} 0.5 0.45 0.2 0.3\\n{cls_id} 0.25 0.6 0.12 0.2\\n")
''')

# ImageAI YOLO layout extracted from CCTV video: most frames have no objects (empty label files)
imageai_mostly_empty = prep('''
    import os
    import numpy as np, cv2
    rng = np.random.default_rng(10)
    for split, n in (("train", 8), ("validation", 2)):
        os.makedirs(f"forklift/{split}/images", exist_ok=True)
        os.makedirs(f"forklift/{split}/annotations", exist_ok=True)
        for i in range(n):
            name = f"cam2_{split[0]}{i:04d}"
            cv2.imwrite(f"forklift/{split}/images/{name}.jpg", rng.integers(0, 255, (90, 160, 3), dtype=np.uint8))
            with open(f"forklift/{split}/annotations/{name}.txt", "w") as f:
                if i in (3, 6):
                    f.write("0 0.52 0.48 0.22 0.35\\n")
''')

# ImageAI detection weights + config written by an earlier training run (random weights, same layout)
tiny_weights = prep('''
    import json, os
    import torch
    from imageai.yolov3.tiny_yolov3 import YoloV3Tiny
    anchors6 = [10, 14, 23, 27, 37, 58, 81, 82, 135, 169, 344, 319]
    os.makedirs("forklift/models", exist_ok=True)
    os.makedirs("forklift/json", exist_ok=True)
    torch.save(YoloV3Tiny(anchors=anchors6, num_classes=1).state_dict(), "forklift/models/tiny-yolov3_forklift_mAP-0.41_epoch-30.pt")
    with open("forklift/json/forklift_tiny-yolov3_detection_config.json", "w") as f:
        json.dump({"labels": ["forklift"], "anchors": anchors6}, f)
''')

cctv_frames = imgs([(f"cctv/frame_{i:05d}.jpg", (160, 120), "empty" if i == 4 else "RGB") for i in range(5)])


# ====================================================================== scripts
SCRIPTS = {}
CELLS = {}

# ------------------------------------------------------------------ 1. image sizes / channels
SCRIPTS["simclr-second-view-without-resize"] = '''
import glob

import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms


class TwoViews(Dataset):
    """SimCLR: two random augmentations of the same unlabelled photo"""

    def __init__(self, root):
        self.paths = sorted(glob.glob(f"{root}/*.jpg"))
        self.view1 = transforms.Compose([
            transforms.RandomResizedCrop(64, scale=(0.2, 1.0)),
            transforms.RandomHorizontalFlip(),
            transforms.ColorJitter(0.4, 0.4, 0.4, 0.1),
            transforms.ToTensor(),
        ])
        # second view: blur + grayscale instead of colour jitter
        self.view2 = transforms.Compose([
            transforms.RandomHorizontalFlip(),
            transforms.RandomGrayscale(p=0.2),
            transforms.GaussianBlur(5),
            transforms.ToTensor(),
        ])

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        img = Image.open(self.paths[i]).convert("RGB")
        return self.view1(img), self.view2(img)


def nt_xent(z1, z2, temperature=0.5):
    z = F.normalize(torch.cat([z1, z2]), dim=1)
    sim = z @ z.t() / temperature
    sim.fill_diagonal_(float("-inf"))
    n = z1.shape[0]
    targets = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
    return F.cross_entropy(sim, targets)


encoder = models.resnet18(weights=None)
encoder.fc = nn.Sequential(nn.Linear(512, 256), nn.ReLU(), nn.Linear(256, 64))
loader = DataLoader(TwoViews("unlabelled"), batch_size=3, shuffle=True, drop_last=True)
optimizer = torch.optim.Adam(encoder.parameters(), lr=3e-4)

for epoch in range(20):
    for x1, x2 in loader:
        loss = nt_xent(encoder(x1), encoder(x2))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: nt-xent {loss.item():.4f}")
'''

SCRIPTS["video-frame-folders-thumbnail-np-stack-workers"] = '''
import glob
import os

import cv2
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset


class FrameFolderClips(Dataset):
    """clips/<action>/<clip>/frame_0001.jpg ... extracted with ffmpeg"""

    def __init__(self, root):
        self.classes = sorted(os.listdir(root))
        self.clips = [(d, i) for i, c in enumerate(self.classes) for d in sorted(glob.glob(f"{root}/{c}/*"))]

    def __len__(self):
        return len(self.clips)

    def __getitem__(self, idx):
        clip_dir, label = self.clips[idx]
        frames = [cv2.cvtColor(cv2.imread(p), cv2.COLOR_BGR2RGB) for p in sorted(glob.glob(f"{clip_dir}/*.jpg"))]
        clip = np.stack(frames).astype(np.float32) / 255.0         # T, H, W, C
        return torch.from_numpy(clip).permute(3, 0, 1, 2), label   # C, T, H, W


def main():
    loader = DataLoader(FrameFolderClips("clips"), batch_size=2, shuffle=True, num_workers=2)
    model = nn.Sequential(nn.Conv3d(3, 8, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool3d(1), nn.Flatten(), nn.Linear(8, 3))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(5):
        for clip, label in loader:
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(model(clip), label)
            loss.backward()
            optimizer.step()
        print(f"epoch {epoch}: {loss.item():.4f}")


if __name__ == "__main__":
    main()
'''

CELLS["mil-tiles-custom-collate-torch-cat-edge-tiles-notebook"] = [
    '''import glob
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision.transforms import functional as TF

TILE = 64''',
    '''class SlideTiles(Dataset):
    """every 64x64 tile of every exported slide, labelled with its slide's diagnosis"""
    def __init__(self, pattern, labels):
        self.items = []
        for path in sorted(glob.glob(pattern)):
            img = TF.to_tensor(Image.open(path).convert("RGB"))
            _, h, w = img.shape
            for y in range(0, h, TILE):
                for x in range(0, w, TILE):
                    self.items.append((img[:, y:y + TILE, x:x + TILE], labels[path.split("/")[-1][:-4]]))

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        return self.items[i]

def tile_collate(batch):
    tiles = torch.cat([t.unsqueeze(0) for t, _ in batch], dim=0)
    labels = torch.tensor([y for _, y in batch])
    return tiles, labels

ds = SlideTiles("slides/*.png", {"slide_001": 0, "slide_002": 1})
len(ds)''',
    '''model = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 2))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loader = DataLoader(ds, batch_size=4, shuffle=False, collate_fn=tile_collate)
for epoch in range(3):
    for tiles, labels in loader:
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(tiles), labels)
        loss.backward()
        opt.step()
    print(epoch, loss.item())''',
]

SCRIPTS["grayscale-transform-copied-from-mnist-tutorial"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

# transforms adapted from the MNIST example + ImageNet statistics for the pretrained resnet
train_tf = transforms.Compose([
    transforms.Resize((64, 64)),
    transforms.Grayscale(),
    transforms.RandomHorizontalFlip(),
    transforms.ToTensor(),
    transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
])

train_ds = datasets.ImageFolder("flowers/train", transform=train_tf)
loader = DataLoader(train_ds, batch_size=4, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(train_ds.classes))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
criterion = nn.CrossEntropyLoss()

for epoch in range(10):
    model.train()
    total = 0.0
    for images, labels in loader:
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
        total += loss.item()
    print(f"epoch {epoch + 1}: loss {total / len(loader):.4f}")
'''

SCRIPTS["rgbd-depth-png-opened-as-rgb-six-channels"] = '''
import glob
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms


def load_image(path):
    return Image.open(path).convert("RGB")


class RGBDObjects(Dataset):
    def __init__(self, root):
        self.classes = sorted(os.listdir(root))
        self.items = [(p, p.replace("_color.jpg", "_depth.png"), i)
                      for i, c in enumerate(self.classes) for p in sorted(glob.glob(f"{root}/{c}/*_color.jpg"))]
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        color_path, depth_path, label = self.items[i]
        color = self.tf(load_image(color_path))
        depth = self.tf(load_image(depth_path))
        return torch.cat([color, depth], dim=0), label      # RGB + D


model = models.resnet18(weights=None, num_classes=3)
model.conv1 = nn.Conv2d(4, 64, kernel_size=7, stride=2, padding=3, bias=False)   # 4-channel RGB-D stem

loader = DataLoader(RGBDObjects("rgbd"), batch_size=3, shuffle=True)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(10):
    for x, y in loader:
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

# ------------------------------------------------------------------ 2. boxes
SCRIPTS["open-images-csv-column-order-pil-crop-workers"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms

CLASSES = ["Cat", "Dog"]


class ObjectCrops(Dataset):
    """crop every annotated object out of its Open Images photo for a crop classifier"""

    def __init__(self, root, csv_path):
        self.root = root
        with open(csv_path) as f:
            reader = csv.reader(f)
            next(reader)
            self.rows = [r for r in reader]
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        image_id, x1, y1, x2, y2, label = self.rows[i]
        img = Image.open(f"{self.root}/{image_id}.jpg").convert("RGB")
        w, h = img.size
        box = (float(x1) * w, float(y1) * h, float(x2) * w, float(y2) * h)
        return self.tf(img.crop(box)), CLASSES.index(label)


def main():
    ds = ObjectCrops("oidv6/train", "oidv6/boxes.csv")
    loader = DataLoader(ds, batch_size=2, shuffle=False, num_workers=2)
    model = models.mobilenet_v3_small(weights=None, num_classes=2)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(5):
        for x, y in loader:
            optimizer.zero_grad()
            nn.functional.cross_entropy(model(x), y).backward()
            optimizer.step()
        print("epoch", epoch)


if __name__ == "__main__":
    main()
'''

CELLS["weak-seg-masks-from-via-boxes-imagedraw-notebook"] = [
    '''import json, os
import numpy as np
from PIL import Image, ImageDraw''',
    '''ann = json.load(open("parking/via_export.json"))
os.makedirs("parking/masks", exist_ok=True)
print(len(ann), "annotated images")''',
    '''# rasterise the VIA rectangles into binary masks for a weakly supervised U-Net
for key, item in ann.items():
    img = Image.open(os.path.join("parking/images", item["filename"]))
    mask = Image.new("L", img.size, 0)
    draw = ImageDraw.Draw(mask)
    for region in item["regions"]:
        r = region["shape_attributes"]
        draw.rectangle([r["x"], r["y"], r["x"] + r["width"], r["y"] + r["height"]], fill=1)
    mask.save(os.path.join("parking/masks", item["filename"].replace(".jpg", ".png")))
print("done")''',
]

# ------------------------------------------------------------------ 3. labels
SCRIPTS["utkface-age-bins-floor-division-centenarians"] = '''
import glob
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms

NUM_AGE_GROUPS = 10     # 0-9, 10-19, ..., 90-99


class UTKFace(Dataset):
    def __init__(self, root):
        self.files = sorted(glob.glob(os.path.join(root, "*.jpg")))
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor(),
                                      transforms.Normalize([0.5] * 3, [0.5] * 3)])

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        path = self.files[i]
        age, gender = os.path.basename(path).split("_")[:2]
        age_group = int(age) // 10
        return self.tf(Image.open(path).convert("RGB")), age_group, int(gender)


class AgeGenderNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = models.resnet18(weights=None)
        self.backbone.fc = nn.Identity()
        self.age_head = nn.Linear(512, NUM_AGE_GROUPS)
        self.gender_head = nn.Linear(512, 2)

    def forward(self, x):
        f = self.backbone(x)
        return self.age_head(f), self.gender_head(f)


model = AgeGenderNet()
loader = DataLoader(UTKFace("UTKFace"), batch_size=4, shuffle=True)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
ce = nn.CrossEntropyLoss()

for epoch in range(10):
    for images, age_group, gender in loader:
        age_logits, gender_logits = model(images)
        loss = ce(age_logits, age_group) + ce(gender_logits, gender)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.3f}")
'''

SCRIPTS["focal-loss-gather-retinopathy-grades-one-based"] = '''
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms

NUM_GRADES = 5   # no DR, mild, moderate, severe, proliferative


class FocalLoss(nn.Module):
    def __init__(self, gamma=2.0):
        super().__init__()
        self.gamma = gamma

    def forward(self, logits, target):
        logpt = F.log_softmax(logits, dim=1).gather(1, target.unsqueeze(1)).squeeze(1)
        pt = logpt.exp()
        return (-(1 - pt) ** self.gamma * logpt).mean()


class Fundus(Dataset):
    def __init__(self, csv_path, root):
        with open(csv_path) as f:
            self.rows = [(r["image"], int(r["grade"])) for r in csv.DictReader(f)]
        self.root = root
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        name, grade = self.rows[i]
        return self.tf(Image.open(f"{self.root}/{name}").convert("RGB")), grade


model = models.resnet18(weights=None, num_classes=NUM_GRADES)
loader = DataLoader(Fundus("fundus/grades.csv", "fundus"), batch_size=4, shuffle=True)
criterion = FocalLoss()
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)

for epoch in range(15):
    for x, y in loader:
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: focal {loss.item():.4f}")
'''

SCRIPTS["tencrop-train-labels-not-repeated"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

CROP = 48
train_tf = transforms.Compose([
    transforms.Resize((64, 64)),
    transforms.TenCrop(CROP),                     # 10x more training data
    transforms.Lambda(lambda crops: torch.stack([transforms.ToTensor()(c) for c in crops])),
])
loader = DataLoader(datasets.ImageFolder("flowers/train", train_tf), batch_size=4, shuffle=True)
model = models.resnet18(weights=None, num_classes=3)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
criterion = nn.CrossEntropyLoss()

for epoch in range(10):
    for images, labels in loader:
        images = images.view(-1, 3, CROP, CROP)   # (B*10, 3, 48, 48)
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

CELLS["linear-probe-features-drop-last-labels-full-notebook"] = [
    '''import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from torchvision import datasets, models, transforms''',
    '''tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
ds = datasets.ImageFolder("flowers/train", tf)
backbone = models.resnet18(weights=None)
backbone.load_state_dict(torch.load("weights/resnet18-f37072fd.pth"))
backbone.fc = nn.Identity()
backbone.eval()''',
    '''# extract frozen features once
feats = []
with torch.no_grad():
    for x, _ in DataLoader(ds, batch_size=4, shuffle=False, drop_last=True):
        feats.append(backbone(x))
features = torch.cat(feats)
labels = torch.tensor(ds.targets)
features.shape, labels.shape''',
    '''probe_ds = TensorDataset(features, labels)
probe = nn.Linear(512, len(ds.classes))
opt = torch.optim.Adam(probe.parameters(), lr=1e-2)
for epoch in range(50):
    for f, y in DataLoader(probe_ds, batch_size=4, shuffle=True):
        opt.zero_grad()
        nn.functional.cross_entropy(probe(f), y).backward()
        opt.step()''',
]

# ------------------------------------------------------------------ 4. dtypes / files
SCRIPTS["video-frames-linspace-index-select-workers"] = '''
import glob
import os

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset

NUM_FRAMES = 8


class ClipDataset(Dataset):
    def __init__(self, root):
        self.classes = sorted(os.listdir(root))
        self.items = [(p, i) for i, c in enumerate(self.classes) for p in sorted(glob.glob(f"{root}/{c}/*.npy"))]

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        path, label = self.items[i]
        video = torch.from_numpy(np.load(path)).permute(0, 3, 1, 2).float() / 255   # T, C, H, W
        # sample NUM_FRAMES frames evenly over the clip
        idx = torch.linspace(0, video.shape[0] - 1, NUM_FRAMES)
        clip = video.index_select(0, idx)
        return clip.permute(1, 0, 2, 3), label                                      # C, T, H, W


def main():
    loader = DataLoader(ClipDataset("clips_npy"), batch_size=3, shuffle=True, num_workers=2)
    model = nn.Sequential(nn.Conv3d(3, 8, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool3d(1), nn.Flatten(), nn.Linear(8, 3))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(5):
        for clip, y in loader:
            optimizer.zero_grad()
            nn.functional.cross_entropy(model(clip), y).backward()
            optimizer.step()
        print("epoch", epoch)


if __name__ == "__main__":
    main()
'''

SCRIPTS["scraped-zero-byte-files-cv2-cvtcolor-workers"] = '''
import glob
import os

import cv2
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset


class ShoeDataset(Dataset):
    def __init__(self, root, size=64):
        self.classes = sorted(os.listdir(root))
        self.files = [(f, i) for i, c in enumerate(self.classes) for f in sorted(glob.glob(f"{root}/{c}/*.jpg"))]
        self.size = size

    def __len__(self):
        return len(self.files)

    def __getitem__(self, idx):
        path, label = self.files[idx]
        img = cv2.imread(path)
        img = cv2.cvtColor(img, cv2.COLOR_BGR2RGB)
        img = cv2.resize(img, (self.size, self.size))
        x = torch.from_numpy(img).permute(2, 0, 1).float() / 255.0
        return x, label


def main():
    ds = ShoeDataset("scraped")
    print(f"{len(ds)} images in {len(ds.classes)} classes")
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2)
    model = nn.Sequential(nn.Conv2d(3, 16, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 3))
    optimizer = torch.optim.Adam(model.parameters())
    for epoch in range(5):
        for x, y in loader:
            optimizer.zero_grad()
            nn.functional.cross_entropy(model(x), y).backward()
            optimizer.step()
        print("epoch", epoch)


if __name__ == "__main__":
    main()
'''

CELLS["kaggle-zip-download-interrupted-notebook"] = [
    '''import os, zipfile
import torch
from torchvision import datasets, transforms''',
    '''# !kaggle datasets download -d paultimothymooney/chest-xray-pneumonia   (stopped when the session idled)
with zipfile.ZipFile("chest-xray-pneumonia.zip") as z:
    z.extractall("data")
os.listdir("data")''',
    '''tf = transforms.Compose([transforms.Grayscale(3), transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("data/chest_xray/train", tf)
len(train_ds)''',
]

# ------------------------------------------------------------------ 5. input shapes
SCRIPTS["r3d-video-clips-time-before-channels"] = '''
import glob
import os

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from torchvision.models.video import r3d_18

NUM_FRAMES = 8


class Clips(Dataset):
    def __init__(self, root):
        self.classes = sorted(os.listdir(root))
        self.items = [(p, i) for i, c in enumerate(self.classes) for p in sorted(glob.glob(f"{root}/{c}/*.npy"))]

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        path, label = self.items[i]
        video = np.load(path)                                 # T, H, W, C uint8
        idx = np.linspace(0, len(video) - 1, NUM_FRAMES).astype(int)
        clip = torch.from_numpy(video[idx]).float() / 255.0
        clip = clip.permute(0, 3, 1, 2)                       # T, C, H, W  (like torchvision.io)
        return clip, label


model = r3d_18(weights=None, num_classes=3)
loader = DataLoader(Clips("clips_npy"), batch_size=2, shuffle=True)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

for epoch in range(5):
    for clips, labels in loader:
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(clips), labels)
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

SCRIPTS["crnn-ocr-features-not-permuted-before-gru"] = '''
import glob
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

ALPHABET = "abcdefghijklmnopqrstuvwxyz"


class WordImages(Dataset):
    def __init__(self, root):
        self.files = sorted(glob.glob(f"{root}/*.png"))
        self.tf = transforms.Compose([transforms.Resize((32, 128)), transforms.ToTensor()])

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        word = os.path.basename(self.files[i])[:-4]
        target = torch.tensor([ALPHABET.index(ch) + 1 for ch in word])
        return self.tf(Image.open(self.files[i]).convert("L")), target


class CRNN(nn.Module):
    def __init__(self, num_chars):
        super().__init__()
        self.cnn = nn.Sequential(
            nn.Conv2d(1, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),          # 16 x 64
            nn.Conv2d(64, 128, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),        # 8 x 32
            nn.Conv2d(128, 256, 3, padding=1), nn.ReLU(), nn.MaxPool2d((2, 1)),  # 4 x 32
            nn.Conv2d(256, 256, 3, padding=1), nn.ReLU(), nn.MaxPool2d((4, 1)),  # 1 x 32
        )
        self.rnn = nn.GRU(256, 128, num_layers=2, bidirectional=True, batch_first=True)
        self.fc = nn.Linear(256, num_chars + 1)

    def forward(self, x):
        f = self.cnn(x).squeeze(2)          # B, 256, W
        out, _ = self.rnn(f)
        return self.fc(out)                 # B, W, classes


def collate(batch):
    images = torch.stack([b[0] for b in batch])
    targets = torch.cat([b[1] for b in batch])
    lengths = torch.tensor([len(b[1]) for b in batch])
    return images, targets, lengths


model = CRNN(len(ALPHABET))
loader = DataLoader(WordImages("words"), batch_size=3, shuffle=True, collate_fn=collate)
ctc = nn.CTCLoss(blank=0)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(20):
    for images, targets, lengths in loader:
        logits = model(images)
        log_probs = logits.log_softmax(2).permute(1, 0, 2)     # T, B, C for CTC
        input_lengths = torch.full((images.size(0),), log_probs.size(0), dtype=torch.long)
        loss = ctc(log_probs, targets, input_lengths, lengths)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

# ------------------------------------------------------------------ 6. heads / weights
CELLS["distillation-teacher-imagenet-head-kl-notebook"] = [
    '''import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

T = 4.0
ALPHA = 0.7''',
    '''tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("flowers/train", tf)
loader = DataLoader(train_ds, batch_size=4, shuffle=True)

teacher = models.resnet18(weights=None)
teacher.load_state_dict(torch.load("weights/resnet18-f37072fd.pth"))
teacher.eval()
student = models.mobilenet_v3_small(weights=None, num_classes=len(train_ds.classes))''',
    '''def distill_loss(s_logits, t_logits, y):
    soft = F.kl_div(F.log_softmax(s_logits / T, dim=1), F.softmax(t_logits / T, dim=1), reduction="batchmean") * T * T
    hard = F.cross_entropy(s_logits, y)
    return ALPHA * soft + (1 - ALPHA) * hard

opt = torch.optim.Adam(student.parameters(), lr=1e-3)
for epoch in range(5):
    for x, y in loader:
        with torch.no_grad():
            t_logits = teacher(x)
        loss = distill_loss(student(x), t_logits, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())''',
]

SCRIPTS["pose-regression-head-coco-17-keypoints-dataset-has-4"] = '''
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms

NUM_KEYPOINTS = 17      # COCO person keypoints


class PedestrianCrops(Dataset):
    """one person per crop; keypoints regressed directly, normalised to 0-1"""

    def __init__(self, root):
        self.root = root
        self.items = json.load(open(f"{root}/annotations.json"))["images"]
        self.tf = transforms.Compose([transforms.Resize((96, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        item = self.items[i]
        img = Image.open(f"{self.root}/{item['file_name']}").convert("RGB")
        x1, y1, x2, y2 = item["boxes"][0]
        crop = img.crop((x1, y1, x2, y2))
        kps = torch.tensor(item["keypoints"][0], dtype=torch.float32)[:, :2]
        kps[:, 0] = (kps[:, 0] - x1) / (x2 - x1)
        kps[:, 1] = (kps[:, 1] - y1) / (y2 - y1)
        return self.tf(crop), kps.flatten()


model = models.resnet18(weights=None)
model.fc = nn.Linear(512, NUM_KEYPOINTS * 2)
loader = DataLoader(PedestrianCrops("pedestrians"), batch_size=2, shuffle=True)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(20):
    for x, kps in loader:
        optimizer.zero_grad()
        loss = F.mse_loss(torch.sigmoid(model(x)), kps)
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: mse {loss.item():.5f}")
'''

SCRIPTS["mobilenet-v3-large-built-small-weights-file"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
train_ds = datasets.ImageFolder("flowers/train", tf)

# ImageNet weights downloaded beforehand (the training box has no internet)
model = models.mobilenet_v3_large(weights=None)
model.load_state_dict(torch.load("weights/mobilenet_v3_small-047dcff4.pth", map_location="cpu"))
model.classifier[3] = nn.Linear(model.classifier[3].in_features, len(train_ds.classes))

loader = DataLoader(train_ds, batch_size=4, shuffle=True)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
for epoch in range(5):
    for x, y in loader:
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        optimizer.step()
'''

SCRIPTS["torch-load-on-safetensors-file"] = '''
import json

import torch
from PIL import Image
from torchvision import models, transforms

# fine-tuned resnet18 exported from the Hugging Face hub (hf_model/model.safetensors + config.json)
config = json.load(open("hf_model/config.json"))
model = models.resnet18(num_classes=config["num_labels"])
state_dict = torch.load("hf_model/model.safetensors", map_location="cpu")
model.load_state_dict(state_dict)
model.eval()

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
img = tf(Image.open("flowers/train/rose/rose_000.jpg").convert("RGB")).unsqueeze(0)
with torch.no_grad():
    print(model(img).softmax(1))
'''

# ------------------------------------------------------------------ 7. calls made wrongly
SCRIPTS["detection-collate-fn-called-at-construction"] = '''
import glob

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as TF


class Parking(Dataset):
    def __init__(self, root):
        self.files = sorted(glob.glob(f"{root}/*.jpg"))

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        img = TF.to_tensor(Image.open(self.files[i]).convert("RGB"))
        target = {"boxes": torch.tensor([[12.0, 30.0, 52.0, 52.0]]), "labels": torch.tensor([1])}
        return img, target


def collate_fn(batch):
    return tuple(zip(*batch))


dataset = Parking("parking/images")
loader = DataLoader(dataset, batch_size=2, shuffle=True, collate_fn=collate_fn())
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)

model.train()
for epoch in range(5):
    for images, targets in loader:
        losses = model(list(images), list(targets))
        loss = sum(losses.values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
'''

SCRIPTS["kaiming-init-applied-to-batchnorm-weights"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


class SmallCNN(nn.Module):
    def __init__(self, num_classes):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
        )
        self.classifier = nn.Linear(64, num_classes)

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


def init_weights(m):
    if hasattr(m, "weight") and m.weight is not None:
        nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
    if hasattr(m, "bias") and m.bias is not None:
        nn.init.zeros_(m.bias)


model = SmallCNN(3)
model.apply(init_weights)

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("flowers/train", tf), batch_size=4, shuffle=True)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for epoch in range(10):
    for x, y in loader:
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        optimizer.step()
'''

# ------------------------------------------------------------------ 8. divergence
SCRIPTS["crowd-density-sgd-lr-1-count-round-overflow"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class CrowdDensity(Dataset):
    """images + head-point annotations -> density maps (one unit of mass per head)"""

    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/images/*.jpg"))
        self.tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize([0.5] * 3, [0.5] * 3)])

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = Image.open(self.images[i]).convert("RGB")
        pts = np.loadtxt(self.images[i].replace("images", "points").replace(".jpg", ".txt"), ndmin=2)
        density = np.zeros((img.height // 4, img.width // 4), np.float32)
        for x, y in pts:
            density[min(int(y) // 4, density.shape[0] - 1), min(int(x) // 4, density.shape[1] - 1)] += 1
        return self.tf(img), torch.from_numpy(density)[None]


torch.manual_seed(0)
model = nn.Sequential(
    nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(64, 32, 3, padding=1), nn.ReLU(),
    nn.Conv2d(32, 1, 1),
)
loader = DataLoader(CrowdDensity("mall"), batch_size=2, shuffle=True)
optimizer = torch.optim.SGD(model.parameters(), lr=1.0, momentum=0.95)
criterion = nn.MSELoss(reduction="sum")

for epoch in range(100):
    model.train()
    for img, density in loader:
        optimizer.zero_grad()
        loss = criterion(model(img), density)
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        img, density = next(iter(loader))
        pred_count = model(img)[0].sum().item()
    print(f"epoch {epoch}: loss {loss.item():.2f}  count pred {round(pred_count)} / gt {round(density[0].sum().item())}")
'''

CELLS["manual-log-softmax-underflow-anomaly-notebook"] = [
    '''import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

torch.autograd.set_detect_anomaly(True)   # find where the NaN comes from''',
    '''tf = transforms.Compose([transforms.Resize((32, 32)), transforms.ToTensor(), transforms.Lambda(lambda x: x * 255)])
loader = DataLoader(datasets.ImageFolder("flowers/train", tf), batch_size=9, shuffle=True)

model = nn.Sequential(nn.Flatten(), nn.Linear(3 * 32 * 32, 256), nn.ReLU(), nn.Linear(256, 3))
optimizer = torch.optim.SGD(model.parameters(), lr=0.5)''',
    '''def cross_entropy(logits, y):
    probs = torch.softmax(logits, dim=1)
    return -torch.log(probs[torch.arange(len(y)), y]).mean()

for epoch in range(30):
    for x, y in loader:
        loss = cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())''',
]

# ------------------------------------------------------------------ 9. autograd
SCRIPTS["attention-gate-multiplies-skip-inplace"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset


class Kvasir(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/images/*.jpg"))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = np.asarray(Image.open(self.images[i]).convert("RGB"), dtype=np.float32) / 255
        mask = np.asarray(Image.open(self.images[i].replace("images", "masks").replace(".jpg", ".png")), dtype=np.float32) / 255
        return torch.from_numpy(img).permute(2, 0, 1), torch.from_numpy(mask)[None]


class AttentionGate(nn.Module):
    """Attention U-Net gate (Oktay et al. 2018)"""

    def __init__(self, f_g, f_l, f_int):
        super().__init__()
        self.W_g = nn.Conv2d(f_g, f_int, 1)
        self.W_x = nn.Conv2d(f_l, f_int, 1)
        self.psi = nn.Sequential(nn.Conv2d(f_int, 1, 1), nn.Sigmoid())
        self.relu = nn.ReLU()

    def forward(self, g, x):
        psi = self.psi(self.relu(self.W_g(g) + self.W_x(x)))
        return x.mul_(psi)          # save memory on the full-resolution skip


def block(i, o):
    return nn.Sequential(nn.Conv2d(i, o, 3, padding=1), nn.ReLU())


class AttUNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc1, self.enc2 = block(3, 16), block(16, 32)
        self.up = nn.Upsample(scale_factor=2)
        self.up_conv = block(32, 16)
        self.att = AttentionGate(16, 16, 8)
        self.dec = block(32, 16)
        self.out = nn.Conv2d(16, 1, 1)

    def forward(self, x):
        e1 = self.enc1(x)
        e2 = self.enc2(nn.functional.max_pool2d(e1, 2))
        d = self.up_conv(self.up(e2))
        e1 = self.att(d, e1)
        return self.out(self.dec(torch.cat([e1, d], 1)))


model = AttUNet()
loader = DataLoader(Kvasir("kvasir"), batch_size=2, shuffle=True)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(10):
    for img, mask in loader:
        optimizer.zero_grad()
        loss = nn.functional.binary_cross_entropy_with_logits(model(img), mask)
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

SCRIPTS["r1-penalty-grad-wrt-images-detached-by-augment"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

Z = 32
R1_GAMMA = 10.0

tf = transforms.Compose([transforms.Resize((32, 32)), transforms.ToTensor(), transforms.Normalize([0.5] * 3, [0.5] * 3)])
loader = DataLoader(datasets.ImageFolder("flowers/train", tf), batch_size=3, shuffle=True, drop_last=True)

G = nn.Sequential(nn.Linear(Z, 64 * 8 * 8), nn.ReLU(), nn.Unflatten(1, (64, 8, 8)),
                  nn.ConvTranspose2d(64, 32, 4, 2, 1), nn.ReLU(), nn.ConvTranspose2d(32, 3, 4, 2, 1), nn.Tanh())
D = nn.Sequential(nn.Conv2d(3, 32, 4, 2, 1), nn.LeakyReLU(0.2), nn.Conv2d(32, 64, 4, 2, 1), nn.LeakyReLU(0.2),
                  nn.Flatten(), nn.Linear(64 * 8 * 8, 1))
opt_g = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.0, 0.99))
opt_d = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.0, 0.99))


def diff_augment(x):
    """translation + flip augmentation for small datasets (DiffAugment-style)"""
    x = x.detach().clone()
    if torch.rand(1) < 0.5:
        x = x.flip(3)
    shift = int(torch.randint(-2, 3, (1,)))
    return torch.roll(x, shifts=shift, dims=2)


for epoch in range(20):
    for real, _ in loader:
        # ---- discriminator with R1 penalty on real images
        real.requires_grad_(True)
        d_real = D(diff_augment(real))
        fake = G(torch.randn(real.size(0), Z))
        d_fake = D(diff_augment(fake))
        loss_d = F.softplus(-d_real).mean() + F.softplus(d_fake).mean()
        grad_real, = torch.autograd.grad(d_real.sum(), real, create_graph=True)
        r1 = grad_real.pow(2).flatten(1).sum(1).mean()
        opt_d.zero_grad()
        (loss_d + R1_GAMMA / 2 * r1).backward()
        opt_d.step()
        # ---- generator
        loss_g = F.softplus(-D(G(torch.randn(real.size(0), Z)))).mean()
        opt_g.zero_grad()
        loss_g.backward()
        opt_g.step()
    print(epoch, loss_d.item(), loss_g.item())
'''

SCRIPTS["multispectral-stem-slice-copy-without-no-grad"] = '''
import glob
import os

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from torchvision import models


class EuroSATMS(Dataset):
    """5-band Sentinel-2 chips: B2 (blue), B3 (green), B4 (red), B8 (NIR), B11 (SWIR)"""

    def __init__(self, root):
        self.classes = sorted(os.listdir(root))
        self.items = [(p, i) for i, c in enumerate(self.classes) for p in sorted(glob.glob(f"{root}/{c}/*.npy"))]

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        p, y = self.items[i]
        return torch.from_numpy(np.load(p)), y


def build_model(num_classes, in_bands=5):
    model = models.resnet18(weights=None)
    model.load_state_dict(torch.load("weights/resnet18-f37072fd.pth"))
    old = model.conv1
    model.conv1 = nn.Conv2d(in_bands, 64, kernel_size=7, stride=2, padding=3, bias=False)
    # keep the pretrained RGB filters (bands 4,3,2 -> channels 0,1,2) and init NIR/SWIR with their mean
    model.conv1.weight[:, :3] = old.weight.flip(1)
    model.conv1.weight[:, 3:] = old.weight.mean(1, keepdim=True)
    model.fc = nn.Linear(512, num_classes)
    return model


ds = EuroSATMS("eurosat_ms")
model = build_model(len(ds.classes))
loader = DataLoader(ds, batch_size=3, shuffle=True)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
for epoch in range(10):
    for x, y in loader:
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        optimizer.step()
    print("epoch", epoch)
'''

CELLS["fgsm-batch-from-inference-mode-helper-notebook"] = [
    '''import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms''',
    '''model = models.resnet18(weights=None)
model.load_state_dict(torch.load("weights/resnet18-f37072fd.pth"))
model.eval()

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
ds = datasets.ImageFolder("flowers/train", tf)

@torch.inference_mode()
def get_batch(n=4):
    x, y = next(iter(DataLoader(ds, batch_size=n, shuffle=True)))
    preds = model(x).argmax(1)
    return x, preds          # attack the model's own predictions''',
    '''def fgsm(x, y, eps=4 / 255):
    x.requires_grad_(True)
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    return (x + eps * x.grad.sign()).clamp(0, 1).detach()

x, y = get_batch()
x_adv = fgsm(x, y)
(model(x_adv).argmax(1) != y).float().mean()''',
]

# ------------------------------------------------------------------ 10. host memory
SCRIPTS["unfold-patches-stride-1-whole-slide"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torchvision.transforms import functional as TF

PATCH = 64

# patch classifier trained earlier on 64x64 tumour / normal patches
model = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 2))
model.eval()

slide = TF.to_tensor(Image.open("wsi/TCGA-A1-A0SB-01Z.jpg").convert("RGB")).unsqueeze(0)   # 1, 3, 1024, 1024
print("slide", tuple(slide.shape))

# dense heat-map: one patch centred on every pixel
patches = F.unfold(slide, kernel_size=PATCH, stride=1)             # 1, 3*64*64, L
patches = patches.transpose(1, 2).reshape(-1, 3, PATCH, PATCH)
with torch.no_grad():
    probs = torch.cat([model(b).softmax(1)[:, 1] for b in patches.split(4096)])
heatmap = probs.reshape(1024 - PATCH + 1, 1024 - PATCH + 1)
print(heatmap.max())
'''

# ------------------------------------------------------------------ 11. multiprocessing
SCRIPTS["multiprocessing-pool-inside-getitem-workers"] = '''
import glob
import os
from multiprocessing import Pool

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset


def load_tile(path):
    return np.asarray(Image.open(path).convert("RGB"), dtype=np.float32) / 255


class SlideBags(Dataset):
    """multiple-instance learning: one bag of tiles per slide"""

    def __init__(self, root, labels):
        self.slides = sorted(glob.glob(f"{root}/*"))
        self.labels = labels

    def __len__(self):
        return len(self.slides)

    def __getitem__(self, i):
        paths = sorted(glob.glob(f"{self.slides[i]}/*.png"))
        with Pool(4) as pool:                          # decode the tiles in parallel
            tiles = pool.map(load_tile, paths)
        bag = torch.from_numpy(np.stack(tiles)).permute(0, 3, 1, 2)
        return bag, self.labels[os.path.basename(self.slides[i])]


class AttentionMIL(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.att = nn.Linear(16, 1)
        self.cls = nn.Linear(16, 2)

    def forward(self, bag):
        h = self.enc(bag[0])
        a = torch.softmax(self.att(h), dim=0)
        return self.cls((a * h).sum(0, keepdim=True))


def main():
    ds = SlideBags("tiles", {"slide_a": 0, "slide_b": 1, "slide_c": 0, "slide_d": 1})
    loader = DataLoader(ds, batch_size=1, shuffle=True, num_workers=2)
    model = AttentionMIL()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(5):
        for bag, y in loader:
            optimizer.zero_grad()
            nn.functional.cross_entropy(model(bag), y).backward()
            optimizer.step()
        print("epoch", epoch)


if __name__ == "__main__":
    main()
'''

SCRIPTS["sqlite-metadata-dataset-spawn-workers"] = '''
import sqlite3

import torch
import torch.multiprocessing as mp
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class Herbarium(Dataset):
    def __init__(self, db_path, image_dir):
        self.con = sqlite3.connect(db_path)
        self.ids = [r[0] for r in self.con.execute("SELECT id FROM specimens ORDER BY id")]
        self.image_dir = image_dir
        self.tf = transforms.Compose([transforms.Resize((64, 48)), transforms.ToTensor()])

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        file, family = self.con.execute("SELECT file, family_id FROM specimens WHERE id = ?", (self.ids[i],)).fetchone()
        return self.tf(Image.open(f"{self.image_dir}/{file}").convert("RGB")), family


def main():
    ds = Herbarium("herbarium/metadata.db", "herbarium/images")
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2)
    model = nn.Sequential(nn.Conv2d(3, 16, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 3))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(5):
        for x, y in loader:
            optimizer.zero_grad()
            nn.functional.cross_entropy(model(x), y).backward()
            optimizer.step()
        print("epoch", epoch)


if __name__ == "__main__":
    mp.set_start_method("spawn")    # recommended for CUDA + DataLoader workers
    main()
'''

# ------------------------------------------------------------------ 12. versions
CELLS["np-product-param-count-numpy2-notebook"] = [
    '''import numpy as np
import torch
import torch.nn as nn
from torchvision import models''',
    '''model = models.resnet18(weights=None)
model.fc = nn.Linear(model.fc.in_features, 3)
for p in model.parameters():
    p.requires_grad = False
for p in model.fc.parameters():
    p.requires_grad = True''',
    '''def count_parameters(model):
    """trainable / total parameters (from an older course notebook)"""
    trainable = sum(np.product(p.size()) for p in model.parameters() if p.requires_grad)
    total = sum(np.product(p.size()) for p in model.parameters())
    return trainable, total

trainable, total = count_parameters(model)
print(f"trainable: {trainable:,} / {total:,}")''',
]

CELLS["voc-viz-imagedraw-textsize-pillow10-notebook"] = [
    '''import glob
import xml.etree.ElementTree as ET
from PIL import Image, ImageDraw, ImageFont''',
    '''def read_voc(xml_path):
    root = ET.parse(xml_path).getroot()
    objs = []
    for o in root.iter("object"):
        bb = o.find("bndbox")
        objs.append((o.find("name").text, *[int(bb.find(k).text) for k in ("xmin", "ymin", "xmax", "ymax")]))
    return root.find("filename").text, objs

def draw_boxes(img, objs):
    draw = ImageDraw.Draw(img)
    font = ImageFont.load_default()
    for name, x1, y1, x2, y2 in objs:
        draw.rectangle([x1, y1, x2, y2], outline="red", width=2)
        tw, th = draw.textsize(name, font=font)
        draw.rectangle([x1, y1 - th - 2, x1 + tw + 2, y1], fill="red")
        draw.text((x1 + 1, y1 - th - 1), name, fill="white", font=font)
    return img''',
    '''for xml_path in sorted(glob.glob("VOC_mini/Annotations/*.xml")):
    fname, objs = read_voc(xml_path)
    img = Image.open(f"VOC_mini/JPEGImages/{fname}").convert("RGB")
    draw_boxes(img, objs).save(f"{fname[:-4]}_check.png")''',
]

SCRIPTS["perspective-augment-old-repo-torch-solve"] = '''
import random

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


def get_perspective_transform(src, dst):
    """3x3 homography mapping src -> dst (4 points each), from the original repo's utils/geometry.py"""
    A = []
    b = []
    for (x, y), (u, v) in zip(src, dst):
        A.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        A.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        b += [u, v]
    A = torch.tensor(A, dtype=torch.float32)
    b = torch.tensor(b, dtype=torch.float32).unsqueeze(1)
    h, _ = torch.solve(b, A)
    return torch.cat([h.squeeze(1), torch.ones(1)]).view(3, 3)


class RandomPerspectiveWarp:
    def __init__(self, max_shift=0.1):
        self.max_shift = max_shift

    def __call__(self, img):
        _, hgt, wid = img.shape
        src = [(-1, -1), (1, -1), (1, 1), (-1, 1)]
        dst = [(x + random.uniform(-self.max_shift, self.max_shift), y + random.uniform(-self.max_shift, self.max_shift)) for x, y in src]
        H = get_perspective_transform(dst, src)
        ys, xs = torch.meshgrid(torch.linspace(-1, 1, hgt), torch.linspace(-1, 1, wid), indexing="ij")
        pts = torch.stack([xs, ys, torch.ones_like(xs)], -1) @ H.T
        grid = pts[..., :2] / pts[..., 2:]
        return F.grid_sample(img[None], grid[None], align_corners=True)[0]


tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor(), RandomPerspectiveWarp()])
loader = DataLoader(datasets.ImageFolder("flowers/train", tf), batch_size=4, shuffle=True)
model = nn.Sequential(nn.Conv2d(3, 16, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 3))
optimizer = torch.optim.Adam(model.parameters())
for epoch in range(5):
    for x, y in loader:
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        optimizer.step()
'''

SCRIPTS["video-dataset-torchvision-io-read-video-removed"] = '''
import glob
import os

import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader, Dataset
from torchvision.models.video import r3d_18

NUM_FRAMES = 8


class UCFMini(Dataset):
    def __init__(self, root):
        self.classes = sorted(os.listdir(root))
        self.items = [(p, i) for i, c in enumerate(self.classes) for p in sorted(glob.glob(f"{root}/{c}/*.avi"))]

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        path, label = self.items[i]
        video, _, info = torchvision.io.read_video(path, pts_unit="sec", output_format="TCHW")
        idx = torch.linspace(0, video.shape[0] - 1, NUM_FRAMES).long()
        clip = video[idx].float().div(255).permute(1, 0, 2, 3)      # C, T, H, W
        return clip, label


model = r3d_18(weights=None, num_classes=2)
loader = DataLoader(UCFMini("ucf_mini"), batch_size=2, shuffle=True)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for epoch in range(5):
    for clips, labels in loader:
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(clips), labels).backward()
        optimizer.step()
    print("epoch", epoch)
'''

# ------------------------------------------------------------------ 13. CUDA setup / distributed
CELLS["set-default-device-cuda-cpu-runtime-notebook"] = [
    '''import torch
import torch.nn as nn
from torchvision import models
print(torch.__version__)''',
    '''# put every new tensor and module on the GPU (tutorial cell; runtime type left on CPU)
torch.set_default_device("cuda")''',
    '''model = models.resnet18(weights=None, num_classes=3)
x = torch.randn(4, 3, 64, 64)
model(x).shape''',
]

SCRIPTS["ddp-all-reduce-python-float-accuracy"] = '''
import os

import torch
import torch.distributed as dist
import torch.nn as nn
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler
from torchvision import datasets, transforms


def setup():
    os.environ.setdefault("MASTER_ADDR", "127.0.0.1")
    os.environ.setdefault("MASTER_PORT", "29647")
    os.environ.setdefault("RANK", "0")
    os.environ.setdefault("WORLD_SIZE", "1")
    dist.init_process_group("gloo")


def evaluate(model, loader):
    model.eval()
    correct, total = 0, 0
    with torch.no_grad():
        for x, y in loader:
            correct += (model(x).argmax(1) == y).sum().item()
            total += y.numel()
    acc = correct / total
    dist.all_reduce(acc, op=dist.ReduceOp.SUM)        # average accuracy over ranks
    return acc / dist.get_world_size()


def main():
    setup()
    tf = transforms.Compose([transforms.Resize((32, 32)), transforms.ToTensor()])
    ds = datasets.ImageFolder("flowers/train", tf)
    loader = DataLoader(ds, batch_size=3, sampler=DistributedSampler(ds))
    model = DDP(nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 3)))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    for epoch in range(2):
        loader.sampler.set_epoch(epoch)
        model.train()
        for x, y in loader:
            optimizer.zero_grad()
            nn.functional.cross_entropy(model(x), y).backward()
            optimizer.step()
        acc = evaluate(model, loader)
        if dist.get_rank() == 0:
            print(f"epoch {epoch}: acc {acc:.3f}")
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
'''

# ------------------------------------------------------------------ 14. ImageAI
SCRIPTS["imageai-det-train-images-sorted-into-class-subfolders"] = '''
from imageai.Detection.Custom import DetectionModelTrainer

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="hardhat")
trainer.setTrainConfig(object_names_array=["helmet", "head"], batch_size=4, num_experiments=10)
trainer.trainModel()
'''

SCRIPTS["imageai-det-train-mostly-empty-background-frames"] = '''
from imageai.Detection.Custom import DetectionModelTrainer

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="forklift")
trainer.setTrainConfig(object_names_array=["forklift"], batch_size=4, num_experiments=20)
trainer.trainModel()
'''

SCRIPTS["imageai-custom-detect-folder-zero-byte-last-frame"] = '''
import glob
import os

from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("forklift/models/tiny-yolov3_forklift_mAP-0.41_epoch-30.pt")
detector.setJsonPath("forklift/json/forklift_tiny-yolov3_detection_config.json")
detector.loadModel()

os.makedirs("cctv_out", exist_ok=True)
for path in sorted(glob.glob("cctv/*.jpg")):
    detections = detector.detectObjectsFromImage(input_image=path,
                                                 output_image_path=os.path.join("cctv_out", os.path.basename(path)),
                                                 minimum_percentage_probability=40)
    print(os.path.basename(path), [(d["name"], d["percentage_probability"]) for d in detections])
'''


# ====================================================================== cases
def cases():
    out, add, script, notebook = case_builders("torch-more22-", SCRIPTS, CELLS)

    W = ["cpython_basic", "dataloader_worker"]

    # 1. image sizes / channels ---------------------------------------------------------------------
    script("simclr-second-view-without-resize", "data.image_size_mismatch", setup=unlabelled)
    script("video-frame-folders-thumbnail-np-stack-workers", "data.image_size_mismatch", forms=W, setup=clips)
    notebook("mil-tiles-custom-collate-torch-cat-edge-tiles-notebook", "data.image_size_mismatch", setup=slides)
    script("grayscale-transform-copied-from-mnist-tutorial", "data.image_channels", setup=flowers)
    script("rgbd-depth-png-opened-as-rgb-six-channels", "data.image_channels", setup=rgbd)

    # 2. boxes ----------------------------------------------------------------------------------------
    script("open-images-csv-column-order-pil-crop-workers", "data.bbox_invalid", forms=W, setup=open_images)
    notebook("weak-seg-masks-from-via-boxes-imagedraw-notebook", "data.bbox_invalid", setup=via_boxes)

    # 3. labels ---------------------------------------------------------------------------------------
    script("utkface-age-bins-floor-division-centenarians", "data.label_out_of_range",
           also=["model.output_mismatch"], setup=utkface)
    script("focal-loss-gather-retinopathy-grades-one-based", "data.label_out_of_range", setup=fundus)
    script("tencrop-train-labels-not-repeated", "data.label_shape", setup=flowers)
    notebook("linear-probe-features-drop-last-labels-full-notebook", "data.label_shape", setup=both(r18, flowers))

    # 4. dtypes / files -------------------------------------------------------------------------------
    script("video-frames-linspace-index-select-workers", "data.dtype", forms=W, setup=npy_clips)
    script("scraped-zero-byte-files-cv2-cvtcolor-workers", "data.missing_or_corrupt", forms=W, setup=scraped)
    notebook("kaggle-zip-download-interrupted-notebook", "data.missing_or_corrupt", setup=kaggle_zip,
             exception="BadZipFile")

    # 5. input shapes -----------------------------------------------------------------------------------
    script("r3d-video-clips-time-before-channels", "model.input_shape", setup=npy_clips)
    script("crnn-ocr-features-not-permuted-before-gru", "model.input_shape", setup=words)

    # 6. heads / weights ----------------------------------------------------------------------------------
    notebook("distillation-teacher-imagenet-head-kl-notebook", "model.output_mismatch", setup=both(r18, flowers))
    script("pose-regression-head-coco-17-keypoints-dataset-has-4", "model.output_mismatch", setup=keypoint_data)
    script("mobilenet-v3-large-built-small-weights-file", "model.weights_mismatch", setup=both(mnv3_small, flowers))
    script("torch-load-on-safetensors-file", "env.version_incompat", also=["model.weights_mismatch"], argv="predict.py",
           setup=both(safetensors_file, flowers))

    # 7. calls made wrongly -------------------------------------------------------------------------------
    script("detection-collate-fn-called-at-construction", "model.api_misuse", setup=via_boxes)
    script("kaiming-init-applied-to-batchnorm-weights", "model.api_misuse", setup=flowers)

    # 8. divergence ---------------------------------------------------------------------------------------
    script("crowd-density-sgd-lr-1-count-round-overflow", "optim.divergence", setup=mall)
    notebook("manual-log-softmax-underflow-anomaly-notebook", "optim.divergence", setup=flowers)

    # 9. autograd -----------------------------------------------------------------------------------------
    script("attention-gate-multiplies-skip-inplace", "optim.autograd_graph", setup=polyps)
    script("r1-penalty-grad-wrt-images-detached-by-augment", "optim.autograd_graph", setup=flowers)
    script("multispectral-stem-slice-copy-without-no-grad", "optim.autograd_graph", setup=both(r18, sentinel))
    notebook("fgsm-batch-from-inference-mode-helper-notebook", "optim.autograd_graph", setup=both(r18, flowers))

    # 10. host memory -------------------------------------------------------------------------------------
    script("unfold-patches-stride-1-whole-slide", "resource.host_memory", argv="heatmap.py", setup=wsi)

    # 11. multiprocessing ---------------------------------------------------------------------------------
    script("multiprocessing-pool-inside-getitem-workers", "env.multiprocessing", forms=W, setup=tiles_per_slide)
    script("sqlite-metadata-dataset-spawn-workers", "env.multiprocessing", setup=labels_db)

    # 12. versions ----------------------------------------------------------------------------------------
    notebook("np-product-param-count-numpy2-notebook", "env.version_incompat")
    notebook("voc-viz-imagedraw-textsize-pillow10-notebook", "env.version_incompat", setup=voc_small)
    script("perspective-augment-old-repo-torch-solve", "env.version_incompat", setup=flowers)
    script("video-dataset-torchvision-io-read-video-removed", "env.version_incompat", setup=video_files)

    # 13. CUDA setup / distributed ------------------------------------------------------------------------
    notebook("set-default-device-cuda-cpu-runtime-notebook", "env.cuda_setup")
    script("ddp-all-reduce-python-float-accuracy", "env.distributed", also=["model.api_misuse"],
           forms=["cpython_basic", "log_prefix"], setup=flowers, exception="TypeError")

    # 14. ImageAI -----------------------------------------------------------------------------------------
    script("imageai-det-train-images-sorted-into-class-subfolders", "data.missing_or_corrupt", framework="imageai",
           setup=imageai_class_subfolders)
    script("imageai-det-train-mostly-empty-background-frames", "data.too_few_boxes", framework="imageai",
           setup=imageai_mostly_empty)
    script("imageai-custom-detect-folder-zero-byte-last-frame", "data.missing_or_corrupt", framework="imageai",
           argv="detect.py", setup=both(tiny_weights, cctv_frames))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
