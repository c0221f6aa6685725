"""`{% load sms_notices %}{% case_sms case %}`: the case's text messages on the staff's case page
(工作台), each with its kind, masked phone, state with the delivery receipt, and times."""

from __future__ import annotations

from typing import Any

from django import template

from sync.hub.sms.models import SmsMessage

register = template.Library()


@register.inclusion_tag("sms/case_messages.html")
def case_sms(case: Any) -> dict[str, Any]:
    rows = SmsMessage.objects.filter(case_id=case.pk).order_by("created_at", "id")
    return {"sms_rows": list(rows)}
