"""`--format sarif`: SARIF 2.1.0, one result per diagnosis, for code-scanning views and SARIF viewers."""

from __future__ import annotations

import json
import re
from pathlib import PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from analyzer.model import Diagnosis, Explained, Frame, Report, Verdict

if TYPE_CHECKING:
    from analyzer.ruleset import Rule

SARIF_SCHEMA = (
    "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json"
)
INFORMATION_URI = "https://pypi.org/project/explain-error/"
UNDIAGNOSED = {
    "id": "undiagnosed",
    "shortDescription": {"text": "A failure no rule knows"},
    "fullDescription": {"text": "The log holds a failure that none of the rules explains."},
    "help": {"text": "Read the exception message and the last frames of the traceback."},
}
_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("explain-error")
    except PackageNotFoundError:
        return "unknown"


def _uri(path: str) -> str:
    """A path as printed in a traceback, as a URI reference: absolute paths become file URIs."""
    if _DRIVE.match(path):
        return PureWindowsPath(path).as_uri()
    path = path.replace("\\", "/")
    if path.startswith("/"):
        return PurePosixPath(path).as_uri()
    return quote(path, safe="/~")  # relative: to the directory the training ran in


def _location(path: str, line: int | None, message: str | None = None) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(path)}}
    if line is not None and line >= 1:
        physical["region"] = {"startLine": line}
    location: dict[str, Any] = {"physicalLocation": physical}
    if message:
        location["message"] = {"text": message}
    return location


def _places(e: Explained, path: str | None, line: int | None) -> dict[str, Any]:
    """The user's frame as the location, and the last frame (where it raised) as a related one."""
    out: dict[str, Any] = {}
    if path is not None:
        out["locations"] = [_location(path, line)]
    raised: Frame | None = e.traceback.frames[-1] if e.traceback.frames else None
    if raised is not None and (raised.path, raised.line) != (path, line):
        where = f"raised in {raised.function}" if raised.function else "raised here"
        out["relatedLocations"] = [_location(raised.path, raised.line, where)]
    return out


def _level(d: Diagnosis, first_of_primary: bool) -> str:
    if d.verdict is Verdict.REFUTED:
        return "note"
    if d.verdict is Verdict.CONFIRMED or (first_of_primary and d.confidence >= 0.8):
        return "error"
    return "warning"


def _result(e: Explained, d: Diagnosis, level: str) -> dict[str, Any]:
    path, line = (d.location.path, d.location.line) if d.location else (None, None)
    return {
        "ruleId": d.rule,
        "level": level,
        "message": {"text": f"{d.cause}: {d.title}"},
        **_places(e, path, line),
        "properties": {
            "cause": d.cause,
            "confidence": round(d.confidence, 3),
            "verdict": d.verdict.value,
            "evidence": list(d.evidence),
            "fixes": list(d.fixes),
            "probe_evidence": list(d.probe_evidence),
        },
    }


def _undiagnosed(e: Explained) -> dict[str, Any]:
    exc = e.traceback.exception
    first = exc.message.splitlines()[0] if exc.message else ""
    loc = e.traceback.location
    return {
        "ruleId": UNDIAGNOSED["id"],
        "level": "warning",
        "message": {"text": ": ".join(part for part in ("undiagnosed", exc.short_type, first) if part)},
        **_places(e, loc.path if loc else None, loc.line if loc else None),
    }


def _descriptor(rule: Rule) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": rule.id,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.why},
        "help": {"text": "\n".join(rule.fixes)},
    }
    if rule.references:
        out["helpUri"] = rule.references[0]
    out["properties"] = {"cause": rule.cause}
    return out


def sarif_dict(report: Report, rules: tuple[Rule, ...]) -> dict[str, Any]:
    """The SARIF log of a report: results in input order, rules sorted by id."""
    results = []
    for i, e in enumerate(report.failures):
        if not e.diagnoses:
            results.append(_undiagnosed(e))
        for rank, d in enumerate(e.diagnoses):
            results.append(_result(e, d, _level(d, i == report.primary and rank == 0)))
    used = {r["ruleId"] for r in results}
    from analyzer.vocabulary import is_guess, vocabulary_rules

    if any(is_guess(u) for u in used):  # guesses from words: one rule per cause
        rules = (*rules, *vocabulary_rules())
    descriptors = [_descriptor(r) for r in sorted(rules, key=lambda r: r.id) if r.id in used]
    if UNDIAGNOSED["id"] in used:
        descriptors.append(dict(UNDIAGNOSED))
    driver = {"name": "explain-error", "version": _version(), "informationUri": INFORMATION_URI}
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {**driver, "rules": descriptors}}, "results": results}],
    }


def render(report: Report, rules: tuple[Rule, ...]) -> str:
    """`--format sarif`: the report as a SARIF 2.1.0 log."""
    return json.dumps(sarif_dict(report, rules), indent=2, ensure_ascii=False)
