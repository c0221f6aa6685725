"""Plain INSERTs for the hot write paths (a villager's submit, the outbox, the audit chain).

sqlite-utils' `table(...).insert` reads the table's schema first, several statements on every
call; a villager's submit does a handful of inserts in one transaction and waits for each.
These run one statement each, inside the caller's transaction. Any thread, its own connection.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database


def insert_row(db: Database, table: str, row: dict[str, Any]) -> None:
    """INSERT one row; `table` and the keys are the code's own names, never input."""
    columns = ", ".join(f'"{c}"' for c in row)
    marks = ", ".join("?" for _ in row)
    db.execute(f'INSERT INTO "{table}" ({columns}) VALUES ({marks})', list(row.values()))


def put_value(db: Database, key: str, value: str) -> None:
    """Set a key of the `kv` table."""
    db.execute(
        "INSERT INTO kv (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, value],
    )
