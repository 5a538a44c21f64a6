"""With no keyring and no ASB_DESKTOP_PASSPHRASE, a command on a terminal asks for the
passphrase (twice for a new store, with the length rule said; a short one or two that differ are
asked again, three tries in all); with no terminal it says to set ASB_DESKTOP_PASSPHRASE.

The terminal is a real pseudo-terminal (the stdlib's pty): the command runs as it would in a
shell, and getpass reads from it with echo off."""

from __future__ import annotations

import os
import select
import sys
import time
from pathlib import Path

import pytest

from asb_desktop.store.keys import MIN_PASSPHRASE_LENGTH
from tests.cli.conftest import DEMO_DIRECTORY, Cli

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
GOOD = "correct horse battery"


class Terminal:
    """One command on a pseudo-terminal: wait for words, type a line."""

    def __init__(self, env: dict[str, str], *args: str) -> None:
        import pty

        pid, fd = pty.fork()
        if pid == 0:  # the child: becomes the command, the terminal its controlling one
            try:
                os.execve(sys.executable, [sys.executable, "-m", "asb_desktop", *args], env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        self.seen = ""
        self.read_to = 0

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return True
        try:
            chunk = os.read(self.fd, 4096)
        except OSError:  # EIO: the command has ended and closed the terminal
            return False
        if not chunk:
            return False
        self.seen += chunk.decode("utf-8", "replace").replace("\r\n", "\n")
        return True

    def expect(self, words: str, timeout: float = 60) -> str:
        """Wait until `words` appear after what was already expected; return the text between."""
        deadline = time.monotonic() + timeout
        while words not in self.seen[self.read_to :]:
            if time.monotonic() > deadline or not self._read(deadline - time.monotonic()):
                raise AssertionError(f"never saw {words!r}; the terminal showed:\n{self.seen}")
        at = self.seen.index(words, self.read_to) + len(words)
        between, self.read_to = self.seen[self.read_to : at], at
        return between

    def type(self, line: str) -> None:
        os.write(self.fd, line.encode() + b"\n")

    def finish(self, timeout: float = 60) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self._read(0.2):
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                while self._read(0.05):
                    pass
                os.close(self.fd)
                return os.waitstatus_to_exitcode(status)
        _, status = os.waitpid(self.pid, 0)
        os.close(self.fd)
        return os.waitstatus_to_exitcode(status)


@pytest.fixture
def env(cli: Cli) -> dict[str, str]:
    del cli.env["ASB_DESKTOP_PASSPHRASE"]
    return cli.env


def test_a_new_store_asks_twice_says_the_rule_and_asks_again(cli: Cli, env: dict[str, str]) -> None:
    terminal = Terminal(env, "directory", "import", str(DEMO_DIRECTORY))
    intro = terminal.expect("Choose a passphrase: ")
    assert "no secure keyring" in intro and f"at least {MIN_PASSPHRASE_LENGTH} characters" in intro
    terminal.type("short")  # try 1: too short
    said = terminal.expect("Choose a passphrase: ")
    assert f"That is 5 characters; the passphrase must be at least {MIN_PASSPHRASE_LENGTH}" in said
    assert "2 tries left." in said
    terminal.type(GOOD)  # try 2: the two differ
    terminal.expect("Type it again: ")
    terminal.type(GOOD + " but not quite")
    said = terminal.expect("Choose a passphrase: ")
    assert "The two passphrases differ. 1 try left." in said
    terminal.type(GOOD)  # try 3: good
    terminal.expect("Type it again: ")
    terminal.type(GOOD)
    terminal.expect("Directory loaded: 11 staff")
    assert terminal.finish() == 0
    assert GOOD not in terminal.seen and "short" not in terminal.seen  # never echoed
    # The store really is keyed by what was typed.
    cli.env["ASB_DESKTOP_PASSPHRASE"] = GOOD
    assert "Audit log intact: 1 entries" in cli.run("verify-audit").stdout


def test_an_existing_store_asks_again_after_a_wrong_passphrase(
    cli: Cli, env: dict[str, str]
) -> None:
    env["ASB_DESKTOP_PASSPHRASE"] = GOOD
    cli.run("directory", "import", str(DEMO_DIRECTORY))
    del env["ASB_DESKTOP_PASSPHRASE"]
    terminal = Terminal(env, "verify-audit")
    assert "is protected by a passphrase" in terminal.expect("Passphrase: ")
    terminal.type("not the passphrase at all")
    said = terminal.expect("Passphrase: ")
    assert "That passphrase does not open the case database. 2 tries left." in said
    terminal.type(GOOD)
    terminal.expect("Audit log intact: 1 entries")
    assert terminal.finish() == 0


def test_three_wrong_tries_end_in_a_sentence(cli: Cli, env: dict[str, str]) -> None:
    env["ASB_DESKTOP_PASSPHRASE"] = GOOD
    cli.run("directory", "import", str(DEMO_DIRECTORY))
    del env["ASB_DESKTOP_PASSPHRASE"]
    terminal = Terminal(env, "list")
    for guess in ("wrong guess number one", "tiny", "wrong guess number three"):
        terminal.expect("Passphrase: ")
        terminal.type(guess)
    terminal.expect("does not match it")
    assert terminal.finish() == 1
    assert "Traceback" not in terminal.seen


def test_a_new_store_given_up_on_is_not_made(cli: Cli, env: dict[str, str]) -> None:
    terminal = Terminal(env, "directory", "import", str(DEMO_DIRECTORY))
    for _ in range(3):
        terminal.expect("Choose a passphrase: ")
        terminal.type("too short")
    terminal.expect("No passphrase after 3 tries; nothing was changed. No case database was made.")
    assert terminal.finish() == 1
    assert "Traceback" not in terminal.seen
    assert not cli.data_dir.exists()


def test_with_no_terminal_it_says_to_set_the_variable(cli: Cli, env: dict[str, str]) -> None:
    said = cli.fails("directory", "import", str(DEMO_DIRECTORY))
    assert "there is no terminal to ask for one on" in said
    assert f"Set ASB_DESKTOP_PASSPHRASE to a passphrase of at least {MIN_PASSPHRASE_LENGTH}" in said
    assert not cli.data_dir.exists()
    env["ASB_DESKTOP_PASSPHRASE"] = GOOD
    cli.run("directory", "import", str(DEMO_DIRECTORY))
    del env["ASB_DESKTOP_PASSPHRASE"]
    said = cli.fails("list")
    assert "Set ASB_DESKTOP_PASSPHRASE to the passphrase and run the command again" in said
    assert "Enter it when asked" not in said


def test_a_short_variable_is_said_in_words(cli: Cli, env: dict[str, str]) -> None:
    env["ASB_DESKTOP_PASSPHRASE"] = "short"
    said = cli.fails("directory", "import", str(DEMO_DIRECTORY))
    assert "ASB_DESKTOP_PASSPHRASE is shorter than 10 characters" in said
    assert not cli.data_dir.exists()


def test_a_bad_path_asks_for_nothing(cli: Cli, env: dict[str, str], tmp_path: Path) -> None:
    terminal = Terminal(env, "import", str(tmp_path / "missing.json"))
    terminal.expect("missing.json: no such file; nothing was imported.")
    assert terminal.finish() == 1
    assert "assphrase" not in terminal.seen
