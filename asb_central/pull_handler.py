"""Serving cases: changes since a checkpoint, and one case by id — only what the caller may see,
and every case served is logged.

The checkpoint is read before the rows: writers hold the change counter's lock until they
commit (see db.py), so every change numbered at or below it is already visible, and anything
committed later is numbered above it and comes next time. Nothing is skipped.

A read of a case the caller may not see is refused and logged as refused.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, delete, exists, select, update

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
from asb_central.tables import cases, counters, device_cases, retention_log, settings
from asb_desktop.sync.protocol import (
    GONE_ACCESS,
    GONE_DESTROYED,
    GONE_EMPLOYEE,
    GONE_REASSIGNED,
    GONE_REMOVED,
    CaseState,
    ChangesResponse,
    GoneCase,
)

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


def where_things_stand(caller: Caller) -> Select[int, str, bool]:
    """In one statement: the last change number, the directory's version, and whether any case
    this device holds has been named gone and still waits to be named again (answered from the
    partial index `ix_device_cases_told`, which holds only those rows)."""
    held = device_cases.c
    return select(
        select(counters.c.value).where(counters.c.name == "change").scalar_subquery(),
        select(settings.c.value).where(settings.c.key == "directory_version").scalar_subquery(),
        exists().where(held.device_id == caller.device_id, held.told.is_not(None)),
    )


def pull(db: Database, caller: Caller, since: int, limit: int) -> ChangesResponse:
    with db.glance() as conn:  # the checkpoint first, then the rows: see the module's doc
        last, directory_version, told = conn.execute(where_things_stand(caller)).one()
        top, version = int(last), int(directory_version)
        # Nothing is numbered above `top` yet, so from a checkpoint at (or past) it there is no
        # row to look for (a sync with nothing to do).
        rows = (
            []
            if since >= top
            else list(
                conn.execute(
                    select(*_COLUMNS)
                    .where(cases.c.change_number > since, cases.c.change_number <= top)
                    .where(visible_clause(caller, cases))
                    .order_by(cases.c.change_number)
                    .limit(limit + 1)
                ).mappings()
            )
        )
        more = len(rows) > limit
        rows = rows[:limit]
        conflicts = open_conflicts(conn, caller, rows)
        directory = people.directory_document(conn) if version > since else None
    if rows:
        with db.write() as conn:
            log_reads(conn, caller, [r["id"] for r in rows], "pull")
    # At the checkpoint the last answer gave, with nothing told waiting: the answer that gave
    # it named every held case gone as of `top`, and whatever can hide a case (its change, the
    # directory, a retention destruction) takes a change number, so with none since there is
    # nothing new to name, and no scan of every case this device holds.
    quiet = since == top and not told
    return ChangesResponse(
        checkpoint=rows[-1]["change_number"] if more else top,
        more=more,
        cases=[case_state(r, conflicts) for r in rows],
        directory=directory,
        directory_version=version,
        gone=[] if more or quiet else _gone(db, caller, since, top),
    )


def _gone(db: Database, caller: Caller, since: int, top: int) -> list[GoneCase]:
    """The cases this device was served that the caller may no longer see (`device_cases`).

    The ones named for the first time are marked with this answer's checkpoint (`top`, in
    `told`). They are named on every pull until one comes with `since` past `told`: the laptop
    stores each answer's checkpoint with its `gone`, so it got past `told` only by storing an
    answer that named them, and the row is dropped. (Past, not at: an answer may name a case
    with the checkpoint the laptop already had.)"""
    held = device_cases.c
    with db.read() as conn:
        visible = select(cases.c.id).where(visible_clause(caller, cases))
        found = list(
            conn.execute(
                select(held.case_id, held.told)
                .where(held.device_id == caller.device_id)
                .where(held.case_id.not_in(visible))
            )
        )
        if not found:
            return []
        ids = [row.case_id for row in found]
        facts = {
            row["id"]: row
            for row in conn.execute(select(*_COLUMNS).where(cases.c.id.in_(ids))).mappings()
        }
        destroyed = set(
            conn.execute(
                select(retention_log.c.case_id)
                .where(retention_log.c.action == "destroyed")
                .where(retention_log.c.case_id.in_([i for i in ids if i not in facts]))
            ).scalars()
        )
    done = [row.case_id for row in found if row.told is not None and since > row.told]
    news = [row.case_id for row in found if row.told is None]
    with db.write() as conn:
        if done:
            conn.execute(
                delete(device_cases).where(
                    held.device_id == caller.device_id, held.case_id.in_(done)
                )
            )
        if news:
            conn.execute(
                update(device_cases)
                .where(held.device_id == caller.device_id, held.case_id.in_(news))
                .values(told=top)
            )
    return [
        GoneCase(
            case_id=case_id,
            reason=GONE_DESTROYED
            if case_id in destroyed
            else _why_gone(caller, facts.get(case_id)),
        )
        for case_id in ids
        if case_id not in done
    ]


def _why_gone(caller: Caller, row: Any) -> str:
    if row is None:
        return GONE_REMOVED
    if row["involves_employee"] and not caller.is_leader:
        return GONE_EMPLOYEE
    if row["assigned_to"] is not None and row["assigned_to"] != caller.user_id:
        return GONE_REASSIGNED
    return GONE_ACCESS


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
