"""The SMS port: what the hub sends, to whom, with which template, and the county's settings.

Pure Python (no Django, no SDK), so the adapters and the rules can be tested on their own.

A message names a template the county filed with its provider (`TemplateCode`, one per
`KIND`) and fills the template's variables (`TemplateParam`) with what the villager needs to
recognise the case: its number, the item's name (cut to `ITEM_MAX` characters) and, for an
appointment, its number, day and time. Never a name, an ID number or an address: `params_for_case`
and `params_for_appointment` are the only places parameters are made, and
`assert_no_personal_data` refuses any other key.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from domain.masking import mask_phone

ACCEPTED = "accepted"
SUPPLEMENT = "supplement"
COMPLETED = "completed"
DELIVERED = "delivered"
APPOINTMENT = "appointment"

KIND_LABELS: dict[str, str] = {
    ACCEPTED: "受理",
    SUPPLEMENT: "补正",
    COMPLETED: "办结",
    DELIVERED: "取件/送达",
    APPOINTMENT: "预约确认",
}
# The case actions (domain.lifecycle) that send a message, and which.
ACTION_KINDS: dict[str, str] = {
    "accept": ACCEPTED,
    "request_supplement": SUPPLEMENT,
    "complete": COMPLETED,
    "complete_on_spot": COMPLETED,
    "deliver": DELIVERED,
}
# The wording the county files with its provider as templates (variables `${...}`, Alibaba
# Cloud's syntax); the simulator renders it so the demo shows what the villager would read.
TEMPLATES: dict[str, str] = {
    ACCEPTED: "您的办件${case_no}（${item}）已受理，可在村里的自助机上查看进度。",
    SUPPLEMENT: "您的办件${case_no}（${item}）需要补正材料，请到村里的自助机查看要补的材料，或问代办员。",
    COMPLETED: "您的办件${case_no}（${item}）已办结，请按约定的方式取件。",
    DELIVERED: "您的办件${case_no}（${item}）的办理结果已取件（送达）。有疑问请问村代办员。",
    APPOINTMENT: "您预约的${date} ${time}已确认，预约号${no}，请按时带身份证到场。",
}
# The only template variables there are: nothing that names the villager.
PARAM_KEYS: dict[str, frozenset[str]] = {
    ACCEPTED: frozenset({"case_no", "item"}),
    SUPPLEMENT: frozenset({"case_no", "item"}),
    COMPLETED: frozenset({"case_no", "item"}),
    DELIVERED: frozenset({"case_no", "item"}),
    APPOINTMENT: frozenset({"no", "date", "time"}),
}
ITEM_MAX = 20  # one short message holds 70 characters, signature included
MOBILE = re.compile(r"^1[3-9]\d{9}$")
_PHONE_LIKE = re.compile(r"(?<!\d)(?:\+?86)?1[3-9]\d{9}(?!\d)")


def mobile_number(phone: str) -> str:
    """The 11-digit mainland mobile number in `phone` (spaces, dashes, +86 removed), or "" for
    anything else (a landline cannot receive a text)."""
    p = re.sub(r"[\s\-]", "", phone or "")
    for prefix in ("+86", "0086", "86"):
        if p.startswith(prefix) and len(p) == 11 + len(prefix):
            p = p[len(prefix) :]
    return p if MOBILE.match(p) else ""


def scrub(text: str) -> str:
    """`text` with every mobile number in it masked (a provider's error may echo one)."""
    return _PHONE_LIKE.sub(lambda m: mask_phone(m.group(0)[-11:]), text)


def _short(text: str, limit: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def params_for_case(case_no: str, item_name: str) -> dict[str, str]:
    return {"case_no": case_no, "item": _short(item_name, ITEM_MAX)}


def params_for_appointment(number: str, day: date, start: str) -> dict[str, str]:
    return {"no": number or "—", "date": f"{day.month}月{day.day}日", "time": start}


def assert_no_personal_data(kind: str, params: Mapping[str, str]) -> None:
    """ValueError if `params` holds a key the kind's template does not have."""
    extra = set(params) - PARAM_KEYS[kind]
    if extra:
        raise ValueError(f"template parameters not allowed for {kind}: {sorted(extra)}")


def render(kind: str, params: Mapping[str, str]) -> str:
    text = TEMPLATES[kind]
    for key, value in params.items():
        text = text.replace("${" + key + "}", value)
    return text


@dataclass(frozen=True)
class Sms:
    """One message as a gateway sends it. `out_id` is the hub's idempotency key: the same on
    every attempt of one message (Alibaba Cloud's `OutId`, echoed in its delivery receipts)."""

    phone: str
    kind: str
    sign_name: str
    template_code: str
    params: dict[str, str]
    out_id: str

    def template_param(self) -> str:
        return json.dumps(self.params, ensure_ascii=False, sort_keys=True)

    def __repr__(self) -> str:  # never the phone, even in a traceback
        return f"Sms(kind={self.kind!r}, out_id={self.out_id!r}, phone={mask_phone(self.phone)!r})"


@dataclass(frozen=True)
class Receipt:
    provider_id: str  # Alibaba Cloud's BizId; the simulator's record


class SendError(Exception):
    """The gateway did not take the message. `retry`: worth another attempt later (network,
    throttling, the provider's own trouble); else the message is given up (a number the
    provider refuses, a template that does not fit)."""

    def __init__(self, code: str, message: str, *, retry: bool) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.retry = retry


# A delivery report's status (Alibaba Cloud's SendStatus 1, 3, 2).
WAITING, DELIVERED_OK, UNDELIVERED = "waiting", "delivered", "undelivered"


@dataclass(frozen=True)
class DeliveryQuery:
    """What a gateway needs to ask for one sent message's delivery report: the full phone (the
    provider files its reports by number and day), the provider's id of the message, the day it
    was sent (China time) and our `out_id`."""

    phone: str
    provider_id: str
    sent_on: date
    out_id: str
    kind: str

    def __repr__(self) -> str:  # never the phone, even in a traceback
        return (
            f"DeliveryQuery(out_id={self.out_id!r}, provider_id={self.provider_id!r}, "
            f"phone={mask_phone(self.phone)!r})"
        )


@dataclass(frozen=True)
class DeliveryReport:
    """The provider's word on a sent message: `WAITING` (no receipt from the carrier yet, or
    no record of it yet), `DELIVERED_OK` (the phone received it, at `received_at` if known) or
    `UNDELIVERED` (the carrier gave up, `error_code` says why)."""

    status: str
    error_code: str = ""
    received_at: datetime | None = None


class QueryError(Exception):
    """The delivery report could not be fetched now (network, throttling, the provider's
    error); the message stays waiting and is asked about again later."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class Gateway(Protocol):
    def send(self, sms: Sms) -> Receipt: ...

    def delivery(self, query: DeliveryQuery) -> DeliveryReport: ...


SIMULATOR, ALIYUN = "simulator", "aliyun"
WAIT, DROP = "wait", "drop"


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    try:
        return max(0, int(env.get(name, "") or default))
    except ValueError:
        raise ValueError(f"{name} must be a whole number") from None


def _templates(raw: str) -> dict[str, str]:
    """`accepted:SMS_1,supplement:SMS_2` → {kind: TemplateCode}."""
    out: dict[str, str] = {}
    for part in raw.replace("，", ",").split(","):
        if not part.strip():
            continue
        kind, _, code = part.partition(":")
        kind, code = kind.strip(), code.strip()
        if kind not in KIND_LABELS or not code:
            raise ValueError(f"XIANGLI_HUB_SMS_TEMPLATES: unknown kind or empty code in {part!r}")
        out[kind] = code
    return out


RECEIPT_HOURS_MAX = 30 * 24  # Alibaba Cloud answers QuerySendDetails for the last 30 days


def _numbers(raw: str) -> frozenset[str]:
    """`139…,138…` → the mobile numbers in it (anything else is ignored)."""
    parts = (mobile_number(part) for part in raw.replace("，", ",").split(","))
    return frozenset(p for p in parts if p)


@dataclass(frozen=True)
class SmsSettings:
    """The county's SMS settings, from the hub's environment (see docs/ADMIN.md)."""

    provider: str = SIMULATOR
    sign_name: str = ""
    templates: dict[str, str] = field(default_factory=dict)
    per_hour: int = 5  # messages to one phone per rolling hour (0: no limit)
    per_day: int = 20  # ... per rolling 24 hours
    over_limit: str = WAIT  # a message over a limit waits for room, or is dropped
    max_attempts: int = 6
    backoff_seconds: int = 60  # after the n-th failed attempt: backoff * 2**(n-1), at most 6 h
    appointments: bool = True  # a confirmed appointment's phone gets its one confirmation
    simulate_failure: str = ""  # simulator only: "transient" or "permanent" (a flaky provider)
    # simulator only: numbers whose messages are reported undelivered / never get a receipt
    simulate_undelivered: frozenset[str] = frozenset()
    simulate_no_receipt: frozenset[str] = frozenset()
    receipt_interval: int = 300  # seconds between two delivery queries of one message
    receipt_hours: int = 72  # no receipt this long after sending: 回执超时 (final)
    receipt_batch: int = 50  # delivery queries per pass at most
    endpoint: str = "dysmsapi.aliyuncs.com"

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> SmsSettings:
        provider = (env.get("XIANGLI_HUB_SMS_PROVIDER") or SIMULATOR).strip().lower()
        if provider not in (SIMULATOR, ALIYUN):
            raise ValueError("XIANGLI_HUB_SMS_PROVIDER must be simulator or aliyun")
        over = (env.get("XIANGLI_HUB_SMS_OVER_LIMIT") or WAIT).strip().lower()
        if over not in (WAIT, DROP):
            raise ValueError("XIANGLI_HUB_SMS_OVER_LIMIT must be wait or drop")
        failure = (env.get("XIANGLI_HUB_SMS_SIMULATE_FAILURE") or "").strip().lower()
        if failure not in ("", "transient", "permanent"):
            raise ValueError("XIANGLI_HUB_SMS_SIMULATE_FAILURE must be transient or permanent")
        return cls(
            provider=provider,
            sign_name=(env.get("XIANGLI_HUB_SMS_SIGN") or "").strip(),
            templates=_templates(env.get("XIANGLI_HUB_SMS_TEMPLATES") or ""),
            per_hour=_int(env, "XIANGLI_HUB_SMS_PER_HOUR", 5),
            per_day=_int(env, "XIANGLI_HUB_SMS_PER_DAY", 20),
            over_limit=over,
            max_attempts=max(1, _int(env, "XIANGLI_HUB_SMS_MAX_ATTEMPTS", 6)),
            backoff_seconds=_int(env, "XIANGLI_HUB_SMS_BACKOFF", 60),
            appointments=(env.get("XIANGLI_HUB_SMS_APPOINTMENTS") or "1") != "0",
            simulate_failure=failure,
            endpoint=(env.get("XIANGLI_HUB_SMS_ENDPOINT") or "dysmsapi.aliyuncs.com").strip(),
            simulate_undelivered=_numbers(env.get("XIANGLI_HUB_SMS_SIMULATE_UNDELIVERED") or ""),
            simulate_no_receipt=_numbers(env.get("XIANGLI_HUB_SMS_SIMULATE_NO_RECEIPT") or ""),
            receipt_interval=_int(env, "XIANGLI_HUB_SMS_RECEIPT_INTERVAL", 300),
            receipt_hours=min(
                RECEIPT_HOURS_MAX, max(1, _int(env, "XIANGLI_HUB_SMS_RECEIPT_HOURS", 72))
            ),
            receipt_batch=max(1, _int(env, "XIANGLI_HUB_SMS_RECEIPT_BATCH", 50)),
        )

    def problems(self) -> list[str]:
        """What keeps the configured provider from sending (Chinese, for the county)."""
        if self.provider != ALIYUN:
            return []
        out = []
        if not self.sign_name:
            out.append("未配置短信签名（XIANGLI_HUB_SMS_SIGN）")
        if not self.templates:
            out.append("未配置短信模板（XIANGLI_HUB_SMS_TEMPLATES）")
        return out

    def template_for(self, kind: str) -> str:
        """The TemplateCode of `kind`; the simulator makes one up when none is configured."""
        code = self.templates.get(kind, "")
        if not code and self.provider == SIMULATOR:
            return "SIM_" + kind.upper()
        return code

    def backoff(self, attempts: int) -> int:
        """Seconds to wait after the `attempts`-th failed attempt."""
        return min(self.backoff_seconds * 2 ** max(0, attempts - 1), 6 * 3600)
