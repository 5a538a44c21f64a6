"""Print summary from the workspace and "Summaries of this list" from the caseload, driven
through the real window over a real encrypted store; the PDFs are read back with pypdf."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from asb_desktop.app import Services
from asb_desktop.reports.view import may_share
from asb_desktop.services.casework import LabelledDocument
from asb_desktop.support.synthetic import synthetic_cases
from asb_desktop.ui.main_window import MainWindow
from asb_desktop.ui.summaries.print_summary_dialog import PrintSummaryDialog
from tests.ui.conftest import DIRECTORY
from tests.ui.driving import choose, settle, tick

CASES = 12
OFFICER_NAME = next(s["name"] for s in DIRECTORY["staff"] if s["id"] == "s-ha")


@pytest.fixture
def seeded(services: Services) -> list[dict[str, object]]:
    documents = synthetic_cases(CASES, seed=7)
    services.casework.import_documents(
        [LabelledDocument(str(i), d) for i, d in enumerate(documents)]
    )
    return documents


def text_of(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_print_summary_saves_a_third_party_pdf_without_the_complainant(
    window: MainWindow, qtbot: QtBot, seeded: list[dict[str, object]], tmp_path: Path
) -> None:
    document = next(
        d
        for d in seeded
        if not d["complainant"]["anonymous"] and not may_share(d)  # type: ignore[index]
    )
    case_id = str(document["id"])
    window.open_case(case_id)
    settle(qtbot)
    assert window.workspace.print_button.isEnabled()
    window.workspace.print_button.click()
    settle(qtbot)
    dialog = window.workspace.findChild(PrintSummaryDialog)
    assert dialog is not None and dialog.isVisible()
    assert Path(dialog.path.text()).name.endswith("-summary.pdf")  # reference, never a name
    tick(dialog.third_party)
    assert Path(dialog.path.text()).name.endswith("-summary-third-party.pdf")
    target = tmp_path / Path(dialog.path.text()).name
    dialog.path.setText(str(target))
    dialog.recipient.setText("PC Dawson")  # a third party is named (the disclosure log)
    with qtbot.waitSignal(dialog.sig_saved, timeout=60_000) as saved:
        dialog.save_button.click()
    assert target.is_file()
    reader = PdfReader(target)
    assert len(reader.pages) == saved.args[0].pages >= 1
    complainant = document["complainant"]
    assert isinstance(complainant, dict)
    text = text_of(target)
    assert "OFFICIAL-SENSITIVE" in text
    assert "Produced by " + OFFICER_NAME in text.replace("\n", " ")
    for withheld in (complainant["name"], complainant["phone"], complainant["email"]):
        assert str(withheld) not in text  # 5.6: no sharing ground, so not in the file
    assert "Saved" in dialog.message.text() and dialog.open_button.isVisible()
    # The internal summary of the same case does print them (so the check above can fail).
    tick(dialog.internal)
    internal = tmp_path / Path(dialog.path.text()).name
    assert internal.name.endswith("-summary.pdf")
    dialog.path.setText(str(internal))
    with qtbot.waitSignal(dialog.sig_saved, timeout=60_000):
        dialog.save_button.click()
    assert str(complainant["name"]) in text_of(internal)
    assert not list(tmp_path.glob(".*.part"))


def start_batch(  # type: ignore[no-untyped-def]
    window: MainWindow, qtbot: QtBot, folder: Path, *, single: bool, cases: int = CASES
):
    choose(window.caseload.state, None)  # all cases, open and closed
    settle(qtbot)
    assert window.caseload.total == cases
    dialog = window.caseload.print_list()
    tick(dialog.single if single else dialog.per_case)
    dialog.path.setText(str(folder / "all.pdf" if single else folder))
    return dialog


def test_summaries_of_this_list_one_file_and_one_per_case(
    window: MainWindow, qtbot: QtBot, seeded: list[dict[str, object]], tmp_path: Path
) -> None:
    dialog = start_batch(window, qtbot, tmp_path, single=True)
    with qtbot.waitSignal(dialog.sig_finished, timeout=120_000) as finished:
        dialog.start_button.click()
    result = finished.args[0]
    assert not result.cancelled and result.done == CASES
    pages = len(PdfReader(tmp_path / "all.pdf").pages)
    assert pages >= CASES
    assert dialog.bar.value() == CASES
    assert dialog.message.text() == f"Done: {CASES} summaries in 1 file."
    dialog.cancel_button.click()  # now "Close"
    assert not dialog.isVisible()

    # The filter decides which cases: only serious ones, one file each.
    window.caseload.serious.setChecked(True)
    settle(qtbot)
    serious = window.caseload.total
    folder = tmp_path / "each"
    folder.mkdir()
    dialog = window.caseload.print_list()
    tick(dialog.per_case)
    dialog.path.setText(str(folder))
    with qtbot.waitSignal(dialog.sig_finished, timeout=120_000) as finished:
        dialog.start_button.click()
    assert len(list(folder.glob("*.pdf"))) == serious == finished.args[0].done
    one = "1 summary in 1 file" if serious == 1 else f"{serious} summaries in {serious} files"
    assert dialog.message.text() == f"Done: {one}."
    for path in folder.glob("*.pdf"):
        assert len(PdfReader(path).pages) >= 1


class HeldAtFirstCase:
    """Stands in for `casework.history`, which the batch asks once per case on its worker: the
    first call from a worker waits until `release()`, so the batch is held at a known point (its
    first progress sent, its first case not yet done) whichever thread the machine favours."""

    def __init__(self, history: Callable[[str], Any]) -> None:
        self.history = history
        self.reached = threading.Event()
        self.released = threading.Event()
        self.held_too_long = False

    def __call__(self, case_id: str) -> Any:
        if threading.current_thread() is not threading.main_thread() and not self.reached.is_set():
            self.reached.set()
            self.held_too_long = not self.released.wait(60)  # never hang the run on a bug
        return self.history(case_id)

    def release(self) -> None:
        self.released.set()


def test_cancel_after_the_first_progress_leaves_no_file(
    window: MainWindow,
    qtbot: QtBot,
    seeded: list[dict[str, object]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    casework = window.services.casework
    held = HeldAtFirstCase(casework.history)
    monkeypatch.setattr(casework, "history", held)
    out = tmp_path / "out"
    out.mkdir()
    dialog = start_batch(window, qtbot, out, single=True)
    seen: list[tuple[int, int]] = []

    def officer_cancels(done: int, total: int) -> None:
        """On the GUI thread, as the first progress is shown: press Cancel, then let the batch
        go on. It cannot have finished a case before this, so it always sees the cancel."""
        seen.append((done, total))
        if len(seen) == 1:
            dialog.cancel_button.click()
            held.release()

    dialog.sig_progress.connect(officer_cancels)
    with qtbot.waitSignal(dialog.sig_finished, timeout=120_000) as finished:
        dialog.start_button.click()
    assert not held.held_too_long, "the batch was still held when it should have gone on"
    assert seen[0] == (0, CASES), "the first progress is shown before any case is done"
    result = finished.args[0]
    assert result.cancelled and result.paths == ()
    assert list(out.iterdir()) == []  # nothing, not even a temporary file
    assert dialog.message.text() == "Cancelled. No file was saved."
    assert dialog.cancel_button.text() == "&Close"
