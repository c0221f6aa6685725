"""The hub's staff sign-in and files (issue 13): django-axes locks a username at an address out
after 5 wrong passwords; the session and CSRF cookies are Secure when the request came through
the HTTPS proxy; whatever the hub writes in its data folder is not world-readable, and the
packaged unit and maintainer scripts say so too.

Real hub subprocesses on SQLite (the lockout and cookies are the same on PostgreSQL: Django's
and django-axes' own tables).
"""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.hub.helpers import REPO, STAFF_PASSWORD, STAFF_USER, Hub, run_hub

pytestmark = pytest.mark.hub

PUBLIC = "zwfw.example.cn"
PROXIED = {"Host": PUBLIC, "X-Forwarded-Proto": "https"}
ORIGIN = f"https://{PUBLIC}"


@pytest.fixture(scope="module")
def plain_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    """A hub started with a permissive umask (022), into a data folder it creates itself."""
    old = os.umask(0o022)
    try:
        data = tmp_path_factory.mktemp("hub-files") / "data"
        with run_hub("sqlite", data, None, {"XIANGLI_HUB_ALLOW_UNSIGNED": "1"}) as hub:
            os.umask(old)
            yield hub
    finally:
        os.umask(old)


@pytest.fixture(scope="module")
def proxied_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    env = {
        "XIANGLI_HUB_BEHIND_PROXY": "1",
        "XIANGLI_HUB_ORIGINS": ORIGIN,
        "XIANGLI_HUB_ALLOWED_HOSTS": f"{PUBLIC},127.0.0.1",
    }
    with run_hub("sqlite", tmp_path_factory.mktemp("hub-proxy-cookies"), None, env) as hub:
        yield hub


def sign_in(
    hub: Hub, username: str, password: str, headers: dict[str, str] | None = None
) -> requests.Response:
    """One sign-in attempt from a fresh browser, sending the CSRF cookie by hand (a Secure
    cookie is not sent over the test's plain http to the hub, as nginx would)."""
    headers = headers or {}
    page = requests.get(hub.url + "/admin/login/", headers=headers, timeout=10)
    token = page.cookies["csrftoken"]
    origin = ORIGIN if headers else hub.url
    return requests.post(
        hub.url + "/admin/login/?next=/admin/",
        data={
            "csrfmiddlewaretoken": token,
            "username": username,
            "password": password,
            "next": "/admin/",
        },
        headers={
            **headers,
            "Cookie": f"csrftoken={token}",
            "Origin": origin,
            "Referer": origin + "/admin/login/",
        },
        allow_redirects=False,
        timeout=10,
    )


def test_five_wrong_passwords_lock_the_username_at_that_address_out(plain_hub: Hub) -> None:
    plain_hub.cli("createstaff", "clerk", "--password", "clerk-pw-2026!")
    plain_hub.cli("createstaff", "other-clerk", "--password", "clerk-pw-2026!")
    for _ in range(4):
        assert sign_in(plain_hub, "clerk", "wrong-guess").status_code == 200  # the form again
    # The right password after 4 failures still works, and resets the count.
    assert sign_in(plain_hub, "clerk", "clerk-pw-2026!").status_code == 302
    for _ in range(5):
        sign_in(plain_hub, "clerk", "wrong-guess")
    # Locked out now: even the right password is refused, with a page that says why.
    locked = sign_in(plain_hub, "clerk", "clerk-pw-2026!")
    assert locked.status_code == 429
    assert "登录已暂停" in locked.text and "连续 5 次密码错误" in locked.text
    # Another username from the same address is not locked (username and address together).
    assert sign_in(plain_hub, "other-clerk", "clerk-pw-2026!").status_code == 302
    # The attempts are in django-axes' table, which county administrators see in the admin.
    county = requests.Session()
    county.get(plain_hub.url + "/admin/login/", timeout=10)
    county.post(
        plain_hub.url + "/admin/login/",
        data={
            "csrfmiddlewaretoken": county.cookies["csrftoken"],
            "username": STAFF_USER,
            "password": STAFF_PASSWORD,
        },
        timeout=10,
    )
    attempts = county.get(plain_hub.url + "/admin/axes/accessattempt/", timeout=10)
    assert attempts.status_code == 200 and "clerk" in attempts.text
    # And a county administrator can lift it from a shell.
    plain_hub.cli("manage", "axes_reset_username", "clerk")
    assert sign_in(plain_hub, "clerk", "clerk-pw-2026!").status_code == 302


def secure_flags(response: requests.Response) -> dict[str, set[str]]:
    """Cookie name -> its attributes (lower case), from the Set-Cookie headers."""
    found: dict[str, set[str]] = {}
    for header in response.raw.headers.getlist("Set-Cookie"):
        name, _, rest = header.partition("=")
        found[name.strip()] = {part.strip().split("=")[0].lower() for part in rest.split(";")}
    return found


def test_cookies_are_secure_through_the_https_proxy(proxied_hub: Hub) -> None:
    page = requests.get(proxied_hub.url + "/admin/login/", headers=PROXIED, timeout=10)
    assert "secure" in secure_flags(page)["csrftoken"]
    answer = sign_in(proxied_hub, STAFF_USER, STAFF_PASSWORD, PROXIED)
    assert answer.status_code == 302
    session = secure_flags(answer)["sessionid"]
    assert {"secure", "httponly"} <= session
    assert "samesite" in session


def test_the_plain_demo_hub_keeps_plain_cookies(plain_hub: Hub) -> None:
    """Without the proxy (the demo on the village LAN, plain http) the cookies cannot be
    Secure, or no browser would send them back."""
    page = requests.get(plain_hub.url + "/admin/login/", timeout=10)
    assert "secure" not in secure_flags(page)["csrftoken"]


def test_files_the_hub_writes_are_not_world_readable(plain_hub: Hub, tmp_path: Path) -> None:
    # A hub started on a data folder that does not exist yet makes it 0750, whatever the
    # umask it was started with.
    fresh = tmp_path / "fresh" / "hub"
    old = os.umask(0o022)
    try:
        made = subprocess.run(
            [sys.executable, "-m", "sync.hub", "migrate"],
            env={**plain_hub.env, "XIANGLI_HUB_DATA": str(fresh)},
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        os.umask(old)
    assert made.returncode == 0, made.stderr
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o750
    assert (fresh / "hub.sqlite3").exists() and (fresh / "secret_key").exists()
    assert [str(p) for p in fresh.rglob("*") if stat.S_IMODE(p.stat().st_mode) & 0o007] == []
    data = Path(plain_hub.env["XIANGLI_HUB_DATA"])
    # A material photo stored as an upload from a kiosk is (the hub's own code, in a process
    # started with umask 022 like the hub above).
    photo = b"\xff\xd8\xff\xe0" + b"id-card" * 100
    sha = hashlib.sha256(photo).hexdigest()
    old = os.umask(0o022)
    try:
        plain_hub.python(
            f"""
            from django.utils import timezone
            from sync.hub import blobs
            from sync.hub.county.models import Case, Terminal
            t = Terminal.objects.create(id="T-FILES")
            now = timezone.now()
            Case.objects.create(id="C-FILES", case_no="NO-FILES", terminal=t, item_code="I",
                                item_name="事项", kind="promised", applicant_name="王秀英",
                                applicant_id_number="35010219900101123X", submitted_at=now,
                                updated_at=now, materials=[])
            photo = {photo!r}
            state = blobs.put_chunk(t, "{sha}", "C-FILES", 0, len(photo), photo)
            assert state.complete, state
            """
        )
    finally:
        os.umask(old)
    # Everything below the running hub's folder (the database, its WAL, the secret key, the
    # photo and the folders it sits in), whatever made the folder itself.
    written = list(data.rglob("*"))
    assert any(p.name == sha for p in written), "the photo was not stored"
    assert any(p.name == "hub.sqlite3" for p in written)
    assert any(p.name == "secret_key" for p in written)
    loose = [str(p) for p in written if stat.S_IMODE(p.stat().st_mode) & 0o007]
    assert loose == []


def test_the_packaged_unit_and_scripts_keep_the_data_folder_private() -> None:
    hub = REPO / "packaging" / "hub"
    unit = (hub / "files/lib/systemd/system/xiangli-hub.service").read_text("utf-8")
    assert "\nUMask=0027\n" in unit
    postinst = (hub / "postinst").read_text("utf-8")
    assert 'chmod 0750 "$DATA"' in postinst
    assert 'ensure_dir "$DATA" "$USER_NAME:$USER_NAME" 0750' in postinst
