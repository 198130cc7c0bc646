"""The shipped JSON Schemas: valid draft 2020-12, in step with the code, and every real output fits."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from analyzer.errors import InputError
from analyzer.explain import explain_chunks
from analyzer.model import FRAMEWORKS, Finding, Verdict
from analyzer.probe.layouts import Dataset, Sample
from analyzer.probe.replay import Divergence, GpuMemory, ReplayError, ReplayResult
from analyzer.probe.session import ProbeOutcome
from analyzer.render.json_format import probe_dict, report_dict
from analyzer.render.schema import schema_path, schema_text
from analyzer.ruleset import CAUSES

from .conftest import CORPUS

LOGS = sorted(CORPUS.rglob("*.log"))


@cache
def schema(kind: str) -> dict:
    return json.loads(schema_text(kind))


@cache
def validator(kind: str) -> Draft202012Validator:
    return Draft202012Validator(schema(kind))


def assert_valid(kind: str, instance: dict) -> None:
    errors = sorted(validator(kind).iter_errors(instance), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])


@pytest.mark.parametrize("kind", ["trace", "probe"])
def test_schema_is_valid_draft_2020_12(kind):
    Draft202012Validator.check_schema(schema(kind))
    assert schema(kind)["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema_path(kind).name == f"{kind}.schema.json"


def test_trace_schema_embeds_the_probe_schema_unchanged():
    assert schema("trace")["$defs"]["probe"] == schema("probe")


def test_enums_follow_the_code():
    probe_defs = schema("probe")["$defs"]
    assert probe_defs["cause"]["enum"] == list(CAUSES)
    assert probe_defs["verdict"]["enum"] == [v.value for v in Verdict]
    assert schema("trace")["$defs"]["framework"]["enum"] == list(FRAMEWORKS)


def test_unknown_kind_is_a_usage_error():
    with pytest.raises(InputError):
        schema_text("sarif")


@pytest.mark.parametrize("log", LOGS, ids=lambda p: str(p.relative_to(CORPUS).with_suffix("")))
def test_corpus_case_fits_trace_schema(log: Path):
    data = report_dict(explain_chunks([log.read_bytes()], str(log)))
    assert_valid("trace", data)
    assert data["primary"] is None or data["primary"] < len(data["tracebacks"])


@pytest.mark.parametrize(
    "text", [b"", b"epoch 1/3 loss 0.5\nepoch 2/3 loss 0.4\ndone\n"], ids=["empty", "no-failure"]
)
def test_input_without_failure_fits(text):
    data = report_dict(explain_chunks([text]))
    assert_valid("trace", data)
    assert data["tracebacks"] == [] and data["primary"] is None


def outcome(replay: object | None) -> ProbeOutcome:
    dataset = Dataset(
        Path("/data/pets"),
        "imageai-yolo",
        ("cat", "dog"),
        (Sample("train/images/a.jpg", "train/annotations/a.txt", "train"),),
        {"train": 1, "validation": 0},
        "--classes",
    )
    finding = Finding("data.bbox_invalid", "box_range", "error", "train/annotations/a.txt", 2, "x2 < x1")
    hypotheses = (("data.bbox_invalid", Verdict.CONFIRMED, ("train/annotations/a.txt:2: x2 < x1",)),)
    return ProbeOutcome(dataset, "imageai", (finding,), replay, hypotheses)


FAILED_REPLAY = ReplayResult(
    device="cpu",
    status="failed",
    steps=1,
    losses=(2.3,),
    error=ReplayError("RuntimeError", "stack expects each tensor to be equal size", "Traceback ..."),
    culprits=("train/images/a.jpg",),
    divergence=Divergence(0.5, (2.3, 1e30), nan=True, diverged=True, rerun_lr=0.05, rerun_losses=(2.3, 2.1)),
    gpu_memory=GpuMemory(32, batch1_mib=510.0, batch2_mib=900.0, predicted_mib=12600.0, free_mib=8000.0),
)


@pytest.mark.parametrize("replay", [None, FAILED_REPLAY], ids=["no-replay", "failed-replay"])
def test_probe_output_fits_both_schemas(replay):
    probe = probe_dict(outcome(replay))
    assert_valid("probe", probe)
    log = next(iter(LOGS))
    assert_valid("trace", {**report_dict(explain_chunks([log.read_bytes()])), "probe": probe})


@pytest.mark.parametrize(
    "path, value",
    [
        (("schema_version",), "2"),
        (("tracebacks", 0, "framework"), "jax"),
        (("tracebacks", 0, "diagnoses", 0, "cause"), "data.unknown"),
        (("tracebacks", 0, "diagnoses", 0, "verdict"), "maybe"),
        (("tracebacks", 0, "frames", 0, "colour"), "red"),
    ],
)
def test_schema_rejects_what_the_contract_forbids(path, value):
    log = CORPUS / "public" / "pytorch-no-kernel-image-sm86-featdepth.log"
    data = report_dict(explain_chunks([log.read_bytes()]))
    *parents, last = path
    target = data
    for key in parents:
        target = target[key]
    target[last] = value
    assert not validator("trace").is_valid(data)
