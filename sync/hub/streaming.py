"""A file's bytes as a streamed answer's body, a block at a time, under ASGI and WSGI alike.

Django serves a streamed answer under ASGI only from an async iterator: given a plain one it
reads it whole into memory first (with a warning), which for a kiosk release of 100 MB and a
county of kiosks updating at once is the hub's memory gone. Under WSGI it is the other way
round. `file_blocks` gives each server the kind it streams.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Generator, Iterator
from typing import IO

from django.http import HttpRequest

BLOCK = 256 * 1024


def _blocks(handle: IO[bytes], remaining: int) -> Generator[bytes, None, None]:
    try:
        while remaining > 0:
            block = handle.read(min(BLOCK, remaining))
            if not block:
                return
            remaining -= len(block)
            yield block
    finally:
        handle.close()


async def _ablocks(handle: IO[bytes], remaining: int) -> AsyncIterator[bytes]:
    """`_blocks`, each block read in a thread."""
    blocks = _blocks(handle, remaining)
    try:
        while (block := await asyncio.to_thread(next, blocks, None)) is not None:
            yield block
    finally:
        blocks.close()
        handle.close()  # also when no block was read (`close` of an unstarted generator)


def file_blocks(
    request: HttpRequest, handle: IO[bytes], length: int
) -> Iterator[bytes] | AsyncIterator[bytes]:
    """`length` bytes of `handle` from where it stands, closed at the end (or when the client
    goes away): async under ASGI (the request has a `scope`), plain under WSGI."""
    if hasattr(request, "scope"):
        return _ablocks(handle, length)
    return _blocks(handle, length)
