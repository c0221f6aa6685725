"""The proxy agent's admin mode and the technician's maintenance menu (issue 7).

`install(kiosk)` is called once by the composition root (`ui.app.KioskApp`); it registers the
admin pages with `ui.models.nav.register_page` and returns the view-models to expose to QML,
by context-property name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

if TYPE_CHECKING:
    from ui.app import KioskApp


def install(kiosk: KioskApp) -> dict[str, QObject]:
    return {}
