"""Erasing a person from a case, or correcting one of their details, on the central store.

The central store is the record: `asb-central erase-person` and `rectify` change the case here,
as a new revision that every laptop holding the case pulls (the laptop then scrubs its own
copies, `asb_desktop/store/erasure.py`). Both go through the domain's functions
(`domain/erasure.py`) and the one check of a change (`domain.validation.check_case`).

An erasure leaves no copy of the person's details in the database: the case's earlier revisions
(`case_audit`), the answers kept for repeated pushes and the facts they sent (`ops`), and its
conflicts' values (`case_conflicts`) are rewritten the same way, in the same transaction; the
complainant's key (`complainant_key`, for the Case Review) becomes null. `case_reads` and
`device_cases` hold ids only. Then the freed space is rewritten: `VACUUM` on SQLite (and its
write-ahead log truncated), `VACUUM FULL` of those tables on PostgreSQL (which locks them for
as long as it takes). PostgreSQL's own write-ahead log segments and any backup keep the old
text until they are recycled or expire: the README says so.

`case_erasures` is the audit: who, when, the case, the person's place, the field corrected and
the reason, never the person's details. A push from a laptop that still names an erased person
has them erased again before it is merged (`push_handler`), so the erasure wins.
"""

from __future__ import annotations

import getpass
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Connection, insert, or_, select, text, update

from asb_central import people
from asb_central.db import Database, utcnow
from asb_central.records import ADMIN_DEVICE, ADMIN_USER, dumps, strip_computed
from asb_central.tables import case_audit, case_conflicts, case_erasures, cases, ops
from asb_desktop.domain.calendar import WorkingDayCalendar
from asb_desktop.domain.case import Case
from asb_desktop.domain.case_review import complainant_key
from asb_desktop.domain.document import case_from_document, case_to_document
from asb_desktop.domain.erasure import (
    PLACEHOLDER,
    Marks,
    PersonSlot,
    erase_in_document,
    erase_person,
    parse_slot,
    person_marks,
    rectify_person,
    slot_name,
)
from asb_desktop.domain.errors import InputError
from asb_desktop.domain.procedure import current_outcome, kept_case_review
from asb_desktop.domain.validation import check_case
from asb_desktop.domain.wording import counted

ERASE, RECTIFY = "erase", "rectify"
_SCRUBBED_TABLES = ("cases", "case_audit", "ops", "case_conflicts", "case_erasures")


@dataclass(frozen=True)
class Done:
    """What one erasure or correction changed, for the command's answer (counts, no names)."""

    reference: str
    revision: int
    slot: PersonSlot
    mentions: int
    revisions: int = 0  # earlier revisions rewritten
    answers: int = 0  # stored push answers rewritten
    conflicts: int = 0  # conflicts rewritten

    def sentence(self, action: str) -> str:
        done = "removed from" if action == ERASE else "corrected in"
        said = f"Case {self.reference}: {self.slot.words} {done} it (revision {self.revision})"
        said += f"; {counted(self.mentions, 'mention')} in its text replaced"
        if action == ERASE:
            said += (
                f"; {counted(self.revisions, 'earlier revision')}, "
                f"{counted(self.answers, 'stored answer')} and "
                f"{counted(self.conflicts, 'conflict')} rewritten"
            )
        return said + ". Laptops that hold the case take the new copy at their next sync."


def default_by() -> str:
    """Who, when the administrator does not say: the server account running the command."""
    try:
        return f"os:{getpass.getuser()}"
    except (OSError, KeyError):
        return "os:unknown"


def _reason(reason: str) -> str:
    cleaned = " ".join(reason.split())
    if not cleaned:
        raise InputError("--reason", "say why (the request or decision it follows), for the audit")
    if len(cleaned) > 500:
        raise InputError("--reason", "must be at most 500 characters")
    return cleaned


def _find(conn: Connection, case_ref: str) -> dict[str, Any]:
    wanted = case_ref.strip()
    row = (
        conn.execute(select(cases).where(or_(cases.c.id == wanted, cases.c.reference == wanted)))
        .mappings()
        .first()
    )
    if row is None:
        raise LookupError(f"no case {case_ref!r} in the central store (give its reference or id)")
    return dict(row)


Change = Callable[[Case], tuple[Case, int, Marks | None]]


def _apply(
    db: Database,
    case_ref: str,
    slot: PersonSlot,
    change: Change,
    *,
    action: str,
    field: str | None,
    reason: str,
    by: str,
) -> Done:
    why = _reason(reason)
    with db.write() as conn:
        number = db.lock_changes(conn) + 1
        row = _find(conn, case_ref)
        stored = json.loads(row["document"])
        before = replace(case_from_document(stored), reference=row["reference"])
        after, mentions, marks = change(before)
        directory = people.load_directory(conn)
        problems = check_case(after, before, directory)
        if problems:
            raise problems[0]
        calendar = WorkingDayCalendar(people.nation(conn))
        outcome = current_outcome(
            after, directory, calendar, stored=stored, review=kept_case_review(stored)
        )
        document = case_to_document(after, outcome)
        revision, now = row["revision"] + 1, utcnow()
        body = dumps(document)
        conn.execute(
            update(cases)
            .where(cases.c.id == row["id"])
            .values(
                revision=revision,
                change_number=number,
                document=body,
                assigned_to=document["assigned_to"],
                involves_employee=after.involves_employee,
                complainant_key=complainant_key(after.complainant),
                updated_at=now,
            )
        )
        db.set_last_change(conn, number)
        changed = sorted(k for k, v in strip_computed(document).items() if stored.get(k) != v)
        conn.execute(
            insert(case_audit).values(
                case_id=row["id"], revision=revision, change_number=number,
                op_id=str(uuid.uuid4()), device_id=ADMIN_DEVICE, user_id=ADMIN_USER, at=now,
                action=action, changed_fields=dumps(changed), document=body,
            )
        )  # fmt: skip
        conn.execute(
            insert(case_erasures).values(
                case_id=row["id"], revision=revision, person=str(slot), action=action,
                field=field, reason=why, by=by, at=now,
            )
        )  # fmt: skip
        done = Done(row["reference"], revision, slot, mentions)
        if marks is not None:
            done = _scrub_history(conn, row["id"], revision, slot, marks, done)
    if marks is not None:
        rewrite_free_space(db)
    return done


def _scrub_history(
    conn: Connection, case_id: str, revision: int, slot: PersonSlot, marks: Marks, done: Done
) -> Done:
    """Every other copy of the case's text held here, erased the same way."""
    revisions = answers = conflicts = 0
    query = select(case_audit.c.id, case_audit.c.document).where(
        case_audit.c.case_id == case_id, case_audit.c.revision < revision
    )
    for entry_id, raw in conn.execute(query).all():
        erased, _ = erase_in_document(json.loads(raw), slot, marks)
        if dumps(erased) != raw:
            conn.execute(
                update(case_audit).where(case_audit.c.id == entry_id).values(document=dumps(erased))
            )
            revisions += 1
    for op_id, result, facts in conn.execute(
        select(ops.c.op_id, ops.c.result, ops.c.facts).where(ops.c.case_id == case_id)
    ).all():
        answer = json.loads(result)
        if isinstance(answer, dict) and isinstance(answer.get("document"), dict):
            answer["document"], _ = erase_in_document(answer["document"], slot, marks)
        answer, _ = marks.scrub_json(answer)
        new_facts = dumps(erase_in_document(json.loads(facts), slot, marks)[0]) if facts else facts
        if dumps(answer) != result or new_facts != facts:
            conn.execute(
                update(ops)
                .where(ops.c.op_id == op_id)
                .values(result=dumps(answer), facts=new_facts)
            )
            answers += 1
    for conflict_id, server_value, device_value in conn.execute(
        select(case_conflicts.c.id, case_conflicts.c.server_value, case_conflicts.c.device_value)
        .where(case_conflicts.c.case_id == case_id)
    ).all():  # fmt: skip
        server, _ = erase_in_document(json.loads(server_value), slot, marks)
        device, _ = erase_in_document(json.loads(device_value), slot, marks)
        if dumps(server) != server_value or dumps(device) != device_value:
            conn.execute(
                update(case_conflicts)
                .where(case_conflicts.c.id == conflict_id)
                .values(server_value=dumps(server), device_value=dumps(device))
            )
            conflicts += 1
    return replace(done, revisions=revisions, answers=answers, conflicts=conflicts)


def rewrite_free_space(db: Database) -> None:
    """The old rows' bytes out of the database files (see the module's docstring)."""
    if db.is_sqlite:  # outside SQLAlchemy's transaction: the connection is in autocommit
        raw: Any = db.engine.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute("VACUUM")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.close()
        finally:
            raw.close()
        return
    with db.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        conn.execute(text(f"VACUUM FULL {', '.join(_SCRUBBED_TABLES)}"))


def erase(db: Database, case_ref: str, person: str, *, reason: str, by: str) -> Done:
    """`asb-central erase-person CASE PERSON --reason ...`."""
    slot = parse_slot(person)

    def change(case: Case) -> tuple[Case, int, Marks | None]:
        erased = erase_person(case, slot)
        return erased.case, erased.mentions, erased.marks

    return _apply(db, case_ref, slot, change, action=ERASE, field=None, reason=reason, by=by)


def rectify(
    db: Database,
    case_ref: str,
    person: str,
    field: str,
    value: str,
    *,
    reason: str,
    by: str,
    replace_mentions: bool,
) -> Done:
    """`asb-central rectify CASE PERSON FIELD VALUE --reason ... [--replace-mentions]`."""
    slot = parse_slot(person)

    def change(case: Case) -> tuple[Case, int, Marks | None]:
        fixed = rectify_person(case, slot, field, value, replace_mentions=replace_mentions)
        return fixed.case, fixed.mentions, None

    return _apply(db, case_ref, slot, change, action=RECTIFY, field=field, reason=reason, by=by)


def erased_places(conn: Connection, case_ids: list[str]) -> dict[str, list[PersonSlot]]:
    """The people erased from each of these cases, by case id (for the push's guard)."""
    found: dict[str, list[PersonSlot]] = {}
    if not case_ids:
        return found
    query = select(case_erasures.c.case_id, case_erasures.c.person).where(
        case_erasures.c.case_id.in_(case_ids), case_erasures.c.action == ERASE
    )
    for case_id, person in conn.execute(query):
        found.setdefault(case_id, []).append(parse_slot(person))
    return found


def erase_again(
    conn: Connection, case_id: str, server: dict[str, Any], device: dict[str, Any]
) -> dict[str, Any]:
    """A pushed copy of a case (its facts) with every person erased here erased from it too,
    where it still names them (a laptop that had not yet taken the erasure): the erasure wins,
    and the rest of the laptop's change is merged as usual. Nothing of what it named is kept."""
    places = erased_places(conn, [case_id]).get(case_id)
    if not places:
        return device
    for slot in places:
        name = slot_name(device, slot)
        if slot_name(server, slot) != PLACEHOLDER or name in (None, PLACEHOLDER):
            continue
        try:
            marks = person_marks(case_from_document(device), slot)
        except InputError:
            continue  # not readable as a case: the push's own check refuses it
        device, _ = erase_in_document(device, slot, marks)
    return device
