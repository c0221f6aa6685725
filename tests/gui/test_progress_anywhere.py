"""The progress page (issue 14): where a case is and where to pick it up, a 联办件's parts, the
materials a case waits for, and a case filed at another kiosk asked of the county (read-only;
offline it says so)."""

from __future__ import annotations

from datetime import date

from drivers.idcard.simulator import DEMO_CARD
from kiosk.caseno import format_case_no, make_case_no, qr_payload
from kiosk.cases import Applicant, Case
from kiosk.commands import submit_application
from kiosk.county import apply_changes
from tests.gui.conftest import with_singleton
from tests.gui.fakes import FakeSupplement
from ui.app import KioskApp
from ui.driving import exists, settle, tap, tap_field, text_of, type_text
from ui.models.progress import LookupUnavailable

VILLAGER = Applicant(DEMO_CARD.name, DEMO_CARD.id_number, DEMO_CARD.address)
OTHER_NO = make_case_no(date(2026, 11, 20), "K007", 12)  # filed at another village's kiosk


def _file(kiosk: KioskApp, kind: str = "promised", **kw: object) -> Case:
    item = next(i for i in kiosk.catalog.items if i.kind == "promised" and i.materials)
    return submit_application(
        kiosk.store,
        item=item,
        catalog_version=kiosk.catalog.version,
        applicant=VILLAGER,
        terminal=kiosk.terminal,
        calendar=kiosk.calendar,
        clock=kiosk.clock,
        kind=kind,
        **kw,
    )


def _county(kiosk: KioskApp, case: Case, **payload: object) -> None:
    change = {
        "kind": "case.status",
        "record_id": case.id,
        "payload": {"case_id": case.id, "reason": "", "result": "", **payload},
    }
    assert apply_changes(kiosk.store, [change], "e:p").skipped == 0
    settle(kiosk.window)  # type: ignore[attr-defined]


def _open(kiosk: KioskApp, case: Case) -> None:
    kiosk.progress.openCase(case.id)
    kiosk.nav.go("progress")
    settle(kiosk.window)  # type: ignore[attr-defined]


def test_a_joint_case_says_where_it_is_and_how_each_part_goes(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    case = _file(kiosk, "joint", departments=("青山县民政局",))
    _county(
        kiosk,
        case,
        status="accepted",
        updated_at="2026-11-23T02:00:00Z",
        department="溪口镇社会保障服务所",
        level="town",
        parts=[
            {
                "department": "溪口镇社会保障服务所",
                "status": "pending",
                "due_date": "2026-12-04",
                "lead": True,
            },
            {
                "department": "青山县民政局",
                "status": "done",
                "due_date": "2026-12-01",
                "done_at": "2026-11-24T02:00:00Z",
            },
        ],
        promised_date="2026-12-07",
    )
    _open(kiosk, case)
    assert "在溪口镇社会保障服务所办理中" in text_of(w, "whereNow")
    assert kiosk.config.station in text_of(w, "pickupPlace")
    assert "承诺办结：2026年12月7日" in text_of(w, "promisedText")
    assert kiosk.progress.parts == [
        {
            "department": "溪口镇社会保障服务所（主办）",
            "status": "办理中",
            "done": False,
            "due": "2026年12月4日前办结",
        },
        {"department": "青山县民政局", "status": "已办结", "done": True, "due": ""},
    ]
    assert exists(w, "part_0") and exists(w, "part_1")
    # The county's news arrives while the page is open: it follows by itself.
    _county(kiosk, case, status="completed", updated_at="2026-11-25T02:00:00Z", result="准予")
    # A completed case of this kiosk says so first, then offers a rating.
    assert kiosk.nav.page == "progress" and exists(w, "doneRateButton")
    tap(w, "doneRateButton")
    assert kiosk.nav.page == "rate"
    tap(w, "backButton")
    assert "已办结" in text_of(w, "whereNow")
    steps = [text_of(w, f"step_{i}") for i in range(len(kiosk.progress.timeline))]
    assert any("县镇部门办理" in s and "已办结" in s for s in steps)
    assert not any("county_update" in s or "submit" in s for s in steps)


def test_a_case_waiting_for_materials_lists_them_and_hands_them_in_here(kiosk: KioskApp) -> None:
    fake = FakeSupplement()
    with_singleton(kiosk, "SupplementModel", fake)
    w = kiosk.window  # type: ignore[attr-defined]
    case = _file(kiosk)
    _county(
        kiosk,
        case,
        status="supplement_requested",
        updated_at="2026-11-23T03:00:00Z",
        missing=["户口簿（首页和本人页）", "近期一寸照片"],
        promised_date="2026-12-07",
    )
    _open(kiosk, case)
    assert kiosk.progress.promisedText == ""  # no date is promised until the materials are in
    assert not exists(w, "promisedText")
    assert kiosk.progress.missingItems == ["户口簿（首页和本人页）", "近期一寸照片"]
    assert "户口簿" in text_of(w, "missingToBring")
    assert "等您补交材料" in text_of(w, "whereNow")
    tap(w, "supplementButton")
    assert fake.calls == [("villager", case.id)]


def _answer(**over: object) -> dict[str, object]:
    return {
        "case_no": OTHER_NO,
        "item_name": "临时救助申请",
        "kind": "promised",
        "status": "supplement_requested",
        "status_label": "待补正",
        "department": "溪口镇社会事务办（民政）",
        "level": "town",
        "where": "等您补交材料",
        "pickup_place": "下坪村便民服务站",
        "parts": [],
        "missing": ["户口簿"],
        "promised_date": None,
        "submitted_at": "2026-11-20T01:00:00Z",
        "updated_at": "2026-11-21T01:00:00Z",
        "applicant_name": "王*英",
        "history": [
            {
                "action": "submit",
                "label": "提交申请",
                "to_status": "submitted",
                "at": "2026-11-20T01:00:00Z",
            },
            {
                "action": "request_supplement",
                "label": "",
                "to_status": "supplement_requested",
                "at": "2026-11-21T01:00:00Z",
            },
        ],
    } | over


def test_a_case_of_another_kiosk_is_asked_of_the_county_and_shown_read_only(
    kiosk: KioskApp,
) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    asked: list[tuple[str, str]] = []

    def lookup(case_no: str, last4: str) -> dict[str, object]:
        asked.append((case_no, last4))
        return _answer()

    kiosk.progress.remote_lookup = lookup
    tap(w, "tileProgress")
    tap_field(w, "caseNoField")
    type_text(w, format_case_no(OTHER_NO).lower())
    tap_field(w, "last4Field")
    type_text(w, "024x")
    tap(w, "lookupButton")
    assert asked == [(OTHER_NO, "024X")]
    assert exists(w, "remoteNotice") and kiosk.progress.remote
    assert "等您补交材料" in text_of(w, "whereNow")
    assert "下坪村便民服务站" in text_of(w, "pickupPlace")
    assert kiosk.progress.missingItems == ["户口簿"]
    # Read-only: no 补交材料 and no rating from another village.
    assert not exists(w, "supplementButton") and not exists(w, "rateButton")
    assert "提交申请的村便民服务站" in text_of(w, "nextStep")
    assert "一次性告知补正" in text_of(w, "step_0") and "提交申请" in text_of(w, "step_1")
    # Completed over there: still no rating here.
    kiosk.progress.remote_lookup = lambda no, last4: _answer(status="completed", missing=[])
    kiosk.progress.lookupNumber(OTHER_NO, "024X")
    settle(w)
    assert kiosk.nav.page == "progress" and not kiosk.progress.canRate


def test_offline_it_says_only_this_kiosks_cases_can_be_shown(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    assert not kiosk.config.hub_url  # no county to ask: as good as offline
    tap(w, "tileProgress")
    kiosk.progress.lookupNumber(OTHER_NO, "1234")
    settle(w)
    assert "没有网络时，只能查询在本机提交的办件" in text_of(w, "progressMessageText")

    def refused(case_no: str, last4: str) -> None:
        raise LookupUnavailable(offline=False)

    kiosk.progress.remote_lookup = refused
    kiosk.progress.lookupNumber(OTHER_NO, "1234")
    settle(w)
    assert "县里暂时查不到" in text_of(w, "progressMessageText")
    kiosk.progress.lookupNumber(OTHER_NO, "12")  # not four: asked again, nobody is asked
    assert "后四位" in kiosk.progress.message


def test_scanning_another_kiosks_receipt_asks_for_the_last_four(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    asked: list[tuple[str, str]] = []
    kiosk.progress.remote_lookup = lambda no, last4: asked.append((no, last4)) or _answer()
    kiosk.devices.scanner.feed_text(qr_payload(OTHER_NO, "01JOTHERKIOSKCASE000000000"))
    assert kiosk.nav.page == "progress"
    assert "别的服务站" in text_of(w, "progressHintText")
    assert text_of(w, "caseNoField") == format_case_no(OTHER_NO)
    assert asked == []  # the QR has no ID number: nothing is asked before the last four
    tap_field(w, "last4Field")
    type_text(w, "024X")
    tap(w, "lookupButton")
    assert asked == [(OTHER_NO, "024X")] and kiosk.progress.remote


def test_an_answer_for_a_villager_who_has_gone_is_never_shown(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    tap(w, "tileProgress")

    def slow(case_no: str, last4: str) -> dict[str, object]:
        kiosk.nav.home()  # the villager gives up and leaves while the county is asked
        return _answer()

    kiosk.progress.remote_lookup = slow
    kiosk.progress.lookupNumber(OTHER_NO, "024X")
    settle(w)
    assert kiosk.nav.page == "home" and not kiosk.progress.found
    assert kiosk.progress.caseNo == "" and kiosk.progress.applicant == ""


def test_the_composition_root_asks_the_county_and_no_answer_means_offline(
    kiosk: KioskApp,
) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    kiosk.config.hub_url = "http://127.0.0.1:9"  # nothing listens there: no network to the county
    tap(w, "tileProgress")
    kiosk.progress.lookupNumber(OTHER_NO, "024X")
    settle(w)
    assert "没有网络时，只能查询在本机提交的办件" in kiosk.progress.message
