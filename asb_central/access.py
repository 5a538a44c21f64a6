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

Settling a field conflict (choosing which of two values a case keeps) is narrower than seeing
the case: see `may_settle`.
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


def may_settle(caller: Caller, case: CaseFacts) -> bool:
    """Who may choose between the two values of a field conflict on this case.

    The procedure puts a case in the hands of "the relevant officer" it is assigned to (5.3;
    the scheme's co-ordinator for a supported scheme, 5.4; a Team Leader at least for a case
    involving an employee, 5.9), with the officer's manager to turn to (5.9). So:

    - the officer the case is assigned to;
    - team leaders and managers whose patches include the case's estate (they supervise it, and
      are the only ones who see employee cases at all);
    - while the case is assigned to no one, the person who recorded it, so that someone can.

    Not: someone who only recorded an assigned case, a co-ordinator for a scheme case assigned
    to another officer, or anyone who cannot see the case. Both values stay in the conflict for
    them to read; the choice waits for one of the people above.
    """
    if not may_see(caller, case):
        return False
    if case.assigned_to is not None:
        if caller.user_id == case.assigned_to:
            return True
    elif caller.user_id == case.recorded_by:
        return True
    return caller.is_leader and case.estate is not None and case.estate in caller.patches


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
