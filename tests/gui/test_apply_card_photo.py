"""The guide says the ID card needs no copy: when the applicant's card was read, applying does
not ask for its photo. The card's material shows as done by the card, has no 拍照, is not
missing, and the case says why it has no photo of it (its history at the kiosk, its material
list at the county). A number typed by hand still asks for the card's photo."""

from __future__ import annotations

from kiosk.casestore import recent_cases
from kiosk.catalog import ServiceItem
from kiosk.commands import case_materials
from ui.app import KioskApp
from ui.driving import exists, find, tap, text_of


def _item(kiosk: KioskApp) -> ServiceItem:
    """An item whose first material is the applicant's ID card and that asks for more."""
    return next(
        i
        for i in kiosk.catalog.items
        if i.materials[0].name == "居民身份证" and len(i.materials) >= 2
    )


def _open(kiosk: KioskApp) -> ServiceItem:
    item = _item(kiosk)
    kiosk.apply.start(item.code)
    kiosk.nav.go("apply")
    return item


def test_a_read_card_is_not_photographed_and_the_case_says_why(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    item = _open(kiosk)
    tap(w, "readCardButton")
    assert kiosk.apply.hasApplicant
    assert not exists(w, "capture_0")  # no 拍照 for the card that was just read
    assert "已读取身份证，不用拍照" in text_of(w, "materialTitle_0")
    assert "居民身份证" not in text_of(w, "missingMaterials")
    assert kiosk.apply.materials[0]["complete"] and kiosk.apply.materials[0]["cardRead"]
    kiosk.apply.capturePage(0, 1)  # not even from elsewhere
    assert kiosk.apply.materials[0]["pages"] == []

    tap(w, "capture_1")
    tap(w, "submitButton")
    assert kiosk.nav.page == "receipt"
    [case] = recent_cases(kiosk.store)
    assert [m.name for m in case_materials(kiosk.store, case.id)] == [item.materials[1].name]
    # The history the agent sees at the kiosk says why there is no photo of the card.
    [note] = (
        kiosk.store.db()
        .execute("SELECT note FROM case_events WHERE case_id = ? AND action = 'submit'", [case.id])
        .fetchone()
    )
    assert note == "居民身份证：已读卡核验，未拍照"
    # The county's material list names the card as read, with no photo to wait for.
    [op] = kiosk.store.pending_ops()
    card = [m for m in op.payload["materials"] if m["name"] == "居民身份证"]
    assert card == [{"name": "居民身份证", "page": 1, "card_read": True}]


def test_a_typed_number_still_asks_for_the_cards_photo(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    _open(kiosk)
    kiosk.apply.typeApplicant("李四", "11010519491231002X")
    assert kiosk.apply.hasApplicant
    assert find(w, "capture_0").isVisible()
    assert "居民身份证" in text_of(w, "missingMaterials")
    assert not kiosk.apply.materials[0]["cardRead"]
    tap(w, "capture_0")
    tap(w, "submitButton")
    [op] = kiosk.store.pending_ops()
    assert [m["name"] for m in op.payload["materials"]] == ["居民身份证"]
    assert "card_read" not in op.payload["materials"][0]
