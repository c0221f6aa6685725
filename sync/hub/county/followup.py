"""差评回访与整改 (issue 15): a bad rating opens a follow-up task for the department that handled
the case; staff record the call, the fix and the outcome; the kiosk hears that the county called.

- `open_for` runs in the push's transaction that records the rating (ops.apply_evaluation_submit):
  a 不满意 or 非常不满意 rating (`BAD_LEVELS`) opens one task, due `FollowUpSetting.due_workdays`
  working days (5 unless the county sets another) after the hub received it, counted in the
  hub's working-day calendar (routing.hub_calendar). A year the calendar does not know gives no
  due date rather than a wrong one. One task per rating and per case (the database's unique
  keys): a resent rating is a duplicate op and opens nothing.
- `record` saves what staff did. The first time a call is recorded, a `case.followup` change
  goes to the kiosk that filed the case, carrying only the case and when (kiosk.county puts 县里
  已回访您的评价 in the case's history). Filling in the outcome closes the task.
- `followup_q` is what each staff role sees: the county everything, a department only the tasks
  of cases it handled (not the 联办件 it only took part in), a town the tasks of its kiosks.
- A task holds the rating's level and reason, never who rated: a rating carries no person (its
  terminal and channel say only where it was given, and are not copied). The page shows the
  applicant's name masked and the phone, which the department needs to call back.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from sync import protocol
from sync.hub import feed, routing
from sync.hub.county.access import Scope, StaffRole
from sync.hub.county.models import Evaluation, FollowUp, FollowUpSetting

# 不满意 and 非常不满意 (domain.vocabulary.EVALUATION_LEVEL_LABELS).
BAD_LEVELS = frozenset({1, 2})
DEFAULT_DUE_WORKDAYS = 5


class FollowUpError(ValueError):
    """What staff entered cannot be saved; the message is for them (Chinese)."""


def due_workdays() -> int:
    row = FollowUpSetting.objects.filter(pk=1).first()
    return row.due_workdays if row is not None else DEFAULT_DUE_WORKDAYS


def open_for(evaluation: Evaluation) -> FollowUp | None:
    """The follow-up task of a bad rating, opened now (call inside the rating's transaction);
    None for a rating that is not bad, or a case that has its task already."""
    if evaluation.level not in BAD_LEVELS:
        return None
    if FollowUp.objects.filter(Q(evaluation=evaluation) | Q(case_id=evaluation.case_id)).exists():
        return None
    case = evaluation.case
    opened = timezone.now()
    return FollowUp.objects.create(
        evaluation=evaluation,
        case=case,
        department_id=case.department_id,
        level=evaluation.level,
        reason=evaluation.reason,
        opened_at=opened,
        due_date=routing.add_workdays(opened, due_workdays()),
    )


def check(task: FollowUp, call: str, fix: str, outcome: str) -> None:
    """FollowUpError if what staff entered cannot be saved."""
    if (fix.strip() or outcome.strip()) and not call.strip():
        raise FollowUpError("请先填写回访记录")
    if task.status == "closed" and not outcome.strip():
        raise FollowUpError("已办结的回访不能清空整改结果")


def record(task: FollowUp, call: str, fix: str, outcome: str, who: str) -> FollowUp:
    """Save the call, the fix and the outcome (call inside `transaction.atomic()`). The first
    recorded call tells the case's kiosk; an outcome closes the task."""
    call, fix, outcome = call.strip(), fix.strip(), outcome.strip()
    check(task, call, fix, outcome)
    now = timezone.now()
    first_call = bool(call) and task.called_at is None
    task.call, task.fix, task.outcome = call, fix, outcome
    if first_call:
        task.called_at = now
    if outcome and task.closed_at is None:
        task.closed_at = now
    task.status = "closed" if outcome else ("called" if task.called_at else "open")
    task.handled_by = who[:150]
    task.save()
    if first_call:
        tell_kiosk(task)
    return task


def change_payload(task: FollowUp) -> dict[str, str]:
    """What the kiosk learns of a follow-up: the case and when it was called, nothing else."""
    assert task.called_at is not None
    return {"case_id": task.case_id, "followed_up_at": protocol.utc_iso(task.called_at)}


def tell_kiosk(task: FollowUp) -> None:
    """The `case.followup` change for the kiosk that filed the case."""
    feed.write_change(
        task.case.terminal, protocol.CHANGE_CASE_FOLLOWUP, task.case_id, change_payload(task)
    )


def republish(write: Any) -> None:
    """Re-emit every follow-up already called through `write(terminal, kind, id, payload)`
    (a new epoch's appender, feed.start_new_epoch): a kiosk re-pulling from the start keeps
    the step in its history (it adds it once however often it comes)."""
    called = FollowUp.objects.filter(called_at__isnull=False).select_related("case__terminal")
    for task in called.order_by("called_at", "pk"):
        write(task.case.terminal, protocol.CHANGE_CASE_FOLLOWUP, task.case_id, change_payload(task))


def followup_q(scope: Scope | None) -> Q:
    """The tasks `scope` sees."""
    if scope is None:
        return Q(pk__in=[])
    if scope.role == StaffRole.COUNTY:
        return Q()
    if scope.role == StaffRole.TOWN:
        return Q(case__terminal__village__town_id=scope.town_id)
    return Q(department_id=scope.department_id)


def today() -> date:
    return routing.local_day(timezone.now())


def overdue(on: date | None = None) -> QuerySet[FollowUp]:
    """Tasks not closed whose due date has passed (Asia/Shanghai dates)."""
    day = on or today()
    return (
        FollowUp.objects.exclude(status="closed")
        .filter(due_date__lt=day)
        .select_related("case", "department")
        .order_by("due_date", "opened_at")
    )


def is_overdue(task: FollowUp, on: date | None = None) -> bool:
    return task.status != "closed" and task.due_date is not None and task.due_date < (on or today())


def overdue_rows(on: date | None = None) -> list[dict[str, Any]]:
    """The overdue tasks for the CLI: no applicant, no rater; the case, department and dates."""
    return [
        {
            "case_no": t.case.case_no,
            "item": t.case.item_name,
            "department": t.department.name if t.department else "",
            "level": t.get_level_display(),
            "due_date": t.due_date.isoformat() if t.due_date else "",
            "status": t.get_status_display(),
        }
        for t in overdue(on)
    ]
