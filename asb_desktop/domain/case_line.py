"""What one caseload row says about a case besides its dates: who reported it and what happened
last. The store keeps these beside the case (cases.complainant_name, cases.latest_incident) so a
page of 100,000 cases never parses a document; a migration fills them for older stores."""

from __future__ import annotations

from asb_desktop.domain.case import Case, Incident

# Long enough for a row's widest column at any screen size; the table elides what it cannot show.
LINE_LIMIT = 120


def complainant_name(case: Case) -> str | None:
    """The complainant's name as the row shows it; never a name for an anonymous one (5.8)."""
    complainant = case.complainant
    if complainant.anonymous or not complainant.name:
        return None
    return one_line(complainant.name)


def latest_incident(case: Case) -> Incident | None:
    """The incident that happened last (of equal times, the one listed last)."""
    if not case.incidents:
        return None
    order = sorted(enumerate(case.incidents), key=lambda pair: (pair[1].occurred_at, pair[0]))
    return order[-1][1]


def latest_incident_line(case: Case) -> str | None:
    incident = latest_incident(case)
    if incident is None:
        return None
    return one_line(incident.description) or None


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
