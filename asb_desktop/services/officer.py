"""Who is signed in: the officer's staff id, the name and role given at first run, and the name
that documents print as "produced by" (so no screen reads the settings table itself).

What the audit log stores as the actor, and how a stored actor is shown by name, is in
`services/actors.py`."""

from __future__ import annotations

from asb_desktop.services.actors import NAME_SETTING, ActorNames, typed_name
from asb_desktop.services.case_actions import CaseActions
from asb_desktop.services.casework import Casework
from asb_desktop.store.database import Store
from asb_desktop.store.settings import set_setting

ROLE_SETTING = "officer_display_role"
MAX_NAME_LENGTH = 120
__all__ = ["MAX_NAME_LENGTH", "NAME_SETTING", "ROLE_SETTING", "OfficerProfile"]


class OfficerProfile:
    def __init__(self, *, store: Store, casework: Casework, actions: CaseActions) -> None:
        self.store = store
        self.casework = casework
        self.actions = actions

    def typed_name(self) -> str | None:
        """The name given at first run (none when the officer chose themselves from the
        directory and typed nothing)."""
        with self.store.read() as conn:
            return typed_name(conn)

    def save_first_run(self, *, name: str, role: str) -> None:
        with self.store.write() as conn:
            if name:
                set_setting(conn, NAME_SETTING, name[:MAX_NAME_LENGTH])
            set_setting(conn, ROLE_SETTING, role)

    def names(self) -> ActorNames:
        """How every stored actor id is shown: by its name in the directory."""
        return self.casework.names()

    def display_name(self) -> str:
        """The officer's directory name, else the name given at first run, else the computer
        account: what a summary's "produced by" and the status bar say. Follows the stored
        choice (first run, Settings, enrolment) without a restart."""
        return self.names()(self.actions.follow_officer())
