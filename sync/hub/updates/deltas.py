"""The hub makes the binary deltas of a release from the .debs it already holds: from each of
the `BASES` newest earlier versions of the same package to the new one (sync/update_deltas.py).

Called when staff upload a release in the admin, and by `xiangli-hub manage make_deltas` (for
releases uploaded before, or after installing zstd). Without zstd no delta is made and kiosks
download whole packages, as before. A delta that is not clearly smaller than the package is
not kept. Runs in the request that saved the release (a large runtime takes some seconds).
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from django.conf import settings

from sync import update_deltas
from sync import updates as wire
from sync.hub.updates.models import KioskRelease, ReleaseDelta

log = logging.getLogger(__name__)

BASES = 3
FOLDER = "releases/deltas"


def earlier_releases(release: KioskRelease, bases: int = BASES) -> list[KioskRelease]:
    """The newest `bases` releases of the same package older than `release` (withdrawn ones
    too: kiosks that rolled back from a withdrawn version run the one before it)."""
    older = [
        r
        for r in KioskRelease.objects.filter(
            package=release.package, architecture=release.architecture
        ).exclude(pk=release.pk)
        if wire.compare_versions(r.version, release.version) < 0
    ]

    def by_version(a: KioskRelease, b: KioskRelease) -> int:
        return wire.compare_versions(a.version, b.version)

    return sorted(older, key=functools.cmp_to_key(by_version), reverse=True)[:bases]


def make_deltas(
    release: KioskRelease, *, bases: int = BASES, zstd: str | None = None
) -> list[ReleaseDelta]:
    """Make the missing deltas to `release`; returns those made."""
    made = []
    target = Path(release.file.path)
    folder = Path(settings.MEDIA_ROOT) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    for base in earlier_releases(release, bases):
        if release.deltas.filter(from_version=base.version).exists():
            continue
        source = Path(base.file.path)
        if not source.is_file():
            continue
        filename = update_deltas.delta_filename(
            release.package, base.version, release.version, release.architecture
        )
        out = folder / filename
        try:
            delta = update_deltas.make_delta(source, target, out, zstd=zstd)
        except update_deltas.DeltaError as err:
            log.warning("no delta %s: %s", filename, err)
            continue
        if not update_deltas.worth_it(delta.size, release.size):
            out.unlink(missing_ok=True)
            log.info("delta %s not kept: %d of %d bytes", filename, delta.size, release.size)
            continue
        made.append(
            ReleaseDelta.objects.create(
                release=release,
                from_version=base.version,
                from_sha256=base.sha256,
                filename=filename,
                file=f"{FOLDER}/{filename}",
                size=delta.size,
                sha256=delta.sha256,
                window_log=delta.window_log,
            )
        )
        log.info("delta %s: %d bytes (%d full)", filename, delta.size, release.size)
    return made
