"""The village's public notices (三务公开): the home screen's banner and the notices pages.

Made before the home screen's first frame (its banner reads it); the notices are read on the
writer thread, and the screens refresh when the store says the notices table changed (a pull
from the county).
"""

from __future__ import annotations

from PySide6.QtCore import Property, QObject, Signal, Slot

from kiosk.clock import Clock, local_text
from kiosk.notices import CATEGORY_LABELS, Notice, current_notices
from kiosk.store import Store
from ui.background import Background
from ui.models.props import derived


class NoticesModel(QObject):
    changed = Signal()

    def __init__(
        self, *, store: Store, background: Background, clock: Clock, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._store, self._bg, self._clock = store, background, clock
        self._notices: list[Notice] = []
        self._category = ""
        self._open: Notice | None = None
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        def loaded(notices: list[Notice]) -> None:
            self._notices = notices
            if self._open and all(n.id != self._open.id for n in notices):
                self._open = None  # withdrawn or expired while shown
            self.changed.emit()

        self._bg.run(lambda: current_notices(self._store, self._clock.now()), loaded)

    def on_store_changed(self, tables: frozenset[str]) -> None:
        if "notices" in tables:
            self.refresh()

    @Slot(str)
    def setCategory(self, category: str) -> None:  # noqa: N802
        self._category = category
        self.changed.emit()

    @Slot(str)
    def open(self, notice_id: str) -> None:
        self._open = next((n for n in self._notices if n.id == notice_id), None)
        self.changed.emit()

    def _rows(self) -> list[dict[str, str]]:
        return [
            {
                "id": n.id,
                "category": CATEGORY_LABELS.get(n.category, n.category),
                "title": n.title,
                "date": local_text(n.published_at, with_time=False),
            }
            for n in self._notices
            if not self._category or n.category == self._category
        ]

    _f = derived(changed)
    notices = _f(lambda s: s._rows(), "QVariantList")
    category = _f(lambda s: s._category)
    categories = Property(
        "QVariantList",
        lambda s: (
            [{"code": "", "label": s.tr("全部")}]
            + [{"code": k, "label": v} for k, v in CATEGORY_LABELS.items()]
        ),
        constant=True,
    )
    banner = _f(
        lambda s: "　　".join(
            f"【{CATEGORY_LABELS.get(n.category, '')}】{n.title}" for n in s._notices[:5]
        )
    )
    title = _f(lambda s: s._open.title if s._open else "")
    body = _f(lambda s: s._open.body if s._open else "")
    meta = _f(
        lambda s: (
            f"{CATEGORY_LABELS.get(s._open.category, '')} · {local_text(s._open.published_at, with_time=False)}"
            if s._open
            else ""
        )
    )
    del _f
