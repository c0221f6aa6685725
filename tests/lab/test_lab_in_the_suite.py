"""The kiosk lab as part of `./xiangli test` (so CI runs it): the VM's scenarios pass.

The lab runs as `./xiangli lab SCENARIO...` (python -m lab) in the background, started when the
suite's collection ends (tests/lab/conftest.py) so that its image build, boot and installation
overlap the rest of the suite on the machine's second core (lab/suite.py); this test, ordered
last, waits for it and passes only if every scenario it ran passed. The report is printed at the
end of the run.

Which scenarios: by default the villager's four (lab.suite.SUITE_SCENARIOS), which must pass, then
the other five, each started only while the suite's time budget allows (lab.suite.over_budget)
and then required to pass; XIANGLI_TEST_LAB (a comma list, or "all") names scenarios that must
all pass, whatever the time.
`-m "not lab"` leaves the lab out (a developer's quick run); a run of some test files does not
collect it.
"""

from __future__ import annotations

import pytest

from lab import SCENARIOS
from lab.suite import (
    BUDGET_WORDS,
    REFERENCE_S,
    SuiteLab,
    over_budget,
    scenarios_from_env,
    verdict,
)


@pytest.mark.lab
def test_the_lab_scenarios_pass(suite_lab: SuiteLab) -> None:
    rc = suite_lab.wait()
    report = suite_lab.report()
    assert report, f"the lab wrote no report (exit status {rc}); its output:\n{suite_lab.tail()}"
    missing, failed = verdict(report, suite_lab.scenarios, suite_lab.optional)
    assert not missing and not failed and rc == 0, (
        f"the lab (exit status {rc}, {suite_lab.out}/report.txt):\n{report}\n"
        f"not run: {missing}\n{suite_lab.progress()}"
    )


def test_the_verdict_reads_the_report() -> None:
    report = (
        "PASS install: dpkg_s=40, took_s=200\n"
        "FAIL apply: took_s=90 | waited 90 s for 'readCardButton'\n"
        "SKIP rating: took_s=0 | needs the case of the apply scenario\n"
        "run: total_s=700, image_s=0\n"
    )
    missing, failed = verdict(report, ("install", "apply", "paper", "rating"))
    assert missing == ["paper"]
    assert [line.split()[1] for line in failed] == ["apply:", "rating:"]
    assert verdict("PASS install: took_s=1\nrun: total_s=9\n", ("install",)) == ([], [])


def test_the_suite_runs_the_villagers_scenarios_then_the_rest_as_time_allows() -> None:
    rest = ("camera", "watchdog", "powercut", "update", "backup")
    assert scenarios_from_env({}) == (("install", "apply", "paper", "rating"), rest)
    # Named ones must all pass, whatever the time.
    assert scenarios_from_env({"XIANGLI_TEST_LAB": "install, watchdog"}) == (
        ("install", "watchdog"),
        (),
    )
    assert scenarios_from_env({"XIANGLI_TEST_LAB": "all"}) == (SCENARIOS, ())
    assert len(SCENARIOS) == 9
    with pytest.raises(ValueError, match="unknown scenario lunch"):
        scenarios_from_env({"XIANGLI_TEST_LAB": "install,lunch"})


def test_an_optional_scenario_starts_only_if_it_is_expected_to_end_within_the_budget() -> None:
    ref = REFERENCE_S
    # As fast as the reference run: update fits with its margin, and not a minute later.
    took = {n: ref[n] for n in ("install", "apply", "paper", "rating")}
    assert over_budget("update", 600, 600 + ref["update"] * 1.3, took) is None
    assert over_budget("update", 660, 600 + ref["update"] * 1.3, took) is not None
    # A run three times slower than the reference (the suite beside it, a slower machine):
    # the estimate is three times longer.
    slow = {
        **took,
        "apply": ref["apply"] * 3,
        "paper": ref["paper"] * 3,
        "rating": ref["rating"] * 3,
    }
    why = over_budget("camera", 600, 600 + ref["camera"] * 2, slow)
    assert why is not None and BUDGET_WORDS in why and "x3.0" in why
    assert over_budget("camera", 600, 600 + ref["camera"] * 3 * 1.3 + 1, slow) is None
    # A faster run is not trusted to be faster than the reference.
    fast = {n: 1 for n in took}
    assert over_budget("update", 600, 600 + ref["update"], fast) is not None


def test_a_budget_skip_counts_only_for_an_optional_scenario() -> None:
    report = (
        "PASS install: took_s=40\n"
        "PASS apply: took_s=60\n"
        f"SKIP update: | Skipped: {BUDGET_WORDS} (35 min ...)\n"
        "SKIP camera: | Skipped: needs the case of the apply scenario\n"
        "run: total_s=700\n"
    )
    missing, failed = verdict(report, ("install", "apply"), ("update", "camera", "backup"))
    assert missing == ["backup"]
    assert [line.split()[1] for line in failed] == ["camera:"]  # skipped, not for time
    # A required scenario skipped for time is not a pass.
    _, failed = verdict(report, ("install", "apply", "update"), ("camera",))
    assert [line.split()[1] for line in failed] == ["update:", "camera:"]
