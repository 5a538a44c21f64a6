"""The case store, opened for one command.

- Only a command that needs a store makes one (`create=True`: `directory import`, `import`,
  `enrol`); the others say there is none, naming the folder, so a mistyped `--data-dir` never
  makes an empty store.
- With no secure keyring and no ASB_DESKTOP_PASSPHRASE, the passphrase is asked on the terminal
  (twice for a new store, three tries in all); with no terminal, a sentence says to set
  ASB_DESKTOP_PASSPHRASE.
- A store this command made is removed again if the command fails, so a failed command leaves
  no data folder behind.

Imports stay light until a store is opened (this module is imported on every start).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from asb_desktop.cli.common import EXIT_OK, CommandError

if TYPE_CHECKING:
    from asb_desktop.app import Services

PASSPHRASE_TRIES = 3


def data_folder(args: argparse.Namespace) -> Path:
    from asb_desktop.support.config import resolve_data_dir

    return resolve_data_dir(args.data_dir)


def store_exists(folder: Path) -> bool:
    from asb_desktop.store.database import DATABASE_FILE

    return (folder / DATABASE_FILE).is_file()


def no_store(folder: Path) -> str:
    return (
        f"there is no case database in {folder}. Check --data-dir or ASB_DESKTOP_DATA_DIR; "
        "a new one is made by `asb-desktop directory import FILE`, `asb-desktop import FILE` "
        "or by starting the window."
    )


def run_with_store(
    args: argparse.Namespace,
    work: Callable[[Services], int],
    *,
    create: bool = False,
    missing: Callable[[Path], int] | None = None,
) -> int:
    """Open the store, run `work` on it, close it. With no store there yet, `create` makes one;
    otherwise `missing(folder)` answers (by default a CommandError saying there is none)."""
    folder = data_folder(args)
    from asb_desktop.store.database import refuse_a_lost_store

    refuse_a_lost_store(folder)  # a store was here and is gone: said, never replaced by a new one
    if not create and not store_exists(folder):
        if missing is not None:
            return missing(folder)
        raise CommandError(no_store(folder))
    made = _NewStore(folder)
    services: Services | None = None
    code = None
    try:
        services = open_store(folder)
        for notice in services.notices:  # told before the command's own answer
            print(f"asb-desktop: {notice}", file=sys.stderr)
        code = work(services)
        return code
    finally:
        if services is not None:
            services.close()
        if code != EXIT_OK:
            made.remove()


def open_store(folder: Path) -> Services:
    """The services over this folder's store, asking for the passphrase if need be."""
    from asb_desktop.app import open_services
    from asb_desktop.store.database import StoreError
    from asb_desktop.store.keys import MIN_PASSPHRASE_LENGTH, PASSPHRASE_ENV
    from asb_desktop.store.sqlcipher_engine import WRONG_KEY_MESSAGE

    prompt: TerminalPassphrase | NoTerminal
    prompt = TerminalPassphrase(folder) if _on_a_terminal() else NoTerminal(folder)
    while True:
        try:
            return open_services(folder, prompt=prompt)
        except StoreError as error:
            retry = (
                isinstance(prompt, TerminalPassphrase)
                and prompt.given
                and str(error) == WRONG_KEY_MESSAGE
                and prompt.tries_left > 0
            )
            if not retry:
                raise
            assert isinstance(prompt, TerminalPassphrase)
            prompt.say(f"That passphrase does not open the case database. {prompt.tries_words()}")
            prompt.given = False
        except OSError as error:  # the folder cannot be made or its files written
            from asb_desktop.cli.files import os_error_words

            raise CommandError(
                f"the data folder {folder} cannot be used: {os_error_words(error)}"
                f"{f' ({error.filename})' if error.filename else ''}; nothing was changed.",
                cause=error,
            ) from None
        except ValueError as error:
            given = os.environ.get(PASSPHRASE_ENV)
            if given is not None and len(given) < MIN_PASSPHRASE_LENGTH:
                raise CommandError(
                    f"{PASSPHRASE_ENV} is shorter than {MIN_PASSPHRASE_LENGTH} characters, so "
                    "it cannot be the passphrase of a case database; nothing was changed.",
                    cause=error,
                ) from None
            raise


def _on_a_terminal() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except ValueError:  # stdin closed
        return False


class NoTerminal:
    """The passphrase prompt where nobody can be asked: says what to set instead."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def __call__(self, creating: bool) -> str | None:
        from asb_desktop.store.keys import MIN_PASSPHRASE_LENGTH, PASSPHRASE_ENV

        if creating:
            raise CommandError(
                "This computer has no secure keyring, so a new case database in "
                f"{self.folder} must be protected by a passphrase, and there is no terminal "
                f"to ask for one on. Set {PASSPHRASE_ENV} to a passphrase of at least "
                f"{MIN_PASSPHRASE_LENGTH} characters (keep it safe: nobody can open the cases "
                "without it) and run the command again; nothing was changed."
            )
        raise CommandError(
            f"This computer has no secure keyring, so the case database in {self.folder} is "
            "protected by a passphrase, and there is no terminal to ask for it on. Set "
            f"{PASSPHRASE_ENV} to the passphrase and run the command again; nothing was changed."
        )


class TerminalPassphrase:
    """Asks for the passphrase on the terminal (never echoed): a new one twice, with the length
    rule said; a short one or two that differ are asked again, three tries in all."""

    def __init__(self, folder: Path, ask: Callable[[str], str] = getpass.getpass) -> None:
        self.folder = folder
        self.ask = ask
        self.tries_left = PASSPHRASE_TRIES
        self.given = False  # a passphrase was handed over (and may turn out wrong)
        self.introduced = False
        from asb_desktop.store.keys import MIN_PASSPHRASE_LENGTH

        self.min_length = MIN_PASSPHRASE_LENGTH

    def say(self, words: str) -> None:
        print(words, file=sys.stderr, flush=True)

    def tries_words(self) -> str:
        left = self.tries_left
        return f"{left} {'try' if left == 1 else 'tries'} left." if left else ""

    def __call__(self, creating: bool) -> str:
        if not self.introduced:
            self.introduced = True
            if creating:
                self.say(
                    "This computer has no secure keyring, so the new case database in "
                    f"{self.folder} will be protected by a passphrase of at least "
                    f"{self.min_length} characters. Keep it safe: nobody, not even IT, "
                    "can open the cases without it."
                )
            else:
                self.say(
                    f"This computer has no secure keyring: the case database in {self.folder} "
                    "is protected by a passphrase."
                )
        while self.tries_left > 0:
            self.tries_left -= 1
            answer = self._new() if creating else self._existing()
            if answer is not None:
                self.given = True
                return answer
        raise CommandError(
            f"No passphrase after {PASSPHRASE_TRIES} tries; nothing was changed."
            + (" No case database was made." if creating else "")
        )

    def _read(self, prompt: str) -> str:
        try:
            return self.ask(prompt)
        except EOFError:
            raise CommandError("No passphrase was given; nothing was changed.") from None

    def _new(self) -> str | None:
        text = self._read("Choose a passphrase: ")
        if len(text) < self.min_length:
            self.say(
                f"That is {len(text)} characters; the passphrase must be at least "
                f"{self.min_length}. {self.tries_words()}"
            )
            return None
        if self._read("Type it again: ") != text:
            self.say(f"The two passphrases differ. {self.tries_words()}")
            return None
        return text

    def _existing(self) -> str | None:
        text = self._read("Passphrase: ")
        if len(text) < self.min_length:
            self.say(
                f"That is too short to be it: a passphrase has at least "
                f"{self.min_length} characters. {self.tries_words()}"
            )
            return None
        return text


class _NewStore:
    """What a command's store would add to the disk, so a failed command can take it away."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        from asb_desktop.store.database import STORE_INFO_FILE

        # store.json alone is a store that was here (its key may be in the keyring): never removed
        self.existed = store_exists(folder) or (folder / STORE_INFO_FILE).exists()
        top = None
        for candidate in [folder, *folder.parents]:
            if candidate.exists():
                break
            top = candidate
        self.first_made = top  # the highest folder this command would make, if any

    def remove(self) -> None:
        if self.existed or not self.folder.is_dir():
            return
        from asb_desktop.store.database import STORE_FILES, STORE_INFO_FILE
        from asb_desktop.store.keys import KeyProvider

        try:
            kept_in_keyring = '"keyring"' in (self.folder / STORE_INFO_FILE).read_text("utf-8")
        except OSError:
            kept_in_keyring = False
        for name in (*STORE_FILES, "store.tmp"):
            (self.folder / name).unlink(missing_ok=True)
        if kept_in_keyring:
            KeyProvider(self.folder).forget()
        if self.first_made is None:
            return
        for made in [self.folder, *self.folder.parents]:
            try:
                made.rmdir()  # only if empty: nothing of anyone else's is ever removed
            except OSError:
                return
            if made == self.first_made:
                return
