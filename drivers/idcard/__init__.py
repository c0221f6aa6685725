"""Resident ID-card reader: the port, the text-block parser, GA/T 467 and the simulator."""

from drivers.idcard.base import CardReadError, IdCardReaderPort, NoCard, ReaderUnavailable
from drivers.idcard.simulator import SimIdCardReader
from drivers.idcard.textblock import CardData, parse_text_block

__all__ = [
    "CardData",
    "CardReadError",
    "IdCardReaderPort",
    "NoCard",
    "ReaderUnavailable",
    "SimIdCardReader",
    "parse_text_block",
]
