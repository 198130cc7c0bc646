"""Robustness: whatever bytes come in, no exception of ours, a valid report, valid JSON."""

from __future__ import annotations

import json
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer.explain import explain_chunks
from analyzer.render.json_format import render as render_json
from analyzer.render.line_format import render as render_line

from .conftest import corpus_cases

REAL = [log.read_bytes() for _, log, _ in corpus_cases()]
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check(data: bytes, chunk: int = 1 << 16) -> None:
    chunks = [data[i : i + chunk] for i in range(0, len(data), chunk)] or [b""]
    report = explain_chunks(chunks)
    payload = json.loads(render_json(report))
    assert payload["schema_version"] == "1"
    assert (payload["primary"] is None) == (not payload["tracebacks"])
    for tb in payload["tracebacks"]:
        assert tb["span"]["start_line"] >= 1
        assert tb["span"]["end_line"] >= tb["span"]["start_line"]
    render_line(report)


@FAST
@given(st.binary(max_size=4096), st.integers(min_value=1, max_value=512))
def test_arbitrary_bytes(data, chunk):
    check(data, chunk)


@FAST
@given(
    st.text(
        alphabet=st.sampled_from(list('Traceback File"line, in:Error\n\r\t ^~|+-[]{}()0123456789.>')),
        max_size=3000,
    )
)
def test_traceback_shaped_noise(text):
    check(text.encode())


@FAST
@given(
    st.sampled_from(REAL), st.floats(min_value=0.0, max_value=1.0), st.floats(min_value=0.0, max_value=1.0)
)
def test_truncated_real_traces(data, start, end):
    a, b = sorted((int(start * len(data)), int(end * len(data))))
    check(data[a:b])


@FAST
@given(
    st.sampled_from(REAL), st.integers(min_value=0, max_value=2**32), st.integers(min_value=1, max_value=40)
)
def test_bit_flipped_real_traces(data, seed, flips):
    rng = random.Random(seed)
    buf = bytearray(data)
    for _ in range(flips):
        i = rng.randrange(len(buf))
        buf[i] ^= 1 << rng.randrange(8)
    check(bytes(buf))


@FAST
@given(st.sampled_from(REAL), st.sampled_from(["utf-16", "utf-16-le", "utf-32", "latin-1"]))
def test_real_traces_in_other_encodings(data, encoding):
    text = data.decode("utf-8", "replace")
    encoded = text.encode(encoding, "replace")
    report = explain_chunks([encoded])
    if encoding != "latin-1":
        assert report.failures, "a real trace must still be found in another encoding"
    check(encoded)


def test_binary_data():
    rng = random.Random(7)
    check(bytes(rng.randrange(256) for _ in range(1 << 20)))


def test_three_megabyte_lines_of_every_shape():
    for fill in (
        b"A",
        b"Error ",
        b'  File "x", line 1, in f ',
        b"block: [0,0,0], ",
        b"\xff",
        b"/a",
        b"[[{{node ",
    ):
        check(fill * ((3 << 20) // len(fill)) + b"\nValueError: x\n")
