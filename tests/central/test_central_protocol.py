"""The shared wire format: what "the same op" means, and what it refuses before any database."""

from __future__ import annotations

import re
import uuid

import pytest
from pydantic import BaseModel, ValidationError

from asb_desktop.sync.protocol import (
    CaseOp,
    ChangesResponse,
    PushRequest,
    check_json_value,
    op_body_hash,
)


def case_op(**changes: object) -> CaseOp:
    fields: dict[str, object] = {
        "op_id": str(uuid.uuid4()),
        "case_id": "6f1c2b9e-3d4a-4e5f-8a7b-1c2d3e4f5a6b",
        "document": {"severity": "general", "incidents": [{"id": "a"}]},
    }
    fields.update(changes)
    return CaseOp.model_validate(fields)


def test_the_body_hash_ignores_the_op_id_and_key_order_but_not_content() -> None:
    first = case_op()
    reordered = case_op(document={"incidents": [{"id": "a"}], "severity": "general"})
    assert op_body_hash(first) == op_body_hash(reordered)
    assert op_body_hash(first) != op_body_hash(case_op(document={"severity": "serious"}))
    assert op_body_hash(first) != op_body_hash(case_op(base_revision=3))
    assert op_body_hash(case_op(resolves=[2, 1])) == op_body_hash(case_op(resolves=[1, 2, 2]))


@pytest.mark.parametrize(
    ("value", "where"),
    [
        ({"a": "x\x00"}, "document.a"),
        ({"a": ["ok", "\ud800"]}, "document.a[1]"),
        ({"\x00": 1}, "document (a key)"),
        ({"a": float("nan")}, "document.a"),
    ],
)
def test_json_a_database_could_not_hold_is_named(value: object, where: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(where)}: "):
        check_json_value(value)


def test_envelopes_are_strict() -> None:
    with pytest.raises(ValidationError):
        case_op(unexpected=True)
    with pytest.raises(ValidationError):
        case_op(base_revision=0)
    with pytest.raises(ValidationError):
        PushRequest.model_validate({"ops": []})


def test_a_pull_answer_without_tombstones_or_with_later_fields_still_reads() -> None:
    """`gone` is an addition: an older server's answer has none, and an older laptop's model
    (no `gone`) reads a newer answer, ignoring what it does not know."""
    old = ChangesResponse.model_validate(
        {"checkpoint": 3, "more": False, "cases": [], "directory_version": 1}
    )
    assert old.gone == []
    newer = {"checkpoint": 3, "more": False, "cases": [], "directory_version": 1,
             "gone": [{"case_id": str(uuid.uuid4()), "reason": "destroyed"}], "later": 1}  # fmt: skip
    assert ChangesResponse.model_validate(newer).gone[0].reason == "destroyed"

    class OlderChanges(BaseModel):  # what a laptop before tombstones parses
        checkpoint: int
        more: bool
        cases: list[dict[str, object]]
        directory: dict[str, object] | None = None
        directory_version: int

    assert OlderChanges.model_validate(newer).checkpoint == 3
