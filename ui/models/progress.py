"""Checking a case's progress (办件查询) and rating it (好差评).

A case is found by the receipt's QR code or by its number plus the last four characters of the
applicant's ID number. The screen follows the store: when the county's decision arrives through
sync, the timeline updates by itself, and a completed case that has no rating yet offers one.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, Property, QCoreApplication, QObject, Signal, Slot

from kiosk.caseno import BadCaseNumber, format_case_no, parse_case_no, parse_qr
from kiosk.cases import Case, Status
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
from kiosk.store import Store
from ui.background import Background
from ui.errors import villager_message
from ui.models.props import derived

_ACTION_TEXT = {
    "submit": QT_TRANSLATE_NOOP("ProgressModel", "在本机提交申请"),
    "county_update": QT_TRANSLATE_NOOP("ProgressModel", "县镇工作人员办理"),
}
_NEXT_STEP = {
    Status.SUBMITTED: QT_TRANSLATE_NOOP("ProgressModel", "等待工作人员受理，一般1个工作日内"),
    Status.ACCEPTED: QT_TRANSLATE_NOOP("ProgressModel", "已受理，正在办理"),
    Status.SUPPLEMENT_REQUESTED: QT_TRANSLATE_NOOP(
        "ProgressModel", "请按告知补齐材料后，带回执到村便民服务站"
    ),
    Status.SUPPLEMENTED: QT_TRANSLATE_NOOP("ProgressModel", "材料已补齐，等待受理"),
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
_FACES = {5: "😄", 4: "🙂", 3: "😐", 2: "🙁", 1: "😣"}


class ProgressModel(QObject):
    changed = Signal()
    rating_offered = Signal()

    def __init__(
        self,
        *,
        store: Store,
        background: Background,
        clock: Clock,
        terminal: Terminal | None = None,
        photo_status: Callable[[Store, str], str] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store, self._bg, self._clock = store, background, clock
        self._terminal = terminal  # ratings carry its region code for the provincial platform
        self._photo_status = photo_status
        self._photos = ""
        self._feedback: Feedback | None = None
        self._case: Case | None = None
        self._events: list[dict[str, object]] = []
        self._rated_level = 0
        self._message = ""
        self._rating_error = ""

    # -- finding a case -----------------------------------------------------------------------
    @Slot()
    def clear(self) -> None:
        self._feedback = None
        self._case, self._events, self._rated_level = None, [], 0
        self._message = self._rating_error = ""
        self.changed.emit()

    def _fetch(self, find: Callable[[], Case | None], not_found: str) -> None:
        """Look the case up off the GUI thread, then show it (or say why not)."""

        def work() -> tuple[Case, list[dict[str, object]], int, str] | None:
            case = find()
            if case is None:
                return None
            ev = get_evaluation(self._store, case.id)
            photos = self._photo_status(self._store, case.id) if self._photo_status else ""
            return case, case_events(self._store, case.id), int(ev.level) if ev else 0, photos

        def shown(snap: tuple[Case, list[dict[str, object]], int, str] | None) -> None:
            if snap is None:
                self._case, self._events, self._rated_level, self._photos = None, [], 0, ""
                self._message = not_found
            else:
                self._case, self._events, self._rated_level, self._photos = snap
                self._message = ""
            self._rating_error = ""
            self._feedback = None
            self.changed.emit()
            if self.canRate:
                self.rating_offered.emit()

        self._bg.run(work, shown)

    def _reload(self) -> None:
        if self._case is not None:
            case_id = self._case.id
            self._fetch(lambda: get_case(self._store, case_id), self.tr("没有找到这个办件"))

    def _say(self, message: str) -> None:
        self._feedback = None
        self._case, self._events, self._rated_level = None, [], 0
        self._message = message
        self.changed.emit()

    @Slot(str)
    def lookupQr(self, text: str) -> None:  # noqa: N802
        try:
            ref = parse_qr(text)
        except BadCaseNumber as e:
            self._say(e.message_zh)
            return

        def find() -> Case | None:
            case = get_case(self._store, ref.case_id)
            return case if case and case.case_no == ref.case_no else None

        self._fetch(find, self.tr("本机没有这个办件的记录，请到村便民服务站查询"))

    @Slot(str, str)
    def lookupNumber(self, case_no: str, id_last4: str) -> None:  # noqa: N802
        if case_no.strip().upper().startswith("F"):
            self._lookup_feedback(case_no)
            return
        try:
            no = parse_case_no(case_no)
        except BadCaseNumber as e:
            self._say(e.message_zh)
            return
        last4 = id_last4.strip().upper()

        def find() -> Case | None:
            case = get_case_by_no(self._store, no)
            return case if case and case.applicant.id_number[-4:].upper() == last4 else None

        self._fetch(find, self.tr("没有找到这个办件，请核对办件编号和身份证后四位"))

    def _lookup_feedback(self, text: str) -> None:
        """A complaint's or suggestion's tracking number (F…): what the county answered."""
        try:
            tracking = parse_tracking_no(text)
        except BadCaseNumber as e:
            self._say(e.message_zh)
            return

        def shown(fb: Feedback | None) -> None:
            self._case, self._events, self._rated_level = None, [], 0
            self._feedback = fb
            self._message = "" if fb else self.tr("没有找到这个查询编号，请核对回执")
            self.changed.emit()

        self._bg.run(lambda: get_feedback(self._store, tracking), shown)

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
        if self._case is not None and tables & {"cases", "evaluations", "sync_blobs"}:
            self._reload()

    # -- rating --------------------------------------------------------------------------------
    @Slot(int, str)
    def rate(self, level: int, reason: str) -> None:
        if self._case is None:
            return
        case_id = self._case.id

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
    _f = derived(changed)

    found = _f(lambda s: s._case is not None, bool)
    message = _f(lambda s: s._message)
    caseNo = _f(lambda s: format_case_no(s._case.case_no) if s._case else "")  # noqa: N815
    itemName = _f(lambda s: s._case.item_name if s._case else "")  # noqa: N815
    statusKey = _f(lambda s: s._case.status.value if s._case else "")  # noqa: N815
    statusLabel = _f(lambda s: s._case.status.label if s._case else "")  # noqa: N815
    reason = _f(lambda s: s._case.reason or s._case.result if s._case else "")
    nextStep = _f(  # noqa: N815
        lambda s: (
            QCoreApplication.translate("ProgressModel", _NEXT_STEP[s._case.status])
            if s._case
            else ""
        )
    )
    promisedText = _f(  # noqa: N815
        lambda s: date_text(s._case.promised_date) if s._case and s._case.promised_date else ""
    )
    timeline = _f(
        lambda s: [
            {
                "time": local_text(e["at"]) if e["at"] else "",
                "text": QCoreApplication.translate(
                    "ProgressModel", _ACTION_TEXT.get(str(e["action"]), str(e["action"]))
                )
                + (f"：{e['note']}" if e["note"] else ""),
                "status": Status(e["to_status"]).label,
            }
            for e in reversed(s._events)  # newest first: the latest step needs no scrolling
        ],
        "QVariantList",
    )
    canRate = _f(  # noqa: N815
        lambda s: (
            bool(s._case)
            and s._case.status in (Status.COMPLETED, Status.DELIVERED)
            and not s._rated_level
        ),
        bool,
    )
    ratedLevel = _f(lambda s: s._rated_level, int)  # noqa: N815
    missingText = _f(  # noqa: N815 - what to bring, as the county listed it (一次性告知)
        lambda s: (
            ("、".join(s._case.missing) or s._case.reason)
            if s._case and s._case.status is Status.SUPPLEMENT_REQUESTED
            else ""
        )
    )
    photoStatus = _f(lambda s: s._photos)
    feedbackFound = _f(lambda s: s._feedback is not None, bool)  # noqa: N815
    feedbackTitle = _f(  # noqa: N815
        lambda s: (
            f"{KIND_LABELS.get(s._feedback.kind, '')} {format_tracking_no(s._feedback.tracking_no)}"
            if s._feedback
            else ""
        )
    )
    feedbackText = _f(lambda s: s._feedback.text if s._feedback else "")  # noqa: N815
    feedbackAnswer = _f(lambda s: s._feedback_answer())  # noqa: N815  # noqa: N815 - 材料上传中 / 材料已上传 / ""
    ratedLabel = _f(lambda s: LEVEL_LABELS[Level(s._rated_level)] if s._rated_level else "")  # noqa: N815
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
    del _f
