"""The HTTP side of the wire protocol: /api/v1/hello, /push and /pull (JSON in, JSON out).

Kiosks identify with the `X-Xiangli-Terminal` header. Unknown terminals are registered on first
contact (signing comes later); a terminal marked revoked gets 403 {"error": "revoked"}.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from sync import protocol
from sync.hub import feed, ops
from sync.hub.county.models import Terminal

log = logging.getLogger(__name__)

TERMINAL_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")
_META_HEADER = "HTTP_" + protocol.TERMINAL_HEADER.upper().replace("-", "_")


class ApiError(Exception):
    def __init__(self, status: int, error: str) -> None:
        super().__init__(error)
        self.status = status
        self.error = error


def _error(status: int, error: str) -> JsonResponse:
    return JsonResponse({"error": error}, status=status, json_dumps_params={"ensure_ascii": False})


def _answer(data: dict[str, Any]) -> JsonResponse:
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


def _terminal(request: HttpRequest) -> Terminal:
    """The calling terminal, registered on first contact; ApiError if missing or revoked."""
    terminal_id = request.META.get(_META_HEADER, "")
    if not terminal_id:
        raise ApiError(400, f"missing {protocol.TERMINAL_HEADER} header")
    if not TERMINAL_ID.match(terminal_id):
        raise ApiError(400, "bad terminal id")
    now = timezone.now()
    terminal, created = Terminal.objects.get_or_create(pk=terminal_id, defaults={"last_seen": now})
    if created:
        log.info("terminal %s registered", terminal_id)
    if terminal.revoked:
        raise ApiError(403, "revoked")
    if not created:
        Terminal.objects.filter(pk=terminal_id).update(last_seen=now)
    return terminal


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _json_body(request: HttpRequest) -> Any:
    try:
        body = request.body
    except RequestDataTooBig:
        raise ApiError(413, "body too large") from None
    try:
        return json.loads(body.decode("utf-8"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError):
        raise ApiError(400, "body is not UTF-8 JSON") from None


def _api(view):
    """Turn ApiError into a JSON error answer."""

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
        try:
            return view(request, *args, **kwargs)
        except ApiError as err:
            return _error(err.status, err.error)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@require_GET
def hello(request: HttpRequest) -> JsonResponse:
    """Who we are: lets a kiosk tell the hub from a captive portal, and check versions."""
    return _answer(
        {
            "service": protocol.SERVICE,
            "protocol": list(protocol.PROTOCOL_VERSIONS),
            "min_app_version": settings.MIN_APP_VERSION,
            "server_time": protocol.utc_iso(),
            "epoch": feed.current_epoch(),
        }
    )


@csrf_exempt
@require_POST
@_api
def push(request: HttpRequest) -> JsonResponse:
    """Apply a batch of ops in order; answer one result per op."""
    body = _json_body(request)
    if not isinstance(body, dict):
        raise ApiError(400, "body must be an object")
    batch = body.get("ops")
    if not isinstance(batch, list):
        raise ApiError(400, "ops must be a list")
    try:
        for op in batch:
            ops.validate_op(op)
    except ValueError as err:
        raise ApiError(400, str(err)) from None
    terminal = _terminal(request)
    if body.get("terminal_id") != terminal.id:
        raise ApiError(400, "terminal_id does not match the header")
    results = ops.apply_push(terminal.id, batch)
    return _answer({"results": results})


@require_GET
@_api
def pull(request: HttpRequest) -> JsonResponse:
    """Changes for the calling terminal after `cursor`, at most `limit` of them."""
    cursor = request.GET.get("cursor", "")
    try:
        protocol.parse_cursor(cursor)
    except ValueError:
        raise ApiError(400, "bad cursor") from None
    raw_limit = request.GET.get("limit", "")
    if raw_limit == "":
        limit = feed.DEFAULT_PULL_LIMIT
    elif raw_limit.isdigit() and int(raw_limit) > 0:
        limit = min(int(raw_limit), feed.MAX_PULL_LIMIT)
    else:
        raise ApiError(400, "bad limit")
    terminal = _terminal(request)
    return _answer(feed.pull(terminal, cursor, limit).as_json())
