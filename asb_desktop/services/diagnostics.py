"""The text behind "Copy diagnostics": what support needs to help, with no secrets in it.

Secrets (database keys, tokens, PIN hashes, passwords) are never shown, not even in part: a
setting whose name looks secret is listed as "(secret, not shown)". Other settings show their
value only when it is one of the safe kinds the log allows (codes, ids, numbers) or a web
address without credentials; anything else is "(set, not shown)", because a setting may hold a
person's name. The home folder in paths becomes "~". The recent log is safe by construction
(see asb_desktop.support.logs).
"""

from __future__ import annotations

import logging
import platform
import re
import sys
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from asb_desktop import __version__
from asb_desktop.support.logs import (
    current_log_file,
    default_log_dir,
    describe_rule,
    is_safe_value,
    log_event,
)
from asb_desktop.support.logs import recent_lines as log_tail

if TYPE_CHECKING:
    from asb_desktop.store.database import Store
    from asb_desktop.support.presets import Presets

SECRET_WORDS = frozenset(
    {
        "key",
        "keys",
        "token",
        "pin",
        "hash",
        "secret",
        "password",
        "passphrase",
        "credential",
        "credentials",
        "cookie",
        "salt",
        "private",
        "auth",
        "authorization",
        "certificate",
    }
)
_log = logging.getLogger(__name__)
SECRET = "(secret, not shown)"
HIDDEN = "(set, not shown)"


def is_secret_name(name: str) -> bool:
    """Whether a setting's name says it holds a secret ("lock_pin_hash", "device_token")."""
    words = set(re.split(r"[^a-z0-9]+", name.lower()))
    return bool(words & SECRET_WORDS) or any(
        w in name.lower() for w in ("passw", "secret", "token")
    )


def _safe_url(value: str) -> str | None:
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    if parts.username or parts.password or parts.query or parts.fragment:
        return None
    return value


def shown_setting(name: str, value: object) -> str:
    """A setting's value as diagnostics may show it."""
    if is_secret_name(name):
        return SECRET
    if value is None:
        return "(not set)"
    if is_safe_value(value):
        return str(value)
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 6:
        return value  # a stored number such as "5" minutes; phone numbers are longer
    if isinstance(value, str) and _safe_url(value):
        return value
    return HIDDEN


def home_hidden(path: Path | str) -> str:
    """A path with the user's home folder written as "~" (the folder name is often their name)."""
    text = str(path)
    home = str(Path.home())
    if home and home not in ("/", "\\") and text.startswith(home):
        return "~" + text[len(home) :]
    return text


def store_settings(store: Store) -> dict[str, str]:
    """Every row of the store's settings table (values are filtered when shown, not here)."""
    from sqlalchemy import select

    from asb_desktop.store.tables import settings

    with store.read() as conn:
        rows = conn.execute(select(settings.c.key, settings.c.value)).all()
    return {str(key): value for key, value in rows}


def _sqlcipher_line() -> str:
    try:
        import sqlcipher3

        connection = sqlcipher3.connect(":memory:")
        try:
            version = connection.execute("PRAGMA cipher_version").fetchone()
        finally:
            connection.close()
        return f"sqlcipher: {version[0] if version else 'unknown'} (SQLite {sqlcipher3.sqlite_version})"
    except Exception as error:  # diagnostics report problems, they never fail
        log_event(
            _log, "diagnostics.check_failed", level=logging.WARNING, part="sqlcipher", error=error
        )
        return f"sqlcipher: not available ({type(error).__name__})"


def _keyring_line() -> str:
    try:
        from asb_desktop.store.keys import secure_keyring

        backend = secure_keyring()
    except Exception as error:  # diagnostics report problems, they never fail
        log_event(
            _log, "diagnostics.check_failed", level=logging.WARNING, part="keyring", error=error
        )
        return f"keyring: error ({type(error).__name__})"
    if backend is None:
        return "keyring: none secure (passphrase in use)"
    return f"keyring: {type(backend).__module__}.{type(backend).__name__}"


def gather(
    *,
    settings: Mapping[str, object] | None = None,
    presets: Presets | None = None,
    data_dir: Path | None = None,
    log_lines: int = 200,
    log_file: Path | None = None,
    toolkit: Sequence[str] = (),
) -> str:
    """The whole diagnostics text; every argument is optional (what is not given is skipped).
    `toolkit` is what the window knows of Qt (the window passes it: services import no Qt)."""
    frozen = "frozen build" if getattr(sys, "frozen", False) else "from source"
    log_path = log_file or current_log_file() or default_log_dir() / "asb-desktop.log"
    lines = [
        "ASB Desktop diagnostics",
        f"generated: {datetime.now(UTC).isoformat(timespec='seconds')}",
        f"version: {__version__} ({frozen})",
        f"python: {platform.python_version()} ({platform.python_implementation()})",
        f"platform: {platform.platform()} ({platform.machine()})",
        *toolkit,
        _sqlcipher_line(),
        _keyring_line(),
    ]
    if data_dir is not None:
        lines.append(f"data folder: {home_hidden(data_dir)}")
    lines.append(f"log file: {home_hidden(log_path)}")
    lines.append(f"log rule: {describe_rule()}")
    if settings is not None:
        lines.append("")
        lines.append(f"settings ({len(settings)}):")
        lines.extend(
            f"  {name} = {shown_setting(name, settings[name])}" for name in sorted(settings)
        )
    if presets is not None:
        lines.append("")
        lines.append("organisation presets:")
        summary = presets.summary()
        lines.extend(f"  {name} = {home_hidden(value)}" for name, value in summary.items())
    if log_lines > 0:
        tail = log_tail(log_lines, log_path)
        lines.append("")
        lines.append(f"recent log ({len(tail)} lines):")
        lines.extend(f"  {line}" for line in tail)
    return "\n".join(lines) + "\n"
