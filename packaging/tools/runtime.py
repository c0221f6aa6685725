#!/usr/bin/python3
"""The kiosk runtime (xiangli-kiosk-runtime): what of the pinned Python packages a kiosk carries,
and the version that names them. Run by packaging/build-deb.sh with Debian's python3.

    runtime.py prune SITE             remove what the kiosk never loads, then check that every
                                      shared object left finds the libraries it needs
    runtime.py freeze SITE            "name==version" of every distribution left, sorted
    runtime.py identity SITE FILE...  the runtime's hash: the frozen set, Python's X.Y and FILEs
                                      (this script, the package's control files)
    runtime.py dedupe DIR             identical files (PyPI wheels cannot hold symlinks) become one
                                      file and relative symlinks
    runtime.py copyright SITE         a machine-readable debian/copyright of the bundled packages

What the kiosk loads was measured, not guessed: tests/packaging/home_probe.py starts the packaged
kiosk offscreen, reaches the home screen, opens the pinyin keyboard and asks QtTextToSpeech for
its engines, and lists every shared object mapped into the process; the GUI tests were run
against a runtime pruned like this (docs/DECISIONS.md, "Packages and updates").
"""

from __future__ import annotations

import email.parser
import fnmatch
import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

# PySide6 binding modules the kiosk imports (ui/), and what they import themselves
# (QtQml imports QtNetwork, QtQuick imports QtOpenGL). Every other Qt*.abi3.so goes.
BINDINGS = {"QtCore", "QtGui", "QtNetwork", "QtOpenGL", "QtQml", "QtQuick", "QtTextToSpeech"}

# Qt plugins kept, relative to PySide6/Qt/plugins. Everything else goes: 3D scene loaders,
# sensors, positioning and maps, SQL drivers, designer, printing, the QML debugger, the FFmpeg
# media back end (the kiosk plays no media; speech goes to speech-dispatcher), the eglfs/vnc/
# linuxfb platforms and their input plugins, GTK and portal themes, the mock speech engine (a
# kiosk must not believe it has a voice when it has none), the Wayland *compositor* plugins.
PLUGINS = [
    "platforms/libqwayland.so",  # under cage (xiangli-kiosk.service: QT_QPA_PLATFORM=wayland)
    "platforms/libqoffscreen.so",  # tests and screenshots
    "platforms/libqminimal.so",
    "platforminputcontexts/libqtvirtualkeyboardplugin.so",
    "texttospeech/libqtexttospeech_speechd.so",
    "wayland-shell-integration/*",
    "wayland-graphics-integration-client/*",
    "wayland-decoration-client/*",
    "imageformats/libqgif.so",
    "imageformats/libqico.so",
    "imageformats/libqjpeg.so",
    "imageformats/libqsvg.so",
    "imageformats/libqwebp.so",
    "iconengines/libqsvgicon.so",
    "tls/*",
    "networkinformation/*",
]

# QML modules kept, relative to PySide6/Qt/qml (a folder keeps what is under it, minus DROP_QML).
# The screens import QtQuick, QtQuick.Controls.Basic, QtQuick.Layouts, QtQuick.Window and
# QtQuick.VirtualKeyboard(.Settings); those import QtQml, QtQuick.Templates, the Controls' impl
# modules, QtQuick.Shapes, Qt.labs.folderlistmodel and QtMultimedia (the keyboard's key sounds).
QML = [
    "builtins.qmltypes",
    "jsroot.qmltypes",
    "QtQml",
    "QtCore",
    "QtQuick/qmldir",
    "QtQuick/libqtquick2plugin.so",
    "QtQuick/plugins.qmltypes",
    "QtQuick/Controls",
    "QtQuick/Templates",
    "QtQuick/Layouts",
    "QtQuick/Window",
    "QtQuick/Shapes",
    "QtQuick/VirtualKeyboard",
    "Qt/labs/folderlistmodel",
    "QtMultimedia",
]
DROP_QML = [
    # Controls styles other than Basic ("optional import" in Controls' qmldir) and their tools.
    "QtQuick/Controls/Fusion",
    "QtQuick/Controls/Imagine",
    "QtQuick/Controls/Material",
    "QtQuick/Controls/Universal",
    "QtQuick/Controls/FluentWinUI3",
    "QtQuick/Controls/designer",
    "QtQml/StateMachine",
    "QtQml/XmlListModel",
]

# Everything else in PySide6 that is not a binding: developer tools, headers, type systems,
# stubs, Qt's own translations (ui/i18n.py loads only the kiosk's), WebEngine resources, CMake
# metatypes and Qt's helper executables.
PYSIDE_KEEP = {
    "__init__.py",
    "_config.py",
    "_git_pyside_version.py",
    "QtAsyncio",
    "support",
    "py.typed",
    "Qt",
    "PySide6_Essentials.json",
    "PySide6_Addons.json",
}
QT_KEEP = {"lib", "plugins", "qml"}

# Whole distributions and files a kiosk never runs: the kiosk installs no Python packages, and
# nobody reads type stubs or a library's own tests there.
SITE_DROP = [
    "pip",
    "pip-*.dist-info",
    "setuptools",
    "setuptools-*.dist-info",
    "pkg_resources",
    "_distutils_hack",
    "distutils-precedence.pth",
    "wheel",
    "wheel-*.dist-info",
    "numpy/_core/tests",
    "numpy/*/tests",
    "numpy/tests",
    "numpy/f2py",
    "numpy/_pyinstaller",
    "numpy/random/_examples",
    "numpy/doc",
    "tests",  # python-barcode installs its test outputs as a top-level package
    "numpy/_core/_simd.*.so",  # numpy's SIMD and test modules: only its tests import them
    "numpy/_core/_*_tests.*.so",
    "numpy/conftest.py",
    # Python's zoneinfo reads Debian's /usr/share/zoneinfo (package tzdata, kept current by
    # apt) before the tzdata wheel, which is a fallback for systems without one.
    "tzdata",
    "tzdata-*.dist-info",
    # PyYAML's libyaml accelerator: python-escpos reads its capabilities with yaml.safe_load,
    # the pure-Python loader; PyYAML works without it (yaml.__with_libyaml__ is then False).
    "yaml/_yaml.*.so",
    # Pillow's AVIF codec (4.7 MB with libavif) and Tk bridge: the kiosk reads and writes JPEG
    # and PNG; Pillow reports AVIF as unsupported without them.
    "PIL/_avif.*.so",
    "PIL/_imagingtk.*.so",
]
FILE_DROP = ["*.pyi", "*.pyc", "*.pyx", "*.pxd", "*.h", "*.c", "*.cpp", ".gitignore", ".gitkeep"]

ELF = b"\x7fELF"


def _remove(path: Path) -> int:
    """Delete a file, link or tree; the bytes it held."""
    if path.is_symlink() or path.is_file():
        size = path.lstat().st_size
        path.unlink()
        return size
    if path.is_dir():
        size = sum(p.lstat().st_size for p in path.rglob("*") if not p.is_dir())
        shutil.rmtree(path)
        return size
    return 0


def _prune_tree(top: Path, keep: list[str], drop: list[str]) -> int:
    """Keep what `keep` names (a file, a glob, or a folder and all under it, minus `drop`);
    remove everything else under `top`."""
    freed = 0

    def covers(pattern: str, rel: str) -> bool:
        return fnmatch.fnmatch(rel, pattern) or rel.startswith(pattern + "/")

    def visit(folder: Path) -> None:
        nonlocal freed
        for path in sorted(folder.iterdir()):
            rel = path.relative_to(top).as_posix()
            is_dir = path.is_dir() and not path.is_symlink()
            if any(covers(d, rel) for d in drop):
                freed += _remove(path)
            elif any(covers(k, rel) for k in keep):
                if is_dir and any(d.startswith(rel + "/") for d in drop):
                    visit(path)
            elif is_dir and any(k.startswith(rel + "/") for k in keep):
                visit(path)
            else:
                freed += _remove(path)

    visit(top)
    return freed


def needed(path: Path) -> list[str]:
    """The DT_NEEDED entries of an ELF shared object (readelf, from binutils)."""
    out = subprocess.run(
        ["readelf", "-d", "-W", str(path)], capture_output=True, text=True, check=False
    ).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)


def _is_elf(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(4) == ELF
    except OSError:
        return False


def _system_libs() -> set[str]:
    out = subprocess.run(["/sbin/ldconfig", "-p"], capture_output=True, text=True).stdout
    return {line.split()[0] for line in out.splitlines()[1:] if line.strip()}


def prune_qt(site: Path) -> int:
    pyside = site / "PySide6"
    if not pyside.is_dir():
        return 0
    freed = 0
    for entry in sorted(pyside.iterdir()):
        name = entry.name
        if name.endswith(".abi3.so") and name.startswith("Qt"):
            if name.removesuffix(".abi3.so") not in BINDINGS:
                freed += _remove(entry)
        elif name.startswith("libpyside6"):
            continue
        elif name not in PYSIDE_KEEP:
            freed += _remove(entry)
    qt = pyside / "Qt"
    for entry in sorted(qt.iterdir()):
        if entry.name not in QT_KEEP:
            freed += _remove(entry)
    freed += _prune_tree(qt / "plugins", PLUGINS, [])
    freed += _prune_tree(qt / "qml", QML, DROP_QML)
    # Qt's libraries: only those something kept needs, followed transitively.
    libdir = qt / "lib"
    libs = {p.name: p for p in libdir.iterdir()}
    wanted: set[str] = set()
    queue = [p for p in pyside.rglob("*") if p.is_file() and p.parent != libdir and _is_elf(p)]
    queue += [p for p in site.glob("shiboken6/*") if p.is_file() and _is_elf(p)]
    while queue:
        for name in needed(queue.pop()):
            if name in libs and name not in wanted:
                wanted.add(name)
                queue.append(libs[name].resolve())
    for name, path in libs.items():
        if name not in wanted:
            freed += _remove(path)
    return freed


# OpenCV's wheel bundles a whole OpenBLAS (37 MB, with gfortran) for 19 routines: the cblas_?gemm
# and LAPACK solvers (nm -D cv2.abi3.so). Debian's libblas3 + liblapack3 (8 MB, with security
# updates; or OpenBLAS itself through the libblas.so.3 alternative) provide exactly these. The
# bundled file is replaced by an empty library of the same name that needs the two.
BLAS_SHIMS = {"opencv_python_headless.libs": "libopenblas*.so"}
BLAS_LIBS = ["/usr/lib/x86_64-linux-gnu/liblapack.so.3", "/usr/lib/x86_64-linux-gnu/libblas.so.3"]


def unbundle_blas(site: Path) -> int:
    freed = 0
    for folder, pattern in BLAS_SHIMS.items():
        for lib in sorted((site / folder).glob(pattern)):
            freed += lib.stat().st_size
            shim = lib.with_name(lib.name + ".shim")
            subprocess.run(
                ["ld", "-shared", "--no-as-needed", "-soname", lib.name, "-o", str(shim)]
                + BLAS_LIBS,
                check=True,
            )
            os.replace(shim, lib)
            freed -= lib.stat().st_size
    return freed


def drop_orphans(site: Path) -> int:
    """Bundled libraries (a wheel's *.libs folder) that no shared object needs any more."""
    freed = 0
    while True:
        wanted = {
            name
            for elf in site.rglob("*")
            if elf.is_file() and not elf.is_symlink() and _is_elf(elf)
            for name in needed(elf)
        }
        orphans = [
            lib
            for folder in site.glob("*.libs")
            for lib in folder.iterdir()
            if lib.name not in wanted
        ]
        if not orphans:
            return freed
        for lib in orphans:
            freed += _remove(lib)


def prune(site: Path) -> int:
    freed = 0
    for pattern in SITE_DROP:
        for path in sorted(site.glob(pattern)):
            freed += _remove(path)
    for pattern in FILE_DROP:
        for path in sorted(site.rglob(pattern)):
            if path.is_file():
                freed += _remove(path)
    for cache in sorted(site.rglob("__pycache__")):
        freed += _remove(cache)
    freed += prune_qt(site)
    freed += unbundle_blas(site)
    freed += drop_orphans(site)
    return freed


BUNDLED = re.compile(r"^(libQt6|libpyside6|libshiboken6|libicu)")


def check_closure(root: Path) -> tuple[list[str], set[str]]:
    """(what is missing, system libraries needed). A library of Qt's own family (libQt6*, ICU,
    PySide's) must be in the runtime; anything else must be on this system (the package's
    Depends bring it to a kiosk), and is listed so its Depends can be checked."""
    system = _system_libs()
    ours = {
        p.name
        for p in root.rglob("*")
        if (p.is_file() or p.is_symlink()) and (p.suffix == ".so" or ".so." in p.name)
    }
    missing, from_system = [], set()
    for elf in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()):
        if not _is_elf(elf):
            continue
        for name in needed(elf):
            if name in ours:
                continue
            if BUNDLED.match(name) or name not in system:
                missing.append(f"{elf.relative_to(root)} needs {name}")
            else:
                from_system.add(name)
    return missing, from_system


# -- what the runtime is --------------------------------------------------------------------
def distributions(site: Path) -> list[tuple[str, str, Path]]:
    found = []
    for info in sorted(site.glob("*.dist-info")):
        meta = email.parser.Parser().parsestr((info / "METADATA").read_text(encoding="utf-8"))
        name = re.sub(r"[-_.]+", "-", meta["Name"]).lower()
        found.append((name, meta["Version"], info))
    return found


def freeze(site: Path) -> list[str]:
    return sorted(f"{name}=={version}" for name, version, _ in distributions(site))


def identity(site: Path, files: list[Path]) -> str:
    digest = hashlib.sha256()
    digest.update(f"python{sys.version_info.major}.{sys.version_info.minor}\n".encode())
    for line in freeze(site):
        digest.update(line.encode() + b"\n")
    for path in sorted(files, key=lambda p: p.as_posix()):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def dedupe(top: Path) -> int:
    """Replace files identical to an earlier one (same folder tree) by relative symlinks."""
    by_key: dict[tuple[int, str], Path] = {}
    saved = 0
    for path in sorted(top.rglob("*")):
        if path.is_symlink() or not path.is_file() or path.stat().st_size < 4096:
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        key = (path.stat().st_size, digest)
        first = by_key.setdefault(key, path)
        if first is path:
            continue
        target = os.path.relpath(first, path.parent)
        saved += path.stat().st_size
        path.unlink()
        path.symlink_to(target)
    return saved


def _license(meta: email.message.Message) -> str:
    expression = meta.get("License-Expression")
    if expression:
        return expression
    classifiers = [
        c.split("::")[-1].strip()
        for c in meta.get_all("Classifier") or []
        if c.startswith("License ::")
    ]
    text = (meta.get("License") or "").strip().splitlines()
    if classifiers:
        return " or ".join(classifiers)
    if text and len(text[0]) < 80:
        return text[0]
    return "see the distribution's dist-info"


def copyright_text(site: Path, prefix: str) -> str:
    lines = [
        "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/",
        "Upstream-Name: xiangli-kiosk-runtime",
        "Comment: The Python packages the Xiangli kiosk runs on, installed unchanged from their",
        " PyPI wheels (some files left out). Each package's own license texts are in its",
        f" dist-info folder under {prefix}.",
        "",
        "Files: *",
        "Copyright: the authors of the bundled packages",
        "License: various",
        " Each bundled package keeps its own license; see the Files paragraphs below and the",
        " license files in the package's dist-info folder.",
    ]
    parser = email.parser.Parser()
    for name, version, info in distributions(site):
        meta = parser.parsestr((info / "METADATA").read_text(encoding="utf-8"))
        top = (
            (info / "top_level.txt").read_text().split()
            if (info / "top_level.txt").exists()
            else []
        )
        files = [f"{prefix}/{info.name}/*"] + [
            f"{prefix}/{t}/*" for t in top if (site / t).exists()
        ]
        licence = re.sub(r"\s+", " ", _license(meta)).strip() or "unknown"
        author = re.sub(r"\s+", " ", meta.get("Author") or meta.get("Author-email") or "").strip()
        lines += [
            "",
            f"Files: {' '.join(files)}",
            f"Copyright: {author or 'the ' + name + ' authors'}",
            f"License: {licence}",
            f" {name} {version}: see {prefix}/{info.name}/ for the license text.",
        ]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, path = argv[0], Path(argv[1])
    if cmd == "prune":
        freed = prune(path)
        missing, _ = check_closure(path)
        print(f"pruned {freed / 2**20:.0f} MiB", file=sys.stderr)
        if missing:
            print("libraries missing after pruning:\n  " + "\n  ".join(missing), file=sys.stderr)
            return 1
        return 0
    if cmd == "check":
        missing, system = check_closure(path)
        for line in missing:
            print("missing:", line)
        print("system:", " ".join(sorted(system)))
        return 1 if missing else 0
    if cmd == "freeze":
        print("\n".join(freeze(path)))
        return 0
    if cmd == "identity":
        print(identity(path, [Path(p) for p in argv[2:]]))
        return 0
    if cmd == "dedupe":
        print(f"deduplicated {dedupe(path) / 2**20:.1f} MiB", file=sys.stderr)
        return 0
    if cmd == "copyright":
        sys.stdout.write(copyright_text(path, argv[2]))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
