"""Score the rules on a labelled corpus: top-1, top-3 and confident-wrong, overall and per cause."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomllib

from analyzer.errors import InputError
from analyzer.explain import explain_chunks
from analyzer.match import RuleIndex

CONFIDENT = 0.8
UNKNOWN = "other"  # a failure no rule explains is scored as `other`


@dataclass(frozen=True)
class Case:
    name: str
    log: Path
    cause: str
    also: frozenset[str]
    label: dict[str, Any]

    @property
    def accepted(self) -> frozenset[str]:
        return self.also | {self.cause}


@dataclass(frozen=True)
class CaseResult:
    case: Case
    ranked: tuple[tuple[str, float], ...]  # (cause, confidence), best first

    @property
    def top1(self) -> str:
        return self.ranked[0][0] if self.ranked else UNKNOWN

    @property
    def top1_ok(self) -> bool:
        return self.top1 in self.case.accepted

    @property
    def top3_ok(self) -> bool:
        causes = [c for c, _ in self.ranked[:3]] or [UNKNOWN]
        return bool(set(causes) & self.case.accepted)

    @property
    def confident_wrong(self) -> bool:
        return bool(self.ranked) and not self.top1_ok and self.ranked[0][1] >= CONFIDENT


@dataclass
class Scores:
    n: int = 0
    top1: int = 0
    top3: int = 0
    confident_wrong: int = 0

    def add(self, r: CaseResult) -> None:
        self.n += 1
        self.top1 += r.top1_ok
        self.top3 += r.top3_ok
        self.confident_wrong += r.confident_wrong

    def as_dict(self) -> dict[str, float | int]:
        n = max(self.n, 1)
        return {
            "n": self.n,
            "top1": round(self.top1 / n, 4),
            "top3": round(self.top3 / n, 4),
            "confident_wrong": round(self.confident_wrong / n, 4),
        }


@dataclass
class Evaluation:
    results: list[CaseResult] = field(default_factory=list)

    def overall(self) -> Scores:
        s = Scores()
        for r in self.results:
            s.add(r)
        return s

    def per_cause(self) -> dict[str, Scores]:
        out: dict[str, Scores] = {}
        for r in self.results:
            out.setdefault(r.case.cause, Scores()).add(r)
        return dict(sorted(out.items()))

    def confusion(self) -> Counter[tuple[str, str]]:
        return Counter((r.case.cause, r.top1 if not r.top1_ok else r.case.cause) for r in self.results)

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.overall().as_dict(),
            "per_cause": {c: s.as_dict() for c, s in self.per_cause().items()},
            "misses": [
                {"case": r.case.name, "expected": r.case.cause, "got": [list(x) for x in r.ranked[:3]]}
                for r in self.results
                if not r.top1_ok
            ],
        }


def load_cases(directory: Path) -> list[Case]:
    """Every `NAME.toml` label with its `NAME.log` under a directory."""
    if not directory.is_dir():
        raise InputError(f"{directory} is not a directory of labelled cases")
    cases = []
    for label_path in sorted(directory.rglob("*.toml")):
        log = label_path.with_suffix(".log")
        if not log.exists():
            continue
        try:
            label = tomllib.loads(label_path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
            raise InputError(f"{label_path}: not a valid label: {err}") from None
        if "cause" not in label:
            raise InputError(f"{label_path}: a label needs a 'cause'")
        name = str(label_path.relative_to(directory).with_suffix(""))
        cases.append(Case(name, log, label["cause"], frozenset(label.get("also", [])), label))
    return cases


def run_case(case: Case, index: RuleIndex | None = None) -> CaseResult:
    report = explain_chunks([case.log.read_bytes()], str(case.log), index)
    if report.primary is None:
        return CaseResult(case, ())
    diagnoses = report.failures[report.primary].diagnoses
    return CaseResult(case, tuple((d.cause, d.confidence) for d in diagnoses))


def evaluate(directory: Path, index: RuleIndex | None = None) -> Evaluation:
    return Evaluation([run_case(c, index) for c in load_cases(directory)])
