"""The kiosk's maintainer scripts, run: postinst configure on a machine that has never had the
kiosk, postinst again (idempotent: nothing changes, no second user), then prerm and postrm
remove. Not only checked by shellcheck: what they make, with which owner and mode, and which
units they enable, is asserted.

They run as root in a private mount namespace (unshare), where /var/lib, /var/log and /opt are
empty tmpfs and /etc/passwd and /etc/group are copies: the machine running the test is not
touched. Debian's helpers (adduser, addgroup, deb-systemd-helper, deb-systemd-invoke,
dpkg-maintscript-helper, sysctl, udevadm) are stand-ins on PATH that edit the copies or log
their call. Skipped unless root with unshare (CI runs the suite as root in its container).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

PACKAGING = Path(__file__).resolve().parents[2] / "packaging"

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or not shutil.which("unshare"),
    reason="needs root and unshare (a private mount namespace)",
)

# Stand-ins for Debian's helpers. adduser/addgroup edit the copied passwd/group files.
STUB = textwrap.dedent(
    """\
    #!/usr/bin/env python3
    import os, sys
    name, args = os.path.basename(sys.argv[0]), sys.argv[1:]
    with open(os.environ["STUB_LOG"], "a") as log:
        log.write(" ".join([name, *args]) + "\\n")
    plain = [a for a in args if not a.startswith("--")]
    def lines(path):
        with open(path) as f:
            return f.read().splitlines()
    def write(path, rows):
        with open(path, "w") as f:
            f.write("\\n".join(rows) + "\\n")
    if name == "addgroup":
        rows = lines("/etc/group")
        rows.append(f"{plain[-1]}:x:{990 - len(rows) % 50}:")
        write("/etc/group", rows)
    elif name == "adduser" and "--system" in args:
        group = args[args.index("--ingroup") + 1]
        home = args[args.index("--home") + 1]
        gid = next(r.split(":")[2] for r in lines("/etc/group") if r.split(":")[0] == group)
        rows = lines("/etc/passwd")
        rows.append(f"{plain[-1]}:x:{gid}:{gid}::{home}:/usr/sbin/nologin")
        write("/etc/passwd", rows)
    elif name == "adduser":
        user, group = plain[-2], plain[-1]
        rows = []
        for r in lines("/etc/group"):
            f = r.split(":")
            if f[0] == group:
                members = [m for m in f[3].split(",") if m] + [user]
                r = ":".join(f[:3] + [",".join(members)])
            rows.append(r)
        write("/etc/group", rows)
    elif name == "deb-systemd-helper" and args[:2] == ["--quiet", "was-enabled"]:
        sys.exit(1)
    """
)
HELPERS = (
    "adduser",
    "addgroup",
    "deb-systemd-helper",
    "deb-systemd-invoke",
    "dpkg-maintscript-helper",
    "sysctl",
    "udevadm",
)


def run_in_sandbox(tmp_path: Path, steps: list[str]) -> str:
    """Run `steps` (shell lines) in the sandbox; returns their output."""
    stubs = tmp_path / "stubs"
    stubs.mkdir()
    for helper in HELPERS:
        (stubs / helper).write_text(STUB)
        (stubs / helper).chmod(0o755)
    for name in ("passwd", "group"):
        shutil.copy(f"/etc/{name}", tmp_path / name)
    script = "\n".join(
        [
            "set -e",
            "mount --make-rprivate /",
            "for d in /var/lib /var/log /opt; do mount -t tmpfs tmpfs $d; done",
            f"mount --bind {tmp_path}/passwd /etc/passwd",
            f"mount --bind {tmp_path}/group /etc/group",
            f"export PATH={stubs}:$PATH STUB_LOG={tmp_path}/calls.log",
            *steps,
        ]
    )
    result = subprocess.run(
        ["unshare", "--mount", "--fork", "sh", "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


LISTING = "find /var/lib/xiangli -printf '%p %u %g %m\\n' | sort; echo ---; id -nG xiangli"


def test_kiosk_postinst_makes_its_user_and_folders_once_then_remove_keeps_the_data(
    tmp_path: Path,
) -> None:
    postinst, prerm, postrm = (
        str(PACKAGING / "kiosk" / s) for s in ("postinst", "prerm", "postrm")
    )
    out = run_in_sandbox(
        tmp_path,
        [
            f"sh {postinst} configure",
            LISTING,
            "echo ===",
            "echo data > /var/lib/xiangli/kiosk/kiosk.sqlite3",
            f"sh {postinst} configure 0.1.0",  # an upgrade: nothing made twice, data kept
            LISTING,
            "echo ===",
            "mkdir -p /opt/xiangli/lib",
            f"sh {prerm} remove",
            f"sh {postrm} remove",
            "test ! -e /opt/xiangli && echo opt-gone",
            "cat /var/lib/xiangli/kiosk/kiosk.sqlite3",
            "readlink /var/lib/xiangli/kiosk/.config/speech-dispatcher",
        ],
    )
    first, second, removed = out.split("===\n")
    assert first.splitlines()[:8] == [
        "/var/lib/xiangli root root 755",
        "/var/lib/xiangli/kiosk xiangli xiangli 750",
        "/var/lib/xiangli/kiosk/.config xiangli xiangli 750",
        # The voice's settings: the kiosk user's speech-dispatcher reads the package's.
        "/var/lib/xiangli/kiosk/.config/speech-dispatcher root root 777",
        "/var/lib/xiangli/updates root root 755",
        "/var/lib/xiangli/updates/archive root xiangli 750",
        "/var/lib/xiangli/updates/incoming xiangli xiangli 750",
        "---",
    ]
    assert first.splitlines()[8].split()[0] == "xiangli"
    assert second.splitlines()[:8] == [
        *first.splitlines()[:4],
        "/var/lib/xiangli/kiosk/kiosk.sqlite3 root root 644",
        *first.splitlines()[4:7],
    ]
    assert removed.split() == ["opt-gone", "data", "/etc/xiangli/speech-dispatcher"]
    calls = (tmp_path / "calls.log").read_text().splitlines()
    assert sum(c.startswith("adduser --system") for c in calls) == 1
    assert sum(c.startswith("addgroup") for c in calls) == 1
    for unit in ("xiangli-kiosk.service", "xiangli-update.timer"):
        assert f"deb-systemd-helper update-state {unit}" in calls
    assert "deb-systemd-helper mask xiangli-kiosk.service xiangli-update.timer" in calls


def test_hub_postinst_closes_an_older_hubs_data_folder_and_makes_its_user_once(
    tmp_path: Path,
) -> None:
    postinst = PACKAGING / "hub" / "postinst"
    out = run_in_sandbox(
        tmp_path,
        [
            f"sh {postinst} configure",
            "stat -c '%U %G %a' /var/lib/xiangli-hub",
            "chmod 0755 /var/lib/xiangli-hub",  # as hubs installed before made it
            f"sh {postinst} configure 0.1.0",
            "stat -c '%U %G %a' /var/lib/xiangli-hub",
        ],
    )
    assert out.splitlines() == ["xiangli-hub xiangli-hub 750"] * 2
    calls = (tmp_path / "calls.log").read_text().splitlines()
    assert sum(c.startswith("adduser --system") for c in calls) == 1
    for unit in ("xiangli-hub.service", "xiangli-hub-sms.service", "xiangli-hub-ratings.timer"):
        assert calls.count(f"deb-systemd-helper update-state {unit}") == 2, unit
