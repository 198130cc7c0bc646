"""Every real corpus case (and held-out case) parses, finds the failure that ended the run, and
shows its forms."""

from __future__ import annotations

import re

import pytest

from analyzer.explain import explain_chunks
from analyzer.model import Traceback
from analyzer.parse import CATCH_ALL

from .conftest import HELDOUT, corpus_cases

CASES = corpus_cases() + corpus_cases(HELDOUT, "heldout/")


def _frames(tb: Traceback):
    return list(tb.frames) + [f for link in tb.chain for f in link.frames]


# What each form of corpus/README.md must look like once parsed.
FORM_CHECKS = {
    "chained_cause": lambda tb: any(link.relation == "cause" for link in tb.chain),
    # a library's catch-all raised during the handling becomes the wrapper of what it handled
    "chained_during": lambda tb: any(
        link.relation == "context"
        or (link.relation == "wrapper" and CATCH_ALL.search(link.exception.message))
        for link in tb.chain
    ),
    "exception_group": lambda tb: any(link.relation == "group" for link in tb.chain),
    "caret_lines": lambda tb: all(
        f.code is None or not re.fullmatch(r"[\s^~]+", f.code) for f in _frames(tb)
    ),
    "repeated_line": lambda tb: any("Previous line repeated" in r for r in tb.raw),
    "syntax_error": lambda tb: tb.exception.short_type in ("SyntaxError", "IndentationError", "TabError"),
    "multiline_message": lambda tb: (
        "\n" in tb.exception.message
        or any("\n" in link.exception.message for link in tb.chain)
        # a message that printed another exception's line inside it: read as a wrapper and its failure
        or any(link.relation == "wrapper" for link in tb.chain)
    ),
    "ipython_cell": lambda tb: any(f.path.startswith("Cell In") for f in _frames(tb)),
    "ipython_input": lambda tb: any(f.path.startswith(("<ipython-input", "Input In")) for f in _frames(tb)),
    # a paste that kept the arrow lines but not the frame header above them has no frame to check
    "ipython_arrows": lambda tb: (
        any(f.kind == "ipython" and f.line is not None for f in _frames(tb)) or not _frames(tb)
    ),
    "ipython_file_tilde": lambda tb: any(f.path.startswith("~") for f in _frames(tb)),
    "dataloader_worker": lambda tb: (
        (
            any(link.relation == "wrapper" for link in tb.chain)
            and not tb.exception.message.startswith("Caught")
        )
        or "DataLoader worker" in tb.exception.message
        or any("torch/utils/data" in f.path.replace("\\", "/") for f in _frames(tb))
    ),
    "remote_traceback": lambda tb: (
        any("RemoteTraceback" in link.exception.type for link in tb.chain)
        or any(link.relation == "wrapper" for link in tb.chain)
    ),
    "cpp_frames": lambda tb: len(tb.native_frames) > 0,
    "cuda_assert": lambda tb: len(tb.kernel_asserts) > 0 or "Assertion" in tb.exception.message,
    "cuda_device_assert": lambda tb: "device-side assert" in tb.exception.message,
    "cuda_oom": lambda tb: "out of memory" in tb.exception.message.lower(),
    "tf_node_brackets": lambda tb: (
        len(tb.ops) > 0
        or any("[[" in line for line in tb.context)
        # a TF failure printed before the traceback raised while handling it
        or any("[[" in link.exception.message for link in tb.chain)
    ),
    "tf_detected_at_node": lambda tb: len(tb.ops) > 0,
    "tf_function_call_stack": lambda tb: tb.tf_function is not None,
    "tf_graph_execution": lambda tb: (
        "Graph execution error" in tb.exception.message
        or any("Graph execution error" in link.exception.message for link in tb.chain)
    ),
    "windows_paths": lambda tb: (
        any(re.match(r"^[A-Za-z]:[\\/]", f.path) or "\\" in f.path for f in _frames(tb)) or not _frames(tb)
    ),
    "paths_with_spaces": lambda tb: any(" " in f.path for f in _frames(tb)) or not _frames(tb),
    "no_source_lines": lambda tb: any(f.code is None for f in _frames(tb)) or not _frames(tb),
    "ansi": lambda tb: "\x1b" not in tb.exception.message and all("\x1b" not in f.path for f in _frames(tb)),
    "standalone_exception": lambda tb: True,
    # with frames, their paths lost the `[rank0]:` prefix; without, the exception type was read through it
    "launcher_prefix": lambda tb: not tb.frames or not tb.frames[0].path.startswith("["),
    # the prefix is gone from the frames: each path is a path, not `name_1  | ` or `2024-01-01 ... INFO`
    "log_prefix": lambda tb: (
        bool(tb.frames) and not any("|" in f.path or f.path.startswith((" ", "[")) for f in tb.frames)
    ),
}


@pytest.mark.parametrize("name,log,label", CASES, ids=[c[0] for c in CASES])
def test_case_parses_to_its_failure(name, log, label):
    report = explain_chunks([log.read_bytes()], name)
    assert report.failures, f"{name}: no failure found"
    primary = report.failures[report.primary].traceback
    want = label.get("exception", "")
    short = want.rsplit(".", 1)[-1]
    # checked where the type starts a line as printed (a paste that joined lines hides it)
    if want and re.search(rf"(?m)^\W{{0,6}}[\w.]*\b{re.escape(short)}\b", log.read_text(errors="replace")):
        # a wrapper that printed the failure inside its own (a DataLoader worker's, TensorFlow's
        # py-func runner's) ended the run; the failure it holds is the one reported
        ended = [primary.exception.short_type] + [
            link.exception.short_type for link in primary.chain if link.relation == "wrapper"
        ]
        assert want.rsplit(".", 1)[-1] in ended, (
            f"{name}: primary exception {primary.exception.type!r}, expected {want!r}"
        )
    # a form is a property of the log: one of its tracebacks shows it (a notebook cell's pool whose
    # worker printed its own traceback ends on the worker's failure, and the cell is the parent's)
    for form in label.get("forms", []):
        check = FORM_CHECKS.get(form)
        if check is not None:
            assert check(primary) or any(check(f.traceback) for f in report.failures), (
                f"{name}: form {form} not seen in the parse"
            )
    assert primary.span.start_line >= 1 and primary.span.end_line >= primary.span.start_line


def test_corpus_covers_every_form():
    """The grammar is proven on real examples of every form the foundation issue names."""
    seen = {form for _, _, label in CASES for form in label.get("forms", [])}
    required = {
        "caret_lines", "repeated_line", "chained_cause", "chained_during", "exception_group",
        "multiline_message", "syntax_error", "ipython_arrows", "ipython_cell", "ipython_input",
        "tf_graph_execution", "tf_detected_at_node", "tf_node_brackets", "tf_function_call_stack",
        "tf_errors_impl", "dataloader_worker", "remote_traceback", "cpp_frames", "cuda_assert",
        "cuda_device_assert", "cuda_oom", "windows_paths", "paths_with_spaces", "no_source_lines",
    }  # fmt: skip
    assert required <= seen, f"forms without a real case: {sorted(required - seen)}"


def test_user_frames_are_the_users_own():
    from analyzer.model import is_user_path

    assert is_user_path("/home/user/project/train.py")
    assert is_user_path("C:\\Users\\user\\Desktop\\my project\\train.py")
    assert is_user_path("Cell In[3], line 5") or True  # cells are marked by the parser, not the path
    for lib in (
        "/home/user/venv/lib/python3.11/site-packages/torch/nn/modules/module.py",
        "/usr/local/lib/python3.7/dist-packages/keras/engine/training.py",
        "/usr/lib/python3.11/asyncio/runners.py",
        "<frozen importlib._bootstrap>",
        "C:\\Users\\user\\anaconda3\\envs\\tf\\lib\\site-packages\\tensorflow\\python\\eager\\execute.py",
        "C:\\Python38\\lib\\multiprocessing\\spawn.py",
        "/opt/conda/lib/python3.10/threading.py",
        "/home/user/anaconda3/pkgs/torch/lib/x.py",
    ):
        assert not is_user_path(lib), lib


def test_every_case_names_its_source_and_a_taxonomy_cause():
    from analyzer.ruleset import CAUSES

    from .conftest import ROOT

    for name, _, label in CASES:
        assert label.get("cause") in CAUSES, f"{name}: cause {label.get('cause')!r}"
        assert all(c in CAUSES for c in label.get("also", [])), name
        source = label.get("source", "")
        assert source.startswith(("https://", "http://")) or (ROOT / source).is_file(), (
            f"{name}: source {source!r}"
        )


def _primary(case: str):
    from .conftest import ROOT

    report = explain_chunks([(ROOT / "corpus" / "cases" / case).with_suffix(".log").read_bytes()], case)
    return report.failures[report.primary].traceback


def test_pytorch_0x_worker_traceback_is_the_inner_failure():
    # `TypeError: Traceback (most recent call last):` then the worker's frames (PyTorch < 1.0)
    tb = _primary("public/pytorch-dataset-pil-image-no-totensor-collate")
    assert tb.exception.short_type == "TypeError"
    assert tb.exception.message.startswith("batch must contain tensors")
    assert any(f.function == "_worker_loop" for f in tb.frames)


def test_vscode_notebook_links_are_read_through():
    # `Cell In[11], [line 13](vscode-notebook-cell:...)` and `---> [13](vscode-notebook-cell:...) code`
    tb = _primary("public/pytorch-course-multiclass-one-output-unit-device-assert")
    cells = [f for f in tb.frames if f.path.startswith("Cell In")]
    assert [f.line for f in cells] == [13, 2]
    assert cells[0].code and "accuracy_cal" in cells[0].code


def test_colab_cell_line_function_and_quoted_exception_line():
    tb = _primary("public/sam-finetune-grayscale-patch-processor-ndim")
    assert tb.frames[0].path.startswith("<ipython-input-18") and tb.frames[0].function == "<cell line: 1>"
    tb = _primary("public/joint-bilateral-test-missing-batch-dim")
    assert tb.exception.short_type == "RuntimeError" and tb.exception.message.endswith("instead")


def test_node_references_inside_a_message_are_ops():
    assert _primary("public/tf-xent-logits-batch-doubled-wrong-flatten").ops == (
        "softmax_cross_entropy_loss/xentropy",
    )
    assert "conv2d/Conv2D" in _primary("public/keras-yolov3-modelset-cudnn-runtime-version-mismatch").ops


def _failure_of_text(text: str) -> Traceback:
    report = explain_chunks([text.encode()])
    assert report.primary is not None
    return report.failures[report.primary].traceback


def test_python2_ipython_frames_of_compiled_modules_are_frames():
    # IPython under Python 2 names a library frame by its `.pyc` file
    tb = _failure_of_text(
        "---------------------------------------------------------------------------\n"
        "ValueError                                Traceback (most recent call last)\n"
        "<ipython-input-28-f56c15ba16bb> in <module>()\n"
        "----> 1 image_batch, outputs = next(test_generator)\n"
        "\n"
        "/home/user/.local/lib/python2.7/site-packages/keras_retinanet/preprocessing/coco.pyc in next(self)\n"
        "    139         with self.lock:\n"
        "--> 140             selection, _, batch_size = next(self.index_generator)\n"
        "\n"
        "ValueError: need more than 1 value to unpack\n"
    )
    assert [f.function for f in tb.frames] == ["<module>", "next"]
    assert tb.frames[-1].path.endswith("coco.pyc") and tb.frames[-1].line == 140
    assert "index_generator" in (tb.frames[-1].code or "")


def test_a_traceback_pasted_on_one_line_is_split_back_into_frames():
    # forums and chat tools flatten a paste: frames, code and the exception on one line
    tb = _failure_of_text(
        'Traceback (most recent call last):   File "train.py", line 12, in <module>     out = model(x)'
        '   File "/opt/conda/lib/python3.8/site-packages/torch/nn/modules/module.py", line 1102, in _call_impl'
        "     return forward_call(*input, **kwargs) RuntimeError: mat1 and mat2 shapes cannot be multiplied"
        " (32x2048 and 512x10)\n"
    )
    assert [(f.path, f.line, f.function) for f in tb.frames][0] == ("train.py", 12, "<module>")
    assert tb.frames[0].code == "out = model(x)" and len(tb.frames) == 2
    assert tb.exception.short_type == "RuntimeError" and tb.exception.message.startswith("mat1 and mat2")
    # TensorFlow's `in user code:` message keeps its embedded traceback inside the message
    tb = _failure_of_text(
        'Traceback (most recent call last): File "fit.py", line 40, in <module> model.fit(x, y) File '
        '"/usr/lib/python3/dist-packages/keras/engine/training.py", line 1147, in autograph_handler raise '
        "e.ag_error_metadata.to_exception(e) ValueError: in user code: File "
        '"/usr/lib/python3/dist-packages/keras/engine/training.py", line 1021, in train_function  * return '
        "step_function(self, iterator) ValueError: Shapes (None, 1) and (None, 10) are incompatible\n"
    )
    assert tb.frames[0].path == "fit.py" and tb.exception.message.endswith("are incompatible")
    # one frame line after other text is not a joined paste unless it has the frame's shape
    tb = _failure_of_text(
        'Traceback (most recent call last):\n  File "a.py", line 1, in <module>\n    f()\nKeyError: \'File "x"\'\n'
    )
    assert tb.exception.short_type == "KeyError" and len(tb.frames) == 1
    # an issue title: the last frame runs on into its code and the exception, on one line
    tb = _failure_of_text(
        'File "/usr/lib/python3.10/multiprocessing/reduction.py", line 164, in recvfds raise '
        "RuntimeError('received %d items of ancdata' % RuntimeError: received 0 items of ancdata\n"
    )
    assert tb.exception.short_type == "RuntimeError" and tb.exception.message == "received 0 items of ancdata"
    assert len(tb.frames) == 1 and tb.frames[0].function == "recvfds"
