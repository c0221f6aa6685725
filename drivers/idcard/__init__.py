"""Resident ID-card reader: the port, the text-block parser, GA/T 467 and the simulator.

Only the descriptor (`DEVICE`, drivers.descriptor) is imported with the package; the rest loads
at its first use, so the kiosk can list its devices at start-up without loading their code.
"""

from typing import TYPE_CHECKING

from drivers.descriptor import lazy_exports
from drivers.idcard.device import DEVICE

if TYPE_CHECKING:
    from drivers.idcard.base import CardReadError, IdCardReaderPort, NoCard, ReaderUnavailable
    from drivers.idcard.simulator import SimIdCardReader
    from drivers.idcard.textblock import CardData, parse_text_block

__all__ = [
    "DEVICE",
    "CardData",
    "CardReadError",
    "IdCardReaderPort",
    "NoCard",
    "ReaderUnavailable",
    "SimIdCardReader",
    "parse_text_block",
]

__getattr__ = lazy_exports(
    __name__,
    {
        "CardReadError": "drivers.idcard.base",
        "IdCardReaderPort": "drivers.idcard.base",
        "NoCard": "drivers.idcard.base",
        "ReaderUnavailable": "drivers.idcard.base",
        "SimIdCardReader": "drivers.idcard.simulator",
        "CardData": "drivers.idcard.textblock",
        "parse_text_block": "drivers.idcard.textblock",
    },
)
