"""Shared recorder for the TensorFlow / Keras generators (tf_*.py, keras_*.py).

Each case is a small, real training script.  The recorder writes it to a fresh
temporary "home" (``<tmp>/project/<script>``, data under ``<tmp>/data``), runs it
in a child interpreter of one of the TensorFlow environments, captures stdout and
stderr together (optionally through a pseudo-terminal, so Keras draws its
progress bar with carriage returns and colours), anonymises paths
programmatically and writes ``NAME.log`` + ``NAME.toml`` into
``corpus/cases/generated/``.

Nothing in a log is written by hand: the only edits are path replacements.

Environments (override the venv locations with the environment variables,
optionally prefixed EE_, e.g. EE_TF_VENV):

- ``k3``     TF_VENV     (default /work/venvs/tf):    tensorflow-cpu 2.21 + Keras 3
- ``tfk2``   TF_VENV     with TF_USE_LEGACY_KERAS=1:   tensorflow-cpu 2.21 + tf_keras 2.21 (Keras 2)
- ``tf215``  TF215_VENV  (default /work/venvs/tf215): tensorflow-cpu 2.15.1 (bundled Keras 2.15)
- ``tf212``  TF212_VENV  (default /work/venvs/tf212): tensorflow-cpu 2.12.1 (bundled Keras 2.12)

An environment that is not installed is skipped with a message (its cases are
left as they are on disk).
"""
from __future__ import annotations

import dataclasses
import errno
import os
import re
import resource
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import termios
import textwrap
import time
from pathlib import Path
from typing import Callable, Optional

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent  # repository root
OUT_DIR = ROOT / "corpus" / "cases" / "generated"
FAILED_DIR = Path(tempfile.gettempdir()) / "tfrec_failed"

def _venv(name: str, default: str) -> str:
    return os.environ.get("EE_" + name) or os.environ.get(name) or default


VENVS = {
    "k3": _venv("TF_VENV", "/work/venvs/tf"),
    "tfk2": _venv("TF_VENV", "/work/venvs/tf"),
    "tf215": _venv("TF215_VENV", "/work/venvs/tf215"),
    "tf212": _venv("TF212_VENV", "/work/venvs/tf212"),
}
EXTRA_ENV = {
    "k3": {},
    "tfk2": {"TF_USE_LEGACY_KERAS": "1"},
    "tf215": {},
    "tf212": {},
}

# Address space cap for every child (bytes): a safety net so that a case that
# asks for a huge tensor fails at once instead of hurting the machine.
AS_LIMIT = int(os.environ.get("TFREC_AS_LIMIT", str(20 * 1024**3)))


@dataclasses.dataclass
class Case:
    name: str                      # tf-... or keras-...
    cause: str                     # taxonomy id
    code: str                      # the training script; {DATA} and {PROJECT} are substituted
    exception: str                 # short name of the final exception, "" when none is raised
    env: str = "k3"
    framework: str = "keras"       # tensorflow | keras
    forms: tuple = ()              # forms that cannot be detected automatically
    also: tuple = ()
    script: str = "train.py"
    setup: Optional[Callable[[Path], None]] = None   # called with the data dir before the run
    pty: bool = False
    timeout: int = 300
    as_limit: int = 0              # address-space cap for this case (bytes); 0: AS_LIMIT
    note: str = ""                 # a short comment written into the toml
    expect: str = ""               # text the output must contain (checked, never inserted)


# ---------------------------------------------------------------- versions
_versions_cache: dict = {}


def env_python(env: str) -> Path:
    return Path(VENVS[env]) / "bin" / "python"


def env_versions(env: str) -> str:
    if env in _versions_cache:
        return _versions_cache[env]
    probe = (
        "import importlib.metadata as m\n"
        "def v(n):\n"
        "    try: return m.version(n)\n"
        "    except Exception: return None\n"
        "tf = v('tensorflow-cpu') or v('tensorflow')\n"
        "print(tf, v('keras'), v('tf-keras'))\n"
    )
    out = subprocess.run([str(env_python(env)), "-c", probe], capture_output=True, text=True,
                         check=True).stdout.split()
    tf, keras, tfk = out
    if env == "tfk2":
        s = f"tensorflow {tf} / tf_keras {tfk}"
    else:
        s = f"tensorflow {tf} / keras {keras}"
    _versions_cache[env] = s
    return s


# ---------------------------------------------------------------- anonymising
def _stdlib_prefix() -> str:
    # the base interpreter behind the venvs, e.g. /root/.pyenv/versions/3.11.7
    return os.path.realpath(sys.base_prefix)


def anonymise(text: str, home: Path, venv: str) -> str:
    home_s = os.path.realpath(str(home))
    reps = [
        (os.path.realpath(venv), "/home/user/venv"),
        (venv, "/home/user/venv"),
        (home_s, "/home/user"),
        (str(home), "/home/user"),
        (_stdlib_prefix() + "/lib/python3.11", "/usr/lib/python3.11"),
        (_stdlib_prefix(), "/usr"),
        ("/root/", "/home/user/"),
    ]
    for a, b in reps:
        text = text.replace(a, b)
    # temporary files TF or Keras create themselves
    text = re.sub(r"/tmp/tmp[A-Za-z0-9_]+", "/home/user/tmp", text)
    # XLA's op-definition stack traces (Keras 3 compiles convolutions with XLA) print file paths
    # without their leading slash
    for v in {os.path.realpath(venv), venv}:
        text = text.replace(v.lstrip("/") + "/", "home/user/venv/")
    return re.sub(r"(?<![\w/])tmp/tfrec_[A-Za-z0-9_]+/", "home/user/", text)


# ---------------------------------------------------------------- running
_current_limit = AS_LIMIT


def _limits():
    os.setsid()
    resource.setrlimit(resource.RLIMIT_AS, (_current_limit, _current_limit))


def _run_pipe(cmd, cwd, env, timeout):
    p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         stdin=subprocess.DEVNULL, preexec_fn=_limits)
    try:
        out, _ = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, _ = p.communicate()
        raise RuntimeError(f"timeout after {timeout}s")
    return p.returncode, out


def _run_pty(cmd, cwd, env, timeout):
    import fcntl
    import struct
    master, slave = os.openpty()
    attrs = termios.tcgetattr(slave)
    attrs[1] &= ~termios.ONLCR          # keep "\n" as "\n"; only the program's own "\r" remain
    termios.tcsetattr(slave, termios.TCSANOW, attrs)
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    env = dict(env, TERM="xterm-256color", COLUMNS="120", LINES="40")
    p = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=slave, stdout=slave, stderr=slave,
                         preexec_fn=_limits)
    os.close(slave)
    chunks = []
    deadline = time.time() + timeout
    while True:
        if time.time() > deadline:
            os.killpg(p.pid, signal.SIGKILL)
            raise RuntimeError(f"timeout after {timeout}s")
        r, _, _ = select.select([master], [], [], 1.0)
        if master in r:
            try:
                data = os.read(master, 65536)
            except OSError as e:
                if e.errno == errno.EIO:
                    break
                raise
            if not data:
                break
            chunks.append(data)
        elif p.poll() is not None:
            # drain whatever is left
            try:
                while True:
                    r, _, _ = select.select([master], [], [], 0.2)
                    if not r:
                        break
                    data = os.read(master, 65536)
                    if not data:
                        break
                    chunks.append(data)
            except OSError:
                pass
            break
    os.close(master)
    p.wait()
    return p.returncode, b"".join(chunks)


# ---------------------------------------------------------------- form detection
# (a process pool's BrokenProcessPool is an exception whose name says so only in words)
EXC_LINE = re.compile(
    r"^((?:[A-Za-z_][\w]*\.)*([A-Za-z_]\w*(?:Error|Exception|Exit|Interrupt|Warning)|BrokenProcessPool))(?::|$)"
)
# TensorFlow/absl log lines printed after the exception (checkpoint warnings at exit): not message
TF_LOG_LINE = re.compile(r"^(?:(?:WARNING|INFO|ERROR):tensorflow:|[IWEF]\d{4} |\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)")


ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")  # colour codes, which IPython and Keras print
# IPython's own header: `BrokenProcessPool      Traceback (most recent call last)` (no colon)
IPYTHON_HEADER = re.compile(r"^\S+\s+Traceback \(most recent call last\)\s*$")


def final_exception(text: str) -> str:
    """Short type name of the exception that ended the run: the first unindented
    exception line after the frames of the last traceback, Python's or IPython's (lines
    inside a multi-line message, e.g. a TypeError quoted inside a TF error, do not count)."""
    lines = ANSI.sub("", text).splitlines()
    start = None
    for i, line in enumerate(lines):
        if line.startswith("Traceback (most recent call last):") or IPYTHON_HEADER.match(line):
            start = i
    if start is None:
        last = ""
        for line in lines:
            m = EXC_LINE.match(line)
            if m:
                last = m.group(2)
        return last
    for line in lines[start + 1:]:
        m = EXC_LINE.match(line)
        if m:
            return m.group(2)
    return ""


def detect_forms(text: str) -> list:
    f = []
    plain = ANSI.sub("", text)
    if "Traceback (most recent call last):" in text:
        f.append("cpython_basic")
    if re.search(r"^\s+[~^]*\^[~^]*\s*$", plain, re.M):
        f.append("caret_lines")
    if "The above exception was the direct cause of the following exception" in text:
        f.append("chained_cause")
    if "During handling of the above exception, another exception occurred" in text:
        f.append("chained_during")
    if re.search(r"^\s*\[Previous line repeated \d+ more times?\]", text, re.M):
        f.append("repeated_line")
    if "Graph execution error:" in text:
        f.append("tf_graph_execution")
    if "Detected at node" in text:
        f.append("tf_detected_at_node")
    if "[[{{node " in text:
        f.append("tf_node_brackets")
    if "Function call stack:" in text:  # Keras' `in user code:` blocks name no tf.function
        f.append("tf_function_call_stack")
    if "tensorflow.python.framework.errors_impl." in text:
        f.append("tf_errors_impl")
    # Keras 3: "Exception encountered when calling Dense.call()." and
    # "Arguments received by Dense.call():"; Keras 2 prints "... calling layer
    # 'dense' (type Dense)." and "Call arguments received by layer ...", which is
    # not this form
    if re.search(r"Exception encountered when calling \w+\.call\(\)", plain):
        f.append("keras3_layer_call")
    if re.search(r"\r(?!\n)", text):  # a bar redrawn in place; a Windows line end is not one
        f.append("progress_bars")
    if "\x1b[" in text:
        f.append("ansi")
    # IPython prints its own traceback (`Cell In[3], line 5`, `File ~/...`), which is not a bare line
    ipython = "Cell In[" in text
    if ipython and re.search(r"^File ~", plain, re.M):
        f.append("ipython_file_tilde")
    if final_exception(text) and "Traceback (most recent call last):" not in text and not ipython:
        f.append("standalone_exception")
    # multi-line message: after the last exception line of the last traceback,
    # more non-empty lines follow that are not TF log lines
    if "Traceback (most recent call last):" in text:
        tail = text[text.rfind("Traceback (most recent call last):"):]
        lines = tail.splitlines()
        idx = None
        for i, line in enumerate(lines):
            if EXC_LINE.match(line):
                idx = i
        if idx is not None:
            rest = [l for l in lines[idx + 1:] if l.strip() and not TF_LOG_LINE.match(l)]
            if rest:
                f.append("multiline_message")
    return f


# ---------------------------------------------------------------- toml
def _q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_toml(path: Path, case: Case, forms: list, source: str, versions: str):
    lines = [f"cause = {_q(case.cause)}"]
    if case.also:
        lines.append("also = [" + ", ".join(_q(a) for a in case.also) + "]")
    lines += [
        f"framework = {_q(case.framework)}",
        f"exception = {_q(case.exception)}",
        f"source = {_q(source)}",
        "forms = [" + ", ".join(_q(x) for x in forms) + "]",
        'python = "3.11"',
        f"versions = {_q(versions)}",
    ]
    if case.note:
        lines.append(f"note = {_q(case.note)}")
    path.write_text("\n".join(lines) + "\n")


# ---------------------------------------------------------------- main entry
def run_case(case: Case, source: str) -> bool:
    assert case.name.startswith(("tf-", "keras-")), case.name
    py = env_python(case.env)
    if not py.exists():
        print(f"SKIP {case.name}: environment {case.env} not installed ({py})")
        return True
    versions = env_versions(case.env)
    tmp = Path(tempfile.mkdtemp(prefix="tfrec_"))
    try:
        project = tmp / "project"
        data = tmp / "data"
        project.mkdir()
        data.mkdir()
        if case.setup:
            case.setup(data)
        code = textwrap.dedent(case.code).lstrip("\n")
        code = code.replace("{DATA}", str(data)).replace("{PROJECT}", str(project))
        (project / case.script).write_text(code)
        env = {
            "PATH": f"{VENVS[case.env]}/bin:/usr/local/bin:/usr/bin:/bin",
            "HOME": str(tmp),
            "LANG": "C.UTF-8",
            "PYTHONUNBUFFERED": "1",
            "PYTHONHASHSEED": "0",
            "VIRTUAL_ENV": VENVS[case.env],
            "CUDA_VISIBLE_DEVICES": "",
        }
        env.update(EXTRA_ENV[case.env])
        cmd = [str(py), case.script]
        global _current_limit
        _current_limit = case.as_limit or AS_LIMIT
        runner = _run_pty if case.pty else _run_pipe
        rc, raw = runner(cmd, str(project), env, case.timeout)
        text = raw.decode("utf-8", errors="replace")
        text = anonymise(text, tmp, VENVS[case.env])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    got = final_exception(text) if "Traceback (most recent call last):" in text or case.exception else ""
    ok = True
    if case.exception and got != case.exception:
        # a TF error may quote a whole Python traceback inside its message (PyFunc,
        # from_generator): accept the label when the expected type is printed as an
        # exception line and the run failed
        named = {m.group(2) for m in map(EXC_LINE.match, text.splitlines()) if m}
        if rc != 0 and case.exception in named:
            print(f"note {case.name}: last traceback ends in {got!r}; label says {case.exception!r}")
        else:
            print(f"FAIL {case.name}: expected exception {case.exception!r}, got {got!r} (rc={rc})")
            ok = False
    if not case.exception and rc != 0 and "Traceback" in text:
        print(f"FAIL {case.name}: expected no exception but rc={rc}")
        ok = False
    if case.expect and case.expect not in text:
        print(f"FAIL {case.name}: output lacks {case.expect!r}")
        ok = False
    if re.search(r"/tmp/(?!__autograph_generated_file)", text) or "/work/" in text:
        print(f"WARN {case.name}: a path was left un-anonymised")
    forms = detect_forms(text)
    for f in case.forms:
        if f not in forms:
            forms.append(f)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    log_path = OUT_DIR / f"{case.name}.log"
    toml_path = OUT_DIR / f"{case.name}.toml"
    if not ok:
        FAILED_DIR.mkdir(parents=True, exist_ok=True)
        (FAILED_DIR / f"{case.name}.log").write_text(text)
        print(f"     output kept in {FAILED_DIR / (case.name + '.log')}")
        return False
    with open(log_path, "w", newline="") as fh:
        fh.write(text)
    write_toml(toml_path, case, forms, source, versions)
    print(f"ok   {case.name}: {case.exception or '(no exception)'} {forms}")
    return True


def main(cases: list, source_file: str):
    """Run the cases named on the command line (all by default): `NAME ...`, `-k TEXT` (names
    containing it), `-j N` (cases at once), `--out DIR` (default corpus/cases/generated)."""
    global OUT_DIR
    import argparse
    import concurrent.futures as cf

    ap = argparse.ArgumentParser()
    ap.add_argument("names", nargs="*", help="only these cases")
    ap.add_argument("-k", default="", help="only cases whose name contains this")
    ap.add_argument("-j", type=int, default=1)
    ap.add_argument("--out", default=str(OUT_DIR), help="where to write NAME.log + NAME.toml")
    args = ap.parse_args()
    OUT_DIR = Path(args.out)  # run_case writes there
    source = "corpus/generators/" + Path(source_file).name
    names = [c.name for c in cases]
    dup = {n for n in names if names.count(n) > 1}
    assert not dup, f"duplicate case names {sorted(dup)}"
    todo = [c for c in cases if (not args.names or c.name in args.names) and args.k in c.name]
    with cf.ThreadPoolExecutor(max(1, args.j)) as ex:
        results = dict(zip([c.name for c in todo], ex.map(lambda c: run_case(c, source), todo)))
    failed = [n for n, ok in results.items() if not ok]
    print(f"{len(todo) - len(failed)}/{len(todo)} cases written to {args.out}")
    if failed:
        print("failed:", " ".join(failed))
        sys.exit(1)


# ---------------------------------------------------------------- data helpers
def make_images(folder: Path, classes, per_class: int = 4, size=(32, 32), mode: str = "RGB",
                fmt: str = "png", sizes=None, seed: int = 0):
    """Write a small class-per-folder image tree (real, decodable images).

    ``sizes``: optional list of (w, h) cycled over the images (mixed sizes)."""
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    k = 0
    for c in classes:
        d = folder / c
        d.mkdir(parents=True, exist_ok=True)
        for i in range(per_class):
            w, h = sizes[k % len(sizes)] if sizes else size
            k += 1
            chans = {"L": 1, "RGB": 3, "RGBA": 4}[mode]
            arr = rng.integers(0, 255, size=(h, w, chans), dtype=np.uint8)
            img = Image.fromarray(arr[..., 0] if chans == 1 else arr)
            ext = "jpg" if fmt == "jpeg" else fmt
            img.save(d / f"{c}_{i:03d}.{ext}")
    return folder


# ---------------------------------------------------------------- notebooks
# The TF environments have no IPython: a notebook case links IPython and its pure-Python
# dependencies from the torch environment (same CPython 3.11) into the case's project folder.
_IPY_DISTS = {"ipython", "traitlets", "jedi", "parso", "decorator", "pexpect", "ptyprocess",
              "pickleshare", "backcall", "matplotlib_inline", "prompt_toolkit", "wcwidth",
              "stack_data", "executing", "asttokens", "pure_eval", "pygments"}


def link_ipython(project: Path):
    import _record

    site = _record.TORCH_VENV / "lib" / "python3.11" / "site-packages"
    for entry in site.iterdir():
        name = entry.name
        base = name.split("-")[0] if name.endswith(".dist-info") else name.removesuffix(".py")
        if base.lower() in _IPY_DISTS:
            (project / name).symlink_to(entry)


def notebook(cells, data=None):
    """Case arguments for cells run one by one in a real IPython shell (`{DATA}` in a cell is the
    case's data folder; `data` writes it)."""
    from _record import nb

    files = nb([textwrap.dedent(c).strip("\n") for c in cells])

    def setup(d: Path):
        if data:
            data(d)
        project = d.parent / "project"
        link_ipython(project)
        (project / "cells.json").write_text(files["cells.json"].replace("{DATA}", str(d)))

    return dict(code=files["nb_runner.py"], setup=setup, script="nb_runner.py",
                forms=("ipython_cell", "ipython_arrows"))


def prep(env: str, code: str, cwd: Path):
    """Run `code` with one TF environment's interpreter in the data folder (files an
    earlier run would have left there: weights, shards, .mat files)."""
    py = env_python(env)
    e = {
        "PATH": f"{VENVS[env]}/bin:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(cwd),
        "LANG": "C.UTF-8",
        "CUDA_VISIBLE_DEVICES": "",
        "TF_CPP_MIN_LOG_LEVEL": "3",
    }
    e.update(EXTRA_ENV[env])
    r = subprocess.run([str(py), "-c", textwrap.dedent(code)], cwd=str(cwd), capture_output=True, text=True,
                       env=e)
    if r.returncode != 0:
        raise RuntimeError(f"prep failed:\n{r.stdout}\n{r.stderr}")


def both(*setups):
    """One setup that runs several in turn."""
    def run(d: Path):
        for s in setups:
            s(d)
    return run


def rng(seed=0):
    """A seeded NumPy generator for the images a case's setup writes."""
    import numpy as np

    return np.random.default_rng(seed)


def rgb(h, w, seed=0):
    """A seeded random RGB image (uint8), as setups write them."""
    return rng(seed).integers(0, 255, size=(h, w, 3), dtype="uint8")


def save_png(path: Path, arr, mode=None):
    """Write an array as a PNG (PIL mode when given), making the folder."""
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    (Image.fromarray(arr, mode=mode) if mode else Image.fromarray(arr)).save(path)


def save_jpg(path: Path, arr, quality: int = 90):
    """Write an array as a JPEG, making the folder."""
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(arr).save(path, quality=quality)


# a small image classifier for (48, 48, 3) inputs and NUM_CLASSES classes, as case code inserts it
# (`"@@CNN@@".replace(..., cnn_code())`, at the indent of the script it goes into)
CNN = """
model = keras.Sequential([
    keras.Input((48, 48, 3)),
    layers.Rescaling(1.0 / 255),
    layers.Conv2D(16, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(32, 3, activation="relu"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(NUM_CLASSES, activation="softmax"),
])
"""


def cnn_code(indent: str = "        ") -> str:
    return "\n".join((indent + line) if line else line for line in CNN.strip("\n").splitlines()).lstrip()
