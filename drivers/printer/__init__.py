"""Receipt printer: the port, the ESC/POS encoder, the real printer and the simulator."""

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
    "JournalEntry",
    "PrintJournal",
    "PrintResult",
    "PrinterError",
    "PrinterPort",
    "PrinterStatus",
    "SimPrinter",
    "encode_slip",
]
