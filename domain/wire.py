"""The sync protocol's vocabulary: op kinds a kiosk pushes, change kinds it pulls, per-op
result statuses and refusal reasons. `sync.protocol` re-exports these with the protocol's
helpers; docs/sync-protocol.md describes them.
"""

from __future__ import annotations

from typing import Final

# Op kinds a kiosk pushes.
OP_CASE_SUBMIT: Final = "case.submit"
OP_EVALUATION_SUBMIT: Final = "evaluation.submit"
OP_CASE_ACTION: Final = "case.action"
OP_FEEDBACK_SUBMIT: Final = "feedback.submit"
OP_APPOINTMENT_REQUEST: Final = "appointment.request"
OP_KINDS: Final = (
    OP_CASE_SUBMIT,
    OP_EVALUATION_SUBMIT,
    OP_CASE_ACTION,
    OP_FEEDBACK_SUBMIT,
    OP_APPOINTMENT_REQUEST,
)

# Change kinds a kiosk pulls.
CHANGE_CASE_STATUS: Final = "case.status"
# County-wide changes (terminal NULL on the hub: every kiosk gets them).
CHANGE_CALENDAR_YEAR: Final = "calendar.year"
CHANGE_CATALOG_VERSION: Final = "catalog.version"
CHANGE_NOTICE_PUBLISH: Final = "notice.publish"
CHANGE_NOTICE_WITHDRAW: Final = "notice.withdraw"
CHANGE_APPOINTMENT_SLOT: Final = "appointment.slot"
# Changes for the owning kiosk only.
CHANGE_FEEDBACK_ANSWER: Final = "feedback.answer"
CHANGE_APPOINTMENT_STATUS: Final = "appointment.status"
# 差评回访 (issue 15): the county called back about a bad rating; only that it did, and when.
CHANGE_CASE_FOLLOWUP: Final = "case.followup"
# Staff accounts (代办员 / 技术员): county-wide (terminal NULL) or for one kiosk, by the
# account's scope. The PIN travels only as an Argon2id PHC string, the ID number only as the hex
# sha256 of its upper-cased form.
CHANGE_ACCOUNT_UPSERT: Final = "account.upsert"
CHANGE_ACCOUNT_DISABLE: Final = "account.disable"
CHANGE_KINDS: Final = (
    CHANGE_CASE_STATUS,
    CHANGE_CALENDAR_YEAR,
    CHANGE_CATALOG_VERSION,
    CHANGE_NOTICE_PUBLISH,
    CHANGE_NOTICE_WITHDRAW,
    CHANGE_APPOINTMENT_SLOT,
    CHANGE_FEEDBACK_ANSWER,
    CHANGE_APPOINTMENT_STATUS,
    CHANGE_ACCOUNT_UPSERT,
    CHANGE_ACCOUNT_DISABLE,
    CHANGE_CASE_FOLLOWUP,
)

# Per-op result statuses in a push answer.
APPLIED: Final = "applied"
DUPLICATE: Final = "duplicate"
CONFLICT: Final = "conflict"
REJECTED: Final = "rejected"
RESULT_STATUSES: Final = (APPLIED, DUPLICATE, CONFLICT, REJECTED)

# Reasons that come with "conflict" / "rejected".
REASON_PAYLOAD_MISMATCH: Final = "payload_mismatch"
REASON_UNKNOWN_KIND: Final = "unknown_kind"
REASON_UNKNOWN_CASE: Final = "unknown_case"
REASON_INVALID_PAYLOAD: Final = "invalid_payload"
REASON_CASE_EXISTS: Final = "case_exists"
REASON_CASE_NO_TAKEN: Final = "case_no_taken"
REASON_ALREADY_EVALUATED: Final = "already_evaluated"
REASON_EVALUATION_EXISTS: Final = "evaluation_exists"
REASON_OP_ID_TAKEN: Final = "op_id_taken"
REASON_CASE_MOVED: Final = "case_moved"  # the county moved the case before the agent's action
REASON_INVALID_ACTION: Final = "invalid_action"  # the shared lifecycle refuses it (a guard)
REASON_NOT_OWNER: Final = "not_owner"
REASON_FEEDBACK_EXISTS: Final = "feedback_exists"
REASON_APPOINTMENT_EXISTS: Final = "appointment_exists"
REASON_UNKNOWN_SLOT: Final = "unknown_slot"
# The hub decides what it records (issue 13): a case number must carry the pushing terminal's
# code; a kiosk's time may be neither in the future (beyond a tolerance) nor too old.
REASON_CASE_NO_FOREIGN: Final = "case_no_foreign"
REASON_TIME_IN_FUTURE: Final = "time_in_future"
REASON_TIME_TOO_OLD: Final = "time_too_old"

# What the agent reads for each refusal (the kiosk shows it next to the parked record).
REASON_LABELS: Final[dict[str, str]] = {
    REASON_PAYLOAD_MISMATCH: "同一记录内容前后不一致",
    REASON_UNKNOWN_KIND: "县级平台不认识这种记录",
    REASON_UNKNOWN_CASE: "县级平台没有这个办件",
    REASON_INVALID_PAYLOAD: "记录内容不完整或格式不对",
    REASON_CASE_EXISTS: "这个办件县级平台已经有了",
    REASON_CASE_NO_TAKEN: "办件编号已被县级平台的另一个办件占用",
    REASON_ALREADY_EVALUATED: "这个办件已经评价过了",
    REASON_EVALUATION_EXISTS: "这条评价县级平台已经有了",
    REASON_OP_ID_TAKEN: "记录标识已被其他终端使用",
    REASON_CASE_MOVED: "县级已经处理了这个办件，本机的操作未被采用",
    REASON_INVALID_ACTION: "按办件规则不能这样操作",
    REASON_NOT_OWNER: "这个办件不是本机受理的",
    REASON_FEEDBACK_EXISTS: "这条意见县级平台已经有了",
    REASON_APPOINTMENT_EXISTS: "这条预约县级平台已经有了",
    REASON_UNKNOWN_SLOT: "预约时段已不存在",
    REASON_CASE_NO_FOREIGN: "办件编号不是本机的编号，请联系技术人员",
    REASON_TIME_IN_FUTURE: "本机时间比县级平台快太多，请联系技术人员校准时间",
    REASON_TIME_TOO_OLD: "记录时间太久以前，县级平台不再接收，请联系技术人员",
}


def reason_label(reason: str) -> str:
    """The plain-Chinese sentence for a refusal reason (`invalid_payload:field` included)."""
    return REASON_LABELS.get(reason.split(":", 1)[0], "县级平台未接收这条记录")
