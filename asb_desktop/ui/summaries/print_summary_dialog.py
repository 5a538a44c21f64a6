"""Print summary: one case printed through the system's print dialog, or saved as a PDF the
officer can then open in the system's viewer.

The officer chooses who the summary is for (internal, or a third party under 5.6), then Print
(Qt's print dialog: printer, copies, pages, two-sided; the PDF ReportLab made is handed to that
printer, see reports/printing.py) or Save. Reading the case, writing the file and sending it run
off the GUI thread, and the PDF is drawn in a child process started as the dialog opens
(reports/summary_child.py): drawn on a worker here, it held the interpreter lock and stalled the
window. The file name offered is the case reference only, never a person's name.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QStandardPaths, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from asb_desktop.app import Services
from asb_desktop.domain.errors import InputError
from asb_desktop.ui.changes import Changed
from asb_desktop.ui.keyboard import focus_for_keys
from asb_desktop.ui.operations import Operation
from asb_desktop.ui.widgets import banner
from asb_desktop.ui.words import case_label

if TYPE_CHECKING:  # ReportLab and Qt's printing are loaded on first print, not at start-up
    from PySide6.QtPrintSupport import QPrinter

    from asb_desktop.reports import SummaryResult
    from asb_desktop.reports.printing import PrintJob
    from asb_desktop.reports.summary_child import SummaryMaker

INTERNAL, THIRD_PARTY = "internal", "third_party"  # asb_desktop.reports.Profile values

PROFILE_HELP = (
    "A third-party summary (procedure 5.6) leaves out the complainant's identity, contact "
    "details, address and impact statements unless they agreed to sharing or a sharing "
    "protocol applies."
)


# A disclosure changes the case, not from the workspace's own actions: said as a change of cases
# so the open workspace (and the caseload) read it again.
RECORDED = Changed(cases=True)
RECIPIENT_HELP = (
    "Whom it goes to (a person, their role and organisation): recorded in the case's "
    "disclosure log. Needed for a third party; for an internal summary only when it leaves "
    "the team."
)


def recipient_field(parent: QWidget) -> tuple[QLabel, QLineEdit]:
    """ "Recipient" (Alt+R): whom a summary is given to, for the case's disclosure log."""
    label = QLabel("&Recipient (whom it is for):", parent)
    field = QLineEdit(parent)
    field.setAccessibleName("Recipient")
    field.setAccessibleDescription(RECIPIENT_HELP)
    field.setPlaceholderText("for example PC Dawson, Northfields police")
    field.setToolTip(RECIPIENT_HELP)
    label.setBuddy(field)
    return label, field


def recipient_for(profile: str, typed: str) -> str | None:
    """The recipient to record (None: an internal summary kept in the team); ProcedureError in
    a sentence when a third-party summary has none."""
    from asb_desktop.services.disclosures import check_recipient

    if profile == THIRD_PARTY or typed.strip():
        return check_recipient(typed)
    return None


def disclosure_recorder(services: Services, recipient: str | None, profile: str) -> Any:
    """`on_written` for the report writers: records the cases printed as given to `recipient`."""
    if recipient is None:
        return None
    from asb_desktop.domain.disclosure import DisclosureWhat
    from asb_desktop.services.disclosures import record_disclosures

    def record(documents: Any) -> None:
        record_disclosures(
            services.casework,
            [d["id"] for d in documents],
            to=recipient,
            profile=profile,
            what=DisclosureWhat.SUMMARY_PDF,
        )

    return record


def profile_choice(parent: QWidget) -> tuple[QButtonGroup, QRadioButton, QRadioButton]:
    """The two radio buttons "who is this for", internal chosen."""
    internal = QRadioButton("&Internal: everything recorded (case review, our own files)", parent)
    third = QRadioButton("&Third party: Police, council, court bundle", parent)
    internal.setChecked(True)
    group = QButtonGroup(parent)
    group.addButton(internal)
    group.addButton(third)
    return group, internal, third


def photos_for(work: Any, case_id: str, wanted: bool) -> Any:
    """The case's photos for thumbnails when asked for (read in the worker, never here)."""
    if not wanted:
        return None
    from asb_desktop.services.summary_photos import photo_bytes

    return photo_bytes(work, case_id)


def summary_options(
    services: Services, document: dict[str, Any], profile: str, branding: Any, thumbnails: bool
) -> dict[str, Any]:
    """What the summary of `document` is made with, read from the store on the worker, in
    plain values a child process can be handed (reports/summary_child.py)."""
    from asb_desktop.reports.summary_child import photos_read_ahead
    from asb_desktop.support.summaries_job import plain_trail

    work = services.casework
    return {
        "photos": photos_read_ahead(document, photos_for(work, document["id"], thumbnails)),
        "profile": profile,
        "produced_by": services.officer.display_name(),
        "produced_at": work.clock(),
        "audit_trail": plain_trail(work.history(document["id"])),
        "branding": branding,
        "names": services.officer.names(),
    }


def _made_here() -> Any:
    """No child asked for yet (the case is still being read): made in this process."""
    from asb_desktop.reports import build_case_summary

    return build_case_summary


def default_folder() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(found) if found else Path.home()
    return folder if folder.is_dir() else Path.home()


def no_viewer_sentence(path: Path) -> str:
    return (
        "⚠ No PDF viewer is set up on this computer, so the summary could not be opened. "
        f"It is saved at {path}: open it from there once a PDF viewer is installed, or use "
        "Print."
    )


def print_job(printer: QPrinter, title: str) -> PrintJob | Path:
    """What the print dialog chose: a printer's job, or the file to "print to" (Qt's own
    Print to File writes a PDF, which the summary already is)."""
    from PySide6.QtPrintSupport import QPrinter

    from asb_desktop.reports.printing import PrintJob

    if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and printer.outputFileName():
        return Path(printer.outputFileName()).expanduser()
    pages = None
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        pages = (printer.fromPage(), max(printer.toPage(), printer.fromPage()))
    duplex = {
        QPrinter.DuplexMode.DuplexNone: "one",
        QPrinter.DuplexMode.DuplexLongSide: "long",
        QPrinter.DuplexMode.DuplexShortSide: "short",
    }.get(printer.duplex())
    return PrintJob(
        printer=printer.printerName(),
        copies=max(printer.copyCount(), 1),
        pages=pages,
        duplex=duplex,
        title=title,
    )


def failure_sentence(error: Exception) -> str:
    """Never the exception's text when it may quote the case; the field name is safe."""
    from asb_desktop.reports.printing import PrintError

    if isinstance(error, PrintError):
        return str(error)
    if isinstance(error, InputError):
        return f"The summary could not be made: {error}."
    if isinstance(error, OSError):
        return "The file could not be saved there. Choose another folder and try again."
    return "The summary could not be made. Nothing was saved."


class PrintSummaryDialog(QDialog):
    sig_saved = Signal(object)
    """The PDF is saved; carries the SummaryResult."""
    sig_printed = Signal(str)
    """The summary went to the printer (or the file printed to); carries what was said."""

    def __init__(self, services: Services, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.case_id = case_id
        self.document: dict[str, Any] | None = None
        self.saved_path: Path | None = None
        self.print_dialog: QDialog | None = None  # the system's print dialog while it is open
        self.recorded_to: str | None = None  # whom the last saved summary was recorded as for
        self.setWindowTitle("Print summary")
        self.setMinimumWidth(660)
        layout = QVBoxLayout(self)
        self.heading = QLabel("Reading the case…")
        self.heading.setProperty("role", "heading")
        layout.addWidget(self.heading)
        layout.addWidget(QLabel("Who is this summary for?"))
        self.group, self.internal, self.third_party = profile_choice(self)
        layout.addWidget(self.internal)
        layout.addWidget(self.third_party)
        explain = QLabel(PROFILE_HELP)
        explain.setWordWrap(True)
        layout.addWidget(explain)
        layout.addSpacing(4)  # the choice apart from the profile's explanation above it
        self.thumbnails = QCheckBox("Photos as t&humbnails in the evidence schedule", self)
        self.thumbnails.setToolTip(
            "Small pictures of the photos attached to the case, made from the stored copies. "
            "A third party sees them only with consent or an information sharing protocol (5.6)."
        )
        layout.addWidget(self.thumbnails)
        layout.addSpacing(4)
        recipient_label, self.recipient = recipient_field(self)
        layout.addWidget(recipient_label)
        layout.addWidget(self.recipient)
        file_label = QLabel("PDF &file:")
        layout.addWidget(file_label)
        where = QHBoxLayout()
        self.path = QLineEdit()
        self.path.setAccessibleName("PDF file")
        file_label.setBuddy(self.path)
        where.addWidget(self.path, 1)
        self.browse = QPushButton("Save &as…")
        self.browse.clicked.connect(self.choose_path)
        where.addWidget(self.browse)
        layout.addLayout(where)
        self.message = banner(role="info")
        self.message.hide()
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.addStretch()
        self.open_button = QPushButton("&Open the PDF")
        self.open_button.hide()
        self.open_button.clicked.connect(self.open_pdf)
        self.print_button = QPushButton("&Print…")
        self.print_button.setToolTip("Choose a printer in the system's print dialog")
        self.print_button.setDefault(True)
        self.print_button.setEnabled(False)
        self.print_button.clicked.connect(self.print_summary)
        self.save_button = QPushButton("&Save PDF")
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.save)
        self.close_button = QPushButton("&Close")
        self.close_button.clicked.connect(self.reject)
        for button in (self.open_button, self.print_button, self.save_button, self.close_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.third_party.toggled.connect(lambda _: self._suggest_name())
        work = services.casework
        self.maker: SummaryMaker | None = None  # made on the worker that reads the case

        def read() -> tuple[dict[str, Any] | None, SummaryMaker]:
            # ReportLab loads here, on the worker, not on the GUI thread at the file name's
            # first use (_suggest_name): a first import of it takes 0.3-1 s. The child that
            # will draw the PDF (reports/summary_child.py) starts loading it now too.
            from asb_desktop.reports.summary_child import SummaryMaker

            document = work.document(case_id)
            maker = SummaryMaker()
            maker.warm()
            return document, maker

        reading = Operation(self, read, name="summary.read_case")
        reading.read_only().success(self._read).failure(self._failed).run()

    def profile(self) -> str:
        return THIRD_PARTY if self.third_party.isChecked() else INTERNAL

    def _read(self, read: tuple[dict[str, Any] | None, SummaryMaker]) -> None:
        document, self.maker = read
        maker = self.maker
        self.finished.connect(lambda _: maker.close())  # its waiting child is let go
        self.destroyed.connect(lambda: maker.close())
        self._loaded(document)

    def _loaded(self, document: dict[str, Any] | None) -> None:
        if document is None:
            self._failed(InputError("case", "is no longer in the case database"))
            return
        self.document = document
        label = case_label(document.get("reference"), str(document.get("id")))
        self.heading.setText(f"Summary of case {label}")
        self._suggest_name(force=True)
        self.save_button.setEnabled(True)
        self.print_button.setEnabled(True)
        self.print_button.setFocus()

    def _failed(self, error: Exception) -> None:
        self.heading.setText("Print summary")
        self._say("⚠ " + failure_sentence(error))

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
        self.adjustSize()  # room for the sentence, never clipped

    def _suggest_name(self, force: bool = False) -> None:
        """Keep the folder the officer chose; the file name follows the profile."""
        if self.document is None:
            return
        from asb_desktop.reports import summary_file_name

        name = summary_file_name(self.document, self.profile())
        current = self.path.text().strip()
        folder = Path(current).parent if current and not force else default_folder()
        self.path.setText(str(folder / name))

    def choose_path(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Save the summary as", self.path.text(), "PDF (*.pdf)"
        )
        if chosen:
            self.path.setText(chosen if chosen.lower().endswith(".pdf") else chosen + ".pdf")

    def _recipient(self) -> tuple[bool, str | None]:
        """(ready, recipient): not ready when a third-party summary names no one (said)."""
        from asb_desktop.domain.errors import ProcedureError

        try:
            return True, recipient_for(self.profile(), self.recipient.text())
        except ProcedureError as error:
            self._say(f"⚠ {error} It is recorded on the case (Recipient).")
            focus_for_keys(self.recipient)
            return False, None

    def save(self) -> None:
        document = self.document
        text = self.path.text().strip()
        if document is None or not text:
            return
        ready, recipient = self._recipient()
        if not ready:
            return
        target = Path(text).expanduser()
        if not target.parent.is_dir():
            self._say("⚠ That folder does not exist. Choose where to save with “Save as…”.")
            return
        if target.exists() and not self._may_replace(target):
            return
        profile, branding = self.profile(), self.services.branding()
        services, maker = self.services, self.maker
        record = disclosure_recorder(services, recipient, profile)
        thumbnails = self.thumbnails.isChecked()

        def render() -> SummaryResult:
            from asb_desktop.reports import write_summary

            return write_summary(
                document,
                target,
                **summary_options(services, document, profile, branding, thumbnails),
                on_written=record,
                maker=maker or _made_here(),
            )

        self.save_button.setEnabled(False)
        self._say("Making the summary…")
        self.recorded_to = recipient
        rendering = Operation(self, render, name="summary.write", changes=RECORDED)
        if record is None:  # writes only the PDF file: it need not wait for other writes
            rendering.read_only()
        rendering.success(lambda result: self._saved(target, result)).failure(
            self._save_failed
        ).run()

    def _may_replace(self, target: Path) -> bool:
        answer = QMessageBox.question(
            self, "Print summary", f"{target.name} already exists. Replace it?"
        )
        return answer == QMessageBox.StandardButton.Yes

    def _saved(self, target: Path, result: SummaryResult) -> None:
        self.saved_path = target
        pages = f"{result.pages} page{'s' if result.pages != 1 else ''}"
        note = " Some text could not be printed in full; see the notes in the PDF." * bool(
            result.warnings
        )
        told = f" Recorded on the case as given to {self.recorded_to}." if self.recorded_to else ""
        self._say(f"Saved: {pages}, at the place shown above.{told}{note}")
        self.save_button.setEnabled(True)
        self.save_button.setDefault(False)
        self.open_button.show()
        self.open_button.setDefault(True)
        self.open_button.setFocus()
        self.sig_saved.emit(result)

    def _save_failed(self, error: Exception) -> None:
        self.save_button.setEnabled(True)
        self._say("⚠ " + failure_sentence(error))

    def open_pdf(self) -> None:
        """The saved PDF in the system's viewer; with none set up, say so and where it is."""
        if self.saved_path is None:
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.saved_path))):
            self._say(no_viewer_sentence(self.saved_path))

    def print_summary(self) -> None:
        """The system's print dialog; then the summary is drawn and sent to the printer chosen."""
        document = self.document
        if document is None:
            return
        ready, recipient = self._recipient()
        if not ready:
            return
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        from asb_desktop.reports import summary_file_name

        title = summary_file_name(document, self.profile()).removesuffix(".pdf")
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(title)
        chooser = QPrintDialog(printer, self)
        chooser.setWindowTitle("Print the summary")
        chooser.setMinimumWidth(560)  # room for a printer's name and the file printed to
        chooser.setOption(QPrintDialog.PrintDialogOption.PrintToFile, True)
        chooser.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, True)
        self.print_dialog = chooser
        try:
            chosen = chooser.exec() == QPrintDialog.DialogCode.Accepted
        finally:
            self.print_dialog = None
            chooser.deleteLater()
        if not chosen:
            self._say("Not printed.")
            return
        job = print_job(printer, title)
        if isinstance(job, Path) and (job.is_dir() or not job.parent.is_dir()):
            self._say(
                "⚠ Not printed: to print to a file, give a file name in a folder that exists."
            )
            return
        self._send(document, job, recipient)

    def _send(
        self, document: dict[str, Any], job: PrintJob | Path, recipient: str | None = None
    ) -> None:
        services, profile, maker = self.services, self.profile(), self.maker
        branding = services.branding()
        record = disclosure_recorder(services, recipient, profile)
        told = f" Recorded on the case as given to {recipient}." if recipient else ""
        thumbnails = self.thumbnails.isChecked()

        def render_and_send() -> str:
            from asb_desktop.reports.batch import write_atomically
            from asb_desktop.reports.printing import print_pdf

            make = maker or _made_here()
            result = make(
                document, **summary_options(services, document, profile, branding, thumbnails)
            )
            pages = f"{result.pages} page{'s' if result.pages != 1 else ''}"
            if isinstance(job, Path):
                written = (lambda: record([document])) if record is not None else None
                write_atomically(job, lambda out: out.write(result.pdf), written)
                return f"Printed to the file {job} ({pages}).{told}"
            sent = print_pdf(result.pdf, job, data_dir=services.data_dir)
            if record is not None:  # handed to the printer: it has left
                record([document])
            copies = f"{job.copies} cop{'ies' if job.copies != 1 else 'y'}"
            return f"{sent} {pages}, {copies}.{told}"

        self.print_button.setEnabled(False)
        self._say("Printing…")
        sending = Operation(self, render_and_send, name="summary.print", changes=RECORDED)
        if record is None:  # reads the store and sends bytes: it need not wait for writes
            sending.read_only()
        sending.success(self._printed).failure(self._print_failed).run()

    def _printed(self, said: str) -> None:
        self.print_button.setEnabled(True)
        focus_for_keys(self.print_button)  # where it was (disabling it moved the focus on)
        self._say(said)
        self.sig_printed.emit(said)

    def _print_failed(self, error: Exception) -> None:
        self.print_button.setEnabled(True)
        focus_for_keys(self.print_button)
        self._say("⚠ " + failure_sentence(error))


class SummaryPrinter:
    """The workspace's print hook: one dialog per press, kept while it is shown."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.dialog: PrintSummaryDialog | None = None

    def __call__(self, case_id: str, parent: QWidget) -> None:
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
        self.dialog = PrintSummaryDialog(self.services, case_id, parent)
        self.dialog.show()  # not modal: Ctrl+L and the idle lock must still reach the window
