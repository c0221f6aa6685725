"""The technician's sync page tells what the kiosk's data needs: a clock that jumped (until it
is confirmed, by tapping 本机时间正确 or by the county) and photos that keep failing to upload."""

from __future__ import annotations

from datetime import timedelta

from kiosk import clock as kc
from kiosk.clock import Clock
from sync import localdb
from tests.gui.admin.conftest import sign_in_tech
from ui.app import KioskApp
from ui.driving import exists, tap, text_of


def _lines(w: object) -> list[str]:
    out = []
    for i in range(20):
        if not exists(w, f"syncLine_{i}"):
            break
        out.append(text_of(w, f"syncLine_{i}"))
    return out


def test_an_unconfirmed_clock_is_shown_and_the_technician_confirms_it(staff: KioskApp) -> None:
    w = staff.window  # type: ignore[attr-defined]
    # The real-time clock jumped 30 days ahead over a restart.
    kc.check_at_start(staff.store, Clock(staff.clock.now() + timedelta(days=30)))
    sign_in_tech(staff)
    tap(w, "openSync")
    assert any("时钟未确认" in line for line in _lines(w))
    assert exists(w, "confirmTime")
    tap(w, "confirmTime")
    assert not any("时钟未确认" in line for line in _lines(w))
    assert kc.time_trusted(staff.store)
    assert not exists(w, "confirmTime")


def test_photos_that_keep_failing_are_shown(staff: KioskApp) -> None:
    w = staff.window  # type: ignore[attr-defined]
    localdb.ensure(staff.store)
    staff.store.db().execute(
        "INSERT INTO sync_blobs (case_id, sha256, path, size, state, attempts, last_error,"
        " queued_at) VALUES ('c1', 'ab', '/gone.jpg', 1, 'failed', 5, 'file_missing', ?)",
        [staff.clock.now_iso()],
    )
    sign_in_tech(staff)
    tap(w, "openSync")
    assert any("材料照片多次上传失败：1 张" in line for line in _lines(w))
    assert not any("时钟未确认" in line for line in _lines(w))
