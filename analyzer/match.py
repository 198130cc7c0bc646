"""Rule matching and ranking: pure functions of (traceback, rules)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from functools import lru_cache
from typing import NamedTuple

from analyzer.model import Diagnosis, ExceptionInfo, Location, Traceback
from analyzer.parse import CODE_LIKE
from analyzer.ruleset import TEMPLATE_FIELD, Rule

MAX_DIAGNOSES = 5
_WORD = re.compile(r"[A-Za-z_]\w{3,}")
_SAME_FAMILY = {"keras": {"keras", "tensorflow"}, "tensorflow": {"keras", "tensorflow"}}


class RuleIndex:
    """Rules keyed by a word their message must hold, so matching stays flat as rules grow.

    A rule is built from its data only when a trace holds its word: most never are.
    """

    def __init__(
        self,
        anchors: Sequence[Collection[str]],
        make: Callable[[int], Rule],
        exceptions: Sequence[Collection[str]] | None = None,
        fallback: Sequence[bool] | None = None,
        phrases: Sequence[Sequence[str]] | None = None,
    ) -> None:
        # the exception types each rule accepts (empty: any), to pass over rules before building them
        self._exceptions = tuple(exceptions) if exceptions is not None else ()
        self._anchors = tuple(anchors)
        # per rule, lower-case texts one of which its message's every match holds (none: no test):
        # compiling a rule's pattern costs more than looking for them, and candidates share words
        self._phrases = tuple(phrases) if phrases is not None else ()
        by_word: dict[str, list[int]] = defaultdict(list)
        always: list[int] = []
        fallbacks: list[int] = []
        for i, words in enumerate(anchors):
            if fallback is not None and fallback[i]:
                fallbacks.append(i)  # the last tier: built only for a failure nothing else explains
            elif words:
                # the rarest-looking (longest) word is enough: every match holds all of them
                by_word[max(words, key=lambda w: (len(w), w))].append(i)
            else:
                always.append(i)
        self._by_word = {w: tuple(ids) for w, ids in by_word.items()}
        self._always = tuple(always)
        self._fallbacks = tuple(fallbacks)
        self._make = make
        self._built: dict[int, Rule] = {}

    @classmethod
    def build(cls, rules: Iterable[Rule]) -> RuleIndex:
        from analyzer.ruleset import literal_phrases

        rules = tuple(rules)
        return cls(
            [r.anchors for r in rules],
            rules.__getitem__,
            [r.exception for r in rules],
            [r.fallback for r in rules],
            [literal_phrases(r.message_source or "") for r in rules],
        )

    def _rule(self, i: int) -> Rule:
        rule = self._built.get(i)
        if rule is None:
            rule = self._built[i] = self._make(i)
        return rule

    @property
    def always(self) -> list[Rule]:
        """Rules without an index word: tried on every trace."""
        return [self._rule(i) for i in self._always]

    def candidates(
        self, words: set[str], types: set[str] | None = None, text: str | None = None
    ) -> list[Rule]:
        """Rules whose index word is among `words` (or that have none), and, when the trace's
        exception types are given, that accept one of them (an untyped exception accepts all);
        when the lower-case `text` their messages are read from is given, that it holds one of each
        rule's literal phrases."""
        found = list(self._always)
        for word in words:
            hit = self._by_word.get(word)
            if hit:
                # every word of a rule's message must be in the text: checked before compiling it
                found.extend(i for i in hit if all(w in words for w in self._anchors[i]))
        if text is not None and self._phrases:
            found = [i for i in found if not self._phrases[i] or any(p in text for p in self._phrases[i])]
        return self._typed(found, types)

    def fallbacks(self, types: set[str] | None = None) -> list[Rule]:
        """Rules that read only the words of a message: tried when no other rule fires."""
        return self._typed(list(self._fallbacks), types)

    def _typed(self, found: list[int], types: set[str] | None) -> list[Rule]:
        if types is not None and "" not in types and self._exceptions:
            found = [
                i for i in found if not self._exceptions[i] or any(t in types for t in self._exceptions[i])
            ]
        return [self._rule(i) for i in found]


def log_text_of(tb: Traceback) -> str:
    parts = list(tb.context) + list(tb.kernel_asserts) + list(tb.raw)
    parts += [f"node {op}" for op in tb.ops]
    if tb.tf_function:
        parts.append(f"function {tb.tf_function}")
    parts += [f"{e.type}: {e.message}" for e in tb.exceptions()]
    parts += [f.function or "" for f in tb.native_frames]
    frames = list(tb.frames) + [f for link in tb.chain for f in link.frames]
    parts += [f"frame: {f.path.replace(chr(92), '/')} in {f.function or '?'}" for f in frames]
    if tb.frames and tb.frames[-1].code:
        # the line that raised: a bare `assert` says there what it expected
        parts.append(f"code: {tb.frames[-1].code}")
    elif not tb.frames or tb.frames[-1].code is None:
        # a paste cut short above the exception (or with its code line unindented) often keeps
        # the line that raised as the last line before the exception
        last = tb.raw[-1] if tb.raw else (tb.context[-1] if tb.context and not tb.frames else "")
        if last and CODE_LIKE.match(last):
            parts.append(f"code: {last.strip()}")
    loc = tb.location
    if loc is not None and loc.code:
        # the user's own line closest to the failure: which library call it made (`tf.image.ssim(...)`)
        parts.append(f"call: {loc.code}")
    return "\n".join(parts)


def frame_paths_of(tb: Traceback) -> list[str]:
    paths = [f.path.replace("\\", "/") for f in tb.frames]
    paths += [f.path.replace("\\", "/") for link in tb.chain for f in link.frames]
    return paths


def _fill(template: str, values: dict[str, str]) -> str:
    """`{name}` becomes the captured value (`?` when the match left it empty); other text stays."""
    return TEMPLATE_FIELD.sub(lambda m: values.get(m.group(1), "?"), template)


@lru_cache(maxsize=64)  # asked once per candidate rule of the same message
def _title_variants(message: str) -> tuple[str, ...]:
    """A message pasted without its exception line, as issue titles and chat posts give it: with its
    first letter capitalised, or the whole of it in quotes."""
    text = message.strip()
    out: list[str] = []
    if len(text) > 2 and text[0] in "'\"" and text.splitlines()[0].rstrip()[-1:] == text[0]:
        first, _, rest = text.partition("\n")
        text = (first.strip()[1:-1] + ("\n" + rest if rest else "")).strip()
        out.append(text)
    if text[:1].isupper() and text[1:2].islower():
        out.append(text[0].lower() + text[1:])
    return tuple(out)


# Exception types that libraries or Python moved under a new subclass: a rule written for the base
# type (as `except RuntimeError:` would) also reads them. torch 2.8+ raises CUDA errors as
# `AcceleratorError` and torch 1.13+ out-of-memory as `OutOfMemoryError`, both RuntimeErrors.
_BASES: dict[str, tuple[str, ...]] = {
    "AcceleratorError": ("RuntimeError",),
    "OutOfMemoryError": ("RuntimeError",),
    "NotImplementedError": ("RuntimeError",),
    "RecursionError": ("RuntimeError",),
    "ModuleNotFoundError": ("ImportError",),
    "FileNotFoundError": ("OSError", "IOError"),
    "PermissionError": ("OSError", "IOError"),
    "IsADirectoryError": ("OSError", "IOError"),
    "NotADirectoryError": ("OSError", "IOError"),
    "UnicodeDecodeError": ("UnicodeError", "ValueError"),
    "JSONDecodeError": ("ValueError",),
}


def accepted_as(short_type: str) -> tuple[str, ...]:
    """The type and the base types a rule may name for it."""
    return (short_type, *_BASES.get(short_type, ()))


def _message_texts(exc: ExceptionInfo) -> Iterator[str]:
    """What a rule's message pattern is read against, in order: the message, the exception line,
    and for a message pasted without its type, the forms an issue title gives it."""
    yield exc.message
    yield f"{exc.type}: {exc.message}"
    if not exc.short_type:
        yield from _title_variants(exc.message)


def _match_message(rule: Rule, tb: Traceback) -> tuple[ExceptionInfo, re.Match[str] | None] | None:
    for exc in tb.exceptions():
        if (
            rule.exception
            and exc.short_type
            and not any(t in rule.exception for t in accepted_as(exc.short_type))
        ):
            continue
        if rule.exception and not exc.short_type and not exc.message.strip():
            continue  # nothing printed: no type to accept and no message to read
        if rule.message is None:
            return exc, None
        m = next(filter(None, (rule.message.search(t) for t in _message_texts(exc))), None)
        if m is None:
            continue
        if rule.not_message is not None and rule.not_message.search(exc.message):
            continue
        return exc, m
    if tb.kernel_asserts and rule.message is not None and "Assertion" in rule.message.pattern:
        # a rule for a CUDA kernel's assert line reads it beside any exception (a cuDNN or cuBLAS
        # error that surfaced after the assert, or the device-side assert itself)
        for line in tb.kernel_asserts:
            m = rule.message.search(line)
            if m is not None:
                return tb.exception, m
    return None


class Fired(NamedTuple):
    """What a rule found in a traceback: the exception it matched and the values it captured."""

    exception: ExceptionInfo
    match: re.Match[str] | None
    values: dict[str, str]
    confidence: float
    evidence: tuple[str, ...]


def fire(rule: Rule, tb: Traceback, log_text: str, frame_paths: list[str]) -> Fired | None:
    """Whether the rule fires on the traceback, and with which values; None when it does not."""
    family = _SAME_FAMILY.get(tb.framework, {tb.framework})
    # "python" means no library could be told from the trace: any rule may then apply
    if (
        rule.framework
        and tb.framework != "python"
        and not rule.framework & family
        and "python" not in rule.framework
    ):
        return None
    hit = _match_message(rule, tb)
    if hit is None:
        return None
    exc, m = hit
    if rule.frames and not any(frag in p for frag in rule.frames for p in frame_paths):
        return None
    values: dict[str, str] = {}
    if m is not None:
        values.update({k: v for k, v in m.groupdict().items() if v is not None})
    if rule.log is not None:
        lm = rule.log.search(log_text)
        if lm is None:
            return None
        values.update({k: v for k, v in lm.groupdict().items() if v is not None})
    if rule.require is not None and not rule.require(values):
        return None  # the message has the shape, but its numbers say another cause
    confidence = rule.confidence
    evidence: list[str] = []
    if m is not None:
        evidence.append(f'{exc.short_type or "the error"} says: "{_excerpt(m.group(0))}"')
    for cond in rule.when:
        cm = cond.pattern.search(log_text)
        if cm is None:
            continue
        values.update({k: v for k, v in cm.groupdict().items() if v is not None})
        confidence = cond.confidence
        if cond.evidence:
            evidence.append(_fill(cond.evidence, values))
    evidence += [_fill(e, values) for e in rule.evidence]
    if rule.frames:
        passed = next(p for p in frame_paths if any(f in p for f in rule.frames))
        evidence.append(f"the failure passed through {passed}")
    return Fired(exc, m, values, confidence, tuple(evidence))


def apply_rule(rule: Rule, tb: Traceback, log_text: str, frame_paths: list[str]) -> Diagnosis | None:
    """The diagnosis this rule gives the traceback, or None when it does not fire."""
    fired = fire(rule, tb, log_text, frame_paths)
    if fired is None:
        return None
    values = fired.values
    explanation = _fill(rule.why, values)
    if rule.tells_apart:
        explanation += " " + _fill(rule.tells_apart, values)
    loc = tb.location
    return Diagnosis(
        cause=rule.cause,
        rule=rule.id,
        confidence=round(fired.confidence, 3),
        title=_fill(rule.title, values),
        explanation=explanation,
        evidence=fired.evidence,
        fixes=tuple(_fill(f, values) for f in rule.fixes),
        location=Location(loc.path, loc.line) if loc else None,
    )


def _excerpt(text: str, limit: int = 200) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def _specificity(rule: Rule) -> int:
    return bool(rule.frames) + bool(rule.log) + bool(rule.exception) + bool(rule.when)


def match_rules(tb: Traceback, index: RuleIndex) -> tuple[Diagnosis, ...]:
    """Ranked diagnoses for one traceback: best first, one per cause."""
    return match_rules_tiered(tb, index)[0]


def match_rules_tiered(tb: Traceback, index: RuleIndex) -> tuple[tuple[Diagnosis, ...], bool]:
    """`match_rules`, and whether only the fallback tier (rules reading words, not a message
    shape) spoke: such diagnoses are no stronger than the vocabulary's guesses."""
    log_text = log_text_of(tb)
    exceptions = tb.exceptions()
    # a rule's index word comes from its message pattern, which only ever meets exception lines
    words = {w.lower() for e in exceptions for w in _WORD.findall(f"{e.type}: {e.message}")}
    words.update(w.lower() for line in tb.kernel_asserts for w in _WORD.findall(line))
    types = {t for e in exceptions for t in accepted_as(e.short_type)}
    frame_paths = frame_paths_of(tb)

    def fired(rules: Iterable[Rule]) -> list[tuple[float, int, str, Diagnosis]]:
        return [
            (-d.confidence, -_specificity(rule), rule.id, d)
            for rule in rules
            if (d := apply_rule(rule, tb, log_text, frame_paths)) is not None
        ]

    # what rule messages are read from (`_match_message`), lower case: a rule's literal phrase must be in it
    text = "\n".join([t for e in exceptions for t in _message_texts(e)] + list(tb.kernel_asserts)).lower()
    # the fallback tier speaks only for a failure no other rule explains
    found = fired(index.candidates(words, types, text))
    weak = not found
    if weak:
        found = fired(index.fallbacks(types))
    found.sort(key=lambda t: t[:3])
    best: dict[str, Diagnosis] = {}
    for *_, d in found:
        best.setdefault(d.cause, d)
    return tuple(best.values())[:MAX_DIAGNOSES], weak and bool(found)
