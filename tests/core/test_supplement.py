"""补正 at the village (`submit_supplement`): what it writes, in one transaction, and what it
refuses."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import pytest

from kiosk.cases import Case, InvalidTransition, Role, Status
from kiosk.casestore import case_events, get_case
from kiosk.catalog import ServiceItem
from kiosk.clock import Clock
from kiosk.commands import (
    CommandError,
    MaterialPhoto,
    Terminal,
    act_on_case,
    case_materials,
    submit_supplement,
)
from kiosk.store import Store
from kiosk.supplement_slip import GOES_ON, supplement_received_slip
from kiosk.workdays import WorkCalendar
from tests.core.helpers import ID, submit

MISSING = ("户口簿", "结婚证")


def _photo(tmp_path: Path, name: str, page: int = 1) -> MaterialPhoto:
    data = f"{name}-{page}".encode() * 10
    sha = hashlib.sha256(data).hexdigest()
    path = tmp_path / f"{sha}.jpg"
    path.write_bytes(data)
    return MaterialPhoto(name, sha, len(data), str(path), page=page)


def _all_pages(tmp_path: Path) -> list[MaterialPhoto]:
    return [
        _photo(tmp_path, "户口簿", 1),
        _photo(tmp_path, "户口簿", 2),
        _photo(tmp_path, "结婚证", 1),
    ]


@pytest.fixture
def waiting(
    store: Store,
    promised_item: ServiceItem,
    clock: Clock,
    terminal: Terminal,
    calendar: WorkCalendar,
) -> Case:
    """A case the agent told, once, what is missing (一次性告知)."""
    case = submit(store, promised_item, clock, terminal, calendar)
    return act_on_case(store, case.id, "request_supplement", Role.AGENT, clock, missing=MISSING)


def _counts(store: Store) -> dict[str, int]:
    db = store.db()
    tables = ("case_materials", "case_events", "audit_log", "outbox")
    counts = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
    if db.table("sync_blobs").exists():
        counts["sync_blobs"] = db.execute("SELECT count(*) FROM sync_blobs").fetchone()[0]
    return counts


def test_a_supplement_writes_rows_status_audit_and_the_outbox_op(
    store: Store, clock: Clock, waiting: Case, tmp_path: Path
) -> None:
    photos = _all_pages(tmp_path)
    new = submit_supplement(store, waiting.id, photos, Role.VILLAGER, clock)

    assert new.status is Status.SUPPLEMENTED and new.missing == () and new.supplemented_at
    saved = get_case(store, waiting.id)
    assert saved is not None and saved.status is Status.SUPPLEMENTED
    rows = case_materials(store, waiting.id, purpose="supplement")
    assert [(r.name, r.page, r.sha256) for r in rows] == [
        (p.name, p.page, p.sha256) for p in photos
    ]
    assert case_materials(store, waiting.id, purpose="apply") == []
    last = case_events(store, waiting.id)[-1]
    assert (last["action"], last["from_status"], last["to_status"], last["role"]) == (
        "supplement",
        "supplement_requested",
        "supplemented",
        "villager",
    )
    assert last["note"] == "户口簿、结婚证"
    op = store.pending_ops()[-1]
    assert op.kind == "case.action" and op.record_id == waiting.id
    assert op.payload["action"] == "supplement" and op.payload["role"] == "villager"
    assert op.payload["params"] == {
        "materials": [
            {"name": p.name, "page": p.page, "sha256": p.sha256, "size": p.size} for p in photos
        ]
    }


def test_the_agent_may_hand_them_in_and_is_recorded(
    store: Store, clock: Clock, waiting: Case, tmp_path: Path
) -> None:
    submit_supplement(store, waiting.id, _all_pages(tmp_path), "agent", clock)
    assert case_events(store, waiting.id)[-1]["role"] == "agent"
    assert store.pending_ops()[-1].payload["role"] == "agent"


def test_the_county_may_not_supplement_at_the_kiosk(
    store: Store, clock: Clock, waiting: Case, tmp_path: Path
) -> None:
    before = _counts(store)
    with pytest.raises(InvalidTransition):
        submit_supplement(store, waiting.id, _all_pages(tmp_path), Role.COUNTY, clock)
    assert _counts(store) == before


def test_a_case_not_waiting_for_materials_is_refused(
    store: Store,
    promised_item: ServiceItem,
    clock: Clock,
    terminal: Terminal,
    calendar: WorkCalendar,
    tmp_path: Path,
) -> None:
    case = submit(store, promised_item, clock, terminal, calendar)
    before = _counts(store)
    with pytest.raises(CommandError) as err:
        submit_supplement(store, case.id, _all_pages(tmp_path), Role.VILLAGER, clock)
    assert "不需要补交材料" in err.value.message_zh and "已收件" in err.value.message_zh
    assert _counts(store) == before
    with pytest.raises(CommandError, match="找不到"):
        submit_supplement(store, "NO-SUCH-CASE", _all_pages(tmp_path), Role.VILLAGER, clock)


def test_a_photo_set_missing_a_listed_material_is_refused(
    store: Store, clock: Clock, waiting: Case, tmp_path: Path
) -> None:
    before = _counts(store)
    only_hukou = [_photo(tmp_path, "户口簿", 1), _photo(tmp_path, "户口簿", 2)]
    with pytest.raises(CommandError) as err:
        submit_supplement(store, waiting.id, only_hukou, Role.VILLAGER, clock)
    assert err.value.message_zh == "还有材料没拍：结婚证"
    with pytest.raises(CommandError, match="还有材料没拍：户口簿、结婚证"):
        submit_supplement(store, waiting.id, [], Role.VILLAGER, clock)
    extra = [*_all_pages(tmp_path), _photo(tmp_path, "房产证")]
    with pytest.raises(CommandError, match="“房产证”不在要补交的材料里"):
        submit_supplement(store, waiting.id, extra, Role.VILLAGER, clock)
    twice = [*_all_pages(tmp_path), _photo(tmp_path, "结婚证", 1)]
    with pytest.raises(CommandError, match="重复"):
        submit_supplement(store, waiting.id, twice, Role.VILLAGER, clock)
    assert _counts(store) == before
    assert get_case(store, waiting.id).status is Status.SUPPLEMENT_REQUESTED  # type: ignore[union-attr]


def test_a_purged_case_is_refused(
    store: Store, clock: Clock, waiting: Case, tmp_path: Path
) -> None:
    with store.write("cases") as db:
        db.execute("UPDATE cases SET purged_at = ? WHERE id = ?", [clock.now_iso(), waiting.id])
    before = _counts(store)
    with pytest.raises(CommandError, match="已按规定清除"):
        submit_supplement(store, waiting.id, _all_pages(tmp_path), Role.VILLAGER, clock)
    assert _counts(store) == before


def test_a_photo_whose_file_is_gone_is_refused(
    store: Store, clock: Clock, waiting: Case, tmp_path: Path
) -> None:
    photos = _all_pages(tmp_path)
    Path(photos[1].path).unlink()
    before = _counts(store)
    with pytest.raises(CommandError, match="“户口簿”的照片没有保存好，请重拍"):
        submit_supplement(store, waiting.id, photos, Role.VILLAGER, clock)
    assert _counts(store) == before


def test_a_failure_mid_way_leaves_nothing_behind(
    store: Store, clock: Clock, waiting: Case, tmp_path: Path
) -> None:
    from sync.blobs import queue_blob_in

    photos = _all_pages(tmp_path)
    before = _counts(store)
    calls: list[str] = []

    def queue(db: Any, case_id: str, photo: MaterialPhoto, at: str) -> None:
        # Really queued (in the same transaction), then the third photo fails.
        queue_blob_in(db, case_id, photo.sha256, photo.path, photo.size, at)
        calls.append(photo.sha256)
        if len(calls) == 3:
            raise OSError("disk gone mid-way")

    with pytest.raises(OSError):
        submit_supplement(store, waiting.id, photos, Role.VILLAGER, clock, queue_upload=queue)
    assert len(calls) == 3  # two photos' rows and upload records were written before it failed
    after = _counts(store)
    assert after.pop("sync_blobs", 0) == 0
    assert after == before
    case = get_case(store, waiting.id)
    assert case is not None and case.status is Status.SUPPLEMENT_REQUESTED
    assert case.missing == MISSING and not case.supplemented_at


def test_a_failing_outbox_write_leaves_nothing_behind(
    store: Store, clock: Clock, waiting: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _counts(store)

    def broken(*_a: object, **_k: object) -> str:
        raise RuntimeError("outbox full")

    monkeypatch.setattr(Store, "enqueue", staticmethod(broken))
    with pytest.raises(RuntimeError):
        submit_supplement(store, waiting.id, _all_pages(tmp_path), Role.VILLAGER, clock)
    monkeypatch.undo()
    assert _counts(store) == before
    assert get_case(store, waiting.id).status is Status.SUPPLEMENT_REQUESTED  # type: ignore[union-attr]


def test_uploads_are_queued_in_the_same_transaction_and_files_flushed_first(
    store: Store, clock: Clock, waiting: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sync.blobs import blob_status, queue_blob_in

    photos = _all_pages(tmp_path)
    events: list[tuple[str, str]] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        real_fsync(fd)

    def queue(db: Any, case_id: str, photo: MaterialPhoto, at: str) -> None:
        assert db.conn.in_transaction  # inside the write that saves the rows, not after it
        events.append(("queue", photo.path))
        queue_blob_in(db, case_id, photo.sha256, photo.path, photo.size, at)

    monkeypatch.setattr(os, "fsync", fsync)
    submit_supplement(store, waiting.id, photos, Role.VILLAGER, clock, queue_upload=queue)
    monkeypatch.undo()
    flushed = [path for what, path in events if what == "fsync"]
    assert all(p.path in flushed for p in photos)
    assert str(tmp_path) in flushed  # the folder entries too
    first_queue = next(i for i, (what, _p) in enumerate(events) if what == "queue")
    assert all(what == "fsync" for what, _p in events[:first_queue])
    status = blob_status(store, waiting.id)
    assert status.total == 3 and status.label == "材料上传中"


def test_the_slip_says_what_was_handed_in_masked(
    store: Store, clock: Clock, waiting: Case, tmp_path: Path
) -> None:
    photos = _all_pages(tmp_path)
    new = submit_supplement(store, waiting.id, photos, Role.VILLAGER, clock)
    slip = supplement_received_slip(new, [(p.name, p.page) for p in photos], "青山村便民服务站")
    text = slip.plain_text()
    assert "1. 户口簿（2页）" in text and "2. 结婚证（1页）" in text
    assert GOES_ON in text and ID not in text and "王秀英" not in text
    assert slip.job_id == supplement_received_slip(new, [], "x").job_id  # one job per supplement
