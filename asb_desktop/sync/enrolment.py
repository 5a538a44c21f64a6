"""Connecting this laptop to a central store with a one-time code from its administrator.

The server address, CA bundle and user go into the encrypted settings; the device token into
the OS keyring (or the encrypted database where there is no secure keyring, see vault.py).
Enrolling again (a new code after a revoked device) keeps the cases and the outbox.

An answer can be lost on the way back (the server took the code, the laptop never heard). So
before its first try the laptop makes a random enrolment key and keeps it in its encrypted
settings; it sends it with the code, and trying the same code again sends the same key, which
the server answers again for the same device. The key is dropped once an answer is stored, so
the next enrolment makes a new one. Right after, the laptop makes its first authenticated call
(`/v1/me`), which confirms the device; if that call is lost too, the next sync confirms it.

Logged (docs/logging.md): `sync.enrolled` with the device id and where the token is kept, or
`sync.enrol_failed` with the exception's type (never its sentence, nor the code or the address).
"""

from __future__ import annotations

import logging
import secrets
import socket
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from asb_desktop.store.audit import AuditWriter
from asb_desktop.store.database import Store
from asb_desktop.store.driver import driver_cursor
from asb_desktop.store.settings import get_setting, set_setting
from asb_desktop.store.sync_state import save_state
from asb_desktop.support.logs import log_event, since_ms
from asb_desktop.sync import protocol as p
from asb_desktop.sync.client import (
    SyncClient,
    SyncError,
    Timeouts,
    check_server_url,
    tls_verification,
)
from asb_desktop.sync.vault import TokenVault

_log = logging.getLogger(__name__)

URL_SETTING = "sync.server_url"
CA_SETTING = "sync.ca_bundle"
USER_SETTING = "sync.user"
DEVICE_SETTING = "sync.device_id"
OFFICER_SETTING = "officer_staff_id"  # the caseload's "mine" (see case_actions.py)
KEY_SETTING = "sync.enrolment_key"  # made before the first try, dropped once enrolled


@dataclass(frozen=True)
class ServerSettings:
    server_url: str
    ca_bundle: str | None
    device_id: str
    user: p.UserInfo


def load_settings(store: Store) -> ServerSettings | None:
    with store.read() as conn:
        return settings_in(conn)


_KEYS = (URL_SETTING, USER_SETTING, DEVICE_SETTING, CA_SETTING)


_SETTINGS = f"SELECT key, value FROM settings WHERE key IN ({', '.join('?' * len(_KEYS))})"


def settings_in(conn: Connection) -> ServerSettings | None:
    """`load_settings` in the caller's transaction, in one statement on the driver's cursor
    (each sync reads it twice: store/driver.py says why the driver's)."""
    with driver_cursor(conn) as cursor:
        found = dict(cursor.execute(_SETTINGS, _KEYS).fetchall())
    url, user, device = found.get(URL_SETTING), found.get(USER_SETTING), found.get(DEVICE_SETTING)
    if not url or not user or not device:
        return None
    ca = found.get(CA_SETTING)
    return ServerSettings(url, ca or None, device, p.UserInfo.model_validate_json(user))


def enrolment_key(store: Store) -> str:
    """This laptop's enrolment key: the one kept from an earlier try, else a new one, stored
    before it is sent (so a crash or a lost answer leaves it for the retry)."""
    with store.write() as conn:
        key = get_setting(conn, KEY_SETTING)
        if not key:
            key = secrets.token_urlsafe(32)
            set_setting(conn, KEY_SETTING, key)
    return key


def device_name() -> str:
    """What the administrator sees in `asb-central device list`: the computer's name."""
    try:
        return socket.gethostname()[: p.MAX_NAME] or "laptop"
    except OSError:
        return "laptop"


def enrol(
    store: Store,
    url: str,
    code: str,
    *,
    actor: str,
    now: datetime,
    ca_bundle: str | None = None,
    timeouts: Timeouts | None = None,
    name: str | None = None,
) -> p.UserInfo:
    """Exchange the code for a device token; raises ValueError (bad input) or SyncError."""
    started = time.perf_counter()
    try:
        return _enrol(
            store,
            url,
            code,
            actor=actor,
            now=now,
            ca_bundle=ca_bundle,
            timeouts=timeouts,
            started=started,
            name=name or device_name(),
        )
    except Exception as error:
        kind = getattr(error, "kind", None)
        known: dict[str, Any] = {"kind": kind} if isinstance(kind, str) else {}
        log_event(
            _log,
            "sync.enrol_failed",
            level=logging.WARNING,
            error=error,
            **known,
            duration_ms=since_ms(started),
        )
        raise


def _enrol(
    store: Store,
    url: str,
    code: str,
    *,
    actor: str,
    now: datetime,
    ca_bundle: str | None,
    timeouts: Timeouts | None,
    started: float,
    name: str,
) -> p.UserInfo:
    server_url = check_server_url(url)
    code = code.strip()
    if not code:
        raise ValueError("Enter the one-time code the administrator gave you.")
    ca = str(ca_bundle) if ca_bundle else None
    tls_verification(ca)  # a wrong bundle is named before any network traffic
    key = enrolment_key(store)
    client = SyncClient(server_url, ca_bundle=ca, timeouts=timeouts)
    try:
        answer = client.enrol(code, name, key)
    finally:
        client.close()
    with store.read() as conn:
        previous_url = get_setting(conn, URL_SETTING)
    location = TokenVault(store).save(answer.token)
    with store.write() as conn:
        set_setting(conn, URL_SETTING, server_url)
        set_setting(conn, CA_SETTING, ca or "")
        set_setting(conn, USER_SETTING, answer.user.model_dump_json())
        set_setting(conn, DEVICE_SETTING, str(answer.device_id))
        if not get_setting(conn, OFFICER_SETTING):  # none chosen, or cut when the store moved
            set_setting(conn, OFFICER_SETTING, answer.user.id)
        set_setting(conn, KEY_SETTING, "")  # the next enrolment makes a new key
        fresh = {"error_kind": None, "last_error": None, "failures": 0, "next_attempt_at": None}
        if previous_url != server_url:
            fresh.update(checkpoint=0, directory_version=0)  # a different store: start again
        save_state(conn, **fresh)
        AuditWriter(conn, actor=actor).append(
            at=now,
            action="sync.enrolled",
            after={
                "server": server_url,
                "user": answer.user.id,
                "device": str(answer.device_id),
                "token_kept_in": location,
            },
        )
    confirmed = _confirm(server_url, ca, timeouts, answer.token)
    log_event(
        _log,
        "sync.enrolled",
        device_id=str(answer.device_id),
        token_kept_in=location,
        new_server=previous_url != server_url,
        confirmed=confirmed,
        duration_ms=since_ms(started),
    )
    return answer.user


def _confirm(url: str, ca: str | None, timeouts: Timeouts | None, token: str) -> bool:
    """The device's first authenticated call, which the server takes as its confirmation.
    Not fatal: the next sync confirms it just as well."""
    client = SyncClient(url, token=token, ca_bundle=ca, timeouts=timeouts)
    try:
        client.me()
    except SyncError:
        return False
    finally:
        client.close()
    return True


MOVED_NOTICE = (
    "This case database was last opened in another folder or on another computer, so its link "
    "to the central store has been removed: nothing is synced from it until this laptop is "
    "enrolled again (Sync, Connect), as the officer now using it. Its cases and unsent changes "
    "are kept; after enrolment, cases that officer may not see are removed from this laptop."
)


def unlink_moved_store(store: Store, *, actor: str, now: datetime) -> None:
    """A store copied or moved here (store/place.py) may not sync as the laptop it came from:
    its device token, device and user are forgotten (the server address is kept, to connect
    again), and so is the officer chosen there; the audit says so, with no personal data."""
    TokenVault(store).forget()
    with store.write() as conn:
        for setting in (USER_SETTING, DEVICE_SETTING, OFFICER_SETTING):
            set_setting(conn, setting, "")
        AuditWriter(conn, actor=actor).append(at=now, action="store.moved_here")
    log_event(_log, "store.moved_here", level=logging.WARNING)
