"""The look: a calm, high-contrast style. Meaning is always in words; colour only reinforces it."""

from __future__ import annotations

from PySide6.QtGui import QIcon, QPixmap

from asb_desktop.support.resources import resource_path

STYLE = """
QLabel[role="heading"] { font-size: 17pt; font-weight: 600; padding: 4px 0 6px 0; }
QLabel[role="subheading"] { font-weight: 600; padding-top: 8px; }
QLabel[role="hint"] { color: #44505c; }
QLabel[role="error"] { color: #8a1c1c; font-weight: 600; }
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
