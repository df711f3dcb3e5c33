"""Improvement actions across sessions, mounted by spiegel.urls under /actions/."""

from django.urls import path

from . import action_views

urlpatterns = [
    path("", action_views.action_list, name="action_list"),
    path("export.csv", action_views.action_export_csv, name="action_export_csv"),
    path("export.xlsx", action_views.action_export_xlsx, name="action_export_xlsx"),
    path("insights/", action_views.action_insights, name="action_insights"),
    path("<int:pk>/", action_views.action_detail, name="action_detail"),
    path("<int:pk>/edit/", action_views.action_edit, name="action_edit"),
]
