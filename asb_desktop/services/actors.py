"""Who did it: the id the audit log and the case document store for an actor, and the name a
screen or a summary shows for it.

What is stored is always a stable id, never a name: the officer's staff id once they have chosen
themselves (first run, Settings, or enrolling with the central store), and only while no officer
is chosen, the computer account (`local:<login>`). Names come from the staff directory when
shown, so a corrected spelling in the directory corrects every record, and the documents stay
what the case document contract says (ids in `by`, `recorded_by`, `to_staff_id`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from asb_desktop.domain.directory import Directory
from asb_desktop.store.settings import get_setting

OFFICER_SETTING = "officer_staff_id"
"""The directory id of the officer using this laptop ("mine" in the caseload, and the actor)."""
NAME_SETTING = "officer_display_name"
"""The name typed at first run when there was no directory to choose from."""
LOCAL_PREFIX = "local:"


def chosen_officer(conn: Connection) -> str | None:
    return get_setting(conn, OFFICER_SETTING)


def typed_name(conn: Connection) -> str | None:
    return get_setting(conn, NAME_SETTING)


@dataclass(frozen=True)
class ActorNames:
    """Turns a stored actor id into the words shown for it (call it with the id).

    - a staff id in the directory: the member's name ("s-dw" → "Dafydd Williams");
    - this laptop's computer account: the name typed at first run, when one was;
    - another computer account: its login, said to be one ("root (computer account)");
    - anything else (a central user not in this directory, "self-test"): the id itself.
    """

    directory: Directory
    account: str = ""
    typed_name: str | None = None

    def __call__(self, actor: str | None) -> str:
        if not actor:
            return "not recorded"
        member = self.directory.member(actor)
        if member is not None:
            return member.name
        if actor == self.account and self.typed_name:
            return self.typed_name
        if actor.startswith(LOCAL_PREFIX):
            login = actor[len(LOCAL_PREFIX) :] or "unknown"
            return f"{login} (computer account)"
        return actor

    def mapping(self, actors: set[str]) -> dict[str, str]:
        """The names of these ids, for code that takes a plain mapping (the PDF summaries)."""
        return {actor: self(actor) for actor in actors if actor}


NO_NAMES = ActorNames(Directory())
