"""`--format json`: the contract of interface.md, schema_version "1", keys in a stable order."""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any

from analyzer.model import Diagnosis, Frame, Report, Traceback

if TYPE_CHECKING:
    from analyzer.probe.replay import ReplayResult
    from analyzer.probe.session import ProbeOutcome

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


def probe_dict(outcome: ProbeOutcome) -> dict[str, Any]:
    """`probe --format json`: the probe contract of interface.md."""
    ds = outcome.dataset
    replay = outcome.replay
    return {
        "schema_version": SCHEMA_VERSION,
        "dataset": {
            "layout": ds.layout,
            "root": str(ds.root),
            "images": ds.images,
            "classes": list(ds.classes) if ds.classes is not None else None,
            "classes_from": ds.classes_from or None,
            "splits": dict(ds.splits),
            "pipeline": outcome.pipeline,
        },
        "findings": [
            {
                "cause": f.cause,
                "check": f.check,
                "severity": f.severity,
                "path": f.path,
                "line": f.line,
                "message": f.message,
            }
            for f in outcome.findings
        ],
        "replay": replay_dict(replay),
        "hypotheses": [
            {"cause": cause, "verdict": verdict.value, "evidence": list(evidence)}
            for cause, verdict, evidence in outcome.hypotheses
        ],
    }


def replay_dict(replay: ReplayResult | None) -> dict[str, Any]:
    if replay is None:
        return {
            "device": None,
            "status": "skipped",
            "steps": 0,
            "error": None,
            "culprits": [],
            "reason": "not run",
        }
    out: dict[str, Any] = {
        "device": replay.device or None,
        "status": replay.status,
        "steps": replay.steps,
        "error": (
            {"type": replay.error.type, "message": replay.error.message} if replay.error is not None else None
        ),
        "culprits": list(replay.culprits),
        "losses": [finite_or_text(x) for x in replay.losses],
        "reason": replay.reason or None,
    }
    if replay.divergence is not None:
        d = replay.divergence
        out["divergence"] = {
            "lr": d.lr, "losses": [finite_or_text(x) for x in d.losses], "nan": d.nan, "diverged": d.diverged,
            "rerun_lr": d.rerun_lr, "rerun_losses": [finite_or_text(x) for x in d.rerun_losses],
            "rerun_nan": d.rerun_nan,
        }  # fmt: skip
    if replay.gpu_memory is not None:
        m = replay.gpu_memory
        out["gpu_memory"] = {
            "batch1_mib": m.batch1_mib, "batch2_mib": m.batch2_mib, "free_mib": m.free_mib,
            "user_batch_size": m.user_batch_size, "predicted_mib": m.predicted_mib,
        }  # fmt: skip
    return out


def finite_or_text(x: float | None) -> float | str | None:
    """JSON has no NaN or infinity: a loss that blew up is written as "nan", "inf" or "-inf"."""
    if x is None or math.isfinite(x):
        return x
    return "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")


def render_probe(outcome: ProbeOutcome) -> str:
    return json.dumps(probe_dict(outcome), indent=2, ensure_ascii=False)
