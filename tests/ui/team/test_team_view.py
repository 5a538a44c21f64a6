"""The team view in the real window, driven by keys (Ctrl+T, Alt+letters, arrows, Return) on a
real encrypted store seeded through the real services: its tables hold the same figures as a
plain count over the stored documents; a figure opens exactly the cases behind it, and Return
there opens the case; only a Team Leader or above has it; its charts are written as real PNG
and SVG files; and in high contrast their colours are the palette's own."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit
from pytestqt.qtbot import QtBot

from asb_desktop.app import Services
from asb_desktop.domain.calendar import LONDON
from asb_desktop.domain.team_figures import SECTIONS, trend_months
from asb_desktop.ui.main_window import MainWindow
from asb_desktop.ui.team.case_list import CaseListDialog
from asb_desktop.ui.team.chart_colours import contrast
from asb_desktop.ui.team.team_screen import TeamScreen
from tests.ui.conftest import NOW
from tests.ui.driving import settle, type_text
from tests.ui.team.conftest import open_window, return_opens_the_first_case

FIRST_DAY = date(2026, 4, 1)  # the default period: the financial year holding NOW, to NOW


def london_day(text: str) -> date:
    return datetime.fromisoformat(text).astimezone(LONDON).date()


def is_open(d: dict[str, Any]) -> bool:
    return d["status"]["state"] == "open"


def late(text: str | None) -> bool:
    return bool(text) and datetime.fromisoformat(text) < NOW  # type: ignore[arg-type]


def latest_level(d: dict[str, Any]) -> str | None:
    found = sorted(enumerate(d.get("risk_assessments") or []), key=lambda p: (p[1]["at"], p[0]))
    return found[-1][1]["level"] if found else None


def first_response_overdue(d: dict[str, Any]) -> bool:
    return is_open(d) and not d.get("first_response") and late(d["response_due_at"])


def update_overdue(d: dict[str, Any]) -> bool:
    return is_open(d) and late(d.get("next_update_due_at"))


def action_overdue(d: dict[str, Any]) -> bool:
    actions = (d.get("action_plan") or {}).get("actions") or []
    return is_open(d) and any(not a["done_at"] and late(a["due_at"]) for a in actions)


def stored(services: Services) -> list[dict[str, Any]]:
    return services.casework.documents()


def open_team_view(qtbot: QtBot, window: MainWindow) -> TeamScreen:
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(
        lambda: window.team is not None and window.team.figures is not None, timeout=10_000
    )
    team = window.team
    assert team is not None and window.screens.currentWidget() is team
    qtbot.waitUntil(team.charts_drawn, timeout=20_000)
    settle(qtbot)
    return team


def cells(table: Any) -> list[list[str]]:
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def test_the_tables_hold_the_same_figures_as_a_plain_count(
    qtbot: QtBot, team_window: MainWindow, team_services: Services
) -> None:
    team = open_team_view(qtbot, team_window)
    documents = stored(team_services)
    inside = [d for d in documents if FIRST_DAY <= london_day(d["received_at"]) <= NOW.date()]
    assert 50 < len(inside) < len(documents)  # the period leaves some cases out

    counts = {row[0]: int(row[1].replace(",", "")) for row in cells(team.count_tables["State"])}
    assert counts == {
        "Open": sum(is_open(d) for d in inside),
        "Closed": sum(not is_open(d) for d in inside),
    }
    severity = Counter(d["severity"] for d in inside)
    assert [int(r[1]) for r in cells(team.count_tables["Severity"])] == [
        severity["serious"],
        severity["general"],
    ]
    risk = Counter(latest_level(d) or "none" for d in inside)
    assert [int(r[1]) for r in cells(team.count_tables["Risk"])] == [
        risk["high"],
        risk["medium"],
        risk["standard"],
        risk["none"],
    ]
    nsir = Counter(d.get("nsir_category") or "unclassified" for d in inside)
    assert [int(r[1]) for r in cells(team.count_tables["NSIR category"])] == [
        nsir["personal"],
        nsir["nuisance"],
        nsir["environmental"],
        nsir["unclassified"],
    ]
    noise = sum("noise" in d.get("asb_types", []) for d in inside)
    kinds = {r[0]: int(r[1]) for r in cells(team.count_tables["Kind of ASB"])}
    assert kinds["Noise"] == noise > 0
    # built after the first frame, the count tables still take Tab in their order
    tables = [team.count_tables[section] for section in SECTIONS]
    tables[0].setFocus()
    for table in tables[:-1]:
        qtbot.waitUntil(lambda t=table: QApplication.focusWidget() is t)
        qtbot.keyClick(table, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is tables[-1])

    names = {m.id: m.name for m in team_services.casework.directory().staff}
    expected_rows = {}
    for officer in {d.get("assigned_to") for d in documents}:
        mine = [d for d in documents if d.get("assigned_to") == officer]
        open_mine = [d for d in mine if is_open(d)]
        expected_rows[names.get(officer, "Not assigned")] = [
            sum(1 for d in inside if d.get("assigned_to") == officer),
            len(open_mine),
            sum(map(first_response_overdue, mine)),
            sum(map(update_overdue, mine)),
            sum(map(action_overdue, mine)),
            sum(latest_level(d) == "high" for d in open_mine),
            sum(bool((d.get("case_review") or {}).get("eligible")) for d in open_mine),
        ]
    shown = {r[0]: [int(v.replace(",", "")) for v in r[1:]] for r in cells(team.officer_table)}
    assert shown == expected_rows
    assert sum(row[2] for row in shown.values()) > 0  # something is overdue to be shown

    months = trend_months(NOW)
    shown_months = cells(team.month_table)
    assert len(shown_months) == 12
    for month, row in zip(months, shown_months, strict=True):
        mine = [d for d in documents if london_day(d["received_at"]).strftime("%Y-%m") == month]
        assert int(row[1]) == len(mine)
        serious = [d for d in mine if d["severity"] == "serious"]
        met = sum(
            1
            for d in serious
            if d.get("first_response") and d["first_response"]["at"] <= d["response_due_at"]
        )
        due = sum(1 for d in serious if d.get("first_response") or late(d["response_due_at"]))
        assert row[2] == ("none due" if not due else f"{round(met * 100 / due)}% ({met} of {due})")


def test_a_figure_opens_exactly_the_cases_behind_it_and_return_opens_one(
    qtbot: QtBot, team_window: MainWindow, team_services: Services
) -> None:
    team = open_team_view(qtbot, team_window)
    qtbot.keyClick(team_window, Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)  # By offic&er
    table = team.officer_table
    assert QApplication.focusWidget() is table
    qtbot.keyClick(table, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    for _ in range(3):  # Officer, Received, Open now, First responses overdue
        qtbot.keyClick(table, Qt.Key.Key_Right)
    officer_name = table.item(0, 0).text()
    assert table.currentColumn() == 3
    count = int(table.currentItem().text())
    assert count > 0
    qtbot.keyClick(table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(team.dialog, CaseListDialog) and team.dialog.isVisible())
    dialog = team.dialog
    staff = {m.name: m.id for m in team_services.casework.directory().staff}[officer_name]
    expected = {
        d["id"]
        for d in stored(team_services)
        if d.get("assigned_to") == staff and first_response_overdue(d)
    }
    assert set(dialog.case_ids()) == expected and len(expected) == count
    assert f"{count} case" in dialog.summary.text()

    return_opens_the_first_case(qtbot, team_window, dialog)


def test_a_month_figure_and_an_overdue_line_open_their_cases(
    qtbot: QtBot, team_window: MainWindow, team_services: Services
) -> None:
    team = open_team_view(qtbot, team_window)
    qtbot.keyClick(team_window, Qt.Key.Key_H, Qt.KeyboardModifier.AltModifier)  # Each mont&h
    table = team.month_table
    assert QApplication.focusWidget() is table
    month = trend_months(NOW)[3]
    table.setCurrentCell(3, 1)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(team.dialog, CaseListDialog) and team.dialog.isVisible())
    expected = {
        d["id"]
        for d in stored(team_services)
        if london_day(d["received_at"]).strftime("%Y-%m") == month
    }
    assert expected and set(team.dialog.case_ids()) == expected
    qtbot.keyClick(team.dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is table)  # back where it came from

    qtbot.keyClick(team_window, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)  # &Overdue
    assert QApplication.focusWidget() is team.overdue
    words = team.overdue.currentItem().text()
    assert "overdue" in words and "working day" in words
    qtbot.keyClick(team.overdue, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: team.dialog.isVisible() and words.split(":")[0] in team.dialog.windowTitle()
    )
    staff = {m.name: m.id for m in team_services.casework.directory().staff}[words.split(":")[0]]
    overdue = {
        d["id"]
        for d in stored(team_services)
        if d.get("assigned_to") == staff
        and (first_response_overdue(d) or update_overdue(d) or action_overdue(d))
    }
    assert set(team.dialog.case_ids()) == overdue


def test_the_first_frame_shows_real_figures_before_the_rest_is_read(
    qtbot: QtBot, team_window: MainWindow, team_services: Services, monkeypatch: Any
) -> None:
    """The headline (cases by state, overdue work by officer) is painted while the other
    figures are still being read; its numbers are the plain count's, and its lines open their
    cases. The rest is held on its worker until the test has looked."""
    from asb_desktop.services.team_view import TeamView

    held = threading.Event()
    reading_the_rest = TeamView.figures

    def slow_figures(self: TeamView, *args: Any, **kwargs: Any) -> Any:
        held.wait(20)
        return reading_the_rest(self, *args, **kwargs)

    monkeypatch.setattr(TeamView, "figures", slow_figures)
    try:
        qtbot.keyClick(team_window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(
            lambda: team_window.team is not None and team_window.team.headline is not None
        )
        team = team_window.team
        assert team is not None and team.figures is None  # the rest not read yet
        documents = stored(team_services)
        inside = [d for d in documents if FIRST_DAY <= london_day(d["received_at"]) <= NOW.date()]
        states = {r[0]: int(r[1].replace(",", "")) for r in cells(team.count_tables["State"])}
        assert states == {
            "Open": sum(is_open(d) for d in inside),
            "Closed": sum(not is_open(d) for d in inside),
        }
        assert team.status.text().startswith(f"{len(inside)} cases received from 1 April 2026")
        assert cells(team.officer_table) == []  # filled with the rest
        assert list(team.count_tables) == ["State"]  # the other counts' tables built with it

        names = {m.id: m.name for m in team_services.casework.directory().staff}
        for line in team.headline.officers:
            mine = [d for d in documents if (d.get("assigned_to") or "") == line.officer]
            assert (
                line.first_responses_overdue,
                line.updates_overdue,
                line.actions_overdue,
            ) == (
                sum(map(first_response_overdue, mine)),
                sum(map(update_overdue, mine)),
                sum(map(action_overdue, mine)),
            ), names.get(line.officer)
        qtbot.keyClick(team_window, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)  # &Overdue
        words = team.overdue.currentItem().text()
        assert "overdue" in words and "working day" in words
        qtbot.keyClick(team.overdue, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: isinstance(team.dialog, CaseListDialog) and team.dialog.isVisible())
        staff = {name: id_ for id_, name in names.items()}[words.split(":")[0]]
        assert set(team.dialog.case_ids()) == {
            d["id"]
            for d in documents
            if d.get("assigned_to") == staff
            and (first_response_overdue(d) or update_overdue(d) or action_overdue(d))
        }
        qtbot.keyClick(team.dialog, Qt.Key.Key_Escape)
    finally:
        held.set()
    qtbot.waitUntil(lambda: team.figures is not None, timeout=10_000)
    assert cells(team.officer_table) and team.figures.now == team.headline.now
    qtbot.waitUntil(team.charts_drawn, timeout=20_000)
    settle(qtbot)


@pytest.mark.parametrize(("officer", "offered"), [("s-ha", False), ("s-hm", True), ("s-tl", True)])
def test_only_a_team_leader_or_above_has_the_team_view_or_its_key(
    qtbot: QtBot, team_services: Services, officer: str, offered: bool
) -> None:
    team_services.actions.set_officer(officer)
    window = open_window(qtbot, team_services)
    entries = [window.rail.item(r).text() for r in range(window.rail.count())]
    assert ("Team view" in entries) is offered
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    if offered:  # its charts drawn on workers, Matplotlib first imported there
        qtbot.waitUntil(
            lambda: window.team is not None and window.team.charts_drawn(), timeout=20_000
        )
    settle(qtbot)
    assert (window.team is not None) is offered
    if not offered:
        assert window.screens.currentWidget() is window.caseload
    window.close()


def export_by_keys(qtbot: QtBot, team: TeamScreen, letter: Qt.Key, path: Path) -> None:
    qtbot.keyClick(team.window(), letter, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: isinstance(team.dialog, QFileDialog) and team.dialog.isVisible())
    name = team.dialog.findChild(QLineEdit, "fileNameEdit")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is name)  # the file name is asked first
    name.selectAll()
    type_text(name, str(path))
    popup = name.completer().popup() if name.completer() else None
    if popup is not None and popup.isVisible():  # the folder's names offered: put away first
        qtbot.keyClick(popup, Qt.Key.Key_Escape)
    qtbot.keyClick(name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: path.exists())
    qtbot.waitUntil(lambda: QApplication.activeWindow() is team.window())  # back to the view


def test_each_chart_is_exported_as_a_real_png_and_svg(
    qtbot: QtBot, team_window: MainWindow, tmp_path: Path
) -> None:
    team = open_team_view(qtbot, team_window)
    (tmp_path / "out").mkdir()
    png, svg = tmp_path / "out" / "months.png", tmp_path / "out" / "officers.svg"
    export_by_keys(qtbot, team, Qt.Key.Key_M, png)
    export_by_keys(qtbot, team, Qt.Key.Key_C, svg)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    root = ElementTree.fromstring(svg.read_bytes())
    assert root.tag.endswith("svg")
    names = [t.text for t in root.iter() if t.tag.endswith("text")]
    assert "Hana Ali" in names  # the officers' names are text in the drawing, not outlines
    qtbot.waitUntil(lambda: "saved as" in team.status.text())
    assert sorted(p.name for p in png.parent.iterdir()) == ["months.png", "officers.svg"]


def test_in_high_contrast_the_charts_take_the_palettes_colours(
    qtbot: QtBot, team_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = open_team_view(qtbot, team_window)
    normal = team.charts["months"]
    for line in normal.figure.axes[0].get_lines():
        assert contrast(line.get_color(), "#ffffff") >= 4.5

    monkeypatch.setenv("ASB_DESKTOP_HIGH_CONTRAST", "1")
    palette = QPalette()
    for role in (QPalette.ColorRole.Base, QPalette.ColorRole.Window):
        palette.setColor(role, QColor("#000000"))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText):
        palette.setColor(role, QColor("#ffff00"))
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#00ffff"))
    team.setPalette(palette)
    team.draw_charts()
    qtbot.waitUntil(team.charts_drawn, timeout=20_000)
    for key in ("months", "officers"):
        figure = team.charts[key].figure
        assert QColor.fromRgbF(*figure.get_facecolor()).name() == "#000000"
        for axes in figure.axes:
            for label in axes.get_yticklabels() + axes.get_xticklabels():
                assert QColor(label.get_color()).name() == "#ffff00"
            for line in axes.get_lines():
                assert contrast(line.get_color(), "#000000") >= 7
                assert line.get_linewidth() >= 3
    bars = team.charts["officers"].figure.axes[0].patches
    assert {bar.get_hatch() for bar in bars} >= {"///"}  # told apart by more than colour


def test_the_first_screen_loads_no_charting_library() -> None:
    """Launch speed (issue 17): Matplotlib and numpy are imported when the team view is first
    opened, never by the window's modules."""
    code = (
        "import sys, asb_desktop.ui.main_window, asb_desktop.ui.team.team_screen;"
        "print(sorted(m for m in ('matplotlib', 'numpy') if m in sys.modules))"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "[]"
