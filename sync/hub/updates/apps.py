"""App configuration of the hub's kiosk-updates app."""

from __future__ import annotations

from django.apps import AppConfig


class UpdatesConfig(AppConfig):
    name = "sync.hub.updates"
    label = "updates"
    verbose_name = "终端软件更新"
    default_auto_field = "django.db.models.BigAutoField"
