"""`xiangli-hub manage make_deltas`: make the binary deltas every active release lacks."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from sync.hub.updates.deltas import BASES, make_deltas
from sync.hub.updates.models import KioskRelease


class Command(BaseCommand):
    help = "Make the missing binary deltas to every active release (needs zstd)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--bases", type=int, default=BASES, help="earlier versions per release")

    def handle(self, *args: Any, **options: Any) -> None:
        for release in KioskRelease.objects.filter(active=True):
            for delta in make_deltas(release, bases=options["bases"]):
                self.stdout.write(f"{delta.filename}: {delta.size} bytes")
