"""`--format line`: `path:line: cause: title`, one per diagnosis, best first (Vim, Emacs)."""

from __future__ import annotations

from analyzer.model import Explained, Report


def _where(e: Explained, path: str | None, line: int | None, source: str) -> str:
    if path is None:
        loc = e.traceback.location or (e.traceback.frames[-1] if e.traceback.frames else None)
        # no frame to point at (a message pasted alone): the failure's line in the log itself
        path, line = (loc.path, loc.line) if loc else (source, e.traceback.span.start_line)
    return f"{path}:{line if line is not None else 1}"


def _one_line(text: str) -> str:
    return " ".join(text.split())[:300]


def render(report: Report) -> str:
    order = list(range(len(report.failures)))
    if report.primary is not None:
        order.remove(report.primary)
        order.insert(0, report.primary)
    source = report.source if report.source not in ("", "<text>") else "-"
    out: list[str] = []
    for i in order:
        e = report.failures[i]
        if not e.diagnoses:
            exc = e.traceback.exception
            first = exc.message.splitlines()[0] if exc.message else ""
            out.append(
                f"{_where(e, None, None, source)}: undiagnosed: {_one_line(f'{exc.short_type}: {first}')}"
            )
        for d in e.diagnoses:
            path, line = (d.location.path, d.location.line) if d.location else (None, None)
            out.append(f"{_where(e, path, line, source)}: {d.cause}: {_one_line(d.title)}")
    return "\n".join(out)
