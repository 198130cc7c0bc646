"""The real console script: files, `-`, pipes, bad input, exit codes, and the echo of piped input."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import time

import pytest

from .conftest import ROOT, console_script, drain_pty

EXE = console_script()
EXAMPLE = next(
    (ROOT / "corpus" / "cases" / "generated").glob("torch-*size-mismatch*workers*.log"), None
) or next((ROOT / "corpus" / "cases").rglob("*.log"))


def run(*args: str, stdin: bytes | None = None, **kw) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([EXE, *args], input=stdin, capture_output=True, timeout=60, **kw)


def assert_one_line_error(proc: subprocess.CompletedProcess[bytes]) -> None:
    assert proc.returncode == 2
    err = proc.stderr.decode()
    assert err.count("\n") == 1 and err.startswith("explain-error: error:"), err
    assert "Traceback" not in err


def test_file_json():
    proc = run(str(EXAMPLE), "--format", "json")
    assert proc.returncode == 1
    data = json.loads(proc.stdout)
    assert data["schema_version"] == "1" and data["tracebacks"]
    assert data["primary"] == len(data["tracebacks"]) - 1 or data["primary"] is not None


def test_dash_reads_stdin():
    proc = run("-", "--format", "line", stdin=EXAMPLE.read_bytes())
    assert proc.returncode == 1 and proc.stdout.strip()


def test_pipe_without_argument():
    proc = run("--format", "json", stdin=EXAMPLE.read_bytes())
    assert proc.returncode == 1
    assert json.loads(proc.stdout)["tracebacks"]


def test_rich_output_is_plain_when_not_a_terminal():
    proc = run(str(EXAMPLE))
    assert proc.returncode == 1
    out = proc.stdout.decode()
    assert "\x1b[" not in out and "Your code:" in out


def test_no_failure_exits_zero():
    proc = run("-", "--format", "json", stdin=b"epoch 1/3 loss 0.5\nepoch 2/3 loss 0.4\ndone\n")
    assert proc.returncode == 0
    assert json.loads(proc.stdout) == {"schema_version": "1", "tracebacks": [], "primary": None, "dropped": 0}


def test_empty_input():
    proc = run("-", stdin=b"")
    assert proc.returncode == 0
    assert b"No failure" in proc.stdout


def test_missing_file():
    assert_one_line_error(run("no/such/trace.log"))


def test_directory():
    assert_one_line_error(run(str(ROOT)))


def test_unreadable_file(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    f = tmp_path / "x.log"
    f.write_text("x")
    f.chmod(0)
    assert_one_line_error(run(str(f)))


def test_bad_option_and_bad_value():
    assert_one_line_error(run("--no-such-option", str(EXAMPLE)))
    assert_one_line_error(run(str(EXAMPLE), "--format", "xml"))


def test_a_file_named_like_a_subcommand(tmp_path):
    (tmp_path / "rules").write_bytes(EXAMPLE.read_bytes())
    proc = run("./rules", "--format", "json", cwd=tmp_path)
    assert proc.returncode == 1 and json.loads(proc.stdout)["tracebacks"]


def test_piped_input_is_echoed_to_a_terminal_stderr():
    """With stderr on a terminal, the training output stays visible as it arrives."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [EXE, "--format", "json"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=slave
    )
    os.close(slave)
    proc.stdin.write(b"epoch 1/2 loss=0.52\n")
    proc.stdin.flush()
    seen = b""
    deadline = time.time() + 20
    while b"loss=0.52" not in seen and time.time() < deadline:
        ready, _, _ = select.select([master], [], [], 0.5)
        if ready:
            seen += os.read(master, 4096)
    assert b"loss=0.52" in seen, "the first line was not echoed before the input ended"
    out, _ = proc.communicate(EXAMPLE.read_bytes())
    assert proc.returncode == 1 and json.loads(out)["tracebacks"]
    os.close(master)


def test_quiet_turns_the_echo_off():
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [EXE, "-q", "-f", "line"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=slave
    )
    os.close(slave)
    proc.communicate(b"epoch 1/2 loss=0.52\n" + EXAMPLE.read_bytes())
    assert b"loss=0.52" not in drain_pty(master, 0.2)


def test_many_logs_json_jsonl_and_order(tmp_path):
    logs = sorted((ROOT / "corpus" / "cases" / "public").glob("*.log"))[:6]
    quiet = tmp_path / "ok.log"
    quiet.write_text("epoch 1 loss 0.3\n")
    args = [str(p) for p in logs] + [str(quiet)]
    proc = run(*args, "--format", "json")
    assert proc.returncode == 1
    data = json.loads(proc.stdout)
    assert [d["source"] for d in data["logs"]] == args
    assert data["logs"][-1]["tracebacks"] == [] and all(d["tracebacks"] for d in data["logs"][:-1])
    lines = run(*args, "--format", "jsonl").stdout.decode().splitlines()
    assert [json.loads(x)["source"] for x in lines] == args
    summary = run(*args).stdout.decode()
    assert "Causes across 7 logs" in summary


def test_many_logs_with_a_missing_one_is_a_usage_error():
    assert_one_line_error(run(str(EXAMPLE), "no/such.log", "--format", "json"))


def test_rule_and_log_text_in_brackets_prints_as_written_not_as_markup():
    # rich reads "[i - 1]" as an italic tag and "[/home/user]" as a closing tag (MarkupError): the
    # text of rules and of the user's log must reach the terminal as it is
    from rich.console import Console

    from analyzer.explain import explain_text
    from analyzer.model import Diagnosis, replace
    from analyzer.render.rich_format import render

    report = explain_text(
        'Traceback (most recent call last):\n  File "t.py", line 1, in <module>\nIndexError: x\n'
    )
    d = Diagnosis(
        cause="other",
        rule="python.example",
        confidence=0.5,
        title="t",
        explanation="indexes `x[i]` one level deep",
        evidence=("the path [/home/user/data] was read",),
        fixes=("use `layer_names[i - 1]`",),
    )
    e = report.failures[report.primary]
    report = replace(report, failures=(replace(e, diagnoses=(d,)),))
    console = Console(record=True, width=200)
    render(report, console)
    out = console.export_text()
    assert "`x[i]`" in out and "[/home/user/data]" in out and "`layer_names[i - 1]`" in out
