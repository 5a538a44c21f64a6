"""The main window. The casework screens (intake, caseload, workspace) hang off it."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMainWindow, QVBoxLayout, QWidget

from asb_desktop.app import Services
from asb_desktop.store.cases import CaseFilter


class MainWindow(QMainWindow):
    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.setWindowTitle("ASB Desktop")
        self.resize(1200, 760)
        body = QWidget()
        layout = QVBoxLayout(body)
        count = services.casework.count_cases(CaseFilter())
        self.summary = QLabel(f"{count} case(s) stored in the encrypted case database.")
        self.summary.setAccessibleName("Case count")
        layout.addWidget(self.summary)
        layout.addStretch()
        self.setCentralWidget(body)
        self.statusBar().showMessage(f"Data stored encrypted in {services.data_dir}")
