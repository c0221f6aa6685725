"""Where a case is, in a villager's words: which office has it now and where to pick up the
result (前台综合受理、后台分类审批、综合窗出件). The hub sends the department that handles the
case; kiosk screens and slips phrase it with these functions, so the wording has one owner.
"""

from __future__ import annotations

from domain.vocabulary import Status


def where_now(status: Status, department: str, station: str = "") -> str:
    """'在溪口镇社会保障服务所办理中', or what the villager should know at this status."""
    here = station or "本村便民服务站"
    dept = department or "主管部门"
    if status is Status.SUBMITTED:
        # Only the place: the state itself is named once, by Status.plain (issue 18).
        return f"在{here}"
    if status is Status.SUPPLEMENT_REQUESTED:
        return "等您补交材料"
    if status is Status.SUPPLEMENTED:
        return f"材料已补交，等待{dept}受理"
    if status in (Status.ACCEPTED, Status.PROCESSING):
        return f"在{dept}办理中"
    if status is Status.FORWARDED:
        return f"已报送{dept}审批"
    if status is Status.COMPLETED:
        return f"已办结，请到{here}领取结果"
    if status is Status.DELIVERED:
        return "结果已领取"
    if status is Status.RETURNED:
        return "未予受理，理由见退回通知书"
    return "申请已撤回"


def pickup_place(station: str) -> str:
    """Where the result comes back to: the village station that took the application."""
    return station or "本村便民服务站"
