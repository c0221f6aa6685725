from __future__ import annotations

from pathlib import Path

import pytest

from drivers.printer import PrinterError, PrinterPort, PrinterStatus, PrintJournal, SimPrinter
from drivers.printer.escpos_device import EscposPrinter, status_from_bytes
from drivers.printer.escpos_encoder import encode_slip
from kiosk.slips import Slip, Text


def _slip(job_id: str) -> Slip:
    return Slip(job_id, "receipt", "受理回执", (Text("你好"),))


def test_sim_is_a_printer_port() -> None:
    assert isinstance(SimPrinter(), PrinterPort)


def test_same_job_id_prints_once(receipt: Slip) -> None:
    p = SimPrinter()
    first = p.print_slip(receipt)
    again = p.print_slip(receipt)
    assert again is first
    assert len(p.jobs) == 1
    assert p.jobs[0] == (receipt, encode_slip(receipt))


def test_reprint_forces_a_second_copy(receipt: Slip) -> None:
    p = SimPrinter()
    p.print_slip(receipt)
    r = p.reprint(receipt.job_id)
    assert r.ok and r.reprint
    assert len(p.jobs) == 2
    with pytest.raises(PrinterError) as e:
        p.reprint("nope")
    assert e.value.code == "unknown_job"


def test_journal_is_bounded_and_newest_first() -> None:
    p = SimPrinter(journal=PrintJournal(capacity=50))
    for i in range(60):
        p.print_slip(_slip(f"j{i}"))
    jobs = p.last_jobs()
    assert len(jobs) == 50
    assert jobs[0].slip.job_id == "j59"
    assert jobs[-1].slip.job_id == "j10"
    # An evicted job is forgotten, so printing it again prints.
    p.print_slip(_slip("j0"))
    assert len(p.jobs) == 61


@pytest.mark.parametrize(
    "state", [PrinterStatus.PAPER_OUT, PrinterStatus.COVER_OPEN, PrinterStatus.OFFLINE]
)
def test_error_states_raise_and_can_be_reprinted(state: PrinterStatus, receipt: Slip) -> None:
    p = SimPrinter()
    p.set_status(state)
    with pytest.raises(PrinterError) as e:
        p.print_slip(receipt)
    assert e.value.code == state.value
    assert "请找代办员处理后补打" in e.value.message_zh
    assert p.jobs == []
    failed = p.last_jobs()[0]
    assert failed.slip == receipt and not failed.result.ok
    # The agent fixes the printer: the retry prints, and only once.
    p.set_status(PrinterStatus.OK)
    assert p.print_slip(receipt).ok
    assert p.print_slip(receipt).ok
    assert len(p.jobs) == 1


def test_paper_near_end_still_prints(receipt: Slip) -> None:
    p = SimPrinter()
    p.set_status(PrinterStatus.PAPER_NEAR_END)
    r = p.print_slip(receipt)
    assert r.ok and r.status is PrinterStatus.PAPER_NEAR_END
    assert "快用完" in r.message_zh


def test_io_error_is_a_printer_error(receipt: Slip) -> None:
    p = SimPrinter()
    p.fail_io = True
    with pytest.raises(PrinterError) as e:
        p.print_slip(receipt)
    assert e.value.code == "io_error"
    assert p.print_slip(receipt).ok


def test_out_dir_gets_bin_and_png(tmp_path: Path, receipt: Slip) -> None:
    p = SimPrinter(tmp_path)
    p.print_slip(receipt)
    assert (tmp_path / "001-receipt.bin").read_bytes() == p.jobs[0][1]
    assert p.last_png_path == tmp_path / "001-receipt.png"
    assert p.last_png_path.stat().st_size > 1000


# --- the real printer against fake python-escpos transports ---


class FakeTransport:
    """Answers DLE EOT n with the byte in `answers[n]`; no entry = no answer."""

    def __init__(self, answers: dict[int, int] | None = None) -> None:
        self.answers = answers or {}
        self.sent = bytearray()
        self._device: object = False
        self._pending = b""

    @property
    def device(self) -> object:
        if not self._device:
            self.open()
        return self._device

    def open(self) -> None:
        self._device = object()

    def close(self) -> None:
        self._device = False

    def _raw(self, data: bytes) -> None:
        if data[:2] == b"\x10\x04":
            n = data[2]
            self._pending = bytes([self.answers[n]]) if n in self.answers else b""
            return
        self.sent += data

    def _read(self) -> bytes:
        out, self._pending = self._pending, b""
        return out


def test_no_answer_is_offline_not_plenty_of_paper(receipt: Slip) -> None:
    p = EscposPrinter(FakeTransport({}))
    assert p.status() is PrinterStatus.OFFLINE
    with pytest.raises(PrinterError):
        p.print_slip(receipt)


def test_real_printer_sends_encoder_bytes(receipt: Slip) -> None:
    t = FakeTransport({1: 0x12, 2: 0x12, 4: 0x12})
    p = EscposPrinter(t, width_mm=58)
    assert p.status() is PrinterStatus.OK
    p.print_slip(receipt)
    p.print_slip(receipt)
    assert bytes(t.sent) == encode_slip(receipt, 58)


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ((0x12, 0x12, 0x12), PrinterStatus.OK),
        ((0x1A, 0x16, 0x12), PrinterStatus.COVER_OPEN),
        ((0x1A, 0x32, 0x72), PrinterStatus.PAPER_OUT),
        ((0x12, 0x12, 0x1E), PrinterStatus.PAPER_NEAR_END),
        ((0x1A, 0x12, 0x12), PrinterStatus.OFFLINE),
        ((None, None, None), PrinterStatus.OFFLINE),
    ],
)
def test_status_bits(answers: tuple, expected: PrinterStatus) -> None:
    assert status_from_bytes(*answers) is expected
    fake = FakeTransport({n: a for n, a in zip((1, 2, 4), answers, strict=True) if a is not None})
    assert EscposPrinter(fake).status() is expected


def test_unopenable_transport_is_offline() -> None:
    class Missing(FakeTransport):
        def open(self) -> None:
            raise OSError("no such device")

    assert EscposPrinter(Missing()).status() is PrinterStatus.OFFLINE
    assert EscposPrinter(Missing(), query_status=False).status() is PrinterStatus.OFFLINE


def test_escpos_dummy_transport_works(receipt: Slip) -> None:
    from escpos.printer import Dummy

    d = Dummy()
    p = EscposPrinter(d, query_status=False)
    p.print_slip(receipt)
    assert d.output == encode_slip(receipt)


def test_cli_test_page_and_render(tmp_path: Path) -> None:
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    run = subprocess.run(
        [sys.executable, "-m", "drivers.printer", "test", "--sim", "--out", str(tmp_path)],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert "status: ok" in run.stdout
    (job,) = tmp_path.glob("*-test_page.bin")
    out = tmp_path / "again.png"
    subprocess.run(
        [sys.executable, "-m", "drivers.printer", "render", str(job), str(out), "--width", "80"],
        cwd=root,
        check=True,
        capture_output=True,
    )
    from drivers.scanner import decode_file

    assert decode_file(out)[0].text.startswith("https://example.invalid/")
