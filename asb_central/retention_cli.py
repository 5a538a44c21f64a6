"""`asb-central retention …`: review, apply, legal holds and the periods, as words or JSON.

    asb-central retention review [--json]
    asb-central retention apply [--dry-run] [--by NAME]
    asb-central retention hold CASE --reason TEXT [--by NAME]
    asb-central retention release CASE [--by NAME]
    asb-central retention period [--case-years N] [--reads-months N]

CASE is a case's id or its reference (ASB-2026-000123). `--by` (default: the user running the
command) is who the retention log names.
"""

from __future__ import annotations

import argparse
import getpass
import json
from datetime import UTC, date, datetime
from typing import Any

from asb_central import retention as r
from asb_central.db import Database
from asb_central.reassess import reassess_all
from asb_desktop.domain.calendar import LONDON
from asb_desktop.domain.retention import day_words
from asb_desktop.domain.wording import counted


def add_parser(commands: Any) -> None:
    keep = commands.add_parser("retention", help="destroy closed cases whose time is over")
    sub = keep.add_subparsers(dest="retention_command", required=True)
    review = sub.add_parser("review", help="list the cases and read-log entries due")
    review.add_argument("--json", action="store_true", help="one JSON object instead of words")
    apply = sub.add_parser("apply", help="destroy what is due (laptops purge it at next sync)")
    apply.add_argument("--dry-run", action="store_true", help="say what would go; change nothing")
    hold = sub.add_parser("hold", help="put a case on legal hold: it is not destroyed")
    hold.add_argument("case", metavar="CASE", help="the case's id or reference")
    hold.add_argument("--reason", required=True, help="why (a claim, a complaint, a request)")
    release = sub.add_parser("release", help="release a case's legal hold")
    release.add_argument("case", metavar="CASE", help="the case's id or reference")
    for parser in (apply, hold, release):
        parser.add_argument("--by", help="who is doing this (default: your user name)")
    period = sub.add_parser("period", help="show or set how long cases and reads are kept")
    period.add_argument("--case-years", type=int, help="years a closed case is kept (default 6)")
    period.add_argument("--reads-months", type=int, help="months the read log is kept (default 24)")


def _today() -> date:
    return datetime.now(UTC).astimezone(LONDON).date()


def _by(args: argparse.Namespace) -> str:
    given = (args.by or "").strip()
    return given or getpass.getuser()


def _line(entry: r.ClosedCase, text: str) -> str:
    return f"  {entry.reference:<16} {text}"


def _periods_words(periods: r.Periods) -> str:
    return (
        f"closed cases are kept for {counted(periods.case_years, 'year')} after the day they "
        f"closed; read-log entries for {counted(periods.reads_months, 'month')}"
    )


def review_lines(found: r.Review) -> list[str]:
    years = found.periods.case_years
    out = [f"Retention review, {day_words(found.today)}: {_periods_words(found.periods)}.", ""]
    if found.due:
        out.append(f"Due to be destroyed: {counted(len(found.due), 'case')}.")
        out += [_line(c, c.why(years)) for c in found.due]
    else:
        out.append("No case is due to be destroyed.")
    if found.held:
        out += ["", f"On legal hold, kept until released: {counted(len(found.held), 'case')}."]
        for c in found.held:
            closed = f"closed {day_words(c.closed_on)}" if c.closed_on else "still open"
            out.append(_line(c, f"{closed}; on hold: {c.hold_reason or 'no reason recorded'}"))
    before = day_words(found.reads_before.date())
    if found.reads_due:
        reads = counted(found.reads_due, "entry", "entries")
        verb = "is" if found.reads_due == 1 else "are"
        out += ["", f"Read log: {reads} from before {before} {verb} due to be removed."]
    else:
        out += ["", f"Read log: nothing from before {before} to remove."]
    if found.due or found.reads_due:
        out += ["", "`asb-central retention apply` destroys them (--dry-run to see it first)."]
    return out


def review_json(found: r.Review) -> dict[str, Any]:
    def case(c: r.ClosedCase) -> dict[str, Any]:
        return {
            "id": c.case_id,
            "reference": c.reference,
            "closed_on": c.closed_on.isoformat() if c.closed_on else None,
            "destroy_after": c.destroy_after.isoformat() if c.destroy_after else None,
        }

    years = found.periods.case_years
    return {
        "today": found.today.isoformat(),
        "retention_years": years,
        "case_reads_months": found.periods.reads_months,
        "due": [{**case(c), "why": c.why(years)} for c in found.due],
        # As the document says it: no destroy-after day while the hold lasts.
        "held": [{**case(c), "destroy_after": None, "reason": c.hold_reason} for c in found.held],
        "case_reads": {
            "before": found.reads_before.date().isoformat(),
            "due": found.reads_due,
        },
    }


def applied_lines(done: r.Applied) -> list[str]:
    would = done.dry_run
    out: list[str] = []
    years = counted(done.review.periods.case_years, "year")
    if done.destroyed:
        verb = "Would destroy" if would else "Destroyed"
        cases = counted(len(done.destroyed), "case")
        out.append(f"{verb} {cases} under the retention rules (kept {years} after closing):")
        for c in done.destroyed:
            closed = f"closed {day_words(c.closed_on)}" if c.closed_on else "closed"
            until = f", kept until {day_words(c.destroy_after)}" if c.destroy_after else ""
            out.append(_line(c, closed + until))
    else:
        out.append("No case was due to be destroyed.")
    before = day_words(done.review.reads_before.date())
    if done.reads_removed:
        reads = counted(done.reads_removed, "read-log entry", "read-log entries")
        out.append(f"{'Would remove' if would else 'Removed'} {reads} from before {before}.")
    else:
        out.append(f"No read-log entry is from before {before}.")
    if done.review.held:
        kept = counted(len(done.review.held), "case")
        out.append(f"{kept} on legal hold {'is' if len(done.review.held) == 1 else 'are'} kept.")
    if would:
        out.append("Dry run: nothing was changed.")
    elif done.destroyed:
        out += [
            "Each laptop that held one is told at its next sync and removes it.",
            "The retention log keeps each case's id, reference and dates, and who ran this.",
        ]
    return out


def run(db: Database, args: argparse.Namespace) -> None:
    command = args.retention_command
    if command == "review":
        found = r.review(db, _today())
        if args.json:
            print(json.dumps(review_json(found), indent=2, ensure_ascii=False))
        else:
            print("\n".join(review_lines(found)))
    elif command == "apply":
        print("\n".join(applied_lines(r.apply(db, _today(), _by(args), dry_run=args.dry_run))))
    elif command in ("hold", "release"):
        held = command == "hold"
        reference = r.set_hold(db, args.case, held=held, by=_by(args), reason=args.reason if held
                               else None)  # fmt: skip
        if held:
            print(f"Case {reference} is on legal hold: it is not destroyed until it is released.")
        else:
            print(f"Case {reference}'s legal hold is released: the retention rules apply again.")
    elif command == "period":
        _period(db, args)


def _period(db: Database, args: argparse.Namespace) -> None:
    changing = args.case_years is not None or args.reads_months is not None
    if changing:
        chosen = r.set_periods(db, args.case_years, args.reads_months)
    else:
        with db.read() as conn:
            chosen = r.periods(conn)
    words = _periods_words(chosen)
    print(words[0].upper() + words[1:] + ".")
    if args.case_years is not None:
        # Closed cases' destroy-after days follow the new period (a new revision each).
        print(f"{counted(reassess_all(db), 'case')} worked out again.")
