"""The closing in a summary (part of section 12, Managing the case): the outcome, the
complainant told, their satisfaction (withheld from a third party without a sharing ground,
`view._redact_for_third_party`), and each reopening with the closing it undid."""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable

from asb_desktop.domain.closing import (
    OUTCOME_WORDS,
    REPORT_AGAIN_WORDS,
    SATISFACTION_WORDS,
    TOLD_WORDS,
    CaseOutcome,
    ReportAgain,
    Satisfaction,
    ToldHow,
)
from asb_desktop.reports.pdf_tables import facts, listing
from asb_desktop.reports.styles import NOTE, para, when
from asb_desktop.reports.view import WITHHELD, SummaryView

_ASKED = (("kept_informed", "Kept informed"), ("timescales", "Timescales"), ("outcome", "Outcome"))


def _choice(words: dict[Any, str], kind: type[Any], value: Any) -> str | None:
    try:
        return words[kind(value)] if value is not None else None
    except ValueError:
        return str(value)


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def outcome_words(value: Any) -> str:
    return _choice(OUTCOME_WORDS, CaseOutcome, value) or "Not recorded"


def _told(closure: dict[str, Any], where: str, anonymous: bool) -> str:
    told = closure.get("complainant_told")
    if anonymous:
        return "Not told: an anonymous complainant gets no feedback (5.8)"
    if not isinstance(told, dict):
        return "Not yet told"
    how = _choice(TOLD_WORDS, ToldHow, told.get("how")) or ""
    return f"{when(told.get('at'), f'{where}.at')}, {how.lower()}, by {told.get('by')}"


def _satisfaction(closure: dict[str, Any], where: str) -> str:
    answers = closure.get("satisfaction")
    if answers == WITHHELD:
        return "Not included (5.6): the complainant's own views"
    if not isinstance(answers, dict):
        return "Not asked"
    given = [
        f"{label}: {_choice(SATISFACTION_WORDS, Satisfaction, answers.get(key))}"
        for key, label in _ASKED
        if answers.get(key) is not None
    ]
    again = _choice(REPORT_AGAIN_WORDS, ReportAgain, answers.get("would_report_again"))
    if again:
        given.append(f"Would report again: {again}")
    asked = when(answers.get("at"), f"{where}.at")
    return f"Asked {asked} by {answers.get('by')}. " + "; ".join(given) + "."


def closing_part(view: SummaryView) -> list[Flowable]:
    """Nothing for a case never closed; else the closing, then each reopening."""
    doc = view.doc
    status = doc.get("status") or {}
    reopenings = [r for r in doc.get("reopenings") or [] if isinstance(r, dict)]
    closed = status.get("state") == "closed"
    if not closed and not reopenings:
        return []
    anonymous = bool((doc.get("complainant") or {}).get("anonymous"))
    # the heading never left at a page's foot without its table
    body: list[Flowable] = [CondPageBreak(45 * mm), para("Closing:", NOTE)]
    if closed:
        closure = _object(doc.get("closure"))
        body.append(
            facts(
                [
                    ("Outcome", outcome_words(status.get("outcome"))),
                    (
                        "Closed",
                        f"{when(status.get('at'), 'status.at') or ''}: "
                        f"{status.get('reason') or ''}",
                    ),
                    ("Complainant told", _told(closure, "closure.complainant_told", anonymous)),
                    ("Satisfaction", _satisfaction(closure, "closure.satisfaction")),
                ]
            )
        )
    else:
        body.append(para("Open again: reopened after closing (below).", NOTE))
    if reopenings:
        rows = []
        for i, r in enumerate(reopenings):
            where = f"reopenings[{i}]"
            earlier = _object(r.get("closure"))
            undone = (
                f"Closed {when(r.get('closed_at'), f'{where}.closed_at', short=True) or ''}: "
                f"{outcome_words(r.get('outcome'))}. Told: "
                f"{_told(earlier, f'{where}.closure.complainant_told', anonymous)}. "
                f"Satisfaction: {_satisfaction(earlier, f'{where}.closure.satisfaction')}"
            )
            rows.append(
                [
                    f"{when(r.get('at'), f'{where}.at', short=True)}, by {r.get('by')}",
                    r.get("reason"),
                    undone,
                ]
            )
        body.append(CondPageBreak(30 * mm))
        body.append(para(f"Reopened ({len(rows)}):", NOTE))
        body.append(listing(["Reopened", "Why", "The closing it undid"], rows, [40, 60, 74]))
    return body
