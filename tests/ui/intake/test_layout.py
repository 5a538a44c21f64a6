"""The guide's pages at a laptop's size: each field sits at the top of its row with its label,
and spare height goes below the form, never into a gap around a text box."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from asb_desktop.ui.intake.pages_people import InvolvedPage
from asb_desktop.ui.main_window import MainWindow
from tests.ui.driving import settle
from tests.ui.reporting import start_report


def test_no_gaps_around_the_fields_on_any_page(window: MainWindow, qtbot: QtBot) -> None:
    wizard = start_report(window, qtbot)
    wizard.page(InvolvedPage).inputs["involved"].add_button.click()
    gaps = []
    for index, page in enumerate(wizard.pages):
        wizard.steps.setCurrentRow(index)
        settle(qtbot)
        for key, row in page.rows.items():
            if not row.isVisible():
                continue
            wanted = row.sizeHint().height()
            if row.field.y() != 0 or row.height() > wanted:
                gaps.append(f"{page.title}, {key}: row {row.height()} px for {wanted} px")
    assert gaps == []


def test_empty_lists_say_people_and_witnesses(window: MainWindow, qtbot: QtBot) -> None:
    from asb_desktop.ui.intake.pages_people import WitnessesPage

    wizard = start_report(window, qtbot)
    people = wizard.page(InvolvedPage).inputs["involved"]
    witnesses = wizard.page(WitnessesPage).inputs["witnesses"]
    assert people.empty.text().startswith("No people added yet.")
    assert witnesses.empty.text().startswith("No witnesses added yet.")
