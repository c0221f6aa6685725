"""Demo and benchmark data: `seed_cases(store, n)` queues N applications like villagers would.

For `xiangli-kiosk seed --cases N` (the CLI lives in ui/cli.py) and for bench/bench_sync*.py.
Cases go through `kiosk.commands.submit_application`, so each has its audit entry and its
outbox op exactly as a real one. Never use on a production kiosk: the applicants are made up.
"""

from __future__ import annotations

import random

from kiosk.cases import Applicant
from kiosk.catalog import Catalog, load_demo_catalog
from kiosk.clock import Clock
from kiosk.commands import Terminal, submit_application
from kiosk.store import Store
from kiosk.workdays import WorkCalendar

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
_GIVEN = ["秀英", "桂兰", "德胜", "建国", "玉梅", "国强", "春花", "志明", "淑珍", "海燕"]
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def demo_id_number(rng: random.Random) -> str:
    """A made-up ID number with a valid GB 11643 check digit (350999: the demo 青山县)."""
    birth = f"{rng.randint(1940, 2000)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    body = f"350999{birth}{rng.randint(0, 999):03d}"
    return body + _CHECK[sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True)) % 11]


def seed_cases(
    store: Store,
    n: int,
    *,
    terminal: Terminal,
    catalog: Catalog | None = None,
    calendar: WorkCalendar | None = None,
    clock: Clock | None = None,
    seed: int = 1,
) -> int:
    """Submit `n` demo applications; returns how many were queued."""
    rng = random.Random(seed)
    catalog = catalog or load_demo_catalog()
    calendar = calendar or WorkCalendar.builtin()
    clock = clock or Clock()
    for _ in range(n):
        item = rng.choice(catalog.items)
        name = rng.choice(_SURNAMES) + rng.choice(_GIVEN)
        submit_application(
            store,
            item=item,
            catalog_version=catalog.version,
            applicant=Applicant(
                name,
                demo_id_number(rng),
                "福建省宁德市青山县溪口镇上洋村",
                "138" + f"{rng.randint(0, 99_999_999):08d}",
            ),
            terminal=terminal,
            calendar=calendar,
            clock=clock,
        )
    return n
