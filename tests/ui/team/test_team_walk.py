"""What the keyboard walk of the team view at 1366x768 found, each held by a test: the period's
"To" label was cut to "Tc"; the arrows moved a table's chosen cell off screen; every table showed
a chosen cell, so nothing said which one had the keys; and an export's result was said only at
the top of the screen, out of sight of the button that asked for it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QLabel, QScrollArea
from pytestqt.qtbot import QtBot

from asb_desktop.ui.main_window import MainWindow
from tests.ui.team.test_team_view import export_by_keys, open_team_view


def test_the_period_labels_are_wide_enough_for_their_letters(
    qtbot: QtBot, team_window: MainWindow
) -> None:
    team = open_team_view(qtbot, team_window)
    labels = {
        label.text(): label
        for label in team.findChildren(QLabel)
        if label.text() in {"&From", "&To"}
    }
    assert set(labels) == {"&From", "&To"}
    for text, label in labels.items():
        metrics = label.fontMetrics()
        letters = sum(metrics.horizontalAdvance(c) for c in text.replace("&", ""))
        assert label.width() >= letters, text


def in_sight(team: object, table: object) -> bool:
    holder = team.parentWidget()  # type: ignore[attr-defined]
    while not isinstance(holder, QScrollArea):
        holder = holder.parentWidget()
    cell = table.visualItemRect(table.currentItem())  # type: ignore[attr-defined]
    top_left = table.viewport().mapTo(holder.viewport(), cell.topLeft())  # type: ignore[attr-defined]
    return holder.viewport().rect().contains(QRect(top_left, cell.size()))


def test_the_arrows_keep_a_tables_chosen_cell_in_sight(
    qtbot: QtBot, team_window: MainWindow
) -> None:
    team = open_team_view(qtbot, team_window)
    qtbot.keyClick(team_window, Qt.Key.Key_H, Qt.KeyboardModifier.AltModifier)  # Each mont&h
    table = team.month_table
    assert QApplication.focusWidget() is table
    for _ in range(table.rowCount() - 1):
        qtbot.keyClick(table, Qt.Key.Key_Down)
    assert table.currentRow() == table.rowCount() - 1
    assert in_sight(team, table)
    for _ in range(table.rowCount() - 1):
        qtbot.keyClick(table, Qt.Key.Key_Up)
    assert table.currentRow() == 0 and in_sight(team, table)


def test_only_the_table_with_the_keys_shows_its_chosen_cell(
    qtbot: QtBot, team_window: MainWindow
) -> None:
    team = open_team_view(qtbot, team_window)
    officers, months = team.officer_table, team.month_table
    qtbot.keyClick(team_window, Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)  # By offic&er
    qtbot.keyClick(officers, Qt.Key.Key_Right)
    chosen = (officers.currentRow(), officers.currentColumn())
    assert officers.selectedItems() == [officers.currentItem()]
    assert months.selectedItems() == [] and all(
        t.selectedItems() == [] for t in team.count_tables.values()
    )
    qtbot.keyClick(team_window, Qt.Key.Key_H, Qt.KeyboardModifier.AltModifier)  # Each mont&h
    assert months.selectedItems() == [months.currentItem()] and officers.selectedItems() == []
    qtbot.keyClick(team_window, Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)  # back again
    assert (officers.currentRow(), officers.currentColumn()) == chosen
    assert officers.selectedItems() == [officers.currentItem()]


def test_an_exports_result_is_said_beside_its_button(
    qtbot: QtBot, team_window: MainWindow, tmp_path: Path
) -> None:
    team = open_team_view(qtbot, team_window)
    png = tmp_path / "months.png"
    export_by_keys(qtbot, team, Qt.Key.Key_M, png)
    note = team.export_notes["months"]
    qtbot.waitUntil(lambda: "saved as" in note.text())
    assert str(png) in note.text() and note.isVisible()
    button = team.month_export
    assert abs(note.mapTo(team, QPoint(0, 0)).y() - button.mapTo(team, QPoint(0, 0)).y()) < 40
    assert team.export_notes["officers"].text() == ""
