from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
import tomllib

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus" / "cases"
HELDOUT = ROOT / "heldout"  # held-out rounds, scored apart from the corpus (README)


def corpus_cases(root: Path = CORPUS, prefix: str = "") -> list[tuple[str, Path, dict]]:
    cases = []
    for label in sorted(root.rglob("*.toml")):
        log = label.with_suffix(".log")
        if log.exists():
            name = prefix + str(label.relative_to(root).with_suffix(""))
            cases.append((name, log, tomllib.loads(label.read_text())))
    return cases


def console_script() -> str:
    """The installed `explain-error` of this environment (the real console script)."""
    beside = Path(sys.executable).parent / "explain-error"
    if beside.exists():
        return str(beside)
    found = shutil.which("explain-error")
    if found is None:
        pytest.skip("explain-error is not installed in this environment")
    return found


def drain_pty(master: int, wait: float = 0.5) -> bytes:
    """What a pseudo-terminal holds until it goes quiet for `wait` seconds or closes; closes it."""
    import os
    import select

    seen = b""
    while select.select([master], [], [], wait)[0]:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # EIO: every writer has closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    return seen
