"""Evidence for the window: a new report saved with the files the resident showed (in one
transaction), a copy of an attachment written to a file the officer chose, and a photo's
thumbnail made from the stored bytes.

Nothing here writes the bytes anywhere but the store or the one file the officer named: a copy
goes straight into that new file (created, never replaced) and is removed again if it cannot be
written whole or its bytes do not match their hash; a thumbnail is made in memory.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from asb_desktop.domain.case import Case
from asb_desktop.domain.errors import ProcedureError
from asb_desktop.domain.evidence_thumbnail import thumbnail_png
from asb_desktop.services.attachments import (
    Ready,
    prepare,
    read_back,
    store_ready,
    unreadable_words,
)
from asb_desktop.services.case_actions import CaseActions, SavedReport
from asb_desktop.services.casework import Casework
from asb_desktop.store import attachments as attachment_store
from asb_desktop.store.audit import AuditWriter


@dataclass(frozen=True)
class EvidenceFile:
    """A file the officer chose to attach, and whether a photo's location and camera details
    are to be removed (photos only; ignored for other kinds)."""

    path: Path
    scrub: bool = True


def save_report_with_evidence(
    actions: CaseActions,
    case: Case,
    files: Sequence[EvidenceFile],
    *,
    follows_closed: str | None = None,
    into: str | None = None,
) -> SavedReport:
    """Save the report (a new case, or `into` an open case as a new incident) with its files
    attached to its incident, in one transaction: a file that cannot be attached is said in a
    sentence naming it (ProcedureError), and then nothing at all is stored."""
    casework = actions.casework
    incident_id = case.incidents[0].id if case.incidents else None
    with contextlib.ExitStack() as opened:
        ready: list[Ready] = []
        for chosen in files:
            try:
                file = opened.enter_context(chosen.path.open("rb"))
            except OSError as error:
                raise ProcedureError(_not_saved(unreadable_words(chosen.path, error))) from None
            try:
                ready.append(
                    prepare(casework, file, chosen.path, incident_id=incident_id,
                            scrub=chosen.scrub, scrub_if_photo=True)
                )  # fmt: skip
            except ProcedureError as refusal:
                raise ProcedureError(_not_saved(str(refusal))) from None
            except OSError as error:
                raise ProcedureError(_not_saved(unreadable_words(chosen.path, error))) from None
        with_evidence = replace(
            case, attachments=(*case.attachments, *(r.attachment for r in ready))
        )
        holder = into or case.id

        def store_files(conn: Any, audit: AuditWriter) -> None:
            for item in ready:
                store_ready(conn, audit, holder, item)

        then = store_files if ready else None
        try:
            if into is not None:
                return actions.add_report_to_case(into, with_evidence, then=then)
            return actions.record_report(with_evidence, follows_closed=follows_closed, then=then)
        except attachment_store.BytesChanged:
            raise ProcedureError(
                "one of the files changed while it was being attached; nothing was saved. "
                "Your report is kept as a draft."
            ) from None
        except OSError as error:
            raise ProcedureError(
                _not_saved(f"a file could not be read ({error.strerror or 'error'})")
            ) from None


def _not_saved(sentence: str) -> str:
    sentence = sentence.rstrip(".").replace("; nothing was attached", "")
    sentence = sentence.replace(": nothing was attached", "").replace(". Nothing was attached", "")
    return f"{sentence}: the report was not saved, and is kept as a draft with its files listed."


def save_copy(casework: Casework, case_ref: str, attachment_id: str, target: Path) -> int:
    """Write the attachment's bytes to `target`, a new file (never over one already there);
    returns the bytes written. Written straight into `target` and removed again if it cannot
    be written whole or the bytes do not match their hash: never a half file, never a temp."""
    try:
        out = target.open("xb")
    except FileExistsError:
        raise ProcedureError(
            f"{target} already exists; nothing was written (choose a new name)."
        ) from None
    except OSError as error:
        raise ProcedureError(_unwritable(target, error)) from None
    written = 0
    try:
        with out:
            for chunk in read_back(casework, case_ref, attachment_id):
                out.write(chunk)
                written += len(chunk)
            out.flush()
            os.fsync(out.fileno())
    except BaseException as error:  # a refusal, a full disk, a hash that does not match
        target.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise ProcedureError(_unwritable(target, error)) from None
        raise
    return written


def _unwritable(target: Path, error: OSError) -> str:
    words = error.strerror or type(error).__name__
    return f"{target} could not be written ({words}); nothing was written there."


def thumbnail(casework: Casework, case_ref: str, attachment_id: str, edge: int) -> bytes | None:
    """A small PNG of a photo held here (its longer side `edge` pixels), made in memory from the
    stored bytes; None when it is not a photo, its bytes are not here, or it does not read."""
    case = casework.case(case_ref)
    found = next((a for a in case.attachments if a.id == attachment_id), None) if case else None
    if case is None or found is None or not found.media_type.startswith("image/"):
        return None
    found_in = case.id
    with casework.store.read() as conn:
        if attachment_store.stored_hash(conn, found_in, found.id) != found.sha256:
            return None
        data = b"".join(attachment_store.read_chunks(conn, found.sha256))
    return thumbnail_png(data, edge)
