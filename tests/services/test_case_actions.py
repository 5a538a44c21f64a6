"""Workspace actions, drafts and the PIN on a real encrypted store: each refused action stores
nothing; each allowed one is audited and queued for sync."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from asb_desktop.app import Services, services_for
from asb_desktop.domain.case import EntryKind, ReferralRole
from asb_desktop.domain.closing import CaseOutcome
from asb_desktop.domain.errors import ProcedureError
from asb_desktop.services.casework import LabelledDocument
from asb_desktop.services.lock import PIN_SETTING, PinError
from asb_desktop.store.cases import CaseFilter
from asb_desktop.store.database import Store
from asb_desktop.store.keys import KeyProvider
from asb_desktop.store.settings import get_setting
from asb_desktop.store.tables import drafts, outbox
from tests.paths import REPO

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
SCHEME = "55555555-5555-4555-8555-555555555555"


def document(case_id: str, *, name: str, received: datetime, **extra: object) -> dict[str, object]:
    return {
        "format": "asb-case/1",
        "id": case_id,
        "received_at": received.isoformat(),
        "channel": "telephone",
        "source": {"kind": "direct"},
        "severity": "general",
        "estate": "EST-NORTH",
        "complainant": {"anonymous": False, "name": name, "address": "3 Canal Side, Testtown"},
        "incidents": [
            {"id": case_id[:-1] + "e", "occurred_at": received.isoformat(), "description": "Noise"}
        ],
        "frequency": "Weekly",
        **extra,
    }


@pytest.fixture
def services(data_dir: Path) -> Iterator[Services]:
    store = Store.open(data_dir, KeyProvider(data_dir))
    services = services_for(store, actor="local:test", clock=lambda: NOW)
    services.casework.import_directory(
        json.loads((REPO / "resources" / "demo" / "directory.json").read_text())
    )
    services.casework.import_documents(
        [
            LabelledDocument(
                "1",
                document(
                    SCHEME,
                    name="Kofi Adebayo",
                    received=NOW - timedelta(hours=2),
                    supported_scheme="SCH-OAK",
                ),
            )
        ]
    )
    yield services
    services.close()


def outbox_count(services: Services) -> int:
    with services.store.read() as conn:
        return conn.execute(select(func.count()).select_from(outbox)).scalar_one()


def test_referral_needs_a_failed_attempt_and_a_reason(services: Services) -> None:
    actions = services.actions
    queued = outbox_count(services)
    with pytest.raises(ProcedureError, match="unsuccessful attempt"):
        actions.refer(SCHEME, ReferralRole.HOUSING_OFFICER, "Persistent ASB")
    assert outbox_count(services) == queued, "a refused action stores nothing"
    actions.record_resolution_attempt(SCHEME, "Mediation", successful=True, at=NOW)
    with pytest.raises(ProcedureError, match="unsuccessful attempt"):
        actions.refer(SCHEME, ReferralRole.HOUSING_OFFICER, "Persistent ASB")
    actions.record_resolution_attempt(SCHEME, "Warning letter", successful=False, at=NOW)
    with pytest.raises(ProcedureError, match="Give the reason"):
        actions.refer(SCHEME, ReferralRole.HOUSING_OFFICER, "  ")
    view = actions.refer(SCHEME, ReferralRole.HOUSING_OFFICER, "Behaviour not moderated", "s-ha")
    assert view.case.referral is not None and view.case.referral.to_staff_id == "s-ha"
    assert [e.action for e in view.history][-1] == "case.referred"
    assert outbox_count(services) == queued + 3


def test_first_response_is_checked_and_stops_the_clock(services: Services) -> None:
    actions = services.actions
    with pytest.raises(ProcedureError, match="in the future"):
        actions.record_first_response(SCHEME, "Called", NOW + timedelta(hours=1))
    with pytest.raises(ProcedureError, match="before the report was received"):
        actions.record_first_response(SCHEME, "Called", NOW - timedelta(days=1))
    view = actions.record_first_response(SCHEME, "Called back", NOW)
    assert view.response_met is True
    with pytest.raises(ProcedureError, match="already recorded"):
        actions.record_first_response(SCHEME, "Again", NOW)
    [row] = services.casework.list_cases(CaseFilter(state="open"))
    assert row.responded_at == NOW


def test_notes_are_signed_by_the_chosen_officer(services: Services) -> None:
    with pytest.raises(ProcedureError, match="staff directory"):
        services.actions.set_officer("s-nobody")
    services.actions.set_officer("s-ic")
    view = services.actions.add_entry(SCHEME, EntryKind.CONTACT, "Visited Kofi at home")
    assert [(e.kind, e.by) for e in view.case.entries] == [(EntryKind.CONTACT, "s-ic")]
    with pytest.raises(ProcedureError, match="Write the note"):
        services.actions.add_entry(SCHEME, EntryKind.NOTE, "   ")


def test_closing_needs_a_reason_and_happens_once(services: Services) -> None:
    with pytest.raises(ProcedureError, match="reason"):
        services.actions.close(SCHEME, "", CaseOutcome.RESOLVED)
    view = services.actions.close(SCHEME, "No further reports for 8 weeks", CaseOutcome.RESOLVED)
    assert not view.case.is_open
    with pytest.raises(ProcedureError, match="already closed"):
        services.actions.close(SCHEME, "Again", CaseOutcome.RESOLVED)


def test_duplicates_compare_names_without_case_or_accents(services: Services) -> None:
    from asb_desktop.domain.document import case_from_document

    report = case_from_document(
        document("99999999-9999-4999-8999-999999999999", name="KOFI  ADÉBAYO", received=NOW)
    )
    check = services.actions.check_duplicates(report)
    assert [(m.case_id, m.reasons) for m in check.matches] == [
        (SCHEME, ("same complainant", "same complainant address"))
    ]
    assert check.complainant_reports == 2 and not check.case_review_threshold_met


def test_drafts_are_kept_encrypted_and_go_when_the_case_is_saved(services: Services) -> None:
    from asb_desktop.domain.document import case_from_document

    case_id = "88888888-8888-4888-8888-888888888888"
    services.drafts.save(case_id, {"name": "Ewa Nowak", "description": "Graffiti on the door"})
    services.drafts.save(case_id, {"name": "Ewa Nowak", "description": "Graffiti, and threats"})
    [summary] = services.drafts.list()
    assert summary.title == "Ewa Nowak — Graffiti, and threats"
    files = [services.store.path, services.store.path.with_name("cases.db-wal")]
    raw = b"".join(f.read_bytes() for f in files if f.exists())
    assert b"Ewa Nowak" not in raw and b"Graffiti" not in raw, "the draft is encrypted at rest"
    services.actions.record_report(
        case_from_document(document(case_id, name="Ewa Nowak", received=NOW))
    )
    with services.store.read() as conn:
        assert conn.execute(select(func.count()).select_from(drafts)).scalar_one() == 0


def test_pin_is_stored_only_as_an_argon2_hash(services: Services) -> None:
    lock = services.lock
    assert not lock.has_pin() and not lock.check("1234")
    for bad in ("123", "12ab", "1234567890123"):
        with pytest.raises(PinError):
            lock.set_pin(bad)
    lock.set_pin("4827")
    with services.store.read() as conn:
        stored = get_setting(conn, PIN_SETTING)
    assert stored is not None and stored.startswith("$argon2id$") and "4827" not in stored
    assert lock.check("4827") and not lock.check("1234")
    assert lock.idle_minutes() == 5
    lock.set_idle_minutes(15)
    assert lock.idle_minutes() == 15
    with pytest.raises(PinError):
        lock.set_idle_minutes(0)
