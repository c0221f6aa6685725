"""URL map of the county hub: the sync API under /api/v1/ and the staff admin under /admin/,
the staff's work page under /work/."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from sync.hub import api

urlpatterns = [
    path("api/v1/hello", api.hello, name="hello"),
    path("api/v1/enrol", api.enrol_view, name="enrol"),
    path("api/v1/push", api.push, name="push"),
    path("api/v1/pull", api.pull, name="pull"),
    path("api/v1/blobs/<str:sha256>", api.blob, name="blob"),
    path("api/v1/cases/lookup", api.case_lookup, name="case_lookup"),
    path("api/v1/updates/", include("sync.hub.updates.urls")),
    path("admin/figures/", include("sync.hub.figures.urls")),
    path("admin/", admin.site.urls),
    path("work/", include("sync.hub.workdesk.urls")),
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
]
