"""Applying a pulled batch: cases, their open conflicts, the directory and the checkpoint, in one
transaction, so a crash leaves either the whole batch applied with its checkpoint or neither.

A case with local edits the server has not taken keeps them: only its reference is recorded, and
its base revision stays where those edits started, so the next push merges them three-way.

A pulled case is taken in only if it passes the check every path in makes
(`domain.validation.check_document`: the limits, the shape and the procedure's rules); one that
does not stays on the central store and is told, by field, in the tally. A new staff directory
is applied with the open cases' computed fields worked out again from it, in the same
transaction (`services.casework.reassess_open_cases`); one equal to the directory held here (the
first pull after importing the same file) changes no case, so none is worked out again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection

from asb_desktop.domain.calendar import Nation, WorkingDayCalendar
from asb_desktop.domain.directory import parse_directory
from asb_desktop.domain.errors import InputError
from asb_desktop.domain.validation import check_document
from asb_desktop.services.casework import NATION_SETTING, reassess_open_cases
from asb_desktop.store.audit import AuditWriter
from asb_desktop.store.cases import (
    ServerCopy,
    server_revisions,
    set_server_revisions,
    store_server_copies,
)
from asb_desktop.store.database import Store
from asb_desktop.store.purge import held, save_removals, waiting_removals
from asb_desktop.store.settings import get_setting, load_directory, save_directory
from asb_desktop.store.sync_state import (
    cases_with_unsent,
    drop_conflicts_except,
    save_state,
    set_bases,
    upsert_conflicts,
)
from asb_desktop.sync import protocol as p
from asb_desktop.sync.push import conflict_rows


@dataclass
class PullTally:
    received: int = 0
    kept_local: int = 0
    directory: bool = False
    problems: list[str] = field(default_factory=list)


def _readable(state: p.CaseState, tally: PullTally) -> ServerCopy | None:
    checked = check_document(state.document)
    if checked.case is None:
        # Skipped, not fatal: one unreadable case must not stop the officer's whole caseload.
        first = checked.problems.kept[0] if checked.problems.kept else None
        why = f"field {first.field}: {first.problem}" if first else "it could not be read"
        more = checked.problems.count - 1
        also = f" (and {more} more problem{'s' if more != 1 else ''})" if more > 0 else ""
        tally.problems.append(
            f"Case {state.reference} was not taken in ({why}{also}); it stays on the central store."
        )
        return None
    return ServerCopy(state.document, state.reference, state.revision)


def _note_gone(conn: Connection, response: p.ChangesResponse) -> None:
    """Cases the central store says this laptop may no longer hold wait in the store's list of
    removals, kept with the checkpoint (the central store stops naming them once it is stored);
    the sync removes them at the end of its run (`sync_run`). A case pulled again (visible
    again) leaves the list."""
    waiting = waiting_removals(conn)
    before = dict(waiting)
    for state in response.cases:
        waiting.pop(str(state.case_id), None)
    named = {str(g.case_id): g.reason for g in response.gone}
    for case_id in held(conn, named):
        waiting[case_id] = named[case_id]
    if waiting != before:
        save_removals(conn, waiting)


def apply_changes(
    store: Store, response: p.ChangesResponse, *, actor: str, now: datetime
) -> PullTally:
    tally = PullTally()
    ids = [str(c.case_id) for c in response.cases]
    with store.write() as conn:
        unsent = cases_with_unsent(conn, ids)
        known = server_revisions(conn, ids)
        copies: list[ServerCopy] = []
        marks: list[tuple[str, str, int | None]] = []
        for state in response.cases:
            case_id = str(state.case_id)
            if case_id in unsent:
                marks.append((case_id, state.reference, known.get(case_id)))
                tally.kept_local += 1
            elif case_id not in known or known[case_id] != state.revision:
                copy = _readable(state, tally)
                if copy is not None:
                    copies.append(copy)
            if state.conflicts:
                upsert_conflicts(conn, conflict_rows(state.conflicts))
        drop_conflicts_except(
            conn, {str(s.case_id): [c.id for c in s.conflicts] for s in response.cases}
        )
        audit = AuditWriter(conn, actor=actor)
        store_server_copies(conn, audit, copies, now=now, action="case.pulled")
        set_bases(conn, {copy.document["id"]: None for copy in copies})
        set_server_revisions(conn, marks)
        tally.received = len(copies)
        if response.directory is not None:
            try:
                parsed = parse_directory(response.directory)
            except InputError as error:
                tally.problems.append(f"The staff directory sent was not usable ({error.field}).")
            else:
                same = load_directory(conn) == parsed  # e.g. the first pull after an import
                save_directory(conn, response.directory, now=now)
                audit.append(
                    at=now,
                    action="directory.pulled",
                    after={"staff": len(parsed.staff), "version": response.directory_version},
                )
                if not same:  # the same directory: every open case would come out the same
                    nation = get_setting(conn, NATION_SETTING)
                    calendar = WorkingDayCalendar(
                        Nation(nation) if nation else Nation.ENGLAND_AND_WALES
                    )
                    reassess_open_cases(conn, audit, parsed, calendar, now=now)
                tally.directory = True
        _note_gone(conn, response)
        save_state(
            conn, checkpoint=response.checkpoint, directory_version=response.directory_version
        )
    return tally
