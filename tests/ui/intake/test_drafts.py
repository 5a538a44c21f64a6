"""Draft autosave: killed mid-report, the app offers the draft with everything typed up to a
couple of seconds before; drafts are listed, resumed exactly, and discarded."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from asb_desktop.app import services_for
from asb_desktop.store.database import Store
from asb_desktop.store.keys import DatabaseKey, FixedKey
from asb_desktop.ui.intake.pages_report import ComplainantPage, IncidentPage
from asb_desktop.ui.main_window import MainWindow
from tests.paths import REPO
from tests.ui.intake import draft_child
from tests.ui.conftest import DIRECTORY, PIN
from tests.ui.driving import settle, type_text

LOSS_ALLOWED_S = 2.5  # a second after typing stops, at least every two while it goes on


def test_killed_mid_report_the_draft_has_all_but_the_last_seconds(
    qtbot: QtBot, tmp_path: Path
) -> None:
    raw = secrets.token_bytes(32)
    key = FixedKey(DatabaseKey.raw(raw))
    folder = tmp_path / "data"
    setup = services_for(Store.open(folder, key))
    setup.casework.import_directory(DIRECTORY)
    setup.lock.set_pin(PIN)
    setup.close()

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ASB_TEST_KEY": raw.hex()}
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.ui.intake.draft_child", str(folder)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    progress: list[tuple[float, int]] = []
    assert child.stdout is not None
    try:
        deadline = time.monotonic() + 60
        for line in child.stdout:
            if line.strip().isdigit():
                progress.append((time.monotonic(), int(line)))
                if progress[-1][1] >= 200:  # about 5 s of steady typing
                    break
            assert time.monotonic() < deadline, "the child never typed"
        killed_at = time.monotonic()
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.wait(10)
    assert child.returncode == -signal.SIGKILL
    typed_by = max((n for t, n in progress if t <= killed_at - LOSS_ALLOWED_S), default=0)
    assert typed_by > 40, "the test needs typing well before the kill"

    services = services_for(Store.open(folder, key), actor="local:test")
    try:
        window = MainWindow(services)
        qtbot.addWidget(window)
        window.show()
        settle(qtbot)
        window.show_screen("new_report")
        settle(qtbot)
        panel = window.new_report.panel
        assert window.new_report.currentWidget() is panel, "the draft is offered, not lost"
        assert panel.list.count() == 1
        assert draft_child.NAME in panel.list.item(0).text()
        panel.resume.click()
        settle(qtbot)
        wizard = window.new_report.wizard
        assert wizard.current() == 2, "back on the page the officer was on"
        assert wizard.page(ComplainantPage).inputs["name"].text() == draft_child.NAME
        kept = wizard.page(IncidentPage).inputs["description"].toPlainText()
        assert draft_child.DESCRIPTION.startswith(kept)
        assert len(kept) >= typed_by, f"lost more than {LOSS_ALLOWED_S} s of typing"
        window.close()
        settle(qtbot)
    finally:
        services.close()


def test_drafts_are_listed_resumed_and_discarded(window: MainWindow, qtbot: QtBot) -> None:
    window.show_screen("new_report")
    settle(qtbot)
    wizard = window.new_report.wizard
    wizard.next.click()
    type_text(wizard.page(ComplainantPage).inputs["name"], "Aisha Khan")
    qtbot.wait(1200)  # a second's pause in typing saves the draft on its own
    settle(qtbot)
    assert wizard.saved_label.text().startswith("Draft saved at ")

    wizard.later.click()
    settle(qtbot)
    panel = window.new_report.panel
    assert [panel.list.item(i).text().split(": ", 1)[1] for i in range(panel.list.count())] == [
        "Aisha Khan"
    ]
    panel.resume.click()
    settle(qtbot)
    assert wizard.page(ComplainantPage).inputs["name"].text() == "Aisha Khan"
    assert wizard.current() == 1

    wizard.later.click()
    settle(qtbot)
    assert panel.list.count() == 1
    # Discarding asks first; Cancel keeps the draft.
    panel.discard.click()
    box = panel.findChild(QMessageBox)
    assert box is not None and box.isVisible()
    box.button(QMessageBox.StandardButton.Cancel).click()
    settle(qtbot)
    assert len(window.services.drafts.list()) == 1
    panel.discard.click()
    box = next(b for b in panel.findChildren(QMessageBox) if b.isVisible())
    box.button(QMessageBox.StandardButton.Discard).click()
    settle(qtbot)
    assert window.services.drafts.list() == []
