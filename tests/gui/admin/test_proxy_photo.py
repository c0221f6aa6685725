"""The 代办 authorisation photo's upload record commits with the agent's case, or not at all."""

from __future__ import annotations

from typing import Any

from drivers.idcard.simulator import DEMO_CARD
from kiosk.casestore import recent_cases
from tests.gui.admin.conftest import put_card, sign_in_agent
from ui.admin.demo import AGENT_DEMO_CARD
from ui.app import KioskApp
from ui.driving import tap, text_of


def _file_a_proxy_case(staff: KioskApp) -> None:
    w = staff.window  # type: ignore[attr-defined]
    sign_in_agent(staff)
    tap(w, "openProxy")
    put_card(staff, DEMO_CARD)
    tap(w, "proxyReadVillager")
    put_card(staff, AGENT_DEMO_CARD)
    tap(w, "proxyReadAgent")
    tap(w, "proxyCapture")
    item = next(i for i in staff.catalog.items if i.kind == "promised")
    tap(w, f"proxyItem_{item.code}")
    tap(w, "proxySubmit")


def test_a_failed_upload_record_saves_no_case(staff: KioskApp) -> None:
    def broken(*_args: Any) -> None:
        raise OSError("disk full")

    staff.queue_upload = broken  # type: ignore[method-assign]
    _file_a_proxy_case(staff)
    assert recent_cases(staff.store) == []
    assert "已代为提交" not in text_of(staff.window, "proxyMessage")  # type: ignore[attr-defined]


def test_the_photo_is_queued_with_its_case(staff: KioskApp) -> None:
    _file_a_proxy_case(staff)
    [case] = recent_cases(staff.store)
    rows = list(staff.store.db().query("SELECT case_id FROM sync_blobs"))
    assert [r["case_id"] for r in rows] == [case.id]
