"""Real distributed-launch failures: torchrun (with and without --tee) and torch.multiprocessing.spawn.

Each case runs a small failing training script on CPU (gloo, 2 processes) and records what the
launcher printed, paths anonymised. Run with the probe environment's Python (torch 2.14.1):
    python corpus/generators/torch_distributed.py
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "cases" / "generated"
SOURCE = "corpus/generators/torch_distributed.py"

TRAIN = '''import torch
import torch.distributed as dist
import torch.nn as nn


def main():
    dist.init_process_group("gloo")
    rank = dist.get_rank()
    model = nn.Linear(8, 3)
    x = torch.randn(4, 8)
    y = torch.tensor([0, 1, 2, 3 + rank])  # a class id past the 3 classes
    loss = nn.CrossEntropyLoss()(model(x), y)
    loss.backward()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
'''

SPAWN = '''import torch
import torch.multiprocessing as mp
import torch.nn as nn


def worker(rank, n_classes):
    model = nn.Linear(8, n_classes)
    x = torch.randn(4, 8)
    y = torch.tensor([0, 1, 2, n_classes + rank])  # a class id past the classes
    nn.CrossEntropyLoss()(model(x), y).backward()


if __name__ == "__main__":
    mp.spawn(worker, args=(3,), nprocs=2)
'''

CASES = [
    # name, script, command (a program beside this interpreter), forms
    ("torchrun-tee-ranks-target-out-of-bounds", TRAIN, ["torchrun", "--nproc_per_node=2", "--tee", "3"],
     ["caret_lines", "launcher_prefix"]),
    ("torchrun-ranks-target-out-of-bounds", TRAIN, ["torchrun", "--nproc_per_node=2"],
     ["caret_lines", "launcher_prefix"]),
    ("mp-spawn-process-raised-target-out-of-bounds", SPAWN, ["python"], ["caret_lines"]),
]


def anonymise(text: str, project: Path) -> str:
    venv = Path(sys.executable).parent.parent
    text = text.replace(str(venv), "/home/user/venv").replace(str(project), "/home/user/project")
    return re.sub(r"/root/\.pyenv/versions/3\.\d+\.\d+/lib/python3\.(\d+)", r"/usr/lib/python3.\1", text)


def main() -> None:
    bindir = Path(sys.executable).parent
    for name, script, command, forms in CASES:
        with tempfile.TemporaryDirectory() as tmp:
            project = Path(tmp)
            (project / "train.py").write_text(script)
            argv = [str(bindir / command[0]), *command[1:], "train.py"]
            proc = subprocess.run(argv, cwd=project, capture_output=True, text=True, timeout=300)
            log = anonymise(proc.stdout + proc.stderr, project)
        (OUT / f"{name}.log").write_text(log)
        (OUT / f"{name}.toml").write_text(
            f'cause = "data.label_out_of_range"\nframework = "pytorch"\nexception = "IndexError"\n'
            f'source = "{SOURCE}"\nforms = {forms!r}\npython = "3.11"\n'.replace("'", '"')
        )
        print(f"{name}: exit {proc.returncode}, {log.count(chr(10))} lines")


if __name__ == "__main__":
    main()
