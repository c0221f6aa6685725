"""URLs of kiosk updates, included under /api/v1/updates/ by sync.hub.urls."""

from __future__ import annotations

from django.urls import path

from sync.hub.updates import views

urlpatterns = [
    path("latest", views.latest, name="updates-latest"),
    path("release", views.release, name="updates-release"),
    path("files/<str:filename>", views.release_file, name="updates-file"),
]
