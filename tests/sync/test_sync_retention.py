"""A case destroyed centrally under the retention rules leaves every laptop that held it, bytes
and all, and the officer is told in words; the central database holds nothing of it. A real
laptop (SQLCipher store) against the real central service on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

from asb_desktop.domain.case_policy import CasePolicy
from tests.central.central_support import admin
from tests.central.test_central_retention import every_row_text
from tests.sync.sync_support import Laptop, Server
from tests.sync.test_sync_removal import (  # log_folder: the laptop's log is scanned too
    assert_gone,
    files_holding,
    log_folder,  # noqa: F401
    marker,
    record_marked,
)

Factory = Callable[..., Laptop]


def test_a_case_destroyed_under_retention_is_purged_from_the_laptop_and_the_officer_told(
    central: Server, laptop_factory: Factory
) -> None:
    officer = laptop_factory("officer")
    # An organisation keeping closed cases on laptops for ten years: only retention removes it.
    officer.casework.set_policy(CasePolicy(closed_days_on_laptop=3650))
    officer.enrol(central, "s-ho")
    mark, kept = marker(), marker()
    old = {
        "received_at": "2019-03-10T09:30:00Z",
        "incidents": [{"id": "inc-1", "occurred_at": "2019-03-09T22:00:00Z", "description": "x"}],
        "status": {"state": "closed", "reason": "Resolved", "at": "2019-06-03T10:00:00Z"},
    }
    case_id = record_marked(officer, mark, estate="EST-NORTH", **old)
    other = record_marked(officer, kept, estate="EST-NORTH")
    officer.sync_until_done()
    assert officer.local_cases()[case_id][2]["retention"]["destroy_after"] == "2025-06-03"
    assert mark in every_row_text(central)

    said = admin(central.db_url, "retention", "apply", "--by", "Records Officer")
    assert said.startswith("Destroyed 1 case under the retention rules (kept 6 years")
    summary = officer.sync.sync(force=True)

    assert summary.ok
    assert (
        "1 case was destroyed under the retention rules (its time to be kept was over) and was "
        "removed from this laptop."
    ) in summary.lines(), summary.lines()
    assert_gone(officer, case_id, mark)
    assert other in officer.local_cases() and files_holding(officer.folder, kept) == []
    assert mark not in every_row_text(central)
    assert kept in every_row_text(central)
