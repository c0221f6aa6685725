"""Between villagers nothing is left behind; when something fails the villager is told, in Chinese."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtQuick import QQuickItem

from drivers.idcard.simulator import DEMO_CARD
from kiosk.casestore import recent_cases
from kiosk.idnumber import mask
from tests.gui.test_villager_flow import _apply_for_first_item
from ui.app import KioskApp
from ui.driving import exists, tap, walk


def _all_text(kiosk: KioskApp) -> str:
    """Every text the window holds, shown or not (labels, fields, hidden pages)."""
    w = kiosk.window  # type: ignore[attr-defined]
    texts = []
    for item in walk(w.contentItem()):
        for prop in ("text", "placeholderText", "title"):
            value = item.property(prop)
            if isinstance(value, str):
                texts.append(value)
    return "\n".join(texts)


def _view_model_text(kiosk: KioskApp) -> str:
    values = []
    for model in (kiosk.apply, kiosk.progress, kiosk.guide):
        meta = model.metaObject()
        for i in range(meta.propertyOffset(), meta.propertyCount()):
            values.append(str(model.property(meta.property(i).name())))
    return "\n".join(values)


def test_idle_countdown_then_wipe_leaves_nothing_for_the_next_villager(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    kiosk.session.stop()  # the test is the clock: a real second ticking under load would skew it
    _apply_for_first_item(kiosk)
    [case] = recent_cases(kiosk.store)
    secrets = [
        DEMO_CARD.name,
        mask(DEMO_CARD.id_number),
        DEMO_CARD.id_number[-4:],
        kiosk.apply.caseNo,
    ]
    assert any(s in _all_text(kiosk) for s in secrets)  # the villager's data is on screen now

    for _ in range(kiosk.session.idle_s):
        kiosk.session.tick()
    assert exists(w, "keepGoingButton") and kiosk.session.secondsLeft == kiosk.session.countdown_s
    tap(w, "keepGoingButton")  # still here: nothing is lost
    assert not kiosk.session.countingDown and kiosk.nav.page == "receipt"

    for _ in range(kiosk.session.idle_s + kiosk.session.countdown_s):
        kiosk.session.tick()
    assert kiosk.nav.page == "home"
    everything = _all_text(kiosk) + _view_model_text(kiosk)
    for secret in secrets:
        assert secret not in everything
    # The case itself is safe in the store: the wipe clears screens, never data.
    assert recent_cases(kiosk.store)[0].id == case.id


def test_touching_the_screen_resets_the_idle_clock(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    kiosk.session.stop()  # the test is the clock
    tap(w, "tileGuide")
    for _ in range(kiosk.session.idle_s - 1):
        kiosk.session.tick()
    tap(w, "searchButton")  # a real tap, seen by the application-wide event filter
    for _ in range(kiosk.session.idle_s - 1):
        kiosk.session.tick()
    assert not kiosk.session.countingDown and kiosk.nav.page == "search"


def test_garbled_card_read_is_explained_and_nothing_is_filled(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    kiosk.devices.idcard.garbled = True
    item = kiosk.catalog.items[0]
    kiosk.apply.start(item.code)
    kiosk.nav.go("apply")
    tap(w, "readCardButton")
    assert exists(w, "applyError")
    assert kiosk.apply.error and all(
        ord(c) < 0x2E80 or "\u4e00" <= c <= "\u9fff" or c in "，。：！？“”（）、"
        for c in kiosk.apply.error
        if not c.isascii()
    )
    assert not kiosk.apply.hasApplicant
    assert not exists(w, "submitButton")


def test_a_full_disk_is_explained_and_the_form_is_kept(
    kiosk: KioskApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite answers "database or disk is full" (SQLITE_FULL) when the write needs a page the
    disk cannot give; free space inside existing pages makes that hard to provoke for real in a
    test, so the store's write is made to fail exactly as SQLite reports it."""
    w = kiosk.window  # type: ignore[attr-defined]
    real_write = kiosk.store.write

    def full(*tables: str):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(kiosk.store, "write", full)
    item = kiosk.catalog.items[0]
    kiosk.apply.start(item.code)
    kiosk.nav.go("apply")
    tap(w, "readCardButton")
    tap(w, "submitButton")
    assert kiosk.nav.page == "apply"
    assert "存储空间已满" in kiosk.apply.error and exists(w, "applyError")
    assert kiosk.apply.hasApplicant  # the villager does not start over
    assert recent_cases(kiosk.store) == [] and kiosk.store.pending_count() == 0
    monkeypatch.setattr(kiosk.store, "write", real_write)
    tap(w, "submitButton")
    assert kiosk.nav.page == "receipt"


def test_large_text_grows_every_text_by_a_quarter(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]

    def sizes() -> dict[str, int]:
        return {
            str(i.property("text")): i.property("font").pixelSize()
            for i in walk(w.contentItem())
            if isinstance(i, QQuickItem)
            and i.inherits("QQuickText")
            and i.property("text")
            and i.isVisible()
        }

    before = sizes()
    tap(w, "largeTextToggle")
    after = sizes()
    grown = [t for t in before if t in after and after[t] >= round(before[t] * 1.25) - 1]
    assert len(grown) >= len(before) * 0.8, (before, after)
    assert kiosk.access.largeText
    for _ in range(kiosk.session.idle_s + kiosk.session.countdown_s):
        kiosk.session.tick()  # on home nothing counts down
    kiosk.nav.go("help")
    for _ in range(kiosk.session.idle_s + kiosk.session.countdown_s):
        kiosk.session.tick()
    assert not kiosk.access.largeText  # the next villager starts with the defaults


def test_voice_reads_each_screen_and_each_rating(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    said = kiosk.access._speaker.said  # type: ignore[attr-defined]
    tap(w, "tileGuide")
    assert "想看看办事要带什么？请点办事类别，或者点右下角搜索" in said  # 办事指南's own prompt
    tap(w, "voiceToggle")
    assert not kiosk.access.voiceOn
    tap(w, "homeButton")
    assert "您好，请点击您要办的事" not in said[-1:]
