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


def test_a_python_warning_is_the_failure_of_a_log_without_an_exception():
    # a run that only warned (and then diverged or stalled): the last warning, at its source line
    text = (
        "Epoch 1/50\n"
        "/home/user/darkflow/net/yolov2/data.py:40: RuntimeWarning: invalid value encountered in sqrt\n"
        "  obj[3] = np.sqrt(obj[3])\n"
        "/home/user/darkflow/net/yolov2/data.py:41: RuntimeWarning: divide by zero encountered in log\n"
        "  obj[4] = np.log(obj[4])\n"
    )
    tb = failure_of(text.encode())
    assert (tb.exception.type, tb.exception.message.splitlines()[0]) == (
        "RuntimeWarning",
        "divide by zero encountered in log",
    )
    assert (tb.frames[-1].path, tb.frames[-1].line, tb.frames[-1].code) == (
        "/home/user/darkflow/net/yolov2/data.py",
        41,
        "obj[4] = np.log(obj[4])",
    )
    assert len(explain_text(text).failures) == 1


def test_other_warnings_alone_are_no_failure():
    text = (
        "/usr/lib/python3/site-packages/torch/utils/data/dataloader.py:560: UserWarning: This DataLoader "
        "will create 8 worker processes in total.\n  warnings.warn(_create_warning_msg(\n"
    )
    assert explain_text(text).failures == ()


def test_a_warning_does_not_hide_an_exception_named_inside_a_line():
    text = (
        "/usr/lib/python3/site-packages/keras/backend.py:12: UserWarning: deprecated\n"
        "model.fit(x) ValueError: bad shapes\n"
    )
    assert failure_of(text.encode()).exception.type == "ValueError"


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


_PY_FUNC = """\
Traceback (most recent call last):
  File "/home/user/project/train.py", line 38, in <module>
    model.fit(train, epochs=3)
  File "/home/user/venv/lib/python3.11/site-packages/tensorflow/python/eager/execute.py", line 53, in quick_execute
    tensors = pywrap_tfe.TFE_Py_Execute(ctx._handle, device_name, op_name,
tensorflow.python.framework.errors_impl.UnknownError: Graph execution error:

Detected at node PyFunc defined at (most recent call last):
<stack traces unavailable>
AttributeError: 'NoneType' object has no attribute 'shape'
Traceback (most recent call last):

  File "/home/user/venv/lib/python3.11/site-packages/tensorflow/python/ops/script_ops.py", line 269, in __call__
    ret = func(*args)

  File "/home/user/project/train.py", line 24, in __getitem__
    h, w = img.shape[:2]

AttributeError: 'NoneType' object has no attribute 'shape'


\t [[{{node PyFunc}}]]
\t [[IteratorGetNext]] [Op:__inference_multi_step_on_iterator_1276]
"""


def test_a_py_func_traceback_inside_a_tensorflow_error_is_the_failure():
    # TensorFlow prints the Python failure of a py_function / from_generator / PyDataset inside its
    # own error: the user's line and exception come from there, TensorFlow's error wraps them
    tb = failure_of(_PY_FUNC.encode())
    assert (tb.exception.type, tb.exception.message.splitlines()[0]) == (
        "AttributeError",
        "'NoneType' object has no attribute 'shape'",
    )
    assert (tb.location.path, tb.location.line) == ("/home/user/project/train.py", 24)
    assert [link.relation for link in tb.chain] == ["wrapper"]
    assert tb.chain[0].exception.short_type == "UnknownError"
    assert "PyFunc" in tb.ops


def test_a_traceback_quoted_in_a_message_without_tensorflow_s_runner_stays_the_message():
    text = _PY_FUNC.replace("tensorflow/python/ops/script_ops.py", "mylib/runner.py")
    tb = failure_of(text.encode())
    assert tb.exception.short_type == "UnknownError"


def test_vs_code_s_exception_popup_with_its_paused_note():
    # VS Code's "Exception has occurred" popup, copied: type on one line (with the debugger's note),
    # the message on the next, then the frames
    text = (
        "Exception has occurred: RuntimeError       (note: full exception trace is shown but execution "
        "is paused at: _run_module_as_main)\n"
        "Expected all tensors to be on the same device, but found at least two devices, cuda:0 and cpu!\n"
        '  File "/home/user/sam3/model/decoder.py", line 357, in _get_rpb_matrix\n'
        "    deltas_y = coords_h.view(1, -1, 1) - boxes_xyxy.reshape(-1, 1, 4)[:, :, 1:4:2]\n"
    )
    tb = failure_of(text.encode())
    assert tb.exception.type == "RuntimeError"
    assert tb.exception.message.startswith("Expected all tensors to be on the same device")


def test_a_warning_printed_long_before_the_traceback_is_still_context():
    # OpenCV warns when it cannot read a file; the traceback can come many lines later
    text = (
        "[ WARN:0@13.010] global loadsave.cpp:278 findDecoder imread_('data/images/part_006.JPG'): "
        "can't open/read file: check file path/integrity\n"
        + "".join(f"step {i}: loss 0.{i:03d}\n" for i in range(40))
        + "Traceback (most recent call last):\n"
        '  File "/home/user/project/train.py", line 24, in __getitem__\n'
        "    img = img[:, :, ::-1]\n"
        "TypeError: 'NoneType' object is not subscriptable\n"
    )
    tb = failure_of(text.encode())
    assert any("can't open/read file" in line for line in tb.context)
    assert not any("step 10:" in line for line in tb.context)
    report = explain_text(text)
    assert report.failures[0].diagnoses[0].cause == "data.missing_or_corrupt"


def test_a_message_pasted_as_an_issue_title_is_matched_with_its_first_letter_lowered():
    # issue titles capitalise the message and drop the exception line; the rule still applies
    report = explain_text(
        "Stack expects each tensor to be equal size, but got [1, 32, 32] at entry 0 and [3, 32, 32] at entry 1\n"
    )
    assert report.failures and report.failures[0].diagnoses[0].cause == "data.image_channels"
    # with its type, the message is read as printed (PyTorch's own lower-case wording)
    typed = explain_text(
        "RuntimeError: Stack expects each tensor to be equal size, but got [1, 32] at entry 0\n"
    )
    assert all(d.rule != "torch.collate-stack-channels" for d in typed.failures[0].diagnoses)


_PY_FUNC_TF215 = """\
Traceback (most recent call last):
  File "/home/user/project/train.py", line 27, in <module>
    model.fit(ds, epochs=3)
  File "/home/user/venv/lib/python3.11/site-packages/tensorflow/python/eager/execute.py", line 52, in quick_execute
    tensors = pywrap_tfe.TFE_Py_Execute(ctx._handle, device_name, op_name,
tensorflow.python.framework.errors_impl.InvalidArgumentError: Graph execution error:

TypeError: `generator` yielded an element of shape (64, 64, 4) where an element of shape (64, 64, 3) was expected.
Traceback (most recent call last):

  File "/home/user/venv/lib/python3.11/site-packages/tensorflow/python/ops/script_ops.py", line 267, in __call__
    ret = func(*args)

  File "/home/user/venv/lib/python3.11/site-packages/tensorflow/python/data/ops/from_generator_op.py", line 235, in generator_py_func
    raise TypeError(

TypeError: `generator` yielded an element of shape (64, 64, 4) where an element of shape (64, 64, 3) was expected.


\t [[{{node PyFunc}}]]
\t [[IteratorGetNext]] [Op:__inference_train_function_782]
"""


def test_tensorflow_2_15s_py_func_traceback_after_its_error_is_one_failure():
    # TF 2.12-2.15 print the Python traceback after `Graph execution error:`, the exception line
    # once before it: one failure, the Python one explaining, TensorFlow's wrapping it
    report = explain_text(_PY_FUNC_TF215)
    assert len(report.failures) == 1
    tb = report.failures[0].traceback
    assert tb.exception.short_type == "TypeError" and "yielded an element" in tb.exception.message
    assert [(link.relation, link.exception.short_type) for link in tb.chain] == [
        ("wrapper", "InvalidArgumentError")
    ]
    assert (tb.location.path, tb.location.line) == ("/home/user/project/train.py", 27)


def test_kernel_asserts_flushed_after_the_exception_are_read_out_of_its_message() -> None:
    """Recorded on an H200: the loss kernel's asserts print after a later cuDNN error's line."""
    from tests.conftest import CORPUS

    text = (CORPUS / "generated" / "torch-cuda-seg-mask-255-border-not-ignored.log").read_text()
    explained = explain_text(text).failures[0]
    tb = explained.traceback
    assert tb.exception.message == "cuDNN error: CUDNN_STATUS_INTERNAL_ERROR"
    assert len(tb.kernel_asserts) >= 8 and all(
        "Assertion `t >= 0 && t < n_classes` failed" in a for a in tb.kernel_asserts
    )
    first = explained.diagnoses[0]
    assert (first.cause, first.rule) == ("data.label_out_of_range", "cuda.kernel-assert-nll-target")


def test_torch_compile_backend_failure_is_read_as_its_backends_error() -> None:
    """`BackendCompilerFailed: backend='...' raised:` then the backend's own exception line."""
    from tests.conftest import HELDOUT

    text = (HELDOUT / "b88" / "nnunetv2-compile-gtx1080ti-too-old-for-triton.log").read_text()
    explained = explain_text(text)
    assert len(explained.failures) == 1
    tb = explained.failures[0].traceback
    assert (
        tb.exception.type == "RuntimeError"
        and "too old to be supported by the triton" in tb.exception.message
    )
    assert [(link.relation, link.exception.short_type) for link in tb.chain] == [
        ("wrapper", "BackendCompilerFailed")
    ]
    assert tb.context[-1].strip() == "raise RuntimeError("  # what was above dynamo's line stays its context


def test_a_class_of_an_exceptions_module_needs_no_failure_like_name() -> None:
    text = "torch._inductor.exc.TritonMissing: Cannot find a working triton installation.\n"
    tb = explain_text(text).failures[0].traceback
    assert tb.exception.type == "torch._inductor.exc.TritonMissing"
    assert not explain_text("torch.nn.modules.Linear: in_features=3\n").failures  # not an exceptions module


def test_an_exception_line_that_closes_a_markdown_code_span() -> None:
    """Issue posts wrap a traceback in backticks: the last one lands on the exception line."""
    text = (
        "`Traceback (most recent call last):\n"
        '  File "train.py", line 532, in main\n'
        "    train_images = np.insert(train_images, 0, 1, axis=1)\n"
        "    MemoryError`\n"
    )
    tb = explain_text(text).failures[0].traceback
    assert (tb.exception.type, tb.exception.message) == ("MemoryError", "")
    assert explain_text("RuntimeError: a `b` c`\n").failures[0].traceback.exception.message == "a `b` c"


def test_an_exception_copied_from_a_debuggers_variables_view_is_the_failure():
    # PyCharm shows an exception object as `{Type}message`; users paste that when they have no traceback
    text = (
        "{InvalidArgumentError}Name: <unknown>, Key: label, Index: 0.  Data types don't match. "
        "Data type: int64 but expected type: string\n\n[Node: IteratorGetNext = IteratorGetNext[]]\n"
    )
    tb = failure_of(text.encode())
    assert tb is not None and tb.exception.type == "InvalidArgumentError"
    assert (
        tb.exception.message.startswith("Name: <unknown>, Key: label")
        and "IteratorGetNext" in tb.exception.message
    )
    # braces around a name that is not an exception's are not one
    assert failure_of(b"{TrainingConfig}batch=3 Error rate\n").exception.type == ""


def test_ipython_frames_of_a_compiled_cython_module_are_frames():
    # IPython names a Cython module's frame by its relative .pyx path, with no source lines
    text = (
        "AttributeError                            Traceback (most recent call last)\n"
        "<ipython-input-19-6468cc065af9> in <module>\n"
        "----> 3     l2l.data.transforms.NWays(tire_train, ways),\n\n"
        "learn2learn/data/transforms.pyx in learn2learn.data.transforms.NWays.__init__()\n\n"
        "AttributeError: 'Tire' object has no attribute 'indices_to_labels'\n"
    )
    tb = failure_of(text.encode())
    assert [(f.path, f.function, f.code) for f in tb.frames][-1] == (
        "learn2learn/data/transforms.pyx",
        "learn2learn.data.transforms.NWays.__init__",
        None,
    )
    assert tb.location.path.startswith("<ipython-input-19")


def test_frames_whose_file_prefix_a_paste_cut_are_frames() -> None:
    """Recorded in a public thread (held-out b224): `File "` and the site-packages prefix cut off."""
    from tests.conftest import HELDOUT

    text = (HELDOUT / "b224" / "poseinterp_segtrain_typeerror_new_torch.log").read_text()
    tb = explain_text(text).failures[0].traceback
    cut = [f for f in tb.frames if f.path.startswith("torch")]
    assert [(f.path, f.line, f.function) for f in cut[:1]] == [
        ("torch\\utils\\data\\dataloader.py", 530, "__next__")
    ]
    assert len(cut) == 4 and not any(f.user_code for f in cut)  # a library's path, even without its prefix
    assert (tb.location.path, tb.location.line) == ("train_copy.py", 45)


def test_imageai_model_not_loaded_defers_to_the_load_failure_printed_before_it() -> None:
    """ImageAI's loadModel() prints the load failure and goes on; the next call's error came of it."""
    from tests.conftest import CORPUS

    name = "torch-more105-colab-gpu-saved-imagenet-weights-imageclassification-notebook.log"
    report = explain_text((CORPUS / "generated" / name).read_text())
    assert len(report.failures) == 2 and report.primary == 0
    primary = report.failures[report.primary]
    assert "Attempting to deserialize object on a CUDA device" in primary.traceback.exception.message
    assert primary.diagnoses[0].cause in ("env.device_mismatch", "env.cuda_setup")


def test_a_catch_all_error_raised_while_handling_the_real_one_becomes_its_wrapper() -> None:
    """ImageAI's video detection wraps whatever its loop or the user's callbacks raised in one
    `ValueError` raised during the handling of it: the handled exception explains."""
    from tests.conftest import CORPUS

    name = "torch-more108-whatsapp-forwarded-clip-moov-atom-missing-video-complete-average.log"
    tb = explain_text((CORPUS / "generated" / name).read_text()).failures[0].traceback
    assert (tb.exception.short_type, tb.exception.message) == ("ZeroDivisionError", "division by zero")
    assert [(link.relation, link.exception.short_type) for link in tb.chain] == [("wrapper", "ValueError")]
    assert (tb.location.path, tb.location.line) == ("/home/user/project/count_shop_door.py", 10)


def test_code_lines_under_unindented_frames_are_the_frames_code() -> None:
    """Recorded in a public thread (held-out b248): the issue's formatting took the indentation
    and the `<module>` names, so each frame's code line sits at the left margin under it."""
    from tests.conftest import HELDOUT

    text = (HELDOUT / "b248" / "autoannotate_coco_json_to_via_loader.log").read_text()
    tb = explain_text(text).failures[0].traceback
    assert [(f.function, f.code) for f in tb.frames][:3] == [
        (None, "train(model)"),
        ("train", 'dataset_train.load_custom(args.dataset, "train")'),
        ("load_custom", "annotations = [a for a in annotations if a['regions']]"),
    ]
    assert "code: annotations = [a for a in annotations if a['regions']]" in log_text_of(tb)


def test_an_unindented_exception_line_under_a_frame_is_not_taken_for_its_code() -> None:
    text = 'Traceback (most recent call last):\nFile "train.py", line 3, in <module>\nValueError: bad value\n'
    tb = failure_of(text.encode())
    assert (tb.exception.type, tb.exception.message) == ("ValueError", "bad value")
    assert tb.frames[0].code is None


def test_an_exception_in_a_markdown_list_items_code_span_is_read() -> None:
    text = (
        "  - `NVIDIA GeForce RTX 5090 with CUDA capability sm_120 is not compatible with the current PyTorch installation`\n"
        "  - `RuntimeError: CUDA error: no kernel image is available for execution on the device`\n"
    )
    report = explain_text(text)
    tb = report.failures[report.primary].traceback
    assert tb.exception.type == "RuntimeError"
    assert report.failures[report.primary].diagnoses[0].cause == "env.cuda_setup"


def test_tensorflow_root_errors_without_their_exception_line_are_a_failure() -> None:
    """Recorded in a public thread (held-out b247): the paste starts at `2 root error(s) found.`."""
    from tests.conftest import HELDOUT

    text = (HELDOUT / "b247" / "lpcnet_hardcoded_batch128_cudnn_gru.log").read_text()
    tb = explain_text(text).failures[0].traceback
    assert tb.exception.type == "" and tb.tf_function == "train_function"
    assert "model/gru_a/CudnnRNNV2" in tb.ops


def test_a_kernel_assert_whose_condition_quotes_words_in_backticks_is_read() -> None:
    text = (
        "/pytorch/aten/src/ATen/native/cuda/TensorCompare.cu:109: _assert_async_cuda_kernel: block: [0,0,0], "
        "thread: [0,0,0] Assertion `probability tensor contains either `inf`, `nan` or element < 0` failed.\n"
        "Traceback (most recent call last):\n"
        '  File "sample.py", line 8, in <module>\n'
        "    nxt = torch.multinomial(probs, num_samples=1)\n"
        "torch.AcceleratorError: CUDA error: device-side assert triggered\n"
    )
    report = explain_text(text)
    tb = report.failures[0].traceback
    assert len(tb.kernel_asserts) == 1 and "probability tensor contains" in tb.kernel_asserts[0]
    assert report.failures[0].diagnoses[0].cause == "optim.divergence"
