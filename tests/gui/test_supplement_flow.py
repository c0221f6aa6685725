"""补正 at the village, tapped through the real QML: from `start(case_id)` to 材料已补交, with the
store checked; the agent's way in; what the screen refuses."""

from __future__ import annotations

from pathlib import Path

from drivers.idcard.simulator import DEMO_CARD
from kiosk.cases import Applicant, Case, Role, Status
from kiosk.casestore import case_events, get_case
from kiosk.catalog import ServiceItem
from kiosk.commands import act_on_case, case_materials, submit_application
from tests.gui.admin.conftest import seed_accounts, sign_in_agent
from ui.app import KioskApp
from ui.driving import exists, find, tap, text_of

VILLAGER = Applicant(DEMO_CARD.name, DEMO_CARD.id_number, DEMO_CARD.address)


def _item(kiosk: KioskApp) -> ServiceItem:
    """An item with the two-page 户口簿 (首页, 本人页) among its materials."""
    return next(
        i for i in kiosk.catalog.items if any(m.pages == ("首页", "本人页") for m in i.materials)
    )


def _waiting_case(kiosk: KioskApp) -> tuple[Case, tuple[str, str]]:
    """A filed case, and the one-time notice of the two materials it lacks."""
    item = _item(kiosk)
    case = submit_application(
        kiosk.store,
        item=item,
        catalog_version=kiosk.catalog.version,
        applicant=VILLAGER,
        terminal=kiosk.terminal,
        calendar=kiosk.calendar,
        clock=kiosk.clock,
    )
    missing = ("户口簿", item.materials[-1].name)
    act_on_case(
        kiosk.store, case.id, "request_supplement", Role.AGENT, kiosk.clock, missing=missing
    )
    return case, missing


def _photograph_everything(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    for name in ("capture_0", "capture_0_2", "capture_1"):
        tap(w, name)


def test_a_villager_hands_in_the_listed_materials_and_is_told_plainly(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    case, missing = _waiting_case(kiosk)
    tap(w, "tileProgress")  # the progress page's 补交材料 calls start(case_id)
    kiosk.supplement.start(case.id)
    assert kiosk.nav.page == "supplement" and exists(w, "supplementPage")
    assert [m["name"] for m in kiosk.supplement.materials] == list(missing)
    assert [len(m["pages"]) for m in kiosk.supplement.materials] == [2, 1]
    assert text_of(w, "supplementCaseNo") == kiosk.supplement.caseNo
    assert DEMO_CARD.name not in kiosk.supplement.applicantName  # masked on the screen
    assert not find(w, "submitSupplement").isEnabled()  # nothing photographed yet
    assert text_of(w, "supplementMissing").startswith(
        f"还差3页没拍：户口簿（首页、本人页）、{missing[1]}"
    )

    tap(w, "capture_0")
    tap(w, "capture_1")
    assert not find(w, "submitSupplement").isEnabled()  # the 本人页 is still missing
    assert text_of(w, "supplementMissing").startswith("还差1页没拍：户口簿（本人页）")
    tap(w, "capture_0_2")
    assert text_of(w, "supplementMissing").startswith("✔ 都拍好了")
    photos = [p["photo"] for m in kiosk.supplement.materials for p in m["pages"]]

    tap(w, "submitSupplement")
    assert kiosk.supplement.done
    assert text_of(w, "supplementDoneText") == "✔ 材料已补交，工作人员会继续办理。"
    saved = get_case(kiosk.store, case.id)
    assert saved is not None and saved.status is Status.SUPPLEMENTED and saved.missing == ()
    rows = case_materials(kiosk.store, case.id, purpose="supplement")
    assert [(r.name, r.page) for r in rows] == [("户口簿", 1), ("户口簿", 2), (missing[1], 1)]
    assert [Path(r.path).as_uri() for r in rows] == photos and all(
        Path(r.path).exists() for r in rows
    )
    assert case_materials(kiosk.store, case.id, purpose="apply") == []
    event = case_events(kiosk.store, case.id)[-1]
    assert (event["action"], event["to_status"], event["role"]) == (
        "supplement",
        "supplemented",
        "villager",
    )
    op = kiosk.store.pending_ops()[-1]
    assert op.kind == "case.action" and op.payload["action"] == "supplement"
    assert op.payload["params"] == {
        "materials": [
            {"name": r.name, "page": r.page, "sha256": r.sha256, "size": r.size} for r in rows
        ]
    }
    from sync.blobs import blob_status

    assert blob_status(kiosk.store, case.id).total == 3

    tap(w, "printSupplementSlip")
    slip, _data = kiosk.devices.printer.jobs[-1]
    assert slip.kind == "supplement_received" and "户口簿（2页）" in slip.plain_text()
    assert not exists(w, "printSupplementSlip") and "凭条已打印" in kiosk.supplement.printMessage
    tap(w, "supplementFinish")
    assert kiosk.nav.page == "progress"

    tap(w, "homeButton")  # the photos handed in stay with the case
    assert all(Path(r.path).exists() for r in rows)


def test_the_agent_hands_them_in_within_the_staff_session(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    seed_accounts(kiosk)
    staff = kiosk.extra_models["staffModel"]
    case, _missing = _waiting_case(kiosk)
    kiosk.supplement.startAsAgent(case.id)  # nobody signed in: not an agent's page to show
    assert kiosk.nav.page == "home"
    assert kiosk.supplement.caseNo == "" and kiosk.supplement.materials == []  # nor its case

    sign_in_agent(kiosk)
    assert staff.signedIn
    kiosk.extra_models["agentModel"].openCase(case.id)
    kiosk.supplement.startAsAgent(case.id)
    assert kiosk.nav.page == "agentSupplement" and staff.signedIn
    assert kiosk.supplement.asAgent
    _photograph_everything(kiosk)
    tap(w, "submitSupplement")
    assert get_case(kiosk.store, case.id).status is Status.SUPPLEMENTED  # type: ignore[union-attr]
    assert case_events(kiosk.store, case.id)[-1]["role"] == "agent"
    assert kiosk.store.pending_ops()[-1].payload["role"] == "agent"
    tap(w, "supplementFinish")
    assert kiosk.nav.page == "agentCase" and staff.signedIn


def test_a_case_not_waiting_for_materials_is_explained_not_offered(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    case, _missing = _waiting_case(kiosk)
    act_on_case(kiosk.store, case.id, "withdraw", Role.VILLAGER, kiosk.clock)
    kiosk.supplement.start(case.id)
    assert kiosk.nav.page == "supplement"
    assert exists(w, "supplementProblem")
    assert "这个办件现在不需要补交材料（已撤回）" in text_of(w, "supplementProblemText")
    assert not exists(w, "submitSupplement") and not exists(w, "capture_0")
    kiosk.supplement.start("NO-SUCH-CASE")
    assert "没有找到这个办件" in text_of(w, "supplementProblemText")


def test_photos_not_handed_in_are_deleted_when_the_villager_walks_away(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    case, _missing = _waiting_case(kiosk)
    kiosk.supplement.start(case.id)
    tap(w, "capture_0")
    photo = Path(kiosk.supplement.materials[0]["pages"][0]["photo"].removeprefix("file://"))
    assert photo.exists()
    tap(w, "homeButton")
    assert not photo.exists()
    assert get_case(kiosk.store, case.id).status is Status.SUPPLEMENT_REQUESTED  # type: ignore[union-attr]
    assert case_materials(kiosk.store, case.id) == []
