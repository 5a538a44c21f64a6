"""The message shown when the central store has revoked this laptop, before its store is deleted.

The officer (or whoever has the laptop) is told what happened and what goes; pressing Delete and
close (Return, or Alt+D), closing the message, or two minutes passing, closes the window, and
`launch.run_gui` deletes the store once it is closed (sync/withdrawal.py). Nothing is asked: the
store is deleted whatever is pressed, so leaving the message open keeps nothing for long.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox, QWidget

from asb_desktop.sync.status_words import SyncSummary

WAIT_MS = 2 * 60 * 1000
TITLE = "This laptop was withdrawn"


class WithdrawnNotice(QMessageBox):
    def __init__(self, summary: SyncSummary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("withdrawn_notice")
        self.setIcon(QMessageBox.Icon.Warning)
        self.setWindowTitle(TITLE)
        self.setText("Its case database is about to be deleted")
        when = "when you press Delete and close, or by itself in two minutes"
        words = summary.withdrawn_words(when).removesuffix(".")
        self.setInformativeText(words + "; ASB Desktop then closes.")
        # QMessageBox makes a long text a narrow, tall column: a width that reads as sentences.
        self.setStyleSheet("QLabel#qt_msgbox_informativelabel { min-width: 560px; }")
        self.delete_button = self.addButton("&Delete and close", QMessageBox.ButtonRole.AcceptRole)
        self.setDefaultButton(self.delete_button)
        self.setEscapeButton(self.delete_button)
        self.timer = QTimer(self, singleShot=True, interval=WAIT_MS)
        self.timer.timeout.connect(self.accept)


def tell_withdrawn(
    parent: QWidget, summary: SyncSummary, then: Callable[[], object]
) -> WithdrawnNotice:
    """Show the message (window-modal); `then` runs once it is gone, however it went."""
    notice = WithdrawnNotice(summary, parent)
    notice.finished.connect(lambda _result: then())
    notice.open()
    notice.timer.start()
    return notice
