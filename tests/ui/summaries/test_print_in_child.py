"""Print summary draws its PDF in a child process started as the dialog opens
(reports/summary_child.py), so the window's process never holds ReportLab's work: the Save
works with this process unable to draw a summary at all, the child started ahead made it, and
closing the dialog lets the next waiting child go. Real window, real store, key events."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from asb_desktop.app import Services
from asb_desktop.ui.main_window import MainWindow
from tests.reports.report_pdf_checks import flat_text
from tests.ui.driving import settle, type_text
from tests.ui.summaries.test_print_and_open import open_dialog, press


def _not_here(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError("a summary was drawn in the window's process")


def test_print_summary_is_drawn_in_a_child_started_ahead_and_let_go_on_close(
    window: MainWindow,
    services: Services,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dialog = open_dialog(window, services, qtbot)
    maker = dialog.maker
    assert maker is not None
    assert maker._spare is not None, "a child is started as the dialog opens"
    qtbot.waitUntil(maker.ready, timeout=60_000)  # it has loaded: the officer was choosing
    ahead = maker._spare.child
    for where in ("asb_desktop.reports", "asb_desktop.reports.batch", "asb_desktop.reports.summary_child"):  # fmt: skip
        monkeypatch.setattr(f"{where}.build_case_summary", _not_here)
    saved = tmp_path / "summary.pdf"
    dialog.path.clear()
    type_text(dialog.path, str(saved))
    with qtbot.waitSignal(dialog.sig_saved, timeout=60_000) as done:
        press(qtbot, dialog.save_button)
    assert done.args[0].pages >= 1
    assert "Zoë Ní Bhriain" in flat_text(saved.read_bytes())
    assert dialog.message.text().startswith(f"Saved: {done.args[0].pages} page")
    assert ahead.wait(timeout=60) == 0, "the child started ahead made it"
    assert maker._spare is not None
    following = maker._spare.child
    assert following is not ahead and following.poll() is None  # the next Save's child
    dialog.close()
    settle(qtbot)
    assert following.wait(timeout=60) == 0, "closing the dialog lets its waiting child go"
