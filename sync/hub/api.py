"""The HTTP side of the wire protocol: /api/v1/hello, enrol, push, pull, blobs and the
progress lookup (cases/lookup).

Identification (see docs/sync-protocol.md):
- a signed request (v2) names its terminal in `X-Xiangli-Terminal` and carries a date, a nonce
  and an Ed25519 signature, checked by `sync.hub.enrol.verify_request`;
- an unsigned one (v1, header only) is accepted only from a terminal that has no key, and only
  while `XIANGLI_HUB_ALLOW_UNSIGNED=1` (tests and the demo); such terminals are registered on
  first contact.
A revoked terminal gets 403 {"error": "revoked"} whatever it sends.

Bodies may come gzip-compressed (`Content-Encoding: gzip`); answers are gzip-compressed when the
client accepts it. The signature covers the body as sent on the wire, and is checked BEFORE the
body is inflated or parsed: a stranger's gzip bomb or deeply nested JSON costs the hub a sha256
of at most `MAX_WIRE_BYTES`, then 401. Bodies (as sent and inflated) and the ops of one push are
capped (413 `body_too_large` / `too_many_ops`, with the cap, so a kiosk sends smaller batches).
"""

from __future__ import annotations

import asyncio
import gzip
import json
import logging
import re
import zlib
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sync import protocol
from sync.hub import blobs, enrol, feed, longpoll, lookup, ops, publish
from sync.hub.county.models import Terminal

log = logging.getLogger(__name__)

LAST_SEEN_EVERY = timedelta(seconds=60)

TERMINAL_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")
GZIP_MIN_BYTES = 256
MAX_ENROL_BYTES = 16 * 1024  # an enrolment request is unauthenticated: a small one only
MAX_WAIT_S = 20


def _meta(name: str) -> str:
    return "HTTP_" + name.upper().replace("-", "_")


class ApiError(Exception):
    def __init__(self, status: int, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.status = status
        self.error = error
        self.extra = extra


def _answer(request: HttpRequest, data: dict[str, Any], status: int = 200) -> HttpResponse:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    response = HttpResponse(body, status=status, content_type="application/json")
    response["Vary"] = "Accept-Encoding"
    if len(body) >= GZIP_MIN_BYTES and "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", ""):
        response.content = gzip.compress(body, compresslevel=6, mtime=0)
        response["Content-Encoding"] = "gzip"
    response["Content-Length"] = str(len(response.content))
    return response


def _too_large(limit: int) -> ApiError:
    return ApiError(413, "body_too_large", max_bytes=limit)


def _wire_body(request: HttpRequest, limit: int | None = None) -> bytes:
    """The body exactly as sent, refused (413) above `limit` before it is read."""
    limit = settings.MAX_WIRE_BYTES if limit is None else limit
    length = request.META.get("CONTENT_LENGTH") or "0"
    if length.isdigit() and int(length) > limit:
        raise _too_large(limit)
    try:
        body = request.body
    except RequestDataTooBig:
        raise _too_large(limit) from None
    if len(body) > limit:
        raise _too_large(limit)
    return body


def _inflate(request: HttpRequest, raw: bytes, limit: int | None = None) -> bytes:
    """The body decoded from its Content-Encoding, at most `limit` bytes (else 413).

    Call only once the sender is authenticated (or for enrolment, with a small limit)."""
    limit = settings.MAX_INFLATED_BYTES if limit is None else limit
    encoding = request.META.get("HTTP_CONTENT_ENCODING", "").strip().lower()
    if encoding in ("", "identity"):
        if len(raw) > limit:
            raise _too_large(limit)
        return raw
    if encoding != "gzip":
        raise ApiError(415, "unsupported content encoding")
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        body = inflater.decompress(raw, limit + 1)
    except zlib.error:
        raise ApiError(400, "bad gzip body") from None
    if len(body) > limit or inflater.unconsumed_tail:
        raise _too_large(limit)  # a small bomb must not fill the hub's memory
    return body


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _json(body: bytes) -> Any:
    try:
        return json.loads(body.decode("utf-8"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError):
        raise ApiError(400, "body is not UTF-8 JSON") from None
    except RecursionError:  # nested deeper than the parser's stack: not a body we send
        raise ApiError(400, "body is nested too deeply") from None


def _negotiate(request: HttpRequest) -> int:
    """The protocol version of this request (no header: 1); refuse what we do not speak."""
    raw = request.META.get(_meta(protocol.PROTOCOL_HEADER), "")
    version = int(raw) if raw.isdigit() else (1 if raw == "" else -1)
    if version not in protocol.PROTOCOL_VERSIONS:
        raise ApiError(400, "unsupported_protocol", protocol=list(protocol.PROTOCOL_VERSIONS))
    app_version = request.META.get(_meta(protocol.APP_VERSION_HEADER), "")
    if app_version and not protocol.version_at_least(app_version, settings.MIN_APP_VERSION):
        raise ApiError(426, "upgrade_required", min_app_version=settings.MIN_APP_VERSION)
    return version


def _terminal(request: HttpRequest, wire_body: bytes) -> Terminal:
    """The calling terminal, authenticated; ApiError if missing, unsigned, forged or revoked."""
    version = _negotiate(request)
    terminal_id = request.META.get(_meta(protocol.TERMINAL_HEADER), "")
    if not terminal_id:
        raise ApiError(400, f"missing {protocol.TERMINAL_HEADER} header")
    if not TERMINAL_ID.match(terminal_id):
        raise ApiError(400, "bad terminal id")
    now = timezone.now()
    terminal = Terminal.objects.filter(pk=terminal_id).first()
    if terminal is not None and terminal.revoked:
        raise ApiError(403, "revoked")
    try:
        if enrol.is_signed(request.META):
            if terminal is None:
                raise enrol.AuthError(401, "not_enrolled")
            enrol.verify_request(
                terminal, request.method or "GET", request.get_full_path(), wire_body, request.META
            )
        elif (terminal is not None and terminal.public_key) or not settings.ALLOW_UNSIGNED:
            raise enrol.AuthError(401, "signature_required")
    except enrol.AuthError as err:
        raise ApiError(err.status, err.error, server_time=protocol.utc_iso()) from None
    if terminal is None:
        terminal, created = Terminal.objects.get_or_create(
            pk=terminal_id, defaults={"last_seen": now}
        )
        if created:
            log.info("terminal %s registered (unsigned)", terminal_id)
    app_version = request.META.get(_meta(protocol.APP_VERSION_HEADER), "")[:32]
    # "Last seen" to the minute is enough for staff; writing it on every poll of hundreds of
    # kiosks is a row lock per request, which showed in the p99 of the polling benchmark.
    stale = terminal.last_seen is None or now - terminal.last_seen > LAST_SEEN_EVERY
    if (
        stale
        or terminal.protocol != version
        or (app_version and terminal.app_version != app_version)
    ):
        Terminal.objects.filter(pk=terminal_id).update(
            last_seen=now, protocol=version, **({"app_version": app_version} if app_version else {})
        )
    return terminal


def _api(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Turn ApiError into a JSON error answer."""

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except ApiError as err:
            return _answer(request, {"error": err.error, **err.extra}, status=err.status)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@require_GET
def hello(request: HttpRequest) -> HttpResponse:
    """Who we are: lets a kiosk tell the hub from a captive portal, and check versions."""
    return _answer(
        request,
        {
            "service": protocol.SERVICE,
            "protocol": list(protocol.PROTOCOL_VERSIONS),
            "min_app_version": settings.MIN_APP_VERSION,
            "server_time": protocol.utc_iso(),
            "epoch": feed.current_epoch(),
            "signed_only": not settings.ALLOW_UNSIGNED,
        },
    )


@csrf_exempt
@require_POST
@_api
def enrol_view(request: HttpRequest) -> HttpResponse:
    """Register a kiosk's public key with a one-time code from the county's staff."""
    body = _json(_inflate(request, _wire_body(request, MAX_ENROL_BYTES), MAX_ENROL_BYTES))
    if not isinstance(body, dict):
        raise ApiError(400, "body must be an object")
    terminal_id = body.get("terminal_id")
    if not isinstance(terminal_id, str) or not TERMINAL_ID.match(terminal_id):
        raise ApiError(400, "bad terminal id")
    code, key = body.get("code"), body.get("public_key")
    if not isinstance(code, str) or not isinstance(key, str):
        raise ApiError(400, "code and public_key are required")
    name = body.get("name") if isinstance(body.get("name"), str) else ""
    try:
        terminal = enrol.redeem(code, terminal_id, key, str(name)[:100])
    except enrol.EnrolError as err:
        status = 403 if err.error in ("revoked",) else 400
        raise ApiError(status, err.error, message=err.message_zh) from None
    return _answer(
        request,
        {
            "terminal_id": terminal.id,
            "terminal_code": terminal.code,
            "name": terminal.name,
            "server_time": protocol.utc_iso(),
            # Staff ID-number hashes and USB backups are keyed by it (docs/SECURITY.md).
            "county_secret": publish.county_secret().hex(),
        },
    )


@csrf_exempt
@require_POST
@_api
def push(request: HttpRequest) -> HttpResponse:
    """Apply a batch of ops in order; answer one result per op, and this terminal's highest
    daily case sequence numbers (`case_seq`: local day -> seq), which a restored kiosk numbers
    above."""
    wire = _wire_body(request)
    terminal = _terminal(request, wire)  # before anything looks inside the body
    body = _json(_inflate(request, wire))
    if not isinstance(body, dict):
        raise ApiError(400, "body must be an object")
    batch = body.get("ops")
    if not isinstance(batch, list):
        raise ApiError(400, "ops must be a list")
    if len(batch) > settings.MAX_PUSH_OPS:
        raise ApiError(413, "too_many_ops", max_ops=settings.MAX_PUSH_OPS)
    try:
        for op in batch:
            ops.validate_op(op)
    except ValueError as err:
        raise ApiError(400, str(err)) from None
    if body.get("terminal_id") != terminal.id:
        raise ApiError(400, "terminal_id does not match the header")
    results = ops.apply_push(terminal.id, batch)
    return _answer(request, {"results": results, "case_seq": ops.case_seq_floor(terminal.id)})


def _int_param(request: HttpRequest, name: str, default: int) -> int:
    raw = request.GET.get(name, "")
    if raw == "":
        return default
    if not raw.isdigit():
        raise ApiError(400, f"bad {name}")
    return int(raw)


def _first_pull(request: HttpRequest, cursor: str, limit: int) -> tuple[Terminal, feed.PullAnswer]:
    terminal = _terminal(request, b"")
    return terminal, feed.pull(terminal, cursor, limit)


@require_GET
async def pull(request: HttpRequest) -> HttpResponse:
    """Changes for the calling terminal after `cursor`, at most `limit` of them.

    With `wait=N` (seconds, at most 20) an empty answer is held until a change arrives: on the
    event loop, not in a thread (sync.hub.longpoll), whose few threads read the database a step
    at a time. Served by sync.hub.asgi.serve_pull, past Django's middlewares.
    """
    try:
        cursor = request.GET.get("cursor", "")
        try:
            protocol.parse_cursor(cursor)
        except ValueError:
            raise ApiError(400, "bad cursor") from None
        limit = _int_param(request, "limit", feed.DEFAULT_PULL_LIMIT)
        if limit <= 0:
            raise ApiError(400, "bad limit")
        limit = min(limit, feed.MAX_PULL_LIMIT)
        wait = min(_int_param(request, "wait", 0), MAX_WAIT_S)
        if wait <= 0:
            _, answer = await longpoll.in_thread(_first_pull, request, cursor, limit)
            return _answer(request, answer.as_json())
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        claimed = request.META.get(_meta(protocol.TERMINAL_HEADER), "")
        # Listening before the first pull: a change committed after it wakes this request.
        async with longpoll.watch().listen(claimed) as waiter:
            terminal, answer = await longpoll.in_thread(_first_pull, request, cursor, limit)
            while not answer.changes and await waiter.wait(deadline - loop.time()):
                answer = await longpoll.in_thread(feed.pull, terminal, cursor, limit)
        return _answer(request, answer.as_json())
    except ApiError as err:
        return _answer(request, {"error": err.error, **err.extra}, status=err.status)


@csrf_exempt
@require_http_methods(["GET", "PUT"])
@_api
def blob(request: HttpRequest, sha256: str) -> HttpResponse:
    """GET: how far the upload of `sha256` for `case_id` is. PUT: one chunk at `offset`."""
    if not blobs.SHA256.match(sha256):
        raise ApiError(400, "bad sha256")
    case_id = request.GET.get("case_id", "")
    if not case_id or len(case_id) > 32:
        raise ApiError(400, "case_id is required")
    wire = _wire_body(request) if request.method == "PUT" else b""
    terminal = _terminal(request, wire)
    try:
        with transaction.atomic():
            Terminal.objects.select_for_update().get(pk=terminal.id)  # one step at a time
            if request.method == "GET":
                state = blobs.status(terminal, sha256, case_id)
            else:
                offset = _int_param(request, "offset", -1)
                total = _int_param(request, "total", 0)
                state = blobs.put_chunk(terminal, sha256, case_id, offset, total, wire)
    except blobs.BlobError as err:
        extra = {} if err.offset is None else {"offset": err.offset}
        raise ApiError(err.status, err.error, **extra) from None
    return _answer(request, state.as_json())


@csrf_exempt
@require_POST
@_api
def case_lookup(request: HttpRequest) -> HttpResponse:
    """办件查询 from any kiosk: a case by its number and the last four characters of the
    applicant's ID number. POST, so the digits never sit in a URL or an access log; a miss and
    a wrong last4 answer alike, and a terminal that misses too often is told to wait."""
    wire = _wire_body(request)
    terminal = _terminal(request, wire)
    body = _json(_inflate(request, wire))
    if not isinstance(body, dict):
        raise ApiError(400, "body must be an object")
    case_no, last4 = body.get("case_no"), body.get("id_last4")
    if not isinstance(case_no, str) or not 0 < len(case_no.strip()) <= 64:
        raise ApiError(400, "bad case_no")
    if not isinstance(last4, str) or not lookup.LAST4.match(last4):
        raise ApiError(400, "bad id_last4")
    try:
        found = lookup.find(terminal, case_no.strip(), last4)
    except lookup.TooManyMisses as err:
        response = _answer(
            request,
            {"error": "too_many_lookups", "retry_after": err.retry_after},
            status=429,
        )
        response["Retry-After"] = str(err.retry_after)
        return response
    if found is None:
        return _answer(request, {"found": False})
    return _answer(request, {"found": True, "case": found})
