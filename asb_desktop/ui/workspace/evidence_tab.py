"""The workspace's Evidence tab: what is attached to the case, in words (name, kind, size, when,
by whom, which incident, whether a photo's location and camera details were removed, and its
SHA-256: short in the list, whole below it to copy), a photo's thumbnail, and the buttons to
attach more and to save a copy to a file.

Thumbnails are made from the stored bytes on demand, off the GUI thread, and kept in memory for
the session only (keyed by hash: the same bytes are the same picture): never written anywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from asb_desktop.app import Services
from asb_desktop.domain.attachment import Attachment, kind_words, size_words
from asb_desktop.domain.case import Case
from asb_desktop.domain.wording import counted
from asb_desktop.services.actors import ActorNames
from asb_desktop.services.attachments import Listed
from asb_desktop.services.case_actions import CaseView
from asb_desktop.ui.file_choice import picker
from asb_desktop.ui.keyboard import focus_for_keys
from asb_desktop.ui.operations.evidence_ops import (
    Attached,
    copy_out,
    fetch_from_central,
    list_evidence,
    make_thumbnail,
)
from asb_desktop.ui.words import when
from asb_desktop.ui.workspace.evidence_dialog import AttachDialog

THUMB = 64
NO_EVIDENCE = "No evidence attached yet: Alt+H to attach files, or drop them on the workspace."
_thumbnails: dict[str, QPixmap | None] = {}  # by SHA-256, this session only, in memory


def incident_words(case: Case, incident_id: str | None) -> str:
    if incident_id is None:
        return "Evidence of the whole case"
    incident = next((i for i in case.incidents if i.id == incident_id), None)
    if incident is None:
        return "Evidence of an incident no longer on the case"
    place = f", {incident.location}" if incident.location else ""
    return f"Evidence of the incident of {when(incident.occurred_at)}{place}"


def evidence_words(item: Listed, case: Case, names: ActorNames) -> str:
    a = item.attachment
    if a.scrubbed:
        scrubbed = "Location and camera details removed."
    elif a.media_type.startswith("image/"):
        scrubbed = "Kept as given: location and camera details not removed."
    else:
        scrubbed = ""
    here = "" if item.here else " The file itself is not on this laptop."
    kind = kind_words(a.media_type)
    return (
        f"{a.name}\n{kind[:1].upper()}{kind[1:]}, {size_words(a.size)}. Added "
        f"{when(a.added_at)} by {names(a.added_by)}. {incident_words(case, a.incident_id)}.\n"
        f"{scrubbed}{here} SHA-256 {a.sha256[:12]}…".replace("\n ", "\n")
    )


class EvidenceTab(QWidget):
    def __init__(self, services: Services, on_view: Callable[[CaseView], None]) -> None:
        super().__init__()
        self.services = services
        self.on_view = on_view
        """Called with the case as it stands after files were attached (the whole workspace)."""
        self.view: CaseView | None = None
        self.found: list[Listed] = []
        self._waiting: list[tuple[int, Listed]] = []  # thumbnails still to make, in list order
        self._making = False
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.attach_button = QPushButton("Attac&h files…")
        self.attach_button.setAccessibleName("Attach files")
        self.attach_button.clicked.connect(lambda: self.start_attach())
        self.copy_button = QPushButton("&Save a copy…")
        self.copy_button.setAccessibleName("Save a copy of the chosen file")
        self.copy_button.clicked.connect(lambda: self.start_copy())
        self.download_button = QPushButton("Do&wnload from the central store")
        self.download_button.setAccessibleName("Download the chosen file from the central store")
        self.download_button.clicked.connect(lambda: self.start_download())
        row.addWidget(self.attach_button)
        row.addWidget(self.copy_button)
        row.addWidget(self.download_button)
        row.addStretch()
        layout.addLayout(row)
        self.heading = QLabel("Evidence attached, newest first:")
        layout.addWidget(self.heading)
        self.list = QListWidget()
        self.list.setAccessibleName("Evidence attached, newest first")
        self.list.setWordWrap(True)
        self.list.setSpacing(4)
        self.list.setIconSize(QSize(THUMB, THUMB))
        self.list.currentRowChanged.connect(self._chosen)
        layout.addWidget(self.list, 1)
        sha_row = QHBoxLayout()
        sha_label = QLabel("SHA-256 of the chosen file:")
        self.sha256 = QLineEdit()
        self.sha256.setReadOnly(True)
        self.sha256.setAccessibleName("SHA-256 of the chosen file")
        self.copy_hash = QPushButton("Copy the SHA-256 (&X)")
        self.copy_hash.setAccessibleName("Copy the SHA-256")
        self.copy_hash.clicked.connect(self.copy_sha256)
        sha_row.addWidget(sha_label)
        sha_row.addWidget(self.sha256, 1)
        sha_row.addWidget(self.copy_hash)
        layout.addLayout(sha_row)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("What happened")
        self.message.hide()
        layout.addWidget(self.message)
        self._chosen(-1)

    # --- showing -----------------------------------------------------------------------------

    def show_view(self, view: CaseView) -> None:
        if self.view is not None and self.view.case.id != view.case.id:
            self.message.clear()  # what was said of another case's files is not said here
            self.message.hide()
        self.view = view
        self.attach_button.setEnabled(True)
        case_id = view.case.id
        work = list_evidence(self, self.services.casework, case_id)
        work.success(lambda found: self._listed(case_id, found)).run()

    def _listed(self, case_id: str, found: list[Listed]) -> None:
        if self.view is None or self.view.case.id != case_id:
            return  # another case was opened meanwhile
        chosen = self.current()
        before = {f.attachment.id for f in self.found}
        self.found = sorted(found, key=lambda f: f.attachment.added_at, reverse=True)
        self.list.clear()
        for item in self.found:
            entry = QListWidgetItem(evidence_words(item, self.view.case, self.view.names))
            entry.setData(Qt.ItemDataRole.UserRole, item.attachment.id)
            if not item.attachment.media_type.startswith("image/"):
                entry.setIcon(self._file_icon())  # its words in line with a photo's
            self.list.addItem(entry)
        if not self.found:
            self.list.addItem(NO_EVIDENCE)
        self.heading.setText(
            f"Evidence attached, newest first: {counted(len(self.found), 'file')}."
            if self.found
            else "Evidence attached:"
        )
        ids = [f.attachment.id for f in self.found]
        added = [i for i in ids if i not in before] if before else []
        if added:  # the file just attached (the newest first)
            self.list.setCurrentRow(ids.index(added[0]))
        else:
            self.list.setCurrentRow(ids.index(chosen.id) if chosen and chosen.id in ids else 0)
        self._chosen(self.list.currentRow())
        self._waiting = [(row, item) for row, item in enumerate(self.found)]
        if not self._making:
            self._next_thumbnail()

    def _file_icon(self) -> QIcon:
        """A file's sign where no thumbnail is shown, so every entry's words start alike."""
        return self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)

    def _next_thumbnail(self) -> None:
        """One thumbnail at a time (an 11 MB photo takes about a third of a second to read and
        shrink): the other readers, such as opening the next case, are never queued behind."""
        self._making = False
        while self._waiting and self.view is not None:
            row, item = self._waiting.pop(0)
            a = item.attachment
            if not item.here or not a.media_type.startswith("image/"):
                continue
            if a.sha256 in _thumbnails:
                self._set_icon(row, a.id, _thumbnails[a.sha256])
                continue
            self._making = True
            work = make_thumbnail(self, self.services.casework, self.view.case.id, a.id, THUMB)
            work.success(partial(self._made, row, a))
            work.failure(lambda _error: self._next_thumbnail()).run()
            return

    def _made(self, row: int, a: Attachment, png: bytes | None) -> None:
        picture: QPixmap | None = None
        if png:
            picture = QPixmap()
            if not picture.loadFromData(png, "PNG"):
                picture = None
        _thumbnails[a.sha256] = picture
        self._set_icon(row, a.id, picture)
        self._next_thumbnail()

    def _set_icon(self, row: int, attachment_id: str, picture: QPixmap | None) -> None:
        entry = self.list.item(row)
        if picture is None or entry is None:
            return
        if entry.data(Qt.ItemDataRole.UserRole) == attachment_id:  # still the same file
            entry.setIcon(QIcon(picture))

    def current(self) -> Attachment | None:
        row = self.list.currentRow()
        return self.found[row].attachment if 0 <= row < len(self.found) else None

    def _chosen(self, row: int) -> None:
        chosen = self.found[row] if 0 <= row < len(self.found) else None
        self.sha256.setText(chosen.attachment.sha256 if chosen else "")
        self.copy_hash.setEnabled(chosen is not None)
        here = chosen is not None and chosen.here
        self.copy_button.setEnabled(here)
        why = "" if here or chosen is None else "The file itself is not on this laptop."
        self.copy_button.setToolTip(why)
        self.copy_button.setAccessibleDescription(why)
        self.download_button.setEnabled(chosen is not None and not chosen.here)
        why_not = "The chosen file is already on this laptop." if here else ""
        self.download_button.setToolTip(why_not)  # why Alt+W does nothing
        self.download_button.setAccessibleDescription(why_not)

    def copy_sha256(self) -> None:
        if self.sha256.text():
            QGuiApplication.clipboard().setText(self.sha256.text())
            self._say(f"SHA-256 copied: {self.sha256.text()}")

    def _say(self, sentence: str) -> None:
        self.message.setText(sentence)
        self.message.show()

    # --- attaching ---------------------------------------------------------------------------

    def start_attach(self, paths: list[Path] | None = None) -> AttachDialog | None:
        """The Attach dialog (files already chosen when dropped); not modal, as the forms."""
        if self.view is None:
            return None
        dialog = AttachDialog(self, self.services, self.view, self._attached, paths or ())
        dialog.finished.connect(lambda result: self._back_here(attached=bool(result)))
        dialog.show()
        return dialog

    def _attached(self, result: Attached) -> None:
        self.on_view(result.view)
        count = len(result.attached)
        if count:
            names = ", ".join(p.name for p in result.attached)
            self._say(f"{counted(count, 'file')} attached: {names}.")

    def _back_here(self, *, attached: bool) -> None:
        """On the list once files were attached (the new one is chosen as it is listed), else
        back on Attach."""
        self.window().activateWindow()
        focus_for_keys(self.list if attached or self.found else self.attach_button)

    # --- saving a copy -----------------------------------------------------------------------

    def start_copy(self) -> None:
        chosen = self.current()
        if chosen is None or self.view is None:
            return
        dialog = picker(self, f"Save a copy of {chosen.name}", saving=True)
        dialog.selectFile(chosen.name)
        case_id = self.view.case.id
        dialog.fileSelected.connect(lambda target: self.save_copy(case_id, chosen, Path(target)))
        dialog.open()

    def save_copy(self, case_id: str, chosen: Attachment, target: Path) -> None:
        def done(size: int) -> None:
            self._say(f"Saved a copy of {chosen.name} to {target} ({size_words(size)}).")
            self.window().activateWindow()  # back from the file picker
            focus_for_keys(self.list)

        def failed(error: Exception) -> None:
            from asb_desktop.ui.workspace.action_dialog import user_sentence

            sentence = user_sentence(error)
            if "database" in sentence:
                sentence = f"The copy could not be saved to {target}; nothing was written there."
            self._say("⚠ " + sentence)
            self.window().activateWindow()
            focus_for_keys(self.copy_button)

        work = copy_out(self, self.services.casework, case_id, chosen.id, target)
        work.success(done).failure(failed).run()

    # --- downloading -------------------------------------------------------------------------

    def start_download(self) -> None:
        """The bytes of a file attached on another laptop, fetched from the central store."""
        chosen = self.current()
        if chosen is None or self.view is None:
            return
        case_id = self.view.case.id
        self.download_button.setEnabled(False)
        self._say(f"Downloading {chosen.name} ({size_words(chosen.size)})…")

        def done(fetched: int) -> None:
            self._say(f"Downloaded {chosen.name}: {size_words(fetched or chosen.size)}, checked "
                      "against its SHA-256. It is kept encrypted on this laptop.")  # fmt: skip
            if self.view is not None:
                self.show_view(self.view)
            focus_for_keys(self.list)

        def failed(error: Exception) -> None:
            from asb_desktop.domain.errors import ProcedureError
            from asb_desktop.sync.client import SyncError

            if isinstance(error, ProcedureError | SyncError):
                sentence = str(error)
            else:
                sentence = f"{chosen.name} could not be downloaded just now; nothing was kept."
            self._say("⚠ " + sentence)
            self._chosen(self.list.currentRow())
            focus_for_keys(self.download_button)

        work = fetch_from_central(self, self.services, case_id, chosen.id)
        work.success(done).failure(failed).run()
