"""The shared wire format: what "the same op" means, and what it refuses before any database."""

from __future__ import annotations

import re
import uuid

import pytest
from pydantic import ValidationError

from asb_desktop.sync.protocol import CaseOp, PushRequest, check_json_value, op_body_hash


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
