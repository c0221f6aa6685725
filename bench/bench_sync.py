"""Sync benchmarks (figures printed; nothing asserted). Each sub-command starts its own hub.

    python -m bench.bench_sync drain [--ops 10000]                   loopback drain: ops/s, B/op
    python -m bench.bench_sync drain --ops 1000 --rate 50000 --rtt 0.6 --drop-every 60
                                                                     the same over a 2G link
    python -m bench.bench_sync photo [--size 1000000] [--rate 50000] [--drop-every 60]
                                                                     chunks lost per interruption
    python -m bench.bench_sync poll [--kiosks 1000] [--seconds 30] [--postgres]
                                                                     hub under polling kiosks

The 2G link is the fault proxy's throttle (tests/sync/faultproxy.py): `--rate` bit/s each way,
`--rtt` seconds of round trip, `--drop-every` seconds between cuts of the open connection.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import statistics
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


def poll(args: argparse.Namespace) -> None:
    import requests

    work = Path(tempfile.mkdtemp(prefix="bench-poll-"))
    with contextlib.ExitStack() as stack:
        url = None
        if args.postgres:
            from tests.pgserver import postgres_server

            url = stack.enter_context(postgres_server("bench_poll"))
        hub = _hub(work / "hub", url)
        stack.callback(hub.stop)
        kiosks = [f"P-{i:04d}" for i in range(args.kiosks)]
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
                            params={"cursor": cursors[kiosk], "limit": 100},
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

        size = max(1, args.kiosks // args.clients)
        threads = [
            threading.Thread(target=worker, args=(kiosks[i : i + size],))
            for i in range(0, args.kiosks, size)
        ]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - t0
        latencies.sort()
        p99 = latencies[int(len(latencies) * 0.99) - 1] if latencies else float("nan")
        print(
            f"{'PostgreSQL' if args.postgres else 'SQLite'}: {args.kiosks} kiosks through "
            f"{len(threads)} connections for {elapsed:.0f} s: {len(latencies) / elapsed:.0f} "
            f"pulls/s, p50 {statistics.median(latencies) * 1000:.1f} ms, "
            f"p99 {p99 * 1000:.1f} ms, {errors[0]} errors"
        )


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
    q.set_defaults(func=poll)
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
