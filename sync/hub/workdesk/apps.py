"""App configuration of the work page."""

from __future__ import annotations

from django.apps import AppConfig


class WorkdeskConfig(AppConfig):
    name = "sync.hub.workdesk"
    label = "workdesk"
    verbose_name = "工作台"
