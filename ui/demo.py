"""`./xiangli demo`: the kiosk with simulated devices, the demo catalog and a local county hub.

With a display it opens the kiosk (full screen, or `--windowed`). Without one it runs on a
virtual screen (Xvfb, or Qt's offscreen platform if Xvfb is missing) through a scripted tour of
a villager's day, and writes a screenshot of every screen and every printed slip (PNG and raw
ESC/POS) to the folder it names at the end.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

log = logging.getLogger("xiangli.demo")

ROOT = Path(__file__).resolve().parent.parent
# The villager's mobile number in the tour (shown masked after entry: 139****1234).
DEMO_MOBILE = "13905931234"


def _has_display() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _reexec_on_virtual_screen() -> None:
    """Without a display, run this same command again under Xvfb (a real X server in memory)."""
    xvfb = shutil.which("xvfb-run")
    if xvfb and not os.environ.get("XIANGLI_UNDER_XVFB"):
        os.environ["XIANGLI_UNDER_XVFB"] = "1"
        args = [
            xvfb,
            "-a",
            "-s",
            "-screen 0 1920x1080x24",
            sys.executable,
            "-m",
            "ui.demo",
            *sys.argv[1:],
            "--tour",
        ]
        os.execv(xvfb, args)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="./xiangli demo", description=__doc__)
    p.add_argument("--windowed", action="store_true", help="a 1920×1080 window, not full screen")
    p.add_argument("--tour", action="store_true", help="run the scripted tour and exit")
    p.add_argument("--out", type=Path, default=None, help="where screenshots and slips go")
    return p.parse_args(argv)


class Tour:
    """Taps through the kiosk like a villager, with real threads, a real hub and real waits."""

    def __init__(self, kiosk, window, hub, out: Path) -> None:
        from PySide6.QtCore import QCoreApplication

        self.kiosk, self.window, self.hub, self.out = kiosk, window, hub, out
        self.shots: list[Path] = []
        self._process = QCoreApplication.processEvents

    def wait(self, what: str, cond: Callable[[], bool], timeout_s: float = 60.0) -> None:
        deadline = time.monotonic() + timeout_s
        while not cond():
            if time.monotonic() > deadline:
                raise TimeoutError(f"demo tour: waited {timeout_s:.0f} s for {what}")
            self._process()
            time.sleep(0.03)
        self._process()

    def shot(self, name: str) -> None:
        from ui.driving import screenshot

        # Let the screen finish drawing what just changed.
        end = time.monotonic() + 0.3
        while time.monotonic() < end:
            self._process()
            time.sleep(0.02)
        path = screenshot(
            self.window, self.out / "screens" / f"{len(self.shots) + 1:02d}-{name}.png"
        )
        self.shots.append(path)
        print(f"   screen  {path.relative_to(self.out)}")

    def tap(self, name: str) -> None:
        from ui.driving import tap

        self.wait(f"{name} on screen", lambda: _exists(self.window, name), 20)
        tap(self.window, name)

    def apply_once(self, category: str, item_code: str, shots: bool) -> None:
        k = self.kiosk
        self.tap("tileApply")
        if shots:
            self.shot("apply-start")  # 我要办理's own page: the categories and the steps
        self.tap(f"category_{category}")
        if shots:
            self.shot("items")
        self.tap(f"item_{item_code}")
        if shots:
            self.shot("guide")
        self.tap("applyButton")
        if shots:
            self.shot("apply-insert-card")
        self.tap("readCardButton")
        self.wait("the ID card to be read", lambda: k.apply.hasApplicant)
        if shots:
            self.shot("apply-card-read")
            # An optional mobile number on the big number pad, and the villager's yes to texts
            # about the case (短信提醒; the county's hub sends them).
            from ui.driving import exists

            self.tap("applyPhone")
            self.wait("the number pad", lambda: exists(self.window, "padKey1"))
            for key in DEMO_MOBILE:
                self.tap(f"padKey{key}")
            self.wait("the question about texts", lambda: exists(self.window, "smsConsentToggle"))
            self.tap("smsConsentToggle")
            self.shot("apply-sms-consent")
        # Each page of each material goes under the document camera instead of a photocopier.
        self.photograph_pages(k.apply, required_only=True)
        if shots:
            self.shot("apply-materials-photographed")
        self.tap("submitButton")
        self.wait("the case to be saved", lambda: k.nav.page == "receipt")
        self.wait(
            "the receipt to print",
            lambda: bool(k.apply.printMessage) and "正在" not in k.apply.printMessage,
        )
        if shots:
            self.shot("receipt-printed")

    def photograph_pages(self, model, required_only: bool) -> None:
        """Tap 拍照 for every page of every material `model` (apply or supplement) lists."""
        for row in list(model.materials):
            if required_only and not row["required"]:
                continue
            for page in row["pages"]:
                i, p = row["index"], page["page"]
                self.tap(f"capture_{i}" if p == 1 else f"capture_{i}_{p}")
                self.wait(
                    "the photo",
                    lambda i=i, p=p: (
                        model.materials[i]["pages"][p - 1]["captured"] or bool(model.error)
                    ),
                )
                if model.error:
                    raise RuntimeError(f"demo tour: the document camera failed: {model.error}")

    def case_status(self, case_no: str) -> str:
        from kiosk.casestore import get_case_by_no

        case = get_case_by_no(self.kiosk.store, case_no)
        return case.status.value if case else ""

    def scan_receipt(self, receipt_png: Path) -> None:
        k = self.kiosk
        if k.nav.page != "home":
            self.tap("homeButton")
        k.devices.scanner.feed_image(receipt_png)
        self.wait("the progress screen", lambda: k.nav.page == "progress" and k.progress.found)

    def joint_case(self) -> None:
        """A 联办件: the lead department accepts, one participating department finishes its
        part; the villager sees each department's part on the progress screen."""
        k = self.kiosk
        item = next(i for i in k.catalog.items if i.kind == "joint")
        print("3b. a joint application (联办件):", item.name)
        self.apply_once(item.category, item.code, shots=False)
        self.shot("joint-receipt-printed")
        case_no = k.apply.caseNo.replace("-", "")
        receipt_png = k.devices.printer.last_png_path
        self.tap("homeButton")
        self.wait("the case to reach the county", lambda: k.status.pending == 0)
        self.hub.hub("case-action", case_no, "accept")
        self.hub.hub(
            "case-action", case_no, "department_done", "--department", item.joint_departments[0]
        )
        k.sync.nudge()
        self.wait(
            "the departments' parts to arrive",
            lambda: self._parts_done(case_no) == 1,
            60,
        )
        self.scan_receipt(receipt_png)
        self.shot("progress-joint-parts")
        self.tap("homeButton")

    def _parts_done(self, case_no: str) -> int:
        from kiosk.casestore import get_case_by_no

        case = get_case_by_no(self.kiosk.store, case_no)
        return sum(1 for p in case.parts if p.status.value == "done") if case else -1

    def supplement_at_the_village(self, category: str, item_code: str) -> None:
        """补正 at the village: the county lists what is missing once (一次性告知); the villager
        scans the receipt, photographs exactly those materials here, and the case goes on."""
        k = self.kiosk
        print("3c. the county asks once for a missing material; it is handed in at the kiosk")
        self.apply_once(category, item_code, shots=False)
        case_no = k.apply.caseNo.replace("-", "")
        receipt_png = k.devices.printer.last_png_path
        self.tap("homeButton")
        self.wait("the case to reach the county", lambda: k.status.pending == 0)
        missing = next(m.name for m in k.catalog.get(item_code).materials if m.name != "居民身份证")
        self.hub.hub("case-action", case_no, "request_supplement", "--text", missing)
        k.sync.nudge()
        self.wait(
            "the county's request to arrive",
            lambda: self.case_status(case_no) == "supplement_requested",
            60,
        )
        self.scan_receipt(receipt_png)
        self.shot("progress-waiting-for-materials")
        self.tap("supplementButton")
        self.wait("the supplement page", lambda: k.supplement.ready, 20)
        self.shot("supplement-listed")
        self.photograph_pages(k.supplement, required_only=False)
        self.shot("supplement-photographed")
        self.tap("submitSupplement")
        self.wait("the materials to be saved", lambda: k.supplement.done, 20)
        self.shot("supplement-handed-in")
        self.tap("supplementFinish")
        self.tap("homeButton")
        self.wait("the supplement to reach the county", lambda: k.status.pending == 0, 60)
        self.hub.hub("case-action", case_no, "accept")
        k.sync.nudge()
        self.wait("the county to accept", lambda: self.case_status(case_no) == "accepted", 60)

    def run(self) -> None:
        k = self.kiosk
        self.wait("the first sync", lambda: k.status.online, 60)
        self.shot("home-online")

        category = k.catalog.categories[0].code
        item = next(i for i in k.catalog.items_in(category) if i.kind == "promised")
        print(" 1. a villager applies for", item.name)
        self.apply_once(category, item.code, shots=True)
        case_no = k.apply.caseNo.replace("-", "")
        receipt_png = k.devices.printer.last_png_path

        print(" 2. back home; the printed receipt is held under the scanner")
        self.tap("homeButton")
        self.wait("the case to reach the county", lambda: k.status.pending == 0)
        k.devices.scanner.feed_image(receipt_png)
        self.wait("the progress screen", lambda: k.progress.found)
        self.shot("progress-scanned")

        print(" 3. county staff accept and complete the case in the hub")
        self.hub.hub("case-action", case_no, "accept")
        self.hub.hub(
            "case-action", case_no, "complete", "--text", "准予办理，结果已送达村便民服务站"
        )
        k.sync.nudge()
        # Done: the page says so and where to collect the result first, then offers the rating
        # (four shots, as before, so the later screens keep their numbers).
        self.wait("the county's decision to arrive", lambda: k.progress.done, 60)
        self.shot("progress-done")
        self.tap("doneRateButton")
        self.tap("level_2")
        self.shot("rate-low-asks-reason")
        self.tap("reason_0")
        self.tap("reasonNext")
        self.shot("rate-confirm")
        self.tap("confirmRating")
        self.wait("the rating to be saved", lambda: k.progress.ratedLevel == 2)
        self.shot("rate-thanks")
        self.tap("backButton")
        self.tap("homeButton")
        self.wait("the rating to reach the county", lambda: k.status.pending == 0)

        self.joint_case()
        self.supplement_at_the_village(category, item.code)

        print(" 4. the county hub goes away; the kiosk keeps working offline")
        self.hub.stop()
        k.sync.nudge()
        self.wait("the kiosk to notice it is offline", lambda: not k.status.online, 60)
        self.apply_once(category, item.code, shots=False)
        self.tap("homeButton")
        self.wait("the waiting count", lambda: k.status.pending == 1)
        self.shot("home-offline-waiting")

        print(" 5. the hub is back; the queue drains, nothing lost, nothing doubled")
        self.hub.start()
        k.sync.nudge()
        self.wait("the queue to drain", lambda: k.status.pending == 0 and k.status.online, 90)
        self.shot("home-drained")

        print(" 6. searching by pinyin initials, and a guide card to take home")
        from ui.driving import commit_text, keyboard_shown, type_text

        self.tap("tileGuide")
        self.tap("searchButton")
        self.wait("the keyboard", lambda: keyboard_shown(self.window))
        type_text(self.window, "ylbx")
        self.wait("search results", lambda: bool(k.guide.results))
        self.shot("search-pinyin-initials")
        self.tap("result_0")
        self.tap("printCardButton")
        self.wait("the guide card", lambda: "已打印" in k.guide.printMessage)
        self.shot("guide-card-printed")
        self.tap("homeButton")

        print(" 7. a complaint, with a tracking number printed")
        self.tap("tileFeedback")
        self.tap("feedbackText")
        commit_text(self.window, "村口的路灯坏了一个多月，晚上老人出门看不清路，请尽快修一下。")
        self.shot("feedback-writing")
        self.tap("submitFeedback")
        self.wait(
            "the tracking slip",
            lambda: k.nav.page == "feedbackDone" and "打印" in k.feedback.printMessage,
        )
        self.shot("feedback-done")
        self.tap("homeButton")

        print(" 8. the agent: hold the station name 5 s, card + PIN; the queues and the day")
        from ui.driving import press_and_hold

        press_and_hold(self.window, "staffEntry", 5.3)
        self.wait("the staff sign-in", lambda: k.nav.page == "staffSignIn", 10)
        self.shot("staff-sign-in")
        self.tap("modeAgent")
        self.tap("simCardSwap")  # the agent's own card on the (simulated) reader
        self.tap("readStaffCard")
        staff = k.extra_models["staffModel"]
        self.wait("the agent's card", lambda: bool(staff.property("hasCard")), 30)
        for digit in "246810":
            self.tap(f"key{digit}")
        self.tap("signInButton")
        self.wait("the agent's desk", lambda: k.nav.page != "staffSignIn", 60)
        self.shot("agent-queues")
        self.tap("openDay")
        self.shot("agent-day")
        self.tap("staffExit")

        print(" 9. the technician: PIN only; device checks")
        press_and_hold(self.window, "staffEntry", 5.3)
        self.wait("the staff sign-in", lambda: k.nav.page == "staffSignIn", 10)
        self.tap("modeTechnician")
        for digit in "135790":
            self.tap(f"key{digit}")
        self.tap("signInButton")
        self.wait("the technician's menu", lambda: k.nav.page != "staffSignIn", 60)
        self.shot("technician-menu")
        self.tap("openDevices")
        self.shot("technician-devices")
        self.tap("staffExit")

        print("10. public notices, and an appointment at the town centre")
        self.wait("the county's notices", lambda: bool(k.notices.notices), 60)
        self.shot("home-notice-banner")
        self.tap("tileNotices")
        self.shot("notices")
        self.tap("notice_0")
        self.shot("notice")
        self.tap("homeButton")
        self.tap("tileAppointments")
        self.wait("the county's slots", lambda: bool(k.appointments.slots), 60)
        self.shot("appointments")
        self.tap("slot_0")
        self.tap("readCardForAppointment")
        self.wait("the ID card", lambda: k.appointments.hasCard)
        self.tap("appointmentPhone")
        type_text(self.window, "13800138000")
        self.shot("appointment-form")
        self.tap("submitAppointment")
        self.wait("the request to be saved", lambda: k.nav.page == "appointmentDone")
        self.wait("the 预约单", lambda: "已打印" in k.appointments.printMessage)
        self.shot("appointment-requested")
        slip_png = k.devices.printer.last_png_path
        self.tap("homeButton")
        k.devices.scanner.feed_image(slip_png)  # the 预约单 held under the scanner
        self.wait("the appointment found", lambda: k.progress.appointmentFound)
        self.shot("appointment-scanned")
        self.tap("homeButton")

        print("11. other screens")
        self.tap("tileProgress")
        self.shot("progress-start")
        self.tap("homeButton")
        self.tap("tileRate")
        self.shot("rate-find")  # 服务评价's own page: which case to rate
        self.tap("homeButton")


DEMO_TOWN_CODE = "350999101000"  # sync.hub.county_setup.DEMO_TOWN
DEMO_VILLAGE = ("350999101205", "石门村", "石门村便民服务站")  # the kiosk's station (KioskConfig)


def _county_sets_up(hub) -> None:
    """The demo county's town, villages and departments (from the demo catalog), and the
    village whose station this demo kiosk stands in."""
    hub.hub("county", "seed-demo")
    code, name, station = DEMO_VILLAGE
    hub.hub("county", "village", code, name, "--town", DEMO_TOWN_CODE, "--station", station)


def _place_kiosk(hub, kiosk) -> None:
    """Say which village this kiosk stands in (the hub makes its record if it is new)."""
    hub.hub("county", "place", kiosk.terminal.id, DEMO_VILLAGE[0])


def _county_publishes(hub) -> None:
    """What county staff would have published: public notices and appointment slots (demo data)."""
    from datetime import date, timedelta

    notices = [
        (
            "finance",
            "石门村2026年第三季度财务收支公开（演示）",
            "收入：集体土地租金 12,000 元，上级补助 30,000 元。\n支出：村道维修 8,500 元，"
            "路灯更换 3,200 元，保洁员工资 9,000 元。\n如有疑问，请向村务监督委员会反映。",
        ),
        (
            "party",
            "十一月主题党日活动通知（演示）",
            "11月25日上午9点在村委会二楼会议室，学习《中国共产党农村基层组织工作条例》。",
        ),
        (
            "village",
            "村道硬化工程公示（演示）",
            "工程概算 32 万元，其中县级补助 20 万元，村集体自筹 12 万元。公示期七天。",
        ),
    ]
    for category, title, body in notices:
        hub.hub("publish-notice", "--category", category, "--title", title, "--body", body)
    day = date.today() + timedelta(days=3)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    for start, end in (("09:00", "10:00"), ("10:00", "11:00"), ("14:30", "15:30")):
        hub.hub(
            "publish-slot",
            "--centre",
            "溪口镇便民服务中心",
            "--service",
            "不动产登记",
            "--date",
            day.isoformat(),
            "--start",
            start,
            "--end",
            end,
            "--capacity",
            "5",
        )


def _exists(window, name: str) -> bool:
    from ui.driving import exists

    return exists(window, name)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    tour = args.tour or not _has_display()
    if not _has_display():
        _reexec_on_virtual_screen()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")

    out = (args.out or ROOT / "demo-out" / datetime.now().strftime("%Y%m%d-%H%M%S")).resolve()
    out.mkdir(parents=True, exist_ok=True)
    print(f"乡里办 demo: writing to {out}")

    from PySide6.QtGui import QGuiApplication

    from ui.admin.demo import compose_demo
    from ui.app import KioskApp, KioskConfig, prepare_qt_environment
    from ui.hubprocess import HubProcess

    prepare_qt_environment()
    # The demo's kiosk talks to its hub header-only: allowed explicitly, for the demo only (a
    # county's hub refuses unsigned requests).
    os.environ["XIANGLI_HUB_ALLOW_UNSIGNED"] = "1"
    hub = HubProcess(out / "hub", log_path=out / "hub" / "hub.log")
    hub_url = hub.start()
    hub.hub("createstaff", "admin", "--password", "xiangli-demo")
    _county_sets_up(hub)
    _county_publishes(hub)
    print(f"county hub: {hub_url}/admin/  (staff: admin / xiangli-demo)")
    print(
        "kiosk staff mode: hold the station name (top left) for 5 s; demo agent card + PIN 246810,"
    )
    print("                  demo technician PIN 135790 (demo accounts only)")

    app = QGuiApplication(sys.argv[:1])
    kiosk = KioskApp(
        KioskConfig(
            data_dir=out / "kiosk",
            hub_url=hub_url,
            printer_out=out / "slips",
            sync_interval_s=2.0,
            sync_backoff_cap_s=3.0,
        )
    )
    # The demo's own additions, composed here and nowhere in the production path: demo staff
    # (agent PIN 246810 with the demo agent's card, technician PIN 135790) and the simulated
    # reader's card swap.
    compose_demo(kiosk)
    _place_kiosk(hub, kiosk)
    window = kiosk.load_ui()
    code = 0
    try:
        if tour:
            window.show()
            window.requestActivate()  # no window manager on the virtual screen: focus it ourselves
            kiosk.start()
            Tour(kiosk, window, hub, out).run()
        else:
            window.show() if args.windowed else window.showFullScreen()
            kiosk.start()
            code = app.exec()
    finally:
        kiosk.stop()
        hub.stop()
    if tour:
        slips = sorted((out / "slips").glob("*"))
        print(f"\n乡里办 demo finished. Screenshots: {out / 'screens'}")
        print(f"Printed slips ({len(slips)} files, PNG + raw ESC/POS .bin): {out / 'slips'}")
    return code


if __name__ == "__main__":
    sys.exit(main())
