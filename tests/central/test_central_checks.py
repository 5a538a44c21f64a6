"""A new case is checked once at the centre (`checks.new_case_refusal`): on every broken rule
and on valid documents, the answer is the one the whole check of the case as it would be stored
(`rules_refusal`, which writes the case out and checks that document again) gives, word for word.
No server: these are the functions the push calls."""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asb_central.checks import new_case_refusal, prepare, rules_refusal
from asb_desktop.sync.protocol import CaseOp
from tests.central.test_central_rules import RULES_DIRECTORY, broken_sets, valid_documents

SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def both_answers(doc: dict[str, Any]) -> tuple[str | None, str | None] | None:
    """(checked once, checked whole) for a document `prepare` lets through; None otherwise."""
    prepared = prepare(CaseOp(op_id=uuid.uuid4(), case_id=doc["id"], document=doc))
    if prepared.case is None:
        return None
    case, filled_in = prepared.case, prepared.case.recorded_by is None
    if filled_in:
        case = replace(case, recorded_by="s-tl")  # as the push fills it in
    once = new_case_refusal(case, RULES_DIRECTORY, filled_in=filled_in)
    whole = rules_refusal(case, None, RULES_DIRECTORY)
    return (once and once.detail.message, whole and whole.detail.message)


@SETTINGS
@given(broken=broken_sets())
def test_a_new_case_checked_once_is_refused_in_the_words_of_the_whole_check(
    broken: list[tuple[str, dict[str, Any], str, str]],
) -> None:
    judged = 0
    for name, doc, _field, _words in broken:
        answers = both_answers(doc)
        if answers is None:
            continue  # refused by `prepare` already (limits, shape): the same path as before
        once, whole = answers
        assert once == whole, name
        judged += 1
    assert judged > 0  # some rules are only judged in the batch


@SETTINGS
@given(docs=st.lists(valid_documents(), min_size=1, max_size=4))
def test_a_valid_new_case_checked_once_passes_as_the_whole_check_passes(
    docs: list[dict[str, Any]],
) -> None:
    for doc in docs:
        assert both_answers(doc) == (None, None)
