"""ASGI entry point of the county hub: uvicorn serves it (`xiangli-hub serve`, docs/DECISIONS.md).

Under ASGI a kiosk's long poll (`/api/v1/pull?wait=N`, sync.hub.api.pull) waits on the event
loop (sync.hub.longpoll) instead of holding a thread while it waits; the other views are plain
synchronous Django views, which Django runs in threads. Every middleware is async-capable, or
Django would hold a thread per request around the async view.
"""

from __future__ import annotations

import io
import json
import logging
import os

import django
from django.core.exceptions import DisallowedHost
from django.core.handlers.asgi import ASGIHandler, ASGIRequest
from django.http import HttpResponseBadRequest, HttpResponseServerError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sync.hub.settings")
django.setup(set_prefix=False)

PULL_PATH = "/api/v1/pull"
log = logging.getLogger("sync.hub.api")


async def serve_pull(scope, receive, send) -> None:  # type: ignore[no-untyped-def]
    """A kiosk's pull, straight to its view (sync.hub.api.pull), without Django's handler.

    A pull needs none of the middlewares (static files, sessions, CSRF, sign-in, messages,
    lockout, the kiosks' hello and push reports) nor the request signals, and under ASGI each of
    their hooks is a hop to a thread and back: with them the hub answered half the pulls a second
    (docs/DECISIONS.md), and every kiosk pulls every 15 s. What they would do for a
    pull is done here: the host is checked against ALLOWED_HOSTS, a failure is logged and
    answered 500, the security middleware's one header for a JSON answer is set. Its database
    steps run in sync.hub.longpoll's threads, which keep their connections.
    """
    from sync.hub import api

    await receive()  # a GET's body: one empty message
    request = ASGIRequest(scope, io.BytesIO())
    try:
        request.get_host()
        response = await api.pull(request)
    except DisallowedHost:
        response = HttpResponseBadRequest()
    except Exception:
        log.exception("pull failed")
        response = HttpResponseServerError(
            b'{"error":"server_error"}', content_type="application/json"
        )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    await send(
        {
            "type": "http.response.start",
            "status": response.status_code,
            "headers": [
                (k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in response.items()
            ],
        }
    )
    await send({"type": "http.response.body", "body": response.content})


class HubHandler(ASGIHandler):
    """Django's ASGI handler, but a pull goes to `serve_pull`, outside Django's handler and so
    outside its `ThreadSensitiveContext`.

    In one, the first synchronous step of a request (Django's `request_started` receivers,
    before any view) starts a thread of the request's own, which then waits, idle, until the
    request ends: a long poll would hold a thread for up to 20 s after all.
    """

    async def __call__(self, scope, receive, send):  # type: ignore[no-untyped-def]
        if scope["type"] == "http":
            if await _refused_too_large(scope, send):
                return
            receive = _capped(receive)
            if scope["path"] == PULL_PATH:
                await serve_pull(scope, receive, send)
                return
        await super().__call__(scope, receive, send)


def _cap() -> int:
    from django.conf import settings

    return int(settings.MAX_REQUEST_BYTES)


async def _refused_too_large(scope, send) -> bool:  # type: ignore[no-untyped-def]
    """Django reads a whole body (to disk above 2.5 MB) before any view can refuse it: a body
    declared over `MAX_REQUEST_BYTES` is answered 413 before a byte of it is read."""
    length = dict(scope.get("headers") or []).get(b"content-length", b"")
    if not length or (length.isdigit() and int(length) <= _cap()):
        return False
    body = json.dumps({"error": "body_too_large", "max_bytes": _cap()}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
    return True


def _capped(receive):  # type: ignore[no-untyped-def]
    """A chunked body (no length) is cut off as a disconnect once over `MAX_REQUEST_BYTES`."""
    seen = 0

    async def wrapped():  # type: ignore[no-untyped-def]
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > _cap():
                return {"type": "http.disconnect"}
        return message

    return wrapped


application = HubHandler()
