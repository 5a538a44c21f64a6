"""The team view's figures (issue 16): what each figure counts, and the figures in words.

Built on domain/figures.py: a period is its `Period` (London days, both included) and a case
belongs to it by the London day of its `received_at`; a first response is on time, late or
outstanding by the same rule. What a figure counts is a `Slice`, plain data the store turns
into one WHERE clause, so the count a table shows and the list of cases behind it are asked in
the same words and cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from asb_desktop.domain.calendar import LONDON, WorkingDayCalendar
from asb_desktop.domain.case_management import AsbType, NsirCategory, RiskLevel
from asb_desktop.domain.case_rules import TEAM_LEADER_OR_ABOVE
from asb_desktop.domain.directory import Role
from asb_desktop.domain.figures import Period
from asb_desktop.domain.procedure import working_days_overdue
from asb_desktop.domain.wording import counted

TREND_MONTHS = 12
NOT_ASSIGNED = ""  # the officer of a case assigned to no one, in a Slice


def may_see_team_view(roles: Iterable[Role | str]) -> bool:
    """A Team Leader or above (the roles 5.9 names) sees the team view; no one else does."""
    wanted = {r.value for r in TEAM_LEADER_OR_ABOVE}
    return any(str(getattr(r, "value", r)) in wanted for r in roles)


class Scope(StrEnum):
    PERIOD = "period"  # received in the chosen period
    OPEN = "open"  # open now, whenever received


class Overdue(StrEnum):
    FIRST_RESPONSE = "first_response"
    UPDATE = "update"
    ACTION = "action"
    ANY = "any"


class Response(StrEnum):
    """A first response as the SLA counts it: met, missed (late, or not given and past due),
    or pending (not given, not yet due: counted in neither)."""

    MET = "met"
    MISSED = "missed"
    PENDING = "pending"


@dataclass(frozen=True)
class Slice:
    """Which cases one figure counts. Every field left None is not a condition."""

    scope: Scope = Scope.PERIOD
    month: str | None = None  # "YYYY-MM", a London month: replaces the period
    state: str | None = None
    severity: str | None = None
    risk_level: str | None = None  # "none": not assessed
    asb_type: str | None = None
    nsir_category: str | None = None  # "unclassified": none recorded
    officer: str | None = None  # a staff id, NOT_ASSIGNED for no one
    response: Response | None = None
    overdue: Overdue | None = None
    review_candidate: bool = False


@dataclass(frozen=True)
class Figure:
    label: str
    count: int
    slice: Slice


@dataclass(frozen=True)
class OfficerLine:
    """One officer's row: what they hold and what is overdue, with the oldest of each."""

    officer: str  # staff id, NOT_ASSIGNED for no one
    name: str
    received: int = 0  # in the period
    open_now: int = 0
    first_responses_overdue: int = 0
    updates_overdue: int = 0
    actions_overdue: int = 0
    high_risk: int = 0
    review_candidates: int = 0
    oldest: Mapping[Overdue, datetime] = field(default_factory=dict)


@dataclass(frozen=True)
class MonthLine:
    month: str  # "YYYY-MM"
    received: int
    met: Mapping[str, int]  # by severity
    missed: Mapping[str, int]

    def compliance(self, severity: str) -> float | None:
        """The share of first responses due that met the target, None when none were due."""
        due = self.met.get(severity, 0) + self.missed.get(severity, 0)
        return None if due == 0 else self.met.get(severity, 0) / due

    def compliance_all(self) -> float | None:
        met, missed = sum(self.met.values()), sum(self.missed.values())
        return None if met + missed == 0 else met / (met + missed)


@dataclass(frozen=True)
class TeamFigures:
    period: Period
    now: datetime
    counts: Mapping[str, tuple[Figure, ...]]  # section heading -> its figures, in order
    officers: tuple[OfficerLine, ...]
    months: tuple[MonthLine, ...]

    @property
    def received(self) -> int:
        return sum(f.count for f in self.counts.get(STATE_HEADING, ()))


@dataclass(frozen=True)
class TeamHeadline:
    """What the team view shows first, from two small index reads: the period's cases by state
    and the open cases' overdue work by officer (each line's `received` not read, left 0). The
    rest (`TeamFigures`) is read after it, with the same `now`."""

    period: Period
    now: datetime
    states: tuple[Figure, ...]
    officers: tuple[OfficerLine, ...]

    @property
    def received(self) -> int:
        return sum(f.count for f in self.states)


STATE_HEADING = "State"
SECTIONS = ("State", "Severity", "Risk", "Kind of ASB", "NSIR category")
STATE_LABELS = {"open": "Open", "closed": "Closed"}
SEVERITY_LABELS = {"serious": "Serious (1 working day)", "general": "General (3 working days)"}
RISK_LABELS = {
    RiskLevel.HIGH.value: "High",
    RiskLevel.MEDIUM.value: "Medium",
    RiskLevel.STANDARD.value: "Standard",
    "none": "Not assessed",
}
NSIR_LABELS = {
    NsirCategory.PERSONAL.value: "Personal",
    NsirCategory.NUISANCE.value: "Nuisance",
    NsirCategory.ENVIRONMENTAL.value: "Environmental",
    "unclassified": "Not classified",
}
ASB_LABELS = {kind.value: kind.value.replace("_", " ").capitalize() for kind in AsbType}
ASB_LABELS.update(
    {
        "harassment_intimidation": "Harassment or intimidation",
        "damage_vandalism": "Damage or vandalism",
        "litter_dumping": "Litter or dumping",
        "garden_boundary": "Garden or boundary",
        "hate": "Hate",
    }
)
SECTION_FIELDS = {  # section -> (Slice field, labels)
    "State": ("state", STATE_LABELS),
    "Severity": ("severity", SEVERITY_LABELS),
    "Risk": ("risk_level", RISK_LABELS),
    "Kind of ASB": ("asb_type", ASB_LABELS),
    "NSIR category": ("nsir_category", NSIR_LABELS),
}


def section_figures(section: str, counts: Mapping[str, int]) -> tuple[Figure, ...]:
    """One section's figures in its fixed order, a value with no cases included (as 0)."""
    name, labels = SECTION_FIELDS[section]
    return tuple(
        Figure(label, counts.get(value, 0), Slice(**{name: value}))  # type: ignore[arg-type]
        for value, label in labels.items()
    )


def trend_months(now: datetime, months: int = TREND_MONTHS) -> tuple[str, ...]:
    """The last `months` London months up to and including this one, oldest first."""
    here = now.astimezone(LONDON)
    year, month = here.year, here.month
    found = []
    for _ in range(months):
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return tuple(reversed(found))


def month_period(month: str) -> Period:
    first = date.fromisoformat(f"{month}-01")
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return Period(first, following - timedelta(days=1))


def month_start_utc(month: str) -> datetime:
    return datetime.combine(date.fromisoformat(f"{month}-01"), time(), LONDON)


def month_words(month: str) -> str:
    return date.fromisoformat(f"{month}-01").strftime("%B %Y")


def short_month(month: str) -> str:
    return date.fromisoformat(f"{month}-01").strftime("%b %y")


def percent(share: float | None) -> str:
    return "none due" if share is None else f"{share * 100:.0f}%"


_OVERDUE_NOUNS = {
    Overdue.FIRST_RESPONSE: ("first response", "first responses"),
    Overdue.UPDATE: ("update", "updates"),
    Overdue.ACTION: ("action", "actions"),
}


def overdue_words(line: OfficerLine, now: datetime, calendar: WorkingDayCalendar) -> str | None:
    """ "Amira Khan: 2 first responses overdue, the oldest by 3 working days; 1 update overdue
    by 1 working day". None when nothing of theirs is overdue."""
    parts = []
    for kind, count in (
        (Overdue.FIRST_RESPONSE, line.first_responses_overdue),
        (Overdue.UPDATE, line.updates_overdue),
        (Overdue.ACTION, line.actions_overdue),
    ):
        if not count:
            continue
        one, many = _OVERDUE_NOUNS[kind]
        words = f"{counted(count, one, many)} overdue"
        oldest = line.oldest.get(kind)
        if oldest is not None:
            late = working_days_overdue(oldest, now, calendar)
            by = (
                "less than a working day"
                if late == 0
                else counted(late, "working day", "working days")
            )
            words += f", the oldest by {by}" if count > 1 else f" by {by}"
        parts.append(words)
    return f"{line.name}: {'; '.join(parts)}" if parts else None
