"""The `asb-case/1` reader and writer: strict on the way in, complete on the way out."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from asb_desktop.domain.calendar import WorkingDayCalendar
from asb_desktop.domain.case import HateStrand
from asb_desktop.domain.document import case_from_document, case_to_document
from asb_desktop.domain.errors import InputError
from asb_desktop.domain.procedure import evaluate
from tests.domain.domain_builders import CASE_ID, case_document, directory

ENGLAND = WorkingDayCalendar()
NAME = "Zoë O'Brien-Łukasiewicz"


def full_document() -> dict[str, Any]:
    """A third-party, anonymous, supported-scheme case with every optional part filled in."""
    return case_document(
        received_at="2026-06-30T23:30:00Z",
        channel="website",
        source={
            "kind": "third_party",
            "organisation": "local_authority",
            "organisation_name": "Northshire Council",
            "contact": "ASB team, 01234 567890",
        },
        severity="serious",
        estate="EST-NORTH",
        supported_scheme="SCH-OAK",
        complainant={"anonymous": True, "is_employee": False},
        incidents=[
            {
                "id": "inc-1",
                "occurred_at": "2026-06-29T22:15:00+01:00",
                "location": "Stairwell B",
                "description": "Shouting and banging on the door",
                "how_it_made_them_feel": "Frightened",
                "effect_since": "Not sleeping",
                "measures_taken": "Stays with her sister at weekends",
            },
            {"id": "inc-2", "occurred_at": "2026-06-20T21:00:00Z", "description": "Graffiti"},
        ],
        frequency="Most nights since May; similar trouble in 2024",
        involved=[
            {"name": NAME, "address": None, "description": "Tall, red coat", "is_employee": False}
        ],
        targeting={"targeted": True, "reason": "Because of her religion"},
        hate_strands=["religion", "race"],
        witnesses=[{"name": "Wyn", "address": "Flat 3", "contact": "07000", "account": "Heard it"}],
        consent_to_share={"status": "refused", "basis": "information_sharing_protocol"},
        colleague_harassment=True,
        anonymity={"reassured": True, "limitations_explained": True},
        resolution_attempts=[
            {
                "at": "2026-07-02T10:00:00+01:00",
                "by": "s-ic",
                "description": "Warning letter",
                "successful": False,
            }
        ],
        referral={
            "to_role": "enforcement_officer",
            "reason": "Persistent ASB",
            "at": "2026-07-03T10:00:00+01:00",
            "by": "s-ic",
            "to_staff_id": "s-eo",
        },
        status={"state": "closed", "reason": "Resolved", "at": "2026-08-01T12:00:00+01:00"},
        recorded_by="s-ha",
        first_response={"at": "2026-07-02T09:00:00+01:00", "by": "s-ic", "summary": "Rang back"},
        entries=[
            {
                "id": "e-1",
                "kind": "note",
                "at": "2026-07-02T09:05:00+01:00",
                "by": "s-ic",
                "text": "Agreed a diary sheet",
            }
        ],
        staff_risk_assessment={
            "completed_at": "2026-07-02T15:00:00+01:00",
            "participants": ["Line manager", "Housing manager"],
            "agreed": False,
            "director_decision": "Joint visits only",
        },
        manual_assignment={
            "staff_id": "s-id",
            "by": "s-tn",
            "at": "2026-07-01T09:00:00+01:00",
            "reason": "Iris on leave",
        },
    )


def read_error(doc: Any) -> InputError:
    with pytest.raises(InputError) as caught:
        case_from_document(doc)
    return caught.value


def written(doc: dict[str, Any]) -> dict[str, Any]:
    case = case_from_document(doc)
    return case_to_document(case, evaluate(case, directory(), ENGLAND))


# --- round trip ------------------------------------------------------------------------------


@pytest.mark.parametrize("make", [full_document, case_document], ids=["full", "minimal"])
def test_read_write_read_gives_the_same_case(make) -> None:
    first = case_from_document(make())
    exported = case_to_document(first, evaluate(first, directory(), ENGLAND))
    through_json = json.loads(json.dumps(exported, ensure_ascii=False))
    second = case_from_document(through_json)
    assert second == first
    assert case_to_document(second, evaluate(second, directory(), ENGLAND)) == exported


def test_sub_second_timestamps_survive_the_round_trip() -> None:
    first = case_from_document(case_document(received_at="2026-03-10T09:30:00.250Z"))
    again = case_from_document(written(case_document(received_at="2026-03-10T09:30:00.250Z")))
    assert again.received_at == first.received_at
    assert written(case_document())["received_at"] == "2026-03-10T09:30:00+00:00"


def test_the_export_carries_every_computed_field_of_the_contract() -> None:
    exported = written(full_document())
    assert exported["reference"] is None  # until the central store assigns one
    # A harassed colleague is an employee involved (5.9), before the scheme (5.4).
    assert exported["assignment_rule"] == "employee_involved"
    assert exported["assigned_to"] == "s-id"  # chosen by hand over the rule's s-tn
    assert exported["assigned_to_name"] == "Ian Dodd"
    by_rule = full_document()
    del by_rule["manual_assignment"]
    assert written(by_rule)["assigned_to"] == "s-tn"  # the first team leader on EST-NORTH
    # Received 00:30 BST Wednesday 1 July; serious: Thursday 2 July 17:00.
    assert exported["response_due_at"] == "2026-07-02T17:00:00+01:00"
    assert exported["staff_risk_assessment_due_at"] == "2026-07-03T00:30:00+01:00"
    assert exported["received_at"] == "2026-07-01T00:30:00+01:00"


def test_an_anonymous_complainant_is_exported_with_no_contact_details() -> None:
    complainant = written(full_document())["complainant"]
    assert complainant == {
        "anonymous": True,
        "name": None,
        "address": None,
        "phone": None,
        "email": None,
        "is_employee": False,
        "vulnerabilities": [],
        "adjustments": None,
    }


# --- unknown keys ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "path"),
    [
        ((), "colour"),
        (("source",), "source.colour"),
        (("complainant",), "complainant.colour"),
        (("incidents", 1), "incidents[1].colour"),
        (("involved", 0), "involved[0].colour"),
        (("targeting",), "targeting.colour"),
        (("witnesses", 0), "witnesses[0].colour"),
        (("consent_to_share",), "consent_to_share.colour"),
        (("anonymity",), "anonymity.colour"),
        (("resolution_attempts", 0), "resolution_attempts[0].colour"),
        (("referral",), "referral.colour"),
        (("status",), "status.colour"),
        (("first_response",), "first_response.colour"),
        (("entries", 0), "entries[0].colour"),
        (("staff_risk_assessment",), "staff_risk_assessment.colour"),
        (("manual_assignment",), "manual_assignment.colour"),
    ],
)
def test_an_unknown_key_is_rejected_at_every_level_naming_its_path(
    where: tuple[str | int, ...], path: str
) -> None:
    doc = full_document()
    target: Any = doc
    for step in where:
        target = target[step]
    target["colour"] = "red"
    error = read_error(doc)
    assert error.field == path
    assert path in str(error)
    assert "not a known field" in str(error)


def test_computed_keys_are_accepted_and_ignored() -> None:
    plain = case_from_document(case_document(estate="EST-NORTH"))
    claimed = case_document(
        estate="EST-NORTH",
        reference="ASB-2026-000042",
        assignment_rule="employee_involved",
        assigned_to="s-zz",
        assigned_to_name="Nobody",
        response_due_at="2030-01-01T17:00:00+00:00",
        staff_risk_assessment_due_at="2030-01-01T17:00:00+00:00",
    )
    read = case_from_document(claimed)
    assert read == plain
    exported = written(claimed)
    assert exported["assignment_rule"] == "patch_officer"
    assert exported["assigned_to"] == "s-ha"
    assert exported["response_due_at"] == "2026-03-13T17:00:00+00:00"
    assert exported["staff_risk_assessment_due_at"] is None


# --- timestamps ------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["2026-03-10T09:30:00", "2026-03-10"])
def test_a_timestamp_without_an_offset_is_rejected(value: str) -> None:
    error = read_error(case_document(received_at=value))
    assert error.field == "received_at"
    assert "UTC offset" in error.problem


def test_an_incident_time_without_an_offset_names_the_incident() -> None:
    doc = case_document()
    doc["incidents"][0]["occurred_at"] = "2026-03-09T22:00:00"
    assert read_error(doc).field == "incidents[0].occurred_at"


@pytest.mark.parametrize("value", ["yesterday", "2026-13-01T00:00:00Z", 1773135000, None])
def test_a_timestamp_that_is_not_one_is_rejected(value: Any) -> None:
    assert read_error(case_document(received_at=value)).field == "received_at"


def test_z_means_utc() -> None:
    zulu = case_from_document(case_document(received_at="2026-03-10T09:30:00Z"))
    offset = case_from_document(case_document(received_at="2026-03-10T10:30:00+01:00"))
    assert zulu.received_at == offset.received_at


# --- required parts and enums ----------------------------------------------------------------


@pytest.mark.parametrize("incidents", [[], None], ids=["empty", "missing"])
def test_a_case_needs_at_least_one_incident(incidents: Any) -> None:
    error = read_error(case_document(incidents=incidents))
    assert error.field == "incidents"
    assert "at least one incident" in error.problem


@pytest.mark.parametrize(
    ("changes", "path", "options"),
    [
        ({"channel": "fax"}, "channel", ["telephone", "writing", "in_person", "website"]),
        ({"severity": "urgent"}, "severity", ["serious", "general"]),
        ({"source": {"kind": "anonymous"}}, "source.kind", ["direct", "third_party"]),
        (
            {"source": {"kind": "third_party", "organisation": "press"}},
            "source.organisation",
            ["police", "mp", "local_authority", "other"],
        ),
        ({"hate_strands": ["race", "age"]}, "hate_strands[1]", [h.value for h in HateStrand]),
        (
            {"consent_to_share": {"status": "maybe"}},
            "consent_to_share.status",
            ["given", "refused", "not_asked"],
        ),
        ({"status": {"state": "pending"}}, "status.state", ["open", "closed"]),
    ],
)
def test_a_wrong_choice_names_the_field_and_lists_the_options(
    changes: dict[str, Any], path: str, options: list[str]
) -> None:
    error = read_error(case_document(**changes))
    assert error.field == path
    assert all(option in error.problem for option in options)


def test_a_missing_choice_lists_the_options_too() -> None:
    doc = case_document()
    del doc["severity"]
    error = read_error(doc)
    assert error.field == "severity"
    assert "serious, general" in error.problem


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"format": "asb-case/2"}, "format"),
        ({"id": "case-1"}, "id"),
        ({"source": {"kind": "direct", "organisation": "police"}}, "source.organisation"),
        ({"complainant": {"name": "Ann"}}, "complainant.anonymous"),
        ({"complainant": {"anonymous": "no"}}, "complainant.anonymous"),
        ({"status": {"state": "closed"}}, "status.reason"),
        ({"frequency": 3}, "frequency"),
        ({"involved": {"name": "X"}}, "involved"),
        ({"witnesses": ["Wyn"]}, "witnesses[0]"),
        ({"targeting": False}, "targeting"),
        ({"source": "police"}, "source"),
        ({"complainant": []}, "complainant"),
    ],
)
def test_a_wrong_value_is_an_input_error_naming_the_field(
    changes: dict[str, Any], path: str
) -> None:
    assert read_error(case_document(**changes)).field == path


def test_an_incident_needs_a_description() -> None:
    doc = case_document()
    doc["incidents"][0]["description"] = "   "
    assert read_error(doc).field == "incidents[0].description"


def test_an_incident_without_an_id_gets_the_same_one_on_every_import() -> None:
    doc = case_document()
    del doc["incidents"][0]["id"]
    doc["incidents"].append({"occurred_at": "2026-03-08T21:00:00Z", "description": "Again"})
    first = case_from_document(doc).incidents
    assert [i.id for i in case_from_document(copy.deepcopy(doc)).incidents] == [i.id for i in first]
    assert first[0].id != first[1].id
    assert all(i.id for i in first)


def test_an_incident_id_used_twice_is_rejected() -> None:
    doc = case_document()
    doc["incidents"].append(
        {"id": "inc-1", "occurred_at": "2026-03-08T21:00:00Z", "description": "x"}
    )
    error = read_error(doc)
    assert error.field == "incidents[1].id"
    assert "used twice" in error.problem


@pytest.mark.parametrize("document", [[], "{}", None, 42])
def test_a_document_that_is_not_an_object_is_rejected(document: Any) -> None:
    assert "JSON object" in str(read_error(document))


def test_the_id_is_kept_as_given() -> None:
    assert case_from_document(case_document()).id == CASE_ID


# --- the words people give are kept ----------------------------------------------------------


def test_ten_thousand_characters_of_free_text_are_kept_whole() -> None:
    statement = ("Line of a long statement, with “quotes” — and dashes.\n" * 200)[:9_999] + "!"
    assert len(statement) == 10_000
    doc = case_document()
    doc["incidents"][0]["description"] = statement
    doc["incidents"][0]["how_it_made_them_feel"] = statement
    case = case_from_document(doc)
    assert case.incidents[0].description == statement
    again = case_from_document(json.loads(json.dumps(written(doc))))
    assert again.incidents[0].how_it_made_them_feel == statement


def test_names_with_accents_apostrophes_and_hyphens_are_kept() -> None:
    doc = case_document(
        complainant={"anonymous": False, "name": NAME, "address": "1 Łódź Street"},
        involved=[{"name": NAME}],
        witnesses=[{"name": NAME}],
    )
    exported = json.loads(json.dumps(written(doc), ensure_ascii=False))
    assert exported["complainant"]["name"] == NAME
    assert exported["involved"][0]["name"] == NAME
    assert exported["witnesses"][0]["name"] == NAME
    assert case_from_document(exported).complainant.address == "1 Łódź Street"
