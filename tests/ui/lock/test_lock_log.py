"""The support log says how the window was locked (by hand or by the idle timer), and nothing
else about it."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from asb_desktop.support.logs import setup_logging, stop_logging
from asb_desktop.ui.main_window import MainWindow
from tests.ui.conftest import PIN
from tests.ui.driving import settle, type_text


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    hooks = (sys.excepthook, threading.excepthook)
    root_level = logging.getLogger().level
    yield setup_logging(tmp_path / "logs")
    stop_logging()
    sys.excepthook, threading.excepthook = hooks
    logging.getLogger().setLevel(root_level)
    logging.captureWarnings(False)


def logged(path: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return path.read_text(encoding="utf-8")


def test_locking_by_hand_and_by_the_idle_timer_is_logged_as_such(
    qtbot: QtBot, window: MainWindow, log_file: Path
) -> None:
    qtbot.keyClick(window.caseload, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.locked, timeout=10000)
    assert "lock.locked by=hand" in logged(log_file)

    type_text(window.lock_screen.pin, PIN)
    qtbot.keyClick(window.lock_screen.pin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.locked, timeout=10000)
    settle(qtbot)

    window.idle.set_interval_ms(50)
    qtbot.waitUntil(lambda: window.locked, timeout=10000)
    text = logged(log_file)
    assert "lock.locked by=idle" in text
    assert text.count("lock.locked") == 2
