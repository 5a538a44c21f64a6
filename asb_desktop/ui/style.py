"""The look: a calm, high-contrast style. Meaning is always in words; colour only reinforces it."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette, QPixmap

from asb_desktop.support.resources import resource_path

HINT = "#44505c"  # grey on a light window: 7.5:1 on white
ERROR = "#8a1c1c"
DARK_HINT = "#c5ced8"  # the same grey's part on a dark window
DARK_ERROR = "#ff9e9e"

_TEMPLATE = """
QLabel[role="heading"] { font-size: 17pt; font-weight: 600; padding: 4px 0 6px 0; }
QLabel[role="subheading"] { font-weight: 600; padding-top: 8px; }
QLabel[role="hint"] { color: @hint; }
QLabel[role="error"] { color: @error; font-weight: 600; }
QLabel[role="notice"] { background: #fff4d6; color: #3d2e00; border: 1px solid #c9a227;
    border-radius: 4px; }
QLabel[role="info"] { background: #e8f1fa; color: #102a43; border: 1px solid #8fb3d9;
    border-radius: 4px; }
QListWidget#rail { background: #1f3b57; color: white; border: none; font-size: 11pt;
    outline: none; }
QListWidget#rail::item { padding: 10px 8px; }
QListWidget#rail::item:selected { background: #f0f4f8; color: #1f3b57; font-weight: 600; }
QListWidget#rail::item:focus { border: 2px solid #ffd166; }
QListWidget#steps::item { padding: 5px 4px; }
QPushButton { padding: 5px 12px; }
QGroupBox { font-weight: 600; margin-top: 10px; }
QGroupBox::title { subcontrol-origin: margin; left: 6px; padding: 0 3px; }
"""


def high_contrast_wanted() -> bool:
    """The platform asks for high contrast (Qt 6.10+), or ASB_DESKTOP_HIGH_CONTRAST=1 does where
    the platform cannot say (an X session)."""
    if os.environ.get("ASB_DESKTOP_HIGH_CONTRAST", "").lower() in {"1", "yes", "true", "on"}:
        return True
    hints = QGuiApplication.styleHints()
    try:
        preference = hints.accessibility().contrastPreference()
    except AttributeError:  # Qt before 6.10 cannot say
        return False
    return preference == Qt.ContrastPreference.HighContrast


def luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def contrast(one: str, other: str) -> float:
    """WCAG contrast ratio, 1 to 21."""
    a, b = sorted((luminance(QColor(one)), luminance(QColor(other))), reverse=True)
    return (a + 0.05) / (b + 0.05)


def style_sheet(palette: QPalette | None = None, high_contrast: bool | None = None) -> str:
    """The style for a window with this palette. Hints and errors keep their own colour only
    where it reads (4.5:1 at least) on the palette's window colour; in high contrast, and on a
    palette where neither grey reads, they take the palette's own text colour (the meaning is
    in their words, never in the colour)."""
    if high_contrast is None:
        high_contrast = high_contrast_wanted()
    window = palette.color(QPalette.ColorRole.Window).name() if palette is not None else "#ffffff"
    text = palette.color(QPalette.ColorRole.WindowText).name() if palette is not None else "#000"

    def readable(*choices: str) -> str:
        if high_contrast:
            return text
        return next((c for c in choices if contrast(c, window) >= 4.5), text)

    return _TEMPLATE.replace("@hint", readable(HINT, DARK_HINT)).replace(
        "@error", readable(ERROR, DARK_ERROR)
    )


STYLE = style_sheet(high_contrast=False)  # on the light palette; windows ask `style_sheet`


ICON_DARK = "#1f3b57"
ICON_LIGHT = "#f0f4f8"


def _pixmap(svg: str, colour: str) -> QPixmap:
    pixmap = QPixmap()
    pixmap.loadFromData(svg.replace(ICON_DARK, colour).encode(), "SVG")
    return pixmap


def icon(name: str) -> QIcon:
    """An SVG icon from resources/icons: light on the dark rail, dark when its item is chosen.
    Rendered from vector art, so it stays sharp at any scale factor, 4K included."""
    try:
        svg = resource_path("icons", f"{name}.svg").read_text(encoding="utf-8")
    except FileNotFoundError:
        return QIcon()
    result = QIcon()
    result.addPixmap(_pixmap(svg, ICON_LIGHT), QIcon.Mode.Normal)
    result.addPixmap(_pixmap(svg, ICON_DARK), QIcon.Mode.Selected)
    return result
