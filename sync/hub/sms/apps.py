"""App configuration of the hub's SMS notices."""

from __future__ import annotations

from django.apps import AppConfig


class SmsConfig(AppConfig):
    name = "sync.hub.sms"
    label = "sms"
    verbose_name = "短信提醒"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from sync.hub.sms.outbox import connect_signals

        connect_signals()
