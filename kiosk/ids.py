"""Record ids made where the record is created (ULIDs), never database rowids.

A ULID sorts by creation time and needs no coordination between kiosks, so sync and printing
can be idempotent on it. Any thread may call `new_id`.

Made here (48 bits of Unix time in milliseconds, 80 random bits, Crockford's base 32: the ULID
specification, as python-ulid writes it) rather than by python-ulid, whose import reads package
metadata (importlib.metadata, ~30 ms) on the way to the kiosk's first frame. As python-ulid's
do, ids made in the same millisecond count up from the first one's random bits, so they sort
in the order they were made (several photos of one case, taken in one millisecond, stay in
order).
"""

from __future__ import annotations

import os
import threading
import time

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_RANDOM_BITS = 80
_lock = threading.Lock()
_last = [0, 0]  # the last id's millisecond and random bits


def new_id() -> str:
    ms = time.time_ns() // 1_000_000
    with _lock:
        if ms == _last[0] and _last[1] < (1 << _RANDOM_BITS) - 1:
            bits = _last[1] + 1
        else:
            if ms == _last[0]:  # 2**80 ids in one millisecond: on to the next one
                ms += 1
            bits = int.from_bytes(os.urandom(_RANDOM_BITS // 8), "big")
        _last[:] = [ms, bits]
    value = ms << _RANDOM_BITS | bits
    return "".join(_CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))
