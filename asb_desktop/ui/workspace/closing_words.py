"""The closing in words for the workspace: the status line's part, and the summary's lines
(outcome, the complainant told, their satisfaction, each reopening with the closing it undid)."""

from __future__ import annotations

from asb_desktop.domain.case import Case
from asb_desktop.domain.closing import (
    OUTCOME_WORDS,
    REPORT_AGAIN_WORDS,
    SATISFACTION_WORDS,
    TOLD_WORDS,
    Closure,
)
from asb_desktop.services.actors import NO_NAMES, ActorNames
from asb_desktop.ui.words import when

_ASKED = {"kept_informed": "kept informed", "timescales": "timescales", "outcome": "outcome"}


def closed_status(case: Case) -> str:
    """ "Closed: <reason>. Outcome: Resolved: the behaviour stopped. The complainant has not
    been told yet." """
    status = case.status
    words = f"Closed: {status.reason}"
    if status.outcome is not None:
        words += f". Outcome: {OUTCOME_WORDS[status.outcome]}"
    told = case.closure.complainant_told if case.closure else None
    if case.complainant.anonymous:
        words += ". Anonymous complainant: not told (5.8)"
    elif told is None:
        words += ". The complainant has not been told the outcome yet (Alt+K)"
    return words + "."


def reopened_status(case: Case) -> str:
    """For an open case reopened: " Reopened Tue 01 Dec 2026, 17:04: <why>." """
    if not case.is_open or not case.reopenings:
        return ""
    last = max(case.reopenings, key=lambda r: r.at)
    return f" Reopened {when(last.at)}: {last.reason.rstrip('.')}."


def closure_lines(closure: Closure | None, names: ActorNames, indent: str = "") -> list[str]:
    lines = []
    told = closure.complainant_told if closure else None
    if told is not None:
        lines.append(
            f"{indent}Complainant told the outcome {when(told.at)} "
            f"({TOLD_WORDS[told.how].lower()}) by {names(told.by)}"
        )
    answers = closure.satisfaction if closure else None
    if answers is not None:
        given = [
            f"{_ASKED[key]}: {SATISFACTION_WORDS[value].lower()}"
            for key, value in (
                ("kept_informed", answers.kept_informed),
                ("timescales", answers.timescales),
                ("outcome", answers.outcome),
            )
            if value is not None
        ]
        if answers.would_report_again is not None:
            again = REPORT_AGAIN_WORDS[answers.would_report_again].lower()
            given.append(f"would report again: {again}")
        lines.append(
            f"{indent}Satisfaction asked {when(answers.at)} by {names(answers.by)}: "
            + "; ".join(given)
        )
    return lines


def closing_lines(case: Case, names: ActorNames = NO_NAMES) -> list[str]:
    """In the order they happened: each reopening (oldest first, with the closing it undid),
    then the current closing when the case is closed."""
    lines = []
    for reopening in sorted(case.reopenings, key=lambda r: r.at):
        earlier = OUTCOME_WORDS[reopening.outcome] if reopening.outcome else "no outcome recorded"
        closed = f"closed {when(reopening.closed_at)}" if reopening.closed_at else "closed"
        lines.append(
            f"Reopened {when(reopening.at)} by {names(reopening.by)}: {reopening.reason} "
            f"(it was {closed}: {earlier.lower()})"
        )
        lines += closure_lines(reopening.closure, names, "  ")
    if not case.is_open:
        status = case.status
        outcome = OUTCOME_WORDS[status.outcome] if status.outcome else "outcome not recorded"
        lines.append(f"Closed {when(status.at) if status.at else ''}: {outcome}. {status.reason}")
        lines += closure_lines(case.closure, names, "  ")
        if not case.complainant.anonymous and not (case.closure and case.closure.complainant_told):
            lines.append("  The complainant has not been told the outcome yet.")
    return lines
