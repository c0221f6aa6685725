"""The hub's long poll (`pull?wait=N`, sync.hub.longpoll) under the server it runs on (uvicorn,
ASGI): a waiting pull is answered with the change written for its kiosk by another process, and
waiting pulls hold no thread each (issue 15: "the long-poll no longer holds a thread per waiting
kiosk") and keep nobody else waiting. Also the server's own cap on a request's body, which
waitress had and uvicorn does not.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.hub.conftest import HUB_TEST_ENV
from tests.hub.helpers import Hub, Kiosk
from ui.hubprocess import HubProcess

pytestmark = pytest.mark.hub

WAITING = 40
CAP = 1024 * 1024


def _long_poll(kiosk: Kiosk, cursor: str, wait: int, out: list[Any]) -> None:
    answer = requests.get(
        kiosk.hub.url + "/api/v1/pull",
        params={"cursor": cursor, "wait": wait},
        headers=kiosk.headers,
        timeout=wait + 30,
    )
    out.append(answer)


def test_a_waiting_pull_is_answered_with_the_change_written_for_its_kiosk(
    hub: Hub, kiosk: Kiosk
) -> None:
    case = kiosk.case_op()
    assert kiosk.push(case)[0]["status"] == "applied"
    _, cursor = kiosk.pull_all()
    out: list[Any] = []
    waiter = threading.Thread(target=_long_poll, args=(kiosk, cursor, 20, out))
    waiter.start()
    time.sleep(1.5)  # the pull is waiting (nothing new for it)
    assert not out
    # Staff accept the case in another process (the shell command): the feed's only writer.
    hub.cli("case-action", case["payload"]["case_no"], "accept")
    waiter.join(40)
    assert out and out[0].status_code == 200, out
    changes = out[0].json()["changes"]
    # Within the wait, not at its end: at the end the hub answers with what it has, nothing.
    assert [(c["record_id"], c["payload"]["status"]) for c in changes] == [
        (case["record_id"], "accepted")
    ]


def test_a_pull_with_nothing_new_waits_and_answers_empty_with_the_same_cursor(
    kiosk: Kiosk,
) -> None:
    _, cursor = kiosk.pull_all()
    out: list[Any] = []
    _long_poll(kiosk, cursor, 1, out)
    assert out[0].status_code == 200
    assert out[0].json() == {"changes": [], "cursor": cursor, "more": False}


def test_a_bad_wait_is_refused(kiosk: Kiosk) -> None:
    answer = requests.get(
        kiosk.hub.url + "/api/v1/pull",
        params={"cursor": "", "wait": "soon"},
        headers=kiosk.headers,
        timeout=10,
    )
    assert answer.status_code == 400
    assert answer.json() == {"error": "bad wait"}


@pytest.fixture(scope="module")
def lone_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubProcess]:
    env = {
        **HUB_TEST_ENV,
        "XIANGLI_HUB_MAX_REQUEST": str(CAP),
        "XIANGLI_HUB_ALLOWED_HOSTS": "127.0.0.1",
    }
    process = HubProcess(Path(tmp_path_factory.mktemp("lone-hub")), env=env, threads=4)
    process.start()
    try:
        yield process
    finally:
        process.stop()


def _threads(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/task"))


def test_waiting_pulls_hold_no_thread_each_and_keep_nobody_waiting(lone_hub: HubProcess) -> None:
    hub = Hub(backend="sqlite", url=lone_hub.url, env=lone_hub.env, log=lone_hub.log)
    assert lone_hub.proc is not None
    kiosks = [Kiosk(hub) for _ in range(WAITING)]
    cursors = [k.pull()["cursor"] for k in kiosks]
    before = _threads(lone_hub.proc.pid)
    out: list[Any] = []
    waiters = [
        threading.Thread(target=_long_poll, args=(k, c, 20, out), daemon=True)
        for k, c in zip(kiosks, cursors, strict=True)
    ]
    for waiter in waiters:
        waiter.start()
    time.sleep(3)  # every one of them is in the hub, waiting
    assert not out
    during = _threads(lone_hub.proc.pid)
    # A thread per waiting pull would be 40 more; the hub's few database threads are all.
    assert during - before < WAITING // 4, (before, during)
    # Nobody else waits for them: the hub answers another kiosk and a member of staff at once
    # (a hub with a thread per waiting pull and a pool of them would not, until they time out).
    other = Kiosk(hub)
    assert other.pull()["changes"] == []
    assert requests.get(hub.url + "/admin/login/", timeout=10).status_code == 200
    assert not out
    for waiter in waiters:
        waiter.join(40)
    assert len(out) == WAITING and {a.status_code for a in out} == {200}


def test_a_body_declared_over_the_cap_is_refused_before_it_is_read(lone_hub: HubProcess) -> None:
    with socket.create_connection(("127.0.0.1", lone_hub.port), timeout=10) as conn:
        conn.sendall(
            b"POST /api/v1/push HTTP/1.1\r\nHost: hub\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {CAP + 1}\r\n\r\n".encode()
        )
        # Nothing of the body is sent: a hub that waited for it would not answer (timeout).
        chunks = []
        while chunk := conn.recv(4096):  # the hub closes the connection after its answer
            chunks.append(chunk)
        answer = b"".join(chunks).decode("latin-1")
    assert answer.startswith("HTTP/1.1 413"), answer
    assert f'"max_bytes": {CAP}' in answer
    # At the cap itself the request goes on to the view (which has its own, smaller caps).
    ok = requests.post(lone_hub.url + "/api/v1/push", data=b"x" * CAP, timeout=30)
    assert (ok.status_code, ok.json()["error"]) == (400, "missing X-Xiangli-Terminal header")


def test_a_pull_is_refused_under_a_host_name_the_hub_does_not_answer_to(
    lone_hub: HubProcess,
) -> None:
    """Pulls skip Django's middlewares (sync.hub.asgi.serve_pull), not its host check."""
    url = lone_hub.url + "/api/v1/pull"
    kiosk = {"X-Xiangli-Terminal": "T-HOST"}
    assert requests.get(url, headers=kiosk, timeout=10).status_code == 200
    wrong = requests.get(url, headers={**kiosk, "Host": "hub.evil.example"}, timeout=10)
    assert wrong.status_code == 400
