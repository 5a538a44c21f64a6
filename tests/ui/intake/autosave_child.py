"""A child process for the autosave kill test: opens the real window on a given store, starts a
report and types its description steadily, one character every TICK_MS, printing after each
character how many it has typed and when (time.monotonic, the same clock as the parent's),
until it is killed."""

from __future__ import annotations

import os
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from asb_desktop.app import services_for
from asb_desktop.store.database import Store
from asb_desktop.store.keys import DatabaseKey, FixedKey
from asb_desktop.ui.intake.pages_report import ComplainantPage, IncidentPage
from asb_desktop.ui.main_window import MainWindow
from tests.ui.driving import type_text

NAME = "Siobhán Ní Bhriain"
TICK_MS = 20
DESCRIPTION = (
    "Music through the wall until four in the morning; the bass makes the windows buzz. "
    "On Friday a bottle was thrown from the balcony above and broke on the path by the pram. "
    "The neighbours in flats 3 and 5 heard it too and will say so. We have asked politely "
    "twice and were sworn at both times; my daughter no longer plays outside after school."
)


def _end_on_error(kind: type[BaseException], error: BaseException, trace: Any) -> None:
    """An error in a slot would leave the child running but typing nothing: end it, so the
    test hears of it at once instead of waiting out its deadline."""
    traceback.print_exception(kind, error, trace)
    os._exit(3)


def main() -> None:
    sys.excepthook = _end_on_error
    app = QApplication(sys.argv)
    key = FixedKey(DatabaseKey.raw(bytes.fromhex(os.environ["ASB_TEST_KEY"])))
    services = services_for(Store.open(Path(sys.argv[1]), key), actor="local:child")
    window = MainWindow(services)
    window.show()
    typed = 0

    def begin() -> None:
        window.show_screen("new_report")
        QTimer.singleShot(0, fill_in)

    def fill_in() -> None:
        wizard = window.new_report.wizard
        if window.new_report.currentWidget() is not wizard or not wizard.pages:
            QTimer.singleShot(10, fill_in)  # the drafts list is read first: wait for the report
            return
        wizard.next.click()
        type_text(wizard.page(ComplainantPage).inputs["name"], NAME)
        wizard.next.click()
        print("READY", flush=True)
        ticker.start()

    def type_one() -> None:
        nonlocal typed
        description = window.new_report.wizard.page(IncidentPage).inputs["description"]
        if typed < len(DESCRIPTION):
            type_text(description, DESCRIPTION[typed])
            typed += 1
            print(typed, time.monotonic(), flush=True)

    ticker = QTimer(interval=TICK_MS)
    ticker.timeout.connect(type_one)
    window.sig_ready.connect(lambda: QTimer.singleShot(0, begin))
    app.exec()


if __name__ == "__main__":
    main()
