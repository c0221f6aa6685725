"""Staff sign-in and the staff session: who is signed in, in which role, and for how long.

GUI thread. PIN checks (Argon2) and the lockout bookkeeping run on the writer thread through
`Background.run`. The session ends after `idle_s` seconds without a touch (its own timer and
its own application-wide event filter), on 退出, and whenever the kiosk leaves the staff pages;
ending it always goes home, which wipes every screen (`NavModel.went_home`).

Role separation lives here, not in the QML: `PAGE_ROLES` says which role may see each staff
page, and a page shown to anyone else is left at once; every staff view-model asks `allowed()`
before it reads or does anything.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal, Slot

from kiosk import accounts as acc
from kiosk.clock import Clock, local_text
from kiosk.idnumber import mask_name
from kiosk.store import Store
from ui.background import Background
from ui.errors import villager_message
from ui.models.props import derived

if TYPE_CHECKING:
    from ui.models.nav import NavModel
    from ui.models.session import SessionModel

log = logging.getLogger(__name__)

SIGN_IN = "staffSignIn"
# page name -> (QML file, role allowed to see it; "" = anyone, i.e. the sign-in page)
PAGES: dict[str, tuple[str, str]] = {
    SIGN_IN: ("admin/SignInPage.qml", ""),
    "agentHome": ("admin/AgentHomePage.qml", "agent"),
    "agentCase": ("admin/AgentCasePage.qml", "agent"),
    "agentProxy": ("admin/AgentProxyPage.qml", "agent"),
    "agentDay": ("admin/AgentDayPage.qml", "agent"),
    "techHome": ("admin/TechHomePage.qml", "technician"),
    "techDevices": ("admin/TechDevicesPage.qml", "technician"),
    "techConfig": ("admin/TechConfigPage.qml", "technician"),
    "techSync": ("admin/TechSyncPage.qml", "technician"),
    "techLogs": ("admin/TechLogsPage.qml", "technician"),
    "techBackup": ("admin/TechBackupPage.qml", "technician"),
}
HOME_OF = {"agent": "agentHome", "technician": "techHome"}
ADMIN_IDLE_S = 180
WARN_S = 30
PIN_LEN = 6

_INPUT = {QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress}


class StaffModel(QObject):
    changed = Signal()
    idle_changed = Signal()
    signed_out = Signal()  # every staff view-model forgets what it showed

    def __init__(
        self,
        *,
        nav: NavModel,
        session: SessionModel,
        store: Store,
        clock: Clock,
        background: Background,
        read_card: Callable[[Callable[[Any], None], Callable[[BaseException], None]], None],
        villager_scans: Callable[[bool], None],
        idle_s: int = ADMIN_IDLE_S,
    ) -> None:
        """`read_card(on_done, on_error)`: on the reader's thread; `villager_scans(False)` sets
        the kiosk's own scan handling aside while staff are signed in, `(True)` restores it."""
        super().__init__()
        self._nav, self._session = nav, session
        self._store, self._clock, self._bg = store, clock, background
        self._read_card, self._villager_scans = read_card, villager_scans
        self.idle_s = idle_s
        self._idle = 0
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.tick)
        self._account: acc.Account | None = None
        self._scan_detached = False
        self._reset_form()
        nav.page_changed.connect(self._on_page)
        nav.went_home.connect(self._went_home)
        session.changed.connect(self._hold_villager_countdown)

    def _reset_form(self) -> None:
        self._mode = "agent"
        self._pin = ""
        self._card_id: str | None = None
        self._card_name = ""
        self._message = ""
        self._busy = False
        self._card_asked = False  # several technicians: the PIN alone is not tried
        self._technicians: list[dict[str, str]] = []  # then: whose PIN this is (id, name)
        self._chosen = ""

    # -- who may see what -------------------------------------------------------------------
    @property
    def role(self) -> str:
        return self._account.role if self._account else ""

    @property
    def account(self) -> acc.Account | None:
        return self._account

    def allowed(self, role: str) -> bool:
        return self._account is not None and self._account.role == role

    def _on_page(self) -> None:
        page = self._nav.page
        if page in PAGES:
            need = PAGES[page][1]
            if need and not self.allowed(need):
                log.warning("staff page %s refused to role %r", page, self.role or "none")
                self._nav.home()
            return
        if self._account is not None:
            self._end("left")

    def _went_home(self) -> None:
        if self._account is not None:
            self._end("home")
        self._reset_form()
        self.changed.emit()

    # -- the villager's countdown is not ours ---------------------------------------------------
    def _hold_villager_countdown(self) -> None:
        # While staff are signed in, the villager's 60 s countdown is extended; our own
        # (longer) idle limit ends the session instead.
        if self._account is not None and self._session.countingDown:
            self._session.touched()

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if self._account is not None and event.type() in _INPUT:
            self.touched()
        return False

    @Slot()
    def touched(self) -> None:
        if self._idle:
            warn = self.idleWarning
            self._idle = 0
            if warn:
                self.idle_changed.emit()

    @Slot()
    def tick(self) -> None:
        """One second passed (the timer calls this; tests call it directly)."""
        if self._account is None:
            return
        self._idle += 1
        if self._idle >= self.idle_s:
            self._end("idle")
            self._nav.home()
        elif self._idle >= self.idle_s - WARN_S:
            self.idle_changed.emit()

    # -- signing in -------------------------------------------------------------------------
    def _set(self, **values: Any) -> None:
        for k, v in values.items():
            setattr(self, f"_{k}", v)
        self.changed.emit()

    @Slot(str)
    def setMode(self, mode: str) -> None:  # noqa: N802
        if mode in ("agent", "technician") and not self._busy:
            self._reset_form()
            self._set(mode=mode)

    @Slot(str)
    def pressDigit(self, digit: str) -> None:  # noqa: N802
        if digit.isdigit() and len(digit) == 1 and len(self._pin) < PIN_LEN and not self._busy:
            self._set(pin=self._pin + digit, message="")

    @Slot()
    def backspace(self) -> None:
        self._set(pin=self._pin[:-1])

    @Slot()
    def clearPin(self) -> None:  # noqa: N802
        self._set(pin="")

    @Slot()
    def readCard(self) -> None:  # noqa: N802
        if self._busy:
            return
        self._set(busy=True, message=self.tr("正在读卡…"))

        def done(card: Any) -> None:
            self._set(busy=False, card_id=card.id_number, card_name=card.name, message="")

        def failed(exc: BaseException) -> None:
            self._set(busy=False, message=villager_message(exc, self.tr("读卡失败，请重放身份证")))

        self._read_card(done, failed)

    @Slot()
    def submit(self) -> None:
        if self._busy or len(self._pin) < 4:
            return
        if self._mode == "agent" and not self._card_id:
            self._set(message=self.tr("请先读取您本人的身份证"))
            return
        pin, card, mode, store, clock = (
            self._pin,
            self._card_id,
            self._mode,
            self._store,
            self._clock,
        )
        self._set(busy=True, pin="", message=self.tr("正在核对…"))

        chosen = self._chosen if mode == "technician" and not card else ""

        def work() -> acc.SignIn:
            return acc.sign_in(
                store, pin=pin, clock=clock, id_number=card or None, role=mode, account_id=chosen
            )

        self._bg.run(work, self._signed_in, self._failed)

    def _failed(self, exc: BaseException) -> None:
        log.error("staff sign-in failed: %s", type(exc).__name__)
        self._set(busy=False, message=self.tr("核对出错，请重试"))

    def _signed_in(self, result: acc.SignIn) -> None:
        self._busy = False
        if result.outcome == "ok" and result.account is not None:
            self._account = result.account
            self._reset_form()
            self._idle = 0
            self._timer.start()
            self._detach_scan()
            self.changed.emit()
            self._nav.replace(HOME_OF[result.account.role])
            return
        messages = {
            "wrong_pin": self.tr("密码不对，还可以再试 {n} 次").format(n=result.tries_left),
            "locked": self.tr("错误次数过多，已锁定到 {t}").format(
                t=local_text(result.locked_until)[-5:] if result.locked_until else ""
            ),
            "unknown_card": self.tr("这张身份证没有登记为工作人员"),
            "no_accounts": self.tr("本机还没有技术员账户，请先同步县级平台"),
            "card_needed": self.tr("本机有多位技术员：请点您的名字，或读取本人身份证"),
        }
        self._set(
            message=messages[result.outcome],
            card_asked=self._card_asked or result.outcome == "card_needed",
        )
        if result.outcome == "card_needed":
            store = self._store
            self._bg.run(
                lambda: [
                    {"id": a.id, "name": a.name}
                    for a in acc.accounts(store)
                    if a.role == "technician"
                ],
                lambda found: self._set(technicians=found),
            )

    @Slot(str)
    def chooseTechnician(self, account_id: str) -> None:  # noqa: N802
        """Several technicians: the PIN is then checked against this one account only."""
        named = next((t for t in self._technicians if t["id"] == account_id), None)
        if named is not None and not self._busy:
            self._set(
                chosen=account_id, message=self.tr("{name}，请输入密码").format(name=named["name"])
            )

    @Slot()
    def signOut(self) -> None:  # noqa: N802
        """退出: back to the villager's home screen; everything shown is wiped."""
        if self._account is not None:
            self._end("sign_out")
        self._nav.home()

    def _end(self, why: str) -> None:
        account = self._account
        self._account = None
        self._timer.stop()
        self._idle = 0
        self._attach_scan()
        self.signed_out.emit()
        self.changed.emit()
        self.idle_changed.emit()
        if account is not None:
            store, clock = self._store, self._clock
            self._bg.run(lambda: acc.record_sign_out(store, account.id, account.role, clock, why))

    # While staff are signed in a scanned code is the technician's test, not a villager's
    # receipt: the kiosk's own scan handler (open the progress page) is set aside.
    def _detach_scan(self) -> None:
        if not self._scan_detached:
            self._villager_scans(False)
            self._scan_detached = True

    def _attach_scan(self) -> None:
        if self._scan_detached:
            self._villager_scans(True)
            self._scan_detached = False

    # -- what the screens show ----------------------------------------------------------------
    _f = derived(changed)
    signedIn = _f(lambda s: s._account is not None, bool)  # noqa: N815
    staffRole = _f(lambda s: s.role)  # noqa: N815
    # The signed-in person's own name, whole: it is theirs, on their own pages (issue 18).
    accountName = _f(lambda s: s._account.name if s._account else "")  # noqa: N815
    mode = _f(lambda s: s._mode)
    pinMask = _f(lambda s: "●" * len(s._pin))  # noqa: N815
    pinLength = _f(lambda s: len(s._pin), int)  # noqa: N815
    hasCard = _f(lambda s: s._card_id is not None, bool)  # noqa: N815
    cardAsked = _f(lambda s: s._card_asked, bool)  # noqa: N815
    technicians = _f(lambda s: list(s._technicians), "QVariantList")
    chosenTechnician = _f(lambda s: s._chosen)  # noqa: N815
    cardName = _f(lambda s: mask_name(s._card_name))  # noqa: N815
    message = _f(lambda s: s._message)
    busy = _f(lambda s: s._busy, bool)
    del _f

    _g = derived(idle_changed)
    idleWarning = _g(  # noqa: N815
        lambda s: s._account is not None and s._idle >= s.idle_s - WARN_S, bool
    )
    idleSecondsLeft = _g(lambda s: max(0, s.idle_s - s._idle), int)  # noqa: N815
    del _g
