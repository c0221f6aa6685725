"""The dashboard's URLs, under /admin/figures/; each view needs a signed-in staff member (the
admin's own login page otherwise)."""

from __future__ import annotations

from django.contrib import admin
from django.urls import path

from sync.hub.figures import views

urlpatterns = [
    path("", admin.site.admin_view(views.dashboard), name="figures"),
    path("export.csv", admin.site.admin_view(views.export_csv), name="figures_csv"),
    path("export.xlsx", admin.site.admin_view(views.export_xlsx), name="figures_xlsx"),
]
