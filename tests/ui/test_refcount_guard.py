"""The guard against PySide6 6.12.0 giving back references to None it never took (CPython 3.11):
without it, a long session of Qt calls aborts Python ("none_dealloc")."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from asb_desktop.ui import refcount_guard


@pytest.mark.skipif(not refcount_guard.NEEDED, reason="None is immortal from Python 3.12")
def test_none_keeps_a_safe_count_through_many_qt_calls(qtbot: QtBot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setText("x")  # returns nothing: each call gives back a reference to None
    lost = before - sys.getrefcount(None)
    # When this fails, PySide6 no longer loses references: remove refcount_guard.
    assert lost >= 1900
    refcount_guard.install()
    for _ in range(20_000):
        label.setText("x")
    refcount_guard.top_up()
    for constant in (None, True, False):
        assert sys.getrefcount(constant) > refcount_guard.LOW_WATER
