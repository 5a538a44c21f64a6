"""Composition root: builds the services once and hands them to the GUI or the commands."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from asb_desktop.store.database import Store
from asb_desktop.store.keys import KeyProvider, PassphrasePrompt
from asb_desktop.support.config import local_user, resolve_data_dir
from asb_desktop.support.presets import Presets

# The services (and through them SQLAlchemy) are imported where they are first built, not
# here: the window's first page is on screen before they load (ui/launch.py, issue 17).
if TYPE_CHECKING:
    from asb_desktop.reports.summary import Branding
    from asb_desktop.services.case_actions import CaseActions
    from asb_desktop.services.casework import Casework
    from asb_desktop.services.drafts import Drafts
    from asb_desktop.services.lock import Lock
    from asb_desktop.services.officer import OfficerProfile
    from asb_desktop.sync.service import SyncService


@dataclass
class Services:
    data_dir: Path
    store: Store
    casework: Casework
    drafts: Drafts = field(init=False)
    actions: CaseActions = field(init=False)
    lock: Lock = field(init=False)
    officer: OfficerProfile = field(init=False)
    presets: Presets = field(default_factory=Presets)
    """The organisation's defaults (asb-desktop.defaults.json); empty when there is none."""
    notices: list[str] = field(default_factory=list)
    """What opening the store found that the officer must be told (the store was moved here)."""
    _sync: SyncService | None = field(init=False, default=None, repr=False)

    def __post_init__(self) -> None:
        from asb_desktop.services.case_actions import CaseActions
        from asb_desktop.services.drafts import Drafts
        from asb_desktop.services.lock import Lock
        from asb_desktop.services.officer import OfficerProfile

        self.drafts = Drafts(self.store, clock=self.casework.clock)
        self.actions = CaseActions(self.casework, self.drafts)
        self.lock = Lock(self.store)
        self.officer = OfficerProfile(
            store=self.store, casework=self.casework, actions=self.actions
        )
        # The audit's actor: the officer chosen earlier (staff id), else the computer account.
        self.actions.follow_officer()

    @property
    def sync(self) -> SyncService:
        """Made on first use: its HTTP and wire-format imports would slow every start-up."""
        if self._sync is None:
            from asb_desktop.sync.service import SyncService

            self._sync = SyncService(self.casework)
        return self._sync

    def organisation_name(self) -> str:
        """The organisation named on summaries, known without loading ReportLab (the Settings
        page, built at start-up, shows it)."""
        from asb_desktop.support.presets import DEFAULT_ORGANISATION_NAME

        return self.presets.organisation_name or DEFAULT_ORGANISATION_NAME

    def branding(self) -> Branding:
        """The name and logo printed on summaries: the organisation's presets, else the default."""
        from asb_desktop.reports.summary import Branding

        default = Branding.default()
        return Branding(
            organisation=self.presets.organisation_name or default.organisation,
            logo=self.presets.organisation_logo or default.logo,
        )

    def diagnostics(self, toolkit: Sequence[str] = ()) -> str:
        """What "Copy diagnostics" puts on the clipboard (reads the store and the log)."""
        from asb_desktop.services.diagnostics import gather, store_settings

        return gather(
            settings=store_settings(self.store),
            presets=self.presets,
            data_dir=self.data_dir,
            toolkit=toolkit,
        )

    def close(self) -> None:
        if self._sync is not None:
            self._sync.engine.forget_client()
        self.store.close()


def apply_presets(services: Services, presets: Presets, *, new_store: bool) -> list[str]:
    """Put the organisation's presets into the store: every preset on a new store, only the
    locked ones afterwards (an officer's own choice stands otherwise). Returns what was set."""
    services.presets = presets
    services.casework.set_policy(presets.case_policy)  # the organisation's case-management numbers
    applied: list[str] = []
    nation, idle = presets.bank_holiday_nation, presets.idle_lock_minutes
    nation_locked = presets.is_locked("bank_holiday_nation")
    if nation is not None and (
        new_store or (nation_locked and services.casework.calendar().nation is not nation)
    ):
        services.casework.set_nation(nation)
        applied.append("bank_holiday_nation")
    idle_locked = presets.is_locked("idle_lock_minutes")
    if idle is not None and (new_store or (idle_locked and services.lock.idle_minutes() != idle)):
        services.lock.set_idle_minutes(idle)
        applied.append("idle_lock_minutes")
    return applied


def services_for(
    store: Store, *, actor: str | None = None, clock: Callable[[], datetime] | None = None
) -> Services:
    """Services over a store already open (tests, benchmarks, a key already in hand)."""
    from asb_desktop.services.casework import Casework, now_utc

    casework = Casework(store, actor=actor or local_user(), clock=clock or now_utc)
    return Services(data_dir=store.data_dir, store=store, casework=casework)


def open_services(
    data_dir: str | Path | None = None,
    *,
    prompt: PassphrasePrompt | None = None,
    actor: str | None = None,
) -> Services:
    """Open the encrypted store for this data folder; raises StoreError/KeyUnavailableError."""
    folder = resolve_data_dir(data_dir)
    return services_on(Store.open(folder, KeyProvider(folder, prompt=prompt)), actor=actor)


def services_on(
    store: Store, *, actor: str | None = None, clock: Callable[[], datetime] | None = None
) -> Services:
    """The services over a store just opened: first, a store copied here from elsewhere loses
    its sync link (and the officer is told, `Services.notices`)."""
    from asb_desktop.services.casework import now_utc
    from asb_desktop.store.place import moved_here

    notices = []
    if moved_here(store):  # a copy of another laptop's store: it may not sync as that laptop
        from asb_desktop.sync.enrolment import MOVED_NOTICE, unlink_moved_store

        unlink_moved_store(store, actor=actor or local_user(), now=now_utc())
        notices.append(MOVED_NOTICE)
    services = services_for(store, actor=actor, clock=clock)
    services.notices = notices
    return services
