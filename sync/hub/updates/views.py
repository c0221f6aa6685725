"""GET /api/v1/updates/latest (the newest active release's manifest) and
GET|HEAD /api/v1/updates/files/<filename> (the .deb, resumable with a single HTTP Range).

Neither needs the terminal's identity: a release is signed by the county, and the kiosk's
root-side installer checks that signature, the size and the sha256 before installing anything.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import IO, Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.views.decorators.http import require_http_methods

from sync import updates as wire
from sync.hub.updates.models import KioskRelease

CHUNK = 256 * 1024
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


@require_http_methods(["GET", "HEAD"])
def latest(request: HttpRequest) -> HttpResponse:
    package = request.GET.get("package", wire.PACKAGE)
    arch = request.GET.get("arch", wire.ARCH)
    release = latest_release(package, arch)
    if release is None:
        return _json({"error": "no_release", "package": package, "arch": arch}, status=404)
    return _json(release.manifest())


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


def _stream(handle: IO[bytes], remaining: int) -> Iterator[bytes]:
    try:
        while remaining > 0:
            block = handle.read(min(CHUNK, remaining))
            if not block:
                return
            remaining -= len(block)
            yield block
    finally:
        handle.close()


@require_http_methods(["GET", "HEAD"])
def release_file(request: HttpRequest, filename: str) -> HttpResponse:
    release = KioskRelease.objects.filter(filename=filename, active=True).first()
    if release is None:
        return _json({"error": "not_found"}, status=404)
    size = release.size
    try:
        span = _byte_range(request.META.get("HTTP_RANGE", ""), size)
    except ValueError:
        refused = _json({"error": "range_not_satisfiable"}, status=416)
        refused["Content-Range"] = f"bytes */{size}"
        return refused
    if_range = request.META.get("HTTP_IF_RANGE", "")
    if span is not None and if_range and if_range.strip('"') != release.sha256:
        span = None  # the kiosk's partial file is of another build: send it all
    first, last = span if span is not None else (0, size - 1)
    length = last - first + 1
    if request.method == "HEAD":
        response: HttpResponse | StreamingHttpResponse = HttpResponse(b"")
    else:
        handle = release.file.open("rb")
        handle.seek(first)
        response = StreamingHttpResponse(_stream(handle, length))
    response.status_code = 206 if span is not None else 200
    if span is not None:
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
    response["Content-Type"] = "application/vnd.debian.binary-package"
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = f'"{release.sha256}"'
    response["Content-Disposition"] = f'attachment; filename="{release.filename}"'
    return response
