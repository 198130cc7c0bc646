"""Start-up latency: `explain-error trace.log --format json` on a typical 60-line trace, against
`python -c "import typer, rich, lark"` in the same environment, alternating runs; median ratio.

Usage: python bench/latency.py [RUNS]   (default 21)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXE = str(Path(sys.executable).parent / "explain-error")
TRACE = ROOT / "corpus" / "cases" / "generated" / "torch-collate-size-mismatch-bs8-workers4.log"


# As users run it: bytecode is cached (pip writes it at install; this session's shell may say not to).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def wall(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    return time.perf_counter() - t


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 21
    ours_cmd = [EXE, str(TRACE), "--format", "json"]
    base_cmd = [sys.executable, "-c", "import typer, rich, lark"]
    wall(ours_cmd)  # the first run writes lark's parser cache, the rules cache and the bytecode
    ours, base = [], []
    for _ in range(runs):
        base.append(wall(base_cmd))
        ours.append(wall(ours_cmd))
    lines = len(TRACE.read_text().splitlines())
    ratio = statistics.median(o / b for o, b in zip(ours, base))
    print(f"trace: {TRACE.name} ({lines} lines), {runs} alternating runs")
    print(f"explain-error --format json: median {statistics.median(ours) * 1000:.0f} ms")
    print(f"import typer, rich, lark:    median {statistics.median(base) * 1000:.0f} ms")
    print(f"median ratio: {ratio:.2f} (target <= 1.5)")


if __name__ == "__main__":
    main()
