"""The main window fits the screen it opens on (its available geometry, title bar and borders
included), can be resized, comes back where it was left (only onto a screen that still
exists), and at 1280x720 every screen scrolls rather than clips, the New report guide's
Back/Next/Save and the status bar always in view."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from PySide6.QtCore import QMargins, QPoint, QRect, QSize
from PySide6.QtWidgets import QPushButton, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from asb_desktop.app import Services
from asb_desktop.services.casework import LabelledDocument
from asb_desktop.ui.main_window import MainWindow
from asb_desktop.ui.window_geometry import (
    LARGEST,
    Placement,
    PlacementFile,
    fitted,
    kept_inside,
    smallest_on,
)
from tests.ui.conftest import NOW
from tests.ui.driving import settle
from tests.ui.intake.test_duplicates import earlier_report

LAPTOP = QRect(0, 0, 1366, 728)  # 1366x768 less a 40-pixel task bar
FRAME = QMargins(1, 20, 1, 5)  # openbox's title bar and borders
TITLE_BAR = FRAME.top() + FRAME.bottom()


def framed(client: QRect, margins: QMargins = FRAME) -> QRect:
    return client.marginsAdded(margins)


def test_a_new_window_takes_the_screen_frame_and_all_but_never_the_task_bar() -> None:
    client = fitted(LAPTOP, FRAME)
    assert framed(client) == LAPTOP
    big = QRect(0, 0, 2560, 1400)
    client = fitted(big, FRAME)
    assert client.size() == LARGEST and big.contains(framed(client))
    middle = big.marginsRemoved(FRAME).center() - client.center()
    assert abs(middle.x()) <= 1 and abs(middle.y()) <= 1, "centred"
    beside = QRect(1366, 0, 1280, 720)  # a second screen to the right
    assert framed(fitted(beside, FRAME)) == beside


def test_a_window_left_half_off_the_screen_comes_back_whole() -> None:
    off = QRect(900, 500, 1200, 700)
    back = kept_inside(off, LAPTOP, FRAME)
    assert LAPTOP.contains(framed(back))
    assert back.size() == QSize(1200, 700), "moved, not shrunk, when it fits"
    huge = kept_inside(QRect(0, 0, 3000, 2000), LAPTOP, FRAME)
    assert framed(huge) == LAPTOP
    small = QRect(0, 0, 700, 400)
    assert smallest_on(small, FRAME).height() == small.height() - TITLE_BAR


@pytest.fixture
def placed(qtbot: QtBot, services: Services) -> Iterator[MainWindow]:
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.place_on_screen()
    with qtbot.waitSignal(window.sig_ready, timeout=5000):
        window.show()
    settle(qtbot)
    yield window
    window.close()
    settle(qtbot)


def test_the_window_opens_on_its_screen_and_is_resizable(placed: MainWindow) -> None:
    available = placed.screen().availableGeometry()
    assert available.contains(placed.frameGeometry())
    assert placed.size() == fitted(available, placed.windowHandle().frameMargins()).size()
    assert placed.minimumSize().width() < placed.width() or placed.width() <= 800
    assert placed.maximumSize().width() > available.width(), "not fixed: it can be resized"
    status = placed.statusBar()
    assert placed.rect().contains(QRect(status.mapTo(placed, QPoint(0, 0)), status.size()))


def test_it_comes_back_where_it_was_left_but_only_onto_a_screen_still_there(
    qtbot: QtBot, services: Services
) -> None:
    first = MainWindow(services)
    qtbot.addWidget(first)
    first.place_on_screen()
    first.show()
    settle(qtbot)
    screen = first.screen().availableGeometry()
    smallest = first.minimumSize()
    left = QRect(screen.x() + 2, screen.y() + 30, smallest.width(), smallest.height() + 20)
    first.setGeometry(left)
    placements = PlacementFile(services.data_dir)

    def kept() -> bool:
        found = placements.load()
        return found is not None and found.rect == left

    qtbot.waitUntil(kept, timeout=5000)  # soon after the move, not only at close (a kill)
    first.close()
    settle(qtbot)
    saved = placements.load()
    assert saved is not None and saved.rect == left and saved.screen == first.screen().name()
    assert set((services.data_dir / "window.ini").read_text().split()) >= {"[window]"}

    again = MainWindow(services)
    qtbot.addWidget(again)
    again.place_on_screen()
    assert again.geometry() == left
    again.close()

    gone = Placement(screen="HDMI-2 (unplugged)", rect=QRect(3000, 40, 900, 600))
    PlacementFile(services.data_dir).save(gone)
    third = MainWindow(services)
    qtbot.addWidget(third)
    third.place_on_screen()
    assert third.geometry() == fitted(third.screen().availableGeometry(), QMargins())
    third.close()
    settle(qtbot)


def in_view(widget: QWidget, window: MainWindow) -> bool:
    """Drawn whole inside the window and not scrolled out of its scroll area."""
    if not widget.isVisible() or widget.visibleRegion().isEmpty():
        return False
    top_left = widget.mapTo(window, QPoint(0, 0))
    whole = QRect(top_left, widget.size())
    return window.rect().contains(whole) and widget.visibleRegion().boundingRect() == widget.rect()


def not_clipped(screen: QWidget, area: QScrollArea | None) -> None:
    assert area is not None, f"{type(screen).__name__} is not in a scroll area"
    hint = screen.minimumSizeHint()
    assert screen.height() >= hint.height() and screen.width() >= hint.width(), (
        f"{type(screen).__name__} squeezed below its smallest size: it would clip"
    )


@pytest.mark.parametrize("size", [QSize(1280, 720), QSize(1366, 768), QSize(1024, 600)])
def test_every_screen_scrolls_rather_than_clips(
    window: MainWindow, services: Services, qtbot: QtBot, size: QSize
) -> None:
    case_id = "99999999-9999-4999-8999-999999999999"
    report = earlier_report(case_id, NOW - timedelta(hours=2), name="Zoë Łukasiewicz")
    services.casework.import_documents([LabelledDocument("1", report)])
    window.resize(size.width(), size.height() - TITLE_BAR)  # the screen less the title bar
    settle(qtbot)
    status = window.statusBar()
    assert in_view(status, window), "the status bar is cut off"

    for key in ("caseload", "sync", "settings"):
        window.show_screen(key)
        settle(qtbot)
        screen = window.screens.currentWidget()
        assert screen is not None
        not_clipped(screen, window.screens.scroll_area(screen))

    window.open_case(case_id)
    settle(qtbot)
    not_clipped(window.workspace, window.screens.scroll_area(window.workspace))
    assert in_view(window.workspace.print_button, window)

    window.show_screen("new_report")
    settle(qtbot)
    wizard = window.new_report.wizard
    area = window.screens.scroll_area(window.new_report)
    not_clipped(window.new_report, area)
    assert area is not None
    for index in range(len(wizard.pages)):
        wizard.stack.setCurrentIndex(index)
        settle(qtbot)
        footer = [b for b in (wizard.back, wizard.next, wizard.save) if b.isVisible()]
        assert footer, f"page {index + 1} shows no Back, Next or Save"
        for button in footer:
            assert isinstance(button, QPushButton)
            assert in_view(button, window), f"page {index + 1}: {button.text()} is off-screen"
        assert area.verticalScrollBar().maximum() == 0, "the guide scrolls its own page"

    window.lock()
    settle(qtbot)
    lock = window.lock_screen
    not_clipped(lock, window.root.scroll_area(lock))
    assert in_view(lock.button, window)
