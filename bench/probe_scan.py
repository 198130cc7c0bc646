"""Speed and memory of the probe's static scan against ImageAI 3's own loader on the same files.

Writes N 640x480 JPEGs with YOLO annotations in an ImageAI 3 layout (train/ and validation/) to a
temporary directory, then, each in a child process:
  - `run_checks` over the dataset: images/s and peak RSS;
  - ImageAI 3's `LoadImagesAndLabels` over both splits, __getitem__ on every item: images/s.
  - the whole verdict, `explain-error probe --data DIR` (scan + a CPU replay of ImageAI's training
    step on a sample): wall seconds.
Usage: python bench/probe_scan.py [N] [IMAGEAI_PYTHON]   (default 2000, this Python)
Needs Pillow (the `test` extra) and the `probe` extra (imageai 3, torch) under IMAGEAI_PYTHON.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
SIZE = (640, 480)
TARGET_SPEEDUP = 10
TARGET_RSS_MIB = 1024

SCAN = """
import json, resource, sys, time
from pathlib import Path
from analyzer.probe.checks import run_checks
from analyzer.probe.layouts import detect
t = time.perf_counter()
ds = detect(Path(sys.argv[1]), classes=("a", "b", "c"))
found = time.perf_counter()
findings = run_checks(ds, "imageai")
done = time.perf_counter()
print(json.dumps({"images": ds.images, "detect_s": found - t, "scan_s": done - found,
                  "findings": len(findings), "rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""

IMAGEAI = """
import json, sys, time
from imageai.Detection.Custom.yolo.dataset import LoadImagesAndLabels
t = time.perf_counter()
splits = [LoadImagesAndLabels(sys.argv[1], train=train) for train in (True, False)]
loaded = time.perf_counter()
items = 0
for split in splits:
    for i in range(len(split)):
        split[i]
        items += 1
done = time.perf_counter()
print(json.dumps({"images": items, "init_s": loaded - t, "getitem_s": done - loaded}))
"""


def write_dataset(root: Path, count: int) -> None:
    """`count` photo-like JPEGs (a noisy gradient with boxes drawn on it) and their YOLO labels."""
    rng = random.Random(0)
    noise = Image.merge("RGB", [Image.effect_noise(SIZE, 30) for _ in range(3)])
    background = Image.blend(noise, Image.linear_gradient("L").resize(SIZE).convert("RGB"), 0.5)
    for i in range(count):
        split = "validation" if i % 10 == 0 else "train"
        image = background.copy()
        draw = ImageDraw.Draw(image)
        lines = []
        for _ in range(rng.randint(1, 4)):
            w, h = rng.uniform(0.05, 0.5), rng.uniform(0.05, 0.5)
            cx, cy = rng.uniform(w / 2, 1 - w / 2), rng.uniform(h / 2, 1 - h / 2)
            x0, y0 = (cx - w / 2) * SIZE[0], (cy - h / 2) * SIZE[1]
            colour = tuple(rng.randrange(256) for _ in range(3))
            draw.rectangle((x0, y0, x0 + w * SIZE[0], y0 + h * SIZE[1]), fill=colour)
            lines.append(f"{rng.randrange(3)} {cx:.6f} {cy:.6f} {w:.6f} {h:.6f}")
        (root / split / "images").mkdir(parents=True, exist_ok=True)
        (root / split / "annotations").mkdir(parents=True, exist_ok=True)
        image.save(root / split / "images" / f"img_{i}.jpg", quality=90)
        (root / split / "annotations" / f"img_{i}.txt").write_text("\n".join(lines) + "\n")


def child(python: str, code: str, data: Path, cwd: Path) -> dict:
    proc = subprocess.run([python, "-c", code, str(data)], capture_output=True, text=True, cwd=cwd)
    if proc.returncode != 0:
        sys.exit(f"{python} failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    imageai_python = sys.argv[2] if len(sys.argv) > 2 else sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        write_dataset(data, count)
        megabytes = sum(p.stat().st_size for p in data.rglob("*.jpg")) / 2**20
        print(f"{count} JPEGs {SIZE[0]}x{SIZE[1]}, {megabytes:.0f} MiB, in an ImageAI 3 layout")
        scan = child(sys.executable, SCAN, data, ROOT)
        imageai = child(imageai_python, IMAGEAI, data, Path(tmp))
        exe = str(Path(sys.executable).parent / "explain-error")
        started = time.perf_counter()
        verdict = subprocess.run([exe, "probe", "--data", str(data), "--device", "cpu", "--format", "json"],
                                 capture_output=True, text=True)  # fmt: skip
        verdict_s = time.perf_counter() - started
        replay = json.loads(verdict.stdout)["replay"] if verdict.stdout.strip() else {}
    scan_rate = scan["images"] / scan["scan_s"]
    imageai_rate = imageai["images"] / imageai["getitem_s"]
    rss_mib = scan["rss_kib"] / 1024
    print(
        f"run_checks:   {scan_rate:10.0f} images/s  ({scan['scan_s']:.2f} s, detect {scan['detect_s']:.2f} s,"
        f" {scan['findings']} findings), peak RSS {rss_mib:.0f} MiB"
    )
    print(
        f"ImageAI 3:    {imageai_rate:10.0f} images/s  (__getitem__ {imageai['getitem_s']:.2f} s;"
        f" its __init__ decodes every image too: {imageai['init_s']:.2f} s)"
    )
    print(
        f"whole verdict:  {verdict_s:.1f} s (probe --data, replay {replay.get('status')} on {replay.get('device')})"
    )
    print(
        f"speed-up {scan_rate / imageai_rate:.0f}x (target >= {TARGET_SPEEDUP}x), "
        f"RSS {rss_mib:.0f} MiB (target <= {TARGET_RSS_MIB} MiB)"
    )


if __name__ == "__main__":
    main()
