"""The county publishes catalog versions through sync; the kiosk keeps only valid ones."""

from __future__ import annotations

import copy

from kiosk.catalog import catalog_to_dict, load_demo_catalog
from kiosk.catalogstore import current_catalog
from kiosk.county import apply_changes
from kiosk.store import Store


def _version(v: str, rename: str = "") -> dict:
    data = copy.deepcopy(catalog_to_dict(load_demo_catalog()))
    data["version"] = v
    if rename:
        data["items"][0]["name"] = rename
    return data


def test_newest_valid_version_wins_and_a_broken_one_is_skipped(store: Store) -> None:
    assert current_catalog(store) is None
    applied = apply_changes(
        store,
        [
            {
                "kind": "catalog.version",
                "record_id": "2027.1",
                "payload": _version("2027.1", "城乡居民基本养老保险参保登记（新）"),
            }
        ],
        "e:1",
    )
    assert "catalogs" in applied.tables
    assert current_catalog(store).version == "2027.1"  # type: ignore[union-attr]
    broken = _version("2027.2")
    broken["items"][1]["category"] = "no-such-category"
    applied = apply_changes(store, [{"kind": "catalog.version", "payload": broken}], "e:2")
    assert applied.skipped == 1 and "no-such-category" in applied.problems[0]
    cat = current_catalog(store)
    assert cat is not None and cat.version == "2027.1" and cat.items[0].name.endswith("（新）")
