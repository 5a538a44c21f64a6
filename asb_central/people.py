"""Users (staff directory members), devices, enrolment codes and bearer-token authentication.

A user IS a staff member of the directory, so the id a case is assigned to is the id that signs
in. Device tokens are 256 random bits shown once; only their SHA-256 is stored (a fast hash is
enough for a secret that cannot be guessed). Enrolment codes are `IIII-SSSS-SSSS-SSSS` in
Crockford base32: a 4-character id in clear and a 60-bit secret stored hashed. A code expires
after 24 hours, works once, is burned after 5 wrong secrets, and a client address with 20
failures in 15 minutes gets 429 until the window passes. An answer lost on its way back can be
asked for again by the same laptop (`enrol_device`); a device is active once it has been used.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, func, insert, or_, select, update

from asb_central.access import Caller
from asb_central.db import Database, utcnow
from asb_central.tables import (
    device_events,
    devices,
    enrol_failures,
    enrolment_codes,
    estates,
    schemes,
    settings,
    staff,
)
from asb_desktop.domain.calendar import Nation
from asb_desktop.domain.directory import (
    Directory,
    Estate,
    Role,
    Scheme,
    StaffMember,
    directory_to_document,
)
from asb_desktop.sync import protocol as p

CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U
CODE_LIFETIME = timedelta(hours=24)
CODE_MAX_FAILURES = 5
CLIENT_MAX_FAILURES = 20
FAILURE_WINDOW = timedelta(minutes=15)


class EnrolmentRefused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- the directory ------------------------------------------------------------------------------


def _member(row: Any) -> StaffMember:
    return StaffMember(
        id=row.id,
        name=row.name,
        roles=frozenset(Role(r) for r in json.loads(row.roles)),
        patches=tuple(json.loads(row.patches)),
        schemes=tuple(json.loads(row.schemes)),
    )


def load_directory(conn: Connection) -> Directory:
    """The active staff in directory order, with estates and schemes: what `evaluate` needs."""
    people = conn.execute(select(staff).where(staff.c.active).order_by(staff.c.position)).all()
    places = conn.execute(select(estates).order_by(estates.c.position)).all()
    homes = conn.execute(select(schemes).order_by(schemes.c.position)).all()
    return Directory(
        staff=tuple(_member(r) for r in people),
        estates=tuple(Estate(code=r.code, name=r.name, homes=r.homes) for r in places),
        schemes=tuple(Scheme(code=r.code, name=r.name, kind=r.kind) for r in homes),
    )


def directory_document(conn: Connection) -> dict[str, Any]:
    return directory_to_document(load_directory(conn))


def get_setting(conn: Connection, key: str) -> str:
    return str(conn.execute(select(settings.c.value).where(settings.c.key == key)).scalar_one())


def set_setting(conn: Connection, key: str, value: str) -> None:
    conn.execute(update(settings).where(settings.c.key == key).values(value=value))


def nation(conn: Connection) -> Nation:
    return Nation(get_setting(conn, "nation"))


def _bump_directory(db: Database, conn: Connection) -> int:
    """Directory changes share the case change numbers, so one checkpoint covers both."""
    number = db.lock_changes(conn) + 1
    db.set_last_change(conn, number)
    set_setting(conn, "directory_version", str(number))
    return number


def _staff_values(member: StaffMember, position: int) -> dict[str, Any]:
    return {
        "name": member.name,
        "roles": json.dumps(sorted(r.value for r in member.roles)),
        "patches": json.dumps(list(member.patches)),
        "schemes": json.dumps(list(member.schemes)),
        "position": position,
        "active": True,
    }


def import_directory(db: Database, directory: Directory) -> int:
    """Replace the directory; staff left out become inactive (their devices stop working)."""
    with db.write() as conn:
        conn.execute(update(staff).values(active=False))
        existing = set(conn.execute(select(staff.c.id)).scalars())
        for position, member in enumerate(directory.staff):
            values = _staff_values(member, position)
            if member.id in existing:
                conn.execute(update(staff).where(staff.c.id == member.id).values(**values))
            else:
                conn.execute(insert(staff).values(id=member.id, **values))
        conn.execute(estates.delete())
        conn.execute(schemes.delete())
        for position, estate in enumerate(directory.estates):
            conn.execute(
                insert(estates).values(
                    code=estate.code, name=estate.name, homes=estate.homes, position=position
                )
            )
        for position, scheme in enumerate(directory.schemes):
            conn.execute(
                insert(schemes).values(
                    code=scheme.code, name=scheme.name, kind=scheme.kind, position=position
                )
            )
        return _bump_directory(db, conn)


def add_user(db: Database, member: StaffMember) -> None:
    """Add a staff member at the end of the directory, or update one in place."""
    with db.write() as conn:
        row = conn.execute(select(staff.c.position).where(staff.c.id == member.id)).first()
        if row is None:
            last = conn.execute(select(func.max(staff.c.position))).scalar()
            values = _staff_values(member, -1 if last is None else int(last) + 1)
            conn.execute(insert(staff).values(id=member.id, **values))
        else:
            values = _staff_values(member, row.position)
            conn.execute(update(staff).where(staff.c.id == member.id).values(**values))
        _bump_directory(db, conn)


def list_users(db: Database) -> list[tuple[StaffMember, bool]]:
    with db.read() as conn:
        rows = conn.execute(select(staff).order_by(staff.c.position)).all()
    return [(_member(r), bool(r.active)) for r in rows]


# --- devices and enrolment ----------------------------------------------------------------------


def _random_code(length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def normalise_code(raw: str) -> str:
    """Forgive what people mistype when reading a code aloud: case, dashes, spaces, I/L/O."""
    text = raw.upper().replace("-", "").replace(" ", "")
    return text.translate(str.maketrans("ILO", "110"))


def create_enrolment_code(db: Database, user_id: str, now: datetime | None = None) -> str:
    moment = now or utcnow()
    with db.write() as conn:
        active = conn.execute(
            select(staff.c.id).where(staff.c.id == user_id, staff.c.active)
        ).first()
        if active is None:
            raise LookupError(f"no active user with id {user_id!r}: add them first")
        while True:
            code_id = _random_code(4)
            taken = conn.execute(
                select(enrolment_codes.c.id).where(enrolment_codes.c.id == code_id)
            ).first()
            if taken is None:
                break
        secret = _random_code(12)
        conn.execute(
            insert(enrolment_codes).values(
                id=code_id,
                user_id=user_id,
                secret_hash=sha256(secret),
                created_at=moment,
                expires_at=moment + CODE_LIFETIME,
                failed_attempts=0,
            )
        )
    full = code_id + secret
    return "-".join(full[i : i + 4] for i in range(0, 16, 4))


def _recent_failures(conn: Connection, client: str, now: datetime) -> int:
    query = select(func.count()).where(
        and_(enrol_failures.c.client == client, enrol_failures.c.at > now - FAILURE_WINDOW)
    )
    return int(conn.execute(query).scalar_one())


def _new_token() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).rstrip(b"=").decode()


def _answer_again(conn: Connection, row: Any, key_hash: str | None) -> Any:
    """The device a used code made, if this is the same laptop asking again (same key) while
    the code lives and before that device was ever used; else None."""
    if (
        key_hash is None
        or row.device_key_hash is None
        or row.device_id is None
        or not hmac.compare_digest(row.device_key_hash, key_hash)
    ):
        return None
    return conn.execute(
        select(devices).where(
            devices.c.id == row.device_id,
            devices.c.revoked_at.is_(None),
            devices.c.confirmed_at.is_(None),
        )
    ).first()


def enrol_device(
    db: Database, *, code: str, device_name: str, client: str, device_key: str | None = None
) -> tuple[str, str, StaffMember]:
    """Exchange a one-time code for (device id, token, user); raises EnrolmentRefused.

    A code works once, but an answer can be lost on the way back: when the same code comes
    again with the same `device_key` (made by the laptop before its first try) while the code
    lives and before the device it made was ever used, the same device gets a new token (the
    lost one stops working) and the answer is given again. Any other use of a used code is a
    failure. A device is confirmed by its first authenticated call (`authenticate`); one never
    confirmed stops working when its code expires, so a lost answer leaves no usable orphan.
    """
    now = utcnow()
    text = normalise_code(code)
    key_hash = sha256(device_key) if device_key else None
    with db.write() as conn:
        if _recent_failures(conn, client[:64], now) >= CLIENT_MAX_FAILURES:
            raise EnrolmentRefused(429, "too many wrong enrolment codes: wait 15 minutes")
        row = None
        if len(text) == 16 and set(text) <= set(CODE_ALPHABET):
            row = conn.execute(
                select(enrolment_codes).where(enrolment_codes.c.id == text[:4])
            ).first()
        if row is not None and _usable(row, text, now):
            again = _answer_again(conn, row, key_hash) if row.used_at is not None else None
            if row.used_at is None or again is not None:
                member_row = conn.execute(
                    select(staff).where(staff.c.id == row.user_id, staff.c.active)
                ).first()
                if member_row is None:
                    raise EnrolmentRefused(401, "the user of this code is no longer active")
                token = _new_token()
                if again is not None:
                    conn.execute(
                        update(devices)
                        .where(devices.c.id == again.id)
                        .values(token_hash=sha256(token), name=device_name.strip() or again.name)
                    )
                    return str(again.id), token, _member(member_row)
                device_id = str(uuid.uuid4())
                conn.execute(
                    insert(devices).values(
                        id=device_id,
                        user_id=row.user_id,
                        name=device_name.strip() or "device",
                        token_hash=sha256(token),
                        created_at=now,
                        confirm_by=row.expires_at,
                    )
                )
                conn.execute(
                    update(enrolment_codes)
                    .where(enrolment_codes.c.id == row.id)
                    .values(used_at=now, device_id=device_id, device_key_hash=key_hash)
                )
                return device_id, token, _member(member_row)
        conn.execute(insert(enrol_failures).values(client=client[:64], at=now))
        conn.execute(enrol_failures.delete().where(enrol_failures.c.at <= now - FAILURE_WINDOW))
        if row is not None and row.used_at is None:
            conn.execute(
                update(enrolment_codes)
                .where(enrolment_codes.c.id == row.id)
                .values(failed_attempts=enrolment_codes.c.failed_attempts + 1)
            )
    raise EnrolmentRefused(401, "that enrolment code is not valid: it is wrong, used, or expired")


def _usable(row: Any, text: str, now: datetime) -> bool:
    """The code's secret is right, and the code is neither expired nor burned."""
    return bool(
        row.expires_at > now
        and row.failed_attempts < CODE_MAX_FAILURES
        and hmac.compare_digest(row.secret_hash, sha256(text[4:]))
    )


def revoke_devices(
    db: Database,
    *,
    device_id: str | None = None,
    user_id: str | None = None,
    mode: str = p.REVOKED_LOST,
) -> int:
    """Revoke one device, or every device of a user; returns how many were active. `mode` is
    `lost` (nothing more is taken from it) or `retire` (its unsent changes are taken until it
    has been told to delete its local store); each is kept in the devices' audit."""
    if mode not in p.REVOKE_MODES:
        raise ValueError(f"unknown revocation mode {mode!r}")
    which = devices.c.id == device_id if device_id else devices.c.user_id == user_id
    where = [devices.c.revoked_at.is_(None), which]
    now = utcnow()
    with db.write() as conn:
        result = conn.execute(
            update(devices)
            .where(*where)
            .values(revoked_at=now, revoke_mode=mode)
            .returning(devices.c.id, devices.c.user_id)
        )
        rows = result.all()
        for row in rows:
            _event(conn, row.id, row.user_id, f"revoked_{mode}", now=now)
        return len(rows)


def _event(
    conn: Connection, device_id: str, user_id: str, event: str, *, now: datetime, detail: str = ""
) -> None:
    conn.execute(
        insert(device_events).values(
            device_id=device_id, user_id=user_id, at=now, event=event, detail=detail
        )
    )


def device_history(db: Database, device_id: str) -> list[Any]:
    """A device's audit, oldest first: (at, event, detail)."""
    query = (
        select(device_events.c.at, device_events.c.event, device_events.c.detail)
        .where(device_events.c.device_id == device_id)
        .order_by(device_events.c.id)
    )
    with db.read() as conn:
        return list(conn.execute(query).all())


@dataclass(frozen=True)
class RevokedDevice:
    """A revoked device that called with its own token: what its 410 says."""

    device_id: str
    user_id: str
    mode: str
    told: bool
    token_hash: str
    caller: Caller | None  # who it acts as while it may still send (retire, not yet told)

    def answer(self) -> p.Revocation:
        proof = p.revocation_proof(self.token_hash, self.device_id, self.mode)
        return p.Revocation.model_validate(
            {"device_id": self.device_id, "mode": self.mode, "proof": proof}
        )


def revoked_device(db: Database, token: str) -> RevokedDevice | None:
    """The revoked device this token belongs to, if it is one (whether or not its user is still
    active: a leaver's laptop must still hear that it is revoked)."""
    if not token or len(token) > 128:
        return None
    hashed = sha256(token)
    query = (
        select(
            devices.c.id.label("device_id"),
            devices.c.revoke_mode,
            devices.c.told_at,
            staff,
        )
        .join(staff, staff.c.id == devices.c.user_id)
        .where(devices.c.token_hash == hashed, devices.c.revoked_at.is_not(None))
    )
    with db.read() as conn:
        row = conn.execute(query).first()
    if row is None:
        return None
    mode = row.revoke_mode or p.REVOKED_LOST
    told = row.told_at is not None
    caller = None
    if mode == p.REVOKED_RETIRE and not told and row.active:
        caller = Caller.of(_member(row), device_id=row.device_id)
    return RevokedDevice(row.device_id, row.id, mode, told, hashed, caller)


def tell_revoked(db: Database, device: RevokedDevice) -> None:
    """The device is being answered 410: note the first time (from then on it may send
    nothing), in the devices' audit."""
    if device.told:
        return
    now = utcnow()
    with db.write() as conn:
        told = conn.execute(
            update(devices)
            .where(devices.c.id == device.device_id, devices.c.told_at.is_(None))
            .values(told_at=now)
            .returning(devices.c.id)
        ).first()
        if told is not None:
            _event(conn, device.device_id, device.user_id, "told_to_delete", now=now)


def note_deleting(db: Database, device: RevokedDevice, unsent: int) -> None:
    """The laptop says it is deleting its local store now, with so many changes unsent."""
    with db.write() as conn:
        _event(
            conn, device.device_id, device.user_id, "deleting_local_store", now=utcnow(),
            detail=json.dumps({"unsent": unsent}),
        )  # fmt: skip


def list_devices(db: Database, user_id: str | None = None) -> list[Any]:
    query = select(devices).order_by(devices.c.created_at)
    if user_id:
        query = query.where(devices.c.user_id == user_id)
    with db.read() as conn:
        return list(conn.execute(query).all())


def device_state(row: Any, now: datetime | None = None) -> str:
    """A device's state in words for `asb-central device list`."""
    if row.revoked_at is not None:
        mode = row.revoke_mode or p.REVOKED_LOST
        told = f", told {row.told_at:%Y-%m-%d %H:%M}" if row.told_at else ", not yet told"
        return f"revoked ({mode}) {row.revoked_at:%Y-%m-%d %H:%M}{told}"
    if row.confirmed_at is not None:
        return "active"
    if row.confirm_by is not None and row.confirm_by <= (now or utcnow()):
        return "never confirmed: not active (its enrolment answer was not collected)"
    until = f" until {row.confirm_by:%Y-%m-%d %H:%M} UTC" if row.confirm_by else ""
    return f"waiting for the laptop's first call{until}"


@dataclass(frozen=True)
class DeviceInfo:
    device_name: str
    caller: Caller


def authenticate(db: Database, token: str) -> DeviceInfo | None:
    """The caller behind a bearer token, or None for unknown, revoked or inactive (a user no
    longer active, or a device never confirmed whose code has expired). The first call of a
    device confirms it."""
    if not token or len(token) > 128:
        return None
    now = utcnow()
    query = (
        select(
            devices.c.id.label("device_id"),
            devices.c.name.label("device_name"),
            devices.c.confirmed_at,
            staff,
        )
        .join(staff, staff.c.id == devices.c.user_id)
        .where(
            devices.c.token_hash == sha256(token),
            devices.c.revoked_at.is_(None),
            staff.c.active,
            or_(devices.c.confirmed_at.is_not(None), devices.c.confirm_by > now),
        )
    )
    with db.glance() as conn:  # every request: one statement, no transaction round trips
        row = conn.execute(query).first()
    if row is None:
        return None
    if row.confirmed_at is None:
        with db.write() as conn:
            conn.execute(
                update(devices)
                .where(devices.c.id == row.device_id, devices.c.confirmed_at.is_(None))
                .values(confirmed_at=now)
            )
    member = _member(row)
    return DeviceInfo(
        device_name=row.device_name, caller=Caller.of(member, device_id=row.device_id)
    )


def names(
    conn: Connection, user_ids: set[str], device_ids: set[str]
) -> tuple[dict[str, str], dict[str, str]]:
    """Users' names (inactive ones too) and devices' names, by id, for labelling."""
    users = {i for i in user_ids if i}
    kit = {i for i in device_ids if i}
    found_users: dict[str, str] = {}
    found_devices: dict[str, str] = {}
    if users:
        query = select(staff.c.id, staff.c.name).where(staff.c.id.in_(users))
        found_users = {r.id: r.name for r in conn.execute(query)}
    if kit:
        query = select(devices.c.id, devices.c.name).where(devices.c.id.in_(kit))
        found_devices = {r.id: r.name for r in conn.execute(query)}
    return found_users, found_devices
