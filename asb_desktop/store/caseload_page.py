"""What a caseload page is made of: the filter and its order, a row, and a row's place in the
order. Kept apart from store/cases.py (which re-exports them) and free of SQLAlchemy, so the
window's first page can be read, and the caseload screen built, before SQLAlchemy is loaded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from asb_desktop.store.db_time import from_db


@dataclass(frozen=True)
class CaseRow:
    """One line of the caseload: what the list shows and sorts by, read from the case's row
    (never its document). `complainant_name` is None for an anonymous complainant."""

    id: str
    reference: str | None
    received_at: datetime
    severity: str
    state: str
    assignment_rule: str
    assigned_to: str | None
    response_due_at: datetime
    responded_at: datetime | None
    supported_scheme: str | None
    estate: str | None
    anonymous: bool = False
    complainant_name: str | None = None
    latest_incident: str | None = None
    risk_level: str | None = None
    """The latest risk assessment's level (domain RiskLevel value), None when not assessed."""
    asb_types: tuple[str, ...] = ()
    """The kinds of ASB (domain AsbType values), sorted, as the document lists them."""
    mark: PageMark | None = None
    """Where this row stands in the order it was listed in: the next page starts after it."""


@dataclass(frozen=True)
class PageMark:
    """A row's place in a caseload order: the stored value it sorts by, and its id (ties)."""

    value: str | None
    id: str


class SortKey(StrEnum):
    REFERENCE = "reference"
    RECEIVED = "received_at"
    SEVERITY = "severity"
    ASSIGNED_TO = "assigned_to"
    RESPONSE_DUE = "response_due_at"
    STATE = "state"


@dataclass(frozen=True)
class CaseFilter:
    assigned_to: str | None = None
    # Overdue as of this moment: open, with any deadline still to do past due (first response,
    # staff risk assessment, next update, an action).
    overdue_at: datetime | None = None
    # Open, with an action of the plan still to do past its due time, as of this moment.
    actions_overdue_at: datetime | None = None
    asb_type: str | None = None  # one kind of ASB (domain AsbType value)
    risk_level: str | None = None
    severity: str | None = None
    supported_scheme: str | None = None
    state: str | None = None
    search: str | None = None
    sort: SortKey = SortKey.RESPONSE_DUE
    descending: bool = False


# The columns a caseload row is read from, in this order, then the order's value as sort_value.
ROW_COLUMN_NAMES = (
    "id",
    "reference",
    "received_at",
    "severity",
    "state",
    "assignment_rule",
    "assigned_to",
    "response_due_at",
    "responded_at",
    "supported_scheme",
    "estate",
    "anonymous",
    "complainant_name",
    "latest_incident",
    "risk_level",
    "asb_types",
)


def case_row(r: Any) -> CaseRow:
    """A caseload row from a result row read by name (`r.id`, ..., `r.sort_value`)."""
    return CaseRow(
        id=r.id,
        reference=r.reference,
        received_at=from_db(r.received_at),
        severity=r.severity,
        state=r.state,
        assignment_rule=r.assignment_rule,
        assigned_to=r.assigned_to,
        response_due_at=from_db(r.response_due_at),
        responded_at=from_db(r.responded_at) if r.responded_at else None,
        supported_scheme=r.supported_scheme,
        estate=r.estate,
        anonymous=bool(r.anonymous),
        complainant_name=None if r.anonymous else r.complainant_name,
        latest_incident=r.latest_incident,
        risk_level=r.risk_level,
        asb_types=tuple(k for k in (r.asb_types or "").split("|") if k),
        mark=PageMark(r.sort_value, r.id),
    )
