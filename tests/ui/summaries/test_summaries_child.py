"""Summaries of this list are made in a child process (ui/summaries/batch_process.py,
reports/batch_child.py): cancel stops it and leaves only whole files, a child that fails or dies
is said in a sentence, and nothing of a case is written anywhere but the destination."""

from __future__ import annotations

import os
import signal
import sys
import tempfile
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QObject, QProcess
from pytestqt.qtbot import QtBot

from asb_desktop.support.summaries_job import JobSettings, pack_job
from asb_desktop.ui.main_window import MainWindow
from asb_desktop.ui.summaries.batch_process import STOPPED_SENTENCE, SummariesProcess
from asb_desktop.ui.summaries.print_summary_dialog import failure_sentence
from tests.reports import report_builders as rb
from tests.ui.conftest import NOW
from tests.ui.summaries.test_summaries import CASES, seeded, start_batch, text_of

__all__ = ["seeded"]  # the fixture, used by name


def test_cancel_stops_the_child_after_the_case_in_hand(
    window: MainWindow, qtbot: QtBot, seeded: list[dict[str, object]], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    dialog = start_batch(window, qtbot, out, single=False)

    def officer_cancels(done: int, total: int) -> None:
        if done == 1:
            dialog.cancel_button.click()

    dialog.sig_progress.connect(officer_cancels)
    with qtbot.waitSignal(dialog.sig_finished, timeout=120_000) as finished:
        dialog.start_button.click()
    result = finished.args[0]
    assert result.cancelled and 1 <= result.done < CASES
    assert dialog.batch is not None
    assert dialog.batch.process.state() == QProcess.ProcessState.NotRunning
    assert sorted(out.iterdir()) == sorted(result.paths)  # whole files only, no temporary one
    for path in result.paths:
        assert len(PdfReader(path).pages) >= 1
    assert dialog.message.text().startswith("Cancelled. The ")


def test_a_child_stopped_mid_file_leaves_nothing_behind(
    window: MainWindow, qtbot: QtBot, seeded: list[dict[str, object]], tmp_path: Path
) -> None:
    """One file for all: it is being written from the first case on, under its temporary name;
    the child killed then (the window closing) leaves no file at all."""
    out = tmp_path / "out"
    out.mkdir()
    dialog = start_batch(window, qtbot, out, single=True)
    held: list[list[Path]] = []

    def window_closes(done: int, total: int) -> None:
        if done == 1 and not held and dialog.batch is not None:
            held.append(list(out.iterdir()))
            dialog.batch.kill()

    dialog.sig_progress.connect(window_closes)
    with qtbot.waitSignal(dialog.sig_finished, timeout=120_000) as finished:
        dialog.start_button.click()
    assert [p.suffix for p in held[0]] == [".part"]  # the file in the making was there
    result = finished.args[0]
    assert result.cancelled and result.paths == ()
    assert list(out.iterdir()) == []
    assert dialog.message.text() == "Cancelled. No file was saved."


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_child_that_dies_is_said_in_a_sentence(
    window: MainWindow, qtbot: QtBot, seeded: list[dict[str, object]], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    dialog = start_batch(window, qtbot, out, single=True)

    def dies(done: int, total: int) -> None:
        if done == 1 and dialog.batch is not None:
            os.kill(dialog.batch.process.processId(), signal.SIGKILL)

    dialog.sig_progress.connect(dies)
    with qtbot.waitSignal(dialog.sig_finished, timeout=120_000) as finished:
        dialog.start_button.click()
    assert finished.args[0] is None
    assert dialog.message.text() == "⚠ " + STOPPED_SENTENCE
    assert list(out.iterdir()) == []  # its temporary file removed
    assert dialog.cancel_button.text() == "&Close"


ONE_CASE = rb.case_document()


def _one_case_job(out_dir: Path, *, record: bool = False) -> tuple[JobSettings, bytes]:
    settings = JobSettings(
        profile="internal",
        produced_by="Test Officer",
        produced_at=NOW,
        out_dir=out_dir,
        single_file=None,
        record=record,
    )
    return settings, pack_job(settings, [(ONE_CASE, [])])


def test_a_failure_in_the_child_comes_back_as_a_sentence(qtbot: QtBot, tmp_path: Path) -> None:
    owner = QObject()
    batch = SummariesProcess(owner, sentence=failure_sentence)
    gone = tmp_path / "gone"  # removed after the dialog checked it, say
    with qtbot.waitSignal(batch.sig_failed, timeout=60_000) as failed:
        batch.start(lambda: ["1"], lambda ids: _one_case_job(gone))
    assert failed.args[0] == (
        "The summary could not be made: field out_dir: is not an existing folder."
    )
    assert batch.process.state() == QProcess.ProcessState.NotRunning


def test_a_disclosure_that_cannot_be_recorded_keeps_no_file(qtbot: QtBot, tmp_path: Path) -> None:
    asked: list[list[str]] = []

    def record(ids: list[str]) -> None:
        asked.append(ids)
        raise OSError(28, "No space left on device")

    owner = QObject()
    batch = SummariesProcess(owner, sentence=failure_sentence, record=record)
    with qtbot.waitSignal(batch.sig_failed, timeout=60_000) as failed:
        batch.start(lambda: ["1"], lambda ids: _one_case_job(tmp_path, record=True))
    assert asked == [[str(ONE_CASE["id"])]]
    assert failed.args[0] == failure_sentence(OSError(28, ""))
    assert list(tmp_path.iterdir()) == []  # written whole, then removed: never put in place


def test_nothing_of_a_case_is_written_outside_the_destination(
    window: MainWindow,
    qtbot: QtBot,
    seeded: list[dict[str, object]],
    tmp_path: Path,
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every temporary folder, the home folder and the working folder of both processes are one
    watched folder; after the batch no file there or in the data folder holds a complainant's
    name or phone number, and the destination holds only the finished summaries."""
    watched = tmp_path / "watched"
    watched.mkdir()
    for name in ("TMPDIR", "TMP", "TEMP", "HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(watched))
    monkeypatch.setattr(tempfile, "tempdir", str(watched))
    monkeypatch.chdir(watched)
    out = tmp_path / "out"
    out.mkdir()
    dialog = start_batch(window, qtbot, out, single=False)
    with qtbot.waitSignal(dialog.sig_finished, timeout=120_000) as finished:
        dialog.start_button.click()
    result = finished.args[0]
    assert not result.cancelled and result.done == CASES
    assert sorted(out.iterdir()) == sorted(result.paths)
    people = [d["complainant"] for d in seeded if not d["complainant"]["anonymous"]]  # type: ignore[index]
    markers = [str(p[key]) for p in people for key in ("name", "phone") if p.get(key)]
    assert markers
    printed = "\n".join(text_of(path) for path in result.paths)
    assert any(marker in printed for marker in markers)  # they are in the summaries themselves
    for folder in (watched, data_dir):
        for path in (p for p in folder.rglob("*") if p.is_file()):
            content = path.read_bytes()
            for marker in markers:
                for encoded in (marker.encode("utf-8"), marker.encode("utf-16-le")):
                    assert encoded not in content, f"{path.name} holds a person's details"
