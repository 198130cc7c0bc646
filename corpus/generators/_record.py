"""Shared helper for the corpus generators.

Each case is a small, real, failing program. ``Case`` describes it (the files to
write, the interpreter, the label); ``run_cases`` runs each one as a child
process in a fresh temporary directory, captures stdout+stderr exactly as a
user would see them in a terminal (interleaved, ``\\r`` kept), anonymises the
paths and writes ``NAME.log`` + ``NAME.toml`` into ``cases/generated/``.

Nothing in a log is ever written by hand: the only edits are path
substitutions (temp dirs, the venv and the interpreter prefixes).
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import dataclasses
import functools
import json
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
OUT_DIR = REPO / "corpus" / "cases" / "generated"

PYENV = Path(os.environ.get("PYENV_ROOT", "/root/.pyenv")) / "versions"
TORCH_VENV = Path(os.environ.get("EE_TORCH_VENV", "/work/venvs/torch"))
TMP_ROOT = Path(tempfile.gettempdir())


def pyenv_python(minor: str) -> Optional[str]:
    """Path of the pyenv interpreter for e.g. '3.8' (highest patch release)."""
    cands = sorted(glob.glob(str(PYENV / f"{minor}.*" / "bin" / "python")),
                   key=lambda p: [int(x) for x in re.findall(r"\d+", p.split("/versions/")[1].split("/")[0])])
    return cands[-1] if cands else None


CPYTHONS = ["3.8", "3.9", "3.10", "3.11", "3.12", "3.13"]


def torch_python() -> str:
    return str(TORCH_VENV / "bin" / "python")


@functools.lru_cache(None)
def version_of(python: str) -> str:
    out = subprocess.run([python, "-c", "import sys;print('%d.%d' % sys.version_info[:2])"],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


@dataclasses.dataclass
class Case:
    name: str
    cause: str
    forms: Sequence[str]
    files: Dict[str, str | bytes]          # relative path -> content (str is dedented)
    framework: str = "pytorch"
    python: str = ""                       # interpreter path; default: torch venv
    argv: Sequence[str] = ("train.py",)    # arguments after the interpreter
    also: Sequence[str] = ()
    env: Dict[str, str] = dataclasses.field(default_factory=dict)
    stdin: Optional[str] = None
    project: str = "/home/user/project"    # what the temp working dir is shown as
    subdir: str = ""                       # working dir inside the temp dir (e.g. 'my project')
    setup: Optional[Callable[[Path], None]] = None  # builds data inside the work dir
    exception: Optional[str] = None        # override the detected exception name
    timeout: int = 240
    expect_rc_nonzero: bool = True
    home_is_project: bool = False          # HOME=workdir (IPython shows ~/...)
    source: str = ""                       # set by run_cases from the caller


_EXC_RE = re.compile(
    r"^(?:\s*\|\s*)?(?:[A-Za-z_][\w]*\.)*([A-Za-z_]\w*(?:Error|Exception|Interrupt|Exit|Group|Warning|Failure|Iteration)|"
    r"KeyboardInterrupt|StopIteration|SystemExit|BrokenProcessPool)\b(?::|\s*$| \()")


def detect_exception(log: str) -> str:
    """Short type name of the exception that ended the run: the last exception
    line at the outermost level (column 0, or the outer box of a group)."""
    best = None  # (indent, name)
    for line in log.splitlines():
        line = re.sub(r"\x1b\[[0-9;]*m", "", line.split("\r")[-1])
        m = _EXC_RE.match(line)
        if not m:
            continue
        indent = m.start(1)
        if best is None or indent <= best[0]:
            best = (indent, m.group(1))
    if best:
        return best[1]
    # lower-case exception classes such as cv2.error
    for line in reversed(log.splitlines()):
        m = re.match(r"^(?:[A-Za-z_]\w*\.)+(error|[A-Z]\w*):", line)
        if m:
            return m.group(1)
    return ""


def anonymise(text: str, work: Path, project: str, home: Optional[Path] = None) -> str:
    subs: List[tuple] = []
    subs.append((str(work), project))
    real = os.path.realpath(work)
    if real != str(work):
        subs.append((real, project))
    subs.append((str(TORCH_VENV), "/home/user/venv"))
    for v in sorted(glob.glob(str(PYENV / "*")), key=len, reverse=True):
        m = re.match(r"(\d+)\.(\d+)", os.path.basename(v))
        if not m:
            continue
        mm = f"{m.group(1)}.{m.group(2)}"
        subs.append((f"{v}/lib/python{mm}/site-packages", f"/usr/local/lib/python{mm}/site-packages"))
        subs.append((f"{v}/lib/python{mm}", f"/usr/lib/python{mm}"))
        subs.append((f"{v}/bin", "/usr/bin"))
        subs.append((v, "/usr"))
    subs.append((str(PYENV.parent), "/home/user/.pyenv"))
    subs.append((str(HERE), "/home/user/project"))
    for a, b in subs:
        text = text.replace(a, b)
    # the interpreter's build dir, embedded in C++ stack symbols
    text = re.sub(re.escape(str(TMP_ROOT)) + r"/python-build\.[^/\s]+/", "/usr/src/", text)
    # any remaining temp dirs (e.g. made by the failing code itself)
    text = re.sub(re.escape(str(TMP_ROOT)) + r"/[A-Za-z0-9_.\-]+", "/home/user/data", text)
    text = text.replace("/root/", "/home/user/").replace("'/root'", "'/home/user'")
    return text


def _toml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_case(case: Case, log: str, pyver: str, out_dir: Path = OUT_DIR) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"{case.name}.log").write_text(log, encoding="utf-8", newline="")
    exc = case.exception or detect_exception(log)
    lines = [f"cause = {_toml_str(case.cause)}"]
    if case.also:
        lines.append("also = [" + ", ".join(_toml_str(a) for a in case.also) + "]")
    lines += [
        f"framework = {_toml_str(case.framework)}",
        f"exception = {_toml_str(exc)}",
        f"source = {_toml_str(case.source)}",
        "forms = [" + ", ".join(_toml_str(f) for f in case.forms) + "]",
    ]
    if pyver:
        lines.append(f"python = {_toml_str(pyver)}")
    (out_dir / f"{case.name}.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


# Light checks that the forms claimed are really in the text.
_FORM_CHECKS = {
    "caret_lines": lambda t: re.search(r"^[\s|]*[~^]*\^[~^]*\s*$", t, re.M),
    "repeated_line": lambda t: "more time" in t,
    "chained_cause": lambda t: "direct cause of the following exception" in t,
    "chained_during": lambda t: "During handling of the above exception" in t,
    "exception_group": lambda t: re.search(r"^\s*\|", t, re.M),
    "syntax_error": lambda t: "SyntaxError" in t or "IndentationError" in t,
    "ipython_cell": lambda t: "Cell In[" in t,
    "ipython_arrows": lambda t: re.search(r"^-*-> +\d", t, re.M),
    "ipython_file_tilde": lambda t: "File ~" in t,
    "dataloader_worker": lambda t: re.search(r"in DataLoader worker process \d|DataLoader worker \(pid", t),
    "remote_traceback": lambda t: "RemoteTraceback" in t or "Traceback (most recent call last)" in t,
    "cpp_frames": lambda t: re.search(r"^Exception raised from .*\n(C\+\+ CapturedTraceback:\n)?(frame )?#\d+ ", t, re.M),
    "progress_bars": lambda t: "\r" in t or "%|" in t,
    "ansi": lambda t: "\x1b[" in t,
    "paths_with_spaces": lambda t: re.search(r'File "[^"]* [^"]*"', t),
    "standalone_exception": lambda t: True,
    "cuda_device_assert": lambda t: "device-side assert" in t,
    "cuda_assert": lambda t: "Assertion `" in t,
    "cuda_oom": lambda t: "out of memory" in t,
}


AUTO_FORMS = ["caret_lines", "repeated_line", "chained_cause", "chained_during", "cpp_frames",
              "dataloader_worker", "ansi"]


def run_case(case: Case) -> str:
    tmp = Path(tempfile.mkdtemp(prefix="eegen-"))
    work = tmp / case.subdir if case.subdir else tmp
    work.mkdir(parents=True, exist_ok=True)
    try:
        for rel, content in case.files.items():
            p = work / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                p.write_bytes(content)
            else:
                p.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
        if case.setup:
            case.setup(work)
        python = case.python or torch_python()
        cmd = [python, *case.argv]
        env = dict(os.environ)
        for k in list(env):
            if k.startswith(("PYTHON", "TORCH_", "FORCE_COLOR", "NO_COLOR", "VIRTUAL_ENV")):
                del env[k]
        env.update({"PYTHONDONTWRITEBYTECODE": "1", "TERM": "xterm-256color", "COLUMNS": "100",
                    "LANG": "C.UTF-8", "OMP_NUM_THREADS": "2", "PYTHONHASHSEED": "0"})
        if case.home_is_project:
            env["HOME"] = str(work)
            env["IPYTHONDIR"] = str(tmp / ".ipython-profile")
        env.update(case.env)
        proc = subprocess.run(cmd, cwd=work, env=env,
                              input=case.stdin.encode() if case.stdin is not None else None,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=case.timeout)
        raw = proc.stdout.decode("utf-8", errors="replace")
        if case.expect_rc_nonzero and proc.returncode == 0:
            raise RuntimeError(f"{case.name}: exited 0\n{raw[-2000:]}")
        log = anonymise(raw, work, case.project)
        if case.subdir:
            log = anonymise(log, tmp, str(Path(case.project).parent))
        pyver = version_of(python)
        return log, pyver
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run_cases(cases: Sequence[Case], source: str, jobs: Optional[int] = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("-k", default="", help="only cases whose name contains this")
    ap.add_argument("-j", type=int, default=jobs or max(2, os.cpu_count() or 2))
    ap.add_argument("--out", default=str(OUT_DIR))
    ap.add_argument("--resume", action="store_true", help="skip cases whose .log already exists")
    args = ap.parse_args()
    out_dir = Path(args.out)
    names = [c.name for c in cases]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise SystemExit(f"duplicate case names: {sorted(dup)}")
    todo = [c for c in cases if args.k in c.name]
    if args.resume:
        todo = [c for c in todo if not (out_dir / f"{c.name}.log").exists()]
    failures = 0

    def one(c: Case):
        c.source = source
        log, pyver = run_case(c)
        # a form written "name?" is kept only when the output really shows it
        forms = []
        for f in c.forms:
            opt = f.endswith("?")
            f = f.rstrip("?")
            if opt and f in _FORM_CHECKS and not _FORM_CHECKS[f](re.sub(r"\x1b\[[0-9;]*m", "", log)):
                continue
            forms.append(f)
        # forms that are unambiguous in the text are added when present
        plain0 = re.sub(r"\x1b\[[0-9;]*m", "", log)
        for f in AUTO_FORMS:
            if f not in forms and _FORM_CHECKS[f](log if f == "ansi" else plain0):
                forms.append(f)
        c.forms = forms
        plain = re.sub(r"\x1b\[[0-9;]*m", "", log)
        bad = [f for f in c.forms if f in _FORM_CHECKS and not _FORM_CHECKS[f](log if f == "ansi" else plain)]
        if bad:
            raise RuntimeError(f"{c.name}: forms not found in output: {bad}\n{log[-3000:]}")
        write_case(c, log, pyver, out_dir)
        n = log.count("\n")
        return f"{c.name}: {c.exception or detect_exception(log)} ({n} lines)" + ("  [LONG]" if n > 200 else "")

    with cf.ThreadPoolExecutor(args.j) as ex:
        futs = {ex.submit(one, c): c for c in todo}
        for f in cf.as_completed(futs):
            try:
                print("ok  ", f.result(), flush=True)
            except Exception as e:  # keep going, report at the end
                failures += 1
                print("FAIL", futs[f].name, e, flush=True)
    print(f"{len(todo) - failures}/{len(todo)} cases written to {out_dir}")
    return 1 if failures else 0


def make_images(root: Path, specs) -> None:
    """specs: iterable of (relative path, (w, h), mode) -> random images.
    mode 'text' writes a non-image file, 'empty' a 0-byte file,
    'truncated' a JPEG cut in half."""
    import io
    import random
    from PIL import Image  # only needed by the torch / imageai generators

    rnd = random.Random(0)
    for rel, size, mode in specs:
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if mode == "text":
            p.write_text("<html><body>404 Not Found</body></html>\n")
            continue
        if mode == "empty":
            p.write_bytes(b"")
            continue
        real_mode = "RGB" if mode == "truncated" else mode
        n = {"L": 1, "RGB": 3, "RGBA": 4, "CMYK": 4, "P": 1}[real_mode]
        data = bytes(rnd.randrange(256) for _ in range(size[0] * size[1] * n))
        img = Image.frombytes(real_mode, size, data)
        if mode == "truncated":
            buf = io.BytesIO()
            img.save(buf, format="JPEG", quality=90)
            b = buf.getvalue()
            p.write_bytes(b[: len(b) // 2])
            continue
        fmt = "PNG" if p.suffix.lower() == ".png" else "JPEG"
        if fmt == "JPEG" and real_mode in ("RGBA", "P"):
            fmt = "PNG"
        img.save(p, format=fmt)


def class_folder(root, classes, per, size=(64, 64), mode="RGB", ext="jpg"):
    """Image specs for `make_images`: `per` images of each class in `root/<class>/`."""
    return [(f"{root}/{c}/{c}_{i:03d}.{ext}", size, mode) for c in classes for i in range(per)]


def imgs(specs):
    """A case's setup that writes these images (see make_images)."""
    return functools.partial(make_images, specs=specs)


def sub(template: str, **kw: str) -> str:
    """A script template with its @@NAME@@ holes filled."""
    for k, v in kw.items():
        template = template.replace(f"@@{k}@@", v)
    assert "@@" not in template, template
    return template


# a tiny notebook runner: every cell goes through a real IPython InteractiveShell
NB_RUNNER = '''
import json, sys
from IPython.core.interactiveshell import InteractiveShell

shell = InteractiveShell.instance(colors="NoColor")
failed = False
for cell in json.load(open("cells.json")):
    res = shell.run_cell(cell, store_history=True)
    failed = not res.success
    if failed:
        break
sys.exit(1 if failed else 0)
'''


def nb(cells):
    """The files of a case whose cells run one by one in a real IPython shell."""
    return {"nb_runner.py": NB_RUNNER, "cells.json": json.dumps(cells)}


def case_builders(prefix: str, scripts: dict[str, str] | None = None, cells: dict[str, list] | None = None):
    """The case list of a generator and the three ways its cases are added to it:
    `add(name, cause, files)`, `script(key, cause)` (one script from `scripts`, run as `argv`
    after the `pre` interpreter arguments) and `notebook(name, cause)` (the cells of `cells`
    run in IPython). Every case is named `prefix + name`."""
    out: list = []

    def add(name, cause, files, forms=("cpython_basic",), **kw):
        out.append(Case(prefix + name, cause, list(forms), files, **kw))

    def script(key, cause, forms=("cpython_basic",), argv="train.py", args=(), extra=None, pre=(), **kw):
        add(key, cause, {argv: scripts[key], **(extra or {})}, forms=forms, argv=[*pre, argv, *args], **kw)

    def notebook(name, cause, forms=("ipython_cell", "ipython_arrows"), files=None, **kw):
        add(name, cause, {**nb(cells[name]), **(files or {})}, forms=forms, argv=["nb_runner.py"],
            home_is_project=True, **kw)

    return out, add, script, notebook


def prep(code: str) -> Callable[[Path], None]:
    """A setup that runs `code` with the torch interpreter in the work dir (files an
    earlier run would have left there: weights, checkpoints, odd images)."""

    def setup(work: Path) -> None:
        (work / "_prep.py").write_text(textwrap.dedent(code))
        subprocess.run([torch_python(), "_prep.py"], cwd=work, check=True, capture_output=True)
        (work / "_prep.py").unlink()
    return setup


def write(rel: str, content) -> Callable[[Path], None]:
    """A setup that writes one file (text or bytes) at `rel` under the work folder."""
    def setup(work: Path) -> None:
        p = work / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content)
    return setup


def yolo_layout(root: str, rows, size=(160, 120), splits=(("train", 6), ("validation", 2)),
                ann: str = "annotations", write_labels: bool = True) -> Callable[[Path], None]:
    """A setup writing the ImageAI / YOLO layout: root/<split>/images/*.jpg and, unless
    write_labels is False, root/<split>/<ann>/*.txt from rows(split, i). `size` is one (w, h) or
    size(split, i) per image."""
    def setup(work: Path) -> None:
        specs = []
        for split, n in splits:
            for i in range(n):
                wh = size(split, i) if callable(size) else size
                specs.append((f"{root}/{split}/images/{split[:3]}_{i:04d}.jpg", wh, "RGB"))
        make_images(work, specs)
        if not write_labels:
            return
        for split, n in splits:
            d = work / root / split / ann
            d.mkdir(parents=True, exist_ok=True)
            for i in range(n):
                (d / f"{split[:3]}_{i:04d}.txt").write_text(rows(split, i))
    return setup


def both(*setups: Callable[[Path], None]) -> Callable[[Path], None]:
    """A setup that runs these setups in order."""
    def setup(work: Path) -> None:
        for s in setups:
            s(work)
    return setup


# ImageAI 3 checkpoints as an earlier training run leaves them, for setups (`prep`): ImageAI's
# default TinyYOLOv3 anchors, a TinyYOLOv3 state dict with its detection config JSON, and a
# torchvision classifier's state dict with the class JSON that ClassificationModelTrainer writes
ANCHORS6 = "[10, 14, 23, 27, 37, 58, 81, 82, 135, 169, 344, 319]"

SAVE_TINY = '''
import json
import os
import torch
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny

for p in ("@@PT@@", "@@JSON@@"):
    os.makedirs(os.path.dirname(p) or ".", exist_ok=True)
anchors = @@ANCHORS@@
torch.manual_seed(0)
torch.save(YoloV3Tiny(anchors=anchors, num_classes=@@NC@@).state_dict(), "@@PT@@")
with open("@@JSON@@", "w") as f:
    json.dump({"labels": @@LABELS@@, "anchors": anchors}, f)
'''


def save_tiny(labels_json, nc, pt, js, anchors=ANCHORS6):
    return prep(sub(SAVE_TINY, ANCHORS=anchors, NC=str(nc), PT=pt, JSON=js, LABELS=labels_json))


SAVE_CLS = '''
import json
import os
import torch
import torchvision

for p in ("@@PT@@", "@@JSON@@"):
    os.makedirs(os.path.dirname(p) or ".", exist_ok=True)
torch.manual_seed(0)
torch.save(torchvision.models.@@ARCH@@(num_classes=@@NC@@).state_dict(), "@@PT@@")
json.dump({str(i): c for i, c in enumerate(@@LABELS@@)}, open("@@JSON@@", "w"))
'''


def save_cls(arch, labels, pt, js):
    n = labels.count(",") + 1
    return prep(sub(SAVE_CLS, ARCH=arch, NC=str(n), PT=pt, JSON=js, LABELS=labels))


# ------------------------------------------------------------------ GPU generators (torch_cuda*.py)
# the cap is a size in GiB, whatever card runs the case (an H100 or an H200 stands in for a small one)
OOM_HEAD = '''
import torch
torch.cuda.set_per_process_memory_fraction(@@GIB@@ * 2**30 / torch.cuda.get_device_properties(0).total_memory)  # @@CARD@@
'''


def oom_head(gib, card):
    return OOM_HEAD.replace("@@GIB@@", gib).replace("@@CARD@@", card)


def shelf(work: Path):
    """shelf/images/*.jpg + a COCO annotations.json: [x, y, w, h] boxes, category ids 1..3."""
    import json

    make_images(work, [(f"shelf/images/shelf_{i:03d}.jpg", (320, 240), "RGB") for i in range(6)])
    boxes = [[[20, 30, 60, 80], [150, 60, 80, 120]], [[40, 20, 100, 90]], [[200, 100, 70, 60], [30, 150, 50, 40]],
             [[90, 40, 120, 150]], [[10, 10, 90, 100], [180, 120, 100, 90]], [[60, 70, 80, 80]]]
    coco = {"images": [{"id": i + 1, "file_name": f"shelf_{i:03d}.jpg", "width": 320, "height": 240}
                       for i in range(6)],
            "annotations": [], "categories": [{"id": 1, "name": "bottle"}, {"id": 2, "name": "can"},
                                              {"id": 3, "name": "carton"}]}
    for i, bs in enumerate(boxes):
        for b in bs:
            n = len(coco["annotations"])
            coco["annotations"].append({"id": n + 1, "image_id": i + 1, "bbox": b, "category_id": 1 + n % 3,
                                        "area": b[2] * b[3], "iscrowd": 0})
    (work / "shelf/annotations.json").write_text(json.dumps(coco, indent=1))


def run_gpu_cases(cases: list, source: str, jobs: int = 4) -> int:
    """`run_cases` for generators whose programs need a CUDA GPU: without one (for the torch
    interpreter) nothing is written; `--no-cuda-check` runs them anyway."""
    if "--no-cuda-check" in sys.argv:
        sys.argv.remove("--no-cuda-check")
    else:
        probe = subprocess.run([torch_python(), "-c", "import torch; raise SystemExit(not torch.cuda.is_available())"],
                               capture_output=True)
        if probe.returncode != 0:
            print(f"{Path(source).name}: no CUDA GPU for the torch interpreter; nothing written", file=sys.stderr)
            return 0
    return run_cases(cases, source, jobs=jobs)

