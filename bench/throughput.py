"""Throughput and peak memory: a big log of progress-bar lines with one traceback at the end.

Runs the real console script on a file and on a pipe (`--quiet`), prints MB/s and peak RSS.
Usage: python bench/throughput.py [SIZE_MIB]   (default 512)
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXE = str(Path(sys.executable).parent / "explain-error")
TRACE = (ROOT / "examples" / "dataloader-size-mismatch.log").read_bytes()


def progress_lines() -> bytes:
    """One screen of tqdm and Keras progress output, carriage returns included."""
    out = []
    for step in range(0, 1000, 7):
        pct = step // 10
        out.append(
            f"\r{pct:3d}%|{'█' * (pct // 10):10s}| {step}/1000 [00:{step % 60:02d}<00:12, 44.21it/s, loss=0.{step:04d}]"
        )
        if step % 70 == 0:
            out.append(
                f"\n{step}/1000 [==============>...............] - ETA: 12s - loss: 0.{step:04d} - accuracy: 0.91\n"
            )
    return "".join(out).encode()


def make_log(path: Path, size: int) -> None:
    block = progress_lines() * 64
    with open(path, "wb") as f:
        written = 0
        while written < size - len(TRACE):
            f.write(block)
            written += len(block)
        f.write(b"\n" + TRACE)


def timed(cmd: str) -> tuple[float, str]:
    """Wall seconds of a shell command (exit 1: a failure was found) and its stdout."""
    t = time.perf_counter()
    proc = subprocess.run(["bash", "-c", cmd], capture_output=True)
    wall = time.perf_counter() - t
    assert proc.returncode == 1, proc.stderr.decode()[-500:]
    return wall, proc.stdout.decode()


def peak_rss_mib(cmd: str, tmp: str) -> float:
    """Peak RSS of the explain-error process itself: GNU time on the last command of the line."""
    *feed, exe = cmd.split("|")
    prefix = "|".join(feed) + " | " if feed else ""
    subprocess.run(["bash", "-c", f"{prefix}/usr/bin/time -f %M -o {tmp}/rss {exe.strip()} > /dev/null"])
    return int(Path(f"{tmp}/rss").read_text().split()[-1]) / 1024


def main() -> None:
    size_mib = int(sys.argv[1]) if len(sys.argv) > 1 else 512
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "train.log"
        make_log(log, size_mib << 20)
        size_mb = log.stat().st_size / 1e6
        subprocess.run(["cat", str(log)], stdout=subprocess.DEVNULL)  # in the page cache, as a fresh log is
        print(f"input: {size_mb:.0f} MB of progress-bar lines, one traceback at the end")
        for name, cmd in (
            ("file", f"{EXE} {log} --format json"),
            ("pipe", f"cat {log} | {EXE} --quiet --format json"),
        ):
            runs = []
            for _ in range(3):
                wall, out = timed(cmd)
                assert "stack expects each tensor" in out
                runs.append(wall)
            wall = min(runs)
            rss = peak_rss_mib(cmd, tmp)
            print(f"{name:5s}: {size_mb / wall:6.0f} MB/s  ({wall:.2f} s, best of 3)  peak RSS {rss:.0f} MiB")


if __name__ == "__main__":
    main()
