"""The shipped JSON Schemas (draft 2020-12) of `--format json` and `probe --format json`."""

from __future__ import annotations

from pathlib import Path

from analyzer.errors import InputError

KINDS = ("trace", "probe")
SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schema"


def schema_path(kind: str = "trace") -> Path:
    """The schema file of one output: `trace` (explain) or `probe`."""
    if kind not in KINDS:
        raise InputError(f"unknown schema kind {kind!r}: one of {', '.join(KINDS)}")
    return SCHEMA_DIR / f"{kind}.schema.json"


def schema_text(kind: str = "trace") -> str:
    """The schema of one output as shipped, ready to print."""
    return schema_path(kind).read_text(encoding="utf-8")
