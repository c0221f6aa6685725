"""GET /api/v1/updates/latest (the newest active release's manifest, with an ETag: a kiosk
that sends it back in If-None-Match gets 304 while nothing changed),
GET /api/v1/updates/release?package=&version=&arch= (one active release: the runtime an app
needs), and GET|HEAD /api/v1/updates/files/<filename> (a .deb or a delta, resumable with a
single HTTP Range).

None needs the terminal's identity: a release is signed by the county, and the kiosk's
root-side installer checks that signature, the size and the sha256 before installing anything.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.views.decorators.http import require_http_methods

from sync import updates as wire
from sync.hub.streaming import file_blocks
from sync.hub.updates.models import KioskRelease, ReleaseDelta

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _json(data: dict[str, Any], status: int = 200) -> HttpResponse:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    response = HttpResponse(body, status=status, content_type="application/json")
    response["Cache-Control"] = "no-cache"
    return response


def latest_release(package: str, arch: str) -> KioskRelease | None:
    releases = list(KioskRelease.objects.filter(package=package, architecture=arch, active=True))
    best = wire.newest(r.version for r in releases)
    return next((r for r in releases if r.version == best), None)


def _manifest_response(request: HttpRequest, release: KioskRelease) -> HttpResponse:
    body = release.manifest()
    etag = '"' + hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:32] + '"'
    if etag in [t.strip() for t in request.META.get("HTTP_IF_NONE_MATCH", "").split(",")]:
        response = HttpResponse(status=304)
    else:
        response = _json(body)
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"
    return response


@require_http_methods(["GET", "HEAD"])
def latest(request: HttpRequest) -> HttpResponse:
    package = request.GET.get("package", wire.PACKAGE)
    arch = request.GET.get("arch", wire.ARCH)
    release = latest_release(package, arch)
    if release is None:
        return _json({"error": "no_release", "package": package, "arch": arch}, status=404)
    return _manifest_response(request, release)


@require_http_methods(["GET", "HEAD"])
def release(request: HttpRequest) -> HttpResponse:
    package = request.GET.get("package", wire.RUNTIME_PACKAGE)
    arch = request.GET.get("arch", wire.ARCH)
    version = request.GET.get("version", "")
    found = KioskRelease.objects.filter(
        package=package, architecture=arch, version=version, active=True
    ).first()
    if found is None:
        return _json(
            {"error": "no_release", "package": package, "version": version, "arch": arch},
            status=404,
        )
    return _manifest_response(request, found)


def _byte_range(header: str, size: int) -> tuple[int, int] | None:
    """(first, last) of a single `bytes=` range; None: serve it all; ValueError: 416."""
    match = RANGE.match(header.strip())
    if not match:
        return None  # absent, or several ranges: the whole file (allowed by RFC 9110)
    first_s, last_s = match.groups()
    if first_s == "":
        if last_s == "" or int(last_s) == 0:
            raise ValueError("empty suffix range")
        return max(0, size - int(last_s)), size - 1
    first = int(first_s)
    last = min(int(last_s), size - 1) if last_s else size - 1
    if first >= size or first > last:
        raise ValueError("unsatisfiable")
    return first, last


def _served(filename: str) -> KioskRelease | ReleaseDelta | None:
    """An active release's .deb, or a delta to an active release."""
    found = KioskRelease.objects.filter(filename=filename, active=True).first()
    if found is not None:
        return found
    return ReleaseDelta.objects.filter(filename=filename, release__active=True).first()


@require_http_methods(["GET", "HEAD"])
def release_file(request: HttpRequest, filename: str) -> HttpResponse:
    served = _served(filename)
    if served is None:
        return _json({"error": "not_found"}, status=404)
    size = served.size
    try:
        span = _byte_range(request.META.get("HTTP_RANGE", ""), size)
    except ValueError:
        refused = _json({"error": "range_not_satisfiable"}, status=416)
        refused["Content-Range"] = f"bytes */{size}"
        return refused
    if_range = request.META.get("HTTP_IF_RANGE", "")
    if span is not None and if_range and if_range.strip('"') != served.sha256:
        span = None  # the kiosk's partial file is of another build: send it all
    first, last = span if span is not None else (0, size - 1)
    length = last - first + 1
    if request.method == "HEAD":
        response: HttpResponse | StreamingHttpResponse = HttpResponse(b"")
    else:
        handle = served.file.open("rb")
        handle.seek(first)
        response = StreamingHttpResponse(file_blocks(request, handle, length))
    response.status_code = 206 if span is not None else 200
    if span is not None:
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
    is_deb = isinstance(served, KioskRelease)
    response["Content-Type"] = (
        "application/vnd.debian.binary-package" if is_deb else "application/octet-stream"
    )
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = f'"{served.sha256}"'
    response["Content-Disposition"] = f'attachment; filename="{served.filename}"'
    return response
