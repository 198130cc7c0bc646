"""`--format sarif`: every corpus case is valid SARIF 2.1.0 (the official schema), with rules, levels and places."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest
from jsonschema import Draft7Validator

from analyzer.explain import explain_chunks
from analyzer.model import Report, Verdict, replace
from analyzer.render.sarif_format import render, sarif_dict
from analyzer.ruleset import shipped_rules

from .conftest import CORPUS

LOGS = sorted(CORPUS.rglob("*.log"))
SARIF_SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())
VALIDATOR = Draft7Validator(SARIF_SCHEMA)
# RFC 3986 characters: jsonschema checks `format: uri-reference` only with an optional package
URI_REFERENCE = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")


@cache
def report(name: str) -> Report:
    log = CORPUS / f"{name}.log"
    return explain_chunks([log.read_bytes()], str(log))


def sarif(rep: Report) -> dict:
    return json.loads(render(rep, shipped_rules()))


def uris(log: dict) -> list[str]:
    found = []
    for result in log["runs"][0]["results"]:
        for loc in result.get("locations", []) + result.get("relatedLocations", []):
            found.append(loc["physicalLocation"]["artifactLocation"]["uri"])
    return found


@pytest.mark.parametrize("log", LOGS, ids=lambda p: str(p.relative_to(CORPUS).with_suffix("")))
def test_corpus_case_is_valid_sarif(log: Path):
    rep = report(str(log.relative_to(CORPUS).with_suffix("")))
    out = sarif(rep)
    errors = list(VALIDATOR.iter_errors(out))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])
    results = out["runs"][0]["results"]
    assert len(results) == sum(max(len(e.diagnoses), 1) for e in rep.failures)
    assert all(URI_REFERENCE.fullmatch(u) for u in uris(out)), uris(out)
    rule_ids = [r["id"] for r in out["runs"][0]["tool"]["driver"]["rules"]]
    assert set(rule_ids) == {r["ruleId"] for r in results}


CASE = "generated/torch-ce-target-out-of-bounds"


def test_real_case_rule_level_and_places():
    rep = report(CASE)
    out = sarif(rep)
    [result] = out["runs"][0]["results"]
    diagnosis = rep.failures[rep.primary].diagnoses[0]
    assert result["ruleId"] == diagnosis.rule == "torch.target-out-of-bounds"
    assert result["level"] == "error"
    assert result["message"]["text"] == f"data.label_out_of_range: {diagnosis.title}"
    [where] = result["locations"]
    assert where["physicalLocation"] == {
        "artifactLocation": {"uri": "file:///home/user/project/train.py"},
        "region": {"startLine": 31},
    }
    [raised] = result["relatedLocations"]
    assert raised["physicalLocation"]["artifactLocation"]["uri"] == (
        "file:///home/user/venv/lib/python3.11/site-packages/torch/nn/functional.py"
    )
    assert raised["physicalLocation"]["region"] == {"startLine": 3561}
    assert raised["message"]["text"] == "raised in cross_entropy"
    props = result["properties"]
    assert props["cause"] == "data.label_out_of_range" and props["verdict"] == "untested"
    assert props["confidence"] == 0.9 and props["evidence"] == list(diagnosis.evidence)
    assert props["fixes"] == list(diagnosis.fixes)
    [rule] = out["runs"][0]["tool"]["driver"]["rules"]
    shipped = next(r for r in shipped_rules() if r.id == rule["id"])
    assert rule["shortDescription"]["text"] == shipped.title
    assert rule["fullDescription"]["text"] == shipped.why
    assert rule["help"]["text"] == "\n".join(shipped.fixes)
    assert rule["properties"] == {"cause": "data.label_out_of_range"}
    assert out["runs"][0]["tool"]["driver"]["name"] == "explain-error"


def test_only_the_first_diagnosis_of_the_primary_failure_is_an_error():
    out = sarif(report("generated/tf-channels-rgba-mixed-batch-k3"))  # two hypotheses at 0.9 and 0.85
    assert [r["level"] for r in out["runs"][0]["results"]] == ["error", "warning"]


def test_failure_no_rule_knows_is_undiagnosed_warning():
    # every corpus failure gets at least a guess; one with none (no words model shipped) is undiagnosed
    rep = report(CASE)
    failures = tuple(replace(f, diagnoses=()) for f in rep.failures)
    out = sarif(replace(rep, failures=failures))
    undiagnosed = [r for r in out["runs"][0]["results"] if r["ruleId"] == "undiagnosed"]
    assert undiagnosed and all(r["level"] == "warning" for r in undiagnosed)
    assert "undiagnosed" in [r["id"] for r in out["runs"][0]["tool"]["driver"]["rules"]]


def test_levels_follow_verdict_rank_and_confidence():
    rep = report(CASE)
    primary = rep.failures[rep.primary]
    first = primary.diagnoses[0]

    def level_of(diagnosis, primary_index=rep.primary):
        failures = list(rep.failures)
        failures[rep.primary] = replace(primary, diagnoses=(diagnosis,))
        doc = sarif_dict(replace(rep, failures=tuple(failures), primary=primary_index), shipped_rules())
        return doc["runs"][0]["results"][rep.primary]["level"]

    assert level_of(first) == "error"
    assert level_of(replace(first, confidence=0.5)) == "warning"
    assert level_of(replace(first, confidence=0.5, verdict=Verdict.CONFIRMED)) == "error"
    assert level_of(replace(first, verdict=Verdict.REFUTED)) == "note"
    assert level_of(first, primary_index=None) == "warning"


def test_output_is_stable():
    rep = report(CASE)
    assert render(rep, shipped_rules()) == render(rep, tuple(reversed(shipped_rules())))


@pytest.mark.parametrize(
    "path, uri",
    [
        ("/home/me/my project/train.py", "file:///home/me/my%20project/train.py"),
        ("C:\\Users\\me\\train.py", "file:///C:/Users/me/train.py"),
        ("src\\train.py", "src/train.py"),
        ("./infer.py", "./infer.py"),
        ("Cell In[3]", "Cell%20In%5B3%5D"),
        ("<stdin>", "%3Cstdin%3E"),
    ],
)
def test_paths_become_uri_references(path, uri):
    from analyzer.render.sarif_format import _uri

    assert _uri(path) == uri
