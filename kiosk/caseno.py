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
import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from kiosk.sqlrows import put_value

_ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
TERMINAL_CODE = re.compile(r"^[0-9A-HJ-NP-Z]{4}$")
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
    if not TERMINAL_CODE.match(code):
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


def terminal_code_of(case_no: str) -> str:
    """The terminal code inside a compact, verified case number (see `parse_case_no`)."""
    return case_no[6:10]


def split_case_no(case_no: str) -> tuple[date, str, int] | None:
    """(local day, terminal code, daily sequence) of a compact case number; None if it is not
    one (or its check digits are wrong)."""
    m = _CASE_NO.match(case_no)
    if not m or mod97_10(case_no[:-2]) != case_no[-2:]:
        return None
    day_text, code, seq = m.group(1), m.group(2), m.group(3)
    try:
        day = date(2000 + int(day_text[:2]), int(day_text[2:4]), int(day_text[4:6]))
    except ValueError:
        return None
    return day, code, int(seq)


# -- the daily sequence ------------------------------------------------------------------------
# A case number's sequence is the next after the highest of: this kiosk's own cases that day,
# the highest the county reported holding for this terminal that day (`FLOOR_KEY`, from each
# push answer), and, while a restore from a backup is not yet confirmed by the county
# (`RESTORED_KEY`), `RESTORED_BASE`: the backup cannot know the numbers handed out after it was
# made, and the county may not have heard of them yet either.
FLOOR_KEY = "caseno.floor"
RESTORED_KEY = "caseno.restored"
RESTORED_BASE = 5000  # far above a village kiosk's day (tens of cases)


def _kv(db: Any, key: str) -> str:
    row = db.execute("SELECT value FROM kv WHERE key = ?", [key]).fetchone()
    return str(row[0]) if row else ""


def county_floor(db: Any) -> dict[str, int]:
    try:
        data = json.loads(_kv(db, FLOOR_KEY) or "{}")
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): v for k, v in data.items() if isinstance(v, int) and not isinstance(v, bool)}


def next_day_seq(db: Any, local_day: str) -> int:
    """The sequence for the next case number of `local_day` (ISO date), inside the caller's
    write transaction. Raises ValueError past 9999."""
    row = db.execute("SELECT max(day_seq) FROM cases WHERE local_day = ?", [local_day]).fetchone()
    seq = max(row[0] or 0, county_floor(db).get(local_day, 0))
    if _kv(db, RESTORED_KEY):
        seq = max(seq, RESTORED_BASE)
    if seq >= 9999:
        raise ValueError("daily sequence out of range")
    return seq + 1


def terminal_code_now(db: Any, configured: str) -> str:
    """The code for the next case number, inside the caller's write transaction: the one the
    county assigned at enrolment (kept in the store by sync.identity.save) as soon as it is
    there, without a restart, since the hub refuses numbers with another terminal's code."""
    return _kv(db, "terminal.code") or configured


def restored_unconfirmed(db: Any) -> bool:
    """Restored from a backup, and the county has not said since what numbers it holds."""
    return bool(_kv(db, RESTORED_KEY))


def mark_restored(db: Any, at: str) -> None:
    """After a restore from a backup (inside the restore's write): number above
    `RESTORED_BASE` until the county reports what it holds (`record_county_floor`)."""
    put_value(db, RESTORED_KEY, at)


def _merge_floor(db: Any, floor: Any) -> None:
    if not isinstance(floor, dict):
        return
    merged = county_floor(db)
    for day, seq in floor.items():
        if not isinstance(day, str) or isinstance(seq, bool) or not isinstance(seq, int):
            continue
        try:
            date.fromisoformat(day)
        except ValueError:
            continue
        merged[day] = max(merged.get(day, 0), seq)
    keep = sorted(merged)[-31:]  # a month of days is plenty
    put_value(db, FLOOR_KEY, json.dumps({d: merged[d] for d in keep}, separators=(",", ":")))


def record_county_floor(db: Any, floor: Any) -> None:
    """Keep the county's highest sequence per day for this terminal (a push answer's
    `case_seq`), inside the caller's write; the county has now confirmed what it holds, so a
    restore's caution ends. Malformed entries are ignored."""
    if not isinstance(floor, dict):
        return
    _merge_floor(db, floor)
    db.execute("DELETE FROM kv WHERE key = ?", [RESTORED_KEY])


def numbers_in_use(db: Any) -> dict[str, int]:
    """The highest sequence per day this store knows of (its own cases and the county's floor),
    read from the store a restore is about to replace."""
    used = county_floor(db)
    rows = db.execute(
        "SELECT local_day, max(day_seq) FROM cases WHERE day_seq IS NOT NULL"
        " GROUP BY local_day ORDER BY local_day DESC LIMIT 31"
    ).fetchall()
    for day, seq in rows:
        if isinstance(day, str) and isinstance(seq, int):
            used[day] = max(used.get(day, 0), seq)
    return used


def carry_numbers(db: Any, used: dict[str, int]) -> None:
    """After a restore (inside its write): keep numbering above what the replaced store had
    handed out (`numbers_in_use`), so a second restore the same day before any sync does not
    reuse the numbers filed between the two. The restore's caution stays on."""
    _merge_floor(db, used)


def qr_check(body: str) -> str:
    """The six-character checksum a slip's QR carries (receipts and appointment slips)."""
    return hashlib.sha256(body.encode()).hexdigest()[:6].upper()


def slip_qr(prefix: str, number: str, record_id: str) -> str:
    """A slip's QR text: `PREFIX|number|id|check` (receipts XLB1, appointment slips XLY1)."""
    body = f"{prefix}|{number}|{record_id}"
    return f"{body}|{qr_check(body)}"


def split_slip_qr(
    text: str, prefix: str, *, not_ours: str, too_new: str, damaged: str
) -> tuple[str, str]:
    """(number, id) of a slip's QR text made by `slip_qr` with `prefix`, else BadCaseNumber with
    the villager's message: another system's code, a newer version of ours, a damaged code."""
    parts = text.strip().split("|")
    if len(parts) != 4 or not parts[0].startswith(prefix[:3]):
        raise BadCaseNumber(not_ours)
    if parts[0] != prefix:
        raise BadCaseNumber(too_new)
    if qr_check("|".join(parts[:3])) != parts[3]:
        raise BadCaseNumber(damaged)
    return parts[1], parts[2]


def qr_payload(case_no: str, case_id: str) -> str:
    return slip_qr(QR_PREFIX, case_no, case_id)


@dataclass(frozen=True)
class QrRef:
    case_no: str
    case_id: str


def parse_qr(text: str) -> QrRef:
    number, case_id = split_slip_qr(
        text,
        QR_PREFIX,
        not_ours="这不是乡里办的回执二维码，请扫描收件回执上的二维码",
        too_new="这张回执的二维码版本太新，请联系代办员查询",
        damaged="二维码已损坏，无法识别，请输入办件编号查询",
    )
    return QrRef(parse_case_no(number), case_id)
