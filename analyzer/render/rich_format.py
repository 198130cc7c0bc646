"""`--format rich`: a panel per failure for people; plain text when stdout is not a terminal."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.text import Text

from analyzer.model import Diagnosis, Explained, Report

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


def _diagnosis(rank: int, d: Diagnosis) -> Text:
    text = Text()
    text.append(f"{rank}. ", style="bold")
    text.append(d.title, style="bold green")
    text.append(f"  [{d.cause}, {d.confidence:.0%}", style="dim")
    if d.verdict.value != "untested":
        text.append(f", {d.verdict.value}", style="bold magenta")
    text.append("]", style="dim")
    if d.explanation:
        text.append("\n   " + d.explanation)
    for ev in d.evidence:
        text.append("\n   evidence: ", style="bold")
        text.append(ev)
    for ev in d.probe_evidence:
        text.append("\n   probe: ", style="bold magenta")
        text.append(ev)
    for fix in d.fixes:
        text.append("\n   fix: ", style="bold cyan")
        text.append(fix)
    if d.location:
        text.append(f"\n   look at: {d.location.path}:{d.location.line}", style="cyan")
    return text


def _body(e: Explained) -> Group:
    parts: list[Text] = [_message(e), Text(""), _where(e), Text("")]
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
