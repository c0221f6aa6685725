"""zh_CN is complete and the default; English is complete for technicians; the compiled files
the kiosk loads are the ones the sources produce."""

from __future__ import annotations

import shutil
from pathlib import Path

from ui import i18n
from ui.app import KioskApp, KioskConfig
from ui.driving import find


def _pairs(ts: Path) -> set[tuple[str, str]]:
    return {(context, source) for context, source, _t, _k in i18n.messages(ts)}


def test_translation_files_cover_exactly_the_texts_in_the_sources(tmp_path: Path) -> None:
    for locale in i18n.LOCALES:
        copy = tmp_path / i18n.ts_path(locale).name
        shutil.copy(i18n.ts_path(locale), copy)
        i18n.lupdate([copy])
        assert _pairs(copy) == _pairs(i18n.ts_path(locale)), (
            f"{locale}: sources changed; run `python -m ui.i18n update` and translate"
        )


def test_every_zh_cn_text_is_translated() -> None:
    untranslated = [
        (c, s) for c, s, t, kind in i18n.messages(i18n.ts_path("zh_CN")) if kind or t != s
    ]
    assert not untranslated


def test_english_is_complete_for_technicians() -> None:
    unfinished = [(c, s) for c, s, t, kind in i18n.messages(i18n.ts_path("en")) if kind or not t]
    assert not unfinished


def test_compiled_translations_are_up_to_date(tmp_path: Path) -> None:
    for locale in i18n.LOCALES:
        qm = tmp_path / f"{locale}.qm"
        i18n.lrelease(i18n.ts_path(locale), qm)
        assert qm.read_bytes() == i18n.qm_path(locale).read_bytes(), (
            "run `python -m ui.i18n update`"
        )


def test_the_kiosk_speaks_english_when_told(qapp: object, tmp_path: Path) -> None:
    kiosk = KioskApp(KioskConfig(data_dir=tmp_path, locale="en"), synchronous=True)
    window = kiosk.load_ui()
    try:
        assert find(window, "tileGuide").property("label") == "Service guide"
        assert "Offline" in kiosk.status.syncText
    finally:
        kiosk.stop()
