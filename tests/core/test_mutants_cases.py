"""Tests that kill mutants of kiosk/cases.py that survived mutmut (docs/MUTATION.md)."""

from __future__ import annotations

from kiosk.cases import AuditEntry, Role, Status, apply_action
from tests.core.test_cases import make_case


def test_an_action_stamps_the_case_and_its_audit_entry_names_case_and_action() -> None:
    """mutmut: apply_action 15 (updated_at left as it was), 18 (entry without the case id),
    19 (entry without the action)."""
    case = make_case()
    assert case.updated_at != "2026-11-23T02:00:00Z"
    accepted, entry = apply_action(case, "accept", Role.COUNTY, "2026-11-23T02:00:00Z")
    assert accepted.status is Status.ACCEPTED
    assert accepted.updated_at == "2026-11-23T02:00:00Z"
    assert entry == AuditEntry(
        "C1", "accept", Status.SUBMITTED, Status.ACCEPTED, Role.COUNTY, "2026-11-23T02:00:00Z", ""
    )
