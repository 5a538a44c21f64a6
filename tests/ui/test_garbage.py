"""Garbage made on a worker thread is freed on the GUI thread (ui/garbage.py): a widget freed
by a collection on a worker hangs or crashes Qt."""

from __future__ import annotations

import gc
import threading
from typing import ClassVar

from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from asb_desktop.ui.garbage import collect_on_gui_thread


class _Cycle:
    freed_on: ClassVar[list[str]] = []

    def __init__(self) -> None:
        self.me = self  # only the cycle collector can free it

    def __del__(self) -> None:
        _Cycle.freed_on.append(threading.current_thread().name)


def _make_garbage() -> None:
    for _ in range(5 * gc.get_threshold()[0]):  # enough to cross the youngest threshold
        _Cycle()


def test_cycles_made_on_a_worker_are_freed_on_the_gui_thread(
    qapp: QApplication, qtbot: QtBot
) -> None:
    collector = collect_on_gui_thread(qapp)
    assert collect_on_gui_thread(qapp) is collector  # installed once
    assert not gc.isenabled()
    gc.collect()
    _Cycle.freed_on.clear()
    worker = threading.Thread(target=_make_garbage, name="worker")
    worker.start()
    worker.join()
    assert _Cycle.freed_on == []  # nothing was collected on the worker
    qtbot.waitUntil(lambda: len(_Cycle.freed_on) > 0, timeout=10_000)
    assert set(_Cycle.freed_on) == {threading.current_thread().name}
    assert QThread.currentThread() is qapp.thread()
