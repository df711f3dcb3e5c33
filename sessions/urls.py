from django.urls import include, path

from . import invitation_views, views

urlpatterns = [
    path("", views.session_list, name="session_list"),
    path("new/", views.session_create, name="session_create"),
    path("<int:pk>/", views.session_detail, name="session_detail"),
    path("<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("<int:pk>/status/<str:action>/", views.session_transition, name="session_transition"),
    path("<int:pk>/guide/", views.guide, name="guide"),
    path("<int:pk>/guide/library/", views.guide_from_library, name="guide_library"),
    path("<int:pk>/guide/<int:question_pk>/", views.question_edit, name="question_edit"),
    path("<int:pk>/guide/<int:question_pk>/move/", views.question_move, name="question_move"),
    path("<int:pk>/guide/<int:question_pk>/delete/", views.question_delete, name="question_delete"),
    path("<int:pk>/rules/", views.rules, name="rules"),
    path("<int:pk>/rules/load/", views.rules_load, name="rules_load"),
    path("<int:pk>/rules/settings/", views.rules_settings, name="rules_settings"),
    path("<int:pk>/rules/<int:rule_pk>/", views.rule_edit, name="rule_edit"),
    path("<int:pk>/rules/<int:rule_pk>/move/", views.rule_move, name="rule_move"),
    path("<int:pk>/rules/<int:rule_pk>/delete/", views.rule_delete, name="rule_delete"),
    path("<int:pk>/invitations/", invitation_views.invitations, name="invitations"),
    path("<int:pk>/calendar.ics", invitation_views.session_ics, name="session_ics"),
    path("<int:pk>/", include("participants.urls")),
    path("<int:pk>/", include("sessions.live_urls")),
    path("<int:pk>/", include("sessions.screen_urls")),
    path("<int:pk>/", include("sessions.evaluation_urls")),
    path("<int:pk>/", include("findings.debrief_urls")),
    path("<int:pk>/", include("findings.report_urls")),
]
