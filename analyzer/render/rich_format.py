"""`--format rich`: a panel per failure for people; plain text when stdout is not a terminal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console, Group
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from analyzer.model import Diagnosis, Explained, Report
from analyzer.vocabulary import is_guess

if TYPE_CHECKING:
    from analyzer.evaluate import Evaluation
    from analyzer.probe.session import ProbeOutcome
    from analyzer.ruleset import Rule

MAX_MESSAGE_LINES = 12


def _message(e: Explained) -> Text:
    exc = e.traceback.exception
    lines = exc.message.splitlines() or [""]
    shown = lines[:MAX_MESSAGE_LINES]
    text = Text()
    text.append(exc.short_type or "(exception type not shown)", style="bold red")
    text.append(": " + shown[0] if shown[0] else "")
    for line in shown[1:]:
        text.append("\n  " + line)
    if len(lines) > MAX_MESSAGE_LINES:
        text.append(f"\n  ... {len(lines) - MAX_MESSAGE_LINES} more lines", style="dim")
    return text


def _where(e: Explained) -> Text:
    tb = e.traceback
    loc = tb.location
    text = Text()
    if loc is None:
        text.append("Your code: ", style="bold")
        text.append("no frame of your own code in this traceback", style="dim")
        return text
    text.append("Your code: ", style="bold")
    text.append(f"{loc.path}:{loc.line}", style="cyan")
    if loc.function:
        text.append(f" in {loc.function}")
    if loc.code:
        text.append("\n    " + loc.code, style="yellow")
    raised = tb.frames[-1] if tb.frames else None
    if raised is not None and raised is not loc:
        text.append("\nRaised in: ", style="bold")
        text.append(f"{raised.path}:{raised.line}", style="dim")
    return text


def _diagnosis(rank: int, d: Diagnosis) -> Group:
    head = Text()
    head.append(f"{rank}. ", style="bold")
    head.append(d.title, style="bold green")
    head.append(f"  [{d.cause}, {d.confidence:.0%}", style="dim")
    if d.verdict.value != "untested":
        head.append(f", {d.verdict.value}", style="bold magenta")
    head.append("]", style="dim")
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    guess = is_guess(d.rule)
    if d.explanation and not guess:
        grid.add_row("why", Text(d.explanation))
    for ev in d.evidence[1:] if guess else d.evidence:  # a guess's first line: no rule knows it
        grid.add_row("evidence", Text(ev))
    for ev in d.probe_evidence:
        grid.add_row(Text("probe", style="bold magenta"), Text(ev))
    for fix in d.fixes[:1] if guess else d.fixes:
        grid.add_row(Text("fix", style="bold cyan"), Text(fix))
    if d.location:
        grid.add_row("look at", Text(f"{d.location.path}:{d.location.line}", style="cyan"))
    return Group(head, Padding(grid, (0, 0, 0, 3)))


def _body(e: Explained) -> Group:
    parts: list[Text | Group] = [_message(e), Text(""), _where(e), Text("")]
    if e.diagnoses and all(is_guess(d.rule) for d in e.diagnoses):
        parts.append(
            Text(
                "No rule knows this message shape. Guesses from its words, most likely first: "
                "check them before acting on them.",
                style="italic",
            )
        )
    if e.diagnoses:
        for rank, d in enumerate(e.diagnoses, 1):
            parts.append(_diagnosis(rank, d))
    else:
        parts.append(Text("No rule knows this failure yet: nothing here is a guess.", style="italic"))
    return Group(*parts)


def _title(e: Explained, primary: bool) -> str:
    tb = e.traceback
    which = "failure that ended the run" if primary else "failure"
    return f"{which} · {tb.framework} · lines {tb.span.start_line}-{tb.span.end_line}"


def render(report: Report, console: Console) -> None:
    if not report.failures:
        console.print("No failure found in the input.")
        return
    plain = not console.is_terminal
    for i, e in enumerate(report.failures):
        title = _title(e, i == report.primary)
        if plain:
            console.print(f"== {title}")
            console.print(_body(e))
            console.print()
        else:
            console.print(Panel(_body(e), title=title, title_align="left", border_style="red"))
    if report.dropped:
        console.print(f"({report.dropped} earlier failures were not kept)")


def render_rule(rule: Rule, console: Console) -> None:
    """`rules show`: what the rule detects, why, the fix, an example (ruff's rule pages)."""
    text = Text()
    text.append(f"{rule.id}", style="bold")
    text.append(f"  [{rule.cause}, confidence {rule.confidence:.0%}]\n", style="dim")
    text.append("What it detects: ", style="bold")
    detects = rule.message.pattern if rule.message else rule.log.pattern if rule.log else ""
    if detects:
        text.append(
            f"{', '.join(sorted(rule.exception)) or 'any exception'} whose message matches `{detects}`"
        )
    else:  # a guess from words (rules/causes.toml)
        text.append(
            "a failure no rule knows (or a third hypothesis), when its words (exception types, message, "
            "libraries in its frames, failing code) are most like the labelled failures of this cause"
        )
    if rule.frames:
        text.append(f", raised through {', '.join(rule.frames)}")
    text.append("\nTitle: ", style="bold")
    text.append(rule.title)
    text.append("\nWhy it happens: ", style="bold")
    text.append(rule.why)
    if rule.tells_apart:
        text.append("\nTelling it apart: ", style="bold")
        text.append(rule.tells_apart)
    for fix in rule.fixes:
        text.append("\nFix: ", style="bold cyan")
        text.append(fix)
    for ex in rule.examples[:2]:
        text.append("\nExample: ", style="bold")
        text.append(f"{ex.get('exception', '')}: {ex.get('message', ex.get('log', ''))}".strip(": "))
    if rule.probes:
        text.append("\nProbes that can confirm it: ", style="bold")
        text.append(", ".join(rule.probes))
    for ref in rule.references:
        text.append(f"\nSee: {ref}", style="dim")
    text.append(f"\nFile: {rule.path}", style="dim")
    console.print(text)


def render_eval(result: Evaluation, console: Console) -> None:
    """`eval`: the scores per cause and a confusion table of expected against found."""
    overall = result.overall().as_dict()
    table = Table("cause", "n", "top-1", "top-3", "confident wrong", title="Accuracy on the corpus")
    for cause, scores in result.per_cause().items():
        d = scores.as_dict()
        table.add_row(
            cause, str(d["n"]), f"{d['top1']:.2f}", f"{d['top3']:.2f}", f"{d['confident_wrong']:.2f}"
        )
    table.add_row(
        "all",
        str(overall["n"]),
        f"{overall['top1']:.2f}",
        f"{overall['top3']:.2f}",
        f"{overall['confident_wrong']:.2f}",
        style="bold",
    )
    console.print(table)
    confusion = Table("expected", "found first", "cases", title="Confusion (top-1)")
    for (expected, got), count in sorted(result.confusion().items()):
        style = None if expected == got else "red"
        confusion.add_row(expected, got, str(count), style=style)
    console.print(confusion)


def render_probe(outcome: ProbeOutcome, console: Console) -> None:
    """`probe`: what the data is, what is wrong in it, what the replay did, each hypothesis's verdict."""
    ds = outcome.dataset
    head = Text()
    head.append(f"{ds.layout}", style="bold")
    head.append(f" dataset at {ds.root}: {ds.images} images")
    splits = ", ".join(f"{k or 'all'} {v}" for k, v in ds.splits.items())
    if splits:
        head.append(f" ({splits})")
    head.append(f"\nclasses: {', '.join(ds.classes) if ds.classes else 'unknown (pass --classes)'}")
    head.append(f"\npipeline judged: {outcome.pipeline}", style="dim")
    console.print(head)
    errors = [f for f in outcome.findings if f.severity == "error"]
    warnings = [f for f in outcome.findings if f.severity == "warning"]
    table = Table(
        "severity", "cause", "where", "what", title=f"{len(errors)} errors, {len(warnings)} warnings"
    )
    for f in (errors + warnings)[:40]:
        where = f"{f.path}:{f.line}" if f.line else f.path
        table.add_row(
            f.severity, f.cause, Text(where), Text(f.message), style="red" if f.severity == "error" else None
        )
    if outcome.findings:
        console.print(table)
    if len(outcome.findings) > 40:
        console.print(f"... {len(outcome.findings) - 40} more (--format json lists all)")
    replay = outcome.replay
    text = Text("replay: ", style="bold")
    if replay is None:
        text.append("not run")
    else:
        text.append(f"{replay.status} on {replay.device}")
        if replay.error is not None:
            text.append(
                f"\n  {replay.error.type}: {replay.error.message.splitlines()[0] if replay.error.message else ''}"
            )
        if replay.culprits:
            text.append("\n  files that make it fail: " + ", ".join(replay.culprits[:10]))
        if replay.reason:
            text.append(f"\n  {replay.reason}", style="dim")
    console.print(text)
    for cause, verdict, evidence in outcome.hypotheses:
        line = Text()
        line.append(f"{verdict.value:>12} ", style="bold magenta")
        line.append(cause)
        for ev in evidence:
            line.append(f"\n{'':13}{ev}", style="dim")
        console.print(line)


def render_many(reports: list[Report], console: Console) -> None:
    """Many logs: each log's failure that ended the run, then the causes across all of them."""
    from collections import Counter

    causes: Counter[str] = Counter()
    for report in reports:
        console.rule(Text(report.source), align="left")
        if report.primary is None:
            console.print("No failure found.")
            continue
        e = report.failures[report.primary]
        console.print(_message(e))
        if e.diagnoses:
            d = e.diagnoses[0]
            console.print(Text(f"-> {d.title}  [{d.cause}, {d.confidence:.0%}]", style="green"))
            causes[d.cause] += 1
        else:
            console.print(Text("-> no rule knows this failure yet", style="italic"))
            causes["(undiagnosed)"] += 1
    table = Table("cause", "logs", title=f"Causes across {len(reports)} logs")
    for cause, count in causes.most_common():
        table.add_row(cause, str(count))
    table.add_row("(no failure)", str(sum(1 for r in reports if r.primary is None)), style="dim")
    console.print(table)
