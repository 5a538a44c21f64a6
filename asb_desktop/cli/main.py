"""`asb-desktop`: the GUI with no arguments; headless commands for administrators otherwise.

Every command lives in a module of this package with `register(commands)`, which adds its
sub-parser (through `common.add_command`, so it takes `--data-dir` too) and sets
`handler=fn`, where `fn(args) -> exit code`. The modules are listed once, in COMMANDS. Their
top-level imports are light (argparse only) because each is imported on every start; the work,
and its imports, are in the handlers.

This module keeps the root parser, the entry point and the one place that turns a known error
(a CommandError from a handler, a store that cannot be opened, a bad path, a full disk) into a
sentence and an exit code. A command that fails leaves no traceback, only that sentence.

The commands call the same services as the window, which log their own events; only what exists
here alone is logged here (docs/logging.md). The commands set up no log handler, so their events
go nowhere unless a caller (a test, an embedding program) has set one up.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from asb_desktop import __version__
from asb_desktop.cli import (
    attachment_commands,
    case_commands,
    erasure_commands,
    figures_commands,
    letter_commands,
    pdf_commands,
    selftest,
    subject_access_commands,
    sync_commands,
)
from asb_desktop.cli.common import DATA_DIR_HELP, EXIT_FAILED, CommandError
from asb_desktop.support.child_pipe import SUMMARIES_CHILD

_log = logging.getLogger(__name__)
EXIT_INTERRUPTED = 130

# Every command module, in the order `asb-desktop --help` lists them.
COMMANDS = (
    case_commands,
    figures_commands,
    pdf_commands,
    letter_commands,
    subject_access_commands,
    erasure_commands,
    attachment_commands,
    sync_commands,
    selftest,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="asb-desktop",
        description="Record anti-social behaviour reports; with no command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"asb-desktop {__version__}")
    parser.add_argument("--data-dir", metavar="DIR", help=DATA_DIR_HELP)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMANDS:
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    given = sys.argv[1:] if argv is None else list(argv)
    if given == [SUMMARIES_CHILD]:  # the window's batch of summaries (reports/batch_child.py)
        from asb_desktop.reports.batch_child import serve

        return serve()
    args = build_parser().parse_args(argv)
    if args.command is None:
        return _window(args)
    try:
        code = int(args.handler(args))
        sys.stdout.flush()  # here, so a full disk or a closed pipe is said, not lost at exit
        return code
    except KeyboardInterrupt:
        print("\nasb-desktop: stopped; what was not finished was not saved.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _quiet_stdout()  # the reader went away (`| head`): nothing to say, nobody to say it to
        return EXIT_FAILED
    except Exception as error:
        said = in_words(error)
        if said is None:
            raise  # a bug, not a circumstance: its traceback is what support needs
        message, code = said
        _failed(args.command, getattr(error, "cause", None) or error)
        print(f"asb-desktop: {_sentence(message)}", file=sys.stderr)
        return code


def in_words(error: BaseException) -> tuple[str, int] | None:
    """A known error as (a sentence, an exit code); None for one that is not known."""
    if isinstance(error, CommandError):
        return error.message, error.code
    from asb_desktop.store.database import StoreError
    from asb_desktop.store.keys import KeyUnavailableError

    if isinstance(error, StoreError | KeyUnavailableError):
        return str(error), EXIT_FAILED
    database_words = _database_trouble(error)
    if database_words is not None:
        return database_words, EXIT_FAILED
    if isinstance(error, OSError):
        from asb_desktop.cli.files import os_error_words

        where = f"{error.filename}: " if error.filename else ""
        return f"{where}{os_error_words(error)}; the command stopped there.", EXIT_FAILED
    return None


def _database_trouble(error: BaseException) -> str | None:
    """The store's own failures, said for what they are: a full disk, a failing disk, a store
    another program holds. SQLite's messages are fixed words, never the data."""
    seen: BaseException | None = error
    while seen is not None:
        text = str(getattr(seen, "orig", None) or seen)
        if _is_database_error(seen) and "database or disk is full" in text:
            return (
                "the disk is full, so the case database could not be written; nothing was "
                "changed. Free some space on the disk that holds the data folder and try again."
            )
        if _is_database_error(seen) and "disk I/O error" in text:
            return (
                "the case database could not be read or written (a disk input/output error); "
                "nothing was changed. Check that the disk has room and is working."
            )
        if _is_database_error(seen) and "database is locked" in text:
            return (
                "the case database is busy: another ASB Desktop on this laptop is writing to "
                "it. Try again in a moment."
            )
        seen = seen.__cause__ or seen.__context__
    return None


def _is_database_error(error: BaseException) -> bool:
    module = type(error).__module__
    return module.startswith(("sqlalchemy", "sqlcipher3", "sqlite3"))


def _sentence(message: str) -> str:
    message = message.strip()
    return message if message.endswith((".", "?", "!", ":")) or "\n" in message else message + "."


def _failed(command: str, error: BaseException) -> None:
    """A command stopped with a message for the administrator: its name and the error's type."""
    from asb_desktop.support.logs import log_event

    log_event(_log, "cli.command_failed", level=logging.WARNING, command=command, error=error)


def _quiet_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _window(args: argparse.Namespace) -> int:
    from asb_desktop.cli.display import missing_display

    problem = missing_display()
    if problem is not None:
        print(
            f"asb-desktop: {problem}, so the window cannot open. Start ASB Desktop from a "
            "desktop session, or run one of its commands (`asb-desktop --help` lists them).",
            file=sys.stderr,
        )
        return EXIT_FAILED
    _start_gui_log()
    from asb_desktop.ui.launch import run_gui

    return run_gui(args.data_dir)


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
