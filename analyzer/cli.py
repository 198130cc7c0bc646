"""The `explain-error` command: read options, call the pipeline, map domain errors to exit codes.

The only module that imports typer. Exit codes (interface.md): 0 no failure found, 1 at least
one failure found, 2 usage error (one line on stderr, never a traceback of ours).
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, BinaryIO

import typer
from typer.core import TyperGroup

from analyzer.errors import AnalyzerError, InputError

if TYPE_CHECKING:
    from rich.console import Console

    from analyzer.model import Report
    from analyzer.probe.session import ProbeOptions, ProbeOutcome

PROG = "explain-error"


class _ExplainByDefault(TyperGroup):
    """`explain-error trace.log` is `explain-error explain trace.log`: a file may share a command's name
    only with a path prefix (`./probe`)."""

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:  # type: ignore[override]
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h")):
            args = ["explain", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=_ExplainByDefault,
    add_completion=False,
    no_args_is_help=False,
    help="Explain why a deep-learning training run failed, from its log.",
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)


class Device(str, Enum):
    auto = "auto"
    cuda = "cuda"
    cpu = "cpu"


class Format(str, Enum):
    rich = "rich"
    json = "json"
    jsonl = "jsonl"
    sarif = "sarif"
    line = "line"


class ListFormat(str, Enum):
    rich = "rich"
    json = "json"


DataOpt = Annotated[
    Path | None, typer.Option("--data", help="Dataset directory: check it and replay a step on it.")
]
ClassesOpt = Annotated[str | None, typer.Option("--classes", help="Class names, comma separated.")]
ConfigOpt = Annotated[
    Path | None, typer.Option("--config", help="ImageAI detection config JSON or data.yaml.")
]
BatchOpt = Annotated[int | None, typer.Option("--batch-size", min=1, help="Your training batch size.")]
DeviceOpt = Annotated[
    Device, typer.Option("--device", help="Where the replay runs (auto: CUDA when present).")
]
LrOpt = Annotated[
    float | None, typer.Option("--lr", min=0.0, help="Your learning rate, for the divergence replay.")
]
NoReplayOpt = Annotated[bool, typer.Option("--no-replay", help="Static checks only, no training step.")]


def _open_input(path: str) -> tuple[BinaryIO, str, bool]:
    """The stream to read, its name, and whether it is standard input."""
    if path == "-":
        return sys.stdin.buffer, "-", True
    p = Path(path)
    if p.is_dir():
        raise InputError(f"{path} is a directory, not a log file")
    if not p.exists():
        raise InputError(f"{path}: no such file")
    try:
        return open(p, "rb"), str(p), False  # noqa: SIM115 - closed by the caller
    except OSError as err:
        raise InputError(f"cannot read {path}: {err.strerror or err}") from None


def _console() -> Console:
    """Rich output for people: plain text off a terminal, and no styling at all under NO_COLOR."""
    from rich.console import Console

    plain = "NO_COLOR" in os.environ
    return Console(highlight=False, soft_wrap=False, color_system=None if plain else "auto", no_color=plain)


def _echo_to_stderr(chunk: bytes) -> None:
    sys.stderr.buffer.write(chunk)
    sys.stderr.buffer.flush()


@app.command("explain", help="Explain the failures in a training log (a file, `-`, or a pipe).")
def explain_command(
    paths: Annotated[
        list[str] | None,
        typer.Argument(help="Log files; `-` or nothing reads standard input.", show_default=False),
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.rich,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Do not echo piped input to stderr.")] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show internal errors with their traceback.")
    ] = False,
    data: DataOpt = None,
    classes: ClassesOpt = None,
    config: ConfigOpt = None,
    batch_size: BatchOpt = None,
    device: DeviceOpt = Device.auto,
    lr: LrOpt = None,
    no_replay: NoReplayOpt = False,
) -> int:
    from analyzer.explain import explain_stream

    paths = paths or ["-"]
    if len(paths) > 1:
        if data is not None:
            raise InputError("--data probes the dataset of one log: give one log file with it")
        return _explain_many(paths, fmt)
    path = paths[0]
    if path == "-" and sys.stdin.isatty():
        raise InputError("no input: give a log file, or pipe one in (python train.py 2>&1 | explain-error)")
    stream, source, is_stdin = _open_input(path)
    echo = _echo_to_stderr if is_stdin and not quiet and sys.stderr.isatty() else None
    try:
        report = explain_stream(stream, source, echo=echo)
    finally:
        if not is_stdin:
            stream.close()
    report, outcome = _probe_if_asked(report, data, classes, config, batch_size, device, lr, no_replay)
    _write(report, fmt, outcome)
    return 1 if report.failures else 0


def _explain_many(paths: list[str], fmt: Format) -> int:
    """Many logs in one run (a night of failed jobs): in parallel, one report per log, in order."""
    from analyzer.explain import explain_files

    for path in paths:
        if path == "-":
            raise InputError("`-` (standard input) cannot be one of several inputs")
        _open_input(path)[0].close()  # a missing or unreadable file is a usage error before any work
    reports = explain_files(paths)
    if fmt in (Format.json, Format.jsonl):
        import json

        from analyzer.render.json_format import report_dict

        dicts = [{"source": r.source, **report_dict(r)} for r in reports]
        if fmt is Format.jsonl:
            for d in dicts:
                print(json.dumps(d, ensure_ascii=False))
        else:
            print(json.dumps({"schema_version": "1", "logs": dicts}, indent=2, ensure_ascii=False))
    elif fmt is Format.rich:
        from analyzer.render.rich_format import render_many

        render_many(reports, _console())
    else:
        for r in reports:
            _write(r, fmt)
    return 1 if any(r.failures for r in reports) else 0


def _probe_if_asked(
    report: Report,
    data: Path | None,
    classes: str | None,
    config: Path | None,
    batch_size: int | None,
    device: Device,
    lr: float | None,
    no_replay: bool,
) -> tuple[Report, ProbeOutcome | None]:
    """With `--data`, the diagnoses of the failure that ended the run get their verdicts."""
    if data is None or report.primary is None:
        return report, None
    from analyzer.probe.session import ProbeOptions

    return _probe_primary(
        report, ProbeOptions(data, classes, config, batch_size, device.value, lr, not no_replay)
    )


def _probe_primary(report: Report, options: ProbeOptions) -> tuple[Report, ProbeOutcome]:
    """Give the diagnoses of the failure that ended the run a verdict from the user's data."""
    from analyzer.model import replace
    from analyzer.probe.session import run_probe

    primary = report.failures[report.primary]
    outcome, judged = run_probe(options, primary.traceback, primary.diagnoses, progress=_progress())
    failures = list(report.failures)
    failures[report.primary] = replace(primary, diagnoses=judged)
    return replace(report, failures=tuple(failures)), outcome


def _progress():
    """A progress bar on stderr for large datasets, when stderr is a terminal."""
    if not sys.stderr.isatty():
        return None
    from rich.console import Console
    from rich.progress import Progress

    bar = Progress(console=Console(stderr=True), transient=True)
    task = None

    def update(done: int, total: int) -> None:
        nonlocal task
        if total < 500:
            return
        if task is None:
            bar.start()
            task = bar.add_task("checking images", total=total)
        bar.update(task, completed=done)
        if done >= total:
            bar.stop()

    return update


@app.command("probe", help="Check a dataset and replay a training step on it; no trace needed.")
def probe_command(
    data: Annotated[Path, typer.Option("--data", help="Dataset directory.")],
    classes: ClassesOpt = None,
    config: ConfigOpt = None,
    batch_size: BatchOpt = None,
    device: DeviceOpt = Device.auto,
    lr: LrOpt = None,
    no_replay: NoReplayOpt = False,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")] = ListFormat.rich,
) -> int:
    from analyzer.probe.session import ProbeOptions, run_probe

    options = ProbeOptions(data, classes, config, batch_size, device.value, lr, not no_replay)
    outcome, _ = run_probe(options, progress=_progress())
    if fmt is ListFormat.json:
        from analyzer.render.json_format import render_probe

        print(render_probe(outcome))
    else:
        from analyzer.render.rich_format import render_probe as render_probe_rich

        render_probe_rich(outcome, _console())
    return (
        1
        if any(f.severity == "error" for f in outcome.findings)
        or (outcome.replay is not None and outcome.replay.status == "failed")
        else 0
    )


rules_app = typer.Typer(help="List, show and check the diagnosis rules.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")


@rules_app.command("list", help="Every rule: id, cause and title.")
def rules_list(fmt: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.rich) -> int:
    from analyzer.ruleset import shipped_rules

    rules = shipped_rules()
    if fmt is ListFormat.json:
        import json

        rows = [{"id": r.id, "cause": r.cause, "title": r.title, "confidence": r.confidence} for r in rules]
        print(json.dumps(rows, indent=2))
        return 0
    from rich.table import Table
    from rich.text import Text

    table = Table("id", "cause", "title", title=f"{len(rules)} rules", show_lines=False)
    for r in rules:
        table.add_row(r.id, r.cause, Text(r.title))
    _console().print(table)
    return 0


@rules_app.command("show", help="What a rule detects, why it happens, the fix, an example.")
def rules_show(
    rule_id: Annotated[str, typer.Argument(help="A rule id, e.g. torch.conv-input-channels")],
) -> int:
    from analyzer.ruleset import load_rules
    from analyzer.vocabulary import vocabulary_rules

    # from the files, with their examples; then the guesses from words, one per cause
    rule = next((r for r in (*load_rules(), *vocabulary_rules()) if r.id == rule_id), None)
    if rule is None:
        raise InputError(f"no rule with id '{rule_id}' (see `explain-error rules list`)")

    from analyzer.render.rich_format import render_rule

    render_rule(rule, _console())
    return 0


@rules_app.command("check", help="Validate every rule file and run its examples and near misses.")
def rules_check(
    directory: Annotated[
        str | None, typer.Argument(help="A rules directory (default: the shipped rules)")
    ] = None,
) -> int:
    from analyzer.rulecheck import run_examples
    from analyzer.ruleset import load_rules

    rules = load_rules(Path(directory) if directory else None)
    problems = [p for r in rules for p in run_examples(r)]
    for p in problems:
        print(p)
    unanchored = [r.id for r in rules if not r.anchors and not r.fallback]
    print(f"{len(rules)} rules, {len(problems)} problems, {len(unanchored)} without an index word")
    if unanchored:
        print("  tried on every trace: " + ", ".join(sorted(unanchored)))
    return 1 if problems else 0


@app.command("eval", help="Score the rules on a labelled corpus (NAME.log + NAME.toml cases).")
def eval_command(
    directory: Annotated[str, typer.Argument(help="Directory of labelled cases, e.g. corpus")],
    fmt: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.rich,
) -> int:
    from analyzer.evaluate import evaluate

    result = evaluate(Path(directory))
    if fmt is ListFormat.json:
        import json

        print(json.dumps(result.as_dict(), indent=2))
        return 0

    from analyzer.render.rich_format import render_eval

    render_eval(result, _console())
    return 0


def _write(report: Report, fmt: Format, outcome: ProbeOutcome | None = None) -> None:
    if fmt in (Format.json, Format.jsonl):
        import json

        from analyzer.render.json_format import probe_dict, report_dict

        payload = report_dict(report)
        if outcome is not None:
            payload["probe"] = probe_dict(outcome)
        print(json.dumps(payload, indent=2 if fmt is Format.json else None, ensure_ascii=False))
    elif fmt is Format.sarif:
        from analyzer.render.sarif_format import render as render_sarif
        from analyzer.ruleset import shipped_rules

        print(render_sarif(report, shipped_rules()))
    elif fmt is Format.line:
        from analyzer.render.line_format import render as render_line

        text = render_line(report)  # type: ignore[arg-type]
        if text:
            print(text)
    else:
        from analyzer.render.rich_format import render as render_rich

        console = _console()
        render_rich(report, console)
        if outcome is not None:
            from analyzer.render.rich_format import render_probe

            render_probe(outcome, console)


@app.command(
    "run",
    help="Run a command, show its output live, and explain it if it fails: explain-error run -- python train.py",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
)
def run_command(
    ctx: typer.Context,
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="Output format of the explanation.")
    ] = Format.rich,
    report_to: Annotated[
        Path | None, typer.Option("--report", help="Write the explanation to this file (default: stderr).")
    ] = None,
    data: DataOpt = None,
    classes: ClassesOpt = None,
    config: ConfigOpt = None,
    batch_size: BatchOpt = None,
    device: DeviceOpt = Device.auto,
    lr: LrOpt = None,
    no_replay: NoReplayOpt = False,
) -> int:
    import contextlib

    from analyzer import runner

    child = runner.start(list(ctx.args))  # first: the command runs while the pipeline loads
    from analyzer.explain import explain_chunks

    with runner.ignore_interrupts():
        report = explain_chunks(runner.relay(child), " ".join(ctx.args))
        code = runner.wait(child)
    if code == 0:
        return 0
    report, outcome = _probe_if_asked(report, data, classes, config, batch_size, device, lr, no_replay)
    with (
        open(report_to, "w") if report_to else contextlib.nullcontext(sys.stderr) as out,
        contextlib.redirect_stdout(out),
    ):
        _write(report, fmt, outcome)
    return code


class SchemaKind(str, Enum):
    trace = "trace"
    probe = "probe"


@app.command("schema", help="Print the JSON Schema (draft 2020-12) of the JSON output.")
def schema_command(
    kind: Annotated[
        SchemaKind, typer.Option("--kind", help="trace: explain --format json; probe: probe --format json.")
    ] = SchemaKind.trace,
) -> int:
    from analyzer.render.schema import schema_text

    sys.stdout.write(schema_text(kind.value))
    return 0


def _whole_app_words() -> set[str]:
    """First arguments that need every command built: a command's name, or asking for help."""
    names = {c.name for c in app.registered_commands} | {g.name for g in app.registered_groups}
    return {n for n in names if n} | {"-h", "--help"}


def _explain_app() -> typer.Typer:
    """Just the explain command: what most runs need, built without the others (start-up time)."""
    single = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
    single.command(context_settings={"help_option_names": ["-h", "--help"]})(explain_command)
    return single


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: run the app and turn every error into one line and exit 2."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args or os.environ.get("EXPLAIN_ERROR_DEBUG") == "1"
    command = typer.main.get_command(app if args and args[0] in _whole_app_words() else _explain_app())
    try:
        code = command.main(args=args, prog_name=PROG, standalone_mode=False)
    except typer.Exit as stop:
        code = stop.exit_code
    except typer.Abort:
        code = 130
    except AnalyzerError as err:
        _fail(str(err))
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 1
    except KeyboardInterrupt:
        code = 130
    except Exception as err:
        if hasattr(err, "format_message") and hasattr(err, "exit_code"):
            # the command line itself is wrong (unknown option, bad value): Typer's usage error
            _fail(err.format_message())
        # our own bug: one line unless asked for the traceback
        if debug:
            raise
        _fail(f"internal error: {type(err).__name__}: {err} (run with --debug for details)", code=3)
    sys.exit(code if isinstance(code, int) else 0)


def _fail(message: str, code: int = 2) -> None:
    first = " ".join(message.strip().splitlines()[0].split()) if message.strip() else "error"
    print(f"{PROG}: error: {first}", file=sys.stderr)
    sys.exit(code)


if __name__ == "__main__":
    main()
