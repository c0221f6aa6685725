"""The port ratings are pushed through (`RatingsPort.push(batch) -> PushResult`), and its two
adapters: `HttpAdapter` (the provincial platform's HTTP interface) and `RecordingSimulator`
(acknowledges and records what it got, in a JSON-lines file: the demo and the tests).

Each record of a batch carries its idempotency key (`idempotencyKey`); the HTTP adapter sends one
request per record, the key also in the `Idempotency-Key` header, so a platform that has the
record already answers as if it were new. A record is acknowledged only by a 2xx answer whose
body is a JSON object saying so (`{"code": 0}` / `"0"` / `200` / `"200"`, or
`{"success": true}`); anything else (an HTML page from a gateway, a 500, a refusal) is an error
kept for the rating, which stays pending. Connection errors, time-outs, 5xx and 429 are retried
at once with exponential backoff; a record that still fails them ends the run (the platform is
down: the rest wait for the next run untried); a record refused outright (4xx, a JSON error)
does not stop the others. No record content, token or personal data is logged.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import requests

log = logging.getLogger("sync.hub.exchange")

Record = dict[str, str]


@dataclass(frozen=True)
class Outcome:
    """What became of one record: acknowledged or not, after how many requests, and why not."""

    key: str
    acknowledged: bool
    attempts: int
    error: str = ""


@dataclass
class PushResult:
    """The records the adapter tried (by key); the batch's other records were not tried."""

    outcomes: dict[str, Outcome] = field(default_factory=dict)


class RatingsPort(Protocol):
    def push(self, batch: Sequence[Record]) -> PushResult: ...


class _Retryable(Exception):
    pass


class _Refused(Exception):
    pass


_ACK_CODES = {0, 200, "0", "200"}


def _acknowledged(answer: requests.Response) -> None:
    """Raise unless `answer` acknowledges the record (messages Chinese, for staff)."""
    status = answer.status_code
    if status >= 500 or status == 429:
        raise _Retryable(f"省平台返回 HTTP {status}")
    if not 200 <= status < 300:
        raise _Refused(f"省平台拒收：HTTP {status}")
    try:
        body: Any = answer.json()
    except ValueError:
        kind = answer.headers.get("Content-Type", "").split(";")[0] or "未知类型"
        raise _Refused(f"省平台的答复不是 JSON（{kind}），可能是网关或登录页") from None
    if not isinstance(body, dict):
        raise _Refused("省平台的答复不是 JSON 对象")
    if body.get("success") is True or body.get("code") in _ACK_CODES:
        return
    message = body.get("msg") or body.get("message") or body.get("code") or "未说明原因"
    raise _Refused(f"省平台未确认：{str(message)[:200]}")


class HttpAdapter:
    """POSTs each record as JSON to `url` with `Authorization: Bearer <token>` and its
    `Idempotency-Key`; retries connection errors, time-outs, 5xx and 429 up to `attempts`
    requests, waiting `backoff`, 2×, 4× … seconds between them."""

    def __init__(
        self,
        url: str,
        token: str,
        *,
        attempts: int = 3,
        backoff: float = 2.0,
        timeout: float = 10.0,
        sleep: Callable[[float], None] = time.sleep,
        session: requests.Session | None = None,
    ) -> None:
        if not url:
            raise ValueError("省平台地址未设置（XIANGLI_HUB_HCP_URL）")
        self.url = url
        self.token = token
        self.attempts = max(1, attempts)
        self.backoff = backoff
        self.timeout = timeout
        self.sleep = sleep
        self.session = session or requests.Session()

    def _send(self, item: Record) -> None:
        headers = {"Idempotency-Key": item["idempotencyKey"]}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        try:
            answer = self.session.post(self.url, json=item, headers=headers, timeout=self.timeout)
        except requests.Timeout:
            raise _Retryable("连接省平台超时") from None
        except requests.RequestException as err:
            raise _Retryable(f"连接省平台失败（{type(err).__name__}）") from None
        _acknowledged(answer)

    def push(self, batch: Sequence[Record]) -> PushResult:
        result = PushResult()
        for item in batch:
            key = item["idempotencyKey"]
            tries, error, down = 0, "", False
            while tries < self.attempts:
                tries += 1
                try:
                    self._send(item)
                except _Retryable as err:
                    error, down = str(err), True
                    if tries < self.attempts:
                        self.sleep(self.backoff * 2 ** (tries - 1))
                    continue
                except _Refused as err:
                    error, down = str(err), False
                    break
                error, down = "", False
                break
            result.outcomes[key] = Outcome(key, not error, tries, error)
            if error:
                log.warning("好差评推送未成功（%s 次）：%s", tries, error)
            if down:
                break  # the platform does not answer: the rest wait for the next run
        return result


class RecordingSimulator:
    """Acknowledges every record and appends what it got (one JSON line per request: the time,
    the key, the record) to `path`; a key it has seen before is acknowledged again, as an
    idempotent platform would, and recorded as a repeat."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._seen: set[str] | None = None  # the keys in the file, read once

    def received(self) -> list[dict[str, Any]]:
        if not self.path.exists():
            return []
        lines = self.path.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]

    def push(self, batch: Sequence[Record]) -> PushResult:
        if self._seen is None:
            self._seen = {entry["key"] for entry in self.received()}
        seen = self._seen
        result = PushResult()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as out:
            for item in batch:
                key = item["idempotencyKey"]
                entry = {
                    "at": datetime.now(UTC).isoformat(),
                    "key": key,
                    "repeat": key in seen,
                    "record": item,
                }
                out.write(json.dumps(entry, ensure_ascii=False) + "\n")
                seen.add(key)
                result.outcomes[key] = Outcome(key, True, 1)
        return result
