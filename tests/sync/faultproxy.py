"""A fault-injecting HTTP proxy on loopback, between a kiosk's sync client and the hub.

Every request the kiosk makes is read whole, then handled by the next fault in `faults` (a
queue; empty means "pass"):

    pass         forward, answer with the hub's answer
    cut_before   close the connection before the hub sees the request (nothing committed)
    cut_after    forward, let the hub answer (it has committed), then close without answering
    truncate     forward, send half of the hub's answer, close
    duplicate    forward, send the hub's answer twice
    replay       forward the request twice (a network that repeats it); answer with the first
    http500 / http503 / http429   answer that status (503 and 429 with `Retry-After: 1`)
    portal       a captive portal's 200 text/html login page
    delay:S      wait S seconds before forwarding (a client time-out test)

`rate_bps` and `rtt_s` throttle both directions (a 2G link: 50_000 bit/s, 0.6 s); `drop_every_s`
cuts whatever connection is open at that interval. `bytes_up` / `bytes_down` count what crossed
the kiosk side of the proxy (the wire); `captured` keeps raw requests for `send_raw` (replays).
With `tls` (an `ssl.SSLContext`), the kiosk side speaks TLS (a county's own CA in tests).

One thread per connection; one request per connection (upstream is asked `Connection: close`).
Loopback only.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
import time
from collections import deque
from dataclasses import dataclass, field


def _portal() -> bytes:
    body = "<html><body>村村通 Wi-Fi 登录</body></html>".encode()
    head = (
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode()
    return head + body


def _status(code: int, reason: str, retry_after: bool) -> bytes:
    body = f"<html><body>{code} {reason}</body></html>".encode()
    extra = "Retry-After: 1\r\n" if retry_after else ""
    head = (
        f"HTTP/1.1 {code} {reason}\r\nContent-Type: text/html\r\n{extra}"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode()
    return head + body


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    fault: str
    upstream_status: int | None = None


@dataclass
class FaultProxy:
    upstream_port: int
    upstream_host: str = "127.0.0.1"
    rate_bps: float | None = None  # bits per second, each direction
    rtt_s: float = 0.0
    drop_every_s: float | None = None
    tls: ssl.SSLContext | None = None
    faults: deque[str] = field(default_factory=deque)
    seen: list[Seen] = field(default_factory=list)
    captured: list[bytes] = field(default_factory=list)
    bytes_up: int = 0
    bytes_down: int = 0
    drops: int = 0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self._stop = threading.Event()
        self._open: set[socket.socket] = set()
        self._threads: list[threading.Thread] = []

    # -- control -----------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    def start(self) -> FaultProxy:
        self._spawn(self._accept_loop)
        if self.drop_every_s:
            self._spawn(self._dropper)
        return self

    def stop(self) -> None:
        self._stop.set()
        with contextlib.suppress(OSError):
            self._server.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
        with contextlib.suppress(OSError):
            self._server.close()
        with self._lock:
            for sock in list(self._open):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                with contextlib.suppress(OSError):
                    sock.close()
        for thread in self._threads:
            thread.join(5)

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def add(self, *faults: str) -> None:
        self.faults.extend(faults)

    def reset_counters(self) -> None:
        with self._lock:
            self.bytes_up = self.bytes_down = 0
            self.seen.clear()

    def send_raw(self, raw: bytes) -> tuple[int, bytes]:
        """Send a captured request to the hub as is (a replay); return (status, body)."""
        answer = self._upstream(raw)
        head, _, body = answer.partition(b"\r\n\r\n")
        return int(head.split(b" ", 2)[1]), body

    # -- plumbing ----------------------------------------------------------------------------
    def _spawn(self, target: object, *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)  # type: ignore[arg-type]
        thread.start()
        self._threads = [t for t in self._threads if t.is_alive()] + [thread]

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            self._spawn(self._serve, client)

    def _dropper(self) -> None:
        assert self.drop_every_s
        while not self._stop.wait(self.drop_every_s):
            with self._lock:
                victims = list(self._open)
                self.drops += 1
            for sock in victims:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                    sock.close()

    def _track(self, sock: socket.socket, on: bool) -> None:
        with self._lock:
            (self._open.add if on else self._open.discard)(sock)

    def _pace(self, nbytes: int) -> None:
        if self.rate_bps:
            time.sleep(nbytes * 8 / self.rate_bps)

    def _send(self, sock: socket.socket, data: bytes) -> None:
        if not self.rate_bps:
            sock.sendall(data)
        else:
            step = max(256, int(self.rate_bps / 8 / 20))  # ~50 ms slices
            for i in range(0, len(data), step):
                piece = data[i : i + step]
                self._pace(len(piece))
                sock.sendall(piece)
        with self._lock:
            self.bytes_down += len(data)

    @staticmethod
    def _read_request(sock: socket.socket) -> bytes | None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                return None
            data += chunk
        head, _, rest = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        while len(rest) < length:
            chunk = sock.recv(65536)
            if not chunk:
                return None
            rest += chunk
        return head + b"\r\n\r\n" + rest[:length]

    def _upstream(self, raw: bytes) -> bytes:
        head, _, body = raw.partition(b"\r\n\r\n")
        lines = [
            line for line in head.split(b"\r\n") if not line.lower().startswith(b"connection:")
        ]
        request = b"\r\n".join(lines) + b"\r\nConnection: close\r\n\r\n" + body
        with socket.create_connection((self.upstream_host, self.upstream_port), timeout=60) as up:
            up.sendall(request)
            chunks = []
            while True:
                chunk = up.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        answer = b"".join(chunks)
        if not answer:
            raise ConnectionError("upstream closed without answering")
        return answer

    def _serve(self, client: socket.socket) -> None:
        self._track(client, True)
        try:
            if self.tls is not None:
                client = self.tls.wrap_socket(client, server_side=True)
                self._track(client, True)
            client.settimeout(120)
            raw = self._read_request(client)
            if raw is None:
                return
            if self.rate_bps:
                self._pace(len(raw))
            if self.rtt_s:
                time.sleep(self.rtt_s / 2)
            with self._lock:
                self.bytes_up += len(raw)
                self.captured.append(raw)
                fault = self.faults.popleft() if self.faults else "pass"
            self._handle(client, raw, fault)
        except (OSError, ConnectionError, ssl.SSLError):
            pass
        finally:
            self._track(client, False)
            with contextlib.suppress(OSError):
                client.close()

    def _record(self, raw: bytes, fault: str, status: int | None) -> None:
        head = raw.partition(b"\r\n\r\n")[0].decode("latin-1").split("\r\n")
        method, path, _ = (head[0].split(" ") + ["", ""])[:3]
        headers = {}
        for line in head[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        with self._lock:
            self.seen.append(Seen(method, path, headers, fault, status))

    def _handle(self, client: socket.socket, raw: bytes, fault: str) -> None:
        canned = {
            "http500": _status(500, "Internal Server Error", False),
            "http503": _status(503, "Service Unavailable", True),
            "http429": _status(429, "Too Many Requests", True),
            "portal": _portal(),
        }
        if fault == "cut_before":
            self._record(raw, fault, None)
            return
        if fault in canned:
            self._record(raw, fault, None)
            self._send(client, canned[fault])
            return
        if fault.startswith("delay:"):
            time.sleep(float(fault.split(":", 1)[1]))
        answer = self._upstream(raw)
        status = int(answer.split(b" ", 2)[1])
        self._record(raw, fault, status)
        if fault == "replay":
            self._upstream(raw)
        if self.rtt_s:
            time.sleep(self.rtt_s / 2)
        if fault == "cut_after":
            return
        if fault == "truncate":
            self._send(client, answer[: max(1, len(answer) // 2)])
            return
        self._send(client, answer)
        if fault == "duplicate":
            self._send(client, answer)
