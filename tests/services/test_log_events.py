"""The events support reads in the log, written by the real services on a real encrypted store:
saves, imports, an export, summaries, the lock, sync runs and the failures the services turn
into sentences. Ids, counts, code words and exception types only: the complainant in every case
here, Zoë O'Brien-Łukasiewicz, and everything else said about her, never reach the file."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from asb_desktop.app import Services, services_for
from asb_desktop.cli.main import main as cli_main
from asb_desktop.domain.case import EntryKind
from asb_desktop.domain.closing import CaseOutcome
from asb_desktop.domain.document import case_from_document
from asb_desktop.domain.errors import InputError
from asb_desktop.reports import write_summaries, write_summary
from asb_desktop.services.casework import ImportRejected, LabelledDocument, parse_json_records
from asb_desktop.services.diagnostics import gather
from asb_desktop.services.lock import note_locked
from asb_desktop.store.database import Store
from asb_desktop.store.keys import KeyProvider
from asb_desktop.support.logs import log_event, setup_logging, stop_logging
from asb_desktop.sync.client import SyncError, Timeouts
from asb_desktop.sync.service import SyncService
from tests.central.central_support import admin, free_port, running_central
from tests.paths import REPO
from tests.sync.sync_support import Laptop

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
NAME = "Zoë O'Brien-Łukasiewicz"
ADDRESS = "Flat 4, Ćmielów Court, Testtown TT1 1AA"
PHONE = "07700 900461"
EMAIL = "zoe.obrien@example.org"
WITNESS = "Siobhán Ní Bhraonáin"
INVOLVED = "Tomasz Dvořák"
STORY = f"{INVOLVED} shouted at {NAME} on the stairs and kicked her door"
NOTE = f"Spoke to {NAME} at {ADDRESS}; she is frightened to go out"
PINS = ("80604213", "31415926", "27182818")
PERSONAL = (
    NAME,
    "Zoë",
    "O'Brien",
    "Łukasiewicz",
    ADDRESS,
    "Ćmielów",
    PHONE,
    EMAIL,
    WITNESS,
    "Siobhán",
    INVOLVED,
    "Dvořák",
    STORY,
    NOTE,
    "frightened",
    *PINS,
)
FAST = Timeouts(connect=1.0, read=2.0, write=2.0, pool=1.0, probe=1.0)
DIRECTORY = REPO / "resources" / "demo" / "directory.json"


def document(case_id: str | None = None, **changes: Any) -> dict[str, Any]:
    """A case about Zoë: her name, address and contacts, and what happened to her."""
    case_id = case_id or str(uuid.uuid4())
    received = NOW - timedelta(hours=3)
    body: dict[str, Any] = {
        "format": "asb-case/1",
        "id": case_id,
        "received_at": received.isoformat(),
        "channel": "telephone",
        "source": {"kind": "direct"},
        "severity": "general",
        "estate": "EST-NORTH",
        "complainant": {
            "anonymous": False,
            "name": NAME,
            "address": ADDRESS,
            "phone": PHONE,
            "email": EMAIL,
        },
        "incidents": [
            {
                "id": str(uuid.uuid4()),
                "occurred_at": (received - timedelta(hours=12)).isoformat(),
                "description": STORY,
                "how_it_made_them_feel": NOTE,
            },
            {
                "id": str(uuid.uuid4()),
                "occurred_at": (received - timedelta(days=2)).isoformat(),
                "description": f"{INVOLVED} again, outside {ADDRESS}",
            },
        ],
        "frequency": f"Every night since {NAME} moved in",
        "involved": [{"name": INVOLVED, "address": "6 Ćmielów Court", "is_employee": False}],
        "witnesses": [{"name": WITNESS, "contact": PHONE, "account": STORY}],
    }
    body.update(changes)
    return body


@dataclass(frozen=True)
class Event:
    level: str
    logger: str
    name: str
    fields: dict[str, str]


class LogFile:
    def __init__(self, path: Path) -> None:
        self.path = path

    def text(self) -> str:
        for handler in logging.getLogger().handlers:
            handler.flush()
        return self.path.read_text(encoding="utf-8") if self.path.exists() else ""

    def events(self) -> list[Event]:
        """Each line "TIME LEVEL LOGGER EVENT key=value ..." read back."""
        found = []
        for line in self.text().splitlines():
            parts = line.split(" ")
            if len(parts) < 4 or not parts[0].endswith("Z"):
                continue  # a traceback's lines
            fields = dict(part.split("=", 1) for part in parts[4:] if "=" in part)
            found.append(Event(parts[1], parts[2], parts[3], fields))
        return found

    def find(self, name: str, **fields: object) -> list[Event]:
        """The events called `name` whose fields include all of `fields` (compared as text)."""
        wanted = {key: str(value) for key, value in fields.items()}
        return [
            e
            for e in self.events()
            if e.name == name and all(e.fields.get(k) == v for k, v in wanted.items())
        ]

    def one(self, name: str, **fields: object) -> Event:
        matches = self.find(name, **fields)
        assert len(matches) == 1, (name, fields, [e for e in self.events() if e.name == name])
        return matches[0]

    def assert_no_personal_data(self) -> None:
        text = self.text()
        leaked = [s for s in PERSONAL if s in text or s.casefold() in text.casefold()]
        assert leaked == [], f"personal data in the log: {leaked}"


@pytest.fixture
def log(tmp_path: Path) -> Iterator[LogFile]:
    hooks = (sys.excepthook, threading.excepthook)
    root_level = logging.getLogger().level
    path = setup_logging(tmp_path / "logs")
    yield LogFile(path)
    stop_logging()
    sys.excepthook, threading.excepthook = hooks
    logging.getLogger().setLevel(root_level)
    logging.captureWarnings(False)


@pytest.fixture
def services(log: LogFile, data_dir: Path) -> Iterator[Services]:
    store = Store.open(data_dir, KeyProvider(data_dir))
    services = services_for(store, actor="local:test", clock=lambda: NOW)
    services.casework.import_directory(json.loads(DIRECTORY.read_text(encoding="utf-8")))
    yield services
    services.close()


def test_every_save_is_logged_with_the_case_id_and_counts(services: Services, log: LogFile) -> None:
    actions, drafts = services.actions, services.drafts
    case_id = str(uuid.uuid4())
    drafts.save(case_id, {"name": NAME, "address": ADDRESS, "description": STORY})
    drafts.save(case_id, {"name": NAME, "address": ADDRESS, "description": STORY + "!"})
    actions.record_report(case_from_document(document(case_id)))
    actions.record_first_response(case_id, f"Called {NAME} on {PHONE}", NOW - timedelta(hours=1))
    actions.add_entry(case_id, EntryKind.NOTE, NOTE)
    actions.add_entry(case_id, EntryKind.CONTACT, f"Visited {NAME} at {ADDRESS}")
    actions.reassign(case_id, "s-mo", f"{NAME} asked for a different officer")
    actions.close(case_id, f"{NAME} reports no further trouble", CaseOutcome.RESOLVED)
    other = str(uuid.uuid4())
    drafts.save(other, {"name": NAME, "description": NOTE})
    drafts.delete(other)
    actions.set_officer("s-ha")

    log.one("directory.imported", members=11)
    saved = log.one("case.saved", case_id=case_id, action="case.recorded")
    assert saved.level == "INFO" and saved.logger == "asb_desktop.services.casework"
    assert saved.fields["incidents"] == "2" and saved.fields["entries"] == "0"
    assert float(saved.fields["duration_ms"]) >= 0
    for action in ("case.first_response", "case.note", "case.contact", "case.reassigned"):
        log.one("case.saved", case_id=case_id, action=action, incidents=2)
    log.one("case.saved", case_id=case_id, action="case.closed", entries=2)
    # A draft is saved every second or two while the officer types: logged once, then by the
    # minute; what clears it says why.
    log.one("draft.saved", draft_id=case_id, saves=1)
    log.one("draft.cleared", draft_id=case_id, reason="case_saved", saves=2)
    log.one("draft.saved", draft_id=other, saves=1)
    log.one("draft.discarded", draft_id=other, reason="discarded", saves=1)
    log.one("settings.officer_set")
    log.assert_no_personal_data()


def test_imports_and_the_export_are_logged_with_counts(
    services: Services, log: LogFile, data_dir: Path, tmp_path: Path
) -> None:
    work = services.casework
    first, second = document(), document()
    work.import_documents([LabelledDocument("record 1", first), LabelledDocument("2", second)])
    good, bad = document(), document(severity=NAME)  # the problem names the field, not NAME
    with pytest.raises(ImportRejected):
        work.import_documents(
            [
                LabelledDocument("record 1", good),
                LabelledDocument("record 2", bad),
                LabelledDocument("record 3", good),  # the same id twice
            ]
        )
    with pytest.raises(ImportRejected):
        work.import_documents([LabelledDocument("record 1", first)])  # already stored
    with pytest.raises(ImportRejected):
        parse_json_records(f'[{{"name": "{NAME}"', "cases.json")
    with pytest.raises(InputError):
        work.import_directory({"format": "asb-directory/1", "staff": [{"name": NAME}]})

    out = tmp_path / "export.json"
    assert cli_main(["--data-dir", str(data_dir), "export", "-o", str(out)]) == 0
    assert NAME in out.read_text(encoding="utf-8")  # the export has the data; the log does not

    log.one("case.imported", records=2, accepted=2, refused=0, incidents=4)
    refused = log.one("case.import_refused", stage="check", records=3, accepted=0)
    assert refused.level == "WARNING"
    assert refused.fields["refused"] == "2" and refused.fields["problems"] == "2"
    log.one("case.import_refused", stage="check", records=1, accepted=0, refused=1, problems=1)
    log.one("case.import_refused", stage="read", error="json.decoder.JSONDecodeError")
    refused_directory = log.one("directory.import_refused")
    assert refused_directory.fields["error"] == "asb_desktop.domain.errors.InputError"
    exported = log.one("case.exported", cases=2, one_case=False, format="json", to_file=True)
    assert exported.logger == "asb_desktop.cli.case_commands"
    log.assert_no_personal_data()


def test_summaries_are_logged_one_and_a_batch(
    services: Services, log: LogFile, tmp_path: Path
) -> None:
    work = services.casework
    ids = work.import_documents([LabelledDocument(str(i), document()) for i in range(2)])
    documents: list[dict[str, Any]] = []
    for case_id in ids:
        stored = work.document(case_id)
        assert stored is not None
        documents.append(stored)
    common: dict[str, Any] = {"produced_by": "local:test", "produced_at": NOW}

    one = write_summary(documents[0], tmp_path / "one.pdf", profile="third_party", **common)
    folder = tmp_path / "batch"
    folder.mkdir()
    not_a_case = {"format": "asb-case/1", "complainant": {"name": NAME}}
    batch = write_summaries([*documents, not_a_case], out_dir=folder, profile="internal", **common)
    everything = tmp_path / "all.pdf"
    stopped = write_summaries(
        documents, single_file=everything, profile="internal", is_cancelled=lambda: True, **common
    )

    written = log.one("summary.written", case_id=ids[0], profile="third_party")
    assert written.logger == "asb_desktop.reports.batch"
    assert written.fields["pages"] == str(one.pages)
    failed = log.one("summary.case_failed")
    assert failed.level == "WARNING"
    assert failed.fields == {"error": "asb_desktop.domain.errors.InputError"}
    assert len(batch.paths) == 2
    log.one(
        "summary.batch_finished",
        profile="internal",
        single_file=False,
        cases=3,
        done=3,
        files=2,
        failures=1,
        cancelled=False,
    )
    assert stopped.cancelled
    log.one("summary.batch_finished", single_file=True, cases=2, files=0, cancelled=True)
    log.assert_no_personal_data()


def test_the_lock_logs_pins_set_changed_reset_and_wrong_by_count_only(
    services: Services, log: LogFile
) -> None:
    lock = services.lock
    pin, wrong, new = PINS
    lock.set_pin(pin)
    note_locked("idle")  # what the window says when it locks (tests/ui/lock drives the window)
    assert not lock.check(wrong) and not lock.check(wrong)
    assert lock.check(pin)
    lock.set_pin(new)
    lock.set_idle_minutes(10)
    assert lock.forget_pin(actor="local:test", now=NOW)
    assert not lock.check(new)

    names = [e.name for e in log.events() if e.name.startswith("lock.")]
    assert names == [
        "lock.pin_set",
        "lock.locked",
        "lock.pin_wrong",
        "lock.pin_wrong",
        "lock.pin_accepted",
        "lock.pin_changed",
        "lock.idle_minutes_set",
        "lock.pin_reset",
        "lock.pin_missing",
    ]
    log.one("lock.locked", by="idle")
    assert [e.fields["attempts"] for e in log.find("lock.pin_wrong")] == ["1", "2"]
    assert log.one("lock.pin_wrong", attempts=2).level == "WARNING"
    log.one("lock.pin_accepted", wrong_before=2)
    log.one("lock.idle_minutes_set", minutes=10)
    log.assert_no_personal_data()


def test_sync_runs_conflicts_and_failures_with_a_real_central_store(
    services: Services, log: LogFile, tmp_path: Path
) -> None:
    laptop = SyncService(services.casework, timeouts=FAST, sleep=lambda _s: None)
    other = Laptop(tmp_path / "other")
    (tmp_path / "central").mkdir()
    try:
        with running_central("sqlite", tmp_path / "central") as server:

            def code() -> str:
                return admin(server.db_url, "enrol-device", "--user", "s-ho").strip()

            laptop.enrol(server.url, code())
            other.sync.enrol(server.url, code())
            [case_id] = services.casework.import_documents([LabelledDocument("1", document())])
            first = laptop.sync()
            other.sync.sync()
            edit(services.casework.case, services.casework.update, case_id, "Twice a week")
            edit(other.casework.case, other.casework.update, case_id, f"Nightly, says {NAME}")
            laptop.sync()
            clashed = other.sync.sync()
            [conflicts] = other.sync.overview().conflicts
            other.sync.resolve(case_id, {field.id: "device" for field in conflicts.fields})
        failed = laptop.sync(force=True)  # the central store has gone
    finally:
        other.close()
        laptop.engine.forget_client()
    with pytest.raises(SyncError):
        laptop.enrol(f"http://127.0.0.1:{free_port()}", "ONE-TIME-CODE")
    with pytest.raises(ValueError):
        laptop.enrol("https://asb.example.org", "   ")

    assert first.ok and first.sent == 1 and clashed.conflicts == 1 and failed.error
    assert len(log.find("sync.enrolled", new_server=True)) == 2
    assert len(log.find("sync.started", force=False)) == 4  # two runs on each laptop
    assert len(log.find("sync.started", force=True)) == 1
    assert log.find("sync.finished", sent=1, acknowledged=1, refused=0, conflicts=0)
    assert log.find("sync.finished", sent=0, pulled=1)  # the other laptop receives the case
    finished = log.find("sync.finished", conflicts=1)
    assert len(finished) == 1 and float(finished[0].fields["duration_ms"]) > 0
    log.one("sync.conflict_resolved", case_id=case_id, fields=1, kept_laptop=1, kept_server=0)
    assert len(log.find("case.saved", case_id=case_id, action="case.edited")) == 2
    retries = log.find("sync.retrying", kind="offline")
    assert [e.fields["attempt"] for e in retries] == ["1", "2", "3"]
    sync_failed = log.one("sync.failed", kind="offline", attempts=4)
    assert sync_failed.level == "WARNING"
    assert sync_failed.fields["error"] == "asb_desktop.sync.client.Unreachable"
    log.one("sync.enrol_failed", error="asb_desktop.sync.client.Unreachable", kind="offline")
    log.one("sync.enrol_failed", error="ValueError")
    # A line per HTTP request would crowd the recent log that "Copy diagnostics" sends.
    assert [e for e in log.events() if e.logger.startswith(("httpx", "httpcore"))] == []
    log.assert_no_personal_data()


def edit(
    load: Callable[[str], Any], update: Callable[..., Any], case_id: str, frequency: str
) -> None:
    case = load(case_id)
    assert case is not None
    update(replace(case, frequency=frequency), action="case.edited")


def test_copy_diagnostics_holds_the_recent_events_and_no_personal_data(
    services: Services, log: LogFile
) -> None:
    case_id = str(uuid.uuid4())
    log_event(
        logging.getLogger("asb_desktop.services.casework"),
        "case.saved",
        case_id=case_id,
        complainant=NAME,
        incidents=3,
        error=ValueError(f"no such estate for {NAME}"),
    )
    services.lock.set_pin(PINS[0])
    text = gather(log_file=log.path, data_dir=services.data_dir)
    assert (
        f"case.saved case_id={case_id} complainant=<withheld> incidents=3 error=ValueError"
    ) in text
    assert "lock.pin_set" in text and "directory.imported members=11" in text
    for secret in PERSONAL:
        assert secret not in text


def test_a_command_prints_its_message_and_no_log_line(data_dir: Path, tmp_path: Path) -> None:
    """No handler is set up by the commands: a WARNING event must not reach stderr through
    Python's last-resort handler."""
    env = {
        **os.environ,
        "ASB_DESKTOP_DATA_DIR": str(data_dir),
        "ASB_DESKTOP_PASSPHRASE": "a passphrase for the log test",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    bad = tmp_path / "cases.json"
    bad.write_text(json.dumps([document(severity="unheard of")]), encoding="utf-8")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "asb_desktop", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    refused = run("import", str(bad))
    missing = run("import", str(tmp_path / "nowhere.json"))
    for done in (refused, missing):
        assert done.returncode == 1
        lines = done.stderr.splitlines()
        assert lines and lines[0].startswith("asb-desktop: "), done.stderr
        assert "import_refused" not in done.stderr and "command_failed" not in done.stderr
