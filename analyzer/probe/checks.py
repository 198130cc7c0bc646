"""Fast static checks of a dataset: image headers and annotation files -> findings. Reads only."""

from __future__ import annotations

import math
import os
import xml.parsers.expat
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path, PurePosixPath

from analyzer.model import Finding
from analyzer.probe.images import EMPTY_FILE, ImageInfo, read_image_info
from analyzer.probe.layouts import Dataset, Sample

PIPELINES = ("imageai", "torchvision", "keras")
CORRUPT = "data.missing_or_corrupt"
CHANNELS = "data.image_channels"
SIZES = "data.image_size_mismatch"
BOXES = "data.bbox_invalid"
LABELS = "data.label_out_of_range"
FEW_BOXES = "data.too_few_boxes"

# What each pipeline's loader does with each fault: "error" where it raises or trains on garbage,
# "warning" where it copes, None where it never meets it. Read off ImageAI 3.0.3
# (imageai/Detection/Custom/yolo/dataset.py unless named), torchvision 0.29 (datasets/folder.py,
# ImageFolder + ToTensor, no Resize) and Keras 3 (src/utils/image_dataset_utils.py).
# check:                    (cause,     imageai,   torchvision, keras)
CHECKS: dict[str, tuple[str, str | None, str | None, str | None]] = {
    # cv2.imread gives None and ImageAI skips the file (:32-33); pil_loader's Image.open raises
    # (folder.py:263); tf.image.decode_image raises (:527)
    "image_zero_bytes": (CORRUPT, "warning", "error", "error"),
    "image_unreadable": (CORRUPT, "warning", "error", "error"),
    "image_truncated": (CORRUPT, "warning", "error", "error"),
    # every decoder goes by the bytes, not the name (a format it lacks counts as unreadable)
    "image_mislabelled": (CORRUPT, "warning", "warning", "warning"),
    # files outside IMG_EXTENSIONS (folder.py:257) or ALLOWLIST_FORMATS (:25) are never loaded;
    # ImageAI lists every file (:30)
    "image_not_listed": (CORRUPT, None, "warning", "warning"),
    # cv2.imread(IMREAD_COLOR) is 3-channel BGR and img[:, :, :3] (:71-73); decode_image(channels=3)
    # (:527). ImageFolder's own pil_loader converts to RGB (folder.py:264), but PyTorch datasets that
    # open images themselves (Image.open, read_image) keep 1 or 4 channels, and their channel errors
    # are the traces that bring users here, so a non-RGB image counts as breaking torchvision
    "image_channels": (CHANNELS, "warning", "error", "warning"),
    # letterboxed to 416x416 (:73, yolov3/utils.py:50); ToTensor keeps sizes and default_collate's
    # torch.stack needs them equal (torch/utils/data/_utils/collate.py:275); tf.image.resize (:556)
    "image_sizes": (SIZES, "warning", "error", "warning"),
    # DataLoader(shuffle=True) over 0 samples raises (Custom/__init__.py:126-135); ImageFolder raises
    # "Found no valid file" (folder.py:99-104); Keras "No images found" (:373)
    "split_empty": (CORRUPT, "error", "error", "error"),
    "class_empty": (CORRUPT, None, "error", "warning"),
    # a class folder the model's class list lacks gets an index past its outputs
    "class_folders": (LABELS, None, "error", "error"),
    # no label file: zero boxes, a background image (:83-84)
    "annotation_missing": (CORRUPT, "warning", "warning", "warning"),
    "annotation_orphan": (CORRUPT, "warning", "warning", "warning"),
    "annotation_empty": (CORRUPT, "warning", "warning", "warning"),
    # np.loadtxt(path).reshape(-1, 5) raises (:80)
    "annotation_unparseable": (CORRUPT, "error", "error", "error"),
    "annotation_columns": (BOXES, "error", "error", "error"),
    "annotation_fields": (BOXES, "error", "error", "error"),
    # assert (l >= 0).all() and (l[:, 1:] <= 1).all() (:81-82)
    "box_range": (BOXES, "error", "error", "error"),
    "box_pixel_coords": (BOXES, "error", "error", "error"),
    "box_inverted": (BOXES, "error", "error", "error"),
    # a zero side makes the anchor ratio infinite and build_targets drops the box
    # (compute_loss.py:156-162); torchvision's detection models assert positive sides
    "box_zero_area": (BOXES, "warning", "error", "error"),
    "box_outside_image": (BOXES, "warning", "warning", "warning"),
    # the one-hot target t[range(n), tcls] = 1 indexes past the class count (compute_loss.py:110)
    "class_range": (LABELS, "error", "error", "error"),
    "class_unknown": (LABELS, "error", "error", "error"),
    "class_range_unchecked": (LABELS, "warning", "warning", "warning"),
    # kmeans(wh / s, 9) then assert len(k) == n (custom_anchors.py:53-59)
    "anchor_boxes": (FEW_BOXES, "error", None, None),
}
# The file suffixes each loader lists (None: every file) and the formats its decoder reads.
LISTED = {
    "imageai": None,
    "torchvision": frozenset({".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif", ".tiff", ".webp"}),
    "keras": frozenset({".bmp", ".gif", ".jpeg", ".jpg", ".png"}),
}
DECODED = {
    "imageai": frozenset({"JPEG", "PNG", "BMP", "GIF", "WEBP", "TIFF", "PPM"}),
    "torchvision": frozenset({"JPEG", "PNG", "BMP", "GIF", "WEBP", "TIFF", "PPM"}),
    "keras": frozenset({"JPEG", "PNG", "BMP", "GIF", "WEBP"}),
}

MODE_NAMES = {
    "1": "1-bit black-and-white",
    "L": "greyscale",
    "LA": "greyscale with alpha",
    "P": "palette",
    "RGBA": "RGB with alpha",
    "CMYK": "CMYK",
    "I;16": "16-bit greyscale",
    "I": "32-bit greyscale",
    "F": "floating-point greyscale",
}
YOLO_LAYOUTS = ("imageai-yolo", "ultralytics-yolo")
EDGE = 1e-3  # how far past the image edge a normalised box may reach before it is worth a word
ANCHORS = 9  # YOLOv3's anchors (TinyYOLOv3 fits 6)
ANCHOR_IMG_SIZE = 416
KMEANS_TRIALS = 30  # kmeans(..., iter=30): the best of 30 random starts is kept
CPUS = os.cpu_count() or 1
CHUNK = 32  # samples per task: one task per image costs more in the pool than the check itself


@dataclass
class _Found:
    """The findings of one pass, each given the cause and severity the table holds for the pipeline."""

    pipeline: str
    items: list[Finding] = field(default_factory=list)

    def add(self, check: str, path: str, line: int | None, message: str, tolerated: bool = False, **values):
        cause, *severities = CHECKS[check]
        severity = severities[PIPELINES.index(self.pipeline)]
        if severity is None:
            return
        values_text = tuple((k, str(v)) for k, v in values.items())
        self.items.append(
            Finding(cause, check, "warning" if tolerated else severity, path, line, message, values_text)
        )


@dataclass(frozen=True)
class _Context:
    root: Path
    layout: str
    classes: tuple[str, ...] | None
    pipeline: str


@dataclass(frozen=True)
class _SampleResult:
    findings: tuple[Finding, ...]
    size: tuple[int, int] | None  # (width, height) when the pipeline reads the image
    boxes: tuple[tuple[float, float], ...] = ()  # normalised (w, h) of the boxes the loader keeps
    top_class: tuple[int, int] | None = None  # (highest class id, its line)


def run_checks(
    ds: Dataset,
    pipeline: str,
    workers: int = CPUS,
    progress: Callable[[int, int], None] | None = None,
) -> list[Finding]:
    """Every problem in `ds` that the static checks see, with its severity for `pipeline`."""
    if pipeline not in PIPELINES:
        raise ValueError(f"pipeline {pipeline!r}: expected one of {', '.join(PIPELINES)}")
    ctx = _Context(ds.root, ds.layout, ds.classes, pipeline)
    chunks = [ds.samples[i : i + CHUNK] for i in range(0, len(ds.samples), CHUNK)]
    results: list[_SampleResult] = []
    # threads, not processes: a header check mostly waits on the disk, which frees the GIL, and on
    # warm files bench/probe_scan.py's 2 000 JPEGs took 0.37-0.49 s with threads against 0.49-0.54 s
    # with a process pool (2 cores), which also pickles every result and starts slowly where it spawns
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        for chunk in pool.map(partial(_check_chunk, ctx), chunks):
            results.extend(chunk)
            if progress is not None:
                progress(len(results), len(ds.samples))
    found = _Found(pipeline)
    _check_splits(found, ds)
    _check_annotation_files(found, ds)
    _check_class_range_unchecked(found, ds, results)
    _check_sizes(found, ds, results)
    _check_anchor_boxes(found, ds, results)
    findings = [f for r in results for f in r.findings] + found.items
    return sorted(findings, key=lambda f: (f.path, f.line or 0, f.check))


def _check_chunk(ctx: _Context, samples: tuple[Sample, ...]) -> list[_SampleResult]:
    return [_check_sample(ctx, sample) for sample in samples]


def _check_sample(ctx: _Context, sample: Sample) -> _SampleResult:
    found = _Found(ctx.pipeline)
    info = read_image_info(ctx.root / sample.image)
    readable = _check_image(found, ctx.pipeline, sample.image, info)
    size = (info.width, info.height) if readable else None
    if sample.annotation is None:
        return _SampleResult(tuple(found.items), size)
    if sample.annotation.lower().endswith(".xml"):
        _check_voc(found, ctx, sample.annotation, info)
        return _SampleResult(tuple(found.items), size)
    boxes, top_class = _check_yolo(found, ctx, sample.annotation)
    return _SampleResult(tuple(found.items), size, boxes if readable else (), top_class)


def _check_image(found: _Found, pipeline: str, path: str, info: ImageInfo) -> bool:
    """Report what is wrong with one image file; True when the pipeline reads it."""
    suffix = PurePosixPath(path).suffix.lower()
    listed = LISTED[pipeline]
    if listed is not None and suffix not in listed:
        found.add("image_not_listed", path, None, f"the loader does not list '{suffix}' files: never loaded")
        return False
    if info.error == EMPTY_FILE:
        found.add("image_zero_bytes", path, None, "empty image file (0 bytes)")
        return False
    if info.error is not None:
        found.add("image_unreadable", path, None, info.error, format=info.format or "unknown")
        return False
    if info.truncated:
        found.add(
            "image_truncated",
            path,
            None,
            f"{info.format} image file is truncated: its data stops before its end",
            format=info.format,
        )
        return False
    if info.format not in DECODED[pipeline]:
        found.add("image_unreadable", path, None, f"a {info.format} file, which this loader cannot decode")
        return False
    if info.mislabelled:
        found.add(
            "image_mislabelled",
            path,
            None,
            f"a {info.format} file named '{suffix}'",
            format=info.format,
            suffix=suffix,
        )
    if info.mode and info.mode != "RGB":
        found.add(
            "image_channels",
            path,
            None,
            f"{MODE_NAMES.get(info.mode, info.mode)} image (mode {info.mode}, {info.channels} "
            f"channel{'s' if info.channels != 1 else ''}) where RGB is expected",
            mode=info.mode,
            channels=info.channels,
        )
    return True


def _read_text(found: _Found, root: Path, path: str) -> str | None:
    try:
        data = (root / path).read_bytes()
    except OSError as err:
        found.add("annotation_unparseable", path, None, f"cannot read: {err.strerror or err}")
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        found.add(
            "annotation_unparseable",
            path,
            line,
            f"not UTF-8 text: byte 0x{data[err.start]:02x} at {err.start}",
        )
        return None


def _check_yolo(
    found: _Found, ctx: _Context, path: str
) -> tuple[tuple[tuple[float, float], ...], tuple[int, int] | None]:
    """Check a `class cx cy w h` file; the (w, h) of its sound boxes and its highest class id."""
    text = _read_text(found, ctx.root, path)
    if text is None:
        return (), None
    # universal newlines, and `#` starts a comment, as np.loadtxt reads it
    rows = [
        (number, line.split("#", 1)[0].split())
        for number, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1)
    ]
    rows = [(number, tokens) for number, tokens in rows if tokens]
    if not rows:
        found.add("annotation_empty", path, None, "no boxes: the image counts as background")
        return (), None
    boxes: list[tuple[float, float]] = []
    top_class: tuple[int, int] | None = None
    for number, tokens in rows:
        # Ultralytics also reads `class x1 y1 x2 y2 x3 y3 ...` polygons
        polygon = ctx.layout == "ultralytics-yolo" and len(tokens) >= 7 and len(tokens) % 2 == 1
        if len(tokens) != 5 and not polygon:
            found.add(
                "annotation_columns",
                path,
                number,
                f"{len(tokens)} columns where 5 are expected (class cx cy w h): {' '.join(tokens)!r}",
                columns=len(tokens),
            )
            continue
        try:
            values = [float(t) for t in tokens]
        except ValueError:
            bad = next(t for t in tokens if not _is_float(t))
            found.add("annotation_unparseable", path, number, f"not a number: {bad!r}", value=bad)
            continue
        class_id = _check_class_id(found, ctx, path, number, values[0])
        if class_id is not None and (top_class is None or class_id > top_class[0]):
            top_class = (class_id, number)
        if _check_normalised_box(found, path, number, values[1:], polygon):
            boxes.append((values[3], values[4]))
    return tuple(boxes), top_class


def _is_float(token: str) -> bool:
    try:
        float(token)
    except ValueError:
        return False
    return True


def _check_class_id(found: _Found, ctx: _Context, path: str, line: int, value: float) -> int | None:
    if not value.is_integer() or value < 0:
        found.add(
            "class_range", path, line, f"class id {value:g} is not a whole number >= 0", class_id=f"{value:g}"
        )
        return None
    class_id = int(value)
    if ctx.classes is not None and class_id >= len(ctx.classes):
        found.add(
            "class_range",
            path,
            line,
            f"class id {class_id} >= {len(ctx.classes)} classes ({', '.join(ctx.classes)})",
            # with one class ImageAI computes no class loss and never reads the id (compute_loss.py:107)
            tolerated=ctx.pipeline == "imageai" and len(ctx.classes) == 1,
            class_id=class_id,
            classes=len(ctx.classes),
        )
    return class_id


def _check_normalised_box(found: _Found, path: str, line: int, coords: list[float], polygon: bool) -> bool:
    """Check normalised coordinates; True when the loader keeps the box as it is."""
    shown = " ".join(f"{c:g}" for c in coords)
    if not all(math.isfinite(c) for c in coords):
        found.add("box_range", path, line, f"box values are not finite: {shown}", values=shown)
        return False
    if min(coords) < 0:
        found.add("box_range", path, line, f"negative box value {min(coords):g} in {shown}", values=shown)
        return False
    if max(coords) > 1:
        if min(coords) >= 1:  # every value a pixel count: no normalised box looks like that
            found.add(
                "box_pixel_coords",
                path,
                line,
                f"pixel coordinates where values normalised to 0..1 are expected: {shown}",
                values=shown,
            )
        else:
            found.add("box_range", path, line, f"box value {max(coords):g} > 1 in {shown}", values=shown)
        return False
    if polygon:
        return False
    cx, cy, w, h = coords
    if w == 0 or h == 0:
        found.add("box_zero_area", path, line, f"zero-area box (w {w:g}, h {h:g})", values=shown)
    elif min(cx - w / 2, cy - h / 2) < -EDGE or max(cx + w / 2, cy + h / 2) > 1 + EDGE:
        found.add(
            "box_outside_image",
            path,
            line,
            f"box reaches past the image edge: x {cx - w / 2:g}..{cx + w / 2:g}, y {cy - h / 2:g}..{cy + h / 2:g}",
            values=shown,
        )
    return True


@dataclass
class _Element:
    tag: str
    line: int
    text: str = ""
    children: list[_Element] = field(default_factory=list)

    def find(self, tag: str) -> _Element | None:
        return next((c for c in self.children if c.tag == tag), None)


def _parse_xml(data: bytes) -> _Element:
    """The element tree, each element with its line: ElementTree keeps no line numbers."""
    parser = xml.parsers.expat.ParserCreate()
    stack = [_Element("", 0)]

    def start(tag: str, _attrs: dict) -> None:
        element = _Element(tag, parser.CurrentLineNumber)
        stack[-1].children.append(element)
        stack.append(element)

    def end(_tag: str) -> None:
        stack.pop()

    def text(chunk: str) -> None:
        stack[-1].text += chunk

    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, text
    parser.Parse(data, True)
    return stack[0].children[0]


def _check_voc(found: _Found, ctx: _Context, path: str, info: ImageInfo) -> None:
    try:
        root = _parse_xml((ctx.root / path).read_bytes())
    except OSError as err:
        found.add("annotation_unparseable", path, None, f"cannot read: {err.strerror or err}")
        return
    except xml.parsers.expat.ExpatError as err:
        found.add("annotation_unparseable", path, err.lineno, f"not well-formed XML: {err}")
        return
    objects = [c for c in root.children if c.tag == "object"]
    if not objects:
        found.add("annotation_empty", path, None, "no <object>: the image counts as background")
    size = (info.width, info.height) if info.width else _voc_size(root)
    for obj in objects:
        name = obj.find("name")
        if name is None or not name.text.strip():
            found.add("annotation_fields", path, obj.line, "<object> without a <name>")
        elif ctx.classes is not None and name.text.strip() not in ctx.classes:
            found.add(
                "class_unknown",
                path,
                name.line,
                f"class {name.text.strip()!r} is not in the class list ({', '.join(ctx.classes)})",
                name=name.text.strip(),
            )
        box = obj.find("bndbox")
        if box is None:
            found.add("annotation_fields", path, obj.line, "<object> without a <bndbox>")
            continue
        coords = _voc_coords(found, path, box)
        if coords is not None:
            _check_pixel_box(found, path, box.line, coords, size)


def _voc_size(root: _Element) -> tuple[int, int] | None:
    size = root.find("size")
    width, height = (size.find(t) if size is not None else None for t in ("width", "height"))
    try:
        return int(float(width.text)), int(float(height.text))
    except (AttributeError, ValueError):
        return None


def _voc_coords(found: _Found, path: str, box: _Element) -> tuple[float, float, float, float] | None:
    coords = []
    for tag in ("xmin", "ymin", "xmax", "ymax"):
        element = box.find(tag)
        if element is None:
            found.add("annotation_fields", path, box.line, f"<bndbox> without <{tag}>", tag=tag)
            return None
        try:
            coords.append(float(element.text))
        except ValueError:
            found.add(
                "annotation_unparseable",
                path,
                element.line,
                f"<{tag}> is not a number: {element.text.strip()!r}",
                value=element.text.strip(),
            )
            return None
    return coords[0], coords[1], coords[2], coords[3]


def _check_pixel_box(
    found: _Found,
    path: str,
    line: int,
    coords: tuple[float, float, float, float],
    size: tuple[int, int] | None,
) -> None:
    x1, y1, x2, y2 = coords
    shown = f"xmin {x1:g} ymin {y1:g} xmax {x2:g} ymax {y2:g}"
    if not all(math.isfinite(c) for c in coords):
        found.add("box_range", path, line, f"box values are not finite: {shown}", values=shown)
    elif min(coords) < 0:
        found.add("box_range", path, line, f"negative box coordinate: {shown}", values=shown)
    elif x2 < x1 or y2 < y1:
        found.add("box_inverted", path, line, f"max before min: {shown}", values=shown)
    elif x2 == x1 or y2 == y1:
        found.add("box_zero_area", path, line, f"zero-area box: {shown}", values=shown)
    elif size is not None and (x2 > size[0] or y2 > size[1]):
        found.add(
            "box_outside_image",
            path,
            line,
            f"box reaches past the {size[0]}x{size[1]} image: {shown}",
            values=shown,
            image=f"{size[0]}x{size[1]}",
        )


def _split_folder(ds: Dataset, split: str) -> str:
    if ds.layout in ("imageai-yolo", "voc"):
        return f"{split}/images" if split else "images"
    if ds.layout == "ultralytics-yolo":
        return "data.yaml"
    return split


def _check_splits(found: _Found, ds: Dataset) -> None:
    splits = dict(ds.splits)
    if found.pipeline == "imageai" and ds.layout == "imageai-yolo":
        # ImageAI 3 loads DIR/train and DIR/validation, both (Custom/__init__.py:126-127)
        for split in ("train", "validation"):
            splits.setdefault(split, 0)
    for split, count in splits.items():
        if count == 0:
            where = _split_folder(ds, split)
            found.add(
                "split_empty", where, None, f"no images in split {split or '(root)'!r} ({where})", split=split
            )
    if ds.layout != "imagefolder":
        return
    for split in ds.splits:
        with_images = {s.label for s in ds.samples if s.split == split}
        base = ds.root / split if split else ds.root
        for folder in sorted(p for p in base.iterdir() if p.is_dir() and not p.name.startswith(".")):
            where = f"{split}/{folder.name}" if split else folder.name
            if folder.name not in with_images:
                found.add("class_empty", where, None, f"class folder {folder.name!r} holds no images")
            elif ds.classes_from != "folder names" and ds.classes and folder.name not in ds.classes:
                found.add(
                    "class_folders",
                    where,
                    None,
                    f"class folder {folder.name!r} is not in the class list ({', '.join(ds.classes)})",
                    name=folder.name,
                )


def _check_annotation_files(found: _Found, ds: Dataset) -> None:
    # layouts.py records the missing label files in the order of the samples that lack one
    lacking = [s for s in ds.samples if s.annotation is None]
    for sample, expected in zip(lacking, ds.missing_annotations):
        found.add(
            "annotation_missing",
            sample.image,
            None,
            f"no annotation file ({expected}): the image counts as background",
            expected=expected,
        )
    for path in ds.orphan_annotations:
        found.add("annotation_orphan", path, None, "annotation file without an image: never read")


def _check_class_range_unchecked(found: _Found, ds: Dataset, results: list[_SampleResult]) -> None:
    if ds.classes is not None or ds.layout not in YOLO_LAYOUTS:
        return
    tops = [(r.top_class, s.annotation) for r, s in zip(results, ds.samples) if r.top_class is not None]
    if not tops:
        return
    (class_id, line), path = max(tops, key=lambda t: t[0][0])
    found.add(
        "class_range_unchecked",
        path,
        line,
        f"class ids go up to {class_id} but no class list names the classes, so their range is "
        "unchecked (give --classes, --config or a data.yaml)",
        top_class_id=class_id,
    )


def _check_sizes(found: _Found, ds: Dataset, results: list[_SampleResult]) -> None:
    by_split: dict[str, list[tuple[str, tuple[int, int]]]] = {}
    for sample, result in zip(ds.samples, results):
        if result.size is not None:
            by_split.setdefault(sample.split, []).append((sample.image, result.size))
    for split, sized in by_split.items():
        counts = Counter(size for _, size in sized)
        if len(counts) < 2:
            continue
        common = counts.most_common(1)[0][0]
        first_odd = next(path for path, size in sized if size != common)
        listed = ", ".join(f"{w}x{h} ({n})" for (w, h), n in counts.most_common(5))
        found.add(
            "image_sizes",
            first_odd,
            None,
            f"{len(counts)} image sizes in split {split or '(root)'!r}: {listed}"
            f"{', ...' if len(counts) > 5 else ''}; this one is not {common[0]}x{common[1]}",
            sizes=len(counts),
            most_common=f"{common[0]}x{common[1]}",
        )


def _check_anchor_boxes(found: _Found, ds: Dataset, results: list[_SampleResult]) -> None:
    """Replay the box filter of ImageAI 3's anchor k-means and judge whether it fits 9 anchors."""
    if ds.layout not in YOLO_LAYOUTS or "train" not in ds.splits:
        return
    kept: list[tuple[float, float]] = []
    boxes_total = 0
    where = ""
    for sample, result in zip(ds.samples, results):
        if sample.split != "train" or result.size is None:
            continue
        where = where or str(PurePosixPath(sample.annotation or sample.image).parent)
        # the same float arithmetic as custom_anchors.py:46-53: scale the longer side to 416,
        # keep the boxes with a side of 2 pixels or more
        w, h = result.size
        sw, sh = ANCHOR_IMG_SIZE * w / max(w, h), ANCHOR_IMG_SIZE * h / max(w, h)
        for bw, bh in result.boxes:
            boxes_total += 1
            if bw * sw >= 2.0 or bh * sh >= 2.0:
                kept.append((bw * sw, bh * sh))
    counts = Counter(kept)
    said = (
        f"{len(kept)} of {boxes_total} training boxes kept by ImageAI's anchor k-means "
        f"(a side >= 2 px at {ANCHOR_IMG_SIZE}), {len(counts)} distinct sizes"
    )
    values = {"boxes": boxes_total, "kept": len(kept), "distinct": len(counts)}
    if len(counts) < ANCHORS:
        found.add("anchor_boxes", where, None, f"{said}: it needs {ANCHORS} distinct sizes", **values)
        return
    if len({w for w, _ in kept}) == 1 or len({h for _, h in kept}) == 1:
        found.add(
            "anchor_boxes",
            where,
            None,
            f"{said}, all of one width or height: whitening divides by 0",
            **values,
        )
        return
    distinct_start = _distinct_start_chance(counts)
    # when every start repeats a size, the best of them lacks anchors. Against ImageAI's own
    # generate_anchors this estimate held where it is high, and ran low where starts often repeat:
    # with a third of the starts distinct it said 0% and 2-10% of runs failed, hence the warning
    failure = (1 - distinct_start) ** KMEANS_TRIALS
    if distinct_start < 0.5:
        found.add(
            "anchor_boxes",
            where,
            None,
            f"{said}: {1 - distinct_start:.0%} of k-means starts draw a repeated size and lose an anchor, "
            f"so kmeans returns fewer than {ANCHORS} anchors in about {failure:.0%} of runs or more",
            tolerated=failure < 0.5,
            repeated_starts=f"{1 - distinct_start:.2f}",
            failure_chance=f"{failure:.2f}",
            **values,
        )


def _distinct_start_chance(counts: Counter) -> float:
    """Chance that a start of scipy's k-means, 9 boxes drawn without replacement, holds 9 distinct sizes.

    A start with a repeated size leaves a code without members, which scipy drops. The ways to draw
    9 distinct sizes are the degree-9 coefficient of prod(1 + c*x) over the size counts c, grouped by
    count to stay fast on many sizes.
    """
    ways = [1] + [0] * ANCHORS
    for count, sizes in Counter(counts.values()).items():
        factor = [math.comb(sizes, j) * count**j for j in range(ANCHORS + 1)]
        ways = [sum(ways[i] * factor[k - i] for i in range(k + 1)) for k in range(ANCHORS + 1)]
    return ways[ANCHORS] / math.comb(sum(counts.values()), ANCHORS)
