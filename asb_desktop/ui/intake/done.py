"""After saving: who the case goes to, when the response is due, and why."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from asb_desktop.services.case_actions import SavedReport
from asb_desktop.ui.widgets import banner
from asb_desktop.ui.words import short_id, when


class DonePanel(QWidget):
    sig_open_case = Signal(str)
    """Open the case just saved."""
    sig_new_report = Signal()
    """Start another report."""

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        self.heading = QLabel("Report saved")
        self.heading.setProperty("role", "heading")
        layout.addWidget(self.heading)
        self.outcome = banner(role="info")
        self.outcome.setAccessibleName("Where the case goes, when it is due, and why")
        layout.addWidget(self.outcome)
        row = QHBoxLayout()
        self.open_button = QPushButton("&Open the case")
        self.new_button = QPushButton("Start &another report")
        row.addWidget(self.open_button)
        row.addWidget(self.new_button)
        row.addStretch()
        layout.addLayout(row)
        layout.addStretch()
        self.case_id = ""
        self.open_button.clicked.connect(lambda: self.sig_open_case.emit(self.case_id))
        self.new_button.clicked.connect(self.sig_new_report)

    def show_saved(self, saved: SavedReport) -> None:
        self.case_id = saved.case_id
        self.heading.setText(
            f"Report added to case {short_id(saved.case_id)} as a new incident"
            if saved.added_to_existing
            else f"Report saved as case {short_id(saved.case_id)}"
        )
        lines = [
            *(
                [
                    f"Case {saved.follows_closed} is closed, and a report after closure is a new "
                    f"case: this one is new, and notes {saved.follows_closed}."
                ]
                if saved.follows_closed
                else []
            ),
            saved.explanation,
            f"Response due by {when(saved.response_due_at)} ({saved.due_in_words}).",
        ]
        if saved.staff_risk_assessment_due_at is not None:
            lines.append(
                "A staff risk assessment is open: due by "
                f"{when(saved.staff_risk_assessment_due_at)} (48 hours, 5.9.1)."
            )
        self.outcome.setText("\n".join(lines))
