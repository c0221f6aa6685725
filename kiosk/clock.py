"""Time: stored as UTC ISO-8601, shown in Asia/Shanghai; and whether the kiosk trusts its clock.

The kiosk clock never decides anything between kiosk and county (the hub's time does); it
stamps local records, shows the time, and decides local purges, the 7-day default ratings and
PIN lock expiry. A `Clock` is injectable so tests control time.

Trusted time. Each hello from the county tells the kiosk the county's time; `county_says`
keeps the difference (`offset_s`, persisted) and the `Clock` adds it, so the kiosk runs on
county time even when its real-time clock is off. At start `check_at_start` compares the clock
with the last time it trusted (persisted, advanced whenever the time is trusted): a jump
forward by more than `FORWARD_JUMP` or backwards by more than `BACKWARD_JUMP` makes the time
*unconfirmed*. While unconfirmed, `time_trusted` is False and nothing is purged, nothing is
default-rated and no PIN lock runs out, until the county's next hello (`county_says`) or the
technician (`technician_confirms`) confirms the time; `status_line` tells the technician.
The state lives in the store's kv table (key `TRUST_KEY`); the functions take the store.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from kiosk.store import Store

CHINA = ZoneInfo("Asia/Shanghai")


def utc_iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def local_text(iso: str, with_time: bool = True) -> str:
    """'2026年11月22日 09:05' for a stored UTC timestamp."""
    t = parse_iso(iso).astimezone(CHINA)
    return t.strftime("%Y年%m月%d日 %H:%M" if with_time else "%Y年%m月%d日")


def date_text(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


@dataclass
class Clock:
    """Real time by default; tests pass `fixed`. `offset_s` is the county's time minus the
    kiosk's real-time clock, as the last hello told (0 until one did)."""

    fixed: datetime | None = None
    offset_s: float = 0.0

    def raw_now(self) -> datetime:
        """The real-time clock itself, without the county's offset."""
        return self.fixed if self.fixed is not None else datetime.now(UTC)

    def now(self) -> datetime:
        raw = self.raw_now()
        return raw + timedelta(seconds=self.offset_s) if self.offset_s else raw

    def now_iso(self) -> str:
        return utc_iso(self.now())

    def today_local(self) -> date:
        return self.now().astimezone(CHINA).date()


# -- trusted time ---------------------------------------------------------------------------------
TRUST_KEY = "clock.trust"
FORWARD_JUMP = timedelta(hours=48)  # longer than a holiday weekend without power
BACKWARD_JUMP = timedelta(minutes=10)  # more than any clock correction
SKEW_NOTE = timedelta(minutes=2)  # the county's time differs by more: say so
OFFSET_JITTER_S = 2.0


@dataclass(frozen=True)
class TimeTrust:
    trusted: bool
    last_trusted: str  # UTC ISO of the last moment the clock was trusted ("" never)
    offset_s: float
    reason: str = ""  # "forward" | "backward" when not trusted
    confirmed_by: str = ""  # "county" | "technician" | "" (the kiosk's own clock)
    jump_s: float = 0.0


def _load(store: Store) -> dict[str, Any]:
    try:
        value = json.loads(store.get_value(TRUST_KEY) or "{}")
    except ValueError:
        value = {}
    return value if isinstance(value, dict) else {}


def _save(store: Store, state: dict[str, Any]) -> None:
    with store.write("kv") as db:
        store.set_value(db, TRUST_KEY, json.dumps(state, sort_keys=True))


def trust_state(store: Store) -> TimeTrust:
    s = _load(store)
    return TimeTrust(
        trusted=s.get("reason", "") == "",
        last_trusted=str(s.get("last", "")),
        offset_s=float(s.get("offset_s", 0.0)),
        reason=str(s.get("reason", "")),
        confirmed_by=str(s.get("by", "")),
        jump_s=float(s.get("jump_s", 0.0)),
    )


def time_trusted(store: Store, clock: Clock | None = None) -> bool:
    """Whether the clock may decide purges, default ratings and lock expiry now. With `clock`,
    a trusted moment also advances the persisted mark (so the next start compares with it)."""
    s = _load(store)
    if s.get("reason", ""):
        return False
    if clock is not None:
        now = clock.now()
        last = s.get("last", "")
        jump = now - parse_iso(last) if last else timedelta(0)
        if jump > FORWARD_JUMP or jump < -BACKWARD_JUMP:
            reason = "forward" if jump > FORWARD_JUMP else "backward"
            _save(store, s | {"reason": reason, "jump_s": jump.total_seconds()})
            return False
        if not last or now > parse_iso(last):
            _save(store, s | {"last": utc_iso(now)})
    return True


def check_at_start(store: Store, clock: Clock) -> TimeTrust:
    """At start: apply the county's last known offset to `clock`, then compare the time with
    the last one trusted; a jump makes the time unconfirmed (kept until confirmed)."""
    s = _load(store)
    clock.offset_s = float(s.get("offset_s", 0.0))
    now = clock.now()
    last = s.get("last", "")
    if not s.get("reason", "") and last:
        jump = now - parse_iso(last)
        if jump > FORWARD_JUMP:
            s |= {"reason": "forward", "jump_s": jump.total_seconds()}
        elif jump < -BACKWARD_JUMP:
            s |= {"reason": "backward", "jump_s": jump.total_seconds()}
    if not s.get("reason", "") and (not last or now > parse_iso(last)):
        s["last"] = utc_iso(now)
    _save(store, s)
    return trust_state(store)


def county_says(store: Store, clock: Clock, county_time: datetime) -> TimeTrust:
    """The county's hello told its time: keep the offset, run `clock` on county time, and
    confirm the time."""
    offset = (county_time - clock.raw_now()).total_seconds()
    s = _load(store)
    steady = (
        not s.get("reason", "")
        and abs(offset - float(s.get("offset_s", 0.0))) <= OFFSET_JITTER_S
        and s.get("last", "")
        and county_time - parse_iso(s["last"]) < timedelta(hours=1)
    )
    if abs(offset - clock.offset_s) > OFFSET_JITTER_S:
        clock.offset_s = offset  # (the hub's time has whole seconds: no jitter below that)
    if not steady:  # one write an hour at most while nothing changes
        s.update(last=utc_iso(county_time), offset_s=clock.offset_s, reason="", by="county")
        s["jump_s"] = 0.0
        _save(store, s)
    return trust_state(store)


def technician_confirms(store: Store, clock: Clock, account_id: str) -> TimeTrust:
    """The technician checked the time shown and confirmed it (offline kiosks)."""
    from kiosk.auditlog import append_audit

    now = clock.now()
    s = _load(store) | {"last": utc_iso(now), "reason": "", "by": "technician", "jump_s": 0.0}
    with store.write("kv", "audit_log") as db:
        store.set_value(db, TRUST_KEY, json.dumps(s, sort_keys=True))
        append_audit(
            db,
            action="clock.confirm",
            record_type="clock",
            record_id="clock",
            role="technician",
            at=utc_iso(now),
            detail={"account": account_id, "time": utc_iso(now)},
        )
    return trust_state(store)


def status_line(store: Store) -> str:
    """One line for the technician's pages: empty while nothing needs saying."""
    t = trust_state(store)
    if not t.trusted:
        days = abs(t.jump_s) / 86400
        jump = f"{days:.1f}天" if days >= 1 else f"{abs(t.jump_s) / 60:.0f}分钟"
        way = "向前跳了" if t.reason == "forward" else "倒退了"
        return (
            f"时钟未确认：本机时间{way}{jump}。数据清理、默认评价和密码锁定解除已暂停，"
            "等县级平台对时或技术员确认时间"
        )
    if abs(t.offset_s) > SKEW_NOTE.total_seconds():
        return f"本机时钟与县级平台相差{abs(t.offset_s) / 60:.0f}分钟，已按县级平台时间运行"
    return ""
