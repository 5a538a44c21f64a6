"""Copy diagnostics: enough for support, and no key, token, PIN hash or personal data in it."""

from __future__ import annotations

import logging
import secrets
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from asb_desktop.services.diagnostics import HIDDEN, SECRET, gather, home_hidden, store_settings
from asb_desktop.store.database import Store
from asb_desktop.store.keys import DatabaseKey, FixedKey
from asb_desktop.store.settings import set_setting
from asb_desktop.support.logs import log_event, setup_logging, stop_logging
from asb_desktop.support.presets import FORMAT, parse_presets


@pytest.fixture
def log_dir(tmp_path: Path) -> Iterator[Path]:
    hooks = (sys.excepthook, threading.excepthook)
    folder = tmp_path / "logs"
    setup_logging(folder)
    yield folder
    stop_logging()
    sys.excepthook, threading.excepthook = hooks
    logging.captureWarnings(False)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "data", FixedKey(DatabaseKey.raw(secrets.token_bytes(32))))
    yield opened
    opened.close()


def test_diagnostics_hold_versions_settings_presets_and_the_recent_log(
    store: Store, log_dir: Path, tmp_path: Path
) -> None:
    pin_hash = "$argon2id$v=19$m=32768,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo"
    token = "tok_" + secrets.token_hex(16)
    with store.write() as conn:
        set_setting(conn, "bank_holiday_nation", "scotland")
        set_setting(conn, "lock_idle_minutes", "5")
        set_setting(conn, "lock_pin_hash", pin_hash)
        set_setting(conn, "device_token", token)
        set_setting(conn, "officer_name", "Zoë Murphy")
        set_setting(conn, "central_store_url", "https://asb.example.org/")
    log_event(logging.getLogger("asb_desktop.ui"), "app.started", duration_ms=812.0)
    presets = parse_presets(
        {"format": FORMAT, "idle_lock_minutes": 5, "locked": ["idle_lock_minutes"]},
        tmp_path / "asb-desktop.defaults.json",
    )

    toolkit = ["qt: PySide6 6.x, Qt 6.x, platform offscreen"]  # the window's part
    text = gather(
        settings=store_settings(store), presets=presets, data_dir=store.data_dir, toolkit=toolkit
    )

    assert "version: 0.1.0 (from source)" in text
    assert toolkit[0] in text and "sqlcipher: 4." in text and "keyring: " in text
    assert "  bank_holiday_nation = scotland" in text
    assert "  lock_idle_minutes = 5" in text
    assert "  central_store_url = https://asb.example.org/" in text
    assert f"  lock_pin_hash = {SECRET}" in text
    assert f"  device_token = {SECRET}" in text
    assert f"  officer_name = {HIDDEN}" in text
    assert "  locked = idle_lock_minutes" in text
    assert "app.started duration_ms=812" in text
    for secret in (pin_hash, token, "argon2", "Zoë", "Murphy"):
        assert secret not in text


def test_the_database_key_is_nowhere_in_the_diagnostics(store: Store, log_dir: Path) -> None:
    key_bytes = secrets.token_bytes(32)
    key = DatabaseKey.raw(key_bytes)
    log_event(logging.getLogger("asb_desktop.store"), "store.opened", key_source=key.source)
    logging.getLogger("asb_desktop.store").info("opened with %s", key.pragma_value)
    text = gather(settings=store_settings(store), data_dir=store.data_dir)
    assert key_bytes.hex() not in text
    assert "store.opened key_source=keyring" in text


def test_the_home_folder_is_written_as_a_tilde() -> None:
    assert home_hidden(Path.home() / "x" / "ASB Desktop") == str(Path("~") / "x" / "ASB Desktop")
    assert home_hidden("/opt/asb-desktop") == "/opt/asb-desktop"


def test_diagnostics_work_with_nothing_given(tmp_path: Path) -> None:
    text = gather(log_file=tmp_path / "none.log", log_lines=5)
    assert text.startswith("ASB Desktop diagnostics\n")
    assert "recent log (0 lines):" in text
