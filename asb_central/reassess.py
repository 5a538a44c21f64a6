"""Recomputing stored cases after the directory changes, so assignment and access follow it.

Only open cases are recomputed: a closed case keeps what held when it closed, as on the laptop
(`domain.procedure.current_outcome`).

Run by `asb-central directory import` and `user add`. Each case whose computed fields change
gets a new revision and change number (so laptops pull it) and an audit row by the
administrator ("central" device). Cases go in batches of 500, each its own transaction under
the writers' lock, so pushes wait at most one batch.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import replace

from sqlalchemy import bindparam, insert, select, update

from asb_central import people
from asb_central.db import Database, utcnow
from asb_central.presets import organisation_policy
from asb_central.records import ADMIN_DEVICE, ADMIN_USER, dumps
from asb_central.retention import central_policy
from asb_central.tables import case_audit, cases
from asb_desktop.domain.calendar import WorkingDayCalendar
from asb_desktop.domain.document import COMPUTED_KEYS, case_from_document, case_to_document
from asb_desktop.domain.procedure import current_outcome, kept_case_review

BATCH = 500


def reassess_all(db: Database) -> int:
    """Recompute every case against the current directory; returns how many changed."""
    changed, after = 0, ""
    while True:
        with db.write() as conn:
            last = number = db.lock_changes(conn)
            directory = people.load_directory(conn)
            calendar = WorkingDayCalendar(people.nation(conn))
            policy = organisation_policy(conn, central_policy(conn))
            rows = list(
                conn.execute(
                    select(cases).where(cases.c.id > after).order_by(cases.c.id).limit(BATCH)
                ).mappings()
            )
            if not rows:
                return changed
            after = rows[-1]["id"]
            updates, audit, now = [], [], utcnow()
            for row in rows:
                stored = json.loads(row["document"])
                case = replace(case_from_document(stored), reference=row["reference"])
                # The directory or nation moves no Case Review: the stored one stands.
                review = kept_case_review(stored)
                outcome = current_outcome(
                    case, directory, calendar, stored=stored, policy=policy, review=review
                )
                document = case_to_document(case, outcome)
                if document == stored and row["involves_employee"] == case.involves_employee:
                    continue
                number += 1
                text = dumps(document)
                updates.append(
                    {"p_id": row["id"], "p_revision": row["revision"] + 1, "p_change": number,
                     "p_document": text, "p_assigned": document["assigned_to"], "p_at": now,
                     "p_employee": case.involves_employee}
                )  # fmt: skip
                audit.append(
                    {"case_id": row["id"], "revision": row["revision"] + 1,
                     "change_number": number, "op_id": str(uuid.uuid4()),
                     "device_id": ADMIN_DEVICE, "user_id": ADMIN_USER, "at": now,
                     "action": "reassess", "document": text, "changed_fields": dumps(
                         sorted(k for k in COMPUTED_KEYS if document.get(k) != stored.get(k)))}
                )  # fmt: skip
            if updates:
                conn.execute(
                    update(cases)
                    .where(cases.c.id == bindparam("p_id"))
                    .values(
                        revision=bindparam("p_revision"),
                        change_number=bindparam("p_change"),
                        document=bindparam("p_document"),
                        assigned_to=bindparam("p_assigned"),
                        involves_employee=bindparam("p_employee"),
                        updated_at=bindparam("p_at"),
                    ),
                    updates,
                )
                conn.execute(insert(case_audit), audit)
                db.set_last_change(conn, number)
                changed += len(updates)
            assert number >= last
