"""The walking skeleton's flow, tapped through the real QML:
home → category → item → guide → apply (ID card) → receipt → scan → progress → rating."""

from __future__ import annotations

from drivers.printer.base import PrinterStatus
from kiosk.casestore import get_evaluation, recent_cases
from kiosk.county import apply_changes
from sync.worker import SyncStatus
from ui.app import KioskApp
from ui.driving import exists, find, tap, text_of


def _apply_for_first_item(kiosk: KioskApp) -> str:
    w = kiosk.window  # type: ignore[attr-defined]
    category = kiosk.catalog.categories[0]
    item = kiosk.catalog.items_in(category.code)[0]
    tap(w, "tileApply")
    assert kiosk.nav.page == "applyStart"  # 我要办理's own page (the categories, its own title)
    tap(w, f"category_{category.code}")
    tap(w, f"item_{item.code}")
    assert kiosk.nav.page == "guide"
    tap(w, "applyButton")
    assert kiosk.nav.page == "apply"
    tap(w, "readCardButton")
    # The card filled the form; the ID number is masked on screen.
    assert "*" in text_of(w, "idMasked")
    assert kiosk.apply.applicantName in text_of(w, "applicantName")
    tap(w, "submitButton")
    return item.code


def test_apply_scan_progress_and_rate(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    _apply_for_first_item(kiosk)

    # Saved first, then printed: the receipt page shows the case number and the print result.
    assert kiosk.nav.page == "receipt"
    [case] = recent_cases(kiosk.store)
    assert text_of(w, "caseNo") == kiosk.apply.caseNo
    assert kiosk.store.pending_count() == 1
    printer = kiosk.devices.printer
    assert printer.last_png_path is not None and printer.last_png_path.exists()
    receipt = printer.jobs[-1][0]
    receipt_text = receipt.plain_text()
    assert case.applicant.id_number not in receipt_text  # masked on the slip
    # Received, not accepted: one wording on the slip, the screen and (below) the progress page.
    assert receipt.title == "收件回执" and "受理回执" not in receipt_text
    assert kiosk.config.station in text_of(w, "receiptWhere")
    assert "您的申请已交上，等代办员办理。" in receipt_text  # Status.plain (issue 18)
    next_step = kiosk.progress.nextStep
    assert next_step and next_step in text_of(w, "receiptNext") and next_step in receipt_text
    if case.kind.value == "immediate":
        assert next_step == "代办员上班后为您办理"
        assert "当场办结" not in receipt_text and "当场办结" not in text_of(w, "receiptNext")
    assert kiosk.config.station_hours in text_of(w, "receiptHours")

    # Back home, then hold the printed receipt under the scanner.
    tap(w, "homeButton")
    assert kiosk.nav.page == "home"
    kiosk.devices.scanner.feed_image(printer.last_png_path)
    assert kiosk.nav.page == "progress"
    assert "已交上，等代办员办理" in text_of(w, "statusLabel")
    assert f"在{kiosk.config.station}" in text_of(w, "whereNow")
    assert kiosk.config.station in text_of(w, "pickupPlace")
    assert next_step in text_of(w, "nextStep")
    # The history in words, never an identifier.
    assert "提交申请" in text_of(w, "step_0") and "submit" not in text_of(w, "step_0")

    # The county completes it; the pulled change updates the open screen and offers a rating.
    apply_changes(
        kiosk.store,
        [
            {
                "seq": 1,
                "kind": "case.status",
                "record_id": case.id,
                "payload": {
                    "case_id": case.id,
                    "case_no": case.case_no,
                    "status": "completed",
                    "reason": "",
                    "result": "准予登记",
                    "updated_at": "2026-11-23T02:00:00Z",
                },
            }
        ],
        "e1:1",
    )
    # It says first that it is done and where to collect the result, then offers the rating.
    assert kiosk.nav.page == "progress"
    assert kiosk.config.station in text_of(w, "doneText")
    tap(w, "doneRateButton")
    assert kiosk.nav.page == "rate"

    # A low rating asks for a reason before it can be sent, then asks to confirm.
    tap(w, "level_2")
    assert exists(w, "reason_0")
    assert not find(w, "reasonNext").isEnabled()  # no reason chosen yet
    tap(w, "reason_0")
    tap(w, "reasonNext")
    assert get_evaluation(kiosk.store, case.id) is None  # not until 确认
    tap(w, "confirmRating")
    assert exists(w, "ratingThanks")
    ev = get_evaluation(kiosk.store, case.id)
    assert ev is not None and int(ev.level) == 2 and ev.reason
    assert kiosk.store.pending_count() == 2  # the case and its rating wait for the county


def test_printer_out_of_paper_keeps_the_case(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    kiosk.devices.printer.set_status(PrinterStatus.PAPER_OUT)
    _apply_for_first_item(kiosk)
    assert kiosk.nav.page == "receipt", kiosk.apply.error
    assert len(recent_cases(kiosk.store)) == 1
    assert "缺纸" in kiosk.apply.printMessage and "已交上，等代办员办理" in kiosk.apply.printMessage
    assert "保存" not in kiosk.apply.printMessage  # computer talk (issue 18)
    assert exists(w, "reprintButton")
    kiosk.devices.printer.set_status(PrinterStatus.OK)
    tap(w, "reprintButton")
    assert kiosk.apply.printed


def test_foreign_qr_gets_a_clear_message(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    kiosk.devices.scanner.feed_text("https://pay.example.com/order/123")
    assert kiosk.nav.page == "progress"
    assert "不是乡里办" in kiosk.progress.message
    assert exists(w, "progressMessage")


def test_going_home_forgets_the_villager(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    _apply_for_first_item(kiosk)
    tap(w, "homeButton")
    assert kiosk.apply.applicantName == "" and kiosk.apply.caseNo == ""
    assert not kiosk.progress.found


def test_status_bar_says_offline_and_how_many_wait(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    kiosk.relay.sync_status.emit(SyncStatus(online=False, pending=3))
    # A symbol and plain words, not colour alone (no 离线/待上传: issue 18).
    assert text_of(w, "syncText") == "○ 没网 · 3条存在本机"
    kiosk.relay.sync_status.emit(SyncStatus(online=True, pending=0))
    assert text_of(w, "syncText") == "● 有网 · 都已送到县里"


def test_help_tile_tells_where_the_agent_is(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    tap(w, "tileHelp")
    assert kiosk.config.station_phone in text_of(w, "helpPhone")
    tap(w, "backButton")
    assert kiosk.nav.page == "home"
