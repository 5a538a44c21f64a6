"""One case, worked from one place: summary, people, incidents, notes, history, and actions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from asb_desktop.app import Services
from asb_desktop.domain.case_management import RiskLevel
from asb_desktop.domain.retention import retention_words
from asb_desktop.services.case_actions import CaseView
from asb_desktop.ui.changes import Changed, change_hub
from asb_desktop.ui.file_choice import FileDropTarget
from asb_desktop.ui.operations.case_ops import open_case
from asb_desktop.ui.widgets import banner
from asb_desktop.ui.words import case_label, label, when
from asb_desktop.ui.workspace import case_action_forms as acts
from asb_desktop.ui.workspace import closing_forms, letter_dialog, review_forms
from asb_desktop.ui.workspace.case_panels import (
    NO_APPLICATION,
    application_lines,
    clocks_lines,
    entries_lines,
    fill,
    history_lines,
    incidents_lines,
    people_text,
    plan_lines,
    referral_words,
    review_text,
    scroll_text,
    summary_text,
)
from asb_desktop.ui.workspace.closing_words import closed_status, reopened_status
from asb_desktop.ui.workspace.disclosure_lines import NO_DISCLOSURE, disclosure_lines
from asb_desktop.ui.workspace.evidence_tab import EvidenceTab

PrintHook = Callable[[str, QWidget], None]
"""Prints a case summary (case id, parent window); the reports work plugs in here."""


class CaseWorkspace(FileDropTarget, QWidget):
    sig_back = Signal()
    """The officer went back to the caseload."""

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.view: CaseView | None = None
        self.print_hook: PrintHook | None = None
        change_hub().sig_changed.connect(self._changed)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.back = QPushButton("‹ Back to the &caseload")
        self.back.clicked.connect(self.sig_back)
        top.addWidget(self.back)
        self.title = QLabel("Case")
        self.title.setProperty("role", "heading")
        top.addWidget(self.title, 1)
        self.print_button = QPushButton("&Print summary…")
        self.print_button.setEnabled(False)
        self.print_button.setToolTip("Case summary PDFs are not connected in this build yet.")
        self.print_button.clicked.connect(self._print)
        top.addWidget(self.print_button)
        layout.addLayout(top)
        self.status = banner(role="info")
        self.status.setAccessibleName("Case status")
        layout.addWidget(self.status)

        # Four to a row: five made the workspace wider than a 1024-pixel screen's window.
        grid = QGridLayout()
        self.buttons: dict[str, QPushButton] = {}
        cells: dict[str, tuple[int, int]] = {}
        for key, text in acts.BUTTONS:
            button = QPushButton(text)
            button.setAccessibleName(text.replace("&", ""))
            button.clicked.connect(lambda _=False, k=key: self.start_action(k))
            shared = closing_forms.SAME_PLACE.get(key)
            if shared is None:
                cells[key] = divmod(len(cells), 4)
            grid.addWidget(button, *cells[shared or key])
            self.buttons[key] = button
        # Letter to the complainant: its own form (ui/workspace/letter_dialog.py), after the rest.
        letter = QPushButton(letter_dialog.BUTTON_TEXT)
        letter.setAccessibleName(letter_dialog.BUTTON_TEXT.replace("&", "").rstrip("…"))
        letter.clicked.connect(lambda _=False: self.start_action(letter_dialog.KEY))
        grid.addWidget(letter, *divmod(len(cells), 4))
        cells[letter_dialog.KEY] = divmod(len(cells), 4)
        self.buttons[letter_dialog.KEY] = letter
        layout.addLayout(grid)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Case details")
        summary_area, self.summary = scroll_text("Summary")
        people_area, self.people = scroll_text("People")
        self.incidents = QListWidget()
        self.incidents.setAccessibleName("Incidents, newest first")
        self.incidents.setWordWrap(True)
        self.incidents.setSpacing(6)
        self.entries = QListWidget()
        self.entries.setAccessibleName("Notes, contacts and actions, newest first")
        self.entries.setWordWrap(True)
        self.entries.setSpacing(6)
        self.history = QListWidget()
        self.history.setAccessibleName("Audit history, newest first")
        self.tabs.addTab(summary_area, "&1 Summary")
        self.tabs.addTab(people_area, "&2 People")
        self.tabs.addTab(self.incidents, "&3 Incidents")
        self.tabs.addTab(self.entries, "&4 Notes and contacts")
        self.clocks = QListWidget()
        self.clocks.setAccessibleName("Deadlines, in the order they fall due, and the action plan")
        self.clocks.setWordWrap(True)
        self.clocks.setSpacing(6)
        self.tabs.addTab(self._history_tab(), "&5 History")
        self.tabs.addTab(self.clocks, "&6 Deadlines and plan")
        self.tabs.addTab(self._review_tab(), "&7 Case Review")
        self.evidence = EvidenceTab(services, self.show_view)
        self.tabs.addTab(self.evidence, "&8 Evidence")
        self.tabs.currentChanged.connect(self._tab_shown)
        layout.addWidget(self.tabs, 1)
        self.setAcceptDrops(True)  # files dropped anywhere on the case are offered to attach

    def _review_tab(self) -> QWidget:
        """Whether the complainant qualifies, the reports that count, the applications made,
        and the buttons that record an application's steps."""
        page = QWidget()
        layout = QVBoxLayout(page)
        row = QHBoxLayout()
        for key, text in review_forms.BUTTONS:
            button = QPushButton(text)
            button.setAccessibleName(text.replace("&", "").rstrip("…"))
            button.clicked.connect(lambda _=False, k=key: self.start_action(k))
            row.addWidget(button)
            self.buttons[key] = button
        row.addStretch()
        layout.addLayout(row)
        review_area, self.review = scroll_text("ASB Case Review")
        layout.addWidget(review_area, 1)
        heading = QLabel("Applications for an ASB Case Review, newest first:")
        layout.addWidget(heading)
        self.review_applications = QListWidget()
        self.review_applications.setAccessibleName(heading.text().rstrip(":"))
        self.review_applications.setWordWrap(True)
        self.review_applications.setSpacing(4)
        layout.addWidget(self.review_applications, 1)
        return page

    def _history_tab(self) -> QWidget:
        """What was given outside the team (the disclosure log), then the audit history."""
        page = QWidget()
        layout = QGridLayout(page)  # side by side: the tab is no taller than one list
        layout.setContentsMargins(0, 4, 0, 0)
        heading = QLabel("Disclosures: what was given outside the team, newest first:")
        heading.setWordWrap(True)
        self.disclosures = QListWidget()
        self.disclosures.setAccessibleName(heading.text().rstrip(":"))
        self.disclosures.setWordWrap(True)
        self.disclosures.setSpacing(4)  # a wrapped entry is told from the next
        layout.addWidget(heading, 0, 0)
        layout.addWidget(self.disclosures, 1, 0)
        layout.addWidget(QLabel("Audit history, newest first:"), 0, 1)
        layout.addWidget(self.history, 1, 1)
        layout.setRowStretch(1, 1)
        return page

    def set_print_hook(self, hook: PrintHook | None) -> None:
        self.print_hook = hook
        self.print_button.setEnabled(hook is not None)
        self.print_button.setToolTip("" if hook else "Case summary PDFs are not connected yet.")

    def _print(self) -> None:
        if self.print_hook is not None and self.view is not None:
            self.print_hook(self.view.case.id, self)

    def open_case(self, case_id: str) -> None:
        self.title.setText("Opening the case…")
        actions = self.services.actions
        open_case(self, actions, case_id).success(self.show_view).failure(self._failed).run()

    def reload(self) -> None:
        if self.view is not None:
            self.open_case(self.view.case.id)

    def _changed(self, changed: Changed) -> None:
        """Many cases changed (a sync, a new directory): the open one may be among them. A
        change to this one case came from its own action, which shows the result already."""
        if changed.cases and changed.case_id is None:
            self.reload()

    def _failed(self, error: Exception) -> None:
        self.title.setText("This case could not be opened.")

    def show_view(self, view: CaseView) -> None:
        self.view = view
        case = view.case
        self.title.setText(f"Case {case_label(case.reference, case.id)}")
        if not case.is_open:
            state = closed_status(case)
        elif case.first_response is not None:
            state = (
                f"Open. First response recorded: target {'met' if view.response_met else 'missed'}."
            )
        else:
            state = f"Open. Response {view.due_in_words}."
        state += reopened_status(case)
        if case.referral is not None:
            state += f" {referral_words(case.referral, view.names)}."
        kept = retention_words(case.legal_hold, view.outcome.destroy_after)
        if kept is not None:  # "Kept until 3 March 2032, …" or "On legal hold: …"
            state += f" {kept}"
        risk = view.outcome.risk_level
        risk_words = f" Risk: {risk.value}{' ⚠' if risk is RiskLevel.HIGH else ''}." if risk else ""
        update_due = view.outcome.next_update_due_at
        if case.is_open and update_due is not None:
            late = view.now is not None and view.now > update_due
            state += (
                f" Next update to the complainant {'overdue: it was due' if late else 'due'} "
                f"{when(update_due)}."
            )
        overdue = sum(1 for c in view.clocks if c.overdue)
        if overdue:
            state += f" ⚠ {overdue} deadline{'s' if overdue != 1 else ''} overdue (tab 6)."
        self.status.setText(
            f"{state}\n{view.outcome.assignment.explain()} Severity: {label(case.severity.value)}."
            f"{risk_words}"
        )
        self.summary.setText(summary_text(view))
        self.people.setText(people_text(case))
        fill(self.incidents, incidents_lines(case), "No incidents recorded.")
        fill(self.entries, entries_lines(case, view.names), "No notes or contacts yet.")
        fill(self.history, history_lines(view), "No history.")
        fill(self.disclosures, disclosure_lines(view), NO_DISCLOSURE)
        plan = plan_lines(view) or ["No action plan yet: Alt+G to agree one, Alt+D to add actions."]
        fill(self.clocks, [*clocks_lines(view), *plan], "No deadlines.")
        self.review.setText(review_text(view))
        fill(self.review_applications, application_lines(view), NO_APPLICATION)
        self.evidence.show_view(view)
        for key, button in self.buttons.items():
            ruled = review_forms.unavailable if key in review_forms.KEYS else acts.unavailable
            if key == letter_dialog.KEY:
                ruled = letter_dialog.unavailable
            reason = ruled(key, case)
            button.setEnabled(reason is None)
            button.setToolTip(reason or "")
            button.setAccessibleDescription(reason or "")
        self.buttons["close"].setVisible(case.is_open)  # one of the two, in one place
        self.buttons["reopen"].setVisible(not case.is_open)

    def _tab_shown(self, index: int) -> None:
        """Alt+8: the keys go on to the evidence list (its arrows, Alt+S to save a copy)."""
        if self.tabs.widget(index) is self.evidence and self.isVisible():
            self.evidence.list.setFocus(Qt.FocusReason.TabFocusReason)

    def takes_drops(self) -> bool:
        return self.view is not None

    def files_dropped(self, paths: list[Path]) -> None:
        """Files dropped on the case: the Evidence tab, and the Attach dialog with them."""
        self.tabs.setCurrentWidget(self.evidence)
        self.evidence.start_attach(paths)

    def start_action(self, key: str) -> Any:
        """Open the form for one action; returns the dialog (shown, not modal-blocking)."""
        if self.view is None:
            return None
        forms = review_forms if key in review_forms.KEYS else acts
        if key == letter_dialog.KEY:
            dialog = letter_dialog.LetterDialog(self.services, self.view.case, self)
        else:
            dialog = forms.dialog_for(key, self, self.view, self.services, self.show_view)
        dialog.finished.connect(lambda _result: self._focus_after_action(key))
        dialog.show()  # not modal: Ctrl+L and the idle lock must still reach the window
        return dialog

    def _focus_after_action(self, key: str) -> None:
        """Back on the action's button once its form closes (the next key goes somewhere), or
        on Print summary when the action is no longer open to this case."""
        self.window().activateWindow()
        button = self.buttons.get(key)
        if key in review_forms.KEYS and not (button and button.isEnabled()):
            # the Case Review's furthest step open (the outcome after a decision to go ahead)
            button = next((self.buttons[k] for k, _ in reversed(review_forms.BUTTONS)
                           if self.buttons[k].isEnabled()), None)  # fmt: skip
        if key in closing_forms.NEXT_STEP:  # the closing's next step, when open to the case
            steps = [self.buttons[k] for k in (*closing_forms.NEXT_STEP[key], key)]
            button = next((b for b in steps if b.isEnabled() and b.isVisible()), None)
        target = button if button is not None and button.isEnabled() else self.print_button
        target.setFocus(Qt.FocusReason.OtherFocusReason)
