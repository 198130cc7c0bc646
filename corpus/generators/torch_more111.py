"""A hundred-and-eleventh held-out set (g206, scored 0.88 top-1 and 0.96 top-3 before any rule for it) of PyTorch training failures: conservation NGOs and wildlife researchers.

The persona: field staff, volunteers and researchers of conservation NGOs and university wildlife groups who train
classifiers, detectors and segmenters on their own data -- camera-trap photos catalogued in Timelapse (cameras in
hybrid photo + video mode, stations with few empty frames), passive acoustic monitoring with AudioMoths (WAV files
per duty cycle, Raven Pro selection tables, bat passes as spectrogram PNGs, gibbon and frog choruses, chainsaws and
gunshots for the anti-poaching network), drone counts of seals and seabirds (orthomosaic tiles with overlap,
DotDotGoose point counts, masks rasterised in QGIS, flights histogram-matched to each other) and photo
re-identification of individuals (seal pelage, whale flukes) with ArcFace heads -- on donated laptops, Colab and a
shared lab server without GPUs. The scripts and notebooks are written by the staff themselves; a few use ImageAI
3.0.3. A natural mix of causes, each program built so that its cause is known by construction and made to fail
inside torch, torchvision, ImageAI, PIL, NumPy, SciPy, OpenCV or multiprocessing:

- data: calls cut out of the recordings from Raven selections, so every spectrogram is as long as its call
  (workers, data.image_size_mismatch); Kaleidoscope bat-pass spectrograms (greyscale PNGs) through ``ImageFolder``,
  which converts them to RGB, into a ResNet whose stem was made one-channel (tqdm, data.image_channels); a Timelapse
  export that also lists the cameras' hybrid-mode ``.MP4`` clips (workers, data.missing_or_corrupt); AudioMoth files
  after the SD card filled up, header-only WAVs with no samples (tqdm, data.missing_or_corrupt); a new annotator's
  ``UNKN`` selections mapped to -1 "so they are ignored" (tqdm, data.label_out_of_range); QGIS-rasterised haul-out
  masks with 255 as nodata outside the surveyed polygon (data.label_out_of_range); DotDotGoose seal points taken
  from the tile overlap and turned into boxes clamped to the tile, so seals past the edge give zero-width boxes in
  Faster R-CNN (data.bbox_invalid); gibbon presence labels as a ``[B]`` vector for a one-logit head (notebook,
  data.label_shape); AudioMoth int16 samples from ``scipy.io.wavfile`` into a raw-waveform ``Conv1d`` front end
  (data.dtype);
- models: a frog-chorus batch of STFT magnitudes without a channel axis into ``Conv2d`` (notebook,
  model.input_shape); a whale-fluke re-ID notebook whose backbone became ResNet-50 while the ArcFace head kept the
  ResNet-18 width (notebook, model.input_shape); a camera-trap species + group-size model whose ``(species, count)``
  tuple goes to the species-only training loop's loss (model.output_mismatch); the lab server's bat classifier with
  its one-channel stem loaded into a plain ResNet-18 on a volunteer's laptop (model.weights_mismatch); class weights
  from ``np.bincount`` given to ``CrossEntropyLoss`` as a NumPy array (notebook, model.api_misuse);
- optimisation: a seabird counter whose per-tile count loss is built from ``.item()`` values (tqdm,
  optim.autograd_graph); clips zero-padded to five seconds whose power spectrogram goes through ``torch.log``
  (anomaly mode, optim.divergence);
- resource / environment: one STFT of a whole AudioMoth night at a fine hop on the shared lab server under its job
  memory limit (resource.host_memory); a Colab inference script's ``torch.load(..., map_location="cuda:0")`` on a
  donated laptop (env.cuda_setup); an old bat-call feature helper calling ``scipy.signal.hann`` (workers,
  env.version_incompat); a MegaDetector crop cache guarded by a ``threading.Lock`` under spawn workers, as on the
  volunteers' MacBooks (env.multiprocessing); a seal re-ID backbone frozen for a warm-up epoch after the model was
  wrapped in DDP (torchrun, gloo, env.distributed); empty frames subsampled per station with ``replace=False`` from
  a station that has fewer (a path with spaces, other);
- ImageAI 3: haul-out tile labels normalised by the tiler's stride instead of the tile size, so seals in the
  overlap come out past 1 (data.bbox_invalid); tiles histogram-matched to the reference flight with ``np.interp``
  (float64) given to ``detectObjectsFromImage`` (data.dtype).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None: model files are
ones an earlier run left on disk).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more111.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


from _record import (Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders,  # noqa: E402,F401
                     yolo_layout, save_tiny, save_cls)
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more111.py"

SCRIPTS = {}
CELLS = {}

BATS = ["Myotis_daubentonii", "Nyctalus_noctula", "Pipistrellus_pipistrellus", "Pipistrellus_pygmaeus",
        "Plecotus_auritus", "Eptesicus_serotinus"]

# ================================================================== data
# ------------------------------------------------------------------ Raven selections cut to the call's length
RAVEN_PREP = '''
import os
import numpy as np
from scipy.io import wavfile

rng = np.random.default_rng(1)
SR = 24000
os.makedirs("audiomoth/site_B04", exist_ok=True)
species = ["WIWA", "SWTH", "HETH", "VATH"]
for f in range(3):
    name = f"audiomoth/site_B04/20240612_0{4 + f}0000.WAV"
    wavfile.write(name, SR, rng.normal(0, 800, SR * 20).astype(np.int16))
    # Raven Pro selection table saved next to the recording
    t, lines = 0.5, ["Selection\\tView\\tChannel\\tBegin Time (s)\\tEnd Time (s)\\tLow Freq (Hz)\\tHigh Freq (Hz)"
                     "\\tSpecies"]
    for k in range(6):
        dur = float(rng.uniform(0.4, 2.2))
        lines.append(f"{k + 1}\\tSpectrogram 1\\t1\\t{t:.3f}\\t{t + dur:.3f}\\t2000.0\\t8000.0\\t{species[(f + k) % 4]}")
        t += dur + float(rng.uniform(0.5, 1.2))
    with open(name.replace(".WAV", ".Table.1.selections.txt"), "w") as g:
        g.write("\\n".join(lines) + "\\n")
'''

SCRIPTS["raven-selections-cut-to-call-length-workers"] = '''
import csv
import glob

import numpy as np
import torch
import torch.nn as nn
from scipy.io import wavfile
from torch.utils.data import Dataset, DataLoader

SPECIES = ["WIWA", "SWTH", "HETH", "VATH"]


class RavenSelections(Dataset):
    """one sample per Raven selection: the call cut out of its recording, as a log spectrogram"""

    def __init__(self, root):
        self.items = []
        for table in sorted(glob.glob(f"{root}/*.selections.txt")):
            wav = table.replace(".Table.1.selections.txt", ".WAV")
            for r in csv.DictReader(open(table), delimiter="\\t"):
                self.items.append((wav, float(r["Begin Time (s)"]), float(r["End Time (s)"]),
                                   SPECIES.index(r["Species"])))
        self.window = torch.hann_window(512)

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        wav, t0, t1, y = self.items[i]
        sr, x = wavfile.read(wav, mmap=True)
        clip = torch.from_numpy(x[int(t0 * sr):int(t1 * sr)].astype(np.float32) / 32768)
        spec = torch.stft(clip, n_fft=512, hop_length=128, window=self.window, return_complex=True).abs()
        return torch.log1p(spec)[None], y


if __name__ == "__main__":
    torch.manual_seed(0)
    loader = DataLoader(RavenSelections("audiomoth/site_B04"), batch_size=8, shuffle=True, num_workers=2)
    model = nn.Sequential(nn.Conv2d(1, 16, 3, stride=2), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2), nn.ReLU(),
                          nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, len(SPECIES)))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(20):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"epoch {epoch}: {loss.item():.3f}")
'''

# ------------------------------------------------------------------ greyscale bat spectrograms, one-channel stem
SCRIPTS["kaleidoscope-bat-pngs-imagefolder-one-channel-stem-tqdm"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms
from tqdm import tqdm

# bat passes exported from Kaleidoscope as greyscale spectrogram PNGs, one folder per species
tf = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor(), transforms.Normalize([0.5], [0.5])])
ds = datasets.ImageFolder("bat_passes/train", transform=tf)
loader = DataLoader(ds, batch_size=8, shuffle=True)

model = models.resnet18(weights=None, num_classes=len(ds.classes))
# spectrograms have one channel, not three
model.conv1 = nn.Conv2d(1, 64, kernel_size=7, stride=2, padding=3, bias=False)
opt = torch.optim.Adam(model.parameters(), lr=3e-4)
for epoch in range(10):
    model.train()
    for x, y in tqdm(loader, desc=f"epoch {epoch + 1}"):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

# ------------------------------------------------------------------ Timelapse export with hybrid-mode video clips
TIMELAPSE_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(3)
rows = []
species = ["Empty", "Roe deer", "Red fox", "Badger", "Wild boar"]
for st in ("ST03", "ST07"):
    folder = f"CT_2024_spring/{st}/100BMCIM"
    os.makedirs(folder, exist_ok=True)
    for i in range(1, 9):
        if st == "ST07" and i == 6:
            # the Browning at ST07 ran in hybrid mode: a photo and then a short clip per trigger
            name = f"IMAG{i:04d}.MP4"
            with open(f"{folder}/{name}", "wb") as f:
                f.write(b"\\x00\\x00\\x00\\x18ftypmp42\\x00\\x00\\x00\\x00mp42isom" + rng.bytes(4096))
        else:
            name = f"IMAG{i:04d}.JPG"
            Image.fromarray(rng.integers(0, 255, (120, 160, 3), dtype=np.uint8)).save(f"{folder}/{name}")
        rows.append((name, f"{st}\\\\100BMCIM", st, f"2024-04-{10 + i:02d}", f"0{i}:12:44", "Ok", "false",
                     species[(i + len(st)) % 5], 1))
with open("CT_2024_spring/TimelapseData_export.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["File", "RelativePath", "Folder", "Date", "Time", "ImageQuality", "DeleteFlag", "Species", "Count"])
    w.writerows(rows)
'''

SCRIPTS["timelapse-export-lists-hybrid-mode-video-clips-workers"] = '''
import csv
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import models, transforms

ROOT = "CT_2024_spring"
SPECIES = ["Empty", "Roe deer", "Red fox", "Badger", "Wild boar"]


class TimelapseExport(Dataset):
    def __init__(self, root):
        self.root = root
        rows = csv.DictReader(open(os.path.join(root, "TimelapseData_export.csv")))
        self.rows = [r for r in rows if r["DeleteFlag"] == "false"]
        self.tf = transforms.Compose([transforms.Resize((96, 128)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        path = os.path.join(self.root, r["RelativePath"].replace("\\\\", "/"), r["File"])   # exported on Windows
        return self.tf(Image.open(path).convert("RGB")), SPECIES.index(r["Species"])


if __name__ == "__main__":
    loader = DataLoader(TimelapseExport(ROOT), batch_size=4, shuffle=True, num_workers=2)
    model = models.mobilenet_v3_small(weights=None, num_classes=len(SPECIES))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(5):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, round(loss.item(), 3))
'''

# ------------------------------------------------------------------ AudioMoth SD card full: header-only WAVs
SDFULL_PREP = '''
import csv, os
import numpy as np
from scipy.io import wavfile

rng = np.random.default_rng(4)
SR = 16000
os.makedirs("AM07_2024-05/SD", exist_ok=True)
rows = []
for i in range(16):
    name = f"20240518_{(i * 30) // 60 + 20:02d}{(i * 30) % 60:02d}00.WAV"
    # the card filled up on the last night: the AudioMoth still opened the last files, but wrote no samples
    n = SR * 6 if i < 13 else 0
    wavfile.write(f"AM07_2024-05/SD/{name}", SR, rng.normal(0, 500, n).astype(np.int16))
    rows.append((name, int(rng.random() < 0.4)))
with open("AM07_2024-05/nightjar_presence.csv", "w", newline="") as f:
    csv.writer(f).writerows([("file", "nightjar")] + rows)
'''

SCRIPTS["audiomoth-card-full-header-only-wavs-tqdm"] = '''
import csv

import numpy as np
import torch
import torch.nn as nn
from scipy.io import wavfile
from torch.utils.data import Dataset, DataLoader
from tqdm import tqdm

DEPLOY = "AM07_2024-05"


class NightjarFiles(Dataset):
    def __init__(self, deploy):
        self.deploy = deploy
        self.rows = list(csv.DictReader(open(f"{deploy}/nightjar_presence.csv")))
        self.window = torch.hann_window(1024)

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        sr, x = wavfile.read(f"{self.deploy}/SD/{r['file']}")
        x = torch.from_numpy(x.astype(np.float32) / 32768)
        spec = torch.stft(x, n_fft=1024, hop_length=256, window=self.window, return_complex=True).abs()
        return torch.log1p(spec)[None, :256, :368], torch.tensor(float(r["nightjar"]))


loader = DataLoader(NightjarFiles(DEPLOY), batch_size=4, shuffle=False)
model = nn.Sequential(nn.Conv2d(1, 16, 5, stride=2), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2), nn.ReLU(),
                      nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 1))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(10):
    for x, y in tqdm(loader, desc=f"epoch {epoch}"):
        loss = nn.functional.binary_cross_entropy_with_logits(model(x).squeeze(1), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

# ------------------------------------------------------------------ UNKN selections mapped to -1
UNKN_PREP = '''
import csv, os
import numpy as np

rng = np.random.default_rng(5)
os.makedirs("selections_2024/spec", exist_ok=True)
rows = []
for i in range(40):
    sid = f"B04_{i:04d}"
    np.save(f"selections_2024/spec/{sid}.npy", rng.normal(0, 1, (64, 96)).astype(np.float32))
    annotator = "MK" if i < 28 else "JP"
    # JP (new this season) marked calls he could not identify as UNKN
    code = ["WIWA", "SWTH", "HETH", "VATH"][i % 4] if annotator == "MK" or i % 3 else "UNKN"
    rows.append((sid, code, annotator))
with open("selections_2024/merged_selections.csv", "w", newline="") as f:
    csv.writer(f).writerows([("selection_id", "Species", "annotator")] + rows)
'''

SCRIPTS["raven-unkn-selections-minus-one-ignored-tqdm"] = '''
import csv

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import Dataset, DataLoader
from tqdm import tqdm

SPECIES = ["WIWA", "SWTH", "HETH", "VATH"]
CODE = {s: i for i, s in enumerate(SPECIES)}


class Selections(Dataset):
    def __init__(self, root):
        self.root = root
        self.rows = list(csv.DictReader(open(f"{root}/merged_selections.csv")))

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        x = torch.from_numpy(np.load(f"{self.root}/spec/{r['selection_id']}.npy"))[None]
        # UNKN / unsure calls get -1, so the loss leaves them out
        return x, CODE.get(r["Species"], -1)


torch.manual_seed(0)
loader = DataLoader(Selections("selections_2024"), batch_size=8, shuffle=True)
model = nn.Sequential(nn.Conv2d(1, 16, 3, stride=2), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2), nn.ReLU(),
                      nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, len(SPECIES)))
criterion = nn.CrossEntropyLoss()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(10):
    for x, y in tqdm(loader, desc=f"epoch {epoch}"):
        loss = criterion(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

# ------------------------------------------------------------------ QGIS-rasterised masks, nodata 255
NODATA_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(6)
os.makedirs("haulout_seg/tiles", exist_ok=True)
os.makedirs("haulout_seg/masks", exist_ok=True)
for i in range(6):
    Image.fromarray(rng.integers(0, 255, (128, 128, 3), dtype=np.uint8)).save(f"haulout_seg/tiles/t{i:03d}.png")
    # gdal_rasterize of the QGIS polygons: 0 rock / sand, 1 harbour seal, 2 grey seal; -a_nodata 255 outside the
    # surveyed polygon
    m = np.zeros((128, 128), dtype=np.uint8)
    m[30 + i:44 + i, 20:40] = 1
    m[70:82, 60 + 5 * i:78 + 5 * i] = 2
    m[:, 100 + 3 * i:] = 255
    Image.fromarray(m).save(f"haulout_seg/masks/t{i:03d}.png")
'''

SCRIPTS["qgis-rasterised-haulout-masks-nodata-255"] = '''
import glob
import os

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision.models.segmentation import deeplabv3_mobilenet_v3_large
from torchvision.transforms import functional as TF

CLASSES = ["rock_sand", "harbour_seal", "grey_seal"]


class Haulout(Dataset):
    def __init__(self, root):
        self.tiles = sorted(glob.glob(f"{root}/tiles/*.png"))
        self.root = root

    def __len__(self):
        return len(self.tiles)

    def __getitem__(self, i):
        p = self.tiles[i]
        mask = np.array(Image.open(os.path.join(self.root, "masks", os.path.basename(p))))
        return TF.to_tensor(Image.open(p).convert("RGB")), torch.from_numpy(mask).long()


loader = DataLoader(Haulout("haulout_seg"), batch_size=2, shuffle=True)
model = deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=len(CLASSES))
criterion = nn.CrossEntropyLoss(weight=torch.tensor([0.2, 1.0, 1.0]))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
model.train()
for epoch in range(10):
    for x, mask in loader:
        loss = criterion(model(x)["out"], mask)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, round(loss.item(), 4))
'''

# ------------------------------------------------------------------ DotDotGoose points from the overlap, clamped
DDG_PREP = '''
import json, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(7)
os.makedirs("haulout_2024-06-18/tiles", exist_ok=True)
T, STRIDE = 512, 448          # 512 px tiles with 64 px overlap, cut from the orthomosaic
for r in range(2):
    for c in range(2):
        Image.fromarray(rng.integers(0, 255, (T, T, 3), dtype=np.uint8)).save(
            f"haulout_2024-06-18/tiles/tile_{r}_{c}.jpg")
pts = {"harbour_seal": [], "grey_seal": []}
for k in range(14):
    x, y = float(rng.uniform(20, 940)), float(rng.uniform(20, 940))
    pts["harbour_seal" if k % 3 else "grey_seal"].append({"x": round(x, 1), "y": round(y, 1)})
# a group hauled out right on the seam between the two top tiles
pts["harbour_seal"] += [{"x": 535.4, "y": 200.7}, {"x": 498.2, "y": 231.9}]
ddg = {"classes": ["harbour_seal", "grey_seal"], "points": {"orthomosaic_2024-06-18.tif": pts},
       "colors": {"harbour_seal": [255, 0, 0], "grey_seal": [0, 255, 255]},
       "metadata": {"survey_id": "HO-2024-06-18", "coordinates": "", "comments": "flight 2, 40 m AGL"},
       "grid_size": 200, "ui": {"grid": {"size": 200, "color": [255, 255, 255]}}}
json.dump(ddg, open("haulout_2024-06-18/counts_2024-06-18.pnt", "w"))
'''

SCRIPTS["dotdotgoose-points-from-overlap-clamped-boxes-fasterrcnn"] = '''
import glob
import json
import os

import torch
from PIL import Image
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as TF

CLASSES = ["__background__", "harbour_seal", "grey_seal"]
T, STRIDE = 512, 448
OVERLAP = T - STRIDE
R = 10                       # a seal is about 20 px across at 40 m


class SealTiles(torch.utils.data.Dataset):
    def __init__(self, survey):
        self.tiles = sorted(glob.glob(f"{survey}/tiles/*.jpg"))
        ddg = json.load(open(glob.glob(f"{survey}/*.pnt")[0]))
        self.points = [(CLASSES.index(cls), p["x"], p["y"]) for pts in ddg["points"].values()
                       for cls, lst in pts.items() for p in lst]

    def __len__(self):
        return len(self.tiles)

    def __getitem__(self, i):
        path = self.tiles[i]
        r, c = map(int, os.path.basename(path)[5:-4].split("_"))
        x0, y0 = c * STRIDE, r * STRIDE
        boxes, labels = [], []
        for cls, px, py in self.points:
            # take the points in the overlap too, so seals cut by the tile edge are not lost
            if x0 - OVERLAP <= px < x0 + T + OVERLAP and y0 - OVERLAP <= py < y0 + T + OVERLAP:
                lx, ly = px - x0, py - y0
                boxes.append([min(max(lx - R, 0), T), min(max(ly - R, 0), T),
                              min(max(lx + R, 0), T), min(max(ly + R, 0), T)])
                labels.append(cls)
        target = {"boxes": torch.tensor(boxes, dtype=torch.float32), "labels": torch.tensor(labels)}
        return TF.to_tensor(Image.open(path).convert("RGB")), target


ds = SealTiles("haulout_2024-06-18")
loader = torch.utils.data.DataLoader(ds, batch_size=2, shuffle=False, collate_fn=lambda b: tuple(zip(*b)))
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES))
opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9, weight_decay=1e-4)
model.train()
for epoch in range(10):
    for images, targets in loader:
        losses = model(list(images), list(targets))
        loss = sum(losses.values())
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, {k: round(v.item(), 3) for k, v in losses.items()})
'''

# ------------------------------------------------------------------ gibbon presence, [B] targets (notebook)
GIBBON_PREP = '''
import csv, os
import numpy as np

rng = np.random.default_rng(8)
os.makedirs("gibbon_clips", exist_ok=True)
rows = []
for i in range(48):
    cid = f"GB02_20240311_{i:04d}"
    np.save(f"gibbon_clips/{cid}.npy", rng.normal(0, 1, (64, 128)).astype(np.float32))
    rows.append((cid, int(rng.random() < 0.25)))
with open("gibbon_clips/labels.csv", "w", newline="") as f:
    csv.writer(f).writerows([("clip", "gibbon")] + rows)
'''

CELLS["gibbon-presence-vector-targets-one-logit-notebook"] = [
    '''import csv
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import Dataset, DataLoader

rows = list(csv.DictReader(open("gibbon_clips/labels.csv")))
len(rows), sum(int(r["gibbon"]) for r in rows)''',
    '''class GibbonClips(Dataset):
    def __len__(self):
        return len(rows)

    def __getitem__(self, i):
        r = rows[i]
        x = torch.from_numpy(np.load(f"gibbon_clips/{r['clip']}.npy"))[None]
        return x, torch.tensor(float(r["gibbon"]))


loader = DataLoader(GibbonClips(), batch_size=8, shuffle=True)
model = nn.Sequential(nn.Conv2d(1, 16, 3, stride=2), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2), nn.ReLU(),
                      nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 1))
# one in four clips has a great call in it
criterion = nn.BCEWithLogitsLoss(pos_weight=torch.tensor(3.0))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)''',
    '''for epoch in range(10):
    for x, y in loader:
        loss = criterion(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, round(loss.item(), 4))''',
]

# ------------------------------------------------------------------ int16 from wavfile into a Conv1d front end
GUARDIAN_PREP = '''
import csv, os
import numpy as np
from scipy.io import wavfile

rng = np.random.default_rng(9)
SR = 16000
os.makedirs("guardian_clips", exist_ok=True)
rows = []
for i in range(24):
    name = f"GD12_{20240402 + i // 8}_{i:04d}.wav"
    wavfile.write(f"guardian_clips/{name}", SR, rng.normal(0, 2000, 2 * SR).astype(np.int16))
    rows.append((name, ["background", "chainsaw", "gunshot", "vehicle"][i % 4]))
with open("guardian_clips/labels.csv", "w", newline="") as f:
    csv.writer(f).writerows([("file", "label")] + rows)
'''

SCRIPTS["guardian-int16-wavfile-into-conv1d-frontend"] = '''
import csv

import torch
import torch.nn as nn
from scipy.io import wavfile
from torch.utils.data import Dataset, DataLoader

LABELS = ["background", "chainsaw", "gunshot", "vehicle"]


class GuardianClips(Dataset):
    """2 s clips from the anti-poaching acoustic network, raw waveform"""

    def __init__(self, root):
        self.root = root
        self.rows = list(csv.DictReader(open(f"{root}/labels.csv")))

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        sr, x = wavfile.read(f"{self.root}/{r['file']}")
        return torch.from_numpy(x)[None], LABELS.index(r["label"])


class WaveNetLite(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.front = nn.Sequential(nn.Conv1d(1, 32, 80, stride=4), nn.BatchNorm1d(32), nn.ReLU(), nn.MaxPool1d(4))
        self.body = nn.Sequential(nn.Conv1d(32, 64, 3), nn.BatchNorm1d(64), nn.ReLU(), nn.MaxPool1d(4),
                                  nn.Conv1d(64, 64, 3), nn.ReLU(), nn.AdaptiveAvgPool1d(1), nn.Flatten())
        self.fc = nn.Linear(64, n)

    def forward(self, x):
        return self.fc(self.body(self.front(x)))


loader = DataLoader(GuardianClips("guardian_clips"), batch_size=8, shuffle=True)
model = WaveNetLite(len(LABELS))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(20):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

# ================================================================== models
# ------------------------------------------------------------------ STFT batch without a channel axis (notebook)
FROG_PREP = '''
import os
import numpy as np

rng = np.random.default_rng(10)
os.makedirs("frog_chorus", exist_ok=True)
# 1.5 s at 16 kHz around each detection, already float
np.save("frog_chorus/waves.npy", rng.normal(0, 0.05, (40, 24000)).astype(np.float32))
np.save("frog_chorus/labels.npy", rng.integers(0, 4, 40))
'''

CELLS["frog-chorus-stft-batch-without-channel-axis-notebook"] = [
    '''import numpy as np
import torch
import torch.nn as nn

SPECIES = ["Hyla_arborea", "Rana_temporaria", "Bufo_bufo", "Pelophylax_kl_esculentus"]
waves = torch.from_numpy(np.load("frog_chorus/waves.npy"))
labels = torch.from_numpy(np.load("frog_chorus/labels.npy"))
waves.shape, labels.bincount()''',
    '''window = torch.hann_window(256)


def to_spec(w):
    return torch.stft(w, n_fft=256, hop_length=128, window=window, return_complex=True).abs().log1p()


torch.manual_seed(0)
model = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                      nn.Linear(32, len(SPECIES)))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)''',
    '''for epoch in range(10):
    perm = torch.randperm(len(waves))
    for i in range(0, len(waves), 8):
        idx = perm[i:i + 8]
        loss = nn.functional.cross_entropy(model(to_spec(waves[idx])), labels[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, round(loss.item(), 3))''',
]

# ------------------------------------------------------------------ fluke re-ID: ResNet-50 with a 512-wide ArcFace
CELLS["fluke-reid-resnet50-backbone-arcface-512-notebook"] = [
    '''import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((96, 192)), transforms.ToTensor()])
ds = datasets.ImageFolder("fluke_ids/train", transform=tf)
loader = DataLoader(ds, batch_size=8, shuffle=True)
len(ds.classes), len(ds)''',
    '''class ArcFace(nn.Module):
    def __init__(self, in_features, n_ids, s=30.0, m=0.5):
        super().__init__()
        self.W = nn.Parameter(torch.randn(n_ids, in_features) * 0.01)
        self.s, self.m = s, m

    def forward(self, emb, labels):
        cos = F.linear(F.normalize(emb), F.normalize(self.W))
        theta = torch.acos(cos.clamp(-1 + 1e-7, 1 - 1e-7))
        onehot = F.one_hot(labels, cos.size(1)).float()
        return self.s * (onehot * torch.cos(theta + self.m) + (1 - onehot) * cos)


EMB_DIM = 512                                   # ResNet-18 features, as in last month's notebook
backbone = models.resnet50(weights=None)        # bigger backbone: the flukes of some individuals look alike
backbone.fc = nn.Identity()
head = ArcFace(EMB_DIM, len(ds.classes))
opt = torch.optim.Adam(list(backbone.parameters()) + list(head.parameters()), lr=3e-4)''',
    '''for epoch in range(10):
    backbone.train()
    for x, y in loader:
        loss = F.cross_entropy(head(backbone(x), y), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, round(loss.item(), 3))''',
]

# ------------------------------------------------------------------ species + group size tuple into the loss
GROUP_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(11)
os.makedirs("ct_labelled/images", exist_ok=True)
rows = []
species = ["wildebeest", "zebra", "gazelle_thomsons", "impala", "buffalo"]
for i in range(30):
    name = f"S3_G09_R2_IMAG{1200 + i:04d}.JPG"
    Image.fromarray(rng.integers(0, 255, (96, 128, 3), dtype=np.uint8)).save(f"ct_labelled/images/{name}")
    rows.append((name, species[i % 5], ["1", "2", "3-5", "6-10", "11+"][int(rng.integers(0, 5))]))
with open("ct_labelled/consensus.csv", "w", newline="") as f:
    csv.writer(f).writerows([("image", "species", "count")] + rows)
'''

SCRIPTS["species-and-group-size-heads-tuple-into-loss"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import models, transforms

SPECIES = ["wildebeest", "zebra", "gazelle_thomsons", "impala", "buffalo"]
COUNTS = ["1", "2", "3-5", "6-10", "11+"]


class Consensus(Dataset):
    def __init__(self, root):
        self.root = root
        self.rows = list(csv.DictReader(open(f"{root}/consensus.csv")))
        self.tf = transforms.Compose([transforms.Resize((96, 128)), transforms.RandomHorizontalFlip(),
                                      transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        img = Image.open(f"{self.root}/images/{r['image']}").convert("RGB")
        return self.tf(img), SPECIES.index(r["species"]), COUNTS.index(r["count"])


class SpeciesAndCount(nn.Module):
    """species and group size from the same features (as in the Snapshot Serengeti paper)"""

    def __init__(self):
        super().__init__()
        self.features = models.mobilenet_v3_small(weights=None).features
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.species = nn.Linear(576, len(SPECIES))
        self.count = nn.Linear(576, len(COUNTS))

    def forward(self, x):
        f = self.pool(self.features(x)).flatten(1)
        return self.species(f), self.count(f)


loader = DataLoader(Consensus("ct_labelled"), batch_size=8, shuffle=True)
model = SpeciesAndCount()
criterion = nn.CrossEntropyLoss()
opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
for epoch in range(10):
    model.train()
    for x, species, count in loader:
        loss = criterion(model(x), species)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.3f}")
'''

# ------------------------------------------------------------------ one-channel bat checkpoint into a plain ResNet
BATCKPT_PREP = '''
import os
import torch
import torch.nn as nn
from torchvision import models

os.makedirs("models", exist_ok=True)
torch.manual_seed(0)
# train_bats.py on the lab server: ResNet-18 with a one-channel stem for the spectrograms
m = models.resnet18(weights=None, num_classes=6)
m.conv1 = nn.Conv2d(1, 64, kernel_size=7, stride=2, padding=3, bias=False)
torch.save(m.state_dict(), "models/bats_resnet18_best_2024-05.pt")
'''

SCRIPTS["lab-server-one-channel-bat-checkpoint-into-plain-resnet"] = '''
import glob

import torch
from PIL import Image
from torchvision import models, transforms

BATS = ["Eptesicus_serotinus", "Myotis_daubentonii", "Nyctalus_noctula", "Pipistrellus_pipistrellus",
        "Pipistrellus_pygmaeus", "Plecotus_auritus"]

# classify last night's passes on the volunteer's laptop with the model from the lab server
model = models.resnet18(weights=None, num_classes=len(BATS))
model.load_state_dict(torch.load("models/bats_resnet18_best_2024-05.pt", map_location="cpu"))
model.eval()

tf = transforms.Compose([transforms.Grayscale(), transforms.Resize((128, 128)), transforms.ToTensor()])
with torch.no_grad():
    for p in sorted(glob.glob("passes_2024-06-02/*.png")):
        probs = model(tf(Image.open(p)).unsqueeze(0)).softmax(1)[0]
        print(p, BATS[int(probs.argmax())], f"{probs.max():.2f}")
'''

# ------------------------------------------------------------------ class weights as a NumPy array (notebook)
CELLS["camera-trap-class-weights-numpy-array-notebook"] = [
    '''import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((96, 128)), transforms.ToTensor()])
ds = datasets.ImageFolder("station_frames", transform=tf)
loader = DataLoader(ds, batch_size=8, shuffle=True)
counts = np.bincount(ds.targets)
dict(zip(ds.classes, counts))''',
    '''# most frames are empty: weight the classes by inverse frequency
class_weights = counts.sum() / (len(counts) * counts)
model = models.mobilenet_v3_small(weights=None, num_classes=len(ds.classes))
criterion = nn.CrossEntropyLoss(weight=class_weights)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)''',
    '''for epoch in range(5):
    for x, y in loader:
        loss = criterion(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())''',
]

# ================================================================== optimisation
# ------------------------------------------------------------------ seabird count loss through .item()
SEABIRD_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(12)
os.makedirs("gannets_2024/tiles", exist_ok=True)
rows = []
for i in range(24):
    name = f"bass_rock_{i:03d}.jpg"
    Image.fromarray(rng.integers(0, 255, (128, 128, 3), dtype=np.uint8)).save(f"gannets_2024/tiles/{name}")
    rows.append((name, int(rng.integers(0, 60))))
with open("gannets_2024/tile_counts.csv", "w", newline="") as f:
    csv.writer(f).writerows([("tile", "apparently_occupied_sites")] + rows)
'''

SCRIPTS["gannet-tile-count-loss-from-item-values-tqdm"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision.transforms import functional as TF
from tqdm import tqdm


class TileCounts(Dataset):
    def __init__(self, root):
        self.root = root
        self.rows = list(csv.DictReader(open(f"{root}/tile_counts.csv")))

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        img = TF.to_tensor(Image.open(f"{self.root}/tiles/{r['tile']}").convert("RGB"))
        return img, float(r["apparently_occupied_sites"])


# density map: one value per pixel, the sum over the tile is the number of nests
model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(),
                      nn.Conv2d(32, 1, 1), nn.ReLU())
loader = DataLoader(TileCounts("gannets_2024"), batch_size=4, shuffle=True)
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
for epoch in range(30):
    bar = tqdm(loader, desc=f"epoch {epoch}")
    for x, counts in bar:
        density = model(x)
        predicted = torch.tensor([d.sum().item() for d in density])      # nests per tile
        loss = nn.functional.l1_loss(predicted, counts.float())
        opt.zero_grad()
        loss.backward()
        opt.step()
        bar.set_postfix(mae=f"{loss.item():.1f}")
'''

# ------------------------------------------------------------------ zero-padded clips, torch.log of the power
PAD_PREP = '''
import csv, os
import numpy as np
from scipy.io import wavfile

rng = np.random.default_rng(13)
SR = 16000
os.makedirs("owl_calls", exist_ok=True)
rows = []
for i in range(24):
    name = f"owl_{i:03d}.wav"
    # detections exported by the recogniser: as long as the call, 1.5 to 5 s
    n = int(SR * rng.uniform(1.5, 5.0))
    wavfile.write(f"owl_calls/{name}", SR, rng.normal(0, 3000, n).astype(np.int16))
    rows.append((name, ["tawny", "barn", "little"][i % 3]))
with open("owl_calls/labels.csv", "w", newline="") as f:
    csv.writer(f).writerows([("file", "owl")] + rows)
'''

SCRIPTS["owl-calls-zero-padded-log-power-spectrogram-anomaly"] = '''
import csv

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from scipy.io import wavfile
from torch.utils.data import Dataset, DataLoader

OWLS = ["tawny", "barn", "little"]
SR, SECONDS = 16000, 5


class OwlCalls(Dataset):
    def __init__(self, root):
        self.root = root
        self.rows = list(csv.DictReader(open(f"{root}/labels.csv")))
        self.window = torch.hann_window(512)

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        _, x = wavfile.read(f"{self.root}/{r['file']}")
        x = torch.from_numpy(x.astype(np.float32) / 32768)
        x = F.pad(x, (0, SR * SECONDS - len(x)))                    # every clip 5 s
        power = torch.stft(x, 512, 256, window=self.window, return_complex=True).abs() ** 2
        return torch.log(power)[None], OWLS.index(r["owl"])          # log power spectrogram (dB / 10)


torch.autograd.set_detect_anomaly(True)     # loss went to nan on the first run
torch.manual_seed(0)
loader = DataLoader(OwlCalls("owl_calls"), batch_size=8, shuffle=True)
model = nn.Sequential(nn.Conv2d(1, 16, 5, stride=2), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2), nn.ReLU(),
                      nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, len(OWLS)))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(20):
    for x, y in loader:
        loss = F.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

# ================================================================== resource / environment
# ------------------------------------------------------------------ one STFT of the whole night, job memory limit
NIGHT_PREP = '''
import os
import numpy as np
from scipy.io import wavfile

rng = np.random.default_rng(14)
SR = 48000
os.makedirs("AM03_2024-06-01", exist_ok=True)
# one minute every hour through the night (AudioMoth duty cycle)
for h in (21, 22, 23, 0, 1, 2, 3, 4):
    wavfile.write(f"AM03_2024-06-01/2024060{1 if h > 12 else 2}_{h:02d}0000.WAV", SR,
                  rng.normal(0, 600, SR * 45).astype(np.int16))
'''

SCRIPTS["whole-night-one-stft-fine-hop-lab-server-job-limit"] = '''
import glob
import resource

import numpy as np
import torch
from scipy.io import wavfile

# the shared lab server's job wrapper (ulimit -v), reproduced here
vm = int(next(line for line in open("/proc/self/status") if line.startswith("VmSize")).split()[1]) * 1024
resource.setrlimit(resource.RLIMIT_AS, (vm + 3 * 2 ** 29, resource.RLIM_INFINITY))

files = sorted(glob.glob("AM03_2024-06-01/*.WAV"))
night = []
for f in files:
    sr, x = wavfile.read(f)
    night.append(x.astype(np.float32) / 32768)
night = torch.from_numpy(np.concatenate(night))
print(f"{len(files)} files, {len(night) / sr / 60:.1f} min at {sr} Hz")

# one spectrogram of the whole night, fine hop for the call onsets, so the detector can slide over it
N_FFT, HOP = 2048, 64
spec = torch.stft(night, n_fft=N_FFT, hop_length=HOP, window=torch.hann_window(N_FFT), return_complex=True)
spec_db = 20 * torch.log10(spec.abs() + 1e-6)
print(spec_db.shape)
torch.save(spec_db, "AM03_2024-06-01/night_spectrogram.pt")
'''

# ------------------------------------------------------------------ Colab script: map_location="cuda:0"
COLAB_PREP = '''
import os
import torch
from torchvision import models

os.makedirs("models", exist_ok=True)
torch.manual_seed(0)
torch.save(models.mobilenet_v3_large(weights=None, num_classes=8).state_dict(),
           "models/ct_species_mnv3l_colab_best.pt")
'''

SCRIPTS["colab-script-map-location-cuda-donated-laptop"] = '''
# -*- coding: utf-8 -*-
"""ct_species_inference.ipynb

Automatically generated by Colab.
"""

import glob

import torch
from PIL import Image
from torchvision import models, transforms

SPECIES = ["Empty", "Roe deer", "Red fox", "Badger", "Wild boar", "Pine marten", "Hare", "Human"]
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print("device:", device)

model = models.mobilenet_v3_large(weights=None, num_classes=len(SPECIES))
state = torch.load("models/ct_species_mnv3l_colab_best.pt", map_location="cuda:0")
model.load_state_dict(state)
model.to(device).eval()

tf = transforms.Compose([transforms.Resize((224, 224)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
with torch.no_grad():
    for p in sorted(glob.glob("SD_ST11/DCIM/100RECNX/*.JPG")):
        probs = model(tf(Image.open(p).convert("RGB")).unsqueeze(0).to(device)).softmax(1)[0]
        print(p, SPECIES[int(probs.argmax())], f"{probs.max():.2f}")
'''

# ------------------------------------------------------------------ old bat feature helper: scipy.signal.hann
BATKIT = '''
"""Echolocation call features (from the 2018 batcall-tools repository, vendored into the project)."""
import numpy as np
from scipy import signal


def call_spectrogram(x, sr, n_fft=256, hop=64, fmin=15000, fmax=120000):
    win = signal.hann(n_fft, sym=False)
    f, t, S = signal.stft(x, fs=sr, window=win, nperseg=n_fft, noverlap=n_fft - hop)
    keep = (f >= fmin) & (f <= fmax)
    S = np.abs(S[keep]) ** 2
    return 10 * np.log10(S / S.max() + 1e-10)
'''

BATWAV_PREP = '''
import csv, os
import numpy as np
from scipy.io import wavfile

rng = np.random.default_rng(16)
SR = 256000          # full-spectrum bat detector
os.makedirs("bat_wavs", exist_ok=True)
rows = []
for i in range(16):
    name = f"BAT03_20240612_{220000 + 17 * i}.wav"
    wavfile.write(f"bat_wavs/{name}", SR, rng.normal(0, 1500, SR // 4).astype(np.int16))
    rows.append((name, ["Pipistrellus_pipistrellus", "Pipistrellus_pygmaeus", "Myotis_daubentonii",
                        "Nyctalus_noctula"][i % 4]))
with open("bat_wavs/auto_id_vetted.csv", "w", newline="") as f:
    csv.writer(f).writerows([("file", "species")] + rows)
'''

SCRIPTS["old-batcall-helper-scipy-signal-hann-workers"] = '''
import csv

import torch
import torch.nn as nn
from scipy.io import wavfile
from torch.utils.data import Dataset, DataLoader

from batcall_tools.features import call_spectrogram

SPECIES = ["Pipistrellus_pipistrellus", "Pipistrellus_pygmaeus", "Myotis_daubentonii", "Nyctalus_noctula"]


class BatPasses(Dataset):
    def __init__(self, root):
        self.root = root
        self.rows = list(csv.DictReader(open(f"{root}/auto_id_vetted.csv")))

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        sr, x = wavfile.read(f"{self.root}/{r['file']}")
        spec = call_spectrogram(x.astype("float32"), sr)
        return torch.from_numpy(spec).float()[None], SPECIES.index(r["species"])


if __name__ == "__main__":
    loader = DataLoader(BatPasses("bat_wavs"), batch_size=4, shuffle=True, num_workers=2)
    model = nn.Sequential(nn.Conv2d(1, 16, 3, stride=2), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2), nn.ReLU(),
                          nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, len(SPECIES)))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(10):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, round(loss.item(), 3))
'''

# ------------------------------------------------------------------ crop cache with a threading.Lock, spawn workers
CROPS_PREP = '''
import json, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(17)
os.makedirs("md_run/frames", exist_ok=True)
images = []
for i in range(12):
    name = f"ST{i % 3 + 1:02d}_IMG_{4410 + i:04d}.JPG"
    Image.fromarray(rng.integers(0, 255, (240, 320, 3), dtype=np.uint8)).save(f"md_run/frames/{name}")
    x, y = float(rng.uniform(0.05, 0.5)), float(rng.uniform(0.05, 0.5))
    images.append({"file": name, "max_detection_conf": 0.93,
                   "detections": [{"category": "1", "conf": 0.93, "bbox": [round(x, 4), round(y, 4), 0.3, 0.35]}],
                   "species": ["red_deer", "roe_deer", "wild_boar"][i % 3]})
json.dump({"info": {"detector": "md_v5a.0.0.pt"}, "detection_categories": {"1": "animal", "2": "person",
           "3": "vehicle"}, "images": images}, open("md_run/md_output_verified.json", "w"), indent=1)
'''

SCRIPTS["megadetector-crop-cache-threading-lock-spawn-workers"] = '''
import json
import threading
from collections import OrderedDict

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import models, transforms

SPECIES = ["red_deer", "roe_deer", "wild_boar"]


class MDCrops(Dataset):
    """animal crops from the MegaDetector boxes; decoded crops kept in a small LRU cache"""

    def __init__(self, md_json, root, cache_size=256):
        md = json.load(open(md_json))
        self.items = [(im["file"], d["bbox"], SPECIES.index(im["species"]))
                      for im in md["images"] for d in im["detections"] if d["conf"] > 0.5]
        self.root = root
        self.cache, self.cache_size = OrderedDict(), cache_size
        self.lock = threading.Lock()          # the prefetch threads in predict.py share this cache
        self.tf = transforms.Compose([transforms.Resize((112, 112)), transforms.ToTensor()])

    def __len__(self):
        return len(self.items)

    def crop(self, i):
        name, (x, y, w, h), _ = self.items[i]
        with self.lock:
            if i in self.cache:
                return self.cache[i]
        img = Image.open(f"{self.root}/{name}").convert("RGB")
        W, H = img.size
        c = img.crop((int(x * W), int(y * H), int((x + w) * W), int((y + h) * H)))
        with self.lock:
            self.cache[i] = c
            if len(self.cache) > self.cache_size:
                self.cache.popitem(last=False)
        return c

    def __getitem__(self, i):
        return self.tf(self.crop(i)), self.items[i][2]


if __name__ == "__main__":
    ds = MDCrops("md_run/md_output_verified.json", "md_run/frames")
    # worker processes are spawned, as on the volunteers' MacBooks
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2, multiprocessing_context="spawn")
    model = models.mobilenet_v3_small(weights=None, num_classes=len(SPECIES))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(5):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())
'''

# ------------------------------------------------------------------ DDP: backbone frozen after wrapping
SCRIPTS["seal-reid-backbone-frozen-after-ddp-wrap-torchrun"] = '''
import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler
from torchvision import datasets, transforms

WARMUP_EPOCHS = 1


class PelageReID(nn.Module):
    def __init__(self, n_ids, dim=128):
        super().__init__()
        self.backbone = nn.Sequential(nn.Conv2d(3, 32, 3, stride=2, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
                                      nn.Conv2d(32, 64, 3, stride=2, padding=1), nn.BatchNorm2d(64), nn.ReLU(),
                                      nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.embed = nn.Linear(64, dim)
        self.W = nn.Parameter(torch.randn(n_ids, dim) * 0.01)      # ArcFace-style class centres

    def forward(self, x):
        e = F.normalize(self.embed(self.backbone(x)))
        return 30.0 * F.linear(e, F.normalize(self.W))


def main():
    dist.init_process_group("gloo")
    rank = dist.get_rank()
    tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
    ds = datasets.ImageFolder("seal_ids/train", transform=tf)
    sampler = DistributedSampler(ds, shuffle=True)
    loader = DataLoader(ds, batch_size=4, sampler=sampler)
    model = DDP(PelageReID(len(ds.classes)))
    for epoch in range(6):
        sampler.set_epoch(epoch)
        warm = epoch < WARMUP_EPOCHS
        # warm-up: only the embedding and the class centres learn at first
        for p in model.module.backbone.parameters():
            p.requires_grad = not warm
        opt = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=0.01, momentum=0.9)
        for x, y in loader:
            loss = F.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        if rank == 0:
            print(f"epoch {epoch} loss {loss.item():.4f}", flush=True)
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
'''

# ------------------------------------------------------------------ empties subsampled with replace=False
EMPTIES_PREP = '''
import csv
import numpy as np

rng = np.random.default_rng(19)
rows = []
# empties per station: the wind-exposed stations trigger on grass all day, ST09 sits in a quiet woodland
empties = {"ST01": 1240, "ST04": 860, "ST06": 412, "ST09": 187}
for st, n_empty in empties.items():
    for i in range(n_empty + 120):
        sp = "Empty" if i < n_empty else ["Roe deer", "Red fox", "Badger", "Wild boar"][i % 4]
        rows.append((f"IMG_{i:05d}.JPG", f"{st}\\\\100RECNX", st, sp))
rng.shuffle(rows)
with open("TimelapseData_2024.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["File", "RelativePath", "Station", "Species"])
    w.writerows(rows)
'''

SCRIPTS["empty-frames-subsampled-per-station-replace-false"] = '''
import csv
from collections import defaultdict

import numpy as np

N_EMPTY_PER_STATION = 250       # keep the empty class from swamping the species

rng = np.random.default_rng(2024)
by_station = defaultdict(list)
for r in csv.DictReader(open("TimelapseData_2024.csv")):
    by_station[r["Station"]].append(r)

keep = []
for station, rows in sorted(by_station.items()):
    animals = [r for r in rows if r["Species"] != "Empty"]
    empties = [r for r in rows if r["Species"] == "Empty"]
    picked = rng.choice(len(empties), size=N_EMPTY_PER_STATION, replace=False)
    keep += animals + [empties[i] for i in picked]
    print(f"{station}: {len(animals)} animal frames, {len(picked)} of {len(empties)} empty frames")

with open("train_split_balanced.csv", "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=keep[0].keys())
    w.writeheader()
    w.writerows(keep)
print(len(keep), "frames in the training split")
'''

# ================================================================== ImageAI 3
DET_TRAIN = '''
from imageai.Detection.Custom import DetectionModelTrainer

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="@@DIR@@")
trainer.setTrainConfig(object_names_array=@@NAMES@@, batch_size=4, num_experiments=@@EPOCHS@@)
trainer.trainModel()
'''

SCRIPTS["imageai-haulout-labels-normalised-by-tiler-stride"] = sub(
    DET_TRAIN, DIR="haulout_yolo", NAMES='["harbour_seal", "grey_seal"]', EPOCHS="50").replace(
    "trainer = Det", "# labels written by tile_orthomosaic.py: 512 px tiles every 448 px\ntrainer = Det")


def stride_rows(split, i):
    # tile_orthomosaic.py normalised the seals' tile coordinates by its STRIDE (448) instead of the tile size (512),
    # so a seal in the right or bottom overlap of a tile comes out past 1
    out = []
    for k, (lx, ly) in enumerate([(120 + 13 * i, 200), (300, 90 + 11 * i), (470 + 4 * i, 260 - 9 * i)]):
        out.append(f"{k % 2} {lx / 448:.6f} {ly / 448:.6f} {20 / 448:.6f} {22 / 448:.6f}\n")
    return "".join(out)


TINY = {"PT": "seal_det/models/tiny-yolov3_haulout_mAP-0.48810_epoch-44.pt",
        "JS": "seal_det/json/haulout_tiny-yolov3_detection_config.json"}

SCRIPTS["imageai-flights-histogram-matched-float64-tiles"] = sub('''
import glob

import numpy as np
from PIL import Image
from imageai.Detection.Custom import CustomObjectDetection


def match_to_reference(img, ref):
    """per-channel histogram matching, so this flight's tiles look like the reference flight's"""
    out = np.empty(img.shape)
    for c in range(3):
        src, idx, n_src = np.unique(img[..., c].ravel(), return_inverse=True, return_counts=True)
        dst, n_dst = np.unique(ref[..., c].ravel(), return_counts=True)
        q_src = np.cumsum(n_src) / img[..., c].size
        q_dst = np.cumsum(n_dst) / ref[..., c].size
        out[..., c] = np.interp(q_src, q_dst, dst)[idx].reshape(img.shape[:2])
    return out


detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("@@PT@@")
detector.setJsonPath("@@JS@@")
detector.loadModel()

ref = np.asarray(Image.open("flights/2024-06-02/tiles/tile_0_0.jpg").convert("RGB"))
total = 0
for path in sorted(glob.glob("flights/2024-06-18/tiles/*.jpg")):
    tile = match_to_reference(np.asarray(Image.open(path).convert("RGB")), ref)
    _, detections = detector.detectObjectsFromImage(input_image=tile, output_type="array",
                                                    minimum_percentage_probability=30)
    total += len(detections)
    print(path, len(detections))
print("seals counted:", total)
''', **TINY)


def cases():
    out, _add, script, notebook = case_builders("torch-more111-", SCRIPTS, CELLS)
    W = ("cpython_basic", "dataloader_worker")
    NB = ("ipython_cell", "ipython_arrows", "ipython_file_tilde?")
    P = ("cpython_basic", "progress_bars?")

    # ---- data
    script("raven-selections-cut-to-call-length-workers", "data.image_size_mismatch", forms=W,
           argv="train_selections.py", setup=prep(RAVEN_PREP))
    script("kaleidoscope-bat-pngs-imagefolder-one-channel-stem-tqdm", "data.image_channels",
           also=["model.input_shape"], forms=P, argv="train_bats.py",
           setup=imgs(class_folder("bat_passes/train", BATS, 3, size=(160, 120), mode="L", ext="png")))
    script("timelapse-export-lists-hybrid-mode-video-clips-workers", "data.missing_or_corrupt", forms=W,
           argv="train_species.py", setup=prep(TIMELAPSE_PREP))
    script("audiomoth-card-full-header-only-wavs-tqdm", "data.missing_or_corrupt", forms=P,
           argv="train_nightjar.py", setup=prep(SDFULL_PREP))
    script("raven-unkn-selections-minus-one-ignored-tqdm", "data.label_out_of_range", forms=P,
           argv="train_songbirds.py", setup=prep(UNKN_PREP))
    script("qgis-rasterised-haulout-masks-nodata-255", "data.label_out_of_range", argv="train_haulout_seg.py",
           setup=prep(NODATA_PREP))
    script("dotdotgoose-points-from-overlap-clamped-boxes-fasterrcnn", "data.bbox_invalid",
           argv="train_seal_detector.py", setup=prep(DDG_PREP))
    notebook("gibbon-presence-vector-targets-one-logit-notebook", "data.label_shape", forms=NB,
             setup=prep(GIBBON_PREP))
    script("guardian-int16-wavfile-into-conv1d-frontend", "data.dtype", argv="train_guardian.py",
           setup=prep(GUARDIAN_PREP))

    # ---- models
    notebook("frog-chorus-stft-batch-without-channel-axis-notebook", "model.input_shape", forms=NB,
             setup=prep(FROG_PREP))
    notebook("fluke-reid-resnet50-backbone-arcface-512-notebook", "model.input_shape",
             also=["model.output_mismatch"], forms=NB,
             setup=imgs(class_folder("fluke_ids/train", [f"HW-MN{1000 + 37 * k}" for k in range(6)], 2,
                                     size=(200, 100))))
    script("species-and-group-size-heads-tuple-into-loss", "model.output_mismatch", also=["model.api_misuse"],
           argv="train_species_count.py", setup=prep(GROUP_PREP))
    script("lab-server-one-channel-bat-checkpoint-into-plain-resnet", "model.weights_mismatch",
           argv="classify_passes.py",
           setup=both(prep(BATCKPT_PREP),
                      imgs([(f"passes_2024-06-02/pass_{i:03d}.png", (160, 120), "L") for i in range(3)])))
    notebook("camera-trap-class-weights-numpy-array-notebook", "model.api_misuse", forms=NB,
             setup=imgs([(f"station_frames/{c}/{c}_{i:03d}.jpg", (128, 96), "RGB")
                         for c, n in (("badger", 2), ("empty", 12), ("red_fox", 3), ("roe_deer", 4))
                         for i in range(n)]))

    # ---- optimisation
    script("gannet-tile-count-loss-from-item-values-tqdm", "optim.autograd_graph", forms=P,
           argv="train_gannet_counts.py", setup=prep(SEABIRD_PREP))
    script("owl-calls-zero-padded-log-power-spectrogram-anomaly", "optim.divergence", argv="train_owls.py",
           setup=prep(PAD_PREP))

    # ---- resource / environment / other
    script("whole-night-one-stft-fine-hop-lab-server-job-limit", "resource.host_memory", argv="night_spectrogram.py",
           setup=prep(NIGHT_PREP))
    script("colab-script-map-location-cuda-donated-laptop", "env.cuda_setup", argv="ct_species_inference.py",
           setup=both(prep(COLAB_PREP),
                      imgs([(f"SD_ST11/DCIM/100RECNX/RCNX{81 + i:04d}.JPG", (320, 240), "RGB") for i in range(2)])))
    script("old-batcall-helper-scipy-signal-hann-workers", "env.version_incompat", forms=W, argv="train_batcalls.py",
           extra={"batcall_tools/__init__.py": "", "batcall_tools/features.py": BATKIT}, setup=prep(BATWAV_PREP))
    script("megadetector-crop-cache-threading-lock-spawn-workers", "env.multiprocessing", argv="train_crops.py",
           setup=prep(CROPS_PREP))
    script("seal-reid-backbone-frozen-after-ddp-wrap-torchrun", "env.distributed", also=["model.api_misuse"],
           argv="train_reid_ddp.py", forms=("cpython_basic", "launcher_prefix"),
           exception="RuntimeError",  # the ranks' own error; torchrun's ChildFailedError only reports it
           pre=("-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2"), timeout=300,
           setup=imgs(class_folder("seal_ids/train", [f"PV-{153 + 11 * k:04d}" for k in range(5)], 3,
                                   size=(80, 64))))
    script("empty-frames-subsampled-per-station-replace-false", "other", forms=("cpython_basic", "paths_with_spaces"),
           argv="make_training_split.py", project="/home/user/Camera Traps/season 2024", setup=prep(EMPTIES_PREP))

    # ---- ImageAI 3
    script("imageai-haulout-labels-normalised-by-tiler-stride", "data.bbox_invalid", framework="imageai",
           argv="train_haulout_det.py", setup=yolo_layout("haulout_yolo", stride_rows, size=(512, 512)))
    script("imageai-flights-histogram-matched-float64-tiles", "data.dtype", framework="imageai",
           argv="count_seals.py", exception="error",   # cv2.error
           setup=both(save_tiny('["harbour_seal", "grey_seal"]', 2, TINY["PT"], TINY["JS"]),
                      imgs([(f"flights/{d}/tiles/tile_0_{i}.jpg", (416, 416), "RGB")
                            for d in ("2024-06-02", "2024-06-18") for i in range(2)])))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=1))
