"""Plain words on every villager screen (issue 18), tapped through the real QML.

A seventy-year-old reads 已交上，等代办员办理, not 已收件 / 已提交 / 受理回执 / 申请已保存: a case
handed in at the kiosk has one name for the villager (`Status.plain`, domain/vocabulary.py), the
same on the receipt page, the progress page, the printed 收件回执 and the county's answer about a
case of another kiosk. The office's words (即办件, 村级, 高拍仪, 离线, …) stay on staff pages.
"""

from __future__ import annotations

from PySide6.QtQuick import QQuickItem, QQuickWindow

from domain.vocabulary import AGENT_WILL_HANDLE, STATUS_LABELS, Status
from domain.whereabouts import where_now
from kiosk.casestore import recent_cases
from kiosk.catalog import ServiceItem
from sync.worker import SyncStatus
from ui.app import KioskApp
from ui.driving import is_shown, settle, tap, text_of, walk
from ui.screens import walk_screens

# The office's words a villager trips on (the list), and the old names of the state of
# a case handed in. 县级 is left out: it is also an ordinary word in a notice's text (县级补助).
JARGON = (
    "即办件",
    "承诺件",
    "村级",
    "镇级",
    "高拍仪",
    "F开头",
    "查询编号",
    "离线",
    "待上传",
)
OLD_NAMES = ("申请已保存", "已提交", "受理回执", "等待工作人员受理", "等待受理", "已收件")
# Computer talk: nothing a villager does is "saved" (the technician's settings are).
JARGON += ("保存",)  # computer talk, in any form (已保存, 保存您的申请)
PLAIN = Status.SUBMITTED.plain
CASE_STATES = ("receipt", "progress", "supplement", "rate")


def _shown(item: QQuickItem) -> bool:
    return is_shown(item) and float(item.property("opacity") or 0) > 0


def shown_texts(window: QQuickWindow) -> list[str]:
    """Every text a villager can see on the window now, and what its page says aloud."""
    settle(window)
    texts = []
    for item in walk(window.contentItem()):
        if not _shown(item) or item.objectName() == "keyboard":
            continue
        if item.inherits("QQuickText"):
            text = str(item.property("text") or "").strip()
            if text:
                texts.append(text)
        spoken = item.property("spoken")
        if isinstance(spoken, str) and spoken.strip():
            texts.append(spoken.strip())
    return texts


def _apply(kiosk: KioskApp, item: ServiceItem) -> None:
    """From the item's list (its category opened as a tile does) to the receipt, by taps."""
    w = kiosk.window  # type: ignore[attr-defined]
    kiosk.guide.openCategory(item.category)
    kiosk.nav.go("items")
    tap(w, f"item_{item.code}")
    tap(w, "applyButton")
    tap(w, "readCardButton")
    tap(w, "submitButton")
    assert kiosk.nav.page == "receipt", kiosk.apply.error


def offices_words(texts: list[str], words: tuple[str, ...] = JARGON + OLD_NAMES) -> list[str]:
    return [f"{w} in {t!r}" for t in texts for w in words if w in t]


def test_no_villager_screen_uses_the_offices_words(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    # The status bar offline with records waiting, then online, on the home screen.
    for status in (SyncStatus(online=False, pending=3), SyncStatus(online=True, pending=2)):
        kiosk.relay.sync_status.emit(status)
        assert not offices_words(shown_texts(w)), text_of(w, "syncText")
    kiosk.relay.sync_status.emit(SyncStatus(online=False, pending=0))
    found, seen = [], []
    for state in walk_screens(kiosk):
        if state.startswith("agent-"):  # the agent's pages keep the office's words
            continue
        seen.append(state)
        # The old names of a case's state, on the pages that show a case (an appointment is
        # 预约申请已提交, its own thing).
        words = JARGON + OLD_NAMES if state.startswith(CASE_STATES) else JARGON
        found += [f"[{state}] {p}" for p in offices_words(shown_texts(w), words)]
    assert {"items", "guide", "receipt", "progress-found", "progress-start"} <= set(seen)
    assert len(seen) >= 25
    assert not found, "\n".join(found)


def test_the_checker_sees_what_a_villager_sees(kiosk: KioskApp) -> None:
    """A checker that finds nothing proves nothing: the status bar's words are read, and a
    planted jargon word in a visible text is caught, in a hidden one not."""
    w = kiosk.window  # type: ignore[attr-defined]
    kiosk.relay.sync_status.emit(SyncStatus(online=False, pending=3))
    assert any("没网" in t for t in shown_texts(w))
    from PySide6.QtQml import QQmlComponent

    component = QQmlComponent(kiosk.engine)
    component.setData(
        """
        import QtQuick
        Item {
            x: 100; y: 300; width: 600; height: 200
            Text { text: "即办件 · 村级"; font.pixelSize: 40 }
            Text { y: 80; visible: false; text: "高拍仪"; font.pixelSize: 40 }
        }
        """.encode(),
        kiosk.engine.baseUrl(),
    )
    planted = component.create()
    assert planted is not None, component.errorString()
    planted.setParentItem(w.contentItem())
    try:
        words = offices_words(shown_texts(w))
    finally:
        planted.deleteLater()
    assert any("即办件" in p for p in words) and any("村级" in p for p in words)
    assert not any("高拍仪" in p for p in words)


def test_one_name_for_a_case_handed_in_on_screen_slip_and_progress(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    assert PLAIN == "已交上，等代办员办理" and PLAIN != STATUS_LABELS[Status.SUBMITTED]
    _apply(kiosk, next(i for i in kiosk.catalog.items if i.kind == "promised"))
    on_receipt = shown_texts(w)
    assert f"✔ {PLAIN}" in on_receipt  # the page's title
    slip = kiosk.devices.printer.jobs[-1][0].plain_text()
    assert f"您的申请{PLAIN}。" in slip
    assert not offices_words([*on_receipt, slip], OLD_NAMES)

    # The printed receipt held under the scanner: the progress page, same words.
    tap(w, "homeButton")
    kiosk.devices.scanner.feed_image(kiosk.devices.printer.last_png_path)
    assert kiosk.nav.page == "progress"
    assert text_of(w, "statusLabel") == f"当前状态：{PLAIN}"
    assert PLAIN in text_of(w, "step_0")  # the history names the state the same way
    assert text_of(w, "whereNow") == f"现在在哪里：在{kiosk.config.station}"
    assert not offices_words(shown_texts(w), OLD_NAMES)


def test_the_countys_answer_names_the_state_the_same_way(kiosk: KioskApp) -> None:
    """A case of another kiosk, looked up through the county: the hub sends its staff label
    (已收件) and its where; the kiosk names a status it knows in the villager's words."""
    w = kiosk.window  # type: ignore[attr-defined]
    answer = {
        "case_no": "261120K007001220",
        "item_name": "临时救助申请",
        "kind": "promised",
        "status": "submitted",
        "status_label": STATUS_LABELS[Status.SUBMITTED],
        "where": where_now(Status.SUBMITTED, "", "下坪村便民服务站"),
        "pickup_place": "下坪村便民服务站",
        "history": [
            {"action": "submit", "label": "提交申请", "to_status": "submitted", "at": ""},
        ],
    }
    kiosk.progress.remote_lookup = lambda case_no, last4: dict(answer)
    tap(w, "tileProgress")
    kiosk.progress.lookupNumber("261120-K007-0012-20", "024X")
    settle(w)
    assert kiosk.progress.remote
    assert text_of(w, "statusLabel") == f"当前状态：{PLAIN}"
    assert PLAIN in text_of(w, "step_0")
    assert not offices_words(shown_texts(w))


def test_an_immediate_case_says_when_the_agent_handles_it(kiosk: KioskApp) -> None:
    """Filed at the unattended kiosk, a 即办件 is not done on the spot: the list, the guide, the
    receipt page, the slip and the progress page say when the agent handles it."""
    w = kiosk.window  # type: ignore[attr-defined]
    item = next(i for i in kiosk.catalog.items if i.kind == "immediate")
    kiosk.guide.openCategory(item.category)
    kiosk.nav.go("items")
    row = [t for t in shown_texts(w) if t.startswith("不用等几天")]
    assert row, shown_texts(w)  # its row: 不用等几天 · 村里办, not 即办件 · 当场办结 · 村级
    tap(w, f"item_{item.code}")
    assert any(AGENT_WILL_HANDLE in t for t in shown_texts(w))  # the guide's 要多久
    _apply(kiosk, item)
    [case] = recent_cases(kiosk.store)
    assert case.kind.value == "immediate"
    slip = kiosk.devices.printer.jobs[-1][0].plain_text()
    for texts in (shown_texts(w), [slip]):
        assert any(AGENT_WILL_HANDLE in t for t in texts)
        assert any(kiosk.config.station_hours in t for t in texts)  # when the agent is in
        assert not [t for t in texts if "当场" in t], texts
    tap(w, "viewProgressButton")
    assert text_of(w, "nextStep") == f"下一步：{AGENT_WILL_HANDLE}"
    assert not [t for t in shown_texts(w) if "当场" in t]


def test_a_mistyped_tracking_number_is_told_in_plain_words(kiosk: KioskApp) -> None:
    """A complaint's number typed wrong on the progress page: 查询号, as on its receipt; no F加16位
    or 校验位."""
    w = kiosk.window  # type: ignore[attr-defined]
    tap(w, "tileProgress")
    for typed in ("F123", "F261122-K001-0007-41"):  # too short; a wrong check number
        kiosk.progress.lookupNumber(typed, "")
        settle(w)
        message = text_of(w, "progressMessageText")
        assert "查询号" in message, message
        assert not offices_words([message], JARGON + ("F加", "校验位")), message
