"""Summaries of this list: every case the caseload's filter shows, one PDF or one per case.

The cases are read off the GUI thread through the one background helper and the PDFs are made
in a child process (batch_process.py), so the window keeps answering; progress comes back over
its pipe and Cancel asks it to stop after the case in hand. Each file is written under a
temporary name and renamed only when whole, so a cancel leaves nothing half-written behind.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from asb_desktop.app import Services
from asb_desktop.domain.errors import ProcedureError
from asb_desktop.domain.wording import counted
from asb_desktop.store.cases import CaseFilter
from asb_desktop.support.summaries_job import JobSettings, pack_job, plain_trail
from asb_desktop.ui.keyboard import focus_for_keys
from asb_desktop.ui.summaries.batch_process import BatchOutcome, SummariesProcess
from asb_desktop.ui.summaries.batch_turns import responsive_batch
from asb_desktop.ui.summaries.print_summary_dialog import (
    INTERNAL,
    PROFILE_HELP,
    THIRD_PARTY,
    default_folder,
    disclosure_recorder,
    failure_sentence,
    profile_choice,
    recipient_field,
    recipient_for,
)
from asb_desktop.ui.widgets import banner

PAGE = 1000


@dataclass(frozen=True)
class BatchRequest:
    where: CaseFilter
    profile: str
    single_file: Path | None
    out_dir: Path | None
    produced_at: datetime
    recipient: str | None = None  # whom they go to, recorded in each case's disclosure log


def filtered_ids(services: Services, where: CaseFilter) -> list[str]:
    """Every case id the filter matches, in the caseload's order."""
    work = services.casework
    ids: list[str] = []
    after = None
    while True:  # each page from where the last ended (keyset), never counting past the rows
        page = work.list_cases(where, after=after, limit=PAGE)
        ids.extend(row.id for row in page)
        if len(page) < PAGE:
            break
        after = page[-1].mark
    return ids


def batch_job(
    services: Services, request: BatchRequest, ids: Sequence[str], record: bool
) -> tuple[JobSettings, bytes]:
    """The child's job, read from the store on a worker: the settings, then each case with its
    audit trail, packed as it is read (batch_process.pack_job)."""
    work = services.casework
    presets = services.presets
    with responsive_batch():  # short turns: the window keeps answering (batch_turns.py)
        settings = JobSettings(
            profile=request.profile,
            produced_by=services.officer.display_name(),
            produced_at=request.produced_at,
            out_dir=request.out_dir,
            single_file=request.single_file,
            organisation=presets.organisation_name,
            logo=presets.organisation_logo,
            names=services.officer.names(),
            record=record,
        )
        documents = (work.document(case_id) for case_id in ids)
        cases = ((d, plain_trail(work.history(d["id"]))) for d in documents if d is not None)
        return settings, pack_job(settings, cases)


class SummariesDialog(QDialog):
    sig_progress = Signal(int, int)
    """Cases done, cases in all (on the GUI thread)."""
    sig_finished = Signal(object)
    """The batch ended (finished or cancelled); carries the BatchOutcome (None after a failure)."""

    def __init__(
        self, services: Services, where: CaseFilter, shown: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.where = where
        self.batch: SummariesProcess | None = None
        self.cancelling = False
        self.running = False
        self.outcome: BatchOutcome | None = None
        self.setWindowTitle("Summaries of this list")
        self.setMinimumWidth(660)
        layout = QVBoxLayout(self)
        noun = "case" if shown == 1 else "cases"
        heading = QLabel(f"Summaries of the {shown:,} {noun} in this list")
        heading.setProperty("role", "heading")
        layout.addWidget(heading)
        layout.addWidget(QLabel("Who are these summaries for?"))
        self.profiles, self.internal, self.third_party = profile_choice(self)
        layout.addWidget(self.internal)
        layout.addWidget(self.third_party)
        explain = QLabel(PROFILE_HELP)
        explain.setWordWrap(True)
        layout.addWidget(explain)
        recipient_label, self.recipient = recipient_field(self)
        layout.addWidget(recipient_label)
        layout.addWidget(self.recipient)
        self.single = QRadioButton("One P&DF with every case in it")
        self.per_case = QRadioButton("One PDF &per case, in a folder")
        self.single.setChecked(True)
        self.shapes = QButtonGroup(self)
        self.shapes.addButton(self.single)
        self.shapes.addButton(self.per_case)
        layout.addWidget(self.single)
        layout.addWidget(self.per_case)
        self.where_label = QLabel()
        layout.addWidget(self.where_label)
        row = QHBoxLayout()
        self.path = QLineEdit()
        self.path.setAccessibleName("Where to save")
        row.addWidget(self.path, 1)
        self.browse = QPushButton("C&hoose…")
        self.browse.clicked.connect(self.choose_path)
        row.addWidget(self.browse)
        layout.addLayout(row)
        self.bar = QProgressBar()
        self.bar.setAccessibleName("Progress")
        self.bar.setRange(0, max(shown, 1))
        self.bar.setValue(0)
        layout.addWidget(self.bar)
        self.message = banner(role="info")
        self.message.hide()
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.addStretch()
        self.start_button = QPushButton("&Make the summaries")
        self.start_button.setDefault(True)
        self.start_button.setEnabled(shown > 0)
        self.start_button.clicked.connect(self.start)
        self.cancel_button = QPushButton("&Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.cancel_button)
        layout.addLayout(buttons)
        self.single.toggled.connect(lambda _: self._suggest_path())
        self.third_party.toggled.connect(lambda _: self._suggest_path())
        self._suggest_path()

    def _suggest_path(self) -> None:
        current = self.path.text().strip()
        if self.single.isChecked():
            self.where_label.setText("Save the PDF as:")
            folder = Path(current).parent if current.lower().endswith(".pdf") else None
            folder = folder or (Path(current) if current else default_folder())
            suffix = "-third-party" if self.third_party.isChecked() else ""
            self.path.setText(str(folder / f"case-summaries{suffix}.pdf"))
        else:
            self.where_label.setText("Save the PDFs in the folder:")
            folder = Path(current).parent if current.lower().endswith(".pdf") else None
            self.path.setText(str(folder or Path(current or default_folder())))

    def choose_path(self) -> None:
        if self.single.isChecked():
            chosen, _ = QFileDialog.getSaveFileName(
                self, "Save the summaries as", self.path.text(), "PDF (*.pdf)"
            )
        else:
            chosen = QFileDialog.getExistingDirectory(
                self, "Save the summaries in", self.path.text()
            )
        if chosen:
            self.path.setText(chosen)

    def request(self) -> BatchRequest | None:
        text = self.path.text().strip()
        if not text:
            return None
        target = Path(text).expanduser()
        folder = target.parent if self.single.isChecked() else target
        if not folder.is_dir():
            self._say("⚠ That folder does not exist. Choose where to save with “Choose…”.")
            return None
        profile = THIRD_PARTY if self.third_party.isChecked() else INTERNAL
        try:
            recipient = recipient_for(profile, self.recipient.text())
        except ProcedureError as error:
            self._say(f"⚠ {error} It is recorded on each case (Recipient).")
            focus_for_keys(self.recipient)
            return None
        return BatchRequest(
            where=self.where,
            profile=profile,
            recipient=recipient,
            single_file=target if self.single.isChecked() else None,
            out_dir=None if self.single.isChecked() else target,
            produced_at=self.services.casework.clock(),
        )

    def start(self) -> None:
        request = self.request()
        if request is None or self.running:
            return
        self.running = True
        self.cancelling = False
        for widget in (
            self.start_button, self.browse, self.path, self.single, self.per_case, self.recipient
        ):  # fmt: skip
            widget.setEnabled(False)
        self.internal.setEnabled(False)
        self.third_party.setEnabled(False)
        self._say("Reading the cases…")
        services = self.services
        recorder = disclosure_recorder(services, request.recipient, request.profile)

        def record(ids: list[str]) -> None:  # the disclosure log, before a file is put in place
            recorder([{"id": case_id} for case_id in ids])

        batch = SummariesProcess(
            self, sentence=failure_sentence, record=record if recorder is not None else None
        )
        batch.sig_progress.connect(self._progress)
        batch.sig_finished.connect(self._finished)
        batch.sig_failed.connect(self._failed)
        self.batch = batch
        batch.start(
            lambda: filtered_ids(services, request.where),
            lambda ids: batch_job(services, request, ids, recorder is not None),
        )

    def _progress(self, done: int, total: int) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        if not self.cancelling:
            self._say(f"Made {done:,} of {total:,} summaries…")
        self.sig_progress.emit(done, total)

    def cancel(self) -> None:
        """While running: stop after the case in hand (nothing half-written stays). Otherwise
        close."""
        if self.running:
            self.cancelling = True
            if self.batch is not None:
                self.batch.cancel()
            self.cancel_button.setEnabled(False)
            self._say("Stopping after the case in hand…")
        else:
            self.reject()

    def reject(self) -> None:
        """Esc, the close button or the idle lock: a running batch is cancelled, then hidden."""
        if self.running:
            self.cancel()
        super().reject()

    def _finished(self, result: BatchOutcome) -> None:
        self.running = False
        self.outcome = result
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText("&Close")
        if result.cancelled:
            if not result.paths:
                self._say("Cancelled. No file was saved.")
            else:
                made = counted(result.done, "summary", "summaries")
                verb = "was" if result.done == 1 else "were"
                files = counted(len(result.paths), "file")
                self._say(f"Cancelled. The {made} made before it {verb} kept, in {files}.")
        else:
            files = counted(len(result.paths), "file")
            failed = len(result.failures)
            could_not = f" {counted(failed, 'case')} could not be printed." if failed else ""
            self._say(
                f"Done: {counted(result.done, 'summary', 'summaries')} in {files}.{could_not}"
            )
        self.sig_finished.emit(result)

    def _failed(self, sentence: str) -> None:
        self.running = False
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText("&Close")
        self._say("⚠ " + sentence)
        self.sig_finished.emit(None)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
        self.adjustSize()  # room for the sentence, never clipped
