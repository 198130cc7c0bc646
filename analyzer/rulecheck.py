"""A rule's own examples must fire with their captures, and its near misses must not."""

from __future__ import annotations

from typing import Any

from analyzer.match import _frames_text, _log_text, apply_rule
from analyzer.model import ExceptionInfo, Frame, Span, Traceback, is_user_path
from analyzer.ruleset import Rule


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
        d = apply_rule(rule, tb, _log_text(tb), _frames_text(tb))
        if d is None:
            problems.append(f"{rule.path}: example[{i}] does not fire")
            continue
        for name, want in case.get("captures", {}).items():
            got = _capture(rule, tb, name)
            if got != want:
                problems.append(f"{rule.path}: example[{i}] captures {name}={got!r}, expected {want!r}")
    for i, case in enumerate(rule.near_misses):
        tb = example_traceback(rule, case)
        if apply_rule(rule, tb, _log_text(tb), _frames_text(tb)) is not None:
            problems.append(f"{rule.path}: near_miss[{i}] fires but must not")
    return problems


def _capture(rule: Rule, tb: Traceback, name: str) -> str | None:
    for exc in tb.exceptions():
        for pattern in (rule.message, rule.log):
            if pattern is None:
                continue
            m = pattern.search(exc.message) or pattern.search("\n".join(tb.context))
            if m and name in m.groupdict():
                return m.group(name)
    for cond in rule.when:
        m = cond.pattern.search(_log_text(tb))
        if m and name in m.groupdict():
            return m.group(name)
    return None
