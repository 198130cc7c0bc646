"""A ninety-second held-out set (g173, scored 0.88 top-1 and 0.96 top-3 before any rule for it) of PyTorch / torchvision / ImageAI 3 failures, untargeted across the taxonomy.

The persona: backend engineers who wrap image-model training and fine-tuning in services -- retrain / fine-tune jobs
pulled from a job queue or posted to a web endpoint, images arriving as bytes, base64 strings, ``io.BytesIO`` objects
or blobs fetched from object storage (simulated here by a local blob folder: some blobs empty, some an HTML error page
the CDN returned, some truncated uploads), configuration from environment variables and JSON payloads (strings where
numbers belong, class lists that grew), containers with few CPUs and little memory, models loaded once per worker
process, periodic retraining that appends new classes, results serialised to JSON for the queue; ImageAI 3.0.3 is
the classifier / detector some of the services wrap (about a fifth of the cases). A natural mix of causes, each
program built so that its cause is known by construction and made to fail inside torch, torchvision, ImageAI, PIL,
NumPy, json or multiprocessing:

- blobs and payloads: a zero-byte blob from the store opened through ``io.BytesIO`` in the job's DataLoader workers
  (workers, data.missing_or_corrupt); a blob that is the CDN's HTML "403 Forbidden" page given to
  ``torchvision.io.decode_image`` after ``torch.frombuffer`` (a non-writable-buffer warning first,
  data.missing_or_corrupt); base64 PNG screenshots with an alpha channel posted to the fine-tune endpoint and
  normalised with three-value mean / std (workers, data.image_channels); ``IMAGE_SIZE=224`` in the deployment's
  environment where the code expects ``[224, 224]``, so ``Resize`` keeps each upload's aspect (tqdm,
  data.image_size_mismatch); the endpoint's smoke test feeding the decoded HWC upload array to the model
  (model.input_shape); feedback tags of different lengths per image left as Python lists for ``default_collate``
  (workers, data.label_shape); payload labels that are strings (``"3"``) turned into tensors (data.dtype);
- retraining: the weekly retrain whose payload appends two new classes while the model is still built from the
  manifest's ``NUM_CLASSES=4`` (tqdm, data.label_out_of_range); a multi-label defect-tag head "resized" by setting
  ``model.fc.out_features`` (model.output_mismatch); uint8 upload tensors from ``pil_to_tensor`` cast to float without
  scaling in a fill-level regression, caught by the staging queue's anomaly mode (optim.divergence); a head trained on
  an embedding cache filled under ``torch.inference_mode()`` (optim.autograd_graph); a notebook prototype of the
  worker that calls ``torch.set_grad_enabled(False)`` once at start-up and then fine-tunes on feedback (notebook,
  optim.autograd_graph); a job that preallocates the whole upload backlog at the payload's ``image_size``
  (resource.host_memory);
- workers and serving: the retrain job's ``torch.compile``-d checkpoint (``_orig_mod.`` keys) loaded in a
  ``ProcessPoolExecutor`` initializer that loads the model once per worker process (model.weights_mismatch); a
  checkpoint whose class list was saved as a NumPy array, loaded under ``weights_only=True`` (env.version_incompat);
  ``num_workers`` derived from a fractional ``CPU_LIMIT`` (model.api_misuse); a Dataset holding the upload
  ``zipfile.ZipFile`` under the ``spawn`` DataLoader context (env.multiprocessing); ``DEVICE=cuda`` from the
  environment in a CPU-only container (notebook, env.cuda_setup); the job's metrics written back to the queue with
  ``json.dumps`` while they are still tensors (other);
- ImageAI 3: ``classifyImage`` given the upload's ``io.BytesIO`` (model.api_misuse); ``ClassificationModelTrainer``
  with ``batch_size`` read from the environment as a string (model.api_misuse) and on a folder holding a truncated
  upload (tqdm, data.missing_or_corrupt); a serving worker given the new 5-class JSON of the latest retrain while its
  ``MODEL_PATH`` still pins the 3-class model (model.weights_mismatch, re-raised as ``Exception``);
  ``DetectionModelTrainer`` on annotations written from the labelling widget's pixel boxes (data.bbox_invalid).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, no network: the blobs are local
bytes; weights=None: model files are ones an earlier run left on disk).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more92.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


from _record import (Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders,  # noqa: E402,F401
                     save_cls, yolo_layout)
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more92.py"

SCRIPTS = {}
CELLS = {}

# ------------------------------------------------------------------ blobs and payloads an earlier request left
# specs: dicts with size (w, h) and kind (jpg, png, rgba, L, empty, html, truncated); the other keys are copied into
# the job's item. With B64 the image goes into the item as base64, otherwise into BLOBS/<key> (the "object store").
PAYLOAD_PREP = '''
import base64, hashlib, io, json, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(@@SEED@@)
HTML = (b"<!DOCTYPE html>\\n<html><head><title>403 Forbidden</title></head>\\n<body><h1>403 Forbidden</h1>"
        b"<p>Request has expired</p></body></html>\\n")
items = []
for i, spec in enumerate(@@SPECS@@):
    spec = dict(spec)
    (w, h), kind = spec.pop("size"), spec.pop("kind")
    if kind == "empty":
        data = b""
    elif kind == "html":
        data = HTML
    else:
        rgb = rng.integers(0, 255, (h, w, 3), dtype=np.uint8)
        img = Image.fromarray(rgb)
        buf = io.BytesIO()
        if kind == "rgba":
            alpha = np.full((h, w), 255, np.uint8)
            alpha[: h // 4] = 0
            Image.fromarray(np.dstack([rgb, alpha]), "RGBA").save(buf, "PNG")
        elif kind == "L":
            img.convert("L").save(buf, "PNG")
        elif kind == "png":
            img.save(buf, "PNG")
        else:
            img.save(buf, "JPEG", quality=85)
        data = buf.getvalue()
        if kind == "truncated":
            data = data[: len(data) // 2]
    if @@B64@@:
        spec["image_b64"] = base64.b64encode(data).decode()
    else:
        key = hashlib.sha1(data + i.to_bytes(2, "big")).hexdigest()[:20]
        os.makedirs("@@BLOBS@@", exist_ok=True)
        with open(f"@@BLOBS@@/{key}", "wb") as f:
            f.write(data)
        spec["blob"] = key
    items.append(spec)
os.makedirs(os.path.dirname("@@OUT@@") or ".", exist_ok=True)
with open("@@OUT@@", "w") as f:
    json.dump({**@@HEAD@@, "items": items}, f, indent=1)
'''


def payload(specs, out="jobs/job.json", head=None, b64=False, blobs="blobstore", seed=3):
    return prep(sub(PAYLOAD_PREP, SPECS=repr(list(specs)), OUT=out, HEAD=repr(head or {}), B64=repr(b64),
                    BLOBS=blobs, SEED=str(seed)))


def items(labels, sizes=((96, 96),), kind="jpg", bad=None, **extra):
    """One spec per label; `bad` maps an index to another kind (empty, html, rgba, truncated)."""
    out = []
    for i, lab in enumerate(labels):
        d = {"label": lab, "size": sizes[i % len(sizes)], "kind": (bad or {}).get(i, kind)}
        for k, v in extra.items():
            d[k] = v[i % len(v)]
        out.append(d)
    return out


# the service's object-store client, as the jobs import it (a local folder stands in for the bucket)
BLOBSTORE = '''
import os


class BlobStore:
    """Thin wrapper over the bucket client; in CI and locally it reads the mirrored folder."""

    def __init__(self, root=os.environ.get("BLOB_ROOT", "blobstore")):
        self.root = root

    def get(self, key: str) -> bytes:
        with open(os.path.join(self.root, key), "rb") as f:
            return f.read()

    def __repr__(self):
        return f"BlobStore({self.root!r})"
'''

DEFECTS = ["ok", "scratch", "dent", "stain"]

# ================================================================== blobs and payloads
SCRIPTS["blob-zero-bytes-bytesio-retrain-job-workers"] = '''
"""Retrain job: consumes one message from the `retrain` queue (here: a job file) and fine-tunes the classifier."""
import io
import json
import sys

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import models, transforms

from blobstore import BlobStore


class BlobImageDataset(Dataset):
    def __init__(self, job, store):
        self.items = job["items"]
        self.classes = job["classes"]
        self.store = store
        self.tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        item = self.items[i]
        data = self.store.get(item["blob"])
        img = Image.open(io.BytesIO(data)).convert("RGB")
        return self.tf(img), self.classes.index(item["label"])


def run(job_path):
    with open(job_path) as f:
        job = json.load(f)
    print(f"job {job['job_id']}: {len(job['items'])} images, classes={job['classes']}")
    ds = BlobImageDataset(job, BlobStore())
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2)
    model = models.resnet18(weights=None, num_classes=len(job["classes"]))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(job.get("epochs", 3)):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"epoch {epoch}: loss {loss.item():.4f}")


if __name__ == "__main__":
    run(sys.argv[1])
'''

SCRIPTS["cdn-html-403-blob-decode-image"] = '''
"""Fine-tune job: downloads the referenced images from the CDN cache and decodes them with torchvision."""
import json

import torch
import torch.nn.functional as F
from torchvision.io import decode_image, ImageReadMode
from torchvision.transforms import v2

from blobstore import BlobStore

store = BlobStore("cdn_cache")
with open("jobs/finetune_7731.json") as f:
    job = json.load(f)

tf = v2.Compose([v2.Resize((112, 112), antialias=True), v2.ToDtype(torch.float32, scale=True)])
images, labels = [], []
for item in job["items"]:
    raw = store.get(item["blob"])
    img = decode_image(torch.frombuffer(raw, dtype=torch.uint8), mode=ImageReadMode.RGB)
    images.append(tf(img))
    labels.append(job["classes"].index(item["label"]))
x, y = torch.stack(images), torch.tensor(labels)
print("decoded", x.shape, y.shape)
'''

SCRIPTS["endpoint-base64-rgba-screenshots-normalize-workers"] = '''
"""POST /finetune handler body, run here on the request payload saved by the API gateway."""
import base64
import io
import json

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import models, transforms

MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]


class PayloadDataset(Dataset):
    def __init__(self, payload):
        self.items = payload["items"]
        self.classes = payload["classes"]
        self.tf = transforms.Compose([
            transforms.Resize((96, 96)),
            transforms.ToTensor(),
            transforms.Normalize(MEAN, STD),
        ])

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        item = self.items[i]
        img = Image.open(io.BytesIO(base64.b64decode(item["image_b64"])))
        return self.tf(img), self.classes.index(item["label"])


def handle_finetune(payload):
    ds = PayloadDataset(payload)
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2)
    model = models.mobilenet_v3_small(weights=None, num_classes=len(ds.classes))
    opt = torch.optim.AdamW(model.parameters(), lr=3e-4)
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return {"status": "done", "loss": float(loss)}


if __name__ == "__main__":
    with open("requests/finetune_request.json") as f:
        print(handle_finetune(json.load(f)))
'''

SCRIPTS["env-image-size-scalar-resize-keeps-aspect-tqdm"] = '''
"""Fine-tune worker; every setting comes from the container environment (see deploy/worker.env)."""
import io
import json
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import models, transforms
from tqdm import tqdm

from blobstore import BlobStore

IMAGE_SIZE = json.loads(os.environ.get("IMAGE_SIZE", "[128, 128]"))     # [h, w]
BATCH_SIZE = int(os.environ.get("BATCH_SIZE", "8"))
EPOCHS = int(os.environ.get("EPOCHS", "3"))


class UploadDataset(Dataset):
    def __init__(self, job):
        self.items, self.classes = job["items"], job["classes"]
        self.store = BlobStore()
        self.tf = transforms.Compose([transforms.Resize(IMAGE_SIZE), transforms.ToTensor()])

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        it = self.items[i]
        img = Image.open(io.BytesIO(self.store.get(it["blob"]))).convert("RGB")
        return self.tf(img), self.classes.index(it["label"])


with open("jobs/job.json") as f:
    job = json.load(f)
ds = UploadDataset(job)
loader = DataLoader(ds, batch_size=BATCH_SIZE, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(ds.classes))
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for epoch in range(EPOCHS):
    for x, y in tqdm(loader, desc=f"epoch {epoch + 1}/{EPOCHS}"):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

SCRIPTS["endpoint-smoke-test-hwc-upload-array"] = '''
"""After a fine-tune the endpoint runs a smoke prediction on one of the uploaded images before swapping models."""
import base64
import io
import json

import numpy as np
import torch
from PIL import Image
from torchvision import models

with open("requests/finetune_request.json") as f:
    payload = json.load(f)
classes = payload["classes"]

model = models.resnet18(weights=None, num_classes=len(classes))
model.load_state_dict(torch.load("models/candidate.pt"))
model.eval()


def decode(b64: str) -> torch.Tensor:
    img = Image.open(io.BytesIO(base64.b64decode(b64))).convert("RGB").resize((160, 160))
    arr = np.asarray(img, dtype=np.float32) / 255.0
    return torch.from_numpy(arr).unsqueeze(0)


sample = payload["items"][0]
with torch.no_grad():
    probs = model(decode(sample["image_b64"])).softmax(dim=1)[0]
print(json.dumps({"expected": sample["label"], "predicted": classes[int(probs.argmax())]}))
'''

CANDIDATE_PREP = '''
import os
import torch
from torchvision import models

os.makedirs("models", exist_ok=True)
torch.manual_seed(0)
torch.save(models.resnet18(weights=None, num_classes=@@N@@).state_dict(), "models/candidate.pt")
'''

SCRIPTS["feedback-tags-variable-length-lists-collate-workers"] = '''
"""Nightly job: learns multi-label defect tags from the feedback users sent back through the app."""
import io
import json

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import models, transforms

from blobstore import BlobStore

TAGS = ["scratch", "dent", "stain", "crack", "rust"]


class FeedbackDataset(Dataset):
    def __init__(self, path):
        with open(path) as f:
            self.items = json.load(f)["items"]
        self.store = BlobStore()
        self.tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        it = self.items[i]
        img = Image.open(io.BytesIO(self.store.get(it["blob"]))).convert("RGB")
        return self.tf(img), [TAGS.index(t) for t in it["tags"]]


if __name__ == "__main__":
    loader = DataLoader(FeedbackDataset("jobs/feedback_2024w15.json"), batch_size=4, shuffle=True, num_workers=2)
    model = models.resnet18(weights=None, num_classes=len(TAGS))
    criterion = nn.BCEWithLogitsLoss()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(5):
        for x, tags in loader:
            target = torch.zeros(x.size(0), len(TAGS))
            for row, ids in enumerate(tags):
                target[row, ids] = 1.0
            loss = criterion(model(x), target)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())
'''

SCRIPTS["payload-label-strings-torch-tensor"] = '''
"""Queue consumer for the `label-corrections` topic: re-fits the head on images users relabelled."""
import base64
import io
import json

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import models, transforms


class CorrectionSet(Dataset):
    def __init__(self, msgs):
        self.msgs = msgs
        self.tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])

    def __len__(self):
        return len(self.msgs)

    def __getitem__(self, i):
        m = self.msgs[i]
        img = Image.open(io.BytesIO(base64.b64decode(m["image_b64"]))).convert("RGB")
        return self.tf(img), torch.tensor(m["label"])


with open("queue/label_corrections.json") as f:
    msgs = json.load(f)["items"]
print(f"{len(msgs)} corrections")
model = models.resnet18(weights=None, num_classes=4)
for p in model.parameters():
    p.requires_grad_(False)
model.fc.requires_grad_(True)
opt = torch.optim.SGD(model.fc.parameters(), lr=0.01)
for x, y in DataLoader(CorrectionSet(msgs), batch_size=4, shuffle=True):
    loss = nn.functional.cross_entropy(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
print("head updated")
'''

# ================================================================== retraining
SCRIPTS["weekly-retrain-appended-classes-num-classes-env-tqdm"] = '''
"""Weekly retrain: continues from the serving model on everything labelled since the last run."""
import io
import json
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import models, transforms
from tqdm import tqdm

from blobstore import BlobStore

NUM_CLASSES = int(os.environ["NUM_CLASSES"])          # set in the deployment manifest


class LabelledUploads(Dataset):
    def __init__(self, job):
        self.items, self.classes = job["items"], job["classes"]
        self.store = BlobStore()
        self.tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        it = self.items[i]
        img = Image.open(io.BytesIO(self.store.get(it["blob"]))).convert("RGB")
        return self.tf(img), self.classes.index(it["label"])


with open("jobs/retrain_weekly.json") as f:
    job = json.load(f)
print(f"classes in payload: {job['classes']}")
model = models.resnet18(weights=None, num_classes=NUM_CLASSES)
model.load_state_dict(torch.load("models/serving.pt"))
loader = DataLoader(LabelledUploads(job), batch_size=4, shuffle=True)
opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
for epoch in range(3):
    for x, y in tqdm(loader, desc=f"retrain epoch {epoch}"):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
torch.save(model.state_dict(), "models/serving.pt")
'''

SERVING4_PREP = '''
import os
import torch
from torchvision import models

os.makedirs("models", exist_ok=True)
torch.manual_seed(0)
torch.save(models.resnet18(weights=None, num_classes=4).state_dict(), "models/serving.pt")
'''

SCRIPTS["defect-tags-fc-out-features-set-bce"] = '''
"""Multi-label defect tagging job (a part can be scratched AND dented)."""
import io
import json

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import models, transforms

from blobstore import BlobStore

with open("jobs/tags_job.json") as f:
    job = json.load(f)
TAGS = job["tags"]


class TagDataset(Dataset):
    def __init__(self, items):
        self.items, self.store = items, BlobStore()
        self.tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        it = self.items[i]
        target = torch.zeros(len(TAGS))
        for t in it["tags"]:
            target[TAGS.index(t)] = 1.0
        return self.tf(Image.open(io.BytesIO(self.store.get(it["blob"]))).convert("RGB")), target


model = models.resnet18(weights=None)
model.fc.out_features = len(TAGS)          # one logit per tag
loader = DataLoader(TagDataset(job["items"]), batch_size=4, shuffle=True)
criterion = nn.BCEWithLogitsLoss()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for x, target in loader:
        loss = criterion(model(x), target)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

SCRIPTS["pil-to-tensor-uint8-unscaled-fill-level-anomaly"] = '''
"""Fill-level regression job for the bin cameras; TRAIN_DEBUG=1 on the staging queue turns on anomaly detection."""
import io
import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision.transforms import functional as TF

from blobstore import BlobStore

torch.autograd.set_detect_anomaly(os.environ.get("TRAIN_DEBUG") == "1")
with open("jobs/job.json") as f:
    job = json.load(f)
cfg = job["config"]


class BinUploads(Dataset):
    def __init__(self, items):
        self.items, self.store = items, BlobStore()

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        it = self.items[i]
        img = Image.open(io.BytesIO(self.store.get(it["blob"]))).convert("RGB").resize((64, 64))
        return TF.pil_to_tensor(img).float(), torch.tensor([it["fill"]], dtype=torch.float32)


model = nn.Sequential(
    nn.Conv2d(3, 16, 5, stride=2, padding=2), nn.LeakyReLU(0.1),
    nn.Conv2d(16, 32, 5, stride=2, padding=2), nn.LeakyReLU(0.1),
    nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 1))
opt = torch.optim.SGD(model.parameters(), lr=cfg["lr"], momentum=cfg["momentum"])
loader = DataLoader(BinUploads(job["items"]), batch_size=cfg["batch_size"], shuffle=True)
step = 0
for epoch in range(cfg["epochs"]):
    for x, fill in loader:
        loss = F.mse_loss(model(x), fill)
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
        print(f"step {step}: mse {loss.item():.4f}")
'''

SCRIPTS["embedding-cache-inference-mode-head-training"] = '''
"""The worker keeps an embedding cache (filled while serving) and retrains only the head from it."""
import io
import json

import torch
import torch.nn as nn
from PIL import Image
from torchvision import models, transforms

from blobstore import BlobStore

store = BlobStore()
tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])
backbone = models.resnet18(weights=None)
backbone.fc = nn.Identity()
backbone.eval()



@torch.inference_mode()
def embed_batch(keys):
    """the serving path: one forward for a whole request batch"""
    x = torch.stack([tf(Image.open(io.BytesIO(store.get(k))).convert("RGB")) for k in keys])
    return backbone(x)


with open("jobs/job.json") as f:
    job = json.load(f)
feats = embed_batch([it["blob"] for it in job["items"]])         # the worker's embedding cache
labels = torch.tensor([job["classes"].index(it["label"]) for it in job["items"]])
print("cached embeddings:", tuple(feats.shape))

head = nn.Linear(512, len(job["classes"]))
opt = torch.optim.Adam(head.parameters(), lr=1e-2)
for epoch in range(20):
    loss = nn.functional.cross_entropy(head(feats), labels)
    opt.zero_grad()
    loss.backward()
    opt.step()
print("head loss", loss.item())
'''

CELLS["worker-prototype-grad-disabled-at-startup-finetune-notebook"] = [
    '''# prototype of the inference worker: load once, serve many
import io, json
import torch
import torch.nn as nn
from PIL import Image
from torchvision import models, transforms

torch.set_grad_enabled(False)          # worker only serves predictions, saves memory
model = models.resnet18(weights=None, num_classes=4)
model.load_state_dict(torch.load("models/serving.pt"))
model.eval()
tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])
CLASSES = ["ok", "scratch", "dent", "stain"]''',
    '''from blobstore import BlobStore
store = BlobStore()
job = json.load(open("jobs/job.json"))

def predict(key):
    x = tf(Image.open(io.BytesIO(store.get(key))).convert("RGB")).unsqueeze(0)
    return CLASSES[int(model(x).argmax())]

[predict(it["blob"]) for it in job["items"][:4]]''',
    '''# new endpoint idea: fine-tune in the same worker on the feedback batch
model.train()
opt = torch.optim.SGD(model.parameters(), lr=1e-3)
x = torch.stack([tf(Image.open(io.BytesIO(store.get(it["blob"]))).convert("RGB")) for it in job["items"]])
y = torch.tensor([CLASSES.index(it["label"]) for it in job["items"]])
loss = nn.functional.cross_entropy(model(x), y)
opt.zero_grad()
loss.backward()
opt.step()
loss.item()''',
]

SCRIPTS["backlog-preallocated-at-payload-image-size"] = '''
"""Bulk retrain: decodes the whole upload backlog once into one tensor so the epochs are fast."""
import io
import json

import torch
from PIL import Image
from torchvision.transforms import functional as TF

from blobstore import BlobStore

with open("jobs/bulk_retrain.json") as f:
    job = json.load(f)
size = int(job["config"]["image_size"])
backlog = int(job["config"]["backlog"])
print(f"decoding backlog of {backlog} uploads at {size}x{size}")

store = BlobStore()
images = torch.empty((backlog, 3, size, size), dtype=torch.float32)
labels = torch.empty(backlog, dtype=torch.long)
for i in range(backlog):
    it = job["items"][i % len(job["items"])]
    img = Image.open(io.BytesIO(store.get(it["blob"]))).convert("RGB").resize((size, size))
    images[i] = TF.to_tensor(img)
    labels[i] = job["classes"].index(it["label"])
'''

# ================================================================== workers and serving
SCRIPTS["compiled-checkpoint-orig-mod-keys-pool-initializer"] = '''
"""Prediction service: N worker processes, each loads the model once, then serves blobs from the queue."""
import io
import json
import os
from concurrent.futures import ProcessPoolExecutor

import torch
from PIL import Image
from torchvision import models, transforms

from blobstore import BlobStore

MODEL_PATH = os.environ.get("MODEL_PATH", "models/latest.pt")
CLASSES = ["ok", "scratch", "dent", "stain"]
_model = None
_store = None
_tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])


def init_worker():
    global _model, _store
    torch.set_num_threads(1)
    _model = models.resnet18(weights=None, num_classes=len(CLASSES))
    _model.load_state_dict(torch.load(MODEL_PATH, map_location="cpu"))
    _model.eval()
    _store = BlobStore()


def predict(key):
    x = _tf(Image.open(io.BytesIO(_store.get(key))).convert("RGB")).unsqueeze(0)
    with torch.no_grad():
        return key, CLASSES[int(_model(x).argmax())]


if __name__ == "__main__":
    with open("jobs/job.json") as f:
        keys = [it["blob"] for it in json.load(f)["items"]]
    with ProcessPoolExecutor(max_workers=2, initializer=init_worker) as pool:
        for key, label in pool.map(predict, keys):
            print(json.dumps({"blob": key, "label": label}))
'''

# the training job compiled the model and saved the compiled module's state dict
COMPILED_PREP = '''
import os
import torch
from torchvision import models

os.makedirs("models", exist_ok=True)
torch.manual_seed(0)
model = models.resnet18(weights=None, num_classes=4)
compiled = torch.compile(model)
torch.save(compiled.state_dict(), "models/latest.pt")
'''

SCRIPTS["checkpoint-classes-numpy-array-weights-only-load"] = '''
"""Serving worker start-up: the retrain job's checkpoint carries the model and its class list."""
import os

import torch
from torchvision import models

CKPT = os.environ.get("MODEL_PATH", "models/retrain_2024-04-13.pt")

ckpt = torch.load(CKPT, map_location="cpu")
classes = list(ckpt["classes"])
model = models.resnet18(weights=None, num_classes=len(classes))
model.load_state_dict(ckpt["state_dict"])
model.eval()
print(f"worker {os.getpid()} ready: {len(classes)} classes, trained {ckpt['trained_at']}")
'''

NUMPY_CKPT_PREP = '''
import os
import numpy as np
import torch
from torchvision import models

os.makedirs("models", exist_ok=True)
torch.manual_seed(0)
classes = np.array(["ok", "scratch", "dent", "stain", "crack", "rust"])
torch.save({"state_dict": models.resnet18(weights=None, num_classes=len(classes)).state_dict(),
            "classes": classes, "trained_at": "2024-04-13T02:00:00Z"}, "models/retrain_2024-04-13.pt")
'''

SCRIPTS["cpu-limit-fraction-num-workers-negative"] = '''
"""Retrain job runner; sizes its DataLoader from the container's CPU quota."""
import io
import json
import math
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import models, transforms

from blobstore import BlobStore

# Kubernetes passes the CPU limit through the downward API (in cores); leave one core for the main process
CPU_LIMIT = float(os.environ.get("CPU_LIMIT", os.cpu_count()))
NUM_WORKERS = math.floor(CPU_LIMIT) - 1


class Uploads(Dataset):
    def __init__(self, job):
        self.items, self.classes, self.store = job["items"], job["classes"], BlobStore()
        self.tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        it = self.items[i]
        return (self.tf(Image.open(io.BytesIO(self.store.get(it["blob"]))).convert("RGB")),
                self.classes.index(it["label"]))


if __name__ == "__main__":
    with open("jobs/job.json") as f:
        job = json.load(f)
    print(f"cpu limit {CPU_LIMIT}, using {NUM_WORKERS} loader workers")
    loader = DataLoader(Uploads(job), batch_size=8, shuffle=True, num_workers=NUM_WORKERS,
                        persistent_workers=NUM_WORKERS > 0)
    model = models.resnet18(weights=None, num_classes=len(job["classes"]))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

SCRIPTS["upload-zipfile-in-dataset-spawn-workers"] = '''
"""Bulk-upload endpoint: a customer sends one zip of labelled images; the job trains straight from the archive."""
import io
import json
import zipfile

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import models, transforms


class ZipUploadDataset(Dataset):
    def __init__(self, path):
        self.zf = zipfile.ZipFile(path)
        self.names = [n for n in self.zf.namelist() if n.endswith(".jpg")]
        self.classes = sorted({n.split("/")[0] for n in self.names})
        self.tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])

    def __len__(self):
        return len(self.names)

    def __getitem__(self, i):
        name = self.names[i]
        img = Image.open(io.BytesIO(self.zf.read(name))).convert("RGB")
        return self.tf(img), self.classes.index(name.split("/")[0])


if __name__ == "__main__":
    ds = ZipUploadDataset("uploads/customer_4471.zip")
    print(json.dumps({"images": len(ds), "classes": ds.classes}))
    # the service process runs threads, so workers are spawned rather than forked
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2, multiprocessing_context="spawn")
    model = models.resnet18(weights=None, num_classes=len(ds.classes))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

ZIP_PREP = '''
import io, os, zipfile
import numpy as np
from PIL import Image

rng = np.random.default_rng(2)
os.makedirs("uploads", exist_ok=True)
with zipfile.ZipFile("uploads/customer_4471.zip", "w") as zf:
    for c in ["ok", "scratch", "dent"]:
        for i in range(4):
            buf = io.BytesIO()
            Image.fromarray(rng.integers(0, 255, (80, 100, 3), dtype=np.uint8)).save(buf, "JPEG")
            zf.writestr(f"{c}/{c}_{i:03d}.jpg", buf.getvalue())
'''

CELLS["device-env-cuda-cpu-only-container-notebook"] = [
    '''import io, json, os
import torch
import torch.nn as nn
from PIL import Image
from torchvision import models, transforms
from blobstore import BlobStore

# same settings as the deployed worker (copied from deploy/worker.env)
os.environ.setdefault("DEVICE", "cuda")
os.environ.setdefault("BATCH_SIZE", "8")
DEVICE = torch.device(os.environ["DEVICE"])
DEVICE''',
    '''job = json.load(open("jobs/job.json"))
store = BlobStore()
tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])
x = torch.stack([tf(Image.open(io.BytesIO(store.get(it["blob"]))).convert("RGB")) for it in job["items"]])
y = torch.tensor([job["classes"].index(it["label"]) for it in job["items"]])
x.shape, y.shape''',
    '''model = models.resnet18(weights=None, num_classes=len(job["classes"])).to(DEVICE)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loss = nn.functional.cross_entropy(model(x.to(DEVICE)), y.to(DEVICE))
loss.backward()
opt.step()
loss.item()''',
]

SCRIPTS["job-metrics-json-dumps-tensors-to-queue"] = '''
"""Fine-tune job: trains, evaluates, and posts the result message back to the job queue."""
import io
import json
import time

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader, random_split
from torchvision import models, transforms

from blobstore import BlobStore


class Uploads(Dataset):
    def __init__(self, job):
        self.items, self.classes, self.store = job["items"], job["classes"], BlobStore()
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        it = self.items[i]
        return (self.tf(Image.open(io.BytesIO(self.store.get(it["blob"]))).convert("RGB")),
                self.classes.index(it["label"]))


def publish(queue_dir, message):
    body = json.dumps(message)
    with open(f"{queue_dir}/result_{message['job_id']}.json", "w") as f:
        f.write(body)


with open("jobs/job.json") as f:
    job = json.load(f)
t0 = time.time()
train_ds, val_ds = random_split(Uploads(job), [0.75, 0.25], generator=torch.Generator().manual_seed(0))
model = models.resnet18(weights=None, num_classes=len(job["classes"]))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for x, y in DataLoader(train_ds, batch_size=4, shuffle=True):
    loss = nn.functional.cross_entropy(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()

model.eval()
correct, total = 0, 0
with torch.no_grad():
    for x, y in DataLoader(val_ds, batch_size=4):
        correct += (model(x).argmax(1) == y).sum()
        total += len(y)
publish("queue/results", {"job_id": job["job_id"], "status": "succeeded", "train_loss": loss.detach(),
                          "val_accuracy": correct / total, "seconds": round(time.time() - t0, 1)})
'''

# ================================================================== ImageAI 3
SCRIPTS["imageai-classify-upload-bytesio"] = '''
"""Inspection service: /classify endpoint wrapping an ImageAI model, loaded once per worker."""
import io
import json

from imageai.Classification.Custom import CustomImageClassification

from blobstore import BlobStore

classifier = CustomImageClassification()
classifier.setModelTypeAsMobileNetV2()
classifier.setModelPath("models/mobilenet_v2-parts-test_acc_0.87500_epoch-9.pt")
classifier.setJsonPath("models/parts_model_classes.json")
classifier.useCPU()
classifier.loadModel()
store = BlobStore()


def classify(blob_key):
    upload = io.BytesIO(store.get(blob_key))
    names, probs = classifier.classifyImage(upload, result_count=2)
    return {"blob": blob_key, "predictions": [{"label": n, "score": p} for n, p in zip(names, probs)]}


with open("jobs/job.json") as f:
    for it in json.load(f)["items"]:
        print(json.dumps(classify(it["blob"])))
'''

SCRIPTS["imageai-trainer-batch-size-from-env-string"] = '''
"""Nightly ImageAI retrain, configured by environment variables set on the CronJob."""
import os

from imageai.Classification.Custom import ClassificationModelTrainer

DATA_DIR = os.environ.get("DATA_DIR", "datasets/parts")
EPOCHS = int(os.environ.get("EPOCHS", "10"))
BATCH_SIZE = os.environ.get("BATCH_SIZE", 8)

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory(DATA_DIR)
trainer.trainModel(num_experiments=EPOCHS, batch_size=BATCH_SIZE)
'''

SCRIPTS["imageai-trainer-truncated-upload-in-class-folder"] = '''
"""Retrain job: the uploads of the week were copied into the ImageAI class folders by the ingest step."""
from imageai.Classification.Custom import ClassificationModelTrainer

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("datasets/parts")
trainer.trainModel(num_experiments=3, batch_size=4)
'''

SCRIPTS["imageai-serving-new-class-json-old-model-path"] = '''
"""Inspection worker; MODEL_PATH and CLASSES_JSON come from the deployment (the retrain job updates the JSON)."""
import os

from imageai.Classification.Custom import CustomImageClassification

MODEL_PATH = os.environ["MODEL_PATH"]
CLASSES_JSON = os.environ["CLASSES_JSON"]

classifier = CustomImageClassification()
classifier.setModelTypeAsMobileNetV2()
classifier.setModelPath(MODEL_PATH)
classifier.setJsonPath(CLASSES_JSON)
classifier.useCPU()
classifier.loadModel()
print("worker ready", os.getpid())
'''

NEW_CLASSES_JSON_PREP = '''
import json
json.dump({str(i): c for i, c in enumerate(["crack", "dent", "ok", "rust", "scratch"])},
          open("models/current/parts_model_classes.json", "w"))
'''

SCRIPTS["imageai-detection-widget-pixel-boxes"] = '''
"""Detector retrain: the ingest step wrote the labelling widget's boxes as YOLO annotation files."""
from imageai.Detection.Custom import DetectionModelTrainer

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="datasets/shelf")
trainer.setTrainConfig(object_names_array=["bottle", "can", "carton"], batch_size=2, num_experiments=2)
trainer.trainModel()
'''


def widget_rows(split, i):
    # the widget's boxes: class, centre x, centre y, width, height -- in pixels of the 160x120 upload
    boxes = [(0, 40, 50, 30, 44), (1, 110, 70, 36, 40), (2, 80, 60, 50, 30)]
    return "".join(f"{c} {x} {y} {w} {h}\n" for c, x, y, w, h in boxes[: 1 + i % 3])


PARTS3 = ["dent", "ok", "scratch"]


def parts_dir(per_train=3, per_test=2, bad=None):
    specs = class_folder("datasets/parts/train", PARTS3, per_train, size=(120, 96))
    specs += class_folder("datasets/parts/test", PARTS3, per_test, size=(120, 96))
    if bad:
        specs.append((bad, (120, 96), "truncated"))
    return imgs(specs)


def cases():
    out, add, script, notebook = case_builders("torch-more92-", SCRIPTS, CELLS)
    W = ("cpython_basic", "dataloader_worker")
    NB = ("ipython_cell", "ipython_arrows", "ipython_file_tilde?")
    P = ("cpython_basic", "progress_bars?")
    bs = {"blobstore.py": BLOBSTORE}
    cls4 = {"classes": DEFECTS}
    lab12 = [DEFECTS[i % 4] for i in range(12)]
    sizes = ((96, 96), (120, 90), (80, 100))

    # ---- blobs and payloads
    script("blob-zero-bytes-bytesio-retrain-job-workers", "data.missing_or_corrupt", forms=W, argv="retrain_job.py",
           args=("jobs/retrain_0413.json",), extra=bs,
           setup=payload(items(lab12, sizes, bad={7: "empty"}), out="jobs/retrain_0413.json",
                         head={"job_id": "retrain-0413", "classes": DEFECTS, "epochs": 3}))
    script("cdn-html-403-blob-decode-image", "data.missing_or_corrupt", argv="finetune_job.py", extra=bs,
           setup=payload(items(lab12, sizes, bad={5: "html"}), out="jobs/finetune_7731.json", blobs="cdn_cache",
                         head={"job_id": "ft-7731", **cls4}))
    script("endpoint-base64-rgba-screenshots-normalize-workers", "data.image_channels", forms=W, argv="handler.py",
           setup=payload(items(lab12, sizes, bad={2: "rgba", 9: "rgba"}, kind="png"),
                         out="requests/finetune_request.json", b64=True, head=cls4))
    script("env-image-size-scalar-resize-keeps-aspect-tqdm", "data.image_size_mismatch", forms=P,
           argv="finetune_worker.py", extra=bs, env={"IMAGE_SIZE": "128", "BATCH_SIZE": "4", "EPOCHS": "2"},
           setup=payload(items(lab12, ((160, 120), (120, 160), (128, 128))), head={"job_id": "ft-88", **cls4}))
    script("endpoint-smoke-test-hwc-upload-array", "model.input_shape", also=["data.image_channels"],
           argv="smoke_test.py",
           setup=both(payload(items(lab12[:4], sizes), out="requests/finetune_request.json", b64=True, head=cls4),
                      prep(sub(CANDIDATE_PREP, N="4"))))
    script("feedback-tags-variable-length-lists-collate-workers", "data.label_shape", forms=W,
           argv="train_tags.py", extra=bs,
           setup=payload(items(lab12, sizes, tags=[["scratch"], ["dent", "rust"], [], ["stain"], ["scratch", "crack"],
                                                   ["dent"]]), out="jobs/feedback_2024w15.json"))
    script("payload-label-strings-torch-tensor", "data.dtype", argv="corrections_consumer.py",
           setup=payload(items(["2", "0", "3", "1", "1", "0", "2", "3"], sizes), out="queue/label_corrections.json",
                         b64=True, head={"topic": "label-corrections"}))

    # ---- retraining
    classes6 = DEFECTS + ["crack", "rust"]
    script("weekly-retrain-appended-classes-num-classes-env-tqdm", "data.label_out_of_range",
           also=["model.output_mismatch"], forms=P, argv="retrain_weekly.py", extra=bs, env={"NUM_CLASSES": "4"},
           setup=both(payload(items([classes6[i % 6] for i in range(12)], sizes), out="jobs/retrain_weekly.json",
                              head={"job_id": "weekly-15", "classes": classes6}),
                      prep(SERVING4_PREP)))
    script("defect-tags-fc-out-features-set-bce", "model.output_mismatch", argv="train_tags.py", extra=bs,
           setup=payload(items(lab12, sizes, tags=[["scratch"], ["dent", "stain"], ["scratch", "dent"], ["stain"]]),
                         out="jobs/tags_job.json", head={"tags": ["scratch", "dent", "stain"]}))
    script("pil-to-tensor-uint8-unscaled-fill-level-anomaly", "optim.divergence", argv="fill_level_job.py", extra=bs,
           env={"TRAIN_DEBUG": "1"},
           setup=payload(items(["bin"] * 12, sizes, fill=[12.5, 80.0, 45.0, 97.5, 30.0, 62.5]),
                         head={"job_id": "fill-901", "config": {"lr": 0.001, "momentum": 0.9, "batch_size": 4,
                                                                "epochs": 20}}))
    script("embedding-cache-inference-mode-head-training", "optim.autograd_graph", argv="head_retrain.py", extra=bs,
           setup=payload(items(lab12, sizes), head={"job_id": "head-12", **cls4}))
    notebook("worker-prototype-grad-disabled-at-startup-finetune-notebook", "optim.autograd_graph", forms=NB,
             files=bs, setup=both(payload(items(lab12[:8], sizes), head={"job_id": "fb-3", **cls4}),
                                  prep(SERVING4_PREP)))
    script("backlog-preallocated-at-payload-image-size", "resource.host_memory", argv="bulk_retrain.py", extra=bs,
           setup=payload(items(lab12, sizes), out="jobs/bulk_retrain.json",
                         head={"job_id": "bulk-2", **cls4, "config": {"image_size": "1024", "backlog": "48000"}}))

    # ---- workers and serving
    script("compiled-checkpoint-orig-mod-keys-pool-initializer", "model.weights_mismatch",
           also=["env.multiprocessing"], argv="predict_service.py", extra=bs,
           exception="RuntimeError",  # the worker's own error, printed above the BrokenProcessPool
           setup=both(payload(items(lab12[:6], sizes)), prep(COMPILED_PREP)))
    script("checkpoint-classes-numpy-array-weights-only-load", "env.version_incompat",
           also=["model.weights_mismatch"], argv="worker_start.py", setup=prep(NUMPY_CKPT_PREP))
    script("cpu-limit-fraction-num-workers-negative", "model.api_misuse", argv="retrain_runner.py", extra=bs,
           env={"CPU_LIMIT": "0.5"}, setup=payload(items(lab12, sizes), head={"job_id": "r-5", **cls4}))
    script("upload-zipfile-in-dataset-spawn-workers", "env.multiprocessing", argv="bulk_upload_job.py",
           setup=prep(ZIP_PREP))
    notebook("device-env-cuda-cpu-only-container-notebook", "env.cuda_setup", forms=NB, files=bs,
             setup=payload(items(lab12[:8], sizes), head={"job_id": "nb-1", **cls4}))
    script("job-metrics-json-dumps-tensors-to-queue", "other", also=["model.api_misuse"], argv="finetune_job.py",
           extra=bs, setup=both(payload(items(lab12, sizes), head={"job_id": "ft-4410", **cls4}),
                                write("queue/results/.keep", "")))

    # ---- ImageAI 3
    parts_json = '["dent", "ok", "scratch"]'
    script("imageai-classify-upload-bytesio", "model.api_misuse", framework="imageai", argv="inspect_service.py",
           extra=bs,
           setup=both(payload(items(["ok", "dent"], sizes)),
                      save_cls("mobilenet_v2", parts_json, "models/mobilenet_v2-parts-test_acc_0.87500_epoch-9.pt",
                               "models/parts_model_classes.json")))
    script("imageai-trainer-batch-size-from-env-string", "model.api_misuse", framework="imageai",
           argv="nightly_retrain.py", env={"BATCH_SIZE": "4", "EPOCHS": "3"}, timeout=400, setup=parts_dir())
    script("imageai-trainer-truncated-upload-in-class-folder", "data.missing_or_corrupt", framework="imageai",
           forms=P, argv="retrain_job.py", timeout=400,
           setup=parts_dir(bad="datasets/parts/train/scratch/upload_3f9a1c.jpg"))
    script("imageai-serving-new-class-json-old-model-path", "model.weights_mismatch", framework="imageai",
           argv="inspect_worker.py", exception="Exception",  # ImageAI re-raises the load_state_dict error as Exception
           env={"MODEL_PATH": "models/current/mobilenet_v2-parts-test_acc_0.87500_epoch-9.pt",
                "CLASSES_JSON": "models/current/parts_model_classes.json"},
           setup=both(save_cls("mobilenet_v2", parts_json,
                               "models/current/mobilenet_v2-parts-test_acc_0.87500_epoch-9.pt",
                               "models/current/parts_model_classes.json"),
                      prep(NEW_CLASSES_JSON_PREP)))
    script("imageai-detection-widget-pixel-boxes", "data.bbox_invalid", framework="imageai",
           argv="retrain_detector.py", timeout=400, setup=yolo_layout("datasets/shelf", widget_rows))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
