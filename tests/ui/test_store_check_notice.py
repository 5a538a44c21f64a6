"""The window says what is wrong with the case database: damage found by the background page
check at open, and a full disk met by a save, each in a notice that says what to do next."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from asb_desktop.app import Services, services_for
from asb_desktop.services.casework import LabelledDocument
from asb_desktop.store import sqlcipher_engine
from asb_desktop.store.database import Store
from asb_desktop.store.integrity import PageCheck
from asb_desktop.support.synthetic import synthetic_cases
from asb_desktop.ui.main_window import MainWindow
from asb_desktop.ui.operations import Operation
from tests.store.store_support import TEST_KEYS
from tests.store.test_store_faults import damage
from tests.ui.conftest import DIRECTORY, NOW, PIN
from tests.ui.driving import settle


def _services(data_dir: Path) -> Services:
    services = services_for(Store.open(data_dir, TEST_KEYS), actor="local:test", clock=lambda: NOW)
    return services


def _made(data_dir: Path, cases: int) -> None:
    services = _services(data_dir)
    services.casework.import_directory(DIRECTORY)
    services.lock.set_pin(PIN)
    services.casework.import_documents(
        [LabelledDocument(f"r{i}", d) for i, d in enumerate(synthetic_cases(cases, seed=8))]
    )
    services.close()


@pytest.fixture
def opened(qtbot: QtBot, data_dir: Path) -> Iterator[tuple[MainWindow, list[PageCheck | None]]]:
    """The real window on the store in data_dir, and what its page check found once done."""
    services = _services(data_dir)
    window = MainWindow(services)
    qtbot.addWidget(window)
    checks: list[PageCheck | None] = []
    window.store_notice.sig_checked.connect(checks.append)
    window.resize(1366, 768)
    window.show()
    yield window, checks
    window.close()
    settle(qtbot)
    services.close()


def _notice(window: MainWindow) -> str:
    notice = window.store_notice
    return notice.words.text() if notice.bar.isVisible() else ""


@pytest.fixture
def damaged_store(data_dir: Path) -> Path:
    _made(data_dir, 150)
    damage(data_dir / "cases.db", 400)  # in the search index: no screen reads it at start
    return data_dir


def test_damage_found_at_open_is_a_notice(
    qtbot: QtBot, damaged_store: Path, opened: tuple[MainWindow, list[PageCheck | None]]
) -> None:
    window, checks = opened
    qtbot.waitUntil(lambda: bool(checks), timeout=30_000)
    assert checks[0] is not None and not checks[0].intact
    qtbot.waitUntil(lambda: "page failed" in _notice(window), timeout=5_000)
    said = _notice(window)
    assert "The case database on this laptop is damaged (1 page failed their check)" in said
    assert "Cases already synced are safe on the central store" in said
    assert "contact IT support" in said
    assert window.store_notice.words.accessibleName() == "Case database problem"


def test_a_sound_store_shows_no_notice(
    qtbot: QtBot, data_dir: Path, opened: tuple[MainWindow, list[PageCheck | None]]
) -> None:
    window, checks = opened
    qtbot.waitUntil(lambda: bool(checks), timeout=30_000)
    assert checks[0] is not None and checks[0].intact
    assert _notice(window) == ""


@pytest.fixture
def nearly_full(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store that may grow by a few pages only: SQLite's max_page_count answers exactly as a
    full disk does (SQLITE_FULL), in this process, with the real store and window."""
    _made(data_dir, 2)
    pages = (data_dir / "cases.db").stat().st_size // 4096
    limit = f"PRAGMA max_page_count = {pages + 8}"
    monkeypatch.setattr(
        sqlcipher_engine, "CONNECTION_PRAGMAS", (*sqlcipher_engine.CONNECTION_PRAGMAS, limit)
    )
    return data_dir


def test_a_full_disk_during_a_save_is_a_notice(
    qtbot: QtBot, nearly_full: Path, opened: tuple[MainWindow, list[PageCheck | None]]
) -> None:
    window, checks = opened
    qtbot.waitUntil(lambda: bool(checks), timeout=30_000)
    casework = window.services.casework
    many = [LabelledDocument(f"r{i}", d) for i, d in enumerate(synthetic_cases(200, seed=9))]
    failures: list[Exception] = []
    saving = Operation(window, lambda: casework.import_documents(many), name="test.import")
    saving.failure(failures.append).run()
    qtbot.waitUntil(lambda: bool(failures), timeout=30_000)
    qtbot.waitUntil(lambda: "disk is full" in _notice(window), timeout=5_000)
    said = _notice(window)
    assert said.startswith("⚠ The disk is full, so the case database could not be written")
    assert "Free some space" in said and "nothing already saved was lost" in said
    assert len(casework.documents()) == 2  # all or nothing: not one of the 200 half-kept
    assert json.dumps(str(failures[0])).count("Traceback") == 0


def test_a_store_moved_here_is_a_notice_saying_to_enrol_again(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    import keyring
    from keyring.backends import fail

    from asb_desktop.app import open_services

    monkeypatch.setattr(keyring, "get_keyring", lambda: fail.Keyring())
    monkeypatch.setenv("ASB_DESKTOP_PASSPHRASE", "a long test passphrase")
    first = open_services(tmp_path / "first")
    assert first.notices == []
    first.close()
    shutil.copytree(tmp_path / "first", tmp_path / "copy")
    services = open_services(tmp_path / "copy")
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    try:
        assert "was last opened in another folder or on another computer" in _notice(window)
        assert "enrolled again" in _notice(window)
        words, bar = window.store_notice.words, window.store_notice.bar
        qtbot.waitUntil(lambda: words.width() > 0.9 * window.width())  # across the window
        lines = words.fontMetrics().lineSpacing()
        assert words.height() <= 5 * lines  # a few lines at this width, not a narrow column of ten
        assert bar.height() <= words.height() + lines
    finally:
        window.close()
        settle(qtbot)
        services.close()
