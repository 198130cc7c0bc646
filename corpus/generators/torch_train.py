"""PyTorch training-loop failures: labels, loss shapes, model input shapes,
weights loading, divergence and autograd misuse.

    /work/venvs/torch/bin/python corpus/generators/torch_train.py [-k filter]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _record import case_builders, run_cases  # noqa: E402

SRC = "corpus/generators/torch_train.py"
CPP = {"TORCH_SHOW_CPP_STACKTRACES": "1"}

# A small classifier training script; @@ markers are substituted per variant.
CLS_TRAIN = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
@@IMPORTS@@

torch.manual_seed(0)
NUM_CLASSES = @@NC@@


def make_data(n):
    x = torch.randn(n, @@FEAT@@)
    y = @@LABELS@@
    return TensorDataset(x, y)


class Classifier(nn.Module):
    def __init__(self, in_features, num_classes):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(in_features, 64), nn.ReLU(), nn.Linear(64, num_classes))

    def forward(self, x):
        return self.net(x)


def train(model, loader, criterion, optimizer, epochs=2):
    for epoch in range(epochs):
        total = 0.0
        for step, (x, y) in enumerate(@@ITER@@):
            optimizer.zero_grad()
            out = @@OUT@@
            loss = criterion(out, @@TARGET@@)
            loss.backward()
            optimizer.step()
            total += loss.item()
        print(f"epoch {epoch + 1}: loss {total / (step + 1):.4f}")


if __name__ == "__main__":
    model = Classifier(@@FEAT@@, NUM_CLASSES)
    loader = DataLoader(make_data(@@N@@), batch_size=@@BS@@, shuffle=True)
    criterion = @@CRIT@@
    optimizer = torch.optim.@@OPT@@(model.parameters(), lr=@@LR@@)
    train(model, loader, criterion, optimizer)
'''

DEFAULTS = dict(IMPORTS="", NC="10", FEAT="32", LABELS="torch.randint(0, NUM_CLASSES, (n,))", ITER="loader",
                OUT="model(x)", TARGET="y", N="256", BS="32", CRIT="nn.CrossEntropyLoss()", OPT="SGD", LR="0.01")


def cls(**kw):
    p = dict(DEFAULTS, **kw)
    s = CLS_TRAIN
    for k, v in p.items():
        s = s.replace(f"@@{k}@@", v)
    return {"train.py": s}


TQDM = dict(IMPORTS="from tqdm import tqdm", ITER="tqdm(loader, desc=f'epoch {epoch + 1}', ncols=80)")


SEG_TRAIN = '''
import torch
import torch.nn as nn

model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, @@NC@@, 1))
images = torch.randn(4, 3, 64, 64)
masks = @@MASK@@
criterion = @@CRIT@@
loss = criterion(model(images), masks)
loss.backward()
'''


def seg(nc, mask, crit="nn.CrossEntropyLoss()"):
    return {"train.py": SEG_TRAIN.replace("@@NC@@", str(nc)).replace("@@MASK@@", mask).replace("@@CRIT@@", crit)}


EMBED = '''
import torch
import torch.nn as nn

vocab = {w: i for i, w in enumerate(open("vocab.txt").read().split())}

class TextClassifier(nn.Module):
    def __init__(self, vocab_size, dim=64, n_classes=4):
        super().__init__()
        self.emb = nn.EmbeddingBag(vocab_size, dim) if @@BAG@@ else nn.Embedding(vocab_size, dim)
        self.fc = nn.Linear(dim, n_classes)
    def forward(self, tokens):
        e = self.emb(tokens)
        return self.fc(e if e.dim() == 2 else e.mean(1))

model = TextClassifier(len(vocab))
# token ids produced by a tokenizer with a bigger vocabulary
tokens = torch.tensor([[1, 5, 20, 7], [3, @@TOK@@, 2, 0]])
print(model(tokens))
'''

ONEHOT = '''
import torch
import torch.nn.functional as F

labels = torch.tensor(@@LABELS@@)
targets = F.one_hot(labels, num_classes=@@NC@@).float()
print(targets.shape)
'''

RESNET_INPUT = '''
import torch
import torch.nn as nn
import torchvision

model = torchvision.models.@@ARCH@@(weights=None)
model.fc = nn.Linear(@@FCIN@@, @@NC@@)
x = torch.randn(@@BS@@, 3, @@S@@, @@S@@)
print(model(x).shape)
'''

CNN_INPUT = '''
import torch
import torch.nn as nn

class SmallCNN(nn.Module):
    def __init__(self, n_classes=10):
        super().__init__()
        self.conv = nn.Sequential(
            nn.Conv2d(@@CIN@@, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        self.fc = nn.Linear(@@FLAT@@, n_classes)
    def forward(self, x):
        x = self.conv(x)
        x = x.view(x.size(0), -1)
        return self.fc(x)

model = SmallCNN()
batch = @@BATCH@@
logits = model(batch)
'''

STATE_DICT = '''
import torch
import torch.nn as nn
import torchvision

@@SAVE@@
model = @@MODEL@@
state = torch.load("checkpoint.pth", map_location="cpu"@@LOADKW@@)
model.load_state_dict(@@STATE@@)
print("loaded")
'''

ANOMALY = '''
import torch
import torch.nn as nn

torch.manual_seed(0)
torch.autograd.set_detect_anomaly(True)
model = @@MODEL@@
opt = torch.optim.SGD(model.parameters(), lr=@@LR@@)
x = torch.randn(64, 16) * 10
y = @@Y@@
for step in range(200):
    opt.zero_grad()
    loss = @@LOSS@@
    loss.backward()
    opt.step()
    if step % 5 == 0:
        print(f"step {step} loss {loss.item():.4g}", flush=True)
'''

NAN_CHECK = '''
import math
import torch
import torch.nn as nn
@@IMPORTS@@

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 1))
opt = torch.optim.SGD(model.parameters(), lr=@@LR@@)
x = torch.randn(512, 16) * 50
y = x.sum(1, keepdim=True) * 100

for epoch in range(50):
    for i in @@RANGE@@:
        xb, yb = x[i:i + 64], y[i:i + 64]
        loss = nn.functional.mse_loss(model(xb), yb)
        opt.zero_grad()
        loss.backward()
        @@CHECK@@
        opt.step()
'''

AUTOGRAD = {
    "backward-twice": ('''
import torch
import torch.nn as nn

gen = nn.Linear(16, 32)
disc = nn.Linear(32, 1)
z = torch.randn(8, 16)
fake = gen(z)
d_loss = disc(fake).mean()
g_loss = -disc(fake).sigmoid().log().mean() + fake.pow(2).mean()
d_loss.backward()
(g_loss + d_loss).backward()
''', ["cpython_basic"]),
    "backward-twice-rnn-hidden": ('''
import torch
import torch.nn as nn

rnn = nn.GRU(8, 16, batch_first=True)
head = nn.Linear(16, 1)
opt = torch.optim.Adam(list(rnn.parameters()) + list(head.parameters()))
h = torch.zeros(1, 4, 16)
for chunk in range(3):
    x = torch.randn(4, 10, 8)
    out, h = rnn(x, h)          # hidden state carried over without .detach()
    loss = head(out[:, -1]).pow(2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    print("chunk", chunk, loss.item())
''', ["cpython_basic"]),
    "inplace-relu": ('''
import torch
import torch.nn as nn

class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(16, 16)
        self.fc2 = nn.Linear(16, 16)
    def forward(self, x):
        h = torch.sigmoid(self.fc1(x))
        out = self.fc2(h)
        h += 1.0   # in-place change of a tensor saved for backward
        return out + h

x = torch.randn(8, 16)
Block()(x).sum().backward()
''', ["cpython_basic"]),
    "inplace-detect-anomaly": ('''
import torch
import torch.nn as nn

torch.autograd.set_detect_anomaly(True)
x = torch.randn(4, 10, requires_grad=True)
w = torch.randn(10, 10, requires_grad=True)
h = torch.exp(x @ w)
h[:, 0] = 0.0
h.sum().backward()
''', ["cpython_basic"]),
    "no-grad-fn": ('''
import torch
import torch.nn as nn

model = nn.Linear(20, 5)
x = torch.randn(16, 20)
y = torch.randint(0, 5, (16,))
with torch.no_grad():
    logits = model(x)
loss = nn.functional.cross_entropy(logits, y)
loss.backward()
''', ["cpython_basic"]),
    "no-grad-fn-argmax-accuracy-loss": ('''
import torch
import torch.nn as nn

model = nn.Linear(20, 5)
opt = torch.optim.Adam(model.parameters())
x = torch.randn(16, 20)
y = torch.randint(0, 5, (16,))
pred = model(x).argmax(dim=1)
loss = 1.0 - (pred == y).float().mean()   # "optimise accuracy directly"
opt.zero_grad()
loss.backward()
''', ["cpython_basic"]),
    "numpy-requires-grad": ('''
import numpy as np
import torch
import torch.nn as nn

model = nn.Linear(10, 3)
preds = []
for _ in range(3):
    out = model(torch.randn(4, 10))
    preds.append(out.numpy())
print(np.concatenate(preds).shape)
''', ["cpython_basic"]),
    "leaf-inplace": ('''
import torch

w = torch.randn(10, 1, requires_grad=True)
x = torch.randn(32, 10)
y = torch.randn(32, 1)
for step in range(10):
    loss = ((x @ w - y) ** 2).mean()
    loss.backward()
    w -= 0.1 * w.grad      # manual SGD outside torch.no_grad()
    w.grad.zero_()
''', ["cpython_basic"]),
    "non-scalar-backward": ('''
import torch
import torch.nn as nn

model = nn.Linear(8, 3)
criterion = nn.CrossEntropyLoss(reduction="none")
x = torch.randn(16, 8)
y = torch.randint(0, 3, (16,))
loss = criterion(model(x), y)
loss.backward()
''', ["cpython_basic"]),
}

WEIGHTS_ONLY = '''
import numpy as np
import torch
import torch.nn as nn

model = nn.Linear(4, 2)
torch.save({"model": model.state_dict(), "epoch": 3, "best_acc": np.float64(0.91),
            "class_names": np.array(["cat", "dog"])}, "last.pth")

ckpt = torch.load("last.pth")
model.load_state_dict(ckpt["model"])
'''

NOT_TORCH_FILE = '''
import torch
import torchvision

model = torchvision.models.resnet18(num_classes=2)
model.load_state_dict(torch.load("@@FILE@@", map_location="cpu"))
'''


def cases():
    out, add, _, _ = case_builders("")

    # label out of range ----------------------------------------------------------
    add("torch-ce-target-out-of-bounds", "data.label_out_of_range",
        cls(NC="5", LABELS="torch.randint(1, NUM_CLASSES + 1, (n,))  # class ids 1..5 from folder names"))
    add("torch-ce-target-out-of-bounds-tqdm", "data.label_out_of_range",
        cls(NC="3", LABELS="torch.cat([torch.randint(0, 3, (n - 8,)), torch.full((8,), 3)])", **TQDM),
        forms=["progress_bars"])
    add("torch-ce-target-negative", "data.label_out_of_range",
        cls(NC="4", LABELS="torch.randint(0, NUM_CLASSES, (n,)) - (torch.rand(n) < 0.1).long()  # -1 = unlabelled"))
    add("torch-ce-target-out-of-bounds-cpp", "data.label_out_of_range",
        cls(NC="10", LABELS="torch.randint(0, 11, (n,))", BS="64"), forms=["cpp_frames"], env=CPP)
    add("torch-nll-target-out-of-bounds", "data.label_out_of_range",
        cls(NC="7", LABELS="torch.randint(0, 8, (n,))", CRIT="nn.NLLLoss()", OUT="torch.log_softmax(model(x), dim=1)", OPT="Adam", LR="1e-3"))
    add("torch-seg-ce-mask-255", "data.label_out_of_range",
        seg(3, "torch.randint(0, 3, (4, 64, 64))\nmasks[:, :2, :] = 255  # void label in the PNG masks"))
    add("torch-seg-ce-mask-class-count", "data.label_out_of_range",
        seg(2, "torch.randint(0, 5, (4, 64, 64))"))
    add("torch-embedding-index-out-of-range", "data.label_out_of_range", {"train.py": EMBED.replace("@@BAG@@", "False").replace("@@TOK@@", "5000"),
                                                                         "vocab.txt": " ".join(f"w{i}" for i in range(1000))})
    add("torch-embeddingbag-index-out-of-range", "data.label_out_of_range", {"train.py": EMBED.replace("@@BAG@@", "True").replace("@@TOK@@", "30522"),
                                                                            "vocab.txt": " ".join(f"w{i}" for i in range(3000))})
    add("torch-one-hot-class-too-large", "data.label_out_of_range", {"train.py": ONEHOT.replace("@@LABELS@@", "[0, 2, 1, 3, 2]").replace("@@NC@@", "3")})
    add("torch-one-hot-negative", "data.label_out_of_range", {"train.py": ONEHOT.replace("@@LABELS@@", "[0, -1, 1, 1]").replace("@@NC@@", "2")})
    add("torch-bce-target-not-0-1", "data.label_out_of_range",
        seg(1, "torch.randint(0, 2, (4, 1, 64, 64)).float() * 255  # mask PNG read as 0/255",
            crit="lambda o, t: nn.functional.binary_cross_entropy(torch.sigmoid(o), t)"))

    # label shape ----------------------------------------------------------------
    add("torch-ce-batch-size-mismatch", "data.label_shape",
        cls(TARGET="y[: x.size(0) // 2]"))
    add("torch-ce-batch-size-mismatch-flatten", "data.label_shape",
        {"train.py": '''
import torch
import torch.nn as nn

model = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.LazyLinear(10))
images = torch.randn(16, 3, 32, 32)
labels = torch.randint(0, 10, (16,))
out = model(images).view(-1, 10 * 2)   # reshape with the wrong factor
loss = nn.CrossEntropyLoss()(out.view(-1, 10)[:8], labels)
'''})
    add("torch-ce-onehot-long-target", "data.label_shape",
        cls(NC="4", LABELS="nn.functional.one_hot(torch.randint(0, NUM_CLASSES, (n,)), NUM_CLASSES)"),
        also=["data.dtype"])
    add("torch-ce-target-n-by-1", "data.label_shape",
        cls(NC="6", LABELS="torch.randint(0, NUM_CLASSES, (n, 1))  # labels.csv read as a column", BS="16"))
    add("torch-ce-soft-target-wrong-classes", "data.label_shape",
        cls(NC="10", LABELS="nn.functional.one_hot(torch.randint(0, 5, (n,)), 5).float()"))
    add("torch-bce-target-size-different", "data.label_shape",
        cls(NC="1", LABELS="torch.randint(0, 2, (n,)).float()", CRIT="nn.BCELoss()", OUT="torch.sigmoid(model(x))", BS="16"))
    add("torch-bcewithlogits-target-size-different", "data.label_shape",
        cls(NC="1", LABELS="torch.randint(0, 2, (n,)).float()", CRIT="nn.BCEWithLogitsLoss()", BS="64"))
    add("torch-seg-ce-mask-channel-dim", "data.label_shape",
        seg(4, "torch.randint(0, 4, (4, 1, 64, 64))"))
    add("torch-mse-shape-broadcast-error", "data.label_shape",
        cls(NC="3", LABELS="torch.randn(n, 5)", CRIT="nn.MSELoss()", BS="8"))

    # model input shape -------------------------------------------------------------
    for name, arch, fcin, nc, bs, s in [("torch-resnet18-fc-in-features", "resnet18", "1024", "10", "8", "64"),
                                        ("torch-resnet50-fc-in-features", "resnet50", "512", "3", "4", "64")]:
        add(name, "model.input_shape", {"train.py": RESNET_INPUT.replace("@@ARCH@@", arch).replace("@@FCIN@@", fcin)
                                        .replace("@@NC@@", nc).replace("@@BS@@", bs).replace("@@S@@", s)},
            also=["model.output_mismatch"])
    for name, cin, flat, batch in [
        ("torch-cnn-flatten-size-wrong-image-size", "3", "64 * 8 * 8", "torch.randn(8, 3, 64, 64)  # trained on 32x32, fed 64x64"),
        ("torch-cnn-flatten-size-wrong-image-size-bs32", "3", "64 * 56 * 56", "torch.randn(32, 3, 128, 128)"),
        ("torch-cnn-input-missing-channel-dim", "1", "64 * 7 * 7", "torch.randn(16, 28, 28)  # grayscale batch without the channel axis"),
        ("torch-cnn-input-5d", "3", "64 * 8 * 8", "torch.randn(1, 8, 3, 32, 32)  # batch of clips, stacked twice"),
        ("torch-cnn-input-2d", "1", "64 * 7 * 7", "torch.randn(28, 28)"),
    ]:
        add(name, "model.input_shape", {"train.py": CNN_INPUT.replace("@@CIN@@", cin).replace("@@FLAT@@", flat).replace("@@BATCH@@", batch)})
    add("torch-pool-output-too-small", "model.input_shape", {"train.py": CNN_INPUT.replace("@@CIN@@", "3").replace("@@FLAT@@", "64").replace("@@BATCH@@", "torch.randn(4, 3, 3, 3)  # thumbnails")})
    add("torch-lstm-input-size", "model.input_shape", {"train.py": '''
import torch
import torch.nn as nn

class Forecaster(nn.Module):
    def __init__(self, n_features):
        super().__init__()
        self.lstm = nn.LSTM(n_features, 64, batch_first=True)
        self.head = nn.Linear(64, 1)
    def forward(self, x):
        out, _ = self.lstm(x)
        return self.head(out[:, -1])

model = Forecaster(n_features=12)
windows = torch.randn(32, 48, 14)   # two new columns added to the CSV
print(model(windows).shape)
'''})
    add("torch-conv1d-input-4d", "model.input_shape", {"train.py": '''
import torch
import torch.nn as nn

model = nn.Sequential(nn.Conv1d(1, 16, 7), nn.ReLU(), nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(16, 5))
signals = torch.randn(8, 1, 1, 2000)   # (batch, 1, 1, samples) from unsqueeze twice
print(model(signals).shape)
'''})
    add("torch-batchnorm-batch-of-one", "model.input_shape", {"train.py": '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Sequential(nn.Linear(10, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Linear(32, 2))
ds = TensorDataset(torch.randn(65, 10), torch.randint(0, 2, (65,)))
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for x, y in DataLoader(ds, batch_size=32):
    loss = nn.functional.cross_entropy(model(x), y)
    opt.zero_grad(); loss.backward(); opt.step()
'''}, also=["other"])
    add("torch-linear-mat1-mat2-cpp", "model.input_shape", {"train.py": CNN_INPUT.replace("@@CIN@@", "3").replace("@@FLAT@@", "1024").replace("@@BATCH@@", "torch.randn(2, 3, 32, 32)")},
        forms=["cpp_frames"], env=CPP)

    # weights mismatch --------------------------------------------------------------
    for name, save, model, state, kw in [
        ("torch-load-state-dict-size-mismatch-fc", 'torch.save(torchvision.models.resnet18(num_classes=1000).state_dict(), "checkpoint.pth")',
         "torchvision.models.resnet18(num_classes=5)", "state", ""),
        ("torch-load-state-dict-size-mismatch-head-and-conv1", 'm = torchvision.models.resnet18(num_classes=10)\nm.conv1 = nn.Conv2d(1, 64, 7, 2, 3, bias=False)\ntorch.save(m.state_dict(), "checkpoint.pth")',
         "torchvision.models.resnet18(num_classes=2)", "state", ""),
        ("torch-load-state-dict-dataparallel-prefix", 'torch.save(nn.DataParallel(torchvision.models.mobilenet_v3_small(num_classes=4)).state_dict(), "checkpoint.pth")',
         "torchvision.models.mobilenet_v3_small(num_classes=4)", "state", ""),
        ("torch-load-state-dict-full-checkpoint-dict", 'torch.save({"epoch": 12, "model_state_dict": nn.Linear(8, 2).state_dict(), "optimizer_state_dict": {}}, "checkpoint.pth")',
         "nn.Linear(8, 2)", "state", ""),
        ("torch-load-state-dict-wrong-architecture", 'torch.save(torchvision.models.resnet18(num_classes=3).state_dict(), "checkpoint.pth")',
         "torchvision.models.resnet34(num_classes=3)", "state", ""),
    ]:
        add(name, "model.weights_mismatch", {"train.py": STATE_DICT.replace("@@SAVE@@", save).replace("@@MODEL@@", model)
                                             .replace("@@STATE@@", state).replace("@@LOADKW@@", kw)})
    add("torch-load-keras-h5", "model.weights_mismatch", {"train.py": NOT_TORCH_FILE.replace("@@FILE@@", "weights/model.h5"),
                                                          "weights/model.h5": b"\x89HDF\r\n\x1a\n\x00\x00\x00\x00\x00\x08\x08\x00\x04\x00\x10\x00" + bytes(200)})
    add("torch-load-truncated-checkpoint", "model.weights_mismatch", {"train.py": NOT_TORCH_FILE.replace("@@FILE@@", "best.pt")},
        also=["data.missing_or_corrupt"],
        setup=lambda root: (__import__("torch").save(__import__("torch").nn.Linear(100, 100).state_dict(), root / "best.pt"),
                            (root / "best.pt").write_bytes((root / "best.pt").read_bytes()[:3000])))
    add("torch-load-html-download", "model.weights_mismatch", {"train.py": NOT_TORCH_FILE.replace("@@FILE@@", "resnet18.pth"),
                                                              "resnet18.pth": "<!DOCTYPE html>\n<html><head><title>Google Drive - Virus scan warning</title></head></html>\n"},
        also=["data.missing_or_corrupt"])
    add("torch-load-weights-only-numpy", "env.version_incompat", {"train.py": WEIGHTS_ONLY}, also=["model.weights_mismatch"],
        forms=["cpython_basic", "multiline_message"])

    # divergence ------------------------------------------------------------------------
    for name, model, lr, y, loss in [
        ("torch-anomaly-nan-mse-huge-lr", "nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 1))", "10.0",
         "x.sum(1, keepdim=True) ** 2", "nn.functional.mse_loss(model(x), y)"),
        ("torch-anomaly-nan-linear-regression-huge-lr", "nn.Sequential(nn.Linear(16, 8), nn.Linear(8, 1))", "1.0",
         "x.pow(3).sum(1, keepdim=True)", "nn.functional.mse_loss(model(x), y)"),
        ("torch-anomaly-nan-log-zero", "nn.Sequential(nn.Linear(16, 1), nn.Sigmoid())", "50.0",
         "(torch.rand(64, 1) > 0.5).float()", "-(y * torch.log(model(x)) + (1 - y) * torch.log(1 - model(x))).mean()"),
        ("torch-anomaly-nan-sqrt", "nn.Linear(16, 3)", "5.0", "torch.zeros(64, 3)", "torch.sqrt(((model(x) - y) ** 2).sum(1)).mean() + torch.sqrt(model(x).pow(2).sum(1) - model(x).pow(2).sum(1)).mean()"),
    ]:
        # sqrt(0) in the loss is a numerics bug rather than a too-high learning rate
        sqrt = "sqrt" in name
        add(name, "other" if sqrt else "optim.divergence",
            {"train.py": ANOMALY.replace("@@MODEL@@", model).replace("@@LR@@", lr)
             .replace("@@Y@@", y).replace("@@LOSS@@", loss)}, timeout=120, also=["optim.divergence"] if sqrt else [])
    for name, lr, check, imports, rng, forms in [
        ("torch-loss-nan-valueerror", "0.5", 'if not math.isfinite(loss.item()):\n            raise ValueError(f"Loss is {loss.item()}, stopping training")', "", "range(0, 512, 64)", ["cpython_basic"]),
        ("torch-loss-nan-assert", "1.0", "assert torch.isfinite(loss), f'non-finite loss at epoch {epoch}: {loss.item()}'", "", "range(0, 512, 64)", ["cpython_basic"]),
        ("torch-loss-nan-clip-grad-error-if-nonfinite", "1.0", "torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0, error_if_nonfinite=True)", "", "range(0, 512, 64)", ["cpython_basic"]),
        ("torch-loss-nan-valueerror-tqdm", "0.5", 'bar.set_postfix(loss=loss.item())\n        if math.isnan(loss.item()):\n            raise ValueError("Loss is nan")', "from tqdm import tqdm",
         "(bar := tqdm(range(0, 512, 64), desc=f'Epoch {epoch}', ncols=90))", ["progress_bars"]),
    ]:
        add(name, "optim.divergence", {"train.py": NAN_CHECK.replace("@@LR@@", lr).replace("@@CHECK@@", check)
                                       .replace("@@IMPORTS@@", imports).replace("@@RANGE@@", rng)}, forms=forms)

    # autograd graph ----------------------------------------------------------------------
    for key, (code, forms) in AUTOGRAD.items():
        add(f"torch-autograd-{key}", "optim.autograd_graph", {"train.py": code}, forms=forms)
    add("torch-autograd-backward-twice-cpp", "optim.autograd_graph", {"train.py": AUTOGRAD["backward-twice"][0]}, forms=["cpp_frames"], env=CPP)
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC))
