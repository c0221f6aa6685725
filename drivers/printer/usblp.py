"""USB receipt printers through the kernel's printer driver (usblp): /dev/usb/lpN.

On Debian the kernel's `usblp` claims every USB printer-class device as it is plugged in, and
gives it a device node in the `lp` group. That is the printer's ordinary path: no libusb, no
detaching of the kernel driver, no root. Two status paths, the ones real printers offer:

- ESC/POS real-time status (DLE EOT n) over the bidirectional interface: written to the node,
  the answer read back from it (usblp reads from the printer's bulk-in endpoint);
- the IEEE 1284 port status byte (USB printer class GET_PORT_STATUS), which usblp returns for the
  `LPGETSTATUS` ioctl: paper empty, selected, no error. A printer that does not answer DLE EOT
  (unidirectional, or one that ignores real-time commands) is judged by it alone.

`find_usblp(vid, pid)` finds the node of a printer by its USB ids through sysfs, so the kiosk's
configuration can keep naming the printer by its ids (the node number depends on plug order).
Owned by the printer's device thread, like every transport.
"""

from __future__ import annotations

import errno
import fcntl
import logging
import os
import select
import struct
from pathlib import Path

from drivers.printer.base import PrinterStatus

log = logging.getLogger(__name__)

LPGETSTATUS = 0x060B  # linux/lp.h
# IEEE 1284 status bits as usblp reports them (linux/lp.h: LP_PERRORP, LP_PSELECD, LP_POUTPA)
LP_NOT_ERROR = 0x08
LP_SELECTED = 0x10
LP_PAPER_OUT = 0x20

SYSFS_USBMISC = Path("/sys/class/usbmisc")


def find_usblp(
    vid: int, pid: int, sysfs: Path = SYSFS_USBMISC, dev: Path = Path("/dev/usb")
) -> str | None:
    """The /dev/usb/lpN node of the USB printer with these ids, or None."""
    try:
        nodes = sorted(p for p in sysfs.iterdir() if p.name.startswith("lp"))
    except OSError:
        return None
    for node in nodes:
        # lpN/device is the USB interface; its parent is the USB device with the ids.
        try:
            usb_device = (node / "device").resolve().parent
            found_vid = int((usb_device / "idVendor").read_text().strip(), 16)
            found_pid = int((usb_device / "idProduct").read_text().strip(), 16)
        except (OSError, ValueError):
            continue
        if (found_vid, found_pid) == (vid, pid):
            return str(dev / node.name)
    return None


def status_from_port_byte(status: int) -> PrinterStatus:
    """The IEEE 1284 status byte -> a printer status. The byte cannot tell an open cover from
    another fault: a printer that is selected but reports an error (without paper-out) is
    reported as an open cover, the fault receipt printers signal this way in practice."""
    if status & LP_PAPER_OUT:
        return PrinterStatus.PAPER_OUT
    if not status & LP_SELECTED:
        return PrinterStatus.OFFLINE
    if not status & LP_NOT_ERROR:
        return PrinterStatus.COVER_OPEN
    return PrinterStatus.OK


class UsblpTransport:
    """A python-escpos-like transport over a usblp node (what `EscposPrinter` needs: `open`,
    `close`, `_raw`, `_device`, `device` with `reset_input_buffer` and `read`)."""

    def __init__(self, devfile: str, read_timeout_s: float = 0.5) -> None:
        self.devfile = devfile
        self.read_timeout_s = read_timeout_s
        self._fd: int | None = None
        self._device: object = False

    # -- python-escpos transport interface ----------------------------------------------------
    @property
    def device(self) -> UsblpTransport:
        return self

    def open(self) -> None:
        self._fd = os.open(self.devfile, os.O_RDWR | os.O_CLOEXEC)
        self._device = True

    def close(self) -> None:
        fd, self._fd = self._fd, None
        self._device = False
        if fd is not None:
            try:
                os.close(fd)
            except OSError:
                pass

    def _raw(self, data: bytes) -> None:
        if self._fd is None:
            raise OSError(errno.EBADF, "printer not open")
        view = memoryview(data)
        while view:
            n = os.write(self._fd, view)
            view = view[n:]

    # -- reading the bidirectional channel ----------------------------------------------------
    def reset_input_buffer(self) -> None:
        """Drop answers nobody read (a late answer to an earlier query)."""
        while self._readable(0):
            try:
                if not os.read(self._fd, 64):  # type: ignore[arg-type]
                    return
            except OSError:
                return

    def read(self, size: int = 1) -> bytes:
        if self._fd is None or not self._readable(self.read_timeout_s):
            return b""
        try:
            # Everything waiting: a caller looking for one status byte takes the last valid one.
            return os.read(self._fd, max(size, 64))
        except OSError as e:
            if e.errno in (errno.EAGAIN, errno.EWOULDBLOCK):
                return b""
            raise

    def _readable(self, timeout: float) -> bool:
        if self._fd is None:
            return False
        ready, _, _ = select.select([self._fd], [], [], timeout)
        return bool(ready)

    # -- the 1284 port status -----------------------------------------------------------------
    def port_status(self) -> int | None:
        """usblp's LPGETSTATUS: the printer's IEEE 1284 status byte, None if it cannot say."""
        if self._fd is None:
            return None
        try:
            raw = fcntl.ioctl(self._fd, LPGETSTATUS, struct.pack("i", 0))
        except OSError as e:
            log.info("printer port status failed: %s", errno.errorcode.get(e.errno or 0, e))
            return None
        return struct.unpack("i", raw)[0] & 0xFF


class UsbTransport:
    """A USB printer named by its ids: through usblp when the kernel's driver holds it (Debian's
    default), else through libusb (python-escpos's `Usb`, which needs pyusb and access to the
    USB device node, and detaches usblp)."""

    def __init__(self, vid: int, pid: int, timeout_ms: int = 2000) -> None:
        self.vid, self.pid, self.timeout_ms = vid, pid, timeout_ms
        self.impl: object | None = None
        self._device: object = False

    @property
    def device(self) -> object:
        return getattr(self.impl, "device", None)

    def open(self) -> None:
        node = find_usblp(self.vid, self.pid)
        impl: object
        if node is not None:
            impl = UsblpTransport(node)
        else:
            try:
                import usb.core  # noqa: F401  (pyusb: python-escpos's Usb cannot work without it)
                from escpos.printer import Usb
            except ImportError as e:
                raise RuntimeError(
                    f"no /dev/usb/lp* for {self.vid:04x}:{self.pid:04x} (usblp) and no pyusb"
                ) from e
            impl = Usb(self.vid, self.pid, timeout=self.timeout_ms)
        impl.open()  # type: ignore[attr-defined]
        self.impl = impl
        self._device = True

    def close(self) -> None:
        impl, self.impl = self.impl, None
        self._device = False
        if impl is not None:
            impl.close()  # type: ignore[attr-defined]

    def _raw(self, data: bytes) -> None:
        if self.impl is None:
            raise OSError(errno.EBADF, "printer not open")
        self.impl._raw(data)  # type: ignore[attr-defined]

    def _read(self) -> bytes:
        if self.impl is None:
            return b""
        return bytes(self.impl._read())  # type: ignore[attr-defined]

    def port_status(self) -> int | None:
        return self.impl.port_status() if isinstance(self.impl, UsblpTransport) else None
