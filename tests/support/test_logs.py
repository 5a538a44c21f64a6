"""The log file: events, ids, counts and durations reach it; a case's personal data never does."""

from __future__ import annotations

import json
import logging
import random
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from asb_desktop.domain.document import case_from_document
from asb_desktop.domain.errors import InputError
from asb_desktop.support.logs import (
    LOG_FILE_NAME,
    PersonalDataFilter,
    current_log_file,
    is_safe_value,
    log_event,
    recent_lines,
    setup_logging,
    stop_logging,
)
from asb_desktop.support.synthetic import synthetic_case

log = logging.getLogger("asb_desktop.tests.logs")


@pytest.fixture
def log_dir(tmp_path: Path) -> Iterator[Path]:
    hooks = (sys.excepthook, threading.excepthook)
    root_level = logging.getLogger().level
    folder = tmp_path / "logs"
    yield folder
    stop_logging()
    sys.excepthook, threading.excepthook = hooks
    logging.getLogger().setLevel(root_level)
    logging.captureWarnings(False)


def personal_strings(document: dict[str, Any]) -> list[str]:
    """Every name, address, contact and free-text value a case holds."""
    found: list[str] = []
    complainant = document["complainant"]
    found += [complainant[k] for k in ("name", "address", "phone", "email") if complainant.get(k)]
    for incident in document["incidents"]:
        found += [incident[k] for k in ("description", "how_it_made_them_feel", "effect_since")]
    for person in document["involved"] + document["witnesses"]:
        found += [v for k, v in person.items() if isinstance(v, str) and k != "is_employee"]
    found.append(document["frequency"])
    return found


def a_case() -> dict[str, Any]:
    rng = random.Random(11)
    while True:
        document = synthetic_case(rng, incidents=2)
        if not document["complainant"]["anonymous"] and document["witnesses"]:
            return document


def read(path: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return path.read_text(encoding="utf-8")


def test_events_are_written_with_ids_counts_and_durations(log_dir: Path) -> None:
    path = setup_logging(log_dir)
    assert path == log_dir / LOG_FILE_NAME and current_log_file() == path
    case_id = "0f5a2e1c-9c1b-4b8e-8f43-2a6f1e0b7c11"
    log_event(
        log,
        "case.saved",
        case_id=case_id,
        reference="ASB-2026-000123",
        incidents=3,
        duration_ms=12.5,
        severity="serious",
    )
    text = read(path)
    assert (
        f"INFO asb_desktop.tests.logs case.saved case_id={case_id} reference=ASB-2026-000123 "
        "incidents=3 duration_ms=12.5 severity=serious"
    ) in text
    assert text.split(" ")[0].endswith("Z")


def test_a_case_never_reaches_the_log_however_it_is_logged(log_dir: Path) -> None:
    path = setup_logging(log_dir)
    document = a_case()
    secrets = personal_strings(document)
    name = document["complainant"]["name"]
    dumped = json.dumps(document, ensure_ascii=False)

    log.info(f"saved case for {name}")
    log.warning("saved case for %s at %s", name, document["complainant"]["address"])
    log.info("document %(doc)s", {"doc": document})
    log_event(
        log, "case.saved", complainant=name, description=document["incidents"][0]["description"]
    )
    log_event(log, "case.saved", **{"Zoë's case": 1})
    log.error(dumped)
    log.error(ValueError(dumped))
    try:
        raise InputError("complainant.name", f"unexpected value {name!r} in {dumped}")
    except InputError:
        log.exception("case.import_failed")
    try:
        try:
            case_from_document({**document, "severity": dumped})
        except InputError as inner:
            raise RuntimeError(f"could not import {dumped}") from inner
    except RuntimeError:
        log.exception("import of %s failed", name)
    logging.getLogger("sqlalchemy.engine.Engine").info("[generated] %r", (name, dumped))
    text = read(path)

    leaked = [s for s in secrets if s in text or s.lower() in text.lower()]
    assert leaked == []
    for word in ("Murphy", "Khan", "Testtown", "07700", "@example.org"):
        assert word not in text
    assert "case.import_failed" in text and "InputError" in text and "RuntimeError" in text
    assert "which led to:" in text  # the chained cause's type is kept
    assert 'File "asb_desktop/domain/' in text  # code location without the install folder
    assert "<message withheld: free text of" in text
    assert "<message withheld: a ValueError object" in text
    assert "saved case for <withheld> at <withheld>" in text


def test_uncaught_exceptions_are_logged_without_their_message(log_dir: Path) -> None:
    path = setup_logging(log_dir)
    document = a_case()
    seen: list[type[BaseException]] = []
    sys.excepthook = lambda kind, error, tb: seen.append(kind)
    stop_logging()
    setup_logging(log_dir)  # installs its hook over the one above and chains to it
    try:
        raise ValueError(json.dumps(document))
    except ValueError:
        sys.excepthook(*sys.exc_info())
    text = read(path)
    assert "app.uncaught_exception" in text and "ValueError" in text
    assert document["complainant"]["name"] not in text
    assert seen == [ValueError]


def test_every_handler_sees_the_cleaned_record_once(log_dir: Path) -> None:
    path = setup_logging(log_dir)
    other = logging.StreamHandler(stream=open(log_dir / "second.log", "w", encoding="utf-8"))  # noqa: SIM115
    other.addFilter(PersonalDataFilter())
    logging.getLogger().addHandler(other)
    try:
        log_event(log, "sync.finished", pushed=4)
        log.info("free text from Zoë")
    finally:
        logging.getLogger().removeHandler(other)
        other.close()
    second = (log_dir / "second.log").read_text(encoding="utf-8")
    assert "sync.finished pushed=4" in read(path) and "sync.finished pushed=4" in second
    assert "Zoë" not in second and "Zoë" not in read(path)


def test_setup_twice_adds_one_handler_and_files_rotate(log_dir: Path) -> None:
    path = setup_logging(log_dir, max_bytes=2000, backups=2)
    assert setup_logging(log_dir) == path
    handlers = [h for h in logging.getLogger().handlers if getattr(h, "_asb_desktop_log", False)]
    assert len(handlers) == 1
    for number in range(200):
        log_event(log, "case.listed", rows=number)
    assert (log_dir / f"{LOG_FILE_NAME}.1").exists() and (log_dir / f"{LOG_FILE_NAME}.2").exists()
    assert not (log_dir / f"{LOG_FILE_NAME}.3").exists()
    assert recent_lines(3, path)[-1].endswith("case.listed rows=199")
    assert len(recent_lines(3, path)) == 3


def test_recent_lines_of_a_missing_log_is_empty(tmp_path: Path) -> None:
    assert recent_lines(10, tmp_path / "none.log") == []


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        (3, True),
        (2.5, True),
        (None, True),
        ("serious", True),
        ("england_and_wales", True),
        ("ASB-2026-000123", True),
        ("0f5a2e1c-9c1b-4b8e-8f43-2a6f1e0b7c11", True),
        ("6.12.0", True),
        ("Zoë Murphy", False),
        ("Murphy", False),
        ("07700 912345", False),
        ("07700912345", False),
        ("resident1@example.org", False),
        ("12 Mill Lane, Testtown TT1 1AA", False),
        ({"name": "x"}, False),
    ],
)
def test_what_counts_as_safe(value: object, safe: bool) -> None:
    assert is_safe_value(value) is safe
