"""The 预约单 a villager takes home after booking a slot at the town or county centre.

It says the appointment's number, what, when and where, that the county still has to confirm
it, and carries the QR that the kiosk's scanner takes back to the progress page
(`kiosk.appointments.appointment_qr`). Names, ID numbers and phones are masked as on every slip.
The job id is derived from the appointment, so a retried print is not printed twice.

Pure; any thread may call it.
"""

from __future__ import annotations

from domain.masking import mask_phone
from kiosk.appointments import Appointment, Slot, appointment_qr, format_appointment_no, when_text
from kiosk.clock import local_text
from kiosk.idnumber import mask, mask_name
from kiosk.slip_layouts import _header
from kiosk.slips import QR, Feed, Field, Rule, Slip, Text

KIND = "appointment"
TITLE = "预约单"
NOT_YET = "县里确认后，代办员会打电话通知您。确认前这只是一个申请，请不要提前出发。"
BRING = "去办事时，请带上身份证和这张预约单。"
SCAN = "扫码查询预约"


def appointment_slip(appt: Appointment, slot: Slot, station: str) -> Slip:
    return Slip(
        job_id=f"{KIND}:{appt.id}",
        kind=KIND,
        title=TITLE,
        blocks=(
            *_header(station, TITLE),
            Text("预约号", bold=True),
            Text(format_appointment_no(appt.appointment_no), align="center", bold=True, scale=2),
            Field("办事", slot.service),
            Field("时间", when_text(slot)),
            Field("地点", slot.centre),
            Field("预约人", mask_name(appt.name)),
            Field("身份证号", mask(appt.id_number)),
            Field("联系电话", mask_phone(appt.phone)),
            Field("提交时间", local_text(appt.created_at)),
            Rule(),
            Text(NOT_YET),
            Text(BRING),
            QR(appointment_qr(appt.appointment_no, appt.id), caption=SCAN),
            Feed(2),
        ),
    )
