"""Erasing a person from a case, or correcting one of their details, on a laptop-only install.

Where a central store runs, it is the record: erasures are made there (`asb-central
erase-person`) and laptops follow at their next sync (`store/erasure.py`). A laptop never
enrolled has no central store, so its administrator does it here: `asb-desktop erase-person`
and `asb-desktop rectify`. Only an officer whose directory entry has the `admin` role may.

The change goes through the path every edit takes (`Casework.update`: the one check of a case,
the audit, the outbox), and in the same transaction an erasure takes the person out of every
other copy of the case here (`store.erasure.erase_copies`: the outbox, conflicts, drafts, the
case's earlier audit rows, the search index built again), its audit row holding who, when,
the case, the person's place and the reason; then the write-ahead log is checkpointed.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from asb_desktop.domain.case import Case
from asb_desktop.domain.directory import Role
from asb_desktop.domain.erasure import (
    PersonSlot,
    erase_person,
    parse_slot,
    rectify_person,
)
from asb_desktop.domain.errors import InputError
from asb_desktop.domain.wording import counted
from asb_desktop.services.casework import Casework
from asb_desktop.store.audit import AuditWriter
from asb_desktop.store.erasure import Erasure, erase_copies, rebuild_search
from asb_desktop.store.purge import checkpoint_log
from asb_desktop.store.settings import get_setting

# sync/enrolment.py's DEVICE_SETTING (services may not import sync/): set once enrolled.
_ENROLLED_SETTING = "sync.device_id"
# The change's own row (its documents then redacted, as the case's earlier rows are); the
# erasure's record is store.audit.ERASED_ACTION.
ERASED, RECTIFIED = "case.erasure", "case.person_rectified"


class NotAllowed(Exception):
    """This laptop or this officer may not erase: the message says why and what to do."""


@dataclass(frozen=True)
class LocalErasure:
    casework: Casework

    def _check_allowed(self) -> None:
        with self.casework.store.read() as conn:
            enrolled = get_setting(conn, _ENROLLED_SETTING)
        if enrolled:
            raise NotAllowed(
                "This laptop syncs with a central store, which holds the record: erase or "
                "correct the person there (asb-central erase-person or rectify), and this "
                "laptop follows at its next sync. Nothing was changed."
            )
        member = self.casework.directory().member(self.casework.actor)
        if member is None or Role.ADMIN not in member.roles:
            raise NotAllowed(
                "Only an administrator may erase or correct a person: the officer chosen on "
                "this laptop (Settings) must have the admin role in the staff directory. "
                "Nothing was changed."
            )

    def _reason(self, reason: str) -> str:
        cleaned = " ".join(reason.split())
        if not cleaned:
            raise InputError("--reason", "say why (the request or decision it follows)")
        return cleaned[:500]

    def erase(self, case_ref: str, person: str, *, reason: str) -> str:
        """`asb-desktop erase-person CASE PERSON --reason ...`: the sentence to print."""
        self._check_allowed()
        slot, why = parse_slot(person), self._reason(reason)
        case = self._case(case_ref)
        erased = erase_person(case, slot)
        label = case.reference or f"Local {case.id[:8]}"
        erasure = Erasure(case.id, case.reference, slot, erased.marks)

        def scrub(conn: Connection, audit: AuditWriter) -> None:
            erase_copies(conn, audit, [erasure], now=self.casework.clock(), here=True, reason=why)
            rebuild_search(conn)

        self.casework.update(erased.case, action=ERASED, then=scrub)
        checkpoint_log(self.casework.store)
        return (
            f"Case {label}: {slot.words} removed from it; "
            f"{counted(erased.mentions, 'mention')} in its text replaced, and their details "
            "taken out of its history, changes and search index on this laptop."
        )

    def rectify(
        self, case_ref: str, person: str, field: str, value: str, *, reason: str, mentions: bool
    ) -> str:
        """`asb-desktop rectify CASE PERSON FIELD VALUE --reason ...`: the sentence to print."""
        self._check_allowed()
        slot, why = parse_slot(person), self._reason(reason)
        case = self._case(case_ref)
        fixed = rectify_person(case, slot, field, value, replace_mentions=mentions)

        def note(conn: Connection, audit: AuditWriter) -> None:
            audit.append(
                at=self.casework.clock(),
                action=RECTIFIED,
                case_id=case.id,
                after={"person": str(slot), "field": field, "reason": why},
            )

        self.casework.update(fixed.case, action=RECTIFIED, then=note)
        label = case.reference or f"Local {case.id[:8]}"
        return (
            f"Case {label}: {field} of {slot.words} corrected; "
            f"{counted(fixed.mentions, 'mention')} in its text replaced."
        )

    def _case(self, case_ref: str) -> Case:
        case = self.casework.case(case_ref.strip())
        if case is None:
            raise InputError("CASE", f"no case {case_ref!r} here (give its reference or id)")
        return case


__all__ = ["ERASED", "RECTIFIED", "LocalErasure", "NotAllowed", "PersonSlot"]
