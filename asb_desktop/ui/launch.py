"""Starting the window: open the encrypted store (asking for the passphrase if there is no
secure keyring), then show the main window. Errors are told in a sentence, never a traceback."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit, QMessageBox, QWidget

from asb_desktop.app import Services, open_services
from asb_desktop.store.database import StoreError
from asb_desktop.store.keys import MIN_PASSPHRASE_LENGTH, KeyUnavailableError


def ask_passphrase(parent: QWidget | None, creating: bool) -> str | None:
    """The passphrase prompt used when this computer has no secure keyring."""
    if creating:
        prompt = (
            "This computer has no secure keyring, so your case database will be protected by a "
            f"passphrase of at least {MIN_PASSPHRASE_LENGTH} characters. Choose one:"
        )
    else:
        prompt = "Enter the passphrase that protects your case database:"
    text, ok = QInputDialog.getText(parent, "ASB Desktop", prompt, QLineEdit.EchoMode.Password)
    if not ok:
        return None
    if creating:
        again, ok = QInputDialog.getText(
            parent, "ASB Desktop", "Type the passphrase again:", QLineEdit.EchoMode.Password
        )
        if not ok or again != text:
            QMessageBox.warning(parent, "ASB Desktop", "The passphrases did not match.")
            return None
    return text


def open_with_prompt(data_dir: str | Path | None) -> Services | None:
    try:
        return open_services(data_dir, prompt=lambda creating: ask_passphrase(None, creating))
    except (StoreError, KeyUnavailableError, ValueError) as error:
        QMessageBox.critical(None, "ASB Desktop", str(error))
        return None


def run_gui(data_dir: str | Path | None) -> int:
    from asb_desktop.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("ASB Desktop")
    services = open_with_prompt(data_dir)
    if services is None:
        return 1
    window = MainWindow(services)
    window.show()
    try:
        return app.exec()
    finally:
        services.close()
