"""What an op must pass before it is stored: the same check every path in makes.

`prepare` is done outside the writers' lock: the limits (`asb_desktop.domain.limits`: nesting,
characters, lengths, list sizes) and the document's shape, by `domain.validation.check_document`,
the very function `asb-desktop import` and the window's save use. The procedure's rules are
judged inside the batch, by `rules_refusal`, against the case the server holds (a change may not
add a problem; a new fact must fit the central directory): `domain.validation.check_case`, as
the window does. So what import accepts, the central store accepts, in the same words.

A new case is checked once: `check_case` would write the case out and check that document
whole again, but the document `prepare` read has passed the limits and the shape, and a valid
document read, written and read again gives the same case (tests/domain/
test_case_document_properties.py), so `new_case_refusal` judges only what can still differ: the
rules on the case as it will be stored (its `recorded_by` filled in), its size, the directory.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from asb_desktop.domain.case import Case
from asb_desktop.domain.case_rules import case_problems, change_problems
from asb_desktop.domain.directory import Directory
from asb_desktop.domain.errors import InputError
from asb_desktop.domain.limits import MAX_DOCUMENT_BYTES
from asb_desktop.domain.validation import check_case, check_document, document_bytes
from asb_desktop.sync.protocol import CaseOp, ErrorDetail, OpResult, OpStatus, op_body_hash


@dataclass
class Prepared:
    op: CaseOp
    body_hash: str
    case: Case | None = None
    error: ErrorDetail | None = None


def error_detail(problems: Sequence[InputError], count: int | None = None) -> ErrorDetail:
    """Every problem in one answer, each named by its field under `document.`; the first one's
    field is the answer's field."""
    lines = [f"document.{p.field}: {p.problem}" for p in problems]
    more = (count or len(problems)) - len(problems)
    message = "; ".join(lines) + (f"; and {more:,} more problems" if more > 0 else "")
    return ErrorDetail(message=message, field=f"document.{problems[0].field}")


class RulesRefused(InputError):
    """A change the procedure's rules refuse; `detail` is the op's answer."""

    def __init__(self, problems: Sequence[InputError]) -> None:
        self.detail = error_detail(problems)
        super().__init__(self.detail.field or "document", self.detail.message)

    def _message(self) -> str:
        return self.problem


def prepare(op: CaseOp, given_twice: Sequence[str] = ()) -> Prepared:
    """Everything that needs no database: done before the writers' lock is taken.
    `given_twice`: the document's keys the body gave twice (json_body), refused as import does."""
    checked = check_document(op.document, rules=False)
    extra = [InputError(field, "is given more than once in one object") for field in given_twice]
    incidents = op.document.get("incidents")
    for i, incident in enumerate(incidents if isinstance(incidents, list) else []):
        if isinstance(incident, dict) and not incident.get("id"):
            extra.append(InputError(f"incidents[{i}].id", "is required when syncing"))
    if checked.case is not None and checked.case.id != str(op.case_id):
        extra.append(InputError("id", "must equal the op's case_id"))
    if checked.problems or extra:  # (no body hash: a lone surrogate cannot even be hashed)
        found = [*checked.problems.kept, *extra]
        error = error_detail(found, checked.problems.count + len(extra))
        return Prepared(op=op, body_hash="", error=error)
    return Prepared(op=op, body_hash=op_body_hash(op), case=checked.case)


def rules_refusal(after: Case, before: Case | None, directory: Directory) -> RulesRefused | None:
    """The procedure's rules and limits on the case as it would be stored (`before`: as the
    server holds it, None for a new case), against the central directory; None when it may be."""
    problems = check_case(after, before, directory)
    return RulesRefused(problems) if problems else None


def new_case_refusal(case: Case, directory: Directory, *, filled_in: bool) -> RulesRefused | None:
    """`rules_refusal(case, None, directory)` for a case `prepare` read (see the module's doc);
    `filled_in`: its `recorded_by` was filled in since, so its size is not yet known to fit."""
    if filled_in and document_bytes(case) > MAX_DOCUMENT_BYTES:  # the whole check words it
        return rules_refusal(case, None, directory)
    problems = [*case_problems(case, set()), *change_problems(None, case, directory)]
    return RulesRefused(problems) if problems else None


def refused(p: Prepared, status: OpStatus, code: int, error: ErrorDetail) -> OpResult:
    return OpResult(op_id=p.op.op_id, case_id=p.op.case_id, status=status, code=code, error=error)
