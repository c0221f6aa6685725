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

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any, Literal

State = Literal["ok", "missing", "error"]
# What the technician's test of a device is. "print", "read_card", "capture": a button runs it
# on the device's thread; "listen": the device reports by itself (a scan, a button press).
TestKind = Literal["print", "read_card", "capture", "listen"]
# What a listening device reports, once started: a scanned text or a rating level.
Listens = Literal["", "code", "level"]


@dataclass(frozen=True)
class Setting:
    """One setting the technician's settings page shows (the rest of the config stays as it is)."""

    key: str
    label_zh: str
    choices: tuple[str, ...] = ()  # empty: free text (a path, a port, an address)


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
        unknown = [s.key for s in self.settings if s.key not in names]
        if "kind" not in names or unknown or not self.kinds or self.kinds[0] != "sim":
            raise ValueError(f"device {self.name}: bad descriptor ({unknown or 'kind'})")

    def choices(self, key: str) -> tuple[str, ...]:
        if key == "kind":
            return self.kinds
        return next((s.choices for s in self.settings if s.key == key), ())


def lazy_exports(package: str, table: Mapping[str, str]) -> Callable[[str], Any]:
    """A device package's module `__getattr__` (PEP 562): each name in `table` is imported from
    its module at its first use, so listing the devices at start-up loads none of their code."""
    from importlib import import_module

    def __getattr__(name: str) -> Any:  # noqa: N807 - the name PEP 562 looks for
        if name in table:
            return getattr(import_module(table[name]), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__
