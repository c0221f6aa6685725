"""The printer port the UI talks to, its status and errors, and the print journal.

`JournaledPrinter` holds what every printer shares: a lock (one job at a time per printer), the
status check before and after a job, and the journal that makes printing idempotent by
`Slip.job_id` (a retried job is not printed twice; `reprint` prints again on purpose).

Each printer is owned by one device thread; the lock only guards against a second caller
slipping in (a UI "补打" while a receipt is printing). Never log slip text: it is already masked,
but the journal keeps only ids, kinds and results in its log lines anyway.
"""

from __future__ import annotations

import enum
import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from kiosk.slips import Slip

if TYPE_CHECKING:
    from drivers.printer.escpos_encoder import QrMode

log = logging.getLogger(__name__)

# What the villager can do about it. Whether anything was kept is the caller's to say (the
# receipt page says the application is handed in): a printer knows nothing of cases.
_SAVED = "请找代办员处理后补打。"


class PrinterStatus(enum.Enum):
    OK = "ok"
    PAPER_NEAR_END = "paper_near_end"
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    OFFLINE = "offline"

    @property
    def message_zh(self) -> str:
        return _MESSAGES[self]

    @property
    def can_print(self) -> bool:
        return self in (PrinterStatus.OK, PrinterStatus.PAPER_NEAR_END)


_MESSAGES = {
    PrinterStatus.OK: "打印机正常。",
    PrinterStatus.PAPER_NEAR_END: "打印纸快用完了，请代办员及时更换打印纸。",
    PrinterStatus.PAPER_OUT: "打印机缺纸，" + _SAVED,
    PrinterStatus.COVER_OPEN: "打印机盖没有合上，" + _SAVED,
    PrinterStatus.OFFLINE: "打印机没有连接或没有开机，" + _SAVED,
}


class PrinterError(Exception):
    """A job did not print. `code` is a PrinterStatus value or 'io_error' / 'unknown_job'."""

    def __init__(self, code: str, message_zh: str) -> None:
        super().__init__(f"{code}: {message_zh}")
        self.code = code
        self.message_zh = message_zh

    @classmethod
    def from_status(cls, status: PrinterStatus) -> PrinterError:
        return cls(status.value, status.message_zh)


IO_ERROR_ZH = "打印机通信出错，" + _SAVED
UNKNOWN_JOB_ZH = "找不到这张凭条，无法补打。"


@dataclass(frozen=True)
class PrintResult:
    job_id: str
    kind: str
    ok: bool
    status: PrinterStatus
    printed_at: datetime
    byte_count: int = 0
    reprint: bool = False
    error_code: str = ""

    @property
    def message_zh(self) -> str:
        return self.status.message_zh


@dataclass(frozen=True)
class JournalEntry:
    slip: Slip
    result: PrintResult


class PrintJournal:
    """The last `capacity` jobs by job_id, newest last, with their latest result."""

    def __init__(self, capacity: int = 50) -> None:
        self.capacity = capacity
        self._entries: OrderedDict[str, JournalEntry] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, job_id: str) -> JournalEntry | None:
        with self._lock:
            return self._entries.get(job_id)

    def record(self, slip: Slip, result: PrintResult) -> None:
        with self._lock:
            self._entries.pop(slip.job_id, None)
            self._entries[slip.job_id] = JournalEntry(slip, result)
            while len(self._entries) > self.capacity:
                self._entries.popitem(last=False)

    def last_jobs(self) -> list[JournalEntry]:
        """Newest first: what the agent's reprint menu lists (failed jobs included)."""
        with self._lock:
            return list(reversed(self._entries.values()))

    def __len__(self) -> int:
        return len(self._entries)


@runtime_checkable
class PrinterPort(Protocol):
    def status(self) -> PrinterStatus: ...

    def print_slip(self, slip: Slip) -> PrintResult: ...

    def reprint(self, job_id: str) -> PrintResult: ...

    def last_jobs(self) -> list[JournalEntry]: ...


class JournaledPrinter:
    """Shared behaviour of real and simulated printers; subclasses implement `status` and
    `_send`. `print_slip` returns the result or raises `PrinterError` (the job then shows in
    `last_jobs()` as failed, so the agent can reprint it)."""

    def __init__(
        self, width_mm: int = 80, qr_mode: QrMode = "native", journal: PrintJournal | None = None
    ) -> None:
        self.width_mm = width_mm
        self.qr_mode: QrMode = qr_mode
        self.journal = journal if journal is not None else PrintJournal()
        self._lock = threading.RLock()

    def status(self) -> PrinterStatus:
        raise NotImplementedError

    def _send(self, slip: Slip, data: bytes) -> None:
        raise NotImplementedError

    def print_slip(self, slip: Slip) -> PrintResult:
        with self._lock:
            done = self.journal.get(slip.job_id)
            if done is not None and done.result.ok:
                log.info("print job %s already printed; not printing again", slip.job_id)
                return done.result
            return self._print(slip, reprint=False)

    def reprint(self, job_id: str) -> PrintResult:
        with self._lock:
            entry = self.journal.get(job_id)
            if entry is None:
                raise PrinterError("unknown_job", UNKNOWN_JOB_ZH)
            return self._print(entry.slip, reprint=True)

    def last_jobs(self) -> list[JournalEntry]:
        return self.journal.last_jobs()

    def _print(self, slip: Slip, reprint: bool) -> PrintResult:
        before = self.status()
        if not before.can_print:
            raise self._failed(slip, reprint, before, before.value)
        from drivers.printer.escpos_encoder import encode_slip  # qrcode, Pillow: at first print

        data = encode_slip(slip, self.width_mm, self.qr_mode)
        try:
            self._send(slip, data)
        except PrinterError as e:
            raise self._failed(slip, reprint, PrinterStatus.OFFLINE, e.code, e.message_zh) from e
        except OSError as e:
            raise self._failed(slip, reprint, PrinterStatus.OFFLINE, "io_error", IO_ERROR_ZH) from e
        after = self.status()
        if after in (PrinterStatus.PAPER_OUT, PrinterStatus.COVER_OPEN):
            # The paper ran out (or the cover opened) during the job: the slip is incomplete.
            raise self._failed(slip, reprint, after, after.value)
        result = PrintResult(
            slip.job_id, slip.kind, True, after, datetime.now(UTC), len(data), reprint
        )
        self.journal.record(slip, result)
        log.info("printed job %s (%s, %d bytes)", slip.job_id, slip.kind, len(data))
        return result

    def _failed(
        self, slip: Slip, reprint: bool, status: PrinterStatus, code: str, msg: str = ""
    ) -> PrinterError:
        result = PrintResult(
            slip.job_id, slip.kind, False, status, datetime.now(UTC), 0, reprint, code
        )
        self.journal.record(slip, result)
        log.warning("print job %s failed: %s", slip.job_id, code)
        return PrinterError(code, msg or status.message_zh)
