"""Record ids made where the record is created (ULIDs), never database rowids.

A ULID sorts by creation time and needs no coordination between kiosks, so sync and printing
can be idempotent on it. Any thread may call `new_id`.
"""

from __future__ import annotations

from ulid import ULID


def new_id() -> str:
    return str(ULID())
