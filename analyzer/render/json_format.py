"""`--format json`: the contract of interface.md, schema_version "1", keys in a stable order."""

from __future__ import annotations

import json
from typing import Any

from analyzer.model import Diagnosis, Frame, Report, Traceback

SCHEMA_VERSION = "1"


def frame_dict(frame: Frame) -> dict[str, Any]:
    return {
        "path": frame.path,
        "line": frame.line,
        "function": frame.function,
        "code": frame.code,
        "user_code": frame.user_code,
    }


def diagnosis_dict(d: Diagnosis) -> dict[str, Any]:
    return {
        "cause": d.cause,
        "rule": d.rule,
        "confidence": round(d.confidence, 3),
        "title": d.title,
        "explanation": d.explanation,
        "evidence": list(d.evidence),
        "fixes": list(d.fixes),
        "location": {"path": d.location.path, "line": d.location.line} if d.location else None,
        "verdict": d.verdict.value,
        "probe_evidence": list(d.probe_evidence),
    }


def traceback_dict(tb: Traceback, diagnoses: tuple[Diagnosis, ...]) -> dict[str, Any]:
    loc = tb.location
    return {
        "framework": tb.framework,
        "exception": {
            "type": tb.exception.short_type,
            "message": tb.exception.message,
            "qualified_type": tb.exception.type,
        },
        "frames": [frame_dict(f) for f in tb.frames],
        "span": {"start_line": tb.span.start_line, "end_line": tb.span.end_line},
        "diagnoses": [diagnosis_dict(d) for d in diagnoses],
        "location": {"path": loc.path, "line": loc.line} if loc else None,
        "chain": [
            {"relation": c.relation, "type": c.exception.short_type, "message": c.exception.message}
            for c in tb.chain
        ],
        "ops": list(tb.ops),
        "kernel_asserts": list(tb.kernel_asserts),
        "native_frames": [{"library": f.path, "symbol": f.function} for f in tb.native_frames],
    }


def report_dict(report: Report) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "tracebacks": [traceback_dict(e.traceback, e.diagnoses) for e in report.failures],
        "primary": report.primary,
        "dropped": report.dropped,
    }


def render(report: Report) -> str:
    return json.dumps(report_dict(report), indent=2, ensure_ascii=False)
