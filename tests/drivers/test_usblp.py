"""The USB printer through usblp (/dev/usb/lpN): finding the node by ids, DLE EOT answers read
back from the node, and the IEEE 1284 port status when the printer does not answer."""

from __future__ import annotations

import os
import threading
import tty
from pathlib import Path

import pytest

from drivers.printer import escpos_device
from drivers.printer.base import PrinterStatus
from drivers.printer.escpos_device import EscposPrinter
from drivers.printer.usblp import (
    UsblpTransport,
    UsbTransport,
    find_usblp,
    status_from_port_byte,
)


def _fake_sysfs(root: Path, lp: str, vid: str, pid: str) -> Path:
    usbdev = root / "devices" / f"1-{lp}"
    (usbdev / f"1-{lp}:1.0").mkdir(parents=True)
    (usbdev / "idVendor").write_text(vid + "\n")
    (usbdev / "idProduct").write_text(pid + "\n")
    node = root / "class" / "usbmisc" / lp
    node.mkdir(parents=True)
    (node / "device").symlink_to(usbdev / f"1-{lp}:1.0")
    return root / "class" / "usbmisc"


def test_find_usblp_by_ids(tmp_path: Path) -> None:
    sysfs = _fake_sysfs(tmp_path, "lp0", "1a86", "7584")
    _fake_sysfs(tmp_path, "lp1", "0416", "5011")
    assert find_usblp(0x0416, 0x5011, sysfs) == "/dev/usb/lp1"
    assert find_usblp(0x1A86, 0x7584, sysfs) == "/dev/usb/lp0"
    assert find_usblp(0x04B8, 0x0202, sysfs) is None
    assert find_usblp(0x0416, 0x5011, tmp_path / "nowhere") is None


@pytest.mark.parametrize(
    ("byte", "status"),
    [
        (0x18, PrinterStatus.OK),  # selected, no error
        (0x38, PrinterStatus.PAPER_OUT),
        (0x30, PrinterStatus.PAPER_OUT),  # paper out with the error line low
        (0x10, PrinterStatus.COVER_OPEN),  # selected, error, paper present
        (0x08, PrinterStatus.OFFLINE),  # not selected
        (0x00, PrinterStatus.OFFLINE),
    ],
)
def test_port_status_byte(byte: int, status: PrinterStatus) -> None:
    assert status_from_port_byte(byte) is status


class PtyPrinter:
    """A printer at the far end of a pty: records bytes, answers DLE EOT n from `answers`."""

    def __init__(self, answers: dict[int, int] | None) -> None:
        # The slave stays open here: a pty whose every slave is closed reads EIO on the master.
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)
        self.path = os.ttyname(self.slave)
        self.answers = answers
        self.received = bytearray()
        self._stop = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        import select

        while not self._stop:
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if not ready:
                continue
            try:
                data = os.read(self.master, 4096)
            except OSError:
                return
            i = data.find(b"\x10\x04")
            if i >= 0 and i + 2 < len(data) and self.answers is not None:
                os.write(self.master, bytes([self.answers[data[i + 2]]]))
                data = data[:i] + data[i + 3 :]
            self.received += data

    def close(self) -> None:
        self._stop = True
        self.thread.join(1)
        os.close(self.master)
        os.close(self.slave)


class PortStatus(UsblpTransport):
    """usblp on a pty, with the 1284 byte usblp's LPGETSTATUS would return."""

    byte: int | None = 0x18

    def port_status(self) -> int | None:
        return self.byte


def test_dle_eot_answers_come_back_through_the_node() -> None:
    far = PtyPrinter({1: 0x16, 2: 0x12, 4: 0x72})  # paper end on the paper sensor
    try:
        p = EscposPrinter(UsblpTransport(far.path, read_timeout_s=1.0))
        assert p.status() is PrinterStatus.PAPER_OUT
        far.answers = {1: 0x16, 2: 0x12, 4: 0x12}
        assert p.status() is PrinterStatus.OK
        p.close()
    finally:
        far.close()


def test_silent_printer_is_judged_by_its_port_status() -> None:
    far = PtyPrinter(None)  # unidirectional: never answers DLE EOT
    try:
        t = PortStatus(far.path, read_timeout_s=0.2)
        p = EscposPrinter(t)
        assert p.status() is PrinterStatus.OK
        t.byte = 0x30
        assert p.status() is PrinterStatus.PAPER_OUT
        t.byte = None  # the ioctl failed: nobody there
        assert p.status() is PrinterStatus.OFFLINE
    finally:
        far.close()


def test_usb_printer_uses_the_usblp_node(monkeypatch: pytest.MonkeyPatch) -> None:
    far = PtyPrinter({1: 0x16, 2: 0x12, 4: 0x12})
    try:
        monkeypatch.setattr("drivers.printer.usblp.find_usblp", lambda vid, pid: far.path)
        p = escpos_device.usb_printer(0x0416, 0x5011)
        assert p.status() is PrinterStatus.OK
        assert isinstance(p.transport, UsbTransport)
        assert isinstance(p.transport.impl, UsblpTransport)
        p.transport._raw(b"\x1b@hello")
        p.close()
    finally:
        far.close()
    assert b"\x1b@hello" in far.received


def test_usb_printer_without_usblp_or_pyusb_says_why(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import builtins

    real_import = builtins.__import__

    def no_pyusb(name: str, *args: object, **kw: object) -> object:
        if name == "usb.core" or name == "usb":
            raise ImportError("No module named 'usb'")
        return real_import(name, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr("drivers.printer.usblp.find_usblp", lambda vid, pid: None)
    monkeypatch.setattr(builtins, "__import__", no_pyusb)
    p = escpos_device.usb_printer(0x0416, 0x5011)
    with caplog.at_level("INFO"):
        assert p.status() is PrinterStatus.OFFLINE
    assert "no pyusb" in caplog.text and "0416:5011" in caplog.text


def test_file_printer_on_a_usblp_node_queries_status() -> None:
    p = escpos_device.file_printer("/dev/usb/lp7")
    assert isinstance(p.transport, UsblpTransport) and p.query_status
    assert p.status() is PrinterStatus.OFFLINE  # no such node here
