"""What an op must pass before the database is touched (done outside the writers' lock)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from asb_desktop.domain.case import Case
from asb_desktop.domain.document import case_from_document
from asb_desktop.domain.errors import InputError
from asb_desktop.sync.protocol import (
    CaseOp,
    ErrorDetail,
    OpResult,
    OpStatus,
    check_json_value,
    op_body_hash,
)


@dataclass
class Prepared:
    op: CaseOp
    body_hash: str
    case: Case | None = None
    error: ErrorDetail | None = None


def prepare(op: CaseOp) -> Prepared:
    """Everything that needs no database: done before the writers' lock is taken."""
    try:
        check_json_value(op.document)
    except ValueError as exc:
        field = str(exc).split(":", 1)[0].removesuffix(" (a key)")
        return Prepared(op=op, body_hash="", error=ErrorDetail(message=str(exc), field=field))
    prepared = Prepared(op=op, body_hash=op_body_hash(op))
    try:
        for i, incident in enumerate(op.document.get("incidents") or []):
            if isinstance(incident, dict) and not incident.get("id"):
                raise InputError(f"incidents[{i}].id", "is required when syncing")
        prepared.case = case_from_document(op.document)
        if prepared.case.id != str(op.case_id):
            raise InputError("id", "must equal the op's case_id")
        check_ranges(prepared.case)
    except InputError as exc:
        prepared.error = ErrorDetail(message=f"document.{exc}", field=f"document.{exc.field}")
    return prepared


def refused(p: Prepared, status: OpStatus, code: int, error: ErrorDetail) -> OpResult:
    return OpResult(op_id=p.op.op_id, case_id=p.op.case_id, status=status, code=code, error=error)


EARLIEST, LATEST = datetime(1900, 1, 1, tzinfo=UTC), datetime(2200, 1, 1, tzinfo=UTC)
COLUMN_TEXT = 200  # estate, scheme and staff id columns hold this many characters


def check_ranges(case: Case) -> None:
    """What the domain reader allows but a column or the calendar cannot hold (year 9999, …)."""
    moments = [("received_at", case.received_at)]
    moments += [
        (f"incidents[{i}].occurred_at", x.occurred_at) for i, x in enumerate(case.incidents)
    ]
    moments += [
        (f"resolution_attempts[{i}].at", a.at) for i, a in enumerate(case.resolution_attempts)
    ]
    moments += [("referral.at", case.referral.at)] if case.referral else []
    moments += [("status.at", case.status.at)] if case.status.at else []
    for where, moment in moments:
        if not EARLIEST <= moment < LATEST:
            raise InputError(where, "must be between the years 1900 and 2199")
    codes = {"estate": case.estate, "supported_scheme": case.supported_scheme}
    codes["recorded_by"] = case.recorded_by
    for where, code in codes.items():
        if code is not None and len(code) > COLUMN_TEXT:
            raise InputError(where, f"is longer than {COLUMN_TEXT} characters")
