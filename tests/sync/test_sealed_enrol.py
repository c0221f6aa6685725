"""Enrolment hands the kiosk the county secret (in the signed answer's TLS channel): the kiosk
keeps it in a 0600 file beside its database, never in it, and then computes exactly the keyed
ID-number hash the hub publishes for its staff."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from kiosk import accounts
from sync.enrol import enrol
from tests.sync.hubctl import HubProc
from tests.sync.kioskside import FakeKiosk

pytestmark = [pytest.mark.hub, pytest.mark.timeout(120)]

ID_NUMBER = "11010519491231002X"


def test_enrolment_delivers_the_county_secret_and_both_sides_hash_alike(
    hub: HubProc, kiosk: FakeKiosk
) -> None:
    assert accounts.county_secret(kiosk.store) is None
    enrol(kiosk.store, hub.url, hub.enrol_code("测试村"))
    secret = accounts.county_secret(kiosk.store)
    assert secret is not None and len(secret) == 32
    path = accounts.secret_path(kiosk.store)
    assert path is not None and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert secret not in Path(kiosk.store.path).read_bytes()
    hub_digest = hub.python(
        "import json\nfrom sync.hub.publish import id_number_sha256\n"
        f"print(json.dumps(id_number_sha256({ID_NUMBER!r})))"
    )
    assert accounts.card_hash(kiosk.store, ID_NUMBER.lower()) == hub_digest
