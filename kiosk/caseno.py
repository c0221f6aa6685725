"""Case numbers and the receipt's QR payload.

A case number reads aloud in groups: `YYMMDD-TTTT-NNNN-CC`: the local date, the terminal's
four-character code (assigned by the county at enrolment; no I or O, so nothing reads as 1 or 0),
a per-terminal daily sequence, and two ISO 7064 MOD 97-10 check digits, so every
single misread character and every swap of neighbours is caught before it can name another
case. Unique across kiosks without coordinating per case.

The QR payload is `XLB1|<case_no>|<case_id>|<check>`: versioned, and checksummed so a QR from
another system gets a clear message, never a wrong case.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date

_ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_TERMINAL_CODE = re.compile(r"^[0-9A-HJ-NP-Z]{4}$")
_CASE_NO = re.compile(r"^(\d{6})([0-9A-HJ-NP-Z]{4})(\d{4})(\d{2})$")
QR_PREFIX = "XLB1"


class BadCaseNumber(ValueError):
    def __init__(self, message_zh: str) -> None:
        super().__init__(message_zh)
        self.message_zh = message_zh


def mod97_10(text: str) -> str:
    """ISO 7064 MOD 97-10 check digits, with each character one base-36 digit.

    (IBAN's letters-as-two-digits would let 'B1' and '1B' collide.) As 97 is prime and larger
    than 36, any single substitution or swap of neighbours changes the remainder.
    """
    v = 0
    for ch in text:
        v = (v * 36 + _ALNUM.index(ch)) % 97
    return f"{98 - v * 100 % 97:02d}"


def make_case_no(local_day: date, terminal_code: str, seq: int) -> str:
    code = terminal_code.upper()
    if not _TERMINAL_CODE.match(code):
        raise ValueError("terminal code must be 4 characters of 0-9 and A-Z without I and O")
    if not 1 <= seq <= 9999:
        raise ValueError("daily sequence out of range")
    body = f"{local_day:%y%m%d}{code}{seq:04d}"
    return body + mod97_10(body)


def format_case_no(case_no: str) -> str:
    """'261122K001000742' -> '261122-K001-0007-42' for screens and slips."""
    m = _CASE_NO.match(case_no)
    return "-".join(m.groups()) if m else case_no


def parse_case_no(text: str) -> str:
    """Normalise what a person typed (dashes, spaces, lower case) and verify the check char."""
    compact = re.sub(r"[\s\-－—]", "", text).upper().replace("O", "0").replace("I", "1")
    if not _CASE_NO.match(compact):
        raise BadCaseNumber("办件编号格式不对，应为16位，如 261122-K001-0007-42")
    if mod97_10(compact[:-2]) != compact[-2:]:
        raise BadCaseNumber("办件编号有误（校验位不符），请核对回执上的编号")
    return compact


def _qr_check(body: str) -> str:
    return hashlib.sha256(body.encode()).hexdigest()[:6].upper()


def qr_payload(case_no: str, case_id: str) -> str:
    body = f"{QR_PREFIX}|{case_no}|{case_id}"
    return f"{body}|{_qr_check(body)}"


@dataclass(frozen=True)
class QrRef:
    case_no: str
    case_id: str


def parse_qr(text: str) -> QrRef:
    parts = text.strip().split("|")
    if len(parts) != 4 or not parts[0].startswith("XLB"):
        raise BadCaseNumber("这不是乡里办的回执二维码，请扫描收件回执上的二维码")
    if parts[0] != QR_PREFIX:
        raise BadCaseNumber("这张回执的二维码版本太新，请联系代办员查询")
    body = "|".join(parts[:3])
    if _qr_check(body) != parts[3]:
        raise BadCaseNumber("二维码已损坏，无法识别，请输入办件编号查询")
    return QrRef(parse_case_no(parts[1]), parts[2])
