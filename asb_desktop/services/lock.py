"""The PIN that unlocks the window after it has been idle, and how long "idle" is.

Only an Argon2id hash is kept, in the encrypted settings table; the PIN itself never leaves
memory. The database key (keyring or passphrase) protects the data at rest; the PIN protects an
unattended, unlocked laptop.
"""

from __future__ import annotations

from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete

from asb_desktop.store.audit import AuditWriter
from asb_desktop.store.database import Store
from asb_desktop.store.settings import get_setting, set_setting
from asb_desktop.store.tables import settings

PIN_SETTING = "lock_pin_hash"
IDLE_SETTING = "lock_idle_minutes"
DEFAULT_IDLE_MINUTES = 5
MIN_PIN_LENGTH = 4
MAX_PIN_LENGTH = 12
IDLE_CHOICES = (1, 2, 5, 10, 15, 30)

# Interactive-login strength, tuned so unlocking takes a fraction of a second on a laptop.
_HASHER = PasswordHasher(time_cost=2, memory_cost=32 * 1024, parallelism=1)


class PinError(ValueError):
    """A PIN that cannot be used; the message is for the user."""


def check_pin_shape(pin: str) -> None:
    if not pin.isdigit() or not (MIN_PIN_LENGTH <= len(pin) <= MAX_PIN_LENGTH):
        raise PinError(f"The PIN must be {MIN_PIN_LENGTH} to {MAX_PIN_LENGTH} digits.")


class Lock:
    def __init__(self, store: Store) -> None:
        self.store = store

    def has_pin(self) -> bool:
        with self.store.read() as conn:
            return get_setting(conn, PIN_SETTING) is not None

    def set_pin(self, pin: str) -> None:
        check_pin_shape(pin)
        hashed = _HASHER.hash(pin)
        with self.store.write() as conn:
            set_setting(conn, PIN_SETTING, hashed)

    def forget_pin(self, *, actor: str, now: datetime) -> bool:
        """For an officer who forgot their PIN: whoever can open the store (their own sign-in or
        passphrase) may clear it; the next start asks for a new one. Audited. False if none."""
        with self.store.write() as conn:
            if get_setting(conn, PIN_SETTING) is None:
                return False
            conn.execute(delete(settings).where(settings.c.key == PIN_SETTING))
            AuditWriter(conn, actor=actor).append(at=now, action="lock.pin_reset")
        return True

    def check(self, pin: str) -> bool:
        with self.store.read() as conn:
            stored = get_setting(conn, PIN_SETTING)
        if stored is None:
            return False
        try:
            return _HASHER.verify(stored, pin)
        except (VerificationError, InvalidHashError):
            return False

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
