"""Which card lies on the *simulated* ID-card reader, and a button that changes it.

Invisible unless whoever composed the kiosk offered more than one card (`offer`) and the reader is
made: the demo, whose reader is the simulator, offers the villager's card and its agent's
(ui/admin/demo.py). A real kiosk, and the production composition root, offer none. Knows no
driver (ui.admin may not import drivers/): a card is whatever the simulated reader's `card`
holds. GUI thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Property, QObject, Signal, Slot

if TYPE_CHECKING:
    from ui.app import KioskApp


class SimCardModel(QObject):
    changed = Signal()

    def __init__(self, kiosk: KioskApp) -> None:
        super().__init__()
        self._k = kiosk
        self._cards: list[tuple[str, object]] = []

    def offer(self, cards: list[tuple[str, object]]) -> None:
        """The cards the button cycles through, each with what the button says of it."""
        self._cards = list(cards)
        self.changed.emit()

    def _reader(self) -> object | None:
        return self._k.devices.made("idcard") if self._cards else None

    def _current(self) -> int:
        reader = self._reader()
        card = getattr(reader, "card", None)
        return next((i for i, (_, c) in enumerate(self._cards) if c is card), -1)

    @Property(bool, notify=changed)
    def available(self) -> bool:
        return self._reader() is not None and len(self._cards) > 1

    @Property(str, notify=changed)
    def holder(self) -> str:
        i = self._current()
        return self._cards[i][0] if self.available and i >= 0 else ""

    @Slot()
    def swap(self) -> None:
        reader = self._reader()
        if reader is None or len(self._cards) < 2:
            return
        reader.card = self._cards[(self._current() + 1) % len(self._cards)][1]  # type: ignore[attr-defined]
        self.changed.emit()
