"""`explain-error run --` overhead: a command that prints 100 MB of progress output, run bare and
through the wrapper (output to /dev/null both times), alternating; median wall times.

Usage: python bench/run_overhead.py [RUNS]   (default 5)
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

EXE = str(Path(sys.executable).parent / "explain-error")
PRINTER = (
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
    bare_cmd = [sys.executable, "-c", PRINTER]
    wrapped_cmd = [EXE, "run", "--", *bare_cmd]
    bare, wrapped = [], []
    for _ in range(runs):
        bare.append(wall(bare_cmd))
        wrapped.append(wall(wrapped_cmd))
    b, w = statistics.median(bare), statistics.median(wrapped)
    print(f"100 MB of progress output, {runs} alternating runs")
    print(f"bare:    {b:.2f} s")
    print(f"wrapped: {w:.2f} s  (+{(w / b - 1) * 100:.1f}%, target <= 5%)")


if __name__ == "__main__":
    main()
