"""Staff accounts (代办员 / 技术员) made in the county admin reach the kiosks that should have them,
hold only hashes, and let the staff member sign in at a real kiosk store; on SQLite and
PostgreSQL.

The hub runs in a subprocess (see conftest.py); the kiosk side is the production code:
`kiosk.county.apply_changes` into a `kiosk.store.Store`, then `kiosk.accounts.sign_in`.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
import requests

from kiosk import accounts
from kiosk.clock import Clock
from kiosk.county import CHANGE_KINDS as KIOSK_CHANGE_KINDS
from kiosk.county import apply_changes
from kiosk.store import Store
from sync import protocol
from tests.hub.helpers import Hub, Kiosk, Staff

pytestmark = pytest.mark.hub


@pytest.fixture(scope="module")
def hub(own_hub: Hub) -> Hub:
    """This module's own hub: what it publishes county-wide must not reach other modules."""
    return own_hub


AGENT_ID_NUMBER = "11010519491231002x"  # valid (check digit X), typed in lower case
AGENT_PIN = "246810"
TECH_PIN = "135790"
ADD = "/admin/county/staffaccount/add/"
LIST = "/admin/county/staffaccount/"


def form(staff: Staff, path: str, **fields: Any) -> requests.Response:
    data = {"csrfmiddlewaretoken": staff.session.cookies["csrftoken"], "_save": "保存", **fields}
    return staff.session.post(staff.hub.url + path, data=data, timeout=30)


def add_account(staff: Staff, **fields: Any) -> requests.Response:
    base = {"role": "agent", "name": "", "terminal": "", "stand_in_for": "", "active": "on"}
    return form(staff, ADD, **{**base, **fields})


def account_id(hub: Hub, name: str) -> str:
    out = hub.python(
        f"""
        from sync.hub.county.models import StaffAccount
        print(StaffAccount.objects.get(name={name!r}).id)
        """
    )
    return out.strip()


def account_changes(changes: list[dict[str, Any]], ids: set[str]) -> list[tuple[str, str]]:
    return [(c["kind"], c["record_id"]) for c in changes if c["record_id"] in ids]


class KioskStore:
    """A real kiosk store that pulls through the hub and applies what it gets."""

    def __init__(self, kiosk: Kiosk, path: Path) -> None:
        self.kiosk = kiosk
        self.store = Store(path)
        self.cursor: str | None = None
        self.clock = Clock()

    def sync(self) -> list[dict[str, Any]]:
        changes, self.cursor = self.kiosk.pull_all(self.cursor)
        applied = apply_changes(self.store, changes, self.cursor)
        mine = [c for c in changes if c["kind"].startswith("account.")]
        # (a disable for an account this kiosk never had is skipped: not this test's concern)
        problems = [
            p for p in applied.problems if p.startswith("account.") and "unknown account" not in p
        ]
        assert not problems, problems
        return mine

    def sign_in(
        self, pin: str, id_number: str | None = None, account_id: str = ""
    ) -> accounts.SignIn:
        # The county secret the hub keys ID-number hashes with, as enrolment delivers it.
        secret = Path(self.kiosk.hub.env["XIANGLI_HUB_DATA"]) / "county.secret"
        accounts.save_county_secret(self.store, bytes.fromhex(secret.read_text().strip()))
        return accounts.sign_in(
            self.store, pin=pin, clock=self.clock, id_number=id_number, account_id=account_id
        )


def test_change_kinds_are_known_to_both_sides() -> None:
    for kind in ("account.upsert", "account.disable"):
        assert kind in protocol.CHANGE_KINDS
        assert kind in KIOSK_CHANGE_KINDS


def test_admin_form_refuses_bad_input(staff: Staff) -> None:
    page = staff.get(ADD)
    assert page.status_code == 200
    for label in ("工作人员账号", "身份证号", "再次输入 PIN", "全县所有终端"):
        assert label in page.text
    cases = [
        (dict(name="甲", id_number=AGENT_ID_NUMBER, pin="12345", pin_again="12345"), "6 位数字"),
        (dict(name="甲", id_number=AGENT_ID_NUMBER, pin="123456", pin_again="123456"), "过于简单"),
        (dict(name="甲", id_number=AGENT_ID_NUMBER, pin=AGENT_PIN, pin_again="246811"), "不一致"),
        (dict(name="甲", pin=AGENT_PIN, pin_again=AGENT_PIN), "代办员须填写本人身份证号"),
        (
            dict(name="甲", id_number="110105194912310021", pin=AGENT_PIN, pin_again=AGENT_PIN),
            "校验位",
        ),
    ]
    for fields, message in cases:
        answer = add_account(staff, **fields)
        assert answer.status_code == 200 and message in answer.text, (fields, message)
        assert not answer.url.endswith(LIST)


def test_accounts_reach_the_right_kiosks_and_sign_in(
    hub: Hub, staff: Staff, kiosk: Kiosk, tmp_path: Path
) -> None:
    other = Kiosk(hub)
    here = KioskStore(kiosk, tmp_path / "here.sqlite3")
    there = KioskStore(other, tmp_path / "there.sqlite3")
    here.sync(), there.sync()  # both terminals now known to the hub
    suffix = kiosk.terminal_id[-6:]
    agent_name, tech_name, far_name = f"李建国{suffix}", f"王技术{suffix}", f"张远{suffix}"

    answer = add_account(
        staff, name=agent_name, id_number=AGENT_ID_NUMBER, pin=AGENT_PIN, pin_again=AGENT_PIN
    )
    assert answer.url.endswith(LIST), answer.text[-2000:]
    answer = add_account(
        staff,
        role="technician",
        name=tech_name,
        terminal=kiosk.terminal_id,
        pin=TECH_PIN,
        pin_again=TECH_PIN,
    )
    assert answer.url.endswith(LIST), answer.text[-2000:]
    agent, tech = account_id(hub, agent_name), account_id(hub, tech_name)
    answer = add_account(
        staff,
        role="technician",
        name=far_name,
        terminal=other.terminal_id,
        stand_in_for=tech,
        pin="975310",
        pin_again="975310",
    )
    assert answer.url.endswith(LIST), answer.text[-2000:]
    far = account_id(hub, far_name)
    # The same ID number twice, county-wide: refused.
    dup = add_account(
        staff, name="重复", id_number=AGENT_ID_NUMBER, pin=AGENT_PIN, pin_again=AGENT_PIN
    )
    assert "同一身份证号已有启用的账号" in dup.text

    # Only hashes are kept and sent: neither the PIN nor the ID number in clear, anywhere.
    dump = hub.python(
        f"""
        import json
        from django.contrib.admin.models import LogEntry
        from sync.hub.county.models import Change, StaffAccount
        ids = [{agent!r}, {tech!r}, {far!r}]
        print(json.dumps({{
            "rows": list(StaffAccount.objects.filter(pk__in=ids).values()),
            "changes": list(Change.objects.filter(record_id__in=ids).values("kind", "payload")),
            "log": list(LogEntry.objects.values_list("change_message", flat=True)),
        }}, default=str, ensure_ascii=False))
        """
    )
    for secret in (AGENT_PIN, TECH_PIN, AGENT_ID_NUMBER.upper(), AGENT_ID_NUMBER):
        assert secret not in dump
    held = json.loads(dump)
    by_id = {row["id"]: row for row in held["rows"]}
    # Keyed by the county secret (domain.sealing), not a bare sha256 a loop could reverse.
    county = Path(kiosk.hub.env["XIANGLI_HUB_DATA"]) / "county.secret"
    secret = bytes.fromhex(county.read_text().strip())
    assert by_id[agent]["id_number_sha256"] == accounts.id_number_hash(AGENT_ID_NUMBER, secret)
    assert by_id[agent]["id_number_sha256"] != hashlib.sha256(AGENT_ID_NUMBER.encode()).hexdigest()
    assert by_id[tech]["id_number_sha256"] == ""
    assert all(re.match(r"^\$argon2id\$v=19\$", row["pin_hash"]) for row in held["rows"])
    upsert = next(c["payload"] for c in held["changes"] if c["payload"].get("id") == agent)
    assert set(upsert) == {
        "id",
        "role",
        "name",
        "id_number_sha256",
        "pin_hash",
        "active",
        "stand_in_for",
        "updated_at",
    }

    # Scope: the county-wide agent everywhere, each technician only at its own kiosk.
    ids = {agent, tech, far}
    got_here, got_there = here.sync(), there.sync()
    assert account_changes(got_here, ids) == [
        ("account.upsert", agent),
        ("account.upsert", tech),
    ]
    assert account_changes(got_there, ids) == [
        ("account.upsert", agent),
        ("account.upsert", far),
    ]
    assert accounts.get_account(there.store, far).stand_in_for == tech

    # Signing in at the kiosk: the agent with card + PIN, the technician with PIN alone.
    ok = here.sign_in(AGENT_PIN, AGENT_ID_NUMBER.upper())
    assert (ok.outcome, ok.account.id, ok.account.role) == ("ok", agent, "agent")
    assert here.sign_in("246811", AGENT_ID_NUMBER).outcome == "wrong_pin"
    ok = here.sign_in(TECH_PIN)
    assert (ok.outcome, ok.account.id) == ("ok", tech)
    assert there.sign_in(TECH_PIN).outcome == "wrong_pin"  # not that kiosk's technician
    assert there.sign_in("975310").outcome == "ok"

    # Deactivating (admin action) disables it at the kiosks that had it.
    answer = staff.session.post(
        hub.url + LIST,
        data={
            "csrfmiddlewaretoken": staff.session.cookies["csrftoken"],
            "action": "deactivate",
            "_selected_action": [agent],
            "index": "0",
        },
        timeout=30,
    )
    assert "已停用 1 条" in answer.text
    assert account_changes(here.sync(), ids) == [("account.disable", agent)]
    assert account_changes(there.sync(), ids) == [("account.disable", agent)]
    assert here.sign_in(AGENT_PIN, AGENT_ID_NUMBER).outcome == "unknown_card"

    # Changing the PIN (and nothing else) re-sends the account; the old PIN stops working.
    answer = form(
        staff,
        f"{LIST}{tech}/change/",
        role="technician",
        name=tech_name,
        terminal=kiosk.terminal_id,
        stand_in_for="",
        active="on",
        pin="864200",
        pin_again="864200",
    )
    assert answer.url.endswith(LIST), answer.text[-2000:]
    assert account_changes(here.sync(), ids) == [("account.upsert", tech)]
    assert here.sign_in(TECH_PIN).outcome == "wrong_pin"
    assert here.sign_in("864200").outcome == "ok"

    # Moving the technician to the other kiosk: this one is told, that one gets it.
    answer = form(
        staff,
        f"{LIST}{tech}/change/",
        role="technician",
        name=tech_name,
        terminal=other.terminal_id,
        stand_in_for="",
        active="on",
    )
    assert answer.url.endswith(LIST), answer.text[-2000:]
    assert account_changes(here.sync(), ids) == [("account.disable", tech)]
    assert account_changes(there.sync(), ids) == [("account.upsert", tech)]
    assert here.sign_in("864200").outcome == "no_accounts"
    # Two technicians there now: the PIN alone is tried on neither; named, on that one only.
    assert there.sign_in("864200").outcome == "card_needed"
    assert there.sign_in("864200", account_id=tech).outcome == "ok"

    # Deleting the technician: disabled there, and its stand-in is re-sent without it.
    answer = staff.session.post(
        hub.url + f"{LIST}{tech}/delete/",
        data={"csrfmiddlewaretoken": staff.session.cookies["csrftoken"], "post": "yes"},
        timeout=30,
    )
    assert answer.url.endswith(LIST), answer.text[-2000:]
    assert account_changes(there.sync(), ids) == [
        ("account.upsert", far),
        ("account.disable", tech),
    ]
    assert accounts.get_account(there.store, far).stand_in_for is None
    assert there.sign_in("864200").outcome == "wrong_pin"

    # A new epoch re-sends every account that was ever sent, inactive ones as inactive.
    hub.cli("new-epoch")
    fresh = KioskStore(other, tmp_path / "fresh.sqlite3")
    assert account_changes(fresh.sync(), ids) == [
        ("account.upsert", agent),
        ("account.upsert", far),
    ]
    assert fresh.sign_in("975310").outcome == "ok"
    assert fresh.sign_in(AGENT_PIN, AGENT_ID_NUMBER).outcome == "unknown_card"
