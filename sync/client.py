"""The kiosk's sync client: push the outbox, upload photos, pull the county's changes.

Rules that keep villagers' records from being lost or doubled:
- the outbox row is written with the record (kiosk.commands) and frozen; this client only marks
  it done when the county's answer names its op_id;
- an answer that is not the hub (a captive portal's HTML page, a proxy error) is a network
  failure, never a result;
- a pulled page and its cursor are applied in one transaction (kiosk.county);
- photos go after their case, in resumable chunks the hub verifies (sync.blobs).

Protocol: `hello` picks the highest version both sides speak (2, or 1 against an old hub) and
keeps the clock offset to the hub; a hub whose minimum app version is above ours makes every
round fail with `incompatible` before anything is sent (the kiosk keeps serving offline and
keeps its queue). In v2 request bodies are gzip-compressed and, once enrolled, every request is
signed (sync.identity). TLS certificates are verified unless `verify=False`; `verify` may name
a county CA bundle to pin.

Restores (issue 13): the outbox keeps what was sent (state `done`). When hello names an epoch
other than the one this kiosk last pushed to, the hub was restored (or restarted its feed): every
`done` op is queued again, and the hub's journal answers what it already has as `duplicate`.
Each push answer carries the county's highest case sequence per day for this terminal
(`case_seq`), which the numbering (kiosk.caseno) stays above, so a kiosk restored from an old
backup never hands out a number the county holds. A push refused as too large (413) is sent
again in smaller batches, down to one op; nothing leaves the queue without an answer.

Threads: a `SyncClient` is used by one thread at a time (the sync worker's, or a CLI's).
"""

from __future__ import annotations

import gzip
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from importlib import metadata
from typing import Any

import requests

from kiosk import caseno
from kiosk.clock import Clock, county_says, parse_iso
from kiosk.county import apply_changes, current_cursor
from kiosk.store import Store, effective_status
from sync import blobs, localdb, protocol
from sync import identity as ident
from sync.protocol import API_BASE, PROTOCOL_VERSIONS, SERVICE, TERMINAL_HEADER

log = logging.getLogger(__name__)

GZIP_MIN_BYTES = 512
PUSH_EPOCH_KEY = "sync.push_epoch"  # the hub epoch this kiosk's `done` ops were answered in
RESEND_MARK = "epoch_resend"  # outbox.last_error of an op queued again after a hub restore
TOO_LARGE = ("body_too_large", "too_many_ops")
NOT_HUB_ZH = "网络返回的不是县级平台的应答（可能需要网页认证）"
# The health report (records waiting, devices not ok) rides on every push; with nothing to push
# it goes alone, in an empty push, this long after the last report (or the client's start).
HEALTH_EVERY_S = 600.0


def app_version() -> str:
    try:
        return metadata.version("xiangli")
    except metadata.PackageNotFoundError:
        return "0.0.0"


class SyncError(Exception):
    """A round that could not finish; `message_zh` is what the status bar may show."""

    def __init__(
        self, kind: str, message_zh: str, retry_after: float | None = None, error: str = ""
    ) -> None:
        super().__init__(f"{kind}: {message_zh}")
        # offline | not_hub | http | revoked | incompatible | timeout | unauthorized | tls
        self.kind = kind
        self.message_zh = message_zh
        self.retry_after = retry_after
        self.error = error  # the hub's `error` word, when it gave one
        self.max_ops = 0  # with error "too_many_ops": the hub's cap on ops per push


@dataclass(frozen=True)
class RoundSummary:
    pushed: int
    rejected: int
    pulled: int
    changed_cases: frozenset[str]
    conflicts: int = 0  # of `rejected`: kept here as the kiosk's version, flagged for the agent
    blobs_uploaded: int = 0


def _retry_after(resp: requests.Response) -> float | None:
    """Retry-After in seconds (delta-seconds or an HTTP date), capped at an hour."""
    value = resp.headers.get("Retry-After", "").strip()
    if not value:
        return None
    try:
        return min(3600.0, max(0.0, float(value)))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return min(3600.0, max(0.0, (when - datetime.now(UTC)).total_seconds()))


class SyncClient:
    def __init__(
        self,
        store: Store,
        base_url: str,
        terminal_id: str | None = None,
        *,
        session: requests.Session | None = None,
        clock: Clock | None = None,
        timeout: tuple[float, float] = (5.0, 30.0),
        batch: int = 100,
        verify: bool | str = True,
        app_version_text: str | None = None,
        max_protocol: int = max(PROTOCOL_VERSIONS),
        chunk_bytes: int = blobs.CHUNK_BYTES,
        device_health: Callable[[], list[dict[str, str]]] | None = None,
    ) -> None:
        self.store = store
        self.base = base_url.rstrip("/") + API_BASE
        self.identity = ident.load(store)
        self.terminal_id = terminal_id or (self.identity.terminal_id if self.identity else "")
        if not self.terminal_id:
            self.terminal_id = store.get_value("terminal.id")
        if self.identity and self.identity.terminal_id != self.terminal_id:
            log.warning("terminal id %s is not the enrolled one; not signing", self.terminal_id)
            self.identity = None
        self.session = session or requests.Session()
        self.session.headers[TERMINAL_HEADER] = self.terminal_id
        self.session.verify = verify
        self.verify = verify
        self.clock = clock or Clock()
        self.timeout = timeout
        self.batch = batch
        self.max_batch = batch
        self.clock_offset_s = 0.0
        self.app_version = app_version_text or app_version()
        self.max_protocol = max_protocol
        self.protocol = 1  # until hello says more
        self.chunk_bytes = chunk_bytes
        self.last_hello: dict[str, Any] = {}
        # The devices' health rows (name, label, state, reason), as the kiosk's status bar has
        # them (ui.devices.Devices.health); None: this client cannot tell (a CLI sync).
        self.device_health = device_health
        self.health_every_s = HEALTH_EVERY_S
        self._health_sent_at = time.monotonic()

    # -- transport ---------------------------------------------------------------------------
    def _send(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        body: bytes | None = None,
        content_type: str = "application/json",
        compress: bool = False,
    ) -> requests.Response:
        headers: dict[str, str] = {}
        if self.protocol >= 2:
            headers[protocol.PROTOCOL_HEADER] = str(self.protocol)
            headers[protocol.APP_VERSION_HEADER] = self.app_version
        if body is not None:
            headers["Content-Type"] = content_type
            if compress and self.protocol >= 2 and len(body) >= GZIP_MIN_BYTES:
                body = gzip.compress(body, compresslevel=6, mtime=0)
                headers["Content-Encoding"] = "gzip"
        request = requests.Request(
            method, self.base + path, params=params, data=body, headers=headers
        )
        prepared = self.session.prepare_request(request)
        if self.identity is not None and self.protocol >= 2:
            prepared.headers.update(
                ident.sign_headers(
                    self.identity,
                    method,
                    prepared.path_url,
                    body or b"",
                    self.clock_offset_s,
                    now=self.clock.now(),
                )
            )
        try:
            return self.session.send(prepared, timeout=self.timeout, verify=self.verify)
        except requests.exceptions.SSLError as e:
            raise SyncError("tls", "县级平台的证书无法验证（可能是假冒的网络）") from e
        except requests.Timeout as e:
            raise SyncError("timeout", "连接县级平台超时") from e
        except requests.RequestException as e:
            raise SyncError("offline", "无法连接县级平台") from e

    def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        if "json" in kwargs:
            data = json.dumps(kwargs.pop("json"), ensure_ascii=False, separators=(",", ":"))
            kwargs["body"] = data.encode("utf-8")
            kwargs["compress"] = True
        resp = self._send(method, path, **kwargs)
        body = self._json(resp)
        if resp.status_code == 401 and body and body.get("error") == "clock_skew":
            # Our offset went stale (the kiosk's clock jumped): learn it again and retry once.
            self._learn_offset(body.get("server_time"))
            resp = self._send(method, path, **kwargs)
            body = self._json(resp)
        return self._check(resp, body)

    @staticmethod
    def _json(resp: requests.Response) -> dict[str, Any] | None:
        if "json" not in resp.headers.get("Content-Type", ""):
            return None
        try:
            body = resp.json()
        except ValueError:
            return None
        return body if isinstance(body, dict) else None

    def _check(self, resp: requests.Response, body: dict[str, Any] | None) -> dict[str, Any]:
        status = resp.status_code
        error = str(body.get("error", "")) if body else ""
        # Only the hub's own JSON answer means revoked; a proxy's HTML 403 is a network problem.
        if status == 403 and error == "revoked":
            raise SyncError("revoked", "本机已被县级平台停用，请联系技术人员")
        if status == 426:
            raise SyncError("incompatible", "本机版本过旧，县级平台要求升级，请联系技术人员")
        if status == 401 and body is not None:
            raise SyncError("unauthorized", f"县级平台不认可本机的身份（{error}），请重新登记")
        if status in (429, 502, 503, 504) or status >= 500:
            raise SyncError("http", f"县级平台暂时繁忙（{status}）", _retry_after(resp))
        if body is None:
            raise SyncError("not_hub", NOT_HUB_ZH)
        if status >= 400:
            err = SyncError("http", f"县级平台拒绝了请求（{status} {error}）", error=error)
            max_ops = body.get("max_ops")
            err.max_ops = max_ops if isinstance(max_ops, int) and max_ops > 0 else 0
            raise err
        return body

    def _learn_offset(self, server_time: Any) -> None:
        try:
            server = parse_iso(str(server_time))
        except ValueError:
            return
        # The kiosk keeps the county's time (persisted, used by its Clock, and confirms a clock
        # that jumped: kiosk.clock); what is left over is the offset signatures need.
        county_says(self.store, self.clock, server)
        self.clock_offset_s = (server - self.clock.now()).total_seconds()

    # -- protocol steps ----------------------------------------------------------------------
    def hello(self) -> dict[str, Any]:
        self.protocol = 1  # hello itself is version-neutral
        body = self._call("GET", "hello")
        if body.get("service") != SERVICE:
            raise SyncError("not_hub", NOT_HUB_ZH)
        offered = {v for v in body.get("protocol", []) if isinstance(v, int)}
        common = offered & {v for v in PROTOCOL_VERSIONS if v <= self.max_protocol}
        if not common:
            raise SyncError("incompatible", "本机版本与县级平台不兼容，请联系技术人员升级")
        minimum = str(body.get("min_app_version") or "0")
        if not protocol.version_at_least(self.app_version, minimum):
            raise SyncError("incompatible", "本机版本过旧，县级平台要求升级，请联系技术人员")
        self.protocol = max(common)
        self._learn_offset(body.get("server_time"))
        self.last_hello = body
        epoch = body.get("epoch")
        if isinstance(epoch, str) and epoch:
            requeue_after_new_epoch(self.store, epoch)
        return body

    def health_report(self, sending: int = 0) -> dict[str, Any]:
        """The kiosk's health for the hub (docs/sync-protocol.md): records waiting besides the
        `sending` in this push, records parked for the agent, and the devices not ok."""
        report: dict[str, Any] = {
            "outbox": max(0, self.store.pending_count() - sending),
            "parked": self.store.parked_count(),
        }
        if self.device_health is not None:
            try:
                rows = list(self.device_health())
            except Exception:  # the report must never stop a push
                log.warning("device health unavailable for the health report")
                rows = []
            if not rows:  # not probed yet: say nothing rather than "no faults"
                return report
            report["faults"] = [
                protocol.health_fault(
                    str(r.get("name", "")),
                    str(r.get("label", "")),
                    str(r.get("state", "")),
                    str(r.get("reason", "")),
                )
                for r in rows
                if r.get("state") != "ok" and r.get("name")
            ][: protocol.HEALTH_MAX_FAULTS]
        return report

    def _health_due(self) -> bool:
        return time.monotonic() - self._health_sent_at >= self.health_every_s

    def push(self) -> tuple[int, int]:
        """Send pending operations in order until none are left; returns (done, parked)."""
        done, parked, _ = self._push()
        return done, parked

    def _push(self) -> tuple[int, int, int]:
        done = parked = conflicts = 0
        while True:
            ops = self.store.pending_ops(self.batch)
            if not ops:
                restored = caseno.restored_unconfirmed(self.store.db())
                due = self._health_due()
                if restored or due:
                    # Restored, nothing to send: ask for the county's numbers with an empty push;
                    # a health report due goes in one too.
                    empty: dict[str, Any] = {"terminal_id": self.terminal_id, "ops": []}
                    if due:
                        empty[protocol.HEALTH_KEY] = self.health_report()
                    answer = self._call("POST", "push", json=empty)
                    if due:
                        self._health_sent_at = time.monotonic()
                    if restored and "case_seq" in answer:  # an older hub does not say
                        with self.store.write("kv") as db:
                            caseno.record_county_floor(db, answer["case_seq"])
                return done, parked, conflicts
            health = self.health_report(sending=len(ops))
            body = {
                "terminal_id": self.terminal_id,
                protocol.HEALTH_KEY: health,
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
                if e.error in TOO_LARGE and len(ops) > 1:
                    # The hub's cap (413): the same ops again, fewer at a time.
                    limit = e.max_ops if e.error == "too_many_ops" else 0
                    if limit:
                        self.max_batch = min(self.max_batch, limit)  # the hub's cap: keep to it
                    self.batch = max(1, min(len(ops) // 2, limit or len(ops)))
                    continue
                if e.kind == "timeout" and self.batch > 1:
                    self.batch = max(1, self.batch // 2)  # a slow link: smaller batches next time
                raise
            self.batch = min(self.max_batch, self.batch * 2)
            self._health_sent_at = time.monotonic()
            if "case_seq" in answer:
                with self.store.write("kv") as db:
                    caseno.record_county_floor(db, answer.get("case_seq"))
            results = {
                r["op_id"]: r
                for r in answer.get("results", [])
                if isinstance(r, dict) and isinstance(r.get("op_id"), str)
            }
            attempted = [o.op_id for o in ops]
            self.store.record_push_results(results, attempted)
            settled = _settle_resends(self.store, results)
            answered = [results[i] for i in attempted if i in results]
            for r in answered:
                effective = effective_status(r)
                if effective in (protocol.APPLIED, protocol.DUPLICATE) or r["op_id"] in settled:
                    done += 1
                else:
                    parked += 1
                    conflicts += effective == protocol.CONFLICT
            if len(answered) < len(attempted):
                parked_records = {
                    o.record_id
                    for o in ops
                    if o.op_id in results
                    and effective_status(results[o.op_id]) in (protocol.CONFLICT, protocol.REJECTED)
                }
                held = [o for o in ops if o.op_id not in results]
                if any(o.record_id not in parked_records for o in held):
                    # The hub left some out: they stay queued; try again next round.
                    raise SyncError("http", "县级平台未确认全部记录，稍后重试")
                # The rest were held behind a refused op of their record: they wait here.

    def upload_blobs(self, limit: int = 50) -> int:
        """Upload photos whose case is at the county; returns how many completed."""
        if self.protocol < 2:
            return 0
        completed = 0
        for item in blobs.ready_blobs(self.store, limit, self.clock):  # failed ones when due
            if self._upload_one(item):
                completed += 1
        return completed

    def _upload_one(self, item: blobs.PendingBlob) -> bool:
        path = f"blobs/{item.sha256}"
        params: dict[str, Any] = {"case_id": item.case_id}
        try:
            state = self._call("GET", path, params=params)
            offset = int(state.get("offset", 0))
            while not state.get("complete"):
                chunk = blobs.read_chunk(item.path, offset, self.chunk_bytes)
                if not chunk:
                    blobs.mark(
                        self.store,
                        item.seq,
                        uploaded=offset,
                        state="failed",
                        error="file_shorter_than_queued",
                        clock=self.clock,
                    )
                    return False
                state = self._call(
                    "PUT",
                    path,
                    params={**params, "offset": offset, "total": item.size},
                    body=chunk,
                    content_type="application/octet-stream",
                )
                offset = int(state.get("offset", offset + len(chunk)))
        except SyncError as e:
            if e.error == "sha256_mismatch":
                # The file changed after it was queued, or the disk is failing: tried again
                # with backoff; one that keeps failing shows on the technician's sync page.
                blobs.mark(
                    self.store,
                    item.seq,
                    uploaded=0,
                    state="failed",
                    error="sha256",
                    clock=self.clock,
                )
                return False
            if e.error in ("offset_mismatch", "unknown_case"):
                return False  # next round: ask for the offset again / wait for the case
            raise
        except FileNotFoundError:
            blobs.mark(
                self.store,
                item.seq,
                uploaded=0,
                state="failed",
                error="file_missing",
                clock=self.clock,
            )
            return False
        blobs.mark(self.store, item.seq, uploaded=item.size, state="done", clock=self.clock)
        return True

    def pull(self, limit: int = 200, wait: int = 0) -> tuple[int, frozenset[str]]:
        pulled = 0
        changed: set[str] = set()
        while True:
            cursor = current_cursor(self.store)
            params: dict[str, Any] = {"cursor": cursor, "limit": limit}
            if wait and self.protocol >= 2:
                params["wait"] = wait
            page = self._call("GET", "pull", params=params)
            changes = page.get("changes")
            new_cursor = page.get("cursor")
            if not isinstance(changes, list) or not isinstance(new_cursor, str):
                raise SyncError("not_hub", "县级平台的应答格式不对")
            applied = apply_page(self.store, changes, new_cursor)
            pulled += len(changes)
            changed |= applied
            if not page.get("more"):
                return pulled, frozenset(changed)
            wait = 0

    def lookup_case(self, case_no: str, id_last4: str) -> dict[str, Any] | None:
        """办件查询 of a case filed at any kiosk: its progress as the hub tells it, or None
        when the hub has no case with that number and those last four ID characters.

        POST (signed like every call), so the digits never sit in a URL. Raises SyncError when
        the hub cannot be reached or the answer is not the hub's (`not_hub`); after too many
        misses the hub asks the kiosk to wait: SyncError `http` with `error`
        "too_many_lookups" and `retry_after` in seconds."""
        if not self.last_hello:
            self.hello()  # the protocol version and the clock offset the signature needs
        body = json.dumps(
            {"case_no": case_no, "id_last4": id_last4}, ensure_ascii=False, separators=(",", ":")
        ).encode("utf-8")
        resp = self._send("POST", "cases/lookup", body=body, compress=True)
        answer = self._json(resp)
        if resp.status_code == 401 and answer and answer.get("error") == "clock_skew":
            self._learn_offset(answer.get("server_time"))
            resp = self._send("POST", "cases/lookup", body=body, compress=True)
            answer = self._json(resp)
        if resp.status_code == 429 and answer and answer.get("error") == "too_many_lookups":
            raise SyncError(
                "http", "查询次数过多，请稍后再试", _retry_after(resp), error="too_many_lookups"
            )
        answer = self._check(resp, answer)
        found, case = answer.get("found"), answer.get("case")
        if found is False:
            return None
        if found is True and isinstance(case, dict):
            return case
        raise SyncError("not_hub", "县级平台的应答格式不对")

    def sync_once(self) -> RoundSummary:
        self.hello()
        done, parked, conflicts = self._push()
        uploaded = self.upload_blobs()
        pulled, changed = self.pull()
        return RoundSummary(done, parked, pulled, changed, conflicts, uploaded)


def parked_ops(store: Store) -> list[dict[str, Any]]:
    """Ops the county refused (conflict/rejected), newest first, for the agent's screen: the
    kiosk keeps its own version of each record; `reason` says why the county did not take it."""
    localdb.ensure(store)
    rows = store.db().query(
        "SELECT op_id, kind, record_id, state, result, created_at FROM outbox"
        " WHERE state IN ('conflict', 'rejected') ORDER BY seq DESC"
    )
    out = []
    for r in rows:
        try:
            result = json.loads(r["result"] or "{}")
        except ValueError:
            result = {}
        out.append(
            {
                **{k: r[k] for k in ("op_id", "kind", "record_id", "state", "created_at")},
                "reason": result.get("reason", ""),
            }
        )
    return out


def requeue_after_new_epoch(store: Store, epoch: str) -> int:
    """The hub answers in `epoch`. If this kiosk last pushed to another epoch, the hub was
    restored from a backup (or its feed restarted): queue every op it had answered again, in
    their order, and every photo upload. Returns how many ops were queued again."""
    localdb.ensure(store)
    if store.get_value(PUSH_EPOCH_KEY) == epoch:
        return 0
    with store.write("outbox", "kv", "sync_blobs") as db:
        row = db.execute("SELECT value FROM kv WHERE key = ?", [PUSH_EPOCH_KEY]).fetchone()
        known = row[0] if row else ""
        count = 0
        if known and known != epoch:
            count = db.execute(
                "UPDATE outbox SET state = 'pending', last_error = ? WHERE state = 'done'",
                [RESEND_MARK],
            ).rowcount
            db.execute("UPDATE sync_blobs SET state = 'pending', uploaded = 0 WHERE state = 'done'")
            log.warning("hub epoch changed: %d sent operation(s) queued again", count)
        store.set_value(db, PUSH_EPOCH_KEY, epoch)
    return count


def _settle_resends(store: Store, results: dict[str, dict[str, Any]]) -> set[str]:
    """An op sent again after a hub restore that the hub holds with other content (its
    personal data was purged here by retention since) is done, not a refusal to show.
    Returns the op ids so settled."""
    mismatched = [
        op_id for op_id, r in results.items() if r.get("reason") == protocol.REASON_PAYLOAD_MISMATCH
    ]
    settled: set[str] = set()
    if not mismatched:
        return settled
    with store.write("outbox") as db:
        for op_id in mismatched:
            cursor = db.execute(
                "UPDATE outbox SET state = 'done' WHERE op_id = ? AND last_error = ?",
                [op_id, RESEND_MARK],
            )
            if cursor.rowcount:
                settled.add(op_id)
    return settled


def _malformed(change: Any) -> str:
    """Why a pulled change is not shaped as the protocol says ("" when it is)."""
    if not isinstance(change, dict):
        return "change is not an object"
    if change.get("kind") not in protocol.CHANGE_KINDS:
        return "unknown change kind"
    if not isinstance(change.get("payload"), dict):
        return "payload is not an object"
    if not isinstance(change.get("record_id", ""), str):
        return "record_id is not text"
    return ""


def apply_page(store: Store, changes: list[Any], cursor: str) -> frozenset[str]:
    """Apply a pulled page and move the cursor past it, whatever one change holds.

    A change that is malformed (not an object, an unknown kind, a payload of the wrong JSON type
    or missing a field), or that the store cannot apply, is set aside (sync.localdb) and the rest
    apply: one bad change must never stop every later pull (an `account.disable` among them).
    Normally the page is one transaction with its cursor; when applying it fails, each change
    is applied on its own (the cursor last), so a crash then re-applies a few changes of the
    page, which county changes tolerate (they carry state, not increments)."""
    good = []
    for change in changes:
        problem = _malformed(change)
        if problem:
            localdb.set_aside(store, change, cursor, problem)
        else:
            good.append(change)
    try:
        applied = apply_changes(store, good, cursor)
    except Exception:
        log.warning("pull: a page failed to apply; applying its changes one by one")
        before = current_cursor(store)
        case_ids: set[str] = set()
        for change in good:
            try:
                one = apply_changes(store, [change], before)
            except Exception as e:
                localdb.set_aside(store, change, cursor, f"failed: {type(e).__name__}")
                continue
            case_ids |= one.case_ids
            _keep_problems(store, one.problems, cursor)
        apply_changes(store, [], cursor)
        return frozenset(case_ids)
    _keep_problems(store, applied.problems, cursor)
    return applied.case_ids


def _keep_problems(store: Store, problems: tuple[str, ...], cursor: str) -> None:
    """The changes the store skipped as malformed (kiosk.county), set aside with its reason."""
    for problem in problems:
        localdb.set_aside(store, {"kind": problem.split(":", 1)[0]}, cursor, problem)
