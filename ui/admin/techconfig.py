"""The technician's configuration, enrolment and backup screens.

GUI thread; validation, files, the network and SQLite run through Background.run. Device
settings are validated by `drivers.registry` and written atomically; they take effect when the
kiosk restarts (the screen says so). The idle time-out applies at once. The county address and
the enrolment identity are kept in the store and are used from the next start.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal, Slot

from ui.admin.backup import BackupError, backup_to, backups_in, removable_media, restore_from
from ui.errors import villager_message
from ui.models.props import derived

if TYPE_CHECKING:
    from ui.admin.staff import StaffModel
    from ui.app import KioskApp

log = logging.getLogger(__name__)

HUB_KEY = "settings.hub_url"
IDLE_KEY = "settings.idle_s"
# (section, key, label) of the device settings on the screen; the rest stay as they are.
DEVICE_FIELDS = (
    ("printer", "kind", "打印机类型 sim/usb/serial/network/file"),
    ("printer", "width_mm", "打印机纸宽 58/80"),
    ("printer", "device", "打印机串口或设备文件"),
    ("printer", "host", "网络打印机IP"),
    ("idcard", "kind", "身份证阅读器 sim/serial"),
    ("idcard", "port", "身份证阅读器串口"),
    ("scanner", "kind", "扫码器 sim/camera/wedge"),
    ("scanner", "camera", "扫码摄像头编号或路径"),
    ("rating", "kind", "评价器 sim/hid/serial"),
    ("rating", "port", "评价器串口"),
    ("doccam", "kind", "高拍仪 sim/camera"),
    ("doccam", "camera", "高拍仪摄像头编号或路径"),
)


@dataclass(frozen=True)
class Saved:
    message: str
    ok: bool


def devices_path(kiosk: KioskApp) -> Path:
    return kiosk.config.devices_path or kiosk.config.data_dir / "devices.json"


def _value(default: Any, text: str) -> Any:
    if isinstance(default, bool):
        return text.strip().lower() in ("1", "true", "yes", "是")
    if isinstance(default, int):
        t = text.strip()
        return int(t) if t.lstrip("-").isdigit() else t  # a non-number is reported by validation
    return text.strip()


def save_settings(kiosk: KioskApp, values: dict[str, str]) -> Saved:
    """Writer thread: validate everything first; write only if all of it is right."""
    from drivers.registry import (
        ConfigError,
        DeviceConfig,
        config_from_dict,
        load_config,
        save_config,
    )

    problems: list[str] = []
    hub = values.get("hub_url", "").strip().rstrip("/")
    if hub and not hub.startswith(("https://", "http://")):
        problems.append("县级平台地址应以 https:// 开头")
    idle_text = values.get("idle_s", "").strip()
    if not idle_text.isdigit() or not 30 <= int(idle_text) <= 600:
        problems.append("无操作返回首页的时间应是 30 到 600 秒")
    path = devices_path(kiosk)
    try:
        current = load_config(path).to_dict()
    except ConfigError:
        current = DeviceConfig().to_dict()
    for section, key, _label in DEVICE_FIELDS:
        field = f"{section}.{key}"
        if field in values:
            current[section][key] = _value(current[section][key], values[field])
    try:
        config = config_from_dict(current)
    except ConfigError as e:
        problems += e.problems
    if problems:
        return Saved("设置有误，没有保存：" + "；".join(problems), False)
    save_config(config, path)
    with kiosk.store.write("kv") as db:
        kiosk.store.set_value(db, HUB_KEY, hub)
        kiosk.store.set_value(db, IDLE_KEY, idle_text)
    return Saved("已保存。空闲时间立即生效；设备和县级平台地址在重启乡里办后生效。", True)


def load_settings(kiosk: KioskApp) -> dict[str, str]:
    """Writer thread."""
    from drivers.registry import ConfigError, DeviceConfig, load_config

    try:
        config = load_config(devices_path(kiosk)).to_dict()
    except ConfigError:
        config = DeviceConfig().to_dict()
    values = {f"{s}.{k}": str(config[s][k]) for s, k, _ in DEVICE_FIELDS}
    values["hub_url"] = kiosk.store.get_value(HUB_KEY, kiosk.config.hub_url or "")
    values["idle_s"] = kiosk.store.get_value(IDLE_KEY, str(kiosk.session.idle_s))
    return values


class TechConfigModel(QObject):
    changed = Signal()

    def __init__(self, kiosk: KioskApp, staff: StaffModel) -> None:
        super().__init__()
        self._k = kiosk
        self._staff = staff
        self._forget()
        staff.signed_out.connect(self.clear)

    def _forget(self) -> None:
        self._values: dict[str, str] = {}
        self._message = ""
        self._enrol_code = ""
        self._media: list[str] = []
        self._folder = ""
        self._backups: list[str] = []
        self._chosen = ""
        self._confirm_restore = False
        self._restart_needed = False

    @Slot()
    def clear(self) -> None:
        self._forget()
        self.changed.emit()

    def _ok(self) -> bool:
        return self._staff.allowed("technician")

    def _say(self, text: str) -> None:
        self._message = text
        self.changed.emit()

    def _error(self, exc: BaseException) -> None:
        self._say(villager_message(exc, self.tr("操作失败")))

    # -- settings ---------------------------------------------------------------------------
    @Slot()
    def load(self) -> None:
        if not self._ok():
            return
        kiosk = self._k

        def shown(values: dict[str, str]) -> None:
            self._values, self._message = values, ""
            self.changed.emit()

        self._k.bg.run(lambda: load_settings(kiosk), shown, self._error)

    @Slot(str, str)
    def setValue(self, key: str, value: str) -> None:  # noqa: N802
        if self._ok() and key in self._values:
            self._values = {**self._values, key: value}

    @Slot()
    def save(self) -> None:
        if not self._ok():
            return
        kiosk, values = self._k, dict(self._values)

        def saved(result: Saved) -> None:
            if result.ok:
                kiosk.session.idle_s = int(values["idle_s"])  # the villager's idle time, now
            self._say(result.message)

        self._k.bg.run(lambda: save_settings(kiosk, values), saved, self._error)

    def _fields(self) -> list[dict[str, str]]:
        rows = [
            {
                "key": "hub_url",
                "label": self.tr("县级平台地址"),
                "value": self._values.get("hub_url", ""),
            },
            {
                "key": "idle_s",
                "label": self.tr("无操作返回首页（秒）"),
                "value": self._values.get("idle_s", ""),
            },
        ]
        return (
            rows
            + [
                {"key": f"{s}.{k}", "label": label, "value": self._values.get(f"{s}.{k}", "")}
                for s, k, label in DEVICE_FIELDS
            ]
            if self._values
            else []
        )

    # -- enrolment --------------------------------------------------------------------------
    @Slot(str)
    def setEnrolCode(self, code: str) -> None:  # noqa: N802
        self._enrol_code = code.strip()

    @Slot()
    def enrol(self) -> None:
        if not self._ok() or not self._enrol_code:
            return
        k, code = self._k, self._enrol_code
        hub = self._values.get("hub_url") or k.config.hub_url or ""
        self._say(self.tr("正在向县级平台登记…"))

        def work() -> str:
            from sync.enrol import enrol

            identity = enrol(k.store, hub, code, clock=k.clock)
            return identity.terminal_code

        def done(code_assigned: str) -> None:
            self._restart_needed = True
            self._say(
                self.tr("登记成功，终端编号 {code}。重启乡里办后使用新身份。").format(
                    code=code_assigned
                )
            )

        self._k.bg.run(work, done, self._error)

    # -- backup and restore -----------------------------------------------------------------
    @Slot()
    def findMedia(self) -> None:  # noqa: N802
        if not self._ok():
            return

        def shown(media: list[str]) -> None:
            self._media = media
            if media and not self._folder:
                self._folder = media[0]
            self._say(
                self.tr("找到 {n} 个U盘").format(n=len(media))
                if media
                else self.tr("没有找到U盘，可以输入路径")
            )

        self._k.bg.run(removable_media, shown, self._error)

    @Slot(str)
    def setFolder(self, folder: str) -> None:  # noqa: N802
        if self._ok():
            self._folder = folder.strip()
            self._chosen = ""
            self.changed.emit()

    @Slot()
    def backup(self) -> None:
        if not self._ok():
            return
        k, folder = self._k, self._folder
        self._say(self.tr("正在备份…"))

        def done(path: Path) -> None:
            self._say(
                self.tr("已备份到 {path}。备份含个人信息，请妥善保管U盘。").format(path=str(path))
            )
            self.listBackups()

        self._k.bg.run(
            lambda: backup_to(k.store, folder, k.terminal.code, k.clock.now()), done, self._error
        )

    @Slot()
    def listBackups(self) -> None:  # noqa: N802
        if not self._ok():
            return
        folder = self._folder

        def shown(found: list[str]) -> None:
            self._backups = found
            self.changed.emit()

        self._k.bg.run(lambda: backups_in(folder), shown, self._error)

    @Slot(str)
    def chooseBackup(self, path: str) -> None:  # noqa: N802
        if self._ok() and path in self._backups:
            self._chosen, self._confirm_restore = path, True
            self.changed.emit()

    @Slot()
    def cancelRestore(self) -> None:  # noqa: N802
        self._chosen, self._confirm_restore = "", False
        self.changed.emit()

    @Slot()
    def restore(self) -> None:
        if not self._ok() or not self._confirm_restore or not self._chosen:
            return
        store, path = self._k.store, self._chosen
        self._confirm_restore = False
        self._say(self.tr("正在检查并恢复…"))

        def done(_r: object) -> None:
            self._restart_needed = True
            self._say(self.tr("已恢复。请立即重启乡里办，屏幕上的数据在重启后才是恢复后的数据。"))

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, BackupError):
                log.error("restore failed: %s", type(exc).__name__)
            self._error(exc)

        self._k.bg.run(lambda: restore_from(store, path), done, failed)

    _f = derived(changed)
    fields = _f(lambda s: s._fields() if s._ok() else [], "QVariantList")
    message = _f(lambda s: s._message)
    media = _f(lambda s: list(s._media), "QVariantList")
    folder = _f(lambda s: s._folder)
    backups = _f(lambda s: list(s._backups) if s._ok() else [], "QVariantList")
    chosen = _f(lambda s: Path(s._chosen).name if s._chosen else "")
    confirmRestore = _f(lambda s: s._confirm_restore, bool)  # noqa: N815
    restartNeeded = _f(lambda s: s._restart_needed, bool)  # noqa: N815
    del _f
