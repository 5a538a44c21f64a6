"""Where the main window goes: onto the screen it opens on, its frame (title bar and borders)
inside that screen's available geometry (the task bar left out), and next time where the officer
left it, but only onto a screen that still exists.

The window's place is kept in `window.ini` in the data folder (QSettings, INI): a screen's name
and a rectangle, never anything about a case. The frame's size is known only once the window
manager has framed the window, so the window is fitted again, once, when it is first activated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QMargins, QRect, QSettings, QSize
from PySide6.QtGui import QGuiApplication, QScreen

WINDOW_FILE = "window.ini"
LARGEST = QSize(1600, 1000)
"""A new window on a big screen is this large at most, centred; on a laptop it takes it all."""
SMALLEST = QSize(800, 520)
"""The window may be made this small (on a smaller screen, the screen): every screen scrolls."""


def fitted(available: QRect, margins: QMargins, largest: QSize = LARGEST) -> QRect:
    """The client rectangle of a new window whose frame fits inside `available`: all of it,
    up to `largest`, centred."""
    room = available.marginsRemoved(margins)
    width, height = min(room.width(), largest.width()), min(room.height(), largest.height())
    left = room.x() + (room.width() - width) // 2
    top = room.y() + (room.height() - height) // 2
    return QRect(left, top, width, height)


def kept_inside(client: QRect, available: QRect, margins: QMargins) -> QRect:
    """`client` shrunk and moved as little as needed for its frame to lie inside `available`."""
    room = available.marginsRemoved(margins)
    width, height = min(client.width(), room.width()), min(client.height(), room.height())
    left = min(max(client.x(), room.x()), room.right() + 1 - width)
    top = min(max(client.y(), room.y()), room.bottom() + 1 - height)
    return QRect(left, top, width, height)


def smallest_on(available: QRect, margins: QMargins) -> QSize:
    room = available.marginsRemoved(margins)
    return QSize(min(SMALLEST.width(), room.width()), min(SMALLEST.height(), room.height()))


@dataclass(frozen=True)
class Placement:
    """Where the window was: on which screen (by name), its client rectangle, maximised or
    not, and the frame margins the window manager gave it."""

    screen: str
    rect: QRect
    maximized: bool = False
    margins: QMargins = field(default_factory=QMargins)


def screen_named(name: str) -> QScreen | None:
    return next((s for s in QGuiApplication.screens() if s.name() == name), None)


class PlacementFile:
    """`window.ini` in the data folder."""

    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / WINDOW_FILE

    def _settings(self) -> QSettings:
        return QSettings(str(self.path), QSettings.Format.IniFormat)

    def load(self) -> Placement | None:
        if not self.path.is_file():
            return None
        stored = self._settings()
        screen, rect = stored.value("window/screen"), stored.value("window/rect")
        if not isinstance(screen, str) or not isinstance(rect, QRect) or rect.isEmpty():
            return None
        margins = stored.value("window/margins")
        return Placement(
            screen=screen,
            rect=rect,
            maximized=str(stored.value("window/maximized", "false")).lower() == "true",
            margins=margins if isinstance(margins, QMargins) else QMargins(),
        )

    def save(self, placement: Placement) -> None:
        stored = self._settings()
        stored.setValue("window/screen", placement.screen)
        stored.setValue("window/rect", placement.rect)
        stored.setValue("window/maximized", placement.maximized)
        stored.setValue("window/margins", placement.margins)
        stored.sync()
