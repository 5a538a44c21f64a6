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
from tests.child_processes import started
from tests.paths import REPO
from tests.ui.conftest import DIRECTORY, PIN
from tests.ui.driving import settle, type_text
from tests.ui.intake import draft_child

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
    args = [sys.executable, "-m", "tests.ui.intake.draft_child", str(folder)]
    with started(args, cwd=REPO, env=env, stderr=subprocess.DEVNULL) as child:
        progress: list[tuple[float, int]] = []
        deadline = time.monotonic() + 120
        while not progress or progress[-1][1] < 200:  # about 5 s of steady typing
            line = child.next_line(deadline)
            assert line is not None, "the child stopped or never typed"
            if line.strip().isdigit():
                progress.append((time.monotonic(), int(line)))
        killed_at = time.monotonic()
        child.process.send_signal(signal.SIGKILL)
        child.process.wait()
    assert child.process.returncode == -signal.SIGKILL
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
    # A pause in typing saves the draft on its own: wait for that save, however long the
    # second's timer and the write take on this machine.
    qtbot.waitUntil(
        lambda: (
            not wizard.keeper.timer.isActive()
            and wizard.saved_label.text().startswith("Draft saved at ")
        ),
        timeout=30_000,
    )
    settle(qtbot)
    kept = window.services.drafts.load(wizard.draft_id)
    assert kept is not None and kept.payload["name"] == "Aisha Khan"

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
