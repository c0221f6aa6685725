"""Checking a case's progress (办件查询) and rating it (好差评).

A case is found by the receipt's QR code or by its number plus the last four characters of the
applicant's ID number. A case filed at another kiosk of the county is asked of the county
(`remote_lookup`, handed over by the composition root and run on its own thread, never the
GUI's or the writer's): it is shown read-only, without rating or 补交材料. Offline, the page
says plainly that only this kiosk's cases can be shown.

The screen follows the store: when the county's decision arrives through sync, the page updates
by itself. A completed case first says that it is done and where to collect the result
(`done`, `doneText`); the rating is offered from there (评价这次办事), never jumped to. What
the page says about a case (where it is, where to pick it up, each 联办件 department's part,
what to bring) comes from `ui.models.caseview` and the shared `domain` wording; the 收件回执
says the same. A status is named in the villager's words (`Status.plain`): a case just handed in
is 已交上，等代办员办理 on the receipt page (`submittedLabel`), here, on the slip and in the
county's answer alike.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Property, QCoreApplication, QObject, Signal, Slot

from kiosk.appointments import STATUS_LABELS as APPOINTMENT_STATUS
from kiosk.appointments import (
    Booking,
    booking_of_qr,
    find_booking,
    format_appointment_no,
    get_booking,
    is_appointment_no,
    is_appointment_qr,
    parse_appointment_no,
    parse_appointment_qr,
    when_text,
)
from kiosk.caseno import BadCaseNumber, format_case_no, parse_case_no, parse_qr
from kiosk.cases import Case, Kind, Status
from kiosk.casestore import case_events, get_case, get_case_by_no, get_evaluation
from kiosk.clock import Clock, date_text, local_text
from kiosk.commands import Terminal, rate_case
from kiosk.evaluations import LEVEL_LABELS, LOW_REASONS, Level
from kiosk.feedback import (
    KIND_LABELS,
    Feedback,
    format_tracking_no,
    get_feedback,
    parse_tracking_no,
)
from kiosk.slip_layouts import HOURS_LABEL, waiting_text
from kiosk.store import Store
from ui.background import Background
from ui.errors import villager_message
from ui.models.caseview import CaseView, hub_view, local_view
from ui.models.props import derived

log = logging.getLogger(__name__)

_NEXT_STEP = {
    Status.ACCEPTED: QT_TRANSLATE_NOOP("ProgressModel", "已受理，正在办理"),
    Status.SUPPLEMENT_REQUESTED: QT_TRANSLATE_NOOP(
        "ProgressModel", "请点“补交材料”，在本机拍照交上；也可以把材料带到村便民服务站"
    ),
    Status.SUPPLEMENTED: QT_TRANSLATE_NOOP("ProgressModel", "材料已补齐，等部门接着办"),
    Status.PROCESSING: QT_TRANSLATE_NOOP("ProgressModel", "正在办理"),
    Status.FORWARDED: QT_TRANSLATE_NOOP("ProgressModel", "已上报镇/县办理"),
    Status.COMPLETED: QT_TRANSLATE_NOOP(
        "ProgressModel", "已办结，请带回执和身份证到村便民服务站取件"
    ),
    Status.RETURNED: QT_TRANSLATE_NOOP(
        "ProgressModel", "未予受理，原因见上方；如有疑问请拨打监督投诉电话"
    ),
    Status.WITHDRAWN: QT_TRANSLATE_NOOP("ProgressModel", "申请已撤回"),
    Status.DELIVERED: QT_TRANSLATE_NOOP("ProgressModel", "已取件，办理完毕"),
}
_REMOTE_SUPPLEMENT = QT_TRANSLATE_NOOP("ProgressModel", "请把材料带到提交申请的村便民服务站补交")
_NO_RESULT = (Status.RETURNED, Status.WITHDRAWN, Status.DELIVERED)
_FACES = {5: "😄", 4: "🙂", 3: "😐", 2: "🙁", 1: "😣"}

# Asks the county about a case of another kiosk: (case_no, id_last4) -> its answer or None.
RemoteLookup = Callable[[str, str], "dict[str, Any] | None"]


class LookupUnavailable(Exception):
    """The county could not be asked: no network (`offline`), or it would not answer."""

    def __init__(self, offline: bool = True) -> None:
        super().__init__("offline" if offline else "unavailable")
        self.offline = offline


def _is_last4(text: str) -> bool:
    return len(text) == 4 and text[:3].isdigit() and (text[3].isdigit() or text[3] == "X")


class ProgressModel(QObject):
    changed = Signal()
    # A button of the desk rating device (服务评价器), relayed from the device thread: the rating
    # screen chooses that level exactly as a tap on it would (ui/qml/RatePage.qml).
    levelPressed = Signal(int)  # noqa: N815

    def __init__(
        self,
        *,
        store: Store,
        background: Background,
        clock: Clock,
        terminal: Terminal | None = None,
        photo_status: Callable[[Store, str], str] | None = None,
        station: str = "",
        station_hours: str = "",
        remote_lookup: RemoteLookup | None = None,
        remote_executor: Executor | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store, self._bg, self._clock = store, background, clock
        self._terminal = terminal  # ratings carry its region code for the provincial platform
        self._photo_status = photo_status
        self._station, self._hours = station, station_hours
        self.remote_lookup = remote_lookup
        self._remote_executor = remote_executor
        # Bumped whenever the page is cleared or asks anew: an answer to an older question (a
        # villager who has gone home since) is dropped, never shown to the next person.
        self._asked = 0
        self._forget()

    def _forget(self) -> None:
        self._view: CaseView | None = None
        self._feedback: Feedback | None = None
        self._booking: Booking | None = None  # an appointment's slip scanned or number typed
        self._message = self._hint = self._rating_error = ""
        self._prefill = ""
        self._busy = False

    # -- finding a case -----------------------------------------------------------------------
    @Slot()
    def clear(self) -> None:
        self._asked += 1
        self._forget()
        self.changed.emit()

    def _ask(self) -> int:
        self._asked += 1
        return self._asked

    def _local(self, case: Case) -> CaseView:
        """Writer thread: the case, its history, its rating and its photos' upload state."""
        ev = get_evaluation(self._store, case.id)
        photos = self._photo_status(self._store, case.id) if self._photo_status else ""
        events = case_events(self._store, case.id)
        return local_view(case, events, self._station, int(ev.level) if ev else 0, photos)

    def _show(self, view: CaseView | None, message: str = "") -> None:
        self._forget()
        self._view, self._message = view, message
        self.changed.emit()

    def _fetch(self, find: Callable[[], Case | None], not_found: str) -> None:
        """Look the case up off the GUI thread, then show it (or say why not)."""
        asked = self._ask()

        def work() -> CaseView | None:
            case = find()
            return None if case is None else self._local(case)

        def shown(view: CaseView | None) -> None:
            if asked == self._asked:
                self._show(view, "" if view else not_found)

        self._bg.run(work, shown)

    def _reload(self) -> None:
        """The open case again (the county's news, a rating, a reprint): same page, new facts."""
        if self._view is None or not self._view.case_id:
            return
        case_id, asked = self._view.case_id, self._asked

        def work() -> CaseView | None:
            case = get_case(self._store, case_id)
            return None if case is None else self._local(case)

        def shown(view: CaseView | None) -> None:
            if asked == self._asked and view is not None:
                self._show(view)

        self._bg.run(work, shown)

    def _say(self, message: str, hint: str = "", prefill: str = "") -> None:
        self._asked += 1
        self._forget()
        self._message, self._hint, self._prefill = message, hint, prefill
        self.changed.emit()

    @Slot(str)
    def lookupQr(self, text: str) -> None:  # noqa: N802
        if is_appointment_qr(text):
            try:
                parse_appointment_qr(text)
            except BadCaseNumber as e:
                self._say(e.message_zh)
                return
            self._lookup_appointment(lambda: booking_of_qr(self._store, text))
            return
        try:
            ref = parse_qr(text)
        except BadCaseNumber as e:
            self._say(e.message_zh)
            return
        asked = self._ask()

        def find() -> CaseView | None:
            case = get_case(self._store, ref.case_id)
            return self._local(case) if case and case.case_no == ref.case_no else None

        def shown(view: CaseView | None) -> None:
            if asked != self._asked:
                return
            if view is not None:
                self._show(view)
                return
            # Another kiosk's receipt: its QR carries the case number, not the ID number.
            self._say(
                "",
                self.tr("这张回执是在别的服务站办理的。请输入身份证号的后四位，再点“查询”。"),
                format_case_no(ref.case_no),
            )

        self._bg.run(find, shown)

    @Slot(str, str)
    def lookupNumber(self, case_no: str, id_last4: str) -> None:  # noqa: N802
        if is_appointment_no(case_no):  # 预约号 (Y…): no ID digits needed, none are shown
            try:
                parse_appointment_no(case_no)
            except BadCaseNumber as e:
                self._say(e.message_zh)
                return
            self._lookup_appointment(lambda: find_booking(self._store, case_no))
            return
        if case_no.strip().upper().startswith("F"):
            self._lookup_feedback(case_no)
            return
        try:
            no = parse_case_no(case_no)
        except BadCaseNumber as e:
            self._say(e.message_zh)
            return
        last4 = id_last4.strip().upper()
        if not _is_last4(last4):
            self._say(self.tr("请填写身份证号的最后四位（数字，最后一位可能是X）"))
            return
        asked = self._ask()

        def find() -> CaseView | None:
            case = get_case_by_no(self._store, no)
            if case and case.applicant.id_number[-4:].upper() == last4:
                return self._local(case)
            return None

        def shown(view: CaseView | None) -> None:
            if asked != self._asked:
                return
            if view is not None:
                self._show(view)
            else:
                self._ask_county(no, last4)

        self._bg.run(find, shown)

    def _ask_county(self, case_no: str, last4: str) -> None:
        """Not a case of this kiosk: ask the county (on the lookup thread)."""
        lookup = self.remote_lookup
        if lookup is None:
            self._say(self.tr("没有找到这个办件，请核对办件编号和身份证后四位"))
            return
        asked = self._ask()
        self._forget()
        self._busy, self._hint = True, self.tr("本机没有这个办件，正在向县里查询，请稍等…")
        self.changed.emit()

        def answered(answer: object) -> None:
            if asked != self._asked:
                return
            view = hub_view(answer) if answer is not None else None
            if answer is not None and view is None:
                log.warning("the county's answer to a case lookup was not a case; not shown")
            self._show(
                view,
                "" if view else self.tr("没有找到这个办件，请核对办件编号和身份证后四位"),
            )

        def failed(exc: BaseException) -> None:
            if asked != self._asked:
                return
            if isinstance(exc, LookupUnavailable) and exc.offline:
                text = self.tr(
                    "现在连不上网络。没有网络时，只能查询在本机提交的办件；"
                    "请稍后再试，或到村便民服务站询问。"
                )
            else:
                if not isinstance(exc, LookupUnavailable):
                    log.error("asking the county about a case failed: %s", type(exc).__name__)
                text = self.tr("县里暂时查不到这个办件，请稍后再试，或到村便民服务站询问。")
            self._say(text)

        self._bg.run(lambda: lookup(case_no, last4), answered, failed, self._remote_executor)

    def _lookup_feedback(self, text: str) -> None:
        """A complaint's or suggestion's tracking number (F…): what the county answered."""
        try:
            tracking = parse_tracking_no(text)
        except BadCaseNumber as e:
            self._say(e.message_zh)
            return
        asked = self._ask()

        def shown(fb: Feedback | None) -> None:
            if asked != self._asked:
                return
            self._forget()
            self._feedback = fb
            self._message = "" if fb else self.tr("没有找到这个查询号，请核对回执上的查询号")
            self.changed.emit()

        self._bg.run(lambda: get_feedback(self._store, tracking), shown)

    def _lookup_appointment(self, find: Callable[[], Booking | None]) -> None:
        """An appointment of this kiosk (its slip's QR, or its number): its state, when, where."""
        asked = self._ask()

        def shown(booking: Booking | None) -> None:
            if asked != self._asked:
                return
            self._forget()
            self._booking = booking
            self._message = "" if booking else self.tr("没有找到这个预约，请核对预约单上的预约号")
            self.changed.emit()

        self._bg.run(find, shown)

    def _appointment_text(self) -> str:
        b = self._booking
        if b is None:
            return ""
        lines = []
        if b.slot is not None:
            lines += [
                self.tr("时间：{when}").format(when=when_text(b.slot)),
                self.tr("地点：{where}").format(where=b.slot.centre),
                self.tr("办事：{service}").format(service=b.slot.service),
            ]
        status = b.appointment.status
        if status == "confirmed":
            lines.append(self.tr("县里已确认。请按时带上身份证和预约单前往。"))
        elif status == "declined":
            if b.appointment.reason:
                lines.append(self.tr("这次没有约上：{reason}").format(reason=b.appointment.reason))
            lines.append(self.tr("可以重新预约别的时间，或请代办员帮忙。"))
        else:
            lines.append(
                self.tr("县里还没有确认，确认后代办员会打电话通知您。确认前请不要提前出发。")
            )
        return "\n".join(lines)

    def _feedback_answer(self) -> str:
        fb = self._feedback
        if fb is None:
            return ""
        if fb.answer:
            return self.tr("县里的答复：{answer}").format(answer=fb.answer)
        return self.tr("县里正在处理，一般5个工作日内答复，请过几天再来查。")

    @Slot(str)
    def openCase(self, case_id: str) -> None:  # noqa: N802
        self._fetch(lambda: get_case(self._store, case_id), self.tr("没有找到这个办件"))

    def on_store_changed(self, tables: frozenset[str]) -> None:
        if self._booking is not None and "appointments" in tables:  # the county answered
            appointment_id = self._booking.appointment.id
            self._lookup_appointment(lambda: get_booking(self._store, appointment_id))
        if self._view is not None and tables & {
            "cases",
            "case_events",
            "evaluations",
            "sync_blobs",
        }:
            self._reload()

    # -- rating --------------------------------------------------------------------------------
    def device_level(self, level: int) -> None:
        """The composition root connects the rating device's buttons here (as a scan goes to
        `lookupQr`). The rating screen, when it shows, takes the press as it takes a tap (and
        ignores it once rated or while it asks why); no other screen listens."""
        self.levelPressed.emit(level)

    @Slot(int, str)
    def rate(self, level: int, reason: str) -> None:
        view = self._view
        if view is None or not view.case_id:
            return
        case_id = view.case_id

        def work() -> object:
            return rate_case(
                self._store,
                case_id=case_id,
                level=level,
                reason=reason,
                channel="screen",
                clock=self._clock,
                terminal=self._terminal,
            )

        def failed(exc: BaseException) -> None:
            self._rating_error = villager_message(exc, self.tr("评价保存失败，请稍后再试"))
            self.changed.emit()

        self._bg.run(work, lambda _ev: self._reload(), failed)

    # -- what the screen shows ----------------------------------------------------------------
    def _next_step(self) -> str:
        v = self._view
        if v is None:
            return ""
        if v.status is Status.SUBMITTED:
            # The same words as the 收件回执 and the receipt screen.
            return waiting_text(v.kind or Kind.PROMISED, v.promised_days)
        if v.status is Status.SUPPLEMENT_REQUESTED and v.remote:
            return QCoreApplication.translate("ProgressModel", _REMOTE_SUPPLEMENT)
        if v.status is None:
            return ""
        return QCoreApplication.translate("ProgressModel", _NEXT_STEP[v.status])

    def _done_text(self) -> str:
        """A completed case: how to collect the result, in the words a villager acts on."""
        v = self._view
        if v is None or v.status is not Status.COMPLETED:
            return ""
        text = self.tr("请带上回执和身份证，到{place}取结果。").format(place=v.pickup)
        if self._hours.strip() and not v.remote:
            text += f"\n{HOURS_LABEL}：{self._hours}"
        return text

    def _promised_text(self) -> str:
        v = self._view
        if v is None or v.promised is None:
            return ""
        if v.status is Status.SUPPLEMENT_REQUESTED:
            # The time limit runs again only once the materials are complete (行政许可法 art. 32).
            return ""
        if v.status is Status.SUBMITTED:  # counted from filing: acceptance fixes the date
            return self.tr("预计办结：{date}").format(date=date_text(v.promised))
        return self.tr("承诺办结：{date}").format(date=date_text(v.promised))

    def _parts(self) -> list[dict[str, object]]:
        v = self._view
        if v is None:
            return []
        return [
            {
                "department": p.department + (self.tr("（主办）") if p.lead else ""),
                "status": p.label,
                "done": p.status.value == "done",
                "due": self.tr("{date}前办结").format(date=date_text(p.due_date))
                if p.due_date and p.status.value != "done"
                else "",
            }
            for p in v.parts
        ]

    def _timeline(self) -> list[dict[str, str]]:
        v = self._view
        if v is None:
            return []
        return [
            {
                "time": local_text(s.at) if s.at else "",
                "text": s.label + (f"：{s.note}" if s.note else ""),
                "status": s.status_label,
            }
            for s in reversed(v.steps)  # newest first: the latest step needs no scrolling
        ]

    _f = derived(changed)

    found = _f(lambda s: s._view is not None, bool)
    message = _f(lambda s: s._message)
    hint = _f(lambda s: s._hint)
    busy = _f(lambda s: s._busy, bool)
    prefillCaseNo = _f(lambda s: s._prefill)  # noqa: N815
    remote = _f(lambda s: bool(s._view and s._view.remote), bool)
    caseId = _f(lambda s: s._view.case_id if s._view else "")  # noqa: N815
    caseNo = _f(lambda s: s._view.case_no if s._view else "")  # noqa: N815
    itemName = _f(lambda s: s._view.item_name if s._view else "")  # noqa: N815
    applicant = _f(lambda s: s._view.applicant if s._view else "")
    statusKey = _f(  # noqa: N815
        lambda s: s._view.status.value if s._view and s._view.status else ""
    )
    statusLabel = _f(lambda s: s._view.status_label if s._view else "")  # noqa: N815
    whereText = _f(lambda s: s._view.where if s._view else "")  # noqa: N815
    pickupText = _f(  # noqa: N815 - nothing to pick up from a case that ends without a result
        lambda s: s._view.pickup if s._view and s._view.status not in _NO_RESULT else ""
    )
    reason = _f(lambda s: s._view.reason if s._view else "")
    # 办结: the page opens with this, before any rating (issue 18).
    done = _f(lambda s: bool(s._view and s._view.status is Status.COMPLETED), bool)
    doneText = _f(lambda s: s._done_text())  # noqa: N815
    nextStep = _f(lambda s: s._next_step())  # noqa: N815
    promisedText = _f(lambda s: s._promised_text())  # noqa: N815
    # When the agent is there to take a received case on (this station's hours, if set).
    hoursText = _f(  # noqa: N815
        lambda s: (
            f"{HOURS_LABEL}：{s._hours}"
            if s._hours.strip()
            and s._view
            and not s._view.remote
            and s._view.status is Status.SUBMITTED
            else ""
        )
    )
    parts = _f(lambda s: s._parts(), "QVariantList")
    timeline = _f(lambda s: s._timeline(), "QVariantList")
    canRate = _f(  # noqa: N815
        lambda s: (
            bool(s._view)
            and bool(s._view.case_id)
            and s._view.status in (Status.COMPLETED, Status.DELIVERED)
            and not s._view.rated_level
        ),
        bool,
    )
    canSupplement = _f(lambda s: bool(s._view and s._view.can_hand_in), bool)  # noqa: N815
    ratedLevel = _f(lambda s: s._view.rated_level if s._view else 0, int)  # noqa: N815
    # What to bring, as the county listed it (一次性告知): one item per line.
    missingItems = _f(  # noqa: N815
        lambda s: list(s._view.missing) if s._view else [], "QVariantList"
    )
    missingText = _f(lambda s: "、".join(s._view.missing) if s._view else "")  # noqa: N815
    photoStatus = _f(lambda s: s._view.photos if s._view else "")  # noqa: N815 - 材料上传中 / 材料已上传 / ""
    feedbackFound = _f(lambda s: s._feedback is not None, bool)  # noqa: N815
    feedbackTitle = _f(  # noqa: N815
        lambda s: (
            f"{KIND_LABELS.get(s._feedback.kind, '')} {format_tracking_no(s._feedback.tracking_no)}"
            if s._feedback
            else ""
        )
    )
    feedbackText = _f(lambda s: s._feedback.text if s._feedback else "")  # noqa: N815
    feedbackAnswer = _f(lambda s: s._feedback_answer())  # noqa: N815
    appointmentFound = _f(lambda s: s._booking is not None, bool)  # noqa: N815
    appointmentTitle = _f(  # noqa: N815
        lambda s: (
            s.tr("预约号 {number}").format(
                number=format_appointment_no(s._booking.appointment.appointment_no)
            )
            if s._booking
            else ""
        )
    )
    appointmentStatus = _f(  # noqa: N815
        lambda s: APPOINTMENT_STATUS.get(s._booking.appointment.status, "") if s._booking else ""
    )
    appointmentText = _f(lambda s: s._appointment_text())  # noqa: N815
    ratedLabel = _f(  # noqa: N815
        lambda s: (
            LEVEL_LABELS[Level(s._view.rated_level)] if s._view and s._view.rated_level else ""
        )
    )
    ratingError = _f(lambda s: s._rating_error)  # noqa: N815
    levels = Property(
        "QVariantList",
        lambda s: [
            {"level": int(lv), "label": lv.label, "face": _FACES[int(lv)], "low": lv.is_low}
            for lv in Level
        ],
        constant=True,
    )
    lowReasons = Property("QVariantList", lambda s: list(LOW_REASONS), constant=True)  # noqa: N815
    # The state of a case just handed in, in the villager's words (the receipt page's title).
    submittedLabel = Property(str, lambda s: Status.SUBMITTED.plain, constant=True)  # noqa: N815
    del _f
