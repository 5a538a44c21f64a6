"""User actions on evidence: files looked at before attaching, attached, listed, copied out,
thumbnails made; a new report saved with the resident's files."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject

from asb_desktop.app import Services
from asb_desktop.domain.case import Case
from asb_desktop.domain.errors import ProcedureError
from asb_desktop.services.attachments import Checked, Listed, attach, check_file, listed
from asb_desktop.services.case_actions import CaseActions, CaseView, SavedReport
from asb_desktop.services.casework import Casework
from asb_desktop.services.evidence_files import (
    EvidenceFile,
    save_copy,
    save_report_with_evidence,
    thumbnail,
)
from asb_desktop.ui.changes import Changed
from asb_desktop.ui.operations import Operation


@dataclass(frozen=True)
class Looked:
    """A file the officer chose, looked at: what it is, or why it cannot be attached."""

    path: Path
    checked: Checked | None
    refusal: str | None


def look_at_files(
    parent: QObject, casework: Casework, paths: Sequence[Path]
) -> Operation[list[Looked]]:
    def work() -> list[Looked]:
        found = []
        for path in paths:
            try:
                found.append(Looked(path, check_file(casework, path), None))
            except ProcedureError as refusal:
                found.append(Looked(path, None, str(refusal)))
        return found

    return Operation(parent, work, name="evidence.look").read_only()


@dataclass(frozen=True)
class Attached:
    """What attaching the chosen files came to: the case as it now stands, the files attached,
    and a sentence for each file that was not."""

    view: CaseView
    attached: tuple[Path, ...]
    refused: tuple[tuple[Path, str], ...]


def attach_files(
    parent: QObject,
    actions: CaseActions,
    case_id: str,
    files: Sequence[EvidenceFile],
    incident_id: str | None,
) -> Operation[Attached]:
    """Each file attached in its own transaction (whole, or not at all), in the order chosen."""

    def work() -> Attached:
        done: list[Path] = []
        refused: list[tuple[Path, str]] = []
        for chosen in files:
            try:
                attach(actions.casework, case_id, chosen.path, incident_id=incident_id,
                       scrub=chosen.scrub, scrub_if_photo=True)  # fmt: skip
                done.append(chosen.path)
            except ProcedureError as refusal:
                refused.append((chosen.path, str(refusal)))
        return Attached(actions.view(case_id), tuple(done), tuple(refused))

    return Operation(parent, work, name="evidence.attach", changes=Changed.case(case_id))


def list_evidence(parent: QObject, casework: Casework, case_id: str) -> Operation[list[Listed]]:
    return Operation(parent, lambda: listed(casework, case_id), name="evidence.list").read_only()


def copy_out(
    parent: QObject, casework: Casework, case_id: str, attachment_id: str, target: Path
) -> Operation[int]:
    """The attachment written to a new file the officer chose (the store is not changed)."""
    return Operation(
        parent,
        lambda: save_copy(casework, case_id, attachment_id, target),
        name="evidence.save_copy",
    ).read_only()


def make_thumbnail(
    parent: QObject, casework: Casework, case_id: str, attachment_id: str, edge: int
) -> Operation[bytes | None]:
    return Operation(
        parent,
        lambda: thumbnail(casework, case_id, attachment_id, edge),
        name="evidence.thumbnail",
    ).read_only()


def record_report_with_evidence(
    parent: QObject,
    actions: CaseActions,
    case: Case,
    files: Sequence[EvidenceFile],
    *,
    follows_closed: str | None = None,
    into: str | None = None,
) -> Operation[SavedReport]:
    """A new report (or one added `into` an open case) with the resident's files, together."""

    def stored(saved: SavedReport) -> Changed:
        return Changed(cases=True, drafts=True, case_id=saved.case_id)

    return Operation(
        parent,
        lambda: save_report_with_evidence(
            actions, case, files, follows_closed=follows_closed, into=into
        ),
        name="report.save_with_evidence",
        changes=stored,
    )


def fetch_from_central(
    parent: QObject, services: Services, case_id: str, attachment_id: str
) -> Operation[int]:
    """An attachment's bytes fetched from the central store into this laptop's store (a write:
    the bytes are kept, encrypted, once checked against the hash)."""
    return Operation(
        parent,
        lambda: services.sync.download_attachment(case_id, attachment_id),
        name="evidence.download",
        changes=Changed.case(case_id),
    )
