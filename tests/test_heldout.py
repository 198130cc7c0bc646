"""The held-out rounds (heldout/): real failures kept apart from the corpus, each batch scored by the
tool as it stood before any rule was written for it (README). Their labels are checked like the
corpus's, and the scores guard against regressions (the rules written since make them in-sample,
so these bounds sit below what the tool does on them today)."""

from __future__ import annotations

import tomllib

from analyzer.evaluate import evaluate, load_cases
from analyzer.ruleset import CAUSES

from .conftest import HELDOUT

FRAMEWORKS = {"pytorch", "tensorflow", "keras", "imageai", "python"}


def test_every_held_out_case_has_a_valid_label_and_a_source():
    labels = sorted(HELDOUT.rglob("*.toml"))
    assert len(labels) >= 100
    for path in labels:
        label = tomllib.loads(path.read_text(encoding="utf-8"))
        assert path.with_suffix(".log").exists(), path
        assert label["cause"] in CAUSES, path
        assert set(label.get("also", [])) <= set(CAUSES), path
        assert label["framework"] in FRAMEWORKS, path
        assert label["source"].startswith(("https://", "http://", "generated:")), path


def test_held_out_scores_do_not_regress():
    result = evaluate(HELDOUT)
    overall = result.overall().as_dict()
    assert overall["n"] == len(load_cases(HELDOUT))
    assert overall["top1"] >= 0.6 and overall["top3"] >= 0.8, overall
    assert overall["confident_wrong"] <= 0.03, overall
