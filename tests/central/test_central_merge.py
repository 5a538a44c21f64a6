"""The three-way merge on its own: every path through it, and the promise that nothing is lost."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from asb_central.merge import merge


def incident(key: str, text: str = "Loud music") -> dict[str, Any]:
    return {"id": key, "occurred_at": "2026-03-09T22:00:00+00:00", "description": text}


BASE: dict[str, Any] = {
    "severity": "general",
    "frequency": "weekly",
    "incidents": [incident("a")],
    "resolution_attempts": [],
}


def test_a_field_changed_on_one_side_only_takes_that_side() -> None:
    device = dict(BASE, frequency="daily")
    server = dict(BASE, severity="serious")
    result = merge(BASE, server, device)
    assert (result.facts["frequency"], result.facts["severity"]) == ("daily", "serious")
    assert result.conflicts == []
    assert result.changed == ["frequency"]


def test_the_same_change_on_both_sides_is_no_conflict() -> None:
    both = dict(BASE, frequency="daily")
    result = merge(BASE, both, dict(both))
    assert result.conflicts == [] and result.changed == []


def test_different_changes_keep_the_server_value_and_record_both() -> None:
    result = merge(BASE, dict(BASE, frequency="daily"), dict(BASE, frequency="hourly"))
    assert result.facts["frequency"] == "daily"
    [conflict] = result.conflicts
    assert (conflict.field, conflict.server_value, conflict.device_value) == (
        "frequency",
        "daily",
        "hourly",
    )


def test_incidents_merge_by_union_and_an_omitted_one_is_never_deleted() -> None:
    server = dict(BASE, incidents=[incident("a"), incident("s")])
    device = dict(BASE, incidents=[incident("d")])  # dropped "a", added "d"
    result = merge(BASE, server, device)
    assert [i["id"] for i in result.facts["incidents"]] == ["a", "s", "d"]
    assert result.changed == ["incidents"]


def test_one_incident_edited_on_both_sides_is_a_conflict_named_by_its_id() -> None:
    server = dict(BASE, incidents=[incident("a", "Shouting")])
    device = dict(BASE, incidents=[incident("a", "Banging")])
    result = merge(BASE, server, device)
    assert result.facts["incidents"] == [incident("a", "Shouting")]
    assert [c.field for c in result.conflicts] == ["incidents[a]"]
    edited_here_only = merge(BASE, BASE, device)
    assert edited_here_only.facts["incidents"] == [incident("a", "Banging")]


def test_without_a_base_every_difference_is_a_conflict() -> None:
    result = merge(None, BASE, dict(BASE, frequency="daily", severity="serious"))
    assert sorted(c.field for c in result.conflicts) == ["frequency", "severity"]
    assert result.facts["frequency"] == "weekly"


def test_resolution_attempts_merge_by_union() -> None:
    tried = {"at": "2026-03-12T10:00:00+00:00", "by": "s-sc", "description": "Mediation"}
    other = dict(tried, description="Warning letter")
    result = merge(
        BASE, dict(BASE, resolution_attempts=[tried]), dict(BASE, resolution_attempts=[other])
    )
    assert result.facts["resolution_attempts"] == [tried, other]


values = st.sampled_from(["weekly", "daily", "hourly", None])


@settings(max_examples=200, deadline=None)
@given(
    base=values, server=values, device=values, extra=st.lists(st.sampled_from("xyz"), unique=True)
)
def test_nothing_is_lost_or_overwritten_silently(
    base: str | None, server: str | None, device: str | None, extra: list[str]
) -> None:
    b = dict(BASE, frequency=base)
    s = dict(BASE, frequency=server)
    d = dict(BASE, frequency=device, incidents=[incident("a"), *[incident(k) for k in extra]])
    result = merge(b, s, d)
    kept = result.facts["frequency"]
    assert kept in (server, device)
    if kept != server:  # the server's value only moves when it was the base and the device changed
        assert server == base and device != base
    if device not in (kept, base):  # a device change that did not win is a recorded conflict
        assert [(c.server_value, c.device_value) for c in result.conflicts] == [(server, device)]
    ids = [i["id"] for i in result.facts["incidents"]]
    assert set(ids) == {"a", *extra} and len(ids) == len(set(ids))
