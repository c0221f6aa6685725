"""Catalog versions the county publishes through sync (`catalog.version`).

Each version is validated in full before it is kept (a broken one is skipped, never half
applied) and stored whole; the newest one received is the kiosk's catalog. A case keeps the
version it was filed under (`Case.catalog_version`), so a later version never rewrites history.
"""

from __future__ import annotations

import json
from typing import Any

from kiosk.catalog import Catalog, catalog_from_dict
from kiosk.sqlrows import Database
from kiosk.store import Store


def apply_catalog(db: Database, payload: dict[str, Any], at: str) -> str:
    catalog = catalog_from_dict(payload)  # raises CatalogError (a ValueError) naming the bad item
    db.table("catalogs").upsert(
        {
            "version": catalog.version,
            "data": json.dumps(payload, ensure_ascii=False),
            "received_at": at,
        },
        pk="version",
    )
    return catalog.version


def current_catalog(store: Store) -> Catalog | None:
    """The newest catalog the county sent, or None (the kiosk then uses its installed one)."""
    rows = store.db().query("SELECT data FROM catalogs ORDER BY received_at DESC, version DESC")
    for row in rows:
        try:
            return catalog_from_dict(json.loads(row["data"]))
        except ValueError:
            continue  # validated when stored; a damaged row must not stop the kiosk
    return None
