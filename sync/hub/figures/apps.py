"""App configuration of the hub's figures app (the dashboard and the kiosks' health reports)."""

from __future__ import annotations

from django.apps import AppConfig


class FiguresConfig(AppConfig):
    name = "sync.hub.figures"
    label = "figures"
    verbose_name = "办件统计"
    default_auto_field = "django.db.models.BigAutoField"
