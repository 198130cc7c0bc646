"""The pipeline: bytes in, a Report out (ingest -> parse -> match)."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import BinaryIO

from analyzer.ingest import Region, find_regions, read_chunks
from analyzer.match import RuleIndex, match_rules, match_rules_tiered
from analyzer.model import Diagnosis, ExceptionInfo, Explained, Frame, Report, Span, Traceback, is_user_path
from analyzer.parse import (
    KERNEL_ASSERT,
    PY_WARNING,
    SIGNAL,
    Lazy,
    detect_framework,
    node_refs,
    parse_region,
    split_at_exception,
)
from analyzer.ruleset import rule_from, shipped_tables
from analyzer.vocabulary import complete

MAX_FAILURES = 200  # failures kept per input; the rest are counted, not held
HEADLESS_LINES = 40


def find_failures(chunks: Iterable[bytes]) -> tuple[list[Traceback], int]:
    """Every failure in the input in order (the last MAX_FAILURES), and how many were dropped."""
    failures, dropped, _ = _scan(chunks)
    return failures, dropped


def _scan(chunks: Iterable[bytes]) -> tuple[list[Traceback], int, Region | None]:
    kept: deque[Traceback] = deque(maxlen=MAX_FAILURES)
    seen = 0
    last: Region | None = None
    for region in find_regions(chunks):
        last = region
        for tb in parse_region(region):
            kept.append(tb)
            seen += 1
    return list(kept), seen - len(kept), last


# an exception as a debugger's variables view shows it, copied from there (PyCharm: `{ValueError}msg`)
DEBUGGER_VIEW = Lazy(r"^\s*\{(?P<type>(?:\w+\.)*[A-Z]\w*(?:Error|Exception|Exit|Interrupt))\}\s*(?P<msg>.*)$")


def headless_failure(region: Region) -> Traceback:
    """The last lines of an input with no exception line: users often paste only a message, or
    the line that raised and the exception run together on one line."""
    lines = [line for line in region.lines if line.strip()][-HEADLESS_LINES:]
    first = region.start_line + next(
        i for i, line in enumerate(region.lines) if line.strip() == lines[0].strip()
    )
    ops = tuple(op for line in lines for op in node_refs(line))
    # a CUDA kernel's asserts are often the last thing a dying run printed
    asserts = tuple(dict.fromkeys(line.strip() for line in lines if KERNEL_ASSERT.search(line)))
    exception = ExceptionInfo("", "\n".join(lines))
    raw: tuple[str, ...] = ()
    frames: tuple[Frame, ...] = ()
    for k, line in enumerate(lines):
        shown = DEBUGGER_VIEW.match(line)
        if shown is not None:
            exception = ExceptionInfo(shown["type"], "\n".join([shown["msg"], *lines[k + 1 :]]).strip())
            raw = tuple(lines[:k])
            break
        split = split_at_exception(line)
        if split is not None:
            code, exc = split
            exception = ExceptionInfo(exc.type, "\n".join([exc.message, *lines[k + 1 :]]).strip())
            raw = (*lines[:k], code.strip())  # the code that raised, for the rules
            break
    else:
        # no exception at all, but NumPy warned of a NaN or inf (`path:40: RuntimeWarning: invalid
        # value encountered in sqrt` above its source line): the last such warning is the failure
        for k in range(len(lines) - 1, -1, -1):
            m = PY_WARNING.match(lines[k]) if "encountered in" in lines[k] else None
            if m is None:
                continue
            after = lines[k + 1 : k + 2]
            code = after[0].strip() if after and not PY_WARNING.match(after[0]) else None
            exception = ExceptionInfo(m.group("type"), "\n".join([m.group("msg"), *lines[k + 1 :]]).strip())
            path = m.group("path")
            frames = (Frame(path, int(m.group("line")), None, code, is_user_path(path)),)
            raw = tuple(lines[:k])
            break
    return Traceback(
        exception=exception,
        raw=raw,
        frames=frames,
        ops=tuple(dict.fromkeys(ops)),
        kernel_asserts=asserts,
        span=Span(first, region.end_line),
        framework=detect_framework((), lines),
    )


# A launcher's own error once a worker failed: the worker's failure, printed earlier, is the one.
LAUNCHER_ERRORS = frozenset({"ChildFailedError", "CalledProcessError", "ProcessExitedException"})


def primary_index(failures: list[Traceback]) -> int | None:
    """The failure that ended the run: the last one not printed as `Exception ignored`, and not a
    launcher's report of a worker whose own failure is in the log."""
    candidates = [i for i, tb in enumerate(failures) if not tb.ignored] or list(range(len(failures)))
    if not candidates:
        return None
    # a list of frames with no exception after it is not the failure when one printed an exception
    # (TensorFlow and XLA print op-definition stack traces as bare `File "..."` lines)
    printed = [i for i in candidates if failures[i].exception.type or failures[i].exception.message.strip()]
    candidates = printed or candidates
    workers = [i for i in candidates if failures[i].exception.short_type not in LAUNCHER_ERRORS]
    candidates = workers or candidates
    # a crash printed just after a Python exception (`Segmentation fault (core dumped)` or a C++
    # `terminate called after throwing` as the interpreter exits) came of it: the exception ended the run
    if len(candidates) > 1 and (_is_signal(failures[candidates[-1]]) or _is_abort(failures[candidates[-1]])):
        before = failures[candidates[-2]]
        if before.frames and failures[candidates[-1]].span.start_line - before.span.end_line <= CRASH_AFTER:
            return candidates[-2]
    # a spawned child that found its pipe empty (`EOFError: Ran out of input` in multiprocessing's
    # spawn `_main`) came of the parent failing to pickle the process object: the parent's is the one
    if len(candidates) > 1 and _is_spawn_child_eof(failures[candidates[-1]]):
        return candidates[-2]
    # a process pool's `BrokenProcessPool` after a worker's initializer or task raised: the worker
    # printed its own failure first (`Exception in initializer:`), and that is the one
    if len(candidates) > 1 and failures[candidates[-1]].exception.short_type == "BrokenProcessPool":
        for i in reversed(candidates[:-1]):
            if any(_is_pool_worker_frame(f) for f in failures[i].frames):
                return i
    # ImageAI's `loadModel()` catches a failure to read the weights, prints its traceback and goes
    # on: the `Model not yet loaded` of the next prediction came of the failure printed before it
    if len(candidates) > 1 and IMAGEAI_NOT_LOADED.search(failures[candidates[-1]].exception.message):
        return candidates[-2]
    return candidates[-1]


IMAGEAI_NOT_LOADED = Lazy(r"^Model not yet loaded\. You need to call '\.loadModel\(\)'")


def _is_pool_worker_frame(frame: Frame) -> bool:
    """A frame of `concurrent.futures`' worker loop, which runs the initializer and the tasks."""
    return frame.function == "_process_worker" and frame.path.replace("\\", "/").endswith(
        "futures/process.py"
    )


def _is_spawn_child_eof(tb: Traceback) -> bool:
    """A spawned process's `EOFError` (or truncated pickle) while unpickling what the parent sent."""
    if tb.exception.short_type not in ("EOFError", "UnpicklingError"):
        return False
    if any(f.function == "_main" and f.path.replace("\\", "/").endswith("spawn.py") for f in tb.frames):
        return True
    return any(SPAWN_MAIN.search(line) for line in (*tb.context, *tb.raw))


SPAWN_MAIN = Lazy(r'spawn\.py", line \d+, in _main|pickle\.load\(from_parent\)')  # compiled on first use


CRASH_AFTER = 3  # lines between a Python exception and a crash that came of it


def _is_abort(tb: Traceback) -> bool:
    """A C++ exception that escaped as the process went down (`terminate called after throwing an
    instance of 'c10::Error'`), with no Python frames: teardown after the exception before it."""
    return not tb.frames and "::" in tb.exception.type


def _is_signal(tb: Traceback) -> bool:
    """A crash line (`Killed`, `Segmentation fault (core dumped)`), not an exception."""
    m = None if tb.frames else SIGNAL.match(tb.exception.message)
    return m is not None and m.group("sig") == tb.exception.type


@lru_cache(maxsize=1)
def shipped_index() -> RuleIndex:
    t = shipped_tables()
    return RuleIndex(
        t.anchors,
        lambda i: rule_from(t.data(i), t.paths[i], t.anchors[i]),
        t.exceptions,
        t.fallback,
        t.phrases,
    )


def _diagnose(tb: Traceback, index: RuleIndex) -> tuple[Diagnosis, ...]:
    diagnoses, weak = match_rules_tiered(tb, index)
    return complete(tb, diagnoses, weak=weak)


def explain_chunks(chunks: Iterable[bytes], source: str = "-", index: RuleIndex | None = None) -> Report:
    """Read, parse and diagnose every failure of an input given as byte chunks."""
    failures, dropped, last = _scan(chunks)
    index = index or shipped_index()
    explained = tuple(Explained(tb, _diagnose(tb, index)) for tb in failures)
    if not explained and last is not None and any(line.strip() for line in last.lines):
        # no exception line at all: a failure when an exception is named inside a line, or when
        # a rule knows the message shape
        headless = headless_failure(last)
        diagnoses = match_rules(headless, index)
        if diagnoses or headless.exception.type:
            explained = (Explained(headless, complete(headless, diagnoses)),)
            failures = [headless]
    return Report(failures=explained, primary=primary_index(failures), dropped=dropped, source=source)


def failure_of(raw: bytes) -> Traceback | None:
    """The failure that ended a log, without matching: the one `explain_chunks` would diagnose
    first (a headless one only when the log has no exception line at all)."""
    failures, _, last = _scan([raw])
    if failures:
        return failures[primary_index(failures)]  # type: ignore[index]
    if last is not None and any(line.strip() for line in last.lines):
        return headless_failure(last)
    return None


def explain_stream(
    stream: BinaryIO, source: str = "-", echo: Callable[[bytes], None] | None = None
) -> Report:
    """Explain a binary stream (a file or a pipe), optionally echoing it as it arrives."""
    return explain_chunks(read_chunks(stream, echo), source)


def explain_text(text: str) -> Report:
    """Explain an in-memory text (notebooks, tests)."""
    return explain_chunks([text.encode("utf-8", "replace")], "<text>")


def explain_path(path: str) -> Report:
    """Explain one log file, reading it in chunks."""
    with open(path, "rb") as f:
        return explain_stream(f, path)


def explain_files(paths: list[str], workers: int | None = None) -> list[Report]:
    """Explain many log files on every core, in the order given; each file's memory stays bounded."""
    import os

    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(paths) < 4:
        return [explain_path(p) for p in paths]
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(workers) as pool:
        return list(pool.map(explain_path, paths, chunksize=max(1, len(paths) // (workers * 8))))
