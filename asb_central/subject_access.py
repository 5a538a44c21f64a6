"""`asb-central subject-access`: everything the central store holds about one person, over every
case of the organisation, as one JSON and one PDF (`subject-access.json`, `subject-access.pdf`).

Who matches and what is withheld is decided once, in `asb_desktop.domain.subject_access` (the
laptop-only `asb-desktop subject-access` asks the same functions). Each case included gets a
disclosure (`to`: the person, profile and what `subject_access`) as a new revision that laptops
holding it pull, audited in `case_audit` (action `disclosed`). The files are written whole under
hidden names first; the disclosures are then committed in one transaction; then the files are
put in place. A failed write records nothing; a failed record leaves no file.
"""

from __future__ import annotations

import json
import os
import tempfile
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, insert, select, update

from asb_central import people
from asb_central.db import Database, SetupError, utcnow
from asb_central.records import ADMIN_DEVICE, ADMIN_USER, dumps, strip_computed
from asb_central.tables import case_audit, cases
from asb_desktop.domain.calendar import WorkingDayCalendar
from asb_desktop.domain.case_review import complainant_key
from asb_desktop.domain.disclosure import Disclosure, DisclosureProfile, DisclosureWhat
from asb_desktop.domain.document import case_from_document, case_to_document
from asb_desktop.domain.errors import InputError
from asb_desktop.domain.procedure import current_outcome, kept_case_review
from asb_desktop.domain.subject_access import (
    Found,
    Subject,
    find_subject,
    subject_access_document,
)
from asb_desktop.domain.timestamps import format_timestamp
from asb_desktop.domain.validation import check_case
from asb_desktop.domain.wording import counted

PDF_NAME, JSON_NAME = "subject-access.pdf", "subject-access.json"
DISCLOSED = "disclosed"


@dataclass(frozen=True)
class Answer:
    pdf: Path
    json: Path
    found: Found


def output_paths(folder: Path) -> tuple[Path, Path]:
    return folder / PDF_NAME, folder / JSON_NAME


def check_folder(folder: Path) -> None:
    """Refused in a sentence before any work: no folder to write in, or files already there."""
    if folder.exists() and not folder.is_dir():
        raise InputError("-o", f"{folder} is a file, not a folder; nothing was written")
    if not folder.exists() and not folder.parent.is_dir():
        raise InputError(
            "-o",
            f"there is no folder {folder.parent} to make {folder.name} in; nothing was written",
        )
    for path in output_paths(folder):
        if path.exists():
            raise InputError(
                "-o",
                f"{path} is already there: give a new folder for this request; nothing was written",
            )


def _documents(conn: Connection) -> list[dict[str, Any]]:
    rows = conn.execute(select(cases.c.reference, cases.c.document).order_by(cases.c.created_at))
    return [{**json.loads(row.document), "reference": row.reference} for row in rows]


def record_disclosures(db: Database, case_ids: Sequence[str], disclosure: Disclosure) -> None:
    """One new revision per case with the disclosure appended, in one transaction."""
    if not case_ids:
        return
    with db.write() as conn:
        number = db.lock_changes(conn)
        directory = people.load_directory(conn)
        calendar = WorkingDayCalendar(people.nation(conn))
        for case_id in case_ids:
            number += 1
            row = conn.execute(select(cases).where(cases.c.id == case_id)).mappings().one()
            stored = json.loads(row["document"])
            before = replace(case_from_document(stored), reference=row["reference"])
            after = replace(before, disclosures=(*before.disclosures, disclosure))
            problems = check_case(after, before, directory)
            if problems:
                raise problems[0]
            outcome = current_outcome(
                after, directory, calendar, stored=stored, review=kept_case_review(stored)
            )
            document = case_to_document(after, outcome)
            body, now = dumps(document), utcnow()
            revision = row["revision"] + 1
            conn.execute(
                update(cases)
                .where(cases.c.id == case_id)
                .values(
                    revision=revision, change_number=number, document=body,
                    assigned_to=document["assigned_to"], involves_employee=after.involves_employee,
                    complainant_key=complainant_key(after.complainant), updated_at=now,
                )
            )  # fmt: skip
            changed = sorted(k for k, v in strip_computed(document).items() if stored.get(k) != v)
            conn.execute(
                insert(case_audit).values(
                    case_id=case_id, revision=revision, change_number=number,
                    op_id=str(uuid.uuid4()), device_id=ADMIN_DEVICE, user_id=ADMIN_USER, at=now,
                    action=DISCLOSED, changed_fields=dumps(changed), document=body,
                )
            )  # fmt: skip
        db.set_last_change(conn, number)


def write_whole(files: Sequence[tuple[Path, bytes]], before_rename: Callable[[], None]) -> None:
    """Every file under a hidden name, then `before_rename`, then each put in place; a failure
    before the renames leaves none of them."""
    temporaries: list[str] = []
    try:
        for path, data in files:
            handle, temporary = tempfile.mkstemp(
                dir=path.parent, prefix=f".{path.name}.", suffix=".part"
            )
            temporaries.append(temporary)
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
        before_rename()
        for (path, _), temporary in zip(files, temporaries, strict=True):
            os.replace(temporary, path)
    except BaseException:
        for temporary in temporaries:
            Path(temporary).unlink(missing_ok=True)
        raise


def subject_access(db: Database, subject: Subject, folder: Path, *, by: str) -> Answer:
    from asb_central.subject_access_pdf import subject_access_pdf

    problem = subject.problem()
    if problem is not None:
        raise InputError("--name/--address", problem)
    check_folder(folder)
    with db.read() as conn:
        documents = _documents(conn)
        names = people.load_directory(conn)
    found = find_subject(documents, subject)
    now = datetime.now(UTC)
    member = names.member(by)
    produced_by = member.name if member else by
    document = subject_access_document(
        found, subject, produced_at=format_timestamp(now), produced_by=produced_by
    )
    pdf = subject_access_pdf(document, produced_by=produced_by, produced_at=now)
    data = (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    disclosure = Disclosure(
        at=now, by=by, to=subject.name.strip(), profile=DisclosureProfile.SUBJECT_ACCESS,
        what=DisclosureWhat.SUBJECT_ACCESS,
    )  # fmt: skip
    made = not folder.exists()
    if made:
        folder.mkdir()
    pdf_path, json_path = output_paths(folder)
    try:
        write_whole(
            [(pdf_path, pdf), (json_path, data)],
            lambda: record_disclosures(db, found.case_ids, disclosure),
        )
    except BaseException as error:
        if made and not any(folder.iterdir()):
            folder.rmdir()
        if isinstance(error, OSError):
            why = error.strerror or type(error).__name__
            raise SetupError(
                f"the subject access files could not be written in {folder}: {why.lower()}; "
                "nothing was written and nothing was recorded"
            ) from None
        raise
    return Answer(pdf=pdf_path, json=json_path, found=found)


def answer_lines(answer: Answer) -> list[str]:
    """What the command says: the files, how many cases, and partial matches to check."""
    found = answer.found
    if found.cases:
        lines = [
            f"Wrote {answer.pdf} and {answer.json}: the person is in "
            f"{counted(len(found.cases), 'case')}; each records this disclosure, and laptops "
            "holding them take it at their next sync."
        ]
    else:
        lines = [f"Wrote {answer.pdf} and {answer.json}: no case holds this person (both say so)."]
    for partial in found.partial:
        label = partial.reference or f"case {partial.case_id}"
        other = "another address" if partial.matched == "name" else "another name"
        lines.append(
            f"Not included: {label} has a {partial.role} with the same {partial.matched} and "
            f"{other}; check it by hand."
        )
    return lines
