"""The case database's health, said in the window: the page check run in the background once the
window is usable, and any fault the store meets later (a full disk, damage, a removed log), each
shown as a notice across the top of the window that says what to do next."""

from __future__ import annotations

import logging

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, Signal, SignalInstance
from PySide6.QtWidgets import QLabel, QMainWindow, QSizePolicy, QToolBar

from asb_desktop.store.database import Store
from asb_desktop.store.faults import StoreDamaged, StoreError, damaged_words
from asb_desktop.store.integrity import PageCheck, check_pages
from asb_desktop.support.logs import log_event
from asb_desktop.ui.operations import Operation

_log = logging.getLogger(__name__)
NOT_CHECKED = (
    "The case database could not be checked for damage just now; your cases are as they were. "
    "If this happens at every start, contact IT support."
)


def check_store(store: Store) -> PageCheck:
    with store.read() as conn:
        return check_pages(conn)


class StoreNotice(QObject):
    """A notice bar on `window`, hidden until the store has something to say."""

    sig_fault = Signal(str, bool)
    """The store met a fault; carries its sentence and whether it is damage (emitted from
    whichever thread met it)."""
    sig_checked = Signal(object)
    """The background page check finished; carries its PageCheck (None if it could not run)."""

    def __init__(self, window: QMainWindow, store: Store, ready: SignalInstance) -> None:
        super().__init__(window)
        self.window = window
        self.store = store
        self.bar = QToolBar("Case database problem")
        self.bar.setMovable(False)
        self.bar.setFloatable(False)
        self.bar.toggleViewAction().setEnabled(False)  # a warning is never hidden by a menu
        self.words = QLabel()
        self.words.setWordWrap(True)
        self.words.setProperty("role", "error")
        self.words.setAccessibleName("Case database problem")
        self.words.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Across the whole window: a wrapped label is otherwise laid out at its narrow hint.
        self.words.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.bar.addWidget(self.words)
        self.bar.installEventFilter(self)
        self.bar.hide()
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.bar)
        self.sig_fault.connect(self._fault)  # queued onto the GUI thread from a worker
        store.on_fault(self._heard)
        self._checked = False
        self._pages_counted = False  # the check's sentence names the failed pages: kept
        ready.connect(self.check_in_background)  # once the window is usable: never delays it

    def _heard(self, fault: StoreError) -> None:
        if shiboken6.isValid(self):
            self.sig_fault.emit(str(fault), isinstance(fault, StoreDamaged))

    def _fault(self, sentence: str, damage: bool) -> None:
        if not (damage and self._pages_counted):
            self.say(sentence)

    def check_in_background(self) -> None:
        if self._checked:
            return
        self._checked = True
        store = self.store
        checking = Operation(self.window, lambda: check_store(store), name="store.page_check")
        checking.read_only().success(self._check_done).failure(self._check_failed).run()

    def _check_done(self, check: PageCheck) -> None:
        log_event(
            _log,
            "store.page_check",
            pages=check.pages,
            damaged=check.damaged_pages,
            duration_ms=round(check.millis),
        )
        if not check.intact:
            self._pages_counted = True
            self.say(damaged_words(check.damaged_pages))
        self.sig_checked.emit(check)

    def _check_failed(self, error: Exception) -> None:
        self.say(str(error) if isinstance(error, StoreError) else NOT_CHECKED)
        self.sig_checked.emit(None)

    def say(self, sentence: str) -> None:
        sentence = sentence.strip()
        self.words.setText("⚠ " + sentence[:1].upper() + sentence[1:])
        self.bar.show()
        self._fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.bar and event.type() == QEvent.Type.Resize:
            self._fit()
        return False

    def _fit(self) -> None:
        """A tool bar knows nothing of height-for-width: the words' height is set from the
        bar's width, so the bar is as tall as its lines and no taller."""
        margins = self.bar.contentsMargins()
        width = self.bar.width() - margins.left() - margins.right() - 12
        height = self.words.heightForWidth(width) if width > 100 else -1
        if height > 0:  # -1 while there are no words to lay out
            self.words.setFixedHeight(height)
