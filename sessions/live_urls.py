"""URL patterns, mounted by sessions.urls under /sessions/<pk>/."""

from django.urls import path

from . import live_views

urlpatterns = [
    path("live/", live_views.live_page, name="live"),
    path("live/state", live_views.live_state, name="live_state"),
    path("live/checkin/", live_views.live_checkin, name="live_checkin"),
    path("live/rules-explained/", live_views.live_rules_explained, name="live_rules_explained"),
    path("live/question/<int:question_pk>/", live_views.live_question, name="live_question"),
    path("live/step/<str:step>/", live_views.live_step, name="live_step"),
    path("live/end/", live_views.live_end, name="live_end"),
    path("live/findings/", live_views.live_capture, name="live_capture"),
    path("live/findings/<int:finding_pk>/", live_views.live_edit, name="live_finding"),
]
