"""`asb-central figures [--from DATE] [--to DATE] [--json | --csv] [--xlsx FILE]`: the figures
over the whole organisation (asb_desktop/domain/figures.py), the homes from the central
directory. By default the financial year (1 April to 31 March) so far.

The central `cases` table keeps no `received_at` column, so every document is streamed past
the tally (a few hundred rows at a time) rather than selected by date.
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from asb_central.db import Database, SetupError
from asb_central.people import load_directory
from asb_central.tables import cases
from asb_desktop.domain.calendar import LONDON
from asb_desktop.domain.figures import (
    FiguresTally,
    Period,
    PeriodError,
    figure_rows,
    figures_csv,
    figures_in_words,
    homes_of,
    parse_period,
)

PERIOD_HELP = (
    "London calendar days, both included, written YYYY-MM-DD; by default the financial year "
    "(from 1 April) up to today"
)


def add_parser(commands: Any) -> None:
    figures = commands.add_parser(
        "figures",
        help="cases opened, NM01 per 1,000 homes, first responses on time, by severity and "
        "NSIR category, for a period (default: this financial year so far)",
    )
    figures.add_argument("--from", dest="first", metavar="DATE", help="first day; " + PERIOD_HELP)
    figures.add_argument("--to", dest="last", metavar="DATE", help="last day (default today)")
    shape = figures.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true", help="one JSON object")
    shape.add_argument("--csv", action="store_true", help="CSV rows: section,measure,value")
    figures.add_argument(
        "--xlsx", type=Path, metavar="FILE", help="also write the figures as a spreadsheet"
    )


def period_of(args: argparse.Namespace) -> Period:
    today = datetime.now(UTC).astimezone(LONDON).date()
    try:
        return parse_period(args.first, args.last, today=today)
    except PeriodError as error:
        raise SetupError(f"{error}; nothing was worked out") from None


def central_figures(db: Database, period: Period) -> dict[str, Any]:
    tally = FiguresTally(period)
    with db.read() as conn:
        directory = load_directory(conn)
        rows = conn.execute(select(cases.c.document).execution_options(yield_per=500))
        for (raw,) in rows:
            tally.add(json.loads(raw))
    return tally.figures(homes_of(directory))


def run(db: Database, args: argparse.Namespace) -> None:
    period = period_of(args)
    if args.xlsx is not None and not args.xlsx.parent.is_dir():
        raise SetupError(f"{args.xlsx.parent} is not a folder; nothing was written")
    figures = central_figures(db, period)
    if args.xlsx is not None:
        write_xlsx(figures, args.xlsx)
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(figures_csv(figures) if args.csv else figures_in_words(figures), end="")


def write_xlsx(figures: dict[str, Any], path: Path) -> None:
    """One sheet, the rows of the CSV with a heading, numbers as numbers (openpyxl)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Figures"
    sheet.append(["section", "measure", "value"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in figure_rows(figures):
        sheet.append(list(row))
    for column, width in (("A", 18), ("B", 34), ("C", 14)):
        sheet.column_dimensions[column].width = width
    try:
        book.save(path)
    except OSError as error:
        raise SetupError(
            f"{path} cannot be written ({error.strerror}); nothing was written"
        ) from None
