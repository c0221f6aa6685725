"""联办件: one case handled by several departments. The lead department (主办) accepts; each
department's part has its own status and working-day deadline; the case completes when every
part is done. This module is the parts' value type and its wire form.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.vocabulary import PartStatus


@dataclass(frozen=True)
class Part:
    department: str
    status: PartStatus = PartStatus.PENDING
    due_date: date | None = None
    done_at: str = ""  # UTC ISO, "" while pending
    lead: bool = False

    @property
    def label(self) -> str:
        return self.status.label


def part_to_wire(part: Part) -> dict[str, Any]:
    return {
        "department": part.department,
        "status": part.status.value,
        "due_date": part.due_date.isoformat() if part.due_date else None,
        "done_at": part.done_at,
        "lead": part.lead,
    }


def part_from_wire(data: Any) -> Part:
    """A part from its wire form; ValueError if it is not one."""
    if not isinstance(data, dict):
        raise ValueError("part is not an object")
    department = data.get("department")
    if not isinstance(department, str) or not department.strip():
        raise ValueError("part.department")
    status = PartStatus(str(data.get("status") or "pending"))
    due = data.get("due_date")
    return Part(
        department=department.strip(),
        status=status,
        due_date=date.fromisoformat(due) if isinstance(due, str) and due else None,
        done_at=str(data.get("done_at") or ""),
        lead=bool(data.get("lead", False)),
    )


def parts_for(
    lead: str, departments: tuple[str, ...], done: tuple[str, ...], due: date | None = None
) -> tuple[Part, ...]:
    """The parts of a joint case from the lifecycle's fields (the lead's part first)."""
    parts = [Part(lead, PartStatus.PENDING, due, "", True)] if lead else []
    for d in departments:
        status = PartStatus.DONE if d in done else PartStatus.PENDING
        parts.append(Part(d, status, due, ""))
    return tuple(parts)
