"""Settings → "Connect to central store": the server's address and a one-time code.

The exchange runs off the GUI thread; a refused code, a wrong address or an unverifiable
certificate is said in a sentence beside the form, and nothing is stored unless it worked. Opened
again (after this laptop's access was withdrawn), the address it was connected to is filled in.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from asb_desktop.sync.client import SyncError
from asb_desktop.sync.protocol import UserInfo
from asb_desktop.sync.service import SyncService
from asb_desktop.ui.operations.sync_ops import enrol, last_server_address


def _sentence(error: Exception) -> str:
    if isinstance(error, ValueError | SyncError):
        return str(error)
    return "The laptop could not be connected; nothing was changed."


class ConnectDialog(QDialog):
    sig_connected = Signal(object)
    """The laptop is now enrolled; carries the UserInfo it belongs to."""

    def __init__(self, sync: SyncService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sync = sync
        self.setWindowTitle("Connect to central store")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Ask your administrator for a one-time code for this laptop "
            "(it works once, for 24 hours)."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://asb.example.org")
        self.url.setAccessibleName("Server address")
        self.code = QLineEdit()
        self.code.setAccessibleName("One-time code")
        self.ca_bundle = QLineEdit()
        self.ca_bundle.setAccessibleName("CA bundle file (optional)")
        self.browse = QPushButton("Bro&wse…")
        self.browse.setAccessibleName("Choose CA bundle file")
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_bundle)
        ca_row.addWidget(self.browse)
        for text, field in (("Server &address:", self.url), ("One-time co&de:", self.code)):
            label = QLabel(text)
            label.setBuddy(field)
            form.addRow(label, field)
        ca_label = QLabel("CA &bundle (optional):")
        ca_label.setBuddy(self.ca_bundle)
        form.addRow(ca_label, ca_row)
        layout.addLayout(form)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Connection result")
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("&Cancel")
        self.connect_button = self.buttons.addButton(
            "C&onnect", QDialogButtonBox.ButtonRole.AcceptRole
        )
        # Return in a field connects (below), so no button is also "default" and clicked twice.
        for button in self.buttons.buttons():
            if isinstance(button, QPushButton):
                button.setAutoDefault(False)
                button.setDefault(False)
        self.browse.setAutoDefault(False)
        layout.addWidget(self.buttons)
        self.buttons.rejected.connect(self.reject)
        self.connect_button.clicked.connect(self.submit)
        for field in (self.url, self.code, self.ca_bundle):
            field.returnPressed.connect(self.submit)
        self.browse.clicked.connect(self._choose_bundle)
        for first, second in (
            (self.url, self.code),
            (self.code, self.ca_bundle),
            (self.ca_bundle, self.browse),
            (self.browse, self.connect_button),
        ):
            QWidget.setTabOrder(first, second)
        self.user: UserInfo | None = None
        # Connecting again (after a revocation): the address it was connected to, unless the
        # officer has typed one meanwhile.
        self.url_typed = False
        self.url.textEdited.connect(self._url_typed)
        last_server_address(self, sync).success(self._prefill).run()

    def _url_typed(self, _text: str) -> None:
        self.url_typed = True

    def _prefill(self, address: str | None) -> None:
        if address and not self.url_typed:
            self.url.setText(address)

    def _choose_bundle(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "CA bundle", "", "Certificates (*.pem *.crt);;All files (*)"
        )
        if path:
            self.ca_bundle.setText(path)

    def submit(self) -> None:
        if not self.connect_button.isEnabled():
            return  # already connecting
        url, code = self.url.text().strip(), self.code.text().strip()
        if not url or not code:
            self.message.setText("⚠ Enter the server address and the one-time code.")
            return
        ca = self.ca_bundle.text().strip() or None
        self.connect_button.setEnabled(False)
        self.message.setText("Connecting…")
        enrol(self, self.sync, url, code, ca).success(self._connected).failure(self._failed).run()

    def _connected(self, user: UserInfo) -> None:
        self.user = user
        self.message.setText(f"Connected as {user.name}. Your cases will now sync.")
        self.connect_button.setEnabled(True)
        self.sig_connected.emit(user)
        self.accept()

    def _failed(self, error: Exception) -> None:
        self.connect_button.setEnabled(True)
        self.message.setText(f"⚠ {_sentence(error)}")
