"""A laptop holds only what its officer may see: cases reassigned away, now involving an employee,
or closed past the organisation's period are removed from it, bytes and all, and the officer is
told; a case with a change the central store refused stays, listed. Real laptops (SQLCipher
stores) against the real central service on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from asb_desktop.domain.case import CaseState, ManualAssignment, Status
from asb_desktop.domain.case_policy import CasePolicy
from asb_desktop.services.casework import LabelledDocument
from asb_desktop.store.audit import verify
from asb_desktop.store.cases import CaseFilter, count_cases
from asb_desktop.store.tables import audit_log, cases, drafts, outbox
from asb_desktop.support.logs import current_log_file, setup_logging, stop_logging
from tests.central.central_support import Device, op
from tests.sync.sync_support import Laptop, Server, case_document, query

Factory = Callable[..., Laptop]


@pytest.fixture(autouse=True)
def log_folder(tmp_path: Path) -> Iterator[Path]:
    """The laptops' log, written while the test runs and scanned for the marker too."""
    folder = tmp_path / "logs"
    setup_logging(folder, catch_uncaught=False)
    yield folder
    stop_logging()


def marker() -> str:
    return "zq" + uuid.uuid4().hex[:12]


def record_marked(laptop: Laptop, mark: str, **changes: Any) -> str:
    """One case whose complainant's name and incident description carry `mark`."""
    doc = case_document(**changes)
    doc.pop("recorded_by", None)
    complainant = {"anonymous": False, "name": f"Resident {mark}", **changes.get("complainant", {})}
    doc["complainant"] = complainant
    doc["incidents"][0]["description"] = f"Loud music, said {mark}"
    [case_id] = laptop.casework.import_documents([LabelledDocument("record 1", doc)])
    return case_id


def files_holding(folder: Path, mark: str) -> list[str]:
    """Every file of the data folder whose raw bytes hold `mark` (as typed or upper case)."""
    needles = [mark.encode(), mark.upper().encode()]
    return [
        str(path)
        for path in folder.rglob("*")
        if path.is_file() and any(n in path.read_bytes() for n in needles)
    ]


def assert_gone(laptop: Laptop, case_id: str, mark: str) -> None:
    """Not in any file's bytes, and not in the store when read (case, search, drafts, outbox),
    the write-ahead log checkpointed, the removal audited without personal data; nor in the
    log (which says the sync happened)."""
    assert files_holding(laptop.folder, mark) == []
    log = current_log_file()  # written in this module's tests (log_folder); modules that
    if log is not None:  # borrow this check may have none
        assert "sync.removed" in log.read_text(encoding="utf-8")
        assert files_holding(log.parent, mark) == []
    assert case_id not in laptop.local_cases()
    with laptop.store.read() as conn:
        assert count_cases(conn, CaseFilter(search=mark)) == 0
        data = conn.execute(text("SELECT block FROM case_search_data")).scalars().all()
        assert not any(mark.encode() in bytes(block) for block in data if block is not None)
        assert conn.execute(select(outbox).where(outbox.c.case_id == case_id)).first() is None
        assert conn.execute(select(drafts).where(drafts.c.id == case_id)).first() is None
        [removal] = conn.execute(
            select(audit_log.c.actor, audit_log.c.before, audit_log.c.after).where(
                audit_log.c.case_id == case_id, audit_log.c.action == "case.removed_from_laptop"
            )
        ).all()
        assert removal.before is None and mark not in removal.after
        bodies = conn.execute(
            select(audit_log.c.before, audit_log.c.after).where(audit_log.c.case_id == case_id)
        ).all()
        assert not any(mark in (b or "") + (a or "") for b, a in bodies)
        assert verify(conn).intact
    wal = laptop.folder / "cases.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0


def test_a_case_handed_to_another_officer_is_removed_and_the_officer_told(
    central: Server, laptop_factory: Factory
) -> None:
    leader, officer = laptop_factory("leader", actor="s-tl"), laptop_factory("officer")
    leader.enrol(central, "s-tl")
    officer.enrol(central, "s-ho")
    mark, kept_mark = marker(), marker()
    case_id = record_marked(leader, mark, estate="EST-NORTH")  # the patch officer: s-ho
    other = record_marked(leader, kept_mark, estate="EST-NORTH")
    leader.sync_until_done()
    officer.sync_until_done()
    assert officer.local_cases()[case_id][2]["assigned_to"] == "s-ho"
    assert files_holding(officer.folder, mark) == []  # encrypted, even before
    leader.sync_until_done()
    case = leader.casework.case(case_id)
    assert case is not None
    moved = ManualAssignment("s-ho2", by="s-tl", at=datetime.now(UTC), reason="Workload")
    leader.casework.update(replace(case, manual_assignment=moved), action="case.reassigned")
    leader.sync_until_done()

    summary = officer.sync.sync(force=True)

    assert summary.ok
    assert "1 case was handed to another officer and removed from this laptop." in (summary.lines())
    assert_gone(officer, case_id, mark)
    assert other in officer.local_cases()  # still theirs: kept
    again = officer.sync.sync(force=True)  # told once: not removed (or counted) again
    assert not any("removed from this laptop" in line for line in again.lines())


def test_a_case_that_comes_to_involve_an_employee_leaves_the_housing_officers_laptop(
    central: Server, laptop_factory: Factory
) -> None:
    officer, leader = laptop_factory("officer"), laptop_factory("leader", actor="s-tl")
    officer.enrol(central, "s-ho")
    leader.enrol(central, "s-tl")
    mark, direct = marker(), marker()
    case_id = record_marked(officer, mark, estate="EST-NORTH")
    officer.sync_until_done()
    leader.sync_until_done()
    case = leader.casework.case(case_id)
    assert case is not None
    employee = replace(case.complainant, is_employee=True)
    leader.casework.update(replace(case, complainant=employee), action="case.edited")
    leader.sync_until_done()
    # and one the officer records as an employee's: uploaded, then no longer theirs (5.9)
    recorded = record_marked(officer, direct, estate="EST-NORTH", complainant={"is_employee": True})

    summary = officer.sync.sync(force=True)

    assert summary.ok and summary.sent == 1
    words = (
        "2 cases now involve an employee (5.9: Team Leaders and up only) and were removed "
        "from this laptop."
    )
    assert words in summary.lines(), summary.lines()
    assert_gone(officer, case_id, mark)
    assert_gone(officer, recorded, direct)
    assert recorded in {row[0] for row in query(central, "SELECT id FROM cases")}


def close(laptop: Laptop, case_id: str, at: datetime) -> None:
    case = laptop.casework.case(case_id)
    assert case is not None
    status = Status(state=CaseState.CLOSED, reason="Resolved", at=at)
    laptop.casework.update(replace(case, status=status), action="case.closed")


def test_closed_cases_leave_after_the_period_and_come_back_when_reopened(
    central: Server, laptop_factory: Factory
) -> None:
    officer, leader = laptop_factory("officer"), laptop_factory("leader", actor="s-tl")
    officer.enrol(central, "s-ho")
    leader.enrol(central, "s-tl")
    old, recent = marker(), marker()
    old_id = record_marked(officer, old, estate="EST-NORTH")
    recent_id = record_marked(officer, recent, estate="EST-NORTH")
    officer.sync_until_done()
    now = datetime.now(UTC)
    close(officer, old_id, now - timedelta(days=31))
    close(officer, recent_id, now - timedelta(days=29))

    summary = officer.sync.sync(force=True)

    assert summary.ok and summary.sent == 2  # sent first, then removed
    assert (
        "1 case closed more than 30 days ago was removed from this laptop; a case comes back if "
        "it is reopened."
    ) in summary.lines()
    assert_gone(officer, old_id, old)
    assert recent_id in officer.local_cases()

    officer.casework.set_policy(CasePolicy(closed_days_on_laptop=7))  # the organisation's preset
    shorter = officer.sync.sync(force=True)
    assert "1 case closed more than 7 days ago was removed" in " ".join(shorter.lines())
    assert_gone(officer, recent_id, recent)

    leader.sync_until_done()  # the leader's laptop took them down, and removed the old one
    assert old_id not in leader.local_cases() and recent_id in leader.local_cases()
    # Reopened centrally (from another of the leader's devices): it comes down again.
    elsewhere = Device(central, "s-tl")
    state = elsewhere.http.get(f"/v1/cases/{old_id}").json()
    document = state["document"]
    document["status"] = {"state": "open"}  # reopened with a reason, as every path asks
    document["reopenings"] = [{"at": now.isoformat(), "by": "s-tl", "reason": "Reported again"}]
    [answer] = elsewhere.push(op(document, base_revision=state["revision"]))
    assert answer["status"] == "applied", answer
    officer.sync.sync(force=True)
    assert officer.local_cases()[old_id][2]["status"]["state"] == "open"
    leader.sync.sync(force=True)
    assert old_id in leader.local_cases()


def test_a_case_with_a_refused_change_is_kept_and_listed_until_the_officer_says(
    central: Server, laptop_factory: Factory
) -> None:
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

    summary = officer.sync.sync(force=True)

    assert summary.ok and summary.refused == 1
    assert any(
        line.startswith("1 case may no longer stay on this laptop, but its changes were not taken")
        for line in summary.lines()
    ), summary.lines()
    assert not any("handed to another officer" in line for line in summary.lines())
    _ref, _rev, document = officer.local_cases()[case_id]
    assert document["frequency"] == "every night, typed offline"  # nothing typed is lost
    [refused] = officer.sync.overview().failed
    assert refused.case_id == case_id
    again = officer.sync.sync(force=True)  # still kept on the next run (told once centrally)
    assert case_id in officer.local_cases()
    assert any(line.startswith("1 case may no longer stay") for line in again.lines())
    with officer.store.read() as conn:
        assert conn.execute(select(cases.c.id).where(cases.c.id == case_id)).first()
