"""The sync worker: one thread that owns the sync client and keeps the outbox draining.

It wakes when a record is queued (`nudge`, wired to the store's change events), on a timer, and
after a failure with exponential backoff and full jitter (honouring Retry-After). Status goes to
`on_status` from the worker thread; the UI marshals it to its own thread.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace

from kiosk.clock import Clock
from kiosk.store import Store
from sync import blobs, localdb
from sync.client import RoundSummary, SyncClient, SyncError

log = logging.getLogger(__name__)

LAST_SUCCESS_KEY = "sync.last_success"


@dataclass(frozen=True)
class SyncStatus:
    online: bool = False
    pending: int = 0
    parked: int = 0
    last_success: str = ""
    last_error: str = ""  # Chinese, for the status bar and the technician
    syncing: bool = False
    conflicts: int = 0  # ops the county refused as conflicts: the kiosk's version is kept
    rejected: int = 0  # ops the county refused for good (invalid, unknown case, ...)
    blobs_pending: int = 0  # photos not yet at the county (材料上传中)
    error_kind: str = ""  # SyncError.kind of the last failure: offline, incompatible, revoked…
    clock_offset_s: float = 0.0  # hub time minus kiosk time, from the last hello
    set_aside: int = 0  # pulled changes set aside as malformed (sync.localdb), for the technician


class SyncWorker:
    def __init__(
        self,
        client: SyncClient,
        store: Store,
        *,
        interval_s: float = 15.0,
        backoff_base_s: float = 1.0,
        backoff_cap_s: float = 300.0,
        on_status: Callable[[SyncStatus], None] | None = None,
        on_changed_cases: Callable[[frozenset[str]], None] | None = None,
        clock: Clock | None = None,
        updates: Callable[[SyncClient], object] | None = None,
    ) -> None:
        self.client = client
        # Called after every successful round (sync.updates.Updater: reports the installer's
        # result, checks for a kiosk update at most every few hours); never breaks a round.
        self.updates = updates
        self.store = store
        self.interval_s = interval_s
        self.backoff_base_s = backoff_base_s
        self.backoff_cap_s = backoff_cap_s
        self.on_status = on_status or (lambda s: None)
        self.on_changed_cases = on_changed_cases or (lambda ids: None)
        self.clock = clock or Clock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._failures = 0
        self._status = SyncStatus(last_success=store.get_value(LAST_SUCCESS_KEY))
        self._unsubscribe = store.subscribe(self._on_store_change)

    @property
    def status(self) -> SyncStatus:
        return self._status

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="xiangli-sync", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        self._unsubscribe()
        if self._thread:
            self._thread.join(timeout)

    def nudge(self) -> None:
        self._wake.set()

    def _on_store_change(self, tables: frozenset[str]) -> None:
        # Our own bookkeeping writes (push results) must not wake us into a busy loop.
        if "outbox" in tables and threading.current_thread() is not self._thread:
            self.nudge()

    def _publish(self, **changes: object) -> None:
        counts = _parked_counts(self.store)
        self._status = replace(
            self._status,
            pending=self.store.pending_count(),
            parked=self.store.parked_count(),
            conflicts=counts.get("conflict", 0),
            rejected=counts.get("rejected", 0),
            blobs_pending=blobs.pending_count(self.store),
            set_aside=localdb.set_aside_count(self.store),
            clock_offset_s=self.client.clock_offset_s,
            **changes,  # type: ignore[arg-type]
        )
        self.on_status(self._status)

    def sync_now(self) -> None:
        """The technician's 立即同步: run a round at once, whatever the backoff says."""
        self._failures = 0
        self.nudge()

    def run_round(self) -> RoundSummary | None:
        """One round on the calling thread; returns None when it failed (status says why)."""
        self._publish(syncing=True)
        try:
            summary = self.client.sync_once()
        except SyncError as e:
            self._failures += 1
            log.info("sync round failed: %s", e.kind)
            self._publish(
                online=e.kind not in ("offline", "timeout", "not_hub", "tls"),
                last_error=e.message_zh,
                error_kind=e.kind,
                syncing=False,
            )
            self._retry_after = e.retry_after
            return None
        except Exception:  # a bug must not kill the thread that keeps villagers' data moving
            self._failures += 1
            log.exception("sync round crashed")
            self._publish(
                online=False, last_error="同步出错，已记录日志", error_kind="bug", syncing=False
            )
            self._retry_after = None
            return None
        self._failures = 0
        now = self.clock.now_iso()
        with self.store.write("kv") as db:
            self.store.set_value(db, LAST_SUCCESS_KEY, now)
        self._publish(online=True, last_success=now, last_error="", error_kind="", syncing=False)
        if summary.changed_cases:
            self.on_changed_cases(summary.changed_cases)
        if self.updates is not None:
            try:
                self.updates(self.client)
            except Exception:
                log.exception("update check crashed")
        return summary

    _retry_after: float | None = None

    def _delay(self) -> float:
        if self._failures == 0:
            return self.interval_s
        cap = min(self.backoff_cap_s, self.backoff_base_s * 2 ** min(self._failures, 20))
        delay = random.uniform(0, cap)  # full jitter: hundreds of kiosks don't return in step
        if self._retry_after is not None:
            delay = max(delay, self._retry_after)
        return delay

    def _run(self) -> None:
        self._publish()
        while not self._stop.is_set():
            self.run_round()
            self._wake.wait(self._delay())
            self._wake.clear()


def _parked_counts(store: Store) -> dict[str, int]:
    rows = store.db().execute(
        "SELECT state, count(*) FROM outbox WHERE state IN ('conflict', 'rejected') GROUP BY state"
    )
    return {state: count for state, count in rows}
