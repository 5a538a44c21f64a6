"""The shipped JSON Schema describes exactly the documents the project reads and writes."""

from __future__ import annotations

import json

import jsonschema
import pytest

from asb_desktop.domain.calendar import WorkingDayCalendar
from asb_desktop.domain.directory import parse_directory
from asb_desktop.domain.document import (
    COMPUTED_KEYS,
    FACT_KEYS,
    case_from_document,
    case_to_document,
)
from asb_desktop.domain.procedure import evaluate
from asb_desktop.domain.validation import checked_case
from asb_desktop.support.synthetic import synthetic_cases
from tests.paths import REPO

RESOURCES = REPO / "resources"
SCHEMA = json.loads((RESOURCES / "schema" / "case-document-v1.schema.json").read_text())
DIRECTORY = parse_directory(json.loads((RESOURCES / "demo" / "directory.json").read_text()))
VALIDATOR = jsonschema.Draft202012Validator(
    SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)


def test_schema_names_every_key_the_reader_accepts() -> None:
    assert set(SCHEMA["properties"]) == set(FACT_KEYS | COMPUTED_KEYS)


@pytest.mark.parametrize("document", synthetic_cases(40, seed=11))
def test_inputs_and_exports_are_valid(document) -> None:
    VALIDATOR.validate(document)
    case = case_from_document(document)
    VALIDATOR.validate(case_to_document(case, evaluate(case, DIRECTORY, WorkingDayCalendar())))


def test_schema_rejects_what_the_reader_rejects() -> None:
    document = synthetic_cases(1)[0]
    for broken in (
        {**document, "received_at": "2026-11-24T09:00:00"},
        {**document, "colour": "red"},
        {**document, "incidents": []},
        {**document, "complainant": {"anonymous": True, "name": "Named"}},
    ):
        assert not VALIDATOR.is_valid(broken)
        with pytest.raises(ValueError):
            case_from_document(broken)


def test_schema_states_the_limits_the_check_holds_every_path_to() -> None:
    from asb_desktop.domain import limits

    document = synthetic_cases(1)[0]
    incident = {k: v for k, v in document["incidents"][0].items() if k != "id"}
    for broken in (
        {**document, "frequency": "Weekly\x1b[2J"},
        {**document, "frequency": "Weekly\x00"},
        {**document, "frequency": "x" * (limits.MAX_TEXT + 1)},
        {**document, "estate": "E" * (limits.MAX_CODE + 1)},
        {**document, "incidents": [incident] * (limits.MAX_ITEMS["incidents"] + 1)},
    ):
        assert not VALIDATOR.is_valid(broken)
        with pytest.raises(ValueError):
            checked_case(broken)
    VALIDATOR.validate({**document, "frequency": "Weekly,\n\tsince May"})
