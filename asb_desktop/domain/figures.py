"""The figures for a period (shared/specs "Figures"): cases opened, the Tenant Satisfaction
Measure NM01 rates per 1,000 homes, first responses on time, and the cases by severity and by
NSIR category.

Pure: the caller hands over the case documents (streamed, one at a time: a store of 100,000
is never held at once) and the homes of the directory. NM01's counting rule holds by
construction: each case counts once, in the period of the London day of its `received_at`. A
further report about the same party while a case is open is an incident added to that case,
not a case; a reopened case (`reopenings[]`) keeps its `received_at` and is not a new case.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from asb_desktop.domain.calendar import LONDON
from asb_desktop.domain.directory import Directory
from asb_desktop.domain.timestamps import parse_timestamp

SEVERITIES = ("serious", "general")
NSIR_CATEGORIES = ("personal", "nuisance", "environmental", "unclassified")
FIRST_RESPONSES = ("on_time", "late", "outstanding")


class PeriodError(ValueError):
    """A `--from`/`--to` that cannot be used; its message is the sentence to show."""


@dataclass(frozen=True)
class Period:
    """London calendar days, both included."""

    first: date
    last: date

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """[start, end): London midnight of the first day to London midnight after the last,
        in UTC, so a store can select the rows by `received_at` alone."""
        start = datetime.combine(self.first, time(), LONDON)
        end = datetime.combine(self.last + timedelta(days=1), time(), LONDON)
        return start.astimezone(UTC), end.astimezone(UTC)

    def holds(self, moment: datetime) -> bool:
        return self.first <= moment.astimezone(LONDON).date() <= self.last


def parse_period(first: str | None, last: str | None, *, today: date) -> Period:
    """`--from`/`--to` as YYYY-MM-DD. By default the financial year (1 April to 31 March) that
    holds `today`, up to today; only `--from`: up to today; only `--to`: from the 1 April of its
    financial year. A bad date, or `--from` after `--to`, is said in a sentence."""
    last_day = _day(last, "--to") if last else today
    first_day = _day(first, "--from") if first else financial_year_start(last_day)
    if first_day > last_day:
        raise PeriodError(
            f"--from {first_day.isoformat()} is after --to {last_day.isoformat()}; "
            "the first day must be on or before the last"
        )
    return Period(first_day, last_day)


def financial_year_start(day: date) -> date:
    return date(day.year if day.month >= 4 else day.year - 1, 4, 1)


def _day(text: str, where: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise PeriodError(
            f"{where} {text!r} is not a date written YYYY-MM-DD (e.g. 2026-04-01)"
        ) from None


def homes_of(directory: Directory) -> int:
    """`homes`: the sum of `estates[].homes` (an estate without it counts none)."""
    return sum(e.homes or 0 for e in directory.estates)


class FiguresTally:
    """Counts the documents handed to `add` that belong to the period; `figures()` answers."""

    def __init__(self, period: Period) -> None:
        self.period = period
        self.opened = 0
        self.hate = 0
        self.first_responses: Counter[str] = Counter()
        self.severity: Counter[str] = Counter()
        self.nsir: Counter[str] = Counter()
        self.by_month: Counter[str] = Counter()

    def add(self, document: Mapping[str, Any]) -> None:
        received = parse_timestamp(document.get("received_at"), "received_at")
        if not self.period.holds(received):
            return
        self.opened += 1
        self.by_month[received.astimezone(LONDON).strftime("%Y-%m")] += 1
        if document.get("hate_strands"):
            self.hate += 1
        self.first_responses[_first_response(document)] += 1
        self.severity[str(document.get("severity"))] += 1
        self.nsir[document.get("nsir_category") or "unclassified"] += 1

    def add_all(self, documents: Iterable[Mapping[str, Any]]) -> FiguresTally:
        for document in documents:
            self.add(document)
        return self

    def figures(self, homes: int) -> dict[str, Any]:
        return {
            "period": {"from": self.period.first.isoformat(), "to": self.period.last.isoformat()},
            "homes": homes,
            "cases_opened": self.opened,
            "hate_cases_opened": self.hate,
            "nm01_cases_per_1000_homes": per_1000(self.opened, homes),
            "nm01_hate_cases_per_1000_homes": per_1000(self.hate, homes),
            "first_responses": {k: self.first_responses[k] for k in FIRST_RESPONSES},
            "by_severity": {k: self.severity[k] for k in SEVERITIES},
            "by_nsir_category": {k: self.nsir[k] for k in NSIR_CATEGORIES},
            # Ours (not in the contract; README, `figures`): cases opened in each London month.
            "cases_by_month": dict(sorted(self.by_month.items())),
        }


def per_1000(count: int, homes: int) -> float | None:
    return None if homes <= 0 else round(count * 1000 / homes, 2)


def _first_response(document: Mapping[str, Any]) -> str:
    first = document.get("first_response")
    if not isinstance(first, Mapping) or not first.get("at"):
        return "outstanding"
    at = parse_timestamp(first.get("at"), "first_response.at")
    due_text = document.get("response_due_at")
    if not due_text:  # no computed deadline carried: a response given is not late
        return "on_time"
    due = parse_timestamp(due_text, "response_due_at")
    return "on_time" if at <= due else "late"


def work_out_figures(
    documents: Iterable[Mapping[str, Any]], directory: Directory, period: Period
) -> dict[str, Any]:
    return FiguresTally(period).add_all(documents).figures(homes_of(directory))


# --- for people and spreadsheets ----------------------------------------------------------

_LABELS = {
    "on_time": "on time",
    "late": "late",
    "outstanding": "outstanding",
    "serious": "serious",
    "general": "general",
    "personal": "personal",
    "nuisance": "nuisance",
    "environmental": "environmental",
    "unclassified": "not classified",
}


def figure_rows(figures: Mapping[str, Any]) -> list[tuple[str, str, Any]]:
    """(section, measure, value) rows, in the order a board reads them: CSV and XLSX."""
    period = figures["period"]
    rows: list[tuple[str, str, Any]] = [
        ("period", "from", period["from"]),
        ("period", "to", period["to"]),
        ("homes", "homes", figures["homes"]),
        ("cases", "cases_opened", figures["cases_opened"]),
        ("cases", "hate_cases_opened", figures["hate_cases_opened"]),
        ("nm01", "nm01_cases_per_1000_homes", figures["nm01_cases_per_1000_homes"]),
        ("nm01", "nm01_hate_cases_per_1000_homes", figures["nm01_hate_cases_per_1000_homes"]),
    ]
    for section in ("first_responses", "by_severity", "by_nsir_category", "cases_by_month"):
        rows.extend((section, key, value) for key, value in figures.get(section, {}).items())
    return rows


def figures_csv(figures: Mapping[str, Any]) -> str:
    """`section,measure,value` rows; a rate not worked out (no homes) is left empty."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("section", "measure", "value"))
    writer.writerows((s, m, "" if v is None else v) for s, m, v in figure_rows(figures))
    return out.getvalue()


def figures_in_words(figures: Mapping[str, Any]) -> str:
    """The figures as a person reads them."""
    period, homes = figures["period"], figures["homes"]

    def rate(value: float | None) -> str:
        return "not worked out (no homes in the directory)" if value is None else f"{value:.2f}"

    def part(section: str) -> str:
        return ", ".join(f"{n:,} {_LABELS[k]}" for k, n in figures[section].items())

    lines = [
        f"Figures for {_day_words(period['from'])} to {_day_words(period['to'])} "
        "(London days, both included)",
        f"Homes in the directory: {homes:,}",
        f"Cases opened: {figures['cases_opened']:,}, of them hate cases: "
        f"{figures['hate_cases_opened']:,}",
        f"NM01 (1) cases per 1,000 homes: {rate(figures['nm01_cases_per_1000_homes'])}",
        f"NM01 (2) hate cases per 1,000 homes: {rate(figures['nm01_hate_cases_per_1000_homes'])}",
        f"First responses: {part('first_responses')}",
        f"By severity: {part('by_severity')}",
        f"By NSIR category: {part('by_nsir_category')}",
    ]
    months = figures.get("cases_by_month") or {}
    if months:
        lines.append("Cases opened by month:")
        lines.extend(
            f"  {date.fromisoformat(m + '-01').strftime('%B %Y')}: {n:,}" for m, n in months.items()
        )
    return "\n".join(lines) + "\n"


def _day_words(iso: str) -> str:
    day = date.fromisoformat(iso)
    return f"{day.day} {day.strftime('%B %Y')}"
