"""The kiosk lab as part of `./xiangli test` (so CI runs it): the VM's scenarios pass.

The lab runs as `./xiangli lab SCENARIO...` (python -m lab) in the background, started when the
suite's collection ends (tests/lab/conftest.py) so that its image build, boot and installation
overlap the rest of the suite on the machine's second core (lab/suite.py); this test, ordered
last, waits for it and passes only if every scenario it ran passed. The report is printed at the
end of the run.

Which scenarios: XIANGLI_TEST_LAB (a comma list, or "all"), by default lab.suite.SUITE_SCENARIOS.
`-m "not lab"` leaves the lab out (a developer's quick run); a run of some test files does not
collect it.
"""

from __future__ import annotations

import pytest

from lab import SCENARIOS
from lab.suite import SuiteLab, scenarios_from_env, verdict


@pytest.mark.lab
def test_the_lab_scenarios_pass(suite_lab: SuiteLab) -> None:
    rc = suite_lab.wait()
    report = suite_lab.report()
    assert report, f"the lab wrote no report (exit status {rc}); its output:\n{suite_lab.tail()}"
    missing, failed = verdict(report, suite_lab.scenarios)
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


def test_the_suite_runs_the_villagers_scenarios_unless_told() -> None:
    assert scenarios_from_env({}) == ("install", "apply", "paper", "rating")
    assert scenarios_from_env({"XIANGLI_TEST_LAB": "install, watchdog"}) == ("install", "watchdog")
    assert scenarios_from_env({"XIANGLI_TEST_LAB": "all"}) == SCENARIOS and len(SCENARIOS) == 9
    with pytest.raises(ValueError, match="unknown scenario lunch"):
        scenarios_from_env({"XIANGLI_TEST_LAB": "install,lunch"})
