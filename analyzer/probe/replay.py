"""A real training step on a sample of the user's dataset, run in a child process.

The parent half (`run_replay`, `replay_failure`) imports nothing heavy. The child half
(`python -m analyzer.probe.replay --request FILE`) imports torch, torchvision, imageai and cv2,
prints one JSON result on stdout, and only reads the user's directory: every pipeline runs on a
staging folder of symlinks and converted annotation files inside the parent's temp dir, because
ImageAI's `trainModel` writes `json/` and `models/` into the data directory it is given.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from analyzer.model import Explained
    from analyzer.probe.layouts import Dataset, Sample

PROBE_EXTRA = "install the probe extra: pip install 'explain-error[probe]'"
DIVERGENCE_STEPS = 8
DETECTION_LAYOUTS = ("imageai-yolo", "voc", "ultralytics-yolo")
VALIDATION_SPLITS = ("validation", "val", "test")  # staged as ImageAI's validation/
_PROJECT = Path(__file__).resolve().parents[2]  # the folder holding `analyzer`, for the child's imports


@dataclass(frozen=True)
class ReplayError:
    type: str
    message: str
    traceback: str  # the child's traceback text, for our own parser


@dataclass(frozen=True)
class Divergence:
    """Losses at the user's learning rate and, when they diverged, at a tenth of it."""

    lr: float
    losses: tuple[float, ...]
    nan: bool  # a loss was NaN or inf
    diverged: bool  # NaN/inf, or a loss above 1000 times the first (a stand-in model may blow up, not NaN)
    rerun_lr: float | None = None
    rerun_losses: tuple[float, ...] = ()
    rerun_nan: bool = False
    rerun_diverged: bool = False


@dataclass(frozen=True)
class GpuMemory:
    """Peak memory of one step at batch 1 and 2, extrapolated linearly to the user's batch size."""

    user_batch_size: int
    batch1_mib: float | None = None
    batch2_mib: float | None = None
    predicted_mib: float | None = None
    free_mib: float | None = None
    total_mib: float | None = None
    reason: str = ""  # why nothing was measured


@dataclass(frozen=True)
class ReplayResult:
    device: str  # cpu | cuda | "" when the child never chose one
    status: str  # ok | failed | skipped
    steps: int = 0  # optimizer steps taken
    losses: tuple[float, ...] = ()
    error: ReplayError | None = None
    culprits: tuple[str, ...] = ()  # relative to the dataset root
    divergence: Divergence | None = None
    gpu_memory: GpuMemory | None = None
    reason: str = ""  # why it was skipped, or what it could not decide
    seconds: float = 0.0


def run_replay(
    ds: Dataset,
    sample: list[Sample],
    *,
    device: str = "auto",
    steps: int = 2,
    batch_size: int = 4,
    lr: float | None = None,
    divergence: bool = False,
    gpu_memory: bool = False,
    user_batch_size: int | None = None,
    transform: str | None = None,
    model: str = "tiny-yolov3",
    timeout: float = 120,
    python: str = sys.executable,
) -> ReplayResult:
    """Replay `steps` training steps on `sample` in a child `python`; never writes to the dataset.

    `transform` (`module:attr`, imported from the working directory) replaces an image folder's
    `ToTensor()`; `model` picks ImageAI's `tiny-yolov3` or `yolov3` for detection layouts.

    A CUDA error on the GPU (a device-side assert) leaves CUDA unusable in the process that raised
    it, so the files that fail are searched for in a second child on the CPU, where the same bad
    value raises an ordinary, readable error.
    """
    args: dict[str, Any] = dict(
        steps=steps, batch_size=batch_size, lr=lr, user_batch_size=user_batch_size,
        transform=transform, model=model, python=python,
    )  # fmt: skip
    result = _run_child(
        ds, sample, device=device, divergence=divergence, gpu_memory=gpu_memory, timeout=timeout, **args
    )
    if (
        result.device != "cuda"
        or result.error is None
        or not cuda_error(result.error.type, result.error.message)
    ):
        return result
    left = timeout - result.seconds
    if left < 20:
        note = "a CUDA error stops CUDA in that process, and no time was left to search the files on the CPU"
        return replace(result, reason="; ".join(x for x in (result.reason, note) if x))
    cpu = _run_child(ds, sample, device="cpu", divergence=False, gpu_memory=False, timeout=left, **args)
    if cpu.error is not None:
        first = next(iter(cpu.error.message.strip().splitlines()), "")[:300]
        note = (f"a CUDA error stops CUDA in that process, so the files were searched on the CPU, where it "
                f"failed with {cpu.error.type}: {first}")  # fmt: skip
    else:
        note = (
            f"the same step on the CPU did not fail ({cpu.status}{': ' + cpu.reason if cpu.reason else ''})"
        )
    reason = "; ".join(x for x in (result.reason, note) if x)
    return replace(
        result, culprits=cpu.culprits, reason=reason, seconds=round(result.seconds + cpu.seconds, 2)
    )


def cuda_error(type_name: str, message: str) -> bool:
    """A CUDA error other than out-of-memory: torch 2.8+ raises `AcceleratorError`, older ones `RuntimeError`."""
    if "out of memory" in message:
        return False
    return (
        type_name.endswith("AcceleratorError") or "CUDA error" in message or "device-side assert" in message
    )


def _run_child(
    ds: Dataset,
    sample: list[Sample],
    *,
    device: str,
    steps: int,
    batch_size: int,
    lr: float | None,
    divergence: bool,
    gpu_memory: bool,
    user_batch_size: int | None,
    transform: str | None,
    model: str,
    timeout: float,
    python: str,
) -> ReplayResult:
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="explain-error-replay-") as work:
        request = {
            "root": str(ds.root.resolve()),
            "layout": ds.layout,
            "classes": list(ds.classes) if ds.classes is not None else None,
            "samples": [asdict(s) for s in sample],
            "complete": len(sample) >= len(ds.samples),
            "device": device,
            "steps": steps,
            "batch_size": batch_size,
            "lr": lr,
            "divergence": divergence,
            "gpu_memory": gpu_memory,
            "user_batch_size": user_batch_size or batch_size,
            "transform": transform,
            "model": model,
            "deadline": time.time() + timeout - min(10.0, timeout / 5),
            "workdir": work,
        }
        path = Path(work) / "request.json"
        path.write_text(json.dumps(request), encoding="utf-8")
        pythonpath = os.pathsep.join(p for p in (str(_PROJECT), os.environ.get("PYTHONPATH")) if p)
        try:
            proc = subprocess.run(
                [python, "-m", "analyzer.probe.replay", "--request", str(path)],
                capture_output=True,
                text=True,
                timeout=timeout,
                env={**os.environ, "PYTHONPATH": pythonpath},
            )
        except subprocess.TimeoutExpired:
            return ReplayResult("", "skipped", reason=f"the replay did not finish within {timeout:g}s")
        except OSError as err:
            return ReplayResult("", "skipped", reason=f"cannot run {python}: {err}")
    seconds = time.monotonic() - start
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    try:
        return _result_from(json.loads(lines[-1]), seconds)
    except (IndexError, ValueError, KeyError, TypeError):
        last = next((line for line in reversed(proc.stderr.splitlines()) if line.strip()), "")
        reason = f"the replay process exited with code {proc.returncode}" + (f": {last}" if last else "")
        return ReplayResult("", "skipped", reason=reason, seconds=seconds)


def _result_from(data: dict[str, Any], seconds: float) -> ReplayResult:
    error, div, mem = data.get("error"), data.get("divergence"), data.get("gpu_memory")
    if div is not None:
        div = Divergence(
            **{**div, "losses": tuple(div["losses"]), "rerun_losses": tuple(div["rerun_losses"])}
        )
    return ReplayResult(
        device=data.get("device", ""),
        status=data["status"],
        steps=len(data.get("losses", ())),
        losses=tuple(data.get("losses", ())),
        error=ReplayError(**error) if error else None,
        culprits=tuple(data.get("culprits", ())),
        divergence=div,
        gpu_memory=GpuMemory(**mem) if mem else None,
        reason=data.get("reason", ""),
        seconds=round(seconds, 2),
    )


def replay_failure(result: ReplayResult) -> Explained | None:
    """The replay's failure run through our own parser and rules, or None when it did not fail."""
    if result.error is None:
        return None
    from analyzer.explain import explain_text

    text = result.error.traceback or f"{result.error.type}: {result.error.message}"
    report = explain_text(text)
    return report.failures[report.primary] if report.primary is not None else None


# ---------------------------------------------------------------------------------------------
# The child: everything below runs in `python -m analyzer.probe.replay` and may import torch.


class _OutOfTime(Exception):
    pass


class _Pipeline:
    """What a training script of one library does, split where a failure can be blamed on data."""

    default_lr = 0.01
    phase = "load"  # load | batch | model | step: where the last run got to
    batch_size = 1

    def __init__(self, req: dict[str, Any], device: str) -> None:
        self.req, self.device = req, device
        self.root = Path(req["root"])
        self.staged: dict[str, str] = {}  # staged path -> the user's path, to translate messages
        self.notes: list[str] = []  # what the replay had to assume, for the result's reason
        self._stages = 0

    def stage_dir(self) -> Path:
        self._stages += 1
        return Path(self.req["workdir"]) / f"stage-{self._stages}"

    def link(self, rel: str, dest: Path) -> None:
        dest.parent.mkdir(parents=True, exist_ok=True)
        source = self.root / rel
        try:
            os.symlink(source, dest)
        except OSError:  # no symlinks (Windows without developer mode): a copy reads the same
            import shutil

            shutil.copyfile(source, dest)
        self.staged[str(dest)] = str(source)

    def unstage(self, text: str) -> str:
        if self.req["workdir"] not in text:
            return text
        for staged, source in sorted(self.staged.items(), key=lambda kv: -len(kv[0])):
            text = text.replace(staged, source)
        return text


class _YoloPipeline(_Pipeline):
    """ImageAI 3 `DetectionModelTrainer.trainModel` with YOLOv3-tiny, from its own components."""

    def __init__(self, req: dict[str, Any], device: str) -> None:
        super().__init__(req, device)
        self.classes: list[str] | None = req["classes"]
        if self.classes is None and req["layout"] == "voc":
            xmls = [self.root / s["annotation"] for s in req["samples"] if s["annotation"]]
            self.classes = sorted({name for xml in xmls for name in _voc_names(xml)})
        self.anchors: list[int] | None = None

    def dataset(self, samples: list[dict]) -> Any:
        from imageai.Detection.Custom.yolo.dataset import LoadImagesAndLabels

        stage = self.stage_dir()
        for split in ("train", "validation"):
            for sub in ("images", "annotations"):
                (stage / split / sub).mkdir(parents=True)
        for s in samples:
            split = "validation" if s["split"] in VALIDATION_SPLITS else "train"
            image = stage / split / "images" / _unique(stage / split / "images", Path(s["image"]).name)
            self.link(s["image"], image)
            if s["annotation"] is None:
                continue
            label = stage / split / "annotations" / (image.stem + ".txt")
            if self.req["layout"] == "voc":
                label.write_text(
                    _voc_to_yolo(self.root / s["annotation"], self.classes or []), encoding="utf-8"
                )
                self.staged[str(label)] = str(self.root / s["annotation"])
            else:
                self.link(s["annotation"], label)
        # trainModel loads both splits before training: the validation set's labels are parsed too
        LoadImagesAndLabels(str(stage), train=False)
        return LoadImagesAndLabels(str(stage), train=True)

    def collate_fn(self, dataset: Any) -> Callable[[list], Any]:
        return dataset.collate_fn

    def model(self, dataset: Any, lr: float | None, batch_size: int) -> tuple[Any, Any]:
        import torch
        from imageai.yolov3.tiny_yolov3 import YoloV3Tiny
        from imageai.yolov3.yolov3 import YoloV3

        if self.anchors is None:
            self.anchors = self._anchors(dataset)
        if self.classes is None:
            ids = [int(c) for labels in dataset.labels for c in labels[:, 0]]
            self.classes = [str(i) for i in range(max(ids, default=0) + 1)]
            self.notes.append(f"no class list: assumed {len(self.classes)} classes from the largest class id")
        torch.manual_seed(0)
        network = YoloV3 if self.req["model"] == "yolov3" else YoloV3Tiny
        model = network(num_classes=len(self.classes), anchors=self.anchors, device=self.device)
        model.to(self.device).train()
        self.scaler = torch.amp.GradScaler(self.device, enabled=self.device == "cuda")
        return model, _imageai_optimizer(torch, model, batch_size, lr)

    def _anchors(self, dataset: Any) -> list[int]:
        import random

        import numpy as np
        from imageai.Detection.Custom.yolo.custom_anchors import generate_anchors

        random.seed(0)
        np.random.seed(0)
        try:
            anchors = generate_anchors(dataset, n=9 if self.req["model"] == "yolov3" else 6)
        except (AssertionError, ValueError) as err:
            if self.req["complete"]:
                raise
            # k-means over a sample can lack boxes the whole dataset has: ImageAI's stock anchors
            # (imageai.Detection.ObjectDetection) stand in
            self.notes.append(f"anchors from the sample failed ({err}): used YOLOv3-tiny's stock anchors")
            if self.req["model"] == "yolov3":
                return [10, 13, 16, 30, 33, 23, 30, 61, 62, 45, 59, 119, 116, 90, 156, 198, 373, 326]
            return [10, 14, 23, 27, 37, 58, 81, 82, 135, 169, 344, 319]
        return [round(i) for i in anchors.reshape(-1).tolist()]

    def step(self, model: Any, optimizer: Any, batch: Any, index: int, lr: float | None) -> float:
        import torch
        from imageai.Detection.Custom.yolo.compute_loss import compute_loss

        if lr is None:  # trainModel's warmup at the first iterations of epoch 1 (of 100, its default)
            done, warmup = index + 1, 1000
            for j, group in enumerate(optimizer.param_groups):
                start = 0.1 if j == 2 else 0.0
                group["lr"] = start + (0.01 * 0.99 - start) * done / warmup
                group["momentum"] = 0.8 + 0.1 * done / warmup
        data, anns = batch[0].to(self.device), batch[1].to(self.device)
        with torch.autocast(self.device, enabled=self.device == "cuda"):
            model(data)
            loss, _ = compute_loss(model.get_loss_layers(), anns.detach(), self.device)
        self.scaler.scale(loss).backward()
        self.scaler.step(optimizer)
        self.scaler.update()
        optimizer.zero_grad()
        return loss.item()


def _imageai_optimizer(torch: Any, model: Any, batch_size: int, lr: float | None) -> Any:
    """The SGD of `DetectionModelTrainer.__set_training_param`: three groups, decay on weights only."""
    accumulate = max(round(64 / batch_size), 1)
    bn, weights, biases = [], [], []
    for m in model.modules():
        if isinstance(getattr(m, "bias", None), torch.nn.Parameter):
            biases.append(m.bias)
        if isinstance(m, torch.nn.BatchNorm2d):
            bn.append(m.weight)
        elif isinstance(getattr(m, "weight", None), torch.nn.Parameter):
            weights.append(m.weight)
    optimizer = torch.optim.SGD(bn, lr=lr or 1e-2, momentum=0.6, nesterov=True)
    optimizer.add_param_group({"params": weights, "weight_decay": 5e-4 * batch_size * accumulate / 64})
    optimizer.add_param_group({"params": biases})
    return optimizer


def _unique(folder: Path, name: str) -> str:
    """`name`, or `name` prefixed so that two splits' same-named files do not collide."""
    n = 0
    candidate = name
    while (folder / candidate).exists() or (folder / candidate).is_symlink():
        n += 1
        candidate = f"{n}-{name}"
    return candidate


def _voc_names(xml: Path) -> list[str]:
    """The class names in a VOC file; none when it does not parse (the replay then fails on it)."""
    import xml.etree.ElementTree as ET

    try:
        return [(obj.findtext("name") or "").strip() for obj in ET.parse(xml).getroot().iter("object")]
    except (OSError, ET.ParseError):
        return []


def _voc_to_yolo(xml: Path, classes: list[str]) -> str:
    """A Pascal VOC file as ImageAI 3's `class cx cy w h` lines, normalised by the <size> it states."""
    import xml.etree.ElementTree as ET

    root = ET.parse(xml).getroot()
    width, height = (float(root.findtext(f"size/{k}") or 0) for k in ("width", "height"))
    if width <= 0 or height <= 0:
        raise ValueError(f"{xml.name}: <size> gives no width and height to normalise the boxes by")
    lines = []
    for obj in root.iter("object"):
        name = (obj.findtext("name") or "").strip()
        if name not in classes:
            raise ValueError(f"{xml.name}: class {name!r} is not in the class list {classes}")
        x1, y1, x2, y2 = (
            float(obj.findtext(f"bndbox/{k}") or "nan") for k in ("xmin", "ymin", "xmax", "ymax")
        )
        cx, cy, w, h = (x1 + x2) / 2 / width, (y1 + y2) / 2 / height, (x2 - x1) / width, (y2 - y1) / height
        lines.append(f"{classes.index(name)} {cx:.6f} {cy:.6f} {w:.6f} {h:.6f}")
    return "\n".join(lines) + "\n"


class _FolderPipeline(_Pipeline):
    """torchvision `ImageFolder` + `DataLoader` + a small CNN, as a first classification script."""

    def __init__(self, req: dict[str, Any], device: str) -> None:
        super().__init__(req, device)
        self.classes: list[str] = req["classes"] or sorted({s["label"] for s in req["samples"]})
        self.transform = _load_transform(req["transform"])

    def dataset(self, samples: list[dict]) -> Any:
        from torchvision.datasets import ImageFolder

        stage = self.stage_dir()
        for name in self.classes:  # every class, so that the class indices match the full dataset
            (stage / name).mkdir(parents=True)
        for s in samples:
            folder = stage / s["label"]
            self.link(s["image"], folder / _unique(folder, Path(s["image"]).name))
        return ImageFolder(str(stage), transform=self.transform, allow_empty=True)

    def collate_fn(self, dataset: Any) -> Callable[[list], Any]:
        from torch.utils.data import default_collate

        return default_collate

    def model(self, dataset: Any, lr: float | None, batch_size: int) -> tuple[Any, Any]:
        import torch
        from torch import nn, optim

        torch.manual_seed(0)
        model = nn.Sequential(
            nn.Conv2d(3, 8, 3, stride=2, padding=1),
            nn.ReLU(),
            nn.AdaptiveAvgPool2d(1),
            nn.Flatten(),
            nn.Linear(8, len(self.classes)),
        ).to(self.device)
        return model, optim.SGD(model.parameters(), lr=lr or self.default_lr, momentum=0.9)

    def step(self, model: Any, optimizer: Any, batch: Any, index: int, lr: float | None) -> float:
        from torch.nn import functional as F

        images, targets = batch[0].to(self.device), batch[1].to(self.device)
        loss = F.cross_entropy(model(images), targets)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        return loss.item()


def _load_transform(spec: str | None) -> Any:
    """`transforms.ToTensor()` (what a first script writes: no Resize), or the user's `module:attr`."""
    if not spec:
        from torchvision import transforms

        return transforms.ToTensor()
    import importlib

    module, _, attr = spec.partition(":")
    sys.path.insert(0, os.getcwd())
    obj: Any = importlib.import_module(module)
    for part in attr.split("."):
        obj = getattr(obj, part)
    return obj


def _prepare(pipe: _Pipeline, samples: list[dict], batch_size: int) -> tuple[Any, list]:
    """Load every sample and batch them as a DataLoader would, in order."""
    from torch.utils.data import DataLoader

    pipe.phase = "load"
    pipe.batch_size = batch_size
    dataset = pipe.dataset(samples)
    pipe.phase = "batch"
    loader = DataLoader(dataset, batch_size=batch_size, shuffle=False, collate_fn=pipe.collate_fn(dataset))
    return dataset, list(loader)


def _train(
    pipe: _Pipeline, dataset: Any, batches: list, steps: int, lr: float | None, until: float | None = None
) -> list[float]:
    """`steps` optimizer steps over `batches` in turn; with `until`, stop at a non-finite loss or that time."""
    pipe.phase = "model"
    model, optimizer = pipe.model(dataset, lr, pipe.batch_size)
    pipe.phase = "step"
    losses: list[float] = []
    for i in range(steps if batches else 0):
        losses.append(pipe.step(model, optimizer, batches[i % len(batches)], i, lr))
        if until is not None and (not math.isfinite(losses[-1]) or time.time() > until):
            break
    if not batches:
        pipe.notes.append("the loader kept none of the sample's images: no step ran")
    return losses


def _fails(pipe: _Pipeline, phase: str, subset: list[dict], error: type, deadline: float) -> bool:
    """Whether `subset`, loaded and batched as one batch, fails at `phase` with the same exception type."""
    if time.time() > deadline:
        raise _OutOfTime
    try:
        dataset = pipe.dataset(subset)
        if phase in ("batch", "step"):
            batch = pipe.collate_fn(dataset)([dataset[i] for i in range(len(dataset))])
        if phase == "step":
            _train(pipe, dataset, [batch], 1, pipe.req["lr"])
    except Exception as err:
        return type(err) is error
    return False


def _bisect(items: list[dict], fails: Callable[[list[dict]], bool]) -> list[dict]:
    """The items that make `fails` true, re-running it on halves.

    A half that passes becomes context for the other, so that a failure that needs two files
    (two image sizes in one batch) blames the minority, not whichever file came second.
    """
    found: list[dict] = []

    def search(part: list[dict], context: list[dict]) -> None:
        if len(part) == 1:
            found.append(part[0])
            return
        a, b = part[: len(part) // 2], part[len(part) // 2 :]
        fa, fb = fails(context + a), fails(context + b)
        if fa:
            search(a, context + ([] if fb else b))
        if fb:
            search(b, context + ([] if fa else a))
        if not (fa or fb):
            search(a, context + b)  # a is the smaller half (or as large)

    search(items, [])
    return found


def _blame(sample: dict, others: list[dict], fails: Callable[[list[dict]], bool]) -> str:
    """The culprit sample's annotation when the failure goes away without it, else its image."""
    if sample.get("annotation") and not fails([*others, {**sample, "annotation": None}]):
        return sample["annotation"]
    return sample["image"]


def _diverge(pipe: _Pipeline, dataset: Any, batches: list, lr: float, deadline: float) -> dict[str, Any]:
    """DIVERGENCE_STEPS steps at `lr` and, when the loss diverged, at a tenth of it."""
    first = _train(pipe, dataset, batches, DIVERGENCE_STEPS, lr, until=deadline)
    div = {"lr": lr, "losses": first, **_divergence(first), "rerun_lr": None, "rerun_losses": []}
    if div["diverged"]:
        rerun = _train(pipe, dataset, batches, DIVERGENCE_STEPS, lr / 10, until=deadline)
        div.update(rerun_lr=lr / 10, rerun_losses=rerun)
        div.update({f"rerun_{k}": v for k, v in _divergence(rerun).items()})
    return div


def _divergence(losses: list[float]) -> dict[str, bool]:
    finite = [x for x in losses if math.isfinite(x)]
    nan = len(finite) < len(losses)
    return {"nan": nan, "diverged": nan or (bool(finite) and max(finite) > 1000 * abs(finite[0]))}


def _gpu_memory(pipe: _Pipeline, samples: list[dict], user_batch_size: int) -> dict[str, Any]:
    import torch

    train = [s for s in samples if s["split"] not in VALIDATION_SPLITS]
    unmeasured = {"user_batch_size": user_batch_size}
    if pipe.device != "cuda":
        return {**unmeasured, "reason": "no CUDA device: GPU memory cannot be measured"}
    if not isinstance(pipe, _YoloPipeline):
        return {**unmeasured, "reason": "an image-folder model is your own: a stand-in's memory says nothing"}
    if len(train) < 2:
        return {**unmeasured, "reason": "fewer than 2 training images to measure"}
    mib = 1024 * 1024
    torch.cuda.empty_cache()
    free, total = torch.cuda.mem_get_info()
    peaks = []
    for n in (1, 2):
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats()
        try:
            dataset, batches = _prepare(pipe, train[:n], n)
            _train(pipe, dataset, batches, 1, pipe.req["lr"])
        except Exception as err:  # out of memory at batch 1 or 2 is itself the answer
            return {**unmeasured, "free_mib": free / mib, "reason": f"batch {n}: {type(err).__name__}: {err}"}
        peaks.append(torch.cuda.max_memory_allocated() / mib)
    per_image = peaks[1] - peaks[0]
    return {
        "user_batch_size": user_batch_size,
        "batch1_mib": peaks[0],
        "batch2_mib": peaks[1],
        "predicted_mib": peaks[0] + per_image * (user_batch_size - 1),
        "free_mib": free / mib,
        "total_mib": total / mib,
    }


def _replay(req: dict[str, Any]) -> dict[str, Any]:
    import traceback

    try:
        import numpy  # noqa: F401
        import torch
        import torchvision  # noqa: F401

        if req["layout"] in DETECTION_LAYOUTS:
            import imageai.Detection.Custom  # noqa: F401
    except ImportError as err:  # named: ImageAI 3.0.3 also imports tkinter, which some Pythons lack
        return {"status": "skipped", "reason": f"{PROBE_EXTRA} ({type(err).__name__}: {err})"}
    if req["device"] == "cuda" and not torch.cuda.is_available():
        return {"status": "skipped", "reason": "--device cuda, but torch sees no CUDA device here"}
    device = "cuda" if req["device"] != "cpu" and torch.cuda.is_available() else "cpu"
    result: dict[str, Any] = {"device": device, "status": "ok", "losses": [], "culprits": []}
    samples, deadline = req["samples"], req["deadline"]
    if not samples:
        return {**result, "status": "skipped", "reason": "no images in the sample"}
    try:
        pipe = (
            _YoloPipeline(req, device) if req["layout"] in DETECTION_LAYOUTS else _FolderPipeline(req, device)
        )
    except Exception as err:  # the user's --transform cannot be imported
        return {**result, "status": "skipped", "reason": f"--transform {req['transform']}: {err}"}
    try:
        dataset, batches = _prepare(pipe, samples, min(req["batch_size"], len(samples)))
        result["losses"] = _train(pipe, dataset, batches, req["steps"], req["lr"])
    except Exception as err:
        phase, error = pipe.phase, type(err)
        result["status"] = "failed"
        result["error"] = {
            "type": type(err).__name__,
            "message": pipe.unstage(str(err)),
            "traceback": pipe.unstage(traceback.format_exc()),
        }
        if device == "cuda" and cuda_error(type(err).__name__, str(err)):
            pass  # CUDA is unusable in this process now: the parent searches the files on the CPU
        elif phase in ("load", "batch", "step") and "out of memory" not in str(err):
            fails = lambda subset: _fails(pipe, phase, subset, error, deadline)  # noqa: E731
            try:
                culprits = _bisect(samples, fails)
                others = [s for s in samples if s not in culprits]
                result["culprits"] = [_blame(s, others, fails) for s in culprits]
            except _OutOfTime:
                pipe.notes.append("the search for the files that fail stopped at the time limit")
        return {**result, "reason": "; ".join(pipe.notes)}
    if req["divergence"]:
        try:
            result["divergence"] = _diverge(pipe, dataset, batches, req["lr"] or pipe.default_lr, deadline)
        except Exception as err:
            pipe.notes.append(f"the divergence replay failed: {type(err).__name__}: {err}")
    if req["gpu_memory"]:
        result["gpu_memory"] = _gpu_memory(pipe, samples, req["user_batch_size"])
    return {**result, "reason": "; ".join(pipe.notes)}


def _main() -> None:
    import argparse
    import contextlib

    parser = argparse.ArgumentParser(prog="python -m analyzer.probe.replay")
    parser.add_argument("--request", required=True, type=Path)
    request = json.loads(parser.parse_args().request.read_text(encoding="utf-8"))
    with contextlib.redirect_stdout(sys.stderr):  # libraries print progress; stdout carries the result
        result = _replay(request)
    print(json.dumps(result))


if __name__ == "__main__":
    _main()
