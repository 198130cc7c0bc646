"""The probe's static checks: datasets built with one seeded fault each, found at their file and line."""

from __future__ import annotations

import hashlib
import io
import math
import os
import stat
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from analyzer.probe import checks
from analyzer.probe.checks import _distinct_start_chance, run_checks
from analyzer.probe.images import read_image_info
from analyzer.probe.layouts import detect

Image = pytest.importorskip("PIL.Image")

SIZE = (64, 48)
CLASSES = ("cat", "dog")
SAVE_AS = {".jpg": "JPEG", ".png": "PNG", ".gif": "GIF", ".tif": "TIFF", ".bmp": "BMP", ".webp": "WEBP"}


def image_bytes(suffix: str = ".jpg", size: tuple[int, int] = SIZE, mode: str = "RGB") -> bytes:
    """A noisy image, so that its compressed data is long enough to cut in the middle."""
    noise = Image.merge("RGB", [Image.effect_noise(size, 40 + 20 * i) for i in range(3)])
    out = io.BytesIO()
    (noise if mode == "RGB" else noise.convert(mode)).save(out, SAVE_AS[suffix])
    return out.getvalue()


def write(path: Path, data: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data)
    else:
        path.write_bytes(data)


def set_line(path: Path, number: int, text: str) -> None:
    lines = path.read_text().splitlines()
    lines[number - 1] = text
    path.write_text("\n".join(lines) + "\n")


def yolo_lines(i: int) -> str:
    """Three boxes whose sizes differ from every other image's, so anchors fit; class ids 0, 1, 0."""
    return "".join(
        f"{j % 2} 0.5 0.5 {0.1 + 0.01 * (3 * i + j):.2f} {0.3 - 0.01 * (3 * i + j):.2f}\n" for j in range(3)
    )


def build_imageai_yolo(root: Path, images: int = 5) -> None:
    for split in ("train", "validation"):
        for i in range(images):
            write(root / split / "images" / f"img_{i}.jpg", image_bytes())
            write(root / split / "annotations" / f"img_{i}.txt", yolo_lines(i))


def build_ultralytics(root: Path, images: int = 5) -> None:
    write(root / "data.yaml", "path: .\ntrain: images/train\nval: images/val\nnames:\n  0: cat\n  1: dog\n")
    for split in ("train", "val"):
        for i in range(images):
            write(root / "images" / split / f"img_{i}.jpg", image_bytes())
            write(root / "labels" / split / f"img_{i}.txt", yolo_lines(i))
    with open(root / "labels/train/img_4.txt", "a") as f:  # a polygon line is sound in Ultralytics
        f.write("1 0.1 0.1 0.9 0.1 0.5 0.9\n")


def voc_xml(objects: list[tuple[str, dict[str, str] | None]], size: tuple[int, int] = SIZE) -> str:
    """Pascal VOC; the first <object> opens on line 8, its <name> on 9, <bndbox> on 10, <xmin> on 11."""
    lines = ["<annotation>", "  <filename>x.jpg</filename>", "  <size>"]
    lines += [
        f"    <width>{size[0]}</width>",
        f"    <height>{size[1]}</height>",
        "    <depth>3</depth>",
        "  </size>",
    ]
    for name, box in objects:
        lines += ["  <object>", f"    <name>{name}</name>"]
        if box is not None:
            lines += ["    <bndbox>", *(f"      <{t}>{v}</{t}>" for t, v in box.items()), "    </bndbox>"]
        lines.append("  </object>")
    return "\n".join([*lines, "</annotation>"]) + "\n"


def box(xmin="4", ymin="5", xmax="30", ymax="40") -> dict[str, str]:
    return {"xmin": xmin, "ymin": ymin, "xmax": xmax, "ymax": ymax}


def build_voc(root: Path, images: int = 3, flat: bool = False) -> None:
    for split in ("",) if flat else ("train", "validation"):
        for i in range(images):
            write(root / split / "images" / f"img_{i}.jpg", image_bytes())
            write(root / split / "annotations" / f"img_{i}.xml", voc_xml([("cat", box()), ("dog", box())]))


def build_imagefolder(root: Path, images: int = 3) -> None:
    for split in ("train", "val"):
        for label in CLASSES:
            for i in range(images):
                write(root / split / label / f"img_{i}.jpg", image_bytes())


Expected = list[tuple[str, str, str, int | None]]  # check, severity, path, line


def findings_of(root: Path, pipeline: str, **detect_args) -> list[tuple[str, str, str, int | None]]:
    return [(f.check, f.severity, f.path, f.line) for f in run_checks(detect(root, **detect_args), pipeline)]


# -- ImageAI 3 YOLO under ImageAI: every fault a file of its own and an exact line -----------------

T = "train/annotations/img_2.txt"


def cut(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])


def as_png(root: Path, rel: str, mode: str) -> None:
    (root / rel).unlink()
    write(root / rel.replace(".jpg", ".png"), image_bytes(".png", mode=mode))


YOLO_FAULTS: dict[str, tuple[Callable[[Path], None], Expected]] = {
    "zero-bytes": (
        lambda r: write(r / "train/images/img_1.jpg", b""),
        [("image_zero_bytes", "warning", "train/images/img_1.jpg", None)],
    ),
    "not-an-image": (
        lambda r: write(r / "train/images/img_1.jpg", "<!DOCTYPE html>"),
        [("image_unreadable", "warning", "train/images/img_1.jpg", None)],
    ),
    "truncated": (
        lambda r: cut(r / "train/images/img_1.jpg"),
        [("image_truncated", "warning", "train/images/img_1.jpg", None)],
    ),
    "png-named-jpg": (
        lambda r: write(r / "train/images/img_1.jpg", image_bytes(".png")),
        [("image_mislabelled", "warning", "train/images/img_1.jpg", None)],
    ),
    "greyscale": (
        lambda r: write(r / "train/images/img_1.jpg", image_bytes(mode="L")),
        [("image_channels", "warning", "train/images/img_1.jpg", None)],
    ),
    "rgba": (
        lambda r: as_png(r, "train/images/img_1.jpg", "RGBA"),
        [("image_channels", "warning", "train/images/img_1.png", None)],
    ),
    "palette": (
        lambda r: as_png(r, "validation/images/img_0.jpg", "P"),
        [("image_channels", "warning", "validation/images/img_0.png", None)],
    ),
    "cmyk": (
        lambda r: write(r / "train/images/img_1.jpg", image_bytes(mode="CMYK")),
        [("image_channels", "warning", "train/images/img_1.jpg", None)],
    ),
    "mixed-sizes": (
        lambda r: write(r / "train/images/img_3.jpg", image_bytes(size=(80, 60))),
        [("image_sizes", "warning", "train/images/img_3.jpg", None)],
    ),
    "annotation-missing": (
        lambda r: (r / T).unlink(),
        [("annotation_missing", "warning", "train/images/img_2.jpg", None)],
    ),
    "annotation-orphan": (
        lambda r: write(r / "train/annotations/img_9.txt", yolo_lines(9)),
        [("annotation_orphan", "warning", "train/annotations/img_9.txt", None)],
    ),
    "annotation-empty": (lambda r: write(r / T, ""), [("annotation_empty", "warning", T, None)]),
    "not-a-number": (
        lambda r: set_line(r / T, 2, "1 0.5 abc 0.1 0.1"),
        [("annotation_unparseable", "error", T, 2)],
    ),
    "not-utf8": (
        lambda r: write(r / T, b"0 0.5 0.5 0.1 0.1\n\xff\xfe\n"),
        [("annotation_unparseable", "error", T, 2)],
    ),
    "four-columns": (lambda r: set_line(r / T, 3, "0 0.5 0.5 0.1"), [("annotation_columns", "error", T, 3)]),
    "comma-separated": (
        lambda r: set_line(r / T, 1, "0,0.5,0.5,0.1,0.1"),
        [("annotation_columns", "error", T, 1)],
    ),
    "negative-box": (lambda r: set_line(r / T, 2, "1 0.5 -0.2 0.1 0.1"), [("box_range", "error", T, 2)]),
    "box-above-one": (lambda r: set_line(r / T, 2, "1 1.2 0.5 0.1 0.1"), [("box_range", "error", T, 2)]),
    "nan-box": (lambda r: set_line(r / T, 2, "1 nan 0.5 0.1 0.1"), [("box_range", "error", T, 2)]),
    "pixel-coordinates": (
        lambda r: set_line(r / T, 3, "0 320 240 50 40"),
        [("box_pixel_coords", "error", T, 3)],
    ),
    "zero-area": (lambda r: set_line(r / T, 2, "1 0.5 0.5 0 0.1"), [("box_zero_area", "warning", T, 2)]),
    "outside-image": (
        lambda r: set_line(r / T, 2, "1 0.95 0.5 0.2 0.1"),
        [("box_outside_image", "warning", T, 2)],
    ),
    "class-too-high": (lambda r: set_line(r / T, 2, "2 0.5 0.5 0.1 0.1"), [("class_range", "error", T, 2)]),
    "class-negative": (lambda r: set_line(r / T, 1, "-1 0.5 0.5 0.1 0.1"), [("class_range", "error", T, 1)]),
    "validation-missing": (
        lambda r: [p.unlink() for p in sorted((r / "validation").rglob("*.*"))],
        [("split_empty", "error", "validation/images", None)],
    ),
    "one-box-size": (
        lambda r: [write(p, "0 0.5 0.5 0.1 0.2\n" * 3) for p in (r / "train/annotations").iterdir()],
        [("anchor_boxes", "error", "train/annotations", None)],
    ),
}


@pytest.mark.parametrize("fault", YOLO_FAULTS)
def test_imageai_yolo_fault_is_found_at_its_file_and_line(tmp_path: Path, fault: str) -> None:
    build_imageai_yolo(tmp_path)
    seed, expected = YOLO_FAULTS[fault]
    seed(tmp_path)
    assert findings_of(tmp_path, "imageai", classes=CLASSES) == expected


@pytest.mark.parametrize("build", [build_imageai_yolo, build_ultralytics, build_voc, build_imagefolder])
@pytest.mark.parametrize("pipeline", ["imageai", "torchvision", "keras"])
def test_a_sound_dataset_has_no_findings(
    tmp_path: Path, build: Callable[[Path], None], pipeline: str
) -> None:
    build(tmp_path)
    assert findings_of(tmp_path, pipeline, classes=None if build is build_ultralytics else CLASSES) == []


def test_imageai_tolerates_grey_rgba_and_mixed_sizes(tmp_path: Path) -> None:
    build_imageai_yolo(tmp_path)
    write(tmp_path / "train/images/img_0.jpg", image_bytes(mode="L"))
    as_png(tmp_path, "train/images/img_1.jpg", "RGBA")
    write(tmp_path / "train/images/img_2.jpg", image_bytes(size=(100, 30)))
    found = run_checks(detect(tmp_path, classes=CLASSES), "imageai")
    assert sorted(f.check for f in found) == ["image_channels", "image_channels", "image_sizes"]
    assert {f.severity for f in found} == {"warning"}


def test_without_a_class_list_one_warning_points_at_the_highest_class_id(tmp_path: Path) -> None:
    build_imageai_yolo(tmp_path)
    set_line(tmp_path / T, 3, "7 0.5 0.5 0.1 0.1")
    assert findings_of(tmp_path, "imageai") == [("class_range_unchecked", "warning", T, 3)]


def test_one_class_makes_a_high_class_id_harmless_to_imageai(tmp_path: Path) -> None:
    build_imageai_yolo(tmp_path)
    found = findings_of(tmp_path, "imageai", classes=("cat",))
    assert {(check, severity) for check, severity, _, _ in found} == {("class_range", "warning")}


def test_repeated_box_sizes_warn_before_they_fail(tmp_path: Path) -> None:
    build_imageai_yolo(tmp_path, images=9)
    for i in range(9):  # 9 distinct sizes, but 9 boxes of each: most k-means starts draw a repeat
        write(tmp_path / f"train/annotations/img_{i}.txt", f"0 0.5 0.5 0.{i + 1} 0.3\n" * 9)
    [finding] = run_checks(detect(tmp_path, classes=CLASSES), "imageai")
    assert (finding.check, finding.severity) == ("anchor_boxes", "error")
    assert dict(finding.values)["distinct"] == "9"


def test_distinct_start_chance() -> None:
    assert _distinct_start_chance(Counter(range(50))) == 1
    assert _distinct_start_chance(Counter({size: 100 for size in range(9)})) == pytest.approx(
        100**9 / math.comb(900, 9)
    )
    # grouping equal counts gives what the plain product over every size gives
    mixed = Counter({0: 3, 1: 3, 2: 1, 3: 5, 4: 1, 5: 2, 6: 2, 7: 3, 8: 1, 9: 4})
    ways = [1] + [0] * 9
    for count in mixed.values():
        ways = [ways[k] + (count * ways[k - 1] if k else 0) for k in range(10)]
    assert _distinct_start_chance(mixed) == pytest.approx(ways[9] / math.comb(25, 9))


def test_box_sizes_often_repeated_are_a_warning(tmp_path: Path) -> None:
    build_imageai_yolo(tmp_path, images=9)
    for i in range(9):  # 16 sizes, drawn on a 4x4 grid: a start of 9 boxes mostly repeats one
        sides = [(0.1 + 0.2 * (j % 4), 0.1 + 0.2 * (j // 4 % 4)) for j in range(i * 10, i * 10 + 10)]
        write(
            tmp_path / f"train/annotations/img_{i}.txt",
            "".join(f"0 0.5 0.5 {w:.1f} {h:.1f}\n" for w, h in sides),
        )
    [finding] = run_checks(detect(tmp_path, classes=CLASSES), "imageai")
    assert (finding.check, finding.severity) == ("anchor_boxes", "warning")


# -- Pascal VOC under torchvision (a detection model: zero-area boxes fail there) -----------------

V = "train/annotations/img_1.xml"
VOC_FAULTS: dict[str, tuple[Callable[[Path], None], Expected]] = {
    "zero-bytes": (
        lambda r: write(r / "train/images/img_1.jpg", b""),
        [("image_zero_bytes", "error", "train/images/img_1.jpg", None)],
    ),
    "not-xml": (
        lambda r: write(r / V, "<annotation>\n  <object>\n    <name>cat</name>\n  </objet>\n</annotation>\n"),
        [("annotation_unparseable", "error", V, 4)],
    ),
    "no-bndbox": (lambda r: write(r / V, voc_xml([("cat", None)])), [("annotation_fields", "error", V, 8)]),
    "no-xmax": (
        lambda r: write(r / V, voc_xml([("cat", {"xmin": "1", "ymin": "2", "ymax": "9"})])),
        [("annotation_fields", "error", V, 10)],
    ),
    "no-name": (lambda r: write(r / V, voc_xml([("", box())])), [("annotation_fields", "error", V, 8)]),
    "xmin-not-a-number": (
        lambda r: write(r / V, voc_xml([("cat", box()), ("dog", box(xmin="abc"))])),
        [("annotation_unparseable", "error", V, 20)],
    ),
    "negative": (
        lambda r: write(r / V, voc_xml([("cat", box(ymin="-3"))])),
        [("box_range", "error", V, 10)],
    ),
    "xmax-before-xmin": (
        lambda r: write(r / V, voc_xml([("cat", box()), ("dog", box(xmin="30", xmax="10"))])),
        [("box_inverted", "error", V, 19)],
    ),
    "zero-area": (
        lambda r: write(r / V, voc_xml([("cat", box(ymin="7", ymax="7"))])),
        [("box_zero_area", "error", V, 10)],
    ),
    "outside-image": (
        lambda r: write(r / V, voc_xml([("cat", box(xmax="90"))])),
        [("box_outside_image", "warning", V, 10)],
    ),
    "unknown-class": (
        lambda r: write(r / V, voc_xml([("cat", box()), ("bird", box())])),
        [("class_unknown", "error", V, 18)],
    ),
    "no-objects": (lambda r: write(r / V, voc_xml([])), [("annotation_empty", "warning", V, None)]),
    "annotation-missing": (
        lambda r: (r / V).unlink(),
        [("annotation_missing", "warning", "train/images/img_1.jpg", None)],
    ),
    "annotation-orphan": (
        lambda r: (r / "validation/images/img_2.jpg").unlink(),
        [("annotation_orphan", "warning", "validation/annotations/img_2.xml", None)],
    ),
    "empty-split": (
        lambda r: [p.unlink() for p in sorted((r / "validation").rglob("*.*"))],
        [("split_empty", "error", "validation/images", None)],
    ),
}


@pytest.mark.parametrize("fault", VOC_FAULTS)
def test_voc_fault_is_found_at_its_file_and_line(tmp_path: Path, fault: str) -> None:
    build_voc(tmp_path)
    seed, expected = VOC_FAULTS[fault]
    seed(tmp_path)
    assert findings_of(tmp_path, "torchvision", classes=CLASSES) == expected


def test_flat_voc_fault(tmp_path: Path) -> None:
    build_voc(tmp_path, flat=True)
    write(tmp_path / "annotations/img_0.xml", voc_xml([("cat", box(xmin="50", xmax="20"))]))
    assert findings_of(tmp_path, "torchvision", classes=CLASSES) == [
        ("box_inverted", "error", "annotations/img_0.xml", 10)
    ]


# -- Ultralytics YOLO (data.yaml names the classes) ------------------------------------------------

U = "labels/train/img_3.txt"
ULTRALYTICS_FAULTS: dict[str, tuple[Callable[[Path], None], Expected]] = {
    "truncated": (
        lambda r: cut(r / "images/val/img_1.jpg"),
        [("image_truncated", "warning", "images/val/img_1.jpg", None)],
    ),
    "label-missing": (
        lambda r: (r / U).unlink(),
        [("annotation_missing", "warning", "images/train/img_3.jpg", None)],
    ),
    "six-columns": (
        lambda r: set_line(r / U, 2, "1 0.5 0.5 0.1 0.1 0.9"),
        [("annotation_columns", "error", U, 2)],
    ),
    "class-too-high": (lambda r: set_line(r / U, 1, "5 0.5 0.5 0.1 0.1"), [("class_range", "error", U, 1)]),
    "pixel-coordinates": (
        lambda r: set_line(r / U, 3, "0 33 20 12 8"),
        [("box_pixel_coords", "error", U, 3)],
    ),
    "polygon-outside": (
        lambda r: set_line(r / U, 3, "0 0.1 0.1 1.4 0.1 0.5 0.9"),
        [("box_range", "error", U, 3)],
    ),
    "greyscale": (
        lambda r: write(r / "images/train/img_0.jpg", image_bytes(mode="L")),
        [("image_channels", "warning", "images/train/img_0.jpg", None)],
    ),
}


@pytest.mark.parametrize("fault", ULTRALYTICS_FAULTS)
def test_ultralytics_fault_is_found_at_its_file_and_line(tmp_path: Path, fault: str) -> None:
    build_ultralytics(tmp_path)
    seed, expected = ULTRALYTICS_FAULTS[fault]
    seed(tmp_path)
    assert findings_of(tmp_path, "imageai") == expected


# -- Image folders under torchvision (ToTensor, no Resize) and Keras (resizes, converts) ----------

FOLDER_FAULTS: dict[str, tuple[Callable[[Path], None], Expected, Expected]] = {
    # fault: (seed, under torchvision, under keras)
    "mixed-sizes": (
        lambda r: write(r / "train/dog/img_1.jpg", image_bytes(size=(48, 64))),
        [("image_sizes", "error", "train/dog/img_1.jpg", None)],
        [("image_sizes", "warning", "train/dog/img_1.jpg", None)],
    ),
    "greyscale": (
        lambda r: write(r / "val/cat/img_2.jpg", image_bytes(mode="L")),
        [("image_channels", "error", "val/cat/img_2.jpg", None)],
        [("image_channels", "warning", "val/cat/img_2.jpg", None)],
    ),
    "zero-bytes": (
        lambda r: write(r / "train/cat/img_0.jpg", b""),
        [("image_zero_bytes", "error", "train/cat/img_0.jpg", None)],
        [("image_zero_bytes", "error", "train/cat/img_0.jpg", None)],
    ),
    "truncated": (
        lambda r: cut(r / "train/cat/img_0.jpg"),
        [("image_truncated", "error", "train/cat/img_0.jpg", None)],
        [("image_truncated", "error", "train/cat/img_0.jpg", None)],
    ),
    "gif": (
        lambda r: write(r / "train/cat/extra.gif", image_bytes(".gif")),
        [("image_not_listed", "warning", "train/cat/extra.gif", None)],
        [("image_channels", "warning", "train/cat/extra.gif", None)],
    ),
    "tiff-named-jpg": (
        lambda r: write(r / "train/cat/img_0.jpg", image_bytes(".tif")),
        [("image_mislabelled", "warning", "train/cat/img_0.jpg", None)],
        [("image_unreadable", "error", "train/cat/img_0.jpg", None)],
    ),
    "empty-class-folder": (
        lambda r: (r / "train/bird").mkdir(),
        [("class_empty", "error", "train/bird", None)],
        [("class_empty", "warning", "train/bird", None)],
    ),
    "empty-split": (
        lambda r: [p.unlink() for p in sorted((r / "val").rglob("*.jpg"))],
        [
            ("split_empty", "error", "val", None),
            ("class_empty", "error", "val/cat", None),
            ("class_empty", "error", "val/dog", None),
        ],
        [
            ("split_empty", "error", "val", None),
            ("class_empty", "warning", "val/cat", None),
            ("class_empty", "warning", "val/dog", None),
        ],
    ),
}


@pytest.mark.parametrize("pipeline", ["torchvision", "keras"])
@pytest.mark.parametrize("fault", FOLDER_FAULTS)
def test_imagefolder_fault_is_found_with_the_pipelines_severity(
    tmp_path: Path, fault: str, pipeline: str
) -> None:
    build_imagefolder(tmp_path)
    seed, under_torchvision, under_keras = FOLDER_FAULTS[fault]
    seed(tmp_path)
    expected = under_torchvision if pipeline == "torchvision" else under_keras
    assert sorted(findings_of(tmp_path, pipeline)) == sorted(expected)


def test_class_folders_beyond_the_class_list(tmp_path: Path) -> None:
    build_imagefolder(tmp_path)
    assert findings_of(tmp_path, "torchvision", classes=("cat",)) == [
        ("class_folders", "error", "train/dog", None),
        ("class_folders", "error", "val/dog", None),
    ]


def test_progress_counts_every_image(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build_imagefolder(tmp_path)
    monkeypatch.setattr(checks, "CHUNK", 5)
    calls: list[tuple[int, int]] = []
    run_checks(detect(tmp_path), "keras", workers=2, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(5, 12), (10, 12), (12, 12)]


def test_unknown_pipeline_is_refused(tmp_path: Path) -> None:
    build_imagefolder(tmp_path)
    with pytest.raises(ValueError, match="pipeline"):
        run_checks(detect(tmp_path), "caffe")


# -- Read-only -------------------------------------------------------------------------------------


def tree_state(root: Path) -> tuple[list[str], str]:
    """Every path under `root`, and a hash of the paths, bytes, modes and modification times."""
    digest = hashlib.sha256()
    listing = []
    for path in sorted(root.rglob("*")):
        st = path.lstat()
        rel = path.relative_to(root).as_posix()
        listing.append(rel)
        digest.update(f"{rel}\0{st.st_mode}\0{st.st_mtime_ns}\0".encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return listing, digest.hexdigest()


def test_checks_leave_a_read_only_dataset_as_it_was(tmp_path: Path) -> None:
    root = tmp_path / "data"
    build_imageai_yolo(root)
    write(root / "train/images/img_0.jpg", b"")
    set_line(root / T, 2, "3 0.5 1.5 0.1 0.1")
    for path in [root, *root.rglob("*")]:
        path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    before = tree_state(root)
    try:
        found = run_checks(detect(root, classes=CLASSES), "imageai", workers=4)
        after = tree_state(root)
    finally:
        for path in [root, *root.rglob("*")]:
            path.chmod(path.stat().st_mode | stat.S_IWUSR)
    assert {f.check for f in found} == {"image_zero_bytes", "box_range", "class_range"}
    # root writes through a-w, so compare the listing too: nothing may have been created
    assert after == before


# -- Image headers read without Pillow agree with Pillow ------------------------------------------

MODES = ["1", "L", "LA", "P", "RGB", "RGBA", "CMYK", "I;16"]
FORMATS = {
    "JPEG": (".jpg", {}),
    "progressive JPEG": (".jpg", {"progressive": True}),
    "PNG": (".png", {}),
    "BMP": (".bmp", {}),
    "GIF": (".gif", {}),
    "WEBP": (".webp", {}),
    "lossless WEBP": (".webp", {"lossless": True}),
    "TIFF": (".tif", {}),
    "LZW TIFF": (".tif", {"compression": "tiff_lzw"}),
    "BigTIFF": (".tif", {"big_tiff": True}),
    "PPM": (".ppm", {}),
}


def saved_variants(tmp_path: Path) -> list[Path]:
    noise = Image.merge("RGB", [Image.effect_noise((37, 23), 50) for _ in range(3)])
    paths = []
    for mode in MODES:
        im = noise.convert("L").convert(mode) if mode == "I;16" else noise.convert(mode)
        if mode == "RGBA":  # real transparency, or WebP drops the alpha channel
            im.putalpha(Image.linear_gradient("L").resize(im.size))
        for name, (suffix, options) in FORMATS.items():
            path = tmp_path / f"{mode.replace(';', '')}-{name.replace(' ', '-')}{suffix}"
            try:
                im.save(path, **options)
            except (OSError, ValueError, KeyError):
                continue  # Pillow cannot write this mode in this format
            paths.append(path)
    return paths


def test_headers_agree_with_pillow(tmp_path: Path) -> None:
    paths = saved_variants(tmp_path)
    assert len(paths) > 40
    for path in paths:
        info = read_image_info(path)
        with Image.open(path) as im:
            expected = (im.format, im.width, im.height, im.mode)
        assert (info.format, info.width, info.height, info.mode) == expected, path.name
        assert (info.truncated, info.error, info.mislabelled) == (False, None, False), path.name


def test_truncation_is_seen_and_trailing_bytes_are_not(tmp_path: Path) -> None:
    for path in saved_variants(tmp_path):
        data = path.read_bytes()
        path.write_bytes(data + b"\0" * 5000)
        assert not read_image_info(path).truncated, f"padded {path.name}"
        path.write_bytes(data[: len(data) * 2 // 3])
        info = read_image_info(path)
        assert info.truncated or info.error, f"cut {path.name}"
    jpeg = tmp_path / "motion.jpg"  # a phone's motion photo: a video after the end of image
    jpeg.write_bytes(image_bytes() + os.urandom(3 << 20))
    assert not read_image_info(jpeg).truncated


def test_unreadable_and_mislabelled_files(tmp_path: Path) -> None:
    empty, html, png = tmp_path / "a.jpg", tmp_path / "b.jpg", tmp_path / "c.jpg"
    empty.write_bytes(b"")
    html.write_text("<!DOCTYPE html><html></html>")
    png.write_bytes(image_bytes(".png"))
    assert read_image_info(empty).error == "empty file (0 bytes)"
    assert "cannot identify image file" in read_image_info(html).error
    assert (read_image_info(png).format, read_image_info(png).mislabelled) == ("PNG", True)
