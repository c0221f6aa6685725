"""WSGI entry point of the county hub (waitress serves it; see `sync.hub.cli serve`)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sync.hub.settings")
application = get_wsgi_application()
