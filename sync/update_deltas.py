"""Binary deltas between two releases of a package (`zstd --patch-from`), for the county hub that
makes them and the kiosk that applies them.

A delta turns the exact bytes of the .deb a kiosk already holds (the base, `from_version`) into
the exact bytes of the new .deb. Nothing in a delta is trusted: the rebuilt file must have the
size and sha256 the county signed, or it is thrown away and the full package downloaded.

The packages are built for this (packaging/build-deb.sh): file times are fixed and data.tar is
compressed with `zstd --rsyncable`, so an unchanged file compresses to the same bytes in both
releases and the delta is about the size of what changed. Matches reach back across the whole
base, so the window covers base and new file (`window_log`); a kiosk needs about that much
memory to apply it, which `MAX_WINDOW_LOG` bounds.

No kiosk and no Django code here; any thread may call these (each runs one zstd process).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Final

FORMAT: Final = "zstd-patch"
SUFFIX: Final = ".debpatch"
MIN_WINDOW_LOG: Final = 20
MAX_WINDOW_LOG: Final = 30  # 1 GiB: a delta needing more is not made
# zstd level: 19 for small packages; 9 for large ones (19 took 213 s on the runtime for a delta
# 0.1 % smaller: what a delta carries is compressed data already).
LEVEL_SMALL: Final = 19
LEVEL_LARGE: Final = 9
LARGE: Final = 32 * 1024 * 1024
# A delta at least this share of the full package is not worth its bookkeeping.
WORTH: Final = 0.8


class DeltaError(Exception):
    """zstd is missing, failed, or the result is not what was asked for."""


@dataclass(frozen=True)
class Delta:
    path: Path
    size: int
    sha256: str
    window_log: int


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def window_log(base_size: int, new_size: int) -> int:
    """The zstd window (log2) that lets the new file reach any byte of the base."""
    return max(MIN_WINDOW_LOG, (base_size + new_size).bit_length())


def delta_filename(package: str, from_version: str, to_version: str, arch: str) -> str:
    strip = lambda v: v.split(":", 1)[-1]  # noqa: E731 - Debian file names carry no epoch
    return f"{package}_{strip(from_version)}_to_{strip(to_version)}_{arch}{SUFFIX}"


def zstd_binary(zstd: str | None = None) -> str:
    found = shutil.which(zstd or "zstd")
    if not found:
        raise DeltaError("zstd is not installed")
    return found


def make_delta(
    base: Path, new: Path, out: Path, *, zstd: str | None = None, level: int | None = None
) -> Delta:
    """Write the delta from `base` to `new` at `out` (through a temporary name) and check that
    it rebuilds `new` exactly."""
    wlog = window_log(base.stat().st_size, new.stat().st_size)
    if level is None:
        level = LEVEL_LARGE if new.stat().st_size > LARGE else LEVEL_SMALL
    if wlog > MAX_WINDOW_LOG:
        raise DeltaError(f"{base.name} and {new.name} need a {wlog}-bit window")
    tmp = out.with_name(f".{out.name}.tmp")
    cmd = [
        zstd_binary(zstd),
        "-q",
        "-f",
        f"-{level}",
        f"--long={wlog}",
        f"--patch-from={base}",
        str(new),
        "-o",
        str(tmp),
    ]
    if level > 19:
        cmd.insert(3, "--ultra")
    _run(cmd, "make")
    try:
        check = out.with_name(f".{out.name}.check")
        apply_delta(base, tmp, check, wlog, zstd=zstd)
        same = sha256_of(check) == sha256_of(new)
        check.unlink()
        if not same:
            raise DeltaError(f"the delta {out.name} does not rebuild {new.name}")
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return Delta(out, out.stat().st_size, sha256_of(out), wlog)


def apply_delta(base: Path, delta: Path, out: Path, wlog: int, *, zstd: str | None = None) -> None:
    """Rebuild the new file at `out` from `base` and `delta`. Raises DeltaError; `out` is then
    removed. The caller checks the result's sha256."""
    if not MIN_WINDOW_LOG <= wlog <= MAX_WINDOW_LOG:
        raise DeltaError(f"window {wlog} out of range")
    cmd = [
        zstd_binary(zstd),
        "-q",
        "-d",
        "-f",
        f"--long={wlog}",
        f"--memory={1 << (wlog - 20)}MB",
        f"--patch-from={base}",
        str(delta),
        "-o",
        str(out),
    ]
    try:
        _run(cmd, "apply")
    except DeltaError:
        out.unlink(missing_ok=True)
        raise


def _run(cmd: list[str], what: str) -> None:
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=3600, check=False)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise DeltaError(f"zstd ({what}): {err}") from None
    if done.returncode != 0:
        raise DeltaError(f"zstd ({what}) failed: {done.stderr.strip()[-300:]}")


def worth_it(delta_size: int, full_size: int) -> bool:
    return delta_size < WORTH * full_size
