"""Each home tile opens a page of its own, with its own title (issue 18): 办事指南 browses guides,
我要办理 starts an application, 服务评价 finds the case to rate; tapped through the real QML."""

from __future__ import annotations

from drivers.idcard.simulator import DEMO_CARD
from kiosk.caseno import qr_payload
from kiosk.cases import Applicant, Case
from kiosk.commands import submit_application
from kiosk.county import apply_changes
from ui.app import KioskApp
from ui.driving import exists, settle, tap, tap_field, text_of, type_text

TILES = {
    "tileGuide": "categories",
    "tileApply": "applyStart",
    "tileProgress": "progress",
    "tileRate": "rateFind",
    "tileNotices": "notices",
    "tileAppointments": "appointments",
    "tileFeedback": "feedback",
    "tileHelp": "help",
}


def _shown_page(kiosk: KioskApp) -> object:
    return kiosk.window.findChild(object, "pageLoader").property("item")  # type: ignore[attr-defined]


def _file(kiosk: KioskApp) -> Case:
    item = next(i for i in kiosk.catalog.items if i.kind == "promised")
    return submit_application(
        kiosk.store,
        item=item,
        catalog_version=kiosk.catalog.version,
        applicant=Applicant(DEMO_CARD.name, DEMO_CARD.id_number, DEMO_CARD.address),
        terminal=kiosk.terminal,
        calendar=kiosk.calendar,
        clock=kiosk.clock,
    )


def _complete(kiosk: KioskApp, case: Case) -> None:
    change = {
        "kind": "case.status",
        "record_id": case.id,
        "payload": {
            "case_id": case.id,
            "case_no": case.case_no,
            "status": "completed",
            "reason": "",
            "result": "准予登记",
        },
    }
    assert apply_changes(kiosk.store, [change], "e:1").skipped == 0
    settle(kiosk.window)  # type: ignore[attr-defined]


def test_each_tile_opens_its_own_page_with_its_own_title(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    titles: dict[str, str] = {}
    names: dict[str, str] = {}
    for tile, page in TILES.items():
        tap(w, tile)
        assert kiosk.nav.page == page, tile
        shown = _shown_page(kiosk)
        titles[tile] = str(shown.property("title"))  # type: ignore[attr-defined]
        names[tile] = shown.objectName()  # type: ignore[attr-defined]
        tap(w, "homeButton")
    assert len(set(titles.values())) == len(TILES), titles  # no two tiles share a title
    assert len(set(names.values())) == len(TILES), names
    assert "办事指南" in titles["tileGuide"] and "我要办理" in titles["tileApply"]
    assert "服务评价" in titles["tileRate"] and "进度" not in titles["tileRate"]


def test_guide_reads_and_apply_says_the_steps_to_applying(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    category = kiosk.catalog.categories[0]
    item = kiosk.catalog.items_in(category.code)[0]
    tap(w, "tileGuide")
    assert exists(w, "guideIntro") and not exists(w, "applySteps")
    assert "明白卡" in text_of(w, "guideIntro")
    tap(w, "homeButton")
    tap(w, "tileApply")
    assert exists(w, "applySteps") and not exists(w, "guideIntro")
    assert "刷身份证" in text_of(w, "applySteps")
    tap(w, f"category_{category.code}")
    tap(w, f"item_{item.code}")
    tap(w, "applyButton")
    assert kiosk.nav.page == "apply"


def test_rating_tile_finds_the_case_by_its_receipt_and_rates_it_from_there(
    kiosk: KioskApp,
) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    open_case, done_case = _file(kiosk), _file(kiosk)
    _complete(kiosk, done_case)
    tap(w, "tileRate")
    assert "扫码口" in text_of(w, "rateFindPrompt")
    # A case still being handled: found and named, but not to be rated yet.
    kiosk.devices.scanner.feed_text(qr_payload(open_case.case_no, open_case.id))
    assert kiosk.nav.page == "rateFind"  # the scan stays on the rating's own page
    assert open_case.item_name in text_of(w, "rateFoundItem")
    assert "还没有办好" in text_of(w, "rateFoundWhy") and not exists(w, "rateThisButton")
    tap(w, "rateAnotherButton")
    # A completed one: rated from here.
    kiosk.devices.scanner.feed_text(qr_payload(done_case.case_no, done_case.id))
    assert done_case.item_name in text_of(w, "rateFoundItem")
    tap(w, "rateThisButton")
    assert kiosk.nav.page == "rate" and kiosk.progress.caseId == done_case.id


def test_rating_tile_finds_a_case_by_its_typed_number(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    case = _file(kiosk)
    _complete(kiosk, case)
    tap(w, "tileRate")
    tap_field(w, "rateCaseNoField")
    type_text(w, case.case_no)
    tap_field(w, "rateLast4Field")
    type_text(w, DEMO_CARD.id_number[-4:])
    tap(w, "rateLookupButton")
    assert exists(w, "rateThisButton")
    tap(w, "rateThisButton")
    assert kiosk.nav.page == "rate"
