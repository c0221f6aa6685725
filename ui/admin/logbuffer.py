"""The technician's log view: a ring buffer of the last log lines, with personal data masked.

`RingHandler` is a `logging.Handler` installed on the root logger once (any thread may log;
`lines()` copies under a lock). Masking is a safety net on top of the rule that nobody logs
personal data: 18-character ID numbers, mobile numbers and "姓名：…" style names are hidden.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import deque

_ID = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[0-9Xx])(?![0-9A-Za-z])")
_PHONE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
_NAME = re.compile(r"(姓名|申请人|取件人|代办员|name)([:：=]\s*)([\u4e00-\u9fff·]{1,6})")


def mask_text(text: str) -> str:
    text = _ID.sub(lambda m: m.group(1) + "*" * 8 + m.group(2), text)
    text = _PHONE.sub(lambda m: m.group(1) + "****" + m.group(2), text)
    return _NAME.sub(
        lambda m: m.group(1) + m.group(2) + m.group(3)[0] + "*" * (len(m.group(3)) - 1), text
    )


class RingHandler(logging.Handler):
    def __init__(self, capacity: int = 200) -> None:
        super().__init__(logging.INFO)
        self._lines: deque[str] = deque(maxlen=capacity)
        self._guard = threading.Lock()
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = mask_text(self.format(record))
        except Exception:
            return
        with self._guard:
            self._lines.append(line)

    def lines(self) -> list[str]:
        with self._guard:
            return list(self._lines)


_installed: RingHandler | None = None


def ring_handler() -> RingHandler:
    """The one handler on the root logger (installed on first use)."""
    global _installed
    if _installed is None:
        _installed = RingHandler()
        logging.getLogger().addHandler(_installed)
    return _installed
