"""Find which dataset layout a directory holds, its samples and its class list. Reads only."""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from analyzer.errors import DataError

IMAGE_EXTS = frozenset({".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp", ".tif", ".tiff", ".ppm", ".pgm"})
LAYOUTS = ("imageai-yolo", "voc", "ultralytics-yolo", "imagefolder")
EXPECTED = (
    "expected one of: DIR/train/images + DIR/train/annotations/*.txt (ImageAI 3 YOLO), "
    "DIR/train/images + DIR/train/annotations/*.xml or DIR/images + DIR/annotations (Pascal VOC), "
    "DIR/data.yaml with images/ and labels/ (Ultralytics YOLO), DIR/<class>/*.jpg (image folder)"
)


@dataclass(frozen=True)
class Sample:
    """One image and what labels it, paths relative to the dataset root with `/` separators."""

    image: str
    annotation: str | None  # the label file (txt or xml); None for image folders
    split: str  # train | validation | val | test | "" (no split)
    label: str | None = None  # the class folder of an image-folder sample


@dataclass(frozen=True)
class Dataset:
    root: Path
    layout: str
    classes: tuple[str, ...] | None  # None when nothing names them
    samples: tuple[Sample, ...]
    splits: dict[str, int] = field(default_factory=dict)  # images per split, empty ones included
    classes_from: str = ""  # where the class list came from
    missing_annotations: tuple[str, ...] = ()  # label files that images point to but that are absent
    orphan_annotations: tuple[str, ...] = ()  # label files without an image

    @property
    def images(self) -> int:
        return len(self.samples)

    def abspath(self, rel: str) -> Path:
        return self.root / rel


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def _images_in(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_EXTS)


def _files_with(folder: Path, ext: str) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ext)


def parse_classes(text: str) -> tuple[str, ...]:
    names = tuple(c.strip() for c in text.split(",") if c.strip())
    if not names:
        raise DataError("--classes: give the class names separated by commas, e.g. --classes cat,dog")
    return names


def read_config(path: Path) -> tuple[str, ...]:
    """Class names from ImageAI's detection config JSON (`labels`) or a YOLO `data.yaml` (`names`)."""
    if not path.is_file():
        raise DataError(f"--config {path}: no such file")
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except ValueError as err:
            raise DataError(f"--config {path}: not valid JSON ({err})") from None
        labels = data.get("labels") if isinstance(data, dict) else None
        if not isinstance(labels, list) or not labels:
            raise DataError(
                f"--config {path}: no 'labels' list (the detection config ImageAI writes has one)"
            )
        return tuple(str(x) for x in labels)
    names = read_yaml_names(text)
    if not names:
        raise DataError(f"--config {path}: no 'names' in this data.yaml")
    return names


def _yaml_scalar(value: str) -> str:
    value = value.split(" #", 1)[0].strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def read_yaml_keys(text: str) -> dict[str, str]:
    """The top-level `key: value` pairs of a data.yaml (what Ultralytics reads: path, train, val)."""
    keys: dict[str, str] = {}
    for line in text.splitlines():
        m = re.match(r"^([A-Za-z_]\w*)\s*:\s*(.*)$", line)
        if m:
            keys[m.group(1)] = _yaml_scalar(m.group(2))
    return keys


def read_yaml_names(text: str) -> tuple[str, ...]:
    """`names:` of a data.yaml as an inline list, a block list, or a block of `id: name`."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        m = re.match(r"^names\s*:\s*(.*)$", line)
        if not m:
            continue
        inline = m.group(1).split(" #", 1)[0].strip()
        if inline.startswith("["):
            return tuple(_yaml_scalar(x) for x in inline.strip("[]").split(",") if x.strip())
        if inline.startswith("{"):
            pairs = [x.split(":", 1) for x in inline.strip("{}").split(",") if ":" in x]
            return tuple(_yaml_scalar(v) for _, v in sorted(pairs, key=lambda kv: int(kv[0].strip() or 0)))
        names: dict[int, str] = {}
        for j, item in enumerate(lines[i + 1 :]):
            if item.strip() and not item.startswith((" ", "\t", "-")):
                break
            dash = re.match(r"^\s*-\s*(.+)$", item)
            idx = re.match(r"^\s*(\d+)\s*:\s*(.+)$", item)
            if dash:
                names[j] = _yaml_scalar(dash.group(1))
            elif idx:
                names[int(idx.group(1))] = _yaml_scalar(idx.group(2))
        return tuple(names[k] for k in sorted(names))
    return ()


def _detection(root: Path, split_dirs: list[tuple[str, Path]]) -> Dataset | None:
    """ImageAI 3 YOLO (`*.txt`) or Pascal VOC (`*.xml`) with images/ beside annotations/."""
    found = [(split, d) for split, d in split_dirs if (d / "images").is_dir()]
    if not found:
        return None
    exts = Counter(
        p.suffix.lower()
        for _, d in found
        for p in (d / "annotations").glob("*")
        if p.suffix.lower() in (".txt", ".xml")
    )
    if not (any((d / "annotations").is_dir() for _, d in found)):
        return None
    ext = ".xml" if exts[".xml"] > exts[".txt"] else ".txt"
    samples: list[Sample] = []
    splits: dict[str, int] = {}
    missing: list[str] = []
    orphans: list[str] = []
    for split, d in found:
        images = _images_in(d / "images")
        splits[split] = len(images)
        stems = set()
        for img in images:
            ann = d / "annotations" / (img.stem + ext)
            stems.add(img.stem)
            if not ann.exists():
                missing.append(_rel(root, ann))
            samples.append(Sample(_rel(root, img), _rel(root, ann) if ann.exists() else None, split))
        for ann in _files_with(d / "annotations", ext):
            if ann.stem not in stems:
                orphans.append(_rel(root, ann))
    layout = "voc" if ext == ".xml" else "imageai-yolo"
    return Dataset(root, layout, None, tuple(samples), splits, "", tuple(missing), tuple(orphans))


def _ultralytics(root: Path, yaml_path: Path) -> Dataset:
    text = yaml_path.read_text(encoding="utf-8", errors="replace")
    keys = read_yaml_keys(text)
    base = root / keys["path"] if keys.get("path") and not Path(keys["path"]).is_absolute() else root
    if keys.get("path") and Path(keys["path"]).is_absolute() and Path(keys["path"]).is_dir():
        base = Path(keys["path"])
    samples: list[Sample] = []
    splits: dict[str, int] = {}
    missing: list[str] = []
    for split in ("train", "val", "test"):
        entry = keys.get(split)
        if not entry:
            continue
        folder = (base / entry).resolve()
        images = _images_in(folder) if folder.is_dir() else []
        splits[split] = len(images)
        for img in images:
            label = _label_for(img)
            rel_img = _rel_or_abs(root, img)
            if label.exists():
                samples.append(Sample(rel_img, _rel_or_abs(root, label), split))
            else:
                missing.append(_rel_or_abs(root, label))
                samples.append(Sample(rel_img, None, split))
    names = read_yaml_names(text)
    return Dataset(
        root,
        "ultralytics-yolo",
        names or None,
        tuple(samples),
        splits,
        "data.yaml" if names else "",
        tuple(missing),
    )


def _label_for(image: Path) -> Path:
    parts = list(image.parts)
    for i in range(len(parts) - 1, -1, -1):
        if parts[i] == "images":
            parts[i] = "labels"
            break
    return Path(*parts).with_suffix(".txt")


def _rel_or_abs(root: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _imagefolder(root: Path) -> Dataset | None:
    split_roots = [(s, root / s) for s in ("train", "val", "validation", "test") if (root / s).is_dir()]
    if not split_roots:
        split_roots = [("", root)]
    samples: list[Sample] = []
    splits: dict[str, int] = {}
    classes: set[str] = set()
    for split, d in split_roots:
        count = 0
        for cls in sorted(p for p in d.iterdir() if p.is_dir() and not p.name.startswith(".")):
            classes.add(cls.name)
            for img in _walk_images(cls):
                samples.append(Sample(_rel(root, img), None, split, cls.name))
                count += 1
        splits[split] = count
    if not classes:
        return None
    return Dataset(root, "imagefolder", tuple(sorted(classes)), tuple(samples), splits, "folder names")


def _walk_images(folder: Path) -> list[Path]:
    out = []
    for dirpath, _, files in os.walk(folder):
        for f in files:
            if Path(f).suffix.lower() in IMAGE_EXTS:
                out.append(Path(dirpath) / f)
    return sorted(out)


def detect(root: Path, classes: tuple[str, ...] | None = None, config: Path | None = None) -> Dataset:
    """The dataset at `root`, its layout found from what is on disk. Raises DataError when none fits."""
    if not root.exists():
        raise DataError(f"--data {root}: no such directory")
    if not root.is_dir():
        raise DataError(f"--data {root}: not a directory")
    if not os.access(root, os.R_OK | os.X_OK):
        raise DataError(f"--data {root}: cannot read this directory")
    yaml_path = config if config is not None and config.suffix.lower() in (".yaml", ".yml") else None
    yaml_path = yaml_path or next((root / n for n in ("data.yaml", "data.yml") if (root / n).is_file()), None)
    if yaml_path is not None:
        ds = _ultralytics(root, yaml_path)
    else:
        ds = _detection(root, [("train", root / "train"), ("validation", root / "validation")]) or _detection(
            root, [("", root)]
        )
        ds = ds or _imagefolder(root)
    if ds is None or not ds.samples and not ds.splits:
        raise DataError(f"--data {root}: no dataset layout found; {EXPECTED}")
    if classes is not None:
        return _with_classes(ds, classes, "--classes")
    if config is not None and yaml_path is None:
        return _with_classes(ds, read_config(config), str(config))
    written = sorted((root / "json").glob("*detection_config.json")) if ds.classes is None else []
    if written:
        # the config ImageAI 3 wrote on an earlier run names the classes it trained with
        return _with_classes(ds, read_config(written[-1]), _rel(root, written[-1]))
    return ds


def _with_classes(ds: Dataset, classes: tuple[str, ...], source: str) -> Dataset:
    return Dataset(
        ds.root,
        ds.layout,
        classes,
        ds.samples,
        ds.splits,
        source,
        ds.missing_annotations,
        ds.orphan_annotations,
    )
