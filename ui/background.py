"""Run work off the GUI thread and deliver its result on it.

`Background.run(fn, on_done, on_error)` runs `fn` on the single writer thread (SQLite writes are
serialised there) or on a device's own thread (`executor=`), then calls `on_done(result)` or
`on_error(exc)` on the GUI thread through a queued signal. Worker code never touches a QObject
of the GUI thread; only the callbacks do.

Tests construct it with `synchronous=True` (Picard's FakeThreadPool idea): work runs inline and
callbacks are called at once, so GUI tests are deterministic.

`hold()` keeps the jobs asked for from then on until `release()`: the kiosk holds them while it
starts, so no worker thread competes with the GUI thread (Python's lock) for the first frame.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

log = logging.getLogger(__name__)

Callback = Callable[[Any], None]


class Background(QObject):
    _finished = Signal(object, object, object, object)  # on_done, on_error, result, error

    def __init__(self, synchronous: bool = False, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.synchronous = synchronous
        self.writer: Executor = ThreadPoolExecutor(1, thread_name_prefix="xiangli-writer")
        self._executors: list[Executor] = [self.writer]
        self._held: list[tuple[Executor, Callable[[], Any], Callback | None, Callback | None]] = []
        self._holding = False
        self._finished.connect(self._deliver)

    def hold(self) -> None:
        """Keep the jobs asked for from now on (in order) until `release()`; synchronous: no-op."""
        self._holding = not self.synchronous

    def release(self) -> None:
        """Hand the held jobs to their threads, in the order they were asked for."""
        self._holding = False
        held, self._held = self._held, []
        for executor, fn, on_done, on_error in held:
            self._submit(executor, fn, on_done, on_error)

    def device_thread(self, name: str) -> Executor:
        """A dedicated thread for one device: every job for that device runs there, in order."""
        ex = ThreadPoolExecutor(1, thread_name_prefix=f"xiangli-{name}")
        self._executors.append(ex)
        return ex

    def run(
        self,
        fn: Callable[[], Any],
        on_done: Callback | None = None,
        on_error: Callback | None = None,
        executor: Executor | None = None,
    ) -> None:
        if self.synchronous:
            try:
                result = fn()
            except Exception as e:
                self._deliver(on_done, on_error, None, e)
            else:
                self._deliver(on_done, on_error, result, None)
            return
        if self._holding:
            self._held.append((executor or self.writer, fn, on_done, on_error))
            return
        self._submit(executor or self.writer, fn, on_done, on_error)

    def _submit(
        self,
        executor: Executor,
        fn: Callable[[], Any],
        on_done: Callback | None,
        on_error: Callback | None,
    ) -> None:
        fut = executor.submit(fn)
        fut.add_done_callback(lambda f: self._emit(f, on_done, on_error))

    def _emit(self, fut: Future, on_done: Callback | None, on_error: Callback | None) -> None:
        err = fut.exception()
        self._finished.emit(on_done, on_error, None if err else fut.result(), err)

    @Slot(object, object, object, object)
    def _deliver(
        self, on_done: Callback | None, on_error: Callback | None, result: Any, error: Any
    ) -> None:
        if error is not None:
            if on_error is not None:
                on_error(error)
            else:
                log.error("background job failed", exc_info=error)
        elif on_done is not None:
            on_done(result)

    def shutdown(self) -> None:
        self._holding = False
        self._held.clear()  # never started: the kiosk stops before its first frame
        for ex in self._executors:
            ex.shutdown(wait=True, cancel_futures=False)
