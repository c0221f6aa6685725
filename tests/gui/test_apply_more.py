"""Applying without a card, with material photos, and for a relative."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from kiosk.casestore import recent_cases
from kiosk.commands import case_materials
from kiosk.idnumber import check_digit
from ui.app import KioskApp
from ui.driving import exists, tap, text_of, type_text


def _open_apply(kiosk: KioskApp) -> None:
    item = next(i for i in kiosk.catalog.items if len(i.materials) >= 2)
    kiosk.apply.start(item.code)
    kiosk.nav.go("apply")


def test_typed_id_number_is_checked_then_taken(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    _open_apply(kiosk)
    tap(w, "typeIdButton")
    tap(w, "typedName")
    type_text(w, "Li")
    tap(w, "typedId")
    type_text(w, "110105194912310021")  # wrong check digit
    tap(w, "typedOk")
    assert "校验位" in kiosk.apply.error and exists(w, "applyError")
    assert not kiosk.apply.hasApplicant
    find_id = w  # the same field, corrected
    tap(find_id, "typedId")
    for _ in range(18):
        type_text(w, "\b")
    kiosk.apply.typeApplicant("李四", "11010519491231002X")
    assert kiosk.apply.hasApplicant and "*" in text_of(w, "idMasked")


def test_materials_are_photographed_and_saved_with_the_case(
    kiosk: KioskApp, tmp_path: Path
) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    _open_apply(kiosk)
    tap(w, "readCardButton")
    assert exists(w, "missingMaterials")
    tap(w, "capture_1")  # the card was read: no photo of it (capture_0) is asked for
    tap(w, "capture_2")
    rows = kiosk.apply.materials
    assert rows[1]["captured"] and rows[2]["captured"]
    tap(w, "submitButton")
    assert kiosk.nav.page == "receipt"
    [case] = recent_cases(kiosk.store)
    photos = case_materials(kiosk.store, case.id)
    assert len(photos) == 2 and all(Path(p.path).exists() for p in photos)
    assert all(Path(p.path).stat().st_size <= 300 * 1024 for p in photos)  # the 高拍仪 budget
    [op] = kiosk.store.pending_ops()
    assert [m.get("sha256") for m in op.payload["materials"] if not m.get("card_read")] == [
        p.sha256 for p in photos
    ]


def test_photos_of_an_abandoned_application_are_deleted(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    _open_apply(kiosk)
    tap(w, "readCardButton")
    tap(w, "capture_2")
    path = Path(kiosk.apply.materials[2]["photo"].removeprefix("file://"))
    assert path.exists()
    tap(w, "homeButton")  # the villager walks away
    assert not path.exists()


def test_applying_for_a_relative_needs_both_cards(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    _open_apply(kiosk)
    tap(w, "proxyToggle")
    tap(w, "readCardButton")  # the relative's card
    assert not exists(w, "submitButton") and exists(w, "readProxyCardButton")
    tap(w, "readProxyCardButton")  # the same card again: refused
    assert "申请人本人" in kiosk.apply.error
    body = "11010519800101003"
    from drivers.idcard.simulator import DEMO_CARD

    kiosk.devices.idcard.card = replace(
        DEMO_CARD,
        name="王建国",
        id_number=body + check_digit(body),
        sex="男",
        birth_date=date(1980, 1, 1),
    )
    tap(w, "readProxyCardButton")
    assert kiosk.apply.hasProxy, kiosk.apply.error
    assert "王建国" in text_of(w, "proxyLine")
    tap(w, "submitButton")
    [op] = kiosk.store.pending_ops()
    assert (
        op.payload["proxy"]["name"] == "王建国"
        and op.payload["applicant"]["name"] == DEMO_CARD.name
    )


def test_photos_are_queued_for_upload_after_the_case(kiosk: KioskApp) -> None:
    from sync.blobs import blob_status

    w = kiosk.window  # type: ignore[attr-defined]
    _open_apply(kiosk)
    tap(w, "readCardButton")
    tap(w, "capture_2")
    tap(w, "submitButton")
    [case] = recent_cases(kiosk.store)
    assert blob_status(kiosk.store, case.id).label == "材料上传中"
    tap(w, "viewProgressButton")
    assert "材料上传中" in text_of(w, "photoStatus")
