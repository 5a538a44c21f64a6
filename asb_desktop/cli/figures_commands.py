"""`asb-desktop figures [--from DATE] [--to DATE] [--json | --csv] [--xlsx FILE]`: the figures of
this laptop's store for a period (domain/figures.py, services/figures.py). By default the
financial year (1 April to 31 March) so far. The spreadsheet: reports/figures_xlsx.py.

Only argparse at import time; the work is in the handler.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from asb_desktop.cli.common import EXIT_OK, EXIT_USAGE, CommandError, add_command
from asb_desktop.cli.store_access import run_with_store

PERIOD_HELP = (
    "London calendar days, both included, written YYYY-MM-DD; by default the financial year "
    "(from 1 April) up to today"
)


def add_figures_options(parser: argparse.ArgumentParser) -> argparse._MutuallyExclusiveGroup:
    """The options `asb-desktop figures` and `asb-central figures` share."""
    parser.add_argument("--from", dest="first", metavar="DATE", help="first day; " + PERIOD_HELP)
    parser.add_argument("--to", dest="last", metavar="DATE", help="last day (default today)")
    shape = parser.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true", help="one JSON object")
    shape.add_argument("--csv", action="store_true", help="CSV rows: section,measure,value")
    return shape


def register(commands: Any) -> None:
    figures = add_command(
        commands,
        "figures",
        help="cases opened, NM01 per 1,000 homes, first responses on time, by severity and "
        "NSIR category, for a period (default: this financial year so far)",
    )
    add_figures_options(figures)
    figures.add_argument(
        "--xlsx", type=Path, metavar="FILE", help="also write the figures as a spreadsheet"
    )
    figures.set_defaults(handler=_figures)


def _figures(args: argparse.Namespace) -> int:
    period = period_of(args)
    if args.xlsx is not None:
        from asb_desktop.cli.files import check_output_file

        check_output_file(args.xlsx, example="figures.xlsx")

    def work(services: Any) -> int:
        from asb_desktop.services.figures import store_figures

        figures = store_figures(services.casework, period)
        if args.xlsx is not None:
            from asb_desktop.cli.files import write_file
            from asb_desktop.reports.figures_xlsx import figures_xlsx

            write_file(args.xlsx, figures_xlsx(figures))
        print(figures_text(figures, args), end="")
        return EXIT_OK

    return run_with_store(args, work)


def period_of(args: argparse.Namespace) -> Any:
    from datetime import UTC, datetime

    from asb_desktop.domain.calendar import LONDON
    from asb_desktop.domain.figures import PeriodError, parse_period

    today = datetime.now(UTC).astimezone(LONDON).date()
    try:
        return parse_period(args.first, args.last, today=today)
    except PeriodError as error:
        raise CommandError(f"{error}; nothing was worked out", code=EXIT_USAGE) from None


def figures_text(figures: dict[str, Any], args: argparse.Namespace) -> str:
    """The figures as `--json`, `--csv` or words (the default)."""
    from asb_desktop.domain.figures import figures_csv, figures_in_words

    if args.json:
        import json

        return json.dumps(figures, indent=2) + "\n"
    return figures_csv(figures) if args.csv else figures_in_words(figures)
