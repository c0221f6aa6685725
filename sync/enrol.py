"""Enrolling this kiosk with the county hub (the technician's maintenance menu calls this).

County staff make a one-time code (admin: 自助终端 → 生成登记码, or `xiangli-hub enrol-code`);
the technician types it or scans its QR (`XLE1|<hub url>|<code>`). `enrol` makes a fresh
Ed25519 key pair here, sends only the public key with the code, and keeps the identity the hub
answers (terminal id and the 4-character code for case numbers) in the kiosk's database.

Blocking network call: run it off the GUI thread.
"""

from __future__ import annotations

from typing import Any

import requests

from kiosk.clock import Clock
from kiosk.ids import new_id
from kiosk.store import Store
from sync import identity as ident
from sync.protocol import API_BASE


class EnrolError(Exception):
    """Enrolment failed; `message_zh` is for the technician's screen."""

    def __init__(self, kind: str, message_zh: str) -> None:
        super().__init__(f"{kind}: {message_zh}")
        self.kind = kind
        self.message_zh = message_zh


def parse_scanned(text: str) -> tuple[str, str]:
    """A scanned enrolment QR `XLE1|url|code` -> (url, code); plain text -> ("", text)."""
    parts = text.strip().split("|")
    if len(parts) == 3 and parts[0] == "XLE1":
        return parts[1], parts[2]
    return "", text.strip()


def enrol(
    store: Store,
    hub_url: str,
    code: str,
    *,
    name: str = "",
    verify: bool | str = True,
    session: requests.Session | None = None,
    timeout: tuple[float, float] = (5.0, 30.0),
    clock: Clock | None = None,
) -> ident.Identity:
    """Register this kiosk with `code`; return (and keep) its identity. Raises EnrolError."""
    scanned_url, code = parse_scanned(code)
    hub_url = (hub_url or scanned_url).rstrip("/")
    if not hub_url:
        raise EnrolError("no_hub", "请填写县级平台地址")
    terminal_id = store.get_value("terminal.id") or new_id()
    key = ident.new_private_key()
    http = session or requests.Session()
    try:
        resp = http.post(
            hub_url + API_BASE + "enrol",
            json={
                "code": code,
                "terminal_id": terminal_id,
                "public_key": ident.public_key_b64(key),
                "name": name,
            },
            timeout=timeout,
            verify=verify,
        )
    except requests.exceptions.SSLError as e:
        raise EnrolError("tls", "县级平台的证书无法验证，请检查地址或证书") from e
    except requests.RequestException as e:
        raise EnrolError("offline", "无法连接县级平台") from e
    try:
        body: Any = resp.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise EnrolError("not_hub", "网络返回的不是县级平台的应答（可能需要网页认证）")
    if resp.status_code != 200:
        raise EnrolError(str(body.get("error", "refused")), str(body.get("message", "登记失败")))
    identity = ident.Identity(
        terminal_id=str(body["terminal_id"]),
        terminal_code=str(body["terminal_code"]),
        name=str(body.get("name") or name),
        hub_url=hub_url,
        enrolled_at=(clock or Clock()).now_iso(),
        private_key=key,
    )
    ident.save(store, identity)
    if secret := str(body.get("county_secret") or ""):
        # The county's secret for staff ID-number hashes and USB backups: a 0600 file beside
        # the database, never in it (kiosk.accounts.save_county_secret, docs/SECURITY.md).
        from kiosk.accounts import save_county_secret

        save_county_secret(store, bytes.fromhex(secret))
    return identity
