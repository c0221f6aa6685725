"""Read-only Qt properties from lambdas, all notified by one signal (less boilerplate per field)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Property, Signal


def derived(notify: Signal) -> Callable[..., Property]:
    """`f = derived(changed)`, then `name = f(lambda self: ..., str)` in the class body."""

    def make(getter: Callable[[Any], object], kind: type | str = str) -> Property:
        return Property(kind, getter, notify=notify)

    return make
