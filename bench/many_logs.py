"""Many-logs mode: 1,000 typical logs in one run, against separate invocations of the tool.

Separate invocations are timed on the first N logs and scaled to 1,000 (each costs the same
start-up); pass N=1000 to time them all. Usage: python bench/many_logs.py [N]   (default 200)
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXE = str(Path(sys.executable).parent / "explain-error")


def main() -> None:
    separate_n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    cases = sorted((ROOT / "corpus" / "cases").rglob("*.log"))
    with tempfile.TemporaryDirectory() as tmp:
        logs = []
        for i in range(1000):
            dst = Path(tmp) / f"job-{i:04d}.log"
            dst.write_bytes(cases[i % len(cases)].read_bytes())
            logs.append(str(dst))
        t = time.perf_counter()
        subprocess.run([EXE, *logs, "--format", "jsonl"], stdout=subprocess.DEVNULL)
        one_run = time.perf_counter() - t
        t = time.perf_counter()
        for log in logs[:separate_n]:
            subprocess.run([EXE, log, "--format", "json"], stdout=subprocess.DEVNULL)
        separate = (time.perf_counter() - t) * 1000 / separate_n
    print(f"1,000 logs in one run (jsonl): {one_run:.1f} s")
    print(f"1,000 separate invocations:     {separate:.1f} s (timed on {separate_n}, scaled)")
    print(f"speed-up: {separate / one_run:.1f}x (target >= 2)")


if __name__ == "__main__":
    main()
