"""DEMO ONLY, composed by the demo (ui/demo.py) and by nothing else: the demo agent's ID card
for the simulated reader, the demo accounts with their known PINs (agent 246810 with
AGENT_DEMO_CARD, technician 135790), and the cards the simulated reader's button swaps.

The production composition root (ui.app, ui.admin.install) does not import this module: a real
kiosk gets its accounts from the county, and no setting or environment variable turns demo
accounts on there.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import TYPE_CHECKING

from drivers.idcard.simulator import DEMO_CARD
from drivers.idcard.textblock import CardData, check_digit
from kiosk.accounts import seed_demo_accounts
from ui.admin.simcard import SimCardModel

if TYPE_CHECKING:
    from ui.app import KioskApp

__all__ = ["AGENT_DEMO_CARD", "SimCardModel", "compose_demo"]  # SimCardModel: moved, re-exported

log = logging.getLogger(__name__)

_AGENT_17 = "35099919850706031"  # the demo 青山县, born 1985-07-06, 031 (odd: male); fictional
AGENT_DEMO_CARD = CardData(
    name="李建国",
    sex="男",
    ethnicity="汉",
    birth_date=date(1985, 7, 6),
    address="福建省宁德市青山县溪口镇石门村村民委员会",
    id_number=_AGENT_17 + check_digit(_AGENT_17),
    authority="青山县公安局",
    valid_from=date(2019, 8, 1),
    valid_to=date(2039, 8, 1),
    photo=bytes(range(255, -1, -1)) * 4,
)


def compose_demo(kiosk: KioskApp) -> None:
    """The demo's additions to a composed kiosk: its accounts (only when the kiosk has none)
    and the two cards the simulated reader's button swaps. Call before `kiosk.start()`."""
    if seed_demo_accounts(kiosk.store, AGENT_DEMO_CARD.id_number, kiosk.clock):
        log.warning("DEMO accounts seeded (demo PINs; never on a real station)")
    sim = kiosk.extra_models.get("simCardModel")
    if isinstance(sim, SimCardModel):
        sim.offer(
            [("模拟读卡器上：群众的卡", DEMO_CARD), ("模拟读卡器上：代办员的卡", AGENT_DEMO_CARD)]
        )
