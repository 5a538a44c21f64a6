"""Recording what left the team about a case (`disclosures[]`): who produced it, for whom, with
which profile, what. Each entry is stored like any change of the case: audited
(`case.disclosed`: who, when, which case, never the recipient's words) and queued for sync.

The caller records after the output is complete and before it is put in place (see
`reports.batch.write_atomically`): a failed write records nothing, and a recorded disclosure is
never lost for a file that did appear.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from asb_desktop.domain.disclosure import (
    Disclosure,
    DisclosureProfile,
    DisclosureWhat,
    recipient_problem,
)
from asb_desktop.domain.errors import ProcedureError
from asb_desktop.services.casework import Casework

DISCLOSED = "case.disclosed"


def check_recipient(to: str | None) -> str:
    """`to` as it will be recorded; ProcedureError in a sentence when it cannot be."""
    problem = recipient_problem(to)
    if problem is not None:
        raise ProcedureError(problem[0].upper() + problem[1:] + ".")
    assert to is not None
    return to.strip()


def record_disclosures(
    casework: Casework,
    case_ids: Iterable[str],
    *,
    to: str,
    profile: DisclosureProfile | str,
    what: DisclosureWhat | str,
) -> int:
    """Append one disclosure to each case; returns how many were recorded."""
    recipient = check_recipient(to)
    profile, what = DisclosureProfile(profile), DisclosureWhat(what)
    count = 0
    for case_id in case_ids:
        case = casework.case(case_id)
        if case is None:
            raise ProcedureError("A case being disclosed is no longer in the store.")
        entry = Disclosure(
            at=casework.clock(), by=casework.actor, to=recipient, profile=profile, what=what
        )
        casework.update(replace(case, disclosures=(*case.disclosures, entry)), action=DISCLOSED)
        count += 1
    return count
