"""Every screen of the villager's kiosk, in every state worth seeing, one after another.

`walk_screens(kiosk)` taps through the real QML (as ui.driving does) and yields a short name at
each state; the layout-rules test checks each one, and `python -m ui.screens OUT` saves each as a
PNG, in landscape and portrait, so `docs/screens/all/` shows every screen as a villager sees it.
What the county would send (a completed case, notices, appointment slots) is applied as pulled
changes. Runs on the GUI thread with the kiosk's synchronous background runner.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from drivers.idcard.simulator import DEMO_CARD
from kiosk.cases import Applicant, Role
from kiosk.casestore import recent_cases
from kiosk.clock import Clock
from kiosk.commands import act_on_case, submit_application
from kiosk.county import apply_changes
from ui.app import KioskApp
from ui.driving import keyboard_shown, settle, tap, tap_field, type_text, wait_until

SIZES = {"landscape": (1920, 1080), "portrait": (1080, 1920)}

_NOTICE = {
    "id": "n1",
    "category": "village",
    "title": "村道硬化工程公示",
    "body": "石门村村道硬化工程概算 32 万元，其中县级补助 20 万元，村集体自筹 12 万元。"
    "公示期 2026年11月20日至11月27日，如有异议请向村务监督委员会反映。",
    "published_at": "2026-11-20T00:00:00Z",
    "expires_at": None,
}
_SLOT = {
    "id": "s1",
    "centre": "溪口镇便民服务中心",
    "service": "不动产登记",
    "date": "2026-11-26",
    "start": "09:00",
    "end": "10:00",
    "capacity": 5,
    "remaining": 3,
}


def _county_completes_the_case(kiosk: KioskApp) -> None:
    [case] = recent_cases(kiosk.store, 1)
    payload = {
        "case_id": case.id,
        "status": "completed",
        "result": "准予",
        "updated_at": "2026-11-23T02:00:00Z",
    }
    apply_changes(
        kiosk.store, [{"kind": "case.status", "record_id": case.id, "payload": payload}], "e:1"
    )


def _county_publishes(kiosk: KioskApp) -> None:
    changes = [
        {"kind": "notice.publish", "payload": _NOTICE},
        {"kind": "appointment.slot", "payload": _SLOT},
    ]
    apply_changes(kiosk.store, changes, "e:2")


def _agent_asks_for_materials(kiosk: KioskApp) -> str:
    """A second application, then the one-time notice of what it lacks (一次性告知): the
    two-page 户口簿 and one more material."""
    item = next(i for i in kiosk.catalog.items if any(len(m.pages) > 1 for m in i.materials))
    case = submit_application(
        kiosk.store,
        item=item,
        catalog_version=kiosk.catalog.version,
        applicant=Applicant(DEMO_CARD.name, DEMO_CARD.id_number),
        terminal=kiosk.terminal,
        calendar=kiosk.calendar,
        clock=kiosk.clock,
    )
    multi = next(m for m in item.materials if len(m.pages) > 1)
    other = next(m for m in reversed(item.materials) if m is not multi)
    act_on_case(
        kiosk.store,
        case.id,
        "request_supplement",
        Role.AGENT,
        kiosk.clock,
        missing=(multi.name, other.name),
    )
    return case.id


def walk_screens(kiosk: KioskApp) -> Iterator[str]:
    w = kiosk.window  # type: ignore[attr-defined]
    category = kiosk.catalog.categories[0]
    item = kiosk.catalog.items_in(category.code)[0]
    yield "home"
    tap(w, "tileGuide")
    yield "categories"
    tap(w, "searchButton")
    wait_until(w, lambda: keyboard_shown(w))  # made the first time a field needs it
    type_text(w, "ylbx")
    yield "search"
    tap(w, "homeButton")
    tap(w, "tileApply")
    yield "apply-start"  # 我要办理's own page: the categories, with the steps to applying
    tap(w, f"category_{category.code}")
    yield "items"
    tap(w, f"item_{item.code}")
    yield "guide"
    tap(w, "applyButton")
    yield "apply-insert-card"
    tap(w, "typeIdButton")
    tap_field(w, "typedName")
    yield "apply-typing-name"
    tap_field(w, "typedId")
    yield "apply-typing-id"
    tap(w, "typedCancel")
    kiosk.window.contentItem().forceActiveFocus()  # type: ignore[attr-defined] - as a tap elsewhere
    wait_until(w, lambda: not keyboard_shown(w))
    kiosk.devices.idcard.garbled = True
    tap(w, "readCardButton")
    yield "apply-card-error"
    kiosk.devices.idcard.garbled = False
    tap(w, "readCardButton")
    yield "apply-card-read"
    # The ID card was read: nothing to photograph for it (capture_0 is not shown).
    tap(w, "capture_1")  # the 户口簿's 首页; its 本人页 is still to take
    yield "apply-material-pages"
    tap(w, "submitButton")
    yield "receipt"
    tap(w, "viewProgressButton")
    yield "progress-found"
    _county_completes_the_case(kiosk)
    settle(w)
    yield "progress-done"  # done and where to collect it, before any rating
    tap(w, "doneRateButton")
    yield "rate"
    tap(w, "level_1")
    yield "rate-reason"
    tap(w, "reason_0")
    tap(w, "reasonNext")
    yield "rate-confirm"
    tap(w, "confirmRating")
    yield "rate-thanks"
    tap(w, "homeButton")
    tap(w, "tileProgress")
    yield "progress-start"
    tap_field(w, "caseNoField")
    yield "progress-typing"
    tap(w, "lookupButton")
    yield "progress-bad-number"
    tap(w, "homeButton")
    case_id = _agent_asks_for_materials(kiosk)
    tap(w, "tileProgress")
    kiosk.supplement.start(case_id)  # 补交材料 on the progress page of a case waiting for them
    yield "supplement-empty"
    for name in ("capture_0", "capture_0_2", "capture_1"):
        tap(w, name)
    yield "supplement-complete"
    tap(w, "submitSupplement")
    yield "supplement-saved"
    tap(w, "homeButton")
    tap(w, "tileNotices")
    yield "notices-empty"
    tap(w, "homeButton")
    tap(w, "tileHelp")
    yield "help"
    tap(w, "homeButton")
    _county_publishes(kiosk)
    settle(w)
    yield "home-with-notice-banner"
    tap(w, "tileNotices")
    yield "notices"
    tap(w, "notice_0")
    yield "notice"
    tap(w, "homeButton")
    tap(w, "tileFeedback")
    yield "feedback"
    tap_field(w, "feedbackText")
    yield "feedback-typing"
    tap(w, "anonymousToggle")
    yield "feedback-with-phone"
    tap_field(w, "feedbackPhone")
    yield "feedback-typing-phone"
    tap(w, "homeButton")
    tap(w, "tileAppointments")
    yield "appointments"
    tap(w, "slot_0")
    yield "appointment-form"
    for field in ("appointmentName", "appointmentId", "appointmentPhone"):
        tap_field(w, field)
        yield f"appointment-typing-{field.removeprefix('appointment').lower()}"
    tap(w, "readCardForAppointment")
    tap_field(w, "appointmentPhone")
    type_text(w, "13800138000")
    tap(w, "submitAppointment")
    yield "appointment-done"  # its number, when and where; the 预约单 printed
    number = kiosk.appointments.booked["number"]
    tap(w, "homeButton")
    tap(w, "tileProgress")
    tap_field(w, "caseNoField")
    type_text(w, number)
    tap(w, "lookupButton")
    yield "appointment-found"  # typed (or scanned from the 预约单) on the progress page
    tap(w, "homeButton")
    tap(w, "tileRate")
    yield "rate-find"  # 服务评价's own page: which case to rate
    tap(w, "homeButton")
    yield from _where_cases_are(kiosk)
    yield from _agent_reprints(kiosk)
    for _ in range(kiosk.session.idle_s + 1):
        kiosk.session.tick()
    yield "idle-countdown"


_OTHER_VILLAGE_CASE = {  # what the county answers about a case filed at another kiosk
    "case_no": "261120K007001220",
    "item_name": "临时救助申请",
    "kind": "joint",
    "status": "processing",
    "status_label": "办理中",
    "department": "溪口镇社会事务办（民政）",
    "level": "town",
    "where": "在溪口镇社会事务办（民政）办理中",
    "pickup_place": "下坪村便民服务站",
    "parts": [
        {
            "department": "溪口镇社会事务办（民政）",
            "status": "pending",
            "due_date": "2026-12-04",
            "lead": True,
        },
        {
            "department": "青山县民政局",
            "status": "done",
            "due_date": "2026-12-01",
            "done_at": "2026-11-24T02:00:00Z",
        },
    ],
    "missing": [],
    "promised_date": "2026-12-04",
    "submitted_at": "2026-11-20T01:00:00Z",
    "updated_at": "2026-11-24T02:00:00Z",
    "applicant_name": "李*华",
    "history": [
        {
            "action": "submit",
            "label": "提交申请",
            "to_status": "submitted",
            "at": "2026-11-20T01:00:00Z",
        },
        {
            "action": "accept",
            "label": "受理",
            "to_status": "accepted",
            "at": "2026-11-20T06:00:00Z",
        },
        {
            "action": "process",
            "label": "办理",
            "to_status": "processing",
            "at": "2026-11-21T01:00:00Z",
        },
    ],
}


def _file_and_route(kiosk: KioskApp, kind: str, status: dict[str, object]) -> str:
    """A case filed here, then what the county says about it (a pulled case.status)."""
    from kiosk.cases import Applicant
    from kiosk.commands import submit_application

    item = next(i for i in kiosk.catalog.items if i.kind == "promised" and i.materials)
    case = submit_application(
        kiosk.store,
        item=item,
        catalog_version=kiosk.catalog.version,
        applicant=Applicant(DEMO_CARD.name, DEMO_CARD.id_number),
        terminal=kiosk.terminal,
        calendar=kiosk.calendar,
        clock=kiosk.clock,
        kind=kind,
        departments=("青山县民政局",) if kind == "joint" else (),
    )
    payload = {"case_id": case.id, "reason": "", "result": "", **status}
    apply_changes(kiosk.store, [{"kind": "case.status", "payload": payload}], f"e:{case.id}")
    return case.id


def _where_cases_are(kiosk: KioskApp) -> Iterator[str]:
    """Progress pages of issue 14: a 联办件's parts, a case waiting for materials, a case of
    another village (the county's answer), and the same question offline."""
    w = kiosk.window  # type: ignore[attr-defined]
    joint = _file_and_route(
        kiosk,
        "joint",
        {
            "status": "accepted",
            "updated_at": "2026-11-23T02:00:00Z",
            "department": "溪口镇社会保障服务所",
            "level": "town",
            "parts": [
                {
                    "department": "溪口镇社会保障服务所",
                    "status": "pending",
                    "due_date": "2026-12-04",
                    "lead": True,
                },
                {"department": "青山县民政局", "status": "done", "due_date": "2026-12-01"},
            ],
            "departments_done": ["青山县民政局"],
            "promised_date": "2026-12-07",
        },
    )
    kiosk.progress.openCase(joint)
    kiosk.nav.go("progress")
    yield "progress-joint-parts"
    tap(w, "homeButton")
    waiting = _file_and_route(
        kiosk,
        "promised",
        {
            "status": "supplement_requested",
            "updated_at": "2026-11-23T03:00:00Z",
            "missing": ["户口簿（首页和本人页）", "近期一寸免冠照片"],
        },
    )
    kiosk.progress.openCase(waiting)
    kiosk.nav.go("progress")
    yield "progress-waiting-for-materials"
    tap(w, "homeButton")
    tap(w, "tileProgress")
    asks_the_county = kiosk.progress.remote_lookup
    kiosk.progress.remote_lookup = lambda case_no, last4: dict(_OTHER_VILLAGE_CASE)
    kiosk.progress.lookupNumber("261120-K007-0012-20", "024X")
    yield "progress-other-village"
    kiosk.progress.remote_lookup = asks_the_county  # no county configured here: offline
    tap(w, "homeButton")
    tap(w, "tileProgress")
    kiosk.progress.lookupNumber("261120-K007-0012-20", "024X")
    yield "progress-offline-lookup"
    tap(w, "homeButton")
    kiosk.agent_case = joint  # type: ignore[attr-defined] - the agent reprints its slips next


def _agent_reprints(kiosk: KioskApp) -> Iterator[str]:
    """The agent's case page with its 补打 menu (the demo agent, signed in with card and PIN)."""
    from kiosk.accounts import DEMO_AGENT_PIN, seed_demo_accounts
    from ui.admin.demo import AGENT_DEMO_CARD

    w = kiosk.window  # type: ignore[attr-defined]
    seed_demo_accounts(kiosk.store, AGENT_DEMO_CARD.id_number, kiosk.clock)
    kiosk.nav.enterStaffMode()
    # Signed in through the model: the sign-in page is drawn for landscape only (docs/ADMIN.md).
    staff = kiosk.extra_models["staffModel"]
    staff.setMode("agent")  # type: ignore[attr-defined]
    kiosk.devices.idcard.card = AGENT_DEMO_CARD
    staff.readCard()  # type: ignore[attr-defined]
    kiosk.devices.idcard.card = DEMO_CARD
    for digit in DEMO_AGENT_PIN:
        staff.pressDigit(digit)  # type: ignore[attr-defined]
    staff.submit()  # type: ignore[attr-defined]
    kiosk.extra_models["agentModel"].openCase(kiosk.agent_case)  # type: ignore[attr-defined]
    tap(w, "openReprints")
    yield "agent-reprint-menu"
    tap(w, "staffExit")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m ui.screens", description=__doc__)
    p.add_argument("out", type=Path, nargs="?", default=Path("docs/screens/all"))
    args = p.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    from ui.app import KioskConfig, prepare_qt_environment
    from ui.driving import screenshot

    prepare_qt_environment()
    app = QGuiApplication(sys.argv[:1])  # noqa: F841 - must exist while the kiosk runs
    count = 0
    for orientation, size in SIZES.items():
        with tempfile.TemporaryDirectory() as tmp:
            kiosk = KioskApp(
                KioskConfig(data_dir=Path(tmp)),
                synchronous=True,
                clock=Clock(datetime(2026, 11, 23, 1, 30, tzinfo=UTC)),  # Monday 09:30 in China
            )
            window = kiosk.load_ui()
            window.resize(*size)
            window.show()
            kiosk.start()
            kiosk.window = window  # type: ignore[attr-defined]
            for i, name in enumerate(walk_screens(kiosk), 1):
                screenshot(window, args.out / orientation / f"{i:02d}-{name}.png")
                count += 1
            kiosk.stop()
    print(f"{count} screens written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
