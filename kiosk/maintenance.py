"""The technician's rules: which settings there are and when they may be saved, what the sync
page says, and the version lines.

Plain Python: the technician's view-models (ui/admin/tech.py, techconfig.py) show what these
return and word the sync lines in the technician's language. The device settings are read,
checked and written by whatever the composition root hands in (`DeviceSettings`, the device
registry's file), so this module knows no device.
"""

from __future__ import annotations

import platform
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from kiosk.clock import local_text
from kiosk.commands import Terminal
from kiosk.store import Store

HUB_KEY = "settings.hub_url"
IDLE_KEY = "settings.idle_s"
IDLE_RANGE = (30, 600)


# -- settings -------------------------------------------------------------------------------
@dataclass(frozen=True)
class SettingField:
    key: str  # "hub_url", "idle_s", or "<device>.<setting>" ("printer.width_mm")
    label: str
    choices: tuple[str, ...] = ()  # empty: typed in
    labels: tuple[str, ...] = ()  # each choice's Chinese words, in order (the code is stored)
    present: tuple[str, ...] = ()  # sorts of device found on this machine to pick from
    pair: str = ""  # a USB id: the product id's key ("printer.usb_pid"); this one the vendor's
    when: tuple[str, ...] = ()  # shown only while its device's kind is one of these; (): always

    def words(self, value: str) -> str:
        """A choice's Chinese words (the value itself if it has none)."""
        return dict(zip(self.choices, self.labels, strict=False)).get(value, value)


class DeviceSettings(Protocol):
    """The device configuration file, as the composition root hands it over."""

    def fields(self) -> Sequence[SettingField]: ...

    def current(self) -> dict[str, dict[str, Any]]:
        """Per device, its settings as saved (the defaults if the file is missing or broken)."""
        ...

    def problems(self, raw: dict[str, dict[str, Any]]) -> list[str]:
        """Every problem of a configuration, in Chinese; [] if it may be saved."""
        ...

    def save(self, raw: dict[str, dict[str, Any]]) -> None:
        """Written atomically."""
        ...

    def found(self) -> dict[str, list[tuple[str, str]]]:
        """I/O (never on the GUI thread): per field with `present`, the devices of those sorts
        on this machine, as (value, words)."""
        ...


@dataclass(frozen=True)
class Saved:
    message: str
    ok: bool


def typed(default: Any, text: str) -> Any:
    """What the technician typed, as the type of the setting's current value."""
    if isinstance(default, bool):
        return text.strip().lower() in ("1", "true", "yes", "是")
    if isinstance(default, int):
        t = text.strip()
        return int(t) if t.lstrip("-").isdigit() else t  # a non-number is reported by validation
    return text.strip()


def usb_id_text(vendor: int, product: int) -> str:
    """A USB id as lsusb writes it ("0416:5011"); "" while none is set."""
    return f"{vendor:04x}:{product:04x}" if vendor or product else ""


def usb_id(text: str) -> tuple[int, int] | None:
    """ "0416:5011" -> (0x0416, 0x5011); "" -> (0, 0) (none set); None if it is not a USB id."""
    t = text.strip().lower()
    if not t:
        return 0, 0
    m = re.fullmatch(r"(?:0x)?([0-9a-f]{1,4})\s*[:：]\s*(?:0x)?([0-9a-f]{1,4})", t)
    return (int(m.group(1), 16), int(m.group(2), 16)) if m else None


def _name(key: str) -> str:
    return key.split(".", 1)[1]


def load_settings(
    store: Store, devices: DeviceSettings, hub_default: str, idle_default: int
) -> dict[str, str]:
    """Writer thread: every field of the settings page with its current value, as text."""
    config = devices.current()
    values = {}
    for f in devices.fields():
        section, key = f.key.split(".", 1)
        if f.pair:
            values[f.key] = usb_id_text(config[section][key], config[section][_name(f.pair)])
        else:
            values[f.key] = str(config[section][key])
    values["hub_url"] = store.get_value(HUB_KEY, hub_default)
    values["idle_s"] = store.get_value(IDLE_KEY, str(idle_default))
    return values


def settings_problems(values: Mapping[str, str]) -> list[str]:
    """The kiosk's own settings (the county's address, the idle time), in Chinese."""
    problems = []
    hub = values.get("hub_url", "").strip().rstrip("/")
    if hub and not hub.startswith(("https://", "http://")):
        problems.append("县级平台地址应以 https:// 开头")
    idle_text = values.get("idle_s", "").strip()
    low, high = IDLE_RANGE
    if not idle_text.isdigit() or not low <= int(idle_text) <= high:
        problems.append(f"无操作返回首页的时间应是 {low} 到 {high} 秒")
    return problems


def save_settings(store: Store, devices: DeviceSettings, values: Mapping[str, str]) -> Saved:
    """Writer thread: validate everything first; write only if all of it is right."""
    problems = settings_problems(values)
    config = devices.current()
    for f in devices.fields():
        if f.key in values:
            section, key = f.key.split(".", 1)
            if f.pair:
                ids = usb_id(values[f.key])
                if ids is None:
                    problems.append(f"{f.label}应写成 0416:5011 这样的两组四位十六进制数")
                    continue
                config[section][key], config[section][_name(f.pair)] = ids
            else:
                config[section][key] = typed(config[section][key], values[f.key])
    problems += devices.problems(config)
    if problems:
        return Saved("设置有误，没有保存：" + "；".join(problems), False)
    devices.save(config)
    with store.write("kv") as db:
        store.set_value(db, HUB_KEY, values.get("hub_url", "").strip().rstrip("/"))
        store.set_value(db, IDLE_KEY, values.get("idle_s", "").strip())
    return Saved("已保存。空闲时间立即生效；设备和县级平台地址在重启乡里办后生效。", True)


# -- the sync page ----------------------------------------------------------------------------
class SyncState(Protocol):
    """What the sync worker reports (sync.worker.SyncStatus)."""

    online: bool
    syncing: bool
    pending: int
    blobs_pending: int
    rejected: int
    conflicts: int
    last_success: str  # "" until the first success
    last_error: str
    set_aside: int  # pulled changes set aside as malformed (sync.localdb)


@dataclass(frozen=True)
class Line:
    """One line of the sync page: what it says (`key`) and its numbers; the view-model words it."""

    key: str
    values: dict[str, Any] = field(default_factory=dict)


def sync_lines(
    status: SyncState | None, *, hub_configured: bool, pending: int, parked: int
) -> list[Line]:
    if status is None:
        return [
            Line("offline_only" if not hub_configured else "not_started"),
            Line("pending", {"n": pending}),
            Line("parked", {"n": parked}),
        ]
    return [
        Line("online" if status.online else "offline", {"syncing": status.syncing}),
        Line("pending_and_photos", {"n": status.pending, "b": status.blobs_pending}),
        Line("rejected_and_conflicts", {"r": status.rejected, "c": status.conflicts}),
        Line("set_aside", {"n": status.set_aside}),
        Line(
            "last_success", {"t": local_text(status.last_success) if status.last_success else "—"}
        ),
        Line("last_error", {"e": status.last_error or "—"}),
    ]


# -- version ------------------------------------------------------------------------------------
SCHEMA_SET = "xiangli-kiosk"  # the store's own migrations (kiosk.store); sync keeps its own set


def schema_version(store: Store) -> int:
    """The data's schema version: how many of the store's migrations the data folder has had."""
    row = (
        store.db()
        .execute("SELECT count(*) FROM _sqlite_migrations WHERE migration_set = ?", [SCHEMA_SET])
        .fetchone()
    )
    return int(row[0])


def version_lines(store: Store, terminal: Terminal, qt_version: str, hub_url: str) -> list[Line]:
    """Writer thread: what the technician reads out to the county on the phone, in order: the
    kiosk's version, the data's schema version (a number), the terminal, the county's address in
    use, the data folder (its real path, links resolved) and the runtime. The view-model words
    each `Line` (as the sync page's)."""
    try:
        from importlib.metadata import version

        ours = version("xiangli")
    except Exception:
        ours = ""
    memory = store.path == ":memory:"
    return [
        Line("app", {"v": ours}),
        Line("schema", {"n": schema_version(store)}),
        Line("terminal", {"code": terminal.code, "id": terminal.id}),
        Line("hub", {"url": hub_url.strip().rstrip("/")}),
        Line("data", {"path": "" if memory else str(Path(store.path).resolve().parent)}),
        Line("runtime", {"python": platform.python_version(), "qt": qt_version}),
    ]
