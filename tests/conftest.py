"""Settings for the whole suite.

Hypothesis's per-example deadline is a timed assertion in disguise: on a shared 2-core machine
an example that takes 300 ms is load, not a bug. Property tests here check behaviour only.

A kiosk made in the test process seals its data folder with `umask 077`, as the real kiosk
process does at start (kiosk.datafolder); that is the process's setting, so every test gets the
umask the suite started with back (packages built after a GUI test would otherwise carry 0700
control folders, which dpkg-deb refuses).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "xiangli",
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("xiangli")

_SUITE_UMASK = os.umask(0o022)
os.umask(_SUITE_UMASK)


@pytest.fixture(autouse=True)
def _suite_umask() -> Iterator[None]:
    os.umask(_SUITE_UMASK)
    yield
    os.umask(_SUITE_UMASK)
