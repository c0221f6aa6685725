"""Builds the Debian packages once per test session (packaging/build-deb.sh) for the tests here."""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "packaging: builds and inspects the .deb packages (slow: about a minute)"
    )


@pytest.fixture(scope="session")
def debs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """{"kiosk": path, "hub": path}: built in this session, or given by XIANGLI_TEST_DEBS_DIR."""
    if platform.machine() != "x86_64" or not shutil.which("dpkg-deb"):
        pytest.skip("needs Debian on x86-64 (dpkg-deb)")
    given = os.environ.get("XIANGLI_TEST_DEBS_DIR")
    out = Path(given) if given else tmp_path_factory.mktemp("dist")
    if not given:
        # The venvs' third-party packages are cached under build/deb/cache between runs.
        subprocess.run(
            [str(ROOT / "packaging/build-deb.sh"), "--out", str(out)],
            check=True,
            timeout=1800,
            env={k: v for k, v in os.environ.items() if not k.startswith("XIANGLI_")},
        )
    found = {}
    for name in ("kiosk", "hub"):
        matches = sorted(out.glob(f"xiangli-{name}_*_amd64.deb"))
        assert matches, f"no xiangli-{name} package in {out}"
        found[name] = matches[-1]
    return found


@pytest.fixture(scope="session")
def unpacked(debs: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each package unpacked (dpkg-deb -x) into its own scratch root."""
    roots = {}
    for name, deb in debs.items():
        root = tmp_path_factory.mktemp(f"root-{name}")
        subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
        roots[name] = root
    return roots
