"""Who may see (and so change) which case: one rule, written twice — in Python for a single case
and as SQL for pulls — and tested as a table of role × case kind so the two cannot drift.

- Anyone sees the cases assigned to them or recorded by them (`recorded_by` = their user id).
- A scheme co-ordinator also sees the cases of their schemes.
- Team leaders and managers (team_leader, line_manager, housing_manager,
  director_of_operations) also see the cases on their patches (the case's `estate`).
- A case involving an employee (5.9) is seen only by those team-leader roles, even by the
  officer who recorded it: once it has reached the store it is the team leader's.
- Other roles (health_safety_adviser, hr_od_manager, admin) see only their own assigned or
  recorded cases, never employee cases. A revoked or unknown device sees nothing (401 earlier).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Table, and_, false, not_, or_

from asb_desktop.domain.directory import Role, StaffMember

LEADER_ROLES = frozenset(
    {Role.TEAM_LEADER, Role.LINE_MANAGER, Role.HOUSING_MANAGER, Role.DIRECTOR_OF_OPERATIONS}
)


@dataclass(frozen=True)
class Caller:
    """The user behind an authenticated device."""

    user_id: str
    name: str
    roles: frozenset[Role]
    patches: tuple[str, ...]
    schemes: tuple[str, ...]
    device_id: str

    @classmethod
    def of(cls, member: StaffMember, *, device_id: str) -> Caller:
        return cls(
            user_id=member.id,
            name=member.name,
            roles=member.roles,
            patches=member.patches,
            schemes=member.schemes,
            device_id=device_id,
        )

    @property
    def is_leader(self) -> bool:
        return bool(self.roles & LEADER_ROLES)

    @property
    def is_coordinator(self) -> bool:
        return Role.SCHEME_COORDINATOR in self.roles


@dataclass(frozen=True)
class CaseFacts:
    """The few facts of a case that decide who may see it."""

    assigned_to: str | None
    recorded_by: str | None
    estate: str | None
    supported_scheme: str | None
    involves_employee: bool


def may_see(caller: Caller, case: CaseFacts) -> bool:
    if case.involves_employee and not caller.is_leader:
        return False
    if caller.user_id in (case.assigned_to, case.recorded_by):
        return True
    if caller.is_leader and case.estate is not None and case.estate in caller.patches:
        return True
    return (
        caller.is_coordinator
        and case.supported_scheme is not None
        and case.supported_scheme in caller.schemes
    )


def visible_clause(caller: Caller, cases: Table) -> ColumnElement[bool]:
    """`may_see` as a WHERE clause over the `cases` table."""
    c = cases.c
    ways = [c.assigned_to == caller.user_id, c.recorded_by == caller.user_id]
    if caller.is_leader and caller.patches:
        ways.append(c.estate.in_(caller.patches))
    if caller.is_coordinator and caller.schemes:
        ways.append(c.supported_scheme.in_(caller.schemes))
    seen = or_(*ways)
    if caller.is_leader:
        return seen
    return and_(not_(c.involves_employee), seen) if ways else false()
