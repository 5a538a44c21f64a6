"""Files chosen by the officer: the file picker (opened without blocking, so the idle lock
still reaches the window), files dragged in from the desktop, and a chosen file in words."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog, QWidget

from asb_desktop.domain.attachment import kind_words, size_words
from asb_desktop.ui.operations.evidence_ops import Looked

_last_folder: list[Path] = []  # where the officer last chose a file, this session only


def looked_words(looked: Looked) -> str:
    if looked.checked is None:  # the whole sentence is said under the list
        return f"⚠ {looked.path.name}: cannot be attached (the reason is below)"
    c = looked.checked
    return f"{c.path.name}: {kind_words(c.media_type)}, {size_words(c.size)}"


def picker(parent: QWidget, title: str, *, saving: bool = False) -> QFileDialog:
    """The file picker, opened without blocking (the idle lock must still reach the window)."""
    dialog = QFileDialog(parent, title)
    if saving:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        # a copy never replaces a file: the officer is told to choose a new name instead
        dialog.setOption(QFileDialog.Option.DontConfirmOverwrite, True)
    else:
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
    dialog.setDirectory(str(_last_folder[-1] if _last_folder else Path.home()))
    dialog.filesSelected.connect(_remember)
    return dialog


def _remember(chosen: list[str]) -> None:
    if chosen:
        _last_folder[:] = [Path(chosen[0]).parent]


def dropped_paths(mime: QMimeData | None) -> list[Path]:
    """The local files (or folders: refused in words once looked at) being dragged in."""
    if mime is None or not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


def accept_files(event: QDragEnterEvent | QDragMoveEvent) -> None:
    if dropped_paths(event.mimeData()):
        event.acceptProposedAction()
    else:
        event.ignore()


class FileDropTarget:
    """Mixed into a widget (before its Qt class) that files may be dropped on: a drag carrying
    local files is accepted while `takes_drops()` says so, and the files go to `files_dropped`.
    The widget still calls `setAcceptDrops(True)`."""

    def takes_drops(self) -> bool:
        return True

    def files_dropped(self, paths: list[Path]) -> None:
        raise NotImplementedError

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        self._consider(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        self._consider(event)

    def dropEvent(self, event: QDropEvent) -> None:
        paths = dropped_paths(event.mimeData())
        if not paths or not self.takes_drops():
            event.ignore()
            return
        event.acceptProposedAction()
        self.files_dropped(paths)

    def _consider(self, event: QDragEnterEvent | QDragMoveEvent) -> None:
        if self.takes_drops():
            accept_files(event)
        else:
            event.ignore()
