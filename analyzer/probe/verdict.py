"""Hypotheses + what the probe saw -> a verdict for each: confirmed, refuted, inconclusive, untested."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from analyzer.model import Diagnosis, Finding, Location, Traceback, Verdict, replace

if TYPE_CHECKING:
    from analyzer.probe.layouts import Dataset
    from analyzer.probe.replay import ReplayResult

MAX_EVIDENCE = 8
# Causes the static checks read directly in the data, and the checks' verdict when they find nothing.
CHECKED_CAUSES = frozenset(
    {
        "data.image_size_mismatch",
        "data.image_channels",
        "data.bbox_invalid",
        "data.label_out_of_range",
        "data.missing_or_corrupt",
        "data.too_few_boxes",
    }
)
_DETECTION = ("imageai-yolo", "voc", "ultralytics-yolo")
_VERDICT_ORDER = {Verdict.CONFIRMED: 0, Verdict.UNTESTED: 1, Verdict.INCONCLUSIVE: 1, Verdict.REFUTED: 2}
_LR = re.compile(r"\b(?:lr|learning_rate|learning rate)\b\s*[=:]?\s*(?P<lr>\d+(?:\.\d+)?(?:e-?\d+)?)", re.I)


@dataclass(frozen=True)
class Judged:
    verdict: Verdict
    evidence: tuple[str, ...]


def pipeline_for(layout: str, framework: str | None = None) -> str:
    """The loader whose tolerance decides what is an error: ImageAI 3, torchvision, or Keras."""
    if framework == "keras" or framework == "tensorflow" and layout == "imagefolder":
        return "keras"
    return "imageai" if layout in _DETECTION else "torchvision"


def learning_rate(tb: Traceback | None) -> float | None:
    """A learning rate the log itself states (`lr=0.5`, `learning_rate: 0.1`), if any."""
    if tb is None:
        return None
    text = "\n".join((*tb.context, tb.exception.message))
    m = _LR.search(text)
    return float(m.group("lr")) if m else None


def finding_line(f: Finding) -> str:
    where = f"{f.path}:{f.line}" if f.line else f.path
    return f"{where}: {f.message}"


def _cause_findings(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    by_cause: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        by_cause[f.cause].append(f)
    return by_cause


def _summarise(found: list[Finding]) -> tuple[str, ...]:
    lines = [finding_line(f) for f in found[:MAX_EVIDENCE]]
    if len(found) > MAX_EVIDENCE:
        lines.append(f"... and {len(found) - MAX_EVIDENCE} more")
    return tuple(lines)


def _replay_says(replay: ReplayResult | None, cause: str) -> tuple[bool, tuple[str, ...]]:
    """Whether the replay failed with this very cause, and what it showed."""
    if replay is None or replay.status != "failed" or replay.error is None:
        return False, ()
    from analyzer.probe.replay import replay_failure

    explained = replay_failure(replay)
    causes = [d.cause for d in explained.diagnoses] if explained else []
    first = replay.error.message.splitlines()[0] if replay.error.message else ""
    evidence = [f"the replay on your data failed on {replay.device}: {replay.error.type}: {first}"]
    if replay.culprits:
        evidence.append("files that make it fail: " + ", ".join(replay.culprits[:MAX_EVIDENCE]))
    return bool(causes) and causes[0] == cause, tuple(evidence)


def judge(
    cause: str,
    ds: Dataset,
    findings: list[Finding],
    replay: ReplayResult | None,
    tb: Traceback | None = None,
) -> Judged:
    """The verdict on one cause from the static findings and the replay."""
    by_cause = _cause_findings(findings)
    errors = [f for f in by_cause.get(cause, []) if f.severity == "error"]
    warnings = [f for f in by_cause.get(cause, []) if f.severity == "warning"]
    replayed, replay_evidence = _replay_says(replay, cause)
    if errors or replayed:
        return Judged(Verdict.CONFIRMED, _summarise(errors) + replay_evidence)
    if cause in CHECKED_CAUSES:
        return _judge_checked(cause, ds, warnings, by_cause, replay)
    if cause == "optim.divergence":
        return _judge_divergence(replay, tb)
    if cause == "resource.gpu_oom":
        return _judge_memory(replay, tb)
    if cause.startswith(("data.", "model.")) and replay is not None and replay.status == "ok":
        return Judged(
            Verdict.INCONCLUSIVE,
            (f"a training step on a sample of your data ran on {replay.device}, but with a stock model "
             "and loss, not yours: a fault in your own model or loss code is not tested",),
        )  # fmt: skip
    return Judged(Verdict.UNTESTED, ("no check of the data or replay can show this cause",))


def _judge_checked(
    cause: str,
    ds: Dataset,
    warnings: list[Finding],
    by_cause: dict[str, list[Finding]],
    replay: ReplayResult | None,
) -> Judged:
    if cause in ("data.bbox_invalid", "data.too_few_boxes") and ds.layout not in _DETECTION:
        return Judged(Verdict.INCONCLUSIVE, (f"the data is an {ds.layout} set: it has no boxes to check",))
    if cause == "data.label_out_of_range" and ds.classes is None:
        return Judged(
            Verdict.INCONCLUSIVE,
            ("no class list: pass --classes a,b,c or --config (the detection config JSON or data.yaml)",),
        )
    if not ds.samples:
        return Judged(Verdict.INCONCLUSIVE, ("the dataset holds no images",))
    evidence = [f"checked {ds.images} images of the {ds.layout} set at {ds.root}: no such problem"]
    if warnings:
        evidence = [
            f"{len(warnings)} files have this quirk, but the pipeline in use tolerates it:",
            *_summarise(warnings),
        ]
    if replay is not None and replay.status == "ok":
        evidence.append(f"a training step on a sample of your data ran without error on {replay.device}")
    return Judged(Verdict.REFUTED, tuple(evidence))


def _judge_divergence(replay: ReplayResult | None, tb: Traceback | None) -> Judged:
    div = replay.divergence if replay is not None else None
    if div is None:
        reason = (
            "no learning rate in the log: pass --lr to replay at yours" if learning_rate(tb) is None else ""
        )
        return Judged(Verdict.INCONCLUSIVE, (reason or "the replay did not run",))
    losses = ", ".join(f"{x:.4g}" for x in div.losses[:8])
    if div.diverged:
        rerun = ", ".join(f"{x:.4g}" for x in div.rerun_losses[:8])
        how = "not finite" if div.nan else "more than 1000 times its start"
        calm = "still diverged" if div.rerun_diverged else "stable"
        return Judged(
            Verdict.CONFIRMED,
            (f"at lr={div.lr:g} the loss on your data went {losses}: {how}",
             f"at lr={div.rerun_lr:g} (a tenth): {rerun} ({calm})"),
        )  # fmt: skip
    return Judged(Verdict.REFUTED, (f"at lr={div.lr:g} the loss on your data stayed bounded: {losses}",))


_OOM = re.compile(
    r"Tried to allocate (?P<req>[\d.]+ [GMK]iB).*?(?:(?P<total>[\d.]+ [GMK]iB) total capacity|"
    r"total capacity of (?P<total2>[\d.]+ [GMK]iB)).*?(?P<free>[\d.]+ [GMK]iB) (?:is )?free",
    re.S,
)


def _judge_memory(replay: ReplayResult | None, tb: Traceback | None) -> Judged:
    mem = replay.gpu_memory if replay is not None else None
    m = _OOM.search(tb.exception.message) if tb is not None else None
    log_total = m.group("total") or m.group("total2") if m else None
    if mem is not None and mem.predicted_mib is not None:
        # the log's own card, when it says: the probe may run on another GPU than the one that failed
        budget, where = mem.free_mib, "free here"
        if log_total and _mib(log_total) < budget:
            budget, where = _mib(log_total), f"on the GPU in the log ({log_total})"
        line = (
            f"measured {mem.batch1_mib:.0f} MiB at batch 1 and {mem.batch2_mib:.0f} MiB at batch 2: "
            f"batch {mem.user_batch_size} needs about {mem.predicted_mib:.0f} MiB, {budget:.0f} MiB {where}"
        )
        if mem.predicted_mib > budget:
            return Judged(Verdict.CONFIRMED, (line,))
        if tb is None:
            return Judged(Verdict.REFUTED, (line,))
        # the log shows the GPU did run out: the batch of your data fits, so the memory went elsewhere
        return Judged(
            Verdict.INCONCLUSIVE,
            (line, "your images at that batch size fit: look at a larger model than the replay's, tensors "
                   "kept across steps (a loss summed without .item()), or another process on the GPU"),
        )  # fmt: skip
    evidence = [
        mem.reason if mem is not None and mem.reason else "no CUDA device here: GPU memory cannot be measured"
    ]
    if m:
        evidence.append(
            f"from the log: it tried to allocate {m.group('req')} with {m.group('free')} free of {log_total}"
        )
    return Judged(Verdict.INCONCLUSIVE, tuple(evidence))


def _mib(size: str) -> float:
    number, unit = size.split()
    return float(number) * {"GiB": 1024.0, "MiB": 1.0, "KiB": 1 / 1024}[unit]


def apply_verdicts(
    diagnoses: tuple[Diagnosis, ...],
    ds: Dataset,
    findings: list[Finding],
    replay: ReplayResult | None,
    tb: Traceback | None = None,
) -> tuple[Diagnosis, ...]:
    """Every diagnosis with its verdict, refuted ones sunk, and data problems no hypothesis named added."""
    judged = []
    for d in diagnoses:
        j = judge(d.cause, ds, findings, replay, tb)
        judged.append(replace(d, verdict=j.verdict, probe_evidence=j.evidence))
    named = {d.cause for d in diagnoses}
    location = Location(tb.location.path, tb.location.line) if tb is not None and tb.location else None
    for cause, found in _cause_findings(findings).items():
        errors = [f for f in found if f.severity == "error"]
        if cause in named or not errors:
            continue
        judged.append(
            Diagnosis(
                cause=cause,
                rule=f"probe.{errors[0].check}",
                confidence=0.5,
                title=f"Your data has a problem no hypothesis named: {errors[0].message}",
                explanation="The probe found this in the dataset; it breaks the pipeline in use.",
                evidence=(),
                fixes=(f"Fix or remove the {len(errors)} files listed.",),
                location=location,
                verdict=Verdict.CONFIRMED,
                probe_evidence=_summarise(errors),
            )
        )
    ranked = sorted(enumerate(judged), key=lambda p: (_VERDICT_ORDER[p[1].verdict], -p[1].confidence, p[0]))
    return tuple(d for _, d in ranked)
