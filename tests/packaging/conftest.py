"""Builds the Debian packages once per test session (packaging/build-deb.sh) for the tests here."""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = {"kiosk": "xiangli-kiosk", "runtime": "xiangli-kiosk-runtime", "hub": "xiangli-hub"}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "packaging: builds and inspects the .deb packages (slow: a few minutes)"
    )


@pytest.fixture(scope="session")
def debs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """{"kiosk": app, "runtime": its runtime, "hub": hub}: built in this session, or given by
    XIANGLI_TEST_DEBS_DIR."""
    if platform.machine() != "x86_64" or not shutil.which("dpkg-deb"):
        pytest.skip("needs Debian on x86-64 (dpkg-deb)")
    given = os.environ.get("XIANGLI_TEST_DEBS_DIR")
    out = Path(given) if given else tmp_path_factory.mktemp("dist")
    if not given:
        # The venvs' third-party packages are cached under build/deb/cache between runs.
        subprocess.run(
            [str(ROOT / "packaging/build-deb.sh"), "--out", str(out)],
            check=True,
            timeout=3600,
            env={k: v for k, v in os.environ.items() if not k.startswith("XIANGLI_")},
        )
    found = {}
    for name, package in PACKAGES.items():
        matches = sorted(out.glob(f"{package}_*_amd64.deb"))
        assert matches, f"no {package} package in {out}"
        found[name] = matches[-1]
    return found


@pytest.fixture(scope="session")
def unpacked(debs: dict[str, Path]) -> Iterator[dict[str, Path]]:
    """Scratch roots as dpkg would lay them out: "kiosk" holds the app and its runtime (the app
    finds the runtime beside it), "hub" the hub. Outside pytest's private temporary folder, so
    that an unprivileged user (the kiosk under cage) can run them, as on a kiosk."""
    top = Path(tempfile.mkdtemp(prefix="xiangli-roots-"))
    top.chmod(0o755)
    roots = {}
    try:
        for name, members in (("kiosk", ("kiosk", "runtime")), ("hub", ("hub",))):
            root = top / name
            root.mkdir(mode=0o755)
            for member in members:
                subprocess.run(["dpkg-deb", "-x", str(debs[member]), str(root)], check=True)
            roots[name] = root
        yield roots
    finally:
        shutil.rmtree(top, ignore_errors=True)
