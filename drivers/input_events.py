"""Linux input devices (evdev) shared by the USB rating buttons and the keyboard-wedge scanner.

Both are USB HID keyboards. Each is opened by its `/dev/input/by-id/...` path and *grabbed*
(EVIOCGRAB), so its keystrokes reach only us, never the focused text field of the kiosk.

python-evdev is optional: `evdev_status()` probes it and answers a typed `EvdevUnavailable`
instead of an ImportError at import time (the way python-escpos's `is_usable()` does). The key
codes below are the kernel's stable ABI (linux/input-event-codes.h), so key decoding and the
configuration work, and are tested, without evdev.

`EvdevReader` owns one device on its own thread. `on_key(code, value)` (value 1 = down,
0 = up, 2 = autorepeat) and `on_error(RuntimeError)` are called FROM THAT THREAD.
"""

from __future__ import annotations

import logging
import os
import select
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

log = logging.getLogger(__name__)

EV_KEY = 1
KEY_DOWN, KEY_UP, KEY_REPEAT = 1, 0, 2

KEYCODES: dict[str, int] = {
    **{f"KEY_{c}": n for c, n in zip("QWERTYUIOP", range(16, 26), strict=True)},
    **{f"KEY_{c}": n for c, n in zip("ASDFGHJKL", range(30, 39), strict=True)},
    **{f"KEY_{c}": n for c, n in zip("ZXCVBNM", range(44, 51), strict=True)},
    **{f"KEY_{d}": n for d, n in zip("1234567890", range(2, 12), strict=True)},
    "KEY_ESC": 1,
    "KEY_MINUS": 12,
    "KEY_EQUAL": 13,
    "KEY_BACKSPACE": 14,
    "KEY_TAB": 15,
    "KEY_LEFTBRACE": 26,
    "KEY_RIGHTBRACE": 27,
    "KEY_ENTER": 28,
    "KEY_LEFTCTRL": 29,
    "KEY_SEMICOLON": 39,
    "KEY_APOSTROPHE": 40,
    "KEY_GRAVE": 41,
    "KEY_LEFTSHIFT": 42,
    "KEY_BACKSLASH": 43,
    "KEY_COMMA": 51,
    "KEY_DOT": 52,
    "KEY_SLASH": 53,
    "KEY_RIGHTSHIFT": 54,
    "KEY_KPASTERISK": 55,
    "KEY_LEFTALT": 56,
    "KEY_SPACE": 57,
    "KEY_CAPSLOCK": 58,
    **{f"KEY_F{i}": 58 + i for i in range(1, 11)},
    "KEY_NUMLOCK": 69,
    "KEY_KP7": 71,
    "KEY_KP8": 72,
    "KEY_KP9": 73,
    "KEY_KPMINUS": 74,
    "KEY_KP4": 75,
    "KEY_KP5": 76,
    "KEY_KP6": 77,
    "KEY_KPPLUS": 78,
    "KEY_KP1": 79,
    "KEY_KP2": 80,
    "KEY_KP3": 81,
    "KEY_KP0": 82,
    "KEY_KPDOT": 83,
    "KEY_102ND": 86,
    "KEY_F11": 87,
    "KEY_F12": 88,
    "KEY_KPENTER": 96,
    "KEY_RIGHTCTRL": 97,
    "KEY_KPSLASH": 98,
    "KEY_RIGHTALT": 100,
}
KEYNAMES = {n: name for name, n in KEYCODES.items()}

EVDEV_MISSING_ZH = "缺少输入设备组件（python-evdev），请联系技术人员。"
DEVICE_MISSING_ZH = "没有找到设备，请检查USB线是否插好。"
NO_PERMISSION_ZH = "没有权限读取输入设备，请技术人员把本机账户加入 input 组。"
DEVICE_LOST_ZH = "设备连接断开，请检查USB线是否插好。"


def keycode(name: str | int) -> int:
    """'KEY_1', '1' (as KEY_1), 'F1' or a number -> the kernel key code."""
    if isinstance(name, int):
        return name
    key = name.strip().upper()
    if key.isdigit() and len(key) > 1:
        return int(key)
    if not key.startswith("KEY_"):
        key = "KEY_" + key
    try:
        return KEYCODES[key]
    except KeyError:
        raise ValueError(f"未知的按键名称：{name}") from None


class EvdevUnavailable(RuntimeError):
    """python-evdev cannot be loaded here; `reason` says why (for the technician)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.message_zh = EVDEV_MISSING_ZH


@cache
def load_evdev() -> Any:
    try:
        import evdev
    except (ImportError, OSError) as e:
        raise EvdevUnavailable(f"{type(e).__name__}: {e}") from None
    return evdev


@dataclass(frozen=True)
class EvdevStatus:
    available: bool
    reason: str = ""


def evdev_status() -> EvdevStatus:
    try:
        load_evdev()
    except EvdevUnavailable as e:
        return EvdevStatus(False, e.reason)
    return EvdevStatus(True)


class InputDeviceError(RuntimeError):
    def __init__(self, code: str, message_zh: str) -> None:
        super().__init__(f"{code}: {message_zh}")
        self.code = code
        self.message_zh = message_zh


def probe_path(path: str) -> InputDeviceError | None:
    """None when `path` looks usable (exists, readable, evdev present), else why not."""
    if not evdev_status().available:
        return InputDeviceError("evdev_missing", EVDEV_MISSING_ZH)
    if not os.path.exists(path):
        return InputDeviceError("missing", DEVICE_MISSING_ZH)
    if not os.access(path, os.R_OK):
        return InputDeviceError("no_permission", NO_PERMISSION_ZH)
    return None


def open_grabbed(path: str) -> Any:
    """Open and grab a real input device (raises InputDeviceError)."""
    try:
        evdev = load_evdev()
    except EvdevUnavailable as e:
        raise InputDeviceError("evdev_missing", e.message_zh) from e
    try:
        dev = evdev.InputDevice(path)
    except FileNotFoundError as e:
        raise InputDeviceError("missing", DEVICE_MISSING_ZH) from e
    except PermissionError as e:
        raise InputDeviceError("no_permission", NO_PERMISSION_ZH) from e
    try:
        dev.grab()
    except OSError as e:
        dev.close()
        # EBUSY: another program (or a second kiosk instance) holds the grab.
        raise InputDeviceError("busy", "设备正被其他程序占用，请重启本机。") from e
    return dev


OnKey = Callable[[int, int], None]


class EvdevReader:
    """Reads key events from one grabbed device on its own thread until `stop()`.

    `opener(path)` returns a device with `fileno()`, `read()` (an iterable of events with
    `type`, `code`, `value`; BlockingIOError when none), `ungrab()` and `close()`; tests pass a
    fake, the default opens and grabs the real device."""

    def __init__(
        self,
        path: str,
        on_key: OnKey,
        on_error: Callable[[InputDeviceError], None] | None = None,
        opener: Callable[[str], Any] = open_grabbed,
        name: str = "evdev",
    ) -> None:
        self.path = path
        self.on_key = on_key
        self.on_error = on_error
        self.opener = opener
        self.name = name
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.running:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=2)

    def _fail(self, err: InputDeviceError) -> None:
        log.warning("%s: %s", self.name, err.code)
        if self.on_error is not None:
            self.on_error(err)

    def _run(self) -> None:
        try:
            dev = self.opener(self.path)
        except InputDeviceError as e:
            self._fail(e)
            return
        try:
            while not self._stop.is_set():
                ready, _, _ = select.select([dev.fileno()], [], [], 0.2)
                if not ready:
                    continue
                try:
                    events = list(dev.read())
                except BlockingIOError:
                    continue
                for ev in events:
                    if ev.type == EV_KEY:
                        self.on_key(ev.code, ev.value)
        except OSError:
            # ENODEV when the device is unplugged: the registry's poll() notices it next.
            self._fail(InputDeviceError("lost", DEVICE_LOST_ZH))
        finally:
            for release in ("ungrab", "close"):
                try:
                    getattr(dev, release)()
                except Exception:
                    pass
