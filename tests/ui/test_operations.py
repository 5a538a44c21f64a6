"""The one way a screen runs work: writes one at a time by default, reads side by side when they
say so, every failure in the log without its message, and one "changed" announcement per
successful write."""

from __future__ import annotations

import functools
import logging
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from asb_desktop.support.logs import setup_logging, stop_logging
from asb_desktop.ui.changes import Changed, change_hub
from asb_desktop.ui.operations import Operation, pending_operations
from tests.paths import REPO

WAIT_MS = 20000


@pytest.fixture
def parent(qtbot: QtBot) -> Iterator[QObject]:
    owner = QObject()
    yield owner
    qtbot.waitUntil(lambda: pending_operations() == 0, timeout=WAIT_MS)


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    hooks = (sys.excepthook, threading.excepthook)
    root_level = logging.getLogger().level
    path = setup_logging(tmp_path / "logs")
    yield path
    stop_logging()
    sys.excepthook, threading.excepthook = hooks
    logging.getLogger().setLevel(root_level)
    logging.captureWarnings(False)


def test_an_operation_that_does_not_say_is_a_write_and_waits_for_the_write_before_it(
    qtbot: QtBot, parent: QObject
) -> None:
    first_may_finish = threading.Event()
    order: list[str] = []

    def first() -> None:
        order.append("first started")
        assert first_may_finish.wait(WAIT_MS / 1000)
        order.append("first done")

    def second() -> None:
        order.append("second started")

    Operation(parent, first, name="test.first").run()
    Operation(parent, second, name="test.second").run()  # says nothing: a write
    qtbot.waitUntil(lambda: order == ["first started"], timeout=WAIT_MS)
    first_may_finish.set()
    qtbot.waitUntil(lambda: len(order) == 3, timeout=WAIT_MS)
    assert order == ["first started", "first done", "second started"]


def test_reads_that_say_so_run_side_by_side(qtbot: QtBot, parent: QObject) -> None:
    both_running = threading.Barrier(2, timeout=WAIT_MS / 1000)
    results: list[str] = []
    for name in ("one", "two"):
        # Each read finishes only once the other is running too: they cannot be serialized.
        reading = Operation(parent, lambda n=name: (both_running.wait(), n)[1], name="test.read")
        reading.read_only().success(results.append).run()
    qtbot.waitUntil(lambda: len(results) == 2, timeout=WAIT_MS)
    assert sorted(results) == ["one", "two"]


def test_a_successful_write_announces_once_what_it_changed(qtbot: QtBot, parent: QObject) -> None:
    heard: list[Changed] = []
    change_hub().sig_changed.connect(heard.append)
    try:
        said = Changed.case("case-1")
        with qtbot.waitSignal(change_hub().sig_changed, timeout=WAIT_MS):
            Operation(parent, lambda: None, name="test.said", changes=said).run()
        with qtbot.waitSignal(change_hub().sig_changed, timeout=WAIT_MS):
            Operation(parent, lambda: None, name="test.unsaid").run()
        done: list[int] = []
        Operation(parent, lambda: 1, name="test.read").read_only().success(done.append).run()
        qtbot.waitUntil(lambda: done == [1], timeout=WAIT_MS)
    finally:
        change_hub().sig_changed.disconnect(heard.append)
    assert heard == [said, Changed.everything()]


def test_a_failure_is_logged_by_name_and_type_before_the_screen_hears_of_it(
    qtbot: QtBot, parent: QObject, log_file: Path
) -> None:
    secret = "Zoë O'Brien-Łukasiewicz, 12 Rowan Court"
    heard: list[Exception] = []
    logged_first: list[bool] = []

    def failure(error: Exception) -> None:
        logged_first.append("operation.failed" in log_file.read_text(encoding="utf-8"))
        heard.append(error)

    def work() -> None:
        raise ValueError(f"could not save {secret}")

    announced: list[Changed] = []
    change_hub().sig_changed.connect(announced.append)
    try:
        Operation(parent, work, name="report.save").failure(failure).run()
        qtbot.waitUntil(lambda: len(heard) == 1, timeout=WAIT_MS)
    finally:
        change_hub().sig_changed.disconnect(announced.append)
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = log_file.read_text(encoding="utf-8")
    assert "operation.failed operation=report.save error=ValueError writes=True" in text
    assert "Zoë" not in text and "Rowan" not in text
    assert logged_first == [True]
    assert announced == []  # a failed write changed nothing


def test_a_failure_with_no_handler_is_still_logged(
    qtbot: QtBot, parent: QObject, log_file: Path
) -> None:
    Operation(parent, lambda: 1 / 0, name="test.forgotten").run()
    qtbot.waitUntil(lambda: pending_operations() == 0, timeout=WAIT_MS)
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert "operation=test.forgotten error=ZeroDivisionError" in log_file.read_text("utf-8")


def test_no_screen_announces_a_change_by_hand() -> None:
    ui = REPO / "asb_desktop" / "ui"
    helper = ui / "operations" / "__init__.py"
    offenders = [
        str(path.relative_to(REPO))
        for path in ui.rglob("*.py")
        if path != helper and "change_hub().sig_changed.emit" in path.read_text("utf-8")
    ]
    assert offenders == []


class _Freed:
    """Records the thread that frees it: what a job held must be freed on the GUI thread (a
    widget or timer freed on a worker is deleted on the wrong thread)."""

    threads: list[str]

    def __init__(self, threads: list[str]) -> None:
        self.threads = threads

    def __del__(self) -> None:
        self.threads.append(threading.current_thread().name)


def test_what_an_operation_held_is_let_go_on_the_gui_thread(parent: QObject, qtbot: QtBot) -> None:
    from asb_desktop.ui.operations import wait_for_operations

    freed: list[str] = []
    work = functools.partial(lambda captured: _Freed(freed), _Freed(freed))
    answers: list[object] = []
    running = Operation(parent, work, name="test.hold").read_only()
    running.success(answers.append).run()
    del work, running  # from here only the operation's own machinery holds them
    wait_for_operations()  # the worker has finished and let its job go
    qtbot.waitUntil(lambda: len(answers) == 1 and pending_operations() == 0, timeout=WAIT_MS)
    answers.clear()  # the result
    qtbot.waitUntil(lambda: len(freed) == 2, timeout=WAIT_MS)  # ... and what the callable held
    assert set(freed) == {threading.main_thread().name}


def test_many_operations_at_once_each_answer_once_on_the_gui_thread(
    parent: QObject, qtbot: QtBot
) -> None:
    """Reads on three workers and writes on the fourth finish together; each answer (success or
    failure) is delivered exactly once, on the GUI thread, none lost in the queue between them."""
    answers: dict[int, list[str]] = {}
    gui = threading.main_thread().name

    def work(number: int) -> int:
        if number % 7 == 0:
            raise ValueError("refused")
        return number

    def heard(number: int, how: str) -> None:
        answers.setdefault(number, []).append(f"{how} on {threading.current_thread().name}")

    for number in range(400):
        running = Operation(parent, functools.partial(work, number), name="test.many")
        if number % 2:
            running.read_only()
        running.success(lambda n: heard(n, "done"))
        running.failure(lambda error, n=number: heard(n, "failed"))
        running.run()
    qtbot.waitUntil(lambda: len(answers) == 400 and pending_operations() == 0, timeout=WAIT_MS)
    for number, said in answers.items():
        assert said == [f"{'failed' if number % 7 == 0 else 'done'} on {gui}"]
