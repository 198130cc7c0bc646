"""A rule's own examples must fire with their captures, and its near misses must not."""

from __future__ import annotations

from typing import Any

from analyzer.match import fire, frame_paths_of, log_text_of
from analyzer.model import ExceptionInfo, Frame, Span, Traceback, is_user_path
from analyzer.ruleset import TEMPLATE_FIELD, Rule


def example_traceback(rule: Rule, case: dict[str, Any]) -> Traceback:
    """A traceback holding just what a rule example gives: type, message, frames, log lines."""
    default_type = sorted(rule.exception)[0] if rule.exception else ""
    frames = tuple(
        Frame(p, 1, "f", None, is_user_path(p)) for p in case.get("frames", ["/home/user/project/train.py"])
    )
    return Traceback(
        exception=ExceptionInfo(case.get("exception", default_type), case.get("message", "")),
        frames=frames,
        span=Span(1, 1),
        framework=case.get("framework", next(iter(sorted(rule.framework)), "python")),
        context=tuple(case.get("log", "").splitlines()),
    )


def run_examples(rule: Rule) -> list[str]:
    """Problems with a rule's examples and near misses; empty when all behave."""
    problems: list[str] = []
    for i, case in enumerate(rule.examples):
        tb = example_traceback(rule, case)
        fired = fire(rule, tb, log_text_of(tb), frame_paths_of(tb))
        if fired is None:
            problems.append(f"{rule.path}: example[{i}] does not fire")
            continue
        for name, want in case.get("captures", {}).items():
            got = fired.values.get(name)
            if got != want:
                problems.append(f"{rule.path}: example[{i}] captures {name}={got!r}, expected {want!r}")
        problems += _template_problems(rule, fired.values, f"example[{i}]")
    for i, case in enumerate(rule.near_misses):
        tb = example_traceback(rule, case)
        if fire(rule, tb, log_text_of(tb), frame_paths_of(tb)) is not None:
            problems.append(f"{rule.path}: near_miss[{i}] fires but must not")
    return problems


def _template_problems(rule: Rule, values: dict[str, str], where: str) -> list[str]:
    """Every `{name}` the rule writes must be filled when its own example fires."""
    texts = [rule.title, *rule.fixes, *rule.evidence]
    missing = {n for t in texts for n in TEMPLATE_FIELD.findall(t) if n not in values}
    return [
        f"{rule.path}: {where} leaves {{{n}}} empty in the title, fixes or evidence" for n in sorted(missing)
    ]
