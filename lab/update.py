"""Scenario 7: a signed update installed by the kiosk's own updater (xiangli-update.service, the
unit xiangli-update.timer starts), and a broken newer version rolled back.

The county's side is played on the host: a fresh Ed25519 key (packaging/sign-update.sh
--new-key), the kiosk .debs built again from the working tree at a newer version, and a broken
copy of the app package at a newer version still, whose kiosk session exits at once (it passes
`xiangli-kiosk --version` and fails the updater's health watch). Both are signed with the
county's tool and dropped where the sync client puts downloads (updates/incoming, as the xiangli
user); the hub and the download itself are not part of this scenario.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

from lab import CACHE, ROOT
from lab.debs import build_kiosk_debs, field

APP = "xiangli-kiosk"


def _app_deb(debs: list[Path]) -> Path:
    return next(d for d in debs if field(d, "Package") == APP)


def _sign(deb: Path, key: Path) -> Path:
    subprocess.run(
        [str(ROOT / "packaging/sign-update.sh"), str(deb), str(key)],
        check=True,
        capture_output=True,
    )
    return deb.with_suffix(".json")


def _broken_copy(good: Path, version: str, out: Path) -> Path:
    """The good app package at `version`, with a kiosk session that exits at once."""
    tree = out / "tree"
    shutil.rmtree(tree, ignore_errors=True)
    subprocess.run(["dpkg-deb", "-R", str(good), str(tree)], check=True)
    session = tree / "usr/lib/xiangli/kiosk-session"
    session.write_text("#!/bin/sh\necho 'lab: a broken kiosk build' >&2\nexit 1\n")
    control = tree / "DEBIAN/control"
    control.write_text(
        "".join(
            f"Version: {version}\n" if line.startswith("Version:") else line
            for line in control.read_text().splitlines(keepends=True)
        )
    )
    md5 = tree / "DEBIAN/md5sums"
    if md5.exists():
        subprocess.run(
            f"cd {tree} && find . -path ./DEBIAN -prune -o -type f -printf '%P\\0' | "
            "LC_ALL=C sort -z | xargs -0 md5sum > DEBIAN/md5sums",
            shell=True,
            check=True,
        )
    deb = out / f"{APP}_{version}_amd64.deb"
    subprocess.run(
        ["dpkg-deb", "--root-owner-group", "-Znone", "--build", str(tree), str(deb)],
        check=True,
        capture_output=True,
    )
    shutil.rmtree(tree)
    return deb


def _offer_and_apply(lab: Any, deb: Path, manifest: Path, timeout: float) -> dict:
    """Drop an update where the downloader does, start what the timer starts, read the result."""
    share = lab.share / "update"
    shutil.rmtree(share, ignore_errors=True)
    share.mkdir(parents=True)
    shutil.copy2(deb, share / deb.name)
    shutil.copy2(manifest, share / manifest.name)
    lab.sh(
        f"install -o xiangli -g xiangli -m 0640 /lab/update/{deb.name} "
        f"/var/lib/xiangli/updates/incoming/ && install -o xiangli -g xiangli -m 0640 "
        f"/lab/update/{manifest.name} /var/lib/xiangli/updates/incoming/",
        timeout=300,
    )
    lab.run("systemctl start xiangli-update.service", timeout=timeout)
    return json.loads(lab.sh("cat /var/lib/xiangli/updates/last-result.json"))


def _home(lab: Any) -> None:
    for _ in range(3):
        if lab.shows("homePage"):
            return
        names = set(lab.names())
        for button in ("keepGoingButton", "restoreNo", "homeButton", "staffExit"):
            if button in names:
                lab.tap(button)
                break
        time.sleep(2)


def run_update_scenario(lab: Any, fig: dict) -> None:
    installed = lab.sh(f"dpkg-query -W -f='${{Version}}' {APP}").strip()
    good_version, broken_version = f"{installed}+lab1", f"{installed}+lab2"
    work = CACHE / "update"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    subprocess.run(
        [str(ROOT / "packaging/sign-update.sh"), "--new-key", str(work / "county")],
        check=True,
        capture_output=True,
    )
    t0 = time.monotonic()
    good = _app_deb(
        build_kiosk_debs(
            work / "good", version=good_version, log=lab.logs / "build-update.log", app_only=True
        )
    )
    broken = _broken_copy(good, broken_version, work)
    fig["build_s"] = round(time.monotonic() - t0)
    good_manifest, broken_manifest = (
        _sign(good, work / "county.key"),
        _sign(broken, work / "county.key"),
    )

    # What INSTALL.md asks of the technician once: the county key, and the installed .deb kept.
    shutil.copy2(work / "county.pem", lab.share / "county.pem")
    lab.sh(
        "install -m 0644 /lab/county.pem /etc/xiangli/update-keys/county.pem && "
        f"xiangli-update keep $(ls /lab/debs/{APP}_*.deb | head -n1)",
        timeout=300,
    )
    timer = lab.sh(
        "systemctl is-enabled xiangli-update.timer; systemctl show -p Unit --value "
        "xiangli-update.timer"
    ).split()
    fig["timer"] = "/".join(timer)
    assert timer[:2] == ["enabled", "xiangli-update.service"], timer

    # The updater waits while the kiosk is in use (/run/xiangli/busy touched in the last 10
    # minutes): the villagers' scenarios before this one used it. Wait, as a station would.
    _home(lab)
    t_idle = time.monotonic()
    lab.wait_until(
        lambda: (
            lab.run(
                "f=/run/xiangli/busy; test ! -e $f || test $(( $(date +%s) - $(stat -c %Y $f) )) -ge 610"
            ).rc
            == 0
        ),
        timeout=700,
        what="the kiosk idle for 10 minutes (the updater's busy flag)",
    )
    fig["idle_wait_s"] = round(time.monotonic() - t_idle)

    t1 = time.monotonic()
    result = _offer_and_apply(lab, good, good_manifest, timeout=2400)
    fig["good_s"] = round(time.monotonic() - t1)
    fig["good_result"] = result.get("result")
    now = lab.sh(f"dpkg-query -W -f='${{Version}}' {APP}").strip()
    assert result.get("result") == "installed" and now == good_version, (result, now)
    lab.wait_for("homePage", timeout=900)

    t2 = time.monotonic()
    result = _offer_and_apply(lab, broken, broken_manifest, timeout=3600)
    fig["broken_s"] = round(time.monotonic() - t2)
    fig["broken_result"] = result.get("result")
    now = lab.sh(f"dpkg-query -W -f='${{Version}}' {APP}").strip()
    assert result.get("result") == "rolled-back" and now == good_version, (result, now)
    assert lab.run(f"test -e /var/lib/xiangli/updates/rejected/{broken_version}").rc == 0
    lab.wait_for("homePage", timeout=900)
    lab.screenshot("07-after-rollback")
