"""A villager's durable submit as the store grows (figures printed; nothing asserted).

    python bench/bench_submit.py [--sizes 300,6000,50000] [--submits 200]

For each size, a fresh store is filled with that many cases through the real
`submit_application` (fsync switched off for the filling only, and their outbox ops marked
sent, as on a kiosk that has synced), then, after 20 untimed ones that warm the connection and
the WAL file, `--submits` more applications are timed one by one
on another thread's connection with the kiosk's own settings (WAL, synchronous=FULL). Prints
the median and p95 in milliseconds per size, and the ratio of the largest size's median to the
smallest's: a flat store is ~1.0.
"""

from __future__ import annotations

import argparse
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

from kiosk.cases import Applicant  # noqa: E402
from kiosk.catalog import load_demo_catalog  # noqa: E402
from kiosk.clock import Clock  # noqa: E402
from kiosk.commands import Terminal, submit_application  # noqa: E402
from kiosk.store import Store  # noqa: E402
from kiosk.workdays import WorkCalendar  # noqa: E402
from sync.seed import seed_cases  # noqa: E402


def _fill(store: Store, terminal: Terminal, n: int) -> None:
    store.db().execute("PRAGMA synchronous=OFF")  # this thread's connection only
    day = datetime(2025, 3, 3, 2, tzinfo=UTC)
    done = 0
    while done < n:  # case numbers hold 9,999 a day per terminal: spread over days
        take = min(5000, n - done)
        seed_cases(store, take, terminal=terminal, clock=Clock(fixed=day), seed=done + 1)
        done += take
        day += timedelta(days=1)
    store.db().execute("UPDATE outbox SET state = 'done'")
    store.db().execute("PRAGMA synchronous=FULL")


WARM_UP = 20


def _time_submits(store: Store, terminal: Terminal, count: int) -> list[float]:
    catalog = load_demo_catalog()
    item = next(i for i in catalog.items if i.kind == "promised")
    calendar = WorkCalendar.builtin()
    clock = Clock(fixed=datetime(2026, 11, 30, 2, tzinfo=UTC))
    times: list[float] = []

    def run() -> None:  # a fresh thread: a fresh connection with the kiosk's pragmas
        for i in range(count + WARM_UP):
            started = time.perf_counter()
            submit_application(
                store,
                item=item,
                catalog_version=catalog.version,
                applicant=Applicant("王秀英", "11010519491231002X", "青山县溪口镇", ""),
                terminal=terminal,
                calendar=calendar,
                clock=clock,
            )
            if i >= WARM_UP:  # a running kiosk's connection and WAL file are warm
                times.append((time.perf_counter() - started) * 1000)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    return times


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--sizes", default="300,6000,50000")
    p.add_argument("--submits", type=int, default=200)
    args = p.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    medians: dict[int, float] = {}
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="bench-submit-") as folder:
            store = Store(Path(folder) / "kiosk.sqlite3")
            terminal = Terminal("01BENCHTERMINAL0000000000", "B001")
            t0 = time.perf_counter()
            _fill(store, terminal, size)
            filled = time.perf_counter() - t0
            times = _time_submits(store, terminal, args.submits)
            store.close()
        times.sort()
        medians[size] = statistics.median(times)
        p95 = times[int(len(times) * 0.95) - 1]
        print(
            f"{size:>7} cases in the store: durable submit median {medians[size]:.2f} ms, "
            f"p95 {p95:.2f} ms over {len(times)} submits (filled in {filled:.0f} s)",
            flush=True,
        )
    lo, hi = min(sizes), max(sizes)
    print(f"median at {hi} / median at {lo}: {medians[hi] / medians[lo]:.2f}")


if __name__ == "__main__":
    main()
