"""The typed data every stage passes along: frozen records, no lark, rich or torch."""

from __future__ import annotations

import re
from enum import Enum
from typing import Any, TypeVar

FRAMEWORKS = ("pytorch", "tensorflow", "keras", "imageai", "python")

R = TypeVar("R", bound="Record")


class FrozenError(AttributeError):
    """A record's fields cannot be set once it is made."""


class Record:
    """Base of the frozen records: what `@dataclass(frozen=True)` gives (fields in annotation order
    with defaults, keyword or positional construction, ==, hash, repr, no assignment, `replace`)
    without generating code at import. A dataclass costs about 1.3 ms to create, and the records of
    this module and `ruleset` were a tenth of the tool's own start-up."""

    _fields: tuple[str, ...] = ()
    _defaults: dict[str, Any] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        own = [name for name in cls.__dict__.get("__annotations__", {}) if not name.startswith("_")]
        cls._fields = tuple(own)
        cls._defaults = {name: cls.__dict__[name] for name in own if name in cls.__dict__}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        fields = self._fields
        if len(args) > len(fields):
            raise TypeError(f"{type(self).__name__} takes {len(fields)} fields, {len(args)} given")
        values = dict(zip(fields, args))
        for name, value in kwargs.items():
            if name not in fields or name in values:
                raise TypeError(f"{type(self).__name__}: unexpected or repeated field {name!r}")
            values[name] = value
        defaults = self._defaults
        for name in fields:
            if name in values:
                object.__setattr__(self, name, values[name])
            elif name in defaults:
                object.__setattr__(self, name, defaults[name])
            else:
                raise TypeError(f"{type(self).__name__}: missing field {name!r}")

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._fields)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()  # type: ignore[attr-defined, no-any-return]

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__name__}({inner})"

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenError(f"cannot delete field {name!r}")


def replace(obj: R, **changes: Any) -> R:
    """A copy of a record with some fields changed."""
    values = {name: getattr(obj, name) for name in obj._fields}
    values.update(changes)
    return type(obj)(**values)


class Frame(Record):
    """One stack frame: where the failure passed through."""

    path: str
    line: int | None
    function: str | None
    code: str | None
    user_code: bool
    kind: str = "python"  # python | ipython | tf-defined-at | tf-user-code | cpp


class ExceptionInfo(Record):
    """An exception as printed: the type (qualified as printed) and its message."""

    type: str
    message: str

    @property
    def short_type(self) -> str:
        return self.type.rsplit(".", 1)[-1]


class Span(Record):
    start_line: int
    end_line: int


class ChainLink(Record):
    """Another exception involved in the same failure (a cause, a worker's own error...)."""

    relation: str  # cause | context | group | worker | remote | user-code | wrapper
    exception: ExceptionInfo
    frames: tuple[Frame, ...] = ()


class Traceback(Record):
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


class Location(Record):
    path: str
    line: int | None


class Diagnosis(Record):
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


class Explained(Record):
    """A failure together with what the rules say of it."""

    traceback: Traceback
    diagnoses: tuple[Diagnosis, ...] = ()


class Report(Record):
    """Everything found in one input."""

    failures: tuple[Explained, ...] = ()
    primary: int | None = None
    dropped: int = 0  # failures beyond the bound kept in memory
    source: str = "-"
    warnings: tuple[str, ...] = ()


_SITE = re.compile(r"[\\/](site|dist)-packages[\\/]", re.I)
_STDLIB = re.compile(
    r"(^|[\\/])(lib[\\/]python\d(\.\d+)?t?|(python\d*|anaconda\d*|miniconda\d*|miniforge\d*|"
    r"envs[\\/][^\\/]+)[\\/]lib)[\\/]",
    re.I,
)
_NOT_USER = re.compile(
    r"^<(frozen |__array_function__|string>|decorator-gen|makefun-gen)|[\\/]pkgs[\\/]|"
    r"^(/usr/lib|/usr/local/lib|/opt/conda/lib)[\\/]|"
    r"[\\/](s?bin|Scripts)[\\/][\w.\-]+$|"  # a console script's launcher: torchrun, accelerate
    r"\.pyx$",  # a compiled extension's Cython source (`h5py/h5f.pyx`, `numpy/random/mtrand.pyx`)
    re.I,
)


def is_user_path(path: str) -> bool:
    """True for the user's own code: not a library, the standard library or an interpreter stub."""
    if not path:
        return False
    return not (_SITE.search(path) or _NOT_USER.search(path) or _STDLIB.search(path))


class Finding(Record):
    """One problem the probe found in the user's data."""

    cause: str  # taxonomy id
    check: str  # which check found it, e.g. "box_range"
    severity: str  # "error" (breaks the pipeline in use) | "warning" (tolerated by it)
    path: str  # relative to the dataset root, "/" separators
    line: int | None  # annotation line, 1-based, when the finding is about one line
    message: str  # one sentence with the values
    values: tuple[tuple[str, str], ...] = ()  # the values, for verdict evidence and JSON
