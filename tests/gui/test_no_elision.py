"""Nothing cut off for a seventy-year-old (issue 18): in portrait 大字 the long item names, the
page's title, an appointment's time and a case's number wrap instead of ending in "…"; the rules
(tests/gui/rules.py) fail any elided text; the staff's PIN pad is whole on the screen in both
orientations and 大字; the status badge breaks between its phrases, never inside one.

Set XIANGLI_GRABS=DIR to keep a PNG of each screen checked here."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtQml import QQmlComponent, QQmlEngine
from PySide6.QtQuick import QQuickItem

from drivers.idcard.simulator import DEMO_CARD
from kiosk.cases import Applicant
from kiosk.casestore import recent_cases
from kiosk.commands import submit_application
from tests.gui.rules import _visible_rect, check_screen
from ui.admin.demo import AGENT_DEMO_CARD
from ui.app import KioskApp
from ui.driving import find, screenshot, settle, tap, walk
from ui.screens import SIZES, _county_completes_the_case, _county_publishes

COMBOS = [(o, large) for o in sorted(SIZES) for large in (False, True)]
IDS = [f"{o}-{'large' if large else 'normal'}" for o, large in COMBOS]


def _show(kiosk: KioskApp, orientation: str, large: bool) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    w.resize(*SIZES[orientation])
    if large:
        tap(w, "largeTextToggle")
    settle(w)


def _grab(kiosk: KioskApp, name: str) -> None:
    out = os.environ.get("XIANGLI_GRABS")
    if out:
        screenshot(kiosk.window, Path(out) / f"{name}.png")  # type: ignore[attr-defined]


def _texts(kiosk: KioskApp, words: str) -> list[QQuickItem]:
    w = kiosk.window  # type: ignore[attr-defined]
    return [
        i
        for i in walk(w.contentItem())
        if i.inherits("QQuickText") and i.isVisible() and words in str(i.property("text") or "")
    ]


def _elided(kiosk: KioskApp, label: str) -> list[str]:
    w = kiosk.window  # type: ignore[attr-defined]
    return [str(p) for p in check_screen(w, label) if p.rule == "text elided"]


def _whole(kiosk: KioskApp, words: str) -> None:
    """`words` is on the screen, whole (not truncated) and inside its own box."""
    found = _texts(kiosk, words)
    assert found, f"{words} is not on the screen"
    w = kiosk.window  # type: ignore[attr-defined]
    screen = QRectF(0, 0, w.width(), w.height())
    for item in found:
        assert not item.property("truncated"), f"{words} is cut short"
        # Not clipped either: all of it drawn where the page shows it, on the screen.
        drawn = item.mapRectToScene(item.boundingRect()).adjusted(1, 1, -1, -1)
        assert _visible_rect(item).contains(drawn), f"{words} runs out of its page at {drawn}"
        assert screen.contains(drawn), f"{words} runs off the screen at {drawn}"


_ALIVE: list[QQmlComponent] = []


def test_the_rules_fail_an_elided_text_and_pass_a_wrapped_one(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    tap(w, "tileHelp")
    long = "城乡居民基本养老保险缴费档次变更"

    def plant(props: str) -> list[str]:
        component = QQmlComponent(kiosk.engine)
        component.setData(
            (
                "import QtQuick\nRectangle { x: 100; y: 580; width: 700; height: 300; "
                f'color: "white"; Text {{ x: 40; y: 40; width: 400; font.pixelSize: 40; '
                f'text: "{long}"; {props} }} }}'
            ).encode(),
            kiosk.engine.baseUrl(),
        )
        planted = component.create()
        assert planted is not None, component.errorString()
        QQmlEngine.setObjectOwnership(planted, QQmlEngine.ObjectOwnership.CppOwnership)
        planted.setParentItem(w.contentItem())
        _ALIVE.append(component)
        try:
            return [p for p in _elided(kiosk, "planted") if long[:10] in p]
        finally:
            planted.setParentItem(None)
            planted.deleteLater()
            settle(w)

    assert plant("elide: Text.ElideRight"), "an elided name went unnoticed"
    assert plant("elide: Text.ElideMiddle; wrapMode: Text.Wrap; maximumLineCount: 1")
    assert not plant("wrapMode: Text.Wrap")
    assert not plant("elide: Text.ElideRight; wrapMode: Text.Wrap")  # room to wrap: all shown


@pytest.mark.parametrize(("orientation", "large"), COMBOS, ids=IDS)
def test_long_names_titles_and_times_wrap_instead_of_eliding(
    kiosk: KioskApp, orientation: str, large: bool
) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    _show(kiosk, orientation, large)
    tag = f"{orientation}-{'large' if large else 'normal'}"
    item = next(i for i in kiosk.catalog.items if i.name == "城乡居民基本养老保险缴费档次变更")
    tap(w, "tileGuide")
    tap(w, f"category_{item.category}")
    _whole(kiosk, "城乡居民基本养老保险缴费档次变更")
    assert not _elided(kiosk, f"[{tag}] items")
    _grab(kiosk, f"items-{tag}")
    tap(w, "homeButton")
    first = kiosk.catalog.items_in(kiosk.catalog.categories[0].code)[0]
    tap(w, "tileApply")
    tap(w, f"category_{first.category}")
    tap(w, f"item_{first.code}")
    tap(w, "applyButton")
    _whole(kiosk, "办理：" + first.name)
    assert not _elided(kiosk, f"[{tag}] apply")
    _grab(kiosk, f"apply-{tag}")
    tap(w, "homeButton")
    _county_publishes(kiosk)
    tap(w, "tileAppointments")
    when = kiosk.appointments.slots[0]["when"]  # type: ignore[attr-defined]
    _whole(kiosk, when)
    assert not _elided(kiosk, f"[{tag}] appointments")
    _grab(kiosk, f"appointments-{tag}")


@pytest.mark.parametrize(("orientation", "large"), COMBOS, ids=IDS)
def test_the_staff_pin_pad_is_whole_on_the_screen(
    kiosk: KioskApp, orientation: str, large: bool
) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    _show(kiosk, orientation, large)
    tag = f"{orientation}-{'large' if large else 'normal'}"
    # The lab's and the demo's kiosk: 模拟换卡 and whose card is on the reader, under the PIN.
    kiosk.extra_models["simCardModel"].offer(  # type: ignore[attr-defined]
        [("村民 王秀英", DEMO_CARD), ("代办员 " + AGENT_DEMO_CARD.name, AGENT_DEMO_CARD)]
    )
    kiosk.devices.idcard.card = DEMO_CARD
    kiosk.nav.enterStaffMode()
    assert find(w, "simCardSwap").isVisible()
    screen = QRectF(0, 0, w.width(), w.height())
    names = [f"key{k}" for k in "0123456789"] + ["keyclear", "keyback", "signInButton"]
    for mode in ("modeAgent", "modeTechnician"):
        tap(w, mode)
        for wrong in (False, True):
            if wrong:  # a wrong PIN: the message in words above the pad's last row
                for d in "9999":
                    tap(w, f"key{d}")
                tap(w, "signInButton")
                assert find(w, "signInMessage").property("text")
            for name in names:
                item = find(w, name)
                rect = item.mapRectToScene(QRectF(0, 0, item.width(), item.height()))
                assert screen.contains(rect), f"[{tag}] {mode} {name} at {rect} is off the screen"
            _grab(kiosk, f"signin-{mode}{'-wrong' if wrong else ''}-{tag}")
            problems = check_screen(w, f"[{tag}] sign-in {mode}")
            assert not problems, "\n".join(map(str, problems))
    tap(w, "keyclear")
    for d in "1234":
        tap(w, f"key{d}")  # every key can be tapped where it is drawn
    assert kiosk.extra_models["staffModel"].pinLength == 4  # type: ignore[attr-defined]


@pytest.mark.parametrize(("orientation", "large"), COMBOS, ids=IDS)
def test_the_status_badge_breaks_between_its_phrases(
    kiosk: KioskApp, orientation: str, large: bool
) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    _show(kiosk, orientation, large)
    tag = f"{orientation}-{'large' if large else 'normal'}"
    assert not kiosk.status.online
    badge = find(w, "syncText")
    shown = str(badge.property("text"))
    lines = shown.split("\n")
    # Each line as written is one line as drawn: no phrase is broken inside (照 / 常能办事).
    assert badge.property("lineCount") == len(lines), f"[{tag}] {shown!r} wraps inside a phrase"
    assert " · ".join(line.strip() for line in lines).endswith(kiosk.status.syncText)
    if orientation == "portrait" and large:
        assert lines == ["○ 没网", "照常能办事"], lines  # too narrow for one line here
    problems = check_screen(w, f"[{tag}] home")
    assert not problems, "\n".join(map(str, problems))
    _grab(kiosk, f"home-{tag}")


@pytest.mark.parametrize(("orientation", "large"), COMBOS, ids=IDS)
def test_the_case_number_on_the_rating_page_is_whole(
    kiosk: KioskApp, orientation: str, large: bool
) -> None:
    """The longest item's name with its case number (办件 261123-K001-0003-35) wraps on the rating
    page, inside its box and the screen, never cut."""
    w = kiosk.window  # type: ignore[attr-defined]
    _show(kiosk, orientation, large)
    tag = f"{orientation}-{'large' if large else 'normal'}"
    item = max((i for i in kiosk.catalog.items if i.materials), key=lambda i: len(i.name))
    submit_application(
        kiosk.store,
        item=item,
        catalog_version=kiosk.catalog.version,
        applicant=Applicant("王秀英", "11010519491231002X"),
        terminal=kiosk.terminal,
        calendar=kiosk.calendar,
        clock=kiosk.clock,
    )
    _county_completes_the_case(kiosk)
    [case] = recent_cases(kiosk.store, 1)
    kiosk.progress.openCase(case.id)
    kiosk.nav.go("rate")
    settle(w)
    number = str(kiosk.progress.property("caseNo"))
    assert number
    _whole(kiosk, number)
    problems = [
        p for p in check_screen(w, f"[{tag}] rate") if number[:6] in str(p) or "elided" in p.rule
    ]
    _grab(kiosk, f"rate-{tag}")
    assert not problems, "\n".join(map(str, problems))
