"""What a sync did and where things stand, in the words the window and `asb-desktop sync` print."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from asb_desktop.domain.attachment import size_words
from asb_desktop.domain.wording import counted

LONDON = ZoneInfo("Europe/London")


def in_words(moment: datetime | None) -> str:
    if moment is None:
        return "never"
    return moment.astimezone(LONDON).strftime("%a %d %b %Y, %H:%M")


@dataclass(frozen=True)
class SyncStatus:
    """Where sync stands now, without talking to the server."""

    connected: bool
    server_url: str | None
    user_name: str | None
    waiting: int  # cases with changes not yet sent
    failed: int  # changes the server refused
    conflicts: int  # fields waiting for the officer's choice
    last_success_at: datetime | None
    last_error: str | None
    error_kind: str | None  # "offline", "server", "auth", "refused", "error"
    next_attempt_at: datetime | None
    evidence_waiting: int = 0  # attachments whose bytes the central store does not have yet
    evidence_bytes: int = 0

    @property
    def needs_sign_in(self) -> bool:
        return self.error_kind == "auth"

    def waiting_words(self) -> str:
        if self.waiting == 0:
            return "All changes sent"
        return counted(self.waiting, "case waiting to be sent", "cases waiting to be sent")

    def evidence_words(self) -> str:
        """'2 attachments waiting to upload, 31.0 MB' ('' when none)."""
        if not self.evidence_waiting:
            return ""
        count = counted(
            self.evidence_waiting, "attachment waiting to upload", "attachments waiting to upload"
        )
        return f"{count}, {size_words(self.evidence_bytes)}"

    def lines(self) -> list[str]:
        if not self.connected:
            return [
                "Not connected to a central store: use the Sync page → Connect to the central store "
                "(or `asb-desktop enrol URL CODE`)."
            ]
        out = [f"Central store: {self.server_url} (as {self.user_name})."]
        out.append(f"{self.waiting_words()}.")
        if self.evidence_waiting:
            out.append(f"{self.evidence_words()}.")
        if self.failed:
            out.append(
                counted(self.failed, "change was", "changes were")
                + " refused by the central store: see the Sync page for why."
            )
        if self.conflicts:
            out.append(
                counted(self.conflicts, "field conflict needs", "field conflicts need")
                + " your choice on the Sync page."
            )
        out.append(f"Last successful sync: {in_words(self.last_success_at)}.")
        if self.last_error:
            out.append(f"Problem: {self.last_error}")
        return out


@dataclass
class SyncSummary:
    """One sync run: what went up, what came down, and the state it left."""

    sent: int = 0
    references: int = 0
    refused: int = 0
    conflicts: int = 0
    received: int = 0
    directory: bool = False
    cancelled: bool = False
    skipped: str | None = None  # why nothing was attempted (backing off, needs sign-in)
    error: str | None = None
    error_kind: str | None = None
    problems: list[str] = field(default_factory=list)
    # The central store revoked this laptop (protocol.REVOKED_*), its answer proved: the caller
    # deletes the local store next. `unsent`: the changes that could not be sent first.
    withdrawn: str | None = None
    unsent: int = 0
    status: SyncStatus | None = None
    # Cases removed from this laptop in this run, and cases that may not stay but are kept for
    # their changes not taken, by reason (protocol.GONE_*, or purge.CLOSED).
    removed: dict[str, int] = field(default_factory=dict)
    kept: dict[str, int] = field(default_factory=dict)
    closed_days: int = 30
    # People the administrator erased from cases held here, in sentences (store/erasure.py).
    erased: list[str] = field(default_factory=list)
    # Evidence: attachments whose bytes the central store now holds whole, and refused ones.
    evidence_sent: int = 0
    evidence_refused: int = 0

    @property
    def ok(self) -> bool:
        return (
            self.error is None
            and self.skipped is None
            and not self.cancelled
            and self.withdrawn is None
        )

    def withdrawn_words(self, when: str = "now") -> str:
        """What the officer is told before the local store is deleted (`when` it goes)."""
        how = (
            "as retired (a leaver's or a laptop no longer used)"
            if self.withdrawn == "retire"
            else "as lost or stolen"
        )
        sent = (
            f" {counted(self.sent, 'change was', 'changes were')} sent first." if self.sent else ""
        )
        unsent = (
            f" {counted(self.unsent, 'change', 'changes')} could not be sent and "
            f"{'is' if self.unsent == 1 else 'are'} deleted with it: ask your team leader."
            if self.unsent
            else " Nothing typed on this laptop is lost: the central store has it all."
        )
        return (
            f"This laptop was withdrawn from the central store by its administrator, {how}.{sent}"
            f"{unsent} Its case database (every case, draft and unsent change on it) and its key "
            f"are deleted from this laptop {when}."
        )

    def lines(self) -> list[str]:
        out: list[str] = []
        if self.withdrawn is not None:
            return [self.withdrawn_words()]
        if self.skipped:
            out.append(self.skipped)
        elif self.cancelled:
            out.append("Sync stopped before it finished; the rest goes next time.")
        else:
            done = (
                f"Sent {counted(self.sent, 'change', 'changes')}"
                f" ({counted(self.references, 'new reference', 'new references')}); "
                f"received {counted(self.received, 'case', 'cases')} from the central store"
            )
            out.append(done + (", and the staff directory." if self.directory else "."))
        if self.refused:
            out.append(
                counted(self.refused, "change was", "changes were")
                + " refused by the central store this time."
            )
        if self.conflicts:
            out.append(counted(self.conflicts, "new field conflict", "new field conflicts") + ".")
        if self.evidence_sent:
            out.append(
                counted(self.evidence_sent, "attachment", "attachments")
                + " uploaded to the central store, checked whole by its SHA-256."
            )
        if self.evidence_refused:
            out.append(
                counted(self.evidence_refused, "attachment was", "attachments were")
                + " refused by the central store (too large for it, or not yours to send): "
                "tell your IT service."
            )
        out += removal_lines(self.removed, self.kept, self.closed_days)
        out += self.erased
        out += self.problems
        if self.status is not None:
            out += [line for line in self.status.lines() if not line.startswith("Problem:")]
        if self.error:
            out.append(f"Problem: {self.error}")
        return out


# Why a case left this laptop, in words: (one case, several cases), each followed by
# "removed from this laptop." Reasons are protocol.GONE_* and purge's "closed".
_WHY = {
    "reassigned": (
        "1 case was handed to another officer and",
        "{n} cases were handed to other officers and",
    ),
    "employee": (
        "1 case now involves an employee (5.9: Team Leaders and up only) and was",
        "{n} cases now involve an employee (5.9: Team Leaders and up only) and were",
    ),
    "access": (
        "1 case is no longer yours to see and was",
        "{n} cases are no longer yours to see and were",
    ),
    "destroyed": (
        "1 case was destroyed under the retention rules (its time to be kept was over) and was",
        "{n} cases were destroyed under the retention rules (their time to be kept was over) and "
        "were",
    ),
    "removed": (
        "1 case is no longer kept by the central store and was",
        "{n} cases are no longer kept by the central store and were",
    ),
}


def removal_lines(removed: dict[str, int], kept: dict[str, int], closed_days: int) -> list[str]:
    """ "3 cases were handed to other officers and removed from this laptop." and the like."""
    out: list[str] = []
    for reason in ("reassigned", "employee", "access", "destroyed", "removed"):
        count = removed.get(reason, 0)
        if count:
            one, many = _WHY[reason]
            out.append(
                (one if count == 1 else many.format(n=f"{count:,}")) + " removed from this laptop."
            )
    others = sum(n for r, n in removed.items() if r not in _WHY and r != "closed")
    if others:
        one, many = _WHY["access"]
        out.append(
            (one if others == 1 else many.format(n=f"{others:,}")) + " removed from this laptop."
        )
    closed = removed.get("closed", 0)
    if closed:
        days = counted(closed_days, "day", "days")
        out.append(
            counted(closed, "case", "cases")
            + f" closed more than {days} ago {'was' if closed == 1 else 'were'} removed from this"
            " laptop; a case comes back if it is reopened."
        )
    waiting = sum(kept.values())
    if waiting:
        out.append(
            counted(waiting, "case", "cases")
            + " may no longer stay on this laptop, but "
            + ("its" if waiting == 1 else "their")
            + " changes were not taken by the central store: "
            + ("it stays" if waiting == 1 else "they stay")
            + " here, with the changes listed as refused on the Sync page, so nothing you typed"
            " is lost; giving a change up there (Give up this change) lets its case go."
        )
    return out
