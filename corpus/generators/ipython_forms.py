"""IPython / Jupyter-style tracebacks (IPython 8.12.3).

Cells are executed by a real ``InteractiveShell`` (the object behind Jupyter
and the ``ipython`` terminal), so the output has ``Cell In[3], line 5``,
``----> 5`` arrows, ``File ~/x.py:12, in f(a)`` and the dash separator line.
Some cases feed a terminal ``ipython --simple-prompt`` session through stdin
and some run ``ipython script.py``. HOME is the project dir so IPython itself
abbreviates paths with ``~``.

    python3 corpus/generators/ipython_forms.py [-k filter]
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _record import Case, pyenv_python, run_cases, torch_python  # noqa: E402

SRC = "corpus/generators/ipython_forms.py"

RUNNER = '''
import json, sys
from IPython.core.interactiveshell import InteractiveShell

colors = sys.argv[1] if len(sys.argv) > 1 else "NoColor"
shell = InteractiveShell.instance(colors=colors)
failed = False
for cell in json.load(open("cells.json")):
    res = shell.run_cell(cell, store_history=True)
    failed = not res.success
sys.exit(1 if failed else 0)
'''


def nb(cells, extra=None):
    files = {"nb_runner.py": RUNNER, "cells.json": json.dumps(cells)}
    files.update(extra or {})
    return files


SYS_PY = pyenv_python("3.11")

UTILS_PY = '''
import os

def load_labels(path):
    labels = {}
    with open(path) as f:
        for line in f:
            name, cls = line.strip().split(",")
            labels[name] = cls
    return labels

def label_ids(labels, classes):
    return [classes.index(labels[n]) for n in sorted(labels)]
'''

TORCH_MODEL_CELLS = [
    "import torch\nimport torch.nn as nn",
    "class Net(nn.Module):\n    def __init__(self, n_classes=10):\n        super().__init__()\n"
    "        self.features = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))\n"
    "        self.fc = nn.Linear(16 * 16 * 16, n_classes)\n\n    def forward(self, x):\n"
    "        x = self.features(x)\n        x = torch.flatten(x, 1)\n        return self.fc(x)\n\nmodel = Net()",
    "x = torch.randn(8, 3, 64, 64)\ny = torch.randint(0, 10, (8,))\nout = model(x)\nloss = nn.functional.cross_entropy(out, y)",
]

DATA_PY = '''
import torch
from torch.utils.data import Dataset

class RandomSizeImages(Dataset):
    """Stand-in for a folder of photos that were never resized."""
    def __init__(self, sizes):
        self.sizes = sizes

    def __len__(self):
        return len(self.sizes)

    def __getitem__(self, i):
        h, w = self.sizes[i]
        return torch.rand(3, h, w), i % 2
'''

COLLATE_CELLS = [
    "import torch\nfrom torch.utils.data import DataLoader\nfrom data import RandomSizeImages",
    "ds = RandomSizeImages([(224, 224), (224, 224), (375, 500), (224, 224)])\nloader = DataLoader(ds, batch_size=4, shuffle=False)",
    "for images, labels in loader:\n    print(images.shape)",
]

CE_CELLS = [
    "import torch\nimport torch.nn as nn\n\nnum_classes = 5\nmodel = nn.Sequential(nn.Flatten(), nn.Linear(28 * 28, 128), nn.ReLU(), nn.Linear(128, num_classes))\ncriterion = nn.CrossEntropyLoss()\nopt = torch.optim.SGD(model.parameters(), lr=0.01)",
    "# labels come from folder names 1..5\nx = torch.randn(16, 1, 28, 28)\ny = torch.randint(1, 6, (16,))\ny[3] = 5",
    "for step in range(3):\n    opt.zero_grad()\n    loss = criterion(model(x), y)\n    loss.backward()\n    opt.step()",
]

SESSION_PURE = (
    "from utils import load_labels, label_ids\n"
    "labels = load_labels('labels.csv')\n"
    "classes = ['cat', 'dog']\n"
    "ids = label_ids(labels, classes)\n"
)

SESSION_TORCH = (
    "import torch\n"
    "w = torch.randn(10, 3, requires_grad=True)\n"
    "x = torch.randn(4, 10)\n"
    "loss = (x @ w).pow(2).mean()\n"
    "loss.backward()\n"
    "loss.backward()\n"
)

SCRIPT_DTYPE = {
    "train.py": '''
        import numpy as np
        import torch
        import torch.nn as nn

        def load_batch():
            images = np.random.randint(0, 255, size=(4, 3, 32, 32), dtype=np.uint8)
            return torch.from_numpy(images)

        model = nn.Conv2d(3, 8, 3)
        x = load_batch()
        out = model(x)
        ''',
}


def cases():
    out = []
    tp = torch_python()
    if SYS_PY:
        out.append(Case(
            name="ipython-cell-file-tilde-valueerror", cause="data.missing_or_corrupt", framework="python",
            forms=["ipython_cell", "ipython_arrows", "ipython_file_tilde"], python=SYS_PY,
            argv=["nb_runner.py"], home_is_project=True,
            files=nb(["from utils import load_labels, label_ids",
                      "labels = load_labels('labels.csv')\nclasses = ['cat', 'dog']\nids = label_ids(labels, classes)"],
                     {"utils.py": UTILS_PY, "labels.csv": "a.jpg,cat\nb.jpg,dog\nc.jpg\n"})))
        out.append(Case(
            name="ipython-cell-file-tilde-unknown-class", cause="data.label_out_of_range", framework="python",
            forms=["ipython_cell", "ipython_arrows", "ipython_file_tilde"], python=SYS_PY,
            argv=["nb_runner.py"], home_is_project=True,
            files=nb(["from utils import load_labels, label_ids",
                      "labels = load_labels('labels.csv')\nclasses = ['cat', 'dog']",
                      "ids = label_ids(labels, classes)\nprint(ids)"],
                     {"utils.py": UTILS_PY, "labels.csv": "a.jpg,cat\nb.jpg,dog\nc.jpg,bird\n"})))
        out.append(Case(
            name="ipython-terminal-session-keyerror", cause="data.label_out_of_range", framework="python",
            forms=["ipython_cell", "ipython_arrows", "ipython_file_tilde"], python=SYS_PY,
            argv=["-m", "IPython", "--simple-prompt", "--colors=NoColor", "--no-banner"],
            stdin=SESSION_PURE.replace("label_ids(labels, classes)", "label_ids(labels, ['cat', 'Dog'])"),
            home_is_project=True,
            files={"utils.py": UTILS_PY, "labels.csv": "a.jpg,cat\nb.jpg,dog\n"}, expect_rc_nonzero=False))
    out.append(Case(
        name="ipython-torch-mat1-mat2", cause="model.input_shape", forms=["ipython_cell", "ipython_arrows"],
        python=tp, argv=["nb_runner.py"], home_is_project=True, files=nb(TORCH_MODEL_CELLS)))
    out.append(Case(
        name="ipython-torch-mat1-mat2-colour", cause="model.input_shape", forms=["ipython_cell", "ipython_arrows", "ansi"],
        python=tp, argv=["nb_runner.py", "Linux"], home_is_project=True, files=nb(TORCH_MODEL_CELLS)))
    out.append(Case(
        name="ipython-torch-collate-size-mismatch", cause="data.image_size_mismatch",
        forms=["ipython_cell", "ipython_arrows"],
        python=tp, argv=["nb_runner.py"], home_is_project=True,
        files=nb(COLLATE_CELLS, {"data.py": DATA_PY})))
    out.append(Case(
        name="ipython-torch-collate-size-mismatch-colour", cause="data.image_size_mismatch",
        forms=["ipython_cell", "ipython_arrows", "ansi"],
        python=tp, argv=["nb_runner.py", "Linux"], home_is_project=True,
        files=nb(COLLATE_CELLS, {"data.py": DATA_PY})))
    out.append(Case(
        name="ipython-torch-crossentropy-target-out-of-bounds", cause="data.label_out_of_range",
        forms=["ipython_cell", "ipython_arrows"],
        python=tp, argv=["nb_runner.py"], home_is_project=True, files=nb(CE_CELLS)))
    out.append(Case(
        name="ipython-terminal-torch-backward-twice", cause="optim.autograd_graph",
        forms=["ipython_cell", "ipython_arrows"], python=tp,
        argv=["-m", "IPython", "--simple-prompt", "--colors=NoColor", "--no-banner"],
        stdin=SESSION_TORCH, home_is_project=True, files={}, expect_rc_nonzero=False))
    out.append(Case(
        name="ipython-script-torch-byte-input", cause="data.dtype",
        forms=["ipython_arrows", "ipython_file_tilde"], python=tp,
        argv=["-m", "IPython", "--colors=NoColor", "train.py"], home_is_project=True, files=SCRIPT_DTYPE,
        expect_rc_nonzero=False))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC))
