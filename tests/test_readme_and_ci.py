"""The README's two set-up commands stay true: CI runs the very test command the README gives."""

from __future__ import annotations

import re

from tests.paths import REPO


def _commands() -> dict[str, str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| \*\*(run the [a-z]+)\*\*.*\| `([^`]+)` \|$", readme, re.MULTILINE)
    return dict(rows)


def test_readme_has_exactly_the_two_setup_commands() -> None:
    assert set(_commands()) == {"run the app", "run the tests"}


def test_ci_runs_the_readme_test_command() -> None:
    """Verbatim, and stopping when any part of it fails: under `set -e` a failed install in
    `install && pytest` alone would skip the tests and let CI pass."""
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert _commands()["run the tests"] + " || exit 1" in ci


def test_the_run_command_starts_the_package_entry_point() -> None:
    assert _commands()["run the app"].endswith("python3 -m asb_desktop")
    assert (REPO / "asb_desktop" / "__main__.py").exists()
