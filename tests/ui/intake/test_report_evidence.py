"""The New report guide's evidence, by keyboard, on a real SQLCipher store: on the review step the
officer adds the files the resident showed (Alt+F, typed in the file picker), which are attached
to the report's incident when it is saved, in the same transaction; a file that cannot be taken
is said in a sentence naming it and the rest of the report stays as typed; a file gone by the
time of saving stores nothing at all, and the report is still there to save."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QScrollArea
from pytestqt.qtbot import QtBot

from asb_desktop.app import Services
from asb_desktop.services.attachments import read_back
from asb_desktop.ui.intake.wizard import ReportWizard
from asb_desktop.ui.main_window import MainWindow
from tests.cli.test_attachments import MARKERS, photo_with_metadata
from tests.ui.conftest import NOW
from tests.ui.driving import settle
from tests.ui.intake.keys import alt, has_focus
from tests.ui.reporting import (
    anonymous_complainant,
    classify,
    frequency,
    how_direct,
    incident,
    no_targeting_or_witnesses,
    start_report,
    to_review,
)
from tests.ui.workspace.test_evidence_keys import attachment_rows, pick_in_file_dialog


def on_review(window: MainWindow, qtbot: QtBot) -> ReportWizard:
    wizard = start_report(window, qtbot)
    how_direct(wizard, qtbot)
    anonymous_complainant(wizard, qtbot)
    incident(wizard, qtbot, NOW - timedelta(hours=3), "Door kicked in the stairwell")
    frequency(wizard, qtbot)
    wizard.next.click()
    settle(qtbot)
    no_targeting_or_witnesses(wizard, qtbot)
    classify(wizard, qtbot, "general", "EST-NORTH")
    to_review(wizard, qtbot)
    assert has_focus(wizard.save), "the review step still arrives on Save"
    return wizard


def add_files(qtbot: QtBot, wizard: ReportWizard, *paths: Path) -> None:
    alt(qtbot, "f", until=lambda: isinstance(QApplication.activeWindow(), QFileDialog))
    pick_in_file_dialog(qtbot, *paths)
    settle(qtbot)


def listed(wizard: ReportWizard) -> list[str]:
    shown = wizard.review.evidence.list
    return [shown.item(i).text() for i in range(shown.count())]


def test_the_residents_photo_is_attached_to_the_reports_incident_on_save(
    window: MainWindow, services: Services, qtbot: QtBot, tmp_path: Path
) -> None:
    wizard = on_review(window, qtbot)
    assert listed(wizard) == ["None added."]
    photo = tmp_path / "kicked door.jpg"
    photo_with_metadata(photo, size=(800, 600))
    note = tmp_path / "diary.txt"
    note.write_text("Monday: banging again")
    add_files(qtbot, wizard, photo)
    add_files(qtbot, wizard, note)
    problem = wizard.review.evidence.problem
    assert problem.isVisible()
    assert f"{note} cannot be attached: its content is none of the kinds kept" in problem.text()
    assert listed(wizard) == ["kicked door.jpg: photo (JPEG), " + listed(wizard)[0].split(", ")[1]]
    assert wizard.values()["description"] == "Door kicked in the stairwell", "the rest stays"

    alt(qtbot, "s", until=lambda: wizard.stack.currentWidget() is wizard.done)
    settle(qtbot)
    case_id = wizard.done.case_id
    document = services.casework.document(case_id)
    assert document is not None
    (attachment,) = document["attachments"]
    assert attachment["name"] == "kicked door.jpg"
    assert attachment["incident_id"] == document["incidents"][0]["id"]
    assert attachment["scrubbed"] is True
    data = b"".join(read_back(services.casework, case_id, attachment["id"]))
    assert hashlib.sha256(data).hexdigest() == attachment["sha256"]
    assert not any(marker in data for marker in MARKERS)
    assert services.drafts.list() == [], "the draft is gone once saved"


def test_a_file_gone_by_saving_stores_nothing_and_the_report_stays(
    window: MainWindow, services: Services, qtbot: QtBot, tmp_path: Path
) -> None:
    wizard = on_review(window, qtbot)
    kept = tmp_path / "letter.pdf"
    kept.write_bytes(b"%PDF-1.4\n%%EOF\n")
    gone = tmp_path / "recording.wav"
    gone.write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 32)
    add_files(qtbot, wizard, kept)
    add_files(qtbot, wizard, gone)
    assert len(listed(wizard)) == 2
    cases_before = len(services.casework.documents())
    gone.unlink()

    alt(qtbot, "s", until=lambda: "Not saved" in wizard.saved_label.text())
    settle(qtbot)
    said = wizard.saved_label.text()
    assert f"{gone} could not be read (No such file or directory)" in said
    assert "the report was not saved, and is kept as a draft" in said
    assert wizard.stack.currentWidget() is not wizard.done
    assert len(services.casework.documents()) == cases_before
    assert attachment_rows(services) == 0
    assert wizard.values()["evidence_files"] == [str(kept), str(gone)]

    wizard.review.evidence.list.setCurrentRow(1)
    alt(qtbot, "m", until=lambda: len(listed(wizard)) == 1)
    alt(qtbot, "s", until=lambda: wizard.stack.currentWidget() is wizard.done)
    settle(qtbot)
    document = services.casework.document(wizard.done.case_id)
    assert document is not None
    assert [a["name"] for a in document["attachments"]] == ["letter.pdf"]
    assert attachment_rows(services) == 1


def test_the_evidence_section_fits_a_small_screen(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    """At 1024x600 the review step with files listed still needs no sideways scrolling."""
    wizard = on_review(window, qtbot)
    photo = tmp_path / "a photo with quite a long name from the resident's phone.jpg"
    photo_with_metadata(photo)
    add_files(qtbot, wizard, photo)
    window.resize(1024, 600)
    settle(qtbot)
    page = wizard.stack.currentWidget()
    assert isinstance(page, QScrollArea)
    assert page.horizontalScrollBar().maximum() == 0
    scrub = wizard.review.evidence.scrub
    assert scrub.visibleRegion().boundingRect().width() == scrub.width(), "the tick is whole"


def test_a_report_added_to_an_open_case_brings_its_files(
    window: MainWindow, services: Services, qtbot: QtBot, tmp_path: Path
) -> None:
    """Add to an open case as a new incident: the files join that case, on the new incident."""
    from asb_desktop.services.casework import LabelledDocument
    from tests.ui.intake.test_duplicates import NAME, earlier_report
    from tests.ui.reporting import complainant, go_on

    open_id = "11111111-1111-4111-8111-111111111111"
    services.casework.import_documents(
        [LabelledDocument("a", earlier_report(open_id, NOW - timedelta(days=20)))]
    )
    wizard = start_report(window, qtbot)
    how_direct(wizard, qtbot)
    complainant(wizard, qtbot, NAME)
    incident(wizard, qtbot, NOW - timedelta(hours=2), "Music again, and threats on the stairs")
    frequency(wizard, qtbot)
    go_on(wizard, qtbot, 5)
    no_targeting_or_witnesses(wizard, qtbot)
    classify(wizard, qtbot, "general", "EST-NORTH")
    to_review(wizard, qtbot)
    photo = tmp_path / "stairs.png"
    photo.write_bytes(_png())
    add_files(qtbot, wizard, photo)
    (button,) = wizard.review.duplicate_buttons
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: wizard.stack.currentWidget() is wizard.done, timeout=5000)
    settle(qtbot)
    assert services.casework.document(wizard.draft_id) is None, "no second case"
    stored = services.casework.document(open_id)
    assert stored is not None
    (attachment,) = stored["attachments"]
    assert attachment["name"] == "stairs.png"
    assert attachment["incident_id"] == stored["incidents"][-1]["id"]
    data = b"".join(read_back(services.casework, open_id, attachment["id"]))
    assert hashlib.sha256(data).hexdigest() == attachment["sha256"]


def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (60, 40), (10, 120, 200)).save(out, "PNG")
    return out.getvalue()


def test_files_dropped_on_the_review_step_are_listed(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    from PySide6.QtCore import QMimeData, QPoint, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent

    wizard = on_review(window, qtbot)
    recording, folder = tmp_path / "noise.ogg", tmp_path / "photos"
    recording.write_bytes(b"OggS" + b"\x00" * 60)
    folder.mkdir()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(recording)), QUrl.fromLocalFile(str(folder))])
    section = wizard.review.evidence
    args = (QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier)  # fmt: skip
    enter = QDragEnterEvent(*args)
    QApplication.sendEvent(section, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(section, QDropEvent(*args))
    settle(qtbot)
    assert listed(wizard) == ["noise.ogg: recording (OGG), 64 bytes"]
    assert f"{folder} is a folder, not a file" in section.problem.text()
    assert wizard.values()["evidence_files"] == [str(recording)]
