"""The kiosk's sync client: push the outbox, pull the county's changes, one round at a time.

Rules that keep villagers' records from being lost or doubled:
- the outbox row is written with the record (kiosk.commands) and frozen; this client only marks
  it done when the county's answer names its op_id;
- an answer that is not the hub (a captive portal's HTML page, a proxy error) is a network
  failure, never a result;
- a pulled page and its cursor are applied in one transaction (kiosk.county).

Threads: a `SyncClient` is used by one thread at a time (the sync worker's, or a CLI's).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import requests

from kiosk.clock import Clock, parse_iso
from kiosk.county import apply_changes, current_cursor
from kiosk.store import Store, effective_status
from sync.protocol import API_BASE, PROTOCOL_VERSIONS, SERVICE, TERMINAL_HEADER

log = logging.getLogger(__name__)


class SyncError(Exception):
    """A round that could not finish; `message_zh` is what the status bar may show."""

    def __init__(self, kind: str, message_zh: str, retry_after: float | None = None) -> None:
        super().__init__(f"{kind}: {message_zh}")
        self.kind = kind  # offline | not_hub | http | revoked | incompatible | timeout
        self.message_zh = message_zh
        self.retry_after = retry_after


@dataclass(frozen=True)
class RoundSummary:
    pushed: int
    rejected: int
    pulled: int
    changed_cases: frozenset[str]


def _retry_after(resp: requests.Response) -> float | None:
    value = resp.headers.get("Retry-After", "")
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


class SyncClient:
    def __init__(
        self,
        store: Store,
        base_url: str,
        terminal_id: str,
        *,
        session: requests.Session | None = None,
        clock: Clock | None = None,
        timeout: tuple[float, float] = (5.0, 30.0),
        batch: int = 100,
    ) -> None:
        self.store = store
        self.base = base_url.rstrip("/") + API_BASE
        self.terminal_id = terminal_id
        self.session = session or requests.Session()
        self.session.headers[TERMINAL_HEADER] = terminal_id
        self.clock = clock or Clock()
        self.timeout = timeout
        self.batch = batch
        self.max_batch = batch
        self.clock_offset_s = 0.0

    # -- transport ---------------------------------------------------------------------------
    def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        try:
            resp = self.session.request(method, self.base + path, timeout=self.timeout, **kwargs)
        except requests.Timeout as e:
            raise SyncError("timeout", "连接县级平台超时") from e
        except requests.RequestException as e:
            raise SyncError("offline", "无法连接县级平台") from e
        if resp.status_code in (429, 502, 503, 504) or resp.status_code >= 500:
            raise SyncError("http", f"县级平台暂时繁忙（{resp.status_code}）", _retry_after(resp))
        ctype = resp.headers.get("Content-Type", "")
        try:
            body = resp.json() if "json" in ctype else None
        except ValueError:
            body = None
        # Only the hub's own JSON answer means revoked; a proxy's HTML 403 is a network problem.
        if resp.status_code == 403 and isinstance(body, dict) and body.get("error") == "revoked":
            raise SyncError("revoked", "本机已被县级平台停用，请联系技术人员")
        if not isinstance(body, dict):
            raise SyncError("not_hub", "网络返回的不是县级平台的应答（可能需要网页认证）")
        if resp.status_code >= 400:
            raise SyncError("http", f"县级平台拒绝了请求（{resp.status_code}）")
        return body

    # -- protocol steps ----------------------------------------------------------------------
    def hello(self) -> dict[str, Any]:
        body = self._call("GET", "hello")
        if body.get("service") != SERVICE:
            raise SyncError("not_hub", "网络返回的不是县级平台的应答（可能需要网页认证）")
        if not set(body.get("protocol", [])) & set(PROTOCOL_VERSIONS):
            raise SyncError("incompatible", "本机版本与县级平台不兼容，请联系技术人员升级")
        try:
            server = parse_iso(body["server_time"])
            self.clock_offset_s = (server - self.clock.now()).total_seconds()
        except (KeyError, ValueError):
            pass
        return body

    def push(self) -> tuple[int, int]:
        """Send pending operations in order until none are left; returns (done, parked)."""
        done = parked = 0
        while True:
            ops = self.store.pending_ops(self.batch)
            if not ops:
                return done, parked
            body = {
                "terminal_id": self.terminal_id,
                "ops": [
                    {
                        "op_id": o.op_id,
                        "kind": o.kind,
                        "record_id": o.record_id,
                        "payload": o.payload,
                        "created_at": o.created_at,
                    }
                    for o in ops
                ],
            }
            try:
                answer = self._call("POST", "push", json=body)
            except SyncError as e:
                if e.kind == "timeout" and self.batch > 1:
                    self.batch = max(1, self.batch // 2)  # a slow link: smaller batches next time
                raise
            self.batch = min(self.max_batch, self.batch * 2)
            results = {
                r["op_id"]: r
                for r in answer.get("results", [])
                if isinstance(r, dict) and "op_id" in r
            }
            attempted = [o.op_id for o in ops]
            self.store.record_push_results(results, attempted)
            answered = [results[i] for i in attempted if i in results]
            ok = sum(effective_status(r) == "applied" for r in answered)
            done += ok
            parked += len(answered) - ok
            if len(answered) < len(attempted):
                # The hub left some out: they stay queued; try again next round.
                raise SyncError("http", "县级平台未确认全部记录，稍后重试")

    def pull(self, limit: int = 200) -> tuple[int, frozenset[str]]:
        pulled = 0
        changed: set[str] = set()
        while True:
            cursor = current_cursor(self.store)
            page = self._call("GET", "pull", params={"cursor": cursor, "limit": limit})
            changes = page.get("changes")
            new_cursor = page.get("cursor")
            if not isinstance(changes, list) or not isinstance(new_cursor, str):
                raise SyncError("not_hub", "县级平台的应答格式不对")
            applied = apply_changes(self.store, changes, new_cursor)
            pulled += len(changes)
            changed |= applied.case_ids
            if not page.get("more"):
                return pulled, frozenset(changed)

    def sync_once(self) -> RoundSummary:
        self.hello()
        done, parked = self.push()
        pulled, changed = self.pull()
        return RoundSummary(done, parked, pulled, changed)
