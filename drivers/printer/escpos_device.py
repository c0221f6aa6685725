"""The real receipt printer, over a python-escpos transport (USB, serial, network 9100, file).

Only the transport of python-escpos is used: the job bytes come from `escpos_encoder` and go out
through `_raw`, because python-escpos's text path mangles Chinese punctuation.

Status comes from DLE EOT real-time queries. No answer means OFFLINE: python-escpos's
`paper_status()` reports plenty of paper when nothing answers, which would let the kiosk
"print" a receipt into a dead printer. A transport that also has a port status (usblp's
LPGETSTATUS, `drivers.printer.usblp`) is asked for it when DLE EOT goes unanswered. A
transport that cannot read at all (a `File` such as a serial line) has no status; pass
`query_status=False` and it is assumed OK.

Owned by one device thread; the lock in `JournaledPrinter` serialises jobs (two jobs
interleaved on one USB printer print garbage).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from drivers.printer.base import JournaledPrinter, PrinterError, PrinterStatus, PrintJournal
from kiosk.slips import Slip

if TYPE_CHECKING:
    from drivers.printer.escpos_encoder import QrMode

log = logging.getLogger(__name__)

DLE_EOT = b"\x10\x04"
OFFLINE_BIT = 0x08  # DLE EOT 1
COVER_OPEN_BIT = 0x04  # DLE EOT 2
PAPER_STOP_BIT = 0x20  # DLE EOT 2: printing stopped by paper end
NEAR_END_BITS = 0x0C  # DLE EOT 4
PAPER_END_BITS = 0x60  # DLE EOT 4


def is_status_byte(b: int) -> bool:
    """Every DLE EOT answer has bits 1 and 4 set and bits 0 and 7 clear."""
    return b & 0x93 == 0x12


def status_from_bytes(printer: int | None, offline: int | None, paper: int | None) -> PrinterStatus:
    """Map the answers of DLE EOT 1, 2 and 4 (None = no answer) to a status."""
    if printer is None:
        return PrinterStatus.OFFLINE
    if offline is not None and offline & COVER_OPEN_BIT:
        return PrinterStatus.COVER_OPEN
    if paper is not None and paper & PAPER_END_BITS:
        return PrinterStatus.PAPER_OUT
    if offline is not None and offline & PAPER_STOP_BIT:
        return PrinterStatus.PAPER_OUT
    if printer & OFFLINE_BIT:
        return PrinterStatus.OFFLINE
    if paper is not None and paper & NEAR_END_BITS:
        return PrinterStatus.PAPER_NEAR_END
    return PrinterStatus.OK


class EscposPrinter(JournaledPrinter):
    """`transport` is a python-escpos printer object (Usb, Serial, Network, File, Dummy)."""

    def __init__(
        self,
        transport: Any,
        width_mm: int = 80,
        qr_mode: QrMode = "native",
        query_status: bool = True,
        journal: PrintJournal | None = None,
    ) -> None:
        super().__init__(width_mm, qr_mode, journal)
        self.transport = transport
        self.query_status = query_status

    def status(self) -> PrinterStatus:
        with self._lock:
            if not self.query_status:
                return PrinterStatus.OK if self._open() else PrinterStatus.OFFLINE
            if not self._open():
                return PrinterStatus.OFFLINE
            printer = self._query(1)
            if printer is None:
                return self._port_status()
            return status_from_bytes(printer, self._query(2), self._query(4))

    def _port_status(self) -> PrinterStatus:
        """No DLE EOT answer: the IEEE 1284 status byte if the transport has one, else OFFLINE."""
        from drivers.printer.usblp import status_from_port_byte

        getter = getattr(self.transport, "port_status", None)
        byte = getter() if callable(getter) else None
        return PrinterStatus.OFFLINE if byte is None else status_from_port_byte(byte)

    def _send(self, slip: Slip, data: bytes) -> None:
        if not self._open():
            raise PrinterError.from_status(PrinterStatus.OFFLINE)
        try:
            self.transport._raw(data)
        except Exception as e:  # usb.core.USBError, socket errors, serial errors...
            self._drop()
            raise OSError(f"printer write failed: {type(e).__name__}") from e

    def close(self) -> None:
        self._drop()

    def _open(self) -> bool:
        """Open the transport if needed; False when the device is not there."""
        if getattr(self.transport, "_device", None):
            return True
        try:
            self.transport.open()
        except Exception as e:
            log.info("printer not reachable: %s: %s", type(e).__name__, str(e)[:200])
            self._drop()
            return False
        return True

    def _drop(self) -> None:
        try:
            self.transport.close()
        except Exception:
            pass
        # python-escpos leaves a failed device as None and never retries; False reopens.
        self.transport._device = False

    def _query(self, n: int) -> int | None:
        """Send DLE EOT n and return the answer byte, or None when nothing valid came back."""
        try:
            dev = self.transport.device
            if hasattr(dev, "reset_input_buffer"):
                dev.reset_input_buffer()  # serial: drop stale answers
            self.transport._raw(DLE_EOT + bytes([n]))
            if hasattr(dev, "reset_input_buffer"):
                answer = bytes(dev.read(1))  # returns at once instead of waiting for 16
            else:
                answer = bytes(self.transport._read())
        except NotImplementedError:
            return None
        except Exception as e:
            log.info("printer status query failed: %s", type(e).__name__)
            return None
        valid = [b for b in answer if is_status_byte(b)]
        return valid[-1] if valid else None


def usb_printer(vid: int, pid: int, **kw: Any) -> EscposPrinter:
    """By its USB ids: usblp's /dev/usb/lpN when the kernel holds it, else libusb (pyusb)."""
    from drivers.printer.usblp import UsbTransport

    return EscposPrinter(UsbTransport(vid, pid), **kw)


def network_printer(host: str, port: int = 9100, **kw: Any) -> EscposPrinter:
    from escpos.printer import Network

    return EscposPrinter(Network(host, port=port, timeout=3), **kw)


def serial_printer(devfile: str, baudrate: int = 9600, **kw: Any) -> EscposPrinter:
    from escpos.printer import Serial

    return EscposPrinter(Serial(devfile, baudrate=baudrate, timeout=1), **kw)


def file_printer(devfile: str, **kw: Any) -> EscposPrinter:
    """A device node. /dev/usb/lpN is usblp, which reads back and has a port status."""
    if devfile.startswith("/dev/usb/lp"):
        from drivers.printer.usblp import UsblpTransport

        return EscposPrinter(UsblpTransport(devfile), **kw)
    from escpos.printer import File

    kw.setdefault("query_status", False)
    return EscposPrinter(File(devfile), **kw)
