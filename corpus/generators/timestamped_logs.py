"""Real failures as a log collector stores them: every line prefixed with a timestamp.

Runs a small failing PyTorch training script and pipes its output through moreutils' `ts`
(Debian package `moreutils`), the way cluster jobs and `python train.py 2>&1 | ts` keep logs.
Run with the probe environment's Python (torch 2.14.1):
    python corpus/generators/timestamped_logs.py
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "cases" / "generated"
SOURCE = "corpus/generators/timestamped_logs.py"

TRAIN = '''import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


def main():
    x = torch.randn(64, 3, 32, 32)
    y = torch.randint(0, 12, (64,))  # labels 0..11 for a 10-class head
    model = nn.Sequential(nn.Flatten(), nn.Linear(3 * 32 * 32, 10))
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    for epoch in range(2):
        for i, (xb, yb) in enumerate(DataLoader(TensorDataset(x, y), batch_size=16)):
            loss = nn.functional.cross_entropy(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            print(f"epoch {epoch} step {i} loss {loss.item():.4f}", flush=True)


if __name__ == "__main__":
    main()
'''

CASES = [
    ("ts-iso-prefixed-target-out-of-bounds", "%Y-%m-%dT%H:%M:%.SZ"),
    ("ts-bracket-prefixed-target-out-of-bounds", "[%Y-%m-%d %H:%M:%S]"),
]


def main() -> None:
    if shutil.which("ts") is None:
        sys.exit("needs `ts` from moreutils (apt-get install moreutils)")
    venv = Path(sys.executable).parent.parent
    for name, fmt in CASES:
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / "train.py").write_text(TRAIN)
            cmd = f"{sys.executable} train.py 2>&1 | ts '{fmt}'"
            proc = subprocess.run(["bash", "-c", cmd], cwd=tmp, capture_output=True, text=True, timeout=300)
            log = proc.stdout.replace(str(venv), "/home/user/venv").replace(tmp, "/home/user/project")
            log = re.sub(r"/root/\.pyenv/versions/3\.\d+\.\d+/lib/python3\.(\d+)", r"/usr/lib/python3.\1", log)
        (OUT / f"{name}.log").write_text(log)
        (OUT / f"{name}.toml").write_text(
            'cause = "data.label_out_of_range"\nframework = "pytorch"\nexception = "IndexError"\n'
            f'source = "{SOURCE}"\nforms = ["caret_lines", "log_prefix"]\npython = "3.11"\n'
        )
        print(f"{name}: {log.count(chr(10))} lines")


if __name__ == "__main__":
    main()
