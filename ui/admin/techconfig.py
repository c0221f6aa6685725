"""The technician's configuration, enrolment and backup screens.

GUI thread; validation, files, the network and SQLite run through Background.run. The rules are
`kiosk.maintenance` (which settings, when they may be saved); the device settings come from the
device descriptors through the `DeviceSettings` the composition root hands over, are checked by
the device registry and written atomically; they take effect when the kiosk restarts (the
screen says so). The idle time-out applies at once. The county address and the enrolment
identity are kept in the store and are used from the next start.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal, Slot

from kiosk.maintenance import DeviceSettings, Saved, SettingField, load_settings, save_settings
from kiosk.store import Store
from ui.admin.backup import BackupError, backup_to, backups_in, removable_media, restore_from
from ui.background import Background
from ui.errors import villager_message
from ui.models.props import derived

if TYPE_CHECKING:
    from ui.admin.staff import StaffModel

log = logging.getLogger(__name__)


class TechConfigModel(QObject):
    changed = Signal()

    def __init__(
        self,
        staff: StaffModel,
        *,
        background: Background,
        store: Store,
        devices: Callable[[], DeviceSettings],
        hub_url: Callable[[], str],
        idle_s: Callable[[], int],
        set_idle_s: Callable[[int], None],
        enrol: Callable[[str, str], str],
        terminal_code: Callable[[], str],
        now: Callable[[], datetime],
    ) -> None:
        """`devices`: the device settings (made on the writer thread); `hub_url`, `idle_s`: the
        installed defaults; `set_idle_s`: the villager's idle time, now; `enrol(hub, code)`:
        enrols with the county, returns the terminal code it assigned (network: writer thread)."""
        super().__init__()
        self._staff = staff
        self._bg, self._store = background, store
        self._device_settings = devices
        self._hub_default, self._idle_default, self._set_idle = hub_url, idle_s, set_idle_s
        self._enrol, self._terminal_code, self._now = enrol, terminal_code, now
        self._forget()
        staff.signed_out.connect(self.clear)

    def _forget(self) -> None:
        self._values: dict[str, str] = {}
        self._setting_fields: list[SettingField] = []
        self._found: dict[str, list[tuple[str, str]]] = {}  # per field, the devices plugged in
        self._finding = False
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
        store, devices_of = self._store, self._device_settings
        hub, idle = self._hub_default(), self._idle_default()

        def read() -> tuple[dict[str, str], list[SettingField], dict[str, list[tuple[str, str]]]]:
            devices = devices_of()
            values = load_settings(store, devices, hub, idle)
            return values, list(devices.fields()), devices.found()

        def shown(
            got: tuple[dict[str, str], list[SettingField], dict[str, list[tuple[str, str]]]],
        ) -> None:
            self._values, self._setting_fields, self._found = got
            self._message = ""
            self.changed.emit()

        self._bg.run(read, shown, self._error)

    @Slot()
    def findDevices(self) -> None:  # noqa: N802
        """Look again for the serial ports, USB devices and cameras plugged in (I/O: off the
        GUI thread, as every file of this page); what was typed stays."""
        if not self._ok() or self._finding:
            return
        devices_of = self._device_settings
        self._finding = True
        self._say(self.tr("正在查找接在本机上的设备…"))

        def shown(found: dict[str, list[tuple[str, str]]]) -> None:
            self._found, self._finding = found, False
            n = len({value for devices in found.values() for value, _words in devices})
            self._say(
                self.tr("找到 {n} 个设备，点一下即可选用，也可以直接输入").format(n=n)
                if n
                else self.tr("没有找到串口、USB设备、摄像头或输入设备，可以直接输入")
            )

        def failed(exc: BaseException) -> None:
            self._finding = False
            self._error(exc)

        self._bg.run(lambda: devices_of().found(), shown, failed)

    @Slot(str, str)
    def setValue(self, key: str, value: str) -> None:  # noqa: N802
        if self._ok() and key in self._values:
            self._values = {**self._values, key: value}
            # A choice shows as chosen; a typed field is not redrawn under the finger.
            if any(f.key == key and f.choices for f in self._setting_fields):
                self.changed.emit()

    @Slot(str, str)
    def pickFound(self, key: str, value: str) -> None:  # noqa: N802
        """A device found on this machine, tapped: its value goes into the field."""
        if self._ok() and key in self._values and value in dict(self._found.get(key, [])):
            self._values = {**self._values, key: value}
            self.changed.emit()

    @Slot()
    def save(self) -> None:
        if not self._ok():
            return
        store, devices_of, values = self._store, self._device_settings, dict(self._values)

        def saved(result: Saved) -> None:
            if result.ok:
                self._set_idle(int(values["idle_s"]))  # the villager's idle time, now
            self._say(result.message)

        self._bg.run(lambda: save_settings(store, devices_of(), values), saved, self._error)

    def _fields(self) -> list[dict[str, Any]]:
        if not self._values:
            return []
        plain = {"choices": [], "present": False, "found": [], "shown": True}
        rows: list[dict[str, Any]] = [
            {"key": "hub_url", "label": self.tr("县级平台地址"), **plain},
            {"key": "idle_s", "label": self.tr("无操作返回首页（秒）"), **plain},
        ]
        rows += [
            {
                "key": f.key,
                "label": f.label,
                # Each choice with its Chinese words; the value stored stays the code.
                "choices": [{"value": c, "label": f.words(c)} for c in f.choices],
                "present": bool(f.present),
                "found": [
                    {"value": value, "label": words} for value, words in self._found.get(f.key, [])
                ],
                # Only what the chosen kind of device needs (a port for a serial printer).
                "shown": not f.when or self._values.get(_kind_of(f.key)) in f.when,
            }
            for f in self._setting_fields
        ]
        return [{**r, "value": self._values.get(r["key"], "")} for r in rows]

    # -- enrolment --------------------------------------------------------------------------
    @Slot(str)
    def setEnrolCode(self, code: str) -> None:  # noqa: N802
        self._enrol_code = code.strip()

    @Slot()
    def enrol(self) -> None:
        if not self._ok() or not self._enrol_code:
            return
        enrol, code = self._enrol, self._enrol_code
        hub = self._values.get("hub_url") or self._hub_default()
        self._say(self.tr("正在向县级平台登记…"))

        def work() -> str:
            return enrol(hub, code)

        def done(code_assigned: str) -> None:
            self._restart_needed = True
            self._say(
                self.tr("登记成功，终端编号 {code}。重启乡里办后使用新身份。").format(
                    code=code_assigned
                )
            )

        self._bg.run(work, done, self._error)

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

        self._bg.run(removable_media, shown, self._error)

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
        store, folder = self._store, self._folder
        code, now = self._terminal_code(), self._now()
        self._say(self.tr("正在备份…"))

        def done(path: Path) -> None:
            self._say(
                self.tr("已备份到 {path}。备份含个人信息，请妥善保管U盘。").format(path=str(path))
            )
            self.listBackups()

        self._bg.run(lambda: backup_to(store, folder, code, now), done, self._error)

    @Slot()
    def listBackups(self) -> None:  # noqa: N802
        if not self._ok():
            return
        folder = self._folder

        def shown(found: list[str]) -> None:
            self._backups = found
            self.changed.emit()

        self._bg.run(lambda: backups_in(folder), shown, self._error)

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
        store, path = self._store, self._chosen
        self._confirm_restore = False
        self._say(self.tr("正在检查并恢复…"))

        def done(_r: object) -> None:
            self._restart_needed = True
            self._say(self.tr("已恢复。请立即重启乡里办，屏幕上的数据在重启后才是恢复后的数据。"))

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, BackupError):
                log.error("restore failed: %s", type(exc).__name__)
            self._error(exc)

        self._bg.run(lambda: restore_from(store, path), done, failed)

    _f = derived(changed)
    fields = _f(lambda s: s._fields() if s._ok() else [], "QVariantList")
    finding = _f(lambda s: s._finding, bool)
    message = _f(lambda s: s._message)
    media = _f(lambda s: list(s._media), "QVariantList")
    folder = _f(lambda s: s._folder)
    backups = _f(lambda s: list(s._backups) if s._ok() else [], "QVariantList")
    chosen = _f(lambda s: Path(s._chosen).name if s._chosen else "")
    confirmRestore = _f(lambda s: s._confirm_restore, bool)  # noqa: N815
    restartNeeded = _f(lambda s: s._restart_needed, bool)  # noqa: N815
    del _f


def _kind_of(key: str) -> str:
    """printer.device -> printer.kind: the setting that says which kind the device is."""
    return key.split(".", 1)[0] + ".kind"
