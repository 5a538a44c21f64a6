"""A case the central store took as it was sent, answered with only its name added: the central
reference, and the enrolled user as `recorded_by` where the laptop had recorded it under its
local account. Everything the caseload keeps of the case (columns, computed fields, search words
other than the reference) is then already right here, so the answer is stored without reading
the case again (store_server_copies would work all of it out again): the row takes the
reference, the server's revision and the answered document, the search entry the reference,
and the audit row says what the answer changed, as before."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from asb_desktop.domain.search_folding import fold_for_search
from asb_desktop.store.audit import AuditWriter
from asb_desktop.store.db_time import to_db

NAMING_KEYS = frozenset({"reference", "recorded_by"})
_ABSENT = object()

_UPDATE_ROW = (
    "UPDATE cases SET reference = ?, server_revision = ?, document = ?, "
    "revision = revision + 1, updated_at = ? WHERE id = ?"
)
# The reference is the search text's first line (store/cases.py search_text); the old text had
# none, since the case had no reference yet.
_NAME_IN_SEARCH = (
    "UPDATE case_search SET body = CASE WHEN body = '' THEN ?1 ELSE ?1 || char(10) || body END "
    "WHERE rowid = ?2"
)


@dataclass(frozen=True)
class Acknowledged:
    case_id: str
    search_key: int
    stored: dict[str, Any]  # the laptop's copy, as it was sent
    document: dict[str, Any]  # the central store's answer
    reference: str
    server_revision: int


def only_named(stored: dict[str, Any], answer: dict[str, Any], reference: str) -> bool:
    """Does the answer differ from the stored copy only by the case's name, with a reference
    the stored copy did not have yet (or had already)?"""
    if answer.get("reference") != reference or stored.get("reference") not in (None, reference):
        return False
    for key in stored.keys() | answer.keys():
        if key not in NAMING_KEYS and stored.get(key, _ABSENT) != answer.get(key, _ABSENT):
            return False
    return True


def store_acknowledged(
    conn: Connection,
    audit: AuditWriter,
    items: list[Acknowledged],
    *,
    now: datetime,
    action: str = "case.synced",
) -> None:
    if not items:
        return
    stamp = to_db(now)
    rows = [
        (
            a.reference,
            a.server_revision,
            json.dumps(a.document, ensure_ascii=False),
            stamp,
            a.case_id,
        )
        for a in items
    ]
    conn.exec_driver_sql(_UPDATE_ROW, rows)
    named = [
        (fold_for_search(a.reference), a.search_key) for a in items if not a.stored.get("reference")
    ]
    if named:
        conn.exec_driver_sql(_NAME_IN_SEARCH, named)
    audit.append_many(
        at=now, action=action, changes=[(a.case_id, a.stored, a.document) for a in items]
    )
