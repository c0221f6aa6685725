"""The technician's menu: devices and their tests, sync, logs, version, leaving kiosk mode.

GUI thread. Device jobs go through the Devices facade (each on its device's thread), store reads
through Background.run. Nothing is shown or done unless a technician is signed in
(`StaffModel.allowed("technician")`); the results of tests are forgotten when the session ends.
"""

from __future__ import annotations

import logging
import os
import platform
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, QUrl, Signal, Slot, qVersion

from kiosk.clock import local_text
from kiosk.evaluations import Level
from kiosk.idnumber import mask, mask_name
from kiosk.ids import new_id
from kiosk.slip_layouts import test_page_slip
from ui.admin.logbuffer import ring_handler
from ui.errors import villager_message
from ui.models.props import derived

if TYPE_CHECKING:
    from ui.admin.staff import StaffModel
    from ui.app import KioskApp

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


def version_lines(kiosk: KioskApp) -> list[str]:
    """Writer thread."""
    try:
        from importlib.metadata import version

        ours = version("xiangli")
    except Exception:  # noqa: BLE001 - running from a source tree
        ours = "源码运行"
    migrations = [
        r[0] for r in kiosk.store.db().execute("SELECT name FROM _sqlite_migrations ORDER BY name")
    ]
    return [
        f"乡里办 {ours}",
        f"Python {platform.python_version()} · Qt {qVersion()}",
        f"终端编号 {kiosk.terminal.code} · 终端ID {kiosk.terminal.id}",
        f"数据结构 {len(migrations)} 项迁移，最新 {migrations[-1] if migrations else '—'}",
        f"数据文件 {kiosk.store.path}",
    ]


class TechModel(QObject):
    changed = Signal()

    def __init__(self, kiosk: KioskApp, staff: StaffModel) -> None:
        super().__init__()
        self._k = kiosk
        self._staff = staff
        self.leave: Callable[[], None] = leave_kiosk_mode  # tests replace it
        self._image = ""
        self._forget()
        staff.signed_out.connect(self.clear)
        kiosk.devices.code_scanned.connect(self._scanned)
        kiosk.devices.level_pressed.connect(self._level)
        kiosk.devices.health_changed.connect(self.changed)
        kiosk.relay.sync_status.connect(lambda _s: self.changed.emit())
        kiosk.relay.tables_changed.connect(self._tables)

    def _forget(self) -> None:
        self._results: dict[str, str] = {}
        self._last_scan = ""
        self._last_level = ""
        self._logs: list[str] = []
        self._version: list[str] = []
        self._confirm_leave = False
        self._pending = 0
        self._parked = 0
        self._drop_image()

    def _drop_image(self) -> None:
        image, self._image = self._image, ""
        if image:
            self._k.bg.run(lambda: Path(image).unlink(missing_ok=True))

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
        self._k.devices.poll_health()
        store = self._k.store
        kiosk = self._k

        def counts() -> tuple[int, int, list[str]]:
            return store.pending_count(), store.parked_count(), version_lines(kiosk)

        def shown(got: tuple[int, int, list[str]]) -> None:
            self._pending, self._parked, self._version = got
            self.changed.emit()

        self._k.bg.run(counts, shown)

    def _tables(self, tables: frozenset[str]) -> None:
        if self._ok() and "outbox" in tables:
            self.refresh()

    @Slot()
    def testPrinter(self) -> None:  # noqa: N802
        if not self._ok():
            return
        self._result("printer", self.tr("正在打印测试页…"))
        self._k.devices.print_slip(
            test_page_slip(self._k.config.station, new_id()),
            lambda _r: self._result("printer", self.tr("✔ 测试页已打印，请检查字迹和二维码")),
            lambda e: self._result("printer", "✘ " + villager_message(e, self.tr("打印失败"))),
        )

    @Slot()
    def testCard(self) -> None:  # noqa: N802
        if not self._ok():
            return
        self._result("idcard", self.tr("请把身份证放在读卡区…"))
        self._k.devices.read_card(
            lambda c: self._result("idcard", f"✔ {mask_name(c.name)} {mask(c.id_number)}"),
            lambda e: self._result("idcard", "✘ " + villager_message(e, self.tr("读卡失败"))),
        )

    @Slot()
    def testCamera(self) -> None:  # noqa: N802
        if not self._ok():
            return
        self._result("doccam", self.tr("正在拍摄…"))

        def taken(page: Any) -> None:
            def write() -> str:
                fd, name = tempfile.mkstemp(prefix="xiangli-doccam-", suffix=".jpg")
                with os.fdopen(fd, "wb") as f:
                    f.write(page.jpeg)
                return name

            def shown(name: str) -> None:
                self._drop_image()
                self._image = name
                found = (
                    self.tr("已找到纸张边缘") if page.page_found else self.tr("没有找到纸张边缘")
                )
                self._result("doccam", f"✔ {page.width}×{page.height}，{found}")

            self._k.bg.run(write, shown)

        self._k.devices.capture_page(
            taken, lambda e: self._result("doccam", "✘ " + villager_message(e, self.tr("拍摄失败")))
        )

    def _scanned(self, text: str) -> None:
        if self._ok():
            # Receipts carry a case number, not a person: shown as scanned, cut to one line.
            self._last_scan = text[:60]
            self._result("scanner", self.tr("✔ 扫到：") + self._last_scan)

    def _level(self, level: int) -> None:
        if self._ok():
            self._last_level = f"{level} · {Level(level).label}"
            self._result("rating", self.tr("✔ 收到按键：") + self._last_level)

    # -- sync -------------------------------------------------------------------------------
    @Slot()
    def syncNow(self) -> None:  # noqa: N802
        if not self._ok():
            return
        if self._k.sync is None:
            self._result("sync", self.tr("未设置县级平台地址，本机只离线工作"))
            return
        self._k.sync.sync_now()
        self._result("sync", self.tr("已开始同步…"))

    def _sync_lines(self) -> list[str]:
        s = self._k.sync.status if self._k.sync is not None else None
        if s is None:
            return [
                self.tr("未设置县级平台地址，本机只离线工作")
                if not self._k.config.hub_url
                else self.tr("同步尚未启动"),
                self.tr("待上传：{n} 条").format(n=self._pending),
                self.tr("被拒收或冲突：{n} 条").format(n=self._parked),
            ]
        return [
            (self.tr("● 在线") if s.online else self.tr("○ 离线"))
            + (self.tr("（正在同步）") if s.syncing else ""),
            self.tr("待上传：{n} 条，材料照片待上传：{b} 张").format(
                n=s.pending, b=s.blobs_pending
            ),
            self.tr("被拒收：{r} 条，冲突：{c} 条").format(r=s.rejected, c=s.conflicts),
            self.tr("县级下发的异常变更（已搁置）：{n} 条").format(n=s.set_aside),
            self.tr("上次成功：{t}").format(
                t=local_text(s.last_success) if s.last_success else "—"
            ),
            self.tr("最近错误：{e}").format(e=s.last_error or "—"),
        ]

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
        self._k.bg.run(leave)

    # -- what the screens show ----------------------------------------------------------------
    def _health(self) -> list[dict[str, str]]:
        return list(self._k.devices.health) if self._ok() else []

    _f = derived(changed)
    health = _f(lambda s: s._health(), "QVariantList")
    results = _f(lambda s: dict(s._results) if s._ok() else {}, "QVariantMap")
    lastScan = _f(lambda s: s._last_scan)  # noqa: N815
    lastLevel = _f(lambda s: s._last_level)  # noqa: N815
    imageUrl = _f(lambda s: QUrl.fromLocalFile(s._image).toString() if s._image else "")  # noqa: N815
    syncLines = _f(lambda s: s._sync_lines() if s._ok() else [], "QVariantList")  # noqa: N815
    logs = _f(lambda s: "\n".join(s._logs) if s._ok() else "")
    versionLines = _f(lambda s: list(s._version) if s._ok() else [], "QVariantList")  # noqa: N815
    confirmLeave = _f(lambda s: s._confirm_leave, bool)  # noqa: N815
    del _f
