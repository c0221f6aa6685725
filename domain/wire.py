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
