"""A person erased from a case: their details out of every copy of the case on this laptop.

Two ways in, one function here. A case the central store sends (a pull, or the answer to a
push) that shows a person as erased (`domain.erasure.erased_slots`: their name is now
`[person removed]` where the laptop's copy still names them), or an erasure made on this laptop
(`services/erasure.py`, for a laptop-only install). What identifies the person is read from the
laptop's own old copy (`person_marks`), and the same erasure is made, in the caller's one
transaction with `secure_delete` on, in every place the case's text lives (store/tables.py):

- `outbox`: every change of the case, sent or not (an unsent one goes up erased; the erasure
  wins, and the officer is told which of their changes mentioned the person);
- `sync_inflight` (a change in flight), `sync_conflicts` (both values), `drafts` (the case's);
- `audit_log`: the case's earlier rows lose their before/after documents (`audit.redact_case`)
  and a row `case.person_erased` names them, so the chain still verifies;
- the search index: built again from what stays once the case's entry is rewritten.

The caller then checkpoints the write-ahead log (`purge.checkpoint_log`), so it keeps no old
page. What the officer is told is kept in the setting `NOTICES` until a sync's summary says it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, text, update

from asb_desktop.domain.calendar import LONDON
from asb_desktop.domain.case import Case
from asb_desktop.domain.document import case_from_document
from asb_desktop.domain.erasure import (
    PLACEHOLDER,
    Marks,
    PersonSlot,
    erase_in_document,
    erased_slots,
    person_marks,
)
from asb_desktop.domain.errors import InputError
from asb_desktop.store.audit import ERASED_ACTION, AuditWriter, redact_case
from asb_desktop.store.db_time import from_db
from asb_desktop.store.settings import get_setting, set_setting
from asb_desktop.store.tables import drafts, outbox, sync_conflicts, sync_inflight

NOTICES = "sync.erasure_notices"  # [sentence, ...]: said by the next sync's summary
_REBUILD_SEARCH = text("INSERT INTO case_search (case_search) VALUES ('rebuild')")


@dataclass(frozen=True)
class Erasure:
    """One person to erase from one case's copies, with what identifies them."""

    case_id: str
    reference: str | None
    slot: PersonSlot
    marks: Marks


def _case(raw: str | Mapping[str, Any] | None) -> Case | None:
    if raw is None:
        return None
    try:
        return case_from_document(json.loads(raw) if isinstance(raw, str) else raw)
    except (InputError, ValueError, TypeError):
        return None


def _names_placeholder(document: Mapping[str, Any]) -> bool:
    people = [document.get("complainant")]
    for key in ("involved", "witnesses"):
        listed = document.get(key)
        people += listed if isinstance(listed, list) else []
    return any(isinstance(p, dict) and p.get("name") == PLACEHOLDER for p in people)


def erasures_in(before: Mapping[str, str], after: list[Mapping[str, Any]]) -> list[Erasure]:
    """The people the central store's new copies (`after`) show as erased whom the laptop's
    copies (`before`: case id -> stored document) still name."""
    found = []
    for document in after:
        case_id = str(document.get("id"))
        if case_id not in before or not _names_placeholder(document):
            continue  # the usual pull: nothing to read twice
        old, new = _case(before.get(case_id)), _case(document)
        if old is None or new is None:
            continue
        for slot in erased_slots(old, new):
            marks = person_marks(old, slot)
            found.append(Erasure(case_id, new.reference or document.get("reference"), slot, marks))
    return found


def _mentions(document: Any, erasure: Erasure) -> int:
    return erase_in_document(document, erasure.slot, erasure.marks)[1]


def _scrub_outbox(conn: Connection, erasure: Erasure) -> list[datetime]:
    """Every change of the case erased; when each change that added a mention was made."""
    rows = conn.execute(
        select(outbox.c.seq, outbox.c.payload, outbox.c.created_at)
        .where(outbox.c.case_id == erasure.case_id)
        .order_by(outbox.c.seq)
    ).all()
    mentioned, before = [], 0
    for seq, payload, created_at in rows:
        document = json.loads(payload)
        erased, count = erase_in_document(document, erasure.slot, erasure.marks)
        if count > before:
            mentioned.append(from_db(created_at))
        before = count
        if erased != document:
            conn.execute(
                update(outbox)
                .where(outbox.c.seq == seq)
                .values(payload=json.dumps(erased, ensure_ascii=False))
            )
    return mentioned


def _scrub_rest(conn: Connection, erasure: Erasure) -> None:
    slot, marks = erasure.slot, erasure.marks
    for op_id, body in conn.execute(
        select(sync_inflight.c.op_id, sync_inflight.c.body).where(
            sync_inflight.c.case_id == erasure.case_id
        )
    ).all():
        sent = json.loads(body)
        if isinstance(sent, dict) and isinstance(sent.get("document"), dict):
            sent["document"], _ = erase_in_document(sent["document"], slot, marks)
        conn.execute(
            update(sync_inflight)
            .where(sync_inflight.c.op_id == op_id)
            .values(body=json.dumps(sent, ensure_ascii=False))
        )
    for conflict_id, server_value, device_value in conn.execute(
        select(sync_conflicts.c.id, sync_conflicts.c.server_value, sync_conflicts.c.device_value)
        .where(sync_conflicts.c.case_id == erasure.case_id)
    ).all():  # fmt: skip
        server = erase_in_document(json.loads(server_value), slot, marks)[0]
        device = erase_in_document(json.loads(device_value), slot, marks)[0]
        conn.execute(
            update(sync_conflicts)
            .where(sync_conflicts.c.id == conflict_id)
            .values(
                server_value=json.dumps(server, ensure_ascii=False),
                device_value=json.dumps(device, ensure_ascii=False),
            )
        )
    draft = conn.execute(select(drafts.c.payload).where(drafts.c.id == erasure.case_id)).scalar()
    if draft is not None:
        scrubbed = marks.scrub_json(json.loads(draft))[0]
        conn.execute(
            update(drafts)
            .where(drafts.c.id == erasure.case_id)
            .values(payload=json.dumps(scrubbed, ensure_ascii=False))
        )


def _when(moment: datetime) -> str:
    local = moment.astimezone(LONDON)
    return f"{local.day} {local:%B %Y} at {local:%H:%M}"


def _notice(erasure: Erasure, mentioned: list[datetime], *, here: bool) -> str:
    case = erasure.reference or f"Local {erasure.case_id[:8]}"
    who = "by this laptop's administrator" if here else "by the administrator"
    said = (
        f"Case {case}: {erasure.slot.words} was removed from it {who}: their details are gone "
        f"from this laptop, and where the case named them it reads '{PLACEHOLDER}'."
    )
    if not mentioned:
        return said + " None of the changes made on this laptop mentioned them."
    times = ", ".join(_when(m) for m in mentioned[:3])
    more = f" and {len(mentioned) - 3} more" if len(mentioned) > 3 else ""
    return (
        said + f" Your changes of {times}{more} mentioned them: those mentions read "
        f"'{PLACEHOLDER}' now, and go to the central store so."
    )


def erase_copies(
    conn: Connection,
    audit: AuditWriter,
    erasures: list[Erasure],
    *,
    now: datetime,
    here: bool = False,
    reason: str | None = None,
) -> list[str]:
    """Erase each person from every other copy of their case here (see the module's docstring),
    in the caller's transaction; the sentences the officer is told (kept in `NOTICES` unless
    made `here`, by this laptop's administrator, with their `reason`).
    The case's own row is the caller's to write (a new copy, or the erased case)."""
    if not erasures:
        return []
    conn.exec_driver_sql("PRAGMA secure_delete = ON")
    said = []
    for erasure in erasures:
        mentioned = _scrub_outbox(conn, erasure)
        _scrub_rest(conn, erasure)
        seqs = redact_case(conn, erasure.case_id)
        audit.append(
            at=now,
            action=ERASED_ACTION,
            case_id=erasure.case_id,
            after={"person": str(erasure.slot), "reason": reason, "redacted": seqs},
        )
        said.append(_notice(erasure, mentioned, here=here))
    if not here:  # made here, the command says it; from the central store, the next summary
        keep_notices(conn, said)
    return said


def rebuild_search(conn: Connection) -> None:
    """The search index built again from what stays: a rewritten entry's old terms stay in the
    index's segments behind delete markers until then."""
    conn.execute(_REBUILD_SEARCH)


def keep_notices(conn: Connection, sentences: list[str]) -> None:
    if sentences:
        set_setting(conn, NOTICES, json.dumps(waiting_notices(conn) + sentences))


def waiting_notices(conn: Connection) -> list[str]:
    raw = get_setting(conn, NOTICES)
    found = json.loads(raw) if raw else []
    return [str(s) for s in found] if isinstance(found, list) else []


def take_notices(conn: Connection) -> list[str]:
    """The sentences waiting to be said, cleared."""
    found = waiting_notices(conn)
    if found:
        set_setting(conn, NOTICES, "[]")
    return found
