"""Autosave keeps everything typed up to about one second before a kill -9: a child process
types a report steadily into the real window and is killed mid-sentence; the draft in the
store holds at least what it had typed a second before. And saves never pile up behind a slow
disk: while one is on its way, the next waits and then takes the form as it stands."""

from __future__ import annotations

import os
import queue
import secrets
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import shiboken6
from pytestqt.qtbot import QtBot

from asb_desktop.app import services_for
from asb_desktop.store.database import Store
from asb_desktop.store.draft_rows import all_drafts
from asb_desktop.store.keys import DatabaseKey, FixedKey
from asb_desktop.ui.intake.autosave import DraftKeeper
from tests.paths import REPO
from tests.ui.conftest import DIRECTORY, PIN
from tests.ui.driving import settle
from tests.ui.intake import autosave_child as child_script

LOSS_ALLOWED_S = 1.0
STALE_S = 1.2  # the store this far behind the typing means more than a second would be lost
TYPED_BEFORE_KILL = 200  # four seconds of steady typing
POLL_S = 0.02


def lines_of(process: subprocess.Popen[str]) -> queue.Queue[str | None]:
    """The child's output, line by line, read on a thread (None once it has ended)."""
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    return lines


def stored_description(store: Store) -> str | None:
    """What the store holds of the report being typed (read beside the child, as WAL allows)."""
    with store.read() as conn:
        drafts = all_drafts(conn)
    return (drafts[0].payload.get("description") or "") if drafts else None


def test_killed_while_typing_the_draft_holds_all_but_the_last_second(tmp_path: Path) -> None:
    """The kill comes at the worst moment the store shows: as soon as the stored draft has
    lagged the typing by more than STALE_S (a save cycle of two seconds is caught so), else once
    TYPED_BEFORE_KILL characters are typed."""
    raw = secrets.token_bytes(32)
    key = FixedKey(DatabaseKey.raw(raw))
    folder = tmp_path / "data"
    setup = services_for(Store.open(folder, key))
    setup.casework.import_directory(DIRECTORY)
    setup.lock.set_pin(PIN)
    watch = setup.store

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ASB_TEST_KEY": raw.hex()}
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.ui.intake.autosave_child", str(folder)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    typed: list[tuple[int, float]] = []  # characters typed, and when (the same clock as ours)
    try:
        lines = lines_of(process)
        deadline = time.monotonic() + 120
        stored, stored_since = None, time.monotonic()
        while not typed or typed[-1][0] < TYPED_BEFORE_KILL:
            assert time.monotonic() < deadline, "the child never typed enough"
            try:
                line = lines.get(timeout=POLL_S)
            except queue.Empty:
                line = ""
            assert line is not None, "the child ended before typing enough"
            words = line.split()
            if len(words) == 2 and words[0].isdigit():
                typed.append((int(words[0]), float(words[1])))
            now_stored = stored_description(watch)
            if now_stored != stored:
                stored, stored_since = now_stored, time.monotonic()
            if typed and stored is not None and typed[-1][1] - stored_since > STALE_S:
                break  # the store has fallen behind the typing: kill now, at the worst moment
        killed_at = time.monotonic()
        process.send_signal(signal.SIGKILL)
        process.wait(30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(30)
        setup.close()
    assert process.returncode == -signal.SIGKILL
    typed_by = max((n for n, at in typed if at <= killed_at - LOSS_ALLOWED_S), default=0)
    assert typed_by >= 20, "the test needs steady typing well before the kill"

    services = services_for(Store.open(folder, key), actor="local:test")
    try:
        [summary] = services.drafts.list()
        draft = services.drafts.load(summary.id)
        assert draft is not None
        kept = draft.payload.get("description") or ""
        assert draft.payload.get("name") == child_script.NAME
        assert child_script.DESCRIPTION.startswith(kept)
        assert len(kept) >= typed_by, (
            f"{typed_by - len(kept)} characters typed more than {LOSS_ALLOWED_S} s before the "
            "kill were lost"
        )
    finally:
        services.close()


class GatedDrafts:
    """Drafts whose first save waits until the test lets it land: a slow disk."""

    def __init__(self) -> None:
        self.saved: list[dict[str, Any]] = []
        self.gate = threading.Event()
        self.started = threading.Event()

    def save(self, draft_id: str, payload: dict[str, Any]) -> None:
        self.started.set()
        assert self.gate.wait(30)
        self.saved.append(dict(payload))


def test_saves_wait_for_the_one_on_its_way_then_take_the_latest(qtbot: QtBot) -> None:
    form = {"description": ""}
    drafts = GatedDrafts()
    keeper = DraftKeeper(drafts, lambda: ("draft-1", dict(form)))  # type: ignore[arg-type]
    form["description"] = "Loud"
    keeper.save_now()
    qtbot.waitUntil(drafts.started.is_set, timeout=5000)
    for more in (" music", " at", " night"):  # typed while the first save is on its way
        form["description"] += more
        keeper.changed()
        keeper.save_now()
    assert keeper.pending and keeper.in_flight
    drafts.gate.set()
    qtbot.waitUntil(lambda: len(drafts.saved) == 2 and not keeper.in_flight, timeout=5000)
    settle(qtbot)
    assert [s["description"] for s in drafts.saved] == ["Loud", "Loud music at night"]
    assert not keeper.waiting
    shiboken6.delete(keeper)  # here, on the GUI thread: never left to a garbage collection
