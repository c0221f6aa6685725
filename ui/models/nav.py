"""Which screen is showing, and the way back. QML shows `page`; only this model changes it."""

from __future__ import annotations

from PySide6.QtCore import Property, QObject, Signal, Slot

HOME = "home"


class NavModel(QObject):
    page_changed = Signal()
    went_home = Signal()  # every view-model clears the previous villager's data on this

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._stack: list[str] = [HOME]

    def _get_page(self) -> str:
        return self._stack[-1]

    page = Property(str, _get_page, notify=page_changed)

    @Property(bool, notify=page_changed)
    def canGoBack(self) -> bool:  # noqa: N802 - QML property name
        return len(self._stack) > 1

    @Slot(str)
    def go(self, page: str) -> None:
        if page == HOME:
            self.home()
            return
        if self._stack[-1] != page:
            self._stack.append(page)
            self.page_changed.emit()

    @Slot(str)
    def replace(self, page: str) -> None:
        """Go to `page` without letting 返回 come back here (e.g. after a receipt printed)."""
        self._stack[-1] = page
        self.page_changed.emit()

    @Slot()
    def back(self) -> None:
        if len(self._stack) > 1:
            self._stack.pop()
            self.page_changed.emit()

    @Slot()
    def home(self) -> None:
        self._stack = [HOME]
        self.page_changed.emit()
        self.went_home.emit()
