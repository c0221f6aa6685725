"""Reading what arrived at the lab's printer: the QR codes a job stores (ESC/POS GS ( k, function
180: store data), and a picture of the slip drawn by the project's virtual printer."""

from __future__ import annotations

from pathlib import Path

STORE = b"\x1d(k"


def qr_payloads(job: bytes) -> list[str]:
    """Every QR text stored in the job (GS ( k pL pH 49 80 48 data), in order."""
    found: list[str] = []
    i = 0
    while True:
        i = job.find(STORE, i)
        if i < 0 or i + 8 > len(job):
            return found
        n = job[i + 3] | job[i + 4] << 8
        if job[i + 5 : i + 8] == b"\x31\x50\x30" and n >= 3:
            found.append(job[i + 8 : i + 5 + n].decode("utf-8", errors="replace"))
        i += 5


def case_numbers(job: bytes) -> list[str]:
    """The case numbers in the job's receipt QR codes (XLB1|case_no|case_id|check)."""
    return [
        p.split("|")[1] for p in qr_payloads(job) if p.startswith("XLB1|") and p.count("|") >= 3
    ]


def render(job: bytes, png: Path) -> Path:
    from drivers.printer.virtual import render_escpos

    render_escpos(job, 80).save(png)
    return png
