"""Child processes started by tests: each in a process group of its own, read line by line
with a deadline, and ended (the whole group, with anything it started) when the `with` block
is left, whether the test passed, failed or was interrupted."""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import subprocess
import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any


class Child:
    """A running child process whose output (stdout, text) is read on a thread of its own, so
    waiting for a line never blocks past a deadline."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._printed: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._printed.append(line)
            self._lines.put(line)
        self._lines.put(None)

    def printed(self) -> str:
        return "".join(self._printed)

    def next_line(self, deadline: float) -> str | None:
        """The next line printed; None once the output has ended (the process closed it)."""
        try:
            return self._lines.get(timeout=max(deadline - time.monotonic(), 0.0))
        except queue.Empty:
            raise AssertionError(
                f"the child printed no line before the deadline:\n{self.printed()}"
            ) from None

    def finish(self, timeout: float) -> str:
        """Wait for the process to end on its own; everything it printed."""
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(
                f"the child was still running after {timeout:.0f} s:\n{self.printed()}"
            ) from None
        self._reader.join(timeout)
        return self.printed()

    def end(self) -> None:
        """SIGKILL to the process group; waits for the process and the end of its output."""
        with contextlib.suppress(ProcessLookupError):
            # The group id stays reserved while any member lives, so this reaches only the
            # child and what it started.
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self._reader.join(30)
        assert self.process.stdout is not None
        self.process.stdout.close()


@contextlib.contextmanager
def started(args: Sequence[str], **popen: Any) -> Iterator[Child]:
    """`subprocess.Popen(args, **popen)` with its stdout read as text; ended on leaving."""
    process = subprocess.Popen(
        args, stdout=subprocess.PIPE, text=True, start_new_session=True, **popen
    )
    child = Child(process)
    try:
        yield child
    finally:
        child.end()
