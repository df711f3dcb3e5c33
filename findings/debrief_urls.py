"""Debrief and feedback-letter pages, mounted by sessions.urls under /sessions/<pk>/."""

from django.urls import path

from . import debrief_views as views

urlpatterns = [
    path("debrief/", views.debrief_page, name="debrief"),
    path("debrief/answers/", views.debrief_answers, name="debrief_answers"),
    path("debrief/themes/", views.theme_create, name="debrief_theme_create"),
    path("debrief/findings/theme/", views.bulk_theme, name="debrief_bulk_theme"),
    path(
        "debrief/findings/<int:finding_pk>/theme/",
        views.finding_theme,
        name="debrief_finding_theme",
    ),
    path(
        "debrief/findings/<int:finding_pk>/blind-spot/",
        views.finding_blind_spot,
        name="debrief_blind_spot",
    ),
    path("debrief/lessons/", views.lesson_add, name="debrief_lesson_add"),
    path(
        "debrief/lessons/<int:lesson_pk>/delete/",
        views.lesson_delete,
        name="debrief_lesson_delete",
    ),
    path("debrief/actions/new/", views.action_new, name="debrief_action_new"),
    path("debrief/conclude/", views.conclude, name="debrief_conclude"),
    path("feedback/", views.feedback_letter, name="feedback_letter"),
    path("feedback/redraft/", views.feedback_redraft, name="feedback_redraft"),
]
