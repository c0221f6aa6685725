"""The proxy agent's admin mode and the technician's maintenance menu (issue 7).

`install(kiosk)` is called once by the composition root (`ui.app.KioskApp`); it registers the
admin pages with `ui.models.nav.register_page` and returns the view-models to expose to QML,
by context-property name. GUI thread. See docs/ADMIN.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject

from ui.admin.agent import AgentModel
from ui.admin.day import DayModel
from ui.admin.logbuffer import ring_handler
from ui.admin.proxy import ProxyModel
from ui.admin.simcard import SimCardModel
from ui.admin.staff import PAGES, StaffModel
from ui.admin.tech import TechModel
from ui.admin.techconfig import TechConfigModel
from ui.models.nav import register_page

if TYPE_CHECKING:
    from ui.app import KioskApp


def install(kiosk: KioskApp) -> dict[str, QObject]:
    for name, (qml, _role) in PAGES.items():
        register_page(name, qml)
    ring_handler()
    staff = StaffModel(kiosk)
    app = QCoreApplication.instance()
    if app is not None:
        # Removed by Qt when `staff` is destroyed with the kiosk.
        app.installEventFilter(staff)
    return {
        "staffModel": staff,
        "agentModel": AgentModel(kiosk, staff),
        "proxyModel": ProxyModel(kiosk, staff),
        "dayModel": DayModel(kiosk, staff),
        "techModel": TechModel(kiosk, staff),
        "techConfigModel": TechConfigModel(kiosk, staff),
        "simCardModel": SimCardModel(kiosk),
    }
