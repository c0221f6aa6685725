"""The kiosk lab's scenarios (docs/LAB.md): one VM for the whole session, prepared once.

The scenarios run only when XIANGLI_LAB_SCENARIOS names them ("all", or a comma list such as
"install,apply"); `./xiangli lab` sets it. Otherwise they are deselected, so a plain `pytest`
does not boot a VM. Each scenario is marked `lab` (deselect them all with -m "not lab").
The report (one line per scenario) and the screenshots go to XIANGLI_LAB_OUT.

In the whole suite (`./xiangli test`), test_lab_in_the_suite.py's lab test starts the lab in the
background once collection ends and waits for it last (lab/suite.py).
"""

from __future__ import annotations

import os
import time
from datetime import datetime
from pathlib import Path

import pytest

from lab import CACHE, SCENARIOS

OUT = Path(
    os.environ.get("XIANGLI_LAB_OUT")
    or CACHE / "reports" / datetime.now().strftime("%Y%m%d-%H%M%S")
)


def _wanted() -> set[str]:
    raw = os.environ.get("XIANGLI_LAB_SCENARIOS", "").strip()
    if raw == "all":
        return set(SCENARIOS)
    return {s.strip() for s in raw.split(",") if s.strip()}


def scenario_of(item: pytest.Item) -> str | None:
    marker = item.get_closest_marker("lab")
    return marker.args[0] if marker and marker.args else None


SUITE_TEST = "test_the_lab_scenarios_pass"


def _is_suite_lab(item: pytest.Item) -> bool:
    return item.name == SUITE_TEST and item.get_closest_marker("lab") is not None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    wanted = _wanted()
    keep, drop = [], []
    for item in items:
        name = scenario_of(item)
        if _is_suite_lab(item):
            # Inside a lab run it would start another; in the suite it waits for the lab, last.
            (drop if wanted else keep).append(item)
        elif name is None or name in wanted:
            keep.append(item)
        else:
            drop.append(item)
    keep.sort(key=_is_suite_lab)  # stable: the lab's wait goes last, the rest keeps its order
    if drop:
        config.hook.pytest_deselected(items=drop)
    items[:] = keep


_SUITE_LAB: list = []


def pytest_collection_finish(session: pytest.Session) -> None:
    """The suite's lab starts now, if its test is still selected (not `-m "not lab"`)."""
    if session.config.option.collectonly or not any(_is_suite_lab(i) for i in session.items):
        return
    if os.geteuid() != 0:
        return  # the lab builds its image as root (mmdebstrap --mode=root): its test skips
    from lab.suite import BUDGET_S, SuiteLab, scenarios_from_env

    required, optional = scenarios_from_env()
    budget_s = float(os.environ.get("XIANGLI_TEST_LAB_BUDGET_S") or BUDGET_S)
    suite_lab = SuiteLab(required, optional=optional, budget_s=budget_s)
    suite_lab.start()
    _SUITE_LAB.append(suite_lab)
    session.config.get_terminal_writer().line(
        f"the kiosk lab runs beside the suite: {', '.join(suite_lab.scenarios)}"
        + (
            f", then {', '.join(optional)} as time allows ({budget_s / 60:.0f} min)"
            if optional
            else ""
        )
        + "; "
        f"report in {suite_lab.out}"
    )


@pytest.fixture(scope="session")
def suite_lab():  # type: ignore[no-untyped-def]
    if not _SUITE_LAB and os.geteuid() != 0:
        pytest.skip("the kiosk lab needs root: run ./xiangli test as root or through sudo")
    if not _SUITE_LAB:
        pytest.fail("the lab was not started at the end of collection")
    return _SUITE_LAB[0]


def pytest_terminal_summary(terminalreporter) -> None:  # type: ignore[no-untyped-def]
    for suite_lab in _SUITE_LAB:
        report = suite_lab.report()
        terminalreporter.section("the kiosk lab")
        terminalreporter.write(report or f"no report; the lab's output:\n{suite_lab.tail()}\n")


def pytest_unconfigure(config: pytest.Config) -> None:
    for suite_lab in _SUITE_LAB:
        suite_lab.stop()  # an interrupted or failed-fast run leaves no VM behind


_RESULTS: dict[str, dict] = {}
_LAB: list = []
_T0 = time.monotonic()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):  # type: ignore[no-untyped-def]
    report = yield
    name = scenario_of(item)
    if name is not None and (report.when == "call" or report.failed or report.skipped):
        entry = _RESULTS.setdefault(name, {"outcome": "passed", "why": ""})
        if report.failed:
            entry["outcome"] = "failed"
            entry["why"] = str(call.excinfo.value).splitlines()[0][:300] if call.excinfo else ""
            # As it happens, for whoever watches a long run (the report comes at the end).
            OUT.mkdir(parents=True, exist_ok=True)
            with open(OUT / "progress.log", "a", encoding="utf-8") as log:
                log.write(f"{name} {report.when}: {report.longreprtext[-3000:]}\n\n")
        elif report.skipped and entry["outcome"] == "passed":
            entry["outcome"] = "skipped"
            entry["why"] = (
                str(report.longrepr[-1])[:200] if isinstance(report.longrepr, tuple) else ""
            )
    return report


def pytest_sessionfinish(session: pytest.Session) -> None:
    if not _RESULTS:
        return
    from lab.report import write_report

    lab = _LAB[0] if _LAB else None
    path = write_report(OUT, _RESULTS, lab.figures if lab else {}, time.monotonic() - _T0)
    print(f"\nlab report: {path}")


@pytest.fixture(scope="session")
def lab():  # type: ignore[no-untyped-def]
    """The VM with the fresh kiosk .debs installed and the kiosk started (kiosk mode)."""
    from lab.session import Lab

    the_lab = Lab(OUT)
    _LAB.append(the_lab)
    the_lab.figures["scenarios"] = {}
    try:
        t0 = time.monotonic()
        the_lab.prepare()
        the_lab.figures["prepare_s"] = round(time.monotonic() - t0)
        try:
            the_lab.install()
            the_lab.start_kiosk()
        except Exception as e:  # scenario 1 reports it; the others cannot run
            the_lab.figures["install_error"] = f"{type(e).__name__}: {e}"[:500]
        yield the_lab
    finally:
        the_lab.close()


@pytest.fixture()
def fig(request: pytest.FixtureRequest, lab):  # type: ignore[no-untyped-def]
    """This scenario's figures in the report; its duration is added at the end."""
    name = scenario_of(request.node) or request.node.name
    figures: dict = lab.figures["scenarios"].setdefault(name, {})
    if name != "install" and "install_error" in lab.figures:
        pytest.fail(f"the kiosk is not installed and running: {lab.figures['install_error']}")
    optional = os.environ.get("XIANGLI_LAB_OPTIONAL", "").split(",")
    if name in optional:  # the suite's lab: this one only while the suite's time allows
        from lab.suite import BUDGET_S, over_budget

        took = {n: f["took_s"] for n, f in lab.figures["scenarios"].items() if "took_s" in f}
        budget_s = float(os.environ.get("XIANGLI_LAB_BUDGET_S") or BUDGET_S)
        reason = over_budget(name, time.monotonic() - _T0, budget_s, took)
        if reason:
            pytest.skip(reason)
    t0 = time.monotonic()
    yield figures
    figures["took_s"] = round(time.monotonic() - t0)
