"""Benchmark catalog search on a county-sized catalog (not a test).

Builds a 5,000-item catalog from the demo items with varied names, indexes it, runs 2,000 mixed
queries (Chinese, full pinyin, initials, single letters, keywords, garbage) and prints the index
build time and p50/p99/max query time. Target: p99 <= 5 ms.

    .venv/bin/python bench/bench_catalog_search.py [--items N] [--queries N] [--seed N]
"""

from __future__ import annotations

import argparse
import dataclasses
import pathlib
import random
import statistics
import string
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from kiosk.catalog import Catalog, load_demo_catalog
from kiosk.search import CatalogIndex, to_pinyin

PREFIXES = (
    "",
    "",
    "",
    "溪口镇",
    "石门村",
    "青山县",
    "农村",
    "城镇",
    "困难群众",
    "老年人",
    "失地农民",
)
SUFFIXES = ("", "", "（代办）", "变更", "注销", "补办", "查询", "延续", "（跨省通办）", "年度审核")


def big_catalog(n: int, rng: random.Random) -> Catalog:
    demo = load_demo_catalog()
    items = []
    for i in range(n):
        base = demo.items[i % len(demo.items)]
        name = f"{rng.choice(PREFIXES)}{base.name}{rng.choice(SUFFIXES)}"
        code = f"{base.code.split('-')[0]}-{demo.region_code}{i:06d}"
        items.append(dataclasses.replace(base, code=code, name=name))
    return dataclasses.replace(demo, items=tuple(items))


def make_queries(catalog: Catalog, n: int, rng: random.Random) -> list[str]:
    names = [item.name for item in catalog.items]
    keywords = sorted({k for item in catalog.items for k in item.keywords})

    def word() -> str:
        name = rng.choice(names)
        size = rng.randint(2, 4)
        start = rng.randrange(max(1, len(name) - size))
        return name[start : start + size]

    def full_pinyin() -> str:
        syllables = to_pinyin(word())
        text = rng.choice(("", " ")).join(syllables)
        return text.upper() if rng.random() < 0.1 else text

    def initials() -> str:
        return "".join(s[0] for s in to_pinyin(word()))

    def single() -> str:
        return rng.choice((rng.choice(string.ascii_lowercase), rng.choice(rng.choice(names))))

    def garbage() -> str:
        if rng.random() < 0.5:
            return "".join(
                rng.choices(string.ascii_letters + string.punctuation, k=rng.randint(3, 9))
            )
        return "".join(chr(rng.randint(0x4E00, 0x9FFF)) for _ in range(rng.randint(1, 4)))

    makers = [word] * 30 + [full_pinyin] * 20 + [initials] * 20 + [single] * 10
    makers += [lambda: rng.choice(keywords)] * 10 + [garbage] * 10
    return [rng.choice(makers)() for _ in range(n)]


def percentile(sorted_values: list[float], p: float) -> float:
    k = min(len(sorted_values) - 1, max(0, round(p / 100 * len(sorted_values)) - 1))
    return sorted_values[k]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=20261101)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)

    catalog = big_catalog(args.items, rng)
    to_pinyin.cache_clear()  # measure a cold build, as at kiosk start-up
    t0 = time.perf_counter()
    index = CatalogIndex(catalog)
    build_s = time.perf_counter() - t0
    queries = make_queries(catalog, args.queries, rng)

    for limit in (20, None):
        times, cpu_times, hits = [], [], 0
        for q in queries:
            t, c = time.perf_counter_ns(), time.thread_time_ns()
            result = index.search(q, limit=limit)
            cpu_times.append((time.thread_time_ns() - c) / 1e6)
            times.append((time.perf_counter_ns() - t) / 1e6)
            hits += bool(result)
        times.sort()
        cpu_times.sort()
        print(
            f"limit={limit!s:>4}: {len(queries)} queries over {len(index)} items, "
            f"{hits} with results\n"
            f"  wall: p50 {statistics.median(times):.3f} ms  "
            f"p99 {percentile(times, 99):.3f} ms  max {times[-1]:.3f} ms\n"
            # CPU time leaves out time the thread spent preempted on a busy machine.
            f"  cpu:  p50 {statistics.median(cpu_times):.3f} ms  "
            f"p99 {percentile(cpu_times, 99):.3f} ms  max {cpu_times[-1]:.3f} ms"
        )
    print(f"index build: {build_s * 1000:.0f} ms ({args.items} items, cold pinyin cache)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
