"""When a letter may go to the complainant (5.8, the agreed adjustments, the case's state), and
when it is large print: the phrases read from `complainant.adjustments`."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from asb_desktop.domain.case import CaseState, Complainant, FirstResponse, Status
from asb_desktop.domain.letters import (
    LetterKind,
    kinds_open_to,
    letter_refusal,
    letters_ruled_out,
    wants_large_print,
)
from asb_desktop.support.synthetic import synthetic_cases
from tests.domain.domain_builders import case

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def _case(**complainant: object):  # type: ignore[no-untyped-def]
    person = Complainant(anonymous=False, name="Ann Example", address="1 High St", **complainant)  # type: ignore[arg-type]
    return case(complainant=person, first_response=FirstResponse(at=NOW, by="s", summary="Rang"))


@pytest.mark.parametrize(
    "words",
    [
        "No letters please",
        "Do not write to the home address",
        "Don't post anything",
        "Phone only",
        "contact by email only",
        "Only by text message",
        "Prefers calls, never by post",
    ],
)
def test_adjustments_that_rule_letters_out(words: str) -> None:
    assert letters_ruled_out(words)
    assert "rule out letters" in (letter_refusal(_case(adjustments=words)) or "")


@pytest.mark.parametrize(
    "words",
    [None, "", "Large print", "Mornings are best", "Interpreter for calls", "Write clearly"],
)
def test_adjustments_that_do_not(words: str | None) -> None:
    assert not letters_ruled_out(words)
    assert letter_refusal(_case(adjustments=words), LetterKind.UPDATE) is None


@pytest.mark.parametrize(
    ("words", "large"),
    [("Large print", True), ("needs larger type", True), ("LARGE-PRINT", True),
     ("big font please", True), ("print it out", False), (None, False)],
)  # fmt: skip
def test_large_print(words: str | None, large: bool) -> None:
    assert wants_large_print(words) is large


def test_anonymous_is_refused_first() -> None:
    anonymous = case(complainant=Complainant(anonymous=True))
    for kind in LetterKind:
        assert letter_refusal(anonymous, kind) == (
            "The complainant is anonymous: no letter can be sent to them (5.8)."
        )
    assert kinds_open_to(anonymous) == []


def test_which_letter_fits_the_case() -> None:
    fresh = replace(_case(), first_response=None)
    assert kinds_open_to(fresh) == [LetterKind.ACKNOWLEDGEMENT]
    assert kinds_open_to(_case()) == [LetterKind.ACKNOWLEDGEMENT, LetterKind.UPDATE]
    closed = replace(_case(), status=Status(state=CaseState.CLOSED, reason="Done", at=NOW))
    assert kinds_open_to(closed) == [LetterKind.CLOSURE]
    no_address = case(complainant=Complainant(anonymous=False, name="Ann"))
    assert "no address" in (letter_refusal(no_address) or "")


def test_a_letters_disclosure_reads_and_writes_as_the_schema_says() -> None:
    """`letter_pdf`/`letter_docx` to the complainant (profile `complainant`): read, written back
    the same, valid against the shipped schema, and said in words for the History tab."""
    from asb_desktop.domain.calendar import WorkingDayCalendar
    from asb_desktop.domain.disclosure import disclosed_words
    from asb_desktop.domain.document import case_from_document, case_to_document
    from asb_desktop.domain.procedure import evaluate
    from tests.domain.test_case_schema import DIRECTORY, VALIDATOR

    document = synthetic_cases(1, seed=5)[0]
    given = [
        {"at": "2026-12-01T10:00:00+00:00", "by": "s-ha", "to": "the complainant",
         "profile": "complainant", "what": what}
        for what in ("letter_pdf", "letter_docx")
    ]  # fmt: skip
    document["disclosures"] = given
    VALIDATOR.validate(document)
    case = case_from_document(document)
    written = case_to_document(case, evaluate(case, DIRECTORY, WorkingDayCalendar()))
    VALIDATOR.validate(written)
    assert written["disclosures"] == given
    assert disclosed_words("letter_docx", "complainant") == "letter (Word document)"
