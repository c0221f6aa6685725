"""Device health, each device probed on its own thread: a device whose thread hangs is reported
as not answering, and the others keep being reported (the status bar names it)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication

from ui.background import Background
from ui.devices import STUCK_POLLS, Devices


def _until(cond: Callable[[], bool], timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not cond():
        assert time.monotonic() < deadline, "waited in vain"
        QCoreApplication.processEvents()
        time.sleep(0.01)


def test_a_hung_device_is_reported_and_the_others_still_are(qapp: object) -> None:
    release = threading.Event()
    printer_state = ["ok"]

    def probe(name: str, _device: Any) -> dict[str, str]:
        if name == "doccam":
            release.wait(30)  # its thread is stuck in a job, as a hung USB device would be
        state = printer_state[0] if name == "printer" else "ok"
        return {"name": name, "label": name, "state": state, "reason": ""}

    bg = Background(synchronous=False)
    devices = Devices(
        bg,
        {"printer": object, "doccam": object},
        health=probe,
        labels={"printer": "打印机", "doccam": "高拍仪"},
    )
    try:
        devices.start()
        _until(lambda: [r["name"] for r in devices.health] == ["printer"])
        for _ in range(STUCK_POLLS - 1):
            devices.poll_health()
        assert [r["name"] for r in devices.health] == ["printer"]  # not yet: it may be slow
        printer_state[0] = "error"
        devices.poll_health()
        _until(lambda: len(devices.health) == 2 and devices.health[0]["state"] == "error")
        rows = {r["name"]: r for r in devices.health}
        assert rows["doccam"]["state"] == "error" and "高拍仪没有响应" in rows["doccam"]["reason"]
        assert "高拍仪" in devices.problemText
        release.set()
        _until(lambda: {r["name"]: r["state"] for r in devices.health}["doccam"] == "ok")
    finally:
        release.set()
        devices.stop()
        bg.shutdown()
