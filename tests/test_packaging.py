"""A plain `pip install .` (a wheel, not editable) carries the grammar and the rules."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile

import pytest

from .conftest import ROOT


@pytest.mark.slow
def test_wheel_ships_grammar_and_rules(tmp_path):
    # built from a copy: setuptools' build/ directory in the tree keeps files deleted since
    src = tmp_path / "src"
    shutil.copytree(
        ROOT,
        src,
        ignore=shutil.ignore_patterns(".git", ".venv", "build", "*.egg-info", "corpus", "__pycache__"),
    )
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(src)],
        check=True,
        capture_output=True,
    )
    [wheel] = tmp_path.glob("explain_error-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "analyzer/grammar/traceback.lark" in names
    shipped = {n for n in names if n.startswith("analyzer/rules/") and n.endswith(".toml")}
    in_repo = {f"analyzer/rules/{p.relative_to(ROOT / 'rules')}" for p in (ROOT / "rules").rglob("*.toml")}
    assert shipped == in_repo and len(shipped) > 0
