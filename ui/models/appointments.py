"""Appointments at the town or county centre (预约): choosing one of the county's slots, who is
coming, and once saved its number, what, when and where, and its printed 预约单.

Reads and writes run on the writer thread; the slots refresh when the store says the appointment
tables changed (a pull from the county, or our own write). A later look-up (by the slip's QR or
its number) is the progress page's (`ui.models.progress`).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from kiosk.appointment_slip import appointment_slip
from kiosk.appointments import (
    Appointment,
    available_slots,
    format_appointment_no,
    request_appointment,
    when_text,
)
from kiosk.appointments import Slot as AppointmentSlot
from kiosk.clock import Clock
from kiosk.commands import Terminal
from kiosk.idnumber import mask
from kiosk.store import Store
from ui.background import Background
from ui.devices import Devices
from ui.errors import villager_message
from ui.models.props import derived


class AppointmentsModel(QObject):
    changed = Signal()
    requested = Signal()

    def __init__(
        self,
        *,
        store: Store,
        background: Background,
        clock: Clock,
        devices: Devices,
        terminal: Terminal,
        station: str = "",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store, self._bg, self._clock, self._devices = store, background, clock, devices
        self._terminal, self._station = terminal, station
        self._slots: list[AppointmentSlot] = []
        self.clear()

    @Slot()
    def clear(self) -> None:
        self._chosen: AppointmentSlot | None = None
        self._name = ""
        self._id_number = ""
        self._busy = False
        self._error = ""
        self._done = False
        # The saved request and the slot it asks for: the done page repeats them.
        self._booked: tuple[Appointment, AppointmentSlot] | None = None
        self._print_message = ""
        self.changed.emit()

    @Slot()
    def refresh(self) -> None:
        def loaded(slots: list[AppointmentSlot]) -> None:
            self._slots = slots
            self.changed.emit()

        self._bg.run(lambda: available_slots(self._store, self._clock.today_local()), loaded)

    def on_store_changed(self, tables: frozenset[str]) -> None:
        if tables & {"appointment_slots", "appointments"}:
            self.refresh()

    @Slot(str)
    def choose(self, slot_id: str) -> None:
        self._chosen = next((s for s in self._slots if s.id == slot_id), None)
        self._error = ""
        self.changed.emit()

    @Slot()
    def readCard(self) -> None:  # noqa: N802
        self._busy, self._error = True, ""
        self.changed.emit()

        def done(card: Any) -> None:
            self._busy, self._name, self._id_number = False, card.name, card.id_number
            self.changed.emit()

        def failed(exc: BaseException) -> None:
            self._busy = False
            self._error = villager_message(exc, self.tr("读卡失败，请把身份证平放在读卡区后重试"))
            self.changed.emit()

        self._devices.read_card(done, failed)

    @Slot(str, str, str)
    def submit(self, typed_name: str, typed_id: str, phone: str) -> None:
        if self._chosen is None or self._busy:
            return
        slot = self._chosen
        name = self._name or typed_name
        id_number = self._id_number or typed_id
        self._busy, self._error = True, ""
        self.changed.emit()

        def work() -> Appointment:
            return request_appointment(
                self._store,
                slot_id=slot.id,
                name=name,
                id_number=id_number,
                phone=phone,
                clock=self._clock,
                terminal=self._terminal,
            )

        def saved(appt: Appointment) -> None:
            self._busy, self._done, self._booked = False, True, (appt, slot)
            self._print_message = self.tr("正在打印预约单…")
            self.changed.emit()
            self.requested.emit()
            self._print(appt, slot)

        def failed(exc: BaseException) -> None:
            self._busy = False
            self._error = villager_message(exc, self.tr("预约没有提交成功，请联系代办员"))
            self.changed.emit()

        self._bg.run(work, saved, failed)

    def _print(self, appt: Appointment, slot: AppointmentSlot) -> None:
        self._devices.print_slip(
            appointment_slip(appt, slot, self._station),
            lambda _r: self._printed(self.tr("预约单已打印，请取走，去办事时带上")),
            lambda e: self._printed(
                villager_message(e, self.tr("预约单打印失败"))
                + self.tr("。预约已提交，请记下上面的预约号。")
            ),
        )

    def _printed(self, message: str) -> None:
        if self._booked is not None:  # not once the next villager has started
            self._print_message = message
            self.changed.emit()

    def _slot_row(self, s: AppointmentSlot) -> dict[str, Any]:
        return {
            "id": s.id,
            "when": when_text(s),
            "where": s.centre,
            "service": s.service,
            "remaining": s.remaining,
        }

    def _booked_row(self) -> dict[str, str]:
        if self._booked is None:
            return {}
        appt, slot = self._booked
        return {
            "number": format_appointment_no(appt.appointment_no),
            "when": when_text(slot),
            "where": slot.centre,
            "service": slot.service,
        }

    _f = derived(changed)
    slots = _f(lambda s: [s._slot_row(x) for x in s._slots], "QVariantList")
    hasChoice = _f(lambda s: s._chosen is not None, bool)  # noqa: N815
    choice = _f(lambda s: s._slot_row(s._chosen) if s._chosen else {}, "QVariantMap")
    hasCard = _f(lambda s: bool(s._id_number), bool)  # noqa: N815
    cardName = _f(lambda s: s._name)  # noqa: N815
    cardId = _f(lambda s: mask(s._id_number) if s._id_number else "")  # noqa: N815
    busy = _f(lambda s: s._busy, bool)
    error = _f(lambda s: s._error)
    done = _f(lambda s: s._done, bool)
    # The saved request: number, when, where, service (empty until saved).
    booked = _f(lambda s: s._booked_row(), "QVariantMap")
    printMessage = _f(lambda s: s._print_message)  # noqa: N815
    del _f
