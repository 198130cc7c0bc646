"""Pastes the parser reshapes: a message pasted alone, the line that raised and its exception run
together on one line (issue titles, chat pastes), a traceback escaped into another's message."""

from __future__ import annotations

from analyzer.explain import explain_text, failure_of
from analyzer.match import log_text_of


def test_code_and_exception_on_one_line_are_split():
    text = "original_keras_version = f.attrs['keras_version'].decode('utf8') AttributeError: 'str' object has no attribute 'decode'\n"
    tb = failure_of(text.encode())
    assert tb is not None
    assert (tb.exception.type, tb.exception.message) == (
        "AttributeError",
        "'str' object has no attribute 'decode'",
    )
    assert "code: original_keras_version = f.attrs['keras_version'].decode('utf8')" in log_text_of(tb)
    report = explain_text(text)
    assert len(report.failures) == 1 and report.failures[0].diagnoses  # at least guesses


def test_a_qualified_exception_inside_a_line_keeps_its_name_and_the_lines_after_it():
    text = "loss = model(x) torch.cuda.OutOfMemoryError: CUDA out of memory.\nTried to allocate 2.00 GiB\n"
    tb = failure_of(text.encode())
    assert tb.exception.type == "torch.cuda.OutOfMemoryError"
    assert tb.exception.message == "CUDA out of memory.\nTried to allocate 2.00 GiB"


def test_log_lines_without_an_exception_are_no_failure():
    report = explain_text("epoch 1/3 loss 0.5 (no Error here)\nsaving model: done\n")
    assert report.failures == ()


def test_a_worker_traceback_escaped_into_the_message_is_the_failure():
    # PyTorch before 1.0 re-raised a worker's failure with its traceback, newlines escaped, as the message
    text = (
        "Traceback (most recent call last):\n"
        '  File "train.py", line 9, in <module>\n'
        "    for images, targets in loader:\n"
        "KeyError: 'Traceback (most recent call last):\\n"
        '  File "/usr/lib/python3.6/site-packages/torch/utils/data/dataloader.py", line 138, in _worker_loop\\n'
        "    samples = collate_fn([dataset[i] for i in batch_indices])\\n"
        '  File "/home/user/ssd/data/voc0712.py", line 83, in __call__\\n'
        "    label_idx = self.class_to_ind[name]\\n"
        "KeyError: \\'feng\\'\\n'\n"
    )
    tb = failure_of(text.encode())
    assert (tb.exception.type, tb.exception.message) == ("KeyError", "'feng'")
    assert (
        tb.frames[-1].path.endswith("voc0712.py")
        and tb.frames[-1].code == "label_idx = self.class_to_ind[name]"
    )
    assert tb.framework == "pytorch"
