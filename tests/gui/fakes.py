"""Test doubles shared by the GUI tests."""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot


class FakeSupplement(QObject):
    """Stands in for the 补正 screen's model: remembers who was asked to hand in what."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[str, str]] = []

    @Slot(str)
    def start(self, case_id: str) -> None:
        self.calls.append(("villager", case_id))

    @Slot(str)
    def startAsAgent(self, case_id: str) -> None:  # noqa: N802
        self.calls.append(("agent", case_id))
