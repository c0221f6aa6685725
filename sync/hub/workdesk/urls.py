"""URLs of the work page, included under /work/ by sync.hub.urls."""

from __future__ import annotations

from django.urls import path

from sync.hub.workdesk import views

app_name = "workdesk"
urlpatterns = [
    path("", views.queue_view, name="queue"),
    path("case/<str:case_id>/", views.case_view, name="case"),
    path("case/<str:case_id>/act/", views.act_view, name="act"),
]
