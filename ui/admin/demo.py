"""DEMO ONLY: the demo agent's ID card for the simulated reader, the demo accounts, and a
button that swaps the card lying on the simulated reader (the villager's ↔ the agent's).

Real kiosks get their accounts from the county; `seed_if_demo` does nothing unless the kiosk
runs as the demo (`KioskConfig.extra["demo_accounts"] == "1"` or XIANGLI_DEMO_ACCOUNTS=1) and
has no account yet. Demo PINs: agent 246810 (with AGENT_DEMO_CARD), technician 135790.
"""

from __future__ import annotations

import logging
import os
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Property, QObject, Signal, Slot

from drivers.idcard.simulator import DEMO_CARD
from drivers.idcard.textblock import CardData, check_digit
from kiosk.accounts import seed_demo_accounts

if TYPE_CHECKING:
    from ui.app import KioskApp

log = logging.getLogger(__name__)

_AGENT_17 = "44162119850706031"  # 紫金县, born 1985-07-06, sequence 031 (odd: male); fictional
AGENT_DEMO_CARD = CardData(
    name="李建国",
    sex="男",
    ethnicity="汉",
    birth_date=date(1985, 7, 6),
    address="广东省河源市紫金县青溪镇示范村委会村部",
    id_number=_AGENT_17 + check_digit(_AGENT_17),
    authority="紫金县公安局",
    valid_from=date(2019, 8, 1),
    valid_to=date(2039, 8, 1),
    photo=bytes(range(255, -1, -1)) * 4,
)


def is_demo(kiosk: KioskApp) -> bool:
    return (
        kiosk.config.extra.get("demo_accounts") == "1"
        or os.environ.get("XIANGLI_DEMO_ACCOUNTS") == "1"
    )


def seed_if_demo(kiosk: KioskApp) -> None:
    if not is_demo(kiosk):
        return
    store, clock = kiosk.store, kiosk.clock

    def seeded(made: bool) -> None:
        if made:
            log.warning("DEMO accounts seeded (demo PINs; never on a real station)")

    kiosk.bg.run(lambda: seed_demo_accounts(store, AGENT_DEMO_CARD.id_number, clock), seeded)


class SimCardModel(QObject):
    """Which demo card lies on the *simulated* reader; invisible with a real reader."""

    changed = Signal()

    def __init__(self, kiosk: KioskApp) -> None:
        super().__init__()
        self._k = kiosk

    def _reader(self) -> object | None:
        from drivers.idcard.simulator import SimIdCardReader

        reader = self._k.devices.made("idcard")
        return reader if isinstance(reader, SimIdCardReader) else None

    @Property(bool, notify=changed)
    def available(self) -> bool:
        return self._reader() is not None

    @Property(str, notify=changed)
    def holder(self) -> str:
        reader = self._reader()
        if reader is None:
            return ""
        agent = getattr(reader, "card", None) is AGENT_DEMO_CARD
        return self.tr("模拟读卡器上：代办员的卡") if agent else self.tr("模拟读卡器上：群众的卡")

    @Slot()
    def swap(self) -> None:
        reader = self._reader()
        if reader is not None:
            reader.card = DEMO_CARD if reader.card is AGENT_DEMO_CARD else AGENT_DEMO_CARD  # type: ignore[attr-defined]
            self.changed.emit()
