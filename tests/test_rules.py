"""Every rule: valid, its examples fire with their captures, its near misses do not.
Broken rule files are errors that name the file and the field."""

from __future__ import annotations

import re
import subprocess
from collections import Counter

import pytest

from analyzer.errors import RuleError
from analyzer.match import RuleIndex
from analyzer.rulecheck import run_examples
from analyzer.ruleset import CAUSES, literal_phrases, load_rules

from .conftest import console_script

RULES = load_rules()


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_examples_and_near_misses(rule):
    assert run_examples(rule) == []


def test_every_cause_has_two_rules():
    count = Counter(r.cause for r in RULES)
    thin = {c: count[c] for c in CAUSES if c != "other" and count[c] < 2}
    assert not thin, f"causes with fewer than two rules: {thin}"


def test_at_least_80_rules_and_every_family():
    assert len(RULES) >= 80
    families = {r.id.split(".")[0] for r in RULES}
    assert {"torch", "tf", "keras", "imageai"} <= families


def test_index_words_keep_matching_flat():
    index = RuleIndex.build(RULES)
    assert len(index.always) <= len(RULES) // 10, [r.id for r in index.always]


def test_candidates_are_passed_over_by_exception_type_before_building():
    index = RuleIndex.build(RULES)
    message = (
        "stack expects each tensor to be equal size, but got [3, 2, 2] at entry 0 and [3, 4, 4] at entry 1"
    )
    words = {w.lower() for w in re.findall(r"[A-Za-z_]\w{3,}", message)}
    typed = index.candidates(words, {"RuntimeError"})
    assert "torch.collate-stack-size" in {r.id for r in typed}
    assert all(not r.exception or "RuntimeError" in r.exception for r in typed)
    # a KeyError rule with no index word is not a candidate for a RuntimeError...
    assert "python.pycocotools-missing-key" not in {r.id for r in typed}
    # ...but an exception whose type was not printed accepts every rule
    assert "python.pycocotools-missing-key" in {r.id for r in index.candidates(words, {"", "RuntimeError"})}


def test_candidates_must_hold_one_of_their_rules_literal_phrases_before_compiling():
    assert literal_phrases(r"could not convert string '(?P<v>[^']*)' to float") == (
        "could not convert string '",
    )
    assert literal_phrases(r"(?i)CUDA out of memory\. Tried") == ("cuda out of memory. tried",)
    assert literal_phrases(r"^'lr'$|learning rate (?P<x>\d+)") == ("'lr'", "learning rate ")
    assert literal_phrases(r"a (?:long)? b") == () and literal_phrases("ab|second phrase") == ()
    index = RuleIndex.build(RULES)
    message = (
        "stack expects each tensor to be equal size, but got [3, 2, 2] at entry 0 and [3, 4, 4] at entry 1"
    )
    words = {w.lower() for w in re.findall(r"[A-Za-z_]\w{3,}", message)}
    both = {r.id for r in index.candidates(words, {"RuntimeError"}, f"RuntimeError: {message}".lower())}
    assert "torch.collate-stack-size" in both
    # the same words in another order hold none of the message's phrases
    shuffled = " ".join(sorted(words))
    assert "torch.collate-stack-size" not in {
        r.id for r in index.candidates(words, {"RuntimeError"}, shuffled)
    }
    assert len(both) < len(index.candidates(words, {"RuntimeError"}))


GOOD = """
id = "x.rule"
cause = "data.dtype"
title = "Wrong dtype {got}"
why = "why"
fixes = ["fix"]
confidence = 0.5
message = 'found (?P<got>\\w+) dtype'
[[example]]
message = "found Long dtype"
[[near_miss]]
message = "found dtype"
"""


@pytest.mark.parametrize(
    "change,field",
    [
        (('cause = "data.dtype"', 'cause = "data.nonsense"'), "cause"),
        (("confidence = 0.5", "confidence = 1.5"), "confidence"),
        (("message = 'found (?P<got>\\w+) dtype'", "message = 'found (?P<got>\\w+ dtype'"), "message"),
        (('title = "Wrong dtype {got}"', 'title = "Wrong dtype {want}"'), "title"),
        (('id = "x.rule"', 'id = "NoFamily"'), "id"),
        (('[[near_miss]]\nmessage = "found dtype"', ""), "near_miss"),
        (('why = "why"', 'why = "why"\ncolour = "red"'), "colour"),
        (('fixes = ["fix"]', 'fixes = "fix"'), "fixes"),
        (("confidence = 0.5", 'confidence = 0.5\nrequire = "width > 3"'), "require"),  # not a capture
        (("confidence = 0.5", 'confidence = 0.5\nrequire = "__import__(got)"'), "require"),  # a call
        (("confidence = 0.5", 'confidence = 0.5\nrequire = "got.real > 3"'), "require"),  # an attribute
        (("confidence = 0.5", 'confidence = 0.5\nrequire = "got >"'), "require"),
        # a condition without its pattern (a `log` key where `pattern` belongs)
        (("[[example]]", '[[when]]\nlog = "split"\nconfidence = 0.6\n[[example]]'), "when[0]"),
        # a dot-all lookahead at the start, not anchored: quadratic in the log's length
        (("confidence = 0.5", "confidence = 0.5\nlog = '(?s)(?=.*split)(?=.*found)'"), "log"),
    ],
)
def test_broken_rule_names_file_and_field(tmp_path, change, field):
    (tmp_path / "x").mkdir()
    path = tmp_path / "x" / "rule.toml"
    path.write_text(GOOD.replace(*change))
    with pytest.raises(RuleError) as err:
        load_rules(tmp_path)
    assert str(path) in str(err.value) and field in str(err.value)


def test_good_rule_loads(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "rule.toml").write_text(GOOD)
    [rule] = load_rules(tmp_path)
    assert run_examples(rule) == []


def test_named_patterns_are_shared_by_the_rules_that_call_them(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "patterns.toml").write_text("[patterns]\ndtype_word = '(?:Long|Float|Half)'\n")
    rule_text = GOOD.replace("(?P<got>\\w+)", "(?P<got>(?&dtype_word))").replace(
        "found Long dtype", "found Half dtype"
    )
    (tmp_path / "x" / "rule.toml").write_text(rule_text)
    [rule] = load_rules(tmp_path)
    assert rule.message_source == "found (?P<got>(?:(?:Long|Float|Half))) dtype"
    assert run_examples(rule) == []
    assert rule.message.search("found Byte dtype") is None  # the pattern, not any word
    # a call of a pattern that is not there names the rule file and the field
    (tmp_path / "x" / "rule.toml").write_text(rule_text.replace("(?&dtype_word)", "(?&dtype_words)"))
    with pytest.raises(RuleError, match=r"rule\.toml: field 'message': \(\?&dtype_words\)"):
        load_rules(tmp_path)
    # a broken pattern names patterns.toml and the pattern
    (tmp_path / "patterns.toml").write_text("[patterns]\ndtype_word = '(?:Long'\n")
    with pytest.raises(RuleError, match=r"patterns\.toml: field 'patterns\.dtype_word'"):
        load_rules(tmp_path)


def test_shipped_rules_call_shared_patterns():
    from analyzer.ruleset import PATTERN_CALL, read_patterns, rules_dir

    patterns = read_patterns(rules_dir())
    assert {"steps_ran", "loss_bad"} <= set(patterns)
    callers = [
        r
        for r in RULES
        if any(
            f"(?:{p})" in (r.log_source or "") + "".join(c.source for c in r.when) for p in patterns.values()
        )
    ]
    assert len(callers) >= 10 and not any(PATTERN_CALL.search(c.source) for r in RULES for c in r.when)


def test_rules_check_command_reports_a_broken_file(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "rule.toml").write_text(GOOD.replace("0.5", '"high"'))
    proc = subprocess.run([console_script(), "rules", "check", str(tmp_path)], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "rule.toml" in proc.stderr and "confidence" in proc.stderr


def test_rules_list_json_and_show():
    import json

    out = subprocess.run(
        [console_script(), "rules", "list", "--format", "json"], capture_output=True, text=True
    )
    rows = json.loads(out.stdout)
    assert len(rows) == len(RULES) and {"id", "cause", "title"} <= set(rows[0])
    shown = subprocess.run([console_script(), "rules", "show", RULES[0].id], capture_output=True, text=True)
    assert shown.returncode == 0 and RULES[0].cause in shown.stdout and "Fix" in shown.stdout
    missing = subprocess.run(
        [console_script(), "rules", "show", "no.such-rule"], capture_output=True, text=True
    )
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1


def test_require_checks_the_captured_numbers():
    """`require`: arithmetic on the captures decides between causes that share a message shape."""
    from analyzer.ruleset import NumberCheck

    channels = NumberCheck("size == h * w or size == h * w * 4")
    assert channels({"size": "587214", "h": "606", "w": "969"})  # a greyscale image
    assert channels({"size": "200704", "h": "224", "w": "224"})  # an RGBA image
    assert not channels({"size": "1200", "h": "10", "w": "20"})  # another size
    assert not channels({"size": "abc", "h": "10", "w": "20"})  # not a number: the rule does not fire
    assert not channels({"h": "10", "w": "20"})  # a capture missing
    assert NumberCheck("not (a % 3 == 0) and -a < 0")({"a": "7"})
    assert not NumberCheck("a // b == 2")({"a": "4", "b": "0"})  # a division by zero never holds


def test_a_rule_for_a_base_type_reads_its_newer_subclass() -> None:
    """torch 2.8+ raises CUDA errors as `torch.AcceleratorError`, a RuntimeError: rules written for
    `RuntimeError` still read them, as `except RuntimeError:` would catch them."""
    from analyzer.explain import explain_text
    from analyzer.match import accepted_as

    assert accepted_as("AcceleratorError") == ("AcceleratorError", "RuntimeError")
    assert accepted_as("ValueError") == ("ValueError",)
    text = (
        "Traceback (most recent call last):\n"
        '  File "/home/user/train.py", line 5, in <module>\n'
        "    model = model.to(torch.device('cuda:1'))\n"
        "torch.AcceleratorError: CUDA error: invalid device ordinal\n"
        "GPU device may be out of range, do you have enough GPUs?\n"
    )
    first = explain_text(text).failures[0].diagnoses[0]
    assert (first.rule, first.cause) == ("cuda.invalid-device-ordinal", "env.cuda_setup")


def test_rules_cache_key_follows_the_files(tmp_path):
    import os

    from analyzer.ruleset import _cache_path

    family = tmp_path / "torch"
    family.mkdir()
    rule = family / "a.toml"
    rule.write_text("id = 'torch.a'\n")
    checkout, installed = _cache_path(tmp_path, installed=False), _cache_path(tmp_path, installed=True)
    # a checkout's rule edited in place (same size, later time): a new key
    st = rule.stat()
    os.utime(rule, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    assert _cache_path(tmp_path, installed=False) != checkout
    # installed rules change as pip changes them, adding and removing files: a new key
    before = family.stat().st_mtime_ns
    (family / "b.toml").write_text("id = 'torch.b'\n")
    os.utime(family, ns=(before + 10**9, before + 10**9))
    assert _cache_path(tmp_path, installed=True) != installed
    # the shared patterns are part of the rules that call them: a new key for both
    keys = _cache_path(tmp_path, installed=False), _cache_path(tmp_path, installed=True)
    (tmp_path / "patterns.toml").write_text("[patterns]\n")
    assert (
        _cache_path(tmp_path, installed=False) != keys[0] and _cache_path(tmp_path, installed=True) != keys[1]
    )
