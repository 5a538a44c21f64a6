"""Properties of the case document over generated input: any valid document survives
read -> write -> read unchanged, and any wrong value gives an InputError, never a crash."""

from __future__ import annotations

import copy
import json
from datetime import datetime, timedelta, timezone
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from asb_desktop.domain.calendar import WorkingDayCalendar
from asb_desktop.domain.case import Channel, ConsentStatus, HateStrand, Organisation, Severity
from asb_desktop.domain.document import case_from_document, case_to_document
from asb_desktop.domain.errors import InputError
from asb_desktop.domain.procedure import evaluate
from tests.domain.domain_builders import case_document, directory

ENGLAND = WorkingDayCalendar()
PROPERTY = settings(max_examples=60, deadline=None)

words = st.text(max_size=40) | st.none()
needed_words = st.text(min_size=1, max_size=40).filter(lambda s: s.strip() != "")
offsets = st.integers(-14 * 4, 14 * 4).map(lambda q: timezone(timedelta(minutes=15 * q)))


@st.composite
def timestamps(draw: st.DrawFn) -> str:
    naive = draw(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2060, 12, 31)))
    return naive.replace(tzinfo=draw(offsets)).isoformat()


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    anonymous = draw(st.booleans())
    third_party = draw(st.booleans())
    complainant: dict[str, Any] = {"anonymous": anonymous, "is_employee": draw(st.booleans())}
    if not anonymous:
        complainant.update({k: draw(words) for k in ("name", "address", "phone", "email")})
    status = draw(st.sampled_from(list(ConsentStatus)))
    bases = [None, "information_sharing_protocol"] + (["consent"] if status == "given" else [])
    incident = st.fixed_dictionaries(
        {"occurred_at": timestamps(), "description": needed_words},
        optional={
            "id": needed_words,
            "location": words,
            "how_it_made_them_feel": words,
            "effect_since": words,
            "measures_taken": words,
        },
    )
    return case_document(
        received_at=draw(timestamps()),
        channel=draw(st.sampled_from(list(Channel))).value,
        severity=draw(st.sampled_from(list(Severity))).value,
        source={
            "kind": "third_party" if third_party else "direct",
            "organisation": draw(st.sampled_from([*Organisation, None])) if third_party else None,
            "organisation_name": draw(words),
        },
        estate=draw(words),
        supported_scheme=draw(words),
        complainant=complainant,
        incidents=draw(
            st.lists(incident, min_size=1, max_size=3, unique_by=lambda i: i.get("id", "").strip())
        ),
        frequency=draw(words),
        involved=draw(
            st.lists(
                st.fixed_dictionaries({"name": words, "is_employee": st.booleans()}), max_size=2
            )
        ),
        targeting={"targeted": draw(st.booleans()), "reason": draw(words)},
        hate_strands=[h.value for h in draw(st.lists(st.sampled_from(list(HateStrand))))],
        witnesses=draw(st.lists(st.fixed_dictionaries({"account": words}), max_size=2)),
        consent_to_share={"status": status.value, "basis": draw(st.sampled_from(bases))},
        colleague_harassment=draw(st.booleans()),
    )


def exported(doc: dict[str, Any]) -> dict[str, Any]:
    case = case_from_document(doc)
    return case_to_document(case, evaluate(case, directory(), ENGLAND))


@PROPERTY
@given(doc=documents())
def test_any_valid_document_reads_back_as_the_same_case(doc: dict[str, Any]) -> None:
    first = case_from_document(doc)
    out = json.loads(json.dumps(exported(doc)))
    assert case_from_document(out) == first
    assert exported(out) == out


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path] if path else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*path, index))
    return found


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=4,
)


@PROPERTY
@given(doc=documents(), data=st.data(), value=json_values)
def test_any_wrong_value_anywhere_is_an_input_error_or_still_a_case(
    doc: dict[str, Any], data: st.DataObject, value: Any
) -> None:
    path = data.draw(st.sampled_from(_paths(doc)))
    changed = copy.deepcopy(doc)
    target: Any = changed
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    try:
        case_from_document(changed)
    except InputError as error:
        assert error.field and error.problem
