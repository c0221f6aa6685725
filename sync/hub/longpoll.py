"""Waiting for the change feed without a thread per waiting kiosk (the long poll of `pull`).

A kiosk's `pull?wait=N` with nothing new is held until a change for it arrives. Each waiting
request is an `asyncio.Event` on the event loop, not a thread. One watcher task per process
(per event loop) reads the feed's head, `HubState` (epoch, seq), every `POLL_INTERVAL_S` while
anybody waits: one small query for all the waiting kiosks of the process, where the WSGI hub
polled the feed once per waiting kiosk every half second, each in its own thread. When the head
moves it wakes the waiters of the terminals the new changes are for (everybody for a
county-wide change or a new epoch), and they pull again. It works the same with any number of
hub processes on one database: a change written by another process is seen at its next read.

No lost wake-up: a waiter registers (`listen`) BEFORE its first pull, so a change committed
after that pull is above the head the watcher read before it, or the watcher's first read (which
wakes every waiter) comes after it. A wake-up that finds nothing new costs one pull, no more.
The database is only ever touched in a few threads of the process's own (`in_thread`), each
with its connection: no waiting kiosk holds a connection either.
"""

from __future__ import annotations

import asyncio
import logging
import os
import weakref
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import TypeVar

from django.db import connection

log = logging.getLogger(__name__)

POLL_INTERVAL_S = float(os.environ.get("XIANGLI_HUB_POLL_INTERVAL", "0.05"))
# More new changes than this in one read: wake everybody rather than list their terminals.
MAX_LISTED = 500

T = TypeVar("T")


_executor: ThreadPoolExecutor | None = None


def executor() -> ThreadPoolExecutor:
    """The process's threads for the long poll's database steps (`xiangli-hub serve --threads`,
    passed to the workers as XIANGLI_HUB_DB_THREADS)."""
    global _executor
    if _executor is None:
        threads = int(os.environ.get("XIANGLI_HUB_DB_THREADS", "8"))
        _executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="hub-db")
    return _executor


async def in_thread(fn: Callable[..., T], *args: object) -> T:
    """`fn(*args)` in one of `executor()`'s threads. Each of these long-lived threads keeps its
    database connection (at most `--threads` per process, whoever waits), and drops it when a
    step fails, so a connection the database closed is opened afresh by the next step."""

    def run() -> T:
        try:
            return fn(*args)
        except BaseException:
            connection.close()
            raise

    return await asyncio.get_running_loop().run_in_executor(executor(), run)


def read_head() -> tuple[str, int]:
    from sync.hub.county.models import HubState

    return HubState.objects.values_list("epoch", "seq").get(pk=1)


def terminals_between(epoch: str, low: int, high: int) -> set[str | None] | None:
    """The terminals the changes (low, high] of `epoch` are for (None: county-wide); None when
    there are too many to list."""
    from sync.hub.county.models import Change

    rows = (
        Change.objects.filter(epoch=epoch, seq__gt=low, seq__lte=high)
        .values_list("terminal_id", flat=True)
        .distinct()[: MAX_LISTED + 1]
    )
    found = set(rows)
    return None if len(found) > MAX_LISTED else found


class Waiter:
    """One waiting request: woken by the watcher, or timed out."""

    def __init__(self, terminal_id: str) -> None:
        self.terminal_id = terminal_id
        self._event = asyncio.Event()

    def wake(self) -> None:
        self._event.set()

    async def wait(self, timeout: float) -> bool:
        """True if woken within `timeout` seconds (and ready to be woken again)."""
        try:
            await asyncio.wait_for(self._event.wait(), timeout)
        except TimeoutError:
            return False
        self._event.clear()
        return True


class FeedWatch:
    """The watcher of one event loop: see the module's docstring."""

    def __init__(self, interval: float = POLL_INTERVAL_S) -> None:
        self.interval = interval
        self._waiters: dict[str, set[Waiter]] = {}
        self._task: asyncio.Task[None] | None = None

    @asynccontextmanager
    async def listen(self, terminal_id: str) -> AsyncIterator[Waiter]:
        waiter = Waiter(terminal_id)
        self._waiters.setdefault(terminal_id, set()).add(waiter)
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._watch())
        try:
            yield waiter
        finally:
            group = self._waiters.get(terminal_id)
            if group is not None:
                group.discard(waiter)
                if not group:
                    del self._waiters[terminal_id]

    def _wake(self, terminals: set[str | None] | None) -> None:
        if terminals is None or None in terminals:
            targets = [w for group in self._waiters.values() for w in group]
        else:
            targets = [w for t in terminals if t is not None for w in self._waiters.get(t, ())]
        for waiter in targets:
            waiter.wake()

    async def _watch(self) -> None:
        """Runs while anybody waits; a new task starts with the next waiter."""
        head: tuple[str, int] | None = None
        while self._waiters:
            try:
                new = await in_thread(read_head)
                if head is None or new[0] != head[0]:
                    self._wake(None)  # the first read, or a new epoch: everybody pulls again
                elif new[1] > head[1]:
                    self._wake(await in_thread(terminals_between, new[0], head[1], new[1]))
                head = new
            except Exception:
                # The database is away: everybody pulls again (and answers its kiosk with the
                # error), the watcher tries again after the interval.
                log.exception("the feed's head could not be read")
                self._wake(None)
                head = None
            await asyncio.sleep(self.interval)


_watches: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, FeedWatch] = (
    weakref.WeakKeyDictionary()
)


def watch() -> FeedWatch:
    """This event loop's watcher (a server process has one loop; a test client makes many)."""
    loop = asyncio.get_running_loop()
    found = _watches.get(loop)
    if found is None:
        found = _watches[loop] = FeedWatch()
    return found
