"""Malformed, oversized and hostile requests: a 4xx naming what is wrong, never a 500, nothing stored."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from asb_desktop.sync.protocol import MAX_BODY_BYTES, MAX_OPS_PER_PUSH
from tests.central.central_support import Device, Server, case_document, op, query


@pytest.fixture(scope="module")
def officer(central: Server) -> Iterator[Device]:
    device = Device(central, "s-ho")
    yield device
    device.http.close()


def raw_push(device: Device, body: bytes) -> httpx.Response:
    return device.http.post("/v1/push", content=body, headers={"Content-Type": "application/json"})


def error_of(response: httpx.Response) -> dict[str, Any]:
    assert 400 <= response.status_code < 500, (response.status_code, response.text)
    error: dict[str, Any] = response.json()["error"]
    assert error["message"]
    return error


def stored_cases(server: Server) -> int:
    return int(query(server, "SELECT count(*) FROM cases")[0][0])


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        (b"{not json", 400, "(body)"),
        (b"", 422, "(body)"),
        (b"[]", 422, "(body)"),
        (b'{"ops": "everything"}', 422, "ops"),
        (b'{"ops": []}', 422, "ops"),
        (b'{"ops": [{}]}', 422, "ops[0].op_id"),
        (b'{"ops": [], "drop": "table"}', 422, "ops"),
        (b"[" * 200_000 + b"]" * 200_000, 400, "(body)"),
        (b'{"ops": [' + b"[" * 100_000 + b"]" * 100_000 + b"]}", 400, "(body)"),
    ],
    ids=[
        "not-json",
        "empty",
        "list",
        "ops-not-list",
        "no-ops",
        "op-empty",
        "extra",
        "deep",
        "deep-op",
    ],
)
def test_malformed_bodies(officer: Device, body: bytes, status: int, field: str) -> None:
    response = raw_push(officer, body)
    assert response.status_code == status, response.text
    assert error_of(response)["field"] == field


def _op_with(**changes: Any) -> dict[str, Any]:
    sent = op(case_document())
    sent.update(changes)
    return sent


@pytest.mark.parametrize(
    ("sent", "field"),
    [
        (_op_with(op_id="not-a-uuid"), "ops[0].op_id"),
        (_op_with(case_id=42), "ops[0].case_id"),
        (_op_with(base_revision=0), "ops[0].base_revision"),
        (_op_with(base_revision=10**40), "ops[0].base_revision"),
        (_op_with(base_revision="1; DROP TABLE cases"), "ops[0].base_revision"),
        (_op_with(document=["not", "an", "object"]), "ops[0].document"),
        (_op_with(resolves=[-1]), "ops[0].resolves[0]"),
        (_op_with(extra_key=True), "ops[0].extra_key"),
    ],
    ids=["op-id", "case-id", "base-zero", "base-huge", "base-sql", "doc-list", "resolves", "extra"],
)
def test_bad_op_envelopes_name_the_field(officer: Device, sent: dict[str, Any], field: str) -> None:
    response = officer.http.post("/v1/push", json={"ops": [sent]})
    assert response.status_code == 422, response.text
    assert error_of(response)["field"] == field


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('"Loud \\u0000 music"', "NUL"),
        ('"Loud \\ud800 music"', "surrogate"),
    ],
    ids=["nul", "lone-surrogate"],
)
def test_text_a_database_cannot_hold_is_refused(
    central: Server, officer: Device, text: str, problem: str
) -> None:
    doc = case_document(estate="EST-NORTH")
    body = json.dumps({"ops": [op(doc)]}).replace('"Loud music"', text)
    before = stored_cases(central)
    response = raw_push(officer, body.encode())
    assert response.status_code == 200, response.text  # the batch is fine; this op is not
    [result] = response.json()["results"]
    assert (result["status"], result["code"]) == ("invalid", 422)
    assert result["error"]["field"] == "document.incidents[0].description"
    assert problem in result["error"]["message"]
    assert stored_cases(central) == before


def test_nesting_beyond_any_case_document_is_refused(officer: Device) -> None:
    deep: Any = "x"
    for _ in range(40):
        deep = {"a": deep}
    [result] = officer.push(op(case_document(frequency=deep)))
    assert result["code"] == 422
    assert result["error"]["field"].startswith("document.frequency.a.a")
    assert "nested more than" in result["error"]["message"]


def test_documents_breaking_the_contract_are_invalid_per_op(
    central: Server, officer: Device
) -> None:
    hostile = [
        case_document(unknown_field="x"),
        case_document(received_at="2026-03-10T09:30:00"),  # no offset
        case_document(incidents=[]),
        case_document(complainant={"anonymous": True, "name": "Should Not Be Here"}),
        case_document(frequency="x" * 100_001),
        case_document(format="asb-case/2"),
        case_document(severity=None),
        case_document(received_at="9999-12-31T23:00:00Z"),
        case_document(estate="E" * 201),
    ]
    before = stored_cases(central)
    results = officer.push(*[op(d) for d in hostile])
    fields = [r["error"]["field"] for r in results]
    assert [r["code"] for r in results] == [422] * len(hostile)
    assert fields == [
        "document.unknown_field",
        "document.received_at",
        "document.incidents",
        "document.complainant.name",
        "document.frequency",
        "document.format",
        "document.severity",
        "document.received_at",
        "document.estate",
    ]
    assert stored_cases(central) == before


def test_too_many_ops_in_one_push(officer: Device) -> None:
    ops = [op(case_document()) for _ in range(MAX_OPS_PER_PUSH + 1)]
    response = officer.http.post("/v1/push", json={"ops": ops})
    assert response.status_code == 422
    assert error_of(response)["field"] == "ops"


def test_an_oversized_body_is_413_whether_declared_or_streamed(officer: Device) -> None:
    big = b" " * (MAX_BODY_BYTES + 1)
    declared = raw_push(officer, big)
    assert declared.status_code == 413
    assert error_of(declared)["field"] == "(body)"

    def chunks() -> Iterator[bytes]:
        for _ in range(MAX_BODY_BYTES // 65_536 + 2):
            yield b" " * 65_536

    streamed = officer.http.post(
        "/v1/push", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert streamed.status_code == 413
    assert "larger than" in error_of(streamed)["message"]


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/v1/cases/not-a-uuid", 422),
        ("GET", "/v1/cases/5e1f0c5e-0000-4000-8000-00000000d1e0", 404),
        ("GET", "/v1/changes?since=-1", 422),
        ("GET", "/v1/changes?limit=100000", 422),
        ("GET", "/v1/changes?since=99999999999999999999999", 422),
        ("GET", "/v1/nothing-here", 404),
        ("DELETE", "/v1/push", 405),
        ("GET", "/v1/../../etc/passwd", 404),
    ],
)
def test_bad_paths_and_queries(officer: Device, method: str, path: str, status: int) -> None:
    response = officer.http.request(method, path)
    assert response.status_code == status, response.text
    error_of(response)


def test_enrolment_input_is_checked(central: Server) -> None:
    for body in ({"code": ""}, {"code": "x" * 65}, {"code": "AAAA", "device_name": "\u0000"}, {}):
        response = httpx.post(f"{central.url}/v1/enrol", json=body, timeout=60)
        assert response.status_code == 422, response.text
        assert error_of(response)["field"] in ("code", "device_name")


def test_a_key_given_twice_in_a_document_refuses_that_op_as_import_does(
    central: Server, officer: Device
) -> None:
    from asb_desktop.domain.json_input import loads
    from asb_desktop.domain.validation import check_document

    good, twice = case_document(), case_document(estate="EST-NORTH")
    text = json.dumps(twice)
    doubled = text.replace('"estate": "EST-NORTH"', '"estate": "EST-NORTH", "estate": "EST-SOUTH"')
    doubled = doubled.replace('"id": "inc-1"', '"id": "inc-1", "id": "inc-2"')
    body = (
        "{"
        + f'"ops": [{json.dumps(op(good))}, {json.dumps(op(twice)).replace(text, doubled)}]'
        + "}"
    )
    before = stored_cases(central)
    response = raw_push(officer, body.encode())
    assert response.status_code == 200, response.text
    first, second = response.json()["results"]
    assert first["status"] == "applied"  # the other op of the batch is not held up
    assert (second["status"], second["code"]) == ("invalid", 422)
    central_words = second["error"]["message"]
    assert "document.estate: is given more than once in one object" in central_words
    assert "document.incidents[0].id: is given more than once in one object" in central_words
    assert stored_cases(central) == before + 1
    laptop = check_document(loads(doubled, "f.json"), rules=False).problems.kept  # as import
    assert len(laptop) == 2
    for problem in laptop:
        assert f"document.{problem.field}: {problem.problem}" in central_words


def test_a_key_given_twice_outside_the_documents_refuses_the_request(officer: Device) -> None:
    sent = json.dumps(op(case_document()))
    body = "{" + f'"ops": [{sent}], "ops": [{sent}]' + "}"
    response = raw_push(officer, body.encode())
    assert response.status_code == 422
    assert error_of(response) == {
        "message": "ops: is given more than once in one object",
        "field": "ops",
    }
