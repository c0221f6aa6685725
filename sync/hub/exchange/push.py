"""Pushing ratings to the provincial platform: every rating not yet acknowledged, oldest first,
through a `RatingsPort`, with its state kept in `RatingPush` (pushed at, attempts, last error).

An acknowledged rating is never sent again; one that failed stays pending and goes with the next
run, under the same idempotency key. A rating whose record cannot be made (its village's code
is not one of this county's) is not sent; the reason is its last error.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from sync.hub.county.models import Evaluation
from sync.hub.exchange import haochaping
from sync.hub.exchange.models import RatingPush
from sync.hub.exchange.ports import HttpAdapter, RatingsPort, Record, RecordingSimulator
from sync.hub.exchange.region import RegionError


@dataclass
class Summary:
    acknowledged: int = 0
    failed: int = 0
    skipped: int = 0
    untried: int = 0

    def line(self) -> str:
        text = f"已确认 {self.acknowledged} 条，未成功 {self.failed} 条"
        if self.skipped:
            text += f"，无法生成记录 {self.skipped} 条"
        if self.untried:
            text += f"，省平台无响应、留待下次 {self.untried} 条"
        return text


def simulator_path() -> Path:
    return Path(settings.DATA_DIR) / "haochaping-simulator.jsonl"


def adapter(simulate: bool = False) -> RatingsPort:
    """The configured adapter: the recording simulator when asked (`--simulate`, or
    `XIANGLI_HUB_HCP_URL=simulator`), else HTTP to `XIANGLI_HUB_HCP_URL`."""
    if simulate or settings.HCP_URL == "simulator":
        return RecordingSimulator(simulator_path())
    return HttpAdapter(
        settings.HCP_URL,
        settings.HCP_TOKEN,
        attempts=settings.HCP_ATTEMPTS,
        backoff=settings.HCP_BACKOFF,
        timeout=settings.HCP_TIMEOUT,
    )


def _track_new() -> None:
    """A RatingPush row for every rating that has none yet (pending)."""
    fresh = Evaluation.objects.filter(push__isnull=True).only("id")
    RatingPush.objects.bulk_create(
        [
            RatingPush(evaluation=e, idempotency_key=haochaping.idempotency_key(e))
            for e in fresh.iterator()
        ],
        ignore_conflicts=True,
    )


def push_pending(port: RatingsPort, batch_size: int = 50) -> Summary:
    county, channels = haochaping.county_code(), haochaping.channel_codes()
    _track_new()
    pending = list(
        RatingPush.objects.filter(pushed_at__isnull=True)
        .order_by("evaluation__created_at", "evaluation_id")
        .values_list("evaluation_id", flat=True)
    )
    summary = Summary()
    for start in range(0, len(pending), max(1, batch_size)):
        chunk = pending[start : start + batch_size]
        evaluations = Evaluation.objects.select_related(
            "case", "case__department", "case__terminal__village__town"
        ).filter(pk__in=chunk)
        batch: list[Record] = []
        by_key: dict[str, str] = {}
        for evaluation in sorted(evaluations, key=lambda e: (e.created_at, e.id)):
            try:
                row = haochaping.record(evaluation, county, channels)
            except RegionError as err:
                RatingPush.objects.filter(pk=evaluation.id).update(last_error=str(err)[:300])
                summary.skipped += 1
                continue
            batch.append(row)
            by_key[row["idempotencyKey"]] = evaluation.id
        if not batch:
            continue
        result = port.push(batch)
        now = timezone.now()
        with transaction.atomic():  # one commit per batch, not three per rating
            for key, outcome in result.outcomes.items():
                rows = RatingPush.objects.filter(pk=by_key[key])
                rows.update(attempts=F("attempts") + outcome.attempts, last_attempt_at=now)
                if outcome.acknowledged:
                    rows.filter(pushed_at__isnull=True).update(pushed_at=now, last_error="")
                    summary.acknowledged += 1
                else:
                    rows.update(last_error=outcome.error[:300])
                    summary.failed += 1
        untried = len(batch) - len(result.outcomes)
        if untried:
            summary.untried += untried + len(pending) - start - len(chunk)
            break
    return summary
