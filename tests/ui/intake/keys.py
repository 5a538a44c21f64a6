"""Driving the window with the keyboard only, as an officer does: every key goes to whatever
has the focus, so a test fails when the focus is not where the officer would expect it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QWidget
from pytestqt.qtbot import QtBot

from tests.ui.driving import settle, type_text

ALT = Qt.KeyboardModifier.AltModifier


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def has_focus(widget: QWidget) -> bool:
    """The widget, or the part of it that takes the keys (a date field's line), has focus."""
    focus = QApplication.focusWidget()
    return focus is not None and (focus is widget or widget.isAncestorOf(focus))


def press(
    qtbot: QtBot, key: Qt.Key | str, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    qtbot.keyClick(focused(), key, modifier)


def tab(qtbot: QtBot, times: int = 1) -> None:
    for _ in range(times):
        press(qtbot, Qt.Key.Key_Tab)


def back_tab(qtbot: QtBot, times: int = 1) -> None:
    for _ in range(times):
        press(qtbot, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)


def alt(qtbot: QtBot, letter: str, until: Callable[[], bool] | None = None) -> None:
    """Alt+letter; a button or tick box so reached is pressed a moment later (as Qt animates
    it), so say what to wait for. The wait ends as soon as `until` holds; its limit is long
    because what a button starts (a save, a letter written on a worker) can take seconds on a
    loaded machine: 3 s failed a letter's save with four suites at once on 2 cores."""
    press(qtbot, letter, ALT)
    if until is not None:
        qtbot.waitUntil(until, timeout=30_000)


def type_here(text: str) -> None:
    """Type into whatever has the focus, accents and all."""
    type_text(focused(), text)


def down_to(qtbot: QtBot, box: QComboBox, data: object) -> None:
    """Choose an option of the focused drop-down with the arrow keys."""
    assert has_focus(box), f"{box.accessibleName()} does not have the focus"
    assert box.findData(data) >= 0, f"{data!r} is not offered"
    if box.findData(data) < box.currentIndex():
        press(qtbot, Qt.Key.Key_Home)
    for _ in range(box.count()):
        if box.currentData() == data:
            return
        press(qtbot, Qt.Key.Key_Down)
    assert box.currentData() == data


def ret(qtbot: QtBot) -> None:
    press(qtbot, Qt.Key.Key_Return)
    settle(qtbot)
