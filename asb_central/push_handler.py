"""Push: storing each op once, creating or merging its case, numbering it, recomputing it.

A push is one transaction. It first takes the writers' lock (`Database.lock_changes`), so
batches are applied one at a time and change numbers commit in order (see pull.py). Each op:

1. is looked up by `op_id`: a repeat with the same body from the same user gets the stored first
   answer; a different body, or another user's op, gets `op_id_reused` (409);
2. is checked: JSON sanity, the case document reader, `document.id` = `case_id`, incident ids,
   and access (access.py: seeing the case, and for an op that `resolves` conflicts, settling
   them) — a refusal is that op's result and stores nothing but a refused line in `case_reads`;
3. creates the case, with its permanent reference `ASB-YYYY-NNNNNN`: YYYY is the year of the
   case's `received_at` in Europe/London (the year the report was made), NNNNNN a per-year
   counter read `FOR UPDATE` and written back in the same transaction — no gaps, no repeats,
   on PostgreSQL and SQLite alike, since the writers' lock is held — or merges into it
   (merge.py), recording conflicts;
4. has the computed fields recomputed with the central directory and nation;
5. is appended to the audit (device, user, time, changed fields, document after) and stored in
   `ops` with its answer (op_id is its primary key: an op_id already there fails the whole
   batch rather than answer an op twice).

New rows are written every `SEND_EVERY` applied ops, one COPY per table on PostgreSQL (a
many-row INSERT on SQLite), so a batch of a few hundred cases costs a few dozen round trips. (A
thread sending them while the next ops were worked out was tried: no faster, here or under
load.) The answer is built from each op's
answer as JSON text (the text stored in `ops`), not validated again.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC
from typing import Any, NamedTuple

from sqlalchemy import Connection, bindparam, insert, select, update

from asb_central.access import Caller, may_see, may_settle
from asb_central.checks import Prepared, new_case_refusal, prepare, refused, rules_refusal
from asb_central.db import Database, insert_rows, utcnow
from asb_central.erasure import erase_again
from asb_central.merge import Conflict, merge
from asb_central.presets import organisation_policy
from asb_central.records import (
    Refused,
    case_facts,
    central_rules,
    conflict_of,
    describe_conflicts,
    dumps,
    facts_of,
    log_reads,
    strip_computed,
    who_set,
)
from asb_central.retention import central_policy, destroyed_ids
from asb_central.tables import case_audit, case_conflicts, cases, ops, reference_counters
from asb_desktop.domain.calendar import LONDON
from asb_desktop.domain.case import Case
from asb_desktop.domain.case_review import CaseReview, case_review, complainant_key
from asb_desktop.domain.document import case_from_document, case_to_document
from asb_desktop.domain.errors import InputError
from asb_desktop.domain.procedure import current_outcome
from asb_desktop.sync.protocol import (
    CaseOp,
    ErrorDetail,
    FieldConflict,
    OpResult,
)

SEND_EVERY = 50  # applied ops whose new rows are written together


class _Stored(NamedTuple):
    user_id: str
    body_hash: str
    result: str
    case_id: str
    facts: str | None


def applied_text(op_id: str, case_id: str, row: Mapping[str, Any]) -> str:
    """`OpResult(status="applied", code=200, ...).model_dump_json()` for an op that met no
    conflict, with the case row's stored document text in it as it is (not read into pydantic
    and written out again: the same keys in the same order, the same values)."""
    return (
        f'{{"op_id":"{op_id}","case_id":"{case_id}","status":"applied","code":200,'
        f'"revision":{int(row["revision"])},"reference":{dumps(row["reference"])},'
        f'"change_number":{int(row["change_number"])},"document":{row["document"]},'
        '"conflicts":[],"error":null}'
    )


class _Batch:
    """One push transaction: the writers' lock is held for its whole life."""

    def __init__(self, db: Database, conn: Connection, caller: Caller) -> None:
        self.db, self.conn, self.caller = db, conn, caller
        self.now = utcnow()
        self.first_change = self.last_change = db.lock_changes(conn)
        self.directory, self.calendar = central_rules(conn)
        # The organisation's case-management numbers (presets.py) and retention period.
        self.policy = organisation_policy(conn, central_policy(conn))
        self.destroyed: set[str] = set()  # cases destroyed under retention: never made again
        self.rows: dict[str, dict[str, Any] | None] = {}
        self.stored: dict[str, _Stored] = {}
        self.op_facts = ""  # the facts the op being handled submitted, as stored JSON
        self.references: dict[int, int] = {}
        self.new_cases: dict[str, dict[str, Any]] = {}
        self.changed_cases: dict[str, dict[str, Any]] = {}
        self.audit: list[dict[str, Any]] = []
        self.new_ops: list[dict[str, Any]] = []
        self.read_cases: list[str] = []
        self.refused_cases: list[str] = []  # existing cases the caller was refused (logged)

    def load(self, prepared: list[Prepared]) -> None:
        op_ids = [str(p.op.op_id) for p in prepared]
        op_ids += [str(p.op.base_op_id) for p in prepared if p.op.base_op_id]
        query = select(ops.c.op_id, ops.c.user_id, ops.c.body_hash, ops.c.result, ops.c.case_id)
        query = query.add_columns(ops.c.facts).where(self.db.among(ops.c.op_id, op_ids))
        for row in self.conn.execute(query):
            self.stored[row.op_id] = _Stored(
                row.user_id, row.body_hash, row.result, row.case_id, row.facts
            )
        case_ids = {str(p.op.case_id) for p in prepared}
        self.rows = dict.fromkeys(case_ids)
        for found in self.conn.execute(
            select(cases).where(self.db.among(cases.c.id, list(case_ids)))
        ).mappings():
            self.rows[found["id"]] = dict(found)
        self.destroyed = destroyed_ids(
            self.conn, [c for c, row in self.rows.items() if row is None]
        )

    def handle(self, p: Prepared) -> str:
        """The op's answer, an `OpResult` as JSON text."""
        op_id, case_id = str(p.op.op_id), str(p.op.case_id)
        prior = self.stored.get(op_id)
        if prior is not None:
            if prior.user_id == self.caller.user_id and prior.body_hash == p.body_hash:
                self.read_cases.append(case_id)  # the answer carries the document again
                # Read and written again: an answer stored by an older version gets today's shape.
                return OpResult.model_validate_json(prior.result).model_dump_json()
            message = "this op_id was already used for a different change"
            error = ErrorDetail(message=message, field="op_id")
            return refused(p, "op_id_reused", 409, error).model_dump_json()
        result = self._result(p, case_id)
        if isinstance(result, OpResult):  # refused
            return result.model_dump_json()
        text = result
        who = {"device_id": self.caller.device_id, "user_id": self.caller.user_id}
        self.new_ops.append(
            {"op_id": op_id, "case_id": case_id, "body_hash": p.body_hash, "result": text,
             "facts": self.op_facts, "received_at": self.now, **who}
        )  # fmt: skip
        self.stored[op_id] = _Stored(self.caller.user_id, p.body_hash, text, case_id, self.op_facts)
        self.read_cases.append(case_id)
        if len(self.new_ops) >= SEND_EVERY:
            self._send()
        return text

    def _result(self, p: Prepared, case_id: str) -> OpResult | str:
        """A refusal, or the applied answer's JSON text."""
        if p.error is not None:
            return refused(p, "invalid", 422, p.error)
        assert p.case is not None
        row = self.rows.get(case_id)
        if row is None and case_id in self.destroyed:
            message = "this case was destroyed under the retention rules; it is not recorded again"
            return refused(p, "forbidden", 403, ErrorDetail(message=message, field=None))
        try:
            result = self._create(p, p.case) if row is None else self._update(p, p.case, row)
        except InputError as exc:
            return refused(p, "invalid", 422, ErrorDetail(message=str(exc), field=exc.field))
        except Refused as exc:
            if row is not None:
                self.refused_cases.append(case_id)
            return refused(p, "forbidden", 403, ErrorDetail(message=exc.message, field=None))
        except (ValueError, ArithmeticError) as exc:  # the rules could not work on this case
            message = f"document: the procedure's rules cannot be applied ({type(exc).__name__})"
            return refused(p, "invalid", 422, ErrorDetail(message=message, field="document"))
        return result

    def _next_reference(self, year: int) -> str:
        if year not in self.references:
            query = select(reference_counters.c.last).where(reference_counters.c.year == year)
            if not self.db.is_sqlite:
                query = query.with_for_update()
            self.references[year] = int(self.conn.execute(query).scalar() or 0)
        self.references[year] += 1
        return f"ASB-{year:04d}-{self.references[year]:06d}"

    def _evaluate(self, case: Case, stored: dict[str, Any] | None = None) -> dict[str, Any]:
        """The document with its computed fields: an open case's from the central directory and
        nation now; a closed case keeps what held when it closed (`stored`, as it is held)."""
        review = self._review(case)
        outcome = current_outcome(
            case, self.directory, self.calendar, stored=stored, policy=self.policy, review=review
        )
        return case_to_document(case, outcome)

    def _review(self, case: Case) -> CaseReview:
        """The ASB Case Review counting every case of the same complainant held here, as this
        batch leaves them."""
        key = complainant_key(case.complainant)
        others: dict[str, str] = {}
        if key is not None:
            query = select(cases.c.id, cases.c.document).where(
                cases.c.complainant_key == key, cases.c.id != case.id
            )
            others = {row.id: row.document for row in self.conn.execute(query)}
            for row in self.rows.values():  # written earlier in this batch, maybe not flushed
                if row is not None and row.get("complainant_key") == key and row["id"] != case.id:
                    others[row["id"]] = row["document"]
        related = [case_from_document(json.loads(text)) for text in others.values()]
        return case_review(case, related, self.now.replace(tzinfo=UTC), self.policy)

    def _check_rules(self, case: Case, before: Case | None) -> None:
        """The procedure's rules and the limits, as every path in checks them (checks.py)."""
        refusal = rules_refusal(case, before, self.directory)
        if refusal is not None:
            raise refusal

    def _create(self, p: Prepared, case: Case) -> str:
        filled_in = case.recorded_by is None
        if filled_in:
            case = replace(case, recorded_by=self.caller.user_id)
        elif case.recorded_by != self.caller.user_id:
            raise Refused(403, "a new case must be recorded under your own user id (recorded_by)")
        if p.op.resolves:
            raise InputError("resolves", "a new case has no conflicts to resolve")
        if p.op.base_op_id is not None:
            raise InputError("base_op_id", "is not an op the server has stored: push it first")
        refusal = new_case_refusal(case, self.directory, filled_in=filled_in)
        if refusal is not None:
            raise refusal
        document = self._evaluate(case)  # may still refuse the case: take no reference before
        # The facts (records.facts_of): the computed fields are all the outcome changes.
        facts = strip_computed(document)
        self.op_facts = dumps(facts)
        reference = self._next_reference(case.received_at.astimezone(LONDON).year)
        document["reference"] = reference
        number = self.last_change = self.last_change + 1
        row = self._columns(document, case, number, 1)
        row.update(id=case.id, created_at=self.now)
        self.rows[case.id] = self.new_cases[case.id] = row
        self._audit(p, row, "create", sorted(facts))
        return self._applied(p, row, document, [])

    def _update(self, p: Prepared, case: Case, row: dict[str, Any]) -> str:
        facts = case_facts(row)
        if not may_see(self.caller, facts):
            raise Refused(403, "you may not see or change this case")
        if p.op.resolves and not may_settle(self.caller, facts):
            raise Refused(
                403,
                "only the case's assigned officer (or, while it has none, whoever recorded it) "
                "or a team leader or manager for its estate may settle its conflicts",
            )
        if case.recorded_by is not None and case.recorded_by != row["recorded_by"]:
            raise InputError("document.recorded_by", "cannot change once the case is stored")
        base_revision = p.op.base_revision
        if base_revision is not None and base_revision > row["revision"]:
            raise InputError(
                "base_revision", f"is ahead of the server's revision {row['revision']}"
            )
        server_document = json.loads(row["document"])
        server = strip_computed(server_document)
        device = facts_of(replace(case, recorded_by=row["recorded_by"]))
        device = erase_again(self.conn, row["id"], server, device)
        self.op_facts = dumps(device)
        if base_revision is None and p.op.base_op_id is not None:
            base = self._facts_sent_by(str(p.op.base_op_id), row["id"])
        else:
            base = self._base(row, base_revision, server)
        result = merge(base, server, device)
        resolved = self._check_resolves(row["id"], p.op.resolves)
        merged = case_from_document(result.facts)
        self._check_rules(merged, case_from_document(server_document))
        document = self._evaluate(replace(merged, reference=row["reference"]), server_document)
        if document == server_document and not result.conflicts and not resolved:
            return self._applied(p, row, document, [])
        number = self.last_change = self.last_change + 1
        row.update(self._columns(document, merged, number, row["revision"] + 1))
        if row["id"] not in self.new_cases:
            self.changed_cases[row["id"]] = row
        self._audit(p, row, "update", result.changed)
        conflicts = [
            self._record_conflict(p, row["id"], c, row["revision"] - 1) for c in result.conflicts
        ]
        if conflicts:
            conflicts = describe_conflicts(
                self.conn, self.caller, conflicts, {row["id"]: case_facts(row)}
            )
        if resolved:
            self.conn.execute(
                update(case_conflicts)
                .where(case_conflicts.c.id.in_(resolved))
                .values(resolved_at=self.now, resolved_by_op=str(p.op.op_id))
            )
        return self._applied(p, row, document, conflicts)

    def _facts_sent_by(self, op_id: str, case_id: str) -> dict[str, Any]:
        """What an earlier op of this user sent: the common ancestor of the laptop's next edit
        and the server's case (not the revision it produced, which may hold a value the laptop
        lost in a conflict and must not now overwrite)."""
        prior = self.stored.get(op_id)
        if prior is None or prior.user_id != self.caller.user_id or not prior.facts:
            raise InputError("base_op_id", "is not an op the server has stored: push it first")
        if prior.case_id != case_id:
            raise InputError("base_op_id", "is an op on another case")
        facts: dict[str, Any] = json.loads(prior.facts)
        return facts

    def _base(self, row: dict[str, Any], revision: int | None, server: dict[str, Any]) -> Any:
        """The facts as the device last saw them, or None when it never saw any."""
        if revision is None:
            return None
        if revision == row["revision"]:
            return server
        for entry in self.audit:  # written earlier in this very batch
            if entry["case_id"] == row["id"] and entry["revision"] == revision:
                return strip_computed(json.loads(entry["document"]))
        text = self.conn.execute(
            select(case_audit.c.document).where(
                case_audit.c.case_id == row["id"], case_audit.c.revision == revision
            )
        ).scalar()
        return strip_computed(json.loads(text)) if text else None

    def _check_resolves(self, case_id: str, wanted: list[int]) -> list[int]:
        if not wanted:
            return []
        query = select(case_conflicts.c.id).where(
            case_conflicts.c.case_id == case_id,
            case_conflicts.c.resolved_at.is_(None),
            case_conflicts.c.id.in_(wanted),
        )
        open_ids = set(self.conn.execute(query).scalars())
        for i, conflict_id in enumerate(wanted):
            if conflict_id not in open_ids:
                raise InputError(f"resolves[{i}]", f"no open conflict {conflict_id} on this case")
        return sorted(open_ids)

    def _record_conflict(
        self, p: Prepared, case_id: str, conflict: Conflict, server_revision: int
    ) -> FieldConflict:
        """Store one conflict with who set each value: the op's user and device for the
        device's value, and for the value kept, whoever gave the field that value in the
        revision the server had (`who_set`, from the audit)."""
        self.flush()  # the conflict's case row (and the audit so far) must exist first
        setter = who_set(self.conn, case_id, conflict.field, conflict.server_value, server_revision)
        values = {
            "case_id": case_id,
            "field": conflict.field,
            "server_value": dumps(conflict.server_value),
            "device_value": dumps(conflict.device_value),
            "op_id": str(p.op.op_id),
            "device_id": self.caller.device_id,
            "user_id": self.caller.user_id,
            "server_user_id": setter[0] if setter else None,
            "server_device_id": setter[1] if setter else None,
            "at": self.now,
        }
        statement = insert(case_conflicts).values(**values).returning(case_conflicts.c.id)
        new_id = self.conn.execute(statement).scalar_one()
        return conflict_of({**values, "id": new_id, "resolved_at": None})

    def _columns(self, document: dict[str, Any], case: Case, number: int, revision: int) -> Any:
        return {
            "reference": document["reference"],
            "revision": revision,
            "change_number": number,
            "document": dumps(document),
            "assigned_to": document["assigned_to"],
            "recorded_by": case.recorded_by,
            "estate": case.estate,
            "supported_scheme": case.supported_scheme,
            "involves_employee": case.involves_employee,
            "complainant_key": complainant_key(case.complainant),
            "updated_at": self.now,
        }

    def _audit(self, p: Prepared, row: dict[str, Any], action: str, changed: list[str]) -> None:
        self.audit.append(
            {
                "case_id": row["id"],
                "revision": row["revision"],
                "change_number": row["change_number"],
                "op_id": str(p.op.op_id),
                "device_id": self.caller.device_id,
                "user_id": self.caller.user_id,
                "at": self.now,
                "action": action,
                "changed_fields": dumps(changed),
                "document": row["document"],
            }
        )

    @staticmethod
    def _applied(p: Prepared, row: dict[str, Any], document: dict[str, Any],
                 conflicts: list[FieldConflict]) -> str:  # fmt: skip
        """The answer as JSON text; `row["document"]` is `document` as stored."""
        if not conflicts:
            return applied_text(str(p.op.op_id), str(p.op.case_id), row)
        return OpResult(
            op_id=p.op.op_id,
            case_id=p.op.case_id,
            status="applied",
            code=200,
            revision=row["revision"],
            reference=row["reference"],
            change_number=row["change_number"],
            document=document,
            conflicts=conflicts,
        ).model_dump_json()

    def _send(self) -> None:
        """Write the new rows gathered so far (new cases before their audit)."""
        insert_rows(self.conn, cases, list(self.new_cases.values()))
        insert_rows(self.conn, case_audit, self.audit)
        insert_rows(self.conn, ops, self.new_ops)
        self.new_cases.clear()
        self.audit, self.new_ops = [], []

    def flush(self) -> None:
        """Write what the batch has gathered so far, a statement per table."""
        self._send()
        if self.changed_cases:
            rows = list(self.changed_cases.values())
            columns = [c for c in rows[0] if c not in ("id", "created_at")]
            statement = (
                update(cases)
                .where(cases.c.id == bindparam("p_id"))
                .values({c: bindparam(f"p_{c}") for c in columns})
            )
            params = [{f"p_{k}": r[k] for k in [*columns, "id"]} for r in rows]
            self.conn.execute(statement, params)
            self.changed_cases.clear()

    def finish(self) -> None:
        # An op_id stored concurrently (impossible under the writers' lock) fails the COPY or
        # INSERT on the primary key: the whole batch is rolled back rather than answered twice.
        self.flush()
        for year, last in self.references.items():
            upsert = self.db.insert(reference_counters).values(year=year, last=last)
            upsert = upsert.on_conflict_do_update(index_elements=["year"], set_={"last": last})
            self.conn.execute(upsert)
        if self.last_change != self.first_change:
            self.db.set_last_change(self.conn, self.last_change)
        log_reads(self.conn, self.caller, self.read_cases, "push")
        log_reads(self.conn, self.caller, self.refused_cases, "push", refused=True)


def push(
    db: Database,
    caller: Caller,
    batch: list[CaseOp],
    given_twice: Mapping[int, list[str]] | None = None,
) -> bytes:
    """The answer, a `PushResponse` as UTF-8 JSON. `given_twice`: per op index, the document's
    keys given twice in the body (json_body)."""
    twice = given_twice or {}
    prepared = [prepare(op, twice.get(i, ())) for i, op in enumerate(batch)]
    with db.write() as conn:
        work = _Batch(db, conn, caller)
        work.load(prepared)
        results = [work.handle(p) for p in prepared]
        work.finish()
    return f'{{"results":[{",".join(results)}]}}'.encode()
