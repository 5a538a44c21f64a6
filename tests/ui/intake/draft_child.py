"""A child process for the crash test: opens the real window on a given store and types a report
slowly, printing how many characters of the description it has typed, until it is killed."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from asb_desktop.app import services_for
from asb_desktop.store.database import Store
from asb_desktop.store.keys import DatabaseKey, FixedKey
from asb_desktop.ui.intake.pages_report import ComplainantPage, IncidentPage
from asb_desktop.ui.main_window import MainWindow
from tests.ui.driving import type_text

NAME = "Zoë O'Brien-Łukasiewicz"
DESCRIPTION = (
    "Loud music and shouting from the flat above until 3am, most nights this month. "
    "Bottles thrown from the balcony onto the path; the children are frightened to go out. "
    "Nothing has changed after two letters from the neighbours."
)


def main() -> None:
    app = QApplication(sys.argv)
    key = FixedKey(DatabaseKey.raw(bytes.fromhex(os.environ["ASB_TEST_KEY"])))
    services = services_for(Store.open(Path(sys.argv[1]), key), actor="local:child")
    window = MainWindow(services)
    window.show()
    typed = 0

    def begin() -> None:
        window.show_screen("new_report")
        QTimer.singleShot(500, fill_in)

    def fill_in() -> None:
        wizard = window.new_report.wizard
        wizard.next.click()
        type_text(wizard.page(ComplainantPage).inputs["name"], NAME)
        type_text(wizard.page(ComplainantPage).inputs["phone"], "07700 900123")
        wizard.next.click()
        print("READY", flush=True)
        ticker.start()

    def type_one() -> None:
        nonlocal typed
        description = window.new_report.wizard.page(IncidentPage).inputs["description"]
        if typed < len(DESCRIPTION):
            type_text(description, DESCRIPTION[typed])
            typed += 1
            print(typed, flush=True)

    ticker = QTimer(interval=25)
    ticker.timeout.connect(type_one)
    window.sig_ready.connect(lambda: QTimer.singleShot(0, begin))
    app.exec()


if __name__ == "__main__":
    main()
