"""An appointment's number, its printed 预约单, the done page that repeats them, and finding the
appointment again by scanning the printed slip or typing its number: tapped through the QML."""

from __future__ import annotations

from kiosk.appointments import find_booking, format_appointment_no
from kiosk.county import apply_changes
from ui.app import KioskApp
from ui.driving import exists, find, settle, tap, tap_field, text_of, type_text

SLOT = {
    "id": "s1",
    "centre": "溪口镇便民服务中心",
    "service": "不动产登记",
    "date": "2026-11-26",
    "start": "09:00",
    "end": "10:00",
    "capacity": 5,
    "remaining": 3,
}
WHEN = "2026年11月26日（星期四）09:00-10:00"


def _book(kiosk: KioskApp) -> str:
    """Book the county's slot with the ID card; returns the number shown on the done page."""
    w = kiosk.window  # type: ignore[attr-defined]
    apply_changes(
        kiosk.store, [{"kind": "appointment.slot", "record_id": "s1", "payload": SLOT}], "e:1"
    )
    settle(w)
    tap(w, "tileAppointments")
    tap(w, "slot_0")
    tap(w, "readCardForAppointment")
    tap_field(w, "appointmentPhone")
    type_text(w, "13800138000")
    tap(w, "submitAppointment")
    assert kiosk.nav.page == "appointmentDone", kiosk.appointments.error
    return text_of(w, "appointmentNo")


def test_the_done_page_repeats_number_when_and_where_and_a_slip_is_printed(
    kiosk: KioskApp,
) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    shown = _book(kiosk)
    [row] = kiosk.store.db().execute("SELECT id, appointment_no FROM appointments").fetchall()
    assert shown == format_appointment_no(row[1]) and shown.startswith("Y261123-K001-0001-")
    assert text_of(w, "appointmentWhen") == WHEN
    assert text_of(w, "appointmentWhere") == "溪口镇便民服务中心"
    assert text_of(w, "appointmentService") == "不动产登记"
    slip = kiosk.devices.printer.jobs[-1][0]
    assert slip.kind == "appointment" and slip.job_id == f"appointment:{row[0]}"
    text = slip.plain_text()
    assert shown in text and WHEN in text and "溪口镇便民服务中心" in text
    assert "13800138000" not in text  # masked on paper
    assert "预约单已打印" in text_of(w, "appointmentPrintMessage")


def test_scanning_the_printed_slip_shows_the_appointment_and_follows_the_county(
    kiosk: KioskApp,
) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    shown = _book(kiosk)
    png = kiosk.devices.printer.last_png_path
    assert png is not None
    tap(w, "homeButton")
    # The printed slip's QR, decoded by the scanner's own decoder from the printed picture.
    codes = kiosk.devices.scanner.feed_image(png)
    assert codes, "the slip's QR was not found on the printed slip"
    assert kiosk.nav.page == "progress"
    assert exists(w, "appointmentResult")
    assert shown in text_of(w, "appointmentTitle")
    assert "待确认" in text_of(w, "appointmentStatus")
    assert WHEN in text_of(w, "appointmentText") and "溪口镇便民服务中心" in text_of(
        w, "appointmentText"
    )
    # The county confirms while the page is open: the page follows.
    booking = find_booking(kiosk.store, shown)
    assert booking is not None
    apply_changes(
        kiosk.store,
        [
            {
                "kind": "appointment.status",
                "record_id": booking.appointment.id,
                "payload": {"id": booking.appointment.id, "status": "confirmed", "reason": ""},
            }
        ],
        "e:2",
    )
    settle(w)
    assert "已确认" in text_of(w, "appointmentStatus")
    assert "按时" in text_of(w, "appointmentText")


def test_typing_the_number_finds_it_and_a_misread_number_is_refused(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    shown = _book(kiosk)
    tap(w, "homeButton")
    tap(w, "tileProgress")
    tap_field(w, "caseNoField")
    typo = shown[:-1] + ("0" if shown[-1] != "0" else "1")
    type_text(w, typo)
    tap(w, "lookupButton")
    assert not exists(w, "appointmentResult")
    assert "预约号有误" in text_of(w, "progressMessageText")
    tap_field(w, "caseNoField")
    find(w, "caseNoField").setProperty("text", "")
    type_text(w, shown.lower())
    tap(w, "lookupButton")  # no ID digits asked: the appointment shows none
    assert exists(w, "appointmentResult") and shown in text_of(w, "appointmentTitle")
    assert "王" not in text_of(w, "appointmentTitle") + text_of(w, "appointmentText")
