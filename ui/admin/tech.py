"""The technician's menu: devices and their tests, sync, logs, version, leaving kiosk mode.

GUI thread. The composition root (ui/admin/__init__.py) hands over what this page needs: the
Devices facade (jobs on each device's thread, health, scans and presses), one row per device
descriptor (its name, label and test), and callables for the counts, the version lines and the
sync worker; what the sync page says is `kiosk.maintenance.sync_lines`, worded here. Nothing is
shown or done unless a technician is signed in (`StaffModel.allowed("technician")`); the
results of tests are forgotten when the session ends.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, QUrl, Signal, Slot

from kiosk.evaluations import Level
from kiosk.idnumber import mask, mask_name
from kiosk.ids import new_id
from kiosk.maintenance import Line, SyncState, sync_lines
from kiosk.slip_layouts import test_page_slip
from ui.admin.logbuffer import ring_handler
from ui.background import Background
from ui.errors import villager_message
from ui.models.props import derived

if TYPE_CHECKING:
    from ui.admin.staff import StaffModel
    from ui.devices import Devices

log = logging.getLogger(__name__)
SERVICE = "xiangli-kiosk.service"


def leave_kiosk_mode() -> None:
    """Stop the kiosk service under systemd (a polkit rule allows the kiosk user exactly
    this); run from a shell, just quit. Any thread."""
    if os.environ.get("INVOCATION_ID") and shutil.which("systemctl"):
        done = subprocess.run(["systemctl", "stop", "--no-block", SERVICE], check=False, timeout=20)
        if done.returncode == 0:
            return
    app = QCoreApplication.instance()
    if app is not None:
        app.quit()


class SyncPort:
    """The sync worker as this page sees it (sync.worker.SyncWorker): its status, sync now."""

    status: SyncState

    def sync_now(self) -> None: ...


class TechModel(QObject):
    changed = Signal()

    def __init__(
        self,
        staff: StaffModel,
        *,
        background: Background,
        devices: Devices,
        device_rows: Sequence[Mapping[str, str]],
        counts: Callable[[], tuple[int, int]],
        version: Callable[[], list[Line]],
        sync: Callable[[], SyncPort | None],
        hub_configured: Callable[[], bool],
        station: str,
        notes: Callable[[], list[str]] = list,
        confirm_time: Callable[[str], object] | None = None,
    ) -> None:
        """`device_rows`: per device descriptor, in order, {name, label, test, testLabel,
        listens}; `counts`: (waiting uploads, parked records), `version`: the version lines, both
        on the writer thread; `sync`: the worker once it is made, else None."""
        super().__init__()
        self._staff = staff
        self._bg = background
        self._devices = devices
        self._rows = [dict(r) for r in device_rows]
        self._listener = {r["listens"]: r["name"] for r in self._rows if r.get("listens")}
        self._counts, self._version_of = counts, version
        self._sync, self._hub_configured = sync, hub_configured
        self._station = station
        # The kiosk's data: an unconfirmed clock, photos that keep failing (writer thread).
        self._notes_of, self._confirm_time = notes, confirm_time
        self.leave: Callable[[], None] = leave_kiosk_mode  # tests replace it
        self._image = ""
        self._forget()
        staff.signed_out.connect(self.clear)
        devices.code_scanned.connect(self._scanned)
        devices.level_pressed.connect(self._level)
        devices.health_changed.connect(self.changed)

    def _forget(self) -> None:
        self._results: dict[str, str] = {}
        # What a test read besides its result (the printer's paper): {text, tone} per device.
        self._details: dict[str, dict[str, Any]] = {}
        self._last_scan = ""
        self._last_level = ""
        self._logs: list[str] = []
        self._version: list[Line] = []
        self._confirm_leave = False
        self._pending = 0
        self._parked = 0
        self._notes: list[str] = []
        self._drop_image()

    def _drop_image(self) -> None:
        image, self._image = self._image, ""
        if image:
            self._bg.run(lambda: Path(image).unlink(missing_ok=True))

    @Slot()
    def clear(self) -> None:
        self._forget()
        self.changed.emit()

    def _ok(self) -> bool:
        return self._staff.allowed("technician")

    def _result(self, name: str, text: str) -> None:
        self._results = {**self._results, name: text}
        self.changed.emit()

    # -- devices ----------------------------------------------------------------------------
    @Slot()
    def refresh(self) -> None:
        if not self._ok():
            return
        self._devices.poll_health()
        counts, version, notes = self._counts, self._version_of, self._notes_of

        def read() -> tuple[int, int, list[Line], list[str]]:
            return (*counts(), version(), notes())

        def shown(got: tuple[int, int, list[Line], list[str]]) -> None:
            self._pending, self._parked, self._version, self._notes = got
            self.changed.emit()

        self._bg.run(read, shown)

    def on_store_changed(self, tables: frozenset[str]) -> None:
        """The composition root calls this when the store changed (as the villager pages)."""
        if self._ok() and "outbox" in tables:
            self.refresh()

    def on_sync_status(self, _status: object) -> None:
        self.changed.emit()

    @Slot(str)
    def testDevice(self, name: str) -> None:  # noqa: N802
        """The test of the device's descriptor: print, read a card or take a photo."""
        row = next((r for r in self._rows if r["name"] == name), None)
        if not self._ok() or row is None:
            return
        test = {
            "print": self._test_print,
            "read_card": self._test_card,
            "capture": self._test_capture,
        }
        if row["test"] in test:
            test[row["test"]](name)

    def _failed(self, name: str, what: str) -> Callable[[BaseException], None]:
        return lambda e: self._result(name, "✘ " + villager_message(e, what))

    def _test_print(self, name: str) -> None:
        self._result(name, self.tr("正在打印测试页…"))
        self._details = {k: v for k, v in self._details.items() if k != name}
        slip = test_page_slip(self._station, new_id())

        def job(p: Any) -> tuple[BaseException | None, str]:
            """On the printer's thread: print, then read the paper state the driver reports
            (`PrinterStatus`: ok, paper_near_end, paper_out, cover_open, offline)."""
            failure: BaseException | None = None
            try:
                p.print_slip(slip)
            except Exception as e:  # shown with the paper state, which says why
                failure = e
            try:
                state = str(p.status().value)
            except Exception as e:
                log.info("printer status after the test failed: %s", type(e).__name__)
                state = "offline"
            return failure, state

        def done(got: tuple[BaseException | None, str]) -> None:
            failure, state = got
            self._devices.poll_health()  # the row's state follows what the test just read
            tone = {"ok": "good", "paper_near_end": "warn"}.get(state, "bad")
            self._details = {**self._details, name: {"text": self._paper(state), "tone": tone}}
            if failure is None:
                self._result(name, self.tr("✔ 测试页已打印，请检查字迹和二维码"))
            else:
                self._result(name, "✘ " + self.tr("测试页没有打印出来"))

        self._devices.run(name, job, done, self._failed(name, self.tr("打印失败")))

    def _paper(self, state: str) -> str:
        """The printer driver's status, as the technician reads it."""
        words = {
            "ok": self.tr("纸张：正常"),
            "paper_near_end": self.tr("纸张：快用完了，请准备换纸"),
            "paper_out": self.tr("纸张：没有纸了，请装纸"),
            "cover_open": self.tr("纸张：纸仓盖开着，请合上"),
            "offline": self.tr("纸张：读不到（打印机没有连接或没有开机）"),
        }
        return words.get(state, self.tr("纸张：读不到（打印机没有连接或没有开机）"))

    def _test_card(self, name: str) -> None:
        self._result(name, self.tr("请把身份证放在读卡区…"))
        self._devices.run(
            name,
            lambda r: r.read_card(8.0),
            lambda c: self._result(name, f"✔ {mask_name(c.name)} {mask(c.id_number)}"),
            self._failed(name, self.tr("读卡失败")),
        )

    def _test_capture(self, name: str) -> None:
        self._result(name, self.tr("正在拍摄…"))

        def taken(page: Any) -> None:
            def write() -> str:
                fd, path = tempfile.mkstemp(prefix="xiangli-doccam-", suffix=".jpg")
                with os.fdopen(fd, "wb") as f:
                    f.write(page.jpeg)
                return path

            def shown(path: str) -> None:
                self._drop_image()
                self._image = path
                found = (
                    self.tr("已找到纸张边缘") if page.page_found else self.tr("没有找到纸张边缘")
                )
                self._result(name, f"✔ {page.width}×{page.height}，{found}")

            self._bg.run(write, shown)

        self._devices.run(
            name, lambda c: c.capture(), taken, self._failed(name, self.tr("拍摄失败"))
        )

    def _scanned(self, text: str) -> None:
        name = self._listener.get("code")  # the device whose descriptor reports scans
        if self._ok() and name:
            # Receipts carry a case number, not a person: shown as scanned, cut to one line.
            self._last_scan = text[:60]
            self._result(name, self.tr("✔ 扫到：") + self._last_scan)

    def _level(self, level: int) -> None:
        name = self._listener.get("level")  # the device whose descriptor reports presses
        if self._ok() and name:
            self._last_level = f"{level} · {Level(level).label}"
            self._result(name, self.tr("✔ 收到按键：") + self._last_level)

    # -- sync -------------------------------------------------------------------------------
    @Slot()
    def syncNow(self) -> None:  # noqa: N802
        if not self._ok():
            return
        worker = self._sync()
        if worker is None:
            self._result("sync", self.tr("未设置县级平台地址，本机只离线工作"))
            return
        worker.sync_now()
        self._result("sync", self.tr("已开始同步…"))

    def _sync_lines(self) -> list[str]:
        worker = self._sync()
        lines = sync_lines(
            worker.status if worker is not None else None,
            hub_configured=self._hub_configured(),
            pending=self._pending,
            parked=self._parked,
        )
        return [self._word(line.key, line.values) for line in lines] + self._notes

    @Slot()
    def confirmTime(self) -> None:  # noqa: N802
        """The technician checked the time shown against a phone and confirms it."""
        account = self._staff.account
        if not self._ok() or account is None or self._confirm_time is None:
            return
        confirm, account_id = self._confirm_time, account.id
        self._bg.run(lambda: confirm(account_id), lambda _r: self.refresh())

    def _word(self, key: str, v: Mapping[str, Any]) -> str:
        """A line of `kiosk.maintenance.sync_lines` in the technician's language."""
        if key in ("online", "offline"):
            return (self.tr("● 在线") if key == "online" else self.tr("○ 离线")) + (
                self.tr("（正在同步）") if v["syncing"] else ""
            )
        words = {
            "offline_only": self.tr("未设置县级平台地址，本机只离线工作"),
            "not_started": self.tr("同步尚未启动"),
            "pending": self.tr("待上传：{n} 条"),
            "parked": self.tr("被拒收或冲突：{n} 条"),
            "pending_and_photos": self.tr("待上传：{n} 条，材料照片待上传：{b} 张"),
            "rejected_and_conflicts": self.tr("被拒收：{r} 条，冲突：{c} 条"),
            "last_success": self.tr("上次成功：{t}"),
            "last_error": self.tr("最近错误：{e}"),
            "set_aside": self.tr("县级下发的异常变更（已搁置）：{n} 条"),
        }
        return words[key].format(**v)

    def _version_line(self, line: Line) -> str:
        """A line of `kiosk.maintenance.version_lines` in the technician's language."""
        v = line.values
        if line.key == "app":
            return self.tr("乡里办 版本 {v}").format(v=v["v"] or self.tr("源码运行"))
        if line.key == "hub" and not v["url"]:
            return self.tr("县级平台地址：未设置，本机只离线工作")
        if line.key == "data" and not v["path"]:
            return self.tr("数据文件夹：无（数据只在内存中）")
        words = {
            "schema": self.tr("数据结构版本：{n}"),
            "terminal": self.tr("终端编号：{code}　终端ID：{id}"),
            "hub": self.tr("县级平台地址：{url}"),
            "data": self.tr("数据文件夹：{path}"),
            "runtime": self.tr("Python {python} · Qt {qt}"),
        }
        return words[line.key].format(**v)

    # -- logs -------------------------------------------------------------------------------
    @Slot()
    def loadLogs(self) -> None:  # noqa: N802
        if self._ok():
            self._logs = ring_handler().lines()[-200:]
            self.changed.emit()

    # -- leaving ----------------------------------------------------------------------------
    @Slot()
    def askLeave(self) -> None:  # noqa: N802
        if self._ok():
            self._confirm_leave = True
            self.changed.emit()

    @Slot()
    def cancelLeave(self) -> None:  # noqa: N802
        self._confirm_leave = False
        self.changed.emit()

    @Slot()
    def leaveKiosk(self) -> None:  # noqa: N802
        if not self._ok() or not self._confirm_leave:
            return
        log.warning("the technician left kiosk mode")
        leave = self.leave
        self._staff.signOut()
        self._bg.run(leave)

    # -- what the screens show ----------------------------------------------------------------
    def _device_rows(self) -> list[dict[str, str]]:
        """Per device descriptor, in order: its label, test and health (unknown until polled)."""
        if not self._ok():
            return []
        health = {h["name"]: h for h in self._devices.health}
        unknown = {"state": "", "reason": ""}
        return [
            {**r, **{k: health.get(r["name"], unknown)[k] for k in ("state", "reason")}}
            for r in self._rows
        ]

    _f = derived(changed)
    devices = _f(lambda s: s._device_rows(), "QVariantList")
    results = _f(lambda s: dict(s._results) if s._ok() else {}, "QVariantMap")
    details = _f(lambda s: dict(s._details) if s._ok() else {}, "QVariantMap")
    lastScan = _f(lambda s: s._last_scan)  # noqa: N815
    lastLevel = _f(lambda s: s._last_level)  # noqa: N815
    imageUrl = _f(lambda s: QUrl.fromLocalFile(s._image).toString() if s._image else "")  # noqa: N815
    syncLines = _f(lambda s: s._sync_lines() if s._ok() else [], "QVariantList")  # noqa: N815
    logs = _f(lambda s: "\n".join(s._logs) if s._ok() else "")
    versionLines = _f(  # noqa: N815
        lambda s: [s._version_line(line) for line in s._version] if s._ok() else [], "QVariantList"
    )
    confirmLeave = _f(lambda s: s._confirm_leave, bool)  # noqa: N815
    timeUnconfirmed = _f(lambda s: s._ok() and any("时钟未确认" in n for n in s._notes), bool)  # noqa: N815
    del _f
