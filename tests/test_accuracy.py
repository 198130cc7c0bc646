"""The golden corpus: every real case is diagnosed with its labelled cause (test id = case name).

Cases the rules still get wrong are listed in corpus/known_misses.txt with the reason; they run
as strict expected failures, so a fix shows up as an unexpected pass to be struck off the list.
"""

from __future__ import annotations

import pytest

from analyzer.evaluate import evaluate, load_cases, run_case

from .conftest import CORPUS, ROOT

CASES = load_cases(CORPUS)
KNOWN_MISSES = {
    line.split("#")[0].strip()
    for line in (ROOT / "corpus" / "known_misses.txt").read_text().splitlines()
    if line.split("#")[0].strip()
}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_top1(case, request):
    if case.name in KNOWN_MISSES:
        request.applymarker(pytest.mark.xfail(strict=True, reason="listed in corpus/known_misses.txt"))
    result = run_case(case)
    assert result.top1_ok, f"{case.name}: expected {sorted(case.accepted)}, ranked {list(result.ranked)}"


def test_corpus_accuracy_targets():
    scores = evaluate(CORPUS).overall().as_dict()
    assert scores["n"] >= 200
    assert scores["top1"] >= 0.95, scores
    assert scores["confident_wrong"] <= 0.02, scores


def test_known_misses_are_real_cases():
    names = {c.name for c in CASES}
    assert names >= KNOWN_MISSES, sorted(KNOWN_MISSES - names)
