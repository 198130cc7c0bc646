"""The last tier: a failure's vocabulary weighed against the labelled corpus.

Rules know message shapes; a library has more shapes than any rule set. When no rule explains a
failure, or fewer than three do, the words of the failure (its exception types and messages, the
libraries its frames pass through, the code on its last lines, the TensorFlow ops it names) are
weighed by a naive Bayes model counted from the labelled cases (`corpus/cases` and the held-out
public threads in `heldout/`) and shipped as `rules/vocabulary.json`.
Its guesses are hypotheses to check, never findings: their confidence is measured on corpus cases
the counts did not see, and held at or below MAX_CONFIDENCE. They rank below any rule surer than
that, by confidence together with the rules no surer than that (on held-out batches this put the
right cause first more often), and above the rules of the last tier, which read only single words. A
failure that reads most like the corpus's `other` failures (bugs in the code that raised them) leads
with that hypothesis, then the next two causes (on held-out batches this kept top-1 and raised
top-3). It also checks the rules: a rule sure of one cause (0.8 or more) whose failure reads like
another cause is lowered below 0.8, since a message shape shared by two causes is how confident
answers go wrong.

    python -m analyzer.vocabulary corpus/cases heldout rules/vocabulary.json   # rebuild after case edits
"""

from __future__ import annotations

import json
import math
import re
from array import array
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analyzer.model import Diagnosis, Location, Traceback, replace

if TYPE_CHECKING:
    from analyzer.ruleset import Rule

FORMAT = 1
CACHE_FORMAT = 2  # of the packed copy in the temp directory
ALPHA = 0.1  # additive smoothing of the counts
MAX_CONFIDENCE = 0.5  # a guess from words never reads as a finding
DOUBT = 0.75  # a sure rule whose failure reads like another cause is lowered to this
SURE = 0.8
MAX_DIAGNOSES = 3
# a failure known only at guess level keeps "a bug in the code that raised it" (`other`) among its
# three hypotheses when the words rank it this high or higher (held-out top-3 0.901 -> 0.919 at 6;
# 6 -> 13 in the thirteenth session: held-out public threads 0.928 -> 0.934, generated cases the
# counts did not see (half the generated corpus) 0.983 -> 0.981)
OTHER_RANK = 13
MESSAGE_CHARS = 2000  # of the messages, the part weighed: long messages repeat themselves
CODE_FRAMES = 6  # the last frames whose source lines count
FOLDS = 5
BINS = (0.5, 0.8, 0.95, 0.99)  # posterior bins of the calibration table
UNSEEN = 0.75  # failures no rule knows are harder than the corpus average (held-out batches)

_WORD = re.compile(r"[A-Za-z][A-Za-z_]+")
_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "to",
        "in",
        "is",
        "be",
        "not",
        "for",
        "and",
        "or",
        "with",
        "on",
        "at",
        "by",
        "it",
        "this",
        "that",
        "as",
        "are",
        "was",
        "from",
        "has",
        "have",
    ]
)
_PACKAGE = re.compile(r"(?:site-packages|dist-packages)/(\w+)(?:/(\w+))?")


def features(tb: Traceback) -> set[str]:
    """What the model weighs: kind-prefixed words of one failure (a set: presence, not counts)."""
    out = {"T:" + tb.exception.short_type, "FW:" + tb.framework}
    out.update("C:" + link.exception.short_type for link in tb.chain)
    text = " ".join([tb.exception.message, *(link.exception.message for link in tb.chain)])
    words = [w for w in (m.lower() for m in _WORD.findall(text[:MESSAGE_CHARS])) if w not in _STOP]
    out.update("W:" + w for w in words)
    out.update(f"B:{a}_{b}" for a, b in zip(words, words[1:]))
    for frame in tb.frames:
        m = _PACKAGE.search(frame.path.replace("\\", "/"))
        if m:
            out.add("M:" + m.group(1).lower())
            if m.group(2):
                out.add(f"M:{m.group(1).lower()}.{m.group(2).lower()}")
    for frame in tb.frames[-CODE_FRAMES:]:
        if frame.code:
            out.update("L:" + w for w in (m.lower() for m in _WORD.findall(frame.code)) if w not in _STOP)
        if frame.function and frame.function != "<module>":
            out.add("FN:" + frame.function.lower())
    out.update("O:" + w for op in tb.ops for w in (m.lower() for m in _WORD.findall(op)))
    if tb.kernel_asserts:
        out.add("KA")
    return out


def describe(feature: str) -> str:
    """A feature as a person would name it in evidence."""
    kind, _, value = feature.partition(":")
    return {
        "T": f"a {value}",
        "C": f"a chained {value}",
        "W": f'"{value}"',
        "B": '"' + value.replace("_", " ", 1) + '"' if value.count("_") else f'"{value}"',
        "M": f"frames in {value}",
        "L": f'"{value}" in the failing code',
        "FN": f"{value}()",
        "O": f'the op "{value}"',
        "FW": f"a {value} failure",
        "KA": "a CUDA kernel assert",
    }.get(kind, feature)


class Model:
    """Naive Bayes over feature presence: per cause, how many corpus failures hold each feature."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.classes: dict[str, int] = data["classes"]
        self.totals: dict[str, float] = data["totals"]
        # per feature: {cause: count}; in the temp-directory copy, packed as bytes (see _pack), decoded
        # only for the few features a failure has
        self.counts: dict[str, Any] = data["counts"]
        self.order: list[str] = data.get("order", [])
        self.calibration: list[float] = data["calibration"]
        self.size = len(self.counts)
        n = sum(self.classes.values())
        self.prior = {c: math.log(k / n) for c, k in self.classes.items()}
        self.absent = {c: math.log(ALPHA / (self.totals[c] + ALPHA * self.size)) for c in self.classes}

    def posterior(self, feats: Iterable[str]) -> list[tuple[str, float]]:
        """Every cause with its posterior probability, most likely first."""
        known = [f for f in feats if f in self.counts]
        score = {c: self.prior[c] + len(known) * self.absent[c] for c in self.classes}
        for f in known:
            for c, k in self.per(f).items():
                score[c] += math.log((k + ALPHA) / ALPHA)
        top = max(score.values())
        exp = {c: math.exp(s - top) for c, s in score.items()}
        z = sum(exp.values())
        return sorted(((c, e / z) for c, e in exp.items()), key=lambda t: -t[1])

    def per(self, feature: str) -> dict[str, int]:
        """{cause: number of corpus failures with this feature}."""
        value = self.counts[feature]
        if isinstance(value, bytes):
            pairs = array("H", value)
            return {self.order[pairs[i]]: pairs[i + 1] for i in range(0, len(pairs), 2)}
        return value  # type: ignore[no-any-return]

    def confidence(self, p: float) -> float:
        """How often a guess with this posterior was right on corpus cases the counts did not see."""
        i = sum(p >= b for b in BINS)
        return round(min(MAX_CONFIDENCE, self.calibration[i] * UNSEEN), 2)

    def telling(self, feats: Iterable[str], cause: str, limit: int = 4) -> list[str]:
        """The features of this failure most typical of the cause: seen with it in most cases."""
        scored = []
        for f in feats:
            per = self.per(f) if f in self.counts else None
            if f.startswith("FW:"):
                continue  # true of half the corpus: not evidence a person can use
            if not per or per.get(cause, 0) < 2:
                continue
            share = per[cause] / self.classes[cause]
            lift = share / (sum(per.values()) / sum(self.classes.values()))
            if lift > 1.5:
                scored.append((-share * math.log(lift), f))
        return [f for _, f in sorted(scored)[:limit]]


def _pack(data: dict[str, Any]) -> dict[str, Any]:
    """The model with each feature's counts as bytes (cause index, count; unsigned 16-bit pairs):
    a few thousand small dicts take marshal several times longer to read than bytes do."""
    order = sorted(data["classes"])
    index = {c: i for i, c in enumerate(order)}
    counts = {
        f: array("H", [x for c, k in per.items() for x in (index[c], min(k, 65535))]).tobytes()
        for f, per in data["counts"].items()
    }
    return {**data, "counts": counts, "order": order}


def model_path() -> Path:
    from analyzer.ruleset import rules_dir

    return rules_dir() / "vocabulary.json"


@lru_cache(maxsize=1)
def shipped_model() -> Model | None:
    """The shipped model; read from a marshal copy in the temp directory after the first run (JSON
    takes several times longer to read, and every run with a failure reads the model)."""
    import marshal
    import os
    import sys
    import tempfile
    import zlib

    path = model_path()
    try:
        st = path.stat()
    except OSError:
        return None  # no model shipped: rules alone
    version = f"py{sys.version_info[0]}{sys.version_info[1]}"
    key = f"{st.st_size:x}-{st.st_mtime_ns:x}-{zlib.crc32(str(path).encode()):08x}"
    cache = (
        Path(tempfile.gettempdir())
        / f"explain-error-vocabulary-{FORMAT}.{CACHE_FORMAT}-{key}-{version}.marshal"
    )
    try:
        data = marshal.loads(cache.read_bytes())
    except (OSError, ValueError, TypeError, EOFError):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        data = _pack(data)
        try:
            tmp = cache.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(marshal.dumps(data))
            os.replace(tmp, cache)
        except (OSError, ValueError):
            pass  # a read-only temp directory only costs the JSON read on every run
    return Model(data) if isinstance(data, dict) and data.get("format") == FORMAT else None


@lru_cache(maxsize=1)
def cause_texts() -> dict[str, dict[str, Any]]:
    """Per cause: the title, why and fixes a guess from words shows (`rules/causes.toml`)."""
    import tomllib

    from analyzer.ruleset import rules_dir

    try:
        return tomllib.loads((rules_dir() / "causes.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return {}


RULE_PREFIX = "vocabulary."


def rule_id(cause: str) -> str:
    return RULE_PREFIX + cause.replace(".", "-").replace("_", "-")


def is_guess(rule: str) -> bool:
    """Whether a diagnosis's rule id is a guess from words rather than a rule file."""
    return rule.startswith(RULE_PREFIX)


def title_of(cause: str) -> str:
    return f"Guess from its words: {cause_texts().get(cause, {}).get('name', cause)}"


@lru_cache(maxsize=1)
def vocabulary_rules() -> tuple[Rule, ...]:
    """The guesses as rules, one per cause: for `rules show` and SARIF's rule descriptors."""
    from analyzer.ruleset import rule_from

    return tuple(
        rule_from(
            {
                "id": rule_id(cause),
                "cause": cause,
                "title": title_of(cause),
                "why": text.get("why", ""),
                "fixes": text.get("fixes", []),
                "confidence": MAX_CONFIDENCE,
                "fallback": True,
            },
            "rules/causes.toml",
            (),
        )
        for cause, text in cause_texts().items()
    )


def _guess(tb: Traceback, cause: str, confidence: float, telling: list[str]) -> Diagnosis:
    text = cause_texts().get(cause, {})
    evidence = ["no rule knows this message shape"]
    if telling:
        evidence.append(
            "what this failure shares with the labelled failures of this cause: "
            + "; ".join(describe(f) for f in telling)
        )
    loc = tb.location
    return Diagnosis(
        cause=cause,
        rule=rule_id(cause),
        confidence=confidence,
        title=title_of(cause),
        explanation=text.get("why", "")
        + " This is a guess from the failure's words, not a known message shape: check it before acting on it.",
        evidence=tuple(evidence),
        fixes=tuple(text.get("fixes", ())),
        location=Location(loc.path, loc.line) if loc else None,
    )


def complete(
    tb: Traceback, diagnoses: tuple[Diagnosis, ...], model: Model | None = None, weak: bool = False
) -> tuple[Diagnosis, ...]:
    """The rules' diagnoses, checked against the failure's words and completed to three hypotheses."""
    model = model or shipped_model()
    if model is None or (
        not weak and diagnoses and len(diagnoses) >= MAX_DIAGNOSES and diagnoses[0].confidence < SURE
    ):
        return diagnoses
    feats = features(tb)
    ranked = model.posterior(feats)
    out = list(diagnoses)
    if out and out[0].confidence >= SURE and ranked[0][0] not in {d.cause for d in out}:
        # the message shape says one cause, the rest of the failure reads like one no rule named
        other = cause_texts().get(ranked[0][0], {}).get("name", ranked[0][0])
        out = [replace(d, confidence=min(d.confidence, DOUBT)) for d in out]
        out[0] = replace(
            out[0], evidence=out[0].evidence + (f"but the rest of the failure reads more like {other}",)
        )
    if out and out[0].confidence >= SURE:
        return tuple(out)  # a rule is sure and the words agree: no guesses beside it
    if weak or (out and out[0].confidence <= MAX_CONFIDENCE):
        # rules that read only words, or whose message shape is weak evidence (no more than a
        # guess may claim), weigh no more than the words model: rank them together
        guesses = [
            _guess(tb, cause, max(model.confidence(p), 0.01), model.telling(feats, cause))
            for cause, p in ranked[: MAX_DIAGNOSES + 1]
        ]
        merged: dict[str, Diagnosis] = {}
        # a rule of the last tier reads one word of the failure where a guess weighs all of them:
        # the guesses go before it (corpus top-3 0.991 -> 0.992, held-out 0.973 -> 0.975); a rule
        # that read a message shape ranks with them by confidence
        for d in sorted(out + guesses, key=lambda d: (weak and not is_guess(d.rule), -d.confidence)):
            merged.setdefault(d.cause, d)
        return _keep_other(tb, tuple(merged.values())[:MAX_DIAGNOSES], ranked, model, feats)
    have = {d.cause for d in out}
    floor = min((d.confidence for d in out), default=1.0)
    for cause, p in ranked:
        if len(out) >= MAX_DIAGNOSES:
            break
        if cause in have:
            continue
        confidence = min(model.confidence(p), round(floor - 0.01, 2)) if out else model.confidence(p)
        out.append(_guess(tb, cause, max(confidence, 0.01), model.telling(feats, cause)))
        floor = min(floor, out[-1].confidence)
    return _keep_other(tb, tuple(out), ranked, model, feats)


def _keep_other(
    tb: Traceback, out: tuple[Diagnosis, ...], ranked: list[tuple[str, float]], model: Model, feats: set[str]
) -> tuple[Diagnosis, ...]:
    """When nothing is surer than a guess, the third hypothesis is `other` (a bug in the code that
    raised it) if the words rank it among the first OTHER_RANK causes: on held-out public threads
    that is right more often than the third guess it replaces."""
    if len(out) < MAX_DIAGNOSES or out[0].confidence > MAX_CONFIDENCE:
        return out
    if any(d.cause == "other" for d in out) or "other" not in [c for c, _ in ranked[:OTHER_RANK]]:
        return out
    third = _guess(tb, "other", out[2].confidence, model.telling(feats, "other"))
    return (*out[:2], third)


# ------------------------------------------------------------------ building the model
def _count(rows: list[tuple[str, set[str]]], min_cases: int = 1) -> dict[str, Any]:
    """Per cause, how many rows; per feature held by at least `min_cases` rows, how many of each
    cause hold it; per cause, the sum of those counts."""
    classes: dict[str, int] = {}
    counts: dict[str, dict[str, int]] = {}
    for cause, feats in rows:
        classes[cause] = classes.get(cause, 0) + 1
        for f in feats:
            per = counts.setdefault(f, {})
            per[cause] = per.get(cause, 0) + 1
    counts = {f: per for f, per in sorted(counts.items()) if sum(per.values()) >= min_cases}
    totals = {c: 0 for c in classes}
    for per in counts.values():
        for c, k in per.items():
            totals[c] += k
    return {"classes": classes, "totals": totals, "counts": counts, "calibration": [0.0] * (len(BINS) + 1)}


def _fold(name: str) -> int:
    import zlib

    return zlib.crc32(name.encode()) % FOLDS


def _load(directories: Iterable[Path]) -> list[tuple[str, Any, bytes]]:
    """(name, case, log bytes) of every labelled case, named by folder: `cases/generated/x`."""
    from analyzer.evaluate import load_cases

    return [
        (f"{directory.name}/{case.name}", case, case.log.read_bytes())
        for directory in directories
        for case in load_cases(directory)
    ]


def build(directories: Iterable[Path]) -> dict[str, Any]:
    """Count the labelled cases; measure the guesses' accuracy per posterior bin on held-out folds."""
    from analyzer.explain import failure_of

    loaded = _load(directories)
    rows: list[tuple[str, str, frozenset[str], set[str]]] = []
    for name, case, raw in loaded:
        tb = failure_of(raw)
        if tb is not None:
            rows.append((name, case.cause, case.accepted, features(tb)))
    right = [0] * (len(BINS) + 1)
    seen = [0] * (len(BINS) + 1)
    for k in range(FOLDS):
        model = Model(_count([(c, f) for n, c, _, f in rows if _fold(n) != k]))
        for n, _, accepted, f in rows:
            if _fold(n) == k:
                cause, p = model.posterior(f)[0]
                i = sum(p >= b for b in BINS)
                seen[i] += 1
                right[i] += cause in accepted
    # features of one case only say nothing about a cause: they are left out (half the size)
    data = _count([(c, f) for _, c, _, f in rows], min_cases=2)
    data["calibration"] = _monotone(right, seen)
    return {"format": FORMAT, "corpus": _digest(loaded), "cases": len(rows), **data}


def _monotone(right: list[int], seen: list[int]) -> list[float]:
    """Accuracy per bin, pooled where a higher bin did worse than a lower one (a higher posterior
    must never give a lower confidence)."""
    blocks = [[r, s, 1] for r, s in zip(right, seen)]
    i = 0
    while i < len(blocks) - 1:
        a, b = blocks[i], blocks[i + 1]
        if a[1] and b[1] and a[0] / a[1] > b[0] / b[1]:
            blocks[i : i + 2] = [[a[0] + b[0], a[1] + b[1], a[2] + b[2]]]
            i = max(i - 1, 0)
        else:
            i += 1
    return [round(r / s, 3) if s else 0.0 for r, s, k in blocks for _ in range(k)]


def _digest(cases: Iterable[tuple[str, Any, bytes]]) -> str:
    import hashlib

    digest = hashlib.sha256()
    for name, case, raw in cases:
        digest.update(name.encode() + b"\0" + case.cause.encode() + b"\0" + raw)
    return digest.hexdigest()


def corpus_digest(directories: Iterable[Path]) -> str:
    """What the shipped model records of the cases it was counted from (names, labels, logs)."""
    return _digest(_load(directories))


def main(argv: list[str] | None = None) -> int:
    import sys

    args = sys.argv[1:] if argv is None else argv
    if len(args) < 2:
        print("usage: python -m analyzer.vocabulary CASES_DIR... OUT.json", file=sys.stderr)
        return 2
    data = build(Path(a) for a in args[:-1])
    Path(args[-1]).write_text(
        json.dumps(data, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8"
    )
    print(f"{data['cases']} cases, {len(data['counts'])} features, calibration {data['calibration']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
