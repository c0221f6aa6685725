"""What the kiosk knows about one kind of device, in one place: its `DEVICE` descriptor.

Each device package (drivers/printer, drivers/scanner, ...) has a `device.py` with its settings
(a frozen dataclass with a `kind` field: "sim" or a real kind), how to build it, its health
check, its test on the technician's page and its Chinese texts; `drivers.registry.DEVICES` lists
the descriptors, and everything else (the configuration file, building, health, the device
threads, the technician's pages and settings) loops over that list. Adding a device is its
package plus one line in `DEVICES`.

Nothing here imports a device library: `build` and `health` import what they need when called.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal

State = Literal["ok", "missing", "error"]
# What the technician's test of a device is. "print", "read_card", "capture": a button runs it
# on the device's thread; "listen": the device reports by itself (a scan, a button press).
TestKind = Literal["print", "read_card", "capture", "listen"]
# What a listening device reports, once started: a scanned text or a rating level.
Listens = Literal["", "code", "level"]


# What is plugged into this machine that a setting may name (`found` lists them): serial ports,
# USB printer device files (/dev/usb/lp*), USB devices (a vendor:product id), cameras, and input
# devices by their stable name (a scanner that types, a rating device's keys).
Present = Literal["serial", "lp", "usb", "video", "input"]


@dataclass(frozen=True)
class Setting:
    """One setting the technician's settings page shows (the rest of the config stays as it is).

    A setting with `choices` is a row of buttons, each with its Chinese words from `labels` (the
    value stored stays the code: "usb", "80"); the settings of "kind" take the descriptor's
    `kinds` as their choices. Any other setting is typed in, and with `present` the devices of
    those sorts found on this machine are offered to pick as well. A setting with a `pair` is a
    USB id: this field is the vendor id, `pair` the product id, shown and typed as "0416:5011".
    A setting with `when` is shown only while the device is of one of those kinds (a serial
    port for a serial printer, not for a network one)."""

    key: str
    label_zh: str
    choices: tuple[str, ...] = ()  # empty: typed in (a path, a port, an address)
    labels: Mapping[str, str] = field(default_factory=dict)  # choice -> its Chinese words
    present: tuple[Present, ...] = ()  # the devices found on this machine, offered to pick
    pair: str = ""  # the product id's field, for a USB id
    when: tuple[str, ...] = ()  # the kinds it is shown for; empty: always


@dataclass(frozen=True)
class DeviceDescriptor:
    name: str  # the key in devices.json and everywhere else: printer, scanner, ...
    label_zh: str  # 打印机
    config: type[Any]  # frozen dataclass; its default instance is the simulator
    kinds: tuple[str, ...]  # "sim" first, then the real kinds
    settings: tuple[Setting, ...]  # shown on the technician's settings page, in this order
    # config -> the device, real or simulated; opens nothing (every real device opens lazily)
    build: Callable[[Any], Any]
    # (device, config) -> (state, reason in Chinese); may raise (the registry catches it)
    health: Callable[[Any, Any], tuple[State, str]]
    test: TestKind
    test_label_zh: str  # the test button's text, or for a listening device what to do
    listens: Listens = ""
    # per real kind, the settings that must be filled in, with their Chinese names
    required: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # further checks of the raw values (a section of devices.json): appends Chinese problems
    check: Callable[[Mapping[str, Any], list[str]], None] | None = None

    def __post_init__(self) -> None:
        names = {f.name for f in fields(self.config)}
        unknown = [k for s in self.settings for k in (s.key, s.pair) if k and k not in names]
        unknown += [
            f"{s.key}={value}"
            for s in self.settings
            for value in s.labels
            if value not in self.choices(s.key)
        ]
        unknown += [
            f"{s.key} when {k}" for s in self.settings for k in s.when if k not in self.kinds
        ]
        if "kind" not in names or unknown or not self.kinds or self.kinds[0] != "sim":
            raise ValueError(f"device {self.name}: bad descriptor ({unknown or 'kind'})")

    def choices(self, key: str) -> tuple[str, ...]:
        if key == "kind":
            return self.kinds
        return next((s.choices for s in self.settings if s.key == key), ())

    def labels(self, key: str) -> tuple[str, ...]:
        """The Chinese words of each choice of a setting, in order (a choice without words
        shows as its value)."""
        words = next((s.labels for s in self.settings if s.key == key), {})
        return tuple(words.get(value, value) for value in self.choices(key))


def lazy_exports(package: str, table: Mapping[str, str]) -> Callable[[str], Any]:
    """A device package's module `__getattr__` (PEP 562): each name in `table` is imported from
    its module at its first use, so listing the devices at start-up loads none of their code."""
    from importlib import import_module

    def __getattr__(name: str) -> Any:  # noqa: N807 - the name PEP 562 looks for
        if name in table:
            return getattr(import_module(table[name]), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__


# -- what is plugged in ---------------------------------------------------------------------------
# Read from /dev and sysfs (no device library): I/O, so never on the GUI thread. `root` is "/"
# except in tests, which build a /dev and a /sys of their own.


def found(kind: Present, root: str | Path = "/") -> list[tuple[str, str]]:
    """The devices of one sort on this machine, as (the value a setting stores, its words)."""
    base = Path(root)
    if kind == "serial":
        return _serial_ports(base)
    if kind == "lp":
        return [
            (f"/dev/usb/{p.name}", f"{p.name}（USB打印机设备文件）")
            for p in _glob(base, "dev/usb/lp*")
        ]
    if kind == "usb":
        return _usb_devices(base)
    if kind == "input":
        return [
            (f"/dev/input/by-id/{link.name}", f"{_pretty(link.name)}（{_target(link)}）")
            for link in _glob(base, "dev/input/by-id/*-event-*")
        ]
    return _cameras(base)


def _glob(base: Path, pattern: str) -> list[Path]:
    try:
        return sorted(base.glob(pattern), key=lambda p: (len(p.name), p.name))
    except OSError:
        return []


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return ""


def _serial_ports(base: Path) -> list[tuple[str, str]]:
    """/dev/serial/by-id first (their names stay when the cable moves to another socket), then
    the /dev/ttyUSB* and /dev/ttyACM* no by-id name points at."""
    ports: list[tuple[str, str]] = []
    named: set[str] = set()
    for link in _glob(base, "dev/serial/by-id/*"):
        target = _target(link)
        named.add(target)
        ports.append((f"/dev/serial/by-id/{link.name}", f"{_pretty(link.name)}（{target}）"))
    for node in _glob(base, "dev/ttyUSB*") + _glob(base, "dev/ttyACM*"):
        if node.name not in named:
            ports.append((f"/dev/{node.name}", f"{node.name}（USB串口）"))
    return ports


def _target(link: Path) -> str:
    return os.path.basename(os.path.realpath(link))


def _pretty(by_id: str) -> str:
    """usb-1a86_USB_Serial-if00-port0 -> 1a86 USB Serial; usb-Newland_HR22-event-kbd ->
    Newland HR22"""
    name = re.sub(r"^usb-", "", by_id)
    name = re.sub(r"(-if\d+)?(-port\d+|-event-\w+)?$", "", name)
    return name.replace("_", " ")


def _usb_devices(base: Path) -> list[tuple[str, str]]:
    """Each USB device sysfs knows (hubs left out), once per vendor:product id."""
    devices: dict[str, str] = {}
    for vendor in _glob(base, "sys/bus/usb/devices/*/idVendor"):
        folder = vendor.parent
        if _read(folder / "bDeviceClass") == "09":  # a hub
            continue
        vid, pid = _read(vendor).lower(), _read(folder / "idProduct").lower()
        if not (re.fullmatch(r"[0-9a-f]{4}", vid) and re.fullmatch(r"[0-9a-f]{4}", pid)):
            continue
        words = " ".join(
            w for w in (_read(folder / "manufacturer"), _read(folder / "product")) if w
        )
        devices.setdefault(f"{vid}:{pid}", f"{words or 'USB设备'}（{vid}:{pid}）")
    return sorted(devices.items())


def _cameras(base: Path) -> list[tuple[str, str]]:
    cameras = []
    for node in _glob(base, "dev/video*"):
        name = _read(base / "sys/class/video4linux" / node.name / "name")
        cameras.append((f"/dev/{node.name}", f"{name or '摄像头'}（{node.name}）"))
    return cameras
