"""Translations: Chinese (zh_CN) is the source language and the default; English for technicians.

The texts in the QML and the view-models are written in Chinese and go through Qt's
translation system (`qsTr`, `self.tr`, `translate("Context", …)`), so a technician's locale can
switch the whole interface. `python -m ui.i18n update` refreshes both `.ts` files from the
sources (zh_CN entries are filled in as themselves) and compiles the `.qm` files the kiosk loads.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator

ROOT = Path(__file__).resolve().parent.parent
TS_DIR = ROOT / "assets" / "translations"
LOCALES = ("zh_CN", "en")
DEFAULT_LOCALE = "zh_CN"


def ts_path(locale: str) -> Path:
    return TS_DIR / f"xiangli_{locale}.ts"


def qm_path(locale: str) -> Path:
    return TS_DIR / f"xiangli_{locale}.qm"


def sources() -> list[Path]:
    ui = ROOT / "ui"
    return sorted([*ui.rglob("*.qml"), *ui.rglob("*.py")])


def install(app: QCoreApplication, locale: str = DEFAULT_LOCALE) -> QTranslator | None:
    """Load the compiled translation for `locale`; keep the returned object alive."""
    translator = QTranslator(app)
    if translator.load(str(qm_path(locale))):
        app.installTranslator(translator)
        return translator
    return None


def _tool(name: str) -> str:
    found = shutil.which(f"pyside6-{name}", path=str(Path(sys.executable).parent)) or shutil.which(
        f"pyside6-{name}"
    )
    if not found:
        raise RuntimeError(f"pyside6-{name} not found (it comes with PySide6)")
    return found


def lupdate(ts_files: list[Path]) -> None:
    import subprocess  # the tools below are for developers: not loaded when the kiosk starts

    subprocess.run(
        [
            _tool("lupdate"),
            "-no-obsolete",
            "-locations",
            "none",
            *map(str, sources()),
            "-ts",
            *map(str, ts_files),
        ],
        check=True,
        capture_output=True,
    )


def lrelease(ts: Path, qm: Path) -> None:
    import subprocess

    subprocess.run([_tool("lrelease"), str(ts), "-qm", str(qm)], check=True, capture_output=True)


def fill_source_language(ts: Path) -> int:
    """zh_CN is the source language: every message translates to itself. Returns how many changed."""
    import xml.etree.ElementTree as ET

    tree = ET.parse(ts)
    changed = 0
    for message in tree.iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        if translation is None:
            translation = ET.SubElement(message, "translation")
        if translation.get("type") or translation.text != source:
            translation.attrib.pop("type", None)
            translation.text = source
            changed += 1
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    return changed


def messages(ts: Path) -> list[tuple[str, str, str, str]]:
    """(context, source, translation, type) for every message in a .ts file."""
    import xml.etree.ElementTree as ET

    out = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            tr = message.find("translation")
            out.append(
                (
                    name,
                    message.findtext("source") or "",
                    (tr.text or "") if tr is not None else "",
                    tr.get("type", "") if tr is not None else "unfinished",
                )
            )
    return out


def update() -> None:
    TS_DIR.mkdir(parents=True, exist_ok=True)
    lupdate([ts_path(loc) for loc in LOCALES])
    fill_source_language(ts_path("zh_CN"))
    for loc in LOCALES:
        lrelease(ts_path(loc), qm_path(loc))


if __name__ == "__main__":
    if sys.argv[1:] != ["update"]:
        print("usage: python -m ui.i18n update", file=sys.stderr)
        sys.exit(2)
    update()
    for loc in LOCALES:
        msgs = messages(ts_path(loc))
        todo = sum(1 for m in msgs if m[3] == "unfinished")
        print(f"{loc}: {len(msgs)} messages, {todo} unfinished")
