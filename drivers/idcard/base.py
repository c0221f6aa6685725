"""The ID-card reader port and its errors.

`read_card` blocks until a card is read or the timeout passes, so it runs on the reader's device
thread, never on the GUI thread. Errors carry a Chinese message for the villager; they never
carry card data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from drivers.idcard.textblock import CardData


class CardReadError(Exception):
    """The card could not be read correctly. Never a partial or wrong person."""

    def __init__(self, message_zh: str, code: str = "read_error") -> None:
        super().__init__(message_zh)
        self.message_zh = message_zh
        self.code = code


class NoCard(CardReadError):
    """No card was put on the reader before the timeout."""

    def __init__(self, message_zh: str = "没有读到身份证，请把身份证平放在读卡区。") -> None:
        super().__init__(message_zh, "no_card")


class ReaderUnavailable(CardReadError):
    """The reader is not connected (no serial port, or it does not answer)."""

    def __init__(self, message_zh: str = "身份证阅读器没有连接，请联系代办员。") -> None:
        super().__init__(message_zh, "reader_unavailable")


@runtime_checkable
class IdCardReaderPort(Protocol):
    def read_card(self, timeout_s: float = 10.0) -> CardData: ...
