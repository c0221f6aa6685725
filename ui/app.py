"""The composition root: builds the store, the devices, the sync worker and the screens, and
wires them together. Nothing else constructs concrete devices or sync clients.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    QTimer,
    QTranslator,
    QUrl,
    Signal,
)
from PySide6.QtQml import QQmlApplicationEngine, QQmlComponent
from PySide6.QtQuick import QQuickWindow

from kiosk.catalog import Catalog, load_catalog, load_demo_catalog
from kiosk.catalogstore import current_catalog
from kiosk.clock import Clock, check_at_start
from kiosk.datafolder import seal as seal_data_folder
from kiosk.ids import new_id
from kiosk.store import Store
from kiosk.terminal import Terminal
from ui import i18n
from ui.background import Background
from ui.devices import Devices
from ui.models.access import AccessModel, Speaker
from ui.models.nav import NavModel
from ui.models.notices import NoticesModel
from ui.models.session import SessionModel
from ui.models.status import StatusModel
from ui.qmlmodule import QML_DIR, KioskEngine, qml_name

if TYPE_CHECKING:
    from drivers.idcard.base import IdCardReaderPort
    from drivers.printer.base import PrinterPort
    from drivers.scanner.base import ScannerPort
    from kiosk.commands import MaterialPhoto
    from kiosk.workdays import WorkCalendar
    from sync.worker import SyncWorker
    from ui.models.apply import ApplyModel
    from ui.models.appointments import AppointmentsModel
    from ui.models.guide import GuideModel
    from ui.models.progress import ProgressModel
    from ui.models.supplement import SupplementModel
    from ui.models.village import FeedbackModel

log = logging.getLogger(__name__)

DAILY_KEY = "maintenance.last_day"

# The villager's view-models that nothing on the home screen reads (its pages' and the scans'):
# each is made when first asked for (QML, a scan, the staff's desk, a test), and those not asked
# for yet right after the home screen's first frame; their modules (slips, case views, the
# catalog index) load then, not before the first frame (docs/DECISIONS.md, "A faster start").
LATER_MODELS = ("guide", "apply", "supplement", "progress", "feedback", "appointments")


@dataclass
class KioskConfig:
    data_dir: Path
    hub_url: str | None = None
    terminal_code: str = "K001"
    station: str = "石门村便民服务站"
    station_phone: str = "0593-7620188"
    station_hours: str = "工作日 8:00-12:00，14:30-17:30；农忙时节周末有人值守"
    catalog_path: Path | None = None
    printer_out: Path | None = None  # the simulated printer writes .bin and .png slips here
    # The technician's device configuration (JSON); None means every device is a simulator.
    devices_path: Path | None = None
    hub_ca: Path | None = None  # a county CA to pin for the hub's TLS (verification is always on)
    # Where new kiosk versions are downloaded for the root-side installer (packaging/); None = off.
    updates_incoming: Path | None = None
    update_keys: Path | None = (
        None  # the county's update signing keys (refuse unsigned before download)
    )
    sync_interval_s: float = 15.0
    sync_backoff_cap_s: float = 300.0
    idle_s: int = 60
    retention_days: int = 180  # personal data of closed, acknowledged cases is blanked after this
    locale: str = "zh_CN"  # "en" for technicians
    idle_countdown_s: int = 15
    # The catalog's pinyin readings (kiosk.pinyin); None: pinyin-cache.json in data_dir.
    pinyin_cache: Path | None = None
    extra: dict[str, str] = field(default_factory=dict)


def prepare_qt_environment() -> None:
    """Settings Qt reads once, before the application object exists."""
    # The on-screen keyboard (pinyin for Chinese) instead of a system input method.
    os.environ.setdefault("QT_IM_MODULE", "qtvirtualkeyboard")
    os.environ.setdefault("QT_VIRTUALKEYBOARD_DESKTOP_DISABLE", "1")


class _Relay(QObject):
    """Signals that carry events from worker threads to the GUI thread (queued)."""

    tables_changed = Signal(object)
    sync_status = Signal(object)
    first_frame = Signal()  # the window's frameSwapped comes from the render thread


def _photo_status(store: Store, case_id: str) -> str:
    from sync.blobs import blob_status

    return blob_status(store, case_id).label


class _EarlyLog(logging.Handler):
    """Keeps the log records of the start (before the staff's view-models and the technician's
    log ring exist, ui.admin.logbuffer) and hands them to the ring when it is made."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []
        self._already = list(logging.getLogger().handlers)  # the ring too, if made before
        logging.getLogger().addHandler(self)

    def emit(self, record: logging.LogRecord) -> None:
        if len(self.records) < 200:
            self.records.append(record)

    def hand_over(self, to: logging.Handler) -> None:
        self.close()
        for record in self.records if to not in self._already else ():
            if record.levelno >= to.level:
                to.handle(record)
        self.records.clear()

    def close(self) -> None:
        logging.getLogger().removeHandler(self)
        super().close()


class _VoiceStarting:
    """The voice until the real one is made, after the first frame: silent, and says so."""

    available = False

    def say(self, text: str) -> None:
        pass

    def stop(self) -> None:
        pass


# The on-screen keyboard's QML modules, loaded once the first frame is up (their plugins open
# libraries the input method has loaded already), so the first keyboard still comes up soon.
_KEYBOARD_MODULES = b"""import QtQml
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings
QtObject {}
"""


def _load_keyboard_modules(engine: QQmlApplicationEngine) -> None:
    component = QQmlComponent(engine)
    component.setData(_KEYBOARD_MODULES, QUrl("keyboard-modules.qml"))
    made = component.create()
    if made is None:
        log.warning("the on-screen keyboard's modules did not load: %s", component.errorString())
        return
    made.deleteLater()


def _given(device: Any) -> Callable[[], Any] | None:
    return (lambda: device) if device is not None else None


class _HubLookup:
    """Asks the county about a case filed at another kiosk (`SyncClient.lookup_case`), for the
    progress page. Runs only on the progress model's lookup thread, with its own client (the
    sync worker's is used by one thread at a time), made at the first question."""

    def __init__(self, kiosk: KioskApp) -> None:
        self._kiosk = kiosk
        self._client: Any = None

    def lookup(self, case_no: str, id_last4: str) -> dict[str, Any] | None:
        from sync.client import SyncClient, SyncError  # requests loads at the first question
        from ui.models.progress import LookupUnavailable

        config = self._kiosk.config
        if not config.hub_url:
            raise LookupUnavailable(offline=True)
        if self._client is None:
            verify: bool | str = str(config.hub_ca) if config.hub_ca else True
            self._client = SyncClient(
                self._kiosk.store,
                config.hub_url,
                self._kiosk.terminal.id,
                clock=self._kiosk.clock,
                verify=verify,
            )
        try:
            return self._client.lookup_case(case_no, id_last4)  # type: ignore[no-any-return]
        except SyncError as e:
            log.info("asking the county about a case failed: %s", e.kind)
            raise LookupUnavailable(e.kind in _OFFLINE) from e


_OFFLINE = frozenset({"offline", "timeout", "not_hub", "tls"})


def _sim_printer(out_dir: Path | None) -> PrinterPort:
    from drivers.printer.simulator import SimPrinter

    return SimPrinter(out_dir)


class _Registry:
    """The configured devices (drivers.registry): the configuration read once, by whichever
    device thread asks first; each device built by its descriptor on its own thread."""

    def __init__(self, path: Path | None, settings_path: Path) -> None:
        self.path = path
        self.settings_path = settings_path  # what the technician's settings page writes
        self._lock = threading.Lock()
        self._config: Any = None

    def descriptors(self) -> tuple[Any, ...]:
        """One per device (drivers.descriptor): what the technician's pages loop over."""
        from drivers.registry import DEVICES

        return DEVICES

    def settings(self) -> Any:
        """The device settings file for the technician (kiosk.maintenance.DeviceSettings)."""
        from drivers.registry import SettingsFile

        return SettingsFile(self.settings_path)

    def config(self) -> Any:
        from drivers.registry import DeviceConfig, load_config

        with self._lock:
            if self._config is None:
                self._config = load_config(self.path) if self.path else DeviceConfig()
            return self._config

    def factory(self, name: str) -> Callable[[], Any]:
        from drivers.registry import build_device

        return lambda: build_device(name, self.config())

    def health(self, name: str, device: Any) -> dict[str, str]:
        from drivers.registry import health_of

        h = health_of(name, device, self.config())
        return {"name": h.name, "label": h.label_zh, "state": h.state, "reason": h.reason_zh}


def ensure_terminal(store: Store, code: str, region_code: str = "") -> Terminal:
    """This kiosk's identity, made once on first start and kept in the store. Once the kiosk is
    enrolled with the county (sync.enrol), the code the county assigned wins over the config."""
    code = store.get_value("terminal.code") or code
    terminal_id = store.get_value("terminal.id")
    if not terminal_id:
        terminal_id = new_id()
        with store.write("kv") as db:
            store.set_value(db, "terminal.id", terminal_id)
    return Terminal(terminal_id, code, region_code=region_code)


class KioskApp:
    def __init__(
        self,
        config: KioskConfig,
        *,
        synchronous: bool = False,
        clock: Clock | None = None,
        printer: PrinterPort | None = None,
        idcard: IdCardReaderPort | None = None,
        scanner: ScannerPort | None = None,
        rating: Any = None,
        doccam: Any = None,
        catalog: Catalog | None = None,
        speaker: Speaker | None = None,
    ) -> None:
        self.config = config
        self.clock = clock or Clock()
        seal_data_folder(config.data_dir)  # umask 077: data, photos, keys the kiosk user's alone
        self.store = Store(config.data_dir / "kiosk.sqlite3")
        check_at_start(self.store, self.clock)  # a clock that jumped decides nothing (kiosk.clock)
        # What the technician saved in the maintenance menu wins over the installed defaults.
        config.hub_url = self.store.get_value("settings.hub_url") or config.hub_url
        if self.store.get_value("settings.idle_s").isdigit():
            config.idle_s = int(self.store.get_value("settings.idle_s"))
        # The newest catalog the county published, else the one installed with the kiosk.
        self.catalog = (
            catalog
            or current_catalog(self.store)
            or (load_catalog(config.catalog_path) if config.catalog_path else load_demo_catalog())
        )
        self.terminal = ensure_terminal(self.store, config.terminal_code, self.catalog.region_code)
        self.bg = Background(synchronous)
        # Work the view-models ask for while the kiosk starts (the search index, the notices, the
        # pending count) waits until the home screen's first frame: see start().
        self.bg.hold()
        self.relay = _Relay()
        # Devices are made on their own threads when the kiosk starts (see ui.devices), from the
        # technician's device configuration unless a test or the demo hands some over.
        from drivers.registry import DEVICES  # the descriptors only: no device code loads

        self.registry = _Registry(
            config.devices_path, config.devices_path or config.data_dir / "devices.json"
        )
        given = {
            "printer": printer,
            "idcard": idcard,
            "scanner": scanner,
            "rating": rating,
            "doccam": doccam,
        }
        factories = {
            d.name: _given(given.get(d.name)) or self.registry.factory(d.name) for d in DEVICES
        }
        if printer is None and config.printer_out is not None:
            out = config.printer_out  # the demo's simulated printer keeps every slip as PNG + .bin
            factories["printer"] = lambda: _sim_printer(out)
        self.devices = Devices(
            self.bg,
            factories,
            health=self.registry.health,
            listens={d.name: d.listens for d in DEVICES if d.listens},
            labels={d.name: d.label_zh for d in DEVICES},
        )

        self.nav = NavModel()
        self.status = StatusModel(
            self.clock, config.station, config.station_phone, config.station_hours
        )
        self.notices = NoticesModel(store=self.store, background=self.bg, clock=self.clock)
        self.session = SessionModel(self.nav, config.idle_s, config.idle_countdown_s)
        # The voice (QtTextToSpeech: plugins, a speech server) is set up after the first frame.
        self._speaker_given = speaker is not None
        self.access = AccessModel(speaker or _VoiceStarting())

        # The staff's view-models (ui.admin) are made after the first frame: see extra_models.
        self._extra_models: dict[str, QObject] | None = None
        self._early_log = _EarlyLog()

        # Wiring: events flow in; nobody tells a screen to refresh by hand. (The pages' own
        # view-models are wired as they are made: see LATER_MODELS.)
        self.session.timed_out.connect(self.access.reset)
        self.devices.code_scanned.connect(self._on_scan)
        self.relay.tables_changed.connect(self._on_tables_changed)
        self.relay.sync_status.connect(self.status.apply)
        self._unsubscribe = self.store.subscribe(self.relay.tables_changed.emit)

        self.sync: SyncWorker | None = None  # made by start(), off the GUI thread
        self.engine: QQmlApplicationEngine | None = None
        self.translator: QTranslator | None = None
        self._stopped = False
        self._work_started = False
        self._first_window: QQuickWindow | None = None
        self._daily_timer = QTimer()
        self._daily_timer.setInterval(3600_000)
        self._daily_timer.timeout.connect(lambda: self.bg.run(self._daily))
        self._refresh_pending()

    @property
    def extra_models(self) -> dict[str, QObject]:
        """The staff's view-models (the agent's desk, the technician's menu), by Python-side
        name. Made after the home screen's first frame (`_start_work`), or when first asked
        for: their modules load the agent's desk rules, backups and maintenance (tens of ms)."""
        return self._install_staff()

    # -- the pages' view-models, made when first asked for (LATER_MODELS) ----------------------
    @cached_property
    def calendar(self) -> WorkCalendar:
        """The working-day calendar: built in, plus the years the county sent (read when first
        needed: the apply page's deadlines, the staff's desk)."""
        from kiosk.calendarstore import load_calendar

        return load_calendar(self.store)

    def _made(self, name: str) -> Any:
        """The view-model `name` if it has been made, else None (without making it)."""
        return self.__dict__.get(name)

    @cached_property
    def guide(self) -> GuideModel:
        from kiosk.pinyin import PinyinCache
        from ui.models.guide import GuideModel

        config = self.config
        model = GuideModel(
            self.catalog,
            self.bg,
            self.devices,
            config.station,
            pinyin=PinyinCache(config.pinyin_cache or config.data_dir / "pinyin-cache.json"),
        )
        self.nav.went_home.connect(model.clear)
        return model

    @cached_property
    def apply(self) -> ApplyModel:
        from ui.models.apply import ApplyModel

        config = self.config
        model = ApplyModel(
            store=self.store,
            catalog=self.catalog,
            calendar=self.calendar,
            terminal=self.terminal,
            station=config.station,
            devices=self.devices,
            background=self.bg,
            clock=self.clock,
            materials_dir=config.data_dir / "materials",
            queue_upload=self.queue_upload,
            station_hours=config.station_hours,
        )
        self.nav.went_home.connect(model.clear)
        # The receipt screen says what the progress page says about the new case.
        model.case_saved.connect(self._case_saved)
        return model

    def _case_saved(self, case_id: str) -> None:
        self.progress.openCase(case_id)

    @cached_property
    def supplement(self) -> SupplementModel:
        from ui.models.supplement import SupplementModel

        config = self.config
        model = SupplementModel(
            store=self.store,
            catalog=self.catalog,
            nav=self.nav,
            devices=self.devices,
            background=self.bg,
            clock=self.clock,
            station=config.station,
            materials_dir=config.data_dir / "materials",
            queue_upload=self.queue_upload,
        )
        self.nav.went_home.connect(model.clear)
        return model

    @cached_property
    def progress(self) -> ProgressModel:
        from ui.models.progress import ProgressModel

        config = self.config
        model = ProgressModel(
            store=self.store,
            background=self.bg,
            clock=self.clock,
            terminal=self.terminal,
            photo_status=_photo_status,
            station=config.station,
            station_hours=config.station_hours,
            # A case of another kiosk is asked of the county on its own thread (network waits
            # must hold up neither the screen nor the writer).
            remote_lookup=_HubLookup(self).lookup,
            remote_executor=self.bg.device_thread("lookup"),
        )
        self.nav.went_home.connect(model.clear)
        self.devices.level_pressed.connect(model.device_level)
        return model

    @cached_property
    def feedback(self) -> FeedbackModel:
        from ui.models.village import FeedbackModel

        model = FeedbackModel(
            store=self.store,
            background=self.bg,
            clock=self.clock,
            terminal=self.terminal,
            devices=self.devices,
            station=self.config.station,
        )
        self.nav.went_home.connect(model.clear)
        return model

    @cached_property
    def appointments(self) -> AppointmentsModel:
        from ui.models.appointments import AppointmentsModel

        model = AppointmentsModel(
            store=self.store,
            background=self.bg,
            clock=self.clock,
            devices=self.devices,
            terminal=self.terminal,
            station=self.config.station,
        )
        self.nav.went_home.connect(model.clear)
        return model

    def _later_singletons(self, name: str) -> dict[str, QObject]:
        """For the engine: the singleton `name` QML asks for first (a page's, made now), or the
        staff's (all of them)."""
        attr = name[:1].lower() + name[1:].removesuffix("Model")
        if attr in LATER_MODELS:
            return {name: getattr(self, attr)}
        return self._staff_singletons()

    def _install_staff(self) -> dict[str, QObject]:
        if self._extra_models is None:
            from ui import admin
            from ui.admin.logbuffer import ring_handler
            from ui.admin.staff import PAGES as STAFF_PAGES
            from ui.models.supplement import AGENT_PAGE as AGENT_SUPPLEMENT_PAGE
            from ui.models.supplement import QML as SUPPLEMENT_QML

            # The agent completes a 补正 on the same screen without leaving the staff session.
            STAFF_PAGES.setdefault(AGENT_SUPPLEMENT_PAGE, (SUPPLEMENT_QML, "agent"))
            self._extra_models = admin.install(self)
            self._early_log.hand_over(ring_handler())
        return self._extra_models

    def _staff_singletons(self) -> dict[str, QObject]:
        return {qml_name(name): model for name, model in self.extra_models.items()}

    # -- events ------------------------------------------------------------------------------
    def _on_scan(self, text: str) -> None:
        self.progress.lookupQr(text)
        if self.nav.page not in ("progress", "rateFind"):  # 服务评价 finds its case by a scan too
            self.nav.go("progress")

    def villager_scans(self, on: bool) -> None:
        """A scan opens the villager's progress page, except while staff are signed in (then it
        is the technician's test): the staff session sets it aside and restores it."""
        if on:
            self.devices.code_scanned.connect(self._on_scan)
        else:
            self.devices.code_scanned.disconnect(self._on_scan)

    def stuck_uploads(self) -> Any:
        """Photos that keep failing to upload (sync.blobs), for the technician's sync page."""
        from sync.blobs import stuck_uploads

        return stuck_uploads(self.store, self.clock)

    def enrol(self, hub_url: str, code: str) -> str:
        """Enrol this kiosk with the county (network; writer thread); the terminal code it
        assigned. For the technician's settings page."""
        from sync.enrol import enrol

        return enrol(self.store, hub_url, code, clock=self.clock).terminal_code

    def _on_tables_changed(self, tables: frozenset[str]) -> None:
        if "calendar_years" in tables:
            from kiosk.calendarstore import load_calendar

            self.bg.run(lambda: load_calendar(self.store), self._calendar_loaded)
        if "catalogs" in tables:
            self.bg.run(lambda: current_catalog(self.store), self._catalog_loaded)
        self.notices.on_store_changed(tables)
        for name in ("progress", "appointments"):  # those not made yet read the store when made
            if (model := self._made(name)) is not None:
                model.on_store_changed(tables)
        if "outbox" in tables:
            self._refresh_pending()

    @staticmethod
    def queue_upload(db: Any, case_id: str, photo: MaterialPhoto, at: str) -> None:
        """On the writer thread, inside the transaction that saves the photo's case: the photo
        goes up after the case, and its upload record commits with the case or not at all."""
        from sync.blobs import queue_blob_in

        queue_blob_in(db, case_id, photo.sha256, photo.path, photo.size, at)

    def _catalog_loaded(self, catalog: Catalog | None) -> None:
        if catalog is not None and catalog.version != self.catalog.version:
            self.catalog = catalog  # those not made yet are made with it
            for name in ("guide", "apply", "supplement"):
                if (model := self._made(name)) is not None:
                    model.set_catalog(catalog)

    def _calendar_loaded(self, calendar: WorkCalendar) -> None:
        self.calendar = calendar
        if (apply := self._made("apply")) is not None:
            apply.set_calendar(calendar)

    def _daily(self) -> None:
        """Once a day, off the GUI thread: default ratings after 7 days, retention purge."""
        from kiosk.commands import apply_default_ratings
        from kiosk.retention import purge_personal_data

        today = self.clock.today_local().isoformat()
        if self.store.get_value(DAILY_KEY) == today:
            return
        apply_default_ratings(self.store, self.clock, terminal=self.terminal)
        purge_personal_data(self.store, self.clock, self.config.retention_days)
        with self.store.write("kv") as db:
            self.store.set_value(db, DAILY_KEY, today)

    def _refresh_pending(self) -> None:
        if self.sync is None:
            self.bg.run(self.store.pending_count, self.status.set_pending)

    # -- lifecycle ---------------------------------------------------------------------------
    def load_ui(self) -> QQuickWindow:
        app = QCoreApplication.instance()
        if app is not None and self.translator is None:
            self.translator = i18n.install(app, self.config.locale)
        if self.engine is not None:
            self._unload_ui()
        # The view-models are the QML module's singletons, this engine's own (ui.qmlmodule).
        self.engine = KioskEngine(self.singletons(), later=self._later_singletons)
        self.engine.load(QUrl.fromLocalFile(str(QML_DIR / "Main.qml")))
        roots = self.engine.rootObjects()
        if not roots:
            raise RuntimeError("the kiosk's QML failed to load (see the log)")
        window = roots[0]
        assert isinstance(window, QQuickWindow)
        return window

    def singletons(self) -> dict[str, QObject]:
        """The view-models QML reads, by singleton name (`NavModel`, ..., `TechModel`): those
        made so far (the others are made when the engine first asks: `_later_singletons`)."""
        names = ("nav", "status", "session", "access", "notices", *LATER_MODELS)
        models: dict[str, QObject] = {
            f"{name}Model": model for name in names if (model := self._made(name)) is not None
        }
        models["devicesModel"] = self.devices
        models.update(self._extra_models or {})  # the staff's, once made (then `later`)
        return {qml_name(name): model for name, model in models.items()}

    def start(self) -> None:
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self.session)
        self.session.start()
        window = self.engine.rootObjects()[0] if self.engine is not None else None
        if isinstance(window, QQuickWindow) and window.isVisible() and not self.bg.synchronous:
            # First frame first: until home is on screen no worker thread takes Python's lock
            # from the GUI thread, nor does the GUI thread wait on anything but the screen
            # (docs/DECISIONS.md, "A faster start").
            self._first_window = window
            # An automatic connection: queued when the render thread sends it (the relay lives
            # on the GUI thread); direct from a render loop on the GUI thread, and then the work
            # waits for a zero timer, after the frame. Not Qt.ConnectionType: the first use of
            # PySide's `Qt` namespace makes its hundred enums (~30 ms) before the first frame.
            window.frameSwapped.connect(self.relay.first_frame)
            self.relay.first_frame.connect(self._after_first_frame)
        else:
            self._start_work()

    def _after_first_frame(self) -> None:
        QTimer.singleShot(0, self._start_work)

    def _start_work(self) -> None:
        """What waits for the first frame: the threads (held jobs, devices, the daily chores,
        sync), the voice, the keyboard's QML modules."""
        if self._stopped or self._work_started:
            return
        self._work_started = True
        if self._first_window is not None:
            self._first_window.frameSwapped.disconnect(self.relay.first_frame)
            self._first_window = None
        self.bg.release()
        self.devices.start()
        self._daily_timer.start()
        self.bg.run(self._daily)
        if self.config.hub_url:
            self.bg.run(self._make_sync, self._sync_made)
        if not self._speaker_given:
            self.access.start_voice()  # its own process: a hung speech server only silences it
        if self.engine is not None:
            _load_keyboard_modules(self.engine)
        for name in LATER_MODELS:  # the pages' view-models not asked for yet
            getattr(self, name)
        self._install_staff()  # the staff's view-models, their log ring, their pages

    def _make_sync(self) -> SyncWorker:
        # Imported here: requests and the sync client load after the first screen is up.
        from sync.client import SyncClient
        from sync.worker import SyncWorker

        assert self.config.hub_url
        verify: bool | str = str(self.config.hub_ca) if self.config.hub_ca else True
        client = SyncClient(
            self.store,
            self.config.hub_url,
            self.terminal.id,
            clock=self.clock,
            verify=verify,
            device_health=self.devices.health_rows,  # the hub's dashboard shows faults
        )
        updater = None
        if self.config.updates_incoming is not None:
            from sync.updates import Updater

            updater = Updater(self.config.updates_incoming, keys_dir=self.config.update_keys)
        return SyncWorker(
            client,
            self.store,
            updates=updater,
            interval_s=self.config.sync_interval_s,
            backoff_cap_s=self.config.sync_backoff_cap_s,
            on_status=self.relay.sync_status.emit,
            clock=self.clock,
        )

    def _sync_made(self, worker: SyncWorker) -> None:
        if self._stopped:
            return
        self.sync = worker
        worker.start()

    def stop(self) -> None:
        self._stopped = True
        self._early_log.close()
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self.session)
        self.session.stop()
        self._daily_timer.stop()
        self._unsubscribe()
        if self.sync is not None:
            self.sync.stop()
        self.devices.stop()
        self.access.close()
        self.bg.shutdown()
        if self.translator is not None and app is not None:
            app.removeTranslator(self.translator)
            self.translator = None
        if self.engine is not None:
            self._unload_ui()

    def _unload_ui(self) -> None:
        from PySide6.QtCore import QEvent  # its Type enum is made at first use (~3 ms)

        assert self.engine is not None
        # Destroy the QML first, so no binding outlives the view-models it reads.
        for root in self.engine.rootObjects():
            root.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        self.engine.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        self.engine = None
