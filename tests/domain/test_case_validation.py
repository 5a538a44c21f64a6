"""The one check every path in makes (domain/validation.py): the limits, the shape and the rules,
every problem of a document named by field, never only the first."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from asb_desktop.domain import limits
from asb_desktop.domain.errors import InputError, InvalidDocument
from asb_desktop.domain.json_input import NotReadable, loads
from asb_desktop.domain.validation import check_document, checked_case, document_bytes
from asb_desktop.sync import protocol
from tests.domain.domain_builders import case_document


def problems_of(document: Any) -> list[tuple[str, str]]:
    checked = check_document(document)
    assert checked.case is None
    return [(p.field, p.problem) for p in checked.problems.kept]


def fields_of(document: Any) -> list[str]:
    return [field for field, _ in problems_of(document)]


def test_a_record_with_four_problems_lists_all_four() -> None:
    document = case_document(supported_scheme=None, colour="red")
    document["incidents"][0]["description"] = "Shouting\x1b[2J"
    document["incidents"][0]["occurred_at"] = "2026-03-09T22:00:00"
    document["referral"] = {
        "to_role": "housing_officer",
        "reason": "Persistent",
        "at": "2026-03-11T10:00:00Z",
        "by": "s-ic",
    }
    assert fields_of(document) == [
        "incidents[0].description",  # the limits first
        "colour",  # then the shape
        "incidents[0].occurred_at",
        "referral",  # then the rules on what could be read
    ]
    with pytest.raises(InvalidDocument) as caught:
        checked_case(document)
    assert caught.value.count == 4
    assert "incidents[0].description" in str(caught.value) and "colour" in str(caught.value)


def test_a_rule_is_not_judged_on_a_value_that_could_not_be_read() -> None:
    document = case_document(supported_scheme="SCH-OAK")
    document["resolution_attempts"] = [
        {"at": "yesterday", "by": "s-ic", "description": "Letter", "successful": False}
    ]
    document["referral"] = {
        "to_role": "housing_officer",
        "reason": "Persistent",
        "at": "2026-03-11T10:00:00Z",
        "by": "s-ic",
    }
    assert fields_of(document) == ["resolution_attempts[0].at"]  # not also "referral"


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("a\x00b", "NUL"),
        ("a\x07b", "BEL"),
        ("a\x08b", "backspace"),
        ("a\x1bb", "ESC"),
        ("a\rb", "carriage return"),
        ("a\x7fb", "DEL"),
        ("a\x85b", "a control character"),
        ("a\x01b", "a control character"),
    ],
)
def test_control_characters_other_than_tab_and_newline_are_refused(text: str, named: str) -> None:
    [(field, problem)] = problems_of(case_document(frequency=text))
    assert field == "frequency"
    assert named in problem and "at character 2" in problem


def test_a_lone_surrogate_is_refused_in_a_value_and_in_a_key() -> None:
    [(field, problem)] = problems_of(case_document(frequency="x\ud800"))
    assert (field, "lone surrogate (U+D800)" in problem) == ("frequency", True)
    document = case_document()
    document["incidents"][0]["\udc00"] = "x"
    found = problems_of(document)
    assert found[0][0] == "incidents[0].'\\udc00' (a key)"
    assert "lone surrogate" in found[0][1]


def test_tab_newline_and_any_real_script_are_kept() -> None:
    text = "Zoë said:\n\t« Ça suffit » — Łukasz, 日本語, 🙂"
    assert checked_case(case_document(frequency=text)).frequency == text


def test_lengths_codes_and_lists_have_limits() -> None:
    assert fields_of(case_document(frequency="x" * (limits.MAX_TEXT + 1))) == ["frequency"]
    checked_case(case_document(frequency="x" * limits.MAX_TEXT))
    assert fields_of(case_document(estate="E" * (limits.MAX_CODE + 1))) == ["estate"]
    incident = {"occurred_at": "2026-03-09T22:00:00Z", "description": "Noise"}
    found = problems_of(case_document(incidents=[incident] * (limits.MAX_ITEMS["incidents"] + 1)))
    assert found == [("incidents", "lists 1,001 items; at most 1,000 are allowed")]


def test_a_hundred_thousand_incidents_are_one_problem_quickly() -> None:
    incident = {"occurred_at": "2026-03-09T22:00:00Z", "description": "Noise"}
    started = time.perf_counter()
    found = problems_of(case_document(incidents=[incident] * 100_000))
    assert found == [("incidents", "lists 100,000 items; at most 1,000 are allowed")]
    assert time.perf_counter() - started < 30


def test_nesting_beyond_any_case_document_is_refused_where_it_goes_too_deep() -> None:
    deep: Any = "x"
    for _ in range(40):
        deep = {"a": deep}
    found = fields_of(case_document(frequency=deep))
    assert found[0] == "frequency" + ".a" * limits.MAX_JSON_DEPTH
    assert "frequency" in found  # and the shape: it must be a string


def test_a_document_too_big_to_send_is_refused() -> None:
    witnesses = [{"name": f"W{i}", "account": "x" * 90_000} for i in range(30)]
    document = case_document(witnesses=witnesses)
    [(field, problem)] = problems_of(document)
    assert field == "(document)" and "bytes as stored and sent" in problem
    fits = case_document(witnesses=witnesses[:20])
    assert document_bytes(checked_case(fits)) < limits.MAX_DOCUMENT_BYTES


def test_the_limits_fit_what_the_central_store_takes_in_one_push() -> None:
    envelope = 1_000  # op_id, case_id, base_revision, resolves, and the JSON around them
    assert limits.MAX_DOCUMENT_BYTES + envelope < protocol.MAX_BODY_BYTES
    assert limits.MAX_JSON_DEPTH == protocol.MAX_JSON_DEPTH


# --- reading JSON text --------------------------------------------------------------------


def test_a_key_given_twice_is_refused_naming_it_even_the_id() -> None:
    text = json.dumps(case_document()).replace('"format"', '"id": "x", "format"', 1)
    found = problems_of(loads(text, "record 1"))
    assert ("id", "is given more than once in one object") in found
    nested = json.dumps(case_document()).replace('"description"', '"location": "a", "location"')
    assert ("incidents[0].location", "is given more than once in one object") in problems_of(
        loads(nested, "record 1")
    )


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[" * 10_000 + "]" * 10_000, "nested too deeply"),
        ("[" + "1" * 5_000 + "]", "5,000 characters"),
        ("[1e999]", "too large"),
        ("[NaN]", "NaN, which is not JSON"),
        ('{"a": ', "not valid JSON"),
    ],
    ids=["deep", "long-number", "huge-float", "nan", "broken"],
)
def test_hostile_json_text_is_a_sentence(text: str, words: str) -> None:
    with pytest.raises(NotReadable) as caught:
        loads(text, "cases.json")
    assert isinstance(caught.value, InputError)
    assert caught.value.field == "cases.json" and words in caught.value.problem


def test_a_shown_value_can_neither_flood_nor_drive_a_terminal() -> None:
    said = limits.shown("\x1b[31m" + "x" * 10_000)
    assert "\x1b" not in said and len(said) < 60
