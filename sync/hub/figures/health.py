"""Kiosks' health reports: the optional `health` object of a push body (docs/sync-protocol.md).

A kiosk (sync.client) puts in each push how many records wait in its outbox besides the ones
being pushed (`outbox`), how many are parked for its agent (`parked`) and its devices that are
not ok (`faults`: device, state, reason). The push is signed, so the report is the kiosk's own;
`HealthReportMiddleware` reads it once the push view has answered 200 (the terminal is then
authenticated and the body within its limits) and keeps the last one per terminal. A malformed
report is dropped, never a reason to fail the push; hubs before this ignore the key, and kiosks
before it send none (the dashboard shows 未上报).
"""

from __future__ import annotations

import json
import logging
import zlib
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from sync import protocol
from sync.hub.county.models import Terminal
from sync.hub.figures.models import TerminalHealth
from sync.hub.middleware import TERMINAL_META, AfterResponse

log = logging.getLogger(__name__)


MAX_COUNT = 10_000_000


def _count(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_COUNT:
        return None
    return value


def parse(report: Any) -> dict[str, Any] | None:
    """The report as kept (outbox, parked, faults), or None if it is not one."""
    if not isinstance(report, dict):
        return None
    outbox, parked = _count(report.get("outbox")), _count(report.get("parked", 0))
    faults = report.get("faults")
    if outbox is None or parked is None:
        return None
    if faults is None:
        return {"outbox": outbox, "parked": parked, "faults": None}
    if not isinstance(faults, list) or len(faults) > protocol.HEALTH_MAX_FAULTS:
        return None
    kept = []
    for fault in faults:
        if not isinstance(fault, dict):
            return None
        texts = [fault.get("device"), fault.get("state"), fault.get("reason", "")]
        texts.append(fault.get("label", ""))
        if not all(isinstance(t, str) for t in texts):
            return None
        device, state, reason, label = (str(t) for t in texts)
        if not device or state == "ok":
            return None
        kept.append(protocol.health_fault(device, label, state, reason))
    return {"outbox": outbox, "parked": parked, "faults": kept}


def record(terminal_id: str, report: Any) -> bool:
    """Keep `report` as the terminal's last health report; True if it was one."""
    data = parse(report)
    if data is None:
        return False
    terminal = Terminal.objects.filter(pk=terminal_id[:64], revoked=False).first()
    if terminal is None:
        return False
    TerminalHealth.objects.update_or_create(
        terminal=terminal, defaults={**data, "reported_at": timezone.now()}
    )
    return True


def body_report(request: HttpRequest) -> Any:
    """The `health` object of a push body already read by the view (None if there is none)."""
    raw = request.body
    if request.META.get("HTTP_CONTENT_ENCODING", "").strip().lower() == "gzip":
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        raw = inflater.decompress(raw, settings.MAX_INFLATED_BYTES + 1)
        if len(raw) > settings.MAX_INFLATED_BYTES:
            return None
    if protocol.HEALTH_KEY.encode() not in raw:
        return None  # most pushes: no second parse
    body = json.loads(raw)
    return body.get(protocol.HEALTH_KEY) if isinstance(body, dict) else None


class HealthReportMiddleware(AfterResponse):
    url_name = "push"
    method = "POST"

    def record(self, request: HttpRequest) -> None:
        terminal_id = request.META.get(TERMINAL_META, "")
        try:
            report = body_report(request)
            if report is not None and not record(terminal_id, report):
                log.info("health report of %s not kept (malformed)", terminal_id)
        except Exception:  # a report must never break a kiosk's push
            log.exception("health report of %s not recorded", terminal_id)
