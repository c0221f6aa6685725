"""Settings for the whole suite.

Hypothesis's per-example deadline is a timed assertion in disguise: on a shared 2-core machine
an example that takes 300 ms is load, not a bug. Property tests here check behaviour only.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

settings.register_profile(
    "xiangli",
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("xiangli")
