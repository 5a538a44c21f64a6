"""Retention on the central store (SQLite and PostgreSQL, a real server): which closed cases are
due, destroying them and every row holding their personal data, legal holds, the read log's
own period, and the words an administrator reads."""

from __future__ import annotations

import subprocess
import sys
import uuid
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, inspect, text

from asb_central import retention
from asb_central.db import Database, database_url
from asb_central.merge import merge
from tests.central.central_support import REPO, Device, Server, admin, case_document, op, query

TODAY = date(2026, 12, 1)


def closed_case(marker: str, closed_at: str, **changes: Any) -> dict[str, Any]:
    """A case received and closed long ago, with `marker` in its personal data."""
    return case_document(
        received_at="2019-03-10T09:30:00Z",
        complainant={"anonymous": False, "name": f"Ann {marker}", "phone": "0161 496 0000"},
        incidents=[
            {
                "id": "inc-1",
                "occurred_at": "2019-03-09T22:00:00Z",
                "description": f"Loud music at {marker}'s door",
            }
        ],
        estate="EST-NORTH",
        status={"state": "closed", "reason": "Resolved by agreement", "at": closed_at},
        **changes,
    )


def pushed(device: Device, document: dict[str, Any]) -> dict[str, Any]:
    [answer] = device.push(op(document))
    assert answer["status"] == "applied", answer
    return answer


def ours(found: list[retention.ClosedCase], *ids: str) -> list[str]:
    return [c.case_id for c in found if c.case_id in ids]


def every_row_text(server: Server) -> str:
    """Every row of every table of the central database, as text."""
    engine = create_engine(database_url(server.db_url))
    try:
        with engine.connect() as conn:
            names = inspect(conn).get_table_names()
            return "\n".join(
                # a tuple's repr, not the Row's (which cuts long values short)
                repr(tuple(row))
                for name in names
                for row in conn.execute(text(f'SELECT * FROM "{name}"'))
            )
    finally:
        engine.dispose()


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "asb_central.cli", *args],
        capture_output=True, text=True, timeout=300,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "USER": "tester"},
    )  # fmt: skip


def test_review_lists_what_is_due_by_a_fixed_clock_and_held_cases_apart(central: Server) -> None:
    officer = Device(central, "s-ho")
    old = pushed(officer, closed_case("Rev-old", "2019-05-01T10:00:00Z"))
    recent = pushed(officer, closed_case("Rev-new", "2024-01-10T10:00:00Z"))
    held = pushed(officer, closed_case("Rev-held", "2018-02-01T10:00:00Z"))
    ids = (old["case_id"], recent["case_id"], held["case_id"])
    assert old["document"]["retention"] == {"legal_hold": False, "destroy_after": "2025-05-01"}
    said = admin(central.db_url, "retention", "hold", held["reference"], "--reason", "Claim 24/55")
    assert said == (
        f"Case {held['reference']} is on legal hold: it is not destroyed until it is released.\n"
    )
    [document] = query(central, "SELECT document FROM cases WHERE id = :i", i=held["case_id"])
    assert '"retention":{"legal_hold":true,"destroy_after":null}' in document[0]

    db = Database(database_url(central.db_url))
    try:
        assert ours(retention.review(db, date(2025, 5, 1)).due, *ids) == []  # kept all that day
        found = retention.review(db, TODAY)
    finally:
        db.dispose()
    assert ours(found.due, *ids) == [old["case_id"]]
    [entry] = [c for c in found.held if c.case_id == held["case_id"]]
    assert entry.hold_reason == "Claim 24/55" and entry.closed_on == date(2018, 2, 1)

    words = admin(central.db_url, "retention", "review")
    assert f"  {old['reference']:<16} closed 1 May 2019; kept 6 years, until 1 May 2025" in words
    assert f"  {held['reference']:<16} closed 1 February 2018; on hold: Claim 24/55" in words
    assert recent["reference"] not in words
    assert "On legal hold, kept until released:" in words and "(s)" not in words
    listing = admin(central.db_url, "retention", "review", "--json")
    assert f'"reference": "{old["reference"]}"' in listing and '"reason": "Claim 24/55"' in listing
    admin(central.db_url, "retention", "release", held["reference"])
    admin(central.db_url, "retention", "apply")  # leave nothing of these for the other tests


def test_apply_destroys_the_case_in_every_table_and_laptops_are_told(central: Server) -> None:
    marker = f"Mrk{uuid.uuid4().hex[:10]}"
    officer = Device(central, "s-ho")
    made = pushed(officer, closed_case(marker, "2019-06-03T10:00:00Z"))
    case_id, reference = made["case_id"], made["reference"]
    first = dict(made["document"])
    officer.push(op({**first, "complainant": {**first["complainant"], "phone": f"1 {marker}"}},
                    base_revision=1))  # fmt: skip
    [clash] = officer.push(
        op({**first, "complainant": {**first["complainant"], "phone": f"2 {marker}"}},
           base_revision=1)
    )  # fmt: skip
    assert clash["conflicts"], clash  # a field conflict holds the marker too
    since = officer.pull(0, limit=1000)["checkpoint"]
    assert marker in every_row_text(central)

    dry = admin(central.db_url, "retention", "apply", "--dry-run")
    assert f"  {reference:<16} closed 3 June 2019, kept until 3 June 2025" in dry
    assert "Dry run: nothing was changed." in dry and marker in every_row_text(central)

    said = admin(central.db_url, "retention", "apply", "--by", "Records Officer")
    assert said.startswith("Destroyed ") and "under the retention rules (kept 6 years" in said
    assert f"  {reference:<16} closed 3 June 2019, kept until 3 June 2025" in said
    assert "Each laptop that held one is told at its next sync" in said
    assert marker not in every_row_text(central)
    if central.db_url.endswith(".sqlite3"):  # secure_delete and a checkpoint: not in the file
        for path in Path(central.db_url).parent.glob("central.sqlite3*"):
            assert marker.encode() not in path.read_bytes(), path
    log = query(
        central,
        "SELECT case_id, reference, closed_on, destroy_after, by, reason FROM retention_log "
        "WHERE action = 'destroyed' AND case_id = :i",
        i=case_id,
    )
    assert [tuple(map(str, row)) for row in log] == [
        (case_id, reference, "2019-06-03", "2025-06-03", "Records Officer", "None")
    ]

    page = officer.pull(since, limit=1000)
    assert {"case_id": case_id, "reason": "destroyed"} in page["gone"]
    [again] = officer.push(op(made["document"], base_revision=3))
    assert again["status"] == "forbidden" and "destroyed under the retention" in str(again)
    assert query(central, "SELECT count(*) FROM cases WHERE id = :i", i=case_id)[0][0] == 0
    refused = run_cli("--db", central.db_url, "retention", "hold", reference, "--reason", "x")
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert f"case {reference} was destroyed under the retention rules on" in refused.stderr


def test_a_legal_hold_stops_destruction_until_it_is_released(central: Server) -> None:
    officer = Device(central, "s-ho")
    made = pushed(officer, closed_case("Hold", "2017-01-09T10:00:00Z"))
    case_id = made["case_id"]
    admin(central.db_url, "retention", "hold", case_id, "--reason", "Ombudsman complaint",
          "--by", "R. Officer")  # fmt: skip
    since = officer.pull(0, limit=1000)["checkpoint"]
    said = admin(central.db_url, "retention", "apply")
    assert (
        "on legal hold" in said
        and query(central, "SELECT count(*) FROM cases WHERE id = :i", i=case_id)[0][0] == 1
    )
    released = admin(central.db_url, "retention", "release", made["reference"], "--by", "R. O")
    assert "legal hold is released: the retention rules apply again" in released
    page = officer.pull(since, limit=1000)  # the laptop gets the case without its hold
    [state] = [c for c in page["cases"] if c["case_id"] == case_id]
    assert state["document"]["retention"] == {"legal_hold": False, "destroy_after": "2023-01-09"}
    audit = query(
        central, "SELECT action, user_id FROM case_audit WHERE case_id = :i ORDER BY revision",
        i=case_id,
    )  # fmt: skip
    assert [tuple(r) for r in audit] == [
        ("create", "s-ho"), ("hold", "asb-central-admin"), ("release", "asb-central-admin")
    ]  # fmt: skip
    admin(central.db_url, "retention", "apply", "--by", "tester")
    assert query(central, "SELECT count(*) FROM cases WHERE id = :i", i=case_id)[0][0] == 0
    # The hold's typed reason went with the case; the log keeps what was done and by whom.
    log = query(central, "SELECT action, by, reason FROM retention_log WHERE case_id = :i "
                "ORDER BY id", i=case_id)  # fmt: skip
    assert [tuple(r) for r in log] == [
        ("hold", "R. Officer", None),
        ("release", "R. O", None),
        ("destroyed", "tester", None),
    ]


def test_read_log_entries_older_than_the_period_are_removed(central: Server) -> None:
    officer = Device(central, "s-ho")
    made = pushed(officer, case_document(estate="EST-NORTH"))
    engine = create_engine(database_url(central.db_url))
    with engine.begin() as conn:
        for at in (datetime(2023, 1, 1), datetime(2025, 1, 1)):
            conn.execute(
                text("INSERT INTO case_reads (case_id, user_id, device_id, at, via, refused) "
                     "VALUES (:c, 's-ho', :d, :at, 'read', false)"),
                {"c": made["case_id"], "d": officer.device_id, "at": at},
            )  # fmt: skip
    engine.dispose()
    db = Database(database_url(central.db_url))
    try:
        found = retention.review(db, TODAY)
        assert found.reads_before == datetime(2024, 12, 1) and found.reads_due >= 1
        done = retention.apply(db, TODAY, "tester")
        assert done.reads_removed >= 1
        retention.set_periods(db, None, 12)  # a year: the 2025 read goes too
        assert retention.apply(db, TODAY, "tester").reads_removed >= 1
        retention.set_periods(db, None, 24)
    finally:
        db.dispose()
    count = "SELECT count(*) FROM case_reads WHERE case_id = :c AND at < :cut"
    assert query(central, count, c=made["case_id"], cut=datetime(2025, 12, 1))[0][0] == 0
    assert query(central, count, c=made["case_id"], cut=datetime(2100, 1, 1))[0][0] >= 1  # today's
    log = query(central, "SELECT count FROM retention_log WHERE action = 'reads_removed'")
    assert log and all(row[0] >= 1 for row in log)


def test_bad_input_is_a_sentence_and_a_non_zero_exit(central: Server) -> None:
    for args, words in [
        (("hold", "ASB-1999-000001", "--reason", "x"), "no case has the id or reference"),
        (("hold", "ASB-1999-000001", "--reason", "  "), "give the reason for the hold"),
        (("release", str(uuid.uuid4())), "no case has the id or reference"),
        (("period", "--case-years", "0"), "--case-years must be a whole number of years"),
        (("period", "--reads-months", "x"), "invalid int value"),
        (("apply", "--now"), "unrecognized arguments: --now"),
    ]:
        result = run_cli("--db", central.db_url, "retention", *args)
        assert result.returncode == 2, (args, result.stderr)
        assert words in result.stderr and "Traceback" not in result.stderr, result.stderr
    officer = Device(central, "s-ho")
    made = pushed(officer, case_document(estate="EST-NORTH"))
    admin(central.db_url, "retention", "hold", made["reference"], "--reason", "Claim")
    # An open case may be held too: listed with the held ones, as still open.
    assert f"  {made['reference']:<16} still open; on hold: Claim" in admin(
        central.db_url, "retention", "review"
    )
    twice = run_cli("--db", central.db_url, "retention", "hold", made["reference"], "--reason", "C")
    assert twice.returncode == 2 and "is already on legal hold" in twice.stderr


def test_a_hold_set_anywhere_holds_until_released_centrally() -> None:
    """The merge rule: a laptop's hold is taken; a laptop's false never lifts the server's."""
    free, held = {"legal_hold": False}, {"legal_hold": True}
    base = {"retention": free}
    assert merge(base, {"retention": free}, {"retention": held}).facts["retention"] == held
    assert merge(None, {"retention": free}, {"retention": held}).facts["retention"] == held
    assert merge(base, {"retention": held}, {"retention": free}).facts["retention"] == held
    assert (
        merge({"retention": held}, {"retention": held}, {"retention": free}).facts["retention"]
        == held
    )
    # Released centrally after the laptop last saw it held: the laptop's stale true stays out.
    stale = merge({"retention": held}, {"retention": free}, {"retention": held})
    assert stale.facts["retention"] == free and not stale.conflicts
