"""The casework commands: `directory import`, `import`, `list`, `export`, `verify-audit`,
`reset-pin`.

Each file given is read and checked (it exists, it is JSON, it is the right kind of document,
an output path can be written) before the store is opened, so a bad path changes nothing and
leaves no data folder behind. Only argparse at import time; the work is in the handlers.
"""

from __future__ import annotations

import argparse
import itertools
import json
import logging
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from asb_desktop.cli.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, CommandError, add_command
from asb_desktop.cli.store_access import run_with_store
from asb_desktop.domain.wording import counted

if TYPE_CHECKING:
    from asb_desktop.app import Services
    from asb_desktop.services.casework import Casework
    from asb_desktop.store.case_rows import StoredRow
    from asb_desktop.store.cases import CaseFilter

_log = logging.getLogger(__name__)
NAME_WIDTH = 24
KIND_WIDTH = 22
LIST_PAGE = 1000  # rows a page: one query each, never the whole caseload at once


def register(commands: Any) -> None:
    directory = add_command(commands, "directory", help="manage the staff directory")
    directory_commands = directory.add_subparsers(
        dest="directory_command", metavar="COMMAND", required=True
    )
    directory_import = add_command(
        directory_commands, "import", help="load a staff directory file (asb-directory/1)"
    )
    directory_import.add_argument(
        "file", type=Path, help="the directory JSON file, e.g. resources/demo/directory.json"
    )
    directory_import.set_defaults(handler=directory_import_command)

    importer = add_command(
        commands,
        "import",
        help="import case documents (one, a JSON array, or JSON lines): all or nothing",
    )
    importer.add_argument("file", type=Path, help="the file of asb-case/1 documents")
    importer.set_defaults(handler=import_command)

    lister = add_command(
        commands, "list", help="list cases: risk, kind of ASB, response deadline in words"
    )
    lister.add_argument("--json", action="store_true", help="print case documents as JSON")
    lister.add_argument(
        "--overdue",
        action="store_true",
        help="only open cases past a deadline (first response, staff risk assessment, next "
        "update, an action), each overdue one said beneath its case",
    )
    lister.add_argument(
        "--officer", metavar="ID", help="only cases assigned to this staff id (see the directory)"
    )
    lister.set_defaults(handler=list_command)

    exporter = add_command(commands, "export", help="write case documents as a JSON array")
    exporter.add_argument("--id", help="one case, by id or reference")
    exporter.add_argument(
        "-o", "--output", metavar="FILE", type=Path, help="file to write (default: stdout)"
    )
    exporter.add_argument(
        "--to",
        metavar="WHO",
        help="for someone outside the team: whom it is for, recorded in each case's "
        "disclosure log once the file is written",
    )
    exporter.set_defaults(handler=export_command)

    verify = add_command(
        commands,
        "verify-audit",
        help="check every page of the case database and the audit log's hash chain",
    )
    verify.set_defaults(handler=verify_audit_command)
    reset = add_command(
        commands,
        "reset-pin",
        help="clear a forgotten lock PIN (needs the store's key: your sign-in or passphrase); "
        "the next start asks for a new one",
    )
    reset.set_defaults(handler=reset_pin_command)


# --- directory import, import -----------------------------------------------------------------


def _json_file(path: Path, nothing_done: str) -> Any:
    text = _read(path, nothing_done)
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise CommandError(
            f"{path}: not valid JSON ({error.msg} at line {error.lineno}); {nothing_done}.",
            cause=error,
        ) from None


def _read(path: Path, nothing_done: str) -> str:
    from asb_desktop.cli.files import read_text_file
    from asb_desktop.domain.limits import MAX_IMPORT_BYTES

    return read_text_file(path, nothing_done=nothing_done, max_bytes=MAX_IMPORT_BYTES)


def _format_of(document: Any) -> Any:
    """The `format` a document (or the first of a list of them) says it is."""
    first = document[0] if isinstance(document, list) and document else document
    return first.get("format") if isinstance(first, dict) else None


def directory_import_command(args: argparse.Namespace) -> int:
    from asb_desktop.domain.directory import DIRECTORY_FORMAT, parse_directory
    from asb_desktop.domain.document import CASE_FORMAT
    from asb_desktop.domain.errors import InputError

    nothing = "nothing was changed"
    document = _json_file(args.file, nothing)
    if _format_of(document) == CASE_FORMAT:
        raise CommandError(
            f"{args.file} is a case file ({CASE_FORMAT}), not a staff directory "
            f"({DIRECTORY_FORMAT}); to import its cases use `asb-desktop import {args.file}`; "
            f"{nothing}."
        )
    try:
        parse_directory(document)  # before the store is opened: a bad file opens nothing
    except InputError as error:
        raise CommandError(f"{args.file}: {error}; {nothing}.", cause=error) from None

    def work(services: Services) -> int:
        directory = services.casework.import_directory(document)
        print(
            f"Directory loaded: {len(directory.staff)} staff, {len(directory.estates)} estates, "
            f"{len(directory.schemes)} schemes."
        )
        return EXIT_OK

    return run_with_store(args, work, create=True)


def import_command(args: argparse.Namespace) -> int:
    from asb_desktop.domain.directory import DIRECTORY_FORMAT
    from asb_desktop.domain.document import CASE_FORMAT
    from asb_desktop.services.casework import ImportRejected, parse_json_records

    text = _read(args.file, "nothing was imported")
    try:
        records = parse_json_records(text, str(args.file))
    except ImportRejected as error:  # the file is empty or is not JSON: logged by the service
        print(f"asb-desktop: {error}", file=sys.stderr)
        return EXIT_FAILED
    if any(_format_of(record.body) == DIRECTORY_FORMAT for record in records):
        raise CommandError(
            f"{args.file} is a staff directory ({DIRECTORY_FORMAT}), not a file of cases "
            f"({CASE_FORMAT}); to load it use `asb-desktop directory import {args.file}`; "
            "nothing was imported."
        )

    def work(services: Services) -> int:
        try:
            imported = services.casework.import_documents(records)
        except ImportRejected as error:  # logged as case.import_refused by the service
            print(f"asb-desktop: {args.file}: {error}", file=sys.stderr)
            return EXIT_FAILED
        print(f"Imported {counted(len(imported), 'case')} from {args.file.name}.")
        return EXIT_OK

    return run_with_store(args, work, create=True)


# --- list -------------------------------------------------------------------------------------


def list_command(args: argparse.Namespace) -> int:
    return run_with_store(args, lambda services: _list(services.casework, args))


def _list(casework: Casework, args: argparse.Namespace) -> int:
    from asb_desktop.store.cases import CaseFilter

    now = casework.clock()
    where = CaseFilter(assigned_to=args.officer, overdue_at=now if args.overdue else None)
    pages = _row_pages(casework, where)
    first = next(pages)
    if args.officer and casework.directory().member(args.officer) is None:
        unknown = _unknown_officer(casework, args.officer)
        if not first:
            raise CommandError(f"{unknown}, and no case is assigned to that id.")
        print(f"asb-desktop: note: {unknown}; listing the cases assigned to it.", file=sys.stderr)
    if args.json:
        from asb_desktop.services.case_listing import export_pages
        from asb_desktop.support.json_text import indented_pages

        # Streamed, a page at a time, in the list's order: never the whole caseload at once.
        for piece in indented_pages(export_pages(casework, where)):
            sys.stdout.write(piece.decode("utf-8"))
        return EXIT_OK
    _print_table(casework, itertools.chain([first], pages), now, overdue_words=args.overdue)
    return EXIT_OK


def _unknown_officer(casework: Casework, officer: str) -> str:
    if not casework.directory().staff:
        return (
            f"there is no staff directory yet, so {officer!r} is not in it (load one with "
            "`asb-desktop directory import FILE`)"
        )
    return f"{officer!r} is not a staff id in the directory"


def _print_table(
    casework: Casework, pages: Iterable[list[StoredRow]], now: Any, *, overdue_words: bool = False
) -> None:
    """One line a case, printed a page at a time from the rows' own columns; with
    `overdue_words` (`--overdue`), beneath it each deadline that is overdue, saying which
    (first response, staff risk assessment, next update, an action), from the page's stored
    documents read in one query."""
    calendar = casework.calendar()
    words = _LineWords(now, calendar)
    print(
        f"{'CASE':<16} {'COMPLAINANT':<{NAME_WIDTH}} {'RECEIVED (LONDON)':<17} {'SEVERITY':<8} "
        f"{'RISK':<12} {'KIND OF ASB':<{KIND_WIDTH}} {'ASSIGNED TO':<14} {'RESPONSE':<30} STATUS"
    )
    from asb_desktop.support import collector

    local = listed = 0
    for rows in pages:
        listed += len(rows)
        local += sum(row.reference is None for row in rows)
        if not overdue_words:
            with collector.paused():  # a page's lines: many objects, no cycles
                text = words.lines(rows)
            sys.stdout.write(text)
            continue
        documents = casework.stored_documents([r.id for r in rows])
        lines = []
        for row in rows:
            lines.append(words.line(row))
            document = documents.get(row.id, {})
            lines += [f"    overdue: {w}" for w in _overdue_words(document, now, calendar)]
        sys.stdout.write("".join(line + "\n" for line in lines))
    print(f"{counted(listed, 'case')}.")
    if local:
        print(
            "A case with no reference yet (the central store gives one) is shown as Local and "
            "the start of its id; `asb-desktop list --json` gives each id in full."
        )


class _LineWords:
    """A line's words from the row's stored text, each worked out once per value in a listing
    (one `now`): deadlines fall on few days, and names, kinds, officers repeat, so 100,000
    lines ask the working-day calendar a few hundred times, not 100,000."""

    def __init__(self, now: Any, calendar: Any) -> None:
        from asb_desktop.domain.calendar import LONDON
        from asb_desktop.domain.procedure import describe_due
        from asb_desktop.store.db_time import from_db
        from asb_desktop.ui.words import case_label

        self._label = case_label
        self.now = now
        self.calendar = calendar
        self._london, self._describe_due, self._from_db = LONDON, describe_due, from_db
        self._due: dict[str, str] = {}
        self._names: dict[str | None, str] = {}
        self._rest: dict[tuple[str | None, ...], str] = {}
        self._hours: dict[str, str] = {}

    def lines(self, rows: list[StoredRow]) -> str:
        """A page's lines, each with its newline (`line`, with its lookups inlined: a million
        rows make a million lines)."""
        label, names, hours, rests = self._label, self._names, self._hours, self._rest
        out = []
        for row in rows:
            if row.anonymous:
                who = _ANONYMOUS
            else:  # each name is padded, never empty
                who = names.get(row.complainant_name) or self.complainant(row)
            received = row.received_at
            hour = hours.get(received[:13]) if len(received) == 25 else None
            if hour is None or not received.endswith("+00:00"):
                when = self.received(received)
            else:
                when = f"{hour[:13]}{received[13:16]}"
            due = None if row.responded_at else row.response_due_at
            key = (row.severity, row.risk_level, row.asb_types, row.assigned_to, due, row.state)
            rest = rests.get(key) or self.rest(row)
            out.append(f"{label(row.reference, row.id):<16} {who} {when:<17} {rest}\n")
        return "".join(out)

    def line(self, row: StoredRow) -> str:
        """One case's line."""
        return (
            f"{self._label(row.reference, row.id):<16} {self.complainant(row)} "
            f"{self.received(row.received_at):<17} {self.rest(row)}"
        )

    def rest(self, row: StoredRow) -> str:
        """The line from the severity on (severity, risk, kinds, officer, response, state):
        few different ones in a caseload, each put together once."""
        due = None if row.responded_at else row.response_due_at
        key = (row.severity, row.risk_level, row.asb_types, row.assigned_to, due, row.state)
        found = self._rest.get(key)
        if found is None:
            said = "responded" if due is None else self.due(due)
            found = self._rest[key] = (
                f"{row.severity:<8} {_risk(row.risk_level):<12} "
                f"{self.kinds(row.asb_types):<{KIND_WIDTH}} "
                f"{row.assigned_to or '(unassigned)':<14} {said:<30} {row.state}"
            )
        return found

    def due(self, stored: str) -> str:
        found = self._due.get(stored)
        if found is None:
            moment = self._from_db(stored)
            found = self._due[stored] = self._describe_due(moment, self.now, self.calendar)
        return found

    def complainant(self, row: StoredRow) -> str:
        """Who complained, filling the column."""
        if row.anonymous:
            return _ANONYMOUS
        found = self._names.get(row.complainant_name)
        if found is None:
            name = _complainant_name(row.complainant_name)
            found = self._names[row.complainant_name] = f"{name:<{NAME_WIDTH}}"
        return found

    def kinds(self, stored: str | None) -> str:
        return _kinds(tuple(k for k in (stored or "").split("|") if k))

    def received(self, stored: str) -> str:
        """When it came in, London time to the minute ("2026-07-01 09:30"). London is a whole
        number of hours off UTC, changing on the hour, so the stored UTC text's hour is put in
        London time once ("2026-07-01T08" -> "2026-07-01 09") and its minutes kept."""
        if len(stored) == 25 and stored.endswith("+00:00"):  # as store/db_time.py writes it
            hour = self._hours.get(stored[:13])
            if hour is None:
                hour = self._hours[stored[:13]] = self._in_london(stored[:13] + ":00:00+00:00")
            return f"{hour[:13]}{stored[13:16]}"
        return self._in_london(stored)

    def _in_london(self, stored: str) -> str:
        local = self._from_db(stored).astimezone(self._london)
        if local.year < 1000:  # isoformat pads the year with zeros, strftime does not
            return local.strftime("%Y-%m-%d %H:%M")
        return local.isoformat(" ", "minutes")[:16]


_ANONYMOUS = f"{'Anonymous':<{NAME_WIDTH}}"


def _risk(level: str | None) -> str:
    """The latest risk assessment's level; a high one in capitals, never by colour alone."""
    if not level:
        return "not assessed"
    return "HIGH" if level == "high" else str(level)


def _kinds(asb_types: tuple[str, ...]) -> str:
    kinds = ", ".join(k.replace("_", " ") for k in asb_types)
    if not kinds:
        return "not classified"
    return kinds if len(kinds) <= KIND_WIDTH else kinds[: KIND_WIDTH - 1] + "…"


def _overdue_words(document: dict[str, Any], now: Any, calendar: Any) -> list[str]:
    """Each overdue deadline in words (`domain.deadlines`): "next update to the complainant:
    2 working days overdue (was due …)"."""
    from asb_desktop.domain.deadlines import (
        describe_deadline,
        document_deadlines,
        overdue_deadlines,
    )
    from asb_desktop.domain.errors import InputError

    try:
        deadlines = document_deadlines(document)
    except InputError:
        return ["its deadlines could not be read from the stored case"]
    return [describe_deadline(d, now, calendar) for d in overdue_deadlines(deadlines, now)]


def _complainant_name(name: str | None) -> str:
    """A named complainant's name on one line, cut to the column."""
    shown = " ".join((name or "(no name)").split())
    return shown if len(shown) <= NAME_WIDTH else shown[: NAME_WIDTH - 1] + "…"


def _row_pages(casework: Casework, where: CaseFilter) -> Iterator[list[StoredRow]]:
    """The rows `LIST_PAGE` at a time, each page from where the last ended (keyset), as the
    store holds them (services/case_listing.py). Always yields at least one page."""
    from asb_desktop.services.case_listing import stored_row_pages

    return stored_row_pages(casework, where, LIST_PAGE)


# --- export -----------------------------------------------------------------------------------


def export_command(args: argparse.Namespace) -> int:
    from asb_desktop.cli.files import check_output_file

    if args.output is not None:
        check_output_file(args.output, example="cases.json")

    def missing(folder: Path) -> int:
        from asb_desktop.cli.store_access import no_store

        if args.id:
            raise CommandError(f"no case with id or reference {args.id!r}: {no_store(folder)}")
        raise CommandError(no_store(folder))

    return run_with_store(args, lambda services: _export(services.casework, args), missing=missing)


def _export(casework: Casework, args: argparse.Namespace) -> int:
    from asb_desktop.cli.files import write_file
    from asb_desktop.services.case_listing import export_bytes, noted
    from asb_desktop.support.json_text import indented_pages
    from asb_desktop.support.logs import log_event, since_ms

    started = time.perf_counter()
    document = None
    if args.id:
        document = casework.document(args.id)
        if document is None:
            log_event(_log, "case.export_refused", level=logging.WARNING, reason="no_such_case")
            raise CommandError(f"no case with id or reference {args.id!r}; nothing was written.")
    ids: list[str] = []
    record = _disclosure_recorder(casework, args, ids)

    def pieces() -> Iterator[bytes]:
        if document is not None:
            return indented_pages(noted([[document]], ids))
        return export_bytes(casework, ids)  # a page at a time: never all of them at once

    if args.output is None:
        _to_stdout(piece.decode("utf-8") for piece in pieces())
        record()  # what went to the terminal or a pipe is out: recorded once it went
    elif record is _nothing:
        write_file(args.output, pieces())
    else:
        _write_recorded(args.output, pieces(), record)
    if args.output is not None:
        print(f"Exported {counted(len(ids), 'case')} to {args.output}.", file=sys.stderr)
    if args.to is not None:
        print("Recorded in each case's disclosure log.", file=sys.stderr)
    log_event(
        _log,
        "case.exported",
        cases=len(ids),
        one_case=bool(args.id),
        format="json",
        to_file=args.output is not None,
        duration_ms=since_ms(started),
    )
    return EXIT_OK


def _nothing() -> None:
    return None


def _disclosure_recorder(
    casework: Casework, args: argparse.Namespace, ids: list[str]
) -> Callable[[], None]:
    """Records the export in each case's disclosure log (`--to`), or does nothing. `ids`: the
    cases exported, filled in as they are written (recorded once all of them are)."""
    if args.to is None:
        return _nothing
    from asb_desktop.domain.disclosure import DisclosureProfile, DisclosureWhat
    from asb_desktop.domain.errors import ProcedureError
    from asb_desktop.services.disclosures import check_recipient, record_disclosures

    try:
        check_recipient(args.to)
    except ProcedureError as error:
        raise CommandError(f"--to: {error} Nothing was written.", code=EXIT_USAGE) from None

    def record() -> None:
        try:
            record_disclosures(
                casework,
                list(ids),
                to=args.to,
                profile=DisclosureProfile.INTERNAL,
                what=DisclosureWhat.EXPORT_JSON,
            )
        except ProcedureError as error:
            raise CommandError(f"{error} Nothing was written.", cause=error) from None

    return record


def _write_recorded(path: Path, data: Iterable[bytes], record: Callable[[], None]) -> None:
    """Whole on disk, then recorded, then put in place: a failed write records nothing."""
    from asb_desktop.cli.files import os_error_words, write_file, write_pair

    if not path.exists() or path.is_file():
        try:
            write_pair([(path, data)], before_rename=record)
        except OSError as error:
            raise CommandError(
                f"{path} could not be written: {os_error_words(error)}; nothing was written "
                "there and nothing was recorded.",
                cause=error,
            ) from None
        return
    write_file(path, data)  # a device or pipe: written to, then recorded
    record()


def _to_stdout(pieces: Iterable[str]) -> None:
    from asb_desktop.cli.files import os_error_words

    try:
        for piece in pieces:
            sys.stdout.write(piece)
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as error:
        raise CommandError(
            f"the export could not be written to the standard output: {os_error_words(error)}.",
            cause=error,
        ) from None


# --- verify-audit, reset-pin ------------------------------------------------------------------


def verify_audit_command(args: argparse.Namespace) -> int:
    """Both halves, each said: every page of the file (damage anywhere), the write-ahead log
    still the store's own, then the audit log's hash chain; exit 1 if any failed."""

    def work(services: Services) -> int:
        from asb_desktop.store.faults import StoreDamaged, damaged_words, journal_missing_words
        from asb_desktop.store.integrity import check_pages

        failed = []
        with services.store.read() as conn:
            pages = check_pages(conn)
        if pages.intact:
            print(f"Pages intact: all {pages.pages} pages of the case database pass their check.")
        else:
            print(damaged_words(pages.damaged_pages), file=sys.stderr)
            failed.append("the page check")
        if not services.store.journal_intact():
            print(journal_missing_words(kept=False), file=sys.stderr)
            failed.append("the write-ahead log")
        try:
            check = services.casework.verify_audit()
        except StoreDamaged:
            print("The audit log could not be read: its pages are damaged.", file=sys.stderr)
            failed.append("the audit hash chain")
        else:
            if check.intact:
                print(f"Audit log intact: {check.rows} entries, hash chain verified.")
            else:
                print(
                    f"Audit log BROKEN at entry {check.broken_at}: {check.problem}.",
                    file=sys.stderr,
                )
                failed.append("the audit hash chain")
        if failed:
            print(f"verify-audit: FAILED: {' and '.join(failed)}.", file=sys.stderr)
            return EXIT_FAILED
        return EXIT_OK

    return run_with_store(args, work)


def reset_pin_command(args: argparse.Namespace) -> int:
    def work(services: Services) -> int:
        casework = services.casework
        if services.lock.forget_pin(actor=casework.actor, now=casework.clock()):
            print("The lock PIN is cleared; ASB Desktop asks for a new one when it next starts.")
        else:
            print("No lock PIN is set on this laptop.")
        return EXIT_OK

    return run_with_store(args, work)
