"""Driving real widgets as an officer would: typing any character, ticking, choosing, waiting
for the background work to land back on the GUI thread."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QRadioButton, QWidget
from pytestqt.qtbot import QtBot

from asb_desktop.ui.operations import pending_operations, wait_for_operations


def type_text(widget: QWidget, text: str) -> None:
    """Type any text, accents and all: QTest's keyClicks takes ASCII only, so each character is
    sent as a real key press and release carrying that character."""
    widget.setFocus()
    for char in text:
        key = Qt.Key.Key_Return if char == "\n" else Qt.Key.Key_unknown
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, char)
            QApplication.sendEvent(widget, event)


def settle(qtbot: QtBot, timeout_ms: int = 5000) -> None:
    """Let background tasks finish and their results reach the widgets. The time limit is the
    clock's, not a count of the short waits: a job stuck on a worker must fail the test within
    `timeout_ms`, not after a thousand waits of `timeout_ms` each."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        left_ms = max(1, int((deadline - time.monotonic()) * 1000))
        wait_for_operations(left_ms)
        qtbot.wait(5)
        if pending_operations() == 0:
            qtbot.wait(5)
            if pending_operations() == 0:
                return
        assert time.monotonic() < deadline, "background work did not finish"


def tick(box: QCheckBox | QRadioButton, on: bool = True) -> None:
    box.setFocus()
    if box.isChecked() != on:
        box.click()


def choose(box: QComboBox, data: object) -> None:
    index = box.findData(data)
    assert index >= 0, f"{data!r} is not offered"
    box.setFocus()
    box.setCurrentIndex(index)
