"""WSGI entry point of the county hub, for a county that runs it under a WSGI server of its own;
`xiangli-hub serve` serves the ASGI one (sync.hub.asgi), where the long poll holds no thread."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sync.hub.settings")
application = get_wsgi_application()
