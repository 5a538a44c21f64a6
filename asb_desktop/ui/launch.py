"""Starting the window: read the organisation's presets, open the encrypted store (asking for
the passphrase if there is no secure keyring), put the presets into a new store, then show the
main window. Errors are told in a sentence, never a traceback."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit, QMessageBox, QWidget

from asb_desktop.app import Services, apply_presets, open_services
from asb_desktop.store.database import DATABASE_FILE, StoreError
from asb_desktop.store.keys import MIN_PASSPHRASE_LENGTH, KeyUnavailableError
from asb_desktop.support.config import resolve_data_dir
from asb_desktop.support.logs import log_event
from asb_desktop.support.presets import PresetError, Presets, load_presets
from asb_desktop.support.resources import resource_path
from asb_desktop.ui.keyboard import install_keyboard_rules

_log = logging.getLogger("asb_desktop.launch")


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


def read_presets(parent: QWidget | None = None) -> Presets:
    """The organisation's presets; a bad file is said in one sentence and the app goes on with
    its own defaults, so a typo in IT's file never locks officers out."""
    try:
        return load_presets()
    except PresetError as error:
        log_event(_log, "presets.invalid", level=logging.WARNING)
        QMessageBox.warning(
            parent,
            "ASB Desktop",
            f"The organisation's settings file could not be used, so ASB Desktop starts with its "
            f"own defaults. {error.source}: {error.problem}.",
        )
        return Presets()


def set_up_application(app: QApplication) -> None:
    install_keyboard_rules(app)  # an Alt+letter no mnemonic takes never types (ui/keyboard.py)
    app.setApplicationName("ASB Desktop")
    app.setDesktopFileName("asb-desktop")
    try:
        app.setWindowIcon(QIcon(str(resource_path("app", "asb-desktop.png"))))
    except FileNotFoundError:
        log_event(_log, "resources.icon_missing", level=logging.WARNING)


def prepare(services: Services, presets: Presets, *, new_store: bool) -> None:
    try:
        applied = apply_presets(services, presets, new_store=new_store)
    except (StoreError, ValueError):
        log_event(_log, "presets.not_applied", level=logging.WARNING)
        return
    log_event(_log, "presets.applied", settings=len(applied), new_store=new_store)


def run_gui(data_dir: str | Path | None) -> int:
    from asb_desktop.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    set_up_application(app)
    presets = read_presets()
    new_store = not (resolve_data_dir(data_dir) / DATABASE_FILE).exists()
    services = open_with_prompt(data_dir)
    if services is None:
        return 1
    prepare(services, presets, new_store=new_store)
    log_event(_log, "app.started", new_store=new_store)
    window = MainWindow(services)
    window.show()
    try:
        return app.exec()
    finally:
        services.close()
