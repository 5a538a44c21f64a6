"""The sync widgets with real widgets, a real central service and real stores (pytest-qt)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QRadioButton
from pytestqt.qtbot import QtBot

from asb_desktop.store.settings import set_setting
from asb_desktop.sync import enrolment
from asb_desktop.sync.outbox_review import OutboxItem, SyncOverview
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


def test_status_bar_says_what_evidence_waits_to_upload_until_it_has(
    central: Server, laptop_factory: Factory, qtbot: QtBot, tmp_path: Path
) -> None:
    from asb_desktop.services.attachments import attach
    from tests.sync.test_sync_evidence_upload import MB, video

    laptop = laptop_factory()
    laptop.enrol(central, "s-ho")
    [case_id] = laptop.record(1, estate="EST-NORTH")
    video(tmp_path / "stairs.mp4", 2 * MB)
    attach(laptop.casework, case_id, tmp_path / "stairs.mp4")
    controller, status = controller_for(laptop, qtbot)
    with qtbot.waitSignal(controller.sig_status, timeout=10000):
        controller.refresh_status()
    assert status.waiting.text() == "1 case waiting to be sent; 2.0 MB to upload"
    assert status.waiting.toolTip() == "1 attachment waiting to upload, 2.0 MB"
    with qtbot.waitSignal(controller.sig_finished, timeout=20000) as finished:
        qtbot.mouseClick(status.button, Qt.MouseButton.LeftButton)
    assert finished.args[0].evidence_sent == 1
    assert status.waiting.text() == "All changes sent"


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
    assert page.failed.item(0, 2).text() == "No"  # the case may stay: nothing to give up
    assert "your own user id" in page.failed.item(0, 3).text()
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


def _conflict_on_one_field(central: Server, recorder: Laptop, other: Laptop) -> str:
    """`recorder` records a case; both change how often it happens; `other`'s change reaches
    the store first, so the conflict is recorded on `recorder`'s push."""
    [case_id] = recorder.record(1, estate="EST-NORTH")
    recorder.sync.sync()
    other.sync.sync()
    other.edit(case_id, frequency="daily")
    recorder.edit(case_id, frequency="weekly")
    other.sync.sync()
    recorder.sync.sync()
    other.sync.sync()
    return case_id


def _page(laptop: Laptop, qtbot: QtBot) -> SyncPage:
    controller, _status = controller_for(laptop, qtbot)
    page = SyncPage(controller)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    qtbot.waitUntil(lambda: page.overview is not None, timeout=10000)
    return page


def test_each_value_on_the_sync_page_says_who_set_it_and_on_which_laptop(
    central: Server, laptop_factory: Factory, qtbot: QtBot
) -> None:
    a, b = laptop_factory("a"), laptop_factory("b")
    a.enrol(central, "s-ho")
    b.enrol(central, "s-tl")
    case_id = _conflict_on_one_field(central, b, a)
    page = _page(a, qtbot)
    box = page.box_for(case_id)
    assert box is not None
    texts = [label.text() for label in box.findChildren(QLabel)]
    assert "Set by you, on this laptop." in texts  # A's own value, the one kept
    assert "Set by Tom Lee, on laptop-b." in texts  # B's value: not "on this laptop"
    assert not any("On this laptop" in t for t in texts)
    [group] = box.choices.values()
    words = {str(b.property("choice")): b.text() for b in group.buttons()}
    assert words == {"server": "Keep yours (this laptop)", "device": "Use Tom Lee's (laptop-b)"}
    assert "Use mine" not in words.values()
    kept, other = box.sources[next(iter(box.choices))]
    assert (kept.accessibleName(), other.accessibleName()) == (
        "Frequency: who set the value kept", "Frequency: who set the value not kept",
    )  # fmt: skip


def test_the_choice_is_not_offered_to_someone_who_may_not_make_it(
    central: Server, laptop_factory: Factory, qtbot: QtBot
) -> None:
    officer, recorder = laptop_factory("ho"), laptop_factory("rec")
    recorder.enrol(central, "s-rec")
    officer.enrol(central, "s-ho")
    case_id = _conflict_on_one_field(central, recorder, officer)
    page = _page(recorder, qtbot)
    box = page.box_for(case_id)
    assert box is not None
    assert box.choices == {} and not box.findChildren(QRadioButton)
    assert not box.save.isVisibleTo(page)
    assert box.waiting is not None and box.waiting.text() == (
        "Only Hana Ali, the case's officer, or a team leader or manager for its estate can "
        "choose. Both values are kept until then."
    )
    texts = [label.text() for label in box.findChildren(QLabel)]
    assert "Set by Hana Ali, on laptop-ho." in texts and "Set by you, on this laptop." in texts


def test_the_refused_table_shows_the_whole_reference(laptop_factory: Factory, qtbot: QtBot) -> None:
    laptop = laptop_factory()
    page = _page(laptop, qtbot)
    reason = "you may not see or change this case " * 4
    when = datetime(2025, 11, 30, 23, 15, tzinfo=UTC)
    refused = [OutboxItem(1, "c1", "ASB-2025-000123", when, 1, reason)]
    page._show(SyncOverview(waiting=refused, failed=refused, conflicts=[]))
    for table in (page.failed, page.waiting):
        item = table.item(0, 0)
        assert item.text() == "ASB-2025-000123"
        needed = table.fontMetrics().horizontalAdvance(item.text())
        assert table.columnWidth(0) > needed, "the reference would be cut short"
        changed = table.fontMetrics().horizontalAdvance(table.item(0, 1).text())
        assert table.columnWidth(1) > changed


def test_when_the_token_is_refused_the_corner_says_so_and_connect_offers_the_last_address(
    central: Server, laptop_factory: Factory, qtbot: QtBot
) -> None:
    laptop = laptop_factory()
    laptop.enrol(central, "s-ho")
    laptop.sync.engine.vault.save("a-token-the-store-does-not-know")  # 401: nothing deleted
    laptop.sync.engine.forget_client()
    controller, status = controller_for(laptop, qtbot)
    with qtbot.waitSignal(controller.sig_finished, timeout=20000) as finished:
        controller.sync_now()
    assert finished.args[0].error_kind == "auth"
    reachable: list[bool] = []
    controller.sig_online.connect(reachable.append)
    with qtbot.waitSignal(controller.sig_finished, timeout=10000):  # the probe, then a sync try
        controller.online = None  # as at start: the next probe reports
        controller.probe()
    assert reachable == [True]  # the store answers /health...
    # ...but this laptop is not "Online" to it, and the corner says what to do.
    assert status.online.text() == "Disconnected: this laptop's access was withdrawn"
    assert status.problem.text() == "⚠ Connect again with a new code"
    assert "no longer accepts this laptop" in status.problem.toolTip()
    assert not status.last.isVisibleTo(status)  # gives way, so neither of those is ever cut

    dialog = ConnectDialog(laptop.sync)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.url.text() == central.url, timeout=10000)
    code = admin(central.db_url, "enrol-device", "--user", "s-ho").strip()
    qtbot.keyClicks(dialog.code, code)  # the officer types only the new code
    with qtbot.waitSignal(dialog.sig_connected, timeout=10000):
        qtbot.keyClick(dialog.code, Qt.Key.Key_Return)
    with qtbot.waitSignal(controller.sig_status, timeout=10000):
        controller.refresh_status()
    assert not status.online.text().startswith("Disconnected")
    assert status.last.isVisibleTo(status)


def test_an_address_the_officer_typed_is_never_replaced(
    central: Server, laptop_factory: Factory, qtbot: QtBot
) -> None:
    laptop = laptop_factory()
    laptop.enrol(central, "s-ho")
    dialog = ConnectDialog(laptop.sync)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.url.text() == central.url, timeout=10000)
    dialog.url.selectAll()
    qtbot.keyClicks(dialog.url, "https://asb.example.org")
    dialog._prefill(central.url)  # as a late answer from the store would
    assert dialog.url.text() == "https://asb.example.org"


def test_a_refused_change_of_a_case_that_must_leave_is_given_up_by_keys_and_the_case_goes(
    central: Server, laptop_factory: Factory, qtbot: QtBot
) -> None:
    from dataclasses import replace

    from PySide6.QtWidgets import QApplication, QMessageBox
    from sqlalchemy import select

    from asb_desktop.domain.case import ManualAssignment
    from asb_desktop.store.tables import audit_log
    from tests.sync.test_sync_removal import files_holding, marker, record_marked

    leader, officer = laptop_factory("leader", actor="s-tl"), laptop_factory("officer")
    leader.enrol(central, "s-tl")
    officer.enrol(central, "s-ho")
    mark = marker()
    case_id = record_marked(leader, mark, estate="EST-NORTH")
    leader.sync_until_done()
    officer.sync_until_done()
    officer.edit(case_id, frequency="every night, typed offline")
    case = leader.casework.case(case_id)
    assert case is not None
    moved = ManualAssignment("s-ho2", by="s-tl", at=datetime.now(UTC), reason="Workload")
    leader.casework.update(replace(case, manual_assignment=moved), action="case.reassigned")
    leader.sync_until_done()
    assert officer.sync.sync(force=True).refused == 1  # refused, so the case stays, listed
    page = _page(officer, qtbot)
    assert page.failed.item(0, 2).text() == "Yes: handed to another officer"
    assert not page.give_up_button.isEnabled()  # nothing chosen yet

    page.failed.setFocus()
    qtbot.keyClick(page.failed, Qt.Key.Key_Home)  # the first refused change
    assert page.give_up_button.isEnabled()
    qtbot.keyClick(page, Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox), timeout=5000)
    question = QApplication.activeModalWidget()
    assert isinstance(question, QMessageBox)
    assert question.objectName() == "give_up_question" and "cannot be undone" in (
        question.informativeText()
    )
    qtbot.keyClick(question, Qt.Key.Key_Escape)  # Keep it: nothing happens
    assert page.summary.text() == "Nothing was given up."
    assert case_id in officer.local_cases()
    page.activateWindow()  # the window the question belonged to, active again
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page, timeout=5000)
    qtbot.keyClick(page, Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox), timeout=5000)
    question = QApplication.activeModalWidget()
    assert question is not None
    qtbot.waitUntil(lambda: QApplication.activeWindow() is question, timeout=5000)
    qtbot.keyClick(question, Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)  # Give up the change

    qtbot.waitUntil(
        lambda: page.summary.text().endswith("removed from this laptop."), timeout=10000
    )
    assert page.summary.text() == "1 refused change given up; 1 case removed from this laptop."
    assert case_id not in officer.local_cases()
    assert files_holding(officer.folder, mark) == []
    qtbot.waitUntil(lambda: page.failed.rowCount() == 0, timeout=10000)
    with officer.store.read() as conn:
        actions = conn.execute(
            select(audit_log.c.action, audit_log.c.actor).where(audit_log.c.case_id == case_id)
        ).all()
    assert ("sync.change_given_up", officer.casework.actor) in [tuple(a) for a in actions]
    assert ("case.removed_from_laptop", officer.casework.actor) in [tuple(a) for a in actions]
