"""The kiosk's devices as the screens see them: each owned by one thread, results on the GUI thread.

The composition root hands over a factory per device; each device is *made* on its own thread
(so its driver libraries load after the first screen is up, and the thread that opens a device
is the one that uses it) and every job for it runs there, in order: two screens can never talk
to one USB device at once.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from kiosk.slips import Slip
from ui.background import Background

if TYPE_CHECKING:
    from drivers.idcard.base import IdCardReaderPort
    from drivers.printer.base import PrinterPort
    from drivers.scanner.base import ScannerPort

Callback = Callable[[Any], None]


class Devices(QObject):
    code_scanned = Signal(str)  # emitted on the GUI thread (queued from the scanner's thread)

    def __init__(
        self,
        background: Background,
        *,
        printer: Callable[[], PrinterPort],
        idcard: Callable[[], IdCardReaderPort],
        scanner: Callable[[], ScannerPort],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._bg = background
        self._threads = {name: background.device_thread(name) for name in ("printer", "idcard", "scanner")}
        self._made: dict[str, Future[Any]] = {}
        self._factories = {"printer": printer, "idcard": idcard, "scanner": scanner}

    def start(self) -> None:
        """Make every device on its own thread; the scanner starts listening once made."""
        for name, factory in self._factories.items():
            if self._bg.synchronous:
                fut: Future[Any] = Future()
                fut.set_result(factory())
            else:
                fut = self._threads[name].submit(factory)
            self._made[name] = fut
        self._on_thread("scanner", lambda s: s.start(self.code_scanned.emit), None, None)

    def stop(self) -> None:
        if "scanner" in self._made:
            self._on_thread("scanner", lambda s: s.stop(), None, None)

    def device(self, name: str) -> Any:
        """The device object itself (waits until it is made): for tests, the demo, the technician."""
        return self._made[name].result(timeout=60)

    @property
    def printer(self) -> PrinterPort:
        return self.device("printer")

    @property
    def idcard(self) -> IdCardReaderPort:
        return self.device("idcard")

    @property
    def scanner(self) -> ScannerPort:
        return self.device("scanner")

    def _on_thread(
        self, name: str, job: Callable[[Any], Any], on_done: Callback | None, on_error: Callback | None
    ) -> None:
        made = self._made[name]
        self._bg.run(lambda: job(made.result()), on_done, on_error, self._threads[name])

    def print_slip(self, slip: Slip, on_done: Callback, on_error: Callback) -> None:
        self._on_thread("printer", lambda p: p.print_slip(slip), on_done, on_error)

    def read_card(self, on_done: Callback, on_error: Callback, timeout_s: float = 8.0) -> None:
        self._on_thread("idcard", lambda r: r.read_card(timeout_s), on_done, on_error)
