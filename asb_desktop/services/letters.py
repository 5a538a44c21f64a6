"""A letter to the complainant: merged from the stored case (`prepare_letter`), then, once its
file is whole on disk and before it is put in place, recorded on the case (`record_letter`): an
entry (`contact`, or `update` for an update letter, which moves the next update on) and a
disclosure to the complainant, in one change, audited (`case.letter`) and queued for sync.

Refusals (5.8 anonymous, adjustments ruling letters out, no address, the wrong letter for the
case's state) are ProcedureError sentences from `domain.letters.letter_refusal`.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, replace
from datetime import datetime

from asb_desktop.domain.case import Case, Entry
from asb_desktop.domain.disclosure import Disclosure, DisclosureProfile, DisclosureWhat
from asb_desktop.domain.errors import ProcedureError
from asb_desktop.domain.letters import (
    ENTRY_KIND,
    Letter,
    LetterKind,
    LetterWording,
    compose_letter,
    entry_text,
    letter_refusal,
)
from asb_desktop.services.casework import Casework
from asb_desktop.support.logs import log_event

LETTER_ACTION = "case.letter"
TO_COMPLAINANT = "the complainant"
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LetterRequest:
    """What the officer asked for: which letter, in which form, with any words of their own."""

    case_id: str
    kind: LetterKind
    docx: bool = False
    extra: str | None = None


def _case(casework: Casework, case_id: str) -> Case:
    case = casework.case(case_id)
    if case is None:
        raise ProcedureError(f"There is no case with id or reference {case_id!r} in this store.")
    return case


def refusal(casework: Casework, case_id: str, kind: LetterKind | None = None) -> str | None:
    return letter_refusal(_case(casework, case_id), kind)


def prepare_letter(
    casework: Casework,
    request: LetterRequest,
    *,
    wording: LetterWording,
    organisation: str,
    officer: str,
) -> Letter:
    """The merged letter; ProcedureError in a sentence when it may not be sent."""
    case = _case(casework, request.case_id)
    refused = letter_refusal(case, request.kind)
    if refused is not None:
        raise ProcedureError(refused)
    now = casework.clock()
    next_update = None
    if request.kind is LetterKind.UPDATE:  # as it will stand once this update is recorded
        with_update = _with_entry(case, request, casework.actor, now)
        next_update = casework.outcome(with_update).next_update_due_at
    return compose_letter(
        case,
        request.kind,
        wording=wording,
        organisation=organisation,
        officer=officer,
        today=now,
        next_update_due=next_update,
        extra=request.extra,
    )


def _with_entry(case: Case, request: LetterRequest, by: str, now: datetime) -> Case:
    entry = Entry(
        id=str(uuid.uuid4()),
        kind=ENTRY_KIND[request.kind],
        at=now,
        by=by,
        text=entry_text(request.kind, docx=request.docx, extra=request.extra),
    )
    return replace(case, entries=(*case.entries, entry))


def record_letter(casework: Casework, request: LetterRequest) -> None:
    """The entry and the disclosure, in one change; refused again if the case changed since."""
    case = _case(casework, request.case_id)
    refused = letter_refusal(case, request.kind)
    if refused is not None:
        raise ProcedureError(refused)
    now = casework.clock()
    changed = _with_entry(case, request, casework.actor, now)
    disclosure = Disclosure(
        at=now,
        by=casework.actor,
        to=TO_COMPLAINANT,
        profile=DisclosureProfile.COMPLAINANT,
        what=DisclosureWhat.LETTER_DOCX if request.docx else DisclosureWhat.LETTER_PDF,
    )
    casework.update(
        replace(changed, disclosures=(*changed.disclosures, disclosure)), action=LETTER_ACTION
    )
    log_event(_log, "letter.recorded", case_id=case.id, kind=request.kind.value, docx=request.docx)
