"""Load and validate the rule files (`rules/<family>/<name>.toml`); a broken rule names its file and field."""

from __future__ import annotations

import contextlib
import marshal
import operator
import os
import re
import sys
import tempfile
import zlib
from collections.abc import Callable, Iterable
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from analyzer.errors import RuleError
from analyzer.model import Record

CAUSES = (
    "data.image_size_mismatch",
    "data.image_channels",
    "data.bbox_invalid",
    "data.label_out_of_range",
    "data.label_shape",
    "data.dtype",
    "data.missing_or_corrupt",
    "data.too_few_boxes",
    "model.input_shape",
    "model.output_mismatch",
    "model.weights_mismatch",
    "model.api_misuse",
    "optim.divergence",
    "optim.autograd_graph",
    "resource.gpu_oom",
    "resource.host_memory",
    "env.device_mismatch",
    "env.cuda_setup",
    "env.version_incompat",
    "env.multiprocessing",
    "env.distributed",
    "other",
)
FRAMEWORKS = ("pytorch", "tensorflow", "keras", "imageai", "python")
PROBES = (
    "image_files",
    "image_modes",
    "image_sizes",
    "annotations",
    "boxes",
    "class_ids",
    "class_names",
    "anchors",
    "replay",
    "divergence",
    "gpu_memory",
)
_ID = re.compile(r"^[a-z0-9]+(\.[a-z0-9][a-z0-9-]*)+$")
TEMPLATE_FIELD = re.compile(r"\{(\w+)\}")  # `{name}` in titles, fixes, evidence; other braces are text


class Condition(Record):
    """Extra evidence a rule can use: when it is in the log, the confidence changes."""

    source: str
    confidence: float
    evidence: str

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        return re.compile(self.source, re.MULTILINE)


class Rule(Record):
    """A rule as written in its file. Patterns compile on first use: most rules never run on a trace."""

    id: str
    cause: str
    title: str
    why: str
    fixes: tuple[str, ...]
    confidence: float
    exception: frozenset[str]  # short type names; empty: any (or none printed)
    message_source: str | None
    not_message_source: str | None
    frames: tuple[str, ...]
    log_source: str | None
    framework: frozenset[str]
    evidence: tuple[str, ...]
    tells_apart: str
    probes: tuple[str, ...]
    references: tuple[str, ...]
    when: tuple[Condition, ...]
    examples: tuple[dict[str, Any], ...]
    near_misses: tuple[dict[str, Any], ...]
    path: str
    anchors: frozenset[str] = frozenset()  # words one of which the text must hold
    fallback: bool = False  # tried only when no other rule explains the failure
    require_source: str | None = None  # arithmetic on the captured numbers that must hold

    @cached_property
    def message(self) -> re.Pattern[str] | None:
        return re.compile(self.message_source, re.MULTILINE) if self.message_source else None

    @cached_property
    def not_message(self) -> re.Pattern[str] | None:
        return re.compile(self.not_message_source, re.MULTILINE) if self.not_message_source else None

    @cached_property
    def log(self) -> re.Pattern[str] | None:
        return re.compile(self.log_source, re.MULTILINE) if self.log_source else None

    @cached_property
    def require(self) -> NumberCheck | None:
        return NumberCheck(self.require_source, self.path) if self.require_source else None


# `require`: the arithmetic a rule may check on the numbers its patterns captured, e.g. that an
# array of `size` values is an image of h x w pixels with one or four channels, not three
_ARITH = {
    "Add": operator.add,
    "Sub": operator.sub,
    "Mult": operator.mul,
    "Div": lambda a, b: a / b if b else float("nan"),  # a division by zero never holds
    "Mod": lambda a, b: a % b if b else float("nan"),
    "FloorDiv": lambda a, b: a // b if b else float("nan"),
    # small powers only (`n ** 0.5 % 1 == 0`: a square number of patches); no huge numbers
    "Pow": lambda a, b: abs(a) ** b if -4 <= b <= 4 else float("nan"),
}
_COMPARE = {
    "Eq": operator.eq,
    "NotEq": operator.ne,
    "Lt": operator.lt,
    "LtE": operator.le,
    "Gt": operator.gt,
    "GtE": operator.ge,
}


class NumberCheck:
    """A `require` expression, checked safely: numbers, capture names, + - * / // %, comparisons,
    `and`/`or`/`not` and parentheses; a name whose capture is not a number makes it fail."""

    def __init__(self, source: str, path: str = "rule") -> None:
        self.check, self.names = _build_check(source, path)

    def __call__(self, values: dict[str, str]) -> bool:
        try:
            env = {name: float(values[name]) for name in self.names}
        except (KeyError, ValueError):
            return False  # a capture missing or not a number: the arithmetic cannot hold
        return bool(self.check(env))


def _build_check(source: str, path: str) -> tuple[Callable[[dict[str, float]], Any], frozenset[str]]:
    import ast

    try:
        tree = ast.parse(source, mode="eval").body
    except SyntaxError as err:
        raise RuleError(f"{path}: field 'require': not an expression: {err.msg}") from None

    def build(node: ast.AST) -> Callable[[dict[str, float]], Any]:
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, (int, float))
            and not isinstance(node.value, bool)
        ):
            value = node.value
            return lambda env: value
        if isinstance(node, ast.Name):
            name = node.id
            return lambda env: env[name]
        if isinstance(node, ast.BinOp) and type(node.op).__name__ in _ARITH:
            op, left, right = _ARITH[type(node.op).__name__], build(node.left), build(node.right)
            return lambda env: op(left(env), right(env))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.Not, ast.USub)):
            operand = build(node.operand)
            if isinstance(node.op, ast.Not):
                return lambda env: not operand(env)
            return lambda env: -operand(env)
        if isinstance(node, ast.BoolOp):
            parts = [build(v) for v in node.values]
            if isinstance(node.op, ast.And):
                return lambda env: all(p(env) for p in parts)
            return lambda env: any(p(env) for p in parts)
        if isinstance(node, ast.Compare) and all(type(o).__name__ in _COMPARE for o in node.ops):
            terms = [build(node.left), *(build(c) for c in node.comparators)]
            ops = [_COMPARE[type(o).__name__] for o in node.ops]
            return lambda env: all(op(terms[i](env), terms[i + 1](env)) for i, op in enumerate(ops))
        raise RuleError(f"{path}: field 'require': '{ast.unparse(node)}' is not allowed there")

    return build(tree), frozenset(n.id for n in ast.walk(tree) if isinstance(n, ast.Name))


_FIELDS = {
    "id": str,
    "cause": str,
    "title": str,
    "why": str,
    "fixes": list,
    "confidence": (int, float),
    "exception": list,
    "message": str,
    "not_message": str,
    "frames": list,
    "log": str,
    "framework": list,
    "evidence": list,
    "tells_apart": str,
    "probes": list,
    "references": list,
    "when": list,
    "fallback": bool,
    "require": str,
    "example": list,
    "near_miss": list,
}
_REQUIRED = ("id", "cause", "title", "why", "fixes", "confidence")


# `(?&name)` in a rule's patterns stands for the regular expression `name` of `rules/patterns.toml`
# (a shape several rules look for in a log: the loss printed as NaN, training steps that ran); the
# syntax is PCRE's call of a named group, which Python's `re` rejects, so it never means anything else
PATTERN_CALL = re.compile(r"\(\?&(\w+)\)")
PATTERN_FIELDS = ("message", "not_message", "log")


def read_patterns(root: Path) -> dict[str, str]:
    """The named patterns rules share (`patterns.toml` at the top of a rules directory), validated."""
    file = root / "patterns.toml"
    if not file.exists():
        return {}
    rel = f"{root.name}/patterns.toml"
    table = _read(file, rel)
    if set(table) - {"patterns"} or not isinstance(table.get("patterns", {}), dict):
        raise RuleError(f"{rel}: expected only a [patterns] table of name = 'regex'")
    patterns = table.get("patterns", {})
    for name, source in patterns.items():
        if not isinstance(source, str):
            raise RuleError(f"{rel}: field 'patterns.{name}' must be a string")
        if PATTERN_CALL.search(source):
            raise RuleError(f"{rel}: field 'patterns.{name}': a named pattern cannot call another")
        _compile(rel, f"patterns.{name}", source)
    return patterns


def expand_patterns(data: dict[str, Any], path: str, patterns: dict[str, str]) -> dict[str, Any]:
    """The rule's data with every `(?&name)` replaced by its named pattern (as a group)."""

    def expand(field: str, source: object) -> object:
        if not isinstance(source, str) or "(?&" not in source:
            return source

        def one(m: re.Match[str]) -> str:
            if m.group(1) not in patterns:
                raise RuleError(
                    f"{path}: field '{field}': (?&{m.group(1)}) is not a pattern of patterns.toml"
                )
            return f"(?:{patterns[m.group(1)]})"

        return PATTERN_CALL.sub(one, source)

    out = dict(data)
    for key in PATTERN_FIELDS:
        if key in out:
            out[key] = expand(key, out[key])
    if isinstance(out.get("when"), list):
        out["when"] = [
            {**c, "pattern": expand(f"when[{i}].pattern", c["pattern"])}
            if isinstance(c, dict) and "pattern" in c
            else c
            for i, c in enumerate(out["when"])
        ]
    return out


# a pattern that opens with a dot-all lookahead over the rest of the text, unanchored: searching it
# scans the whole log again from every position, quadratic in the log's length (minutes on a log of
# a thousand CUDA assert lines); `\A(?=.*...)(?=.*...)` tests the same once
_UNANCHORED_SCAN = re.compile(r"\(\?[a-zA-Z]*s[a-zA-Z]*\)(?:\(\?:)?\(\?=\.\*")


def _compile(path: str, name: str, pattern: str) -> re.Pattern[str]:
    if _UNANCHORED_SCAN.match(pattern):
        raise RuleError(f"{path}: field '{name}': a dot-all lookahead at the start must be anchored with \\A")
    try:
        return re.compile(pattern, re.MULTILINE)
    except re.error as err:
        raise RuleError(f"{path}: field '{name}': bad regular expression: {err}") from None


def _parsed(pattern: str) -> list[tuple[Any, Any]] | None:
    """The pattern's top-level elements as the regex parser sees them (None if it does not parse)."""
    try:
        import re._parser as sre_parse  # type: ignore[import-not-found]
    except ImportError:  # Python 3.10
        import sre_parse  # type: ignore[no-redef]
    try:
        return list(sre_parse.parse(pattern))
    except Exception:
        return None


def _literal_words(pattern: str) -> set[str]:
    """Whole words (lower case) that every match of the pattern holds: the rule's index keys."""
    parsed = _parsed(pattern)
    if parsed is None:
        return set()
    if len(parsed) == 1 and str(parsed[0][0]) == "BRANCH":
        return set()  # `a|b` at the top: no word is common to every match
    words: set[str] = set()
    run: list[str] = []
    before = " "  # what may stand before the run: "x" for a word character, " " for none
    for op, arg in [*parsed, (None, None)]:
        if str(op) == "LITERAL":
            run.append(chr(arg))
            continue
        # the pattern's own ends count as word bounds: rule messages start and end on whole words
        after = " " if op is None or _bounds_words(op, arg) else "x"
        text = before + "".join(run) + after
        words.update(w.lower() for w in re.findall(r"(?<=\W)[A-Za-z_]\w{3,}(?=\W)", text) if not w.isdigit())
        run = []
        before = " " if _bounds_words(op, arg) else "x"
    return words


def literal_phrases(pattern: str) -> tuple[str, ...]:
    """Lower-case text one of which every match of the pattern holds: its longest run of plain
    characters, or one per alternative of a top-level `a|b` (empty when some part has no run of 4
    characters or more). Matching looks for them before compiling the pattern."""
    parsed = _parsed(pattern)
    if parsed is None:
        return ()
    if len(parsed) == 1 and str(parsed[0][0]) == "BRANCH":
        branches = [list(b) for b in parsed[0][1][1]]
    else:
        branches = [parsed]
    out = []
    for items in branches:
        best = ""
        run: list[str] = []
        for op, arg in [*items, (None, None)]:
            if str(op) == "LITERAL":
                run.append(chr(arg))
                continue
            if len(run) > len(best):
                best = "".join(run)
            run = []
        if len(best) < 4:
            return ()
        out.append(best.lower())
    return tuple(dict.fromkeys(out))


def _bounds_words(op: object, arg: object) -> bool:
    """True when this regex element can only stand at a word boundary (`^`, `$`, `\\b`, `\\s`)."""
    name = str(op)
    if name == "AT":
        return True
    if name == "IN":
        return all(str(a[0]) == "CATEGORY" and "SPACE" in str(a[1]) and "NOT" not in str(a[1]) for a in arg)
    return False


def parse_rule(data: dict[str, Any], path: str) -> Rule:
    """Validate one rule's data, naming the file and field of any fault."""
    for key in data:
        if key not in _FIELDS:
            raise RuleError(f"{path}: unknown field '{key}'")
        if not isinstance(data[key], _FIELDS[key]):
            raise RuleError(f"{path}: field '{key}' must be a {_type_name(_FIELDS[key])}")
    for key in _REQUIRED:
        if key not in data:
            raise RuleError(f"{path}: missing field '{key}'")
    if not _ID.match(data["id"]):
        raise RuleError(f"{path}: field 'id': '{data['id']}' is not of the form family.name")
    if data["cause"] not in CAUSES:
        raise RuleError(f"{path}: field 'cause': '{data['cause']}' is not a cause id of the taxonomy")
    if not 0 < float(data["confidence"]) <= 1:
        raise RuleError(f"{path}: field 'confidence' must be in (0, 1]")
    if "message" not in data and "log" not in data:
        raise RuleError(f"{path}: a rule needs a 'message' or a 'log' pattern")
    for fw in data.get("framework", []):
        if fw not in FRAMEWORKS:
            raise RuleError(f"{path}: field 'framework': '{fw}' is not one of {', '.join(FRAMEWORKS)}")
    for probe in data.get("probes", []):
        if probe not in PROBES:
            raise RuleError(f"{path}: field 'probes': '{probe}' is not one of {', '.join(PROBES)}")
    if not data.get("example"):
        raise RuleError(f"{path}: field 'example': a rule needs at least one example")
    if not data.get("near_miss"):
        raise RuleError(f"{path}: field 'near_miss': a rule needs at least one near miss")
    message = _compile(path, "message", data["message"]) if "message" in data else None
    log = _compile(path, "log", data["log"]) if "log" in data else None
    if "not_message" in data:
        _compile(path, "not_message", data["not_message"])
    names = set(message.groupindex if message else ()) | set(log.groupindex if log else ())
    for i, cond in enumerate(data.get("when", [])):
        if not isinstance(cond, dict) or "pattern" not in cond or "confidence" not in cond:
            raise RuleError(f"{path}: field 'when[{i}]' needs 'pattern' and 'confidence'")
        names |= set(_compile(path, f"when[{i}].pattern", cond["pattern"]).groupindex)
    for key in ("title", "why", "tells_apart"):
        _check_template(path, key, data.get(key, ""), names)
    for i, text in enumerate(data["fixes"]):
        _check_template(path, f"fixes[{i}]", text, names)
    for i, text in enumerate(data.get("evidence", [])):
        _check_template(path, f"evidence[{i}]", text, names)
    if "require" in data:
        for name in sorted(NumberCheck(data["require"], path).names):
            if name not in names:
                raise RuleError(f"{path}: field 'require': {name} is not a named capture of the rule")
    anchors = _literal_words(data["message"]) if "message" in data else set()
    return rule_from(data, path, anchors)


def rule_from(data: dict[str, Any], path: str, anchors: Iterable[str]) -> Rule:
    """A Rule from already validated data (a rule file, or the rules cache)."""
    return Rule(
        id=data["id"],
        cause=data["cause"],
        title=data["title"],
        why=data["why"].strip(),
        fixes=tuple(data["fixes"]),
        confidence=float(data["confidence"]),
        exception=frozenset(data.get("exception", [])),
        message_source=data.get("message"),
        not_message_source=data.get("not_message"),
        frames=tuple(f.replace("\\", "/") for f in data.get("frames", [])),
        log_source=data.get("log"),
        framework=frozenset(data.get("framework", [])),
        evidence=tuple(data.get("evidence", [])),
        tells_apart=data.get("tells_apart", ""),
        probes=tuple(data.get("probes", [])),
        references=tuple(data.get("references", [])),
        when=tuple(
            Condition(c["pattern"], float(c["confidence"]), str(c.get("evidence", "")))
            for c in data.get("when", [])
        ),
        examples=tuple(data.get("example", ())),
        near_misses=tuple(data.get("near_miss", ())),
        path=path,
        anchors=frozenset(anchors),
        fallback=bool(data.get("fallback", False)),
        require_source=data.get("require"),
    )


def _type_name(t: object) -> str:
    if isinstance(t, tuple):
        return "number"
    return {str: "string", list: "list"}.get(t, str(t))  # type: ignore[call-overload]


def _check_template(path: str, key: str, text: str, names: set[str]) -> None:
    for name in TEMPLATE_FIELD.findall(text):
        if name not in names:
            raise RuleError(f"{path}: field '{key}': {{{name}}} is not a named capture of the rule")


def rules_dir() -> Path:
    """The shipped rules: `rules/` beside the package in a checkout, `analyzer/rules` when installed."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "rules", here.parent / "rules"):
        if candidate.is_dir():
            return candidate
    raise RuleError(f"no rules directory found near {here}")


def _rule_files(root: Path) -> list[Path]:
    return sorted(root.glob("*/*.toml"))  # rules/<family>/<name>.toml; top-level files are not rules


def _read(file: Path, rel: str) -> dict[str, Any]:
    import tomllib  # only when the rules cache is cold: start-up stays light

    try:
        return tomllib.loads(file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise RuleError(f"{rel}: not valid TOML: {err}") from None


def load_rules(directory: Path | None = None) -> tuple[Rule, ...]:
    """Every rule under a directory, validated; ids must be unique."""
    root = directory or rules_dir()
    patterns = read_patterns(root)
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for file in _rule_files(root):
        rel = str(file.relative_to(root.parent)) if directory is None else str(file)
        rule = parse_rule(expand_patterns(_read(file, rel), rel, patterns), rel)
        if rule.id in seen:
            raise RuleError(f"{rel}: field 'id': '{rule.id}' is also the id of {seen[rule.id]}")
        seen[rule.id] = rel
        rules.append(rule)
    return tuple(rules)


CACHE_FORMAT = "9"


def _cache_path(root: Path, installed: bool | None = None) -> Path:
    """Where the validated rules are kept. Rules installed inside the package change only when
    pip replaces them, which adds and removes files: the family folders' times are the key. In a
    checkout a rule file may be edited in place: the folders' times, and per folder the count, total
    size and summed times of its files, are."""
    parts = [f"{CACHE_FORMAT}\n{root}\n"]
    if installed is None:
        installed = root.parent == Path(__file__).resolve().parent
    with contextlib.suppress(OSError):  # the shared patterns are part of every rule that calls one
        st = (root / "patterns.toml").stat()
        parts.append(f"patterns.toml:{st.st_size}:{st.st_mtime_ns}\n")
    with os.scandir(root) as families:
        for family in sorted(families, key=lambda e: e.name):
            if not family.is_dir():
                continue
            line = f"{family.name}:{family.stat().st_mtime_ns}"  # files added, removed or renamed
            if not installed:
                # an edit in place moves a file's time (and often its size); sums of integers cost
                # far less than a line per file, and stat is what is left of the per-file cost
                count = times = sizes = 0
                with os.scandir(family.path) as files:
                    for f in files:
                        st = f.stat()
                        count += 1
                        times += st.st_mtime_ns
                        sizes += st.st_size
                line += f":{count}:{times}:{sizes}"
            parts.append(line + "\n")
    key = "".join(parts).encode()
    # two checksums of the listing: a key, not a secret (hashlib costs more start-up than it is worth)
    digest = f"{zlib.crc32(key):08x}{zlib.adler32(key):08x}{len(key):x}"
    # marshal, not JSON: the cache is read on every run and marshal reads it several times faster;
    # the Python version is in the name because marshal's format may change between versions
    version = f"py{sys.version_info[0]}{sys.version_info[1]}"
    return Path(tempfile.gettempdir()) / f"explain-error-rules-{digest}-{version}.marshal"


RuleEntry = tuple[str, dict[str, Any], list[str]]  # path, validated data, index words


class RuleTables(NamedTuple):
    """What matching needs to pick candidate rules, without reading any rule: per rule, its path,
    index words, exception types and tier; each rule's data stays marshalled until it is built."""

    paths: tuple[str, ...]
    anchors: tuple[tuple[str, ...], ...]
    exceptions: tuple[tuple[str, ...], ...]
    fallback: tuple[bool, ...]
    blobs: tuple[bytes, ...]
    phrases: tuple[tuple[str, ...], ...]  # per rule, text one of which its message's matches hold

    def data(self, i: int) -> dict[str, Any]:
        return marshal.loads(self.blobs[i])  # type: ignore[no-any-return]


@lru_cache(maxsize=1)
def shipped_tables() -> RuleTables:
    """The shipped rules, validated once, then read from a cache: start-up stays light."""
    root = rules_dir()
    cache = _cache_path(root)
    try:
        return RuleTables._make(marshal.loads(cache.read_bytes()))
    except (OSError, ValueError, TypeError, EOFError):
        pass
    # what explaining needs: a rule's examples are for `rules check` and `rules show`, read from the files
    rules = load_rules()
    patterns = read_patterns(root)
    datas = [
        _runtime_fields(expand_patterns(_read(root.parent / rule.path, rule.path), rule.path, patterns))
        for rule in rules
    ]
    tables = RuleTables(
        paths=tuple(rule.path for rule in rules),
        anchors=tuple(tuple(sorted(rule.anchors)) for rule in rules),
        exceptions=tuple(tuple(sorted(rule.exception)) for rule in rules),
        fallback=tuple(rule.fallback for rule in rules),
        blobs=tuple(marshal.dumps(d) for d in datas),
        phrases=tuple(literal_phrases(rule.message_source or "") for rule in rules),
    )
    try:
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(marshal.dumps(tuple(tables)))
        os.replace(tmp, cache)
    except (OSError, TypeError, ValueError):
        pass  # a read-only temp directory only costs the validation on every run
    return tables


def shipped_entries() -> list[RuleEntry]:
    """Every shipped rule's path, runtime data and index words."""
    t = shipped_tables()
    return [(t.paths[i], t.data(i), list(t.anchors[i])) for i in range(len(t.paths))]


def _runtime_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in ("example", "near_miss")}


@lru_cache(maxsize=1)
def shipped_rules() -> tuple[Rule, ...]:
    """Every shipped rule (validated)."""
    return tuple(rule_from(data, path, anchors) for path, data, anchors in shipped_entries())
