"""The hub behind the county's web server (HTTPS terminated by nginx / Caddy):
`XIANGLI_HUB_BEHIND_PROXY`, `XIANGLI_HUB_ORIGINS`, `XIANGLI_HUB_ALLOWED_HOSTS`.

A real hub subprocess; the "proxy" is this test sending the headers a proxy would send.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.hub.helpers import STAFF_PASSWORD, STAFF_USER, Hub, run_hub

pytestmark = pytest.mark.hub

PUBLIC = "zwfw.example.cn"
ORIGIN = f"https://{PUBLIC}"
PROXIED = {"Host": PUBLIC, "X-Forwarded-Proto": "https"}


@pytest.fixture(scope="module")
def proxied_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    env = {
        "XIANGLI_HUB_BEHIND_PROXY": "1",
        "XIANGLI_HUB_ORIGINS": f" {ORIGIN} , https://zwfw2.example.cn,",
        "XIANGLI_HUB_ALLOWED_HOSTS": f"{PUBLIC}, 127.0.0.1",
    }
    with run_hub("sqlite", tmp_path_factory.mktemp("hub-proxy"), None, env) as hub:
        yield hub


def login(hub: Hub, origin: str, headers: dict[str, str]) -> tuple[requests.Session, int]:
    session = requests.Session()
    page = session.get(hub.url + "/admin/login/", headers=headers, timeout=10)
    _send_secure_cookies(session)
    assert page.status_code == 200, page.text[:500]
    answer = session.post(
        hub.url + "/admin/login/?next=/admin/",
        data={
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
            "username": STAFF_USER,
            "password": STAFF_PASSWORD,
            "next": "/admin/",
        },
        headers={**headers, "Origin": origin, "Referer": origin + "/admin/login/"},
        allow_redirects=False,
        timeout=10,
    )
    _send_secure_cookies(session)
    return session, answer.status_code


def _send_secure_cookies(session: requests.Session) -> None:
    """The browser talks https to the proxy, so it sends the hub's Secure cookies back; this
    test is the proxy too, on plain http to the hub: send them anyway."""
    for cookie in session.cookies:
        cookie.secure = False


def test_settings_come_from_the_environment(proxied_hub: Hub) -> None:
    out = proxied_hub.python(
        """
        import json
        from django.conf import settings
        print(json.dumps([settings.SECURE_PROXY_SSL_HEADER, settings.CSRF_TRUSTED_ORIGINS,
                          settings.ALLOWED_HOSTS]))
        """
    )
    header, origins, hosts = json.loads(out)
    assert header == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert origins == [ORIGIN, "https://zwfw2.example.cn"]
    assert hosts == [PUBLIC, "127.0.0.1"]


def test_staff_sign_in_through_the_https_proxy(proxied_hub: Hub) -> None:
    session, status = login(proxied_hub, ORIGIN, PROXIED)
    assert status == 302
    # Django now knows the request was HTTPS: absolute URLs (the enrolment QR's) say https.
    page = session.post(
        proxied_hub.url + "/admin/county/terminal/enrol-code/",
        data={"csrfmiddlewaretoken": session.cookies["csrftoken"], "name": "青山村"},
        headers={**PROXIED, "Origin": ORIGIN, "Referer": ORIGIN + "/admin/"},
        timeout=10,
    )
    assert page.status_code == 200
    assert f"<code>{ORIGIN}</code>" in page.text
    # A form posted from any other origin is refused.
    assert login(proxied_hub, "https://evil.example.cn", PROXIED)[1] == 403
    # So is a host that is not ours.
    other = requests.get(
        proxied_hub.url + "/api/v1/hello", headers={"Host": "evil.example.cn"}, timeout=10
    )
    assert other.status_code == 400


def test_without_the_settings_the_proxy_origin_is_refused(hub: Hub) -> None:
    """Default settings (any host, no proxy trust, no extra origins): the admin posted from
    the public https address fails the CSRF origin check, which is why they exist."""
    assert login(hub, ORIGIN, PROXIED)[1] == 403
    assert login(hub, hub.url, {})[1] == 302  # the plain loopback admin is unchanged


def test_docs_describe_the_settings() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "sync-protocol.md").read_text("utf-8")
    running = doc.split("## Running the hub", 1)[1].split("\n## ", 1)[0]
    for name in ("XIANGLI_HUB_BEHIND_PROXY", "XIANGLI_HUB_ORIGINS", "XIANGLI_HUB_ALLOWED_HOSTS"):
        assert name in running
