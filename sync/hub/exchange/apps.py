"""App configuration of the hub's exchange with the provincial platform."""

from __future__ import annotations

from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "sync.hub.exchange"
    label = "exchange"
    verbose_name = "省平台数据交换"
    default_auto_field = "django.db.models.BigAutoField"
