"""From bytes to the regions of text where failures may be: bounded memory, any encoding.

The input is scanned in chunks. Outside a failure the scan only looks for a few seed
words with `bytes.find` (fast, no decoding); where one appears, the lines around it are
decoded, cleaned (ANSI colour, carriage-return progress bars, CRLF) and kept as a region
until the text stops looking like a traceback. Only regions are ever held in memory.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO

from analyzer.model import Record

CHUNK = 4 << 20
# A failure in the middle of a log is a traceback (its header, or IPython's, holds this word);
# a failure without one (a pasted last line, `Killed`, a bare `RuntimeError: ...`) ends the log,
# and the end of the log is always read. One `bytes.find` keeps the scan at memory speed.
SEEDS = (b"Traceback",)
BACK_LINES = 60  # lines kept before a seed: frames of a traceback whose header was lost
QUIET_LINES = 25  # lines without a traceback shape that close a region
MAX_REGION_LINES = 5000
MAX_LINE_CHARS = 8000
TAIL_LINES = 200  # the end of the input is always read: `Killed`, a pasted `RuntimeError: ...`
_KEEP_BYTES = 256 << 10  # bytes kept behind the scan for the back context
_MAX_PARTIAL = 1 << 20  # a line longer than this is cut for scanning

_ANSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-Z\\-_])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_HOT_START = re.compile(
    r"^(\s|File |Cell In|<ipython-input|-+>|\[\[|frame #|Function call stack|Node:|"
    r"Detected at node|Original Traceback|The above exception|During handling|\"\"\"|"
    r"[+|]|Exception raised from|terminate called|Killed|Segmentation fault|Bus error|Aborted|"
    r"Errors may have|Input Source|Arguments received|Call arguments|\S+ in \S+\(|"
    r"[A-Za-z_][\w.]*(Error|Exception|Interrupt|Exit|Iteration|error|Warning)\b)"
)
_SEED_TEXT = re.compile(r"rror|xception|Traceback|Assert|Killed|fault")


class Region(Record):
    """Consecutive cleaned lines of the input; `start_line` is the 1-based number of the first."""

    start_line: int
    lines: tuple[str, ...]

    @property
    def end_line(self) -> int:
        return self.start_line + len(self.lines) - 1


def clean_line(raw: bytes | str) -> str:
    """One line as a terminal would show it: decoded, no colour, last progress-bar redraw."""
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    if len(text) > MAX_LINE_CHARS:
        text = text[:MAX_LINE_CHARS]
    text = text.rstrip("\r\n")
    if "\x1b" in text:
        text = _ANSI.sub("", text)
    if "\r" in text:
        parts = [p for p in text.split("\r") if p.strip()]
        text = parts[-1] if parts else ""
    if "\x08" in text:
        text = _erase_backspaces(text)
    return _CONTROL.sub("", text).rstrip()


def _erase_backspaces(text: str) -> str:
    out: list[str] = []
    for ch in text:
        if ch == "\x08":
            if out:
                out.pop()
        else:
            out.append(ch)
    return "".join(out)


def _is_hot(line: str) -> bool:
    head = line[:400]
    return bool(head) and (_HOT_START.match(head) is not None or _SEED_TEXT.search(line) is not None)


def decode_chunks(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Chunks re-encoded as UTF-8 when the input is UTF-16 or UTF-32 (BOM or NUL pattern)."""
    it = iter(chunks)
    first = b""
    for chunk in it:
        first += chunk
        if len(first) >= 4096:
            break
    encoding = _sniff(first[:4096])
    if encoding is None:
        if first.startswith(codecs.BOM_UTF8):
            first = first[3:]
        if first:
            yield first
        yield from it
        return
    decoder = codecs.getincrementaldecoder(encoding)("replace")
    yield decoder.decode(first).lstrip("\ufeff").encode("utf-8", "replace")
    for chunk in it:
        yield decoder.decode(chunk).encode("utf-8", "replace")
    yield decoder.decode(b"", final=True).encode("utf-8", "replace")


def _sniff(head: bytes) -> str | None:
    for bom, name in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if head.startswith(bom):
            return name
    if len(head) >= 16 and head.count(b"\x00") * 3 > len(head):
        even = head[0::2].count(b"\x00")
        odd = head[1::2].count(b"\x00")
        if odd > 2 * even and even * 8 < len(head):
            return "utf-16-le"
        if even > 2 * odd and odd * 8 < len(head):
            return "utf-16-be"
    return None


_F_SETPIPE_SZ = 1031  # Linux fcntl: a pipe's buffer size


def widen_pipe(fd: int) -> None:
    """A 1 MiB pipe buffer instead of 64 KiB: a sixteenth of the wake-ups for a fast writer."""
    import stat

    try:
        if stat.S_ISFIFO(os.fstat(fd).st_mode):
            import fcntl

            fcntl.fcntl(fd, _F_SETPIPE_SZ, 1 << 20)
    except (OSError, ImportError):
        pass  # not Linux, or not allowed: the default buffer only costs some speed


def read_chunks(stream: BinaryIO, echo: Callable[[bytes], None] | None = None) -> Iterator[bytes]:
    """Chunks of a binary stream as they arrive (a pipe gives what it has, a file CHUNK bytes)."""
    fd = None
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError):
        fd = None
    if fd is not None:
        widen_pipe(fd)
    while True:
        chunk = os.read(fd, CHUNK) if fd is not None else stream.read(CHUNK)
        if not chunk:
            return
        if echo is not None:
            echo(chunk)
        yield chunk


class _Scanner:
    """Walks the input once, giving back regions; holds at most a few MiB at any time."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = iter(chunks)
        self._buf = bytearray()
        self._pos = 0  # the cursor in _buf
        self._base_lines = 0  # newlines of the input before _buf[0]
        self._eof = False

    def _fill(self) -> bool:
        """Append the next chunk, dropping what lies well behind the cursor (amortised)."""
        for chunk in self._chunks:
            if not chunk:
                continue
            if self._pos > 2 * _KEEP_BYTES:
                drop = self._pos - _KEEP_BYTES
                self._base_lines += self._buf.count(b"\n", 0, drop)
                del self._buf[:drop]
                self._pos -= drop
            self._buf += chunk
            return True
        self._eof = True
        return False

    def _line_no(self, pos: int) -> int:
        """1-based number of the input line holding byte `pos` of the buffer."""
        return self._base_lines + self._buf.count(b"\n", 0, pos) + 1

    def _find_seed(self) -> int | None:
        """Move the cursor to the start of the next line holding a seed; None at the end."""
        longest = max(len(s) for s in SEEDS)
        while True:
            end = len(self._buf) if self._eof else max(self._pos, len(self._buf) - longest + 1)
            best = -1
            for seed in SEEDS:
                hit = self._buf.find(seed, self._pos, end + len(seed) - 1)
                if hit >= 0 and (best < 0 or hit < best):
                    best = hit
                    end = hit
            if best >= 0:
                self._pos = self._buf.rfind(b"\n", 0, best) + 1
                return self._pos
            self._pos = end
            if self._eof or not self._fill():
                return None

    def _next_line(self) -> bytes | None:
        """The raw line at the cursor, moving past it; None at the end of the input."""
        while True:
            nl = self._buf.find(b"\n", self._pos)
            if nl >= 0:
                line, self._pos = bytes(self._buf[self._pos : nl]), nl + 1
                return line
            if len(self._buf) - self._pos > _MAX_PARTIAL or (self._eof or not self._fill()):
                if self._pos >= len(self._buf):
                    return None
                stop = min(len(self._buf), self._pos + _MAX_PARTIAL)
                line, self._pos = bytes(self._buf[self._pos : stop]), stop
                return line

    def _back_start(self, pos: int, floor: int) -> int:
        start = pos
        for _ in range(BACK_LINES):
            if start <= floor:
                break
            start = self._buf.rfind(b"\n", 0, start - 1) + 1
        return max(start, floor)

    def regions(self) -> Iterator[Region]:
        self._fill()
        floor = 0  # regions never overlap: back context stops where the last one ended
        while True:
            seed = self._find_seed()
            if seed is None:
                tail = self._tail(floor)
                if tail is not None:
                    yield tail
                return
            start = self._back_start(seed, floor)
            start_no = self._line_no(start)
            before_seed = self._buf.count(b"\n", start, seed)
            self._pos = start
            lines: list[str] = []
            quiet = 0
            while len(lines) < MAX_REGION_LINES:
                raw = self._next_line()
                if raw is None:
                    break
                line = clean_line(raw)
                lines.append(line)
                if len(lines) > before_seed + 1 and not _is_hot(line):
                    quiet += 1
                    if quiet >= QUIET_LINES:
                        break
                else:
                    quiet = 0
            floor = self._pos
            if lines:
                yield Region(start_no, tuple(lines))

    def _tail(self, floor: int) -> Region | None:
        """The last lines of the input when no region covers them (`Killed`, `Segmentation fault`)."""
        end = len(self._buf)
        if end <= floor:
            return None
        start = end
        for _ in range(TAIL_LINES):
            if start <= floor:
                break
            start = self._buf.rfind(b"\n", 0, start - 1) + 1
        start = max(start, floor)
        raw_lines = bytes(self._buf[start:end]).split(b"\n")
        if raw_lines and raw_lines[-1] == b"":
            raw_lines.pop()
        lines = tuple(clean_line(r) for r in raw_lines)
        return Region(self._line_no(start), lines) if any(lines) else None


def find_regions(chunks: Iterable[bytes]) -> Iterator[Region]:
    """Every candidate failure region of the input, in order, without holding the input."""
    yield from _Scanner(decode_chunks(chunks)).regions()
