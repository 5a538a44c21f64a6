"""Who did it: the audit log and the case document store the officer's staff id once they have
chosen themselves (the computer account only before), the choice is followed without a restart,
and every stored actor is shown by the name the directory gives it. Real encrypted store."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from asb_desktop.app import Services, services_for
from asb_desktop.domain.case import EntryKind
from asb_desktop.domain.directory import parse_directory
from asb_desktop.services.actors import OFFICER_SETTING, ActorNames
from asb_desktop.services.casework import LabelledDocument
from asb_desktop.store.database import Store
from asb_desktop.store.keys import KeyProvider
from asb_desktop.store.settings import set_setting
from tests.paths import REPO
from tests.services.test_case_actions import document

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
CASE = "44444444-4444-4444-8444-444444444444"
DIRECTORY = json.loads((REPO / "resources" / "demo" / "directory.json").read_text())


def open_services(data_dir: Path) -> Services:
    store = Store.open(data_dir, KeyProvider(data_dir))
    return services_for(store, actor="local:kofi", clock=lambda: NOW)


@pytest.fixture
def services(data_dir: Path) -> Iterator[Services]:
    services = open_services(data_dir)
    services.casework.import_directory(DIRECTORY)
    yield services
    services.close()


def actors_of(services: Services, case_id: str) -> list[str]:
    return [entry.actor for entry in services.casework.history(case_id)]


def test_the_computer_account_until_an_officer_is_chosen_then_their_staff_id(
    services: Services, data_dir: Path
) -> None:
    casework, actions = services.casework, services.actions
    received = NOW - timedelta(hours=1)
    casework.import_documents(
        [LabelledDocument("1", document(CASE, name="Ann", received=received))]
    )
    assert actors_of(services, CASE) == ["local:kofi"]
    assert casework.document(CASE)["recorded_by"] == "local:kofi"  # type: ignore[index]

    actions.set_officer("s-dw")  # chosen in Settings: followed from the next action on
    actions.record_first_response(CASE, "Phoned back", NOW)
    actions.add_entry(CASE, EntryKind.NOTE, "Visit booked")
    assert actors_of(services, CASE) == ["local:kofi", "s-dw", "s-dw"]
    stored = casework.document(CASE)
    assert stored is not None
    assert stored["first_response"]["by"] == "s-dw"  # an id in the document, never a name
    assert stored["entries"][0]["by"] == "s-dw"
    assert stored["recorded_by"] == "local:kofi"  # who recorded it does not change

    names = services.officer.names()
    assert names("s-dw") == "Dafydd Williams"
    assert names("local:kofi") == "kofi (computer account)"
    assert names("s-gone") == "s-gone"  # not in this directory: the id, never blank
    assert services.officer.display_name() == "Dafydd Williams"

    services.close()  # the next start follows the stored choice
    again = open_services(data_dir)
    try:
        assert again.casework.actor == "s-dw"
        again.actions.add_entry(CASE, EntryKind.CONTACT, "Rang the neighbour")
        assert actors_of(again, CASE)[-1] == "s-dw"
    finally:
        again.close()


def test_a_choice_stored_behind_its_back_is_followed_when_settings_are_read(
    services: Services,
) -> None:
    """Enrolling with the central store chooses the officer without going through set_officer;
    the window reads its settings again afterwards, and the actor follows."""
    assert services.casework.actor == "local:kofi"
    with services.store.write() as conn:
        set_setting(conn, OFFICER_SETTING, "s-tl")
    assert services.officer.display_name() == "Tom Lee"
    assert services.casework.actor == "s-tl"


def test_a_name_typed_at_first_run_names_the_computer_account(services: Services) -> None:
    services.officer.save_first_run(name="Siobhán Dvořák", role="housing_officer")
    names = services.officer.names()
    assert names("local:kofi") == "Siobhán Dvořák"  # this laptop's account: the typed name
    assert names("local:someone") == "someone (computer account)"
    assert services.officer.display_name() == "Siobhán Dvořák"


def test_names_of_nothing_and_a_mapping() -> None:
    names = ActorNames(parse_directory(DIRECTORY), account="local:x", typed_name=None)
    assert names(None) == "not recorded" and names("") == "not recorded"
    assert names.mapping({"s-ha", "s-eo", ""}) == {"s-ha": "Hana Ali", "s-eo": "Erin O'Neill"}
