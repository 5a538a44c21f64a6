"""Settings: who I am, idle lock time, UK nation for bank holidays, directory import, data folder,
and "Copy diagnostics" for IT support. A setting the organisation locked is shown read-only."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from asb_desktop.app import Services
from asb_desktop.domain.calendar import Nation
from asb_desktop.domain.directory import Directory
from asb_desktop.domain.errors import ProcedureError
from asb_desktop.services.lock import IDLE_CHOICES
from asb_desktop.ui.operations import Operation
from asb_desktop.ui.operations.settings_ops import change_setting
from asb_desktop.ui.widgets import add_row, banner, combo
from asb_desktop.ui.workspace.action_dialog import user_sentence

LOCKED_HINT = "Set by your organisation; ask IT to change it."

NATIONS = [
    (Nation.ENGLAND_AND_WALES.value, "England and Wales"),
    (Nation.SCOTLAND.value, "Scotland"),
    (Nation.NORTHERN_IRELAND.value, "Northern Ireland"),
]


def toolkit_facts() -> list[str]:
    """Qt's part of the diagnostics, read on the GUI thread (services import no Qt)."""
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion

    return [
        f"qt: PySide6 {pyside_version}, Qt {qVersion()}, platform {QApplication.platformName()}"
    ]


class SettingsScreen(QWidget):
    sig_change_pin = Signal()
    """The officer wants to change the lock PIN."""
    sig_connect = Signal()
    """The officer wants to connect this laptop to the central store."""

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        layout = QVBoxLayout(self)
        heading = QLabel("Settings")
        heading.setProperty("role", "heading")
        layout.addWidget(heading)
        form = QFormLayout()
        form.setVerticalSpacing(12)
        self.officer = combo([(None, "Not chosen")])
        add_row(
            form,
            "Y&ou are:",
            self.officer,
            hint="Used for “Mine” in the caseload and to sign notes and actions.",
        )
        presets = services.presets
        self.idle = combo([(m, f"{m} minute{'s' if m > 1 else ''}") for m in IDLE_CHOICES])
        idle_locked = presets.is_locked("idle_lock_minutes")
        add_row(form, "&Lock after idle for:", self.idle, hint=LOCKED_HINT if idle_locked else None)
        self.nation = combo(NATIONS)
        nation_locked = presets.is_locked("bank_holiday_nation")
        add_row(
            form,
            "&Bank holidays of:",
            self.nation,
            hint=LOCKED_HINT
            if nation_locked
            else "Working days for response targets skip this nation's bank holidays.",
        )
        for box, locked in ((self.idle, idle_locked), (self.nation, nation_locked)):
            box.setEnabled(not locked)
            box.setToolTip(LOCKED_HINT if locked else "")
        self.organisation = QLabel(services.organisation_name())  # no ReportLab at start-up
        self.organisation.setAccessibleName("Organisation on case summaries")
        add_row(
            form,
            "Organisation:",
            self.organisation,
            hint="Printed with its logo on every case summary."
            + (" Set by your organisation." if presets.organisation_name else ""),
        )
        self.pin_button = QPushButton("Change &PIN…")
        add_row(form, "Lock PIN:", self.pin_button)
        self.connect_button = QPushButton("Connect to central &store…")
        add_row(
            form,
            "Central store:",
            self.connect_button,
            hint="Enrol this laptop with the address and one-time code IT gave you; cases then "
            "sync whenever the laptop is online.",
        )
        self.import_button = QPushButton("&Import staff directory…")
        self.directory_info = QLabel()
        self.directory_info.setWordWrap(True)
        add_row(form, "Staff directory:", self.import_button)
        form.addRow("", self.directory_info)
        folder = QLabel(str(services.data_dir))
        folder.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        folder.setAccessibleName("Data folder")
        folder.setWordWrap(True)
        form.addRow("Data folder:", folder)
        form.addRow("", QLabel("Cases, drafts and settings are stored encrypted (SQLCipher)."))
        self.diagnostics_button = QPushButton("Copy &diagnostics")
        add_row(
            form,
            "For IT support:",
            self.diagnostics_button,
            hint="Copies the version, settings (never secrets) and the recent log, with no "
            "case data, so you can paste them into a message to IT.",
        )
        holder = QWidget()
        holder.setLayout(form)
        holder.setMaximumWidth(820)
        layout.addWidget(holder)
        self.message = banner(role="info")
        self.message.hide()
        layout.addWidget(self.message)
        layout.addStretch()
        self._loading = False
        self.officer.currentIndexChanged.connect(self._officer_chosen)
        self.idle.currentIndexChanged.connect(self._idle_chosen)
        self.nation.currentIndexChanged.connect(self._nation_chosen)
        self.import_button.clicked.connect(self.choose_directory_file)
        self.pin_button.clicked.connect(self.sig_change_pin)
        self.connect_button.clicked.connect(self.sig_connect)
        self.diagnostics_button.clicked.connect(self.copy_diagnostics)

    def show_values(
        self, *, directory: Directory, officer: str | None, idle: int, nation: str
    ) -> None:
        self._loading = True
        self.officer.clear()
        self.officer.addItem("Not chosen", None)
        for member in directory.staff:
            self.officer.addItem(member.name, member.id)
        for box, value in ((self.officer, officer), (self.idle, idle), (self.nation, nation)):
            box.setCurrentIndex(max(box.findData(value), 0))
        self.directory_info.setText(
            f"{len(directory.staff)} staff, {len(directory.estates)} estates, "
            f"{len(directory.schemes)} schemes loaded."
        )
        self._loading = False

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def _store(self, work: Any, done: str, *, name: str) -> None:
        change_setting(self, work, name=name).success(lambda _: self._say(done)).failure(
            lambda e: self._say("⚠ " + user_sentence(e))
        ).run()

    def _officer_chosen(self) -> None:
        staff_id = self.officer.currentData()
        if not self._loading and staff_id:
            actions = self.services.actions
            self._store(
                lambda: actions.set_officer(staff_id),
                "Saved: who you are.",
                name="settings.officer",
            )

    def _idle_chosen(self) -> None:
        if not self._loading:
            minutes, lock = int(self.idle.currentData()), self.services.lock
            self._store(
                lambda: lock.set_idle_minutes(minutes),
                f"Saved: the window locks after {minutes} idle minutes.",
                name="settings.idle_lock",
            )

    def _nation_chosen(self) -> None:
        if not self._loading:
            nation, work = Nation(self.nation.currentData()), self.services.casework
            self._store(
                lambda: work.set_nation(nation),
                "Saved: bank holidays for response targets.",
                name="settings.nation",
            )

    def choose_directory_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import staff directory", "", "JSON (*.json)")
        if path:
            self.import_directory(Path(path))

    def import_directory(self, path: Path) -> None:
        casework = self.services.casework

        def work() -> Any:
            try:
                document = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                raise ProcedureError(f"{path.name} could not be read as a JSON file.") from None
            return casework.import_directory(document)

        self._store(
            work, f"Imported the staff directory from {path.name}.", name="directory.import"
        )

    def copy_diagnostics(self) -> None:
        """Gathered off the GUI thread (it reads the store and the log), then put on the
        clipboard and confirmed in words."""
        services, toolkit = self.services, toolkit_facts()
        self.diagnostics_button.setEnabled(False)
        self._say("Gathering the diagnostics…")
        gathering = Operation(
            self, lambda: services.diagnostics(toolkit), name="settings.diagnostics"
        )
        reading = gathering.read_only()
        reading.success(self._diagnostics_ready).failure(self._diagnostics_failed).run()

    def _diagnostics_ready(self, text: str) -> None:
        self.diagnostics_button.setEnabled(True)
        QApplication.clipboard().setText(text)
        lines = text.count("\n")
        self._say(
            f"Copied the diagnostics ({lines} lines) to the clipboard. Paste them into your "
            "message to IT support; they hold no case data and no secrets."
        )

    def _diagnostics_failed(self, _: Exception) -> None:
        self.diagnostics_button.setEnabled(True)
        self._say("⚠ The diagnostics could not be gathered. Try again, or tell IT the version.")
