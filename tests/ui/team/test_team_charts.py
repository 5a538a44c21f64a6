"""The team view's charts are drawn off the GUI thread: while a drawing is held on its worker the
window still takes keys and its event loop turns; and a click on a drawn bar or point opens
exactly the cases behind it (found by the bar's colour in the image, and by the figure's own
transforms for a point), and Return there opens the case."""

from __future__ import annotations

import threading
from typing import Any

import numpy
import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from asb_desktop.app import Services
from asb_desktop.domain.team_figures import trend_months
from asb_desktop.ui.main_window import MainWindow
from asb_desktop.ui.team import charts
from asb_desktop.ui.team.case_list import CaseListDialog
from asb_desktop.ui.team.chart_colours import LIGHT_SERIES
from asb_desktop.ui.team.charts import ChartPanel
from tests.ui.conftest import NOW
from tests.ui.team.conftest import return_opens_the_first_case
from tests.ui.team.test_team_view import is_open, london_day, open_team_view, stored


def pixels(image: QImage) -> numpy.ndarray:
    """The image as rows of RGB (device pixels)."""
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    rows = numpy.frombuffer(bytes(image.constBits()), dtype=numpy.uint8)
    return rows.reshape(image.height(), image.bytesPerLine())[:, : image.width() * 3].reshape(
        image.height(), image.width(), 3
    )


def click(qtbot: QtBot, panel: ChartPanel, x: float, y: float) -> None:
    qtbot.mouseClick(panel, Qt.MouseButton.LeftButton, pos=QPoint(round(x), round(y)))


def test_the_window_keeps_turning_while_a_chart_is_drawn(
    qtbot: QtBot, team_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = open_team_view(qtbot, team_window)
    released = threading.Event()
    order: list[str] = []
    on_gui_thread: list[bool] = []
    drawing = charts.draw_chart

    def held_drawing(*args: Any, **kwargs: Any) -> Any:
        on_gui_thread.append(threading.current_thread() is threading.main_thread())
        order.append("drawing")
        released.wait(10)  # until the test has used the window meanwhile
        found = drawing(*args, **kwargs)
        order.append("drawn")
        return found

    monkeypatch.setattr(charts, "draw_chart", held_drawing)
    try:
        team.draw_charts()  # both charts asked again
        qtbot.waitUntil(lambda: "drawing" in order)
        QTimer.singleShot(0, lambda: order.append("turned"))
        qtbot.waitUntil(lambda: "turned" in order)
        # keys still work: Alt+E reaches the officers' table, the arrows move in it
        qtbot.keyClick(team_window, Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)
        table = team.officer_table
        assert QApplication.focusWidget() is table
        column = table.currentColumn()
        qtbot.keyClick(table, Qt.Key.Key_Right)
        assert table.currentColumn() == column + 1
        assert "drawn" not in order and not team.charts_drawn()
    finally:
        released.set()
    qtbot.waitUntil(team.charts_drawn, timeout=20_000)
    assert order.index("turned") < order.index("drawn")
    assert on_gui_thread and not any(on_gui_thread)


def test_a_click_on_a_bar_opens_its_cases_and_return_opens_one(
    qtbot: QtBot, team_window: MainWindow, team_services: Services
) -> None:
    team = open_team_view(qtbot, team_window)
    panel: ChartPanel = team.charts["officers"]
    assert panel.drawn is not None
    ratio = panel.drawn.image.devicePixelRatio()
    # the topmost pixels in "Open now"'s colour: the first officer's bar
    colour = QColor(LIGHT_SERIES[0])
    found = numpy.argwhere(
        (pixels(panel.drawn.image) == (colour.red(), colour.green(), colour.blue())).all(axis=2)
    )
    assert len(found)
    top = found[:, 0].min()
    row = found[found[:, 0] == top + 3][:, 1]  # a little inside the bar
    x, y = (row.min() + row.max()) / 2 / ratio, (top + 3) / ratio
    officer_name = team.officer_table.item(0, 0).text()
    click(qtbot, panel, x, y)
    qtbot.waitUntil(lambda: isinstance(team.dialog, CaseListDialog) and team.dialog.isVisible())
    dialog = team.dialog
    assert dialog.windowTitle() == f"Cases: Open now: {officer_name}"
    staff = {m.name: m.id for m in team_services.casework.directory().staff}[officer_name]
    expected = {
        d["id"] for d in stored(team_services) if d.get("assigned_to") == staff and is_open(d)
    }
    assert expected and set(dialog.case_ids()) == expected

    return_opens_the_first_case(qtbot, team_window, dialog)


def test_a_click_on_a_point_opens_its_months_cases_and_nothing_else_opens_any(
    qtbot: QtBot, team_window: MainWindow, team_services: Services
) -> None:
    team = open_team_view(qtbot, team_window)
    panel: ChartPanel = team.charts["months"]
    asked: list[str] = []
    panel.sig_figure.connect(lambda _where, words: asked.append(words))
    click(qtbot, panel, 2, 2)  # the corner: no figure there
    assert asked == []

    figure: Any = panel.figure
    line = figure.axes[0].get_lines()[0]  # new cases a month
    x, y = line.get_transform().transform(line.get_xydata()[3])
    ratio = panel.drawn.image.devicePixelRatio() if panel.drawn else 1.0
    click(qtbot, panel, x / ratio, (figure.bbox.height - y) / ratio)
    qtbot.waitUntil(lambda: isinstance(team.dialog, CaseListDialog) and team.dialog.isVisible())
    month = trend_months(NOW)[3]
    expected = {
        d["id"]
        for d in stored(team_services)
        if london_day(d["received_at"]).strftime("%Y-%m") == month
    }
    assert expected and set(team.dialog.case_ids()) == expected
    assert asked == [f"New cases in {team.month_table.item(3, 0).text()}"]
    qtbot.keyClick(team.dialog, Qt.Key.Key_Escape)
