"""Debrief and feedback-letter pages, mounted by sessions.urls under /sessions/<pk>/."""

urlpatterns = []
