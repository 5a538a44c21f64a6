"""The sync widgets with real widgets, a real central service and real stores (pytest-qt)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from asb_desktop.store.settings import set_setting
from asb_desktop.sync import enrolment
from asb_desktop.sync.protocol import UserInfo
from asb_desktop.ui.operations import wait_for_operations
from asb_desktop.ui.sync.connect_dialog import ConnectDialog
from asb_desktop.ui.sync.sync_controller import SyncController
from asb_desktop.ui.sync.sync_page import SyncPage
from asb_desktop.ui.sync.sync_status import SyncStatusWidget
from tests.sync.sync_support import Laptop, Server, admin, free_port_url

Factory = Callable[..., Laptop]


@pytest.fixture(autouse=True)
def settle_workers() -> Iterator[None]:
    yield
    assert wait_for_operations(20000)


def controller_for(
    laptop: Laptop, qtbot: QtBot, **timers: int
) -> tuple[SyncController, SyncStatusWidget]:
    controller = SyncController(laptop.sync, **timers)
    status = SyncStatusWidget(controller)
    qtbot.addWidget(status)
    controller.setParent(status)
    return controller, status


def test_connect_dialog_enrols_with_a_code_and_says_who(
    central: Server, laptop_factory: Factory, qtbot: QtBot
) -> None:
    laptop = laptop_factory()
    dialog = ConnectDialog(laptop.sync)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.url, central.url)
    qtbot.keyClicks(dialog.code, "wrong-code")
    qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.message.text().startswith("⚠"), timeout=10000)
    assert "code" in dialog.message.text() and not laptop.sync.status().connected
    dialog.code.clear()
    qtbot.keyClicks(dialog.code, admin(central.db_url, "enrol-device", "--user", "s-ho").strip())
    with qtbot.waitSignal(dialog.sig_connected, timeout=10000) as connected:
        qtbot.keyClick(dialog.code, Qt.Key.Key_Return)  # the keyboard alone is enough
    assert connected.args[0].name == "Hana Ali"
    assert "Connected as Hana Ali" in dialog.message.text()
    assert laptop.sync.status().connected


def test_status_bar_shows_waiting_then_synced_after_sync_now(
    central: Server, laptop_factory: Factory, qtbot: QtBot
) -> None:
    laptop = laptop_factory()
    laptop.enrol(central, "s-ho")
    laptop.record(2, estate="EST-NORTH")
    controller, status = controller_for(laptop, qtbot)
    with qtbot.waitSignal(controller.sig_status, timeout=10000):
        controller.refresh_status()
    assert status.waiting.text() == "2 cases waiting to be sent"
    assert status.last.text() == "Last synced: never"
    with qtbot.waitSignal(controller.sig_finished, timeout=20000) as finished:
        qtbot.mouseClick(status.button, Qt.MouseButton.LeftButton)
    assert finished.args[0].sent == 2
    assert status.waiting.text() == "All changes sent"
    assert status.online.text() == "Online"
    assert "never" not in status.last.text() and status.problem.text() == ""


def test_offline_is_said_in_words_and_regaining_the_server_syncs_by_itself(
    central: Server, laptop_factory: Factory, qtbot: QtBot
) -> None:
    laptop = laptop_factory()
    laptop.enrol(central, "s-ho")
    with laptop.store.write() as conn:
        set_setting(conn, enrolment.URL_SETTING, free_port_url())  # the store moved away
    laptop.record(1, estate="EST-NORTH")
    controller, status = controller_for(laptop, qtbot, probe_every_ms=200)
    with qtbot.waitSignal(controller.sig_online, timeout=10000) as went:
        controller.start()
    assert went.args == [False]
    assert status.online.text().startswith("Offline")
    with laptop.store.write() as conn:
        set_setting(conn, enrolment.URL_SETTING, central.url)  # back on the office network
    laptop.sync.engine.forget_client()
    with qtbot.waitSignal(controller.sig_finished, timeout=20000) as finished:
        pass  # the probe timer notices; no one presses anything
    assert finished.args[0].sent == 1 and status.online.text() == "Online"
    controller.stop()


def test_sync_page_lists_refusals_and_settles_a_conflict_side_by_side(
    central: Server, laptop_factory: Factory, qtbot: QtBot
) -> None:
    a, b = laptop_factory("a"), laptop_factory("b")
    a.enrol(central, "s-ho")
    b.enrol(central, "s-ho")
    [case_id] = a.record(1, estate="EST-NORTH")
    a.sync.sync()
    b.sync.sync()
    a.edit(case_id, frequency="daily")
    b.edit(case_id, frequency="weekly")
    a.sync.sync()
    b.sync.sync()
    b.casework.actor = "s-rec"  # a case recorded under someone else's id is refused
    [refused_id] = b.record(1, estate="EST-NORTH")
    b.casework.actor = "local:officer"
    assert b.sync.sync().refused == 1
    controller, _status = controller_for(b, qtbot)
    page = SyncPage(controller)
    qtbot.addWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: page.overview is not None, timeout=10000)
    assert page.failed.rowCount() == 1 and page.failed_title.text().endswith("(1)")
    assert page.failed.item(0, 0).text() == f"Local {refused_id.split('-')[0].upper()}"
    assert "your own user id" in page.failed.item(0, 2).text()
    box = page.box_for(case_id)
    assert box is not None and "ASB-2026-" in box.title()
    texts = [label.text() for label in box.findChildren(type(page.summary))]
    assert "Frequency" in texts and "daily" in texts and "weekly" in texts
    [group] = box.choices.values()
    mine = next(b for b in group.buttons() if b.property("choice") == "device")
    qtbot.mouseClick(box.save, Qt.MouseButton.LeftButton)
    assert "Choose a value" in page.summary.text()  # nothing chosen yet: nothing stored
    mine.setChecked(True)
    qtbot.mouseClick(box.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: page.overview is not None and not page.overview.conflicts, timeout=10000
    )
    assert page.waiting.rowCount() == 1  # the choice waits to be sent
    with qtbot.waitSignal(controller.sig_finished, timeout=20000):
        qtbot.mouseClick(page.sync_button, Qt.MouseButton.LeftButton)
    a.sync.sync()
    assert a.local_cases()[case_id][2]["frequency"] == "weekly"


def test_not_connected_says_so_and_sync_now_is_off(laptop_factory: Factory, qtbot: QtBot) -> None:
    laptop = laptop_factory()
    controller, status = controller_for(laptop, qtbot)
    with qtbot.waitSignal(controller.sig_status, timeout=10000):
        controller.refresh_status()
    assert status.online.text() == "Not connected to a central store"
    assert not status.button.isEnabled()
    user = UserInfo(id="s-ho", name="Hana Ali", roles=[], patches=[], schemes=[])
    assert user.name  # the type the dialog hands on
