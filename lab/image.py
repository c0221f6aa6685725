"""The lab's Debian 12 disk image: built once with mmdebstrap from Debian's packages, cached.

The image holds Debian (systemd, udev, Debian's own kernel `linux-image-amd64`), every Debian
package the kiosk .debs depend on (so that `dpkg -i` of the kiosk works offline in the VM), the
few tools the lab's far sides use (grim, wlr-randr, dosfstools, usbutils; v4l2loopback, built by
DKMS for the document camera) and the lab's guest agent. It is keyed by that package list and by the files that shape the image (this module and
lab/guest/image/): a kiosk package that gains a dependency gets a new image, a change to a
scenario does not. The far-side programs come into the VM at run time through a 9p share.

The kiosk's runtime package (`xiangli-kiosk-runtime`: the pinned Python libraries and Qt, 122 MB,
1,800 files, versioned by a hash of its content) is installed into the image too, with dpkg in
the new root, its postinst byte-compiling at the host's speed: unpacked and compiled in the
emulated VM it cost about a minute of every run idle, more under load. The key holds its
version, so a runtime that changes makes a new image. The app package (`xiangli-kiosk`: the code, the units, udev rules,
users) is what scenario 1 installs with `dpkg -i` in the booted VM (docs/DECISIONS.md).

Files: CACHE/images/<key>/{root.img, vmlinuz, initrd.img, packages.txt}.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path

from lab import CACHE, GUEST, LAB
from lab.debs import field

SUITE = "bookworm"
MIRRORS = [
    "deb http://deb.debian.org/debian bookworm main",
    "deb http://deb.debian.org/debian bookworm-updates main",
    "deb http://deb.debian.org/debian-security bookworm-security main",
]
# The VM's own needs, besides what the kiosk depends on.
BASE_PACKAGES = [
    "systemd",
    "systemd-sysv",
    "udev",
    "dbus",
    "kmod",
    "linux-image-amd64",
    "initramfs-tools",
    "python3",
    "procps",
    "grim",
    "wlr-randr",
    "dosfstools",
    "usbutils",
    "sqlite3",
    "less",
    # The document camera (lab/guest/camera_side.py): v4l2loopback, built by DKMS for the
    # image's kernel when its package is installed (the headers must be there by then).
    "linux-headers-amd64",
    "v4l2loopback-dkms",
]
IMAGE_SIZE = "8G"  # sparse: the file holds only what is written


def image_key(depends: list[str], preinstalled: Sequence[str] = ()) -> str:
    h = hashlib.sha256()
    h.update("\n".join(sorted(set(depends) | set(BASE_PACKAGES))).encode())
    h.update("\n".join(["preinstalled:", *sorted(preinstalled)]).encode())
    for path in [LAB / "image.py", *sorted((GUEST / "image").rglob("*"))]:
        if path.is_file():
            h.update(path.relative_to(LAB).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


class Image:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.root = folder / "root.img"
        self.kernel = folder / "vmlinuz"
        self.initrd = folder / "initrd.img"

    @property
    def complete(self) -> bool:
        return (self.folder / ".complete").exists()


def _customize_hooks(debs: Sequence[Path]) -> list[str]:
    """Run by mmdebstrap after the packages are in ("$1" is the new root); `debs` are installed
    with dpkg in the new root (their dependencies are among the packages already in)."""
    image = GUEST / "image"
    install = []
    if debs:
        names = " ".join(f"/tmp/{d.name}" for d in debs)
        install = [
            *[f'cp {d} "$1/tmp/"' for d in debs],
            f'chroot "$1" dpkg -i {names}',
            *[f'rm -f "$1/tmp/{d.name}"' for d in debs],
            # The postinst's byte-code: the kiosk's user cannot write it at run time.
            'test -n "$(find "$1/opt/xiangli-runtime" -name "*.pyc" -print -quit)"',
        ]
    return [
        *install,
        # DKMS built the document camera's module while the packages went in; no module, no image.
        'test -n "$(find "$1/lib/modules" -name "v4l2loopback.ko*" -print -quit)"',
        f'cp -a {image}/lab-agent.py "$1/usr/local/sbin/lab-agent"',
        f'cp -a {image}/lab-agent.service "$1/etc/systemd/system/"',
        'chmod 0755 "$1/usr/local/sbin/lab-agent"',
        'chroot "$1" systemctl enable lab-agent.service',
        'echo xiangli-lab > "$1/etc/hostname"',
        'printf "127.0.0.1 localhost\\n127.0.1.1 xiangli-lab\\n" > "$1/etc/hosts"',
        'ln -sf /usr/share/zoneinfo/Asia/Shanghai "$1/etc/localtime"',
        'echo Asia/Shanghai > "$1/etc/timezone"',
        'printf "/dev/vda / ext4 rw,errors=remount-ro 0 1\\n" > "$1/etc/fstab"',
        'mkdir -p "$1/lab"',
        # Timers that would compete for the VM's two emulated cores, and nothing else.
        'chroot "$1" systemctl mask apt-daily.timer apt-daily-upgrade.timer man-db.timer '
        "e2scrub_all.timer fstrim.timer systemd-tmpfiles-clean.timer >/dev/null 2>&1 || true",
        # The VM's text consoles are serial; a kiosk's tty1 stays the kiosk's.
        'rm -f "$1/etc/machine-id"; touch "$1/etc/machine-id"',
    ]


def build(depends: list[str], log: Path, preinstall: Sequence[Path] = ()) -> Image:
    """The cached image for `depends`, with the .debs `preinstall` installed, built if needed
    (about 5 minutes with a cold cache)."""
    key = image_key(depends, [f"{field(d, 'Package')}={field(d, 'Version')}" for d in preinstall])
    img = Image(CACHE / "images" / key)
    if img.complete:
        return img
    for old in (CACHE / "images").glob("*"):
        shutil.rmtree(old, ignore_errors=True)  # one image at a time: each is ~2.5 GB
    img.folder.mkdir(parents=True)
    tree = img.folder / "tree"
    packages = sorted(set(depends) | set(BASE_PACKAGES))
    (img.folder / "packages.txt").write_text(
        "\n".join([*packages, *(f"{d.name} (dpkg -i)" for d in preinstall)]) + "\n"
    )
    t0 = time.monotonic()
    cmd = [
        "mmdebstrap",
        "--mode=root",
        "--variant=apt",
        "--format=directory",
        '--aptopt=Acquire::Check-Valid-Until "false"',
        '--aptopt=APT::Install-Recommends "false"',
        "--dpkgopt=path-exclude=/usr/share/doc/*",
        "--dpkgopt=path-include=/usr/share/doc/*/copyright",
        "--dpkgopt=path-exclude=/usr/share/man/*",
        "--dpkgopt=path-exclude=/usr/share/locale/*",
        "--include=" + ",".join(packages),
        *[f"--customize-hook={hook}" for hook in _customize_hooks(preinstall)],
        SUITE,
        str(tree),
        *MIRRORS,
    ]
    with open(log, "a") as sink:
        sink.write(f"$ {' '.join(cmd)}\n")
        sink.flush()
        subprocess.run(cmd, check=True, stdout=sink, stderr=sink, timeout=1800)
        kernels = sorted((tree / "boot").glob("vmlinuz-*"))
        initrds = sorted((tree / "boot").glob("initrd.img-*"))
        if not kernels or not initrds:
            raise RuntimeError("the image has no kernel or initrd in /boot")
        shutil.copy2(kernels[-1], img.kernel)
        shutil.copy2(initrds[-1], img.initrd)
        # mke2fs -d copies the tree with owners and modes, no loop mount needed.
        subprocess.run(
            [
                "mkfs.ext4",
                "-q",
                "-F",
                "-L",
                "root",
                "-E",
                "root_owner=0:0",
                "-d",
                str(tree),
                str(img.root),
                IMAGE_SIZE,
            ],
            check=True,
            stdout=sink,
            stderr=sink,
            timeout=900,
        )
        sink.write(f"image {key} built in {time.monotonic() - t0:.0f} s\n")
    shutil.rmtree(tree)
    (img.folder / ".complete").touch()
    return img
