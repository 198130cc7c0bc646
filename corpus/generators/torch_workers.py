"""DataLoader workers and process pools: pickling, workers dying, signals
(host memory), multiprocessing RemoteTraceback blocks, progress bars.

    /work/venvs/torch/bin/python corpus/generators/torch_workers.py [-k filter]
"""

import sys
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _record import case_builders, make_images, run_cases  # noqa: E402

SRC = "corpus/generators/torch_workers.py"

DS = '''
import os
import signal
import torch
from torch.utils.data import DataLoader, Dataset
@@IMPORTS@@


class Crops(Dataset):
    def __init__(self, n, transform=None):
        self.n = n
        self.transform = transform

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        @@GETITEM@@
        x = torch.randn(3, 32, 32)
        if self.transform is not None:
            x = self.transform(x)
        return x, i % 4


@@MAIN@@
'''

MAIN_GUARD = '''
def main():
    @@SETUP@@
    loader = DataLoader(ds, batch_size=@@BS@@, num_workers=@@W@@@@LOADERKW@@)
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(3 * 32 * 32, 4))
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    for epoch in range(2):
        for x, y in @@ITER@@:
            loss = torch.nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"epoch {epoch} done", flush=True)


if __name__ == "__main__":
    main()
'''

NO_GUARD = '''
ds = Crops(64)
loader = DataLoader(ds, batch_size=8, num_workers=2, multiprocessing_context="spawn")
for x, y in loader:
    print(x.shape)
'''


def ds(getitem="pass", setup="ds = Crops(64)", bs="8", w="2", loaderkw="", imports="", it="loader", main=MAIN_GUARD):
    s = DS.replace("@@MAIN@@", main)
    for k, v in dict(GETITEM=getitem, SETUP=setup, BS=bs, W=w, LOADERKW=loaderkw, IMPORTS=imports, ITER=it).items():
        s = s.replace(f"@@{k}@@", v)
    return {"train.py": s}


TQDM_IT = "tqdm(loader, desc=f'Epoch {epoch + 1}/2', ncols=90)"

POOL = '''
import multiprocessing as mp
import os
import cv2
import numpy as np


def preprocess(path):
    img = cv2.imread(path)
    h, w = img.shape[:2]
    scale = 416 / max(h, w)
    img = cv2.resize(img, (int(w * scale), int(h * scale)))
    return img.astype(np.float32) / 255.0


if __name__ == "__main__":
    files = sorted(os.path.join("data/raw", f) for f in os.listdir("data/raw"))
    with mp.Pool(@@W@@) as pool:
        images = pool.map(preprocess, files)
    print(len(images), "images preprocessed")
'''

POOL_BBOX = '''
from multiprocessing import Pool
import glob


def parse_label(path):
    boxes = []
    with open(path) as f:
        for line in f:
            cls, cx, cy, w, h = map(float, line.split())
            if not (0 <= cx <= 1 and 0 <= cy <= 1):
                raise ValueError(f"{path}: box centre ({cx}, {cy}) is not normalised to 0-1")
            boxes.append((int(cls), cx, cy, w, h))
    return boxes


if __name__ == "__main__":
    with Pool(2) as p:
        labels = p.map(parse_label, sorted(glob.glob("labels/*.txt")))
    print(sum(map(len, labels)), "boxes")
'''

EXECUTOR = '''
from concurrent.futures import ProcessPoolExecutor
import os
from PIL import Image


def make_thumbnail(path):
    with Image.open(path) as im:
        im = im.convert("RGB")
        im.thumbnail((128, 128))
        out = path.replace("raw", "thumbs")
        im.save(out)
        return out


if __name__ == "__main__":
    os.makedirs("data/thumbs", exist_ok=True)
    files = sorted(os.path.join("data/raw", f) for f in os.listdir("data/raw"))
    with ProcessPoolExecutor(max_workers=2) as ex:
        for out in ex.map(make_thumbnail, files):
            print("wrote", out)
'''

EXECUTOR_KILLED = '''
from concurrent.futures import ProcessPoolExecutor
import os
import signal
import numpy as np


def extract_features(shard):
    feats = np.random.rand(1000, 512).astype(np.float32)
    if shard == 3:
        os.kill(os.getpid(), signal.SIGKILL)   # what the kernel OOM killer does
    return feats.mean(0)


if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=2) as ex:
        feats = list(ex.map(extract_features, range(8)))
    print(np.stack(feats).shape)
'''

KERAS_LIKE = '''
import sys
import time
import torch
import torch.nn as nn

torch.manual_seed(0)
n_classes = @@NC@@
x = torch.randn(320, 20)
y = torch.randint(0, n_classes, (320,))
y[250] = n_classes   # one mislabelled sample
model = nn.Linear(20, n_classes)
opt = torch.optim.Adam(model.parameters())
steps = 10
for epoch in range(3):
    print(f"Epoch {epoch + 1}/3")
    for step in range(steps):
        xb, yb = x[step * 32:(step + 1) * 32], y[step * 32:(step + 1) * 32]
        loss = nn.functional.cross_entropy(model(xb), yb)
        opt.zero_grad(); loss.backward(); opt.step()
        done = int(30 * (step + 1) / steps)
        bar = "=" * (done - 1) + ">" + "." * (30 - done)
        sys.stdout.write(f"\\r{step + 1:>2}/{steps} [{bar}] - ETA: {steps - step - 1}s - loss: {loss.item():.4f}")
        sys.stdout.flush()
    print()
'''


def raw_images(specs):
    return partial(make_images, specs=specs)


def cases():
    out, add, _, _ = case_builders("")

    # pickling under spawn -----------------------------------------------------------
    add("torch-spawn-lambda-transform", "env.multiprocessing",
        ds(setup="ds = Crops(64, transform=lambda t: (t - 0.5) / 0.5)", loaderkw=', multiprocessing_context="spawn"'))
    add("torch-spawn-local-collate-fn", "env.multiprocessing",
        ds(setup="def collate(batch):\n        return torch.utils.data.default_collate(batch)\n    ds = Crops(64)",
           loaderkw=', collate_fn=collate, multiprocessing_context="spawn"'))
    add("torch-spawn-local-transform-class", "env.multiprocessing",
        ds(setup="class AddNoise:\n        def __call__(self, t):\n            return t + 0.1 * torch.randn_like(t)\n    ds = Crops(64, transform=AddNoise())",
           loaderkw=', multiprocessing_context="spawn"', w="4", bs="16"))
    add("torch-spawn-no-main-guard", "env.multiprocessing", ds(main=NO_GUARD), forms=["dataloader_worker"])
    add("torch-spawn-generator-in-dataset", "env.multiprocessing",
        ds(setup="ds = Crops(64)\n    ds.stream = (i for i in range(10))", loaderkw=', multiprocessing_context="spawn"'))

    # workers dying -----------------------------------------------------------------
    add("torch-worker-exited-unexpectedly", "env.multiprocessing",
        ds(getitem="if i == 21:\n            os._exit(1)"), forms=["dataloader_worker"])
    add("torch-worker-exited-unexpectedly-tqdm", "env.multiprocessing",
        ds(getitem="if i == 37:\n            os._exit(3)", imports="from tqdm import tqdm", it=TQDM_IT),
        forms=["dataloader_worker", "progress_bars"])
    add("torch-worker-sigkill-oom", "resource.host_memory",
        ds(getitem="if i == 30:\n            os.kill(os.getpid(), signal.SIGKILL)"), forms=["dataloader_worker"])
    add("torch-worker-sigkill-oom-tqdm", "resource.host_memory",
        ds(getitem="if i == 45:\n            os.kill(os.getpid(), signal.SIGKILL)", imports="from tqdm import tqdm", it=TQDM_IT, w="4"),
        forms=["dataloader_worker", "progress_bars"])
    add("torch-worker-sigbus-shm", "resource.host_memory",
        ds(getitem="if i == 12:\n            os.kill(os.getpid(), signal.SIGBUS)"), forms=["dataloader_worker"])
    add("torch-worker-sigbus-shm-tqdm", "resource.host_memory",
        ds(getitem="if i == 50:\n            os.kill(os.getpid(), signal.SIGBUS)", imports="from tqdm import tqdm", it=TQDM_IT, bs="4"),
        forms=["dataloader_worker", "progress_bars"])
    add("torch-worker-sigbus-shm-workers8", "resource.host_memory",
        ds(getitem="if i == 3:\n            os.kill(os.getpid(), signal.SIGBUS)", w="8", bs="2"), forms=["dataloader_worker"])
    add("torch-worker-segfault", "other",
        ds(getitem="if i == 9:\n            os.kill(os.getpid(), signal.SIGSEGV)"), forms=["dataloader_worker"],
        also=["env.multiprocessing"])
    add("torch-worker-timeout", "env.multiprocessing",
        ds(getitem="if i == 17:\n            import time; time.sleep(30)", loaderkw=", timeout=3"))

    # process pools: RemoteTraceback -------------------------------------------------------
    specs = [(f"data/raw/img_{i:03d}.jpg", (60 + 7 * i, 50 + 3 * i), "RGB") for i in range(6)]
    add("pool-remote-traceback-cv2-none", "data.missing_or_corrupt", {"prep.py": POOL.replace("@@W@@", "2")},
        forms=["remote_traceback"], argv=["prep.py"],
        setup=raw_images(specs + [("data/raw/img_006.jpg", (10, 10), "empty")]))
    add("pool-remote-traceback-cv2-none-4procs", "data.missing_or_corrupt", {"prep.py": POOL.replace("@@W@@", "4")},
        forms=["remote_traceback"], argv=["prep.py"],
        setup=raw_images(specs + [("data/raw/notes.txt", (1, 1), "text")]))
    add("pool-remote-traceback-bbox-not-normalised", "data.bbox_invalid", {
        "prep.py": POOL_BBOX,
        "labels/0001.txt": "0 0.5 0.5 0.2 0.3\n1 0.25 0.4 0.1 0.1\n",
        "labels/0002.txt": "2 312 208 64 80\n",
        "labels/0003.txt": "0 0.7 0.1 0.05 0.05\n"}, forms=["remote_traceback"], argv=["prep.py"])
    add("pool-remote-traceback-bbox-columns", "data.bbox_invalid", {
        "prep.py": POOL_BBOX,
        "labels/0001.txt": "0 0.5 0.5 0.2 0.3\n",
        "labels/0002.txt": "0.5 0.5 0.2 0.3\n"}, forms=["remote_traceback"], argv=["prep.py"])
    add("executor-remote-traceback-pil-unidentified", "data.missing_or_corrupt", {"prep.py": EXECUTOR},
        forms=["remote_traceback"], argv=["prep.py"],
        setup=raw_images(specs[:3] + [("data/raw/img_100.jpg", (10, 10), "text")]))
    add("executor-remote-traceback-pil-truncated", "data.missing_or_corrupt", {"prep.py": EXECUTOR},
        forms=["remote_traceback"], argv=["prep.py"],
        setup=raw_images(specs[:2] + [("data/raw/img_200.jpg", (200, 200), "truncated")]))
    add("executor-broken-process-pool-killed", "resource.host_memory", {"prep.py": EXECUTOR_KILLED},
        forms=["cpython_basic"], argv=["prep.py"])

    # keras-like carriage-return progress ----------------------------------------------
    add("torch-keras-style-progress-target-out-of-bounds", "data.label_out_of_range",
        {"train.py": KERAS_LIKE.replace("@@NC@@", "4")}, forms=["progress_bars"])
    add("torch-keras-style-progress-target-out-of-bounds-10cls", "data.label_out_of_range",
        {"train.py": KERAS_LIKE.replace("@@NC@@", "10")}, forms=["progress_bars"], env=({"TORCH_SHOW_CPP_STACKTRACES": "1"}))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC))
