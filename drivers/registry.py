"""Which device is which: the device configuration, building the devices, and their health.

`DeviceConfig` says, per device, "sim" or the real kind with its parameters. It is stored as
JSON (`load_config` / `save_config`); a bad file is a `ConfigError` whose message lists every
problem in Chinese, for the maintenance menu. `build_devices(config)` constructs simulators or
real implementations without touching hardware (every real device opens lazily), so it never
fails because something is unplugged. `health(devices)` probes each device and never raises;
`DeviceSet.poll()` re-probes and returns what changed, which is how a plug or unplug is noticed
(the UI calls it on a timer, off the GUI thread).

Only the composition root (`ui/app.py`) calls `build_devices`.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Literal

log = logging.getLogger(__name__)

State = Literal["ok", "missing", "error"]
NAMES_ZH = {
    "printer": "打印机",
    "scanner": "扫码器",
    "idcard": "身份证阅读器",
    "rating": "评价器",
    "doccam": "高拍仪",
}


class ConfigError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("；".join(problems))
        self.problems = problems
        self.message_zh = "设备配置有误：" + "；".join(problems)


@dataclass(frozen=True)
class PrinterConfig:
    kind: Literal["sim", "usb", "serial", "network", "file"] = "sim"
    width_mm: int = 80
    qr_mode: Literal["native", "raster"] = "native"
    usb_vid: int = 0
    usb_pid: int = 0
    device: str = ""  # serial port or device node (/dev/ttyS0, /dev/usb/lp0)
    baudrate: int = 9600
    host: str = ""
    port: int = 9100
    out_dir: str = ""  # simulator: where the .bin/.png of each job go ("" = keep in memory)


@dataclass(frozen=True)
class ScannerConfig:
    kind: Literal["sim", "camera", "wedge"] = "sim"
    camera: int | str = 0  # index or /dev/videoN path
    evdev_path: str = ""  # /dev/input/by-id/...-event-kbd
    backend: Literal["auto", "zxing", "pyzbar"] = "auto"


@dataclass(frozen=True)
class IdCardConfig:
    kind: Literal["sim", "serial"] = "sim"
    port: str = ""
    baudrate: int = 115200


@dataclass(frozen=True)
class RatingConfig:
    kind: Literal["sim", "hid", "serial"] = "sim"
    evdev_path: str = ""
    key_map: dict[str, int] = field(default_factory=dict)  # empty: the default 1..5 layout
    port: str = ""
    baudrate: int = 9600
    byte_map: dict[str, int] = field(default_factory=dict)  # "0x31": 5; empty: ASCII 1..5
    header: str = ""  # hex
    trailer: str = ""  # hex


@dataclass(frozen=True)
class DocCamConfig:
    kind: Literal["sim", "camera"] = "sim"
    camera: int | str = 0
    width: int = 2592
    height: int = 1944


@dataclass(frozen=True)
class DeviceConfig:
    printer: PrinterConfig = field(default_factory=PrinterConfig)
    scanner: ScannerConfig = field(default_factory=ScannerConfig)
    idcard: IdCardConfig = field(default_factory=IdCardConfig)
    rating: RatingConfig = field(default_factory=RatingConfig)
    doccam: DocCamConfig = field(default_factory=DocCamConfig)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


_SECTIONS = {
    "printer": PrinterConfig,
    "scanner": ScannerConfig,
    "idcard": IdCardConfig,
    "rating": RatingConfig,
    "doccam": DocCamConfig,
}
_KINDS = {
    "printer": ("sim", "usb", "serial", "network", "file"),
    "scanner": ("sim", "camera", "wedge"),
    "idcard": ("sim", "serial"),
    "rating": ("sim", "hid", "serial"),
    "doccam": ("sim", "camera"),
}
# Per real kind, the parameters that must be filled in, with their Chinese names.
_REQUIRED = {
    ("printer", "usb"): {"usb_vid": "USB厂商号", "usb_pid": "USB产品号"},
    ("printer", "serial"): {"device": "串口"},
    ("printer", "file"): {"device": "设备文件"},
    ("printer", "network"): {"host": "IP地址"},
    ("scanner", "wedge"): {"evdev_path": "输入设备路径"},
    ("idcard", "serial"): {"port": "串口"},
    ("rating", "hid"): {"evdev_path": "输入设备路径"},
    ("rating", "serial"): {"port": "串口"},
}


def _check_type(name: str, key: str, value: Any, default: Any, problems: list[str]) -> Any:
    where = f"{NAMES_ZH[name]}的 {key}"
    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, int) and key in ("camera",):
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


def _section(name: str, raw: Any, problems: list[str]) -> Any:
    cls = _SECTIONS[name]
    if raw is None:
        return cls()
    if not isinstance(raw, dict):
        problems.append(f"{NAMES_ZH[name]}的配置应是一个对象")
        return cls()
    defaults = cls()
    known = {f.name for f in fields(cls)}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in known:
            problems.append(f"{NAMES_ZH[name]}没有 {key} 这一项")
            continue
        values[key] = _check_type(name, key, value, getattr(defaults, key), problems)
    kind = values.get("kind", "sim")
    if kind not in _KINDS[name]:
        problems.append(f"{NAMES_ZH[name]}的类型只能是 {'、'.join(_KINDS[name])}，不能是 {kind!r}")
        return defaults
    for key, label in _REQUIRED.get((name, kind), {}).items():
        if not values.get(key):
            problems.append(f"{NAMES_ZH[name]}选择了 {kind}，但没有填写{label}（{key}）")
    if name == "printer":
        if values.get("width_mm", 80) not in (58, 80):
            problems.append("打印机纸宽只能是 58 或 80（毫米）")
        if values.get("qr_mode", "native") not in ("native", "raster"):
            problems.append("打印机二维码方式只能是 native 或 raster")
    if name == "scanner" and values.get("backend", "auto") not in ("auto", "zxing", "pyzbar"):
        problems.append("扫码器解码方式只能是 auto、zxing 或 pyzbar")
    if name == "rating":
        _check_rating(values, problems)
    try:
        return cls(**values)
    except TypeError as e:  # pragma: no cover - guarded by the checks above
        problems.append(f"{NAMES_ZH[name]}的配置不完整：{e}")
        return defaults


def _check_rating(values: dict[str, Any], problems: list[str]) -> None:
    from drivers.rating.hid import key_level_map
    from drivers.rating.serialport import FrameParser

    for key in ("header", "trailer"):
        try:
            bytes.fromhex(values.get(key, ""))
        except (ValueError, TypeError):
            problems.append(f"评价器的 {key} 应是十六进制，如 AA55")
            return
    try:
        if values.get("kind") == "hid" and values.get("key_map"):
            key_level_map(values["key_map"])
        if values.get("kind") == "serial":
            FrameParser(
                values.get("byte_map") or None,
                bytes.fromhex(values.get("header", "")),
                bytes.fromhex(values.get("trailer", "")),
            )
    except (ValueError, TypeError) as e:
        problems.append(f"评价器：{e}")


def config_from_dict(raw: Any) -> DeviceConfig:
    """Validate and build; raises ConfigError listing every problem. Missing sections = sim."""
    if not isinstance(raw, dict):
        raise ConfigError(["设备配置应是一个JSON对象"])
    problems: list[str] = []
    for key in raw:
        if key not in _SECTIONS:
            problems.append(f"没有 {key} 这种设备")
    built = {name: _section(name, raw.get(name), problems) for name in _SECTIONS}
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


@dataclass
class DeviceSet:
    config: DeviceConfig
    printer: Any
    scanner: Any
    idcard: Any
    rating: Any
    doccam: Any
    _last: dict[str, DeviceHealth] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

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


def build_devices(config: DeviceConfig) -> DeviceSet:
    return DeviceSet(
        config,
        _printer(config.printer),
        _scanner(config.scanner),
        _idcard(config.idcard),
        _rating(config.rating),
        _doccam(config.doccam),
    )


def _printer(c: PrinterConfig) -> Any:
    from drivers.printer import escpos_device as dev

    kw: dict[str, Any] = {"width_mm": c.width_mm, "qr_mode": c.qr_mode}
    if c.kind == "usb":
        return dev.usb_printer(c.usb_vid, c.usb_pid, **kw)
    if c.kind == "serial":
        return dev.serial_printer(c.device, c.baudrate, **kw)
    if c.kind == "network":
        return dev.network_printer(c.host, c.port, **kw)
    if c.kind == "file":
        return dev.file_printer(c.device, **kw)
    from drivers.printer.simulator import SimPrinter

    return SimPrinter(Path(c.out_dir) if c.out_dir else None, **kw)


def _scanner(c: ScannerConfig) -> Any:
    if c.kind == "camera":
        from drivers.scanner.camera import CameraScanner

        return CameraScanner(c.camera, c.backend)
    if c.kind == "wedge":
        from drivers.scanner.wedge import WedgeScanner

        return WedgeScanner(c.evdev_path)
    from drivers.scanner.simulator import SimScanner

    return SimScanner("zxing" if c.backend == "auto" else c.backend)


def _idcard(c: IdCardConfig) -> Any:
    if c.kind == "serial":
        from drivers.idcard.gat467 import SerialCardReader

        return SerialCardReader(c.port, c.baudrate)
    from drivers.idcard.simulator import SimIdCardReader

    return SimIdCardReader()


def _rating(c: RatingConfig) -> Any:
    if c.kind == "hid":
        from drivers.rating.hid import HidRatingDevice

        return HidRatingDevice(c.evdev_path, c.key_map or None)
    if c.kind == "serial":
        from drivers.rating.serialport import SerialRatingDevice

        return SerialRatingDevice(
            c.port,
            c.baudrate,
            c.byte_map or None,
            bytes.fromhex(c.header),
            bytes.fromhex(c.trailer),
        )
    from drivers.rating.simulator import SimRatingDevice

    return SimRatingDevice()


def _doccam(c: DocCamConfig) -> Any:
    if c.kind == "camera":
        from drivers.doccam.camera import CameraDocCam

        return CameraDocCam(c.camera, c.width, c.height)
    from drivers.doccam.simulator import SimDocCam

    return SimDocCam()


# --- health ---


def _video_path(device: int | str) -> str:
    return f"/dev/video{device}" if isinstance(device, int) else str(device)


def _printer_health(p: Any) -> tuple[State, str]:
    from drivers.printer.base import PrinterStatus

    st = p.status()
    if st is PrinterStatus.OK:
        return "ok", ""
    if st is PrinterStatus.PAPER_NEAR_END:
        return "ok", st.message_zh
    if st is PrinterStatus.OFFLINE:
        return "missing", "打印机没有连接或没有开机。"
    return "error", st.message_zh.split("，")[0] + "。"


def _scanner_health(s: Any, c: ScannerConfig) -> tuple[State, str]:
    from drivers.scanner.decode import available_backends

    if c.kind == "wedge":
        problem = s.probe()
        if problem is not None:
            return ("missing" if problem.code == "missing" else "error"), problem.message_zh
        return "ok", ""
    if not available_backends():
        return "error", "扫码组件不可用，请联系技术人员。"
    if c.kind == "camera" and not os.path.exists(_video_path(c.camera)):
        return "missing", "没有找到扫码摄像头，请检查USB线是否插好。"
    return "ok", ""


def _idcard_health(r: Any, c: IdCardConfig) -> tuple[State, str]:
    if c.kind == "serial":
        # Only look for the port: opening it would race the reader's own device thread.
        if not os.path.exists(c.port):
            return "missing", "身份证阅读器没有连接，请检查USB线是否插好。"
        if not os.access(c.port, os.R_OK | os.W_OK):
            return "error", "没有权限使用身份证阅读器的串口，请技术人员把本机账户加入 dialout 组。"
    return "ok", ""


def _probe_health(dev: Any) -> tuple[State, str]:
    problem = dev.probe()
    if problem is None:
        return "ok", ""
    return ("missing" if problem.code in ("missing", "camera_missing") else "error"), (
        problem.message_zh
    )


def health(devices: DeviceSet) -> list[DeviceHealth]:
    """One entry per device, in a fixed order. Never raises: a probe that fails is an error."""
    c = devices.config
    checks = {
        "printer": lambda: _printer_health(devices.printer),
        "scanner": lambda: _scanner_health(devices.scanner, c.scanner),
        "idcard": lambda: _idcard_health(devices.idcard, c.idcard),
        "rating": lambda: _probe_health(devices.rating),
        "doccam": lambda: _probe_health(devices.doccam),
    }
    out = []
    for name, check in checks.items():
        kind = getattr(c, name).kind
        try:
            state, reason = check()
        except Exception as e:  # a health report must never take the kiosk down
            log.warning("health probe of %s failed: %s", name, type(e).__name__)
            state, reason = (
                "error",
                f"{NAMES_ZH[name]}检测出错（{type(e).__name__}），请联系技术人员。",
            )
        out.append(DeviceHealth(name, state, reason, kind))
    return out
