"""A material of several pages on the application screen: each page photographed, retaken or
removed on its own, the checklist counting pages, every page saved as its own row."""

from __future__ import annotations

from pathlib import Path

from kiosk.casestore import recent_cases
from kiosk.catalog import ServiceItem
from kiosk.commands import case_materials
from ui.app import KioskApp
from ui.driving import exists, find, tap, text_of


def _two_page_item(kiosk: KioskApp) -> ServiceItem:
    """城乡居民基本养老保险参保登记: 居民身份证, 户口簿 (首页, 本人页), 参保登记表."""
    return next(
        i
        for i in kiosk.catalog.items
        if [len(m.pages) for m in i.materials[:2]] == [0, 2] and len(i.materials) == 3
    )


def _open(kiosk: KioskApp) -> ServiceItem:
    item = _two_page_item(kiosk)
    kiosk.apply.start(item.code)
    kiosk.nav.go("apply")
    tap(kiosk.window, "readCardButton")  # type: ignore[attr-defined]
    return item


def _path(url: object) -> Path:
    return Path(str(url).removeprefix("file://"))


def test_each_page_is_taken_retaken_and_removed_and_the_checklist_counts_pages(
    kiosk: KioskApp,
) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    item = _open(kiosk)
    form = item.materials[2].name
    assert text_of(w, "missingMaterials").startswith(
        f"还差3页没拍：户口簿（首页、本人页）、{form}。"  # the card was read: no photo of it
    )
    tap(w, "capture_1")  # the 户口簿's 首页
    assert "共2页，已拍1页" in text_of(w, "materialTitle_1")
    assert text_of(w, "missingMaterials").startswith(f"还差2页没拍：户口簿（本人页）、{form}。")
    tap(w, "capture_1_2")  # its 本人页
    pages = kiosk.apply.materials[1]["pages"]
    assert [p["captured"] for p in pages] == [True, True] and kiosk.apply.materials[1]["complete"]
    assert "户口簿" not in text_of(w, "missingMaterials")
    first, second = _path(pages[0]["photo"]), _path(pages[1]["photo"])
    assert first.exists() and second.exists() and first != second

    tap(w, "capture_1")  # 重拍 the 首页: a new photo, the old one is gone
    retaken = _path(kiosk.apply.materials[1]["pages"][0]["photo"])
    assert retaken != first and retaken.exists() and not first.exists()

    tap(w, "remove_1_2")  # the 本人页 again taken away
    assert not second.exists() and not exists(w, "remove_1_2")
    assert [p["captured"] for p in kiosk.apply.materials[1]["pages"]] == [True, False]
    assert "户口簿（本人页）" in text_of(w, "missingMaterials")
    assert "共2页，已拍1页" in text_of(w, "materialTitle_1")

    tap(w, "capture_1_2")
    assert text_of(w, "missingMaterials").startswith(f"还差1页没拍：{form}。")
    tap(w, "submitButton")
    assert kiosk.nav.page == "receipt"
    [case] = recent_cases(kiosk.store)
    rows = case_materials(kiosk.store, case.id, purpose="apply")
    assert [(r.name, r.page) for r in rows] == [("户口簿", 1), ("户口簿", 2)]
    assert all(Path(r.path).exists() for r in rows)
    [op] = kiosk.store.pending_ops()
    assert [(m["name"], m["page"]) for m in op.payload["materials"]] == [
        ("户口簿", 1),
        ("户口簿", 2),
        ("居民身份证", 1),  # read from the card, not photographed
    ]
    assert (op.payload["department"], op.payload["level"]) == (item.department, item.level)
    assert (case.department, case.level) == (item.department, item.level)

    from sync.blobs import blob_status

    assert blob_status(kiosk.store, case.id).total == 2  # queued with the case


def test_a_removed_page_that_a_saved_case_also_holds_keeps_the_cases_file(
    kiosk: KioskApp,
) -> None:
    """A photo is named by its content: removing (or abandoning) a page that is byte for byte a
    saved case's photo must not delete the file the case names."""
    w = kiosk.window  # type: ignore[attr-defined]
    _open(kiosk)
    tap(w, "capture_2")
    tap(w, "submitButton")
    [case] = recent_cases(kiosk.store)
    [saved] = case_materials(kiosk.store, case.id)

    _open(kiosk)
    kiosk.devices.doccam.captures = 0  # the simulator takes the very same picture again
    tap(w, "capture_2")
    assert kiosk.apply.materials[2]["pages"][0]["photo"].endswith(f"{saved.sha256}.jpg")
    tap(w, "remove_2_1")
    assert Path(saved.path).exists()
    kiosk.devices.doccam.captures = 0
    tap(w, "capture_2")
    tap(w, "homeButton")  # walked away: unsaved photos go, the case's stays
    assert Path(saved.path).exists()


def test_a_failed_photo_says_why_and_the_page_is_taken_again(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    _open(kiosk)
    kiosk.devices.doccam.plugged = False
    tap(w, "capture_1_2")
    # Plain words: what to do, not the technician's (高拍仪, USB) that the driver reports.
    assert kiosk.apply.error == "拍照的摄像头现在用不了，请找代办员帮忙" and exists(w, "applyError")
    assert find(w, "capture_1").isEnabled() and not kiosk.apply.busy
    kiosk.devices.doccam.plugged = True
    tap(w, "capture_1_2")
    assert kiosk.apply.error == ""
    assert [p["captured"] for p in kiosk.apply.materials[1]["pages"]] == [False, True]
