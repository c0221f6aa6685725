"""Sync benchmarks (figures printed; nothing asserted). Each sub-command starts its own hub.

    python -m bench.bench_sync drain [--ops 10000]                   loopback drain: ops/s, B/op
    python -m bench.bench_sync drain --ops 1000 --rate 50000 --rtt 0.6 --drop-every 60
                                                                     the same over a 2G link
    python -m bench.bench_sync photo [--size 1000000] [--rate 50000] [--drop-every 60]
                                                                     chunks lost per interruption
    python -m bench.bench_sync poll [--kiosks 1000] [--seconds 30] [--postgres]
                                    [--processes 1 2] [--rate 50]
                                                                     hub under polling kiosks:
        held (every kiosk waits in a long poll; changes for random kiosks are written by another
        process: pulls/s, commit-to-kiosk p50/p99, the hub's threads) and busy (connections
        pulling back to back: pulls/s, p50/p99), for each number of hub processes

The 2G link is the fault proxy's throttle (tests/sync/faultproxy.py): `--rate` bit/s each way,
`--rtt` seconds of round trip, `--drop-every` seconds between cuts of the open connection.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from kiosk.clock import Clock  # noqa: E402
from kiosk.commands import Terminal  # noqa: E402
from kiosk.ids import new_id  # noqa: E402
from kiosk.store import Store  # noqa: E402
from sync.blobs import queue_blob  # noqa: E402
from sync.client import SyncClient, SyncError  # noqa: E402
from sync.seed import seed_cases  # noqa: E402
from tests.sync.faultproxy import FaultProxy  # noqa: E402
from ui.hubprocess import HubProcess  # noqa: E402


def _hub(data_dir: Path, database_url: str | None = None) -> HubProcess:
    """A hub through the one harness; the benchmarks' kiosks push header-only (allowed
    explicitly: the hub refuses unsigned requests by default)."""
    hub = HubProcess(
        data_dir, database_url=database_url, env={"XIANGLI_HUB_ALLOW_UNSIGNED": "1"}, threads=8
    )
    hub.start()
    return hub


def _seed(store: Store, n: int) -> Terminal:
    terminal = Terminal(new_id(), "B" + new_id()[-3:].replace("I", "1").replace("O", "0"))
    day = datetime(2025, 3, 3, 2, tzinfo=UTC)
    done = 0
    while done < n:  # case numbers hold 9,999 a day per terminal: spread over days
        take = min(9000, n - done)
        seed_cases(store, take, terminal=terminal, clock=Clock(fixed=day), seed=done + 1)
        done += take
        day += timedelta(days=1)
    return terminal


def drain(args: argparse.Namespace) -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    hub = _hub(work / "hub")
    try:
        store = Store(work / "kiosk.sqlite3")
        t0 = time.perf_counter()
        terminal = _seed(store, args.ops)
        print(f"seeded {args.ops} ops in {time.perf_counter() - t0:.1f} s")
        with FaultProxy(
            hub.port, rate_bps=args.rate, rtt_s=args.rtt, drop_every_s=args.drop_every
        ) as proxy:
            client = SyncClient(
                store, proxy.url, terminal.id, batch=args.batch, timeout=(10.0, 120.0)
            )
            client.hello()
            proxy.reset_counters()
            t0 = time.perf_counter()
            failures = 0
            while store.pending_count():
                try:
                    client.push()
                except SyncError:
                    failures += 1
            elapsed = time.perf_counter() - t0
            requests = len(proxy.seen)
            wire = proxy.bytes_up + proxy.bytes_down
        print(f"drained {args.ops} ops in {elapsed:.2f} s: {args.ops / elapsed:.0f} ops/s")
        print(
            f"wire: {proxy.bytes_up} B up + {proxy.bytes_down} B down = "
            f"{wire / args.ops:.0f} B/op; {requests} requests, {failures} failed, "
            f"{proxy.drops} drops"
        )
        if args.rate:
            bound = wire * 8 / args.rate + requests * args.rtt
            print(
                f"bandwidth bound (bytes/rate + requests x rtt): {bound:.1f} s; "
                f"measured / bound = {elapsed / bound:.2f}"
            )
    finally:
        hub.stop()


def photo(args: argparse.Namespace) -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-photo-"))
    hub = _hub(work / "hub")
    try:
        store = Store(work / "kiosk.sqlite3")
        terminal = _seed(store, 1)
        SyncClient(store, hub.url, terminal.id).sync_once()
        case_id = store.db().execute("SELECT id FROM cases").fetchone()[0]
        data = os.urandom(args.size)
        path = work / "photo.jpg"
        path.write_bytes(data)
        queue_blob(store, case_id, hashlib.sha256(data).hexdigest(), path)
        with FaultProxy(hub.port, rate_bps=args.rate, drop_every_s=args.drop_every) as proxy:
            client = SyncClient(
                store, proxy.url, terminal.id, chunk_bytes=args.chunk, timeout=(10.0, 60.0)
            )
            t0 = time.perf_counter()
            rounds = 0
            while True:
                rounds += 1
                try:
                    if client.sync_once().blobs_uploaded:
                        break
                except SyncError:
                    continue
            elapsed = time.perf_counter() - t0
            puts = [s for s in proxy.seen if s.method == "PUT"]
            sent = sum(int(s.headers.get("content-length", 0)) for s in puts)
        lost = max(0, sent - args.size)
        drops = max(1, proxy.drops)
        print(
            f"photo {args.size} B in {args.chunk} B chunks at {args.rate} bit/s, a drop every "
            f"{args.drop_every} s: {elapsed:.1f} s, {rounds} rounds, {proxy.drops} drops"
        )
        print(
            f"chunk bytes sent {sent}, resent {lost} B = {lost / args.chunk:.2f} chunks; "
            f"{lost / args.chunk / drops:.2f} chunks lost per interruption"
        )
    finally:
        hub.stop()


WRITER = """
import os, random, sys, time
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sync.hub.settings")
django.setup()
from django.db import transaction
from sync.hub import feed
from sync.hub.county.models import Terminal
ids, rate, seconds = sys.argv[1].split(","), float(sys.argv[2]), float(sys.argv[3])
terminals = list(Terminal.objects.filter(pk__in=ids))
start = time.monotonic()
n = 0
while time.monotonic() - start < seconds:
    with transaction.atomic():
        feed.write_change(random.choice(terminals), "bench.ping", str(n), {"t": time.time()})
    n += 1
    time.sleep(max(0.0, start + n / rate - time.monotonic()))
print(n)
"""


async def _http_get(
    streams: tuple[asyncio.StreamReader, asyncio.StreamWriter], path: str, terminal: str
) -> tuple[int, bytes]:
    """One GET on a kept-alive connection (the hub's API answers carry a Content-Length)."""
    reader, writer = streams
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: hub\r\nX-Xiangli-Terminal: {terminal}\r\n\r\n".encode()
    )
    await writer.drain()
    status = int((await reader.readline()).split()[1])
    length = 0
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
    return status, await reader.readexactly(length)


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[int(len(ordered) * 0.99) - 1] if ordered else float("nan")


def _hub_threads(hub: HubProcess) -> int:
    """Threads of the hub's processes (its workers, with --processes, are its children)."""
    assert hub.proc is not None
    pids = [hub.proc.pid]
    for pid in pids:  # grows while walking: children, then theirs
        for task in os.listdir(f"/proc/{pid}/task"):
            with contextlib.suppress(OSError):
                pids += [
                    int(c) for c in Path(f"/proc/{pid}/task/{task}/children").read_text().split()
                ]
    return sum(len(os.listdir(f"/proc/{pid}/task")) for pid in dict.fromkeys(pids))


def _held(hub: HubProcess, kiosks: list[str], args: argparse.Namespace) -> str:
    """Every kiosk holds a long poll (wait=20, as the kiosks do); changes for random kiosks are
    written by another process at `--rate`; the delay from a change's commit to its kiosk."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 4 * len(kiosks))), hard))
    delays: list[float] = []
    answers = [0]
    errors = [0]
    port = hub.port

    async def kiosk(terminal: str, stop: float) -> None:
        streams = await asyncio.open_connection("127.0.0.1", port)
        status, body = await _http_get(streams, "/api/v1/pull?cursor=", terminal)
        cursor = json.loads(body)["cursor"]
        # Kiosks started at random times: their 20 s waits do not all end at once.
        wait = random.randint(1, 20)
        while time.time() < stop:
            try:
                status, body = await _http_get(
                    streams, f"/api/v1/pull?cursor={cursor}&wait={wait}", terminal
                )
                wait = 20
            except (OSError, asyncio.IncompleteReadError, ValueError):
                errors[0] += 1
                streams = await asyncio.open_connection("127.0.0.1", port)
                continue
            now = time.time()
            if status != 200:
                errors[0] += 1
                continue
            answer = json.loads(body)
            answers[0] += 1
            cursor = answer["cursor"]
            delays.extend(now - c["payload"]["t"] for c in answer["changes"] if "t" in c["payload"])
        streams[1].close()

    async def run() -> tuple[int, int]:
        stop = time.time() + 1e9
        tasks = [asyncio.create_task(kiosk(k, stop)) for k in kiosks]
        await asyncio.sleep(args.connect)  # every kiosk has made its first pull and waits
        threads = _hub_threads(hub)
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, ",".join(kiosks), str(args.rate), str(args.seconds)],
            env=hub.env,
            cwd=REPO,
            stdout=subprocess.PIPE,
            text=True,
        )
        answers[0] = 0
        written = int((await asyncio.to_thread(writer.communicate))[0].strip() or 0)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        return threads, written

    threads, written = asyncio.run(run())
    p99 = _p99(delays)
    return (
        f"held: {len(kiosks)} kiosks each waiting in a long poll, hub threads {threads}; "
        f"{written} changes written at {args.rate:.0f}/s, {len(delays)} delivered; "
        f"{answers[0] / args.seconds:.0f} pulls/s; commit to kiosk p50 "
        f"{statistics.median(delays) * 1000 if delays else float('nan'):.1f} ms, "
        f"p99 {p99 * 1000:.1f} ms; {errors[0]} errors"
    )


def _busy(hub: HubProcess, kiosks: list[str], args: argparse.Namespace) -> str:
    """The earlier measurement: `--clients` connections pull for the kiosks back to back
    (no wait), as fast as the hub answers."""
    import requests

    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + args.seconds

    def worker(mine: list[str]) -> None:
        session = requests.Session()
        cursors = dict.fromkeys(mine, "")
        while time.perf_counter() < stop:
            for kiosk in mine:
                t0 = time.perf_counter()
                try:
                    r = session.get(
                        hub.url + "/api/v1/pull",
                        params={"cursor": cursors[kiosk], "limit": "100"},
                        headers={"X-Xiangli-Terminal": kiosk},
                        timeout=30,
                    )
                    r.raise_for_status()
                    cursors[kiosk] = r.json()["cursor"]
                except (requests.RequestException, ValueError):
                    with lock:
                        errors[0] += 1
                    continue
                with lock:
                    latencies.append(time.perf_counter() - t0)
                if time.perf_counter() >= stop:
                    return

    size = max(1, len(kiosks) // args.clients)
    threads = [
        threading.Thread(target=worker, args=(kiosks[i : i + size],))
        for i in range(0, len(kiosks), size)
    ]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    p99 = _p99(latencies)
    return (
        f"busy: {len(kiosks)} kiosks through {len(threads)} connections pulling back to back: "
        f"{len(latencies) / elapsed:.0f} pulls/s, p50 {statistics.median(latencies) * 1000:.1f} "
        f"ms, p99 {p99 * 1000:.1f} ms, {errors[0]} errors"
    )


def poll(args: argparse.Namespace) -> None:
    """The hub under 1,000 polling kiosks, with one and with two hub processes."""
    work = Path(tempfile.mkdtemp(prefix="bench-poll-"))
    with contextlib.ExitStack() as stack:
        server = None
        if args.postgres:
            from tests.pgserver import create_database, postgres_server

            server = stack.enter_context(postgres_server("bench_poll"))
        for processes in args.processes:
            if server is None and processes > 1:
                print(f"SQLite, {processes} processes: skipped (PostgreSQL only, docs/INSTALL.md)")
                continue
            url = create_database(server, f"bench_poll_{processes}") if server else None
            hub = HubProcess(
                work / f"hub-{processes}",
                database_url=url,
                env={"XIANGLI_HUB_ALLOW_UNSIGNED": "1"},
                threads=8,
                # (not passed for one: this bench also runs against hubs from before --processes)
                **({"processes": processes} if processes > 1 else {}),
            )
            hub.start()
            try:
                kiosks = [f"P-{i:04d}" for i in range(args.kiosks)]
                name = f"{'PostgreSQL' if url else 'SQLite'}, {processes} process(es)"
                # Busy first: a WSGI hub is still sleeping through the held run's pulls long
                # after their kiosks have gone.
                print(f"{name}, {_busy(hub, kiosks, args)}", flush=True)
                print(f"{name}, {_held(hub, kiosks, args)}", flush=True)
            finally:
                hub.stop()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("drain")
    d.add_argument("--ops", type=int, default=10_000)
    d.add_argument("--batch", type=int, default=200)
    d.add_argument("--rate", type=float, default=None)
    d.add_argument("--rtt", type=float, default=0.0)
    d.add_argument("--drop-every", type=float, default=None)
    d.set_defaults(func=drain)
    p = sub.add_parser("photo")
    p.add_argument("--size", type=int, default=1_000_000)
    p.add_argument("--chunk", type=int, default=64 * 1024)
    p.add_argument("--rate", type=float, default=50_000)
    p.add_argument("--drop-every", type=float, default=60.0)
    p.set_defaults(func=photo)
    q = sub.add_parser("poll")
    q.add_argument("--kiosks", type=int, default=1000)
    q.add_argument("--clients", type=int, default=8, help="concurrent connections")
    q.add_argument("--seconds", type=float, default=30)
    q.add_argument("--postgres", action="store_true")
    q.add_argument(
        "--processes", type=int, nargs="+", default=[1, 2], help="hub processes, one run each"
    )
    q.add_argument("--rate", type=float, default=50, help="changes per second in the held run")
    q.add_argument(
        "--connect", type=float, default=20, help="seconds for the kiosks' first pulls (held)"
    )
    q.set_defaults(func=poll)
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
