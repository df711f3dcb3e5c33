"""URL patterns, mounted by sessions.urls under /sessions/<pk>/."""

from django.urls import path

from . import evaluation_views as views

urlpatterns = [
    path("evaluation/", views.evaluation_summary, name="evaluation_summary"),
    path("evaluation/links/", views.evaluation_links_create, name="evaluation_links_create"),
    path("evaluation/sheet/", views.evaluation_sheet, name="evaluation_sheet"),
]
