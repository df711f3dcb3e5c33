"""URL patterns, mounted by sessions.urls under /sessions/<pk>/."""

from django.urls import path

from . import screen_views

urlpatterns = [
    path("screen/", screen_views.screen, name="screen"),
    path("screen/state", screen_views.screen_state, name="screen_state"),
    path("listen/", screen_views.listen, name="listen"),
    path("listen/state", screen_views.listen_state, name="listen_state"),
    path("listen/jotting/", screen_views.listen_jotting, name="listen_jotting"),
]
