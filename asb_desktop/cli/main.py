"""`asb-desktop`: the GUI with no arguments; headless commands for administrators otherwise.

The commands call the same services as the window, which log their own events; only what exists
here alone is logged here (docs/logging.md). The commands set up no log handler, so their events
go nowhere unless a caller (a test, an embedding program) has set one up.
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from asb_desktop import __version__
from asb_desktop.domain.errors import InputError
from asb_desktop.domain.procedure import describe_due
from asb_desktop.services.casework import Casework, ImportRejected, parse_json_records
from asb_desktop.store.cases import CaseFilter
from asb_desktop.store.database import StoreError
from asb_desktop.store.keys import KeyUnavailableError
from asb_desktop.support.logs import log_event, since_ms

_log = logging.getLogger(__name__)
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

# Modules that add their own commands: each has `register(commands)`, adding sub-parsers with
# `set_defaults(handler=fn)` where `fn(args) -> exit code`. Keep their top-level imports light
# (argparse only): they are imported on every start, heavy work goes inside the handler.
COMMAND_MODULES: tuple[str, ...] = (
    "asb_desktop.cli.pdf_commands",
    "asb_desktop.cli.selftest",
    "asb_desktop.cli.sync_commands",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="asb-desktop",
        description="Record anti-social behaviour reports; with no command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"asb-desktop {__version__}")
    parser.add_argument(
        "--data-dir",
        help="folder of the encrypted case store (default: ASB_DESKTOP_DATA_DIR, "
        "else the user's data folder)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    directory = commands.add_parser("directory", help="manage the staff directory")
    directory_commands = directory.add_subparsers(dest="directory_command", required=True)
    directory_import = directory_commands.add_parser("import", help="load a directory JSON file")
    directory_import.add_argument("file", type=Path)

    importer = commands.add_parser(
        "import", help="import case documents (one, a JSON array, or JSON lines): all or nothing"
    )
    importer.add_argument("file", type=Path)

    lister = commands.add_parser("list", help="list cases")
    lister.add_argument("--json", action="store_true", help="print case documents as JSON")
    lister.add_argument(
        "--overdue", action="store_true", help="only open cases past their due time"
    )
    lister.add_argument("--officer", help="only cases assigned to this staff id")

    exporter = commands.add_parser("export", help="write case documents as a JSON array")
    exporter.add_argument("--id", help="one case, by id or reference")
    exporter.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")

    commands.add_parser("verify-audit", help="check the audit log's hash chain")
    commands.add_parser(
        "reset-pin",
        help="clear a forgotten lock PIN (needs the store's key: your sign-in or passphrase); "
        "the next start asks for a new one",
    )
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command is None:
        _start_gui_log()
        from asb_desktop.ui.launch import run_gui

        return run_gui(args.data_dir)
    try:
        return _run_command(args)
    except (StoreError, KeyUnavailableError) as error:
        _failed(args.command, error)
        print(f"asb-desktop: {error}", file=sys.stderr)
        return EXIT_FAILED


def _failed(command: str, error: BaseException) -> None:
    """A command stopped with a message for the administrator: its name and the error's type."""
    log_event(_log, "cli.command_failed", level=logging.WARNING, command=command, error=error)


def _start_gui_log() -> None:
    """The window writes the support log; headless commands print instead and write no log."""
    from asb_desktop.support.logs import setup_logging

    try:
        setup_logging()
    except OSError:
        print(
            "asb-desktop: the log folder cannot be written; carrying on without a log.",
            file=sys.stderr,
        )


def _run_command(args: argparse.Namespace) -> int:
    own_handler = getattr(args, "handler", None)
    if own_handler is not None:
        return int(own_handler(args))
    from asb_desktop.app import open_services

    services = open_services(args.data_dir)
    try:
        handler = _HANDLERS[args.command]
        return handler(services.casework, args)
    finally:
        services.close()


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(str(path), "file not found") from None
    except UnicodeDecodeError:
        raise InputError(str(path), "is not UTF-8 text") from None


def _directory(casework: Casework, args: argparse.Namespace) -> int:
    try:
        document = json.loads(_read_text(args.file))
        directory = casework.import_directory(document)
    except json.JSONDecodeError as error:
        _failed("directory", error)
        print(
            f"asb-desktop: {args.file}: not valid JSON ({error.msg} at line {error.lineno}); "
            "nothing was changed",
            file=sys.stderr,
        )
        return EXIT_FAILED
    except InputError as error:
        _failed("directory", error)  # also logged as directory.import_refused when parsed
        print(f"asb-desktop: {args.file}: {error}; nothing was changed", file=sys.stderr)
        return EXIT_FAILED
    print(
        f"Directory loaded: {len(directory.staff)} staff, {len(directory.estates)} estates, "
        f"{len(directory.schemes)} schemes."
    )
    return EXIT_OK


def _import(casework: Casework, args: argparse.Namespace) -> int:
    try:
        records = parse_json_records(_read_text(args.file), str(args.file))
        imported = casework.import_documents(records)
    except InputError as error:  # the file could not be read
        _failed("import", error)
        print(f"asb-desktop: {error}; nothing was imported", file=sys.stderr)
        return EXIT_FAILED
    except ImportRejected as error:  # logged as case.import_refused by the service
        print(f"asb-desktop: {args.file}: {error}", file=sys.stderr)
        return EXIT_FAILED
    print(f"Imported {len(imported)} case(s) from {args.file.name}.")
    return EXIT_OK


def _list(casework: Casework, args: argparse.Namespace) -> int:
    now = casework.clock()
    where = CaseFilter(assigned_to=args.officer, overdue_at=now if args.overdue else None)
    if args.json:
        documents = [casework.document(row.id) for row in _all_rows(casework, where)]
        print(json.dumps(documents, ensure_ascii=False, indent=2))
        return EXIT_OK
    calendar = casework.calendar()
    rows = _all_rows(casework, where)
    print(
        f"{'REFERENCE':<38} {'RECEIVED':<17} {'SEVERITY':<8} {'ASSIGNED TO':<14} "
        f"{'RESPONSE':<30} STATUS"
    )
    for row in rows:
        received = row.received_at.strftime("%Y-%m-%d %H:%M")
        due = "responded" if row.responded_at else describe_due(row.response_due_at, now, calendar)
        print(
            f"{row.reference or row.id:<38} {received:<17} {row.severity:<8} "
            f"{row.assigned_to or '(unassigned)':<14} {due:<30} {row.state}"
        )
    print(f"{len(rows)} case(s).")
    return EXIT_OK


def _all_rows(casework: Casework, where: CaseFilter) -> list[Any]:
    rows: list[Any] = []
    while True:
        page = casework.list_cases(where, offset=len(rows), limit=1000)
        rows.extend(page)
        if len(page) < 1000:
            return rows


def _export(casework: Casework, args: argparse.Namespace) -> int:
    started = time.perf_counter()
    if args.id:
        document = casework.document(args.id)
        if document is None:
            log_event(_log, "case.export_refused", level=logging.WARNING, reason="no_such_case")
            print(f"asb-desktop: no case with id or reference {args.id!r}", file=sys.stderr)
            return EXIT_FAILED
        documents = [document]
    else:
        documents = casework.documents()
    text = json.dumps(documents, ensure_ascii=False, indent=2) + "\n"
    if args.output is None:
        sys.stdout.write(text)
    else:
        _write_private_file(args.output, text)
        print(f"Exported {len(documents)} case(s) to {args.output}.", file=sys.stderr)
    log_event(
        _log,
        "case.exported",
        cases=len(documents),
        one_case=bool(args.id),
        format="json",
        to_file=args.output is not None,
        duration_ms=since_ms(started),
    )
    return EXIT_OK


def _write_private_file(path: Path, text: str) -> None:
    """Readable by the owner only, and never half-written: a temp file beside it, then rename."""
    temporary = path.with_name(f".{path.name}.partial")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _verify_audit(casework: Casework, args: argparse.Namespace) -> int:
    check = casework.verify_audit()
    if check.intact:
        print(f"Audit log intact: {check.rows} entries, hash chain verified.")
        return EXIT_OK
    print(f"Audit log BROKEN at entry {check.broken_at}: {check.problem}.", file=sys.stderr)
    return EXIT_FAILED


def _reset_pin(casework: Casework, args: argparse.Namespace) -> int:
    from asb_desktop.services.lock import Lock

    if Lock(casework.store).forget_pin(actor=casework.actor, now=casework.clock()):
        print("The lock PIN is cleared; ASB Desktop asks for a new one when it next starts.")
    else:
        print("No lock PIN is set on this laptop.")
    return EXIT_OK


_HANDLERS = {
    "directory": _directory,
    "import": _import,
    "list": _list,
    "export": _export,
    "verify-audit": _verify_audit,
    "reset-pin": _reset_pin,
}
