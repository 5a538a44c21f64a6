"""The first-run walk-through: who you are, your PIN, and where the key to your data is kept.

Shown once, on a new store (no PIN chosen yet). Every question has an answer an officer knows or
a default that is fine to keep: the name and role can be left for later, the central store is
optional (the app works on this laptop alone), and only the PIN must be chosen, because it is
what hides case data when the laptop is left unattended. If the walk-through is closed early,
the lock screen still asks for a PIN, so there is never a window without one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from asb_desktop.app import Services
from asb_desktop.domain.directory import Directory, Role
from asb_desktop.services.lock import (
    MAX_PIN_LENGTH,
    MIN_PIN_LENGTH,
    PIN_ADVICE,
    PinError,
    check_new_pin,
)
from asb_desktop.store.database import STORE_INFO_FILE
from asb_desktop.ui.changes import Changed
from asb_desktop.ui.keyboard import focus_for_keys
from asb_desktop.ui.lock.lock_screen import pin_field
from asb_desktop.ui.operations import Operation
from asb_desktop.ui.widgets import banner

ROLES = [
    (Role.HOUSING_OFFICER.value, "Housing officer"),
    (Role.ENFORCEMENT_OFFICER.value, "Enforcement officer"),
    (Role.SCHEME_COORDINATOR.value, "Scheme coordinator"),
    (Role.TEAM_LEADER.value, "Team leader"),
    (Role.HOUSING_MANAGER.value, "Housing manager"),
    (Role.ADMIN.value, "Administrator"),
]
LATER = "Later, from Settings"


@dataclass(frozen=True)
class FirstRunAnswers:
    pin: str
    staff_id: str | None
    name: str
    role: str


def save_answers(services: Services, answers: FirstRunAnswers) -> None:
    """The PIN, then who the officer is; on a worker (Argon2 takes a moment)."""
    services.lock.set_pin(answers.pin)
    if answers.staff_id and services.casework.directory().member(answers.staff_id):
        services.actions.set_officer(answers.staff_id)
    services.officer.save_first_run(name=answers.name, role=answers.role)


def key_kept_in_keyring(services: Services) -> bool:
    try:
        info = json.loads((services.data_dir / STORE_INFO_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return True
    return not (isinstance(info, dict) and info.get("key_source") == "passphrase")


def _text(words: str) -> QLabel:
    label = QLabel(words)
    label.setWordWrap(True)
    return label


class WhoPage(QWizardPage):
    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle("Who you are")
        self.setSubTitle("Used to sign your notes and actions and to show you your own cases.")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.staff = QComboBox()
        self.staff.setAccessibleName("Choose yourself")
        self.staff_label = QLabel("&You are:")
        self.staff_label.setBuddy(self.staff)
        form.addRow(self.staff_label, self.staff)
        self.name = QLineEdit()
        self.name.setAccessibleName("Your name")
        self.name.setPlaceholderText("Optional: you can add it later in Settings")
        self.name_label = QLabel("Your na&me:")  # Alt+N is Next
        self.name_label.setBuddy(self.name)
        form.addRow(self.name_label, self.name)
        self.role = QComboBox()
        self.role.setAccessibleName("Your role")
        for value, text in ROLES:
            self.role.addItem(text, value)
        self.role_label = QLabel("Your &role:")
        self.role_label.setBuddy(self.role)
        form.addRow(self.role_label, self.role)
        layout.addLayout(form)
        layout.addSpacing(12)
        layout.addWidget(_text("<b>Central case store</b>"))
        self.connect_text = _text("")
        layout.addWidget(self.connect_text)
        self.connect_button = QPushButton("&Connect to the central store…")
        self.connect_button.clicked.connect(wizard.connect_central)
        layout.addWidget(self.connect_button)
        self.connected = banner(role="info")
        self.connected.hide()
        layout.addWidget(self.connected)
        layout.addStretch()
        self.show_directory(wizard.directory)
        self.show_connect(wizard.can_connect)

    def initializePage(self) -> None:
        """Arriving on the page: the focus on its first question (never on Next)."""
        focus_for_keys(self.staff if self.staff.isVisibleTo(self) else self.name)

    def show_directory(self, directory: Directory) -> None:
        """With a staff directory the officer picks themself; without one they may type."""
        chosen = self.staff.currentData()
        self.staff.clear()
        self.staff.addItem(LATER, None)
        for member in directory.staff:
            self.staff.addItem(member.name, member.id)
        self.staff.setCurrentIndex(max(self.staff.findData(chosen), 0))
        listed = bool(directory.staff)
        chooser: tuple[QWidget, ...] = (self.staff, self.staff_label)
        typed: tuple[QWidget, ...] = (self.name, self.name_label, self.role, self.role_label)
        for widget in chooser:
            widget.setVisible(listed)
        for widget in typed:
            widget.setVisible(not listed)

    def show_connect(self, available: bool) -> None:
        if available:
            self.connect_text.setText(
                "If your organisation uses a central case store, IT gives you its address and "
                "a one-time code. You can skip this: ASB Desktop works on this laptop alone "
                "and you can connect later from the Sync page."
            )
        else:
            self.connect_text.setText(
                "ASB Desktop works on this laptop alone. If your organisation uses a central "
                "case store, you can connect to it later from the Sync page."
            )
        self.connect_button.setVisible(available)


class PinPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Your PIN")
        self.setSubTitle(
            f"Choose a PIN of {MIN_PIN_LENGTH} to {MAX_PIN_LENGTH} digits. ASB Desktop locks "
            "itself when left idle, hiding all case data, and this PIN unlocks it."
        )
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.pin = pin_field("PIN")
        self.again = pin_field("PIN again")
        pin_label = QLabel("&PIN:")
        pin_label.setBuddy(self.pin)
        again_label = QLabel("PIN &again:")
        again_label.setBuddy(self.again)
        form.addRow(pin_label, self.pin)
        form.addRow(again_label, self.again)
        layout.addLayout(form)
        self.error = QLabel()
        self.error.setProperty("role", "error")
        self.error.setAccessibleName("Problem")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        self.advice = _text(f"{PIN_ADVICE} You will type it whenever the window has locked itself.")
        layout.addWidget(self.advice)
        layout.addStretch()

    def initializePage(self) -> None:
        focus_for_keys(self.pin)

    def validatePage(self) -> bool:
        try:
            check_new_pin(self.pin.text())
        except PinError as error:
            self.error.setText("⚠ " + str(error))
            self.pin.clear()  # a new PIN is typed twice afresh
            self.again.clear()
            self.pin.setFocus()
            return False
        if self.pin.text() != self.again.text():
            self.error.setText("⚠ The two PINs are not the same.")
            self.again.clear()
            self.again.setFocus()
            return False
        self.error.clear()
        return True


class KeyPage(QWizardPage):
    def __init__(self, keyring: bool) -> None:
        super().__init__()
        self.setTitle("Where your data is kept, and if the laptop is lost")
        self.setSubTitle("Nothing to choose here: read it once, then start.")
        layout = QVBoxLayout(self)
        if keyring:
            where = (
                "Cases, notes and drafts are stored on this laptop, encrypted. The key that "
                "opens them is kept in this computer's secure keyring, which your own sign-in "
                "unlocks, so you do not need to remember it."
            )
        else:
            where = (
                "Cases, notes and drafts are stored on this laptop, encrypted. The key that "
                "opens them comes from the passphrase you just chose: ASB Desktop asks for it "
                "each time it starts. Nobody, not even IT, can open the data without it."
            )
        self.where = _text(where)
        layout.addWidget(self.where)
        layout.addSpacing(8)
        layout.addWidget(_text("<b>If the laptop is lost or stolen</b>"))
        layout.addWidget(
            _text(
                "Tell your manager and IT the same day. Whoever finds it cannot read the cases: "
                "without your sign-in (or passphrase) the data is unreadable, and the PIN "
                "hides everything when the laptop is left idle. Cases sent to the central "
                "store are safe there; work that was only on this laptop is lost with it, so "
                "connect to the central store when you can. IT then withdraws the laptop: if it "
                "ever reaches the central store again, it deletes its cases, saying so first."
            )
        )
        layout.addStretch()


class FirstRunWizard(QWizard):
    sig_done = Signal(object)
    """Everything was saved; carries the FirstRunAnswers (the PIN among them)."""

    def __init__(self, services: Services, directory: Directory, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.services = services
        self.directory = directory
        self.saving = False
        self.connector: Any = None
        self.setWindowTitle("Welcome to ASB Desktop")
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButton, True)
        self.setButtonText(QWizard.WizardButton.FinishButton, "&Start using ASB Desktop")
        self.setMinimumSize(680, 440)
        self.who = WhoPage(self)
        self.pin = PinPage()
        self.key = KeyPage(key_kept_in_keyring(services))
        for page in (self.who, self.pin, self.key):
            self.addPage(page)
        self.problem = ""

    @property
    def can_connect(self) -> bool:
        try:
            import asb_desktop.ui.sync.connect_dialog  # noqa: F401
        except ImportError:
            return False
        return True

    def connect_central(self) -> None:
        from asb_desktop.ui.sync.connect_dialog import ConnectDialog

        dialog = ConnectDialog(self.services.sync, self)
        url = self.services.presets.central_store_url
        if url and not dialog.url.text():
            dialog.url.setText(url)
        dialog.sig_connected.connect(self._connected)
        self.connector = dialog
        dialog.open()

    def _connected(self, user: Any) -> None:
        self.who.connected.setText(f"Connected to the central store as {user.name}.")
        self.who.connected.show()
        self.who.name.setText(user.name)
        self.who.connect_button.setEnabled(False)
        casework = self.services.casework
        reading = Operation(self, casework.directory, name="directory.read").read_only()
        reading.success(self._directory_arrived).run()
        self.connected_id = user.id

    def _directory_arrived(self, directory: Directory) -> None:
        self.directory = directory
        self.who.show_directory(directory)
        staff_id = getattr(self, "connected_id", None)
        if staff_id:
            self.who.staff.setCurrentIndex(max(self.who.staff.findData(staff_id), 0))

    def answers(self) -> FirstRunAnswers:
        who = self.who
        staff_id = who.staff.currentData() if self.directory.staff else None
        name = who.staff.currentText() if staff_id else who.name.text().strip()[:120]
        member = self.directory.member(staff_id) if staff_id else None
        role = (
            sorted(r.value for r in member.roles)[0]
            if member and member.roles
            else str(who.role.currentData())
        )
        return FirstRunAnswers(pin=self.pin.pin.text(), staff_id=staff_id, name=name, role=role)

    def accept(self) -> None:
        """Save, then close; the window opens only once the PIN is stored."""
        if self.saving:
            return
        self.saving = True
        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)
        answers, services = self.answers(), self.services
        saving = Operation(
            self,
            lambda: save_answers(services, answers),
            name="first_run.save",
            changes=Changed(settings=True),
        )
        saving.success(lambda _: self._saved(answers)).failure(self._failed).run()

    def _saved(self, answers: FirstRunAnswers) -> None:
        self.saving = False
        super().accept()
        self.sig_done.emit(answers)

    def _failed(self, error: Exception) -> None:
        self.saving = False
        self.button(QWizard.WizardButton.FinishButton).setEnabled(True)
        self.problem = str(error) if isinstance(error, PinError) else "Your PIN could not be saved."
        self.key.setSubTitle("⚠ " + self.problem + " Press Start again.")
