"""Regions of text to typed tracebacks: a line lexer, the Lark grammar, and a Transformer.

The line lexer gives every line of a region one terminal (which kind of line it is and
where a multi-line message ends: that needs a look ahead and a little state, which a
grammar cannot express without conflicts). The LALR grammar in `grammar/traceback.lark`
puts the lines together into tracebacks; the Transformer turns its tree into the frozen
dataclasses of `model.py`. Parsing never raises: a line the grammar cannot place is
dropped into the traceback's raw lines or treated as noise.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from lark import Lark, Token, Transformer, Tree, v_args
from lark.exceptions import LarkError, UnexpectedInput
from lark.lexer import Lexer

from analyzer.ingest import Region
from analyzer.model import ChainLink, ExceptionInfo, Frame, Span, Traceback, is_user_path, replace

# --- line shapes ---------------------------------------------------------------------------


class Lazy:
    """A regular expression compiled when first used: most line shapes never occur in a given log,
    and compiling all of them would be most of the start-up time."""

    __slots__ = ("source", "flags", "_compiled")

    def __init__(self, source: str, flags: int = 0) -> None:
        self.source = source
        self.flags = flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.source, self.flags)
        return self._compiled

    def match(self, text: str) -> re.Match[str] | None:
        return self.compiled.match(text)

    def search(self, text: str) -> re.Match[str] | None:
        return self.compiled.search(text)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(text)

    def sub(self, repl: str | Callable[[re.Match[str]], str], text: str) -> str:
        return self.compiled.sub(repl, text)


TB_HEADER = Lazy(r"^\s*Traceback \(most recent call last\):?\s*$")
IPY_HEADER = Lazy(r"^(?P<type>[A-Za-z_][\w.]*)\s+Traceback \(most recent call last\)\s*$")
GROUP_HEADER = Lazy(r"^\s*\+?\s*Exception Group Traceback \(most recent call last\):\s*$")
OLD_WORKER = Lazy(
    r"^(?P<type>[A-Za-z_][\w.]*(?:Error|Exception|Interrupt)): Traceback \(most recent call last\):$"
)
ORIG_HEADER = Lazy(r"^\s*Original Traceback \(most recent call last\):\s*$")
CAUSE = Lazy(r"^\s*The above exception was the direct cause of the following exception:")
CONTEXT = Lazy(r"^\s*During handling of the above exception, another exception occurred:")
PY_FRAME = Lazy(r'^(?P<indent>\s*)File "(?P<path>.*)", line (?P<line>\d+)(?:, in(?: (?P<func>.*?))?)?\s*$')
IPY_FRAME = Lazy(r"^(?P<indent>\s*)File (?P<path>\S.*?):(?P<line>\d+)(?:, in (?P<func>.*?))?\s*$")
IPY_CELL = Lazy(r"^(?P<indent>\s*)(?P<path>Cell In\s*\[\d*\]), line (?P<line>\d+)(?:, in (?P<func>.*?))?\s*$")
IPY_OLD_FRAME = Lazy(
    r"^(?P<indent>)(?P<path><ipython-input-[^>]+>|<[\w.\- ]+>|(?:[A-Za-z]:)?[\\/~]\S.*?\.py[xc]?|\S+\.py[xc]?)"
    r" in (?P<func><cell line: \d+>|[\w.<>]+)\(.*$"
)
# IPython 7 and Colab: `<ipython-input-49-9969...> in <module>`, without the arguments
IPY_INPUT_FRAME = Lazy(
    r"^(?P<indent>)(?P<path><ipython-input-[^>]+>|(?:[A-Za-z]:)?[\\/~]\S*?\.py[xc]?) in (?P<func><cell line: \d+>|[\w.<>]+)\s*$"
)
# IPython 8.0 to 8.4: `Input In [41], in <cell line: 3>()` (the line number is on the `---->` arrow)
IPY_INPUT_IN = Lazy(
    r"^(?P<indent>\s*)(?P<path>Input In\s*\[\d*\]), in (?P<func><cell line: \d+>|[\w.<>]+)\(.*\)\s*$"
)
TF_OLD_FRAME = Lazy(
    r"^(?P<indent>\s+)(?P<path>(?:[A-Za-z]:)?[\\/~][^:]*?\.py|<[^>]+>):(?P<line>\d+) (?P<func>[\w.<>]+)(?:\s+\*)?\s*$"
)
# a Python frame whose `File "` a paste cut off (`torch\utils\data\dataloader.py", line 530, in __next__`)
CUT_FRAME = Lazy(
    r'^(?P<indent>\s*)(?P<path>[^\s"]+\.py[xc]?)", line (?P<line>\d+)(?:, in (?P<func>\S+))?\s*$'
)
# the libraries a cut frame's path may begin with, now that its site-packages prefix is gone
CUT_LIBRARY = Lazy(
    r"^(?:torch|torchvision|torchaudio|tensorflow|keras|tf_keras|numpy|PIL|cv2|imageai|lightning|"
    r"pytorch_lightning|transformers|timm|mmcv|mmdet|mmengine|detectron2|fvcore|albumentations|scipy|"
    r"sklearn|pandas|h5py|multiprocessing|concurrent|ultralytics|accelerate|datasets)[\\/]"
)
# `<ipython-input-3-...> in <module>()` after a web page ate the `<...>` as a tag
IPY_EATEN = Lazy(r"^(?P<indent>)(?P<path>)in (?P<func>[\w.<>]*)\(.*\)\s*$")
IPY_CODE = Lazy(r"^\s*(?P<arrow>-*>)?\s*(?P<line>\d+)(?: (?P<code>.*))?$")
CARET = Lazy(r"^\s*[\^~]+[\s\^~]*$")
REPEAT = Lazy(r"^\s*\[Previous line repeated (?P<n>\d+) more times?\]\s*$")
EXC_LOOSE = Lazy(
    r"^(?P<type>[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*(?:::[A-Za-z_]\w*)*)"
    r"(?: \(see above for traceback\))?(?:(?<=Error) (?=[:\uff1a])|(?<=Exception) (?=[:\uff1a]))?"
    r"(?:[:\uff1a]\s*(?P<msg>.*))?$"  # a full-width colon from a CJK paste; `Error :` from a French one
)
_FAILURE_NAME = Lazy(r"(Error|Exception|Exit|Interrupt|Failure|Fault|error|Timeout|Traceback)$")
# a class of a library's exceptions module needs no failure-like name: `torch._dynamo.exc.Unsupported`,
# `torch._inductor.exc.TritonMissing`, `torch._dynamo.exc.BackendCompilerFailed`
_EXC_MODULE = Lazy(r"\.(?:exc|errors?|exceptions?|errors_impl)\.[A-Z]\w*$")
DETECTED = Lazy(
    r"^\s*Detected at node:?\s*'?(?P<node>[^'\s]+?)'?(?: defined at \(most recent call last\):)?\s*$"
)
NODE = Lazy(r"^\s*Node: '?(?P<node>[^']+?)'?\s*$")
ROOT_ERRORS = Lazy(r"^\d+ root error\(s\) found\.\s*$")
NODE_REF = Lazy(r"\[\[\{\{node (?P<node>[^}]+)\}\}|\[\[[Nn]ode:? (?P<node2>[^\s\]=]+)")


def node_refs(text: str) -> list[str]:
    """The TensorFlow node names a line refers to (`[[{{node x}}]]`, TF1's `[[Node: x = ...`)."""
    return [m.group("node") or m.group("node2") for m in NODE_REF.finditer(text)]


OP_FUNC = Lazy(r"\[Op:__inference_(?P<func>\w+?)_\d+\]")
CALL_STACK = Lazy(r"^\s*Function call stack:\s*$")
CALL_NAME = Lazy(r"^\s*[A-Za-z_]\w*(?:\s*->\s*[A-Za-z_]\w*)*\s*$")
CPP_HEADER = Lazy(r"^\s*Exception raised from (?P<func>.+?) at (?P<where>.+?) \(most recent call first\):")
CPP_FRAME = Lazy(
    r"^\s*(?:frame )?#(?P<n>\d+):? (?P<sym>.+?)(?: \+ 0x[0-9a-f]+)?"
    r"(?: \((?:0x[0-9a-f]+ in )?(?P<lib>[^()]*)\)| from (?P<src>\S+))?\s*$"
)
CPP_CAPTURED = Lazy(r"^\s*C\+\+ CapturedTraceback:\s*$")
# a post whose Markdown ate the backticks keeps the condition bare; a condition may quote words in
# backticks of its own (`probability tensor contains either `inf`, `nan` or element < 0`)
KERNEL_ASSERT = Lazy(
    r"block: \[[\d,\s]+\], thread: \[[\d,\s]+\] Assertion "
    r"(?:`(?P<cond>[^`\n]*(?:`[^`\n]*`[^`\n]*)*)`|[^`\n]+?) failed"
)
SIGNAL = Lazy(
    r"^(?:.*\b\d+\s+)?(?P<sig>Killed|Segmentation fault|Bus error|Aborted|Illegal instruction|"
    r"Floating point exception)(?: \(core dumped\))?(?:\s+.*)?$"
)
# NumPy's floating-point warning as the warnings module prints it (`path:line: RuntimeWarning: invalid
# value encountered in sqrt`): the NaN or inf it reports is a failure even when nothing raised
PY_WARNING = Lazy(
    r"^\s*(?P<path>\S.*?):(?P<line>\d+): (?P<type>RuntimeWarning): "
    r"(?P<msg>(?:invalid value|divide by zero|overflow) encountered in .*)$"
)
TERMINATE = Lazy(r"^terminate called after throwing an instance of '(?P<type>[^']+)'")
WHAT = Lazy(r"^\s*what\(\):\s*(?P<msg>.*)$")
IGNORED = Lazy(r"^Exception ignored in")
QUOTE = Lazy(r'^\s*"""\s*$')
GROUP_PREFIX = Lazy(r"^(?P<indent> *)(?:(?P<sep>\+-[-+]*(?:\s*(?:\d+|\.\.\.)\s*-+)?)\s*$|[+|] ?)")
_LOG_LINE = Lazy(
    r"^(\d{4}-\d\d-\d\d[ T]|\[?\d\d:\d\d:\d\d|\[\w+ \d|[IWEF]\d{4} |Epoch \d|\s*\d+%\||"
    r"\s*\d+/\d+ \[|\s*\d+/\d+ [━=.>]|INFO|WARNING|DEBUG)"
)
_MSG_GOES_ON = Lazy(
    r"^(\s+\S|\[\[|Detected at node|Node:|Function call stack|Errors may have originated|"
    r"Input Source operations|Arguments received|Call arguments received|Exception encountered|"
    r"Original stack trace|Stack trace|Exception raised from|frame #|Additional GRPC|"
    r"Received a label value|\(\d+\) [A-Z_]+:|\d+ root error|\d+ successful operations|"
    r"\d+ derived errors|Hint|Note|Consider|If you|You can|Please|Compile with|"
    r"For debugging consider|CUDA kernel errors|Traceback|\"\"\"|from user code:|Set TORCHDYNAMO_VERBOSE|"
    r"For more details about this graph break|config=\{)"
)
_STRUCTURAL_OUT = ("TB_HEADER", "IPY_HEADER", "GROUP_HEADER", "SIGNAL", "TERMINATE", "IGNORED")
MAX_MSG_LINES = 400


def _frame_match(line: str) -> re.Match[str] | None:
    for shape in (
        PY_FRAME,
        IPY_CELL,
        IPY_INPUT_IN,
        IPY_FRAME,
        IPY_OLD_FRAME,
        IPY_INPUT_FRAME,
        IPY_EATEN,
        CUT_FRAME,
    ):
        m = shape.match(line)
        if m:
            return m
    return None


# a line of Python source: an assignment, a call or a subscript, not a log record or prose
CODE_LIKE = Lazy(
    r"^\s*(?:[A-Za-z_][\w.]*(?:\[[^\]]*\])?\s*(?:,\s*[A-Za-z_][\w.]*\s*)*[-+*/]?=[^=]|(?:return|raise|assert|yield)\b|[A-Za-z_][\w.]*\()"
)

# an error line with a message, as a paste may indent it under the code line that raised it
_INDENTED_EXC = Lazy(r"(?:[A-Za-z_]\w*\.)*[A-Z]\w*(?:Error|Exception)(?:: \S|`?\s*$)")


def _unfenced(line: str) -> str:
    """An exception line that closes a markdown code span (`MemoryError``), without the backtick."""
    end = line.rstrip()
    return end[:-1] if end.endswith("`") and line.count("`") % 2 else line


def _exception_match(line: str, strict: bool) -> re.Match[str] | None:
    """An exception line; `strict` (outside a traceback) asks for a failure-like type name."""
    if not line or (line[0].isspace() and not strict):
        return None
    m = EXC_LOOSE.match(_unfenced(line).strip())
    if m is None:
        return None
    name = m.group("type")
    short = re.split(r"\.|::", name)[-1]
    if name in ("Traceback", "File", "Cell", "Node", "Note", "Hint"):
        return None
    if short.endswith("Warning") and strict:
        return None  # a warning line in the log; right after a traceback's frames it was raised
    if strict and name[0].islower() and not name.islower() and short == name:
        return None  # `ncclSystemError: ...` under a RuntimeError: Python's classes are CamelCase
    if strict or m.group("msg") is None and ":" not in line:
        exc_module = _EXC_MODULE.search(name) is not None
        if (
            not _FAILURE_NAME.search(short)
            and short not in ("KeyboardInterrupt", "StopIteration")
            and not exc_module
        ):
            return None
        if (
            strict
            and m.group("msg") is None
            and not line.rstrip().endswith(":")
            and not short.endswith(("Error", "Exception", "Interrupt"))
        ):
            return None
    return m


# --- the line lexer --------------------------------------------------------------------------


# the lexer's and builder's own records are plain slotted classes: a dataclass costs about a
# millisecond of start-up each, and these are never compared or printed
class _Line:
    __slots__ = ("kind", "text", "number")

    def __init__(self, kind: str, text: str, number: int) -> None:
        self.kind = kind
        self.text = text
        self.number = number


_HEADER_TEXT = "Traceback (most recent call last):"
_IPY_TYPE_PREFIX = re.compile(r"[\w.]+\s+")
_GUTTER = ("\u2502", "\u2503")  # │ ┃


def strip_log_prefix(lines: Sequence[str]) -> Sequence[str]:
    """Lines of a log whose collector prefixed each one (`2024-05-01T12:00:00Z `, `[12:00:01] `,
    `INFO:root: `): the prefix of the traceback header, with its numbers free to change, is
    removed from every line that starts with it. A box-drawing gutter (`│` before every line of a
    terminal pane or a pasted panel) is removed too."""
    if any(text.startswith(_GUTTER) for text in lines):
        lines = [text[1:] if text.startswith(_GUTTER) else text for text in lines]
    for text in lines:
        at = text.find(_HEADER_TEXT)
        if at <= 0:
            continue
        prefix = text[:at]
        if OLD_WORKER.match(text.strip()):
            continue  # PyTorch < 1.0's `TypeError: Traceback (most recent call last):`, not a prefix
        # a collector's prefix has a time, a level or a source in it (digits, brackets, colons);
        # `Original `, `  + Exception Group ` and IPython's `ValueError   ` belong to the header
        stamped = any(c.isdigit() or c in "[]:|" for c in prefix)
        if not stamped or len(prefix) > 80 or prefix[-1].isalnum() or _IPY_TYPE_PREFIX.fullmatch(prefix):
            return lines
        shape = re.compile("^" + re.sub(r"\d+", r"\\d+", re.escape(prefix)))
        return [shape.sub("", line, count=1) for line in lines]
    return lines


_JOIN_SPLIT = Lazy(
    r'(?<=\S)\s+(?=File "[^"\n]+", line \d+|Traceback \(most recent call last\):|'
    r"During handling of the above exception|The above exception was the direct cause)"
)
_JOIN_FRAME = Lazy(r'^(File "[^"]+", line \d+(?:, in (?:<[^>]*>(?:\(\))?|\S+))?)(?:\s+(\S.*))?$')
_JOIN_EXC = Lazy(r"(?:^|\s)(?=(?:[A-Za-z_]\w*\.)*[A-Z]\w*(?:Error|Exception|Interrupt|Exit)\b:(?: |$))")


def split_at_exception(text: str) -> tuple[str, ExceptionInfo] | None:
    """A line that runs the code that raised into its exception line (`x = f() ValueError: ...`,
    as one-line pastes and issue titles do): the code and the exception, or None."""
    at = _JOIN_EXC.compiled.search(text)
    if at is None or not text[: at.start()].strip():
        return None
    m = _exception_match(text[at.end() :], strict=True)
    return None if m is None else (text[: at.start()], ExceptionInfo(m.group("type"), m.group("msg") or ""))


# PyTorch before 1.0 re-raised a DataLoader worker's failure with the worker's whole traceback as
# the message, newlines escaped: `KeyError: 'Traceback (most recent call last):\n  File ...'`
_ESCAPED_HEADER = _HEADER_TEXT + "\\n"


def _unescape(lines: Sequence[str]) -> tuple[Sequence[str], list[int] | None]:
    """A message holding an escaped traceback split into that traceback's lines."""
    out: list[str] = []
    where: list[int] = []
    for i, text in enumerate(lines):
        at = text.find(_ESCAPED_HEADER)
        parts = [text] if at < 0 else [text[:at], *text[at:].split("\\n")]
        for part in parts:
            if part.strip() and part.strip() not in ("'", '"'):
                out.append(part.replace("\\'", "'"))
                where.append(i)
    return out, where


def _frame_runs_into_exception(text: str) -> bool:
    """A frame line that runs on into its code and the exception (`File "a.py", line 3, in f
    x = g() ValueError: ...`, as an issue title holds the end of a traceback)."""
    line = text.lstrip()
    if not line.startswith('File "'):
        return False
    m = _JOIN_FRAME.match(line)
    return m is not None and m.group(2) is not None and _JOIN_EXC.search(m.group(2)) is not None


def unjoin_lines(lines: Sequence[str]) -> tuple[Sequence[str], list[int] | None]:
    """A traceback pasted with its lines run together (`Traceback (most recent call last): File
    "a.py", line 3, in <module> main() File ... ValueError: ...`, as forums, chat tools and some
    loggers flatten it) split back into its lines: each frame, its code line and the exception
    line. Gives the lines and, when anything was split, each one's index in the input."""
    if any(_ESCAPED_HEADER in text for text in lines):
        return _unescape(lines)
    if not any(
        'File "' in text and text.find('File "') > len(text) - len(text.lstrip()) for text in lines
    ) and not any(_frame_runs_into_exception(text) for text in lines):
        return lines, None
    out: list[str] = []
    where: list[int] = []
    changed = False
    for i, text in enumerate(lines):
        at = text.find('File "')
        pieces = _JOIN_SPLIT.compiled.split(text) if at > len(text) - len(text.lstrip()) else [text]
        single = len(pieces) == 1 and _frame_runs_into_exception(text)
        if single:
            pieces = ["", text.lstrip()]
        # a paste joins two or more parts (the header and a frame, or frames); one frame after
        # a prefix (`  | File`, `[rank0]: File`) is a prefixed line, not a joined one
        if not single and len(pieces) < 3 and not (len(pieces) == 2 and _HEADER_TEXT in pieces[0]):
            out.append(text)
            where.append(i)
            continue
        changed = True
        out.append(pieces[0])
        where.append(i)
        inner = ""  # TensorFlow's `in user code:` message embeds a traceback, indented
        for piece in pieces[1:]:
            m = _JOIN_FRAME.match(piece)
            if m is None:
                out.append(inner + piece)
                where.append(i)
                continue
            out.append(inner + "  " + m.group(1))
            where.append(i)
            rest = m.group(2)
            if not rest:
                continue
            exc = _JOIN_EXC.search(rest)
            code, message = (rest, "") if exc is None else (rest[: exc.start()], rest[exc.end() :])
            for part in (
                inner + "    " + code.strip() if code.strip() else "",
                inner + message if message else "",
            ):
                if part:
                    out.append(part)
                    where.append(i)
            if message.rstrip().endswith("in user code:"):
                inner = "    "
    return (out, where) if changed else (lines, None)


def lex_lines(lines: Sequence[str], first: int = 1) -> list[_Line]:
    """Give each line of a region its kind (a grammar terminal); blank lines are dropped."""
    lines = strip_log_prefix(lines)
    lines, where = unjoin_lines(lines)
    out: list[_Line] = []
    state = "out"  # out | tb | msg
    group = False
    group_indent = 0
    i = 0
    n = len(lines)
    msg_lines = 0
    after_msg_file = False
    tf_graph = False  # the message is TensorFlow's graph error: it may embed a Python traceback
    embedded = False
    open_message = False  # the exception line announces more below a blank line
    ipython_frame = False  # the last frame is IPython's: its code lines are numbered
    file_indent = 0  # how far the last `File` line was indented
    detected = False  # inside TensorFlow's `Detected at node ... defined at` frame list
    call_stack = False
    remote_depth = 0

    def emit(kind: str, idx: int, text: str | None = None) -> None:
        out.append(
            _Line(kind, lines[idx] if text is None else text, first + (idx if where is None else where[idx]))
        )

    while i < n:
        text = _unquote(lines[i])
        if group:
            gm = GROUP_PREFIX.match(text)
            if gm and gm.group("sep") is not None:
                is_end = not re.search(r"\d|\.\.\.", gm.group("sep"))
                if is_end and len(gm.group("indent")) > group_indent + 2:
                    # a nested group closes: its parts are kept flat in the outer one
                    i += 1
                    continue
                if state == "tb":
                    emit("NO_EXC", i, "")
                emit("GROUP_END" if is_end else "GROUP_SEP", i)
                state = "out" if is_end else "chain"
                group = not is_end
                i += 1
                continue
            if gm:
                text = text[gm.end() :]
            elif text.strip():
                group = False
        stripped = text.strip()
        if not stripped:
            if state == "msg" and not embedded:
                nxt = _next_nonblank(lines, i)
                ahead = _unquote(lines[nxt]) if nxt is not None else ""
                goes_on = nxt is not None and (
                    _MSG_GOES_ON.match(ahead)
                    or open_message
                    and not _starts_something(ahead)
                    or _chain_follows(lines, nxt)
                )
                if not goes_on or msg_lines >= MAX_MSG_LINES:
                    state = "out"
                    call_stack = False
            i += 1
            continue

        kind = _structural(text)
        if kind == "GROUP_HEADER" and not group:
            group = True
            group_indent = len(text) - len(text.lstrip())
        if state == "msg" and embedded:
            # a Python traceback printed inside TensorFlow's message (a `PyFunc` or generator
            # failing in the input pipeline): text of the message until the node brackets
            if NODE_REF.search(text) and text.lstrip().startswith("[[") or msg_lines >= MAX_MSG_LINES:
                embedded = False
                emit("NODE_REF", i, text)
            else:
                emit("MSG", i, text)
            msg_lines += 1
            i += 1
            continue
        if state == "msg" and kind == "TB_HEADER" and tf_graph:
            embedded = True
            continue
        if state == "msg":
            kind, state = _in_message(text, kind, after_msg_file, call_stack, detected, tf_graph)
            after_msg_file = kind == "MSG_FILE"
            detected = (
                kind in ("DETECTED", "MSG_FILE", "MSG_CODE") or detected and CARET.match(text) is not None
            ) and (detected or kind == "DETECTED")
            if kind == "MSG" and text.lstrip().startswith(("The op is created at", "from user code:")):
                # frames listed inside the message (XLA's op creation, torch.compile's user code)
                detected = True
            if kind == "CALL_STACK":
                call_stack = True
            elif kind != "CALL_NAME":
                call_stack = False
            if kind == "QUOTE" and remote_depth > 0:
                # the closing `"""` of a RemoteTraceback's inner traceback
                emit("QUOTE_END", i, text)
                remote_depth -= 1
                state = "out"
                i += 1
                continue
            if kind == "QUOTE":
                remote_depth += 1
                state = "out_remote"  # the opening `"""` of a RemoteTraceback: its traceback follows
            if state == "msg":
                msg_lines += 1
                emit(kind, i, text)
                i += 1
                continue
            if kind == "MSG_END":
                kind = _structural(text)
        if state == "out_remote":
            emit("QUOTE", i, text)
            state = "remote_wait"
            i += 1
            continue
        if state == "remote_wait":
            if kind == "TB_HEADER":
                emit(kind, i, text)
                state = "tb"
                i += 1
                continue
            state = "out"
        if kind == "QUOTE" and remote_depth > 0:
            if state == "tb":
                emit("NO_EXC", i, "")
            emit("QUOTE_END", i, text)
            remote_depth -= 1
            state = "out"
            i += 1
            continue

        if (
            kind is None
            and state in ("out", "tb")
            and (NODE.match(text) or DETECTED.match(text) or ROOT_ERRORS.match(text))
        ):
            # a TensorFlow node block (or its `N root error(s) found.` head) whose exception line
            # was not copied: still a failure
            emit("EXC", i, "")
            state = "msg"
            msg_lines = 0
            continue
        if kind in ("TB_HEADER", "IPY_HEADER", "GROUP_HEADER", "ORIG_HEADER"):
            if state == "tb" and kind != "ORIG_HEADER":
                emit("NO_EXC", i, "")
            emit(kind, i, text)
            state = "tb"
        elif kind in ("CAUSE", "CONTEXT"):
            if state == "tb":
                emit("NO_EXC", i, "")
            emit(kind, i, text)
            state = "chain"
        elif kind in ("SIGNAL", "IGNORED", "TERMINATE"):
            if state == "tb":
                emit("NO_EXC", i, "")
            emit(kind, i, text)
            state = "out"
            if kind == "TERMINATE":
                j = i + 1
                if j < n and WHAT.match(lines[j]):
                    emit("WHAT", j, lines[j])
                    i = j
                    state = "msg"
                    msg_lines = 0
                else:
                    out[-1].kind = "NOISE"
        elif _frame_match(text) and (
            state == "tb" or not text.startswith((" ", "\t")) or PY_FRAME.match(text)
        ):
            emit("FILE", i, text)
            ipython_frame = PY_FRAME.match(text) is None
            file_indent = len(text) - len(text.lstrip())
            state = "tb"
        elif state == "tb" and TF_OLD_FRAME.match(text):
            emit("FILE", i, text)
        elif state == "tb" and REPEAT.match(text):
            emit("REPEAT", i, text)
        elif state == "tb" and CARET.match(text):
            emit("CARET", i, text)
        elif (
            state == "tb"
            and text[0].isspace()
            and len(text) - len(text.lstrip()) <= file_indent
            and _exception_match(stripped, strict=True)
        ):
            # an exception line indented like its frames (Keras' `in user code:` block pasted
            # without its head): code lines sit deeper than their `File` line
            emit("EXC", i, stripped)
            state = "msg"
            msg_lines = 0
            open_message = False
        elif (
            state == "tb"
            and out[-1].kind == "CODE"
            and text[0].isspace()
            and _INDENTED_EXC.match(stripped)
            and not _exception_match(out[-1].text.strip(), strict=True)
        ):
            # the exception line pasted at its code line's indentation: a frame's code line is
            # never followed by a second one naming an error
            emit("EXC", i, _unfenced(stripped))
            state = "msg"
            msg_lines = 0
            open_message = False
        elif state == "tb" and (text[0].isspace() or ipython_frame and IPY_CODE.match(text)):
            emit("CODE", i, text)
        elif (
            state == "tb"
            and out[-1].kind == "FILE"
            and file_indent == 0
            and not ipython_frame
            and CODE_LIKE.match(text)
            and not _exception_match(text, strict=True)
        ):
            # a paste that lost its indentation: the line under an unindented `File` line is
            # that frame's code
            emit("CODE", i, text)
        elif state == "tb" and text.endswith(":") and OLD_WORKER.match(text):
            # PyTorch < 1.0 re-raised a worker's failure as `TypeError: Traceback (most recent ...`:
            # the worker's own traceback follows, as with today's `Original Traceback`
            emit("EXC", i, OLD_WORKER.sub(r"\g<type>: (in a DataLoader worker)", text))
            emit("ORIG_HEADER", i, "Original Traceback (most recent call last):")
            ipython_frame = False
        elif _exception_match(text, strict=state not in ("tb", "chain")):
            emit("EXC", i, _unfenced(text))
            state = "msg"
            msg_lines = 0
            open_message = _OPEN_MESSAGE.search(text) is not None
            tf_graph = "Graph execution error" in text or "errors_impl" in text
        elif state != "tb" and _VSCODE.match(text) and i + 1 < n and lines[i + 1].strip():
            # VS Code's `Exception has occurred: X` with the message on the next line
            emit("EXC", i, _VSCODE.sub(r"\g<type>:", text) + " " + lines[i + 1].strip())
            i += 1
            state = "msg"
            msg_lines = 0
            open_message = False
        elif state == "tb":
            emit("RAW", i, text)
        elif state == "chain" and stripped in ("...", "[...]", "…"):
            pass  # the poster cut the next traceback short: its exception line follows
        elif state == "chain":
            emit("NOISE", i, text)
            if out[-2].kind in ("CAUSE", "CONTEXT"):
                out[-2].kind = "NOISE"
            state = "out"
        else:
            emit("NOISE", i, text)
        i += 1
    if state == "tb":
        out.append(_Line("NO_EXC", "", first + n - 1))
    elif state == "chain" and out and out[-1].kind in ("CAUSE", "CONTEXT"):
        out[-1].kind = "NOISE"
    return _balance_quotes(out)


_MARKDOWN = Lazy(r"^(> ?|\*\*|`{3}\s*$)")
_MD_LINK = Lazy(r"\[([^\]]+)\]\((?:https?|vscode-notebook-cell|vscode-[\w-]+|file)[:+][^)]*\)")


# an exception line posted inside double quotes: `"RuntimeError: ..."`
_QUOTED_EXCEPTION = Lazy(r'^"[A-Za-z_][\w.]*(?:Error|Exception|Interrupt|Exit|Warning): .*"\s*$')
_RANK_PREFIX = Lazy(r"^(?:\[[\w.\-]{1,32}\]:)+ ?")
# an exception or frame line posted as a markdown code span (a list item's too): `` `ValueError: ...` ``,
# `` `File "x.py"... ``
_CODE_SPAN = Lazy(
    r'^(\s*)(?:[-*+] )?`(?!`)((?:[A-Za-z_][\w.]*(?:Error|Exception|Interrupt|Exit|Warning)\b|File ").*?)`?\s*$'
)


def _unquote(text: str) -> str:
    """A line as printed or posted: drop a launcher's `[rank0]: ` (torchrun: `[default0]:[rank0]: `),
    a `> ` quote, `**` bold around the words, double quotes around an exception line, and the
    backticks of a markdown code span around an exception or frame line."""
    if text[:1] == "[" and "]:" in text[:80]:
        text = _RANK_PREFIX.sub("", text)
    if "](" in text:
        text = _MD_LINK.sub(r"\1", text)
    if text[:1] == '"' and _QUOTED_EXCEPTION.match(text):
        text = text.strip()[1:-1]
    if "`" in text[:40] and (m := _CODE_SPAN.match(text)):
        text = m.group(1) + m.group(2)
    if text[:1] in (">", "*", "`") and _MARKDOWN.match(text):
        if text.startswith(">"):
            text = text[2:] if text.startswith("> ") else text[1:]
        text = text.replace("**", "")
        if text.strip() == "```":
            return ""
    return text


def _balance_quotes(tokens: list[_Line]) -> list[_Line]:
    """A RemoteTraceback cut short leaves an unclosed `\"\"\"`: keep the grammar's shape."""
    opened = 0
    for tok in tokens:
        if tok.kind == "QUOTE":
            opened += 1
        elif tok.kind == "QUOTE_END":
            opened -= 1
    if opened > 0:
        for tok in reversed(tokens):
            if tok.kind == "QUOTE":
                tok.kind = "NOISE"
                break
    return tokens


_OPEN_MESSAGE = Lazy(r"(:\s*$|Exception encountered when calling|in user code:)")
_VSCODE = Lazy(r"^Exception has occurred: (?P<type>[A-Za-z_][\w.]*)(?:\s+\(note: [^)]*\))?\s*$")


def _starts_something(text: str) -> bool:
    """A line after a blank one that begins something new rather than going on with a message."""
    return (
        _structural(text) is not None
        or _frame_match(text) is not None
        or _LOG_LINE.match(text) is not None
        or _exception_match(text, strict=True) is not None
    )


def _chain_follows(lines: Sequence[str], i: int, limit: int = 6) -> bool:
    """Plain text from line i on, then a chain marker within a few lines: the text is the end of
    a long message (torch.load's `Check the documentation ...` after its numbered advice)."""
    seen = 0
    for j in range(i, len(lines)):
        text = lines[j].strip()
        if not text:
            continue
        if CAUSE.match(text) or CONTEXT.match(text):
            return seen > 0
        seen += 1
        if seen > limit or _starts_something(text):
            return False
    return False


def _next_nonblank(lines: Sequence[str], i: int) -> int | None:
    for j in range(i + 1, min(len(lines), i + 4)):
        if lines[j].strip():
            return j
    return None


def _structural(text: str) -> str | None:
    # cheap word tests first: most lines of a log are none of these, and their patterns then
    # never need compiling
    if "Traceback" in text:
        for kind, shape in (("TB_HEADER", TB_HEADER), ("IPY_HEADER", IPY_HEADER), ("GROUP_HEADER", GROUP_HEADER),
                            ("ORIG_HEADER", ORIG_HEADER)):  # fmt: skip
            if shape.match(text):
                return kind
    if "exception" in text:
        if CAUSE.match(text):
            return "CAUSE"
        if CONTEXT.match(text):
            return "CONTEXT"
    if '"""' in text and QUOTE.match(text):
        return "QUOTE"
    if text.startswith("terminate called") and TERMINATE.match(text):
        return "TERMINATE"
    if text.startswith("Exception ignored") and IGNORED.match(text):
        return "IGNORED"
    if len(text) < 200 and any(word in text for word in _SIGNAL_WORDS) and SIGNAL.match(text):
        return "SIGNAL"
    return None


_SIGNAL_WORDS = ("Killed", "fault", "Bus error", "Aborted", "Illegal instruction", "Floating point")


def _in_message(
    text: str, structural: str | None, after_msg_file: bool, call_stack: bool, detected: bool, tf_graph: bool
) -> tuple[str, str]:
    """The kind of a line that follows an exception line, and whether the message goes on."""
    if structural in ("TB_HEADER", "IPY_HEADER", "GROUP_HEADER", "CAUSE", "CONTEXT", "TERMINATE", "IGNORED"):
        return "MSG_END", "out"
    if structural == "ORIG_HEADER":
        return "MSG_END", "out"
    if structural == "QUOTE":
        return "QUOTE", "msg"
    if structural == "SIGNAL":
        return "MSG_END", "out"
    if call_stack and CALL_NAME.match(text):
        return "CALL_NAME", "msg"
    if "Function call stack" in text and CALL_STACK.match(text):
        return "CALL_STACK", "msg"
    if "Detected at node" in text and DETECTED.match(text):
        return "DETECTED", "msg"
    if "Node:" in text and NODE.match(text):
        return "NODE", "msg"
    if text.lstrip().startswith("[[") and NODE_REF.search(text):
        return "NODE_REF", "msg"
    if ("Exception raised from" in text or "C++" in text) and (
        CPP_HEADER.match(text) or CPP_CAPTURED.match(text)
    ):
        return "CPP_HEADER", "msg"
    if "#" in text and CPP_FRAME.match(text):
        return "CPP_FRAME", "msg"
    frame = PY_FRAME.match(text) or (":" in text and TF_OLD_FRAME.match(text))
    if frame:
        if detected or len(frame.group("indent")) >= 3:
            return "MSG_FILE", "msg"
        return "MSG_END", "out"
    if after_msg_file and text[:1].isspace():
        return "MSG_CODE", "msg"
    if text[:1].isspace() and _exception_match(text.strip(), strict=True) and ":" in text:
        return "INNER_EXC", "msg"
    if _LOG_LINE.match(text):
        return "MSG_END", "out"
    second = not tf_graph and not text[:1].isspace() and _exception_match(text, strict=True)
    if second and re.split(r"\.|::", second.group("type"))[-1][:1].isupper():
        # a second exception line right below the first: a new bare failure
        return "MSG_END", "out"
    return "MSG", "msg"


# --- the grammar --------------------------------------------------------------------------------


class _TokenFeed(Lexer):
    """Hands the parser the lines the line lexer already classified."""

    def __init__(self, lexer_conf: object) -> None:
        pass

    def lex(self, lines: list[_Line]) -> Iterator[Token]:  # type: ignore[override]
        for line in lines:
            yield Token(line.kind, line.text, line=line.number, end_line=line.number)


@lru_cache(maxsize=1)
def get_parser() -> Lark:
    """The LALR parser, built once per process (and cached on disk by lark)."""
    grammar = (Path(__file__).parent / "grammar" / "traceback.lark").read_text()
    return Lark(
        grammar,
        parser="lalr",
        lexer=_TokenFeed,
        propagate_positions=True,
        strict=True,
        maybe_placeholders=False,
        cache=True,
    )


# --- tree to model ------------------------------------------------------------------------------


class _Exc:
    __slots__ = ("type", "message_lines", "frames", "inner", "inner_exc", "ops", "tf_function", "native")
    __slots__ += ("first", "last")

    def __init__(
        self, type: str, message_lines: list[str], frames: list[Frame], first: int = 0, last: int = 0
    ) -> None:
        self.type = type
        self.message_lines = message_lines
        self.frames = frames
        self.inner: tuple[str, _Link] | None = None
        self.inner_exc: list[ExceptionInfo] = []
        self.ops: list[str] = []
        self.tf_function: str | None = None
        self.native: list[Frame] = []
        self.first = first
        self.last = last


class _Link:
    __slots__ = ("exc", "frames", "raw", "first", "last", "parts")

    def __init__(
        self,
        exc: _Exc,
        frames: list[Frame],
        raw: list[str],
        first: int,
        last: int,
        parts: list[_Link] | None = None,
    ) -> None:
        self.exc = exc
        self.frames = frames
        self.raw = raw
        self.first = first
        self.last = last
        self.parts: list[_Link] = parts if parts is not None else []


def _frame_from(text: str, code: list[str], kind_hint: str = "python") -> Frame:
    m = _frame_match(text) or TF_OLD_FRAME.match(text)
    if m is None:
        return Frame(text.strip(), None, None, None, False, "raw")
    path = m.group("path").strip()
    line = int(m.group("line")) if "line" in m.groupdict() and m.group("line") else None
    func = m.group("func")
    kind = kind_hint
    if m.re is IPY_EATEN.compiled:
        path = "<ipython-input>"
    if m.re in (
        IPY_CELL.compiled,
        IPY_INPUT_IN.compiled,
        IPY_FRAME.compiled,
        IPY_OLD_FRAME.compiled,
        IPY_INPUT_FRAME.compiled,
        IPY_EATEN.compiled,
    ):
        kind = "ipython"
    elif m.re is TF_OLD_FRAME.compiled:
        kind = "tf-user-code"
    snippet = None
    for c in code:
        cm = IPY_CODE.match(c) if kind == "ipython" else None
        if cm is not None:
            if cm.group("arrow"):
                snippet = (cm.group("code") or "").strip()
                if line is None or m.re in (
                    IPY_INPUT_IN.compiled,
                    IPY_OLD_FRAME.compiled,
                    IPY_INPUT_FRAME.compiled,
                    IPY_EATEN.compiled,
                ):
                    line = int(cm.group("line"))
        elif snippet is None and not CARET.match(c):
            snippet = c.strip()
    if kind == "ipython" and snippet is None and code:
        first_code = IPY_CODE.match(code[-1])
        snippet = (first_code.group("code") or "").strip() if first_code else None
    user = path.startswith(("Cell In", "Input In", "<ipython-input")) or is_user_path(path)
    if m.re is CUT_FRAME.compiled and CUT_LIBRARY.match(path):
        user = False
    return Frame(path, line, func, snippet or None, user, kind)


def _native_frame(text: str) -> Frame | None:
    """A C++ frame (`frame #0: sym (lib)`, `#4 sym from file:0`) or the `raised from` line."""
    m = CPP_FRAME.match(text)
    if m:
        return Frame(m.group("lib") or m.group("src") or "", None, m.group("sym"), None, False, "cpp")
    h = CPP_HEADER.match(text)
    return Frame(h.group("where"), None, h.group("func"), None, False, "cpp") if h else None


@v_args(inline=False)
class _ToModel(Transformer):
    """Tree of the grammar to intermediate links; `build` turns those into Tracebacks."""

    def frame(self, items: list[Token]) -> Frame:
        return _frame_from(items[0], [str(t) for t in items[1:] if t.type == "CODE"])

    def msg_frame(self, items: list[Token]) -> Frame:
        code = [str(items[1])] if len(items) > 1 else []
        return _frame_from(items[0].strip(), code, "tf-defined-at")

    def detected(self, items: list[Token]) -> tuple[str, str]:
        m = DETECTED.match(items[0])
        return ("op", m.group("node") if m else items[0].strip())

    def call_stack(self, items: list[Token]) -> tuple[str, str]:
        names = " ".join(str(t).strip() for t in items[1:])
        return ("call_stack", names)

    @v_args(meta=True)
    def worker(self, meta: Any, items: list) -> tuple[str, _Link]:
        return ("worker", self._link(items[1:], meta))

    @v_args(meta=True)
    def remote(self, meta: Any, items: list) -> tuple[str, _Link]:
        return ("remote", self._link(items[2:-1], meta))

    def exception(self, items: list) -> _Exc:
        head = items[0]
        if head.type == "NO_EXC":
            return _Exc("", [], [], first=head.line, last=head.line)
        if head.type == "WHAT":
            m = WHAT.match(head)
            typ, first_msg = "", m.group("msg") if m else str(head)
        else:
            m = EXC_LOOSE.match(head.strip())
            typ = m.group("type") if m else ""
            first_msg = (m.group("msg") or "") if m else ""
        exc = _Exc(typ, [first_msg], [], first=head.line, last=head.line)
        for item in items[1:]:
            if isinstance(item, Token):
                exc.last = max(exc.last, item.line or 0)
                if item.type == "INNER_EXC":
                    im = EXC_LOOSE.match(item.strip())
                    if im:
                        exc.inner_exc.append(ExceptionInfo(im.group("type"), im.group("msg") or ""))
                    exc.message_lines.append(str(item))
                elif item.type in ("CPP_FRAME", "CPP_HEADER"):
                    native = _native_frame(item)
                    if native is not None:
                        exc.native.append(native)
                elif item.type == "NODE":
                    nm = NODE.match(item)
                    if nm:
                        exc.ops.append(nm.group("node"))
                    exc.message_lines.append(str(item))
                elif item.type == "NODE_REF":
                    exc.ops.extend(node_refs(item))
                    om = OP_FUNC.search(item)
                    if om:
                        exc.tf_function = exc.tf_function or om.group("func")
                    exc.message_lines.append(str(item))
                else:
                    exc.message_lines.append(str(item))
                    om = OP_FUNC.search(item)
                    if om:
                        exc.tf_function = exc.tf_function or om.group("func")
            elif isinstance(item, Frame):
                exc.frames.append(item)
            elif isinstance(item, tuple) and item[0] == "op":
                exc.ops.append(item[1])
                exc.message_lines.append(f"Detected at node {item[1]}")
            elif isinstance(item, tuple) and item[0] == "call_stack":
                exc.tf_function = item[1].split("->")[0].strip() or exc.tf_function
                exc.message_lines.append(f"Function call stack: {item[1]}")
            elif isinstance(item, tuple) and item[0] in ("worker", "remote"):
                exc.inner = item
                exc.last = max(exc.last, item[1].last)
        if not exc.ops:
            # node references inside the message itself: TF1's `... [[node x (defined at ...`, or a
            # node block whose exception line was not copied
            for text in exc.message_lines:
                if "[[" in text:
                    exc.ops.extend(node_refs(text))
        return exc

    def _link(self, items: list, meta: Any) -> _Link:
        frames: list[Frame] = []
        raw: list[str] = []
        exc: _Exc | None = None
        parts: list[_Link] = []
        for item in items:
            if isinstance(item, Frame):
                frames.append(item)
            elif isinstance(item, _Exc):
                exc = item
            elif isinstance(item, _Link):
                parts.append(item)
            elif isinstance(item, Token) and item.type in ("RAW", "REPEAT"):
                raw.append(str(item))
        assert exc is not None
        first = getattr(meta, "line", None) or exc.first
        last = max(getattr(meta, "end_line", None) or 0, exc.last, first)
        return _Link(exc, frames, raw, first, last, parts)

    @v_args(meta=True)
    def full(self, meta: Any, items: list) -> _Link:
        return self._link(items[1:], meta)

    @v_args(meta=True)
    def ipython(self, meta: Any, items: list) -> _Link:
        link = self._link(items[1:], meta)
        if not link.exc.type:
            m = IPY_HEADER.match(items[0])
            if m:
                link.exc.type = m.group("type")
        return link

    @v_args(meta=True)
    def group(self, meta: Any, items: list) -> _Link:
        return self._link(items[1:], meta)

    def group_part(self, items: list) -> _Link:
        return items[1]

    @v_args(meta=True)
    def truncated(self, meta: Any, items: list) -> _Link:
        return self._link(items, meta)

    @v_args(meta=True)
    def bare(self, meta: Any, items: list) -> _Link:
        return self._link(items, meta)

    def cause(self, items: list) -> str:
        return "cause"

    def context(self, items: list) -> str:
        return "context"

    def traceback(self, items: list) -> list:
        return items


_FRAMEWORK_PATHS = (
    ("imageai", Lazy(r"[\\/]imageai[\\/]", re.I)),
    ("keras", Lazy(r"[\\/](keras|tf_keras)[\\/]")),
    ("tensorflow", Lazy(r"[\\/]tensorflow[\\/]")),
    ("pytorch", Lazy(r"[\\/](torch|torchvision|lightning|pytorch_lightning)[\\/]")),
)
_FRAMEWORK_TEXT = (
    ("imageai", Lazy(r"\bimageai\b", re.I)),
    (
        "tensorflow",
        Lazy(r"\b[Tt]ensor[Ff]low\b|errors_impl|Graph execution error|train_function|\{\{node"),
    ),
    ("keras", Lazy(r"\bkeras\b|Exception encountered when calling")),
    (
        "pytorch",
        Lazy(r"\btorch\b|CUDA out of memory|DataLoader worker|c10::|\bcuda\b|cuDNN|CUDNN", re.I),
    ),
)


def detect_framework(frames: Sequence[Frame], texts: Iterable[str]) -> str:
    """The library the failure belongs to, by its frames first, then by its words."""
    paths = [f.path for f in frames if f.kind != "cpp"]
    found = {name for name, rx in _FRAMEWORK_PATHS for p in paths if rx.search(p)}
    if "imageai" in found:
        return "imageai"
    if "keras" in found and "tensorflow" not in found:
        return "keras"
    if "tensorflow" in found:
        return "tensorflow"
    if "pytorch" in found:
        return "pytorch"
    if "keras" in found:
        return "keras"
    joined = "\n".join(texts)
    for name, rx in _FRAMEWORK_TEXT:
        if rx.search(joined):
            return name
    return "python"


_TF_STEP = Lazy(r"^(?:tf__)?((?:train|test|predict)_(?:function|step))\b")
_TF_CODE = Lazy(r"^\s*(?:\(\d+\) )?(?P<code>[A-Z][A-Z_]+[A-Z]):\s", re.M)


def _exc_info(exc: _Exc) -> ExceptionInfo:
    message = "\n".join(exc.message_lines).strip("\n")
    typ = exc.type
    if not typ:
        # TensorFlow's status code names the exception class when its line was not copied
        code = _TF_CODE.search(message)
        if code:
            typ = "".join(w.capitalize() for w in code.group("code").split("_")) + "Error"
    return ExceptionInfo(typ, message)


def _py_func_failure(message: str) -> Traceback | None:
    """The Python failure a TensorFlow error message holds, when TF's py-func runner printed it."""
    lines = message.splitlines()
    start = next((i for i, line in enumerate(lines) if TB_HEADER.match(line)), None)
    if start is None:
        return None
    found = parse_region(Region(start_line=1, lines=tuple(lines[start:])))
    for tb in reversed(found):
        if tb.exception.type and _runs_py_func(tb.frames):
            return tb
    return None


def _runs_py_func(frames: Sequence[Frame]) -> bool:
    """Whether the frames pass through TensorFlow's runner of Python code (`script_ops.py`)."""
    return any(f.path.replace("\\", "/").endswith("/script_ops.py") for f in frames)


def _build(links: list, context: tuple[str, ...], ignored: bool) -> Traceback:
    """Turn a chain of links (and their relations) into one Traceback."""
    chain: list[ChainLink] = []
    relation = None
    pairs: list[tuple[str | None, _Link]] = []
    for item in links:
        if isinstance(item, str):
            relation = item
        else:
            pairs.append((relation, item))
            relation = None
    last = pairs[-1][1]
    remote: _Link | None = None
    for (_, link), (relation_after, _) in zip(pairs, pairs[1:], strict=False):
        # `The above exception was the direct cause...` stands between a link and the next
        chain.append(ChainLink(relation_after or "context", _exc_info(link.exc), tuple(link.frames)))
        if link.exc.inner is not None and link.exc.inner[0] == "remote":
            remote = link.exc.inner[1]
    for part in last.parts:
        if part is not None:
            chain.append(ChainLink("group", _exc_info(part.exc), tuple(part.frames)))
    frames = list(last.frames)
    exc = last.exc
    explaining = _exc_info(exc)
    raw = list(last.raw)
    ops = list(exc.ops)
    native = list(exc.native)
    tf_function = exc.tf_function
    if exc.inner is not None:
        kind, inner = exc.inner
        chain.append(ChainLink("wrapper", explaining, tuple(frames)))
        frames.extend(inner.frames)
        raw.extend(inner.raw)
        explaining = _exc_info(inner.exc)
        ops.extend(inner.exc.ops)
        native.extend(inner.exc.native)
        tf_function = tf_function or inner.exc.tf_function
        exc_frames = inner.exc.frames
    else:
        exc_frames = exc.frames
    frames.extend(exc_frames)
    if remote is not None and _exc_info(remote.exc) == explaining:
        # a worker process's own traceback (multiprocessing, concurrent.futures): the re-raised
        # exception is the worker's, and the worker's frames say where in the user's code it was
        frames.extend(remote.frames)
    if exc.inner_exc and exc.inner is None:
        # Keras `in user code:`: the indented exception at the end of the message explains
        chain.append(ChainLink("wrapper", explaining, ()))
        inner_exc = exc.inner_exc[-1]
        rest = explaining.message.split(inner_exc.message, 1)[-1] if inner_exc.message else ""
        explaining = ExceptionInfo(inner_exc.type, (inner_exc.message + rest).strip())
    if exc.inner is None and _HEADER_TEXT in explaining.message:
        embedded = _py_func_failure(explaining.message)
        if embedded is not None:
            # TensorFlow ran Python code for the input pipeline (`tf.py_function`, `numpy_function`,
            # `Dataset.from_generator`, a Keras PyDataset) and printed its traceback inside its own
            # error: that failure, in the user's code, is the one that explains
            chain.append(ChainLink("wrapper", explaining, tuple(frames)))
            frames.extend(embedded.frames)
            explaining = embedded.exception
    if not explaining.type and chain:
        explaining = ExceptionInfo("", explaining.message)
    first = min([p[1].first for p in pairs] + [p[1].exc.first for p in pairs if p[1].exc.first])
    last_line = max(last.last, exc.last)
    if tf_function is None:
        # a Keras/TensorFlow step failing inside the traced `train_function` names it in a frame
        tf_function = next((m.group(1) for f in frames if (m := _TF_STEP.match(f.function or ""))), None)
    texts = [explaining.type, explaining.message] + [c.exception.type for c in chain] + raw
    framework = detect_framework(frames + [f for c in chain for f in c.frames], texts)
    return Traceback(
        exception=explaining,
        frames=tuple(frames),
        span=Span(first, last_line),
        framework=framework,
        chain=tuple(chain),
        native_frames=tuple(native),
        ops=tuple(dict.fromkeys(o for o in ops if o)),
        tf_function=tf_function,
        context=tuple(context),
        raw=tuple(raw),
        ignored=ignored,
    )


CONTEXT_LINES = 20


def parse_region(region: Region) -> list[Traceback]:
    """Every failure in one region, in order. Never raises."""
    tokens = lex_lines(region.lines, region.start_line)
    if not any(t.kind not in ("NOISE",) for t in tokens):
        return []
    tree = _parse_tokens(tokens)
    if tree is None:
        return []
    items = _ToModel().transform(tree).children
    return _to_tracebacks(items, region)


def _parse_tokens(tokens: list[_Line]) -> Tree | None:
    parser = get_parser()
    work = list(tokens)
    for _ in range(50):
        try:
            return parser.parse(work)  # type: ignore[arg-type]
        except UnexpectedInput as err:
            idx = _error_index(work, err)
            if idx is None:
                return None
            work = _demote(work, idx)
        except LarkError:
            return None
    return None


def _error_index(tokens: list[_Line], err: UnexpectedInput) -> int | None:
    tok = getattr(err, "token", None)
    if tok is None or tok.type == "$END":
        # cut short: the last open traceback never got its exception line
        return len(tokens)
    for i, t in enumerate(tokens):
        if t.number == tok.line and t.kind == tok.type and t.text == str(tok):
            return i
    return None


def _demote(tokens: list[_Line], idx: int) -> list[_Line]:
    """Recover from a line the grammar cannot place: close what is open, or make it noise."""
    if idx >= len(tokens):
        return tokens + [_Line("NO_EXC", "", tokens[-1].number if tokens else 0)]
    bad = tokens[idx]
    if bad.kind in ("NOISE",):
        return tokens[:idx] + tokens[idx + 1 :]
    if bad.kind in ("TB_HEADER", "IPY_HEADER", "GROUP_HEADER", "EXC", "FILE") and idx > 0:
        prev = tokens[idx - 1].kind
        if prev not in ("NO_EXC", "NOISE") and not any(
            t.kind == "NO_EXC" and t.number == bad.number for t in tokens
        ):
            return tokens[:idx] + [_Line("NO_EXC", "", bad.number)] + tokens[idx:]
    return tokens[:idx] + [_Line("NOISE", bad.text, bad.number)] + tokens[idx + 1 :]


def _to_tracebacks(items: list, region: Region) -> list[Traceback]:
    results: list[Traceback] = []
    ignored_next = False
    asserts: list[tuple[int, str]] = []  # CUDA asserts print around the traceback, before or after
    for item in items:
        if isinstance(item, Token):
            if item.type == "IGNORED":
                ignored_next = True
            elif item.type == "NOISE" and KERNEL_ASSERT.search(item):
                asserts.append((item.line or 0, str(item)))
            continue
        if isinstance(item, Tree) and item.data == "signal":
            tok = item.children[0]
            m = SIGNAL.match(tok)
            name = m.group("sig") if m else str(tok).strip()
            tb = Traceback(
                exception=ExceptionInfo(name, str(tok).strip()),
                frames=(),
                span=Span(tok.line, tok.line),
                framework="python",
                context=_context(region, tok.line),
            )
            results.append(tb)
            continue
        if isinstance(item, Tree) and item.data == "terminate":
            head = item.children[0]
            m = TERMINATE.match(head)
            exc = _ToModel().exception(list(item.children[1:]))
            exc.type = m.group("type") if m else "terminate"
            links = [_Link(exc, [], [], head.line, max(exc.last, head.line))]
            results.append(_build(links, _context(region, head.line), False))
            continue
        if isinstance(item, list):
            first = next(x for x in item if isinstance(x, _Link)).first
            tb = _build(item, _context(region, first), ignored_next)
            if not (tb.exception.type or tb.frames or tb.exception.message):
                continue
            results.append(tb)
            ignored_next = False
    return _attach_asserts(_unwrap_catch_all(_join_raised(_join_py_func(results))), asserts)


def _first_line(tb: Traceback) -> str:
    return f"{tb.exception.short_type}: {tb.exception.message.strip().partition(chr(10))[0]}"


def _join_py_func(results: list[Traceback]) -> list[Traceback]:
    """TensorFlow (2.12 to 2.15) prints the traceback of the Python code it ran for the input
    pipeline right after its own `Graph execution error:` line, so it reads as a second failure:
    join the two, the Python failure explaining and TensorFlow's error as its wrapper."""
    out: list[Traceback] = []
    for tb in results:
        runs_py_func = _runs_py_func(tb.frames[:1])
        gap = tb.span.start_line
        if runs_py_func and len(out) > 1 and not out[-1].frames and _first_line(out[-1]) == _first_line(tb):
            # TensorFlow printed the Python exception's line once more between the two
            gap = out[-1].span.start_line
            if "Graph execution error" in out[-2].exception.message and gap <= out[-2].span.end_line + 3:
                out.pop()
        prev = out[-1] if out else None
        if (
            prev is not None
            and runs_py_func
            and "Graph execution error" in prev.exception.message
            and gap <= prev.span.end_line + 3
        ):
            out[-1] = replace(
                tb,
                chain=(ChainLink("wrapper", prev.exception, prev.frames), *tb.chain),
                frames=prev.frames + tb.frames,
                span=Span(prev.span.start_line, tb.span.end_line),
                ops=tuple(dict.fromkeys(prev.ops + tb.ops)),
                tf_function=prev.tf_function or tb.tf_function,
                context=prev.context,
            )
            continue
        out.append(tb)
    return out


# a library's catch-all error, raised by a bare `except:` while it handled the real failure
# (ImageAI's video detection wraps anything its loop or the user's callbacks raised in this)
CATCH_ALL = Lazy(r"^An error occured\. It may be that your input video is invalid")


def _unwrap_catch_all(results: list[Traceback]) -> list[Traceback]:
    """A catch-all error raised during the handling of another says nothing of its own: the
    exception it was handling explains, the catch-all becomes its wrapper."""
    out: list[Traceback] = []
    for tb in results:
        inner = tb.chain[-1] if tb.chain else None
        if inner is not None and inner.relation == "context" and CATCH_ALL.search(tb.exception.message):
            tb = replace(
                tb,
                exception=inner.exception,
                chain=(*tb.chain[:-1], ChainLink("wrapper", tb.exception, tb.frames)),
                frames=tb.frames + inner.frames,
            )
        out.append(tb)
    return out


_RAISED = Lazy(r"^backend=\S+ raised:\s*$")


def _join_raised(results: list[Traceback]) -> list[Traceback]:
    """torch.compile reports a backend's failure as `BackendCompilerFailed: backend='inductor'
    raised:` with the backend's own exception on the next line, which reads as a second failure
    of no frames: join them, the backend's error explaining and dynamo's as its wrapper."""
    out: list[Traceback] = []
    for tb in results:
        prev = out[-1] if out else None
        if (
            prev is not None
            and not tb.frames
            and tb.exception.type
            and _RAISED.match(prev.exception.message.strip())
            and tb.span.start_line <= prev.span.end_line + 1
        ):
            out[-1] = replace(
                tb,
                chain=(ChainLink("wrapper", prev.exception, prev.frames), *tb.chain),
                frames=prev.frames,
                span=Span(prev.span.start_line, tb.span.end_line),
                context=prev.context,
            )
            continue
        out.append(tb)
    return out


def _attach_asserts(results: list[Traceback], asserts: list[tuple[int, str]]) -> list[Traceback]:
    """Each CUDA assert line goes to the failure it printed beside: the next one, else the last.
    Asserts that the GPU flushed after the exception line (the error surfaced at a later call, the
    kernels were still printing) are read out of its message."""
    results = [_asserts_out_of_message(tb) for tb in results]
    if not asserts or not results:
        return results
    found: dict[int, list[str]] = {}
    for line, text in asserts:
        target = next((i for i, tb in enumerate(results) if tb.span.start_line > line), len(results) - 1)
        found.setdefault(target, []).append(text)
    return [
        replace(tb, kernel_asserts=tb.kernel_asserts + tuple(dict.fromkeys(found.get(i, ()))))
        for i, tb in enumerate(results)
    ]


def _asserts_out_of_message(tb: Traceback) -> Traceback:
    message = tb.exception.message
    if "Assertion `" not in message:
        return tb
    lines = message.split("\n")
    found = [line.strip() for line in lines[1:] if KERNEL_ASSERT.search(line)]
    if not found:
        return tb
    kept = [lines[0], *(line for line in lines[1:] if not KERNEL_ASSERT.search(line))]
    exception = replace(tb.exception, message="\n".join(kept).rstrip("\n"))
    return replace(tb, exception=exception, kernel_asserts=tuple(dict.fromkeys((*tb.kernel_asserts, *found))))


def _context(region: Region, first_line: int) -> tuple[str, ...]:
    """The lines just before a failure, and the last warnings printed before those: a warning long
    before the traceback (OpenCV's `can't open/read file`, a library's deprecation) often says why."""
    idx = first_line - region.start_line
    start = max(0, idx - CONTEXT_LINES)
    warned = [line for line in region.lines[max(0, start - EARLIER_SCAN) : start] if _WARNED.search(line)]
    lines = [line for line in region.lines[start : max(0, idx)] if line.strip()]
    return tuple(warned[-EARLIER_WARNINGS:] + lines)


EARLIER_SCAN = 2000  # lines above the context searched for warnings
EARLIER_WARNINGS = 5
_WARNED = Lazy(r"\[ ?WARN|Warning: |^W\d{4} |^\S* ?W (?:tensorflow|external)/")
