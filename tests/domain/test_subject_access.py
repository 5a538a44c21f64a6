"""domain/subject_access.py: who matches (name and address folded; a partial match apart), and
what of other people is withheld."""

from __future__ import annotations

from asb_desktop.domain.subject_access import (
    Subject,
    find_subject,
    folded_key,
    identity_pattern,
    subject_access_document,
)

ZOE = Subject(name="Zoë O'Brien-Łukasiewicz", address="108 Park View, Testtown")


def _case(case_id: str, **people: object) -> dict[str, object]:
    return {"id": case_id, "reference": None, "incidents": [], **people}


def test_names_and_addresses_are_compared_folded() -> None:
    assert folded_key("ZOE  O'BRIEN LUKASIEWICZ") == folded_key("Zoë O'Brien-Łukasiewicz")
    assert folded_key("108 park view testtown") == folded_key("108 Park View, Testtown.")


def test_both_must_match_and_a_partial_match_is_only_listed() -> None:
    cases = [
        _case("a", complainant={"anonymous": False, "name": "zoe o'brien lukasiewicz",
                                "address": "108 PARK VIEW TESTTOWN"}),
        _case("b", witnesses=[{"name": ZOE.name, "address": "22 Far Street"}]),
        _case("c", involved=[{"name": "Sam Other", "address": ZOE.address}]),
        _case("d", complainant={"anonymous": True}),
    ]  # fmt: skip
    found = find_subject(cases, ZOE)
    assert found.case_ids == ["a"]
    assert [(p.case_id, p.role, p.matched) for p in found.partial] == [
        ("b", "witness", "name"),
        ("c", "involved", "address"),
    ]


def test_other_people_are_withheld_and_repeats_of_them_scrubbed() -> None:
    case = _case(
        "a",
        complainant={"anonymous": False, "name": "Ann Other", "address": "1 Elm Row",
                     "phone": "07700 900111"},
        witnesses=[{"name": ZOE.name, "address": ZOE.address, "account": "Ann Other shouted"}],
        incidents=[{"occurred_at": "2026-03-09T22:00:00Z", "description": "Call 07700900111",
                    "how_it_made_them_feel": "Ann's feelings"}],
    )  # fmt: skip
    document = subject_access_document(
        find_subject([case], ZOE), ZOE, produced_at="2026-12-01T10:00:00Z", produced_by="Hana Ali"
    )
    [extract] = document["cases"]
    assert extract["roles"] == ["witness"] and extract["others_withheld"] == 1
    assert extract["held_about_them"][0]["account"] == "[withheld] shouted"
    assert extract["incidents"][0] == {
        "occurred_at": "2026-03-09T22:00:00Z",
        "reported_at": None,
        "location": None,
        "description": "Call [withheld]",
    }  # fmt: skip  (a witness is not given the complainant's impact statements)
    assert "Ann" not in str(document) and "Elm Row" not in str(document)


def test_nobody_found_is_a_document_saying_so() -> None:
    document = subject_access_document(
        find_subject([], ZOE), ZOE, produced_at="2026-12-01T10:00:00Z", produced_by="Hana Ali"
    )
    assert document["nothing_held"] is True and document["cases"] == []


def test_whole_values_go_before_single_words() -> None:
    pattern = identity_pattern([{"name": "Marker Perpetrator", "address": "9 Hidden Close"}])
    assert pattern is not None
    assert pattern.sub("[w]", "Marker Perpetrator, of 9 Hidden Close") == "[w], of [w]"
