"""`explain-error run -- CMD`: run a command, show its output live and unchanged, explain it if it fails.

On a terminal the command writes to a pseudo-terminal of its own, so colours and progress
bars look as they would without us; otherwise its stdout and stderr go through pipes to ours.
Either way every byte is relayed as it arrives and fed to the scanner, which keeps only the
regions around failures: memory stays bounded however long the command runs.
"""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass

from analyzer.errors import InputError
from analyzer.ingest import widen_pipe

READ_SIZE = 1 << 20


@dataclass
class Child:
    process: subprocess.Popen[bytes]
    outputs: dict[int, int]  # fd we read -> fd we write it to
    owned: tuple[int, ...] = ()  # fds of ours to close at the end (the pseudo-terminal)


def _copy_winsize(src: int, dst: int) -> None:
    import fcntl
    import termios

    try:
        size = fcntl.ioctl(src, termios.TIOCGWINSZ, b"\0" * 8)
        fcntl.ioctl(dst, termios.TIOCSWINSZ, size)
    except OSError:
        pass


def start(argv: list[str]) -> Child:
    """Start the command: on a pseudo-terminal when our stdout is a terminal, else on pipes."""
    if not argv:
        raise InputError("run: give a command after `--`, e.g. explain-error run -- python train.py")
    try:
        if sys.stdout.isatty():
            import pty

            master, slave = pty.openpty()
            _copy_winsize(sys.stdout.fileno(), slave)
            proc = subprocess.Popen(argv, stdout=slave, stderr=slave, close_fds=True)
            os.close(slave)
            return Child(proc, {master: sys.stdout.fileno()}, (master,))
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert proc.stdout is not None and proc.stderr is not None
        widen_pipe(proc.stdout.fileno())
        widen_pipe(proc.stderr.fileno())
        return Child(
            proc, {proc.stdout.fileno(): sys.stdout.fileno(), proc.stderr.fileno(): sys.stderr.fileno()}
        )
    except FileNotFoundError:
        raise InputError(f"run: command not found: {argv[0]}") from None
    except PermissionError:
        raise InputError(f"run: cannot execute {argv[0]}") from None


def relay(child: Child) -> Iterator[bytes]:
    """Every chunk the command writes, after writing it where the command meant it to go."""
    sel = selectors.DefaultSelector()
    for fd in child.outputs:
        sel.register(fd, selectors.EVENT_READ)
    open_fds = set(child.outputs)
    while open_fds:
        for key, _ in sel.select():
            fd = key.fd
            try:
                chunk = os.read(fd, READ_SIZE)
            except OSError:  # a pseudo-terminal reads EIO once the command has closed it
                chunk = b""
            if not chunk:
                sel.unregister(fd)
                open_fds.discard(fd)
                continue
            _write_all(child.outputs[fd], chunk)
            yield chunk
    sel.close()


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        try:
            view = view[os.write(fd, view) :]
        except BrokenPipeError:
            return


def wait(child: Child) -> int:
    """The command's exit status as a shell reports it (128 + N when a signal ended it)."""
    code = child.process.wait()
    for fd in child.owned:
        os.close(fd)
    for stream in (child.process.stdout, child.process.stderr):
        if stream is not None:
            stream.close()
    return 128 - code if code < 0 else code


class ignore_interrupts:
    """Ctrl-C goes to the command (same process group); we stay to explain how it ended."""

    def __enter__(self) -> None:
        self._old = signal.signal(signal.SIGINT, signal.SIG_IGN)

    def __exit__(self, *exc: object) -> None:
        signal.signal(signal.SIGINT, self._old)
