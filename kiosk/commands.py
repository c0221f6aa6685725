"""Application commands: what a villager, an agent or the county does, as plain functions.

Each command takes the store, does its work in one durable transaction (the record, its audit
entry and its outbox operation together) and returns what changed. Callers run them off the GUI
thread.

Material photos (免复印) are JPEG files named by their sha256; a command that saves them fsyncs
each file before its transaction commits, writes one `case_materials` row per page, and hands
each photo to `queue_upload` inside the same transaction (the composition root passes sync's
upload queue: kiosk/ knows nothing of sync), so "saved" means the rows, the files and the
upload records are all on disk, or none of the rows are.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from domain.ratings import validate_indicators
from kiosk.auditlog import append_audit
from kiosk.caseno import make_case_no, terminal_code_now
from kiosk.cases import (
    Applicant,
    AuditEntry,
    Case,
    InvalidTransition,
    Kind,
    Role,
    Status,
    apply_action,
)
from kiosk.casestore import (
    case_from_row,
    case_to_row,
    get_case,
    get_evaluation,
    insert_audit,
    next_day_seq,
)
from kiosk.catalog import ServiceItem
from kiosk.clock import CHINA, Clock, parse_iso, time_trusted, utc_iso
from kiosk.evaluations import (
    DEFAULT_RATING_DAYS,
    Evaluation,
    EvaluationError,
    Level,
    validate,
    validate_channel,
)
from kiosk.idnumber import check
from kiosk.ids import new_id
from kiosk.sqlrows import Database, insert_row
from kiosk.store import Store
from kiosk.terminal import Terminal
from kiosk.workdays import UnknownYear, WorkCalendar


class CommandError(Exception):
    def __init__(self, message_zh: str) -> None:
        super().__init__(message_zh)
        self.message_zh = message_zh


@dataclass(frozen=True)
class MaterialPhoto:
    """One page of a material photographed by the document camera: a JPEG on disk, fingerprinted.

    `page` counts from 1 (户口簿: 1 首页, 2 本人页)."""

    name: str
    sha256: str
    size: int
    path: str
    captured_at: str = ""
    page: int = 1


# Called inside the saving transaction for each photo: (db, case_id, photo, at).
UploadQueue = Callable[[Database, str, MaterialPhoto, str], None]

PURPOSE_APPLY = "apply"
PURPOSE_SUPPLEMENT = "supplement"


def material_wire(m: MaterialPhoto) -> dict[str, Any]:
    """A photo as the county hears of it (the file follows, verified by its sha256)."""
    return {"name": m.name, "page": m.page, "sha256": m.sha256, "size": m.size}


def _fsync_dir(folder: str) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def make_photos_durable(photos: Sequence[MaterialPhoto]) -> None:
    """Every photo's file is on disk, whole, and flushed (with its folder entry), or CommandError.

    Run before the commit that names the files: after a power cut a row never points at a file
    the disk did not keep."""
    folders: set[str] = set()
    for m in photos:
        try:
            fd = os.open(m.path, os.O_RDONLY)
        except OSError:
            raise CommandError(f"“{m.name}”的照片没有保存好，请重拍") from None
        try:
            if os.fstat(fd).st_size != m.size:
                raise CommandError(f"“{m.name}”的照片没有保存好，请重拍")
            os.fsync(fd)
        finally:
            os.close(fd)
        folders.add(os.path.dirname(os.path.abspath(m.path)))
    for folder in sorted(folders):
        _fsync_dir(folder)


def _insert_photos(
    db: Database,
    case_id: str,
    photos: Sequence[MaterialPhoto],
    purpose: str,
    at: str,
    queue_upload: UploadQueue | None,
) -> None:
    for m in photos:
        insert_row(
            db,
            "case_materials",
            {
                "id": new_id(),
                "case_id": case_id,
                "name": m.name,
                "page": m.page,
                "purpose": purpose,
                "sha256": m.sha256,
                "size": m.size,
                "path": m.path,
                "captured_at": m.captured_at or at,
            },
        )
        if queue_upload is not None:
            queue_upload(db, case_id, m, at)


def applicant_phone_problem(phone: str) -> str | None:
    """Why a phone typed on the apply screen cannot be taken, in the villager's words (None when
    none was typed: it is optional, or when it is good), by the one rule for a villager's phone
    (`kiosk.feedback.valid_phone`: a mobile number, or a landline with its area code)."""
    from kiosk.feedback import valid_phone  # kiosk.feedback imports this module

    p = phone.strip().replace(" ", "")
    if not p or valid_phone(p):
        return None
    return "手机号码不对：手机号码是1开头的11位数字。不想留号码，点“清空”就行。"


def sms_reachable(phone: str) -> bool:
    """A number the county can text (短信提醒): a good mobile number; a landline, which by the
    one rule starts with its 0 area code, takes no text message."""
    p = phone.strip().replace(" ", "")
    return applicant_phone_problem(p) is None and p.startswith("1")


def submit_payload(case: Case) -> dict[str, Any]:
    a = case.applicant
    return {
        "id": case.id,
        "case_no": case.case_no,
        "item_code": case.item_code,
        "item_name": case.item_name,
        "catalog_version": case.catalog_version,
        "kind": case.kind.value,
        # Where the hub routes the case: the item's department and level when it was filed.
        "department": case.department,
        "level": case.level,
        "applicant": {
            "name": a.name,
            "id_number": a.id_number,
            "address": a.address,
            "phone": a.phone,
        },
        "submitted_at": case.submitted_at,
        "promised_date": case.promised_date.isoformat() if case.promised_date else None,
        "materials": [],
        # 短信提醒: the villager's explicit consent to text messages at applicant.phone (the
        # hub's SMS notices read it; a kiosk from before it sends none, which means no).
        "sms_consent": case.sms_consent,
    }


def submit_application(
    store: Store,
    *,
    item: ServiceItem,
    catalog_version: str,
    applicant: Applicant,
    terminal: Terminal,
    calendar: WorkCalendar,
    clock: Clock,
    kind: Kind | str | None = None,
    lead_department: str = "",
    departments: Iterable[str] = (),
    agent: str = "",
    agent_deadline: date | None = None,
    materials: Sequence[MaterialPhoto] = (),
    proxy: Applicant | None = None,
    queue_upload: UploadQueue | None = None,
    card_read: Sequence[str] = (),
    sms_consent: bool = False,
) -> Case:
    """Save a villager's application; when this returns, the case is on disk and queued.

    `kind` overrides the item's kind when an agent files a joint (联办) or proxy (代理) case;
    a joint case's lead department defaults to the item's department. `materials` are the
    pages the document camera captured (already on disk, fingerprinted), each its own row with
    its page number; `queue_upload` queues each for upload in the same transaction. `proxy` is
    the person who applied on the applicant's behalf (a relative at the kiosk), not the agent.
    `card_read` names the materials the ID card reader satisfied (the applicant's card was
    read, so it was not photographed): the submit's history entry and the hub's material list
    say so, so the county sees why there is no photo of them.
    `sms_consent` is the villager's yes to 短信提醒; it is kept (and sent) only with a mobile
    number in `applicant.phone`: no phone, or a landline, is no consent whatever the switch said.
    """
    verdict = check(applicant.id_number)
    if not verdict:
        raise CommandError(verdict.reason)
    if proxy is not None:
        proxy_verdict = check(proxy.id_number)
        if not proxy_verdict:
            raise CommandError("代办人" + proxy_verdict.reason)
    if not applicant.name.strip():
        raise CommandError("请填写申请人姓名")
    now = clock.now()
    at = clock.now_iso()
    local_day = now.astimezone(CHINA).date()
    case_kind = Kind(kind) if kind is not None else Kind(item.kind)
    promised_days = item.promised_days if case_kind is not Kind.IMMEDIATE else 0
    promised = None
    if promised_days > 0:
        try:
            promised = calendar.add_workdays(local_day, promised_days)
        except UnknownYear:
            promised = None  # the receipt then says the agent will tell the date
    make_photos_durable(materials)
    with store.write("cases", "outbox") as db:
        seq = next_day_seq(db, local_day.isoformat())
        case = Case(
            id=new_id(),
            case_no=make_case_no(local_day, terminal_code_now(db, terminal.code), seq),
            terminal_id=terminal.id,
            item_code=item.code,
            item_name=item.name,
            catalog_version=catalog_version,
            kind=case_kind,
            status=Status.SUBMITTED,
            applicant=applicant,
            submitted_at=at,
            promised_date=promised,
            updated_at=at,
            lead_department=(lead_department or item.department) if case_kind is Kind.JOINT else "",
            # As the hub routes it: the item's participating departments unless the agent named
            # others when filing.
            departments=(tuple(departments) or item.joint_departments)
            if case_kind is Kind.JOINT
            else (),
            agent=agent if case_kind is Kind.PROXY else "",
            agent_deadline=agent_deadline if case_kind is Kind.PROXY else None,
            promised_days=promised_days,
            department=item.department,
            level=item.level,
            sms_consent=sms_consent and sms_reachable(applicant.phone),
        )
        row = case_to_row(case) | {"local_day": local_day.isoformat(), "day_seq": seq}
        if proxy is not None:
            row |= {
                "proxy_name": proxy.name,
                "proxy_id_number": proxy.id_number,
                "proxy_phone": proxy.phone,
            }
        insert_row(db, "cases", row)
        _insert_photos(db, case.id, materials, PURPOSE_APPLY, at, queue_upload)
        note = "、".join(card_read) + "：已读卡核验，未拍照" if card_read else ""
        insert_audit(
            db, AuditEntry(case.id, "submit", None, Status.SUBMITTED, Role.VILLAGER, at, note)
        )
        payload = submit_payload(case)
        payload["materials"] = [material_wire(m) for m in materials] + [
            {"name": name, "page": 1, "card_read": True} for name in card_read
        ]
        if proxy is not None:
            payload["proxy"] = {
                "name": proxy.name,
                "id_number": proxy.id_number,
                "phone": proxy.phone,
            }
        store.enqueue(db, "case.submit", case.id, payload, at)
    return case


def case_materials(store: Store, case_id: str, purpose: str = "") -> list[MaterialPhoto]:
    """A case's photos in the order they were taken; only those of `purpose` if given."""
    sql = "SELECT * FROM case_materials WHERE case_id = ?"
    args: list[object] = [case_id]
    if purpose:
        sql += " AND purpose = ?"
        args.append(purpose)
    rows = store.db().query(sql + " ORDER BY captured_at, id", args)
    return [
        MaterialPhoto(r["name"], r["sha256"], r["size"], r["path"], r["captured_at"], r["page"])
        for r in rows
    ]


def _json_param(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (tuple, list, set, frozenset)):
        return [_json_param(v) for v in value]
    return value


def act_on_case(
    store: Store, case_id: str, action: str, role: Role | str, clock: Clock, **params: object
) -> Case:
    """An agent's (or villager's) action on a case at the kiosk, through the transition table.

    The case, its audit entries and a `case.action` outbox operation commit together. Raises
    `InvalidTransition` (with `message_zh`) when the table does not allow it, `CommandError`
    when there is no such case.
    """
    who = Role(role)
    at = clock.now_iso()
    with store.write("cases", "case_events", "outbox") as db:
        rows = list(db.query("SELECT * FROM cases WHERE id = ?", [case_id]))
        if not rows:
            raise CommandError("找不到这个办件")
        case = case_from_row(rows[0])
        if case.purged_at:
            raise InvalidTransition("这个办件的个人信息已按规定清除，不能再操作")
        new, entry = apply_action(case, action, who, at, **params)
        row = case_to_row(new)
        db.table("cases").update(case.id, {k: v for k, v in row.items() if k != "id"})
        insert_audit(db, entry)
        _enqueue_action(db, store, new, action, who, at, params)
    return new


def _enqueue_action(
    db: Database,
    store: Store,
    case: Case,
    action: str,
    who: Role,
    at: str,
    params: Mapping[str, object],
) -> None:
    # Keyed on the case, so the action waits behind the case's own submit.
    store.enqueue(
        db,
        "case.action",
        case.id,
        {
            "case_id": case.id,
            "case_no": case.case_no,
            "action": action,
            "params": {k: _json_param(v) for k, v in sorted(params.items())},
            "at": at,
            "role": who.value,
        },
        at,
    )


def _supplement_problem(case: Case | None, photos: Sequence[MaterialPhoto]) -> str | None:
    """Why these photos cannot complete this case's 补正 (a Chinese sentence), or None."""
    if case is None:
        return "找不到这个办件"
    if case.purged_at:
        return "这个办件的个人信息已按规定清除，不能再补交材料"
    if case.status is not Status.SUPPLEMENT_REQUESTED:
        return f"这个办件现在不需要补交材料（{case.status.label}）"
    if not case.missing:
        return "这个办件没有列明要补的材料，请找代办员办理"
    listed = set(case.missing)
    pages: set[tuple[str, int]] = set()
    for m in photos:
        if m.name not in listed:
            return f"“{m.name}”不在要补交的材料里"
        if m.page < 1 or (m.name, m.page) in pages:
            return f"“{m.name}”的第{m.page}页重复了，请重拍"
        pages.add((m.name, m.page))
    absent = [name for name in case.missing if not any(n == name for n, _p in pages)]
    if absent:
        return "还有材料没拍：" + "、".join(absent)
    return None


def submit_supplement(
    store: Store,
    case_id: str,
    photos: Sequence[MaterialPhoto],
    role: Role | str,
    clock: Clock,
    *,
    queue_upload: UploadQueue | None = None,
) -> Case:
    """补正 at the village: the materials the 一次性告知书 listed, photographed, hand the case on.

    In one durable transaction: a `case_materials` row per page (purpose "supplement"), the
    lifecycle's `supplement` action on the case with its audit entry, a `case.action` outbox
    operation whose params list the photos (name, page, sha256, size), and each photo queued for
    upload through `queue_upload`. Raises `CommandError` (with `message_zh`) for a case that is
    not waiting for materials, is purged or unknown, or photos that miss a listed material;
    `InvalidTransition` if the lifecycle refuses `role`. Nothing is written when it raises.
    """
    who = Role(role)
    at = clock.now_iso()
    photos = list(photos)
    with store.write("cases", "case_events", "outbox") as db:
        rows = list(db.query("SELECT * FROM cases WHERE id = ?", [case_id]))
        case = case_from_row(rows[0]) if rows else None
        problem = _supplement_problem(case, photos)
        if problem:
            raise CommandError(problem)
        assert case is not None
        new, entry = apply_action(case, "supplement", who, at)
        make_photos_durable(photos)  # before the commit that names the files
        _insert_photos(db, case.id, photos, PURPOSE_SUPPLEMENT, at, queue_upload)
        row = case_to_row(new)
        db.table("cases").update(case.id, {k: v for k, v in row.items() if k != "id"})
        # The history says what was handed in (names of documents, never a person's data).
        insert_audit(db, replace(entry, note="、".join(case.missing)))
        params = {"materials": [material_wire(m) for m in photos]}
        _enqueue_action(db, store, new, "supplement", who, at, params)
    return new


def _insert_evaluation(db: Database, store: Store, ev: Evaluation, role: str, at: str) -> None:
    db.table("evaluations").insert(
        {
            "id": ev.id,
            "case_id": ev.case_id,
            "case_no": ev.case_no,
            "level": int(ev.level),
            "reason": ev.reason,
            "channel": ev.channel,
            "created_at": ev.created_at,
            "indicators": json.dumps(dict(ev.indicators), ensure_ascii=False, sort_keys=True),
            "item_code": ev.item_code,
            "region_code": ev.region_code,
            "handling_state": ev.handling_state,
        }
    )
    append_audit(
        db,
        action="rate",
        record_type="evaluation",
        record_id=ev.id,
        role=role,
        at=at,
        detail={"case_no": ev.case_no, "level": int(ev.level), "channel": ev.channel},
    )
    # Keyed on the case: if the case itself were parked, its rating waits behind it.
    store.enqueue(db, "evaluation.submit", ev.case_id, ev.payload(), at)


def rate_case(
    store: Store,
    *,
    case_id: str,
    level: int,
    reason: str,
    channel: str,
    clock: Clock,
    indicators: Mapping[str, int] | None = None,
    terminal: Terminal | None = None,
    region_code: str | None = None,
) -> Evaluation:
    """One rating per case (一事一评); low ratings need a reason.

    The rating names no rater: the county sees the case, the item, the region, the channel and
    the time. `region_code` defaults to the terminal's.
    """
    lv = validate(level, reason)
    validate_channel(channel)
    scores = validate_indicators(indicators)
    case = get_case(store, case_id)
    if case is None:
        raise CommandError("找不到这个办件")
    if get_evaluation(store, case_id) is not None:
        raise EvaluationError("这个办件已经评价过了，谢谢您")
    at = clock.now_iso()
    region = region_code if region_code is not None else (terminal.region_code if terminal else "")
    ev = Evaluation(
        new_id(),
        case.id,
        case.case_no,
        lv,
        reason.strip(),
        channel,
        at,
        scores,
        case.item_code,
        region,
        case.status.value,
    )
    with store.write("evaluations", "outbox") as db:
        if db.execute("SELECT 1 FROM evaluations WHERE case_id = ?", [case.id]).fetchone():
            raise EvaluationError("这个办件已经评价过了，谢谢您")
        _insert_evaluation(db, store, ev, Role.VILLAGER.value, at)
    return ev


def apply_default_ratings(
    store: Store,
    clock: Clock,
    days: int = DEFAULT_RATING_DAYS,
    *,
    terminal: Terminal | None = None,
    region_code: str | None = None,
) -> list[Evaluation]:
    """Record 基本满意 (channel "default") for cases completed more than `days` days ago and
    still unrated. Run it daily; it does nothing twice. Nothing while the clock is unconfirmed
    (kiosk.clock.time_trusted: it jumped), so no one is rated by a wrong date."""
    if not time_trusted(store, clock):
        return []
    now = clock.now()
    at = utc_iso(now)
    cutoff = now - timedelta(days=days)
    region = region_code if region_code is not None else (terminal.region_code if terminal else "")
    made: list[Evaluation] = []
    with store.write("evaluations", "outbox") as db:
        rows = db.query(
            "SELECT id, case_no, item_code, status, completed_at FROM cases c"
            " WHERE status IN ('completed', 'delivered') AND completed_at != ''"
            " AND NOT EXISTS (SELECT 1 FROM evaluations e WHERE e.case_id = c.id)"
            " ORDER BY completed_at"
        )
        for r in list(rows):
            if parse_iso(r["completed_at"]) > cutoff:
                continue
            ev = Evaluation(
                new_id(),
                r["id"],
                r["case_no"],
                Level.BASICALLY_SATISFIED,
                "",
                "default",
                at,
                {},
                r["item_code"],
                region,
                r["status"],
            )
            _insert_evaluation(db, store, ev, "system", at)
            made.append(ev)
    return made
