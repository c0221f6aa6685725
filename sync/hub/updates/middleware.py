"""Record the update result a kiosk sends with its hello (header `X-Xiangli-Update-Result`).

The kiosk reads `/var/lib/xiangli/updates/last-result.json` (written by its root-side
installer) and sends it base64-encoded on its requests; the hub keeps the last one per known
terminal. hello is not signed, so the report is informational: it is recorded only for a
terminal the hub already knows and has not revoked, and only written when it changed (or once
every ten minutes, to show that the kiosk still reports it).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.http import HttpRequest
from django.utils import timezone

from sync import updates as wire
from sync.hub.county.models import Terminal
from sync.hub.middleware import TERMINAL_META, AfterResponse
from sync.hub.updates.models import TerminalUpdateReport

log = logging.getLogger(__name__)

RESULT_META = "HTTP_" + wire.RESULT_HEADER.upper().replace("-", "_")

REFRESH = timedelta(minutes=10)


def record_report(terminal_id: str, value: str) -> bool:
    """Keep `value` (the header) as the terminal's last update result; True if written."""
    data = wire.parse_result_header(value)
    if data is None:
        return False
    terminal = Terminal.objects.filter(pk=terminal_id[:64], revoked=False).first()
    if terminal is None:
        return False
    now = timezone.now()
    old = TerminalUpdateReport.objects.filter(terminal=terminal).first()
    if old is not None and old.detail == data and now - old.reported_at < REFRESH:
        return False
    TerminalUpdateReport.objects.update_or_create(
        terminal=terminal,
        defaults={
            "result": str(data.get("result", ""))[:32],
            "version": str(data.get("version", ""))[:64],
            "at": str(data.get("at", ""))[:40],
            "detail": data,
            "reported_at": now,
        },
    )
    return True


class UpdateReportMiddleware(AfterResponse):
    url_name = "hello"

    def also_wants(self, request: HttpRequest) -> bool:
        return bool(request.META.get(RESULT_META))

    def record(self, request: HttpRequest) -> None:
        terminal_id = request.META.get(TERMINAL_META, "")
        try:
            record_report(terminal_id, request.META.get(RESULT_META, ""))
        except Exception:  # a report must never break a kiosk's hello
            log.exception("update report of %s not recorded", terminal_id)
