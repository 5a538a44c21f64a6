"""A window opened the way `python3 -m asb_desktop` opens an up-to-date store (ui/launch.py,
issue 17): its caseload's first page is read on the driver as the store opens and is on screen
before the services are made. At that moment the search has the focus and keys work: words
typed and Return open the case they find. The page shown is the page the services read."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from asb_desktop.app import Services
from asb_desktop.services.casework import LabelledDocument
from asb_desktop.store.database import Store
from asb_desktop.store.keys import KeyProvider
from asb_desktop.support.synthetic import synthetic_cases
from asb_desktop.ui.late_services import LateServices
from asb_desktop.ui.launch import close_services, window_services
from asb_desktop.ui.main_window import MainWindow
from tests.ui.conftest import NOW
from tests.ui.driving import settle, type_text

UNIQUE = "Zoë Quixoteßon"


@pytest.fixture
def late_window(qtbot: QtBot, services: Services) -> Iterator[tuple[MainWindow, str]]:
    documents = synthetic_cases(30, seed=8)
    named = next(d for d in documents if not d["complainant"]["anonymous"])
    named["complainant"]["name"] = UNIQUE
    services.casework.import_documents(
        [LabelledDocument(f"r{i}", d) for i, d in enumerate(documents)]
    )
    data_dir = services.data_dir
    services.close()  # a second start: the store opened afresh, for the window
    store, first = Store.open_for_window(data_dir, KeyProvider(data_dir))
    late, first = window_services(store, first, None, actor="local:test", clock=lambda: NOW)
    assert isinstance(late, LateServices) and first is not None
    window = MainWindow(late, first)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    with qtbot.waitSignal(window.caseload.model.sig_loaded, timeout=30_000):
        window.show()
    yield window, named["id"]
    window.close()
    settle(qtbot)
    close_services(late, withdrawn=False)


def lines(window: MainWindow) -> list[Any]:
    return list(window.caseload.model.lines)


def test_keys_typed_as_the_first_page_shows_search_and_open_the_case(
    late_window: tuple[MainWindow, str], qtbot: QtBot
) -> None:
    window, case_id = late_window
    caseload = window.caseload
    assert len(caseload.model.lines) == 30
    assert caseload.search.hasFocus()  # where a start leaves it, as soon as the page shows
    assert caseload.table.currentIndex().row() == 0  # Enter has a case to open
    type_text(caseload.search, "zoe quixotesson")
    qtbot.keyClick(caseload.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _opened(window) == case_id, timeout=30_000)


def test_the_page_shown_is_the_page_the_services_read_and_the_count_follows(
    late_window: tuple[MainWindow, str], qtbot: QtBot
) -> None:
    window, _ = late_window
    shown = lines(window)
    with qtbot.waitSignal(window.sig_ready, timeout=30_000):
        pass  # the services made behind the page, and the start-up facts read through them
    qtbot.waitUntil(lambda: window.caseload.count.text() == "30 cases match", timeout=30_000)
    assert window.who.text().startswith("Signed in: ")
    assert window.caseload.search.hasFocus()  # the facts' arrival left the focus alone
    window.caseload.apply_filter()  # the same filter, read through the services
    qtbot.waitUntil(lambda: not window.caseload.model.first_page_pending, timeout=30_000)
    settle(qtbot)
    assert lines(window) == shown


def _opened(window: MainWindow) -> str | None:
    view = window.workspace.view
    if window.screens.currentWidget() is not window.workspace or view is None:
        return None
    return str(view.case.id)
