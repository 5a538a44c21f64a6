"""Where the data lives and who is working: resolved once, at start-up."""

from __future__ import annotations

import getpass
import os
from pathlib import Path

import platformdirs

APP_NAME = "ASB Desktop"
DATA_DIR_ENV = "ASB_DESKTOP_DATA_DIR"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def resolve_data_dir(explicit: str | os.PathLike[str] | None) -> Path:
    """--data-dir first, then ASB_DESKTOP_DATA_DIR, then the user's data folder."""
    chosen = explicit or os.environ.get(DATA_DIR_ENV)
    return Path(chosen).expanduser() if chosen else default_data_dir()


def local_user() -> str:
    """Who is at the keyboard, for the audit log until an officer is set up in Settings."""
    try:
        return f"local:{getpass.getuser()}"
    except (KeyError, OSError):
        return "local:unknown"
