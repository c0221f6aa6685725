"""The kiosk's devices as the screens see them: each owned by one thread, results on the GUI thread.

The composition root hands over a factory per device (one per descriptor of
`drivers.registry.DEVICES`, or what a test or the demo gives), which of them report by
themselves (a scan, a button press) and how to ask one device for its health. Each device is
*made* on its own thread (so its driver libraries load after the first screen is up, and the
thread that opens a device is the one that uses it) and every job for it runs there, in order:
two screens can never talk to one USB device at once. Health is polled on a timer, each device
on its own thread.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Property, QObject, QTimer, Signal

from ui.background import Background

if TYPE_CHECKING:
    from drivers.doccam.base import DocCamPort
    from drivers.idcard.base import IdCardReaderPort
    from drivers.printer.base import PrinterPort
    from drivers.rating.base import RatingPort
    from drivers.scanner.base import ScannerPort
    from kiosk.slips import Slip

Callback = Callable[[Any], None]
# (name, device) -> {"name", "label", "state", "reason"}; runs on the device's thread, never raises
HealthProbe = Callable[[str, Any], dict[str, str]]
STUCK_POLLS = 2  # a device that has not answered for this many polls (30 s) does not respond


class Devices(QObject):
    code_scanned = Signal(str)  # emitted on the GUI thread (queued from the scanner's thread)
    level_pressed = Signal(int)  # a button on the rating device (服务评价器)
    health_changed = Signal()

    def __init__(
        self,
        background: Background,
        factories: Mapping[str, Callable[[], Any]],
        health: HealthProbe | None = None,
        listens: Mapping[str, str] | None = None,
        labels: Mapping[str, str] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._bg = background
        self.names = tuple(factories)
        self._threads = {name: background.device_thread(name) for name in self.names}
        self._made: dict[str, Future[Any]] = {}
        self._factories = dict(factories)
        # name -> "code" (its texts go to code_scanned) or "level" (to level_pressed)
        self._listens = {n: what for n, what in (listens or {}).items() if n in self._factories}
        self._health_probe = health
        self._labels = dict(labels or {})  # name -> 打印机, ... (until a probe says otherwise)
        self._health: list[dict[str, str]] = []
        self._rows: dict[str, dict[str, str]] = {}  # the last answer of each device
        self._waiting: dict[str, int] = {}  # polls since a device was asked and has not answered
        self._health_timer = QTimer(self)
        self._health_timer.setInterval(15_000)
        self._health_timer.timeout.connect(self.poll_health)

    def start(self) -> None:
        """Make every device on its own thread; the listening ones (scanner, rating device)
        start reporting."""
        for name in self.names:
            factory = self._factories[name]
            if self._bg.synchronous:
                fut: Future[Any] = Future()
                fut.set_result(factory())
            else:
                fut = self._threads[name].submit(factory)
            self._made[name] = fut
        for name, what in self._listens.items():
            report = self._report(what)
            self._on_thread(name, lambda d, report=report: d.start(report), None, None)
        if self._health_probe is not None:
            self._health_timer.start()
            self.poll_health()

    def _report(self, what: str) -> Callable[[Any], None]:
        if what == "code":
            return lambda text: self.code_scanned.emit(str(text))
        if what == "level":
            return lambda level: self.level_pressed.emit(int(level))
        raise ValueError(f"a device cannot report {what!r}")

    def stop(self) -> None:
        self._health_timer.stop()
        for name in self._listens:
            if name in self._made:
                self._on_thread(name, lambda d: d.stop(), None, None)

    def made(self, name: str) -> Any | None:
        """The device if it is already made, else None (never waits: safe on the GUI thread)."""
        fut = self._made.get(name)
        return fut.result() if fut is not None and fut.done() and fut.exception() is None else None

    def device(self, name: str) -> Any:
        """The device object itself (waits until it is made): for tests, the demo, the technician."""
        return self._made[name].result(timeout=60)

    @property
    def printer(self) -> PrinterPort:
        return self.device("printer")

    @property
    def idcard(self) -> IdCardReaderPort:
        return self.device("idcard")

    @property
    def scanner(self) -> ScannerPort:
        return self.device("scanner")

    @property
    def rating(self) -> RatingPort:
        return self.device("rating")

    @property
    def doccam(self) -> DocCamPort:
        return self.device("doccam")

    def run(
        self, name: str, job: Callable[[Any], Any], on_done: Callback, on_error: Callback
    ) -> None:
        """Any job on the device's own thread (the technician's tests)."""
        self._on_thread(name, job, on_done, on_error)

    def _on_thread(
        self,
        name: str,
        job: Callable[[Any], Any],
        on_done: Callback | None,
        on_error: Callback | None,
    ) -> None:
        made = self._made[name]
        self._bg.run(lambda: job(made.result()), on_done, on_error, self._threads[name])

    def print_slip(self, slip: Slip, on_done: Callback, on_error: Callback) -> None:
        self._on_thread("printer", lambda p: p.print_slip(slip), on_done, on_error)

    def read_card(self, on_done: Callback, on_error: Callback, timeout_s: float = 8.0) -> None:
        self._on_thread("idcard", lambda r: r.read_card(timeout_s), on_done, on_error)

    def capture_page(self, on_done: Callback, on_error: Callback) -> None:
        self._on_thread("doccam", lambda c: c.capture(), on_done, on_error)

    # -- health ------------------------------------------------------------------------------
    def poll_health(self) -> None:
        """Ask every device for its health, each on its own thread (a probe never races the
        device's own jobs); each row is shown as it comes. A device still busy with the probe
        asked `STUCK_POLLS` polls ago (a job that hangs) is shown as not answering."""
        if self._health_probe is None or len(self._made) < len(self.names):
            return
        probe = self._health_probe
        for name in self.names:
            if self._waiting.get(name):
                self._waiting[name] += 1
                if self._waiting[name] > STUCK_POLLS:
                    label = self._rows.get(name, {}).get("label") or self._labels.get(name, name)
                    reason = f"{label}没有响应，请联系技术人员。"
                    self._show_row(
                        name, {"name": name, "label": label, "state": "error", "reason": reason}
                    )
                continue
            self._waiting[name] = 1
            self._on_thread(
                name,
                lambda d, name=name: probe(name, d),
                lambda row, name=name: self._answered(name, row),
                lambda _e, name=name: self._answered(name, None),
            )

    def _answered(self, name: str, row: dict[str, str] | None) -> None:
        self._waiting[name] = 0
        if row is not None:
            self._show_row(name, row)

    def _show_row(self, name: str, row: dict[str, str]) -> None:
        self._rows = {**self._rows, name: row}
        self._health_ready([self._rows[n] for n in self.names if n in self._rows])

    def _health_ready(self, rows: list[dict[str, str]]) -> None:
        if rows != self._health:
            self._health = rows
            self.health_changed.emit()

    @Property("QVariantList", notify=health_changed)
    def health(self) -> list[dict[str, str]]:
        return self._health

    def health_rows(self) -> list[dict[str, str]]:
        """The health rows for another thread (the sync client's health report): a plain read
        of a list the GUI thread replaces whole, never changes in place; no Qt property call."""
        return list(self._health)

    @Property(str, notify=health_changed)
    def problemText(self) -> str:  # noqa: N802
        """One line for the status bar: which device needs the agent, or nothing."""
        return problem_line(self._health)


def problem_line(rows: list[dict[str, str]]) -> str:
    """The status bar's line for the devices that are not ok: what the device says of itself
    when its reason starts by naming it (打印机缺纸, 打印机盖没有合上: the agent knows what to
    do, and it is what the receipt page says too), otherwise 〈device〉需要检修. A reason meant for
    the technician (dialout, USB) never reaches the villager's status bar."""
    said, repair = [], []
    for row in rows:
        if row["state"] == "ok":
            continue
        label = row.get("label") or row.get("name", "")
        first = re.split("[，。；]", row.get("reason") or "", maxsplit=1)[0]
        if label and first.startswith(label) and len(first) > len(label):
            said.append(first)
        else:
            repair.append(label)
    return "，".join([*said, *(["、".join(repair) + "需要检修"] if repair else [])])
