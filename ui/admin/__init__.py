"""The proxy agent's admin mode and the technician's maintenance menu (issue 7).

`install(kiosk)` is called once by the composition root (`ui.app.KioskApp`); it registers the
admin pages with `ui.models.nav.register_page` and returns the view-models to expose to QML,
by their Python-side name. It is the admin half of the composition root: each view-model gets
only what it needs (the store, the clock, the background runner, the Devices facade or one of
its jobs, callables for the catalog, the calendar and the sync worker as they are now), as the
villager ones do; the rules they show are in kiosk/ (agentdesk, maintenance). Nothing under
ui/admin imports drivers/ or sync/ (an import-linter contract): what it needs of them comes in
here, from the kiosk (`kiosk.registry`, `kiosk.enrol`, `kiosk.sync`). GUI thread. See
docs/ADMIN.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, qVersion

from kiosk.clock import technician_confirms
from kiosk.maintenance import version_lines
from ui.admin.agent import AgentModel
from ui.admin.backup import data_notes
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
    k = kiosk
    staff = StaffModel(
        nav=k.nav,
        session=k.session,
        store=k.store,
        clock=k.clock,
        background=k.bg,
        read_card=k.devices.read_card,
        villager_scans=k.villager_scans,
    )
    app = QCoreApplication.instance()
    if app is not None:
        # Removed by Qt when `staff` is destroyed with the kiosk.
        app.installEventFilter(staff)
    agent = AgentModel(
        staff,
        store=k.store,
        catalog=lambda: k.catalog,
        calendar=lambda: k.calendar,
        clock=k.clock,
        background=k.bg,
        print_slip=k.devices.print_slip,
        go=k.nav.go,
        station=k.config.station,
        station_hours=k.config.station_hours,
    )
    proxy = ProxyModel(
        staff,
        store=k.store,
        catalog=lambda: k.catalog,
        calendar=lambda: k.calendar,
        terminal=k.terminal,
        clock=k.clock,
        background=k.bg,
        devices=k.devices,
        data_dir=k.config.data_dir,
        queue_upload=lambda *a: k.queue_upload(*a),  # late: a test may replace it
        station=k.config.station,
    )
    day = DayModel(
        staff,
        store=k.store,
        calendar=lambda: k.calendar,
        clock=k.clock,
        background=k.bg,
        print_slip=k.devices.print_slip,
        station=k.config.station,
    )
    tech = TechModel(
        staff,
        background=k.bg,
        devices=k.devices,
        device_rows=[
            {
                "name": d.name,
                "label": d.label_zh,
                "test": d.test,
                "testLabel": d.test_label_zh,
                "listens": d.listens,
            }
            for d in k.registry.descriptors()
            if d.name in k.devices.names
        ],
        counts=lambda: (k.store.pending_count(), k.store.parked_count()),
        version=lambda: version_lines(k.store, k.terminal, qVersion(), k.config.hub_url or ""),
        sync=lambda: k.sync,
        hub_configured=lambda: bool(k.config.hub_url),
        station=k.config.station,
        notes=lambda: data_notes(k.store, k.stuck_uploads),
        confirm_time=lambda account_id: technician_confirms(k.store, k.clock, account_id),
    )
    tech_config = TechConfigModel(
        staff,
        background=k.bg,
        store=k.store,
        devices=k.registry.settings,
        hub_url=lambda: k.config.hub_url or "",
        idle_s=lambda: k.session.idle_s,
        set_idle_s=lambda s: setattr(k.session, "idle_s", s),
        enrol=k.enrol,
        terminal_code=lambda: k.terminal.code,
        now=k.clock.now,
    )
    # Events flow in as they do to the villager's view-models.
    k.relay.tables_changed.connect(agent.on_store_changed)
    k.relay.tables_changed.connect(tech.on_store_changed)
    k.relay.sync_status.connect(tech.on_sync_status)
    return {
        "staffModel": staff,
        "agentModel": agent,
        "proxyModel": proxy,
        "dayModel": day,
        "techModel": tech,
        "techConfigModel": tech_config,
        "simCardModel": SimCardModel(kiosk),
    }
