"""The kiosk's devices as the screens see them: each owned by one thread, results on the GUI thread.

The composition root chooses simulators or real drivers; this facade only knows their ports.
Every job for a device runs on that device's own thread, in order, so two screens can never
talk to one USB device at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from drivers.idcard.base import IdCardReaderPort
from drivers.printer.base import PrinterPort
from drivers.scanner.base import ScannerPort
from kiosk.slips import Slip
from ui.background import Background

Callback = Callable[[Any], None]


class Devices(QObject):
    code_scanned = Signal(str)  # emitted on the GUI thread

    def __init__(
        self,
        background: Background,
        *,
        printer: PrinterPort,
        idcard: IdCardReaderPort,
        scanner: ScannerPort,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._bg = background
        self.printer = printer
        self.idcard = idcard
        self.scanner = scanner
        self._printer_thread = background.device_thread("printer")
        self._idcard_thread = background.device_thread("idcard")

    def start(self) -> None:
        # The scanner delivers from its own capture thread; a queued signal brings it here.
        self.scanner.start(self.code_scanned.emit)

    def stop(self) -> None:
        self.scanner.stop()

    def print_slip(self, slip: Slip, on_done: Callback, on_error: Callback) -> None:
        self._bg.run(lambda: self.printer.print_slip(slip), on_done, on_error, self._printer_thread)

    def read_card(self, on_done: Callback, on_error: Callback, timeout_s: float = 8.0) -> None:
        self._bg.run(
            lambda: self.idcard.read_card(timeout_s), on_done, on_error, self._idcard_thread
        )
