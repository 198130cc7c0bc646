"""`explain-error run -- CMD`: live output, the command's exit code, explanation on failure, Ctrl-C."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time

from .conftest import console_script, drain_pty

EXE = console_script()
FAILING = (
    "import sys\n"
    "print('\\x1b[32mepoch 1\\x1b[0m', flush=True)\n"
    "print('progress\\r 50%\\r100%', flush=True)\n"
    "d = {'lr': 0.1}\n"
    "d['learning_rate']\n"
)


def test_pipe_keeps_stdout_and_stderr_apart_and_returns_the_exit_code(tmp_path):
    script = tmp_path / "train.py"
    script.write_text(FAILING)
    proc = subprocess.run([EXE, "run", "-f", "line", "--", sys.executable, str(script)], capture_output=True)
    assert proc.returncode == 1
    assert proc.stdout == b"\x1b[32mepoch 1\x1b[0m\nprogress\r 50%\r100%\n"  # unchanged, byte for byte
    err = proc.stderr.decode()
    assert "KeyError: 'learning_rate'" in err
    assert err.rstrip().splitlines()[-1].startswith(f"{script}:5: ")


def test_success_is_silent_and_exit_code_passes_through():
    proc = subprocess.run(
        [EXE, "run", "--", sys.executable, "-c", "print('ok'); raise SystemExit(0)"], capture_output=True
    )
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, b"ok\n", b"")
    proc = subprocess.run(
        [EXE, "run", "--", sys.executable, "-c", "raise SystemExit(7)"], capture_output=True
    )
    assert proc.returncode == 7


def test_report_file(tmp_path):
    out = tmp_path / "report.json"
    proc = subprocess.run(
        [EXE, "run", "-f", "json", "--report", str(out), "--", sys.executable, "-c", "1/0"],
        capture_output=True,
    )
    assert proc.returncode == 1 and b"ZeroDivisionError" in proc.stderr  # the command's own traceback
    assert '"ZeroDivisionError"' in out.read_text()


def test_terminal_gets_a_terminal_and_ctrl_c_reaches_the_command(tmp_path):
    script = tmp_path / "loop.py"
    script.write_text(
        "import sys, time\n"
        "try:\n"
        "    print('tty' if sys.stdout.isatty() else 'pipe', flush=True)\n"
        "    time.sleep(30)\n"
        "except KeyboardInterrupt:\n"
        "    print('child got SIGINT', flush=True)\n"
        "    raise\n"
    )
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [EXE, "run", "--", sys.executable, str(script)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        start_new_session=True,  # its own process group, as a shell gives a foreground job
    )
    os.close(slave)
    seen = b""
    deadline = time.time() + 20
    while b"tty" not in seen and time.time() < deadline:
        if select.select([master], [], [], 0.5)[0]:
            seen += os.read(master, 4096)
    assert b"tty" in seen, seen  # colours and progress bars behave as on a terminal
    # a terminal's Ctrl-C signals its whole foreground process group: the wrapper and the command
    os.killpg(proc.pid, signal.SIGINT)
    # keep reading while it explains: a pty holds only a few KiB, and a loaded machine is slow
    deadline = time.time() + 60
    while proc.poll() is None and time.time() < deadline:
        if select.select([master], [], [], 0.5)[0]:
            try:
                seen += os.read(master, 4096)
            except OSError:
                break
    proc.wait(timeout=5)
    seen += drain_pty(master)
    assert b"child got SIGINT" in seen
    assert proc.returncode == 130
    assert b"KeyboardInterrupt" in seen


def test_missing_command_is_a_usage_error():
    proc = subprocess.run([EXE, "run", "--", "no-such-command-xyz"], capture_output=True)
    assert proc.returncode == 2 and proc.stderr.count(b"\n") == 1
