"""A store belongs to one data folder on one computer.

With a passphrase (no keyring), another laptop's `cases.db` copied into a data folder opens with
the same passphrase, and its sync link (device token, user) would let it sync as its original
officer. So the store keeps a fingerprint of where it belongs: the computer's machine id and the
data folder's full path, hashed (neither is personal data, and the hash says neither). Opened
anywhere else, the store is told it has moved; `app.open_services` then cuts its sync link, so
the laptop must be enrolled again (as the officer now using it) before anything is synced.
"""

from __future__ import annotations

import hashlib
import platform
import socket
import subprocess
import uuid
from pathlib import Path
from typing import Any

from asb_desktop.store.database import Store
from asb_desktop.store.settings import get_setting, set_setting

PLACE_SETTING = "store.place"
_LINUX_IDS = (Path("/etc/machine-id"), Path("/var/lib/dbus/machine-id"))


def machine_id() -> str:
    """An id of this computer that survives restarts: the OS's own where it has one (Linux
    machine-id, macOS IOPlatformUUID, Windows MachineGuid), else the network card and name."""
    system = platform.system()
    found: str | None = None
    if system == "Linux":
        for path in _LINUX_IDS:
            try:
                found = path.read_text(encoding="ascii").strip() or None
            except (OSError, UnicodeDecodeError):
                continue
            if found:
                break
    elif system == "Darwin":
        found = _mac_platform_uuid()
    elif system == "Windows":
        found = _windows_machine_guid()
    return found or f"{uuid.getnode():012x}:{socket.gethostname()}"


def _mac_platform_uuid() -> str | None:
    try:
        out = subprocess.run(
            ["ioreg", "-rd1", "-c", "IOPlatformExpertDevice"],
            capture_output=True, text=True, timeout=5, check=False,
        ).stdout  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    for line in out.splitlines():
        if "IOPlatformUUID" in line:
            return line.split("=")[-1].strip().strip('"') or None
    return None


def _windows_machine_guid() -> str | None:
    import importlib

    try:
        registry: Any = importlib.import_module("winreg")  # Windows only
        key = registry.OpenKey(registry.HKEY_LOCAL_MACHINE, r"SOFTWARE\Microsoft\Cryptography")
        value, _kind = registry.QueryValueEx(key, "MachineGuid")
        return str(value) or None
    except (ImportError, OSError):
        return None


def place_of(data_dir: Path) -> str:
    where = f"{machine_id()}\0{data_dir.resolve()}"
    return hashlib.sha256(where.encode("utf-8", "surrogateescape")).hexdigest()


def moved_here(store: Store) -> bool:
    """Bind the store to this place; True when it was bound somewhere else before (copied or
    moved here). A store opened for the first time since this check existed is bound quietly."""
    here = place_of(store.data_dir)
    with store.read() as conn:
        known = get_setting(conn, PLACE_SETTING)
    if known == here:
        return False
    with store.write() as conn:
        set_setting(conn, PLACE_SETTING, here)
    return known is not None
