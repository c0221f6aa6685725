"""The store's connection as the kiosk uses it: plain sqlite3, no library on the start path.

`Database` wraps one `sqlite3.Connection` (autocommit mode: the store's `write()` opens and
ends every transaction) with what the kiosk's code asks of it: `execute`, `query` (rows as
dicts), and a table's `insert`, `upsert` and `update`, one statement each, inside the caller's
transaction. It stands where sqlite-utils' `Database` stood and behaves as it did for these
calls (a row's dict, list or tuple values are stored as JSON, dates as ISO text; duplicate
column names in a query's rows are told apart as `name_2`, ...); sqlite-utils itself, with the
CLI and plugin machinery it imports (click, pluggy: a tenth of a second), loads only when a
migration has to run (`Migrations`), which a kiosk does once per upgrade, not at every start.

Any thread, each with its own connection (kiosk.store).
"""

from __future__ import annotations

import datetime
import json
import sqlite3
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

Params = Sequence[Any] | dict[str, Any] | None


class NotFoundError(LookupError):
    """`Table.update` of a row that is not there."""


def _value(value: Any) -> Any:
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, default=repr, ensure_ascii=False)
    if isinstance(value, datetime.date | datetime.time):  # datetime is a date
        return value.isoformat()
    return value


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def dedupe_keys(keys: Iterable[str]) -> list[str]:
    """Column names made unique as sqlite-utils made them: a later `id` becomes `id_2`
    (`id_3`, ... skipping a name another column already has)."""
    keys = list(keys)
    taken = set(keys)
    if len(taken) == len(keys):
        return keys
    seen: set[str] = set()
    out = []
    for key in keys:
        if key in seen:
            n = 2
            while f"{key}_{n}" in taken:
                n += 1
            key = f"{key}_{n}"
            taken.add(key)
        seen.add(key)
        out.append(key)
    return out


class Database:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._pks: dict[str, list[str]] = {}

    def execute(self, sql: str, parameters: Params = None) -> sqlite3.Cursor:
        if parameters is None:
            return self.conn.execute(sql)
        return self.conn.execute(sql, parameters)

    def query(self, sql: str, params: Params = None) -> Iterator[dict[str, Any]]:
        """Runs `sql` now; its rows, as dicts, as they are read."""
        cursor = self.execute(sql, params)
        if cursor.description is None:
            raise ValueError("query() is for SQL that returns rows: use execute()")
        keys = dedupe_keys(d[0] for d in cursor.description)
        return (dict(zip(keys, row, strict=True)) for row in cursor)

    def table(self, name: str) -> Table:
        return Table(self, name)

    def close(self) -> None:
        self.conn.close()

    def primary_key(self, table: str) -> list[str]:
        """The table's primary key columns (`rowid` when it has none), read once."""
        pks = self._pks.get(table)
        if pks is None:
            info = self.conn.execute(f"PRAGMA table_info({_quoted(table)})").fetchall()
            if not info:
                raise sqlite3.OperationalError(f"no such table: {table}")
            pks = [r[1] for r in sorted(info, key=lambda r: r[5]) if r[5]] or ["rowid"]
            self._pks[table] = pks
        return pks


class Table:
    def __init__(self, db: Database, name: str) -> None:
        self.db = db
        self.name = name

    def exists(self) -> bool:
        found = self.db.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [self.name]
        ).fetchone()
        return found is not None

    def insert(self, row: dict[str, Any]) -> None:
        insert_row(self.db, self.name, row)

    def upsert(self, row: dict[str, Any], pk: str | Sequence[str]) -> None:
        """Inserts the row, or sets its columns (those given) where the key is taken."""
        keys = [pk] if isinstance(pk, str) else list(pk)
        columns = ", ".join(_quoted(c) for c in row)
        marks = ", ".join("?" for _ in row)
        rest = [c for c in row if c not in keys]
        conflict = ", ".join(_quoted(c) for c in keys)
        action = (
            "DO UPDATE SET " + ", ".join(f"{_quoted(c)} = excluded.{_quoted(c)}" for c in rest)
            if rest
            else "DO NOTHING"
        )
        self.db.execute(
            f"INSERT INTO {_quoted(self.name)} ({columns}) VALUES ({marks})"
            f" ON CONFLICT({conflict}) {action}",
            [_value(v) for v in row.values()],
        )

    def update(self, pk_value: Any, updates: dict[str, Any]) -> None:
        """Sets `updates` on the row whose primary key is `pk_value` (a tuple for a key of
        several columns); NotFoundError if there is no such row."""
        pks = self.db.primary_key(self.name)
        values = list(pk_value) if isinstance(pk_value, list | tuple) else [pk_value]
        if len(values) != len(pks):
            raise ValueError(f"{self.name}: the key is {pks}, not {values!r}")
        where = " AND ".join(f"{_quoted(c)} = ?" for c in pks)
        if not updates:
            found = self.db.execute(f"SELECT 1 FROM {_quoted(self.name)} WHERE {where}", values)
            if found.fetchone() is None:
                raise NotFoundError(f"{self.name}: no row {values!r}")
            return
        sets = ", ".join(f"{_quoted(c)} = ?" for c in updates)
        cursor = self.db.execute(
            f"UPDATE {_quoted(self.name)} SET {sets} WHERE {where}",
            [_value(v) for v in updates.values()] + values,
        )
        if cursor.rowcount == 0:
            raise NotFoundError(f"{self.name}: no row {values!r}")


def insert_row(db: Database, table: str, row: dict[str, Any]) -> None:
    """INSERT one row; `table` and the keys are the code's own names, never input."""
    columns = ", ".join(_quoted(c) for c in row)
    marks = ", ".join("?" for _ in row)
    db.execute(
        f"INSERT INTO {_quoted(table)} ({columns}) VALUES ({marks})",
        [_value(v) for v in row.values()],
    )


def put_value(db: Database, key: str, value: str) -> None:
    """Set a key of the `kv` table."""
    db.execute(
        "INSERT INTO kv (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, value],
    )


def _sqlite_utils() -> Any:
    """sqlite-utils, loaded with NumPy hidden: it imports NumPy, if installed, only to accept
    NumPy values in inserts, which the kiosk never makes (~0.12 s). NumPy itself imports
    normally afterwards."""
    if "sqlite_utils" not in sys.modules and "numpy" not in sys.modules:
        sys.modules["numpy"] = None  # type: ignore[assignment]
        try:
            import sqlite_utils
        finally:
            if sys.modules.get("numpy", 0) is None:
                del sys.modules["numpy"]
    import sqlite_utils

    return sqlite_utils


# A migration is handed sqlite-utils' own Database (its table().create, add_column, ...) on the
# same connection: the schema it makes is the one every kiosk's store already has.
Migration = Callable[[Any], None]

MIGRATIONS_TABLE = "_sqlite_migrations"


class Migrations:
    """A named set of migrations, kept in sqlite-utils' `_sqlite_migrations` table as sqlite-utils'
    `Migrations` keeps them (stores made before this class read the same). Which are pending is
    read with one query; only when some are does sqlite-utils load and apply them."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._migrations: list[tuple[str, Migration]] = []

    def __call__(self, *, name: str | None = None) -> Callable[[Migration], Migration]:
        def register(fn: Migration) -> Migration:
            given = name or fn.__name__  # type: ignore[attr-defined]
            if any(n == given for n, _ in self._migrations):
                raise ValueError(f"migration {given!r} is already in the set {self.name!r}")
            self._migrations.append((given, fn))
            return fn

        return register

    def pending(self, db: Any) -> list[str]:
        """The names not yet applied to `db` (this module's Database or sqlite-utils')."""
        conn: sqlite3.Connection = db.conn
        made = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [MIGRATIONS_TABLE]
        ).fetchone()
        done: set[str] = set()
        if made is not None:
            done = {
                r[0]
                for r in conn.execute(
                    f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ?", [self.name]
                )
            }
        return [n for n, _ in self._migrations if n not in done]

    def apply(self, db: Any, *, stop_before: str | None = None) -> None:
        """Applies the pending migrations in order, each in a transaction (a savepoint inside
        the caller's) with the record of it, through sqlite-utils' `Migrations`."""
        if stop_before is None and not self.pending(db):
            return
        sqlite_utils = _sqlite_utils()
        full = db if isinstance(db, sqlite_utils.Database) else sqlite_utils.Database(db.conn)
        real = sqlite_utils.Migrations(self.name)
        for name, fn in self._migrations:
            real(name=name)(fn)
        real.apply(full, stop_before=stop_before)
