"""The closing's rules, on every path a case comes in by (case_rules calls them): what a case
itself must satisfy, and what a change to it must (see domain/closing.py for the keys)."""

from __future__ import annotations

from asb_desktop.domain.case import Case
from asb_desktop.domain.closing import (
    CLOSURE_ONLY_WHEN_CLOSED,
    NO_SATISFACTION_WHEN_ANONYMOUS,
    NOT_TOLD_WHEN_ANONYMOUS,
    OUTCOME_ONLY_WHEN_CLOSED,
    REOPEN_NEEDS_REASON,
)
from asb_desktop.domain.errors import InputError

NEW_REPORT_AFTER_CLOSURE = (
    "A report after closure is a new case (the regulator's counting rule): this case is closed, "
    "so record the report as a new case, which may note this case's reference."
)
REOPENING_KEPT = (
    "A reopening once recorded is kept as it was (append-only): {which} was removed or changed."
)


def closing_problems(case: Case) -> list[InputError]:
    """An outcome and a closure belong to a closed case; an anonymous complainant is neither
    told the outcome nor asked how satisfied they are (5.8); nothing is told before it closed."""
    found = []
    if case.is_open and case.status.outcome is not None:
        found.append(InputError("status.outcome", OUTCOME_ONLY_WHEN_CLOSED))
    closure = case.closure
    if closure is None:
        return found
    if case.is_open and (closure.complainant_told or closure.satisfaction):
        found.append(InputError("closure", CLOSURE_ONLY_WHEN_CLOSED))
    anonymous = case.complainant.anonymous
    if anonymous and closure.complainant_told is not None:
        found.append(InputError("closure.complainant_told", NOT_TOLD_WHEN_ANONYMOUS))
    if anonymous and closure.satisfaction is not None:
        found.append(InputError("closure.satisfaction", NO_SATISFACTION_WHEN_ANONYMOUS))
    closed_at = case.status.at
    told = closure.complainant_told
    if told is not None and closed_at is not None and told.at < closed_at:
        found.append(
            InputError(
                "closure.complainant_told.at",
                "The complainant is told the outcome once the case is closed: at is before "
                "status.at.",
            )
        )
    return found


def closing_change_problems(before: Case | None, after: Case) -> list[InputError]:
    """A closed case opened again records why (a new reopening); reopenings are kept; and a
    closed case takes no new incident (a report after closure is a new case)."""
    if before is None:
        return []
    found = []
    kept = set(after.reopenings)
    lost = [index for index, r in enumerate(before.reopenings) if r not in kept]
    if lost:
        found.append(
            InputError("reopenings", REOPENING_KEPT.format(which=f"reopenings[{lost[0]}]"))
        )
    added = len(set(after.reopenings) - set(before.reopenings))
    if not before.is_open and after.is_open and not added:
        found.append(InputError("reopenings", REOPEN_NEEDS_REASON))
    if not before.is_open and not after.is_open:
        known = {i.id for i in before.incidents}
        new = [n for n, i in enumerate(after.incidents) if i.id not in known]
        if new:
            found.append(InputError(f"incidents[{new[0]}]", NEW_REPORT_AFTER_CLOSURE))
    return found
