"""Receipt printer: the port, the ESC/POS encoder, the real printer and the simulator.

The encoder (with qrcode and Pillow, ~8 MB resident) is imported at the first print, not with
this package: a kiosk idling at its home screen has nothing to print.

Only the descriptor (`DEVICE`, drivers.descriptor) is imported with the package; the rest loads
at its first use, so the kiosk can list its devices at start-up without loading their code.
"""

from typing import TYPE_CHECKING

from drivers.descriptor import lazy_exports
from drivers.printer.device import DEVICE

if TYPE_CHECKING:
    from drivers.printer.base import (
        JournalEntry,
        PrinterError,
        PrinterPort,
        PrinterStatus,
        PrintJournal,
        PrintResult,
    )
    from drivers.printer.escpos_encoder import encode_slip
    from drivers.printer.simulator import SimPrinter

__all__ = [
    "DEVICE",
    "JournalEntry",
    "PrintJournal",
    "PrintResult",
    "PrinterError",
    "PrinterPort",
    "PrinterStatus",
    "SimPrinter",
    "encode_slip",
]

__getattr__ = lazy_exports(
    __name__,
    {
        "JournalEntry": "drivers.printer.base",
        "PrinterError": "drivers.printer.base",
        "PrinterPort": "drivers.printer.base",
        "PrinterStatus": "drivers.printer.base",
        "PrintJournal": "drivers.printer.base",
        "PrintResult": "drivers.printer.base",
        "SimPrinter": "drivers.printer.simulator",
        "encode_slip": "drivers.printer.escpos_encoder",
    },
)
