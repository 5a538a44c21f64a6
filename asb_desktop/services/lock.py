"""The PIN that unlocks the window after it has been idle, and how long "idle" is.

Only an Argon2id hash is kept, in the encrypted settings table; the PIN itself never leaves
memory. The database key (keyring or passphrase) protects the data at rest; the PIN protects an
unattended, unlocked laptop.

Logged (docs/logging.md): the PIN set, changed, reset; a PIN accepted or wrong (a count of wrong
tries, never what was typed); the window locked.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime
from itertools import pairwise

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete

from asb_desktop.store.audit import AuditWriter
from asb_desktop.store.database import Store
from asb_desktop.store.settings import get_setting, set_setting
from asb_desktop.store.tables import settings
from asb_desktop.support.logs import log_event

PIN_SETTING = "lock_pin_hash"
IDLE_SETTING = "lock_idle_minutes"
DEFAULT_IDLE_MINUTES = 5
MIN_PIN_LENGTH = 4
MAX_PIN_LENGTH = 12
IDLE_CHOICES = (1, 2, 5, 10, 15, 30)

# Interactive-login strength, tuned so unlocking takes a fraction of a second on a laptop.
_HASHER = PasswordHasher(time_cost=2, memory_cost=32 * 1024, parallelism=1)
_log = logging.getLogger(__name__)
LOCKED_BY = ("idle", "hand")


class PinError(ValueError):
    """A PIN that cannot be used; the message is for the user."""


PIN_LENGTH_RULE = f"The PIN must be {MIN_PIN_LENGTH} to {MAX_PIN_LENGTH} digits."
REPEATED = "the same digit repeated (such as 1111)"
COUNTING = "digits counting up or down (such as 1234 or 9876)"
PIN_ADVICE = (
    f"Pick digits you will remember but others cannot guess: not your birthday, not {REPEATED} "
    f"and not {COUNTING}."
)
"""What the PIN pages say; the rule below refuses the last two in the same words."""


def check_new_pin(pin: str) -> None:
    """A PIN that may be chosen: 4 to 12 digits, not one digit repeated, not digits counting
    up or down by one. Raises PinError saying which, in the words the PIN pages use."""
    if not pin.isdigit() or not (MIN_PIN_LENGTH <= len(pin) <= MAX_PIN_LENGTH):
        raise PinError(PIN_LENGTH_RULE)
    if len(set(pin)) == 1:
        raise PinError(f"The PIN cannot be {REPEATED}: others could guess it.")
    steps = {(int(b) - int(a)) % 10 for a, b in pairwise(pin)}
    if steps in ({1}, {9}):  # each digit one more (or less) than the last, 9 then 0 included
        raise PinError(f"The PIN cannot be {COUNTING}: others could guess it.")


def note_locked(by: str) -> None:
    """The window hid its data: `by` is "idle" (the idle timer) or "hand" (Ctrl+L, Change PIN)."""
    log_event(_log, "lock.locked", by=by if by in LOCKED_BY else "other")


class Lock:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._wrong = 0  # wrong PINs since the last right one, for the log
        self._wrong_lock = threading.Lock()

    def has_pin(self) -> bool:
        with self.store.read() as conn:
            return get_setting(conn, PIN_SETTING) is not None

    def set_pin(self, pin: str) -> None:
        check_new_pin(pin)
        hashed = _HASHER.hash(pin)
        with self.store.write() as conn:
            had_pin = get_setting(conn, PIN_SETTING) is not None
            set_setting(conn, PIN_SETTING, hashed)
        log_event(_log, "lock.pin_changed" if had_pin else "lock.pin_set")

    def forget_pin(self, *, actor: str, now: datetime) -> bool:
        """For an officer who forgot their PIN: whoever can open the store (their own sign-in or
        passphrase) may clear it; the next start asks for a new one. Audited. False if none."""
        with self.store.write() as conn:
            if get_setting(conn, PIN_SETTING) is None:
                return False
            conn.execute(delete(settings).where(settings.c.key == PIN_SETTING))
            AuditWriter(conn, actor=actor).append(at=now, action="lock.pin_reset")
        log_event(_log, "lock.pin_reset")
        return True

    def check(self, pin: str) -> bool:
        """Whether `pin` is the PIN (the lock screen: unlocking, or the first step of a change)."""
        with self.store.read() as conn:
            stored = get_setting(conn, PIN_SETTING)
        if stored is None:
            log_event(_log, "lock.pin_missing", level=logging.WARNING)
            return False
        right: bool
        try:
            right = _HASHER.verify(stored, pin)
        except VerificationError:
            right = False
        except InvalidHashError as error:
            log_event(_log, "lock.pin_unreadable", level=logging.WARNING, error=error)
            return False
        with self._wrong_lock:
            if right:
                wrong, self._wrong = self._wrong, 0
            else:
                self._wrong += 1
                wrong = self._wrong
        if right:
            log_event(_log, "lock.pin_accepted", wrong_before=wrong)
        else:
            log_event(_log, "lock.pin_wrong", level=logging.WARNING, attempts=wrong)
        return right

    def idle_minutes(self) -> int:
        with self.store.read() as conn:
            stored = get_setting(conn, IDLE_SETTING)
        try:
            return int(stored) if stored else DEFAULT_IDLE_MINUTES
        except ValueError:
            return DEFAULT_IDLE_MINUTES

    def set_idle_minutes(self, minutes: int) -> None:
        if not 1 <= minutes <= 120:
            raise PinError("The idle time before locking must be between 1 and 120 minutes.")
        with self.store.write() as conn:
            set_setting(conn, IDLE_SETTING, str(minutes))
        log_event(_log, "lock.idle_minutes_set", minutes=minutes)
