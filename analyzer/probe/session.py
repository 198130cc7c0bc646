"""One probe run: find the dataset, check it, replay a step on a sample, judge the hypotheses."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from analyzer.model import Diagnosis, Finding, Traceback, Verdict
from analyzer.probe.layouts import Dataset, Sample, detect, parse_classes
from analyzer.probe.verdict import apply_verdicts, judge, learning_rate, pipeline_for

if TYPE_CHECKING:
    from analyzer.probe.replay import ReplayResult

SAMPLE_SIZE = 16


@dataclass(frozen=True)
class ProbeOptions:
    data: Path
    classes: str | None = None
    config: Path | None = None
    batch_size: int | None = None
    device: str = "auto"
    lr: float | None = None
    replay: bool = True
    timeout: int = 120


@dataclass(frozen=True)
class ProbeOutcome:
    dataset: Dataset
    pipeline: str
    findings: tuple[Finding, ...]
    replay: ReplayResult | None
    hypotheses: tuple[tuple[str, Verdict, tuple[str, ...]], ...]  # (cause, verdict, evidence)


def choose_sample(ds: Dataset, findings: list[Finding], size: int = SAMPLE_SIZE) -> list[Sample]:
    """The files the checks flagged (so the replay meets them) and a seeded draw of the others."""
    flagged_paths = {f.path for f in findings if f.severity == "error"}
    flagged = [s for s in ds.samples if s.image in flagged_paths or s.annotation in flagged_paths]
    rest = [s for s in ds.samples if s not in flagged]
    random.Random(0).shuffle(rest)
    chosen = flagged[: size // 2]
    return chosen + rest[: max(size - len(chosen), 0)]


def run_probe(
    options: ProbeOptions,
    tb: Traceback | None = None,
    diagnoses: tuple[Diagnosis, ...] = (),
    progress: Callable[[int, int], None] | None = None,
) -> tuple[ProbeOutcome, tuple[Diagnosis, ...]]:
    """Probe the dataset; with a traceback's diagnoses, give each its verdict."""
    from analyzer.probe.checks import run_checks

    classes = parse_classes(options.classes) if options.classes else None
    ds = detect(options.data, classes, options.config)
    pipeline = pipeline_for(ds.layout, tb.framework if tb is not None else None)
    findings = run_checks(ds, pipeline, progress=progress)
    replay = None
    if options.replay and ds.samples:
        from analyzer.probe.replay import run_replay

        lr = options.lr or learning_rate(tb)
        causes = {d.cause for d in diagnoses}
        replay = run_replay(
            ds,
            choose_sample(ds, findings),
            device=options.device,
            lr=lr,
            divergence=lr is not None and (not diagnoses or "optim.divergence" in causes),
            gpu_memory="resource.gpu_oom" in causes,
            user_batch_size=options.batch_size,
            timeout=options.timeout,
        )
    judged = apply_verdicts(diagnoses, ds, findings, replay, tb)
    if diagnoses:
        # a probe's hypothesis is confirmed, refuted or inconclusive (interface.md): one that no
        # check can reach is inconclusive there, and keeps `untested` on its diagnosis
        hypotheses = tuple(
            (d.cause, Verdict.INCONCLUSIVE if d.verdict is Verdict.UNTESTED else d.verdict, d.probe_evidence)
            for d in judged
        )
    else:
        causes = sorted({f.cause for f in findings if f.severity == "error"})
        hypotheses = tuple(
            (c, j.verdict, j.evidence) for c in causes for j in [judge(c, ds, findings, replay, tb)]
        )
    return ProbeOutcome(ds, pipeline, tuple(findings), replay, hypotheses), judged
