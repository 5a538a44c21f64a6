"""Who is signed in: the officer's staff id, the name and role given at first run, and the name
that documents print as "produced by" (so no screen reads the settings table itself)."""

from __future__ import annotations

from asb_desktop.services.case_actions import CaseActions
from asb_desktop.services.casework import Casework
from asb_desktop.store.database import Store
from asb_desktop.store.settings import get_setting, set_setting

NAME_SETTING = "officer_display_name"
ROLE_SETTING = "officer_display_role"
MAX_NAME_LENGTH = 120


class OfficerProfile:
    def __init__(self, *, store: Store, casework: Casework, actions: CaseActions) -> None:
        self.store = store
        self.casework = casework
        self.actions = actions

    def typed_name(self) -> str | None:
        """The name given at first run (none when the officer chose themselves from the
        directory and typed nothing)."""
        with self.store.read() as conn:
            return get_setting(conn, NAME_SETTING)

    def save_first_run(self, *, name: str, role: str) -> None:
        with self.store.write() as conn:
            if name:
                set_setting(conn, NAME_SETTING, name[:MAX_NAME_LENGTH])
            set_setting(conn, ROLE_SETTING, role)

    def display_name(self) -> str:
        """The officer's directory name, else the name given at first run, else the computer
        account: what a summary's "produced by" and the history say."""
        staff_id = self.actions.officer()
        member = self.casework.directory().member(staff_id) if staff_id else None
        if member is not None:
            return member.name
        return self.typed_name() or self.casework.actor
