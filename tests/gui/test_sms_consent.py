"""短信提醒 on the apply page (issue 15): an optional phone typed on the number pad, and only
once a number is typed the question 办理进度用短信告诉我, 否 until the villager taps it. The
stored case and the case.submit payload carry the answer; after submitting the phone is shown
masked. The page keeps the layout rules with the question on it, in both orientations and 大字."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kiosk.casestore import recent_cases
from tests.gui.rules import check_screen
from tests.gui.test_apply_more import _open_apply
from ui.app import KioskApp
from ui.driving import (
    exists,
    find,
    number_pad_shown,
    screenshot,
    settle,
    tap,
    text_of,
    wait_until,
)
from ui.screens import SIZES

MOBILE = "13800138000"


def _grab(kiosk: KioskApp, name: str) -> None:
    out = os.environ.get("XIANGLI_GRABS")
    if out:
        screenshot(kiosk.window, Path(out) / f"{name}.png")  # type: ignore[attr-defined]


def _type_phone(kiosk: KioskApp, digits: str) -> None:
    """Tap the phone field, then each key of the number pad, as a finger would."""
    w = kiosk.window  # type: ignore[attr-defined]
    tap(w, "applyPhone")
    wait_until(w, lambda: number_pad_shown(w))
    assert not exists(w, "padKeyX")  # a phone number has no X
    for key in digits:
        tap(w, f"padKey{key}")


def test_a_phone_typed_on_the_pad_and_the_consent_tapped_go_with_the_case(
    kiosk: KioskApp,
) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    _open_apply(kiosk)
    tap(w, "readCardButton")
    assert exists(w, "applyPhone") and not exists(w, "smsConsentToggle")
    _type_phone(kiosk, MOBILE)
    assert text_of(w, "applyPhone") == MOBILE
    toggle = find(w, "smsConsentToggle")
    assert toggle.property("text").endswith("否")  # never on by itself
    assert "短信" in text_of(w, "smsConsentHint")
    said = kiosk.access._speaker.said  # type: ignore[attr-defined]
    assert said[-1] == "办理进度用短信告诉我：否。" + text_of(w, "smsConsentHint")  # voice on
    tap(w, "smsConsentToggle")
    assert find(w, "smsConsentToggle").property("text").endswith("是")
    assert said[-1].startswith("办理进度用短信告诉我：是。")
    tap(w, "submitButton")
    assert kiosk.nav.page == "receipt", kiosk.apply.error
    [case] = recent_cases(kiosk.store)
    assert case.sms_consent and case.applicant.phone == MOBILE
    [op] = kiosk.store.pending_ops()
    assert op.payload["sms_consent"] is True and op.payload["applicant"]["phone"] == MOBILE
    # After entry the number is shown masked, never whole.
    assert text_of(w, "receiptSms").count("138****8000") == 1
    assert MOBILE not in text_of(w, "receiptSms")


def test_a_phone_without_the_tap_is_no_consent(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    _open_apply(kiosk)
    tap(w, "readCardButton")
    _type_phone(kiosk, MOBILE)
    tap(w, "submitButton")
    [case] = recent_cases(kiosk.store)
    assert not case.sms_consent and case.applicant.phone == MOBILE
    [op] = kiosk.store.pending_ops()
    assert op.payload["sms_consent"] is False
    assert not exists(w, "receiptSms")


def test_without_a_phone_there_is_no_question_and_no_consent(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    _open_apply(kiosk)
    tap(w, "readCardButton")
    assert not exists(w, "smsConsentToggle") and not exists(w, "smsConsentHint")
    # Typed, said yes to, then cleared: the question goes, and its yes with it.
    _type_phone(kiosk, MOBILE)
    tap(w, "smsConsentToggle")
    assert kiosk.apply.smsConsent
    tap(w, "applyPhone")
    tap(w, "padKeyclear")
    assert not exists(w, "smsConsentToggle")
    _type_phone(kiosk, MOBILE)  # the same number again: asked afresh, 否
    assert find(w, "smsConsentToggle").property("text").endswith("否")
    tap(w, "applyPhone")
    tap(w, "padKeyclear")
    tap(w, "submitButton")
    [case] = recent_cases(kiosk.store)
    assert not case.sms_consent and case.applicant.phone == ""
    [op] = kiosk.store.pending_ops()
    assert op.payload["sms_consent"] is False


def test_a_wrong_number_is_refused_in_plain_words_and_nothing_is_saved(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    _open_apply(kiosk)
    tap(w, "readCardButton")
    _type_phone(kiosk, MOBILE[:-1])  # a digit short
    tap(w, "smsConsentToggle")
    tap(w, "submitButton")
    assert kiosk.nav.page == "apply"
    assert exists(w, "applyError")
    assert "手机号码不对" in kiosk.apply.error and "11位" in kiosk.apply.error
    assert recent_cases(kiosk.store) == [] and kiosk.store.pending_ops() == []
    _type_phone(kiosk, MOBILE[-1])  # put right
    tap(w, "submitButton")
    [case] = recent_cases(kiosk.store)
    assert case.sms_consent and case.applicant.phone == MOBILE


def test_a_landline_is_taken_without_the_question(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    _open_apply(kiosk)
    tap(w, "readCardButton")
    _type_phone(kiosk, "05932345678")
    assert not exists(w, "smsConsentToggle")  # a landline takes no text message
    tap(w, "submitButton")
    [case] = recent_cases(kiosk.store)
    assert case.applicant.phone == "05932345678" and not case.sms_consent


COMBOS = [(o, large) for o in sorted(SIZES) for large in (False, True)]
IDS = [f"{o}-{'large' if large else 'normal'}" for o in sorted(SIZES) for large in ("", "x")]


@pytest.mark.parametrize(("orientation", "large"), COMBOS, ids=[i.replace("-x", "") for i in IDS])
def test_the_question_keeps_the_layout_rules_and_is_in_view(
    kiosk: KioskApp, orientation: str, large: bool
) -> None:
    """With the pad up and with it down, the field, the question and its explanation are in
    view without scrolling, above the pinned hints; every text reads at 7:1, inside its box."""
    w = kiosk.window  # type: ignore[attr-defined]
    w.resize(*SIZES[orientation])
    if large:
        tap(w, "largeTextToggle")
    tag = f"{orientation}{'-large' if large else ''}"
    _open_apply(kiosk)
    tap(w, "readCardButton")
    _type_phone(kiosk, MOBILE)
    settle(w)
    _in_view(kiosk, ("applyPhone", "smsConsentToggle", "smsConsentHint"))
    _grab(kiosk, f"apply-pad-{tag}")
    tap(w, "smsConsentToggle")  # a button takes the focus: the pad goes down
    settle(w)
    assert not number_pad_shown(w)
    _in_view(kiosk, ("applyPhone", "smsConsentToggle", "smsConsentHint", "checkHint"))
    problems = check_screen(w, f"[{tag}] apply with 短信提醒")
    assert not problems, "\n".join(map(str, problems))
    _grab(kiosk, f"apply-consent-{tag}")
    tap(w, "submitButton")  # the receipt page says where the texts go, masked
    assert "138****8000" in text_of(w, "receiptSms")
    problems = check_screen(w, f"[{tag}] receipt with 短信提醒")
    assert not problems, "\n".join(map(str, problems))
    _grab(kiosk, f"receipt-{tag}")


def _in_view(kiosk: KioskApp, names: tuple[str, ...]) -> None:
    from PySide6.QtCore import QRectF

    w = kiosk.window  # type: ignore[attr-defined]
    pane = find(w, "applySteps")
    flick = next(c for c in pane.childItems() if c.inherits("QQuickFlickable"))
    view = flick.mapRectToScene(QRectF(0, 0, flick.width(), flick.height()))
    hints = find(w, "applyHints", shown_only=False)
    hints_top = hints.mapRectToScene(QRectF(0, 0, hints.width(), hints.height())).top()
    window = QRectF(0, 0, w.width(), w.height())
    for name in names:
        item = find(w, name)
        rect = item.mapRectToScene(QRectF(0, 0, item.width(), item.height()))
        assert window.contains(rect), (name, rect)
        if name != "checkHint":  # the steps' items: whole in the pane, above the hints
            assert view.adjusted(-1, -1, 1, 1).contains(rect), (name, rect, view)
            assert rect.bottom() <= hints_top + 1, (name, rect, hints_top)


def test_the_agent_records_the_villagers_yes_when_filing_for_them(kiosk: KioskApp) -> None:
    """全程代办: the agent types the villager's mobile and, when the villager says yes, taps it."""
    from drivers.idcard.simulator import DEMO_CARD
    from tests.gui.admin.conftest import put_card, seed_accounts, sign_in_agent
    from ui.admin.demo import AGENT_DEMO_CARD

    w = kiosk.window  # type: ignore[attr-defined]
    seed_accounts(kiosk)
    sign_in_agent(kiosk)
    tap(w, "openProxy")
    put_card(kiosk, DEMO_CARD)
    tap(w, "proxyReadVillager")
    assert not exists(w, "proxySmsConsent")  # no number, no question
    tap(w, "proxyPhone")
    for key in MOBILE[:-1]:
        tap(w, f"padKey{key}")
    assert not exists(w, "proxySmsConsent")  # not a whole mobile number yet
    tap(w, f"padKey{MOBILE[-1]}")
    assert find(w, "proxySmsConsent").property("text").endswith("否")
    tap(w, "proxySmsConsent")
    assert find(w, "proxySmsConsent").property("text").endswith("是")
    tap(w, "proxyPhone")  # the number changed: the yes was for the one before
    tap(w, "padKeyback")
    assert not exists(w, "proxySmsConsent")
    tap(w, f"padKey{MOBILE[-1]}")
    assert find(w, "proxySmsConsent").property("text").endswith("否")
    tap(w, "proxySmsConsent")
    put_card(kiosk, AGENT_DEMO_CARD)
    tap(w, "proxyReadAgent")
    tap(w, "proxyCapture")
    item = next(i for i in kiosk.catalog.items if i.kind == "promised")
    tap(w, f"proxyItem_{item.code}")
    tap(w, "proxySubmit")
    [case] = recent_cases(kiosk.store)
    assert case.sms_consent and case.applicant.phone == MOBILE
    [op] = [o for o in kiosk.store.pending_ops() if o.kind == "case.submit"]
    assert op.payload["sms_consent"] is True
