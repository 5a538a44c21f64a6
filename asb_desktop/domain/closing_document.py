"""Writing the closing's keys of the case document (`closure`, `reopenings[]`): see closing.py."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from asb_desktop.domain.closing import Closure, Reopening
from asb_desktop.domain.timestamps import format_timestamp


def _ts(moment: datetime | None) -> str | None:
    return format_timestamp(moment) if moment else None


def _value(choice: StrEnum | None) -> str | None:
    return choice.value if choice is not None else None


def closure_document(closure: Closure | None) -> dict[str, Any] | None:
    if closure is None:
        return None
    told, answers = closure.complainant_told, closure.satisfaction
    return {
        "complainant_told": (
            {"at": format_timestamp(told.at), "by": told.by, "how": told.how.value}
            if told is not None
            else None
        ),
        "satisfaction": (
            {
                "at": format_timestamp(answers.at),
                "by": answers.by,
                "kept_informed": _value(answers.kept_informed),
                "timescales": _value(answers.timescales),
                "outcome": _value(answers.outcome),
                "would_report_again": _value(answers.would_report_again),
            }
            if answers is not None
            else None
        ),
    }


def reopening_document(reopening: Reopening) -> dict[str, Any]:
    return {
        "at": format_timestamp(reopening.at),
        "by": reopening.by,
        "reason": reopening.reason,
        "closed_at": _ts(reopening.closed_at),
        "outcome": _value(reopening.outcome),
        "closure": closure_document(reopening.closure),
    }
