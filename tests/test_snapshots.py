"""What people and editors see, pinned: rich at 80 columns, json, sarif and line on real cases.

After an intended change of output: pytest tests/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

import io
import os
import pty
import subprocess

import pytest
from rich.console import Console

from analyzer.explain import explain_chunks
from analyzer.render import json_format, line_format, rich_format, sarif_format
from analyzer.ruleset import shipped_rules

from .conftest import CORPUS, console_script, drain_pty

CASES = [
    "generated/torch-collate-size-mismatch-workers",
    "generated/keras-label-oor-sparse-from-one",
    "public/pytorch-unet-device-assert-n-classes",
    "generated/py311-exception-group-taskgroup",
]


def report_of(name: str):
    return explain_chunks([(CORPUS / f"{name}.log").read_bytes()], name)


@pytest.mark.parametrize("name", CASES)
def test_rich_at_80_columns(name, snapshot):
    buf = io.StringIO()
    rich_format.render(report_of(name), Console(file=buf, width=80, color_system=None, highlight=False))
    text = buf.getvalue()
    assert max(len(line) for line in text.splitlines()) <= 80
    assert text == snapshot


@pytest.mark.parametrize("name", CASES)
def test_json(name, snapshot):
    assert json_format.render(report_of(name)) == snapshot


@pytest.mark.parametrize("name", CASES)
def test_sarif(name, snapshot):
    assert sarif_format.render(report_of(name), shipped_rules()) == snapshot


@pytest.mark.parametrize("name", CASES)
def test_line(name, snapshot):
    assert line_format.render(report_of(name)) == snapshot


def _on_a_terminal(env: dict[str, str]) -> bytes:
    master, slave = pty.openpty()
    log = CORPUS / f"{CASES[0]}.log"
    proc = subprocess.Popen([console_script(), str(log)], stdout=slave, stderr=slave, env=env)
    os.close(slave)
    out = drain_pty(master, 10)
    proc.wait(timeout=30)
    return out


def test_colour_on_a_terminal_and_none_with_no_color():
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TERM")}
    env["TERM"] = "xterm-256color"
    assert b"\x1b[" in _on_a_terminal(env)
    assert b"\x1b[" not in _on_a_terminal({**env, "NO_COLOR": "1"})
