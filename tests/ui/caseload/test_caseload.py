"""The caseload as an officer uses it on a visit, through the real window and a real encrypted
store, by key events: rows say who, where and what happened last; a search typed without
accents finds the accented name and Enter opens it; the order is chosen from the keyboard; the
filter boxes and the columns fit the screen."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QComboBox, QStyle, QStyleOptionComboBox
from pytestqt.qtbot import QtBot

from asb_desktop.app import Services
from asb_desktop.domain.case import Complainant
from asb_desktop.domain.document import case_from_document
from asb_desktop.services.casework import LabelledDocument
from asb_desktop.store.cases import CaseFilter, SortKey
from asb_desktop.ui.caseload.caseload_model import column
from asb_desktop.ui.main_window import MainWindow
from tests.ui.conftest import NOW
from tests.ui.driving import settle, type_text

LUKASIEWICZ = "a1111111-1111-4111-8111-111111111111"
DVORAK = "a2222222-2222-4222-8222-222222222222"
NGUYEN = "a3333333-3333-4333-8333-333333333333"
ZOE = "a4444444-4444-4444-8444-444444444444"
PLAIN = "a5555555-5555-4555-8555-555555555555"
HIDDEN_NAME = "Hidden Person"


def report(
    case_id: str, days_ago: int, name: str | None, *, estate: str, scheme: str | None = None
) -> dict[str, Any]:
    received = NOW - timedelta(days=days_ago)
    complainant: dict[str, Any] = (
        {"anonymous": False, "name": name} if name else {"anonymous": True}
    )
    return {
        "format": "asb-case/1",
        "id": case_id,
        "received_at": received.isoformat(),
        "channel": "telephone",
        "source": {"kind": "direct"},
        "severity": "general",
        "estate": estate,
        "supported_scheme": scheme,
        "complainant": complainant,
        "incidents": [
            {
                "id": case_id[:-1] + "f",
                "occurred_at": (received - timedelta(hours=3)).isoformat(),
                "description": "Loud music until 3am",
            }
        ],
        "frequency": "Weekly",
    }


@pytest.fixture
def seeded(services: Services) -> dict[str, str]:
    """Five named cases, received a day apart (so listed soonest due first in this order), and
    one anonymous complainant who gave a name the store must never keep; ids by what they are."""
    lukasiewicz = report(
        LUKASIEWICZ, 6, "Józef Łukasiewicz", estate="EST-NORTH", scheme="SCH-WILLOW"
    )
    lukasiewicz["incidents"].append(
        {
            "id": LUKASIEWICZ[:-1] + "e",
            "occurred_at": (NOW - timedelta(days=6, hours=1)).isoformat(),
            "description": "Door kicked\nand letterbox   rattled at midnight",
        }
    )
    documents = [
        lukasiewicz,
        report(DVORAK, 5, "Antonín Dvořák", estate="EST-SOUTH"),
        report(NGUYEN, 4, "Nguyễn Thị Lan", estate="EST-RIVER"),
        report(ZOE, 3, "Zoë Adebayo", estate="EST-NORTH", scheme="SCH-OAK"),
        report(PLAIN, 2, "Anna Lukasiewicz", estate="EST-SOUTH"),
    ]
    services.casework.import_documents(
        [LabelledDocument(str(i), d) for i, d in enumerate(documents)]
    )
    anonymous = case_from_document(
        report("a6666666-6666-4666-8666-666666666666", 1, None, estate="EST-RIVER")
    )
    named = replace(anonymous, complainant=Complainant(anonymous=True, name=HIDDEN_NAME))
    services.casework.record(named)  # as the New report guide would, a name typed and all
    return {"anonymous": anonymous.id}


def cells(window: MainWindow, case_id: str) -> dict[str, str]:
    model = window.caseload.model
    (row,) = [r for r in range(model.rowCount()) if model.case_id(r) == case_id]
    headings = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    return {h: model.index(row, c).data() for c, h in enumerate(headings)}


def listed(window: MainWindow) -> list[str]:
    return [line.case_id for line in window.caseload.model.lines]


def current_case(window: MainWindow) -> str | None:
    index = window.caseload.table.currentIndex()
    return window.caseload.model.case_id(index.row()) if index.isValid() else None


def opened(window: MainWindow) -> str | None:
    view = window.workspace.view
    if window.screens.currentWidget() is not window.workspace or view is None:
        return None
    return view.case.id


def search_for(window: MainWindow, qtbot: QtBot, words: str) -> None:
    """Ctrl+F, type the words as keys; the list answers after the search's short pause."""
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    search = window.caseload.search
    assert search.hasFocus()
    qtbot.keyClick(search, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(search, Qt.Key.Key_Delete)
    type_text(search, words)
    qtbot.waitUntil(
        lambda: (
            window.caseload.model.where.search == words
            and not window.caseload.model.first_page_pending
        ),
        timeout=5000,
    )
    settle(qtbot)


def test_rows_say_who_where_and_what_happened_last(
    seeded: dict[str, str], window: MainWindow, qtbot: QtBot
) -> None:
    settle(qtbot)
    assert listed(window)[:5] == [LUKASIEWICZ, DVORAK, NGUYEN, ZOE, PLAIN]
    row = cells(window, LUKASIEWICZ)
    assert row["Complainant"] == "Józef Łukasiewicz"
    assert row["Place"] == "Willow Gardens", "the scheme by its name in the directory"
    assert row["Latest incident"] == "Door kicked and letterbox rattled at midnight"
    assert cells(window, DVORAK)["Place"] == "Southgate", "no scheme: the estate by name"
    assert cells(window, ZOE)["Place"] == "Oak Court"

    anonymous = cells(window, seeded["anonymous"])
    assert anonymous["Complainant"] == "Anonymous"
    assert not any(HIDDEN_NAME in text for text in anonymous.values())
    stored = window.services.casework.list_cases(CaseFilter(search="hidden"))
    assert stored == [], "the name an anonymous complainant gave is not kept, not even to search"


@pytest.mark.parametrize(
    ("typed", "case_id", "shown"),
    [
        ("lukasiewicz", LUKASIEWICZ, "Józef Łukasiewicz"),
        ("dvorak", DVORAK, "Antonín Dvořák"),
        ("nguyen", NGUYEN, "Nguyễn Thị Lan"),
        ("ZOE", ZOE, "Zoë Adebayo"),
    ],
)
def test_a_search_typed_without_accents_finds_the_accented_case_and_enter_opens_it(
    seeded: dict[str, str],
    window: MainWindow,
    qtbot: QtBot,
    typed: str,
    case_id: str,
    shown: str,
) -> None:
    settle(qtbot)
    search_for(window, qtbot, typed)
    expected = [LUKASIEWICZ, PLAIN] if case_id == LUKASIEWICZ else [case_id]
    assert listed(window) == expected
    assert cells(window, case_id)["Complainant"] == shown
    assert current_case(window) == case_id, "the first match is highlighted"
    assert window.caseload.search.hasFocus()
    qtbot.keyClick(window.caseload.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: opened(window) == case_id, timeout=5000)


def test_the_other_way_round_the_accented_spelling_finds_the_plain_one(
    seeded: dict[str, str], window: MainWindow, qtbot: QtBot
) -> None:
    settle(qtbot)
    search_for(window, qtbot, "Łukasiewicz")
    assert listed(window) == [LUKASIEWICZ, PLAIN]


def test_enter_pressed_before_the_search_answers_opens_its_first_match(
    seeded: dict[str, str], window: MainWindow, qtbot: QtBot
) -> None:
    settle(qtbot)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    type_text(window.caseload.search, "dvorak")
    qtbot.keyClick(window.caseload.search, Qt.Key.Key_Return)  # within the search's pause
    qtbot.waitUntil(lambda: opened(window) == DVORAK, timeout=5000)


def test_the_first_row_is_highlighted_when_the_list_loads_so_enter_opens_it(
    seeded: dict[str, str], window: MainWindow, qtbot: QtBot
) -> None:
    settle(qtbot)
    assert current_case(window) == LUKASIEWICZ
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.caseload.search, Qt.Key.Key_Down)
    table = window.caseload.table
    assert table.hasFocus(), "Down from the search goes to the list"
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert current_case(window) == DVORAK
    qtbot.keyClick(table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: opened(window) == DVORAK, timeout=5000)

    # Back on the list after a change to a case: the same case is still highlighted.
    qtbot.keyClick(window.workspace.back, Qt.Key.Key_Space)
    window.caseload.refresh()
    settle(qtbot)
    assert current_case(window) == DVORAK


def test_the_order_is_chosen_from_the_keyboard(
    seeded: dict[str, str], window: MainWindow, qtbot: QtBot
) -> None:
    settle(qtbot)
    caseload = window.caseload
    soonest_due_first = listed(window)
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    assert caseload.sort.hasFocus(), "Alt+T: Sort by"
    assert caseload.sort.currentText() == "Response due, soonest first"
    qtbot.keyClick(caseload.sort, Qt.Key.Key_Down)
    qtbot.keyClick(caseload.sort, Qt.Key.Key_Down)
    settle(qtbot)
    assert caseload.sort.currentText() == "Received, newest first"
    assert (caseload.model.where.sort, caseload.model.where.descending) == (SortKey.RECEIVED, True)
    assert listed(window)[:6] == [
        seeded["anonymous"],
        PLAIN,
        ZOE,
        NGUYEN,
        DVORAK,
        LUKASIEWICZ,
    ]
    header = caseload.table.horizontalHeader()
    assert header.sortIndicatorSection() == column("Received")
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert current_case(window) == seeded["anonymous"], "the new first row is highlighted"

    qtbot.keyClick(caseload.sort, Qt.Key.Key_Up)
    settle(qtbot)
    assert caseload.sort.currentText() == "Response due, latest first"
    assert sorted(listed(window)) == sorted(soonest_due_first)
    assert listed(window)[-1] == soonest_due_first[0] == LUKASIEWICZ


def _click_heading(qtbot: QtBot, window: MainWindow, heading: str) -> None:
    header = window.caseload.table.horizontalHeader()
    section = column(heading)
    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    settle(qtbot)


def test_a_click_on_a_heading_is_shown_in_sort_by_and_other_headings_do_not_sort(
    seeded: dict[str, str], window: MainWindow, qtbot: QtBot
) -> None:
    settle(qtbot)
    caseload = window.caseload
    _click_heading(qtbot, window, "Received")
    assert caseload.sort.currentText().startswith("Received, ")
    assert caseload.model.where.sort == SortKey.RECEIVED
    before = listed(window)
    _click_heading(qtbot, window, "Complainant")
    header = caseload.table.horizontalHeader()
    assert header.sortIndicatorSection() == column("Received")
    assert caseload.model.where.sort == SortKey.RECEIVED and listed(window) == before


def _edit_width(box: QComboBox) -> int:
    option = QStyleOptionComboBox()
    box.initStyleOption(option)
    rect = box.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, box
    )
    return rect.width()


@pytest.mark.parametrize("size", [(1366, 768), (1280, 720)], ids=["1366x768", "1280x720"])
def test_filter_boxes_show_their_longest_entries_and_the_columns_fit(
    seeded: dict[str, str], window: MainWindow, qtbot: QtBot, size: tuple[int, int]
) -> None:
    window.resize(*size)
    settle(qtbot)
    caseload = window.caseload
    qtbot.waitUntil(lambda: caseload.scheme.count() > 1, timeout=5000)
    assert "Willow Gardens" in [caseload.scheme.itemText(i) for i in range(caseload.scheme.count())]
    for box in (caseload.state, caseload.scheme, caseload.sort):
        room = _edit_width(box)
        for i in range(box.count()):
            text = box.itemText(i)
            assert box.fontMetrics().horizontalAdvance(text) <= room, (box.accessibleName(), text)
    table = caseload.table
    assert table.horizontalScrollBar().maximum() == 0, "every column in view, none scrolled off"
    assert table.columnWidth(column("Latest incident")) >= 150
