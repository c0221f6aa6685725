"""Building the kiosk's .deb(s) from the working tree, and reading what they depend on.

The packaging may make one kiosk package or several (`xiangli-kiosk-runtime` + `xiangli-kiosk`):
every `xiangli-kiosk*.deb` that packaging/build-deb.sh writes is the kiosk.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from lab import CACHE, ROOT

_NAME = re.compile(r"^([a-z0-9][a-z0-9.+-]*)")


def build_kiosk_debs(
    out: Path, version: str | None = None, log: Path | None = None, app_only: bool = False
) -> list[Path]:
    """Run packaging/build-deb.sh --kiosk-only into `out`; the kiosk .debs it made.
    `app_only`: only the kiosk's app package (`--app-only`, where the packaging has a separate
    runtime), else the whole kiosk."""
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("xiangli-kiosk*.deb"):
        old.unlink()
    env = {k: v for k, v in os.environ.items() if not k.startswith("XIANGLI_")}
    # Its own scratch space: another build in build/deb (a developer's) must not race ours.
    env["XIANGLI_BUILD_DIR"] = str(CACHE / "debbuild")
    # gzip's fastest level: what is tested is the package's content and scripts, not how small
    # it is, and -9 of the 318 MiB runtime costs the host half a minute.
    env["XIANGLI_DEB_LEVEL"] = "1"
    if version:
        env["XIANGLI_DEB_VERSION"] = version
    script = str(ROOT / "packaging/build-deb.sh")
    with open(log or os.devnull, "a") as sink:
        if app_only and "--app-only" in (ROOT / "packaging/build-deb.sh").read_text():
            what = "--app-only"
        else:
            what = "--kiosk-only"
        subprocess.run(
            [script, what, "--out", str(out)],
            check=True,
            env=env,
            stdout=sink,
            stderr=sink,
            timeout=1800,
        )
    debs = sorted(out.glob("xiangli-kiosk*.deb"))
    if not debs:
        raise RuntimeError(f"packaging/build-deb.sh made no xiangli-kiosk*.deb in {out}")
    return debs


def field(deb: Path, name: str) -> str:
    return subprocess.run(
        ["dpkg-deb", "-f", str(deb), name], check=True, capture_output=True, text=True
    ).stdout.strip()


def parse_depends(text: str) -> list[str]:
    """Debian package names from a Depends field: the first of each set of alternatives,
    without versions or architecture qualifiers."""
    names = []
    for clause in text.split(","):
        first = clause.split("|")[0].strip()
        m = _NAME.match(first)
        if m:
            names.append(m.group(1))
    return names


def system_depends(debs: list[Path]) -> list[str]:
    """What the kiosk .debs need from Debian (Depends + Pre-Depends), less the kiosk's own."""
    own = {field(d, "Package") for d in debs}
    names: set[str] = set()
    for deb in debs:
        for f in ("Pre-Depends", "Depends"):
            names.update(parse_depends(field(deb, f)))
    return sorted(n for n in names if n not in own)
