"""The probe's GPU paths that need no GPU to test: the memory verdict and the CPU search after a CUDA error.

The same paths ran on a real GPU through bench/gpu_check.sh (README, "The probe on a GPU").
"""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.explain import explain_text
from analyzer.probe import replay as replay_mod
from analyzer.probe.layouts import Dataset
from analyzer.probe.replay import GpuMemory, ReplayError, ReplayResult, cuda_error, run_replay
from analyzer.probe.verdict import Verdict, judge

OLD_OOM = (
    "RuntimeError: CUDA out of memory. Tried to allocate 20.00 MiB (GPU 0; 11.17 GiB total capacity; "
    "10.67 GiB already allocated; 2.81 MiB free; 185.39 MiB cached)\n"
)
NEW_OOM = (
    "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 196.00 MiB. GPU 0 has a total capacity "
    "of 7.79 GiB of which 12.00 MiB is free. Of the allocated memory 7.10 GiB is allocated by PyTorch\n"
)
DATA = Dataset(root=Path("data"), layout="imageai-yolo", classes=("car",), samples=())


def _measured(predicted: float, free: float = 140_000.0) -> ReplayResult:
    mem = GpuMemory(
        64, batch1_mib=100.0, batch2_mib=110.0, predicted_mib=predicted, free_mib=free, total_mib=free
    )
    return ReplayResult("cuda", "ok", gpu_memory=mem)


def _tb(text: str):
    return explain_text(text).failures[0].traceback


@pytest.mark.parametrize("log", [OLD_OOM, NEW_OOM])
def test_the_card_in_the_log_is_the_budget_not_the_probes_gpu(log: str) -> None:
    """12 GiB fits the probe's 140 GB card but not the user's 11.17 or 7.79 GiB one: confirmed."""
    judged = judge("resource.gpu_oom", DATA, [], _measured(12 * 1024.0), _tb(log))
    assert judged.verdict is Verdict.CONFIRMED
    assert "on the GPU in the log" in judged.evidence[0]


def test_a_batch_that_fits_the_logs_card_leaves_an_oom_open() -> None:
    judged = judge("resource.gpu_oom", DATA, [], _measured(1006.0), _tb(OLD_OOM))
    assert judged.verdict is Verdict.INCONCLUSIVE
    assert "1006 MiB" in judged.evidence[0] and "fit" in judged.evidence[1]


def test_the_probes_free_memory_counts_when_it_is_smaller() -> None:
    judged = judge("resource.gpu_oom", DATA, [], _measured(3000.0, free=2000.0), _tb(OLD_OOM))
    assert judged.verdict is Verdict.CONFIRMED and "free here" in judged.evidence[0]


def test_why_nothing_was_measured_is_said() -> None:
    mem = GpuMemory(64, reason="fewer than 2 training images to measure")
    judged = judge("resource.gpu_oom", DATA, [], ReplayResult("cuda", "ok", gpu_memory=mem), _tb(NEW_OOM))
    assert judged.verdict is Verdict.INCONCLUSIVE
    assert judged.evidence[0] == "fewer than 2 training images to measure"
    assert "196.00 MiB with 12.00 MiB free of 7.79 GiB" in judged.evidence[1]


@pytest.mark.parametrize(
    ("kind", "message", "expected"),
    [
        ("AcceleratorError", "CUDA error: device-side assert triggered", True),
        ("RuntimeError", "CUDA error: device-side assert triggered\nCUDA kernel errors might be ...", True),
        ("RuntimeError", "CUDA error: CUBLAS_STATUS_EXECUTION_FAILED when calling `cublasSgemm(...)`", True),
        ("OutOfMemoryError", "CUDA out of memory. Tried to allocate 2.00 GiB", False),
        ("IndexError", "index 5 is out of bounds for dimension 1 with size 2", False),
    ],
)
def test_which_errors_stop_cuda(kind: str, message: str, expected: bool) -> None:
    assert cuda_error(kind, message) is expected


def test_files_are_searched_on_the_cpu_after_a_cuda_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """The GPU child cannot bisect after a device-side assert; a second child on the CPU does."""
    calls = []

    def child(ds, sample, *, device, **kwargs):
        calls.append(device)
        if device == "cuda":
            err = ReplayError(
                "AcceleratorError", "CUDA error: device-side assert triggered\n", "Traceback ..."
            )
            return ReplayResult("cuda", "failed", error=err, seconds=3.0)
        err = ReplayError(
            "IndexError", "index 5 is out of bounds for dimension 1 with size 2", "Traceback ..."
        )
        return ReplayResult(
            "cpu", "failed", error=err, culprits=("train/annotations/img_3.txt",), seconds=4.0
        )

    monkeypatch.setattr(replay_mod, "_run_child", child)
    result = run_replay(DATA, [], device="cuda", timeout=120)
    assert calls == ["cuda", "cpu"]
    assert (result.device, result.error.type, result.culprits) == (
        "cuda", "AcceleratorError", ("train/annotations/img_3.txt",)
    )  # fmt: skip
    assert "searched on the CPU, where it failed with IndexError: index 5 is out of bounds" in result.reason
    assert result.seconds == 7.0


def test_other_gpu_failures_are_not_replayed_again(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def child(ds, sample, *, device, **kwargs):
        calls.append(device)
        err = ReplayError("AssertionError", "bounding box values should be positive", "Traceback ...")
        return ReplayResult(
            "cuda", "failed", error=err, culprits=("train/annotations/img_3.txt",), seconds=3.0
        )

    monkeypatch.setattr(replay_mod, "_run_child", child)
    assert run_replay(DATA, [], device="cuda", timeout=120).culprits == ("train/annotations/img_3.txt",)
    assert calls == ["cuda"]
