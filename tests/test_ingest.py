"""Ingest: encodings, colour, carriage returns, chunk boundaries, line numbers, bounded regions."""

from __future__ import annotations

import codecs

import pytest

from analyzer.explain import failure_of, find_failures
from analyzer.ingest import MAX_REGION_LINES, clean_line, find_regions

TRACE = (
    "Traceback (most recent call last):\n"
    '  File "/home/user/project/train.py", line 12, in <module>\n'
    "    loss = criterion(out, y)\n"
    "RuntimeError: Expected input batch_size (32) to match target batch_size (16).\n"
)


def failures_of(data: bytes, chunk: int | None = None):
    chunks = [data] if chunk is None else [data[i : i + chunk] for i in range(0, len(data), chunk)]
    return find_failures(chunks)[0]


def test_line_numbers_count_from_one():
    data = ("epoch 1 loss 0.3\n" * 250 + TRACE + "Epoch 2/10\n").encode()
    [tb] = failures_of(data)
    assert (tb.span.start_line, tb.span.end_line) == (251, 254)
    assert tb.frames[0].line == 12 and tb.frames[0].code == "loss = criterion(out, y)"


@pytest.mark.parametrize("chunk", [1, 7, 64, 4096])
def test_chunk_boundaries_do_not_change_the_result(chunk):
    data = ("x" * 5000 + "\n" + "step\r" * 300 + "\n" + TRACE).encode() * 3
    whole = failures_of(data)
    assert len(whole) == 3
    assert failures_of(data, chunk) == whole


@pytest.mark.parametrize(
    "encoding,bom",
    [
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("utf-32-le", codecs.BOM_UTF32_LE),
        ("utf-32-be", codecs.BOM_UTF32_BE),
        ("utf-8", codecs.BOM_UTF8),
    ],
)
def test_encodings_with_bom(encoding, bom):
    data = bom + ("Ünïcode log ✓\n" + TRACE).encode(encoding)
    [tb] = failures_of(data, 5)
    assert tb.exception.short_type == "RuntimeError"
    assert "batch_size (32)" in tb.exception.message
    assert tb.span.start_line == 2


def test_utf16_without_bom_powershell_redirect():
    [tb] = failures_of(("log\n" + TRACE).encode("utf-16-le"))
    assert tb.exception.short_type == "RuntimeError"


def test_invalid_utf8_is_replaced_not_fatal():
    data = b"\xfa\xfb garbage \xc3\x28\n" + TRACE.encode().replace(b"target", b"tar\xffget")
    [tb] = failures_of(data)
    assert "tar\ufffdget" in tb.exception.message


def test_ansi_colour_is_stripped():
    coloured = (
        "\x1b[0;31m---------------------------------------------------------------------------\x1b[0m\n"
        "\x1b[0;31mValueError\x1b[0m                                Traceback (most recent call last)\n"
        "Cell \x1b[0;32mIn[3], line 2\x1b[0m\n"
        "\x1b[1;32m      1\x1b[0m x \x1b[38;5;241m=\x1b[39m \x1b[38;5;241m1\x1b[39m\n"
        '\x1b[0;32m----> 2\x1b[0m \x1b[38;5;28;01mraise\x1b[39;00m \x1b[38;5;167;01mValueError\x1b[39;00m(\x1b[38;5;124m"bad\x1b[39m")\n'
        "\n"
        "\x1b[0;31mValueError\x1b[0m: bad\n"
    )
    [tb] = failures_of(coloured.encode())
    assert tb.exception.type == "ValueError" and tb.exception.message == "bad"
    assert tb.frames[0].path == "Cell In[3]" and tb.frames[0].line == 2
    assert tb.frames[0].code == 'raise ValueError("bad")'


def test_carriage_return_progress_bars_and_crlf():
    bar = "".join(f"\r{p:3d}%|{'#' * (p // 10):10s}| {p}/100" for p in range(0, 101, 5))
    data = (bar + "\n" + TRACE).replace("\n", "\r\n").encode()
    [tb] = failures_of(data)
    assert tb.frames[0].path == "/home/user/project/train.py"
    assert "\r" not in tb.exception.message
    assert clean_line(bar) == "100%|##########| 100/100"


def test_progress_bar_without_newline_before_traceback():
    data = ("\r 10%|#| 1/10" * 1000 + "\r" + TRACE).encode()
    [tb] = failures_of(data, 1000)
    assert tb.exception.short_type == "RuntimeError"


def test_regions_are_bounded():
    data = ("Traceback (most recent call last):\n" + "  indented and hot\n" * (MAX_REGION_LINES * 3)).encode()
    regions = list(find_regions([data]))
    assert all(len(r.lines) <= MAX_REGION_LINES for r in regions)


def test_killed_at_the_end_of_a_log_is_a_failure():
    data = ("epoch 3/10 step 100 loss 0.41\n" * 1000 + "Killed\n").encode()
    [tb] = failures_of(data)
    assert tb.exception.type == "Killed" and tb.span.start_line == 1001


def test_a_crash_just_after_an_exception_is_not_the_failure_that_ended_the_run():
    crash = "\nSegmentation fault (core dumped)\n"
    assert failure_of((TRACE + crash).encode()).exception.short_type == "RuntimeError"
    # long after it, the crash is what ended the run
    later = TRACE + "\n" + "epoch 2 loss 0.3\n" * 20 + crash
    assert failure_of(later.encode()).exception.type == "Segmentation fault"


def test_a_cpp_abort_as_the_process_goes_down_is_not_the_failure_that_ended_the_run():
    abort = (
        "terminate called after throwing an instance of 'c10::Error'\n"
        "  what():  NCCL error in: NCCLUtils.hpp:172, unhandled cuda error, NCCL version 21.0.3\n"
    )
    assert failure_of((TRACE + abort).encode()).exception.short_type == "RuntimeError"
    # on its own, the abort is the failure
    assert failure_of(abort.encode()).exception.type == "c10::Error"


def test_a_spawned_childs_empty_pipe_is_not_the_failure_when_the_parent_failed_to_pickle():
    parent = (
        "Traceback (most recent call last):\n"
        '  File "C:\\proj\\train.py", line 40, in <module>\n'
        "    for batch in loader:\n"
        '  File "C:\\py\\lib\\multiprocessing\\reduction.py", line 60, in dump\n'
        "    ForkingPickler(file, protocol).dump(obj)\n"
        "TypeError: cannot pickle 'Environment' object\n"
    )
    child = (
        "Traceback (most recent call last):\n"
        '  File "<string>", line 1, in <module>\n'
        '  File "C:\\py\\lib\\multiprocessing\\spawn.py", line 126, in _main\n'
        "    self = reduction.pickle.load(from_parent)\n"
        "EOFError: Ran out of input\n"
    )
    assert failure_of((parent + "\n" + child).encode()).exception.short_type == "TypeError"
    # a cut paste that keeps only the tail of the child's frame line
    cut = '\\multiprocessing\\spawn.py", line 126, in _main\n    self = reduction.pickle.load(from_parent)\nEOFError: Ran out of input\n'
    assert failure_of((parent + "\n" + cut).encode()).exception.short_type == "TypeError"
    # on its own, the child's error is the failure
    assert failure_of(child.encode()).exception.short_type == "EOFError"


def test_a_broken_process_pool_is_not_the_failure_when_a_worker_printed_its_own():
    worker = (
        "Exception in initializer:\n"
        "Traceback (most recent call last):\n"
        '  File "/usr/lib/python3.11/concurrent/futures/process.py", line 240, in _process_worker\n'
        "    initializer(*initargs)\n"
        '  File "/home/user/project/serve.py", line 24, in init_worker\n'
        '    model.load_state_dict(torch.load(PATH, map_location="cpu"))\n'
        "RuntimeError: Error(s) in loading state_dict for ResNet:\n"
    )
    pool = (
        "Traceback (most recent call last):\n"
        '  File "/home/user/project/serve.py", line 39, in <module>\n'
        "    for key, label in pool.map(predict, keys):\n"
        "concurrent.futures.process.BrokenProcessPool: A process in the process pool was terminated abruptly"
        " while the future was running or pending.\n"
    )
    assert failure_of((worker + pool).encode()).exception.short_type == "RuntimeError"
    # a pool broken by a worker killed from outside (no worker traceback) is the failure
    assert failure_of(pool.encode()).exception.short_type == "BrokenProcessPool"
    # an earlier failure that is not a pool worker's does not take its place
    other = TRACE + "\n"
    assert failure_of((other + pool).encode()).exception.short_type == "BrokenProcessPool"


def test_a_three_megabyte_line_does_not_break_the_scan():
    data = b"A" * (3 << 20) + b"\n" + TRACE.encode()
    [tb] = failures_of(data, 1 << 20)
    assert tb.exception.short_type == "RuntimeError"


def test_a_warning_raised_as_an_exception_ends_its_traceback():
    raised = (
        "UserWarning: a warning printed before the run failed\n"
        "Traceback (most recent call last):\n"
        '  File "train.py", line 29, in <module>\n'
        "    for x, y in tqdm(loader, nested=True):\n"
        '  File "/venv/lib/python3.11/site-packages/tqdm/std.py", line 1006, in __init__\n'
        "    raise (\n"
        "tqdm.std.TqdmDeprecationWarning: `nested` is deprecated and automated.\n"
    )
    tb = failure_of(raised.encode())
    assert (tb.exception.short_type, tb.exception.message) == (
        "TqdmDeprecationWarning",
        "`nested` is deprecated and automated.",
    )
    # a warning line alone, outside a traceback, is not a failure
    assert failures_of(b"epoch 1 loss 0.4\nUserWarning: something changed\nepoch 2 loss 0.3\n") == []


def test_a_camelcase_status_line_under_an_error_is_not_a_second_exception():
    # NCCL prints its status (`ncclSystemError: ...`) under PyTorch's RuntimeError; Python's own
    # classes are CamelCase, and OpenCV's all-lowercase `error:` stays an exception
    nccl = (
        "RuntimeError: NCCL error in: ProcessGroupNCCL.cpp:825, unhandled system error, NCCL version 2.7.8\n"
        "\n"
        "ncclSystemError: System call (socket, malloc, munmap, etc) failed.\n"
    )
    assert failure_of(nccl.encode()).exception.short_type == "RuntimeError"
    cv = "error: OpenCV(4.5.1) resize.cpp:4051: error: (-215:Assertion failed) !ssize.empty() in function 'resize'\n"
    assert failure_of(cv.encode()).exception.short_type == "error"


def test_exception_and_frame_lines_posted_as_markdown_code_spans():
    # an issue thread's raw text: each line wrapped in single backticks, as GitHub shows them
    posted = (
        "`Can't pickle <function <lambda> at 0x0000023>: attribute lookup <lambda> on __main__ failed`\n"
        '  `File "D:\\proj\\train.py", line 199, in <module>\n'
        "    trainer.fit(train_loader, val_loader, num_epochs=50)`\n"
        "`_pickle.PicklingError: Can't pickle <function <lambda> at 0x0000023>: attribute lookup failed`\n"
    )
    tb = failure_of(posted.encode())
    assert tb.exception.short_type == "PicklingError"
    assert tb.exception.message.endswith("attribute lookup failed")
    one = failure_of(b"`AssertionError: channel size of the image must be 3 but found 4`\n")
    assert (one.exception.short_type, one.exception.message) == (
        "AssertionError",
        "channel size of the image must be 3 but found 4",
    )
    # a Keras message that merely starts a line with a quoted argument keeps its backticks
    keras = "ValueError: Invalid input:\n`validation_split` is only supported for Tensors or NumPy arrays\n"
    assert "`validation_split`" in failure_of(keras.encode()).exception.message
