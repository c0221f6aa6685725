"""Which device is which: the device configuration, building the devices, and their health.

`DeviceConfig` says, per device, "sim" or the real kind with its parameters. It is stored as
JSON (`load_config` / `save_config`); a bad file is a `ConfigError` whose message lists every
problem in Chinese, for the maintenance menu. `build_devices(config)` constructs simulators or
real implementations without touching hardware (every real device opens lazily), so it never
fails because something is unplugged. `health(devices)` probes each device and never raises;
`DeviceSet.poll()` re-probes and returns what changed, which is how a plug or unplug is noticed
(the UI calls it on a timer, off the GUI thread). All of it loops over `DEVICES`, one
descriptor per device package (drivers.descriptor).

Only the composition root (`ui/app.py`) calls `build_devices`.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from dataclasses import Field, asdict, dataclass, fields
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drivers.descriptor import DeviceDescriptor, State

# The five devices' settings classes, re-exported for callers that build configs by hand
# (a new device need not be added here).
from drivers.doccam.device import DocCamConfig
from drivers.idcard.device import IdCardConfig
from drivers.printer.device import PrinterConfig
from drivers.rating.device import RatingConfig
from drivers.scanner.device import ScannerConfig

if TYPE_CHECKING:
    from kiosk.maintenance import SettingField

__all__ = [
    "BY_NAME",
    "DEVICES",
    "NAMES",
    "ConfigError",
    "DeviceConfig",
    "DeviceHealth",
    "DeviceSet",
    "DocCamConfig",
    "IdCardConfig",
    "PrinterConfig",
    "RatingConfig",
    "ScannerConfig",
    "SettingsFile",
    "State",
    "build_device",
    "build_devices",
    "config_from_dict",
    "health",
    "health_of",
    "load_config",
    "save_config",
]

log = logging.getLogger(__name__)

# Every device the kiosk has, in the order the technician's page lists them. Adding a device:
# its package (with a `device.py` descriptor, see drivers.descriptor) and its name here.
PACKAGES = ("printer", "scanner", "idcard", "rating", "doccam")
DEVICES: tuple[DeviceDescriptor, ...] = tuple(
    import_module(f"drivers.{package}").DEVICE for package in PACKAGES
)
BY_NAME = {d.name: d for d in DEVICES}
NAMES = tuple(BY_NAME)
NAMES_ZH = {d.name: d.label_zh for d in DEVICES}


class ConfigError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("；".join(problems))
        self.problems = problems
        self.message_zh = "设备配置有误：" + "；".join(problems)


class DeviceConfig:
    """Per device, its settings (the descriptor's config dataclass); a missing one is "sim".
    Read as attributes: `config.printer.kind`. Immutable."""

    __slots__ = ("_sections",)

    def __init__(self, **sections: Any) -> None:
        unknown = set(sections) - set(BY_NAME)
        if unknown:
            raise TypeError(f"no such device: {', '.join(sorted(unknown))}")
        built = {d.name: sections.get(d.name) or d.config() for d in DEVICES}
        object.__setattr__(self, "_sections", built)

    def __getattr__(self, name: str) -> Any:
        try:
            return object.__getattribute__(self, "_sections")[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("DeviceConfig is immutable")

    def section(self, name: str) -> Any:
        return self._sections[name]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DeviceConfig) and self._sections == other._sections

    def __hash__(self) -> int:
        return hash(tuple(self._sections.items()))

    def __repr__(self) -> str:
        return f"DeviceConfig({self._sections!r})"

    def to_dict(self) -> dict[str, Any]:
        return {name: asdict(c) for name, c in self._sections.items()}


def _check_type(
    device: DeviceDescriptor, key: str, value: Any, f: Field[Any], problems: list[str]
) -> Any:
    where = f"{device.label_zh}的 {key}"
    default = getattr(device.config(), f.name)
    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, int) and "str" in str(f.type):  # a camera: an index or a path
        ok = isinstance(value, int | str) and not isinstance(value, bool)
    elif isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool)
        if ok and value < 0:
            problems.append(f"{where} 不能是负数")
    elif isinstance(default, str):
        ok = isinstance(value, str)
    elif isinstance(default, dict):
        ok = isinstance(value, dict) and all(
            isinstance(v, int) and not isinstance(v, bool) for v in value.values()
        )
    else:
        ok = True
    if not ok:
        problems.append(f"{where} 的值 {value!r} 类型不对")
    return value


def _section(device: DeviceDescriptor, raw: Any, problems: list[str]) -> Any:
    cls = device.config
    if raw is None:
        return cls()
    if not isinstance(raw, dict):
        problems.append(f"{device.label_zh}的配置应是一个对象")
        return cls()
    defaults = cls()
    known = {f.name: f for f in fields(cls)}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in known:
            problems.append(f"{device.label_zh}没有 {key} 这一项")
            continue
        values[key] = _check_type(device, key, value, known[key], problems)
    kind = values.get("kind", "sim")
    if kind not in device.kinds:
        problems.append(f"{device.label_zh}的类型只能是 {'、'.join(device.kinds)}，不能是 {kind!r}")
        return defaults
    kind_words = dict(zip(device.kinds, device.labels("kind"), strict=True))[kind]
    for key, label in device.required.get(kind, {}).items():
        if not values.get(key):
            problems.append(f"{device.label_zh}选择了 {kind_words}，但没有填写{label}（{key}）")
    if device.check is not None:
        device.check(values, problems)
    try:
        return cls(**values)
    except TypeError as e:  # pragma: no cover - guarded by the checks above
        problems.append(f"{device.label_zh}的配置不完整：{e}")
        return defaults


def config_from_dict(raw: Any) -> DeviceConfig:
    """Validate and build; raises ConfigError listing every problem. Missing sections = sim."""
    if not isinstance(raw, dict):
        raise ConfigError(["设备配置应是一个JSON对象"])
    problems: list[str] = []
    for key in raw:
        if key not in BY_NAME:
            problems.append(f"没有 {key} 这种设备")
    built = {d.name: _section(d, raw.get(d.name), problems) for d in DEVICES}
    if problems:
        raise ConfigError(problems)
    return DeviceConfig(**built)


def load_config(path: str | Path) -> DeviceConfig:
    """A missing file is all-simulator (a fresh kiosk); a broken one is a ConfigError."""
    p = Path(path)
    if not p.exists():
        return DeviceConfig()
    try:
        raw = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError([f"无法读取设备配置文件 {p}：{type(e).__name__}"]) from e
    except json.JSONDecodeError as e:
        raise ConfigError([f"设备配置文件不是有效的JSON（第{e.lineno}行第{e.colno}列）"]) from e
    return config_from_dict(raw)


def save_config(config: DeviceConfig, path: str | Path) -> None:
    """Validated first, then written atomically (a power cut leaves the old file or the new)."""
    config_from_dict(config.to_dict())
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_suffix(p.suffix + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(config.to_dict(), f, ensure_ascii=False, indent=2)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, p)


@dataclass(frozen=True)
class DeviceHealth:
    name: str  # printer, scanner, idcard, rating, doccam
    state: State
    reason_zh: str = ""
    kind: str = ""  # sim, usb, camera, ... as configured

    @property
    def label_zh(self) -> str:
        return NAMES_ZH.get(self.name, self.name)


class DeviceSet:
    """The built devices, by name (`devices.printer` or `devices["printer"]`), with their config."""

    def __init__(self, config: DeviceConfig, devices: dict[str, Any] | None = None, **named: Any):
        self.config = config
        self.devices: dict[str, Any] = {**(devices or {}), **named}
        self._last: dict[str, DeviceHealth] = {}
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        devices = self.__dict__.get("devices", {})
        if name in devices:
            return devices[name]
        raise AttributeError(name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name in BY_NAME:  # a test or the technician swaps one device
            self.devices[name] = value
        else:
            object.__setattr__(self, name, value)

    def __getitem__(self, name: str) -> Any:
        return self.devices[name]

    def poll(self) -> list[DeviceHealth]:
        """Re-probe every device; return the entries whose state or reason changed since the
        last poll (all of them the first time). Never raises."""
        now = health(self)
        with self._lock:
            changed = [h for h in now if self._last.get(h.name) != h]
            self._last = {h.name: h for h in now}
        for h in changed:
            log.info("device %s: %s", h.name, h.state)
        return changed

    def last_health(self) -> list[DeviceHealth]:
        with self._lock:
            return list(self._last.values())


def build_device(name: str, config: DeviceConfig) -> Any:
    """One device from its settings: the simulator or the real one (which opens lazily)."""
    return BY_NAME[name].build(config.section(name))


def build_devices(config: DeviceConfig) -> DeviceSet:
    return DeviceSet(config, {d.name: d.build(config.section(d.name)) for d in DEVICES})


# --- health ---


def health_of(name: str, device: Any, config: DeviceConfig) -> DeviceHealth:
    """One device's health, by its descriptor's check. Never raises: a failing probe is an error."""
    d = BY_NAME[name]
    c = config.section(name)
    try:
        state, reason = d.health(device, c)
    except Exception as e:  # a health report must never take the kiosk down
        log.warning("health probe of %s failed: %s", name, type(e).__name__)
        state, reason = "error", f"{d.label_zh}检测出错（{type(e).__name__}），请联系技术人员。"
    return DeviceHealth(name, state, reason, c.kind)


def health(devices: DeviceSet) -> list[DeviceHealth]:
    """One entry per device, in the order of DEVICES. Never raises."""
    return [health_of(d.name, devices[d.name], devices.config) for d in DEVICES]


# --- the technician's settings page ---


class SettingsFile:
    """The device configuration file as the technician's settings page sees it (it satisfies
    `kiosk.maintenance.DeviceSettings`): each descriptor's settings, with their Chinese labels
    and choices; checked by `config_from_dict`, written by `save_config`."""

    def __init__(self, path: str | Path, root: str | Path = "/") -> None:
        self.path = Path(path)
        self.root = root  # where /dev and /sys are ("/" but in tests)

    def fields(self) -> list[SettingField]:
        from kiosk.maintenance import SettingField

        return [
            SettingField(
                f"{d.name}.{s.key}",
                s.label_zh,
                d.choices(s.key),
                d.labels(s.key),
                s.present,
                f"{d.name}.{s.pair}" if s.pair else "",
                s.when,
            )
            for d in DEVICES
            for s in d.settings
        ]

    def found(self) -> dict[str, list[tuple[str, str]]]:
        """Per setting that offers them, the devices of its sorts on this machine (I/O)."""
        from drivers.descriptor import found

        sorts = {sort for d in DEVICES for s in d.settings for sort in s.present}
        each = {sort: found(sort, self.root) for sort in sorts}
        return {
            f"{d.name}.{s.key}": [device for sort in s.present for device in each[sort]]
            for d in DEVICES
            for s in d.settings
            if s.present
        }

    def current(self) -> dict[str, dict[str, Any]]:
        try:
            return load_config(self.path).to_dict()
        except ConfigError:
            return DeviceConfig().to_dict()

    def problems(self, raw: dict[str, dict[str, Any]]) -> list[str]:
        try:
            config_from_dict(raw)
        except ConfigError as e:
            return e.problems
        return []

    def save(self, raw: dict[str, dict[str, Any]]) -> None:
        save_config(config_from_dict(raw), self.path)
