"""What to tell a villager when something failed: plain Chinese, what happened, what to do.

Typed errors from the core and the drivers carry their own `message_zh`; everything else is
mapped here, so no screen ever shows a stack trace or an English exception text.
"""

from __future__ import annotations

import sqlite3

DISK_FULL = "本机存储空间已满，这一步没有保存。请联系代办员处理，给您带来不便，十分抱歉。"
STORE_BUSY = "本机正忙，请稍等几秒再点一次。"


def villager_message(exc: BaseException, default: str) -> str:
    message = getattr(exc, "message_zh", "")
    if message:
        return str(message)
    if isinstance(exc, sqlite3.OperationalError):
        text = str(exc).lower()
        if "full" in text:
            return DISK_FULL
        if "locked" in text or "busy" in text:
            return STORE_BUSY
    if isinstance(exc, OSError) and exc.errno == 28:  # ENOSPC
        return DISK_FULL
    return default
