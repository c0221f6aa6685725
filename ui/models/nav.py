"""Which screen is showing, and the way back. QML shows `page`; only this model changes it."""

from __future__ import annotations

from PySide6.QtCore import Property, QObject, Signal, Slot

HOME = "home"
STAFF_ENTRY = "staffSignIn"

# Page name → QML file (relative to ui/qml). Other parts of the UI (the admin mode) add theirs
# with `register_page`; QML shows `pageSource` and never keeps its own list.
PAGES: dict[str, str] = {
    "home": "HomePage.qml",
    # Each home tile opens a page of its own: 办事指南 browses guides to read, 我要办理 starts an
    # application from the same categories with its own title and steps, 服务评价 finds the case
    # to rate.
    "categories": "CategoriesPage.qml",
    "applyStart": "CategoriesPage.qml",
    "rateFind": "RateFindPage.qml",
    "items": "ItemsPage.qml",
    "guide": "GuidePage.qml",
    "search": "SearchPage.qml",
    "apply": "ApplyPage.qml",
    "receipt": "ReceiptPage.qml",
    "progress": "ProgressPage.qml",
    "rate": "RatePage.qml",
    "notices": "NoticesPage.qml",
    "notice": "NoticePage.qml",
    "feedback": "FeedbackPage.qml",
    "feedbackDone": "FeedbackDonePage.qml",
    "appointments": "AppointmentsPage.qml",
    "appointmentDone": "AppointmentDonePage.qml",
    "help": "HelpPage.qml",
}


def register_page(name: str, qml_file: str) -> None:
    if name in PAGES and PAGES[name] != qml_file:
        raise ValueError(f"page {name!r} is already {PAGES[name]!r}")
    PAGES[name] = qml_file


class NavModel(QObject):
    page_changed = Signal()
    went_home = Signal()  # every view-model clears the previous villager's data on this

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._stack: list[str] = [HOME]

    def _get_page(self) -> str:
        return self._stack[-1]

    page = Property(str, _get_page, notify=page_changed)

    @Property(str, notify=page_changed)
    def pageSource(self) -> str:  # noqa: N802
        return PAGES.get(self._stack[-1], PAGES[HOME])

    @Property(bool, notify=page_changed)
    def canGoBack(self) -> bool:  # noqa: N802 - QML property name
        return len(self._stack) > 1

    @Slot(str)
    def go(self, page: str) -> None:
        if page not in PAGES:
            raise ValueError(f"unknown page {page!r}")
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
    def enterStaffMode(self) -> None:  # noqa: N802
        """The deliberate staff gesture: opens the sign-in page if the admin mode is installed."""
        if STAFF_ENTRY in PAGES:
            self.home()
            self.go(STAFF_ENTRY)

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
