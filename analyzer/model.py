"""The typed data every stage passes along: frozen dataclasses, no lark, rich or torch."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum

FRAMEWORKS = ("pytorch", "tensorflow", "keras", "imageai", "python")


@dataclass(frozen=True)
class Frame:
    """One stack frame: where the failure passed through."""

    path: str
    line: int | None
    function: str | None
    code: str | None
    user_code: bool
    kind: str = "python"  # python | ipython | tf-defined-at | tf-user-code | cpp


@dataclass(frozen=True)
class ExceptionInfo:
    """An exception as printed: the type (qualified as printed) and its message."""

    type: str
    message: str

    @property
    def short_type(self) -> str:
        return self.type.rsplit(".", 1)[-1]


@dataclass(frozen=True)
class Span:
    start_line: int
    end_line: int


@dataclass(frozen=True)
class ChainLink:
    """Another exception involved in the same failure (a cause, a worker's own error...)."""

    relation: str  # cause | context | group | worker | remote | user-code | wrapper
    exception: ExceptionInfo
    frames: tuple[Frame, ...] = ()


@dataclass(frozen=True)
class Traceback:
    """One failure found in the input, with every fact the parser could read off it."""

    exception: ExceptionInfo  # the exception that explains the failure (inner-most when wrapped)
    frames: tuple[Frame, ...]  # outer-most call first, as printed
    span: Span
    framework: str
    chain: tuple[ChainLink, ...] = ()
    native_frames: tuple[Frame, ...] = ()  # C++ frames (`frame #0: ...`)
    ops: tuple[str, ...] = ()  # TensorFlow node names (`[[{{node x}}]]`, `Detected at node`)
    tf_function: str | None = None  # `Function call stack:` / `[Op:__inference_train_function_N]`
    kernel_asserts: tuple[str, ...] = ()  # CUDA `Assertion ... failed.` lines
    context: tuple[str, ...] = ()  # log lines just before the failure (warnings, progress)
    raw: tuple[str, ...] = ()  # lines inside the traceback that the grammar did not know
    ignored: bool = False  # `Exception ignored in ...`: reported, never the primary failure

    @property
    def user_frames(self) -> tuple[Frame, ...]:
        return tuple(f for f in self.frames if f.user_code)

    @property
    def location(self) -> Frame | None:
        """The user's frame closest to where it raised."""
        user = self.user_frames
        return user[-1] if user else None

    def exceptions(self) -> tuple[ExceptionInfo, ...]:
        """The explaining exception first, then every other one in the chain."""
        return (self.exception,) + tuple(link.exception for link in self.chain)


class Verdict(str, Enum):
    CONFIRMED = "confirmed"
    REFUTED = "refuted"
    INCONCLUSIVE = "inconclusive"
    UNTESTED = "untested"


@dataclass(frozen=True)
class Location:
    path: str
    line: int | None


@dataclass(frozen=True)
class Diagnosis:
    cause: str
    rule: str
    confidence: float
    title: str
    explanation: str
    evidence: tuple[str, ...] = ()
    fixes: tuple[str, ...] = ()
    location: Location | None = None
    verdict: Verdict = Verdict.UNTESTED
    probe_evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class Explained:
    """A failure together with what the rules say of it."""

    traceback: Traceback
    diagnoses: tuple[Diagnosis, ...] = ()


@dataclass(frozen=True)
class Report:
    """Everything found in one input."""

    failures: tuple[Explained, ...] = ()
    primary: int | None = None
    dropped: int = 0  # failures beyond the bound kept in memory
    source: str = "-"
    warnings: tuple[str, ...] = field(default=())


_SITE = re.compile(r"[\\/](site|dist)-packages[\\/]", re.I)
_STDLIB = re.compile(
    r"(^|[\\/])(lib[\\/]python\d(\.\d+)?t?|(python\d*|anaconda\d*|miniconda\d*|miniforge\d*|"
    r"envs[\\/][^\\/]+)[\\/]lib)[\\/]",
    re.I,
)
_NOT_USER = re.compile(
    r"^<(frozen |__array_function__|string>|decorator-gen|makefun-gen)|[\\/]pkgs[\\/]|"
    r"^(/usr/lib|/usr/local/lib|/opt/conda/lib)[\\/]|"
    r"[\\/](s?bin|Scripts)[\\/][\w.\-]+$",  # a console script's launcher: torchrun, accelerate
    re.I,
)


def is_user_path(path: str) -> bool:
    """True for the user's own code: not a library, the standard library or an interpreter stub."""
    if not path:
        return False
    return not (_SITE.search(path) or _NOT_USER.search(path) or _STDLIB.search(path))


@dataclass(frozen=True)
class Finding:
    """One problem the probe found in the user's data."""

    cause: str  # taxonomy id
    check: str  # which check found it, e.g. "box_range"
    severity: str  # "error" (breaks the pipeline in use) | "warning" (tolerated by it)
    path: str  # relative to the dataset root, "/" separators
    line: int | None  # annotation line, 1-based, when the finding is about one line
    message: str  # one sentence with the values
    values: tuple[tuple[str, str], ...] = ()  # the values, for verdict evidence and JSON
