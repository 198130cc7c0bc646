"""`explain-error run --` overhead: a command that prints 100 MB of progress output, run bare and
through the wrapper (output to /dev/null both times), alternating; median wall times.

Two commands: a progress bar as tqdm draws one (a formatted update, written and flushed, 100 MB
of them), and the worst case, a command that writes 100 MB at memory speed and does nothing else.
Usage: python bench/run_overhead.py [RUNS]   (default 5)
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

EXE = str(Path(sys.executable).parent / "explain-error")
PROGRESS_BAR = (
    "import sys, time\n"
    "out = sys.stderr\n"
    "n, written, i, start = 10**9, 0, 0, time.time()\n"
    "while written < 100_000_000:\n"
    "    i += 1\n"
    "    pct = i * 100 // 100_000\n"
    "    line = f'\\r{pct % 100:3d}%|{\"#\" * (pct % 100 // 5):20s}| {i}/{n} [{time.time() - start:.0f}s, 44.21it/s, loss={1 / i:.4f}]'\n"
    "    out.write(line)\n"
    "    out.flush()\n"
    "    written += len(line)\n"
)
MEMORY_SPEED = (
    "import sys\n"
    "out = sys.stdout.buffer\n"
    "line = b''.join(b'\\r%3d%%|%-20s| %d/1000 [00:12<00:30, 44.21it/s, loss=0.%04d]' % (p, b'#' * (p // 5), p * 10, p)"
    " for p in range(100)) + b'\\n'\n"
    "for _ in range(100_000_000 // len(line)):\n"
    "    out.write(line)\n"
)


def wall(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    print(f"100 MB of progress output, {runs} alternating runs, medians")
    for name, program in (("progress bar", PROGRESS_BAR), ("memory speed", MEMORY_SPEED)):
        bare_cmd = [sys.executable, "-c", program]
        wrapped_cmd = [EXE, "run", "--", *bare_cmd]
        bare, wrapped = [], []
        for _ in range(runs):
            bare.append(wall(bare_cmd))
            wrapped.append(wall(wrapped_cmd))
        b, w = statistics.median(bare), statistics.median(wrapped)
        print(f"{name}: bare {b:.2f} s, wrapped {w:.2f} s (+{(w / b - 1) * 100:.1f}%, target <= 5%)")


if __name__ == "__main__":
    main()
