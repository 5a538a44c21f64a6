"""The app's style reads on every palette: a hint or an error on a dark high-contrast palette
(yellow on black) takes the palette's own text colour, on a dark palette a light grey, and on
the light palette the style's own grey; in the real main window too."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from asb_desktop.ui.main_window import MainWindow
from asb_desktop.ui.style import HINT, STYLE, contrast, style_sheet


def palette_of(window: str, text: str) -> QPalette:
    palette = QPalette()
    for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base):
        palette.setColor(role, QColor(window))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text):
        palette.setColor(role, QColor(text))
    return palette


def shown_colour(qtbot: QtBot, sheet: str, palette: QPalette, role: str) -> str:
    holder = QWidget()
    qtbot.addWidget(holder)
    holder.setPalette(palette)
    holder.setStyleSheet(sheet)
    label = QLabel("A hint", holder)
    label.setProperty("role", role)
    QVBoxLayout(holder).addWidget(label)
    holder.show()
    label.ensurePolished()
    return label.palette().color(QPalette.ColorRole.WindowText).name()


@pytest.mark.parametrize("role", ["hint", "error"])
def test_hints_and_errors_read_on_every_palette(qtbot: QtBot, role: str) -> None:
    black_yellow = palette_of("#000000", "#ffff00")
    assert shown_colour(
        qtbot, style_sheet(black_yellow, high_contrast=True), black_yellow, role
    ) == ("#ffff00")
    dark = palette_of("#2d2d2d", "#f0f0f0")
    on_dark = shown_colour(qtbot, style_sheet(dark, high_contrast=False), dark, role)
    assert contrast(on_dark, "#2d2d2d") >= 4.5
    light = palette_of("#efefef", "#000000")
    on_light = shown_colour(qtbot, style_sheet(light, high_contrast=False), light, role)
    assert contrast(on_light, "#efefef") >= 4.5
    if role == "hint":
        assert on_light == HINT and shown_colour(qtbot, STYLE, light, role) == HINT


@pytest.fixture
def dark_high_contrast(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("ASB_DESKTOP_HIGH_CONTRAST", "1")
    before = qapp.palette()
    qapp.setPalette(palette_of("#000000", "#ffff00"))
    yield
    qapp.setPalette(before)


def test_in_the_window_every_hint_reads_on_a_dark_high_contrast_palette(
    dark_high_contrast: None, window: MainWindow
) -> None:
    """The palette comes first (the window's style is worked out from it as it is built)."""
    hints = [
        label
        for label in window.findChildren(QLabel)
        if label.property("role") in {"hint", "error"}
    ]
    assert hints
    for label in hints:
        label.ensurePolished()
        colour = label.palette().color(QPalette.ColorRole.WindowText).name()
        assert contrast(colour, "#000000") >= 7, (label.text(), colour)
