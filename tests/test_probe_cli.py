"""The probe through the console script: layouts found, bad data refused in one line, never a write."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
from pathlib import Path

import pytest

from analyzer.render.schema import schema_text

from .conftest import ROOT, console_script

EXE = console_script()
PIL = pytest.importorskip("PIL.Image")


def tree_hash(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        st = p.lstat()
        h.update(f"{p.relative_to(root)}|{stat.S_IMODE(st.st_mode)}|{p.is_dir()}".encode())
        if p.is_file():
            h.update(p.read_bytes())
    return h.hexdigest()


def make_yolo(root: Path, bad_line: int | None = None) -> None:
    for split, n in (("train", 8), ("validation", 2)):
        (root / split / "images").mkdir(parents=True)
        (root / split / "annotations").mkdir(parents=True)
        for i in range(n):
            PIL.new("RGB", (96, 80), (30 * i % 255, 90, 40)).save(root / split / "images" / f"img_{i}.jpg")
            # varied sizes: ImageAI's anchor k-means needs 9 distinct ones
            lines = [
                f"{k % 2} 0.{4 + k} 0.5 {0.1 + 0.03 * i + 0.1 * k:.2f} {0.15 + 0.02 * i + 0.1 * k:.2f}"
                for k in range(3)
            ]
            if split == "train" and i == 2 and bad_line:
                lines[bad_line - 1] = "1 0.5 1.7 0.2 0.2"
            (root / split / "annotations" / f"img_{i}.txt").write_text("\n".join(lines) + "\n")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([EXE, *args], capture_output=True, text=True, timeout=300)


def test_probe_static_json_on_a_read_only_tree(tmp_path):
    data = tmp_path / "data"
    make_yolo(data, bad_line=2)
    for p in [data, *data.rglob("*")]:
        p.chmod(p.stat().st_mode & ~0o222)
    before = tree_hash(data)
    proc = run("probe", "--data", str(data), "--classes", "cat,dog", "--no-replay", "--format", "json")
    assert proc.returncode == 1, proc.stderr
    out = json.loads(proc.stdout)
    import jsonschema

    jsonschema.validate(out, json.loads(schema_text("probe")))
    assert out["dataset"]["layout"] == "imageai-yolo" and out["dataset"]["images"] == 10
    [bad] = [f for f in out["findings"] if f["severity"] == "error"]
    assert (bad["cause"], bad["path"], bad["line"]) == ("data.bbox_invalid", "train/annotations/img_2.txt", 2)
    assert out["hypotheses"] == [
        {
            "cause": "data.bbox_invalid",
            "verdict": "confirmed",
            "evidence": [f"train/annotations/img_2.txt:2: {bad['message']}"],
        }
    ]
    assert tree_hash(data) == before
    for p in [data, *data.rglob("*")]:
        p.chmod(p.stat().st_mode | 0o200)


def test_explain_with_data_refutes_what_the_data_does_not_show(tmp_path):
    data = tmp_path / "data"
    make_yolo(data)
    before = tree_hash(data)
    trace = ROOT / "corpus" / "cases" / "generated" / "imageai-tinyyolov3-bbox-negative-validation.log"
    proc = run(str(trace), "--data", str(data), "--classes", "cat,dog", "--no-replay", "--format", "json")
    assert proc.returncode == 1
    out = json.loads(proc.stdout)
    first = out["tracebacks"][out["primary"]]["diagnoses"]
    bbox = next(d for d in first if d["cause"] == "data.bbox_invalid")
    assert bbox["verdict"] == "refuted" and bbox["probe_evidence"]
    assert tree_hash(data) == before


@pytest.mark.parametrize(
    "setup,expect",
    [
        (lambda d: None, "no such directory"),
        (lambda d: (d.mkdir(), (d / "notes.txt").write_text("x")), "no dataset layout found"),
        (lambda d: d.write_text("x"), "not a directory"),
    ],
)
def test_bad_data_directory_is_one_line_and_exit_2(tmp_path, setup, expect):
    target = tmp_path / "data"
    setup(target)
    proc = run("probe", "--data", str(target))
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and expect in proc.stderr and "Traceback" not in proc.stderr


def test_unreadable_directory(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root reads every directory")
    target = tmp_path / "data"
    target.mkdir()
    target.chmod(0)
    proc = run("probe", "--data", str(target))
    assert proc.returncode == 2 and "cannot read" in proc.stderr
