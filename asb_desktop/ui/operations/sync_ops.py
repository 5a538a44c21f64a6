"""User actions on sync: a sync run, settling a conflict, retrying or giving up refused changes,
enrolling,
and reading the address this laptop was last connected to."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject

from asb_desktop.sync import protocol as p
from asb_desktop.sync.outbox_review import GivenUp
from asb_desktop.sync.service import SyncService
from asb_desktop.sync.status_words import SyncSummary
from asb_desktop.sync.sync_run import SyncProgress
from asb_desktop.ui.changes import Changed
from asb_desktop.ui.operations import Operation


def _synced(summary: SyncSummary) -> Changed:
    if summary.sent or summary.received or summary.directory:
        return Changed(cases=True, settings=True)  # a pulled directory changes who is who
    return Changed()


def sync_now(
    parent: QObject,
    sync: SyncService,
    *,
    force: bool,
    cancel: Callable[[], bool],
    progress: Callable[[SyncProgress], None],
) -> Operation[SyncSummary]:
    return Operation(
        parent,
        lambda: sync.sync(force=force, cancel=cancel, progress=progress),
        name="sync.run",
        changes=_synced,
    )


def resolve_conflict(
    parent: QObject, sync: SyncService, case_id: str, choices: dict[int, str]
) -> Operation[None]:
    return Operation(
        parent,
        lambda: sync.resolve(case_id, choices),
        name="sync.resolve_conflict",
        changes=Changed.case(case_id),
    )


def retry_refused(parent: QObject, sync: SyncService, seqs: list[int]) -> Operation[int]:
    return Operation(
        parent, lambda: sync.retry_refused(seqs), name="sync.retry_refused", changes=Changed()
    )


def give_up_refused(parent: QObject, sync: SyncService, seqs: list[int]) -> Operation[GivenUp]:
    return Operation(
        parent,
        lambda: sync.give_up_refused(seqs),
        name="sync.give_up_refused",
        changes=Changed(cases=True, drafts=True),  # a case (and its draft) may have left
    )


def enrol(
    parent: QObject, sync: SyncService, url: str, code: str, ca_bundle: str | None
) -> Operation[p.UserInfo]:
    return Operation(
        parent,
        lambda: sync.enrol(url, code, ca_bundle=ca_bundle),
        name="sync.enrol",
        changes=Changed(settings=True),
    )


def last_server_address(parent: QObject, sync: SyncService) -> Operation[str | None]:
    return Operation(parent, sync.last_server_url, name="sync.last_address").read_only()
