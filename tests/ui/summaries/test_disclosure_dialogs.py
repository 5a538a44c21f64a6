"""The disclosure log in the window: Print summary asks whom a third-party summary is for
(Alt+R), records it on the case once the file is saved, and the workspace lists it (tab 5);
"Summaries of this list" records it on each case printed. Keys only, over a real store."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from asb_desktop.app import Services
from asb_desktop.services.casework import LabelledDocument
from asb_desktop.support.synthetic import synthetic_cases
from asb_desktop.ui.main_window import MainWindow
from asb_desktop.ui.summaries.print_summary_dialog import PrintSummaryDialog
from tests.ui.driving import choose, settle, tick, type_text
from tests.ui.intake.keys import alt, has_focus, tab, type_here


@pytest.fixture
def case_ids(services: Services) -> list[str]:
    documents = synthetic_cases(3, seed=9)
    services.casework.import_documents(
        [LabelledDocument(str(i), d) for i, d in enumerate(documents)]
    )
    return [str(d["id"]) for d in documents]


def _disclosures(services: Services, case_id: str) -> list[dict]:
    document = services.casework.document(case_id)
    assert document is not None
    return list(document["disclosures"])


def test_a_third_party_summary_names_its_recipient_and_the_case_lists_it(
    window: MainWindow, services: Services, qtbot: QtBot, case_ids: list[str], tmp_path: Path
) -> None:
    window.open_case(case_ids[0])
    settle(qtbot)
    window.workspace.print_button.click()
    settle(qtbot)
    dialog = window.workspace.findChild(PrintSummaryDialog)
    assert dialog is not None
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=30_000)
    alt(qtbot, "t", until=dialog.third_party.isChecked)  # "&Third party"
    dialog.path.setText(str(tmp_path / "shared.pdf"))
    alt(qtbot, "s", until=lambda: "whom it is for" in dialog.message.text())  # no recipient
    assert has_focus(dialog.recipient)
    assert not (tmp_path / "shared.pdf").exists()
    assert _disclosures(services, case_ids[0]) == []

    tab(qtbot)  # on to the file field, then back by its letter
    assert has_focus(dialog.path)
    alt(qtbot, "r", until=lambda: has_focus(dialog.recipient))
    type_here("PC Dawson, Northfields police")
    with qtbot.waitSignal(dialog.sig_saved, timeout=60_000):
        alt(qtbot, "s")
    settle(qtbot)
    assert (tmp_path / "shared.pdf").is_file()
    assert "Recorded on the case as given to PC Dawson" in dialog.message.text()
    [entry] = _disclosures(services, case_ids[0])
    assert (entry["to"], entry["profile"], entry["what"]) == (
        "PC Dawson, Northfields police", "third_party", "summary_pdf",
    )  # fmt: skip

    # The workspace took the change: tab 5 lists the disclosure above the audit history.
    workspace = window.workspace
    lines = [workspace.disclosures.item(i).text() for i in range(workspace.disclosures.count())]
    assert len(lines) == 1 and "to PC Dawson, Northfields police" in lines[0]
    assert "case summary (PDF), third-party profile" in lines[0]

    # An internal summary kept in the team records nothing.
    tick(dialog.internal)
    dialog.recipient.clear()
    dialog.path.setText(str(tmp_path / "internal.pdf"))
    with qtbot.waitSignal(dialog.sig_saved, timeout=60_000):
        alt(qtbot, "s")
    settle(qtbot)
    assert len(_disclosures(services, case_ids[0])) == 1


def test_summaries_of_this_list_record_each_case_printed(
    window: MainWindow, services: Services, qtbot: QtBot, case_ids: list[str], tmp_path: Path
) -> None:
    choose(window.caseload.state, None)  # all cases, open and closed
    settle(qtbot)
    assert window.caseload.total == len(case_ids)
    dialog = window.caseload.print_list()
    tick(dialog.third_party)
    tick(dialog.per_case)
    dialog.path.setText(str(tmp_path))
    dialog.start_button.click()
    settle(qtbot)
    assert "whom it is for" in dialog.message.text() and not list(tmp_path.glob("*.pdf"))
    type_text(dialog.recipient, "Magistrates' court bundle")
    with qtbot.waitSignal(dialog.sig_finished, timeout=120_000) as finished:
        dialog.start_button.click()
    assert finished.args[0].done == len(case_ids)
    assert len(list(tmp_path.glob("*.pdf"))) == len(case_ids)
    for case_id in case_ids:
        [entry] = _disclosures(services, case_id)
        assert entry["to"] == "Magistrates' court bundle"
