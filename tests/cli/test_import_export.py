"""Import a batch, export it back: every computed field as section 5 of the procedure says.

Expected values are worked out by hand from the demo directory and the England and Wales
bank holidays, so a wrong rule fails here, not only in the domain tests.
"""

from __future__ import annotations

import copy
import json
import uuid
from typing import Any

import pytest

from tests.cli.conftest import DEMO_DIRECTORY, Cli


def _case(received_at: str, severity: str = "general", **extra: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "format": "asb-case/1",
        "id": str(uuid.uuid4()),
        "received_at": received_at,
        "channel": "telephone",
        "source": {"kind": "direct"},
        "severity": severity,
        "estate": "EST-NORTH",
        "complainant": {
            "anonymous": False,
            "name": "Zoë O'Brien-Łukasiewicz",
            "address": "4 Mill Lane",
            "phone": "07700 900123",
        },
        "incidents": [
            {
                "id": "inc-1",
                "occurred_at": "2026-12-20T22:15:00Z",
                "location": "Stairwell",
                "description": "Shouting and banging",
                "how_it_made_them_feel": "Frightened",
                "effect_since": "Cannot sleep",
                "measures_taken": "Keeps a diary",
            }
        ],
        "frequency": "Most nights",
    }
    document.update(extra)
    return document


SCENARIOS = {
    # name: (document, assignment_rule, assigned_to, response_due_at, risk_due)
    "serious on a Saturday": (
        _case("2026-11-28T10:00:00Z", "serious"),
        "patch_officer",
        "s-ha",
        "2026-11-30T17:00:00+00:00",
        None,
    ),
    "general on a Friday evening after 17:00": (
        _case("2026-11-27T18:30:00Z"),
        "patch_officer",
        "s-ha",
        "2026-12-02T17:00:00+00:00",
        None,
    ),
    "general on Christmas Eve 2026 (Boxing Day substitute on Monday 28th)": (
        _case("2026-12-24T09:00:00Z"),
        "patch_officer",
        "s-ha",
        "2026-12-31T17:00:00+00:00",
        None,
    ),
    "serious before the New Year bank holiday": (
        _case("2026-12-31T16:00:00Z", "serious"),
        "patch_officer",
        "s-ha",
        "2027-01-04T17:00:00+00:00",
        None,
    ),
    "general on Maundy Thursday 2027 (Good Friday, Easter Monday)": (
        _case("2027-03-25T11:00:00+00:00"),
        "patch_officer",
        "s-ha",
        "2027-04-01T17:00:00+01:00",
        None,
    ),
    "serious late at night in BST is already the next London day": (
        _case("2026-06-30T23:30:00Z", "serious"),
        "patch_officer",
        "s-ha",
        "2026-07-02T17:00:00+01:00",
        None,
    ),
    "anonymous complainant": (
        _case("2026-11-24T09:00:00Z", complainant={"anonymous": True}),
        "patch_officer",
        "s-ha",
        "2026-11-27T17:00:00+00:00",
        None,
    ),
    "third party without consent": (
        _case(
            "2026-11-24T09:00:00Z",
            source={
                "kind": "third_party",
                "organisation": "police",
                "organisation_name": "Northfields NPT",
                "contact": "PC 1234",
            },
            consent_to_share={"status": "refused", "basis": None},
        ),
        "patch_officer",
        "s-ha",
        "2026-11-27T17:00:00+00:00",
        None,
    ),
    "supported scheme beats the estate": (
        _case("2026-11-24T09:00:00Z", supported_scheme="SCH-OAK"),
        "supported_scheme",
        "s-ic",
        "2026-11-27T17:00:00+00:00",
        None,
    ),
    "scheme nobody covers waits for manual assignment": (
        _case("2026-11-24T09:00:00Z", supported_scheme="SCH-NONE"),
        "supported_scheme",
        None,
        "2026-11-27T17:00:00+00:00",
        None,
    ),
    "employee involved beats the scheme; team leader on the patch": (
        _case(
            "2026-11-24T09:00:00Z",
            supported_scheme="SCH-OAK",
            estate="EST-RIVER",
            involved=[
                {
                    "name": "J. Staff",
                    "address": None,
                    "description": "Caretaker",
                    "is_employee": True,
                }
            ],
        ),
        "employee_involved",
        "s-tr",
        "2026-11-27T17:00:00+00:00",
        None,
    ),
    "employee complainant off every patch goes to the first team leader": (
        _case(
            "2026-11-24T09:00:00Z",
            estate=None,
            complainant={"anonymous": False, "name": "Staff Member", "is_employee": True},
        ),
        "employee_involved",
        "s-tl",
        "2026-11-27T17:00:00+00:00",
        None,
    ),
    # The harassed colleague is an employee involved (5.9): a Team Leader, not the patch officer.
    "colleague harassed: 48-hour staff risk assessment, a team leader": (
        _case("2026-11-24T09:00:00Z", "serious", colleague_harassment=True),
        "employee_involved",
        "s-tl",
        "2026-11-25T17:00:00+00:00",
        "2026-11-26T09:00:00+00:00",
    ),
    "no estate, no scheme, no employee": (
        _case("2026-11-24T09:00:00Z", estate=None),
        "unassigned",
        None,
        "2026-11-27T17:00:00+00:00",
        None,
    ),
}


@pytest.fixture(scope="module")
def imported_store(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Cli, dict[str, dict[str, Any]]]:
    """The scenarios imported once for this module's tests, which only read the store and its
    export: the store's Cli and the exported documents by id."""
    cli = Cli(tmp_path_factory.mktemp("imported") / "data")
    cli.run("directory", "import", str(DEMO_DIRECTORY))
    batch = cli.data_dir.parent / "batch.json"
    batch.write_text(json.dumps([s[0] for s in SCENARIOS.values()]), encoding="utf-8")
    done = cli.run("import", str(batch))
    assert f"Imported {len(SCENARIOS)} cases" in done.stdout
    return cli, {document["id"]: document for document in cli.export()}


@pytest.fixture
def imported(imported_store: tuple[Cli, dict[str, dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    return copy.deepcopy(imported_store[1])  # a test may change its own copy


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_exported_computed_fields_follow_the_procedure(imported, name: str) -> None:
    document, rule, assigned_to, due, risk_due = SCENARIOS[name]
    exported = imported[document["id"]]
    assert exported["assignment_rule"] == rule
    assert exported["assigned_to"] == assigned_to
    assert exported["response_due_at"] == due
    assert exported["staff_risk_assessment_due_at"] == risk_due
    assert exported["reference"] is None  # only the central store gives references


def test_anonymous_exports_without_contact_details(imported) -> None:
    document = SCENARIOS["anonymous complainant"][0]
    complainant = imported[document["id"]]["complainant"]
    assert complainant["anonymous"] is True
    assert [complainant[k] for k in ("name", "address", "phone", "email")] == [None] * 4


def test_export_then_import_elsewhere_gives_the_same_documents(imported_store, tmp_path) -> None:
    cli, imported = imported_store
    exported = tmp_path / "exported.json"
    cli.run("export", "-o", str(exported))
    assert oct(exported.stat().st_mode & 0o777) == "0o600"
    other = Cli(tmp_path / "other")
    other.run("directory", "import", str(DEMO_DIRECTORY))
    other.run("import", str(exported))
    again = {d["id"]: d for d in other.export()}
    assert again == imported
