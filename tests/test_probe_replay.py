"""The replay: a real ImageAI / torchvision training step on tiny seeded datasets, in a child process."""

from __future__ import annotations

import hashlib
import math
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from analyzer.probe.layouts import detect
from analyzer.probe.replay import PROBE_EXTRA, replay_failure, run_replay


def _has_probe_extra() -> bool:
    probe = subprocess.run([sys.executable, "-c", "import torch, torchvision, imageai"], capture_output=True)
    return probe.returncode == 0


# The replay runs on the CPU here and in CI. On a machine with a GPU, `EE_TEST_DEVICE=cuda` runs the
# same tests on it (and the CUDA-only ones below), as the device check in bench/gpu_check.sh does.
DEVICE = os.environ.get("EE_TEST_DEVICE", "cpu")
cuda_only = pytest.mark.skipif(DEVICE != "cuda", reason="needs EE_TEST_DEVICE=cuda and a GPU")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not _has_probe_extra(), reason="the probe extra (torch, imageai) is not installed"),
]


def _image(path: Path, width: int, height: int, rng: random.Random) -> None:
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    pixels = bytes(rng.randrange(256) for _ in range(width * height * 3))
    Image.frombytes("RGB", (width, height), pixels).save(path)


def _yolo_set(root: Path, bad_box: str | None = None) -> Path:
    """10 train and 2 validation images with two boxes each; `bad_box` replaces img_3's first line."""
    rng = random.Random(7)
    for split, count in (("train", 10), ("validation", 2)):
        for i in range(count):
            _image(root / split / "images" / f"img_{i}.jpg", rng.choice((64, 80, 96)), 72, rng)
            lines = [
                f"{rng.randrange(2)} {rng.uniform(0.3, 0.7):.3f} {rng.uniform(0.3, 0.7):.3f} "
                f"{rng.uniform(0.1, 0.5):.3f} {rng.uniform(0.1, 0.5):.3f}"
                for _ in range(2)
            ]
            if bad_box is not None and split == "train" and i == 3:
                lines[0] = bad_box
            (root / split / "annotations").mkdir(parents=True, exist_ok=True)
            (root / split / "annotations" / f"img_{i}.txt").write_text("\n".join(lines) + "\n")
    return root


def _voc_set(root: Path, bad: bool = False) -> Path:
    """Pascal VOC in pixels; with `bad`, train/annotations/img_5.xml has a box starting left of the image."""
    rng = random.Random(5)
    for split, count in (("train", 8), ("validation", 2)):
        for i in range(count):
            width, height = rng.choice((64, 96)), 80
            _image(root / split / "images" / f"img_{i}.jpg", width, height, rng)
            objects = ""
            for _ in range(2):
                x1, y1 = rng.randrange(0, width // 2), rng.randrange(0, height // 2)
                x2, y2 = x1 + rng.randrange(8, width // 2), y1 + rng.randrange(8, height // 2)
                if bad and split == "train" and i == 5:
                    x1, x2 = -20, 10
                objects += (
                    f"<object><name>{rng.choice(('car', 'person'))}</name><bndbox><xmin>{x1}</xmin>"
                    f"<ymin>{y1}</ymin><xmax>{x2}</xmax><ymax>{y2}</ymax></bndbox></object>"
                )
            xml = f"<annotation><size><width>{width}</width><height>{height}</height></size>{objects}</annotation>"
            (root / split / "annotations").mkdir(parents=True, exist_ok=True)
            (root / split / "annotations" / f"img_{i}.xml").write_text(xml)
    return root


def _folder_set(root: Path, odd: tuple[str, ...] = ()) -> Path:
    """Two classes of 64x64 images; the files named in `odd` are 80x96 instead."""
    rng = random.Random(11)
    for cls in ("cat", "dog"):
        for i in range(5):
            name = f"{cls}/{cls}_{i}.png"
            _image(root / name, *((80, 96) if name in odd else (64, 64)), rng)
    return root


def _tree_hash(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        digest.update(path.relative_to(root).as_posix().encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _replay(root: Path, classes: tuple[str, ...] | None = None, **kwargs):
    ds = detect(root, classes)
    before = _tree_hash(root)
    result = run_replay(ds, list(ds.samples), device=DEVICE, timeout=300, **kwargs)
    assert _tree_hash(root) == before
    assert not (root / "json").exists() and not (root / "models").exists()
    return result


def test_clean_imageai_set_trains(tmp_path: Path) -> None:
    result = _replay(_yolo_set(tmp_path / "data"), ("car", "person"))
    assert (result.status, result.device, result.error) == ("ok", DEVICE, None), result.reason
    assert result.steps == 2 and all(math.isfinite(x) for x in result.losses)


def test_negative_box_fails_with_imageai_assertion(tmp_path: Path) -> None:
    result = _replay(_yolo_set(tmp_path / "data", bad_box="0 -0.2 0.5 0.3 0.4"), ("car", "person"))
    assert result.status == "failed" and result.error is not None
    assert result.error.type == "AssertionError"
    assert "bounding box values should be positive and in range 0 - 1" in result.error.message
    assert result.culprits == ("train/annotations/img_3.txt",)
    explained = replay_failure(result)
    assert explained is not None and explained.diagnoses[0].cause == "data.bbox_invalid"


def test_voc_set_is_converted_and_its_bad_box_blamed(tmp_path: Path) -> None:
    assert _replay(_voc_set(tmp_path / "clean")).status == "ok"
    result = _replay(_voc_set(tmp_path / "bad", bad=True))
    assert result.status == "failed" and result.error is not None
    assert "bounding box values should be positive" in result.error.message
    assert result.culprits == ("train/annotations/img_5.xml",)


def test_mixed_image_sizes_fail_to_stack(tmp_path: Path) -> None:
    odd = ("cat/cat_2.png", "dog/dog_4.png")
    result = _replay(_folder_set(tmp_path / "data", odd))
    assert result.status == "failed" and result.error is not None
    assert "stack expects each tensor to be equal size" in result.error.message
    assert sorted(result.culprits) == sorted(odd)
    explained = replay_failure(result)
    assert explained is not None and explained.diagnoses[0].cause == "data.image_size_mismatch"


def test_the_users_own_transform_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "my_transforms.py").write_text(
        "from torchvision import transforms\n"
        "train = transforms.Compose([transforms.Resize((32, 32)), transforms.ToTensor()])\n"
    )
    monkeypatch.chdir(tmp_path)  # the child imports it from the working directory, as the user's script would
    data = _folder_set(tmp_path / "data", ("cat/cat_2.png",))
    assert _replay(data, transform="my_transforms:train").status == "ok"
    assert "No module named" in _replay(data, transform="nowhere:train").reason


def test_huge_learning_rate_diverges_and_a_tenth_is_tried(tmp_path: Path) -> None:
    result = _replay(_folder_set(tmp_path / "data"), lr=1e20, divergence=True)
    div = result.divergence
    assert result.status == "ok" and div is not None
    assert div.lr == 1e20 and div.nan and div.diverged
    assert div.rerun_lr == pytest.approx(1e19) and len(div.rerun_losses) == 8
    assert not div.rerun_nan and div.rerun_diverged  # finite, yet far above where it began


def test_sane_learning_rate_stays_finite(tmp_path: Path) -> None:
    div = _replay(_folder_set(tmp_path / "data"), lr=0.01, divergence=True).divergence
    assert div is not None and not div.diverged and div.rerun_lr is None
    assert len(div.losses) == 8 and all(math.isfinite(x) for x in div.losses)


@pytest.mark.skipif(DEVICE == "cuda", reason="the CPU path")
def test_gpu_memory_is_inconclusive_without_cuda(tmp_path: Path) -> None:
    result = _replay(_folder_set(tmp_path / "data"), gpu_memory=True, user_batch_size=16)
    assert result.gpu_memory is not None and result.gpu_memory.predicted_mib is None
    assert "no CUDA device" in result.gpu_memory.reason


@pytest.mark.skipif(sys.platform == "win32", reason="a shell script stands in for a Python without torch")
def test_missing_torch_skips(tmp_path: Path) -> None:
    no_site = tmp_path / "python-without-torch"  # -S: no site-packages, so no torch; PYTHONPATH finds us
    no_site.write_text(f'#!/bin/sh\nexec "{sys.executable}" -S "$@"\n')
    no_site.chmod(0o755)
    result = _replay(_folder_set(tmp_path / "data"), python=str(no_site))
    assert result.status == "skipped" and result.reason.startswith(PROBE_EXTRA)
    assert "(ModuleNotFoundError: No module named " in result.reason  # what is missing, named


def test_imageai_tolerates_grey_rgba_and_mixed_sizes(tmp_path: Path) -> None:
    """What the static checks call a warning under ImageAI 3, its own training step accepts."""
    from PIL import Image

    from analyzer.probe.checks import run_checks

    root = _yolo_set(tmp_path / "data")  # widths 64, 80 and 96 already: mixed sizes
    Image.open(root / "train/images/img_1.jpg").convert("L").save(root / "train/images/img_1.jpg")
    Image.open(root / "train/images/img_2.jpg").convert("RGBA").save(root / "train/images/img_2.png")
    (root / "train/images/img_2.jpg").unlink()
    findings = run_checks(detect(root, ("car", "person")), "imageai")
    quirks = {f.cause for f in findings}
    assert {"data.image_channels", "data.image_size_mismatch"} <= quirks
    assert all(f.severity == "warning" for f in findings if f.cause in quirks)
    result = _replay(root, ("car", "person"))
    assert result.status == "ok", (result.reason, result.error)


@cuda_only
def test_gpu_memory_is_measured_and_extrapolated_on_cuda(tmp_path: Path) -> None:
    result = _replay(_yolo_set(tmp_path / "data"), ("car", "person"), gpu_memory=True, user_batch_size=32)
    mem = result.gpu_memory
    assert result.device == "cuda" and mem is not None, result.reason
    assert mem.batch1_mib and mem.batch2_mib and mem.batch2_mib >= mem.batch1_mib, mem
    assert mem.predicted_mib == pytest.approx(mem.batch1_mib + (mem.batch2_mib - mem.batch1_mib) * 31)
    assert mem.total_mib and mem.free_mib and mem.free_mib <= mem.total_mib


@cuda_only
def test_class_id_out_of_range_on_cuda_is_blamed_on_its_file(tmp_path: Path) -> None:
    """A class id past the class list; on CUDA it may fail in a kernel, which must not poison the search."""
    result = _replay(_yolo_set(tmp_path / "data", bad_box="7 0.5 0.5 0.2 0.2"), ("car", "person"))
    assert result.status == "failed" and result.error is not None, result
    assert result.culprits == ("train/annotations/img_3.txt",), (result.error.message, result.reason)
