"""`xiangli-hub show WHAT... [--terminal ID] [--case ID]`: what the hub holds, read-only, as JSON.

For technicians (what did a kiosk send? did its operations apply?) and for the tests of the
kiosk ⇄ hub protocol, which check the hub through its commands rather than its tables. Prints
one JSON array (several WHATs: an object of arrays by name); no personal data (no applicant names, ID numbers, phones, addresses, photos):
cases are shown by their ids, numbers, statuses and the county's answers only.

    cases           id, case_no, terminal_id, item_code, status, reason, result
    evaluations     id, case_id, terminal_id, level, reason, channel
    operations      op_id, terminal_id, kind, record_id, status, reason
    changes         seq, terminal_id, kind, record_id (the feed kiosks pull)
    terminals       id, name, enrolled, revoked, protocol, app_version
    blobs           sha256, case_id, size, stored (bytes of the file the hub keeps, or null)
    update-reports  terminal_id, result, version, detail (the kiosks' last update reports)

Django must be set up by the caller (`sync.hub.cli`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

WHAT = ("cases", "evaluations", "operations", "changes", "terminals", "blobs", "update-reports")


def rows(what: str, terminal: str | None = None, case: str | None = None) -> list[dict[str, Any]]:
    """The rows `xiangli-hub show WHAT` prints, oldest first."""
    return _READERS[what](terminal, case)


def dumps(what: list[str], terminal: str | None = None, case: str | None = None) -> str:
    """One kind: its rows as a JSON array; several: a JSON object of them by name."""
    if len(what) == 1:
        shown: Any = rows(what[0], terminal, case)
    else:
        shown = {w: rows(w, terminal, case) for w in what}
    return json.dumps(shown, ensure_ascii=False, default=str)


def _cases(terminal: str | None, case: str | None) -> list[dict[str, Any]]:
    from sync.hub.county.models import Case

    qs = Case.objects.order_by("case_no")
    if terminal:
        qs = qs.filter(terminal_id=terminal)
    if case:
        qs = qs.filter(id=case) | Case.objects.filter(case_no=case)
    fields = ("id", "case_no", "terminal_id", "item_code", "status", "reason", "result")
    return list(qs.values(*fields))


def _evaluations(terminal: str | None, case: str | None) -> list[dict[str, Any]]:
    from sync.hub.county.models import Evaluation

    qs = Evaluation.objects.order_by("created_at", "id")
    if terminal:
        qs = qs.filter(terminal_id=terminal)
    if case:
        qs = qs.filter(case_id=case)
    return list(qs.values("id", "case_id", "terminal_id", "level", "reason", "channel"))


def _operations(terminal: str | None, case: str | None) -> list[dict[str, Any]]:
    from sync.hub.county.models import Operation

    qs = Operation.objects.order_by("received_at", "op_id")
    if terminal:
        qs = qs.filter(terminal_id=terminal)
    if case:
        qs = qs.filter(record_id=case)
    return list(qs.values("op_id", "terminal_id", "kind", "record_id", "status", "reason"))


def _changes(terminal: str | None, case: str | None) -> list[dict[str, Any]]:
    from sync.hub.county.models import Change

    qs = Change.objects.order_by("seq")
    if terminal:
        qs = qs.filter(terminal_id=terminal)
    if case:
        qs = qs.filter(record_id=case)
    return list(qs.values("seq", "terminal_id", "kind", "record_id"))


def _terminals(terminal: str | None, case: str | None) -> list[dict[str, Any]]:
    from sync.hub.county.models import Terminal

    qs = Terminal.objects.order_by("registered_at", "id")
    if terminal:
        qs = qs.filter(id=terminal)
    return [
        {
            "id": t.id,
            "name": t.name,
            "enrolled": bool(t.public_key),
            "revoked": t.revoked,
            "protocol": t.protocol,
            "app_version": t.app_version,
        }
        for t in qs
    ]


def _blobs(terminal: str | None, case: str | None) -> list[dict[str, Any]]:
    from sync.hub.blobs import final_path
    from sync.hub.county.models import Blob

    qs = Blob.objects.order_by("received_at", "sha256")
    if terminal:
        qs = qs.filter(terminal_id=terminal)
    if case:
        qs = qs.filter(case_id=case)
    out = []
    for b in qs:
        path = final_path(b.sha256)
        out.append(
            {
                "sha256": b.sha256,
                "case_id": b.case_id,
                "size": b.size,
                "stored": path.stat().st_size if path.exists() else None,
            }
        )
    return out


def _update_reports(terminal: str | None, case: str | None) -> list[dict[str, Any]]:
    from sync.hub.updates.models import TerminalUpdateReport

    qs = TerminalUpdateReport.objects.order_by("reported_at")
    if terminal:
        qs = qs.filter(terminal_id=terminal)
    return list(qs.values("terminal_id", "result", "version", "detail"))


_READERS: dict[str, Callable[[str | None, str | None], list[dict[str, Any]]]] = {
    "cases": _cases,
    "evaluations": _evaluations,
    "operations": _operations,
    "changes": _changes,
    "terminals": _terminals,
    "blobs": _blobs,
    "update-reports": _update_reports,
}
