"""What one caseload row says about a case besides its dates: who reported it and what happened
last. The store keeps these beside the case (cases.complainant_name, cases.latest_incident) so a
page of 100,000 cases never parses a document; a migration fills them for older stores from the
documents' fields, through the same two functions below."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from asb_desktop.domain.case import Case

# Long enough for a row's widest column at any screen size; the table elides what it cannot show.
LINE_LIMIT = 120


def complainant_name(case: Case) -> str | None:
    """The complainant's name as the row shows it; never a name for an anonymous one (5.8)."""
    return name_shown(case.complainant.anonymous, case.complainant.name)


def latest_incident_line(case: Case) -> str | None:
    """The description of the incident that happened last, in one line."""
    return latest_line((i.occurred_at, i.description) for i in case.incidents)


def name_shown(anonymous: bool, name: str | None) -> str | None:
    if anonymous or not name:
        return None
    return one_line(name) or None


def latest_line(incidents: Iterable[tuple[datetime, str]]) -> str | None:
    """Of (when it happened, its description), the latest one's description in one line; of
    equal times, the one listed last."""
    latest: tuple[datetime, str] | None = None
    for occurred_at, description in incidents:
        if latest is None or occurred_at >= latest[0]:
            latest = (occurred_at, description)
    if latest is None:
        return None
    return one_line(latest[1]) or None


def one_line(text: str, limit: int = LINE_LIMIT) -> str:
    """Every run of spaces and line breaks as one space; past `limit` characters, cut at the last
    whole word and marked with an ellipsis."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-") + "…"
