"""What every command module shares: the exit codes, the error a handler raises to say why it
stopped, and `add_command`, which gives each sub-parser the options every command takes.

Imported on every start (argparse only): nothing here opens the store or loads Qt.
"""

from __future__ import annotations

import argparse
from typing import Any

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class CommandError(Exception):
    """A command stopped for a reason the user can act on. `message` is one or more sentences
    (printed after "asb-desktop: "); `cause` is what went wrong underneath, whose type (never
    its message) is logged."""

    def __init__(
        self, message: str, *, code: int = EXIT_FAILED, cause: BaseException | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.cause = cause


DATA_DIR_HELP = (
    "folder of the encrypted case store (default: ASB_DESKTOP_DATA_DIR, else the user's data "
    "folder); may come before or after the command"
)


def _shared_options() -> argparse.ArgumentParser:
    shared = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: given after the command it wins, and when it is not given there the root
    # parser's value (before the command, or None) is kept.
    shared.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS, help=DATA_DIR_HELP)
    return shared


def add_command(commands: Any, name: str, *, help: str, **options: Any) -> argparse.ArgumentParser:
    """A sub-parser of `commands` that takes `--data-dir` like the root parser. Every command
    module (and a command with commands of its own, such as `directory`) adds its parsers
    through this."""
    return commands.add_parser(  # type: ignore[no-any-return]
        name,
        help=help,
        description=options.pop("description", help),
        parents=[_shared_options()],
        **options,
    )
