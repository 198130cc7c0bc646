"""An eighty-first held-out set (g152, scored 0.79 top-1 and 0.92 top-3 before any rule for it) of PyTorch / torchvision failures, untargeted across the taxonomy.

The persona: people training dense-prediction regressors in PyTorch on their own data -- monocular depth estimation
from RGB + 16-bit depth PNG pairs (KITTI, NYU-style exports, RealSense recordings), optical flow on frame pairs with
``.flo`` / ``.npy`` flow files (FlyingChairs / Sintel copies, dash-cam video), image inpainting with hole masks,
pose keypoint heat maps and crowd-density maps -- with encoder-decoder networks, custom Datasets with paired
augmentation, L1 / SSIM / smoothness / EPE losses and evaluation scripts. A natural mix of causes, each program built
so that its cause is known by construction and made to fail inside torch, torchvision, NumPy, OpenCV, SciPy, pickle
or torch.distributed; none a repeat of the scenarios in the other generators:

- depth: KITTI drives of different dates (1242 x 375, 1224 x 370, 1241 x 376) batched without a crop (in workers,
  data.image_size_mismatch), NYU depth paths built by replacing ``rgb`` with ``depth`` in a ``.jpg`` name (tqdm,
  data.missing_or_corrupt), RealSense depth PNGs kept in millimetres under SGD with anomaly mode (tqdm,
  optim.divergence), a Monodepth-style edge-aware smoothness loss normalising the sigmoid disparity in place
  (optim.autograd_graph), a U-Net trained on 352 x 704 crops evaluated at the full 375 x 1242 (tqdm,
  model.input_shape), a decoder copied from the inpainting project that predicts three channels, indexed with the
  one-channel valid mask (model.output_mismatch), the depth-completion RGB + LiDAR checkpoint loaded into the
  RGB-only model (notebook, model.weights_mismatch), the delta < 1.25 metric ported from NumPy with Python's ``max``
  (other), a multi-scale disparity decoder under DDP with only scale 0 in the loss (torchrun,
  env.distributed), MiDaS-style scale-and-shift alignment with the removed ``torch.lstsq`` (tqdm,
  env.version_incompat), DORN-style depth bins for LiDAR points beyond the 80 m range (tqdm,
  data.label_out_of_range);
- optical flow: a zero-byte ``.flo`` from an interrupted FlyingChairs copy through a RAFT-style ``readFlow`` (in workers,
  data.missing_or_corrupt), frame pairs stacked on a new axis for a six-channel FlowNetS (notebook,
  model.input_shape), a backward warp whose pixel grid is never permuted to N x H x W x 2 for ``grid_sample``
  (model.api_misuse), an EPE loss through ``sqrt`` at exactly zero error (zero-initialised flow head, static
  background) caught by ``clip_grad_norm_(error_if_nonfinite=True)`` (optim.divergence), ``flow_to_image`` given an
  H x W x 2 flow (notebook, model.api_misuse), a dash-cam Dataset holding its ``cv2.VideoCapture`` under spawn
  workers (env.multiprocessing), an all-pairs correlation volume at stride 2 on a Sintel frame under a memory
  limit (resource.host_memory);
- inpainting: hole masks exported from an editor as RGB PNGs (tqdm, data.image_channels), NVIDIA partial
  convolutions given 0/1 ``uint8`` masks (tqdm, data.dtype), 512 px irregular masks against 256 px images
  (notebook, data.image_size_mismatch);
- keypoints / crowds: heat-map drawing with sub-pixel keypoints of a labelling export used as slice bounds (in
  workers, data.dtype), a CSRNet regressor given full-resolution density maps (data.label_shape), ShanghaiTech head
  points lying just outside the image (tqdm, data.bbox_invalid).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None: checkpoints and
predictions are files an earlier run left on disk).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more81.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


import struct  # noqa: E402

import numpy as np  # noqa: E402

from _record import Case, prep, both, write, sub, case_builders  # noqa: E402,F401
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more81.py"

SCRIPTS = {}
CELLS = {}


# ------------------------------------------------------------------ setups (what an export / earlier run left)
def _cv2():
    import cv2
    return cv2


def rgb(work, rel, w, h, seed):
    """A random RGB image file (JPEG / PNG / PPM by extension)."""
    p = work / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    img = np.random.default_rng(seed).integers(0, 256, (h, w, 3), dtype=np.uint8)
    _cv2().imwrite(str(p), img)


def depth16(work, rel, w, h, seed, lo, hi, sparse=0.0):
    """A uint16 depth PNG with values in [lo, hi), a `sparse` fraction of zeros (no measurement)."""
    p = work / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    d = rng.integers(lo, hi, (h, w)).astype(np.uint16)
    if sparse:
        d[rng.random((h, w)) < sparse] = 0
    _cv2().imwrite(str(p), d)


def write_flo(path, flow):
    """Middlebury .flo: magic 202021.25, width, height, then H x W x 2 float32."""
    h, w = flow.shape[:2]
    with open(path, "wb") as f:
        f.write(struct.pack("<fii", 202021.25, w, h))
        f.write(flow.astype("<f4").tobytes())


def kitti_drives(work):
    """KITTI raw frames of three dates (each date has its own image size) + depth-benchmark ground truth."""
    sizes = {"2011_09_26": (1242, 375), "2011_09_28": (1224, 370), "2011_10_03": (1241, 376)}
    k = 0
    for date, (w, h) in sizes.items():
        drive = f"{date}_drive_00{17 + k * 21:02d}_sync"
        for f in range(4):
            frame = f"{5 + f:010d}.png"
            rgb(work, f"kitti_raw/{date}/{drive}/image_02/data/{frame}", w, h, seed=k * 10 + f)
            depth16(work, f"kitti_depth/train/{drive}/proj_depth/groundtruth/image_02/{frame}", w, h,
                    seed=k * 10 + f, lo=256 * 3, hi=256 * 80, sparse=0.95)
        k += 1


def nyu_export(work):
    """extract_nyu.py output: nyu/<split>/rgb_00000.jpg + depth_00000.png (uint16 millimetres)."""
    for split, n in (("train", 6), ("val", 2)):
        for i in range(n):
            rgb(work, f"nyu/{split}/rgb_{i:05d}.jpg", 320, 240, seed=i)
            depth16(work, f"nyu/{split}/depth_{i:05d}.png", 320, 240, seed=i, lo=500, hi=9000)


def realsense(work):
    for i in range(24):
        rgb(work, f"realsense_lab/color/{i:06d}.jpg", 160, 120, seed=i)
        depth16(work, f"realsense_lab/depth/{i:06d}.png", 160, 120, seed=i, lo=400, hi=6000, sparse=0.1)


def stereo_pairs(work):
    for i in range(8):
        rgb(work, f"kitti_stereo/image_02/{i:010d}.png", 320, 96, seed=i)
        rgb(work, f"kitti_stereo/image_03/{i:010d}.png", 320, 96, seed=100 + i)


def flying_chairs(work):
    rng = np.random.default_rng(3)
    d = work / "FlyingChairs_release/data"
    d.mkdir(parents=True, exist_ok=True)
    for i in range(1, 11):
        rgb(work, f"FlyingChairs_release/data/{i:05d}_img1.ppm", 512, 384, seed=i)
        rgb(work, f"FlyingChairs_release/data/{i:05d}_img2.ppm", 512, 384, seed=50 + i)
        if i == 7:
            (d / f"{i:05d}_flow.flo").write_bytes(b"")      # the copy that was interrupted
        else:
            write_flo(d / f"{i:05d}_flow.flo", rng.normal(0, 4, (384, 512, 2)))


def flow_pairs(root, n, w, h, zero_bg=False):
    """root/frames/<i>_0.png, <i>_1.png + root/flow/<i>.npy (H x W x 2 float32)."""
    def setup(work):
        rng = np.random.default_rng(7)
        (work / root / "flow").mkdir(parents=True, exist_ok=True)
        for i in range(n):
            rgb(work, f"{root}/frames/{i:04d}_0.png", w, h, seed=i)
            rgb(work, f"{root}/frames/{i:04d}_1.png", w, h, seed=1000 + i)
            fl = rng.normal(0, 2, (h, w, 2)).astype(np.float32)
            if zero_bg:
                fl[:, : w * 2 // 3] = 0.0      # static background of a fixed camera: no motion
            np.save(work / root / "flow" / f"{i:04d}.npy", fl)
    return setup


def dashcam(work):
    cv2 = _cv2()
    rng = np.random.default_rng(1)
    w = cv2.VideoWriter(str(work / "dashcam_0412.mp4"), cv2.VideoWriter_fourcc(*"mp4v"), 10, (256, 144))
    for _ in range(12):
        w.write(rng.integers(0, 256, (144, 256, 3), dtype=np.uint8))
    w.release()
    (work / "farneback_flow").mkdir()
    for i in range(11):
        np.save(work / "farneback_flow" / f"{i:05d}.npy", rng.normal(0, 1, (144, 256, 2)).astype(np.float32))


def sintel_pair(work):
    rgb(work, "Sintel/training/clean/alley_1/frame_0001.png", 1024, 436, seed=1)
    rgb(work, "Sintel/training/clean/alley_1/frame_0002.png", 1024, 436, seed=2)


def inpaint_rgb_masks(work):
    from PIL import Image

    rng = np.random.default_rng(4)
    (work / "facades/masks").mkdir(parents=True, exist_ok=True)
    for i in range(8):
        rgb(work, f"facades/images/facade_{i:03d}.jpg", 256, 256, seed=i)
        m = np.zeros((256, 256, 3), np.uint8)
        y, x = rng.integers(20, 160, 2)
        m[y:y + 70, x:x + 90] = 255
        Image.fromarray(m, "RGB").save(work / f"facades/masks/facade_{i:03d}.png")


def phone_photos(work):
    for i in range(2):
        rgb(work, f"phone_photos/IMG_{i:04d}.jpg", 320, 240, seed=i)


def gray_masks(root, n, size, seed=5):
    def setup(work):
        from PIL import Image

        rng = np.random.default_rng(seed)
        (work / root).mkdir(parents=True, exist_ok=True)
        for i in range(n):
            m = np.full((size, size), 255, np.uint8)
            for _ in range(4):
                y, x = rng.integers(0, size - size // 4, 2)
                m[y:y + size // 5, x:x + size // 8] = 0
            Image.fromarray(m, "L").save(work / root / f"{i:05d}.png")
    return setup


def places_images(root, n, w, h):
    def setup(work):
        for i in range(n):
            rgb(work, f"{root}/{i:05d}.jpg", w, h, seed=300 + i)
    return setup


def pose_export(work):
    import json

    rng = np.random.default_rng(8)
    items = []
    for i in range(8):
        rgb(work, f"pose_crops/images/crop_{i:04d}.jpg", 192, 256, seed=i)
        kps = [[round(float(rng.uniform(10, 180)), 2), round(float(rng.uniform(10, 245)), 2), int(rng.integers(1, 3))]
               for _ in range(17)]
        items.append({"file": f"crop_{i:04d}.jpg", "keypoints": kps})
    (work / "pose_crops/annotations.json").write_text(json.dumps(items, indent=1))


def crowd_density(work):
    rng = np.random.default_rng(9)
    (work / "crowd/density").mkdir(parents=True, exist_ok=True)
    for i in range(4):
        rgb(work, f"crowd/images/IMG_{i + 1}.jpg", 384, 256, seed=i)
        d = np.zeros((256, 384), np.float32)
        d[rng.integers(0, 256, 40), rng.integers(0, 384, 40)] = 1.0
        np.save(work / f"crowd/density/IMG_{i + 1}.npy", d)


def shanghaitech(work):
    import scipy.io as sio

    rng = np.random.default_rng(10)
    sizes = [(1024, 768), (800, 600), (1024, 683), (1024, 768)]
    for i, (w, h) in enumerate(sizes):
        rgb(work, f"ShanghaiTech/part_A/train_data/images/IMG_{i + 1}.jpg", w, h, seed=i)
        pts = np.stack([rng.uniform(5, w - 5, 120), rng.uniform(5, h - 5, 120)], 1)
        if i == 2:
            pts[37] = [512.4, h + 0.57]            # a head clicked on the bottom border
        info = np.zeros((1, 1), dtype=[("location", "O"), ("number", "O")])
        info[0, 0]["location"] = pts
        info[0, 0]["number"] = np.array([[len(pts)]], dtype=np.uint16)
        d = work / "ShanghaiTech/part_A/train_data/ground-truth"
        d.mkdir(parents=True, exist_ok=True)
        cell = np.empty((1, 1), dtype=object)          # image_info: a 1 x 1 cell holding a 1 x 1 struct
        cell[0, 0] = info
        sio.savemat(d / f"GT_IMG_{i + 1}.mat", {"image_info": cell})


def kitti_crops_far(work):
    """KITTI ground truth crops of a highway drive: a few LiDAR returns beyond 80 m."""
    rng = np.random.default_rng(11)
    for i in range(6):
        rgb(work, f"kitti_crops/image/{i:06d}.png", 208, 64, seed=i)
        d = rng.uniform(2, 78, (64, 208))
        d[rng.random((64, 208)) < 0.9] = 0
        if i == 3:
            d[5, 100:104] = [81.3, 82.7, 84.1, 84.9]
        p = work / f"kitti_crops/depth/{i:06d}.png"
        p.parent.mkdir(parents=True, exist_ok=True)
        _cv2().imwrite(str(p), (d * 256).astype(np.uint16))


def midas_preds(work):
    rng = np.random.default_rng(12)
    (work / "midas_out").mkdir()
    for i in range(5):
        depth16(work, f"office_rgbd/depth/{i:04d}.png", 320, 240, seed=i, lo=600, hi=5000, sparse=0.05)
        np.save(work / "midas_out" / f"{i:04d}.npy", rng.uniform(100, 3000, (240, 320)).astype(np.float32))


# ------------------------------------------------------------------ shared model code (as users paste it)
NETS = '''
import torch
import torch.nn as nn


def block(i, o):
    return nn.Sequential(nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU(inplace=True),
                         nn.Conv2d(o, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU(inplace=True))


class DepthUNet(nn.Module):
    """4-level U-Net, one output channel (depth in metres)."""

    def __init__(self, in_ch=3, base=16):
        super().__init__()
        ch = [base, base * 2, base * 4, base * 8, base * 16]
        self.enc = nn.ModuleList([block(in_ch, ch[0])] + [block(ch[i], ch[i + 1]) for i in range(4)])
        self.pool = nn.MaxPool2d(2)
        self.up = nn.ModuleList([nn.ConvTranspose2d(ch[i + 1], ch[i], 2, stride=2) for i in reversed(range(4))])
        self.dec = nn.ModuleList([block(ch[i] * 2, ch[i]) for i in reversed(range(4))])
        self.head = nn.Conv2d(ch[0], 1, 1)

    def forward(self, x):
        skips = []
        for i, e in enumerate(self.enc):
            x = e(x if i == 0 else self.pool(x))
            skips.append(x)
        x = skips.pop()
        for up, dec in zip(self.up, self.dec):
            x = dec(torch.cat([up(x), skips.pop()], dim=1))
        return torch.relu(self.head(x))
'''

# ================================================================== depth
SCRIPTS["kitti-drives-of-different-dates-batched-without-crop"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms as T

RAW, GT = "kitti_raw", "kitti_depth/train"


class KittiDepth(Dataset):
    """KITTI raw image_02 frames + the annotated depth maps of the depth benchmark (uint16 PNG, metres * 256)."""

    def __init__(self):
        self.depths = sorted(glob.glob(f"{GT}/*/proj_depth/groundtruth/image_02/*.png"))
        # no crop / resize needed: KITTI frames are all 1242 x 375
        self.tf = T.Compose([T.ToTensor(), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])

    def __len__(self):
        return len(self.depths)

    def __getitem__(self, i):
        dp = self.depths[i]
        drive, frame = dp.split("/")[2], dp.split("/")[-1]
        img = Image.open(f"{RAW}/{drive[:10]}/{drive}/image_02/data/{frame}").convert("RGB")
        depth = np.asarray(Image.open(dp), dtype=np.float32) / 256.0
        if np.random.rand() < 0.5:                       # paired horizontal flip
            img, depth = img.transpose(Image.FLIP_LEFT_RIGHT), depth[:, ::-1].copy()
        return self.tf(img), torch.from_numpy(depth)[None]


def conv(i, o, s):
    return nn.Sequential(nn.Conv2d(i, o, 3, s, 1), nn.ReLU(inplace=True))


if __name__ == "__main__":
    ds = KittiDepth()
    print(len(ds), "training frames")
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2)
    model = nn.Sequential(conv(3, 16, 2), conv(16, 32, 2), conv(32, 64, 2),
                          nn.Upsample(scale_factor=8, mode="bilinear"), nn.Conv2d(64, 1, 3, padding=1), nn.Softplus())
    opt = torch.optim.Adam(model.parameters(), 1e-4)
    for epoch in range(2):
        for step, (img, depth) in enumerate(loader):
            pred = model(img)[..., : depth.shape[-2], : depth.shape[-1]]
            valid = depth > 0
            loss = (pred - depth).abs()[valid].mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            print(f"epoch {epoch} step {step} L1 {loss.item():.3f}")
'''

SCRIPTS["nyu-depth-path-from-rgb-name-keeps-jpg"] = '''
import glob
import os

import cv2
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset
from tqdm import tqdm


class NYUDepth(Dataset):
    """nyu/<split>/rgb_XXXXX.jpg with its depth map (uint16 PNG, millimetres), as extract_nyu.py wrote them."""

    def __init__(self, root):
        self.rgb = sorted(glob.glob(os.path.join(root, "rgb_*.jpg")))

    def __len__(self):
        return len(self.rgb)

    def __getitem__(self, i):
        rgb_path = self.rgb[i]
        depth_path = rgb_path.replace("rgb", "depth")
        img = cv2.cvtColor(cv2.imread(rgb_path), cv2.COLOR_BGR2RGB).astype(np.float32) / 255.0
        depth = cv2.imread(depth_path, cv2.IMREAD_UNCHANGED).astype(np.float32) / 1000.0
        return torch.from_numpy(img).permute(2, 0, 1), torch.from_numpy(depth)[None]


model = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(),
                      nn.Conv2d(32, 1, 3, padding=1), nn.Softplus())
opt = torch.optim.AdamW(model.parameters(), 3e-4)
loader = DataLoader(NYUDepth("nyu/train"), batch_size=2, shuffle=True)
for epoch in range(3):
    bar = tqdm(loader, desc=f"epoch {epoch}")
    for img, depth in bar:
        loss = F.l1_loss(model(img), depth)
        opt.zero_grad()
        loss.backward()
        opt.step()
        bar.set_postfix(l1=f"{loss.item():.3f}")
'''

SCRIPTS["realsense-depth-millimetres-sgd-anomaly"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from tqdm import tqdm

torch.manual_seed(0)
torch.autograd.set_detect_anomaly(True)        # the overnight run ended with loss=nan, find out where


class RealSenseRGBD(Dataset):
    """color/*.jpg + depth/*.png from the D435 recorder (depth aligned to colour, uint16)."""

    def __init__(self, root):
        self.colors = sorted(glob.glob(f"{root}/color/*.jpg"))

    def __len__(self):
        return len(self.colors)

    def __getitem__(self, i):
        c = self.colors[i]
        img = np.asarray(Image.open(c).convert("RGB"), dtype=np.float32) / 255.0
        depth = np.array(Image.open(c.replace("color", "depth").replace(".jpg", ".png")), dtype=np.float32)
        return torch.from_numpy(img).permute(2, 0, 1), torch.from_numpy(depth)[None]


class EncDec(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv2d(3, 32, 3, 2, 1), nn.ReLU(), nn.Conv2d(32, 64, 3, 2, 1), nn.ReLU())
        self.dec = nn.Sequential(nn.ConvTranspose2d(64, 32, 4, 2, 1), nn.ReLU(), nn.ConvTranspose2d(32, 1, 4, 2, 1))

    def forward(self, x):
        return self.dec(self.enc(x))


model = EncDec()
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
loader = DataLoader(RealSenseRGBD("realsense_lab"), batch_size=4, shuffle=True)
for epoch in range(5):
    bar = tqdm(loader, desc=f"epoch {epoch}")
    for img, depth in bar:
        pred = model(img)
        valid = depth > 0
        loss = F.mse_loss(pred[valid], depth[valid])
        opt.zero_grad()
        loss.backward()
        opt.step()
        bar.set_postfix(mse=f"{loss.item():.4g}")
'''

SCRIPTS["monodepth-smoothness-normalises-disp-in-place"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset


class StereoPairs(Dataset):
    """Rectified KITTI stereo pairs: image_02 (left) is the target, image_03 (right) the source."""

    def __init__(self, root):
        self.left = sorted(glob.glob(f"{root}/image_02/*.png"))

    def __len__(self):
        return len(self.left)

    def __getitem__(self, i):
        l = np.asarray(Image.open(self.left[i]).convert("RGB"), np.float32) / 255
        r = np.asarray(Image.open(self.left[i].replace("image_02", "image_03")).convert("RGB"), np.float32) / 255
        return torch.from_numpy(l).permute(2, 0, 1), torch.from_numpy(r).permute(2, 0, 1)


class DispNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(3, 32, 3, 2, 1), nn.ELU(), nn.Conv2d(32, 64, 3, 2, 1), nn.ELU(),
                                 nn.Upsample(scale_factor=4, mode="bilinear"), nn.Conv2d(64, 1, 3, padding=1))

    def forward(self, x):
        return torch.sigmoid(self.net(x))          # disparity as a fraction of the image width (max 0.3)


def warp_right_to_left(right, disp):
    b, _, h, w = right.shape
    ys, xs = torch.meshgrid(torch.linspace(-1, 1, h), torch.linspace(-1, 1, w), indexing="ij")
    grid = torch.stack([xs.expand(b, h, w) - 2 * 0.3 * disp[:, 0], ys.expand(b, h, w)], dim=3)
    return F.grid_sample(right, grid, padding_mode="border", align_corners=True)


def get_smooth_loss(disp, img):
    """Edge-aware smoothness (Monodepth2), on the mean-normalised disparity."""
    disp /= disp.mean(2, True).mean(3, True) + 1e-7
    grad_disp_x = torch.abs(disp[:, :, :, :-1] - disp[:, :, :, 1:])
    grad_disp_y = torch.abs(disp[:, :, :-1, :] - disp[:, :, 1:, :])
    grad_img_x = torch.mean(torch.abs(img[:, :, :, :-1] - img[:, :, :, 1:]), 1, keepdim=True)
    grad_img_y = torch.mean(torch.abs(img[:, :, :-1, :] - img[:, :, 1:, :]), 1, keepdim=True)
    grad_disp_x *= torch.exp(-grad_img_x)
    grad_disp_y *= torch.exp(-grad_img_y)
    return grad_disp_x.mean() + grad_disp_y.mean()


model = DispNet()
opt = torch.optim.Adam(model.parameters(), 1e-4)
loader = DataLoader(StereoPairs("kitti_stereo"), batch_size=4, shuffle=True)
for epoch in range(2):
    for step, (left, right) in enumerate(loader):
        disp = model(left)
        photometric = (warp_right_to_left(right, disp) - left).abs().mean()
        loss = photometric + 1e-3 * get_smooth_loss(disp, left)
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(f"epoch {epoch} step {step} loss {loss.item():.4f}")
'''

SCRIPTS["depth-unet-eval-at-full-kitti-resolution"] = '''
"""Eigen-split evaluation at the native resolution (the model was trained on 352 x 704 crops)."""
import argparse

import numpy as np
import torch
from PIL import Image
from tqdm import tqdm

from models import DepthUNet

ap = argparse.ArgumentParser()
ap.add_argument("--checkpoint", default="runs/unet_kitti/best.pth")
ap.add_argument("--split", default="splits/eigen_test_files.txt")
ap.add_argument("--max-depth", type=float, default=80.0)
args = ap.parse_args()

model = DepthUNet()
model.load_state_dict(torch.load(args.checkpoint, map_location="cpu"))
model.eval()

errors = []
files = open(args.split).read().split()
with torch.no_grad():
    for name in tqdm(files, desc="eigen test"):
        img = np.asarray(Image.open(f"kitti_eval/image/{name}").convert("RGB"), np.float32) / 255
        gt = np.asarray(Image.open(f"kitti_eval/depth/{name}"), np.float32) / 256
        pred = model(torch.from_numpy(img).permute(2, 0, 1)[None])[0, 0].numpy()
        valid = (gt > 1e-3) & (gt < args.max_depth)
        errors.append(np.mean(np.abs(pred[valid] - gt[valid]) / gt[valid]))
print("abs_rel", np.mean(errors))
'''

SAVE_UNET = '''
import os, torch
from models import DepthUNet
os.makedirs("runs/unet_kitti", exist_ok=True)
torch.manual_seed(0)
torch.save(DepthUNet().state_dict(), "runs/unet_kitti/best.pth")
os.makedirs("splits", exist_ok=True)
open("splits/eigen_test_files.txt", "w").write("\\n".join(f"{i:010d}.png" for i in range(3)) + "\\n")
'''


def kitti_eval(work):
    for i in range(3):
        rgb(work, f"kitti_eval/image/{i:010d}.png", 1242, 375, seed=i)
        depth16(work, f"kitti_eval/depth/{i:010d}.png", 1242, 375, seed=i, lo=256 * 3, hi=256 * 80, sparse=0.95)


SCRIPTS["depth-decoder-from-inpainting-net-three-channels"] = '''
import glob

import cv2
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset


class NYU(Dataset):
    def __init__(self, root):
        self.rgb = sorted(glob.glob(f"{root}/rgb_*.jpg"))

    def __len__(self):
        return len(self.rgb)

    def __getitem__(self, i):
        img = cv2.cvtColor(cv2.imread(self.rgb[i]), cv2.COLOR_BGR2RGB).astype(np.float32) / 255
        depth = cv2.imread(self.rgb[i].replace("rgb_", "depth_").replace(".jpg", ".png"), cv2.IMREAD_UNCHANGED)
        return torch.from_numpy(img).permute(2, 0, 1), torch.from_numpy(depth.astype(np.float32) / 1000)[None]


class Down(nn.Sequential):
    def __init__(self, i, o):
        super().__init__(nn.Conv2d(i, o, 4, 2, 1), nn.BatchNorm2d(o), nn.LeakyReLU(0.2))


class Up(nn.Sequential):
    def __init__(self, i, o):
        super().__init__(nn.ConvTranspose2d(i, o, 4, 2, 1), nn.BatchNorm2d(o), nn.ReLU())


class EncoderDecoder(nn.Module):
    """The encoder-decoder of our inpainting project, reused for depth."""

    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(Down(3, 32), Down(32, 64), Down(64, 128), Down(128, 256))
        self.decoder = nn.Sequential(Up(256, 128), Up(128, 64), Up(64, 32), nn.ConvTranspose2d(32, 3, 4, 2, 1))

    def forward(self, x):
        return F.softplus(self.decoder(self.encoder(x)))


def ssim(x, y, C1=0.01 ** 2, C2=0.03 ** 2):
    mu_x, mu_y = F.avg_pool2d(x, 3, 1, 1), F.avg_pool2d(y, 3, 1, 1)
    sigma_x = F.avg_pool2d(x * x, 3, 1, 1) - mu_x ** 2
    sigma_y = F.avg_pool2d(y * y, 3, 1, 1) - mu_y ** 2
    sigma_xy = F.avg_pool2d(x * y, 3, 1, 1) - mu_x * mu_y
    return ((2 * mu_x * mu_y + C1) * (2 * sigma_xy + C2)) / ((mu_x ** 2 + mu_y ** 2 + C1) * (sigma_x + sigma_y + C2))


model = EncoderDecoder()
opt = torch.optim.Adam(model.parameters(), 1e-4)
for epoch in range(2):
    for step, (img, depth) in enumerate(DataLoader(NYU("nyu/train"), batch_size=2, shuffle=True)):
        pred = model(img)
        valid = depth > 0
        l1 = F.l1_loss(pred[valid], depth[valid])
        ssim_term = torch.clamp((1 - ssim(pred, depth)) / 2, 0, 1).mean()
        loss = 0.85 * ssim_term + 0.15 * l1
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(f"epoch {epoch} step {step} loss {loss.item():.4f}")
'''

CELLS["rgbd-completion-checkpoint-into-rgb-only-model-notebook"] = [
    '''import glob
import numpy as np
import torch
from PIL import Image
from models import DepthUNet

# phone photos have no LiDAR: run the completion model as an RGB-only depth predictor
model = DepthUNet()
model.eval()
photos = sorted(glob.glob("phone_photos/*.jpg"))
len(photos)''',
    '''ckpt = torch.load("runs/completion_rgbd_lidar/best.pth", map_location="cpu")
print(ckpt["epoch"], ckpt["val_rmse"])
model.load_state_dict(ckpt["model"])''',
    '''with torch.no_grad():
    for p in photos:
        x = torch.from_numpy(np.asarray(Image.open(p).convert("RGB"), np.float32) / 255).permute(2, 0, 1)[None]
        print(p, model(x).amax().item())''',
]

SAVE_RGBD = '''
import os, torch
from models import DepthUNet
os.makedirs("runs/completion_rgbd_lidar", exist_ok=True)
torch.manual_seed(0)
torch.save({"epoch": 37, "val_rmse": 0.912, "model": DepthUNet(in_ch=4).state_dict()},
           "runs/completion_rgbd_lidar/best.pth")
'''

SCRIPTS["depth-eval-delta-metric-python-max"] = '''
import glob

import numpy as np
import torch
from PIL import Image
from tqdm import tqdm

from models import DepthUNet


def compute_errors(gt, pred):
    """Eigen et al. metrics (ported from the Monodepth2 numpy version)."""
    thresh = max(gt / pred, pred / gt)
    a1 = (thresh < 1.25).float().mean()
    a2 = (thresh < 1.25 ** 2).float().mean()
    a3 = (thresh < 1.25 ** 3).float().mean()
    rmse = torch.sqrt(((gt - pred) ** 2).mean())
    abs_rel = torch.mean(torch.abs(gt - pred) / gt)
    return abs_rel, rmse, a1, a2, a3


model = DepthUNet()
model.load_state_dict(torch.load("runs/unet_nyu/best.pth", map_location="cpu"))
model.eval()
metrics = []
with torch.no_grad():
    for p in tqdm(sorted(glob.glob("nyu/val/rgb_*.jpg")), desc="val"):
        img = torch.from_numpy(np.asarray(Image.open(p).convert("RGB"), np.float32) / 255).permute(2, 0, 1)[None]
        gt = torch.from_numpy(np.asarray(Image.open(p.replace("rgb_", "depth_").replace(".jpg", ".png")),
                                         np.float32) / 1000)
        pred = model(img)[0, 0].clamp(1e-3, 10)
        valid = gt > 0
        metrics.append(compute_errors(gt[valid], pred[valid]))
print(np.mean([[float(v) for v in m] for m in metrics], 0))
'''

SAVE_UNET_NYU = '''
import os, torch
from models import DepthUNet
os.makedirs("runs/unet_nyu", exist_ok=True)
torch.manual_seed(0)
torch.save(DepthUNet().state_dict(), "runs/unet_nyu/best.pth")
'''

SCRIPTS["monodepth-multiscale-decoder-ddp-scale-zero-only"] = '''
import argparse
import glob
import os

import numpy as np
import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, Dataset
from torch.utils.data.distributed import DistributedSampler


class DepthDecoder(nn.Module):
    """Monodepth2-style decoder: a sigmoid disparity at each of the four scales."""

    def __init__(self, ch=(16, 32, 64, 128)):
        super().__init__()
        self.enc = nn.ModuleList([nn.Conv2d(3 if i == 0 else ch[i - 1], c, 3, 2, 1) for i, c in enumerate(ch)])
        self.dispconvs = nn.ModuleList([nn.Conv2d(c, 1, 3, padding=1) for c in ch])

    def forward(self, x):
        outputs = {}
        for s, (enc, head) in enumerate(zip(self.enc, self.dispconvs)):
            x = F.elu(enc(x))
            outputs[("disp", s)] = torch.sigmoid(head(x))
        return outputs


class Frames(Dataset):
    def __init__(self, root):
        self.files = sorted(glob.glob(f"{root}/image_02/*.png"))

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        return torch.from_numpy(np.asarray(Image.open(self.files[i]).convert("RGB"), np.float32) / 255).permute(2, 0, 1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scales", type=int, nargs="+", default=[0])     # full-resolution loss only, to save time
    ap.add_argument("--batch-size", type=int, default=2)
    args = ap.parse_args()

    dist.init_process_group("gloo")
    rank = dist.get_rank()
    model = DDP(DepthDecoder())
    opt = torch.optim.Adam(model.parameters(), 1e-4)
    ds = Frames("kitti_stereo")
    loader = DataLoader(ds, batch_size=args.batch_size, sampler=DistributedSampler(ds))
    for step, img in enumerate(loader):
        outputs = model(img)
        loss = 0
        for s in args.scales:
            disp = F.interpolate(outputs[("disp", s)], size=img.shape[-2:], mode="bilinear", align_corners=False)
            grad_x = (disp[..., :, 1:] - disp[..., :, :-1]).abs().mean()
            loss = loss + grad_x + (1 - disp.mean())
        opt.zero_grad()
        loss.backward()
        opt.step()
        if rank == 0:
            print(f"step {step} loss {loss.item():.4f}")
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
'''

SCRIPTS["midas-scale-shift-alignment-torch-lstsq"] = '''
"""Zero-shot evaluation of the exported MiDaS predictions (relative inverse depth) on our office RGB-D set."""
import glob
import os

import numpy as np
import torch
from PIL import Image
from tqdm import tqdm


def align_scale_shift(pred, target, mask):
    """least-squares s, t so that s * pred + t ~ target on the valid pixels"""
    A = torch.stack([pred[mask], torch.ones_like(pred[mask])], dim=1)
    b = target[mask][:, None]
    sol, _ = torch.lstsq(b, A)
    return sol[0, 0] * pred + sol[1, 0]


abs_rel = []
for p in tqdm(sorted(glob.glob("midas_out/*.npy")), desc="align"):
    pred_disp = torch.from_numpy(np.load(p))
    depth = np.asarray(Image.open(f"office_rgbd/depth/{os.path.basename(p)[:-4]}.png"), np.float32) / 1000
    depth = torch.from_numpy(depth)
    mask = depth > 0
    target_disp = torch.zeros_like(depth)
    target_disp[mask] = 1 / depth[mask]
    aligned = align_scale_shift(pred_disp, target_disp, mask)
    pred_depth = 1 / aligned.clamp(min=1 / 10)
    abs_rel.append(((pred_depth[mask] - depth[mask]).abs() / depth[mask]).mean().item())
print("AbsRel", np.mean(abs_rel))
'''

SCRIPTS["dorn-depth-bins-lidar-beyond-80m"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from tqdm import tqdm

NUM_BINS, MAX_DEPTH = 80, 80.0      # 1 m per bin, the usual KITTI cap


class KittiBins(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/image/*.png"))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = np.asarray(Image.open(self.images[i]).convert("RGB"), np.float32) / 255
        depth = np.asarray(Image.open(self.images[i].replace("/image/", "/depth/")), np.float32) / 256
        bins = (depth / MAX_DEPTH * NUM_BINS).astype(np.int64)
        bins[depth == 0] = -1                                 # no LiDAR return: ignored
        return torch.from_numpy(img).permute(2, 0, 1), torch.from_numpy(bins)


model = nn.Sequential(nn.Conv2d(3, 64, 3, padding=1), nn.ReLU(), nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(),
                      nn.Conv2d(64, NUM_BINS, 1))
opt = torch.optim.Adam(model.parameters(), 1e-3)
loader = DataLoader(KittiBins("kitti_crops"), batch_size=2, shuffle=False)
for epoch in range(2):
    bar = tqdm(loader, desc=f"epoch {epoch}")
    for img, bins in bar:
        loss = F.cross_entropy(model(img), bins, ignore_index=-1)
        opt.zero_grad()
        loss.backward()
        opt.step()
        bar.set_postfix(ce=f"{loss.item():.3f}")
'''

# ================================================================== optical flow
FRAME_UTILS = '''
import re
from os.path import splitext

import numpy as np
from PIL import Image

TAG_CHAR = np.array([202021.25], np.float32)


def readFlow(fn):
    """ Read .flo file in Middlebury format"""
    # Code adapted from:
    # http://stackoverflow.com/questions/28013200/reading-middlebury-flow-files-with-python-bytes-array-numpy
    with open(fn, 'rb') as f:
        magic = np.fromfile(f, np.float32, count=1)
        if 202021.25 != magic:
            print('Magic number incorrect. Invalid .flo file')
            return None
        else:
            w = int(np.fromfile(f, np.int32, count=1)[0])
            h = int(np.fromfile(f, np.int32, count=1)[0])
            data = np.fromfile(f, np.float32, count=2*w*h)
            # Reshape data into 3D array (columns, rows, bands)
            return np.resize(data, (h, w, 2))


def read_gen(file_name, pil=False):
    ext = splitext(file_name)[-1]
    if ext == '.png' or ext == '.jpeg' or ext == '.ppm' or ext == '.jpg':
        return Image.open(file_name)
    elif ext == '.bin' or ext == '.raw':
        return np.load(file_name)
    elif ext == '.flo':
        return readFlow(file_name).astype(np.float32)
    elif ext == '.npy':
        return np.load(file_name)
    return []
'''

SCRIPTS["raft-readflow-zero-byte-flo-workers"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset

import frame_utils


class FlyingChairs(Dataset):
    def __init__(self, root="FlyingChairs_release/data"):
        images = sorted(glob.glob(f"{root}/*.ppm"))
        self.flow_list = sorted(glob.glob(f"{root}/*.flo"))
        self.image_list = [[images[2 * i], images[2 * i + 1]] for i in range(len(self.flow_list))]

    def __len__(self):
        return len(self.flow_list)

    def __getitem__(self, index):
        flow = frame_utils.read_gen(self.flow_list[index])
        img1 = frame_utils.read_gen(self.image_list[index][0])
        img2 = frame_utils.read_gen(self.image_list[index][1])
        flow = np.array(flow).astype(np.float32)
        img1 = np.array(img1).astype(np.uint8)[..., :3]
        img2 = np.array(img2).astype(np.uint8)[..., :3]
        img1 = torch.from_numpy(img1).permute(2, 0, 1).float()
        img2 = torch.from_numpy(img2).permute(2, 0, 1).float()
        flow = torch.from_numpy(flow).permute(2, 0, 1).float()
        return img1, img2, flow


class TinyFlowNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(6, 32, 7, 2, 3), nn.ReLU(), nn.Conv2d(32, 64, 5, 2, 2), nn.ReLU(),
                                 nn.Conv2d(64, 2, 3, padding=1), nn.Upsample(scale_factor=4, mode="bilinear"))

    def forward(self, img1, img2):
        return self.net(torch.cat([img1, img2], 1) / 255.0 - 0.5)


if __name__ == "__main__":
    train_loader = DataLoader(FlyingChairs(), batch_size=2, shuffle=True, num_workers=2, drop_last=True)
    print("Training with %d image pairs" % len(train_loader.dataset))
    model = TinyFlowNet()
    optimizer = torch.optim.AdamW(model.parameters(), lr=4e-4, weight_decay=1e-4)
    for epoch in range(2):
        for i_batch, (image1, image2, flow) in enumerate(train_loader):
            flow_pred = model(image1, image2)
            loss = (flow_pred - flow).abs().mean()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            print(epoch, i_batch, "%.3f" % loss.item())
'''

CELLS["flownet-frame-pair-stacked-on-new-axis-notebook"] = [
    '''import glob
import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
import torchvision.transforms.functional as TF


class FramePairs(Dataset):
    def __init__(self, root):
        self.firsts = sorted(glob.glob(f"{root}/frames/*_0.png"))

    def __len__(self):
        return len(self.firsts)

    def __getitem__(self, i):
        f0 = TF.to_tensor(Image.open(self.firsts[i]).convert("RGB"))
        f1 = TF.to_tensor(Image.open(self.firsts[i].replace("_0.png", "_1.png")).convert("RGB"))
        flow = torch.from_numpy(np.load(self.firsts[i].replace("frames", "flow").replace("_0.png", ".npy")))
        return torch.stack([f0, f1]), flow.permute(2, 0, 1)


ds = FramePairs("drone_flow")
frames, flow = ds[0]
frames.shape, flow.shape''',
    '''def conv(i, o, k, s):
    return nn.Sequential(nn.Conv2d(i, o, k, s, k // 2), nn.LeakyReLU(0.1))


class FlowNetS(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(conv(6, 64, 7, 2), conv(64, 128, 5, 2), conv(128, 256, 5, 2))
        self.predict_flow = nn.Conv2d(256, 2, 3, padding=1)
        self.upsample = nn.Upsample(scale_factor=8, mode="bilinear", align_corners=False)

    def forward(self, x):
        return self.upsample(self.predict_flow(self.encoder(x)))


model = FlowNetS()
opt = torch.optim.Adam(model.parameters(), 1e-4)
loader = DataLoader(ds, batch_size=4, shuffle=True)''',
    '''for epoch in range(3):
    for frames, flow in loader:
        pred = model(frames)
        epe = torch.norm(pred - flow, p=2, dim=1).mean()
        opt.zero_grad()
        epe.backward()
        opt.step()
    print(epoch, epe.item())''',
]

SCRIPTS["unsupervised-flow-warp-grid-not-permuted"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset


class Pairs(Dataset):
    """Unlabelled consecutive frames: the flow is learned from the photometric loss alone."""

    def __init__(self, root):
        self.firsts = sorted(glob.glob(f"{root}/frames/*_0.png"))

    def __len__(self):
        return len(self.firsts)

    def __getitem__(self, i):
        load = lambda p: torch.from_numpy(np.asarray(Image.open(p).convert("RGB"), np.float32) / 255).permute(2, 0, 1)
        return load(self.firsts[i]), load(self.firsts[i].replace("_0.png", "_1.png"))


def backward_warp(img, flow):
    """Sample img at x + flow: the second frame warped onto the first."""
    B, _, H, W = flow.shape
    ys, xs = torch.meshgrid(torch.arange(H), torch.arange(W), indexing="ij")
    grid = torch.stack([xs, ys], 0).float()[None] + flow          # pixel coordinates, B x 2 x H x W
    grid_x = 2.0 * grid[:, 0] / (W - 1) - 1.0
    grid_y = 2.0 * grid[:, 1] / (H - 1) - 1.0
    grid = torch.stack([grid_x, grid_y], 1)
    return F.grid_sample(img, grid, padding_mode="border", align_corners=True)


def smoothness(flow):
    return (flow[..., 1:] - flow[..., :-1]).abs().mean() + (flow[..., 1:, :] - flow[..., :-1, :]).abs().mean()


model = nn.Sequential(nn.Conv2d(6, 32, 3, padding=1), nn.ReLU(), nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(),
                      nn.Conv2d(32, 2, 3, padding=1))
opt = torch.optim.Adam(model.parameters(), 1e-4)
for epoch in range(2):
    for step, (f0, f1) in enumerate(DataLoader(Pairs("street_pairs"), batch_size=4, shuffle=True)):
        flow = model(torch.cat([f0, f1], 1))
        photo = (backward_warp(f1, flow) - f0).abs().mean()
        loss = photo + 0.1 * smoothness(flow)
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(f"epoch {epoch} step {step} photometric {photo.item():.4f}")
'''

SCRIPTS["flow-epe-sqrt-zero-head-clip-nonfinite"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset


class TrafficCamFlow(Dataset):
    """Fixed traffic camera: frame pairs + .npy flow from the simulator (exactly 0 on the static background)."""

    def __init__(self, root):
        self.firsts = sorted(glob.glob(f"{root}/frames/*_0.png"))

    def __len__(self):
        return len(self.firsts)

    def __getitem__(self, i):
        load = lambda p: torch.from_numpy(np.asarray(Image.open(p).convert("RGB"), np.float32) / 255).permute(2, 0, 1)
        flow = np.load(self.firsts[i].replace("frames", "flow").replace("_0.png", ".npy"))
        return load(self.firsts[i]), load(self.firsts[i].replace("_0.png", "_1.png")), torch.from_numpy(flow).permute(2, 0, 1)


class FlowNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(6, 48, 3, padding=1), nn.ReLU(), nn.Conv2d(48, 48, 3, padding=1), nn.ReLU())
        self.flow_head = nn.Conv2d(48, 2, 3, padding=1)
        nn.init.zeros_(self.flow_head.weight)      # start from zero flow (as in RAFT's update block)
        nn.init.zeros_(self.flow_head.bias)

    def forward(self, f0, f1):
        return self.flow_head(self.features(torch.cat([f0, f1], 1)))


def epe_loss(pred, gt):
    return torch.sqrt(((pred - gt) ** 2).sum(dim=1)).mean()


model = FlowNet()
opt = torch.optim.AdamW(model.parameters(), 2e-4)
loader = DataLoader(TrafficCamFlow("trafficcam"), batch_size=2, shuffle=True)
for epoch in range(3):
    for step, (f0, f1, gt) in enumerate(loader):
        loss = epe_loss(model(f0, f1), gt)
        opt.zero_grad()
        loss.backward()
        # clip like RAFT; stop at once if a batch produces a non-finite gradient
        nn.utils.clip_grad_norm_(model.parameters(), 1.0, error_if_nonfinite=True)
        opt.step()
        print(f"epoch {epoch} step {step} EPE {loss.item():.3f}")
'''

CELLS["flow-to-image-hw2-flo-notebook"] = [
    '''import numpy as np
import torch
from torchvision.utils import flow_to_image


def read_flo(path):
    with open(path, "rb") as f:
        magic, w, h = np.fromfile(f, np.float32, 1)[0], *np.fromfile(f, np.int32, 2)
        assert magic == 202021.25
        return np.fromfile(f, np.float32, 2 * w * h).reshape(h, w, 2)


gt = read_flo("eval/gt/frame_0010.flo")
pred = np.load("eval/pred/frame_0010.npy")
print(gt.shape, pred.shape, "EPE", np.linalg.norm(gt - pred, axis=-1).mean())''',
    '''# colour-coded flow, for the report
vis_gt = flow_to_image(torch.from_numpy(gt))
vis_pred = flow_to_image(torch.from_numpy(pred))
vis_gt.shape''',
]


def flo_eval(work):
    rng = np.random.default_rng(13)
    (work / "eval/gt").mkdir(parents=True)
    (work / "eval/pred").mkdir(parents=True)
    gt = rng.normal(0, 3, (218, 512, 2)).astype(np.float32)
    write_flo(work / "eval/gt/frame_0010.flo", gt)
    np.save(work / "eval/pred/frame_0010.npy", gt + rng.normal(0, 0.5, gt.shape).astype(np.float32))


SCRIPTS["dashcam-flow-dataset-videocapture-spawn-workers"] = '''
import glob

import cv2
import numpy as np
import torch
import torch.multiprocessing as mp
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset


class DashcamFlow(Dataset):
    """Consecutive frames straight from the dash-cam video + Farneback flow as pseudo ground truth."""

    def __init__(self, video, flow_dir):
        self.cap = cv2.VideoCapture(video)
        self.flows = sorted(glob.glob(f"{flow_dir}/*.npy"))
        n = int(self.cap.get(cv2.CAP_PROP_FRAME_COUNT)) - 1
        assert n >= len(self.flows), (n, len(self.flows))

    def __len__(self):
        return len(self.flows)

    def __getitem__(self, i):
        self.cap.set(cv2.CAP_PROP_POS_FRAMES, i)
        _, f0 = self.cap.read()
        _, f1 = self.cap.read()
        to_t = lambda f: torch.from_numpy(cv2.cvtColor(f, cv2.COLOR_BGR2RGB)).permute(2, 0, 1).float() / 255
        return to_t(f0), to_t(f1), torch.from_numpy(np.load(self.flows[i])).permute(2, 0, 1)


if __name__ == "__main__":
    mp.set_start_method("spawn")           # macOS default; forked workers hung with OpenCV on the laptop
    ds = DashcamFlow("dashcam_0412.mp4", "farneback_flow")
    loader = DataLoader(ds, batch_size=2, shuffle=True, num_workers=2, persistent_workers=True)
    model = nn.Sequential(nn.Conv2d(6, 32, 3, padding=1), nn.ReLU(), nn.Conv2d(32, 2, 3, padding=1))
    opt = torch.optim.Adam(model.parameters(), 1e-4)
    for epoch in range(2):
        for f0, f1, flow in loader:
            loss = (model(torch.cat([f0, f1], 1)) - flow).abs().mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
        print("epoch", epoch, loss.item())
'''

SCRIPTS["raft-style-correlation-volume-at-stride-2-memory-limit"] = '''
import resource

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

# the cluster's interactive nodes cap each job's address space (ulimit -v), reproduced here
vm = int(next(l for l in open("/proc/self/status") if l.startswith("VmSize")).split()[1]) * 1024
resource.setrlimit(resource.RLIMIT_AS, (vm + 6 * 2 ** 30, resource.RLIM_INFINITY))


class FeatureEncoder(nn.Module):
    """RAFT's encoder works at 1/8; stride 2 here so thin structures (poles, cables) survive"""

    def __init__(self, dim=128):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(3, 64, 7, 2, 3), nn.ReLU(), nn.Conv2d(64, 96, 3, 1, 1), nn.ReLU(),
                                 nn.Conv2d(96, dim, 1))

    def forward(self, x):
        return self.net(x)


def all_pairs_correlation(fmap1, fmap2):
    B, D, H, W = fmap1.shape
    corr = torch.matmul(fmap1.view(B, D, H * W).transpose(1, 2), fmap2.view(B, D, H * W))
    return corr.view(B, H, W, 1, H, W) / D ** 0.5


load = lambda p: torch.from_numpy(np.asarray(Image.open(p).convert("RGB"), np.float32) / 127.5 - 1).permute(2, 0, 1)[None]
img1 = load("Sintel/training/clean/alley_1/frame_0001.png")
img2 = load("Sintel/training/clean/alley_1/frame_0002.png")
print("frames", tuple(img1.shape))

enc = FeatureEncoder().eval()
with torch.no_grad():
    f1, f2 = enc(img1), enc(img2)
    print("features", tuple(f1.shape))
    corr = all_pairs_correlation(f1, f2)
    pyramid = [corr.flatten(0, 2)]
    for _ in range(3):
        pyramid.append(F.avg_pool2d(pyramid[-1], 2, stride=2))
print([tuple(c.shape) for c in pyramid])
'''

# ================================================================== inpainting
SCRIPTS["inpainting-masks-exported-as-rgb-png"] = '''
import glob

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision.transforms.functional as TF
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from tqdm import tqdm


class FacadeHoles(Dataset):
    """facade photos + hand-painted hole masks (white = hole) exported from GIMP"""

    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/images/*.jpg"))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = TF.to_tensor(Image.open(self.images[i]).convert("RGB"))
        mask = TF.to_tensor(Image.open(self.images[i].replace("images", "masks").replace(".jpg", ".png")))
        if torch.rand(1) < 0.5:                                     # paired flip
            img, mask = TF.hflip(img), TF.hflip(mask)
        masked = img * (1 - mask)
        return torch.cat([masked, mask], dim=0), img, mask


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv2d(4, 32, 5, 1, 2), nn.ELU(), nn.Conv2d(32, 64, 3, 2, 1), nn.ELU(),
                                 nn.Conv2d(64, 64, 3, 1, 2, dilation=2), nn.ELU())
        self.dec = nn.Sequential(nn.Upsample(scale_factor=2), nn.Conv2d(64, 32, 3, 1, 1), nn.ELU(),
                                 nn.Conv2d(32, 3, 3, 1, 1), nn.Sigmoid())

    def forward(self, x):
        return self.dec(self.enc(x))


G = Generator()
opt = torch.optim.Adam(G.parameters(), 1e-4, betas=(0.5, 0.999))
loader = DataLoader(FacadeHoles("facades"), batch_size=4, shuffle=True, num_workers=2)
for epoch in range(2):
    bar = tqdm(loader, desc=f"epoch {epoch}")
    for x, img, mask in bar:
        out = G(x)
        hole_l1 = F.l1_loss(out * mask, img * mask) / mask.mean()
        valid_l1 = F.l1_loss(out * (1 - mask), img * (1 - mask))
        loss = 6 * hole_l1 + valid_l1
        opt.zero_grad()
        loss.backward()
        opt.step()
        bar.set_postfix(loss=f"{loss.item():.3f}")
'''

SCRIPTS["partialconv-uint8-masks"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision.transforms.functional as TF
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from tqdm import tqdm


class PartialConv2d(nn.Conv2d):
    """Partial convolution (Liu et al. 2018), after NVIDIA's partialconv: mask 1 = valid pixel."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.weight_maskUpdater = torch.ones(1, 1, self.kernel_size[0], self.kernel_size[1])
        self.slide_winsize = self.kernel_size[0] * self.kernel_size[1]

    def forward(self, x, mask):
        with torch.no_grad():
            update_mask = F.conv2d(mask, self.weight_maskUpdater, bias=None, stride=self.stride,
                                   padding=self.padding)
            mask_ratio = self.slide_winsize / (update_mask + 1e-8)
            update_mask = torch.clamp(update_mask, 0, 1)
            mask_ratio = mask_ratio * update_mask
        raw = F.conv2d(x * mask, self.weight, None, self.stride, self.padding)
        out = raw * mask_ratio + self.bias.view(1, -1, 1, 1)
        return out * update_mask, update_mask


class PConvNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.p1 = PartialConv2d(3, 32, 5, 2, 2)
        self.p2 = PartialConv2d(32, 64, 3, 2, 1)
        self.out = nn.Conv2d(64, 3, 3, padding=1)

    def forward(self, x, mask):
        x, m = self.p1(x, mask.expand(-1, 3, -1, -1)[:, :1])
        x, m = self.p2(F.relu(x), m)
        return torch.sigmoid(F.interpolate(self.out(F.relu(x)), scale_factor=4, mode="nearest"))


class Places(Dataset):
    def __init__(self, images, masks):
        self.images, self.masks = sorted(glob.glob(f"{images}/*.jpg")), sorted(glob.glob(f"{masks}/*.png"))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = TF.to_tensor(Image.open(self.images[i]).convert("RGB"))
        # irregular masks: 255 = keep, 0 = hole -> 1 / 0
        mask = torch.from_numpy(np.array(Image.open(self.masks[i % len(self.masks)])) // 255)[None]
        return img, mask


model = PConvNet()
opt = torch.optim.Adam(model.parameters(), 2e-4)
for epoch in range(2):
    bar = tqdm(DataLoader(Places("places_sub", "irregular_masks"), batch_size=4, shuffle=True), desc=f"epoch {epoch}")
    for img, mask in bar:
        out = model(img * mask, mask)
        loss = F.l1_loss(out * (1 - mask), img * (1 - mask)) * 6 + F.l1_loss(out * mask, img * mask)
        opt.zero_grad()
        loss.backward()
        opt.step()
        bar.set_postfix(l1=f"{loss.item():.3f}")
'''

CELLS["irregular-masks-512-against-256-images-notebook"] = [
    '''import glob
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms as T

img_tf = T.Compose([T.Resize(256), T.CenterCrop(256), T.ToTensor()])
mask_tf = T.ToTensor()          # NVIDIA irregular mask set, already binary


class CelebHoles(Dataset):
    def __init__(self):
        self.images = sorted(glob.glob("celeba_hq/*.jpg"))
        self.masks = sorted(glob.glob("nvidia_masks/*.png"))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = img_tf(Image.open(self.images[i]).convert("RGB"))
        mask = 1 - mask_tf(Image.open(self.masks[torch.randint(len(self.masks), ()).item()]))   # 1 = hole
        return img, mask


ds = CelebHoles()
len(ds), len(ds.masks)''',
    '''G = nn.Sequential(nn.Conv2d(4, 64, 5, 1, 2), nn.ReLU(), nn.Conv2d(64, 64, 3, 1, 2, dilation=2), nn.ReLU(),
                  nn.Conv2d(64, 3, 3, 1, 1), nn.Tanh())
opt = torch.optim.Adam(G.parameters(), 1e-4)
loader = DataLoader(ds, batch_size=4, shuffle=True)''',
    '''for epoch in range(2):
    for img, mask in loader:
        masked = img * (1 - mask)
        out = (G(torch.cat([masked, mask], 1)) + 1) / 2
        comp = out * mask + img * (1 - mask)
        loss = F.l1_loss(comp, img) + F.l1_loss(out, img)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())''',
]

# ================================================================== keypoints / crowds
SCRIPTS["pose-heatmaps-subpixel-keypoints-as-slice-bounds"] = '''
import json

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset

HEATMAP = (64, 48)       # H, W at stride 4 of the 256 x 192 crops
SIGMA = 2


def generate_target(joints, vis, stride=4):
    """Gaussian heat maps, as in HRNet's JointsDataset.generate_target (sub-pixel centres kept)."""
    target = np.zeros((len(joints), *HEATMAP), dtype=np.float32)
    tmp = SIGMA * 3
    for j, ((x, y), v) in enumerate(zip(joints, vis)):
        if v == 0:
            continue
        mu_x, mu_y = x / stride, y / stride
        ul = [mu_x - tmp, mu_y - tmp]
        br = [mu_x + tmp + 1, mu_y + tmp + 1]
        if ul[0] >= HEATMAP[1] or ul[1] >= HEATMAP[0] or br[0] < 0 or br[1] < 0:
            continue
        size = 2 * tmp + 1
        xs = np.arange(0, size, 1, np.float32)
        ys = xs[:, None]
        g = np.exp(-((xs - tmp) ** 2 + (ys - tmp) ** 2) / (2 * SIGMA ** 2))
        g_x = max(0, -ul[0]), min(br[0], HEATMAP[1]) - ul[0]
        g_y = max(0, -ul[1]), min(br[1], HEATMAP[0]) - ul[1]
        img_x = max(0, ul[0]), min(br[0], HEATMAP[1])
        img_y = max(0, ul[1]), min(br[1], HEATMAP[0])
        target[j, img_y[0]:img_y[1], img_x[0]:img_x[1]] = g[g_y[0]:g_y[1], g_x[0]:g_x[1]]
    return target


class PoseCrops(Dataset):
    """person crops (256 x 192) + 17 keypoints [x, y, v] from the Label Studio export"""

    def __init__(self, root):
        self.root = root
        self.items = json.load(open(f"{root}/annotations.json"))

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        it = self.items[i]
        img = np.asarray(Image.open(f"{self.root}/images/{it['file']}").convert("RGB"), np.float32) / 255
        kps = np.array(it["keypoints"], np.float32)
        target = generate_target(kps[:, :2], kps[:, 2])
        return torch.from_numpy(img).permute(2, 0, 1), torch.from_numpy(target)


if __name__ == "__main__":
    model = nn.Sequential(nn.Conv2d(3, 64, 3, 2, 1), nn.ReLU(), nn.Conv2d(64, 64, 3, 2, 1), nn.ReLU(),
                          nn.Conv2d(64, 17, 1))
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    loader = DataLoader(PoseCrops("pose_crops"), batch_size=4, shuffle=True, num_workers=2)
    for epoch in range(3):
        for img, target in loader:
            loss = F.mse_loss(model(img), target)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"epoch {epoch} mse {loss.item():.5f}")
'''

SCRIPTS["csrnet-full-resolution-density-targets"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms as T


def make_layers(cfg, in_channels=3, dilation=1):
    layers = []
    for v in cfg:
        if v == "M":
            layers.append(nn.MaxPool2d(2, 2))
        else:
            layers += [nn.Conv2d(in_channels, v, 3, padding=dilation, dilation=dilation), nn.ReLU(inplace=True)]
            in_channels = v
    return nn.Sequential(*layers)


class CSRNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.frontend = make_layers([16, 16, "M", 32, 32, "M", 64, 64, 64, "M", 128, 128, 128])
        self.backend = make_layers([128, 128, 128, 64, 32, 16], in_channels=128, dilation=2)
        self.output_layer = nn.Conv2d(16, 1, 1)

    def forward(self, x):
        return self.output_layer(self.backend(self.frontend(x)))


class Crowd(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/images/*.jpg"))
        self.tf = T.Compose([T.ToTensor(), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = self.tf(Image.open(self.images[i]).convert("RGB"))
        density = np.load(self.images[i].replace("images", "density").replace(".jpg", ".npy"))
        return img, torch.from_numpy(density)[None]


model = CSRNet()
criterion = nn.MSELoss(reduction="sum")
opt = torch.optim.SGD(model.parameters(), lr=1e-7, momentum=0.95, weight_decay=5e-4)
loader = DataLoader(Crowd("crowd"), batch_size=1, shuffle=True)
for epoch in range(2):
    for i, (img, target) in enumerate(loader):
        output = model(img)
        loss = criterion(output, target)
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(f"epoch {epoch} [{i}] loss {loss.item():.4f} count {output.sum().item():.1f} / {target.sum().item():.0f}")
'''

SCRIPTS["shanghaitech-head-points-outside-image"] = '''
import glob
import os

import numpy as np
import scipy.io as io
from PIL import Image
from scipy.ndimage.filters import gaussian_filter
from tqdm import tqdm

root = "ShanghaiTech/part_A/train_data"
os.makedirs(f"{root}/density", exist_ok=True)
for img_path in tqdm(sorted(glob.glob(f"{root}/images/*.jpg"))):
    mat = io.loadmat(img_path.replace(".jpg", ".mat").replace("images", "ground-truth").replace("IMG_", "GT_IMG_"))
    img = np.asarray(Image.open(img_path))
    k = np.zeros(img.shape[:2], dtype=np.float32)
    gt = mat["image_info"][0, 0][0, 0][0]
    for x, y in gt:
        k[int(y), int(x)] = 1
    density = gaussian_filter(k, 15)           # fixed kernel for part A
    np.save(img_path.replace("images", "density").replace(".jpg", ".npy"), density)
print("done")
'''


def cases():
    out, add, script, notebook = case_builders("torch-more81-", SCRIPTS, CELLS)
    P = ("cpython_basic", "progress_bars")
    W = ("cpython_basic", "dataloader_worker")
    nets = {"models.py": NETS}

    # ---- depth
    script("kitti-drives-of-different-dates-batched-without-crop", "data.image_size_mismatch", forms=W,
           setup=kitti_drives)
    script("nyu-depth-path-from-rgb-name-keeps-jpg", "data.missing_or_corrupt", forms=P, setup=nyu_export)
    script("realsense-depth-millimetres-sgd-anomaly", "optim.divergence", forms=P, setup=realsense)
    script("monodepth-smoothness-normalises-disp-in-place", "optim.autograd_graph", argv="train_stereo.py",
           setup=stereo_pairs)
    script("depth-unet-eval-at-full-kitti-resolution", "model.input_shape", also=["data.image_size_mismatch"],
           forms=P, argv="eval_depth.py", extra=nets, setup=both(kitti_eval, prep(SAVE_UNET)))
    script("depth-decoder-from-inpainting-net-three-channels", "model.output_mismatch", also=["data.label_shape"],
           setup=nyu_export)
    notebook("rgbd-completion-checkpoint-into-rgb-only-model-notebook", "model.weights_mismatch",
             files=nets, setup=both(prep(SAVE_RGBD), phone_photos))
    script("depth-eval-delta-metric-python-max", "other", forms=P, argv="evaluate.py", extra=nets,
           setup=both(nyu_export, prep(SAVE_UNET_NYU)))
    script("monodepth-multiscale-decoder-ddp-scale-zero-only", "env.distributed", argv="train_ddp.py",
           pre=("-m", "torch.distributed.run", "--standalone", "--nproc_per_node=1"), setup=stereo_pairs,
           exception="RuntimeError")  # the rank's own error; torchrun's ChildFailedError only reports it
    script("midas-scale-shift-alignment-torch-lstsq", "env.version_incompat", forms=P, argv="eval_midas.py",
           setup=midas_preds)
    script("dorn-depth-bins-lidar-beyond-80m", "data.label_out_of_range", forms=P, setup=kitti_crops_far)

    # ---- optical flow
    script("raft-readflow-zero-byte-flo-workers", "data.missing_or_corrupt", forms=W, argv="train_chairs.py",
           extra={"frame_utils.py": FRAME_UTILS}, setup=flying_chairs)
    notebook("flownet-frame-pair-stacked-on-new-axis-notebook", "model.input_shape",
             setup=flow_pairs("drone_flow", 8, 128, 96))
    script("unsupervised-flow-warp-grid-not-permuted", "model.api_misuse", setup=flow_pairs("street_pairs", 8, 128, 96))
    script("flow-epe-sqrt-zero-head-clip-nonfinite", "optim.divergence", also=["optim.autograd_graph"],
           setup=flow_pairs("trafficcam", 6, 96, 64, zero_bg=True))
    notebook("flow-to-image-hw2-flo-notebook", "model.api_misuse", setup=flo_eval)
    script("dashcam-flow-dataset-videocapture-spawn-workers", "env.multiprocessing", setup=dashcam)
    script("raft-style-correlation-volume-at-stride-2-memory-limit", "resource.host_memory", argv="check_flow.py",
           setup=sintel_pair)

    # ---- inpainting
    script("inpainting-masks-exported-as-rgb-png", "data.image_channels", forms=P, setup=inpaint_rgb_masks)
    script("partialconv-uint8-masks", "data.dtype", forms=P,
           setup=both(places_images("places_sub", 8, 128, 128), gray_masks("irregular_masks", 6, 128)))
    notebook("irregular-masks-512-against-256-images-notebook", "data.image_size_mismatch",
             setup=both(places_images("celeba_hq", 6, 320, 320), gray_masks("nvidia_masks", 4, 512)))

    # ---- keypoints / crowds
    script("pose-heatmaps-subpixel-keypoints-as-slice-bounds", "data.dtype", also=["other"], forms=W,
           setup=pose_export)
    script("csrnet-full-resolution-density-targets", "data.label_shape", also=["model.output_mismatch"],
           setup=crowd_density)
    script("shanghaitech-head-points-outside-image", "data.bbox_invalid", also=["data.label_out_of_range"], forms=P,
           argv="make_density.py", setup=shanghaitech)
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
