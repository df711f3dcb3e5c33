"""URL patterns, mounted by spiegel.urls under /e/: the personal evaluation links."""

from django.urls import path

from . import evaluation_views as views

urlpatterns = [
    path("<str:token>/", views.evaluation_form, name="evaluation_form"),
    path("<str:token>/thanks/", views.evaluation_thanks, name="evaluation_thanks"),
]
