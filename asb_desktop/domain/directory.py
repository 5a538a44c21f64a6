"""The staff directory: who can be assigned a case, and the estates and schemes they cover."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import Any

from asb_desktop.domain.errors import InputError

DIRECTORY_FORMAT = "asb-directory/1"


class Role(StrEnum):
    HOUSING_OFFICER = "housing_officer"
    ENFORCEMENT_OFFICER = "enforcement_officer"
    SCHEME_COORDINATOR = "scheme_coordinator"
    TEAM_LEADER = "team_leader"
    LINE_MANAGER = "line_manager"
    HOUSING_MANAGER = "housing_manager"
    HEALTH_SAFETY_ADVISER = "health_safety_adviser"
    HR_OD_MANAGER = "hr_od_manager"
    DIRECTOR_OF_OPERATIONS = "director_of_operations"
    ADMIN = "admin"


@dataclass(frozen=True)
class StaffMember:
    id: str
    name: str
    roles: frozenset[Role]
    patches: tuple[str, ...] = ()
    schemes: tuple[str, ...] = ()

    def has_role(self, role: Role) -> bool:
        return role in self.roles


@dataclass(frozen=True)
class Estate:
    code: str
    name: str
    homes: int | None = None  # how many homes it has: the figures' NM01 rates per 1,000 homes


@dataclass(frozen=True)
class Scheme:
    code: str
    name: str
    kind: str | None = None


@dataclass(frozen=True)
class Directory:
    """Staff in their listed order: the procedure's "first-listed" depends on it."""

    staff: tuple[StaffMember, ...] = ()
    estates: tuple[Estate, ...] = ()
    schemes: tuple[Scheme, ...] = ()

    def with_role(self, role: Role) -> list[StaffMember]:
        return list(self._by_role.get(role, ()))

    @cached_property
    def _by_role(self) -> dict[Role, tuple[StaffMember, ...]]:
        """Each role's staff in listed order, sorted out once: the procedure asks for every
        case it assigns (the central store's whole directory, for each case of a push)."""
        return {role: tuple(s for s in self.staff if s.has_role(role)) for role in Role}

    def member(self, staff_id: str) -> StaffMember | None:
        return next((s for s in self.staff if s.id == staff_id), None)


EMPTY_DIRECTORY = Directory()


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputError(where, "must be a non-empty string")
    return value.strip()


def _codes(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise InputError(where, "must be a list of codes")
    return tuple(_text(v, f"{where}[{i}]") for i, v in enumerate(value))


def _homes(value: Any, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InputError(where, "must be a whole number of homes, 0 or more")
    return value


def _check_keys(obj: Any, allowed: set[str], where: str) -> dict[str, Any]:
    if not isinstance(obj, dict):
        raise InputError(where or "(top level)", "must be a JSON object")
    unknown = sorted(set(obj) - allowed)
    if unknown:
        prefix = f"{where}." if where else ""
        raise InputError(f"{prefix}{unknown[0]}", "is not a known field")
    return obj


def _entries(top: dict[str, Any], key: str) -> list[Any]:
    value = top.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(key, "must be a list")
    return value


def parse_directory(obj: Any) -> Directory:
    """Read an `asb-directory/1` document, naming the entry and field of the first problem."""
    top = _check_keys(obj, {"format", "staff", "estates", "schemes"}, "")
    if top.get("format") != DIRECTORY_FORMAT:
        raise InputError("format", f'must be "{DIRECTORY_FORMAT}"')
    staff: list[StaffMember] = []
    seen: set[str] = set()
    for i, raw in enumerate(_entries(top, "staff")):
        where = f"staff[{i}]"
        entry = _check_keys(raw, {"id", "name", "roles", "patches", "schemes"}, where)
        staff_id = _text(entry.get("id"), f"{where}.id")
        if staff_id in seen:
            raise InputError(f"{where}.id", f"{staff_id!r} is listed twice")
        seen.add(staff_id)
        roles = entry.get("roles")
        if not isinstance(roles, list) or not roles:
            raise InputError(f"{where}.roles", "must list at least one role")
        parsed_roles: set[Role] = set()
        for j, role in enumerate(roles):
            try:
                parsed_roles.add(Role(role))
            except ValueError:
                raise InputError(f"{where}.roles[{j}]", f"{role!r} is not a known role") from None
        staff.append(
            StaffMember(
                id=staff_id,
                name=_text(entry.get("name"), f"{where}.name"),
                roles=frozenset(parsed_roles),
                patches=_codes(entry.get("patches"), f"{where}.patches"),
                schemes=_codes(entry.get("schemes"), f"{where}.schemes"),
            )
        )
    estates = []
    for i, raw in enumerate(_entries(top, "estates")):
        entry = _check_keys(raw, {"code", "name", "homes"}, f"estates[{i}]")
        estates.append(
            Estate(
                code=_text(entry.get("code"), f"estates[{i}].code"),
                name=_text(entry.get("name"), f"estates[{i}].name"),
                homes=_homes(entry.get("homes"), f"estates[{i}].homes"),
            )
        )
    schemes = []
    for i, raw in enumerate(_entries(top, "schemes")):
        entry = _check_keys(raw, {"code", "name", "kind"}, f"schemes[{i}]")
        kind = entry.get("kind")
        schemes.append(
            Scheme(
                code=_text(entry.get("code"), f"schemes[{i}].code"),
                name=_text(entry.get("name"), f"schemes[{i}].name"),
                kind=None if kind is None else _text(kind, f"schemes[{i}].kind"),
            )
        )
    return Directory(staff=tuple(staff), estates=tuple(estates), schemes=tuple(schemes))


def directory_to_document(directory: Directory) -> dict[str, Any]:
    return {
        "format": DIRECTORY_FORMAT,
        "staff": [
            {
                "id": s.id,
                "name": s.name,
                "roles": sorted(r.value for r in s.roles),
                "patches": list(s.patches),
                "schemes": list(s.schemes),
            }
            for s in directory.staff
        ],
        "estates": [_estate_document(e) for e in directory.estates],
        "schemes": [{"code": s.code, "name": s.name, "kind": s.kind} for s in directory.schemes],
    }


def _estate_document(estate: Estate) -> dict[str, Any]:
    kept: dict[str, Any] = {"code": estate.code, "name": estate.name}
    if estate.homes is not None:
        kept["homes"] = estate.homes
    return kept
