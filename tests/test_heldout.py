"""The held-out rounds (heldout/): real failures kept apart from the corpus, each batch scored by the
tool as it stood before any rule was written for it (README). Their labels are checked like the
corpus's, and the scores guard against regressions (the rules written since make them in-sample,
so these bounds sit below what the tool does on them today)."""

from __future__ import annotations

import tomllib

from analyzer.evaluate import evaluate, load_cases
from analyzer.ruleset import CAUSES

from .conftest import CORPUS, HELDOUT

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


# held-out cases that share their thread with a corpus case, collected before this check existed
# (each batch's figures in heldout/README.md were measured with them)
SHARED_WITH_CORPUS = {
    "b133/b133-keras-core-custom-train-step-tf210-base-dtype",
    "b147/deeplpf_repo_png_rgba_alpha_channel",
    "b199/deeplpf_rgba_4_channels",
    "b199/drn_cityscapes_labelids_device_assert",
    "b205/growsp_onecycle_total_steps_custom_dataset",
    "b205/unet_keras_rgb_mask_target_binary_crossentropy",
    "b207/isic2018_multitask_bce_target_4x5_vs_input_20",
}


def _thread(url: str) -> str:
    return url.split("#", 1)[0].split("?", 1)[0].rstrip("/")


def test_no_held_out_case_comes_from_a_thread_in_the_corpus():
    """A held-out batch measures the rules on threads they were not written from."""
    corpus = {_thread(tomllib.loads(p.read_text(encoding="utf-8"))["source"]) for p in CORPUS.rglob("*.toml")}
    shared = set()
    for path in HELDOUT.rglob("*.toml"):
        if _thread(tomllib.loads(path.read_text(encoding="utf-8"))["source"]) in corpus:
            shared.add(path.relative_to(HELDOUT).with_suffix("").as_posix())
    assert shared == SHARED_WITH_CORPUS


def test_held_out_scores_do_not_regress():
    result = evaluate(HELDOUT)
    overall = result.overall().as_dict()
    assert overall["n"] == len(load_cases(HELDOUT))
    assert overall["top1"] >= 0.6 and overall["top3"] >= 0.8, overall
    assert overall["confident_wrong"] <= 0.03, overall
