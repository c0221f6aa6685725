"""A simulated printer: keeps every job's bytes, can fail on demand, can draw what it printed.

`SimPrinter(out_dir)` writes `<n>-<kind>.bin` (the ESC/POS job) and `<n>-<kind>.png` (the paper
as `virtual.render_escpos` draws it) for each printed slip, so a demo kiosk without a printer
still shows its receipts. Same threading rule as the real printer: one owner thread.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from drivers.printer.base import JournaledPrinter, PrinterError, PrinterStatus, PrintJournal
from kiosk.slips import Slip

if TYPE_CHECKING:
    from drivers.printer.escpos_encoder import QrMode


class SimPrinter(JournaledPrinter):
    def __init__(
        self,
        out_dir: Path | None = None,
        width_mm: int = 80,
        qr_mode: QrMode = "native",
        journal: PrintJournal | None = None,
    ) -> None:
        super().__init__(width_mm, qr_mode, journal)
        self.out_dir = Path(out_dir) if out_dir is not None else None
        self.jobs: list[tuple[Slip, bytes]] = []
        self.state = PrinterStatus.OK
        self.fail_io = False  # next send raises, as an unplugged USB cable would
        self.last_png_path: Path | None = None
        self.last_bin_path: Path | None = None

    def set_status(self, state: PrinterStatus) -> None:
        self.state = state

    def status(self) -> PrinterStatus:
        return self.state

    def _send(self, slip: Slip, data: bytes) -> None:
        if self.fail_io:
            self.fail_io = False
            raise OSError("simulated I/O error")
        if not self.state.can_print:
            raise PrinterError.from_status(self.state)
        self.jobs.append((slip, data))
        if self.out_dir is None:
            return
        from drivers.printer.virtual import render_escpos  # Pillow work only when asked for

        self.out_dir.mkdir(parents=True, exist_ok=True)
        stem = f"{len(self.jobs):03d}-{_safe(slip.kind)}"
        self.last_bin_path = self.out_dir / f"{stem}.bin"
        self.last_bin_path.write_bytes(data)
        self.last_png_path = self.out_dir / f"{stem}.png"
        render_escpos(data, self.width_mm).save(self.last_png_path)


def _safe(kind: str) -> str:
    return "".join(c if c.isalnum() or c in "_-" else "_" for c in kind) or "slip"
