"""This kiosk's identity (`Terminal`), apart from the commands that stamp it on what they write:
the composition root makes it before the first frame, the commands' module loads after it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Terminal:
    """This kiosk's identity: its id (ULID) and the 4-character code on its case numbers."""

    id: str
    code: str
    name: str = ""
    region_code: str = ""  # the village's administrative division code, for rating records
