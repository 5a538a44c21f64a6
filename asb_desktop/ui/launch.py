"""Starting the window: read the organisation's presets, open the encrypted store (asking for
the passphrase if there is no secure keyring), put the presets into a new store, then show the
main window. Errors are told in a sentence, never a traceback."""

from __future__ import annotations

import errno
import logging
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias, TypeVar

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from asb_desktop.app import Services, apply_presets, open_services, services_on
from asb_desktop.store.database import DATABASE_FILE, Store, StoreError
from asb_desktop.store.keys import (
    MIN_PASSPHRASE_LENGTH,
    KeyProvider,
    KeyUnavailableError,
    PassphrasePrompt,
)
from asb_desktop.store.sqlcipher_connect import WRONG_KEY_MESSAGE
from asb_desktop.support.config import resolve_data_dir
from asb_desktop.support.logs import log_event
from asb_desktop.support.presets import PresetError, Presets, load_presets
from asb_desktop.support.resources import resource_path
from asb_desktop.ui.garbage import collect_on_gui_thread
from asb_desktop.ui.keyboard import install_keyboard_rules
from asb_desktop.ui.late_services import LateServices
from asb_desktop.ui.style import style_sheet

if TYPE_CHECKING:
    from asb_desktop.store.first_page import FirstPage

T = TypeVar("T")
_log = logging.getLogger("asb_desktop.launch")


CANCELLED = (
    "ASB Desktop will close without opening the case database, because no passphrase was "
    "given. Start it again when you have the passphrase."
)
WRONG_PASSPHRASE = (
    "That passphrase does not open this case database. Check it (is Caps Lock on?) and try "
    "again, or press Cancel to close ASB Desktop."
)


def passphrase_problem(text: str, again: str | None) -> str | None:
    """What is wrong with a passphrase typed at the prompt, in a sentence (None: nothing).
    `again` is the second typing when the passphrase is being chosen."""
    if len(text) < MIN_PASSPHRASE_LENGTH:
        count = f"{len(text)} character{'s' if len(text) != 1 else ''}" if text else "nothing"
        return (
            f"A passphrase is at least {MIN_PASSPHRASE_LENGTH} characters long; this one is "
            f"{count}. Type it again."
        )
    if again is not None and again != text:
        return "The two passphrases are not the same. Type the passphrase again below."
    return None


class PassphraseDialog(QDialog):
    """Asks for the passphrase that protects the case database (no secure keyring here).

    A passphrase that is too short or typed differently the second time is said in a sentence
    and asked again, in the same dialog; Cancel closes ASB Desktop, and says so first."""

    def __init__(self, *, creating: bool, problem: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.creating = creating
        self.setStyleSheet(
            style_sheet(self.palette())
        )  # shown before the main window, whose style it shares
        self.setWindowTitle("ASB Desktop")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        if creating:
            intro = (
                "This computer has no secure keyring, so your case database will be protected "
                f"by a passphrase of at least {MIN_PASSPHRASE_LENGTH} characters. Choose one, "
                "and keep it safe: nobody, not even IT, can open the data without it."
            )
        else:
            intro = "Enter the passphrase that protects your case database."
        self.intro = QLabel(intro + " Cancel closes ASB Desktop.")
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        form = QFormLayout()
        self.text = QLineEdit()
        self.text.setEchoMode(QLineEdit.EchoMode.Password)
        self.text.setAccessibleName("Passphrase")
        label = QLabel("&Passphrase:")
        label.setBuddy(self.text)
        form.addRow(label, self.text)
        self.again = QLineEdit()
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        self.again.setAccessibleName("Passphrase again")
        again_label = QLabel("Type it &again:")
        again_label.setBuddy(self.again)
        form.addRow(again_label, self.again)
        again_label.setVisible(creating)
        self.again.setVisible(creating)
        layout.addLayout(form)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setProperty("role", "error")
        self.problem.setAccessibleName("Problem")
        layout.addWidget(self.problem)
        self.say(problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("&Set passphrase" if creating else "&Open")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("&Cancel")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.text.setFocus()

    def say(self, problem: str) -> None:
        self.problem.setText(f"⚠ {problem}" if problem else "")
        self.problem.setVisible(bool(problem))

    def passphrase(self) -> str:
        return self.text.text()

    def accept(self) -> None:
        problem = passphrase_problem(self.text.text(), self.again.text() if self.creating else None)
        if problem is None:
            super().accept()
            return
        self.say(problem)
        if self.creating and len(self.text.text()) >= MIN_PASSPHRASE_LENGTH:
            self.again.clear()
            self.again.setFocus()
        else:
            self.text.selectAll()
            self.text.setFocus()


def ask_passphrase(parent: QWidget | None, creating: bool, problem: str = "") -> str | None:
    """The passphrase prompt used when this computer has no secure keyring (None: Cancel)."""
    dialog = PassphraseDialog(creating=creating, problem=problem, parent=parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.passphrase()
    finally:
        dialog.deleteLater()


class Cancelled(Exception):
    """The officer pressed Cancel at the passphrase prompt."""


def open_with_prompt(data_dir: str | Path | None) -> Services | None:
    """Open the store, asking for the passphrase as often as it is wrong; None when it cannot
    be opened (said in a sentence) or the officer cancelled (raises Cancelled)."""
    return _asking(data_dir, lambda prompt: open_services(data_dir, prompt=prompt))


WindowStart: TypeAlias = "tuple[Services | LateServices, FirstPage | None]"


def open_for_window(data_dir: str | Path | None, presets: Presets) -> WindowStart | None:
    """`open_with_prompt` for the window: with the caseload's first page when the store could
    be read for it on the driver alone (`Store.open_for_window`), the services then to be made
    once it is on screen (`LateServices`); else the services, made now, and no page. The key
    is asked for, and a wrong passphrase again, exactly as `open_with_prompt` does."""

    def opening(prompt: PassphrasePrompt) -> WindowStart:
        folder = resolve_data_dir(data_dir)
        store, first = Store.open_for_window(folder, KeyProvider(folder, prompt=prompt))
        return window_services(store, first, presets)

    return _asking(data_dir, opening)


def window_services(
    store: Store,
    first: FirstPage | None,
    presets: Presets | None,
    *,
    actor: str | None = None,
    clock: Callable[[], datetime] | None = None,
) -> WindowStart:
    """The window's services over a store opened for it, and its first page if it may show
    it before they are made. Not for a store with no PIN yet (the first run asks for one on
    the services), nor when the organisation's locked nation would change the page's
    deadlines: made now, as `open_services` makes them, and the page read the usual way.
    `presets`, when given, are put into the store as `prepare` does (then, or once made)."""

    def build() -> Services:
        services = services_on(store, actor=actor, clock=clock)
        if presets is not None:
            prepare(services, presets, new_store=False)
        return services

    nation = presets.bank_holiday_nation if presets is not None else None
    nation_moves = (
        presets is not None
        and presets.is_locked("bank_holiday_nation")
        and nation is not None
        and first is not None
        and nation is not first.nation
    )
    if first is None or not first.has_pin or nation_moves:
        try:
            return services_on(store, actor=actor, clock=clock), None
        except BaseException:
            store.close()
            raise
    return LateServices(store, presets or Presets(), build, clock=clock), first


def _asking(data_dir: str | Path | None, opening: Callable[[PassphrasePrompt], T]) -> T | None:
    problem = ""
    while True:
        asked: list[bool] = []

        def prompt(creating: bool, asked: list[bool] = asked, problem: str = problem) -> str:
            asked.append(True)
            answer = ask_passphrase(None, creating, problem)
            if answer is None:
                raise Cancelled
            return answer

        try:
            return opening(prompt)
        except StoreError as error:
            if asked and str(error) == WRONG_KEY_MESSAGE:
                log_event(_log, "launch.passphrase_wrong", level=logging.WARNING)
                problem = WRONG_PASSPHRASE
                continue
            QMessageBox.critical(None, "ASB Desktop", str(error))
            return None
        except (KeyUnavailableError, ValueError) as error:
            QMessageBox.critical(None, "ASB Desktop", _sentence(str(error)))
            return None
        except OSError as error:  # the data folder or its files cannot be made or written
            log_event(_log, "launch.store_unusable", level=logging.ERROR, error=error)
            QMessageBox.critical(None, "ASB Desktop", folder_problem(data_dir, error))
            return None


def folder_problem(data_dir: str | Path | None, error: OSError) -> str:
    """An OSError at start in words: a full disk as that, anything else by its system words."""
    folder = resolve_data_dir(data_dir)
    if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return (
            f"The disk that holds {folder} is full, so ASB Desktop cannot open the case "
            "database; nothing was changed or lost. Free some space on it and start ASB "
            "Desktop again."
        )
    return (
        f"ASB Desktop cannot use its data folder {folder} ({error.strerror or 'system error'}); "
        "nothing was changed. Check the folder can be written, or contact IT support."
    )


def _sentence(text: str) -> str:
    text = text.strip()
    return (text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")) if text else text


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
    collect_on_gui_thread(app)  # Qt objects are only ever freed on the GUI thread (ui/garbage.py)
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
    try:
        opened = open_for_window(data_dir, presets)
    except Cancelled:
        log_event(_log, "launch.cancelled")
        QMessageBox.information(None, "ASB Desktop", CANCELLED)
        print(CANCELLED, file=sys.stderr)
        return 0
    if opened is None:
        return 1
    services, first_page = opened
    if not isinstance(services, LateServices):  # else put in once made (window_services)
        prepare(services, presets, new_store=new_store)
    log_event(_log, "app.started", new_store=new_store)
    window = MainWindow(services, first_page)
    window.place_on_screen()
    window.show()
    try:
        code = app.exec()
    finally:
        close_services(services, withdrawn=window.withdrawn)
    return 1 if window.withdrawn or window.start_failed else code


def close_services(services: Services | LateServices, *, withdrawn: bool) -> None:
    """Close the store; for a laptop the central store revoked (the officer was told), then
    delete it (sync/withdrawal.py). A file that cannot be deleted is said on the terminal."""
    services.close()
    if not withdrawn:
        return
    from asb_desktop.sync.withdrawal import delete_local_store

    try:
        delete_local_store(services.data_dir)
    except OSError as error:
        print(
            f"ASB Desktop: the case database in {services.data_dir} could not all be deleted "
            f"({error.strerror}): delete that folder by hand, and tell your IT service.",
            file=sys.stderr,
        )
