"""Guesses from a failure's words (analyzer/vocabulary.py): a naive Bayes model counted from the
corpus, used when no rule knows a message shape, to complete the rules' hypotheses to three, and to
doubt a sure rule whose failure reads like a cause no rule named."""

from __future__ import annotations

import json
import shutil
import subprocess

from analyzer import vocabulary
from analyzer.evaluate import load_cases
from analyzer.explain import explain_chunks, failure_of
from analyzer.match import RuleIndex
from analyzer.model import Diagnosis
from analyzer.ruleset import CAUSES

from .conftest import CORPUS, HELDOUT, ROOT, console_script

NO_RULES = RuleIndex.build([])
CE_CASE = CORPUS / "generated" / "torch-ce-target-out-of-bounds.log"


def test_shipped_model_is_counted_from_this_corpus_and_the_held_out_threads():
    shipped = json.loads((ROOT / "rules" / "vocabulary.json").read_text())
    assert shipped["corpus"] == vocabulary.corpus_digest([CORPUS, HELDOUT]), (
        "cases changed: run `make vocabulary`"
    )
    assert shipped["cases"] == len(load_cases(CORPUS)) + len(load_cases(HELDOUT))


def test_every_cause_has_a_name_why_and_fix():
    texts = vocabulary.cause_texts()
    assert set(texts) == set(CAUSES)
    for cause, text in texts.items():
        assert text["name"] and text["why"] and text["fixes"], cause


def test_a_failure_no_rule_knows_gets_three_ranked_guesses_below_the_rules():
    report = explain_chunks([CE_CASE.read_bytes()], str(CE_CASE), NO_RULES)
    guesses = report.failures[report.primary].diagnoses
    assert [d.cause for d in guesses][0] == "data.label_out_of_range"  # its words: Target, out of bounds
    assert len({d.cause for d in guesses}) == 3
    assert all(d.rule == vocabulary.rule_id(d.cause) for d in guesses)
    confidences = [d.confidence for d in guesses]
    assert confidences == sorted(confidences, reverse=True)
    assert confidences[-1] > 0 and confidences[0] <= vocabulary.MAX_CONFIDENCE
    assert guesses[0].evidence[0] == "no rule knows this message shape"
    assert '"target"' in guesses[0].evidence[1] or '"bounds"' in guesses[0].evidence[1]
    assert guesses[0].location is not None and guesses[0].location.path.endswith("train.py")


def _rule_diagnosis(cause: str, confidence: float) -> Diagnosis:
    return Diagnosis(cause=cause, rule="torch.example", confidence=confidence, title="t", explanation="w")


def test_a_sure_rule_the_words_agree_with_stands_alone():
    tb = failure_of(CE_CASE.read_bytes())
    sure = (_rule_diagnosis("data.label_out_of_range", 0.9),)
    assert vocabulary.complete(tb, sure) == sure


def test_a_sure_rule_whose_failure_reads_like_another_cause_is_doubted_and_completed():
    tb = failure_of(CE_CASE.read_bytes())
    out = vocabulary.complete(tb, (_rule_diagnosis("env.distributed", 0.9),))
    assert out[0].cause == "env.distributed" and out[0].confidence == vocabulary.DOUBT
    assert "reads more like" in out[0].evidence[-1]
    assert (
        len(out) == 3 and out[1].cause == "data.label_out_of_range" and out[1].confidence < vocabulary.DOUBT
    )


def test_words_only_rules_rank_below_the_guesses():
    # a fallback rule reads one word where the model weighs all of them: the guesses go first
    tb = failure_of(CE_CASE.read_bytes())
    words_rule = _rule_diagnosis("model.input_shape", 0.2)
    out = vocabulary.complete(tb, (words_rule,), weak=True)
    assert out[0].cause == "data.label_out_of_range" and out[0].confidence > 0.2
    assert len(out) == 3 and all(vocabulary.is_guess(d.rule) for d in out)
    assert [d.confidence for d in out] == sorted((d.confidence for d in out), reverse=True)
    # so does a rule whose message shape is weak evidence (no surer than a guess may be) ...
    assert vocabulary.complete(tb, (words_rule,))[0].cause == "data.label_out_of_range"
    # ... while a rule surer than any guess keeps its place above them
    shape_rule = _rule_diagnosis("model.input_shape", vocabulary.MAX_CONFIDENCE + 0.1)
    assert vocabulary.complete(tb, (shape_rule,))[0] == shape_rule


def test_a_guess_goes_before_a_last_tier_rule_but_ranks_with_a_message_shape_by_confidence():
    tb = failure_of(CE_CASE.read_bytes())
    feats = vocabulary.features(tb)
    model = vocabulary.Model(
        {
            "classes": {"data.dtype": 5},
            "totals": {"data.dtype": 5 * len(feats)},
            "counts": {f: {"data.dtype": 5} for f in feats},
            "calibration": [0.19 / vocabulary.UNSEEN] * 5,  # every guess reads 0.19, below the rule
        }
    )
    rule = _rule_diagnosis("model.input_shape", 0.2)
    weak = vocabulary.complete(tb, (rule,), model, weak=True)
    assert [(d.cause, d.confidence) for d in weak[:2]] == [("data.dtype", 0.19), ("model.input_shape", 0.2)]
    shape = vocabulary.complete(tb, (rule,), model)
    assert [d.cause for d in shape[:2]] == ["model.input_shape", "data.dtype"]


def test_a_sure_rule_is_not_doubted_for_a_cause_another_rule_named():
    tb = failure_of(CE_CASE.read_bytes())
    pair = (_rule_diagnosis("env.distributed", 0.9), _rule_diagnosis("data.label_out_of_range", 0.85))
    assert vocabulary.complete(tb, pair) == pair


def test_a_failure_that_reads_like_other_leads_with_that_hypothesis_then_guesses():
    tb = failure_of(CE_CASE.read_bytes())
    feats = vocabulary.features(tb)
    counts = {f: {"other": 5} for f in feats}
    model = vocabulary.Model(
        {
            "classes": {"other": 5, "data.dtype": 5},
            "totals": {"other": 5 * len(feats), "data.dtype": 1},
            "counts": {**counts, "W:unrelated": {"data.dtype": 1}},
            "calibration": [0.5] * 5,
        }
    )
    out = vocabulary.complete(tb, (), model)
    assert [d.cause for d in out] == ["other", "data.dtype"]
    assert out[0].rule == vocabulary.rule_id("other") and "issue tracker" in out[0].fixes[0]
    assert out[0].confidence >= out[1].confidence and out[0].confidence <= vocabulary.MAX_CONFIDENCE


def test_guesses_generalise_to_cases_they_were_not_counted_from():
    """Cross-validation on the corpus (the calibration folds): the words alone, without any rule."""
    rows = []
    for case in load_cases(CORPUS):
        tb = failure_of(case.log.read_bytes())
        if tb is not None:
            rows.append((case.name, case.cause, case.accepted, vocabulary.features(tb)))
    top1 = top3 = 0
    for k in range(vocabulary.FOLDS):
        model = vocabulary.Model(
            vocabulary._count([(c, f) for n, c, _, f in rows if vocabulary._fold(n) != k])
        )
        for n, _, accepted, f in rows:
            if vocabulary._fold(n) == k:
                ranked = [c for c, _ in model.posterior(f)]
                top1 += ranked[0] in accepted
                top3 += bool(set(ranked[:3]) & accepted)
    assert top1 / len(rows) >= 0.6 and top3 / len(rows) >= 0.8, (top1 / len(rows), top3 / len(rows))


def test_build_counts_a_corpus_and_writes_the_model(tmp_path):
    cases = tmp_path / "cases"
    cases.mkdir()
    for name in ("torch-ce-target-out-of-bounds", "torch-collate-size-mismatch-workers"):
        for ext in (".log", ".toml"):
            shutil.copy(CORPUS / "generated" / f"{name}{ext}", cases / f"{name}{ext}")
    out = tmp_path / "vocabulary.json"
    assert vocabulary.main([str(cases), str(out)]) == 0
    data = json.loads(out.read_text())
    assert data["cases"] == 2 and data["format"] == vocabulary.FORMAT
    assert set(data["classes"]) == {"data.label_out_of_range", "data.image_size_mismatch"}
    # what both failures share is kept (both torch); a feature of one case only is left out
    assert data["counts"]["M:torch"] == {"data.label_out_of_range": 1, "data.image_size_mismatch": 1}
    assert "W:target" not in data["counts"] and "T:IndexError" not in data["counts"]
    assert all(sum(per.values()) > 1 for per in data["counts"].values())


def test_rules_show_explains_a_guess():
    shown = subprocess.run(
        [console_script(), "rules", "show", vocabulary.rule_id("data.image_channels")],
        capture_output=True,
        text=True,
    )
    assert shown.returncode == 0, shown.stderr
    assert "data.image_channels" in shown.stdout and "no rule knows" in shown.stdout


def test_a_guess_level_failure_keeps_a_bug_in_the_code_as_its_third_hypothesis(monkeypatch) -> None:
    """Only guesses and weak rules: `other` replaces the third guess when the words rank it high."""
    # a case whose words rank `other` below the first three guesses but within OTHER_RANK (a
    # vocabulary recount can move a case across that line; pick another such case then)
    text = (CORPUS / "public" / "efficientdet-od-api-tfrecord-crop-jpg-source-id.log").read_text()
    report = explain_chunks([text.encode()])
    causes = [d.cause for d in report.failures[report.primary].diagnoses]
    assert causes[0] == "data.missing_or_corrupt" and causes[2] == "other"
    assert report.failures[report.primary].diagnoses[0].confidence <= vocabulary.MAX_CONFIDENCE
    monkeypatch.setattr(vocabulary, "OTHER_RANK", 0)
    report = explain_chunks([text.encode()])
    assert "other" not in [d.cause for d in report.failures[report.primary].diagnoses]


def test_a_sure_rule_gets_no_bug_in_the_code_beside_it() -> None:
    text = (CORPUS / "generated" / "torch-cuda-ce-head-two-classes-three-folders.log").read_text()
    report = explain_chunks([text.encode()])
    diagnoses = report.failures[report.primary].diagnoses
    assert diagnoses[0].confidence > vocabulary.MAX_CONFIDENCE
    assert "other" not in [d.cause for d in diagnoses]


def test_build_counts_several_folders_of_cases_as_one(tmp_path):
    # the shipped model counts the corpus and the held-out threads: cases of both folders are rows
    names = {"a": "torch-ce-target-out-of-bounds", "b": "torch-collate-size-mismatch-workers"}
    for folder, name in names.items():
        (tmp_path / folder).mkdir()
        for ext in (".log", ".toml"):
            shutil.copy(CORPUS / "generated" / f"{name}{ext}", tmp_path / folder / f"{name}{ext}")
    out = tmp_path / "vocabulary.json"
    assert vocabulary.main([str(tmp_path / "a"), str(tmp_path / "b"), str(out)]) == 0
    data = json.loads(out.read_text())
    assert data["cases"] == 2 and data["counts"]["M:torch"] == {
        "data.label_out_of_range": 1,
        "data.image_size_mismatch": 1,
    }
    assert data["corpus"] == vocabulary.corpus_digest([tmp_path / "a", tmp_path / "b"])
    assert vocabulary.main([str(out)]) == 2  # no folder to count
