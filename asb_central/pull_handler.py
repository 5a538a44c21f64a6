"""Serving cases: changes since a checkpoint, and one case by id — only what the caller may see,
and every case served is logged.

The checkpoint is read before the rows: writers hold the change counter's lock until they
commit (see db.py), so every change numbered at or below it is already visible, and anything
committed later is numbered above it and comes next time. Nothing is skipped.

A read of a case the caller may not see is refused and logged as refused.
"""

from __future__ import annotations

from sqlalchemy import select

from asb_central import people
from asb_central.access import Caller, may_see, visible_clause
from asb_central.db import Database
from asb_central.records import (
    Refused,
    case_facts,
    case_state,
    log_reads,
    open_conflicts,
)
from asb_central.tables import cases, counters
from asb_desktop.sync.protocol import CaseState, ChangesResponse

_COLUMNS = (
    cases.c.id,
    cases.c.reference,
    cases.c.revision,
    cases.c.change_number,
    cases.c.document,
    cases.c.assigned_to,  # the access facts: who may settle a conflict served with the case
    cases.c.recorded_by,
    cases.c.estate,
    cases.c.supported_scheme,
    cases.c.involves_employee,
)


def pull(db: Database, caller: Caller, since: int, limit: int) -> ChangesResponse:
    with db.read() as conn:
        last = select(counters.c.value).where(counters.c.name == "change")
        top = int(conn.execute(last).scalar_one())
        rows = list(
            conn.execute(
                select(*_COLUMNS)
                .where(cases.c.change_number > since, cases.c.change_number <= top)
                .where(visible_clause(caller, cases))
                .order_by(cases.c.change_number)
                .limit(limit + 1)
            ).mappings()
        )
        more = len(rows) > limit
        rows = rows[:limit]
        conflicts = open_conflicts(conn, caller, rows)
        version = int(people.get_setting(conn, "directory_version"))
        directory = people.directory_document(conn) if version > since else None
    if rows:
        with db.write() as conn:
            log_reads(conn, caller, [r["id"] for r in rows], "pull")
    return ChangesResponse(
        checkpoint=rows[-1]["change_number"] if more else top,
        more=more,
        cases=[case_state(r, conflicts) for r in rows],
        directory=directory,
        directory_version=version,
    )


def read_case(db: Database, caller: Caller, case_id: str) -> CaseState:
    """One case by id; a case the caller may not see is refused (403), and the refusal is
    logged in `case_reads` beside the reads (refused = true)."""
    with db.read() as conn:
        row = conn.execute(select(cases).where(cases.c.id == case_id)).mappings().first()
        if row is None:
            raise Refused(404, "no case has this id")
        allowed = may_see(caller, case_facts(row))
        conflicts = open_conflicts(conn, caller, [row]) if allowed else {}
    with db.write() as conn:
        log_reads(conn, caller, [row["id"]], "read", refused=not allowed)
    if not allowed:
        raise Refused(403, "you may not see this case")
    return case_state(row, conflicts)
