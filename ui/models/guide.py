"""Browsing the catalog: categories, the items in one, and one item's service guide."""

from __future__ import annotations

from PySide6.QtCore import Property, QCoreApplication, QObject, Signal, Slot

from domain.vocabulary import AGENT_WILL_HANDLE, Kind, Level
from kiosk.catalog import Catalog, ServiceItem
from kiosk.ids import new_id
from kiosk.pinyin import PinyinCache
from kiosk.search import CatalogIndex
from kiosk.slip_layouts import guide_card_slip
from ui.background import Background
from ui.devices import Devices
from ui.errors import villager_message

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text") calls


def _days_text(days: int) -> str:
    return (
        translate("GuideModel", "当场办结")
        if days == 0
        else translate("GuideModel", "{n}个工作日").format(n=days)
    )


def guide_sections(item: ServiceItem) -> list[dict[str, str]]:
    """The guide in plain sections, in the order a villager asks: what, what to bring, how long."""
    visits = (
        translate("GuideModel", "不用跑腿")
        if item.visits == 0
        else translate("GuideModel", "最多跑一次")
    )
    materials = "\n".join(
        f"{i}. {m.name}（{m.form}"
        + (translate("GuideModel", "，{n}份").format(n=m.copies) if m.copies > 1 else "")
        + "）"
        + ("" if m.required else translate("GuideModel", "（如有）"))
        + (f"：{m.note}" if m.note else "")
        for i, m in enumerate(item.materials, 1)
    )
    return [
        {"title": translate("GuideModel", "谁可以办"), "body": "\n".join(item.conditions)},
        {
            "title": translate("GuideModel", "要带什么"),
            "body": materials or translate("GuideModel", "无需材料"),
        },
        {
            "title": translate("GuideModel", "要多久"),
            # A 即办件 at the unattended kiosk waits for the agent: never 当场办结 (issue 18).
            "body": (
                f"{AGENT_WILL_HANDLE}，{visits}"
                if item.kind == Kind.IMMEDIATE
                else translate("GuideModel", "承诺{promised}（法定{legal}），{visits}").format(
                    promised=_days_text(item.promised_days),
                    legal=_days_text(item.legal_days),
                    visits=visits,
                )
            ),
        },
        {
            "title": translate("GuideModel", "要花钱吗"),
            "body": f"{item.fee}（{item.fee_basis}）" if item.fee_basis else item.fee,
        },
        {
            "title": translate("GuideModel", "怎么办"),
            "body": "\n".join(f"{i}. {s}" for i, s in enumerate(item.steps, 1)),
        },
        {"title": translate("GuideModel", "办好后"), "body": f"{item.result}；{item.delivery}"},
        {
            "title": translate("GuideModel", "在哪办、找谁"),
            "body": f"{item.department}\n{item.place}\n{item.hours}\n"
            + translate("GuideModel", "咨询电话：{phone}").format(phone=item.phone)
            + "\n"
            + translate("GuideModel", "监督投诉：{phone}").format(phone=item.complaint_phone),
        },
    ]


def plain_summary(i: ServiceItem) -> str:
    """How long and who handles it, in a villager's words (the shared vocabulary's `plain`):
    不用等几天 · 村里办, 要等几天：10个工作日 · 镇里办. The office's 即办件/承诺件 and 村级 stay on
    the agent's pages."""
    kind = Kind(i.kind).plain
    if i.kind != Kind.IMMEDIATE and i.promised_days:
        kind += "：" + _days_text(i.promised_days)
    return f"{kind} · {Level(i.level).plain}"


def _row(i: ServiceItem) -> dict[str, object]:
    return {"code": i.code, "name": i.name, "detail": plain_summary(i)}


class GuideModel(QObject):
    catalog_changed = Signal()
    category_changed = Signal()
    item_changed = Signal()
    results_changed = Signal()
    search_ready_changed = Signal()

    def __init__(
        self,
        catalog: Catalog,
        background: Background,
        devices: Devices | None = None,
        station: str = "",
        pinyin: PinyinCache | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._catalog = catalog
        self._bg = background
        self._pinyin = pinyin
        # Its own thread: the first build waits on a child process (kiosk.pinyin), which must
        # not hold up the writer thread and a villager's submit behind it.
        self._index_thread = background.device_thread("search")
        self._devices = devices
        self._station = station
        self._print_message = ""
        self._category = ""
        self._item: ServiceItem | None = None
        self._index: CatalogIndex | None = None
        self._query = ""
        self._results: list[dict[str, object]] = []
        # Building the pinyin index takes a moment: do it off the GUI thread, once.
        self._build_index(catalog)

    def set_catalog(self, catalog: Catalog) -> None:
        """A new catalog version from the county: the screens and the search follow it."""
        self._catalog = catalog
        self._index = None
        self.search_ready_changed.emit()
        self._category = ""
        self._item = None
        self._build_index(catalog)
        self.catalog_changed.emit()
        self.category_changed.emit()
        self.item_changed.emit()

    def _build_index(self, catalog: Catalog) -> None:
        def build() -> CatalogIndex:
            if self._pinyin is None:
                return CatalogIndex(catalog)
            return CatalogIndex(catalog, self._pinyin.readings(CatalogIndex.texts(catalog)))

        self._bg.run(build, self._index_ready, executor=self._index_thread)

    def _index_ready(self, index: CatalogIndex) -> None:
        if index.catalog is not self._catalog:
            return  # built for a catalog that has since been replaced
        self._index = index
        self.search_ready_changed.emit()
        if self._query:
            self.search(self._query)

    @Slot(str)
    def search(self, text: str) -> None:
        """Chinese, full pinyin or pinyin initials (`ylbx`); results as the villager types."""
        self._query = text
        items = self._index.search(text, limit=30) if self._index and text.strip() else []
        self._results = [_row(i) for i in items]
        self.results_changed.emit()

    @Property(bool, notify=search_ready_changed)
    def searchReady(self) -> bool:  # noqa: N802
        """The search index is built (at start, and after a new catalog arrives)."""
        return self._index is not None

    @Property("QVariantList", notify=results_changed)
    def results(self) -> list[dict[str, object]]:
        return self._results

    @Property(str, notify=results_changed)
    def query(self) -> str:
        return self._query

    @property
    def item(self) -> ServiceItem | None:
        return self._item

    @Property("QVariantList", notify=catalog_changed)
    def categories(self) -> list[dict[str, object]]:
        return [
            {
                "code": c.code,
                "name": c.name,
                "icon": c.icon,
                "count": len(self._catalog.items_in(c.code)),
            }
            for c in self._catalog.categories
        ]

    @Slot(str)
    def openCategory(self, code: str) -> None:  # noqa: N802
        self._category = code
        self.category_changed.emit()

    @Property(str, notify=category_changed)
    def categoryName(self) -> str:  # noqa: N802
        return self._catalog.category(self._category).name if self._category else ""

    @Property("QVariantList", notify=category_changed)
    def items(self) -> list[dict[str, object]]:
        if not self._category:
            return []
        return [_row(i) for i in self._catalog.items_in(self._category)]

    @Slot(str)
    def openItem(self, code: str) -> None:  # noqa: N802
        self._item = self._catalog.get(code)
        self._print_message = ""
        self.item_changed.emit()

    @Slot()
    def printCard(self) -> None:  # noqa: N802
        """Print the item's guide as a 明白卡 to take home (a new job each tap)."""
        if self._item is None or self._devices is None:
            return
        slip = guide_card_slip(self._item, self._station, new_id())
        self._set_print(self.tr("正在打印明白卡…"))
        self._devices.print_slip(
            slip,
            lambda _r: self._set_print(self.tr("明白卡已打印，请取走")),
            lambda e: self._set_print(villager_message(e, self.tr("明白卡打印失败"))),
        )

    def _set_print(self, message: str) -> None:
        self._print_message = message
        self.item_changed.emit()

    @Property(str, notify=item_changed)
    def printMessage(self) -> str:  # noqa: N802
        return self._print_message

    @Property(str, notify=item_changed)
    def itemName(self) -> str:  # noqa: N802
        return self._item.name if self._item else ""

    @Property(str, notify=item_changed)
    def itemCode(self) -> str:  # noqa: N802
        return self._item.code if self._item else ""

    @Property(str, notify=item_changed)
    def itemSummary(self) -> str:  # noqa: N802
        if not self._item:
            return ""
        i = self._item
        return f"{plain_summary(i)} · {i.department}"

    @Property(str, notify=item_changed)
    def speech(self) -> str:
        """The guide as one text to read aloud, section by section."""
        if not self._item:
            return ""
        parts = [self._item.name] + [
            f"{s['title']}：{s['body']}" for s in guide_sections(self._item)
        ]
        return "。".join(parts)

    @Property("QVariantList", notify=item_changed)
    def sections(self) -> list[dict[str, str]]:
        return guide_sections(self._item) if self._item else []

    @Slot()
    def clear(self) -> None:
        self._category = ""
        self._item = None
        self._query = ""
        self._results = []
        self.category_changed.emit()
        self.item_changed.emit()
        self.results_changed.emit()
