"""Receipt printer: the port, the ESC/POS encoder, the real printer and the simulator.

The encoder (with qrcode and Pillow, ~8 MB resident) is imported at the first print, not with
this package: a kiosk idling at its home screen has nothing to print.
"""

from typing import Any

from drivers.printer.base import (
    JournalEntry,
    PrinterError,
    PrinterPort,
    PrinterStatus,
    PrintJournal,
    PrintResult,
)
from drivers.printer.simulator import SimPrinter

__all__ = [
    "JournalEntry",
    "PrintJournal",
    "PrintResult",
    "PrinterError",
    "PrinterPort",
    "PrinterStatus",
    "SimPrinter",
    "encode_slip",
]


def __getattr__(name: str) -> Any:
    if name == "encode_slip":
        from drivers.printer.escpos_encoder import encode_slip

        return encode_slip
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
