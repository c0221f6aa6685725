"""App configuration of the county hub's one app."""

from __future__ import annotations

from django.apps import AppConfig


class CountyConfig(AppConfig):
    name = "sync.hub.county"
    label = "county"
    verbose_name = "县级中心"
    default_auto_field = "django.db.models.BigAutoField"
