"""explain-error: turn a training traceback into its cause, the evidence, and the fix.

In IPython or Jupyter, `%load_ext analyzer` explains every exception a cell raises, below the
usual traceback; in a plain script, `analyzer.install()` does the same through sys.excepthook.
Both work from the exception in memory: no log file is needed.
"""

from __future__ import annotations

import sys
from types import TracebackType


def explain_exception(exc: BaseException, file: object = None) -> None:
    """Print the explanation of an exception object (its traceback as Python formats it)."""
    import traceback

    from rich.console import Console

    from analyzer.explain import explain_text
    from analyzer.render.rich_format import render

    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    render(explain_text(text), Console(file=file or sys.stderr, highlight=False))


def install() -> None:
    """Explain any uncaught exception of this script after Python prints its traceback."""
    previous = sys.excepthook

    def hook(etype: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        previous(etype, value, tb)
        if not issubclass(etype, KeyboardInterrupt):
            explain_exception(value.with_traceback(tb))

    sys.excepthook = hook


def load_ipython_extension(ipython: object) -> None:
    """`%load_ext analyzer`: after a cell's traceback, its explanation."""

    def handler(shell, etype, value, tb, tb_offset=None):  # type: ignore[no-untyped-def]
        shell.showtraceback((etype, value, tb), tb_offset=tb_offset)
        explain_exception(value.with_traceback(tb), file=sys.stdout)
        return None

    ipython.set_custom_exc((Exception,), handler)  # type: ignore[attr-defined]


def unload_ipython_extension(ipython: object) -> None:
    ipython.set_custom_exc((), None)  # type: ignore[attr-defined]
