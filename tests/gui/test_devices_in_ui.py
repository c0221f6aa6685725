"""The rating device and device health reach the villager's screen."""

from __future__ import annotations

from drivers.printer.base import PrinterStatus
from kiosk.casestore import get_evaluation, recent_cases
from kiosk.county import apply_changes
from tests.gui.test_villager_flow import _apply_for_first_item
from ui.app import KioskApp
from ui.devices import problem_line
from ui.driving import exists, settle, tap, text_of


def test_rating_device_buttons_rate_on_the_same_screen(kiosk: KioskApp) -> None:
    _apply_for_first_item(kiosk)
    tap(kiosk.window, "viewProgressButton")  # type: ignore[attr-defined]
    [case] = recent_cases(kiosk.store)
    change = {
        "kind": "case.status",
        "payload": {
            "case_id": case.id,
            "status": "completed",
            "updated_at": "2026-11-23T02:00:00Z",
        },
    }
    apply_changes(kiosk.store, [change], "e:1")
    tap(kiosk.window, "doneRateButton")  # type: ignore[attr-defined]
    assert kiosk.nav.page == "rate"
    kiosk.devices.rating.press(5)  # the 非常满意 button on the desk device
    settle(kiosk.window)  # type: ignore[attr-defined]
    assert get_evaluation(kiosk.store, case.id) is None  # a press selects; 确认 saves
    tap(kiosk.window, "confirmRating")  # type: ignore[attr-defined]
    ev = get_evaluation(kiosk.store, case.id)
    assert ev is not None and int(ev.level) == 5


def test_a_printer_out_of_paper_shows_in_the_status_bar(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    assert not exists(w, "deviceProblem")
    kiosk.devices.printer.set_status(PrinterStatus.PAPER_OUT)
    kiosk.devices.poll_health()
    assert exists(w, "deviceProblem")
    # What the receipt page says too (打印机缺纸), not a repair (需要检修): the agent refills it.
    assert kiosk.devices.problemText == "打印机缺纸"
    assert text_of(w, "deviceProblemText") == "⚠ 打印机缺纸，请联系代办员"
    assert any(h["name"] == "printer" and h["state"] != "ok" for h in kiosk.devices.health)
    kiosk.devices.printer.set_status(PrinterStatus.OK)
    kiosk.devices.poll_health()
    assert not exists(w, "deviceProblem")
    assert "打印机" not in text_of(w, "syncText")


def test_the_status_bars_line_says_what_a_device_says_of_itself_or_that_it_needs_repair() -> None:
    def row(name: str, label: str, state: str, reason: str) -> dict[str, str]:
        return {"name": name, "label": label, "state": state, "reason": reason}

    printer = row("printer", "打印机", "error", "打印机盖没有合上。")
    serial = row(
        "idcard",
        "身份证阅读器",
        "error",
        "没有权限使用身份证阅读器的串口，请技术人员把本机账户加入 dialout 组。",
    )
    stuck = row("doccam", "高拍仪", "error", "高拍仪没有响应，请联系技术人员。")
    fine = row("rating", "评价器", "ok", "")
    assert problem_line([fine]) == ""
    assert problem_line([printer, fine]) == "打印机盖没有合上"
    # The technician's words (dialout) stay in the maintenance menu.
    assert problem_line([serial]) == "身份证阅读器需要检修"
    assert (
        problem_line([printer, serial, stuck])
        == "打印机盖没有合上，高拍仪没有响应，身份证阅读器需要检修"
    )
    assert problem_line([row("scanner", "扫码器", "missing", "")]) == "扫码器需要检修"
