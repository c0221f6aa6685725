"""An application's material photos, page by page, and where the case is routed: what is saved
with the case and what the county is sent."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from kiosk.casestore import get_case, recent_cases
from kiosk.catalog import Catalog, ServiceItem
from kiosk.clock import Clock
from kiosk.commands import CommandError, MaterialPhoto, Terminal, case_materials, submit_payload
from kiosk.store import Store
from kiosk.workdays import WorkCalendar
from tests.core.helpers import submit


@pytest.fixture(scope="module")
def two_page_item(catalog: Catalog) -> ServiceItem:
    """An item whose 户口簿 is photographed as two pages (首页, 本人页)."""
    return next(i for i in catalog.items if any(m.pages == ("首页", "本人页") for m in i.materials))


def _photo(tmp_path: Path, name: str, page: int = 1) -> MaterialPhoto:
    data = f"{name}:{page}".encode() * 20
    sha = hashlib.sha256(data).hexdigest()
    path = tmp_path / f"{sha}.jpg"
    path.write_bytes(data)
    return MaterialPhoto(name, sha, len(data), str(path), page=page)


def test_the_case_carries_its_department_and_level_to_the_hub(
    store: Store,
    two_page_item: ServiceItem,
    clock: Clock,
    terminal: Terminal,
    calendar: WorkCalendar,
) -> None:
    case = submit(store, two_page_item, clock, terminal, calendar)
    assert (case.department, case.level) == (two_page_item.department, two_page_item.level)
    stored = get_case(store, case.id)
    assert stored is not None
    assert (stored.department, stored.level) == (two_page_item.department, two_page_item.level)
    [op] = store.pending_ops()
    assert op.payload["department"] == two_page_item.department
    assert op.payload["level"] == two_page_item.level
    assert submit_payload(stored)["department"] == two_page_item.department


def test_each_page_is_its_own_row_and_is_sent_with_its_number(
    store: Store,
    two_page_item: ServiceItem,
    clock: Clock,
    terminal: Terminal,
    calendar: WorkCalendar,
    tmp_path: Path,
) -> None:
    photos = [_photo(tmp_path, "居民身份证"), _photo(tmp_path, "户口簿", 1)]
    photos.append(_photo(tmp_path, "户口簿", 2))
    case = submit(store, two_page_item, clock, terminal, calendar, materials=photos)
    rows = list(
        store.db().query(
            "SELECT name, page, purpose, sha256 FROM case_materials WHERE case_id = ?"
            " ORDER BY page, name",
            [case.id],
        )
    )
    assert sorted((r["name"], r["page"], r["purpose"]) for r in rows) == [
        ("居民身份证", 1, "apply"),
        ("户口簿", 1, "apply"),
        ("户口簿", 2, "apply"),
    ]
    assert [(m.name, m.page) for m in case_materials(store, case.id, purpose="apply")] == [
        (p.name, p.page) for p in photos
    ]
    [op] = store.pending_ops()
    assert op.payload["materials"] == [
        {"name": p.name, "page": p.page, "sha256": p.sha256, "size": p.size} for p in photos
    ]


def test_photos_are_queued_for_upload_with_the_case_or_not_at_all(
    store: Store,
    two_page_item: ServiceItem,
    clock: Clock,
    terminal: Terminal,
    calendar: WorkCalendar,
    tmp_path: Path,
) -> None:
    from sync.blobs import blob_status, queue_blob_in

    photos = [_photo(tmp_path, "户口簿", 1), _photo(tmp_path, "户口簿", 2)]
    seen: list[bool] = []

    def queue(db: Any, case_id: str, photo: MaterialPhoto, at: str) -> None:
        seen.append(db.conn.in_transaction)
        queue_blob_in(db, case_id, photo.sha256, photo.path, photo.size, at)

    case = submit(
        store, two_page_item, clock, terminal, calendar, materials=photos, queue_upload=queue
    )
    assert seen == [True, True]
    assert blob_status(store, case.id).total == 2

    def broken(db: Any, case_id: str, photo: MaterialPhoto, at: str) -> None:
        queue_blob_in(db, case_id, photo.sha256, photo.path, photo.size, at)
        raise OSError("no space left")

    more = [_photo(tmp_path, "居民身份证")]
    with pytest.raises(OSError):
        submit(store, two_page_item, clock, terminal, calendar, materials=more, queue_upload=broken)
    assert [c.id for c in recent_cases(store)] == [case.id]  # the second case was not saved
    assert store.db().execute("SELECT count(*) FROM sync_blobs").fetchone()[0] == 2
    assert store.pending_count() == 1


def test_a_photo_not_on_disk_is_not_saved_with_the_case(
    store: Store,
    two_page_item: ServiceItem,
    clock: Clock,
    terminal: Terminal,
    calendar: WorkCalendar,
    tmp_path: Path,
) -> None:
    photo = _photo(tmp_path, "户口簿", 2)
    Path(photo.path).write_bytes(b"cut short")  # not the file that was fingerprinted
    with pytest.raises(CommandError, match="“户口簿”的照片没有保存好，请重拍"):
        submit(store, two_page_item, clock, terminal, calendar, materials=[photo])
    assert recent_cases(store) == [] and store.pending_count() == 0
