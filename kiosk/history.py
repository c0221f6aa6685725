"""A case's history in words: each step's Chinese name, the status it led to and its note, for
the villager's progress page and the agent's case page. Screens never show a raw identifier
(`submit`, `return_`, `county_update`); a step this kiosk does not know is shown as 办理. The
names of the lifecycle's actions (and of `submit`) are `domain.lifecycle.ACTION_LABELS`, never
copied here; only the kiosk's own steps that are no action of the lifecycle are named here.

Pure functions; any thread may call them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from domain.lifecycle import ACTION_LABELS, canonical_action
from domain.masking import mask_name
from domain.vocabulary import FOLLOWUP_STEP
from kiosk.cases import Status

# The kiosk's own steps, which are not actions of the lifecycle table.
STEP_LABELS: dict[str, str] = {
    "county_update": "县镇部门办理",
    "reprint": "补打凭条",
    FOLLOWUP_STEP: "县里已回访您的评价",  # 差评回访 (kiosk.county)
}
UNKNOWN_STEP = "办理"


@dataclass(frozen=True)
class Step:
    at: str  # UTC ISO, "" if unknown
    label: str  # 受理, 一次性告知补正, 补打凭条, ...
    status_label: str  # the status the step led to ("" if unknown)
    note: str = ""


def step_label(action: str) -> str:
    return ACTION_LABELS.get(canonical_action(action)) or STEP_LABELS.get(action) or UNKNOWN_STEP


def _status_label(value: object) -> str:
    try:
        return Status(str(value)).label
    except ValueError:
        return ""


def _note(action: str, note: str) -> str:
    # The collector is a person: the history shows whose hands it went to, masked.
    return mask_name(note) if canonical_action(action) == "deliver" and note else note


def steps_from_events(events: Iterable[Mapping[str, Any]]) -> list[Step]:
    """The kiosk's own `case_events` rows, in the order given."""
    return [
        Step(
            str(e.get("at") or ""),
            step_label(str(e.get("action") or "")),
            _status_label(e.get("to_status")),
            _note(str(e.get("action") or ""), str(e.get("note") or "")),
        )
        for e in events
    ]


def steps_from_hub(history: object) -> list[Step]:
    """The `history` of the hub's answer about a case (`{action, label, to_status, at}` each);
    entries that are not objects are left out. The hub's Chinese label wins when it gives one."""
    if not isinstance(history, list):
        return []
    steps = []
    for h in history:
        if not isinstance(h, Mapping):
            continue
        action = str(h.get("action") or "")
        label = h.get("label")
        label = label.strip() if isinstance(label, str) else ""
        # An ASCII label only echoes an identifier (a step the hub has no name for).
        named = bool(label) and not label.isascii()
        steps.append(
            Step(
                str(h.get("at") or ""),
                label if named else step_label(action),
                _status_label(h.get("to_status")),
            )
        )
    return steps
